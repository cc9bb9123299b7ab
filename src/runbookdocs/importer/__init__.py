"""`runbookdocs import`: legacy manuals (plain text, Markdown, Word, HTML) to runbook pages.

```
manual.txt ──text.segment──┐
manual.docx ─docx (styles)─┼─► Element… ──page.finish──► render ──► Page ──check──► report
manual.html ─html (tags)───┘   (secrets, skips, steps for a person)       (source lines kept)
manual.md ──markdown (only the fences, indented code and alerts rewritten)──► Page
```

Readers find the structure (headings, lists, tables) and the code regions; `classify` says what
kind of code a region is; `secrets` replaces passwords and tokens by declared secrets; `render`
writes fenced blocks with kinds and ids. Every page line keeps the source position it came from,
so a finding of `runbookdocs check` on the page is also reported in the original document.
"""

from __future__ import annotations

from runbookdocs.importer.convert import Imported, convert, title_from_path
from runbookdocs.importer.report import ImportReport, Note
from runbookdocs.importer.source import FORMS, Source, SourceError, form_of, read_source

__all__ = [
    "FORMS",
    "ImportReport",
    "Imported",
    "Note",
    "Source",
    "SourceError",
    "convert",
    "form_of",
    "read_source",
    "title_from_path",
]
