"""A short, bounded run of coverage-guided fuzzing (atheris) over each parser.

Each target runs in its own process (`atheris_fuzz.py`) for `RUNS` inputs with a fixed seed, so
a run is reproducible; libFuzzer exits 1 with a crash report when an exception escapes. Skipped
where atheris is not installed (`pip install atheris`: wheels for CPython on x86-64 Linux).
An unseeded run found the front matter `+_` crash that `test_pathological.py` keeps.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.figures import fuzzed

pytest.importorskip("atheris")

HERE = Path(__file__).parent
RUNS = 5000
MAX_LEN = 2048


@pytest.mark.parametrize("target", ["extractor", "header", "frontmatter", "tree", "transcript"])
def test_atheris_finds_no_unhandled_exception(target: str, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(HERE / "atheris_fuzz.py"), target, f"-runs={RUNS}",
         f"-max_len={MAX_LEN}", "-seed=1", f"-artifact_prefix={tmp_path}/"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )  # fmt: skip
    done = re.search(r"Done (\d+) runs", proc.stderr)
    crash = proc.stderr[proc.stderr.find("=== Uncaught Python exception") :][:3000]
    runs = int(done.group(1)) if done else 0
    fuzzed(f"{target} (atheris)", runs)
    assert proc.returncode == 0 and done, crash or proc.stderr[-3000:]
