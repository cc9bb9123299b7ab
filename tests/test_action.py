"""The GitHub Action (action.yml), the example workflow and the GitLab template: valid for their
platforms, and their shell steps do what they promise when run as the runner runs them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests.helpers import make_project

ROOT = Path(__file__).resolve().parents[1]
ACTION = ROOT / "action.yml"
EXAMPLE = ROOT / "ci" / "github" / "runbookdocs.yml"
GITLAB = ROOT / "ci" / "gitlab" / "runbookdocs.gitlab-ci.yml"
OK = "# A\n\n```bash {#ok}\necho ok\n```\n"
BAD = '# B\n\n```json\n{"a": 1,}\n```\n'


def _yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("schema", "path"),
    [
        ("vendor.github-actions", ACTION),
        ("vendor.github-workflows", EXAMPLE),
        ("vendor.gitlab-ci", GITLAB),
    ],
    ids=["action", "example-workflow", "gitlab-template"],
)
def test_valid_for_their_platform(schema: str, path: Path) -> None:
    exe = shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema not installed: pip install -e '.[dev]'")
    proc = subprocess.run(
        [exe, "--builtin-schema", schema, str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _action_uses(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
    return [s for s in steps if re.match(r"(ORG/runbookdocs@|\./?$)", s.get("uses", ""))]


@pytest.mark.parametrize(
    "workflow",
    [EXAMPLE, ROOT / ".github" / "workflows" / "knowledge-base.yml"],
    ids=["example", "knowledge-base"],
)
def test_workflows_give_the_action_only_inputs_it_has(workflow: Path) -> None:
    inputs = set(_yaml(ACTION)["inputs"])
    uses = _action_uses(_yaml(workflow))
    assert uses, "the workflow uses the action"
    for step in uses:
        assert set(step.get("with", {})) <= inputs, step
        assert step["with"]["command"] in ("check", "run", "merge")


def test_action_steps_take_inputs_from_the_environment_only() -> None:
    # An input spliced into a script is a shell injection; the action passes them as env.
    for step in _yaml(ACTION)["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step


def test_the_example_is_what_the_guide_shows() -> None:
    guide = (ROOT / "docs" / "guide" / "ci.md").read_text(encoding="utf-8")
    assert '--8<-- "ci/github/runbookdocs.yml"' in guide
    assert '--8<-- "ci/gitlab/runbookdocs.gitlab-ci.yml"' in guide


def _action(project: Path, tmp_path: Path, **inputs: str) -> tuple[int, str, dict[str, str]]:
    """Run the action's command step as the runner does: inputs as RBD_* variables."""
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "GITHUB_OUTPUT": str(output),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **{f"RBD_{k.upper()}": v for k, v in inputs.items()},
    }
    proc = subprocess.run(
        ["bash", str(ROOT / "ci" / "runbookdocs.sh")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    outputs = dict(
        line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if line
    )
    return proc.returncode, proc.stdout + proc.stderr, outputs


def test_action_check_writes_reports_and_its_exit_code(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"docs/a.md": OK, "docs/b.md": BAD})
    status, out, outputs = _action(
        project, tmp_path, command="check", report="build/c.json", junit="build/c.xml"
    )
    assert status == 1 and outputs["exit-code"] == "1", out
    assert "docs/b.md:4:9: error: invalid JSON" in out
    report = json.loads((project / "build" / "c.json").read_text(encoding="utf-8"))
    assert report["summary"]["failed"] == 1
    assert (project / "build" / "c.xml").is_file()
    status, out, outputs = _action(project, tmp_path, command="check", paths="docs/a.md")
    assert status == 0 and outputs["exit-code"] == "0", out


def test_action_merge_needs_reports_and_judges_them(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"docs/a.md": OK, "docs/b.md": BAD})
    status, out, outputs = _action(project, tmp_path, command="merge", reports="none/*.json")
    assert status == 2 and outputs["exit-code"] == "2"
    assert "no report matches 'none/*.json'" in out
    for name in ("a", "b"):
        _action(
            project,
            tmp_path,
            command="check",
            paths=f"docs/{name}.md",
            report=f"build/reports/{name}.json",
            junit="",
        )
    status, out, _ = _action(
        project, tmp_path, command="merge", reports="build/reports/*.json", report="m.json"
    )
    assert status == 1, out  # --exit-status by default: docs/b.md is wrong
    merged = json.loads((project / "m.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in merged["results"]} == {"docs/a.md", "docs/b.md"}
    status, out, _ = _action(
        project,
        tmp_path,
        command="merge",
        reports="build/reports/*.json",
        report="m.json",
        **{"exit_status": "false"},
    )
    assert status == 0, out


def test_action_refuses_an_unknown_command(tmp_path: Path) -> None:
    status, out, outputs = _action(tmp_path, tmp_path, command="deploy")
    assert status == 2 and outputs["exit-code"] == "2" and "use check, run or merge" in out


@pytest.mark.docker
def test_action_runs_a_shard_with_throwaway_secrets(tmp_path: Path) -> None:
    page = (
        "---\nrunbook:\n  secrets: {API_TOKEN: a token}\n---\n"
        '# A\n\n```bash {#token}\ntest -n "$API_TOKEN"\n```\n'
    )
    project = make_project(tmp_path / "p", {"docs/a.md": page, "docs/b.md": OK})
    inputs = {"command": "run", "shard": "1/1", "images": "local", "report": "r.json"}
    status, out, _ = _action(project, tmp_path, **inputs)
    assert status == 2, out  # the secret is not in the environment
    status, out, outputs = _action(project, tmp_path, generate_secrets="true", **inputs)
    assert status == 0 and outputs["exit-code"] == "0", out
    report = json.loads((project / "r.json").read_text(encoding="utf-8"))
    assert report["summary"]["passed"] == 2


def test_gitlab_template_splits_the_run_with_parallel() -> None:
    gitlab = _yaml(GITLAB)
    run = gitlab["runbookdocs-run"]
    assert isinstance(run["parallel"], int) and run["parallel"] > 1
    script = "\n".join(run["script"])
    assert '--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"' in script
    report = "\n".join(gitlab["runbookdocs-report"]["script"])
    assert "report merge build/reports/shard-*.json" in report and "--exit-status" in report


@pytest.mark.docker
def test_gitlab_job_scripts_run_as_the_runner_runs_them(tmp_path: Path) -> None:
    """Each job's script lines, in bash, with GitLab's variables for node 1 of 1."""
    gitlab = _yaml(GITLAB)
    project = make_project(tmp_path / "p", {"docs/a.md": OK})
    env = {
        **os.environ,
        **{k: str(v) for k, v in gitlab["variables"].items()},
        "CI_NODE_INDEX": "1",
        "CI_NODE_TOTAL": "1",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    for job in ("runbookdocs-check", "runbookdocs-run", "runbookdocs-report"):
        script = "\n".join(gitlab[job]["script"])
        if job == "runbookdocs-run":
            script = script.replace("--images official", "--images local")  # no registry here
        proc = subprocess.run(
            ["bash", "-e", "-c", script], cwd=project, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, f"{job}: {proc.stdout}{proc.stderr}"
    merged = json.loads((project / "runbookdocs-report.json").read_text(encoding="utf-8"))
    assert {(r["stage"], r["outcome"]) for r in merged["results"]} >= {("run", "passed")}
