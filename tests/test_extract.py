"""The extractor: fences in every container, line numbers, front matter, includes, directives."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbookdocs.config import load_config
from runbookdocs.document import parse_document, read_document
from tests.helpers import make_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"docs/.keep": "", "snippets/conf.json": '{\n  "a": 1\n}\n'})


def parse(project: Path, text: str):  # type: ignore[no-untyped-def]
    config = load_config(start=project)
    return parse_document(text, path="docs/p.md", file=project / "docs/p.md", config=config)


CONTAINERS = """\
# Page

!!! warning "Attention"
    ```bash {#in-admonition}
    echo admonition
    ```

=== "Debian"

    ```bash {#in-tab}
    echo tab
    ```

=== "Autre"

    !!! note
        ```bash {#nested}
        echo nested
        ```

* item

    ```bash {#in-list}
    echo list
    ```

> ```bash {#in-quote}
> echo quote
> ```

````markdown {#outer}
```bash
not a block
```
````
"""


def test_fences_in_every_container_with_page_lines(project: Path) -> None:
    doc = parse(project, CONTAINERS)
    found = {b.id: (b.line, b.source, b.source_lines) for b in doc.blocks}
    assert found == {
        "in-admonition": (4, "echo admonition", (5,)),
        "in-tab": (10, "echo tab", (11,)),
        "nested": (17, "echo nested", (18,)),
        "in-list": (23, "echo list", (24,)),
        "in-quote": (27, "echo quote", (28,)),
        "outer": (31, "```bash\nnot a block\n```", (32, 33, 34)),
    }
    assert doc.findings == ()


def test_markdown_it_misses_what_we_find(project: Path) -> None:
    """The reason for a prefix-aware lexer (FIELD_NOTES): markdown-it sees indented code."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt().parse(CONTAINERS)
    fences = [t for t in tokens if t.type == "fence"]
    assert len(fences) < len(parse(project, CONTAINERS).blocks)


def test_front_matter_lines_are_page_lines(project: Path) -> None:
    text = "---\ntitle: x\nrunbook:\n  target: mysql\n  tagret: x\n---\n\n```sql\nselect 1;\n```\n"
    doc = parse(project, text)
    assert [b.line for b in doc.blocks] == [8]
    assert doc.blocks[0].target == "mysql"
    [finding] = doc.findings
    assert (finding.location.line, finding.message) == (
        5,
        "unknown key 'runbook.tagret' (did you mean 'target'?)",
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\nrunbook: [1\n---\n", 2, "front matter"),
        ("---\nrunbook:\n  reviewed: yesterday\n---\n", 3, "must be a date"),
        ("---\na: 1\na: 2\n---\n", 3, 'duplicate key "a"'),
        ("---\ntitle: x\n", 1, "never closed"),
        ("---\nrunbook:\n  variables: [a]\n---\n", 3, "must be a mapping"),
    ],
)
def test_bad_front_matter(project: Path, text: str, line: int, message: str) -> None:
    doc = parse(project, text)
    assert [f.location.line for f in doc.findings] == [line]
    assert message in doc.findings[0].message


def test_unclosed_fence_top_level_and_in_container(project: Path) -> None:
    doc = parse(project, "a\n\n```bash\necho 1\n")
    assert [(f.location.line, "never closed" in f.message) for f in doc.findings] == [(3, True)]
    doc = parse(project, "!!! note\n    ```bash\n    echo 1\n\ntext after\n")
    [f] = doc.findings
    assert f.location.line == 2 and "container ends at line 5" in f.message
    assert doc.blocks[0].source == "echo 1\n"


def test_closing_fence_at_another_indentation_says_what_the_site_does(project: Path) -> None:
    """Superfences leaves the fence open: the message says the block swallows what follows
    only when something does."""
    at_end = parse(project, "# Page\n\n```bash\necho 1\n  ```\n")
    [f] = [f for f in at_end.findings if f.code == "RBD109"]
    assert f.location.line == 5
    assert "does not show it as a code block" in f.message and "swallows" not in f.message
    followed = parse(project, "# Page\n\n```bash\necho 1\n  ```\n\nMore text.\n")
    [f] = [f for f in followed.findings if f.code == "RBD109"]
    assert "swallows what follows" in f.message


def test_fence_indented_past_its_list_item_closes_at_its_own_column() -> None:
    """Blind round 7: 7 spaces under `- text` is no fence for CommonMark, and a closed block
    for superfences (closing fence at the opening's column): read the superfences way on an
    MkDocs page, with no phantom block at the closing fence; one left open is still open."""
    from runbookdocs.extract.fences import scan
    from runbookdocs.extract.snippets import Line

    item = "- Start it:\n       ```bash\n       echo one\n       ```\n- Then:\n\n"
    text = item + "       ```bash\n       echo two\n       ```\n- Last:\n       ```bash\n"
    lines = [Line(t, n, None) for n, t in enumerate(text.split("\n"), start=1)]
    fences, _ = scan(lines, superfences=True)
    found = [(f.open_index + 1, f.closed, [ln.text for ln in f.content]) for f in fences]
    assert found == [(2, True, ["echo one"]), (7, True, ["echo two"]), (11, False, [""])]
    # CommonMark: neither a fence nor closed; the first one found is reported never closed.
    assert not scan(lines)[0][0].closed


def test_includes_are_expanded_with_origins(project: Path) -> None:
    doc = parse(project, 'x\n\n```json {#c}\n--8<-- "snippets/conf.json"\n```\n')
    [block] = doc.blocks
    assert block.source == '{\n  "a": 1\n}'
    assert block.source_lines == (4, 4, 4)
    assert [str(o) for o in block.origins] == [
        "snippets/conf.json:1:1",
        "snippets/conf.json:2:1",
        "snippets/conf.json:3:1",
    ]


def test_include_line_range_and_missing_include(project: Path) -> None:
    doc = parse(project, '```json\n--8<-- "snippets/conf.json:2:2"\n```\n--8<-- "nope.txt"\n')
    assert doc.blocks[0].source == '  "a": 1'
    [f] = doc.findings
    assert (f.location.line, f.message) == (4, "included file 'nope.txt' does not exist")


def test_escaped_include_is_literal(project: Path) -> None:
    doc = parse(project, '```text\n;--8<-- "snippets/conf.json"\n```\n')
    assert doc.blocks[0].source == '--8<-- "snippets/conf.json"'


def test_directives_apply_to_next_block(project: Path) -> None:
    text = (
        '<!-- runbook: skip-next reason="needs production" -->\n'
        "```bash\nrm -rf /srv\n```\n"
        '<!-- runbook: answer prompt="Password:" value="{{ DB_PASSWORD }}" -->\n'
        "```bash\nmysql -p\n```\n"
        '<!-- runbook: ignore-next reason="shows an error on purpose" -->\n'
        "```json\n{bad\n```\n"
        "<!-- runbook: skpi-next -->\n"
    )
    doc = parse(project, text)
    assert [b.skip_reason for b in doc.blocks] == ["needs production", None]
    assert doc.blocks[1].answers[0].prompt == "Password:"
    assert [f.message for f in doc.findings] == [
        "unknown runbook directive 'skpi-next' (did you mean 'skip-next'?)"
    ]


def test_fences_inside_html_comments_are_not_blocks(project: Path) -> None:
    doc = parse(project, "<!--\n```bash\necho hidden\n```\n-->\n")
    assert doc.blocks == ()


def test_duplicate_block_ids(project: Path) -> None:
    doc = parse(project, "```bash {#a}\n1\n```\n\n```bash {#a}\n2\n```\n")
    [f] = doc.findings
    assert (f.location.line, f.message) == (5, "block id #a is already used at line 1")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe bad", "not valid UTF-8"),
        (b"abc\x00def", "binary file"),
        (b"", None),
        (b"\xef\xbb\xbf# BOM\r\n\r\n```bash\r\necho\r\n```\r\n", None),
    ],
)
def test_unreadable_files_are_findings(project: Path, content: bytes, message: str | None) -> None:
    path = project / "docs" / "x.md"
    path.write_bytes(content)
    doc = read_document(path, load_config(start=project))
    if message is None:
        assert doc.findings == ()
    else:
        assert message in doc.findings[0].message
