"""Dialects: how a project's pages are rendered, which decides how the check reads them.

- `mkdocs`: Python-Markdown with pymdownx.superfences. Fence headers follow superfences' strict
  grammar, a top-level fence starts at column 1, anchors are the `toc` extension's slugs.
- `commonmark`, `github`: CommonMark / GitHub Flavored Markdown. The first word of the info
  string is the language and the rest is the renderer's; anchors are GitHub's slugs.
  `github` pages are read in GitHub's file browser, where a link `x` names the file `x`: a link
  without `.md` to the page `x.md` is broken there and reported. `commonmark` means the
  renderer is unknown, and many serve `x.md` at `x` (a site that serves `/docs/x` from `x.md`,
  wikis): such a link is accepted there. A link to a page that exists under neither name is
  reported in both.
- `hugo`: Goldmark (CommonMark) plus Hugo's ways: `{...}` after the language holds Hugo's
  code-fence attributes on pages that are not runbooks, links may be written relative to the
  page's pretty URL (`../other-page/`) or with `{{< ref >}}`/`{{< relref >}}` shortcodes.

The project names its dialect (`dialect` in `[tool.runbookdocs]`, `dialects` per directory,
`--dialect`); otherwise it is detected for each directory from the nearest site configuration
above it: `mkdocs.yml`, `properdocs.yml` (ProperDocs, the MkDocs fork) or `zensical.toml` is
MkDocs, a Hugo configuration (`hugo.toml`, at the root or in `config/_default/`, or a
`config.toml`/`.yaml`/`.json` with Hugo's keys) is Hugo.
Nothing found: `mkdocs` (the strict reading) in a project that configures runbookdocs;
elsewhere `github` when the repository's git configuration names a remote on github.com (its
pages are read in GitHub's browser), else `commonmark` (GitLab, Gitea or any CommonMark
renderer).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from runbookdocs.patterns import lazy

if TYPE_CHECKING:
    from runbookdocs.config import Config
    from runbookdocs.document import Document

DEFAULT = "mkdocs"
COMMONMARK_LIKE = frozenset({"commonmark", "github", "hugo"})
"""Dialects whose fences follow CommonMark (the info string's first word is the language)."""

_MKDOCS_YAML = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")
"""The YAML configuration of an MkDocs site: MkDocs' own, or ProperDocs' (the MkDocs 1.x fork,
same keys, plugins and extensions, whose configuration file is `properdocs.yml`)."""
_MKDOCS_FILES = (*_MKDOCS_YAML, "zensical.toml")
_HUGO_FILES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
_HUGO_CONFIG = ("config.toml", "config.yaml", "config.yml", "config.json")
DOCUSAURUS_FILES = (
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
)
SITE_FILES = (*_MKDOCS_FILES, *_HUGO_FILES, *DOCUSAURUS_FILES)
"""The configuration files that name a site by themselves (not Hugo's generic `config.*`)."""
_HUGO_KEY = (
    r"""(?m)^\s*["']?"""
    r"(baseURL|baseurl|languageCode|theme|contentDir|disableKinds|enableGitInfo)"
    r"""["']?\s*[=:]"""
)


class Dialect(NamedTuple):
    """The dialect of a page, and why."""

    name: str
    reason: str
    """`configured`, `dialects."docs/x"`, `--dialect`, `detected from PATH`, or `default`."""
    legacy_tabs: bool = False
    """MkDocs only: the site pins pymdown-extensions before 8.0, whose SuperFences still renders
    the legacy ```` ```yaml tab="Label" ```` fences as content tabs (8.0 removed them)."""
    attr_list: bool = False
    """MkDocs only: the site enables Python-Markdown's `attr_list`, with which SuperFences puts
    a fence's `data-*` attributes (```` ```{.bash data-prompt="$"} ````) on the rendered block,
    where the site's scripts read them (without it, or for other keys under Pygments, they are
    dropped)."""
    margin_fences_only: bool = False
    """MkDocs only: the site's `mkdocs.yml` enables neither `pymdownx.superfences` nor
    `pymdownx.extra`, so fences are those of Python-Markdown's `fenced_code` (which MkDocs always
    loads): a preprocessor that takes a fence only at the page's margin. A fence indented under
    a list item or in a quote is no block there: it renders as a paragraph with the backticks
    as inline code."""

    @property
    def docusaurus(self) -> bool:
        """True when the dialect was detected from a Docusaurus site's configuration."""
        return self.reason.endswith(" (Docusaurus)")

    @property
    def commonmark(self) -> bool:
        """True when fences follow CommonMark rather than pymdownx.superfences."""
        return self.name in COMMONMARK_LIKE

    def __str__(self) -> str:
        return f"{self.name} ({self.reason})"


def dialect_for(file: Path, config: Config) -> Dialect:
    """The dialect of the page at `file` (absolute)."""
    found = _dialect_for(file, config)
    if found.name != "mkdocs":
        return found
    folder = str(Path(os.path.abspath(file)).parent)
    extensions, plugins = mkdocs_names(folder)
    legacy, attr_list = legacy_superfences(folder), "attr_list" in extensions
    site = site_file(folder, _MKDOCS_FILES)
    # Zensical (zensical.toml) loads superfences by default, and so does runbookdocs' own MkDocs
    # plugin (site/plugin.py adds it): only a mkdocs.yml with neither can leave it out.
    margin = (
        site is not None
        and site.name in _MKDOCS_YAML
        and "runbookdocs" not in plugins
        and not extensions & {"pymdownx.superfences", "pymdownx.extra"}
    )
    if legacy or attr_list or margin:
        return Dialect(
            found.name,
            found.reason,
            legacy_tabs=legacy,
            attr_list=attr_list,
            margin_fences_only=margin,
        )
    return found


def _dialect_for(file: Path, config: Config) -> Dialect:
    if config.dialects:
        try:
            rel = Path(os.path.abspath(file)).relative_to(config.root).as_posix()
        except ValueError:
            rel = ""
        best = ""
        for folder in config.dialects:
            if (rel == folder or rel.startswith(folder + "/")) and len(folder) > len(best):
                best = folder
        if best:
            return Dialect(config.dialects[best], f'dialects."{best}"')
    if config.dialect:
        return Dialect(config.dialect, "configured")
    found = detect(str(Path(os.path.abspath(file)).parent))
    if found.reason == _NOTHING and config.source is None:
        # No site configuration and no runbookdocs configuration: pages read on GitHub, GitLab
        # or any CommonMark renderer. A project that configures runbookdocs keeps the strict
        # reading of the site runbookdocs publishes with.
        remote = github_remote(str(Path(os.path.abspath(file)).parent))
        if remote is not None:
            # A repository on GitHub: its pages are read in GitHub's browser.
            return Dialect("github", f"detected: no site configuration, {remote} is on GitHub")
        return Dialect("commonmark", "detected: no mkdocs.yml, Hugo or runbookdocs configuration")
    return found


_GENERATOR_FILES = (
    *DOCUSAURUS_FILES,
    "book.toml",  # mdBook
    ".vuepress",
    ".vitepress",
    "astro.config.mjs",
    "astro.config.ts",
    "_config.yml",  # Jekyll (GitHub Pages)
)
_CONTAINER = lazy(r"^ {0,3}:::+[ \t]*[A-Za-z{]", re.M)
"""`::: tip`, `:::warning`, `:::{note}`: a container of markdown-it-container (VuePress,
VitePress), Docusaurus or MyST; GitHub shows such lines as text."""


@functools.lru_cache(maxsize=1024)
def built_by_generator(page: Path) -> bool:
    """True when a site generator other than GitHub's browser builds `page` (a `github` page):
    a generator's configuration above it (mdBook, VuePress, VitePress, Docusaurus, Astro,
    Jekyll), or containers in the page that only a generator renders (`::: tip`)."""
    folder = str(Path(os.path.abspath(page)).parent)
    if _generator_above(folder) or docusaurus_config(folder) is not None:
        return True
    return _holds(page, _CONTAINER)


@functools.lru_cache(maxsize=1024)
def _generator_above(folder: str) -> bool:
    here = Path(folder)
    if any((here / name).exists() for name in _GENERATOR_FILES):
        return True
    if (here / ".git").exists() or here.parent == here:
        return False
    return _generator_above(str(here.parent))


_HTML_ROUTED_FILES = (".vuepress", ".vitepress", "_config.yml")
"""Generators that publish `x.md` as `x.html` and serve it at `x` too: VuePress (its router
redirects an unknown `/x` to `/x.html` when that page exists), VitePress, and Jekyll on GitHub
Pages (which serves `x.html` for `/x`; jekyll-relative-links rewrites `x.md` links)."""


def html_site_root(page: Path) -> Path | None:
    """The source folder of the VuePress, VitePress or Jekyll site that builds `page` (the
    folder holding `.vuepress`, `.vitepress` or `_config.yml`): the site's URL root. None for
    pages no such generator builds (a repository read on github.com, MkDocs, Docusaurus)."""
    found = _html_site_root(str(Path(os.path.abspath(page)).parent))
    return Path(found) if found is not None else None


@functools.lru_cache(maxsize=1024)
def _html_site_root(folder: str) -> str | None:
    here = Path(folder)
    if any((here / name).exists() for name in _GENERATOR_FILES if name not in _HTML_ROUTED_FILES):
        return None  # mdBook, Docusaurus, Astro: their own routing
    if any((here / name).exists() for name in _HTML_ROUTED_FILES):
        return folder
    if (here / ".git").exists() or here.parent == here:
        return None
    return _html_site_root(str(here.parent))


_GITHUB_URL = lazy(r"^\s*url\s*=\s*\S*github\.com[:/]", re.M)


@functools.lru_cache(maxsize=1024)
def github_remote(folder: str) -> str | None:
    """The git configuration that names a GitHub remote for the repository holding `folder`
    (its nearest `.git` above), or None: no repository, or none of its remotes on GitHub."""
    here = Path(folder)
    for place in (here, *here.parents):
        git = place / ".git"
        if not git.exists():
            continue
        config = git / "config"
        if git.is_file():  # a worktree or submodule: `gitdir: PATH`
            try:
                target = git.read_text(encoding="utf-8").partition("gitdir:")[2].strip()
            except OSError:
                return None
            gitdir = (place / target).resolve()
            common = gitdir / "commondir"
            if common.is_file():
                try:
                    gitdir = (gitdir / common.read_text(encoding="utf-8").strip()).resolve()
                except OSError:
                    return None
            config = gitdir / "config"
        try:
            text = config.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
        return str(config) if _GITHUB_URL.search(text) else None
    return None


@functools.lru_cache(maxsize=1024)
def detect(folder: str) -> Dialect:
    """The dialect a site configuration in `folder` or above it says (`mkdocs` by default)."""
    here = Path(folder)
    for place in (here, *here.parents):
        for name in _MKDOCS_FILES:
            if (place / name).is_file():
                return Dialect("mkdocs", f"detected from {place / name}")
        hugo = _hugo_config_at(place)
        if hugo is not None:
            return Dialect("hugo", f"detected from {hugo}")
        docusaurus = _docusaurus_at(place)
        if docusaurus is not None:
            # A Docusaurus site: CommonMark fences (MDX), links resolved as its URLs
            # (runbookdocs.docusaurus); no repository browser shows it.
            return Dialect("commonmark", f"detected from {docusaurus} (Docusaurus)")
        if (place / ".git").exists():
            break  # the top of the repository: a site configuration would be at or below it
    return Dialect(DEFAULT, _NOTHING)


_NOTHING = "default: no mkdocs.yml or Hugo configuration found"

_DOCS_PATH = lazy(r"""\bpath\s*:\s*(["'`])(\.\./[^"'`\n]*)\1""")
"""A plugin's `path: '../docs'` in a Docusaurus configuration: a content folder outside the
site's own folder (`website/docusaurus.config.js` reading the repository's `docs/`)."""


@functools.lru_cache(maxsize=64)
def docusaurus_outside_paths(config: Path) -> tuple[Path, ...]:
    """The content folders outside its own folder that the Docusaurus configuration `config`
    reads (`path: '../docs'`), as absolute normalised paths; () when it names none."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    named = (Path(os.path.normpath(config.parent / m.group(2))) for m in _DOCS_PATH.finditer(text))
    return tuple(dict.fromkeys(f for f in named if f.is_dir()))


@functools.lru_cache(maxsize=1024)
def _docusaurus_beside(place: str) -> dict[Path, Path]:
    """Folders read by the Docusaurus configurations in the child folders of `place`
    (`website/docusaurus.config.js` with `path: '../docs'`): folder -> configuration."""
    found: dict[Path, Path] = {}
    try:
        children = sorted(p for p in Path(place).iterdir() if not p.name.startswith("."))
    except OSError:
        return found
    for child in children:
        for name in DOCUSAURUS_FILES:
            config = child / name
            if config.is_file():
                for folder in docusaurus_outside_paths(config):
                    found.setdefault(folder, config)
    return found


def _docusaurus_at(place: Path) -> Path | None:
    """The Docusaurus configuration of the site whose content folder is `place`: one in it, or
    one beside it that reads it (`../website/docusaurus.config.js` with `path: '../docs'`);
    never one outside the repository `place` is the top of."""
    for name in DOCUSAURUS_FILES:
        if (place / name).is_file():
            return place / name
    if place.parent == place or (place / ".git").exists():
        return None
    return _docusaurus_beside(str(place.parent)).get(place)


@functools.lru_cache(maxsize=1024)
def docusaurus_config(folder: str) -> Path | None:
    """The configuration of the Docusaurus site `folder` belongs to: the nearest one in it or
    above it, or beside a folder above it that names it, up to the top of the repository."""
    here = Path(folder)
    for place in (here, *here.parents):
        found = _docusaurus_at(place)
        if found is not None or (place / ".git").exists():
            return found
    return None


@functools.lru_cache(maxsize=1024)
def hugo_config(folder: str) -> Path | None:
    """The Hugo site configuration that applies to `folder` (found as `detect` finds it), or
    None when the nearest site configuration above it is not Hugo's."""
    here = Path(folder)
    for place in (here, *here.parents):
        if any((place / name).is_file() for name in _MKDOCS_FILES):
            return None
        hugo = _hugo_config_at(place)
        if hugo is not None:
            return hugo
        if (place / ".git").exists():
            break
    return None


_DISABLE_PATH_TO_LOWER = lazy(
    r"""^\s*["']?disablePathToLower["']?\s*[=:]\s*["']?true\b""", re.I | re.M
)


@functools.lru_cache(maxsize=1024)
def hugo_lowercases_urls(folder: str) -> bool:
    """True when Hugo serves the pages under `folder` at lower-case URLs: its default, unless
    the site sets `disablePathToLower` (`content/CLI/Backup.md` is then `/CLI/Backup/`)."""
    return not _config_sets(hugo_config(folder), _DISABLE_PATH_TO_LOWER)


_LANGUAGE_KEY = lazy(
    r"""^\s*\[languages\.["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)["']?\]"""
    r"""|^\s*["']?defaultContentLanguage["']?\s*[=:]\s*["']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\b""",
    re.M,
)


@functools.lru_cache(maxsize=1024)
def hugo_languages(folder: str) -> tuple[str, ...]:
    """The languages the Hugo site of `folder` configures (`[languages.en]` tables of a TOML
    configuration, its `defaultContentLanguage`): a page file named `name.en.md` is the page
    `name` in that language. None configured: ()."""
    found = hugo_config(folder)
    try:
        text = found.read_text(encoding="utf-8", errors="replace") if found else ""
    except OSError:
        return ()
    return tuple(dict.fromkeys(m.group(1) or m.group(2) for m in _LANGUAGE_KEY.finditer(text)))


@functools.lru_cache(maxsize=256)
def hugo_permalinks(folder: str) -> dict[str, str]:
    """The URL patterns the Hugo site of `folder` sets for the regular pages of its sections
    (`permalinks`: `{"blog": "/:section/:year/:month/:slug/"}`), read from its configuration
    file, or from `permalinks.*` beside it in a configuration directory; {} when none (or
    the configuration cannot be read: the pages are then served at their file's path)."""
    found = hugo_config(folder)
    if found is None:
        return {}
    data = _load_config(found)
    table = data.get("permalinks") if isinstance(data, dict) else None
    if table is None:
        for suffix in (".toml", ".yaml", ".yml", ".json"):
            beside = found.with_name("permalinks" + suffix)
            if beside.is_file():
                table = _load_config(beside)
                break
    if not isinstance(table, dict):
        return {}
    # Hugo 0.120 and later also take the patterns by page kind: `permalinks.page.blog`.
    if isinstance(table.get("page"), dict):
        table = table["page"]
    return {str(k).strip("/"): v for k, v in table.items() if isinstance(v, str)}


def _load_config(path: Path) -> object:
    """A TOML, YAML or JSON configuration file, loaded; None when it cannot be read."""
    import json
    import tomllib

    from runbookdocs.yamlio import YamlProblem, load_yaml

    try:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".toml":
            return tomllib.loads(text)
        if path.suffix == ".json":
            return json.loads(text)
        return load_yaml(text, lines=False)
    except (OSError, ValueError, YamlProblem):
        return None


def _config_sets(found: Path | None, setting: re.Pattern[str]) -> bool:
    """True when the site configuration `found` holds `setting` (none, or unreadable: False,
    the generator's default then holds)."""
    return found is not None and _holds(found, setting)


def _holds(file: Path, pattern: re.Pattern[str]) -> bool:
    """True when the text of `file` matches `pattern` (unreadable: False)."""
    try:
        text = file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return pattern.search(text) is not None


@functools.lru_cache(maxsize=1024)
def site_file(folder: str, names: tuple[str, ...]) -> Path | None:
    """The nearest of `names` (site configurations) in `folder` or above it, up to the top of
    the repository; None when there is none. Each folder is looked at once: the pages of a
    site share their parents."""
    here = Path(folder)
    for name in names:
        if (here / name).is_file():
            return here / name
    if (here / ".git").exists() or here.parent == here:
        return None
    return site_file(str(here.parent), names)


def mkdocs_folder(folder: str) -> Path | None:
    """The folder of the `mkdocs.yml` (or `zensical.toml`) above `folder`, the nearest (None
    when there is none): where the site is built, so where pymdownx.snippets looks an include
    up by default (`base_path: .`)."""
    found = site_file(folder, _MKDOCS_FILES)
    return found.parent if found is not None else None


def mkdocs_config(folder: str) -> Path | None:
    """The YAML configuration of the MkDocs site above `folder` (`mkdocs.yml`, or ProperDocs'
    `properdocs.yml`); None when there is none."""
    return site_file(folder, _MKDOCS_YAML)


@functools.lru_cache(maxsize=1024)
def directory_urls(folder: str) -> bool:
    """False when the MkDocs site above `folder` sets `use_directory_urls: false` (pages are
    then served as `page.html`, not at `page/`), itself or in a file it names in `INHERIT:`;
    True otherwise, MkDocs' default."""
    from runbookdocs.mkdocs_site import site_settings

    return site_settings(folder).get("use_directory_urls", True) is not False


_TOP_KEY = r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$"
_ENTRY = r"^([ \t]*)(?:-[ \t]+)?['\"]?([A-Za-z_][\w.-]*)['\"]?[ \t]*(?::|$)"
_INHERITS = 5
"""How many `INHERIT:` files deep a site configuration is followed (MkDocs has no limit; a
loop or a long chain is not how sites are written)."""


def _uncommented(line: str) -> str:
    """`line` of a YAML file without its trailing comment: a `#` after a space or a tab and
    outside quotes (`- name  # see x` is `- name`; `a#b` and `'a #b'` keep theirs)."""
    quote = ""
    for at, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"" and (at == 0 or line[at - 1] in " \t-:[{,"):
            quote = char
        elif char == "#" and (at == 0 or line[at - 1] in " \t"):
            return line[:at].rstrip()
    return line


@functools.lru_cache(maxsize=256)
def mkdocs_names(folder: str) -> tuple[frozenset[str], frozenset[str]]:
    """The Markdown extensions and the plugins the MkDocs site above `folder` enables, from its
    `mkdocs.yml` and the files it names in `INHERIT:` (empty sets when there is no site).

    Read as text, not loaded as YAML: `mkdocs.yml` holds `!!python/name:` tags a safe loader
    refuses. An entry is a name at the first level of `markdown_extensions:` or `plugins:`,
    written `- name`, `- name:` or `name:` (the mapping form), or listed in `[a, b]`.
    """
    site = site_file(folder, _MKDOCS_YAML)
    extensions: set[str] = set()
    plugins: set[str] = set()
    seen: set[Path] = set()
    while site is not None and site not in seen and len(seen) < _INHERITS:
        seen.add(site)
        try:
            text = site.read_text(encoding="utf-8", errors="replace")
        except OSError:
            break
        parent: Path | None = None
        section: set[str] | None = None
        depth: int | None = None
        for raw in text.split("\n"):
            line = _uncommented(raw)
            if not line.strip():
                continue
            top = re.match(_TOP_KEY, line)
            if top is not None:
                key, value = top.groups()
                section = {"markdown_extensions": extensions, "plugins": plugins}.get(key)
                depth = None
                if key == "INHERIT" and value:
                    parent = site.parent / value.strip("'\"")
                if section is not None and value.startswith("["):
                    section.update(n.strip(" '\"") for n in value.strip("[]").split(","))
                    section = None
                continue
            if section is None:
                continue
            entry = re.match(_ENTRY, line)
            width = len(line) - len(line.lstrip())
            if depth is None:
                depth = width
            if entry is not None and width == depth:
                section.add(entry.group(2))
        site = parent if parent is not None and parent.is_file() else None
    return frozenset(extensions), frozenset(plugins)


_J2_DEFAULTS = {"j2_block_start_string": "{%", "j2_variable_start_string": "{{"}
_J2_OPTION = lazy(r"^[ \t]+(j2_(?:block|variable)_start_string)[ \t]*:[ \t]*(\S.*?)[ \t]*$")


@functools.lru_cache(maxsize=1024)
def macros_tag_starts(folder: str) -> tuple[str, ...]:
    """How the statements and expressions of mkdocs-macros start in the pages of the MkDocs
    site above `folder`: Jinja's `{%` and `{{`, or the markers its `mkdocs.yml` sets in the
    plugin's `j2_block_start_string` and `j2_variable_start_string` (`[[%`, `[[`). The plugin
    renders each page before Markdown reads it, so `[[% include 'x.yaml' %]]` is replaced by
    the file. Empty when the site does not enable the plugin (the markers are then text).
    """
    if _MACROS not in mkdocs_names(folder)[1]:
        return ()
    starts = dict(_J2_DEFAULTS)
    site = site_file(folder, _MKDOCS_YAML)
    try:
        text = site.read_text(encoding="utf-8", errors="replace") if site else ""
    except OSError:
        text = ""
    within: int | None = None  # the indentation of the `- macros:` entry being read
    for raw in text.split("\n"):
        line = _uncommented(raw)
        if not line.strip():
            continue
        width = len(line) - len(line.lstrip())
        if within is not None and width <= within:
            within = None
        entry = re.match(_ENTRY, line)
        if within is None and width and entry is not None and entry.group(2) == _MACROS:
            within = width
            continue
        option = _J2_OPTION.match(line) if within is not None else None
        if option is not None:
            starts[option.group(1)] = _yaml_scalar(option.group(2))
    return tuple(s for s in starts.values() if s)


def template_starts(doc: Document | None) -> tuple[str, ...]:
    """`macros_tag_starts` for the site of the page `doc` (none outside MkDocs sites)."""
    if doc is None or doc.dialect != "mkdocs":
        return ()
    return macros_tag_starts(os.path.abspath(doc.file.parent))


def _yaml_scalar(value: str) -> str:
    """A one-line YAML scalar as its text: quotes removed (`''` in single quotes is `'`),
    a trailing comment dropped."""
    quoted = re.match(r"'((?:[^']|'')*)'|\"((?:[^\"\\]|\\.)*)\"", value)
    if quoted is None:
        return value.split(" #")[0].strip()
    if quoted.group(1) is not None:
        return quoted.group(1).replace("''", "'")
    return re.sub(r"\\(.)", r"\1", quoted.group(2))


_MACROS = "macros"
"""The mkdocs-macros plugin's name in `plugins:`."""


_PYMDOWNX_PIN = r"(?im)^\s*pymdown[-_]extensions\s*(?P<op>==|~=|<=|<)\s*(?P<major>\d+)"
LEGACY_TABS_UNTIL = 8
"""pymdown-extensions 8.0 removed SuperFences' `tab="..."` option (deprecated in 7.0)."""


@functools.lru_cache(maxsize=1024)
def legacy_superfences(folder: str) -> bool:
    """True when the MkDocs site above `folder` pins pymdown-extensions before 8.0.

    The pin is read from the `requirements*.txt` files next to the site's `mkdocs.yml`: the
    renderer that site is built with decides whether `tab="..."` after the language is a content
    tab (before 8.0) or a header SuperFences drops (from 8.0 on). No pin found: the current
    rules, as for any other site.
    """
    site = site_file(folder, _MKDOCS_FILES)
    if site is None:
        return False
    for requirements in sorted(site.parent.glob("requirements*.txt")):
        try:
            text = requirements.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        m = re.search(_PYMDOWNX_PIN, text)
        if m is not None:
            major = int(m.group("major"))
            below = major <= LEGACY_TABS_UNTIL if m.group("op") == "<" else None
            return below if below is not None else major < LEGACY_TABS_UNTIL
    return False


def hugo_archetypes(folder: Path, config: Config) -> bool:
    """True when `folder` is the `archetypes/` of a Hugo site (next to its `content/` or its
    configuration) or of one of its themes: templates `hugo new` fills in (`date: {{ .Date }}`
    in their front matter), not pages."""
    if folder.name != "archetypes" or dialect_for(folder / "page.md", config).name != "hugo":
        return False
    site = folder.parent
    return (
        (site / "content").is_dir()
        or _hugo_config_at(site) is not None
        or site.parent.name == "themes"
    )


def _hugo_config_at(place: Path) -> Path | None:
    """The Hugo site configuration in the folder `place`, or None: `hugo.toml` (`.yaml`,
    `.json`) at its root or in its configuration directory `config/_default/`, or a
    `config.*` with Hugo's keys in either place (`config.*` is also other tools' name)."""
    default = place / "config" / "_default"
    for candidate in (place, default):
        for name in _HUGO_FILES:
            if (candidate / name).is_file():
                return candidate / name
    for candidate in (default, place):
        for name in _HUGO_CONFIG:
            if _hugo_config(candidate / name):
                return candidate / name
    return None


def _hugo_config(path: Path) -> bool:
    """True when `path` is a site configuration with Hugo's keys (baseURL, theme...)."""
    try:
        if not path.is_file() or path.stat().st_size > 1 << 20:
            return False
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    keys = set(re.findall(_HUGO_KEY, text))
    return bool(keys & {"baseURL", "baseurl"}) or {"theme", "languageCode"} <= keys


__all__ = [
    "COMMONMARK_LIKE",
    "DEFAULT",
    "DOCUSAURUS_FILES",
    "SITE_FILES",
    "Dialect",
    "detect",
    "dialect_for",
    "directory_urls",
    "docusaurus_config",
    "docusaurus_outside_paths",
    "hugo_archetypes",
    "hugo_config",
    "hugo_lowercases_urls",
    "legacy_superfences",
    "mkdocs_names",
]
