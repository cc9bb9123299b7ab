"""YAML front matter, and the `runbook:` settings inside it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from runbookdocs import codes
from runbookdocs.block import suggest
from runbookdocs.location import Location
from runbookdocs.patterns import lazy
from runbookdocs.results import Finding
from runbookdocs.yamlio import NOT_SIMPLE, YamlLines, YamlProblem, load_yaml, plain_value

RUNBOOK_KEYS: Mapping[str, str] = {
    "target": "default target of the page's blocks",
    "owner": "team or person responsible for the page",
    "escalation": "who to hand a problem to (decision-tree escalations); default: owner",
    "reviewed": "date of the last review (YYYY-MM-DD)",
    "variables": "name -> default value, used as {{ name }} in blocks",
    "secrets": "name -> description; values come only from the environment",
    "timeout": "default timeout of the page's blocks, in seconds",
    "system": "the system the page belongs to (navigation, tags)",
    "ignore": "finding codes not reported on this page (RBD506, todo-marker, SC2086)",
}
"""Every key allowed under `runbook:`."""

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_FENCE = re.compile(r"^---[ \t]*$")


class _LazyLines(Mapping[str, int]):
    """Variable/secret name -> page line, computed only when a line is asked for."""

    def __init__(self, front: FrontMatter) -> None:
        self._front = front

    def __getitem__(self, name: str) -> int:
        for table in ("variables", "secrets"):
            line = self._front.line_of("runbook", table, name)
            if line:
                return line
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter([*self._front.variables, *self._front.secrets])

    def __len__(self) -> int:
        return len(self._front.variables) + len(self._front.secrets)


@dataclass(frozen=True)
class FrontMatter:
    """A page's front matter: the raw mapping and the typed `runbook:` settings."""

    meta: Mapping[str, Any] = field(default_factory=dict)
    """Everything in the front matter (title, tags, ... for the site), as plain data."""
    end_line: int = 0
    """Page line of the closing `---` (0 when there is no front matter)."""
    target: str | None = None
    owner: str | None = None
    escalation: str | None = None
    """Who escalation leaves of the page's decision trees name (`owner` when absent)."""
    reviewed: dt.date | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None
    system: str | None = None
    ignore: tuple[str, ...] = ()
    """Finding codes the page silences (`runbook.ignore`)."""
    lines: YamlLines | None = field(default=None, repr=False, compare=False)
    """Positions in the front matter, computed on demand."""

    def line_of(self, *path: Any) -> int:
        """Page line of the key at `path` (`"runbook", "target"`), 0 when absent."""
        if self.lines is None:
            return 0
        line = self.lines.line(*path)
        return line + 1 if line else 0

    @property
    def variable_lines(self) -> Mapping[str, int]:
        """Page line where each variable or secret is declared."""
        return _LazyLines(self)


# --------------------------------------------------------------------------- simple YAML

_SIMPLE_LINE = re.compile(r"( *)(?:([A-Za-z_][A-Za-z0-9_.-]*):(?: +(.*))?|- +(.*))\Z")
"""A line of simple front matter: `key: value`, `key:` (a block follows), or `- item`."""
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")


def _scalar(text: str, flow: bool = False) -> Any:
    """The value of a one-line scalar as YAML 1.2 reads it, or `NOT_SIMPLE`."""
    if not text:
        return NOT_SIMPLE
    first = text[0]
    if first in "\"'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != first or first in inner or "\\" in inner:
            return NOT_SIMPLE
        return inner
    if (
        first in _INDICATORS
        or ": " in text
        or " #" in text
        or text.endswith(":")
        or text != text.strip()
        or (flow and any(c in text for c in ",[]{}:"))
    ):
        return NOT_SIMPLE
    return plain_value(text)


def _flow_sequence(text: str) -> Any:
    if not (text.startswith("[") and text.endswith("]")):
        return NOT_SIMPLE
    inner = text[1:-1].strip()
    if not inner:
        return []
    items = [_scalar(item.strip(), flow=True) for item in inner.split(",")]
    return NOT_SIMPLE if any(item is NOT_SIMPLE for item in items) else items


def simple_yaml(text: str) -> Any:
    """The data of front matter written in the simple YAML most pages use, as
    `yamlio.load_yaml(text, lines=False)` gives it, without loading ruamel.yaml; `NOT_SIMPLE`
    for anything else (the caller then loads it with ruamel.yaml).

    Simple means: nested mappings of plain keys (two or more spaces deeper for each level),
    values on the key's line that are plain words, numbers written `12` or `1.5`, dates
    `YYYY-MM-DD`, `true`/`false`/`null`, one-line quoted text without escapes, one-line
    `[a, b]` lists of those, or `- item` lists of those; comment lines and blank lines.
    Anything else (anchors, block scalars, flow mappings, continuation lines, tabs, duplicate
    keys, escapes...) is left to ruamel.yaml, which is the reference: tests compare the two on
    generated front matter.
    """
    if not text.replace("\n", " ").isprintable():
        # Tabs, control characters, other line breaks (NEL, LS, PS), a byte order mark, and
        # any space but the ASCII one: YAML has rules of its own for each.
        return NOT_SIMPLE
    root: dict[str, Any] = {}
    # Open containers, innermost last: (indent of their entries, container).
    stack: list[tuple[int, Any]] = [(0, root)]
    pending: tuple[int, dict[str, Any], str] | None = None  # `key:` awaiting its block
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _SIMPLE_LINE.match(line)
        if m is None:
            return NOT_SIMPLE
        indent = len(m.group(1))
        key, value, item = m.group(2), m.group(3), m.group(4)
        if pending is not None:
            parent_indent, parent, name = pending
            pending = None
            if key is not None and indent > parent_indent:
                child: Any = {}
            elif item is not None and indent >= parent_indent:
                child = []
            else:
                parent[name] = None  # `key:` with nothing under it
                child = None
            if child is not None:
                parent[name] = child
                stack.append((indent, child))
        while stack and stack[-1][0] > indent:
            stack.pop()
        if not stack or stack[-1][0] != indent:
            return NOT_SIMPLE
        container = stack[-1][1]
        if item is not None:
            if not isinstance(container, list):
                return NOT_SIMPLE
            found = _scalar(item.strip())
            if found is NOT_SIMPLE:
                return NOT_SIMPLE
            container.append(found)
            continue
        if not isinstance(container, dict):
            # A key at a list's indentation ends the list (`key:` then `- a` at its level).
            stack.pop()
            if not stack or stack[-1][0] != indent or not isinstance(stack[-1][1], dict):
                return NOT_SIMPLE
            container = stack[-1][1]
        name = _scalar(key)
        if not isinstance(name, str) or name in container:
            return NOT_SIMPLE  # a key that is not text, or a duplicate: ruamel.yaml says
        if value is None or not value.strip():
            container[name] = None
            pending = (indent, container, name)
            continue
        value = value.rstrip(" ")
        found = _flow_sequence(value) if value.startswith("[") else _scalar(value)
        if found is NOT_SIMPLE:
            return NOT_SIMPLE
        container[name] = found
    if pending is not None:
        pending[1][pending[2]] = None
    return root if root else NOT_SIMPLE


_KEY_LINE = lazy(r"^[\w.-]+[ \t]*:(?:[ \t]|$)|^#")
"""The first line of YAML front matter: a key, or a comment."""


def parse_front_matter(
    lines: list[str], path: str, *, hugo: bool = False
) -> tuple[FrontMatter, list[Finding]]:
    """Read the front matter at the top of a page (lines without their newlines).

    Hugo's page lexer ends YAML front matter at the first line that starts with `---`
    (`----------` too; the dashes left over render as a thematic break): `hugo=True`. So does
    gray-matter, which reads a Docusaurus page's front matter: pass `hugo=True` for those too."""
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter(), []

    def closes(line: str) -> bool:
        return bool(_FENCE.match(line)) or line == "..." or (hugo and line.startswith("---"))

    end = next((i for i in range(1, len(lines)) if closes(lines[i])), None)
    if end is None:
        following = next((ln for ln in lines[1:] if ln.strip()), "")
        if not _KEY_LINE.match(following):
            # `---` then Markdown, never closed: a thematic break at the top of the page (a
            # snippet included into others often starts with one), not front matter.
            return FrontMatter(), []
        return FrontMatter(), [
            codes.FRONT_MATTER_SYNTAX.at(
                Location(path, 1), "front matter opened with '---' is never closed"
            )
        ]
    text = "\n".join(lines[1:end])
    data = simple_yaml(text)
    try:
        if data is NOT_SIMPLE:
            data = load_yaml(text, lines=False)
    except YamlProblem as err:
        return FrontMatter(end_line=end + 1), [
            codes.FRONT_MATTER_SYNTAX.at(
                Location(path, err.line + 1, err.col), f"front matter: {err.message}"
            )
        ]
    if data is None:
        return FrontMatter(end_line=end + 1), []
    if not isinstance(data, dict):
        return FrontMatter(end_line=end + 1), [
            codes.FRONT_MATTER_SYNTAX.at(
                Location(path, 2), "front matter must be a mapping of keys to values"
            )
        ]
    positions = YamlLines(text)
    findings: list[Finding] = []
    runbook = data.get("runbook")
    if runbook is None:
        return FrontMatter(meta=data, end_line=end + 1, lines=positions), []

    def at(*key_path: Any) -> Location:
        return Location(path, (positions.line(*key_path) or 1) + 1)

    if not isinstance(runbook, dict):
        findings.append(codes.FRONT_MATTER_VALUE.at(at("runbook"), "'runbook:' must be a mapping"))
        return FrontMatter(meta=data, end_line=end + 1, lines=positions), findings
    for key in runbook:
        if key not in RUNBOOK_KEYS:
            findings.append(
                codes.FRONT_MATTER_KEY.at(
                    at("runbook", key),
                    f"unknown key 'runbook.{key}'{suggest(str(key), RUNBOOK_KEYS)}",
                    hint="known keys: " + ", ".join(RUNBOOK_KEYS),
                )
            )
    values: dict[str, Any] = {}
    for key in ("target", "owner", "escalation", "system"):
        if key in runbook:
            if not isinstance(runbook[key], str) or not runbook[key].strip():
                findings.append(
                    codes.FRONT_MATTER_VALUE.at(at("runbook", key), f"'runbook.{key}' must be text")
                )
            else:
                values[key] = runbook[key]
    if "reviewed" in runbook:
        value = runbook["reviewed"]
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                value = None
        if isinstance(value, dt.date):
            values["reviewed"] = value
        else:
            findings.append(
                codes.FRONT_MATTER_VALUE.at(
                    at("runbook", "reviewed"), "'runbook.reviewed' must be a date: YYYY-MM-DD"
                )
            )
    if "timeout" in runbook:
        value = runbook["timeout"]
        # `.inf` and `.nan` are YAML floats: a timeout must still be a number of seconds the
        # runner can wait (what `timeout=` accepts on a block: up to a day).
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 86400:
            values["timeout"] = float(value)
        else:
            findings.append(
                codes.FRONT_MATTER_VALUE.at(
                    at("runbook", "timeout"),
                    "'runbook.timeout' must be a number of seconds, more than 0 and at most "
                    f"86400 (not {value!r})",
                )
            )
    if "ignore" in runbook:
        from runbookdocs.selection import problems

        value = runbook["ignore"]
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        found = problems(value, "'runbook.ignore'")
        findings.extend(codes.FRONT_MATTER_VALUE.at(at("runbook", "ignore"), p) for p in found)
        if not found:
            values["ignore"] = tuple(value)
    seen: set[str] = set()
    for key in ("variables", "secrets"):
        if key not in runbook:
            continue
        table = runbook[key]
        listed = isinstance(table, list) and key == "secrets"
        if listed:
            table = {name: "" for name in table if isinstance(name, str)}
        if not isinstance(table, dict):
            findings.append(
                codes.FRONT_MATTER_VALUE.at(
                    at("runbook", key), f"'runbook.{key}' must be a mapping"
                )
            )
            continue
        clean: dict[str, str] = {}
        for name, value in table.items():
            where = ("runbook", key) if listed else ("runbook", key, name)
            if not isinstance(name, str) or not _NAME.match(name):
                findings.append(
                    codes.FRONT_MATTER_VALUE.at(
                        at(*where), f"{key[:-1]} name {name!r}: letters, digits and '_'"
                    )
                )
                continue
            if isinstance(value, (dict, list)):
                findings.append(
                    codes.FRONT_MATTER_VALUE.at(
                        at(*where), f"{key[:-1]} {name!r}: the value must be text"
                    )
                )
                continue
            if name in seen:
                findings.append(
                    codes.FRONT_MATTER_VALUE.at(at(*where), f"{name!r} is declared twice")
                )
            seen.add(name)
            clean[name] = "" if value is None else str(value)
        values[key] = clean
    return FrontMatter(meta=data, end_line=end + 1, lines=positions, **values), findings
