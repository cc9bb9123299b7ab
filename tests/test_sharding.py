"""`runbookdocs run --shard K/N`: the shards of a knowledge base are disjoint and complete."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PAGE = """\
---
runbook:
  target: debian
---
# Page {n}

```bash {{#marque}}
echo "page {n}"
```
"""


def _runbookdocs(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1"},
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "runbookdocs.toml").write_text('docs_dir = "docs"\n', encoding="utf-8")
    for n in range(7):
        page = tmp_path / "docs" / f"section-{n % 3}" / f"page-{n}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.format(n=n), encoding="utf-8")
    return tmp_path


def _pages(project: Path) -> set[str]:
    proc = _runbookdocs(project, "list", "--json")
    assert proc.returncode == 0, proc.stderr
    return {json.loads(line)["location"].rsplit(":", 1)[0] for line in proc.stdout.splitlines()}


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_select_shard_is_disjoint_and_complete(n: int) -> None:
    engine = pytest.importorskip("runbookdocs.run.engine")
    paths = [f"docs/s{i % 7}/page-{i}.md" for i in range(200)]
    shards = [engine.select_shard(paths, (k, n)) for k in range(1, n + 1)]
    assert set().union(*shards) == set(paths)
    assert sum(len(s) for s in shards) == len(paths)
    if n > 1:  # and roughly balanced: no shard holds more than twice its share
        assert max(len(s) for s in shards) < 2 * len(paths) / n


def test_select_shard_is_stable_when_pages_are_added() -> None:
    engine = pytest.importorskip("runbookdocs.run.engine")
    paths = [f"docs/page-{i}.md" for i in range(50)]
    before = engine.select_shard(paths, (2, 4))
    after = engine.select_shard([*paths, "docs/nouvelle.md"], (2, 4))
    assert before <= after  # a new page never moves the others to another machine


@pytest.mark.parametrize("bad", ["0/2", "3/2", "2", "a/b"])
def test_bad_shard_is_a_usage_error(project: Path, bad: str) -> None:
    proc = _runbookdocs(project, "run", "--shard", bad)
    assert proc.returncode == 2
    assert "K/N" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.docker
def test_run_shards_are_disjoint_and_complete(project: Path) -> None:
    """Each shard runs alone (as on its own CI machine); the merged report has every page once."""
    pages = _pages(project)
    assert len(pages) == 7
    n = 3
    reports = []
    for k in range(1, n + 1):
        report = project / f"report-{k}.json"
        proc = _runbookdocs(project, "run", "--shard", f"{k}/{n}", "--report", str(report))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        reports.append(report)
    ran = [
        {r["path"] for r in json.loads(f.read_text(encoding="utf-8"))["results"]} for f in reports
    ]
    for i in range(n):
        for j in range(i + 1, n):
            assert not ran[i] & ran[j], f"shards {i + 1} and {j + 1} overlap"
    assert set().union(*ran) == pages
    # Merging refuses overlapping shards: a clean merge is a second proof.
    merged = project / "merged.json"
    proc = _runbookdocs(project, "report", "merge", *map(str, reports), "-o", str(merged))
    assert proc.returncode == 0, proc.stderr
    results = json.loads(merged.read_text(encoding="utf-8"))["results"]
    assert {r["path"] for r in results if r["stage"] == "run"} == pages
