"""Terminal output: rich progress on a terminal, plain lines otherwise (CI, pipes)."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO


def is_interactive(stream: TextIO | None = None) -> bool:
    """True when progress can be drawn: a terminal (stderr by default), not CI, not disabled."""
    if os.environ.get("CI") or os.environ.get("RUNBOOKDOCS_PLAIN"):
        return False
    stream = stream if stream is not None else sys.stderr
    try:
        return stream.isatty()
    except (ValueError, AttributeError):  # closed or replaced stream
        return False


class Progress:
    """A progress display: a rich bar on a terminal, nothing (or plain lines) otherwise."""

    def __init__(self, total: int, label: str, *, plain_lines: bool = False) -> None:
        self.total = total
        self.label = label
        self.plain_lines = plain_lines
        self._rich: Any = None
        self._task: Any = None
        self._started = False

    def __enter__(self) -> Progress:
        return self

    def _start(self) -> None:
        """Show the bar on first use: work that forks processes does so before its thread."""
        self._started = True
        if is_interactive() and self.total:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as RichProgress

            self._rich = RichProgress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[item]}"),
                TimeElapsedColumn(),
                transient=True,
                console=_stderr_console(),
            )
            self._rich.__enter__()
            self._task = self._rich.add_task(self.label, total=self.total, item="")

    def advance(self, item: str = "", message: str = "") -> None:
        """One more item done; `message` is printed as a plain line when not on a terminal."""
        if not self._started:
            self._start()
        if self._rich is not None:
            self._rich.update(self._task, advance=1, item=item)
        elif self.plain_lines and message:
            print(message, file=sys.stderr, flush=True)

    def log(self, message: str) -> None:
        """Print a line above the bar (or plainly)."""
        if not self._started:
            self._start()
        if self._rich is not None:
            self._rich.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=sys.stderr, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._rich is not None:
            self._rich.__exit__(*exc)


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def quiet() -> Iterator[None]:
    """A no-op context, for symmetry with progress displays."""
    yield


@contextmanager
def signals_as_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP end the command like Ctrl-C, so `finally` blocks remove containers.

    Without this, a CI runner's SIGTERM would kill the process before its clean-up runs.
    """
    import contextlib
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        with contextlib.suppress(ValueError):  # not the main thread
            previous[sig] = signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, clear screen
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[ -/]*[0-~]?"  # two-character sequences: ESC c (reset), ESC 7...
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)")


def terminal_safe(text: str) -> str:
    """`text` as it may be printed to a terminal or a CI log: escape sequences removed (a
    runbook's output must not reset, retitle or recolour the user's terminal) and other
    control characters (BEL, NUL, a lone CR that would overwrite the line) shown as `\\xNN`."""
    if "\x1b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
