"""The run report as the site reads it: per-block verification status, per-page freshness.

The report is the JSON written by `runbookdocs run --report` (format v1, see CONTRIBUTING.md).
Only `stage: "run"` results count as verification; `validate` results say nothing about whether
a command works. Results are matched to blocks by page path and block line, or by block id when
the line moved since the run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from runbookdocs.block import Block, NotRun

State = Literal["verified", "failing", "not-run", "unverified"]

_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def french_date(value: dt.date | dt.datetime) -> str:
    """`5 mars 2026`: dates as French readers write them."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


def french_duration(seconds: float) -> str:
    """`0,12 s`, `2 min 05 s`: durations with a French decimal comma."""
    if seconds < 60:
        text = f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"
        return text.replace(".", ",") + " s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def parse_time(value: Any) -> dt.datetime | None:
    """An ISO timestamp from the report, made timezone-aware (UTC when it says nothing)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


@dataclass(frozen=True)
class BlockStatus:
    """What a reader is told about one block: a state, a short label and a longer detail."""

    state: State
    label: str
    """The badge text, in French."""
    detail: str = ""
    """The badge tooltip: the reason, the failure message."""
    started_at: dt.datetime | None = None
    duration_s: float | None = None


@dataclass(frozen=True)
class RunResult:
    """One `stage: "run"` result of the report."""

    file: Path
    """The page, resolved against the project root."""
    line: int
    id: str | None
    outcome: str
    message: str
    duration_s: float
    started_at: dt.datetime | None


@dataclass
class RunReport:
    """A loaded run report, indexed by page."""

    path: Path
    mtime: dt.datetime
    """When the report file was written."""
    pages: dict[Path, list[RunResult]] = field(default_factory=dict)
    problem: str | None = None
    """Why the report could not be read, when it could not."""

    def results_for(self, file: Path) -> list[RunResult]:
        """Run results of one page."""
        return self.pages.get(file.resolve(), [])

    def find(self, file: Path, line: int, block_id: str | None) -> RunResult | None:
        """The result of the block at `line` of `file`, or of the block with `block_id`."""
        results = self.results_for(file)
        for r in results:
            if r.line == line:
                return r
        if block_id:
            for r in results:
                if r.id == block_id:
                    return r
        return None

    def last_verified(self, file: Path) -> dt.datetime | None:
        """The latest start time among the page's run results."""
        times = [r.started_at for r in self.results_for(file) if r.started_at]
        return max(times) if times else None


_CACHE: dict[Path, tuple[int, RunReport]] = {}


def load_report(path: Path, root: Path) -> RunReport | None:
    """Read the report at `path` (relative result paths resolve against `root`).

    Returns None when there is no report; an unreadable report is returned empty with its
    `problem` set, so pages say so instead of claiming commands are verified.
    Reports are cached per file and modification time (a site build reads one many times).
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == stat.st_mtime_ns:
        return cached[1]
    mtime = dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC)
    report = RunReport(path=path, mtime=mtime)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        report.problem = f"rapport illisible : {err}"
        data = None
    if data is not None:
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            report.problem = "rapport sans liste « results »"
        else:
            _index(report, results, root)
    _CACHE[path] = (stat.st_mtime_ns, report)
    return report


def _index(report: RunReport, results: Iterable[Any], root: Path) -> None:
    for item in results:
        if not isinstance(item, Mapping) or item.get("stage") != "run":
            continue
        raw_path, line = item.get("path"), item.get("line")
        if not isinstance(raw_path, str) or not isinstance(line, int):
            continue
        file = Path(raw_path)
        file = (file if file.is_absolute() else root / file).resolve()
        duration = item.get("duration_s")
        report.pages.setdefault(file, []).append(
            RunResult(
                file=file,
                line=line,
                id=item.get("id") if isinstance(item.get("id"), str) else None,
                outcome=str(item.get("outcome", "")),
                message=str(item.get("message") or ""),
                duration_s=float(duration) if isinstance(duration, (int, float)) else 0.0,
                started_at=parse_time(item.get("started_at")),
            )
        )


def block_status(block: Block, file: Path, report: RunReport | None) -> BlockStatus:
    """The verification status of `block` (on page `file`) according to `report`."""
    if report is None:
        return BlockStatus("unverified", "non vérifié", "aucun rapport d'exécution publié")
    if report.problem:
        return BlockStatus("unverified", "non vérifié", report.problem)
    result = report.find(file, block.line, block.id)
    if result is None:
        reason = block.not_run()
        if reason is None:
            return BlockStatus("not-run", "non exécuté", "absent du dernier rapport d'exécution")
        return BlockStatus("not-run", "non exécuté", _french_reason(block, reason))
    when = f" le {french_date(result.started_at)}" if result.started_at else ""
    if result.outcome == "passed":
        return BlockStatus(
            "verified",
            f"vérifié{when}",
            f"exécuté avec succès en {french_duration(result.duration_s)}",
            result.started_at,
            result.duration_s,
        )
    if result.outcome in ("failed", "error"):
        return BlockStatus(
            "failing",
            "en échec",
            f"échec{when} : {result.message}" if result.message else f"échec{when}",
            result.started_at,
            result.duration_s,
        )
    not_run = block.not_run()
    detail = _french_reason(block, not_run) if not_run is not None else result.message
    return BlockStatus("not-run", "non exécuté", detail, result.started_at)


def _french_reason(block: Block, reason: NotRun) -> str:
    if reason.reason == "skipped":
        return f"ignoré : {reason.detail}"
    if reason.reason == "decision-tree":
        return "arbre de décision : vérifié statiquement"
    if reason.reason == "config-only":
        return "bloc de configuration : vérifié statiquement (pas de file=)"
    return f"langage « {block.lang or 'aucun'} » non exécuté"


@dataclass(frozen=True)
class Coverage:
    """How many of a page's (or the site's) blocks are verified, failing, not run."""

    verified: int = 0
    failing: int = 0
    not_run: int = 0
    unverified: int = 0

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(
            self.verified + other.verified,
            self.failing + other.failing,
            self.not_run + other.not_run,
            self.unverified + other.unverified,
        )

    @property
    def total(self) -> int:
        """Every counted block."""
        return self.verified + self.failing + self.not_run + self.unverified

    @property
    def state(self) -> State:
        """The worst state among the counted blocks."""
        if self.failing:
            return "failing"
        if self.unverified:
            return "unverified"
        if self.not_run and not self.verified:
            return "not-run"
        return "verified" if self.verified else "not-run"

    @classmethod
    def of(cls, statuses: Iterable[BlockStatus]) -> Coverage:
        """Count statuses."""
        counts = {"verified": 0, "failing": 0, "not-run": 0, "unverified": 0}
        for s in statuses:
            counts[s.state] += 1
        return cls(counts["verified"], counts["failing"], counts["not-run"], counts["unverified"])
