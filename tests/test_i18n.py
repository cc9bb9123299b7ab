"""English and French: language selection and the consistency of every catalog."""

from __future__ import annotations

import importlib
import pkgutil
import string
from pathlib import Path

import pytest

import runbookdocs
from runbookdocs import i18n
from runbookdocs.config import load_config
from runbookdocs.errors import ConfigError
from tests.helpers import make_project


@pytest.mark.parametrize(
    ("value", "expected"),
    [("fr", "fr"), ("fr_FR", "fr"), ("FR-ca", "fr"), ("en", "en"), ("de", "en"), (None, "en")],
)
def test_language_names_fall_back_to_english(value: object, expected: str) -> None:
    assert i18n.language(value) == expected


def test_project_language_from_config_then_mkdocs_then_english(tmp_path: Path) -> None:
    make_project(tmp_path, {})
    assert i18n.project_language(load_config(start=tmp_path)) == "en"
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\ntheme:\n  name: material\n  language: fr\nplugins: [search]\n",
        encoding="utf-8",
    )
    assert i18n.project_language(load_config(start=tmp_path)) == "fr"
    make_project(tmp_path, {}, 'language = "en"\n')
    assert i18n.project_language(load_config(start=tmp_path)) == "en"
    make_project(tmp_path, {}, 'language = "de"\n')
    with pytest.raises(ConfigError, match="language: must be 'en' or 'fr'"):
        load_config(start=tmp_path)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_catalog_has_both_languages_with_the_same_fields() -> None:
    for info in pkgutil.walk_packages(runbookdocs.__path__, "runbookdocs."):
        if ".site" in info.name or info.name.endswith(("pytest_plugin", "__main__")):
            continue  # the site needs its extra; checked by the site tests
        importlib.import_module(info.name)
    for catalog in i18n.CATALOGS:
        for key, entry in catalog.messages.items():
            assert set(entry) == set(i18n.LANGUAGES), f"{catalog.name}: {key}"
            assert _fields(entry["en"]) == _fields(entry["fr"]), f"{catalog.name}: {key}"
    catalog = i18n.Catalog("test", {"hello": {"en": "Hello {who}", "fr": "Bonjour {who}"}})
    assert catalog.text("fr_FR", "hello", who="Ana") == "Bonjour Ana"
    assert catalog.for_language("de")("hello", who="Ana") == "Hello Ana"
