"""The runner's own protocol cannot be shadowed, echoed or traced by what a runbook does, and a
verdict never comes from a step the runbook sabotaged (fail closed). Proved on the engine with
the confined local shells of `tests.fakes` (the same `Session` code as in containers;
`tests/reliability/test_hostile.py` proves the Docker path through the CLI).
"""

from __future__ import annotations

import pytest

from tests.test_run_engine import Project, backend, outcomes, project, rendered

__all__ = ["backend", "project"]  # fixtures, imported for pytest

# Later blocks of every sabotage page: what each must do, whatever came before.
LATER = """
```bash {#ok timeout=10}
echo "still here"
```

```bash {#faux timeout=10}
false
```

```bash {#milieu timeout=10}
true
false
true
```

```bash {#sortie timeout=10}
exit 42
```

```bash {#apres timeout=10}
echo "after a new shell"
```
"""
LATER_OUTCOMES = ["passed", "failed", "failed", "failed", "passed"]

SHADOWS = {
    "functions": "base64() { :; }\nprintf() { :; }\neval() { :; }\nsource() { :; }\n"
    ".() { :; }\necho() { builtin echo shadowed; }\nstty() { :; }\nmkdir() { :; }\n"
    "cat() { :; }\nmktemp() { :; }\ncommand() { :; }\nbuiltin() { :; }\nreturn() { :; }\n"
    "trap() { :; }\nunset() { :; }\nset() { :; }\nexport() { :; }\ndeclare() { :; }\n"
    "read() { :; }\n__rbd_x() { :; }",
    "aliases": "alias base64=: printf=: eval=: source=: .=: stty=: mkdir=: builtin=: "
    "command=: return=: trap=: unset=: set=: if=: '[['=: then=: '{'=: __rbd_q=:",
    "xtrace": "set -x",
    "strict-mode": "set -euxo pipefail",
    "verbose": "set -v",
    "nounset-errtrace": "set -uE\nshopt -s nocasematch extglob failglob",
    "debug-trap": "trap 'echo DEBUG-TRAP \"$BASH_COMMAND\"' DEBUG",
    "debug-trap-extdebug": "shopt -s extdebug\ntrap 'echo D' DEBUG",
    "return-trap": "trap 'echo RETURN-TRAP' RETURN",
    "prompt-command": "PROMPT_COMMAND='echo PROMPT-COMMAND'\nPS0='PS0 '\nPS1='$ '",
    "prompt-command-array": "PROMPT_COMMAND=('echo one' 'echo two')",
    "stdout-redirected": "exec >/dev/null",
    "echo-on": "stty echo",
    "ifs": "IFS=0123456789",
    "noclobber-noglob": "set -Cf",
    "posix": "set -o posix",
    "job-notices": "sleep 0.1 &",
}


@pytest.mark.parametrize("name", sorted(SHADOWS))
def test_later_blocks_are_judged_truly_whatever_a_block_did_to_the_shell(
    project: Project, name: str
) -> None:
    project.page("p.md", f"```bash {{#sabotage timeout=10}}\n{SHADOWS[name]}\n```\n{LATER}")
    report = project.run("p.md", keep_going=True)
    got = outcomes(report)
    detail = "\n".join(rendered(r) + "\n" + r.output for r in report.results)
    assert got == ["passed", *LATER_OUTCOMES], detail
    by_id = {r.id: r for r in report.results}
    # Judged by the right command, fast: no block waited for its timeout.
    assert all(r.duration_s < 5 for r in report.results), detail
    assert by_id["milieu"].findings[0].location.line == by_id["milieu"].line + 2
    assert "exited 42" in by_id["sortie"].findings[0].message
    # Nothing of the runner's shows in what blocks printed.
    assert "__rbd" not in detail and "\x1e" not in detail, detail


def test_a_set_x_block_shows_its_own_trace_and_nothing_of_the_runner(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```bash {#trace timeout=10}
        set -euxo pipefail
        echo "un" | tr a-z A-Z
        ls /n-existe-pas
        echo jamais
        ```

        ```bash {#ensuite timeout=10 cleanup=true}
        echo "ensuite"
        ```
        """,
    )
    report = project.run("p.md")
    trace, after = report.results
    assert trace.outcome == "failed" and after.outcome == "passed", rendered(trace)
    (finding,) = trace.findings
    assert finding.location.line == 4  # `ls`, the command that stopped the block
    assert "+ ls /n-existe-pas" in trace.output
    assert "+ echo un" in trace.output and "UN" in trace.output
    assert "jamais" not in trace.output
    assert "__rbd" not in trace.output and "return" not in trace.output
    assert trace.duration_s < 5


def test_input_the_runner_sends_is_never_shown_when_a_block_turns_echo_on(
    project: Project,
) -> None:
    secret = "Sup3r-S3cret_value"
    project.page(
        "p.md",
        """
        ---
        runbook:
          secrets:
            PASSWORD: a password
        ---
        <!-- runbook: answer prompt="Password: " value="{{ PASSWORD }}" -->
        ```bash {#lire timeout=10}
        stty -echo; read -r -p "Password: " typed; stty echo; echo
        test "$typed" = "$PASSWORD"
        ```

        ```bash {#suivant timeout=10}
        echo "with {{ PASSWORD }} in the step" > /dev/null
        echo "next step"
        ```

        ```console
        $ echo "typed: {{ PASSWORD }}" | wc -c
        26
        ```
        """,
    )
    report = project.run("p.md", environ={"PASSWORD": secret})
    assert outcomes(report) == ["passed"] * 3, "\n".join(map(rendered, report.results))
    # The steps' own text (which holds the secret) never came back as output.
    for step in (secret, "in the step", "printf", "typed:"):
        assert all(step not in r.output for r in report.results)


@pytest.mark.parametrize(
    ("sabotage", "broken"),
    [
        ("enable -n source", "attendu"),
        ("enable -n printf", "sabotage"),  # the runner cannot even say the block ended
        ("enable -n eval", "tape"),
        ("readonly __rbd_b", "attendu"),
        ("__rbd_R() { :; }", "attendu"),
        ("__rbd_p() { return 0; }", "attendu"),
    ],
)
def test_a_step_the_runbook_sabotaged_never_passes(
    project: Project, sabotage: str, broken: str
) -> None:
    project.page(
        "p.md",
        f"""
        ```bash {{#sabotage timeout=10}}
        {sabotage}
        ```

        ```bash {{#attendu expect=1 timeout=10}}
        false
        ```

        ```console {{#tape}}
        $ (exit 3)
        [3]
        ```

        ```bash {{#apres timeout=10}}
        echo "a new shell"
        ```
        """,
    )
    report = project.run("p.md", keep_going=True)
    by_id = {r.id: r for r in report.results}
    # The step the sabotage broke fails, saying so, even where its status (1, 3) is the one
    # the page expects; the shell is replaced, and the steps after it are judged truly.
    failed = by_id[broken]
    assert failed.outcome == "failed", rendered(failed)
    (finding,) = failed.findings
    assert finding.code == "RBD712", rendered(failed)
    assert "broke the runner's shell" in finding.message
    for name in ("sabotage", "attendu", "tape", "apres"):
        if name != broken:
            assert by_id[name].outcome == "passed", rendered(by_id[name])
    assert all(r.duration_s < 5 for r in report.results)


def test_files_and_sql_clients_cannot_be_shadowed_by_a_block(project: Project) -> None:
    target = project.backend.root / "mysql" / "etc" / "app.conf"
    project.page(
        "p.md",
        f"""
        ```bash {{#sabotage target=mysql}}
        base64() {{ :; }}; printf() {{ :; }}; mkdir() {{ :; }}; chmod() {{ :; }}; cat() {{ :; }}
        mariadb() {{ echo "a function, not the client"; }}; alias mariadb=true
        ```

        ```ini {{#fichier target=mysql file={target} mode=0600}}
        [app]
        quote = it's "quoted" \\ and $HOME
        ```

        ```sql {{#requete target=mysql}}
        SELECT 42 AS answer;
        -- expect:
        -- answer
        -- 42
        ```

        ```sql {{#echec target=mysql}}
        FAIL;
        ```
        """,
    )
    report = project.run("p.md", keep_going=True)
    assert outcomes(report) == ["passed", "passed", "passed", "failed"], "\n".join(
        map(rendered, report.results)
    )
    assert target.read_text(encoding="utf-8") == '[app]\nquote = it\'s "quoted" \\ and $HOME\n'
    assert oct(target.stat().st_mode & 0o777) == "0o600"
