"""Find fenced code blocks and HTML comments, in one pass, the way a Markdown renderer does.

markdown-it-py reads a fence inside a content tab (`=== "Debian"`) or an admonition
(`!!! warning`) as indented code, so walking its tokens misses those blocks. This lexer follows
container prefixes instead: blockquote markers and indentation (lists, tabs, admonitions).

One pass finds both fences and block-level HTML comments: a `<!--` inside a fence is code, and a
fence inside a comment is not a block, exactly as CommonMark renders them.

The indentation before a fence is split in two: the *container*'s (the list item, admonition or
tab the fence is in, found by looking back at the lines above) and the fence's *own* 0-3 spaces
(CommonMark lets a fence be indented; its content loses up to as many spaces, and its closing
fence may be indented 0-3 spaces). A content line less indented than the container ends it; a
bare closing fence that ends a container is taken as the fence's misplaced closing fence, never
as the opening of a new block that would swallow the next ones.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from runbookdocs.extract.snippets import Line
from runbookdocs.patterns import lazy

_OPEN = re.compile(
    r"^(?P<prefix>(?:[ ]{0,3}>[ ]?)*)(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$"
)
_QUOTED_OPEN = (
    r"^(?P<lead>[ \t]+)(?P<prefix>>[ ]?(?:[ ]{0,3}>[ ]?)*)(?P<indent>[ \t]*)"
    r"(?P<fence>`{3,}|~{3,})(?P<info>.*)$"
)
"""A fence in a blockquote that is itself in a list item (`1. Do this` / `    > ```yaml`)."""
_QUOTE = lazy(r"^[ ]{0,3}>[ ]?")
_LEAD_QUOTE = lazy(r"^(?P<lead>[ \t]*)>[ ]?")
_COMMENT = re.compile(r"^[ \t]*(?:>[ \t]?)*[ \t]*<!--")
_LIST_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|[0-9]{1,9}[.)])(?P<gap>[ \t]+|$)")
_CONTAINER = re.compile(r"^(?P<indent>[ \t]*)(?:!!!|\?\?\?\+?|===\+?)[ \t]")
"""Admonitions (`!!! note`, `??? tip`) and content tabs (`=== "Debian"`): content at +4."""
_BLOCK_START = re.compile(r"^[ \t]*(?:`{3,}|~{3,}|#{1,6}(?:[ \t]|$)|>|\||<[A-Za-z/!?])")
"""A line that opens a block of its own (fence, heading, quote, table, HTML), never lazy."""
_LOOK_BACK = 200
"""Lines looked at above a fence to find its container."""


class Fence(NamedTuple):
    """A fence as found in the expanded page, before its header is interpreted."""

    open_index: int
    """Index of the opening line in the expanded lines."""
    info: str
    """Text after the backticks."""
    info_col: int
    """1-based column where `info` starts."""
    indent: int
    """Columns before the backticks (container and the fence's own indentation)."""
    content: tuple[Line, ...]
    """Content lines with the container prefix and the fence's own indentation removed."""
    close_index: int
    """Index of the closing line (or of the last content line when never closed)."""
    closed: bool
    """False when the fence is never closed (or its container ends first)."""
    own_indent: int = 0
    """Columns of indentation that belong to the fence itself, not to a container (0-3 in
    CommonMark; pymdownx.superfences renders a top-level fence only at 0)."""
    close_indent: int | None = None
    """Columns before the closing fence, relative to the container (None: not closed)."""
    misplaced_close: int | None = None
    """Index of a bare fence line outside the container, taken as this fence's closing fence
    written at the wrong indentation (the fence is then not closed)."""


class Comment(NamedTuple):
    """A block-level HTML comment (`<!-- ... -->`) outside fences."""

    start: int
    """Index of its first line."""
    end: int
    """Index of its last line (the one holding `-->`, or the last line when never closed)."""
    closed: bool
    text: str
    """What is between `<!--` and `-->`."""


def indent_width(ws: str) -> int:
    """Columns `ws` (spaces and tabs, tab stops every 4) takes."""
    col = 0
    for ch in ws:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col


def remove_columns(text: str, columns: int) -> str:
    """`text` without `columns` columns of leading blanks (a straddling tab is expanded)."""
    col, i = 0, 0
    while i < len(text) and col < columns and text[i] in " \t":
        col = col + 4 - col % 4 if text[i] == "\t" else col + 1
        i += 1
    return " " * max(col - columns, 0) + text[i:]


def _strip_quotes(text: str, quotes: int, lead: int = 0) -> str | None:
    """`text` without its `quotes` blockquote markers, the first of which may be indented up
    to `lead` + 3 columns (the blockquote is in a list item); None when a marker is missing."""
    for k in range(quotes):
        if k == 0 and lead:
            m = _LEAD_QUOTE.match(text)
            if m is None or indent_width(m.group("lead")) > lead + 3:
                return None
        else:
            m = _QUOTE.match(text)
            if m is None:
                return None
        text = text[m.end() :]
    return text


def _container(lines: list[Line], i: int, width: int) -> int:
    """Columns of the list item, admonition or tab that holds a fence at `width` columns on
    line `i` (0: the fence is at the top level and `width` is its own indentation)."""
    if width == 0:
        return 0
    floor = width
    for k in range(i - 1, max(i - 1 - _LOOK_BACK, -1), -1):
        text = lines[k].text
        if not text.strip():
            continue
        lead = indent_width(text[: len(text) - len(text.lstrip(" \t"))])
        item = _LIST_ITEM.match(text)
        if item is not None:
            gap = indent_width(item.group("gap")) if item.group("gap").strip(" \t") == "" else 1
            content = lead + len(item.group("marker")) + (gap if 1 <= gap <= 4 else 1)
            if content <= width and floor >= content:
                return content
        box = _CONTAINER.match(text)
        if box is not None and lead + 4 <= width and floor >= lead + 4:
            return lead + 4
        if item is None and box is None and not _BLOCK_START.match(text) and _lazy(lines, k):
            continue  # a lazy continuation line: it does not end the list item above it
        floor = min(floor, lead)
        if floor == 0:
            break
    # No container above: at most 3 columns are the fence's own; more is a container we
    # could not see (an indented block of some extension), kept as such.
    return 0 if width <= 3 else width


def in_container(lines: list[Line], i: int, width: int) -> bool:
    """True when a list item, admonition or tab above line `i` holds text that starts `width`
    columns in (at most 3) on that line, so that the text is not at the page's top level."""
    return width <= 3 and _container(lines, i, width) > 0


def _lazy(lines: list[Line], k: int) -> bool:
    """True when line `k` continues the paragraph that opens a list item above it: CommonMark
    keeps such a *lazy* line in the item however little it is indented, so it must not end
    the item for a fence further down (`1. **Title:**` / `Text at the margin.` / indented
    fence)."""
    for up in range(k - 1, max(k - 1 - _LOOK_BACK, -1), -1):
        text = lines[up].text
        item = _LIST_ITEM.match(text)
        if item is not None:
            return bool(text[item.end() :].strip())  # the item opens with a paragraph
        if not text.strip() or _BLOCK_START.match(text) or _CONTAINER.match(text):
            return False  # a blank line or another block: no open paragraph to continue
    return False


def scan(
    lines: list[Line], *, skip: set[int] | None = None, superfences: bool = False
) -> tuple[list[Fence], list[Comment]]:
    """Every fenced block and every block-level HTML comment of `lines`, in page order.

    Args:
        lines: the expanded page.
        skip: indices that are never fence openings.
        superfences: the page is rendered by pymdownx.superfences (MkDocs), which also reads a
            fence indented more than 3 columns past its list item's content, as a block.
    """
    fences: list[Fence] = []
    comments: list[Comment] = []
    skip = skip or set()
    i, n = 0, len(lines)
    while i < n:
        text = lines[i].text
        if "<!--" in text and _COMMENT.match(text):
            i = _comment(lines, i, comments)
            continue
        if "``" not in text and "~~" not in text:  # most lines: no regex needed
            i += 1
            continue
        m = _OPEN.match(text) if i not in skip else None
        if m is None and i not in skip and ">" in text:
            m = _quoted_in_item(lines, i)
        if m is None or (m.group("fence")[0] == "`" and "`" in m.group("info")):
            i += 1
            continue
        fence, i = _fence(lines, i, m, superfences)
        fences.append(fence)
    return fences, comments


def _quoted_in_item(lines: list[Line], i: int) -> re.Match[str] | None:
    """The opening of a fence in a blockquote indented under a list item, or None (a
    blockquote indented 4 columns or more past its container is indented code)."""
    m = re.match(_QUOTED_OPEN, lines[i].text)
    if m is None:
        return None
    lead = indent_width(m.group("lead"))
    return m if lead - _container(lines, i, lead) <= 3 else None


def _comment(lines: list[Line], i: int, comments: list[Comment]) -> int:
    text = lines[i].text
    body = text[text.index("<!--") + 4 :]
    j = i
    while "-->" not in body and j + 1 < len(lines):
        j += 1
        body += "\n" + lines[j].text
    closed = "-->" in body
    comments.append(Comment(i, j, closed, body.split("-->", 1)[0]))
    return j + 1


def _fence(
    lines: list[Line], i: int, m: re.Match[str], superfences: bool = False
) -> tuple[Fence, int]:
    """The fence opened on line `i`, and the index of the line after it."""
    n = len(lines)
    quotes = m.group("prefix").count(">")
    quote_lead = indent_width(m.groupdict().get("lead") or "")
    width = indent_width(m.group("indent"))
    container = width if quotes else _container(lines, i, width)
    if superfences and width - container > 3:
        # More than 3 columns past the list item's content (a fence under `- text`):
        # superfences reads it like a fence in a container at its own column (content as
        # indented, closing fence exactly there). CommonMark has no fence there (a paragraph
        # line, or indented code showing the backticks): it stays reported as never closed.
        container = width
    own = width - container
    fence = m.group("fence")
    closer = re.compile(rf"^(?P<ws>[ ]{{0,3}}){re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    content: list[Line] = []
    j, closed, close_indent, misplaced = i + 1, False, None, None
    if not quotes and not width:
        # A fence at column 1 (most of them): its lines are taken as they are, and only a line
        # with the fence's character can close it. The loop below gives the same, slower.
        mark = fence[0]
        while j < n:
            line = lines[j]
            close = closer.match(line.text) if mark in line.text else None
            if close is not None:
                closed, close_indent = True, len(close.group("ws"))
                break
            content.append(line if line.text.strip() else Line("", line.page_line, line.origin))
            j += 1
    while j < n and not closed:
        line = lines[j]
        text = _strip_quotes(line.text, quotes, quote_lead) if quotes else line.text
        if text is None:
            break
        if not text.strip():
            content.append(Line("", line.page_line, line.origin))
            j += 1
            continue
        lead = indent_width(text[: len(text) - len(text.lstrip(" \t"))])
        if lead < container:
            if closer.match(text.lstrip(" \t")) and quotes == 0:
                misplaced = j  # the closing fence, written outside the container
            break
        inner = remove_columns(text, container)
        close = closer.match(inner)
        if close is not None:
            closed, close_indent = True, len(close.group("ws"))
            break
        content.append(Line(remove_columns(inner, own), line.page_line, line.origin))
        j += 1
    end = j if closed else max(j - 1, i)
    found = Fence(
        open_index=i,
        info=m.group("info"),
        info_col=m.start("info") + 1,
        indent=quote_lead + indent_width(m.group("prefix") + m.group("indent")),
        content=tuple(content),
        close_index=end,
        closed=closed,
        own_indent=own,
        close_indent=close_indent,
        misplaced_close=misplaced,
    )
    if closed:
        return found, j + 1
    if misplaced is not None:
        return found, misplaced + 1
    return found, j


_STRAY_FENCE = lazy(r"^[ \t]*(?:`{2,}|~{2,})")
_PROSE_LINE = r"^[ \t]*[A-Z][a-z']*[ \t]+(?:\S+[ \t]+){3,}\S*(?:[.:][ \t]*$|`)|.*\]\(|.*\*\*\w"
"""A sentence of the page (four words or more after a capitalised one, ending a sentence or
holding a code span), a Markdown link or bold text: prose, not code."""


def ended_by_container(fence: Fence, lines: list[Line]) -> bool:
    """True when a fence that is never closed ends with the list item or blockquote it is in,
    before the page ends, and takes nothing of the page's text with it: CommonMark closes it
    there and the page renders as written. False when it holds nothing (a stray fence line),
    a fence-like line (```` `` ```` or ```` ```sql ```` written as its closing fence), or a
    line of prose that was meant to follow the code."""
    if fence.closed or fence.misplaced_close is not None:
        return False
    if not any(ln.text.strip() for ln in lines[fence.close_index + 1 :]):
        return False  # it runs to the end of the page
    if fence.own_indent > 3 or fence.indent == fence.own_indent:
        return False  # not in a container (or indented code, showing the backticks)
    body = [ln.text for ln in fence.content if ln.text.strip()]
    return bool(body) and not any(
        _STRAY_FENCE.match(text) or re.match(_PROSE_LINE, text) for text in body
    )


def ended_by_page(fence: Fence, lines: list[Line]) -> bool:
    """True when a fence that is never closed runs to the end of the page with one stretch of
    code in it: CommonMark closes a code block at the end of the document (or of its
    container), so the page renders as written. False when it holds nothing, a fence-like
    line, a line of prose, or a blank line with more after it: past a blank line the page's
    own text may go on (a heading, a last word, a section still to write) and be swallowed,
    so the fence is reported never closed, as before."""
    if fence.closed or fence.misplaced_close is not None:
        return False
    if any(ln.text.strip() for ln in lines[fence.close_index + 1 :]):
        return False  # its container ends first: `ended_by_container` reads that
    if fence.own_indent > 3:
        return False  # indented code, showing the backticks
    texts = [ln.text for ln in fence.content]
    while texts and not texts[-1].strip():
        texts.pop()
    return (
        bool(texts)
        and all(text.strip() for text in texts)
        and not any(_STRAY_FENCE.match(text) or re.match(_PROSE_LINE, text) for text in texts)
    )


def find_fences(
    lines: list[Line], *, skip: set[int] | None = None, superfences: bool = False
) -> list[Fence]:
    """Every fenced block in `lines`, outside HTML comments; indices in `skip` never open one."""
    return scan(lines, skip=skip, superfences=superfences)[0]
