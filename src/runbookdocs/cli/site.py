"""`runbookdocs site prepare`: write the site's assets and generated pages into the docs tree.

Builders that run no MkDocs plugin (Zensical) publish what the docs tree holds: this command
puts there what the MkDocs plugin would hand MkDocs (see `runbookdocs.site.prepare`). Run it
before each build, after `runbookdocs run --report`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from runbookdocs.cli import base
from runbookdocs.errors import UsageError

CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml", "zensical.toml")


def _site_args(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    prepare = sub.add_parser(
        "prepare",
        help="write the assets, report page and tags index into the docs directory",
        description="write the assets, report page and tags index into the docs directory "
        "(for builders that run no MkDocs plugin, such as Zensical)",
    )
    prepare.add_argument(
        "-f",
        "--config-file",
        type=Path,
        metavar="FILE",
        help="the site's configuration: mkdocs.yml or zensical.toml "
        f"(default: the first of {', '.join(CONFIG_FILES)} in the current directory)",
    )
    prepare.add_argument(
        "--force",
        action="store_true",
        help="replace a page at report_page that runbookdocs did not write",
    )


def run_site(args: argparse.Namespace) -> int:
    """`runbookdocs site prepare [-f mkdocs.yml]`."""
    if args.action != "prepare":
        raise UsageError("site: missing action (prepare)", hint="runbookdocs site prepare")
    config_file: Path | None = args.config_file
    if config_file is None:
        config_file = next((Path(n) for n in CONFIG_FILES if Path(n).is_file()), None)
        if config_file is None:
            raise UsageError(
                f"no {' or '.join(CONFIG_FILES)} in the current directory",
                hint="run from the site's directory, or name the file with -f",
            )
    elif not config_file.is_file():
        raise UsageError(f"{config_file}: no such file")
    from runbookdocs.site.prepare import prepare
    from runbookdocs.site.settings import read_settings

    settings = read_settings(config_file)
    if not settings.docs_dir.is_dir():
        raise UsageError(f"{settings.docs_dir}: the docs directory does not exist")
    done = prepare(settings, force=args.force)
    for file in done.kept:
        print(f"kept {_shown(file)} (not written by runbookdocs)", file=sys.stderr)
    for note in done.notes:
        print(f"note: {note}", file=sys.stderr)
    for file in done.removed:
        print(f"removed {_shown(file)}", file=sys.stderr)
    print(
        f"prepared {_shown(settings.docs_dir)} ({settings.language}): "
        f"{len(done.written)} file(s) written"
        + (", report page " + settings.report_page if settings.report_page else ", no report page"),
        file=sys.stderr,
    )
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


COMMANDS = (
    base.Command(
        "site",
        "prepare the published site (assets, report page) for builders without MkDocs plugins",
        _site_args,
        run_site,
    ),
)
