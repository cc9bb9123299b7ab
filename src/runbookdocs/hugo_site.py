"""What a Hugo site's own shortcodes put on a page (read from the site's templates).

A shortcode such as `{{% include-html api.html %}}` whose template calls `readFile`
(`{{ printf "%s%s" .Page.File.Dir (.Get 0) | readFile | safeHTML }}`) pulls the body of the
page from a file: the page's anchors are then that file's `id=` values, which its Markdown does
not show. Hugo looks a shortcode's template up in the site's `layouts/shortcodes/` (and
`layouts/_shortcodes/` since 0.146), then in its themes'; `readFile` reads a path relative to
the project, and falls back to the content directory.

A shortcode whose template builds ids from data (`{{ range .Site.Data.settings }}<tr
id="{{ .name | anchorize }}">`) gives the page anchors its Markdown does not show either. When
each id is a field of the entries of one data file (`data/settings.yaml`, `.json`, `.toml`),
as written or through `anchorize` or `lower`, the ids are that field's values anywhere in the
file: a superset of the ids (a `where` or an `if` may leave entries out), so a link to none of
them is broken. Ids built otherwise from data (from a map's keys, `printf`, `.Page.Params`,
remote data, `resources.Get`, through a partial, or Markdown the template renders) are unknown.
Ids made from a shortcode's own arguments alone are left as they were (not seen).
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from runbookdocs.dialect import hugo_config
from runbookdocs.yamlio import YamlProblem, load_yaml

_SHORTCODE = re.compile(r"\{\{([%<])\s*([A-Za-z][\w-]*(?:/[\w-]+)*)((?:\s+[^{}]*?)?)\s*[%>]\}\}")
"""A shortcode: its name may hold `/` (`{{< vrl/concepts >}}`, in `layouts/shortcodes/vrl/`)."""
_CLOSING = re.compile(r"\{\{[%<]\s*/\s*([A-Za-z][\w-]*(?:/[\w-]+)*)\s*[%>]\}\}")
_READS_FILE = re.compile(r"\breadFile\b|\bos\.ReadFile\b")
_FIRST_ARG = re.compile(r"""^\s*(?:["'`]([^"'`]+)["'`]|([^\s"'`=]+))""")
_FILE_NAME = re.compile(r"[\w./-]+\.[A-Za-z0-9]{1,5}")
_NAMED_ARG = re.compile(r"""[\w-]+=(?:"([^"]*)"|'([^']*)'|`([^`]*)`|([^\s"'`]+))""")
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)
_PARTIAL = re.compile(r"""\bpartial(?:Cached)?\s+["`]([^"`]+)["`]""")
_DATA = re.compile(r"""(?:\.Site|\bsite)\.Data((?:\.\w+)*)""")
_READS_DATA = re.compile(
    r"(?:\.Site|\bsite)\.Data\b|\.Page\.Params\b"
    r"|\b(?:getJSON|getCSV|resources\.Get\w*|transform\.Unmarshal)\b"
)
"""A template reading data: the site's data files, the page's front matter, remote or other
files (an id made from a shortcode's own arguments is not what this reading is about)."""
_OTHER_SOURCE = re.compile(
    r"\b(?:getJSON|getCSV|readFile|os\.ReadFile|resources\.Get\w*|transform\.Unmarshal)\b"
    r"|\.Params\b|\.(?:RegularPages|Pages|Sections|Resources|Menus|Taxonomies)\b"
    r"|\bpartial(?:Cached)?\b|\bindex\s+(?:\$?\.Site|site)\.Data\b"
)
"""What a template reads ids from other than one data file named in full (`.Site.Data.x`),
or a partial whose context is not known (its `.name` may be anything)."""
_ID_ATTR = re.compile(r"""\sid=(["']?)([^"'>\s]*\{\{.*?\}\}[^"'>\s]*)\1""")
_SIMPLE_ID = re.compile(
    r"""^([\w.:-]*)\{\{-?\s*(?:(anchorize|lower)\s+\.(\w+)|\.(\w+)(?:\s*\|\s*(anchorize|lower))?)"""
    r"""\s*-?\}\}([\w.:-]*)$"""
)
"""An id made of one field of the entry in range (`{{ .name }}`, `{{ .name | anchorize }}`,
`{{ anchorize .name }}`) between fixed text."""
_RENDERS = re.compile(r"\b(?:markdownify|RenderString)\b")
"""Markdown rendered by a template: its headings get ids."""
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


def shortcode_anchors(page: Path, line: str, text: str) -> list[FromFile]:
    """The anchors brought by the shortcodes of `line` (a line of the Hugo page `page`, whose
    whole text is `text`) that
    read a file: the file's `id=` values, or "unknown" when the file is not found. A shortcode
    whose template is not found counts as one that reads a file when its first argument is a
    file name (`x.html`), and brings unknown anchors when it stands alone on its line and
    wraps nothing; one whose template is found and reads no file brings nothing."""
    out: list[FromFile] = []
    for m in _SHORTCODE.finditer(line):
        name, args = m.group(2), m.group(3)
        arg = _FIRST_ARG.match(args)
        value = (arg.group(1) or arg.group(2)) if arg else None
        if arg and arg.group(2) and args[arg.end() :].startswith("="):
            # Named parameters (`contentPath="/docs/x.md"`): the one that names a file.
            named = (
                next(v for v in a.groups() if v is not None) for a in _NAMED_ARG.finditer(args)
            )
            value = next((v for v in named if _FILE_NAME.fullmatch(v)), None)
        data = _data_anchors(str(page.parent), name)
        if data is not None:
            out.append(data)
            continue
        reads = _reads_file(str(page.parent), name)
        if reads is None and (name in _BUILT_IN or name == "include"):
            # Hugo's own (a site's template of the same name wins), and the `include` of a
            # page, whose anchors are that page's (anchors.INCLUDE).
            continue
        if reads is None and not (value and _FILE_NAME.fullmatch(value)):
            if line.strip() == m.group() and name not in _closed(text):
                # A shortcode alone on its line, whose template is not in the copy (content
                # checked without its `layouts/`, a theme module's): it may write headings
                # (from the site's data), so the page's anchors are unknown. One that wraps
                # text (`{{< note >}}…{{< /note >}}`) or sits in a sentence is left out.
                out.append(FromFile(frozenset(), False))
            continue
        if reads is False:
            continue
        found = _file_read(page, value) if value else None
        out.append(FromFile(_ids(found), True) if found else FromFile(frozenset(), False))
    return out


@functools.lru_cache(maxsize=64)
def _closed(text: str) -> frozenset[str]:
    """The shortcodes the page `text` closes (`{{< /name >}}`): those that wrap text."""
    return frozenset(_CLOSING.findall(text)) if "/" in text else frozenset()


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
    text = _template(folder, ("shortcodes", "_shortcodes"), name)
    return None if text is None else _READS_FILE.search(text) is not None


def _layouts(folder: str) -> list[Path]:
    """The site's `layouts` folder, then its themes', where Hugo looks templates up."""
    root = _site_root(folder)
    if root is None:
        return []
    bases = [root / "layouts"]
    themes = root / "themes"
    if themes.is_dir():
        bases.extend(sorted(t / "layouts" for t in themes.iterdir()))
    return bases


@functools.lru_cache(maxsize=1024)
def _template(folder: str, subs: tuple[str, ...], name: str, depth: int = 0) -> str | None:
    """The text of the site's template `name` under one of `subs` (`shortcodes`, `partials`),
    with the text of the partials it calls after it (three levels down); None: not found."""
    for base in _layouts(folder):
        for sub in subs:
            stem = name if "." in name else f"{name}.*"
            for template in sorted((base / sub).glob(stem)):
                try:
                    text = template.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                if depth < 3:
                    for called in dict.fromkeys(_PARTIAL.findall(text)):
                        inner = _template(folder, ("partials", "_partials"), called, depth + 1)
                        text += "\n" + (inner or "")
                return text
    return None


@functools.lru_cache(maxsize=1024)
def _data_anchors(folder: str, name: str) -> FromFile | None:
    """The anchors the template of shortcode `name` builds from data (see the module's
    docstring); None when it builds none that way."""
    text = _template(folder, ("shortcodes", "_shortcodes"), name)
    if text is None:
        return None
    ids = _ID_ATTR.findall(text)
    if not _READS_DATA.search(text) or not (ids or _RENDERS.search(text)):
        return None
    unknown = FromFile(frozenset(), False)
    files = {m.group(1).split(".")[1] for m in _DATA.finditer(text) if m.group(1)}
    if len(files) != 1 or _OTHER_SOURCE.search(text) or _RENDERS.search(text):
        return unknown
    fields = [m for _, value in ids if (m := _SIMPLE_ID.match(value)) is not None]
    if not fields or len(fields) != len(ids):
        return unknown
    entries = _data_file(folder, files.pop())
    if entries is None:
        return unknown
    found: set[str] = set()
    for m in fields:
        prefix, field, suffix = m.group(1), m.group(3) or m.group(4), m.group(6)
        how = m.group(2) or m.group(5)
        values = _field_values(entries, field)
        if not values:
            return unknown  # `.name` is not the data's: the entries in range are something else
        found.update(prefix + _transform(value, how) + suffix for value in values)
    return FromFile(frozenset(found), True)


def _transform(value: str, how: str | None) -> str:
    if how == "lower":
        return value.lower()
    if how == "anchorize":
        from runbookdocs.anchors import github_slug

        return github_slug(value)
    return value


def _data_file(folder: str, name: str) -> object | None:
    """The data of `data/<name>.yaml|yml|json|toml` of the site (None: not found, unreadable,
    or a folder of files)."""
    root = _site_root(folder)
    if root is None:
        return None
    for suffix in (".yaml", ".yml", ".json", ".toml"):
        path = root / "data" / f"{name}{suffix}"
        if path.is_file():
            return _load_data(path)
    return None


@functools.lru_cache(maxsize=64)
def _load_data(path: Path) -> object | None:
    import tomllib

    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        data: object
        if path.suffix == ".json":
            data = json.loads(text)
        elif path.suffix == ".toml":
            data = tomllib.loads(text)
        else:
            data = yaml.safe_load(text)
        return data
    except (OSError, ValueError, yaml.YAMLError):
        return None


def _field_values(data: object, field: str) -> list[str]:
    """The text of every `field` of every mapping in `data`, at any depth."""
    out: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            value = item.get(field)
            if isinstance(value, (str, int, float)) and not isinstance(value, bool):
                out.append(str(value))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return out


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
        # A language's own content directory (`content/en`), mounted at the content's root.
        places.extend(d for d in page.parents if d.parent == content)
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
    from runbookdocs.anchors import _slugs, heading_text, html_ids  # anchors imports this

    ids = set(html_ids(text))
    if path.suffix in (".md", ".markdown"):
        # Markdown read and rendered into the page (`markdownify`): its headings' ids too.
        for m in _MD_HEADING.finditer(text):
            title, explicit = heading_text(m.group(1))
            ids.update(_slugs(title))
            if explicit:
                ids.add(explicit)
    return frozenset(ids)


@dataclass(frozen=True)
class Mount:
    """A `[[module.mounts]]` entry of a Hugo site that brings content into the site."""

    source: str
    target: str
    """The mounted folder's place under `content` (`` for the content root itself)."""
    lang: str


@functools.lru_cache(maxsize=256)
def missing_content_mounts(folder: str) -> tuple[Mount, ...]:
    """The content mounts of the Hugo site of `folder` whose source is not in the copy
    (`source = "../sdkdocs/..."`, a submodule or a module the copy does not hold): pages Hugo
    builds that the check cannot see. TOML, YAML and JSON configurations are read; an
    unreadable one mounts nothing."""
    root = _site_root(folder)
    config = hugo_config(folder)
    if root is None or config is None:
        return ()
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
        if config.suffix == ".toml":
            import tomllib

            data: object = tomllib.loads(text)
        elif config.suffix == ".json":
            data = json.loads(text)
        else:
            data = load_yaml(text, lines=False)
    except (OSError, ValueError, YamlProblem):  # a configuration Hugo would refuse
        return ()
    module = data.get("module") if isinstance(data, dict) else None
    mounts = module.get("mounts") if isinstance(module, dict) else None
    found: list[Mount] = []
    for m in mounts if isinstance(mounts, list) else ():
        if not isinstance(m, dict):
            continue
        source, target = m.get("source"), m.get("target")
        if not isinstance(source, str) or not isinstance(target, str):
            continue
        target = target.strip("/")
        if target != "content" and not target.startswith("content/"):
            continue
        if (root / source).exists():
            continue
        lang = m.get("lang")
        found.append(Mount(source, target.removeprefix("content").strip("/"), str(lang or "")))
    return tuple(found)
