"""Fence headers: the brace grammar, and every header superfences would drop."""

from __future__ import annotations

import pytest

from runbookdocs.block import danger_of, parse_header


def test_brace_form() -> None:
    h = parse_header(' bash {#backup-db target=mysql expect=0 timeout=30 skip="no prod"}')
    assert h.lang == "bash"
    assert dict(h.attrs) == {
        "id": "backup-db",
        "target": "mysql",
        "expect": "0",
        "timeout": "30",
        "skip": "no prod",
    }
    assert h.problems == ()


@pytest.mark.parametrize(
    ("info", "message"),
    [
        ("shell script", "'script' after the language"),
        ("bash target=debian", "write ```bash {target=debian}"),
        ("bash {tagret=debian}", "unknown attribute 'tagret' (did you mean 'target'?)"),
        ("bash {skip=needs network}", "attribute 'network' has no value"),
        ("bash {hidden}", "attribute 'hidden' has no value; write hidden=true"),
        ("bash {expect=x}", "expect='x': an exit status"),
        ("bash {timeout=-1}", "timeout='-1'"),
        ("bash {file=etc/x}", "an absolute path"),
        ("bash {target=x target=y}", "given twice"),
        ("bash {#a} trailing", "not understood by pymdownx.superfences"),
        ('bash {target="debian; rm -rf /"}', "is not a valid name"),
        ("bash {hidden=yes}", "write hidden=true or hidden=false"),
        ('bash {skip=""}', "skip needs a reason"),
        ('sql {danger=" "}', "danger needs the consequence readers confirm"),
    ],
)
def test_bad_headers(info: str, message: str) -> None:
    problems = parse_header(info).problems
    assert any(message in p.message for p in problems), problems


def test_header_options_material_accepts() -> None:
    assert parse_header('bash title="backup.sh"').problems == ()


@pytest.mark.parametrize(
    ("info", "lang"),
    [
        ("bash {4,8-10}", "bash"),
        ("sh {1}", "sh"),
        ("js{1,4-6}", "js"),
        ("ts:line-numbers {1}", "ts"),
        ("sh:no-line-numbers", "sh"),
        ("js:line-numbers=2", "js"),
        ("sh [install.sh]", "sh"),
    ],
)
def test_line_highlights_are_the_renderer_s_outside_mkdocs(info: str, lang: str) -> None:
    """VitePress and Docusaurus write lines to highlight in braces and line numbers after a
    colon: no runbookdocs attribute, the language kept. On an MkDocs site (superfences) the
    braces are still runbookdocs attributes, and wrong ones."""
    header = parse_header(info, commonmark=True)
    assert (header.lang, dict(header.attrs), header.problems) == (lang, {}, ())
    assert parse_header("bash {4,8-10}").problems
    assert parse_header("bash {#a hidden=true}", commonmark=True).attrs == {
        "id": "a",
        "hidden": "true",
    }


def test_no_break_space_before_the_language() -> None:
    """Blind round 26: `~~~` then a no-break space then `text`. CommonMark trims only spaces
    and tabs around the info string, so the renderer still shows a block (the first word is
    the language for CommonMark readers); superfences does not take it: an MkDocs site drops
    the fence, which is said. The header is never "unreadable"."""
    header = parse_header("\u00a0text", commonmark=True)
    assert (header.lang, header.problems) == ("text", ())
    [problem] = parse_header("\u00a0text").problems
    assert "not understood by pymdownx.superfences" in problem.message
    assert "unreadable" not in problem.message


def test_unknown_attribute_column_points_at_it() -> None:
    [p] = parse_header("bash {#a bogus=1}", info_col=4).problems
    assert p.col == 4 + len("bash {#a ")


@pytest.mark.parametrize(
    ("attrs", "danger"),
    [
        ({"danger": "vide la table"}, "vide la table"),
        ({"danger": "true"}, "true"),
        ({"danger": "false"}, None),
        ({"danger": "False"}, None),
        ({}, None),
    ],
)
def test_danger_of(attrs: dict[str, str], danger: str | None) -> None:
    assert danger_of(attrs) == danger
