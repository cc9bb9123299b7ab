"""Write the generated tables of the reference pages from runbookdocs' own declarations.

The reference pages (docs/reference/*.md) are written by hand, except for regions between

    <!-- generated: NAME (python scripts/reference_doc.py) -->
    ...
    <!-- /generated: NAME -->

which this script fills from the one place each thing is declared: configuration keys and their
defaults (`config.KEYS`, `config.TARGET_KEYS`, `TargetConfig`), built-in targets
(`run.targets.BUILTIN_TARGETS`, `run.images.BUILTIN_IMAGES`), front-matter keys
(`extract.frontmatter.RUNBOOK_KEYS`), fence attributes (`block.ATTRIBUTES`), decision-tree keys
(`decision_tree.*_KEYS`), the command line (the argparse parsers themselves) and the pytest
plugin's options. `tests/test_reference_doc.py` fails when a page differs from what this script
writes, or when something declared has no region.

Usage:
    python scripts/reference_doc.py            # rewrite the regions in docs/reference/*.md
    python scripts/reference_doc.py --check    # exit 1 when a page is out of date
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "docs" / "reference"
WIDTH = 96
"""Column at which usage lines wrap (argparse would otherwise follow the terminal)."""

_REGION = re.compile(
    r"(?P<open><!-- generated: (?P<name>[^ ]+(?: [^ (]+)*) "
    r"\(python scripts/reference_doc\.py\) -->\n)"
    r"(?P<body>.*?)"
    r"(?P<close><!-- /generated: (?P=name) -->)",
    re.S,
)


def _cell(text: str) -> str:
    """Text for a table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _toml(value: Any) -> str:
    """A default as it would be written in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Mapping):
        return "{}" if not value else repr(dict(value))
    if isinstance(value, (tuple, list)):
        return "[]" if not value else "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


_DEFAULT_IN_HELP = re.compile(r"(?P<lead>\s*\(|; )default:? (?P<default>[^)]*)\)")
"""`(default: X)`, or `; default: X)` closing a parenthesis, in a help text."""


def _split_default(help_text: str, value: Any) -> tuple[str, str]:
    """(meaning, default) for a key: a default the help spells out in words ("detected from
    mkdocs.yml") wins over an empty value."""
    m = _DEFAULT_IN_HELP.search(help_text)
    meaning = help_text
    if m:
        rest = ")" if m.group("lead") == "; " else ""
        meaning = help_text[: m.start()] + rest + help_text[m.end() :]
    empty = value is None or value == "" or (isinstance(value, (tuple, list)) and not value)
    if m and (empty or isinstance(value, bool)):
        words = m.group("default")
        default = f"`{words}`" if words in ("true", "false") else words
    elif value is None:
        default = "none"
    else:
        default = f"`{_toml(value)}`"
    return meaning, default


def config_keys() -> str:
    from runbookdocs.config import KEYS

    rows = ["| key | default | meaning |", "| --- | --- | --- |"]
    for name, key in KEYS.items():
        meaning, default = _split_default(key.help, key.default)
        rows.append(f"| `{name}` | {_cell(default)} | {_cell(meaning)} |")
    return "\n".join(rows)


def target_keys() -> str:
    from runbookdocs.config import TARGET_KEYS, TargetConfig

    defaults = TargetConfig._field_defaults
    rows = ["| key | default | meaning |", "| --- | --- | --- |"]
    for name, help_text in TARGET_KEYS.items():
        if name not in TargetConfig._fields:  # a key without a field is a bug
            raise KeyError(name)
        value = defaults.get(name)
        if isinstance(value, Mapping):  # an empty read-only mapping: shown as `{}`
            value = dict(value)
        meaning, default = _split_default(help_text, value)
        rows.append(f"| `{name}` | {_cell(default)} | {_cell(meaning)} |")
    return "\n".join(rows)


def builtin_targets() -> str:
    from runbookdocs.run.images import BUILTIN_IMAGES
    from runbookdocs.run.targets import BUILTIN_TARGETS

    rows = [
        "| target | local image (built without a registry) | official image | SQL client "
        "| memory |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, spec in BUILTIN_TARGETS.items():
        image = BUILTIN_IMAGES[name]
        sql = f"`{spec.sql}`" if spec.sql else "none"
        rows.append(
            f"| `{name}` | `{image.local}` | `{image.official}` | {_cell(sql)} | {spec.memory} |"
        )
    return "\n".join(rows)


def front_matter_keys() -> str:
    from runbookdocs.extract.frontmatter import RUNBOOK_KEYS

    rows = ["| key under `runbook:` | meaning |", "| --- | --- |"]
    for name, help_text in RUNBOOK_KEYS.items():
        rows.append(f"| `{name}` | {_cell(_code_placeholders(help_text))} |")
    return "\n".join(rows)


def fence_attributes() -> str:
    from runbookdocs.block import ATTRIBUTES
    from runbookdocs.validate.pages import ATTRIBUTE_PLACEHOLDERS

    rows = ["| attribute | meaning | `{{ name }}` |", "| --- | --- | --- |"]
    for name, help_text in ATTRIBUTES.items():
        written = "`#id`" if name == "id" else f"`{name}=`"
        filled = "yes (quoted)" if name in ATTRIBUTE_PLACEHOLDERS else ""
        rows.append(f"| {written} | {_cell(help_text)} | {filled} |")
    return "\n".join(rows)


def tree_keys() -> str:
    from runbookdocs.decision_tree import ANSWER_KEYS, NODE_KEYS, TREE_KEYS

    rows = ["| where | key | meaning |", "| --- | --- | --- |"]
    for where, keys in (("tree", TREE_KEYS), ("node", NODE_KEYS), ("answer", ANSWER_KEYS)):
        for name, help_text in keys.items():
            rows.append(f"| {where} | `{name}` | {_cell(help_text)} |")
    return "\n".join(rows)


def _code_placeholders(text: str) -> str:
    """`{{ name }}` in a help text shown as code (the site would fill it in otherwise)."""
    return re.sub(r"(\{\{[^}]*\}\})", r"`\1`", text)


# --------------------------------------------------------------------------- command line


def _parsers() -> dict[str, argparse.ArgumentParser]:
    """Every parser of the command line by its command path (`check`, `report merge`), with
    usage wrapped at `WIDTH` whatever the terminal."""
    from runbookdocs.cli import build_parser

    def formatter(prog: str) -> argparse.HelpFormatter:
        return argparse.HelpFormatter(prog, width=WIDTH)

    found: dict[str, argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        parser.formatter_class = formatter
        found[path] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{path} {name}".strip())

    walk(build_parser(), "")
    return found


def _invocation(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    # The formatter's own rendering, the one --help prints (`--jobs N, -j N`).
    return parser._get_formatter()._format_action_invocation(action)


def cli_commands() -> str:
    from runbookdocs.cli import commands

    rows = ["| command | what it does |", "| --- | --- |"]
    for name, cmd in commands().items():
        rows.append(f"| [`{name}`](#{name}) | {_cell(cmd.help)} |")
    return "\n".join(rows)


def cli_command(path: str) -> str:
    parser = _parsers()[path]
    usage = parser.format_usage().strip()
    lines = ["```text", usage, "```", ""]
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                rows.append(f"| `{choice.dest}` | {_cell(choice.help or '')} |")
            continue
        rows.append(f"| `{_invocation(parser, action)}` | {_cell(action.help or '')} |")
    if rows:
        lines += ["| argument | meaning |", "| --- | --- |", *rows]
    return "\n".join(lines).rstrip()


def pytest_options() -> str:
    from runbookdocs import pytest_plugin

    parser = argparse.ArgumentParser(prog="pytest", formatter_class=argparse.HelpFormatter)
    ini: list[tuple[str, str]] = []

    class _Group:
        def addoption(self, *names: str, **kwargs: Any) -> None:
            parser.add_argument(*names, **kwargs)

    class _Parser:
        def getgroup(self, *args: Any, **kwargs: Any) -> _Group:
            return _Group()

        def addini(self, name: str, help: str, **kwargs: Any) -> None:
            ini.append((name, help))

    pytest_plugin.pytest_addoption(_Parser())  # type: ignore[arg-type]
    rows = ["| option | meaning |", "| --- | --- |"]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        rows.append(f"| `{_invocation(parser, action)}` | {_cell(action.help or '')} |")
    for name, help_text in ini:
        rows.append(f"| `{name} =` (ini file) | {_cell(help_text)} |")
    return "\n".join(rows)


# --------------------------------------------------------------------------- the regions


def generators() -> dict[str, Callable[[], str]]:
    """Region name -> what writes it. Every region must appear once in the reference pages."""
    table: dict[str, Callable[[], str]] = {
        "config-keys": config_keys,
        "target-keys": target_keys,
        "builtin-targets": builtin_targets,
        "front-matter-keys": front_matter_keys,
        "fence-attributes": fence_attributes,
        "tree-keys": tree_keys,
        "cli-commands": cli_commands,
        "pytest-options": pytest_options,
    }
    for path in _parsers():
        if path:
            table[f"cli {path}"] = functools.partial(cli_command, path)
    return table


def regions(text: str) -> Iterator[re.Match[str]]:
    """The generated regions of a page."""
    return _REGION.finditer(text)


def render_page(text: str, table: Mapping[str, Callable[[], str]]) -> str:
    """`text` with every generated region written again.

    Raises:
        KeyError: a region names nothing this script generates.
    """

    def fill(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in table:
            raise KeyError(f"unknown generated region {name!r}; known: {', '.join(table)}")
        return f"{m.group('open')}\n{table[name]()}\n\n{m.group('close')}"

    return _REGION.sub(fill, text)


def render_all() -> dict[Path, str]:
    """Every reference page as this script writes it.

    Raises:
        KeyError: a region is unknown, missing, or given twice.
    """
    table = generators()
    seen: dict[str, Path] = {}
    out: dict[Path, str] = {}
    for page in sorted(PAGES.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        for m in regions(text):
            name = m.group("name")
            if name in seen:
                raise KeyError(f"region {name!r} is in {seen[name].name} and {page.name}")
            seen[name] = page
        out[page] = render_page(text, table)
    missing = [name for name in table if name not in seen]
    if missing:
        raise KeyError(
            "no region for: "
            + ", ".join(missing)
            + " (add '<!-- generated: NAME (python scripts/reference_doc.py) -->' and "
            "'<!-- /generated: NAME -->' where the table belongs)"
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when out of date")
    args = parser.parse_args(argv)
    try:
        pages = render_all()
    except KeyError as err:
        print(f"reference_doc: {err.args[0]}", file=sys.stderr)
        return 1
    stale = [p for p, text in pages.items() if p.read_text(encoding="utf-8") != text]
    if args.check:
        for page in stale:
            print(f"{page} is out of date: run python scripts/reference_doc.py", file=sys.stderr)
        return 1 if stale else 0
    for page in stale:
        page.write_text(pages[page], encoding="utf-8")
        print(f"wrote {page.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
