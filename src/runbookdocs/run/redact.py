"""Redaction: secret values, and what commands make of them, masked in everything shown.

Where values come from is `runbookdocs.variables`. A command rarely prints a secret exactly as
it was given: it quotes it, encodes it or changes its case. Each secret is therefore matched by
one pattern that accepts, character by character, every form these commands produce, mixed in
any way:

- the value, in any letter case (a database folds identifiers: `role "s3cret" ...`);
- shell quoting: a backslash before any punctuation (`printf %q`, `declare -p`), a single quote
  written `'\\''` or `'"'"'` (`set -x`, `${S@Q}`, Python's `shlex.quote`), control characters
  written `\\n`, `\\t`, `\\xHH` or `\\NNN` (`$'...'` quoting), UTF-8 bytes as `\\xHH`/`\\NNN`;
- URL encoding: `%HH` in either case, `+` for a space;
- a newline as the terminal prints it (`\\r\\n`);
- base64 (standard or URL-safe alphabet) of any text that contains the value, wherever the
  value falls in it (`user:secret` for HTTP Basic): the part of the encoding that depends on the
  value alone, in each of the three alignments, with line breaks anywhere (`base64` wraps at
  76 columns). Encoded pieces shorter than 6 bytes are left alone (they would match ordinary
  words).

Values shorter than 4 characters are masked as written only (a pattern that tolerant would mask
ordinary text).

Long output is kept as a head and a tail (`run.session`); a secret cut by such a cut would
survive as a piece, so `window()` masks first and then drops the few characters at a cut that
may hold a piece of a longer match.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence

MASK = "***"
MIN_DERIVED = 4
"""Values shorter than this are masked only as written."""
_MIN_B64_BYTES = 6

# Characters a quoting shell may put a backslash before, or that URL encoding replaces.
_ESCAPES_CONTROL = {
    "\n": ("\\n", "\r\n"),
    "\t": ("\\t",),
    "\r": ("\\r",),
    "\x1b": ("\\E", "\\e"),
    "\x07": ("\\a",),
    "\x08": ("\\b",),
    "\x0b": ("\\v",),
    "\x0c": ("\\f",),
}


class Redactor:
    """Replaces every secret value, in every derived form, with `***`.

    Linear in the text: a text where no secret can be (none of the few substrings every form
    of a secret must contain is there) is returned after a handful of substring searches;
    otherwise one compiled pattern of all forms is run over it.
    """

    def __init__(self, values: Iterable[str]) -> None:
        found = sorted({v for v in values if v}, key=len, reverse=True)
        self.values = found
        alternatives: list[tuple[int, str, str]] = []  # (longest match, kind, pattern)
        self._needles: list[tuple[str, str]] = []
        for value in found:
            if len(value) < MIN_DERIVED:
                # As written, or through a terminal (LF -> CRLF).
                exact = "".join("\\r?\\n" if c == "\n" else re.escape(c) for c in value)
                alternatives.append((len(value) * 2, "v", exact))
                self._needles.append(("exact", value))
                if "\n" in value:
                    self._needles.append(("exact", value.replace("\n", "\r\n")))
                continue
            alternatives.append((_longest(value), "v", _flexible(value)))
            anchor = max(re.findall(r"[A-Za-z0-9]+", value) or [""], key=len)
            self._needles.append(("lower", anchor.lower()) if len(anchor) >= 3 else ("any", ""))
            for form in _base64_forms(value):
                alternatives.append((len(form) * 3 + 15, "b", _b64_pattern(form)))
                self._needles.append(("flat", form))
        # Longest first: where two forms start at the same place, the longer one is masked.
        alternatives.sort(key=lambda a: a[0], reverse=True)
        self.longest = max((n for n, _, _ in alternatives), default=0)
        """Upper bound of the length of a match (what `window` drops at a cut)."""
        # Each form in a group named by its kind (`v`: the value and its quoted, encoded and
        # case forms; `b`: base64), so that a match says which it is.
        joined = "|".join(f"(?P<{k}{i}>{p})" for i, (_, k, p) in enumerate(alternatives))
        self._pattern = re.compile(joined) if alternatives else None

    def __call__(self, text: str) -> str:
        return self.window(text)[0]

    def __bool__(self) -> bool:
        return bool(self.values)

    def _may_hold(self, text: str) -> bool:
        """False when no form of any secret can be in `text` (cheap substring searches)."""
        lower = flat = None
        for kind, needle in self._needles:
            if kind == "any":
                return True
            if kind == "exact":
                if needle in text:
                    return True
            elif kind == "lower":
                lower = text.lower() if lower is None else lower
                if needle in lower:
                    return True
            else:
                if flat is None:
                    flat = text.replace("\r", "").replace("\n", "").translate(_URLSAFE)
                if needle in flat:
                    return True
        return False

    def _spans(self, text: str) -> list[tuple[int, int]]:
        """Where secrets are in `text`: (start, end) pairs, in order, not overlapping."""
        if self._pattern is None or not text or not self._may_hold(text):
            return []
        spans: list[tuple[int, int]] = []
        for m in self._pattern.finditer(text):
            start, end = m.start(), m.end()
            if (m.lastgroup or "").startswith("b"):
                # The base64 groups that straddle the value's ends encode a few of its bits
                # too: up to two characters before and three after (padding) go with it.
                start = _extend(text, start, -1, 2)
                end = _extend(text, end, 1, 3)
            if spans and start < spans[-1][1]:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans

    def window(
        self,
        text: str,
        *,
        cut_start: bool = False,
        cut_end: bool = False,
        positions: Sequence[int] = (),
    ) -> tuple[str, list[int]]:
        """Mask a window of a longer output; where the window was cut from it, drop what may
        be a piece of a secret (at most `longest` characters), so nothing survives the cut.

        Args:
            text: the window, as printed.
            cut_start: the output went on before the window.
            cut_end: the output went on after it.
            positions: offsets in `text` to map into the result (a mask keeps the offset of
                its start; a dropped offset maps to the start or end of what is kept).

        Returns:
            (masked text, the mapped positions).
        """
        matches = self._spans(text)
        start, end = 0, len(text)
        edge = self.longest
        if cut_start:
            start = min(edge, len(text))
            for a, b in matches:
                if a < start < b:
                    start = b
        if cut_end:
            end = max(len(text) - edge, start)
            for a, b in matches:
                if a < end < b:
                    end = b
        end = max(end, start)
        out: list[str] = []
        spans: list[tuple[int, int, int]] = []  # (raw start, raw end, masked start)
        at = start
        size = 0
        for a, b in matches:
            if a < start or b > end:
                continue
            out.append(text[at:a])
            size += a - at
            spans.append((a, b, size))
            out.append(MASK)
            size += len(MASK)
            at = b
        out.append(text[at:end])
        mapped = [_map(p, start, end, spans) for p in positions]
        return "".join(out), mapped


_B64_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_")
_B64_CHARS = _B64_LETTERS | {"="}
_URLSAFE = str.maketrans("-_", "+/")


def _extend(text: str, at: int, step: int, most: int) -> int:
    """`at` moved over up to `most` base64 characters (line breaks skipped) in direction
    `step`."""
    taken = 0
    while taken < most:
        k = at if step > 0 else at - 1
        skipped = 0
        while 0 <= k < len(text) and text[k] in "\r\n" and skipped < 2:
            k += step
            skipped += 1
        allowed = _B64_CHARS if step > 0 else _B64_LETTERS  # padding only comes last
        if not 0 <= k < len(text) or text[k] not in allowed:
            break
        at = k + 1 if step > 0 else k
        taken += 1
    return at


def _map(p: int, start: int, end: int, spans: list[tuple[int, int, int]]) -> int:
    """Offset `p` of the raw window in the masked text."""
    p = min(max(p, start), end)
    prev_raw, prev_masked = start, 0
    for raw_start, raw_end, masked in spans:
        if p < raw_start:
            break
        if p < raw_end:
            return masked
        prev_raw, prev_masked = raw_end, masked + len(MASK)
    return prev_masked + (p - prev_raw)


def _char_alternatives(c: str) -> list[str]:
    """Every way a quoting or encoding command prints character `c` (regex-escaped)."""
    forms = {c}
    if c.isalnum() and c.isascii():
        return [re.escape(c)]
    code = ord(c)
    try:
        data = c.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # half of a surrogate pair: no command prints it encoded
        data = b""
    if code < 0x20 or code == 0x7F:
        forms.update(_ESCAPES_CONTROL.get(c, ()))
        forms.update({f"\\x{code:02x}", f"\\x{code:02X}", f"\\{code:03o}", f"\\{code:o}"})
        forms.update({f"%{code:02x}", f"%{code:02X}"})
        forms.add(f"^{chr(code + 64)}" if code < 0x20 else "^?")
    elif code < 0x80:
        forms.add("\\" + c)
        forms.update({f"%{code:02x}", f"%{code:02X}"})
        if c == "'":
            forms.update({"'\\''", "'\"'\"'"})
        if c == " ":
            forms.add("+")
    elif data:
        for fmt in ("\\x{:02x}", "\\x{:02X}", "\\{:03o}", "%{:02x}", "%{:02X}"):
            forms.add("".join(fmt.format(b) for b in data))
    return sorted((re.escape(f) for f in forms), key=len, reverse=True)


def _flexible(value: str) -> str:
    """One pattern for `value` in any letter case, quoted or URL-encoded, char by char."""
    parts = []
    for c in value:
        alts = _char_alternatives(c)
        parts.append(alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")")
    return "(?i:" + "".join(parts) + ")"


def _longest(value: str) -> int:
    return sum(max(len(a) for a in _char_alternatives(c)) for c in value)


def _base64_forms(value: str) -> list[str]:
    """The base64 characters that depend on `value` alone, for each of the three alignments
    it can have in a longer text (`user:` before it shifts it by 5 bytes)."""
    try:
        data = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate no command could print anyway
        return []
    forms = []
    for skip in range(3):
        piece = data[skip:]
        piece = piece[: len(piece) - len(piece) % 3]
        if len(piece) >= _MIN_B64_BYTES:
            forms.append(base64.b64encode(piece).decode("ascii"))
    return forms


def _b64_pattern(form: str) -> str:
    """`form`, in the standard or URL-safe alphabet, with a line break anywhere."""
    chars = []
    for c in form:
        if c == "+":
            chars.append("[+\\-]")
        elif c == "/":
            chars.append("[/_]")
        else:
            chars.append(c)
    return "(?:" + "(?:\\r?\\n)?".join(chars) + ")"


__all__ = ["MASK", "MIN_DERIVED", "Redactor"]
