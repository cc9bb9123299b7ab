"""Console transcripts: parsing, matching, diff and the `--update` rewrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbookdocs.config import load_config
from runbookdocs.document import parse_document
from runbookdocs.transcript import (
    align,
    diff,
    escape,
    match,
    normalise,
    parse,
    regex_error,
    rewrite,
    updated_expected,
)


def test_parse_commands_output_and_exit() -> None:
    t = parse("intro\n$ echo hi\nhi\n\n$ false\n[1]\n# for i in 1 2\n> do echo $i\n> done\n1\n2\n")
    assert [c.text for c in t.commands] == ["echo hi", "false", "for i in 1 2\ndo echo $i\ndone"]
    assert [c.line_index for c in t.commands] == [1, 4, 6]
    assert t.commands[0].expected == ["hi"]
    assert t.commands[0].output_end == 3  # the blank line before the next command is not output
    assert (t.commands[1].expected, t.commands[1].exit) == ([], 1)
    assert t.commands[2].prompt == "#"
    assert t.commands[2].expected == ["1", "2"]
    assert t.preamble == [0]


def test_exit_line_only_when_last() -> None:
    (cmd,) = parse("$ x\n[2]\nmore\n").commands
    assert cmd.expected == ["[2]", "more"]
    assert cmd.exit == 0


@pytest.mark.parametrize(
    ("expected", "actual", "ok"),
    [
        (["a", "b"], ["a", "b"], True),
        (["a", "b"], ["a", "c"], False),
        (["a", "..."], ["a"], True),
        (["a", "...", "z"], ["a", "b", "c", "z"], True),
        (["...", "z"], ["z", "z", "z"], True),
        (["...", "z"], ["z", "y"], False),
        ([r"\d+ files (re)"], ["12 files"], True),
        ([r"\d+ files (re)"], ["12 files!"], False),
        (["[bad (re)"], ["[bad"], False),
        (["a  "], ["a", "", ""], True),
        ([], [], True),
        ([], ["x"], False),
        (["...", "b", "...", "d"], ["a", "b", "c", "d"], True),
    ],
)
def test_match(expected: list[str], actual: list[str], ok: bool) -> None:
    assert match(expected, actual) is ok


def test_normalise_keeps_text() -> None:
    raw = "\x1b[1;31mred\x1b[0m  \r\nbar 10%\rbar 100%\r\n\x1b]0;title\x07done\n\n"
    assert normalise(raw) == ["red", "bar 10%", "bar 100%", "done"]


def test_regex_error() -> None:
    assert regex_error("[x (re)")
    assert regex_error("x (re)") is None
    assert regex_error("[x") is None


def test_align_and_update_keep_wildcards() -> None:
    expected = ["header", "...", r"total \d+ (re)", "old"]
    actual = ["header", "x", "y", "total 42", "new"]
    assert updated_expected(expected, actual) == ["header", "...", r"total \d+ (re)", "new"]
    assert updated_expected(expected, actual, 3)[-1] == "[3]"
    pairs = align(expected, actual)
    assert (None, "new") in pairs and ("old", None) in pairs


def test_update_escapes_syntax_lines() -> None:
    assert updated_expected([], ["# comment", "...", "[1]"]) == [
        r"\#\ comment (re)",
        r"\.\.\. (re)",
        r"\[1\] (re)",
    ]
    assert escape("> quoted", first=True) == r">\ quoted (re)"
    assert match([escape("# c")], ["# c"])


def test_update_keeps_an_output_line_that_read_back_would_be_a_prompt(tmp_path: Path) -> None:
    """`$<tab>` is output on the page, read as `$` (trailing blanks go): written back as it was
    read, it would become a prompt and a command of its own (found by the fuzz tests)."""
    doc = _page(tmp_path, "```console\n$ ls\n$ ls\n$\t\n```\n")
    (block,) = doc.blocks
    commands = parse(block).commands
    assert [c.expected for c in commands] == [[], ["$"]]
    lines = {k: updated_expected(c.expected, ["$"] if k else []) for k, c in enumerate(commands)}
    assert lines[1] == [r"\$ (re)"]
    (block2,) = _page(tmp_path, rewrite(doc.text, block, lines)).blocks
    assert [c.text for c in parse(block2).commands] == ["ls", "ls"]
    assert match(parse(block2).commands[1].expected, ["$"])


def test_diff_shows_only_real_changes() -> None:
    text = diff(["a", "...", "z"], ["a", "b", "c", "y"], exit=1, expected_exit=0)
    assert "-z" in text and "+y" in text and "+[1]" in text
    assert "+b" not in text  # absorbed by `...`


def _page(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    config = load_config(start=tmp_path)
    file = tmp_path / "p.md"
    file.write_bytes(text.encode())
    return parse_document(text, path="p.md", file=file, config=config)


def test_rewrite_changes_only_the_failing_lines(tmp_path: Path) -> None:
    page = (
        "---\ntitle: t\n---\r\n# Title\r\n\r\n!!! note\r\n    ```console\r\n"
        "    $ ls\r\n    a\r\n    ...\r\n    old\r\n\r\n    $ date\r\n    .* (re)\r\n    ```\r\n"
        "after  \r\n"
    )
    doc = _page(tmp_path, page)
    (block,) = doc.blocks
    t = parse(block)
    new = updated_expected(t.commands[0].expected, ["a", "b", "new"], 2)
    out = rewrite(page, block, {0: new})
    assert out == page.replace("    old\r\n", "    new\r\n    [2]\r\n")


def test_rewrite_inserts_output_where_there_was_none(tmp_path: Path) -> None:
    page = "```console\n$ echo hi\n$ true\n```\n"
    (block,) = _page(tmp_path, page).blocks
    assert rewrite(page, block, {0: ["hi"], 1: []}) == "```console\n$ echo hi\nhi\n$ true\n```\n"
