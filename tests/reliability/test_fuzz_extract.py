"""Fuzzing the extractor, the fence-header parser and front matter: zero unhandled exceptions.

Each test states how many inputs it generates (hypothesis `max_examples`); the figures are
recorded by `conftest.py` for the "Garanties" page.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runbookdocs.block import parse_header
from runbookdocs.config import load_config
from runbookdocs.document import parse_document
from runbookdocs.extract.frontmatter import parse_front_matter
from tests.reliability.figures import fuzzed

CONFIG = load_config(start=Path(__file__).parent)

FRAGMENTS = [
    "```",
    "````",
    "~~~",
    "```bash",
    "```bash {#id target=debian}",
    "```json {file=/etc/x}",
    "```console",
    "```decision-tree",
    "```shell script",
    "```bash {",
    "}",
    "{#",
    "#x",
    '=== "Debian"',
    "!!! warning",
    "    ",
    "\t",
    "> ",
    "* ",
    "1. ",
    "---",
    "runbook:",
    "  target: x",
    "  variables:",
    "    a: 1",
    "<!--",
    "-->",
    "<!-- runbook: skip-next -->",
    '<!-- runbook: answer prompt="(" value="x" -->',
    '--8<-- "snippets/none.json"',
    '--8<-- "x:1:2"',
    "--8<--",
    ";--8<--",
    "{{ name }}",
    "$ echo hi",
    "# root",
    "...",
    "x (re)",
    "[1]",
    "\x00",
    "\ufffd",
    "\r",
    "\u200b",
    "é",
    "`",
    '"',
    "'",
    "=",
    "\\",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60
).map(lambda parts: "".join(p + ("\n" if i % 3 == 0 else "") for i, p in enumerate(parts)))


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(markdownish)
def test_extractor_never_raises(text: str) -> None:
    fuzzed("extractor (hypothesis)")
    doc = parse_document(text, path="docs/f.md", file=Path("docs/f.md"), config=CONFIG)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 2
    for block in doc.blocks:
        assert 1 <= block.line <= lines
        assert block.line <= block.end_line
        assert all(1 <= n <= lines for n in block.source_lines)
        block.why_not_run()
    for finding in doc.findings:
        assert finding.location.line >= 1 and finding.render()


@settings(max_examples=1500, deadline=None)
@given(st.text(max_size=80))
def test_header_parser_never_raises(info: str) -> None:
    fuzzed("fence header (hypothesis)")
    header = parse_header(info)
    for problem in header.problems:
        assert problem.col >= 1 and problem.message


@settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "runbook:",
                    "  target: ",
                    "  reviewed: ",
                    "2026-13-45",
                    "  variables:",
                    "    - a",
                    "    a: {b: 1}",
                    "  secrets: [x, y]",
                    "  timeout: -1",
                    "&a",
                    "*a",
                    "!!python/name:os.system",
                    "? ",
                    ": ",
                    "[",
                    "{",
                    "  ",
                    "\t",
                    "x: 1",
                    "x: 2",
                    "%YAML 1.2",
                    "---",
                    "...",
                ]
            ),
            st.text(max_size=10),
        ),
        max_size=20,
    )
)
def test_front_matter_never_raises(parts: list[str]) -> None:
    fuzzed("front matter (hypothesis)")
    lines = ["---", *"".join(p + "\n" for p in parts).split("\n"), "---"]
    front, findings = parse_front_matter(lines, "docs/f.md")
    # The front matter closes at the first '---' after the opening one.
    closing = next(
        i for i in range(1, len(lines)) if re.match(r"---[ \t]*$", lines[i]) or lines[i] == "..."
    )
    assert front.end_line in (0, closing + 1)
    for finding in findings:
        assert finding.location.line >= 1
