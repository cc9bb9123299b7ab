"""The CLI as a user runs it: exit codes, output format, reports, list."""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.helpers import cli, make_project

PAGE = """\
---
runbook:
  target: debian
  reviewed: 2026-11-01
---
# Sauvegarde

```bash {#ok}
echo ok
```

```bash {#bad tagret=debian}
echo bad
```
"""


def test_check_exit_codes_and_locations(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": PAGE, "docs/clean.md": "# ok\n"})
    proc = cli("check", "docs/clean.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert "docs/a.md:12:" in proc.stdout
    assert "unknown attribute 'tagret' (did you mean 'target'?)" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_usage_errors_are_exit_2(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": PAGE})
    assert cli("check", "missing.md", cwd=tmp_path).returncode == 2
    assert cli("frobnicate", cwd=tmp_path).returncode == 2
    assert cli("check", "--bogus", cwd=tmp_path).returncode == 2


def test_reports(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": PAGE})
    proc = cli("check", "--report", "out/r.json", "--junit", "out/j.xml", cwd=tmp_path)
    assert proc.returncode == 1
    report = json.loads((tmp_path / "out/r.json").read_text())
    assert report["version"] == 2
    assert set(report["summary"]) >= {"passed", "failed", "skipped", "errors"}
    first = report["results"][0]
    assert set(first) >= {
        "path",
        "line",
        "id",
        "kind",
        "target",
        "stage",
        "outcome",
        "severity",
        "message",
        "duration_s",
    }
    failed = [r for r in report["results"] if r["outcome"] == "failed"]
    assert failed and failed[0]["line"] == 12 and failed[0]["stage"] == "validate"
    suite = ET.parse(tmp_path / "out/j.xml").getroot()
    assert suite.find(".//failure") is not None


def test_list(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": PAGE})
    proc = cli("list", "--json", cwd=tmp_path)
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["location"], r["id"], r["kind"], r["target"]) for r in rows] == [
        ("docs/a.md:8", "ok", "shell", "debian"),
        ("docs/a.md:12", "bad", "shell", "debian"),
    ]


def test_second_check_uses_cache(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": PAGE})
    first = cli("check", "--report", "r1.json", cwd=tmp_path)
    second = cli("check", "--report", "r2.json", cwd=tmp_path)
    assert first.stdout == second.stdout
    r1 = json.loads((tmp_path / "r1.json").read_text())["results"]
    r2 = json.loads((tmp_path / "r2.json").read_text())["results"]
    assert [(r["line"], r["outcome"]) for r in r1] == [(r["line"], r["outcome"]) for r in r2]
    assert (tmp_path / ".runbookdocs-cache" / "cache.sqlite3").exists()


def test_reports_follow_the_umask_and_the_cache_ignores_itself(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": "# A\n\n```bash\necho a\n```\n"})
    proc = subprocess.run(
        [
            "sh",
            "-c",
            f'umask 022 && exec "{sys.executable}" -m runbookdocs.cli check '
            "--report r.json --junit j.xml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for name in ("r.json", "j.xml"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644
    ignore = tmp_path / ".runbookdocs-cache" / ".gitignore"
    assert ignore.read_text(encoding="utf-8").splitlines()[-1] == "*"
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert ".runbookdocs-cache" not in status and "docs/a.md" in status


def test_check_summary_counts_findings_not_blocks(tmp_path: Path) -> None:
    """The summary line counts what was printed: a JSON block with two duplicate keys is two
    errors (it said one: one per block)."""
    make_project(
        tmp_path,
        {
            "docs/a.md": "# A\n\n[x](nope.md)\n\n"
            '```json\n{"a": 1, "a": 2, "b": 1, "b": 2}\n```\n\nTODO\n',
        },
    )
    proc = cli("check", "--no-cache", cwd=tmp_path)
    printed = [ln for ln in proc.stdout.splitlines() if not ln.startswith(" ")]
    errors = sum(": error: " in ln for ln in printed)
    warnings = sum(": warning: " in ln for ln in printed)
    assert (errors, warnings) == (3, 1), proc.stdout
    assert f": {errors} error(s), {warnings} warning(s) in " in proc.stderr


def test_a_project_checked_from_another_folder_is_checked_with_its_own_configuration(
    tmp_path: Path,
) -> None:
    # Typed in one project (`here`), about another: that one's rules, snippets and root hold,
    # not those of the folder the command is typed in.
    make_project(tmp_path / "here", {"docs/x.md": "# X\n"})
    page = '# Page\n\nSee [x](#nowhere).\n\n```bash\n--8<-- "setup.sh"\n```\n'
    there = tmp_path / "there"
    (there / "docs").mkdir(parents=True)
    (there / "snippets").mkdir()
    (there / "runbookdocs.toml").write_text('ignore = ["RBD502"]\n', encoding="utf-8")
    (there / "docs" / "page.md").write_text(page, encoding="utf-8")
    (there / "snippets" / "setup.sh").write_text('echo "unclosed\n', encoding="utf-8")
    proc = cli("check", "../there/docs", "--no-cache", cwd=tmp_path / "here")
    assert proc.returncode == 1, proc.stderr
    # The snippet is found and its real defect reported; the link rule stays ignored.
    assert "page.md:6:1: error: shell syntax error" in proc.stdout
    assert "RBD502" not in proc.stdout and "RBD120" not in proc.stdout
    # A repository without configuration: its own root (the folder holding .git).
    plain = tmp_path / "plain"
    shutil.copytree(there / "docs", plain / "docs")
    shutil.copytree(there / "snippets", plain / "snippets")
    (plain / ".git").mkdir()
    proc = cli("check", str(plain / "docs"), "--no-cache", cwd=tmp_path / "here")
    assert "page.md:6:1: error: shell syntax error" in proc.stdout, proc.stdout
    assert "[RBD502]" in proc.stdout and "RBD120" not in proc.stdout
    # Paths of two projects with different configurations: one run cannot honour both.
    proc = cli("check", "../there/docs", str(plain / "docs"), cwd=tmp_path / "here")
    assert proc.returncode == 2
    assert "different configurations" in proc.stderr and "Traceback" not in proc.stderr
