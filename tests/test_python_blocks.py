"""Python blocks: checked by runbookdocs (syntax), run by pytest-markdown-docs in the same pytest
session as runbookdocs' own items, with one fence syntax both read (superfences braces)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.validate_helpers import check_page

FRONT = "---\nrunbook:\n  reviewed: 2026-11-30\n---\n"

PAGE = (
    FRONT
    + """\
# Python

```{.python}
import json
value = json.loads('{"port": 8080}')["port"]
```

```{.python continuation}
assert value == 8080
```

```{.python notest}
this is not python, and pytest-markdown-docs does not run it
```

```bash {#ls}
ls /
```
"""
)


def test_python_blocks_are_compiled(tmp_path: Path) -> None:
    broken = FRONT + "# P\n\n```python\nx = 1\ndef f(:\n    pass\n```\n"
    [found] = check_page(tmp_path, broken)
    assert found.startswith("docs/page.md:9:7: error: python syntax error:")
    assert found.endswith("[RBD340]")
    # A continuation is compiled after the block it continues (as pytest-markdown-docs joins
    # them); the block it continues is compiled alone, as it is run alone.
    joined = FRONT + "# P\n\n```python\nx = 1\n```\n\n```{.python continuation}\nprint(x)\n```\n"
    assert check_page(tmp_path, joined) == []
    alone = FRONT + "# P\n\n```python\nif True:\n```\n\n```{.python continuation}\n    pass\n```\n"
    [found] = check_page(tmp_path, alone)
    assert found.startswith("docs/page.md:8:9: error: python syntax error: expected an indented")
    # A `notest` block is a sketch (pseudo-code, an excerpt): not compiled, not run.
    assert [x for x in check_page(tmp_path, PAGE) if ": error:" in x] == []


def test_pytest_options_are_for_python_blocks(tmp_path: Path) -> None:
    page = FRONT + "# P\n\n```{.bash notest}\nls\n```\n"
    [found] = check_page(tmp_path, page)
    assert "notest: pytest-markdown-docs options are for python blocks, not 'bash'" in found


def test_both_plugins_collect_the_same_page(pytester: pytest.Pytester) -> None:
    pytest.importorskip("pytest_markdown_docs", reason="pip install pytest-markdown-docs")
    pytester.makefile(".toml", pyproject='[tool.runbookdocs]\ndocs_dir = "docs"\n')
    docs = pytester.mkdir("docs")
    (docs / "page.md").write_text(PAGE.replace("this is not python, and", "#"), encoding="utf-8")
    result = pytester.runpytest(
        "--runbookdocs",
        "--markdown-docs",
        "--markdown-docs-syntax=superfences",
        "-v",
        "-p",
        "no:cacheprovider",
        "docs",
    )
    result.assert_outcomes(passed=7)  # runbookdocs: page + 4 blocks; markdown-docs: 2 blocks
    out = result.stdout.str()
    assert "docs/page.md::page PASSED" in out and "docs/page.md::20#ls PASSED" in out
    assert "docs/page.md::[CodeFence#1][line:7] PASSED" in out
    assert "docs/page.md::[CodeFence#2][line:12] PASSED" in out
    assert "[CodeFence#3]" not in out  # the `notest` block is not run
    failing = PAGE.replace("assert value == 8080", "assert value == 80")
    (docs / "page.md").write_text(failing.replace("this is not python, and", "#"), "utf-8")
    again = pytester.runpytest(
        "--runbookdocs",
        "--markdown-docs",
        "--markdown-docs-syntax=superfences",
        "-p",
        "no:cacheprovider",
        "docs",
    )
    again.assert_outcomes(passed=6, failed=1)
    assert "assert value == 80" in again.stdout.str()


def test_python_syntax_is_judged_on_runbook_pages_only(tmp_path: Path) -> None:
    """Documentation that is not a runbook (no runbookdocs configuration, no `runbook:` front
    matter) often tags a Markdown or config example `py`: it renders fine, nothing runs it."""
    from tests.helpers import cli

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "post.md").write_text(
        "# Blog\n\n``` py\n# Hello world!\n\nLorem ipsum dolor sit amet.\n```\n", encoding="utf-8"
    )
    quiet = cli("check", "docs", cwd=tmp_path)
    assert "RBD340" not in quiet.stdout, quiet.stdout
    (docs / "post.md").write_text(
        FRONT + "# Blog\n\n``` py\n# Hello world!\n\nLorem ipsum dolor sit amet.\n```\n",
        encoding="utf-8",
    )
    flagged = cli("check", "docs", cwd=tmp_path)
    assert "[RBD340]" in flagged.stdout and flagged.returncode == 1, flagged.stdout
