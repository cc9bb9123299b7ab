"""Checking pages: each page's own results (cached by its bytes), then every page judged.

`check_files` is the CLI's path (cache, forked workers, progress); `check_documents` checks pages
already read, in this process (the pytest plugin, tests). Both end in `judge.judge_all`, so a
page is judged the same way whichever path checked it.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runbookdocs import codes
from runbookdocs.block import COUNTER_EXAMPLE_CODES, Block, counter_example_reason, near_kind
from runbookdocs.cache import Cache, code_fingerprint, digest
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.errors import third_party_package
from runbookdocs.location import Location
from runbookdocs.results import Finding, Report, Result
from runbookdocs.selection import Selection
from runbookdocs.validate import workers
from runbookdocs.validate.entry import PageEntry, Reference
from runbookdocs.validate.judge import finding_result, judge_all, targets
from runbookdocs.validate.registry import (
    BATCH_CHECKS,
    BLOCK_VALIDATORS,
    PAGE_CHECKS,
    BlockValidator,
    CheckContext,
    PageCheck,
    load_validators,
)
from runbookdocs.variables import ENV_PREFIX


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


def _fingerprint(config: Config) -> str:
    """What every page's own results depend on besides its text."""
    from runbookdocs.validate.shell import shellcheck_fingerprint

    parts: list[str] = [
        code_fingerprint(),
        repr(sorted(config.variables.items())),
        # Variables from the environment fill placeholders before parsing, like the project's.
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith(ENV_PREFIX))),
        repr(sorted(config.targets)),
        repr(config.exclude),
        repr((config.select, config.ignore, config.dialect, sorted(config.dialects.items()))),
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
    from runbookdocs.validate.shell import sweep_scratch

    load_validators()
    sweep_scratch()  # what a killed check left in /dev/shm
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
    n_workers = workers.workers_for(jobs, len(todo))
    fresh: dict[str, Any] = {}
    tasks = workers.chunks(todo)
    # Workers are forked before `on_page` is first called, so a progress display that starts
    # its thread on first use is never copied into them.
    pool = workers.start(tasks, n_workers, config, use_cache) if n_workers > 1 else None
    try:
        for f in files:
            if f in entries and on_page:
                on_page(config.display(f))
        done = (
            pool.results()
            if pool is not None
            else (check_chunk(chunk, config, cache) for chunk in tasks)
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
    finally:
        if pool is not None:
            pool.stop()
    if use_cache and cache:
        cache.put_many("page", fresh)
    report = judge_all(files, entries, config)
    report.duration_s = time.perf_counter() - started
    return CheckRun(
        report,
        pages=len(files),
        blocks=sum(e.blocks for e in entries.values()),
        from_cache=len(files) - len(todo),
        jobs=n_workers,
    )


def check_documents(documents: Sequence[Document], config: Config) -> Report:
    """Check pages already read (the pytest plugin, tests); no cache, in this process."""
    load_validators()
    started = time.perf_counter()
    entries = {d.file: PageEntry.from_json(e) for d, e in _check_docs(list(documents), config)}
    report = judge_all([d.file for d in documents], entries, config)
    report.duration_s = time.perf_counter() - started
    return report


def why_not_checked(block: Block, doc: Document | None = None) -> str | None:
    """Why the static checks do not validate this block's content (of the page `doc`), or
    None when they do.

    The header, the target and the page's links are checked for every block; this is about
    the content: a language runbookdocs does not read, a configuration block that is a
    template or an include (valid once rendered), a console block that holds only output.
    """
    from runbookdocs.dialect import template_starts
    from runbookdocs.validate.data import not_data
    from runbookdocs.validate.shell import block_script

    if block.kind == "other":
        return f"language {block.lang or '(none)'!r} is not checked{near_kind(block.lang)}"
    if block.counter_example is not None:
        return counter_example_reason(block.counter_example)
    if (
        block.kind in ("json", "yaml", "toml")
        and not block.file
        and not_data(block.source, template_starts(doc))
    ):
        return "template or include: valid only once rendered by its own tool"
    if block.kind == "console" and block_script(block) is None:
        return "console output without commands"
    return None


def documents_from_paths(paths: Sequence[Path], config: Config) -> list[Document]:
    """Read every Markdown file under `paths` (the docs directory when empty)."""
    from runbookdocs.document import iter_markdown, read_document

    roots = list(paths) or [config.docs_dir]
    return [read_document(f, config) for f in iter_markdown(roots, config)]


# ------------------------------------------------------------------------ checking one page


def check_chunk(
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

    batch_ctx = CheckContext(
        config,
        cache=cache if cache is not None and cache.enabled else None,
        runbook_pages=frozenset(d.path for d in documents if d.is_runbook),
    )
    ctx = CheckContext(config)
    selection = Selection.of(config)
    with ThreadPoolExecutor(max_workers=1) as pool:
        batch = pool.submit(_run_batches, [b for d in documents for b in d.blocks], batch_ctx)
        partial = [_check_guarded(d, ctx) for d in documents]
        batch_findings = batch.result()
    return [
        (doc, _entry(doc, results, refs, batch_findings, selection).to_json())
        for doc, (results, refs) in zip(documents, partial, strict=True)
    ]


def _run_batches(blocks: list[Block], ctx: CheckContext) -> dict[tuple[str, int], list[Finding]]:
    out: dict[tuple[str, int], list[Finding]] = {}
    for batch in BATCH_CHECKS:
        for index, findings in batch(blocks, ctx).items():
            b = blocks[index]
            out.setdefault((b.path, b.line), []).extend(findings)
    return out


_Partial = tuple[list[Finding], list[tuple[Block, list[Finding], float]]]


def _check_guarded(doc: Document, ctx: CheckContext) -> tuple[_Partial, list[Reference]]:
    """`_check_document`, with a failure inside runbookdocs or a validator reported on that
    page (its path and the error): one bad page never prevents the report of the others."""
    try:
        return _check_document(doc, ctx)
    except Exception as err:  # a bug, or a third-party validator, on this page only
        finding = codes.INTERNAL_ERROR.at(
            Location(doc.path, 1),
            f"checking this page failed inside runbookdocs: {type(err).__name__}: {err}"[:500],
            hint="the other pages were checked; report this page to runbookdocs (or to the "
            "validator's package)",
        )
        return ([finding], []), []


def _check_document(doc: Document, ctx: CheckContext) -> tuple[_Partial, list[Reference]]:
    """Page findings and each block's findings, before batch findings are merged in."""
    ctx.document = doc
    ctx.references = []
    page_only: list[Finding] = []
    page_findings = list(doc.findings)
    if doc.readable:
        for check in PAGE_CHECKS:
            page_findings.extend(_guarded(check, Location(doc.path, 1), "page", doc, ctx))
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
            page_only.append(f)
    blocks: list[tuple[Block, list[Finding], float]] = []
    for block in doc.blocks:
        t0 = time.perf_counter()
        findings = list(by_line.get(block.line, []))
        for validator in BLOCK_VALIDATORS.get(block.kind, []) + BLOCK_VALIDATORS.get("*", []):
            findings.extend(_guarded(validator, block.location, block.kind, block, ctx))
        blocks.append((block, findings, time.perf_counter() - t0))
    return (page_only, blocks), ctx.references


def _guarded(
    check: BlockValidator | PageCheck, where: Location, what: str, *args: Any
) -> list[Finding]:
    """One check's findings; a third-party check that raises is a finding naming its package,
    located on the block or page it was checking (a bug of our own still reaches
    `_check_guarded`)."""
    try:
        return list(check(*args))
    except Exception as err:
        package = third_party_package(getattr(check, "__module__", "") or "")
        if package is None:
            raise
        return [
            codes.PLUGIN_FAILED.at(
                where,
                f"the {what!r} check {getattr(check, '__name__', '?')} of package {package!r} "
                f"failed: {type(err).__name__}: {err}"[:500],
                hint=f"report it to the maintainers of {package!r} (not a runbookdocs problem); "
                "the other checks ran",
            )
        ]


def _entry(
    doc: Document,
    partial: _Partial,
    references: list[Reference],
    batch: dict[tuple[str, int], list[Finding]],
    selection: Selection,
) -> PageEntry:
    from runbookdocs.validate.pages import reviewed_at

    page_only, blocks = partial
    allow = doc.front.ignore
    results = [
        finding_result(doc.path, f, "page") for f in page_only if selection.reports(f, allow)
    ]
    for block, own, elapsed in blocks:
        findings = [
            f
            for f in own + batch.get((block.path, block.line), [])
            if selection.reports(f, allow, block.allow)
            and not (block.counter_example and f.code in COUNTER_EXAMPLE_CODES)
        ]
        results.append(_block_result(block, findings, elapsed))
        if not any(f.severity == "error" for f in findings):
            results.extend(finding_result(doc.path, w, block.kind, block) for w in findings)
    anchors, ids = targets(doc)
    return PageEntry(
        results,
        anchors,
        ids,
        references,
        reviewed_at(doc),
        len(doc.blocks),
        allow,
        {b.line: b.allow for b in doc.blocks if b.allow},
    )


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
