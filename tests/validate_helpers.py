"""Helpers for the static-check tests: check a page in-process, as rendered finding lines."""

from __future__ import annotations

import os
from pathlib import Path

from runbookdocs.config import load_config
from runbookdocs.results import Report
from runbookdocs.validate import check_documents, documents_from_paths
from tests.helpers import make_project


def check_project(root: Path, *paths: str) -> Report:
    """Run the static checks on `paths` (default: the docs directory) from `root`, no cache."""
    old = Path.cwd()
    os.chdir(root)
    try:
        config = load_config()
        docs = documents_from_paths([Path(p) for p in paths], config)
        return check_documents(docs, config)
    finally:
        os.chdir(old)


def lines(report: Report) -> list[str]:
    """First line of every finding, sorted, deduplicated: `path:line:col: severity: message`."""
    out = {f.render().splitlines()[0] for r in report.results for f in r.findings}
    return sorted(out, key=_order)


def _order(text: str) -> tuple[str, int, int, str]:
    path, line, col, rest = text.split(":", 3)
    return path, int(line), int(col), rest


def check_page(
    tmp: Path, page: str, files: dict[str, str] | None = None, config: str = ""
) -> list[str]:
    """Write `docs/page.md` (+ files) in a project under `tmp`, check it, return finding lines."""
    make_project(tmp, {"docs/page.md": page, **(files or {})}, config)
    return lines(check_project(tmp, "docs/page.md"))
