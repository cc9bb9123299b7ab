"""pymdownx.superfences custom fences: runbook blocks and decision trees.

The Markdown extension (`runbookdocs.site.extension`) registers them with superfences by itself
(`register`), so a site only lists the extension (or, under MkDocs, the plugin, which lists the
extension). Naming them in `mkdocs.yml` still works and is what older set-ups do::

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

The `*` fence replaces superfences' default fence: every code block goes through `validator`,
which keeps runbook attributes away from the HTML, and `formatter`, which still highlights with
Pygments exactly like Material, then adds the block's title, target, id anchor, verification
badge and fillable `{{ variables }}`. Page-level facts (which file, its blocks and findings, the
run report) come from the extension's `PageState`.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from typing import Any

from pymdownx.superfences import SuperFencesException

from runbookdocs.block import (
    ATTRIBUTES,
    HEADER_OPTIONS,
    HTML_DATA_PREFIX,
    KINDS,
    Block,
    danger_of,
    parse_header,
)
from runbookdocs.document import PLACEHOLDER
from runbookdocs.i18n import Catalog
from runbookdocs.patterns import lazy
from runbookdocs.results import Finding
from runbookdocs.site.dates import format_duration
from runbookdocs.site.report import BlockStatus, block_status
from runbookdocs.site.state import PageState, relative_url

STATE_ATTR = "_runbookdocs_page"
"""Attribute of the Markdown instance holding the current `PageState`."""

TEXTS = Catalog(
    "site.fences",
    {
        "target": {"en": "target:", "fr": "cible :"},
        "target-title": {"en": "where the block runs", "fr": "cible d’exécution"},
        "anchor-title": {"en": "link to this block", "fr": "lien vers ce bloc"},
        "secret-title": {
            "en": "secret: never filled in by the site",
            "fr": "secret : jamais rempli par le site",
        },
        "secret-note": {
            "en": "{name}{description}: a secret, never filled in by the site; put it in "
            "yourself when you run the command.",
            "fr": "{name}{description} : secret, jamais rempli par le site ; remplacez-le "
            "vous-même au moment d’exécuter la commande.",
        },
        "block-not-found": {"en": "block not found", "fr": "bloc introuvable"},
        # Destructive steps (`danger=`): the badge, and the confirmation before copying.
        "danger": {"en": "destructive: {what}", "fr": "destructif : {what}"},
        "danger-bare": {"en": "destructive", "fr": "destructif"},
        "danger-title": {
            "en": "this step destroys data: the copy button asks first",
            "fr": "cette étape détruit des données : le bouton de copie demande d’abord",
        },
        "danger-ask": {
            "en": "This command is destructive: {what}. Copy it anyway?",
            "fr": "Cette commande est destructive : {what}. La copier quand même ?",
        },
        "danger-ask-bare": {
            "en": "This command is destructive. Copy it anyway?",
            "fr": "Cette commande est destructive. La copier quand même ?",
        },
        "danger-yes": {"en": "Copy anyway", "fr": "Copier quand même"},
        "danger-no": {"en": "Cancel", "fr": "Annuler"},
        # wording (#17): changed variables, set-up files
        "verified-defaults": {
            "en": "verified with the default values",
            "fr": "vérifié avec les valeurs par défaut",
        },
        "verified-defaults-title": {
            "en": "The last run used the page's default values; the values you entered were "
            "not run.",
            "fr": "La dernière exécution a utilisé les valeurs par défaut de la page ; les "
            "valeurs que vous avez saisies n’ont pas été exécutées.",
        },
        "setup-file": {
            "en": "Needs {path}, written by a set-up step this page does not show{source}.",
            "fr": "Nécessite {path}, écrit par une étape de préparation que la page n’affiche "
            "pas{source}.",
        },
        "setup-file-source": {
            "en": "; its content: {source} in the documentation’s repository",
            "fr": " ; son contenu : {source} dans le dépôt de la documentation",
        },
        "setup-file-block": {
            "en": " (block #{id} of the page’s source)",
            "fr": " (bloc #{id} de la source de la page)",
        },
    },
)


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


class SiteSetupError(*_BASES):  # type: ignore[misc]
    """The site is not set up for runbookdocs (Zensical without `runbookdocs site prepare`,
    a report that changed since): the message says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(f"runbookdocs: {message}")


def page_state(md: Any) -> PageState | None:
    """The `PageState` the extension attached to `md` for the current conversion."""
    state = getattr(md, STATE_ATTR, None)
    return state if isinstance(state, PageState) else None


# --------------------------------------------------------------------------- registration

FORMATTERS = {
    "*": "runbookdocs.site.fences.formatter",
    "decision-tree": "runbookdocs.site.fences.tree_formatter",
}
"""The custom fences runbookdocs needs, by name, and the formatter each must have."""


def register(md: Any) -> list[str]:
    """Give superfences (when `md` has it) runbookdocs' custom fences, unless configured.

    Fences the configuration names with runbookdocs' formatters are kept as they are; a fence
    of the same name with another formatter is left alone (the site's configuration wins).

    Returns:
        The names of the fences another formatter holds (badges or trees will not show).
    """
    from pymdownx.superfences import SuperFencesCodeExtension

    ext = next(
        (
            e
            for e in getattr(md, "registeredExtensions", [])
            if isinstance(e, SuperFencesCodeExtension)
        ),
        None,
    )
    if ext is None or not ext.superfences:
        return []
    taken: list[str] = []
    # Superfences keeps its default fence (named "superfences") or a configured "*" fence first:
    # `extend_super_fences("*", ...)` replaces the default, never a configured one.
    for name, (fmt, check, class_name) in _FENCES.items():
        entries = [e for e in ext.superfences if e.get("name") == name]
        if not entries:
            ext.extend_super_fences(name, _formatter(fmt, class_name), _validator(check), None)
        elif _dotted(entries[-1].get("formatter")) != FORMATTERS[name]:
            taken.append(name)
    return taken


def _dotted(formatter: Any) -> str:
    # Fences configured in mkdocs.yml reach superfences wrapped in a partial whose `_fmt` is the
    # configured function; ours registered here carry the name of the function they call.
    target = getattr(formatter, "runbookdocs_formatter", None)
    if target is None:
        keywords = getattr(formatter, "keywords", None)
        target = keywords.get("_fmt") if isinstance(keywords, dict) else formatter
    module, name = getattr(target, "__module__", ""), getattr(target, "__qualname__", "")
    return f"{module}.{name}"


def narrow(markup: str) -> str:
    """`markup` (HTML) with the characters beyond Latin-1 written as character references.

    Python stores a string in 1, 2 or 4 bytes per character, as its widest character needs. A
    page written in English or French is mostly 1 byte per character; one `’` or `🖨` in the
    HTML runbookdocs adds would widen the page's text, and every later pass of the build
    (Markdown, the theme, the search index, the UTF-8 file) would copy and scan it wider. The
    browser and the search indexer read `&#8217;` as `’`: the page is the same.
    """
    if markup.isascii():
        return markup
    return markup.encode("latin-1", "xmlcharrefreplace").decode("latin-1")


def _formatter(fmt: Callable[..., str], class_name: str) -> Callable[..., str]:
    def format_fence(
        src: str = "", language: str = "", options: Any = None, md: Any = None, **kwargs: Any
    ) -> str:
        return narrow(fmt(src, language, class_name, options, md, **kwargs))

    format_fence.runbookdocs_formatter = fmt  # type: ignore[attr-defined]
    return format_fence


def _validator(check: Callable[..., bool]) -> Callable[..., bool]:
    def validate(
        language: str,
        inputs: dict[str, str],
        options: dict[str, Any],
        attrs: dict[str, str],
        md: Any,
    ) -> bool:
        # Superfences reads the highlight settings before it runs a configured validator; the
        # formatter highlights with them.
        md.preprocessors["fenced_code_block"].get_hl_settings()
        return check(language, inputs, options, attrs, md)

    return validate


# --------------------------------------------------------------------------- code blocks


_HL_LINES = r"^\s*\d+(\s*-\s*\d+)?(\s+\d+(\s*-\s*\d+)?)*\s*$"
_LINENUMS = lazy(r"^\d+(\s+\d+(\s+\d+)?)?$")


def validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, str], md: Any
) -> bool:
    """Accept the runbook attributes of a fence header; raise on anything else.

    With the extension, the page's header problems were found when runbookdocs read the page
    (and failed the page before superfences ran). Without it (the fences used alone), the
    header superfences read is checked here.

    Highlight options (`title`, `linenums`, `hl_lines`) go to Pygments; runbook attributes are
    kept for the formatter and never reach the HTML as attributes. With attr_list on, `data-*`
    attributes are the site's own HTML (a copy script reading `data-prompt`): they reach the
    block as superfences' own validator passes them.
    """
    html_attributes = "attr_list" in md.treeprocessors
    if page_state(md) is None:
        # Bare words (pytest-markdown-docs' `notest`, `fixture:x`) reach validators without a
        # value: they are written back bare, as the page has them.
        info = "{" + " ".join(k if v is None else f'{k}="{v}"' for k, v in inputs.items()) + "}"
        problems = parse_header(
            f"{language} {info}".strip(), html_attributes=html_attributes
        ).problems
        if problems:
            raise SuperFencesException(
                f"<markdown>: ```{language} {info}: " + "; ".join(p.message for p in problems)
            )
    runbook: dict[str, str] = {}
    for key, value in inputs.items():
        if key in HEADER_OPTIONS:
            if (key == "hl_lines" and not re.match(_HL_LINES, value)) or (
                key == "linenums" and not _LINENUMS.match(value)
            ):
                raise SuperFencesException(f"{key}={value!r} is not valid for pymdownx.highlight")
            options[key] = value
        elif key in ATTRIBUTES:
            runbook[key] = value
        elif html_attributes and key.startswith(HTML_DATA_PREFIX):
            attrs[key] = value
    options["_runbook"] = runbook
    return True


def formatter(
    src: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
) -> str:
    """Highlight a fence like Material, wrapped with the runbook block's header and badge."""
    del class_name
    state = page_state(md)
    runbook: dict[str, str] = dict(options.pop("_runbook", {}))
    block_id = kwargs.get("id_value") or None
    block = state.match(language, src, block_id) if state is not None else None
    if runbook.get("hidden") == "true" or (block is not None and block.hidden):
        # A comment, not "": Python-Markdown then drops the paragraph around the placeholder.
        return f"<!-- runbookdocs: hidden block{' #' + block_id if block_id else ''} -->"
    title = options.pop("title", None)
    lang = state.lang if state is not None else "en"
    variables = state.variables() if state is not None else {}
    secrets = dict(state.doc.front.secrets) if state is not None else {}
    code = _highlight(src, language, options, md, kwargs, variables, secrets, lang)
    if (block is not None and block.kind == "console") or language.lower() in _CONSOLE:
        from runbookdocs.site.transcripts import mark

        code = mark(code, src, lang)
    shows_status = state is not None and block is not None and state.is_runbook and block.executable
    if not (block_id or title or runbook or shows_status):
        return code
    if block_id and state is not None:
        state.anchors.add(block_id)
    # The page's default target is in its banner: a block shows the target it names itself.
    target = runbook.get("target")
    status = (
        state.status(block) if shows_status and state is not None and block is not None else None
    )
    danger = block.danger if block is not None else danger_of(runbook)
    notes = _setup_notes(state, block) if shows_status and state is not None else []
    return _wrap(
        code,
        block_id,
        title,
        target,
        status,
        _secret_notes(src, secrets),
        lang,
        notes,
        danger=danger,
    )


def _setup_notes(state: PageState, block: Block | None) -> list[str]:
    """Where the files a command needs from hidden set-up blocks come from (`setupfiles`)."""
    if block is None:
        return []
    files = state.setup_files()
    if not files:
        return []
    from runbookdocs.site.setupfiles import needed_by

    t = TEXTS.for_language(state.lang)
    base = state.context.settings.source_url if state.context and state.context.settings else ""
    notes = []
    for f in needed_by(block, files):
        if f.source:
            shown = f"<code>{html.escape(f.source)}</code>"
            if base:
                href = html.escape(base + f.source.lstrip("/"), quote=True)
                shown = f'<a href="{href}">{shown}</a>'
            source = t("setup-file-source", source=shown)
        elif f.block.id:
            source = t("setup-file-block", id=html.escape(f.block.id))
        else:
            source = ""
        notes.append(t("setup-file", path=f"<code>{html.escape(f.path)}</code>", source=source))
    return notes


_CONSOLE = frozenset(k for k, v in KINDS.items() if v == "console")

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
    lang: str,
) -> str:
    """Pygments HTML of `src` through superfences' own highlighter, placeholders made live.

    Each `{{ name }}` is swapped for an alphanumeric sentinel before highlighting (lexers keep
    it in one token), then for a `<span>` holding the value (readable without JavaScript)
    that the page's variables form changes.
    """
    names: list[str] = []

    def swap(m: re.Match[str]) -> str:
        name = m.group("name")
        if name not in variables and name not in secrets:
            return m.group(0)
        names.append(name)
        return _SENTINEL.format(len(names) - 1)

    prepared = PLACEHOLDER.sub(swap, src) if "{{" in src else src
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
                attrs=dict(kwargs.get("attrs") or {}),
            )
        )

    code = highlight(prepared)
    if not names:
        return code
    found: set[int] = set()
    secret_title = html.escape(TEXTS.text(lang, "secret-title"), quote=True)

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
                f'title="{secret_title}">{html.escape(raw)}</span>'
            )
        value = variables.get(name)
        if value:  # readable without JavaScript: the value the page was verified with
            return (
                f'<span class="rb-var rb-var--filled" data-rb-var="{name}">'
                f"{html.escape(str(value))}</span>"
            )
        return f'<span class="rb-var" data-rb-var="{name}">{html.escape(raw)}</span>'

    code = _SENTINEL_RE.sub(live, code)
    if len(found) != len(names):  # a lexer split a sentinel: fall back to the source as written
        code = highlight(src)
    return code


def _secret_notes(src: str, secrets: dict[str, str]) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    if not secrets or "{{" not in src:
        return seen
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


def badge(status: BlockStatus, lang: str) -> str:
    """The badge of a block: `<span class="rb-badge rb-badge--STATE">`."""
    detail = html.escape(status.detail, quote=True)
    label = html.escape(status.label)
    if status.state == "verified" and status.duration_s is not None:
        duration = format_duration(lang, status.duration_s)
        label += f' <span class="rb-badge__duration">· {duration}</span>'
    elif status.state == "not-run" and status.detail:
        label += f' <span class="rb-badge__reason">· {html.escape(status.detail)}</span>'
    return (
        f'<span class="rb-badge rb-badge--{status.state}" '
        f'data-rb-state="{status.state}" title="{detail}">{label}</span>'
    )


def _wrap(
    code: str,
    block_id: str | None,
    title: str | None,
    target: str | None,
    status: BlockStatus | None,
    secrets: list[tuple[str, str]],
    lang: str,
    notes: list[str] | None = None,
    *,
    danger: str | None = None,
) -> str:
    t = TEXTS.for_language(lang)
    head: list[str] = []
    if title:
        head.append(f'<span class="rb-block__title">{html.escape(title)}</span>')
    if danger is not None:
        head.append(_danger_badge(danger, lang))
    if target:
        head.append(
            f'<span class="rb-block__target" title="{t("target-title")}">'
            f"{t('target')} <code>{html.escape(target)}</code></span>"
        )
    if status is not None:
        shown = badge(status, lang)
        if status.state == "verified" and 'data-rb-var="' in code:
            # What the badge says once the reader changes a variable the block uses (the
            # script swaps it in): the run used the defaults, not the reader's values.
            label = html.escape(t("verified-defaults"), quote=True)
            title = html.escape(t("verified-defaults-title"), quote=True)
            # At the end of the opening tag (its attribute values are escaped: no `>` inside).
            shown = shown.replace(
                ">", f' data-rb-defaults="{label}" data-rb-defaults-title="{title}">', 1
            )
        head.append(shown)
    if block_id:
        head.append(
            f'<a class="rb-block__anchor" href="#{html.escape(block_id)}" '
            f'title="{t("anchor-title")}">#{html.escape(block_id)}</a>'
        )
    state = f" rb-block--{status.state}" if status is not None else ""
    ident = f' id="{html.escape(block_id)}"' if block_id else ""
    if danger is not None:
        state += " rb-block--danger"
        ident += _danger_data(danger, lang)
    parts = [
        f'<div class="rb-block{state}"{ident}>',
        # Status chrome, not content: kept out of the search index (Material's and Zensical's
        # search skip `data-search-exclude`), which also spares the indexer's time.
        f'<div class="rb-block__head" data-search-exclude>{"".join(head)}</div>',
        code,
    ]
    for name, description in secrets:
        note = t(
            "secret-note",
            name=f"<code>{{{{ {html.escape(name)} }}}}</code>",
            description=f" ({html.escape(description)})" if description else "",
        )
        parts.append(f'<p class="rb-block__secret" data-search-exclude>{LOCK} {note}</p>')
    for note in notes or ():
        parts.append(f'<p class="rb-block__setup" data-search-exclude>{note}</p>')
    parts.append("</div>")
    return "".join(parts)


def _danger_badge(danger: str, lang: str) -> str:
    """The badge of a destructive step: a word and what it destroys, never colour alone."""
    t = TEXTS.for_language(lang)
    label = t("danger-bare") if danger == "true" else t("danger", what=html.escape(danger))
    return (
        f'<span class="rb-badge rb-badge--danger" data-rb-danger-badge '
        f'title="{html.escape(t("danger-title"), quote=True)}">{label}</span>'
    )


def _danger_data(danger: str, lang: str) -> str:
    """The block's `data-rb-danger*` attributes: the script's confirmation, in the page's
    language (the script carries no texts of its own)."""
    t = TEXTS.for_language(lang)
    ask = t("danger-ask-bare") if danger == "true" else t("danger-ask", what=danger)
    values = {
        "data-rb-danger": "" if danger == "true" else danger,
        "data-rb-danger-ask": ask,
        "data-rb-danger-yes": t("danger-yes"),
        "data-rb-danger-no": t("danger-no"),
    }
    return "".join(f' {k}="{html.escape(v, quote=True)}"' for k, v in values.items())


# --------------------------------------------------------------------------- decision trees


def tree_validator(
    language: str, inputs: dict[str, str], options: dict[str, Any], attrs: dict[str, str], md: Any
) -> bool:
    """Accept a decision-tree fence (a `title` at most)."""
    del language, attrs, md
    unknown = [k for k in inputs if k not in ("title",)]
    if unknown:
        raise SuperFencesException(f"decision-tree fence: unknown attribute(s) {unknown}")
    options["_runbook"] = dict(inputs)
    return True


def tree_formatter(
    src: str, language: str, class_name: str, options: dict[str, Any], md: Any, **kwargs: Any
) -> str:
    """Render a decision tree: walker mount point and data, static lists, overview."""
    from runbookdocs.decision_tree import node_anchor
    from runbookdocs.site import trees

    del class_name
    state = page_state(md)
    options.pop("_runbook", None)
    block_id = kwargs.get("id_value") or None
    block = state.match(language, src, block_id) if state is not None else None
    if block is None:
        block = _loose_block(src, state)
    if state is not None:
        tree, errors = state.tree(block)
    else:
        from runbookdocs.decision_tree import parse_tree

        tree, findings = parse_tree(block)
        errors = [f for f in findings if f.severity == "error"]
    if tree is None:
        raise SiteBuildError(errors)
    tree_id = block_id or (state.next_id("arbre") if state is not None else "arbre")
    checks = {node.id: _check_link(ref, state) for node, ref in tree.checks()}
    if state is not None:
        state.anchors.add(tree_id)
        state.anchors.update(node_anchor(tree_id, nid) for nid in tree.nodes)
    lang = state.lang if state is not None else "en"
    front = state.doc.front if state is not None else None
    contact = (front.escalation or front.owner) if front is not None else None
    return trees.render_tree(tree, tree_id, _site_inline(state), checks, lang, contact)


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


_INLINE = threading.local()


_PLAIN_TEXT = re.compile(r"[^\W\d_](?:[^\W_]|[ ,;:?!'’()/%=@«»—–.-])*\Z")
"""Text Markdown leaves as it is: a letter first (no list, heading or quote), then words and
punctuation that mark nothing up (no `*_`[]<>&{}\\`, no line break)."""


def _inline(text: str) -> str:
    """A short Markdown text (a tree step) as inline HTML, with one converter per thread."""
    if _PLAIN_TEXT.match(text):  # most tree labels: no Markdown pass needed
        return text
    md = getattr(_INLINE, "md", None)
    if md is None:
        import markdown

        md = _INLINE.md = markdown.Markdown(extensions=["attr_list", "pymdownx.inlinehilite"])
    out = str(md.reset().convert(text))
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


_PAGE_HREF = re.compile(r'href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"]*?\.md(?:#[^"]*)?)"')


def _site_inline(state: PageState | None) -> Callable[[str], str]:
    """`_inline` with links to pages (`other.md#id`) turned into the site's URLs: a tree's
    HTML is kept from the builder, which would rewrite them in the page's own text."""
    if state is None:
        return _inline

    def inline(text: str) -> str:
        return _PAGE_HREF.sub(
            lambda m: (
                'href="' + html.escape(relative_url(state.context, html.unescape(m.group(1)))) + '"'
            ),
            _inline(text),
        )

    return inline


def _check_link(ref: str, state: PageState | None) -> Any:
    from runbookdocs.site.trees import CheckLink

    path, _, anchor = ref.partition("#")
    href = relative_url(state.context if state is not None else None, ref)
    label = f"#{anchor}" if not path else f"{path}#{anchor}"
    lang = state.lang if state is not None else "en"
    if state is None:
        from runbookdocs.site.report import TEXTS as STATUS

        unverified = STATUS.text(lang, "unverified")
        return CheckLink(href, label, "unverified", unverified)
    block, file = state.block(ref)
    if block is None or file is None:
        return CheckLink(href, label, "unverified", TEXTS.text(lang, "block-not-found"))
    status = (
        state.status(block)
        if file == state.doc.file
        else block_status(block, file, state.report, lang)
    )
    return CheckLink(
        href,
        label,
        status.state,
        status.label,
        status.detail,
        local_id=anchor if not path else None,
        command=_command_text(block, file, state),
    )


def _command_text(block: Block, file: Any, state: PageState) -> str:
    """The block's text with its page's variable values (secrets stay placeholders): what the
    step shows where the block itself is not at hand (text version, print, another page)."""
    if file == state.doc.file:
        values = state.variables()
    elif state.config is not None:
        from runbookdocs.site.state import load_document
        from runbookdocs.variables import variable_values

        values = variable_values(load_document(file, state.config), state.config)
    else:
        values = {}
    return PLACEHOLDER.sub(lambda m: values.get(m.group("name"), m.group(0)), block.source)


_FENCES: dict[str, tuple[Callable[..., str], Callable[..., bool], str]] = {
    "*": (formatter, validator, "highlight"),
    "decision-tree": (tree_formatter, tree_validator, "rb-tree"),
}
