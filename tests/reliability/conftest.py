"""Writes `artifacts/guarantees.json`: each reliability test's outcome and the suite's figures.

One file per process: `guarantees.json` for a plain `pytest` run, `guarantees.<worker>.json`
under pytest-xdist (`benchmarks/guarantees.py` runs the suite in one process and reads it).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
import time
from pathlib import Path

import pytest

from tests.reliability.figures import FIGURES

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("RUNBOOKDOCS_ARTIFACTS", ROOT / "artifacts"))
HERE = "tests/reliability/"

_outcomes: dict[str, dict[str, object]] = {}
_t0 = time.monotonic()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not report.nodeid.startswith(HERE):
        return
    entry = _outcomes.setdefault(report.nodeid, {"outcome": "passed", "duration_s": 0.0})
    entry["duration_s"] = round(float(str(entry["duration_s"])) + report.duration, 3)
    if report.when != "call" and report.passed:
        return
    if hasattr(report, "wasxfail"):
        outcome = "xfailed" if report.skipped else "xpassed"
    else:
        outcome = report.outcome
    if entry["outcome"] != "failed":  # a passing teardown does not hide a failure
        entry["outcome"] = outcome


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not _outcomes:
        return
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"guarantees.{worker}.json" if worker else "guarantees.json"
    counts: dict[str, int] = {}
    for entry in _outcomes.values():
        counts[str(entry["outcome"])] = counts.get(str(entry["outcome"]), 0) + 1
    data = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python -m pytest", *sys.argv[1:]]),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU(s), "
        f"Python {platform.python_version()}",
        "duration_s": round(time.monotonic() - _t0, 1),
        "tests": dict(sorted(_outcomes.items())),
        "outcomes": counts,
        **FIGURES.to_json(),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
