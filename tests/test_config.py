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
