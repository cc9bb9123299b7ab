"""One bad page never prevents the report of the others: a validator that raises on a page, or
a crash that kills a check worker, is a finding on that page; every other page is reported."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from runbookdocs.config import load_config
from runbookdocs.validate.engine import check_files
from runbookdocs.validate.registry import BLOCK_VALIDATORS, load_validators
from tests.helpers import make_project


def _raises(block, ctx):  # type: ignore[no-untyped-def]
    if "RAISE" in block.source:
        raise ValueError("a validator bug")
    if "CRASH" in block.source:
        os.kill(os.getpid(), signal.SIGSEGV)  # what a C extension's stack overflow does
    return []


@pytest.fixture
def faulty_validator() -> Iterator[None]:
    load_validators()
    BLOCK_VALIDATORS.setdefault("other", []).append(_raises)
    yield
    BLOCK_VALIDATORS["other"].remove(_raises)


def pages(tmp_path: Path, n: int, bad: str) -> Path:
    files = {f"docs/p{k:03}.md": f"# P{k}\n\n```text\nfine {k}\n```\n" for k in range(n)}
    files["docs/p007.md"] = f"# Bad\n\n```text\n{bad}\n```\n"
    return make_project(tmp_path, files)


def test_a_validator_that_raises_is_a_finding_on_its_page_only(
    tmp_path: Path, faulty_validator: None
) -> None:
    root = pages(tmp_path, 10, "RAISE")
    config = load_config(start=root)
    run = check_files(sorted((root / "docs").glob("*.md")), config)
    failing = [f for r in run.report.results for f in r.findings if f.code == "RBD903"]
    assert [str(f.location) for f in failing] == [f"{config.display(root / 'docs/p007.md')}:1:1"]
    assert "ValueError: a validator bug" in failing[0].message
    assert len({r.path for r in run.report.results}) == 10


def test_a_crashed_check_worker_costs_only_its_page(tmp_path: Path, faulty_validator: None) -> None:
    root = pages(tmp_path, 130, "CRASH")
    config = load_config(start=root)
    run = check_files(sorted((root / "docs").glob("*.md")), config, jobs=2)
    assert run.jobs == 2
    assert len({r.path for r in run.report.results}) == 130
    crashed = [f for r in run.report.results for f in r.findings if f.code == "RBD903"]
    assert len(crashed) == 1 and "crashed its process (signal 11)" in crashed[0].message
    assert crashed[0].location.path.endswith("p007.md")
