"""Word documents (.docx, read with python-docx): structure from styles, code from fonts.

Headings come from heading styles (`Heading 2`, `Titre 2`), lists from numbering (`numPr`) or list
styles, tables from tables. Code is what an author typed in a code style or a monospace font
(Courier New, Consolas...): consecutive code paragraphs make one region; monospace runs inside a
sentence become inline code. Commands typed as plain paragraphs are found like in plain text.
Images are copied next to the page. Positions are paragraph numbers (tables count as one).
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import TYPE_CHECKING, Any

from runbookdocs.i18n import Texts
from runbookdocs.importer import classify as cl
from runbookdocs.importer.model import Code, Element, Heading, Image, Item, Table
from runbookdocs.importer.report import ImportReport
from runbookdocs.importer.source import Source, SourceError
from runbookdocs.importer.text import segment_prose

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

_MONO_NAMES = frozenset(
    name.strip()
    for name in [
        "courier",
        "courier new",
        "consolas",
        "lucida console",
        "lucida sans typewriter",
        "menlo",
        "monaco",
        "dejavu sans mono",
        "liberation mono",
        "source code pro",
        "andale mono",
        "fira code",
        "fira mono",
        "roboto mono",
        "ubuntu mono",
        "noto mono",
        "sf mono",
        "cascadia code",
        "cascadia mono",
        "inconsolata",
        "jetbrains mono",
        "ibm plex mono",
    ]
)
_CODE_STYLE = re.compile(
    r"(?i)\b(?:code|source|preformatted|verbatim|console|terminal|plain text|macro text|html pre"
    r"|listing|command)\b"
)
_HEADING_STYLE = re.compile(r"(?i)^(?:heading|titre|überschrift|título|titolo)\s*(\d)$")
_TITLE_STYLE = re.compile(r"(?i)^(?:title|titre)$")
_LIST_STYLE = re.compile(
    r"(?i)^(?:list|liste)\s*(?P<kind>bullet|number|à puces|numéro)\w*\s*(?P<n>\d)?"
)

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}


def _w(tag: str) -> str:
    return f"{{{NS['w']}}}{tag}"


class _Reader:
    def __init__(self, source: Source, report: ImportReport, image_dir: str) -> None:
        try:
            import docx
        except ImportError as err:  # pragma: no cover - an install without the extra
            raise SourceError(
                f"{source.display}: reading Word documents needs python-docx",
                hint="pip install 'runbookdocs[import]'",
            ) from err
        try:
            self.doc: Any = docx.Document(BytesIO(source.data))
        except Exception as err:  # python-docx raises many types for a damaged package
            raise SourceError(f"{source.display}: damaged Word document: {err}") from err
        self.report = report
        self.image_dir = image_dir
        self.images: dict[str, bytes] = {}
        self.out: list[Element] = []
        self.prose: list[tuple[str, int, int]] = []
        """Plain paragraphs waiting to be searched for commands: (text, position, depth)."""
        self.code: list[tuple[str, int]] = []
        self.code_depth = 0
        self.list_depth: int | None = None
        self.pending_images: list[Image] = []
        self.counters: dict[int, int] = {}
        self.following: dict[int, Any] = {}
        self.current: Any = None
        self.formats = self._numbering_formats()
        # python-docx looks styles up by scanning them all on every `.style`: read each once.
        self.styles: dict[str, Any] = {}
        default = None
        for style in self.doc.styles:
            self.styles[style.style_id] = style
            if style.type == 1 and style.element.default:  # WD_STYLE_TYPE.PARAGRAPH
                default = style
        self.default_style = default
        self._mono_style: dict[str, bool] = {}
        names = [self.style_name(p) for p in self.doc.paragraphs]
        self.has_title = any(_TITLE_STYLE.match(n) for n in names)

    def para_style(self, p: Paragraph) -> Any:
        sid = p._p.style
        return self.styles.get(sid, self.default_style) if sid else self.default_style

    def style_name(self, p: Paragraph) -> str:
        style = self.para_style(p)
        return str(style.name or "") if style is not None else ""

    def style_mono(self, style: Any) -> bool:
        """A style whose font (or its base style's) is monospace."""
        if style is None:
            return False
        key = style.style_id
        if key not in self._mono_style:
            found = False
            current = style
            while current is not None:
                if current.font is not None and current.font.name:
                    found = current.font.name.lower() in _MONO_NAMES
                    break
                current = current.base_style
            self._mono_style[key] = found
        return self._mono_style[key]

    # ------------------------------------------------------------------ numbering

    def _numbering_formats(self) -> dict[tuple[str, str], str]:
        """(numId, ilvl) -> numFmt (`bullet`, `decimal`...)."""
        try:
            numbering = self.doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return {}
        abstract: dict[str, dict[str, str]] = {}
        for a in numbering.findall(_w("abstractNum")):
            levels = {}
            for lvl in a.findall(_w("lvl")):
                fmt = lvl.find(_w("numFmt"))
                levels[lvl.get(_w("ilvl"))] = fmt.get(_w("val")) if fmt is not None else "bullet"
            abstract[a.get(_w("abstractNumId"))] = levels
        out: dict[tuple[str, str], str] = {}
        for num in numbering.findall(_w("num")):
            ref = num.find(_w("abstractNumId"))
            if ref is None:
                continue
            for ilvl, fmt in abstract.get(ref.get(_w("val")), {}).items():
                out[(num.get(_w("numId")), ilvl)] = fmt
        return out

    def list_info(self, p: Paragraph) -> tuple[int, bool] | None:
        """(level, ordered) of a list paragraph, or None."""
        ppr: Any = p._p.pPr
        numpr: Any = ppr.numPr if ppr is not None else None
        if numpr is not None and numpr.numId is not None and numpr.numId.val != 0:
            ilvl = numpr.ilvl.val if numpr.ilvl is not None else 0
            fmt = self.formats.get((str(numpr.numId.val), str(ilvl)), "bullet")
            return int(ilvl), fmt not in ("bullet", "none")
        m = _LIST_STYLE.match(self.style_name(p))
        if m:
            level = int(m.group("n")) - 1 if m.group("n") else 0
            return max(level, 0), m.group("kind").lower() in ("number", "numéro")
        return None

    # ------------------------------------------------------------------ runs

    def is_mono(self, run: Any, para_style_mono: bool) -> bool:
        font = run.font.name
        if font is None:
            sid = run._r.style
            style = self.styles.get(sid) if sid else None
            if style is not None:
                if style.name and _CODE_STYLE.search(style.name):
                    return True
                if self.style_mono(style):
                    return True
        if font is None:
            return para_style_mono
        return str(font).lower() in _MONO_NAMES

    def para_mono(self, p: Paragraph) -> bool:
        return self.style_mono(self.para_style(p))

    def is_code(self, p: Paragraph) -> bool:
        name = self.style_name(p)
        if name and _CODE_STYLE.search(name):
            return True
        style_mono = self.para_mono(p)
        runs = [r for r in p.runs if r.text.strip()]
        return bool(runs) and all(self.is_mono(r, style_mono) for r in runs)

    def inline(self, p: Paragraph, position: int) -> str:
        """The paragraph as Markdown: bold, italic, inline code, links, images."""
        style_mono = self.para_mono(p)
        parts: list[str] = []
        pieces: list[tuple[str, str, str | None]] = []
        for item in p.iter_inner_content():
            if hasattr(item, "address") or hasattr(item, "url"):
                url = getattr(item, "url", None) or getattr(item, "address", "")
                pieces.append((item.text, "link", url))
                continue
            text = item.text
            if not text:
                continue
            mark = ""
            if self.is_mono(item, style_mono):
                mark = "`"
            elif item.bold:
                mark = "**"
            elif item.italic:
                mark = "*"
            pieces.append((text, mark, None))
        merged: list[tuple[str, str, str | None]] = []
        for text, mark, url in pieces:
            if merged and merged[-1][1] == mark and mark != "link":
                merged[-1] = (merged[-1][0] + text, mark, None)
            else:
                merged.append((text, mark, url))
        for text, mark, url in merged:
            if mark == "link":
                parts.append(f"[{text}]({url})" if url else text)
            elif mark and text.strip():
                lead = text[: len(text) - len(text.lstrip())]
                trail = text[len(text.rstrip()) :]
                parts.append(f"{lead}{mark}{text.strip()}{mark}{trail}")
            else:
                parts.append(text)
        return "".join(parts).replace("\t", " ")

    def images_in(self, element: Any, position: int) -> None:
        for blip in element.iter(f"{{{NS['a']}}}blip"):
            rid = blip.get(f"{{{NS['r']}}}embed")
            if not rid:
                continue
            try:
                part = self.doc.part.related_parts[rid]
            except KeyError:
                continue
            ext = str(part.partname).rsplit(".", 1)[-1].lower()
            name = f"{self.image_dir}/image{len(self.images) + 1}.{ext}"
            self.images[name] = part.blob
            alt = ""
            for pr in element.iter(f"{{{NS['wp']}}}docPr"):
                alt = pr.get("descr") or pr.get("title") or ""
            self.pending_images.append(Image(position, 0, src=name, alt=alt))
            self.report.structure["images"] += 1

    # ------------------------------------------------------------------ flushing

    def flush_prose(self) -> None:
        if not self.prose:
            return
        self.out.extend(segment_prose(self.prose, report=self.report, numbered=False))
        self.prose = []

    def flush_code(self) -> None:
        if not self.code:
            return
        lines = [text for text, _ in self.code]
        while lines and not lines[-1].strip():
            lines.pop()
        kind = cl.classify(lines)
        position = self.code[0][1]
        self.out.append(
            Code(
                position,
                self.code_depth,
                lang=kind.lang,
                lines=lines,
                source_lines=[n for _, n in self.code][: len(lines)],
                guessed=f"code style or monospace font: {kind.reason}",
            )
        )
        self.report.add("guessed", position, f"{kind.lang} block: {kind.reason}")
        self.code = []

    def flush(self) -> None:
        self.flush_prose()
        self.flush_code()

    # ------------------------------------------------------------------ walking

    def run(self) -> tuple[list[Element], dict[str, bytes]]:
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph as DocxParagraph

        position = 0
        children = list(self.doc.element.body.iterchildren())
        self.following = {}
        for k, child in enumerate(children):
            if child.tag == _w("p"):
                self.following[id(child)] = children[k + 1 :]
        for child in children:
            if child.tag == _w("p"):
                position += 1
                self.pending_images = []
                self.current = child
                self.images_in(child, position)
                self.paragraph(DocxParagraph(child, self.doc), position)
                if self.pending_images:
                    self.flush()
                    self.out.extend(self.pending_images)
            elif child.tag == _w("tbl"):
                position += 1
                self.flush()
                self.pending_images = []
                self.table(DocxTable(child, self.doc), position)
        self.flush()
        return self.out, self.images

    def paragraph(self, p: Paragraph, position: int) -> None:
        name = self.style_name(p)
        text = p.text
        heading = _HEADING_STYLE.match(name)
        if heading or _TITLE_STYLE.match(name):
            self.flush()
            self.list_depth = None
            self.counters.clear()
            if not text.strip():
                return
            level = 1 if not heading else int(heading.group(1)) + (1 if self.has_title else 0)
            self.out.append(
                Heading(position, 0, level=min(level, 6), text=self.inline(p, position).strip())
            )
            self.report.structure["headings"] += 1
            return
        listed = self.list_info(p)
        indented = self._indent(p) > 0
        if self.is_code(p):
            self.flush_prose()
            in_item = listed is not None or (
                self.list_depth is not None and (indented or self._list_goes_on())
            )
            depth = (listed[0] if listed else (self.list_depth or 0)) + 1 if in_item else 0
            if self.code and depth != self.code_depth:
                self.flush_code()
            self.code_depth = depth
            self.code.extend((line, position) for line in text.split("\n"))
            return
        if self.code and not text.strip():
            self.code.append(("", position))
            return
        self.flush_code()
        if not text.strip():
            return
        if listed is not None:
            self.flush_prose()
            level, ordered = listed
            self.list_depth = level
            for deeper in [k for k in self.counters if k > level]:
                del self.counters[deeper]
            self.counters[level] = self.counters.get(level, 0) + 1
            self.out.append(
                Item(
                    position,
                    level,
                    ordered=ordered,
                    number=self.counters[level],
                    lines=[self.inline(p, position).strip()],
                )
            )
            self.report.structure["list items"] += 1
            return
        depth = self.list_depth + 1 if (indented and self.list_depth is not None) else 0
        if not indented:
            self.list_depth = None
            self.counters.clear()
        self.prose.append((self.inline(p, position).strip(), position, depth))

    def _list_goes_on(self) -> bool:
        """Whether the list resumes after the code paragraphs that follow this one."""
        from docx.text.paragraph import Paragraph as DocxParagraph

        for child in self.following.get(id(self.current), []):
            if child.tag != _w("p"):
                return False
            p = DocxParagraph(child, self.doc)
            if self.is_code(p) or not p.text.strip():
                continue
            return self.list_info(p) is not None
        return False

    def _indent(self, p: Paragraph) -> int:
        ind = p.paragraph_format.left_indent
        return int(ind) if ind else 0

    def table(self, table: Any, position: int) -> None:
        rows: list[list[str]] = []
        for row in table.rows:
            cells: list[str] = []
            for cell in row.cells:
                texts = [self.inline(cp, position).strip() for cp in cell.paragraphs]
                cells.append("<br>".join(t for t in texts if t))
            rows.append(cells)
        if rows:
            self.out.append(Table(position, 0, rows=rows))
            self.report.structure["tables"] += 1


def read_docx(
    source: Source, report: ImportReport, t: Texts, *, image_dir: str
) -> tuple[list[Element], dict[str, bytes]]:
    """A Word document as elements, and its images (path relative to the page -> bytes)."""
    del t  # the Word reader adds no prose of its own
    return _Reader(source, report, image_dir).run()


__all__ = ["read_docx"]
