"""Markdown manuals: fixed where the site would misread them, every other byte kept.

Legacy Markdown was written for GitHub or another renderer: `shell script` info strings (dropped
by superfences), untagged fences, indented code blocks, GitHub alerts (`> [!NOTE]`, shown as a
plain quote by mkdocs-material). markdown-it-py (CommonMark, the grammar GitHub follows) finds
them with their line ranges; only those lines are rewritten, so prose, links, lists and tables
stay exactly as the author wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from runbookdocs.i18n import Texts
from runbookdocs.importer import classify as cl
from runbookdocs.importer.model import Code
from runbookdocs.importer.page import block_skip, note_secrets
from runbookdocs.importer.render import Ids, PageLine, fence_for, header
from runbookdocs.importer.report import ImportReport
from runbookdocs.importer.secrets import Secrets
from runbookdocs.importer.text import fence_language, indent_of

if TYPE_CHECKING:
    from markdown_it.token import Token

_ALERT = re.compile(r"^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*", re.I)
_ALERT_KIND = {
    "NOTE": ("note", None),
    "TIP": ("tip", None),
    "IMPORTANT": ("info", "important"),
    "WARNING": ("warning", None),
    "CAUTION": ("danger", "caution"),
}
_CONTAINER = re.compile(r"^\s*(?:!!!|\?\?\?\+?|===)\s")
_QUOTE = re.compile(r"^(?P<indent>[ \t]*)>[ \t]?")
_PAIR = re.compile(r"""(\w+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")


@dataclass
class MarkdownPage:
    """A Markdown source after its fixes."""

    front: list[str] | None
    """The source's own front matter lines (between and including the `---`), if any."""
    body: list[PageLine]
    title: str


def read_markdown(
    text: str, *, report: ImportReport, t: Texts, secrets: Secrets, title_default: str
) -> MarkdownPage:
    """Fix the fences, indented code and alerts of a Markdown page."""
    from markdown_it import MarkdownIt

    lines = text.split("\n")
    front: list[str] | None = None
    offset = 0
    if lines and lines[0].strip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if close is not None:
            front = lines[: close + 1]
            offset = close + 1
    body = lines[offset:]
    tokens = MarkdownIt("commonmark").enable("table").parse("\n".join(body))
    ids = Ids(re.findall(r"\{[^}]*#([A-Za-z][\w.:-]*)", "\n".join(body)))
    edits: dict[int, tuple[int, list[PageLine]]] = {}
    covered: set[int] = set()
    title = ""
    section = ""
    gui: dict[str, list[int]] = {}
    windows: dict[str, list[int]] = {}

    def src(i: int) -> int:
        return i + 1 + offset

    for k, tok in enumerate(tokens):
        if tok.map is None:
            continue
        start, end = tok.map
        if start in covered:
            continue
        if tok.type == "heading_open" and k + 1 < len(tokens):
            section = tokens[k + 1].content
            if tok.tag == "h1" and not title:
                title = section
        elif tok.type == "inline" and tokens[k - 1].type == "paragraph_open":
            if cl.mentions_gui(tok.content):
                gui.setdefault(section, []).append(src(start))
            if cl.mentions_windows(tok.content):
                windows.setdefault(section, []).append(src(start))
        elif tok.type == "fence":
            edits[start] = (
                end,
                _fence(tok, body, start, end, src, ids, section, report, t, secrets),
            )
            covered.update(range(start, end))
        elif tok.type == "code_block":
            if _in_container(body, start):
                continue
            edits[start] = (end, _indented(body, start, end, src, ids, section, report, t, secrets))
            covered.update(range(start, end))
        elif tok.type == "blockquote_open":
            inline = next((x for x in tokens[k + 1 :] if x.type == "inline"), None)
            if inline is None or not _ALERT.match(inline.content):
                continue
            edits[start] = (end, _alert(body, start, end, src, report, t))
            covered.update(range(start, end))
            report.structure["admonitions"] += 1

    out: list[PageLine] = []
    i = 0
    while i < len(body):
        if i in edits:
            end, new = edits[i]
            out.extend(new)
            i = end
            continue
        line = body[i]
        fixed = secrets.in_prose(line, src(i))
        note_secrets([line], [fixed], [src(i)], secrets, report)
        out.append((fixed, src(i)))
        i += 1
    for name, where in gui.items():
        report.add(
            "person",
            where[0],
            f"{_section(name)}{len(where)} step(s) in a graphical interface (at "
            f"{_positions(where)}): done by hand, nothing checks them",
        )
    for name, where in windows.items():
        report.add(
            "person",
            where[0],
            f"{_section(name)}Windows-only procedure (at {_positions(where)}): it cannot run in "
            "a Linux target",
        )
    for name, token in (
        ("headings", "heading_open"),
        ("list items", "list_item_open"),
        ("tables", "table_open"),
    ):
        count = sum(1 for x in tokens if x.type == token)
        if count:
            report.structure[name] += count
    if not title:
        title = title_default or ""
    return MarkdownPage(front, out, title)


def _section(name: str) -> str:
    return f"section '{name}': " if name else ""


def _positions(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:6])
    return shown + (f" and {len(lines) - 6} more" if len(lines) > 6 else "")


def _in_container(body: list[str], start: int) -> bool:
    """Indented code that is really the content of an admonition or a content tab."""
    own = indent_of(body[start])
    for j in range(start - 1, -1, -1):
        line = body[j]
        if not line.strip():
            continue
        if indent_of(line) < own:
            return bool(_CONTAINER.match(line))
    return False


def _fence(
    tok: Token,
    body: list[str],
    start: int,
    end: int,
    src: Callable[[int], int],
    ids: Ids,
    section: str,
    report: ImportReport,
    t: Texts,
    secrets: Secrets,
) -> list[PageLine]:
    from runbookdocs.block import ATTRIBUTES, parse_header

    info, markup = tok.info, tok.markup
    content = tok.content.split("\n")[:-1]
    at = src(start)
    opening = body[start]
    closed = end - start >= 2 and body[end - 1].strip().startswith(markup)
    raw = body[start + 1 : end - 1 if closed else end]
    nums = [src(j) for j in range(start + 1, start + 1 + len(raw))]
    parsed = parse_header(info) if info.strip() else None
    attrs: dict[str, str] = {}
    if parsed is not None and not parsed.problems and parsed.lang:
        lang, guessed = fence_language(parsed.lang, content)
        attrs = dict(parsed.attrs)
    else:
        lang, guessed = fence_language(info, content)
        if info.strip():
            rest = info.split(None, 1)[1] if len(info.split()) > 1 else ""
            for key, dq, sq, bare in _PAIR.findall(rest):
                if key in ATTRIBUTES and key != "id":
                    attrs[key] = dq or sq or bare
            report.add(
                "changed",
                at,
                f"fence header {info.strip()!r} would be dropped by the site: now "
                f"{lang!r}" + (f" with {', '.join(attrs)}" if attrs else ""),
            )
    if guessed:
        report.add("guessed", at, f"{lang} block: {guessed}")
    code = Code(at, lang=lang, lines=content, attrs=attrs, guessed=guessed)
    block_skip(code, t, report)
    report.kinds[lang] += 1
    block_id = attrs.pop("id", None) or ids.make(code, section)
    code.attrs = attrs
    col = opening.index(markup)
    new_open = opening[:col] + markup + header(code, block_id)
    lines = secrets.in_code(lang, raw, nums)
    note_secrets(raw, lines, nums, secrets, report)
    out: list[PageLine] = [(new_open, at)]
    out.extend(zip(lines, nums, strict=True))
    if closed:
        out.append((body[end - 1], src(end - 1)))
    else:
        report.add("changed", at, "fence never closed: closed at the end of its container")
        out.append((opening[:col] + markup, None))
    return out


def _indented(
    body: list[str],
    start: int,
    end: int,
    src: Callable[[int], int],
    ids: Ids,
    section: str,
    report: ImportReport,
    t: Texts,
    secrets: Secrets,
) -> list[PageLine]:
    raw = body[start:end]
    while raw and not raw[-1].strip():
        raw.pop()
    ind = max(0, indent_of(raw[0]) - 4) if raw else 0
    content = [ln.expandtabs(4)[ind + 4 :] if ln.strip() else "" for ln in raw]
    at = src(start)
    nums = [src(j) for j in range(start, start + len(raw))]
    kind = cl.classify(content)
    code = Code(at, lang=kind.lang, lines=content, guessed=kind.reason)
    block_skip(code, t, report)
    report.kinds[kind.lang] += 1
    report.add(
        "changed", at, f"indented code block written as a fence ({kind.lang}: {kind.reason})"
    )
    block_id = ids.make(code, section)
    fence = fence_for(content)
    prefix = " " * ind
    lines = secrets.in_code(kind.lang, content, nums)
    note_secrets(content, lines, nums, secrets, report)
    out: list[PageLine] = [(prefix + fence + header(code, block_id), at)]
    out.extend((prefix + ln if ln else "", n) for ln, n in zip(lines, nums, strict=True))
    out.append((prefix + fence, None))
    out.extend((body[j], src(j)) for j in range(start + len(raw), end))
    return out


def _alert(
    body: list[str], start: int, end: int, src: Callable[[int], int], report: ImportReport, t: Texts
) -> list[PageLine]:
    first = _QUOTE.match(body[start])
    ind = first.group("indent").expandtabs(4) if first else ""
    out: list[PageLine] = []
    for j in range(start, end):
        line = body[j]
        m = _QUOTE.match(line)
        rest = line[m.end() :] if m else line.strip()
        n = src(j)
        if j == start:
            alert = _ALERT.match(rest)
            assert alert is not None
            kind, title_key = _ALERT_KIND[alert.group(1).upper()]
            title = f' "{t(title_key)}"' if title_key else ""
            out.append((f"{ind}!!! {kind}{title}", n))
            rest = rest[alert.end() :]
            if not rest.strip():
                continue
        out.append((f"{ind}    {rest}" if rest.strip() else "", n))
    report.add("changed", src(start), "GitHub alert written as an admonition")
    return out


__all__ = ["MarkdownPage", "read_markdown"]
