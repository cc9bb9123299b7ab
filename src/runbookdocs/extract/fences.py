"""Find fenced code blocks the way pymdownx.superfences does, including nested ones.

markdown-it-py reads a fence inside a content tab (`=== "Debian"`) or an admonition
(`!!! warning`) as indented code, so walking its tokens misses those blocks. This lexer follows
container prefixes instead: blockquote markers and indentation (lists, tabs, admonitions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from runbookdocs.extract.snippets import Line

_OPEN = re.compile(
    r"^(?P<prefix>(?:[ ]{0,3}>[ ]?)*)(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$"
)
_QUOTE = re.compile(r"^[ ]{0,3}>[ ]?")


@dataclass(frozen=True)
class Fence:
    """A fence as found in the expanded page, before its header is interpreted."""

    open_index: int
    """Index of the opening line in the expanded lines."""
    info: str
    """Text after the backticks."""
    info_col: int
    """1-based column where `info` starts."""
    indent: int
    """Columns of container indentation before the backticks."""
    content: tuple[Line, ...]
    """Content lines with the container prefix removed."""
    close_index: int
    """Index of the closing line (or of the last content line when never closed)."""
    closed: bool
    """False when the fence is never closed (or its container ends first)."""


def _width(ws: str) -> int:
    col = 0
    for ch in ws:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col


def _strip(text: str, quotes: int, indent: int) -> str | None:
    """Strip `quotes` blockquote markers and `indent` columns; None when the container ended."""
    for _ in range(quotes):
        m = _QUOTE.match(text)
        if m is None:
            return None
        text = text[m.end() :]
    if not text.strip():
        return ""
    lead = len(text) - len(text.lstrip(" \t"))
    if _width(text[:lead]) < indent:
        return None
    # Remove exactly `indent` columns, expanding a tab that straddles the boundary.
    col, i = 0, 0
    while i < len(text) and col < indent and text[i] in " \t":
        col = col + 4 - col % 4 if text[i] == "\t" else col + 1
        i += 1
    return " " * (col - indent) + text[i:]


def find_fences(lines: list[Line], *, skip: set[int] | None = None) -> list[Fence]:
    """Every fenced block in `lines`, outermost first; indices in `skip` are never openings."""
    fences: list[Fence] = []
    skip = skip or set()
    i, n = 0, len(lines)
    while i < n:
        text = lines[i].text
        if "``" not in text and "~~" not in text:  # most lines: no regex needed
            i += 1
            continue
        m = _OPEN.match(text) if i not in skip else None
        if m is None or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        quotes = m.group("prefix").count(">")
        indent = _width(m.group("indent"))
        fence = m.group("fence")
        closer = re.compile(rf"^[ ]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        content: list[Line] = []
        j, closed = i + 1, False
        plain = not quotes and not indent
        while j < n:
            line = lines[j]
            if plain:  # top-level fence: content lines are kept as they are
                if closer.match(line.text):
                    closed = True
                    break
                content.append(line if line.text.strip() else Line("", *line[1:]))
                j += 1
                continue
            stripped = _strip(line.text, quotes, indent)
            if stripped is None:
                break
            if closer.match(stripped):
                closed = True
                break
            content.append(Line(stripped, line.page_line, line.origin))
            j += 1
        fences.append(
            Fence(
                open_index=i,
                info=m.group("info"),
                info_col=m.start("info") + 1,
                indent=_width(m.group("prefix") + m.group("indent")),
                content=tuple(content),
                close_index=j if closed else max(j - 1, i),
                closed=closed,
            )
        )
        i = j + 1 if closed else j
    return fences
