"""The generated pages: the report page (every runbook, its status and coverage) and the tags
index. Written into the docs tree by `runbookdocs site prepare`, or handed to MkDocs by the
plugin; both call `report_markdown` and `tags_markdown`.

Each generated page carries `GENERATED` on its first line, so that a page a person wrote is
never overwritten, and the report page names the report it was made from (`REPORT_MARKER`).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass

from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.i18n import Catalog
from runbookdocs.site.dates import format_date
from runbookdocs.site.report import TEXTS as STATUS_TEXTS
from runbookdocs.site.report import Coverage, SiteReport, block_status, load_report

GENERATED = "<!-- runbookdocs: generated"
"""The first body line of every generated page."""
REPORT_MARKER = f"{GENERATED} report page"

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
            "| Last verification |",
            "fr": "| Runbook | Système | Statut | Vérifiés | En échec | Non exécutés | "
            "Dernière vérification |",
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


@dataclass(frozen=True)
class PageRow:
    """One runbook in the report page."""

    src_uri: str
    title: str
    system: str
    coverage: Coverage
    failing: tuple[tuple[str, int, str], ...]
    """(anchor or empty, line, message) of each failing block."""
    last: str


def _title(doc: Document, src_uri: str) -> str:
    title = doc.front.meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for line in doc.text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return src_uri.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ").capitalize()


def rows(
    pages: Sequence[tuple[str, Document]], report: SiteReport | None, lang: str
) -> list[PageRow]:
    """The runbooks among `pages` (src_uri, document) with their coverage."""
    out: list[PageRow] = []
    for src_uri, doc in pages:
        blocks = [b for b in doc.blocks if b.executable]
        if not blocks and not doc.front.meta.get("runbook"):
            continue
        statuses = [(b, block_status(b, doc.file, report, lang)) for b in blocks]
        failing = tuple((b.id or "", b.line, s.detail) for b, s in statuses if s.state == "failing")
        last = report.last_verified(doc.file) if report is not None else None
        out.append(
            PageRow(
                src_uri,
                _title(doc, src_uri),
                doc.front.system or "",
                Coverage.of(s for _, s in statuses),
                failing,
                format_date(lang, last) if last else "—",
            )
        )
    return out


def _link(src_uri: str, report_page: str) -> str:
    return posixpath.relpath(src_uri, posixpath.dirname(report_page) or ".")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(
    pages: Sequence[tuple[str, Document]],
    config: Config,
    report_page: str,
    lang: str,
    report_digest: str | None,
) -> str:
    """The Markdown source of the report page."""
    t = TEXTS.for_language(lang)
    report = load_report(config.report, config.root)
    table = rows(pages, report, lang)
    total = sum((r.coverage for r in table), Coverage())
    name = config.report.name
    out = [
        "---",
        f"title: {t('title')}",
        "hide: [toc]",
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
        f"## {t('runbooks')}",
        "",
        t("columns"),
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in sorted(table, key=lambda r: (r.system.lower(), r.title.lower())):
        if r.coverage.total:
            state = r.coverage.state
            label = STATUS_TEXTS.text(lang, state)
            status = (
                f'<span class="rb-badge rb-badge--{state}" data-rb-state="{state}">{label}</span>'
            )
        else:
            status = t("no-block")
        out.append(
            f"| [{_cell(r.title)}]({_link(r.src_uri, report_page)}) | {_cell(r.system) or '—'} "
            f"| {status} | {r.coverage.verified} | {r.coverage.failing} "
            f"| {r.coverage.not_run + r.coverage.unverified} | {r.last} |"
        )
    if not table:
        out.append(f"| {t('no-runbook')} | | | | | | |")
    failing = [(r, f) for r in table for f in r.failing]
    if failing:
        out += ["", f"## {t('failing')}", ""]
        for r, (anchor, line, message) in failing:
            href = _link(r.src_uri, report_page) + (f"#{anchor}" if anchor else "")
            label = f"#{anchor}" if anchor else t("line", n=line)
            link = f"[{_cell(r.title)} — {label}]({href})"
            out.append(f"- {t('failing-item', link=link, message=_cell(message))}")
    return "\n".join(out) + "\n"


def tags_markdown(lang: str) -> str:
    """The Markdown source of the tags index (Material's and Zensical's tags plugin fill it)."""
    t = TEXTS.for_language(lang)
    return (
        f"---\ntitle: {t('tags-title')}\n---\n{GENERATED} tags page: do not edit -->\n\n"
        f"# {t('tags-title')}\n\n{t('tags-text')}\n\n<!-- material/tags -->\n"
    )
