"""Hostile content: nothing runs on the host, injection is rejected or quoted, containers are
unprivileged, and secrets never leave redacted, whatever a command does with them.
"""

from __future__ import annotations

import ast
import base64
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT, cli, make_project
from tests.reliability.figures import assert_no_leftovers, owner_selector

TOKEN = secrets.token_hex(4)
MARK = f"/tmp/rbd-pwned-{TOKEN}"


SHELLS = (
    "os.system",
    "os.popen",
    "subprocess.getoutput",
    "subprocess.getstatusoutput",
    "pty.spawn",
)


def test_the_runner_never_starts_a_host_shell() -> None:
    """Every host process is started from an argument list: no shell=True, os.system, popen."""
    offences = []
    for path in sorted((ROOT / "src" / "runbookdocs").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = ast.unparse(node.func)
            if name in SHELLS:
                offences.append(f"{path.name}:{node.lineno}: {name}")
            for kw in node.keywords:
                if (
                    name.split(".")[-1] in ("Popen", "run", "call", "check_call", "check_output")
                    and kw.arg == "shell"
                    and not (isinstance(kw.value, ast.Constant) and kw.value.value is False)
                ):
                    offences.append(f"{path.name}:{node.lineno}: {name}(shell=...)")
            if (
                name == "pexpect.spawn"
                and node.args
                and not isinstance(node.args[0], ast.Constant)
                and path.name != "session.py"  # the shell's command comes from its target
            ):
                offences.append(f"{path.name}:{node.lineno}: pexpect.spawn of a computed command")
        # Sessions start what their target's `shell_command` says: the only target in the
        # package is the Docker one (a local shell exists in the tests' fake backend only).
        for cls in ast.walk(tree):
            if not isinstance(cls, ast.ClassDef) or "Protocol" in map(ast.unparse, cls.bases):
                continue
            for node in cls.body:
                if (
                    isinstance(node, ast.FunctionDef)
                    and node.name == "shell_command"
                    and path.name != "targets.py"
                ):
                    offences.append(f"{path.name}:{node.lineno}: a shell_command of its own")
    assert offences == []

    from runbookdocs.run.session import BASH_ARGS, docker_exec_command

    argv = docker_exec_command("c0ffee", user="u", workdir="/w", env={"A": "1"})
    assert argv[:3] == ["docker", "exec", "-it"] and argv[-len(BASH_ARGS) - 1 :] == [
        "c0ffee",
        *BASH_ARGS,
    ]


INJECTION_PAGES = {
    "docs/cible.md": f'```bash {{target="debian; touch {MARK}-target"}}\ntrue\n```\n',
    "docs/utilisateur.md": f'```bash {{user="root; touch {MARK}-user"}}\ntrue\n```\n',
    "docs/mode.md": f'```json {{file=/tmp/f.json mode="0644; touch {MARK}-mode"}}\n{{}}\n```\n',
    "docs/proprietaire.md": f'```json {{file=/tmp/f.json owner="root; touch {MARK}-owner"}}\n'
    "{}\n```\n",
    "docs/fichier.md": f'```json {{#ecrit file="/tmp/x; touch {MARK}-file"}}\n{{"a": 1}}\n```\n\n'
    f"```bash {{#verifie}}\n# the file has that very name; nothing was run\n"
    f"test -f '/tmp/x; touch {MARK}-file' && ! test -e '{MARK}-file'\n```\n",
    "docs/variables.md": "---\nrunbook:\n  variables:\n    x: defaut\n    y: defaut\n"
    "  secrets:\n    JETON: valeur hostile\n---\n# Variables\n\n"
    # A variable is text put into the block, as if the author had typed it: it runs where the
    # block runs, in the container.
    "```bash {#texte}\necho x={{ x }} y={{ y }}\n```\n\n"
    # A secret is exported as a value: its text is never run.
    f'```bash {{#secret}}\necho "$JETON" >/dev/null\n! test -e {MARK}-secret\n```\n\n'
    f"```bash {{#dans-le-conteneur}}\nls {MARK}-var {MARK}-tick {MARK}-env\n```\n",
    "docs/ici.md": f"# Ici\n\n```bash {{#ecrire}}\ntouch {MARK}-here\nhostname\n```\n\n"
    f"```console\n$ test -f {MARK}-here && hostname\ndebian\n```\n",
}


@pytest.fixture(scope="module")
def injection_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = make_project(tmp_path_factory.mktemp("hostile"), INJECTION_PAGES)
    proc = cli(
        "run", "--no-cache", "--keep-going", "--report", "r.json",
        "--var", f"x=$(touch {MARK}-var)`touch {MARK}-tick`",
        cwd=root,
        env={"RUNBOOK_VAR_y": f"$(touch {MARK}-env)", "JETON": f"$(touch {MARK}-secret)"},
        timeout=300,
    )  # fmt: skip
    data = json.loads((root / "r.json").read_text(encoding="utf-8"))
    return {"proc": proc, "by": {(r["path"], r["id"] or r["line"]): r for r in data["results"]}}


@pytest.mark.docker
def test_no_marker_appears_on_the_host(injection_run: dict[str, Any]) -> None:
    assert injection_run["proc"].returncode == 1, injection_run["proc"].stdout
    assert sorted(Path("/tmp").glob(f"rbd-pwned-{TOKEN}*")) == []


@pytest.mark.docker
def test_injected_attribute_values_are_rejected_before_anything_runs(
    injection_run: dict[str, Any],
) -> None:
    out, by = injection_run["proc"].stdout, injection_run["by"]
    assert f"docs/cible.md:1:1: error: unknown target 'debian; touch {MARK}-target'" in out
    for page, key in (("utilisateur", "user"), ("mode", "mode"), ("proprietaire", "owner")):
        (result,) = [r for (p, _), r in by.items() if p == f"docs/{page}.md"]
        assert result["outcome"] == "failed" and "not run:" in result["message"], result
        assert f"{key}='" in result["message"]


@pytest.mark.docker
def test_file_paths_are_quoted(injection_run: dict[str, Any]) -> None:
    by = injection_run["by"]
    assert by[("docs/fichier.md", "ecrit")]["outcome"] == "passed"
    assert by[("docs/fichier.md", "verifie")]["outcome"] == "passed"


@pytest.mark.docker
def test_variables_and_secrets_stay_in_the_container(injection_run: dict[str, Any]) -> None:
    by = injection_run["by"]
    # The variables' command substitutions ran where the block ran: in the container.
    assert by[("docs/variables.md", "texte")]["outcome"] == "passed"
    assert by[("docs/variables.md", "dans-le-conteneur")]["outcome"] == "passed"
    # The secret was a value, never code: no marker even in the container.
    assert by[("docs/variables.md", "secret")]["outcome"] == "passed"


@pytest.mark.docker
def test_a_block_runs_in_its_container_never_on_the_host(injection_run: dict[str, Any]) -> None:
    by = injection_run["by"]
    assert by[("docs/ici.md", "ecrire")]["outcome"] == "passed"
    # The marker exists in the container (the transcript found it, hostname 'debian')...
    (console,) = [r for (p, k), r in by.items() if p == "docs/ici.md" and k != "ecrire"]
    assert console["outcome"] == "passed"
    # ...and not on the host.
    assert not Path(f"{MARK}-here").exists()


# -- containers ---------------------------------------------------------------------------------


@pytest.mark.docker
def test_containers_are_unprivileged_limited_and_publish_nothing(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "docs/deux.md": "```bash {target=autre}\ntrue\n```\n\n"
            "```bash {timeout=30}\ntouch /tmp/started\nsleep 20\n```\n"
        },
        config='[tool.runbookdocs.targets.autre]\nimage = "runbookdocs/debian:bookworm"\n',
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "runbookdocs.cli", "run", "--no-cache"],
        cwd=root,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        ids: list[str] = []
        deadline = time.monotonic() + 60
        while len(ids) < 2 and time.monotonic() < deadline:
            out = subprocess.run(
                ["docker", "ps", "-q", "--filter", "label=org.runbookdocs.runbook=docs/deux.md"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            ids = [i for i in out.split() if _owned_by(i, proc.pid)]
            time.sleep(0.1)
        assert len(ids) == 2, "two targets, two containers"
        for cid in ids:
            info = json.loads(
                subprocess.run(["docker", "inspect", cid], capture_output=True, check=True).stdout
            )[0]
            host = info["HostConfig"]
            assert host["Privileged"] is False
            assert not host["CapAdd"]
            assert host["Memory"] > 0 and host["PidsLimit"] and host["PidsLimit"] > 0
            assert host["NetworkMode"] != "host"
            assert host["PidMode"] != "host" and host["IpcMode"] != "host"
            assert host["UsernsMode"] != "host" and host["UTSMode"] != "host"
            assert not host["Devices"] and not host["Binds"] and not info["Mounts"]
            assert not any("unconfined" in opt for opt in host["SecurityOpt"] or [])
            assert not host["PublishAllPorts"]
            for bindings in (host["PortBindings"] or {}).values():
                assert all(b["HostIp"] == "127.0.0.1" for b in bindings or [])
            assert info["Config"]["Labels"]["runbookdocs"] == "1"
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert_no_leftovers(owner_selector(proc.pid))


def _owned_by(cid: str, pid: int) -> bool:
    owner = subprocess.run(
        ["docker", "inspect", "-f", '{{index .Config.Labels "org.runbookdocs.owner"}}', cid],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    return owner.split(":")[1:2] == [str(pid)]


# -- secrets ------------------------------------------------------------------------------------

SECRET = f"s3cr3t-Ü-{TOKEN}-fiabilité"
MULTI = f"-----BEGIN CLE-----\nligne-{TOKEN}-privee\n-----END CLE-----"
SECRET_PAGES = {
    "docs/fuite.md": "---\nrunbook:\n  secrets:\n    JETON: un jeton\n    CLE: une clé\n---\n"
    "# Fuite\n\n"
    "```bash {#echo}\n"
    'echo "jeton: $JETON"\n'
    'echo "dans le fichier : {{ JETON }}" > /root/s.txt && cat /root/s.txt\n'
    'printf %s "$JETON" | base64\n'
    'echo "$JETON" | base64\n'
    'echo "$CLE"\n'
    "false\n```\n\n"
    # A transcript that expects the secret and gets something else: the diff shows both.
    "```console {#diff}\n$ echo autre chose\n{{ JETON }}\n```\n",
    "docs/ok.md": "---\nrunbook:\n  secrets:\n    JETON: un jeton\n---\n# Ok\n\n"
    # Expected output holding a secret is compared redacted on both sides: it matches.
    '```console {#attendu}\n$ echo "$JETON"\n{{ JETON }}\n```\n',
}


def _forms() -> list[str]:
    b64 = base64.b64encode(SECRET.encode()).decode()
    return [SECRET, *MULTI.splitlines(), b64[: len(b64) - len(b64) % 4 - 4]]


@pytest.mark.docker
def test_secrets_never_reach_output_reports_cache_or_site(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    project = tmp_path / "site-project"
    shutil.copytree(ROOT / "tests" / "samples" / "site" / "basic", project)
    for name, text in SECRET_PAGES.items():
        (project / name).write_text(text, encoding="utf-8")
    proc = cli(
        "run", "docs/fuite.md", "docs/ok.md", "--keep-going",
        "--report", "runbookdocs-report.json", "--junit", "j.xml",
        cwd=project, env={"JETON": SECRET, "CLE": MULTI}, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = json.loads((project / "runbookdocs-report.json").read_text(encoding="utf-8"))
    outcomes = {r["id"]: r["outcome"] for r in report["results"]}
    assert outcomes == {"echo": "failed", "diff": "failed", "attendu": "passed"}
    assert "jeton: ***" in proc.stdout and "dans le fichier : ***" in proc.stdout
    site = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "site")],
        cwd=project, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert (project / "site" / "fuite" / "index.html").exists(), site.stderr
    places = {"stdout": proc.stdout, "stderr": proc.stderr, "mkdocs log": site.stdout + site.stderr}
    for path in [
        project / "runbookdocs-report.json",
        project / "j.xml",
        *(project / ".runbookdocs-cache").glob("*"),
        *(p for p in (project / "site").rglob("*") if p.is_file()),
    ]:
        places[str(path.relative_to(project))] = path.read_bytes().decode("utf-8", "replace")
    leaks = [(where, form) for where, text in places.items() for form in _forms() if form in text]
    assert leaks == []
    assert len(places) > 10  # the site was searched, not just the reports
