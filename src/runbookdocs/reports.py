"""Merging run reports: the JSON reports of several CI shards joined into the one the site reads.

A knowledge base split across CI machines (`runbookdocs run --shard K/N --report report-K.json`)
yields one report per shard; the site and its badges read a single report. Merging keeps every
result as written (it goes through `Report.from_json` and back, which keeps every field the
format has), recomputes the summary, and takes the longest shard's duration as the wall-clock
duration of the whole run.

A page whose results for one stage appear in two inputs means the shards overlapped (or the same
file was given twice): that is refused, unless `replace` says that later reports win, which
overlays a re-run of a few pages onto a full report. The command is `runbookdocs.cli.report`.
"""

from __future__ import annotations

from pathlib import Path

from runbookdocs.errors import UsageError
from runbookdocs.results import Report, ReportFormatError, Result


def read_report(path: Path) -> Report:
    """Read a JSON report written by `--report`.

    Raises:
        UsageError: the file is missing, not JSON, or not a report this version reads.
    """
    try:
        return Report.read(path)
    except FileNotFoundError as err:
        raise UsageError(f"{path}: no such file") from err
    except OSError as err:
        raise UsageError(f"{path}: cannot read: {err.strerror or err}") from err
    except ReportFormatError as err:
        raise UsageError(f"{path}: {err}", hint="give the files written by --report") from err


def merge_reports(reports: list[tuple[str, Report]], *, replace: bool = False) -> Report:
    """Merge `(name, report)` pairs, in order, into one report.

    Raises:
        UsageError: a page has results for the same stage in two inputs and `replace` is off.
    """
    owner: dict[tuple[str, str], str] = {}
    """(page, stage) -> name of the input its results come from."""
    kept: dict[tuple[str, str], list[Result]] = {}
    clashes: list[str] = []
    for name, report in reports:
        mine: dict[tuple[str, str], list[Result]] = {}
        for r in report.results:
            mine.setdefault((r.path, r.stage), []).append(r)
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
    return Report(
        [r for group in kept.values() for r in group],
        max((rep.duration_s for _, rep in reports), default=0.0),
    )


__all__ = ["merge_reports", "read_report"]
