"""Decision-tree blocks: the model's own checks; `check` ids are references to blocks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.decision_tree import Node, Tree, parse_tree
from runbookdocs.location import Location
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


def _link_location(block: Block, where: Location | None, text: str, col: int) -> Location:
    """The link's own column when the text is written on its key's line as is (a plain or
    quoted scalar); the value's start otherwise (a folded `>-` value is joined from lines)."""
    if where is None:
        return block.location
    lines = block.source.splitlines()
    index = where.line - block.line - 1
    if 0 <= index < len(lines):
        rest = lines[index][where.col - 1 :]
        quote = 1 if rest[:1] in ("'", '"') else 0
        if rest[quote:].startswith(text[: col + 1]):
            return Location(where.path, where.line, where.col + quote + col)
    return where


def step_links(block: Block, tree: Tree) -> Iterator[tuple[Node, str, Location]]:
    """(node, target, where) of every relative link in the steps' texts and helps; the site
    build judges them too (`runbookdocs.site.state.tree_problems`)."""
    for node, text, where in tree.texts():
        for target, col in tree_links(text):
            yield node, target, _link_location(block, where, text, col)


def tree_links(text: str) -> Iterator[tuple[str, int]]:
    """(target, 0-based column) of the relative links of a step's Markdown text: the links a
    page of this project must provide (absolute URLs and templates are not ours to judge)."""
    from runbookdocs.validate.pages import _SCHEME, _links

    for col, raw in _links(text):
        target = raw.strip("<>")
        if not target or _SCHEME.match(target) or target.startswith(("//", "/", "{{")):
            continue
        yield target, col


__all__ = ["check_tree", "step_links", "tree_links"]
