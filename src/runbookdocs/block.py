"""Blocks: the fenced code blocks of a runbook, and the grammar of their fence headers.

A fence header is ```` ```LANG {#id key=value key="quoted value"} ````: the language, then
attributes in braces. The braces are parsed with Python-Markdown's own `attr_list` scanner, the
one pymdownx.superfences uses, so the checker and the published site always agree on what a
header says.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

from markdown.extensions.attr_list import get_attrs_and_remainder

from runbookdocs import codes
from runbookdocs.location import Location
from runbookdocs.patterns import lazy

KINDS: Mapping[str, str] = MappingProxyType(
    {
        "bash": "shell",
        "sh": "shell",
        "shell": "shell",
        "console": "console",
        "shell-session": "console",
        "sql": "sql",
        "mysql": "sql",
        "mariadb": "sql",
        "psql": "sql",
        "postgresql": "sql",
        "pgsql": "sql",
        "json": "json",
        "jsonc": "json",
        "hujson": "json",
        "yaml": "yaml",
        "yml": "yaml",
        "ini": "ini",
        "cfg": "ini",
        "toml": "toml",
        "decision-tree": "decision-tree",
        "python": "python",
        "python3": "python",
        "py": "python",
    }
)
"""Fence language -> block kind. Any other language is kind `other` (not checked, not run)."""

DEFAULT_TARGET = "debian"
"""Where a block runs when neither it nor its page names a target."""

RUNNABLE_KINDS = frozenset({"shell", "console", "sql"})
"""Kinds whose blocks are executed in a target."""

CONFIG_KINDS = frozenset({"json", "yaml", "ini", "toml"})
"""Kinds validated as configuration (and written into a target with `file=`)."""

NOT_WRITABLE_KINDS = frozenset({"console", "decision-tree"})
"""Kinds `file=` cannot write: a transcript and a tree are not file contents. Any other block
(a configuration, a script, an nginx site, a systemd unit, a crontab, untagged text) can be."""

PYTHON_LANGS = frozenset({"python", "python3", "py"})
"""Languages pytest-markdown-docs runs."""

PYTEST_FLAGS = frozenset({"notest", "continuation"})
PYTEST_PREFIXES = ("fixture:", "runner:", "retry:")
"""pytest-markdown-docs options written as bare words in a python block's braces
(`{.python notest}`, `{.python continuation fixture:tmp_path}`)."""

BOOLEAN_ATTRIBUTES = frozenset({"hidden", "cleanup"})

ATTRIBUTES: Mapping[str, str] = MappingProxyType(
    {
        "id": "stable block id, written #id",
        "target": "where the block runs: debian, mysql, postgres or a configured target",
        "expect": "expected exit status of a shell block (default 0)",
        "timeout": "seconds before the block is interrupted",
        "skip": "never executed; the quoted reason is shown to readers",
        "session": "name of the shell session (several shells in one runbook)",
        "file": "absolute path the block is written to in the target",
        "schema": "JSON Schema (in the schemas directory) the block must satisfy",
        "hidden": "set-up block: run, but not shown on the site (true/false)",
        "user": "run the block as this user",
        "cleanup": "run even after an earlier block failed (true/false)",
        "status": "which status a shell block is judged by: every (each top-level command "
        "counts, the default) or last (only the last command's)",
        "mode": "octal mode of the file written by file=",
        "owner": "owner[:group] of the file written by file=",
        "title": "title shown above the block on the site",
        "check": "for file=: a command run in the target once the file is written (it must "
        'exit 0), e.g. check="nginx -t"',
        "danger": "a destructive step (deletes, drops, formats): readers confirm before copying it "
        'and play before running it; danger="what it destroys", danger=true, or danger=false '
        "(reviewed: not destructive here)",
        "linenums": "pymdownx.highlight line numbering",
        "hl_lines": "pymdownx.highlight highlighted lines",
    }
)
"""Every attribute a fence header may carry, with its meaning."""

HEADER_OPTIONS = frozenset({"title", "linenums", "hl_lines"})
"""Options superfences accepts outside braces (quoted)."""

HTML_DATA_PREFIX = "data-"
"""Attributes for the page's HTML (`data-prompt="$"`), kept on the block by SuperFences when
the site enables `attr_list`."""

SITE_PROMPT = "data-prompt"
"""The attribute a site's copy button reads to strip a block's prompt (`data-prompt="mysql>"`):
the block is a session typed at that prompt."""

COMMAND_LINE_ATTRIBUTES = frozenset({"user", "file", "mode", "owner"})
"""Attributes whose values reach a command line in the target: a block with an invalid one is
never run."""

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]*\Z")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
# Superfences' own header grammar (pymdownx/superfences.py, RE_NESTED_FENCE_START), reused so
# that a header the site would silently drop is reported here.
_HEADER = re.compile(
    r"""(?x)
    (?:[ \t]*\.?(?P<lang>[\w#.+-]+)(?=[\t ]|$))?
    (?:
        [ \t]*(\{(?P<attrs>[^\n]*)\}) |
        (?P<options>(?:(?:[ \t]*[a-zA-Z][a-zA-Z0-9_]*
            (?:=(?P<quot>"|').*?(?P=quot))?)(?=[\t ]|$))+) |
        (?P<unrecognized>(?:([ \t]*[^ \t]+)(?=[\t ]|$))+)
    )?[ \t]*$
    """
)
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
# Lines to highlight (VitePress, Docusaurus: ```bash {4,8-10}), not attributes.
_LINE_RANGES = r"\s*\d+(?:\s*-\s*\d+)?(?:\s*,\s*\d+(?:\s*-\s*\d+)?)*\s*\Z"
# VitePress' line-number switch glued to the language: ```ts:line-numbers=5, ```sh:no-line-numbers.
_LINE_NUMBERS = lazy(r":(?:no-)?line-numbers(?:=\d+)?\Z")
_MYST_DIRECTIVE = re.compile(r"\s*\{([A-Za-z][\w:-]*)\}(?=\s|$)")
_PLACEHOLDER_WORD = lazy(r"\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}")
OWNER = lazy(r"[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?")
"""`owner=` once filled in: user or user:group."""
_OPTION = r"""(?P<key>[a-zA-Z][a-zA-Z0-9_]*)(?:=(?P<quot>"|')(?P<value>.*?)(?P=quot))?"""


class HeaderProblem(NamedTuple):
    """Something wrong in a fence header, at a column of the header line."""

    col: int
    message: str
    code: str = codes.ATTRIBUTE_VALUE.id
    """The finding code (`runbookdocs.codes`)."""
    key: str | None = None
    """The attribute whose value is wrong, when the problem is one value."""


class Header(NamedTuple):
    """A parsed fence header: language, attributes as written, and what is wrong with it."""

    lang: str
    attrs: Mapping[str, str]
    classes: tuple[str, ...] = ()
    problems: tuple[HeaderProblem, ...] = ()
    flags: tuple[str, ...] = ()
    """Bare words kept for another tool (pytest-markdown-docs' `notest`, `fixture:x`)."""


def suggest(name: str, known: list[str] | frozenset[str] | Mapping[str, object]) -> str:
    """`" (did you mean 'x'?)"` for the closest known name, or an empty string."""
    import difflib  # only when a name is wrong: not on every start-up (the site's build)

    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


@functools.lru_cache(maxsize=4096)
def parse_header(
    info: str,
    *,
    info_col: int = 4,
    commonmark: bool = False,
    legacy_tabs: bool = False,
    html_attributes: bool = False,
) -> Header:
    """Parse the info string of a fence (what follows the backticks); a `Header` is immutable,
    so headers written the same way (most of them) are parsed once.

    Args:
        info: the text after the opening backticks or tildes.
        info_col: 1-based column where `info` starts on its line, for problem columns.
        commonmark: read it the CommonMark way (dialects commonmark, github, hugo): the first
            word is the language and words after it are the renderer's, not errors. Braces
            are runbookdocs attributes in every dialect.
        legacy_tabs: the site's SuperFences predates 8.0, where `tab="Label"` after the
            language makes the fence a content tab (see `Dialect.legacy_tabs`).
        html_attributes: the site enables `attr_list` (see `Dialect.attr_list`): a `data-*`
            attribute in braces is an HTML attribute SuperFences puts on the rendered block
            (a site's script reads it, e.g. `data-prompt`), not an unknown runbookdocs one.
            No runbookdocs attribute starts with `data-`, so none can be mistyped as one.
    """
    header = _parse_header(info, info_col, commonmark, legacy_tabs, html_attributes)
    if not header.lang and header.classes:
        # `{ .sh }`: superfences (and Pandoc) take the first class as the language.
        first, *rest = header.classes
        header = Header(first.lower(), header.attrs, tuple(rest), header.problems, header.flags)
    if header.flags and header.lang not in PYTHON_LANGS:
        words = ", ".join(header.flags)
        problem = HeaderProblem(
            info_col,
            f"{words}: pytest-markdown-docs options are for python blocks, not "
            f"{header.lang or 'untagged'!r} blocks",
            codes.ATTRIBUTE_VALUE.id,
        )
        header = Header(header.lang, header.attrs, header.classes, (*header.problems, problem))
    return header


def _parse_header(
    info: str,
    info_col: int,
    commonmark: bool,
    legacy_tabs: bool = False,
    html_attributes: bool = False,
) -> Header:
    problems: list[HeaderProblem] = []
    attrs: dict[str, str] = {}
    classes: list[str] = []
    flags: list[str] = []
    m = _HEADER.match(info)
    # The last alternative matches any text: words are split at spaces and tabs only, as
    # fences split them (a no-break space is part of a word: `~~~\u00a0text`, blind round 26).
    if m is None:  # pragma: no cover
        return Header("", {}, (), (HeaderProblem(info_col, "unreadable fence header"),))
    lang = (m.group("lang") or "").lower()
    directive = _MYST_DIRECTIVE.match(info)
    if commonmark and directive and directive.group(1) not in ATTRIBUTES:
        # ```{note} / ```{toctree}: a MyST (Sphinx, Jupyter Book) directive, not attributes.
        return Header("", {})
    if commonmark and m.group("attrs") is not None and re.match(_LINE_RANGES, m.group("attrs")):
        return Header(lang, {})  # the renderer's lines to highlight
    if commonmark and m.group("attrs") is None:
        words = info.split()
        return Header(_first_word_lang(words[0] if words else ""), {})
    if m.group("unrecognized") is not None or (m.group("attrs") is None and "{" in info):
        col = info_col + (m.start("unrecognized") if m.group("unrecognized") else 0)
        rest = (m.group("unrecognized") or "").strip()
        braced = f"{{{rest}}}" if rest and "{" not in rest else "{key=value ...}"
        problems.append(
            HeaderProblem(
                col,
                f"fence header {info.strip()!r} is not understood by pymdownx.superfences: "
                "the site would render it as inline text and may swallow what follows; "
                f"write ```{lang or 'bash'} {braced}",
                codes.HEADER_DROPPED.id,
            )
        )
    elif m.group("options") is not None:
        for om in re.finditer(_OPTION, m.group("options")):
            key, value = om.group("key"), om.group("value")
            col = info_col + m.start("options") + om.start()
            if key == "tab" and value is not None and legacy_tabs:
                continue  # the content tab's label, for SuperFences before 8.0
            if key == "tab" and value is not None:
                problems.append(
                    HeaderProblem(
                        col,
                        "'tab' after the language: pymdownx.superfences renders it as a content "
                        "tab only before pymdown-extensions 8.0 and drops this fence from 8.0 "
                        f'on; write === "{value}" (pymdownx.tabbed) around ```{lang or "bash"}, '
                        "or pin pymdown-extensions<8 in the requirements next to mkdocs.yml",
                        codes.HEADER_DROPPED.id,
                    )
                )
            elif key not in HEADER_OPTIONS or value is None:
                fix = f"{{{key}=...}}" if value is not None or key in ATTRIBUTES else "alone"
                problems.append(
                    HeaderProblem(
                        col,
                        f"{key!r} after the language: pymdownx.superfences drops this fence "
                        f"and renders it as text; write ```{lang or 'bash'} {fix}",
                        codes.HEADER_DROPPED.id,
                    )
                )
            else:
                attrs[key] = value
    elif m.group("attrs") is not None:
        base = info_col + m.start("attrs")
        raw = m.group("attrs")
        pairs, remainder = get_attrs_and_remainder(raw)
        # A `}` inside a quoted value (`file="/etc/{{ site }}.conf"`) is the value's own.
        if remainder or "}" in _QUOTED.sub("", raw):
            quote = (
                ': quote a value that holds a placeholder, file="/etc/{{ name }}.conf"'
                if "{{" in raw
                else ""
            )
            problems.append(
                HeaderProblem(base, f"unbalanced braces in attributes {{{raw}}}{quote}")
            )
        for key, value in pairs:
            col = base + max(raw.find(key), 0)
            if key == ".":
                classes.append(value or "")
            elif value is None and (key in PYTEST_FLAGS or key.startswith(PYTEST_PREFIXES)):
                flags.append(key)
            elif value is None:
                if key in BOOLEAN_ATTRIBUTES:
                    hint = f"write {key}=true"
                elif key in ATTRIBUTES:
                    hint = f"write {key}=VALUE"
                else:
                    hint = 'quote values that contain spaces: key="two words"'
                problems.append(HeaderProblem(col, f"attribute {key!r} has no value; {hint}"))
            elif key in attrs:
                problems.append(HeaderProblem(col, f"attribute {key!r} is given twice"))
            else:
                attrs[key] = value
    for key in attrs:
        if html_attributes and key.startswith(HTML_DATA_PREFIX):
            continue
        if key not in ATTRIBUTES:
            col = info_col + max(info.find(key + "="), 0)
            problems.append(
                HeaderProblem(
                    col,
                    f"unknown attribute {key!r}{suggest(key, ATTRIBUTES)}",
                    codes.UNKNOWN_ATTRIBUTE.id,
                )
            )
    problems.extend(_check_values(attrs, info_col))
    return Header(lang, MappingProxyType(attrs), tuple(classes), tuple(problems), tuple(flags))


def _first_word_lang(word: str) -> str:
    """The language in the first word of a CommonMark info string, without what a renderer
    glues to it: VitePress' `ts:line-numbers` and lines to highlight (`js{4}`)."""
    lang = _LINE_NUMBERS.sub("", word.lower().lstrip("."))
    name, brace, rest = lang.partition("{")
    if brace and name and re.match(_LINE_RANGES, rest.removesuffix("}")) and rest.endswith("}"):
        return _LINE_NUMBERS.sub("", name)
    return "" if brace else lang


def _check_values(attrs: Mapping[str, str], col: int) -> list[HeaderProblem]:
    out: list[HeaderProblem] = []

    def bad(msg: str, key: str) -> None:
        out.append(HeaderProblem(col, msg, key=key))

    if "id" in attrs and not _ID.match(attrs["id"]):
        bad(
            f"block id {attrs['id']!r}: use letters, digits, '-', '_' (starting with a letter)",
            "id",
        )
    for key in ("target", "session", "schema", "user"):
        if key in attrs and not _NAME.match(attrs[key]):
            bad(f"{key}={attrs[key]!r} is not a valid name (letters, digits, '_', '-', '.')", key)
    if "expect" in attrs and not (attrs["expect"].isdigit() and int(attrs["expect"]) <= 255):
        bad(f"expect={attrs['expect']!r}: an exit status from 0 to 255", "expect")
    if "timeout" in attrs:
        try:
            ok = 0 < float(attrs["timeout"]) <= 86400
        except ValueError:
            ok = False
        if not ok:
            bad(f"timeout={attrs['timeout']!r}: a number of seconds, more than 0", "timeout")
    for key in BOOLEAN_ATTRIBUTES:
        if key in attrs and attrs[key] not in ("true", "false"):
            bad(f"{key}={attrs[key]!r}: write {key}=true or {key}=false", key)
    if "status" in attrs and attrs["status"] not in ("every", "last"):
        bad(f"status={attrs['status']!r}: write status=every or status=last", "status")
    if "danger" in attrs and not attrs["danger"].strip():
        bad(
            'danger needs the consequence readers confirm: danger="drops the orders table"',
            "danger",
        )
    if "skip" in attrs and not attrs["skip"].strip():
        bad('skip needs a reason readers will see: skip="no access to production"', "skip")
    # A placeholder may give the start of the path: judged once filled in (structure checks).
    if "file" in attrs and not attrs["file"].startswith(("/", "{{")):
        bad(f"file={attrs['file']!r}: an absolute path in the target", "file")
    if "mode" in attrs and not re.fullmatch(r"0?[0-7]{3,4}", attrs["mode"]):
        bad(f"mode={attrs['mode']!r}: an octal mode such as 0644", "mode")
    if "owner" in attrs and not OWNER.fullmatch(_PLACEHOLDER_WORD.sub("x", attrs["owner"])):
        bad(f"owner={attrs['owner']!r}: user or user:group", "owner")
    return out


class Answer(NamedTuple):
    """A reply typed at an interactive prompt (from a `runbook: answer` directive)."""

    prompt: str
    """Regular expression matched against the command's output."""
    value: str
    """What to type; may hold `{{ name }}` placeholders (variables or secrets)."""


COUNTER_EXAMPLE_CODES = frozenset(
    {
        codes.INVALID_JSON.id,
        codes.INVALID_YAML.id,
        codes.INVALID_INI.id,
        codes.INVALID_TOML.id,
        codes.DUPLICATE_KEY.id,
        codes.SCHEMA_VIOLATION.id,
        codes.YAML_ALTERNATIVES.id,
        codes.SHELL_SYNTAX.id,
        codes.SHELLCHECK.id,
        codes.PYTHON_SYNTAX.id,
        codes.SQL_SYNTAX.id,
        codes.SQL_UNPARSED.id,
    }
)
"""Codes that say a block's content is wrong: not reported on a block the page shows as a
counter-example (`Block.counter_example`), which is wrong on purpose. Its header, its links
and its placeholders are still checked."""


def counter_example_reason(mark: str) -> str:
    """The skip reason of a block the page shows as a counter-example (`mark`: the page's
    words that say so): running what the page warns against would do the harm it warns of."""
    return f"shown as a counter-example: {mark}"


class NotRun(NamedTuple):
    """Why a block is not executed: decide on `reason`, show `str()`."""

    reason: Literal[
        "skipped", "counter-example", "config-only", "decision-tree", "python", "language"
    ]
    detail: str = ""
    """The `skip=` reason, the page's words that mark a counter-example, or the language."""

    def __str__(self) -> str:
        if self.reason == "skipped":
            return f"skipped: {self.detail}"
        if self.reason == "counter-example":
            return f"skipped: {counter_example_reason(self.detail)}"
        if self.reason == "config-only":
            return "configuration block: validated only (no file=)"
        if self.reason == "decision-tree":
            return "decision tree: validated only"
        if self.reason == "python":
            return "python: syntax checked; run by pytest-markdown-docs (pytest --markdown-docs)"
        return f"language {self.detail or '(none)'!r} is not checked or run{near_kind(self.detail)}"


_NEIGHBOURS_TEXT = "zsh ksh csh tcsh fish dash ash json5 python2 tsql plsql sqlite sparql yang"
_NEIGHBOURS = frozenset(_NEIGHBOURS_TEXT.split())
"""Languages of their own whose names are one letter away from a checked one's."""


def near_kind(lang: str) -> str:
    """` (did you mean 'shell'?)` when an unchecked language is a typo of a checked one
    (```` ```shel ````, ```` ```8sh ````), else nothing."""
    import difflib

    if not lang or lang.lower() in _NEIGHBOURS:
        return ""
    near = difflib.get_close_matches(lang.lower(), list(KINDS), n=1, cutoff=0.75)
    return f" (did you mean {near[0]!r}?)" if near else ""


def danger_of(attrs: Mapping[str, str]) -> str | None:
    """What a block marked `danger=` destroys: the attribute's text, `"true"` when the page
    gives none; None when it is not marked, or marked `danger=false` (reviewed: harmless)."""
    value = (attrs.get("danger") or "").strip()
    if not value or value.lower() == "false":
        return None
    return value


@dataclass(frozen=True)
class Block:
    """One fenced code block of a runbook, as the reader sees it on the page.

    `str(block)` is `path:line` of the opening fence and doubles as the pytest id.
    """

    path: str
    """The runbook that contains the block."""
    line: int
    """Page line of the opening fence."""
    end_line: int
    """Page line of the closing fence (or the last line, for a fence never closed)."""
    lang: str
    """Fence language as written, lowercased (`bash`, `console`, `json`, ...)."""
    info: str
    """The raw info string after the backticks."""
    source: str
    """The content, with `--8<--` includes expanded and container indentation removed."""
    source_lines: tuple[int, ...]
    """Page line of each source line (an included line maps to its `--8<--` line)."""
    origins: tuple[Location | None, ...] = ()
    """For each source line that came from a snippet, where it is in the snippet file."""
    attrs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Attributes as written in the header."""
    classes: tuple[str, ...] = ()
    """`.class` names from the header."""
    flags: tuple[str, ...] = ()
    """pytest-markdown-docs options of a python block (`notest`, `fixture:x`...)."""
    default_target: str | None = None
    """The runbook's `target` from front matter, used when the block names none."""
    skip_reason: str | None = None
    """Why the block is not run, from `skip=` or a `runbook: skip-next` directive, or because
    the page shows it as a counter-example (`counter_example`)."""
    answers: tuple[Answer, ...] = ()
    """Replies to interactive prompts, from `runbook: answer` directives."""
    indent: int = 0
    """Columns of container indentation (tabs, admonitions, lists) removed from each line."""
    allow: tuple[str, ...] = ()
    """Finding codes not reported for this block (`runbook: allow` directives)."""
    counter_example: str | None = None
    """The page's words that show the block as a mistake on purpose (a caption, a heading, a
    title or a comment, `runbookdocs.extract.counterexamples`), or None. Such a block is not
    judged valid or invalid (`COUNTER_EXAMPLE_CODES`), and not run."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def kind(self) -> str:
        """`shell`, `console`, `sql`, `json`, `yaml`, `ini`, `toml`, `decision-tree` or `other`."""
        return KINDS.get(self.lang, "other")

    @property
    def id(self) -> str | None:
        """The stable block id (`#id`), if any."""
        return self.attrs.get("id")

    @property
    def target(self) -> str | None:
        """Where the block runs: its `target=`, else the runbook's default target."""
        return self.attrs.get("target", self.default_target)

    @property
    def run_target(self) -> str:
        """The target the block runs in: `target`, or `DEFAULT_TARGET`."""
        return self.target or DEFAULT_TARGET

    @property
    def expect(self) -> int:
        """Expected exit status."""
        value = self.attrs.get("expect", "0")
        return int(value) if value.isdigit() else 0

    @property
    def timeout(self) -> float | None:
        """Seconds before the block is interrupted (None: the configured default)."""
        try:
            return float(self.attrs["timeout"]) if "timeout" in self.attrs else None
        except ValueError:
            return None

    @property
    def session(self) -> str:
        """Name of the shell session the block runs in."""
        return self.attrs.get("session", "main")

    @property
    def file(self) -> str | None:
        """Absolute path the block is written to in its target."""
        return self.attrs.get("file")

    @property
    def schema(self) -> str | None:
        """Name of the JSON Schema the block must satisfy."""
        return self.attrs.get("schema")

    @property
    def hidden(self) -> bool:
        """Set-up block: run but not shown on the site."""
        return self.attrs.get("hidden") == "true"

    @property
    def cleanup(self) -> bool:
        """Runs even after an earlier block of the runbook failed."""
        return self.attrs.get("cleanup") == "true"

    @property
    def danger(self) -> str | None:
        """What a destructive step destroys (`danger=`): its text, `"true"` when the page gives
        none; None when the block is not marked (or is marked `danger=false`)."""
        return danger_of(self.attrs)

    @property
    def user(self) -> str | None:
        """User the block runs as."""
        return self.attrs.get("user")

    @property
    def location(self) -> Location:
        """Where the opening fence is."""
        return Location(self.path, self.line, 1 + self.indent)

    @property
    def executable(self) -> bool:
        """True when the block is a step `run` and `play` carry out in a target (a shell,
        console or SQL block, or any block with `file=` that is written there), whatever
        `skip=` says.

        The one rule for "is this a step": the engine, `play`, the pytest plugin and the
        site's badges and counts all ask it.
        """
        return self.kind in RUNNABLE_KINDS or (
            bool(self.file) and self.kind not in NOT_WRITABLE_KINDS
        )

    @property
    def writes_file(self) -> bool:
        """True when the block is written into its target (`file=`) instead of being run."""
        return bool(self.file) and self.kind not in NOT_WRITABLE_KINDS

    @property
    def runner(self) -> str:
        """The name of the runner that carries the block out: `file` for a block written with
        `file=` (a script or a SQL file too), else its kind."""
        return "file" if self.writes_file else self.kind

    @property
    def runnable(self) -> bool:
        """True when `runbookdocs run` executes this block (an executable block not skipped)."""
        return self.not_run() is None

    def not_run(self) -> NotRun | None:
        """Why this block is not executed, or None when it is."""
        if self.skip_reason is not None:
            mark = self.counter_example
            if mark is not None and self.skip_reason == counter_example_reason(mark):
                return NotRun("counter-example", mark)
            return NotRun("skipped", self.skip_reason)
        if self.executable:
            return None
        if self.kind in CONFIG_KINDS:
            return NotRun("config-only", self.lang)
        if self.kind == "decision-tree":
            return NotRun("decision-tree", self.lang)
        if self.kind == "python":
            return NotRun("python", self.lang)
        return NotRun("language", self.lang)

    def why_not_run(self) -> str | None:
        """`not_run()` as English text, or None when the block is executed."""
        reason = self.not_run()
        return None if reason is None else str(reason)

    def locate(self, index: int, col: int = 1) -> Location:
        """Page location of line `index` (0-based) of `source`, column `col` of that line."""
        if not self.source_lines:
            return Location(self.path, self.line + 1, col + self.indent)
        index = min(max(index, 0), len(self.source_lines) - 1)
        return Location(self.path, self.source_lines[index], col + self.indent)

    def origin(self, index: int) -> Location | None:
        """Where line `index` of `source` comes from when it was included from a snippet."""
        if 0 <= index < len(self.origins):
            return self.origins[index]
        return None
