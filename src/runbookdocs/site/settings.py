"""The site's settings, read once from the builder's configuration.

Under MkDocs they come from the `runbookdocs` plugin's entry in `mkdocs.yml`; `runbookdocs site
prepare` (needed by Zensical, which runs no MkDocs plugin) reads the same entry from `mkdocs.yml`,
or `[project.plugins.runbookdocs]` from `zensical.toml`, and writes them next to the assets it
prepares, where the Markdown extension finds them.

`mkdocs.yml` is read with PyYAML's safe loader taught to skip MkDocs' own tags (`!ENV`,
`!!python/name:`): runbookdocs only needs plain values from it, and must not import the
functions those tags name.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from runbookdocs.errors import ConfigError
from runbookdocs.i18n import Language, language


class Option(NamedTuple):
    """One setting of the `runbookdocs` plugin."""

    type: type
    default: Any
    help: str


OPTIONS: Mapping[str, Option] = MappingProxyType(
    {
        "report_page": Option(
            str,
            None,
            "where the report page is published; empty: no report page "
            "(default: rapport.md in French, report.md otherwise)",
        ),
        "tags_page": Option(
            str,
            None,
            "where the tags index is published, unless the docs have one; empty: none "
            "(default: etiquettes.md in French, tags.md otherwise; needs the tags plugin)",
        ),
        "tags": Option(bool, True, "add each page's runbook.system and runbook.owner to its tags"),
        "systems": Option(
            dict, {}, "navigation labels of top-level folders, e.g. {ocpizza: OC Pizza}"
        ),
        "mermaid": Option(
            bool,
            True,
            "MkDocs: when the site has a mermaid fence, load the vendored Mermaid on every page "
            "(unless extra_javascript does), so that the theme never fetches it from a CDN",
        ),
        "last_updated": Option(
            bool,
            False,
            "a line at the end of every page: when it last changed (its last commit when "
            "committed and unmodified, else the file's time)",
        ),
        "search_fold": Option(
            bool,
            True,
            "MkDocs: words typed without their accents find the accented words "
            "('deploiement' finds 'déploiement'); Zensical's search does it by itself",
        ),
    }
)
"""Every setting of the `runbookdocs` plugin: the one place their defaults live."""

_DEFAULT_PAGES = {
    "report_page": {"en": "report.md", "fr": "rapport.md"},
    "tags_page": {"en": "tags.md", "fr": "etiquettes.md"},
}

EXTENSION_NAMES = frozenset({"runbookdocs", "runbookdocs.site", "runbookdocs.site.extension"})
"""How `markdown_extensions` may name the runbookdocs extension."""


@dataclass(frozen=True)
class SiteSettings:
    """What the site parts need to know about the site being built."""

    root: Path
    """The directory of the site's configuration file (absolute)."""
    docs_dir: Path
    """Absolute."""
    language: Language
    report_page: str = ""
    """Where the report page is published (docs-relative, `/`); empty: none."""
    tags_page: str = ""
    tags: bool = True
    systems: Mapping[str, str] = field(default_factory=dict)
    mermaid: bool = True
    use_directory_urls: bool = True
    markdown_extensions: tuple[str, ...] = ()
    """Extension names, as configured."""
    mdx_configs: Mapping[str, Any] = field(default_factory=dict)
    """Extension settings, as configured (functions named by their dotted names)."""
    plugins: tuple[str, ...] = ()
    extra_javascript: tuple[str, ...] = ()
    last_updated: bool = False
    source_url: str = ""
    """Where the repository's files are browsed (`https://host/org/repo/blob/main/`), from
    `repo_url` and `edit_uri`; empty when the site names no repository."""

    @property
    def mermaid_fence(self) -> bool:
        """The site renders ```mermaid diagrams of its own (a `mermaid` custom fence)."""
        superfences = self.mdx_configs.get("pymdownx.superfences")
        fences = superfences.get("custom_fences") if isinstance(superfences, Mapping) else None
        return any(
            isinstance(f, Mapping) and f.get("name") == "mermaid"
            for f in (fences if isinstance(fences, list) else [])
        )

    def to_json(self) -> dict[str, Any]:
        """What the prepared site keeps for the Markdown extension."""
        return {
            "language": self.language,
            "report_page": self.report_page,
            "tags_page": self.tags_page,
            "tags": self.tags,
            "systems": dict(self.systems),
            "use_directory_urls": self.use_directory_urls,
            "source_url": self.source_url,
            "last_updated": self.last_updated,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], root: Path, docs_dir: Path) -> SiteSettings:
        """The reverse of `to_json` (values of the wrong type fall back to the defaults)."""
        systems = data.get("systems")
        return cls(
            root=root,
            docs_dir=docs_dir,
            language=language(data.get("language")),
            report_page=str(data.get("report_page") or ""),
            tags_page=str(data.get("tags_page") or ""),
            tags=data.get("tags") is not False,
            systems={str(k): str(v) for k, v in systems.items()}
            if isinstance(systems, dict)
            else {},
            use_directory_urls=data.get("use_directory_urls") is not False,
            source_url=str(data.get("source_url") or ""),
            last_updated=data.get("last_updated") is True,
        )


def options(raw: Any, where: str) -> dict[str, Any]:
    """The plugin's settings from `raw` (its entry in the configuration), defaults filled in.

    Raises:
        ConfigError: an unknown setting or a value of the wrong type (every problem together).
    """
    raw = raw if isinstance(raw, dict) else {}
    problems: list[str] = []
    out: dict[str, Any] = {}
    for key, value in raw.items():
        option = OPTIONS.get(str(key))
        if option is None:
            problems.append(f"{where}: unknown setting {key!r} (known: {', '.join(OPTIONS)})")
        elif value is not None and not isinstance(value, option.type):
            problems.append(f"{where}.{key}: expected {option.type.__name__}, got {value!r}")
        else:
            out[str(key)] = value
    if problems:
        raise ConfigError(problems)
    return {key: out.get(key, option.default) for key, option in OPTIONS.items()}


def page_setting(key: str, value: str | None, lang: str) -> str:
    """`report_page`/`tags_page` with its language's default when not set."""
    if value is None:
        return _DEFAULT_PAGES[key][language(lang)]
    return value.strip().lstrip("/")


_EDIT_URI = r"^/?(?P<pre>(?:-/)?)(?:edit|blob|tree|raw)/(?P<branch>[^/]+)/"


def source_url(repo_url: object, edit_uri: object) -> str:
    """Where the files of the repository are browsed, from the site's `repo_url` and `edit_uri`
    (`edit/main/docs/` -> `REPO/blob/main/`; GitLab's `-/edit/main/docs/` too); "" when they
    do not say (no repository, or an edit URI of another form)."""
    if not isinstance(repo_url, str) or not repo_url.startswith(("https://", "http://")):
        return ""
    m = re.match(_EDIT_URI, edit_uri if isinstance(edit_uri, str) else "")
    if m is None:
        return ""
    return f"{repo_url.rstrip('/')}/{m.group('pre')}blob/{m.group('branch')}/"


def site_language(theme_language: object, project_language: str = "") -> Language:
    """The `language` of `[tool.runbookdocs]` when set, else the theme's (English fallback)."""
    return language(project_language or theme_language)


# --------------------------------------------------------------------------- config files


def read_settings(config_file: Path) -> SiteSettings:
    """The settings of the site configured by `config_file` (`mkdocs.yml` or `zensical.toml`).

    Raises:
        ConfigError: the file cannot be read, or the plugin's settings are wrong.
    """
    config_file = config_file.resolve()
    if config_file.suffix.lower() == ".toml":
        import tomllib

        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
            raise ConfigError([str(err)], source=str(config_file)) from err
        data = data.get("project", data)
    else:
        data = _read_yaml(config_file)
    if not isinstance(data, dict):
        raise ConfigError([f"{config_file}: not a mapping"], source=str(config_file))
    root = config_file.parent
    plugins, plugin_raw = _plugins(data.get("plugins"))
    settings = options(plugin_raw, f"{config_file.name}: plugins.runbookdocs")
    theme = data.get("theme")
    theme = theme if isinstance(theme, dict) else {}
    from runbookdocs.config import load_config

    try:
        project = load_config(start=root).language
    except ConfigError:
        project = ""  # `runbookdocs check` reports a broken configuration
    lang = site_language(theme.get("language"), project)
    extensions, mdx = _extensions(data.get("markdown_extensions"))
    systems = settings["systems"]
    return SiteSettings(
        root=root,
        docs_dir=(root / str(data.get("docs_dir") or "docs")).resolve(),
        language=lang,
        report_page=page_setting("report_page", settings["report_page"], lang),
        tags_page=page_setting("tags_page", settings["tags_page"], lang),
        tags=bool(settings["tags"]),
        systems={str(k): str(v) for k, v in systems.items()},
        mermaid=bool(settings["mermaid"]),
        last_updated=bool(settings["last_updated"]),
        use_directory_urls=data.get("use_directory_urls") is not False,
        markdown_extensions=tuple(extensions),
        mdx_configs=mdx,
        plugins=tuple(plugins),
        extra_javascript=tuple(_script_paths(data.get("extra_javascript"))),
        source_url=source_url(data.get("repo_url"), data.get("edit_uri")),
    )


def _script_paths(value: Any) -> list[str]:
    items = value if isinstance(value, list) else []
    return [str(i.get("path") if isinstance(i, dict) else getattr(i, "path", i)) for i in items]


def _plugins(value: Any) -> tuple[list[str], Any]:
    names: list[str] = []
    ours: Any = None
    items = list(value.items()) if isinstance(value, dict) else []
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                items.append((item, None))
            elif isinstance(item, dict) and len(item) == 1:
                items.extend(item.items())
    for name, data in items:
        names.append(str(name))
        if name == "runbookdocs":
            ours = data
    return names, ours


def _extensions(value: Any) -> tuple[list[str], dict[str, Any]]:
    """Extension names and settings, from MkDocs' list form or Zensical's mapping form."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    if isinstance(value, dict):
        for name, conf in value.items():
            if name == "pymdownx" and isinstance(conf, dict):
                for sub, sub_conf in conf.items():
                    names.append(f"pymdownx.{sub}")
                    configs[f"pymdownx.{sub}"] = sub_conf if isinstance(sub_conf, dict) else {}
            else:
                names.append(str(name))
                configs[str(name)] = conf if isinstance(conf, dict) else {}
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                names.append(item)
            elif isinstance(item, dict) and len(item) == 1:
                name, conf = next(iter(item.items()))
                names.append(str(name))
                configs[str(name)] = conf if isinstance(conf, dict) else {}
    return names, configs


class _Python:
    """A `!!python/...` value of `mkdocs.yml`, kept as the dotted name it refers to."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


def dotted(value: Any) -> str:
    """The dotted name of a function, of a `!!python/name:` value or of a string naming one."""
    if isinstance(value, _Python):
        return value.name
    if isinstance(value, str):
        return value.removeprefix("!!python/name:")
    module = getattr(value, "__module__", None)
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    return f"{module}.{name}" if module and name else repr(value)


def _read_yaml(path: Path, depth: int = 0) -> Any:
    import yaml

    base: Any = yaml.SafeLoader

    class Loader(base):  # type: ignore[misc]
        pass

    def tagged(loader: Loader, suffix: str, node: yaml.Node) -> Any:
        if node.tag == "!ENV":
            names = (
                [str(v) for v in loader.construct_sequence(node)]
                if isinstance(node, yaml.SequenceNode)
                else [str(loader.construct_scalar(node))]
            )
            for name in names[:-1] if len(names) > 1 else names:
                if name in os.environ:
                    return os.environ[name]
            return names[-1] if len(names) > 1 else None
        if node.tag.startswith("tag:yaml.org,2002:python/"):
            return _Python(node.tag.split(":", 3)[-1] if "name:" in node.tag else node.tag)
        return None

    Loader.add_multi_constructor("", tagged)
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise ConfigError([str(err)], source=str(path)) from err
    parent = data.get("INHERIT") if isinstance(data, dict) else None
    if isinstance(parent, str) and depth < 8:
        base = _read_yaml((path.parent / parent).resolve(), depth + 1)
        if isinstance(base, dict):
            data = _merge(base, {k: v for k, v in data.items() if k != "INHERIT"})
    return data


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out
