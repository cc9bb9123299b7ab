"""A fake at the engine seam: targets that are confined local shells, for tests without Docker.

`LocalBackend` gives the engine (`RunOptions(backend=...)`) and `play` targets that run the real
`Session` (pexpect, markers, traps, interrupts) on a local bash instead of `docker exec`. Only
pages written by these tests run there, and each shell is confined:

- its working directory and HOME are a fresh directory of the backend's own (`root/NAME`);
- as root, it runs as `nobody` (`setpriv`), so it cannot write anywhere but world-writable
  places and that directory, and without network (`unshare --net`);
- `PATH` starts with the directory's `bin/`, which holds fake SQL clients (`mariadb`, `psql`):
  `SELECT <value> AS <name>;` prints a header and the value, a line `FAIL;` prints an error and
  exits 3, like a client stopping at the first error.

What the backend does is scripted too: an image that cannot be had (`bad_images`), a target
that does not start (`bad_starts`), a target lost during a block (`lost`).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from runbookdocs.errors import EnvironmentProblem, TargetError
from runbookdocs.run.session import BASH_ARGS
from runbookdocs.run.targets import TargetSpec

FAKE_SQL = r"""#!/bin/bash
# A fake SQL client: reads statements, one per line.
status=0
while IFS= read -r line; do
  case "$line" in
    "SELECT "*" AS "*";")
      value=${line#SELECT }; value=${value%% AS *}; name=${line##* AS }; name=${name%;}
      printf '%s\n%s\n' "$name" "$value" ;;
    "FAIL;") echo "ERROR:  statement failed" >&2; exit 3 ;;
  esac
done
exit $status
"""


def confined_root() -> Path:
    """A fresh directory every confined shell may write into (removed by `LocalBackend.close`)."""
    root = Path(tempfile.mkdtemp(prefix="rbd-fake-"))
    root.chmod(0o777)
    return root


class LocalTarget:
    """A target that is a directory and a confined local bash."""

    def __init__(self, backend: LocalBackend, spec: TargetSpec) -> None:
        self.backend = backend
        self.spec = spec
        self.dir = backend.root / spec.name
        self.removed = False

    def start(self) -> LocalTarget:
        if self.spec.name in self.backend.bad_starts:
            raise TargetError(f"target {self.spec.name!r}: cannot start (scripted failure)")
        bin_dir = self.dir / "bin"
        bin_dir.mkdir(parents=True, exist_ok=True)
        for client in ("mariadb", "psql"):
            path = bin_dir / client
            path.write_text(FAKE_SQL, encoding="utf-8")
            path.chmod(0o755)
        for path in (self.dir, bin_dir):
            path.chmod(0o777)
        self.backend.started.append(self.spec.name)
        return self

    def remove(self) -> None:
        self.removed = True

    def lost(self) -> str | None:
        return self.backend.lost.get(self.spec.name)

    def describe(self) -> str:
        return f"local target {self.spec.name}"

    def shell_command(
        self, *, user: str | None, workdir: str | None, env: Mapping[str, str]
    ) -> tuple[list[str], dict[str, str] | None, str | None]:
        environ = {
            **env,
            "PATH": f"{self.dir / 'bin'}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.dir),
            "TMPDIR": str(self.dir),
            "TERM": "xterm",
            **self.spec.env,
        }
        prefix: list[str] = []
        if os.geteuid() == 0 and shutil.which("setpriv") and shutil.which("unshare"):
            prefix = [
                "unshare",
                "--net",
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "--",
            ]
        return [*prefix, *BASH_ARGS], environ, str(self.dir)


class LocalNetwork:
    def __init__(self) -> None:
        self.removed = False

    def remove(self) -> None:
        self.removed = True


class LocalBackend:
    """The engine's `Backend`, with confined local shells as targets."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        bad_images: Mapping[str, str] | None = None,
        bad_starts: set[str] | None = None,
        lost: dict[str, str] | None = None,
        on_open: Callable[[], None] | None = None,
    ) -> None:
        self.root = root or confined_root()
        self.bad_images = dict(bad_images or {})
        self.bad_starts = set(bad_starts or ())
        self.lost = lost if lost is not None else {}
        self.on_open = on_open
        self.started: list[str] = []
        self.targets: list[LocalTarget] = []
        self.networks: list[LocalNetwork] = []
        self.opened = 0
        self.closed = 0

    def open(self, log: Callable[[str], None]) -> None:
        self.opened += 1
        if self.on_open is not None:
            self.on_open()
        log("local backend opened")

    def image(
        self, spec: TargetSpec, mode: str, log: Callable[[str], None], *, build: bool
    ) -> tuple[str, str]:
        if spec.name in self.bad_images:
            raise EnvironmentProblem(self.bad_images[spec.name], hint="scripted image failure")
        return f"local/{spec.name}", f"sha256:local-{spec.name}"

    def target(
        self,
        spec: TargetSpec,
        image: str,
        *,
        run_id: str,
        runbook: str,
        network: object,
    ) -> LocalTarget:
        target = LocalTarget(self, spec)
        self.targets.append(target)
        return target

    def network(self, run_id: str, runbook: str) -> LocalNetwork:
        network = LocalNetwork()
        self.networks.append(network)
        return network

    def remove_run(self, run_id: str) -> None:
        pass

    def close(self) -> None:
        self.closed += 1

    def cleanup(self) -> None:
        """Remove the confined directory (what the shells wrote there included)."""

        def writable(func: Callable[..., object], path: str, _: object) -> None:
            os.chmod(path, stat.S_IRWXU)
            func(path)

        shutil.rmtree(self.root, onerror=writable)
