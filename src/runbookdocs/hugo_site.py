"""What a Hugo site's own shortcodes put on a page (read from the site's templates).

A shortcode such as `{{% include-html api.html %}}` whose template calls `readFile`
(`{{ printf "%s%s" .Page.File.Dir (.Get 0) | readFile | safeHTML }}`) pulls the body of the
page from a file: the page's anchors are then that file's `id=` values, which its Markdown does
not show. Hugo looks a shortcode's template up in the site's `layouts/shortcodes/` (and
`layouts/_shortcodes/` since 0.146), then in its themes'; `readFile` reads a path relative to
the project, and falls back to the content directory.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from runbookdocs.dialect import hugo_config

_SHORTCODE = re.compile(r"\{\{([%<])\s*([A-Za-z][\w-]*)((?:\s+[^{}]*?)?)\s*[%>]\}\}")
_READS_FILE = re.compile(r"\breadFile\b|\bos\.ReadFile\b")
_FIRST_ARG = re.compile(r"""^\s*(?:["'`]([^"'`]+)["'`]|([^\s"'`=]+))""")
_FILE_NAME = re.compile(r"[\w./-]+\.[A-Za-z0-9]{1,5}")
_BUILT_IN = frozenset(
    {
        "comment",
        "details",
        "figure",
        "gist",
        "highlight",
        "instagram",
        "param",
        "qr",
        "ref",
        "relref",
        "tweet",
        "vimeo",
        "x",
        "youtube",
    }
)
"""Hugo's own shortcodes: none reads a file into the page."""


@dataclass(frozen=True)
class FromFile:
    """Anchors a shortcode brings to a page from the file it reads."""

    ids: frozenset[str]
    known: bool
    """False when the file read could not be found: the page's anchors are then unknown."""


def shortcode_anchors(page: Path, line: str) -> list[FromFile]:
    """The anchors brought by the shortcodes of `line` (a line of the Hugo page `page`) that
    read a file: the file's `id=` values, or "unknown" when the file is not found. A shortcode
    whose template is not found counts as one that reads a file when its first argument is a
    file name (`x.html`); one whose template is found and reads no file brings nothing."""
    out: list[FromFile] = []
    for m in _SHORTCODE.finditer(line):
        name, args = m.group(2), m.group(3)
        arg = _FIRST_ARG.match(args)
        value = (arg.group(1) or arg.group(2)) if arg else None
        reads = _reads_file(str(page.parent), name)
        if reads is None and (name in _BUILT_IN or name == "include"):
            # Hugo's own (a site's template of the same name wins), and the `include` of a
            # page, whose anchors are that page's (anchors.INCLUDE).
            continue
        if reads is False or (reads is None and not (value and _FILE_NAME.fullmatch(value))):
            continue
        found = _file_read(page, value) if value else None
        out.append(FromFile(_ids(found), True) if found else FromFile(frozenset(), False))
    return out


def _site_root(folder: str) -> Path | None:
    config = hugo_config(folder)
    if config is None:
        return None
    root = config.parent
    if root.name == "_default" and root.parent.name == "config":
        root = root.parent.parent
    return root


@functools.lru_cache(maxsize=1024)
def _reads_file(folder: str, name: str) -> bool | None:
    """True when the site's template of shortcode `name` reads a file, False when it does
    not, None when no template is found (a theme or module not in the copy, or a built-in)."""
    root = _site_root(folder)
    if root is None:
        return None
    bases = [root / "layouts"]
    themes = root / "themes"
    if themes.is_dir():
        bases.extend(sorted(t / "layouts" for t in themes.iterdir()))
    for base in bases:
        for sub in ("shortcodes", "_shortcodes"):
            for template in sorted((base / sub).glob(f"{name}.*")):
                try:
                    text = template.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                return _READS_FILE.search(text) is not None
    return None


def _file_read(page: Path, value: str) -> Path | None:
    """The file `value` names: next to the page (templates join `.Page.File.Dir` to it),
    else where `readFile` looks for a path: the project's top, then the content directory."""
    places = [page.parent]
    root = _site_root(str(page.parent))
    if root is not None:
        places.append(root)
    content = next((p for p in page.parents if p.name == "content"), None)
    if content is not None:
        places.append(content)
    for place in places:
        candidate = place / value.lstrip("/")
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=256)
def _ids(path: Path) -> frozenset[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    from runbookdocs.anchors import html_ids  # anchors imports this module

    return frozenset(html_ids(text))
