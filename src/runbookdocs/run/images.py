"""Images of the targets: official ones from a registry, or built locally without one.

Two ways, both first-class (`config.images`):

- `official`: `debian:bookworm-slim`, `mariadb:11`, `postgres:16` (pulled when missing);
- `local`: `runbookdocs/debian:bookworm` bootstrapped with `debootstrap --variant=minbase` and
  `docker import` (apt caches stripped), then `runbookdocs/mariadb:bookworm` and
  `runbookdocs/postgres:bookworm` built from it with the Dockerfiles shipped in
  `runbookdocs/run/dockerfiles/`;
- `auto` (default): the local images when present, else the official ones (present or pulled),
  else a local build.

Every image runbookdocs builds carries the label `org.runbookdocs.recipe`: a hash of what it is
built from (Dockerfile directory, base recipe). A present image with the right label is reused;
a changed Dockerfile rebuilds it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from runbookdocs.cache import digest
from runbookdocs.errors import EnvironmentProblem

if TYPE_CHECKING:
    from runbookdocs.run.targets import TargetSpec

RECIPE_LABEL = "org.runbookdocs.recipe"
SUITE = "bookworm"
DEFAULT_MIRROR = "http://deb.debian.org/debian"
_BASE_VERSION = "1"  # bump when the bootstrap recipe below changes
DEFAULT_BUILD_TIMEOUT = 1800.0
"""Seconds an image build may take (`build_timeout` in the configuration)."""

Log = Callable[[str], None]


@dataclass(frozen=True)
class BuiltinImage:
    """The two images of a built-in target."""

    target: str
    local: str
    """Tag of the locally built image."""
    official: str
    """Official image used where a registry is reachable."""
    dockerfile: str | None
    """Directory under `run/dockerfiles/` (None: the bootstrapped base itself)."""


BUILTIN_IMAGES: dict[str, BuiltinImage] = {
    "debian": BuiltinImage("debian", f"runbookdocs/debian:{SUITE}", "debian:bookworm-slim", None),
    "mysql": BuiltinImage("mysql", f"runbookdocs/mariadb:{SUITE}", "mariadb:11", "mariadb"),
    "postgres": BuiltinImage(
        "postgres", f"runbookdocs/postgres:{SUITE}", "postgres:16", "postgres"
    ),
}


def docker_client() -> Any:
    """A Docker client, or an `EnvironmentProblem` saying how to get Docker running."""
    try:
        import docker
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise EnvironmentProblem(f"the 'docker' Python package is missing: {err}") from err
    try:
        client = docker.from_env(timeout=120)
        client.ping()
    except Exception as err:  # any failure here means "no usable Docker"
        raise EnvironmentProblem(
            f"Docker is not available: {err}",
            hint=_docker_hint(),
        ) from err
    return client


def _docker_hint() -> str:
    if shutil.which("docker") is None and shutil.which("dockerd") is None:
        return (
            "install Docker: 'sudo apt-get install -y docker.io debootstrap', then start it "
            "('sudo systemctl start docker', or 'sudo scripts/ensure-docker.sh' which does both)"
        )
    return (
        "start the Docker daemon ('sudo systemctl start docker' or "
        "'sudo nohup dockerd >/var/log/dockerd.log 2>&1 &'), and make sure this user may use "
        "it (root, or a member of the 'docker' group)"
    )


def mirror() -> str:
    """The Debian mirror: `RUNBOOKDOCS_DEBIAN_MIRROR`, else the host's apt sources, else the CDN."""
    if env := os.environ.get("RUNBOOKDOCS_DEBIAN_MIRROR"):
        return env
    for source in sorted(Path("/etc/apt/sources.list.d").glob("*.sources")):
        for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("URIs:") and "security" not in line:
                return line.split()[1]
    return DEFAULT_MIRROR


def _dockerfile_dir(name: str) -> Any:
    return files("runbookdocs.run").joinpath("dockerfiles", name)


def recipe(target: str) -> str:
    """The recipe hash of a built-in target's local image (what its label must say)."""
    base = digest("debootstrap", _BASE_VERSION, SUITE, "minbase")
    spec = BUILTIN_IMAGES[target]
    if spec.dockerfile is None:
        return base[:16]
    folder = _dockerfile_dir(spec.dockerfile)
    parts = [base]
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.is_file():
            parts += [item.name, item.read_bytes().decode("utf-8", "replace")]
    return digest(*parts)[:16]


_ALWAYS_IGNORED = (".git", ".venv", "node_modules", "__pycache__", ".runbookdocs-cache")
"""Never part of a build context's hash: they change with every run, not with the image."""


def context_files(context: Path, dockerfile: Path | None = None) -> list[str]:
    """The files of a build context Docker sends, relative to it and sorted.

    `.dockerignore` is read as the Docker SDK reads it and matched with the SDK's own matcher
    (`docker.utils.build.exclude_paths`): `*.log` excludes `x.log` at the top of the context,
    not `a/b/c.log` (that takes `**/*.log`). Caches that change with every run never count.
    """
    from docker.utils.build import exclude_paths

    ignore = context / ".dockerignore"
    patterns: list[str] = []
    if ignore.is_file():
        # Same reading as docker.api.build: stripped lines, no blanks, no comments.
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
        patterns = [ln.strip() for ln in lines if ln.strip() and not ln.strip().startswith("#")]
    name = None
    if dockerfile is not None and dockerfile.parent.resolve() == context.resolve():
        name = dockerfile.name
    kept = exclude_paths(str(context), patterns, dockerfile=name)
    return sorted(
        p
        for p in kept
        if not any(part in _ALWAYS_IGNORED for part in p.split("/")) and (context / p).is_file()
    )


def dockerfile_recipe(dockerfile: Path, context: Path, base_image_id: str | None) -> str:
    """Recipe hash of a project's Dockerfile target: the Dockerfile, its context, the base.

    The context is read as Docker sends it (`context_files`): files its `.dockerignore`
    excludes do not count, so an unchanged image is never rebuilt, and a changed file Docker
    would send always rebuilds it.
    """
    import hashlib

    parts = [str(base_image_id), dockerfile.read_text(encoding="utf-8", errors="replace")]
    for relative in context_files(context, dockerfile):
        try:
            data = (context / relative).read_bytes()
        except FileNotFoundError:  # removed since the listing: Docker will not send it either
            continue
        parts += [relative, hashlib.sha256(data).hexdigest()]
    return digest(*parts)[:16]


def image_info(client: Any, ref: str) -> tuple[str, str | None] | None:
    """(image id, recipe label) of a local image, or None when it is not present."""
    import docker.errors

    try:
        image = client.images.get(ref)
    except docker.errors.ImageNotFound:
        return None
    except docker.errors.APIError as err:
        raise EnvironmentProblem(f"cannot inspect image {ref!r}: {err}") from err
    labels = image.attrs.get("Config", {}).get("Labels") or {}
    return image.id, labels.get(RECIPE_LABEL)


def try_pull(client: Any, ref: str, log: Log) -> str | None:
    """Pull `ref`; its id, or None when no registry answers."""
    import docker.errors

    log(f"pulling {ref} ...")
    try:
        return str(client.images.pull(ref).id)
    except docker.errors.DockerException as err:
        log(f"cannot pull {ref}: {str(err).splitlines()[0][:200]}")
        return None


def resolve_builtin(
    client: Any,
    target: str,
    mode: str,
    log: Log,
    *,
    build: bool = True,
    timeout: float = DEFAULT_BUILD_TIMEOUT,
) -> tuple[str, str]:
    """The image of a built-in target as (reference, id), building or pulling what is missing.

    Args:
        mode: `auto`, `official` or `local` (see the module docstring).
        build: False to refuse building (report instead).

    Raises:
        EnvironmentProblem: when the image can neither be found, pulled nor built.
    """
    spec = BUILTIN_IMAGES[target]
    if mode in ("auto", "local"):
        info = image_info(client, spec.local)
        if info is not None and info[1] == recipe(target):
            return spec.local, info[0]
        if mode == "local" or info is not None:
            return spec.local, build_builtin(client, target, log, timeout=timeout)
    info = image_info(client, spec.official)
    if info is not None:
        return spec.official, info[0]
    pulled = try_pull(client, spec.official, log)
    if pulled is not None:
        return spec.official, pulled
    if mode == "official":
        raise EnvironmentProblem(
            f"image {spec.official!r} (target {target!r}) is not present and cannot be pulled",
            hint='with no registry, build the images locally: set images = "local" in '
            "[tool.runbookdocs] and run 'sudo runbookdocs images build'",
        )
    if not build:
        raise EnvironmentProblem(
            f"image {spec.local!r} (target {target!r}) is not built",
            hint="run 'sudo runbookdocs images build'",
        )
    return spec.local, build_builtin(client, target, log, timeout=timeout)


def image_for(
    client: Any, spec: TargetSpec, mode: str, log: Log, *, build: bool = True
) -> tuple[str, str]:
    """The image a target starts from, as (reference, id): built, pulled or found.

    A target with a Dockerfile is built (on the built-in image it is based on, if any) and
    tagged with its recipe, so an unchanged one is reused; a target naming an image uses it
    (pulled when missing); a built-in target follows `mode` (`resolve_builtin`). `run` and
    `play` both ask this.

    Raises:
        EnvironmentProblem: the image cannot be had (no registry, a failed build).
    """
    if spec.dockerfile is not None:
        base_id = None
        buildargs: dict[str, str] = {}
        if spec.builtin:
            ref, base_id = resolve_builtin(
                client, spec.builtin, mode, log, build=build, timeout=spec.build_timeout
            )
            buildargs["BASE_IMAGE"] = ref
        context = spec.context or spec.dockerfile.parent
        recipe_hash = dockerfile_recipe(spec.dockerfile, context, base_id)
        tag = f"runbookdocs/target-{spec.name.lower()}:{recipe_hash}"
        info = image_info(client, tag)
        if info is not None:
            return tag, info[0]
        return tag, build_dockerfile(
            client,
            tag=tag,
            dockerfile=spec.dockerfile,
            context=context,
            buildargs=buildargs,
            recipe_hash=recipe_hash,
            log=log,
            timeout=spec.build_timeout,
        )
    if spec.image is not None:
        info = image_info(client, spec.image)
        if info is not None:
            return spec.image, info[0]
        pulled = try_pull(client, spec.image, log)
        if pulled is None:
            raise EnvironmentProblem(
                f"image {spec.image!r} of target {spec.name!r} is not present and cannot be pulled",
                hint="load it ('docker load') or give the target a dockerfile",
            )
        return spec.image, pulled
    if spec.builtin is None:
        raise EnvironmentProblem(
            f"target {spec.name!r} names no image, Dockerfile or built-in base",
            hint="give it image=, dockerfile= or base= in [tool.runbookdocs.targets]",
        )
    return resolve_builtin(client, spec.builtin, mode, log, build=build, timeout=spec.build_timeout)


def build_builtin(
    client: Any, target: str, log: Log, *, timeout: float = DEFAULT_BUILD_TIMEOUT
) -> str:
    """Build the local image of a built-in target (and its base first); returns its id."""
    spec = BUILTIN_IMAGES[target]
    if spec.dockerfile is None:
        return build_base(client, log, timeout=timeout)
    base = BUILTIN_IMAGES["debian"]
    info = image_info(client, base.local)
    if info is None or info[1] != recipe("debian"):
        build_base(client, log, timeout=timeout)
    with as_file(_dockerfile_dir(spec.dockerfile)) as folder:
        return build_dockerfile(
            client,
            tag=spec.local,
            dockerfile=Path(folder) / "Dockerfile",
            context=Path(folder),
            buildargs={"BASE_IMAGE": base.local},
            recipe_hash=recipe(target),
            log=log,
            timeout=timeout,
        )


def build_base(client: Any, log: Log, *, timeout: float = DEFAULT_BUILD_TIMEOUT) -> str:
    """Bootstrap `runbookdocs/debian:bookworm` with debootstrap and `docker import`."""
    spec = BUILTIN_IMAGES["debian"]
    if os.geteuid() != 0:
        raise EnvironmentProblem(
            f"building {spec.local!r} needs root (debootstrap creates device files and chroots)",
            hint=f"run once as root: sudo {_argv0()} images build",
        )
    if shutil.which("debootstrap") is None:
        raise EnvironmentProblem(
            "debootstrap is not installed (needed to build the Debian base image)",
            hint="sudo apt-get install -y debootstrap  (or: sudo scripts/ensure-docker.sh)",
        )
    source = mirror()
    with _tempdir() as tmp:
        root = tmp / "rootfs"
        log(
            f"building {spec.local}: debootstrap --variant=minbase {SUITE} from {source} "
            "(about 30 s) ..."
        )
        _run(
            ["debootstrap", "--variant=minbase", SUITE, str(root), source],
            "debootstrap",
            timeout=_finite_seconds(timeout),
        )
        for pattern in ("var/cache/apt/archives/*.deb", "var/lib/apt/lists/*"):
            for path in root.glob(pattern):
                if path.is_file():
                    path.unlink()
        log(f"building {spec.local}: docker import ...")
        tar = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        try:
            _run(
                [
                    "docker",
                    "import",
                    "--change",
                    f"LABEL {RECIPE_LABEL}={recipe('debian')}",
                    "--change",
                    "ENV LANG=C.UTF-8",
                    "--change",
                    'CMD ["bash"]',
                    "-",
                    spec.local,
                ],
                "docker import",
                stdin=tar.stdout,
            )
        finally:
            if tar.stdout is not None:
                tar.stdout.close()
            tar.wait()
    info = image_info(client, spec.local)
    assert info is not None
    log(f"built {spec.local} ({info[0][7:19]})")
    return info[0]


def _argv0() -> str:
    return shutil.which("runbookdocs") or "runbookdocs"


@contextmanager
def _tempdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="runbookdocs-base-"))
    try:
        yield path
    finally:
        subprocess.run(["rm", "-rf", "--one-file-system", str(path)], check=False)


def _run(argv: list[str], what: str, **kwargs: Any) -> None:
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, check=False, **kwargs)
    except subprocess.TimeoutExpired as err:
        raise EnvironmentProblem(
            f"{what} was stopped after {err.timeout:g} s (build_timeout)",
            hint="check that the Debian mirror is reachable (RUNBOOKDOCS_DEBIAN_MIRROR), or raise "
            "build_timeout in [tool.runbookdocs]",
        ) from err
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-8:])
        raise EnvironmentProblem(
            f"{what} failed (exit {proc.returncode})\n"
            + "\n".join(f"    {ln}" for ln in tail.splitlines()),
            hint="check that the Debian mirror is reachable (RUNBOOKDOCS_DEBIAN_MIRROR)",
        )


def build_dockerfile(
    client: Any,
    *,
    tag: str,
    dockerfile: Path,
    context: Path,
    buildargs: dict[str, str],
    recipe_hash: str,
    log: Log,
    timeout: float = DEFAULT_BUILD_TIMEOUT,
) -> str:
    """`docker build` with a recipe label, streaming step lines to `log`; returns the image id.

    The build is stopped after `timeout` seconds (`build_timeout`): its connection to the
    daemon is shut, which makes the daemon cancel the build (and remove its containers).

    Raises:
        EnvironmentProblem: the build failed, or ran past `timeout`.
    """
    import socket
    import threading

    import docker
    import docker.errors
    from docker.utils import kwargs_from_env

    class _Bounded(docker.APIClient):
        """Keeps the build's response, so that another thread can shut its socket."""

        response: Any = None

        def _stream_helper(self, response: Any, decode: bool = False) -> Any:
            self.response = response
            helper: Any = super()._stream_helper  # type: ignore[misc]
            return helper(response, decode=decode)

    log(f"building {tag} from {dockerfile} ...")
    last: list[str] = []
    # Its own connection (made the way `docker_client` makes one), so that shutting it stops
    # this build only.
    api = _Bounded(version=client.api.api_version, **kwargs_from_env())
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        try:
            # urllib3's response -> http.client's -> the socket file -> the socket.
            raw = api.response.raw._fp.fp.raw
            sock = getattr(raw, "_sock", raw)
            sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # not started, already closed, or another transport
            pass
        with contextlib.suppress(Exception):
            api.close()

    timer = threading.Timer(_finite_seconds(timeout), stop)
    timer.daemon = True
    timer.start()
    try:
        stream = _start_build(
            api,
            log,
            path=str(context),
            dockerfile=str(dockerfile),
            tag=tag,
            buildargs=buildargs,
            labels={RECIPE_LABEL: recipe_hash},
            rm=True,
            forcerm=True,
            decode=True,
        )
        for chunk in stream:
            if "error" in chunk:
                raise EnvironmentProblem(
                    f"building {tag} failed: {chunk['error'].strip()}\n"
                    + "\n".join(f"    {ln}" for ln in last[-8:]),
                    hint=f"check {dockerfile} and that the Debian mirror is reachable",
                )
            text = str(chunk.get("stream", "")).rstrip()
            if text:
                last.append(text)
                if text.startswith("Step "):
                    log(f"building {tag}: {text[:120]}")
        if stopped.is_set():
            raise OSError("the build was stopped")
    except EnvironmentProblem:
        raise
    except Exception as err:  # the transport's own errors when its socket is shut
        if stopped.is_set():
            raise EnvironmentProblem(
                f"building {tag} was stopped after {timeout:g} s (build_timeout)\n"
                + "\n".join(f"    {ln}" for ln in last[-8:]),
                hint="a build step that never ends (a prompt, a download that hangs)? fix "
                f"{dockerfile}, or raise build_timeout in [tool.runbookdocs]",
            ) from err
        if not isinstance(err, (docker.errors.DockerException, OSError, ValueError)):
            raise
        raise EnvironmentProblem(f"building {tag} failed: {err}") from err
    finally:
        timer.cancel()
        with contextlib.suppress(Exception):
            api.close()
    info = image_info(client, tag)
    if info is None:
        raise EnvironmentProblem(f"building {tag} produced no image")
    log(f"built {tag} ({info[0][7:19]})")
    return info[0]


CONTEXT_ATTEMPTS = 3
"""Times the build context is packed before a file that keeps vanishing is reported."""


def _start_build(api: Any, log: Log, **kwargs: Any) -> Any:
    """`api.build(**kwargs)`, packing the context again when a file vanished while it was packed.

    The SDK lists the context, then reads each file: a file another process removes in
    between (coverage data, an editor's swap file, a test's scratch file in the project root)
    fails the whole build with ENOENT, though the next listing no longer has it.

    Raises:
        EnvironmentProblem: the context kept changing for `CONTEXT_ATTEMPTS` packings.
    """
    attempt = 0
    while True:
        attempt += 1
        try:
            return api.build(**kwargs)
        except OSError as err:
            # Only the packing of the context: a connection error is not retried here.
            vanished = isinstance(err, FileNotFoundError) or isinstance(
                err.__cause__, FileNotFoundError
            )
            if not vanished:
                raise
            name = err.filename or str(err).rpartition(": ")[2]
            if attempt == CONTEXT_ATTEMPTS:
                raise EnvironmentProblem(
                    f"the build context {kwargs['path']} kept changing while it was packed "
                    f"({CONTEXT_ATTEMPTS} times): {name} vanished",
                    hint="list files that come and go (caches, coverage data, temporary "
                    "files) in the context's .dockerignore",
                ) from err
            log(f"{name} vanished while the build context was packed; packing it again")


def _finite_seconds(seconds: float) -> float:
    return seconds if 0 < seconds < 10**7 else 10**7


def list_images(client: Any) -> list[dict[str, str]]:
    """The built-in images and their state, for `runbookdocs images list`."""
    rows = []
    for spec in BUILTIN_IMAGES.values():
        for ref, kind in ((spec.local, "local"), (spec.official, "official")):
            info = image_info(client, ref)
            if info is None:
                state = "missing"
            elif kind == "local" and info[1] != recipe(spec.target):
                state = "outdated"
            else:
                state = "present"
            size = ""
            if info is not None:
                size = f"{client.images.get(ref).attrs.get('Size', 0) / 1e6:.0f} MB"
            rows.append(
                {
                    "target": spec.target,
                    "kind": kind,
                    "image": ref,
                    "state": state,
                    "id": info[0][7:19] if info else "",
                    "size": size,
                }
            )
    return rows
