"""Shell syntax of shell blocks and console commands: one `bash -n`, one `shellcheck`.

Spawning a shell per block costs ~2 ms each; 3,000 blocks would dominate `runbookdocs check`.
Instead every block becomes the body of a function in one script (`__rbd_N() { ... }`) that
`bash -n` parses once (`-n` reads without executing anything). Bash stops at the first syntax
error: its line maps back to a block, the block is confirmed alone (an unclosed quote in one
block can surface in a later one), and the remaining blocks are parsed again. Shellcheck runs
once over one temporary file per block.

Placeholders (`{{ name }}`) become a word of the same width, and console prompts become two
spaces, so columns reported by either tool are the reader's columns.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

from runbookdocs import codes
from runbookdocs.block import SITE_PROMPT, Block
from runbookdocs.cache import Cache, digest
from runbookdocs.config import Config
from runbookdocs.dialect import macros_tag_starts
from runbookdocs.document import Document
from runbookdocs.results import Finding, Severity
from runbookdocs.selection import Selection
from runbookdocs.validate import CheckContext, batch_check, page_check
from runbookdocs.validate.common import (
    Script,
    block_on_runbook_page,
    console_script,
    finding_at,
    looks_like_commands,
    open_quote,
    same_width_word,
)

SHELLCHECK_EXCLUDE: tuple[str, ...] = (
    "SC1090",  # can't follow a non-constant `source`: the file exists in the target only
    "SC1091",  # not following a sourced file: same
    "SC2009",  # `ps | grep`: how readers look at processes; pgrep is not always there
    "SC2012",  # `ls` output parsed: runbooks list files for humans
    "SC2016",  # `$x` in single quotes: SQL, awk and sed programs mean it literally
    "SC2034",  # variable assigned but unused: a later block of the page uses it
    "SC2154",  # variable used but not assigned: an earlier block (or the session) set it
    "SC2155",  # declare and assign separately: noise in one-off commands
    "SC2164",  # `cd` without `|| exit`: a failing command stops the runbook anyway
    "SC2317",  # unreachable command: a block may end its session on purpose
)
"""Shellcheck codes that make no sense for runbook snippets (blocks share one session)."""

SHELLCHECK_CHUNK = 400
"""Files per shellcheck invocation (keeps the command line far below ARG_MAX)."""

_BASH_LINE = re.compile(r"^[^:\n]*: line (\d+): (.*)$", re.M)
_HEREDOC = re.compile(
    r"warning: here-document at line (\d+) delimited by end-of-file "
    r"\(wanted `(.*)'\)"
)
_ENV = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}


@dataclass(frozen=True)
class _Unit:
    """A script to check: a shell block, or a console block's commands (lines aligned)."""

    index: int
    """Index of the block in the list given to the batch."""
    block: Block
    script: str
    """Line i is line i of the block's source (placeholders masked)."""
    shifts: tuple[int, ...] = ()
    """Per line, columns of the block removed before the script's text (prompts)."""

    @property
    def n_lines(self) -> int:
        return self.script.count("\n") + 1

    def col(self, index: int, col: int) -> int:
        """The block's column of `col` on script line `index`."""
        return col + (self.shifts[index] if 0 <= index < len(self.shifts) else 0)


def block_script(block: Block) -> Script | None:
    """The shell text of a shell or console block, aligned with its source; None for other
    kinds, and for a console block whose lines are neither commands nor look like them."""
    if block.kind == "shell":
        session = block_session(block)
        if session is not None:
            # `$ command` then its output, tagged bash: the commands are checked, the output
            # is not (whether a prompt belongs in a shell block is another check's business).
            transcript = console_script(replace(block, source=session), hash_comments=True)
            if transcript.text.strip():
                return transcript
        return Script(block.source)
    if block.kind != "console":
        return None
    script = console_script(block)
    if any(ln.strip() and not ln.lstrip().startswith("#") for ln in script.text.split("\n")):
        return script
    # No prompt at all: many pages write commands in console blocks without `$ `. Lines that
    # look like commands are checked as such; lines that look like output (a table, help
    # text, logs) are output, shown as it is.
    if not looks_like_commands(block.source):
        return None
    kept: list[str] = []
    previous = ""
    for line in block.source.split("\n"):
        continued = previous.rstrip().endswith(("\\", "|", "&&", "||"))
        kept.append(line if continued or not _not_shell(line) else "")
        previous = line
    return Script("\n".join(kept))


_PROMPTED = re.compile(r"^\$ \S", re.M)
_PATH_PROMPT = re.compile(
    r"""(?x)^(?:
        (?:(?:[\w.-]+@)?[\w.-]+:)?[~/][\w./~-]*[ ]?\$           # / $  ~/src$  me@box:~$
      | (?:(?:[\w.-]+@)?[\w.-]+:[~/][\w./~-]*|[~/])[ ]?\#       # / #  box:~#  me@box:/etc#
      | (?:ba|z|k)?sh-\d[\d.]*[$\#]                              # bash-5.2$  sh-4.4#
      | \$>                                                     # $> cmd (a site's style)
    )[ ](?=\S)"""
)
_LEADING_PROMPT = re.compile(r"^[>%] (?=\S+[ \t]+\S)")


def block_session(block: Block) -> str | None:
    """`session_source` of a shell block, read at the prompt its `data-prompt` attribute names
    (the site's copy button strips that prompt) as well as at the prompts it recognises."""
    return session_source(block.source, block.attrs.get(SITE_PROMPT))


def session_source(source: str, prompt: str | None = None) -> str | None:
    """`source` with its prompts written `$ ` (same width), when the shell block is a session
    typed at a prompt: its commands after `$ `, a path prompt (`/ $ `, `~/src$ `, `me@box:~$ `,
    `box:~# `, `bash-5.2$ `), the block's own `prompt` (its `data-prompt`) at the start of a
    line, or `> `/`% ` (PowerShell's and zsh's look) before its first command, and their
    output below them. None when the block is a script. (A MySQL client's `mysql> ` is no
    shell prompt: what follows it is SQL, which `statements` reads as not shell.)

    No script line starts with `$ ` or a path followed by a lone `$`; `> word args` at the start
    of a script would truncate a file named after the command and run its first argument,
    which nobody writes (`> file` alone, the truncation idiom, is not taken for a prompt).
    A `prompt` of `#` is left to the reading of `# ` lines as comments (shell's meaning).
    """
    if _PROMPTED.search(source):
        return source
    indented = _indented_session(source)
    if indented is not None:
        return indented
    lines = source.split("\n")
    changed = False
    own = prompt.strip() if prompt is not None and prompt.strip() not in ("", "#", "$") else ""
    for i, line in enumerate(lines):
        if own and line.startswith(own) and line[len(own) :].strip():
            width = len(own) + len(line[len(own) :]) - len(line[len(own) :].lstrip())
            lines[i] = "$ ".ljust(width) + line[width:]
            changed = True
            continue
        m = _PATH_PROMPT.match(line)
        if m is not None:
            lines[i] = "$ ".ljust(m.end()) + line[m.end() :]
            changed = True
    if changed:
        return "\n".join(lines)
    first = next((ln for ln in lines if ln.strip() and not ln.startswith("#")), "")
    m = _LEADING_PROMPT.match(first)
    if m is None:
        return None
    sign = first[0]
    return "\n".join(
        "$ " + ln[2:] if ln.startswith(f"{sign} ") or ln == sign else ln for ln in lines
    )


def _indented_session(source: str) -> str | None:
    """`source` with its prompts written `$ ` at the margin (same width), when every line of
    the block is indented alike and a line starts with `$ ` after that indentation (`  $ id me`
    then `    uid=1000(me) ...`): a session indented as a whole, as `has_user_prompt` reads
    it. None otherwise."""
    filled = [ln for ln in source.split("\n") if ln.strip()]
    indents = [ln[: len(ln) - len(ln.lstrip(" \t"))] for ln in filled]
    margin = min(indents, key=len, default="")
    if not margin or not all(i.startswith(margin) for i in indents):
        return None
    if not any(_PROMPTED.match(ln[len(margin) :]) for ln in filled):
        return None
    return "\n".join(
        "$ ".ljust(len(margin) + 2) + ln[len(margin) + 2 :]
        if ln.startswith(margin) and _PROMPTED.match(ln[len(margin) :])
        else ln
        for ln in source.split("\n")
    )


def _units(blocks: Sequence[Block]) -> list[_Unit]:
    units: list[_Unit] = []
    for i, b in enumerate(blocks):
        script = block_script(b)
        if script is not None and script.text.strip():
            text = mask_placeholders(same_width_word(mask_shortcodes(script.text)))
            if "{" in text:  # the blocks of every page: the site is the block's own
                text = mask_macros(
                    text, macros_tag_starts(os.path.dirname(os.path.abspath(b.path)))
                )
            units.append(_Unit(i, b, mask_elisions(text), script.shifts))
    return units


_ELISION = re.compile(r"^\s*(?:\.{3,}|…|<\s*-*\s*snip\s*-*\s*>|\[snip\])\s*$")
_ELISION_NOTE = re.compile(r"^\s*(?:\.{3,}|…)(?:[ \t]+\([^()`$|;&<>]*\))?\s*$")
"""An elision line, or one with a note on what it leaves out: `... (the usual options)`."""
_TRAILING_ELISION = re.compile(r"(?<=[ \t])\((\.{2,3}|…)\)(?=[ \t]|$)", re.M)


def mask_elisions(script: str) -> str:
    """`script` with each elision line (`...`, `……`) that stands between the lines of a
    command continued with `\\` made a word that continues it too: the page left options out,
    the options after it are still the command's (bash would start a new command there)."""
    if "..." not in script and "…" not in script:
        return script
    # `./configure --prefix=DIR (...)`: arguments left out of a command line (at its end, or
    # between words: `docker run -d (..) image`), in parentheses; a quoted word of the same
    # width keeps the command's columns and syntax.
    script = _TRAILING_ELISION.sub(lambda m: f'"{m.group(1)}"', script)
    lines = script.split("\n")
    for i in range(1, len(lines) - 1):
        if (
            _ELISION_NOTE.match(lines[i])
            and lines[i - 1].rstrip().endswith("\\")
            and lines[i + 1].strip()
        ):
            text = lines[i].rstrip()
            body = text.lstrip()
            lines[i] = text[: len(text) - len(body)] + "_" * (len(body) - 1) + "\\"
    return "\n".join(lines)


_SHORTCODE = re.compile(r"\{\{[<%].*?[>%]\}\}")


def mask_shortcodes(text: str) -> str:
    """`text` with each Hugo shortcode (`{{< version >}}`, `{{% param x %}}`) replaced by a
    shell word of the same width: Hugo renders shortcodes inside code fences too, so the reader
    sees a value there, where bash would read `<` and `>` as redirections."""
    if "{{" not in text:
        return text
    return _SHORTCODE.sub(lambda m: "RBD".ljust(len(m.group()), "_"), text)


_MACRO_TAGS = {"{{": re.compile(r"\{\{.*?\}\}"), "{%": re.compile(r"\{%.*?%\}")}


def mask_macros(text: str, starts: tuple[str, ...]) -> str:
    """`text` with each mkdocs-macros expression or statement (`{{ artifact(repo="x") }}`,
    `{% if x %}`) replaced by a shell word of the same width, when the site enables the
    plugin (`starts`: `dialect.macros_tag_starts`): it renders them before Markdown reads the
    page, so the reader sees a value there, not the call."""
    for start in starts:
        tag = _MACRO_TAGS.get(start)
        if tag is not None and start in text:
            text = tag.sub(lambda m: "RBD".ljust(len(m.group()), "_"), text)
    return text


@batch_check
def check_shell(blocks: list[Block], ctx: CheckContext) -> dict[int, list[Finding]]:
    """Syntax (bash -n) and lint (shellcheck) of every shell and console block at once."""
    units = _units(blocks)
    if not units:
        return {}
    out = _tool_findings(units, ctx)
    by_index = {u.index: u for u in units}
    selection = Selection.of(ctx.config)
    mixed: dict[int, int] = {}
    first_only: set[int] = set()  # blocks of output whose first command alone is checked again
    for index, found in out.items():
        unit = by_index[index]
        # Only findings the project would see are replaced by one: a block whose findings are
        # all style advice left out by the selection gets no finding at all.
        findings = [f for f in found if selection.reports(f, unit.block.allow)]
        if unit.block.kind != "shell" or not findings:
            continue
        other = shell_is_other(unit.block.source, runbook=block_on_runbook_page(unit.block, ctx))
        if other is not None:
            # Another shell's language tagged `bash` (PowerShell): one finding saying so.
            out[index] = [_other_language_finding(unit, other, findings)]
        elif debugger_session(unit.script) and not shown_not_copied(unit.block, ctx):
            # A debugger's session is known line by line: the commands around it are checked
            # again without it (below), so a real error among them is not hidden by it.
            mixed[index] = len(findings)
        elif shown_not_copied(unit.block, ctx):
            out[index] = [_output_finding(unit, len(findings))]
        elif output_share(unit.script) >= OUTPUT_SHARE:
            # Program output, logs or help text tagged `bash`: one finding, not one per line.
            # A command above them (`fluent-bit -c x.conf`, then its log) is checked alone.
            if _command_first(unit.script):
                mixed[index] = len(findings)
                first_only.add(index)
            else:
                out[index] = [_output_finding(unit, len(findings))]
        elif block_session(unit.block) is None:
            shown = _output_lines(unit.script)
            on_output = [f for f in findings if _script_line(unit, f) in shown]
            if on_output:
                mixed[index] = len(on_output)
    if mixed:
        # Commands with the output they print between them, and the tools read the output:
        # the commands alone are checked again, and one finding says the rest is output.
        again = _tool_findings(
            [
                _without_lines(
                    by_index[i],
                    _after_first(by_index[i].script)
                    if i in first_only
                    else _output_lines(by_index[i].script),
                )
                for i in mixed
            ],
            ctx,
        )
        for index, hidden in mixed.items():
            found = again.get(index, [])
            kept = _without_text_errors(
                by_index[index], _without_flag_output(by_index[index], found)
            )
            hidden += len(found) - len(kept)
            out[index] = [*kept, _output_finding(by_index[index], hidden)]
    return out


_CAPITALISED_WORD = re.compile(r"^\s*[A-Z][a-z]+(?![\w=])")


def _without_flag_output(unit: _Unit, found: list[Finding]) -> list[Finding]:
    """`found` without the SC2215 ("flag used as a command name") findings on lines of output
    in a block of commands and output: a line starting with `--` under an output line, or under
    a line starting with a capitalised word (`Mapping subject:...`, which no command does), is
    the program's trace (`--J JetStream action:...`), not a flag whose `\\` was forgotten."""
    if not any(f.tool_code == "SC2215" for f in found):
        return found
    lines = unit.script.split("\n")
    output = _output_lines(unit.script)
    dropped: set[int] = set()
    gone: set[int] = set()  # id() of the findings left out
    for f in sorted(found, key=lambda f: f.location.line):
        k = _script_line(unit, f) if f.tool_code == "SC2215" else None
        if k is None:
            continue
        above = next((j for j in range(k - 1, -1, -1) if lines[j].strip()), None)
        if above is not None and (
            above in output or above in dropped or _CAPITALISED_WORD.match(lines[above])
        ):
            dropped.add(k)
            gone.add(id(f))
    return [f for f in found if id(f) not in gone]


def _without_text_errors(unit: _Unit, found: list[Finding]) -> list[Finding]:
    """`found` without a syntax error on a line that is no command, in a block that does not
    start with one either (the block is output, a table row like `name (unit) |value` is one
    of its lines): the one RBD308 finding says it. A line that reads as a command keeps its
    error."""
    if _command_first(unit.script):
        return found
    lines = unit.script.split("\n")

    def on_text(f: Finding) -> bool:
        if f.code != codes.SHELL_SYNTAX.id or re.search(r"\bEOF\b|end of file", f.message):
            return False  # a quote or a block left open: its cause is above
        k = _script_line(unit, f)
        return k is not None and not looks_like_commands(lines[k])

    return [f for f in found if not on_text(f)]


NOT_COPIED = "no-copy"
"""The class mkdocs-material reads as "no copy button on this block" (`{ .bash .no-copy }`)."""


def shown_not_copied(block: Block, ctx: CheckContext) -> bool:
    """True when the site marks the shell block as one not to copy (`{ .bash .no-copy }`) on
    a page that is not a runbook: what it shows is output (a menu a script prints, a prompt's
    answer), highlighted as shell. A runbook's blocks are run: there the findings stand."""
    return NOT_COPIED in block.classes and not block_on_runbook_page(block, ctx)


def _output_lines(script: str) -> set[int]:
    """0-based lines of `script` that `statements` reads as output."""
    return {k for st in statements(script) if st.output for k in range(st.start, st.end + 1)}


def _after_first(script: str) -> set[int]:
    """0-based lines of `script` below its first statement."""
    found = statements(script)
    end = found[0].end if found else -1
    return set(range(end + 1, script.count("\n") + 1))


def _script_line(unit: _Unit, finding: Finding) -> int | None:
    """The script line a finding was reported on; None for a syntax error bash only saw at
    the end of the block (its cause is above: an open quote, a missing `done`)."""
    if finding.code == codes.SHELL_SYNTAX.id:
        error = _bash_n(unit.script)  # again, alone: bash's own words say where it stopped
        if error is None or "end of file" in error.message or "here-document" in error.message:
            return None
    lines = unit.block.source_lines
    if finding.location.line in lines:
        return lines.index(finding.location.line)
    index = finding.location.line - unit.block.line - 1
    return index if 0 <= index < unit.n_lines else None


def _without_lines(unit: _Unit, lines: set[int]) -> _Unit:
    """`unit` with `lines` of its script blanked (line numbers kept)."""
    text = unit.script.split("\n")
    return replace(unit, script="\n".join("" if k in lines else ln for k, ln in enumerate(text)))


def _tool_findings(units: Sequence[_Unit], ctx: CheckContext) -> dict[int, list[Finding]]:
    """What bash -n and shellcheck say about `units`, by block index."""
    out: dict[int, list[Finding]] = {}
    linted: list[tuple[_Unit, Finding]] = []
    if ctx.config.shellcheck and shellcheck_enabled():
        linted = shellcheck(units, ctx.cache, shellcheck_fingerprint(ctx.config))
    syntax: set[int] = set()
    if shutil.which("bash"):
        suspects = {u.index for u, f in linted if _is_parse_error(f)}
        for unit, finding in bash_syntax(units, suspects):
            out.setdefault(unit.index, []).append(finding)
            syntax.add(unit.index)
    for unit, finding in linted:
        if unit.index in syntax and _is_parse_error(finding):
            continue  # bash -n already reported the block's syntax error
        out.setdefault(unit.index, []).append(finding)
    return out


_POWERSHELL = re.compile(
    r"""(?x)^\s*(?:
        \$[Ee][Nn][Vv]:\w+\s*=                                        # $env:NAME = value
      | &[ \t]*(?:"[^"\n]+"|'[^'\n]+'|\$\w+)(?:[ \t]|$)               # & "C:\x\a.exe" -i x
      | .*(?:^|[\s("'=])\$[Ee][Nn][Vv]:[A-Za-z_]\w*                     # $env:PATH read
      | (?:Get|Set|New|Remove|Add|Invoke|Start|Stop|Restart|Install|Uninstall|Import|Export
         |Write|Read|Test|Copy|Move|Rename|Out|Select|Where|ForEach|Enable|Disable|Expand
         |Compress|Register|Unregister|Update|Resolve|Split|Join|ConvertTo|ConvertFrom|Measure
         |Wait|Clear|Push|Pop)-[A-Z][A-Za-z]+(?:\s+-[A-Za-z]|\s*$|\s*\|)  # Verb-Noun -Param
      | &[ \t]+[\w.-]+[ \t].*\|[ \t]*(?:Invoke|ForEach|Where|Select|Out)-[A-Z][A-Za-z]+
                                                                # & x | Invoke-Expression
      | \[[A-Za-z_][\w.]*\]::[A-Za-z_]\w*\(                         # [Environment]::Set(
      | function[ \t]+[\w-]+[ \t]*\{[^;&\n]*\$args\b[^;&\n]*\}\s*$  # function x { y $args }
    )"""
)
"""A PowerShell statement: an environment variable set the PowerShell way, or a cmdlet (an
approved verb, a dash, a capitalised noun) alone, piped, or given a `-Parameter`, the call
operator running a quoted path or a variable (`& "C:\\Program Files\\x.exe" -c x`), or an
environment variable read the PowerShell way (`"$env:USERPROFILE\\.kube"`). None is valid bash
(`$env:X=` is no assignment, `Get-ChildItem` no command of a Unix system, a line cannot start
with `&`), or bash's reading of it (`$env` then `:PATH`) is not what anybody writes. Also the
call operator before a command whose output a cmdlet reads (`& minikube env | Invoke-Expression`),
a .NET static call (`[Environment]::SetEnvironmentVariable(...)`) and a function on one line
using PowerShell's `$args` without the `;` bash needs before `}` (bash refuses all three)."""
_WINDOWS_CMD = re.compile(r"(?i)^\s*@?for[ \t]+/[fdlr]\b.*%%?\w\b.*\bdo\b|^\s*@?doskey[ \t]")
"""A cmd.exe statement: `@FOR /f "tokens=*" %i IN ('cmd') DO @%i` (bash's `for` takes a name,
never `/f`), or a `doskey` macro."""
_BACKTICK_CONTINUED = re.compile(r"[ \t]`[ \t]*$")
"""A line continued PowerShell's way, with a backtick at its end (bash opens a command
substitution there)."""


@dataclass(frozen=True)
class OtherLanguage:
    """What a shell block is written in instead, as `shell_is_other` tells."""

    name: str
    """The language, as the finding names it."""
    tag: str
    """The fence language to tag it with."""


POWERSHELL = OtherLanguage("PowerShell", "powershell")
WINDOWS_CMD = OtherLanguage("Windows cmd", "bat")
KEY_VALUES = OtherLanguage(
    "key=value configuration (container labels, properties, sysctl settings)", "properties"
)
SUDOERS = OtherLanguage("sudoers rules", "text")
BLOCK_CONFIG = OtherLanguage(
    "an nginx-style configuration (`directive value;` lines in `name {` ... `}` blocks)", "nginx"
)
SECTION_CONFIG = OtherLanguage(
    "an Apache-style configuration (`Directive value` lines in `<Section ...>` ... `</Section>`)",
    "apache",
)
ENV_FILE = OtherLanguage(
    "the environment-file format (NAME=value, values taken as written)", "dotenv"
)
MAKEFILE = OtherLanguage(
    "a Makefile (`NAME := value`, `ifeq` conditionals, rules with their recipes)", "makefile"
)
CALLS = OtherLanguage("a program's code (`name.Call(...)` calls)", "text")
GO = OtherLanguage("Go (`name := value`, `defer`, `if err != nil {`)", "go")
XML = OtherLanguage("XML (`<?xml ...?>`, elements opened and closed)", "xml")
REGO = OtherLanguage("Rego (`package a.b`, then `import data.x` or `name := value` rules)", "rego")

_MAKE_ASSIGN = re.compile(r"^[A-Za-z_][\w.-]*[ \t]*(?::=|::=|\?=)")
"""`OUTPUT := lib$(NAME).so`, `GO ?= go`: make's assignments (bash has neither operator)."""
_MAKE_RULE = re.compile(r"^[\w.%$()/-]+(?:[ \t]+[\w.%$()/-]+)*[ \t]*::?(?!=)(?:[ \t]|$)")
_MAKE_CONDITIONAL = re.compile(r"^(?:ifeq|ifneq|ifdef|ifndef)[ \t]")
_DOTTED_CALL = re.compile(
    r"^[ \t]*(?:[A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*[ \t]*:?=[ \t]*)?"
    r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+\((?:\)(?:\.[A-Za-z_]\w*)+\()*[^)\s].*\)[ \t]*;?[ \t]*$"
)
"""`nats.Connect("nats://host:4222")`, `nc, err := nats.Connect(url)`,
`mock.EXPECT().Get(key).Return(v)`: a call of a package's or an object's function with
arguments, through calls without them (bash reads `name(` as a function definition)."""
_GO_STRONG = re.compile(
    r"""(?x)^[ \t]*(?:
        [A-Za-z_]\w*(?:[ \t]*,[ \t]*[A-Za-z_]\w*)*[ \t]+:=[ \t]+\S.*      # a, err := f(x)
      | (?:defer|go)[ \t]+[A-Za-z_][\w.]*\(.*\)                         # defer c.Close()
      | (?:if|for|switch)[ \t]+[^;{}]*(?:;[^;{}]*)*\{                    # if err != nil {
      | \}[ \t]*else(?:[ \t]+if[ \t]+[^{}]*)?[ \t]*\{                  # } else {
      | func[ \t]+(?:\([^()]*\)[ \t]*)?[A-Za-z_]\w*\(.*\{                 # func f(x) error {
    )[ \t]*$"""
)
"""A line only Go writes so: `:=` between spaces after names, `defer` or `go` before a call,
`if`, `for` or `switch` ending with `{`, `} else {`, a `func` declaration."""
_GO_LINE = re.compile(
    r"""(?x)^[ \t]*(?:
        [A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*[-+*/]?=[ \t]*\S.*
      | [A-Za-z_][\w.]*\(.*\)(?:\.[A-Za-z_]\w*\(.*\))*                 # f(x), a.B().C(y)
      | [A-Za-z_][\w.]*(?:\+\+|--)                                       # i++
      | return(?:[ \t]+\S.*)? | break | continue
      | \}(?:[ \t]*\)|[ \t]*,)?                                          # }, }), },
      | //.*
    )[ \t]*;?[ \t]*$"""
)
"""A Go statement besides those `_GO_STRONG` knows: an assignment, a call (chained too),
`i++`, `return`, a closing brace, a `// comment`."""


def _go(lines: list[str]) -> bool:
    """True when `lines` (no blank or `#` comment line) are Go statements: every line one, a
    line only Go writes among them (`_GO_STRONG`: `client := newClient(cfg)`, `if err != nil
    {`) and a call somewhere (`name(`, which bash refuses)."""
    return (
        all(_GO_STRONG.match(ln) or _GO_LINE.match(ln) for ln in lines)
        and any(_GO_STRONG.match(ln) for ln in lines)
        and any(re.search(r"\w\(", ln) for ln in lines)
    )


_MAKE_OTHER = re.compile(
    r"^(?:else|endif|endef|(?:-|s)?include[ \t]+\S.*|export[ \t]+[A-Za-z_]\w*"
    r"|define[ \t]+[A-Za-z_][\w.-]*)[ \t]*$"
)


def _makefile(source: str) -> bool:
    """True when `source` is plainly a Makefile: an `ifeq`/`endif` conditional (no command is
    named `ifeq`), make's `:=` or `?=` assignments with a rule whose recipe line is indented by
    a tab under it, or rules with recipes alone, every line at the margin then a rule
    (`build: $(OBJS)`), an assignment or one of make's directives."""
    lines = source.split("\n")
    recipe = any(
        _MAKE_RULE.match(ln) and k + 1 < len(lines) and lines[k + 1].startswith("\t")
        for k, ln in enumerate(lines)
    )
    if any(_MAKE_CONDITIONAL.match(ln) for ln in lines) and any(
        ln.strip() == "endif" for ln in lines
    ):
        return True
    if any(_MAKE_ASSIGN.match(ln) for ln in lines):
        return recipe
    margin = [ln for ln in lines if ln.strip() and ln[0] not in " \t#"]
    return recipe and all(
        _MAKE_RULE.match(ln) or _MAKE_ASSIGN.match(ln) or _MAKE_OTHER.match(ln) for ln in margin
    )


def shell_is_other(source: str, *, runbook: bool = True) -> OtherLanguage | None:
    """The language a shell block that bash or shellcheck refuse is plainly written in, or
    None when the evidence is not strong (then their findings stand).

    PowerShell when a line that is not a comment is a PowerShell statement, or two lines or
    more are continued with a backtick (and none with `\\`); Windows cmd when a line is a
    cmd.exe `for /f ... do` loop or a `doskey` macro. Outside runbooks
    (`runbook` False) also configuration shown for the reader to paste elsewhere: every line
    `dotted.key=value` (Traefik or Caddy container labels, Java properties, sysctl settings),
    or every line a sudoers rule, or every line `NAME=value` with a `(` inside a value (an
    environment file: `DSN=user:pw@tcp(db:3306)/app`), or an nginx-style configuration
    (`_block_config`), an Apache-style one (`_section_config`), a Makefile (`_makefile`), or
    calls of a program's functions, every line (`_DOTTED_CALL`), Go statements (`_go`), or
    XML (`_xml`). A runbook's shell block is run: there the findings stand.
    """
    lines = [ln for ln in source.split("\n") if ln.strip() and not ln.lstrip().startswith("#")]
    if any(_POWERSHELL.match(line) for line in lines):
        return POWERSHELL
    if any(_WINDOWS_CMD.match(line) for line in lines):
        return WINDOWS_CMD
    if sum(1 for line in lines if _BACKTICK_CONTINUED.search(line)) >= 2 and not any(
        line.rstrip().endswith("\\") for line in lines
    ):
        return POWERSHELL
    if runbook or not lines:
        return None
    if all(_key_value(line) is not None for line in lines) and any(
        _key_value(line) for line in lines
    ):
        return KEY_VALUES
    if all(_key_value(line) is not None for line in lines) and any(
        _ENV_VALUE_PARENTHESIS.match(_unquoted(line)) for line in lines
    ):
        # `NAME=user:pw@tcp(host:3306)/db`: an environment file's line (docker `env_file`,
        # systemd `EnvironmentFile`), whose values are taken as written; bash refuses the `(`.
        return ENV_FILE
    if all(_SUDOERS_RULE.match(line) or _SUDOERS_OTHER.match(line) for line in lines) and any(
        _SUDOERS_RULE.match(line) for line in lines
    ):
        return SUDOERS
    if _block_config(lines):
        return BLOCK_CONFIG
    if _section_config(lines):
        return SECTION_CONFIG
    if _makefile(source):
        return MAKEFILE
    if all(_DOTTED_CALL.match(line) for line in lines):
        return CALLS
    if _go(lines):
        return GO
    if _xml(lines):
        return XML
    if _REGO_PACKAGE.match(lines[0]) and any(_REGO_RULE.match(line) for line in lines[1:]):
        return REGO
    return None


_REGO_PACKAGE = re.compile(r"^package[ \t]+[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*[ \t]*$")
"""A Rego policy's first statement (`package builtin.kubernetes.rules`): no command is so."""
_REGO_RULE = re.compile(
    r"^(?:import[ \t]+(?:data|input|future|rego)\b[\w.]*"
    r"|[A-Za-z_]\w*(?:\[[^\]]*\])?(?:\([^()]*\))?[ \t]+:=[ \t]+\S.*)[ \t]*$"
)
"""Rego beside its `package`: an `import data.lib.x` line, or a rule or value at the margin
written `name := value` (`allowed := ["a", "b"]`, `check(x) := {...} {`)."""


_XML_LINE = re.compile(r"^\s*<[?!/]?[A-Za-z_][^<>]*>(?:.*>)?\s*$")
_XML_OPEN = re.compile(r"<([A-Za-z_][\w.:-]*)(?=[\s>])")


def _xml(lines: list[str]) -> bool:
    """True when `lines` (no blank or comment line) are XML: every line starts with a tag and
    ends with `>`, and the first is an XML declaration (`<?xml version="1.0"?>`) or an element
    opened is closed too (`<menu id="root">` ... `</menu>`). Bash reads a
    leading `<` as a redirection and refuses a line ending with `>`; no script is written so."""
    if not all(_XML_LINE.match(line) for line in lines):
        return False
    if lines[0].lstrip().startswith("<?xml"):
        return True
    opened = {m.group(1) for line in lines for m in _XML_OPEN.finditer(line)}
    return any(f"</{name}>" in line for name in opened for line in lines)


_DIRECTIVE = re.compile(r"^\s*[A-Za-z_][\w.-]*(?:\s+[^;{}#\s][^;{}]*?)?\s*;\s*(?:#.*)?$")
"""`listen 443 ssl;`, `client_max_body_size 0;  # note`: a directive ended by `;`."""
_BLOCK_OPEN = re.compile(r"^\s*[A-Za-z_][\w.-]*(?:\s+[^;{}()#\s`$|&<>][^;{}()`$|&<>]*?)?\s*\{\s*$")
"""`server {`, `location /api/ {`, `upstream backend {`: a named block opened; no `()` (a shell
function is `name() {`), no `$`, quote, pipe or redirection."""
_BLOCK_CLOSE = re.compile(r"^\s*\}\s*$")


def _block_config(lines: list[str]) -> bool:
    """True when `lines` (no blank or comment line) are an nginx-style configuration: every
    line a directive ended by `;`, a named block opened with `{` or a lone `}`, the blocks
    balanced, with at least two directives inside them. Bash reads `server {` as a command
    given the word `{` and refuses the lone `}`; a shell function is written `name() {` and its
    commands do not end in `;` one by one."""
    depth = 0
    inside = 0
    opened = False
    for line in lines:
        if _BLOCK_OPEN.match(line):
            depth += 1
            opened = True
        elif _BLOCK_CLOSE.match(line):
            depth -= 1
            if depth < 0:
                return False
        elif _DIRECTIVE.match(line):
            inside += depth > 0
        else:
            return False
    return opened and depth == 0 and inside >= 2


_SECTION_OPEN = re.compile(r"^\s*<([A-Za-z]\w*)(?:\s+[^<>]*)?>\s*$")
_SECTION_CLOSE = re.compile(r"^\s*</([A-Za-z]\w*)>\s*$")
_SECTION_DIRECTIVE = re.compile(r"^\s*[A-Z][A-Za-z0-9]*\s+\S.*$")
"""`ProxyPass "http://localhost:9000/"`, `Require valid-user`: an Apache directive, its name
in CamelCase (a command's name is in lower case)."""


def _section_config(lines: list[str]) -> bool:
    """True when `lines` (no blank or comment line) are an Apache-style configuration: every
    line a section opened (`<Location /app/>`, `<VirtualHost host>`), the section closed by its
    name (`</Location>`) or a directive in CamelCase with its value (`ProxyPass "http://x/"`),
    the sections balanced, with at least two directives inside them. Bash reads `<Location`
    as a redirection from a file, and the placeholder check would take the tags for `<name>`
    arguments to fill in."""
    opened: list[str] = []
    inside = 0
    for line in lines:
        if m := _SECTION_OPEN.match(line):
            opened.append(m.group(1))
        elif m := _SECTION_CLOSE.match(line):
            if not opened or opened.pop() != m.group(1):
                return False
        elif _SECTION_DIRECTIVE.match(line):
            inside += bool(opened)
        else:
            return False
    return not opened and inside >= 2 and any(_SECTION_CLOSE.match(line) for line in lines)


_KEY = re.compile(r"^\s*[A-Za-z_][\w-]*((?:\.(?:[\w-]+|<[\w-]+>|\{[\w-]+\}))*)=(?=\S)(.*?)\s*$")
"""`key=value`, the key's dotted segments in group 1 (a segment may be a `<placeholder>`)."""
_CLOSING = {"(": ")", "[": "]", "{": "}", "<": ">"}
_ENV_VALUE_PARENTHESIS = re.compile(r"^\s*[A-Z_][A-Z0-9_]*=[^\s(]+\(")
"""`NAME=value` (an environment variable's upper-case name) whose value holds a `(` after its
start (a bash array starts with it; `digest=sha256(x)` is pseudo-code)."""
_OPERATORS = frozenset({"&&", "||", "!"})


def _key_value(line: str) -> bool | None:
    """For a line `key=value` whose value is one configuration value: True when the key is
    dotted (`traefik.http.routers.app.rule`), False when it is a plain name (`caddy=x`, which
    bash reads as an assignment). None for any other line.

    A value is one word once its quoted, backquoted and bracketed parts are taken as wholes
    (`"a b"`, `{{upstreams 3000}}`, `<name>`), or an expression of such parts joined by `&&`
    and `||` (`Host(`a`) && PathPrefix(`/`)`, a Traefik rule). `a.b=1 cmd`, `a.b=1; cmd` or
    `a.b=1 | cmd` are not: a word after the value, a `;`, a pipe or a redirection make a
    command line (one bash refuses, and whose findings then stand)."""
    m = _KEY.match(line)
    if m is None:
        return None
    words: list[str] = []
    word = ""
    grouped = False  # the current word holds a quoted or bracketed part
    stack: list[str] = []
    value = m.group(2)
    i = 0
    while i < len(value):
        ch = value[i]
        if stack:
            if ch == stack[-1]:
                stack.pop()
            elif (
                stack[-1] not in "'\"`"
                and ch in _CLOSING
                and (ch != "<" or value[i + 1 : i + 2].isalpha())
            ):
                stack.append(_CLOSING[ch])
            elif stack[-1] not in "'\"`" and ch in "'\"`":
                stack.append(ch)
            word += ch
        elif ch == "$" and value[i + 1 : i + 2] == "(":
            return None  # a command substitution: shell
        elif ch in "'\"`":
            stack.append(ch)
            word += ch
            grouped = True
        elif ch in _CLOSING and (ch != "<" or value[i + 1 : i + 2].isalpha()):
            stack.append(_CLOSING[ch])
            word += ch
            grouped = True
        elif ch in " \t":
            if word:
                words.append(word if not grouped else "()")
            word, grouped = "", False
        elif ch in ";|&<>)]}":
            if ch in "&|" and value[i + 1 : i + 2] == ch and not word:
                word = ch * 2
                i += 2
                continue
            return None
        else:
            word += ch
        i += 1
    if stack:
        return None  # a quote or a bracket left open: bash's findings say where
    if word:
        words.append(word if not grouped else "()")
    if len(words) > 1 and not all(w in _OPERATORS or w == "()" for w in words):
        return None
    return bool(m.group(1))


_SUDOERS_RULE = re.compile(
    r"""(?x)^\s*
        %?[\w.@+-]+(?:\s*,\s*%?[\w.@+-]+)*                 # users, %groups
        \s+(?:ALL\s*=\s*(?:\([^()\n]*\)\s*)? | [\w.,!-]+\s*=\s*\([^()\n]*\)\s*)  # host=(runas)
        (?:(?:NO)?(?:PASSWD|EXEC|SETENV|LOG_INPUT|LOG_OUTPUT|FOLLOW|INTERCEPT|MAIL):\s*)*
        (?:!?ALL|!?/\S.*)\s*$                                 # ALL, or commands by full path
    """
)
"""A sudoers user specification: `deploy ALL=(ALL) NOPASSWD: /usr/bin/systemctl`. A command
line does not have this shape: `name word=(...)` is a bash syntax error, and `word ALL=` no
command anyone types."""
_SUDOERS_OTHER = re.compile(
    r"^\s*(?:Defaults(?:[:@!>][^\s=]+)?\s+\S.*"
    r"|(?:User|Runas|Host|Cmnd)_Alias\s+[A-Z][A-Z0-9_]*\s*=\s*\S.*)$"
)
"""A line of a sudoers file besides its user specifications: a `Defaults` setting, an alias."""


def _other_language_finding(
    unit: _Unit, language: OtherLanguage, findings: list[Finding]
) -> Finding:
    return codes.OTHER_LANGUAGE_AS_SHELL.at(
        unit.block.location,
        f"this {unit.block.lang or 'shell'} block is written in {language.name}, not in a Unix "
        f"shell: it is tagged with the wrong language ({len(findings)} shell finding(s) on it "
        "are not shown)",
        hint=f"tag it ```{language.tag}",
    )


def _is_parse_error(f: Finding) -> bool:
    return f.tool_code is not None and f.tool_code.startswith("SC1")


# ------------------------------------------------------------------------------------ bash -n


RUNNING: set[subprocess.Popen[str]] = set()
"""bash and shellcheck processes under way: a worker stopped by its parent kills them first,
so that no checker outlives a check (and holds its output pipes open)."""


def _run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """`subprocess.run`, with the process listed in `RUNNING` while it runs."""
    stdin = kwargs.pop("input", None)
    timeout = kwargs.pop("timeout", None)
    kwargs.pop("capture_output", None)
    with subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    ) as proc:
        RUNNING.add(proc)
        try:
            out, err = proc.communicate(stdin, timeout=timeout)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        finally:
            RUNNING.discard(proc)
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def stop_running() -> None:
    """Kill the checkers `RUNNING` and remove their scratch files (a worker being stopped:
    it exits right after, without running `finally` blocks)."""
    for proc in list(RUNNING):
        with contextlib.suppress(OSError):
            proc.kill()
    for folder in list(SCRATCH):
        shutil.rmtree(folder, ignore_errors=True)
        SCRATCH.discard(folder)
    # A folder made just before the signal came, not yet in SCRATCH (the handler runs between
    # `mkdtemp` and `SCRATCH.add`): found by this process's id in its name.
    sweep_scratch(own=True)


SCRATCH: set[str] = set()
"""Scratch directories of this process that hold scripts for shellcheck."""


def sweep_scratch(place: str | None = None, *, own: bool = False) -> None:
    """Remove the scratch directories of checks that are gone (killed before they could), or
    with `own` this process's: they are named `rbd-shellcheck-PID-...`."""
    if place is None:  # every place `_scratch` writes to: /dev/shm, else the temporary folder
        for where in {*([_SHM] if os.path.isdir(_SHM) else []), tempfile.gettempdir()}:
            sweep_scratch(where, own=own)
        return
    with contextlib.suppress(OSError):
        for entry in os.scandir(place):
            parts = entry.name.split("-")
            if entry.name.startswith("rbd-shellcheck-") and len(parts) > 3 and parts[2].isdigit():
                pid = int(parts[2])
                if (pid == os.getpid()) if own else (pid != os.getpid() and not _alive(pid)):
                    shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        return True
    return True


@dataclass(frozen=True)
class _BashError:
    line: int
    """1-based line in the script given to bash."""
    message: str


def _bash_n(script: str) -> _BashError | None:
    """Parse `script` with `bash -n`; the first problem, or None when it parses."""
    try:
        proc = _run(
            ["bash", "--norc", "--noprofile", "-O", "extglob", "-n"],
            input=script,
            capture_output=True,
            text=True,
            env=_ENV,
            timeout=60,
            errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return _BashError(1, f"bash -n could not run: {err}")
    problems: list[_BashError] = []
    heredoc = _HEREDOC.search(proc.stderr)
    if heredoc:
        problems.append(
            _BashError(
                int(heredoc.group(1)),
                f"here-document is never closed (no line {heredoc.group(2)!r})",
            )
        )
    if proc.returncode != 0:
        m = _BASH_LINE.search(proc.stderr)
        if m is not None:
            problems.append(_BashError(int(m.group(1)), m.group(2).strip()))
        else:
            lines = proc.stderr.strip().splitlines()
            problems.append(
                _BashError(1, lines[-1] if lines else f"bash -n exited {proc.returncode}")
            )
    return min(problems, key=lambda p: p.line) if problems else None


_CONTINUED_END = re.compile(r"(?<!\\)(?:\\\\)*\\\Z")
"""A `\\` that ends a script (an odd run of them: `\\\\` is a backslash written out)."""


def _wrap(units: Sequence[_Unit]) -> tuple[str, list[int]]:
    """One script with every unit as a function body; the first script line of each unit."""
    parts: list[str] = []
    starts: list[int] = []
    line = 1
    for n, u in enumerate(units):
        # `:` keeps a block that holds only comments a valid function body. A block whose last
        # line ends with `\` (a command's arguments shown alone, cut after one) gets a blank
        # line before the `}`: bash alone reads the block to its end, the `}` is no argument.
        tail = "\n" if _CONTINUED_END.search(u.script) else ""
        parts.append(f"__rbd_{n}() {{ :\n{u.script}\n{tail}}}\n")
        starts.append(line)
        line += u.n_lines + 2 + len(tail)
    return "".join(parts), starts


def _unit_at(starts: list[int], line: int) -> int:
    k = 0
    for i, s in enumerate(starts):
        if s <= line:
            k = i
    return k


def bash_syntax(
    units: Sequence[_Unit], suspects: set[int] | None = None
) -> list[tuple[_Unit, Finding]]:
    """Syntax errors of `units`, at most one per unit, each at its page line.

    Args:
        units: the scripts to parse.
        suspects: `_Unit.index` values of units another tool could not parse. They and the
            units whose quotes do not balance are parsed alone first: two unclosed quotes in
            different blocks would otherwise pair up and hide each other in the batch.
    """
    found: list[tuple[_Unit, Finding]] = []
    suspects = suspects or set()
    batch: list[_Unit] = []
    for u in units:
        if u.index in suspects or not _quotes_balance(u.script):
            error = _bash_n(u.script)
            if error is not None:
                found.append((u, _syntax_finding(u, error)))
                continue
        batch.append(u)
    start = 0
    while start < len(batch):
        text, starts = _wrap(batch[start:])
        error = _bash_n(text)
        if error is None:
            break
        k = start + _unit_at(starts, error.line)
        if k > start and _bash_n(_wrap(batch[start:k])[0]) is not None:
            k = _first_failing_prefix(batch, start, k - 1)  # an earlier block broke bash
        alone = _bash_n(batch[k].script)
        if alone is None:
            k = _first_failing_prefix(batch, start, k)
            alone = _bash_n(batch[k].script)
            if alone is None:
                # Broken only in company (should not happen): report where bash saw it.
                alone = _BashError(
                    max(error.line - starts[min(k - start, len(starts) - 1)], 1), error.message
                )
        found.append((batch[k], _syntax_finding(batch[k], alone)))
        start = k + 1
    return sorted(found, key=lambda item: item[0].index)


def _quotes_balance(script: str) -> bool:
    """False when a quote may be left open (shlex's reading; here-documents can fool it)."""
    if script.count("'") % 2 == 0 and script.count('"') % 2 == 0:
        return True  # shlex is slow; an odd count is what an unclosed quote leaves
    try:
        shlex.split(script, comments=True)
    except ValueError:
        return False
    return True


def _first_failing_prefix(units: Sequence[_Unit], start: int, k: int) -> int:
    """The first unit from `start` whose wrapped prefix fails (the one that broke bash)."""
    lo, hi = start, len(units) - 1
    if _bash_n(_wrap(units[start : k + 1])[0]) is not None:
        hi = k
    while lo < hi:
        mid = (lo + hi) // 2
        if _bash_n(_wrap(units[start : mid + 1])[0]) is not None:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _syntax_finding(unit: _Unit, error: _BashError) -> Finding:
    index = min(max(error.line - 1, 0), unit.n_lines - 1)
    lines = unit.script.split("\n")
    while index > 0 and not lines[index].strip():
        index -= 1  # "unexpected end of file" points past the last line
    col = unit.col(index, len(lines[index]) - len(lines[index].lstrip()) + 1)
    what = "console command" if unit.block.kind == "console" else "shell"
    message = re.sub(r"^syntax error:?\s*", "", error.message)
    return finding_at(
        unit.block,
        index,
        col,
        f"{what} syntax error: {message}",
        hint=None
        if "end of file" not in error.message
        else "a quote, bracket, if/fi, do/done or here-document is not closed",
        code=codes.SHELL_SYNTAX,
    )


# --------------------------------------------------------------------------------- shellcheck


def shellcheck_fingerprint(config: Config) -> str:
    """Which shellcheck (if any) checks shell blocks: part of every cached page's key."""
    if not (config.shellcheck and shellcheck_enabled()):
        return "shellcheck: off"
    exe = shutil.which("shellcheck") or ""
    try:
        info = os.stat(exe)
    except OSError:
        return f"shellcheck: {exe}"
    return f"shellcheck: {exe} {info.st_size} {info.st_mtime_ns} {','.join(SHELLCHECK_EXCLUDE)}"


def shellcheck_enabled() -> bool:
    """Shellcheck runs when installed, unless `RUNBOOKDOCS_SHELLCHECK=0` or the config's
    `shellcheck = false` (bash -n always runs)."""
    return os.environ.get("RUNBOOKDOCS_SHELLCHECK", "1") != "0" and bool(shutil.which("shellcheck"))


def shellcheck(
    units: Sequence[_Unit], cache: Cache | None = None, version: str = ""
) -> list[tuple[_Unit, Finding]]:
    """Shellcheck findings for `units`: one file per block, `SHELLCHECK_CHUNK` files per run.

    Shellcheck costs ~1 ms of CPU per block, more than everything else in a check, so its
    comments are cached per script (`cache`, keyed with `version`) and the chunks left run in
    parallel on the machine's cores.
    """
    keys = [digest(version, u.script) for u in units]
    known: dict[str, Any] = cache.get_many("shellcheck", keys) if cache else {}
    comments: dict[int, list[dict[str, Any]]] = {
        n: known[k] for n, k in enumerate(keys) if isinstance(known.get(k), list)
    }
    first: dict[str, int] = {}  # identical scripts (shared snippets) are checked once
    for n, k in enumerate(keys):
        if n not in comments:
            first.setdefault(k, n)
    found: list[tuple[_Unit, Finding]] = []
    try:
        found += _lint(units, keys, first, comments, cache)
    except OSError as err:  # no room for the scripts: a warning, and no cache entry
        u = units[next(iter(first.values()))]
        found.append(
            (u, codes.SHELLCHECK_FAILED.at(u.block.location, f"shellcheck could not run: {err}"))
        )
    for n, k in enumerate(keys):
        if n not in comments and first.get(k, n) in comments:
            comments[n] = [dict(c) for c in comments[first[k]]]
    for n, unit_comments in sorted(comments.items()):
        for c in unit_comments:
            f = _shellcheck_finding(units[n], c)
            if f is not None:
                found.append((units[n], f))
    return found


def _lint(
    units: Sequence[_Unit],
    keys: list[str],
    first: dict[str, int],
    comments: dict[int, list[dict[str, Any]]],
    cache: Cache | None,
) -> list[tuple[_Unit, Finding]]:
    """Run shellcheck on the scripts `first` names; their comments go into `comments`."""
    found: list[tuple[_Unit, Finding]] = []
    if not first:
        return found
    with _scratch(units, list(first.values())) as names:
        files = list(names)
        jobs = max(1, min(4, os.cpu_count() or 1, -(-len(files) // SHELLCHECK_CHUNK)))
        # Chunks of equal size, as many per core: no core is left with a small last one.
        n_chunks = jobs * -(-len(files) // (jobs * SHELLCHECK_CHUNK))
        size = -(-len(files) // n_chunks)
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(_run_shellcheck, chunks))
        fresh: dict[str, list[dict[str, Any]]] = {}
        for chunk, (chunk_comments, problem) in zip(chunks, results, strict=True):
            if problem:
                u = units[names[chunk[0]]]
                found.append(
                    (u, codes.SHELLCHECK_FAILED.at(u.block.location, problem)),
                )
                continue  # not cached: the next check runs shellcheck again
            for name in chunk:
                comments[names[name]] = fresh[keys[names[name]]] = []
            for c in chunk_comments:
                n = names.get(str(c.pop("file", "")), -1)
                if n >= 0:
                    comments[n].append(c)
        if cache and fresh:
            cache.put_many("shellcheck", fresh)
    return found


@contextlib.contextmanager
def _scratch(units: Sequence[_Unit], todo: list[int]) -> Iterator[dict[str, int]]:
    """One file per script to check (file name -> unit number), removed afterwards.

    In memory (/dev/shm) when the machine has it: creating thousands of small files on a disk
    file system can cost more than shellcheck itself (0.65 ms a file measured on a VM's ext4,
    15 us on tmpfs). A full or missing /dev/shm falls back to the usual temporary directory;
    OSError when neither can hold them.
    """
    places = [_SHM, None] if os.path.isdir(_SHM) and os.access(_SHM, os.W_OK) else [None]
    error: OSError = OSError("no temporary directory")
    for place in places:
        try:
            tmp = tempfile.mkdtemp(prefix=f"rbd-shellcheck-{os.getpid()}-", dir=place)
        except OSError as err:
            error = err
            continue
        SCRATCH.add(tmp)
        try:
            names: dict[str, int] = {}
            try:
                for n in todo:
                    name = os.path.join(tmp, f"b{n}.sh")
                    with open(name, "w", encoding="utf-8") as f:
                        f.write(units[n].script + "\n")
                    names[name] = n
            except OSError as err:
                error = err
                continue
            yield names
            return
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            SCRATCH.discard(tmp)
    raise error


_SHM = "/dev/shm"


def _run_shellcheck(files: list[str]) -> tuple[list[dict[str, Any]], str | None]:
    try:
        proc = _run(
            [
                "shellcheck",
                "-f",
                "json1",
                "-s",
                "bash",
                "--severity=info",
                "-e",
                ",".join(SHELLCHECK_EXCLUDE),
                *files,
            ],
            capture_output=True,
            text=True,
            env=_ENV,
            timeout=300,
            errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return [], f"shellcheck could not run: {err}"
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return [], f"shellcheck failed: {proc.stderr.strip()[:200] or 'no output'}"
    comments = data.get("comments", []) if isinstance(data, dict) else []
    return [c for c in comments if isinstance(c, dict)], None


def _shellcheck_finding(unit: _Unit, c: dict[str, Any]) -> Finding | None:
    code = c.get("code")
    level = c.get("level")
    if not isinstance(code, int) or code == 1009:  # 1009: "the mentioned syntax error was..."
        return None
    if code == 2215 and _first_statement(unit.script, c.get("line")):
        return None  # flags on the block's first line are a list of flags, not a broken line
    if code == 2215 and _broken_above(unit.script, c.get("line")):
        return None  # one finding for a run of `--flag x \  # note` lines: the first one
    if code == 2094 and (
        _writes_derived_names(unit.script, c.get("line"))
        or _names_no_file(unit.script, c)
        or _read_in_container(unit.script, c)
    ):
        return None
    parser = code < 2000
    # bash is the judge of bash syntax: shellcheck's own parse errors are warnings unless
    # bash -n agrees (then check_shell drops them in favour of bash's message).
    severity: Severity = "error" if level == "error" and not parser else "warning"
    line = c.get("line")
    col = c.get("column")
    index = (line if isinstance(line, int) else 1) - 1
    index = min(max(index, 0), unit.n_lines - 1)
    return finding_at(
        unit.block,
        index,
        unit.col(index, col if isinstance(col, int) else 1),
        f"shellcheck SC{code}: {c.get('message')}",
        severity,
        tool_code=f"SC{code}",
        hint=f"https://www.shellcheck.net/wiki/SC{code} (or '# shellcheck disable=SC{code}' "
        "in the block)",
        code=codes.SHELLCHECK,
    )


_WRITE = re.compile(r"(?<![<>&0-9])[0-9]?>>?(?![&>(])[ \t]*")


def _writes_derived_names(script: str, line: object) -> bool:
    """True when every file that 1-based `line` of `script` writes (`> word`, `>> word`) is
    named by a command substitution (`> $(dirname $f)/$(basename $f .gz)`): a name made from
    the file read, not that file. Shellcheck's SC2094 sees the same variable on both sides of
    the command and says the file is read and written at once; it says nothing when the name
    is written out (`> $f.new`), and the substitution only spells the name another way."""
    if not isinstance(line, int) or not 0 < line <= script.count("\n") + 1:
        return False
    text = script.split("\n")[line - 1]
    targets = [_redirect_word(text, m.end()) for m in _WRITE.finditer(text)]
    return bool(targets) and all("$(" in t or "`" in t for t in targets)


def _redirect_word(text: str, start: int) -> str:
    """The word of `text` that starts at `start`, a `$( ... )` in it read as a whole."""
    depth = 0
    i = start
    while i < len(text):
        if text.startswith("$(", i):
            depth += 1
            i += 2
            continue
        ch = text[i]
        if ch == ")" and depth:
            depth -= 1
        elif depth == 0 and (ch in " \t;|&<>" or ch == ")"):
            break
        i += 1
    return text[start:i]


_FILE_READERS_TEXT = """
    cat tac nl head tail sort uniq cut paste join comm wc tr fold fmt pr expand unexpand column
    rev shuf split csplit od xxd hexdump strings base32 base64 md5sum sha1sum sha256sum
    sha512sum cksum sum grep egrep fgrep zgrep rg ag sed awk gawk mawk perl python python2
    python3 ruby node bash sh zsh dash source . less more diff cmp patch jq yq envsubst iconv
    dos2unix unix2dos gzip gunzip zcat bzip2 bunzip2 bzcat xz unxz xzcat zstd lz4 tar zip unzip
    cp mv dd install ln tee openssl gpg sops xargs
"""
_FILE_READERS = frozenset(_FILE_READERS_TEXT.split())
"""Commands whose operands are files they read (filters, interpreters, archivers, copiers):
a bare word among their arguments may be the file a redirection of the pipeline writes."""
_WRAPPERS = frozenset({"sudo", "doas", "env", "nohup", "time", "command", "exec", "nice"})
_SEPARATORS = frozenset({"|", "||", "&&", ";", "&", "|&", "(", ")", ";;"})
_BARE_NAME = re.compile(r"[A-Za-z][\w-]*")


def _reported_tokens(script: str, c: dict[str, Any]) -> tuple[str, list[str]] | None:
    """The word a shellcheck comment `c` points at and the tokens of the lines its pipeline
    runs over (words, operators); None when they cannot be told."""
    line, col, end = c.get("line"), c.get("column"), c.get("endColumn")
    if not (isinstance(line, int) and isinstance(col, int) and isinstance(end, int)):
        return None
    lines = script.split("\n")
    if not 0 < line <= len(lines):
        return None
    word = lines[line - 1][col - 1 : end - 1]
    # The pipeline may run over lines (`\` or `|` at the end); shellcheck reports each side
    # of it on its own line.
    first = last = line - 1
    while first > 0 and lines[first - 1].rstrip().endswith(("\\", "|")):
        first -= 1
    while last < len(lines) - 1 and lines[last].rstrip().endswith(("\\", "|")):
        last += 1
    text = " ".join(ln.rstrip().removesuffix("\\") for ln in lines[first : last + 1])
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:  # an open quote: the words cannot be told apart
        return None
    return word, tokens


def _reported_pipeline(script: str, c: dict[str, Any]) -> tuple[str, list[list[str]]] | None:
    """The word a shellcheck comment `c` points at and the simple commands of its pipeline,
    each as its words without redirections and their targets; None when they cannot be told."""
    found = _reported_tokens(script, c)
    if found is None:
        return None
    word, tokens = found
    commands: list[list[str]] = [[]]
    target = False
    for token in tokens:
        if token in _SEPARATORS:
            commands.append([])
        elif set(token) <= set("<>&"):
            target = True  # `>`, `>>`, `<`, `&>`: the next word is the redirection's
        elif target:
            target = False
        else:
            commands[-1].append(token)
    return word, commands


_CONTAINER_CLIENTS = frozenset({"docker", "podman", "nerdctl", "kubectl", "oc"})
_MOUNTS = re.compile(r"-v|--volume|--mount|--volumes-from")


def _read_in_container(script: str, c: dict[str, Any]) -> bool:
    """True when the file SC2094 reports is read by a command run in a container and the
    redirection writes the host's file of that name (`docker run --rm img cat /usr/bin/x >
    /usr/bin/x`, `podman run`, `docker exec ctr cat f > f`, `kubectl exec pod -- cat f > f`):
    two files, one inside the container, one outside. In each pipeline that writes the file,
    every command naming it must be a container client's `run` or `exec`, with no volume
    mounted (`-v`, `--mount`: a mount may make them one file); `cat f > f` on the host, or a
    `< f` the host reads, stays reported."""
    found = _reported_tokens(script, c)
    if found is None:
        return False
    word, tokens = found
    # pipelines of the line: (commands, files written)
    pipelines: list[tuple[list[list[str]], set[str]]] = [([[]], set())]
    redirect = ""
    for token in tokens:
        if redirect:
            if "<" in redirect and token == word:
                return False  # `< f`: the host's file is read
            if ">" in redirect:
                pipelines[-1][1].add(token)
            redirect = ""
        elif token in ("|", "|&"):
            pipelines[-1][0].append([])
        elif token in _SEPARATORS:
            pipelines.append(([[]], set()))
        elif set(token) <= set("<>&"):
            redirect = token
        else:
            pipelines[-1][0][-1].append(token)
    seen = False
    for commands, written in pipelines:
        if word not in written:
            continue
        for words in commands:
            while words and (words[0] in _WRAPPERS or words[0].startswith("-") or "=" in words[0]):
                words = words[1:]  # `sudo -E`, `env A=1`: the command is the word after them
            if word not in words[1:]:
                continue
            if not _container_reads(words, word):
                return False
            seen = True
    return seen


def _container_reads(words: list[str], word: str) -> bool:
    """True when the simple command `words` runs in a container the command that names
    `word` (`docker run img cat word`, `kubectl exec pod -- cat word`), no volume mounted."""
    client = os.path.basename(words[0])
    if client not in _CONTAINER_CLIENTS or any(_MOUNTS.match(w) for w in words):
        return False
    verbs = [w for w in words[1:4] if not w.startswith("-")]
    if client in ("kubectl", "oc"):
        # `kubectl exec pod -- cat f`: the file is named after the `--`
        return bool(verbs) and verbs[0] == "exec" and "--" in words[: words.index(word)]
    return bool(verbs) and (
        verbs[0] in ("run", "exec") or verbs[:2] in (["container", "run"], ["container", "exec"])
    )


def _names_no_file(script: str, c: dict[str, Any]) -> bool:
    """True when the word SC2094 reports (`k0s kubeconfig admin > kubeconfig`) is, wherever it
    is not a redirection's target, a subcommand: a bare name (no `/`, no extension, no `$`)
    among the words right after a command that reads no file operand, before its first
    option. Shellcheck compares words alone, so a command named like the file it writes is
    "read" too. The word stays reported where it may be read as a file: an operand of a
    filter (`sort f > f`, `sed 's/a/b/' f > f`), an option's value (`--config f > f`), a
    path or a name with an extension, a variable, a `< f` on the same pipeline.

    Commands are told apart by what they are known to read, not by a list of tools with
    subcommands: those are countless (`kubectl`, `k0s`, `helm`...), while the commands that
    take files as operands are few and well known."""
    found = _reported_pipeline(script, c)
    if found is None:
        return False
    word, commands = found
    if not _BARE_NAME.fullmatch(word):
        return False
    seen = False
    for words in commands:
        while words and (words[0] in _WRAPPERS or words[0].startswith("-") or "=" in words[0]):
            words = words[1:]  # `sudo -E`, `env A=1`: the command is the word after them
        if word not in words[1:]:
            continue
        if os.path.basename(words[0]) in _FILE_READERS:
            return False
        options = next((k for k, w in enumerate(words) if w.startswith("-")), len(words))
        if word in words[options:]:
            return False
        seen = True
    return seen


def _broken_above(script: str, line: object) -> bool:
    """True when the line above 1-based `line` of `script` is flags of their own, ended with
    `\\ # note` (a `\\` that does not continue): the break was reported there, or the flags
    stand first in the block; each line below it breaks in the same way."""
    if not isinstance(line, int) or line < 2:
        return False
    lines = script.split("\n")
    above = lines[line - 2] if line - 2 < len(lines) else ""
    before = lines[line - 3] if line >= 3 else ""
    return (
        _COMMENTED_CONTINUATION.search(_unquoted(above)) is not None
        and _OPTION_FIRST.match(above) is not None
        and not before.rstrip().endswith("\\")
    )


def _first_statement(script: str, line: object) -> bool:
    """True when no command stands above 1-based `line` of `script`."""
    if not isinstance(line, int):
        return False
    above = script.split("\n")[: max(line - 1, 0)]
    return not any(ln.strip() and not ln.lstrip().startswith("#") for ln in above)


# ------------------------------------------------------------------ {name} without the dollar

_ASSIGN = re.compile(r"(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+)?([A-Za-z_]\w*)=")
_BARE_BRACE = re.compile(r"(?<![$%\w{]){([A-Za-z_]\w*)}(?!})")
"""`{name}` alone; `%{name}` is a program's own format (curl's `-w %{http_code}`, unquoted
or not), left to the program by the shell, and `${name}` would be wrong there."""


@page_check
def brace_without_dollar(doc: Document, ctx: CheckContext) -> list[Finding]:
    """`{tag}` in a command where `tag` is a shell variable of the page: a forgotten `$`.

    The shell leaves `{tag}` as it is, so `docker push image:{tag}` pushes a tag literally
    named "{tag}". Brace expansion (`{a,b}`, `{1..3}`) and `${tag}` are not matched.
    """
    blocks = [b for b in doc.blocks if b.kind in ("shell", "console")]
    if not any("{" in b.source and _BARE_BRACE.search(b.source) for b in blocks):
        return []  # most pages: no `{name}` anywhere, so the variables need not be known
    scripts = [(b, console_script(b).text if b.kind == "console" else b.source) for b in blocks]
    assigned = {m.group(1) for _, text in scripts for m in _ASSIGN.finditer(text)}
    assigned |= set(doc.front.variables) | set(doc.front.secrets)
    out: list[Finding] = []
    for block, text in scripts:
        for i, line in enumerate(text.split("\n")):
            if line.lstrip().startswith("#") or "{" not in line:
                continue
            for m in _BARE_BRACE.finditer(line):
                if m.group(1) in assigned:
                    out.append(
                        finding_at(
                            block,
                            i,
                            m.start() + 1,
                            f"'{m.group(0)}' is not expanded by the shell: did you mean "
                            f"'${m.group(0)}'?",
                            "warning",
                            hint=f"'{m.group(1)}' is a variable of this page",
                            code=codes.BRACE_WITHOUT_DOLLAR,
                        )
                    )
    return out


# -------------------------------------------------------------------- placeholder arguments

_ANGLE = (
    # `<--other-flags>`: options to fill in, written as a placeholder like the others; a
    # name in any script (`<命令>`, `<имя>`) as in Latin letters.
    r"<(?:(?:--)?[^\W\d_](?:[^<>\n]{0,80}[^\s<>=])?|\"[^\"\n]*\"|\.{2,}|…"
    # `<none|gzip|zstd-fastest>`, `<25|465|587>`: a choice among values, however many (no
    # space inside), words or numbers.
    r"|[\w.-]+(?:\|[\w.-]+)+(?=>(?![\w/.~$])))>"
)
# `</path/to/file>`: a path to fill in (`cmd </in>/out`, two redirections, is not one).
_ANGLE_PATH = r"<[/~][\w./~-]{0,80}>(?![\w/.~$])"
# `[ ... arguments (see above) ... ]`: what was left out of a command, said in words.
_ELIDED_ARGS = r"\[[ \t]*(?:\.{3}|…)[^\[\]\n]{0,80}?(?:\.{3}|…)[ \t]*\](?![\w/.~$])"
# `(REPO_PATH | REPO_URL)`: a choice between values to fill in, written in capitals (usage
# notation; no script runs a subshell of commands named so).
_ALTERNATIVES = r"\([ \t]*[A-Z][A-Z0-9_]+(?:[ \t]*\|[ \t]*[A-Z][A-Z0-9_]+)+[ \t]*\)(?![\w/.~$(])"
_PLACEHOLDER_ARG = re.compile(
    rf"(?<![<$])(?:{_ANGLE}(?!>)|{_ANGLE_PATH})|(?<![$%\w{{]){{[A-Za-z_][\w-]*}}(?!}})"
    rf"|(?<![\w$]){_ELIDED_ARGS}|(?<![\w$(]){_ALTERNATIVES}"
)
"""`<word>`, `<"text">`, `</path>`, `{word}`, `[ ... words ... ]` or `(WORD | WORD)`; not
`%{word}` (curl's `-w '%{http_code}'` write-out variables, log formats: the program reads
them, written as they are)."""
_HEREDOC_START = re.compile(r"<<-?[ \t]*(['\"]?)([A-Za-z_][\w.-]*)\1")
_DOUBLE_ANGLE = re.compile(r"<<[ \t]?([A-Za-z](?:[^<>\n]{0,80}[^\s<>])?)[ \t]?>>(?![\w/.~$>])")
"""`--user=<<name@example.com>>`, `<< pod-name >>`: a placeholder in double angle brackets (a
space inside them or not), closed on its line,
after `=` or not a word a here-document would end with (and none when a later line is its
word: `cat <<EOF>>"$LOG"`)."""


@dataclass(frozen=True)
class PlaceholderArg:
    """A `<word>`, `<"text">`, `<...>` or `{word}` written where the reader types a value."""

    index: int
    """0-based line of the script."""
    start: int
    """0-based column in that line."""
    text: str


def placeholder_args(script: str) -> list[PlaceholderArg]:
    """Placeholders outside quotes, comments and here-documents (where the shell would read
    `<word>` as a redirection and `{word}` as a literal word). A quote inside a placeholder
    (`<the bug's commit>`) belongs to the placeholder."""
    if not any(c in script for c in "<{[("):
        return []
    found: list[PlaceholderArg] = []
    heredoc: list[str] = []
    quote = ""
    # `"$(cmd <arg>)"`: each `$(` opened inside double quotes is a command again until its
    # `)`; the parentheses still open in each, innermost last.
    within: list[int] = []
    lines = script.split("\n")
    for index, line in enumerate(lines):
        if heredoc:
            if line.strip() == heredoc[0]:
                heredoc.pop(0)
            continue
        i = 0
        while i < len(line):
            ch = line[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\" and quote == '"':
                    i += 1
                elif quote == '"' and line.startswith("$(", i) and not line.startswith("$((", i):
                    within.append(0)
                    quote = ""
                    i += 2
                    continue
                i += 1
                continue
            if within and ch in "()":
                if ch == ")" and not within[-1]:
                    within.pop()
                    quote = '"'
                else:
                    within[-1] += 1 if ch == "(" else -1
                i += 1
                continue
            if line.startswith("<<", i) and (d := _DOUBLE_ANGLE.match(line, i)) is not None:
                word, h = d.group(1), _HEREDOC_START.match(line, i)
                ends = {word, h.group(2) if h is not None else word}
                if (line[i - 1 : i] == "=" or not word.isidentifier()) and not any(
                    later.strip() in ends for later in lines[index + 1 :]
                ):
                    found.append(PlaceholderArg(index, i, d.group()))
                    i = d.end()
                    continue
            if ch in "<{[(":
                m = _PLACEHOLDER_ARG.match(line, i)
                if m is not None:
                    found.append(PlaceholderArg(index, i, m.group()))
                    i = m.end()
                    continue
                h = _HEREDOC_START.match(line, i)
                if h is not None:
                    heredoc.append(h.group(2))
                    i = h.end()
                    continue
            if ch == "\\":
                i += 2
                continue
            if ch in "'\"":
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t;|&("):
                break  # a comment: the rest of the line is not the command's
            i += 1
    return found


_TAG_NAME = re.compile(r"^</?([A-Za-z][\w.-]*)>$")
_EMAIL = re.compile(r"<[\w.+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})>")
_EXAMPLE_DOMAIN = re.compile(r"(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid)$", re.I)


def _email_written(found: PlaceholderArg, script: str) -> bool:
    """True when `found` is an e-mail address written the way mail headers, Dockerfiles and
    git authors write one (`MAINTAINER Jane Ops <ops@acme.io>`): a word of its own after a
    name, at a real domain: a value already filled in. `--user=<name@example.com>` (glued to
    an option, or at a domain reserved for examples) is one to fill in."""
    m = _EMAIL.fullmatch(found.text)
    if m is None or _EXAMPLE_DOMAIN.search(m.group(1)):
        return False
    line = script.split("\n")[found.index]
    return found.start > 0 and line[found.start - 1] in " \t"


def _without_markup(found: list[PlaceholderArg]) -> list[PlaceholderArg]:
    """`found` without the tags that open and close an element (`<cert>` ... `</cert>`, an
    OpenVPN profile's inline files, XML): markup shown as it is, not values to fill in. (They
    stay masked for bash: the block is not shell, and its findings say so once.)"""
    texts = {p.text for p in found}
    closed = {n for t in texts if (m := _TAG_NAME.match(t)) and f"</{(n := m.group(1))}>" in texts}
    closed = {n for n in closed if f"<{n}>" in texts}
    if not closed:
        return found
    return [p for p in found if (m := _TAG_NAME.match(p.text)) is None or m.group(1) not in closed]


def mask_placeholders(script: str) -> str:
    """`script` with each placeholder argument made a plain word of the same width
    (`<podname>` -> `_podname_`), so bash and shellcheck judge the command around it."""
    found = placeholder_args(script)
    if not found:
        return script
    lines = script.split("\n")
    for p in found:
        line = lines[p.index]
        word = "_" + re.sub(r"[^\w]", "_", p.text[1:-1]) + "_"  # no quote, no space left
        lines[p.index] = line[: p.start] + word + line[p.start + len(p.text) :]
    return "\n".join(lines)


def typed_lines(block: Block, script: str) -> set[int] | None:
    """The lines of a shell block's `script` that the reader types: the lines of its commands,
    and a URL alone on its line (pasted into a browser), not the output shown under them
    (`<none>` in a table, `Commit: <git SHA>`). None when every line is typed: console blocks
    and sessions, whose output is already left out of `script`.

    In a block that is mostly output, a line is a command only if it starts with a well-known
    command: output often has lines no pattern knows (`  size   <integer>`). So is a line
    under output in any block (`uid   Jane Ops <ops@example.com>` under a key listing's rule):
    the output goes on until a command starts again."""
    if block.kind != "shell" or block_session(block) is not None:
        return None
    found = statements(script)
    lines = script.split("\n")
    mostly_output = bool(found) and sum(st.output for st in found) / len(found) >= OUTPUT_SHARE
    typed: set[int] = set()
    under_output = False
    for st in found:
        first = lines[st.start]
        if st.output:
            command = _URL_LINE.match(first) is not None
        else:
            command = not (mostly_output or under_output) or looks_like_commands(first)
        if command:
            typed.update(range(st.start, st.end + 1))
        under_output = not command
    return typed


_URL_LINE = re.compile(r"^\s*https?://\S+\s*$")


_DNS_ANSWER = re.compile(r"[ \t]*[\w<>-]+(?:\.[\w<>-]+)+\.(?:\s|$)")
"""`ns-1.<provider>-18.net. 3600 IN NS ...`: a name server's answer, a domain name ending in
a dot first (which no command is called)."""


@page_check
def placeholder_arguments(doc: Document, ctx: CheckContext) -> list[Finding]:
    """One warning per shell or console block that holds placeholder arguments: the block
    cannot run as written, and the warning says how to make them variables."""
    out: list[Finding] = []
    variables = set(doc.front.variables) | set(doc.front.secrets)
    for block in doc.blocks:
        script = block_script(block)
        if script is None or not any(c in script.text for c in "<{[("):
            continue
        if (
            block.kind == "shell"
            and not doc.is_runbook
            and shell_is_other(block.source, runbook=False)
        ):
            # Labels, properties, PowerShell: `<name>` there is no shell redirection; the
            # block's one finding (RBD309) says what it is.
            continue
        assigned = variables | {m.group(1) for m in _ASSIGN.finditer(script.text)}
        typed = typed_lines(block, script.text)
        # A line that starts with a domain name ending in `.` is a DNS answer: no command.
        lines = script.text.split("\n")
        found = [
            p
            for p in _without_markup(placeholder_args(script.text))
            # `{tag}` where tag is a variable of the page is a forgotten `$` (RBD306).
            if not (p.text.startswith("{") and p.text[1:-1] in assigned)
            and (typed is None or p.index in typed)
            and not _email_written(p, script.text)
            and not _DNS_ANSWER.match(lines[p.index])
        ]
        if not found:
            continue
        first = found[0]
        names = list(dict.fromkeys(p.text for p in found))
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        # A variable's name is ASCII (`{{ name }}`, `$NAME`): a placeholder named in another
        # script (`<命令>`) gets a neutral example.
        example = re.sub(r"[^A-Za-z0-9_]+", "_", names[0].strip('<>{}"')).strip("_").lower()
        if not example or example[0].isdigit():
            example = "value"
        out.append(
            finding_at(
                block,
                first.index,
                script.col(first.index, first.start + 1),
                f"placeholder argument(s) {shown}: the shell reads '<word>' as a redirection "
                "and '{word}' as itself, so this block cannot run as written",
                hint=f"make them variables: {{{{ {example} }}}} declared under "
                f"runbook.variables (or ${example.upper()} set by an earlier step); "
                "tag the block `text` if it is not meant to run",
                code=codes.PLACEHOLDER_ARGUMENT,
            )
        )
    return out


# ------------------------------------------------------------------ output tagged as shell

OUTPUT_SHARE = 0.5
"""Share of a shell block's lines that look like output above which its shell findings are
replaced by one: the block is output, logs or help text, not commands."""

_OUTPUT_LINE = re.compile(
    r"""(?x)^\s*(?:
        (?:\^C)?\[?\d{4}(?:-\d{2}-|/\d{2}/)\d{2}[T\s]\d{1,2}:\d{2}  # ISO, 2021/02/05 too
      | \[\d{1,2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}              # [05/Feb/2021:22:17:09 +0000]
      | \[?\d{1,2}:\d{2}:\d{2}                              # clock times
      | [A-Z][a-z]{2}\s+\d{1,2}\s\d{2}:\d{2}                  # syslog: Nov 30 17:59
      | [IWEF]\d{4}\s+\d{2}:\d{2}                            # klog: I1130 17:59
      | (?:INFO|WARN|WARNING|ERROR|DEBUG|TRACE|FATAL|NOTICE|Warning|Normal)\b
      | level=\w+ | time="?\d
      | (?:<nil>\s+)?(?:TRC|DBG|INF|WRN|ERR|FTL|PNC)\s+\S       # zerolog: <nil> INF msg k=v
      | \{"\w+":                                             # JSON log lines
      | Usage: | usage: | Options: | Flags: | Examples?: | Available\ Commands:
      | -\w,\s+--(?:\[no-\])?\w                              # help: -f, --file, -q, --[no-]q
      | --?[A-Za-z][\w-]*(?:[ =][^\s,/]+)?(?:\s*[,/]\s*--?[A-Za-z][\w-]*(?:[ =][^\s,/]+)?)+
        (?:\s{2,}\S|\s*$)                         # help: --force, -f  text; -c F, --conf F
      | --(?:\[no-\])?\w[\w-]*(?:[ =]\S+)?\s{2,}\S             # help: --file=F  text
      | (?:\S+\s{2,}){2,}\S                                  # table rows: columns
      | \(?[A-Za-z][\w .()/-]*:(?:\s|$)                      # key: value, (pseudo-header):
      | https?(?:\(s\))?://\S+\s*$                   # a URL alone on its line, http(s):// too
      | [?&][\w.%\[\]-]+=\S*\s*$                                # its query, one line each: &a=b
      | [\w.@-]+:(?:\$(?:apr1|2[abxy]?|1|5|6|y|md5)\$[./\w$]+|\{S?SHA\}\S+)\s*$  # htpasswd
      | "[\w.-]+"="                                            # logfmt: "msg"="text"
      | \w[\w.]*-[\w.-]*=\S                                     # name-with-dash=value
      | [a-z][a-z0-9]*(?:_[a-z0-9]+)+:\S*\s*$                    # a field: used_cpu_sys:0.76
      | [a-z]\w*:[\w.-]+=[^\s,]*(?:,[\w.-]+=[^\s,]*)+\s*$      # fields: db0:keys=1,expires=0
      | [a-z][\w.-]*/[\w.:-]+\s+(?:created|configured|unchanged|deleted|patched|labeled
         |annotated|scaled|restarted|exposed|replaced|edited|tainted|cordoned|uncordoned
         |drained|evicted|serverside-applied|rolled\ back|paused|resumed)\b  # kind/name done
      | [^\x00-\x7f]                                           # ✓ ➜ •: progress, prompts
      | [|`]--\s                                             # tree drawings: |-- child
      | \+[-=+]{3,}\+?\s*$                                   # table borders: +----+---+
      | (?:-{3,}|={3,})\s*$                                  # a rule, a document separator
      | ==\ ?[A-Za-z][\w.-]*(?:\ [\w.-]+)?\ ?==\s                # a prefixed log line: == APP ==
      | ={2,}\ \S.*                                           # a step's report: == 2024-x: done
      | [\w.-]+(?:\ [\w.-]+)?\ [(\[](?:[A-Za-z]+:\ ?)?v?\d+(?:\.\d+)+[,)\]]  # psql (16.2, server..)
      | (?:>\ )?[A-Za-z_][\w.-]*(?:,[\w.-]+=[^\s,]+)+\ [\w.-]+=[^\s,]+(?:,[\w.-]+=[^\s,]+)*
        (?:\ \d{9,})?\s*$                                     # line protocol: cpu,host=a x=1 T
      | -\s+[\w.-]+:(?:\s|$)                                  # a YAML item: - image: x
      | [a-z0-9][\w.-]*\.[a-z]{2,}/[\w.-]+=\S                 # a label: example.com/key=value
      | [~.]?/[^\s;|&<>]*/\s*$                                # a directory shown: /srv/app/
      | (?:<[A-Za-z][^<>\s]*>|[^\s=/<>'"]+)/[^\s<>'"]*\?[\w.-]+=[^\s<>'"]*\s*$
                # a URL without its scheme, with a query: <host>/sign_in?code=1, host:80/a?b=c
      | \|[^|]*\|.*\|\s*$                                     # table rows: | a | b |
      | [\w.-]+\s+=\s+\S                                        # key = value (configuration)
      | (?!test\b)(?:[a-z],\s+)?[a-z][\w-]*(?:\s+(?:<[^<>\s]+>|\[[^\]\n]*\]|_\w+_))*\s+=\s+\S
                # a help entry: `fixup <commit> = like squash` (`_commit_` once masked)
      | [A-Z][A-Z\ ]*(?:\ \[[^\]\n]*\])?:?\ \*{3,}\s*$        # a banner: TASK [name] ****
      | [-dlcbps][r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-][.+@]?\s+\d  # ls -l: -rw-r--r--. 1
      | total\s+\d[\d.,]*[KMGT]?\s*$                            # ls -l: total 44K
      | HTTP/\d(?:\.\d)?\s+\d{3}\b                             # a status line: HTTP/1.1 200 OK
      | [<>](?:\s*$|\s+(?:HTTP/|[A-Z]+\s+\S+\s+HTTP/|[\w-]+:\s))  # curl -v: > GET / HTTP/1.1
      | \*\s+\S                                             # curl -v: * Connected to x
      | <(?:!DOCTYPE|!--|/?(?:html|head|body|title|center|h[1-6]|hr|br|p|div|span|a|meta|link
         |script|style|pre|table|tr|td|th|ul|ol|li|b|i|em|strong|form|input)(?=[\s/>]))  # HTML
      | \[\s*\d+\.\d+\]                                        # kernel log: [   61.190916]
      | \[[A-Za-z]\w*\ @\ 0x[0-9a-f]+\]                           # libav log: [Name @ 0x55d0]
      | \S+\s+\d{1,3}%\s*\|[*\#=>\s.-]*\|                         # a progress bar: x  5% |** |
      | (?:Get|Hit|Ign|Err):\d+\s                             # apt: Get:1 http://...
      | [\w.:()-]+>\s*$                                       # a client's prompt alone: mysql>
      | (?:/\*.*?\*/\s*)?(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO|SHOW
         |CREATE\s+(?:TABLE|INDEX|DATABASE|USER|VIEW)|DROP\s+(?:TABLE|DATABASE|INDEX|USER|VIEW)
         |ALTER\s+TABLE|GRANT|REVOKE|EXPLAIN|ATTACH(?=\s+')|COPY\s+\S+\s+(?:FROM|TO))\s  # SQL
      | /\*                                                  # a C or SQL comment
      | \d                                                  # counts, sizes, ids
    )"""
)
_SQL_CLAUSE = re.compile(
    r"^\s*(?:FROM|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|LIMIT|OFFSET|UNION|VALUES|RETURNING|AND|OR"
    r"|(?:(?:LEFT|RIGHT|INNER|OUTER|FULL|CROSS)\s+)*JOIN)\b"
)
"""An SQL clause, in upper case, starting a line: under a query, the same query."""
_SQL_CLIENT_LINE = re.compile(r"^\s*(?:mysql|mariadb|MySQL|MariaDB)(?: \[[^\]\n]*\])?>\s")
"""A line typed at a MySQL or MariaDB client's prompt (`mysql> `, `MariaDB [shop]> `): SQL. No
script starts a line with `mysql> word` (a command `mysql` writing to a file named `word`)."""
_SQL_END = re.compile(r"(?:;|\\G)\s*$")
_QUERY_LINE = re.compile(
    r"""(?x)
        \b(?:sum|rate|irate|increase|avg|max|min|count|topk|bottomk|histogram_quantile
           |label_replace|absent|delta|deriv|predict_linear|scalar|avg_over_time
           |max_over_time|min_over_time|sum_over_time|count_over_time|group_left|group_right
           |ignoring|on)\s*(?:by|without)?\s*\(
      | \w\\?\{[^}]*=~?"[^"]*"[^}]*\}                       # metric{label="value"}, \{ too
      | ^\s*\{\w+=~?"                                        # a LogQL stream: {job="x"} ...
      | \[\d+[smhdw]\]                                      # range selectors
      | ^\s*(?://|[-/*+](?=\s|$)|\)|,|==)\s*\S*\s*$         # operators on their own line
      | ^\s*[<>]=?\s*(?:bool\s+)?-?\d[\d.]*\s*$                # a threshold: > 0.5
    """
)


def query_line(line: str) -> bool:
    """True when `line` reads as part of a PromQL or LogQL query (a function over a series,
    `metric{label="value"}`, a range selector, an operator on its own line, a threshold)."""
    return bool(_QUERY_LINE.search(line))


@dataclass(frozen=True)
class Statement:
    """A statement of a shell block as `statements` reads it: a command with the lines that
    continue it, or one line of output."""

    start: int
    """0-based first line."""
    end: int
    """0-based last line (continuation lines, an open quote, here-document bodies)."""
    output: bool
    """True when it is program output, logs, help text, a query, pseudo-code or a sentence."""


def statements(source: str) -> list[Statement]:
    """The statements of `source` (blank lines and comments are none): commands, with the
    lines that continue them (`\\`, a pipe or `&&` at the end, a quote left open, here-document
    bodies), and output lines. A JSON document, a Prometheus sample written over several lines
    (`name{` ... `} value`) or a PEM block is output line by line.

    An elision line (`...`, `…`) is none either: it stands for lines left out, so the lines
    around it are read as if adjacent (a JSON document, a table, a diagram or a stack trace cut
    short is still one), and it weighs neither for output nor for commands."""
    lines = source.split("\n")
    kept = [i for i, line in enumerate(lines) if not _ELISION.match(line)]
    if len(kept) == len(lines):
        return _statements(lines)
    return [
        Statement(kept[st.start], kept[st.end], st.output)
        for st in _statements([lines[i] for i in kept])
    ]


def _statements(lines: list[str]) -> list[Statement]:
    data = _data_regions(lines) | _typed_into_program(lines) | _result_tables(lines)
    data |= _directory_tree(lines) | _typed_into_editor(lines) | _box_diagram(lines)
    data |= _bordered_tables(lines) | _help_text(lines)
    client = client_session_lines(lines)
    data |= client
    # A line ending with `\ # note` was written to go on (bash ends it there): it and the
    # line under it are the command's, however much the flags and notes look like help text.
    meant = {i for i, line in enumerate(lines) if _COMMENTED_CONTINUATION.search(_unquoted(line))}
    meant |= {i + 1 for i in meant}
    found: list[Statement] = []
    after_output = False
    table = False
    nested: int | None = None  # indentation of the output lines nested under an output line
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            table = False
        if not line.strip() or line.lstrip().startswith("#"):
            i += 1
            continue
        if table and not looks_like_commands(line):
            # A row under a table's header (`NAME   READY   STATUS`), however its columns
            # are spaced: the table goes on to the next blank line.
            found.append(Statement(i, i, True))
            i += 1
            continue
        table = _TABLE_HEADER.match(line) is not None
        if table:
            found.append(Statement(i, i, True))
            after_output = True
            i += 1
            continue
        if i in data:
            found.append(Statement(i, i, True))
            after_output = True
            i += 1
            continue
        if _SQL_CLIENT_LINE.match(line):
            # A statement typed into a MySQL client goes on to its `;` (the client's `->`
            # continuation prompts are seldom shown): every line of it is SQL.
            end = next(
                (j for j in range(i, len(lines)) if _SQL_END.search(lines[j]) or not lines[j]),
                len(lines) - 1,
            )
            found.append(Statement(i, end, True))
            after_output = True
            i = end + 1
            continue
        indent = _indent(line)
        # A help text's description wrapped onto the next lines, aligned far right under the
        # line above, or the frames of a stack trace indented right under its title: output
        # when that line was.
        nested = nested if found and found[-1].end == i - 1 else None
        under = bool(found) and found[-1].end == i - 1 and indent >= _indent(lines[i - 1]) + 4
        under = under or (nested is not None and indent >= nested)
        output = (after_output and (indent >= _WRAPPED_INDENT or under)) or _not_shell(line)
        # `FROM t`, `WHERE x`, `GROUP BY y` under a query's first lines: the query goes on.
        output = output or (after_output and _SQL_CLAUSE.match(line) is not None)
        nested = indent if output and under else None
        if (_OPTION.match(line) and not _HELP_OPTION.match(line)) or (
            _ITEM.match(line) and not output
        ):
            # `--name=value` alone: a list of options (a program's arguments, one a line) at
            # the top or under other options; under a command, a `\` forgotten above it (not
            # `--name=value:`, a help entry whose text follows). A list item (`- touch /tmp/x`,
            # a YAML list of commands) likewise: no command starts with a lone `-`.
            output = not found or found[-1].output
        elif _OPTION_FIRST.match(line) and found and found[-1].output:
            # Options with a note or a placeholder after them (`--update=true (default)`) under
            # output or a label (`flags:`): a listing for a reader, no command to continue.
            output = True
        if i in meant:
            output = False
        end = i if output else _statement_end(lines, i)
        # A client's session starts at its first prompt, whatever a line above left open
        # (`If you don't see a command prompt`, a message the client's start printed).
        end = min([end, *(k - 1 for k in client if i < k <= end)])
        found.append(Statement(i, end, output))
        after_output = output
        i = end + 1
        quoted = i
        while quoted < len(lines) and _QUOTED_OUTPUT.match(lines[quoted]):
            quoted += 1
        if not output and (quoted - i >= 2 or (quoted > i and _REPL.match(line))):
            # `> NAME   TYPE ...` lines right under a command: its output, each line marked
            # with `> ` as a quotation (bash would read redirections without a command). Under
            # a command that opens a program's prompt (`go tool pprof URL`, `psql`), one
            # such line is what the reader types at that prompt (`> exit`).
            found.extend(Statement(k, k, True) for k in range(i, quoted))
            after_output = True
            i = quoted
    return found


def _indent(line: str) -> int:
    """Indentation of `line`, a tab counted to the next multiple of 8."""
    text = line.expandtabs(8)
    return len(text) - len(text.lstrip())


_OPTION = re.compile(
    r"^\s*(?:--?[A-Za-z][\w.-]*(?:=\S*)?[ \t]+)*--?[A-Za-z][\w.-]*(?:[= ]\S*)?\s*(?:\s#.*)?$"
)
"""Options alone on a line, one or several (`--name=value`, `--a=x --b=y --c`): a program's
arguments listed for a reader, with no command before them."""
_OPTION_FIRST = re.compile(r"^\s*--?[A-Za-z][\w.-]*(?:[= ]|$)")
_ITEM = re.compile(r"^\s*-\s+\S")
_QUOTED_OUTPUT = re.compile(r"^\s*> \S")
"""A line of output marked as quoted with `> ` (two such lines at least under a command)."""
_DB_CLIENTS = r"psql|mysql|mariadb|redis-cli|sqlite3|mongo|mongosh|cqlsh"
"""Database clients that open their own prompt when given no command to run."""
_REPL = re.compile(
    rf"""(?x)^\s*(?:sudo\s+)?(?:
        (?:go\s+tool\s+)?pprof(?![^|;&<>]*\s--?(?:pdf|png|svg|gif|text|top|web|http|list|raw|proto
            |traces|dot|tree|peek|disasm|weblist|callgrind|kcachegrind|o|output)\b)
      | (?:{_DB_CLIENTS}|gdb|lldb|dlv|nslookup|bc)
        (?![^|;&<>]*\s(?:-c|-e|--eval|--command|--execute|-x|--batch)\b)
      | (?:python3?|node|irb)\s*$
    )(?:\s+[^|;&<>]*)?$"""
)
"""A command that opens a program's own prompt (pprof without a report format, a database or
debugger client without a command to run, a bare interpreter): what follows is typed there."""
_COMMENTED_CONTINUATION = re.compile(r"[ \t]\\[ \t]+#")
"""A `\\` then a comment at the end of a command line (`--flag x \\   # what x is`): the `\\`
escapes the space after it, so bash ends the command on that line; the writer meant it to go
on to the next one. Bash and shellcheck say what breaks; the lines are commands, not output."""
_TABLE_HEADER = re.compile(
    r"^\s*(?=.*\S\s{2,}\S)[A-Z][A-Z0-9_()/.%-]*(?:\s+[A-Z][A-Z0-9_()/.%-]*)+\s*$"
)
"""A table's header: upper-case column names, two spaces or more between two of them."""


def _statement_end(lines: list[str], start: int) -> int:
    """The last line of the command that starts on line `start`."""
    end = start
    text = lines[start]
    while True:
        words = [m.group(2) for m in _HEREDOC_START.finditer(_unquoted(lines[end]))]
        if words:
            for word in words:
                end += 1
                while end < len(lines) and lines[end].strip() != word:
                    end += 1
            return min(end, len(lines) - 1)
        if end + 1 >= len(lines):
            return end
        continued = lines[end].rstrip().endswith(("\\", "|", "&&", "||"))
        if not (continued or open_quote(text)):
            return end
        end += 1
        text += "\n" + lines[end]


def _unquoted(line: str) -> str:
    """`line` without its quoted strings (a `<<` inside quotes opens no here-document)."""
    return re.sub(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", "''", line)


_DATA_OPEN = re.compile(
    r"""(?x)^([ \t]*)(?:
        [A-Za-z_:][\w:.]*
      | [❯›»➜→]{1,3}[ \t]+
      | [^\s$`;&<>'"=][^$`;&<>'"=\n]*?[ \t]=>[ \t]+         # ok: [host] => {, host | SUCCESS => {
    )?[\[{][ \t]*$"""
)
"""A JSON document's first line: `[`, `{`, `name {`, `❯❯ [` (a page's own marker for what
the command above printed), or a label and `=>` before it, as Ansible prints a host's result
(`web-1 | SUCCESS => {`, `ok: [web-1] => {`): no shell line ends with `=> {`."""
_DATA_MEMBER = re.compile(
    r"""(?x)^\s*(?:
        "[^"\n]*"\s*:.*                                       # "key": value
      | [A-Za-z_]\w*\s*=\s*"[^"\n]*"\s*,?                     # label="value",
      | (?:"(?:[^"\\\n]|\\.)*"|-?\d[\d.eE+-]*|true|false|null)\s*,?  # an item of an array
      | \{\s*"[^"\n]*"\s*:.*\}\s*,?                           # an object on one line
      | [\[{] | [\]}][\]},]*                                  # nested brackets
    )\s*$"""
)
_PRINTED_DICT_OPEN = re.compile(r"^([ \t]*)[\[{][ \t]*[{\[]?'[^'\n]*'[ \t]*:.*,[ \t]*$")
"""The first line of a Python dictionary (or a list of them) as a program prints it, its first
member beside the brace: `{'event': 'status',`. No shell line starts with `{'word':`."""
_PRINTED_MEMBER = re.compile(
    r"""(?x)^\s*(?:
        '[^'\n]*'\s*:.*                                      # 'key': value
      | \{\s*'[^'\n]*'\s*:.*\}\s*,?                          # {'a': 'b', 'c': 1},
      | [\]}][\]},]*\s*,?
    )\s*$"""
)
"""A member of a printed Python dictionary: `'key': value`, `{'a': 'b'},`, `],`."""
_DATA_CUT = 3
"""Members from which a JSON document left open at the end of a block is still one."""
_PEM_BEGIN = re.compile(r"^\s*-----BEGIN [A-Z0-9 ]+-----\s*$")
_PEM_END = re.compile(r"^\s*-----END [A-Z0-9 ]+-----\s*$")


def _data_regions(lines: list[str]) -> set[int]:
    """Indexes of the lines of data documents printed as output: a JSON object or array, a
    Prometheus sample with its labels on several lines, a PEM block. A shell group `{ ... }`
    holds commands, none of which reads as a JSON member or a `label="value",`."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        if _PEM_BEGIN.match(lines[i]):
            end = next((j for j in range(i + 1, len(lines)) if _PEM_END.match(lines[j])), None)
            if end is not None:
                found.update(range(i, end + 1))
                i = end + 1
                continue
        m = _DATA_OPEN.match(lines[i]) or _PRINTED_DICT_OPEN.match(lines[i])
        if m is not None:
            close = re.compile(rf"^{re.escape(m.group(1))}[\]}}][\]}},]*(?:[ \t]+\S+)?[ \t]*$")
            members = 0
            end = None
            for j in range(i + 1, len(lines)):
                if close.match(lines[j]):
                    end = j
                    break
                if not lines[j].strip():
                    continue
                if not _DATA_MEMBER.match(lines[j]) and not _PRINTED_MEMBER.match(lines[j]):
                    break
                members += 1
            else:
                if members >= _DATA_CUT:
                    end = len(lines) - 1  # a document cut short at the end of the block
            if end is not None and members:
                found.update(range(i, end + 1))
                i = end + 1
                continue
        i += 1
    return found


def output_share(source: str) -> float:
    """Share of the statements of `source` that are not shell: program output, logs, help
    text, or a PromQL query tagged as shell."""
    found = statements(source)
    if not found:
        return 0.0
    return sum(st.output for st in found) / len(found)


_WRAPPED_INDENT = 12
"""Indentation from which a line under an output line is taken for its wrapped tail."""


_PROSE_TEXT = "the was is are not did to of a an and be has have been will could found cannot no"
_PROSE_WORDS = frozenset(_PROSE_TEXT.split())


_PSEUDO_CODE = re.compile(
    r"""(?x)^\s*(?:
        (?:[A-Za-z_][\w.]*\s*=\s*)?[A-Za-z_][\w.]*\((?!\))[^$`'"|;&<>]*\)\s*;?\s*$  # f(x), y = f(x)
      | [A-Za-z_][\w.]*\s+[-+*/]\s+[^$`'"|;&<>]*\([^$`'"|;&<>]*\)\s*$        # a / (b - c)
      | [A-Za-z_]\w*(?:\.\w+|\[[^\]\s]*\]|\([^()\s]*\))*(?:\[[^\]\s]*\]|\([^()\s]*\))
        (?:\.\w+|\[[^\]\s]*\]|\([^()\s]*\))*\s+[=!]=\s+[^$`|;&<>]+$     # len(x) == 2, a["k"].b == v
    )"""
)
"""A formula or a function call written as pseudo-code (`signature=base64(HMAC(s, k))`,
`Used / (Max - Reserved)`), or an assertion a test tool prints or reads (`len(res) == 2`,
`res["a"][0].Ok == true`): bash reads `word(` as a syntax error, and no shell statement has
that form (a function is defined with `()`, an array assigned with `=(`, and a comparison
is written inside `[ ]`, `[[ ]]` or `test`)."""


_GLUE_WORDS = _PROSE_WORDS | {"from", "for", "in", "on", "at", "with", "by", "were", "can"}


def _not_shell(line: str) -> bool:
    """True when `line` is program output, help text, a log line, a query, pseudo-code or a
    sentence."""
    if _OUTPUT_LINE.match(line) or _QUERY_LINE.search(line) or _PSEUDO_CODE.match(line):
        return True
    if _notation(line):
        return True
    if _message(line):
        return True
    if _DEVICE_ROW.match(line):
        return True  # a device and its numbers, as `dmsetup ls` prints it: `pool  (253:0)`
    if _MOUNT_ROW.match(line):
        return True  # a mounted file system, as `mount` lists it: `/dev/sdb1 on /data (rw)`
    if _PARENTHESISED.match(line) and not looks_like_commands(line):
        return True  # a log line: `unhealthy TCP increment (1/2) for x` (bash: syntax error)
    if _PRINTED_VALUE.match(line) or _FIELDS.match(line):
        return True  # `[(b'k', b'v')]`, `b'v'`, `Failed(Status { .. })`, `a:"x" b:(y, z)`
    column = _TWO_COLUMNS.match(line)
    if column is not None and _message(column.group(1)) and not looks_like_commands(line):
        return True  # a name, then a description: `app.ins   Ubuntu for z Series`
    if _PROGRESS.match(line) and not looks_like_commands(line) and not _SHELL_SYNTAX.search(line):
        return True  # a progress message: `applying 2 policies to 1 resource...`
    # A sentence: several plain words, English glue words among them, no shell syntax.
    bare = re.sub(r"'[^']*'|\"[^\"]*\"", " ", line)
    words = bare.split()
    if len(words) < 5 or any(c in bare for c in "|&;$=<>`") or words[0].startswith("-"):
        return False
    return sum(1 for w in words if w.lower().strip(",.:") in _PROSE_WORDS) >= 2


_PROGRESS = re.compile(r"^\s*\S.*[\w)\]]\s?(?:\.{3}|…)\s*$")
_PARENTHESISED = re.compile(
    r"^\s*[A-Za-z][\w-]*(?:\s+[^\s()|;&<>$`=]+)+\s+\([^()$`|;&<>]*\)(?:\s|$)"
)
_PRINTED_VALUE = re.compile(
    r"""(?x)^\s*(?:
        \[\]\s*,?                                                # an empty list: []
      | \[(?:\(|[bru]?'[^'\n]*'\s*[,\]]|[bru]?"[^"\n]*"\s*[,\]]|-?\d[\d.]*\s*[,\]]
          |None\b|True\b|False\b).*[\])]\s*,?                  # [(b'k', b'v')], ['a', 1]
      | [bB]'[^'\n]*'|[bB]"[^"\n]*"                             # a bytes value: b'alpha'
      | (?:[A-Za-z_][\w]*(?:::[A-Za-z_]\w*)+:\s+)?             # Client::call: before it
        [A-Z][A-Za-z0-9_]*(?:::[A-Za-z_]\w*)*\((?!\)).*\)       # Failed(Status { code: .. })
    )\s*$"""
)
"""A value a program prints, as its language writes it: a Python list or bytes (`[]`,
`[(b'k', b'v')]`, `b'alpha'`), a Rust or Go value (`Failed(Status { code: Busy })`), with
the call that printed it before it (`Client::check: Failed(...)`). No shell line starts
with `[]`, `[(` or `['a',` (`[`, the test command, is followed by a space: `[ "$a" ]` is no
value), is `b'...'` alone, or starts with a capitalised name directly followed by `(x` (bash
refuses it; a function is defined with `()`)."""
_FIELDS = re.compile(
    r"""(?x)^\s*[a-z][\w.-]*:(?:"[^"\n]*"|\([^()\n]*\)|[^\s"()|;&<>$`]+)
        (?:\s+(?:[a-z][\w.-]*:(?:"[^"\n]*"|\([^()\n]*(?:\([^()\n]*\)[^()\n]*)*\)|[^\s"()|;&<>$`]+)
        |[^\s:|;&<>$`]+))*
        \s+[a-z][\w.-]*:\((?:[^()\n]|\([^()\n]*\))*\).*$"""
)
"""A line of `name:value` fields a program prints, one of them in parentheses
(`reply:"10.0.0.5:7000" status:(ok, 3 ms) done!`): a command starts with its name, not a
`name:value`, and bash refuses the `(`."""
_DEVICE_ROW = re.compile(r"^[ \t]*[\w.@:/-]+[ \t]+\(\d+:\d+\)[ \t]*$")
"""A device's name and its major:minor numbers in parentheses (bash refuses `name (1:2)`)."""
_MOUNT_ROW = re.compile(
    r"^[ \t]*[\w.@:/-]+[ \t]+on[ \t]+\S+(?:[ \t]+type[ \t]+[\w.-]+)?[ \t]+\([^()$`|;&<>]*\)[ \t]*$"
)
"""A line of `mount`'s listing: what is mounted, `on` where, its type, then its options in
parentheses (`/dev/sdb1 on /data type ext4 (rw,noatime)`; bash refuses the parenthesis)."""
_TWO_COLUMNS = re.compile(r"^\s*[^\s|;&<>]+\s{3,}(\S.*)$")
_SHELL_SYNTAX = re.compile(r"[|;`]|&&|\$\(")
_CAPITALISED = re.compile(r"[A-Z][a-z]+[,:]?")


def _message(line: str) -> bool:
    """True when `line` reads as a message a program prints, or a bullet of one
    (`Forwarding from 127.0.0.1:8080 -> 80`, `  - The claims were validated`): a capitalised
    word, then an English glue word among the next five, and no pipe, `;`, `&&` or command
    substitution. Commands are lower case; a capitalised program name followed by "from",
    "for" or "the" is not how a command line reads."""
    words = line.split()
    if words[:1] in (["-"], ["*"]):
        words = words[1:]
    if len(words) < 2 or not _CAPITALISED.fullmatch(words[0]) or _SHELL_SYNTAX.search(line):
        return False
    return any(w.lower() in _GLUE_WORDS for w in words[1:6])


def _command_first(script: str) -> bool:
    """True when the first statement of `script` is a command (the output comes after it): a
    line of several words, or one that reads as a command. A lone word above a tree or a table
    is its title, no command."""
    found = statements(script)
    if not found or found[0].output:
        return False
    lines = script.split("\n")
    first = lines[found[0].start]
    if _underlined(first, lines[found[0].start + 1 : found[0].start + 2]):
        return False  # a report's heading (`config.yaml (kubernetes)` over `=====`)
    if looks_like_commands(first):
        return True
    # A line that starts with an elision or dig's `;;` is a line of the output, no command:
    # `... (abbreviated)` or `;; ANSWER SECTION:` above what a program printed. A name with
    # its kind in parentheses (`main.tf (terraform)`) is a report's title: bash refuses it.
    return len(first.split()) > 1 and not _OUTPUT_MARK.match(first) and not _TITLE_KIND.match(first)


_OUTPUT_MARK = re.compile(r"^\s*(?:\.{3,}|…|;;)(?:\s|$)")
_TITLE_KIND = re.compile(r"^[ \t]*[\w.@/-]+[ \t]+\([\w.-]+\)[ \t]*$")
"""`Dockerfile (dockerfile)`, `main.tf (terraform)`: a scanned file's name and its kind."""
_UNDERLINE = re.compile(r"^[ \t]*(?:={3,}|─{3,}|━{3,}|(-{3,}))[ \t]*$")


def _underlined(line: str, below: list[str]) -> bool:
    """True when the line `below` (a list of at most one) underlines `line` as a heading: a
    rule of `=`, `─` or `━` (or of `-` as long as the text), which no command is followed by."""
    rule = _UNDERLINE.match(below[0]) if below else None
    if rule is None:
        return False
    return rule.group(1) is None or len(rule.group(1)) >= len(line.strip())


def _output_finding(unit: _Unit, hidden: int) -> Finding:
    lang = unit.block.lang or "shell"
    not_shown = f"{hidden} shell finding(s) on it are not shown"
    if _command_first(unit.script):
        # A command, then what it prints: the command is one, the rest is not (a lone word
        # above a tree or a table is its title, no command).
        return codes.OUTPUT_AS_SHELL.at(
            unit.block.location,
            f"this {lang} block shows a command followed by its output: the output lines "
            f"are not commands ({not_shown})",
            hint="tag it ```console with '$ ' before each command, or put the output in a "
            "```text block of its own",
        )
    return codes.OUTPUT_AS_SHELL.at(
        unit.block.location,
        f"this {lang} block looks like program output, logs, help text, a query or "
        f"pseudo-code, not commands ({not_shown})",
        hint="tag it with what it is (```text, ```promql...), or ```console with '$ ' before "
        "the commands and their output below",
    )


# --------------------------------------- help text, synopses and other programs' input as shell


def _notation(line: str) -> bool:
    """True when `line` is written for a reader, not for bash: an option list's entry with its
    description (`--prefix[=false]: delete keys with the prefix`, `--jobs=N will run N jobs`),
    a usage synopsis with alternatives (`etcdctl endpoint status (--endpoints=$E|--cluster)`,
    `tool [--repair|-r] [path]`),
    a line typed at an SQL client's prompt (`pgbouncer=# show clients;`), or a log line with
    call-like values (`lease 2d82 granted with TTL(0s), remaining(-1s)`)."""
    if _HELP_OPTION.match(line) or _SQL_CLIENT_PROMPT.match(line):
        return True
    option = _OPTION_WORD.match(line)
    if option is not None and _sentence(line[option.end() :]):
        return True
    if _SYNOPSIS.match(line) and "[[" not in line and not re.search(r"\b(?:case|in)\b", line):
        return True
    if _BRACKETED_CHOICE.search(line) and not _SHELL_SYNTAX.search(line.replace("|", " ")):
        return True
    return _CALL_IN_WORDS.match(line) is not None and not looks_like_commands(line)


_HELP_OPTION = re.compile(
    r"^\s*(?:-\w,\s+)?--?[A-Za-z][\w-]*(?:\[=[^\]\s]*\]|=\S*)?:(?:\s+\S|\s*$)"
)
"""An option list's entry as programs print their help (cobra, etcdctl, kubectl): `--prefix[=
false]: text`, `--endpoints="127.0.0.1:2379": text`, or `--class='critical':` alone with its
text on the lines under it. No command line has an option ending in `:` followed by words or
by nothing."""
_OPTION_WORD = re.compile(r"^\s*--?[A-Za-z][\w-]*(?:=\S+)?\s+")
_SYNOPSIS = re.compile(
    r"""(?x)^\s*[a-z][\w.-]*(?:\s+[^\s()|;&<>`]+)*
        \s+\((?=[^()]*\|)(?=-|[^()]*\|-)[^()\s|;&<>`]+(?:\|[^()\s|;&<>`]+)+\)(?:\s|$)"""
)
"""A usage synopsis: alternatives between options in parentheses after the command's words
(`cmd sub (--a=$A|--b)`). Bash reads `(` there as a syntax error; a regular expression left
unquoted (`grep -E (a|b)`) has no option among its alternatives and stays a command."""
_BRACKETED_CHOICE = re.compile(
    r"(?:^|\s)\[\s*--?[A-Za-z][\w-]*(?:[= ][^\]|\s]+)?\s*\|\s*--?[A-Za-z][\w-]*[^\]|]*\](?=\s|$)"
)
"""An optional option and its other spelling in a usage synopsis: `[--repair|-r]`,
`[--export|-E path]`. Bash reads the `|` as a pipe to a command named `-r]`; a test
(`[ -n "$a" ]`) has no `|` inside its brackets."""
_SQL_CLIENT_PROMPT = re.compile(
    r"""(?xi)^\s*[A-Za-z_][\w.-]*
        (?:[=\-(^][\#>]                                       # psql: db=#  db=>  db-#  db(#
         |\#(?=\s+(?:select|show|insert|update|delete|create|alter|drop|explain|with|set|\\)))
        \s+\S"""
)
"""A line typed at psql's (or pgbouncer's admin console's) prompt: `db=# select ...`,
`db=> ...`, `db-# ...` (continuation), or `db# select ...`. A shell prompt is `$`, or `#` after
a path or host (`box:~#`), which no database name is followed by."""
_CALL_IN_WORDS = re.compile(
    r"^\s*[a-z][\w-]*(?:\s+[^\s()|;&<>$`=\\]+)+\s+[A-Za-z][\w-]*\([^()$`|;&<>\s]*\)[,.;:]?(?:\s|$)"
)
"""A log or output line with a value written like a call after its first words
(`lease 2d82 granted with TTL(0s), remaining(-1s)`): bash reads `word(` after a command's
first word as a syntax error, so no working command line has that form."""


def _sentence(text: str) -> bool:
    """True when `text` reads as an English description: four words or more, two of them glue
    words (`the`, `will`, `for`...), no shell syntax."""
    words = text.split()
    if len(words) < 4 or any(c in text for c in "|&;$<>`\\"):
        return False
    return sum(1 for w in words if w.lower().strip(",.:") in _GLUE_WORDS | {"will"}) >= 2


_INTERACTIVE = re.compile(r"^\s*[a-z][\w.-]*(?:\s+[^\s|;&<>]+)*\s+--interactive\s*$")


def _typed_into_program(lines: list[str]) -> set[int]:
    """Indexes of the lines typed into an interactive command above them, to the end of the
    block (`etcdctl txn --interactive`, then the comparisons and requests it asks for): the
    program reads them from the terminal, not bash."""
    for i, line in enumerate(lines):
        if _INTERACTIVE.match(line) and not lines[i - 1 if i else 0].rstrip().endswith("\\"):
            return {k for k in range(i + 1, len(lines)) if lines[k].strip()}
    return _typed_into_client(lines)


_CLIENT_STARTED = re.compile(
    rf"""(?x)^\s*(?:sudo\s+(?:-\S+\s+)*)?
        (?:(?:(?:docker|podman|nerdctl)\s+(?:container\s+)?exec|(?:kubectl|oc)\s+exec)
           (?=[^|;&<>]*\s-(?:it|ti)\s)                          # with a terminal: -it
           [^|;&<>]*?\s(?:--\s+)?)?
        (?:{_DB_CLIENTS})
        (?![^|;&<>]*\s(?:-c|-e|--eval|--command|--execute|-f|--file)\b)  # nothing to run
        (?:\s+[^|;&<>]*)?$"""
)
"""A database client started for a session, in a container with a terminal or not (`docker
exec -it db mongo`, `kubectl exec -it db-0 -- psql -U app`, `mysql -u root -p`): what follows
is typed at the client's prompt."""
_CLIENT_EXIT = re.compile(r"^(?:exit|quit|\\q|\.exit|\.quit)(?:\(\))?;?$")
_SHELL_KEYWORD = re.compile(r"^(?:if|for|while|until|case|then|do|done|fi|esac|export)\b")


def _typed_into_client(lines: list[str]) -> set[int]:
    """Indexes of the lines typed into a database client a line above them starts for a
    session (`_CLIENT_STARTED`), up to the line that leaves it (`exit`, `\\q`) or the next
    line that reads as a command. A line ending with `\\` above the client makes it an
    argument."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if not _CLIENT_STARTED.match(line):
            continue
        if i and lines[i - 1].rstrip().endswith("\\"):
            continue
        for k in range(i + 1, len(lines)):
            text = lines[k].strip()
            if not text or text.startswith("#"):
                continue
            if looks_like_commands(text) or text.startswith(("./", "$")):
                break
            if _SHELL_KEYWORD.match(text):
                break
            found.add(k)
            if _CLIENT_EXIT.match(text):
                break
    return found


_EDITOR = re.compile(
    r"""(?x)^\s*(?:sudo\s+(?:-\S+\s+)*)?(?:vi|vim|nvim|view|nano|pico|emacs|mcedit|sudoedit)
        (?:\s+[-+]\S*)*\s+[^\s|;&<>`$()-][^\s|;&<>`()]*\s*(?:\#.*)?$"""
)
"""A text editor opened on one file (`sudo vi /etc/sysctl.conf`): the editor, not bash, reads
what the reader types next."""


def _typed_into_editor(lines: list[str]) -> set[int]:
    """Indexes of the lines typed into a file opened in a text editor on the line above them
    (`vi /etc/sysctl.conf`, then `vm.max_map_count=262144`): the file's content, shown where it
    goes, up to the next line that reads as a command (`sudo sysctl -p`). A line ending with
    `\\` above the editor makes it an argument, not a command."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if not _EDITOR.match(line) or (i and lines[i - 1].rstrip().endswith("\\")):
            continue
        for k in range(i + 1, len(lines)):
            text = lines[k].strip()
            if not text or text.startswith("#"):
                continue
            if looks_like_commands(text) or _EDITOR.match(text) or text.startswith(("./", "$")):
                break
            found.add(k)
    return found


_HELP_REQUEST = re.compile(
    r"^(?:sudo\s+)?[\w./-]+(?:\s+[\w.:/=-]+)*?\s+(?:--help|-help|-h|help(?:\s+[\w-]+)*)\s*$"
)
"""A command that asks a program for its help and does nothing else: `tool --help`, `tool sub
-h`, `tool help sub`."""


_USAGE = re.compile(r"^(?:usage|Usage|USAGE):[ \t]+\S")
_HELP_WORDS = re.compile(r"^(?:[A-Z][\w ,'()/-]*[\w.:)]|[a-z][\w ,'()/-]*[.:])[ \t]*$")
"""A line of words at the margin, a title or a sentence's end, in help text."""


def _help_text(lines: list[str]) -> set[int]:
    """Indexes of the help text shown under a first command that asks for it, at the margin
    (`tool --help`, then `Usage:`, `Flags:` and the options indented under them), when every
    line under it reads as help: indented, an option at the margin, a heading, a sentence. A
    line at the margin that reads as none of these is a command: the block is then commands
    and output, read line by line (their errors are not hidden by the help text's share)."""
    shown = [i for i, ln in enumerate(lines) if ln.strip() and not ln.startswith("#")]
    if len(shown) < 2:
        return set()
    if not _HELP_REQUEST.match(lines[shown[0]]) and not _USAGE.match(lines[shown[1]]):
        # A command run without the arguments it needs prints its usage: `usage: tool ...`
        # right under it starts the help text too.
        return set()
    usage = _USAGE.match(lines[shown[1]]) is not None
    help_text = shown[1:]
    for k in help_text:
        line = lines[k]
        if usage and _HELP_WORDS.match(line):
            continue  # `Generic data publish utility`, `messages.`: the usage's description
        if not (line[0] in " \t" or line.startswith("-") or _not_shell(line)):
            return set()
    return set(help_text)


_RESULT_RULE = re.compile(r"^\s*-{2,}(?:\+-{2,})+\+?\s*$")
_RECORD_HEADER = re.compile(r"^\s*-\[ RECORD \d+ \]-*(?:\+-*)?\s*$")
"""An expanded record's header as psql prints it (`\\x`): `-[ RECORD 1 ]---+------`."""
_ROW_COUNT = re.compile(r"^\s*\(\d+ rows?\)\s*$")


def _result_tables(lines: list[str]) -> set[int]:
    """Indexes of the lines of the result tables psql prints: the header above a `----+----`
    rule, the rule, and the rows under it to a blank line (with `(2 rows)`)."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if _RECORD_HEADER.match(line):
            # An expanded record: its `name | value` lines, to the next blank line.
            end = i
            while end + 1 < len(lines) and "|" in lines[end + 1]:
                end += 1
            found.update(range(i, end + 1))
            continue
        if i == 0 or not _RESULT_RULE.match(line) or "|" not in lines[i - 1]:
            continue
        end = i
        while end + 1 < len(lines) and lines[end + 1].strip():
            end += 1
            if _ROW_COUNT.match(lines[end]):
                break
        found.update(range(i - 1, end + 1))
    return found


_TABLE_BORDER = re.compile(r"^\s*\+(?:[-=]+\+)+\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def _bordered_tables(lines: list[str]) -> set[int]:
    """Indexes of the lines of the result tables mysql (and `psql` with borders, `-t` clients)
    prints: a `+----+----+` border, then rows `| a | b |` and borders, with at least two
    borders and one row. However few its columns (`| Status |` has two bars only), no script
    has a line that is a `+---+` border followed by lines that start and end with `|`."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        if not _TABLE_BORDER.match(lines[i]):
            i += 1
            continue
        end = i
        while end + 1 < len(lines) and (
            _TABLE_BORDER.match(lines[end + 1]) or _TABLE_ROW.match(lines[end + 1])
        ):
            end += 1
        run = lines[i : end + 1]
        borders = sum(1 for ln in run if _TABLE_BORDER.match(ln))
        if borders >= 2 and borders < len(run):
            found.update(range(i, end + 1))
        i = end + 1
    return found


_TREE_ROOT = re.compile(r"^(?:\.|~?/?[\w.@+~-]+(?:/[\w.@+~-]+)*/)[ \t]*(?:#.*)?$")
"""The top of a directory tree: a folder's name ending in `/` (`project/`, `./conf/`), or `.`."""
_TREE_ENTRY = re.compile(
    r"""(?x)^
        (?=[ \t│|`├└┃┣┗])                                # under the top: indented or drawn
        [ \t│|┃]*                                       # the lines of the folders above
        (?:(?:[├└┣┗`|+]?(?:──|━━|--|─)+|[|+`]-|[├└┣┗])[ \t]*)?  # branch: ├── └── |-- -- |-
        [\w.@+~*][\w.@+~*-]*/?                            # one name, a folder's ending in /
        [ \t]*(?:\#.*|<-.*|←.*)?$                         # a note beside it
    """
)
"""A line of a directory tree under its top: indentation or the drawing of the folders above,
the entry's branch, one name (no space: a line with words is not one), maybe a note."""
_TREE_BRANCH = re.compile(r"^[ \t│|┃]*(?:[├└┣┗`|+]-|[├└┣┗])")
"""An entry drawn with its branch: `|- name`, `|-- name`, `+- name`, `├── name`."""
_TREE_LINK = re.compile(r"^[ \t]*[│|┃][ \t│|┃]*$")
"""A tree's line holding only the drawing of the folders above (`  |`), between entries."""
_TREE_SIBLING = re.compile(r"^[\w.@+~][\w.@+~-]*/?[ \t]*(?:#.*)?$")
"""One name at the margin: after indented entries, another entry beside the tree's top."""


def _directory_tree(lines: list[str]) -> set[int]:
    """Every line when `lines` draw a directory tree (what `tree` prints, or a folder's layout
    written by hand): the first line a folder's name ending in `/` (or `.`; or a bare name when
    every entry under it is drawn with a branch, `|- cmd`) and every other one an entry under
    it, one name each (or only the drawing of the folders above, `|`; or, after indented
    entries, a name at the margin beside the top: `galaxy.yaml` after `roles/`'s entries). A
    shell reads each entry as a command (`--file.png` a flag as a command name, `conf/` a
    command ending in `/`): all of it is output. A folder's name alone on a line is no command
    anyone types, and the entries under it are indented single names: no statement of a script
    has that shape."""
    shown = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(shown) < 3:
        return set()
    top = lines[shown[0]].strip()
    # A top without its `/` (`project`) is a folder's name too when every entry under it is
    # drawn with a branch (`|- src`, `├── src`): a lone word could be a command, a branch not.
    drawn = not _TREE_ROOT.match(top)
    if drawn and not _TREE_SIBLING.match(top):
        return set()
    named = 0
    for i in shown[1:]:
        if _TREE_ENTRY.match(lines[i]) and (not drawn or _TREE_BRANCH.match(lines[i])):
            named += 1
        elif not _TREE_LINK.match(lines[i]) and not (named and _TREE_SIBLING.match(lines[i])):
            return set()
    return set(shown) if named else set()


def directory_tree(lines: list[str]) -> bool:
    """True when `lines` draw a directory tree (see `_directory_tree`)."""
    return bool(_directory_tree(lines))


_BOX_SIDE = re.compile(r"^\s*[|+│┃├┌└╭╰].*[|+│┃┤┐┘╮╯]\s*$")
"""A line framed by a box's sides: `|  text  |`, `+----+`, `│ text │`."""
_BOX_RULE = re.compile(r"^\s*[_=+─━-]{3,}(?:.*[_=+─━-]{3,})?\s*$")
"""A box's top or bottom drawn alone: `______`, `____ Title ____`, `=====`, `───`."""


def _box_diagram(lines: list[str]) -> set[int]:
    """Every line when `lines` draw boxes (ASCII art): each line framed by a box's sides or a
    rule of `_`, `-`, `=`, and at least three lines framed by `|` (or `│`) on both ends. bash
    reads `|` at the start of a line as a pipe with no command before it; no script has that
    shape on every line, a diagram does."""
    shown = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(shown) < 3:
        return set()
    if not all(_BOX_SIDE.match(lines[i]) or _BOX_RULE.match(lines[i]) for i in shown):
        return set()
    framed = [i for i in shown if lines[i].strip()[0] in "|│┃" and lines[i].strip()[-1] in "|│┃"]
    return set(shown) if len(framed) >= 3 else set()


# ------------------------------------------- sessions of other programs' clients tagged shell


_CLIENT_PROMPT = re.compile(
    r"""(?x)^\s*(?:
        (?P<host>[\w.-]+:\d{2,5})(?:\[\d+\])?\$?>                # 127.0.0.1:6379>  host:5000$>
      | (?P<named>[A-Za-z][\w.-]*)\$>                          # dragonfly$>  memcached$>
      | (?P<name>[A-Za-z][\w.-]*)(?:\[\d+\])?>                  # redis>  redis[1]>
      | \((?!(?:integer|nil|error|double|empty)\))                # not redis-cli's replies
        (?P<debugger>[A-Za-z][\w-]*)\)(?=[ \t]+[^\s|&;<>)\#])     # (dlv) c  (gdb) bt  (Pdb) n
      | (?P<append>>>)(?=[ \t]+[a-z])                          # >> store show   // a note
    )[ \t]+(?P<typed>\S.*)$"""
)
"""A line typed at a network client's prompt (redis-cli, memcached over telnet, a sentinel):
`host:port> CMD`, `name$> CMD`, `name> CMD`, or at a debugger's `(name) CMD` (delve, gdb,
lldb, pdb), or at a bare `>>` prompt (an admin tool's own shell: `>> store show   // note`).
In bash `name> CMD` redirects the output of a command `name` to a file named after the typed
command, and `(name) CMD` (a subshell, then a word) is a syntax error: a script writes no such
line. A line starting with `>> word` appends a command's output to the file `word`: it is a
prompt only with more evidence (see `_client_prompt`)."""
_CLIENT_REPLY = re.compile(
    r"""(?x)^\s*(?:
        \((?:integer|nil|error|empty\ (?:array|list\ or\ set)|double)\)   # (integer) 1  (nil)
      | \d+\)\s                                                # 1) "value"  (arrays)
      | (?:OK|QUEUED|PONG|STORED|END|DELETED|NOT_FOUND|EXISTS)\s*$   # status replies
    )"""
)
"""A reply a key-value client prints: redis-cli's typed values (`(integer) 1`, `(nil)`,
`(error) ERR ...`), array items (`1) "a"`), status words; memcached's text protocol."""
_CLIENT_LEAVE = re.compile(r"(?i)^(?:exit|quit)\s*$")
_NOTE_AFTER = re.compile(r"[ \t]//[ \t]")
"""A note after what is typed at a tool's prompt (`>> store show   // List the stores`)."""
_BARE_WORD_FIRST = re.compile(r"[a-z][\w-]*(?:\s|$)")
"""What is typed at a `>>` prompt starts with a word (`store`), not a file (`app.log`)."""


def client_session_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines of a session typed into another program's client in a shell block
    (`dragonfly$> SET a 1`, `127.0.0.1:6379> GET a`, then `OK`, `(integer) 1`, `1) "x"`; a
    debugger's `(dlv) continue` and what the program prints under it):
    every line from the first prompt to the client's `exit` (or the end of the block) is the
    client's, typed or printed, and none is shell.

    A bare `name> ` prompt is taken for a client's only with more evidence: the same prompt
    on another line, a reply of the client's below it, or a command typed in capitals (`GET`);
    `host:port> ` and `name$> ` are no shell an author writes. A client that is a database
    shell (`mysql> `) is read the same way: what is typed there is not shell either. A bare
    `>> ` prompt likewise, with a `// note` after a line typed at it, or on two lines starting
    with a word (a script does not append two commands' output to files named `store`)."""
    prompts = [(i, m) for i, ln in enumerate(lines) if (m := _CLIENT_PROMPT.match(ln)) is not None]
    if not prompts:
        return set()
    names = [m.group("name") for _, m in prompts if m.group("name")]
    replies = any(_CLIENT_REPLY.match(ln) for ln in lines)
    appended = [m.group("typed") for _, m in prompts if m.group("append")]
    if not (
        any(_NOTE_AFTER.search(typed) for typed in appended)
        or sum(1 for typed in appended if _BARE_WORD_FIRST.match(typed)) > 1
    ):
        prompts = [(i, m) for i, m in prompts if not m.group("append")]
    at = dict(prompts)
    found: set[int] = set()
    inside = False
    for i, line in enumerate(lines):
        m = at.get(i)
        if m is not None and _client_prompt(m, names, replies):
            inside = True
            found.add(i)
            typed = m.group("typed").strip()
            if _CLIENT_LEAVE.match(typed) or (m.group("debugger") and typed == "q"):
                inside = False
            continue
        if inside and line.strip() and not line.lstrip().startswith("#"):
            found.add(i)
    return found


def debugger_session(script: str) -> bool:
    """True when `script` has a line typed at a debugger's `(name) ` prompt (`(dlv) c`)."""
    return "(" in script and any(
        (m := _CLIENT_PROMPT.match(ln)) is not None and m.group("debugger")
        for ln in script.split("\n")
    )


def _client_prompt(m: re.Match[str], names: list[str], replies: bool) -> bool:
    """True when the prompt `m` matched is a client's (see `client_session_lines`)."""
    name = m.group("name")
    if not name:
        return True  # host:port>, name$> or (debugger)
    typed = m.group("typed").split()[0]
    return names.count(name) > 1 or replies or re.fullmatch(r"[A-Z][A-Z0-9_.-]+", typed) is not None
