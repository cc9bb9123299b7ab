"""Forked worker processes for `check_files`: pages are checked in chunks, in parallel.

Each worker is forked with its share of the chunks and sends each chunk's entries back on a
pipe of its own, then `None` when it is done. Nothing is shared between workers: no queue,
no lock. (`multiprocessing.Pool` shares a task queue guarded by a lock that a waiting worker
holds; stopping the pool then, on Ctrl-C or when a parent is killed, could hang for ever.)

Forked (not spawned) workers share the imported validators and the configuration. They ignore
Ctrl-C (the parent handles it) and, when the parent stops them (SIGTERM), kill their bash and
shellcheck processes before they exit, so nothing outlives a check.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runbookdocs.cache import Cache
from runbookdocs.config import Config

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

PARALLEL_MIN_PAGES = 64
"""Below this many pages to check, worker processes cost more than they save."""
CHUNK_PAGES = 50
"""Pages a worker checks and sends back at a time."""
STOP_GRACE_S = 5.0
"""How long a stopped worker may take to exit before it is killed."""

Entries = list[tuple[str, dict[str, Any]]]


class WorkerError(RuntimeError):
    """A worker process failed: its traceback, or how it ended."""


def workers_for(jobs: int, pages: int) -> int:
    """How many processes check `pages` pages when `jobs` are allowed (1: in this process)."""
    if jobs <= 1 or pages < PARALLEL_MIN_PAGES or sys.platform != "linux":
        return 1
    return max(1, min(jobs, pages // CHUNK_PAGES))


def chunks(files: list[Path]) -> list[list[Path]]:
    """`files` cut into the pieces workers check and send back."""
    return [files[i : i + CHUNK_PAGES] for i in range(0, len(files), CHUNK_PAGES)]


class Workers:
    """Worker processes started with their share of the chunks (`start`)."""

    def __init__(
        self,
        procs: list[Any],
        pipes: dict[Any, Any],
        config: Config | None = None,
        use_cache: bool = False,
    ) -> None:
        self._procs = procs
        self._pipes = pipes
        self._tasks: dict[Any, list[list[Path]]] = {}
        self._config = config
        self._use_cache = use_cache

    def results(self) -> Iterator[Entries]:
        """Each chunk's entries as workers send them (in no particular order).

        A worker that dies (a crash in a C extension on some page) does not end the check:
        the pages it had not sent are checked again one per process, and a page that crashes
        its process is reported as a finding; the other pages are reported as usual.

        Raises:
            WorkerError: a worker failed (an exception: its traceback).
        """
        from multiprocessing.connection import wait

        while self._pipes:
            for ready in wait(list(self._pipes)):
                conn: Connection = ready  # type: ignore[assignment]  # only pipes are waited on
                try:
                    message: Any = conn.recv()
                except EOFError as err:
                    proc = self._pipes.pop(conn)
                    proc.join(STOP_GRACE_S)
                    left = [f for chunk in self._tasks.pop(conn, []) for f in chunk]
                    if self._config is None:
                        raise WorkerError(
                            f"a check worker ended unexpectedly (exit status {proc.exitcode})"
                        ) from err
                    for page in left:
                        yield _isolated(page, self._config, self._use_cache)
                    continue
                if message is None:
                    self._pipes.pop(conn)
                elif isinstance(message, str):
                    raise WorkerError(f"a check worker failed:\n{message}")
                else:
                    chunks_left = self._tasks.get(conn)
                    if chunks_left:
                        chunks_left.pop(0)
                    entries: Entries = message
                    yield entries

    def stop(self) -> None:
        """Stop the workers still running (SIGTERM), kill those that do not exit in time."""
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
        for proc in self._procs:
            proc.join(STOP_GRACE_S)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for conn in self._pipes:
            conn.close()
        self._pipes = {}
        from runbookdocs.validate.shell import sweep_scratch

        sweep_scratch()  # what a worker killed before it could clean up left behind


_HELD = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
"""The signals that end a check: held while a worker is forked (`_forking`)."""


@contextlib.contextmanager
def _forking() -> Iterator[None]:
    """Hold the signals that end a check while a worker is forked.

    A child starts with the parent's handlers, which raise KeyboardInterrupt: a SIGTERM the
    stopping parent sends to a worker still in fork's own hooks (before `_worker` installs its
    handlers) printed a traceback on the shared stderr. The child inherits the held mask and
    lets signals in once its handlers are set; the parent gets any signal that came meanwhile
    as soon as the fork is done."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def start(tasks: list[list[Path]], workers: int, config: Config, use_cache: bool) -> Workers:
    """Fork `workers` processes, each with every `workers`-th chunk of `tasks`."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    procs: list[Any] = []
    pipes: dict[Any, Any] = {}
    started = Workers(procs, pipes, config, use_cache)
    try:
        for n in range(workers):
            receive, send = context.Pipe(duplex=False)
            proc = context.Process(
                target=_worker, args=(tasks[n::workers], config, use_cache, send), daemon=True
            )
            with _forking():
                proc.start()
            send.close()  # the parent keeps only its reading end: EOF when the worker ends
            procs.append(proc)
            pipes[receive] = proc
            started._tasks[receive] = [list(c) for c in tasks[n::workers]]
    except BaseException:
        started.stop()
        raise
    return started


def _isolated(page: Path, config: Config, use_cache: bool) -> Entries:
    """Check one page in a process of its own; a process that dies is that page's finding."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    proc = context.Process(target=_worker, args=([[page]], config, use_cache, send), daemon=True)
    with _forking():
        proc.start()
    send.close()
    entries: Entries = []
    try:
        while (message := receive.recv()) is not None:
            if isinstance(message, str):
                raise WorkerError(f"a check worker failed:\n{message}")
            entries += message
        return entries
    except EOFError:
        proc.join(STOP_GRACE_S)
        return _crashed(page, config, proc.exitcode)
    finally:
        receive.close()
        if proc.is_alive():
            proc.kill()
        proc.join()


def _crashed(page: Path, config: Config, status: int | None) -> Entries:
    """The entry of a page whose check crashed its process."""
    from runbookdocs import codes
    from runbookdocs.document import Document
    from runbookdocs.location import Location
    from runbookdocs.validate.engine import _check_docs

    how = f"signal {-status}" if status is not None and status < 0 else f"exit {status}"
    path = config.display(page)
    finding = codes.INTERNAL_ERROR.at(
        Location(path, 1),
        f"checking this page crashed its process ({how}); the other pages were checked",
        hint="report this page to runbookdocs",
    )
    doc = Document(path, page, "", findings=(finding,), readable=False)
    return [(str(page), entry) for _, entry in _check_docs([doc], config)]


def _worker(tasks: list[list[Path]], config: Config, use_cache: bool, send: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The parent's handlers were copied by fork. A worker stopped by its parent kills its
    # bash and shellcheck first: they would otherwise run on, holding the check's output open.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)  # held by the parent while forking
    from runbookdocs.validate.engine import check_chunk

    cache = Cache(config.cache_dir, enabled=use_cache)
    try:
        for chunk in tasks:
            send.send(check_chunk(chunk, config, cache))
        send.send(None)
    except BaseException:  # reported to the parent, which raises it there
        with contextlib.suppress(OSError, ValueError):
            send.send(traceback.format_exc())
    finally:
        cache.close()
        send.close()


def _stop(signum: int, _frame: object) -> None:
    from runbookdocs.validate.shell import stop_running

    stop_running()
    os._exit(128 + signum)
