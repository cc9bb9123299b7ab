"""The engine: run the blocks of runbooks in their targets and turn what happened into results.

Public API (used by the CLI and the pytest plugin):

- `RunOptions`: what to run and how;
- `run_document(doc, config, options) -> list[Result]`: one runbook, in its own containers;
- `run_documents(docs, config, options, on_event=None) -> Report`: several runbooks, `jobs` at a
  time, each with its own containers.

Semantics (docs/reference/format.md, runbook format v1): blocks run in page order in the target
their `target` names (default `debian`), one persistent shell per (session, target, user); each
block is run by the runner of its kind (`run.runners`). A failing block stops the runbook: later
blocks are reported skipped ("not run: blocked by path:line") except `cleanup=true` ones;
`keep_going` runs everything. With `update`, differences in expected output are written into the
pages; a block whose differences were all written is `updated` and blocks nothing. Results of an
unchanged runbook (blocks, image ids, variables) come from the cache.

Where targets come from is the backend's business (`run.sandbox.Backend`): Docker containers,
or a test's fake. Nothing ever runs on the host: every step runs inside a target.

Nothing here is global: every call builds its own run state, so pytest-xdist workers and threads
can call the engine at the same time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from runbookdocs import codes, transcript, variables
from runbookdocs.block import Block
from runbookdocs.cache import Cache, code_fingerprint, digest
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.errors import RunbookdocsError
from runbookdocs.location import Location
from runbookdocs.results import Finding, Outcome, Report, Result, Severity, atomic_write
from runbookdocs.run.runners import Verdict, execute
from runbookdocs.run.sandbox import Backend, Sandbox, unknown_target
from runbookdocs.run.targets import target_specs
from runbookdocs.variables import Values

CACHE_NS = "run"


@dataclass(frozen=True)
class RunOptions:
    """How to run.

    Attributes:
        jobs: runbooks run at the same time (`run_documents`), each with its own containers.
        target: only run blocks for this target (the others are reported skipped).
        variables: `--var name=value` values (highest priority).
        keep_going: run every block even after a failure.
        update: write the actual output of console blocks and SQL results into the pages.
        use_cache: reuse results of unchanged runbooks and store new ones.
        images: `auto`, `official` or `local`; None: the configuration's `images`.
        build: build missing images (False: report them instead).
        environ: environment for secrets and `RUNBOOK_VAR_*` (None: `os.environ`).
        generate_secrets: give secrets the environment does not set a throwaway value.
        log: where image pulls and builds report progress (None: events only).
        backend: where targets come from (None: Docker containers).
    """

    jobs: int = 1
    target: str | None = None
    variables: Mapping[str, str] = field(default_factory=dict)
    keep_going: bool = False
    update: bool = False
    use_cache: bool = True
    images: str | None = None
    build: bool = True
    environ: Mapping[str, str] | None = None
    generate_secrets: bool = False
    log: Callable[[str], None] | None = None
    backend: Backend | None = None


EventKind = Literal["log", "runbook-start", "block-start", "block-end", "runbook-end"]


@dataclass(frozen=True)
class Event:
    """Progress of a run, for displays (`on_event`)."""

    kind: EventKind
    path: str = ""
    block: Block | None = None
    result: Result | None = None
    results: tuple[Result, ...] = ()
    message: str = ""


OnEvent = Callable[[Event], None]


def run_document(doc: Document, config: Config, options: RunOptions | None = None) -> list[Result]:
    """Run one runbook in its own containers; one result per runnable block."""
    return run_documents([doc], config, options).results


def run_documents(
    docs: Sequence[Document],
    config: Config,
    options: RunOptions | None = None,
    on_event: OnEvent | None = None,
) -> Report:
    """Run runbooks (`options.jobs` at a time) and return their report.

    Raises:
        EnvironmentProblem: when Docker is not usable (and some block needs it).
        KeyboardInterrupt: after removing every container of the run.
    """
    t0 = time.monotonic()
    run = _Run(config, options or RunOptions(), on_event)
    report = Report()
    for doc in docs:
        if not doc.readable:
            # A page that cannot be read is reported the way `check` reports it (exit 1, at
            # the byte that cannot be read): never "0 runbook(s)" and a pass.
            report.extend(_unreadable(doc))
            run.emit(Event("runbook-end", doc.path, results=tuple(report.results[-1:])))
    try:
        todo = [d for d in docs if d.readable and _runnable_blocks(d)]
        if todo:
            run.prepare(todo)
        if run.options.jobs <= 1 or len(todo) <= 1:
            for doc in todo:
                report.extend(run.run_doc(doc))
        else:
            with ThreadPoolExecutor(
                max_workers=run.options.jobs, thread_name_prefix="runbook"
            ) as pool:
                futures = [pool.submit(run.run_doc, doc) for doc in todo]
                try:
                    for future in futures:
                        report.extend(future.result())
                except BaseException:
                    run.cancel.set()
                    run.remove_all()
                    for future in futures:
                        future.cancel()
                    raise
    except BaseException:
        run.cancel.set()
        run.remove_all()
        raise
    finally:
        run.close()
    report.duration_s = time.monotonic() - t0
    return report


def _unreadable(doc: Document) -> list[Result]:
    """The result of a page that cannot be read: failed, with the reader's findings."""
    findings = list(doc.findings) or [
        codes.INTERNAL_ERROR.at(Location(doc.path, 1), "the page cannot be read")
    ]
    first = findings[0]
    return [
        Result(
            path=doc.path,
            line=first.location.line,
            kind="page",
            stage="run",
            outcome="failed",
            severity="error",
            message=first.message,
            findings=findings,
            started_at=_now(),
        )
    ]


def _runnable_blocks(doc: Document) -> list[Block]:
    return [b for b in doc.blocks if b.executable]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


class _ImageProblem:
    def __init__(self, error: RunbookdocsError) -> None:
        self.error = error


class _Run:
    """The state of one `run_documents` call (never shared between calls)."""

    def __init__(self, config: Config, options: RunOptions, on_event: OnEvent | None) -> None:
        from runbookdocs.run.sandbox import DockerBackend

        self.config = config
        self.options = options
        self.on_event = on_event
        self.specs = target_specs(config)
        self.backend: Backend = options.backend or DockerBackend()
        self.images: dict[str, tuple[str, str] | _ImageProblem] = {}
        self.cancel = threading.Event()
        self._lock = threading.Lock()
        self._live: set[Sandbox] = set()
        self._teardowns: list[threading.Thread] = []
        self.cache = Cache(config.cache_dir, enabled=options.use_cache)
        self.opened = False

    # -- set-up ---------------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def log(self, message: str) -> None:
        if self.options.log is not None:
            self.options.log(message)
        self.emit(Event("log", message=message))

    def prepare(self, docs: Sequence[Document]) -> None:
        """Open the backend (Docker: connect, sweep what dead runners left) and get every
        image needed."""
        self.backend.open(self.log)
        self.opened = True
        names: set[str] = set()
        for doc in docs:
            names |= {b.run_target for b in self._selected(doc)}
        mode = self.options.images or self.config.images
        for name in sorted(names):
            if name in self.specs:
                try:
                    self.images[name] = self.backend.image(
                        self.specs[name], mode, self.log, build=self.options.build
                    )
                except RunbookdocsError as err:
                    self.images[name] = _ImageProblem(err)

    def _selected(self, doc: Document) -> list[Block]:
        return [
            b
            for b in _runnable_blocks(doc)
            if b.skip_reason is None
            and (self.options.target is None or b.run_target == self.options.target)
        ]

    # -- sandboxes ------------------------------------------------------------------------

    def sandbox(self, doc: Document, values: Values) -> Sandbox:
        box = Sandbox(
            doc, self.config, values, self.backend, update=self.options.update, specs=self.specs
        )
        with self._lock:
            self._live.add(box)
        return box

    def remove_all(self) -> None:
        """Remove every target of this run now (interrupt, error)."""
        with self._lock:
            live = list(self._live)
        threads = [threading.Thread(target=box.kill, daemon=True) for box in live]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=15)

    def teardown(self, box: Sandbox) -> None:
        """Remove a runbook's sandbox in the background; the next runbook starts meanwhile
        (`close()` waits for every teardown)."""

        def work() -> None:
            box.close()
            with self._lock:
                self._live.discard(box)

        thread = threading.Thread(target=work, name="teardown", daemon=True)
        thread.start()
        with self._lock:
            self._teardowns.append(thread)

    def close(self) -> None:
        with self._lock:
            teardowns = list(self._teardowns)
        for thread in teardowns:
            thread.join(timeout=60)
        self.remove_all()
        with self._lock:
            live = list(self._live)
        for box in live:
            box.close()
        self.cache.close()
        if self.opened:
            self.backend.close()

    # -- one runbook ----------------------------------------------------------------------

    def run_doc(self, doc: Document) -> list[Result]:
        """Run one runbook; never raises for a runbook or target problem (they are results)."""
        blocks = _runnable_blocks(doc)
        selected = self._selected(doc)
        self.emit(Event("runbook-start", doc.path, message=f"{len(selected)} block(s)"))
        values = variables.resolve(
            doc,
            self.config,
            self.options.variables,
            self.options.environ,
            generate_secrets=self.options.generate_secrets,
        )
        book = _Book(self, doc, values)
        try:
            results = book.run(blocks, selected)
        finally:
            book.close()
        # What the page was when it ran: the site judges staleness on it (a fresh clone has no
        # meaningful file dates), cached results included since the cache key covers the steps.
        digest = doc.run_digest()
        for r in results:
            r.digest = digest
        self.emit(Event("runbook-end", doc.path, results=tuple(results)))
        return results

    def cache_key(
        self, doc: Document, blocks: list[Block], names: list[str], values: Values
    ) -> str:
        parts: list[str] = [code_fingerprint(), doc.path, str(self.options.target)]
        for b in blocks:
            parts += [
                str(b.line),
                b.info,
                b.source,
                str(b.skip_reason),
                repr(b.answers),
                str(b.default_target),
            ]
        for name in names:
            ref = self.images.get(name)
            parts += [name, repr(self.specs.get(name)), ref[1] if isinstance(ref, tuple) else "?"]
        parts += [f"{k}={v}" for k, v in sorted(values.variables.items())]
        parts += [f"{k}={digest(v)}" for k, v in sorted(values.secrets.items())]
        parts += [str(doc.front.timeout), str(self.config.timeout)]
        return digest(*parts)


class _Book:
    """One runbook being run: its sandbox, and the results so far."""

    def __init__(self, run: _Run, doc: Document, values: Values) -> None:
        self.ctx = run
        self.doc = doc
        self.values = values
        self.redact = values.redactor()
        self.box: Sandbox | None = None
        self.edits: dict[int, list[transcript.Edit]] = {}
        """Block index in `doc.blocks` -> its `--update` edits."""

    def close(self) -> None:
        if self.box is not None:
            self.ctx.teardown(self.box)

    def result(self, block: Block, outcome: Outcome, message: str = "", **kw: Any) -> Result:
        severity: Severity | None = "error" if outcome in ("failed", "error") else None
        result = Result(
            path=block.path,
            line=block.line,
            kind=block.kind,
            stage="run",
            outcome=outcome,
            id=block.id,
            target=block.run_target,
            severity=severity,
            message=self.redact(message),
            **kw,
        )
        # Every finding and output goes through the redactor here, whatever built it: a diff
        # or an exception text can hold a secret as well as the block's output can.
        if self.redact:
            result.findings = [
                replace(
                    f,
                    message=self.redact(f.message),
                    detail=self.redact(f.detail),
                    hint=self.redact(f.hint) if f.hint else f.hint,
                )
                for f in result.findings
            ]
            result.output = self.redact(result.output)
        return result

    def run(self, blocks: list[Block], selected: list[Block]) -> list[Result]:
        run = self.ctx
        results: list[Result] = []
        chosen = {id(b) for b in selected}
        names = sorted({b.run_target for b in selected if b.run_target in run.specs})
        problem: tuple[Finding, Outcome] | None = self._problem(selected, names)
        key = run.cache_key(self.doc, blocks, names, self.values) if problem is None else ""
        if problem is None and run.options.use_cache and not run.options.update:
            cached = run.cache.get(CACHE_NS, key)
            if cached is not None:
                return self._from_cache(blocks, cached)
        if problem is None and names:
            self.box = run.sandbox(self.doc, self.values)
            try:
                images = {n: ref[0] for n in names if isinstance(ref := run.images[n], tuple)}
                self.box.open(images)
            except RunbookdocsError as err:
                problem = (
                    codes.TARGET_UNAVAILABLE.at(selected[0].location, err.message, hint=err.hint),
                    "error",
                )
        blocked: Block | None = None
        problem_at: Block | None = None
        for block in blocks:
            if run.cancel.is_set():
                results.append(self.result(block, "skipped", "not run: the run was interrupted"))
                continue
            if id(block) not in chosen:
                why = (
                    f"skipped: {block.skip_reason}"
                    if block.skip_reason is not None
                    else f"not run: --target {run.options.target}"
                )
                results.append(self.result(block, "skipped", why))
                continue
            if problem is not None:
                finding, outcome = problem
                if problem_at is None:
                    problem_at = block
                    results.append(
                        self.result(
                            block, outcome, finding.message, findings=[finding], started_at=_now()
                        )
                    )
                else:
                    results.append(
                        self.result(
                            block,
                            "skipped",
                            f"not run: blocked by {problem_at.path}:{problem_at.line}",
                        )
                    )
                continue
            if blocked is not None and not block.cleanup:
                results.append(
                    self.result(
                        block, "skipped", f"not run: blocked by {blocked.path}:{blocked.line}"
                    )
                )
                continue
            run.emit(Event("block-start", self.doc.path, block=block))
            result, blocks_others = self.run_block(block)
            results.append(result)
            run.emit(Event("block-end", self.doc.path, block=block, result=result))
            if (
                blocks_others
                and result.outcome in ("failed", "error")
                and blocked is None
                and not run.options.keep_going
            ):
                blocked = block
        if self.edits:
            results = self._write_updates(results)
        if (
            problem is None
            and key
            and not self.edits
            and all(r.outcome in ("passed", "skipped") for r in results)
        ):
            run.cache.put_many(
                CACHE_NS,
                {
                    key: {
                        "started_at": results[0].started_at if results else _now(),
                        "results": [r.to_json() for r in results],
                    }
                },
            )
        return results

    def _problem(self, selected: list[Block], names: list[str]) -> tuple[Finding, Outcome] | None:
        """Why none of the runbook's blocks can run, as (finding, outcome), or None."""
        run = self.ctx
        unknown = unknown_target(selected, run.specs)
        if unknown is not None:
            return unknown, "failed"
        if self.values.missing_secrets and selected:
            name = self.values.missing_secrets[0]
            return codes.SECRET_MISSING.at(
                Location(self.doc.path, _declared_at(self.doc, name)),
                f"secret {name!r} is not set in the environment",
                hint=f"export {name}=... before running, or use --generate-secrets for "
                "throwaway sandbox values (secrets never come from files or "
                "the command line)",
            ), "error"
        for name in names:
            image = run.images.get(name)
            if isinstance(image, _ImageProblem):
                return codes.TARGET_UNAVAILABLE.at(
                    selected[0].location,
                    f"target {name!r}: {image.error.message}",
                    hint=image.error.hint,
                ), "error"
        return None

    def _from_cache(self, blocks: list[Block], cached: dict[str, Any]) -> list[Result]:
        results = []
        when = cached.get("started_at", "?")
        for data in cached.get("results", []):
            # Read with the report's own parser; what was said then stays in the message.
            was = Result.from_json(data)
            results.append(
                replace(
                    was,
                    message=f"cached: {was.outcome} at {when}"
                    + (f" ({was.message})" if was.message else ""),
                    duration_s=0.0,
                    findings=[],
                    output="",
                    cached=True,
                )
            )
        for r in results:
            self.ctx.emit(Event("block-end", self.doc.path, result=r))
        return results

    # -- blocks ---------------------------------------------------------------------------

    def run_block(self, block: Block) -> tuple[Result, bool]:
        """Run one block: its result, and whether a failure of it stops the blocks after it."""
        started = _now()
        t0 = time.monotonic()
        assert self.box is not None
        verdict = execute(block, self.box)
        result = self._result(block, verdict)
        result.started_at = started
        result.duration_s = time.monotonic() - t0
        # With --update, a block whose differences are being written blocks nothing: the page
        # will say what the commands print (a matcher kept unmatched is still reported).
        rewritten = bool(verdict.edits) and all(
            f.code == codes.MATCHER_KEPT.id for f in verdict.findings if f.severity == "error"
        )
        if verdict.edits:
            self.edits[self.doc.blocks.index(block)] = verdict.edits
        return result, not rewritten

    def _result(self, block: Block, verdict: Verdict) -> Result:
        errors = [f for f in verdict.findings if f.severity == "error"]
        if verdict.error:
            outcome: Outcome = "error"
        elif errors:
            outcome = "failed"
        else:
            outcome = "passed"
        if errors:
            message = errors[0].message
        elif verdict.edits:
            message = f"updated: {verdict.updated} expected output(s) written into the page"
        else:
            message = verdict.note
        result = self.result(
            block,
            outcome,
            message,
            findings=list(verdict.findings),
            output=verdict.output if outcome != "passed" else "",
        )
        result.updated = outcome == "passed" and bool(verdict.edits)
        return result

    # -- --update -------------------------------------------------------------------------

    def _write_updates(self, results: list[Result]) -> list[Result]:
        """Write the `--update` edits into the page (atomically, every other byte kept);
        results of blocks whose edits could not be written become failures."""
        file = Path(self.doc.file)
        failed: dict[int, str] = {}
        raw = text = ""
        # A page that is a symlink: its target is written (atomically, the link kept), when
        # the target is where runbookdocs may write (the project, trusted_dirs).
        try:
            target = file.resolve(strict=True)
            raw = text = target.read_bytes().decode("utf-8")
        except (OSError, RuntimeError, UnicodeError) as err:
            target = file
            failed = dict.fromkeys(self.edits, f"the page cannot be read again: {err}")
        normal = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if failed:
            pass
        elif target != Path(os.path.abspath(file)) and not self.ctx.config.allows(target):
            why = (
                f"the page is a link to {target}, outside the project: --update writes only "
                "inside it (or trusted_dirs)"
            )
            failed = dict.fromkeys(self.edits, why)
        elif normal != self.doc.text:
            why = "the page changed during the run; --update left it alone"
            failed = dict.fromkeys(self.edits, why)
        else:
            for index in sorted(self.edits, reverse=True):
                block = self.doc.blocks[index]
                new_lines = [ln for edit in self.edits[index] for ln in edit.lines]
                if self.redact and any(self.redact(ln) != ln for ln in new_lines):
                    # Output is masked before it gets here; this is the last guard.
                    failed[index] = "the new output would write a secret into the page"
                    continue
                try:
                    text = transcript.apply_edits(text, block, self.edits[index])
                except ValueError as err:
                    failed[index] = str(err)
        if text != raw:
            atomic_write(target, text)
            written = sum(1 for i in self.edits if i not in failed)
            self.ctx.log(f"{self.doc.path}: expected output updated ({written} block(s))")
        for r in results:
            for f in r.findings:
                if r.updated and f.severity == "warning":
                    self.ctx.log(f.render())
        if not failed:
            return results
        lines = {self.doc.blocks[i].line: why for i, why in failed.items()}
        out: list[Result] = []
        for r in results:
            reason = lines.get(r.line)
            if reason is not None and r.outcome in ("passed", "failed"):
                finding = codes.OUTPUT_DIFFERS.at(
                    Location(r.path, r.line), f"--update could not write this block: {reason}"
                )
                r = replace(
                    r,
                    outcome="failed",
                    severity="error",
                    updated=False,
                    message=finding.message,
                    findings=[*r.findings, finding],
                )
            out.append(r)
        return out


def _declared_at(doc: Document, name: str) -> int:
    """Page line where `name` is declared in the front matter (1 when it cannot be found):
    the same line on every run, whatever else changed."""
    line = doc.front.variable_lines.get(name, 0) if name in doc.front.variable_lines else 0
    if line:
        return line
    pattern = re.compile(rf"^\s+['\"]?{re.escape(name)}['\"]?\s*:")
    for number, text in enumerate(doc.text.split("\n")[: doc.front.end_line], start=1):
        if pattern.match(text):
            return number
    return 1


def select_shard(paths: Iterable[str], shard: tuple[int, int]) -> set[str]:
    """The paths of shard K of N (1-based): a stable split by path, whatever else changes."""
    k, n = shard
    return {p for p in paths if int(digest("shard", p)[:8], 16) % n == k - 1}


__all__ = ["Event", "RunOptions", "run_document", "run_documents", "select_shard"]
