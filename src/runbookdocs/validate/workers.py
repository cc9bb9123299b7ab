"""Forked worker processes for `check_files`: pages are checked in chunks, in parallel.

Forked (not spawned) workers share the imported validators and the configuration; they ignore
Ctrl-C and restore the default SIGTERM/SIGHUP handlers, so the parent alone decides how a check
stops.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from runbookdocs.cache import Cache
from runbookdocs.config import Config

PARALLEL_MIN_PAGES = 64
"""Below this many pages to check, worker processes cost more than they save."""
CHUNK_PAGES = 50
"""Pages a worker checks per task."""

_WORKER: dict[str, Any] = {}


def workers_for(jobs: int, pages: int) -> int:
    """How many processes check `pages` pages when `jobs` are allowed (1: in this process)."""
    if jobs <= 1 or pages < PARALLEL_MIN_PAGES or sys.platform != "linux":
        return 1
    return max(1, min(jobs, pages // CHUNK_PAGES))


def chunks(files: list[Path]) -> list[list[Path]]:
    """`files` cut into the tasks given to workers."""
    return [files[i : i + CHUNK_PAGES] for i in range(0, len(files), CHUNK_PAGES)]


@contextlib.contextmanager
def pool(workers: int, config: Config, use_cache: bool) -> Iterator[Any]:
    """A pool of `workers` forked processes, or None for one (terminated on the way out)."""
    if workers <= 1:
        yield None
        return
    import multiprocessing

    procs = multiprocessing.get_context("fork").Pool(
        workers, initializer=_init_worker, initargs=(config, use_cache)
    )
    try:
        yield procs
    finally:
        procs.terminate()
        procs.join()


def _init_worker(config: Config, use_cache: bool) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The parent's handlers were copied by fork. A worker stopped by its parent (the pool's
    # terminate sends SIGTERM) kills its bash and shellcheck first: they would otherwise run
    # on, holding the check's output open after it has exited.
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    _WORKER["config"] = config
    _WORKER["cache"] = Cache(config.cache_dir, enabled=use_cache)


def _stop(signum: int, _frame: object) -> None:
    import os

    from runbookdocs.validate.shell import stop_running

    stop_running()
    os._exit(128 + signum)


def check_chunk_in_worker(files: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    """`engine.check_chunk` in a worker, with the worker's configuration and cache."""
    from runbookdocs.validate.engine import check_chunk

    return check_chunk(files, _WORKER["config"], _WORKER["cache"])
