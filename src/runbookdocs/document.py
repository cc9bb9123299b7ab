"""Document: one runbook page, read once, with its front matter, blocks and extraction findings."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

from runbookdocs import codes
from runbookdocs.block import Answer, Block, parse_header
from runbookdocs.config import Config
from runbookdocs.errors import UsageError
from runbookdocs.extract.directives import Directive, find_directives
from runbookdocs.extract.fences import find_fences
from runbookdocs.extract.frontmatter import FrontMatter, parse_front_matter
from runbookdocs.extract.snippets import Line, expand_snippets
from runbookdocs.location import Location
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


_NOT_RUN_SETTINGS = frozenset({"owner", "reviewed", "system"})
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


def parse_document(text: str, *, path: str, file: Path, config: Config) -> Document:
    """Extract a page from its text."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    raw_lines = text.split("\n")
    front, findings = parse_front_matter(raw_lines, path)
    body = "\n".join(raw_lines[front.end_line :])
    lines, include_findings = expand_snippets(
        body,
        path=path,
        base_paths=config.snippet_base_paths,
        root=config.root,
        first_line=front.end_line + 1,
    )
    findings.extend(include_findings)
    directives, covered, directive_findings = find_directives(lines, path)
    findings.extend(directive_findings)
    blocks: list[Block] = []
    pending: list[Directive] = []
    queue = sorted(directives, key=lambda d: d.end_index)
    fences = find_fences(lines, skip=covered)
    for fence in fences:
        while queue and queue[0].end_index < fence.open_index:
            pending.append(queue.pop(0))
        opening = lines[fence.open_index]
        header = parse_header(fence.info, info_col=fence.info_col)
        for problem in header.problems:
            findings.append(
                Finding(
                    Location(path, opening.page_line, problem.col),
                    problem.message,
                    code=problem.code,
                )
            )
        if not fence.closed:
            findings.append(
                codes.FENCE_NOT_CLOSED.at(
                    Location(path, opening.page_line, fence.indent + 1),
                    "fence is never closed"
                    + (
                        f" (its container ends at line {lines[fence.close_index + 1].page_line})"
                        if fence.close_index + 1 < len(lines)
                        else ""
                    ),
                    hint="add a closing ``` at the same indentation as the opening one",
                )
            )
        skip_reason = header.attrs.get("skip")
        answers: list[Answer] = []
        ignored = False
        for d in pending:
            if d.name == "skip-next":
                skip_reason = d.args["reason"]
            elif d.name == "ignore-next":
                ignored = True
            elif d.name == "answer":
                answers.append(Answer(d.args["prompt"], d.args["value"]))
        pending.clear()
        if ignored:
            continue
        blocks.append(
            Block(
                path=path,
                line=opening.page_line,
                end_line=lines[fence.close_index].page_line
                if fence.close_index < len(lines)
                else opening.page_line,
                lang=header.lang,
                info=fence.info.strip(),
                source="\n".join(ln.text for ln in fence.content),
                source_lines=tuple(ln.page_line for ln in fence.content),
                origins=tuple(ln.origin for ln in fence.content),
                attrs=header.attrs,
                classes=header.classes,
                default_target=front.target,
                skip_reason=skip_reason,
                answers=tuple(answers),
                indent=fence.indent,
            )
        )
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
        fence_spans=tuple((f.open_index, f.close_index) for f in fences),
    )


def iter_markdown(paths: Sequence[Path], config: Config) -> Iterator[Path]:
    """The Markdown files named by `paths` (files or directories), sorted, excluding `exclude`."""
    seen: set[Path] = set()
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or directory")
        files = sorted(_rglob(p)) if p.is_dir() else [p]
        for f in files:
            rel = config.display(f)
            if f in seen or any(fnmatch(rel, pat) for pat in config.exclude):
                continue
            if f.is_dir():
                continue
            seen.add(f)
            yield f


def _rglob(folder: Path) -> Iterator[Path]:
    """`*.md` under `folder`, without following directory symlinks (no loops, no escapes)."""
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in names:
            if name.endswith(".md"):
                yield Path(root) / name


def placeholders(text: str) -> Iterator[re.Match[str]]:
    """`{{ name }}` placeholders in `text`."""
    return PLACEHOLDER.finditer(text)


__all__ = [
    "PLACEHOLDER",
    "Document",
    "iter_markdown",
    "parse_document",
    "placeholders",
    "read_document",
]
