"""Which findings are reported: the project's `select`/`ignore`, a page's and a block's own.

Selectors name finding codes the way linters do:

- a code id (`RBD505`) or its name (`unused-value`);
- a shellcheck code (`SC2086`), matched against `Finding.tool_code`;
- a prefix of ids (`RBD5`: every page check; `SC`: every shellcheck code), or `ALL`.

A finding is reported when it is *selected* and not *ignored*. `select` replaces the default
selection, which is `["RBD"]`: every runbookdocs code, and of shellcheck's codes only those in
`DEFAULT_SHELLCHECK` (the ones that point at commands that do not do what the page says; the
others are style advice that is noise in documentation). A shellcheck code is selected when it
is named (`SC2086`, `SC`, `ALL`), or when it is a default one and `RBD302` is selected.

Ignoring happens at three levels, all additive: the project (`ignore` in `[tool.runbookdocs]`,
`--ignore`), a page (`runbook.ignore` in its front matter) and a block (an
`<!-- runbook: allow code="..." -->` directive before it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from runbookdocs import codes
from runbookdocs.patterns import lazy

if TYPE_CHECKING:
    from runbookdocs.config import Config
    from runbookdocs.results import Finding

DEFAULT_SELECT: tuple[str, ...] = ("RBD",)
"""What is selected when the project says nothing."""

DEFAULT_SHELLCHECK: frozenset[str] = frozenset(
    {
        # A line break that is not one: the next line runs as its own command.
        "SC1101",  # space after the `\` that should continue the line
        "SC2215",  # a flag used as a command name: the `\` at the end of the line above is missing
        "SC2287",  # a command name ending with '/' (a line break in a path)
        # Text that is not what the reader sees.
        "SC2028",  # `echo "\n"` prints a backslash and an n: use printf
        "SC1012",  # `\t` is a literal t outside quotes
        "SC2027",  # quotes that unquote: "a"$b"c"
        # Assignments and comparisons that do something else.
        "SC1007",  # `x= value` runs `value` with x empty
        "SC2283",  # `x = 1`: a command named x
        "SC2276",  # `x==1` as a command name
        "SC2290",  # spaces around = in an assignment
        "SC2070",  # `-n $x` unquoted is always true
        "SC2071",  # `>` compares strings, not numbers
        "SC2050",  # a constant expression
        "SC2193",  # a comparison that can never be equal
        "SC2157",  # a test on a literal that is always true or false
        "SC2195",  # a case pattern that can never match
        "SC2221",  # a case pattern overridden by an earlier one
        "SC2222",  # a case pattern that can never be reached
        "SC2210",  # `cmd > 2`: a file named 2, not a comparison
        "SC2251",  # `!` outside a condition does not negate anything
        "SC2265",  # `&` where `&&` was meant
        "SC2266",  # `|` where `||` was meant
        # Redirections and pipes that lose data.
        "SC2069",  # `2>&1 >file`: errors still go to the terminal
        "SC2094",  # the same file read and written in one pipeline: it is truncated
        "SC2259",  # a redirection that overrides the piped input
        "SC2260",  # a redirection that overrides the pipe's output
        "SC2261",  # several redirections compete for the same stream
        "SC2216",  # piping into a command that does not read its input
        "SC2217",  # redirecting into a command that does not read its input
        "SC2238",  # redirecting to a command name
        # Dangerous with an empty variable.
        "SC2115",  # `rm -rf "$dir/"`: deletes / when dir is empty
        "SC2114",  # deletes a system directory
        # Commands missing an operand.
        "SC2224",  # mv with one argument
        "SC2225",  # cp with one argument
        "SC2226",  # ln with one argument
    }
)
"""Shellcheck codes reported without being named in `select`; each has found commands in real
documentation that did not do what their page said."""

_PREFIX = lazy(r"[A-Z]{2,5}[0-9]{0,3}\Z")


def _norm(selector: str) -> str:
    code = codes.get(selector)
    return code.id if code is not None else selector.strip().upper()


def unknown(selectors: Iterable[str]) -> list[str]:
    """The selectors of `selectors` that name no code (loading third-party validators first
    when a selector is not a built-in code, since they register their own codes)."""
    bad = [s for s in selectors if not _known(s)]
    if bad:
        from runbookdocs.validate import load_validators

        load_validators()
        bad = [s for s in bad if not _known(s)]
    return bad


def _known(selector: str) -> bool:
    if not isinstance(selector, str) or not selector.strip():
        return False
    s = _norm(selector)
    if s == "ALL" or codes.known(s) or codes.is_tool_code(s) or s == "SC":
        return True
    if s.startswith("SC") and re.fullmatch(r"SC[0-9]{1,3}", s):
        return True
    return bool(_PREFIX.match(s)) and any(c.startswith(s) for c in codes.all_codes())


def problems(selectors: object, what: str) -> list[str]:
    """Why `selectors` (a configuration value) is not a list of known codes; empty when it is."""
    if not isinstance(selectors, list) or not all(isinstance(s, str) for s in selectors):
        return [f"{what}: must be a list of finding codes (RBD505, todo-marker, SC2086)"]
    return [f"{what}: unknown finding code {s!r}{_close(s)}" for s in unknown(selectors)]


def _close(selector: str) -> str:
    from runbookdocs.block import suggest

    names = [*codes.all_codes(), *(c.name for c in codes.all_codes().values())]
    return suggest(selector, names)


def _matches(selector: str, code: str) -> bool:
    return selector == "ALL" or code == selector or code.startswith(selector)


class Selection(NamedTuple):
    """The project's `select` and `ignore`, normalised (names become ids)."""

    select: tuple[str, ...] = DEFAULT_SELECT
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, config: Config) -> Selection:
        """The selection a configuration asks for."""
        return cls.make(config.select, config.ignore)

    @classmethod
    def make(cls, select: Sequence[str] | None, ignore: Sequence[str] = ()) -> Selection:
        """A selection from selectors as written (None or empty `select`: the default)."""
        return cls(
            tuple(_norm(s) for s in select) if select else DEFAULT_SELECT,
            tuple(_norm(s) for s in ignore),
        )

    def selects(self, finding: Finding) -> bool:
        """Whether `finding` is selected (before anything ignores it)."""
        tool = finding.tool_code
        if tool is not None and codes.is_tool_code(tool):
            if any(_matches(s, tool) for s in self.select if s.startswith(("SC", "ALL"))):
                return True
            if tool not in DEFAULT_SHELLCHECK:
                return False
        return any(_matches(s, finding.code) for s in self.select)

    def reports(self, finding: Finding, *allowed: Iterable[str]) -> bool:
        """Whether `finding` is reported: selected, and ignored neither by the project nor by
        `allowed` (the selectors of its page and of its block)."""
        if not self.selects(finding):
            return False
        tool = finding.tool_code
        for group in (self.ignore, *allowed):
            for s in group:
                s = _norm(s)
                if _matches(s, finding.code) or (tool is not None and _matches(s, tool)):
                    return False
        return True
