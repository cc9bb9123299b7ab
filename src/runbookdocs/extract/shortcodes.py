"""Find Hugo's `highlight` shortcode blocks: code written without a fence.

A Hugo page may show code as `{{< highlight bash >}}` ... `{{< /highlight >}}` (or with `%`
for `<`): Hugo hands the lines between to its highlighter, exactly as it would a fenced block
of that language. The shortcode is read before Markdown: one written inside a fence or an HTML
comment is text, not a block, and a fence between the two shortcodes is code of the block, not
a block of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from runbookdocs.extract.fences import indent_width, remove_columns
from runbookdocs.extract.snippets import Line

_OPEN = re.compile(
    r"^(?P<indent>[ \t]*)\{\{[<%][ \t]*highlight(?P<args>(?:[ \t]+[^\n]*?)?)[ \t]*[>%]\}\}[ \t]*$"
)
"""An opening shortcode alone on its line."""
_ARG = re.compile(r"(?:(?P<name>\w+)=)?(?P<value>\"[^\"]*\"|`[^`]*`|[^\s\"`]+)")
"""One argument: positional (Hugo's: the language, then the options) or named (`type="py"`,
as themes that replace the shortcode take it)."""
_CLOSE = re.compile(r"\{\{[<%][ \t]*/[ \t]*highlight[ \t]*[>%]\}\}")


class Highlight(NamedTuple):
    """A `highlight` shortcode block as found in the expanded page."""

    open_index: int
    """Index of the opening shortcode's line in the expanded lines."""
    lang: str
    """The language the shortcode names (`""` when none)."""
    indent: int
    """Columns before the opening `{{`."""
    content: tuple[Line, ...]
    """Lines between the shortcodes, less the indentation they share with the opening one."""
    removed: int
    """Columns of indentation removed from each content line."""
    close_index: int
    """Index of the line holding the closing shortcode (the last line when never closed)."""
    closed: bool


def _lead(text: str) -> int:
    return indent_width(text[: len(text) - len(text.lstrip(" \t"))])


def find_highlights(lines: Sequence[Line], hidden: Sequence[tuple[int, int]]) -> list[Highlight]:
    """Every `highlight` shortcode block of a Hugo page, in page order.

    Args:
        lines: the expanded page.
        hidden: (first, last) indices of the page's fences and HTML comments, where a
            shortcode is text.
    """
    spans = sorted(hidden)
    found: list[Highlight] = []
    k, i, n = 0, 0, len(lines)
    while i < n:
        while k < len(spans) and spans[k][1] < i:
            k += 1
        if k < len(spans) and spans[k][0] <= i:
            i = spans[k][1] + 1
            continue
        text = lines[i].text
        m = _OPEN.match(text) if "highlight" in text and "{{" in text else None
        if m is None:
            i += 1
            continue
        found.append(_block(lines, i, m))
        # One never closed holds nothing (Hugo stops the build): the page goes on below it.
        i = found[-1].close_index + 1 if found[-1].closed else i + 1
    return found


def _block(lines: Sequence[Line], i: int, m: re.Match[str]) -> Highlight:
    raw: list[Line] = []
    j, closed = i + 1, False
    while j < len(lines):
        line = lines[j]
        close = _CLOSE.search(line.text) if "highlight" in line.text else None
        if close is not None:
            closed = True
            before = line.text[: close.start()]
            if before.strip():  # `last line{{< /highlight >}}`
                raw.append(Line(before, line.page_line, line.origin))
            break
        raw.append(line)
        j += 1
    indent = indent_width(m.group("indent"))
    leads = [_lead(ln.text) for ln in raw if ln.text.strip()]
    removed = min([indent, *leads])
    content = tuple(
        Line(remove_columns(ln.text, removed) if ln.text.strip() else "", ln.page_line, ln.origin)
        for ln in raw
    )
    return Highlight(
        open_index=i,
        lang=_language(m.group("args")),
        indent=indent,
        content=content,
        removed=removed,
        close_index=j if closed else max(len(lines) - 1, i),
        closed=closed,
    )


def _language(args: str) -> str:
    """The language a `highlight` shortcode names: its first positional argument, or a
    `type=`/`lang=` one; `""` when it names none."""
    named: dict[str, str] = {}
    for arg in _ARG.finditer(args):
        value = arg.group("value").strip('"`').strip().lower()
        if arg.group("name") is None:
            return value
        named[arg.group("name").lower()] = value
    return named.get("type") or named.get("lang") or ""
