"""Links in a line of prose: where they are and what they point to.

Kept apart from `runbookdocs.anchors` (headings, ids, slugs of every renderer) because a site
build reads the links of its decision trees' steps on every tree, and needs a page's anchors
only for a link that names one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from runbookdocs.patterns import lazy

_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(
    r"\[(?P<text>(?:[^\]\\\n]|\\.)*)\]"
    # A destination may hold balanced parentheses (CommonMark: `image%20(9).png`).
    r"\(\s*(?P<target><[^>\n]*>|(?:\\.|[^()\s\\]|\((?:\\.|[^()\s\\])*\))+)"
    r"(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)"
)
REF_DEF = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*(?P<target><[^>]*>|\S+)(?:[ \t]*$|[ \t]+[\"'(])")
"""A link reference definition (`[name]: target`, then nothing or a title); `[^1]: text` is a
footnote, and `[1]: Some words.` a paragraph (CommonMark: words after the target that are not a
quoted title make the line text), not links."""
SCHEME = lazy(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def mask_code(text: str) -> str:
    """`text` with its code spans blanked (same length: columns stay right)."""
    return _CODE_SPAN.sub(lambda m: " " * len(m.group()), text)


def link_texts(text: str) -> list[tuple[int, int]]:
    """(start, end) columns of the text of every link and image in a prose line."""
    return [m.span("text") for m in _LINK.finditer(mask_code(text))]


def links(text: str) -> Iterator[tuple[int, str]]:
    """(0-based column, target) of every link and image in a prose line."""
    masked = mask_code(text)
    for m in _LINK.finditer(masked):
        yield m.start("target"), m.group("target")
    ref = REF_DEF.match(masked)
    if ref:
        yield ref.start("target"), ref.group("target")


_ESCAPE = lazy(
    r"\\([!-/:-@\[-`{-~])|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)


def unescape_target(target: str) -> str:
    """A link destination as the renderer reads it: CommonMark (Goldmark, markdown-it,
    Python-Markdown too) undoes backslash escapes of ASCII punctuation and entity references in
    it, so `release\\_notes/a&amp;b.md` names `release_notes/a&b.md`."""
    if "\\" not in target and "&" not in target:
        return target
    return _ESCAPE.sub(lambda m: m.group(1) or html.unescape(m.group()), target)
