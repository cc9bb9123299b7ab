"""The run report as the site reads it: per-block verification status, per-page freshness.

The report is the JSON written by `runbookdocs run --report`, read with
`runbookdocs.results.Report.read` (the one report parser). Only `stage: "run"` results count as
verification; `validate` results say nothing about whether a command works. Results are matched
to blocks by page path and block line, or by block id when the line moved since the run.

A page's verification is stale when the page changed after it: judged on content when the
report carries the page's `run_digest` (the digest of its steps when they ran), on dates
otherwise (`runbookdocs.site.dates.last_change`: git history, else file time).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, TypeVar, cast

from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.i18n import Catalog
from runbookdocs.results import Report, ReportFormatError, Result
from runbookdocs.site.dates import format_date, format_duration, last_change_of, parse_time

if TYPE_CHECKING:
    # Only annotations: the history module is read when a history file is (`load_history`).
    from runbookdocs.history import PageRun

State = Literal["verified", "failing", "not-run", "unverified"]

T = TypeVar("T")

TEXTS = Catalog(
    "site.report",
    {
        "unverified": {"en": "not verified", "fr": "non vérifié"},
        "no-report": {
            "en": "no run report is published",
            "fr": "aucun rapport d'exécution publié",
        },
        "unreadable": {"en": "unreadable report: {error}", "fr": "rapport illisible : {error}"},
        "not-run": {"en": "not run", "fr": "non exécuté"},
        "absent": {
            "en": "not in the last run report",
            "fr": "absent du dernier rapport d'exécution",
        },
        "verified": {"en": "verified", "fr": "vérifié"},
        "verified-on": {"en": "verified on {date}", "fr": "vérifié le {date}"},
        "passed-in": {
            "en": "ran successfully in {duration}",
            "fr": "exécuté avec succès en {duration}",
        },
        "passed-cached": {
            "en": "ran successfully; the last run reused this result, the block and its target "
            "unchanged since",
            "fr": "exécuté avec succès ; la dernière exécution a repris ce résultat, le bloc et "
            "sa cible n'ayant pas changé depuis",
        },
        "failing": {"en": "failing", "fr": "en échec"},
        "failed": {"en": "failed", "fr": "échec"},
        "failed-on": {"en": "failed on {date}", "fr": "échec le {date}"},
        "failed-because": {"en": "{failed}: {message}", "fr": "{failed} : {message}"},
        "reason-skipped": {"en": "skipped: {reason}", "fr": "ignoré : {reason}"},
        "reason-counter-example": {
            "en": "the page shows it as a counter-example ({mark})",
            "fr": "la page le montre comme contre-exemple ({mark})",
        },
        "reason-decision-tree": {
            "en": "decision tree: checked statically",
            "fr": "arbre de décision : vérifié statiquement",
        },
        "reason-config-only": {
            "en": "configuration block: checked statically (no file=)",
            "fr": "bloc de configuration : vérifié statiquement (pas de file=)",
        },
        "reason-language": {
            "en": "language “{language}” is not run",
            "fr": "langage « {language} » non exécuté",
        },
        "no-language": {"en": "none", "fr": "aucun"},
    },
)


class BlockStatus(NamedTuple):
    """What a reader is told about one block: a state, a short label and a longer detail."""

    state: State
    label: str
    """The badge text."""
    detail: str = ""
    """The badge tooltip: the reason, the failure message."""
    started_at: dt.datetime | None = None
    duration_s: float | None = None


@dataclass
class SiteReport:
    """A run report, indexed by page (absolute path)."""

    path: Path
    mtime: dt.datetime
    """When the report file was written."""
    pages: dict[Path, list[Result]] = field(default_factory=dict)
    problem: str | None = None
    """Why the report could not be read (the parser's words), when it could not."""
    _resolved: dict[Path, Path] = field(default_factory=dict, repr=False)
    _known: dict[tuple[Any, ...], tuple[object, Any]] = field(default_factory=dict, repr=False)
    """What was worked out from this report for one block or page (`remember`)."""

    def remember(self, owner: object, what: str, lang: str, work: Callable[[], T]) -> T:
        """`work()`, done once per build for `owner` (a block or a page the site reads from its
        parse cache): the report page and the page itself both ask for the same statuses."""
        key = (id(owner), what, lang)
        known = self._known.get(key)
        if known is not None and known[0] is owner:  # not another object at a reused address
            return cast(T, known[1])
        value = work()
        self._known[key] = (owner, value)
        return value

    def results_for(self, file: Path) -> list[Result]:
        """Run results of one page."""
        found = self.pages.get(file)
        if found is not None:  # the keys are resolved: a path equal to one is that page
            return found
        if file not in self._resolved:  # resolve() costs system calls: once per page
            self._resolved[file] = file.resolve()
        return self.pages.get(self._resolved[file], [])

    def find(self, file: Path, line: int, block_id: str | None) -> Result | None:
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
        times = [t for t in (parse_time(r.started_at) for r in self.results_for(file)) if t]
        return max(times) if times else None


_CACHE: dict[Path, tuple[tuple[int, int], SiteReport]] = {}


def forget() -> None:
    """A new build: what was worked out for the blocks of the last one is dropped (its pages
    are parsed again; a long `mkdocs serve` must not keep every build's blocks alive)."""
    for _, report in _CACHE.values():
        report._known.clear()


def report_digest(path: Path) -> str | None:
    """`sha256:HEX` of the report file at `path`, None when there is none."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _digest(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _digest(path: Path, mtime_ns: int, size: int) -> str | None:
    del mtime_ns, size  # the cache key: a report is read again when it changes
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def load_report(path: Path, root: Path) -> SiteReport | None:
    """Read the report at `path` (relative result paths resolve against `root`).

    Returns None when there is no report; an unreadable report is returned empty with its
    `problem` set, so pages say so instead of claiming commands are verified.
    Reports are cached per file, size and modification time (a build reads one many times).
    """
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    report = SiteReport(path=path, mtime=dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.UTC))
    try:
        parsed = Report.read(path)
    except (OSError, ReportFormatError) as err:
        report.problem = str(err)
    else:
        pages: dict[str, list[Result]] = {}
        for result in parsed.results:
            if result.stage == "run":
                pages.setdefault(result.path, []).append(result)
        for name, results in pages.items():  # resolve() costs system calls: once per page
            page = Path(name)
            page = (page if page.is_absolute() else root / page).resolve()
            report.pages.setdefault(page, []).extend(results)
    _CACHE[path] = (key, report)
    return report


def block_status(block: Block, file: Path, report: SiteReport | None, lang: str) -> BlockStatus:
    """The verification status of `block` (on page `file`) according to `report`."""
    t = TEXTS.for_language(lang)
    if report is None:
        return BlockStatus("unverified", t("unverified"), t("no-report"))
    if report.problem:
        return BlockStatus("unverified", t("unverified"), t("unreadable", error=report.problem))
    return report.remember(block, str(file), lang, lambda: _status(block, file, report, lang))


def _status(block: Block, file: Path, report: SiteReport, lang: str) -> BlockStatus:
    t = TEXTS.for_language(lang)
    result = report.find(file, block.line, block.id)
    if result is None:
        why = not_run_text(block, lang)
        return BlockStatus("not-run", t("not-run"), why if why is not None else t("absent"))
    started = parse_time(result.started_at)
    if result.outcome == "passed":
        if result.cached:  # reused from an earlier run: this run's 0 s is not how long it took
            return BlockStatus(
                "verified",
                t("verified-on", date=format_date(lang, started)) if started else t("verified"),
                t("passed-cached"),
                started,
            )
        return BlockStatus(
            "verified",
            t("verified-on", date=format_date(lang, started)) if started else t("verified"),
            t("passed-in", duration=format_duration(lang, result.duration_s)),
            started,
            result.duration_s,
        )
    if result.outcome in ("failed", "error"):
        failed = t("failed-on", date=format_date(lang, started)) if started else t("failed")
        return BlockStatus(
            "failing",
            t("failing"),
            t("failed-because", failed=failed, message=result.message)
            if result.message
            else failed,
            started,
            result.duration_s,
        )
    why = not_run_text(block, lang)
    return BlockStatus("not-run", t("not-run"), why if why is not None else result.message, started)


def not_run_text(block: Block, lang: str) -> str | None:
    """Why `block` is not executed (`Block.not_run`), for readers; None when it is."""
    reason = block.not_run()
    if reason is None:
        return None
    t = TEXTS.for_language(lang)
    if reason.reason == "skipped":
        return t("reason-skipped", reason=reason.detail)
    if reason.reason == "counter-example":
        # The page's words, without the colon that introduced the block.
        return t("reason-counter-example", mark=reason.detail)
    if reason.reason == "language":
        return t("reason-language", language=block.lang or t("no-language"))
    return t(f"reason-{reason.reason}")


@dataclass
class SiteHistory:
    """The history file (`runbookdocs.history`), indexed by page (absolute path)."""

    pages: dict[Path, list[tuple[dt.datetime, PageRun]]] = field(default_factory=dict)
    """Page -> (when, what the run said), newest first."""

    def for_page(self, file: Path, limit: int) -> list[tuple[dt.datetime, PageRun]]:
        """The last `limit` runs of page `file`, newest first."""
        return self.pages.get(file.resolve(), [])[:limit]


_HISTORIES: dict[Path, tuple[tuple[int, int], SiteHistory]] = {}


def load_history(path: Path | None, root: Path) -> SiteHistory | None:
    """The history at `path` (relative page paths resolve against `root`); None without one.

    Cached per file, size and modification time, like reports.
    """
    if path is None:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _HISTORIES.get(path)
    if cached is not None and cached[0] == key:
        return cached[1]
    from runbookdocs.history import read_history

    out = SiteHistory()
    for run in reversed(read_history(path).runs):
        at = parse_time(run.at)
        if at is None:
            continue
        for name, page in run.pages.items():
            file = Path(name)
            file = (file if file.is_absolute() else root / file).resolve()
            out.pages.setdefault(file, []).append((at, page))
    _HISTORIES[path] = (key, out)
    return out


class Freshness(NamedTuple):
    """Whether a page's last verification still describes the page."""

    verified_at: dt.datetime
    """When the page's blocks last ran (the report's time when results carry none)."""
    stale: bool
    changed_at: dt.datetime | None = None
    """When the page (or a file it includes) last changed, when known."""
    by_content: bool = False
    """Judged on the page's content (`Document.run_digest`), not on dates."""


def included_files(doc: Document, config: Config) -> list[Path]:
    """The page and every file its `--8<--` includes read."""
    files = {doc.file}
    for line in doc.lines:
        if line.origin is not None:
            origin = Path(line.origin.path)
            files.add(origin if origin.is_absolute() else config.root / origin)
    return sorted(files)


def freshness(doc: Document, config: Config, report: SiteReport) -> Freshness | None:
    """How fresh the page's verification is; None when the report has nothing of the page."""
    return report.remember(doc, "freshness", "", lambda: _freshness(doc, config, report))


def _freshness(doc: Document, config: Config, report: SiteReport) -> Freshness | None:
    results = report.results_for(doc.file)
    if not results:
        return None
    verified_at = report.last_verified(doc.file) or report.mtime
    digests = {r.digest for r in results if r.digest}
    if digests:
        current = doc.run_digest()
        if digests == {current}:
            return Freshness(verified_at, stale=False, by_content=True)
        return Freshness(
            verified_at,
            stale=True,
            changed_at=last_change_of(included_files(doc, config)),
            by_content=True,
        )
    changed = last_change_of(included_files(doc, config))
    return Freshness(
        verified_at, stale=changed is not None and changed > verified_at, changed_at=changed
    )


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
