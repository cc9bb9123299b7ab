"""Session: one persistent bash inside a target, driven by pexpect.

The shell is hardened the way pexpect's `replwrap` does it, and exit statuses are read the way
prysk does (a salted marker printed after each step):

- `bash --norc --noprofile --noediting -i`: no start-up files, no readline (so no bracketed
  paste, no tab completion of pasted tabs), but job control, so Ctrl-C stops the foreground
  command and the shell survives;
- `stty -echo rows 50 cols 250` (docker resizes the tty asynchronously; the size is set here
  too), `PROMPT_COMMAND=''`, `set +H`, `set +o history`, `set -o ignoreeof` (an end of input
  sent to a program that waits for one never ends the shell), `PAGER=cat`, `LANG=C.UTF-8`,
  `TZ=UTC`, wide `COLUMNS`; a prompt holding a non-printable salted part, so it cannot be
  confused with output;
- pexpect's `delaybeforesend` is off (its 50 ms default costs ~100 ms per step), `maxread` is
  64 KiB (large outputs stream fast).

Where the shell runs is the target's business (`Target.shell_command`: `docker exec -it` for a
container); the session only needs a command that starts an interactive bash.

Each step is written to a file (base64 over the tty, in lines short enough for the tty's
canonical mode) and sourced: multi-line blocks cannot desynchronise the prompt, an unterminated
quote is a syntax error instead of a hang, and `cd`, `export` and functions carry over to the
next step.

**Every top-level command counts** (`run(..., each=True)`): while the file is sourced, an `ERR`
trap stops it at the first command that fails, with bash's own rules for what "fails" means —
the rules of `set -e`: a command tested by `if`/`while`/`until`, any command of an `&&`/`||`
list but the last, any command of a pipeline but the last, and a command negated with `!` do
not stop it. The trap is not inherited by functions, subshells and command substitutions, so
a function call or a `( ... )` counts as one command, by its status. A `DEBUG` trap writes an
invisible marker with the line number before the first command of each new line (to the
terminal, never to the step's own redirections), so the output of the command that stopped the
block can be told from what earlier commands printed. The traps stay installed between steps
but do nothing outside the step file they were armed for (`__rbd_g`): bash restores, when a
function returns, a trap the function cleared, and a line of the session's own is cheaper than
clearing them at the top level after each step.

After a timeout the command is interrupted with Ctrl-C, then an end of input (Ctrl-D), then the
quit commands of interactive clients (`\\q`, `quit`), then `q` (pagers), then Escape `:q!`
(editors); if the shell still does not answer it is replaced by a new one.
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from runbookdocs.errors import TargetError

if TYPE_CHECKING:
    from runbookdocs.block import Block

COLUMNS = 250
ROWS = 50
_CHUNK = 3000  # base64 characters per line: well under the tty's 4095-byte canonical limit
_KEEP_OUTPUT = 4 * 1024 * 1024  # characters of output kept per step (the end is kept)
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
    """Everything the step printed (stdout and stderr, as on a terminal), CRLF kept."""
    duration_s: float
    timed_out: bool = False
    ending: str = ""
    """What happened besides the exit status: `interrupted` (the shell recovered), `ended`
    (the step ended its shell), `interrupt-ended` (the shell ended when interrupted),
    `replaced` (the shell did not recover and was replaced); empty otherwise."""
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


@dataclass(frozen=True)
class Reply:
    """An answer to an interactive prompt: when `prompt` matches the output, type `value`."""

    prompt: str
    value: str


class Session:
    """A persistent bash where a target runs it.

    Args:
        host: where the shell runs (its `shell_command`).
        name: the session's name (`session=` of blocks), for messages.
        user: run as this user.
        workdir: starting directory.
        secrets: name -> value, exported inside the shell (never on a command line).
    """

    def __init__(
        self,
        host: ShellHost,
        *,
        name: str = "main",
        user: str | None = None,
        workdir: str | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        self.host = host
        self.name = name
        self.user = user
        self.workdir = workdir
        self.secrets = dict(secrets or {})
        self.child: Any = None
        self._salt = ""
        self._n = 0
        self.restarts = 0

    # -- life cycle -----------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        """True while the shell runs."""
        return self.child is not None and bool(self.child.isalive())

    def start(self, timeout: float = 30.0) -> Session:
        """Spawn the shell and harden it.

        Raises:
            TargetError: when the shell does not start (no bash in the image, unknown user).
        """
        import pexpect

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
            maxread=65536,
            timeout=timeout,
            env=env if env is not None else {**os.environ, "TERM": "xterm"},
            cwd=cwd,
        )
        self.child.delaybeforesend = None
        init = (
            f"stty -echo rows {ROWS} cols {COLUMNS} 2>/dev/null; unset HISTFILE PROMPT_COMMAND;"
            " set +H +o history -o ignoreeof; PS0=''; PS2=''; PS4='+ ';"
            ' __rbd_d=$(mktemp -d "${TMPDIR:-/tmp}/.runbookdocs.XXXXXX");'
            # Line markers go to the terminal itself: a step's `exec >file` must not get them.
            " { exec {__rbd_t}>/dev/tty; } 2>/dev/null || __rbd_t=1;"
            # The traps of `run(each=True)`, kept in variables so that each step's line
            # stays short, and armed for one step file at a time (see the module docstring).
            ' __rbd_et=\'__rbd_s=$?; if [[ -n $__rbd_g && ${BASH_SOURCE-} == "$__rbd_g" ]]; then'
            " __rbd_l=$LINENO; return $__rbd_s; fi';"
            ' __rbd_dt=\'[[ -z $__rbd_g || ${BASH_SOURCE-} != "$__rbd_g"'
            " || $LINENO -le $__rbd_m ]] ||"
            f' {{ __rbd_m=$LINENO; printf "\\036L{self._salt}:%s\\036" $LINENO >&$__rbd_t; }}\';'
            ' __rbd_D() { trap "$__rbd_dt" DEBUG; };'
            # A step file that cannot be written (a full /tmp) must not be sourced: an empty
            # file would "pass" without running anything. `W` in the marker says so.
            " __rbd_p() { __rbd_f=$__rbd_d/$1.sh; __rbd_g=; __rbd_w=; __rbd_l=0; __rbd_m=1;"
            ' if printf %s "$__rbd_b" | base64 -d > "$__rbd_f"; then __rbd_b=;'
            ' if [[ -n ${2-} ]]; then __rbd_g=$__rbd_f; trap "$__rbd_et" ERR; fi;'
            " else __rbd_b=; __rbd_w=W; return 1; fi; };"
            # The step may change the prompt (a sourced ~/.bashrc sets PS1 or
            # PROMPT_COMMAND): ours is restored after the marker, so that the next prompt is
            # always recognised.
            " __rbd_q() {"
            f' printf \'\\036R%s:%s%s:%s\\036\\n\' {self._salt}:$2 "${{__rbd_w-}}" "$1"'
            ' "${__rbd_l:-0}"; __rbd_w=; __rbd_l=0; unset PROMPT_COMMAND; PS0=;'
            f" PS1=$'\\036'P{self._salt}$'\\036'; }};"
            f" PS1=$'\\036'P{self._salt}$'\\036'"
        )
        self.child.sendline(init)
        index = self.child.expect([self._prompt_re, pexpect.EOF, pexpect.TIMEOUT])
        if index != 0:
            before = _clean(str(self.child.before or ""))
            self.close()
            who = f" as user {self.user!r}" if self.user else ""
            raise TargetError(
                f"cannot start a bash session{who} in {self.host.describe()}"
                + (f"\n    {before.strip()[-300:]}" if before.strip() else ""),
                hint="the image needs bash; with user=, an earlier block must create the user",
            )
        if self.secrets:
            lines = [
                f'export {k}="$(printf %s {_b64(v)} | base64 -d)"' for k, v in self.secrets.items()
            ]
            self.child.sendline("; ".join(lines) + "; :")
            self.child.expect(self._prompt_re)
        return self

    def close(self) -> None:
        """End the shell (the target stays)."""
        if self.child is not None:
            with contextlib.suppress(Exception):  # already gone
                self.child.close(force=True)
        self.child = None

    def restart(self) -> None:
        """Replace the shell by a new one (state is lost)."""
        self.close()
        self.restarts += 1
        self.start()

    # -- steps ----------------------------------------------------------------------------

    @property
    def _prompt(self) -> str:
        return f"\x1eP{self._salt}\x1e"

    @property
    def _prompt_re(self) -> str:
        return re.escape(self._prompt)

    def _done_re(self, n: int) -> re.Pattern[str]:
        # `W` before the status: the step file could not be written (see `run`); the last
        # number is the line a failing command stopped the step at (0: none did).
        return re.compile(rf"\x1eR{self._salt}:{n}:(W?)(\d+):(\d+)\x1e\r?\n{self._prompt_re}")

    def _line_re(self) -> re.Pattern[str]:
        return re.compile(rf"\x1eL{self._salt}:(\d+)\x1e")

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
            timeout: seconds before the step is interrupted.
            replies: answers to interactive prompts, each typed once, in order of appearance;
                the ones used are removed from the list (a transcript's commands share them).
            typed: run it as if typed at the prompt (`eval`), for transcript commands: error
                messages then read as in a terminal (`bash: eval: line 1: ...` for a syntax
                error) instead of naming the step's file.
            each: stop at the first top-level command that fails (see the module docstring);
                otherwise the step's status is its last command's.
        """
        import pexpect

        if not self.alive:
            self.start()
        self._n += 1
        n = self._n
        if each and not typed:
            # The DEBUG trap is set from inside the file (a sourced file does not inherit
            # it), on its first line so that every line keeps its number.
            script = "__rbd_D; " + script
        data = _b64(script + ("" if script.endswith("\n") else "\n"))
        chunks = [data[i : i + _CHUNK] for i in range(0, len(data), _CHUNK)] or [""]
        pre = [f"__rbd_b={chunks[0]}"] + [f"__rbd_b+={c}" for c in chunks[1:]]
        # The work around the step is done by the functions `start` defines (`__rbd_p`
        # writes the step file and sets the ERR trap, `__rbd_q` prints the marker and restores
        # the prompt): the line sent stays short, and every character sent through the tty
        # costs. The step itself is sourced (or evaluated) at the top level, never inside a
        # function, so that its `declare`s and `local`s mean what they say.
        if typed:
            final = f'__rbd_w=; eval "$(printf %s "$__rbd_b" | base64 -d)"; __rbd_q $? {n}'
        else:
            final = f'__rbd_p {n}{" e" if each else ""} && . "$__rbd_f"; __rbd_q $? {n}'

        done = self._done_re(n)
        t0 = time.monotonic()
        child = self.child
        # Everything on one line when it fits: one prompt, one round trip.
        if len(pre) == 1 and len(pre[0]) + len(final) < 3900:
            child.sendline(pre[0] + "; " + final)
        else:
            for line in pre:
                child.sendline(line)
            child.sendline(final)
        pending = replies if replies is not None else []
        out: list[str] = []
        deadline = t0 + timeout
        while True:
            patterns: list[Any] = [done, pexpect.EOF, pexpect.TIMEOUT]
            patterns += [re.compile(r.prompt) for r in pending]
            index = child.expect(patterns, timeout=max(deadline - time.monotonic(), 0.01))
            if index == 0:
                out.append(str(child.before))
                if child.match.group(1):
                    tail = _clean(self._output(out)).strip()[-300:]
                    raise TargetError(
                        f"cannot write the step into {self.host.describe()}: "
                        f"{tail or 'no message'}",
                        hint="is the disk full? (an earlier block may have filled /tmp); "
                        "the step was not run",
                    )
                stopped = int(child.match.group(3))
                return StepResult(
                    int(child.match.group(2)),
                    self._output(out),
                    time.monotonic() - t0,
                    line=stopped,
                    command_output=self._output(out, since=stopped) if stopped else None,
                )
            if index == 1:
                out.append(str(child.before))
                status = self._ended_status()
                return StepResult(
                    status,
                    self._output(out),
                    time.monotonic() - t0,
                    ending="ended",
                    shell_ended=True,
                )
            if index == 2:
                # The buffer is not consumed by a timeout: `_interrupt` reads it.
                return self._interrupt(out, n, t0, timeout)
            reply = pending.pop(index - 3)
            out.append(str(child.before) + str(child.after))
            child.sendline(reply.value)

    def _ended_status(self) -> int:
        child = self.child
        with contextlib.suppress(Exception):
            child.close()
        self.child = None
        status = child.exitstatus
        if status is None and child.signalstatus is not None:
            status = 128 + int(child.signalstatus)
        return int(status if status is not None else 255)

    def _interrupt(self, out: list[str], n: int, t0: float, timeout: float) -> StepResult:
        """Stop a step that ran past its timeout; the shell is recovered or replaced.

        Each key gets a short wait (a tenth of the timeout, 0.2 to 1 s): the whole recovery
        costs a fraction of the timeout. What the step printed is read once: pexpect keeps an
        unmatched buffer, so reading it after each key would repeat it.
        """
        import pexpect

        child = self.child
        done = self._done_re(n)
        wait = min(1.0, max(0.2, timeout / 10))
        tried: list[str] = []
        for keys, label in RECOVERY:
            tried.append(label)
            child.send(keys)
            index = child.expect(
                [done, self._prompt_re, pexpect.EOF, pexpect.TIMEOUT], timeout=wait
            )
            if index in (0, 1):
                out.append(str(child.before))
                status = int(child.match.group(2)) if index == 0 else 130
                last_line = self._last_line(out)
                return StepResult(
                    status,
                    self._output(out),
                    time.monotonic() - t0,
                    timed_out=True,
                    ending="interrupted",
                    tried=tuple(tried),
                    last_line=last_line,
                    command_output=self._output(out, since=last_line) if last_line else None,
                )
            if index == 2:
                out.append(str(child.before))
                self.close()
                return StepResult(
                    130,
                    self._output(out),
                    time.monotonic() - t0,
                    timed_out=True,
                    ending="interrupt-ended",
                    tried=tuple(tried),
                    last_line=self._last_line(out),
                    shell_ended=True,
                )
        out.append(str(child.before))
        # Read before the new shell starts: it has another salt.
        last_line = self._last_line(out)
        output = self._output(out)
        own = self._output(out, since=last_line) if last_line else None
        self.restart()
        return StepResult(
            130,
            output,
            time.monotonic() - t0,
            timed_out=True,
            ending="replaced",
            tried=tuple(tried),
            last_line=last_line,
            command_output=own,
            shell_ended=True,
        )

    def _last_line(self, parts: list[str]) -> int:
        lines = [int(m.group(1)) for m in self._line_re().finditer("".join(parts))]
        return max(lines, default=0)

    def _output(self, parts: list[str], *, since: int = 0) -> str:
        """What a step printed, line markers removed; with `since`, only from the marker of
        the last line not after `since` on."""
        text = "".join(parts)
        prompt = self._prompt
        # Prompts of the lines that carried a long script in pieces come before any output.
        while text.startswith(prompt):
            text = text[len(prompt) :]
        if "\x1eL" in text:
            markers = self._line_re()
            if since:
                start = 0
                for m in markers.finditer(text):
                    if int(m.group(1)) <= since:
                        start = m.end()
                text = text[start:]
            text = markers.sub("", text)
        if len(text) > _KEEP_OUTPUT:
            text = (
                f"[... {len(text) - _KEEP_OUTPUT} characters not kept ...]\n" + text[-_KEEP_OUTPUT:]
            )
        return text


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")


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
) -> Session:
    """The shell `block` runs in: one per (session name, target, user), started on first use.

    Every sandbox (`runbookdocs run` and `runbookdocs play`) asks this, so that both give a
    block the same shell: its `user=` (or the target's), the target's working directory, the
    page's secrets.
    """
    user = block.user or target.spec.user
    key = (block.session, target_name, user)
    if key not in sessions:
        sessions[key] = Session(
            target,
            name=block.session,
            user=user,
            workdir=target.spec.workdir,
            secrets=secret_values,
        ).start()
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
    "RECOVERY",
    "SESSION_ENV",
    "Reply",
    "Session",
    "ShellHost",
    "StepResult",
    "docker_exec_command",
    "session_for",
]
