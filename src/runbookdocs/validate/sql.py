"""SQL syntax with sqlglot, in the dialect of the block's target, at the reader's line.

sqlglot is imported when the first SQL block is checked, never at start-up. Client commands that
are not SQL are blanked before parsing: psql meta-commands (`\\dt`, `\\c db`), MySQL's `\\G`
terminator. Blocks that change the delimiter (`DELIMITER //`, stored procedures) are not parsed:
sqlglot cannot read procedure bodies and would report false errors.
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
from runbookdocs.validate.common import fill, finding_at, values_for

_DELIMITER = re.compile(r"^\s*delimiter\s", re.I | re.M)
_META = re.compile(r"^\s*\\")
_MYSQL_LANGS = frozenset({"mysql", "mariadb"})
_POSTGRES_LANGS = frozenset({"psql", "postgresql", "pgsql"})


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
    lines = source.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if SQL_EXPECT.match(line):
            out.extend("" for _ in lines[i:])
            break
        if _META.match(line):
            out.append("")
        elif line.rstrip().endswith("\\G"):
            out.append(line.rstrip()[:-2] + ";")
        else:
            out.append(line)
    return "\n".join(out)


@block_validator("sql")
def check_sql(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Parse the block's statements; report the first syntax error at its page line."""
    text = sql_text(block.source)
    if not text.strip() or _DELIMITER.search(text):
        return
    filled = fill(text, values_for(ctx))
    import sqlglot
    from sqlglot.errors import ErrorLevel, ParseError, TokenError

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    read = dialect(block, ctx.config)
    try:
        sqlglot.parse(filled.text, read=read, error_level=ErrorLevel.RAISE)
    except ParseError as err:
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


_MISSING = re.compile(r"Required keyword: '\w+' missing for <class '(?:[\w.]*\.)?(\w+)'>")


def _describe(description: str) -> str:
    """sqlglot's message without its class names."""
    m = _MISSING.search(description)
    if m:
        return f"incomplete {m.group(1).upper()} clause"
    return description


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
