"""`runbookdocs play PAGE`: practise a runbook step by step in a throwaway sandbox.

The page's targets are started (its hidden set-up blocks run as the page goes), then each step is
shown in the terminal: the prose before it, rendered, then its command.

- **guided** (default): Enter runs the documented command and shows its real output; `s` passes
  the step, `q` quits;
- **practice** (`--practice`): the learner types the commands in a shell attached to the
  sandbox; a step passes when its documented check holds (exit status, expected output of a
  console or SQL block, the content of a `file=` block, or a hidden `.check` block right after
  it, see `runbookdocs.play.steps`); `indice` shows the documented command.

Progress is saved in the cache directory (`--resume` continues where the learner stopped) and
the sandbox is removed on every exit: end, `q`, Ctrl-C, SIGTERM, SIGHUP (and, for SIGKILL, by
the containers' own PID 1 wrapper). The terminal text is in French, like the knowledge base.

Imported at CLI start-up: the lesson, the sandbox and rich are imported inside the command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from runbookdocs.cli import command


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
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a variable (highest priority; repeatable)",
    )
    p.add_argument(
        "--config",
        type=Path,
        help="configuration file (default: nearest "
        "pyproject.toml with [tool.runbookdocs], or runbookdocs.toml)",
    )


@command("play", "practise a runbook step by step in a throwaway sandbox", _play_args)
def run_play(args: argparse.Namespace) -> int:
    from runbookdocs.play.tutor import play

    return play(args)


__all__ = ["run_play"]
