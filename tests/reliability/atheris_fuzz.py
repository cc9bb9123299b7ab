"""Coverage-guided fuzzing with atheris (libFuzzer): one target per parser.

    python tests/reliability/atheris_fuzz.py TARGET -runs=N [-max_len=4096] [libFuzzer options]

TARGET: extractor, header, frontmatter, tree or transcript. Any exception the target does not
turn into a finding ends the run with libFuzzer's crash report (exit status 1, the input saved
as `crash-*`). `test_atheris.py` runs each target for a bounded number of inputs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from runbookdocs import transcript
    from runbookdocs.block import parse_header
    from runbookdocs.config import load_config
    from runbookdocs.decision_tree import parse_tree_text
    from runbookdocs.document import parse_document
    from runbookdocs.extract.frontmatter import parse_front_matter

CONFIG = load_config(start=Path(__file__).parent)


def _text(data: bytes) -> str:
    text: str = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
    return text


def extractor(data: bytes) -> None:
    doc = parse_document(_text(data), path="docs/f.md", file=Path("docs/f.md"), config=CONFIG)
    for block in doc.blocks:
        block.why_not_run()
    for finding in doc.findings:
        finding.render()


def header(data: bytes) -> None:
    parse_header(_text(data))


def frontmatter(data: bytes) -> None:
    parse_front_matter(["---", *_text(data).split("\n"), "---"], "docs/f.md")


def tree(data: bytes) -> None:
    result, findings = parse_tree_text(_text(data), path="docs/t.md")
    for finding in findings:
        finding.render()
    if result is not None:
        result.to_dict()


def transcript_(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    source = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 2048))
    actual = transcript.normalise(fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes()))
    for cmd in transcript.parse(source).commands:
        transcript.match(cmd.expected, actual)
        transcript.diff(cmd.expected, actual, exit=1, expected_exit=cmd.exit)
        transcript.updated_expected(cmd.expected, actual, 0)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "extractor": extractor,
    "header": header,
    "frontmatter": frontmatter,
    "tree": tree,
    "transcript": transcript_,
}


def main() -> None:
    name = sys.argv[1]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
