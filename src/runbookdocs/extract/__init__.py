"""From Markdown text to a `Document`: front matter, `--8<--` includes, directives, fences."""

from runbookdocs.extract.fences import Fence, find_fences
from runbookdocs.extract.frontmatter import FrontMatter, parse_front_matter
from runbookdocs.extract.snippets import Line, expand_snippets

__all__ = ["Fence", "FrontMatter", "Line", "expand_snippets", "find_fences", "parse_front_matter"]
