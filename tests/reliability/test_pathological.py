"""Pathological pages through the CLI: no traceback, a finding or a clean pass, bounded time."""

from __future__ import annotations

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
