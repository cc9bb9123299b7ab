"""Depth limits on every parser input: 30,000 nested `[` (60 KB) in front matter, a YAML or
JSON block or a decision tree is a located finding from `check`, never a crash (libyaml's
composer overflowed the C stack: exit 139, no message, no report for the other pages); `run`
reads such pages without crashing; `timeout: .inf` is a finding of `check`."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from runbookdocs.config import load_config
from runbookdocs.document import read_document
from tests.helpers import cli, make_project

DEEP = "[" * 30_000

PAGES = {
    "front-matter": (f"---\ntitle: {DEEP}\n---\n# x\n", 2, "RBD003"),
    "yaml": (f"# y\n\n```yaml\nk: {DEEP}\n```\n", 4, "RBD202"),
    "tree": (f"# t\n\n```decision-tree\ntitle: {DEEP}\n```\n", 4, "RBD601"),
    "json": (f"# j\n\n```json\n{DEEP}{']' * 30_000}\n```\n", 4, "RBD201"),
    "compact": ("# c\n\n```yaml\n" + "- " * 30_000 + "x\n```\n", 4, "RBD202"),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_deep_nesting_is_a_located_finding_and_the_other_pages_are_reported(
    tmp_path: Path, name: str
) -> None:
    text, line, code = PAGES[name]
    root = make_project(
        tmp_path, {"docs/deep.md": text, "docs/ok.md": "# ok\n\n```bash\necho ok\n```\n"}
    )
    proc = cli("check", "--report", "r.json", cwd=root, timeout=60)
    assert proc.returncode == 1, (proc.returncode, proc.stdout[-500:], proc.stderr[-500:])
    assert f"docs/deep.md:{line}:" in proc.stdout and f"[{code}]" in proc.stdout, proc.stdout
    report = json.loads((root / "r.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in report["results"]} == {"docs/deep.md", "docs/ok.md"}
    # `run` reads the same page (the engine's reader) without crashing.
    config = load_config(start=root)
    doc = read_document(root / "docs" / "deep.md", config)
    assert doc.readable


@pytest.mark.parametrize("value", [".inf", ".nan", "-1", "1e12"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_found_by_check(
    tmp_path: Path, value: str
) -> None:
    root = make_project(
        tmp_path, {"docs/t.md": f"---\nrunbook:\n  timeout: {value}\n---\n```bash\ntrue\n```\n"}
    )
    proc = cli("check", cwd=root)
    assert proc.returncode == 1
    assert "docs/t.md:3:" in proc.stdout and "'runbook.timeout' must be a number" in proc.stdout


def _check_self_loops(tmp_path: Path, n: int) -> tuple[subprocess.CompletedProcess[str], float]:
    lines = ["# t", "", "```decision-tree", "title: big", "start: n0", "nodes:"]
    for i in range(n):
        lines += [f"  n{i}:", f"    action: a{i}", f"    next: n{i}"]
    root = make_project(tmp_path / str(n), {"docs/t.md": "\n".join([*lines, "```", ""])})
    # Outside coverage's tracer, which would weigh on both sizes unevenly.
    plain = {k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "COV_CORE_"))}
    proc = cli("check", "--no-cache", cwd=root, timeout=180, env=plain)
    assert proc.returncode == 1
    return proc, float(proc.stderr.rsplit(" in ", 1)[1].split(" s")[0])


def test_a_tree_of_20000_self_loops_is_checked_in_linear_time(tmp_path: Path) -> None:
    """Judged as a ratio measured in the same test (a loaded machine slows both sizes): 4x the
    nodes costs about 4x when linear, 16x when quadratic (53 s for 20,000 nodes when the order
    of the nodes was rebuilt per loop)."""
    _, small = _check_self_loops(tmp_path, 5_000)
    proc, big = _check_self_loops(tmp_path, 20_000)
    assert big < 10 * max(small, 0.5), (small, big)
    assert proc.stdout.count("has no node with max_visits") == 20_000


def test_a_long_cycle_is_named_in_a_message_not_the_whole_graph(tmp_path: Path) -> None:
    lines = ["# t", "", "```decision-tree", "title: ring", "start: n0", "nodes:"]
    for i in range(500):
        lines += [f"  n{i}:", f"    action: a{i}", f"    next: n{(i + 1) % 500}"]
    root = make_project(tmp_path, {"docs/t.md": "\n".join([*lines, "```", ""])})
    proc = cli("check", "--no-cache", cwd=root)
    (message,) = [ln for ln in proc.stdout.splitlines() if "has no node with max_visits" in ln]
    ends = "n0 -> n1 -> n2 -> n3 -> n4 -> ... -> n495 -> n496 -> n497 -> n498 -> n499"
    assert f"{ends} -> n0 (500 nodes)" in message
    assert len(message) < 300


def test_an_include_bomb_is_bounded_and_said_once(tmp_path: Path) -> None:
    files = {"docs/b.md": '# b\n\n--8<-- "snippets/s0.md"\n', "snippets/s9.md": "x\n"}
    for i in range(9):
        files[f"snippets/s{i}.md"] = f'--8<-- "snippets/s{i + 1}.md"\n' * 10
    root = make_project(tmp_path, files)
    proc = cli("check", "--no-cache", "--report", "r.json", cwd=root, timeout=60)
    assert proc.returncode == 1
    seconds = float(proc.stderr.rsplit(" in ", 1)[1].split(" s")[0])
    assert seconds < 5, seconds  # 10^9 includes before the budget
    assert "includes on this page: the rest are not included" in proc.stdout
    results = json.loads((root / "r.json").read_text(encoding="utf-8"))["results"]
    assert len(results) < 50  # each problem said once, not once per expansion
