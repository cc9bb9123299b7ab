"""Files the repository ignores: pages a build step writes (imported from other repositories,
generated from code) and that Git does not keep, so a copy of the sources never holds them.

A link to such a page names nothing in the copy, yet resolves in the site the build makes: the
repository says so by listing the page in a `.gitignore` (`content/en/cli/tool_*.md`,
`api/v*.md`). The `.gitignore` files read are those between the linked path and the top of the
repository (the folder holding `.git`) or, in a copy without Git, the site's root (the folder
of its configuration); outside both, nothing is read and nothing is taken as ignored.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from runbookdocs.dialect import SITE_FILES

_TOP_MARKERS = (".git", *SITE_FILES)
"""A folder holding one of these is the top: the repository's, or the site's in a copy."""


def ignored_by_repository(path: Path) -> bool:
    """True when a `.gitignore` of the repository (or site) above `path` ignores it.

    Git reads every `.gitignore` from the top down to the path's folder, and the last pattern
    that matches decides (a deeper file's `!page.md` keeps what a higher one ignored)."""
    path = Path(os.path.normpath(os.path.abspath(path)))
    folders = _folders_to_top(str(path.parent))
    if not folders:
        return False
    decided: bool | None = None
    for folder in reversed(folders):
        spec = _spec(folder)
        if spec is None:
            continue
        include = spec.check_file(path.relative_to(folder).as_posix()).include
        if include is not None:
            decided = include
    return bool(decided)


@functools.lru_cache(maxsize=1024)
def _folders_to_top(folder: str) -> tuple[str, ...]:
    """`folder` and the folders above it up to the top (deepest first); () without a top."""
    out: list[str] = []
    current = Path(folder)
    while True:
        out.append(str(current))
        if any(os.path.exists(current / name) for name in _TOP_MARKERS):
            return tuple(out)
        if current.parent == current:
            return ()
        current = current.parent


@functools.lru_cache(maxsize=1024)
def _spec(folder: str) -> Any:
    """The patterns of `folder/.gitignore`, or None when it has none."""
    try:
        lines = Path(folder, ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    from pathspec.gitignore import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines.splitlines())
