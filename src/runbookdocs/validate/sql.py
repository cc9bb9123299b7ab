"""SQL syntax with sqlglot, in the dialect of the block's target, at the reader's line.

sqlglot is imported when the first SQL block is checked, never at start-up. Client commands that
are not SQL are blanked before parsing: psql meta-commands (`\\dt`, `\\c db`), MySQL's `\\G`
terminator. Blocks that change the delimiter (`DELIMITER //`, stored procedures) are not parsed:
sqlglot cannot read procedure bodies and would report false errors.

A block written as a client session (`mysql> `, `postgres=# `, the bare `> ` of the CockroachDB
shell) is read the way the reader types it: prompts are blanked, the lines after a finished
statement are the client's output and are not parsed. A statement that opens with a word the
dialect does not know as a keyword (`BACKUP`, `RESTORE`, `UPSERT`: a vendor's own statement) is
not parsed either, unless the word is a near miss of a standard keyword (`SELEC`): the generic
parser reads such a word as an expression and would report an error on correct SQL.

Fluent Bit's stream processor reads its records from a stream or a tag pattern (`FROM
STREAM:apache`, `FROM TAG:'apache.*'`), over a time window (`WINDOW TUMBLING (5 SECOND)`), into
a new stream (`CREATE STREAM hello AS SELECT ...`): those clauses are read as a table name, as
nothing and as `CREATE VIEW`, and the rest of the statement is parsed as usual. A grammar
synopsis (`[WHERE condition]`, optional clauses in brackets, alternatives between `|`) is not a
statement and is not parsed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.results import Finding
from runbookdocs.transcript import SQL_EXPECT
from runbookdocs.validate import CheckContext, block_validator
from runbookdocs.validate.common import fill, finding_at, on_runbook_page, values_for

_DELIMITER = re.compile(r"^\s*delimiter\s", re.I | re.M)
_META = re.compile(r"^\s*\\")
# The mysql client's own `use` command: the rest of the line is a database name as the client
# reads it (no `;` needed), which a server may extend (`use keyspace/-80`, `use db@replica`).
_USE = re.compile(r"^\s*use\s+[^\s;]+\s*;?\s*$", re.I)
# sqlite3's dot-commands (`.exit`, `.tables`, `.mode column`): the client's own, one a line,
# between statements (no statement starts with `.`).
_DOT_COMMAND = re.compile(r"^\s*\.[a-z]+(?:\s|$)")
_SHELL_LINE = re.compile(r"^\s*\$\s")
_COMMENT_LINE = re.compile(r"^\s*--(?:\s|$)")
_MYSQL_LANGS = frozenset({"mysql", "mariadb"})
_POSTGRES_LANGS = frozenset({"psql", "postgresql", "pgsql"})
# The prompts of SQL clients: `mysql>`, `MariaDB [db]>`, `sqlite>`, `SQL>`, psql's `db=#` and
# `db=>`, CockroachDB's `user@host:26257/db>` and bare `>`.
_PROMPT = re.compile(
    r"^(\s*)(?:>|(?:mysql|mariadb|sqlite|sql)>|(?:mysql|mariadb) \[[^\]]*\]>"
    r"|[\w.-]+=[#>]|[\w.-]+@[\w.:-]+/[\w.-]*>)(?=[ \t]|$)",
    re.I,
)
# Continuation prompts: mysql's `->`, psql's `db-#`, `db(#`, `db'#`, sqlite's `...>`.
_CONTINUATION = re.compile(r"^(\s*)(?:->|[\w.-]+[-('\"][#>]|\.\.\.>)(?=[ \t]|$)")
# Statement keywords a misspelt leading word is compared with.
_STATEMENTS = frozenset(
    {"SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP", "WITH", "GRANT", "REVOKE"}
    | {"TRUNCATE", "MERGE", "EXPLAIN", "BEGIN", "COMMIT", "ROLLBACK", "SET", "SHOW", "USE"}
    | {"VALUES", "CALL", "REPLACE", "DESCRIBE"}
)


def dialect(block: Block, config: Config) -> str | None:
    """The sqlglot dialect of a SQL block: from its target, else its language; None: generic."""
    target = block.target
    if target is not None and target in config.targets:
        target = config.targets[target].base or target
    if target == "mysql" or (target is None and block.lang in _MYSQL_LANGS):
        return "mysql"
    if target == "postgres" or (target is None and block.lang in _POSTGRES_LANGS):
        return "postgres"
    if block.lang in _MYSQL_LANGS:
        return "mysql"
    if block.lang in _POSTGRES_LANGS:
        return "postgres"
    return None


def sql_text(source: str) -> str:
    """The statements of a SQL block: the `-- expect:` section and client commands blanked.

    Lines keep their numbers so that parser positions are the block's own.
    """
    from runbookdocs.validate.data import heredoc_body

    # `$ cat <<EOF | mysql db` ... `EOF`: the statements are the here-document's body.
    lines = _session(heredoc_body(source).split("\n"))
    out: list[str] = []
    between = True  # no statement left open above (a dot-command may come)
    for i, line in enumerate(lines):
        if SQL_EXPECT.match(line):
            out.extend("" for _ in lines[i:])
            break
        if _META.match(line) or _USE.match(line) or (between and _DOT_COMMAND.match(line)):
            out.append("")
            continue
        if line.strip() and not _COMMENT_LINE.match(line):
            between = line.rstrip().endswith((";", "\\G"))
        if line.rstrip().endswith("\\G"):
            out.append(line.rstrip()[:-2] + ";")
        else:
            out.append(line)
    return "\n".join(out)


def _session(lines: list[str]) -> list[str]:
    """The statements of a block written as a client session, prompts and output blanked.

    A block is a session when its first line holds a prompt. A line without a prompt continues
    the statement before it until that statement ends with `;` (or is a client command); after
    that it is output. Prompts become spaces so that columns stay the reader's.
    """
    first = next((line for line in lines if line.strip()), "")
    if not _PROMPT.match(first) and not _opened_by_shell_or_comment(first, lines):
        return lines
    out: list[str] = []
    open_statement = False
    for line in lines:
        m = _PROMPT.match(line) or (_CONTINUATION.match(line) if open_statement else None)
        if m:
            line = " " * m.end() + line[m.end() :]
        elif not open_statement:
            out.append("")
            continue
        out.append(line)
        code = line.strip()
        if code:
            open_statement = not (
                code.endswith((";", "\\G")) or code.startswith("\\") or _USE.match(code)
            )
    return out


def _opened_by_shell_or_comment(first: str, lines: list[str]) -> bool:
    """True when a block whose first line is a shell command (`$ mysql -h db`) or a `--`
    comment goes on as a client session: a later line holds a client's named prompt."""
    if not (_SHELL_LINE.match(first) or _COMMENT_LINE.match(first)):
        return False
    return any(_PROMPT.match(line) and not line.lstrip().startswith(">") for line in lines)


def _vendor_statements(text: str, read: str | None) -> str:
    """`text` with the statements that open with a word unknown to the dialect blanked."""
    import difflib

    from sqlglot import TokenType
    from sqlglot.dialects.dialect import Dialect

    # A dollar-quoted body (`DO $$ ... $$`) is PostgreSQL's: only its tokenizer keeps the body's
    # `;` inside the string, where the generic one would end the statement there.
    tokenizer = read if read is not None or "$$" not in text else "postgres"
    tokens = Dialect.get_or_raise(tokenizer).tokenize(text)
    spans: list[tuple[int, int]] = []
    first = None
    for token in tokens:
        if first is None:
            first = token
        if token.token_type == TokenType.SEMICOLON or token is tokens[-1]:
            word = first.text.upper()
            if (
                first.token_type == TokenType.VAR
                and word.isalpha()
                and (
                    _extends_keyword(word)
                    or not difflib.get_close_matches(word, _STATEMENTS, n=1, cutoff=0.8)
                )
            ):
                spans.append((first.start, token.end + 1))
            first = None
    for start, end in reversed(spans):
        text = text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]
    return text


# An index hint naming a vendor's kind of index (`USE VINDEX (name)`, like MySQL's `USE INDEX`).
_VENDOR_HINT = re.compile(
    r"\b(?:USE|IGNORE|FORCE)\s+(?P<kind>[A-Za-z]+(?P<base>INDEX|KEY))\b", re.I
)


def _vendor_hints(text: str) -> str:
    """`text` with index hints of a vendor's own kind read as MySQL's (same width)."""
    if "index" not in text.lower() and "key" not in text.lower():
        return text
    return _VENDOR_HINT.sub(
        lambda m: (
            m.group()[: m.start("kind") - m.start()] + m.group("base").rjust(len(m.group("kind")))
        ),
        text,
    )


def _extends_keyword(word: str) -> bool:
    """True when `word` is a statement keyword with letters added before or after it
    (`VEXPLAIN`): a vendor's own statement named after the standard one, not a typo.

    A typo drops, swaps or changes letters inside the keyword (`SELEC`, `SLECT`, `SELCT`);
    a letter typed twice at its edge (`SSELECT`, `SELECTT`) is a typo too.
    """
    for keyword in _STATEMENTS:
        if len(word) <= len(keyword) or keyword not in word:
            continue
        before, _, after = word.partition(keyword)
        if (before and before[-1] == keyword[0]) or (after and after[0] == keyword[-1]):
            continue
        if before.isalpha() or after.isalpha():
            return True
    return False


_CLIENT_COMMAND = re.compile(
    r"^\s*(?:\$\s+)?(?:sudo\s+(?:-u\s+\S+\s+)?)?"
    r"(?:mysql|mariadb|psql|sqlite3|mysqlsh|clickhouse-client|cockroach\s+sql)"
    r"(?=\s+-|\s+<|\s*$)"
)
"""A shell line running a SQL client (`mariadb -u root -p`, `$ psql -h db`, `sudo mysql`): no
SQL statement starts with the client's name followed by an option, a redirection or nothing."""
_HASH_COMMENT = re.compile(r"^\s*#")


def _client_lines(text: str) -> tuple[list[int], str]:
    """The shell lines of a `sql` block that starts with (or holds, before its SQL) a command
    running the SQL client, and the block with those lines and the shell's `#` comments before
    the last of them blanked: what is left is what the reader types in the client's session.
    ([], text) when the block holds no such line before its first statement."""
    lines = text.split("\n")
    clients: list[int] = []
    for i, line in enumerate(lines):
        if not line.strip() or _HASH_COMMENT.match(line):
            continue
        if _CLIENT_COMMAND.match(line):
            clients.append(i)
            continue
        break  # the first statement: a client named later is SQL's business (`FROM mysql.user`)
    if not clients:
        return [], text
    last = clients[-1]
    return clients, "\n".join("" if i <= last else ln for i, ln in enumerate(lines))


@block_validator("sql")
def check_sql(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Parse the block's statements; report the first syntax error at its page line.

    Off runbook pages, a block that starts with a shell command running the SQL client
    (`# If using MariaDB` / `mariadb -u root -p`) is one RBD208 (the command is shell, tagged
    sql), and the statements after it, typed in that client's session, are parsed as usual: a
    syntax error among them is still reported. On a runbook page the block must parse as tagged.
    """
    text = sql_text(block.source)
    if not text.strip() or _DELIMITER.search(text) or _synopsis(text) or _signature(text):
        return
    if not on_runbook_page(ctx):
        clients, text = _client_lines(text)
        if clients:
            from runbookdocs.validate.data import wrong_language

            yield wrong_language(block, "sql", "a shell command running the SQL client", "bash")
            if not text.strip():
                return
        statements_only = _without_output(text)
        if text.strip() and not statements_only.strip():
            from runbookdocs.validate.data import wrong_language

            yield wrong_language(block, "sql", "a query's result table", "text")
            return
        text = statements_only
    filled = fill(text, values_for(ctx))
    from sqlglot.errors import ParseError, TokenError

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    read = dialect(block, ctx.config)
    try:
        statements = _vendor_statements(
            _vendor_hints(
                _analyze_options(
                    _stream_processor(
                        _functions_named_like_keywords(
                            _without_storage_parameters(
                                _without_elisions(_without_placeholders(filled.text))
                            )
                        )
                    )
                )
            ),
            read,
        )
        if read != "mysql":
            statements = _language_before_security(statements)
        try:
            _parse(statements, read)
        except ParseError:
            if read is not None or not _some_dialect_reads(statements):
                raise
    except ParseError as err:
        if not on_runbook_page(ctx) and _result_table(text):
            from runbookdocs.validate.data import wrong_language

            yield wrong_language(block, "sql", "a query's result table", "text")
            return
        first = err.errors[0] if err.errors else {}
        line = first.get("line") or 1
        col = first.get("col") or 1
        highlight = first.get("highlight") or ""
        index = int(line) - 1
        start = max(int(col) - len(str(highlight)) + 1, 1)
        description = _describe(str(first.get("description") or str(err).splitlines()[0]))
        near = f" near {highlight!r}" if highlight else ""
        yield finding_at(
            block,
            index,
            filled.col(index, start),
            f"SQL syntax error ({read or 'generic SQL'}): {description}{near}",
            code=codes.SQL_SYNTAX,
        )
    except TokenError as err:
        yield from _token_error(block, filled.text, str(err))
    except Exception as err:  # a parser on arbitrary text must not crash check
        yield finding_at(
            block,
            0,
            1,
            f"SQL could not be parsed ({type(err).__name__}): {err}",
            "warning",
            code=codes.SQL_UNPARSED,
        )


_TABLE_ROW = re.compile(r"^\s*(?:\|.*\||\+[-+=]+\+|[-+| ]*-{3,}[-+| ]*)\s*$")


def _result_table(text: str) -> bool:
    """True when every line is a row or rule of a result table (`| id | name |`, `+----+`)."""
    rows = [ln for ln in text.split("\n") if ln.strip()]
    return bool(rows) and all(_TABLE_ROW.match(ln) for ln in rows)


_FALLBACKS = ("postgres", "mysql", "tsql", "sqlite")
"""Dialects tried when the generic one rejects a block of unknown dialect: what one of them
reads (`PRIMARY KEY (id ASC)` in SQL Server, SQLite, MySQL) is not an error of the page."""


def _some_dialect_reads(text: str) -> bool:
    for read in _FALLBACKS:
        try:
            _parse(text, read)
        except Exception:  # any failure of that dialect: try the next one
            continue
        return True
    return False


_TOO_MANY_ARGUMENTS = "The number of provided arguments"


def _parse(text: str, read: str | None) -> None:
    """Parse `text` in the dialect `read`; raise ParseError for a syntax error.

    More arguments than sqlglot's model of a built-in function takes is not one: PostgreSQL
    overloads functions, and extensions add forms of the built-in names (TimescaleDB's
    `stddev(summary, 'pop')`). Fewer arguments than a function needs is still reported."""
    import sqlglot
    from sqlglot.errors import ErrorLevel, ParseError

    try:
        sqlglot.parse(text, read=read, error_level=ErrorLevel.RAISE)
    except ParseError as err:
        errors = err.errors or [{}]
        if not all(str(e.get("description", "")).startswith(_TOO_MANY_ARGUMENTS) for e in errors):
            raise


# `{table_name}`, `<database>`, `<pid from iotop>`: a name or value to fill in, where the
# statement wants an identifier or a value (`pid=<pid>` too). `<` between words is a comparison
# only with spaces around it.
_SQL_PLACEHOLDER = re.compile(
    r"\{[A-Za-z][\w.-]*\}|(?<![\w<>!])(?<![<>!]=)<[A-Za-z][\w.-]*(?: [\w.-]+)*>(?![\w<>=])"
)


def _without_placeholders(text: str) -> str:
    """`text` with placeholders read as identifiers of the same width (columns are kept)."""
    if "{" not in text and "<" not in text:
        return text
    return _SQL_PLACEHOLDER.sub(lambda m: "p" + "_" * (len(m.group()) - 1), text)


_MISSING = re.compile(r"Required keyword: '\w+' missing for <class '(?:[\w.]*\.)?(\w+)'>")


_TOKEN = re.compile(r"<Token token_type: [^,]*, text: (.*?), line: .*?>")


def _describe(description: str) -> str:
    """sqlglot's message without its class names and token dumps."""
    m = _MISSING.search(description)
    if m:
        return f"incomplete {m.group(1).upper()} clause"
    return _TOKEN.sub(lambda t: repr(t.group(1)), description)


def _token_error(block: Block, text: str, message: str) -> Iterable[Finding]:
    """sqlglot's tokenizer gives no position: point at the first line holding the fragment."""
    fragment = message.split("Error tokenizing '", 1)[-1].removesuffix("'")
    tail = next((ln.strip() for ln in reversed(fragment.split("\n")) if ln.strip()), "")
    index = 0
    if tail:
        for i, line in enumerate(text.split("\n")):
            if tail in line:
                index = i
    what = "unclosed quote or comment" if any(q in fragment for q in "'\"`/") else "bad token"
    yield finding_at(
        block,
        index,
        1,
        f"SQL syntax error: {what}",
        hint="check quotes ('...'), comments (/* ... */) and identifiers",
        code=codes.SQL_SYNTAX,
    )


_ELIDED = re.compile(r"(?:,[ \t]*)?(?:\.{3}|…)|'(?:[^'\\]|\\.|'')*'|\"[^\"\n]*\"|--[^\n]*")


def _without_elisions(text: str) -> str:
    """`text` with the parts a page left out read as nothing (same width): `in (1, 2, ...)`,
    `f(...)`, `some_table...`, a line of `...`. Quoted strings and comments are kept."""
    if "..." not in text and "…" not in text:
        return text
    return _ELIDED.sub(
        lambda m: m.group() if m.group()[0] in "'\"-" else " " * len(m.group()), text
    )


_ANALYZE_OPTIONS = re.compile(
    r"\b(ANALY[SZ]E)((?:\s+VERBOSE|\s*\(\s*VERBOSE(?:\s+(?:TRUE|FALSE|ON|OFF))?\s*\))+)(?=\s*(?:;|$))",
    re.I,
)


def _analyze_options(text: str) -> str:
    """`text` with `ANALYZE VERBOSE;` (PostgreSQL: every table, with progress messages) read as
    `ANALYZE;`: sqlglot 30 wants a table after the options and rejects the statement."""
    if "verbose" not in text.lower():
        return text
    return _ANALYZE_OPTIONS.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


_LANGUAGE_SQL = re.compile(r"\bLANGUAGE\s+(SQL)(?=\s+SECURITY\s+(?:DEFINER|INVOKER)\b)", re.I)


def _language_before_security(text: str) -> str:
    """`text` with PostgreSQL's `LANGUAGE sql SECURITY DEFINER` read with another language name
    of the same width: sqlglot 30 takes `sql SECURITY` for MySQL's `SQL SECURITY` option and
    leaves LANGUAGE without its name (PostgreSQL takes a function's options in any order)."""
    if "security" not in text.lower():
        return text
    return _LANGUAGE_SQL.sub(lambda m: m.group()[: m.start(1) - m.start()] + "s__", text)


_STREAM_SOURCE = re.compile(r"(\bFROM\s+)((?:STREAM|TAG):(?:'[^'\n]*'|[\w.*-]+))", re.I)
"""The source of a query of Fluent Bit's stream processor: a stream (`STREAM:apache`) or the
records whose tag matches a pattern (`TAG:'apache.*'`)."""
_STREAM_WINDOW = re.compile(
    r"\bWINDOW\s+(?:TUMBLING|HOPPING)\s*\(\s*\d+\s+SECONDS?"
    r"(?:\s*,\s*ADVANCE\s+BY\s+\d+\s+SECONDS?)?\s*\)",
    re.I,
)
_CREATE_STREAM = re.compile(r"\b(CREATE\s+)(STREAM)(?=\s)", re.I)


def _stream_processor(text: str) -> str:
    """`text` with the clauses of Fluent Bit's stream processor read as standard SQL of the
    same width: the source as a table name, the time window as nothing, `CREATE STREAM` as
    `CREATE VIEW` (the query after `AS` is still parsed). Only in a text that reads from such
    a source: ksqlDB's `CREATE STREAM s (id INT) WITH (...)` is left to the generic parser."""
    if ":" not in text or not _STREAM_SOURCE.search(text):
        return text
    text = _STREAM_SOURCE.sub(lambda m: m.group(1) + "s" + "_" * (len(m.group(2)) - 1), text)
    text = _STREAM_WINDOW.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return _CREATE_STREAM.sub(lambda m: m.group(1) + "VIEW  ", text)


_CLAUSE_WORDS = frozenset(
    {"WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "WINDOW", "WITH", "AS", "ON"}
    | {"USING", "FROM", "JOIN", "INTO", "RETURNING", "PARTITION", "IF", "AND", "OR", "SET"}
)
_OPTIONAL_CLAUSE = re.compile(r"^\s*\[\s*(?P<word>[A-Z]+)\s[^\n]*\]\s*$")


def _synopsis(text: str) -> bool:
    """True when `text` is a statement's grammar, not a statement: no `;`, and a line holding
    only an optional clause in brackets, a keyword and the names to fill in (`[WHERE
    condition]`, `[GROUP BY groupby]`, `[WINDOW TUMBLING (integer SECOND) | ...]`). SQL has no
    line of that shape (SQL Server's `[name]` is an identifier, not a keyword and words)."""
    if ";" in text:
        return False
    for line in text.split("\n"):
        m = _OPTIONAL_CLAUSE.match(line)
        if m and m.group("word") in _CLAUSE_WORDS and re.search(r"\b[a-z][a-z_]+\b|\.\.\.", line):
            return True
    return False


_TYPE_NAMES = frozenset(
    {"REGCLASS", "REGPROC", "BOOL", "BOOLEAN", "INT", "INT2", "INT4", "INT8", "INTEGER"}
    | {"SMALLINT", "BIGINT", "TEXT", "NAME", "VARCHAR", "INTERVAL", "TIMESTAMP", "TIMESTAMPTZ"}
    | {"DATE", "DOUBLE", "FLOAT", "FLOAT8", "REAL", "NUMERIC", "JSONB", "JSON", "ANYELEMENT"}
    | {'"ANY"', "UUID", "BYTEA", "OID", "RECORD", "VOID"}
)
_SIGNATURE_CALL = re.compile(
    r"(?:^|\bSELECT\s+)\s*(?P<name>[A-Za-z_][\w.]*)\s*\((?P<args>[^()]*)\)", re.I
)
_PARAMETER = re.compile(
    r"^\s*(?:VARIADIC\s+)?[A-Za-z_]\w*\s+(?P<type>\"any\"|[A-Za-z_]\w*)(?:\s+PRECISION)?"
    r"(?:\[\])?(?:\s*(?:=|DEFAULT)\s*\S[^,]*)?\s*$",
    re.I,
)


def _signature(text: str) -> bool:
    """True when `text` is a function's signature as a reference shows it, not a statement:
    `name(param TYPE, param TYPE = default) RETURNS type`, each parameter a name and a type,
    one type at least a PostgreSQL type (`REGCLASS`, `TIMESTAMPTZ`, `"any"`) or one named
    in CamelCase, outside a `CREATE FUNCTION` (whose parameters sqlglot reads)."""
    if re.search(r"\bCREATE\b", text, re.I):
        return False
    for m in _SIGNATURE_CALL.finditer(text):
        if m.group("name").upper() in ("CAST", "TRY_CAST", "CONVERT"):
            continue
        params = [_PARAMETER.match(p) for p in m.group("args").split(",")]
        if (
            params
            and all(params)
            and any(
                p.group("type").upper() in _TYPE_NAMES
                or re.match(r"[A-Z][a-z]+[A-Z]", p.group("type"))
                for p in params
                if p
            )
        ):
            return True
    return False


_STORAGE_PARAMETERS = re.compile(
    r"\bWITH(\s*\(\s*(?:[A-Za-z_][\w.]*(?:\s*=\s*(?:'[^'\n]*'|[\w.+-]+))?|\.{3}|…)"
    r"(?:\s*,\s*(?:[A-Za-z_][\w.]*(?:\s*=\s*(?:'[^'\n]*'|[\w.+-]+))?|\.{3}|…))*\s*\))",
    re.I,
)


def _without_storage_parameters(text: str) -> str:
    """`text` with PostgreSQL's storage parameters (`WITH (fillfactor = 70)`, an extension's
    `WITH (timescaledb.continuous)`) read as nothing (same width): sqlglot wants `name = value`
    and no dotted name, where PostgreSQL takes a boolean parameter by its name alone and an
    extension's parameters under its own prefix. A common table expression names itself
    before its parenthesis (`WITH t AS (`) and is left alone."""
    if "with" not in text.lower():
        return text
    return _STORAGE_PARAMETERS.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


_KEYWORD_CALL = re.compile(r"\b(rollup|cube)(\s*\()", re.I)
_CLAUSE = re.compile(
    r"\b(SELECT|FROM|WHERE|GROUP\s+BY|HAVING|ORDER\s+BY|WINDOW|LIMIT|ON|SET|VALUES)\b", re.I
)


def _functions_named_like_keywords(text: str) -> str:
    """`text` with `rollup(x)` and `cube(x)` outside a GROUP BY clause read as a call of a
    function with another name of the same width: PostgreSQL's ROLLUP and CUBE are
    non-reserved words, and functions take such names (TimescaleDB's `rollup(summary)`, the
    cube extension's `cube(1, 2)`); sqlglot reads them as grouping sets anywhere."""
    if "rollup" not in text.lower() and "cube" not in text.lower():
        return text

    def rename(m: re.Match[str]) -> str:
        clauses = _CLAUSE.findall(text, 0, m.start())
        if clauses and re.sub(r"\s+", " ", clauses[-1]).upper() == "GROUP BY":
            return m.group()
        return "f" + "_" * (len(m.group(1)) - 1) + m.group(2)

    return _KEYWORD_CALL.sub(rename, text)


_STATEMENT_START = re.compile(
    r"^\s*(?:--|/\*|\\|(?:SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|WITH|GRANT|REVOKE"
    r"|TRUNCATE|MERGE|EXPLAIN|BEGIN|COMMIT|ROLLBACK|SET|SHOW|USE|VALUES|CALL|COPY|VACUUM"
    r"|ANALYZE|DO|TABLE|REFRESH|REINDEX|CLUSTER|COMMENT|PREPARE|EXECUTE|DECLARE|FETCH"
    r"|LOCK|DISCARD|RESET|START|END|ABORT|SAVEPOINT|RELEASE|NOTIFY|LISTEN|LOAD)\b)",
    re.I,
)
_RULE = re.compile(r"^\s*(?:[-+]*-{3,}[-+]*|[─━┌└├╞═╒╘]\S*)\s*$")
_OUTPUT_ROW = re.compile(
    r"^\s*(?:-\[ RECORD \d+ \]-*[-+]*|\(\d+ rows?\)|->\s{2,}[A-Z][A-Za-z]+\b.*|[│┃|].*"
    r"|\S.*?\s\|(?:\s.*)?|[┌└├╞╒╘─].*)\s*$"
)


_OUTPUT_LINE = re.compile(r"^\s*(?:-{3,}[-+]*\s*$|-+\+|-\[ RECORD )")
"""A rule or a record's header, whose leading dashes are not a `--` comment."""


def _header_row(lines: list[str], i: int) -> bool:
    following = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
    return bool(_OUTPUT_ROW.match(lines[i])) and bool(following) and bool(_RULE.match(following))


_ALWAYS_OUTPUT = re.compile(r"^\s*(?:-\[ RECORD \d+ \]|\(\d+ rows?\)\s*$)")


def _is_output(lines: list[str], i: int) -> bool:
    """True when line `i` shows what psql prints: a table's row or rule, an expanded record's
    header, the row count, or a column header above a rule."""
    line = lines[i]
    if _RULE.match(line) or _OUTPUT_ROW.match(line):
        return True
    # A column's header above its rule; a title (`List of relations`, `Table "public.t"`)
    # above a table's header row.
    following = next((ln for ln in lines[i + 1 :] if ln.strip()), "")
    return bool(following) and (_RULE.match(following) or _OUTPUT_ROW.match(following)) is not None


def _without_output(text: str) -> str:
    """`text` with what psql prints after a statement blanked (lines keep their numbers): a
    result table (`col | col`, a `---+---` rule, `(2 rows)`), expanded records (`-[ RECORD 1
    ]`), a single column under its rule. Output starts after a statement ended with `;` (or
    at the block's first line) on a line no statement starts with, and lasts until one does;
    a statement cannot start with a table's row, so no SQL is taken for output."""
    lines = text.split("\n")
    out: list[str] = []
    finished = True
    in_output = False
    for i, line in enumerate(lines):
        code = line.strip()
        starts = bool(code) and _STATEMENT_START.match(line) and not _OUTPUT_LINE.match(line)
        if in_output and starts:
            in_output = False
        if not in_output and code and not finished and _header_row(lines, i):
            in_output = True
            # A line alone right above a table's header is its title (`Table "public.t"`,
            # which would read as the statement `TABLE name`), not an open statement.
            if i > 0 and out[i - 1].strip() and (i < 2 or not out[i - 2].strip()):
                out[i - 1] = ""
        if not in_output and code and not starts:
            # A record's header or a row count is output wherever it stands.
            in_output = _is_output(lines, i) if finished else bool(_ALWAYS_OUTPUT.match(line))
        if in_output:
            out.append("")
            continue
        out.append(line)
        if code and not _COMMENT_LINE.match(line) and code not in ("...", "…"):
            finished = code.endswith(";")
    return "\n".join(out)
