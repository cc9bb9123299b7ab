"""The runbookdocs Markdown extension: page state for the fences, the page banner, the assets.

Listed in `markdown_extensions` as `runbookdocs.site.extension` (or `runbookdocs` through the
`markdown.extensions` entry point; the MkDocs plugin lists it by itself). It runs under MkDocs
and under Zensical alike, and does everything a page needs on its own:

- before superfences, it reads the page (the file, through runbookdocs' extractor) and attaches
  a `PageState` to the Markdown instance for the custom fences (`runbookdocs.site.fences`),
  which it registers with superfences unless the configuration names them;
- it fails the conversion with every `file:line:col` when the page has fence headers
  superfences would drop, duplicate block ids or broken decision trees;
- on runbook pages it inserts, under the title, who owns the page, when it was last reviewed
  and verified, warnings when either is stale, and the form readers fill variables in;
- it links the site's styles and script from the pages that need them (`runbookdocs.site.assets`);
- under Zensical, it adds `runbook.system` and `runbook.owner` to the page's tags, and refuses
  to build from a docs tree `runbookdocs site prepare` did not prepare (or prepared with another
  version or another run report).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from runbookdocs.block import DEFAULT_TARGET
from runbookdocs.config import Config
from runbookdocs.i18n import Catalog
from runbookdocs.patterns import lazy
from runbookdocs.site import assets
from runbookdocs.site.dates import format_date
from runbookdocs.site.fences import (
    LOCK,
    STATE_ATTR,
    SiteBuildError,
    SiteSetupError,
    narrow,
    page_state,
    register,
)
from runbookdocs.site.printing import print_button
from runbookdocs.site.report import TEXTS as STATUS_TEXTS
from runbookdocs.site.report import Coverage, freshness, report_digest
from runbookdocs.site.reportpage import (
    HEALTH_MARKER,
    REPORT_MARKER,
    RUNBOOKS_TABLE,
    health_markdown,
)
from runbookdocs.site.state import PageContext, PageState, build_state, page_tags

TEXTS = Catalog(
    "site.banner",
    {
        "aria": {"en": "About this page", "fr": "Suivi de la page"},
        "system": {"en": "System", "fr": "Système"},
        "owner": {"en": "Owner", "fr": "Responsable"},
        "owner-missing": {"en": "not given", "fr": "non renseigné"},
        "target": {"en": "Runs in", "fr": "Cible"},
        "reviewed": {"en": "Last review", "fr": "Dernière relecture"},
        "never": {"en": "never", "fr": "jamais"},
        "review-late": {"en": "Review overdue", "fr": "Relecture en retard"},
        "review-late-text": {
            "en": "Last reviewed on {date}, {days} days ago (to be reviewed every {interval} "
            "days). Check that the procedure still holds before you apply it.",
            "fr": "Dernière relecture le {date}, il y a {days} jours (à relire tous les "
            "{interval} jours). Vérifiez que la procédure est toujours valable avant de "
            "l’appliquer.",
        },
        "review-unknown": {"en": "Review date unknown", "fr": "Relecture inconnue"},
        "review-unknown-text": {
            "en": "This page gives no review date ({setting}).",
            "fr": "Cette page n’indique pas de date de relecture ({setting}).",
        },
        "verified": {"en": "Last verification", "fr": "Dernière vérification"},
        "no-report": {"en": "no report", "fr": "aucun rapport"},
        "no-report-title": {"en": "Commands not verified", "fr": "Commandes non vérifiées"},
        "no-report-text": {
            "en": "No run report is published: the commands of this page have not been verified.",
            "fr": "Aucun rapport d’exécution n’est publié : les commandes de cette page n’ont "
            "pas été vérifiées.",
        },
        "unreadable": {"en": "unreadable report", "fr": "rapport illisible"},
        "unreadable-title": {"en": "Unreadable report", "fr": "Rapport illisible"},
        "absent-title": {"en": "Page not in the report", "fr": "Page absente du rapport"},
        "absent-text": {
            "en": "The last run report has no block of this page.",
            "fr": "Le dernier rapport d’exécution ne contient aucun bloc de cette page.",
        },
        "stale-title": {"en": "Verification out of date", "fr": "Vérification périmée"},
        "stale-text": {
            "en": "The page changed on {changed}, after its last verification on {verified}: "
            "the report may no longer describe these commands.",
            "fr": "La page a été modifiée le {changed}, après sa dernière vérification du "
            "{verified} : le rapport ne reflète peut-être plus ces commandes.",
        },
        "stale-content-text": {
            "en": "The commands of this page changed since their last verification on "
            "{verified}: the report may no longer describe them.",
            "fr": "Les commandes de cette page ont changé depuis leur dernière vérification du "
            "{verified} : le rapport ne les reflète peut-être plus.",
        },
        "blocks": {"en": "Blocks", "fr": "Blocs"},
        "count-verified": {"en": "{n} verified", "fr": "{n} vérifié(s)"},
        "count-failing": {"en": "{n} failing", "fr": "{n} en échec"},
        "count-not-run": {"en": "{n} not run", "fr": "{n} non exécuté(s)"},
        "count-unverified": {"en": "{n} not verified", "fr": "{n} non vérifié(s)"},
        "failing-title": {"en": "Failing commands", "fr": "Commandes en échec"},
        "failing-text": {
            "en": "{n} block(s) of this page failed at the last verification.",
            "fr": "{n} bloc(s) de cette page ont échoué lors de la dernière vérification.",
        },
        "vars-title": {"en": "Page variables", "fr": "Variables de la page"},
        "vars-hint": {
            "en": "— the commands below follow, ready to copy",
            "fr": "— les commandes ci-dessous se mettent à jour, prêtes à copier",
        },
        "vars-reset": {"en": "Default values", "fr": "Valeurs par défaut"},
        "vars-secret": {
            "en": "{name}{description} — a secret, never filled in by the site.",
            "fr": "{name}{description} — secret, jamais rempli par le site.",
        },
        "vars-secret-description": {"en": ": {text}", "fr": " : {text}"},
        # health view and history (#17)
        "nothing-to-run": {
            "en": "nothing to run on this page",
            "fr": "rien à exécuter sur cette page",
        },
        "hidden-failing-text": {
            "en": "A set-up step this page does not show failed at the last verification: "
            "{message}",
            "fr": "Une étape de préparation que la page n’affiche pas a échoué lors de la "
            "dernière vérification : {message}",
        },
        "history": {"en": "Last verifications", "fr": "Dernières vérifications"},
        "history-run": {"en": "{date}: {state}", "fr": "{date} : {state}"},
        "history-failing": {"en": "{n} failing", "fr": "{n} en échec"},
        "history-verified": {"en": "verified", "fr": "vérifié"},
        "history-not-run": {"en": "not run", "fr": "non exécuté"},
        "updated": {"en": "Page last changed on {date}", "fr": "Page modifiée le {date}"},
    },
)


class PagePreprocessor(Preprocessor):  # type: ignore[misc]  # Markdown ships no types
    """Builds the page state, refuses broken pages, inserts the assets and the banner."""

    def run(self, lines: list[str]) -> list[str]:
        """Attach the `PageState` and return the lines with the assets and banner inserted."""
        state = build_state(self.md, lines)
        setattr(self.md, STATE_ATTR, state)
        register(self.md)
        ctx = state.context
        is_report = any(line.startswith(REPORT_MARKER) for line in lines[:3])
        health = marker_lines(lines)
        if ctx is not None and ctx.builder == "zensical":
            _check_prepared(ctx, state, is_report or bool(health))
            if ctx.meta is not None and ctx.settings is not None and ctx.settings.tags:
                tags = page_tags(ctx.meta)
                if tags is not None:
                    ctx.meta["tags"] = tags
        if state.problems:
            raise SiteBuildError(sorted(state.problems, key=lambda f: f.location))
        if ctx is None or ctx.builder == "markdown":
            return lines
        out = list(lines)
        if is_report:
            # The runbooks table is HTML runbookdocs wrote: stashed as it is, Python-Markdown
            # does not parse it again tag by tag (its raw HTML block pass) to store it the same.
            out = [
                self.md.htmlStash.store(line) if line.startswith(RUNBOOKS_TABLE) else line
                for line in out
            ]
        if health and ctx.settings is not None and state.config is not None:
            text = site_health(ctx, state.config).splitlines()
            for i in reversed(health):
                out[i : i + 1] = ["", *text, ""]
        if state.is_runbook:
            banner = self.md.htmlStash.store(narrow(page_banner(state) + print_button(state.lang)))
            at = 0
            for i, line in enumerate(out):
                if line.strip():
                    at = i + 1 if line.startswith("# ") else i
                    break
            out[at:at] = ["", banner, ""]
        script = (
            is_report
            or state.is_runbook
            or any(b.kind == "decision-tree" or b.attrs for b in state.doc.blocks)
        )
        out[0:0] = [self.md.htmlStash.store(assets.links(ctx.to_root, script=script)), ""]
        if ctx.settings is not None and ctx.settings.last_updated and ctx.file is not None:
            updated = last_updated(ctx.file, state)
            if updated:
                out += ["", self.md.htmlStash.store(narrow(updated))]
        return out


_FENCE = lazy(r"^\s*(`{3,}|~{3,})")


def marker_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines that are `HEALTH_MARKER`, outside fenced code (where the marker is
    an example to show, not a place to fill)."""
    out: list[int] = []
    if HEALTH_MARKER not in "\n".join(lines):
        return out  # most pages: no need to follow the fences line by line
    fence = ""
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m is not None:
            mark = m.group(1)
            if not fence:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip()[len(mark) :]:
                fence = ""
            continue
        if not fence and line.strip() == HEALTH_MARKER:
            out.append(i)
    return out


def last_updated(file: Path, state: PageState) -> str:
    """`Page modifiée le ...` (`dates.last_change` of the page and what it includes: git when
    committed and unmodified, else the file's time); "" when unknown."""
    from runbookdocs.site.dates import last_change_of
    from runbookdocs.site.report import included_files

    files = included_files(state.doc, state.config) if state.config is not None else [file]
    when = last_change_of(files)
    if when is None:
        return ""
    text = TEXTS.text(state.lang, "updated", date=format_date(state.lang, when.date()))
    return (
        f'<p class="rb-updated" data-search-exclude><time datetime="{when.date().isoformat()}">'
        f"{html.escape(text)}</time></p>"
    )


def site_health(ctx: PageContext, config: Config) -> str:
    """The site's health (`reportpage.health_markdown`) for the page `ctx` converts: every
    page of the docs tree is read (once per build: documents are cached)."""
    from runbookdocs.site.prepare import docs_pages, documents

    settings = ctx.settings
    assert settings is not None
    generated = {settings.report_page, settings.tags_page} - {""}
    pages = docs_pages(settings.docs_dir, generated)
    docs = documents(pages, settings.root)
    return health_markdown(docs, config, ctx.src_uri, settings.report_page, settings.language)


def _check_prepared(ctx: PageContext, state: PageState, is_report: bool) -> None:
    """Under Zensical, the docs tree must hold what `runbookdocs site prepare` writes."""
    settings = ctx.settings
    docs = ctx.docs_dir or (settings.docs_dir if settings is not None else None)
    prepared = assets.read_prepared(docs) if docs is not None else None
    where = _shown(docs) if docs is not None else "the docs directory"
    if prepared is None or settings is None:
        raise SiteSetupError(
            f"{where} was not prepared for this site: run 'runbookdocs site prepare' (with the "
            "same configuration file) before 'zensical build'"
        )
    if prepared.get("assets") != assets.digest():
        raise SiteSetupError(
            f"the assets in {where}/assets/runbookdocs/ were prepared by runbookdocs "
            f"{prepared.get('runbookdocs', '?')}: run 'runbookdocs site prepare' again"
        )
    if (
        is_report
        and state.config is not None
        and prepared.get("report") != report_digest(state.config.report)
    ):
        raise SiteSetupError(
            f"the run report {_shown(state.config.report)} changed since 'runbookdocs site "
            "prepare' wrote the report page: run it again before building"
        )


def _shown(path: Any) -> str:
    from pathlib import Path

    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


CHROME = lazy(
    r'<div class="rb-block__head" data-search-exclude>.*?</div>'
    r'|<p class="rb-block__secret" data-search-exclude>.*?</p>'
    r'|<p class="rb-block__setup" data-search-exclude>.*?</p>'
    r'|<p class="rb-updated" data-search-exclude>.*?</p>'
    r'|<aside class="rb-page[^"]*" aria-label="[^"]*" data-search-exclude>.*?</aside>'
    r'|<details class="rb-tree__overview info" open data-search-exclude>.*?</details>'
    r'|<p class="rb-print-bar rb-needs-js" data-search-exclude>.*?</p>'
    r'|<div class="rb-runbooks" data-search-exclude>.*?</div>',
    re.S,
)
"""The status chrome the extension and fences write, each marked `data-search-exclude`
(`page_banner`, `fences._wrap`, `trees.render_tree`, `printing.print_button`, the report's
`reportpage.runbooks_table`): none nests an element of its own kind."""


SEARCH_NOISE = re.compile(
    r'<link rel="stylesheet" href="[^"]*runbookdocs[^"]*">(?:<script src="[^"]*" defer></script>)?'
    r'| data-rb-data="[^"]*"'
)
"""What else the indexer would read for nothing: the page's asset links (`assets.links`) and a
tree's data (an attribute, never indexed, but thousands of characters to scan)."""
_VARIABLE = re.compile(r'<span class="rb-var[^"]*" data-rb-var="[^"]*">([^<]*)</span>')
"""A variable in a command (`fences._highlight`): search indexes its text, without the span."""


_EXCLUDE = " data-search-exclude>"
_CHROME_ELEMENTS = (
    ('<div class="rb-block__head" data-search-exclude>', "</div>"),
    ('<p class="rb-block__secret" data-search-exclude>', "</p>"),
    ('<p class="rb-block__setup" data-search-exclude>', "</p>"),
    ('<p class="rb-updated" data-search-exclude>', "</p>"),
    ('<details class="rb-tree__overview info" open data-search-exclude>', "</details>"),
    ('<p class="rb-print-bar rb-needs-js" data-search-exclude>', "</p>"),
    ('<div class="rb-runbooks" data-search-exclude>', "</div>"),
)
"""`CHROME`'s elements but the banner (whose class and label vary): opening and closing tag."""
_ASIDE = '<aside class="rb-page'
_LABEL = '" aria-label="'


def _chrome_spans(html_text: str) -> list[tuple[int, int]]:
    """Where `CHROME` matches could be, as (start, end), sorted: each one holds
    `data-search-exclude` in its opening tag and ends at the first closing tag after it, so
    `str.find` finds them (`CHROME` itself would stop at every `<` of the page)."""
    spans: list[tuple[int, int]] = []
    at = html_text.find(_EXCLUDE)
    while at >= 0:
        end = at + len(_EXCLUDE)
        for head, close in _CHROME_ELEMENTS:
            if end >= len(head) and html_text.startswith(head, end - len(head)):
                closed = html_text.find(close, end)
                if closed >= 0:
                    spans.append((end - len(head), closed + len(close)))
        # The banner: `<aside class="rb-page[^"]*" aria-label="[^"]*" data-search-exclude>`,
        # neither value holding a quote.
        label = html_text.rfind('"', 0, at - 1)  # the quote opening the label
        if label >= len(_LABEL) and html_text.startswith(_LABEL, label - len(_LABEL) + 1):
            opening = html_text.rfind('"', 0, label - len(_LABEL) + 1)  # class="
            start = opening - _ASIDE.index('"')
            closed = html_text.find("</aside>", end)
            if start >= 0 and closed >= 0 and html_text.startswith(_ASIDE, start):
                spans.append((start, closed + len("</aside>")))
        at = html_text.find(_EXCLUDE, end)
    spans.sort()
    return spans


def _sub_at(
    html_text: str, spans: Sequence[tuple[int, int] | re.Match[str]], keep: int | None = None
) -> str:
    """`html_text` with the leftmost non-overlapping of `spans` (matches, or (start, end)
    pairs) replaced by "" or by their group `keep`, as `re.sub` does."""
    out: list[str] = []
    pos = 0
    for span in spans:
        start, end = span if isinstance(span, tuple) else span.span()
        if start >= pos:
            out.append(html_text[pos:start])
            if keep is not None and not isinstance(span, tuple):
                out.append(span.group(keep))
            pos = end
    out.append(html_text[pos:])
    return "".join(out)


def _matches(pattern: re.Pattern[str], html_text: str, head: str) -> list[re.Match[str]]:
    """Where `pattern` matches at an occurrence of `head`, the literal its matches start with."""
    spans = []
    at = html_text.find(head)
    while at >= 0:
        m = pattern.match(html_text, at)
        if m is not None:
            spans.append(m)
        at = html_text.find(head, at + 1)
    return spans


_NOISE_HEADS = ('<link rel="stylesheet" href="', ' data-rb-data="')
"""How each of `SEARCH_NOISE`'s matches starts."""


def without_chrome(html_text: str) -> str:
    """`html_text` without runbookdocs' status chrome and markup search has no use for: what
    the indexer reads (the same index, for less parsing).

    The same text as `_VARIABLE.sub(r"\\1", SEARCH_NOISE.sub("", CHROME.sub("", html_text)))`
    for a fraction of the work: matches are looked for only where they can start, found with
    `str.find`, not at every `<` and space of the page.
    """
    text = _sub_at(html_text, _chrome_spans(html_text))
    noise = [m.span() for head in _NOISE_HEADS for m in _matches(SEARCH_NOISE, text, head)]
    text = _sub_at(text, sorted(noise))
    return _sub_at(text, _matches(_VARIABLE, text, '<span class="rb-var'), keep=1)


RESERVED = "data-rb-reserved"


class ReserveIdsTreeprocessor(Treeprocessor):  # type: ignore[misc]
    """Before `toc` names the headings: the ids the fences wrote (block ids, tree steps), which
    sit in stashed HTML that `toc` cannot see, are put in the tree for a moment, so that a
    heading "Sauvegarder" next to a block `#sauvegarder` becomes `sauvegarder_1` instead of a
    second `id="sauvegarder"` (a block's id is the stable link reports and trees use)."""

    def run(self, root: Any) -> None:
        """Add one empty element per fence id (removed by `ReleaseIdsTreeprocessor`)."""
        state = page_state(self.md)
        if state is None or not state.anchors:
            return
        import xml.etree.ElementTree as etree

        for ident in sorted(state.anchors):
            etree.SubElement(root, "div", {"id": ident, RESERVED: ""})


class ReleaseIdsTreeprocessor(Treeprocessor):  # type: ignore[misc]
    """After `toc`: the reserved elements go."""

    def run(self, root: Any) -> None:
        """Remove what `ReserveIdsTreeprocessor` added."""
        for el in [e for e in root if e.get(RESERVED) is not None]:
            root.remove(el)


class AnchorsPostprocessor(Postprocessor):  # type: ignore[misc]
    """Tell MkDocs' anchor validation about the ids the fences wrote."""

    def run(self, text: str) -> str:
        """Return `text` unchanged."""
        state = page_state(self.md)
        # MkDocs validates `#anchor` links against ids it found in the HTML, but the fences'
        # HTML is stashed before its raw-HTML scan runs: hand it the block and step ids.
        if state is not None and "mkdocs_raw_html" in self.md.preprocessors:
            found = getattr(self.md.preprocessors["mkdocs_raw_html"], "present_anchor_ids", None)
            if isinstance(found, set):
                found.update(state.anchors)
        return text


class RunbookExtension(Extension):  # type: ignore[misc]
    """Page state, page checks, the banner and the assets for runbookdocs' custom fences."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the processors."""
        # After normalize_whitespace (30), which strips the stash placeholders' STX/ETX markers,
        # and before superfences (25), whose fences need the page state.
        md.preprocessors.register(PagePreprocessor(md), "runbookdocs_page", 28)
        md.postprocessors.register(AnchorsPostprocessor(md), "runbookdocs_anchors", 0)
        # Around toc (priority 5), and after the inline processor (20) that fills the tree.
        md.treeprocessors.register(ReserveIdsTreeprocessor(md), "runbookdocs_reserve_ids", 6)
        md.treeprocessors.register(ReleaseIdsTreeprocessor(md), "runbookdocs_release_ids", 4)
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
    """Coverage of the page's executable blocks readers see, according to the report (hidden
    set-up blocks are not counted: readers cannot find them on the page)."""
    return Coverage.of(state.status(b) for b in state.doc.blocks if b.executable and not b.hidden)


def page_banner(state: PageState, today: dt.date | None = None) -> str:
    """The HTML under a runbook page's title: owner, review, verification, warnings, variables."""
    today = today or dt.date.today()
    lang = state.lang
    t = TEXTS.for_language(lang)
    front = state.doc.front
    interval = state.config.review_interval_days if state.config is not None else 180
    items: list[tuple[str, str]] = []
    warnings: list[tuple[str, str]] = []
    if front.system:
        items.append((t("system"), html.escape(front.system)))
    owner = html.escape(front.owner) if front.owner else f"<em>{t('owner-missing')}</em>"
    items.append((t("owner"), owner))
    if any(b.executable for b in state.doc.blocks):
        # Blocks show only a target they name themselves: the page's is said once, here.
        target = front.target or DEFAULT_TARGET
        items.append((t("target"), f"<code>{html.escape(target)}</code>"))
    if front.reviewed is not None:
        items.append((t("reviewed"), format_date(lang, front.reviewed)))
        age = (today - front.reviewed).days
        if age > interval:
            warnings.append(
                (
                    t("review-late"),
                    t(
                        "review-late-text",
                        date=format_date(lang, front.reviewed),
                        days=age,
                        interval=interval,
                    ),
                )
            )
    else:
        items.append((t("reviewed"), f"<em>{t('never')}</em>"))
        warnings.append(
            (t("review-unknown"), t("review-unknown-text", setting="<code>runbook.reviewed</code>"))
        )
    coverage = page_statuses(state)
    report = state.report
    if not any(b.executable for b in state.doc.blocks):
        # Neither "never" nor "not verified": there is nothing a run could verify here.
        items.append((t("verified"), f"<em>{t('nothing-to-run')}</em>"))
    elif report is None:
        items.append((t("verified"), f"<em>{t('no-report')}</em>"))
        warnings.append((t("no-report-title"), t("no-report-text")))
    elif report.problem:
        items.append((t("verified"), f"<em>{t('unreadable')}</em>"))
        problem = STATUS_TEXTS.text(lang, "unreadable", error=report.problem)
        warnings.append((t("unreadable-title"), html.escape(problem)))
    else:
        fresh = freshness(state.doc, state.config, report) if state.config is not None else None
        if fresh is None:
            items.append((t("verified"), f"<em>{t('never')}</em>"))
            if coverage.total:
                warnings.append((t("absent-title"), t("absent-text")))
        else:
            verified = format_date(lang, fresh.verified_at.date())
            items.append((t("verified"), verified))
            if fresh.stale and fresh.by_content:
                warnings.append((t("stale-title"), t("stale-content-text", verified=verified)))
            elif fresh.stale and fresh.changed_at is not None:
                changed = format_date(lang, fresh.changed_at.date())
                warnings.append(
                    (t("stale-title"), t("stale-text", changed=changed, verified=verified))
                )
    if coverage.total:
        items.append((t("blocks"), _coverage_text(coverage, lang)))
    if coverage.failing:
        warnings.insert(0, (t("failing-title"), t("failing-text", n=coverage.failing)))
    hidden_failures = [
        s
        for s in (state.status(b) for b in state.doc.blocks if b.executable and b.hidden)
        if s.state == "failing"
    ]
    if hidden_failures:
        message = html.escape(hidden_failures[0].detail)
        warnings.insert(0, (t("failing-title"), t("hidden-failing-text", message=message)))
    history = history_list(state)
    if history:
        items.append((t("history"), history))
    out = [
        f'<aside class="rb-page rb-page--{coverage.state if coverage.total else "none"}" '
        f'aria-label="{t("aria")}" data-search-exclude><dl class="rb-page__facts">'
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


def history_list(state: PageState) -> str:
    """The page's last verifications from the history file (`runbookdocs.history`), newest
    first, each with its date and what it said in words; "" without a history of the page."""
    config = state.config
    if config is None or not any(b.executable for b in state.doc.blocks):
        return ""
    from runbookdocs.site.report import load_history

    history = load_history(config.history, config.root)
    runs = history.for_page(state.doc.file, config.history_size) if history is not None else []
    if not runs:
        return ""
    t = TEXTS.for_language(state.lang)
    out = ['<ol class="rb-history">']
    for at, run in runs:
        if run.state == "failing":
            said = t("history-failing", n=run.failed)
        else:
            said = t(f"history-{run.state}")
        title = f' title="{html.escape(run.message, quote=True)}"' if run.message else ""
        text = t("history-run", date=format_date(state.lang, at.date()), state=said)
        out.append(
            f'<li class="rb-history__run rb-history__run--{run.state}" '
            f'data-rb-state="{run.state}"{title}>{html.escape(text)}</li>'
        )
    out.append("</ol>")
    return "".join(out)


def _coverage_text(c: Coverage, lang: str) -> str:
    t = TEXTS.for_language(lang)
    parts = [
        f'<span class="rb-count rb-count--verified">{t("count-verified", n=c.verified)}</span>'
    ]
    if c.failing:
        parts.append(
            f'<span class="rb-count rb-count--failing">{t("count-failing", n=c.failing)}</span>'
        )
    if c.not_run:
        parts.append(
            f'<span class="rb-count rb-count--not-run">{t("count-not-run", n=c.not_run)}</span>'
        )
    if c.unverified:
        parts.append(
            '<span class="rb-count rb-count--unverified">'
            f"{t('count-unverified', n=c.unverified)}</span>"
        )
    return " · ".join(parts)


def variables_form(state: PageState) -> str:
    """The form readers fill the page's variables in (values kept per page in localStorage)."""
    from runbookdocs.document import PLACEHOLDER

    t = TEXTS.for_language(state.lang)
    front = state.doc.front
    used = {m.group("name") for b in state.doc.blocks for m in PLACEHOLDER.finditer(b.source)}
    variables = state.variables()
    names = [n for n in variables if n in used or n in front.variables]
    secrets = list(front.secrets)
    if not names and not secrets:
        return ""
    out = [
        '<form class="rb-vars" autocomplete="off" onsubmit="return false">',
        f'<p class="rb-vars__title">{t("vars-title")} <span class="rb-vars__hint rb-needs-js">'
        f"{t('vars-hint')}</span></p>",
    ]
    if names:
        out.append('<div class="rb-vars__fields">')
        for name in names:
            default = html.escape(str(variables[name]), quote=True)
            out.append(
                f'<label class="rb-vars__field"><span><code>{html.escape(name)}</code></span>'
                f'<input type="text" name="{html.escape(name)}" value="{default}" '
                f'data-default="{default}" data-rb-input="{html.escape(name)}" spellcheck="false" '
                # Read-only until the script runs: without it the defaults are what commands show.
                "readonly>"
                "</label>"
            )
        out.append(
            '<button type="button" class="md-button rb-vars__reset rb-needs-js">'
            f"{t('vars-reset')}</button>"
            "</div>"
        )
    for name in secrets:
        description = front.secrets.get(name) or ""
        text = t(
            "vars-secret",
            name=f"<code>{{{{ {html.escape(name)} }}}}</code>",
            description=t("vars-secret-description", text=html.escape(description))
            if description
            else "",
        )
        out.append(f'<p class="rb-vars__secret">{LOCK} {text}</p>')
    out.append("</form>")
    return "".join(out)
