"""Regular expressions compiled at their first use, not when their module is imported.

Python 3.11 compiles a pattern in pure Python (`re._compiler`): tens to hundreds of
microseconds each. A site build imports modules whose patterns serve only `runbookdocs check`
or rare page shapes (Hugo configurations, counter-examples, Docusaurus admonitions); compiling
them at import made every build pay for them. `lazy()` defers the work to the first call and
then gets out of the way: the compiled pattern's methods are stored on the object, so later
calls cost one attribute lookup, as on a compiled pattern. (Written here because `re` has no
lazy form and the `regex` module's compile is no cheaper.)
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class _Lazy:
    """A pattern compiled on the first attribute asked of it."""

    def __init__(self, pattern: str, flags: int) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not in __dict__: the methods once, then never again.
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = re.compile(*self._args)
            for method in _METHODS:
                setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazy({self._args[0]!r})"


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(pattern, flags)`, done when the pattern is first used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
