"""Session: one persistent bash inside a target, driven by pexpect.

The shell is hardened the way pexpect's `replwrap` does it, and exit statuses are read the way
prysk does (a salted marker printed after each step):

- `bash --norc --noprofile --noediting -i`: no start-up files, no readline (so no bracketed
  paste, no tab completion of pasted tabs), but job control, so Ctrl-C stops the foreground
  command and the shell survives;
- `stty -echo rows 50 cols 250` (docker resizes the tty asynchronously; the size is set here
  too), `PROMPT_COMMAND` unset, `set +H`, `set +o history`, `set -o ignoreeof` (an end of input
  sent to a program that waits for one never ends the shell), `PAGER=cat`, `LANG=C.UTF-8`,
  `TZ=UTC`, wide `COLUMNS`; a prompt holding a non-printable salted part, so it cannot be
  confused with output;
- pexpect's `delaybeforesend` is off (its 50 ms default costs ~100 ms per step).

Where the shell runs is the target's business (`Target.shell_command`: `docker exec -it` for a
container); the session only needs a command that starts an interactive bash.

**The runner's protocol.** Each step is sent over the tty as one shell word (`printf %b`
escapes: no quoting or here-document of the step can change it, and no command of the image
decodes it), written to a file and sourced: multi-line blocks cannot desynchronise the prompt,
an unterminated quote is a syntax error instead of a hang, and `cd`, `export` and functions carry
over to the next step. The step file's first line is the runner's (`__rbd_R`): it sets a nonce
drawn for this step, the traps, and the shell options of the runbook; the marker printed after
the step carries that nonce back, so a step that was not written, not sourced or not started
can never report a status. Between steps the runner's own lines run with the runbook's options
off and in POSIX mode, and only through builtins it can trust:

- `set -e/-u/-x/-v` of a block are saved after it and restored at the start of the next one (a
  `set -euxo pipefail` block neither traces nor breaks the runner's lines);
- special builtins (`set`, `unset`, `trap`, `return`, `eval`, `.`) win over functions of the same
  name in POSIX mode; a function named `builtin` is removed after each step, so `\\builtin`
  reaches the real `printf`, `source`, `eval`, `command` whatever the runbook defined; every
  word is written `\\name`, so no alias applies;
- a `DEBUG` trap of the runbook lasts until the end of its block (the runner's line markers use
  it); the terminal's echo is turned off after every step (`stty -echo` through
  `command -p`), so input the runner sends is never shown, whatever a block left on;
- markers go to the terminal itself (a file descriptor opened on `/dev/tty`), never to a step's
  own redirections; anything a block leaves printed after the marker (job notices,
  `PROMPT_COMMAND`) is read and dropped.

**Every top-level command counts** (`run(..., each=True)`): while the file is sourced, an `ERR`
trap stops it at the first command that fails, with bash's own rules for what "fails" means —
the rules of `set -e`: a command tested by `if`/`while`/`until`, any command of an `&&`/`||`
list but the last, any command of a pipeline but the last, and a command negated with `!` do
not stop it. The trap is not inherited by functions, subshells and command substitutions, so
a function call or a `( ... )` counts as one command, by its status. A `DEBUG` trap writes an
invisible marker with the line number before the first command of each new line (to the
terminal, never to the step's own redirections), so the output of the command that stopped the
block can be told from what earlier commands printed.

**Output** is read as it comes, in linear time and bounded memory: markers are found as they
arrive, answers to prompts are matched on a bounded window (with a time limit: the patterns come
from pages), and what the step printed is kept as its first `HEAD` and last `TAIL` characters
with a note of what was left out between them; secrets are masked before anything is cut.

After a timeout the command is interrupted with Ctrl-C, then an end of input (Ctrl-D), then the
quit commands of interactive clients (`\\q`, `quit`), then `q` (pagers), then Escape `:q!`
(editors); if the shell still does not answer it is closed, and the next step starts a new one.
Starting a shell, like a step, is bounded by the step's timeout.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from runbookdocs.errors import TargetError

if TYPE_CHECKING:
    from runbookdocs.block import Block
    from runbookdocs.run.redact import Redactor

COLUMNS = 250
ROWS = 50
_LINE = 3800  # characters per line sent: under the tty's 4095-byte canonical limit
HEAD = 256 * 1024
"""Characters of a step's output kept from its start."""
TAIL = 2 * 1024 * 1024
"""Characters of a step's output kept from its end."""
WINDOW = 64 * 1024
"""Characters of recent output an answer's `prompt=` is searched in."""
START_TIMEOUT = 30.0
"""Seconds a new shell may take to answer (less when the step's timeout is shorter)."""
PROLOGUE_LINES = 1
"""Lines the runner puts before a step's own lines in its file (bash numbers them too)."""
BASH_ARGS = ("bash", "--norc", "--noprofile", "--noediting", "-i")
"""The interactive shell every session runs."""

SESSION_ENV: Mapping[str, str] = {
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "PAGER": "cat",
    "GIT_PAGER": "cat",
    "SYSTEMD_PAGER": "cat",
    "MANPAGER": "cat",
    "COLUMNS": str(COLUMNS),
    "LINES": str(ROWS),
    "DEBIAN_FRONTEND": "noninteractive",
}
"""Environment of every session (a target's own env and the runbook's secrets come on top)."""

RECOVERY: tuple[tuple[str, str], ...] = (
    ("\x03", "Ctrl-C"),
    ("\x04", "Ctrl-D"),
    ("\\q\r", "\\q"),
    ("quit\r", "quit"),
    ("q", "q"),
    ("\x1b:q!\r", "Escape :q!"),
    ("\x03\x03", "Ctrl-C again"),
)
"""Keys sent, in order, to a step that ran past its timeout, until the shell answers:
Ctrl-C stops most commands (`tail -f`, `sleep`, `watch`); an end of input ends clients reading
their standard input (a bare `psql`, `mysql`, `python3`, `cat`); `\\q` and `quit` end SQL clients
at their prompt; `q` ends pagers (`less`, `top`); Escape `:q!` ends vi."""


class ShellHost(Protocol):
    """What a session needs from where it runs (a container, or a test's fake)."""

    def shell_command(
        self, *, user: str | None, workdir: str | None, env: Mapping[str, str]
    ) -> tuple[list[str], dict[str, str] | None, str | None]:
        """(argv that starts `BASH_ARGS` there, environment of that argv or None for this
        process's own, working directory of that argv or None)."""

    def describe(self) -> str:
        """A short name for messages (`container 0123456789ab`)."""


@dataclass
class StepResult:
    """What one step (a block, or one command of a transcript) did."""

    exit: int
    """Exit status; 130 when interrupted, the shell's status when the step ended the shell."""
    output: str
    """What the step printed (stdout and stderr, as on a terminal), CRLF kept, secrets
    masked; a long output keeps its start and its end, with a note between them."""
    duration_s: float
    timed_out: bool = False
    ending: str = ""
    """What happened besides the exit status: `interrupted` (the shell recovered), `ended`
    (the step ended its shell), `interrupt-ended` (the shell ended when interrupted),
    `replaced` (the shell did not recover and was closed: the next step starts a new one),
    `tampered` (the step broke the runner's protocol: its status cannot be trusted, the shell
    was closed); empty otherwise."""
    tried: tuple[str, ...] = ()
    """The recovery keys sent after a timeout (`RECOVERY` labels), in order."""
    last_line: int = 0
    """1-based line of the step's script the last command started on (`each=True`; 0: not
    known), where a step that timed out hung."""
    shell_ended: bool = False
    """The step ended its shell (`exit`, `set -e`): the next step starts a new one."""
    line: int = 0
    """1-based line of the step's script where a failing command stopped it (`each=True`);
    0 when no command stopped it."""
    command_output: str | None = None
    """What was printed from the line where the step stopped on (None: not known)."""
    truncated: int = 0
    """Characters of output left out between the kept start and end (0: all kept)."""
    slow_prompts: tuple[str, ...] = ()
    """`prompt=` patterns of answers that took too long to match: they were dropped."""


@dataclass(frozen=True)
class Reply:
    """An answer to an interactive prompt: when `prompt` matches the output, type `value`."""

    prompt: str
    value: str


class _Stream:
    """A step's output as it arrives: runner markers parsed out, text kept bounded.

    Linear in the output: each character is looked at a constant number of times (a marker
    is only looked for where a `\\x1e` is), and at most `HEAD + TAIL + WINDOW` characters are
    kept, whatever the step prints.
    """

    def __init__(
        self, salt: str, n: int, skip_prompts: int, *, head: int = 0, tail: int = 0
    ) -> None:
        self.n = n
        self.head_max = head or HEAD
        self.tail_max = tail or TAIL
        self.markers = re.compile(
            rf"\x1e(?:L{salt}:(\d+)|R{salt}:(\d+):([A-Z]*):(\d+):(\d+):(\w*)|P{salt})\x1e"
        )
        self.salt = salt
        self.pending = ""
        self.skip_prompts = skip_prompts
        self.head: list[str] = []
        self.head_len = 0
        self.tail: deque[str] = deque()
        self.tail_len = 0
        self.total = 0
        self.lines: list[tuple[int, int]] = []
        """(line of the step file, output offset) of each line marker."""
        self.max_line = 0
        self.window = ""
        self.done: tuple[str, int, int, str] | None = None
        """(flags, status, line, nonce) of this step's marker, once read."""
        self.other_done = False
        self.prompt = False
        """The prompt was read (after the marker, or without one: the line was aborted)."""

    # -- reading ------------------------------------------------------------------------

    def feed(self, data: str) -> None:
        text = self.pending + data
        self.pending = ""
        at = 0
        while True:
            i = text.find("\x1e", at)
            if i < 0:
                self._text(text[at:])
                return
            self._text(text[at:i])
            m = self.markers.match(text, i)
            if m is not None:
                self._marker(m)
                at = m.end()
                continue
            rest = text[i:]
            if self._may_be_marker(rest):
                self.pending = rest
                return
            self._text("\x1e")
            at = i + 1

    def _may_be_marker(self, rest: str) -> bool:
        if len(rest) > 80 or "\x1e" in rest[1:]:
            return False
        if len(rest) == 1:
            return True
        if rest[1] not in "LRP":
            return False
        given = rest[2 : 2 + len(self.salt)]
        return self.salt.startswith(given)

    def _marker(self, m: re.Match[str]) -> None:
        if m.group(1) is not None:
            line = int(m.group(1))
            if self.done is None:
                self.lines.append((line, self.total))
                self.max_line = max(self.max_line, line)
        elif m.group(2) is not None:
            if int(m.group(2)) == self.n and self.done is None:
                self.done = (m.group(3), int(m.group(4)), int(m.group(5)), m.group(6))
            else:
                self.other_done = True
        elif self.skip_prompts > 0 and self.total == 0 and self.done is None:
            self.skip_prompts -= 1
        else:
            self.prompt = True

    def _text(self, text: str) -> None:
        # Nothing after this step's marker is the step's output (job notices, a prompt
        # command left by the runbook): read and dropped.
        if not text or self.done is not None or self.prompt:
            return
        self.total += len(text)
        window = self.window + text
        self.window = window[-WINDOW:] if len(window) > WINDOW else window
        if self.head_len < self.head_max:
            take = text[: self.head_max - self.head_len]
            self.head.append(take)
            self.head_len += len(take)
            text = text[len(take) :]
            if not text:
                return
        self.tail.append(text)
        self.tail_len += len(text)
        while self.tail and self.tail_len - len(self.tail[0]) >= self.tail_max:
            self.tail_len -= len(self.tail.popleft())

    # -- what was printed ---------------------------------------------------------------

    def kept(self, redact: Redactor | None, since_line: int = 0) -> tuple[str, int, str | None]:
        """(output, characters left out, output from the marker of `since_line` on)."""
        from runbookdocs.run.redact import Redactor

        r = redact if redact is not None else Redactor(())
        since = None
        if since_line:
            offsets = [o for line, o in self.lines if line <= since_line]
            since = offsets[-1] if offsets else 0
        head = "".join(self.head)
        # The deque may hold up to a read's worth more than `tail_max`: cut it first, so that
        # whether an output is kept whole depends on its length, never on how it was read.
        tail = "".join(self.tail)[-self.tail_max :]
        dropped = self.total - len(head) - len(tail)
        own: str | None = None
        if dropped <= 0:
            text, mapped = r.window(head + tail, positions=[since or 0])
            own = text[mapped[0] :] if since is not None else None
            return _untrace(text), 0, _untrace(own) if own is not None else None
        tail_start = self.total - len(tail)
        head_text, head_pos = r.window(head, cut_end=True, positions=[since or 0])
        tail_text, tail_pos = r.window(
            tail, cut_start=True, positions=[max((since or 0) - tail_start, 0)]
        )
        note = f"\n[... {dropped} characters not kept ...]\n"
        text = head_text + note + tail_text
        if since is not None:
            if since < len(head):
                own = head_text[head_pos[0] :] + note + tail_text
            elif since < tail_start:
                own = note.lstrip("\n") + tail_text
            else:
                own = tail_text[tail_pos[0] :]
        return _untrace(text), dropped, _untrace(own) if own is not None else None


class Session:
    """A persistent bash where a target runs it.

    Args:
        host: where the shell runs (its `shell_command`).
        name: the session's name (`session=` of blocks), for messages.
        user: run as this user.
        workdir: starting directory.
        secrets: name -> value, exported inside the shell (never on a command line).
        redact: masks secrets in what steps print (before long output is cut).
    """

    def __init__(
        self,
        host: ShellHost,
        *,
        name: str = "main",
        user: str | None = None,
        workdir: str | None = None,
        secrets: Mapping[str, str] | None = None,
        redact: Redactor | None = None,
    ) -> None:
        self.host = host
        self.name = name
        self.user = user
        self.workdir = workdir
        self.secrets = dict(secrets or {})
        self.redact = redact
        self.child: Any = None
        self._salt = ""
        self._n = 0
        self.restarts = 0

    # -- life cycle -----------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        """True while the shell runs."""
        return self.child is not None and bool(self.child.isalive())

    def start(self, timeout: float = START_TIMEOUT) -> Session:
        """Spawn the shell and harden it (at most `timeout` seconds).

        Raises:
            TargetError: when the shell does not start (no bash in the image, unknown user,
                a target that cannot start processes any more) or cannot hide input.
        """
        import pexpect

        timeout = _finite(timeout)
        deadline = time.monotonic() + timeout
        self._salt = secrets.token_hex(6)
        self._n = 0
        argv, env, cwd = self.host.shell_command(
            user=self.user, workdir=self.workdir, env=SESSION_ENV
        )
        self.child = pexpect.spawn(
            argv[0],
            argv[1:],
            encoding="utf-8",
            codec_errors="replace",
            echo=False,
            dimensions=(ROWS, COLUMNS),
            timeout=timeout,
            env=env if env is not None else {**os.environ, "TERM": "xterm"},
            cwd=cwd,
        )
        self.child.delaybeforesend = None
        # Sent before anything of the runbook ran: plain names are still what they say. This
        # line itself may be echoed (the terminal's echo is turned off by it); it holds no
        # secret, and what it prints is dropped.
        self.child.sendline(_init(self._salt))
        stream = _Stream(self._salt, 0, 0)
        why = self._read(stream, deadline, [])
        flags = stream.done[0] if stream.done is not None else ""
        if why or stream.done is None or not stream.prompt or flags:
            before = _clean("".join(stream.head)).strip()[-300:]
            self.close()
            who = f" as user {self.user!r}" if self.user else ""
            if "E" in flags:
                problem = "cannot turn the terminal's echo off (stty)"
            elif "D" in flags:
                problem = "cannot create a directory for the steps (mktemp -d)"
            elif why == "timeout":
                problem = f"no answer within {timeout:g} s"
            else:
                problem = "cannot start a bash session"
            raise TargetError(
                f"{problem}{who} in {self.host.describe()}" + (f"\n    {before}" if before else ""),
                hint="the image needs bash (and stty, mktemp); with user=, an earlier block "
                "must create the user; a target whose processes are exhausted (a fork bomb) "
                "cannot start new shells",
            )
        if self.secrets:
            lines = [
                f"\\builtin printf -v {k} %b {shell_word(v)}; \\builtin export {k}"
                for k, v in self.secrets.items()
            ]
            for line in lines[:-1]:
                self.child.sendline(line)
            self._n += 1
            self.child.sendline(f"{lines[-1]}; __rbd_q {self._n}")
            stream = _Stream(self._salt, self._n, len(lines) - 1)
            if self._read(stream, deadline, []) or stream.done is None or not stream.prompt:
                self.close()
                raise TargetError(
                    f"cannot set the runbook's secrets in a bash session in {self.host.describe()}"
                )
        return self

    def close(self) -> None:
        """End the shell (the target stays)."""
        if self.child is not None:
            with contextlib.suppress(Exception):  # already gone
                self.child.close(force=True)
        self.child = None

    def restart(self, timeout: float = START_TIMEOUT) -> None:
        """Replace the shell by a new one (state is lost)."""
        self.close()
        self.restarts += 1
        self.start(timeout)

    # -- steps ----------------------------------------------------------------------------

    def run(
        self,
        script: str,
        *,
        timeout: float = 60.0,
        replies: list[Reply] | None = None,
        typed: bool = False,
        each: bool = False,
    ) -> StepResult:
        """Run `script` (any number of lines) in the shell and wait for it.

        Args:
            timeout: seconds before the step is interrupted (starting a new shell first, when
                the last one ended, counts in it).
            replies: answers to interactive prompts, each typed once, in order of appearance;
                the ones used are removed from the list (a transcript's commands share them).
            typed: run it as if typed at the prompt (`eval`), for transcript commands: error
                messages then read as in a terminal (`bash: eval: line 1: ...` for a syntax
                error) instead of naming the step's file.
            each: stop at the first top-level command that fails (see the module docstring);
                otherwise the step's status is its last command's.

        Raises:
            TargetError: the shell could not be started.
        """
        timeout = _finite(timeout)
        t0 = time.monotonic()
        deadline = t0 + timeout
        if not self.alive:
            self.start(min(START_TIMEOUT, timeout))
        self._n += 1
        n = self._n
        nonce = secrets.token_hex(4)
        mode = ""
        if each and not typed:
            # A block that turns tracing on gets the line trap whose own trace goes nowhere
            # from its start (switching when the first traced call shows costs a few lines).
            mode = " ex" if _XTRACE.search(script) else " e"
        text = f"__rbd_R {nonce}{mode}\n{script}" + ("" if script.endswith("\n") else "\n")
        words = _chunks(_escape(text))
        sent = [f"__rbd_b={words[0]}"] + [f"__rbd_b+={w}" for w in words[1:]]
        # The step by its own name, never the last one written: where a block has redefined
        # the writer, the previous step must not run again (the nonce check then fails closed).
        if typed:
            action = f'__rbd_c=; __rbd_p {n} t && \\builtin eval "$__rbd_c"'
        else:
            action = f'__rbd_p {n} && \\builtin source "$__rbd_d/{n}.sh"'
        final = f"{action}; {_AFTER} __rbd_q {n}"
        if len(sent) == 1 and len(sent[0]) + len(final) < _LINE:
            lines = [f"{sent[0]}; {final}"]
        else:
            lines = [*sent, final]
        child = self.child
        for text_line in lines:
            child.sendline(text_line)
        stream = _Stream(self._salt, n, len(lines) - 1)
        pending = replies if replies is not None else []
        slow: list[str] = []
        why = self._read(stream, deadline, pending, slow)
        if why == "timeout":
            return self._interrupt(stream, t0, timeout, typed=typed, slow=tuple(slow))
        if why == "eof":
            status = self._ended_status()
            line = 0
            if stream.done is not None:
                if stream.done[3] != nonce:
                    return self._result(
                        stream, status, t0, typed, ending="tampered", slow=tuple(slow)
                    )
                _, status, line, _ = stream.done
            stopped = max(line - PROLOGUE_LINES, 0) if line else 0
            return self._result(
                stream,
                status,
                t0,
                typed,
                line=stopped,
                ending="ended",
                shell_ended=True,
                slow=tuple(slow),
            )
        assert stream.done is not None or stream.prompt
        if stream.done is None:
            # The prompt came back without the marker: the line was aborted (a signal to the
            # shell, an assignment to a variable of the runner made read-only): the step's
            # status is not known. The shell is not trusted any more.
            self.close()
            return self._result(stream, 130, t0, typed, ending="tampered", slow=tuple(slow))
        flags, status, line, got = stream.done
        if "W" in flags or "D" in flags:
            output, _, _ = stream.kept(self.redact)
            tail = _clean(output).strip()[-300:]
            if "not a shell builtin" in tail:
                # `enable -n printf`: the runner's tools were taken away, not the disk.
                self.close()
                return self._result(stream, 1, t0, typed, ending="tampered", slow=tuple(slow))
            self._finish(flags)
            if "D" in flags:
                raise TargetError(
                    f"the directory the runner writes steps to in {self.host.describe()} was "
                    f"removed, and cannot be created again: {tail or 'no message'}",
                    hint="an earlier block removed it (rm -rf /tmp or /dev/shm?); the step "
                    "was not run",
                )
            raise TargetError(
                f"cannot write the step into {self.host.describe()}: {tail or 'no message'}",
                hint="is the disk full? (an earlier block may have filled /tmp or /dev/shm); "
                "the step was not run",
            )
        if got != nonce:
            # The step file was not run as written (a builtin disabled, the runner's functions
            # redefined): its status says nothing. The shell is not trusted any more.
            self.close()
            return self._result(stream, status, t0, typed, ending="tampered", slow=tuple(slow))
        self._finish(flags)
        stopped = max(line - PROLOGUE_LINES, 0) if line else 0
        return self._result(stream, status, t0, typed, line=stopped, slow=tuple(slow))

    def _finish(self, flags: str) -> None:
        if "E" in flags:
            # The terminal's echo could not be turned off: what the runner sends next could be
            # shown. A new shell (which checks it can) takes the next step.
            self.close()

    def _result(
        self,
        stream: _Stream,
        status: int,
        t0: float,
        typed: bool,
        *,
        line: int = 0,
        ending: str = "",
        shell_ended: bool = False,
        timed_out: bool = False,
        tried: tuple[str, ...] = (),
        slow: tuple[str, ...] = (),
    ) -> StepResult:
        since = line or (stream.max_line - PROLOGUE_LINES if timed_out else 0)
        output, dropped, own = stream.kept(self.redact, since + PROLOGUE_LINES if since else 0)
        if typed and "eval: line " in output:
            output = _EVAL_LINE.sub(_eval_line, output)
        return StepResult(
            status,
            output,
            time.monotonic() - t0,
            timed_out=timed_out,
            ending=ending,
            tried=tried,
            last_line=max(stream.max_line - PROLOGUE_LINES, 0),
            shell_ended=shell_ended,
            line=line,
            command_output=own if since else None,
            truncated=dropped,
            slow_prompts=slow,
        )

    def _read(
        self,
        stream: _Stream,
        deadline: float,
        replies: list[Reply],
        slow: list[str] | None = None,
    ) -> str:
        """Read until this step's marker and the prompt after it (or a prompt alone); type
        the answers whose prompts appear (a pattern too slow to match is dropped and added to
        `slow`). Returns "" when done, "timeout" or "eof"."""
        import pexpect

        child = self.child
        searched = 0
        patterns = [_compile(r.prompt) for r in replies]
        while not stream.prompt:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return "timeout"
            try:
                data = child.read_nonblocking(65536, timeout=min(wait, 3600.0))
            except pexpect.TIMEOUT:
                return "timeout"
            except pexpect.EOF:
                return "eof"
            stream.feed(data)
            if replies and stream.done is None and stream.total > searched:
                searched = stream.total
                self._answer(stream, replies, patterns, deadline, slow)
        return ""

    def _answer(
        self,
        stream: _Stream,
        replies: list[Reply],
        patterns: list[Any],
        deadline: float,
        slow: list[str] | None,
    ) -> None:
        """Type the answer whose prompt appears first in the recent output, if any."""
        best: tuple[int, int, int] | None = None
        for k, pattern in enumerate(patterns):
            if pattern is None:
                continue
            limit = max(min(deadline - time.monotonic(), 1.0), 0.01)
            try:
                m = pattern.search(stream.window, timeout=limit)
            except TimeoutError:
                # A pattern with catastrophic backtracking: it is dropped, and said so.
                if slow is not None:
                    slow.append(replies[k].prompt)
                patterns[k] = None
                continue
            if m is not None and (best is None or m.start() < best[0]):
                best = (m.start(), m.end(), k)
        if best is None:
            return
        _, end, k = best
        stream.window = stream.window[end:]
        reply = replies.pop(k)
        del patterns[k]
        self.child.sendline(reply.value)

    def _ended_status(self) -> int:
        child = self.child
        with contextlib.suppress(Exception):
            child.close()
        self.child = None
        status = child.exitstatus
        if status is None and child.signalstatus is not None:
            status = 128 + int(child.signalstatus)
        return int(status if status is not None else 255)

    def _reset(self, deadline: float) -> bool:
        """Put the runner's settings back after a line that did not reach its end (echo off,
        the runbook's options saved); False (and the shell closed) when it does not answer."""
        if self.child is None:
            return False
        self._n += 1
        self.child.sendline(_UNALIAS)
        self.child.sendline(f"{_AFTER} __rbd_q {self._n}")
        stream = _Stream(self._salt, self._n, 1)
        if self._read(stream, deadline, []) or stream.done is None:
            self.close()
            return False
        self._finish(stream.done[0])
        return True

    def _interrupt(
        self, stream: _Stream, t0: float, timeout: float, *, typed: bool, slow: tuple[str, ...]
    ) -> StepResult:
        """Stop a step that ran past its timeout; the shell is recovered, or closed.

        Each key gets a short wait (a tenth of the timeout, 0.2 to 1 s), and the whole
        recovery at most the timeout itself (at least 2 s, at most 10 s): a step never takes
        more than about twice its timeout, whatever it left running.
        """
        wait = min(1.0, max(0.2, timeout / 10))
        end = time.monotonic() + max(2.0, min(timeout, 10.0))
        tried: list[str] = []
        result: dict[str, Any] = {"timed_out": True, "slow": slow}
        for keys, label in RECOVERY:
            if time.monotonic() >= end:
                break
            tried.append(label)
            self.child.send(keys)
            why = self._read(stream, min(time.monotonic() + wait, end), [])
            if why == "eof":
                self.close()
                return self._result(
                    stream, 130, t0, typed, ending="interrupt-ended", shell_ended=True,
                    tried=tuple(tried), **result,
                )  # fmt: skip
            if not why:
                status = stream.done[1] if stream.done is not None else 130
                if stream.done is None:
                    self._reset(min(time.monotonic() + 2.0, end + 2.0))
                else:
                    self._finish(stream.done[0])
                return self._result(
                    stream, status, t0, typed, ending="interrupted", tried=tuple(tried), **result
                )
        self.close()
        return self._result(
            stream, 130, t0, typed, ending="replaced", tried=tuple(tried), shell_ended=True,
            **result,
        )  # fmt: skip


# -- the runner's shell code --------------------------------------------------------------

# After each step: the runbook's options saved, then off; POSIX mode (special builtins before
# functions) until the next step's first line; a function named `builtin` removed; the
# runbook's DEBUG trap removed. In a group whose trace goes nowhere (`set -x` of a block).
_KEYWORDS = (
    "'{' '}' '!' '[[' ']]' case coproc do done elif else esac fi for function if in select then"
    " time until while __rbd_p __rbd_q __rbd_R __rbd_E __rbd_L"
)
_AFTER = (
    "{ __rbd_s=$? __rbd_O=${__rbd_Z:-$SHELLOPTS} __rbd_Z= POSIXLY_CORRECT=y; \\set +euvx;"
    " \\unset -f builtin;"
    f" \\builtin unalias -- {_KEYWORDS}; \\trap - DEBUG; }} 2>/dev/null;"
)
"""After each step: the runbook's options saved, then off; POSIX mode (special builtins before
functions) until the next step's first line; a function named `builtin` removed, aliases named
like keywords or the runner's functions removed (the next line the runner sends is parsed with
the runbook's aliases); the runbook's DEBUG trap removed. In a group whose trace goes nowhere
(`set -x` of a block). Parsed before the step runs: nothing the step defines changes it."""
_UNALIAS = (
    f"POSIXLY_CORRECT=y; \\unset -f builtin; \\builtin unalias -- {_KEYWORDS} 2>/dev/null || :"
)
"""The first line of a reset (after a line that did not reach its end): what the next line
needs to parse as written."""


def _init(salt: str) -> str:
    """The line that sets a new shell up (functions are parsed here, before any alias of the
    runbook exists)."""
    marker = f"\\036L{salt}:%s\\036"
    done = f"\\036R{salt}:%s:%s:%s:%s:%s\\036\\n"
    prompt = f"PS1=$'\\036'P{salt}$'\\036'"
    return " ".join(
        [
            f"stty -echo rows {ROWS} cols {COLUMNS} 2>/dev/null || __rbd_w=E;",
            "unset HISTFILE PROMPT_COMMAND; set +H +o history -o ignoreeof;",
            "PS0=''; PS2=''; PS4='+ ';",
            # Steps are files in memory (/dev/shm) when the target allows: a file on the
            # container's overlay costs milliseconds to write.
            '__rbd_d=$(mktemp -d "${TMPDIR:-/dev/shm}/.runbookdocs.XXXXXX" 2>/dev/null'
            ' || mktemp -d "/tmp/.runbookdocs.XXXXXX"); [[ -n $__rbd_d ]] || __rbd_w+=D;',
            "{ exec {__rbd_t}<>/dev/tty; } 2>/dev/null || __rbd_t=1;",
            # The traps run with the runbook's aliases and options: no keyword in them (a
            # block's own alias of `{` must not break them), and under `set -x` only the call
            # shows in the trace (`_untrace` removes it).
            '__rbd_et=\'__rbd_E "$?" "$LINENO" 2>/dev/null || \\return "$__rbd_s"\';',
            "__rbd_dt='__rbd_L \"$LINENO\"'; __rbd_dx='__rbd_L \"$LINENO\" 2>/dev/null';",
            # Stopping the step: POSIX mode first, so that `return` is the builtin even where
            # the block defined a function of that name (its options are saved before).
            '__rbd_E() { [[ -z ${__rbd_g-} || ${BASH_SOURCE[1]-} != "$__rbd_g" ]] ||'
            " { __rbd_s=$1 __rbd_l=$2 __rbd_Z=$SHELLOPTS POSIXLY_CORRECT=y; [[ -z x ]]; }; };",
            '__rbd_L() { if [[ -n ${__rbd_g-} && ${BASH_SOURCE[1]-} == "$__rbd_g"'
            " && $1 -gt $__rbd_m ]]; then __rbd_m=$1;"
            f' \\builtin printf \'{marker}\' "$1" >&"$__rbd_t"; fi;'
            # Under `set -x` the plain trap would be traced before every command: the first
            # traced call switches to the one whose trace goes nowhere.
            " if [[ $- == *x* && -z ${__rbd_X-} ]]; then __rbd_X=1;"
            ' \\builtin trap "$__rbd_dx" DEBUG; fi; };',
            # A step file: its first line (`__rbd_R nonce [e]`), then the step.
            "__rbd_R() { __rbd_k=$1 __rbd_X=;"
            " if [[ ${2-} == e* ]]; then __rbd_g=${BASH_SOURCE[1]-} __rbd_m=1;"
            ' \\builtin trap "$__rbd_et" ERR; \\builtin trap "$__rbd_dt" DEBUG; fi;'
            ' if [[ ${2-} == ex ]]; then __rbd_X=1; \\builtin trap "$__rbd_dx" DEBUG; fi;'
            " if [[ :$__rbd_O: != *:posix:* ]]; then \\unset POSIXLY_CORRECT; fi;"
            " if [[ :$__rbd_O: == *:nounset:* ]]; then \\builtin set -u; fi;"
            " if [[ :$__rbd_O: == *:errexit:* ]]; then \\builtin set -e; fi;"
            " if [[ :$__rbd_O: == *:verbose:* ]]; then \\builtin set -v; fi;"
            " if [[ :$__rbd_O: == *:xtrace:* ]]; then"
            ' if [[ -n $__rbd_g ]]; then __rbd_X=1; \\builtin trap "$__rbd_dx" DEBUG; fi;'
            " \\builtin set -x; fi; };",
            # Write the step (`t`: into a variable, for `eval`). A step that cannot be written
            # is never run: `W` (write failed) or `D` (directory gone) in the marker says so.
            "__rbd_p() { __rbd_n=$1 __rbd_g= __rbd_w= __rbd_l=0 __rbd_k= __rbd_s=0 __rbd_Z=;"
            " if [[ ${2-} == t ]]; then"
            ' \\builtin printf -v __rbd_c %b "$__rbd_b" || __rbd_w=W; __rbd_b=;'
            " [[ -z $__rbd_w ]]; return; fi;"
            " __rbd_f=$__rbd_d/$1.sh;"
            " if [[ ! -d $__rbd_d ]]; then"
            ' \\builtin command -p mkdir -m 700 -- "$__rbd_d" || __rbd_w=D; fi;'
            ' if [[ -z $__rbd_w ]] && ! \\builtin printf %b "$__rbd_b" >| "$__rbd_f"; then'
            " __rbd_w=W; fi; __rbd_b=; [[ -z $__rbd_w ]]; };",
            # After a step: echo off again, the marker (status, line stopped at, nonce), the
            # prompt back (a block may have changed it).
            "__rbd_q() {"
            ' \\builtin command -p stty -echo <&"$__rbd_t" 2>/dev/null || __rbd_w+=E;'
            f' \\builtin printf \'{done}\' "$1" "${{__rbd_w-}}" "${{__rbd_s:-0}}"'
            ' "${__rbd_l:-0}" "${__rbd_k-}" >&"$__rbd_t" 2>/dev/null'
            f' || \\builtin printf \'{done}\' "$1" "${{__rbd_w-}}" "${{__rbd_s:-0}}"'
            ' "${__rbd_l:-0}" "${__rbd_k-}";'
            " __rbd_w= __rbd_l=0 __rbd_k= __rbd_g=; \\unset PROMPT_COMMAND; PS0=;"
            f" {prompt}; }};",
            # A step that ends the shell (`exit`, `set -e`) still says where it stopped. The
            # trap runs with the block's functions: POSIX mode first, so that `unset` is the
            # builtin, and no function named `builtin` (a block may have defined `unset`, and
            # even `:`, through an alias, to loop forever).
            "__rbd_x() { __rbd_s=$1 POSIXLY_CORRECT=y; \\unset -f builtin 2>/dev/null;"
            ' __rbd_q "${__rbd_n:-0}"; };'
            " trap '__rbd_x \"$?\" 2>/dev/null' EXIT;",
            "__rbd_s=0 __rbd_O=$SHELLOPTS POSIXLY_CORRECT=y; __rbd_q 0",
        ]
    )


_SAFE = frozenset(
    b'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !"#$%&()*+,-./:;<=>?@[]^_`{|}~'
)
_TRACE = re.compile(
    # `set -x`: the calls of the runner's traps (the `return` that stops a step after the
    # error trap's call, the line trap's calls in between).
    r"^[^\n]{0,80}?__rbd_E \d+ \d+\r?\n(?:[^\n]{0,80}?__rbd_L \d+\r?\n)*"
    r"(?:[^\n]{0,80}?return \d+\r?\n)?"
    r"|^[^\n]{0,80}?__rbd_[Lx] \d+\r?\n"
    # `set -v`: the trap strings, shown as bash reads them.
    r"|^__rbd_[ELx] \"\$[?L][^\n]*\r?\n",
    re.MULTILINE,
)


def _untrace(text: str) -> str:
    """`text` without the trace lines of the runner's trap calls (`set -x` of a block shows
    the call before its redirection hides the rest)."""
    return _TRACE.sub("", text) if "__rbd_" in text else text


_XTRACE = re.compile(r"\bset\b[^\n;|&]*?(?:\s[-+][A-Za-z]*x|\bxtrace\b)")
_EVAL_LINE = re.compile(r"(bash: eval: line )(\d+)(:)")


def _eval_line(m: re.Match[str]) -> str:
    return f"{m.group(1)}{max(int(m.group(2)) - PROLOGUE_LINES, 1)}{m.group(3)}"


def _escape(text: str) -> list[str]:
    """`text` as `printf %b` tokens (one per byte): printable ASCII as is, the rest (`\\`,
    `'`, control characters, non-ASCII bytes) as `\\xHH`, so the word is plain ASCII that the
    tty passes unchanged and single quotes keep whole."""
    data = text.encode("utf-8", "surrogateescape")
    return [chr(b) if b in _SAFE else f"\\x{b:02x}" for b in data]


def _chunks(tokens: list[str], size: int = _LINE - 20) -> list[str]:
    """Single-quoted words of at most `size` characters (an escape is never split)."""
    words: list[str] = []
    current: list[str] = []
    length = 0
    for token in tokens:
        if length + len(token) > size and current:
            words.append("'" + "".join(current) + "'")
            current, length = [], 0
        current.append(token)
        length += len(token)
    words.append("'" + "".join(current) + "'")
    return words


def shell_word(value: str) -> str:
    """`value` as one single-quoted word for `printf %b`: printable ASCII, whatever `value`
    holds (quotes, backslashes, newlines, control characters, non-ASCII text)."""
    return "'" + "".join(_escape(value)) + "'"


def _compile(pattern: str) -> Any:
    import regex

    try:
        return regex.compile(pattern)
    except regex.error:
        return None


def _finite(seconds: float) -> float:
    """A timeout the system calls accept (`timeout: .inf` is refused before a block runs;
    this keeps the session safe whatever it is given)."""
    if seconds != seconds or seconds <= 0:  # NaN, or not positive
        return 0.01
    return min(seconds, 7 * 24 * 3600.0)


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n")


class _Host(Protocol):
    """A started target as `session_for` sees it."""

    @property
    def spec(self) -> Any: ...

    def shell_command(
        self, *, user: str | None, workdir: str | None, env: Mapping[str, str]
    ) -> tuple[list[str], dict[str, str] | None, str | None]: ...

    def describe(self) -> str: ...


def session_for(
    sessions: dict[tuple[str, str, str | None], Session],
    block: Block,
    target_name: str,
    target: _Host,
    secret_values: Mapping[str, str],
    *,
    redact: Redactor | None = None,
    timeout: float = START_TIMEOUT,
) -> Session:
    """The shell `block` runs in: one per (session name, target, user), started on first use
    (within `timeout` seconds).

    Every sandbox (`runbookdocs run` and `runbookdocs play`) asks this, so that both give a
    block the same shell: its `user=` (or the target's), the target's working directory, the
    page's secrets, masked in what it prints.
    """
    user = block.user or target.spec.user
    key = (block.session, target_name, user)
    if key not in sessions:
        session = Session(
            target,
            name=block.session,
            user=user,
            workdir=target.spec.workdir,
            secrets=secret_values,
            redact=redact,
        )
        session.start(min(START_TIMEOUT, _finite(timeout)))
        sessions[key] = session
    return sessions[key]


def docker_exec_command(
    container: str, *, user: str | None, workdir: str | None, env: Mapping[str, str]
) -> list[str]:
    """`docker exec -it` argv that starts the session's shell in `container`."""
    argv = ["docker", "exec", "-it"]
    if user:
        argv += ["-u", user]
    if workdir:
        argv += ["-w", workdir]
    for key, value in env.items():
        argv += ["-e", f"{key}={value}"]
    return [*argv, container, *BASH_ARGS]


__all__ = [
    "BASH_ARGS",
    "HEAD",
    "PROLOGUE_LINES",
    "RECOVERY",
    "SESSION_ENV",
    "TAIL",
    "Reply",
    "Session",
    "ShellHost",
    "StepResult",
    "docker_exec_command",
    "session_for",
    "shell_word",
]
