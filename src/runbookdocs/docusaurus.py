"""Links as a Docusaurus site resolves them.

A Docusaurus site is recognised by its configuration file (`docusaurus.config.js`, `.ts`,
`.mjs` or `.cjs`) in the page's folder or one above it, up to the repository's top. There a
link without an extension (`./sort`, `../server-management/save`, `backups#retention`) is not
a file: it is a URL the browser resolves against the page's URL, and names the doc served
there. A doc `a/b/sort.md` is served at `a/b/sort` (`a/b/sort/` with `trailingSlash: true`); a
folder's index doc (`index.md`, `README.md`, or `x/x.md`) at the folder's URL; a category whose
`_category_.yml` asks for a `generated-index` gets a page at `category/<its label, slugified>`
(or the `slug` it sets). Docs whose front matter sets a `slug:` are served elsewhere: such
links are not followed, and the file-relative reading is tried as well.
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path

from runbookdocs.dialect import DOCUSAURUS_FILES, site_file

CONFIG_FILES = DOCUSAURUS_FILES
_DOC_SUFFIXES = (".md", ".mdx")
_TRAILING_SLASH = re.compile(r"\btrailingSlash\s*:\s*true\b")
_CATEGORY_FILES = ("_category_.yml", "_category_.yaml", "_category_.json")


@functools.lru_cache(maxsize=1024)
def site_config(folder: str) -> Path | None:
    """The Docusaurus configuration of the site the folder belongs to (None: not one)."""
    return site_file(folder, CONFIG_FILES)


@functools.lru_cache(maxsize=64)
def _trailing_slash(config: Path) -> bool:
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _TRAILING_SLASH.search(text) is not None


def linked_doc(source: Path, path_part: str) -> Path | None:
    """The doc (or the category file of a generated index page) that an extension-less link
    `path_part` on the page `source` names on a Docusaurus site; None when the site is not a
    Docusaurus one, the link has an extension, or nothing is served there."""
    if not path_part or Path(path_part.rstrip("/")).suffix:
        return None
    config = site_config(os.path.dirname(os.path.abspath(source)))
    if config is None:
        return None
    for base in _url_bases(source, _trailing_slash(config)):
        target = Path(os.path.normpath(base / path_part))
        found = _served_at(target) or _generated_index(target, config.parent)
        if found is not None:
            return found
    return None


def _url_bases(source: Path, trailing_slash: bool) -> list[Path]:
    """The folders relative links of `source` are resolved against: its URL's folder (the
    browser's reading), then its own folder (for docs moved by a `slug:`)."""
    folder = source.parent
    index = source.stem in ("index", "README") or source.stem == folder.name
    if index:
        url_folder = folder if trailing_slash else folder.parent
    else:
        url_folder = folder / source.stem if trailing_slash else folder
    return list(dict.fromkeys((url_folder, folder)))


def _served_at(target: Path) -> Path | None:
    """The doc served at the URL `target` (as a path under the docs folder), if any."""
    for suffix in _DOC_SUFFIXES:
        doc = target.with_name(target.name + suffix)
        if doc.is_file():
            return doc
    if target.is_dir():
        for name in ("index", "README", target.name):
            for suffix in _DOC_SUFFIXES:
                if (target / f"{name}{suffix}").is_file():
                    return target / f"{name}{suffix}"
    return None


def _generated_index(target: Path, site: Path) -> Path | None:
    """The `_category_` file whose generated index page is served at `target`."""
    if target.parent.name != "category":
        return None
    return _generated_indexes(str(site)).get(target.name)


@functools.lru_cache(maxsize=16)
def _generated_indexes(site: str) -> dict[str, Path]:
    """The generated index pages of a site's categories: their slug's last part -> the
    `_category_` file asking for it."""
    found: dict[str, Path] = {}
    for path in sorted(Path(site).rglob("_category_.*")):
        if path.name not in _CATEGORY_FILES or "node_modules" in path.parts:
            continue
        data = _load(path)
        link = data.get("link") if isinstance(data, dict) else None
        if not isinstance(link, dict) or link.get("type") != "generated-index":
            continue
        slug = link.get("slug")
        label = data.get("label") if isinstance(data, dict) else None
        if isinstance(slug, str) and slug.strip("/"):
            found.setdefault(slug.strip("/").rsplit("/", 1)[-1], path)
        elif isinstance(label, str) and label.strip():
            found.setdefault(re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-"), path)
        else:
            found.setdefault(re.sub(r"[^a-z0-9]+", "-", path.parent.name.lower()), path)
    return found


def _load(path: Path) -> object:
    """A `_category_` file's settings; None when it cannot be read (the build reports it)."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError):
        return None


__all__ = ["CONFIG_FILES", "linked_doc", "site_config"]
