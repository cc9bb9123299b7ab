"""The MkDocs plugin: `plugins: [runbookdocs]` is all a site needs.

Everything a page does on its own lives in the Markdown extension and the custom fences
(`runbookdocs.site.extension`, `runbookdocs.site.fences`), which Zensical runs too. This plugin:

- lists the extension, `pymdownx.superfences` and `pymdownx.snippets` (with runbookdocs' include
  paths) when the configuration does not; the extension registers its custom fences and keeps
  the site's own; a fence runbookdocs needs that another formatter holds, or snippets looked up
  elsewhere than runbookdocs looks, is a warning (an error under `--strict`);
- tells the extension which page it converts, with the site's settings and language;
- publishes the assets from the package and generates the report page and the tags index
  (the same pages `runbookdocs site prepare` writes for Zensical);
- adds each page's `runbook.system` and `runbook.owner` to its tags, and names the navigation
  sections after the systems.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config as MkConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from runbookdocs.site.settings import OPTIONS, SiteSettings

log = logging.getLogger("mkdocs.plugins.runbookdocs")

MERMAID = "assets/runbookdocs/vendor/mermaid/mermaid.min.js"


class RunbookdocsPluginConfig(MkConfig):  # type: ignore[no-untyped-call]
    """Settings of the `runbookdocs` plugin in `mkdocs.yml` (declared in `settings.OPTIONS`)."""

    report_page = c.Optional(c.Type(str))
    tags_page = c.Optional(c.Type(str))
    tags = c.Type(bool, default=OPTIONS["tags"].default)
    systems = c.Type(dict, default=OPTIONS["systems"].default)
    mermaid = c.Type(bool, default=OPTIONS["mermaid"].default)
    search_fold = c.Type(bool, default=OPTIONS["search_fold"].default)
    last_updated = c.Type(bool, default=OPTIONS["last_updated"].default)


class RunbookdocsPlugin(BasePlugin[RunbookdocsPluginConfig]):  # type: ignore[no-untyped-call]
    """Configuration, page context, assets and generated pages for runbookdocs sites."""

    settings: SiteSettings | None = None

    def on_config(self, config: Any) -> Any:
        """List what the site needs; read the site's settings."""
        from runbookdocs.errors import ConfigError
        from runbookdocs.i18n import language
        from runbookdocs.site import dates, state
        from runbookdocs.site.settings import (
            EXTENSION_NAMES,
            page_setting,
            site_language,
            source_url,
        )

        state.forget()  # a new build (mkdocs serve): read configurations and pages again
        dates.forget()
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            project = state.project_config(root, root)
        except ConfigError:  # `runbookdocs check` says what is wrong; the site still builds
            project = None
        theme_language = config.theme.get("language") if config.theme else None
        lang = site_language(theme_language, project.language if project is not None else "")
        extensions = config.markdown_extensions
        if not any(isinstance(e, str) and e in EXTENSION_NAMES for e in extensions):
            extensions.insert(0, "runbookdocs.site.extension")
        if "pymdownx.superfences" not in extensions:
            extensions.append("pymdownx.superfences")
        if "pymdownx.snippets" not in extensions and project is not None:
            extensions.append("pymdownx.snippets")
            config.mdx_configs["pymdownx.snippets"] = {
                "base_path": [str(p) for p in project.snippet_base_paths],
                "check_paths": True,
            }
        self.settings = SiteSettings(
            root=root,
            docs_dir=Path(config.docs_dir).resolve(),
            language=language(lang),
            report_page=page_setting("report_page", self.config.report_page, lang),
            tags_page=page_setting("tags_page", self.config.tags_page, lang),
            tags=self.config.tags,
            systems={str(k): str(v) for k, v in self.config.systems.items()},
            mermaid=self.config.mermaid,
            use_directory_urls=bool(config.use_directory_urls),
            markdown_extensions=tuple(str(e) for e in extensions),
            mdx_configs=dict(config.mdx_configs),
            plugins=tuple(config.plugins),
            extra_javascript=tuple(str(getattr(s, "path", s)) for s in config.extra_javascript),
            source_url=source_url(config.repo_url, config.edit_uri),
            last_updated=self.config.last_updated,
        )
        if (
            self.config.mermaid
            and self.settings.mermaid_fence
            and MERMAID not in self.settings.extra_javascript
        ):
            # The site's own ```mermaid diagrams: the theme would fetch Mermaid from a CDN.
            config.extra_javascript.insert(0, MERMAID)
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        """Publish the assets; generate the report page and the tags index; check the set-up."""
        from runbookdocs.errors import ConfigError
        from runbookdocs.site import assets
        from runbookdocs.site.prepare import (
            TAGS_PLUGINS,
            configuration_problems,
            documents,
            generated_pages,
            is_generated,
            tag_spellings,
        )
        from runbookdocs.site.state import project_config

        settings = self.settings
        assert settings is not None  # set by on_config
        for rel, source in assets.files():
            uri = f"{assets.URL_PREFIX}/{rel}"
            prepared = files.get_file_from_path(uri)
            if prepared is not None:  # copied by `runbookdocs site prepare`: serve this version
                files.remove(prepared)
            files.append(File.generated(config, uri, abs_src_path=str(source)))
        generated = {settings.report_page, settings.tags_page} - {""}
        pages = [
            (f.src_uri, Path(f.abs_src_path))
            for f in files.documentation_pages()
            if f.abs_src_path and f.src_uri not in generated
        ]
        try:
            project = project_config(settings.root, settings.root)
        except ConfigError as err:
            log.warning(f"runbookdocs: {err}")
            return files
        docs = documents(pages, settings.root)
        for problem in configuration_problems(settings, docs, project, plugin=True):
            log.warning(f"runbookdocs: {problem}")
        for problem in (
            tag_spellings(docs) if settings.tags or TAGS_PLUGINS & set(settings.plugins) else []
        ):
            log.warning(f"runbookdocs: {problem}")
        for rel, text in generated_pages(settings, docs, project).items():
            existing = files.get_file_from_path(rel)
            if existing is not None and existing.abs_src_path:
                if not is_generated(Path(existing.abs_src_path)):
                    if rel == settings.report_page:
                        log.warning(
                            f"runbookdocs: {rel} is a page of the site, not a report page "
                            "runbookdocs generated: it is kept, and the report is not "
                            "published (set report_page to another path)"
                        )
                    continue
                files.remove(existing)
            files.append(File.generated(config, rel, content=text))
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        """Name top-level sections after the systems (`systems:` setting)."""
        systems = self.settings.systems if self.settings is not None else {}
        for item in nav.items:
            children = getattr(item, "children", None)
            if not children or not getattr(item, "is_section", False):
                continue
            folder = _folder(item)
            # Only the titles MkDocs made from a folder name: a title the site's `nav:` gives
            # ("Systèmes", "Guides") is the site's choice.
            if folder is not None and folder in systems and item.title == _auto_title(folder):
                item.title = systems[folder]
        return nav

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        """Tell the Markdown extension which page this is; tag it with system and owner."""
        from runbookdocs.site.state import CURRENT_PAGE, PageContext, page_tags

        abs_src = page.file.abs_src_path
        CURRENT_PAGE.set(
            PageContext(
                file=Path(abs_src) if abs_src and Path(abs_src).is_file() else None,
                src_uri=page.file.src_uri,
                directory_urls=bool(config.use_directory_urls),
                url=page.url,
                settings=self.settings,
                builder="mkdocs",
            )
        )
        if self.config.tags:
            tags = page_tags(page.meta)
            if tags is not None:
                page.meta["tags"] = tags
        return markdown

    @event_priority(100)
    def _hide_chrome(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        """Before the search plugin indexes the page: the page without runbookdocs' chrome."""
        from runbookdocs.site.extension import without_chrome

        content = page.content
        if isinstance(content, str):
            # Status chrome (block heads, the banner, tree overviews) is marked
            # data-search-exclude: Material's indexer would parse it element by element, then
            # drop it. The same index, without that work (`without_chrome`); the page is put
            # back right after.
            self._chrome = (page, content)
            page.content = without_chrome(content)
        return context

    @event_priority(-100)
    def _show_chrome(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        """After the search plugin: the page as it is published."""
        if self._chrome is not None and self._chrome[0] is page:
            page.content = self._chrome[1]
        self._chrome = None
        return context

    on_page_context = CombinedEvent(_hide_chrome, _show_chrome)
    _chrome: tuple[Any, str] | None = None

    @event_priority(50)
    def _fold_search(self, *, config: Any) -> None:
        """Before the search plugin writes its index: accent-free words added to its entries
        (`runbookdocs.site.search`)."""
        self._folded = False
        if not self.config.search_fold:
            return
        from runbookdocs.site.search import fold_search_plugin

        for name, plugin in config.plugins.items():
            if name.split("/")[-1] == "search" and fold_search_plugin(plugin):
                self._folded = True

    @event_priority(-100)
    def _fold_written(self, *, config: Any) -> None:
        """After it wrote the index, when its entries could not be reached: the file."""
        if not self.config.search_fold or self._folded:
            return
        from runbookdocs.site.search import fold_index

        fold_index(Path(config.site_dir) / "search" / "search_index.json")

    on_post_build = CombinedEvent(_fold_search, _fold_written)
    _folded = False

    def on_page_content(self, html_text: str, *, page: Any, config: Any, files: Files) -> str:
        """The page is converted: forget it."""
        from runbookdocs.site.state import CURRENT_PAGE

        CURRENT_PAGE.set(None)
        return html_text

    def on_build_error(self, *, error: Exception) -> None:
        """A page failed mid-conversion: forget it, or later conversions would think they are it."""
        from runbookdocs.site.state import CURRENT_PAGE

        CURRENT_PAGE.set(None)


def _auto_title(folder: str) -> str:
    """The title MkDocs gives a section made from a folder (`mkdocs.utils.dirname_to_title`)."""
    from mkdocs.utils import dirname_to_title

    return str(dirname_to_title(folder))


def _folder(section: Any) -> str | None:
    for child in getattr(section, "children", []) or []:
        file = getattr(child, "file", None)
        if file is not None:
            return str(file.src_uri).split("/", 1)[0]
        found = _folder(child)
        if found:
            return found
    return None
