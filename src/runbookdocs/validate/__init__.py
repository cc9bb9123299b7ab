"""Static checks: a registry of validators (kind -> callables) and the check of a set of pages.

```
registry.py  @block_validator, @page_check, @batch_check, CheckContext, load_validators()
engine.py    check_files() (cache, workers, progress), check_documents(), documents_from_paths()
workers.py   forked worker processes for large checks
entry.py     PageEntry (a page's cached results), Reference (what a page names elsewhere)
judge.py     PageIndex, judge(): links, tree checks and review dates, on every check
common.py    helpers for validators: placeholder filling, locations, console scripts
structure.py data.py shell.py sql.py pages.py trees.py ...   the validators, one per family
```

A block validator is `fn(block, ctx) -> Iterable[Finding]`, registered for one or more kinds with
`@block_validator("json", ...)`. A page check is `fn(document, ctx) -> Iterable[Finding]`,
registered with `@page_check`. Any other module of this package registers itself when
`load_validators()` imports it; third-party validators load from the `runbookdocs.validators`
entry-point group (each entry point is a module that registers on import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from runbookdocs.validate.entry import PageEntry, Reference
from runbookdocs.validate.judge import PageIndex, judge
from runbookdocs.validate.registry import (
    BATCH_CHECKS,
    BLOCK_VALIDATORS,
    PAGE_CHECKS,
    BatchCheck,
    BlockValidator,
    CheckContext,
    PageCheck,
    batch_check,
    block_validator,
    load_validators,
    page_check,
)

if TYPE_CHECKING:
    from runbookdocs.validate.engine import (
        CheckRun,
        check_documents,
        check_files,
        documents_from_paths,
        why_not_checked,
    )

_ENGINE = {"CheckRun", "check_documents", "check_files", "documents_from_paths", "why_not_checked"}


def __getattr__(name: str) -> Any:
    """The engine's names, imported on first use: a site build uses the validators' helpers
    (tree links, anchors) but never the engine, its cache (sqlite3) or its worker processes."""
    if name in _ENGINE:
        from runbookdocs.validate import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BATCH_CHECKS",
    "BLOCK_VALIDATORS",
    "PAGE_CHECKS",
    "BatchCheck",
    "BlockValidator",
    "CheckContext",
    "CheckRun",
    "PageCheck",
    "PageEntry",
    "PageIndex",
    "Reference",
    "batch_check",
    "block_validator",
    "check_documents",
    "check_files",
    "documents_from_paths",
    "judge",
    "load_validators",
    "page_check",
    "why_not_checked",
]
