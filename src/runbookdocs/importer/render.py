"""Elements written as the body of a runbook page, each line remembering its source position.

Blocks get a kind (their fence language) and a stable id: from the command they run
(`systemctl-restart-nginx`), the file they hold (`config-json`) or the section they are in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from runbookdocs.importer.model import Admonition, Code, Element, Heading, Image, Item, Para, Table

PageLine = tuple[str, int | None]
"""A line of the page and the source position it comes from (None: added by the import)."""


def slug(text: str, *, limit: int = 40) -> str:
    """`Le Démarrage de VTOM` -> `le-demarrage-de-vtom` (ASCII, at most `limit` characters)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(words) > limit:
        words = words[:limit].rsplit("-", 1)[0]
    return words


class Ids:
    """Block ids unique on the page."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)

    def make(self, code: Code, section: str) -> str:
        """An id for `code`, in the section titled `section`."""
        base = ""
        if code.lang in ("bash", "console", "sql", "sh", "shell"):
            base = command_slug(code.lines, sql=code.lang == "sql")
        if not base and code.id_hint:
            base = slug(code.id_hint)
        if not base:
            base = slug(section, limit=30)
        if not base or not base[0].isalpha():
            base = f"{code.lang}-{base}".strip("-") if base else code.lang
        base = re.sub(r"[^A-Za-z0-9_.:-]", "-", base) or "block"
        if not base[0].isalpha():
            base = "b-" + base
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}-{n}", n + 1
        self.taken.add(name)
        return name


def command_slug(lines: Sequence[str], *, sql: bool = False) -> str:
    """Up to three words of the first command: `sudo systemctl start mysql` -> `systemctl-start-
    mysql`; `ls -ld /x` -> `ls`."""
    for raw in lines:
        line = re.sub(r"^[$#]\s+", "", raw.strip())
        if not line or line.startswith(("#", "--")):
            continue
        words = line.split()
        picked: list[str] = []
        i = 0
        while i < len(words) and (words[i] == "sudo" or "=" in words[i]):
            i += 1
            while i < len(words) and words[i].startswith("-"):
                i += 2 if words[i] in ("-u", "-g") else 1
        for w in words[i:]:
            w = w.lower() if sql else w
            if not re.fullmatch(r"[a-z][a-z0-9._-]*", w) or len(picked) == 3:
                break
            picked.append(w)
        return "-".join(picked)[:40].strip("-.")
    return ""


def fence_for(lines: Sequence[str]) -> str:
    """A fence longer than any run of backticks at the start of a content line."""
    longest = max((len(m.group(0)) for ln in lines if (m := re.match(r"\s*`{3,}", ln))), default=0)
    return "`" * max(3, longest + 1)


def header(code: Code, block_id: str) -> str:
    """`bash {#id skip="..."}`: the fence header of a block."""
    parts = [f"#{block_id}"]
    for key, value in code.attrs.items():
        if key != "id":
            parts.append(f'{key}="{value}"' if re.search(r"[\s{}\"]", value) else f"{key}={value}")
    if code.skip and "skip" not in code.attrs:
        reason = code.skip.replace('"', "'")
        parts.append(f'skip="{reason}"')
    return f"{code.lang} {{{' '.join(parts)}}}"


def render(elements: Sequence[Element], ids: Ids) -> list[PageLine]:
    """The page body."""
    out: list[PageLine] = []
    prev: Element | None = None
    section = ""
    for e in elements:
        ind = "    " * e.depth
        tight = (isinstance(prev, Item) and isinstance(e, Item)) or isinstance(prev, Admonition)
        if out and not tight:
            out.append(("", None))
        if isinstance(e, Heading):
            section = e.text
            out.append(("#" * e.level + " " + e.text, e.line))
        elif isinstance(e, Para):
            for k, text in enumerate(e.lines):
                out.append((ind + text, e.line + k))
        elif isinstance(e, Item):
            marker = f"{e.number}." if e.ordered else "-"
            first, *rest = e.lines or [""]
            out.append((f"{ind}{marker} {first}", e.line))
            out.extend((f"{ind}    {text}", e.line + k + 1) for k, text in enumerate(rest))
        elif isinstance(e, Code):
            block_id = ids.make(e, section)
            fence = fence_for(e.lines)
            out.append((f"{ind}{fence}{header(e, block_id)}", e.line))
            nums = e.source_lines
            for k, text in enumerate(e.lines):
                out.append((ind + text if text.strip() else "", nums[k] if k < len(nums) else None))
            out.append((ind + fence, None))
        elif isinstance(e, Table):
            out.extend(_table(e, ind))
        elif isinstance(e, Admonition):
            title = f' "{e.title}"' if e.title else ""
            out.append((f"{ind}!!! {e.kind}{title}", e.line))
        elif isinstance(e, Image):
            out.append((f"{ind}![{e.alt}]({e.src})", e.line))
        prev = e
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>").strip()


def _table(t: Table, ind: str) -> list[PageLine]:
    width = max(len(r) for r in t.rows)
    rows = [r + [""] * (width - len(r)) for r in t.rows]
    out: list[PageLine] = [(ind + "| " + " | ".join(_cell(c) for c in rows[0]) + " |", t.line)]
    out.append((ind + "|" + " --- |" * width, None))
    for k, r in enumerate(rows[1:], 1):
        out.append((ind + "| " + " | ".join(_cell(c) for c in r) + " |", t.line + k))
    return out


__all__ = ["Ids", "PageLine", "command_slug", "fence_for", "header", "render", "slug"]
