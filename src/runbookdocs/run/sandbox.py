"""Sandbox: the targets, network and shells one runbook runs in, for `run` and `play` alike.

```
Backend ──image()/target()/network()──► Sandbox(doc) ──session(block)──► Session ──► runners
 (Docker, or a test's fake)              targets started in parallel,     one per (session,
                                         removed together                  target, user)
```

A `Backend` is where targets come from: `DockerBackend` starts containers (images built, pulled
or found by `images.image_for`, leftovers of dead runners swept first); tests pass a fake that
runs a confined local shell, so that the engine's rules are proved without Docker. Everything
above the backend (which blocks run, in which shell, with which values, and what their results
mean) is the same code whatever the backend.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.results import Finding
from runbookdocs.run.session import Reply, Session, session_for
from runbookdocs.run.targets import TargetSpec, target_specs
from runbookdocs.variables import Values

Log = Callable[[str], None]


class StartedTarget(Protocol):
    """A target as the sandbox and the sessions use it (`targets.Target` for Docker)."""

    spec: TargetSpec

    def start(self) -> StartedTarget:
        """Start it and wait until it is ready; raises `TargetError` (nothing left behind)."""

    def remove(self) -> None:
        """Remove it (idempotent)."""

    def lost(self) -> str | None:
        """Why it can no longer run steps, or None while it runs."""

    def describe(self) -> str:
        """A short name for messages."""

    def shell_command(
        self, *, user: str | None, workdir: str | None, env: Mapping[str, str]
    ) -> tuple[list[str], dict[str, str] | None, str | None]:
        """How to start a session's shell there (see `session.ShellHost`)."""


class Network(Protocol):
    """The network the targets of one runbook share."""

    def remove(self) -> None:
        """Remove it (its targets must be gone)."""


class Backend(Protocol):
    """Where targets come from."""

    def open(self, log: Log) -> None:
        """Connect, and remove what dead runners left. Raises `EnvironmentProblem`."""

    def image(self, spec: TargetSpec, mode: str, log: Log, *, build: bool) -> tuple[str, str]:
        """(reference, id) of the image `spec` starts from. Raises `RunbookdocsError`."""

    def target(
        self, spec: TargetSpec, image: str, *, run_id: str, runbook: str, network: Network | None
    ) -> StartedTarget:
        """A target, not started yet."""

    def network(self, run_id: str, runbook: str) -> Network:
        """A network for the targets of one runbook (created)."""

    def remove_run(self, run_id: str) -> None:
        """Remove whatever still carries this run id (a start cut short by Ctrl-C)."""

    def close(self) -> None:
        """Release the connection."""


class DockerBackend:
    """Targets as throwaway Docker containers (`targets.Target`)."""

    def __init__(self) -> None:
        from runbookdocs.run.targets import DiskLimit

        self.client: Any = None
        self.janitor: Any = None
        self.disk = DiskLimit()

    def open(self, log: Log) -> None:
        import docker.errors

        from runbookdocs.run.images import docker_client
        from runbookdocs.run.targets import sweep

        if self.client is not None:
            return
        self.client = docker_client()
        self.janitor = _start_janitor()
        for attempt in range(3):
            try:
                for name in sweep(self.client):
                    log(f"removed {name} left by a runner that is gone")
                return
            except docker.errors.NotFound:
                # Listing inspects each container; another run's may be gone in between.
                import time

                time.sleep(0.2 * (attempt + 1))

    def image(self, spec: TargetSpec, mode: str, log: Log, *, build: bool) -> tuple[str, str]:
        from runbookdocs.run.images import image_for

        return image_for(self.client, spec, mode, log, build=build)

    def target(
        self, spec: TargetSpec, image: str, *, run_id: str, runbook: str, network: Network | None
    ) -> StartedTarget:
        from runbookdocs.run.targets import RunNetwork, Target

        assert network is None or isinstance(network, RunNetwork)
        return Target(
            spec,
            image,
            client=self.client,
            run_id=run_id,
            runbook=runbook,
            network=network,
            disk=self.disk,
        )

    def network(self, run_id: str, runbook: str) -> Network:
        from runbookdocs.run.targets import RunNetwork

        return RunNetwork(run_id, runbook)

    def remove_run(self, run_id: str) -> None:
        from runbookdocs.run.targets import LABEL_RUN

        if self.client is None:
            return
        with contextlib.suppress(Exception):
            for container in self.client.containers.list(
                all=True, filters={"label": f"{LABEL_RUN}={run_id}"}
            ):
                with contextlib.suppress(Exception):
                    container.remove(force=True)

    def close(self) -> None:
        if self.client is not None:
            with contextlib.suppress(Exception):
                self.client.close()
            self.client = None
        if self.janitor is not None:
            # Ended normally: the janitor has nothing to do (what this run started is gone,
            # and a later run of this process must not be swept).
            with contextlib.suppress(OSError):
                self.janitor.stdin.write(b"bye")
                self.janitor.stdin.close()
            self.janitor = None


def _start_janitor() -> Any:
    """The process that removes this runner's containers and networks if it dies (see
    `run.janitor`); None when it cannot start (the next run's sweep is then the only one)."""
    import subprocess
    import sys

    from runbookdocs.run.targets import owner_token

    try:
        return subprocess.Popen(
            [sys.executable, "-m", "runbookdocs.run.janitor", owner_token()],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return None


def unknown_target(blocks: Iterable[Block], specs: Mapping[str, TargetSpec]) -> Finding | None:
    """The finding for the first block naming a target that does not exist, or None.

    A runbook naming a target nobody defined is the runbook's mistake (exit 1), in `run` and
    in `play` alike.
    """
    for block in blocks:
        if block.run_target not in specs:
            known = ", ".join(sorted(specs))
            return codes.UNKNOWN_TARGET.at(
                block.location,
                f"unknown target {block.run_target!r} (known: {known})",
                hint="define it in [tool.runbookdocs.targets.NAME]",
            )
    return None


class Sandbox:
    """The targets, network and shells of one runbook; `close()` removes everything.

    Args:
        doc: the runbook.
        config: the project configuration (targets, timeouts).
        values: its variables and secrets.
        backend: where targets come from (opened by the caller).
        lang: language of what runners say (`en` for `run`, the learner's for `play`).
        update: `--update`: runners work out the page's new expected output.
        specs: the targets by name (default: `target_specs(config)`).
    """

    def __init__(
        self,
        doc: Document,
        config: Config,
        values: Values,
        backend: Backend,
        *,
        lang: str = "en",
        update: bool = False,
        specs: Mapping[str, TargetSpec] | None = None,
    ) -> None:
        self.doc = doc
        self.config = config
        self.values = values
        self.redact = values.redactor()
        self.backend = backend
        self.lang = lang
        self.update = update
        self.specs = dict(specs) if specs is not None else target_specs(config)
        self.run_id = secrets.token_hex(4)
        self.targets: dict[str, StartedTarget] = {}
        self.network: Network | None = None
        self.sessions: dict[tuple[str, str, str | None], Session] = {}
        self._lock = threading.Lock()
        self._starting: list[StartedTarget] = []
        self.closed = False

    # -- life cycle -----------------------------------------------------------------------

    def open(self, images: Mapping[str, str]) -> None:
        """Start the targets `images` names (name -> image reference), in parallel.

        Raises:
            TargetError: a target does not start; the ones started are removed.
        """
        names = list(images)
        networked = [n for n in names if self.specs[n].network]
        if len(networked) > 1:
            self.network = self.backend.network(self.run_id, self.doc.path)
        errors: list[BaseException] = []

        def start(name: str) -> None:
            target = self.backend.target(
                self.specs[name],
                images[name],
                run_id=self.run_id,
                runbook=self.doc.path,
                network=self.network,
            )
            with self._lock:
                self._starting.append(target)
            try:
                self.targets[name] = target.start()
            except BaseException as err:  # reported below, after the other starts
                errors.append(err)

        threads = [threading.Thread(target=start, args=(n,), daemon=True) for n in names[1:]]
        for thread in threads:
            thread.start()
        if names:
            start(names[0])
        for thread in threads:
            thread.join()
        if errors:
            self.close()
            raise errors[0]

    def close(self) -> None:
        """End the shells, remove the targets (in parallel) and the network (idempotent)."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            targets = list(self._starting)
        for session in list(self.sessions.values()):
            session.close()
        threads = [threading.Thread(target=t.remove, daemon=True) for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        # A target whose start was cut short (Ctrl-C while it was being created) may not know
        # its container yet: the backend finds it by this sandbox's run id.
        self.backend.remove_run(self.run_id)
        if self.network is not None:
            self.network.remove()

    def kill(self) -> None:
        """Remove the targets now, from another thread (interrupt): the shells see EOF."""
        with self._lock:
            targets = list(self._starting)
        for target in targets:
            with contextlib.suppress(Exception):
                target.remove()

    # -- what runners ask -----------------------------------------------------------------

    def session(self, block: Block) -> Session:
        """The shell a block runs in: one per (session, target, user)."""
        name = block.run_target
        return session_for(
            self.sessions,
            block,
            name,
            self.targets[name],
            self.values.secrets,
            redact=self.redact,
            timeout=self.timeout(block),
        )

    def spec(self, block: Block) -> TargetSpec:
        """The spec of the block's target."""
        return self.specs[block.run_target]

    def timeout(self, block: Block) -> float:
        """Seconds a block (or a command typed for it) may take."""
        return block.timeout or self.doc.front.timeout or self.config.timeout

    def replies(self, block: Block) -> list[Reply]:
        """Answers to the block's interactive prompts (`runbook: answer`), placeholders filled."""
        return [
            Reply(self.values.substitute(a.prompt)[0], self.values.substitute(a.value)[0])
            for a in block.answers
        ]

    def fill(self, text: str) -> tuple[str, list[str]]:
        """`text` with its placeholders filled in, and the unknown names."""
        return self.values.substitute(text)

    def expected(self, lines: Sequence[str]) -> list[str]:
        """Expected output lines as compared: placeholders filled, then secrets masked (output
        is compared masked, so a `{{ SECRET }}` the page expects is masked too)."""
        return [self.redact(self.fill(line)[0]) for line in lines]

    def lost(self, block: Block) -> str | None:
        """Why the block's target can no longer run steps (None: it runs, or never started)."""
        target = self.targets.get(block.run_target)
        return target.lost() if target is not None else None


__all__ = ["Backend", "DockerBackend", "Network", "Sandbox", "StartedTarget", "unknown_target"]
