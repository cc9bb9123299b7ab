"""`runbookdocs new PATH`: scaffold a runbook page (see `runbookdocs.scaffold`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runbookdocs import scaffold
from runbookdocs.cli import base
from runbookdocs.errors import UsageError
from runbookdocs.i18n import LANGUAGES, language, project_language


def _new_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", type=Path, metavar="PATH", help="the Markdown file to create")
    p.add_argument("--title", help="page title (default: from the file name)")
    p.add_argument(
        "--target", default="debian", help="default target of the page's blocks (default: debian)"
    )
    p.add_argument(
        "--owner",
        help="team or person responsible for the page (default: 'operations team', in the "
        "page's language)",
    )
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="language of the page's prose and examples (default: the project's language, see "
        "'language' in the configuration)",
    )
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    base.add_config(p)


def run_new(args: argparse.Namespace) -> int:
    """Write the page; refuse to overwrite unless `--force`."""
    from runbookdocs.block import suggest
    from runbookdocs.config import load_config

    path: Path = args.path
    if path.suffix != ".md":
        raise UsageError(
            f"{path}: a runbook page must be a .md file",
            hint=f"runbookdocs new {path.with_suffix('.md')}",
        )
    if path.is_dir():
        raise UsageError(f"{path}: is a directory")
    from runbookdocs.run.targets import BUILTIN_TARGETS

    config = load_config(args.config)
    known = [*BUILTIN_TARGETS, *config.targets]
    if args.target not in known:
        raise UsageError(
            f"unknown target {args.target!r}{suggest(args.target, known)}",
            hint="targets: " + ", ".join(known),
        )
    for name in ("title", "owner"):
        value = getattr(args, name)
        if value is not None and (not value.strip() or "\n" in value):
            raise UsageError(f"--{name} must be a non-empty single line, not {value!r}")
    if path.exists() and not args.force:
        raise UsageError(
            f"{path}: already exists; not overwritten",
            hint="choose another path, or pass --force to replace it",
        )
    lang = language(args.lang) if args.lang else project_language(config)
    text = scaffold.render_page(
        path,
        title=args.title or scaffold.title_from_path(path, lang),
        target=args.target,
        owner=args.owner or scaffold.default_owner(lang),
        lang=lang,
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise UsageError(f"{path}: cannot write: {err.strerror or err}") from err
    print(
        f"created {path}: edit the examples, then run 'runbookdocs check {path}'", file=sys.stderr
    )
    return 0


COMMANDS = (
    base.Command(
        "new", "create a runbook page with an example of every block kind", _new_args, run_new
    ),
)
