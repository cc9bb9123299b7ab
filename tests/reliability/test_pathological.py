"""Pathological pages through the CLI: no traceback, a finding or a clean pass, bounded time."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.helpers import cli, make_project


@pytest.mark.parametrize(
    ("name", "content", "expect_exit", "message"),
    [
        (
            "nested-lists",
            "".join("  " * i + "* x\n" for i in range(3000))
            + "  " * 3000
            + "```bash\necho deep\n```\n",
            (0, 1),
            None,
        ),
        ("unclosed", "# t\n\n```bash\necho never closed\n", (1,), "fence is never closed"),
        ("nul", "# t\n\x00\n", (1,), "binary file"),
        ("empty", "", (0,), None),
        ("only-fences", "```\n" * 5001, (1,), "never closed"),
        ("deep-quotes", "> " * 500 + "```bash\n" + "> " * 500 + "x\n", (0, 1), None),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 and "\n" not in v else "",
)
def test_pathological_page(
    tmp_path: Path, name: str, content: str, expect_exit: tuple[int, ...], message: str | None
) -> None:
    make_project(tmp_path, {f"docs/{name}.md": "x"})
    (tmp_path / "docs" / f"{name}.md").write_text(content, encoding="utf-8")
    proc = cli("check", "--no-cache", cwd=tmp_path, timeout=120)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.returncode in expect_exit, proc.stdout + proc.stderr
    if message:
        assert message in proc.stdout


def test_50_mb_page_is_refused_clearly(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/ok.md": "# ok\n"})
    big = tmp_path / "docs" / "big.md"
    chunk = "Du texte.\n\n```bash\necho ligne\n```\n" * 1000
    with big.open("w", encoding="utf-8") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk)
    proc = cli("check", "--no-cache", cwd=tmp_path, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    expected = "docs/big.md:1:1: error: file is 50.0 MB, over max_file_mb=16; not checked"
    assert expected in proc.stdout


def test_invalid_utf8_reports_line_and_column(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": "x"})
    (tmp_path / "docs/a.md").write_bytes(b"# titre\n\nune ligne \xe9 latin-1\n")
    proc = cli("check", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1
    assert "docs/a.md:3:11: error: not valid UTF-8 (byte 0xe9)" in proc.stdout


def _alias_bomb(indent: str, name: str = "v") -> str:
    """'Billion laughs': 9 levels of 9 aliases (387 million strings if anything expanded it)."""
    lines = [f'{indent}{name}0: &{name}0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*{name}{i - 1}"] * 9)
        lines.append(f"{indent}{name}{i}: &{name}{i} [{refs}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "content", "expect_exit", "message"),
    [
        ("long-line", "x" * (10 * 1024 * 1024), (0,), None),
        (
            "many-attributes",
            "```bash {" + " ".join(f"a{i}=v" for i in range(5000)) + "}\necho\n```\n",
            (1,),
            "unknown attribute 'a0'",
        ),
        (
            "front-matter-bomb",
            "---\nrunbook:\n  variables:\n" + _alias_bomb("    ") + "---\n# b\n",
            (1,),
            "variable 'v9': the value must be text",
        ),
        (
            "tree-bomb",
            "```decision-tree\n" + _alias_bomb("") + "title: *v9\nstart: s\nnodes:\n"
            "  s:\n    solution: *v9\n```\n",
            (1,),
            "title must be text",
        ),
        ("tree-deep", "```decision-tree\n" + "[" * 5000 + "\n```\n", (1,), "decision tree"),
        ("cr-and-bom", "\ufeff# cr\r\r```bash\recho cr\r```\r", (0,), None),
        ("self-include", '# s\n\n```bash\n--8<-- "docs/self-include.md"\n```\n', (1,), "nested"),
        (
            "2000-blocks",
            "".join(f"```bash {{#b{i}}}\necho {i}\n```\n\n" for i in range(2000)),
            (0,),
            None,
        ),
        (
            "100k-output-lines",
            "```console\n$ seq 100000\n" + "".join(f"{i}\n" for i in range(1, 100001)) + "```\n",
            (0,),
            None,
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 and "\n" not in v else "",
)
def test_more_pathological_pages(
    tmp_path: Path, name: str, content: str, expect_exit: tuple[int, ...], message: str | None
) -> None:
    make_project(tmp_path, {f"docs/{name}.md": "x"})
    (tmp_path / "docs" / f"{name}.md").write_text(content, encoding="utf-8", newline="")
    proc = cli("check", "--no-cache", cwd=tmp_path, timeout=60)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode in expect_exit, proc.stdout[-2000:] + proc.stderr[-2000:]
    if message:
        assert message in proc.stdout


def test_yaml_scalar_plus_underscore_is_a_finding(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": "---\nx: +_\n---\n# a\n\n```yaml\ncle: +_\n```\n"})
    proc = cli("check", "--no-cache", cwd=tmp_path, timeout=60)
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1


def test_a_fifo_named_md_does_not_hang_the_check(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/ok.md": "# ok\n"})
    os.mkfifo(tmp_path / "docs" / "tube.md")
    try:
        proc = cli("check", "--no-cache", cwd=tmp_path, timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("runbookdocs check hung on a FIFO named tube.md")
    assert proc.returncode == 1 and "docs/tube.md" in proc.stdout


def test_a_symlink_loop_is_a_finding(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/ok.md": "# ok\n"})
    (tmp_path / "docs" / "boucle.md").symlink_to("boucle.md")
    proc = cli("check", "--no-cache", cwd=tmp_path, timeout=30)
    assert "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode == 1 and "docs/boucle.md" in proc.stdout
