"""Structural checks of every block: targets, attributes that fit the kind, untagged fences.

Header syntax itself (unknown attributes, quoting, braces) is checked while the page is read
(`runbookdocs.block.parse_header`); what is checked here needs the block's kind or the project:
whether the target exists, whether `file=`/`schema=` make sense for the kind, whether a console
block holds any command at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from runbookdocs import codes
from runbookdocs.block import NOT_WRITABLE_KINDS, OWNER, RUNNABLE_KINDS, Block, suggest
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.location import Location
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, block_validator, page_check
from runbookdocs.validate.common import (
    console_commands,
    finding_at,
    header_col,
    on_runbook_page,
    values_for,
)
from runbookdocs.variables import Values

SCHEMA_KINDS = frozenset({"json", "yaml", "ini"})
"""Kinds that `schema=` applies to."""

_RUN_ONLY = ("expect", "timeout", "session", "user")
_COMMANDS_TEXT = """
    apt apt-get aptitude awk cat cd chmod chown cp crontab curl dnf docker docker-compose
    dpkg echo export find git grep gunzip gzip journalctl kill kubectl less ln ls make mkdir
    mv mysql mysqldump mariadb mariadb-dump nano openssl pg_dump pg_restore pip pip3 psql
    python python3 rm rsync scp sed service sh bash ssh sudo su systemctl tail tar touch
    useradd usermod vi vim wget yum zcat
"""
_COMMANDS = frozenset(_COMMANDS_TEXT.split())
"""First words that make an untagged block look like shell commands."""
_PROMPT = re.compile(r"^(?:\S+@\S+[:~][^$#]*)?(?P<p>[$#]) (?P<word>\S+)")


def known_targets(config: Config) -> list[str]:
    """Built-in and configured target names."""
    from runbookdocs.run.targets import BUILTIN_TARGETS

    return [*BUILTIN_TARGETS, *(n for n in config.targets if n not in BUILTIN_TARGETS)]


def schema_path(config: Config, name: str) -> Path | None:
    """The file of schema `name` in the schemas directory (`NAME.json`, `NAME.schema.json`)."""
    for candidate in (
        config.schemas_dir / f"{name}.json",
        config.schemas_dir / f"{name}.schema.json",
    ):
        if candidate.is_file():
            return candidate
    return None


@block_validator("*")
def check_block_structure(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """Target, attributes that fit the block's kind, and untagged blocks."""
    yield from _target(block, ctx)
    kind = block.kind
    attrs = block.attrs
    if "file" in attrs and kind in NOT_WRITABLE_KINDS:
        yield Finding(
            header_col(block, "file", ctx),
            f"file= writes a block's text into its target; a {kind} block is not file contents",
            hint="tag the file's text with its own language (```nginx, ```ini, ```text) "
            "and give that block file=",
            code=codes.ATTRIBUTE_MISFIT.id,
        )
    elif "file" in attrs:
        yield from _filled_file_attributes(block, ctx)
    for key in ("mode", "owner", "check"):
        if key in attrs and "file" not in attrs:
            yield Finding(
                header_col(block, key, ctx),
                f"{key}= needs file=: it applies to the file the block is written to",
                code=codes.ATTRIBUTE_MISFIT.id,
            )
    if "schema" in attrs:
        name = attrs["schema"]
        if kind not in SCHEMA_KINDS:
            what = block.lang or "untagged"
            yield Finding(
                header_col(block, "schema", ctx),
                f"schema= applies to json, yaml and ini blocks, not {what!r} blocks",
                code=codes.ATTRIBUTE_MISFIT.id,
            )
        elif schema_path(ctx.config, name) is None:
            yield Finding(
                header_col(block, "schema", ctx),
                f"schema {name!r} not found in {ctx.config.display(ctx.config.schemas_dir)}",
                hint=_schema_hint(ctx.config, name),
                code=codes.SCHEMA_UNUSABLE.id,
            )
    if kind not in RUNNABLE_KINDS:
        for key in _RUN_ONLY:
            if key in attrs:
                yield Finding(
                    header_col(block, key, ctx),
                    f"{key}= has no effect on a {kind} block: it is never executed",
                    "warning",
                    code=codes.ATTRIBUTE_MISFIT.id,
                )
    # Advice about running blocks is for runbooks: elsewhere an untagged block or a console
    # block without prompts is right for its renderer.
    runbook = on_runbook_page(ctx)
    if not block.lang and kind == "other" and runbook:
        yield from _untagged(block)
    if kind == "console":
        yield from _console(block, runbook)


def _filled_file_attributes(block: Block, ctx: CheckContext) -> Iterator[Finding]:
    """`file=` and `owner=` once their placeholders are filled in (`file="{{ dir }}/app.conf"`):
    the path absolute, the owner a user or user:group."""
    attrs = block.attrs
    if "{{" not in attrs.get("file", "") + attrs.get("owner", ""):
        return  # the header grammar already judged them as written
    values = Values(values_for(ctx))
    path, _ = values.substitute(attrs["file"])
    if not path.startswith("/"):
        yield Finding(
            header_col(block, "file", ctx),
            f"file={attrs['file']!r} is {path!r} once filled in: an absolute path in the target",
            code=codes.ATTRIBUTE_VALUE.id,
        )
    if "owner" in attrs:
        owner, _ = values.substitute(attrs["owner"])
        if not OWNER.fullmatch(owner):
            yield Finding(
                header_col(block, "owner", ctx),
                f"owner={attrs['owner']!r} is {owner!r} once filled in: user or user:group",
                code=codes.ATTRIBUTE_VALUE.id,
            )


def _schema_hint(config: Config, name: str) -> str:
    folder = config.schemas_dir
    names = (
        sorted(p.name.removesuffix(".json").removesuffix(".schema") for p in folder.glob("*.json"))
        if folder.is_dir()
        else []
    )
    close = suggest(name, names)
    if close:
        return f"did you mean '{close.split(chr(39))[1]}'?"
    return f"expected {config.display(folder / (name + '.json'))}"


def _target(block: Block, ctx: CheckContext) -> Iterator[Finding]:
    target = block.attrs.get("target")
    if target is None:
        return  # the page's default target is checked once, by check_page_target
    known = known_targets(ctx.config)
    if target not in known:
        yield Finding(
            header_col(block, "target", ctx),
            f"unknown target {target!r}{suggest(target, known)}",
            hint="targets: " + ", ".join(known) + "; add others under [tool.runbookdocs.targets]",
            code=codes.UNKNOWN_TARGET.id,
        )
    elif not block.executable:
        yield Finding(
            header_col(block, "target", ctx),
            f"target= has no effect on a {block.kind} block: it is never executed nor written",
            "warning",
            code=codes.ATTRIBUTE_MISFIT.id,
        )


@page_check
def check_page_target(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """The page's default `runbook.target` names a known target."""
    target = doc.front.target
    if target is None:
        return []
    known = known_targets(ctx.config)
    if target in known:
        return []
    line = doc.front.line_of("runbook", "target") or 1
    return [
        Finding(
            Location(doc.path, line),
            f"unknown target {target!r} in runbook.target{suggest(target, known)}",
            hint="targets: " + ", ".join(known),
            code=codes.UNKNOWN_TARGET.id,
        )
    ]


def _untagged(block: Block) -> Iterator[Finding]:
    text = block.source.strip()
    if not text:
        return
    what = None
    if text[0] in "{[" and text[-1] in "}]":
        try:
            json.loads(text)
            what = "json"
        except (ValueError, RecursionError):
            what = "json" if text[0] == "{" and '":' in text else None
    if what is None:
        first = next(ln for ln in text.split("\n") if ln.strip()).strip()
        word = first.split()[0] if first.split() else ""
        prompt = _PROMPT.match(first)
        if prompt and (prompt.group("p") == "$" or prompt.group("word") in _COMMANDS):
            what = "console"
        elif word in _COMMANDS or first.startswith("#!/"):
            what = "bash"
    if what is not None:
        yield Finding(
            block.location,
            f"untagged block looks like {what}: it is neither checked nor run",
            "warning",
            hint=f"write ```{what} (or ```text if it is not {what})",
            code=codes.UNTAGGED_CODE.id,
        )


def _console(block: Block, runbook: bool) -> Iterator[Finding]:
    commands = console_commands(block)
    if not commands:
        if not runbook:
            return
        yield Finding(
            block.location,
            "console block has no command line ('$ ' or '# ')",
            hint="start each command with '$ ' ('# ' for root), or use ```text for output alone",
            code=codes.CONSOLE_WITHOUT_COMMAND.id,
        )
        return
    try:
        from runbookdocs.transcript import regex_error
    except ImportError:  # pragma: no cover - transcript.py is part of the package
        return
    lines = block.source.split("\n")
    command_lines = {k for c in commands for k in range(c.index, c.index + c.n_lines)}
    for i, line in enumerate(lines):
        if i in command_lines:
            continue
        error = regex_error(line.rstrip())
        if error:
            yield finding_at(
                block,
                i,
                1,
                f"invalid regular expression in ' (re)' line: {error}",
                code=codes.INVALID_REGEX,
            )
