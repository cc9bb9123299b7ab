"""Links as a Docusaurus site resolves them.

A Docusaurus site is recognised by its configuration file (`docusaurus.config.js`, `.ts`,
`.mjs` or `.cjs`) in the page's folder or one above it, up to the repository's top, or beside
one above it when it reads that folder (`website/docusaurus.config.js` with `path: '../docs'`,
the docs plugin's content folder outside the site's). There a link without an extension
(`./sort`, `../server-management/save`, `backups#retention`) is not a file: it is a URL the
browser resolves against the page's URL, and names the doc served there. A doc
`a/b/sort.md` is served at `a/b/sort` (`a/b/sort/` with `trailingSlash: true`); a folder's
index doc (`index.md`, `README.md`, or `x/x.md`) at the folder's URL; a category whose
`_category_.yml` asks for a `generated-index` gets a page at `category/<its label, slugified>`
(or the `slug` it sets).

A doc's URL is the docs plugin's: its folder (number prefixes such as `01-` dropped) joined
with its front matter `slug` (absolute, or relative to the folder), else with its `id` (else
its file name without number prefix); a folder's index doc is served at the folder. Links are
resolved against that URL as a browser does, then, for what this reading misses, against the
file's own folder.

A link to a file (`x.md`, `x.mdx`) is a file path the Markdown loader resolves: `./` and `../`
against the page's folder only; `api/x.md` against the page's folder, then the content folder
(the plugin's `path`), then the site's folder; `/api/x.md` against the content folder, then the
site's folder.
"""

from __future__ import annotations

import functools
import json
import os
import posixpath
import re
from pathlib import Path

from runbookdocs.dialect import DOCUSAURUS_FILES, docusaurus_config, docusaurus_outside_paths
from runbookdocs.extract.frontmatter import simple_yaml

CONFIG_FILES = DOCUSAURUS_FILES
_DOC_SUFFIXES = (".md", ".mdx")
_TRAILING_SLASH = re.compile(r"\btrailingSlash\s*:\s*true\b")
_NO_TRAILING_SLASH = re.compile(r"\btrailingSlash\s*:\s*false\b")
_CATEGORY_FILES = ("_category_.yml", "_category_.yaml", "_category_.json")


@functools.lru_cache(maxsize=1024)
def site_config(folder: str) -> Path | None:
    """The Docusaurus configuration of the site the folder belongs to (None: not one)."""
    return docusaurus_config(folder)


@functools.lru_cache(maxsize=64)
def _config_text(config: Path) -> str:
    try:
        return config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _trailing_slash(config: Path) -> bool:
    return _TRAILING_SLASH.search(_config_text(config)) is not None


def linked_doc(source: Path, path_part: str) -> Path | None:
    """The doc (or the category file of a generated index page) that a link `path_part` on
    the page `source` names on a Docusaurus site, where the page's folder has none: an
    extension-less link by URL, a link to a `.md` or `.mdx` file by the loader's file paths
    (see the module's docstring); None when the site is not a Docusaurus one, the link has
    another extension, or nothing is there."""
    if not path_part:
        return None
    suffix = Path(path_part.rstrip("/")).suffix
    if suffix and suffix not in _DOC_SUFFIXES:
        return None
    config = site_config(os.path.dirname(os.path.abspath(source)))
    if config is None:
        return None
    if suffix:
        return _by_file_path(source, path_part, config)
    by_url = _by_url(source, path_part, config)
    if by_url is not None:
        return by_url
    for base in _url_bases(source, _trailing_slash(config)):
        target = Path(os.path.normpath(base / path_part))
        found = _served_at(target) or _generated_index(target, config)
        if found is not None:
            return found
    return None


_IGNORED_PREFIX = re.compile(r"^\d+[-_.]\d+")
_NUMBER_PREFIX = re.compile(r"^\d+\s*[-_.]+\s*(?P<name>[^-_.\s].*)$")
_FRONT_KEY = re.compile(r"^(?:id|slug)[ \t]*:")


def strip_number_prefix(name: str) -> str:
    """`name` without the number prefix Docusaurus drops from doc and folder names (`01-intro`
    -> `intro`, `2 - setup` -> `setup`); versions and dates (`8.0`, `2021-01-foo`) keep it."""
    if _IGNORED_PREFIX.match(name):
        return name
    m = _NUMBER_PREFIX.match(name)
    return m.group("name") if m else name


def _by_url(source: Path, path_part: str, config: Path) -> Path | None:
    """The doc served at the URL the relative link `path_part` names from the URL of
    `source`, as the docs plugin computes doc URLs (see the module's docstring); None when no
    doc is served there or `source` is not a doc of the plugin."""
    root = _docs_root(source, config)
    if root is None or path_part.startswith("/"):
        return None
    urls = _doc_urls(str(root))
    own = _own_url(source, root)
    if own is None:
        return None
    if _trailing_slash(config) and not own.endswith("/"):
        own += "/"
    elif own != "/" and _NO_TRAILING_SLASH.search(_config_text(config)):
        own = own.rstrip("/")  # a folder's index doc too: `../x` then leaves the folder
    base = own if own.endswith("/") else own.rsplit("/", 1)[0] + "/"
    # The server answers `x` and `x/` alike (Docusaurus writes x/index.html by default).
    target = posixpath.normpath(posixpath.join(base, path_part)).strip("/")
    return urls.get(target)


def _by_file_path(source: Path, path_part: str, config: Path) -> Path | None:
    """The file a link to a doc file names from the page `source`, looked for where the
    Markdown loader looks after the page's folder: the content folder, then the site's."""
    if path_part.startswith(("./", "../")):
        return None  # relative to the page's folder alone, where it is not
    root = _docs_root(source, config)
    for base in (root, config.parent):
        if base is not None:
            found = Path(os.path.normpath(base / path_part.lstrip("/")))
            if found.is_file():
                return found
    return None


def _own_url(source: Path, root: Path) -> str | None:
    """The URL (under the docs' route) of the doc `source`, with a trailing `/` for a
    folder's index doc; None when `source` is not among the docs of `root`."""
    try:
        rel = Path(os.path.abspath(source)).relative_to(os.path.abspath(root))
    except ValueError:
        return None
    return _doc_url(rel, _front_matter(Path(os.path.abspath(source))))


def _docs_root(source: Path, config: Path) -> Path | None:
    """The folder of the docs plugin instance `source` belongs to, written the way `source`
    is: `<site>/docs` (or any top folder a plugin instance reads, such as `community`),
    `<site>/versioned_docs/version-X`, `<site>/i18n/<locale>/<plugin>/<version>`, or a folder
    outside the site the configuration names (`path: '../docs'`); None for the blog and the
    pages plugin, whose URLs follow other rules."""
    site = config.parent
    absolute = Path(os.path.abspath(source))
    for outside in docusaurus_outside_paths(config):
        if outside in absolute.parents and outside.name != "blog":
            root = source
            for _ in range(len(absolute.relative_to(outside).parts)):
                root = root.parent
            return root
    try:
        rel = Path(os.path.abspath(source)).relative_to(site)
    except ValueError:
        return None
    if len(rel.parts) < 2 or rel.parts[0] in ("blog", "src", "static", "node_modules"):
        return None
    depth = {"versioned_docs": 2, "i18n": 4}.get(rel.parts[0], 1)
    if len(rel.parts) <= depth:
        return None
    root = source
    for _ in range(len(rel.parts) - depth):
        root = root.parent
    return root


def _doc_url(rel: Path, front: dict[str, str]) -> str:
    """The URL of the doc at `rel` under its docs folder, without the route's base: the
    plugin's `getSlug` (an absolute `slug`; a folder's index doc at the folder, with a
    trailing `/`; else the `slug` or the id resolved against the folder)."""
    folders = rel.parent.parts
    folder = "/" + "".join(strip_number_prefix(name) + "/" for name in folders)
    slug = front.get("slug")
    if slug is not None and slug.startswith("/"):
        return slug
    index_names = ("index", "readme", folders[-1].lower() if folders else "index")
    if slug is None and rel.stem.lower() in index_names:
        return folder
    name = slug if slug is not None else front.get("id", strip_number_prefix(rel.stem))
    return posixpath.normpath(posixpath.join(folder, name)) + ("/" if name.endswith("/") else "")


@functools.lru_cache(maxsize=16)
def _doc_urls(root: str) -> dict[str, Path]:
    """Every doc under the docs folder `root` by its URL (no leading or trailing `/`). Files
    and folders whose names start with `_` are partials, no docs (the plugin's default
    `exclude`)."""
    found: dict[str, Path] = {}
    base = Path(root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".", "node_modules")))
        for filename in sorted(filenames):
            if filename.startswith("_") or not filename.endswith(_DOC_SUFFIXES):
                continue
            path = Path(dirpath) / filename
            rel = path.relative_to(base)
            url = _doc_url(rel, _front_matter(Path(os.path.abspath(path))))
            found.setdefault(url.strip("/"), path)
    return found


@functools.lru_cache(maxsize=4096)
def _front_matter(path: Path) -> dict[str, str]:
    """The `id` and `slug` a doc's front matter sets (text values only)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            if handle.readline().rstrip() != "---":
                return {}
            lines: list[str] = []
            for line in handle:
                if line.rstrip() == "---":
                    break
                lines.append(line.rstrip("\n"))
            else:
                return {}
    except OSError:
        return {}
    keys = "\n".join(ln for ln in lines if _FRONT_KEY.match(ln))
    data = simple_yaml(keys) if keys else None
    if not isinstance(data, dict):
        return {}
    return {k: str(v).strip() for k, v in data.items() if isinstance(v, (str, int)) and str(v)}


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


def _generated_index(target: Path, config: Path) -> Path | None:
    """The `_category_` file whose generated index page is served at `target`."""
    if target.parent.name != "category":
        return None
    for folder in (config.parent, *docusaurus_outside_paths(config)):
        found = _generated_indexes(str(folder)).get(target.name)
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=16)
def _generated_indexes(site: str) -> dict[str, Path]:
    """The generated index pages of the categories under `site` (a site's folder or a content
    folder outside it): their slug's last part -> the `_category_` file asking for it."""
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
