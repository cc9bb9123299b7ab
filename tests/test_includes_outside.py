"""Includes stay inside the project: `--8<--` of an absolute path, a `../` path, a symlink that
leads out or `/proc/self/environ` is a located finding in `check`, is not included, and the
block is not run by `run` (what the site does not publish never runs); `trusted_dirs` allows a
shared snippets directory outside the project."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import cli, make_project
from tests.test_run_engine import Project, backend, outcomes, project, rendered

__all__ = ["backend", "project"]  # fixtures, imported for pytest

TOKEN = "ci-token-that-must-not-leak-0451"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A project under tmp_path/p, and files outside it."""
    (tmp_path / "dehors.txt").write_text(f"echo {TOKEN}\n", encoding="utf-8")
    shared = tmp_path / "partage"
    shared.mkdir()
    (shared / "commun.sh").write_text("echo commun\n", encoding="utf-8")
    root = make_project(
        tmp_path / "p",
        {
            "docs/inclusions.md": """
            # Inclusions

            ```bash {#absolu}
            --8<-- "/proc/self/environ"
            ```

            ```bash {#parent}
            --8<-- "../dehors.txt"
            ```

            ```bash {#lien}
            --8<-- "lien.txt"
            ```

            ```bash {#etc}
            --8<-- "/etc/hostname"
            ```

            ```bash {#partage}
            --8<-- "../partage/commun.sh"
            ```

            ```bash {#dedans}
            --8<-- "snippets/dedans.sh"
            ```
            """,
            "snippets/dedans.sh": "echo dedans\n",
        },
    )
    (root / "lien.txt").symlink_to(tmp_path / "dehors.txt")
    return root


def test_check_refuses_includes_that_leave_the_project(outside: Path) -> None:
    proc = cli("check", "--report", "r.json", cwd=outside, env={"CI_TOKEN": TOKEN})
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = {
        line.split(": error: ")[0]
        for line in proc.stdout.splitlines()
        if "[RBD123]" in line and ": error: " in line
    }
    page = (outside / "docs" / "inclusions.md").read_text(encoding="utf-8").split("\n")
    lines = [n for n, t in enumerate(page, 1) if t.startswith("--8<--")]
    # Each refused include at its own line; the shared directory is not trusted yet.
    assert found == {f"docs/inclusions.md:{n}:1" for n in lines[:5]}, proc.stdout
    assert "outside the project" in proc.stdout and "trusted_dirs" in proc.stdout
    everything = proc.stdout + proc.stderr + (outside / "r.json").read_text(encoding="utf-8")
    assert TOKEN not in everything and "PATH=" not in everything


def test_trusted_dirs_allow_a_shared_snippets_directory(outside: Path) -> None:
    config = (outside / "pyproject.toml").read_text(encoding="utf-8")
    (outside / "pyproject.toml").write_text(
        config + f'trusted_dirs = ["{outside.parent / "partage"}"]\n', encoding="utf-8"
    )
    proc = cli("check", cwd=outside)
    errors = [ln for ln in proc.stdout.splitlines() if "[RBD123]" in ln]
    page = (outside / "docs" / "inclusions.md").read_text(encoding="utf-8").split("\n")
    shared = page.index('--8<-- "../partage/commun.sh"') + 1
    assert len(errors) == 4, proc.stdout
    assert not any(f"docs/inclusions.md:{shared}:" in ln for ln in errors), proc.stdout


def test_run_does_not_run_a_block_whose_include_leaves_the_project(
    project: Project, tmp_path: Path
) -> None:
    os.environ.setdefault("CI_TOKEN_FOR_TEST", TOKEN)
    project.page(
        "p.md",
        """
        ```bash {#environ}
        --8<-- "/proc/self/environ"
        ```

        ```bash {#ensuite}
        echo "the other blocks run"
        ```
        """,
    )
    report = project.run("p.md", keep_going=True)
    assert outcomes(report) == ["failed", "passed"], rendered(report.results[0])
    (finding,) = report.results[0].findings
    assert finding.code == "RBD123" and finding.message.startswith("not run: ")
    assert str(finding.location) == "docs/p.md:2:1"
    assert TOKEN not in json.dumps([r.to_json() for r in report.results])
