"""The published site: superfences custom fences, the Markdown extension, the MkDocs plugin.

- `runbookdocs.site.fences`: custom fences (validator + formatter) for runbook blocks and
  decision trees, referenced from `mkdocs.yml` with `!!python/name:` (MkDocs and Zensical);
- `runbookdocs.site.extension`: the Markdown extension that reads the page being rendered,
  fails it on broken fences, and adds the page banner and the variables form;
- `runbookdocs.site.plugin`: the thin MkDocs plugin (page context, assets, report page, tags);
- `runbookdocs.site.report`, `runbookdocs.site.trees`, `runbookdocs.site.reportpage`: the run
  report as the site reads it, decision-tree rendering, the report page.

Nothing here is imported by the CLI or the pytest plugin.
"""

from __future__ import annotations

from typing import Any


def makeExtension(**kwargs: Any) -> Any:
    """`markdown_extensions: [runbookdocs.site]` works like `runbookdocs.site.extension`."""
    from runbookdocs.site.extension import RunbookExtension

    return RunbookExtension(**kwargs)
