"""Shared helpers for tests: a project on disk, the CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_project(tmp: Path, files: Mapping[str, str | bytes], config: str = "") -> Path:
    """Write a project (pyproject.toml with [tool.runbookdocs] + files) under `tmp`."""
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "pyproject.toml").write_text(
        "[tool.runbookdocs]\n" + textwrap.dedent(config), encoding="utf-8"
    )
    for name, text in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return tmp


def cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `runbookdocs ARGS` in a subprocess, as a user would."""
    full_env = {**os.environ, "RUNBOOKDOCS_PLAIN": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
