"""`runbookdocs check` on steps as people write them (validate/steps.py), through the CLI:
prompts in shell blocks, transcripts whose output reads as commands, commands that never end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runbookdocs.transcript import match
from runbookdocs.validate.steps import as_matcher
from tests.helpers import cli, make_project


def check(tmp_path: Path, page: str) -> list[str]:
    make_project(tmp_path, {"docs/p.md": page})
    proc = cli("check", "--no-cache", cwd=tmp_path)
    assert "Traceback" not in proc.stderr
    return [ln for ln in proc.stdout.splitlines() if re.search(r"\[RBD32\d\]", ln)]


def codes_of(lines: list[str]) -> list[str]:
    return [m.group(1) for ln in lines if (m := re.search(r"\[(RBD\d+)\]", ln))]


def test_a_prompt_in_a_shell_block_names_both_fixes(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "docs/p.md": "# P\n\n```bash\n# vérifier le service\n"
            "$ systemctl status nginx\n$ ls\n```\n"
        },
    )
    proc = cli("check", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 0  # a warning
    assert (
        "docs/p.md:5:1: warning: `$ systemctl status nginx` starts with a shell prompt `$ `: "
        "bash would run `$` as a command (2 lines start with `$ `) [RBD320]" in proc.stdout
    )
    assert "tag the block ```console" in proc.stdout and "drop the `$ ` prompts" in proc.stdout
    assert cli("check", "--strict", "--no-cache", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize(
    "body",
    [
        "echo '$ not a prompt'",
        "cat <<'EOF'\n$ inside a here-document\nEOF",
        "price=$HOME\necho $price",
    ],
)
def test_dollars_that_are_not_prompts_are_left_alone(tmp_path: Path, body: str) -> None:
    assert check(tmp_path, f"```bash\n{body}\n```\n") == []


def test_transcript_output_that_reads_as_a_root_command_or_a_continuation(tmp_path: Path) -> None:
    lines = check(
        tmp_path,
        "```console\n"
        "$ cat /etc/nginx/conf.d/site.conf\n"
        "# site served by nginx\n"
        "server { listen 80; }\n"
        "$ echo a\n"
        "> quoted reply\n"
        "$ echo 'open\n"
        "> quote'\n"
        "open\n"
        "quote\n"
        "```\n",
    )
    assert codes_of(lines) == ["RBD321", "RBD322"]
    assert lines[0].startswith(
        "docs/p.md:3:1: warning: `# site served by nginx` reads as a command"
    )
    assert lines[1].startswith("docs/p.md:6:1: warning: `> quoted reply` reads as a continuation")


@pytest.mark.parametrize(
    "page",
    [
        "```console\n$ sudo -i\n# whoami\nroot\n```\n",
        # Transcripts often show which commands need root with `# `.
        "```console\n$ make\nbuilt\n# make install\ninstalled\n```\n",
        "```console\n$ git pull\nAlready up to date.\n# systemctl restart app\n```\n",
    ],
)
def test_a_root_prompt_that_reads_as_a_command_is_one(tmp_path: Path, page: str) -> None:
    assert check(tmp_path, page) == []


@pytest.mark.parametrize(
    "line", ["# site served by nginx", "> quoted (reply) [1]", "#", "$ 4.50 + tax"]
)
def test_the_suggested_matcher_matches_the_line_and_reads_as_output(line: str) -> None:
    from runbookdocs.transcript import parse

    suggested = as_matcher(line)
    assert match([suggested], [line])
    parsed = parse(f"$ cmd\n{suggested}")
    assert len(parsed.commands) == 1 and parsed.commands[0].expected == [suggested]


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ("tail -f /var/log/syslog", "follows the file forever"),
        ("sudo tail -n 20 -F /var/log/app.log", "follows the file forever"),
        ("journalctl -fu nginx", "follows the log forever"),
        ("docker logs -f web", "follows the logs forever"),
        ("watch -n 1 df -h", "repeats forever"),
        ("less /etc/passwd", "is a pager waiting for keys"),
        ("top", "refreshes forever"),
        ("vim /etc/hosts", "is an editor waiting for keys"),
        ("psql", "waits for commands typed at its prompt"),
        ("cd /tmp && mysql -u root mabase", "waits for commands typed at its prompt"),
    ],
)
def test_commands_that_never_end_are_reported(tmp_path: Path, body: str, why: str) -> None:
    lines = check(tmp_path, f"```bash\necho avant\n{body}\n```\n")
    assert codes_of(lines) == ["RBD323"], lines
    assert lines[0].startswith("docs/p.md:3:1: warning: ")
    assert why in lines[0]


@pytest.mark.parametrize(
    "body",
    [
        "tail -n 50 /var/log/syslog",
        "timeout 5 tail -f /var/log/syslog",
        "tail -f /var/log/app.log | grep -m1 ready",
        "tail -f /var/log/app.log &",
        "less /etc/passwd | cat",
        "top -b -n 1",
        'psql -c "SELECT 1"',
        "psql -tAc 'SELECT 1'",
        "psql < dump.sql",
        "psql <<'SQL'\nSELECT 1;\nSQL",
        "echo 'SELECT 1' | mysql",
        "mysql -e 'SHOW DATABASES'",
        "mariadb --execute='SELECT 1'",
        "python3 script.py",
        "python3 -c 'print(1)'",
        "bash -c 'true'",
        "sqlite3 app.db 'SELECT 1'",
        "redis-cli PING",
        "watch -g ls",
        "vim -c wq file",
        "echo 'tail -f x'",
    ],
)
def test_commands_that_end_are_left_alone(tmp_path: Path, body: str) -> None:
    assert check(tmp_path, f"```bash\n{body}\n```\n") == []


def test_a_timeout_or_a_skip_says_the_author_knows(tmp_path: Path) -> None:
    page = (
        "```bash {timeout=5}\ntail -f /var/log/syslog\n```\n\n"
        '```bash {skip="exemple"}\ntail -f /var/log/syslog\n```\n\n'
        "```console\n$ psql\n```\n"
    )
    lines = check(tmp_path, page)
    assert codes_of(lines) == ["RBD323"]
    assert lines[0].startswith("docs/p.md:10:1:")
    assert "give psql its input" in "\n".join(
        cli("check", "--no-cache", cwd=tmp_path).stdout.splitlines()
    )


def test_an_open_quote_is_an_incomplete_command_whatever_the_bash_version() -> None:
    from runbookdocs.run.runners.shell import complete_shell, shell_commands

    # bash 5.2 says "unexpected EOF", older ones "unexpected end of file".
    assert not complete_shell("echo 'open")
    assert complete_shell("echo 'open\nquote'")
    assert shell_commands("echo 'open\nquote'\nls") == ["echo 'open\nquote'", "ls"]
