"""pymdownx.superfences custom fences: runbook blocks and decision trees.

Configured in `mkdocs.yml` (Zensical reads the same entries)::

    - pymdownx.superfences:
        custom_fences:
          - name: "*"
            class: highlight
            validator: !!python/name:runbookdocs.site.fences.validator
            format: !!python/name:runbookdocs.site.fences.formatter
          - name: decision-tree
            class: rb-tree
            validator: !!python/name:runbookdocs.site.fences.tree_validator
            format: !!python/name:runbookdocs.site.fences.tree_formatter

The `*` entry replaces superfences' default fence: every code block goes through `validator`,
which refuses unknown attributes (superfences would drop them silently) by raising
`SuperFencesException` with the page's `file:line:col`, and through `formatter`, which still
highlights with Pygments exactly like Material, then adds the block's title, target, id anchor,
verification badge and fillable `{{ variables }}`. Page-level facts (which file, its blocks, the
run report) come from `runbookdocs.site.extension`, which must be listed too.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pymdownx.superfences import SuperFencesException

from runbookdocs.block import ATTRIBUTES, HEADER_OPTIONS, Block
from runbookdocs.block import parse_header as _parse_header
from runbookdocs.document import PLACEHOLDER
from runbookdocs.results import Finding
from runbookdocs.site.report import BlockStatus, block_status
from runbookdocs.site.state import PageState, relative_url

STATE_ATTR = "_runbookdocs_page"
"""Attribute of the Markdown instance holding the current `PageState`."""


try:  # MkDocs reports a BuildError as a clean error (no traceback); Zensical needs no MkDocs.
    from mkdocs.exceptions import BuildError as _BuildError

    _BASES: tuple[type[Exception], ...] = (SuperFencesException, _BuildError)
except ImportError:  # pragma: no cover - MkDocs is in the same extra as superfences
    _BASES = (SuperFencesException,)


class SiteBuildError(*_BASES):  # type: ignore[misc]
    """A page the site would render wrongly: bad fence headers, duplicate ids, broken trees.

    Its message lists every problem of the page, compiler style (`path:line:col: error: ...`).
    It derives from `SuperFencesException` so that superfences lets it through its validators,
    and from MkDocs' `BuildError` so that `mkdocs build` stops with the message, no traceback.
    """

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = [f.render() for f in findings]
        super().__init__(f"runbookdocs: {len(findings)} problem(s) in fences\n" + "\n".join(lines))


def page_state(md: Any) -> PageState | None:
    """The `PageState` the extension attached to `md` for the current conversion."""
    state = getattr(md, STATE_ATTR, None)
    return state if isinstance(state, PageState) else None


def raise_problems(state: PageState | None) -> None:
    """Raise `SiteBuildError` once per page when the page has problems."""
    if state is not None and state.problems and not state.raised:
        state.raised = True
        raise SiteBuildError(sorted(state.problems, key=lambda f: f.location))


# --------------------------------------------------------------------------- code blocks


_HL_LINES = re.compile(r"^\s*\d+(\s*-\s*\d+)?(\s+\d+(\s*-\s*\d+)?)*\s*$")
_LINENUMS = re.compile(r"^\d+(\s+\d+(\s+\d+)?)?$")


def validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, str], md: Any
) -> bool:
    """Accept the runbook attributes of a fence header; raise on anything else.

    Highlight options (`title`, `linenums`, `hl_lines`) go to Pygments; runbook attributes are
    kept for the formatter and never reach the HTML as attributes.
    """
    state = page_state(md)
    raise_problems(state)
    if state is None or not state.problems:
        # Without a page (plain Markdown use) check the header as superfences read it.
        info = "{" + " ".join(f'{k}="{v}"' for k, v in inputs.items()) + "}"
        header = _parse_header(f"{language} {info}".strip())
        problems = [p.message for p in header.problems if not p.message.startswith("block id")]
        if problems:
            where = state.doc.path if state is not None else "<markdown>"
            raise SuperFencesException(f"{where}: ```{language} {info}: " + "; ".join(problems))
    runbook: dict[str, str] = {}
    for key, value in inputs.items():
        if key in HEADER_OPTIONS:
            if (key == "hl_lines" and not _HL_LINES.match(value)) or (
                key == "linenums" and not _LINENUMS.match(value)
            ):
                raise SuperFencesException(f"{key}={value!r} is not valid for pymdownx.highlight")
            options[key] = value
        elif key in ATTRIBUTES:
            runbook[key] = value
    options["_runbook"] = runbook
    return True


def formatter(
    src: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
) -> str:
    """Highlight a fence like Material, wrapped with the runbook block's header and badge."""
    state = page_state(md)
    raise_problems(state)
    runbook: dict[str, str] = dict(options.pop("_runbook", {}))
    block_id = kwargs.get("id_value") or None
    block = state.match(language, src, block_id) if state is not None else None
    if runbook.get("hidden") == "true" or (block is not None and block.hidden):
        # A comment, not "": Python-Markdown then drops the paragraph around the placeholder.
        return f"<!-- runbookdocs: hidden block{' #' + block_id if block_id else ''} -->"
    title = options.pop("title", None)
    variables, secrets = _page_placeholders(state)
    code = _highlight(src, language, options, md, kwargs, variables, secrets)
    shows_status = state is not None and block is not None and state.is_runbook and block.executable
    if not (block_id or title or runbook or shows_status):
        return code
    if block_id and state is not None:
        state.anchors.add(block_id)
    target = runbook.get("target") or (block.target if block is not None and shows_status else None)
    status = (
        block_status(block, state.doc.file, state.report)
        if shows_status and state is not None and block is not None
        else None
    )
    return _wrap(code, block_id, title, target, status, _secret_notes(src, secrets))


def _page_placeholders(state: PageState | None) -> tuple[dict[str, str], dict[str, str]]:
    if state is None:
        return {}, {}
    return state.variables(), dict(state.doc.front.secrets)


_SENTINEL = "RBVARq{}qRB"
_SENTINEL_RE = re.compile(r"RBVARq(\d+)qRB")


def _highlight(
    src: str,
    language: str,
    options: dict[str, Any],
    md: Any,
    kwargs: dict[str, Any],
    variables: dict[str, str],
    secrets: dict[str, str],
) -> str:
    """Pygments HTML of `src` through superfences' own highlighter, placeholders made live.

    Each `{{ name }}` is swapped for an alphanumeric sentinel before highlighting (lexers keep
    it in one token), then for a `<span>` the page's variables form fills in.
    """
    names: list[str] = []

    def swap(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in variables and name not in secrets:
            return m.group(0)
        names.append(name)
        return _SENTINEL.format(len(names) - 1)

    prepared = PLACEHOLDER.sub(swap, src)
    fenced = md.preprocessors["fenced_code_block"]

    def highlight(text: str) -> str:
        return str(
            fenced.highlight(
                src=text,
                language=language,
                options=options,
                md=md,
                classes=list(kwargs.get("classes") or []),
                id_value="",
                attrs={},
            )
        )

    code = highlight(prepared)
    if not names:
        return code
    found: set[int] = set()

    def live(m: re.Match[str]) -> str:
        index = int(m.group(1))
        if index >= len(names):
            return m.group(0)
        found.add(index)
        name = names[index]
        raw = "{{ " + name + " }}"
        if name in secrets:
            return (
                f'<span class="rb-secret" data-rb-secret="{name}" '
                f'title="secret : jamais rempli par le site">{html.escape(raw)}</span>'
            )
        return f'<span class="rb-var" data-rb-var="{name}">{html.escape(raw)}</span>'

    code = _SENTINEL_RE.sub(live, code)
    if len(found) != len(names):  # a lexer split a sentinel: fall back to the source as written
        code = highlight(src)
    return code


def _secret_notes(src: str, secrets: dict[str, str]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for m in PLACEHOLDER.finditer(src):
        name = m.group("name")
        if name in secrets and all(n != name for n, _ in seen):
            seen.append((name, secrets[name]))
    return seen


LOCK = (
    '<svg class="rb-lock" aria-hidden="true" viewBox="0 0 24 24" width="1em" height="1em">'
    '<path fill="currentColor" d="M12 17a2 2 0 0 0 2-2 2 2 0 0 0-2-2 2 2 0 0 0-2 2 2 2 0 0 0 2 2'
    "m6-9a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V10a2 2 0 0 1 2-2h1V6a5 5 0 0 1 5-5 5 5 0"
    ' 0 1 5 5v2h1m-6-5a3 3 0 0 0-3 3v2h6V6a3 3 0 0 0-3-3Z"/></svg>'
)
"""A lock icon (Material Design Icons' `lock`, inline: no emoji font is needed)."""

_STATE_CLASS = {
    "verified": "verified",
    "failing": "failing",
    "not-run": "not-run",
    "unverified": "unverified",
}


def badge(status: BlockStatus) -> str:
    """The badge of a block: `<span class="rb-badge rb-badge--STATE">`."""
    detail = html.escape(status.detail, quote=True)
    label = html.escape(status.label)
    if status.state == "verified" and status.duration_s is not None:
        from runbookdocs.site.report import french_duration

        label += f' <span class="rb-badge__duration">· {french_duration(status.duration_s)}</span>'
    elif status.state == "not-run" and status.detail:
        label += f' <span class="rb-badge__reason">· {html.escape(status.detail)}</span>'
    return (
        f'<span class="rb-badge rb-badge--{_STATE_CLASS[status.state]}" '
        f'data-rb-state="{status.state}" title="{detail}">{label}</span>'
    )


def _wrap(
    code: str,
    block_id: str | None,
    title: str | None,
    target: str | None,
    status: BlockStatus | None,
    secrets: list[tuple[str, str]],
) -> str:
    head: list[str] = []
    if title:
        head.append(f'<span class="rb-block__title">{html.escape(title)}</span>')
    if target:
        head.append(
            f'<span class="rb-block__target" title="cible d’exécution">'
            f"cible : <code>{html.escape(target)}</code></span>"
        )
    if status is not None:
        head.append(badge(status))
    if block_id:
        head.append(
            f'<a class="rb-block__anchor" href="#{html.escape(block_id)}" '
            f'title="lien vers ce bloc">#{html.escape(block_id)}</a>'
        )
    state = f" rb-block--{status.state}" if status is not None else ""
    ident = f' id="{html.escape(block_id)}"' if block_id else ""
    parts = [
        f'<div class="rb-block{state}"{ident}>',
        f'<div class="rb-block__head">{"".join(head)}</div>',
        code,
    ]
    for name, description in secrets:
        note = f" ({html.escape(description)})" if description else ""
        parts.append(
            f'<p class="rb-block__secret">{LOCK} '
            f"<code>{{{{ {html.escape(name)} }}}}</code>{note} : secret, jamais rempli par le "
            "site ; remplacez-le vous-même au moment d’exécuter la commande.</p>"
        )
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------- decision trees


def tree_validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, str], md: Any
) -> bool:
    """Accept a decision-tree fence; the page's tree problems are raised with file:line."""
    del language, attrs
    raise_problems(page_state(md))
    unknown = [k for k in inputs if k not in ("title",)]
    if unknown:
        raise SuperFencesException(f"decision-tree fence: unknown attribute(s) {unknown}")
    options["_runbook"] = dict(inputs)
    return True


def tree_formatter(
    src: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
) -> str:
    """Render a decision tree: walker mount point and data, static lists, Mermaid overview."""
    from runbookdocs.site import trees

    del class_name
    state = page_state(md)
    raise_problems(state)
    options.pop("_runbook", None)
    block_id = kwargs.get("id_value") or None
    block = state.match(language, src, block_id) if state is not None else None
    if block is None:
        block = _loose_block(src, state)
    tree, findings = trees.load_tree(block)
    if tree is None:
        raise SiteBuildError(findings or [])
    tree_id = block_id or (state.next_id("arbre") if state is not None else "arbre")
    checks = {nid: _check_link(ref, state) for nid, ref in trees.check_targets(tree)}
    if state is not None:
        state.anchors.add(tree_id)
        state.anchors.update(trees.node_anchor(tree_id, nid) for nid in tree.nodes)
    return trees.render_tree(tree, tree_id, _inline(md), checks)


def _loose_block(src: str, state: PageState | None) -> Block:
    path = state.doc.path if state is not None else "<markdown>"
    lines = src.count("\n") + 1
    return Block(
        path=path,
        line=1,
        end_line=lines + 1,
        lang="decision-tree",
        info="decision-tree",
        source=src,
        source_lines=tuple(range(2, lines + 2)),
    )


def _inline(md: Any) -> Any:
    """A renderer of short Markdown texts (tree steps) to inline HTML."""
    import markdown

    inner = markdown.Markdown(extensions=["attr_list", "pymdownx.inlinehilite"])
    del md

    def render(text: str) -> str:
        out = inner.reset().convert(text)
        return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)

    return render


def _check_link(ref: str, state: PageState | None) -> Any:
    from runbookdocs.site.trees import CheckLink

    path, _, anchor = ref.partition("#")
    href = relative_url(state.context if state is not None else None, ref)
    label = f"#{anchor}" if not path else f"{path}#{anchor}"
    if state is None:
        return CheckLink(href, label, "unverified", "non vérifié")
    block: Block | None = None
    file = state.doc.file
    if not path:
        block = next((b for b in state.doc.blocks if b.id == anchor), None)
    elif state.config is not None:
        from runbookdocs.document import read_document

        other = (state.doc.file.parent / path).resolve()
        if other.is_file():
            doc = read_document(other, state.config)
            file = other
            block = next((b for b in doc.blocks if b.id == anchor), None)
    if block is None:
        return CheckLink(href, label, "unverified", "bloc introuvable")
    status = block_status(block, file, state.report)
    return CheckLink(
        href,
        label,
        status.state,
        status.label,
        status.detail,
        local_id=anchor if not path else None,
    )
