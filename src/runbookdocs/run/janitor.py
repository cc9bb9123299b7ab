"""The janitor: removes what a runner leaves in Docker when it dies without cleaning up.

Containers go away by themselves when their runner dies, even by SIGKILL (their PID 1 exits
when the runner's attach socket closes, and they are auto-removed: see `run.targets`); a
network does not, and a container whose start was cut short may not either. So each Docker
run starts this small process (`python -m runbookdocs.run.janitor OWNER`), in its own session
(a signal to the runner's process group does not reach it), holding the read end of a pipe
whose write end only the runner has:

- the runner ends normally: it writes `bye` and closes the pipe; the janitor exits;
- the runner dies (SIGKILL included): the pipe reaches end of file without `bye`; the janitor
  removes every container and network labelled with the runner's owner token (after the
  containers, the networks they were on), then exits.

It imports nothing until then, and is bounded: at most `GRACE` seconds of retries.
"""

from __future__ import annotations

import contextlib
import sys
import time

GRACE = 30.0
"""Seconds the janitor keeps trying (auto-removal of containers takes a moment)."""


def sweep_owner(owner: str, *, grace: float = GRACE) -> list[str]:
    """Remove the containers, then the networks, labelled with `owner`; their names."""
    import docker
    import docker.errors

    from runbookdocs.run.targets import LABEL_OWNER

    client = docker.from_env(timeout=30)
    label = {"label": f"{LABEL_OWNER}={owner}"}
    removed: list[str] = []
    deadline = time.monotonic() + grace
    while True:
        left = 0
        for info in client.api.containers(all=True, filters=label):
            try:
                client.api.remove_container(info["Id"], force=True)
                removed.append(f"container {info['Id'][:12]}")
            except docker.errors.APIError:
                left += 1  # already going away
        for network in client.networks.list(filters=label):
            try:
                network.remove()
                removed.append(f"network {network.name}")
            except docker.errors.APIError:
                left += 1  # a container is still attached
        if not left or time.monotonic() > deadline:
            return removed
        time.sleep(0.5)


def main(argv: list[str]) -> int:
    """Wait for the runner (standard input), then sweep what it left if it died."""
    if len(argv) != 1:
        print("usage: python -m runbookdocs.run.janitor OWNER", file=sys.stderr)
        return 2
    import os

    said = b""
    with contextlib.suppress(OSError):
        while chunk := os.read(0, 64):
            said += chunk
    if said.strip() == b"bye":
        return 0
    with contextlib.suppress(Exception):  # Docker gone too: the next run sweeps
        sweep_owner(argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
