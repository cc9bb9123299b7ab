"""The shape of an imported manual before it becomes Markdown: a flat list of elements.

Readers (plain text, Word, HTML) turn their source into `Element`s; `render` writes them as a
runbook page. Nesting (list items, admonitions) is a `depth` on each element rather than a
tree: an element at depth d+1 belongs to the list item or admonition at depth d before it, which
is also how the page indents it (4 spaces per level, as Python-Markdown needs).

Every element keeps `line`, its position in the source (a line for text and HTML, a paragraph
for Word), so that what the check finds on the page is also reported in the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Element:
    """Something on the page."""

    line: int
    """Where it starts in the source (1-based line, or paragraph for Word documents)."""
    depth: int = 0
    """Container nesting: list items and admonitions it belongs to."""


@dataclass
class Heading(Element):
    """A section title."""

    level: int = 2
    text: str = ""


@dataclass
class Para(Element):
    """A paragraph of prose, as Markdown lines (inline markup already written)."""

    lines: list[str] = field(default_factory=list)


@dataclass
class Item(Element):
    """A list item: its marker (`-` or `1.`) and its first lines of text."""

    ordered: bool = False
    number: int = 1
    lines: list[str] = field(default_factory=list)


@dataclass
class Code(Element):
    """A code region: becomes a fenced block."""

    lang: str = "text"
    lines: list[str] = field(default_factory=list)
    source_lines: list[int] = field(default_factory=list)
    """Source position of each line (same length as `lines` when known)."""
    guessed: str | None = None
    """Why the kind was guessed (None: the source said it, e.g. a fence language)."""
    skip: str | None = None
    """Why the block must not run (Windows-only, interactive...)."""
    attrs: dict[str, str] = field(default_factory=dict)
    """Header attributes kept from the source."""
    id_hint: str | None = None
    """A name the reader saw for the block (a file name mentioned just before it)."""


@dataclass
class Table(Element):
    """A table: the first row is the header."""

    rows: list[list[str]] = field(default_factory=list)


@dataclass
class Admonition(Element):
    """A note, warning... box; its content follows at depth + 1."""

    kind: str = "note"
    title: str | None = None


@dataclass
class Image(Element):
    """A picture (its file is next to the page, or where the source pointed)."""

    src: str = ""
    alt: str = ""


__all__ = ["Admonition", "Code", "Element", "Heading", "Image", "Item", "Para", "Table"]
