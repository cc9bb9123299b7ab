"""`runbookdocs import PATH...`: legacy manuals to checked runbook pages (`runbookdocs.importer`).

Every source is read first (a bad one stops the command before anything is written), every
output is checked for an existing page (never replaced without `--force`), then the pages are
converted, checked together in this process with runbookdocs' own check, and written atomically.
The import report of each page comes first, then the check's findings, each with the line of
the page and the line of the source it came from.

Exit status: 0 the pages pass the check, 1 the check found errors (defects of the source, or
what the import could not settle), 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from runbookdocs.cli import base
from runbookdocs.errors import UsageError

if TYPE_CHECKING:
    from runbookdocs.config import Config
    from runbookdocs.importer import Imported
    from runbookdocs.results import Report


def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="documents (.txt, .md, .docx, .html) or folders of them",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, metavar="OUT", help="the page to write")
    where.add_argument(
        "--into",
        type=Path,
        metavar="DIR",
        help="folder for the pages (default: the configured docs directory)",
    )
    p.add_argument(
        "--lang",
        choices=("fr", "en"),
        help="language of the text the import adds (default: the project's language)",
    )
    p.add_argument("--target", help="default target of the pages' blocks (default: left open)")
    p.add_argument(
        "--from",
        dest="form",
        choices=("text", "markdown", "word", "html"),
        help="read every PATH as this form, whatever its suffix",
    )
    p.add_argument("--force", action="store_true", help="replace pages that already exist")
    base.add_config(p)


def _sources(paths: list[Path], form: str | None) -> list[tuple[Path, Path]]:
    """(file, its path relative to the folder named) for every document named."""
    from runbookdocs.importer import FORMS

    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                f
                for f in path.rglob("*")
                if f.is_file()
                and (form is not None or f.suffix.lower() in FORMS)
                and not any(part.startswith(".") for part in f.relative_to(path).parts)
            )
            if not files:
                raise UsageError(
                    f"{path}: no document to import (.txt, .md, .docx, .html)",
                )
            found.extend((f, f.relative_to(path)) for f in files)
        else:
            found.append((path, Path(path.name)))
    return found


def _outputs(
    files: list[tuple[Path, Path]], args: argparse.Namespace, config: Config
) -> list[Path]:
    from runbookdocs.importer.render import slug

    if args.output is not None:
        if len(files) != 1:
            raise UsageError(
                f"-o names one page, but {len(files)} documents were given",
                hint="use --into DIR for several documents",
            )
        out: Path = args.output
        if out.suffix != ".md":
            raise UsageError(f"{out}: a runbook page must be a .md file")
        return [out]
    folder: Path = args.into if args.into is not None else config.docs_dir
    outs = []
    for _, rel in files:
        name = slug(rel.stem, limit=60) or "page"
        outs.append(folder / rel.parent / f"{name}.md")
    return outs


def _check_outputs(files: list[tuple[Path, Path]], outs: list[Path], force: bool) -> None:
    seen: dict[Path, Path] = {}
    for (src, _), out in zip(files, outs, strict=True):
        key = out.resolve()
        if key in seen:
            raise UsageError(
                f"{src} and {seen[key]} would both be imported as {out}",
                hint="import them one at a time with -o",
            )
        seen[key] = src
        if key == src.resolve():
            raise UsageError(f"{out}: would replace its own source", hint="write it elsewhere: -o")
        if out.is_dir():
            raise UsageError(f"{out}: is a directory")
        if out.exists() and not force:
            raise UsageError(
                f"{out}: already exists; not overwritten",
                hint="choose another path, or pass --force to replace it",
            )


def run_import(args: argparse.Namespace) -> int:
    """Convert, check, write, report."""
    from runbookdocs import i18n
    from runbookdocs.block import suggest
    from runbookdocs.importer import SourceError, convert, read_source
    from runbookdocs.run.targets import BUILTIN_TARGETS

    config = base.load(args)
    lang = args.lang or i18n.project_language(config)
    if args.target is not None:
        known = [*BUILTIN_TARGETS, *config.targets]
        if args.target not in known:
            raise UsageError(
                f"unknown target {args.target!r}{suggest(args.target, known)}",
                hint="targets: " + ", ".join(known),
            )
    files = _sources(list(args.paths), args.form)
    outs = _outputs(files, args, config)
    _check_outputs(files, outs, args.force)
    sources = [read_source(f, str(f), form=args.form, max_mb=config.max_file_mb) for f, _ in files]
    imported: list[Imported] = []
    for source, out in zip(sources, outs, strict=True):
        try:
            imported.append(
                convert(
                    source,
                    out,
                    out_display=config.display(out),
                    lang=lang,
                    target=args.target,
                )
            )
        except SourceError:
            raise
        except (ValueError, KeyError, IndexError, AttributeError) as err:
            # A damaged document that its parser read without complaint: never a traceback.
            raise SourceError(f"{source.display}: cannot be read as {source.form}: {err}") from err
    for item in imported:
        _write_images(item)
    report = _check(imported, config)
    for item in imported:
        _write_page(item)
    for item in imported:
        print(item.report.render())
    errors, warnings = _print_findings(report, imported)
    blocks = sum(item.report.blocks for item in imported)
    base.stderr(
        f"imported {len(imported)} page(s), {blocks} block(s); check: {errors} error(s), "
        f"{warnings} warning(s)"
    )
    return 1 if errors else 0


def _write_images(item: Imported) -> None:
    import os
    import tempfile

    for rel, data in item.images.items():
        target = item.out.parent / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Same rename dance as results.atomic_write, for bytes: never half an image.
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        except OSError as err:
            raise UsageError(f"{target}: cannot write: {err.strerror or err}") from err


def _write_page(item: Imported) -> None:
    from runbookdocs.results import atomic_write

    try:
        atomic_write(item.out, item.page.text)
    except OSError as err:
        raise UsageError(f"{item.out}: cannot write: {err.strerror or err}") from err


def _check(imported: list[Imported], config: Config) -> Report:
    from runbookdocs.document import parse_document
    from runbookdocs.validate import check_documents

    documents = [
        parse_document(
            item.page.text,
            path=config.display(item.out),
            file=item.out.resolve(),
            config=config,
        )
        for item in imported
    ]
    return check_documents(documents, config)


def _print_findings(report: Report, imported: list[Imported]) -> tuple[int, int]:
    """Every finding, then where its line comes from in the source; (errors, warnings)."""
    by_path = {item.report.output: item for item in imported}
    printed: set[str] = set()
    counts = {"error": 0, "warning": 0}
    for r in sorted(report.results, key=lambda r: (r.path, r.line)):
        if r.outcome in ("passed", "skipped"):
            continue
        for f in sorted(r.findings, key=lambda f: f.location):
            text = f.render()
            if text in printed:
                continue
            printed.add(text)
            counts[f.severity] += 1
            item = by_path.get(f.location.path)
            if item is not None:
                line = item.page.source_line(f.location.line)
                text += (
                    f"\n    in the source: {item.report.where(line)}"
                    if line
                    else ("\n    added by the import (not in the source)")
                )
            print(text)
    sys.stdout.flush()
    return counts["error"], counts["warning"]


COMMANDS = (
    base.Command(
        "import",
        "turn legacy manuals (.txt, .md, .docx, .html) into checked runbook pages",
        _import_args,
        run_import,
    ),
)
