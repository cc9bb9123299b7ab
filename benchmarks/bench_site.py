"""Site build time: mkdocs-material with the runbookdocs plugin and fences, against plain material.

Both builds read a temporary copy of the same generated corpus with the same theme and the
same Markdown extensions (admonitions, content tabs, snippets, highlighting); only the
runbookdocs parts differ: its Markdown extension (page state, variables), its superfences
custom fences (header validation, badges, decision trees) and its mkdocs plugin (report page,
tags). Times are wall-clock times of `mkdocs build` processes, best of `--repeat` after one untimed
warm-up build of each.

Usage:
    python benchmarks/bench_site.py            # quick: 50 pages
    python benchmarks/bench_site.py --full     # 300 pages, best of 3
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

COMMON_EXTENSIONS = """\
  - admonition
  - attr_list
  - md_in_html
  - tables
  - toc:
      permalink: true
  - pymdownx.details
  - pymdownx.highlight:
      pygments_lang_class: true
  - pymdownx.inlinehilite
  - pymdownx.snippets:
      base_path: [".", "snippets"]
      check_paths: true
  - pymdownx.tabbed:
      alternate_style: true
"""

PLAIN = f"""\
site_name: Benchmark (mkdocs-material seul)
docs_dir: docs
theme:
  name: material
  language: fr
  font: false
plugins:
  - search
markdown_extensions:
{COMMON_EXTENSIONS}  - pymdownx.superfences
"""

RUNBOOKDOCS = f"""\
site_name: Benchmark (runbookdocs)
docs_dir: docs
theme:
  name: material
  language: fr
  font: false
plugins:
  - search
  - runbookdocs
  - tags
markdown_extensions:
  - runbookdocs.site.extension
{COMMON_EXTENSIONS}  - pymdownx.superfences:
      custom_fences:
        - name: "*"
          class: highlight
          validator: !!python/name:runbookdocs.site.fences.validator
          format: !!python/name:runbookdocs.site.fences.formatter
        - name: decision-tree
          class: rb-tree
          validator: !!python/name:runbookdocs.site.fences.tree_validator
          format: !!python/name:runbookdocs.site.fences.tree_formatter
"""


def available() -> dict[str, bool]:
    """Which runbookdocs site parts are importable."""
    return {
        name: importlib.util.find_spec(module) is not None
        for name, module in (
            ("plugin", "runbookdocs.site.plugin"),
            ("fences", "runbookdocs.site.fences"),
            ("extension", "runbookdocs.site.extension"),
        )
    }


def configs(parts: dict[str, bool]) -> dict[str, str]:
    """The two configurations; runbookdocs parts that do not exist yet are left out."""
    ours = RUNBOOKDOCS
    if not parts["plugin"]:
        ours = ours.replace("  - runbookdocs\n", "")
    if not parts["extension"]:
        ours = ours.replace("  - runbookdocs.site.extension\n", "")
    if not parts["fences"]:
        ours = ours.split("  - pymdownx.superfences:")[0] + "  - pymdownx.superfences\n"
    return {"mkdocs-material": PLAIN, "runbookdocs (plugin + fences)": ours}


def build(project: Path, config_text: str, name: str, repeat: int) -> tuple[float, int]:
    """Best build time and the number of WARNING lines of the last build."""
    config = project / f"mkdocs-{name.split()[0]}.yml"
    config.write_text(config_text, encoding="utf-8")
    site = project / f"site-{name.split()[0]}"
    env = {
        **os.environ,
        "RUNBOOKDOCS_PLAIN": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NO_MKDOCS_2_WARNING": "1",
    }
    best, warnings = float("inf"), 0
    for attempt in range(repeat + 1):
        shutil.rmtree(site, ignore_errors=True)
        t0 = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
        elapsed = time.perf_counter() - t0
        if proc.returncode != 0:
            raise SystemExit(f"mkdocs build ({name}) failed:\n{proc.stderr[-3000:]}")
        if attempt:  # the first build only warms the disk cache and imports
            best = min(best, elapsed)
        warnings = proc.stderr.count("WARNING")
        if os.environ.get("BENCH_VERBOSE"):
            print(proc.stderr, file=sys.stderr)
    return best, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=True,
        help="50 pages, one build of each (the default)",
    )
    parser.add_argument("--full", action="store_true", help="300 pages, best of 3")
    parser.add_argument("--pages", type=int, help="corpus size (overrides --quick/--full)")
    parser.add_argument("--repeat", type=int, help="builds per figure; the best one is kept")
    args = parser.parse_args(argv)
    pages = args.pages or (300 if args.full else 50)
    repeat = args.repeat or (3 if args.full else 1)
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        print("mkdocs and mkdocs-material are needed: pip install -e '.[site]'", file=sys.stderr)
        return 2
    parts = available()
    with tempfile.TemporaryDirectory(prefix="rbd-site-") as tmp:
        project = generate(Path(tmp) / "kb", pages)
        rows = [
            (name, *build(project, text, name, repeat)) for name, text in configs(parts).items()
        ]
    base = rows[0][1]
    print(
        f"\nsite build, {pages} generated pages, best of {repeat}; python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPU(s)\n"
    )
    width = max(len(r[0]) for r in rows)
    print(f"{'':{width}}  {'time':>8}  {'vs plain':>8}  {'per page':>9}  warnings")
    for name, seconds, warnings in rows:
        print(
            f"{name:{width}}  {seconds:7.2f}s  {seconds / base:7.2f}x  "
            f"{seconds / pages * 1000:7.1f}ms  {warnings}"
        )
    missing = [k for k, ok in parts.items() if not ok]
    if missing:
        print(
            f"\nnote: runbookdocs site parts not available yet, built without them: "
            f"{', '.join(missing)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
