"""The thin MkDocs plugin: only what needs the whole site.

Everything a page can do on its own lives in the Markdown extension and the custom fences
(`runbookdocs.site.extension`, `runbookdocs.site.fences`), which Zensical also runs. This plugin:

- tells the extension which file each page is (`on_page_markdown` / `on_page_content`);
- serves the site assets from the package (walker, styles, the vendored Mermaid);
- generates the report page (every runbook with its status and coverage);
- adds each page's `runbook.system` and `runbook.owner` to its tags (for Material's tags plugin,
  which must come after this plugin), and names the navigation sections after the systems.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as MkConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from runbookdocs.site.state import CURRENT_PAGE, PageContext

log = logging.getLogger("mkdocs.plugins.runbookdocs")

ASSETS = Path(__file__).parent / "assets"
"""The package's site assets, published under `assets/runbookdocs/`."""

SCRIPTS = ("vendor/mermaid/mermaid.min.js", "runbookdocs.js")
STYLES = ("runbookdocs.css",)


TAGS_PAGE = """---
title: Étiquettes
---
# Étiquettes

Les pages par système, par équipe responsable et par sujet.

<!-- material/tags -->
"""


class RunbookdocsPluginConfig(MkConfig):  # type: ignore[no-untyped-call]
    """Settings of the `runbookdocs` plugin in `mkdocs.yml`."""

    report_page = c.Type(str, default="rapport.md")
    """Where the generated report page is published (empty: no report page)."""
    systems = c.Type(dict, default={})
    """Navigation labels of the top-level directories, e.g. `{ocpizza: OC Pizza}`."""
    tags = c.Type(bool, default=True)
    """Add `runbook.system` and `runbook.owner` to each page's tags."""
    tags_page = c.Type(str, default="etiquettes.md")
    """Where the generated tags index is published (empty: none; needs Material's tags plugin)."""
    mermaid = c.Type(bool, default=True)
    """Serve the vendored Mermaid (Material then never fetches it from a CDN)."""


class RunbookdocsPlugin(BasePlugin[RunbookdocsPluginConfig]):  # type: ignore[no-untyped-call]
    """Report, page context and assets for runbookdocs sites."""

    def on_config(self, config: Any) -> Any:
        """Add the package's scripts and styles; warn when the custom fences are missing."""
        scripts = [s for s in SCRIPTS if self.config.mermaid or "mermaid" not in s]
        for script in reversed(scripts):
            config.extra_javascript.insert(0, f"assets/runbookdocs/{script}")
        for style in STYLES:
            config.extra_css.append(f"assets/runbookdocs/{style}")
        names = [
            getattr(e, "__module__", str(e)) if not isinstance(e, str) else e
            for e in config.markdown_extensions
        ]
        if not any(str(n).startswith("runbookdocs") for n in names):
            log.warning(
                "runbookdocs: add 'runbookdocs.site.extension' to markdown_extensions "
                "(badges, variables and page checks need it)"
            )
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        """Publish the assets and generate the report page."""
        for asset in sorted(ASSETS.rglob("*")):
            if asset.is_file() and not asset.name.startswith("."):
                rel = asset.relative_to(ASSETS).as_posix()
                files.append(
                    File.generated(config, f"assets/runbookdocs/{rel}", abs_src_path=str(asset))
                )
        if self.config.report_page:
            from runbookdocs.site.reportpage import report_markdown

            text = report_markdown(
                self._pages(files), self._project(config), self.config.report_page
            )
            existing = files.get_file_from_path(self.config.report_page)
            if existing is not None:
                files.remove(existing)
            files.append(File.generated(config, self.config.report_page, content=text))
        if self.config.tags_page and files.get_file_from_path(self.config.tags_page) is None:
            files.append(File.generated(config, self.config.tags_page, content=TAGS_PAGE))
        return files

    def _pages(self, files: Files) -> list[tuple[str, Path]]:
        generated = {self.config.report_page, self.config.tags_page}
        return [
            (f.src_uri, Path(f.abs_src_path))
            for f in files.documentation_pages()
            if f.abs_src_path and f.src_uri not in generated
        ]

    def _project(self, config: Any) -> Any:
        from runbookdocs.site.state import project_config

        return project_config(Path(config.config_file_path or ".").resolve().parent)

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        """Name top-level sections after the systems (`systems:` setting)."""
        systems = {str(k): str(v) for k, v in self.config.systems.items()}
        for item in nav.items:
            children = getattr(item, "children", None)
            if not children or not getattr(item, "is_section", False):
                continue
            folder = _folder(item)
            if folder in systems:
                item.title = systems[folder]
        return nav

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        """Tell the Markdown extension which file this page is; tag it with system and owner."""
        abs_src = page.file.abs_src_path
        CURRENT_PAGE.set(
            PageContext(
                file=Path(abs_src) if abs_src and Path(abs_src).is_file() else None,
                src_uri=page.file.src_uri,
                directory_urls=bool(config.use_directory_urls),
            )
        )
        runbook = page.meta.get("runbook")
        if self.config.tags and isinstance(runbook, dict):
            tags = page.meta.get("tags")
            tags = list(tags) if isinstance(tags, list) else []
            for key in ("system", "owner"):
                value = runbook.get(key)
                if isinstance(value, str) and value.strip() and value not in tags:
                    tags.append(value.strip())
            page.meta["tags"] = tags
        return markdown

    def on_page_content(self, html_text: str, *, page: Any, config: Any, files: Files) -> str:
        """The page is converted: forget it."""
        CURRENT_PAGE.set(None)
        return html_text

    def on_build_error(self, *, error: Exception) -> None:
        """A page failed mid-conversion: forget it, or later conversions would think they are it."""
        CURRENT_PAGE.set(None)


def _folder(section: Any) -> str | None:
    for child in getattr(section, "children", []) or []:
        file = getattr(child, "file", None)
        if file is not None:
            return str(file.src_uri).split("/", 1)[0]
        found = _folder(child)
        if found:
            return found
    return None
