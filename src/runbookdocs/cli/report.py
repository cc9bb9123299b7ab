"""`runbookdocs report merge`: join the JSON reports of CI shards (see `runbookdocs.reports`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from runbookdocs.cli import base
from runbookdocs.errors import UsageError


def _report_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    merge = sub.add_parser(
        "merge",
        help="merge JSON reports (one per shard) into one",
        description="merge JSON reports (one per shard) into one",
    )
    merge.add_argument(
        "inputs", nargs="+", type=Path, metavar="REPORT", help="JSON reports written by --report"
    )
    merge.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write the merged report (default: standard output)",
    )
    merge.add_argument(
        "--replace",
        action="store_true",
        help="a page found in several reports keeps the results of the last one",
    )
    merge.add_argument(
        "--exit-status",
        action="store_true",
        help="exit 1 when the merged report has failures, 2 when it has errors",
    )
    merge.add_argument(
        "--strict", action="store_true", help="with --exit-status, warnings count as failures"
    )


def run_report(args: argparse.Namespace) -> int:
    """`runbookdocs report merge A.json B.json -o merged.json`."""
    from runbookdocs.reports import merge_reports, read_report

    if args.action != "merge":
        raise UsageError(
            "report: missing action (merge)",
            hint="runbookdocs report merge A.json B.json -o merged.json",
        )
    merged = merge_reports([(str(p), read_report(p)) for p in args.inputs], replace=args.replace)
    if args.output:
        merged.write_json(args.output)
        config = base.load(args)
        if config.history is not None:  # the shards' runs, recorded once (shards record none)
            from runbookdocs.history import record

            record(config.history, merged, config.history_size)
    else:
        sys.stdout.write(json.dumps(merged.to_json(), indent=2, ensure_ascii=False) + "\n")
    s = merged.summary()
    print(
        f"merged {len(args.inputs)} report(s), {len(merged.results)} result(s): "
        f"{s['passed']} passed, {s['failed']} failed, {s['skipped']} skipped, "
        f"{s['errors']} error(s), {s['warnings']} warning(s)"
        + (f" -> {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return merged.exit_code(strict=args.strict) if args.exit_status else 0


COMMANDS = (
    base.Command(
        "report", "work with JSON reports (merge the reports of shards)", _report_args, run_report
    ),
)
