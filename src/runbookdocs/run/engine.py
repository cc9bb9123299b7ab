"""The engine: run the blocks of runbooks in their targets and turn what happened into results.

Public API (used by the CLI and the pytest plugin):

- `RunOptions`: what to run and how;
- `run_document(doc, config, options) -> list[Result]`: one runbook, in its own containers;
- `run_documents(docs, config, options, on_event=None) -> Report`: several runbooks, `jobs` at a
  time, each with its own containers.

Semantics (CONTRIBUTING.md, runbook format v1): blocks run in page order in the target their
`target` names (default `debian`), one persistent shell per (session, target, user). A failing
block stops the runbook: later blocks are reported skipped ("not run: blocked by path:line")
except `cleanup=true` ones; `keep_going` runs everything. Results of an unchanged runbook (blocks,
image ids, variables) come from the cache. Nothing ever runs on the host: every step runs inside
a container through `docker exec`.

Nothing here is global: every call builds its own run state, so pytest-xdist workers and threads
can call the engine at the same time.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shlex
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from runbookdocs import __version__, codes, transcript, variables
from runbookdocs.block import (
    COMMAND_LINE_ATTRIBUTES,
    Block,
    parse_header,
)
from runbookdocs.cache import Cache, digest
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.errors import EnvironmentProblem, RunbookdocsError
from runbookdocs.location import Location
from runbookdocs.results import Finding, Outcome, Report, Result, Severity, atomic_write
from runbookdocs.run.redact import Redactor
from runbookdocs.run.session import Reply, Session, StepResult, session_for
from runbookdocs.run.targets import RunNetwork, Target, TargetSpec, target_specs
from runbookdocs.variables import Values

CACHE_NS = "run"
_OUTPUT_LINES = 30  # lines of output shown under a failure
_STEP_FILE = re.compile(r"/tmp/\.runbookdocs\.\w+/\d+\.sh: line (\d+)")


@dataclass(frozen=True)
class RunOptions:
    """How to run.

    Attributes:
        jobs: runbooks run at the same time (`run_documents`), each with its own containers.
        target: only run blocks for this target (the others are reported skipped).
        variables: `--var name=value` values (highest priority).
        keep_going: run every block even after a failure.
        update: rewrite the expected output of failing console blocks in the pages.
        use_cache: reuse results of unchanged runbooks and store new ones.
        images: `auto`, `official` or `local`; None: the configuration's `images`.
        build: build missing images (False: report them instead).
        environ: environment for secrets and `RUNBOOK_VAR_*` (None: `os.environ`).
        generate_secrets: give secrets the environment does not set a throwaway value.
        log: where image pulls and builds report progress (None: events only).
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
    try:
        todo = [d for d in docs if _runnable_blocks(d)]
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
        self.config = config
        self.options = options
        self.on_event = on_event
        self.run_id = secrets.token_hex(4)
        self.specs = target_specs(config)
        self.client: Any = None
        self.images: dict[str, tuple[str, str] | _ImageProblem] = {}
        self.cancel = threading.Event()
        self._lock = threading.Lock()
        self._live: set[Target] = set()
        self._teardowns: list[threading.Thread] = []
        self.cache = Cache(config.cache_dir, enabled=options.use_cache)

    # -- set-up ---------------------------------------------------------------------------

    def emit(self, event: Event) -> None:
        if self.on_event is not None:
            self.on_event(event)

    def log(self, message: str) -> None:
        if self.options.log is not None:
            self.options.log(message)
        self.emit(Event("log", message=message))

    def prepare(self, docs: Sequence[Document]) -> None:
        """Connect to Docker, sweep what dead runners left, and get every image needed."""
        from runbookdocs.run.images import docker_client
        from runbookdocs.run.targets import sweep

        self.client = docker_client()
        for name in sweep(self.client):
            self.log(f"removed {name} left by a runner that is gone")
        names: set[str] = set()
        for doc in docs:
            names |= {b.run_target for b in self._selected(doc)}
        for name in sorted(names):
            if name in self.specs:
                self.images[name] = self._image(self.specs[name])

    def _image(self, spec: TargetSpec) -> tuple[str, str] | _ImageProblem:
        from runbookdocs.run import images

        mode = self.options.images or self.config.images
        try:
            if spec.dockerfile is not None:
                base_id = None
                buildargs: dict[str, str] = {}
                if spec.builtin:
                    ref, base_id = images.resolve_builtin(
                        self.client, spec.builtin, mode, self.log, build=self.options.build
                    )
                    buildargs["BASE_IMAGE"] = ref
                context = spec.context or spec.dockerfile.parent
                recipe = images.dockerfile_recipe(spec.dockerfile, context, base_id)
                tag = f"runbookdocs/target-{spec.name.lower()}:{recipe}"
                info = images.image_info(self.client, tag)
                if info is not None:
                    return tag, info[0]
                return tag, images.build_dockerfile(
                    self.client,
                    tag=tag,
                    dockerfile=spec.dockerfile,
                    context=context,
                    buildargs=buildargs,
                    recipe_hash=recipe,
                    log=self.log,
                )
            if spec.image is not None:
                info = images.image_info(self.client, spec.image)
                if info is not None:
                    return spec.image, info[0]
                pulled = images.try_pull(self.client, spec.image, self.log)
                if pulled is None:
                    raise EnvironmentProblem(
                        f"image {spec.image!r} of target {spec.name!r} is not present and "
                        "cannot be pulled",
                        hint="load it ('docker load') or give the target a dockerfile",
                    )
                return spec.image, pulled
            assert spec.builtin is not None
            return images.resolve_builtin(
                self.client, spec.builtin, mode, self.log, build=self.options.build
            )
        except RunbookdocsError as err:
            return _ImageProblem(err)

    def _selected(self, doc: Document) -> list[Block]:
        return [
            b
            for b in _runnable_blocks(doc)
            if b.skip_reason is None
            and (self.options.target is None or b.run_target == self.options.target)
        ]

    # -- containers -----------------------------------------------------------------------

    def _start_targets(
        self, doc: Document, names: list[str]
    ) -> tuple[dict[str, Target], RunNetwork | None]:
        networked = [n for n in names if self.specs[n].network]
        network = RunNetwork(self.run_id, doc.path) if len(networked) > 1 else None
        started: dict[str, Target] = {}
        errors: list[BaseException] = []

        def start(name: str) -> None:
            ref = self.images[name]
            assert isinstance(ref, tuple)
            target = Target(
                self.specs[name],
                ref[0],
                client=self.client,
                run_id=self.run_id,
                runbook=doc.path,
                network=network,
            )
            with self._lock:
                self._live.add(target)
            try:
                target.start()
                started[name] = target
            except BaseException as err:  # reported below
                errors.append(err)
                with self._lock:
                    self._live.discard(target)

        threads = [threading.Thread(target=start, args=(n,), daemon=True) for n in names[1:]]
        for thread in threads:
            thread.start()
        if names:
            start(names[0])
        for thread in threads:
            thread.join()
        if errors:
            for target in started.values():
                self._remove(target)
            if network is not None:
                network.remove()
            raise errors[0]
        return started, network

    def _remove(self, target: Target) -> None:
        target.remove()
        with self._lock:
            self._live.discard(target)

    def remove_all(self) -> None:
        """Remove every container of this run (interrupt, error)."""
        with self._lock:
            live = list(self._live)
            self._live.clear()
        threads = [threading.Thread(target=t.remove, daemon=True) for t in live]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=15)

    def teardown(self, targets: list[Target], network: RunNetwork | None) -> None:
        """Remove a runbook's containers, then its network, in the background.

        The next runbook starts meanwhile; `close()` waits for every teardown.
        """

        def work() -> None:
            threads = [threading.Thread(target=self._remove, args=(t,)) for t in targets]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            if network is not None:
                network.remove()

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
        self.cache.close()
        if self.client is not None:
            self.client.close()

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
        redact = values.redactor()
        book = _Book(self, doc, values, redact)
        try:
            results = book.run(blocks, selected)
        finally:
            book.close()
        self.emit(Event("runbook-end", doc.path, results=tuple(results)))
        return results

    def cache_key(
        self, doc: Document, blocks: list[Block], names: list[str], values: Values
    ) -> str:
        parts: list[str] = [__version__, doc.path, str(self.options.target)]
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
    """One runbook being run: its targets, sessions, and the results so far."""

    def __init__(self, run: _Run, doc: Document, values: Values, redact: Redactor) -> None:
        self.ctx = run
        self.doc = doc
        self.values = values
        self.redact = redact
        self.targets: dict[str, Target] = {}
        self.network: RunNetwork | None = None
        self.sessions: dict[tuple[str, str, str | None], Session] = {}
        self.updates: dict[int, dict[int, list[str]]] = {}
        """Block index in `doc.blocks` -> command index -> new expected lines."""

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()
        self.ctx.teardown(list(self.targets.values()), self.network)

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
            try:
                self.targets, self.network = run._start_targets(self.doc, names)
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
            result = self.run_block(block)
            results.append(result)
            run.emit(Event("block-end", self.doc.path, block=block, result=result))
            # With --update, a transcript whose output is being rewritten blocks nothing: the
            # page will say what the commands print.
            rewritten = self.doc.blocks.index(block) in self.updates
            if (
                result.outcome in ("failed", "error")
                and blocked is None
                and not run.options.keep_going
                and not rewritten
            ):
                blocked = block
        if self.updates:
            self._write_updates()
        if problem is None and key and all(r.outcome in ("passed", "skipped") for r in results):
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
        unknown = sorted({b.run_target for b in selected} - set(run.specs))
        if unknown:
            known = ", ".join(sorted(run.specs))
            block = next(b for b in selected if b.run_target in unknown)
            return Finding(
                block.location,
                f"unknown target {unknown[0]!r} (known: {known})",
                hint="define it in [tool.runbookdocs.targets.NAME]",
                code=codes.UNKNOWN_TARGET.id,
            ), "failed"
        if self.values.missing_secrets and selected:
            name = self.values.missing_secrets[0]
            line = self.doc.front.variable_lines.get(name, 1)
            return Finding(
                Location(self.doc.path, line),
                f"secret {name!r} is not set in the environment",
                hint=f"export {name}=... before running, or use --generate-secrets for "
                "throwaway sandbox values (secrets never come from files or "
                "the command line)",
                code=codes.SECRET_MISSING.id,
            ), "error"
        for name in names:
            image = run.images.get(name)
            if isinstance(image, _ImageProblem):
                return Finding(
                    selected[0].location,
                    f"target {name!r}: {image.error.message}",
                    hint=image.error.hint,
                    code=codes.TARGET_UNAVAILABLE.id,
                ), "error"
        return None

    def _from_cache(self, blocks: list[Block], cached: dict[str, Any]) -> list[Result]:
        results = []
        for data in cached.get("results", []):
            results.append(
                Result(
                    path=data["path"],
                    line=data["line"],
                    kind=data["kind"],
                    stage="run",
                    outcome=data["outcome"],
                    id=data.get("id"),
                    target=data.get("target"),
                    message=f"cached: {data['outcome']} at {cached.get('started_at', '?')}"
                    + (f" ({data['message']})" if data.get("message") else ""),
                    duration_s=0.0,
                    started_at=data.get("started_at"),
                    cached=True,
                )
            )
        for r in results:
            self.ctx.emit(Event("block-end", self.doc.path, result=r))
        return results

    # -- blocks ---------------------------------------------------------------------------

    def session(self, block: Block) -> Session:
        name = block.run_target
        return session_for(self.sessions, block, name, self.targets[name], self.values.secrets)

    def timeout(self, block: Block) -> float:
        return block.timeout or self.doc.front.timeout or self.ctx.config.timeout

    def run_block(self, block: Block) -> Result:
        started = _now()
        t0 = time.monotonic()
        if refused := self._bad_header(block):
            # These values reach `docker exec` and the target's shell: one the checker rejects
            # is never used (`user="root; id"` is the runbook's mistake, exit 1).
            first = refused[0]
            return self.result(
                block,
                "failed",
                f"{first.location}: not run: {first.message}",
                started_at=started,
                findings=refused,
            )
        text, unknown = self.values.substitute(block.source)
        if unknown:
            return self.result(
                block,
                "failed",
                f"{block.location}: {{{{ {unknown[0]} }}}} is neither a "
                "variable nor a secret of this runbook",
                started_at=started,
                findings=[
                    Finding(
                        block.location,
                        f"unknown placeholder {{{{ {unknown[0]} }}}}",
                        hint="declare it under runbook.variables or runbook.secrets, "
                        "or pass --var NAME=VALUE",
                        code=codes.UNKNOWN_VALUE.id,
                    )
                ],
            )
        try:
            session = self.session(block)
            if block.kind == "console":
                result = self.run_console(block, session)
            elif block.kind == "sql":
                result = self.run_sql(block, session, text)
            elif block.kind == "shell":
                result = self.run_shell(block, session, text)
            else:
                result = self.write_file(block, session, text)
        except RunbookdocsError as err:
            result = self.result(
                block,
                "error",
                err.message,
                findings=[
                    Finding(
                        block.location, err.message, hint=err.hint, code=codes.TARGET_UNAVAILABLE.id
                    )
                ],
            )
        except Exception as err:  # a broken container must not stop the run
            result = self.result(
                block,
                "error",
                f"{type(err).__name__}: {err}",
                findings=[
                    Finding(
                        block.location,
                        f"{type(err).__name__}: {err}",
                        hint="rerun with --no-cache; if it persists, report it",
                        code=codes.INTERNAL_ERROR.id,
                    )
                ],
            )
        if result.outcome in ("failed", "error") and (lost := self._target_lost(block)):
            # The shell ended because its container or Docker went away: the environment
            # failed (exit 2), not the runbook; what the block printed so far is kept.
            message = f"target {block.run_target!r}: {lost} during this block"
            result = self.result(
                block,
                "error",
                message,
                findings=[
                    Finding(
                        block.location,
                        message,
                        detail=result.output,
                        hint="a 'docker kill', the out-of-memory killer or a Docker daemon "
                        "restart stopped it; check 'docker info', then rerun",
                        code=codes.TARGET_LOST.id,
                    )
                ],
                output=result.output,
            )
        result.started_at = started
        result.duration_s = time.monotonic() - t0
        return result

    def _bad_header(self, block: Block) -> list[Finding]:
        problems = [
            p for p in parse_header(block.info).problems if p.key in COMMAND_LINE_ATTRIBUTES
        ]
        return [
            codes.NOT_RUN_UNSAFE.at(Location(block.path, block.line, p.col), p.message)
            for p in problems
        ]

    def _target_lost(self, block: Block) -> str | None:
        target = self.targets.get(block.run_target)
        return target.lost() if target is not None else None

    def replies(self, block: Block) -> list[Reply]:
        return [
            Reply(self.values.substitute(a.prompt)[0], self.values.substitute(a.value)[0])
            for a in block.answers
        ]

    def _failure(
        self,
        block: Block,
        step: StepResult,
        message: str,
        *,
        location: Location | None = None,
        detail: str | None = None,
        hint: str | None = None,
        code: codes.Code = codes.EXIT_STATUS,
    ) -> Result:
        output = self.redact(step.output.replace("\r\n", "\n"))
        location = location or self._located(block, output)
        shown = _STEP_FILE.sub(
            lambda m: f"{block.locate(int(m.group(1)) - 1)}",
            "\n".join(transcript.normalise(output)[-_OUTPUT_LINES:]),
        )
        if step.note:
            message += f"; {step.note}"
        finding = code.at(
            location,
            self.redact(message),
            detail=self.redact(detail if detail is not None else shown),
            hint=hint,
        )
        return self.result(
            block,
            "failed",
            message,
            findings=[finding],
            output=self.redact(shown),
        )

    def _located(self, block: Block, output: str) -> Location:
        # bash names the line of the step file it stopped at: map it back to the page.
        lines = _STEP_FILE.findall(output)
        return block.locate(int(lines[-1]) - 1) if lines else block.location

    def run_shell(self, block: Block, session: Session, text: str) -> Result:
        timeout = self.timeout(block)
        step = session.run(text, timeout=timeout, replies=self.replies(block))
        what = f"shell block{_ref(block)}"
        if step.timed_out:
            return self._failure(
                block,
                step,
                f"{what} timed out after {timeout:g} s",
                hint="raise timeout= on the block, or end the command "
                "(tail -f, a pager, an unanswered prompt?)",
                code=codes.TIMED_OUT,
            )
        if step.exit != block.expect:
            return self._failure(
                block, step, f"{what} exited {step.exit} (expected {block.expect})"
            )
        return self.result(block, "passed", step.note)

    def run_console(self, block: Block, session: Session) -> Result:
        parsed = transcript.parse(block)
        deadline = time.monotonic() + self.timeout(block)
        replies = self.replies(block)
        findings: list[Finding] = []
        output: list[str] = []
        updates: dict[int, list[str]] = {}
        for index, cmd in enumerate(parsed.commands):
            command, unknown = self.values.substitute(cmd.text)
            where = block.locate(cmd.line_index)
            shown = cmd.text.split("\n")[0][:60]
            if unknown:
                findings.append(
                    codes.UNKNOWN_VALUE.at(where, f"unknown placeholder {{{{ {unknown[0]} }}}}")
                )
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                findings.append(
                    Finding(
                        where,
                        f"not run: the block's timeout ({self.timeout(block):g} s) was used up",
                        code=codes.TIMED_OUT.id,
                    )
                )
                break
            step = session.run(command, timeout=remaining, replies=replies, typed=True)
            actual = transcript.normalise(self.redact(step.output))
            output += [f"{cmd.prompt} {shown}", *actual]
            # The output is compared redacted: a `{{ SECRET }}` the page expects is masked too.
            expected = [self.redact(self.values.substitute(line)[0]) for line in cmd.expected]
            if step.timed_out:
                findings.append(
                    Finding(
                        where,
                        self.redact(
                            f"`{shown}` timed out after {self.timeout(block):g} s; {step.note}"
                        ),
                        detail="\n".join(actual[-_OUTPUT_LINES:]),
                        hint="raise timeout= on the block, or end the command",
                        code=codes.TIMED_OUT.id,
                    )
                )
                continue
            if step.exit == cmd.exit and transcript.match(expected, actual):
                continue
            if step.exit != cmd.exit:
                message = f"`{shown}` exited {step.exit} (expected {cmd.exit})"
            else:
                message = f"output of `{shown}` differs from the transcript"
            if step.note:
                message += f"; {step.note}"
            findings.append(
                Finding(
                    where,
                    self.redact(message),
                    code=(
                        codes.EXIT_STATUS.id if step.exit != cmd.exit else codes.OUTPUT_DIFFERS.id
                    ),
                    detail=transcript.diff(
                        expected,
                        actual,
                        exit=step.exit,
                        expected_exit=cmd.exit,
                        label=f"expected ({where})",
                    ),
                    hint="rerun with --update to write the new output into the page",
                )
            )
            new = transcript.updated_expected(expected, actual, step.exit)
            # Lines kept as they were keep their placeholders.
            originals = dict(zip(expected, cmd.expected, strict=True))
            updates[index] = [originals.get(line, line) for line in new]
        if not findings:
            return self.result(block, "passed")
        if updates and self.ctx.options.update:
            self.updates[self.doc.blocks.index(block)] = updates
        first = findings[0]
        return self.result(
            block,
            "failed",
            f"{first.location}: {first.message}",
            findings=findings,
            output="\n".join(output[-_OUTPUT_LINES * 2 :]),
        )

    def run_sql(self, block: Block, session: Session, text: str) -> Result:
        spec = self.targets[block.run_target].spec
        if not spec.sql:
            return self.result(
                block,
                "failed",
                f"{block.location}: target {spec.name!r} has no SQL client",
                findings=[
                    Finding(
                        block.location,
                        f"SQL block on target {spec.name!r}, which has no SQL client",
                        hint="run it on target=mysql or "
                        'target=postgres, or give the target sql="client command"',
                        code=codes.NO_SQL_CLIENT.id,
                    )
                ],
            )
        delimiter = f"RUNBOOKDOCS_SQL_{secrets.token_hex(4)}"
        step = session.run(
            f"{spec.sql} <<'{delimiter}'\n{text}\n{delimiter}\n", timeout=self.timeout(block)
        )
        what = f"SQL block{_ref(block)}"
        if step.timed_out:
            return self._failure(
                block,
                step,
                f"{what} timed out after {self.timeout(block):g} s",
                code=codes.TIMED_OUT,
            )
        if step.exit != block.expect:
            return self._failure(
                block,
                step,
                f"{what} failed: the client exited {step.exit}",
                hint="the client stops at the first error; the statements before it ran",
            )
        expected, line_index = transcript.sql_expected(block.source)
        if expected is not None:
            expected = [self.redact(self.values.substitute(line)[0]) for line in expected]
            actual = transcript.normalise(self.redact(step.output))
            if not transcript.match(expected, actual):
                where = block.locate(line_index)
                return self._failure(
                    block,
                    step,
                    f"{what}: the result differs from -- expect:",
                    location=where,
                    detail=transcript.diff(expected, actual, label=f"expected ({where})"),
                    code=codes.OUTPUT_DIFFERS,
                )
        return self.result(block, "passed", step.note)

    def write_file(self, block: Block, session: Session, text: str) -> Result:
        assert block.file is not None
        path = shlex.quote(block.file)
        data = _b64(text if text.endswith("\n") else text + "\n")
        script = [f'mkdir -p "$(dirname {path})"', f"printf %s {data} | base64 -d > {path}"]
        if mode := block.attrs.get("mode"):
            script.append(f"chmod {shlex.quote(mode)} {path}")
        if owner := block.attrs.get("owner"):
            script.append(f"chown {shlex.quote(owner)} {path}")
        step = session.run(" && ".join(script), timeout=self.timeout(block))
        if step.exit != 0:
            return self._failure(
                block,
                step,
                f"cannot write {block.file} into target {block.run_target!r} (exit {step.exit})",
                code=codes.FILE_NOT_WRITTEN,
            )
        return self.result(block, "passed", f"written to {block.file}")

    # -- --update -------------------------------------------------------------------------

    def _write_updates(self) -> None:
        file = self.doc.file
        raw = file.read_bytes().decode("utf-8")
        normal = raw.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if normal != self.doc.text:
            self.ctx.log(f"{self.doc.path}: changed during the run; --update left it alone")
            return
        text = raw
        for index in sorted(self.updates, reverse=True):
            block = self.doc.blocks[index]
            try:
                text = transcript.rewrite(text, block, self.updates[index])
            except ValueError as err:
                self.ctx.log(str(err))
        if text != raw:
            atomic_write(Path(file), text)
            self.ctx.log(
                f"{self.doc.path}: expected output updated "
                f"({sum(len(u) for u in self.updates.values())} command(s))"
            )


def _ref(block: Block) -> str:
    return f" #{block.id}" if block.id else ""


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def select_shard(paths: Iterable[str], shard: tuple[int, int]) -> set[str]:
    """The paths of shard K of N (1-based): a stable split by path, whatever else changes."""
    k, n = shard
    return {p for p in paths if int(digest("shard", p)[:8], 16) % n == k - 1}


__all__ = ["Event", "RunOptions", "run_document", "run_documents", "select_shard"]
