"""What a site needs besides its pages, made the same way for every builder.

- `generated_pages`: the report page and the tags index;
- `configuration_problems`: what in the site's configuration would hide badges, trees or
  included text (fences taken by other formatters, the extension or snippets missing);
- `prepare`: `runbookdocs site prepare`, which writes the assets and the generated pages into
  the docs tree for builders that run no MkDocs plugin (Zensical). The MkDocs plugin hands the
  same pages and assets to MkDocs from memory instead.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.errors import UsageError
from runbookdocs.results import atomic_write
from runbookdocs.site import assets
from runbookdocs.site.reportpage import GENERATED, report_markdown, tags_markdown
from runbookdocs.site.settings import EXTENSION_NAMES, SiteSettings, dotted
from runbookdocs.site.state import Builder, load_document, project_config

TAGS_PLUGINS = frozenset({"tags", "material/tags"})
"""The plugins that fill a tags index (Material's, and Zensical's own)."""


def docs_pages(docs_dir: Path, skip: Iterable[str] = ()) -> list[tuple[str, Path]]:
    """(src_uri, file) of every Markdown page under `docs_dir`, as the builders publish them:
    dot files and folders are left out, and so are the pages in `skip`."""
    skipped = set(skip)
    out: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.endswith(".md") and not name.startswith("."):
                file = Path(folder) / name
                src_uri = file.relative_to(docs_dir).as_posix()
                if src_uri not in skipped:
                    out.append((src_uri, file))
    return out


def documents(pages: Sequence[tuple[str, Path]], root: Path) -> list[tuple[str, Document]]:
    """The pages read by runbookdocs (each parsed once per build)."""
    return [(uri, load_document(file, project_config(file.parent, root))) for uri, file in pages]


def is_generated(file: Path) -> bool:
    """True when `file` is a page runbookdocs generated (its marker is near the top)."""
    try:
        with file.open(encoding="utf-8", errors="replace") as fh:
            head = fh.read(2048)
    except OSError:
        return False
    return GENERATED in head


def generated_pages(
    settings: SiteSettings,
    docs: Sequence[tuple[str, Document]],
    config: Config,
    *,
    builder: Builder = "mkdocs",
) -> dict[str, str]:
    """Docs-relative path -> Markdown of the report page and the tags index (when configured),
    for the site `builder` builds (`runbookdocs site prepare` writes Zensical's)."""
    from runbookdocs.site.report import report_digest

    out: dict[str, str] = {}
    if settings.report_page:
        out[settings.report_page] = report_markdown(
            docs,
            config,
            settings.report_page,
            settings.language,
            report_digest(config.report),
            directory_urls=settings.use_directory_urls,
            builder=builder,
        )
    if settings.tags_page and TAGS_PLUGINS & set(settings.plugins):
        out[settings.tags_page] = tags_markdown(settings.language)
    return out


def configuration_problems(
    settings: SiteSettings,
    docs: Sequence[tuple[str, Document]],
    config: Config,
    *,
    plugin: bool,
) -> list[str]:
    """What would keep the site from showing what runbookdocs checked.

    Args:
        settings: the site's settings.
        docs: the site's pages.
        config: the project's runbookdocs configuration.
        plugin: the MkDocs plugin is running (it adds the extension, superfences and snippets
            when they are missing; without it they must be listed).
    """
    problems: list[str] = []
    names = set(settings.markdown_extensions)
    if not plugin:
        if not names & EXTENSION_NAMES:
            problems.append(
                "markdown_extensions does not list runbookdocs: pages would show no badge, "
                "no banner and no interactive tree (Zensical runs no MkDocs plugin; add "
                "'runbookdocs.site.extension')"
            )
        if "pymdownx.superfences" not in names:
            problems.append(
                "markdown_extensions does not list pymdownx.superfences, which renders "
                "runbookdocs' blocks and decision trees"
            )
    superfences = settings.mdx_configs.get("pymdownx.superfences")
    fences = superfences.get("custom_fences") if isinstance(superfences, Mapping) else None
    from runbookdocs.site.fences import FORMATTERS

    for entry in fences if isinstance(fences, list) else []:
        if not isinstance(entry, Mapping):
            continue
        name = entry.get("name")
        if name in FORMATTERS and dotted(entry.get("format")) != FORMATTERS[str(name)]:
            problems.append(
                f"pymdownx.superfences custom fence {name!r} uses {dotted(entry.get('format'))}: "
                f"runbookdocs needs {FORMATTERS[str(name)]} there (or no entry: the extension "
                "registers it), or its blocks lose their badges and trees their walker"
            )
    includes = any(ln.origin is not None for _, doc in docs for ln in doc.lines)
    if "pymdownx.snippets" in names or (includes and not plugin):
        problems.extend(_snippets_problems(settings, config, includes))
    return problems


def _snippets_problems(settings: SiteSettings, config: Config, includes: bool) -> list[str]:
    if "pymdownx.snippets" not in settings.markdown_extensions:
        return [
            "pages include files with --8<-- but markdown_extensions does not list "
            "pymdownx.snippets: the site would show the --8<-- lines instead of what "
            "runbookdocs checked and ran"
        ]
    conf = settings.mdx_configs.get("pymdownx.snippets")
    base = conf.get("base_path", ".") if isinstance(conf, Mapping) else "."
    bases = [base] if isinstance(base, str) else list(base) if isinstance(base, list) else []
    resolved = {(settings.root / str(b)).resolve() for b in bases} | {
        Path(str(b)).resolve() for b in bases
    }
    if includes and config.snippets_dir.is_dir() and config.snippets_dir.resolve() not in resolved:
        return [
            f"pymdownx.snippets base_path {bases} does not name "
            f"{config.display(config.snippets_dir)}, where runbookdocs finds included files: "
            "the site would not find them"
        ]
    return []


def tag_spellings(docs: Sequence[tuple[str, Document]]) -> list[str]:
    """Tags spelled several ways across the site (`reference` and `Référence`: case and accents
    aside, the same): the tags index would list each. A page's `runbook.system` and
    `runbook.owner` count as its tags, as on the site."""
    from runbookdocs.site.state import page_tags, tag_key

    seen: dict[str, dict[str, str]] = {}
    for src_uri, doc in docs:
        meta = doc.front.meta
        tags = page_tags(meta)
        if tags is None:
            raw = meta.get("tags")
            tags = [str(t) for t in raw] if isinstance(raw, list) else []
        for tag in tags:
            seen.setdefault(tag_key(tag), {}).setdefault(tag, src_uri)
    return [
        "tag spelled several ways (the tags index lists each; pick one): "
        + ", ".join(f"{tag!r} ({uri})" for tag, uri in sorted(spellings.items()))
        for spellings in seen.values()
        if len(spellings) > 1
    ]


# --------------------------------------------------------------------------- prepare


@dataclass
class Prepared:
    """What `prepare` did."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    """Generated-page paths holding a page a person wrote (left alone)."""
    notes: list[str] = field(default_factory=list)
    """Advice that does not stop the build."""


def prepare(settings: SiteSettings, *, force: bool = False) -> Prepared:
    """Write the assets and the generated pages into the docs tree (`runbookdocs site prepare`).

    Files are written only when their content changes, atomically.

    Raises:
        UsageError: the configuration would hide what runbookdocs checked, or the report page
            would replace a page a person wrote (unless `force`).
    """
    from runbookdocs.site.report import report_digest

    done = Prepared()
    config = project_config(settings.root, settings.root)
    target = settings.docs_dir / assets.URL_PREFIX
    generated = {settings.report_page, settings.tags_page} - {""}
    pages = docs_pages(settings.docs_dir, generated)
    docs = documents(pages, settings.root)
    problems = configuration_problems(settings, docs, config, plugin=False)
    if problems:
        raise UsageError(
            "the site is not set up for runbookdocs:\n" + "\n".join(f"    {p}" for p in problems),
            hint="see the 'Publish your site' guide",
        )
    for rel, text in generated_pages(settings, docs, config, builder="zensical").items():
        file = settings.docs_dir / rel
        if file.exists() and not is_generated(file):
            if rel != settings.report_page:  # a tags index of the site's own: it is the one used
                done.kept.append(file)
                continue
            if not force:
                raise UsageError(
                    f"{config.display(file)} exists and runbookdocs did not write it: the "
                    "report page would replace it",
                    hint="set report_page to another path in the runbookdocs plugin's "
                    "settings, or pass --force",
                )
        if _write_text(file, text):
            done.written.append(file)
    previous = assets.read_prepared(settings.docs_dir) or {}
    for rel in previous.get("pages", []):
        file = settings.docs_dir / str(rel)
        if str(rel) not in generated and file.is_file() and is_generated(file):
            file.unlink()
            done.removed.append(file)
    wanted = {rel for rel, _ in assets.files()}
    for rel, source in assets.files():
        dest = target / rel
        if not dest.is_file() or dest.read_bytes() != source.read_bytes():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, dest)
            done.written.append(dest)
    for file in sorted(target.rglob("*")) if target.is_dir() else []:
        rel = file.relative_to(target).as_posix()
        if file.is_file() and rel not in wanted and not file.name.startswith("."):
            file.unlink()
            done.removed.append(file)
    if TAGS_PLUGINS & set(settings.plugins):
        done.notes.extend(tag_spellings(docs))
    mermaid = f"{assets.URL_PREFIX}/{assets.MERMAID}"
    if settings.mermaid_fence and mermaid not in settings.extra_javascript:
        done.notes.append(
            f"the site has a mermaid fence: list {mermaid} in extra_javascript, or the theme "
            "loads Mermaid from a CDN for its diagrams"
        )
    if _write_text(target / ".gitignore", "# Written by 'runbookdocs site prepare'.\n*\n"):
        done.written.append(target / ".gitignore")
    record: dict[str, Any] = assets.prepared_record(
        settings.to_json(), report_digest(config.report)
    )
    record["pages"] = sorted(generated)
    if _write_text(target / assets.PREPARED, json.dumps(record, indent=2) + "\n"):
        done.written.append(target / assets.PREPARED)
    return done


def _write_text(file: Path, text: str) -> bool:
    try:
        if file.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    atomic_write(file, text)
    return True
