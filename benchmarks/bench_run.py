"""Benchmarks of `runbookdocs run` on this machine (needs Docker and the images).

Prints:
  1. per-step overhead in a warm pexpect session vs one `docker exec` per step;
  2. start-to-ready time of each built-in target;
  3. wall time of N small runbooks with --jobs 1 vs --jobs 2 (through the CLI);
  4. wall time of the whole knowledge base (docs/) with --jobs 1, --jobs 2, and with a warm
     cache (a second run of unchanged pages), in a copy of the repository.

Usage: python benchmarks/bench_run.py [--steps 200] [--runbooks 4] [--repeat 3] [--no-kb]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def per_step(steps: int) -> None:
    from runbookdocs.run.images import docker_client, resolve_builtin
    from runbookdocs.run.session import Session
    from runbookdocs.run.targets import BUILTIN_TARGETS, Target

    client = docker_client()
    ref, _ = resolve_builtin(client, "debian", "auto", print)
    target = Target(
        BUILTIN_TARGETS["debian"], ref, client=client, run_id="bench", runbook="bench", network=None
    ).start()
    try:
        session = Session(target.container_id).start()
        session.run("true")
        t0 = time.perf_counter()
        for _ in range(steps):
            session.run("true")
        warm = (time.perf_counter() - t0) / steps
        t0 = time.perf_counter()
        for _ in range(steps):
            session.run("true", typed=True)
        typed = (time.perf_counter() - t0) / steps
        n = max(steps // 4, 10)
        t0 = time.perf_counter()
        for _ in range(n):
            subprocess.run(["docker", "exec", target.container_id, "true"], check=True)
        cli = (time.perf_counter() - t0) / n
        t0 = time.perf_counter()
        for _ in range(n):
            target.container.exec_run(["true"])
        api = (time.perf_counter() - t0) / n
        session.close()
    finally:
        target.remove()
    print("1. per-step overhead (a step that runs `true`)")
    print(f"   warm session, block (file + source):  {warm * 1000:7.2f} ms")
    print(f"   warm session, typed command (eval):   {typed * 1000:7.2f} ms")
    print(f"   one `docker exec` CLI per step:       {cli * 1000:7.2f} ms  (loses cd/export)")
    print(f"   one exec through the Docker API:      {api * 1000:7.2f} ms  (loses cd/export)")


def ready_times(repeat: int) -> None:
    from runbookdocs.run.images import docker_client, resolve_builtin
    from runbookdocs.run.targets import BUILTIN_TARGETS, Target

    client = docker_client()
    print("2. start to ready (container created, started, readiness query answered)")
    for name in ("debian", "mysql", "postgres"):
        ref, _ = resolve_builtin(client, name, "auto", print)
        times = []
        for _ in range(repeat):
            target = Target(
                BUILTIN_TARGETS[name],
                ref,
                client=client,
                run_id="bench",
                runbook="bench",
                network=None,
            )
            t0 = time.perf_counter()
            target.start()
            times.append(time.perf_counter() - t0)
            target.remove()
        print(
            f"   {name:9} {ref:32} median {statistics.median(times):5.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, n={repeat})"
        )


def jobs(runbooks: int) -> None:
    with tempfile.TemporaryDirectory(prefix="rbd-bench-") as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[tool.runbookdocs]\n", encoding="utf-8")
        (root / "docs").mkdir()
        for i in range(runbooks):
            (root / "docs" / f"p{i}.md").write_text(
                f"# P{i}\n\n```bash\ncd /tmp && export N={i}\n```\n\n"
                f"```console\n$ echo $N; pwd\n{i}\n/tmp\n```\n\n"
                "```bash\nfor k in 1 2 3; do echo $k; done\n```\n",
                encoding="utf-8",
            )
        env = {**os.environ, "RUNBOOKDOCS_PLAIN": "1"}
        print(f"3. {runbooks} runbooks of 3 blocks (debian), wall time through the CLI")
        for n in (1, 2):
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "runbookdocs.cli", "run", "--no-cache", "--jobs", str(n)],
                cwd=root,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            took = time.perf_counter() - t0
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
            print(f"   --jobs {n}: {took:5.2f} s ({status})")


def knowledge_base() -> None:
    import shutil

    root_src = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory(prefix="rbd-bench-kb-") as tmp:
        root = Path(tmp) / "repo"
        shutil.copytree(
            root_src,
            root,
            ignore=shutil.ignore_patterns(
                ".git", ".venv", ".runbookdocs-cache", "site", "artifacts", "__pycache__", "build"
            ),
        )
        env = {**os.environ, "RUNBOOKDOCS_PLAIN": "1"}
        base = [sys.executable, "-m", "runbookdocs.cli", "run", "--generate-secrets", "docs"]
        print("4. the whole knowledge base (docs/), wall time through the CLI")
        runs = [
            ("--jobs 1, no cache", ["--no-cache", "--jobs", "1"]),
            ("--jobs 2, no cache", ["--no-cache", "--jobs", "2"]),
            ("--jobs 2, fills the cache", ["--jobs", "2"]),
            ("--jobs 2, warm cache (unchanged)", ["--jobs", "2"]),
        ]
        for label, extra in runs:
            t0 = time.perf_counter()
            proc = subprocess.run(
                base + extra, cwd=root, env=env, capture_output=True, text=True, check=False
            )
            took = time.perf_counter() - t0
            summary = (proc.stderr.strip().splitlines() or [""])[-1]
            status = "ok" if proc.returncode == 0 else f"exit {proc.returncode}"
            print(f"   {label:34} {took:6.2f} s ({status}) {summary}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--runbooks", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-kb", action="store_true", help="skip the knowledge-base runs")
    args = parser.parse_args()
    per_step(args.steps)
    ready_times(args.repeat)
    jobs(args.runbooks)
    if not args.no_kb:
        knowledge_base()


if __name__ == "__main__":
    main()
