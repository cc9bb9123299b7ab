"""What the Markdown extension knows about the page being rendered.

Python-Markdown does not tell an extension which file it converts. Two callers do:

- under MkDocs, the thin `runbookdocs` plugin sets `CURRENT_PAGE` in `on_page_markdown`, right
  before the page's own `Markdown` instance converts it;
- under Zensical (which ignores MkDocs plugins), its rendering-context preprocessor carries the
  page path, found here by duck typing so that Zensical is never imported.

The page file is then read with runbookdocs' own extractor, exactly as `runbookdocs run` reads it,
so that block lines, ids and findings on the site are those of the checker and of the report.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runbookdocs import codes
from runbookdocs.block import Block, parse_header
from runbookdocs.config import Config, find_config_file, load_config
from runbookdocs.document import Document, parse_document, read_document
from runbookdocs.errors import ConfigError
from runbookdocs.location import Location
from runbookdocs.results import Finding
from runbookdocs.site.report import RunReport, load_report


@dataclass(frozen=True)
class PageContext:
    """The page being rendered, as the site generator knows it."""

    file: Path | None
    """The Markdown source on disk (None for generated pages)."""
    src_uri: str
    """Path relative to the docs directory, with `/` separators."""
    directory_urls: bool = True
    """`page.md` is published as `page/` (MkDocs' and Zensical's default)."""


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
            docs_dir = Path(str(config.get("docs_dir", "docs")))
            file = Path(path) if Path(path).is_absolute() else docs_dir / path
            src_uri = path
            if Path(path).is_absolute():
                try:
                    src_uri = Path(path).relative_to(docs_dir).as_posix()
                except ValueError:
                    src_uri = Path(path).name
            return PageContext(
                file=file if file.is_file() else None,
                src_uri=src_uri,
                directory_urls=bool(config.get("use_directory_urls", True)),
            )
    return None


_CONFIGS: dict[Path | None, Config] = {}


def project_config(start: Path) -> Config:
    """The runbookdocs configuration of the project holding `start` (cached per file)."""
    source = find_config_file(start)
    if source not in _CONFIGS:
        _CONFIGS[source] = load_config(source, start=start)
    return _CONFIGS[source]


_FENCE_LINE = re.compile(r"^(?P<prefix>[ \t>]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass
class PageState:
    """A page's blocks, settings, report and site problems, for the fence formatters."""

    doc: Document
    config: Config | None
    report: RunReport | None
    context: PageContext | None
    problems: list[Finding] = field(default_factory=list)
    """What makes the site render the page wrongly: fence headers, duplicate ids, trees."""
    raised: bool = False
    matched: set[int] = field(default_factory=set)
    """Indexes of blocks already paired with a rendered fence."""
    counter: int = 0
    anchors: set[str] = field(default_factory=set)
    """Ids the fences put in the HTML (told to MkDocs' anchor validation)."""

    @property
    def file(self) -> Path | None:
        """The page on disk."""
        return self.doc.file if self.context is not None and self.context.file else None

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
        from runbookdocs.variables import variable_values

        front = self.doc.front
        if self.config is None:
            return {k: v for k, v in front.variables.items() if k not in front.secrets}
        return variable_values(self.doc, self.config)

    def next_id(self, prefix: str) -> str:
        """A page-unique id for elements that have none."""
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def reviewed(self) -> dt.date | None:
        """The page's `runbook.reviewed` date."""
        return self.doc.front.reviewed


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def build_state(md: Any, lines: list[str]) -> PageState:
    """Read the page being converted (from disk when known) and collect its site problems."""
    ctx = page_context(md)
    config: Config | None = None
    if ctx is not None and ctx.file is not None:
        try:
            config = project_config(ctx.file.parent)
        except ConfigError:
            config = None
    if ctx is not None and ctx.file is not None and config is not None:
        doc = read_document(ctx.file, config)
    else:
        # Without a page (plain Markdown, a generated page), the text itself is the page.
        start = ctx.file.parent if ctx is not None and ctx.file is not None else Path.cwd()
        try:
            fallback = config or project_config(start)
        except ConfigError:
            fallback = _bare_config(start)
        name = ctx.src_uri if ctx is not None else "<markdown>"
        doc = parse_document("\n".join(lines), path=name, file=Path(name), config=fallback)
    report = load_report(config.report, config.root) if config is not None else None
    state = PageState(doc=doc, config=config, report=report, context=ctx)
    state.problems = header_problems(doc) + tree_problems(doc)
    return state


def tree_problems(doc: Document) -> list[Finding]:
    """Errors of the page's decision trees (the site cannot draw a broken tree)."""
    from runbookdocs.site.trees import load_tree

    out: list[Finding] = []
    ids = {b.id for b in doc.blocks if b.id}
    for b in doc.blocks:
        if b.kind != "decision-tree":
            continue
        tree, findings = load_tree(b)
        out.extend(findings)
        for node in tree.nodes.values() if tree is not None else ():
            if node.check and not _check_exists(doc, node.check, ids):
                out.append(
                    Finding(
                        b.location,
                        f"decision tree: step {node.id!r}: check {node.check!r} names no block",
                        hint="write '#id' (a block of this page) or 'page.md#id'",
                        code=codes.TREE_CHECK.id,
                    )
                )
    return out


def _check_exists(doc: Document, ref: str, ids: set[str]) -> bool:
    page, _, block_id = ref.partition("#")
    if not page:
        return block_id in ids
    other = (doc.file.parent / page).resolve()
    if not other.is_file():
        return False
    try:
        config = project_config(other.parent)
    except ConfigError:
        return True  # the broken configuration is reported by runbookdocs check
    return any(b.id == block_id for b in read_document(other, config).blocks)


def _bare_config(root: Path) -> Config:
    # The project's configuration is broken: `runbookdocs check` reports that; the site
    # still renders with defaults.
    return Config.defaults(root)


def header_problems(doc: Document) -> list[Finding]:
    """Fence-header problems and duplicate block ids: what superfences would silently get wrong."""
    out: list[Finding] = []
    by_line = {ln.page_line: ln.text for ln in doc.lines if ln.origin is None}
    seen: dict[str, Block] = {}
    for b in doc.blocks:
        text = by_line.get(b.line, "")
        m = _FENCE_LINE.match(text)
        info, col = (
            (m.group("info"), len(m.group("prefix")) + len(m.group("fence")) + 1)
            if m
            else (b.info, b.indent + 4)
        )
        for p in parse_header(info, info_col=col).problems:
            out.append(Finding(Location(doc.path, b.line, p.col), p.message, code=p.code))
        if b.id is not None:
            if b.id in seen:
                out.append(
                    Finding(
                        b.location,
                        f"block id #{b.id} is already used at line {seen[b.id].line}",
                        hint="ids are anchors on the site: each must be unique on its page",
                        code=codes.DUPLICATE_ID.id,
                    )
                )
            else:
                seen[b.id] = b
    return out


def braceless(doc: Document, finding: Finding) -> bool:
    """True when the finding is on a fence whose header has no braces.

    Superfences drops such fences when the header is wrong (they become inline text), so
    no validator of ours ever sees them: the page-level check must report them.
    """
    return any(b.line == finding.location.line and "{" not in b.info for b in doc.blocks)


def relative_url(ctx: PageContext | None, target: str) -> str:
    """The URL of `target` (`page.md#id`, relative to the page's source) from the page."""
    path, _, anchor = target.partition("#")
    suffix = f"#{anchor}" if anchor else ""
    if not path:
        return suffix or "#"
    if ctx is None or re.match(r"[a-z][a-z0-9+.-]*:", path) or not path.endswith(".md"):
        return target
    here = _url(ctx.src_uri, ctx.directory_urls)
    base = here if here.endswith("/") or not here else here.rsplit("/", 1)[0] + "/"
    if "/" not in here and not here.endswith("/"):
        base = ""
    dest = _url(
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


def _url(src: str, directory_urls: bool) -> str:
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
