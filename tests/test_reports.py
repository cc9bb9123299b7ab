"""`runbookdocs report merge`: shards' reports joined into the one the site reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from runbookdocs.cli import main
from runbookdocs.reports import merge_reports
from runbookdocs.results import Report


@pytest.fixture(autouse=True)
def _in_a_project_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`report merge -o` records the merged runs in the history of the project it runs in:
    a folder of the test's own, never the checkout the suite runs from (its history file)."""
    monkeypatch.chdir(tmp_path)


def _result(
    path: str,
    line: int,
    outcome: str = "passed",
    *,
    stage: str = "run",
    severity: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "path": path,
        "line": line,
        "id": None,
        "kind": "shell",
        "target": "debian",
        "stage": stage,
        "outcome": outcome,
        "severity": severity,
        "message": "",
        "duration_s": 0.1,
        **extra,
    }


def _write(tmp_path: Path, name: str, results: list[dict[str, Any]], duration: float = 1.0) -> Path:
    f = tmp_path / name
    f.write_text(
        json.dumps(
            {
                "version": 2,
                "summary": Report.from_json({"version": 2, "results": results}).summary(),
                "duration_s": duration,
                "results": results,
            }
        ),
        encoding="utf-8",
    )
    return f


def test_merge_joins_shards_and_recomputes_the_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _write(
        tmp_path,
        "report-1.json",
        [
            _result("docs/a.md", 3),
            _result("docs/a.md", 9, "failed", severity="error", output="boom"),
        ],
        duration=12.5,
    )
    b = _write(
        tmp_path,
        "report-2.json",
        [
            _result("docs/b.md", 4, "skipped"),
            _result("docs/b.md", 7, started_at="2026-01-01T00:00:00+00:00"),
            _result("docs/b.md", 8, "failed", severity="warning", stage="validate"),
        ],
        duration=30.0,
    )
    out = tmp_path / "site" / "merged.json"
    assert main(["report", "merge", str(a), str(b), "-o", str(out)]) == 0
    merged = json.loads(out.read_text(encoding="utf-8"))
    assert merged["version"] == 2
    assert merged["summary"] == {"passed": 2, "failed": 1, "skipped": 1, "errors": 0, "warnings": 1}
    assert merged["duration_s"] == 30.0  # shards run side by side: the longest one
    assert [(r["path"], r["line"]) for r in merged["results"]] == [
        ("docs/a.md", 3),
        ("docs/a.md", 9),
        ("docs/b.md", 4),
        ("docs/b.md", 7),
        ("docs/b.md", 8),
    ]
    assert merged["results"][1]["output"] == "boom"  # extra fields survive
    assert merged["results"][3]["started_at"].startswith("2026")
    assert "merged 2 report(s), 5 result(s)" in capsys.readouterr().err


def test_merge_exit_status_reflects_the_merged_report(tmp_path: Path) -> None:
    ok = _write(tmp_path, "ok.json", [_result("docs/a.md", 1)])
    bad = _write(tmp_path, "bad.json", [_result("docs/b.md", 1, "failed", severity="error")])
    broken = _write(tmp_path, "broken.json", [_result("docs/c.md", 1, "error")])
    warn = _write(tmp_path, "warn.json", [_result("docs/d.md", 1, "failed", severity="warning")])
    out = str(tmp_path / "m.json")
    assert main(["report", "merge", str(ok), str(bad), "-o", out]) == 0
    assert main(["report", "merge", str(ok), str(bad), "-o", out, "--exit-status"]) == 1
    assert main(["report", "merge", str(bad), str(broken), "-o", out, "--exit-status"]) == 2
    assert main(["report", "merge", str(ok), str(warn), "-o", out, "--exit-status"]) == 0
    assert (
        main(["report", "merge", str(ok), str(warn), "-o", out, "--exit-status", "--strict"]) == 1
    )


def test_overlapping_shards_are_refused_unless_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _write(
        tmp_path,
        "a.json",
        [_result("docs/a.md", 1, "failed", severity="error"), _result("docs/a.md", 5)],
    )
    rerun = _write(tmp_path, "rerun.json", [_result("docs/a.md", 1)])
    out = tmp_path / "m.json"
    assert main(["report", "merge", str(a), str(rerun), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "docs/a.md (run): in" in err and "Hint:" in err and "--replace" in err
    assert not out.exists()
    assert main(["report", "merge", str(a), str(rerun), "-o", str(out), "--replace"]) == 0
    merged = json.loads(out.read_text(encoding="utf-8"))
    # The later report replaces the page as a whole: a re-run of the page is the truth.
    assert [(r["line"], r["outcome"]) for r in merged["results"]] == [(1, "passed")]


def test_validate_and_run_stages_of_one_page_merge(tmp_path: Path) -> None:
    check = _write(tmp_path, "check.json", [_result("docs/a.md", 1, stage="validate")])
    run = _write(tmp_path, "run.json", [_result("docs/a.md", 1)])
    merged = merge_reports(
        [
            ("check", Report.from_json(json.loads(check.read_text()))),
            ("run", Report.from_json(json.loads(run.read_text()))),
        ]
    )
    assert len(merged.results) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a JSON file"),
        ('{"version": 1}', "not a runbookdocs report"),
        ('{"version": 7, "results": []}', "report version 7 is not supported"),
        ('{"version": 2, "results": [{"path": "x.md"}]}', "result #1: a result needs a 'path'"),
    ],
)
def test_bad_inputs_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    f = tmp_path / "r.json"
    f.write_text(content, encoding="utf-8")
    assert main(["report", "merge", str(f), "-o", str(tmp_path / "m.json")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_missing_input_and_missing_action(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "merge", str(tmp_path / "nope.json")]) == 2
    assert "nope.json: no such file" in capsys.readouterr().err
    assert main(["report"]) == 2
    assert "runbookdocs report merge" in capsys.readouterr().err


def test_merge_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = _write(tmp_path, "a.json", [_result("docs/a.md", 1)])
    assert main(["report", "merge", str(a)]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["passed"] == 1


def test_a_check_report_round_trips_through_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RUNBOOKDOCS_PLAIN", "1")  # see tests/test_scaffold.py::project
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n\n```bash\necho a\n```\n", encoding="utf-8")
    (tmp_path / "docs" / "b.md").write_text("# B\n\n```json\n{}\n```\n", encoding="utf-8")
    assert main(["check", "docs/a.md", "--report", "a.json", "--no-cache"]) == 0
    assert main(["check", "docs/b.md", "--report", "b.json", "--no-cache"]) == 0
    assert main(["report", "merge", "a.json", "b.json", "-o", "m.json"]) == 0
    merged = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in merged["results"]} == {"docs/a.md", "docs/b.md"}
    assert merged["summary"]["passed"] == 2


def test_a_version_1_report_is_still_read(tmp_path: Path) -> None:
    old = {
        "version": 1,
        "results": [
            _result(
                "docs/a.md",
                3,
                "failed",
                severity="error",
                findings=[
                    {
                        "location": "docs/a.md:4:1",
                        "message": "shell block exited 1 (expected 0)",
                        "severity": "error",
                        "hint": None,
                        "detail": "",
                        "origin": None,
                    }
                ],
            )
        ],
    }
    f = tmp_path / "old.json"
    f.write_text(json.dumps(old), encoding="utf-8")
    out = tmp_path / "new.json"
    assert main(["report", "merge", str(f), "-o", str(out)]) == 0
    merged = json.loads(out.read_text(encoding="utf-8"))
    assert merged["version"] == 2
    [finding] = merged["results"][0]["findings"]
    assert finding["code"] == "RBD000" and finding["location"] == "docs/a.md:4:1"


def test_report_round_trips_through_the_model() -> None:
    results = [
        _result("docs/a.md:x.md", 3, "failed", severity="error", output="boom", cached=True),
    ]
    data: dict[str, Any] = {"version": 2, "summary": {}, "duration_s": 1.5, "results": results}
    results[0]["findings"] = [
        {
            "location": "docs/a.md:x.md:4:2",
            "message": "m",
            "severity": "warning",
            "hint": "h",
            "detail": "d",
            "origin": "snippets/s.sh:1:1",
            "code": "RBD302",
            "tool_code": "SC2086",
        }
    ]
    report = Report.from_json(data)
    again = report.to_json()
    assert again["results"][0]["findings"] == results[0]["findings"]
    assert Report.from_json(again).to_json() == again
