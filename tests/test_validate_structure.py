"""Structural checks: targets, attributes that fit the kind, untagged and console blocks."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import cli, make_project
from tests.validate_helpers import check_page

FRONT = "---\nrunbook:\n  reviewed: 2999-01-01\n---\n"


def test_targets(tmp_path: Path) -> None:
    page = FRONT + "```bash {target=debain}\nx\n```\n\n```bash {target=web}\nx\n```\n"
    found = check_page(tmp_path, page, config='[tool.runbookdocs.targets.web]\nimage = "nginx"\n')
    assert found == [
        "docs/page.md:5:10: error: unknown target 'debain' (did you mean 'debian'?) [RBD107]"
    ]


def test_attributes_per_kind(tmp_path: Path) -> None:
    page = FRONT + (
        "```console {file=/etc/x}\n$ ls\n```\n\n"  # 5
        "```yaml {owner=root}\na: 1\n```\n\n"  # 9
        "```toml {schema=s}\na = 1\n```\n\n"  # 13
        "```json {schema=missing}\n{}\n```\n\n"  # 17
        "```ini {timeout=3}\n[a]\n```\n\n"  # 21
        "```json {file=/etc/a.json mode=0600 owner=app:app}\n{}\n```\n"  # 25
    )
    assert check_page(tmp_path, page, {"schemas/s.json": "{}"}) == [
        "docs/page.md:5:13: error: file= writes a block's text into its target; a console "
        "block is not file contents [RBD106]",
        "docs/page.md:9:10: error: owner= needs file=: it applies to the file the block is "
        "written to [RBD106]",
        "docs/page.md:13:10: error: schema= applies to json, yaml and ini blocks, "
        "not 'toml' blocks [RBD106]",
        "docs/page.md:17:10: error: schema 'missing' not found in schemas [RBD207]",
        "docs/page.md:21:9: warning: timeout= has no effect on a ini block: it is never executed "
        "[RBD106]",
    ]


def test_untagged_and_console(tmp_path: Path) -> None:
    page = FRONT + (
        "```\n$ systemctl status app\n```\n\n"
        "```\n# Title of a config file\nkey = value\n```\n\n"
        '```\n{"a": [1, 2]}\n```\n\n'
        "```console\nActive: running\n```\n"
    )
    assert check_page(tmp_path, page) == [
        "docs/page.md:5:1: warning: untagged block looks like console: it is neither checked "
        "nor run [RBD108]",
        "docs/page.md:14:1: warning: untagged block looks like json: it is neither checked "
        "nor run [RBD108]",
        "docs/page.md:18:1: error: console block has no command line ('$ ' or '# ') [RBD304]",
    ]


def test_page_default_target(tmp_path: Path) -> None:
    page = "---\nrunbook:\n  reviewed: 2999-01-01\n  target: mysq\n---\n# T\n"
    assert check_page(tmp_path, page) == [
        "docs/page.md:4:1: error: unknown target 'mysq' in runbook.target (did you mean 'mysql'?) "
        "[RBD107]"
    ]


def test_cli_structure(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "docs/a.md": "# A\n\n```bash {target=nowhere}\nls\n```\n",
            "docs/b.md": "# B\n\n```\n$ ls\n```\n",
        },
    )
    proc = cli("check", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("docs/a.md:3:10: error: unknown target 'nowhere'")
    warn = cli("check", "--no-cache", "docs/b.md", cwd=tmp_path)
    assert warn.returncode == 0
    assert cli("check", "--no-cache", "--strict", "docs/b.md", cwd=tmp_path).returncode == 1
