"""`runbookdocs new`: a page with every block kind, in English or French (the project's
language, or --lang), that passes `runbookdocs check` as written and runs with
`runbookdocs run --generate-secrets`."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from runbookdocs.cli import main
from runbookdocs.config import load_config
from runbookdocs.document import read_document
from tests.helpers import cli, make_project

FILES = {
    "en": {"/srv/example/service.json", "/srv/example/service.yaml", "/srv/example/service.ini"},
    "fr": {"/srv/exemple/service.json", "/srv/exemple/service.yaml", "/srv/exemple/service.ini"},
}
HEADINGS = {
    "en": ["## Check the system", "## Write the configuration", "## Query the database"],
    "fr": ["## Vérifier l'état du système", "## Écrire la configuration", "## Nettoyer"],
}
FRENCH_LETTERS = re.compile(r"[àâçéèêëîïôûùüÿœæ«»]", re.IGNORECASE)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # console.is_interactive binds sys.stderr at import time; a capsys of an earlier test
    # leaves it closed. Plain output sidesteps that (and is what CI gets anyway).
    monkeypatch.setenv("RUNBOOKDOCS_PLAIN", "1")
    (tmp_path / "runbookdocs.toml").write_text(
        'docs_dir = "docs"\n\n[targets.nginx]\nimage = "nginx:1.27"\n', encoding="utf-8"
    )
    return tmp_path


def _blocks(page: Path) -> list[dict[str, object]]:
    doc = read_document(page, load_config())
    return [
        {
            "kind": b.kind,
            "id": b.id,
            "hidden": b.hidden,
            "skip": b.skip_reason,
            "file": b.attrs.get("file"),
            "target": b.target,
        }
        for b in doc.blocks
    ]


@pytest.mark.parametrize(
    ("lang", "owner"), [("en", "operations team"), ("fr", "équipe exploitation")]
)
def test_new_page_has_every_block_kind_and_passes_check(
    project: Path, capsys: pytest.CaptureFixture[str], lang: str, owner: str
) -> None:
    assert main(["new", "--lang", lang, "docs/ocpizza/sauvegarde-base.md"]) == 0
    assert "created docs/ocpizza/sauvegarde-base.md" in capsys.readouterr().err
    page = project / "docs" / "ocpizza" / "sauvegarde-base.md"
    text = page.read_text(encoding="utf-8")
    assert 'title: "Sauvegarde base"' in text
    assert f'owner: "{owner}"' in text
    assert "API_TOKEN:" in text  # a secret, declared with a description
    blocks = _blocks(page)
    kinds = {b["kind"] for b in blocks}
    assert {"shell", "console", "sql", "json", "yaml", "ini", "decision-tree"} <= kinds
    assert any(b["hidden"] for b in blocks)
    assert any(b["skip"] for b in blocks)
    assert {b["file"] for b in blocks if b["kind"] in ("json", "yaml", "ini")} == FILES[lang]
    assert all(str(b["id"]).isascii() for b in blocks)
    assert main(["check", "--strict", "--no-cache", "--report", "r.json", str(page)]) == 0
    report = json.loads((project / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["failed"] == 0 and report["summary"]["warnings"] == 0
    assert report["summary"]["passed"] == len(blocks)


@pytest.mark.parametrize("target", ["mysql", "postgres", "nginx"])
def test_options_are_written_and_the_page_still_passes(project: Path, target: str) -> None:
    assert (
        main(
            [
                "new",
                "docs/p.md",
                "--title",
                'Relance "urgente" : nginx',
                "--target",
                target,
                "--owner",
                "Équipe réseau",
            ]
        )
        == 0
    )
    page = project / "docs" / "p.md"
    doc = read_document(page, load_config())
    assert doc.front.meta["title"] == 'Relance "urgente" : nginx'
    assert doc.front.target == target and doc.front.owner == "Équipe réseau"
    sql = [b for b in doc.blocks if b.kind == "sql"]
    assert sql[0].target == (target if target in ("mysql", "postgres") else "postgres")
    assert main(["check", "--strict", "--no-cache", str(page)]) == 0


def test_existing_file_is_never_overwritten_without_force(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = project / "docs" / "p.md"
    page.parent.mkdir()
    page.write_text("# mine\n", encoding="utf-8")
    assert main(["new", "docs/p.md"]) == 2
    err = capsys.readouterr().err
    assert "docs/p.md: already exists; not overwritten" in err and "--force" in err
    assert page.read_text(encoding="utf-8") == "# mine\n"
    assert main(["new", "docs/p.md", "--force"]) == 0
    assert "```decision-tree" in page.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new", "docs/p.txt"], "must be a .md file"),
        (
            ["new", "docs/p.md", "--target", "debain"],
            "unknown target 'debain' (did you mean 'debian'?)",
        ),
        (["new", "docs/p.md", "--title", " "], "--title must be a non-empty single line"),
    ],
)
def test_bad_arguments_are_usage_errors(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not (project / "docs").exists()


MKDOCS_FR = "site_name: x\ntheme:\n  name: material\n  language: fr\n"


@pytest.mark.parametrize(
    ("config", "mkdocs", "args", "lang"),
    [
        ("", False, [], "en"),  # English is the fallback
        ('language = "fr"\n', False, [], "fr"),
        ("", True, [], "fr"),  # the site's theme.language
        ('language = "en"\n', True, [], "en"),  # the configuration wins over mkdocs.yml
        ("", True, ["--lang", "en"], "en"),  # --lang wins over both
        ('language = "en"\n', False, ["--lang", "fr"], "fr"),
    ],
)
def test_the_page_is_in_the_projects_language_or_the_one_asked(
    tmp_path: Path, config: str, mkdocs: bool, args: list[str], lang: str
) -> None:
    root = make_project(tmp_path, {}, config)
    if mkdocs:
        (root / "mkdocs.yml").write_text(MKDOCS_FR, encoding="utf-8")
    proc = cli("new", *args, "docs/_.md", cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "created docs/_.md: edit the examples" in proc.stderr  # the command's own: English
    text = (root / "docs" / "_.md").read_text(encoding="utf-8")
    for heading in HEADINGS[lang]:
        assert f"\n{heading}\n" in text, heading
    other = HEADINGS["fr" if lang == "en" else "en"]
    assert not any(heading in text for heading in other)
    # A file name without words gives the title of an untitled page, in the page's language.
    assert ('title: "New procedure"' if lang == "en" else 'title: "Nouvelle procédure"') in text
    if lang == "en":
        # Prose, comments, examples, front matter: nothing French is left in an English page.
        assert FRENCH_LETTERS.search(text) is None, FRENCH_LETTERS.findall(text)


@pytest.mark.docker
@pytest.mark.parametrize(("lang", "name"), [("en", "backup-database"), ("fr", "sauvegarde-base")])
def test_new_then_check_then_run_through_the_cli(tmp_path: Path, lang: str, name: str) -> None:
    """What an author does first: scaffold a page, check it, run it in real containers (its
    secret given a throwaway value); every example passes as written."""
    root = make_project(tmp_path, {}, f'language = "{lang}"\n')
    page = f"docs/{name}.md"
    created = cli("new", page, cwd=root)
    assert created.returncode == 0, created.stderr
    checked = cli("check", "--strict", "--no-cache", page, cwd=root)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 error(s), 0 warning(s)" in checked.stderr + checked.stdout
    ran = cli("run", "--generate-secrets", "--no-cache", "--report", "r.json", page, cwd=root)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    report = json.loads((root / "r.json").read_text(encoding="utf-8"))
    outcomes = {r["id"]: r["outcome"] for r in report["results"] if r["stage"] == "run"}
    skipped = [block for block, outcome in outcomes.items() if outcome == "skipped"]
    assert skipped == ["purge"]  # skip="...": shown to readers, never run
    assert report["summary"] == {
        "passed": len(outcomes) - 1,
        "failed": 0,
        "skipped": 1,
        "errors": 0,
        "warnings": 0,
    }
    kinds = {b.kind for b in read_document(root / page, load_config(start=root)).blocks}
    assert {"shell", "console", "sql", "json", "yaml", "ini"} <= kinds
    assert len(outcomes) == 9  # every executable example ran: none was left out
    # Run without --generate-secrets, the secret is missing: an environment problem (exit 2)
    # at the secret's line, which the page's own note tells the author how to get past.
    bare = cli("run", "--no-cache", page, cwd=root)
    assert bare.returncode == 2, bare.stdout + bare.stderr
    assert f"{page}:12:1: error: secret 'API_TOKEN' is not set" in bare.stdout
    assert "[RBD705]" in bare.stdout
    assert f"`runbookdocs run --generate-secrets {page}`" in (root / page).read_text("utf-8")
