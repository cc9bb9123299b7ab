"""Steps as people write them: what would make a verdict wrong before anything runs.

- `RBD320`: a `bash`/`sh` block whose first command starts with a `$ ` prompt (about four in
  ten shell blocks of public runbook collections are written so): bash would run `$`.
- `RBD321`: in a transcript of `$ ` commands, an output line starting with `# ` reads as a
  root command (unless an earlier command switched to root: `sudo -i`, `su -`).
- `RBD322`: in a transcript, a `> ` line after a command that is already complete reads as a
  continuation of it (a quote, a `\\` or a here-document would make it one), not as output.
- `RBD323`: a runnable block without `timeout=` or `skip=` runs a command that does not end
  by itself: `tail -f`, `watch`, `less`, `top`, an editor, a client with no input (`psql`).

Commands are read with `shlex` (POSIX rules, operators split out), one logical line at a time
(`\\` continuations joined, here-document bodies skipped): a line it cannot read is left alone,
so the check only speaks when it is sure of what the words are.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from runbookdocs import codes, transcript
from runbookdocs.block import SITE_PROMPT, Block
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, block_validator
from runbookdocs.validate.common import on_runbook_page

_ROOT_SWITCH = re.compile(
    r"^\s*(?:sudo\s+(?:-\w+\s+)*(?:-i|-s|su\b|bash\b|sh\b|-u\s+root\s+-i)|su\b|doas\s+-s)"
)
_SPECIAL = re.compile(r"([.^$*+?{}\[\]\\|()])")
_OPERATORS = frozenset({";", "&&", "||", "|", "&", ";;", "|&", "\n"})
_KEYWORDS = frozenset(
    {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "(", "time", "exec"}
)
_WRAPPERS = frozenset({"sudo", "command", "nohup", "env", "doas"})

# -- RBD320: prompts in shell blocks -----------------------------------------------------------


@block_validator("shell")
def prompt_in_shell(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """A shell block written as a transcript: its first command starts with `$ `."""
    if not on_runbook_page(ctx):
        return
    lines = block.source.split("\n")
    # A site's `data-prompt` names the block's prompt for its copy button; `run` types the
    # block as written, prompt included.
    own = block.attrs.get(SITE_PROMPT, "").strip()
    for index, line in enumerate(lines):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if own not in ("", "#", "$") and line.startswith(own):
            count = sum(1 for ln in lines if ln.startswith(own))
            more = f" ({count} lines start with `{own}`)" if count > 1 else ""
            yield codes.PROMPT_IN_SHELL.at(
                block.locate(index, 1),
                f"`{_short(text)}` starts with the prompt `{own}` (data-prompt): bash would "
                f"read it as part of the command{more}",
                hint="the site's copy button strips it, `runbookdocs run` does not: drop the "
                "prompts, or tag the block ```console with `$ ` prompts",
            )
        elif transcript.has_user_prompt(text):
            count = sum(1 for ln in lines if transcript.has_user_prompt(ln))
            more = f" ({count} lines start with `$ `)" if count > 1 else ""
            yield codes.PROMPT_IN_SHELL.at(
                block.locate(index, 1 + len(line) - len(line.lstrip())),
                f"`{_short(text)}` starts with a shell prompt `$ `: bash would run `$` as a "
                f"command{more}",
                hint="tag the block ```console if it shows commands with their output (a "
                "transcript), or drop the `$ ` prompts",
            )
        return


# -- RBD321, RBD322: transcripts that say something else than they mean -----------------------


@block_validator("console")
def ambiguous_transcript(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Output lines of a transcript that its parser reads as commands or continuations."""
    if not on_runbook_page(ctx):
        return
    commands = transcript.parse(block).commands
    if not commands:
        return
    lines = block.source.split("\n")
    style = commands[0].prompt
    root = False
    for k, cmd in enumerate(commands):
        first = cmd.text.split("\n")[0]
        if (
            style == "$"
            and cmd.prompt == "#"
            and not root
            and k > 0
            and commands[k - 1].prompt == "$"
            and _reads_as_output(commands[k - 1].text, first)
        ):
            line = lines[cmd.line_index]
            yield codes.OUTPUT_READS_AS_COMMAND.at(
                block.locate(cmd.line_index),
                f"`{_short(line)}` reads as a command run by root (`# ` prompt), in a "
                "transcript of `$ ` commands",
                hint=f"if it is output of the command above, write it as a matcher: "
                f"`{as_matcher(line)}`",
            )
        if cmd.n_lines > 1 and _complete(first):
            index = cmd.line_index + 1
            line = lines[index]
            yield codes.OUTPUT_READS_AS_CONTINUATION.at(
                block.locate(index),
                f"`{_short(line)}` reads as a continuation of the command `{_short(first)}`, "
                "which is already complete, not as its output",
                hint=f"if it is output, write it as a matcher: `{as_matcher(line)}`",
            )
        if _ROOT_SWITCH.match(first):
            root = True


def _reads_as_output(previous: str, text: str) -> bool:
    """Whether a `# ` line after a `$ ` command is more likely output than a root command.

    Transcripts often mix `$ ` and `# ` to show which commands need root (`# apt-get install`):
    such a line is a command. It reads as output when the command before it prints a file
    (`cat`, `grep`, `head`...: configuration files are full of `# ` comments), or when it reads
    as prose rather than as a command (`# This file is managed by...`, `# ----`, a lone `#`).
    """
    words = previous.split()
    program = words[0].rsplit("/", 1)[-1] if words else ""
    if program == "sudo" and len(words) > 1:
        words = words[1:]
        program = words[0].rsplit("/", 1)[-1]
    if program in _PRINTERS or f"{program} {words[1] if len(words) > 1 else ''}" in _PRINTERS:
        return True
    head = text.split()[0] if text.split() else ""
    return not head or not _COMMAND_WORD.fullmatch(head)


_PRINTERS = frozenset(
    {
        "cat", "head", "tail", "grep", "egrep", "zcat", "zgrep", "less", "more", "sed", "awk",
        "diff", "crontab", "tac", "nl", "strings",
        "systemctl cat", "git show", "git diff", "git log", "git cat-file",
    }
)  # fmt: skip
# A command's first word: lowercase, digits and the usual punctuation of program names.
_COMMAND_WORD = re.compile(r"[a-z0-9_./~$-][a-z0-9_./+:=-]*")


def as_matcher(line: str) -> str:
    """An expected-output line that matches `line` exactly and cannot read as a command or a
    continuation: its first character in brackets, the rest with regex characters escaped."""
    head, rest = line[:1], line[1:]
    escaped = _SPECIAL.sub(r"\\\1", rest)
    return f"[{head}]{escaped} (re)" if head else line


def _complete(command: str) -> bool:
    from runbookdocs.run.runners.shell import complete_shell

    return complete_shell(command)


# -- RBD323: commands that never end by themselves --------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One command of a pipeline, as words, with where its input comes from."""

    words: tuple[str, ...]
    line: int
    """0-based index in the block's source of the line the command is on."""
    piped_in: bool
    """Its standard input is the pipeline's previous command."""
    redirected_in: bool
    """`<`, `<<` or `<<<` gives it its input."""
    piped_out: bool
    """Its output goes to the next command of the pipeline."""
    background: bool
    """The pipeline ends with `&`."""


@block_validator("shell", "console")
def never_ends(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Commands that wait forever (a follow, a pager, an editor, a client with no input)."""
    if not block.runnable or "timeout" in block.attrs or not on_runbook_page(ctx):
        return
    if block.kind == "console":
        found = [
            (cmd.line_index, seg)
            for cmd in transcript.parse(block).commands
            for seg in segments(cmd.text)
        ]
    else:
        found = [(0, seg) for seg in segments(block.source)]
    for offset, seg in found:
        why = _endless(seg)
        if why is None:
            continue
        command = " ".join(seg.words)
        yield codes.NEVER_ENDS.at(
            block.locate(offset + seg.line),
            f"`{_short(command)}` {why}: the block will be interrupted at its timeout and fail",
            hint=_hint_for(seg.words[0]),
        )
        return  # one per block: the first one is what the run stops at


def _hint_for(program: str) -> str:
    if program in _CLIENTS:
        return (
            f"give {program} its input ({_CLIENTS[program]}, or a here-document), or mark the "
            'block skip="reason" (shown, not run)'
        )
    return (
        "bound it (`timeout 10 ...`, `tail -n 50` instead of `tail -f`, `top -b -n 1`), or mark "
        'the block skip="reason" (shown, not run), or give it timeout= if a failure is meant'
    )


_CLIENTS = {
    "psql": '`psql -c "SELECT ..."`',
    "mysql": '`mysql -e "SELECT ..."`',
    "mariadb": '`mariadb -e "SELECT ..."`',
    "sqlite3": '`sqlite3 file.db "SELECT ..."`',
    "redis-cli": "`redis-cli PING`",
    "mongosh": '`mongosh --eval "..."`',
    "mongo": '`mongo --eval "..."`',
    "python": '`python -c "..."` or a script',
    "python3": '`python3 -c "..."` or a script',
    "node": '`node -e "..."` or a script',
    "bash": '`bash -c "..."` or a script',
    "sh": '`sh -c "..."` or a script',
}
# Options after which a client does not read commands from its terminal.
_CLIENT_DONE = {
    "psql": {"-c", "--command", "-f", "--file", "-l", "--list", "-V", "--version", "--help"},
    "mysql": {"-e", "--execute", "-V", "--version", "--help", "-?"},
    "mariadb": {"-e", "--execute", "-V", "--version", "--help", "-?"},
    "sqlite3": {"-cmd", "-version", "-help", "-init"},
    "mongosh": {"--eval", "-f", "--file", "--version", "--help"},
    "mongo": {"--eval", "--version", "--help"},
    "python": {"-c", "-m", "-V", "--version", "-h", "--help"},
    "python3": {"-c", "-m", "-V", "--version", "-h", "--help"},
    "node": {"-e", "--eval", "-p", "--print", "-v", "--version", "-h", "--help"},
    "bash": {"-c", "--version", "--help", "-n"},
    "sh": {"-c"},
    "redis-cli": {"--version", "-v", "--help", "--scan", "--stat", "--bigkeys", "--rdb"},
}


def _endless(seg: Segment) -> str | None:
    """Why `seg` never ends by itself, or None."""
    if seg.background or not seg.words:
        return None
    program, args = seg.words[0].rsplit("/", 1)[-1], seg.words[1:]
    flags = {a.split("=", 1)[0] for a in args if a.startswith("-")}
    if program == "tail" and (flags & {"-f", "-F", "--follow"} or _short_flag(args, "f", "F")):
        return None if seg.piped_out else "follows the file forever"
    if program in ("journalctl", "dmesg") and (
        flags & {"-f", "--follow", "-w"} or _short_flag(args, "f", "w")
    ):
        return None if seg.piped_out else "follows the log forever"
    if (
        program in ("kubectl", "docker", "podman")
        and "logs" in args
        and (flags & {"-f", "--follow"})
    ):
        return None if seg.piped_out else "follows the logs forever"
    if program == "watch" and not flags & {"-g", "--chgexit", "-e", "--errexit"}:
        return "repeats forever"
    if program in ("less", "more", "most") and not seg.piped_out:
        return "is a pager waiting for keys"
    if program in ("top", "htop", "iotop", "atop") and not (
        flags & {"-n", "-b"} or _short_flag(args, "n")
    ):
        return "refreshes forever"
    if program in ("vi", "vim", "nvim", "nano", "emacs", "view") and not (
        flags & {"-c", "-e", "-es", "-Es", "--batch"} or any(a.startswith("+") for a in args)
    ):
        return "is an editor waiting for keys"
    if program in _CLIENT_DONE:
        if seg.piped_in or seg.redirected_in or flags & _CLIENT_DONE[program]:
            return None
        positional = [a for a in args if not a.startswith("-")]
        if program in ("python", "python3", "node", "bash", "sh") and positional:
            return None  # a script
        if program in ("sqlite3", "redis-cli") and len(positional) >= (
            2 if program == "sqlite3" else 1
        ):
            return None  # SQL or a command on the command line
        letters = "".join(f[1] for f in _CLIENT_DONE[program] if len(f) == 2)
        if _short_flag(args, *letters):
            return None  # combined short options (`-tAc`, `-Ne`)
        return "waits for commands typed at its prompt (no input given)"
    return None


def _short_flag(args: tuple[str, ...], *letters: str) -> bool:
    """A combined short option holding one of `letters` (`-fn`, `-nf`)."""
    return any(
        a.startswith("-") and not a.startswith("--") and any(ch in a[1:] for ch in letters)
        for a in args
        if a[1:].isalnum()
    )


def segments(script: str) -> Iterator[Segment]:
    """The commands of `script`, pipeline by pipeline, line by line."""
    lines = script.split("\n")
    k = 0
    heredoc: str | None = None
    while k < len(lines):
        start = k
        text = lines[k]
        if heredoc is not None:
            if text.strip() == heredoc:
                heredoc = None
            k += 1
            continue
        while text.rstrip().endswith("\\") and k + 1 < len(lines):
            k += 1
            text = text.rstrip()[:-1] + " " + lines[k]
        k += 1
        tokens = _tokens(text)
        if tokens is None:
            continue
        for i, tok in enumerate(tokens):
            if tok in ("<<", "<<-") and i + 1 < len(tokens):
                heredoc = tokens[i + 1]
        yield from _pipelines(tokens, start)


def _tokens(line: str) -> list[str] | None:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>()")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # an open quote: not sure what the words are
        return None


def _pipelines(tokens: list[str], line: int) -> Iterator[Segment]:
    pipeline: list[list[str]] = [[]]
    for tok in [*tokens, ";"]:
        if tok in _OPERATORS and tok not in ("|", "|&"):
            background = tok == "&"
            for i, words in enumerate(pipeline):
                yield _segment(words, line, i > 0, i < len(pipeline) - 1, background)
            pipeline = [[]]
        elif tok in ("|", "|&"):
            pipeline.append([])
        else:
            pipeline[-1].append(tok)


def _segment(
    words: list[str], line: int, piped_in: bool, piped_out: bool, background: bool
) -> Segment:
    redirected = False
    kept: list[str] = []
    skip_next = False
    for i, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if word in ("<", "<<", "<<<", "<<-", "<>"):
            redirected = True
            skip_next = True
            continue
        if word in (">", ">>", ">&", "&>", "(", ")") or re.fullmatch(r"\d*[<>]+&?\d*-?", word):
            skip_next = word not in ("(", ")") and i + 1 < len(words)
            continue
        kept.append(word)
    while kept and (kept[0] in _KEYWORDS or re.fullmatch(r"[A-Za-z_]\w*=.*", kept[0])):
        kept.pop(0)
    while kept and kept[0] in _WRAPPERS:
        kept.pop(0)
        while kept and (kept[0].startswith("-") or re.fullmatch(r"[A-Za-z_]\w*=.*", kept[0])):
            option = kept.pop(0)
            if option in ("-u", "-g") and kept:
                kept.pop(0)
    if kept and kept[0] == "timeout":
        return Segment((), line, piped_in, redirected, piped_out, background)
    return Segment(tuple(kept), line, piped_in, redirected, piped_out, background)


def _short(text: str, width: int = 60) -> str:
    from runbookdocs.run.runners import shorten

    return shorten(text, width)


__all__ = [
    "Segment",
    "ambiguous_transcript",
    "as_matcher",
    "never_ends",
    "prompt_in_shell",
    "segments",
]
