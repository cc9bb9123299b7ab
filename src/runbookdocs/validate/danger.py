"""`RBD360`: a step that destroys data, shown to readers without a `danger=` attribute.

A reader under pressure copies a `DELETE FROM orders;` as readily as the backup above it: the
site marks a block with `danger=` (a badge, a confirmation before copying) and `play` asks
before running it. This check finds the steps that should carry it, on runbook pages only (like
`RBD320`-`RBD323`), in blocks readers see (hidden set-up blocks are left alone) and that are not
written into a file (`file=`):

- SQL blocks, and SQL given on a client's command line (`mysql -e`, `psql -c`, `sqlite3 DB
  "..."`): `DROP TABLE|DATABASE|SCHEMA`, `TRUNCATE`, `ALTER TABLE ... DROP COLUMN`, and
  `DELETE`/`UPDATE` without `WHERE`. Statements are parsed with sqlglot in the block's dialect;
  text it cannot parse gives no finding (the syntax check reports it).
- shell commands, read as words by `validate.steps.segments` (shlex, wrappers such as `sudo`
  removed), never by matching text: `rm -r` of a path that is not temporary, `mkfs*`,
  `dd of=/dev/...`, `wipefs -a`, `shred`, `dropdb`, `mysqladmin drop`, `redis-cli FLUSHALL`,
  `docker volume rm|prune`, `docker system prune`, `docker compose down -v`, `kubectl delete`
  (and OpenShift's `oc delete`).

Any `danger=` value silences it: a text (what the step destroys), `true`, or `false` (reviewed:
harmless where it runs).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, block_validator
from runbookdocs.validate.common import fill, on_runbook_page, values_for
from runbookdocs.validate.steps import Segment, segments


@dataclass(frozen=True)
class Destruction:
    """One destructive statement or command of a block."""

    line: int
    """0-based index in the block's source."""
    command: str
    """The statement or command, as words."""
    what: str
    """What it destroys, in words (`drops the table orders`)."""


@block_validator("shell", "console", "sql")
def destructive_step(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """A step readers see that destroys data and carries no `danger=` attribute."""
    if "danger" in block.attrs or block.hidden or block.writes_file:
        return
    if not on_runbook_page(ctx):
        return
    found = destructions(block, ctx)
    if not found:
        return
    first = found[0]
    more = f" ({len(found) - 1} more in this block)" if len(found) > 1 else ""
    line = block.source.split("\n")[first.line] if block.source else ""
    yield codes.DESTRUCTIVE.at(
        block.locate(first.line, 1 + len(line) - len(line.lstrip())),
        f"`{_shorten(first.command)}` {first.what}{more}, and the block has no `danger=`",
        hint='mark it danger="what it destroys" (the site asks readers to confirm before '
        "copying it, play asks before running it), or danger=false if it destroys nothing "
        "that matters where it runs",
    )


def destructions(block: Block, ctx: CheckContext) -> list[Destruction]:
    """Every destructive statement or command of `block`, in order."""
    values = values_for(ctx)
    if block.kind == "sql":
        from runbookdocs.validate.sql import _DELIMITER, dialect, sql_text

        text = sql_text(block.source)
        if not _SQL_WORDS.search(text) or _DELIMITER.search(text):
            return []
        return sql_destructions(fill(text, values).text, dialect(block, ctx.config))
    from runbookdocs.validate.shell import block_script

    if not _PROGRAMS.search(block.source):
        return []
    script = block_script(block)
    if script is None:
        return []
    temporary = _temporary_variables(ctx)
    found: list[Destruction] = []
    for seg in segments(fill(script.text, values).text):
        found.extend(_command(seg, temporary))
    return found


_MKTEMP = re.compile(
    r"^\s*(?:(?:export|local|readonly|declare)\s+)?([A-Za-z_]\w*)=[\"']?\$\(\s*mktemp\b", re.M
)


def _temporary_variables(ctx: CheckContext) -> frozenset[str]:
    """Variables the page's shell steps set to a `mktemp` path (`work=$(mktemp -d)`): what
    `rm -rf "$work"` removes is temporary too."""
    doc = ctx.document
    if doc is None:
        return frozenset()
    key = "danger.temporary"
    cached = ctx.memo.get(key)
    if isinstance(cached, frozenset):
        return cached
    names = frozenset(
        m.group(1)
        for b in doc.blocks
        if b.kind in ("shell", "console")
        for m in _MKTEMP.finditer(b.source.replace("$ ", ""))
    )
    ctx.memo[key] = names
    return names


# Quick sieves, not judges: a block none of whose words is one of these cannot hold what the
# parsers look for, and most blocks are spared sqlglot's parse and the shell's tokenizer.
_SQL_WORDS = re.compile(r"\b(?:drop|truncate|delete|update|alter)\b", re.IGNORECASE)
_PROGRAMS = re.compile(
    r"(?<![\w.-])(?:rm|mkfs[\w.]*|mke2fs|dd|wipefs|shred|dropdb|mysqladmin|redis-cli|docker"
    r"|podman|docker-compose|podman-compose|kubectl|oc|mysql|mariadb|psql|sqlite3)(?![\w.-])"
)

# --------------------------------------------------------------------------- SQL

_DATA_OBJECTS = frozenset({"TABLE", "DATABASE", "SCHEMA"})


def sql_destructions(text: str, read: str | None, line: int = 0) -> list[Destruction]:
    """The destructive statements of `text` (SQL in dialect `read`); none when it does not
    parse. `line` is added to the line of each statement (SQL given on a command line)."""
    import sqlglot
    from sqlglot import exp

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    try:
        statements = sqlglot.parse(text, read=read)
    except Exception:  # any parser failure: not sure what the statements are
        return []
    found: list[Destruction] = []
    for stmt in statements:
        if stmt is None:
            continue
        what = _sql_what(stmt)
        if what is None:
            continue
        ident = stmt.find(exp.Identifier)
        at = int(ident.meta.get("line", 1)) - 1 if ident is not None and ident.meta else 0
        found.append(Destruction(line + max(at, 0), stmt.sql(dialect=read), what))
    return found


def _sql_what(stmt: Any) -> str | None:
    """What the statement destroys, or None."""
    from sqlglot import exp

    kind = str(stmt.args.get("kind") or "").upper()
    if isinstance(stmt, exp.Drop) and kind in _DATA_OBJECTS:
        return f"drops the {kind.lower()} {_names(stmt)}".rstrip()
    if isinstance(stmt, exp.TruncateTable):
        return f"empties the table {_names(stmt, 'expressions')}".rstrip()
    if isinstance(stmt, exp.Delete) and not stmt.args.get("where"):
        return f"deletes every row of {_names(stmt, 'this')}".rstrip()
    if isinstance(stmt, exp.Update) and not stmt.args.get("where"):
        return f"changes every row of {_names(stmt, 'this')}".rstrip()
    if isinstance(stmt, exp.Alter):
        for action in stmt.args.get("actions") or []:
            if isinstance(action, exp.Drop) and str(action.args.get("kind")).upper() == "COLUMN":
                return f"drops the column {_names(action)} of {_names(stmt, 'this')}"
    return None


def _names(stmt: Any, key: str = "tables") -> str:
    args = stmt.args
    value = args.get(key) or args.get("this")
    items = value if isinstance(value, list) else [value] if value is not None else []
    return ", ".join(str(item.sql()) for item in items if hasattr(item, "sql"))


# --------------------------------------------------------------------------- shell

_TEMPORARY = re.compile(
    r"^(?:/tmp/|/var/tmp/|/dev/shm/|\$\{?(?:\w*(?:tmp|temp)\w*)\}?(?:/|$))", re.IGNORECASE
)
_SAFE_DEVICES = re.compile(r"^/dev/(?:null|zero|stdout|stderr|tty|fd/\d+)$")
_SQL_CLIENTS = {
    "mysql": ("mysql", {"-e", "--execute"}),
    "mariadb": ("mysql", {"-e", "--execute"}),
    "psql": ("postgres", {"-c", "--command"}),
}
_KUBECTL_VALUED = frozenset(
    {"-n", "--namespace", "--context", "--kubeconfig", "--cluster", "--user", "-s", "--server"}
)
_DOCKER_VALUED = frozenset({"-H", "--host", "-c", "--context", "--config", "-l", "--log-level"})


def _command(seg: Segment, temporary: frozenset[str] = frozenset()) -> Iterator[Destruction]:
    """What one command destroys (nothing, usually)."""
    if not seg.words or seg.words[0].startswith("$"):
        return
    program, args = seg.words[0].rsplit("/", 1)[-1], seg.words[1:]
    command = " ".join(seg.words)
    what = _shell_what(program, args, temporary)
    if what is not None:
        yield Destruction(seg.line, command, what)
    if program in _SQL_CLIENTS:
        read, options = _SQL_CLIENTS[program]
        for sql in _option_values(args, options):
            yield from sql_destructions(sql, read, seg.line)
    elif program == "sqlite3":
        positional = [a for a in args if not a.startswith("-")]
        if len(positional) >= 2:
            yield from sql_destructions(positional[1], "sqlite", seg.line)


def _shell_what(
    program: str, args: tuple[str, ...], temporary: frozenset[str] = frozenset()
) -> str | None:
    """What the command `program args` destroys, or None."""
    flags = _flags(args)
    if program == "rm" and (flags & {"--recursive", "-r", "-R"} or _short_flag(args, "rR")):
        paths = [a for a in _operands(args) if not _is_temporary(a, temporary)]
        return f"removes {' '.join(paths)} and everything under it" if paths else None
    if program.startswith("mkfs") or program == "mke2fs":
        return "formats a file system"
    if program == "dd":
        devices = [a[3:] for a in args if a.startswith("of=/dev/")]
        written = [d for d in devices if not _SAFE_DEVICES.match(d)]
        if written:
            return f"overwrites the device {written[0]}"
    if (
        program == "wipefs"
        and not flags & {"-n", "--no-act"}
        and (flags & {"-a", "--all", "-o", "--offset"} or _short_flag(args, "a"))
    ):
        return "erases file-system signatures"
    if program == "shred":
        return "overwrites files beyond recovery"
    if program == "dropdb":
        return "drops a database"
    if program == "mysqladmin" and any(a.lower() == "drop" for a in args):
        return "drops a database"
    if program == "redis-cli" and any(a.lower() in ("flushall", "flushdb") for a in args):
        return "deletes every key"
    if program in ("docker", "podman"):
        verbs = _positional(args, _DOCKER_VALUED)
        if verbs[:1] == ["volume"] and verbs[1:2] and verbs[1] in ("rm", "remove", "prune"):
            return "removes volumes and their data"
        if verbs[:2] == ["system", "prune"]:
            return "removes containers, images and networks"
        if verbs[:2] == ["compose", "down"] and flags & {"-v", "--volumes"}:
            return "removes the project's volumes"
    if (
        program in ("docker-compose", "podman-compose")
        and "down" in args
        and flags & {"-v", "--volumes"}
    ):
        return "removes the project's volumes"
    if program in ("kubectl", "oc"):  # `oc`: OpenShift's client, kubectl's verbs
        verbs = _positional(args, _KUBECTL_VALUED)
        dry = [a for a in args if a.startswith("--dry-run")]
        if verbs[:1] == ["delete"] and not any(a not in ("--dry-run=none",) for a in dry):
            return "deletes cluster resources"
    return None


def _is_temporary(path: str, temporary: frozenset[str]) -> bool:
    if _TEMPORARY.match(path):
        return True
    m = re.match(r"\$\{?([A-Za-z_]\w*)\}?(?:/|$)", path)
    return m is not None and m.group(1) in temporary


def _flags(args: tuple[str, ...]) -> set[str]:
    return {a.split("=", 1)[0] for a in args if a.startswith("-") and a != "-"}


def _short_flag(args: tuple[str, ...], letters: str) -> bool:
    """A combined short option (`-rf`, `-fR`) holding one of `letters`."""
    return any(
        a.startswith("-")
        and not a.startswith("--")
        and a[1:].isalpha()
        and bool(set(a[1:]) & set(letters))
        for a in args
    )


def _operands(args: tuple[str, ...]) -> list[str]:
    """The arguments that are not options (all of them after `--`)."""
    out: list[str] = []
    rest = False
    for a in args:
        if rest or not a.startswith("-") or a == "-":
            out.append(a)
        elif a == "--":
            rest = True
    return out


def _positional(args: tuple[str, ...], valued: frozenset[str]) -> list[str]:
    """The words that are not options nor the value of an option in `valued`."""
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
        elif a.startswith("-"):
            skip = a in valued
        else:
            out.append(a)
    return out


def _option_values(args: tuple[str, ...], options: set[str]) -> list[str]:
    """The values given to `options` (`-e SQL`, `-eSQL`, `--execute=SQL`)."""
    values: list[str] = []
    for i, a in enumerate(args):
        name, eq, value = a.partition("=")
        if a in options and i + 1 < len(args):
            values.append(args[i + 1])
        elif eq and name in options:
            values.append(value)
        elif len(a) > 2 and not a.startswith("--") and a[:2] in options:
            values.append(a[2:])
    return values


def _shorten(text: str, width: int = 60) -> str:
    from runbookdocs.run.runners import shorten

    return shorten(" ".join(text.split()), width)


__all__ = ["Destruction", "destructions", "destructive_step", "sql_destructions"]
