"""What a runbook prints cannot break a report or a terminal: JUnit stays well-formed XML and
the console gets no escape sequences, whatever bytes a block wrote."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from runbookdocs import codes
from runbookdocs.console import terminal_safe
from runbookdocs.location import Location
from runbookdocs.results import Report, Result, xml_safe
from tests.helpers import cli, make_project

NASTY = "out\x00put \x1bc\x1b[2J\x07 \x1b]0;pwned\x07 \ud800 \x0bend"


def test_junit_is_well_formed_whatever_the_output(tmp_path: Path) -> None:
    finding = codes.EXIT_STATUS.at(Location("docs/a\x01.md", 3), f"exited 1 {NASTY}")
    report = Report(
        [
            Result(
                "docs/a\x01.md",
                3,
                "shell",
                "run",
                "failed",
                severity="error",
                message=NASTY,
                findings=[finding],
                output=NASTY,
            ),
            Result("docs/a\x01.md", 9, "shell", "run", "skipped", message=NASTY),
        ]
    )
    report.write_junit(tmp_path / "j.xml")
    root = ET.parse(tmp_path / "j.xml").getroot()  # raises on invalid XML
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None and "\\x1bc" in (failure.text or "")
    assert "\\x00" in failure.get("message", "") and "\\ud800" in failure.get("message", "")
    assert xml_safe("tab\tnew\nline\r") == "tab\tnew\nline\r"


def test_terminal_safe_strips_sequences_and_shows_controls() -> None:
    shown = terminal_safe(NASTY + "\r\nnext\rover")
    assert "\x1b" not in shown and "\x07" not in shown and "\x00" not in shown
    assert shown.startswith("out\\x00put ") and "pwned" not in shown
    assert "\r\nnext\\x0dover" in shown


@pytest.mark.docker
def test_a_block_printing_control_bytes_leaves_reports_and_console_clean(tmp_path: Path) -> None:
    page = "# A\n\n```bash {#nasty}\nprintf 'a\\033cb\\007\\000c\\033[31mred\\n'\nexit 3\n```\n"
    root = make_project(tmp_path, {"docs/a.md": page})
    proc = cli("run", "--junit", "j.xml", "--report", "r.json", cwd=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr and "\x07" not in proc.stdout + proc.stderr
    assert "exited 3" in proc.stdout
    ET.parse(root / "j.xml")
    Report.read(root / "r.json")  # JSON escapes control characters itself
