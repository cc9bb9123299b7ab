"""Decision-tree blocks: the model's own checks; `check` ids are references to blocks."""

from __future__ import annotations

from collections.abc import Iterable

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.decision_tree import parse_tree, step_links
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, Reference, block_validator


@block_validator("decision-tree")
def check_tree(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Everything `parse_tree` reports; each `check`, and each link in a step's text, is
    resolved later against every page (`RBD602`, `RBD603`)."""
    tree, findings = parse_tree(block)
    if tree is not None:
        front = ctx.document.front if ctx.document is not None else None
        if front is not None and not (front.escalation or front.owner):
            for node in tree.nodes.values():
                if node.kind == "escalate":
                    findings.append(
                        codes.TREE_NOBODY.at(
                            node.text_location or node.location or block.location,
                            f"node {node.id!r} escalates, but the page names no one to call",
                            hint="add 'escalation: <team, phone>' (or 'owner:') under 'runbook:' "
                            "in the front matter; the site shows it on escalation steps",
                        )
                    )
        for node, target, where in step_links(block, tree):
            ctx.refer(
                Reference(
                    "tree-link", target, where, block_line=block.line, context=f"node {node.id!r}"
                )
            )
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
