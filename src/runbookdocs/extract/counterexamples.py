"""Counter-examples: blocks a page shows on purpose as what not to write.

A page that teaches a rule often shows the mistake next to the right way: "Bad example:" and a
value YAML reads as an escape, "For instance, this won't work:" and a configuration the
application refuses. Such a block is wrong because the page says so; reporting it as invalid
tells the writer what they wrote on purpose, and running it would do what the page warns
against.

The page says so right before the block, or in it, and only these places count:

- the heading the block directly follows (`### Bad example`);
- the last sentence of the paragraph right before it: either a caption that is nothing but the
  mark (`Bad Example:`, `**Wrong**`, `À éviter :`), or a sentence that ends by introducing
  the block as the mistake (`For instance, this won't work:`, `Here are some things not to
  do:`);
- the title of the admonition or content tab the block opens (`!!! failure "Wrong"`,
  `=== "Incorrect"`);
- a comment line in the block whose first sentence is nothing but the mark (`# Don't do this!
  It won't work.`, `# ❌ Wrong - same prefix`).

The words are few and anchored: a caption must be the mark and nothing else, an introducing
sentence must end with it and a colon (`The output will not be what we expect:`, `We could
break the example above by doing this:`), and a sentence with a condition (`If the output is
wrong, run:`) or a purpose (`To avoid downtime, run:`) is never one.
"""

from __future__ import annotations

import re
from collections.abc import Container, Sequence

from runbookdocs.patterns import lazy

_MARK = (
    r"(?:(?:an?|the|one) )?(?:bad|wrong|incorrect|invalid|broken)"
    r"(?: (?:example|usage|use|way|syntax|practice)s?)?"
    r"|(?:don't|do not|never) do (?:this|that)"
    r"|(?:this|that)(?: \w+)? (?:won't|will not|doesn't|does not|wouldn't|would not) work"
    r"|what not to do|(?:mistakes?|pitfalls?|things|what) to avoid|avoid(?: this| that)?"
    r"|counter-?examples?|anti-?patterns?"
    r"|mauvais (?:exemple|usage)s?|mauvaise (?:syntaxe|pratique)s?"
    r"|(?:exemple|usage)s? (?:incorrecte?s?|invalides?|faux|à éviter)"
    r"|à éviter|à ne pas faire|incorrecte?|invalide"
    r"|(?:ceci|cela|ça) ne (?:fonctionne|marche) pas|ne (?:faites|faîtes) pas (?:ça|ceci|cela)"
)
_CAPTION = rf"(?:{_MARK})"
"""A caption, a heading, a title or a comment's first sentence that is only the mark."""

_INTRO = (
    r"(?:(?:this|that|these|the following)(?: [\w-]+){0,2}"
    r" (?:won't|will not|doesn't|does not|wouldn't|would not|can't|cannot) work"
    r"|(?:don't|do not|never) do (?:this|that)"
    r"|(?:things|what|mistakes?|examples?) not to do"
    r"|(?:this|that|these|the following)(?: [\w-]+){0,2} (?:is|are) (?:wrong|incorrect|invalid)"
    r"|(?:mistakes?|errors?|pitfalls?|things|patterns?|examples?|forms?|syntax|ways?) to avoid"
    r"|(?:bad|wrong|incorrect|invalid) (?:example|usage|way|syntax)s?"
    r"|ne (?:fonctionne|fonctionnera|marche|marchera) pas|(?:est|sont) (?:incorrecte?s?|invalides?)"
    r"|à éviter|à ne pas faire|mauvais exemples?|ne faites pas (?:ça|ceci|cela)"
    r"|(?:won't|will not|wouldn't|would not) be what (?:we|you) (?:expect|want)(?:ed)?"
    r"|\b(?:could|can|would|will|might|to) break (?:the|this|that|it|our|your)(?: [\w-]+){0,2}"
    r" by doing (?:this|that))"
    r" ?:\Z"
)
"""The end of a sentence that introduces the block as the mistake, with its colon."""

_CONDITION = r"\b(?:if|when|whenever|unless|whether|in case|si|quand|lorsque?)\b"
"""A condition or a case: what follows is what to do then, not a mistake."""

_HEADING = lazy(r"#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*\Z")
_SETEXT = lazy(r"(?:=+|-+)[ \t]*\Z")
_TITLED = lazy(
    r"(?:(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[\w-]+)*|===\+?)(?:[ \t]+\"([^\"]*)\")?[ \t]*\Z"
)
"""An admonition (`!!! failure "Wrong"`, `??? note`) or a content tab (`=== "Wrong"`) opener."""
_FENCE = lazy(r"(?:`{3,}|~{3,})")
_COMMENT = lazy(r"[ \t]*(?:#|//|--|;)[ \t]*(.*)\Z")
_QUOTE = lazy(r"\A[ \t]*(?:>[ \t]?)+")
_ITEM = lazy(r"(?:[-*+]|\d{1,9}[.)])[ \t]+")
_SENTENCE_END = lazy(r"(?<=[.!?])[ \t]+(?=\S)")
_FIRST_SENTENCE = lazy(r"[.!?:;]|[ \t][-\u2013\u2014][ \t]")
"""What ends a comment's first sentence (`# Wrong - same prefix`: a dash between spaces too)."""


_WORDS = (
    "bad", "wrong", "incorrect", "invalid", "broken", "n't", "not", "never", "avoid",
    "counter", "anti", "mauvais", "éviter", "ne ", "faux", "by doing",
)  # fmt: skip
"""A word every mark holds: most captions, titles and comments hold none, and skip the rest
(the three patterns above stay strings, compiled through `re`'s cache the first time a text
holds one of these words: most sites never need them)."""
_LONGEST = 80
"""Characters of the longest caption, title or comment that can be only the mark."""


_PHRASES = (
    "bad", "wrong", "incorrect", "invalid", "broken", "n't do", "not do", "never do",
    "n't work", "not work", "not to do", "avoid", "counter", "anti-pattern", "antipattern",
    "mauvais", "éviter", "ne pas faire", "ne fonctionne", "ne marche", "ne faites",
    "ne faîtes", "faux", "not be what", "n't be what", "by doing this", "by doing that",
)  # fmt: skip
"""A phrase every mark holds, once emphasis, code marks and line breaks are gone: a page with
none of them shows no counter-example."""


def may_show_one(page: str) -> bool:
    """False when no block of the page `page` (its whole text) can be a counter-example: the
    test `counter_example` makes for each block, made once for the page. Most pages hold none
    of the marks' phrases."""
    lowered = page.lower().replace("\u2019", "'")
    for mark in "*_`":
        if mark in lowered:
            lowered = lowered.replace(mark, "")
    plain = " ".join(lowered.split())
    return any(p in plain for p in _PHRASES)


def _has_word(text: str) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in _WORDS)


def _unquoted(line: str) -> str:
    """`line` without its blockquote marks (`> `)."""
    return _QUOTE.sub("", line, count=1) if ">" in line else line


def _plain(text: str) -> str:
    """`text` as the reader reads it: no emphasis or code marks, straight apostrophes, one
    space between words, lower case, no symbol before the first word (`❌ Wrong`)."""
    text = text.replace("\u2019", "'").replace("`", "")
    text = re.sub(r"(\*{1,2}|_{1,2})(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    return re.sub(r"^[^\w']+", "", text)


def _caption(text: str) -> bool:
    """True when `text` (a heading, a title, a caption) is only the mark."""
    if len(text) > _LONGEST or not _has_word(text):
        return False
    plain = re.sub(r"[^\w')]+\Z", "", _plain(text))
    return re.fullmatch(_CAPTION, plain) is not None


def _introduces(sentence: str) -> bool:
    """True when `sentence` is a caption, or ends by introducing the block as the mistake."""
    if _caption(sentence):
        return True
    # An introducing sentence ends with its colon (`this won't work:`), its emphasis aside.
    if ":" not in sentence[-4:] or not _has_word(sentence):
        return False
    plain = _plain(sentence)
    return re.search(_CONDITION, plain) is None and re.search(_INTRO, plain) is not None


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def counter_example(
    lines: Sequence[str],
    open_index: int,
    content: Sequence[str],
    skipped: Container[int] = (),
) -> str | None:
    """What marks the block whose opening fence is `lines[open_index]` as a mistake shown on
    purpose, as the page words it without the colon that introduces the block ("Bad example"
    for `Bad example:`); None when nothing does.

    Args:
        lines: the page's lines.
        open_index: index of the opening fence in `lines`.
        content: the block's lines.
        skipped: indices of lines the reader does not see (HTML comments, directives).
    """
    mark = _mark(lines, open_index, content, skipped)
    # French puts a (narrow) no-break space before the colon.
    return mark.rstrip(" :\u00a0\u202f") if mark is not None else None


def _mark(
    lines: Sequence[str], open_index: int, content: Sequence[str], skipped: Container[int]
) -> str | None:
    for line in content:
        if "#" not in line and "/" not in line and "-" not in line and ";" not in line:
            continue  # no comment on this line
        m = _COMMENT.match(line)
        if m is not None and _caption(_FIRST_SENTENCE.split(m.group(1), maxsplit=1)[0]):
            return m.group(1).strip()
    fence_indent = _indent(_unquoted(lines[open_index]))
    i = open_index - 1
    while i >= 0 and (i in skipped or not _unquoted(lines[i]).strip()):
        i -= 1
    if i < 0:
        return None
    raw = _unquoted(lines[i])
    text = raw.strip()
    if _FENCE.match(text):
        return None  # another block's closing fence: no caption between the two
    m = _HEADING.fullmatch(text)
    if m is not None:
        return text if _caption(m.group(1)) else None
    if _SETEXT.fullmatch(text) and i > 0 and lines[i - 1].strip():
        above = lines[i - 1].strip()
        return above if _caption(above) else None
    m = _TITLED.fullmatch(text)
    if m is not None:
        inside = _indent(raw) < fence_indent
        return text if inside and m.group(1) and _caption(m.group(1)) else None
    paragraph = [text]
    while i > 0 and (i - 1) not in skipped:
        above = _unquoted(lines[i - 1]).strip()
        if not above or _FENCE.match(above) or _HEADING.fullmatch(above):
            break
        if _TITLED.fullmatch(above) or _ITEM.match(paragraph[0]):
            break
        paragraph.insert(0, above)
        i -= 1
    joined = " ".join(paragraph)
    item = _ITEM.match(joined)
    if item is not None:
        joined = joined[item.end() :]
    sentence = _SENTENCE_END.split(joined)[-1]
    return sentence if _introduces(sentence) else None
