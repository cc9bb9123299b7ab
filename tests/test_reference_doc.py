"""The reference pages never drift from the code: their tables are generated from what runbookdocs
declares (configuration keys, targets, front matter, fence attributes, tree keys, the command line,
the pytest options), and what is written by hand names every language and directive there is."""

from __future__ import annotations

import argparse
import importlib.util
import re
from pathlib import Path

import pytest

from runbookdocs import config
from runbookdocs.block import ATTRIBUTES, KINDS
from runbookdocs.cli import commands
from runbookdocs.extract.directives import DIRECTIVES
from runbookdocs.extract.frontmatter import RUNBOOK_KEYS

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "docs" / "reference"
_spec = importlib.util.spec_from_file_location(
    "reference_doc", ROOT / "scripts" / "reference_doc.py"
)
assert _spec is not None and _spec.loader is not None
reference_doc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reference_doc)


def page(name: str) -> str:
    return (REFERENCE / name).read_text(encoding="utf-8")


def test_the_generated_tables_are_up_to_date() -> None:
    for path, text in reference_doc.render_all().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.name}: run python scripts/reference_doc.py"
        )


def test_every_key_attribute_and_command_is_in_the_pages() -> None:
    configuration, fmt, cli = page("configuration.md"), page("format.md"), page("cli.md")
    for key in config.KEYS:
        assert f"| `{key}` |" in configuration, key
    for key in config.TARGET_KEYS:
        assert f"| `{key}` |" in configuration, key
    for key in RUNBOOK_KEYS:
        assert f"| `{key}` |" in fmt, key
    for key in ATTRIBUTES:
        assert ("| `#id` |" if key == "id" else f"| `{key}=` |") in fmt, key
    for name in commands():
        assert f"## {name}\n" in cli, name
    for path, parser in reference_doc._parsers().items():
        assert not path or f"<!-- generated: cli {path} " in cli, path
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for option in action.option_strings:
                assert option in cli, (path, option)


def test_every_language_and_directive_is_documented() -> None:
    fmt = page("format.md")
    table = fmt.split("### Languages and kinds", 1)[1].split("\n## ", 1)[0]
    for lang in KINDS:
        assert f"`{lang}`" in table, lang
    for name, (_, allowed) in DIRECTIVES.items():
        assert f"<!-- runbook: {name} " in fmt, name
        for key in allowed:
            assert re.search(rf"runbook: {name} [^>]*\b{key}=", fmt), (name, key)


def test_a_region_that_names_nothing_is_refused() -> None:
    text = (
        "<!-- generated: no-such-table (python scripts/reference_doc.py) -->\n"
        "<!-- /generated: no-such-table -->\n"
    )
    with pytest.raises(KeyError, match="unknown generated region 'no-such-table'"):
        reference_doc.render_page(text, reference_doc.generators())


def test_defaults_are_shown_as_toml_or_in_words() -> None:
    assert reference_doc._split_default("seconds (default: 5)", 5) == ("seconds", "`5`")
    assert reference_doc._split_default("how (default: detected)", "") == ("how", "detected")
    assert reference_doc._split_default("codes (ids; default: RBD)", ()) == ("codes (ids)", "RBD")
    assert reference_doc._split_default("lint (default true)", True) == ("lint", "`true`")
    assert reference_doc._split_default("a limit", 60.0) == ("a limit", "`60`")
    assert reference_doc._split_default("an image", None) == ("an image", "none")


def test_no_reference_page_links_to_the_old_names() -> None:
    for md in (ROOT / "docs").rglob("*.md"):
        assert "cibles.md" not in md.read_text(encoding="utf-8"), md
