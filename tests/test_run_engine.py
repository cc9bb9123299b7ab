"""The engine's rules, proved without Docker: the engine runs real sessions on the confined local
shells of `tests.fakes.LocalBackend` (the Docker tests in test_run_cli.py prove the real path).

Stop on failure, blocked and skipped blocks, cleanup=true, keep_going, the cache, redaction,
--update, timeouts and hang recovery, SQL expectations, file= writing, every top-level command
of a shell block, unknown targets, missing secrets, images and targets that fail, a target lost
during a block, parallel runbooks, an interrupted run.
"""

from __future__ import annotations

import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runbookdocs.config import load_config
from runbookdocs.document import read_document
from runbookdocs.results import Report, Result
from runbookdocs.run.engine import Event, RunOptions, run_documents
from tests.fakes import LocalBackend
from tests.helpers import make_project


@pytest.fixture
def backend() -> Iterator[LocalBackend]:
    fake = LocalBackend()
    yield fake
    fake.cleanup()


class Project:
    def __init__(self, root: Path, backend: LocalBackend) -> None:
        self.root = root
        self.backend = backend
        self.logs: list[str] = []
        self.events: list[Event] = []

    def page(self, name: str, text: str) -> Path:
        path = self.root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def run(self, *names: str, config: str = "", **options: Any) -> Report:
        (self.root / "pyproject.toml").write_text(
            "[tool.runbookdocs]\n" + textwrap.dedent(config), encoding="utf-8"
        )
        cfg = load_config(start=self.root)
        docs = [read_document(self.root / "docs" / n, cfg) for n in names]
        options.setdefault("use_cache", False)
        options.setdefault("environ", {})
        return run_documents(
            docs,
            cfg,
            RunOptions(backend=self.backend, log=self.logs.append, **options),
            on_event=self.events.append,
        )


@pytest.fixture
def project(tmp_path: Path, backend: LocalBackend, monkeypatch: pytest.MonkeyPatch) -> Project:
    make_project(tmp_path, {})
    monkeypatch.chdir(tmp_path)  # pages are named relative to where the run starts
    return Project(tmp_path, backend)


def outcomes(report: Report) -> list[str]:
    return [r.outcome for r in report.results]


def rendered(result: Result) -> str:
    return "\n".join(f.render() for f in result.findings)


# -- every top-level command counts ------------------------------------------------------------


def test_a_shell_block_fails_at_its_first_failing_command(project: Project) -> None:
    project.page(
        "p.md",
        """
        # Copie

        ```bash {#copie}
        mkdir -p "$HOME/srv/app"
        cp "$HOME/missing.conf" "$HOME/srv/app/"
        echo "copied"
        ```

        ```bash {#ensuite}
        echo never
        ```
        """,
    )
    report = project.run("p.md")
    assert outcomes(report) == ["failed", "skipped"]
    copie = report.results[0]
    (finding,) = copie.findings
    assert str(finding.location) == "docs/p.md:5:1"
    assert finding.code == "RBD701"
    assert finding.message.startswith('shell block #copie: `cp "$HOME/missing.conf"')
    assert "exited 1 (expected 0)" in finding.message
    assert "missing.conf': No such file or directory" in finding.detail
    assert "copied" not in copie.output  # the block stopped there
    assert finding.hint is not None and "status=last" in finding.hint
    assert report.results[1].message == "not run: blocked by docs/p.md:3"


@pytest.mark.parametrize(
    "script",
    [
        "false || echo recovered",
        "true && false && echo never\necho after",
        "if false; then echo no; fi",
        "while false; do :; done",
        "! true\necho after",
        "false | true",
        "f() { false; echo inside; }\nf",
        "( false; echo in subshell )",
        "x=1\ncat <<EOF >/dev/null\n$x\nEOF",
        "for i in 1 2; do\n  test $i -gt 0\ndone",
        "grep -q root /etc/passwd && echo found",
    ],
)
def test_conditions_lists_tests_negations_pipelines_keep_their_shell_meaning(
    project: Project, script: str
) -> None:
    project.page("p.md", f"```bash\n{script}\n```\n")
    report = project.run("p.md")
    assert outcomes(report) == ["passed"], rendered(report.results[0])


@pytest.mark.parametrize(
    ("script", "line", "status"),
    [
        ("echo a\nfalse\necho b", 3, 1),
        ("true | false\necho b", 2, 1),
        ("f() { return 4; }\nf\necho b", 3, 4),
        ("( exit 5 )\necho b", 2, 5),
        ("for i in 1 2; do\n  test $i = 1\ndone\necho b", 3, 1),
        ("echo a\ncat <<EOF > /nonexistent/dir/file\nbody\nEOF\necho b", 3, 1),
        ("ls /n1 \\\n   /n2\necho b", 2, 2),
        ("x=$(false)\necho b", 2, 1),
    ],
)
def test_the_failure_is_located_at_the_command_that_stopped_the_block(
    project: Project, script: str, line: int, status: int
) -> None:
    project.page("p.md", f"```bash\n{script}\n```\n")
    (result,) = project.run("p.md").results
    assert result.outcome == "failed"
    (finding,) = result.findings
    assert finding.location.line == line  # a page line: the fence is line 1
    assert f"exited {status} (expected 0)" in finding.message
    assert "b" not in result.output.split("\n")


def test_expect_is_the_status_the_block_stops_at(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```bash {expect=2}
        echo start
        ls /n-existe-pas
        echo not reached
        ```

        ```bash {expect=1}
        echo start
        ```
        """,
    )
    report = project.run("p.md", keep_going=True)
    assert outcomes(report) == ["passed", "failed"]
    assert "exited 0 (expected 1)" in report.results[1].findings[0].message


def test_status_last_keeps_the_last_command_rule(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```bash {expect=1}
        false
        ```

        ```bash {status=last}
        false
        echo "only the last command counts"
        ```

        ```console
        $ false; echo "a typed command is judged by its own status"
        a typed command is judged by its own status
        ```

        ```bash
        f() { false; echo "inside a function, commands are not judged one by one"; }
        ```

        ```bash
        f
        ```
        """,
    )
    assert outcomes(project.run("p.md")) == ["passed"] * 5


def test_a_shell_prompt_is_never_explained_as_command_not_found(project: Project) -> None:
    project.page("p.md", "# P\n\n```bash\n$ echo hello\n```\n")
    (result,) = project.run("p.md").results
    (finding,) = result.findings
    assert finding.code == "RBD709"
    assert str(finding.location) == "docs/p.md:4:1"
    assert "starts with a shell prompt `$ `" in finding.message
    assert finding.hint is not None and "```console" in finding.hint
    assert "command not found" not in finding.message


# -- stop on failure, cleanup, keep going, skip ---------------------------------------------------


def test_stop_on_failure_cleanup_keep_going_and_skip(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```bash {#ok}
        echo avant
        ```

        ```bash {#casse}
        false
        ```

        ```bash {#jamais}
        echo jamais
        ```

        ```bash {#saute skip="pas ici"}
        echo saute
        ```

        ```bash {#nettoyage cleanup=true}
        echo nettoyage
        ```
        """,
    )
    report = project.run("p.md")
    assert outcomes(report) == ["passed", "failed", "skipped", "skipped", "passed"]
    assert report.results[3].message == "skipped: pas ici"
    assert report.exit_code() == 1
    again = project.run("p.md", keep_going=True)
    assert outcomes(again) == ["passed", "failed", "passed", "skipped", "passed"]
    only = project.run("p.md", target="postgres")
    assert outcomes(only) == ["skipped"] * 5
    assert only.results[0].message == "not run: --target postgres"


def test_state_carries_across_blocks_of_a_session_not_across_sessions(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```bash
        cd "$HOME" && export GREETING=bonjour
        ```

        ```console
        $ echo "$GREETING from $(basename "$PWD")"
        bonjour from debian
        ```

        ```console {session=other}
        $ echo "[${GREETING-}]"
        []
        ```
        """,
    )
    assert outcomes(project.run("p.md")) == ["passed"] * 3


# -- transcripts, --update --------------------------------------------------------------------


def test_transcript_differences_are_reported_at_each_command(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```console
        $ echo bonjour
        hello
        $ echo ok
        ok
        $ (exit 3)
        ```
        """,
    )
    (result,) = project.run("p.md").results
    assert [(f.location.line, f.code) for f in result.findings] == [(2, "RBD702"), (6, "RBD701")]
    assert "-hello" in result.findings[0].detail and "+bonjour" in result.findings[0].detail
    assert result.findings[0].hint == "rerun with --update to write the new output into the page"
    # A failing status is never something to record with --update.
    assert result.findings[1].hint is not None and "[3]" in result.findings[1].hint


def test_the_update_hint_is_not_offered_for_an_error_page(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```console
        $ printf '<h1>404 Not Found</h1>\\n'
        <h1>Bienvenue</h1>
        ```
        """,
    )
    (result,) = project.run("p.md").results
    (finding,) = result.findings
    assert finding.hint is not None
    assert "--update" not in finding.hint and "reads as an error" in finding.hint


def test_update_writes_converges_and_keeps_every_other_byte(project: Project) -> None:
    text = (
        "# Mise à jour\r\n\r\n"
        "!!! note\r\n\r\n"
        "    ```console\r\n"
        "    $ printf 'a\\nb\\nc\\nfin 42\\n'\r\n"
        "    a\r\n"
        "    ...\r\n"
        "    fin \\d+ (re)\r\n"
        "    $ echo {{ mot }}\r\n"
        "    ancien\r\n"
        "    ```\r\n"
        "\r\n"
        "```sql {target=mysql}\r\n"
        "SELECT 42 AS n;\r\n"
        "-- expect:\r\n"
        "-- n\r\n"
        "-- 41\r\n"
        "```\r\n"
        "fin  \r\n"
    )
    page = project.root / "docs" / "u.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    front = "---\nrunbook:\n  variables:\n    mot: nouveau\n---\n"
    page.write_bytes((front + text).encode())
    report = project.run("u.md", update=True)
    assert outcomes(report) == ["passed", "passed"]
    assert all(r.updated for r in report.results)
    assert report.exit_code() == 0
    assert (
        page.read_bytes()
        == (front + text)
        .replace("    ancien\r\n", "    nouveau\r\n")
        .replace("-- 41\r\n", "-- 42\r\n")
        .encode()
    )
    assert any("expected output updated (2 block(s))" in line for line in project.logs)
    again = project.run("u.md")
    assert outcomes(again) == ["passed", "passed"]
    assert not any(r.updated for r in again.results)


def test_update_keeps_a_stale_matcher_and_never_records_a_failing_status(
    project: Project,
) -> None:
    page = project.page(
        "p.md",
        """
        ```console
        $ date +%H:%M
        [0-9]{4}-[0-9]{2} (re)
        $ ls /n-existe-pas
        ```

        ```bash
        echo after
        ```
        """,
    )
    before = page.read_text(encoding="utf-8")
    report = project.run("p.md", update=True)
    first = report.results[0]
    assert first.outcome == "failed" and not first.updated
    assert [f.code for f in first.findings] == ["RBD710", "RBD701"]
    assert str(first.findings[0].location) == "docs/p.md:3:1"
    assert report.results[1].outcome == "skipped"  # a failing status still blocks
    assert page.read_text(encoding="utf-8") == before  # the matcher is kept as written


def test_update_says_so_when_it_writes_what_reads_as_an_error(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```console
        $ echo "bash: foo: command not found"
        old
        ```
        """,
    )
    report = project.run("p.md", update=True)
    (result,) = report.results
    assert result.outcome == "passed" and result.updated
    assert [f.code for f in result.findings] == ["RBD711"]
    assert any("[RBD711]" in line for line in project.logs)


def test_update_leaves_a_page_changed_during_the_run_alone(project: Project) -> None:
    page = project.page("p.md", "```console\n$ echo new\nold\n```\n")

    def edit(event: Event) -> None:
        if event.kind == "block-end":
            page.write_text("```console\n$ echo new\nedited meanwhile\n```\n", encoding="utf-8")

    cfg_root = project.root
    (cfg_root / "pyproject.toml").write_text("[tool.runbookdocs]\n", encoding="utf-8")
    cfg = load_config(start=cfg_root)
    doc = read_document(page, cfg)
    report = run_documents(
        [doc],
        cfg,
        RunOptions(backend=project.backend, update=True, use_cache=False, environ={}),
        on_event=edit,
    )
    (result,) = report.results
    assert result.outcome == "failed"
    assert "the page changed during the run" in result.message
    assert "edited meanwhile" in page.read_text(encoding="utf-8")


def test_update_refuses_lines_that_come_from_an_included_file(project: Project) -> None:
    (project.root / "snippets").mkdir(parents=True)
    (project.root / "snippets" / "out.txt").write_text("old\n", encoding="utf-8")
    project.page("p.md", '```console\n$ echo new\n--8<-- "snippets/out.txt"\n```\n')
    report = project.run("p.md", update=True)
    (result,) = report.results
    assert result.outcome == "failed"
    assert "included file" in result.message


# -- timeouts and hangs ------------------------------------------------------------------------


def test_a_hanging_block_is_interrupted_at_its_line_and_the_session_goes_on(
    project: Project,
) -> None:
    project.page(
        "p.md",
        """
        ```bash {timeout=3}
        export AVANT=oui
        echo "début"
        sleep 30
        ```

        ```bash
        test "$AVANT" = oui && echo "same shell"
        ```
        """,
    )
    # 3 s, not 1: on a loaded machine the first two lines alone once took a second.
    t0 = time.monotonic()
    report = project.run("p.md", keep_going=True)
    assert time.monotonic() - t0 < 15
    assert outcomes(report) == ["failed", "passed"]
    (finding,) = report.results[0].findings
    assert finding.code == "RBD703"
    assert str(finding.location) == "docs/p.md:4:1"
    assert finding.message == (
        "shell block: `sleep 30` timed out after 3 s; interrupted with Ctrl-C"
    )


def test_a_client_waiting_for_input_ends_at_end_of_input_then_at_its_quit_command(
    project: Project,
) -> None:
    project.page(
        "p.md",
        r"""
        ```bash {#eof timeout=1}
        bash -c 'trap "" INT; cat'
        ```

        ```bash {#quit timeout=1}
        bash -c 'trap "" INT; while :; do read -r l || continue; [ "$l" = "\q" ] && exit; done'
        ```

        ```bash {#sourd timeout=1}
        echo "bannière du client"
        trap '' INT
        bash -c 'trap "" INT; while :; do read -r _ || sleep 0.01; done'
        ```

        ```bash
        echo "a new shell"
        ```
        """,
    )
    t0 = time.monotonic()
    report = project.run("p.md", keep_going=True)
    took = time.monotonic() - t0
    assert outcomes(report) == ["failed", "failed", "failed", "passed"]
    messages = [r.findings[0].message for r in report.results[:3]]
    assert messages[0].endswith("interrupted with Ctrl-C, Ctrl-D")
    assert messages[1].endswith("interrupted with Ctrl-C, Ctrl-D, \\q")
    assert (
        "did not recover after Ctrl-C, Ctrl-D, \\q, quit, q, Escape :q!, Ctrl-C again"
        in (messages[2])
    )
    # The output is quoted once, however many keys were tried.
    assert report.results[2].findings[0].detail.count("bannière du client") == 1
    # Each block costs about its timeout: a short wait per key, not a second per key.
    assert took < 3 * 1 + 3 * 1.5 + 5


def test_a_transcript_shares_its_timeout_between_its_commands(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```console {timeout=1}
        $ sleep 3
        $ echo never
        never
        ```
        """,
    )
    (result,) = project.run("p.md").results
    codes_ = [f.code for f in result.findings]
    assert codes_ == ["RBD703", "RBD703"]
    assert "the block's timeout (1 s) was used up" in result.findings[1].message


# -- values and secrets ------------------------------------------------------------------------


def test_secrets_are_masked_everywhere_and_unknown_placeholders_fail(project: Project) -> None:
    project.page(
        "p.md",
        """
        ---
        runbook:
          secrets:
            TOKEN: jeton
        ---
        ```bash
        echo "le jeton est $TOKEN"
        echo "{{ TOKEN }}" | base64
        false
        ```

        ```bash
        echo {{ inconnu }}
        ```
        """,
    )
    secret = "s3cr3t-value-42"
    report = project.run("p.md", environ={"TOKEN": secret}, keep_going=True)
    first, second = report.results
    text = first.output + rendered(first) + str(first.to_json())
    assert "le jeton est ***" in text
    assert secret not in text
    import base64

    assert base64.b64encode(secret.encode()).decode()[:8] not in text
    assert second.findings[0].code == "RBD704"
    assert "{{ inconnu }}" in second.findings[0].message


def test_a_missing_secret_is_an_error_always_at_its_declaration(project: Project) -> None:
    project.page(
        "p.md",
        """
        ---
        title: Secret
        runbook:
          secrets:
            DB_PASSWORD: mot de passe
        ---
        ```bash
        test -n "$DB_PASSWORD"
        ```

        ```bash
        echo after
        ```
        """,
    )
    for _ in range(2):
        report = project.run("p.md")
        assert outcomes(report) == ["error", "skipped"]
        assert str(report.results[0].findings[0].location) == "docs/p.md:5:1"
        assert report.exit_code() == 2
    generated = project.run("p.md", generate_secrets=True)
    assert outcomes(generated) == ["passed", "passed"]


# -- SQL, files --------------------------------------------------------------------------------


def test_sql_blocks_expectations_and_the_client_stopping(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```sql {target=mysql}
        SELECT 42 AS n;
        -- expect:
        -- n
        -- 4\\d (re)
        ```

        ```sql {target=postgres expect=3}
        SELECT 1 AS n;
        FAIL;
        ```

        ```sql {target=postgres}
        SELECT 2 AS n;
        -- expect:
        -- m
        -- 2
        ```

        ```sql {target=postgres}
        FAIL;
        ```

        ```sql {target=debian}
        SELECT 1 AS n;
        ```
        """,
    )
    report = project.run("p.md", keep_going=True)
    assert outcomes(report) == ["passed", "passed", "failed", "failed", "failed"]
    differs, stopped, no_client = (r.findings[0] for r in report.results[2:])
    assert differs.code == "RBD702" and differs.location.line == 15
    assert "-m" in differs.detail and "+n" in differs.detail
    assert stopped.code == "RBD701" and "the client exited 3 (expected 0)" in stopped.message
    assert "ERROR:  statement failed" in stopped.detail
    assert no_client.code == "RBD706"


def test_file_blocks_are_written_with_their_mode(project: Project) -> None:
    target = project.backend.root / "debian" / "etc" / "app.json"
    project.page(
        "p.md",
        f"""
        ---
        runbook:
          variables:
            port: "8080"
        ---
        ```json {{file={target} mode=0640}}
        {{"port": {{{{ port }}}}}}
        ```

        ```console
        $ stat -c %a {target}
        640
        ```

        ```yaml {{file=/proc/cannot/write.yaml}}
        a: 1
        ```

        ```json {{file=relative.json}}
        {{}}
        ```
        """,
    )
    report = project.run("p.md", keep_going=True)
    assert outcomes(report) == ["passed", "passed", "failed", "failed"]
    assert target.read_text(encoding="utf-8") == '{"port": 8080}\n'
    assert report.results[0].message == f"written to {target}"
    assert report.results[2].findings[0].code == "RBD707"
    assert report.results[3].findings[0].code == "RBD708"  # never run: unsafe value


# -- the runbook or its environment is wrong ---------------------------------------------------


def test_unknown_target_is_the_runbooks_fault(project: Project) -> None:
    project.page("p.md", "```bash {target=nulle-part}\ntrue\n```\n\n```bash\ntrue\n```\n")
    report = project.run("p.md")
    assert outcomes(report) == ["failed", "skipped"]
    assert report.results[0].findings[0].code == "RBD107"
    assert report.results[0].message.startswith("unknown target 'nulle-part' (known: ")
    assert report.exit_code() == 1


def test_images_and_targets_that_fail_are_environment_errors(project: Project) -> None:
    project.page("a.md", "```bash\ntrue\n```\n\n```bash\ntrue\n```\n")
    project.page("b.md", "```bash {target=mysql}\ntrue\n```\n")
    project.page("c.md", "```bash {target=postgres}\ntrue\n```\n")
    project.backend.bad_images["debian"] = "image 'runbookdocs/debian:bookworm' cannot be had"
    project.backend.bad_starts.add("mysql")
    report = project.run("a.md", "b.md", "c.md")
    assert outcomes(report) == ["error", "skipped", "error", "passed"]
    assert report.results[0].findings[0].code == "RBD901"
    assert "cannot be had" in report.results[0].message
    assert "cannot start (scripted failure)" in report.results[2].message
    assert report.exit_code() == 2


def test_a_target_lost_during_a_block_is_an_environment_error(project: Project) -> None:
    project.page("p.md", "```bash\necho partial; exit 137\n```\n")
    project.backend.lost["debian"] = "its container abc is gone (killed)"
    (result,) = project.run("p.md").results
    assert result.outcome == "error"
    assert result.findings[0].code == "RBD902"
    assert "partial" in result.findings[0].detail


def test_a_block_that_ends_its_shell_gets_a_new_one_next(project: Project) -> None:
    project.page(
        "p.md",
        '```bash {expect=3}\nexport X=1\nexit 3\n```\n\n```bash\ntest -z "${X-}"\n```\n',
    )
    report = project.run("p.md")
    assert outcomes(report) == ["passed", "passed"]
    assert "the next step of session 'main' starts a new shell" in report.results[0].message


# -- several runbooks, the cache, interrupts ---------------------------------------------------


def test_runbooks_in_parallel_each_with_its_own_targets_and_events(project: Project) -> None:
    for i in range(3):
        project.page(f"p{i}.md", f"```bash\nexport N={i}\n```\n\n```console\n$ echo $N\n{i}\n```\n")
    report = project.run("p0.md", "p1.md", "p2.md", jobs=2)
    assert outcomes(report) == ["passed"] * 6
    kinds = [e.kind for e in project.events if e.kind != "log"]
    assert kinds.count("runbook-start") == 3 and kinds.count("block-end") == 6
    assert all(t.removed for t in project.backend.targets)


def test_cache_skips_an_unchanged_runbook_and_never_keeps_a_failure(project: Project) -> None:
    project.page("ok.md", "```bash\necho ok\n```\n")
    project.page("ko.md", "```bash\nfalse\n```\n")
    first = project.run("ok.md", "ko.md", use_cache=True)
    assert outcomes(first) == ["passed", "failed"]
    second = project.run("ok.md", "ko.md", use_cache=True)
    assert [r.cached for r in second.results] == [True, False]
    assert second.results[0].message.startswith("cached: passed at ")
    third = project.run("ok.md", use_cache=True, variables={"x": "1"})
    assert not third.results[0].cached  # other values, another run


def test_an_interrupted_run_removes_every_target_and_raises(project: Project) -> None:
    project.page("p.md", "```bash\ntrue\n```\n\n```bash\ntrue\n```\n")
    (project.root / "pyproject.toml").write_text("[tool.runbookdocs]\n", encoding="utf-8")
    cfg = load_config(start=project.root)
    doc = read_document(project.root / "docs" / "p.md", cfg)

    def interrupt(event: Event) -> None:
        if event.kind == "block-end":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_documents(
            [doc],
            cfg,
            RunOptions(backend=project.backend, use_cache=False, environ={}),
            on_event=interrupt,
        )
    assert project.backend.targets and all(t.removed for t in project.backend.targets)
    assert project.backend.closed == 1


def test_several_networked_targets_share_a_network(project: Project) -> None:
    project.page(
        "p.md",
        "```bash {target=debian}\ntrue\n```\n\n```sql {target=postgres}\nSELECT 1 AS n;\n```\n",
    )
    assert outcomes(project.run("p.md")) == ["passed", "passed"]
    assert len(project.backend.networks) == 1 and project.backend.networks[0].removed


# -- what the page was when it ran ----------------------------------------------------------------


def test_results_carry_the_pages_run_digest_cached_or_not(project: Project) -> None:
    """The site judges staleness on the digest: every result of a run names what the page's steps
    were, a cached run too, and changing a step changes it."""
    page = project.page("d.md", "```bash {#un}\necho un\n```\n\nProse.\n")
    first = project.run("d.md", use_cache=True)
    digest = read_document(page, load_config(start=project.root)).run_digest()
    assert [r.digest for r in first.results] == [digest]
    again = project.run("d.md", use_cache=True)
    assert [(r.cached, r.digest) for r in again.results] == [(True, digest)]
    assert Report.from_json(again.to_json()).results[0].digest == digest
    page.write_text("```bash {#un}\necho deux\n```\n\nProse.\n", encoding="utf-8")
    changed = project.run("d.md")
    assert changed.results[0].digest not in (None, digest)
