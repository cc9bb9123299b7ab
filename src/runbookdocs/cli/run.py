"""`runbookdocs run`, `runbookdocs images` (build / list) and `runbookdocs clean`.

Imported at CLI start-up: nothing heavy here (the engine, docker, testcontainers and pexpect are
imported inside the commands).
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from runbookdocs.cli import base
from runbookdocs.run.targets import BUILTIN_TARGETS


def _run_args(p: argparse.ArgumentParser) -> None:
    base.add_paths(p)
    base.add_reports(p)
    p.add_argument(
        "--jobs",
        "-j",
        type=base.positive,
        default=1,
        metavar="N",
        help="runbooks run in parallel, each with its own containers (default 1)",
    )
    p.add_argument(
        "--shard",
        type=base.shard,
        metavar="K/N",
        help="run only shard K of N (a stable split by path), for CI matrices",
    )
    p.add_argument("--target", metavar="NAME", help="only run blocks for this target")
    base.add_vars(p)
    p.add_argument("--keep-going", action="store_true", help="run every block even after a failure")
    p.add_argument(
        "--generate-secrets",
        action="store_true",
        help="secrets not set in the environment get random throwaway values (sandboxes only)",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="write the actual output of console blocks and SQL results into the pages "
        "(matchers that still match are kept; a failing status is never recorded)",
    )
    p.add_argument(
        "--images",
        choices=("auto", "official", "local"),
        help="how to get images (default: the configuration's images)",
    )


def run_run(args: argparse.Namespace) -> int:
    """Run the runbooks; print findings and a summary; exit 1 when a block failed."""
    from runbookdocs.run.engine import RunOptions, run_documents, select_shard
    from runbookdocs.validate import documents_from_paths
    from runbookdocs.variables import parse_assignments

    variables = parse_assignments(args.var)
    config = base.load(args, args.paths)
    documents = documents_from_paths(args.paths, config)
    if not documents:
        raise base.no_files("run", args, config)
    if args.shard:
        keep = select_shard([d.path for d in documents], args.shard)
        documents = [d for d in documents if d.path in keep]
    display = _Display()
    options = RunOptions(
        jobs=args.jobs,
        target=args.target,
        variables=variables,
        keep_going=args.keep_going,
        generate_secrets=args.generate_secrets,
        update=args.update,
        use_cache=not args.no_cache,
        images=args.images,
        log=display.log,
    )
    from runbookdocs.console import signals_as_interrupt

    t0 = time.monotonic()
    with signals_as_interrupt(), display:
        report = run_documents(documents, config, options, on_event=display.event)
    base.print_findings(report)
    # A shard's report is partial: its history entry is the merged report's (`report merge`).
    base.write_reports(report, args, history=None if args.shard else config)
    _summary(report, time.monotonic() - t0)
    return report.exit_code(strict=args.strict)


class _Display:
    """Progress: a rich line per running runbook on a terminal, plain lines otherwise."""

    def __init__(self) -> None:
        from runbookdocs.console import is_interactive

        self.rich = is_interactive()
        self._live: Any = None
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> _Display:
        if self.rich:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            from runbookdocs.console import _stderr_console

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                TextColumn("{task.fields[block]}"),
                TimeElapsedColumn(),
                console=_stderr_console(),
                transient=True,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def log(self, message: str) -> None:
        if self._progress is not None:
            self._progress.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=sys.stderr, flush=True)

    def event(self, event: Any) -> None:
        if event.kind == "runbook-start":
            if self._progress is not None:
                self._tasks[event.path] = self._progress.add_task(
                    event.path, total=None, block="starting targets"
                )
            else:
                self.log(f"run {event.path} ({event.message})")
        elif event.kind == "block-start" and self._progress is not None:
            task = self._tasks.get(event.path)
            if task is not None:
                self._progress.update(task, block=f"{event.block} {event.block.kind}")
        elif event.kind == "block-end" and event.result is not None:
            r = event.result
            if self._progress is None and r.outcome != "skipped":
                word = {"passed": "ok", "failed": "FAIL", "error": "ERROR"}.get(r.outcome, "")
                word = "updated" if r.updated else word
                cached = " (cached)" if r.cached else ""
                self.log(f"  {word:7} {r.path}:{r.line} {r.kind} {r.duration_s:.2f} s{cached}")
        elif event.kind == "runbook-end":
            task = self._tasks.pop(event.path, None)
            if task is not None and self._progress is not None:
                self._progress.remove_task(task)
            self.log(f"{_line(event.path, list(event.results))}")


def counts(results: list[Any]) -> str:
    """`N verified, N failed, N error(s), N not run` (and `N updated` after --update): the same
    words and counts on a runbook's line and on the summary line."""
    verified = sum(r.outcome == "passed" and not r.updated for r in results)
    updated = sum(r.outcome == "passed" and r.updated for r in results)
    failed = sum(r.outcome == "failed" and r.severity != "warning" for r in results)
    errors = sum(r.outcome == "error" for r in results)
    skipped = sum(r.outcome == "skipped" for r in results)
    text = f"{verified} verified, {failed} failed, {errors} error(s), {skipped} not run"
    return text + (f", {updated} updated" if updated else "")


def _line(path: str, results: list[Any]) -> str:
    seconds = sum(r.duration_s for r in results)
    cached = " (cached)" if results and all(r.cached for r in results) else ""
    bad = any(r.outcome in ("failed", "error") and r.severity != "warning" for r in results)
    mark = "FAIL" if bad else "ok"
    return f"{mark:4} {path}: {counts(results)}, {seconds:.2f} s{cached}"


def _summary(report: Any, seconds: float) -> None:
    pages = {r.path for r in report.results}
    print(
        f"\n{len(pages)} runbook(s): {counts(report.results)} in {seconds:.2f} s",
        file=sys.stderr,
    )


def _images_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action",
        choices=("build", "list"),
        help="build the local images, or list the images of the built-in targets",
    )
    p.add_argument(
        "--target",
        action="append",
        choices=tuple(BUILTIN_TARGETS),
        help="only this target's image (repeatable; default: all)",
    )
    p.add_argument("--force", action="store_true", help="rebuild even when up to date")
    base.add_config(p)


def run_images(args: argparse.Namespace) -> int:
    from runbookdocs.run import images

    client = images.docker_client()
    if args.action == "list":
        rows = images.list_images(client)
        for row in rows:
            print(
                f"{row['target']:9} {row['kind']:8} {row['image']:32} {row['state']:8} "
                f"{row['id']:12} {row['size']}"
            )
        return 0
    names = args.target or list(images.BUILTIN_IMAGES)
    t0 = time.monotonic()
    for name in names:
        spec = images.BUILTIN_IMAGES[name]
        info = images.image_info(client, spec.local)
        if info is not None and info[1] == images.recipe(name) and not args.force:
            print(f"{spec.local}: up to date ({info[0][7:19]})", file=sys.stderr)
            continue
        images.build_builtin(client, name, base.stderr)
    print(f"images ready in {time.monotonic() - t0:.1f} s", file=sys.stderr)
    return 0


def _clean_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--all", action="store_true", help="also remove containers of runs still in progress"
    )


def run_clean(args: argparse.Namespace) -> int:
    from runbookdocs.run.images import docker_client
    from runbookdocs.run.targets import sweep

    removed = sweep(docker_client(), everything=args.all)
    for name in removed:
        print(f"removed {name}")
    print(f"{len(removed)} leftover(s) removed", file=sys.stderr)
    return 0


COMMANDS = (
    base.Command("run", "run runbooks in throwaway containers", _run_args, run_run),
    base.Command(
        "images",
        "build (without a registry) or list the images of the targets",
        _images_args,
        run_images,
    ),
    base.Command(
        "clean", "remove containers and networks left behind by runs", _clean_args, run_clean
    ),
)
