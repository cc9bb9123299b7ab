"""The sandbox of a lesson: the runbook's targets, started the way `runbookdocs run` starts them,
its shells, and what running a block or a learner's command in them gives.

Composed from the engine's public pieces (`target_specs`, `Target`, `RunNetwork`, `sweep`,
`Session`, the image functions): every container carries the engine's labels, so a sandbox left
by a process that died (even by SIGKILL: the PID 1 wrapper exits when its stdin closes) is
removed by the next `runbookdocs run`, `play` or `clean`.
"""

from __future__ import annotations

import base64
import contextlib
import secrets
import shlex
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from runbookdocs import transcript
from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.errors import EnvironmentProblem, RunbookdocsError
from runbookdocs.run.session import Reply, Session, StepResult, session_for
from runbookdocs.run.targets import (
    LABEL_RUN,
    RunNetwork,
    Target,
    TargetSpec,
    check_targets,
    target_specs,
)
from runbookdocs.variables import Values

_DIFF_LINES = 12

Log = Callable[[str], None]


@dataclass
class Outcome:
    """What running something in the sandbox gave, ready to show to a learner (in French)."""

    ok: bool
    output: list[str] = field(default_factory=list)
    """What it printed: normalised lines, secrets masked."""
    why: str = ""
    """Why it is not what the page expects (empty when `ok`)."""
    detail: list[str] = field(default_factory=list)
    """Expected against actual output, when that is the difference."""


@dataclass
class CommandOutcome(Outcome):
    """One command of a console block."""

    command: str = ""
    prompt: str = "$"


class Sandbox:
    """The containers and shells of one lesson; `close()` removes everything.

    Args:
        doc: the runbook.
        config: the project configuration (targets, images, timeouts).
        values: its variables and secrets.
        log: where image builds and clean-up report progress.
    """

    def __init__(self, doc: Document, config: Config, values: Values, log: Log) -> None:
        self.doc = doc
        self.config = config
        self.values = values
        self.redact = values.redactor()
        self.log = log
        self.specs = target_specs(config)
        self.run_id = secrets.token_hex(4)
        self.client: Any = None
        self.targets: dict[str, Target] = {}
        self.network: RunNetwork | None = None
        self.sessions: dict[tuple[str, str, str | None], Session] = {}
        self._lock = threading.Lock()
        self._starting: list[Target] = []
        self.closed = False

    # -- life cycle -----------------------------------------------------------------------

    def open(self, names: list[str]) -> None:
        """Start the targets `names` (in parallel), after sweeping what dead runners left.

        Raises:
            EnvironmentProblem: no Docker, an unknown target, an image that cannot be had.
            TargetError: a target that does not start (nothing is left behind).
        """
        import docker.errors

        from runbookdocs.run.images import docker_client
        from runbookdocs.run.targets import sweep

        check_targets(set(names), self.specs)
        self.client = docker_client()
        for attempt in range(3):
            try:
                for name in sweep(self.client):
                    self.log(f"removed {name} left by a runner that is gone")
                break
            except docker.errors.NotFound:
                # Listing inspects each container; another run's may be gone in between.
                time.sleep(0.2 * (attempt + 1))
        images = {name: self._image(self.specs[name]) for name in names}
        networked = [n for n in names if self.specs[n].network]
        if len(networked) > 1:
            self.network = RunNetwork(self.run_id, self.doc.path)
        errors: list[BaseException] = []

        def start(name: str) -> None:
            target = Target(
                self.specs[name],
                images[name],
                client=self.client,
                run_id=self.run_id,
                runbook=self.doc.path,
                network=self.network,
            )
            with self._lock:
                self._starting.append(target)
            try:
                self.targets[name] = target.start()
            except BaseException as err:  # reported below
                errors.append(err)

        threads = [threading.Thread(target=start, args=(n,), daemon=True) for n in names[1:]]
        for thread in threads:
            thread.start()
        if names:
            start(names[0])
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]

    def _image(self, spec: TargetSpec) -> str:
        """The image reference of a target, built or pulled when missing (as `run` does)."""
        from runbookdocs.run import images

        mode = self.config.images
        if spec.dockerfile is not None:
            base_id = None
            buildargs: dict[str, str] = {}
            if spec.builtin:
                ref, base_id = images.resolve_builtin(self.client, spec.builtin, mode, self.log)
                buildargs["BASE_IMAGE"] = ref
            context = spec.context or spec.dockerfile.parent
            recipe = images.dockerfile_recipe(spec.dockerfile, context, base_id)
            tag = f"runbookdocs/target-{spec.name.lower()}:{recipe}"
            if images.image_info(self.client, tag) is None:
                images.build_dockerfile(
                    self.client,
                    tag=tag,
                    dockerfile=spec.dockerfile,
                    context=context,
                    buildargs=buildargs,
                    recipe_hash=recipe,
                    log=self.log,
                )
            return tag
        if spec.image is not None:
            if images.image_info(self.client, spec.image) is None and (
                images.try_pull(self.client, spec.image, self.log) is None
            ):
                raise EnvironmentProblem(
                    f"image {spec.image!r} of target {spec.name!r} is not present and "
                    "cannot be pulled",
                    hint="load it ('docker load') or give the target a dockerfile",
                )
            return spec.image
        assert spec.builtin is not None
        return images.resolve_builtin(self.client, spec.builtin, mode, self.log)[0]

    def close(self) -> None:
        """End the shells and remove the containers and the network (idempotent)."""
        if self.closed:
            return
        self.closed = True
        for session in self.sessions.values():
            session.close()
        with self._lock:
            targets = list(self._starting)
        threads = [threading.Thread(target=t.remove, daemon=True) for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=15)
        if self.client is not None:
            # A container whose start was cut short (Ctrl-C while it was being created) is
            # not known to its Target yet: find it by this sandbox's label.
            with contextlib.suppress(Exception):
                for container in self.client.containers.list(
                    all=True, filters={"label": f"{LABEL_RUN}={self.run_id}"}
                ):
                    with contextlib.suppress(Exception):
                        container.remove(force=True)
        if self.network is not None:
            self.network.remove()
        if self.client is not None:
            self.client.close()

    def container_ids(self) -> list[str]:
        """Ids of the running containers (for tests and messages)."""
        return [t.container_id for t in self.targets.values()]

    # -- shells ---------------------------------------------------------------------------

    def session(self, block: Block) -> Session:
        """The shell a block runs in: one per (session, target, user), as in `run`."""
        name = block.run_target
        return session_for(self.sessions, block, name, self.targets[name], self.values.secrets)

    def timeout(self, block: Block) -> float:
        """Seconds a block (or a command typed for it) may take."""
        return block.timeout or self.doc.front.timeout or self.config.timeout

    def replies(self, block: Block) -> list[Reply]:
        """Answers to the block's interactive prompts (`runbook: answer`)."""
        return [
            Reply(self.values.substitute(a.prompt)[0], self.values.substitute(a.value)[0])
            for a in block.answers
        ]

    def sql_client(self, block: Block) -> str | None:
        """The SQL client command of the block's target (None: the target has none)."""
        return self.specs[block.run_target].sql

    def fill(self, text: str) -> tuple[str, list[str]]:
        """`text` with its placeholders filled in, and the unknown names."""
        return self.values.substitute(text)

    def lines(self, step: StepResult) -> list[str]:
        """A step's output as normalised lines, secrets masked."""
        return transcript.normalise(self.redact(step.output))

    # -- documented blocks ----------------------------------------------------------------

    def run_block(self, block: Block) -> Outcome | list[CommandOutcome]:
        """Run a block as the page documents it; a console block gives one outcome per command."""
        text, unknown = self.fill(block.source)
        if unknown:
            return _unknown(unknown[0])
        try:
            session = self.session(block)
            if block.kind == "console":
                return self.run_console(block, session)
            if block.kind == "sql":
                return self.run_sql(block, text)
            if block.kind == "shell":
                return self.shell(block, text, expect=block.expect)
            return self.write_file(block, session, text)
        except RunbookdocsError as err:
            return Outcome(False, why=err.render())

    def run_console(self, block: Block, session: Session) -> list[CommandOutcome]:
        """Every command of a transcript, each compared with its expected output."""
        results: list[CommandOutcome] = []
        replies = self.replies(block)
        for cmd in transcript.parse(block).commands:
            outcome = self.console_command(block, cmd, cmd.text, replies=replies, session=session)
            results.append(outcome)
        return results

    def console_command(
        self,
        block: Block,
        cmd: transcript.Command,
        typed: str,
        *,
        replies: list[Reply] | None = None,
        session: Session | None = None,
    ) -> CommandOutcome:
        """Run `typed` as command `cmd` of a transcript and compare with what the page expects."""
        command, unknown = self.fill(typed)
        shown = self.redact(typed)
        if unknown:
            return CommandOutcome(False, why=_unknown(unknown[0]).why, command=shown)
        session = session or self.session(block)
        step = session.run(
            command,
            timeout=self.timeout(block),
            replies=self.replies(block) if replies is None else replies,
            typed=True,
        )
        actual = self.lines(step)
        expected = [self.fill(line)[0] for line in cmd.expected]
        out = CommandOutcome(True, actual, command=shown, prompt=cmd.prompt)
        if step.timed_out:
            out.ok = False
            out.why = f"interrompue au bout de {self.timeout(block):g} s"
        elif step.exit != cmd.exit:
            out.ok = False
            out.why = f"la commande a fini avec le code {step.exit} (la page attend {cmd.exit})"
        elif not transcript.match(expected, actual):
            out.ok = False
            out.why = "la sortie n'est pas celle que la page attend"
            out.detail = _diff(expected, actual)
        return out

    def shell(self, block: Block, text: str, *, expect: int, typed: bool = False) -> Outcome:
        """Run shell text in the block's shell; fine when it exits `expect`.

        `typed`: as typed at a prompt (error messages read as in a terminal).
        """
        step = self.session(block).run(
            text, timeout=self.timeout(block), replies=self.replies(block), typed=typed
        )
        out = Outcome(True, self.lines(step))
        if step.timed_out:
            out.ok = False
            out.why = f"interrompue au bout de {self.timeout(block):g} s"
        elif step.exit != expect:
            out.ok = False
            out.why = f"la commande a fini avec le code {step.exit} (la page attend {expect})"
        if step.shell_ended:
            out.why = (out.why + " ; " if out.why else "") + "le shell s'est terminé"
        return out

    def run_sql(
        self, block: Block, text: str, *, expect: int | None = None, result: bool = True
    ) -> Outcome:
        """Send SQL to the target's client: fine when the client exits `expect` (default: the
        block's) and, with `result`, prints the block's expected result (`-- expect:`)."""
        client = self.sql_client(block)
        if client is None:
            return Outcome(False, why=f"la cible {block.run_target!r} n'a pas de client SQL")
        delimiter = f"RUNBOOKDOCS_SQL_{secrets.token_hex(4)}"
        out = self.shell(
            block,
            f"{client} <<'{delimiter}'\n{text}\n{delimiter}\n",
            expect=block.expect if expect is None else expect,
        )
        expected, _ = transcript.sql_expected(block.source)
        if out.ok and result and expected is not None:
            expected = [self.fill(line)[0] for line in expected]
            if not transcript.match(expected, out.output):
                out.ok = False
                out.why = "le résultat n'est pas celui que la page attend"
                out.detail = _diff(expected, out.output)
        return out

    def write_file(self, block: Block, session: Session, text: str) -> Outcome:
        """Write a config block (`file=`) into its target, as `run` does."""
        assert block.file is not None
        path = shlex.quote(block.file)
        data = base64.b64encode(_with_newline(text).encode("utf-8")).decode("ascii")
        script = [f'mkdir -p "$(dirname {path})"', f"printf %s {data} | base64 -d > {path}"]
        if mode := block.attrs.get("mode"):
            script.append(f"chmod {shlex.quote(mode)} {path}")
        if owner := block.attrs.get("owner"):
            script.append(f"chown {shlex.quote(owner)} {path}")
        step = session.run(" && ".join(script), timeout=self.timeout(block))
        if step.exit != 0:
            return Outcome(
                False, self.lines(step), why=f"impossible d'écrire {block.file} (code {step.exit})"
            )
        return Outcome(True, [f"{block.file} écrit"])

    def file_matches(self, block: Block) -> Outcome:
        """True when the file of a config block holds the block's text (spacing at line ends
        and blank lines at the end aside)."""
        assert block.file is not None
        text, _ = self.fill(block.source)
        path = shlex.quote(block.file)
        step = self.session(block).run(f"cat -- {path}", timeout=self.timeout(block))
        if step.exit != 0:
            return Outcome(False, why=f"{block.file} n'existe pas (ou ne se lit pas)")
        actual = transcript.normalise(step.output)
        expected = transcript.normalise(text)
        if actual != expected:
            return Outcome(
                False,
                why=f"{block.file} n'a pas le contenu attendu",
                detail=_diff([transcript.escape(e) for e in expected], actual),
            )
        return Outcome(True)

    def check(self, block: Block) -> Outcome:
        """Run a `.check` block: a shell block holds when it exits its `expect`, a console
        block when every command gives its expected output."""
        result = self.run_block(block)
        if isinstance(result, list):
            bad = [r for r in result if not r.ok]
            return bad[0] if bad else Outcome(True)
        return result


def sandbox_values(values: Values) -> tuple[Values, list[str]]:
    """Values for a sandbox: a secret missing from the environment gets a random value (a new
    hire practising has no production password, and none is needed in a throwaway container).

    Returns the values and the names given a random value.
    """
    if not values.missing_secrets:
        return values, []
    filled = dict(values.secrets)
    for name in values.missing_secrets:
        filled[name] = "bac-a-sable-" + secrets.token_urlsafe(12)
    return Values(values.variables, filled, ()), list(values.missing_secrets)


def _unknown(name: str) -> Outcome:
    return Outcome(
        False,
        why=f"{{{{ {name} }}}} n'est ni une variable ni un secret de ce runbook",
    )


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


def _diff(expected: list[str], actual: list[str]) -> list[str]:
    text = transcript.diff(expected, actual, label="attendu")
    # The two file headers and the hunk lines say nothing to a learner.
    lines = [ln for ln in text.split("\n")[2:] if not ln.startswith("@@")]
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"[... {len(lines) - _DIFF_LINES} ligne(s) de plus]"]
    return ["(- attendu, + obtenu)", *lines] if lines else []
