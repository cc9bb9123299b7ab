"""Decision trees on the site: a static version, a Mermaid overview and the walker's data.

The tree comes from `runbookdocs.decision_tree.parse_tree` (the model shared with
`runbookdocs check`). The HTML has three parts:

- the static version: nested lists, one item per step with an anchor `TREE--NODE`, readable and
  searchable without JavaScript;
- the data the walker (`assets/runbookdocs.js`) reads: JSON in the `data-rb-data` attribute;
- an overview diagram as a Mermaid flowchart (rendered by the vendored Mermaid, no CDN).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from runbookdocs.block import Block
from runbookdocs.results import Finding


@dataclass(frozen=True)
class Answer:
    """One answer of a question node."""

    label: str
    next: str
    match: str | None = None


@dataclass(frozen=True)
class Node:
    """One step of a tree, in the site's terms."""

    id: str
    kind: str
    """`question`, `action`, `solution` or `escalate`."""
    text: str
    help: str | None = None
    check: str | None = None
    answers: tuple[Answer, ...] = ()
    next: str | None = None
    max_visits: int | None = None


@dataclass(frozen=True)
class TreeView:
    """A decision tree reduced to what the site shows."""

    title: str
    start: str
    nodes: Mapping[str, Node] = field(default_factory=dict)

    def walk(self) -> Iterator[Node]:
        """Nodes reachable from `start`, depth first, each once."""
        seen: set[str] = set()
        stack = [self.start]
        while stack:
            nid = stack.pop()
            if nid in seen or nid not in self.nodes:
                continue
            seen.add(nid)
            node = self.nodes[nid]
            yield node
            stack.extend(reversed([a.next for a in node.answers] + [node.next or ""]))


def load_tree(block: Block) -> tuple[TreeView | None, list[Finding]]:
    """Parse a decision-tree block with `runbookdocs.decision_tree.parse_tree`.

    Returns the tree as the site shows it (None when it cannot be read) and the model's errors
    (warnings are `runbookdocs check`'s business, not the site's).
    """
    from runbookdocs.decision_tree import parse_tree

    tree, findings = parse_tree(block)
    errors = [f for f in findings if f.severity == "error"]
    return (_adapt(tree) if tree is not None else None), errors


def _adapt(tree: Any) -> TreeView:
    """Read the model's tree through its attributes (duck typing keeps the two modules loose)."""
    nodes: dict[str, Node] = {}
    raw_nodes = getattr(tree, "nodes", {})
    for nid, n in raw_nodes.items() if isinstance(raw_nodes, Mapping) else []:
        nodes[str(nid)] = _node_from(str(nid), n)
    return TreeView(str(getattr(tree, "title", "") or ""), str(getattr(tree, "start", "")), nodes)


def _node_from(nid: str, n: Any) -> Node:
    answers = tuple(Answer(str(a.label), str(a.next), a.match or None) for a in (n.answers or ()))
    return Node(
        id=nid,
        kind=str(n.kind),
        text=str(n.text or ""),
        help=n.help or None,
        check=n.check or None,
        answers=answers,
        next=n.next or None,
        max_visits=n.max_visits if isinstance(n.max_visits, int) else None,
    )


# --------------------------------------------------------------------------- rendering


@dataclass(frozen=True)
class CheckLink:
    """A step's linked command block, resolved for the page."""

    href: str
    """Where the block is (`#id` on the page, or another page's URL)."""
    label: str
    """How the link reads."""
    state: str
    """Verification state of the block (`verified`, `failing`, ...)."""
    status: str
    """The badge text."""
    detail: str = ""
    local_id: str | None = None
    """The block's anchor when it is on this page (the walker shows the block itself)."""


def node_anchor(tree_id: str, node_id: str) -> str:
    """The anchor of a step: `TREE--NODE` (also the walker's deep-link hash)."""
    return f"{tree_id}--{_slug(node_id)}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "n"


_KIND_LABELS = {
    "question": "Question",
    "action": "Action",
    "solution": "Solution",
    "escalate": "Escalade",
}


def render_tree(
    tree: TreeView,
    tree_id: str,
    inline: Callable[[str], str],
    checks: Mapping[str, CheckLink],
    blocks_html: Callable[[CheckLink], str] | None = None,
) -> str:
    """The whole HTML of a tree: walker mount point, data, static version, overview.

    Args:
        tree: the tree to render.
        tree_id: the tree's anchor on the page.
        inline: renders a short Markdown text to inline HTML.
        checks: node id -> its resolved `check` link.
        blocks_html: unused hook for embedding blocks statically.
    """
    del blocks_html
    data = {
        "id": tree_id,
        "title": tree.title,
        "start": tree.start,
        "nodes": {
            n.id: {
                "kind": n.kind,
                "anchor": node_anchor(tree_id, n.id),
                "html": inline(n.text),
                "text": n.text,
                "help": inline(n.help) if n.help else "",
                "next": n.next,
                "max_visits": n.max_visits,
                "answers": [
                    {"label": a.label, "next": a.next, "match": a.match} for a in n.answers
                ],
                "check": _check_json(checks.get(n.id)),
            }
            for n in tree.nodes.values()
        },
    }
    # An attribute, not a <script type="application/json">: Material's instant navigation
    # re-creates the scripts of each new page without their type and runs them as JavaScript.
    payload = html.escape(json.dumps(data, ensure_ascii=False), quote=True)
    title = html.escape(tree.title) if tree.title else "Arbre de décision"
    parts = [
        f'<div class="rb-tree" id="{tree_id}" data-rb-tree="{tree_id}" data-rb-data="{payload}">',
        f'<p class="rb-tree__title"><span class="rb-tree__kind">Arbre de décision</span> '
        f"{title}</p>",
        '<div class="rb-tree__walker" hidden></div>',
        '<details class="rb-tree__static abstract" open>'
        "<summary>Arbre complet (version texte)</summary>",
        render_static(tree, tree_id, inline, checks),
        "</details>",
        '<details class="rb-tree__overview info" open><summary>Vue d’ensemble (schéma)</summary>',
        f'<pre class="mermaid"><code>{html.escape(mermaid(tree))}</code></pre>',
        "</details>",
        "</div>",
    ]
    return "\n".join(parts)


def _check_json(link: CheckLink | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {
        "href": link.href,
        "label": link.label,
        "state": link.state,
        "status": link.status,
        "detail": link.detail,
        "local": link.local_id,
    }


def render_static(
    tree: TreeView, tree_id: str, inline: Callable[[str], str], checks: Mapping[str, CheckLink]
) -> str:
    """Nested lists from the start node; a step met again links back to where it is shown."""
    shown: set[str] = set()
    out: list[str] = []

    def emit(nid: str, depth: int) -> None:
        node = tree.nodes.get(nid)
        if node is None:
            out.append(f"<li>étape inconnue « {html.escape(nid)} »</li>")
            return
        anchor = node_anchor(tree_id, nid)
        if nid in shown or depth > 60:
            out.append(
                f'<li class="rb-step rb-step--ref"><a href="#{anchor}">voir l’étape « '
                f"{html.escape(_plain(node.text, 80))} »</a></li>"
            )
            return
        shown.add(nid)
        out.append(
            f'<li class="rb-step rb-step--{node.kind}" id="{anchor}" '
            f'data-rb-node="{html.escape(nid)}">'
        )
        out.append(
            f'<span class="rb-step__kind">{_KIND_LABELS.get(node.kind, node.kind)}</span> '
            f'<span class="rb-step__text">{inline(node.text)}</span>'
        )
        if node.help:
            out.append(f'<div class="rb-step__help">{inline(node.help)}</div>')
        link = checks.get(nid)
        if link is not None:
            out.append(
                '<div class="rb-step__check">Commande à lancer : '
                f'<a href="{html.escape(link.href)}">{html.escape(link.label)}</a> '
                f'<span class="rb-badge rb-badge--{link.state}" title="{html.escape(link.detail)}">'
                f"{html.escape(link.status)}</span></div>"
            )
        if node.max_visits:
            out.append(f'<div class="rb-step__note">au plus {node.max_visits} passages</div>')
        if node.answers:
            out.append('<ul class="rb-answers">')
            for a in node.answers:
                out.append(
                    f'<li class="rb-answer"><span class="rb-answer__label">'
                    f"{html.escape(a.label)}</span>"
                )
                if a.match:
                    out.append(
                        f' <span class="rb-answer__match">(message contenant '
                        f"<code>{html.escape(a.match)}</code>)</span>"
                    )
                out.append('<ul class="rb-steps">')
                emit(a.next, depth + 1)
                out.append("</ul></li>")
            out.append("</ul>")
        elif node.next:
            out.append('<ul class="rb-steps">')
            emit(node.next, depth + 1)
            out.append("</ul>")
        out.append("</li>")

    out.append('<ul class="rb-steps rb-steps--root">')
    emit(tree.start, 0)
    out.append("</ul>")
    return "".join(out)


def _plain(text: str, limit: int) -> str:
    # Links keep their text; backticks and ** go; single underscores stay (CA_Installation).
    plain = re.sub(r"`|\*\*|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", text)
    plain = " ".join(plain.split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def mermaid(tree: TreeView) -> str:
    """The tree as a Mermaid flowchart (top-down); questions are diamonds, leaves rounded."""
    ids = {nid: f"n{i}" for i, nid in enumerate(tree.nodes)}

    def label(text: str) -> str:
        return '"' + _plain(text, 60).replace('"', "#quot;") + '"'

    lines = ["flowchart TD"]
    for nid, node in tree.nodes.items():
        ref, text = ids[nid], label(node.text)
        shape = {
            "question": f"{ref}{{{text}}}",
            "action": f"{ref}[{text}]",
            "escalate": f"{ref}{{{{{text}}}}}",
        }.get(node.kind, f"{ref}([{text}])")
        lines.append(f"    {shape}")
    for nid, node in tree.nodes.items():
        for a in node.answers:
            if a.next in ids:
                lines.append(f"    {ids[nid]} -->|{label(a.label)}| {ids[a.next]}")
        if node.next in ids:
            lines.append(f"    {ids[nid]} --> {ids[node.next or '']}")
    return "\n".join(lines)


def check_targets(tree: TreeView) -> Sequence[tuple[str, str]]:
    """(node id, check reference) for every step linked to a command block."""
    return [(n.id, n.check) for n in tree.nodes.values() if n.check]
