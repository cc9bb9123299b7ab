"""The built wheel, installed into a clean virtual environment (no editable install, nothing from
this checkout on the path), does the job: check, run in a container, build a site.

This is what a team gets from `pip install runbookdocs`; a file missing from the package data
(a Dockerfile, a site asset, a schema) fails here and nowhere else.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow

PAGE = """\
---
title: Disk space
runbook:
  target: debian
  owner: ops
  reviewed: 2026-11-30
  variables: {folder: /var/tmp/app}
---
# Disk space

```bash {#prepare}
mkdir -p {{ folder }} && echo data > {{ folder }}/file
```

```console {#usage}
$ du -s {{ folder }} | cut -f2
/var/tmp/app
```
"""


@pytest.fixture(scope="session")
def wheel_env(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with the wheel of this tree installed (with the `site` extra)."""
    work = tmp_path_factory.mktemp("wheel")
    dist = work / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    [wheel] = dist.glob("runbookdocs-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    installed = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{wheel}[site]",
        ],
        capture_output=True,
        text=True,
        check=False,
        env=_clean_env(venv),  # a PYTHONPATH to a checkout would make pip skip the wheel
    )
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    return venv


def _clean_env(venv: Path) -> dict[str, str]:
    """This process's environment without what points at the checkout or the test run."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV")
        and not k.startswith(("PYTEST", "COV_", "COVERAGE"))
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["RUNBOOKDOCS_PLAIN"] = "1"
    return env


def _in(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, env=_clean_env(venv), capture_output=True, text=True, timeout=600
    )


def test_the_wheel_does_not_import_this_checkout(wheel_env: Path, tmp_path: Path) -> None:
    proc = _in(
        wheel_env, "python", "-c", "import runbookdocs; print(runbookdocs.__file__)", cwd=tmp_path
    )
    assert proc.returncode == 0 and str(wheel_env) in proc.stdout, proc.stdout + proc.stderr


@pytest.mark.docker
def test_check_run_and_site_from_the_wheel(wheel_env: Path, tmp_path: Path) -> None:
    project = tmp_path / "team"
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "disk.md").write_text(PAGE, encoding="utf-8")
    (project / "pyproject.toml").write_text('[tool.runbookdocs]\nimages = "local"\n')
    checked = _in(wheel_env, "runbookdocs", "check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = _in(wheel_env, "runbookdocs", "run", "--report", "runbookdocs-report.json", cwd=project)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "1 runbook(s): 2 verified, 0 failed" in ran.stderr
    (project / "mkdocs.yml").write_text(
        textwrap.dedent(
            """\
            site_name: Team runbooks
            theme: {name: material}
            plugins: [search, runbookdocs]
            markdown_extensions:
              - runbookdocs.site.extension
              - attr_list
              - pymdownx.superfences:
                  custom_fences:
                    - name: "*"
                      class: highlight
                      validator: !!python/name:runbookdocs.site.fences.validator
                      format: !!python/name:runbookdocs.site.fences.formatter
            """
        ),
        encoding="utf-8",
    )
    built = _in(wheel_env, "mkdocs", "build", "--strict", cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    html = (project / "site" / "disk" / "index.html").read_text(encoding="utf-8")
    assert 'data-rb-state="verified"' in html
    assert (project / "site" / "assets" / "runbookdocs" / "runbookdocs.js").is_file()
