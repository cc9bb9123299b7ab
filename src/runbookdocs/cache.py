"""A content-addressed result cache in SQLite, safe for several runs at once."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
"""The runbookdocs package folder."""


def digest(*parts: str | bytes) -> str:
    """A stable hash of `parts`."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@functools.lru_cache(maxsize=4)
def code_fingerprint(package: Path = _PACKAGE) -> str:
    """The version and the code of the runbookdocs that runs: part of every cached result's
    key. The version alone would let a changed checker (an editable or git install, a
    patched module) serve results the old code made; one `stat` per module tells them apart
    without reading them."""
    from runbookdocs import __version__

    parts = [__version__]
    for file in sorted(package.rglob("*.py")):
        try:
            info = file.stat()
        except OSError:
            continue
        parts.append(f"{file.relative_to(package).as_posix()} {info.st_size} {info.st_mtime_ns}")
    return digest(*parts)


def ignore_itself(directory: Path) -> None:
    """Put a `.gitignore` holding `*` in `directory`, so `git status` never shows the cache
    (the way pytest, mypy and ruff keep their caches out of repositories)."""
    marker = directory / ".gitignore"
    # An unwritable cache is a cache miss, not an error.
    if not marker.exists():
        with contextlib.suppress(OSError):
            marker.write_text("# Created by runbookdocs: the result cache.\n*\n", encoding="utf-8")


class Cache:
    """Key -> JSON value, in `cache_dir/cache.sqlite3`; a broken or locked cache is a miss.

    One connection, shared by the threads of a run (`--jobs N`) under a lock; other processes
    (a second run, pytest-xdist workers) use their own and SQLite serialises the writes.
    """

    def __init__(self, directory: Path, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        if not enabled:
            return
        try:
            directory.mkdir(parents=True, exist_ok=True)
            ignore_itself(directory)
            self._db = sqlite3.connect(
                directory / "cache.sqlite3", timeout=10, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS entries (ns TEXT, key TEXT, value TEXT, "
                "PRIMARY KEY (ns, key))"
            )
            self._db.commit()
        except (OSError, sqlite3.Error):
            self._db = None

    def get(self, ns: str, key: str) -> Any:
        """The value stored under (ns, key), or None."""
        if self._db is None:
            return None
        try:
            with self._lock:
                row = self._db.execute(
                    "SELECT value FROM entries WHERE ns = ? AND key = ?", (ns, key)
                ).fetchone()
            return json.loads(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    def get_many(self, ns: str, keys: list[str]) -> dict[str, Any]:
        """Values for every key of `keys` that is stored."""
        if self._db is None or not keys:
            return {}
        out: dict[str, Any] = {}
        with self._lock:
            try:
                for i in range(0, len(keys), 500):
                    chunk = keys[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    for key, value in self._db.execute(
                        f"SELECT key, value FROM entries WHERE ns = ? AND key IN ({marks})",
                        (ns, *chunk),
                    ):
                        out[key] = json.loads(value)
            except (sqlite3.Error, ValueError):
                return {}
        return out

    def put_many(self, ns: str, items: dict[str, Any]) -> None:
        """Store several values in one transaction."""
        if self._db is None or not items:
            return
        try:
            with self._lock, self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO entries (ns, key, value) VALUES (?, ?, ?)",
                    [(ns, k, json.dumps(v)) for k, v in items.items()],
                )
        except sqlite3.Error:
            pass

    def clear(self) -> None:
        """Forget everything."""
        if self._db is not None:
            with self._lock, self._db:
                self._db.execute("DELETE FROM entries")

    def close(self) -> None:
        """Close the database."""
        if self._db is not None:
            self._db.close()
            self._db = None
