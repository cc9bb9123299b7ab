"""The pre-commit hook (`.pre-commit-hooks.yaml`): changed Markdown pages are checked."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
GOOD = '# Bon\n\n```json {#conf}\n{"port": 8080}\n```\n'
BAD = '# Mauvais\n\n```json {#conf}\n{"port": 8080,}\n```\n'


def _hook() -> dict[str, Any]:
    hooks = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook: dict[str, Any] = next(h for h in hooks if h["id"] == "runbookdocs-check")
    return hook


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def knowledge_base(tmp_path: Path) -> Path:
    """A repository with a good page, a bad page, and a README outside the docs."""
    kb = tmp_path / "kb"
    (kb / "docs").mkdir(parents=True)
    (kb / "runbookdocs.toml").write_text('docs_dir = "docs"\n', encoding="utf-8")
    (kb / "docs" / "bon.md").write_text(GOOD, encoding="utf-8")
    (kb / "docs" / "mauvais.md").write_text(BAD, encoding="utf-8")
    (kb / "README.md").write_text(BAD, encoding="utf-8")  # not a runbook: files: ^docs/
    _git(kb, "init", "-q")
    _git(kb, "add", ".")
    return kb


def test_hook_definition() -> None:
    hook = _hook()
    assert shlex.split(hook["entry"])[:2] == ["runbookdocs", "check"]
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert hook["types"] == ["text"]
    assert hook["require_serial"] is True


def _selected(hook: dict[str, Any], files: list[str]) -> list[str]:
    """The files pre-commit passes: `files` regex and the text type."""
    return [f for f in files if re.search(hook["files"], f) and not f.endswith(".png")]


def test_entry_with_the_filenames_pre_commit_passes(knowledge_base: Path) -> None:
    hook = _hook()
    entry = shlex.split(hook["entry"])
    exe = shutil.which(entry[0]) or pytest.skip("runbookdocs is not on PATH")
    env = {**os.environ, "RUNBOOKDOCS_PLAIN": "1"}
    files = _selected(hook, ["README.md", "docs/bon.md"])
    assert files == ["docs/bon.md"]
    ok = subprocess.run(
        [exe, *entry[1:], *files], cwd=knowledge_base, env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    files = _selected(hook, ["README.md", "docs/bon.md", "docs/mauvais.md"])
    bad = subprocess.run(
        [exe, *entry[1:], *files], cwd=knowledge_base, env=env, capture_output=True, text=True
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "docs/mauvais.md:4:" in bad.stdout
    assert "bon.md" not in bad.stdout
    assert "checked 2 page(s)" in bad.stderr


def test_a_changed_snippet_or_schema_checks_the_pages_that_use_it(knowledge_base: Path) -> None:
    (knowledge_base / "snippets").mkdir()
    (knowledge_base / "schemas").mkdir()
    (knowledge_base / "snippets" / "conf.json").write_text('{"port": 80}\n', encoding="utf-8")
    (knowledge_base / "schemas" / "app.json").write_text(
        '{"type": "object", "properties": {"port": {"type": "integer"}}}\n', encoding="utf-8"
    )
    (knowledge_base / "docs" / "inclus.md").write_text(
        '# Inclus\n\n```json {#inc}\n--8<-- "snippets/conf.json"\n```\n', encoding="utf-8"
    )
    (knowledge_base / "docs" / "schema.md").write_text(
        '# Schéma\n\n```json {schema=app}\n{"port": 8080}\n```\n', encoding="utf-8"
    )
    exe = shutil.which("runbookdocs") or pytest.skip("runbookdocs is not on PATH")
    env = {**os.environ, "RUNBOOKDOCS_PLAIN": "1"}

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        passed = _selected(_hook(), list(files))
        return subprocess.run(
            [exe, "check", *passed], cwd=knowledge_base, env=env, capture_output=True, text=True
        )

    ok = hook("snippets/conf.json", "schemas/app.json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "snippets/conf.json: used by 1 page(s): docs/inclus.md" in ok.stderr
    assert "checked 2 page(s)" in ok.stderr
    (knowledge_base / "snippets" / "conf.json").write_text('{"port": 80,}\n', encoding="utf-8")
    (knowledge_base / "schemas" / "app.json").write_text(
        '{"type": "object", "properties": {"port": {"type": "string"}}}\n', encoding="utf-8"
    )
    bad = hook("snippets/conf.json", "schemas/app.json")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "docs/inclus.md:4:" in bad.stdout and "(in snippets/conf.json:1)" in bad.stdout
    assert "docs/schema.md:4:" in bad.stdout
    missing = hook("snippets/nobody.sh")
    assert missing.returncode == 2 and "no such file" in missing.stderr
    (knowledge_base / "snippets" / "unused.sh").write_text("echo $((\n", encoding="utf-8")
    unused = hook("snippets/unused.sh")
    assert unused.returncode == 0, unused.stdout + unused.stderr
    assert "snippets/unused.sh: used by 0 page(s)" in unused.stderr


def _source_copy(dest: Path) -> Path:
    """The working tree's package as a one-commit repository (uncommitted edits included)."""
    dest.mkdir()
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(
        ROOT / "src" / "runbookdocs",
        dest / "src" / "runbookdocs",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    _git(dest, "init", "-q")
    _git(dest, "add", ".")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.mark.slow
def test_pre_commit_try_repo(knowledge_base: Path, tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")
    source = _source_copy(tmp_path / "runbookdocs-src")
    env = {
        **os.environ,
        "RUNBOOKDOCS_PLAIN": "1",
        "PRE_COMMIT_HOME": str(tmp_path / "home"),
        "PRE_COMMIT_COLOR": "never",
    }

    def try_repo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "pre_commit",
                "try-repo",
                str(source),
                "runbookdocs-check",
                *args,
            ],
            cwd=knowledge_base,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    ok = try_repo("--files", "docs/bon.md", "README.md")
    if "An unexpected error has occurred" in ok.stdout + ok.stderr:
        pytest.skip("pre-commit could not install the hook's environment:\n" + ok.stdout[-800:])
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert re.search(r"runbookdocs check\.+Passed", ok.stdout), ok.stdout
    bad = try_repo("--all-files")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert re.search(r"runbookdocs check\.+Failed", bad.stdout), bad.stdout
    assert "docs/mauvais.md:4:" in bad.stdout
    assert "README.md" not in bad.stdout.split("runbookdocs check", 2)[-1]
