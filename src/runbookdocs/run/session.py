"""Session: one persistent bash inside a target, driven by pexpect over `docker exec -it`.

The shell is hardened the way pexpect's `replwrap` does it, and exit statuses are read the way
prysk does (a salted marker printed after each step):

- `bash --norc --noprofile --noediting -i`: no start-up files, no readline (so no bracketed
  paste, no tab completion of pasted tabs), but job control, so Ctrl-C stops the foreground
  command and the shell survives;
- `stty -echo rows 50 cols 250` (docker resizes the tty asynchronously; the size is set here
  too), `PROMPT_COMMAND=''`, `set +H`, `set +o history`, `PAGER=cat`, `LANG=C.UTF-8`, `TZ=UTC`,
  wide `COLUMNS`; a prompt holding a non-printable salted part, so it cannot be confused with
  output;
- pexpect's `delaybeforesend` is off (its 50 ms default costs ~100 ms per step), `maxread` is
  64 KiB (large outputs stream fast).

Each step is written to a file in the container (base64 over the tty, in lines short enough for
the tty's canonical mode) and sourced: multi-line blocks cannot desynchronise the prompt, an
unterminated quote is a syntax error instead of a hang, and `cd`, `export` and functions carry
over to the next step. After a timeout the command is interrupted with Ctrl-C, then `q` (pagers),
then Escape `:q!` (editors); if the shell still does not answer it is replaced by a new one.
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
from typing import TYPE_CHECKING, Any

from runbookdocs.errors import TargetError

if TYPE_CHECKING:
    from runbookdocs.block import Block
    from runbookdocs.run.targets import Target

COLUMNS = 250
ROWS = 50
_CHUNK = 3000  # base64 characters per line: well under the tty's 4095-byte canonical limit
_KEEP_OUTPUT = 4 * 1024 * 1024  # characters of output kept per step (the end is kept)

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


@dataclass
class StepResult:
    """What one step (a block, or one command of a transcript) did."""

    exit: int
    """Exit status; 130 when interrupted, the shell's status when the step ended the shell."""
    output: str
    """Everything the step printed (stdout and stderr, as on a terminal), CRLF kept."""
    duration_s: float
    timed_out: bool = False
    note: str = ""
    """What happened besides the exit status: interruption, replaced shell."""
    shell_ended: bool = False
    """The step ended its shell (`exit`, `set -e`): the next step starts a new one."""


@dataclass(frozen=True)
class Reply:
    """An answer to an interactive prompt: when `prompt` matches the output, type `value`."""

    prompt: str
    value: str


class Session:
    """A persistent bash in a container.

    Args:
        container: container id or name.
        user: run as this user (`docker exec -u`).
        workdir: starting directory.
        env: environment variables (not secret) passed to `docker exec`.
        secrets: name -> value, exported inside the shell (never on a command line).
    """

    def __init__(
        self,
        container: str,
        *,
        name: str = "main",
        user: str | None = None,
        workdir: str | None = None,
        env: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
    ) -> None:
        self.container = container
        self.name = name
        self.user = user
        self.workdir = workdir
        self.env = {**SESSION_ENV, **(env or {})}
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
        argv = ["exec", "-it"]
        if self.user:
            argv += ["-u", self.user]
        if self.workdir:
            argv += ["-w", self.workdir]
        for key, value in self.env.items():
            argv += ["-e", f"{key}={value}"]
        argv += [self.container, "bash", "--norc", "--noprofile", "--noediting", "-i"]
        self.child = pexpect.spawn(
            "docker",
            argv,
            encoding="utf-8",
            codec_errors="replace",
            echo=False,
            dimensions=(ROWS, COLUMNS),
            maxread=65536,
            timeout=timeout,
            env={**os.environ, "TERM": "xterm"},
        )
        self.child.delaybeforesend = None
        init = (
            f"stty -echo rows {ROWS} cols {COLUMNS} 2>/dev/null; unset HISTFILE PROMPT_COMMAND;"
            " set +H +o history; PS0=''; PS2=''; PS4='+ ';"
            " __rbd_d=$(mktemp -d /tmp/.runbookdocs.XXXXXX);"
            f" PS1=$'\\036'P{self._salt}$'\\036'"
        )
        self.child.sendline(init)
        index = self.child.expect([self._prompt_re, pexpect.EOF, pexpect.TIMEOUT])
        if index != 0:
            before = _clean(str(self.child.before or ""))
            self.close()
            who = f" as user {self.user!r}" if self.user else ""
            raise TargetError(
                f"cannot start a bash session{who} in container {self.container[:12]}"
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
        """End the shell (the container stays)."""
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
        # `W` before the status: the step file could not be written (see `run`).
        return re.compile(rf"\x1eR{self._salt}:{n}:(W?)(\d+)\x1e\r?\n{self._prompt_re}")

    def run(
        self,
        script: str,
        *,
        timeout: float = 60.0,
        replies: list[Reply] | None = None,
        typed: bool = False,
    ) -> StepResult:
        """Run `script` (any number of lines) in the shell and wait for it.

        Args:
            timeout: seconds before the step is interrupted.
            replies: answers to interactive prompts, each typed once, in order of appearance;
                the ones used are removed from the list (a transcript's commands share them).
            typed: run it as if typed at the prompt (`eval`), for transcript commands: error
                messages then read as in a terminal (`bash: eval: line 1: ...` for a syntax
                error) instead of naming the step's file.
        """
        import pexpect

        if not self.alive:
            self.start()
        self._n += 1
        n = self._n
        data = _b64(script + ("" if script.endswith("\n") else "\n"))
        chunks = [data[i : i + _CHUNK] for i in range(0, len(data), _CHUNK)] or [""]
        pre = [f"__rbd_b={chunks[0]}"] + [f"__rbd_b+={c}" for c in chunks[1:]]
        if typed:
            step = 'eval "$(printf %s "$__rbd_b" | base64 -d)"'
        else:
            # A step file that cannot be written (a full /tmp) must not be sourced: an empty
            # file would "pass" without running anything. `W` in the marker says so.
            step = (
                f'if printf %s "$__rbd_b" | base64 -d > "$__rbd_d/{n}.sh"; then __rbd_b=;'
                f' . "$__rbd_d/{n}.sh"; else __rbd_b=; __rbd_w=W; fi'
            )
        marker = f'printf \'\\036R%s:%s%s\\036\\n\' {self._salt}:{n} "${{__rbd_w-}}" "$?"'
        # The step may change the prompt (a sourced ~/.bashrc sets PS1 or PROMPT_COMMAND):
        # restore ours after the marker, so the next prompt is always recognised.
        final = (
            f"{step}; {marker}; __rbd_w=; unset PROMPT_COMMAND; PS0=''; "
            f"PS1=$'\\036'P{self._salt}$'\\036'"
        )

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
                    tail = _clean(_output(out, self._prompt)).strip()[-300:]
                    raise TargetError(
                        f"cannot write the step into container {self.container[:12]}: "
                        f"{tail or 'no message'}",
                        hint="is the container's disk full? (an earlier block may have filled "
                        "/tmp); the step was not run",
                    )
                return StepResult(
                    int(child.match.group(2)), _output(out, self._prompt), time.monotonic() - t0
                )
            if index == 1:
                out.append(str(child.before))
                status = self._ended_status()
                return StepResult(
                    status,
                    _output(out, self._prompt),
                    time.monotonic() - t0,
                    note=f"the step ended its shell (exit {status}); the next "
                    f"step of session {self.name!r} starts a new shell",
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
        """Stop a step that ran past its timeout; the shell is recovered or replaced."""
        import pexpect

        child = self.child
        done = self._done_re(n)
        tried: list[str] = []
        for keys, label in (
            ("\x03", "Ctrl-C"),
            ("q", "q"),
            ("\x1b:q!\r", "Escape :q!"),
            ("\x03\x03", "Ctrl-C again"),
        ):
            tried.append(label)
            child.send(keys)
            index = child.expect([done, self._prompt_re, pexpect.EOF, pexpect.TIMEOUT], timeout=1.0)
            if index in (0, 1):
                out.append(str(child.before))
                status = int(child.match.group(2)) if index == 0 else 130
                return StepResult(
                    status,
                    _output(out, self._prompt),
                    time.monotonic() - t0,
                    timed_out=True,
                    note=f"interrupted with {', '.join(tried)}",
                )
            if index == 2:
                out.append(str(child.before))
                self.close()
                return StepResult(
                    130,
                    _output(out, self._prompt),
                    time.monotonic() - t0,
                    timed_out=True,
                    note=f"the shell ended when interrupted; the next step of session "
                    f"{self.name!r} starts a new shell",
                    shell_ended=True,
                )
            out.append(str(child.before))
        self.restart()
        return StepResult(
            130,
            _output(out, self._prompt),
            time.monotonic() - t0,
            timed_out=True,
            note=f"the shell did not recover after {', '.join(tried)}: it was replaced by a new "
            "shell (cd, variables and functions of earlier steps are lost)",
            shell_ended=True,
        )


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8", "surrogateescape")).decode("ascii")


def _output(parts: list[str], prompt: str) -> str:
    text = "".join(parts)
    # Prompts of the lines that carried a long script in pieces come before any output.
    while text.startswith(prompt):
        text = text[len(prompt) :]
    if len(text) > _KEEP_OUTPUT:
        text = f"[... {len(text) - _KEEP_OUTPUT} characters not kept ...]\n" + text[-_KEEP_OUTPUT:]
    return text


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n")


def session_for(
    sessions: dict[tuple[str, str, str | None], Session],
    block: Block,
    target_name: str,
    target: Target,
    secret_values: Mapping[str, str],
) -> Session:
    """The shell `block` runs in: one per (session name, target, user), started on first use.

    Shared by `runbookdocs run` and `runbookdocs play` so that both give a block the same
    shell: its `user=` (or the target's), the target's working directory, the page's secrets.
    """
    user = block.user or target.spec.user
    key = (block.session, target_name, user)
    if key not in sessions:
        sessions[key] = Session(
            target.container_id,
            name=block.session,
            user=user,
            workdir=target.spec.workdir,
            secrets=secret_values,
        ).start()
    return sessions[key]
