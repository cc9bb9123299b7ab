"""Golden tests: every sample page under tests/samples/validate/docs and its expected findings.

Each `docs/NAME.md` is checked alone; `expected/NAME.txt` holds the first line of every finding
(`path:line:col: severity: message`). Regenerate after a deliberate change with
`RUNBOOKDOCS_UPDATE_GOLDEN=1 pytest tests/test_validate_samples.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.validate_helpers import check_project, lines

SAMPLES = Path(__file__).parent / "samples" / "validate"
PAGES = sorted(p.stem for p in (SAMPLES / "docs").glob("*.md"))


def _stable(text: str) -> str:
    # The age of a review date changes every day.
    return re.sub(r"\d+ days ago", "N days ago", text)


@pytest.mark.parametrize("name", PAGES)
def test_sample(name: str) -> None:
    found = [_stable(x) for x in lines(check_project(SAMPLES, f"docs/{name}.md"))]
    golden = SAMPLES / "expected" / f"{name}.txt"
    if os.environ.get("RUNBOOKDOCS_UPDATE_GOLDEN"):
        golden.write_text("".join(x + "\n" for x in found), encoding="utf-8")
    expected = golden.read_text(encoding="utf-8").splitlines() if golden.exists() else []
    if not shutil.which("shellcheck"):
        expected = [x for x in expected if "shellcheck SC" not in x]
    assert found == expected
