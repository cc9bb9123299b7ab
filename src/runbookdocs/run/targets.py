"""Targets: where blocks run. A target is a spec (image, readiness, SQL client, credentials, env)
and, during a run, a throwaway container started from it.

Built-in targets: `debian`, `mysql` (MariaDB, MySQL-compatible) and `postgres`. Projects add or
override targets in `[tool.runbookdocs.targets.NAME]` (`runbookdocs.config.TargetConfig`); a
project target named like a built-in one keeps the built-in settings it does not override.

Every container is:

- labelled `runbookdocs=1` with the run id and its runner (`pid:start time`), so that
  `runbookdocs clean` and the next run remove what a dead runner left behind (`sweep`);
- started with stdin open (`stdin_once`, `auto_remove`) under a PID 1 wrapper that exits when
  its stdin closes: the runner keeps the attach socket, so when the runner dies, even by SIGKILL,
  the daemon closes the container's stdin, PID 1 exits and the container is removed;
- unprivileged, with memory and process limits, and no published port;
- bounded in what it writes: a size limit of its writable layer where the storage driver can
  enforce one, else bounded memory file systems on `/tmp` and `/var/tmp` (`DiskLimit`).
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from runbookdocs.config import Config, TargetConfig
from runbookdocs.errors import EnvironmentProblem, TargetError

LABEL = "runbookdocs"
LABEL_RUN = "org.runbookdocs.run"
LABEL_OWNER = "org.runbookdocs.owner"
LABEL_TARGET = "org.runbookdocs.target"
LABEL_RUNBOOK = "org.runbookdocs.runbook"

# PID 1 of every container: start the image's own command in the background, then wait for
# stdin to close (the runner's attach socket) and exit, which stops everything else with it.
WRAPPER = 'if [ "$#" -gt 0 ]; then "$@" </dev/null & fi; while read -r _; do :; done; exit 0'

MARIADB_CNF = (
    'umask 077; printf "[client]\\nuser=root\\npassword=%s\\n[mysql]\\ndatabase=%s\\n" '
    '"$MARIADB_ROOT_PASSWORD" "$MARIADB_DATABASE" > /root/.my.cnf'
)


@dataclass(frozen=True)
class TargetSpec:
    """Everything needed to start a target and run blocks in it."""

    name: str
    builtin: str | None = None
    """The built-in target this one is (or is based on), for its image."""
    image: str | None = None
    """Image reference; None for a built-in target whose image is resolved at run time."""
    dockerfile: Path | None = None
    context: Path | None = None
    command: str | None = None
    """Main command (a shell command); None: the image's own entrypoint and command."""
    ready: str | None = None
    """Shell command run in the container until it exits 0 (polled every 0.1 s)."""
    ready_timeout: float = 60.0
    setup: str | None = None
    """Shell command run once when the target is ready (client credentials)."""
    sql: str | None = None
    """Client command reading SQL on stdin, run in the target's shell."""
    env: Mapping[str, str] = field(default_factory=dict)
    user: str | None = None
    workdir: str | None = None
    memory: str = "1g"
    pids: int = 1024
    network: bool = True
    build_timeout: float = 1800.0
    """Seconds building its image may take (`build_timeout` of the configuration)."""
    disk: str = "10g"
    """Size limit of the container's writable layer, where the storage driver can enforce one
    (overlay2 on xfs mounted with `pquota`); elsewhere `/tmp` and `/var/tmp` are memory file
    systems of a quarter of `memory` each (see `DiskLimit`)."""


BUILTIN_TARGETS: dict[str, TargetSpec] = {
    "debian": TargetSpec(name="debian", builtin="debian", memory="512m"),
    "mysql": TargetSpec(
        name="mysql",
        builtin="mysql",
        ready='mariadb --protocol=tcp -h127.0.0.1 -uroot -p"$MARIADB_ROOT_PASSWORD" '
        "-e 'SELECT 1' >/dev/null",
        setup=MARIADB_CNF,
        sql="mariadb --batch",
        env={
            "MARIADB_ROOT_PASSWORD": "runbook",
            "MARIADB_DATABASE": "runbook",
            "MARIADB_USER": "runbook",
            "MARIADB_PASSWORD": "runbook",
        },
    ),
    "postgres": TargetSpec(
        name="postgres",
        builtin="postgres",
        # TCP on purpose: the official image's initialisation server listens on the socket only.
        ready="psql -h 127.0.0.1 -U postgres -d \"$POSTGRES_DB\" -tAc 'SELECT 1' >/dev/null",
        sql="psql -X -v ON_ERROR_STOP=1 --quiet --no-align --field-separator=$'\\t' "
        "--pset=footer=off",
        env={
            "POSTGRES_PASSWORD": "runbook",
            "POSTGRES_DB": "runbook",
            "PGUSER": "postgres",
            "PGPASSWORD": "runbook",
            "PGDATABASE": "runbook",
        },
    ),
}
"""The built-in targets. Credentials: see docs/reference/cibles.md."""


def target_specs(config: Config) -> dict[str, TargetSpec]:
    """Built-in targets with the project's targets added or merged over them."""
    specs = dict(BUILTIN_TARGETS)
    for name, tc in config.targets.items():
        specs[name] = _from_config(tc, specs.get(name), config.root)
    return {name: replace(spec, build_timeout=config.build_timeout) for name, spec in specs.items()}


def _from_config(tc: TargetConfig, builtin: TargetSpec | None, root: Path) -> TargetSpec:
    base = builtin or (BUILTIN_TARGETS[tc.base] if tc.base else None)
    env = dict(base.env) if base else {}
    env.update(tc.env)
    # Credentials follow the server's password when only that one is overridden.
    if "POSTGRES_PASSWORD" in tc.env and "PGPASSWORD" not in tc.env:
        env["PGPASSWORD"] = tc.env["POSTGRES_PASSWORD"]
    if "POSTGRES_DB" in tc.env and "PGDATABASE" not in tc.env:
        env["PGDATABASE"] = tc.env["POSTGRES_DB"]
    dockerfile = root / tc.dockerfile if tc.dockerfile else None
    context = (root / tc.context) if tc.context else (dockerfile.parent if dockerfile else None)
    start = base or TargetSpec(name=tc.name)
    return replace(
        start,
        name=tc.name,
        builtin=base.builtin if base else None,
        image=tc.image,
        dockerfile=dockerfile,
        context=context,
        command=tc.command or start.command,
        ready=tc.ready or start.ready,
        ready_timeout=tc.ready_timeout,
        sql=tc.sql or start.sql,
        env=env,
        user=tc.user or start.user,
        workdir=tc.workdir or start.workdir,
        memory=tc.memory,
        pids=tc.pids,
        network=tc.network,
    )


def owner_token(pid: int | None = None) -> str:
    """`pid:start-time` of a process (the start time tells a reused pid apart)."""
    pid = os.getpid() if pid is None else pid
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        start = stat.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        start = "0"
    return f"{socket.gethostname()}:{pid}:{start}"


def owner_alive(token: str) -> bool:
    """True when the runner named by an owner label still runs (or runs on another host)."""
    try:
        host, pid, _ = token.rsplit(":", 2)
    except ValueError:
        return False
    if host != socket.gethostname():
        return True
    return owner_token(int(pid)) == token if pid.isdigit() else False


def sweep(client: Any, *, everything: bool = False) -> list[str]:
    """Remove containers and networks left by dead runners (all of them with `everything`).

    Returns the names of what was removed.
    """
    import docker.errors

    removed: list[str] = []
    # The low-level listing: `containers.list()` inspects each container after listing them,
    # and fails with NotFound when another run's auto-removed container vanishes in between.
    for info in client.api.containers(all=True, filters={"label": LABEL}):
        token = (info.get("Labels") or {}).get(LABEL_OWNER, "")
        name = (info.get("Names") or [info["Id"][:12]])[0].lstrip("/")
        if everything or not owner_alive(token):
            try:
                client.api.remove_container(info["Id"], force=True)
                removed.append(f"container {name}")
            except docker.errors.APIError:
                pass  # already going away (auto-remove)
    for network in client.networks.list(filters={"label": LABEL}):
        token = network.attrs.get("Labels", {}).get(LABEL_OWNER, "")
        if everything or not owner_alive(token):
            try:
                network.remove()
                removed.append(f"network {network.name}")
            except docker.errors.APIError:
                pass
    return removed


def _configure_testcontainers() -> None:
    # Ryuk's image cannot be pulled without a registry, and cleanup is ours anyway; the 1 s
    # default polling would dominate every wait.
    os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")
    os.environ.setdefault("TC_POOLING_INTERVAL", "0.1")
    from testcontainers.core.config import testcontainers_config

    testcontainers_config.ryuk_disabled = True
    testcontainers_config.sleep_time = min(testcontainers_config.sleep_time, 0.1)


class RunNetwork:
    """The Docker network the targets of one runbook share (they reach each other by name)."""

    def __init__(self, run_id: str, runbook: str) -> None:
        _configure_testcontainers()
        from testcontainers.core.network import Network

        self._network = Network(
            docker_network_kw={
                "labels": {
                    LABEL: "1",
                    LABEL_RUN: run_id,
                    LABEL_OWNER: owner_token(),
                    LABEL_RUNBOOK: runbook[-200:],
                },
            }
        )
        self._network.name = f"runbookdocs-{run_id}-{uuid.uuid4().hex[:6]}"
        self._network.create()

    @property
    def network(self) -> Any:
        """The testcontainers `Network`."""
        return self._network

    def remove(self) -> None:
        """Remove the network (its containers must be gone)."""
        with contextlib.suppress(Exception):  # a leftover is swept by the next run
            self._network.remove()


class DiskLimit:
    """How this Docker daemon bounds what a target writes, found once per run.

    A size limit of the container's writable layer (`--storage-opt size=`) is tried first; a
    daemon whose storage driver cannot enforce it (overlay2 on anything but xfs with `pquota`,
    the common case) refuses it, and the targets then get memory file systems of bounded size
    on `/tmp` and `/var/tmp` (where steps and downloads usually go). The rest of the writable
    layer is then bounded only by the host's disk: a known limit, stated in the docs.
    """

    def __init__(self) -> None:
        self.quota: bool | None = None
        """True: `storage_opt` works here; False: it is refused; None: not tried yet."""

    def apply(self, tc: Any, spec: TargetSpec) -> None:
        """Set the container's disk bounds on `tc` (a testcontainers container)."""
        kwargs = tc._kwargs
        if self.quota is False:
            kwargs.pop("storage_opt", None)
            size = f"{max(_megabytes(spec.memory) // 4, 16)}m"
            tc.tmpfs = {p: f"rw,nosuid,size={size},mode=1777" for p in ("/tmp", "/var/tmp")}
        else:
            kwargs["storage_opt"] = {"size": spec.disk}
            tc.tmpfs = {}

    def refused(self, err: Exception) -> bool:
        """True (and remembered) when `err` is a daemon refusing `storage_opt`."""
        text = str(err).lower()
        if self.quota is not True and ("storage-opt" in text or "storage opt" in text):
            self.quota = False
            return True
        return False


def _megabytes(memory: str) -> int:
    """`512m`, `1g`, `1073741824` as megabytes (Docker's memory notation)."""
    text = memory.strip().lower().removesuffix("b")
    units = {"k": 1 / 1024, "m": 1, "g": 1024, "t": 1024 * 1024}
    try:
        if text and text[-1] in units:
            return int(float(text[:-1]) * units[text[-1]])
        return int(float(text) / (1024 * 1024))
    except ValueError:
        return 512


class Target:
    """A started target: its container, the socket that keeps it alive, and its spec."""

    def __init__(
        self,
        spec: TargetSpec,
        image: str,
        *,
        client: Any,
        run_id: str,
        runbook: str,
        network: RunNetwork | None,
        disk: DiskLimit | None = None,
    ) -> None:
        self.spec = spec
        self.disk = disk if disk is not None else DiskLimit()
        self.client = client
        self.image = image
        self.run_id = run_id
        self.runbook = runbook
        self.network = network
        self.started_s = 0.0
        self._tc: Any = None
        self._socket: Any = None
        self._lock = threading.Lock()
        self.removed = False

    @property
    def container_id(self) -> str:
        """The Docker container id."""
        return str(self._tc.get_wrapped_container().id)

    @property
    def container(self) -> Any:
        """The docker SDK container."""
        return self._tc.get_wrapped_container()

    def start(self) -> Target:
        """Start the container and wait until it is ready.

        Raises:
            TargetError: when the container cannot start or never becomes ready (it is removed).
        """
        _configure_testcontainers()
        import docker.errors
        from testcontainers.core.container import DockerContainer

        t0 = time.monotonic()
        spec = self.spec
        try:
            command = self._main_command()
            tc = DockerContainer(
                self.image,
                env=dict(spec.env),
                network=self.network.network if self.network and spec.network else None,
                network_aliases=[spec.name] if self.network and spec.network else None,
            )
            # The image's own command follows $0 ("runbookdocs-init") as the wrapper's "$@".
            tc.with_command(["runbookdocs-init", *command])
            tc.with_kwargs(
                entrypoint=["/bin/sh", "-c", WRAPPER],
                # Created without detach, so docker-py sets StdinOnce along with OpenStdin.
                stdin_open=True,
                auto_remove=True,
                hostname=spec.name,
                labels={
                    LABEL: "1",
                    LABEL_RUN: self.run_id,
                    LABEL_OWNER: owner_token(),
                    LABEL_TARGET: spec.name,
                    LABEL_RUNBOOK: self.runbook[-200:],
                },
                mem_limit=spec.memory,
                pids_limit=spec.pids,
                privileged=False,
                # PID 1 (the wrapper) ignores SIGTERM: a daemon restoring after a crash, or a
                # `docker stop`, would wait 10 s for nothing before killing a throwaway container.
                stop_signal="SIGKILL",
                **({} if spec.network else {"network_mode": "none"}),
            )
            self._tc = tc
            self.disk.apply(tc, spec)
            try:
                tc.start()
            except docker.errors.APIError as err:
                if not self.disk.refused(err):
                    raise
                self.disk.apply(tc, spec)
                tc.start()
            if self.disk.quota is None:
                self.disk.quota = True
            # Keep the attach socket: when this process dies, the daemon closes the
            # container's stdin and the PID 1 wrapper exits.
            self._socket = tc.get_wrapped_container().attach_socket(
                params={"stdin": 1, "stream": 1}
            )
        except (docker.errors.DockerException, OSError) as err:
            self.remove()
            raise TargetError(
                f"target {spec.name!r}: cannot start a container from {self.image!r}: "
                f"{str(err).strip()[:300]}",
                hint="check 'docker info' and that the image exists ('runbookdocs images list')",
            ) from err
        try:
            if spec.ready:
                self._wait_ready(spec.ready, spec.ready_timeout)
            if spec.setup:
                code, out = self.exec(spec.setup)
                if code != 0:
                    raise TargetError(
                        f"target {spec.name!r}: set-up failed (exit {code})\n" + _indent(out)
                    )
        except BaseException:
            self.remove()
            raise
        self.started_s = time.monotonic() - t0
        return self

    def _main_command(self) -> list[str]:
        if self.spec.command:
            return ["/bin/sh", "-c", self.spec.command]
        config = self.client.images.get(self.image).attrs.get("Config") or {}
        argv = [*(config.get("Entrypoint") or []), *(config.get("Cmd") or [])]
        # An image whose command is an interactive shell has no service to run.
        return [] if argv in (["bash"], ["/bin/bash"], ["sh"], ["/bin/sh"]) else argv

    def _wait_ready(self, ready: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        out = ""
        code = -1
        while time.monotonic() < deadline:
            status = self._status()
            if status not in ("running", "created"):
                raise self._not_ready(f"exited before it was ready (status {status})", ready)
            try:
                code, out = self.exec(ready)
            except Exception as err:  # the container may be going away
                code, out = -1, str(err)
            if code == 0:
                return
            time.sleep(0.1)
        raise self._not_ready(
            f"not ready after {timeout:g} s (last exit {code}: {out.strip()[-200:]})", ready
        )

    def _status(self) -> str:
        try:
            container = self.container
            container.reload()
            return str(container.status)
        except Exception:  # removed (auto-remove) means exited
            return "removed"

    def lost(self) -> str | None:
        """Why the container can no longer run steps (killed, gone, Docker down); None if it runs.

        A shell that ends because its container died looks like a block that ended its shell:
        this tells the engine it was the environment, not the runbook.
        """
        import docker.errors

        short = self.container_id[:12] if self._tc is not None else "?"
        try:
            container = self.container
            container.reload()
        except docker.errors.NotFound:
            return f"its container {short} is gone (killed, or removed outside runbookdocs)"
        except Exception as err:  # connection refused, socket gone: the daemon itself
            first = (str(err).strip().splitlines() or [type(err).__name__])[0]
            return f"Docker stopped answering ({first[:200]})"
        if container.status == "running":
            return None
        state = container.attrs.get("State") or {}
        oom = ", out of memory" if state.get("OOMKilled") else ""
        return (
            f"its container {short} stopped (status {container.status}, "
            f"exit code {state.get('ExitCode', '?')}{oom})"
        )

    def _not_ready(self, why: str, ready: str) -> TargetError:
        try:
            logs = self.container.logs(tail=10).decode("utf-8", "replace").strip() or "(none)"
        except Exception:
            logs = "(no logs: the container is gone)"
        return TargetError(
            f"target {self.spec.name!r} ({self.image}): {why}\n    readiness check: {ready}\n"
            + _indent("last log lines:\n" + logs),
            hint=f"run 'docker run --rm -it {self.image}' to see the server start",
        )

    def shell_command(
        self, *, user: str | None, workdir: str | None, env: Mapping[str, str]
    ) -> tuple[list[str], dict[str, str] | None, str | None]:
        """`docker exec -it` argv that starts a session's shell in the container."""
        from runbookdocs.run.session import docker_exec_command

        argv = docker_exec_command(self.container_id, user=user, workdir=workdir, env=env)
        return argv, {**os.environ, "TERM": "xterm"}, None

    def describe(self) -> str:
        """`container 0123456789ab`, for messages."""
        return f"container {self.container_id[:12]}"

    def exec(self, command: str, *, user: str | None = None) -> tuple[int, str]:
        """Run a shell command with `docker exec` (no tty); (exit status, output)."""
        result = self.container.exec_run(["sh", "-c", command], user=user or "", demux=False)
        return int(result.exit_code), (result.output or b"").decode("utf-8", "replace")

    def remove(self) -> None:
        """Stop and remove the container (idempotent)."""
        with self._lock:
            if self.removed:
                return
            self.removed = True
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.close()
        if self._tc is not None and self._tc._container is not None:
            with contextlib.suppress(Exception):  # auto-remove may have been faster
                self._tc._container.remove(force=True)


def _indent(text: str) -> str:
    return "\n".join(f"    {ln}" for ln in text.rstrip().splitlines())


def check_targets(names: set[str], specs: Mapping[str, TargetSpec]) -> None:
    """Raise when a runbook names a target that does not exist."""
    for name in sorted(names):
        if name not in specs:
            raise EnvironmentProblem(
                f"unknown target {name!r}",
                hint="built-in targets: debian, mysql, postgres; "
                "define others in [tool.runbookdocs.targets.NAME]",
            )
