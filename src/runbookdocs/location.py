"""Where something is in the user's files."""

from __future__ import annotations

from typing import NamedTuple


class Location(NamedTuple):
    """A place in a file, as a reader of that file would point at it.

    A `NamedTuple`: ordered, hashed and compared field by field as a frozen dataclass with
    `order=True` would be, without compiling ten methods at import (every command loads it)."""

    path: str
    """The file, relative to the working directory where possible."""
    line: int
    """1-based line number."""
    col: int = 1
    """1-based column number."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"

    @property
    def short(self) -> str:
        """`path:line`, the form used for block ids and cross references."""
        return f"{self.path}:{self.line}"
