"""Static checks: a registry of validators (kind -> callables) and the check of a set of pages.

A block validator is `fn(block, ctx) -> Iterable[Finding]`, registered for one or more kinds with
`@block_validator("json", ...)`. A page check is `fn(document, ctx) -> Iterable[Finding]`,
registered with `@page_check`. Third-party validators load from the `runbookdocs.validators`
entry-point group (each entry point is a module that registers on import).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable, Sequence
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

BlockValidator = Callable[[Block, "CheckContext"], Iterable[Finding]]
PageCheck = Callable[[Document, "CheckContext"], Iterable[Finding]]

BLOCK_VALIDATORS: dict[str, list[BlockValidator]] = {}
PAGE_CHECKS: list[PageCheck] = []
BATCH_CHECKS: list[Callable[[list[Block], CheckContext], dict[int, list[Finding]]]] = []
"""Validators that check many blocks in one go (shell syntax); keyed by index in the list."""

_BUILTIN = ("structure", "data", "shell", "sql", "pages", "trees")
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


@dataclass
class CheckContext:
    """What validators may consult besides the block: configuration, all pages, schemas."""

    config: Config
    documents: dict[str, Document] = field(default_factory=dict)
    """Every page of the check, by absolute file path."""
    document: Document | None = None
    """The page being checked."""
    memo: dict[str, object] = field(default_factory=dict)
    """Per-check scratch space for validators (loaded schemas, anchors)."""


def _fingerprint(config: Config, documents: Sequence[Document]) -> str:
    """What every page's result depends on besides its own text."""
    parts: list[str] = [
        __version__,
        repr(sorted(config.variables.items())),
        repr(sorted(config.targets)),
        str(config.review_interval_days),
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
    from runbookdocs.validate.pages import site_fingerprint

    parts.append(site_fingerprint(documents, config))
    return digest(*parts)


def check_documents(
    documents: Sequence[Document],
    config: Config,
    *,
    cache: Cache | None = None,
    on_document: Callable[[Document], None] | None = None,
) -> Report:
    """Validate every page; results come from the cache for pages unchanged since last time.

    Batch checks (shell syntax and shellcheck, which are subprocesses) run in a thread while
    the per-block validators run, so their cost overlaps instead of adding up.
    """
    from concurrent.futures import ThreadPoolExecutor

    load_validators()
    started = time.perf_counter()
    report = Report()
    ctx = CheckContext(config, {str(d.file): d for d in documents})
    common = _fingerprint(config, documents) if cache and cache.enabled else ""
    keys = {str(d.file): digest(common, d.path, d.text) for d in documents}
    cached = cache.get_many("check", list(keys.values())) if cache else {}
    todo = [d for d in documents if keys[str(d.file)] not in cached]
    with ThreadPoolExecutor(max_workers=1) as pool:
        batch = pool.submit(_run_batches, [b for d in todo for b in d.blocks], ctx)
        partial = {str(d.file): _check_document(d, ctx) for d in todo}
        batch_findings = batch.result()
    fresh: dict[str, list[dict[str, Any]]] = {}
    for doc in documents:
        key = keys[str(doc.file)]
        if key in cached:
            report.extend(_result_from_json(r) for r in cached[key])
        else:
            results = _assemble(partial[str(doc.file)], batch_findings)
            report.extend(results)
            fresh[key] = [_result_to_cache(r) for r in results]
        if on_document:
            on_document(doc)
    if cache:
        cache.put_many("check", fresh)
    report.duration_s = time.perf_counter() - started
    return report


def _run_batches(blocks: list[Block], ctx: CheckContext) -> dict[tuple[str, int], list[Finding]]:
    out: dict[tuple[str, int], list[Finding]] = {}
    for batch in BATCH_CHECKS:
        for index, findings in batch(blocks, ctx).items():
            b = blocks[index]
            out.setdefault((b.path, b.line), []).extend(findings)
    return out


_Partial = tuple[str, list[Result], list[tuple[Block, list[Finding], float]]]


def _check_document(doc: Document, ctx: CheckContext) -> _Partial:
    """Page results and each block's findings, before batch findings are merged in."""
    ctx.document = doc
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
    return doc.path, page_results, blocks


def _assemble(partial: _Partial, batch: dict[tuple[str, int], list[Finding]]) -> list[Result]:
    path, results, blocks = partial
    results = list(results)
    for block, own, elapsed in blocks:
        findings = own + batch.get((block.path, block.line), [])
        errors = [f for f in findings if f.severity == "error"]
        results.append(
            Result(
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
        )
        if not errors:
            results.extend(_finding_result(path, w, block.kind, block) for w in findings)
    return results


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


def _result_to_cache(r: Result) -> dict[str, Any]:
    data = r.to_json()
    data["findings"] = [
        {
            "location": [f.location.path, f.location.line, f.location.col],
            "message": f.message,
            "severity": f.severity,
            "hint": f.hint,
            "detail": f.detail,
            "origin": [f.origin.path, f.origin.line, f.origin.col] if f.origin else None,
        }
        for f in r.findings
    ]
    return data


def _result_from_json(data: dict[str, Any]) -> Result:
    findings = [
        Finding(
            Location(*f["location"]),
            f["message"],
            f["severity"],
            f["hint"],
            f["detail"],
            Location(*f["origin"]) if f["origin"] else None,
        )
        for f in data.get("findings", [])
    ]
    return Result(
        path=data["path"],
        line=data["line"],
        kind=data["kind"],
        stage=data["stage"],
        outcome=data["outcome"],
        id=data["id"],
        target=data["target"],
        severity=data["severity"],
        message=data["message"],
        duration_s=float(data["duration_s"]),
        findings=findings,
    )


def documents_from_paths(paths: Sequence[Path], config: Config) -> list[Document]:
    """Read every Markdown file under `paths` (the docs directory when empty)."""
    from runbookdocs.document import iter_markdown, read_document

    roots = list(paths) or [config.docs_dir]
    return [read_document(f, config) for f in iter_markdown(roots, config)]
