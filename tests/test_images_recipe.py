"""The recipe hash of a project's Dockerfile target: what makes an image be rebuilt."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbookdocs.run.images import dockerfile_recipe


def test_recipe_ignores_what_changes_with_every_run_and_sees_real_changes(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("FROM base\nCOPY app /app\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text("print(1)\n" + "#" * 5000 + "\n")
    (tmp_path / ".dockerignore").write_text("site\nrunbookdocs-report.json\n")
    first = dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base")

    (tmp_path / ".runbookdocs-cache").mkdir()
    (tmp_path / ".runbookdocs-cache" / "cache.sqlite3").write_bytes(b"changes every run")
    (tmp_path / "runbookdocs-report.json").write_text("{}")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("<html>")
    assert dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base") == first

    # A change far into a file (past any prefix) is a change of the image.
    (tmp_path / "app" / "main.py").write_text("print(1)\n" + "#" * 5000 + "\nprint(2)\n")
    assert dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base") != first
    assert dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:other") != first


def test_dockerignore_is_read_the_way_docker_reads_it(tmp_path: Path) -> None:
    """`*.log` excludes a log at the top of the context only (`**/*.log` reaches deeper): a
    hand-written matcher that excluded `a/b/c.log` too reused an image Docker would rebuild."""
    from runbookdocs.run.images import context_files

    (tmp_path / "Dockerfile").write_text("FROM base\nCOPY . /src\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c.log").write_text("deep\n")
    (tmp_path / "top.log").write_text("top\n")
    (tmp_path / ".dockerignore").write_text("# comment\n*.log\n\n")
    assert context_files(tmp_path, tmp_path / "Dockerfile") == [
        ".dockerignore",
        "Dockerfile",
        "a/b/c.log",
    ]
    first = dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base")
    (tmp_path / "top.log").write_text("changed, ignored\n")
    assert dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base") == first
    (tmp_path / "a" / "b" / "c.log").write_text("changed, sent to Docker\n")
    assert dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base") != first
    (tmp_path / ".dockerignore").write_text("**/*.log\n")
    assert "a/b/c.log" not in context_files(tmp_path, tmp_path / "Dockerfile")


def test_a_file_removed_after_the_listing_is_not_part_of_the_recipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runbookdocs.run import images

    (tmp_path / "Dockerfile").write_text("FROM base\nCOPY . /src\n")
    (tmp_path / "app.txt").write_text("app\n")
    first = dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base")
    listed = images.context_files
    monkeypatch.setattr(images, "context_files", lambda *a: [*listed(*a), ".coverage.host.pid1.x"])
    assert dockerfile_recipe(tmp_path / "Dockerfile", tmp_path, "sha256:base") == first
