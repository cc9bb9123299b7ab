"""Decision trees on the site: a static version, an overview diagram and the walker's data.

The tree is `runbookdocs.decision_tree.Tree`, the model `runbookdocs check` validates. The HTML
has three parts:

- the static version: nested lists, one item per step with an anchor `TREE--NODE`, readable and
  searchable without JavaScript;
- the data the walker (`assets/runbookdocs.js`) reads: JSON in the `data-rb-data` attribute,
  with the walker's texts in the page's language;
- an overview diagram as Mermaid source in `pre.rb-mermaid`, drawn by the walker script with the
  vendored Mermaid (never the theme's integration, which would fetch Mermaid from a CDN).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from runbookdocs.decision_tree import Tree, node_anchor
from runbookdocs.i18n import Catalog

TEXTS = Catalog(
    "site.trees",
    {
        "tree": {"en": "Decision tree", "fr": "Arbre de décision"},
        "static": {"en": "Whole tree (text version)", "fr": "Arbre complet (version texte)"},
        "overview": {"en": "Overview (diagram)", "fr": "Vue d’ensemble (schéma)"},
        "question": {"en": "Question", "fr": "Question"},
        "action": {"en": "Action", "fr": "Action"},
        "solution": {"en": "Solution", "fr": "Solution"},
        "escalate": {"en": "Escalate", "fr": "Escalade"},
        "unknown-step": {"en": "unknown step “{id}”", "fr": "étape inconnue « {id} »"},
        "see-step": {"en": "see the step “{text}”", "fr": "voir l’étape « {text} »"},
        "run": {"en": "Command to run:", "fr": "Commande à lancer :"},
        "contact": {"en": "Contact: {contact}", "fr": "Contact : {contact}"},
        "max-visits": {"en": "at most {n} passes", "fr": "au plus {n} passages"},
        "match": {
            "en": "(a message containing {pattern})",
            "fr": "(message contenant {pattern})",
        },
        # The walker's texts (assets/runbookdocs.js), sent with each tree's data.
        "trail": {"en": "Steps taken", "fr": "Étapes parcourues"},
        "step": {"en": "Step {n} · {kind}", "fr": "Étape {n} · {kind}"},
        "answers": {"en": "Answers", "fr": "Réponses"},
        "loop": {"en": "Loop stopped", "fr": "Boucle interrompue"},
        "loop-text": {
            "en": "This step has been taken {n} times without solving the problem: escalate "
            "the incident.",
            "fr": "Cette étape a déjà été parcourue {n} fois sans résoudre le problème : "
            "escaladez l’incident.",
        },
        "paste": {
            "en": "… or paste the error message to choose the answer:",
            "fr": "… ou collez le message d’erreur pour choisir la réponse :",
        },
        "paste-placeholder": {
            "en": "Paste the error message you got here…",
            "fr": "Collez ici le message d’erreur obtenu…",
        },
        "pasted": {
            "en": "{label} (from the pasted message)",
            "fr": "{label} (d’après le message collé)",
        },
        "no-match": {
            "en": "No answer matches this message: choose one.",
            "fr": "Aucune réponse ne correspond à ce message : choisissez-en une.",
        },
        "done": {"en": "Done: next step", "fr": "C’est fait : étape suivante"},
        "done-trail": {"en": "done", "fr": "fait"},
        "back": {"en": "← Previous step", "fr": "← Étape précédente"},
        "restart": {"en": "↺ Start again", "fr": "↺ Recommencer"},
        "link": {"en": "Link to this step", "fr": "Lien vers cette étape"},
        "link-title": {
            "en": "Address to share: opens the tree at this step",
            "fr": "Adresse à partager : ouvre l’arbre à cette étape",
        },
    },
)

_WALKER_KEYS = (
    "run",
    "contact",
    "trail",
    "step",
    "answers",
    "loop",
    "loop-text",
    "paste",
    "paste-placeholder",
    "pasted",
    "no-match",
    "done",
    "done-trail",
    "back",
    "restart",
    "link",
    "link-title",
    "question",
    "action",
    "solution",
    "escalate",
)


def walker_texts(lang: str) -> dict[str, str]:
    """The walker's texts in `lang`, `{field}` templates left for the script to fill."""
    return {key: TEXTS.messages[key].get(lang) or TEXTS.messages[key]["en"] for key in _WALKER_KEYS}


class CheckLink(NamedTuple):
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
    command: str = ""
    """The block's text with the variables' values, for the text version and print."""


def render_tree(
    tree: Tree,
    tree_id: str,
    inline: Callable[[str], str],
    checks: Mapping[str, CheckLink],
    lang: str,
    contact: str | None = None,
) -> str:
    """The whole HTML of a tree: walker mount point, data, static version, overview.

    Args:
        tree: the tree to render.
        tree_id: the tree's anchor on the page.
        inline: renders a short Markdown text to inline HTML.
        checks: node id -> its resolved `check` link.
        lang: the page's language.
        contact: who escalation leaves name (Markdown: the page's `escalation`, else `owner`).
    """
    t = TEXTS.for_language(lang)
    data = {
        "id": tree_id,
        "title": tree.title or "",
        "start": tree.start,
        "contact": inline(contact) if contact else "",
        "texts": walker_texts(t.lang),
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
    title = html.escape(tree.title) if tree.title else t("tree")
    parts = [
        f'<div class="rb-tree" id="{tree_id}" data-rb-tree="{tree_id}" data-rb-data="{payload}">',
        f'<p class="rb-tree__title"><span class="rb-tree__kind">{t("tree")}</span> {title}</p>',
        '<div class="rb-tree__walker" hidden></div>',
        f'<details class="rb-tree__static abstract" open><summary>{t("static")}</summary>',
        render_static(tree, tree_id, inline, checks, lang, contact),
        "</details>",
        # The overview repeats the static version's text: searched once is enough.
        f'<details class="rb-tree__overview info" open data-search-exclude>'
        f"<summary>{t('overview')}</summary>",
        f'<pre class="rb-mermaid"><code>{html.escape(mermaid(tree))}</code></pre>',
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
        "command": link.command,
    }


def render_static(
    tree: Tree,
    tree_id: str,
    inline: Callable[[str], str],
    checks: Mapping[str, CheckLink],
    lang: str,
    contact: str | None = None,
) -> str:
    """Nested lists from the start node; a step met again links back to where it is shown."""
    t = TEXTS.for_language(lang)
    shown: set[str] = set()
    out: list[str] = []

    def emit(nid: str, depth: int) -> None:
        node = tree.node(nid)
        if node is None:
            out.append(f"<li>{html.escape(t('unknown-step', id=nid))}</li>")
            return
        anchor = node_anchor(tree_id, nid)
        if nid in shown or depth > 60:
            see = t("see-step", text=_plain(node.text, 80))
            out.append(
                f'<li class="rb-step rb-step--ref"><a href="#{anchor}">{html.escape(see)}</a></li>'
            )
            return
        shown.add(nid)
        out.append(
            f'<li class="rb-step rb-step--{node.kind}" id="{anchor}" '
            f'data-rb-node="{html.escape(nid)}">'
        )
        out.append(
            f'<span class="rb-step__kind">{t(node.kind)}</span> '
            f'<span class="rb-step__text">{inline(node.text)}</span>'
        )
        if node.help:
            out.append(f'<div class="rb-step__help">{inline(node.help)}</div>')
        if node.kind == "escalate" and contact:
            who = t("contact", contact=inline(contact))
            out.append(f'<div class="rb-step__contact">{who}</div>')
        link = checks.get(nid)
        if link is not None:
            out.append(
                f'<div class="rb-step__check">{t("run")} '
                f'<a href="{html.escape(link.href)}">{html.escape(link.label)}</a> '
                f'<span class="rb-badge rb-badge--{link.state}" data-rb-state="{link.state}" '
                "data-search-exclude "
                f'title="{html.escape(link.detail)}">{html.escape(link.status)}</span>'
            )
            if link.command:  # on paper and without JavaScript the block is not at hand
                out.append(
                    '<pre class="rb-step__command" data-search-exclude><code>'
                    f"{html.escape(link.command)}</code></pre>"
                )
            out.append("</div>")
        if node.max_visits:
            out.append(f'<div class="rb-step__note">{t("max-visits", n=node.max_visits)}</div>')
        if node.answers:
            out.append('<ul class="rb-answers">')
            for a in node.answers:
                out.append(
                    f'<li class="rb-answer"><span class="rb-answer__label">'
                    f"{html.escape(a.label)}</span>"
                )
                if a.match:
                    pattern = f"<code>{html.escape(a.match)}</code>"
                    out.append(
                        f' <span class="rb-answer__match">{t("match", pattern=pattern)}</span>'
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


def mermaid(tree: Tree) -> str:
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
