"""Python blocks: syntax, with Python's own compiler (nothing is run here).

pytest-markdown-docs runs python blocks in pytest (`pytest --markdown-docs
--markdown-docs-syntax=superfences`); runbookdocs checks that they compile, so a broken example
is caught by `runbookdocs check` too. A block marked `continuation` continues the previous
python block of the page (pytest-markdown-docs joins them): it is compiled with it.
"""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterable

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, block_validator
from runbookdocs.validate.common import fill, finding_at, on_runbook_page, values_for


@block_validator("python")
def check_python(block: Block, ctx: CheckContext) -> Iterable[Finding]:
    """The block (after the python blocks it continues) compiles; `notest` blocks (sketches,
    pseudo-code, excerpts) are left alone, as pytest-markdown-docs leaves them. Only on runbook
    pages (`on_runbook_page`)."""
    if "notest" in block.flags or not on_runbook_page(ctx):
        return
    before = _continued(block, ctx)
    filled = fill(block.source, values_for(ctx))
    text = "\n".join([*before, filled.text])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning: invalid escapes in examples
            ast.parse(text, filename=str(block))
    except SyntaxError as err:
        line = (err.lineno or 1) - 1 - len(before)
        if line < 0:
            return  # the error is in a block this one continues: reported there
        col = filled.col(line, err.offset or 1)
        yield finding_at(
            block, line, col, f"python syntax error: {err.msg}", code=codes.PYTHON_SYNTAX
        )
    except (ValueError, RecursionError, MemoryError) as err:  # NUL bytes, deep nesting
        yield finding_at(
            block, 0, 1, f"python block cannot be compiled: {err}", code=codes.PYTHON_SYNTAX
        )


def _continued(block: Block, ctx: CheckContext) -> list[str]:
    """Source lines of the python blocks `block` continues (`continuation` flag)."""
    if "continuation" not in block.flags or ctx.document is None:
        return []
    chain: list[Block] = []
    for other in ctx.document.blocks:
        if other is block or other.line >= block.line:
            break
        if other.kind != "python" or "notest" in other.flags:
            continue
        chain = [*chain, other] if "continuation" in other.flags else [other]
    return [line for b in chain for line in b.source.split("\n")]
