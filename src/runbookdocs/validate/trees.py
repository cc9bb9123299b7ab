"""Decision-tree blocks: the model's own checks; `check` ids are references to blocks."""

from __future__ import annotations

from collections.abc import Iterable

from runbookdocs.block import Block
from runbookdocs.decision_tree import parse_tree
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, Reference, block_validator


@block_validator("decision-tree")
def check_tree(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Everything `parse_tree` reports; each `check` is resolved later against every page."""
    tree, findings = parse_tree(block)
    if tree is not None:
        for node, check in tree.checks():
            where = node.check_location or node.location or block.location
            ctx.refer(
                Reference(
                    "block",
                    check,
                    where,
                    block_line=block.line,
                    context=f"node {node.id!r}: check {check!r}",
                )
            )
    return findings


__all__ = ["check_tree"]
