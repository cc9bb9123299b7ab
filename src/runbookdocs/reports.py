"""`runbookdocs report merge`: join the JSON reports of several shards into one.

A knowledge base split across CI machines (`runbookdocs run --shard K/N --report report-K.json`)
yields one report per shard; the site and its badges read a single report. Merging keeps every
result as written (extra fields such as `started_at` and `output` included), recomputes the
summary, and takes the longest shard's duration as the wall-clock duration of the whole run.

A page whose results for one stage appear in two inputs means the shards overlapped (or the same
file was given twice): that is refused, unless `--replace` says that later files win, which
overlays a re-run of a few pages onto a full report.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from runbookdocs.cli import command
from runbookdocs.errors import UsageError
from runbookdocs.results import REPORT_VERSION, Report, Result, atomic_write

_OUTCOMES = ("passed", "failed", "skipped", "error")


def load_report(path: Path) -> dict[str, Any]:
    """Read a JSON report and check that it is a runbookdocs report of a known version.

    Raises:
        UsageError: the file is missing, not JSON, or not a version-1 report.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as err:
        raise UsageError(f"{path}: cannot read: {err.strerror or err}") from None
    except (UnicodeDecodeError, ValueError) as err:
        raise UsageError(
            f"{path}: not a JSON file: {err}", hint="give the files written by --report"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(
            f"{path}: not a runbookdocs report (no 'results' list)",
            hint="give the files written by --report",
        )
    if data.get("version") != REPORT_VERSION:
        raise UsageError(
            f"{path}: report version {data.get('version')!r} is not supported "
            f"(expected {REPORT_VERSION})",
            hint="merge reports written by the same runbookdocs version",
        )
    for i, r in enumerate(data["results"]):
        if (
            not isinstance(r, dict)
            or not isinstance(r.get("path"), str)
            or r.get("outcome") not in _OUTCOMES
            or r.get("stage") not in ("validate", "run")
        ):
            raise UsageError(f"{path}: result #{i + 1} is malformed: {json.dumps(r)[:120]}")
    return data


def summarize(results: list[dict[str, Any]]) -> dict[str, int]:
    """The report summary of JSON results, counted exactly as `Report.summary` counts."""
    return Report(
        [
            Result(
                path=r["path"],
                line=int(r.get("line") or 0),
                kind=str(r.get("kind", "")),
                stage=r["stage"],
                outcome=r["outcome"],
                severity=r.get("severity"),
            )
            for r in results
        ]
    ).summary()


def merge_reports(
    reports: list[tuple[str, dict[str, Any]]], *, replace: bool = False
) -> dict[str, Any]:
    """Merge `(name, report)` pairs, in order, into one report.

    Raises:
        UsageError: a page has results for the same stage in two inputs and `replace` is off.
    """
    owner: dict[tuple[str, str], str] = {}
    """(page, stage) -> name of the input its results come from."""
    kept: dict[tuple[str, str], list[dict[str, Any]]] = {}
    clashes: list[str] = []
    for name, report in reports:
        mine: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in report["results"]:
            mine.setdefault((r["path"], r["stage"]), []).append(r)
        for key, results in mine.items():
            if key in owner and not replace:
                clashes.append(f"{key[0]} ({key[1]}): in {owner[key]} and {name}")
                continue
            owner[key] = name
            kept[key] = results  # a later input replaces the page's results as a whole
    if clashes:
        shown = "\n".join(f"    {c}" for c in clashes[:10])
        more = f"\n    ... and {len(clashes) - 10} more" if len(clashes) > 10 else ""
        raise UsageError(
            f"{len(clashes)} page(s) have results in more than one report:\n{shown}{more}",
            hint="shards must be disjoint; pass --replace to let later files win",
        )
    results = [r for group in kept.values() for r in group]
    durations = [float(rep.get("duration_s") or 0.0) for _, rep in reports]
    return {
        "version": REPORT_VERSION,
        "summary": summarize(results),
        "duration_s": round(max(durations, default=0.0), 3),
        "results": results,
    }


def exit_status(summary: dict[str, int], *, strict: bool = False) -> int:
    """0 when clean, 1 when a runbook is wrong, 2 when the tool or environment failed."""
    if summary["errors"]:
        return 2
    if summary["failed"] or (strict and summary["warnings"]):
        return 1
    return 0


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


@command("report", "work with JSON reports (merge the reports of shards)", _report_args)
def run_report(args: argparse.Namespace) -> int:
    """`runbookdocs report merge A.json B.json -o merged.json`."""
    if args.action != "merge":
        raise UsageError(
            "report: missing action (merge)",
            hint="runbookdocs report merge A.json B.json -o merged.json",
        )
    merged = merge_reports([(str(p), load_report(p)) for p in args.inputs], replace=args.replace)
    text = json.dumps(merged, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        atomic_write(args.output, text)
    else:
        sys.stdout.write(text)
    s = merged["summary"]
    print(
        f"merged {len(args.inputs)} report(s), {len(merged['results'])} result(s): "
        f"{s['passed']} passed, {s['failed']} failed, {s['skipped']} skipped, "
        f"{s['errors']} error(s), {s['warnings']} warning(s)"
        + (f" -> {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return exit_status(s, strict=args.strict) if args.exit_status else 0
