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
    """A virtual environment with the wheel of this tree installed (`site` and `pytest` extras)."""
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
            f"{wheel}[site,pytest]",
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


NGINX_PAGE = """\
---
title: Web front
runbook:
  target: debian
  owner: web team
  reviewed: 2026-11-30
  variables: {site: shop}
---
# Web front

```text {#site file="/etc/nginx/{{ site }}.conf" check="grep -q listen /etc/nginx/{{ site }}.conf"}
server {
    listen 80;
}
```

## The site does not answer

```decision-tree
title: The site does not answer
start: config
nodes:
  config:
    question: Is the site's configuration there?
    check: "#site"
    answers:
      - label: "Yes"
        next: escalate
      - label: "No"
        next: write
  write:
    solution: Write it again (the first step of this page).
  escalate:
    escalate: Call the web team.
```
"""


@pytest.mark.docker
def test_a_new_team_from_pip_install_to_a_published_site(wheel_env: Path, tmp_path: Path) -> None:
    """What the README's "In your own project" section says, in a repository that is not this
    one: new, check, run, pytest, pre-commit, a minimal mkdocs.yml in English, a site with badges
    and an interactive tree, and no stale banner on a fresh clone."""
    team = tmp_path / "team"
    team.mkdir()

    def sh(*args: str, cwd: Path = team) -> subprocess.CompletedProcess[str]:
        proc = _in(wheel_env, *args, cwd=cwd)
        assert proc.returncode == 0, f"{args}: {proc.stdout}{proc.stderr}"
        return proc

    git = ("git", "-c", "user.name=t", "-c", "user.email=t@example.org")
    sh("git", "init", "-q")
    (team / "pyproject.toml").write_text('[tool.runbookdocs]\nimages = "local"\n')
    sh("runbookdocs", "new", "docs/backup.md")
    (team / "docs" / "web.md").write_text(NGINX_PAGE, encoding="utf-8")
    sh("runbookdocs", "check", "--strict")
    sh(*git, "add", ".")
    sh(*git, "commit", "-q", "-m", "runbooks")
    # What CI does on that commit (the report is a CI artifact, not committed).
    ran = sh("runbookdocs", "run", "--generate-secrets", "--report", "runbookdocs-report.json")
    assert "0 failed, 0 error(s)" in ran.stderr
    # pytest: one item per block, next to the team's own tests.
    tested = _in(
        wheel_env,
        "python",
        "-m",
        "pytest",
        "--runbookdocs",
        "-q",
        "-p",
        "no:cacheprovider",
        cwd=team,
    )
    assert tested.returncode == 0 and " passed" in tested.stdout, tested.stdout + tested.stderr
    # pre-commit with the hook the package provides, run from the team's environment.
    (team / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: runbookdocs-check\n"
        "        name: runbookdocs check\n        entry: runbookdocs check\n"
        "        language: system\n        types: [text]\n"
        "        files: ^(docs|snippets|schemas)/\n",
        encoding="utf-8",
    )
    assert ".runbookdocs-cache" not in sh("git", "status", "--porcelain").stdout
    sh(*git, "add", ".pre-commit-config.yaml")
    sh(*git, "commit", "-q", "-m", "pre-commit")
    precommit = _in(wheel_env, sys.executable, "-m", "pre_commit", "run", "--all-files", cwd=team)
    assert precommit.returncode == 0, precommit.stdout + precommit.stderr
    assert "runbookdocs check" in precommit.stdout
    # The site, from a fresh clone (dates come from git, the report from CI).
    (team / "mkdocs.yml").write_text(
        "site_name: Our runbooks\ntheme:\n  name: material\nplugins:\n  - search\n"
        "  - runbookdocs\n",
        encoding="utf-8",
    )
    sh(*git, "add", "mkdocs.yml")
    sh(*git, "commit", "-q", "-m", "site")
    clone = tmp_path / "clone"
    sh("git", "clone", "-q", str(team), str(clone), cwd=tmp_path)
    (clone / "runbookdocs-report.json").write_bytes((team / "runbookdocs-report.json").read_bytes())
    sh("mkdocs", "build", "--strict", cwd=clone)
    web = (clone / "site" / "web" / "index.html").read_text(encoding="utf-8")
    backup = (clone / "site" / "backup" / "index.html").read_text(encoding="utf-8")
    assert 'data-rb-state="verified"' in web and 'data-rb-state="verified"' in backup
    assert "rb-tree" in web and "runbookdocs.js" in web  # the interactive tree and its script
    assert "Verification out of date" not in web + backup
    assert "vérifié" not in web.lower()  # an English site
    assert (clone / "site" / "report" / "index.html").is_file()
