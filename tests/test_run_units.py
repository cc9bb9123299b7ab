"""The run engine's pieces that need no container: values, redaction, SQL expectations, shards,
target specs, and the messages when Docker is missing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from runbookdocs.config import Config, load_config
from runbookdocs.document import Document, parse_document
from runbookdocs.run.engine import RunOptions, run_documents, select_shard
from runbookdocs.run.redact import Redactor
from runbookdocs.run.targets import BUILTIN_TARGETS, owner_alive, owner_token, target_specs
from runbookdocs.transcript import sql_expected
from runbookdocs.variables import resolve
from tests.helpers import cli, make_project

PAGE = """---
runbook:
  variables:
    a: front
    b: front
    c: front
    d: front
  secrets:
    TOKEN: jeton
---
```bash
echo {{ a }} {{ b }} {{ c }} {{ d }} {{ TOKEN }} {{ nope }}
```
"""


def _doc(tmp_path: Path, text: str = PAGE, config: str = "") -> tuple[Document, Config]:
    make_project(tmp_path, {"docs/p.md": text}, config)
    cfg = load_config(start=tmp_path)
    doc = parse_document(text, path="docs/p.md", file=tmp_path / "docs/p.md", config=cfg)
    return doc, cfg


def test_variable_precedence_and_secrets_from_the_environment(tmp_path: Path) -> None:
    doc, cfg = _doc(tmp_path, config='variables = { b = "config", c = "config", d = "config" }\n')
    env = {"RUNBOOK_VAR_c": "env", "RUNBOOK_VAR_d": "env", "TOKEN": "t0k"}
    values = resolve(doc, cfg, {"d": "cli"}, env)
    assert dict(values.variables) == {"a": "front", "b": "config", "c": "env", "d": "cli"}
    assert dict(values.secrets) == {"TOKEN": "t0k"}
    text, unknown = values.substitute(doc.blocks[0].source)
    assert text == "echo front config env cli t0k {{ nope }}"
    assert unknown == ["nope"]
    missing = resolve(doc, cfg, {}, {})
    assert missing.missing_secrets == ("TOKEN",)


def test_redactor_masks_longest_first_and_terminal_line_endings() -> None:
    redact = Redactor(["abc", "abcdef", "two\nlines", ""])
    assert redact("x abcdef y abc") == "x *** y ***"
    assert redact("two\r\nlines") == "***"
    assert not Redactor([""])


def test_sql_expectations() -> None:
    source = "SELECT 1 AS n;\n-- expect:\n-- n\n-- 1\n--\n\n-- ...\nSELECT 2;"
    assert sql_expected(source) == (["n", "1", "", "..."], 1)
    assert sql_expected("SELECT 1;") == (None, 0)


def test_shards_are_a_stable_partition() -> None:
    paths = [f"docs/p{i}.md" for i in range(40)]
    shards = [select_shard(paths, (k, 3)) for k in (1, 2, 3)]
    assert set().union(*shards) == set(paths)
    assert sum(len(s) for s in shards) == len(paths)
    assert select_shard(paths[:10], (2, 3)) == shards[1] & set(paths[:10])


def test_project_targets_merge_over_builtin_ones(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {},
        """
        [tool.runbookdocs.targets.postgres]
        image = "postgres:15"
        env = { POSTGRES_PASSWORD = "autre" }
        [tool.runbookdocs.targets.app]
        image = "debian:bookworm-slim"
        memory = "256m"
        """,
    )
    specs = target_specs(load_config(start=tmp_path))
    pg = specs["postgres"]
    assert pg.image == "postgres:15"
    assert pg.env["PGPASSWORD"] == "autre" and pg.env["PGDATABASE"] == "runbook"
    assert pg.sql == BUILTIN_TARGETS["postgres"].sql
    assert specs["app"].memory == "256m" and specs["app"].sql is None


def test_owner_tokens() -> None:
    assert owner_alive(owner_token())
    assert not owner_alive(owner_token().rsplit(":", 2)[0] + ":999999999:1")


def test_no_runnable_block_needs_no_docker(tmp_path: Path) -> None:
    doc, cfg = _doc(tmp_path, "# rien\n\n```json\n{}\n```\n")
    report = run_documents([doc], cfg, RunOptions())
    assert report.results == []


def test_missing_docker_is_exit_2_with_a_hint(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/p.md": "```bash\ntrue\n```\n"})
    proc = cli("run", cwd=tmp_path, env={"DOCKER_HOST": "unix:///nonexistent/docker.sock"})
    assert proc.returncode == 2
    assert "Docker is not available" in proc.stderr
    assert "Hint:" in proc.stderr


def test_cli_start_imports_nothing_heavy() -> None:
    code = (
        "import sys, runbookdocs.cli as c; c.build_parser(); "
        "print([m for m in ('docker', 'testcontainers', 'pexpect') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
