"""HTML-comment directives: instructions for runbookdocs that never render.

`<!-- runbook: NAME key="value" ... -->` applies to the next fenced block, Sybil style:

- `skip-next reason="..."`: the block is checked, not run;
- `ignore-next reason="..."`: the block is neither checked nor run;
- `answer prompt="REGEX" value="TEXT"`: typed when the block's output matches REGEX;
- `allow code="RBD302,SC2086" reason="..."`: those finding codes are not reported for the block.

Only comments outside fenced blocks are directives: a comment shown inside a Markdown example
is part of the example.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from runbookdocs import codes
from runbookdocs.block import suggest
from runbookdocs.extract.fences import Comment
from runbookdocs.extract.snippets import Line
from runbookdocs.location import Location
from runbookdocs.results import Finding

DIRECTIVES: Mapping[str, tuple[frozenset[str], frozenset[str]]] = MappingProxyType(
    {
        "skip-next": (frozenset({"reason"}), frozenset({"reason"})),
        "ignore-next": (frozenset({"reason"}), frozenset({"reason"})),
        "answer": (frozenset({"prompt", "value"}), frozenset({"prompt", "value"})),
        "allow": (frozenset({"code"}), frozenset({"code", "reason"})),
    }
)
"""Directive name -> (required keys, allowed keys)."""

_RUNBOOK = re.compile(r"^\s*runbook\s*:\s*(?P<body>.*)$", re.S)


class Directive(NamedTuple):
    """One parsed `runbook:` comment."""

    name: str
    args: Mapping[str, str]
    location: Location
    end_index: int
    """Index of the comment's last line in the expanded lines."""


def find_directives(
    comments: list[Comment], lines: list[Line], path: str
) -> tuple[list[Directive], list[Finding]]:
    """The directives among `comments` (block-level HTML comments outside fences, see
    `fences.scan`), and the problems found in them."""
    directives: list[Directive] = []
    findings: list[Finding] = []
    for c in comments:
        first = lines[c.start]
        origin = first.origin
        loc = Location(origin.path if origin else path, first.page_line)
        if not c.closed:
            findings.append(
                codes.COMMENT_NOT_CLOSED.at(
                    loc,
                    "HTML comment '<!--' is never closed: the site hides the rest of the page",
                    hint="close it with '-->'",
                )
            )
            continue
        m = _RUNBOOK.match(c.text)
        if m:
            directive, problems = _parse(m.group("body"), loc, c.end)
            findings.extend(problems)
            if directive:
                directives.append(directive)
    return directives, findings


def _parse(body: str, loc: Location, end: int) -> tuple[Directive | None, list[Finding]]:
    try:
        words = shlex.split(body.strip(), posix=True)
    except ValueError as err:
        return None, [codes.DIRECTIVE_INVALID.at(loc, f"runbook directive: {err}")]
    if not words:
        return None, [
            codes.DIRECTIVE_INVALID.at(
                loc, "empty runbook directive", hint="known: " + ", ".join(DIRECTIVES)
            )
        ]
    name, rest = words[0], words[1:]
    if name not in DIRECTIVES:
        return None, [
            codes.DIRECTIVE_INVALID.at(
                loc, f"unknown runbook directive {name!r}{suggest(name, DIRECTIVES)}"
            )
        ]
    required, allowed = DIRECTIVES[name]
    args: dict[str, str] = {}
    problems: list[Finding] = []
    for word in rest:
        key, eq, value = word.partition("=")
        if not eq:
            problems.append(
                codes.DIRECTIVE_INVALID.at(
                    loc, f'directive {name}: {word!r} needs a value (key="...")'
                )
            )
        elif key not in allowed:
            problems.append(
                codes.DIRECTIVE_INVALID.at(
                    loc, f"directive {name}: unknown argument {key!r}{suggest(key, allowed)}"
                )
            )
        else:
            args[key] = value
    for key in sorted(required - args.keys()):
        problems.append(codes.DIRECTIVE_INVALID.at(loc, f'directive {name}: missing {key}="..."'))
    if name == "answer" and "prompt" in args:
        try:
            re.compile(args["prompt"])
        except re.error as err:
            problems.append(
                codes.DIRECTIVE_INVALID.at(
                    loc, f"directive answer: prompt is not a valid regex: {err}"
                )
            )
    if name == "allow" and "code" in args:
        from runbookdocs.selection import unknown

        listed = [c.strip() for c in args["code"].split(",") if c.strip()]
        bad = unknown(listed) if listed else ["(none)"]
        for code in bad:
            problems.append(
                codes.DIRECTIVE_INVALID.at(
                    loc,
                    f"directive allow: unknown finding code {code!r}",
                    hint="codes are listed in docs/reference/codes.md: RBD505, todo-marker, SC2086",
                )
            )
    if problems:
        return None, problems
    return Directive(name, MappingProxyType(args), loc, end), []
