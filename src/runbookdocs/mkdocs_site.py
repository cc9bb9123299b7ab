"""What an MkDocs site's `mkdocs.yml` says about its pages' links and anchors.

- Files localised with mkdocs-static-i18n's suffix structure (`suffix_languages`,
  `localised_file`).
- Whether headings get Python-Markdown `toc`'s default slug (`toc_default_slugify`).

With mkdocs-static-i18n's `docs_structure: suffix` (its default), each language's version of a file
sits next to the others as `name.<locale>.ext` (`install.de.md`, `diagram.en.png`), and pages
link to `name.ext` as if there were one: the plugin builds each language's site from the
files of that language, falling back to the default language's (and to the plain file). A link
to `install.md` from `setup.de.md` is therefore a link to `install.de.md`, else to
`install.en.md` when English is the default; the check must resolve it the same way.
"""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

_PLUGIN = "i18n"
"""The name mkdocs-static-i18n registers in `plugins:`."""


class SuffixLanguages(NamedTuple):
    """The languages of a site built with mkdocs-static-i18n's suffix structure."""

    default: str
    """The default language's locale (`en`): the fallback of every other one."""
    locales: frozenset[str]
    """Every configured locale, the default among them."""

    def of(self, page: Path) -> str:
        """The language of `page`: its locale suffix (`x.de.md`), else the default."""
        suffix = Path(page.stem).suffix.lstrip(".")
        return suffix if suffix in self.locales else self.default


@functools.lru_cache(maxsize=256)
def suffix_languages(folder: str) -> SuffixLanguages | None:
    """The languages of the MkDocs site above `folder` when it enables mkdocs-static-i18n with
    the suffix structure; None for any other site (no plugin, `docs_structure: folder`, or a
    configuration that names no language)."""
    data = site_settings(folder)
    options = _plugin_options(data.get("plugins"))
    if options is None or str(options.get("docs_structure") or "suffix") != "suffix":
        return None
    default = options.get("default_language")  # the 0.x plugins' setting
    locales: set[str] = set()
    languages = options.get("languages")
    if isinstance(languages, list):  # 1.x: [{locale: en, default: true}, ...]
        for entry in languages:
            if isinstance(entry, dict) and isinstance(entry.get("locale"), str):
                locales.add(entry["locale"])
                if entry.get("default") is True:
                    default = entry["locale"]
    elif isinstance(languages, dict):  # 0.x: {en: English, fr: Français}
        locales.update(str(k) for k in languages)
    if not isinstance(default, str) or not default:
        return None
    return SuffixLanguages(default, frozenset({*locales, default}))


def localised_file(source: Path, target: Path) -> Path | None:
    """The file mkdocs-static-i18n serves for a link from the page `source` to `target` (which
    does not exist as written): `target` with the page's locale, else the default locale,
    before its extension. None when the site does not localise files that way, or neither
    exists."""
    languages = suffix_languages(os.path.dirname(os.path.abspath(source)))
    if languages is None or not target.suffix:
        return None
    for locale in dict.fromkeys((languages.of(source), languages.default)):
        candidate = target.with_name(f"{target.stem}.{locale}{target.suffix}")
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=256)
def toc_default_slugify(folder: str) -> bool:
    """True when the pages of `folder` get Python-Markdown `toc`'s default slugs: the folder
    is in an MkDocs site whose `toc` extension sets no `slugify` (MkDocs' default). That slug
    folds accents (NFKD, then ASCII: `Unterstützte` is `unterstutzte`) and strips the text
    before it lowers it (`Why ?` is `why`)."""
    from runbookdocs.dialect import mkdocs_folder

    if mkdocs_folder(folder) is None:
        return False
    extensions = site_settings(folder).get("markdown_extensions")
    items: list[Any] = extensions if isinstance(extensions, list) else [extensions]
    for entry in items:
        if isinstance(entry, dict) and isinstance(entry.get("toc"), dict):
            return "slugify" not in entry["toc"]
    return True


@functools.lru_cache(maxsize=256)
def built_folders(folder: str) -> frozenset[Path]:
    """Folders of the docs directory that the `nav` of the MkDocs site above `folder` names
    pages in, but that are not in the sources: a step before `mkdocs build` writes them (a
    command-line reference generated from the program, say), so links into them name pages
    the check cannot see. Only whole folders count: one page missing from a folder that exists
    is more likely a page removed than one generated."""
    from runbookdocs.dialect import mkdocs_folder

    root = mkdocs_folder(folder)
    if root is None:
        return frozenset()
    data = site_settings(folder)
    docs = root / str(data.get("docs_dir") or "docs")
    if not docs.is_dir():
        return frozenset()
    found: set[Path] = set()
    for entry in _nav_paths(data.get("nav")):
        parts = entry.split("/")
        if ".." in parts or "." in parts:
            continue
        for depth in range(1, len(parts)):
            place = docs.joinpath(*parts[:depth])
            if not place.exists():
                found.add(Path(os.path.normpath(place)))
                break
    return frozenset(found)


def in_built_folder(source: Path, target: Path) -> bool:
    """True when `target`, linked from the page `source`, is inside one of the `built_folders`
    of the page's site (and so cannot be checked before the build)."""
    folders = built_folders(os.path.dirname(os.path.abspath(source)))
    if not folders:
        return False
    target = Path(os.path.normpath(os.path.abspath(target)))
    return any(target == f or f in target.parents for f in folders)


def _nav_paths(nav: Any) -> Iterator[str]:
    """The relative page paths a `nav` names (not its URLs, nor absolute paths)."""
    if isinstance(nav, str):
        if "://" not in nav and not nav.startswith(("/", "#")) and not nav.startswith("mailto:"):
            yield nav.strip()
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_paths(item)


def _zensical_settings(file: Path) -> dict[str, Any]:
    """The `[project]` table of a `zensical.toml`, its Markdown extensions as `mkdocs.yml`
    lists them (`[project.markdown_extensions.pymdownx.snippets]` is TOML's nesting of the
    extension `pymdownx.snippets`); {} when it cannot be read."""
    import tomllib

    try:
        project = tomllib.loads(file.read_text(encoding="utf-8")).get("project")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    if not isinstance(project, dict):
        return {}
    data = dict(project)
    extensions = data.get("markdown_extensions")
    if isinstance(extensions, dict):
        listed: list[Any] = []
        for name, options in extensions.items():
            nested = options if name == "pymdownx" and isinstance(options, dict) else {}
            if nested and all(isinstance(v, dict) for v in nested.values()):
                listed.extend({f"{name}.{sub}": opts} for sub, opts in nested.items())
            else:
                listed.append({name: options if isinstance(options, dict) else {}})
        data["markdown_extensions"] = listed
    return data


@functools.lru_cache(maxsize=256)
def site_settings(folder: str) -> dict[str, Any]:
    """The `mkdocs.yml` of the MkDocs site above `folder`, loaded and merged with the files it
    names in `INHERIT:` ({} when there is none or it cannot be read: the site's build reports
    that, not the check). A site configured by `zensical.toml` alone gives its `[project]`
    table, which holds the same keys. Shared between callers: read it, never change it."""
    from runbookdocs.dialect import mkdocs_config, mkdocs_folder

    site = mkdocs_config(folder)
    root = mkdocs_folder(folder)
    if root is not None and (site is None or site.parent != root):
        return _zensical_settings(root / "zensical.toml")
    if site is None:
        return {}
    loaded = _read_site(site)
    if not isinstance(loaded, dict):
        return {}
    data: dict[str, Any] = loaded
    for _ in range(5):  # `INHERIT:` merged as MkDocs does: dicts key by key, the rest replaced
        parent = data.get("INHERIT")
        base = _read_site(site.parent / parent) if isinstance(parent, str) else None
        if not isinstance(base, dict):
            break
        from runbookdocs.site.settings import _merge

        site = site.parent / str(parent)
        data = _merge(base, {k: v for k, v in data.items() if k != "INHERIT"})
    return data


@functools.lru_cache(maxsize=256)
def snippet_base_paths(folder: str) -> tuple[Path, ...]:
    """Where pymdownx.snippets looks includes up in the MkDocs site above `folder`: its
    `base_path` (a folder or a list of them, from the folder of `mkdocs.yml`, where MkDocs
    runs), else that folder itself (the default `.`); empty outside MkDocs sites."""
    from runbookdocs.dialect import mkdocs_folder

    root = mkdocs_folder(folder)
    if root is None:
        return ()
    extensions = site_settings(folder).get("markdown_extensions")
    items: list[Any] = extensions if isinstance(extensions, list) else [extensions]
    for entry in items:
        options = entry.get("pymdownx.snippets") if isinstance(entry, dict) else None
        base = options.get("base_path") if isinstance(options, dict) else None
        names = [base] if isinstance(base, str) else base if isinstance(base, list) else []
        found = [Path(os.path.normpath(root / str(n))) for n in names]
        if found:
            return tuple(found)
    return (root,)


def mkdocstrings_enabled(folder: str) -> bool:
    """True when `folder` is in an MkDocs site whose `plugins:` (or a file it `INHERIT`s)
    lists mkdocstrings: its `::: dotted.path` lines are then replaced by the object's
    documentation, whose headings have the object's path as their id (its members' paths
    under it)."""
    from runbookdocs.dialect import mkdocs_names

    return "mkdocstrings" in mkdocs_names(folder)[1]


def _plugin_options(plugins: Any) -> dict[str, Any] | None:
    """The options of the i18n plugin in a `plugins:` list or mapping (None: not enabled)."""
    items: list[Any] = list(plugins.items()) if isinstance(plugins, dict) else []
    if isinstance(plugins, list):
        for entry in plugins:
            if isinstance(entry, dict):
                items.extend(entry.items())
            else:
                items.append((entry, {}))
    for name, options in items:
        if name == _PLUGIN:
            return options if isinstance(options, dict) else {}
    return None


def _read_site(path: Path) -> Any:
    """`mkdocs.yml` loaded, its tags (`!!python/name:`, `!ENV`) read as nothing; None when it
    cannot be read (the site's build reports that, not the check)."""
    if not path.is_file():
        return None
    import yaml

    base: Any = yaml.SafeLoader

    class Loader(base):  # type: ignore[misc]
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None


__all__ = [
    "SuffixLanguages",
    "built_folders",
    "in_built_folder",
    "localised_file",
    "site_settings",
    "suffix_languages",
    "toc_default_slugify",
]


def excluded_page(file: Path) -> bool:
    """True when the MkDocs site above `file` leaves it out of its pages: a gitignore-style
    pattern of `exclude_docs` (read with pathspec, as MkDocs reads it), or a glob of the
    `exclude` plugin, names it (from the docs folder). The site then builds no page of it,
    though pages may still include it."""
    folder = os.path.dirname(os.path.abspath(file))
    docs, patterns, globs = _exclusions(folder)
    if docs is None:
        return False
    rel = os.path.relpath(os.path.abspath(file), docs).replace(os.sep, "/")
    if rel.startswith("../"):
        return False
    if any(fnmatch.fnmatchcase(rel, g) for g in globs):
        return True
    return bool(patterns) and _ignore_spec(patterns).match_file(rel)


@functools.lru_cache(maxsize=64)
def _ignore_spec(lines: tuple[str, ...]) -> Any:
    from pathspec.gitignore import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


@functools.lru_cache(maxsize=256)
def _exclusions(folder: str) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """The docs folder of the MkDocs site above `folder`, its `exclude_docs` lines and its
    `exclude` plugin globs; (None, (), ()) outside a site."""
    from runbookdocs.dialect import mkdocs_folder

    root = mkdocs_folder(folder)
    if root is None:
        return None, (), ()
    data = site_settings(folder)
    docs = os.path.normpath(root / str(data.get("docs_dir") or "docs"))
    lines = data.get("exclude_docs")
    patterns = tuple(lines.split("\n")) if isinstance(lines, str) and lines.strip() else ()
    plugins = data.get("plugins")
    entries = list(plugins.items()) if isinstance(plugins, dict) else []
    for entry in plugins if isinstance(plugins, list) else []:
        entries.extend(entry.items() if isinstance(entry, dict) else [])
    globs: list[str] = []
    for name, options in entries:
        glob = options.get("glob") if name == "exclude" and isinstance(options, dict) else None
        globs.extend([glob] if isinstance(glob, str) else glob if isinstance(glob, list) else [])
    return docs, patterns, tuple(str(g) for g in globs)
