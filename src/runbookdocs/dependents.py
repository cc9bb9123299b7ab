"""Which pages depend on a file that is not a page: a snippet they include (`--8<--`), a JSON
Schema a block names (`schema=`).

`runbookdocs check snippets/backup.sh` (what pre-commit passes when a snippet changes) then
checks the pages that include it: a broken shared file is caught in the commit that breaks it,
not in the next commit that happens to touch a page using it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from runbookdocs.config import Config


@dataclass
class Selection:
    """Pages to check for a list of paths given on the command line."""

    pages: list[Path] = field(default_factory=list)
    """Markdown files and directories, as given."""
    used_by: dict[Path, list[Path]] = field(default_factory=dict)
    """Each other file given -> the pages that use it (empty: no page does)."""

    @property
    def dependent_pages(self) -> list[Path]:
        """Every page that uses one of the other files, once, sorted."""
        return sorted({p for pages in self.used_by.values() for p in pages})


def split_paths(paths: Sequence[Path], config: Config) -> Selection:
    """Split `paths` into pages (Markdown, directories) and other files, and find the pages
    (under the docs directory) that use each other file."""
    from runbookdocs.document import PAGE_SUFFIXES

    selection = Selection()
    others: list[Path] = []
    for p in paths:
        if p.is_dir() or p.suffix in PAGE_SUFFIXES:
            selection.pages.append(p)
        else:
            others.append(p)
    if others:
        wanted = {_real(p): p for p in others}
        found = _dependents(wanted, config)
        selection.used_by = {p: sorted(found.get(_real(p), set())) for p in others}
    return selection


def _real(path: Path) -> str:
    return os.path.realpath(path)


def _dependents(wanted: dict[str, Path], config: Config) -> dict[str, set[Path]]:
    from runbookdocs.document import iter_markdown, read_document
    from runbookdocs.validate.structure import schema_path

    found: dict[str, set[Path]] = {}
    if not config.docs_dir.is_dir():
        return found
    for page in iter_markdown([config.docs_dir], config):
        doc = read_document(page, config)
        used = _included(doc.lines, config)
        for block in doc.blocks:
            if block.schema:
                schema = schema_path(config, block.schema)
                if schema is not None:
                    used.add(_real(schema))
        for name in used & wanted.keys():
            found.setdefault(name, set()).add(page)
    return found


def _included(lines: Iterable[object], config: Config) -> set[str]:
    """Real paths of the snippet files a page's expanded lines come from."""
    out: set[str] = set()
    for line in lines:
        origin = getattr(line, "origin", None)
        if origin is not None:
            path = Path(origin.path)
            out.add(_real(path if path.is_absolute() else config.root / path))
    return out


__all__ = ["Selection", "split_paths"]
