"""`runbookdocs new`: a page with every block kind that passes `runbookdocs check` as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from runbookdocs.cli import main
from runbookdocs.config import load_config
from runbookdocs.document import read_document


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


def test_new_page_has_every_block_kind_and_passes_check(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "docs/ocpizza/sauvegarde-base.md"]) == 0
    assert "created docs/ocpizza/sauvegarde-base.md" in capsys.readouterr().err
    page = project / "docs" / "ocpizza" / "sauvegarde-base.md"
    text = page.read_text(encoding="utf-8")
    assert 'title: "Sauvegarde base"' in text
    assert 'owner: "équipe exploitation"' in text
    blocks = _blocks(page)
    kinds = {b["kind"] for b in blocks}
    assert {"shell", "console", "sql", "json", "yaml", "ini", "decision-tree"} <= kinds
    assert any(b["hidden"] for b in blocks)
    assert any(b["skip"] for b in blocks)
    assert {b["file"] for b in blocks if b["kind"] in ("json", "yaml", "ini")} == {
        "/srv/exemple/service.json",
        "/srv/exemple/service.yaml",
        "/srv/exemple/service.ini",
    }
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
