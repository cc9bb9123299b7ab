"""The check engine: pages cached by their own text, references and review dates judged on
every check, and worker processes giving exactly the in-process results."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import runbookdocs.validate as validate
from runbookdocs.cache import Cache
from runbookdocs.config import load_config
from runbookdocs.document import iter_markdown
from runbookdocs.validate import CheckRun, check_files
from tests.helpers import cli, make_project
from tests.validate_helpers import lines


@pytest.fixture
def in_project(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _check(root: Path, *, jobs: int = 1, cache: bool = True) -> CheckRun:
    config = load_config(start=root)
    store = Cache(config.cache_dir, enabled=cache)
    try:
        files = list(iter_markdown([config.docs_dir], config))
        return check_files(files, config, cache=store, jobs=jobs)
    finally:
        store.close()


TREE = """\
# A

```bash {#etat}
systemctl is-active nginx
```

```decision-tree
start: q
nodes:
  q:
    question: Actif ?
    check: b.md#verifier
    answers:
      - {label: Oui, next: fin}
      - {label: Non, next: fin}
  fin:
    solution: ok
```

Voir [la suite](b.md#suite).
"""


def test_cached_page_sees_the_pages_it_names_change(in_project: Path) -> None:
    make_project(
        in_project,
        {"docs/a.md": TREE, "docs/b.md": "# B\n\n## Suite\n\n```bash {#verifier}\ntrue\n```\n"},
    )
    first = _check(in_project)
    assert (first.from_cache, lines(first.report)) == (0, [])
    # b.md loses its heading and its block id; a.md does not change and comes from the cache,
    # yet its link and its tree's check are judged against the new b.md.
    (in_project / "docs/b.md").write_text("# B\n\n```bash {#autre}\ntrue\n```\n")
    second = _check(in_project)
    assert second.from_cache == 1
    assert lines(second.report) == [
        "docs/a.md:12:12: error: node 'q': check 'b.md#verifier': no block #verifier in 'b.md' "
        "[RBD602]",
        "docs/a.md:20:17: error: link to 'b.md#suite': no anchor #suite in 'b.md' (did you "
        "mean 'autre'?) [RBD502]",
    ]
    tree = next(r for r in second.report.results if r.kind == "decision-tree")
    assert tree.outcome == "failed"  # the tree block fails, as it does without the cache
    assert second.report.exit_code() == 1
    uncached = _check(in_project, cache=False)
    assert [r.to_json() | {"duration_s": 0} for r in uncached.report.results] == [
        r.to_json() | {"duration_s": 0} for r in second.report.results
    ]


def test_review_age_is_judged_on_the_day_of_the_check(
    in_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_project(in_project, {"docs/p.md": "---\nrunbook:\n  reviewed: 2026-01-10\n---\n# P\n"})
    monkeypatch.setattr(validate.pages, "dt", _Today(dt.date(2026, 2, 1)))
    assert lines(_check(in_project).report) == []

    monkeypatch.setattr(validate.pages, "dt", _Today(dt.date(2027, 2, 1)))
    later = _check(in_project)
    assert later.from_cache == 1
    assert lines(later.report) == [
        "docs/p.md:3:1: warning: last reviewed on 2026-01-10, 387 days ago (more than "
        "review_interval_days=180) [RBD509]"
    ]


class _Today:
    """Stands for the `datetime` module with a fixed today."""

    def __init__(self, today: dt.date) -> None:
        fixed = today

        class _Date(dt.date):
            @classmethod
            def today(cls) -> _Date:
                return cls(fixed.year, fixed.month, fixed.day)

        self.date = _Date


def test_worker_processes_give_the_in_process_results(
    in_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = {
        f"docs/s{i % 3}/p{i}.md": (
            f"---\nrunbook:\n  reviewed: 2099-01-01\n---\n# Page {i}\n\n"
            f"[suivante](../s{(i + 1) % 3}/p{i + 1}.md#page-{i + 1})\n\n"
            f'```json {{#conf}}\n{{"n": {i}{"," if i % 7 == 0 else ""}}}\n```\n\n'
            f"```bash\necho {i} {'| |' if i % 11 == 0 else ''}\n```\n"
        )
        for i in range(40)
    }
    make_project(in_project, pages)
    monkeypatch.setattr(validate.workers, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(validate.workers, "CHUNK_PAGES", 7)
    alone = _check(in_project, jobs=1, cache=False)
    forked = _check(in_project, jobs=2, cache=False)
    assert (alone.jobs, forked.jobs) == (1, 2)
    assert forked.blocks == alone.blocks == 80
    found = lines(forked.report)
    assert found == lines(alone.report)
    assert len([f for f in found if "JSON" in f]) == 6  # pages 0, 7, ..., 35
    assert len([f for f in found if "shell syntax" in f]) == 4  # pages 0, 11, 22, 33
    assert len([f for f in found if "link to" in f]) == 1  # p39 links to p40, absent
    # Same results in the same order (durations aside).
    assert [(r.path, r.line, r.outcome) for r in forked.report.results] == [
        (r.path, r.line, r.outcome) for r in alone.report.results
    ]


def test_cli_check_jobs_and_cache_give_the_same_findings(tmp_path: Path) -> None:
    pages = {f"docs/p{i}.md": f"# P{i}\n\n```yaml\na: 1\na: {i}\n```\n" for i in range(70)}
    make_project(tmp_path, pages)
    runs = [
        cli("check", "--no-cache", "-j", "1", cwd=tmp_path),
        cli("check", "-j", "2", cwd=tmp_path),  # forks: 70 pages to check
        cli("check", "-j", "2", cwd=tmp_path),  # every page from the cache
    ]
    assert [p.returncode for p in runs] == [1, 1, 1]
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    assert runs[0].stdout.count('duplicate key "a" [RBD202]') == 70
    assert "checked 70 page(s), 70 block(s): 70 error(s)" in runs[2].stderr
    bad = cli("check", "-j", "-1", cwd=tmp_path)
    assert bad.returncode == 2 and "--jobs -1" in bad.stderr


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_interrupted_check_stops_its_workers(tmp_path: Path, sig: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    page = "# P\n\n" + "".join(f"```bash\necho {i} | tr a b\n```\n\n" for i in range(40))
    # Enough pages that a check cannot end before a poller starved by a loaded machine sees its
    # workers (300 pages ended first twice under load 6): the signal stops it early anyway.
    make_project(tmp_path, {f"docs/p{i}.md": page.replace("P", f"P{i}") for i in range(1200)})
    proc = subprocess.Popen(
        [sys.executable, "-m", "runbookdocs.cli", "check", "--no-cache", "-j", "2"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1"},
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        workers = [int(p) for p in children.read_text().split()] if children.exists() else []
        time.sleep(0.01)
    assert len(workers) >= 2, "the check never forked its workers"
    proc.send_signal(getattr(signal, sig))
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.strip().endswith("runbookdocs: interrupted")
    assert "Traceback" not in err
    # The workers are told to stop; on a loaded machine they may take a moment to be gone.
    deadline = time.monotonic() + 5
    while [w for w in workers if _alive(w)] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_failing_worker_is_reported_not_waited_for(
    in_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that fails sends its traceback (the check stops its other workers instead of
    hanging); one that dies is noticed (EOF on its pipe) and costs only its pages: they are
    checked again one per process, and a page whose process dies again is a finding (one bad
    page never prevents the report of the others; tests/test_check_isolation.py)."""
    import multiprocessing

    from runbookdocs.validate import engine, workers

    make_project(in_project, {f"docs/p{i}.md": f"# P{i}\n" for i in range(30)})
    monkeypatch.setattr(workers, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(workers, "CHUNK_PAGES", 5)

    def broken(files: list[Path], config: object, cache: object) -> object:
        raise RuntimeError("validator blew up")

    monkeypatch.setattr(engine, "check_chunk", broken)
    with pytest.raises(workers.WorkerError, match="validator blew up"):
        _check(in_project, jobs=2, cache=False)

    def dies(files: list[Path], config: object, cache: object) -> object:
        os._exit(3)

    monkeypatch.setattr(engine, "check_chunk", dies)
    run = _check(in_project, jobs=2, cache=False)
    crashed = [f for r in run.report.results for f in r.findings if f.code == "RBD903"]
    assert len(crashed) == 30  # every page died here, and each says so
    assert all("crashed its process (exit 3)" in f.message for f in crashed)
    assert multiprocessing.active_children() == []


def test_a_changed_checker_does_not_reuse_its_cached_verdicts(
    in_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key holds the code that checked, not only its version: an editable install
    whose rules changed must check again (its old verdicts may be better than the truth)."""
    from runbookdocs.cache import code_fingerprint
    from runbookdocs.validate import engine

    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "sub" / "rules.py").write_text("X = 1\n")
    before = code_fingerprint.__wrapped__(package)
    assert code_fingerprint.__wrapped__(package) == before  # the same code, the same key
    (package / "sub" / "rules.py").write_text("X = 22\n")
    assert code_fingerprint.__wrapped__(package) != before

    make_project(in_project, {"docs/p.md": "# P\n\n```bash\ntrue\n```\n"})
    assert _check(in_project).from_cache == 0
    assert _check(in_project).from_cache == 1
    monkeypatch.setattr(engine, "code_fingerprint", lambda: "another checker")
    assert _check(in_project).from_cache == 0
