"""Faults: Docker unreachable or lost, a container killed, images missing or broken, a target
never ready, a full disk, the runner killed, two runs at once.

In each case: a message naming what failed, exit 2 for the environment, the other runbooks of the
run unaffected, and no container of the run left afterwards (`figures.assert_no_leftovers`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import cli, make_project
from tests.reliability.figures import assert_no_leftovers, fault, owner_selector

LONG = (
    "# Long\n\n```bash {#long timeout=60}\ntouch /tmp/started\nsleep 30\n```\n\n"
    "```bash {#after}\necho after\n```\n"
)
OTHER = "# Autre\n\n```bash {#other}\necho autre runbook\n```\n"


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`runbookdocs run ARGS` in the background."""
    return subprocess.Popen(
        [sys.executable, "-m", "runbookdocs.cli", "run", *args],
        cwd=root,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def container_of(
    proc: subprocess.Popen[str], runbook: str, *, host: str | None = None, timeout: float = 60
) -> str:
    """The id of the container runner `proc` started for `runbook`, once `/tmp/started` exists
    in it (the block is running) when the block creates it, else once the container runs."""
    docker = ["docker", *(["-H", host] if host else [])]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        out = subprocess.run(
            [*docker, "ps", "--filter", f"label=org.runbookdocs.runbook={runbook}",
             "--format", '{{.ID}} {{.Label "org.runbookdocs.owner"}}'],
            capture_output=True, text=True, check=False,
        ).stdout  # fmt: skip
        for line in out.split("\n"):
            cid, _, owner = line.partition(" ")
            if owner.split(":")[1:2] == [str(proc.pid)]:
                probe = [*docker, "exec", cid, "test", "-e", "/tmp/started"]
                if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
                    return cid
        time.sleep(0.1)
    out, err = proc.communicate(timeout=60) if proc.poll() is not None else ("", "")
    raise AssertionError(f"no running block for {runbook}: {out}{err}")


def results(path: Path) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {f"{r['path']}#{r['id']}": r for r in data["results"]}


# -- Docker -----------------------------------------------------------------------------------


def test_docker_unreachable_at_start_is_exit_2_with_a_hint(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"docs/a.md": OTHER})
    fault("Docker daemon unreachable at start (DOCKER_HOST=unix:///nonexistent.sock)")
    env = {"DOCKER_HOST": "unix:///nonexistent.sock"}
    for args in (["run", "--no-cache"], ["clean"], ["images", "list"]):
        proc = cli(*args, cwd=root, env=env, timeout=60)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "runbookdocs: Docker is not available" in proc.stderr
        assert "Hint: start the Docker daemon" in proc.stderr
        assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


class SecondDockerd:
    """A Docker daemon of our own, in its own network namespace, that a test may kill.

    Its own socket, data root, exec root and containerd. The network namespace is held by a
    `sleep` so that a restarted daemon finds its containers' shims again; without it,
    `--bridge=none` makes dockerd delete the host's `docker0`.
    """

    def __init__(self, base: Path) -> None:
        self.base = base
        self.sock = base / "docker.sock"
        self.host = f"unix://{self.sock}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.netns = subprocess.Popen(["unshare", "--net", "--", "sleep", "infinity"])
        own = os.readlink("/proc/self/ns/net")
        deadline = time.monotonic() + 10
        while os.readlink(f"/proc/{self.netns.pid}/ns/net") == own:
            if time.monotonic() > deadline:
                raise RuntimeError("unshare --net did not give a network namespace")
            time.sleep(0.01)

    def start(self) -> None:
        # After a SIGKILL the pid files stay, and on a busy machine their pids are soon reused:
        # dockerd would then wait for a containerd that is not there.
        for stale in (self.base / "d.pid", self.base / "exec" / "containerd" / "containerd.pid"):
            stale.unlink(missing_ok=True)
        argv = ["nsenter", f"--net=/proc/{self.netns.pid}/ns/net", "--", "dockerd",
                "--host", self.host, "--data-root", str(self.base / "data"),
                "--exec-root", str(self.base / "exec"), "--pidfile", str(self.base / "d.pid"),
                "--bridge=none", "--iptables=false", "--ip-masq=false",
                "--ip-forward=false"]  # fmt: skip
        log = (self.base / "dockerd.log").open("ab")
        self.proc = subprocess.Popen(argv, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            ok = subprocess.run(["docker", "-H", self.host, "info"], capture_output=True)
            if ok.returncode == 0:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError("dockerd did not start: " + (self.base / "dockerd.log").read_text())

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.netns.kill()
        self.netns.wait(timeout=30)


@pytest.fixture
def second_dockerd() -> Iterator[SecondDockerd]:
    missing = [t for t in ("unshare", "dockerd", "docker") if shutil.which(t) is None]
    if missing or os.geteuid() != 0:
        why = f"needs root and {', '.join(missing) or 'unshare, dockerd'}"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(f"CI needs a second Docker daemon for this test: {why}")
        pytest.skip(why)
    base = Path(tempfile.mkdtemp(prefix="rbd-d2-"))  # short: containerd's socket path is < 108
    daemon = SecondDockerd(base)
    try:
        daemon.start()
        save = subprocess.Popen(["docker", "save", "runbookdocs/debian:bookworm"],
                                stdout=subprocess.PIPE)  # fmt: skip
        subprocess.run(["docker", "-H", daemon.host, "load", "-q"], stdin=save.stdout,
                       check=True, capture_output=True, timeout=120)  # fmt: skip
        save.wait(timeout=60)
        yield daemon
    finally:
        daemon.stop()
        # dockerd leaves its data root mounted on itself: unmount before removing.
        subprocess.run(["umount", "-R", str(base / "data")], capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.docker
def test_docker_daemon_lost_mid_run_is_exit_2_and_leaves_nothing(
    tmp_path: Path, second_dockerd: SecondDockerd
) -> None:
    root = make_project(tmp_path, {"docs/a-long.md": LONG, "docs/b-other.md": OTHER})
    host = second_dockerd.host
    proc = start(root, "--no-cache", "--report", "r.json", env={"DOCKER_HOST": host})
    container_of(proc, "docs/a-long.md", host=host)
    fault("Docker daemon SIGKILLed during a block (a second dockerd)")
    t0 = time.monotonic()
    second_dockerd.kill()
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 30, "the runner took too long to notice"
    assert proc.returncode == 2, out + err
    assert "docs/a-long.md:3:1: error: target 'debian': Docker stopped answering" in out
    by_id = results(root / "r.json")
    assert by_id["docs/a-long.md#long"]["outcome"] == "error"
    assert by_id["docs/a-long.md#after"]["outcome"] == "skipped"
    # The next runbook needs a container the lost daemon cannot give: an error of its own.
    assert by_id["docs/b-other.md#other"]["outcome"] == "error"
    assert "docs/b-other.md:3:1: error: target 'debian': cannot start a container" in out
    # Containers outlive a killed daemon (Docker's design); when it comes back it removes
    # them (auto-remove), and the next run's sweep would remove any it kept.
    second_dockerd.start()
    # A restarted daemon may keep a dead, nameless container for a while: the sweep that the
    # next run does (here `runbookdocs clean`, the same code) removes what it kept.
    clean = subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", "clean"],
        cwd=tmp_path,
        env={**os.environ, "DOCKER_HOST": host, "RUNBOOKDOCS_PLAIN": "1"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert_no_leftovers(owner_selector(proc.pid), host=host, seconds=60)


@pytest.mark.docker
def test_container_killed_mid_block_is_exit_2_and_spares_the_other_runbooks(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, {"docs/a-long.md": LONG, "docs/b-other.md": OTHER})
    proc = start(root, "--no-cache", "--report", "r.json")
    cid = container_of(proc, "docs/a-long.md")
    fault("docker kill of a target container during a block")
    subprocess.run(["docker", "kill", cid], capture_output=True, check=True)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, out + err
    assert f"docs/a-long.md:3:1: error: target 'debian': its container {cid[:12]}" in out
    assert "during this block" in out
    by_id = results(root / "r.json")
    assert by_id["docs/a-long.md#long"]["outcome"] == "error"
    assert by_id["docs/a-long.md#after"]["message"] == "not run: blocked by docs/a-long.md:3"
    assert by_id["docs/b-other.md#other"]["outcome"] == "passed"
    assert_no_leftovers(owner_selector(proc.pid))


# -- targets that cannot be had, a full disk: one run, one test per guarantee ----------------

ENV_FAULTS = """
[tool.runbookdocs.targets.absente]
image = "127.0.0.1:9/runbookdocs/absente:1"

[tool.runbookdocs.targets.cassee]
dockerfile = "targets/cassee/Dockerfile"
base = "debian"

[tool.runbookdocs.targets.jamais]
image = "runbookdocs/debian:bookworm"
ready = "test -e /prete"
ready_timeout = 1

[tool.runbookdocs.targets.petit]
dockerfile = "targets/petit/Dockerfile"
base = "debian"
"""


@pytest.fixture(scope="module")
def env_faults(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run over five runbooks: four targets that fail in four ways, and one that works."""
    root = make_project(
        tmp_path_factory.mktemp("faults"),
        {
            "targets/cassee/Dockerfile": "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n"
            "RUN echo 'étape cassée' && exit 3\n",
            # /tmp on the container's 64 MB /dev/shm: a disk a block can fill, not the host's.
            "targets/petit/Dockerfile": "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n"
            "RUN rm -rf /tmp && ln -s /dev/shm /tmp\n",
            "docs/absente.md": "```bash {#a target=absente}\ntrue\n```\n",
            "docs/cassee.md": "```bash {#c target=cassee}\ntrue\n```\n",
            "docs/jamais.md": "```bash {#j target=jamais}\ntrue\n```\n",
            "docs/plein.md": "# Plein\n\n```bash {#remplir target=petit expect=1}\n"
            "dd if=/dev/zero of=/tmp/remplir bs=1M\n```\n\n"
            "```bash {#ensuite target=petit}\nexit 3\n```\n",
            "docs/zz-ok.md": OTHER,
        },
        config=ENV_FAULTS,
    )
    for name in ("image missing (unpullable, loopback registry)", "Dockerfile build fails",
                 "target never ready", "full disk (/tmp on a 64 MB tmpfs)"):  # fmt: skip
        fault(name)
    proc = start(root, "--no-cache", "--report", "r.json")
    out, err = proc.communicate(timeout=300)
    return {"root": root, "proc": proc, "out": out, "err": err, "by_id": results(root / "r.json")}


@pytest.mark.docker
def test_runbooks_of_a_broken_environment_exit_2(env_faults: dict[str, Any]) -> None:
    assert env_faults["proc"].returncode == 2, env_faults["out"] + env_faults["err"]
    assert "Traceback" not in env_faults["err"] and "internal error" not in env_faults["err"]


@pytest.mark.docker
def test_missing_image_names_the_image(env_faults: dict[str, Any]) -> None:
    assert env_faults["by_id"]["docs/absente.md#a"]["outcome"] == "error"
    assert (
        "docs/absente.md:1:1: error: target 'absente': image '127.0.0.1:9/runbookdocs/absente:1' "
        "of target 'absente' is not present and cannot be pulled"
    ) in env_faults["out"]


@pytest.mark.docker
def test_failing_dockerfile_shows_the_build_error(env_faults: dict[str, Any]) -> None:
    assert env_faults["by_id"]["docs/cassee.md#c"]["outcome"] == "error"
    assert (
        "docs/cassee.md:1:1: error: target 'cassee': building runbookdocs/target-cassee:"
        in (env_faults["out"])
    )
    assert "returned a non-zero code: 3" in env_faults["out"]


@pytest.mark.docker
def test_target_never_ready_says_so_and_is_removed(env_faults: dict[str, Any]) -> None:
    # See also tests/test_run_cli.py::test_a_target_that_never_gets_ready_is_exit_2_and_...
    assert env_faults["by_id"]["docs/jamais.md#j"]["outcome"] == "error"
    assert "target 'jamais' (runbookdocs/debian:bookworm): not ready after 1 s" in env_faults["out"]
    assert "readiness check: test -e /prete" in env_faults["out"]


@pytest.mark.docker
def test_full_disk_in_the_container_is_an_error_never_a_pass(env_faults: dict[str, Any]) -> None:
    by_id = env_faults["by_id"]
    assert by_id["docs/plein.md#remplir"]["outcome"] == "passed"  # dd: No space left (expect=1)
    # The next step cannot be written into the full /tmp: it is not run, and says why.
    assert by_id["docs/plein.md#ensuite"]["outcome"] == "error"
    assert "docs/plein.md:7:1: error: cannot write the step into container" in env_faults["out"]
    assert "No space left on device" in env_faults["out"]


@pytest.mark.docker
def test_other_runbooks_run_and_no_container_is_left(env_faults: dict[str, Any]) -> None:
    assert env_faults["by_id"]["docs/zz-ok.md#other"]["outcome"] == "passed"
    assert_no_leftovers(owner_selector(env_faults["proc"].pid))


# -- the runner killed ------------------------------------------------------------------------


@pytest.mark.docker
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_runner_killed_with_two_runbooks_in_parallel_leaves_nothing(
    tmp_path: Path, sig: signal.Signals
) -> None:
    # One runbook: tests/test_run_cli.py::test_sigterm_ends_the_run_cleanly and ..._sigkilled_...
    root = make_project(tmp_path, {"docs/a.md": LONG, "docs/b.md": LONG})
    proc = start(root, "--no-cache", "--jobs", "2", "--report", "r.json", "--junit", "j.xml")
    container_of(proc, "docs/a.md")
    container_of(proc, "docs/b.md")
    fault(f"{sig.name} to the runner with two runbooks running (--jobs 2)")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    if sig == signal.SIGTERM:
        assert proc.returncode == 130 and "runbookdocs: interrupted" in err, out + err
    else:
        assert proc.returncode == -signal.SIGKILL
    assert_no_leftovers(owner_selector(proc.pid))
    # No report at all rather than half of one, and no temporary file.
    assert sorted(p.name for p in root.iterdir()) == ["docs", "pyproject.toml"]


@pytest.mark.docker
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_runner_killed_while_a_target_gets_ready_leaves_nothing(
    tmp_path: Path, sig: signal.Signals
) -> None:
    root = make_project(
        tmp_path,
        {"docs/lent.md": "```bash {target=lente}\ntrue\n```\n"},
        config='[tool.runbookdocs.targets.lente]\nimage = "runbookdocs/debian:bookworm"\n'
        'ready = "touch /tmp/started; test -e /prete"\nready_timeout = 60\n',
    )
    proc = start(root, "--no-cache")
    container_of(proc, "docs/lent.md")
    fault(f"{sig.name} to the runner while a target waits to be ready")
    proc.send_signal(sig)
    proc.communicate(timeout=60)
    assert proc.returncode == (130 if sig == signal.SIGTERM else -signal.SIGKILL)
    assert_no_leftovers(owner_selector(proc.pid))


@pytest.mark.docker
def test_containers_of_a_dead_runner_are_swept_by_the_next_run(tmp_path: Path) -> None:
    # A runner SIGKILLed between starting a container and attaching to it leaves the container
    # running: the next run removes what runners that are gone left.
    dead = subprocess.Popen(["true"])
    dead.wait()
    name = f"rbd-leftover-{os.getpid()}-{time.monotonic_ns()}"
    subprocess.run(
        ["docker", "run", "-d", "--name", name, "--label", "runbookdocs=1",
         "--label", f"org.runbookdocs.owner={os.uname().nodename}:{dead.pid}:1",
         "runbookdocs/debian:bookworm", "sleep", "300"],
        capture_output=True, check=True,
    )  # fmt: skip
    fault("container left running by a runner that is gone")
    root = make_project(tmp_path, {"docs/a.md": OTHER})
    # Under pytest-xdist another test's run may be under way and sweep it first (saying so on
    # its own stderr): then only "gone after this run" is this run's to prove.
    alone = not _others_running()
    proc = cli("run", "--no-cache", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_no_leftovers(f"/{name} ")  # never listed again
    said = f"removed container {name} left by a runner that is gone"
    assert said in proc.stderr or not alone, proc.stderr


def _others_running() -> bool:
    """True when another runbookdocs run of this machine is under way (a concurrent test)."""
    found = subprocess.run(
        ["pgrep", "-f", "runbookdocs.cli run"], capture_output=True, text=True, check=False
    ).stdout.split()
    return any(int(pid) != os.getpid() for pid in found)


# -- two runs of the same repository at once -------------------------------------------------


@pytest.mark.docker
def test_two_runs_at_once_write_complete_reports_and_a_consistent_cache(tmp_path: Path) -> None:
    pages = {f"docs/p{i}.md": f"# P{i}\n\n```bash {{#b{i}}}\necho {i}\n```\n\n```console\n"
             f"$ echo fin {i}\nfin {i}\n```\n" for i in range(3)}  # fmt: skip
    root = make_project(tmp_path, pages)
    fault("two runs of the same repository at the same time (same cache, same JUnit file)")
    runs = [start(root, "--report", f"r{k}.json", "--junit", "j.xml") for k in range(2)]
    for run in runs:
        out, err = run.communicate(timeout=180)
        assert run.returncode == 0, out + err
    expected = {(f"docs/p{i}.md", line) for i in range(3) for line in (3, 7)}
    for k in range(2):
        data = json.loads((root / f"r{k}.json").read_text(encoding="utf-8"))
        assert {(r["path"], r["line"]) for r in data["results"]} == expected
        assert data["summary"]["passed"] == 6
    assert len(ET.parse(root / "j.xml").getroot().findall(".//testcase")) == 6
    db = sqlite3.connect(root / ".runbookdocs-cache" / "cache.sqlite3")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (n,) = db.execute("SELECT count(*) FROM entries WHERE ns = 'run'").fetchone()
        assert n == 3
    finally:
        db.close()
    third = cli("run", "--report", "r2.json", cwd=root)
    assert third.returncode == 0
    assert all(r["cached"] for r in json.loads((root / "r2.json").read_text())["results"])
    assert not list(root.glob(".*.tmp"))
    for run in runs:
        assert_no_leftovers(owner_selector(run.pid))
