"""Static check speed: `runbookdocs check` against a bare parsing loop over the same files.

The baseline is what a team might write in an afternoon: markdown-it-py finds the fences, then
`json.loads`, a YAML load and `configparser` parse the JSON, YAML and INI blocks and the front
matter. It checks much less than `runbookdocs check` (no shell syntax or shellcheck, no SQL,
consoles, schemas, links, placeholders, includes or decision trees), and it misses every block
inside content tabs and admonitions (markdown-it reads them as indented code). The YAML library
of the baseline is ruamel.yaml, the one runbookdocs uses (`typ="safe"`, its C loader when
available); PyYAML's C loader is shown too when it is installed.

Every figure is the wall-clock time of a fresh process (interpreter start-up and imports
included, as a user or CI sees it), best of `--repeat` runs.

Usage:
    python benchmarks/bench_check.py                 # quick: 200 pages, 1 run each
    python benchmarks/bench_check.py --full          # 1,000 pages, best of 3
    python benchmarks/bench_check.py --pages 1000 --profile
    python benchmarks/bench_check.py --sizes 100,500,1000,2000,5000   # + PNG plot
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

PLOT = ROOT / "docs" / "benchmarks" / "check-scaling.png"


# ---------------------------------------------------------------------------------- baseline


def baseline(paths: list[Path], yaml_lib: str = "ruamel") -> tuple[int, int, int]:
    """The bare loop. Returns (pages, blocks seen, blocks that failed to parse)."""
    import configparser

    from markdown_it import MarkdownIt

    if yaml_lib == "pyyaml":
        import yaml as pyyaml

        loader = getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)

        def load_yaml(text: str) -> object:
            return pyyaml.load(text, Loader=loader)
    else:
        from ruamel.yaml import YAML

        ruamel = YAML(typ="safe")

        def load_yaml(text: str) -> object:
            return ruamel.load(text)

    md = MarkdownIt("commonmark")
    blocks = bad = 0
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            if end > 0:
                try:
                    load_yaml(text[4:end])
                except Exception:
                    bad += 1
                text = text[end + 5 :]
        for token in md.parse(text):
            if token.type != "fence":
                continue
            blocks += 1
            lang = token.info.split(maxsplit=1)[0] if token.info.strip() else ""
            try:
                if lang == "json":
                    json.loads(token.content)
                elif lang in ("yaml", "yml"):
                    load_yaml(token.content)
                elif lang in ("ini", "cfg"):
                    configparser.ConfigParser(interpolation=None).read_string(token.content)
            except Exception:
                bad += 1
    return len(paths), blocks, bad


def shellcheck_alone(corpus: Path) -> tuple[float, int]:
    """Time shellcheck by itself on the corpus's distinct shell scripts, as check runs it."""
    from runbookdocs.config import load_config
    from runbookdocs.validate import documents_from_paths
    from runbookdocs.validate.shell import _units, shellcheck, shellcheck_enabled

    if not shellcheck_enabled():
        return 0.0, 0
    old = Path.cwd()
    os.chdir(corpus)
    try:
        config = load_config()
        units = _units([b for d in documents_from_paths([], config) for b in d.blocks])
    finally:
        os.chdir(old)
    t0 = time.perf_counter()
    shellcheck(units)
    return time.perf_counter() - t0, len({u.script for u in units})


# ----------------------------------------------------------------------------------- timing


@dataclass
class Row:
    """One line of the table."""

    name: str
    seconds: float
    pages: int
    blocks: int
    note: str = ""


def _runbookdocs() -> list[str]:
    exe = Path(sys.executable).with_name("runbookdocs")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "runbookdocs.cli"]


def _timed(
    cmd: list[str],
    cwd: Path,
    repeat: int,
    before: object = None,
    extra_env: dict[str, str] | None = None,
) -> tuple[float, str]:
    """Best wall-clock time of `repeat` runs of `cmd`; `before()` runs untimed before each."""
    env = {
        **os.environ,
        "RUNBOOKDOCS_PLAIN": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        **(extra_env or {}),
    }
    best, err = float("inf"), ""
    for _ in range(repeat):
        if callable(before):
            before()
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        if elapsed < best:  # the output that goes with the time kept
            best, err = elapsed, proc.stdout + proc.stderr
    return best, err


_CHECKED = re.compile(
    r"checked (\d+) page\(s\), (\d+) block\(s\): (\d+) error\(s\), "
    r"(\d+) warning\(s\) in ([0-9.]+) s"
)


def _parse_check(output: str) -> tuple[int, int, str]:
    m = _CHECKED.search(output)
    if m is None:
        raise SystemExit(f"unexpected runbookdocs output:\n{output[-2000:]}")
    note = f"{m.group(3)} errors, {m.group(4)} warnings; {m.group(5)} s after start-up"
    return int(m.group(1)), int(m.group(2)), note


def measure(
    corpus: Path,
    repeat: int,
    *,
    yaml_libs: tuple[str, ...] = ("ruamel", "pyyaml"),
    touched: bool = True,
) -> list[Row]:
    """Every row of the table for one corpus."""
    rows: list[Row] = []
    me = [sys.executable, str(Path(__file__).resolve())]
    for lib in yaml_libs:
        if lib == "pyyaml":
            try:
                import yaml  # noqa: F401
            except ImportError:
                continue
        seconds, out = _timed([*me, "--baseline", str(corpus), "--yaml", lib], corpus, repeat)
        pages, blocks, bad = json.loads(out.strip().splitlines()[-1])
        name = (
            "bare loop (markdown-it-py, json, "
            + ("ruamel.yaml" if lib == "ruamel" else "PyYAML C")
            + ", configparser)"
        )
        rows.append(Row(name, seconds, pages, blocks, f"{bad} parse failures"))
    cache = corpus / ".runbookdocs-cache"

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    check = [*_runbookdocs(), "check"]
    off = {"RUNBOOKDOCS_SHELLCHECK": "0"}
    seconds, out = _timed([*check, "--no-cache"], corpus, repeat, extra_env=off)
    rows.append(Row("runbookdocs check --no-cache, shellcheck off", seconds, *_parse_check(out)))
    seconds, out = _timed([*check, "--no-cache"], corpus, repeat)
    rows.append(Row("runbookdocs check --no-cache", seconds, *_parse_check(out)))
    seconds, n = shellcheck_alone(corpus)
    rows.append(
        Row("  of which shellcheck alone", seconds, 0, 0, f"{n} distinct scripts, in-process")
    )
    seconds, out = _timed(check, corpus, repeat, before=clear)
    rows.append(Row("runbookdocs check, cold (empty cache)", seconds, *_parse_check(out)))
    seconds, out = _timed(check, corpus, repeat)
    rows.append(Row("runbookdocs check, warm (unchanged tree)", seconds, *_parse_check(out)))
    if touched:
        page = sorted((corpus / "docs").rglob("*.md"))[0]
        original = page.read_text(encoding="utf-8")

        def touch() -> None:
            # A prose edit: the page's text changes, its blocks and anchors do not.
            page.write_text(original + f"\nNote ajoutée à {time.time_ns()}.\n", encoding="utf-8")

        seconds, out = _timed(check, corpus, repeat, before=touch)
        page.write_text(original, encoding="utf-8")
        rows.append(Row("runbookdocs check, warm, one page edited", seconds, *_parse_check(out)))
    return rows


def print_table(rows: list[Row], corpus: Path) -> None:
    """The table, with each time as a ratio to the first (baseline) row."""
    files = list((corpus / "docs").rglob("*.md"))
    size = sum(f.stat().st_size for f in files)
    print(f"\ncorpus: {len(files)} pages, {size / 1e6:.1f} MB, in {corpus}")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s)\n")
    base = rows[0].seconds
    name_w = max(len(r.name) for r in rows)
    print(f"{'':{name_w}}  {'time':>8}  {'vs bare':>8}  {'pages':>6}  {'blocks':>7}  note")
    for r in rows:
        print(
            f"{r.name:{name_w}}  {r.seconds:7.2f}s  {r.seconds / base:7.2f}x  {r.pages:6d}  "
            f"{r.blocks:7d}  {r.note}"
        )
    print_targets(rows)


def print_targets(rows: list[Row]) -> None:
    """The two speed targets of the static check, read from the table."""
    by_name = {r.name.strip(): r for r in rows}
    base = rows[0].seconds
    own = by_name.get("runbookdocs check --no-cache, shellcheck off")
    warm = by_name.get("runbookdocs check, warm (unchanged tree)")
    alone = by_name.get("of which shellcheck alone")
    try:
        import sqlglot.parser as sqlglot_parser

        compiled = sqlglot_parser.__file__.endswith((".so", ".pyd"))
    except ImportError:
        compiled = False
    print(f"\nsqlglot compiled (runbookdocs[fast]): {'yes' if compiled else 'no'}")
    if own is not None:
        verdict = "met" if own.seconds <= base else "NOT met"
        print(
            f"target 1, a cold check no slower than the bare loop: {own.seconds / base:.2f}x, "
            f"{verdict} (every check runbookdocs does itself, bash -n included)"
        )
    if warm is not None:
        print(
            f"target 2, an unchanged tree near-instant: {warm.seconds:.2f} s, "
            f"{warm.seconds / base:.2f}x the bare loop (mostly interpreter start-up)"
        )
    if alone is not None and alone.seconds:
        print(
            f"shellcheck, an external linter the bare loop does not run, takes "
            f"{alone.seconds:.1f} s on its own for {alone.note.split()[0]} scripts never seen "
            "before; its comments are cached per script"
        )


# ----------------------------------------------------------------------------------- modes


def profile(corpus: Path) -> None:
    """Where a cold check spends its time (pyinstrument when installed, else cProfile)."""
    os.chdir(corpus)
    os.environ["RUNBOOKDOCS_PLAIN"] = "1"
    from runbookdocs.cli import main

    argv = ["check", "--no-cache"]
    try:
        from pyinstrument import Profiler
    except ImportError:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.runcall(main, argv)
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
        return
    profiler = Profiler(interval=0.001)
    profiler.start()
    main(argv)
    profiler.stop()
    sys.stderr.write(profiler.output_text(unicode=True, color=False, show_all=False))


def scaling(sizes: list[int], repeat: int, out: Path, workdir: Path) -> None:
    """Check time against corpus size, printed and plotted."""
    series: dict[str, list[float]] = {}
    for n in sizes:
        corpus = generate(workdir / f"corpus-{n}", n)
        rows = measure(corpus, repeat, yaml_libs=("ruamel",), touched=False)
        print_table(rows, corpus)
        for r in rows:
            if r.pages:  # "of which" rows are parts of another row, not a curve
                series.setdefault(r.name, []).append(r.seconds)
        shutil.rmtree(corpus, ignore_errors=True)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    labels = {
        "bare loop (markdown-it-py, json, ruamel.yaml, configparser)": (
            "boucle nue (markdown-it-py, json, ruamel.yaml, configparser)"
        ),
        "runbookdocs check --no-cache": "runbookdocs check --no-cache",
        "runbookdocs check --no-cache, shellcheck off": (
            "runbookdocs check --no-cache, sans shellcheck"
        ),
        "runbookdocs check, cold (empty cache)": "runbookdocs check, cache vide",
        "runbookdocs check, warm (unchanged tree)": "runbookdocs check, arbre inchangé (cache)",
    }
    for name, values in series.items():
        ax.plot(sizes, values, marker="o", label=labels.get(name, name))
    ax.set_xlabel("pages (≈ 5 Ko et 9 blocs par page)")
    ax.set_ylabel("durée (s, processus complet)")
    ax.set_title("Vérification statique selon la taille de la base")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    print(f"\nplot written to {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        default=True,
        help="200 pages, one run of each (the default)",
    )
    parser.add_argument("--full", action="store_true", help="1,000 pages, best of 3")
    parser.add_argument("--pages", type=int, help="corpus size (overrides --quick/--full)")
    parser.add_argument("--repeat", type=int, help="runs per figure; the best one is kept")
    parser.add_argument("--corpus", type=Path, help="use (or create) this corpus directory")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also profile a cold check in-process and print where time goes",
    )
    parser.add_argument("--sizes", help="comma-separated corpus sizes: plot time against size")
    parser.add_argument("--plot", type=Path, default=PLOT, help=f"PNG for --sizes ({PLOT})")
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--yaml", default="ruamel", choices=("ruamel", "pyyaml"), help=argparse.SUPPRESS
    )
    parser.add_argument("--profile-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.baseline:  # the child process that times the bare loop
        files = sorted((args.baseline / "docs").rglob("*.md"))
        print(json.dumps(baseline(files, args.yaml)))
        return 0
    if args.profile_only:
        profile(args.profile_only)
        return 0
    pages = args.pages or (1000 if args.full else 200)
    repeat = args.repeat or (3 if args.full else 1)
    with tempfile.TemporaryDirectory(prefix="rbd-bench-") as tmp:
        if args.sizes:
            sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
            scaling(sizes, repeat, args.plot, Path(tmp))
            return 0
        corpus = args.corpus or Path(tmp) / "corpus"
        if not (corpus / "docs").is_dir():
            generate(corpus, pages)
        print_table(measure(corpus, repeat), corpus)
        if args.profile:
            print("\nprofile of a cold check (runbookdocs check --no-cache), in-process:")
            sys.stdout.flush()
            subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--profile-only", str(corpus)],
                check=False,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
