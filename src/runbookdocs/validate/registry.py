"""The registry of static checks: what validators are, how they register, what they may consult.

A block validator is `fn(block, ctx) -> Iterable[Finding]`, registered for one or more kinds with
`@block_validator("json", ...)` (`"*"`: every kind). A page check is `fn(document, ctx) ->
Iterable[Finding]`, registered with `@page_check`. A batch check receives every block of a run at
once (`@batch_check`: bash -n and shellcheck, one subprocess for thousands of blocks).

`load_validators()` imports every module of this package that is not part of the engine (so a new
`validate/NAME.py` registers itself without being listed anywhere), then the modules named by the
`runbookdocs.validators` entry-point group (each registers on import).
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING

from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.results import Finding

if TYPE_CHECKING:
    from runbookdocs.cache import Cache
    from runbookdocs.validate.entry import Reference

BlockValidator = Callable[[Block, "CheckContext"], Iterable[Finding]]
PageCheck = Callable[[Document, "CheckContext"], Iterable[Finding]]
BatchCheck = Callable[[list[Block], "CheckContext"], dict[int, list[Finding]]]
"""Findings keyed by the index of the block in the list given."""

BLOCK_VALIDATORS: dict[str, list[BlockValidator]] = {}
PAGE_CHECKS: list[PageCheck] = []
BATCH_CHECKS: list[BatchCheck] = []

FIRST = ("structure", "data", "shell", "sql", "pages", "trees")
"""Built-in validator modules loaded first, in this order (a block's findings keep it); any
other module of this package that is not in `ENGINE` is loaded after them, by name."""
ENGINE = frozenset({"registry", "entry", "engine", "workers", "judge", "common"})
"""Modules of this package that hold the engine or helpers, not validators."""
_loaded = False
_LOADING = threading.RLock()


def block_validator(*kinds: str) -> Callable[[BlockValidator], BlockValidator]:
    """Register a block validator for `kinds` (`"*"`: every kind)."""

    def register(fn: BlockValidator) -> BlockValidator:
        for kind in kinds:
            BLOCK_VALIDATORS.setdefault(kind, []).append(fn)
        return fn

    return register


def page_check(fn: PageCheck) -> PageCheck:
    """Register a page-level check (links, placeholders, markers)."""
    PAGE_CHECKS.append(fn)
    return fn


def batch_check(fn: BatchCheck) -> BatchCheck:
    """Register a check that receives every block of the run at once."""
    BATCH_CHECKS.append(fn)
    return fn


def builtin_modules() -> list[str]:
    """The built-in validator modules, in loading order."""
    import runbookdocs.validate as package

    found = {m.name for m in pkgutil.iter_modules(package.__path__) if not m.ispkg}
    others = sorted(found - ENGINE - set(FIRST))
    return [name for name in FIRST if name in found] + others


def load_validators() -> None:
    """Import the built-in validators and the `runbookdocs.validators` entry points, once."""
    global _loaded
    # The same lock pattern as the runners: never a registry half filled for another thread.
    with _LOADING:
        if _loaded:
            return
        for name in builtin_modules():
            importlib.import_module(f"runbookdocs.validate.{name}")
        for ep in entry_points(group="runbookdocs.validators"):
            ep.load()
        _loaded = True


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
    runbook_pages: frozenset[str] | None = None
    """For batch checks (which see blocks, not pages): the paths of the pages that are
    runbooks (`Document.is_runbook`); None when every page is one."""

    def refer(self, reference: Reference) -> None:
        """Record a reference of the current page; it is resolved against every page later."""
        self.references.append(reference)
