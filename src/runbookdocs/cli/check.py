"""`runbookdocs check` (static checks, no containers) and `runbookdocs list` (every block)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from runbookdocs.cli import base
from runbookdocs.errors import UsageError

if TYPE_CHECKING:
    from runbookdocs.config import Config


def _check_args(p: argparse.ArgumentParser) -> None:
    base.add_paths(p)
    base.add_reports(p)
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="processes checking pages (default: one per CPU; used from "
        "64 pages to check, on Linux)",
    )
    p.add_argument(
        "--select",
        metavar="CODES",
        help="comma-separated finding codes to report, replacing the project's select "
        "(ids, names, prefixes, shellcheck codes: RBD5,todo-marker,SC2086; ALL for everything)",
    )
    p.add_argument(
        "--ignore",
        metavar="CODES",
        help="comma-separated finding codes not to report, added to the project's ignore",
    )
    p.add_argument(
        "--dialect",
        choices=("mkdocs", "commonmark", "github", "hugo"),
        help="how the pages are rendered (default: the project's dialect, else detected)",
    )


def _codes(option: str, text: str | None) -> tuple[str, ...]:
    """The codes of `--select`/`--ignore`; a usage error names unknown ones."""
    from runbookdocs.selection import unknown

    if text is None:
        return ()
    listed = tuple(c.strip() for c in text.split(",") if c.strip())
    if not listed:
        raise UsageError(f"{option}: give finding codes, e.g. {option} RBD505,SC2086")
    bad = unknown(listed)
    if bad:
        raise UsageError(
            f"{option}: unknown finding code(s) {', '.join(map(repr, bad))}; "
            "see docs/reference/codes.md (RBD505, todo-marker, RBD5, SC2086, ALL)"
        )
    return listed


def configured(args: argparse.Namespace) -> Config:
    """The project's configuration with `--select`, `--ignore` and `--dialect` applied."""
    import dataclasses
    from types import MappingProxyType

    select = _codes("--select", getattr(args, "select", None))
    ignore = _codes("--ignore", getattr(args, "ignore", None))
    config = base.load(args, args.paths)
    dialect = getattr(args, "dialect", None)
    return dataclasses.replace(
        config,
        select=select or config.select,
        ignore=(*config.ignore, *ignore),
        dialect=dialect or config.dialect,
        dialects=MappingProxyType({}) if dialect else config.dialects,
    )


def run_check(args: argparse.Namespace) -> int:
    """Check the pages; print findings; exit 1 when a page has an error."""
    import os

    from runbookdocs.cache import Cache
    from runbookdocs.console import Progress, signals_as_interrupt
    from runbookdocs.validate import check_files

    if args.jobs < 0:
        raise UsageError(f"--jobs {args.jobs}: give a number of processes, or 0 for one per CPU")
    config = configured(args)
    files = _pages(args.paths, config)
    if not files and args.paths and all(p.is_file() and p.suffix != ".md" for p in args.paths):
        # Only snippets or schemas no page uses (pre-commit passes what changed): nothing
        # to check is not an error.
        print("no page uses the files given: nothing to check", file=sys.stderr)
        return 0
    if not files:
        raise base.no_files("check", args, config)
    _say_dialects(files, config)
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
    base.print_findings(report)
    base.write_reports(report, args)
    # Findings, as printed above: a block or page with two errors is two, not one.
    found = Counter(f.severity for r in report.results for f in r.findings)
    print(
        f"checked {run.pages} page(s), {run.blocks} block(s): {found['error']} error(s), "
        f"{found['warning']} warning(s) in {report.duration_s:.2f} s",
        file=sys.stderr,
    )
    return report.exit_code(strict=args.strict)


def _pages(paths: list[Path], config: Config) -> list[Path]:
    """The pages to check: Markdown files and directories as given, plus the pages that use a
    snippet or schema given (what pre-commit passes when one changes)."""
    from runbookdocs.dependents import split_paths
    from runbookdocs.document import iter_markdown

    if not paths:
        return list(iter_markdown([config.docs_dir], config))
    selection = split_paths(paths, config)
    for other, users in selection.used_by.items():
        if not other.exists():
            raise UsageError(f"{other}: no such file or directory")
        print(
            f"{other}: used by {len(users)} page(s)"
            + (f": {', '.join(map(config.display, users))}" if users else ""),
            file=sys.stderr,
        )
    pages = list(iter_markdown(selection.pages, config)) if selection.pages else []
    return sorted({*pages, *selection.dependent_pages}, key=config.display)


def _say_dialects(files: list[Path], config: Config) -> None:
    """Say which dialect pages are read in when it was detected rather than configured."""
    from collections import Counter

    from runbookdocs.dialect import dialect_for

    found = Counter(dialect_for(f, config) for f in files)
    for dialect, pages in sorted(found.items(), key=lambda item: str(item[0])):
        if dialect.reason.startswith("detected"):
            base.stderr(f"dialect: {dialect.name} for {pages} page(s), {dialect.reason}")


def _list_args(p: argparse.ArgumentParser) -> None:
    base.add_paths(p)
    p.add_argument("--json", action="store_true", help="one JSON object per line")


def run_list(args: argparse.Namespace) -> int:
    """Print every block: location, id, kind, target, runnable or why not (and, in JSON,
    whether the static checks validate its content, or why not)."""
    import json

    from runbookdocs.validate import documents_from_paths, why_not_checked

    config = base.load(args, args.paths)
    for doc in documents_from_paths(args.paths, config):
        for b in doc.blocks:
            why = b.why_not_run()
            unchecked = why_not_checked(b, doc)
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
                            "checked": unchecked is None,
                            "not_checked": unchecked,
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


COMMANDS = (
    base.Command("check", "validate runbooks statically (no containers)", _check_args, run_check),
    base.Command(
        "list",
        "list every block: location, id, kind, target, runnable or why not",
        _list_args,
        run_list,
    ),
)
