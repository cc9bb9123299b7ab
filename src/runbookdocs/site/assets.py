"""The site's assets: the walker and variables script, its styles, the vendored Mermaid.

They are published under `assets/runbookdocs/`: by the MkDocs plugin straight from the package,
or copied into the docs tree by `runbookdocs site prepare` for builders that run no MkDocs
plugin (Zensical). The Markdown extension links the styles from every page and the script from
the pages that need it (runbook pages, decision trees, the report page), so both builders load
the same files the same way:

- `runbookdocs.css`, then `runbookdocs.js` (deferred), each with `?v=` and the assets' digest
  so that browsers never mix a new page with an old script;
- the script loads `vendor/mermaid/mermaid.min.js` itself, only on pages with a tree overview.

Next to the prepared copies, `.prepared.json` (a dot file: neither builder publishes it) records
which runbookdocs assets, settings and run report the docs tree was prepared with.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PACKAGE_ASSETS = Path(__file__).parent / "assets"
"""The assets in the package."""
URL_PREFIX = "assets/runbookdocs"
"""Where the assets are published (relative to the site root and to the docs directory)."""
PREPARED = ".prepared.json"
"""The file recording what `runbookdocs site prepare` wrote (in the assets directory)."""
STYLE = "runbookdocs.css"
SCRIPT = "runbookdocs.js"
MERMAID = "vendor/mermaid/mermaid.min.js"


@functools.lru_cache(maxsize=1)
def files() -> tuple[tuple[str, Path], ...]:
    """(path under `assets/runbookdocs/`, file in the package) for every asset."""
    return tuple(
        (p.relative_to(PACKAGE_ASSETS).as_posix(), p)
        for p in sorted(PACKAGE_ASSETS.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and "__pycache__" not in p.parts
    )


@functools.lru_cache(maxsize=1)
def digest() -> str:
    """`sha256:HEX` of every asset: names and bytes, but sizes for the vendored files (pinned
    releases, named in their README: reading 3.5 MB of Mermaid on every build is not needed)."""
    h = hashlib.sha256()
    for rel, path in files():
        content = (
            str(path.stat().st_size).encode() if rel.startswith("vendor/") else path.read_bytes()
        )
        h.update(rel.encode() + b"\0" + content + b"\0")
    return "sha256:" + h.hexdigest()


def version() -> str:
    """The short digest used to name the assets' version in their URLs."""
    return digest().split(":", 1)[1][:12]


def links(to_root: str, *, script: bool = True) -> str:
    """The HTML that loads the styles and, with `script`, the script (`to_root`:
    `PageContext.to_root`). Every page gets the styles (link underlines and contrast fixes are
    site-wide); only pages with something to run get the script."""
    base = f"{to_root}{URL_PREFIX}"
    v = version()
    out = f'<link rel="stylesheet" href="{base}/{STYLE}?v={v}">'
    if script:
        out += f'<script src="{base}/{SCRIPT}?v={v}" defer></script>'
    return out


def read_prepared(docs_dir: Path) -> dict[str, Any] | None:
    """What `runbookdocs site prepare` recorded in `docs_dir`; None when it never ran there."""
    path = docs_dir / URL_PREFIX / PREPARED
    try:
        stat = path.stat()
    except OSError:
        return None
    return _read_prepared(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _read_prepared(path: Path, mtime_ns: int, size: int) -> dict[str, Any] | None:
    del mtime_ns, size  # the cache key: a prepared tree is read again when it changes
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def prepared_record(settings: Mapping[str, Any], report: str | None) -> dict[str, Any]:
    """What `.prepared.json` holds."""
    from runbookdocs import __version__

    return {
        "runbookdocs": __version__,
        "assets": digest(),
        "report": report,
        "settings": dict(settings),
    }
