"""Console transcripts: parse, match output, diff, and rewrite expected output for `--update`.

A ```` ```console ```` block holds commands (`$ ` or `# ` for root, `> ` continues a command)
each followed by its expected output. In expected output:

- `...` alone on a line matches any number of lines (including none);
- a line ending with ` (re)` is a Python regular expression matched against the whole line;
- a last line `[N]` means the command exits with status N (default 0).

Output is compared after normalisation (`normalise`): CRLF and lone CR become line breaks,
ANSI escape sequences are removed, trailing spaces and trailing blank lines are dropped.
Nothing else is lost: a progress line rewritten with `\\r` keeps every version of its text.

`align()` pairs expected lines with actual ones (an edit distance where `...` absorbs lines for
free), which gives both the readable `diff()` (matched wildcards and regex lines are not
reported as differences) and `updated_expected()` (the new expected lines for `--update`, keeping
every wildcard and regex line that still matches). `rewrite()` puts them back into the page,
changing only those lines and keeping every other byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from runbookdocs.block import Block
from runbookdocs.patterns import lazy
from runbookdocs.variables import PLACEHOLDER

ELLIPSIS = "..."
REGEX_SUFFIX = " (re)"

_EXIT = re.compile(r"\[(\d{1,3})\]\Z")
# A line that would close the block's fence if written into the page as it is.
_FENCE = lazy(r"[ ]{0,3}(?:`{3,}|~{3,})[ \t]*\Z")
_ANSI = r"""(?x)
    \x1b\[[0-?]*[ -/]*[@-~]                 # CSI: colours, cursor moves, bracketed paste
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?    # OSC: window titles, hyperlinks
    | \x1b[PX^_][^\x1b]*(?:\x1b\\)?         # DCS, SOS, PM, APC strings
    | \x1b[@-Z\\-_=>()][0-9A-Za-z]?         # two-character escapes, charset selection
    """
# A DP table larger than this is not built: `align` falls back to the actual lines as they are.
_MAX_ALIGN_CELLS = 4_000_000


class Command(NamedTuple):
    """One command of a transcript and the output the page expects from it."""

    text: str
    """The command as typed, continuation lines joined with newlines, without prompts."""
    line_index: int
    """0-based index in the block's source of the prompt line (`$ ...`)."""
    expected: list[str]
    """Expected output lines (trailing spaces and trailing blank lines removed, no `[N]`)."""
    exit: int = 0
    """Expected exit status (from a last line `[N]`)."""
    prompt: str = "$"
    """`$`, or `#` for a command shown as run by root."""
    n_lines: int = 1
    """Source lines taken by the command itself (prompt line + continuation lines)."""
    output_end: int = 0
    """0-based source index just past the expected output, `[N]` line included (blank lines
    after it are not part of the expected output)."""

    @property
    def output_index(self) -> int:
        """0-based source index of the first expected output line."""
        return self.line_index + self.n_lines

    def matches(self, actual: Sequence[str], exit: int) -> bool:
        """True when `actual` (normalised lines) and `exit` are what the page expects."""
        return exit == self.exit and match(self.expected, actual)


@dataclass(frozen=True)
class Transcript:
    """A parsed console block."""

    commands: list[Command] = field(default_factory=list)
    preamble: list[int] = field(default_factory=list)
    """Source indexes of non-blank lines before the first command (they are not checked)."""


def parse(block: Block | str) -> Transcript:
    """Parse a console block (or its source text) into commands and expected output."""
    source = block.source if isinstance(block, Block) else block
    lines = source.split("\n")
    commands: list[Command] = []
    preamble: list[int] = []
    i = 0
    while i < len(lines):
        prompt = _prompt(lines[i])
        if prompt is None:
            if lines[i].strip():
                preamble.append(i)
            i += 1
            continue
        start = i
        text = [lines[i][2:] if len(lines[i]) > 1 else ""]
        i += 1
        while i < len(lines) and (lines[i].startswith("> ") or lines[i] == ">"):
            text.append(lines[i][2:])
            i += 1
        n_lines = i - start
        body_start = i
        while i < len(lines) and _prompt(lines[i]) is None:
            i += 1
        body = [ln.rstrip() for ln in lines[body_start:i]]
        while body and not body[-1]:
            body.pop()
        end = body_start + len(body)
        exit_status = 0
        if body and (m := _EXIT.match(body[-1])) is not None and int(m.group(1)) <= 255:
            exit_status = int(m.group(1))
            body.pop()
        commands.append(
            Command(
                text="\n".join(text),
                line_index=start,
                expected=body,
                exit=exit_status,
                prompt=lines[start][0],
                n_lines=n_lines,
                output_end=end,
            )
        )
    return Transcript(commands, preamble)


def has_user_prompt(line: str) -> bool:
    """True when `line` starts (after indentation) with a `$ ` prompt, the way transcripts write
    commands: in a shell block, bash would run `$` as a command (`check` warns about it, `run`
    explains a failure there with it)."""
    text = line.lstrip()
    return text == "$" or text.startswith(("$ ", "$\t"))


def _prompt(line: str) -> str | None:
    if line.startswith(("$ ", "# ")) or line in ("$", "#"):
        return line[0]
    return None


def normalise(text: str) -> list[str]:
    """Output as comparable lines: no CR, no ANSI escapes, no trailing spaces or blank lines."""
    text = re.sub(_ANSI, "", text.replace("\r\n", "\n")).replace("\r", "\n")
    lines = [ln.rstrip() for ln in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


REGEX_TIMEOUT = 0.5
"""Seconds one ` (re)` line may take to match one line of output. Patterns come from pages: a
pattern that backtracks catastrophically (`(a|aa)+$`) is stopped there and treated as never
matching from then on (`slow_patterns`), so a comparison costs at most this per pattern."""

_SLOW: set[str] = set()


@lru_cache(maxsize=512)
def _regex(pattern: str) -> Any:
    # The `regex` module: the `re` syntax the format documents, with a timeout on each match.
    import regex

    try:
        return regex.compile(pattern)
    except (regex.error, ValueError, OverflowError, RecursionError):
        return None


def regex_error(line: str) -> str | None:
    """Why the ` (re)` line `line` is not a valid regular expression, or None."""
    if not line.endswith(REGEX_SUFFIX):
        return None
    # `re`'s words for the error (the format documents Python's syntax); matching uses the
    # `regex` module, which reads the same syntax, with a time limit.
    try:
        re.compile(line[: -len(REGEX_SUFFIX)])
    except (re.error, ValueError, OverflowError, RecursionError) as err:
        return str(err)
    return None


def line_matches(expected: str, actual: str) -> bool:
    """True when one expected line (literal or ` (re)`) matches one actual line.

    A ` (re)` pattern that takes longer than `REGEX_TIMEOUT` is treated as not matching, now
    and for the rest of the process (see `slow_patterns`): a verdict is never better than the
    truth, and never waits on a pattern.
    """
    if expected == actual:
        return True
    if expected.endswith(REGEX_SUFFIX):
        pattern = expected[: -len(REGEX_SUFFIX)]
        if pattern in _SLOW:
            return False
        rx = _regex(pattern)
        if rx is None:
            return False
        try:
            return rx.fullmatch(actual, timeout=REGEX_TIMEOUT) is not None
        except TimeoutError:
            _SLOW.add(pattern)
            return False
    return False


def slow_patterns(lines: Sequence[str]) -> list[int]:
    """Indexes of the ` (re)` lines among `lines` whose pattern was stopped for taking too long
    (`REGEX_TIMEOUT`): they never match."""
    return [
        k
        for k, line in enumerate(lines)
        if line.endswith(REGEX_SUFFIX) and line[: -len(REGEX_SUFFIX)] in _SLOW
    ]


def match(expected: Sequence[str], actual: Sequence[str]) -> bool:
    """True when `actual` lines match `expected` lines (`...` and ` (re)` understood).

    Both sides are compared without trailing spaces and trailing blank lines.
    """
    exp = _trim(expected)
    act = _trim(actual)
    # Glob matching with one-line items and `...` as the star: linear in practice, and the
    # backtracking only ever resumes from the last `...` seen.
    i = j = 0
    star = -1
    star_j = 0
    while j < len(act):
        if i < len(exp) and exp[i] == ELLIPSIS:
            star, star_j = i, j
            i += 1
        elif i < len(exp) and line_matches(exp[i], act[j]):
            i += 1
            j += 1
        elif star >= 0:
            i = star + 1
            star_j += 1
            j = star_j
        else:
            return False
    while i < len(exp) and exp[i] == ELLIPSIS:
        i += 1
    return i == len(exp)


def _trim(lines: Sequence[str]) -> list[str]:
    out = [ln.rstrip() for ln in lines]
    while out and not out[-1]:
        out.pop()
    return out


def align(expected: Sequence[str], actual: Sequence[str]) -> list[tuple[str | None, str | None]]:
    """Pair expected and actual lines with the fewest changes.

    Returns `(expected_line, actual_line)` pairs in order: both set when they match (an
    `...` pair carries the last actual line it absorbed, or None when it absorbed nothing);
    `(line, None)` for an expected line with no counterpart, `(None, line)` for an actual line
    the page does not expect.
    """
    exp, act = _trim(expected), _trim(actual)
    m, n = len(exp), len(act)
    if (m + 1) * (n + 1) > _MAX_ALIGN_CELLS:
        if match(exp, act):
            return [(e, None) for e in exp]
        return [(e, None) for e in exp] + [(None, a) for a in act]
    # cost[i][j]: fewest insertions, deletions and changed lines to align exp[i:] with act[j:];
    # `...` absorbs lines for free.
    cost = [[0] * (n + 1) for _ in range(m + 1)]
    for j in range(n - 1, -1, -1):
        cost[m][j] = cost[m][j + 1] + 1
    for i in range(m - 1, -1, -1):
        e = exp[i]
        row, below = cost[i], cost[i + 1]
        if e == ELLIPSIS:
            row[n] = below[n]
            for j in range(n - 1, -1, -1):
                row[j] = min(below[j], row[j + 1])
            continue
        row[n] = below[n] + 1
        for j in range(n - 1, -1, -1):
            step = below[j + 1] + (0 if line_matches(e, act[j]) else 1)
            row[j] = min(below[j] + 1, row[j + 1] + 1, step)
    pairs: list[tuple[str | None, str | None]] = []
    i = j = 0
    absorbed: str | None = None
    while i < m or j < n:
        here = cost[i][j]
        if i < m and exp[i] == ELLIPSIS:
            # An `...` takes as few lines as it can: the lines after it stay where they were.
            if j < n and cost[i + 1][j] != here:
                absorbed = act[j]
                j += 1
            else:
                pairs.append((ELLIPSIS, absorbed))
                absorbed = None
                i += 1
        elif i < m and j < n and line_matches(exp[i], act[j]) and cost[i + 1][j + 1] == here:
            pairs.append((exp[i], act[j]))
            i += 1
            j += 1
        elif i < m and j < n and cost[i + 1][j + 1] + 1 == here:
            # A changed line: shown (and rewritten) in place of the expected one.
            pairs += [(exp[i], None), (None, act[j])]
            i += 1
            j += 1
        elif i < m and cost[i + 1][j] + 1 == here:
            pairs.append((exp[i], None))
            i += 1
        else:
            pairs.append((None, act[j]))
            j += 1
    return pairs


def escape(line: str, *, first: bool = False, last: bool = False) -> str:
    """An expected line that matches exactly `line`, even when `line` looks like syntax.

    Output that would read as a command (`$ `, `# `), a continuation (`> ` first), `...`, a
    regex line, an exit line (`[N]` last), the end of the block (a fence: ```` ``` ````), a
    placeholder (`{{ name }}`, filled in on the next run) or an include (`--8<--`, expanded on
    the next read) is written as an anchored ` (re)` line, whose escapes keep it from reading
    as any of these.
    """
    special = (
        _prompt(line) is not None
        or PLACEHOLDER.search(line) is not None
        or "--8<--" in line
        or _FENCE.match(line) is not None
        or line == ELLIPSIS
        or line.endswith(REGEX_SUFFIX)
        or (first and (line.startswith("> ") or line == ">"))
        or (last and _EXIT.match(line) is not None)
    )
    if not special:
        return line
    pattern = re.escape(line)
    if pattern == ">":
        # `re.escape` leaves `>` alone: `> (re)` would still read as a continuation line.
        pattern = "[>]"
    return pattern + REGEX_SUFFIX


_UNWRITABLE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]"


def unwritable(lines: Sequence[str]) -> str | None:
    """Why `lines` cannot be written into a page, or None.

    A page is text that must read back the same: a control character (NUL, BEL, an escape
    left by a terminal program, a C1 control), a line separator or half of a surrogate pair
    would make it a page that tools skip, render differently or read as another line.
    """
    for number, line in enumerate(lines, 1):
        m = re.search(_UNWRITABLE, line)
        if m is not None:
            char = ascii(m.group())[1:-1]
            return f"line {number} of the output holds {char} at column {m.start() + 1}"
    return None


def update(
    expected: Sequence[str], actual: Sequence[str], exit: int = 0
) -> tuple[list[str], list[int]]:
    """The expected lines `--update` writes, and the matchers it had to keep unmatched.

    Lines that still match are kept as written, byte for byte: literals, `...` (also one that
    absorbs nothing: the author chose to allow extra lines) and ` (re)` lines. A ` (re)` line
    that no longer matches is kept too, never replaced by the literal output (a timestamp
    written as a literal fails the next run): its index in `expected` is returned, and the
    actual line it stood for is left out. Literal lines that changed are replaced by the new
    output; new lines are written as printed (escaped when they look like transcript syntax);
    `[N]` is added, changed or removed to match `exit`.

    Returns:
        (new expected lines, indexes in `expected` of the ` (re)` lines kept unmatched).
    """
    out: list[str] = []
    stale: list[int] = []
    pairs = align(expected, actual)
    skip_next = False
    position = -1  # index in `expected` of the last expected line seen (align keeps order)
    for k, (e, a) in enumerate(pairs):
        if e is not None:
            position += 1
        if skip_next and e is None:
            skip_next = False
            continue
        skip_next = False
        if e is not None and (a is not None or e == ELLIPSIS):
            # Kept as read; but read lines lost their trailing blanks, and `$\t` read as
            # output would come back as `$`, a prompt: such a line is written escaped.
            reads_as_syntax = _prompt(e) is not None or _FENCE.match(e) is not None
            out.append(escape(e) if reads_as_syntax else e)
        elif e is not None and e.endswith(REGEX_SUFFIX):
            out.append(e)
            stale.append(position)
            # A changed line is `(matcher, None), (None, actual)`: that actual line is the one
            # the matcher stands for.
            skip_next = k + 1 < len(pairs) and pairs[k + 1][0] is None
        elif a is not None:
            out.append(escape(a))
    # Only once the dropped lines are gone is it known which line comes first and which last:
    # there, `> x` would read as a continuation of the command and `[1]` as its exit status.
    if out and (out[0].startswith("> ") or out[0] == ">"):
        regex = out[0].endswith(REGEX_SUFFIX)
        out[0] = "[>]" + out[0][1:] if regex else escape(out[0], first=True)
    if exit:
        out.append(f"[{exit}]")
    elif out and _EXIT.match(out[-1]):
        out[-1] = escape(out[-1], last=True)
    return out, stale


def updated_expected(expected: Sequence[str], actual: Sequence[str], exit: int = 0) -> list[str]:
    """The expected lines `--update` writes (`update` without the kept matchers)."""
    return update(expected, actual, exit)[0]


def diff(
    expected: Sequence[str],
    actual: Sequence[str],
    *,
    exit: int | None = None,
    expected_exit: int = 0,
    label: str = "expected",
) -> str:
    """A unified diff from the expected to the actual output, showing only real differences.

    Lines matched by `...` or a regex are shown as written on the page, so the diff reads like
    the page with the changes `--update` would make.
    """
    new = updated_expected(expected, actual, 0)
    old = _trim(expected)
    if exit is not None and exit != expected_exit:
        if expected_exit:
            old = [*old, f"[{expected_exit}]"]
        if exit:
            new = [*new, f"[{exit}]"]
    import difflib  # only for a mismatch: not imported by every site build

    lines = difflib.unified_diff(old, new, label, "actual", n=3, lineterm="")
    return "\n".join(lines)


_SEP = lazy(r"(\r\n|\r|\n)")


class Edit(NamedTuple):
    """New text for some source lines of a block (`--update`)."""

    start: int
    """0-based index in the block's source of the first line replaced."""
    stop: int
    """Index just past the last line replaced (`start` when lines are only inserted)."""
    anchor: int
    """Index of a source line that stays, whose indentation and line ending the new lines
    take (the command's prompt line, a SQL block's `-- expect:` line)."""
    lines: tuple[str, ...]
    """The new lines, without indentation."""


def command_edit(cmd: Command, lines: Sequence[str]) -> Edit:
    """The edit that gives transcript command `cmd` the expected output `lines`."""
    return Edit(cmd.output_index, cmd.output_end, cmd.line_index, tuple(lines))


def rewrite(page_text: str, block: Block, replacements: Mapping[int, Sequence[str]]) -> str:
    """The page with the expected output of some commands of console `block` replaced.

    Args:
        page_text: the page exactly as stored (read with `newline=""`: CRLF kept).
        block: the console block, from this page.
        replacements: index of a command in `parse(block).commands` -> its new expected lines
            (as returned by `updated_expected`, `[N]` included).

    Raises:
        ValueError: when a command to rewrite comes from a `--8<--` include.
    """
    commands = parse(block).commands
    edits = [command_edit(commands[i], lines) for i, lines in replacements.items()]
    return apply_edits(page_text, block, edits)


def apply_edits(page_text: str, block: Block, edits: Sequence[Edit]) -> str:
    """The page with `edits` of `block`'s source applied; every other byte kept.

    Indentation (admonitions, tabs, lists) is taken from each edit's anchor line, the page's
    line endings are kept, blank lines after the replaced lines stay.

    Raises:
        ValueError: when an edited line comes from a `--8<--` include (the text is not in
            this page).
    """
    parts = _SEP.split(page_text)
    lines, seps = parts[0::2], parts[1::2]
    source = block.source.split("\n")
    # Work from the bottom so earlier page lines keep their indexes.
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        touched = range(min(edit.anchor, edit.start), max(edit.stop, edit.anchor + 1))
        if any(block.origin(k) is not None for k in touched):
            raise ValueError(
                f"{block.locate(edit.anchor)}: these lines come from an included file; "
                "update the file they are included from"
            )
        span = edit.stop > edit.start
        first = block.source_lines[edit.start] - 1 if span else _after(block, edit.start)
        stop = block.source_lines[edit.stop - 1] if span else first
        anchor_line = block.source_lines[edit.anchor] - 1
        raw = lines[anchor_line]
        src = source[edit.anchor]
        prefix = raw[: len(raw) - len(src)] if raw.endswith(src) else " " * block.indent
        sep = seps[anchor_line] if anchor_line < len(seps) else "\n"
        new = [prefix + ln if ln else prefix.rstrip() for ln in edit.lines]
        lines[first:stop] = new
        seps[first:stop] = [sep] * len(new)
    out: list[str] = []
    for k, line in enumerate(lines):
        out.append(line)
        if k < len(seps):
            out.append(seps[k])
    return "".join(out)


def _after(block: Block, index: int) -> int:
    """0-based page line where lines inserted before source line `index` go."""
    if index < len(block.source_lines):
        return block.source_lines[index] - 1
    return block.source_lines[index - 1] if block.source_lines else block.line


__all__ = [
    "ELLIPSIS",
    "REGEX_SUFFIX",
    "SQL_EXPECT",
    "Command",
    "Edit",
    "Transcript",
    "align",
    "apply_edits",
    "command_edit",
    "diff",
    "escape",
    "has_user_prompt",
    "line_matches",
    "match",
    "normalise",
    "parse",
    "regex_error",
    "rewrite",
    "slow_patterns",
    "sql_edit",
    "sql_expected",
    "sql_expected_span",
    "unwritable",
    "update",
    "updated_expected",
]


SQL_EXPECT = lazy(r"^\s*--\s*expect:\s*$", re.IGNORECASE)
"""The line that starts a SQL block's expected result."""


def sql_expected(source: str) -> tuple[list[str] | None, int]:
    """The expected result of a SQL block and the index of its `-- expect:` line.

    The result is the `-- ` lines after the marker, without `-- ` (a bare `--` is an empty
    line); None (and index 0) when the block has no `-- expect:`.
    """
    lines, marker, _ = sql_expected_span(source)
    return lines, marker


def sql_expected_span(source: str) -> tuple[list[str] | None, int, int]:
    """`sql_expected`, and the index just past the last expected line (for `--update`)."""
    lines = source.split("\n")
    for i, line in enumerate(lines):
        if SQL_EXPECT.match(line):
            out: list[str] = []
            end = i + 1
            for k in range(i + 1, len(lines)):
                stripped = lines[k].strip()
                if stripped.startswith("-- "):
                    out.append(stripped[3:])
                elif stripped == "--":
                    out.append("")
                elif stripped:
                    break
                else:
                    continue
                end = k + 1
            return out, i, end
    return None, 0, 0


def sql_edit(source: str, lines: Sequence[str]) -> Edit | None:
    """The edit that makes a SQL block's `-- expect:` section say `lines` (None: it has none)."""
    expected, marker, end = sql_expected_span(source)
    if expected is None:
        return None
    return Edit(marker + 1, end, marker, tuple(f"-- {ln}" if ln else "--" for ln in lines))
