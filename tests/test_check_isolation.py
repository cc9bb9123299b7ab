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


# Presented as one of our own validators: a bug of runbookdocs is RBD903 for the page (a
# third-party validator that raises is RBD905 on its block: tests/test_plugins.py).
_raises.__module__ = "runbookdocs.validate.structure"


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


SHM = Path("/dev/shm")


def _scratch(pid: int) -> list[str]:
    return sorted(p.name for p in SHM.glob(f"rbd-shellcheck-{pid}-*"))


@pytest.mark.skipif(not SHM.is_dir(), reason="no /dev/shm on this machine")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_check_leaves_no_scratch_files(tmp_path: Path, sig: signal.Signals) -> None:
    import shutil
    import subprocess
    import sys
    import time

    if shutil.which("shellcheck") is None:
        pytest.skip("shellcheck is not installed")
    files = {
        f"docs/p{k}.md": f"# p{k}\n\n```bash\n"
        + "".join(f"echo $v{k}_{j} | grep x{j}\n" for j in range(30))
        + "```\n"
        for k in range(300)
    }
    root = make_project(tmp_path, files)
    proc = subprocess.Popen(
        [sys.executable, "-m", "runbookdocs.cli", "check", "--no-cache", "-j", "2"],
        cwd=root,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    seen: set[str] = set()
    while time.monotonic() < deadline and proc.poll() is None and not seen:
        # Only this check's: other checks on the machine share /dev/shm.
        seen = {p.name for p in SHM.glob("rbd-shellcheck-*") if _ours(p.name, proc.pid)}
        time.sleep(0.02)
    assert seen, "the check wrote its scripts for shellcheck"
    proc.send_signal(sig)
    proc.wait(timeout=60)
    time.sleep(0.5)
    assert not seen & {p.name for p in SHM.glob("rbd-shellcheck-*")}


def test_a_worker_stopped_right_after_making_its_scratch_folder_removes_it() -> None:
    """The stop signal can come between `mkdtemp` and the folder's registration in SCRATCH:
    the worker's handler still removes it, by this process's id in its name."""
    import tempfile

    from runbookdocs.validate import shell

    place = str(SHM) if SHM.is_dir() else None
    made = tempfile.mkdtemp(prefix=f"rbd-shellcheck-{os.getpid()}-", dir=place)
    (Path(made) / "b0.sh").write_text("echo hi\n", encoding="utf-8")
    assert made not in shell.SCRATCH
    shell.stop_running()
    assert not Path(made).exists()


def _ours(name: str, pid: int) -> bool:
    """`rbd-shellcheck-PID-...` made by `pid` or one of its children (forked workers)."""
    parts = name.split("-")
    if len(parts) < 4 or not parts[2].isdigit():
        return False
    owner = int(parts[2])
    if owner == pid:
        return True
    try:
        stat = Path(f"/proc/{owner}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[1] == str(pid)


@pytest.mark.skipif(not SHM.is_dir(), reason="no /dev/shm on this machine")
def test_the_next_check_sweeps_what_a_killed_check_left(tmp_path: Path) -> None:
    dead = 2**22 + 12345  # above pid_max's default: no such process
    left = SHM / f"rbd-shellcheck-{dead}-abcdef"
    left.mkdir()
    (left / "b0.sh").write_text("echo\n", encoding="utf-8")
    root = make_project(tmp_path, {"docs/a.md": "# a\n\n```bash\necho a\n```\n"})
    config = load_config(start=root)
    check_files([root / "docs" / "a.md"], config)
    assert not left.exists()
