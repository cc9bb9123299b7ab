"""The runner itself, through the CLI against real containers: its protocol cannot be shadowed,
echoed or traced by what pages do; secrets stay masked in every derived form; every wait is
bounded (patterns from pages, image builds, a fork bomb); floods of output are read in linear
time; what a block writes is bounded; a runner killed by SIGKILL leaves no network.

The rules themselves are proved without Docker in tests/test_run_protocol.py,
tests/test_run_limits.py and tests/test_run_redaction.py: here the real path must match.
"""

from __future__ import annotations

import json
import signal
import subprocess
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import cli, make_project
from tests.reliability.figures import (
    assert_no_leftovers,
    assert_no_secret,
    fault,
    owner_selector,
)
from tests.reliability.test_faults import container_of, start

pytestmark = pytest.mark.docker

SECRET = "Pa ss'w0rd$!é-Kz9"

SABOTAGE = """
# Sabotage

```bash {#shadow timeout=10}
base64() { :; }; printf() { :; }; eval() { :; }; source() { :; }; .() { :; }
stty() { :; }; command() { :; }; builtin() { :; }; return() { :; }; mkdir() { :; }
alias base64=: printf=: eval=: source=: stty=: builtin=: command=: if=: then=: '{'=:
```

```bash {#strict timeout=10}
set -euxo pipefail
trap 'echo DEBUG "$BASH_COMMAND"' DEBUG
PROMPT_COMMAND='echo PROMPT'
echo "strict" | tr a-z A-Z
```

```bash {#echo-on timeout=10}
stty echo
```

```bash {#faux timeout=10}
echo "{{ PASSWORD }}" > /dev/null
false
```

```bash {#milieu timeout=10}
true
ls /n-existe-pas
true
```

```bash {#sortie timeout=10}
exit 42
```

```bash {#apres timeout=10}
echo "a new shell"
```

```bash {#nettoie timeout=10}
rm -rf /dev/shm/.runbookdocs.* /tmp/.runbookdocs.*
```

```bash {#refait timeout=10}
echo "the runner made its directory again"
```

<!-- runbook: answer prompt="(a|aa)+$" value="yes" -->
```bash {#regex timeout=2}
printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?'; read -r answer
```
"""
SABOTAGE_OUTCOMES = {
    "shadow": "passed",
    "strict": "passed",
    "echo-on": "passed",
    "faux": "failed",
    "milieu": "failed",
    "sortie": "failed",
    "apres": "passed",
    "nettoie": "passed",
    "refait": "passed",
    "regex": "failed",
}

FORMS = """
# Formes

```bash {#formes expect=1}
printf 'admin:%s' "$PASSWORD" | base64
printf '%s' "$PASSWORD" | base64 -w 8
printf '%q\\n' "$PASSWORD"
declare -p PASSWORD
( set -x; : "$PASSWORD" ) 2>&1
printf '%s\\n' "$PASSWORD" | tr '[:lower:]' '[:upper:]'
url() { local s=$1 c i; for ((i = 0; i < ${#s}; i++)); do c=${s:i:1}
  case $c in [A-Za-z0-9.~_-]) printf '%s' "$c" ;; *) printf '%%%02X' "'$c" ;; esac; done; }
echo "https://user:$(url "$PASSWORD")@example.org/"
```

```bash {#long expect=1}
head -c 300000 /dev/zero | tr '\\0' a; printf '%s' "$PASSWORD"
yes "$(printf '%099d' 0)" | head -c 3000000
printf '%s' "$PASSWORD"; head -c 2097140 /dev/zero | tr '\\0' b; echo
```

```console {#transcript}
$ printf '%s|%s\\n' "$PASSWORD" "$PASSWORD" | base64
changed
$ stty echo; echo ok
ok
$ echo "$PASSWORD" | wc -c
19
```
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = make_project(
        tmp_path_factory.mktemp("hostile"),
        {
            "docs/sabotage.md": "---\nrunbook:\n  secrets: {PASSWORD: p}\n---\n" + SABOTAGE,
            "docs/formes.md": "---\nrunbook:\n  secrets: {PASSWORD: p}\n---\n" + FORMS,
        },
    )
    for name in ("functions and aliases named like the runner's commands", "set -euxo pipefail",
                 "a DEBUG trap and PROMPT_COMMAND", "the terminal's echo turned on",
                 "the runner's directory removed", "a backtracking answer prompt"):  # fmt: skip
        fault(name)
    t0 = time.monotonic()
    proc = cli(
        "run", "--no-cache", "--keep-going", "--update", "--jobs", "2",
        "--report", "r.json", "--junit", "j.xml",
        cwd=root, env={"PASSWORD": SECRET}, timeout=300,
    )  # fmt: skip
    report = json.loads((root / "r.json").read_text(encoding="utf-8"))
    yield {
        "root": root,
        "proc": proc,
        "seconds": time.monotonic() - t0,
        "by_id": {r["id"]: r for r in report["results"]},
    }


def test_a_runbook_cannot_shadow_trace_or_echo_the_runners_protocol(
    hostile: dict[str, Any],
) -> None:
    by_id = hostile["by_id"]
    got = {k: by_id[k]["outcome"] for k in SABOTAGE_OUTCOMES}
    assert got == SABOTAGE_OUTCOMES, hostile["proc"].stdout
    assert "exited 2 (expected 0)" in by_id["milieu"]["message"]
    page = (hostile["root"] / "docs" / "sabotage.md").read_text(encoding="utf-8")
    line = page.split("\n").index("ls /n-existe-pas") + 1
    assert by_id["milieu"]["findings"][0]["location"] == f"docs/sabotage.md:{line}:1"
    assert "exited 42" in by_id["sortie"]["message"]
    # Every block judged in its own time: no block waited for its timeout (10 s) but the one
    # whose answer pattern was dropped as too slow (2 s, then its recovery: 5.3 s once on a
    # machine loaded 4 times over).
    slow = {k for k, r in by_id.items() if r["duration_s"] > 8}
    assert slow == set(), slow
    codes = [f["code"] for f in by_id["regex"]["findings"]]
    assert codes == ["RBD703", "RBD713"]
    out = hostile["proc"].stdout
    assert "__rbd" not in out and "\x1e" not in out


def test_secrets_never_show_in_any_derived_form_even_after_update(
    hostile: dict[str, Any],
) -> None:
    root: Path = hostile["root"]
    by_id = hostile["by_id"]
    assert by_id["formes"]["outcome"] == "failed"  # expect=1: its output is reported
    assert by_id["long"]["outcome"] == "failed"
    assert "characters not kept" in by_id["long"]["output"]
    assert by_id["transcript"]["updated"] is True, by_id["transcript"]
    places = {
        "stdout": hostile["proc"].stdout,
        "stderr": hostile["proc"].stderr,
        "r.json": (root / "r.json").read_text(encoding="utf-8"),
        "j.xml": (root / "j.xml").read_text(encoding="utf-8"),
        **{str(p): p.read_text(encoding="utf-8") for p in (root / "docs").glob("*.md")},
    }
    for where, text in places.items():
        assert_no_secret(text, SECRET, where)
    page = (root / "docs" / "formes.md").read_text(encoding="utf-8")
    assert "***" in page.split("```console")[1]  # recorded, masked


def test_a_backtracking_regex_never_holds_the_run(hostile: dict[str, Any]) -> None:
    # 13.9 s for a block with timeout=2 before patterns had a time limit (2 s, then the
    # recovery: 5.3 s once on a machine loaded 4 times over).
    assert hostile["by_id"]["regex"]["duration_s"] < 8
    assert hostile["seconds"] < 120


# -- bounded waits ------------------------------------------------------------------------------


def test_an_image_build_stops_at_build_timeout(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "targets/lent/Dockerfile": "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\n"
            f"RUN sleep 300 # {time.time_ns()}\n",
            "docs/a.md": "```bash {target=lent}\ntrue\n```\n",
        },
        config='build_timeout = 3\n\n[tool.runbookdocs.targets.lent]\nbase = "debian"\n'
        'dockerfile = "targets/lent/Dockerfile"\n',
    )
    fault("an image build that never ends (RUN sleep 300, build_timeout = 3)")
    t0 = time.monotonic()
    proc = cli("run", "--no-cache", cwd=root, timeout=120)
    assert time.monotonic() - t0 < 30  # 150 s with every timeout at 5 s before the bound
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "was stopped after 3 s (build_timeout)" in proc.stdout
    # The daemon cancelled the build: its container is gone.
    time.sleep(1)
    left = subprocess.run(
        ["docker", "ps", "-a", "--filter", "status=running", "--format", "{{.Command}}"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    assert "sleep 300 #" not in left


def test_a_file_vanishing_while_the_context_is_packed_does_not_fail_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI lost a target build to coverage data written, then removed, in the project root while
    the SDK packed it (ENOENT): the context is packed again; one that keeps changing is named."""
    import docker.utils.build

    from runbookdocs.errors import EnvironmentProblem
    from runbookdocs.run.images import BUILTIN_IMAGES, build_dockerfile, docker_client

    (tmp_path / "Dockerfile").write_text(
        f"ARG BASE_IMAGE\nFROM ${{BASE_IMAGE}}\nCOPY app.txt /app.txt\n# {time.time_ns()}\n"
    )
    (tmp_path / "app.txt").write_text("app\n")
    listed = docker.utils.build.exclude_paths
    vanishing = {"left": 1}

    def with_a_vanished_file(*args: Any, **kwargs: Any) -> set[str]:
        # What the SDK lists, plus a file removed before it is read: the race, on cue.
        if vanishing["left"] <= 0:
            return listed(*args, **kwargs)
        vanishing["left"] -= 1
        return {*listed(*args, **kwargs), ".coverage.host.pid1.x"}

    monkeypatch.setattr(docker.utils.build, "exclude_paths", with_a_vanished_file)
    client = docker_client()
    lines: list[str] = []
    build = {
        "client": client,
        "dockerfile": tmp_path / "Dockerfile",
        "context": tmp_path,
        "buildargs": {"BASE_IMAGE": BUILTIN_IMAGES["debian"].local},
        "recipe_hash": "test",
        "log": lines.append,
    }
    image = build_dockerfile(tag="runbookdocs/test-vanishing:1", **build)
    try:
        assert image.startswith("sha256:")
        assert any(".coverage.host.pid1.x vanished" in line for line in lines), lines
    finally:
        client.images.remove(image, force=True)

    vanishing["left"] = 99
    with pytest.raises(EnvironmentProblem) as caught:
        build_dockerfile(tag="runbookdocs/test-vanishing:2", **build)
    assert "kept changing while it was packed (3 times)" in str(caught.value)
    assert ".dockerignore" in str(caught.value.hint)


def test_after_a_fork_bomb_later_blocks_keep_their_timeouts(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "docs/bombe.md": """
            ```bash {#bombe timeout=4 target=petit}
            bomb() { bomb | bomb & }; bomb
            sleep 2
            ```

            ```bash {#un timeout=4 target=petit cleanup=true}
            echo "after the bomb"
            ```

            ```bash {#deux timeout=4 target=petit cleanup=true}
            echo "still after the bomb"
            ```
            """,
        },
        config='[tool.runbookdocs.targets.petit]\nimage = "runbookdocs/debian:bookworm"\n'
        "pids = 64\n",
    )
    fault("a fork bomb in a target limited to 64 processes")
    t0 = time.monotonic()
    proc = start(root, "--no-cache", "--report", "r.json")
    _, err = proc.communicate(timeout=300)
    report = json.loads((root / "r.json").read_text(encoding="utf-8"))
    # 42 s and 30 s for later blocks with a timeout of 8 before sessions were bounded.
    durations = [r["duration_s"] for r in report["results"]]
    assert len(durations) == 3 and all(d < 4 + 6 for d in durations), durations
    assert time.monotonic() - t0 < 60
    assert "Traceback" not in err and "internal error" not in err
    assert_no_leftovers(owner_selector(proc.pid))


def test_a_flood_of_output_is_read_in_linear_time(tmp_path: Path) -> None:
    size = 30_000_000
    root = make_project(
        tmp_path,
        {"docs/flot.md": f"```bash\nyes \"$(printf '%099d' 0)\" | head -c {size}\n```\n"},
    )
    proc = cli("run", "--no-cache", "--report", "r.json", cwd=root, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (result,) = json.loads((root / "r.json").read_text(encoding="utf-8"))["results"]
    # 40 MB took 22.6 s when the reader searched its whole buffer on every read.
    assert result["duration_s"] < 8, result["duration_s"]


def test_what_a_block_writes_is_bounded(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "docs/disque.md": """
            ```bash {#tmp}
            dd if=/dev/zero of=/tmp/plein bs=1M count=400
            ```
            """,
        },
    )
    fault("a block writing 400 MB into /tmp")
    proc = cli("run", "--no-cache", "--report", "r.json", cwd=root, timeout=120)
    (result,) = json.loads((root / "r.json").read_text(encoding="utf-8"))["results"]
    # Either the daemon enforces a size limit on the container's layer, or /tmp is a memory
    # file system of a quarter of the target's memory (512m for debian): dd stops there.
    assert result["outcome"] == "failed", proc.stdout
    assert "No space left on device" in result["output"]


def test_a_sigkilled_run_with_two_targets_leaves_no_network(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "docs/deux.md": textwrap.dedent(
                """
                ```bash {#long timeout=60}
                touch /tmp/started
                sleep 30
                ```

                ```bash {target=autre}
                true
                ```
                """
            )
        },
        config='[tool.runbookdocs.targets.autre]\nimage = "runbookdocs/debian:bookworm"\n',
    )
    proc = start(root, "--no-cache")
    container_of(proc, "docs/deux.md")
    owner = owner_selector(proc.pid).removeprefix("org.runbookdocs.owner=")
    networks = _networks(owner)
    assert networks, "a runbook with two targets has its own network"
    fault("SIGKILL to a runner whose runbook has two targets on their own network")
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    deadline = time.monotonic() + 15
    while _networks(owner) and time.monotonic() < deadline:
        time.sleep(0.2)
    # Left until the next run's sweep before the janitor.
    assert _networks(owner) == []
    assert_no_leftovers(owner_selector(proc.pid))


def _networks(owner: str) -> list[str]:
    out = subprocess.run(
        ["docker", "network", "ls", "--filter", "label=runbookdocs",
         "--format", '{{.Name}} {{.Label "org.runbookdocs.owner"}}'],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    return [line.split(" ")[0] for line in out.splitlines() if f" {owner}" in line]
