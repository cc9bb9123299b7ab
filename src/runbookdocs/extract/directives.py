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
from dataclasses import dataclass
from types import MappingProxyType

from runbookdocs import codes
from runbookdocs.block import suggest
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

_START = re.compile(r"^\s*(?:>\s*)*<!--")
_RUNBOOK = re.compile(r"^\s*runbook\s*:\s*(?P<body>.*)$", re.S)


@dataclass(frozen=True)
class Directive:
    """One parsed `runbook:` comment."""

    name: str
    args: Mapping[str, str]
    location: Location
    end_index: int
    """Index of the comment's last line in the expanded lines."""


def find_directives(
    lines: list[Line], path: str
) -> tuple[list[Directive], set[int], list[Finding]]:
    """Directives in `lines`, the indices covered by HTML comments, and problems found."""
    directives: list[Directive] = []
    covered: set[int] = set()
    findings: list[Finding] = []
    i, n = 0, len(lines)
    while i < n:
        text = lines[i].text
        start = _START.match(text)
        if start is None:
            i += 1
            continue
        j = i
        body = text[start.end() :]
        while "-->" not in body and j + 1 < n:
            j += 1
            body += "\n" + lines[j].text
        covered.update(range(i, j + 1))
        origin = lines[i].origin
        loc = Location(origin.path if origin else path, lines[i].page_line)
        if "-->" not in body:
            i = j + 1
            continue
        comment = body.split("-->", 1)[0]
        m = _RUNBOOK.match(comment)
        if m:
            directive, problems = _parse(m.group("body"), loc, j)
            findings.extend(problems)
            if directive:
                directives.append(directive)
        i = j + 1
    return directives, covered, findings


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
