"""Expand pymdownx.snippets includes (`--8<--`) the way the site does, keeping line origins.

What is checked and run must be exactly what is published, so includes are expanded before
fences are found. Each expanded line remembers the page line of its `--8<--` and, for included
text, its place in the snippet file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from runbookdocs import codes
from runbookdocs.location import Location
from runbookdocs.patterns import lazy
from runbookdocs.results import Finding

_INLINE = re.compile(
    r"""^(?P<indent>[ \t]*)(?P<escape>;*)--8<--[ \t]+(?P<q>["'])(?P<name>.*?)(?P=q)[ \t]*$"""
)
_BLOCK = lazy(r"^(?P<indent>[ \t]*)--8<--[ \t]*$")
_SECTION = re.compile(r"--8<--\s*\[(?P<kind>start|end):(?P<name>[\w-]+)\]")
MAX_DEPTH = 8
MAX_LINES = 200_000
"""Lines (and includes) a page may have once its includes are expanded: an include repeated at
every level (each file including the next ten times) would otherwise grow exponentially."""
MAX_INCLUDES = 2_000
"""Includes a page may expand (a knowledge base's largest page has a few dozen)."""
MAX_SNIPPET_BYTES = 5 * 1024 * 1024
"""Largest file an include reads."""


class Line(NamedTuple):
    """One line of the expanded page (a tuple: pages have many lines, so it is made cheap)."""

    text: str
    page_line: int
    """The page line the reader sees this text at (an include's `--8<--` line)."""
    origin: Location | None = None
    """Where the text really is, when it came from a snippet file."""


@functools.lru_cache(maxsize=1024)
def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except (ValueError, RuntimeError, OSError):  # outside the root, or a symlink loop
        return str(path)


def _real(path: Path) -> str:
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return str(path)


def _read_snippet(path: Path) -> str:
    """A snippet's text; kept while its size and mtime stay the same (pages share snippets)."""
    info = path.stat()
    key = (str(path), info.st_mtime_ns, info.st_size)
    text = _SNIPPETS.get(key)
    if text is None:
        if len(_SNIPPETS) > 256:
            _SNIPPETS.clear()
        text = _SNIPPETS[key] = path.read_text(encoding="utf-8")
    return text


_SNIPPETS: dict[tuple[str, int, int], str] = {}


def _select(lines: list[str], spec: str) -> tuple[list[tuple[int, str]], str | None]:
    """Apply a `:start:end` range or `:section` to a snippet; return (numbered lines, error)."""
    numbered = list(enumerate(lines, 1))
    if not spec:
        return [(n, t) for n, t in numbered if not _SECTION.search(t)], None
    parts = spec.split(":")
    if all(p.isdigit() or p == "" for p in parts) and len(parts) <= 2:
        start = int(parts[0]) if parts[0] else 1
        end = int(parts[1]) if len(parts) > 1 and parts[1] else len(lines)
        if start < 1 or start > max(len(lines), 1) or end < start:
            return [], f"line range {spec!r} is outside the file ({len(lines)} lines)"
        return numbered[start - 1 : end], None
    name, inside, found = spec, False, False
    out: list[tuple[int, str]] = []
    for n, t in numbered:
        m = _SECTION.search(t)
        if m and m.group("name") == name:
            inside = m.group("kind") == "start"
            found = found or inside
            continue
        if inside and not _SECTION.search(t):
            out.append((n, t))
    return out, None if found else f"section {name!r} not found"


def expand_snippets(
    text: str,
    *,
    path: str,
    base_paths: Sequence[Path],
    root: Path,
    first_line: int = 1,
    allows: Callable[[Path], bool] | None = None,
) -> tuple[list[Line], list[Finding]]:
    """Expand every `--8<--` include in `text` (a page).

    Args:
        text: the page text.
        path: display path of the page, for findings.
        base_paths: directories an include name is looked up in, in order.
        root: project root, for display paths of snippet files.
        first_line: page line of the first line of `text` (after the front matter).
        allows: whether a file may be read (`Config.allows`: inside the project or a trusted
            directory, symlinks followed); a file it refuses is not included, and said so
            (an absolute path, `../`, a symlink out, `/proc/self/environ`).

    Returns:
        The expanded lines and a finding for each include that cannot be resolved.
    """
    findings: list[Finding] = []
    if "--8<--" not in text:  # most pages include nothing
        return [Line(t, n) for n, t in enumerate(text.split("\n"), first_line)], findings
    lines: list[tuple[str, int, Location | None]] = [
        (t, n, None) for n, t in enumerate(text.split("\n"), first_line)
    ]
    where_from = _Where(base_paths, root, allows, [MAX_LINES, MAX_INCLUDES])
    out = _expand(lines, path, None, where_from, findings, 0)
    # A snippet included many times reports its problem once.
    unique = list({(f.code, f.location, f.message): f for f in findings}.values())
    return out, unique


class _Where(NamedTuple):
    """Where includes are looked up and may be read from, and how much they may add."""

    base_paths: Sequence[Path]
    root: Path
    allows: Callable[[Path], bool] | None
    budget: list[int]
    """Lines, then includes, that may still be added to the page (shared by every include)."""


def _expand(
    lines: list[tuple[str, int, Location | None]],
    path: str,
    page_line: int | None,
    where_from: _Where,
    findings: list[Finding],
    depth: int,
) -> list[Line]:
    """Expand includes in `lines` (text, line, origin); `page_line` is fixed inside snippets."""
    out: list[Line] = []
    in_block, block_indent = False, ""
    for text, lineno, origin in lines:
        where = page_line if page_line is not None else lineno
        if not in_block and "--8<--" not in text:  # the common case: no regex needed
            out.append(Line(text, where, origin))
            continue
        specs: list[tuple[str, str]] = []
        inline = _INLINE.match(text)
        if in_block:
            if _BLOCK.match(text):
                in_block = False
            elif text.strip() and not text.strip().startswith("#"):
                specs.append((block_indent, text.strip()))
        elif inline and inline.group("escape"):
            out.append(Line(text.replace(";", "", 1), where, origin))
        elif inline:
            specs.append((inline.group("indent"), inline.group("name")))
        elif (bm := _BLOCK.match(text)) is not None:
            in_block, block_indent = True, bm.group("indent")
        else:
            out.append(Line(text, where, origin))
        for indent, spec in specs:
            loc = origin or Location(path, lineno, len(indent) + 1)
            loc = Location(loc.path, loc.line, len(indent) + 1)
            out.extend(_include(spec, indent, loc, where, where_from, findings, depth))
    return out


def _include(
    spec: str,
    indent: str,
    loc: Location,
    page_line: int,
    where_from: _Where,
    findings: list[Finding],
    depth: int,
) -> list[Line]:
    base_paths, root, allows, budget = where_from
    if budget[0] <= 0 or budget[1] <= 0:
        return []  # said once, where the budget ran out
    budget[1] -= 1
    if budget[1] == 0:
        findings.append(
            codes.INCLUDE_INVALID.at(
                loc,
                f"more than {MAX_INCLUDES} includes on this page: the rest are not included",
                hint="an include repeated at every level grows exponentially",
            )
        )
        return []
    if re.match(r"https?://", spec):
        findings.append(codes.INCLUDE_REMOTE.at(loc, f"remote snippet {spec!r} is not checked"))
        return []
    name, _, selector = spec.partition(":")
    target = next((b / name for b in base_paths if (b / name).is_file()), None)
    if target is None:
        where = ", ".join(_display(b, root) or "." for b in base_paths)
        findings.append(
            codes.INCLUDE_NOT_FOUND.at(
                loc, f"included file {name!r} does not exist", hint=f"looked in {where}"
            )
        )
        return []
    if allows is not None and not allows(target):
        findings.append(
            codes.INCLUDE_OUTSIDE.at(
                loc,
                f"included file {name!r} is outside the project ({_real(target)}): not included",
                hint="includes read only files of the project and of trusted_dirs (add a shared "
                "snippets directory to trusted_dirs in [tool.runbookdocs])",
            )
        )
        return []
    if depth >= MAX_DEPTH:
        findings.append(
            codes.INCLUDE_INVALID.at(
                loc, f"includes nested deeper than {MAX_DEPTH} levels at {name!r}"
            )
        )
        return []
    try:
        if target.stat().st_size > MAX_SNIPPET_BYTES:
            findings.append(
                codes.INCLUDE_INVALID.at(
                    loc,
                    f"included file {name!r} is over {MAX_SNIPPET_BYTES // 1048576} MB: not "
                    "included",
                )
            )
            return []
        content = _read_snippet(target)
    except (OSError, UnicodeDecodeError) as err:
        findings.append(codes.INCLUDE_INVALID.at(loc, f"cannot read included file {name!r}: {err}"))
        return []
    raw = content.split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    selected, error = _select(raw, selector)
    if error:
        findings.append(codes.INCLUDE_INVALID.at(loc, f"include {spec!r}: {error}"))
        return []
    if len(selected) > budget[0]:
        findings.append(
            codes.INCLUDE_INVALID.at(
                loc,
                f"includes would make this page longer than {MAX_LINES} lines (at {name!r}): "
                "not included",
                hint="an include repeated at every level grows exponentially",
            )
        )
        budget[0] = 0
        return []
    budget[0] -= len(selected)
    shown = _display(target, root)
    sub: list[tuple[str, int, Location | None]] = [(t, n, Location(shown, n)) for n, t in selected]
    expanded = _expand(sub, shown, page_line, where_from, findings, depth + 1)
    return [Line(indent + ln.text if ln.text else "", ln.page_line, ln.origin) for ln in expanded]
