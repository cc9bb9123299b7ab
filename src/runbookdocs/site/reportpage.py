"""The generated pages: the report page (every runbook, its status and coverage) and the tags
index. Written into the docs tree by `runbookdocs site prepare`, or handed to MkDocs by the
plugin; both call `report_markdown` and `tags_markdown`.

Each generated page carries `GENERATED` on its first line, so that a page a person wrote is
never overwritten, and the report page names the report it was made from (`REPORT_MARKER`).
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.i18n import Catalog
from runbookdocs.site.dates import format_date
from runbookdocs.site.report import TEXTS as STATUS_TEXTS
from runbookdocs.site.report import (
    Coverage,
    SiteReport,
    block_status,
    freshness,
    load_history,
    load_report,
)
from runbookdocs.site.state import Builder, published_url

if TYPE_CHECKING:
    # Only annotations: the history module is read when a history file is (`load_history`).
    from runbookdocs.history import PageRun

GENERATED = "<!-- runbookdocs: generated"
"""The first body line of every generated page."""
REPORT_MARKER = f"{GENERATED} report page"
GENERATED_BOOST = 0.2
"""Search boost of the generated pages (`search.boost` front matter, below 1: ranked down)."""

TEXTS = Catalog(
    "site.reportpage",
    {
        "title": {"en": "Verification report", "fr": "Rapport de vérification"},
        "no-report-title": {"en": "No run report", "fr": "Aucun rapport d’exécution"},
        "no-report-text": {
            "en": "The file `{name}` is missing: no command is marked verified. Run "
            "`runbookdocs run --report {name}`, then build the site again.",
            "fr": "Le fichier `{name}` est absent : aucune commande n’est marquée vérifiée. "
            "Lancez `runbookdocs run --report {name}` puis reconstruisez le site.",
        },
        "unreadable-title": {"en": "Unreadable report", "fr": "Rapport illisible"},
        "from": {
            "en": "Run report of {date} (`{name}`).",
            "fr": "Rapport d’exécution du {date} (`{name}`).",
        },
        "totals": {
            "en": "| Runbooks | Blocks | Verified | Failing | Not run | Not verified | Coverage |",
            "fr": "| Runbooks | Blocs | Vérifiés | En échec | Non exécutés | Non vérifiés | "
            "Couverture |",
        },
        "share": {"en": "{percent}%", "fr": "{percent} %"},
        "runbooks": {"en": "Runbooks", "fr": "Runbooks"},
        "columns": {
            "en": "| Runbook | System | Status | Verified | Failing | Not run "
            "| Last verification | Last runs |",
            "fr": "| Runbook | Système | Statut | Vérifiés | En échec | Non exécutés | "
            "Dernière vérification | Dernières exécutions |",
        },
        # health view (#17)
        "attention": {"en": "Needs attention", "fr": "À traiter"},
        "attention-columns": {
            "en": "| Page | Owner | Last review | Problem |",
            "fr": "| Page | Responsable | Dernière relecture | Problème |",
        },
        "attention-none-title": {"en": "Nothing to fix", "fr": "Rien à traiter"},
        "attention-none": {
            "en": "No runbook is failing, out of date or overdue for review.",
            "fr": "Aucun runbook en échec, périmé ou en retard de relecture.",
        },
        "never": {"en": "never", "fr": "jamais"},
        "review-late": {"en": "{date} (overdue)", "fr": "{date} (en retard)"},
        "failing-state": {"en": "failing", "fr": "en échec"},
        "stale-state": {
            "en": "changed since its last verification",
            "fr": "modifiée depuis sa dernière vérification",
        },
        "review-state": {"en": "review overdue", "fr": "relecture en retard"},
        "history-run": {"en": "{date}: {state}", "fr": "{date} : {state}"},
        "history-failing": {"en": "{n} failing", "fr": "{n} en échec"},
        "history-verified": {"en": "verified", "fr": "vérifié"},
        "history-not-run": {"en": "not run", "fr": "non exécuté"},
        "health-summary": {
            "en": "{failing} failing, {stale} out of date, {late} overdue for review, out of "
            "{total} runbooks: [the report]({link}).",
            "fr": "{failing} en échec, {stale} périmé(s), {late} en retard de relecture, sur "
            "{total} runbooks : [le rapport]({link}).",
        },
        "no-block": {"en": "no executable block", "fr": "aucun bloc exécutable"},
        "no-runbook": {"en": "*no runbook*", "fr": "*aucun runbook*"},
        "failing": {"en": "Failing blocks", "fr": "Blocs en échec"},
        "line": {"en": "line {n}", "fr": "ligne {n}"},
        "failing-item": {"en": "{link}: {message}", "fr": "{link} : {message}"},
        "tags-title": {"en": "Tags", "fr": "Étiquettes"},
        "tags-text": {
            "en": "Pages by system, owning team and subject.",
            "fr": "Les pages par système, par équipe responsable et par sujet.",
        },
    },
)


class PageRow(NamedTuple):
    """One runbook in the report page."""

    src_uri: str
    title: str
    system: str
    coverage: Coverage
    failing: tuple[tuple[str, int, str], ...]
    """(anchor or empty, line, message) of each failing block."""
    last: str
    owner: str = ""
    reviewed: dt.date | None = None
    review_late: bool = False
    """Last reviewed longer ago than the project's `review_interval_days`."""
    stale: bool = False
    """The page changed since its last verification (`runbookdocs.site.report.freshness`)."""
    history: tuple[tuple[dt.datetime, PageRun], ...] = ()
    """The page's last runs (`runbookdocs.history`), newest first."""

    @property
    def attention(self) -> int:
        """0: failing, 1: verification out of date, 2: review overdue, 3: nothing to do."""
        if self.coverage.failing or self.failing:
            return 0
        if self.stale:
            return 1
        return 2 if self.review_late else 3


def _title(doc: Document, src_uri: str) -> str:
    title = doc.front.meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for line in doc.text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ").capitalize()


def rows(
    pages: Sequence[tuple[str, Document]],
    report: SiteReport | None,
    lang: str,
    config: Config | None = None,
    today: dt.date | None = None,
) -> list[PageRow]:
    """The runbooks among `pages` (src_uri, document) with their coverage, freshness, review
    and history (`config` gives the review interval and the history file)."""
    today = today or dt.date.today()
    history = load_history(config.history, config.root) if config is not None else None
    size = config.history_size if config is not None else 0
    out: list[PageRow] = []
    for src_uri, doc in pages:
        blocks = [b for b in doc.blocks if b.executable]
        if not blocks and not doc.front.meta.get("runbook"):
            continue
        statuses = [(b, block_status(b, doc.file, report, lang)) for b in blocks]
        failing = tuple((b.id or "", b.line, s.detail) for b, s in statuses if s.state == "failing")
        last = report.last_verified(doc.file) if report is not None else None
        fresh = (
            freshness(doc, config, report)
            if config is not None and report is not None and not report.problem and blocks
            else None
        )
        reviewed = doc.front.reviewed
        interval = config.review_interval_days if config is not None else 180
        out.append(
            PageRow(
                src_uri,
                _title(doc, src_uri),
                doc.front.system or "",
                Coverage.of(s for _, s in statuses),
                failing,
                format_date(lang, last) if last else "—",
                owner=doc.front.owner or "",
                reviewed=reviewed,
                review_late=reviewed is None or (today - reviewed).days > interval,
                stale=fresh is not None and fresh.stale,
                history=tuple(history.for_page(doc.file, size)) if history is not None else (),
            )
        )
    return out


def attention_markdown(table: Sequence[PageRow], lang: str, here: str) -> list[str]:
    """The pages that need attention first (failing, out of date, review overdue), each with
    its owner, review date and the failing command's message; links relative to page `here`.
    Shared by the report page and the home page's health marker."""
    t = TEXTS.for_language(lang)
    todo = sorted(
        (r for r in table if r.attention < 3),
        key=lambda r: (r.attention, r.system.lower(), r.title.lower()),
    )
    if not todo:
        return [f'!!! success "{t("attention-none-title")}"', f"    {t('attention-none')}", ""]
    out = [t("attention-columns"), "| --- | --- | --- | --- |"]
    for r in todo:
        link = f"[{_cell(r.title)}]({_link(r.src_uri, here)})"
        reviewed = format_date(lang, r.reviewed) if r.reviewed else t("never")
        if r.review_late:
            reviewed = t("review-late", date=reviewed)
        problems: list[str] = []
        for anchor, line, message in r.failing:
            where = f"#{anchor}" if anchor else t("line", n=line)
            href = _link(r.src_uri, here) + (f"#{anchor}" if anchor else "")
            problems.append(
                t(
                    "failing-item",
                    link=f"**{t('failing-state')}** [{where}]({href})",
                    message=_cell(message),
                )
            )
        if r.stale:
            problems.append(f"**{t('stale-state')}**")
        if r.review_late and not problems:
            problems.append(f"**{t('review-state')}**")
        out.append(f"| {link} | {_cell(r.owner) or '—'} | {reviewed} | {'<br>'.join(problems)} |")
    return [*out, ""]


def history_cell(row: PageRow, lang: str) -> str:
    """A page's last runs as words (newest first): `30 nov. ✓ · 29 nov. ✗ 1`, with a title."""
    if not row.history:
        return "—"
    t = TEXTS.for_language(lang)
    parts = []
    for at, run in row.history:
        date = format_date(lang, at.date())
        said = t("history-failing", n=run.failed) if run.failed else t(f"history-{run.state}")
        said_at = t("history-run", date=date, state=said)
        title = html.escape(said_at + (f" — {run.message}" if run.message else ""), quote=True)
        mark = "✗" if run.failed else "✓" if run.passed else "–"
        parts.append(
            f'<span class="rb-history__run rb-history__run--{run.state}" '
            f'data-rb-state="{run.state}" title="{title}">{mark}'
            f'<span class="rb-sr"> {html.escape(said_at)}</span></span>'
        )
    return " ".join(parts)


def _link(src_uri: str, report_page: str) -> str:
    return posixpath.relpath(src_uri, posixpath.dirname(report_page) or ".")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def runbooks_table(
    table: Sequence[PageRow],
    lang: str,
    report_page: str,
    directory_urls: bool,
    builder: Builder = "mkdocs",
) -> str:
    """The report's table of runbooks, failing first, then out of date, then overdue for
    review (what a reader must act on), as one HTML block.

    HTML rather than a Markdown table: with a row per runbook, Python-Markdown's inline pass
    over every cell was most of the page's cost on large sites. It is marked
    `data-search-exclude` (each row repeats a page's title, which search finds on the page).
    """
    t = TEXTS.for_language(lang)
    names = [c.strip() for c in t("columns").strip().strip("|").split("|")]

    def href(src_uri: str) -> str:
        # MkDocs leaves links in raw HTML as written: the published URL. Zensical rewrites
        # them from the source file, as it does `page.md` links in Markdown.
        if builder == "zensical":
            return _link(src_uri, report_page)
        return _href(src_uri, report_page, directory_urls)

    # The counts, aligned right as a Markdown table's `---:` columns are.
    align = ["", "", "", _RIGHT, _RIGHT, _RIGHT, "", ""]
    head = "".join(f"<th{a}>{html.escape(n)}</th>" for a, n in zip(align, names, strict=True))
    rows: list[str] = []
    for r in sorted(table, key=lambda r: (r.attention, r.system.lower(), r.title.lower())):
        if r.coverage.total:
            state = r.coverage.state
            label = STATUS_TEXTS.text(lang, state)
            status = (
                f'<span class="rb-badge rb-badge--{state}" data-rb-state="{state}">{label}</span>'
            )
        else:
            status = html.escape(t("no-block"))
        cells = [
            f'<a href="{html.escape(href(r.src_uri))}">{html.escape(plain_title(r.title))}</a>',
            html.escape(r.system) or "—",
            status,
            str(r.coverage.verified),
            str(r.coverage.failing),
            str(r.coverage.not_run + r.coverage.unverified),
            html.escape(r.last),
            history_cell(r, lang),
        ]
        row = "".join(f"<td{a}>{c}</td>" for a, c in zip(align, cells, strict=True))
        rows.append(f"<tr>{row}</tr>")
    if not table:
        no_runbook = html.escape(t("no-runbook").strip("*"))
        rows.append(f'<tr><td colspan="{len(names)}"><em>{no_runbook}</em></td></tr>')
    return (
        f"{RUNBOOKS_TABLE}<table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>\n"
    )


RUNBOOKS_TABLE = '<div class="rb-runbooks" data-search-exclude>'
"""How the runbooks table's line starts (the extension hands it to the page as it is)."""
_RIGHT = ' style="text-align: right;"'
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|`+|\*\*|__|(?<!\w)[*_]|[*_](?!\w)")


def plain_title(title: str) -> str:
    """A page title written in Markdown as the navigation shows it: text, without the
    backquotes, emphasis marks and link targets."""
    return _MARKUP.sub(lambda m: m.group(1) or "", title).strip()


def _href(src_uri: str, report_page: str, directory_urls: bool) -> str:
    """The URL of page `src_uri` from the report page, as the site publishes both."""
    here = published_url(report_page, directory_urls)
    dest = published_url(src_uri, directory_urls)
    base = here if here.endswith("/") else here.rpartition("/")[0]
    rel = posixpath.relpath(dest or ".", base or ".")
    if rel == ".":
        return "./"
    return rel + "/" if dest.endswith("/") or not dest else rel


def report_markdown(
    pages: Sequence[tuple[str, Document]],
    config: Config,
    report_page: str,
    lang: str,
    report_digest: str | None,
    *,
    directory_urls: bool = True,
    builder: Builder = "mkdocs",
) -> str:
    """The Markdown source of the report page, for the site `builder` builds
    (`directory_urls`: the site's `use_directory_urls`)."""
    t = TEXTS.for_language(lang)
    report = load_report(config.report, config.root)
    table = rows(pages, report, lang, config)
    total = sum((r.coverage for r in table), Coverage())
    name = config.report.name
    out = [
        "---",
        f"title: {t('title')}",
        "hide: [toc]",
        # Page titles and messages of every runbook: ranked below the runbooks themselves.
        f"search: {{boost: {GENERATED_BOOST}}}",
        "---",
        f"{REPORT_MARKER} from {report_digest or 'no report'}: do not edit -->",
        "",
        f"# {t('title')}",
        "",
    ]
    if report is None:
        out += [
            f'!!! warning "{t("no-report-title")}"',
            f"    {t('no-report-text', name=name)}",
            "",
        ]
    elif report.problem:
        problem = STATUS_TEXTS.text(lang, "unreadable", error=report.problem)
        out += [f'!!! failure "{t("unreadable-title")}"', f"    {_cell(problem)}", ""]
    else:
        out += [t("from", date=format_date(lang, report.mtime), name=name), ""]
    share = t("share", percent=f"{100 * total.verified / total.total:.0f}") if total.total else "—"
    out += [
        t("totals"),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {len(table)} | {total.total} | {total.verified} | {total.failing} | {total.not_run} "
        f"| {total.unverified} | {share} |",
        "",
        f"## {t('attention')}",
        "",
        *attention_markdown(table, lang, report_page),
        f"## {t('runbooks')}",
        "",
        runbooks_table(table, lang, report_page, directory_urls, builder),
    ]
    failing = [(r, f) for r in table for f in r.failing]
    if failing:
        out += ["", f"## {t('failing')}", ""]
        for r, (anchor, line, message) in failing:
            href = _link(r.src_uri, report_page) + (f"#{anchor}" if anchor else "")
            label = f"#{anchor}" if anchor else t("line", n=line)
            link = f"[{_cell(r.title)} — {label}]({href})"
            out.append(f"- {t('failing-item', link=link, message=_cell(message))}")
    return "\n".join(out) + "\n"


HEALTH_MARKER = "<!-- runbookdocs: health -->"
"""A line a page (the home page) holds where the site's health goes (`health_markdown`)."""


def health_markdown(
    pages: Sequence[tuple[str, Document]],
    config: Config,
    here: str,
    report_page: str,
    lang: str,
) -> str:
    """What replaces `HEALTH_MARKER` on page `here`: the counts, a link to the report page and
    the pages that need attention first (the report page's own section)."""
    t = TEXTS.for_language(lang)
    report = load_report(config.report, config.root)
    table = rows(pages, report, lang, config)
    failing = sum(1 for r in table if r.attention == 0)
    stale = sum(1 for r in table if r.stale)
    late = sum(1 for r in table if r.review_late)
    out: list[str] = []
    if report_page:
        out += [
            t(
                "health-summary",
                failing=failing,
                stale=stale,
                late=late,
                total=len(table),
                link=_link(report_page, here),
            ),
            "",
        ]
    if report is None:
        out += [
            f'!!! warning "{t("no-report-title")}"',
            f"    {t('no-report-text', name=config.report.name)}",
            "",
        ]
    out += attention_markdown(table, lang, here)
    return "\n".join(out)


def tags_markdown(lang: str) -> str:
    """The Markdown source of the tags index (Material's and Zensical's tags plugin fill it)."""
    t = TEXTS.for_language(lang)
    return (
        f"---\ntitle: {t('tags-title')}\nsearch: {{boost: {GENERATED_BOOST}}}\n---\n"
        f"{GENERATED} tags page: do not edit -->\n\n"
        f"# {t('tags-title')}\n\n{t('tags-text')}\n\n<!-- material/tags -->\n"
    )
