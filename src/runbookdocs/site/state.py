"""What the Markdown extension knows about the page being rendered.

Python-Markdown does not tell an extension which file it converts. Two callers do:

- under MkDocs, the `runbookdocs` plugin sets `CURRENT_PAGE` in `on_page_markdown`, right
  before the page's own `Markdown` instance converts it;
- under Zensical (which runs no MkDocs plugin), its rendering-context preprocessor carries the
  page and the configuration, found here by duck typing so that Zensical is never imported; the
  site's settings then come from what `runbookdocs site prepare` left next to the assets.

The page is the `Document` runbookdocs' extractor reads, exactly as `runbookdocs run` reads it
(parsed once per build: the report page and other pages' tree links reuse it), so that block
lines, ids and findings on the site are those of the checker and of the report. The problems
that make the site render a page wrongly are the document's own findings, chosen by code.
"""

from __future__ import annotations

import contextvars
import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.config import Config, config_file_in, load_config
from runbookdocs.document import Document, parse_document, read_document
from runbookdocs.errors import ConfigError
from runbookdocs.i18n import Language
from runbookdocs.results import Finding
from runbookdocs.site import report as site_report
from runbookdocs.site.report import BlockStatus, SiteReport, block_status, load_report
from runbookdocs.site.settings import SiteSettings, site_language

if TYPE_CHECKING:
    from runbookdocs.decision_tree import Tree
    from runbookdocs.site.setupfiles import SetupFile

SITE_CODES = frozenset(
    {
        codes.HEADER_DROPPED.id,
        codes.UNKNOWN_ATTRIBUTE.id,
        codes.ATTRIBUTE_VALUE.id,
        codes.DUPLICATE_ID.id,
    }
)
"""Findings of a page that make the site render it wrongly (superfences would drop the fence or
its attributes, or two anchors would clash): they fail the build. Tree errors (`RBD601`) and
tree checks naming no block (`RBD602`) do too."""

Builder = Literal["mkdocs", "zensical", "markdown"]


@dataclass(frozen=True)
class PageContext:
    """The page being rendered, as the site generator knows it."""

    file: Path | None
    """The Markdown source on disk (None for generated pages)."""
    src_uri: str
    """Path relative to the docs directory, with `/` separators."""
    directory_urls: bool = True
    """`page.md` is published as `page/` (MkDocs' and Zensical's default)."""
    url: str | None = None
    """The page's URL relative to the site root (`ocpizza/sauvegarde/`), when known."""
    settings: SiteSettings | None = None
    builder: Builder = "markdown"
    meta: MutableMapping[str, Any] | None = field(default=None, compare=False)
    """The page's metadata, when the builder lets the extension add tags to it (Zensical)."""
    docs_dir: Path | None = None
    """The docs directory, when known."""

    @property
    def language(self) -> Language:
        """The language readers see."""
        return self.settings.language if self.settings is not None else "en"

    @property
    def page_url(self) -> str:
        """`url`, or the URL the source path publishes to."""
        if self.url is not None:
            return self.url
        return published_url(self.src_uri, self.directory_urls)

    @property
    def to_root(self) -> str:
        """What leads from the page to the site root in the HTML the extension writes.

        MkDocs leaves raw HTML alone: the path goes from the page's URL. Zensical rewrites
        relative links in raw HTML as it does Markdown links, from the page's source file.
        """
        if self.builder == "zensical":
            return "../" * self.src_uri.count("/")
        return to_root(self.page_url)


CURRENT_PAGE: contextvars.ContextVar[PageContext | None] = contextvars.ContextVar(
    "runbookdocs_current_page", default=None
)
"""Set by the MkDocs plugin around each page's conversion."""


def page_context(md: Any) -> PageContext | None:
    """The page `md` is converting, from the MkDocs plugin or Zensical's rendering context."""
    ctx = CURRENT_PAGE.get()
    if ctx is not None:
        return ctx
    for processor in getattr(md, "preprocessors", []):
        page = getattr(processor, "page", None)
        config = getattr(processor, "config", None)
        path = getattr(page, "path", None)
        if isinstance(path, str) and isinstance(config, Mapping):
            return _zensical_context(page, path, config)
    return None


def _zensical_context(page: Any, path: str, config: Mapping[str, Any]) -> PageContext:
    from runbookdocs.site.assets import read_prepared

    root = Path(str(config.get("root_dir") or ".")).resolve()
    docs_dir = (root / str(config.get("docs_dir") or "docs")).resolve()
    file = Path(path) if Path(path).is_absolute() else docs_dir / path
    src_uri = path
    if Path(path).is_absolute():
        try:
            src_uri = Path(path).relative_to(docs_dir).as_posix()
        except ValueError:
            src_uri = Path(path).name
    prepared = read_prepared(docs_dir)
    settings = (
        SiteSettings.from_json(prepared.get("settings") or {}, root, docs_dir)
        if prepared is not None
        else None
    )
    if settings is not None:
        theme = config.get("theme")
        theme_language = theme.get("language") if isinstance(theme, Mapping) else None
        project = _project_language(root)
        lang = site_language(theme_language, project)
        if lang != settings.language:
            settings = _with_language(settings, lang)
    meta = getattr(page, "meta", None)
    url = getattr(page, "url", None)
    return PageContext(
        file=file if file.is_file() else None,
        src_uri=src_uri,
        directory_urls=bool(config.get("use_directory_urls", True)),
        url=url if isinstance(url, str) else None,
        settings=settings,
        builder="zensical",
        meta=meta if isinstance(meta, MutableMapping) else None,
        docs_dir=docs_dir,
    )


def _with_language(settings: SiteSettings, lang: Language) -> SiteSettings:
    return replace(settings, language=lang)


def _project_language(root: Path) -> str:
    try:
        return project_config(root, root).language
    except ConfigError:
        return ""


# --------------------------------------------------------------------------- caches

_SOURCES: dict[Path, Path | None] = {}
_CONFIGS: dict[tuple[Path | None, Path], Config] = {}
_DOCUMENTS: dict[Path, tuple[tuple[int, int, int], Document]] = {}
_ENVIRONMENT: dict[str, str] | None = None
"""The `RUNBOOK_VAR_*` variables of the environment, read once per build (`environment`)."""


def project_config(start: Path, root: Path) -> Config:
    """The runbookdocs configuration of the project holding `start` (the defaults at `root`,
    the site's directory, when there is none); read once per file.

    Raises:
        ConfigError: the configuration is broken (`runbookdocs check` says how).
    """
    source = _config_file(start)
    key = (source, root if source is None else source.parent)
    if key not in _CONFIGS:
        config = load_config(source, start=root)
        if not config.dialect:
            # A site build renders every page with Python-Markdown and superfences, whatever
            # configuration lies above each folder: no need to look for it (`dialect.detect`).
            config = replace(config, dialect="mkdocs")
        _CONFIGS[key] = config
    return _CONFIGS[key]


def _config_file(start: Path) -> Path | None:
    """`config.find_config_file(start)`, each folder looked at once per build: the pages of a
    site share their parents, and most have no configuration of their own."""
    if start not in _SOURCES:
        folder = start.resolve()
        own = config_file_in(folder)
        if own is not None or folder.parent == folder:
            _SOURCES[start] = own
        else:
            _SOURCES[start] = _config_file(folder.parent)
    return _SOURCES[start]


def load_document(file: Path, config: Config) -> Document:
    """`read_document(file, config)`, parsed once while the file stays the same."""
    try:
        stat = file.stat()
        key = (stat.st_mtime_ns, stat.st_size, id(config))
    except OSError:
        return read_document(file, config)
    cached = _DOCUMENTS.get(file)
    if cached is not None and cached[0] == key:
        return cached[1]
    doc = read_document(file, config)
    _DOCUMENTS[file] = (key, doc)
    return doc


def environment() -> dict[str, str]:
    """The environment variables that set page variables (`RUNBOOK_VAR_*`), as the build
    found them: every page reads the same ones, and `os.environ` decodes each of its entries
    anew at every look (`forget` reads them again for a new build)."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        from runbookdocs.variables import ENV_PREFIX

        _ENVIRONMENT = {k: v for k, v in os.environ.items() if k.startswith(ENV_PREFIX)}
    return _ENVIRONMENT


def forget() -> None:
    """Drop cached configurations and pages (a new build of a long-running `mkdocs serve`)."""
    _SOURCES.clear()
    _CONFIGS.clear()
    _DOCUMENTS.clear()
    global _ENVIRONMENT
    _ENVIRONMENT = None
    site_report.forget()


# --------------------------------------------------------------------------- the page


@dataclass
class PageState:
    """A page's blocks, settings, report and site problems, for the fence formatters."""

    doc: Document
    config: Config | None
    report: SiteReport | None
    context: PageContext | None
    problems: list[Finding] = field(default_factory=list)
    """What makes the site render the page wrongly: fence headers, duplicate ids, trees."""
    matched: set[int] = field(default_factory=set)
    """Indexes of blocks already paired with a rendered fence."""
    counter: int = 0
    anchors: set[str] = field(default_factory=set)
    """Ids the fences put in the HTML (told to MkDocs' anchor validation)."""
    trees: dict[int, tuple[Tree | None, list[Finding]]] = field(default_factory=dict)
    """Block line -> the parsed tree and its errors (each tree is parsed once)."""
    _variables: dict[str, str] | None = None
    _statuses: dict[int, BlockStatus] = field(default_factory=dict)
    _setup_files: dict[str, SetupFile] | None = None

    def status(self, block: Block) -> BlockStatus:
        """The verification status of a block of the page (worked out once per block)."""
        key = id(block)
        if key not in self._statuses:
            self._statuses[key] = block_status(block, self.doc.file, self.report, self.lang)
        return self._statuses[key]

    @property
    def lang(self) -> Language:
        """The language readers see."""
        return self.context.language if self.context is not None else "en"

    @property
    def is_runbook(self) -> bool:
        """True for pages with runbook settings or blocks that `runbookdocs run` executes."""
        return bool(self.doc.front.meta.get("runbook")) or any(b.runnable for b in self.doc.blocks)

    def match(self, lang: str, source: str, block_id: str | None) -> Block | None:
        """The extracted block that a fence superfences is rendering corresponds to.

        Superfences hands formatters the fence content, not its line: pair by id first, then
        by language and content, then by order among unmatched blocks of the same language.
        """
        lang = lang.lower()
        candidates = list(enumerate(self.doc.blocks))
        if block_id:
            for i, b in candidates:
                if b.id == block_id and i not in self.matched:
                    self.matched.add(i)
                    return b
        wanted = _normalise(source)
        for i, b in candidates:
            if i not in self.matched and b.lang == lang and _normalise(b.source) == wanted:
                self.matched.add(i)
                return b
        for i, b in candidates:
            if i not in self.matched and b.lang == lang and not (block_id and b.id):
                self.matched.add(i)
                return b
        return None

    def variables(self) -> dict[str, str]:
        """The value the site pre-fills for each variable (`runbookdocs.variables`)."""
        if self._variables is None:
            front = self.doc.front
            if self.config is None:
                self._variables = {
                    k: v for k, v in front.variables.items() if k not in front.secrets
                }
            else:
                from runbookdocs.variables import variable_values

                self._variables = variable_values(self.doc, self.config, environ=environment())
        return self._variables

    def setup_files(self) -> dict[str, SetupFile]:
        """The files the page's hidden set-up blocks write (`setupfiles.setup_files`, worked
        out once per page rather than once per block)."""
        if self._setup_files is None:
            from runbookdocs.site.setupfiles import setup_files

            self._setup_files = setup_files(self.doc)
        return self._setup_files

    def next_id(self, prefix: str) -> str:
        """A page-unique id for elements that have none."""
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def tree(self, block: Block) -> tuple[Tree | None, list[Finding]]:
        """The decision tree of `block` and its errors (`runbookdocs.decision_tree`)."""
        from runbookdocs.decision_tree import parse_tree

        own = any(b is block for b in self.doc.blocks)
        if not own or block.line not in self.trees:
            tree, findings = parse_tree(block)
            errors = [f for f in findings if f.severity == "error"]
            if not own:
                return tree, errors
            self.trees[block.line] = (tree, errors)
        return self.trees[block.line]

    def block(self, ref: str) -> tuple[Block | None, Path | None]:
        """The block a tree's `check` names (`#id`, or `page.md#id`) and its page file."""
        page, _, block_id = ref.partition("#")
        if not page:
            found = next((b for b in self.doc.blocks if b.id == block_id), None)
            return found, self.doc.file
        other = (self.doc.file.parent / page).resolve()
        if self.config is None or not other.is_file():
            return None, None
        doc = load_document(other, self.config)
        return next((b for b in doc.blocks if b.id == block_id), None), other


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def build_state(md: Any, lines: list[str]) -> PageState:
    """Read the page being converted (from disk when known) and collect its site problems."""
    ctx = page_context(md)
    root = ctx.settings.root if ctx is not None and ctx.settings is not None else Path.cwd()
    config: Config | None = None
    if ctx is not None and ctx.file is not None:
        try:
            config = project_config(ctx.file.parent, root)
        except ConfigError:
            config = None
    if ctx is not None and ctx.file is not None and config is not None:
        doc = load_document(ctx.file, config)
    else:
        # Without a page (plain Markdown, a generated page), the text itself is the page.
        try:
            fallback = config or project_config(root, root)
        except ConfigError:
            # The project's configuration is broken: `runbookdocs check` says so; the site
            # still renders with defaults.
            fallback = Config.defaults(root)
        name = ctx.src_uri if ctx is not None else "<markdown>"
        doc = parse_document("\n".join(lines), path=name, file=Path(name), config=fallback)
    report = load_report(config.report, config.root) if config is not None else None
    state = PageState(doc=doc, config=config, report=report, context=ctx)
    state.problems = [f for f in doc.findings if f.code in SITE_CODES and f.severity == "error"]
    state.problems += tree_problems(state)
    return state


def tree_problems(state: PageState) -> list[Finding]:
    """Errors of the page's decision trees (the site cannot draw a broken tree)."""
    from runbookdocs.decision_tree import step_links

    out: list[Finding] = []
    for b in state.doc.blocks:
        if b.kind != "decision-tree":
            continue
        tree, errors = state.tree(b)
        out.extend(errors)
        for node, target, where in step_links(b, tree) if tree is not None else ():
            problem = _missing_link(state, target)
            if problem is not None:
                out.append(
                    codes.TREE_LINK.at(
                        where,
                        f"decision tree: step {node.id!r}: link to {target!r}: {problem}",
                        hint="anchors come from headings (slugified), {#id} and block ids",
                    )
                )
        for node, ref in tree.checks() if tree is not None else ():
            if state.config is None and "#" in ref and ref.split("#", 1)[0]:
                continue  # other pages cannot be read without the project: check says more
            if state.block(ref)[0] is None:
                out.append(
                    codes.TREE_CHECK.at(
                        node.check_location or node.location or b.location,
                        f"decision tree: step {node.id!r}: check {ref!r} names no block",
                        hint="write '#id' (a block of this page) or 'page.md#id'",
                    )
                )
    return out


def _missing_link(state: PageState, target: str) -> str | None:
    """Why a link in a tree step names nothing on the site; None when it resolves (or when
    it is not a page: files and folders are `runbookdocs check`'s to judge)."""
    from urllib.parse import unquote

    from runbookdocs.anchors import anchor_exists, page_anchors

    page, _, anchor = target.partition("#")
    page = unquote(page.split("?", 1)[0])
    doc = state.doc
    if page:
        if not page.endswith(".md"):
            return None
        file = state.doc.file.parent / page
        if not file.is_file():
            return f"no page {page!r}"
        if state.config is None:
            return None
        doc = load_document(file.resolve(), state.config)
    if anchor and not anchor_exists(unquote(anchor), page_anchors(doc)):
        return f"no anchor #{anchor} in {repr(page) if page else 'this page'}"
    return None


def page_tags(meta: Mapping[str, Any]) -> list[str] | None:
    """The page's tags with its `runbook.system` and `runbook.owner` added; None when the page
    has neither."""
    runbook = meta.get("runbook")
    if not isinstance(runbook, Mapping):
        return None
    tags = meta.get("tags")
    out = [str(t) for t in tags] if isinstance(tags, list) else []
    added = False
    for key in ("system", "owner"):
        value = runbook.get(key)
        # Not again in another case or accent (system "Guide" on a page tagged "guide"): the
        # tags index would list both.
        if isinstance(value, str) and value.strip() and tag_key(value) not in map(tag_key, out):
            out.append(value.strip())
            added = True
    return out if added else None


def tag_key(tag: str) -> str:
    """What two spellings of one tag share: case, accents and spacing set aside."""
    from runbookdocs.site.search import fold

    return " ".join(fold(tag).casefold().replace("-", " ").split())


# --------------------------------------------------------------------------- URLs


def relative_url(ctx: PageContext | None, target: str) -> str:
    """The URL of `target` (`page.md#id`, relative to the page's source) from the page."""
    path, _, anchor = target.partition("#")
    suffix = f"#{anchor}" if anchor else ""
    if not path:
        return suffix or "#"
    if ctx is None or re.match(r"[a-z][a-z0-9+.-]*:", path) or not path.endswith(".md"):
        return target
    if ctx.builder == "zensical":  # it rewrites `page.md#id` in raw HTML itself (`to_root`)
        return target
    here = published_url(ctx.src_uri, ctx.directory_urls)
    base = here if here.endswith("/") or not here else here.rsplit("/", 1)[0] + "/"
    if "/" not in here and not here.endswith("/"):
        base = ""
    dest = published_url(
        _normpath(ctx.src_uri.rsplit("/", 1)[0] + "/" + path if "/" in ctx.src_uri else path),
        ctx.directory_urls,
    )
    b = [p for p in base.split("/") if p]
    d = dest.split("/")
    common = 0
    while common < min(len(b), len(d) - 1) and b[common] == d[common]:
        common += 1
    rel = "/".join([".."] * (len(b) - common) + d[common:])
    return (rel or "./") + suffix


def to_root(page_url: str) -> str:
    """The relative path from a page's URL (`a/b/`, `a/b.html`, ``) to the site root."""
    directory = page_url.rsplit("/", 1)[0] if "/" in page_url else ""
    return "../" * len([p for p in directory.split("/") if p])


def published_url(src: str, directory_urls: bool) -> str:
    """The published URL of a source path, relative to the site root."""
    stem = src.removesuffix(".md")
    name = stem.rsplit("/", 1)[-1]
    if name in ("index", "README"):
        return stem[: -len(name)]
    return stem + "/" if directory_urls else stem + ".html"


def _normpath(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
        else:
            parts.append(part)
    return "/".join(parts)
