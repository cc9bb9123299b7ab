"""The defects of the five original manuals, kept in their original form, are caught at their line.

Samples live in tests/samples/seeds/: `NAME.md` is the original manual verbatim (the VTOM and
Altazion ones were Markdown already, the others are text converted from office documents);
`*-run.md` and `publik-json.md` add the smallest wrapper needed to run or parse them (front
matter, a language on the fences, one hidden set-up block), each addition marked in the sample.
The corrected pages are in docs/; see the "Correction" notes there.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("tests/samples/seeds")
FINDING = re.compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*)$"
)


def check(name: str) -> tuple[int, list[tuple[int, str, str]]]:
    """`runbookdocs check` on one sample: exit status and (line, severity, message) findings."""
    proc = subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", "check", "--no-cache", str(SEEDS / name)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    found = []
    for text in proc.stdout.splitlines():
        m = FINDING.match(text)
        if m:
            found.append((int(m["line"]), m["sev"], m["msg"]))
    return proc.returncode, found


def at(findings: list[tuple[int, str, str]], line: int, pattern: str) -> list[str]:
    return [f"{sev}: {msg}" for n, sev, msg in findings if n == line and re.search(pattern, msg)]


# ---------------------------------------------------------------- static defects (check)


def test_vtom_shell_script_fence_headers() -> None:
    """```` ```shell script ```` is dropped by superfences: the three fences are errors."""
    status, found = check("vtom.md")
    assert status == 1
    for line in (84, 94, 103):
        assert at(found, line, r"'script' after the language"), found


def test_vtom_link_to_missing_servers_page() -> None:
    status, found = check("vtom.md")
    assert status == 1
    assert at(found, 82, r"Serveurs\.md.*no such page"), found


def test_altazion_mojibake() -> None:
    _, found = check("altazion.md")
    assert at(found, 36, r"'n\?est'.*mojibake"), found
    assert at(found, 60, r"'d\?une'.*mojibake"), found


def test_altazion_todo_markers() -> None:
    _, found = check("altazion.md")
    assert at(found, 44, r"TODO marker"), found
    assert at(found, 56, r"TODO marker"), found


def test_ocpizza_commands_are_untagged_so_never_checked() -> None:
    """Every command of the OC Pizza manual sits in a bare ``` fence: neither checked nor run."""
    _, found = check("ocpizza.md")
    untagged = {n for n, _, msg in found if "untagged block looks like bash" in msg}
    # 5.1/5.2 start-stop (supervisor typo at 238), 6.x updates (254), 8 backup/restore (278)
    assert untagged == {198, 204, 212, 218, 232, 238, 248, 254, 278, 284}


def test_publik_json_documents_parse_and_match_the_schemas() -> None:
    """Verified, not assumed: both JSON documents of the Publik manual are valid JSON."""
    status, found = check("publik-json.md")
    assert status == 0 and found == []
    import jsonschema

    text = (ROOT / SEEDS / "publik-json.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```json\n(.*?)^```$", text, re.S | re.M)
    config, recipe = (json.loads(b) for b in blocks)
    schemas = ROOT / "schemas"
    for data, name in ((config, "wcs-config"), (recipe, "hobo-recipe")):
        schema = json.loads((schemas / f"{name}.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
    # The schema cannot know that "..." is a placeholder; docs/publik checks it in the sandbox.
    assert recipe["steps"][1]["create-superuser"]["password"] == "..."


def test_canopsis_push_tag_without_dollar() -> None:
    """`docker push canopsislcanopsis-prov:{tag}` pushes a tag literally named "{tag}".

    The `l` typo for `/` cannot be known statically (it is a valid image name); the
    forgotten `$` is reported on both push lines.
    """
    _, found = check("canopsis.md")
    for line in (144, 145):
        assert at(found, line, r"'\{tag\}' is not expanded by the shell: did you mean"), found


# ---------------------------------------------------------------- run-time defects (run)


def run(name: str, tmp_path: Path, **env: str) -> dict[int, dict[str, object]]:
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "runbookdocs.cli",
            "run",
            "--no-cache",
            "--keep-going",
            "--report",
            str(report),
            str(SEEDS / name),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ, **env},
    )
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    return {r["line"]: r for r in data["results"] if r["stage"] == "run"}


@pytest.mark.docker
def test_ocpizza_supervisor_typo_and_mysql_backup(tmp_path: Path) -> None:
    results = run("ocpizza-run.md", tmp_path, DB_PASSWORD="sample-Pass-1")
    # `sudo supervisor stop|restart gunicorn`: the command is supervisorctl
    for line in (21, 29):
        assert results[line]["outcome"] == "failed"
        assert "supervisor: command not found" in str(
            results[line].get("output", "")
        ) or "exited 1" in str(results[line]["message"])
    # `mysql ... > dump_sauvegarde.sql` opens the interactive client: it never ends
    assert results[39]["outcome"] == "failed"
    assert "timed out" in str(results[39]["message"])


@pytest.mark.docker
def test_vtom_interactive_commands_hang(tmp_path: Path) -> None:
    results = run("vtom-run.md", tmp_path)
    assert "timed out" in str(results[95]["message"])  # vi
    assert "exited 127" in str(results[105]["message"])  # gol: root has no such alias
    assert "timed out" in str(results[114]["message"])  # less
