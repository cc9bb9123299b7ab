"""Configuration: found, validated up front, every problem reported with its key."""

from __future__ import annotations

from pathlib import Path

import pytest

from runbookdocs.config import load_config
from runbookdocs.errors import ConfigError
from tests.helpers import cli, make_project


def test_defaults_without_config(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    assert config.docs_dir == tmp_path / "docs" and config.timeout == 60


def test_every_problem_reported_together(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {},
        """
        docs_dri = "x"
        timeout = -3
        images = "cloud"
        [tool.runbookdocs.targets.app]
        dockerfile = "missing/Dockerfile"
        memroy = "1g"
    """,
    )
    with pytest.raises(ConfigError) as err:
        load_config(start=tmp_path)
    problems = err.value.problems
    assert "tool.runbookdocs.docs_dri: unknown key (did you mean 'docs_dir'?)" in problems
    assert any(p.startswith("tool.runbookdocs.timeout:") for p in problems)
    assert any(p.startswith("tool.runbookdocs.images:") for p in problems)
    assert any(p.startswith("tool.runbookdocs.targets.app.dockerfile:") for p in problems)
    assert any("targets.app.memroy: unknown key (did you mean 'memory'?)" in p for p in problems)
    assert len(problems) == 5


def test_cli_reports_config_errors_with_exit_2(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": "# a\n"}, 'timeout = "soon"\n')
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 2
    assert "tool.runbookdocs.timeout: must be a positive number" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_broken_toml_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "runbookdocs.toml").write_text("docs_dir = [\n")
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_build_contexts_stay_inside_the_project_unless_trusted(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    root = tmp_path / "project"
    (root / "targets").mkdir(parents=True)
    (root / "targets" / "Dockerfile").write_text("FROM scratch\n", encoding="utf-8")
    (root / "targets" / "escape").symlink_to(outside)
    for context in ("../outside", "targets/escape", "/etc"):
        (root / "pyproject.toml").write_text(
            "[tool.runbookdocs.targets.web]\n"
            f'dockerfile = "targets/Dockerfile"\ncontext = "{context}"\n',
            encoding="utf-8",
        )
        with pytest.raises(ConfigError, match=r"targets\.web\.context: .* is outside the project"):
            load_config(start=root)
    (root / "pyproject.toml").write_text(
        '[tool.runbookdocs]\ntrusted_dirs = ["../outside"]\n'
        '[tool.runbookdocs.targets.web]\ndockerfile = "targets/Dockerfile"\n'
        'context = "../outside"\n',
        encoding="utf-8",
    )
    config = load_config(start=root)
    assert config.trusted_dirs == (outside.resolve(),)
    assert config.allows(outside / "x.sh") and config.allows(root / "snippets" / "a.sh")
    assert not config.allows(Path("/proc/self/environ"))
    assert not config.allows(root / "targets" / "escape" / ".." / ".." / "..")


def test_trusted_dirs_must_exist(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.runbookdocs]\ntrusted_dirs = ["nope"]\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="trusted_dirs: 'nope' is not a directory"):
        load_config(start=tmp_path)


def test_exclude_patterns_name_paths_from_the_project_root(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"docs/a.md": "# A\n", "docs/drafts/b.md": "# B\n\n```json\n{,}\n```\n"},
        'exclude = ["docs/drafts/*"]\n',
    )
    for cwd in (tmp_path, tmp_path / "docs", tmp_path / "docs" / "drafts"):
        proc = cli("check", str(tmp_path / "docs"), "--no-cache", cwd=cwd)
        assert proc.returncode == 0, (cwd, proc.stdout + proc.stderr)
        assert "checked 1 page(s)" in proc.stderr
