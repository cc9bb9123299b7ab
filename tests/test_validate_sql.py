"""SQL syntax with sqlglot: dialect from the target, `-- expect:` skipped, lazy import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from runbookdocs.block import Block
from runbookdocs.config import Config, TargetConfig
from runbookdocs.validate.sql import dialect, sql_text
from tests.helpers import cli, make_project
from tests.validate_helpers import check_page


def test_error_line_and_expect_section(tmp_path: Path) -> None:
    page = (
        "```sql {target=mysql}\nSELECT 1;\nSELECT * FROM t WHERE;\n-- expect:\n-- 1\n"
        "-- ((( not sql\n```\n\n```psql\n\\dt\nSELECT 1;\n```\n"
    )
    assert check_page(tmp_path, page) == [
        "docs/page.md:3:17: error: SQL syntax error (mysql): incomplete WHERE clause near 'WHERE' "
        "[RBD401]"
    ]


def test_unclosed_quote(tmp_path: Path) -> None:
    found = check_page(tmp_path, "```sql\nSELECT 1;\nSELECT 'oops;\n```\n")
    assert found == [
        "docs/page.md:3:1: error: SQL syntax error: unclosed quote or comment [RBD401]"
    ]


def test_dialects(tmp_path: Path) -> None:
    config = Config(
        tmp_path,
        tmp_path,
        tmp_path,
        tmp_path,
        tmp_path,
        tmp_path,
        targets={"db": TargetConfig("db", image="x", base="postgres")},
    )

    def block(lang: str, **attrs: str) -> Block:
        return Block("p.md", 1, 3, lang, lang, "SELECT 1", (2,), attrs=attrs)

    assert dialect(block("sql", target="mysql"), config) == "mysql"
    assert dialect(block("sql", target="db"), config) == "postgres"
    assert dialect(block("mariadb"), config) == "mysql"
    assert dialect(block("psql"), config) == "postgres"
    assert dialect(block("sql", target="debian"), config) is None
    assert sql_text("SELECT 1\\G\n-- expect:\n-- x") == "SELECT 1;\n\n"


def test_sqlglot_and_jsonschema_are_not_imported_at_start_up() -> None:
    code = (
        "import sys, runbookdocs.cli, runbookdocs.validate as v; v.load_validators(); "
        "print(sorted(m for m in ('sqlglot', 'jsonschema') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cli_sql(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {
            "docs/a.md": "# A\n\n```sql\nSELEC 1;\n```\n",
            "docs/b.md": "# B\n\n```sql\nSELECT 1;\n```\n",
        },
    )
    proc = cli("check", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "docs/a.md:4:7: error: SQL syntax error (generic SQL): Invalid expression / Unexpected "
        "token near '1' [RBD401]"
    ]
    assert cli("check", "--no-cache", "docs/b.md", cwd=tmp_path).returncode == 0


def test_client_sessions_are_read_as_typed() -> None:
    session = "mysql> SELECT 1;\n+---+\n| 1 |\n+---+\nmysql> SELECT a,\n    ->   b FROM t;\n"
    assert sql_text(session) == "       SELECT 1;\n\n\n\n       SELECT a,\n         b FROM t;\n"
    psql = "db=# SELECT a\nFROM t;\n a\n---\n(0 rows)\ndb=# \\q"
    assert sql_text(psql) == "     SELECT a\nFROM t;\n\n\n\n"
    # Not a session: a first line without a prompt keeps every line.
    assert sql_text("SELECT 1\n> 2;") == "SELECT 1\n> 2;"


def test_vendor_statements_are_not_parsed_but_misspelt_keywords_are(tmp_path: Path) -> None:
    page = (
        "```sql\nRESTORE DATABASE shop FROM LATEST IN 'gs://b';\nSELECT 1;\n```\n\n"
        "```sql\nSELCT 1;\n```\n\n```sql\nCANCEL JOB 12;\nSELECT * FROM t WHERE;\n```\n"
    )
    found = check_page(tmp_path, page)
    assert [f.split(": error")[0] for f in found] == ["docs/page.md:7:7", "docs/page.md:12:17"]


def test_a_keyword_with_a_vendor_prefix_is_no_typo() -> None:
    from runbookdocs.validate.sql import _extends_keyword

    assert _extends_keyword("VEXPLAIN") and _extends_keyword("EXPLAINX")
    # Typos: letters dropped, swapped or changed, or typed twice at the keyword's edge.
    for typo in ("SELEC", "SLECT", "SELCT", "SSELECT", "SELECTT", "EXPLAN"):
        assert not _extends_keyword(typo), typo


def test_client_commands_shell_lines_and_here_documents_are_not_sql() -> None:
    # The client's `use` needs no `;` and takes the name as written (`ks/-80`).
    assert sql_text("mysql> use ks/-80\nDatabase changed\nmysql> SELECT 1;") == (
        "\n\n       SELECT 1;"
    )
    assert sql_text("USE ks@replica;\nSELECT 1;") == "\nSELECT 1;"
    # A session opened from the shell, or after a comment.
    shell = "$ mysql -h db\n...\n\nmysql> SELECT 1;\n+---+"
    assert sql_text(shell) == "\n\n\n       SELECT 1;\n"
    assert sql_text("-- note\nmysql> SELECT 1;\n| 1 |") == "\n       SELECT 1;\n"
    # Without a later prompt, a first comment is SQL like the rest.
    assert sql_text("-- note\nSELECT 1;") == "-- note\nSELECT 1;"
    # A here-document fed to the client: its body is the SQL.
    assert sql_text("$ cat <<EOF | mysql db\nSELECT 1;\nEOF") == "\nSELECT 1;\n"
    assert sql_text("SELECT a << b\nFROM t;") == "SELECT a << b\nFROM t;"  # a shift


def test_messages_name_the_token_not_its_dump(tmp_path: Path) -> None:
    found = check_page(tmp_path, "```sql\nDROP TABLE (;\n```\n")
    assert len(found) == 1 and "Expected table name but got '('" in found[0], found


def test_placeholders_and_other_dialects_are_read_but_real_errors_stay(tmp_path: Path) -> None:
    """Blind round 5: `{table_name}` to fill in, and `PRIMARY KEY (c ASC)` (SQL Server, SQLite,
    MySQL; sqlglot's generic dialect rejects it) are correct pages; a missing table is not."""
    page = (
        "```sql\nSELECT * FROM {table_name} WHERE id = <id>;\n"
        "CREATE TABLE t (id INT, PRIMARY KEY (id ASC));\n"
        "SELECT a FROM t WHERE a<b AND b>c;\n```\n\n"
        "```sql\nSELECT * FROM {table_name WHERE id = 1;\n```\n\n"
        "```sql\nSELECT * FROM t WHERE;\n```\n\n"
        "```postgresql\nCREATE TABLE t (id INT, PRIMARY KEY (id ASC));\n```\n"
    )
    found = check_page(tmp_path, page)
    assert [f.split(": error")[0] for f in found] == [
        "docs/page.md:8:15",
        "docs/page.md:12:17",
        "docs/page.md:16:41",
    ], found


def test_a_result_table_tagged_sql_is_one_warning_outside_runbooks(tmp_path: Path) -> None:
    """Outside a runbook project (a folder without configuration) a result table tagged `sql`
    is one RBD208 warning; a runbook page keeps the parse error."""
    table = (
        "```sql\n+----+------+\n| id | name |\n+----+------+\n|  1 | a    |\n+----+------+\n```\n"
    )
    (tmp_path / "page.md").write_text("# Output\n\n" + table, encoding="utf-8")
    proc = cli("check", "--no-cache", "page.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        "page.md:4:1: warning: this sql block is not valid SQL but looks like a query's result "
        "table: it is tagged with the wrong language [RBD208]",
        "    Hint: tag it text (a runbook page keeps the parse error: its blocks must parse as "
        "tagged)",
    ]
    runbook = check_page(tmp_path, table)
    assert len(runbook) == 1 and "error: SQL syntax error" in runbook[0], runbook


def test_function_options_in_postgresql_order(tmp_path: Path) -> None:
    """Blind round 17: PostgreSQL takes `LANGUAGE sql SECURITY DEFINER` (options in any order),
    which sqlglot reads as MySQL's `SQL SECURITY`; MySQL itself wants `SQL SECURITY`, and a
    misspelt option or a missing parenthesis is still an error."""
    function = "CREATE FUNCTION f(t text) RETURNS int LANGUAGE sql SECURITY {} AS 'SELECT 1';"
    page = (
        f"```postgresql\n{function.format('DEFINER')}\n```\n\n"
        f"```sql\n{function.format('INVOKER')}\n```\n\n"
        f"```postgresql\n{function.format('DEFINR')}\n```\n\n"
        f"```postgresql\n{function.format('DEFINER').replace('text)', 'text')}\n```\n\n"
        f"```mysql\n{function.format('DEFINER')}\n```\n"
    )
    found = check_page(tmp_path, page)
    assert [f.split(": error")[0] for f in found] == [
        "docs/page.md:10:48",
        "docs/page.md:14:26",
        "docs/page.md:18:48",
    ], found
