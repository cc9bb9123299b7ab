"""`runbookdocs play PAGE`: practise a runbook step by step in a throwaway sandbox."""

from __future__ import annotations

import argparse
from pathlib import Path

from runbookdocs.cli import base
from runbookdocs.i18n import LANGUAGES


def _play_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("page", type=Path, metavar="PAGE", help="the runbook (a Markdown file)")
    p.add_argument(
        "--practice",
        action="store_true",
        help="type the commands yourself; a step passes when its documented check holds",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue where the last session on this page stopped",
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of what the learner reads (default: the project's language, see "
        "'language' in the configuration)",
    )
    base.add_vars(p)
    base.add_config(p)


def run_play(args: argparse.Namespace) -> int:
    """Open the sandbox and walk the learner through the page."""
    from runbookdocs.play.tutor import play

    return play(args)


COMMANDS = (
    base.Command(
        "play", "practise a runbook step by step in a throwaway sandbox", _play_args, run_play
    ),
)
