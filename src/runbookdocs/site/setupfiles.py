"""Files a page's hidden set-up blocks write, so that a visible command that uses one can say
where it comes from.

A verified command such as `python3 /root/validate_ini.py ...` passes because a hidden block
(`hidden=true`) wrote `/root/validate_ini.py` first; a reader who copies the command has no such
file. The site then shows, under the command, which file it needs and where that file's text is
(the included file, or the set-up block).

A hidden block writes a file when it has `file=PATH`, or when one of its lines is a here-document
written with `cat > PATH <<` or `tee PATH <<` (what set-up blocks do in practice). Only these
forms are read: a file written any other way is not named (the site says nothing rather than
guess).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from runbookdocs.block import Block
from runbookdocs.document import Document

_HEREDOC = re.compile(
    r"""(?:\bcat\s*>>?|\btee\s+(?:-a\s+)?)\s*(?P<q>["']?)(?P<path>/[^\s"'<>;|&]+)(?P=q)\s*<<-?\s*"""
    r"""(?P<eq>["']?)(?P<end>[A-Za-z_][A-Za-z0-9_]*)(?P=eq)"""
)


class SetupFile(NamedTuple):
    """A file a hidden block writes."""

    path: str
    """The file's path in the target (`/root/validate_ini.py`)."""
    block: Block
    """The hidden block that writes it."""
    source: str | None
    """The repository file its text comes from (an `--8<--` include), when it does."""


def setup_files(doc: Document) -> dict[str, SetupFile]:
    """Path in the target -> the hidden block of `doc` that writes it (the first one)."""
    out: dict[str, SetupFile] = {}
    for block in doc.blocks:
        if not (block.hidden and block.executable):
            continue
        target = block.attrs.get("file")
        if target:
            out.setdefault(target, SetupFile(target, block, _origin(block, 0, None)))
        lines = block.source.splitlines()
        for i, line in enumerate(lines):
            m = _HEREDOC.search(line)
            if m is None:
                continue
            end = next(
                (j for j in range(i + 1, len(lines)) if lines[j].strip() == m.group("end")),
                len(lines),
            )
            path = m.group("path")
            out.setdefault(path, SetupFile(path, block, _origin(block, i + 1, end)))
    return out


def _origin(block: Block, start: int, end: int | None) -> str | None:
    """The included file that the block's lines `start`..`end` (all, when `end` is None) come
    from, when they all come from one."""
    origins = block.origins[start:end] if end is not None else block.origins
    paths = {o.path for o in origins if o is not None}
    if len(paths) == 1 and all(o is not None for o in origins) and origins:
        return next(iter(paths))
    return None


def needed_by(block: Block, files: dict[str, SetupFile]) -> list[SetupFile]:
    """The set-up files, written before `block`, that its text names."""
    return [
        f
        for path, f in files.items()
        if f.block.line < block.line
        and path in block.source  # most blocks name no set-up file: no pattern to compile
        and re.search(rf"(?<![\w/.-]){re.escape(path)}\b", block.source)
    ]
