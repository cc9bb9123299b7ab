"""The `runbookdocs` command: check | list | run | images | clean | new | play.

Exit status: 0 all good, 1 a runbook is wrong, 2 usage, configuration, tool or environment error.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from runbookdocs.errors import RunbookdocsError, UsageError
from runbookdocs.results import Report

Command = Callable[[argparse.Namespace], int]
COMMAND_MODULES = (
    "runbookdocs.run.commands",
    "runbookdocs.scaffold",
    "runbookdocs.play",
    "runbookdocs.reports",
)
"""Modules that register more sub-commands with `@command` when imported (kept light)."""
COMMANDS: dict[str, tuple[Callable[[argparse.ArgumentParser], None], Command, str]] = {}


def command(
    name: str, help: str, add_args: Callable[[argparse.ArgumentParser], None]
) -> Callable[[Command], Command]:
    """Register the decorated function as sub-command `name`; `add_args` declares its options."""

    def register(run: Command) -> Command:
        COMMANDS[name] = (add_args, run, help)
        return run

    return register


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", hint=f"see '{self.prog} --help'")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATHS",
        help="Markdown files or directories (default: the configured docs directory)",
    )
    p.add_argument(
        "--config",
        type=Path,
        help="configuration file (default: nearest "
        "pyproject.toml with [tool.runbookdocs], or runbookdocs.toml)",
    )


def _reports(p: argparse.ArgumentParser) -> None:
    p.add_argument("--report", type=Path, metavar="FILE", help="write a JSON report")
    p.add_argument("--junit", type=Path, metavar="FILE", help="write a JUnit XML report")
    p.add_argument("--strict", action="store_true", help="warnings fail the run")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not update the cache")


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from runbookdocs.config import load_config

    return load_config(args.config)


def _write_reports(report: Report, args: argparse.Namespace) -> None:
    if getattr(args, "report", None):
        report.write_json(args.report)
    if getattr(args, "junit", None):
        report.write_junit(args.junit)


def print_findings(report: Report, *, stream: TextIO | None = None) -> None:
    """Print every finding compiler-style, in page order."""
    out = stream or sys.stdout
    printed: set[str] = set()
    for r in sorted(report.results, key=lambda r: (r.path, r.line)):
        if r.outcome == "passed" or r.outcome == "skipped":
            continue
        texts = [f.render() for f in sorted(r.findings, key=lambda f: f.location)] or [
            f"{r.path}:{r.line}:1: {r.severity or 'error'}: {r.message}"
        ]
        for t in texts:
            if t not in printed:
                printed.add(t)
                print(t, file=out)


def _check_args(p: argparse.ArgumentParser) -> None:
    _common(p)
    _reports(p)
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="processes checking pages (default: one per CPU; used from "
        "64 pages to check, on Linux)",
    )


@command("check", "validate runbooks statically (no containers)", _check_args)
def run_check(args: argparse.Namespace) -> int:
    import os

    from runbookdocs.cache import Cache
    from runbookdocs.console import Progress, signals_as_interrupt
    from runbookdocs.document import iter_markdown
    from runbookdocs.validate import check_files

    if args.jobs < 0:
        raise UsageError(f"--jobs {args.jobs}: give a number of processes, or 0 for one per CPU")
    config = _load(args)
    files = list(iter_markdown(list(args.paths) or [config.docs_dir], config))
    if not files:
        raise UsageError(
            "no Markdown files to check in "
            + ", ".join(map(str, args.paths or [config.display(config.docs_dir)]))
        )
    cache = Cache(config.cache_dir, enabled=not args.no_cache)
    with signals_as_interrupt(), Progress(len(files), "check") as progress:
        run = check_files(
            files,
            config,
            cache=cache,
            jobs=args.jobs or os.cpu_count() or 1,
            on_page=progress.advance,
        )
    cache.close()
    report = run.report
    print_findings(report)
    _write_reports(report, args)
    s = report.summary()
    print(
        f"checked {run.pages} page(s), {run.blocks} block(s): {s['failed']} error(s), "
        f"{s['warnings']} warning(s) in {report.duration_s:.2f} s",
        file=sys.stderr,
    )
    return report.exit_code(strict=args.strict)


def _list_args(p: argparse.ArgumentParser) -> None:
    _common(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line")


@command("list", "list every block: location, id, kind, target, runnable or why not", _list_args)
def run_list(args: argparse.Namespace) -> int:
    import json

    from runbookdocs.validate import documents_from_paths

    config = _load(args)
    for doc in documents_from_paths(args.paths, config):
        for b in doc.blocks:
            why = b.why_not_run()
            if args.json:
                print(
                    json.dumps(
                        {
                            "location": str(b),
                            "id": b.id,
                            "kind": b.kind,
                            "lang": b.lang,
                            "target": b.target,
                            "runnable": why is None,
                            "reason": why,
                            "hidden": b.hidden,
                        },
                        ensure_ascii=False,
                    )
                )
            else:
                print(
                    f"{b!s:40} {'#' + b.id if b.id else '-':24} {b.kind:14} "
                    f"{b.target or '-':12} {'runnable' if why is None else why}"
                )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command."""
    from runbookdocs import __version__

    for module in COMMAND_MODULES:
        if importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    parser = _Parser(prog="runbookdocs", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"runbookdocs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (add_args, _, help_text) in COMMANDS.items():
        add_args(sub.add_parser(name, help=help_text, description=help_text))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        return COMMANDS[args.command][1](args)
    except RunbookdocsError as err:
        print(f"runbookdocs: {err.render()}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("runbookdocs: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:
        if os.environ.get("RUNBOOKDOCS_DEBUG"):
            raise
        print(
            f"runbookdocs: internal error: {type(err).__name__}: {err}\n"
            "    Hint: this is a bug in runbookdocs; rerun with RUNBOOKDOCS_DEBUG=1 for the "
            "traceback and report it",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    # `python -m runbookdocs.cli`: command modules register with the imported `runbookdocs.cli`,
    # not with this `__main__` copy of it.
    from runbookdocs.cli import main as _main

    sys.exit(_main())
