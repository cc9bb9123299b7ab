"""The runbookdocs Markdown extension: page state for the fences, and the page banner.

Listed in `markdown_extensions` as `runbookdocs.site.extension` (or `runbookdocs` through the
`markdown.extensions` entry point). It runs under MkDocs and under Zensical alike:

- before superfences, it reads the page (the file, through runbookdocs' extractor) and attaches
  a `PageState` to the Markdown instance for the custom fences (`runbookdocs.site.fences`);
- it fails the conversion with every `file:line:col` when the page has fence headers
  superfences would drop, duplicate block ids or broken decision trees;
- on runbook pages it inserts, under the title, who owns the page, when it was last reviewed
  and verified, warnings when either is stale, and the form readers fill variables in.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from runbookdocs.site.fences import (
    LOCK,
    STATE_ATTR,
    SiteBuildError,
    page_state,
    raise_problems,
)
from runbookdocs.site.report import Coverage, block_status, french_date
from runbookdocs.site.state import PageState, braceless, build_state


class PagePreprocessor(Preprocessor):  # type: ignore[misc]  # Markdown ships no types
    """Builds the page state, refuses broken pages, inserts the banner."""

    def run(self, lines: list[str]) -> list[str]:
        """Attach the `PageState` and return the lines with the banner inserted."""
        state = build_state(self.md, lines)
        setattr(self.md, STATE_ATTR, state)
        if any(braceless(state.doc, f) for f in state.problems):
            state.raised = True
            raise SiteBuildError(sorted(state.problems, key=lambda f: f.location))
        if not state.is_runbook or state.context is None:
            return lines
        banner = self.md.htmlStash.store(page_banner(state))
        at = 0
        for i, line in enumerate(lines):
            if line.strip():
                at = i + 1 if line.startswith("# ") else i
                break
        return [*lines[:at], "", banner, "", *lines[at:]]


class ProblemsPostprocessor(Postprocessor):  # type: ignore[misc]
    """Safety net: problems no fence validator reported still fail the page."""

    def run(self, text: str) -> str:
        """Raise the page's problems if nothing did; return `text` unchanged."""
        state = page_state(self.md)
        raise_problems(state)
        # MkDocs validates `#anchor` links against ids it found in the HTML, but the fences'
        # HTML is stashed before its raw-HTML scan runs: hand it the block and step ids.
        if state is not None and "mkdocs_raw_html" in self.md.preprocessors:
            found = getattr(self.md.preprocessors["mkdocs_raw_html"], "present_anchor_ids", None)
            if isinstance(found, set):
                found.update(state.anchors)
        return text


class RunbookExtension(Extension):  # type: ignore[misc]
    """Page state, page checks and the banner for runbookdocs' custom fences."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the processors."""
        # After normalize_whitespace (30), which strips the stash placeholders' STX/ETX markers,
        # and before superfences (25), whose fences need the page state.
        md.preprocessors.register(PagePreprocessor(md), "runbookdocs_page", 28)
        md.postprocessors.register(ProblemsPostprocessor(md), "runbookdocs_problems", 0)
        md.registerExtension(self)

    def reset(self) -> None:
        """Forget the previous page."""
        md = getattr(self, "md", None)
        if md is not None and hasattr(md, STATE_ATTR):
            delattr(md, STATE_ATTR)


def makeExtension(**kwargs: Any) -> RunbookExtension:
    """Entry point used by Python-Markdown when the extension is named by module."""
    return RunbookExtension(**kwargs)


# --------------------------------------------------------------------------- the banner


def page_statuses(state: PageState) -> Coverage:
    """Coverage of the page's runnable blocks according to the report."""
    from runbookdocs.site.report import BlockStatus

    statuses: list[BlockStatus] = [
        block_status(b, state.doc.file, state.report) for b in state.doc.blocks if b.executable
    ]
    return Coverage.of(statuses)


def page_banner(state: PageState, today: dt.date | None = None) -> str:
    """The HTML under a runbook page's title: owner, review, verification, warnings, variables."""
    today = today or dt.date.today()
    front = state.doc.front
    interval = state.config.review_interval_days if state.config is not None else 180
    items: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    if front.system:
        items.append(("Système", html.escape(front.system)))
    owner = html.escape(front.owner) if front.owner else "<em>non renseigné</em>"
    items.append(("Responsable", owner))
    if front.reviewed is not None:
        items.append(("Dernière relecture", french_date(front.reviewed)))
        age = (today - front.reviewed).days
        if age > interval:
            warnings.append(
                (
                    "Relecture en retard",
                    f"Dernière relecture le {french_date(front.reviewed)}, il y a {age} jours "
                    f"(à relire tous les {interval} jours). Vérifiez que la procédure est toujours "
                    "valable avant de l’appliquer.",
                )
            )
    else:
        items.append(("Dernière relecture", "<em>jamais</em>"))
        warnings.append(
            (
                "Relecture inconnue",
                "Cette page n’indique pas de date de relecture (<code>runbook.reviewed</code>).",
            )
        )
    coverage = page_statuses(state)
    report = state.report
    last = report.last_verified(state.doc.file) if report is not None else None
    if report is None:
        items.append(("Dernière vérification", "<em>aucun rapport</em>"))
        warnings.append(
            (
                "Commandes non vérifiées",
                "Aucun rapport d’exécution n’est publié : "
                "les commandes de cette page n’ont pas été vérifiées.",
            )
        )
    elif report.problem:
        items.append(("Dernière vérification", "<em>rapport illisible</em>"))
        warnings.append(("Rapport illisible", html.escape(report.problem)))
    elif not report.results_for(state.doc.file):
        items.append(("Dernière vérification", "<em>jamais</em>"))
        if coverage.total:
            warnings.append(
                (
                    "Page absente du rapport",
                    "Le dernier rapport d’exécution ne contient aucun bloc de cette page.",
                )
            )
    else:
        when = last or report.mtime
        items.append(("Dernière vérification", french_date(when.date())))
        page_mtime = _mtime(state)
        if page_mtime is not None and page_mtime > when:
            warnings.append(
                (
                    "Vérification périmée",
                    f"La page a été modifiée le {french_date(page_mtime.date())}, "
                    f"après sa dernière vérification du {french_date(when.date())} : "
                    "le rapport ne reflète peut-être plus ces commandes.",
                )
            )
    if coverage.total:
        items.append(("Blocs", _coverage_text(coverage)))
    if coverage.failing:
        warnings.insert(
            0,
            (
                "Commandes en échec",
                f"{coverage.failing} bloc(s) de cette page "
                "ont échoué lors de la dernière vérification.",
            ),
        )
    out = [
        f'<aside class="rb-page rb-page--{coverage.state if coverage.total else "none"}" '
        'aria-label="Suivi de la page"><dl class="rb-page__facts">'
    ]
    for key, value in items:
        out.append(f"<div><dt>{key}</dt><dd>{value}</dd></div>")
    out.append("</dl>")
    for title, text in warnings:
        out.append(
            f'<div class="admonition warning rb-page__warning"><p class="admonition-title">'
            f"{title}</p><p>{text}</p></div>"
        )
    out.append(variables_form(state))
    out.append("</aside>")
    return "".join(out)


def _coverage_text(c: Coverage) -> str:
    parts = [f'<span class="rb-count rb-count--verified">{c.verified} vérifié(s)</span>']
    if c.failing:
        parts.append(f'<span class="rb-count rb-count--failing">{c.failing} en échec</span>')
    if c.not_run:
        parts.append(f'<span class="rb-count rb-count--not-run">{c.not_run} non exécuté(s)</span>')
    if c.unverified:
        parts.append(
            f'<span class="rb-count rb-count--unverified">{c.unverified} non vérifié(s)</span>'
        )
    return " · ".join(parts)


def _mtime(state: PageState) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(state.doc.file.stat().st_mtime, tz=dt.UTC)
    except OSError:
        return None


def variables_form(state: PageState) -> str:
    """The form readers fill the page's variables in (values kept per page in localStorage)."""
    from runbookdocs.document import PLACEHOLDER

    front = state.doc.front
    used = {m.group("name") for b in state.doc.blocks for m in PLACEHOLDER.finditer(b.source)}
    variables = state.variables()
    names = [n for n in variables if n in used or n in front.variables]
    secrets = list(front.secrets)
    if not names and not secrets:
        return ""
    out = [
        '<form class="rb-vars" autocomplete="off" onsubmit="return false">',
        '<p class="rb-vars__title">Variables de la page <span class="rb-vars__hint">'
        "— les commandes ci-dessous se mettent à jour, prêtes à copier</span></p>",
    ]
    if names:
        out.append('<div class="rb-vars__fields">')
        for name in names:
            default = html.escape(str(variables[name]), quote=True)
            out.append(
                f'<label class="rb-vars__field"><span><code>{html.escape(name)}</code></span>'
                f'<input type="text" name="{html.escape(name)}" value="{default}" '
                f'data-default="{default}" data-rb-input="{html.escape(name)}" spellcheck="false">'
                "</label>"
            )
        out.append(
            '<button type="button" class="md-button rb-vars__reset">'
            "Valeurs par défaut</button></div>"
        )
    for name in secrets:
        description = front.secrets.get(name) or ""
        out.append(
            f'<p class="rb-vars__secret">{LOCK} '
            f"<code>{{{{ {html.escape(name)} }}}}</code>"
            f"{' : ' + html.escape(description) if description else ''} — secret, jamais "
            "rempli par le site.</p>"
        )
    out.append("</form>")
    return "".join(out)
