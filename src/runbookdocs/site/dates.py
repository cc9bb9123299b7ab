"""Dates on the site: how readers read them, and when a page last changed.

When a page last changed comes from git where the page is committed and unmodified (a fresh
clone gives every file the time of the clone, so file times say nothing there), and from the
file's modification time otherwise (not in git, modified, untracked, or git missing). One
`git log` per repository gives every file's last commit, read the first time a date is needed.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from runbookdocs.i18n import Catalog, language

TEXTS = Catalog(
    "site.dates",
    {
        "months": {
            "en": "January February March April May June July August September October "
            "November December",
            "fr": "janvier février mars avril mai juin juillet août septembre octobre "
            "novembre décembre",
        },
        "first": {"en": "1", "fr": "1er"},
        "date": {"en": "{day} {month} {year}", "fr": "{day} {month} {year}"},
        "seconds": {"en": "{value} s", "fr": "{value} s"},
        "minutes": {"en": "{minutes} min {seconds:02d} s", "fr": "{minutes} min {seconds:02d} s"},
    },
)


@functools.lru_cache(maxsize=512)
def format_date(lang: str, value: dt.date | dt.datetime) -> str:
    """`5 March 2026` / `5 mars 2026` (`1er mars` in French)."""
    t = TEXTS.for_language(lang)
    day = t("first") if value.day == 1 else str(value.day)
    month = t("months").split()[value.month - 1]
    return t("date", day=day, month=month, year=value.year)


@functools.lru_cache(maxsize=2048)
def format_duration(lang: str, seconds: float) -> str:
    """`0.12 s` / `0,12 s`, `2 min 05 s`."""
    t = TEXTS.for_language(lang)
    if seconds < 60:
        text = f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}"
        if language(lang) == "fr":
            text = text.replace(".", ",")
        return t("seconds", value=text)
    minutes, rest = divmod(round(seconds), 60)
    return t("minutes", minutes=minutes, seconds=rest)


def parse_time(value: object) -> dt.datetime | None:
    """An ISO timestamp from a report, made timezone-aware (UTC when it names no zone)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


# --------------------------------------------------------------------------- last change


@dataclass
class _Repository:
    """What git says of one work tree: when each file was last committed, which are changed."""

    root: Path
    committed: dict[str, dt.datetime] = field(default_factory=dict)
    """Path relative to `root` (posix) -> time of the last commit that changed it."""
    modified: set[str] = field(default_factory=set)
    """Paths modified or untracked in the working tree."""


_REPOSITORIES: dict[Path, _Repository | None] = {}
"""Directory -> the repository holding it (None: not in a git work tree)."""
_LOCK = threading.Lock()


def _git(cwd: Path, *args: str) -> str | None:
    import subprocess

    try:
        proc = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout if proc.returncode == 0 else None


def _repository(directory: Path) -> _Repository | None:
    with _LOCK:
        if directory in _REPOSITORIES:
            return _REPOSITORIES[directory]
        for known in _REPOSITORIES.values():
            if known is not None and directory.is_relative_to(known.root):
                _REPOSITORIES[directory] = known
                return known
        top = _git(directory, "rev-parse", "--show-toplevel")
        repo = _load(Path(top.strip()).resolve()) if top and top.strip() else None
        _REPOSITORIES[directory] = repo
        return repo


def _load(root: Path) -> _Repository | None:
    log = _git(root, "log", "--no-renames", "--format=@%ct", "--name-only")
    if log is None:  # a repository without commits
        return None
    repo = _Repository(root)
    when: dt.datetime | None = None
    for line in log.splitlines():
        if line.startswith("@") and line[1:].isdigit():
            when = dt.datetime.fromtimestamp(int(line[1:]), tz=dt.UTC)
        elif line and when is not None:
            repo.committed.setdefault(line, when)  # newest first: the first date is the last
    status = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all")
    entries = (status or "").split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) > 3:
            repo.modified.add(entry[3:])
            if entry[0] in "RC":  # a rename's or copy's source path follows
                i += 1
    return repo


def last_change(file: Path) -> dt.datetime | None:
    """When `file` last changed: its last commit when committed and unmodified, else its
    modification time; None when it cannot be read."""
    try:
        resolved = file.resolve()
        mtime = dt.datetime.fromtimestamp(resolved.stat().st_mtime, tz=dt.UTC)
    except OSError:
        return None
    repo = _repository(resolved.parent)
    if repo is None:
        return mtime
    rel = resolved.relative_to(repo.root).as_posix()
    if rel in repo.modified or rel not in repo.committed:
        return mtime
    return repo.committed[rel]


def last_change_of(files: Iterable[Path]) -> dt.datetime | None:
    """The latest `last_change` among `files` (a page and the files it includes)."""
    dates = [d for d in (last_change(f) for f in files) if d is not None]
    return max(dates) if dates else None


def forget() -> None:
    """Drop what was read from git (tests; a long-running server after a commit)."""
    with _LOCK:
        _REPOSITORIES.clear()
