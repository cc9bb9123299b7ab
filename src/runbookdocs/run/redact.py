"""Redaction: secret values (and what commands make of them) masked in everything shown.

Where values come from is `runbookdocs.variables`.
"""

from __future__ import annotations

from collections.abc import Iterable

MASK = "***"


class Redactor:
    """Replaces every secret value with `***` (longest first, so overlaps are fully masked)."""

    def __init__(self, values: Iterable[str]) -> None:
        found: set[str] = set()
        for value in values:
            if value:
                found.add(value)
                # A terminal turns a secret's newlines into CRLF when a command echoes it.
                found.add(value.replace("\n", "\r\n"))
                found.update(_base64_forms(value))
        self.values = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.values:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self.values)


def _base64_forms(value: str) -> list[str]:
    """What `printf %s "$SECRET" | base64` prints of a secret, as far as it depends on it alone.

    `base64` wraps lines every 57 input bytes (76 characters): each 57-byte piece encodes on its
    own line, and its first complete 3-byte groups encode the same whatever follows the secret.
    Pieces shorter than 6 bytes are left alone (8 characters could match unrelated text).
    """
    import base64

    try:
        data = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate no command could print anyway
        return []
    forms = []
    for start in range(0, len(data), 57):
        piece = data[start : start + 57]
        piece = piece[: len(piece) - len(piece) % 3]
        if len(piece) >= 6:
            forms.append(base64.b64encode(piece).decode("ascii"))
    return forms
