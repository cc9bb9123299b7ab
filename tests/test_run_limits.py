"""Every wait is bounded, output is read in linear time and bounded memory, `--update` writes
what reads back the same, and a page `run` cannot read is reported like `check` reports it.
Proved on the engine with the confined local shells of `tests.fakes` (the Docker path is
proved in `tests/reliability/`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from runbookdocs.run.session import HEAD, TAIL
from tests.helpers import ROOT, cli, make_project
from tests.test_run_engine import Project, backend, outcomes, project, rendered

__all__ = ["backend", "project"]  # fixtures, imported for pytest

CATASTROPHIC = "(a|aa)+$"
"""Exponential backtracking on a run of `a` followed by something else."""


# -- patterns from pages run with a time limit ---------------------------------------------------


def test_a_backtracking_re_line_is_stopped_and_reported(project: Project) -> None:
    project.page(
        "p.md",
        f"""
        ```console
        $ printf '%s!\\n' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        {CATASTROPHIC} (re)
        ```

        ```console
        $ printf '%s!\\n' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
        {CATASTROPHIC} (re)
        ```
        """,
    )
    t0 = time.monotonic()
    report = project.run("p.md", keep_going=True)
    # One stop per pattern (0.5 s), not one per comparison of the alignment.
    assert time.monotonic() - t0 < 5
    assert outcomes(report) == ["failed", "failed"]
    codes = [f.code for f in report.results[0].findings]
    assert codes == ["RBD702", "RBD713"], rendered(report.results[0])
    slow = report.results[0].findings[1]
    assert slow.location.line == 3 and "took longer than 0.5 s" in slow.message


def test_a_backtracking_answer_prompt_keeps_the_block_within_its_timeout(
    project: Project,
) -> None:
    project.page(
        "p.md",
        f"""
        <!-- runbook: answer prompt="{CATASTROPHIC}" value="yes" -->
        ```bash {{timeout=2}}
        printf 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa?'
        read -r answer
        ```
        """,
    )
    t0 = time.monotonic()
    (result,) = project.run("p.md").results
    assert time.monotonic() - t0 < 9  # 2 s, then the recovery (13.9 s before the limit)
    assert [f.code for f in result.findings] == ["RBD703", "RBD713"], rendered(result)
    assert "it was not used" in result.findings[1].message


# -- output floods -----------------------------------------------------------------------------

FLOOD = """
import json, sys, time
from pathlib import Path
from runbookdocs.config import load_config
from runbookdocs.document import read_document
from runbookdocs.run.engine import RunOptions, run_documents
from tests.fakes import LocalBackend

root = Path(sys.argv[1])
cfg = load_config(start=root)
doc = read_document(root / "docs" / "flood.md", cfg)
backend = LocalBackend()
t0 = time.monotonic()
report = run_documents(
    [doc], cfg, RunOptions(backend=backend, use_cache=False, environ={"TOKEN": sys.argv[2]},
                           update=sys.argv[3] == "update")
)
backend.cleanup()
print(json.dumps({
    "seconds": time.monotonic() - t0,
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would report the pytest
    # worker this process was forked from (180 MB late in a full run), not the runner.
    "rss_mb": next(int(line.split()[1]) for line in open("/proc/self/status")
                   if line.startswith("VmHWM:")) / 1024,
    "results": [r.to_json() for r in report.results],
}))
"""


def flood(tmp_path: Path, page: str, secret: str, *, update: bool = False) -> dict[str, Any]:
    make_project(tmp_path, {"docs/flood.md": page})
    proc = subprocess.run(
        [sys.executable, "-c", FLOOD, str(tmp_path), secret, "update" if update else "run"],
        cwd=tmp_path,
        # Not under coverage's tracer (the suite measures subprocesses): its memory and time
        # would be counted as the runner's.
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("COVERAGE_", "COV_CORE_"))},
            "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_a_flood_of_output_is_read_in_linear_time_and_bounded_memory(tmp_path: Path) -> None:
    secret = "flood-secret-value-9"
    size = 40_000_000
    # The secret is printed at the end of the head and at the start of the tail that are kept,
    # where cutting the output would leave a piece of it.
    head_cut = HEAD - len(secret) // 2
    tail_cut = TAIL - len(secret) // 2 - 2  # the line ends with CRLF
    page = f"""
    ---
    runbook:
      secrets: {{TOKEN: a token}}
    ---
    ```bash {{timeout=60}}
    head -c {head_cut} /dev/zero | tr '\\0' a; printf '%s' "$TOKEN"
    yes "$(printf '%099d' 0)" | head -c {size}
    printf '%s' "$TOKEN"; head -c {tail_cut} /dev/zero | tr '\\0' b; echo
    false
    ```
    """
    data = flood(tmp_path, textwrap.dedent(page), secret)
    (result,) = data["results"]
    assert result["outcome"] == "failed"
    assert data["seconds"] < 30, data["seconds"]
    assert data["rss_mb"] < 150, data["rss_mb"]
    # Head and tail kept, with a note of what was left out; the secret masked on both sides
    # of both cuts (its pieces would otherwise survive).
    output = result["output"]
    assert "characters not kept ...]" in output
    text = json.dumps(data)
    assert secret not in text and secret[:10] not in text and secret[-10:] not in text


def test_update_never_records_output_it_could_not_keep_whole(tmp_path: Path) -> None:
    page = textwrap.dedent(
        f"""
        ```console
        $ yes "$(printf '%099d' 0)" | head -c {HEAD + TAIL + 1000}
        short
        ```
        """
    )
    data = flood(tmp_path, page, "unused-secret", update=True)
    (result,) = data["results"]
    assert result["outcome"] == "failed"
    codes = [f["code"] for f in result["findings"]]
    assert "RBD715" in codes, result
    assert (tmp_path / "docs" / "flood.md").read_text(encoding="utf-8") == page.lstrip("\n")


# -- --update writes what reads back the same ---------------------------------------------------


def test_update_escapes_placeholders_and_includes_and_reads_back_the_same(
    project: Project,
) -> None:
    page = project.page(
        "p.md",
        """
        ---
        runbook:
          variables: {name: monde}
        ---
        ```console
        $ printf '%s\\n' 'Bonjour {''{ name }}' '--8<-- "secret.txt"' ';--8<-- "x.md"' '{''{x}}'
        old
        ```
        """,
    )
    (project.root / "docs" / "secret.txt").write_text("included text\n", encoding="utf-8")
    updated = project.run("p.md", update=True)
    assert [r.updated for r in updated.results] == [True], rendered(updated.results[0])
    text = page.read_text(encoding="utf-8")
    output = text.split("```console\n")[1].split("\n")[1:]
    assert len(output) == 6 and all(line.endswith(" (re)") for line in output[:4]), text
    body = "\n".join(output)
    assert "{{" not in body and "--8<--" not in body and "included text" not in body
    # Read back: the next run passes as written, and a second update changes nothing.
    again = project.run("p.md")
    assert outcomes(again) == ["passed"], rendered(again.results[0])
    project.run("p.md", update=True)
    assert page.read_text(encoding="utf-8") == text


def test_update_refuses_control_characters(project: Project) -> None:
    page = project.page(
        "p.md",
        """
        ```console
        $ printf 'a\\007b\\n\\033cterminal reset\\nnul:\\000:\\n'
        old
        ```
        """,
    )
    before = page.read_bytes()
    (result,) = project.run("p.md", update=True).results
    assert result.outcome == "failed"
    (finding,) = [f for f in result.findings if f.code == "RBD715"]
    assert "\\x07 at column 2" in finding.message
    assert page.read_bytes() == before


def test_update_writes_through_a_symlinked_page_and_keeps_the_link(project: Project) -> None:
    real = project.page(
        "shared/real.md",
        """
        ```console
        $ echo nouveau
        ancien
        ```
        """,
    )
    link = project.root / "docs" / "lien.md"
    link.symlink_to(real)
    report = project.run("lien.md", update=True)
    assert [r.updated for r in report.results] == [True]
    assert link.is_symlink() and link.resolve() == real
    assert "nouveau" in real.read_text(encoding="utf-8")
    # A link that leads out of the project is not written through.
    outside = project.root.parent / f"{project.root.name}-outside.md"
    outside.write_text("```console\n$ echo nouveau\nancien\n```\n", encoding="utf-8")
    try:
        (project.root / "docs" / "dehors.md").symlink_to(outside)
        (result,) = project.run("dehors.md", update=True).results
        assert result.outcome == "failed" and "outside the project" in result.message
        assert "ancien" in outside.read_text(encoding="utf-8")
    finally:
        outside.unlink()


# -- pages run cannot read, timeouts it cannot use -----------------------------------------------


@pytest.mark.parametrize(
    ("data", "where", "message"),
    [
        (b"# x\n\xe9t\xe9\n```bash\nfalse\n```\n", "docs/bad.md:2:1", "not valid UTF-8"),
        (b"# x\n\n```bash\necho \x00\n```\n", "docs/bad.md:4:1", "NUL"),
    ],
)
def test_run_refuses_a_page_it_cannot_read_like_check(
    tmp_path: Path, data: bytes, where: str, message: str
) -> None:
    root = make_project(tmp_path, {"docs/bad.md": data, "docs/ok.md": "# ok\n"})
    proc = cli("run", "--report", "r.json", cwd=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{where}: error:" in proc.stdout and message in proc.stdout
    assert "[RBD002]" in proc.stdout
    (result,) = json.loads((root / "r.json").read_text(encoding="utf-8"))["results"]
    assert result["outcome"] == "failed" and result["kind"] == "page"
    assert "1 runbook(s)" in proc.stderr
    check = cli("check", "docs/bad.md", cwd=root)
    assert check.returncode == 1 and f"{where}: error:" in check.stdout


def test_a_page_timeout_check_refuses_is_not_used_by_run_either(project: Project) -> None:
    # `check` reports `timeout: .inf` (tests/test_parser_limits.py); the page's blocks then
    # run with the project's timeout instead of crashing the run.
    project.page("p.md", "---\nrunbook:\n  timeout: .inf\n---\n```bash\ntrue\n```\n")
    (result,) = project.run("p.md").results
    assert result.outcome == "passed", rendered(result)


def test_a_project_timeout_of_inf_is_a_finding_not_a_crash(project: Project) -> None:
    project.page("p.md", "```bash\ntrue\n```\n")
    (result,) = project.run("p.md", config="timeout = inf\n").results
    assert [f.code for f in result.findings] == ["RBD714"], rendered(result)
    assert "the project's timeout is inf" in result.message


# -- what a block does to the runner's directory -------------------------------------------------


def test_removing_the_runners_directory_is_survived_or_said(project: Project) -> None:
    project.page(
        "p.md",
        """
        ```bash
        rm -rf "${TMPDIR:-/tmp}"/.runbookdocs.* /dev/shm/.runbookdocs.* 2>/dev/null || true
        ```

        ```bash
        echo "the runner made its directory again"
        ```

        ```bash
        for d in "${TMPDIR:-/tmp}"/.runbookdocs.*; do rm -rf "$d" && touch "$d"; done
        ```

        ```bash {#bloque}
        echo never
        ```
        """,
    )
    report = project.run("p.md")
    assert outcomes(report) == ["passed", "passed", "passed", "error"]
    message = report.results[3].message
    assert "was removed, and cannot be created again" in message
    assert "disk full" not in message
