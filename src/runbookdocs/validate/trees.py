"""Decision-tree blocks: the model's own checks, and `check` ids resolved against pages."""

from __future__ import annotations

from collections.abc import Iterable

from runbookdocs.block import Block, suggest
from runbookdocs.decision_tree import parse_tree
from runbookdocs.document import Document, read_document
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, block_validator


@block_validator("decision-tree")
def check_tree(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Everything `parse_tree` reports, plus `check` references to blocks that do not exist."""
    tree, findings = parse_tree(block)
    yield from findings
    if tree is None:
        return
    for node, check in tree.checks():
        problem = _resolve(check, ctx)
        if problem:
            where = node.check_location or node.location or block.location
            yield Finding(
                where,
                f"node {node.id!r}: check {check!r}: {problem}",
                hint="check names a block id: '#id' on this page, or 'page.md#id'",
            )


def _resolve(check: str, ctx: CheckContext) -> str | None:
    """Why `check` names no block, or None when it does."""
    doc = ctx.document
    if doc is None:
        return None
    page, sep, block_id = check.partition("#")
    if not sep:
        page, block_id = "", check
    if not block_id:
        return "no block id after '#'"
    target: Document | None = doc
    if page:
        file = (doc.file.parent / page).resolve()
        target = ctx.documents.get(str(file))
        if target is None:
            key = f"page:{file}"
            if key not in ctx.memo:
                ctx.memo[key] = read_document(file, ctx.config) if file.is_file() else None
            found = ctx.memo[key]
            target = found if isinstance(found, Document) else None
        if target is None:
            return f"no page {page!r}"
    if target is None:  # pragma: no cover - handled above
        return None
    ids = [b.id for b in target.blocks if b.id]
    if block_id not in ids:
        where = "this page" if target is doc else repr(page)
        return f"no block #{block_id} in {where}{suggest(block_id, ids)}"
    return None


__all__ = ["check_tree"]
