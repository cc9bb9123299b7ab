"""The pytest plugin, run in-process with pytester: inert by default, one item per block."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

PAGE = """\
---
runbook:
  target: debian
---
# Page

```bash {#first}
echo one
```

Some prose.

```bash {#broken tagret=debian}
echo "b"
```

<!-- runbook: skip-next reason="needs production" -->
```bash
systemctl restart app
```
"""


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makefile(".toml", pyproject='[tool.runbookdocs]\ndocs_dir = "docs"\n')
    docs = pytester.mkdir("docs")
    (docs / "page.md").write_text(PAGE, encoding="utf-8")
    pytester.makepyfile(test_plain="def test_plain():\n    assert True\n")
    return pytester


def test_inert_unless_enabled(project: pytest.Pytester) -> None:
    result = project.runpytest("-q")
    result.assert_outcomes(passed=1)


def test_one_item_per_block_named_line_id(project: pytest.Pytester) -> None:
    result = project.runpytest("--runbookdocs", "--collect-only", "-q")
    out = result.stdout.str().splitlines()
    assert "docs/page.md::page" in out
    assert "docs/page.md::7#first" in out
    assert "docs/page.md::13#broken" in out
    assert "docs/page.md::18" in out


def test_verbose_node_ids_can_be_given_back(project: pytest.Pytester) -> None:
    shown = project.runpytest("--runbookdocs", "-v", "-p", "no:cacheprovider").stdout.lines
    [line] = [x for x in shown if x.startswith("docs/page.md::7#first ")]
    node = line.split()[0]
    assert node == "docs/page.md::7#first"
    again = project.runpytest("--runbookdocs", "-p", "no:cacheprovider", node)
    again.assert_outcomes(passed=1)


def test_paths_given_narrow_the_collection(project: pytest.Pytester) -> None:
    other = project.mkdir("docs/web")
    (other / "web.md").write_text("# Web\n\n```bash {#w}\necho w\n```\n", encoding="utf-8")
    everything = project.runpytest("--runbookdocs", "--collect-only", "-q")
    assert "docs/web/web.md::3#w" in everything.stdout.lines
    assert "test_plain.py::test_plain" in everything.stdout.lines
    narrowed = project.runpytest("--runbookdocs", "--collect-only", "-q", "docs/web")
    ids = [x for x in narrowed.stdout.lines if "::" in x]
    assert ids == ["docs/web/web.md::page", "docs/web/web.md::3#w"]


def test_failure_reads_like_the_page(project: pytest.Pytester) -> None:
    result = project.runpytest("--runbookdocs", "-q")
    result.assert_outcomes(passed=4, failed=1)
    out = result.stdout.str()
    assert "13 | ```bash {#broken tagret=debian}" in out
    assert '14 | echo "b"' in out
    assert "docs/page.md:13:" in out and "did you mean 'target'?" in out
    assert "runbookdocs/validate" not in out and "pytest_plugin.py" not in out


def test_enabled_by_ini_option(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\nrunbookdocs = check\n")
    result = project.runpytest("-q")
    result.assert_outcomes(passed=4, failed=1)


def test_import_is_light() -> None:
    """The pytest11 entry point loads in every session: no heavy module may come with it."""
    code = textwrap.dedent("""
        import sys, runbookdocs.pytest_plugin
        heavy = [m for m in ("docker", "testcontainers", "pexpect", "jsonschema", "sqlglot",
                             "rich", "ruamel", "markdown") if m in sys.modules]
        print(",".join(heavy))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_malformed_var_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("--runbookdocs", "--runbookdocs-var", "no-equals-sign")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--runbookdocs-var 'no-equals-sign': write NAME=VALUE*"])


@pytest.mark.docker
def test_a_run_failure_points_at_the_command_that_failed(pytester: pytest.Pytester) -> None:
    """`--runbookdocs-run` runs blocks with the same runners as `runbookdocs run`: a shell block
    fails at its first failing command, and the page line of that command is marked."""
    pytester.makefile(".toml", pyproject='[tool.runbookdocs]\ndocs_dir = "docs"\n')
    docs = pytester.mkdir("docs")
    (docs / "page.md").write_text(
        "# Copie\n\n```bash {#copie}\nmkdir -p /srv/app\ncp /etc/missing.conf /srv/app/\n"
        'echo "copied"\n```\n',
        encoding="utf-8",
    )
    result = pytester.runpytest("--runbookdocs-run", "-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    assert "5>| cp /etc/missing.conf /srv/app/" in out
    assert "4 | mkdir -p /srv/app" in out
    assert (
        "docs/page.md:5:1: error: shell block #copie: `cp /etc/missing.conf /srv/app/` exited 1"
        in out
    )
    assert "cannot stat '/etc/missing.conf'" in out


@pytest.mark.docker
def test_run_options_of_the_cli(pytester: pytest.Pytester) -> None:
    """`--runbookdocs-generate-secrets` and `--runbookdocs-no-cache`, as `run` has them."""
    pytester.makefile(
        ".toml", pyproject='[tool.runbookdocs]\ndocs_dir = "docs"\nimages = "local"\n'
    )
    docs = pytester.mkdir("docs")
    (docs / "page.md").write_text(
        "---\nrunbook:\n  secrets: {API_TOKEN: a token}\n---\n"
        '# Jeton\n\n```bash {#jeton}\ntest -n "$API_TOKEN"\n```\n',
        encoding="utf-8",
    )
    missing = pytester.runpytest("--runbookdocs-run", "-q", "-p", "no:cacheprovider")
    missing.assert_outcomes(passed=1, failed=1)
    assert "secret 'API_TOKEN' is not set in the environment" in missing.stdout.str()
    given = pytester.runpytest(
        "--runbookdocs-run",
        "--runbookdocs-generate-secrets",
        "--runbookdocs-no-cache",
        "-q",
        "-p",
        "no:cacheprovider",
    )
    given.assert_outcomes(passed=2)
