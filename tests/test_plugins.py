"""Third-party plugins (entry points `runbookdocs.validators` and `runbookdocs.runners`) that
crash are reported against their package (RBD905) on the block they were handling; the rest of
the check or run goes on, and runbookdocs itself is not blamed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import cli, make_project

VALIDATOR = """
from runbookdocs.validate.registry import block_validator


@block_validator("json")
def explode(block, ctx):
    raise RuntimeError("acme cannot read " + block.kind)
"""

RUNNER = """
from runbookdocs.run.runners import Runner, register_runner


@register_runner("sql")
class Exploding(Runner):
    def run(self, block, box, text):
        raise RuntimeError("acme runner broke")
"""


def install(site: Path, group: str, module: str, code: str) -> dict[str, str]:
    """A distribution `acme-checks` on `site` (a directory put on PYTHONPATH), as pip would
    leave it: the module and a dist-info with its entry point."""
    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(code, encoding="utf-8")
    info = site / "acme_checks-1.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: acme-checks\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[{group}]\nacme = {module}\n", encoding="utf-8")
    (info / "top_level.txt").write_text(module + "\n", encoding="utf-8")
    (info / "RECORD").write_text(f"{module}.py,,\n", encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


def test_a_crashing_third_party_validator_is_its_packages_finding(tmp_path: Path) -> None:
    env = install(tmp_path / "site", "runbookdocs.validators", "acme_checks", VALIDATOR)
    root = make_project(
        tmp_path / "p",
        {
            "docs/a.md": '# A\n\n```json\n{"ok": true}\n```\n\n```yaml\nbad: [\n```\n',
            "docs/b.md": "# B\n\nNothing to check.\n",
        },
    )
    proc = cli("check", "docs", cwd=root, env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Traceback" not in out and "internal error" not in out.lower()
    line = next(x for x in out.splitlines() if "[RBD905]" in x)
    assert line.startswith("docs/a.md:3:1:"), line
    assert "acme-checks" in line and "acme cannot read json" in line
    assert "RBD903" not in out
    # The page's other blocks were still checked.
    assert any(x.startswith("docs/a.md:8:") for x in out.splitlines()), out


@pytest.mark.docker
def test_a_crashing_third_party_runner_is_its_packages_finding(tmp_path: Path) -> None:
    env = install(tmp_path / "site", "runbookdocs.runners", "acme_runner", RUNNER)
    root = make_project(
        tmp_path / "p",
        {"docs/a.md": "# A\n\n```sql {#q target=postgres}\nSELECT 1;\n```\n"},
    )
    proc = cli("run", "docs/a.md", "--no-cache", cwd=root, env=env, timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out  # a tool problem, not a wrong runbook
    assert "Traceback" not in out
    line = next(x for x in out.splitlines() if "[RBD905]" in x)
    assert line.startswith("docs/a.md:3:1:") and "acme-checks" in line, line
    assert "acme runner broke" in line
