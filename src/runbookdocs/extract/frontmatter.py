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
from runbookdocs.results import Finding
from runbookdocs.yamlio import YamlLines, YamlProblem, load_yaml

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


_KEY_LINE = re.compile(r"^[\w.-]+[ \t]*:(?:[ \t]|$)|^#")
"""The first line of YAML front matter: a key, or a comment."""


def parse_front_matter(lines: list[str], path: str) -> tuple[FrontMatter, list[Finding]]:
    """Read the front matter at the top of a page (lines without their newlines)."""
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter(), []
    end = next(
        (i for i in range(1, len(lines)) if _FENCE.match(lines[i]) or lines[i] == "..."), None
    )
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
    try:
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
