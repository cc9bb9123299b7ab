"""Site build time, side by side: MkDocs and Zensical, each plain and with runbookdocs.

Four builds, each in its own temporary copy of the same generated corpus, with the same theme
(Material's, French), the same Markdown extensions (admonitions, content tabs, snippets,
highlighting) and the tags plugin; only the runbookdocs parts differ:

- **MkDocs plain**: `mkdocs build`, Material alone (the baseline of the 1.10x target);
- **MkDocs + runbookdocs**: the same with the `runbookdocs` plugin and Markdown extension
  (badges, banner, variables form, decision trees, report page, tags);
- **Zensical plain**: `zensical build --clean` of the plain configuration;
- **Zensical + runbookdocs**: `runbookdocs site prepare` then `zensical build --clean` of the
  runbookdocs configuration (the two processes are timed together).

The corpus has a tags index page, as a Material site with the tags plugin has, and comes with
a run report (every step passed, with the pages' run digests), as a published site has one, so
badges, banners and the report page do their full work.

Each figure is the best of `--repeat` runs, after one untimed warm-up of each build; the four
builds take turns (ABCD ABCD ...) so that a busy machine slows them alike. The warm-up also
compiles every module the builds import into a bytecode cache of the run's own: MkDocs and
Material read the bytecode pip wrote at install, and runbookdocs, installed from source, must
not be compiled anew by each build either. Two clocks are shown: wall-clock time, and the CPU
time of the build's processes (user + system), which a shared machine disturbs less. MkDocs
builds use one core, so their two figures agree on a quiet machine; Zensical builds on several
threads.

With `--instructions`, each MkDocs build also runs once under valgrind's callgrind (after the
timed rounds, `PYTHONHASHSEED=0`): the number of instructions it executes does not depend on
the machine's load, so the ratio is the same on a busy machine as on a quiet one (Zensical
builds are left out: several threads, and Rust, whose work callgrind would count too).

Usage:
    python benchmarks/bench_site.py                      # quick: 50 pages, best of 1
    python benchmarks/bench_site.py --instructions       # and the instructions of each build
    python benchmarks/bench_site.py --full               # 50, 300 and 1,000 pages, best of 3
    python benchmarks/bench_site.py --sizes 50,1000 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402

TAGS_PAGE = "etiquettes.md"
"""The tags index of the corpus (French: runbookdocs' default `tags_page` for French sites)."""

TARGET = 1.10
"""MkDocs + runbookdocs against plain MkDocs (Material), from 50 to 1,000 pages."""

COMMON = """\
docs_dir: docs
site_dir: {site}
theme:
  name: material
  language: fr
  font: false
plugins:
  - search
{plugin}  - tags
markdown_extensions:
{extension}  - admonition
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
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
"""


def config(name: str, site: str, runbookdocs: bool) -> str:
    """A site configuration, plain or with runbookdocs."""
    return f"site_name: {name}\n" + COMMON.format(
        site=site,
        plugin="  - runbookdocs\n" if runbookdocs else "",
        extension="  - runbookdocs.site.extension\n" if runbookdocs else "",
    )


def write_report(project: Path) -> int:
    """A run report in which every step of every page passed (as `runbookdocs run` writes)."""
    from runbookdocs.config import load_config
    from runbookdocs.document import iter_markdown, read_document
    from runbookdocs.results import Report, Result

    cwd = Path.cwd()
    os.chdir(project)  # result paths are relative to where the run ran, like the CLI's
    try:
        cfg = load_config(start=project)
        report = Report()
        for file in iter_markdown([cfg.docs_dir], cfg):
            doc = read_document(file, cfg)
            digest = doc.run_digest()
            report.extend(
                Result(
                    b.path,
                    b.line,
                    b.kind,
                    "run",
                    "passed",
                    id=b.id,
                    target=b.run_target,
                    duration_s=0.05,
                    started_at="2026-11-30T08:00:00+00:00",
                    digest=digest,
                )
                for b in doc.blocks
                if b.runnable
            )
        report.write_json(cfg.report)
        return len(report.results)
    finally:
        os.chdir(cwd)


@dataclass
class Build:
    """One of the four builds and its best figures."""

    name: str
    commands: list[list[str]]
    site: Path
    wall: float = float("inf")
    cpu: float = float("inf")
    pages: int = 0
    instructions: int | None = None

    def run(self, project: Path, env: dict[str, str], timed: bool) -> None:
        shutil.rmtree(project / self.site, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        for command in self.commands:
            proc = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
            if proc.returncode != 0:
                output = (proc.stdout + proc.stderr)[-3000:]
                raise SystemExit(f"{self.name}: {' '.join(command)} failed:\n{output}")
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        self.pages = sum(1 for _ in (project / self.site).rglob("index.html"))
        if timed:
            self.wall, self.cpu = min(self.wall, wall), min(self.cpu, cpu)

    def count_instructions(self, project: Path, env: dict[str, str]) -> None:
        """Instructions the build executes, counted by callgrind (one command builds)."""
        (command,) = self.commands
        shutil.rmtree(project / self.site, ignore_errors=True)
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
            cwd=project,
            env={**env, "PYTHONHASHSEED": "0"},
            capture_output=True,
            text=True,
        )
        found = re.search(r"Collected : (\d+)", proc.stderr)
        if proc.returncode != 0 or found is None:
            raise SystemExit(f"{self.name}: callgrind failed:\n{proc.stderr[-3000:]}")
        self.instructions = int(found.group(1))


def builds(project: Path) -> list[Build]:
    """The four builds, their configurations written into `project`."""
    py = sys.executable
    (project / "mkdocs-plain.yml").write_text(config("plain", "site-plain", False), "utf-8")
    (project / "mkdocs-rbd.yml").write_text(config("runbookdocs", "site-rbd", True), "utf-8")
    zensical = shutil.which("zensical")
    out = [
        Build(
            "MkDocs plain (mkdocs-material)",
            [[py, "-m", "mkdocs", "build", "-q", "-f", "mkdocs-plain.yml"]],
            Path("site-plain"),
        ),
        Build(
            "MkDocs + runbookdocs (plugin + fences)",
            [[py, "-m", "mkdocs", "build", "-q", "-f", "mkdocs-rbd.yml"]],
            Path("site-rbd"),
        ),
    ]
    if zensical:
        out += [
            Build(
                "Zensical plain",
                [[zensical, "build", "--clean", "-f", "mkdocs-plain.yml"]],
                Path("site-plain"),
            ),
            Build(
                "Zensical + runbookdocs (prepare + extension)",
                [
                    [py, "-m", "runbookdocs.cli", "site", "prepare", "-f", "mkdocs-rbd.yml"],
                    [zensical, "build", "--clean", "-f", "mkdocs-rbd.yml"],
                ],
                Path("site-rbd"),
            ),
        ]
    return out


def measure(pages: int, repeat: int, instructions: bool = False) -> tuple[list[Build], int]:
    with tempfile.TemporaryDirectory(prefix="rbd-site-") as tmp:
        project = generate(Path(tmp) / "kb", pages)
        # A Material site with the tags plugin has a tags index page: both builds render this
        # one (runbookdocs generates its own only when the site has none).
        (project / "docs" / TAGS_PAGE).write_text(
            "# Étiquettes\n\n<!-- material/tags -->\n", encoding="utf-8"
        )
        results = write_report(project)
        # Every build reads compiled bytecode from one cache of the run's own (written by the
        # warm-up round), as an installed package does: pip compiles a wheel's modules, but an
        # editable install of runbookdocs would otherwise be compiled anew by each build.
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pycache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["NO_MKDOCS_2_WARNING"] = "1"
        table = builds(project)
        # Each build in a copy of its own: `runbookdocs site prepare` writes the report page
        # and the assets into the docs folder it prepares, which a plain build sharing that
        # folder would then render too (a slower baseline, a flattering ratio).
        copies = []
        for k, _ in enumerate(table):
            copy = Path(tmp) / f"build-{k}"
            shutil.copytree(project, copy)
            copies.append(copy)
        for attempt in range(repeat + 1):  # the first round only warms caches and imports
            for build, copy in zip(table, copies, strict=True):
                build.run(copy, env, timed=attempt > 0)
        if instructions:
            for build, copy in zip(table[:2], copies[:2], strict=True):
                build.count_instructions(copy, env)
        return table, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--full", action="store_true", help="50, 300 and 1,000 pages, best of 3")
    parser.add_argument("--pages", type=int, help="one corpus size (default 50)")
    parser.add_argument("--sizes", help="several corpus sizes, e.g. 50,300,1000")
    parser.add_argument("--repeat", type=int, help="timed rounds; the best of each is kept")
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the instructions of each MkDocs build (valgrind; load-independent)",
    )
    args = parser.parse_args(argv)
    if args.instructions and shutil.which("valgrind") is None:
        print("--instructions needs valgrind (apt-get install valgrind)", file=sys.stderr)
        return 2
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    elif args.pages:
        sizes = [args.pages]
    else:
        sizes = [50, 300, 1000] if args.full else [50]
    repeat = args.repeat or (3 if args.full else 1)
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError:
        print("mkdocs and mkdocs-material are needed: pip install -e '.[site]'", file=sys.stderr)
        return 2
    print(
        f"site builds, best of {repeat} (after a warm-up); python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPU(s); wall-clock and CPU seconds"
    )
    verdicts = []
    for pages in sizes:
        table, results = measure(pages, repeat, args.instructions)
        print(f"\n{pages} generated pages ({results} passed steps in the report)\n")
        width = max(len(b.name) for b in table)
        print(f"{'':{width}}  {'wall':>7}  {'ratio':>6}  {'CPU':>7}  {'ratio':>6}  pages")
        for i, b in enumerate(table):
            base = table[i - i % 2]  # the plain build of the same builder
            print(
                f"{b.name:{width}}  {b.wall:6.2f}s  {b.wall / base.wall:5.2f}x  "
                f"{b.cpu:6.2f}s  {b.cpu / base.cpu:5.2f}x  {b.pages}"
            )
        if len(table) == 4:
            print(
                f"{'Zensical + runbookdocs vs MkDocs + runbookdocs':{width}}  "
                f"{'':7}  {table[3].wall / table[1].wall:5.2f}x  "
                f"{'':7}  {table[3].cpu / table[1].cpu:5.2f}x"
            )
        else:
            print("note: zensical is not installed; its rows are left out")
        plain, rbd = table[0].instructions, table[1].instructions
        if plain and rbd:
            print(
                f"\ninstructions (callgrind): {table[0].name} {plain / 1e6:,.0f}M, "
                f"{table[1].name} {rbd / 1e6:,.0f}M: {rbd / plain:.3f}x"
            )
        ratio = rbd / plain if plain and rbd else None
        verdicts.append((pages, table[1].wall / table[0].wall, table[1].cpu / table[0].cpu, ratio))
    print()
    for pages, wall, cpu, counted in verdicts:
        # Judged on CPU time, or on instructions when counted: other processes of a shared
        # machine move wall-clock time most, CPU time less, instructions not at all.
        judged = counted if counted is not None else cpu
        state = "met" if judged <= TARGET else "NOT met"
        extra = f", {counted:.3f}x instructions" if counted is not None else ""
        print(
            f"target, MkDocs + runbookdocs within {TARGET:.2f}x plain Material at {pages} pages: "
            f"{cpu:.2f}x CPU ({wall:.2f}x wall{extra}), {state}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
