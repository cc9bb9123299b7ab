"""The `runbookdocs` command: check | list | run | images | clean | new | play | report | site.

Each sub-command lives in a module of this package (`check`, `run`, `play`, `new`, `report`)
that exposes `COMMANDS`, a tuple of `runbookdocs.cli.base.Command`; adding a command means one
module and one line in `COMMAND_MODULES`.

Exit status: 0 all good, 1 a runbook is wrong, 2 usage, configuration, tool or environment error.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from runbookdocs.cli.base import Command
from runbookdocs.errors import RunbookdocsError, UsageError

COMMAND_MODULES = (
    "runbookdocs.cli.check",
    "runbookdocs.cli.run",
    "runbookdocs.cli.new",
    "runbookdocs.cli.play",
    "runbookdocs.cli.report",
    "runbookdocs.cli.importer",
    "runbookdocs.cli.site",
)
"""Modules whose `COMMANDS` make up the CLI, in the order `--help` lists them."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}", hint=f"see '{self.prog} --help'")


def commands() -> dict[str, Command]:
    """Every sub-command by name."""
    found: dict[str, Command] = {}
    for module in COMMAND_MODULES:
        for cmd in importlib.import_module(module).COMMANDS:
            found[cmd.name] = cmd
    return found


def build_parser(table: dict[str, Command] | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    from runbookdocs import __version__

    parser = _Parser(prog="runbookdocs", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--version", action="version", version=f"runbookdocs {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, cmd in (table or commands()).items():
        cmd.add_arguments(sub.add_parser(name, help=cmd.help, description=cmd.help))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    try:
        table = commands()
        parser = build_parser(table)
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help(sys.stderr)
            return 2
        return table[args.command].run(args)
    except RunbookdocsError as err:
        print(f"runbookdocs: {err.render()}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("runbookdocs: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as err:
        if os.environ.get("RUNBOOKDOCS_DEBUG"):
            raise
        print(
            f"runbookdocs: internal error: {type(err).__name__}: {err}\n"
            "    Hint: this is a bug in runbookdocs; rerun with RUNBOOKDOCS_DEBUG=1 for the "
            "traceback and report it",
            file=sys.stderr,
        )
        return 2


__all__ = ["COMMAND_MODULES", "Command", "build_parser", "commands", "main"]
