"""The reference page of finding codes is generated from the table and never drifts, and every
static code's example really produces that code through `runbookdocs check`."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest

from runbookdocs import codes
from tests.helpers import cli
from tests.validate_helpers import check_page

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("codes_doc", ROOT / "scripts" / "codes_doc.py")
assert _spec is not None and _spec.loader is not None
codes_doc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(codes_doc)

# Examples that need more than a page: a tool that is installed, or the whole page's codes.
NEEDS = {"RBD302": "shellcheck"}
# Codes that only documentation outside a runbook project gets (a runbook keeps the error).
OUTSIDE_RUNBOOKS = {"RBD208", "RBD113"}


def test_the_page_is_generated_from_the_table() -> None:
    page = (ROOT / "docs" / "reference" / "codes.md").read_text(encoding="utf-8")
    assert page == codes_doc.render(), "run: python scripts/codes_doc.py"
    for code in codes.all_codes().values():
        assert f"### {code.id}" in page and f"`{code.name}`" in page


STATIC = [c for c in codes.all_codes().values() if c.stage == "check" and c.example]


@pytest.mark.parametrize("code", STATIC, ids=[c.id for c in STATIC])
def test_each_example_produces_its_code(tmp_path: Path, code: codes.Code) -> None:
    tool = NEEDS.get(code.id)
    if tool and not shutil.which(tool):
        pytest.skip(f"needs {tool}")
    if code.id in OUTSIDE_RUNBOOKS:
        (tmp_path / "docs").mkdir()
        (tmp_path / "docs" / "page.md").write_text(code.example + "\n", encoding="utf-8")
        found = cli("check", "docs", "--no-cache", cwd=tmp_path).stdout.splitlines()
    else:
        found = check_page(tmp_path, code.example + "\n")
    assert any(line.endswith(f"[{code.id}]") for line in found), found


def test_every_static_code_of_ours_has_an_example() -> None:
    """Codes without an example need a file, a tool or a target that fails (documented)."""
    without = sorted(
        c.id
        for c in codes.all_codes().values()
        if c.stage == "check" and not c.example and c.id.startswith("RBD")
    )
    assert without == ["RBD000", "RBD001", "RBD002", "RBD121", "RBD206", "RBD303", "RBD402"]
