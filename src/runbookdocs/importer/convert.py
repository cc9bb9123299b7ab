"""One legacy document to one runbook page: pick the reader, finish the page, keep the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from runbookdocs.i18n import Texts
from runbookdocs.importer.page import CATALOG, Page, finish, front_matter
from runbookdocs.importer.render import Ids, render
from runbookdocs.importer.report import ImportReport
from runbookdocs.importer.secrets import Secrets
from runbookdocs.importer.source import Source, form_of


@dataclass
class Imported:
    """A converted document, not yet written."""

    source: Source
    out: Path
    page: Page
    report: ImportReport
    images: dict[str, bytes] = field(default_factory=dict)
    """Files to write next to the page: path relative to the page's folder -> bytes."""


def title_from_path(path: Path) -> str:
    """`mise_a_jour-serveur.txt` -> `Mise a jour serveur`."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def convert(
    source: Source, out: Path, *, out_display: str, lang: str, target: str | None
) -> Imported:
    """Convert `source` into the page that will be written at `out`.

    Raises:
        SourceError: the document cannot be parsed (a damaged Word or HTML file).
    """
    t = CATALOG.for_language(lang)
    report = ImportReport(source.display, source.form, output=out_display)
    if source.encoding not in ("utf-8",):
        report.add("changed", None, f"read as {source.encoding} text")
    if source.form == "markdown" and form_of(source.path) == "text":
        report.add("changed", None, "plain-text file written in Markdown: read as Markdown")
    default_title = title_from_path(source.path)
    images: dict[str, bytes] = {}
    if source.form == "markdown":
        return _markdown(source, out, report, t, target, default_title)
    if source.form == "text":
        from runbookdocs.importer.text import read_text

        elements = read_text(source.text, report)
    elif source.form == "word":
        from runbookdocs.importer.docx import read_docx

        report.unit = "paragraph"
        elements, images = read_docx(source, report, t, image_dir=f"{out.stem}-images")
    else:
        from runbookdocs.importer.html import read_html

        elements = read_html(source, report, t)
    elements, title, secrets = finish(elements, title_default=default_title, t=t, report=report)
    body = render(elements, Ids())
    head = front_matter(
        title, target=target, secrets=secrets, source=source.path.name, report=report, t=t
    )
    lines = [(text, None) for text in head] + [("", None)] + body
    page = Page(lines, title, secrets)
    page.lines = [(secrets.everywhere(text), n) for text, n in page.lines]
    return Imported(source, out, page, report, images)


def _markdown(
    source: Source,
    out: Path,
    report: ImportReport,
    t: Texts,
    target: str | None,
    default_title: str,
) -> Imported:
    from runbookdocs.importer.markdown import read_markdown

    secrets = Secrets()
    md = read_markdown(
        source.text, report=report, t=t, secrets=secrets, title_default=default_title
    )
    head = front_matter(
        md.title or t("untitled"),
        target=target,
        secrets=secrets,
        source=source.path.name,
        report=report,
        t=t,
    )
    if md.front is None:
        lines = [(text, None) for text in head] + [("", None)] + md.body
    else:
        lines = _merge_front(md.front, head, report) + md.body
    page = Page(lines, md.title, secrets)
    page.lines = [(secrets.everywhere(text), n) for text, n in page.lines]
    return Imported(source, out, page, report)


def _merge_front(
    existing: list[str], ours: list[str], report: ImportReport
) -> list[tuple[str, int | None]]:
    """The source's front matter kept line for line, our `runbook:` block added before its end.

    A source that has a `runbook:` block already keeps it as it is.
    """
    kept: list[tuple[str, int | None]] = [(text, i + 1) for i, text in enumerate(existing)]
    if any(text.startswith("runbook:") for text in existing):
        report.add("changed", 1, "front matter has runbook settings: kept as is")
        return kept
    start = ours.index("runbook:")
    added = [(text, None) for text in ours[start:-1]]
    has_title = any(text.startswith("title:") for text in existing)
    title = [] if has_title else [(text, None) for text in ours if text.startswith("title:")]
    return kept[:-1] + title + added + [kept[-1]]


__all__ = ["Imported", "convert", "title_from_path"]
