"""Where a learner is in a lesson, kept between sessions (`runbookdocs play --resume`).

One JSON file per page under `cache_dir/play/`, named after the page's absolute path; it holds
the hash of the page's text, so a page changed since the learner stopped starts over (its steps
may no longer be the same ones). A finished lesson removes its file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from runbookdocs.cache import digest
from runbookdocs.document import Document
from runbookdocs.results import atomic_write

VERSION = 1


@dataclass
class Progress:
    """Counters of a lesson so far."""

    next_step: int = 0
    """0-based index of the first step not done yet."""
    done: int = 0
    """Steps the learner did (guided: the documented command ran; practice: the check held)."""
    failed: int = 0
    """Guided steps whose documented command did not give what the page says."""
    skipped: int = 0
    """Steps the learner passed."""
    hints: int = 0
    elapsed_s: float = 0.0
    """Time spent in earlier sessions."""
    mode: str = "guided"
    not_run: list[int] = field(default_factory=list)
    """Steps (1-based numbers) passed without running their command: destructive steps the
    learner declined. `--resume` does not replay them either."""


class ProgressStore:
    """The saved progress of one page."""

    def __init__(self, cache_dir: Path, doc: Document) -> None:
        self.file = cache_dir / "play" / f"{digest(str(doc.file.resolve()))[:24]}.json"
        self.page_hash = digest(doc.text)
        self.path = doc.path

    def load(self) -> tuple[Progress | None, str]:
        """The saved progress, and why there is none (`missing`, `changed`, `unreadable`)."""
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, "missing"
        except (OSError, ValueError):
            return None, "unreadable"
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None, "unreadable"
        if data.get("hash") != self.page_hash:
            return None, "changed"
        try:
            fields = {k: data[k] for k in Progress.__dataclass_fields__ if k in data}
            return Progress(**fields), ""
        except TypeError:
            return None, "unreadable"

    def save(self, progress: Progress) -> None:
        """Write the progress (atomically: a killed process leaves the previous one)."""
        data = {
            "version": VERSION,
            "page": self.path,
            "hash": self.page_hash,
            "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **asdict(progress),
        }
        with contextlib.suppress(OSError):  # progress is a convenience, never a failure
            self.file.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.file, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def clear(self) -> None:
        """Forget the progress (the lesson is finished, or the page changed)."""
        with contextlib.suppress(OSError):
            self.file.unlink(missing_ok=True)
