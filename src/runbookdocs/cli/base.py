"""What every sub-command shares: the `Command` type, common options, loading the configuration,
writing reports and printing findings.

Command modules import only this module (never `runbookdocs.cli` itself), so the package has no
import cycle; they import anything heavy (docker, pexpect, rich) inside their `run` function,
because every module is imported to build `--help`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from runbookdocs.errors import UsageError

if TYPE_CHECKING:
    from runbookdocs.config import Config
    from runbookdocs.results import Report


@dataclass(frozen=True)
class Command:
    """A sub-command: its name, one line of help, its options and what it does."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    """Returns the exit status: 0 all good, 1 a runbook is wrong, 2 usage or environment."""


def add_config(p: argparse.ArgumentParser) -> None:
    """`--config FILE`."""
    p.add_argument(
        "--config",
        type=Path,
        help="configuration file (default: nearest "
        "pyproject.toml with [tool.runbookdocs], or runbookdocs.toml)",
    )


def add_paths(p: argparse.ArgumentParser) -> None:
    """`PATHS...` and `--config`."""
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="Markdown files or directories (default: the configured docs directory)",
    )
    add_config(p)


def add_reports(p: argparse.ArgumentParser) -> None:
    """`--report`, `--junit`, `--strict`, `--no-cache`."""
    p.add_argument("--report", type=Path, metavar="FILE", help="write a JSON report")
    p.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    p.add_argument("--strict", action="store_true", help="warnings fail the run")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not update the cache")


def add_vars(p: argparse.ArgumentParser) -> None:
    """`--var NAME=VALUE` (repeatable); read with `runbookdocs.variables.parse_assignments`."""
    p.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a variable (highest priority; repeatable)",
    )


def positive(text: str) -> int:
    """An argparse type: an integer of at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return int(text)


def shard(text: str) -> tuple[int, int]:
    """An argparse type: `K/N` with 1 <= K <= N."""
    m = re.fullmatch(r"(\d+)/(\d+)", text)
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise argparse.ArgumentTypeError(f"{text!r}: write K/N with 1 <= K <= N, e.g. 2/4")
    return int(m.group(1)), int(m.group(2))


def load(args: argparse.Namespace, pages: Sequence[Path] = ()) -> Config:
    """The configuration `--config` names, or the nearest one: above the `pages` the command
    works on when they are given, above the working directory otherwise."""
    from runbookdocs.config import load_config

    explicit = getattr(args, "config", None)
    if explicit is not None or not pages:
        return load_config(explicit)
    return load_config(start=project_start(pages))


def project_start(pages: Sequence[Path]) -> Path:
    """Where the project of `pages` (files or folders) is looked for.

    `runbookdocs check ../their-repo/docs` is about that repository: its configuration, its
    snippets, its root, not those of the folder the command is typed in. Pages inside the
    working directory keep it as the project (its configuration, if any, is found upwards
    from the pages anyway). Without a configuration, the project is the repository holding
    the pages (the nearest `.git` above their common folder, below the working directory),
    else the working directory when it holds them, else their common folder.
    """
    from runbookdocs.config import find_config_file

    folders = [p.resolve() if p.is_dir() else p.resolve().parent for p in pages]
    configs = {find_config_file(folder) for folder in folders}
    if len(configs) > 1:  # one run reads one configuration: the others' rules would not hold
        named = ", ".join(sorted(str(c) if c else "(none)" for c in configs))
        raise UsageError(
            f"these paths belong to projects with different configurations ({named})",
            hint="check each project on its own, or name one with --config",
        )
    common = Path(os.path.commonpath(folders)) if len(folders) > 1 else folders[0]
    if configs != {None}:
        return common
    cwd = Path.cwd().resolve()
    for folder in (common, *common.parents):
        if folder == cwd:
            return cwd
        if (folder / ".git").exists():
            return folder
    return common


def no_files(what: str, args: argparse.Namespace, config: Config) -> UsageError:
    """The error for a command given no Markdown file to work on."""
    where = ", ".join(map(str, args.paths or [config.display(config.docs_dir)]))
    return UsageError(f"no Markdown files to {what} in {where}")


def write_reports(
    report: Report, args: argparse.Namespace, *, history: Config | None = None
) -> None:
    """Write `--report` and `--junit` when asked; with `history`, a `--report` run is also
    appended to the configuration's history file (`runbookdocs.history`)."""
    if getattr(args, "report", None):
        report.write_json(args.report)
        if history is not None and history.history is not None:
            from runbookdocs.history import record

            record(history.history, report, history.history_size)
    if getattr(args, "junit", None):
        report.write_junit(args.junit)


def print_findings(report: Report, *, stream: TextIO | None = None) -> None:
    """Print every finding compiler-style, in page order (terminal-safe)."""
    from runbookdocs.console import terminal_safe

    out = stream or sys.stdout
    printed: set[str] = set()
    for r in sorted(report.results, key=lambda r: (r.path, r.line)):
        if r.outcome in ("passed", "skipped"):
            continue
        # A failed result always carries its findings; the fallback keeps a (buggy) result
        # without any from going unseen.
        texts = [f.render() for f in sorted(r.findings, key=lambda f: f.location)] or [
            f"{r.path}:{r.line}:1: {r.severity or 'error'}: {r.message}"
        ]
        for text in texts:
            if text not in printed:
                printed.add(text)
                print(terminal_safe(text), file=out)


def stderr(message: str) -> None:
    """Print a progress or summary line to standard error."""
    print(message, file=sys.stderr, flush=True)
