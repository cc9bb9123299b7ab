"""Configuration blocks: JSON, YAML, INI and TOML syntax, duplicate keys, JSON Schema.

Every problem is reported at the page line and column where the reader sees it: parser
positions are mapped through the block's line map (includes and containers) and through the
placeholder filling (`{{ name }}` becomes the variable's default before parsing).
"""

from __future__ import annotations

import configparser
import datetime as dt
import difflib
import functools
import itertools
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.dialect import template_starts
from runbookdocs.document import PLACEHOLDER
from runbookdocs.location import Location
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, block_validator
from runbookdocs.validate.common import (
    Filled,
    fill,
    finding_at,
    json_quote,
    looks_like_commands,
    on_runbook_page,
    values_for,
)
from runbookdocs.validate.structure import schema_path
from runbookdocs.yamlio import YamlProblem, load_yaml, load_yaml_all

MAX_SCHEMA_ERRORS = 20
"""Schema errors reported per block; the rest are counted."""

Path_ = tuple[str | int, ...]


# --------------------------------------------------------------------------------------- JSON


@block_validator("json")
def check_json(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """JSON syntax, duplicate keys, and `schema=`."""
    if not block.file and not_data(block.source, template_starts(ctx.document)):
        return
    filled = fill(heredoc_body(block.source), values_for(ctx), json_quote)
    dialect = JSONC_LANGS.get(block.lang.lower())
    text = jsonc_as_json(filled.text).text if dialect else filled.text
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in items:
            if key in seen:
                duplicates.append(key)
            seen[key] = value
        return seen

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as err:
        commented = None if dialect else jsonc_as_json(text)
        if not block.file and not on_runbook_page(ctx) and commented and commented.hujson:
            yield wrong_language(block, "json", _JSONC_LOOK, "jsonc")
            return
        if not block.file and json_excerpt(text):
            return  # shown in part (`...`, annotations, several values): nothing to judge
        if not block.file and not on_runbook_page(ctx):
            if json_is_yaml(filled.text):
                yield wrong_language(block, "json", "YAML", "yaml")
                return
            if object_literal(filled.text):
                yield wrong_language(block, "json", _OBJECT_LITERAL_LOOK, "javascript")
                return
            other = (
                config_language(filled.text)
                or _braced(filled.text)
                or assigned_objects(filled.text)
                or http_message(filled.text)
                or json_in_output(filled.text)
                or metrics_query(filled.text)
            )
            if other is not None:
                yield wrong_language(block, "json", *other)
                return
        # With comments, the error JSON meets first is the comment: the one met once they are
        # left out (a missing comma) is the mistake to show.
        err = _output_error(text) or (commented.error if commented else None) or err
        index = err.lineno - 1
        yield finding_at(
            block,
            index,
            filled.col(index, err.colno),
            f"invalid {dialect or 'JSON'}: {err.msg}",
            code=codes.INVALID_JSON,
        )
        return
    except RecursionError:
        yield finding_at(block, 0, 1, "invalid JSON: nested too deeply", code=codes.INVALID_JSON)
        return
    if duplicates or block.schema:
        try:
            located = locate_json(text)
        except (ValueError, RecursionError, IndexError):  # pragma: no cover - text is valid JSON
            located = JsonPositions({}, [])
        for path, (index, col) in located.duplicates:
            yield finding_at(
                block,
                index,
                filled.col(index, col),
                f"duplicate key {path[-1]!r}{_where(path[:-1])}",
                hint="JSON readers silently keep only the last value",
                code=codes.DUPLICATE_KEY,
            )
        if block.schema:
            yield from _schema_errors(block, ctx, data, located.line_of, filled)


JSONC_LANGS = {"jsonc": "JSONC", "hujson": "HuJSON"}
"""Tags of JSON with comments and trailing commas (VS Code's JSONC, Tailscale's HuJSON),
checked as the JSON they are without them. JSON5 is not checked: bare keys, single quotes and
hexadecimal numbers are its syntax too."""
_JSONC_LOOK = "JSON with comments and trailing commas (JSONC, HuJSON)"
_TRAILING_COMMA = re.compile(r",(?=(\s*)[}\]])")
_JSONC_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"?|//[^\n]*|/\*.*?(?:\*/|\Z)', re.S)


@dataclass(frozen=True)
class Commented:
    """A JSON text read as JSONC: comments and trailing commas blanked."""

    text: str
    """The text with comments and trailing commas made spaces (lines and columns kept)."""
    comments: bool
    trailing: bool
    """A comma right before a `}` or `]` (a comment on its line aside): not one followed by
    a comment line standing for members left out (`// more rules`)."""

    @functools.cached_property
    def error(self) -> json.JSONDecodeError | None:
        """The first error of the text read as JSONC; None when it reads, or had no comment."""
        if not self.comments:
            return None
        try:
            json.loads(self.text)
        except json.JSONDecodeError as err:
            return err
        except RecursionError:
            return None
        return None

    @property
    def hujson(self) -> bool:
        """True when the text is JSONC and not JSON: comments and a trailing comma, and it
        reads once they are left out."""
        return self.comments and self.trailing and self.error is None


def jsonc_as_json(text: str) -> Commented:
    """`text` with its `//` and `/* */` comments and its trailing commas made spaces."""
    out = list(text)
    bare = list(text)  # strings blanked too: a comma or a bracket in a string is no syntax
    comments = False
    for m in _JSONC_TOKEN.finditer(text):
        start, end = m.span()
        if text[start] == '"':
            bare[start + 1 : end - 1] = " " * (end - start - 2)
            continue
        comments = True
        for k in range(start, end):
            if text[k] != "\n":
                out[k] = bare[k] = " "
    trailing = False
    for m in _TRAILING_COMMA.finditer("".join(bare)):
        out[m.start()] = " "
        after = text[m.end() : m.end(1)].split("\n")[1:]  # the lines under the comma
        if not any(ln.lstrip().startswith(("//", "/*")) for ln in after):
            trailing = True
    return Commented("".join(out), comments, trailing)


@dataclass(frozen=True)
class JsonPositions:
    """Where each value of a JSON text is: path -> (0-based line, 1-based column)."""

    positions: dict[Path_, tuple[int, int]]
    """For an object member, the position of its key; for an array item, of the item."""
    duplicates: list[tuple[Path_, tuple[int, int]]]
    """Keys given twice in the same object, at their second occurrence."""

    def line_of(self, path: Path_) -> tuple[int, int]:
        """Position of `path`, or of its nearest ancestor that is known."""
        while path and tuple(path) not in self.positions:
            path = path[:-1]
        return self.positions.get(tuple(path), (0, 1))


_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_SCALAR = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null|NaN|-?Infinity")


def locate_json(text: str) -> JsonPositions:
    """Positions of every key and item of a valid JSON `text` (for messages, not for values)."""
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    positions: dict[Path_, tuple[int, int]] = {}
    duplicates: list[tuple[Path_, tuple[int, int]]] = []

    def where(pos: int) -> tuple[int, int]:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo, pos - starts[lo] + 1

    def ws(pos: int) -> int:
        m = _WS.match(text, pos)
        return m.end() if m else pos

    def value(pos: int, path: Path_) -> int:
        pos = ws(pos)
        ch = text[pos]
        if ch == "{":
            pos = ws(pos + 1)
            seen: set[str] = set()
            if text[pos] == "}":
                return pos + 1
            while True:
                m = _STRING.match(text, pos)
                if m is None:
                    raise ValueError(pos)
                key = json.loads(m.group())
                child = (*path, key)
                if key in seen:
                    duplicates.append((child, where(pos)))
                else:
                    positions[child] = where(pos)
                seen.add(key)
                pos = ws(m.end())
                pos = value(pos + 1, child)  # skip ':'
                pos = ws(pos)
                if text[pos] == ",":
                    pos = ws(pos + 1)
                    continue
                return pos + 1  # '}'
        if ch == "[":
            pos = ws(pos + 1)
            if text[pos] == "]":
                return pos + 1
            i = 0
            while True:
                child = (*path, i)
                positions[child] = where(ws(pos))
                pos = ws(value(pos, child))
                i += 1
                if text[pos] == ",":
                    pos += 1
                    continue
                return pos + 1  # ']'
        if ch == '"':
            m = _STRING.match(text, pos)
            if m is None:
                raise ValueError(pos)
            return m.end()
        m = _SCALAR.match(text, pos)
        if m is None:
            raise ValueError(pos)
        return m.end()

    positions[()] = where(ws(0))
    value(0, ())
    return JsonPositions(positions, duplicates)


def _where(path: Path_) -> str:
    return f" in {pointer(path)}" if path else ""


def pointer(path: Iterable[str | int]) -> str:
    """A JSON pointer (`/a/0/b`) for messages."""
    parts = [str(p).replace("~", "~0").replace("/", "~1") for p in path]
    return "/" + "/".join(parts) if parts else "/"


# --------------------------------------------------------------------------------------- YAML


@block_validator("yaml")
def check_yaml(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """YAML syntax (every document of a `---`-separated stream), duplicate keys, `schema=`."""
    if not block.file and not_data(block.source, template_starts(ctx.document)):
        return
    filled = fill(heredoc_body(block.source), values_for(ctx))
    multi = _DOCUMENT_MARK.search(filled.text) is not None
    try:
        if multi:
            documents = load_yaml_all(filled.text)
            data = documents[0] if len(documents) == 1 else None
        else:
            data = load_yaml(filled.text, lines=False)
            documents = [data]
    except YamlProblem as err:
        if not block.file and (yaml_excerpt(filled.text) or yaml_reference_notation(filled.text)):
            # Shown in part, or a Markdown example tagged yaml: nothing to judge, unless what
            # is left once the elisions are out is a table a program printed (a status
            # report cut with `[...]`, which YAML reads as a plain string).
            if not on_runbook_page(ctx) and _column_table(_unelided(filled.text)):
                yield wrong_language(block, "yaml", "a table a program printed", "text")
            return
        shown = None if block.file else yaml_alternatives(filled.text, runbook=on_runbook_page(ctx))
        if shown == "forms":
            return  # `image: a` / `image: a:1`: the forms one value may take, one a line
        if shown is not None:
            index = err.line - 1
            yield alternatives_shown(block, index, filled.col(index, err.col), err.message)
            return
        shown_file = None if block.file or on_runbook_page(ctx) else _cat_shown(filled.text)
        if shown_file is not None:
            # `~ # cat /etc/app.yaml`, then the file: a prompt line, then YAML to check.
            yield wrong_language(block, "yaml", "a command (cat) and the file it prints", "console")
            problem = _yaml_problem(shown_file)
            if problem is not None:
                yield finding_at(
                    block,
                    problem.line - 1,
                    filled.col(problem.line - 1, problem.col),
                    f"invalid YAML: {problem.message}",
                    code=codes.INVALID_YAML,
                )
            return
        other = (
            None
            if block.file or on_runbook_page(ctx)
            else titled_other(block, "yaml") or yaml_is_other(filled.text)
        )
        if other is not None:
            yield wrong_language(block, "yaml", *other)
            return
        # An excerpt that fails for another reason: the error the parser meets once
        # the elisions are read as comments is the one to show (an elision at the margin is
        # otherwise taken for a document end, and reported in place of the real mistake).
        err = _error_past_elisions(filled.text) or _error_past_notation(filled.text) or err
        index = err.line - 1
        yield finding_at(
            block,
            index,
            filled.col(index, err.col),
            f"invalid YAML: {err.message}",
            code=codes.INVALID_YAML,
        )
        return
    except RecursionError:
        yield finding_at(block, 0, 1, "invalid YAML: nested too deeply", code=codes.INVALID_YAML)
        return
    if block.schema and len(documents) > 1:
        for doc in documents:
            yield from _schema_errors(block, ctx, to_plain(doc), lambda _p: (0, 1), filled)
        return
    if block.schema:
        try:
            plain = to_plain(data)
        except RecursionError:
            yield finding_at(
                block, 0, 1, "YAML nested too deeply to validate", code=codes.INVALID_YAML
            )
            return
        positioned: list[Any] = []

        def position(path: Path_) -> tuple[int, int]:
            # Line information is only loaded when a schema error needs it.
            if not positioned:
                positioned.append(load_yaml(filled.text))
            return yaml_position(positioned[0], path)

        yield from _schema_errors(block, ctx, plain, position, filled)


_CAT_PROMPT = re.compile(
    r"^[ \t]*(?:[^\s#$%]+[ \t]+)?[^\s#$%]*[ \t]*[#$%][ \t]+"
    r"(?:sudo[ \t]+)?cat[ \t]+[^\s|;&<>]+[ \t]*$"
)
"""A shell prompt (`$`, `#` for root, after `~`, `host:~` or `[me@h ~]`) and `cat FILE`."""


def _cat_shown(text: str) -> str | None:
    """The file a block shows after a first line that prints it (`~ # cat /etc/x.yaml`),
    that line blanked so line numbers stay; None when the block does not open that way. The
    file ends at the next line with the same prompt (`$ app --config x.yaml`), and the
    comment lines just above it (`# Then run:`) are the session's words: both blanked too
    (a bare `#` prompt is not looked for: it is how YAML comments start)."""
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None or not _CAT_PROMPT.match(lines[first]):
        return None
    shown = ["" if i == first else ln for i, ln in enumerate(lines)]
    head = re.match(r"([ \t]*)(.*?[#$%])[ \t]+(?:sudo[ \t]+)?cat[ \t]", lines[first])
    if head is not None and head.group(2) != "#":
        # The same prompt at the same indentation: `$ `, `~ # `, `[me@h ~]$ `.
        mark = re.compile(re.escape(head.group(1)) + re.escape(head.group(2)) + r"[ \t]+\S")
        end = next((i for i in range(first + 1, len(lines)) if mark.match(lines[i])), None)
        if end is not None:
            while end > first + 1 and (
                not lines[end - 1].strip() or _COMMENT_LINE.match(lines[end - 1])
            ):
                end -= 1
            shown[end:] = [""] * (len(lines) - end)
    return "\n".join(shown)


_COMMENT_LINE = re.compile(r"^[ \t]*#")


def _yaml_problem(text: str) -> YamlProblem | None:
    """The first error of `text` read as a stream of YAML documents; None when it loads."""
    try:
        load_yaml_all(text)
    except YamlProblem as err:
        return err
    except RecursionError:
        return None
    return None


_DOCUMENT_MARK = re.compile(r"^(?:---|\.\.\.)(?:[ \t].*)?$", re.M)
"""A document start or end marker: the block is a stream of documents (Kubernetes manifests,
or a page's front matter shown as an example)."""

_CALLOUT = re.compile(r"[ \t]+(?:\[\d{1,2}\]|<\d{1,2}>|[\u2460-\u2473\u2776-\u277f])[ \t]*$", re.M)
"""A callout number at the end of a line (`name: web [1]`, `name: web ①`), explained under
the block."""
_SNIP = r"(?:#|//)?[ \t]*[<\[(]?[ \t-]*(?i:snip(?:ped)?)[ \t-]*[>\])]?"
"""`<- snipped ->`, `<snip>`, `[snip]`, `-- snip --`: a mark, alone on its line, where lines
were cut out of what a program printed."""
_ELISION_LINE = re.compile(
    r"^([ \t]*)(?:(?:\.{1,}|…|\.(?:[ \t]\.){2,}|\[\.\.\.?\]|\(\.\.\.\)|<\.\.\.>)"
    r"[ \t]*,?[ \t]*(?:#.*)?"
    r"|(?:\.{3}|…)[^\n]*?(?:\.{3}|…)[ \t]*,?[ \t]*"
    r"|(?:\.{3}|…)[ \t]+[a-z][a-z'-]*(?:[ \t]+[a-z][a-z'-]*){2,}[ \t]*"
    rf"|(?://|#)[ \t]*(?:\.\.\.|…).*|(?:(?:\.{{3}}|…)[ \t]*)?{_SNIP}[ \t]*)$"
)
"""A line that stands for lines left out of an excerpt: `...` (or `..`, or `.` on lines of
its own, a vertical ellipsis), `…`, `. . .`, `<...>`,
`# ...`, `// ...`, `... other settings ...` (what was left out, between ellipses, or after one
in three lower-case words or more: `... other keys if any`), and a snip mark (after an
ellipsis too: `...<snip>`)."""
_ELIDED_TEXT = re.compile(r"(?:\.{3}|…)[^\"\n]*?(?:\.{3}|…)")
"""`... YOUR OTHER STATEMENTS ...`: what was left out of a JSON excerpt, named."""


_ALIAS = re.compile(r"(?<![\w*&])\*([\w-]+)")
_MERGED_ALIAS = re.compile(r"(<<[ \t]*:[ \t]*)\*([\w-]+)")
_REDACTED = re.compile(r"(?<=:\s)(?:\*{3,}|\*{2,}[^*\n]*[^*\s][^*\n]*\*{2,})(?=\s*(?:#.*)?$)", re.M)
"""`password: ***`, `key: ***** # the id`: a value hidden on purpose; `id: ***FILL IN***`,
`secret: **REPLACE ME**`: a value to fill in, between asterisks (YAML reads `*` as an
alias)."""


def yaml_excerpt(text: str) -> bool:
    """True when `text` is YAML shown in part (elision lines, a slice that starts deep inside
    a larger file), or not YAML at all but a Markdown example holding a fence: valid once the
    elisions are read as comments."""
    sliced = _cut_from_deeper(text)
    if sliced is not None:
        try:
            load_yaml_all(sliced)
            return True
        except (YamlProblem, RecursionError):
            pass
    lines = text.split("\n")
    if any(ln.lstrip().startswith(("```", "~~~")) for ln in lines):
        return True  # a page example (front matter, then Markdown with fences)
    if _CALLOUT.search(text):
        text = _CALLOUT.sub("", text)
        try:
            load_yaml_all(text)
            return True
        except (YamlProblem, RecursionError):
            pass
    defined = set(re.findall(r"&([\w-]+)", text))
    # An alias close to an anchor the block defines is a typo, not one defined elsewhere.
    missing = {
        a
        for a in _ALIAS.findall(text)
        if a not in defined and not difflib.get_close_matches(a, defined, n=1, cutoff=0.8)
    }
    if _REDACTED.search(text):
        missing.add("\x00")  # `password: ***`: a value hidden on purpose
        text = _REDACTED.sub("x", text)
        lines = text.split("\n")
    kept = _elided(lines)
    if not missing and kept == text:
        return False
    # `*name` defined in a part of the file the excerpt leaves out; merged (`<<: *name`) it
    # stands for a mapping.
    kept = _MERGED_ALIAS.sub(
        lambda m: m.group(1) + "{}" if m.group(2) in missing else m.group(), kept
    )
    kept = _ALIAS.sub(lambda m: "x" if m.group(1) in missing else m.group(), kept)
    try:
        load_yaml_all(kept)
    except (YamlProblem, RecursionError):
        # `...` and then a slice from deep inside the file (the end of a list, then its parent)
        sliced = _cut_from_deeper(kept)
        try:
            load_yaml_all(sliced if sliced is not None else kept)
        except (YamlProblem, RecursionError):
            return _loads(_elisions_opening(lines)) or _loads(_fragments(lines))
    return True


def _fragments(lines: list[str]) -> str | None:
    """`lines` cut into separate documents at each elision line that the next line stands at
    the margin under, when the line before it is indented (`- macro: x` and its keys, then
    `  ...`, then `condition: ...` of another rule): fragments of a file, joined by what was
    left out between them, each YAML of its own; None when no elision joins two fragments."""
    out: list[str] = []
    cut = False
    for i, ln in enumerate(lines):
        if _ELISION_LINE.match(ln):
            below = next((x for x in lines[i + 1 :] if x.strip()), "")
            above = next((x for x in reversed(out) if x.strip()), "")
            if below[:1] not in ("", " ", "\t") and above[:1] in (" ", "\t", "-"):
                out.append("---")
                cut = True
                continue
        out.append(ln)
    return _elided(out) if cut else None


_INLINE_ELISION = re.compile(r"\[(?:\.{3}|…)\]")
"""`[...]` inside a value (`role: [...].example.org`): part of the value left out."""
_TEMPLATE_VALUE = re.compile(
    r"(?<=[:-][ \t])(?:@[A-Z][A-Z0-9_]*@|%\{[A-Za-z_][\w.]*\})(?=[ \t]*(?:#.*)?$)", re.M
)
"""`storageClass: @STORAGE_CLASS@`, `url: %{STORE_URL}`: a value a template or the program
fills in from its environment before reading the file (`@` and `%` cannot start a plain
scalar, so YAML refuses it as written)."""
_BRACED_NAME = re.compile(
    r"\{[A-Z][A-Z0-9_]+\}|(?<=[:-][ \t])\{[a-z][a-z0-9_-]*\}(?=[@.]\{?[a-z]|:\d{1,5}\b)"
)
"""`repository: {OWNER}/{NAME}`: upper-case names in braces a template's reader fills in (YAML
reads a brace at a value's start as a flow mapping, and refuses what follows it); a key's value
(or a list item's) that starts with a lower-case name in braces joined by `@` or `.` to more of it
(`{account}@{project}.iam.example.com`, an address to fill in) or by `:` to a port
(`baseUrl: {workstation-ip}:7002`, `- {host}:8080`), which no flow mapping is."""
_ELIDED_SCALAR = re.compile(r"(?<=:[ \t])[|>][-+1-9]{0,2}[ \t]+(?:\.{3}|…)(?=[ \t]*$)")
_BLOCK_SCALAR = re.compile(r"(?:^|[ \t])[|>][-+1-9]{0,2}[ \t]*(?:#.*)?$")


def _excerpt_lines(block: Block, lines: list[str]) -> list[str] | None:
    """`lines` with each elision line (`_ELISION_LINE`) blank, so that line numbers stay,
    when `block` shows an excerpt of a file it does not write (INI, TOML: formats where a
    blank line means nothing); None when it has no elision line, or writes its file."""
    if block.file or not any(_ELISION_LINE.match(ln) for ln in lines):
        return None
    return ["" if _ELISION_LINE.match(ln) else ln for ln in lines]


def _elided(lines: list[str]) -> str:
    """`lines` with elision lines read as comments (as blank lines inside a `|` or `>`
    scalar, where a comment at the margin would end it), `[...]` inside a value and template
    placeholders (`@NAME@`) as a plain word: what the excerpt stands for, as YAML."""
    out: list[str] = []
    scalar = -1  # indentation of the key whose `|` or `>` scalar the lines are in, or -1
    for ln in lines:
        m = _ELISION_LINE.match(ln)
        width = len(ln) - len(ln.lstrip(" \t"))
        if m is not None:
            out.append("" if scalar >= 0 else m.group(1) + "#")
            continue
        if ln.strip() and width <= scalar:
            scalar = -1
        ln = _ELIDED_SCALAR.sub("x", ln)  # `key: | ...`: the text of the scalar left out
        if scalar < 0 and _BLOCK_SCALAR.search(ln) and not ln.lstrip().startswith("#"):
            scalar = width
        out.append(ln if scalar >= 0 and width > scalar else _INLINE_ELISION.sub("x", ln))
    return _BRACED_NAME.sub("x", _TEMPLATE_VALUE.sub("x", "\n".join(out)))


_ITEM_MARKS = re.compile(r"^[ \t]*(?:-[ \t]+)*")
"""The indentation and list-item marks before a line's first key (`  - - name: x`)."""


def _elisions_opening(lines: list[str]) -> str | None:
    """`lines` with each elision line that the next line is indented under read as a key
    (the left-out text opened the levels that line sits in: `# ...` then `    spec:` under
    `metadata:`), the other elision lines as comments; None when no elision opens a level."""
    out: list[str] = []
    opened = False
    for i, ln in enumerate(lines):
        m = _ELISION_LINE.match(ln)
        if m is None:
            out.append(ln)
            continue
        indent = m.group(1)
        below = next((x for x in lines[i + 1 :] if x.strip() and not _ELISION_LINE.match(x)), "")
        below_indent = len(below) - len(below.lstrip(" \t"))
        above = next((x for x in reversed(out) if x.strip() and not x.lstrip().startswith("#")), "")
        above_indent = len(above) - len(above.lstrip(" \t"))
        # Deeper than the line before too: an indent a key of the excerpt already opens
        # (`volumes:` then `. . .` then `  - x`) needs no key of its own. The key stands
        # beside the line before when the elision sits left of it (`# ...` at the margin).
        at = max(len(indent), above_indent)
        if above and not above.split(" #", 1)[0].rstrip().endswith(":"):
            # The line before opens no level (`kind: AnalysisRun`, `- name: x`): the left-out
            # text cannot sit inside it, its keys stand beside that line's own keys.
            at = min(at, len(above) - len(_ITEM_MARKS.sub("", above, count=1)))
        if below_indent > at and below_indent > above_indent:
            out.append(f"{' ' * at}elided-{i}:")
            opened = True
        else:
            out.append(indent + "#")
    return _elided(out) if opened else None


def _loads(text: str | None) -> bool:
    """True when `text` is not None and loads as a YAML stream."""
    if text is None:
        return False
    try:
        load_yaml_all(text)
    except (YamlProblem, RecursionError):
        return False
    return True


_OPTIONAL_FIELD = re.compile(
    r"^([ \t]*)\[[ \t]*(?:([\w.-]*(?:[ \t]*\|[ \t]*[\w.-]+)*)[ \t]*:[ \t]*)?"
    r"(?:(?:-[ \t]*)?<[^\n]*|\([\w.-]+(?:[ \t]*\|[ \t]*[\w.-]+)+\)[ \t]*)\][ \t]*$",
    re.M,
)
"""`[name: <type> | default = value]`, `[<tls_config>]`, `[ - <rule> ]`: an optional field, or
an optional block (or list of them) described elsewhere, in a configuration reference written
the Prometheus way (Prometheus, Alertmanager, Loki, Mimir...); `[name: (a|b|c)]`: an
optional field and the values it takes: a notation, not YAML."""


def yaml_reference_notation(text: str) -> bool:
    """True when `text` is a configuration reference in the Prometheus notation: YAML once
    read by `reference_read` (other mistakes still fail), elisions (`...`) among it read as
    comments too."""
    read = reference_read(text)
    if read is None:
        return False
    try:
        load_yaml_all(read)
    except (YamlProblem, RecursionError):
        return yaml_excerpt(read)
    return True


_FIELD_START = re.compile(
    r"^([ \t]*)(-[ \t]+)?\[[ \t]*(?:([\w./-]+(?:[ \t]*\|[ \t]*[\w./-]+)*)?[ \t]*:|(-[ \t]*)?<)"
)
"""The start of a field in the notation: `[name: ...`, `- [name: ...`, `[<block>...`, and
`[- <block>]` (items of a list, described elsewhere)."""
_FIELD_REST = re.compile(r"[ \t]*(:)?[ \t]*(?:#.*)?$")
_DESCRIBED_VALUE = re.compile(r"^([ \t]*(?:-[ \t]+)?[\w./\"'-]+:)[ \t]+<[^<>\n]*>[ \t]*(?:#.*)?$")
"""`kvstore: <KVStore config>`: a value the reference describes, its fields indented below."""


def reference_read(text: str) -> str | None:
    """`text`, a configuration reference in the Prometheus notation (Prometheus, Loki, Tempo,
    Mimir...), read as YAML line for line; None when it has no `[name: <type> ...]` line.

    A field `[name: <type> | default = x]` (also after `- `, with a comment after it, with
    its default on the lines below up to the closing `]`, or with `:` and its own fields
    under it) is read as `name: x`, `[<block>]` as a comment, and a value that names a
    described type (`kvstore: <KVStore config>`) with fields indented under it as `kvstore:`.
    The notation is a schema, never applied as is; what is left must still be YAML.
    """
    if not _OPTIONAL_FIELD.search(text):
        return None
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        m = _FIELD_START.match(ln)
        end = _field_end(lines, i, ln.index("[")) if m else None
        if m is None or end is None:
            out.append(ln)
            i += 1
            continue
        last, col = end
        rest = _FIELD_REST.match(lines[last], col)
        if rest is None:
            out.append(ln)
            i += 1
            continue
        indent, dash, name = m.group(1), m.group(2) or "", (m.group(3) or "").split("|")[0]
        if name.strip():
            out.append(f"{indent}{dash}{name.strip()}:" + ("" if rest.group(1) else " x"))
        elif dash or m.group(4):
            out.append(f"{indent}{dash or '- '}x")
        else:
            out.append(f"{indent}#")
        out.extend(f"{indent}#" for _ in range(i + 1, last + 1))
        i = last + 1
    for i, ln in enumerate(out):
        m = _DESCRIBED_VALUE.match(ln)
        if m is None:
            continue
        below = next((x for x in out[i + 1 :] if x.strip() and not x.lstrip().startswith("#")), "")
        if len(below) - len(below.lstrip(" \t")) > len(ln) - len(ln.lstrip(" \t")):
            out[i] = m.group(1)
    return "\n".join(out)


def _field_end(lines: list[str], start: int, col: int) -> tuple[int, int] | None:
    """Where the `[` at `lines[start][col]` closes: (line, column after the `]`); None when it
    does not close within a few lines."""
    depth = 0
    for n in range(start, min(start + 20, len(lines))):
        ln = lines[n]
        for j in range(col if n == start else 0, len(ln)):
            if ln[j] == "[":
                depth += 1
            elif ln[j] == "]":
                depth -= 1
                if depth == 0:
                    return n, j + 1
    return None


def _error_past_elisions(text: str) -> YamlProblem | None:
    """The first error in `text` once its elision lines are read as comments; None when it
    has no elision line or loads then."""
    lines = text.split("\n")
    kept = _elided(lines)
    if kept == text:
        return None
    # Read with the levels the elisions opened, when they open any: a mistake past them.
    kept = _elisions_opening(lines) or kept
    try:
        load_yaml_all(kept)
    except YamlProblem as err:
        return err
    except RecursionError:
        return None
    return None


def _error_past_notation(text: str) -> YamlProblem | None:
    """The first error in a configuration reference once its notation is read as YAML (the
    lines keep their places); None when `text` has no notation."""
    read = reference_read(text)
    if read is None:
        return None
    try:
        load_yaml_all(read)
    except YamlProblem as err:
        return err
    except RecursionError:
        return None
    return None


def alternatives_shown(block: Block, index: int, col: int, problem: str) -> Finding:
    """RBD209: a block shows alternatives one after the other (`problem`: the repeated key)."""
    return finding_at(
        block,
        index,
        col,
        f"this block shows alternatives one after the other ({problem}): copied whole it fails",
        code=codes.YAML_ALTERNATIVES,
        hint="show each alternative in a block of its own",
    )


def wrong_language(block: Block, tagged: str, looks: str, tag: str) -> Finding:
    """RBD208: one warning that a block is written in another language than its tag."""
    first = next((i for i, ln in enumerate(block.source.split("\n")) if ln.strip()), 0)
    return finding_at(
        block,
        first,
        1,
        f"this {tagged} block is not valid {tagged.upper()} but looks like {looks}: it is "
        f"tagged with the wrong language",
        code=codes.WRONG_LANGUAGE,
        hint=f"tag it {tag} (a runbook page keeps the parse error: its blocks must parse as "
        "tagged)",
    )


_BARE_KEY = re.compile(r"(?:^|[{,])[ \t]*[A-Za-z_$][\w$]*[ \t]*:(?!//)", re.M)
_SINGLE_QUOTED = re.compile(r"(?:^|[:\[,])[ \t]*'[^'\n]*'[ \t]*(?=[,}\]\n]|$)", re.M)
_OBJECT_LITERAL_LOOK = "a JavaScript or Jsonnet object (keys without quotes, 'strings')"


_GRAFANA_QUERY = re.compile(r"^\s*(?:label_values|label_names|query_result|metrics)\(")
"""A Grafana template variable's query over Prometheus: `label_values(metric, label)`."""
_JSON_OPENING = re.compile(r"^\s*(?:[\[\"]|\{\s*(?:[\"}]|$))")
"""How a JSON text starts: `[`, a string, `{` then a key in quotes, `}` or the line's end."""


def metrics_query(text: str) -> tuple[str, str] | None:
    """(what it looks like, tag) when every line of `text` is a PromQL or LogQL query or a
    Grafana variable query (`sum(rate(...))`, `metric{job="x"}`, `label_values(...)`), and the
    text does not open the way JSON does (then a broken JSON text stays one)."""
    from runbookdocs.validate.shell import query_line

    lines = [ln for ln in text.split("\n") if ln.strip()]
    if not lines or _JSON_OPENING.match(lines[0]):
        return None
    if all(_GRAFANA_QUERY.match(ln) or query_line(ln) for ln in lines):
        return "a PromQL or Grafana query", "promql"
    return None


def object_literal(text: str) -> bool:
    """True when `text` is an object of JavaScript or Jsonnet: keys without quotes and
    strings in single quotes, both (JSON has neither). One of them alone, or a trailing comma
    alone, is a mistake in JSON, and stays one."""
    bare = _JSON_STRING.sub('""', text)  # what double-quoted strings hold is not syntax
    return bool(_BARE_KEY.search(bare)) and bool(_SINGLE_QUOTED.search(bare))


def json_is_yaml(text: str) -> bool:
    """True when a `json` block that JSON refuses is plainly YAML: it does not start like JSON
    (`{`, `[` or a string) and every document of it is a YAML mapping or sequence."""
    first = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    if not first or first[0] in '{["' or first.startswith("//"):
        return False
    try:
        documents = load_yaml_all(text)
    except (YamlProblem, RecursionError):
        return False
    return bool(documents) and all(isinstance(d, (dict, list)) for d in documents)


_PROMPT = re.compile(r"^[ \t]*\$[ \t]+(?:#|sudo\b|[\w./~-])")
"""A shell prompt and the start of a command (or of a comment typed at the prompt)."""
_TRACE_LINE = re.compile(r"^[ \t]*[<>*](?:[ \t]|$)")
_TRACE_START = re.compile(
    r"^[ \t]*(?:< HTTP/\d|> (?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \S+ HTTP/\d)"
)
"""`< HTTP/2 200`, `> GET / HTTP/1.1`: what `curl -v` prints of the request it sends (`>`),
the response headers it gets (`<`) and its own notes (`*`), one a line."""
_HTTP_START = re.compile(r"^[ \t]*(?:HTTP/\d(?:\.\d)? \d{3}\b|[A-Z]+ \S+ HTTP/\d(?:\.\d)?[ \t]*$)")
"""`HTTP/1.1 200 OK`, `GET /cart HTTP/1.1`: the first line of an HTTP response or request."""
_HTTP_HEADER = re.compile(r"^[ \t]*[A-Za-z][\w-]*:[ \t]*\S")


def http_message(text: str) -> tuple[str, str] | None:
    """What a data block that its parser refuses is when it is an HTTP message, as (what it
    looks like, the tag to use): a status or request line first, header lines under it, then
    a body that opens like JSON (`{`, `[`). None otherwise."""
    body = [ln for ln in text.split("\n") if ln.strip()]
    if len(body) < 2 or not _HTTP_START.match(body[0]):
        return None
    rest = list(itertools.dropwhile(_HTTP_HEADER.match, body[1:]))
    if not rest or not rest[0].lstrip().startswith(("{", "[")):
        return None
    return "an HTTP message (a status or request line, headers, then the body)", "http"


_DIFF_HEADER = (re.compile(r"^--- \S"), re.compile(r"^\+\+\+ \S"), re.compile(r"^@@ -\d"))


_CHANGED_KEY = re.compile(r"^([-+])[ \t]*([\w.-]+)[ \t]*:(?:[ \t]|$)")


def _changed_lines(text: str) -> bool:
    """True when a YAML text is a diff without its header: lines marked `-` and `+` at the
    margin, one key among them both removed and added (`-   lang: a` / `+   lang: b`), and the
    text before the change and the text after it, each with its marks read as spaces (or
    removed), are YAML (an excerpt's elision lines, `...`, read as comments). A list item
    (`- name: x`) alone never makes it one: the `+` side must be there."""
    lines = text.split("\n")
    marked = [m for ln in lines if (m := _CHANGED_KEY.match(ln))]
    removed = {m.group(2) for m in marked if m.group(1) == "-"}
    added = {m.group(2) for m in marked if m.group(1) == "+"}
    if not removed & added:
        return False

    def side(keep: str, drop: str, mark: str) -> str:
        return "\n".join(
            "" if ln.startswith(drop) else mark + ln[1:] if ln.startswith(keep) else ln
            for ln in lines
        )

    def loads(text: str) -> bool:  # an excerpt's `...` lines read as comments
        return _loads(text) or _loads(_elided(text.split("\n")))

    # The mark takes the place of a space of the diff's context (`-  key`, context lines
    # indented one more), or stands in front of the line as written (context as it is).
    return any(loads(side("-", "+", mark)) and loads(side("+", "-", mark)) for mark in (" ", ""))


_TITLE_IN_INFO = re.compile(r"""(?:^|\s)title=(?:"([^"]*)"|'([^']*)'|(\S+))""")
_TITLE_TAGS = {".toml": "toml", ".ini": "ini", ".cfg": "ini", ".json": "json", ".sh": "bash"}


def titled_other(block: Block, tagged: str) -> tuple[str, str] | None:
    """What a block its parser refuses is when its `title=` names a file of another kind
    (```` ```yaml title="/etc/unbound/pi-hole.conf" ````: the file's own syntax, tagged
    `tagged` for its colours), as (what it looks like, the tag to use); None otherwise."""
    title = block.attrs.get("title", "")
    if not title:  # CommonMark leaves the info string after the language to the renderer
        m = _TITLE_IN_INFO.search(block.info)
        title = next((g for g in m.groups() if g), "") if m else ""
    title = title.strip()
    name = title.split()[0].rstrip(":") if title else ""
    suffix = PurePosixPath(name).suffix.lower()
    if not suffix or not re.fullmatch(r"\.[a-z][a-z0-9]{0,7}", suffix):
        return None
    if suffix in ({".yaml", ".yml"} if tagged == "yaml" else {f".{tagged}"}):
        return None
    return f"the content of {name} (its title)", _TITLE_TAGS.get(suffix, "text")


_DESCRIBED = re.compile(r"^[ \t]*[A-Z][A-Za-z0-9/.-]*(?: [A-Za-z0-9/.-]+)*:(?:[ \t]{2,}\S|[ \t]*$)")
"""`Name:         web`, `Current Status:  invalid`, `Events:`: a field of `kubectl describe`
output (capitalised words, the value aligned in a column)."""
_EVENT_TABLE = re.compile(r"^[ \t]*(?:Type[ \t]+Reason[ \t]+Age\b|-{4}[ \t]+-{6})")


def _described(body: list[str]) -> bool:
    """True when `body` (lines that are not blank or comments) is `kubectl describe` output:
    it opens with a capitalised field, at least two fields have their value aligned past the
    name (two spaces or more) or the event table's header and rule are there (`Events:` shown
    alone), and every line is a field, its event table, or deeper text."""
    if not _DESCRIBED.match(body[0]) or body[0][0].isspace():
        return False
    aligned = sum(1 for ln in body if _DESCRIBED.match(ln) and re.search(r":[ \t]{2,}\S", ln))
    if aligned < 2 and sum(1 for ln in body if _EVENT_TABLE.match(ln)) < 2:
        return False
    fields = sum(1 for ln in body if _DESCRIBED.match(ln) or _EVENT_TABLE.match(ln))
    return fields * 2 >= len(body)


def yaml_is_other(text: str) -> tuple[str, str] | None:
    """What a `yaml` block that YAML refuses plainly is, as (what it looks like, the tag to
    use), or None when the evidence is not strong (then the parse error stands).

    Strong evidence: the first line that is not a comment is a shell prompt with a command
    (a console transcript) or a well-known command with arguments and no prompt, or a later
    line is a prompt with a command (output that shows a command); every line is
    one of `curl -v`'s `<`/`>`/`*` lines, an HTTP status or request among them, or a log line
    that starts with a date and time; the block
    opens with a unified diff's `---`/`+++`/`@@` header;
    or every line that is not a comment is a lone scalar (names or values listed one per
    line, with comments), with no mapping or sequence anywhere.
    """
    lines = [ln for ln in text.split("\n") if ln.strip()]
    body = [ln for ln in lines if not ln.lstrip().startswith("#")]
    if not body:
        return None
    other = config_language(text)
    if other is not None:
        return other
    if _BRACE_OPEN.match(body[0]) and _BRACE_CLOSE.match(body[-1]) and _brace_config(body):
        # Framed by a block: members outside any (`name: app` above `resources: {`) are YAML's,
        # and a flow mapping there missing its commas stays an error.
        return _BRACE_CONFIG_LOOK
    if prometheus_samples(text):
        return _PROMETHEUS_LOOK
    if _directory_tree(lines):
        return "a directory tree", "text"
    if _printed_table(body) or _column_table(body):
        return "a table a program printed", "text"
    if all(_EXPRESSION_LINE.match(ln) and _EXPRESSION_OPERATOR.search(ln) for ln in body):
        return "an expression (a filter or a condition)", "text"
    if _PROMPT.match(body[0]):
        return "a console transcript", "console"
    if all(_LOG_LINE.match(ln) for ln in body):
        return "log lines", "text"
    if looks_like_commands(body[0]) and len(body[0].split()) > 1:
        return "a shell command", "bash"  # `kubectl patch ... -p '{...}'` without its `$`
    traced = len(body) >= 2 and all(_TRACE_LINE.match(ln) for ln in body)
    if traced and any(_TRACE_START.match(ln) for ln in body):
        return "an HTTP exchange traced by a client (curl -v)", "text"
    if any(_PROMPT.match(ln) for ln in body[1:]):
        return "program output (it shows a command at a '$ ' prompt)", "text"
    if len(lines) >= 3 and all(rx.match(ln) for rx, ln in zip(_DIFF_HEADER, lines, strict=False)):
        return "a unified diff", "diff"
    if _changed_lines(text):
        return "a diff (the lines marked - and + are the change)", "diff"
    if len(body) >= 2 and _described(body):
        return "the output of kubectl describe", "text"
    if len(body) < 2:
        return None
    for ln in body:
        try:
            value = load_yaml(ln, lines=False)
        except (YamlProblem, RecursionError):
            return None
        if isinstance(value, (dict, list)) or ln.lstrip().startswith(("-", "?", "&", "*", "!")):
            return None
    return "a list of values, one per line", "text"


_LOG_LINE = re.compile(r"^\s*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}\S*\s+\S.*:\s")
"""A log line a server wrote: a date and time (`2024-03-01 18:15:08 UTC [42]:app: LOG: x`), then
words with `: ` in them, which YAML takes for a mapping inside a plain scalar and refuses."""
_TREE_TOP = re.compile(r"^[\w.@+~-]+/?:?[ \t]*$")
"""The top of a directory tree written as YAML would be: `chart:`, `chart/` or `chart/:`."""


def _directory_tree(lines: list[str]) -> bool:
    """True when `lines` (a block's lines that are not blank) draw a directory tree: a folder's
    name on top (`chart:`), then only names, one a line, folders' ending in `/` (one at least),
    indented under it, with notes (`# ...`) between them. YAML reads the names as scalars and
    refuses them."""
    from runbookdocs.validate.shell import directory_tree

    body = [ln for ln in lines if not ln.lstrip().startswith("#")]
    if len(body) < 3 or not _TREE_TOP.match(body[0]):
        return False
    if not any(ln.rstrip().endswith("/") for ln in body[1:]):
        return False
    top = body[0].strip().rstrip(":")
    return directory_tree([top if top.endswith("/") else top + "/", *body[1:]])


_TABLE_RULE = re.compile(r"^[ \t]*[+|│┃║├┌└╭╰╠╔╚]?[-=─━═┬┼┴╤╪╧+]{3,}[+|│┃║┤┐┘╮╯╣╗╝]?[ \t]*$")
"""A table's border or rule: `+----+----+`, `├────┼────┤`, `───┬───╮`."""
_TABLE_LINE = re.compile(r"^[ \t]*[|│┃║].*[|│┃║][ \t]*$")
"""A table's row between its sides: `| 1 | a |`, `│ 1 │ a │`."""


_EXPRESSION_LINE = re.compile(
    r"^[ \t]*(?![-?][ \t])(?![\w.-]+[ \t]*:(?:[ \t]|$))"  # no item, no key
    r"""(?!(?:"[^"]*"|'[^']*')[ \t]*:(?:[ \t]|$))"""  # no quoted key
    r".*\b[A-Za-z_]\w*\([^()]*\)"  # a call
)
"""A line that is not a YAML key or item and that calls a function: `"a" in Lookup(x).Names()`."""
_EXPRESSION_OPERATOR = re.compile(
    r"==|!=|<=|>=|&&|\|\||[ \t](?:in|not|and|or|contains|matches)[ \t]"
)
"""An operator of an expression language (expr, CEL, JMESPath filters)."""


def _printed_table(body: list[str]) -> bool:
    """True when `body` (a block's lines, blank ones left out) is a table a program printed
    (what `mysql` or a CLI's `list` command shows): every line a border or rule of `-`, `=`,
    `+` or box-drawing characters, or a row between `|` or `│` sides, with one rule and one
    row at least, maybe an elision (`...`) for the rows left out. YAML reads `|` as a block
    scalar and refuses the rows; such a block is output tagged `yaml`."""
    rules = sum(1 for ln in body if _TABLE_RULE.match(ln))
    rows = sum(1 for ln in body if _TABLE_LINE.match(ln) and not _TABLE_RULE.match(ln))
    elided = sum(1 for ln in body if ln.strip() in ("...", "…"))
    return rules >= 1 and rows >= 1 and rules + rows + elided == len(body)


_COLUMN_RULE = re.compile(r"^[ \t]*-{2,}(?:[ \t]+-{2,})+[ \t]*$")
"""A rule of dashes under a table's columns, spaces between them: `----  -----  ------`."""


def _column_table(body: list[str]) -> bool:
    """True when a line of `body` (a block's lines) is a rule of dashes, two groups at least,
    each starting under a word of the line above (`Name   Owner  Status`, then
    `----   -----  ------`): the header of a table a program printed with its columns lined
    up by spaces (a status command's report, `psql`'s aligned output without borders). YAML
    reads such lines as one plain string, or refuses them when a row holds `: `. Both lines
    stand at the block's margin: a table indented under a key is the text of a `|` scalar."""
    margin = min((len(ln) - len(ln.lstrip()) for ln in body), default=0)
    for above, ln in itertools.pairwise(body):
        if not _COLUMN_RULE.match(ln) or len(ln) - len(ln.lstrip()) != margin:
            continue
        if len(above) - len(above.lstrip()) != margin:
            continue
        heads = {m.start() for m in re.finditer(r"\S+", above)}
        if all(m.start() in heads for m in re.finditer(r"-+", ln)):
            return True
    return False


def _unelided(text: str) -> list[str]:
    """The lines of `text` that are not blank and not elision lines (`[...]`, `...`)."""
    return [ln for ln in text.split("\n") if ln.strip() and not _ELISION_LINE.match(ln)]


_BRACE_OPEN = re.compile(r"^[ \t]*[A-Za-z_][\w.-]*[ \t]*:?[ \t]*\{[ \t]*(?:#.*)?$")
_BRACE_MEMBER = re.compile(r"^[ \t]*[A-Za-z_][\w.-]*[ \t]*[:=][ \t]*[^\s{\[].*$")
_BRACE_CLOSE = re.compile(r"^[ \t]*\}[ \t]*$")
_BRACE_CONFIG_LOOK = (
    "a configuration in braces, one member a line, no commas (NATS server, HOCON, "
    "protocol buffer text)",
    "text",
)


def _brace_config(body: list[str]) -> bool:
    """True when `body` (the lines of a block that are not blank or comments) holds only
    openings of a block (`resolver: {`, `cluster {`), `}` and `key: value` members one a line,
    none ending with a comma, two at least, the braces balanced, one block at least: a
    configuration language of its own (the NATS server's, HOCON) or a protocol buffer in its
    text format (`metadata: {` ... `}` then `method: "get"`), which YAML's flow mappings and
    JSON (commas between members, keys in quotes) are not."""
    depth = members = 0
    opened = False
    for ln in body:
        if _BRACE_OPEN.match(ln):
            depth += 1
            opened = True
        elif _BRACE_CLOSE.match(ln):
            depth -= 1
            if depth < 0:
                return False
        elif _BRACE_MEMBER.match(ln) and not ln.rstrip().endswith(","):
            members += 1
        else:
            return False
    return opened and depth == 0 and members >= 2


_HCL_BLOCK = re.compile(r'^[ \t]*[A-Za-z_][\w-]*(?:[ \t]+"[^"\n]*")*[ \t]*\{[ \t]*$')
"""`service {`, `resource "aws_s3_bucket" "logs" {`: a block of HCL (Terraform, Nomad)."""
_HCL_ATTRIBUTE = re.compile(r"^[ \t]*[A-Za-z_][\w-]*[ \t]*=[ \t]*\S")
_TOML_TABLE = re.compile(r"^[ \t]*\[\[?[A-Za-z_][\w.\"-]*\]\]?[ \t]*(?:#.*)?$", re.M)


def _braced(text: str) -> tuple[str, str] | None:
    """`_BRACE_CONFIG_LOOK` when the lines of `text` that are not blank or comments are a
    configuration in braces (`_brace_config`)."""
    body = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    return _BRACE_CONFIG_LOOK if _brace_config(body) else None


_ASSIGNED_MEMBER = re.compile(r'^[ \t]*(?:[A-Za-z_][\w.-]*|"[^"\n]*")[ \t]*=[ \t]*[^\s=].*$')
_BRACKET_LINE = re.compile(r"^[ \t]*[\[{}\]](?:[ \t]*[\]}])*[ \t]*,?[ \t]*$")
_ASSIGNED_LOOK = (
    "objects whose members are set with `=` (HCL, Grafana Alloy, a value Terraform prints)",
    "hcl",
)


def assigned_objects(text: str) -> tuple[str, str] | None:
    """`_ASSIGNED_LOOK` when `text` opens with `[` or `{` and every other line that is not
    blank, a comment or an elision is a bracket (`{`, `},`, `]`) or a member set with `=`
    (`__address__ = "10.0.0.1:80",`), two members at least: objects written in HCL's syntax,
    which JSON (`"key": value`) is not. One member written with `=` among JSON's `:` members
    is a typo, still an error."""
    body = [
        ln
        for ln in text.split("\n")
        if ln.strip() and not ln.lstrip().startswith(("#", "//")) and not _ELISION_LINE.match(ln)
    ]
    if not body or not body[0].lstrip().startswith(("[", "{")):
        return None
    members = sum(1 for ln in body if _ASSIGNED_MEMBER.match(ln))
    if members >= 2 and all(_ASSIGNED_MEMBER.match(ln) or _BRACKET_LINE.match(ln) for ln in body):
        return _ASSIGNED_LOOK
    return None


def config_language(text: str) -> tuple[str, str] | None:
    """The configuration language a `json` or `yaml` block that its parser refuses is
    plainly written in, as (what it looks like, the tag to use), or None.

    Strong evidence only: TOML when tomllib reads the whole block and it has a `[table]`
    header or a `key = value` line; HCL when the first line that is not a comment or an
    elision opens a block (`name "label" {`) and an attribute (`key = value`) follows. Neither
    form is JSON or YAML.
    """
    if "=" not in text:
        return None
    if _TOML_TABLE.search(text) or re.search(r"^[ \t]*[\w.\"-]+[ \t]*=", text, re.M):
        try:
            if tomllib.loads(text):
                return "TOML", "toml"
        except (tomllib.TOMLDecodeError, RecursionError):
            if _toml_shape(text):
                return "TOML", "toml"
    body = [
        ln
        for ln in text.split("\n")
        if ln.strip() and not ln.lstrip().startswith(("#", "//")) and not _ELISION_LINE.match(ln)
    ]
    if body and _HCL_BLOCK.match(body[0]) and any(_HCL_ATTRIBUTE.match(ln) for ln in body[1:]):
        return "HCL", "hcl"
    if (
        body
        and _INI_SECTION.match(body[0])
        and all(_INI_SECTION.match(ln) or _INI_KEY.match(ln) for ln in body)
        and any(_INI_KEY.match(ln) for ln in body)
    ):
        return "an INI file", "ini"
    return None


_INI_SECTION = re.compile(r'^[ \t]*\[[A-Za-z_][\w. -]*(?:[ \t]+"[^"\n]*")?\][ \t]*$')
"""`[Global]`, `[ServiceOverride "ec2"]`: an INI section (git-config style subsections too)."""
_INI_KEY = re.compile(r"^[ \t]*[A-Za-z_][\w.-]*[ \t]*=")


_TOML_KEY = re.compile(r"^[ \t]*[A-Za-z_][\w.-]*[ \t]*=[ \t]*\S")


def _toml_shape(text: str) -> bool:
    """True when `text` has TOML's shape though tomllib refuses a value in it (a placeholder:
    `max_procs = XX`): a `[table]` header first, then only headers and `key = value` lines.
    YAML has no line of either form."""
    body = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    return (
        len(body) >= 2
        and _TOML_TABLE.match(body[0]) is not None
        and any(_TOML_KEY.match(ln) for ln in body)
        and all(_TOML_TABLE.match(ln) or _TOML_KEY.match(ln) for ln in body)
    )


_LOG_LINE = re.compile(
    r"^[ \t]*\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\S*\]?[ \t]+\S"
)
"""A log line: a date and time, then words (`2024-11-26T19:09:43.152Z debug reader.go:258 ...`).
A number opens a JSON text, but no JSON value is a date followed by words."""
_JSON_START = re.compile(r"""^[ \t]*(?:[{\["]|-?\d|true\b|false\b|null\b|//|/\*|#|\.\.\.|…)""")


def json_in_output(text: str) -> tuple[str, str] | None:
    """What a `json` block that JSON refuses is when it is a program's output rather than
    JSON, as (what it looks like, the tag to use), or None.

    Strong evidence only: the first line does not start like JSON (nor like an excerpt), and
    either a later line opens a JSON value that reads to the end of the block (a `$ command`
    line and what it printed, or a label such as `Plan -` before a document), or the block
    holds no brace, bracket or quote at all (`host-a: 6, host-b: 4`: text, which no mistake
    in JSON looks like).
    """
    lines = text.split("\n")
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None or (_JSON_START.match(lines[first]) and not _LOG_LINE.match(lines[first])):
        return None
    command = _PROMPT.match(lines[first]) is not None
    looks = ("a command and its output", "console") if command else ("program output", "text")
    if not any(c in text for c in '{["'):
        return looks
    if command:  # `$ cmd`, its JSON; `$ cmd`, its JSON...: every output must read
        starts = [i for i in range(first, len(lines)) if _PROMPT.match(lines[i])]
        outputs = zip(starts, [*starts[1:], len(lines)], strict=True)
        return looks if all(_json_value("\n".join(lines[a + 1 : b])) for a, b in outputs) else None
    opening = next(
        (i for i in range(first + 1, len(lines)) if lines[i].startswith(("{", "["))), None
    )
    return looks if opening is not None and _json_value("\n".join(lines[opening:])) else None


def _output_error(text: str) -> json.JSONDecodeError | None:
    """The first error in the JSON a `$ command` printed, at its line in the block (the
    command's line is no error of the JSON); None when the block is no such transcript."""
    lines = text.split("\n")
    starts = [i for i, ln in enumerate(lines) if _PROMPT.match(ln)]
    if not starts or any(ln.strip() for ln in lines[: starts[0]]):
        return None
    for a, b in zip(starts, [*starts[1:], len(lines)], strict=True):
        # Blank lines in place of the others keep the error's line the block's own.
        output = "\n" * (a + 1) + "\n".join(lines[a + 1 : b])
        if _json_value(output):
            continue
        try:
            json.loads(output)
        except json.JSONDecodeError as err:
            return err
        except RecursionError:
            return None
    return None


def _json_value(text: str) -> bool:
    """True when `text` is one JSON value (or an excerpt of one), or nothing at all."""
    if not text.strip():
        return True
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return json_excerpt(text)
    return True


_KEY_LINE = re.compile(r"""^([ \t]*)(?:- )?("[^"]+"|'[^']+'|[\w./+-]+)[ \t]*:(?:[ \t]|$)""")
_FILE_CAPTION = re.compile(r"^[ \t]*#[ \t]*[\w./-]*\.ya?ml\b")
"""A comment naming a file (`# config.yaml.d/extra.yaml`): what follows is that file."""
_OR_CAPTION = re.compile(r"^[ \t]*#.*\b(?:[Oo]r|[Ee]ither|[Aa]lternatively|[Ii]nstead)\b")
"""A comment that offers a choice (`# Or the multi-line form:`)."""


def yaml_alternatives(text: str, *, runbook: bool = True) -> str | None:
    """True when `text` shows alternatives one after the other, so that a key repeats where a
    reader takes one part or another, never the whole: each occurrence of the repeated key
    comes right after a comment line that names it (`# by name` / `dataFrom: ...`, then
    `# by tag` / `dataFrom: ...`) or ends with a comment of its own, or a comment naming a
    file (`# config.yaml.d/x.yaml`) or offering a choice (`# Or ...`, `# either ...`) stands
    between two occurrences; or, on a page that is no runbook (`runbook` False), the block is
    only the forms of one key's value (`image: golang`, `image: golang:1.7`, a `|` form...:
    every top-level entry the same key).
    Each repeated key renamed apart, the block must be valid YAML. A key repeated inside one
    manifest without such captions is still a duplicate, and so is a runbook's `a: 1` /
    `a: 2` (its configuration blocks are written into files as they are).

    Returns `"forms"` (the forms of one value, listed), `"alternatives"`, or None."""
    lines = text.split("\n")
    keys = _key_lines(lines)
    forms = not runbook and _one_key_values(lines, keys)
    last: dict[tuple[int, str], int] = {}
    kind = "forms" if forms else "alternatives"
    renamed = list(lines)
    repeated = False
    for i, (scope, key, indent) in keys.items():
        before = last.get((scope, key))
        last[(scope, key)] = i
        if before is None:
            continue
        repeated = True
        between = [ln for ln in lines[before + 1 : i] if ln.lstrip().startswith("#")]
        captioned = _captioned(lines, before) and _captioned(lines, i)
        chosen = any(
            _FILE_CAPTION.match(c) or _OR_CAPTION.match(c)
            for c in between
            if len(c) - len(c.lstrip()) <= indent
        )
        if not (forms or captioned or chosen):
            return None
        renamed[i] = renamed[i].replace(key, f"{key}-rbd-alternative-{i}", 1)
    if not repeated:
        return None
    try:
        load_yaml_all("\n".join(renamed))
    except (YamlProblem, RecursionError):
        return None
    return kind


def _captioned(lines: list[str], i: int, marks: tuple[str, ...] = ("#",)) -> bool:
    """True when the line above line `i` is a comment at its indentation or to its left, or
    line `i` ends with a comment of its own (`path: /srv  # on the server`, no quote before
    it: the mark then opens no string's text); `marks` open a comment."""
    chars = re.escape("".join(marks))
    if re.match(rf"[^\"'{chars}]*\S[ \t]+[{chars}][ \t]*\S", lines[i]):
        return True
    if i == 0:
        return False
    above = lines[i - 1]
    width = len(lines[i]) - len(lines[i].lstrip())
    return above.lstrip().startswith(marks) and len(above) - len(above.lstrip()) <= width


def _key_lines(lines: list[str]) -> dict[int, tuple[int, str, int]]:
    """The lines of `lines` that give a key: line -> (mapping, key, indentation), where
    `mapping` numbers the mapping the key belongs to (the same indentation with no line to
    its left in between), read from the text: the YAML cannot be loaded (it repeats keys)."""
    out: dict[int, tuple[int, str, int]] = {}
    stack: list[tuple[int, int]] = []  # (indentation, mapping number)
    count = 0
    for i, ln in enumerate(lines):
        if not ln.strip() or ln.lstrip().startswith("#"):
            continue
        width = len(ln) - len(ln.lstrip())
        if ln.lstrip().startswith("- "):
            width += 2  # a mapping in a list item starts a new mapping under the item
            while stack and stack[-1][0] >= width:
                stack.pop()
        while stack and stack[-1][0] > width:
            stack.pop()
        if not stack or stack[-1][0] < width:
            count += 1
            stack.append((width, count))
        m = _KEY_LINE.match(ln)
        if m is not None:
            out[i] = (stack[-1][1], m.group(2), width)
    return out


def _one_key_values(lines: list[str], keys: dict[int, tuple[int, str, int]]) -> bool:
    """True when every line of `lines` at the margin that is not blank or a comment gives the
    same key a value, at least twice: the forms a value may take, listed (deeper lines are the
    values of `|` or nested forms)."""
    top = [
        keys[i][1] if i in keys else None
        for i, ln in enumerate(lines)
        if ln.strip() and not ln.lstrip().startswith("#") and not ln[0].isspace()
    ]
    return len(top) >= 2 and None not in top and len(set(top)) == 1


def _cut_from_deeper(text: str) -> str | None:
    """A slice of a larger file starts deeper than it goes on (the end of a list, then the
    keys of its parent): the first lines, deeper than the rest, read as comments. None when
    the text does not start that way."""
    lines = text.split("\n")
    body = [
        (len(ln) - len(ln.lstrip()), i)
        for i, ln in enumerate(lines)
        if ln.strip() and not ln.lstrip().startswith("#")
    ]
    if len(body) < 2:
        return None
    least = min(width for width, _ in body)
    if body[0][0] <= least:
        return None
    cut = next(i for width, i in body if width == least)
    return "\n".join("#" if i < cut and ln.strip() else ln for i, ln in enumerate(lines))


_BARE_NAME = re.compile(
    r"(?:(?<=[:\[,]\s)|(?<=\[))\s*\b[A-Z][A-Z0-9_]{2,}(?:\.[A-Z][A-Z0-9_]{2,})*\b(?=\s*[,}\]\n])"
)
"""`"binding": JAVASCRIPT_BINDING`, `"ts": SECONDS.MICROSECONDS`, `[TIMESTAMP, MAP]`: a value
described by name."""


def json_excerpt(text: str) -> bool:
    """True when `text` is JSON shown in part: elisions (`...`, `…`), code annotations
    (`// (1)!`) or comments, carets under a line pointing at a part of it (`^^^^`), several
    values in a row (JSON Lines, or items of a list, each with its comma)."""
    text, spliced = _without_shell_splices(text)
    underlined = _CARET_LINE.sub("", text)  # `^^^^` under a line: pointing at a part of it
    spliced = spliced or underlined != text
    text = underlined
    text, elided = _without_elided_members(text)
    text, bracketed = _without_elided_brackets(text)
    elided = elided or bracketed
    cleaned, marked = _without_elisions(text)
    marked = marked or elided or spliced
    bare = _BARE_NAME.sub("null", cleaned)  # `"binding": JAVASCRIPT_BINDING`: a placeholder
    bare = _without_schema_notation(bare)
    if bare != cleaned:
        cleaned, marked = bare, True
    if marked:
        cleaned = re.sub(r":(\s*)(?=[,}\]])", r": null\1", cleaned)  # `"key": ...` elided
        # `a, ...,` leaves `a, ,`: the empty item first, then the comma before a bracket.
        cleaned = re.sub(r"([\[{,]\s*),", r"\1", cleaned)
        cleaned = re.sub(r",(\s*[}\]])", r"\1", cleaned)  # `a, ...` leaves `a,`
        cleaned = re.sub(r",\s*$", "", cleaned)  # `{...},`: an item of a list shown alone
    member = re.sub(r",\s*$", "", cleaned)
    if _MEMBER_START.match(member):
        # `"key": {...},` cut from a larger document: members after the last one shown may
        # have been left out too (`"last": 0,` then `}`).
        member = re.sub(r",(\s*[}\]])", r"\1", member)
    candidates = [cleaned, f"[{cleaned}]"] if marked else [f"[{cleaned}]"]
    items = re.sub(r",\s*$", "", cleaned)
    if items != cleaned and _several(f"[{items}]"):
        candidates.append(f"[{items}]")  # `{"ip": "a"},` `{"ip": "b"},`: items with commas
    candidates.append(f"{{{member}}}")  # `"key": value,` shown alone: a member of an object
    cut = _closed_at_cut(cleaned, fragment=marked or _MEMBER_START.match(cleaned) is not None)
    if cut is not None:
        candidates.append(f"{{{cut}}}" if _MEMBER_START.match(cut) else cut)
    for candidate in candidates:
        try:
            json.loads(candidate)
            return True
        except (ValueError, RecursionError):
            continue
    if _stream(cleaned):
        return True
    rows = [ln for ln in cleaned.split("\n") if ln.strip()]
    if _member_forms(rows):
        return True
    try:
        for row in rows:
            json.loads(row)
    except (ValueError, RecursionError):
        return False
    return len(rows) > 1


_CARET_LINE = re.compile(r"^[ \t]*\^[\^~]*[ \t]*(?:\n|\Z)", re.M)


def _several(text: str) -> bool:
    """True when `text` is a JSON array of two items or more."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, list) and len(value) > 1


def _member_forms(rows: list[str]) -> bool:
    """True when `rows` are the forms one member may take, one a line without braces
    (`"size": "10M"`, then `"size": 10485760`): each row a member, every row the same key."""
    keys = set()
    for row in rows:
        m = _MEMBER_START.match(row)
        if m is None:
            return False
        try:
            json.loads(f"{{{row.rstrip().removesuffix(',')}}}")
        except (ValueError, RecursionError):
            return False
        keys.add(m.group().strip().rstrip(":").strip())
    return len(rows) > 1 and len(keys) == 1


_SPACES = re.compile(r"\s*")
_MEMBER_START = re.compile(r'\s*"(?:[^"\\\n]|\\.)*"\s*:')
_SHELL_SPLICE = re.compile(r"""'"\$(?:\([^()\n]*\)|\{?\w+\}?)"'""")
"""`'"$(base64 -w0 file)"'` inside a JSON string: the JSON is the body of a single-quoted shell
argument (`curl -d '...'`) that closes its quote to splice a command's output in."""
_ELIDED_MEMBER = re.compile(
    r'(?<=[{\[,\n])([ \t]*)"(?:\.{3}|…)[^"\n]*"([ \t]*)(?=[,}\]\n])(?![ \t]*:)'
)
"""`"...",` or `{ "... more rules here ..." }`: a string standing where members were left out."""


_ELIDED_BRACKETS = re.compile(
    rf"^[ \t]*(?:[\[{{][ \t]*(?:\.{{2,}}|…)[ \t]*[\]}}]|{_SNIP})[ \t]*,?[ \t]*\n?", re.M
)
"""`[...]` or `{...}` alone on its line: members or items left out (a Chef role's excerpt);
or a snip mark (`<- snipped ->`)."""


def _without_elided_brackets(text: str) -> tuple[str, bool]:
    cleaned = _ELIDED_BRACKETS.sub("", text)
    return cleaned, cleaned != text


def _closed_at_cut(text: str, *, fragment: bool) -> str | None:
    """`text` with the objects and arrays it leaves open closed, when it is a document cut
    short on purpose: its last member ends with `,` (more follows: `"hosts": [...],` then the
    end of the block), or it is a fragment (it starts with a member, or elides parts). None
    otherwise: a whole document missing its last `}` stays an error."""
    body = text.rstrip()
    if not body or not (body.endswith(",") or fragment):
        return None
    stack: list[str] = []
    in_string = escaped = False
    for ch in body:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and (not stack or stack.pop() != ch):
            return None
    if in_string or not stack:
        return None
    return body.removesuffix(",") + "".join(reversed(stack))


def _without_shell_splices(text: str) -> tuple[str, bool]:
    cleaned = _SHELL_SPLICE.sub("x", text)
    return cleaned, cleaned != text


def _without_elided_members(text: str) -> tuple[str, bool]:
    cleaned = _ELIDED_MEMBER.sub(lambda m: m.group(1) + m.group(2), text)
    return cleaned, cleaned != text


def _stream(text: str) -> bool:
    """True when `text` is several JSON values one after the other (what `jq` prints for a
    list of objects, or two responses shown together)."""
    decoder = json.JSONDecoder()
    end, values = 0, 0
    while True:
        start = _SPACES.match(text, end).end()  # type: ignore[union-attr]  # always matches
        if start == len(text):
            return values > 1
        try:
            _, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError):
            return False
        values += 1


_JSON_STRING = re.compile(r'("(?:[^"\\\n]|\\.)*")')
# `<number>`, `{num_vcpus}`, `{<invoice_object>}`: a value (or, alone on its line, members)
# to fill in; a word in braces is no JSON, so it cannot be mistaken for data.
_PLACEHOLDER = r"(?:<[A-Za-z][^<>\n]*>|\{<?[A-Za-z][\w.-]*>?\})"
_PLACEHOLDER_MEMBER = re.compile(rf"^[ \t]*{_PLACEHOLDER}[ \t]*,?[ \t]*$", re.M)
_PLACEHOLDER_VALUE = re.compile(_PLACEHOLDER)
_ALTERNATIVE = re.compile(r"[ \t]*\|[ \t]*(?:\x00\d+\x00|null|\[[^\]\n]*\])")


def _without_schema_notation(text: str) -> str:
    """`text` with a response format's notation read as JSON: `<label pairs>` or `{POLICY}`
    alone on its line (members described in words) left out, `<number>` or `{num_vcpus}` as a
    value read as null, and
    alternatives `"vector" | "streams"` read as their first; strings are left alone."""
    strings: list[str] = []

    def keep(m: re.Match[str]) -> str:
        strings.append(m.group(1))
        return f"\x00{len(strings) - 1}\x00"

    masked = _JSON_STRING.sub(keep, text)
    if "<" not in masked and "|" not in masked and not _PLACEHOLDER_VALUE.search(masked):
        return text
    masked = _PLACEHOLDER_MEMBER.sub("", masked)
    masked = _PLACEHOLDER_VALUE.sub("null", masked)
    masked = _ALTERNATIVE.sub("", masked)
    return re.sub(r"\x00(\d+)\x00", lambda m: strings[int(m.group(1))], masked)


def _without_elisions(text: str) -> tuple[str, bool]:
    """`text` without comments and `...`/`…`/`•••` outside strings; and whether it had any."""
    out: list[str] = []
    marked = False
    i, n = 0, len(text)
    in_string = False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
            out.append(ch)
        elif text.startswith("//", i) or ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end
            marked = True
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            marked = True
            continue
        elif text.startswith("(...)", i):
            i += 5
            marked = True
            continue
        elif text.startswith("...", i) or ch == "…":
            named = _ELIDED_TEXT.match(text, i)
            i = named.end() if named is not None else i + (3 if ch == "." else 1)
            marked = True
            continue
        elif text.startswith(("•••", "···"), i):
            # `"apps": {•••}`: bullets standing for what was left out, like `...`.
            while i < n and text[i] == ch:
                i += 1
            marked = True
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out), marked


_TEMPLATE = re.compile(r"\{\{-?|\{%-?")
_INCLUDE_LINE = re.compile(r"^\s*\{!.*!\}\s*$")


def not_data(text: str, starts: tuple[str, ...] = ()) -> bool:
    """True when a configuration block shows a template rather than data: Helm or Jinja tags
    (`{{ .Values.x }}`, `{{- if }}`, `{% for %}`) besides runbookdocs' own `{{ name }}`, a tag
    starting with one of `starts` (mkdocs-macros' own markers, `[[% include 'x.yaml' %]]`:
    `dialect.template_starts`), or the include of a file by markdown-include (`{!path!}`).
    Such a block is valid only once rendered by its own tool, so it is not validated (a block
    written with `file=` always is).
    """
    if any(start in text for start in starts if start not in ("{{", "{%")):
        return True
    if "{" not in text:
        return False
    if any(_INCLUDE_LINE.match(ln) for ln in text.split("\n")):
        return True
    if "{{" not in text and "{%" not in text:
        return False
    return bool(_TEMPLATE.search(PLACEHOLDER.sub("", text)))


_HEREDOC_COMMAND = re.compile(
    r"^\s*\$?\s*(?:sudo\s+)?[A-Za-z_][\w.-]*(?:\s[^#\n]*?)?<<-?\s*(['\"]?)([\w.-]+)\1"
)
"""A command that reads a here-document: `cat <<EOF > app.yaml`, `kubectl apply -f - <<'EOF'`."""
_MAPPING_KEY = re.compile(r"^\s*[\w.\"'-]+:(?:\s|$)")
_SHELL_PREAMBLE = re.compile(r"^\s*(?:#|(?:export\s+)?[A-Za-z_]\w*=)")
"""Lines a reader types before the command: comments and `NAME=value` assignments."""


def heredoc_body(text: str) -> str:
    """`text` with only the body left when it is a shell command reading a here-document
    (`cat <<EOF > app.yaml` ... `EOF`, `kubectl apply -f - <<EOF` ... `EOF`, after any
    `NAME=value` lines), a common way to show a configuration file or manifest: the command
    and what follows the closing word become blank lines (lines keep their numbers). Any
    other text is returned as it is."""
    if "<<" not in text:
        return text
    lines = text.split("\n")
    first = next(
        (i for i, ln in enumerate(lines) if ln.strip() and not _SHELL_PREAMBLE.match(ln)), None
    )
    if first is None or _MAPPING_KEY.match(lines[first]):
        return text
    m = _HEREDOC_COMMAND.match(lines[first])
    if m is None:
        return text
    end = next((i for i in range(first + 1, len(lines)) if lines[i].strip() == m.group(2)), None)
    if end is None:
        return text
    return "\n".join("" if i <= first or i >= end else ln for i, ln in enumerate(lines))


def to_plain(node: Any) -> Any:
    """ruamel's round-trip objects as plain JSON-like values (dates become ISO strings)."""
    if isinstance(node, dict):
        return {k if isinstance(k, str) else str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [to_plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return str(node)


def yaml_position(data: Any, path: Path_) -> tuple[int, int]:
    """(0-based line, 1-based column) of `path` in a ruamel document: the deepest key found."""
    node = data
    best = (0, 1)
    lc = getattr(node, "lc", None)
    if lc is not None:
        best = (int(lc.line), int(lc.col) + 1)
    for part in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict) and part in node:
                if lc is not None:
                    line, col = lc.key(part)
                    best = (int(line), int(col) + 1)
                node = node[part]
            elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                if lc is not None:
                    line, col = lc.item(part)
                    best = (int(line), int(col) + 1)
                node = node[part]
            else:
                break
        except (KeyError, TypeError, IndexError, AttributeError):
            break
    return best


# ---------------------------------------------------------------------------------------- INI

_INCLUDE = re.compile(r"^\s*!include(?:dir)?\s")


@block_validator("ini")
def check_ini(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """INI/cfg syntax: sections, duplicate sections and keys (strict, no interpolation).

    Keys without values (MySQL's `skip-name-resolve`) are allowed, and `!include`/`!includedir`
    lines (MySQL, MariaDB) are read as comments.
    """
    filled = fill(block.source, values_for(ctx))
    lines = filled.text.split("\n")
    # The elisions are not keys, and the section header may be among what was left out.
    kept = _excerpt_lines(block, lines)
    excerpt = kept is not None
    text = "\n".join("" if _INCLUDE.match(ln) else ln for ln in (lines if kept is None else kept))
    shift = 0
    if excerpt and not any(_INI_SECTION.match(ln) for ln in lines):
        text, shift = "[excerpt]\n" + text, 1  # error lines are then one further down
    parser = _ini_parser(text, strict=not _repeats_allowed(text))
    try:
        parser.read_string(text, source="<block>")
    except configparser.DuplicateSectionError as err:
        yield finding_at(
            block,
            (err.lineno or 1) - 1 - shift,
            1,
            f"duplicate section [{err.section}]",
            code=codes.DUPLICATE_KEY,
        )
    except configparser.DuplicateOptionError as err:
        problem = f"duplicate key {err.option!r} in section [{err.section}]"
        index = (err.lineno or 1) - 1 - shift
        if not block.file and _ini_alternatives(text):
            yield alternatives_shown(block, index, 1, problem)
            return
        yield finding_at(block, index, 1, problem, code=codes.DUPLICATE_KEY)
    except configparser.MissingSectionHeaderError as err:
        if _keys_before_sections_allowed(block, ctx, text):
            return  # an inventory or a .env shown on a page that is not a runbook
        other = _other_config_shown(block, ctx, text, shift)
        if other is not None:
            yield other
            return
        yield finding_at(
            block,
            err.lineno - 1 - shift,
            1,
            "key outside any [section]",
            hint="INI files start with a [section] header",
            code=codes.INVALID_INI,
        )
    except configparser.ParsingError as err:
        for lineno, line in err.errors[:MAX_SCHEMA_ERRORS]:
            yield finding_at(
                block,
                int(lineno) - 1 - shift,
                1,
                f"invalid INI line {line.strip()!r}",
                code=codes.INVALID_INI,
            )
    except configparser.Error as err:
        yield finding_at(block, 0, 1, f"invalid INI: {err.message}", code=codes.INVALID_INI)
    except (AttributeError, TypeError):
        # configparser fails this way on an indented line after a key without a value.
        other = _other_config_shown(block, ctx, text, shift)
        if other is not None:
            yield other
            return
        yield finding_at(
            block,
            max(_continued_valueless_key(text) - shift, 0),
            1,
            "invalid INI: an indented line continues a key that has no value",
            hint="give the key a value (key = value), or do not indent the next line",
            code=codes.INVALID_INI,
        )
    else:
        if block.schema:
            data: dict[str, Any] = {
                name: dict(parser.items(name, raw=True)) for name in parser.sections()
            }
            if parser.defaults():
                data[parser.default_section] = dict(parser.defaults())
            positions = _ini_positions(text)
            yield from _schema_errors(
                block, ctx, data, lambda p: positions.get(tuple(p[:2]), (0, 1)), filled
            )


def _ini_alternatives(text: str) -> bool:
    """True when an INI text shows alternatives, read as `yaml_alternatives` reads YAML: each
    occurrence of a key repeated in a section comes right after a comment line or ends with
    a comment of its own (`remote = /srv/crypt  # on the server`), or a comment offering a
    choice (`# Or ...`) stands between two; each repeated key renamed apart, the text must
    parse. A key repeated without such comments stays a duplicate."""
    lines = text.split("\n")
    key_pattern = _INI_KEY_EQUALS if _equals_only(text) else _INI_KEY
    section = configparser.DEFAULTSECT
    last: dict[tuple[str, str], int] = {}
    renamed = list(lines)
    for i, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith(("#", ";")) or line[:1] in " \t":
            continue
        if m := _INI_SECTION.match(line):
            section = m.group("name")
            continue
        if (k := key_pattern.match(line)) is None:
            continue
        key = k.group("key")
        before = last.get((section, key))
        last[(section, key)] = i
        if before is None:
            continue
        captioned = _captioned(lines, before, ("#", ";")) and _captioned(lines, i, ("#", ";"))
        if not captioned and not any(_OR_CAPTION.match(c) for c in lines[before + 1 : i]):
            return False
        renamed[i] = renamed[i].replace(key, f"{key}-rbd-alternative-{i}", 1)
    if renamed == lines:
        return False
    try:
        _ini_parser(text, strict=True).read_string("\n".join(renamed), source="<block>")
    except (configparser.Error, AttributeError, TypeError):
        return False
    return True


_SSH_HOST = re.compile(r"^(?:Host|Match)[ \t]+[^\s=]")
_SSH_OPTION = re.compile(r"^[ \t]*[A-Z][A-Za-z0-9]*(?:[ \t]+|[ \t]*=[ \t]*)\S")


def _ssh_config_shown(block: Block, ctx: CheckContext, text: str) -> bool:
    """True when an `ini` block that INI refuses is an OpenSSH client configuration
    (`~/.ssh/config`) shown on a page that is not a runbook: it opens with `Host name` (or
    `Match ...`) and every other line is a `Keyword value` option."""
    if block.file or on_runbook_page(ctx):
        return False
    body = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    return bool(body) and _SSH_HOST.match(body[0]) is not None and all(map(_SSH_OPTION.match, body))


_DIRECTIVE = re.compile(r"^[ \t]*[A-Za-z][\w.-]*(?:[ \t]+[^\s=:][^\n]*)?$")
_DIRECTIVES_LOOK = "a configuration of sections opened by 'name arg' lines (HAProxy's form)"


def _other_config_shown(block: Block, ctx: CheckContext, text: str, shift: int) -> Finding | None:
    """One RBD208 when an `ini` block INI refuses is another program's configuration (an
    OpenSSH client's, or directives such as HAProxy's) on a page that is no runbook."""
    if not block.file and not on_runbook_page(ctx) and prometheus_samples(text):
        return wrong_language(block, block.lang or "ini", *_PROMETHEUS_LOOK)
    if _ssh_config_shown(block, ctx, text):
        return wrong_language(block, "ini", "an OpenSSH client configuration", "ssh-config")
    if _directive_config_shown(block, ctx, text.split("\n", shift)[-1]):
        return wrong_language(block, block.lang or "ini", _DIRECTIVES_LOOK, "text")
    return None


_PROMETHEUS_LOOK = ("metrics in Prometheus' exposition format", "text")
_PROMETHEUS_META = re.compile(r"^#[ \t]+(?:HELP|TYPE|UNIT|EOF)\b")
_PROMETHEUS_SAMPLE = re.compile(
    r"""^[a-zA-Z_:][\w:]*
        (?P<labels>\{[ \t]*(?:[a-zA-Z_]\w*[ \t]*=[ \t]*"(?:[^"\\]|\\.)*"[ \t]*,?[ \t]*)*\})?
        [ \t]+[-+]?(?:\d[\d.]*(?:[eE][-+]?\d+)?|NaN|Inf)(?:[ \t]+-?\d+)?[ \t]*$""",
    re.X,
)


def prometheus_samples(text: str) -> bool:
    """True when `text` is metrics in Prometheus' text exposition format: every line a
    `# HELP`/`# TYPE` line or a sample `name{label="value",...} number` (a sample's labels may
    be spread over lines for reading, `name{` ... `} 44`), with labels or a `# TYPE` somewhere.
    No INI or YAML file is written that way, and the exposition format has no other reading."""
    joined = re.sub(r"\{[^{}]*\}", lambda m: re.sub(r"\s*\n\s*", " ", m.group()), text)
    body = [ln.strip() for ln in joined.split("\n") if ln.strip()]
    samples = [m for ln in body if (m := _PROMETHEUS_SAMPLE.match(ln))]
    metas = [ln for ln in body if _PROMETHEUS_META.match(ln)]
    if not samples or len(samples) + len(metas) != len(body):
        return False
    return bool(metas) or any(m.group("labels") for m in samples)


def _directive_config_shown(block: Block, ctx: CheckContext, text: str) -> bool:
    """True when an `ini`/`cfg` block that INI refuses is a configuration written in
    directives, as HAProxy's is (`backend web` at the margin, `server a 10.0.0.2:80` indented
    under it), shown on a page that is not a runbook: no `[section]` header, every line a
    `keyword argument...` with no `=` or `:` after the keyword, and a line at the margin with
    an argument that opens a section of indented lines."""
    if block.file or on_runbook_page(ctx):
        return False
    lines = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith(("#", ";"))]
    if not lines or any(_INI_SECTION.match(ln) or not _DIRECTIVE.match(ln) for ln in lines):
        return False
    return any(
        len(ln.split()) >= 2 and ln[:1] not in " \t" and nxt[:1] in " \t"
        for ln, nxt in itertools.pairwise(lines)
    )


def _continued_valueless_key(text: str) -> int:
    """0-based line of the first indented line that follows a key without `=` or `:`."""
    previous = ""
    for i, line in enumerate(text.split("\n")):
        indented = line[:1] in " \t" and line.strip()
        valueless = previous and not re.search(r"[=:]", previous)
        if indented and valueless and not previous.lstrip().startswith(("[", "#", ";")):
            return i
        if line.strip():
            previous = line
    return 0


def _keys_before_sections_allowed(block: Block, ctx: CheckContext, text: str) -> bool:
    """Keys before any `[section]` are common outside runbooks (Ansible inventories, `.env`
    and sysctl files tagged ini): accepted there when the rest parses, never with `file=`."""
    doc = ctx.document
    if block.file or doc is None or doc.is_runbook:
        return False
    # Such files are read line by line by their programs: a repeated key (dnsmasq's
    # `dhcp-boot=`, a second `net.ipv4...` line) is a list or an override, not a duplicate.
    parser = _ini_parser(text, strict=False)
    try:
        parser.read_string("[top]\n" + text, source="<block>")
    except (configparser.Error, AttributeError, TypeError):
        return False
    return True


_INI_SECTION = re.compile(r"^\s*\[(?P<name>[^\]]+)\]")
_REPEATING_SECTIONS = frozenset(
    {"Unit", "Service", "Install", "Socket", "Timer", "Mount", "Automount", "Swap", "Path"}
    | {"Slice", "Scope", "Match", "Link", "Network", "NetDev", "Address", "Route", "DHCP"}
    | {"DHCPv4", "DHCPv6", "IPv6AcceptRA", "Journal", "Login", "Resolve", "Manager", "Exec"}
    | {"Interface", "Peer"}
    | {"Container", "Pod", "Kube", "Volume", "Image", "Build", "Artifact", "Quadlet"}
)
"""Sections of systemd units and configuration files, of Podman's Quadlet units (systemd
units too: `PublishPort=` once per port), and of WireGuard's `wg-quick` files.
Their programs read a repeated key as one more value (`After=`, `Environment=`, `PostUp=`)
and a repeated section as one more object (`[Peer]`, `[Route]`): no duplicates there."""


_GIT_SECTIONS = frozenset(
    {"core", "user", "alias", "init", "pull", "push", "fetch", "color", "diff", "merge"}
    | {"http", "credential", "url", "remote", "branch", "include", "includeIf", "safe", "gpg"}
    | {"commit", "tag", "rebase", "lfs", "filter", "difftool", "mergetool", "submodule"}
    | {"status", "log", "pager", "advice", "gc", "protocol", "transfer", "receive", "pack"}
    | {"maintenance", "rerere", "feature", "index", "format", "sendemail", "blame", "grep"}
    | {"clone", "column", "help", "worktree", "trailer", "interactive", "sequence", "uploadpack"}
)
_GIT_SECTION = re.compile(r'^\s*\[(?P<name>[A-Za-z][\w.-]*)(?:\s+"(?:[^"\\\n]|\\.)*")?\]\s*$')
"""A section of a git configuration file: `[core]`, or with its subsection in quotes
(`[remote "origin"]`, `[credential "https://github.com"]`, `[url "git@host:"]`)."""


def _git_config(text: str) -> bool:
    """True when an INI text is a git configuration file (`.gitconfig`, `.git/config`): every
    section is one of git's, and one has a subsection in quotes or is `[alias]` or `[core]`.
    Git reads a repeated key as one more value (`fetch =` in `[remote "x"]`, `helper =`, an
    empty one clearing the list before the next), so a repeated key is no duplicate there."""
    sections = [_GIT_SECTION.match(ln) for ln in text.split("\n") if _INI_SECTION.match(ln)]
    names = [m.group("name") if m is not None else "" for m in sections]
    if not names or not all(name in _GIT_SECTIONS for name in names):
        return False
    return any('"' in m.group() for m in sections if m is not None) or bool(
        {"alias", "core"} & set(names)
    )


def _repeats_allowed(text: str) -> bool:
    """True when every section of an INI text is one whose program reads repeated keys and
    sections as lists (systemd, WireGuard, git)."""
    names = {m.group("name").strip() for ln in text.split("\n") if (m := _INI_SECTION.match(ln))}
    return (bool(names) and names <= _REPEATING_SECTIONS) or _git_config(text)


def _ini_parser(text: str, *, strict: bool) -> configparser.ConfigParser:
    """A parser for an INI text: no interpolation, keys without values allowed, keys kept as
    written. A text whose every key is followed by `=` is read with `=` alone: a `:` is then
    part of the key (Samba's `idmap config * : range = ...`)."""
    delimiters = ("=",) if _equals_only(text) else ("=", ":")
    parser = configparser.ConfigParser(
        strict=strict, interpolation=None, allow_no_value=True, delimiters=delimiters
    )
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    return parser


def _equals_only(text: str) -> bool:
    for line in text.split("\n"):
        code = line.strip()
        if not code or code.startswith(("#", ";", "[")):
            continue
        if ":" in code and "=" not in code:
            return False  # `key: value`
    return True


_INI_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[^=:\s#;\[][^=:]*?)\s*(?:[=:]|$)")
_INI_KEY_EQUALS = re.compile(r"^(?P<indent>\s*)(?P<key>[^=\s#;\[][^=]*?)\s*(?:=|$)")


def _ini_positions(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """(section,) and (section, key) -> (line index, column) in an INI text, for schema errors."""
    out: dict[tuple[str, ...], tuple[int, int]] = {}
    section = configparser.DEFAULTSECT
    key_pattern = _INI_KEY_EQUALS if _equals_only(text) else _INI_KEY
    for i, line in enumerate(text.split("\n")):
        if line.lstrip().startswith(("#", ";")) or not line.strip():
            continue
        m = _INI_SECTION.match(line)
        if m:
            section = m.group("name")
            out.setdefault((section,), (i, line.index("[") + 1))
            continue
        k = key_pattern.match(line)
        if k:
            out.setdefault((section, k.group("key")), (i, len(k.group("indent")) + 1))
    return out


# --------------------------------------------------------------------------------------- TOML

_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


@block_validator("toml")
def check_toml(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """TOML syntax (tomllib refuses duplicate keys and tables itself)."""
    if not block.file and not_data(block.source, template_starts(ctx.document)):
        return
    filled = fill(block.source, values_for(ctx), json_quote)
    # An excerpt (`...` for the keys left out): the elisions are not statements.
    kept = _excerpt_lines(block, filled.text.split("\n"))
    text = filled.text if kept is None else "\n".join(kept)
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        if not block.file and _toml_value(text):
            return  # one value shown alone (an option's default array): valid as `x = value`
        if not block.file and not on_runbook_page(ctx) and _prompted_command(text):
            # `adminctl >> config set zones a,b`: a line typed at a tool's prompt, not TOML.
            yield wrong_language(block, "toml", "a command typed at a prompt", "text")
            return
        if not block.file and not on_runbook_page(ctx) and _unit_file(text):
            yield wrong_language(block, "toml", _UNIT_LOOK, "ini")
            return
        message = str(err)
        template = None if block.file else _toml_template(text)
        if template is not None:
            # `<true|false>` to fill, `{ ... }` for what was left out: valid once filled, or
            # the mistake left once they are (not the placeholder tomllib stopped at).
            if not template:
                return
            message = template
        m = _TOML_POS.search(message)
        if m:
            index, col = int(m.group(1)) - 1, int(m.group(2))
        else:
            lines = text.rstrip().split("\n")
            index, col = len(lines) - 1, 1
        message = _TOML_POS.sub("", message).replace("(at end of document)", "").strip()
        yield finding_at(
            block,
            index,
            filled.col(index, col),
            f"invalid TOML: {message}",
            code=codes.INVALID_TOML,
        )
    except RecursionError:
        yield finding_at(block, 0, 1, "invalid TOML: nested too deeply", code=codes.INVALID_TOML)


_TOML_PLACEHOLDER = re.compile(r"([=\[,][ \t]*)<[A-Za-z][^<>\n]*>(?=[ \t]*(?:[,\]}#]|$))", re.M)
"""A value to fill (`= <true|false>`, `[ <plugin names> ]`): a placeholder, no TOML value."""
_TOML_ELIDED = re.compile(r"(=[ \t]*)([{\[])[ \t]*(?:\.{3}|…)[ \t]*[}\]](?=[ \t]*(?:#|$))", re.M)
"""A value left out (`= { ... }`, `= [ … ]`): the table or array it stands for."""


def _toml_template(text: str) -> str | None:
    """What tomllib says of `text` once its placeholders are filled (`key = <true|false>`,
    `key = [ <names> ]`) and its elided values (`key = { ... }`) read as empty, as YAML
    placeholders are: "" when it loads then (a template the page asks the reader to complete),
    None when `text` has neither. Any other mistake still fails."""
    filled = _TOML_PLACEHOLDER.sub(r'\1"x"', text)
    filled = _TOML_ELIDED.sub(lambda m: m.group(1) + ("{}" if m.group(2) == "{" else "[]"), filled)
    if filled == text:
        return None
    try:
        tomllib.loads(filled)
    except tomllib.TOMLDecodeError as err:
        return str(err)
    except RecursionError:
        return None
    return ""


_PROMPTED = re.compile(
    r"^[ \t]*(?:\$|[A-Za-z][\w.-]*(?:[ \t]*>>|>|\$)|>>)[ \t]+[a-z][\w.-]*(?:[ \t]+\S+)*[ \t]*$"
)
"""A command typed at a prompt: a shell's `$ `, or a tool's own (`adminctl >> `, `tool> `)."""


def _prompted_command(text: str) -> bool:
    """True when the first line of `text` that is not a comment is a command typed at a
    prompt (`adminctl >> config set zones a,b`), which no TOML document starts with."""
    body = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    return bool(body) and _PROMPTED.match(body[0]) is not None


_UNIT_KEY = re.compile(r"^[A-Z][A-Za-z0-9]*=")
_UNIT_LOOK = "an INI file (a systemd unit or a desktop entry: `[Section]`, then `Key=value`)"


def _unit_file(text: str) -> bool:
    """True when `text` is a systemd unit or a desktop entry rather than TOML: a `[Section]`
    first, then only sections and `Key=value` lines at the margin, each key capitalised and
    no space around `=` (`Type=notify`, `ExecStart=/usr/bin/app`), whose values are taken as
    written. TOML writes `key = "value"`; a TOML table whose keys are written so is rare."""
    body = [ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith(("#", ";"))]
    return (
        len(body) >= 2
        and _INI_SECTION.match(body[0]) is not None
        and all(_INI_SECTION.match(ln) or _UNIT_KEY.match(ln) for ln in body)
        and any(_UNIT_KEY.match(ln) for ln in body)
    )


def _toml_value(text: str) -> bool:
    """True when `text` is one TOML value shown alone (`[` ... `]` over several lines, an
    inline table, a string): it reads as the value of a key. A value alone on one line that
    opens with `[` reads as a table header, so this is only tried where that failed."""
    body = text.strip()
    if not body or body[0] not in "[{\"'":
        return False
    try:
        tomllib.loads(f"x = {body}")
    except (tomllib.TOMLDecodeError, RecursionError):
        return False
    return True


# ------------------------------------------------------------------------------- JSON Schema


@dataclass(frozen=True)
class LoadedSchema:
    """A schema file read once per check: a validator, or why there is none."""

    path: Path
    validator: Any = None
    problem: Finding | None = None


def load_schema(ctx: CheckContext, name: str) -> LoadedSchema | None:
    """Schema `name` from the schemas directory, loaded and checked once per check."""
    key = f"schema:{name}"
    if key in ctx.memo:
        cached = ctx.memo[key]
        return cached if isinstance(cached, LoadedSchema) else None
    path = schema_path(ctx.config, name)
    loaded = None if path is None else _load_schema(ctx, path)
    ctx.memo[key] = loaded
    return loaded


def _load_schema(ctx: CheckContext, path: Path) -> LoadedSchema:
    import jsonschema
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    shown = ctx.config.display(path)
    try:
        text = path.read_text(encoding="utf-8")
        schema = json.loads(text)
    except (OSError, UnicodeDecodeError) as err:
        return LoadedSchema(
            path,
            problem=codes.SCHEMA_UNUSABLE.at(Location(shown, 1), f"cannot read schema: {err}"),
        )
    except json.JSONDecodeError as err:
        return LoadedSchema(
            path,
            problem=Finding(
                Location(shown, err.lineno, err.colno),
                f"schema is not valid JSON: {err.msg}",
                code=codes.SCHEMA_UNUSABLE.id,
            ),
        )
    except RecursionError:
        return LoadedSchema(
            path,
            problem=codes.SCHEMA_UNUSABLE.at(Location(shown, 1), "schema nested too deeply"),
        )
    if not isinstance(schema, (dict, bool)):
        return LoadedSchema(
            path,
            problem=Finding(
                Location(shown, 1),
                "a JSON Schema is an object (or true/false)",
                code=codes.SCHEMA_UNUSABLE.id,
            ),
        )
    cls: Any = validator_for(schema, default=jsonschema.Draft202012Validator)
    try:
        cls.check_schema(schema)
    except SchemaError as err:
        try:
            index, col = locate_json(text).line_of(tuple(err.absolute_path))
        except (ValueError, RecursionError, IndexError):  # pragma: no cover
            index, col = 0, 1
        return LoadedSchema(
            path,
            problem=Finding(
                Location(shown, index + 1, col),
                f"invalid JSON Schema{_where(tuple(err.absolute_path))}: {err.message}",
                code=codes.SCHEMA_UNUSABLE.id,
            ),
        )
    try:
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    except Exception as err:  # a third-party constructor on user data
        return LoadedSchema(
            path,
            problem=codes.SCHEMA_UNUSABLE.at(Location(shown, 1), f"unusable schema: {err}"),
        )
    return LoadedSchema(path, validator=validator)


def _schema_errors(
    block: Block, ctx: CheckContext, data: Any, position: Any, filled: Filled
) -> Iterator[Finding]:
    name = block.schema or ""
    loaded = load_schema(ctx, name)
    if loaded is None:
        return  # structure.py reports the missing schema at the header
    if loaded.problem is not None:
        yield Finding(
            loaded.problem.location,
            loaded.problem.message,
            hint=f"used by {block.path}:{block.line} (schema={name})",
            code=codes.SCHEMA_UNUSABLE.id,
        )
        return
    from jsonschema.exceptions import ValidationError

    try:
        errors: list[ValidationError] = sorted(
            loaded.validator.iter_errors(data),
            key=lambda e: (position(tuple(e.absolute_path)), str(list(e.absolute_path))),
        )
    except Exception as err:  # $ref resolution and regexes come from the user
        yield finding_at(
            block, 0, 1, f"schema {name!r} could not be applied: {err}", code=codes.SCHEMA_UNUSABLE
        )
        return
    for error in errors[:MAX_SCHEMA_ERRORS]:
        path = tuple(error.absolute_path)
        extra = _extra_key(error)
        index, col = position(path if extra is None else (*path, extra))
        yield finding_at(
            block,
            index,
            filled.col(index, col),
            f"schema {name}: {_short(error.message)}{_where(path)}",
            code=codes.SCHEMA_VIOLATION,
        )
    if len(errors) > MAX_SCHEMA_ERRORS:
        yield finding_at(
            block,
            0,
            1,
            f"schema {name}: {len(errors) - MAX_SCHEMA_ERRORS} more error(s) not shown",
            code=codes.SCHEMA_VIOLATION,
        )


def _extra_key(error: Any) -> str | None:
    """For `additionalProperties`, the first unexpected key: the line to point at."""
    if error.validator not in ("additionalProperties", "unevaluatedProperties"):
        return None
    if not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
        return None
    known = error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    for key in error.instance:
        if key in known:
            continue
        try:
            if any(re.search(p, key) for p in patterns):
                continue
        except re.error:
            continue
        return str(key)
    return None


def _short(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 3] + "..."
