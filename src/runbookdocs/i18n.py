"""English and French for everything a reader or a learner sees (site, report, `play`, `new`).

CLI messages (errors, findings, progress) stay English. What people read follows the site's
language: `theme.language` of the project's `mkdocs.yml` (read by the site itself, and by `play`
and `new` through `project_language`), overridden by `language` in `[tool.runbookdocs]`.
English is the fallback for any other language.

Each module keeps its own strings next to the code that shows them, as a `Catalog`: one entry
per message, an English and a French text, `str.format` fields for values. A test checks that
every catalog has both languages and the same fields in each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from runbookdocs.config import Config

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")
DEFAULT: Language = "en"

CATALOGS: list[Catalog] = []
"""Every catalog created, for the consistency test."""


def language(value: object) -> Language:
    """`fr`, `fr_FR`, `fr-CA` -> `fr`; anything else (or nothing) -> English."""
    if isinstance(value, str):
        primary = re.split(r"[-_]", value.strip().lower(), maxsplit=1)[0]
        if primary == "fr":
            return "fr"
    return DEFAULT


class Catalog:
    """The strings of one module: `catalog.text(lang, key, **fields)`.

    Args:
        name: where the strings are used (for test messages).
        messages: key -> {"en": text, "fr": text}.
    """

    def __init__(self, name: str, messages: Mapping[str, Mapping[str, str]]) -> None:
        self.name = name
        self.messages = MappingProxyType(
            {k: MappingProxyType(dict(v)) for k, v in messages.items()}
        )
        self._bound: dict[str, Texts] = {}
        CATALOGS.append(self)

    def text(self, lang: str, key: str, **fields: object) -> str:
        """The message `key` in `lang` (English when `lang` is not supported), filled in.

        Raises:
            KeyError: `key` is not in the catalog (a bug: tests catch it).
        """
        entry = self.messages[key]
        template = entry.get(language(lang)) or entry[DEFAULT]
        return template.format(**fields) if fields else template

    def for_language(self, lang: str) -> Texts:
        """A shortcut bound to one language: `t = catalog.for_language("fr"); t("key")`."""
        texts = self._bound.get(lang) if isinstance(lang, str) else None
        if texts is None:
            texts = Texts(self, language(lang))
            if isinstance(lang, str):
                self._bound[lang] = texts  # pages ask for the same language again and again
        return texts


class Texts:
    """A catalog bound to one language."""

    def __init__(self, catalog: Catalog, lang: Language) -> None:
        self.catalog = catalog
        self.lang = lang

    def __call__(self, key: str, **fields: object) -> str:
        # `lang` is already a supported language: no need to work it out on every call.
        entry = self.catalog.messages[key]
        template = entry.get(self.lang) or entry[DEFAULT]
        return template.format(**fields) if fields else template


def mkdocs_language(mkdocs_yml: Path) -> Language | None:
    """`theme.language` of an `mkdocs.yml`, or None when there is none (or it cannot be read).

    Read as text with a small pattern, not a YAML load: `mkdocs.yml` holds `!!python/name:`
    tags that only MkDocs' own loader accepts.
    """
    try:
        text = mkdocs_yml.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    in_theme = False
    for line in text.splitlines():
        if re.match(r"theme\s*:", line):
            in_theme = True
            continue
        if in_theme:
            if line and not line[0].isspace() and not line.lstrip().startswith("#"):
                break
            m = re.match(r"\s+language\s*:\s*['\"]?([A-Za-z_-]+)", line)
            if m:
                return language(m.group(1))
    return None


def project_language(config: Config) -> Language:
    """The language of what people read for this project: `language` in the configuration,
    else the `theme.language` of the `mkdocs.yml` at the project root, else English."""
    if config.language:
        return language(config.language)
    found = mkdocs_language(config.root / "mkdocs.yml")
    return found or DEFAULT


__all__ = [
    "CATALOGS",
    "DEFAULT",
    "LANGUAGES",
    "Catalog",
    "Language",
    "Texts",
    "language",
    "mkdocs_language",
    "project_language",
]
