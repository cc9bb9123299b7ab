"""How `runbookdocs run` copes with a flood of output (needs Docker and the images).

A shell block prints N MB (lines of 100 characters, as `yes` prints them) through the real
path: the CLI, a container, `docker exec -it`, the session's reader. Printed for each size:
the block's own time (from the JSON report), the runner's wall time, and the runner's peak
resident memory (`ru_maxrss` of the child process), with the page declaring a secret (so that
the masking of what is kept is paid for) and a failing last command (so that the report keeps
the output: its first and last lines, with a note of what was left out).

Targets (issue #15): 200 MB in under 10 s, the runner under 150 MB.

Usage: python benchmarks/bench_output.py [--sizes 10,50,200] [--repeat 1] [--src DIR]
  --src DIR   measure the runbookdocs sources in DIR (another checkout's src/, to compare)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGE = """---
runbook:
  secrets: {{TOKEN: a token}}
---
```bash {{timeout=120}}
yes "$(printf '%099d' 0)" | head -c {size}
false
```
"""


def measure(size_mb: int, src: Path = ROOT / "src") -> dict[str, float]:
    """Run a block printing `size_mb` MB; (block seconds, wall seconds, peak RSS MB)."""
    with tempfile.TemporaryDirectory(prefix="rbd-bench-output-") as tmp:
        root = Path(tmp)
        (root / "pyproject.toml").write_text("[tool.runbookdocs]\n", encoding="utf-8")
        (root / "docs").mkdir()
        (root / "docs" / "flood.md").write_text(
            PAGE.format(size=size_mb * 1_000_000), encoding="utf-8"
        )
        env = {
            **os.environ,
            "RUNBOOKDOCS_PLAIN": "1",
            "TOKEN": "bench-output-secret-value",
            "PYTHONPATH": str(src),
        }
        argv = [sys.executable, "-m", "runbookdocs.cli", "run", "--no-cache"]
        argv += ["--report", "r.json"]
        t0 = time.monotonic()
        proc = subprocess.Popen(
            argv, cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
        code = os.waitstatus_to_exitcode(status)
        if code != 1:  # the block fails on purpose
            raise SystemExit(f"{size_mb} MB: runbookdocs exited {code}")
        (result,) = json.loads((root / "r.json").read_text(encoding="utf-8"))["results"]
        kept = result.get("output", "")
        assert "bench-output-secret-value" not in kept
        return {
            "block_s": float(result["duration_s"]),
            "wall_s": wall,
            "rss_mb": usage.ru_maxrss / 1024,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,50,200", help="MB of output, comma-separated")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (best is kept)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="runbookdocs sources")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    print(
        f"Output through one block ({os.cpu_count()} CPU(s); best of {args.repeat}; {args.src})\n"
    )
    print("| output | block (s) | runner wall (s) | runner peak RSS (MB) | MB/s |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for size in sizes:
        runs = [measure(size, args.src) for _ in range(args.repeat)]
        best = min(runs, key=lambda r: r["block_s"])
        rate = size / best["block_s"] if best["block_s"] else 0.0
        print(
            f"| {size} MB | {best['block_s']:.2f} | {best['wall_s']:.2f} | "
            f"{max(r['rss_mb'] for r in runs):.0f} | {rate:.0f} |"
        )
    print("\nTargets: 200 MB in under 10 s, the runner under 150 MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
