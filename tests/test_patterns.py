"""`runbookdocs.patterns.lazy`: a pattern compiled at first use behaves as `re.compile`'s."""

from __future__ import annotations

import re

from runbookdocs.patterns import lazy


def test_a_lazy_pattern_is_compiled_once_at_first_use_and_answers_as_a_compiled_one() -> None:
    pattern = lazy(r"(?P<key>\w+)=(\d+)", re.I)
    assert "_compiled" not in vars(pattern)  # nothing compiled at import
    compiled = re.compile(r"(?P<key>\w+)=(\d+)", re.I)
    text = "a=1, B=22"
    assert pattern.match(text).groups() == compiled.match(text).groups()  # type: ignore[union-attr]
    assert pattern.findall(text) == compiled.findall(text)
    assert pattern.sub(r"\2", text) == compiled.sub(r"\2", text)
    assert pattern.split(text) == compiled.split(text)
    assert pattern.fullmatch("x=3") is not None and pattern.search("--") is None
    assert [m.span() for m in pattern.finditer(text)] == [(0, 3), (5, 9)]
    assert (pattern.pattern, pattern.flags, pattern.groupindex) == (
        compiled.pattern,
        compiled.flags,
        compiled.groupindex,
    )
    first = vars(pattern)["_compiled"]
    pattern.search(text)
    assert vars(pattern)["_compiled"] is first  # compiled once


def test_a_broken_lazy_pattern_fails_at_first_use_as_re_compile_would() -> None:
    pattern = lazy(r"(unclosed")
    try:
        pattern.match("x")
    except re.error as err:
        assert "missing )" in str(err)
    else:
        raise AssertionError("no error")
