"""Static checks: a registry of validators (kind -> callables) and the check of a set of pages.

A block validator is `fn(block, ctx) -> Iterable[Finding]`, registered for one or more kinds with
`@block_validator("json", ...)`. A page check is `fn(document, ctx) -> Iterable[Finding]`,
registered with `@page_check`. Third-party validators load from the `runbookdocs.validators`
entry-point group (each entry point is a module that registers on import).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from runbookdocs import __version__
from runbookdocs.block import Block
from runbookdocs.cache import Cache, digest
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.location import Location
from runbookdocs.results import Finding, Report, Result
from runbookdocs.variables import ENV_PREFIX

BlockValidator = Callable[[Block, "CheckContext"], Iterable[Finding]]
PageCheck = Callable[[Document, "CheckContext"], Iterable[Finding]]

BLOCK_VALIDATORS: dict[str, list[BlockValidator]] = {}
PAGE_CHECKS: list[PageCheck] = []
BATCH_CHECKS: list[Callable[[list[Block], CheckContext], dict[int, list[Finding]]]] = []
"""Validators that check many blocks in one go (shell syntax); keyed by index in the list."""

_BUILTIN = ("structure", "data", "shell", "sql", "pages", "trees", "steps")
_loaded = False


def block_validator(*kinds: str) -> Callable[[BlockValidator], BlockValidator]:
    """Register a block validator for `kinds`."""

    def register(fn: BlockValidator) -> BlockValidator:
        for kind in kinds:
            BLOCK_VALIDATORS.setdefault(kind, []).append(fn)
        return fn

    return register


def page_check(fn: PageCheck) -> PageCheck:
    """Register a page-level check (links, placeholders, markers)."""
    PAGE_CHECKS.append(fn)
    return fn


def batch_check(
    fn: Callable[[list[Block], CheckContext], dict[int, list[Finding]]],
) -> Callable[[list[Block], CheckContext], dict[int, list[Finding]]]:
    """Register a check that receives every block of the run at once."""
    BATCH_CHECKS.append(fn)
    return fn


def load_validators() -> None:
    """Import the built-in validators and the `runbookdocs.validators` entry points, once."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    for name in _BUILTIN:
        importlib.import_module(f"runbookdocs.validate.{name}")
    for ep in entry_points(group="runbookdocs.validators"):
        ep.load()


@dataclass(frozen=True)
class Reference:
    """A page, anchor or block named by a page: a link, or a decision tree's `check`.

    References are resolved on every check against every page (`resolve_references`), so a
    page taken from the cache still sees the pages it names change.
    """

    kind: str
    """"link" (to a page, file or anchor) or "block" (a block id, for a tree's `check`)."""
    target: str
    """As written: `page.md#anchor`, `#id`, `page.md`."""
    location: Location
    origin: Location | None = None
    block_line: int | None = None
    """Line of the block whose result this reference belongs to (None: the page's)."""
    context: str = ""
    """What names the target, at the start of a finding: `node 'actif'`."""

    def to_json(self) -> list[Any]:
        """Compact JSON form (cache entries, worker results)."""
        o = self.origin
        return [
            self.kind,
            self.target,
            [self.location.path, self.location.line, self.location.col],
            [o.path, o.line, o.col] if o else None,
            self.block_line,
            self.context,
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> Reference:
        """The reverse of `to_json`."""
        kind, target, loc, origin, block_line, context = data
        return cls(
            kind,
            target,
            Location(*loc),
            Location(*origin) if origin else None,
            block_line,
            context,
        )


@dataclass
class CheckContext:
    """What validators may consult besides the block: configuration, the page, scratch space."""

    config: Config
    document: Document | None = None
    """The page being checked."""
    memo: dict[str, object] = field(default_factory=dict)
    """Per-check scratch space for validators (loaded schemas)."""
    references: list[Reference] = field(default_factory=list)
    """What the page being checked names elsewhere; see `refer`."""
    cache: Cache | None = None
    """The result cache, for validators that keep results per block (shellcheck)."""

    def refer(self, reference: Reference) -> None:
        """Record a reference of the current page; it is resolved against every page later."""
        self.references.append(reference)


@dataclass
class PageEntry:
    """One page's check as cached: its own results, and what other pages need from it.

    Everything in it depends only on the page's text (and the project's configuration,
    schemas and snippets): references and the review date are judged afterwards, on every
    check, because they depend on other pages and on the day.
    """

    results: list[Result]
    anchors: frozenset[str] = frozenset()
    """Anchors the page has on the site (headings, ids, block ids)."""
    block_ids: frozenset[str] = frozenset()
    references: list[Reference] = field(default_factory=list)
    reviewed: tuple[str, int] | None = None
    """The `runbook.reviewed` date (ISO) and its page line."""
    blocks: int = 0

    def to_json(self) -> dict[str, Any]:
        """JSON form (cache entries, worker results)."""
        return {
            "results": [r.to_json() for r in self.results],
            "anchors": sorted(self.anchors),
            "ids": sorted(self.block_ids),
            "refs": [r.to_json() for r in self.references],
            "reviewed": list(self.reviewed) if self.reviewed else None,
            "blocks": self.blocks,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageEntry:
        """The reverse of `to_json`."""
        reviewed = data.get("reviewed")
        return cls(
            [Result.from_json(r) for r in data["results"]],
            frozenset(data["anchors"]),
            frozenset(data["ids"]),
            [Reference.from_json(r) for r in data["refs"]],
            (str(reviewed[0]), int(reviewed[1])) if reviewed else None,
            int(data["blocks"]),
        )


@dataclass
class CheckRun:
    """What `check_files` returns: the report, and how many pages and blocks it covered."""

    report: Report
    pages: int
    blocks: int
    from_cache: int = 0
    """Pages whose own checks came from the cache."""
    jobs: int = 1
    """Processes that checked the other pages."""


PARALLEL_MIN_PAGES = 64
"""Below this many pages to check, worker processes cost more than they save."""
_CHUNK_PAGES = 50


def _fingerprint(config: Config) -> str:
    """What every page's own results depend on besides its text."""
    from runbookdocs.validate.shell import shellcheck_fingerprint

    parts: list[str] = [
        __version__,
        repr(sorted(config.variables.items())),
        # Variables from the environment fill placeholders before parsing, like the project's.
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX))),
        repr(sorted(config.targets)),
        repr(config.exclude),
        shellcheck_fingerprint(config),
        str(config.docs_dir),
    ]
    for folder in (config.schemas_dir, config.snippets_dir):
        if folder.is_dir():
            for f in sorted(folder.rglob("*")):
                if f.is_file():
                    parts += [
                        str(f),
                        f.read_bytes().hex()
                        if f.stat().st_size < 1 << 20
                        else str(f.stat().st_mtime_ns),
                    ]
    return digest(*parts)


def _page_key(file: Path, config: Config, common: str) -> str | None:
    """The cache key of a page: its raw bytes and the project's fingerprint; None: no cache."""
    try:
        info = file.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > config.max_file_mb * 1024 * 1024:
            return None  # never opened here: read_document reports it
        return digest(common, config.display(file), file.read_bytes())
    except OSError:
        return None


def check_files(
    files: Sequence[Path],
    config: Config,
    *,
    cache: Cache | None = None,
    jobs: int = 1,
    on_page: Callable[[str], None] | None = None,
) -> CheckRun:
    """Check pages; pages unchanged since the last check take their own results from the cache.

    Args:
        files: the Markdown files (see `document.iter_markdown`).
        cache: where page entries are kept (None or disabled: check everything).
        jobs: processes for the pages to check (Linux, from `PARALLEL_MIN_PAGES` pages).
            They are forked before `on_page` is first called, so a progress display that
            starts its thread on first use is never copied into them.
        on_page: called with each page's display path once it is done.

    Links and decision-tree `check`s are resolved against every page on every check, and
    review dates against today, so cached pages are judged exactly like fresh ones.
    """
    load_validators()
    started = time.perf_counter()
    files = [Path(os.path.abspath(f)) for f in files]
    use_cache = cache is not None and cache.enabled
    common = _fingerprint(config) if use_cache else ""
    keys = {f: _page_key(f, config, common) if use_cache else None for f in files}
    stored = cache.get_many("page", [k for k in keys.values() if k]) if use_cache and cache else {}
    entries: dict[Path, PageEntry] = {}
    for f, key in keys.items():
        if key is not None and key in stored:
            # An entry this version cannot read is a miss: the page is checked again.
            with contextlib.suppress(KeyError, TypeError, ValueError, IndexError):
                entries[f] = PageEntry.from_json(stored[key])
    todo = [f for f in files if f not in entries]
    workers = _workers(jobs, len(todo))
    fresh: dict[str, Any] = {}
    with _pool(workers, config, use_cache) as pool:
        for f in files:
            if f in entries and on_page:
                on_page(config.display(f))
        chunks = [todo[i : i + _CHUNK_PAGES] for i in range(0, len(todo), _CHUNK_PAGES)]
        done = (
            pool.imap_unordered(_check_chunk_in_worker, chunks)
            if pool is not None
            else (_check_chunk(chunk, config, cache) for chunk in chunks)
        )
        for chunk_entries in done:
            for name, data in chunk_entries:
                f = Path(name)
                entries[f] = PageEntry.from_json(data)
                key = keys.get(f)
                if key:
                    fresh[key] = data
                if on_page:
                    on_page(config.display(f))
    if use_cache and cache:
        cache.put_many("page", fresh)
    report = _judge_all(files, entries, config)
    report.duration_s = time.perf_counter() - started
    return CheckRun(
        report,
        pages=len(files),
        blocks=sum(e.blocks for e in entries.values()),
        from_cache=len(files) - len(todo),
        jobs=workers,
    )


def check_documents(documents: Sequence[Document], config: Config) -> Report:
    """Check pages already read (the pytest plugin, tests); no cache, in this process."""
    load_validators()
    started = time.perf_counter()
    entries = {d.file: PageEntry.from_json(e) for d, e in _check_docs(list(documents), config)}
    report = _judge_all([d.file for d in documents], entries, config)
    report.duration_s = time.perf_counter() - started
    return report


def _judge_all(files: Sequence[Path], entries: dict[Path, PageEntry], config: Config) -> Report:
    """Every page's results, its references judged against all the pages of `entries`."""
    index = PageIndex(config, {str(f): e for f, e in entries.items()})
    report = Report()
    for f in files:
        report.extend(judge(f, entries[f], index, config))
    return report


# ------------------------------------------------------------------------ checking one page


def _workers(jobs: int, pages: int) -> int:
    if jobs <= 1 or pages < PARALLEL_MIN_PAGES or sys.platform != "linux":
        return 1
    return max(1, min(jobs, pages // _CHUNK_PAGES))


@contextlib.contextmanager
def _pool(workers: int, config: Config, use_cache: bool) -> Iterator[Any]:
    """Forked worker processes (they share the imported code and the configuration)."""
    if workers <= 1:
        yield None
        return
    import multiprocessing

    pool = multiprocessing.get_context("fork").Pool(
        workers, initializer=_init_worker, initargs=(config, use_cache)
    )
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


_WORKER: dict[str, Any] = {}


def _init_worker(config: Config, use_cache: bool) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for sig in (signal.SIGTERM, signal.SIGHUP):  # the parent's handlers were copied by fork
        signal.signal(sig, signal.SIG_DFL)
    _WORKER["config"] = config
    _WORKER["cache"] = Cache(config.cache_dir, enabled=use_cache)


def _check_chunk_in_worker(files: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    return _check_chunk(files, _WORKER["config"], _WORKER["cache"])


def _check_chunk(
    files: list[Path], config: Config, cache: Cache | None
) -> list[tuple[str, dict[str, Any]]]:
    """Read and check pages; their entries in JSON form, by absolute file name."""
    from runbookdocs.document import read_document

    documents = [read_document(f, config) for f in files]
    return [(str(d.file), e) for d, e in _check_docs(documents, config, cache)]


def _check_docs(
    documents: list[Document], config: Config, cache: Cache | None = None
) -> list[tuple[Document, dict[str, Any]]]:
    """Each page's entry. Batch checks (bash -n, shellcheck: subprocesses) run in a thread
    while the per-block validators run, so their costs overlap instead of adding up."""
    from concurrent.futures import ThreadPoolExecutor

    batch_ctx = CheckContext(config, cache=cache if cache is not None and cache.enabled else None)
    ctx = CheckContext(config)
    with ThreadPoolExecutor(max_workers=1) as pool:
        batch = pool.submit(_run_batches, [b for d in documents for b in d.blocks], batch_ctx)
        partial = [_check_document(d, ctx) for d in documents]
        batch_findings = batch.result()
    return [
        (doc, _entry(doc, results, refs, batch_findings).to_json())
        for doc, (results, refs) in zip(documents, partial, strict=True)
    ]


def _run_batches(blocks: list[Block], ctx: CheckContext) -> dict[tuple[str, int], list[Finding]]:
    out: dict[tuple[str, int], list[Finding]] = {}
    for batch in BATCH_CHECKS:
        for index, findings in batch(blocks, ctx).items():
            b = blocks[index]
            out.setdefault((b.path, b.line), []).extend(findings)
    return out


_Partial = tuple[list[Result], list[tuple[Block, list[Finding], float]]]


def _check_document(doc: Document, ctx: CheckContext) -> tuple[_Partial, list[Reference]]:
    """Page results and each block's findings, before batch findings are merged in."""
    ctx.document = doc
    ctx.references = []
    page_results: list[Result] = []
    page_findings = list(doc.findings)
    if doc.readable:
        for check in PAGE_CHECKS:
            page_findings.extend(check(doc, ctx))
    by_line: dict[int, list[Finding]] = {}
    spans = sorted((b.line, b.end_line) for b in doc.blocks)
    for f in page_findings:
        owner = next(
            (
                start
                for start, end in spans
                if f.location.path == doc.path and start <= f.location.line <= end
            ),
            None,
        )
        if owner is not None:
            by_line.setdefault(owner, []).append(f)
        else:
            page_results.append(_finding_result(doc.path, f, "page"))
    blocks: list[tuple[Block, list[Finding], float]] = []
    for block in doc.blocks:
        t0 = time.perf_counter()
        findings = list(by_line.get(block.line, []))
        for validator in BLOCK_VALIDATORS.get(block.kind, []) + BLOCK_VALIDATORS.get("*", []):
            findings.extend(validator(block, ctx))
        blocks.append((block, findings, time.perf_counter() - t0))
    return (page_results, blocks), ctx.references


def _entry(
    doc: Document,
    partial: _Partial,
    references: list[Reference],
    batch: dict[tuple[str, int], list[Finding]],
) -> PageEntry:
    from runbookdocs.validate.pages import reviewed_at

    page_results, blocks = partial
    results = list(page_results)
    for block, own, elapsed in blocks:
        findings = own + batch.get((block.path, block.line), [])
        results.append(_block_result(block, findings, elapsed))
        if not any(f.severity == "error" for f in findings):
            results.extend(_finding_result(doc.path, w, block.kind, block) for w in findings)
    anchors, ids = _targets(doc)
    return PageEntry(results, anchors, ids, references, reviewed_at(doc), len(doc.blocks))


def _targets(doc: Document) -> tuple[frozenset[str], frozenset[str]]:
    """What references to the page can name: its anchors and its block ids."""
    from runbookdocs.validate.pages import page_anchors

    anchors = page_anchors(doc) if doc.readable else frozenset()
    return anchors, frozenset(b.id for b in doc.blocks if b.id)


def _block_result(block: Block, findings: list[Finding], elapsed: float) -> Result:
    errors = [f for f in findings if f.severity == "error"]
    return Result(
        path=block.path,
        line=block.line,
        id=block.id,
        kind=block.kind,
        target=block.target,
        stage="validate",
        outcome="failed" if errors else "passed",
        severity="error" if errors else None,
        message=errors[0].message if errors else "valid",
        duration_s=elapsed,
        findings=findings if errors else [],
    )


# ------------------------------------------------------------- judging against every page


class PageIndex:
    """Anchors and block ids of every page: those checked, and others read when named."""

    def __init__(self, config: Config, entries: dict[str, PageEntry]) -> None:
        self.config = config
        self.entries = entries
        self._others: dict[str, PageEntry | None] = {}

    def get(self, file: Path) -> PageEntry | None:
        """The page at `file` (absolute), or None when there is no such page."""
        found = self.entries.get(str(file))
        if found is not None:
            return found
        key = str(file)
        if key not in self._others:
            self._others[key] = _outside_entry(file, self.config)
        return self._others[key]

    def names(self) -> list[str]:
        """File names of the checked pages (for suggestions)."""
        return sorted(Path(f).name for f in self.entries)


def _outside_entry(file: Path, config: Config) -> PageEntry | None:
    """What a page outside the check offers to references (a partial check names it)."""
    from runbookdocs.document import read_document

    if not file.is_file():
        return None
    anchors, ids = _targets(read_document(file, config))
    return PageEntry([], anchors, ids)


def judge(file: Path, entry: PageEntry, index: PageIndex, config: Config) -> list[Result]:
    """A page's results: its own, plus its references and review date judged today."""
    from runbookdocs.validate.pages import resolve_reference, review_finding

    results = list(entry.results)
    if not entry.references and entry.reviewed is None:
        return results
    path = results[0].path if results else config.display(file)
    late: list[Result] = []
    for ref in entry.references:
        finding = resolve_reference(ref, file, index)
        if finding is None:
            continue
        owner = (
            next(
                (
                    r
                    for r in results
                    if r.line == ref.block_line and r.stage == "validate" and r.kind != "page"
                ),
                None,
            )
            if ref.block_line is not None
            else None
        )
        if owner is None:
            late.append(_finding_result(path, finding, "page"))
        elif finding.severity == "error":
            if owner.outcome == "passed":
                owner.outcome, owner.severity, owner.message = "failed", "error", finding.message
            owner.findings = [*owner.findings, finding]
    if entry.reviewed is not None:
        stale = review_finding(path, entry.reviewed, config)
        if stale is not None:
            late.append(_finding_result(path, stale, "page"))
    return late + results


def _finding_result(path: str, f: Finding, kind: str, block: Block | None = None) -> Result:
    return Result(
        path=f.location.path,
        line=f.location.line,
        kind=kind,
        stage="validate",
        outcome="failed",
        severity=f.severity,
        message=f.message,
        id=block.id if block else None,
        target=block.target if block else None,
        findings=[f],
    )


def documents_from_paths(paths: Sequence[Path], config: Config) -> list[Document]:
    """Read every Markdown file under `paths` (the docs directory when empty)."""
    from runbookdocs.document import iter_markdown, read_document

    roots = list(paths) or [config.docs_dir]
    return [read_document(f, config) for f in iter_markdown(roots, config)]
