"""`runbookdocs run` against real containers, driven through the CLI as a user would."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import cli

pytestmark = pytest.mark.docker
SAMPLES = Path(__file__).parent / "samples" / "run"


def project(tmp_path: Path, *samples: str, config: str = "") -> Path:
    """A project whose docs/ holds copies of the sample runbooks."""
    (tmp_path / "pyproject.toml").write_text("[tool.runbookdocs]\n" + config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    for name in samples:
        shutil.copyfile(SAMPLES / name, tmp_path / "docs" / name)
    return tmp_path


def report(path: Path) -> list[dict[str, object]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == 2
    return list(data["results"])


def test_mysql_dump_and_restore_round_trip(tmp_path: Path) -> None:
    root = project(tmp_path, "mysql-dump.md")
    proc = cli("run", "--report", "r.json", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = report(root / "r.json")
    assert [r["outcome"] for r in results] == ["passed"] * 6
    assert all(r["target"] == "mysql" and r["started_at"] for r in results)
    assert "6 verified, 0 failed, 0 error(s), 0 not run" in proc.stderr


def test_postgres_dump_and_restore_round_trip(tmp_path: Path) -> None:
    root = project(tmp_path, "postgres-dump.md")
    proc = cli("run", "--report", "r.json", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [r["outcome"] for r in report(root / "r.json")] == ["passed"] * 5


def test_shell_state_carries_across_blocks_and_the_cache_skips_a_rerun(tmp_path: Path) -> None:
    root = project(tmp_path, "state.md")
    first = cli("run", cwd=root)
    assert first.returncode == 0, first.stdout + first.stderr
    second = cli("run", "--report", "r.json", cwd=root)
    assert second.returncode == 0
    assert all(r["cached"] for r in report(root / "r.json"))
    assert "(cached)" in second.stderr
    # Another value for the variable is another run (and the transcript then fails).
    third = cli("run", "--var", "greeting=salut", cwd=root)
    assert third.returncode == 1
    assert "-bonjour monde" in third.stdout and "+salut monde" in third.stdout


def test_failing_block_is_reported_at_its_line_and_blocks_the_rest(tmp_path: Path) -> None:
    root = project(tmp_path, "failing.md")
    proc = cli("run", "--report", "r.json", "--junit", "j.xml", cwd=root)
    assert proc.returncode == 1
    # Located at the command that failed, with what that command printed (not the output of
    # the commands before it).
    assert (
        "docs/failing.md:14:1: error: shell block #casse: `ls /n-existe-pas` exited 2 "
        "(expected 0) [RBD701]\n    ls: cannot access '/n-existe-pas'" in proc.stdout
    )
    assert "étape 1" not in proc.stdout
    results = {r["id"]: r for r in report(root / "r.json")}
    assert results["ok"]["outcome"] == "passed"
    assert results["casse"]["outcome"] == "failed"
    assert results["jamais"]["outcome"] == "skipped"
    assert results["jamais"]["message"] == "not run: blocked by docs/failing.md:12"
    assert results["nettoyage"]["outcome"] == "passed"  # cleanup=true still runs
    assert "<failure" in (root / "j.xml").read_text(encoding="utf-8")
    keep = cli("run", "--keep-going", "--no-cache", "--report", "k.json", cwd=root)
    assert [r["outcome"] for r in report(root / "k.json")].count("passed") == 3
    assert keep.returncode == 1


def test_hanging_commands_are_interrupted_and_the_run_goes_on(tmp_path: Path) -> None:
    root = project(tmp_path, "hang.md")
    t0 = time.monotonic()
    proc = cli("run", "--keep-going", "--report", "r.json", cwd=root)
    assert time.monotonic() - t0 < 30
    assert proc.returncode == 1
    assert (
        "docs/hang.md:10:1: error: shell block #suivre: `tail -f /dev/null` timed out after 1 s;"
        " interrupted with Ctrl-C [RBD703]" in proc.stdout
    )
    assert "début du journal" in proc.stdout  # its last output
    assert (
        "docs/hang.md:20:1: error: shell block #sourd: `sleep 60` timed out after 1 s; the shell "
        "did not recover after Ctrl-C, Ctrl-D, \\q, quit, q, Escape :q!, Ctrl-C again"
    ) in proc.stdout
    outcomes = {r["id"]: r["outcome"] for r in report(root / "r.json")}
    assert outcomes == {
        "suivre": "failed",
        "lire": "failed",
        "sourd": "failed",
        "ensuite": "passed",  # in the new shell: $AVANT is gone
    }


def test_clients_waiting_for_input_end_at_end_of_input_and_the_session_goes_on(
    tmp_path: Path,
) -> None:
    """A bare `psql` or `mariadb` ignores Ctrl-C at its prompt: the end of input ends it, the
    block fails at that line with that command's output, and the shell keeps its state."""
    root = project(tmp_path)
    (root / "docs" / "clients.md").write_text(
        "# Clients\n\n"
        "```bash {#psql target=postgres timeout=2}\n"
        'export AVANT=oui\necho "avant psql"\npsql\n```\n\n'
        '```bash {target=postgres}\ntest "$AVANT" = oui\n```\n\n'
        "```bash {#mariadb target=mysql timeout=2}\nmariadb\n```\n\n"
        "```bash {target=mysql}\ntrue\n```\n\n"
        "```bash\n$ echo bonjour\n```\n",
        encoding="utf-8",
    )
    t0 = time.monotonic()
    proc = cli("run", "--keep-going", "--report", "r.json", cwd=root)
    assert proc.returncode == 1
    assert [r["outcome"] for r in report(root / "r.json")] == [
        "failed",
        "passed",
        "failed",
        "passed",
        "failed",
    ]
    out = proc.stdout
    assert (
        "docs/clients.md:6:1: error: shell block #psql: `psql` timed out after 2 s; interrupted "
        "with Ctrl-C, Ctrl-D [RBD703]" in out
    )
    assert "avant psql" not in out  # what psql printed, not what came before it
    assert out.count('Type "help" for help.') == 1  # quoted once
    assert (
        "docs/clients.md:14:1: error: shell block #mariadb: `mariadb` timed out after 2 s; "
        "interrupted with Ctrl-C, Ctrl-D [RBD703]" in out
    )
    # A prompt in a shell block is explained as one, never as "$: command not found".
    assert (
        "docs/clients.md:22:1: error: shell block: `$ echo bonjour` starts with a shell prompt "
        "`$ `: bash ran `$` as a command (exit 127) [RBD709]" in out
    )
    assert time.monotonic() - t0 < 40


def test_secret_never_appears_in_output_json_or_junit(tmp_path: Path) -> None:
    secret = "s3cr3t-Ü-42"
    root = project(tmp_path, "secret.md")
    page = root / "docs" / "secret.md"
    # Make the echoing block fail so its output is reported.
    page.write_text(
        page.read_text(encoding="utf-8").replace("expect=1", "expect=0"), encoding="utf-8"
    )
    proc = cli(
        "run", "--report", "r.json", "--junit", "j.xml", cwd=root, env={"DB_PASSWORD": secret}
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    results = {r["id"]: r for r in report(root / "r.json")}
    assert results["saisie"]["outcome"] == "passed"  # typed at the prompt, checked inside
    assert "le secret est ***" in proc.stdout
    assert "dans le fichier : ***" in proc.stdout
    for text in (
        proc.stdout,
        proc.stderr,
        (root / "r.json").read_text(encoding="utf-8"),
        (root / "j.xml").read_text(encoding="utf-8"),
    ):
        assert secret not in text


def test_missing_secret_is_an_environment_error(tmp_path: Path) -> None:
    root = project(tmp_path, "secret.md")
    env = {k: v for k, v in os.environ.items() if k != "DB_PASSWORD"}
    proc = subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", "run"],
        cwd=root,
        env={**env, "RUNBOOKDOCS_PLAIN": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "secret 'DB_PASSWORD' is not set in the environment" in proc.stdout

    # Sandboxes are throwaway: --generate-secrets fills the secret with a random value,
    # redacted like any other, and stable across runs (the second run is cached).
    runs = [
        subprocess.run(
            [
                sys.executable,
                "-m",
                "runbookdocs.cli",
                "run",
                "--generate-secrets",
                "--report",
                f"r{i}.json",
            ],
            cwd=root,
            env={**env, "RUNBOOKDOCS_PLAIN": "1"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        for i in (1, 2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stdout + runs[0].stderr
    salt = (root / ".runbookdocs-cache" / "sandbox-secret-salt").read_text().strip()
    value = "rbd-" + hashlib.sha256(f"{salt}:docs/secret.md:DB_PASSWORD".encode()).hexdigest()[:20]
    shown = runs[0].stdout + runs[0].stderr + (root / "r1.json").read_text()
    assert salt not in shown and value not in shown
    assert all(r["cached"] for r in report(root / "r2.json"))


def test_update_converges_and_rewrites_only_the_lines_that_changed(tmp_path: Path) -> None:
    page = (
        "# Mise à jour\r\n\r\n"
        "```console {#liste}\r\n"
        "$ printf 'a\\nb\\nc\\nfin 42\\n'\r\n"
        "a\r\n"
        "...\r\n"
        "fin \\d+ (re)\r\n"
        "$ echo ok\r\n"
        "ancien ok\r\n"
        "```\r\n"
        "\r\n"
        "```console\r\n"
        "$ echo {{ mot }}\r\n"
        "ancien\r\n"
        "```\r\n"
        "\r\n"
        "```sql {#compte target=postgres}\r\n"
        "SELECT 40 + 2 AS n;\r\n"
        "SELECT now() AS t;\r\n"
        "-- expect:\r\n"
        "-- n\r\n"
        "-- 41\r\n"
        "-- t\r\n"
        "-- 20\\d\\d-.* (re)\r\n"
        "```\r\n"
        "trailing text  \r\n"
    )
    root = project(tmp_path)
    file = root / "docs" / "update.md"
    file.write_bytes(("---\nrunbook:\n  variables:\n    mot: nouveau\n---\n" + page).encode())
    before = file.read_bytes()
    proc = cli("run", "--update", "--report", "r.json", cwd=root)
    # Every difference was written: the update run exits 0, says `updated` per block, and
    # offers no failure hint for what it fixed.
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Hint" not in proc.stdout + proc.stderr
    assert "0 verified, 0 failed, 0 error(s), 0 not run, 3 updated" in proc.stderr
    assert [r["updated"] for r in report(root / "r.json")] == [True, True, True]
    after = file.read_bytes()
    # Lines that still match (`...`, `fin \d+ (re)`) are kept byte for byte; CRLF stays.
    assert after == before.replace(b"ancien ok\r\n", b"ok\r\n").replace(
        b"ancien\r\n", b"nouveau\r\n"
    ).replace(b"-- 41\r\n", b"-- 42\r\n")
    again = cli("run", "--no-cache", cwd=root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert cli("run", "--update", "--no-cache", cwd=root).returncode == 0
    assert file.read_bytes() == after


def test_update_keeps_a_matcher_that_no_longer_matches_and_says_so(tmp_path: Path) -> None:
    root = project(tmp_path)
    file = root / "docs" / "update.md"
    page = (
        "# Mise à jour\n\n```console\n$ printf 'fin\\nvu\\n'\nfin \\w+ (re)\nvieux\n```\n\n"
        "```console\n$ ls /n-existe-pas\n```\n"
    )
    file.write_text(page, encoding="utf-8")
    proc = cli("run", "--update", "--keep-going", cwd=root)
    assert proc.returncode == 1
    assert (
        "docs/update.md:5:1: error: `fin \\w+ (re)` no longer matches `fin`: --update kept it "
        "[RBD710]" in proc.stdout
    )
    # A failing status is never recorded as the expected one, and no --update is suggested.
    assert "docs/update.md:10:1: error: `ls /n-existe-pas` exited 2 (expected 0)" in proc.stdout
    assert "--update records output, never a failing status" in proc.stdout
    assert "rerun with --update" not in proc.stdout
    assert file.read_text(encoding="utf-8") == page.replace("vieux\n", "vu\n")


def test_several_targets_reach_each_other_by_name(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "docs" / "multi.md").write_text(
        "# Deux cibles\n\n"
        "```sql {target=mysql}\nCREATE TABLE t (n INT);\n```\n\n"
        "```bash {target=debian}\n"
        "exec 3<>/dev/tcp/mysql/3306 && echo 'mysql joignable depuis debian'\n```\n",
        encoding="utf-8",
    )
    proc = cli("run", "--report", "r.json", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [r["target"] for r in report(root / "r.json")] == ["mysql", "debian"]
    only = cli("run", "--no-cache", "--target", "mysql", "--report", "t.json", cwd=root)
    results = report(root / "t.json")
    assert [r["outcome"] for r in results] == ["passed", "skipped"]
    assert results[1]["message"] == "not run: --target mysql"
    assert only.returncode == 0


def _run_and_kill(root: Path, sig: int) -> subprocess.Popen[str]:
    (root / "docs" / "long.md").write_text(
        "# Long\n\n```bash {timeout=120}\necho commence\nsleep 100\n```\n", encoding="utf-8"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "runbookdocs.cli", "run", "--no-cache"],
        cwd=root,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _has_owner(proc.pid):
            break
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(
            "the runner never started its container: " + (proc.stdout.read() if proc.stdout else "")
        )
    time.sleep(0.5)  # inside the block
    os.kill(proc.pid, sig)
    proc.wait(timeout=30)
    return proc


def _has_owner(pid: int) -> bool:
    out = subprocess.run(
        [
            "docker",
            "ps",
            "-a",
            "--filter",
            "label=runbookdocs",
            "--format",
            '{{.Label "org.runbookdocs.owner"}}',
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return any(line.split(":")[1:2] == [str(pid)] for line in out.split())


def _gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _has_owner(pid):
            return True
        time.sleep(0.1)
    return False


def test_sigkilled_runner_leaves_no_container(tmp_path: Path) -> None:
    root = project(tmp_path)
    proc = _run_and_kill(root, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL
    assert _gone(proc.pid, 5), "a container outlived its SIGKILLed runner"


def test_sigterm_ends_the_run_cleanly(tmp_path: Path) -> None:
    root = project(tmp_path)
    proc = _run_and_kill(root, signal.SIGTERM)
    assert proc.returncode == 130
    assert _gone(proc.pid, 5)


def test_unknown_target_and_clean(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "docs" / "x.md").write_text(
        "```bash {target=nulle-part}\ntrue\n```\n", encoding="utf-8"
    )
    proc = cli("run", cwd=root)
    assert proc.returncode == 1  # the runbook's fault, as in `play`
    assert "docs/x.md:1:1: error: unknown target 'nulle-part'" in proc.stdout
    assert "[RBD107]" in proc.stdout
    cleaned = cli("clean", cwd=root)
    assert cleaned.returncode == 0


def test_files_users_answers_and_sql_stopping_at_the_first_error(tmp_path: Path) -> None:
    root = project(tmp_path, "features.md")
    proc = cli("run", "--report", "r.json", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = report(root / "r.json")
    assert [r["kind"] for r in results] == [
        "json",
        "console",
        "shell",
        "console",
        "console",
        "sql",
        "console",
    ]
    assert all(r["outcome"] == "passed" for r in results)


def test_jobs_run_runbooks_in_parallel_each_with_its_own_containers(tmp_path: Path) -> None:
    root = project(tmp_path, "state.md", "failing.md", "secret.md")
    proc = cli(
        "run", "--jobs", "2", "--no-cache", "--report", "r.json", cwd=root, env={"DB_PASSWORD": "x"}
    )
    assert proc.returncode == 1  # failing.md fails; the others pass
    by_page: dict[object, list[object]] = {}
    for r in report(root / "r.json"):
        by_page.setdefault(r["path"], []).append(r["outcome"])
    assert by_page == {
        "docs/failing.md": ["passed", "failed", "skipped", "passed"],
        "docs/secret.md": ["passed", "passed"],
        "docs/state.md": ["passed", "passed"],
    }
    assert "3 runbook(s)" in proc.stderr


def test_engine_api_in_process(tmp_path: Path) -> None:
    from runbookdocs.config import load_config
    from runbookdocs.document import read_document
    from runbookdocs.run.engine import Event, RunOptions, run_document, run_documents

    root = project(tmp_path, "state.md")
    config = load_config(start=root)
    doc = read_document(root / "docs" / "state.md", config)
    events: list[Event] = []
    report_ = run_documents([doc], config, RunOptions(use_cache=False), on_event=events.append)
    assert [r.outcome for r in report_.results] == ["passed", "passed"]
    assert [e.kind for e in events if e.kind != "log"] == [
        "runbook-start",
        "block-start",
        "block-end",
        "block-start",
        "block-end",
        "runbook-end",
    ]
    results = run_document(doc, config, RunOptions(use_cache=False, target="postgres"))
    assert [r.outcome for r in results] == ["skipped", "skipped"]


def test_a_target_that_never_gets_ready_is_exit_2_and_spares_other_runbooks(
    tmp_path: Path,
) -> None:
    root = project(
        tmp_path,
        "state.md",
        config="[tool.runbookdocs.targets.cassee]\n"
        'image = "runbookdocs/debian:bookworm"\nready = "false"\nready_timeout = 1\n',
    )
    (root / "docs" / "casse.md").write_text(
        "# Cassée\n\n```bash {target=cassee}\ntrue\n```\n\n```bash {target=cassee}\ntrue\n```\n",
        encoding="utf-8",
    )
    proc = cli("run", "--no-cache", "--report", "r.json", cwd=root)
    assert proc.returncode == 2
    assert "target 'cassee' (runbookdocs/debian:bookworm): not ready after 1 s" in proc.stdout
    outcomes = [(r["path"], r["outcome"]) for r in report(root / "r.json")]
    assert outcomes == [
        ("docs/casse.md", "error"),
        ("docs/casse.md", "skipped"),
        ("docs/state.md", "passed"),
        ("docs/state.md", "passed"),
    ]


def test_official_images_without_a_registry_say_what_to_do(tmp_path: Path) -> None:
    root = project(tmp_path, "state.md", config='images = "official"\n')
    if (
        subprocess.run(
            ["docker", "image", "inspect", "debian:bookworm-slim"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        pytest.skip("debian:bookworm-slim is present: the official path works here")
    proc = cli("run", cwd=root)
    if proc.returncode == 0:  # a registry answered
        return
    assert proc.returncode == 2
    assert "'debian:bookworm-slim' (target 'debian') is not present and cannot be pulled" in (
        proc.stdout
    )
    assert 'images = "local"' in proc.stdout


def test_a_block_that_changes_the_prompt_does_not_hang_the_session(tmp_path: Path) -> None:
    root = project(tmp_path, "prompt-reset.md")
    proc = cli("run", "--report", "r.json", cwd=root, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    results = report(root / "r.json")
    assert [(r["id"], r["outcome"]) for r in results] == [("bashrc", "passed"), ("after", "passed")]
    assert "replaced" not in proc.stdout + proc.stderr


def test_sweep_ignores_containers_that_vanish_while_listing() -> None:
    """`clean` and the start-of-run sweep must not fail when another run's container goes."""
    import docker

    from runbookdocs.run.targets import LABEL, LABEL_OWNER, sweep

    client = docker.from_env()
    # Owned by a live process on another host: never removed by the sweep, so they vanish
    # (auto-remove) on their own while the sweep lists them.
    other_host = "another-host:1:x"
    containers = [
        client.containers.run(
            "runbookdocs/debian:bookworm",
            ["sleep", f"{0.1 + i * 0.03:.2f}"],
            detach=True,
            auto_remove=True,
            labels={LABEL: "1", LABEL_OWNER: other_host},
        )
        for i in range(20)
    ]
    try:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and client.api.containers(
            all=True, filters={"label": f"{LABEL_OWNER}={other_host}"}
        ):
            sweep(client)
    finally:
        for c in containers:
            with contextlib.suppress(docker.errors.APIError):
                c.remove(force=True)


def test_cache_works_with_parallel_jobs(tmp_path: Path) -> None:
    """Runbooks run in threads (--jobs 2) share the cache: the second run is all cached."""
    root = project(tmp_path, "state.md", "prompt-reset.md")
    first = cli("run", "--jobs", "2", cwd=root)
    assert first.returncode == 0, first.stdout + first.stderr
    second = cli("run", "--jobs", "2", "--report", "r.json", cwd=root)
    assert second.returncode == 0
    assert all(r["cached"] for r in report(root / "r.json"))
