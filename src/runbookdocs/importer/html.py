"""HTML manuals (Confluence and wiki exports, read with lxml): tags say what things are.

`<h1>`-`<h6>` are headings; `<ul>`/`<ol>` lists (nested); `<table>` tables; `<pre>`, Confluence
code macros and `<code class="language-x">` are code, with their language when the export kept
it (`brush: bash`, `ac:parameter ac:name="language"`, `language-bash`, `mw-highlight-lang-bash`);
Confluence information, note, warning and tip panels become admonitions. Commands typed in plain
paragraphs are found like in plain text. Navigation, breadcrumbs and footers are left out.
Positions are the source's lines.
"""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

from runbookdocs.i18n import Texts
from runbookdocs.importer import classify as cl
from runbookdocs.importer.model import Admonition, Code, Element, Heading, Image, Item, Table
from runbookdocs.importer.report import ImportReport
from runbookdocs.importer.source import Source, SourceError
from runbookdocs.importer.text import fence_language, segment_prose

_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_SKIP = frozenset({"script", "style", "nav", "header", "footer", "head", "noscript", "template"})
_SKIP_ID = re.compile(r"(?i)breadcrumb|footer|page-metadata|navigation|sidebar|likes|comments")
_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "aside",
        "ul",
        "ol",
        "li",
        "table",
        "pre",
        "blockquote",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "dl",
        "dt",
        "dd",
        "figure",
        "ac:structured-macro",
        "ac:rich-text-body",
        "ac:plain-text-body",
        "ac:layout",
        "ac:layout-section",
        "ac:layout-cell",
        "body",
        "html",
    ]
)
_PANELS = {
    "information": "info",
    "info": "info",
    "note": "note",
    "warning": "warning",
    "tip": "tip",
    "success": "success",
    "panel": "note",
    "error": "danger",
}
_BRUSH = re.compile(r"brush:\s*([\w+#-]+)")
_LANG_CLASS = re.compile(r"(?:language|lang|brush|mw-highlight-lang|highlight-source)-([\w+#-]+)")
_WS = re.compile(r"[ \t\r\n]+")


def _tag(el: Any) -> str:
    tag = el.tag
    return tag.lower() if isinstance(tag, str) else ""


def _classes(el: Any) -> str:
    return str(el.get("class") or "")


class _Reader:
    def __init__(self, source: Source, report: ImportReport) -> None:
        try:
            from lxml import html as lxml_html
        except ImportError as err:  # pragma: no cover - an install without the extra
            raise SourceError(
                f"{source.display}: reading HTML needs lxml",
                hint="pip install 'runbookdocs[import]'",
            ) from err
        text = _CDATA.sub(lambda m: htmllib.escape(m.group(1), quote=False), source.text)
        if not text.strip():
            raise SourceError(f"{source.display}: empty HTML document")
        try:
            self.root = lxml_html.document_fromstring(text)
        except Exception as err:  # lxml's parser errors: an unusable document
            raise SourceError(f"{source.display}: cannot be parsed as HTML: {err}") from err
        self.report = report
        self.out: list[Element] = []
        self.prose: list[tuple[str, int, int]] = []

    # ------------------------------------------------------------------ inline

    def inline(self, el: Any, *, top: bool = True) -> str:
        parts: list[str] = []
        if el.text:
            parts.append(el.text)
        for child in el:
            tag = _tag(child)
            if tag in _SKIP or not tag:
                pass
            elif tag == "br":
                parts.append("\n")
            elif tag in ("strong", "b"):
                parts.append(_wrap(self.inline(child, top=False), "**"))
            elif tag in ("em", "i"):
                parts.append(_wrap(self.inline(child, top=False), "*"))
            elif tag in ("code", "tt", "kbd", "samp"):
                parts.append(_wrap(_WS.sub(" ", child.text_content()), "`"))
            elif tag == "a":
                label = self.inline(child, top=False).strip()
                href = child.get("href")
                parts.append(f"[{label}]({href})" if href and label else label)
            elif tag == "img":
                parts.append(f"![{child.get('alt') or ''}]({child.get('src') or ''})")
            elif tag in ("ul", "ol", "pre", "table") or _classes(child).startswith("code"):
                pass  # blocks inside a list item or a cell: walked on their own
            else:
                parts.append(self.inline(child, top=False))
            if child.tail:
                parts.append(child.tail)
        text = "".join(parts)
        if top:
            lines = [_WS.sub(" ", ln).strip() for ln in text.split("\n")]
            return "\n".join(ln for ln in lines if ln)
        return _WS.sub(" ", text) if "\n" not in text else text

    # ------------------------------------------------------------------ flushing

    def flush(self) -> None:
        if not self.prose:
            return
        self.out.extend(segment_prose(self.prose, report=self.report, numbered=True))
        self.prose = []

    def add(self, element: Element) -> None:
        self.flush()
        self.out.append(element)

    # ------------------------------------------------------------------ blocks

    def main(self) -> Any:
        for xpath in (
            '//*[@id="main-content"]',
            '//*[contains(concat(" ", normalize-space(@class), " "), " wiki-content ")]',
            '//*[@id="mw-content-text"]',
            "//main",
            "//article",
            '//*[@id="content"]',
            "//body",
        ):
            found = self.root.xpath(xpath)
            if found:
                return found[0]
        return self.root

    def title(self) -> str:
        for xpath in ('//*[@id="title-text"]', "//h1", "//title"):
            found = self.root.xpath(xpath)
            if found:
                text = _WS.sub(" ", found[0].text_content()).strip()
                # Confluence titles read "Space : Page"; the page is what matters.
                return text.split(" : ", 1)[-1] if " : " in text else text
        return ""

    def run(self) -> list[Element]:
        main = self.main()
        title = self.title()
        if title and not any(_tag(h) == "h1" for h in main.iter()):
            self.out.append(Heading(1, 0, level=1, text=title))
        self.walk(main, 0)
        self.flush()
        return self.out

    def walk(self, el: Any, depth: int) -> None:
        pending: list[str] = [el.text or ""]
        for child in el:
            tag = _tag(child)
            if not tag or tag in _SKIP or _SKIP_ID.search(str(child.get("id") or "")):
                pending.append(child.tail or "")
                continue
            if tag in _BLOCK or self.is_block(child):
                self.loose(pending, el, depth)
                pending = []
                self.block(child, tag, depth)
                pending.append(child.tail or "")
            else:
                pending.append(self.inline_fragment(child))
                pending.append(child.tail or "")
        self.loose(pending, el, depth)

    def inline_fragment(self, el: Any) -> str:
        wrapper = el.makeelement("span")
        wrapper.append(_copy(el))
        return "\x00" + self.inline(wrapper, top=False) + "\x00"

    def loose(self, parts: list[str], el: Any, depth: int) -> None:
        text = "".join(parts).replace("\x00", "")
        text = "\n".join(_WS.sub(" ", ln).strip() for ln in text.split("\n"))
        if text.strip():
            self.prose.append((text.strip(), el.sourceline or 1, depth))

    def is_block(self, el: Any) -> bool:
        return any(_tag(c) in _BLOCK for c in el.iter() if c is not el)

    def block(self, el: Any, tag: str, depth: int) -> None:
        line = el.sourceline or 1
        classes = _classes(el)
        if re.fullmatch(r"h[1-6]", tag):
            text = self.inline(el).replace("\n", " ").strip()
            if text:
                self.add(Heading(line, 0, level=int(tag[1]), text=text))
                self.report.structure["headings"] += 1
            return
        if tag == "pre" or (tag == "ac:structured-macro" and el.get("ac:name") == "code"):
            self.code(el, depth)
            return
        if tag == "ac:structured-macro":
            name = el.get("ac:name") or ""
            body = next((c for c in el if _tag(c) == "ac:rich-text-body"), None)
            if name in _PANELS and body is not None:
                title = self.parameter(el, "title")
                self.add(Admonition(line, depth, kind=_PANELS[name], title=title or None))
                self.report.structure["admonitions"] += 1
                self.walk(body, depth + 1)
                self.flush()
                return
            if body is not None:
                self.walk(body, depth)
            return
        panel = re.search(r"confluence-information-macro-(\w+)", classes)
        if tag == "div" and panel:
            kind = _PANELS.get(panel.group(1), "note")
            title_el = el.xpath('.//*[contains(@class, "title")]')
            title = _WS.sub(" ", title_el[0].text_content()).strip() if title_el else ""
            self.add(Admonition(line, depth, kind=kind, title=title or None))
            self.report.structure["admonitions"] += 1
            body = el.xpath('.//*[contains(@class, "confluence-information-macro-body")]')
            self.walk(body[0] if body else el, depth + 1)
            self.flush()
            return
        if tag in ("ul", "ol"):
            self.flush()
            number = int(el.get("start") or 1)
            for li in el:
                if _tag(li) != "li":
                    continue
                text = self.inline(li).strip()
                self.add(
                    Item(
                        li.sourceline or line,
                        depth,
                        ordered=tag == "ol",
                        number=number,
                        lines=text.split("\n") if text else [""],
                    )
                )
                self.report.structure["list items"] += 1
                number += 1
                for child in li:
                    ctag = _tag(child)
                    if (
                        ctag in ("ul", "ol", "pre", "table", "blockquote", "ac:structured-macro")
                        or (ctag == "div" and self.is_block(child))
                        or (ctag == "div" and "code" in _classes(child))
                    ):
                        self.block(child, ctag, depth + 1)
                self.flush()
            return
        if tag == "table":
            self.table(el, depth)
            return
        if tag == "img":
            self.add(Image(line, depth, src=el.get("src") or "", alt=el.get("alt") or ""))
            return
        if tag == "blockquote":
            text = self.inline(el)
            self.prose.append(("\n".join("> " + ln for ln in text.split("\n")), line, depth))
            return
        if tag == "hr":
            return
        if tag == "p" and not self.is_block(el):
            text = self.inline(el)
            if text.strip():
                self.prose.append((text, line, depth))
            return
        self.walk(el, depth)

    def parameter(self, macro: Any, name: str) -> str:
        for p in macro:
            if _tag(p) == "ac:parameter" and p.get("ac:name") == name:
                return str(p.text_content()).strip()
        return ""

    def code(self, el: Any, depth: int) -> None:
        line = el.sourceline or 1
        if _tag(el) == "ac:structured-macro":
            hint = self.parameter(el, "language")
            body = next((c for c in el if _tag(c) == "ac:plain-text-body"), None)
            text = body.text_content() if body is not None else ""
            title = self.parameter(el, "title")
        else:
            hint = ""
            params = el.get("data-syntaxhighlighter-params") or ""
            m = _BRUSH.search(params) or _BRUSH.search(_classes(el))
            if m:
                hint = m.group(1)
            near = [el, *list(el.iterancestors())[:2], *el.iterdescendants()]
            for node in near:
                if hint:
                    break
                m2 = _LANG_CLASS.search(_classes(node))
                if m2:
                    hint = m2.group(1)
                elif _tag(node) in ("syntaxhighlight", "source") and node.get("lang"):
                    hint = str(node.get("lang"))
            text = el.text_content()
            header = el.xpath(
                'ancestor::*[contains(concat(" ", normalize-space(@class), " "), " code ")][1]'
                '//*[contains(@class, "codeHeader")]'
            )
            title = _WS.sub(" ", header[0].text_content()).strip() if header else ""
        lines = text.replace("\r\n", "\n").split("\n")
        while lines and not lines[0].strip():
            lines.pop(0)
            line += 1
        while lines and not lines[-1].strip():
            lines.pop()
        hint = {"none": "", "text": "text", "shell": "bash", "powershell": "powershell"}.get(
            hint.lower(), hint.lower()
        )
        lang, guessed = fence_language(hint, lines)
        if lang in ("js", "javascript", "jscript") and cl.classify(lines).lang == "json":
            lang = "json"  # Confluence has no JSON brush: authors pick JavaScript
        if guessed:
            self.report.add("guessed", line, f"{lang} block: {guessed}")
        kind = cl.classify(lines) if lang in ("bash", "sh", "shell") else None
        if kind is not None and kind.lang == "console":
            lang = "console"  # a "bash" macro holding a transcript: prompts and output
            self.report.add("guessed", line, "console block: bash macro with prompts and output")
        self.add(
            Code(
                line,
                depth,
                lang=lang,
                lines=lines,
                source_lines=[line + k for k in range(len(lines))],
                guessed=guessed,
                id_hint=title or None,
            )
        )

    def table(self, el: Any, depth: int) -> None:
        rows: list[list[str]] = []
        for tr in el.iter("tr"):
            cells = [
                self.inline(c).replace("\n", "<br>").strip()
                or " ".join(_WS.sub(" ", c.text_content()).split())
                for c in tr
                if _tag(c) in ("td", "th")
            ]
            if cells:
                rows.append(cells)
        if rows:
            self.add(Table(el.sourceline or 1, depth, rows=rows))
            self.report.structure["tables"] += 1


def _wrap(text: str, mark: str) -> str:
    inner = text.strip()
    if not inner:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{inner}{mark}{trail}"


def _copy(el: Any) -> Any:
    import copy

    clone = copy.deepcopy(el)
    clone.tail = None
    return clone


def read_html(source: Source, report: ImportReport, t: Texts) -> list[Element]:
    """An HTML manual as elements."""
    del t  # the HTML reader adds no prose of its own
    return _Reader(source, report).run()


__all__ = ["read_html"]
