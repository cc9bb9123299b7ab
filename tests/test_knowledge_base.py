"""The knowledge base (docs/) is valid; every block is tagged and runs or says why not.

The run itself (`runbookdocs run docs/...`) is tested by the `docker` tests at the end; they need
the secrets the pages declare, set here to throwaway values.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SYSTEMS = ("vtom", "publik", "ocpizza", "altazion", "canopsis")
CHECKED_KINDS = {"shell", "console", "sql", "json", "yaml", "ini"}
OWN = ("index.md", "guide", "reference", *SYSTEMS)
"""The parts of docs/ this test is about (other engineers own other pages there)."""


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def blocks() -> list[dict[str, object]]:
    proc = cli("list", "--json", "docs")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def test_check_passes_on_the_whole_knowledge_base() -> None:
    proc = cli("check", "--no-cache", "docs")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("system", SYSTEMS)
def test_each_system_has_its_folder_and_index(system: str) -> None:
    assert (DOCS / system / "index.md").is_file()


def test_home_guide_and_reference_pages_exist() -> None:
    for page in (
        "index.md",
        "guide/ecrire-un-runbook.md",
        "reference/format.md",
        "reference/configuration.md",
        "reference/cli.md",
    ):
        assert (DOCS / page).is_file(), page


def test_every_code_block_is_tagged_and_runs_or_says_why_not() -> None:
    problems = []
    found = 0
    for b in blocks():
        location = str(b["location"])
        if not location.startswith(tuple(f"docs/{p}" for p in OWN)):
            continue
        found += 1
        if b["kind"] == "other" and b["lang"] in ("", None):
            problems.append(f"{location}: untagged block")
        if b["kind"] not in CHECKED_KINDS:
            continue
        if not b["runnable"]:
            reason = str(b["reason"] or "")
            ok = reason.startswith("skipped: ") and len(reason) > len("skipped: ") + 10
            # a configuration block without file= is validated only; allowed for reference
            # pages, which show examples, not for the systems' runbooks
            example = location.startswith(("docs/reference", "docs/guide"))
            if not ok and not example:
                problems.append(f"{location}: neither runnable nor skipped with a reason: {reason}")
    assert found > 50
    assert problems == []


@pytest.mark.parametrize("system", ["vtom", "publik", "ocpizza", "canopsis"])
def test_each_runnable_system_has_verified_blocks(system: str) -> None:
    own = [b for b in blocks() if str(b["location"]).startswith(f"docs/{system}/")]
    runnable = [b for b in own if b["runnable"] and not b["hidden"]]
    assert len(runnable) >= 4, [b["location"] for b in own]


def test_decision_trees_cover_every_troubleshooting_section() -> None:
    for system in ("vtom", "canopsis", "altazion"):
        trees = [
            b
            for b in blocks()
            if str(b["location"]).startswith(f"docs/{system}/") and b["kind"] == "decision-tree"
        ]
        assert trees, system


def test_no_secret_value_is_written_in_the_pages() -> None:
    """Passwords come from runbook.secrets; the manuals' example passwords are gone."""
    for page in DOCS.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "yourdbpassword" not in text, page
        assert not re.search(r"IDENTIFIED BY '(?!\{\{)", text), page


def test_snippets_validate_against_the_schemas() -> None:
    """The Publik snippets, with the page's variable defaults filled in, match their schemas."""
    import configparser

    import jsonschema
    from ruamel.yaml import YAML

    page = (DOCS / "publik" / "index.md").read_text(encoding="utf-8")
    front = YAML(typ="safe").load(page.split("---\n")[1])["runbook"]
    values = {**{k: "s3cret" for k in front["secrets"]}, **front["variables"]}

    def read(name: str) -> str:
        text = (ROOT / "snippets" / "publik" / name).read_text(encoding="utf-8")
        return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: str(values[m[1]]), text)

    def load(name: str) -> dict[str, object]:
        data: dict[str, object] = json.loads(
            (ROOT / "schemas" / f"{name}.json").read_text(encoding="utf-8")
        )
        return data

    jsonschema.validate(json.loads(read("config.json")), load("wcs-config"))
    jsonschema.validate(json.loads(read("recipe-macollectivite-prod.json")), load("hobo-recipe"))
    ini = configparser.ConfigParser(interpolation=None)
    ini.optionxform = str  # type: ignore[assignment,method-assign]
    ini.read_string(read("site-options.cfg"))
    jsonschema.validate({s: dict(ini[s]) for s in ini.sections()}, load("wcs-site-options"))


@pytest.mark.parametrize(
    ("schema", "document", "why"),
    [
        ("hobo-recipe", {"steps": [{"create-combos": {"url": "https://a/"}}]}, "unknown action"),
        (
            "hobo-recipe",
            {"steps": [{"create-hobo": {"url": "https://a/"}, "set-idp": {}}]},
            "two actions in one step",
        ),
        (
            "hobo-recipe",
            {"steps": [{"create-wcs": {"url": "http://a/", "title": "x"}}]},
            "not https",
        ),
        (
            "wcs-config",
            {
                "postgresql": {
                    "createdb-connection-params": {"host": "h"},
                    "database-template-name": "wcs",
                }
            },
            "no %s, no user",
        ),
        ("wcs-config", {"langage": {"language": "fr"}}, "misspelt section"),
        ("wcs-site-options", {"options": {"disable-jsonp-sources": "yes"}}, "not true/false"),
    ],
)
def test_schemas_reject_broken_documents(schema: str, document: object, why: str) -> None:
    import jsonschema

    loaded = json.loads((ROOT / "schemas" / f"{schema}.json").read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, loaded)


SECRETS = {
    "DB_PASSWORD": "kb-Db-pass-1",
    "SECRET_KEY": "kb-secret-key",
    "WCS_DB_PASSWORD": "kb-Pg-pass-1",
    "SUPERUSER_PASSWORD": "kb-Super-1",
}


@pytest.mark.docker
@pytest.mark.slow
@pytest.mark.parametrize("system", ["vtom", "publik", "ocpizza", "canopsis"])
def test_runbooks_run(system: str) -> None:
    proc = cli("run", "--no-cache", f"docs/{system}", env=SECRETS, timeout=1200)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
