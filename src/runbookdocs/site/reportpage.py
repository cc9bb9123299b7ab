"""The report page: every runbook of the site, its verification status and coverage."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.document import Document, read_document
from runbookdocs.site.report import (
    BlockStatus,
    Coverage,
    RunReport,
    block_status,
    french_date,
    load_report,
)

_STATE_TEXT = {
    "verified": '<span class="rb-badge rb-badge--verified">vérifié</span>',
    "failing": '<span class="rb-badge rb-badge--failing">en échec</span>',
    "not-run": '<span class="rb-badge rb-badge--not-run">non exécuté</span>',
    "unverified": '<span class="rb-badge rb-badge--unverified">non vérifié</span>',
}


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
    return Path(src_uri).stem.replace("-", " ").capitalize()


def rows(
    pages: Sequence[tuple[str, Path]], config: Config, report: RunReport | None
) -> list[PageRow]:
    """The runbooks among `pages` (src_uri, file) with their coverage."""

    out: list[PageRow] = []
    for src_uri, file in pages:
        doc = read_document(file, config)
        blocks = [b for b in doc.blocks if b.executable]
        if not blocks and not doc.front.meta.get("runbook"):
            continue
        statuses: list[tuple[Block, BlockStatus]] = [
            (b, block_status(b, file, report)) for b in blocks
        ]
        failing = tuple((b.id or "", b.line, s.detail) for b, s in statuses if s.state == "failing")
        last = report.last_verified(file) if report is not None else None
        out.append(
            PageRow(
                src_uri,
                _title(doc, src_uri),
                doc.front.system or "",
                Coverage.of(s for _, s in statuses),
                failing,
                french_date(last) if last else "—",
            )
        )
    return out


def _link(src_uri: str, report_page: str) -> str:
    return posixpath.relpath(src_uri, posixpath.dirname(report_page) or ".")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def report_markdown(pages: Sequence[tuple[str, Path]], config: Config, report_page: str) -> str:
    """The Markdown source of the report page."""
    report = load_report(config.report, config.root)
    table = rows(pages, config, report)
    total = sum((r.coverage for r in table), Coverage())
    out = [
        "---",
        "title: Rapport de vérification",
        "hide: [toc]",
        "---",
        "",
        "# Rapport de vérification",
        "",
    ]
    if report is None:
        out += [
            '!!! warning "Aucun rapport d’exécution"',
            f"    Le fichier `{config.report.name}` est absent : aucune commande n’est "
            "marquée vérifiée. Lancez `runbookdocs run --report "
            f"{config.report.name}` puis reconstruisez le site.",
            "",
        ]
    elif report.problem:
        out += ['!!! failure "Rapport illisible"', f"    {_cell(report.problem)}", ""]
    else:
        out += [f"Rapport d’exécution du {french_date(report.mtime)} (`{config.report.name}`).", ""]
    share = f"{100 * total.verified / total.total:.0f} %" if total.total else "—"
    out += [
        "| Runbooks | Blocs | Vérifiés | En échec | Non exécutés | Non vérifiés | Couverture |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {len(table)} | {total.total} | {total.verified} | {total.failing} | {total.not_run} "
        f"| {total.unverified} | {share} |",
        "",
        "## Runbooks",
        "",
        "| Runbook | Système | Statut | Vérifiés | En échec | Non exécutés "
        "| Dernière vérification |",
        "| --- | --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in sorted(table, key=lambda r: (r.system.lower(), r.title.lower())):
        state = _STATE_TEXT[r.coverage.state] if r.coverage.total else "aucun bloc exécutable"
        out.append(
            f"| [{_cell(r.title)}]({_link(r.src_uri, report_page)}) | {_cell(r.system) or '—'} "
            f"| {state} | {r.coverage.verified} | {r.coverage.failing} "
            f"| {r.coverage.not_run + r.coverage.unverified} | {r.last} |"
        )
    if not table:
        out.append("| *aucun runbook* | | | | | | |")
    failing = [(r, f) for r in table for f in r.failing]
    if failing:
        out += ["", "## Blocs en échec", ""]
        for r, (anchor, line, message) in failing:
            href = _link(r.src_uri, report_page) + (f"#{anchor}" if anchor else "")
            name = f"#{anchor}" if anchor else f"ligne {line}"
            out.append(f"- [{_cell(r.title)} — {name}]({href}) : {_cell(message)}")
    return "\n".join(out) + "\n"
