"""The import report: what was converted, what was guessed, what a person still has to do.

Printed at the end of `runbookdocs import`, one block per page, in English like every CLI
message. Positions are the source's (`manual.txt:42`; for Word documents, the paragraph
number), so an author can open the original next to the page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

Category = Literal["guessed", "secret", "person", "changed", "dropped"]

_TITLES: dict[Category, str] = {
    "guessed": "guessed",
    "changed": "changed",
    "secret": "secret",
    "person": "needs a person",
    "dropped": "dropped",
}


@dataclass(frozen=True)
class Note:
    """One line of the report."""

    category: Category
    line: int | None
    """Source position (None: the whole document)."""
    message: str


@dataclass
class ImportReport:
    """What happened to one source document."""

    source: str
    """The source as the user named it."""
    form: str
    """`text`, `markdown`, `word` or `html`."""
    output: str = ""
    unit: str = "line"
    """What source positions count: `line`, or `paragraph` for Word documents."""
    notes: list[Note] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    """Blocks written, by language."""
    structure: Counter[str] = field(default_factory=Counter)
    """Headings, list items, tables, admonitions, images written."""

    def add(self, category: Category, line: int | None, message: str) -> None:
        """Record one note (the same note at the same place is kept once)."""
        note = Note(category, line, message)
        if note not in self.notes:
            self.notes.append(note)

    def where(self, line: int | None) -> str:
        """`manual.txt:42`, `manual.docx:¶12`, or the source alone."""
        if line is None:
            return self.source
        return f"{self.source}:{'¶' if self.unit == 'paragraph' else ''}{line}"

    @property
    def blocks(self) -> int:
        """Blocks written on the page."""
        return sum(self.kinds.values())

    def render(self) -> str:
        """The report as printed."""
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.kinds.items())) or "no code"
        shape = ", ".join(f"{n} {k}" for k, n in sorted(self.structure.items()))
        lines = [
            f"imported {self.source} ({self.form}) -> {self.output}",
            f"  converted: {self.blocks} block(s): {kinds}" + (f"; {shape}" if shape else ""),
        ]
        order: list[Category] = ["changed", "guessed", "secret", "dropped", "person"]
        for category in order:
            for note in sorted(
                (n for n in self.notes if n.category == category), key=lambda n: n.line or 0
            ):
                lines.append(f"  {_TITLES[category]}: {self.where(note.line)}: {note.message}")
        return "\n".join(lines)


__all__ = ["Category", "ImportReport", "Note"]
