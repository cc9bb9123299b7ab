"""The verification history: the last runs of each page, kept for the site.

`runbookdocs run --report FILE` (not a shard: shards are partial) and `runbookdocs report merge
-o FILE` append one entry per run to the history file (`history` in the configuration, default
`runbookdocs-history.json`; empty: no history), keeping the last `history_size` entries. The
site reads it (`runbookdocs.site.report.load_history`) to show, on each page, its last
verifications, and on the report page each runbook's recent runs.

An entry holds, per page, how many of its blocks passed, failed and were not run, and the first
failure message (from the report, so already redacted: the history never sees more than the
report). The file is rewritten atomically under a lock (two runs finishing together both land),
entries are sorted by time and the JSON keys sorted, so the same runs give the same bytes; the
same run recorded twice (the same report written again) is kept once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runbookdocs.results import Report, atomic_write

HISTORY_VERSION = 1
MESSAGE_CHARS = 300
"""A failure message kept in the history is cut to this many characters."""


@dataclass(frozen=True)
class PageRun:
    """What one run said about one page."""

    passed: int = 0
    failed: int = 0
    not_run: int = 0
    message: str = ""
    """The first failure's message (already redacted in the report)."""

    @property
    def state(self) -> str:
        """`failing` when a block failed, `verified` when one passed, else `not-run`."""
        if self.failed:
            return "failing"
        return "verified" if self.passed else "not-run"

    def to_json(self) -> dict[str, Any]:
        """The file's form."""
        out: dict[str, Any] = {"passed": self.passed, "failed": self.failed}
        if self.not_run:
            out["not_run"] = self.not_run
        if self.message:
            out["message"] = self.message
        return out

    @classmethod
    def from_json(cls, data: Any) -> PageRun | None:
        """None when `data` is not a page entry."""
        if not isinstance(data, dict):
            return None

        def count(key: str) -> int:
            value = data.get(key, 0)
            return value if isinstance(value, int) and value >= 0 else 0

        message = data.get("message")
        return cls(
            count("passed"),
            count("failed"),
            count("not_run"),
            message if isinstance(message, str) else "",
        )


@dataclass(frozen=True)
class Run:
    """One recorded run: when, and what it said about each page it ran."""

    at: str
    """When the run started (ISO 8601, UTC): the earliest block start of the report."""
    pages: dict[str, PageRun] = field(default_factory=dict)
    """Page path as the report names it -> what the run said about it."""

    @property
    def key(self) -> str:
        """What tells two runs apart (the same report recorded twice has one key)."""
        text = json.dumps(self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The file's form."""
        return {"at": self.at, "pages": {p: r.to_json() for p, r in sorted(self.pages.items())}}


@dataclass
class History:
    """The recorded runs, oldest first."""

    runs: list[Run] = field(default_factory=list)

    def for_page(self, path: str, limit: int | None = None) -> list[tuple[str, PageRun]]:
        """(time, what the run said) of the runs that ran page `path`, newest first."""
        out = [(r.at, r.pages[path]) for r in reversed(self.runs) if path in r.pages]
        return out[:limit] if limit is not None else out

    def to_json(self) -> dict[str, Any]:
        """The file's form."""
        return {"version": HISTORY_VERSION, "runs": [r.to_json() for r in self.runs]}

    @classmethod
    def from_json(cls, data: Any) -> History:
        """Read what can be read: entries that are not runs are left out (never an error: a
        history is a convenience, the report is the truth)."""
        runs: list[Run] = []
        items = data.get("runs") if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("at"), str):
                continue
            pages_raw = item.get("pages")
            pages = {}
            for name, value in pages_raw.items() if isinstance(pages_raw, dict) else ():
                page = PageRun.from_json(value)
                if page is not None:
                    pages[str(name)] = page
            runs.append(Run(str(item["at"]), pages))
        return cls(runs)


def read_history(path: Path) -> History:
    """The history at `path`; empty when there is none or it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return History()
    return History.from_json(data)


def run_of(report: Report, now: dt.datetime | None = None) -> Run | None:
    """The history entry of a run report; None when it has no run result."""
    pages: dict[str, dict[str, Any]] = {}
    times: list[str] = []
    for r in report.results:
        if r.stage != "run":
            continue
        page = pages.setdefault(r.path, {"passed": 0, "failed": 0, "not_run": 0, "message": ""})
        if r.outcome == "passed":
            page["passed"] += 1
        elif r.outcome in ("failed", "error"):
            page["failed"] += 1
            if not page["message"] and r.message:
                page["message"] = _cut(r.message)
        else:
            page["not_run"] += 1
        if r.started_at:
            times.append(r.started_at)
    if not pages:
        return None
    at = min(times) if times else (now or dt.datetime.now(dt.UTC)).isoformat()
    return Run(at, {p: PageRun(**v) for p, v in pages.items()})


def _cut(message: str) -> str:
    line = " ".join(message.split())
    return line if len(line) <= MESSAGE_CHARS else line[: MESSAGE_CHARS - 1] + "…"


def record(path: Path, report: Report, size: int, now: dt.datetime | None = None) -> bool:
    """Append the run of `report` to the history at `path`, keeping the last `size` runs.

    Returns:
        True when the file changed (False: no run result, or this run is already there).
    """
    run = run_of(report, now)
    if run is None or size <= 0:
        return False
    with _locked(path):
        history = read_history(path)
        if any(r.key == run.key for r in history.runs):
            return False
        runs = sorted([*history.runs, run], key=lambda r: (r.at, r.key))[-size:]
        atomic_write(path, json.dumps(History(runs).to_json(), indent=1, ensure_ascii=False) + "\n")
    return True


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock beside `path`: two runs appending at once both keep their entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = path.with_name(f".{path.name}.lock")
    with lock.open("a") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: atomic writes, no lock
            yield
            return
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
