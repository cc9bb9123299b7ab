"""Console transcripts on the site: what is copied is what runs, matchers read as words.

A ```` ```console ```` block shows prompts, commands and the output the page expects. Readers
copy it to run it, so the highlighted HTML is marked line by line from the transcript's own
parser (`runbookdocs.transcript.parse`), never from the lexer's guesses:

- prompts (`$ `, `# `, `> `) get the class `rb-prompt`; expected output lines, and text
  before the first command, `rb-out`. The site's styles hide both while Material's (and
  Zensical's) copy button reads the code (`[data-md-copying]`): the clipboard gets the commands
  alone, one per line, with the values the reader filled in;
- matcher lines are shown in words (`…`, "‹4 digits›", "‹exit status 2›") in a `rb-match` span
  whose `title` is the exact line the run compares.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any

from runbookdocs import transcript
from runbookdocs.i18n import Catalog

TEXTS = Catalog(
    "site.transcripts",
    {
        "any-lines": {"en": "any lines", "fr": "des lignes quelconques"},
        "exit": {"en": "exit status {n}", "fr": "code de sortie {n}"},
        "pattern": {"en": "exact pattern: {pattern}", "fr": "motif exact : {pattern}"},
        "digits": {"en": "{n} digits", "fr": "{n} chiffres"},
        "number": {"en": "a number", "fr": "un nombre"},
        "digit": {"en": "a digit", "fr": "un chiffre"},
        "word": {"en": "a word", "fr": "un mot"},
        "hex": {"en": "hexadecimal digits", "fr": "des chiffres hexadécimaux"},
        "spaces": {"en": " ", "fr": " "},
        "text": {"en": "…", "fr": "…"},
        "or": {"en": " or ", "fr": " ou "},
        "optional": {"en": "{text} (optional)", "fr": "{text} (facultatif)"},
        "char": {"en": "a character", "fr": "un caractère"},
        "one-of": {"en": "one of {chars}", "fr": "un de {chars}"},
    },
)

_LINE_SPAN = re.compile(r'(<span id="[^"]+">)(<a [^>]*></a>)?(.*?)(\n</span>)', re.S)
_PROMPT = re.compile(r'<span class="gp">')
_EXIT = re.compile(r"\[(\d{1,3})\]")


def mark(code: str, source: str, lang: str) -> str:
    """`code` (Pygments HTML of a console block through superfences) with prompts, output and
    matchers marked; unchanged when its lines cannot be paired with `source`'s (line numbers in
    a table, a lexer that merged lines)."""
    roles = line_roles(source)
    start = code.find("<code>")
    end = code.rfind("</code>")
    if start < 0 or end < start or "<table" in code:
        return code
    inner = code[start + len("<code>") : end]
    lines = source.split("\n")
    spans = list(_LINE_SPAN.finditer(inner))
    if spans and len(spans) >= len(lines) - 1:
        out: list[str] = []
        last = 0
        for i, m in enumerate(spans):
            out.append(inner[last : m.start()])
            role = roles[i] if i < len(roles) else "out"
            body = _line(m.group(3), role, lines[i] if i < len(lines) else "", lang)
            opening = m.group(1)
            if role != "command":
                opening = opening[:-1] + ' class="rb-out">'
            out.append(opening + (m.group(2) or "") + body + m.group(4))
            last = m.end()
        out.append(inner[last:])
        marked = "".join(out)
    else:
        parts = inner.split("\n")
        if len(parts) < len(lines):
            return code
        out = []
        for i, part in enumerate(parts):
            if i >= len(lines) or (i == len(parts) - 1 and not part):
                out.append(part)
                continue
            role = roles[i] if i < len(roles) else "out"
            body = _line(part, role, lines[i], lang)
            newline = "\n" if i < len(parts) - 1 else ""
            if role == "command":
                out.append(body + newline)
            else:  # the newline hides with the line: copied commands stay one per line
                out.append(f'<span class="rb-out">{body}{newline}</span>')
        marked = "".join(out)
    return code[: start + len("<code>")] + marked + code[end:]


def line_roles(source: str) -> list[str]:
    """`command` or `out` for each line of a console block's source."""
    lines = source.split("\n")
    roles = ["out"] * len(lines)
    for cmd in transcript.parse(source).commands:
        for k in range(cmd.line_index, min(cmd.line_index + cmd.n_lines, len(lines))):
            roles[k] = "command"
    return roles


def _line(body: str, role: str, raw: str, lang: str) -> str:
    if role == "command":
        return _PROMPT.sub('<span class="gp rb-prompt">', body, count=1)
    words = matcher(raw, lang)
    if words is None:
        return body
    shown, exact = words
    title = html.escape(TEXTS.text(lang, "pattern", pattern=exact), quote=True)
    # The placeholder spans the line holds stay live inside the words (the form fills them).
    return f'<span class="rb-match" title="{title}">{html.escape(shown)}</span>'


def matcher(line: str, lang: str) -> tuple[str, str] | None:
    """(words, exact line) for an expected-output line that is a matcher; None for plain text."""
    text = line.rstrip()
    t = TEXTS.for_language(lang)
    if text == transcript.ELLIPSIS:
        return f"… ({t('any-lines')})", text
    m = _EXIT.fullmatch(text)
    if m:
        return f"[{t('exit', n=m.group(1))}]", text
    if text.endswith(transcript.REGEX_SUFFIX):
        pattern = text[: -len(transcript.REGEX_SUFFIX)]
        return readable(pattern, lang) or pattern, text
    return None


@functools.lru_cache(maxsize=512)
def readable(pattern: str, lang: str) -> str | None:
    """A regular expression in words (`\\d{4}-.*` -> `‹4 digits›-…`); None when it holds
    something this does not put in words (the pattern is then shown as written)."""
    try:
        # The parser of Python's `re` itself: what is put in words is what the run matches.
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern)
    except (re.error, RecursionError, ImportError):
        return None
    t = TEXTS.for_language(lang)
    try:
        return _words(list(parsed), t)
    except _Unreadable:
        return None


class _Unreadable(Exception):
    pass


_DIGIT = "category_digit"
_WORD = "category_word"
_SPACE = "category_space"


def _words(items: list[tuple[Any, Any]], t: Callable[..., str]) -> str:
    out: list[str] = []
    for op, av in items:
        name = str(op).lower()
        if name == "literal":
            out.append(chr(int(str(av))))
        elif name == "at":
            continue  # ^ and $: the whole line is matched anyway
        elif name in ("max_repeat", "min_repeat", "possessive_repeat"):
            low, high, sub = av
            out.append(_repeat(int(low), int(high), list(sub), t))
        elif name == "subpattern":
            out.append(_words(list(av[-1]), t))
        elif name == "branch":
            out.append(t("or").join(_words(list(b), t) for b in av[1]))
        elif name == "any":
            out.append(t("char"))
        elif name == "in":
            out.append(_class(list(av), 1, t))
        else:
            raise _Unreadable(name)
    return "".join(out)


def _repeat(low: int, high: int, sub: list[tuple[Any, Any]], t: Callable[..., str]) -> str:
    from re import _constants  # type: ignore[attr-defined]

    unbounded = high == _constants.MAXREPEAT
    if len(sub) == 1:
        op, av = sub[0]
        name = str(op).lower()
        if name == "any":
            return "…"
        if name == "in":
            return _class(list(av), low if low == high else None, t, many=unbounded or high > 1)
        if name == "literal" and chr(int(str(av))) == " ":
            return " "
    inner = _words(sub, t)
    if low == 0 and high == 1:
        return f"‹{t('optional', text=inner)}›"
    if low == high:
        return inner * low if low <= 3 else f"{inner}×{low}"
    return f"‹{inner}…›"


def _class(
    items: list[tuple[Any, Any]],
    count: int | None,
    t: Callable[..., str],
    *,
    many: bool = False,
) -> str:
    ops = [(str(op).lower(), av) for op, av in items]
    names = {name for name, _ in ops}
    categories = {str(av).lower() for name, av in ops if name == "category"}
    ranges: list[tuple[str, str]] = []
    for name, av in ops:
        if name == "range" and isinstance(av, tuple) and len(av) == 2:
            ranges.append((chr(int(av[0])), chr(int(av[1]))))
    if categories == {_DIGIT} or (not categories and ranges == [("0", "9")] and names == {"range"}):
        if count is not None and count > 1:
            return f"‹{t('digits', n=count)}›"
        return f"‹{t('number') if many else t('digit')}›"
    if categories == {_SPACE} and names == {"category"}:
        return " "
    if categories == {_WORD} or (ranges and {r[0] for r in ranges} <= {"a", "A", "0"}):
        hexish = set(ranges) <= {("0", "9"), ("a", "f"), ("A", "F")} and ("a", "f") in ranges
        return f"‹{t('hex') if hexish else t('word')}›"
    if names == {"literal"}:
        chars = "".join(chr(int(str(av))) for _, av in ops)
        return f"‹{t('one-of', chars=chars)}›"
    raise _Unreadable("class")
