"""Shell syntax in one `bash -n` and lint in one `shellcheck`, errors at the reader's line."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from runbookdocs.validate import shell
from tests.helpers import cli, make_project
from tests.validate_helpers import check_page, check_project, lines

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
needs_shellcheck = pytest.mark.skipif(shutil.which("shellcheck") is None, reason="needs shellcheck")


def _count_runs(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts: dict[str, int] = {}
    real = shell._run  # every bash and shellcheck process starts there (and is tracked)

    def run(cmd: list[str], *args: Any, **kwargs: Any) -> Any:
        counts[cmd[0]] = counts.get(cmd[0], 0) + 1
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(shell, "_run", run)
    return counts


def test_many_clean_blocks_spawn_bash_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counts = _count_runs(monkeypatch)
    page = "".join(f'```bash\necho "block {i}" > /tmp/f{i}\n```\n\n' for i in range(300))
    assert check_page(tmp_path, page) == []
    assert counts.get("bash", 0) == 1
    assert counts.get("shellcheck", 0) <= 1


def test_errors_in_several_blocks_are_each_attributed(tmp_path: Path) -> None:
    blocks = [
        "echo a",
        "if true; then\n  echo b",
        "echo c",
        "echo 'open",
        "echo d",
        'echo "x" )',
        "echo e",
    ]
    page = "".join(f"```bash\n{b}\n```\n\n" for b in blocks)
    found = [x for x in check_page(tmp_path, page) if "shellcheck" not in x]
    assert found == [
        "docs/page.md:7:3: error: shell syntax error: unexpected end of file [RBD301]",
        "docs/page.md:15:1: error: shell syntax error: unexpected EOF while looking for "
        "matching `'' [RBD301]",
        "docs/page.md:23:1: error: shell syntax error: near unexpected token `)' [RBD301]",
    ]


def test_unclosed_quotes_in_two_blocks_do_not_hide_each_other(tmp_path: Path) -> None:
    page = '```bash\necho "one\n```\n\n```bash\necho ok\n```\n\n```bash\necho "two\n```\n'
    found = [x for x in check_page(tmp_path, page) if "shellcheck" not in x]
    assert [x.split(": error")[0] for x in found] == ["docs/page.md:2:1", "docs/page.md:10:1"]


def test_misattribution_is_resolved_by_bisection() -> None:
    from runbookdocs.block import Block

    def unit(i: int, text: str) -> Any:
        b = Block("p.md", i * 10, i * 10 + 2, "bash", "bash", text, (i * 10 + 1,))
        return shell._Unit(i, b, text)

    # A here-document that swallows the next blocks: the batch fails at the end of the file.
    units = [unit(0, "echo a"), unit(1, "cat <<EOF\nbody"), unit(2, "echo c"), unit(3, "echo d")]
    found = shell.bash_syntax(units)
    assert [(u.index, f.message) for u, f in found] == [
        (1, "shell syntax error: here-document is never closed (no line 'EOF')")
    ]


def test_console_commands_and_placeholders(tmp_path: Path) -> None:
    page = """\
    ---
    runbook:
      reviewed: 2999-01-01
      variables: {dir: /srv}
    ---
    ```console
    $ ls {{ dir }}
    file
    $ for i in 1 2; do
    > echo "$i"; done
    1
    # apt-get install -y curl )
    ```
    """
    found = [x for x in check_page(tmp_path, page) if "shellcheck" not in x]
    assert found == [
        "docs/page.md:12:3: error: console command syntax error: near unexpected token `)' [RBD301]"
    ]


@needs_shellcheck
def test_shellcheck_findings_and_exclusions(tmp_path: Path) -> None:
    page = "```bash {danger=true}\ncd /srv\necho $undefined_elsewhere\nrm -rf $DIR/\n```\n"
    found = check_page(tmp_path, page)
    codes = sorted({x.split("shellcheck ")[1].split(":")[0] for x in found})
    # By default only the shellcheck codes that find real bugs (issue #11): SC2086 (quoting
    # advice) is selected when the project asks for it.
    assert codes == ["SC2115"]  # SC2164 (cd) and SC2154 (unassigned) are excluded
    assert all(x.startswith("docs/page.md:") and ": warning: " in x for x in found)
    assert any(x.startswith("docs/page.md:4:8:") for x in found)
    (tmp_path / "sel").mkdir()
    found = check_page(tmp_path / "sel", page, config='select = ["RBD", "SC2086"]\n')
    codes = sorted({x.split("shellcheck ")[1].split(":")[0] for x in found})
    assert codes == ["SC2086", "SC2115"]


@needs_shellcheck
def test_shellcheck_disable_comment_is_honoured(tmp_path: Path) -> None:
    page = "```bash\n# shellcheck disable=SC2086\nls $HOME\n```\n"
    assert check_page(tmp_path, page) == []


def test_cli_shell_error(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": "# A\n\n```bash\nfor x in; do\n```\n"})
    proc = cli("check", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("docs/a.md:4:")
    assert "shell syntax error" in proc.stdout


def test_brace_without_dollar_is_a_warning_only_for_page_variables(tmp_path: Path) -> None:
    page = (
        "```bash\ntag=1.0\necho {a,b} ${tag} {tag} {other}\nfind . -exec ls {} \\;\n```\n"
        "```console\n$ docker push img:{tag}\n```\n"
    )
    found = [f for f in check_page(tmp_path, page) if "not expanded" in f]
    assert found == [
        "docs/page.md:3:19: warning: '{tag}' is not expanded by the shell: did you mean '${tag}'? "
        "[RBD306]",
        "docs/page.md:7:19: warning: '{tag}' is not expanded by the shell: did you mean '${tag}'? "
        "[RBD306]",
    ]


@needs_shellcheck
@pytest.mark.parametrize("memory", ["usable", "full", "missing", "nowhere"])
def test_shellcheck_scratch_files_in_memory_or_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory: str
) -> None:
    """Scripts go to /dev/shm when it is there (creating files on disk can cost more than
    shellcheck); a full or missing /dev/shm falls back to the temporary directory, and no room
    anywhere is a warning, not a crash."""
    shm = tmp_path / "shm"
    shm.mkdir()
    monkeypatch.setattr(shell, "_SHM", str(shm if memory != "missing" else tmp_path / "none"))
    disk = tmp_path / "disk"
    disk.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(disk))
    used: list[str] = []
    real_open = open

    def spy_open(name: str, *args: Any, **kwargs: Any) -> Any:
        used.append(str(name))
        full = str(shm) if memory == "full" else str(tmp_path) if memory == "nowhere" else None
        if full and str(name).startswith(full) and str(name).endswith(".sh"):
            raise OSError(28, "No space left on device")
        return real_open(name, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy_open)
    page = "```bash\nrm -rf $DIR/\n```\n\n```bash\nrm -rf $HOME/\n```\n"
    (tmp_path / "p").mkdir()
    everything = check_page(tmp_path / "p", page)
    found = [x for x in everything if "shellcheck SC" in x]
    monkeypatch.setattr("builtins.open", real_open)
    if memory == "nowhere":
        assert found == []
        assert [x for x in everything if "shellcheck could not run" in x] == [
            "docs/page.md:1:1: warning: shellcheck could not run: [Errno 28] No space left on "
            "device [RBD303]"
        ]
        assert list(shm.iterdir()) == [] and list(disk.iterdir()) == []
        return
    assert sorted(x.split("shellcheck ")[1][:6] for x in found) == ["SC2115", "SC2115"]
    scripts = [u for u in used if u.endswith(".sh")]
    expected = {"usable": [str(shm)], "full": [str(shm), str(disk)], "missing": [str(disk)]}
    assert sorted({str(Path(u).parent.parent) for u in scripts}) == sorted(expected[memory])
    assert list(shm.iterdir()) == [] and list(disk.iterdir()) == []  # nothing left behind


def test_sessions_are_recognised_by_their_prompts() -> None:
    # `> ` (PowerShell's look) before the first command, path and user@host prompts: each
    # written `$ ` of the same width, so columns stay the reader's.
    assert shell.session_source("# note\n> helm repo up\nout") == "# note\n$ helm repo up\nout"
    assert shell.session_source("/ $ curl x\n<html>") == "$   curl x\n<html>"
    assert shell.session_source("me@box:~/src$ make\nok") == "$" + " " * 13 + "make\nok"
    assert shell.session_source("bash-5.2# id\nuid=0") == "$         id\nuid=0"
    assert shell.session_source("gw:~# snap list\nok") == "$     snap list\nok"
    assert shell.session_source("me@gw:/etc# ls\nok") == "$" + " " * 11 + "ls\nok"
    # Scripts: `> file` truncates (one word), a path command with a comment, plain commands.
    assert shell.session_source("> /var/log/app.log\nsystemctl restart app") is None
    assert shell.session_source("/usr/local/bin/tool # run it") is None
    assert shell.session_source("/opt/app/run.sh # start it\nls") is None
    assert shell.session_source("echo a > b\ncat b") is None
    # The block's own `data-prompt` (not `#`: shell comments); SQL at `mysql> ` is not shell.
    assert shell.output_share("mysql> select sleep(1);\nERROR 1317 (70100): timeout") == 1.0
    assert shell.session_source("db> ls\nout", "db>") == "$   ls\nout"
    assert shell.session_source("# note\nls", "#") is None


def test_statements_read_data_documents_and_here_documents_whole() -> None:
    source = "\n".join(
        [
            "tool metrics | grep total",  # 0: a command
            "total{",  # 1-4: a Prometheus sample on several lines
            '  zone="north",',
            '  kind="web"',
            "} 12",
            "cat <<END | tool apply -f -",  # 5-8: a command with its here-document
            "kind: Thing",
            "name: x",
            "END",
            "{",  # 9-11: a shell group holds commands: not data
            "  echo hi",
            "}",
        ]
    )
    found = [(st.start, st.end, st.output) for st in shell.statements(source)]
    assert found == [
        (0, 0, False),
        (1, 1, True),
        (2, 2, True),
        (3, 3, True),
        (4, 4, True),
        (5, 8, False),
        (9, 9, False),
        (10, 10, False),
        (11, 11, False),
    ]


def test_placeholders_are_read_in_typed_lines_only() -> None:
    from runbookdocs.block import Block

    def block(source: str) -> Block:
        lines = tuple(range(2, 3 + source.count("\n")))
        return Block("p.md", 1, 9, "bash", "bash", source, lines)

    source = "kubectl get svc\nNAME   TYPE   IP\nweb    lb     <none>\n\nkubectl logs <pod>"
    assert shell.typed_lines(block(source), source) == {0, 4}
    # In a block that is mostly output, only lines starting with a well-known command count.
    source = "KIND:  Thing\n\nFIELDS:\n   size   <integer>\n   name   <string>"
    assert shell.typed_lines(block(source), source) == set()


def test_elisions_between_continued_lines_keep_the_command_going() -> None:
    script = "tool install \\\n  --zone north \\\n  ...\n  --replicas=3\n...\n"
    assert shell.mask_elisions(script) == (
        "tool install \\\n  --zone north \\\n  __\\\n  --replicas=3\n...\n"
    )


def test_output_lines_other_programs_print() -> None:
    # Each of these lines is output (a listing, a curl -v trace, an HTTP response, HTML, a
    # kernel log, a progress bar, apt, a client's prompt, SQL, a log line with a parenthesised
    # group, a name and its description in two columns).
    for line in [
        "-rw-r--r--. 1 app app 2.4K Mar 20 20:32 error.log",
        "drwxr-xr-x  2 app app 4.0K Mar 20 20:32 archive",
        "total 44K",
        "* Connected to shop.example.org (10.0.0.5) port 443 (#0)",
        "> GET /cart HTTP/1.1",
        "> Host: shop.example.org",
        "<",
        "< HTTP/1.1 200 OK",
        "HTTP/1.1 502 Bad Gateway",
        "<head><title>502 Bad Gateway</title></head>",
        "</html>",
        "<!DOCTYPE html>",
        "[   61.190916] cloud-init[2076]: ready",
        "image   5% |*        | 39.9M  0:00:15 ETA",
        "Get:1 http://mirror.example.org/x main amd64 y all 1.0 [11.6 kB]",
        "mysql>",
        "/*trace=1*/ SELECT * FROM orders;",
        "unhealthy node increment (1/3) for 'cart-0'",
        "boot/shop.ins   Shop installer for the z machines (default)",
        "Removing shopd-legacy (1.9.2) ...",
    ]:
        assert shell.statements(line) == [shell.Statement(0, 0, True)], line
    # Commands, and redirections that look a little like output, stay commands.
    for line in [
        "> /var/log/app.log",
        "<pod.yaml kubectl apply -f -",
        "echo Done (ok)",
        "cat file > out",
        "ls -l /var/log",
        "grep 50% | wc -l",
        "echo   Ready for the night",
    ]:
        assert shell.statements(line) == [shell.Statement(0, 0, False)], line


def test_lists_and_nested_output() -> None:
    # A YAML list of commands and a list of flags: output, at the top or under output.
    found = shell.statements("late-commands:\n  - touch /x\n  - rm /y")
    assert [st.output for st in found] == [True, True, True]
    found = shell.statements("    --zone <zone>\n    --role primary|replica")
    assert [st.output for st in found] == [True, True]
    # Under a command, a `- item` line is a command (a forgotten `\` stays reported).
    found = shell.statements("tool run\n  - touch /x")
    assert [st.output for st in found] == [False, False]
    # A stack trace's frames, indented under its title, are output; `...` alone is neither.
    source = "tool run\nstack traceback:\n\tf.lua:5: in x\n\tg(h.conf:3):2: in y\n...\nls"
    found = shell.statements(source)
    assert [(st.start, st.output) for st in found] == [
        (0, False),
        (1, True),
        (2, True),
        (3, True),
        (5, False),
    ]


def test_a_loop_typed_at_a_prompt_without_continuation_prompts(tmp_path: Path) -> None:
    page = "```bash\n$ for z in a b; do\n    tool drain $z\n  done\n\n$ tool status\n```\n"
    assert not [f for f in check_page(tmp_path, page) if "[RBD3" in f and "RBD320" not in f]
    # Never closed: the body stays output, and bash says the loop is not closed.
    page = "```bash\n$ for z in a b; do\n    tool drain $z\n$ tool status\n```\n"
    assert [f for f in check_page(tmp_path, page) if "RBD301" in f]


@needs_shellcheck
def test_output_between_commands_hides_no_command_bug(tmp_path: Path) -> None:
    page = (
        "```bash\n"
        "tool reload\n"
        "2026/11/30 10:00:01 [notice] 12#12: signal process started (reload)\n"
        "tool nodes --zone north\n"
        "tool nodes --zone south\n"
        'echo "done\n'
        "```\n"
    )
    found = check_page(tmp_path, page)
    assert [re.sub(r": .*\[", " [", f) for f in found] == [
        "docs/page.md:1:1 [RBD308]",
        "docs/page.md:6:1 [RBD301]",
    ]
    assert "1 shell finding(s)" in found[0]


def test_configuration_tagged_shell_is_another_language() -> None:
    labels = (
        "# the web router\n"
        "proxy.routers.web.rule=Host(`web.example.org`) || Host(`www.example.org`)\n"
        "proxy.routers.<name>.middlewares=zip,<auth>\n"
        'proxy.auth.users="ops:$2y$05$abc/def"\n'
        "proxy_2=https://web.example.org\n"
        "proxy_2.upstream={{upstreams 8000}}\n"
    )
    assert shell.shell_is_other(labels, runbook=False) == shell.KEY_VALUES
    assert shell.shell_is_other("kernel.pid_max=65536", runbook=False) == shell.KEY_VALUES
    rules = "# ops\nops ALL=(root) NOPASSWD: /usr/bin/systemctl restart web\nDefaults env_reset"
    assert shell.shell_is_other(rules, runbook=False) == shell.SUDOERS
    # A runbook's shell block is run: there its findings stand (PowerShell is said anyway).
    assert shell.shell_is_other(labels, runbook=True) is None
    assert shell.shell_is_other("$env:ZONE = 'a'", runbook=True) == shell.POWERSHELL
    # Command lines stay shell: a word, `;`, a pipe, a redirection or `$(` after the value,
    # a quote left open, plain assignments alone, `Defaults` alone, `env NAME=/path cmd`.
    for source in [
        "a.b=1 cmd",
        "a.b=1; cmd",
        "a.b=1 | cmd",
        "a.b=1 > out",
        "a.b=$(hostname)",
        "a.b='open",
        "a.b=x(y",
        "export X=1\na.b=2",
        "X=1\nY=2",
        "Defaults env_reset",
        "env PATH=/usr/local/bin:/usr/bin tool",
        "sudo -u ops tool",
    ]:
        assert shell.shell_is_other(source, runbook=False) is None, source


def test_htpasswd_output_and_a_url_over_lines_are_output() -> None:
    found = shell.statements("ops:$apr1$Xy12$abcDEF/ghi.\nweb:{SHA}qUqP5cyxm6YcTAhz05Hph5gvu9M=")
    assert [st.output for st in found] == [True, True]
    found = shell.statements("https://id.example.org/auth\n?client_id=A1\n&scope=read+write")
    assert [st.output for st in found] == [True, True, True]
    # A command with `&` in it is no query line.
    assert [st.output for st in shell.statements("tool run &\nwait")] == [False, False]


@needs_shellcheck
def test_labels_tagged_bash_are_one_warning_outside_runbooks(tmp_path: Path) -> None:
    page = (
        "```bash\n"
        "proxy.enable=true\n"
        "proxy.routers.<name>.rule=Host(`web.example.org`) && PathPrefix(`/`)\n"
        "```\n"
    )
    # No runbookdocs configuration and no `runbook:` settings: documentation, not a runbook.
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(page, encoding="utf-8")
    found = check_project(tmp_path, "docs/page.md")
    assert [re.sub(r": .*\[", " [", f) for f in lines(found)] == ["docs/page.md:1:1 [RBD309]"]
    # A runbook's block is run: the labels are no commands, and each line says so.
    found = [re.sub(r": .*\[", " [", f) for f in check_page(tmp_path / "rb", page)]
    assert "docs/page.md:2:1 [RBD302]" in found
    assert "docs/page.md:3:1 [RBD301]" in found
    assert "docs/page.md:3:15 [RBD307]" in found


def test_printed_values_are_output_and_tests_are_commands() -> None:
    """Blind round 28 (E): values a program printed (Python lists and bytes, a Rust value,
    `name:(a, b)` fields) are output; `[`, the test command, followed by a space is not."""
    printed = "[]\nb'alpha'\n[(b'x', b'one')]\nFailed(Status { code: Busy })\nr:\"a\" s:(ok, 3)\n"
    assert shell.output_share(printed) == 1.0
    assert shell.output_share('[ "$a" ] && [ "$b" ]\n[ 1 -eq 1 ] || exit 1\n') == 0.0
