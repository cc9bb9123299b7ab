"""Document: one runbook page, read once, with its front matter, blocks and extraction findings."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path

from runbookdocs import codes
from runbookdocs.block import Answer, Block, Header, counter_example_reason, parse_header
from runbookdocs.config import Config, within
from runbookdocs.dialect import dialect_for, hugo_archetypes, mkdocs_folder
from runbookdocs.errors import UsageError
from runbookdocs.extract.counterexamples import counter_example, may_show_one
from runbookdocs.extract.directives import Directive, find_directives
from runbookdocs.extract.fences import (
    Fence,
    ended_by_container,
    ended_by_page,
    in_container,
    scan,
)
from runbookdocs.extract.frontmatter import FrontMatter, parse_front_matter
from runbookdocs.extract.shortcodes import Highlight, find_highlights
from runbookdocs.extract.snippets import Line, expand_snippets
from runbookdocs.location import Location
from runbookdocs.mkdocs_site import excluded_page, snippet_base_paths
from runbookdocs.patterns import lazy
from runbookdocs.results import Finding
from runbookdocs.variables import PLACEHOLDER


@dataclass(frozen=True)
class Document:
    """A runbook page: where it is, what it says, and the blocks in it."""

    path: str
    """Display path (relative to the working directory when possible)."""
    file: Path
    """Absolute path."""
    text: str
    """The page as written (empty when it could not be read)."""
    front: FrontMatter = field(default_factory=FrontMatter)
    blocks: tuple[Block, ...] = ()
    lines: tuple[Line, ...] = ()
    """The page with includes expanded."""
    findings: tuple[Finding, ...] = ()
    """Problems found while reading: front matter, headers, unclosed fences, includes."""
    readable: bool = True
    """False when the file is not UTF-8 text; it then has no blocks."""
    fence_spans: tuple[tuple[int, int], ...] | None = None
    """(opening, closing) indices in `lines` of every fence, when known."""
    misplaced_closes: tuple[int, ...] = ()
    """Page lines of closing fences written outside the list item or block of their fence
    (read as that fence's closing fence, never as the opening of a new block)."""
    text_fences: tuple[int, ...] = ()
    """Page lines of fences the site renders as text, not as blocks (an indented fence on a
    MkDocs site without superfences): each is reported (RBD109), none is a block."""
    comment_spans: tuple[tuple[int, int], ...] = ()
    """(first, last) indices in `lines` of every block-level HTML comment."""
    dialect: str = "mkdocs"
    """How the page is rendered (`runbookdocs.dialect`)."""
    highlight_spans: tuple[tuple[int, int], ...] = ()
    """(opening, closing) page lines of a Hugo page's `{{< highlight >}}` shortcode blocks:
    each is a block, and a fence between them is code of it, not a block."""
    is_runbook: bool = True
    """True when runbookdocs' own rules apply to the page: the project configures runbookdocs,
    or the page has `runbook:` settings. Elsewhere `{{ }}` and attributes after the language
    belong to another tool (a template language, Hugo's code-fence attributes)."""

    def __str__(self) -> str:
        return self.path

    def run_digest(self) -> str:
        """`sha256:HEX` of what a run of this page depends on: its `runbook:` settings (except
        `owner`, `reviewed` and `system`) and each step (`Block.executable`: header, content with
        includes expanded, skip reason, answers), in page order.

        Prose does not count: rewording a paragraph does not make a verification stale, while
        changing a command, or a snippet a command includes, does.
        """
        import hashlib
        import json

        runbook = self.front.meta.get("runbook")
        settings = (
            {k: v for k, v in runbook.items() if k not in _NOT_RUN_SETTINGS}
            if isinstance(runbook, dict)
            else {}
        )
        steps = [
            [b.info, b.source, b.skip_reason, [[a.prompt, a.value] for a in b.answers]]
            for b in self.blocks
            if b.executable
        ]
        data = json.dumps([settings, steps], sort_keys=True, ensure_ascii=False, default=str)
        return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()


_NOT_RUN_SETTINGS = frozenset({"owner", "escalation", "reviewed", "system"})
"""`runbook:` settings a run does not depend on (`Document.run_digest`)."""

_NUL = "\x00"


def read_document(file: Path, config: Config) -> Document:
    """Read and extract one page; never raises for bad content (problems become findings)."""
    path = config.display(file)
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device named *.md would block or never end: never open one.
            return _unreadable(path, file, 1, "not a regular file (a FIFO, device or socket)")
        size = info.st_size
        if size > config.max_file_mb * 1024 * 1024:
            return _unreadable(
                path,
                file,
                1,
                f"file is {size / 1048576:.1f} MB, over max_file_mb="
                f"{config.max_file_mb:g}; not checked",
            )
        data = file.read_bytes()
    except OSError as err:
        return _unreadable(path, file, 1, f"cannot read file: {err.strerror or err}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        col = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return _unreadable(
            path,
            file,
            line,
            f"not valid UTF-8 (byte 0x{data[err.start]:02x})",
            col,
            code=codes.NOT_TEXT,
        )
    if _NUL in text:
        line = text[: text.index(_NUL)].count("\n") + 1
        return _unreadable(
            path, file, line, "binary file (contains NUL bytes)", code=codes.NOT_TEXT
        )
    return parse_document(text, path=path, file=file, config=config)


def _unreadable(
    path: str,
    file: Path,
    line: int,
    message: str,
    col: int = 1,
    *,
    code: codes.Code = codes.UNREADABLE_FILE,
) -> Document:
    return Document(
        path, file, "", findings=(code.at(Location(path, line, col), message),), readable=False
    )


_MAGIC_COMMENT = lazy(
    r"^[ \t]*(?:\{?/\*|//|#|<!--|--|;;|%)[ \t]*highlight-(?:next-line|start|end)"
    r"[ \t]*(?:\*/\}?|-->)?[ \t]*$"
)
"""A Docusaurus magic comment on its line (`// highlight-next-line`, `# highlight-start`,
`<!-- highlight-end -->`, `{/* highlight-next-line */}`): the site highlights the lines it
marks and leaves the comment out of the code it shows and copies."""


def parse_document(text: str, *, path: str, file: Path, config: Config) -> Document:
    """Extract a page from its text."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    dialect = dialect_for(file, config)
    dashes_close = dialect.name == "hugo" or dialect.docusaurus  # gray-matter reads as Hugo
    front, findings = parse_front_matter(raw_lines, path, hugo=dashes_close)
    body = "\n".join(raw_lines[front.end_line :])
    base_paths: tuple[Path, ...] = config.snippet_base_paths
    trusted: tuple[Path, ...] = ()
    site = mkdocs_folder(os.path.abspath(file.parent)) if config.source is None else None
    if site is not None:
        # No runbookdocs configuration: the site's own build runs from its mkdocs.yml folder,
        # where pymdownx.snippets looks includes up (in its `base_path` when the site sets
        # one); reading there stays inside that site.
        found = snippet_base_paths(os.path.abspath(file.parent))
        base_paths = (*base_paths, *(b for b in found if b not in base_paths))
        trusted = (site,)

    def allows(target: Path) -> bool:
        return config.allows(target) or within(target, trusted)

    lines, include_findings = expand_snippets(
        body,
        path=path,
        base_paths=base_paths,
        allows=allows,
        root=config.root,
        first_line=front.end_line + 1,
    )
    findings.extend(include_findings)
    is_runbook = config.source is not None or "runbook" in front.meta
    fences, comments = scan(lines, superfences=dialect.name == "mkdocs")
    highlights: list[Highlight] = []
    if dialect.name == "hugo" and ("{{<" in body or "{{%" in body):
        highlights = find_highlights(
            lines,
            [(f.open_index, f.close_index) for f in fences] + [(c.start, c.end) for c in comments],
        )
        if highlights:
            # Hugo reads shortcodes before Markdown: a fence between `highlight` shortcodes is
            # code of that block, not a block of its own.
            inside = [(h.open_index, h.close_index) for h in highlights if h.closed]
            fences = [f for f in fences if not any(a < f.open_index <= b for a, b in inside)]
    directives, directive_findings = find_directives(comments, lines, path)
    findings.extend(directive_findings)
    blocks: list[Block] = []
    text_fences: list[int] = []
    pending: list[Directive] = []
    queue = sorted(directives, key=lambda d: d.end_index)
    texts = [ln.text for ln in lines]
    hidden = {k for c in comments for k in range(c.start, c.end + 1)}
    marked = may_show_one("\n".join(texts))  # the page with its includes
    for fence in fences:
        while queue and queue[0].end_index < fence.open_index:
            pending.append(queue.pop(0))
        opening = lines[fence.open_index]
        header = parse_header(
            fence.info,
            info_col=fence.info_col,
            commonmark=dialect.commonmark,
            legacy_tabs=dialect.legacy_tabs,
            html_attributes=dialect.attr_list,
        )
        if dialect.name == "hugo" and not is_runbook and header.attrs:
            # A Hugo page that is no runbook: braces after the language are Hugo's code-fence
            # attributes (`{file="layouts/page.html" copy=true}`), not runbookdocs'.
            header = Header(header.lang, {}, header.classes)
        if dialect.margin_fences_only and fence.indent > 0:
            # Python-Markdown's fenced_code (no superfences on this site) only takes fences at
            # the margin: this one renders as a paragraph, its backticks as inline code. It is
            # no block of the site's page, so it is not checked or run as one.
            findings.append(
                codes.FENCE_INDENTED.at(
                    Location(path, opening.page_line, fence.indent + 1),
                    "fence rendered as text: this site has no superfences, and Python-Markdown's "
                    "fenced_code only takes fences at the margin, not in a list item or quote",
                    hint="add pymdownx.superfences to markdown_extensions in mkdocs.yml, or "
                    "move the fence to the margin",
                )
            )
            text_fences.append(opening.page_line)
            pending.clear()
            continue
        if (
            dialect.commonmark
            and not dialect.docusaurus  # MDX has no indented code: its fences may be indented
            and file.suffix.lower() != ".mdx"
            and _indented_code(fence, lines)
        ):
            # Four columns or more at the top level, under a paragraph: CommonMark reads the
            # fence as the paragraph going on, or (after a blank line) as indented code that
            # shows the backticks. It is no block of the rendered page: not checked or run.
            findings.append(
                codes.FENCE_INDENTED.at(
                    Location(path, opening.page_line, fence.indent + 1),
                    f"fence rendered as text: indented by {fence.indent} columns at the top "
                    "level (in no list item), CommonMark reads it as indented code or as the "
                    "paragraph above going on, not as a fenced code block",
                    hint="move the fence to the margin (3 spaces at most), or indent it under "
                    "the list item it belongs to",
                )
            )
            text_fences.append(opening.page_line)
            pending.clear()
            continue
        if dialect.name == "mkdocs":
            findings.extend(_superfences_indent(fence, lines, path))
        for problem in header.problems:
            findings.append(
                Finding(
                    Location(path, opening.page_line, problem.col),
                    problem.message,
                    code=problem.code,
                )
            )
        if dialect.commonmark and ended_by_container(fence, lines):
            findings.append(
                codes.FENCE_CLOSED_BY_CONTAINER.at(
                    Location(path, opening.page_line, fence.indent + 1),
                    "fence is closed by the end of its list item or quote at line "
                    f"{lines[fence.close_index + 1].page_line}, not by a closing fence",
                    hint="CommonMark renders it as written; add a closing ``` at the same "
                    "indentation as the opening one for renderers that do not (MkDocs)",
                )
            )
        elif dialect.commonmark and ended_by_page(fence, lines):
            findings.append(
                codes.FENCE_CLOSED_BY_CONTAINER.at(
                    Location(path, opening.page_line, fence.indent + 1),
                    "fence is closed by the end of the page, not by a closing fence",
                    hint="CommonMark renders it as written; add a closing ``` at the same "
                    "indentation as the opening one, or text added below it will be code",
                )
            )
        elif not fence.closed:
            if fence.misplaced_close is not None:
                where = (
                    f": its closing fence at line {lines[fence.misplaced_close].page_line} is "
                    "less indented than the list item or block it is in"
                )
            elif fence.close_index + 1 < len(lines):
                where = f" (its container ends at line {lines[fence.close_index + 1].page_line})"
            else:
                where = ""
            findings.append(
                codes.FENCE_NOT_CLOSED.at(
                    Location(path, opening.page_line, fence.indent + 1),
                    "fence is never closed" + where,
                    hint="add a closing ``` at the same indentation as the opening one",
                )
            )
        skip_reason = header.attrs.get("skip")
        answers: list[Answer] = []
        allow: list[str] = []
        ignored = False
        for d in pending:
            if d.name == "skip-next":
                skip_reason = d.args["reason"]
            elif d.name == "ignore-next":
                ignored = True
            elif d.name == "answer":
                answers.append(Answer(d.args["prompt"], d.args["value"]))
            elif d.name == "allow":
                allow.extend(c.strip() for c in d.args["code"].split(",") if c.strip())
        pending.clear()
        if ignored:
            continue
        content = fence.content
        if dialect.docusaurus:
            # Docusaurus removes its magic comments (`# highlight-next-line`) from the code it
            # shows and copies: a command continued over one is continued.
            content = tuple(ln for ln in content if not _MAGIC_COMMENT.match(ln.text))
        shown_wrong = (
            None
            if not marked or "expect" in header.attrs  # a step expected to fail is a step
            else counter_example(texts, fence.open_index, [ln.text for ln in content], hidden)
        )
        blocks.append(
            Block(
                path=path,
                line=opening.page_line,
                end_line=lines[fence.close_index].page_line
                if fence.close_index < len(lines)
                else opening.page_line,
                lang=header.lang,
                info=fence.info.strip(),
                source="\n".join(ln.text for ln in content),
                source_lines=tuple(ln.page_line for ln in content),
                origins=tuple(ln.origin for ln in content),
                attrs=header.attrs,
                classes=header.classes,
                flags=header.flags,
                default_target=front.target,
                skip_reason=skip_reason,
                answers=tuple(answers),
                indent=fence.indent,
                allow=tuple(allow),
                counter_example=shown_wrong,
            )
        )
        if shown_wrong is not None and blocks[-1].executable and skip_reason is None:
            # Running what the page warns against would do the harm it warns of.
            blocks[-1] = replace(blocks[-1], skip_reason=counter_example_reason(shown_wrong))
    if highlights:
        findings.extend(_highlight_blocks(highlights, lines, path, front.target, blocks))
        blocks.sort(key=lambda b: b.line)
    for d in pending + queue:
        findings.append(
            codes.DIRECTIVE_UNUSED.at(
                d.location, f"directive '{d.name}' is not followed by a block"
            )
        )
    seen: dict[str, Block] = {}
    for b in blocks:
        if b.id is None:
            continue
        if b.id in seen:
            findings.append(
                codes.DUPLICATE_ID.at(
                    b.location, f"block id #{b.id} is already used at line {seen[b.id].line}"
                )
            )
        else:
            seen[b.id] = b
    return Document(
        path,
        file,
        text,
        front,
        tuple(blocks),
        tuple(lines),
        tuple(sorted(findings, key=lambda f: f.location)),
        fence_spans=tuple(
            sorted(
                [
                    (
                        f.open_index,
                        f.misplaced_close if f.misplaced_close is not None else f.close_index,
                    )
                    for f in fences
                ]
                + [(h.open_index, h.close_index) for h in highlights if h.closed]
            )
        ),
        misplaced_closes=tuple(
            lines[f.misplaced_close].page_line for f in fences if f.misplaced_close is not None
        ),
        text_fences=tuple(text_fences),
        comment_spans=tuple((c.start, c.end) for c in comments),
        dialect=dialect.name,
        is_runbook=is_runbook,
        highlight_spans=tuple(
            (lines[h.open_index].page_line, lines[h.close_index].page_line)
            for h in highlights
            if h.closed
        ),
    )


HIGHLIGHT_REASON = "Hugo highlight shortcode: validated only (no runbookdocs attributes)"
"""Why a `{{< highlight >}}` block is never run: steps are fenced blocks with attributes."""


def _highlight_blocks(
    highlights: list[Highlight],
    lines: list[Line],
    path: str,
    target: str | None,
    blocks: list[Block],
) -> list[Finding]:
    """Add the blocks of a Hugo page's `highlight` shortcodes to `blocks`; the findings of
    those never closed (Hugo stops the build there: no block is made of them)."""
    findings: list[Finding] = []
    for h in highlights:
        opening = lines[h.open_index]
        if not h.closed:
            findings.append(
                codes.FENCE_NOT_CLOSED.at(
                    Location(path, opening.page_line, h.indent + 1),
                    "highlight shortcode is never closed (no {{< /highlight >}} below it)",
                    hint="add {{< /highlight >}} after the code; Hugo fails the build without it",
                )
            )
            continue
        block = Block(
            path=path,
            line=opening.page_line,
            end_line=lines[h.close_index].page_line,
            lang=h.lang,
            info=h.lang,
            source="\n".join(ln.text for ln in h.content),
            source_lines=tuple(ln.page_line for ln in h.content),
            origins=tuple(ln.origin for ln in h.content),
            default_target=target,
            indent=h.removed,
        )
        # A shell or SQL block is a step everywhere (run, play, the site's counts), a Python
        # one is pytest-markdown-docs' (which reads fences only): this one says why it is not
        # run. Other languages read as a fence of theirs does.
        steps = block.executable or block.kind == "python"
        blocks.append(replace(block, skip_reason=HIGHLIGHT_REASON) if steps else block)
    return findings


def _superfences_indent(fence: Fence, lines: list[Line], path: str) -> list[Finding]:
    """What pymdownx.superfences renders differently from CommonMark at the top level.

    Superfences reads a fence indented by W columns as a block only when every non-blank
    line of its content is indented by at least W columns and its closing fence by exactly W
    (its preprocessor drops the fence at the first line that breaks this, whatever list item
    or paragraph is above). CommonMark strips up to W spaces from each content line instead
    and lets the closing fence be indented 0-3 spaces, so it renders both.
    """
    if fence.indent != fence.own_indent:  # in a container: superfences follows it
        return []
    opening = lines[fence.open_index]
    width = fence.own_indent
    end = fence.close_index if fence.closed else fence.close_index + 1
    if width:
        shallow = next(
            (
                lines[k]
                for k in range(fence.open_index + 1, end)
                if lines[k].text.strip() and _lead(lines[k].text) < width
            ),
            None,
        )
        if shallow is not None:
            return [
                codes.FENCE_INDENTED.at(
                    Location(path, opening.page_line, 1),
                    f"fence indented by {width} space(s): pymdownx.superfences does "
                    "not render it as a code block (CommonMark, GitHub and Hugo do)",
                    hint=f"line {shallow.page_line} is less indented than the opening fence; "
                    "indent the content and the closing fence like the opening fence, or set "
                    'dialect = "github" (or hugo) in [tool.runbookdocs] if this site is not '
                    "built by MkDocs",
                )
            ]
    if fence.closed and fence.close_indent is not None and fence.close_indent != width:
        closing = lines[fence.close_index]
        follows = any(line.text.strip() for line in lines[fence.close_index + 1 :])
        return [
            codes.FENCE_INDENTED.at(
                Location(path, closing.page_line, 1),
                f"closing fence indented by {fence.close_indent} space(s): pymdownx.superfences "
                f"does not close the fence of line {opening.page_line} here, and the site "
                + ("swallows what follows" if follows else "does not show it as a code block"),
                hint="write the closing fence at the opening fence's indentation",
            )
        ]
    return []


_INDENTED_OPENING = lazy(r"^(?:[ ]{4,}|[ ]{0,3}\t)[ \t]*(?:`{3,}|~{3,})")
_PARAGRAPH_LINE = lazy(
    r"^[ ]{0,3}(?![-*+][ \t]|\d{1,9}[.)](?:[ \t]|$)|<|\{\{|\{%|:::|\||>|`{3,}|~{3,}|\[\^"
    r"|(?:!!!|\?\?\?|===)\+?[ \t])\S"
)
"""A line of text at the margin: a paragraph's or a heading's (no list item, HTML, template
tag, container, admonition or tab, table, quote or fence, whose content may be indented)."""


def _indented_code(fence: Fence, lines: list[Line]) -> bool:
    """True when `fence` opens 4 columns or more from the margin with no list item or quote
    around it (`scan` found no container), under a paragraph or a heading at the margin: in
    CommonMark that line is no fence (indented code, or a paragraph's lazy continuation)."""
    if fence.own_indent or not _INDENTED_OPENING.match(lines[fence.open_index].text):
        return False
    for k in range(fence.open_index - 1, max(fence.open_index - 201, -1), -1):
        text = lines[k].text
        if not text.strip() or _lead(text) >= 4:
            continue
        # The whole paragraph is at the margin: a line there may also be the lazy
        # continuation of a paragraph opened in a list item (above an indented line).
        start = k
        while start > 0 and lines[start - 1].text.strip():
            start -= 1
        if in_container(lines, start, _lead(lines[start].text)):
            # A paragraph 1 to 3 columns in, in a list item: the fence below it is in a
            # list nested in that item (`    1. Step` then the fence under the step).
            return False
        return all(_PARAGRAPH_LINE.match(lines[j].text) for j in range(start, k + 1))
    return False


def _lead(text: str) -> int:
    """Columns of blanks before the text of a line (tabs to the next multiple of 4)."""
    col = 0
    for ch in text:
        if ch == "\t":
            col += 4 - col % 4
        elif ch == " ":
            col += 1
        else:
            break
    return col


def iter_markdown(paths: Sequence[Path], config: Config) -> Iterator[Path]:
    """The Markdown files named by `paths` (files or directories), sorted, excluding `exclude`."""
    seen: set[Path] = set()
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or directory")
        files = sorted(_rglob(p, config)) if p.is_dir() else [p]
        for f in files:
            # Patterns name paths from the project root, wherever the command runs from.
            rel = _from_root(f, config)
            if f in seen or any(fnmatch(rel, pat) for pat in config.exclude):
                continue
            if p.is_dir() and excluded_page(f):
                continue  # the MkDocs site builds no page of it (includes may still read it)
            if f.is_dir():
                continue
            seen.add(f)
            yield f


def _from_root(path: Path, config: Config) -> str:
    absolute = os.path.abspath(path)
    root = str(config.root)
    prefix = root if root.endswith(os.sep) else root + os.sep
    return absolute[len(prefix) :] if absolute.startswith(prefix) else absolute


PAGE_SUFFIXES = (".md", ".mdx")
"""Suffixes of the files a path named on the command line is read as a page from."""


def _rglob(folder: Path, config: Config) -> Iterator[Path]:
    """`*.md` under `folder`, and `*.mdx` where pages are read as CommonMark, without following
    directory symlinks (no loops, no escapes), nor entering a Hugo site's `archetypes/`."""
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not hugo_archetypes(Path(root) / d, config))
        for name in names:
            if name.endswith(".md") or (name.endswith(".mdx") and _mdx_page(Path(root), config)):
                yield Path(root) / name


def _mdx_page(folder: Path, config: Config) -> bool:
    """Whether `.mdx` files in `folder` are pages: MDX is CommonMark with JSX and `import`
    lines, the pages of Docusaurus, Astro Starlight or Nextra sites, whose code fences are
    CommonMark's. MkDocs and Hugo do not render `.mdx`: there such a file is no page."""
    return dialect_for(folder / "page.mdx", config).name in ("commonmark", "github")


def placeholders(text: str) -> Iterator[re.Match[str]]:
    """`{{ name }}` placeholders in `text`."""
    return PLACEHOLDER.finditer(text)


__all__ = [
    "PAGE_SUFFIXES",
    "PLACEHOLDER",
    "Document",
    "iter_markdown",
    "parse_document",
    "placeholders",
    "read_document",
]
