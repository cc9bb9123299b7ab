"""The benchmark scripts work (on tiny corpora); their timings are never asserted."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def test_corpus_is_deterministic_and_realistic(tmp_path: Path) -> None:
    a = corpus.generate(tmp_path / "a", 12, seed=3)
    b = corpus.generate(tmp_path / "b", 12, seed=3)
    assert _tree_digest(a) == _tree_digest(b)
    assert _tree_digest(corpus.generate(tmp_path / "c", 12, seed=4)) != _tree_digest(a)
    pages = sorted((a / "docs").rglob("*.md"))
    assert len(pages) == 12
    text = pages[0].read_text(encoding="utf-8")
    for marker in (
        '=== "Debian"',
        "!!! warning",
        "--8<--",
        "```console",
        "```sql",
        "```json",
        "```yaml",
        "```ini",
        "hidden=true",
        "](",
        "{{ service }}",
    ):
        assert marker in text, marker
    assert "```decision-tree" in (a / "docs" / "section-00" / "page-00000.md").read_text("utf-8")
    sizes = [p.stat().st_size for p in pages]
    assert 3_500 < sum(sizes) / len(sizes) < 7_000


def test_corpus_passes_runbookdocs_check(tmp_path: Path) -> None:
    """Without errors or warnings, so the benchmark measures full checks, not early exits."""
    project = corpus.generate(tmp_path / "kb", 25)
    proc = subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", "check", "--strict", "--no-cache"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "checked 25 page(s)" in proc.stderr and "0 error(s), 0 warning(s)" in proc.stderr


def test_bench_check_prints_the_table(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "bench_check.py"),
            "--pages",
            "6",
            "--repeat",
            "1",
            "--corpus",
            str(tmp_path / "kb"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "corpus: 6 pages" in out
    assert "bare loop (markdown-it-py, json, ruamel.yaml, configparser)" in out
    for row in (
        "runbookdocs check --no-cache",
        "cold (empty cache)",
        "warm (unchanged tree)",
        "warm, one page edited",
    ):
        assert row in out, row
    assert "1.00x" in out  # ratios against the baseline row


def test_bench_check_scaling_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "scaling.png"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "bench_check.py"),
            "--sizes",
            "2,4",
            "--repeat",
            "1",
            "--plot",
            str(png),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert proc.stdout.count("corpus: ") == 2


def test_bench_site_builds_both_configurations() -> None:
    pytest.importorskip("material")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_site.py"), "--pages", "3", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "mkdocs-material" in proc.stdout and "runbookdocs (plugin + fences)" in proc.stdout
    pages = {
        line.split("  ")[0]: int(line.split()[-1])
        for line in proc.stdout.splitlines()
        if line.startswith(("MkDocs", "Zensical")) and line.split()[-1].isdigit()
    }
    # The plain builds render the corpus alone: never the report page and assets that
    # `runbookdocs site prepare` writes into the docs folder of the Zensical build.
    assert (
        pages["MkDocs + runbookdocs (plugin + fences)"]
        == pages["MkDocs plain (mkdocs-material)"] + 1
    )
    if "Zensical plain" in pages:
        assert pages["Zensical plain"] == pages["MkDocs plain (mkdocs-material)"]


def test_bench_site_counts_instructions() -> None:
    """`--instructions`: each MkDocs build's instructions (callgrind), their ratio, and the
    verdict judged on it."""
    pytest.importorskip("material")
    if shutil.which("valgrind") is None:
        pytest.skip("valgrind is not installed (scripts/prepare.sh --dev installs it)")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "bench_site.py"), "--pages", "2", "--instructions"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = re.search(
        r"instructions \(callgrind\): MkDocs plain \(mkdocs-material\) ([\d,]+)M, "
        r"MkDocs \+ runbookdocs \(plugin \+ fences\) ([\d,]+)M: (\d+\.\d+)x",
        proc.stdout,
    )
    assert found is not None, proc.stdout
    plain, rbd = (int(found.group(k).replace(",", "")) for k in (1, 2))
    assert plain > 100 and rbd > plain  # a build runs billions; runbookdocs adds work
    assert abs(rbd / plain - float(found.group(3))) < 0.002
    assert re.search(r"at 2 pages: .*x instructions\), (met|NOT met)", proc.stdout)
