"""One configuration for the CLI, the pytest plugin and the site: `[tool.runbookdocs]`.

It is read from `pyproject.toml` (or `runbookdocs.toml`, top level) in the current directory or
the nearest parent, validated up front, and every problem is reported together with its key.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from runbookdocs.block import suggest
from runbookdocs.errors import ConfigError

TARGET_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "image": "image name (pulled, or built when dockerfile is given)",
        "dockerfile": "Dockerfile path, relative to the project root",
        "context": "build context directory (default: the Dockerfile's directory)",
        "base": "built-in target whose image is the Dockerfile's base (BASE_IMAGE build arg)",
        "command": "the container's main command",
        "ready": "shell command run in the container until it exits 0",
        "ready_timeout": "seconds to wait for readiness",
        "sql": "client command for SQL blocks (reads SQL on stdin)",
        "env": "environment variables of the container",
        "user": "default user of shell sessions",
        "workdir": "starting directory of shell sessions",
        "memory": "memory limit, for example '1g'",
        "pids": "maximum number of processes",
        "network": "true (default) to reach other targets of the runbook and the package mirror",
    }
)


DIALECTS: tuple[str, ...] = ("mkdocs", "commonmark", "github", "hugo")
"""How pages are rendered, which decides how fences, links and anchors are read:
`mkdocs` (Python-Markdown with pymdownx.superfences), `commonmark`/`github` (CommonMark, GitHub
Flavored Markdown), `hugo` (Goldmark, `{{< ref >}}` shortcodes, pretty URLs)."""


class Key(NamedTuple):
    """One key of `[tool.runbookdocs]`: what it means and its default."""

    help: str
    default: Any = None


KEYS: Mapping[str, Key] = MappingProxyType(
    {
        "docs_dir": Key("directory of the runbooks", "docs"),
        "snippets_dir": Key("directory of reusable files included with --8<--", "snippets"),
        "schemas_dir": Key("directory of JSON Schemas (NAME.json or NAME.schema.json)", "schemas"),
        "cache_dir": Key("where results are cached", ".runbookdocs-cache"),
        "report": Key("default path of the run report read by the site", "runbookdocs-report.json"),
        "history": Key(
            "file keeping the last runs for the site's per-page history (appended by run "
            "--report and report merge -o; empty: no history)",
            "runbookdocs-history.json",
        ),
        "history_size": Key("how many runs the history keeps", 10),
        "timeout": Key("default block timeout in seconds", 60.0),
        "review_interval_days": Key("days after which a page's review is stale", 180),
        "images": Key("how images are obtained: auto, official or local", "auto"),
        "exclude": Key("glob patterns of docs files that are not runbooks", ()),
        "variables": Key("project-wide variable values", MappingProxyType({})),
        "targets": Key("custom targets: name -> settings", MappingProxyType({})),
        "max_file_mb": Key("pages larger than this are refused", 16.0),
        "shellcheck": Key(
            "lint shell blocks with shellcheck where it is installed (default true)", True
        ),
        "trusted_dirs": Key(
            "directories outside the project that --8<-- includes and target build contexts "
            "may read (a shared snippets checkout); everything else must stay inside the project",
            (),
        ),
        "build_timeout": Key("seconds an image build may take before it is stopped", 1800.0),
        "select": Key(
            "finding codes reported (ids, names, prefixes, shellcheck codes; default: every "
            "runbookdocs code and the shellcheck codes that find real bugs)",
            (),
        ),
        "ignore": Key("finding codes never reported (ids, names, prefixes, SC codes)", ()),
        "dialect": Key(
            "how pages are rendered: mkdocs, commonmark, github or hugo (default: detected from "
            "mkdocs.yml or a Hugo configuration, else mkdocs)",
            "",
        ),
        "dialects": Key(
            "per-directory dialect: directory (relative to the project root) -> dialect",
            MappingProxyType({}),
        ),
        "anchors": Key(
            "glob patterns of anchors pages have on the site that the check cannot see "
            "(made by hooks or plugins)",
            (),
        ),
        "language": Key(
            "language of what readers and learners see: en or fr (default: the theme.language "
            "of mkdocs.yml, else en)",
            "",
        ),
    }
)
"""Every key of `[tool.runbookdocs]`, its meaning and its default: the one place defaults live."""


def _default(key: str) -> Any:
    return KEYS[key].default


def _field(key: str) -> Any:
    """A dataclass field whose default is the key's (a factory for unhashable values)."""
    default = _default(key)
    if getattr(type(default), "__hash__", None) is None:
        return field(default_factory=lambda: default)
    return field(default=default)


class TargetConfig(NamedTuple):
    """A target as configured by the project (see `runbookdocs.run.targets`)."""

    name: str
    image: str | None = None
    dockerfile: str | None = None
    context: str | None = None
    base: str | None = None
    command: str | None = None
    ready: str | None = None
    ready_timeout: float = 60.0
    sql: str | None = None
    env: Mapping[str, str] = MappingProxyType({})
    user: str | None = None
    workdir: str | None = None
    memory: str = "1g"
    pids: int = 1024
    network: bool = True


@dataclass(frozen=True)
class Config:
    """The validated configuration; paths are absolute."""

    root: Path
    docs_dir: Path
    snippets_dir: Path
    schemas_dir: Path
    cache_dir: Path
    report: Path
    source: Path | None = None
    timeout: float = _field("timeout")
    review_interval_days: int = _field("review_interval_days")
    images: str = _field("images")
    exclude: tuple[str, ...] = _field("exclude")
    variables: Mapping[str, str] = _field("variables")
    targets: Mapping[str, TargetConfig] = _field("targets")
    max_file_mb: float = _field("max_file_mb")
    shellcheck: bool = _field("shellcheck")
    language: str = _field("language")
    trusted_dirs: tuple[Path, ...] = _field("trusted_dirs")
    build_timeout: float = _field("build_timeout")
    history: Path | None = None
    """The history file (absolute), None when the configuration turns it off."""
    history_size: int = _field("history_size")

    def allows(self, path: Path) -> bool:
        """True when `path`, symlinks followed, is inside the project or a trusted directory:
        what includes and build contexts may read (never `/etc`, `~` or `/proc`)."""
        return _within(path, (self.root, *self.trusted_dirs))

    anchors: tuple[str, ...] = _field("anchors")
    select: tuple[str, ...] = _field("select")
    ignore: tuple[str, ...] = _field("ignore")
    dialect: str = _field("dialect")
    """The dialect the project names ("" when it names none: detected per directory)."""
    dialects: Mapping[str, str] = _field("dialects")
    """Directory (relative to the root, `/`-separated) -> dialect."""

    @classmethod
    def defaults(cls, root: Path) -> Config:
        """The configuration of a project without any `[tool.runbookdocs]` table."""
        return _validate({}, root.resolve(), None)

    @property
    def snippet_base_paths(self) -> tuple[Path, ...]:
        """Where `--8<--` names are looked up: the project root, then the snippets directory."""
        return (self.root, self.snippets_dir)

    def display(self, path: Path) -> str:
        """`path` as shown to users: relative to the working directory when inside it."""
        # abspath, not resolve(): symlinks are shown as the user named them, and a symlink
        # loop (which resolve() raises on) is reported by the reader, not here.
        # Plain string operations: this runs once per page and per include.
        absolute, cwd = os.path.abspath(path), os.getcwd()
        if absolute == cwd:
            return "."
        prefix = cwd if cwd.endswith(os.sep) else cwd + os.sep
        return absolute[len(prefix) :] if absolute.startswith(prefix) else str(path)


def within(path: Path, folders: tuple[Path, ...]) -> bool:
    """True when `path`, symlinks followed, is inside one of `folders`."""
    return _within(path, folders)


def _within(path: Path, folders: tuple[Path, ...]) -> bool:
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return False
    return any(real.is_relative_to(_resolved(f)) for f in folders)


@functools.lru_cache(maxsize=256)
def _resolved(folder: Path) -> Path:
    """`folder` with its symlinks followed. The project root and trusted directories are asked
    about for every include of every page; the path asked about is still resolved each time."""
    return folder.resolve()


def find_config_file(start: Path) -> Path | None:
    """The nearest `runbookdocs.toml`, or `pyproject.toml` with a `[tool.runbookdocs]` table."""
    for folder in (start.resolve(), *start.resolve().parents):
        found = config_file_in(folder)
        if found is not None:
            return found
    return None


def config_file_in(folder: Path) -> Path | None:
    """The runbookdocs configuration of `folder` itself (`find_config_file` looks upwards)."""
    own = folder / "runbookdocs.toml"
    if own.is_file():
        return own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return pyproject  # let load_config report the problem
        if "runbookdocs" in data.get("tool", {}):
            return pyproject
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read and validate the configuration.

    Args:
        path: an explicit file (`--config`); otherwise the nearest one from `start` (cwd).

    Raises:
        ConfigError: with every problem found, each naming its key.
    """
    source = path or find_config_file(start or Path.cwd())
    raw: dict[str, Any] = {}
    if source is not None:
        if not source.is_file():
            raise ConfigError([f"{source}: no such file"], source=str(source))
        try:
            data = tomllib.loads(source.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError([str(err)], source=str(source)) from err
        raw = (
            data.get("tool", {}).get("runbookdocs", {}) if source.name == "pyproject.toml" else data
        )
        root = source.parent.resolve()
    else:
        root = (start or Path.cwd()).resolve()
    return _validate(raw, root, source)


def _validate(raw: dict[str, Any], root: Path, source: Path | None) -> Config:
    problems: list[str] = []
    prefix = "tool.runbookdocs." if source is not None and source.name == "pyproject.toml" else ""

    def problem(key: str, message: str) -> None:
        problems.append(f"{prefix}{key}: {message}")

    for key in raw:
        if key not in KEYS:
            problem(key, f"unknown key{suggest(key, KEYS)}")

    def text(key: str) -> str:
        default = str(_default(key))
        value = raw.get(key, default)
        if not isinstance(value, str) or not value:
            problem(key, f"must be a non-empty string, not {value!r}")
            return default
        return value

    def number(key: str, *, integer: bool = False) -> Any:
        default = _default(key)
        value = raw.get(key, default)
        ok = isinstance(value, int if integer else (int, float)) and not isinstance(value, bool)
        if not ok or value <= 0:
            problem(key, f"must be a positive {'integer' if integer else 'number'}, not {value!r}")
            return default
        return value

    docs = root / text("docs_dir")
    snippets = root / text("snippets_dir")
    schemas = root / text("schemas_dir")
    cache = root / text("cache_dir")
    report = root / text("report")
    history_name = raw.get("history", _default("history"))
    if not isinstance(history_name, str):
        problem("history", f"must be a string (empty: no history), not {history_name!r}")
        history_name = _default("history")
    history = root / history_name if history_name else None
    history_size = int(number("history_size", integer=True))
    timeout = float(number("timeout"))
    review = int(number("review_interval_days", integer=True))
    max_mb = float(number("max_file_mb"))
    build_timeout = float(number("build_timeout"))
    images = text("images")
    if images not in ("auto", "official", "local"):
        problem("images", f"must be 'auto', 'official' or 'local', not {images!r}")
    anchors = raw.get("anchors", [])
    if not isinstance(anchors, list) or not all(isinstance(x, str) for x in anchors):
        problem("anchors", "must be a list of glob patterns")
        anchors = []
    exclude = raw.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
        problem("exclude", "must be a list of glob patterns")
        exclude = []
    variables = raw.get("variables", {})
    if not isinstance(variables, dict) or not all(
        isinstance(v, (str, int, float)) for v in variables.values()
    ):
        problem("variables", "must be a table of name = value")
        variables = {}
    shellcheck = raw.get("shellcheck", _default("shellcheck"))
    if not isinstance(shellcheck, bool):
        problem("shellcheck", f"must be true or false, not {shellcheck!r}")
        shellcheck = _default("shellcheck")
    trusted_raw = raw.get("trusted_dirs", [])
    trusted: list[Path] = []
    if not isinstance(trusted_raw, list) or not all(isinstance(x, str) for x in trusted_raw):
        problem("trusted_dirs", "must be a list of directories")
    else:
        for entry in trusted_raw:
            folder = (root / entry).resolve()
            if not folder.is_dir():
                problem("trusted_dirs", f"{entry!r} is not a directory")
            trusted.append(folder)
    lang = raw.get("language", _default("language"))
    if lang not in ("", "en", "fr"):
        problem("language", f"must be 'en' or 'fr', not {lang!r}")
        lang = _default("language")
    from runbookdocs.selection import problems as selector_problems

    rules: dict[str, tuple[str, ...]] = {}
    for key in ("select", "ignore"):
        value = raw.get(key, [])
        found = selector_problems(value, key)
        for p in found:
            problem(key, p.split(": ", 1)[1])
        rules[key] = tuple(value) if not found else ()
    dialect = raw.get("dialect", _default("dialect"))
    if dialect not in ("", *DIALECTS):
        problem("dialect", f"must be one of {', '.join(DIALECTS)}, not {dialect!r}")
        dialect = _default("dialect")
    dialects = raw.get("dialects", {})
    if not isinstance(dialects, dict):
        problem("dialects", "must be a table of directory = dialect")
        dialects = {}
    for folder, value in list(dialects.items()):
        if value not in DIALECTS:
            problem(f"dialects.{folder}", f"must be one of {', '.join(DIALECTS)}, not {value!r}")
            del dialects[folder]
    targets: dict[str, TargetConfig] = {}
    raw_targets = raw.get("targets", {})
    if not isinstance(raw_targets, dict):
        problem("targets", "must be a table of target tables")
        raw_targets = {}
    for name, spec in raw_targets.items():
        target = _target(
            name,
            spec,
            root,
            lambda k, m, n=name: problem(f"targets.{n}.{k}", m),
            (root, *trusted),
        )
        if target is not None:
            targets[name] = target
    if problems:
        raise ConfigError(problems, source=str(source) if source else "configuration")
    return Config(
        root=root,
        docs_dir=docs,
        snippets_dir=snippets,
        schemas_dir=schemas,
        cache_dir=cache,
        report=report,
        source=source,
        timeout=timeout,
        review_interval_days=review,
        images=images,
        exclude=tuple(exclude),
        variables=MappingProxyType({k: str(v) for k, v in variables.items()}),
        targets=MappingProxyType(targets),
        max_file_mb=max_mb,
        shellcheck=shellcheck,
        language=lang,
        trusted_dirs=tuple(trusted),
        build_timeout=build_timeout,
        history=history,
        history_size=history_size,
        anchors=tuple(anchors),
        select=rules["select"],
        ignore=rules["ignore"],
        dialect=dialect,
        dialects=MappingProxyType({str(k).strip("/"): v for k, v in dialects.items()}),
    )


def _target(
    name: str, spec: Any, root: Path, problem: Any, allowed: tuple[Path, ...]
) -> TargetConfig | None:
    if not isinstance(spec, dict):
        problem("", "must be a table")
        return None
    ok = True
    for key in spec:
        if key not in TARGET_KEYS:
            problem(key, f"unknown key{suggest(key, TARGET_KEYS)}")
            ok = False
    if "image" not in spec and "dockerfile" not in spec:
        problem("image", "a target needs an image or a dockerfile")
        ok = False
    values: dict[str, Any] = {}
    for key in (
        "image",
        "dockerfile",
        "context",
        "base",
        "command",
        "ready",
        "sql",
        "user",
        "workdir",
        "memory",
    ):
        if key in spec:
            if not isinstance(spec[key], str) or not spec[key]:
                problem(key, "must be a non-empty string")
                ok = False
            else:
                values[key] = spec[key]
    if "dockerfile" in values and not (root / values["dockerfile"]).is_file():
        problem("dockerfile", f"{values['dockerfile']!r} does not exist")
        ok = False
    for key in ("dockerfile", "context"):
        # Everything under a build context is sent to Docker and can end up in the image:
        # a context outside the project would ship the runner's home or /etc.
        if key in values and not _within((root / values[key]), allowed):
            problem(
                key,
                f"{values[key]!r} is outside the project; add its directory to trusted_dirs "
                "if it really is shared",
            )
            ok = False
    if "base" in values:
        from runbookdocs.run.targets import BUILTIN_TARGETS

        if values["base"] not in BUILTIN_TARGETS:
            names = ", ".join(BUILTIN_TARGETS)
            problem("base", f"must be a built-in target ({names}), not {values['base']!r}")
            ok = False
    for key, kind in (("ready_timeout", float), ("pids", int)):
        if key in spec:
            value = spec[key]
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                problem(key, "must be a positive number")
                ok = False
            else:
                values[key] = kind(value)
    if "network" in spec:
        if not isinstance(spec["network"], bool):
            problem("network", "must be true or false")
            ok = False
        else:
            values["network"] = spec["network"]
    if "env" in spec:
        if not isinstance(spec["env"], dict):
            problem("env", "must be a table of NAME = value")
            ok = False
        else:
            values["env"] = MappingProxyType({k: str(v) for k, v in spec["env"].items()})
    return TargetConfig(name=name, **values) if ok else None
