"""runbookdocs: operations manuals as code.

Markdown runbooks are extracted into `Document`s made of `Block`s, validated statically into
`Finding`s, run in throwaway containers (`Target`, `Session`), and summed up in a `Report`.

The public names are imported lazily: the pytest plugin loads this package in every pytest
session, and that must stay cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
"""The version: the single source (pyproject.toml reads it; see CHANGELOG.md)."""

_PUBLIC = {
    "Block": "runbookdocs.block",
    "Config": "runbookdocs.config",
    "load_config": "runbookdocs.config",
    "Document": "runbookdocs.document",
    "parse_document": "runbookdocs.document",
    "read_document": "runbookdocs.document",
    "Location": "runbookdocs.location",
    "Finding": "runbookdocs.results",
    "Report": "runbookdocs.results",
    "Result": "runbookdocs.results",
}

__all__ = [*sorted(_PUBLIC), "__version__"]

if TYPE_CHECKING:  # re-exported for type checkers; imported lazily at run time
    from runbookdocs.block import Block as Block
    from runbookdocs.config import Config as Config
    from runbookdocs.config import load_config as load_config
    from runbookdocs.document import Document as Document
    from runbookdocs.document import parse_document as parse_document
    from runbookdocs.document import read_document as read_document
    from runbookdocs.location import Location as Location
    from runbookdocs.results import Finding as Finding
    from runbookdocs.results import Report as Report
    from runbookdocs.results import Result as Result


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'runbookdocs' has no attribute {name!r}")
