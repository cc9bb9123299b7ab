"""runbookdocs: operations manuals as code.

Markdown runbooks are extracted into `Document`s made of `Block`s, validated statically into
`Finding`s, run in throwaway containers (`Target`, `Session`), and summed up in a `Report`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from runbookdocs.block import Block
from runbookdocs.config import Config, load_config
from runbookdocs.document import Document, parse_document, read_document
from runbookdocs.location import Location
from runbookdocs.results import Finding, Report, Result

__all__ = [
    "Block",
    "Config",
    "Document",
    "Finding",
    "Location",
    "Report",
    "Result",
    "__version__",
    "load_config",
    "parse_document",
    "read_document",
]
