"""Helpers shared by the static checks: placeholder filling with column maps, header columns.

Validators parse block text with third-party parsers (json, ruamel, sqlglot, bash). Placeholders
(`{{ name }}`) are filled in first so they do not break parsing, and the parsers' columns are
mapped back to the columns the reader sees.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from runbookdocs.block import Block
from runbookdocs.codes import Code
from runbookdocs.document import PLACEHOLDER
from runbookdocs.location import Location
from runbookdocs.results import Finding, Severity

if TYPE_CHECKING:
    from runbookdocs.validate import CheckContext

SECRET_DUMMY = "secret"
"""What a secret placeholder becomes before parsing (its value is never known statically)."""
UNKNOWN_DUMMY = "value"
"""What an undeclared placeholder becomes (pages.py reports it)."""


@dataclass(frozen=True)
class Filled:
    """Block text with placeholders filled in, and the way back to the original columns."""

    text: str
    _shifts: tuple[tuple[tuple[int, int], ...], ...]
    """Per line: (column in the filled text where a change ends, cumulative delta) pairs."""

    def col(self, index: int, col: int) -> int:
        """The original 1-based column of 1-based `col` on 0-based line `index` of `text`."""
        if not 0 <= index < len(self._shifts) or not self._shifts[index]:
            return col
        shifts = self._shifts[index]
        ends = [end for end, _ in shifts]
        k = bisect_right(ends, col - 1)
        delta = shifts[k - 1][1] if k else 0
        return max(1, col - delta)


def on_runbook_page(ctx: CheckContext) -> bool:
    """Whether the block or page being checked is a runbook's (project configuration, or
    `runbook:` settings; True outside a page). Advice about what `run` will do is for runbooks:
    on other documentation a `$ ` prompt, a `tail -f`, a `DROP TABLE` or a `py` example in
    another language is how people write for readers, not a defect."""
    return ctx.document is None or ctx.document.is_runbook


def block_on_runbook_page(block: Block, ctx: CheckContext) -> bool:
    """`on_runbook_page` for a batch check, which sees blocks of every page at once."""
    if ctx.document is not None or ctx.runbook_pages is None:
        return on_runbook_page(ctx)
    return block.path in ctx.runbook_pages


def values_for(ctx: CheckContext) -> dict[str, str]:
    """The value each placeholder name takes for static checks on the current page.

    Variables as `runbookdocs.variables` resolves them (no command line); secrets become a
    dummy word.
    """
    doc = ctx.document
    key = f"values:{doc.path if doc else ''}"
    cached = ctx.memo.get(key)
    if isinstance(cached, dict):
        return cached
    values: dict[str, str] = dict(ctx.config.variables)
    if doc is not None:
        from runbookdocs.variables import variable_values

        values = variable_values(doc, ctx.config)
        values.update({name: SECRET_DUMMY for name in doc.front.secrets})
    ctx.memo[key] = values
    return values


def fill(
    text: str, values: Mapping[str, str], quote: Callable[[str, str, int], str] | None = None
) -> Filled:
    """Replace each `{{ name }}` in `text` by its value (or a dummy word).

    Args:
        text: the block source.
        values: name -> value; unknown names become `UNKNOWN_DUMMY`.
        quote: optional `fn(value, line_text, start_col)` that adapts a value to where it
            stands (JSON needs quotes outside strings).
    """
    if "{{" not in text:
        return Filled(text, ())
    out_lines: list[str] = []
    shifts: list[tuple[tuple[int, int], ...]] = []
    for line in text.split("\n"):
        pieces: list[str] = []
        line_shifts: list[tuple[int, int]] = []
        pos = 0
        new_len = 0
        delta = 0
        for m in PLACEHOLDER.finditer(line):
            value = values.get(m.group("name"), UNKNOWN_DUMMY)
            if quote is not None:
                value = quote(value, line, m.start())
            value = value.replace("\n", " ")
            pieces.append(line[pos : m.start()])
            new_len += m.start() - pos
            pieces.append(value)
            new_len += len(value)
            delta += len(value) - (m.end() - m.start())
            line_shifts.append((new_len, delta))
            pos = m.end()
        pieces.append(line[pos:])
        out_lines.append("".join(pieces))
        shifts.append(tuple(line_shifts))
    return Filled("\n".join(out_lines), tuple(shifts))


def same_width_word(text: str) -> str:
    """Replace each `{{ name }}` by a shell word of the same width (`RBDname____`).

    Keeping the width keeps every column of the text where the reader sees it.
    """

    def word(m: re.Match[str]) -> str:
        return ("RBD" + m.group("name")).ljust(len(m.group()), "_")[: len(m.group())]

    return PLACEHOLDER.sub(word, text)


def json_quote(value: str, line: str, start: int) -> str:
    """Quote `value` when the placeholder stands outside a JSON string and is no JSON scalar."""
    inside = _inside_string(line, start)
    if inside:
        return json.dumps(value)[1:-1]
    try:
        json.loads(value)
    except ValueError:
        return json.dumps(value)
    return value


def _inside_string(line: str, start: int) -> bool:
    inside, escaped = False, False
    for ch in line[:start]:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            inside = not inside
    return inside


def finding_at(
    block: Block,
    index: int,
    col: int,
    message: str,
    severity: Severity | None = None,
    *,
    code: Code,
    hint: str | None = None,
    detail: str = "",
    tool_code: str | None = None,
) -> Finding:
    """A finding of `code` at line `index` (0-based) of the block's source, with the snippet
    origin; `severity` defaults to the code's."""
    return code.at(
        block.locate(index, col),
        message,
        severity=severity,
        hint=hint,
        detail=detail,
        origin=block.origin(index),
        tool_code=tool_code,
    )


def header_col(block: Block, key: str, ctx: CheckContext) -> Location:
    """Where `key=` is written in the block's fence header (the fence itself when not found)."""
    lines = page_lines(ctx)
    if 0 < block.line <= len(lines):
        text = lines[block.line - 1]
        fence = max(text.find("```"), text.find("~~~"))
        pos = text.find(f"{key}=", fence + 3) if fence >= 0 else -1
        if pos >= 0:
            return Location(block.path, block.line, pos + 1)
    return block.location


def page_lines(ctx: CheckContext) -> list[str]:
    """The current page's lines (memoised per page)."""
    doc = ctx.document
    if doc is None:
        return []
    key = f"lines:{doc.path}"
    cached = ctx.memo.get(key)
    if isinstance(cached, list):
        return cached
    lines = doc.text.split("\n")
    ctx.memo[key] = lines
    return lines


@dataclass(frozen=True)
class ConsoleCommand:
    """A command typed in a console block: where it is and what it says."""

    index: int
    """0-based source line of the prompt line."""
    n_lines: int
    """Prompt line plus continuation lines."""
    text: str
    """The command without prompts, continuation lines joined with newlines."""
    prompt: str = "$"
    """`$`, or `#` (a command typed as root)."""


def console_commands(block: Block) -> list[ConsoleCommand]:
    """The commands of a console block, as `runbookdocs.transcript` reads them; prompts
    indented inside the block (every line shifted right) are read too."""
    from runbookdocs import transcript

    found = transcript.parse(block).commands
    if not found:
        indent, dedented = _dedent(block.source)
        if indent:
            found = transcript.parse(dedented).commands
    return [ConsoleCommand(c.line_index, c.n_lines, c.text, c.prompt) for c in found]


def _dedent(source: str) -> tuple[int, str]:
    """The indentation every non-blank line of `source` shares, and `source` without it."""
    lines = source.split("\n")
    widths = [len(ln) - len(ln.lstrip(" ")) for ln in lines if ln.strip()]
    indent = min(widths, default=0)
    if not indent:
        return 0, source
    return indent, "\n".join(ln[indent:] for ln in lines)


@dataclass(frozen=True)
class Script:
    """Shell text checked in place of a block: line i is the block's source line i."""

    text: str
    shifts: tuple[int, ...] = ()
    """Per line, columns removed before the text (prompts, indentation): add them back."""

    def col(self, index: int, col: int) -> int:
        """The block's column of column `col` on line `index` of `text`."""
        return col + (self.shifts[index] if 0 <= index < len(self.shifts) else 0)


def console_script(block: Block, *, hash_comments: bool = False) -> Script:
    r"""A console block's commands as a script aligned with its source.

    Output lines become blank lines; the prompt of a command line (`$ `, `# `) becomes two
    spaces, so columns stay the block's; a continuation line (`> `) loses its prompt, because
    a here-document's closing word must start its line (`> EOF`). Lines continued with a `\`
    and here-document bodies written without `> ` belong to their command too.

    Args:
        hash_comments: `# ` lines are comments, never root prompts (a shell block written
            with `$ ` prompts: in shell, `#` starts a comment).
    """
    lines = block.source.split("\n")
    indent, _ = _dedent(block.source)
    commands = console_commands(block)
    if not transcript_found(block):
        lines = [ln[indent:] for ln in lines]
    else:
        indent = 0
    script = [""] * len(lines)
    shifts = [0] * len(lines)
    starts = {cmd.index for cmd in commands}
    for cmd in commands:
        if cmd.prompt == "#" and (hash_comments or _prose_comment(cmd.text)):
            # Next to `$ ` prompts, `# For data volumes (if used)` is a comment, not a command
            # typed as root (`# systemctl restart app` is one).
            script[cmd.index] = lines[cmd.index]
            continue
        if _PASSWORD_PROMPT.match(cmd.text):
            # `$ me@box's password:`: the question ssh asks, shown after a prompt; output.
            continue
        k = cmd.index
        end = min(cmd.index + cmd.n_lines, len(lines))
        for k in range(cmd.index, end):
            if k == cmd.index:
                script[k] = "  " + lines[k][2:]
                shifts[k] = indent
            else:
                script[k] = lines[k][2:]
                shifts[k] = indent + 2
        # Pages often drop the `> ` of lines continued with a backslash, a pipe, `&&` or `||`
        # at the end (bash waits for the rest of the command there, no output can come
        # between), and of the lines of a here-document: they are still the command's.
        k = end
        while k < len(lines) and k not in starts and lines[k].strip():
            above = script[k - 1].rstrip()
            if not (
                above.endswith(_CONTINUED)
                # An option `--name=value` right under the command: the command's, its `\`
                # forgotten (output does not start a line with an option and its value).
                or _FORGOTTEN_OPTION.match(lines[k])
                # An option indented like the continuation line above it, right under a
                # command continued with `\`: the command's, its `\` forgotten too.
                or (
                    k - cmd.index > 1
                    and _OPTION_LINE.match(lines[k])
                    and _indent(lines[k]) == _indent(script[k - 1]) > 0
                )
            ):
                break
            script[k] = lines[k]
            shifts[k] = indent
            k += 1
        # A quote left open on the command line goes on over the next lines (`$ echo "` and a
        # manifest, then `" | kubectl apply -f -`).
        while k < len(lines) and k not in starts and open_quote("\n".join(script[cmd.index : k])):
            script[k] = lines[k]
            shifts[k] = indent
            k += 1
        # `$ for x in a b; do` with its body and `done` on the lines below, without `> `
        # prompts: the loop's, up to the line that closes it (when one does).
        if k < len(lines) and k not in starts and _open_compound("\n".join(script[cmd.index : k])):
            close = k
            while close < len(lines) and close not in starts:
                body = "\n".join([*script[cmd.index : k], *lines[k : close + 1]])
                if not _open_compound(body):
                    break
                close += 1
            if close < len(lines) and close not in starts:
                for j in range(k, close + 1):
                    script[j] = lines[j]
                    shifts[j] = indent
                k = close + 1
        opened = _HEREDOC_OPEN.search("\n".join(script[cmd.index : k]))
        if opened and k < len(lines) and k not in starts:
            word = opened.group(2)
            body_end = next(
                (j for j in range(k, len(lines)) if lines[j].strip() == word and j not in starts),
                None,
            )
            if body_end is not None:
                for j in range(k, body_end + 1):
                    script[j] = lines[j].strip() if j == body_end else lines[j]
                    shifts[j] = indent
    return Script("\n".join(script), tuple(shifts))


_PASSWORD_PROMPT = re.compile(
    r"^\s*(?:[\w.<>-]+@[\w.<>-]+'s |\[sudo\] |Enter )?[Pp]ass(?:word|phrase)(?: for [^:\s]+)?:\s*$"
)
"""What a program prints to ask for a password (ssh's `me@box's password:`, sudo's
`[sudo] password for me:`, `Enter passphrase:`): no command looks so, and the quote in
`box's` would leave bash waiting for its end."""
_OPTION_LINE = re.compile(r"^\s+--?[A-Za-z][\w-]*(?:[= ]\S|\s*$)")
_CONTINUED = ("\\", "|", "&&", "||")
_FORGOTTEN_OPTION = re.compile(r"^[ \t]*--[A-Za-z][\w-]*=\S(?!.*\S[ \t]{2,}\S)")
"""`--name=value` starting a line, with no column of text after two spaces (help text)."""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


_HEREDOC_OPEN = re.compile(r"<<-?[ \t]*(['\"]?)([A-Za-z_][\w.-]*)\1")


_OPENERS = {"do": "done", "then": "fi", "case": "esac", "{": "}"}
_CLOSERS = frozenset(_OPENERS.values())


def _open_compound(text: str) -> bool:
    """True when a `do`, `then`, `case` or `{` of `text` is not closed by its `done`, `fi`,
    `esac` or `}` (words read outside quotes and comments; a rough count, enough to tell a
    loop typed over several lines from a command)."""
    words = re.sub(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"|(?:^|(?<=\s))#.*", " ", text)
    depth = 0
    for word in re.split(r"[\s;&|()]+", words):
        if word in _OPENERS:
            depth += 1
        elif word in _CLOSERS:
            depth -= 1
    return depth > 0


def open_quote(text: str) -> bool:
    """True when a single or double quote of `text` is left open (comments and escapes read
    the shell's way)."""
    quote = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
            elif ch == "\\" and quote == '"':
                i += 1
        elif ch == "\\":
            i += 1
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t\n;|&("):
            end = text.find("\n", i)
            if end < 0:
                break
            i = end
        i += 1
    return bool(quote)


def _prose_comment(text: str) -> bool:
    """True when a `# ` line reads as a comment rather than a command typed as root: it
    starts with a capitalised word, or with a word that is no well-known command."""
    first = text.split()[0] if text.split() else ""
    if first[:1].isupper() and first[1:2].islower():
        return True
    return not looks_like_commands(text)


_COMMAND_WORDS_TEXT = """
    apt apt-get awk aws az bash cat cd chmod chown cp crictl curl dig dnf docker echo etcdctl
    export find gcloud git grep helm ip jq journalctl kill kubectl ln ls make mkdir mv nc
    nslookup oc openssl pip podman ps python python3 rm rsync scp sed ssh sudo systemctl tail
    tar terraform touch virtctl watch wget yum ceph rbd radosgw-admin mount umount sgdisk dd
    lsblk blkid modprobe sysctl service useradd usermod iptables ip6tables ss netstat
"""
_COMMAND_WORDS = frozenset(_COMMAND_WORDS_TEXT.split())


def looks_like_commands(source: str) -> bool:
    """True when the first meaningful line of `source` starts with a well-known command (or
    sets a variable)."""
    for line in source.split("\n"):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        word = text.split()[0]
        return word in _COMMAND_WORDS or bool(re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", word))
    return False


def transcript_found(block: Block) -> bool:
    """True when the console block has prompts at the start of its lines."""
    from runbookdocs import transcript

    return bool(transcript.parse(block).commands)
