"""Shared fixtures. Tests marked `docker` need a Docker engine and the runbookdocs images.

On CI (`CI=true`) a missing Docker is a failure, never a skip: the container tests are the proof
that runbooks really run. Locally they are skipped with the reason and the command to fix it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

_state: dict[str, str | None] = {}


def _docker_problem() -> str | None:
    """Why Docker cannot be used here, or None (checked once per test process)."""
    if "problem" not in _state:
        if shutil.which("docker") is None:
            _state["problem"] = "the docker command is not installed"
        else:
            proc = subprocess.run(
                ["docker", "info", "--format", "{{.ServerVersion}}"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
            _state["problem"] = (
                None
                if proc.returncode == 0
                else ("the Docker daemon does not answer: " + proc.stderr.strip()[:200])
            )
    return _state["problem"]


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip (or, on CI, fail) a `docker` test before any fixture runs: a module-scoped fixture
    that starts containers must not run when Docker is missing."""
    if item.get_closest_marker("docker") is None:
        return
    problem = _docker_problem()
    if problem is None:
        return
    message = f"{problem}; Hint: sudo scripts/ensure-docker.sh && sudo runbookdocs images build"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"CI needs Docker for this test: {message}", pytrace=False)
    pytest.skip(f"needs Docker: {message}")
