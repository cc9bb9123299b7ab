"""Judging pages against each other: links, decision-tree `check`s and review dates.

These depend on other pages and on the day, so they are judged on every check, for cached pages
exactly like fresh ones, against a `PageIndex` of every page.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.results import Finding, Report, Result
from runbookdocs.validate.entry import PageEntry


class PageIndex:
    """Anchors and block ids of every page: those checked, and others read when named."""

    def __init__(self, config: Config, entries: dict[str, PageEntry]) -> None:
        self.config = config
        self.entries = entries
        self._others: dict[str, PageEntry | None] = {}
        self._names: list[str] | None = None
        self._suggestions: dict[str, str] = {}
        self._myst: frozenset[str] | None = None
        self._base_names: dict[str, list[str]] | None = None
        self._importers: dict[Path, list[Path]] | None = None

    def get(self, file: Path) -> PageEntry | None:
        """The page at `file` (absolute), or None when there is no such page."""
        found = self.entries.get(str(file))
        if found is not None:
            return found
        key = str(file)
        if key not in self._others:
            self._others[key] = _outside_entry(file, self.config)
        return self._others[key]

    def myst_target(self, name: str) -> bool:
        """True when a checked page defines the MyST target `(name)=`.

        MyST (Sphinx, Jupyter Book) resolves `[text](#name)` and `[text](name)` to such a
        target wherever it is in the project.
        """
        if self._myst is None:
            from runbookdocs.anchors import MYST_TARGET

            self._myst = frozenset(
                a[len(MYST_TARGET) :]
                for entry in self.entries.values()
                for a in entry.anchors
                if a.startswith(MYST_TARGET)
            )
        return name in self._myst

    def by_base_name(self, name: str) -> list[Path]:
        """The checked pages whose base name is `name` (in any case): `arch` names
        `a/b/arch.md`, or the bundle `a/arch/index.md` or `_index.md`, wherever it is. One page
        is the one Hugo's `ref` finds; several make the reference ambiguous."""
        if self._base_names is None:
            found: dict[str, list[str]] = {}
            for f in self.entries:
                path = Path(f)
                base = path.parent.name if path.stem in ("index", "_index") else path.stem
                found.setdefault(base.lower(), []).append(f)
            self._base_names = found
        return [Path(p) for p in self._base_names.get(name.lower(), [])]

    def importers(self, file: Path) -> list[Path]:
        """The checked pages that import `file` into themselves (MDX `import`), computed once."""
        if self._importers is None:
            from runbookdocs.anchors import IMPORT, imported_file

            found: dict[Path, list[Path]] = {}
            for f, entry in self.entries.items():
                for a in entry.anchors:
                    if a.startswith(IMPORT):
                        target = imported_file(Path(f), a[len(IMPORT) :])
                        if target is not None:
                            found.setdefault(target, []).append(Path(f))
            self._importers = found
        return list(self._importers.get(file, []))

    def names(self) -> list[str]:
        """File names of the checked pages (for suggestions), computed once."""
        if self._names is None:
            self._names = sorted({os.path.basename(f) for f in self.entries})
        return self._names

    def suggest(self, name: str) -> str:
        """`" (did you mean 'x'?)"` for the checked page whose file name is closest to `name`.

        Only names that start with the same letter (in any case) and have a comparable length
        are compared (difflib's ratio cannot reach its 0.6 cutoff when one name is less than
        0.43 times as long as the other): comparing a name with every page of a large manual
        costs tens of milliseconds, and a typo rarely changes the first letter.
        """
        found = self._suggestions.get(name)
        if found is None:
            from runbookdocs.block import suggest

            size, first = len(name), name[:1].lower()
            close = [
                n
                for n in self.names()
                if n[:1].lower() == first and 0.43 * max(size, len(n)) <= min(size, len(n))
            ]
            found = self._suggestions[name] = suggest(name, close)
        return found


def targets(doc: Document) -> tuple[frozenset[str], frozenset[str]]:
    """What references to the page can name: its anchors and its block ids."""
    from runbookdocs.anchors import page_anchors

    anchors = page_anchors(doc) if doc.readable else frozenset()
    return anchors, frozenset(b.id for b in doc.blocks if b.id)


def _outside_entry(file: Path, config: Config) -> PageEntry | None:
    """What a page outside the check offers to references (a partial check names it)."""
    from runbookdocs.document import read_document

    if not file.is_file():
        return None
    anchors, ids = targets(read_document(file, config))
    return PageEntry([], anchors, ids)


def judge_all(files: Sequence[Path], entries: dict[Path, PageEntry], config: Config) -> Report:
    """Every page's results, its references judged against all the pages of `entries`."""
    index = PageIndex(config, {str(f): e for f, e in entries.items()})
    report = Report()
    for f in files:
        report.extend(judge(f, entries[f], index, config))
    return report


def judge(file: Path, entry: PageEntry, index: PageIndex, config: Config) -> list[Result]:
    """A page's results: its own, plus its references and review date judged today."""
    from runbookdocs.selection import Selection
    from runbookdocs.validate.pages import (
        merge_unseen,
        resolve_reference,
        review_finding,
        unseen_page,
    )

    results = list(entry.results)
    if not entry.references and entry.reviewed is None:
        return results
    path = results[0].path if results else config.display(file)
    selection = Selection.of(config)
    late: list[Result] = []
    unseen: dict[str, tuple[int, list[Finding]]] = {}  # linked page: (place in `late`, links)
    for ref in entry.references:
        finding = resolve_reference(ref, file, index)
        if finding is None or not selection.reports(
            finding, entry.allow, entry.block_allow.get(ref.block_line or 0, ())
        ):
            continue
        owner = (
            next(
                (
                    r
                    for r in results
                    if r.line == ref.block_line and r.stage == "validate" and r.kind != "page"
                ),
                None,
            )
            if ref.block_line is not None
            else None
        )
        page = unseen_page(finding) if owner is None else None
        if page is not None and page in unseen:
            place, links = unseen[page]
            links.append(finding)
            late[place] = finding_result(path, merge_unseen(links), "page")
        elif owner is None:
            if page is not None:
                unseen[page] = (len(late), [finding])
            late.append(finding_result(path, finding, "page"))
        elif finding.severity == "error":
            if owner.outcome == "passed":
                owner.outcome, owner.severity, owner.message = "failed", "error", finding.message
            owner.findings = [*owner.findings, finding]
    if entry.reviewed is not None:
        stale = review_finding(path, entry.reviewed, config)
        if stale is not None and selection.reports(stale, entry.allow):
            late.append(finding_result(path, stale, "page"))
    return late + results


def finding_result(path: str, f: Finding, kind: str, block: Block | None = None) -> Result:
    """A result of its own for a finding (a page's, or a warning of a valid block)."""
    return Result(
        path=f.location.path,
        line=f.location.line,
        kind=kind,
        stage="validate",
        outcome="failed",
        severity=f.severity,
        message=f.message,
        id=block.id if block else None,
        target=block.target if block else None,
        findings=[f],
    )
