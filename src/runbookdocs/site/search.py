"""Search that finds French words typed without their accents ("deploiement" -> "déploiement").

Zensical's search already ignores accents. mkdocs-material's does not: its lunr index keeps
"déploiement" and a query without the accent finds nothing. Its search worker builds the index
in the browser from `search/search_index.json`, with the fields that file's `config.fields`
names; so after the build, `fold_index` adds to every entry that has accented words two fields,
`folded_title` and `folded_text`, holding those words without their accents (with the boosts of
`title` and `text`). Queries go through the same French pipeline, so "deploiement" and
"déploiement" both match, and results still show the page's own text (the worker renders
`title` and `text` only). The MkDocs plugin adds them to the entries the search plugin holds,
just before it writes them (`fold_search_plugin`); with a search plugin of another shape, it
rewrites the written file (`fold_index`) (`search_fold` setting, on by default).
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from runbookdocs.results import atomic_write

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+")
FOLDED = {"title": "folded_title", "text": "folded_text"}
"""Field of the page -> the field holding its words without accents."""


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """`word` without its accents (`Déploiement` -> `Déploiement` decomposed, marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def folded_words(text: str) -> str:
    """The words of `text` (HTML allowed) that change without their accents, folded, each once,
    in order of appearance."""
    seen: dict[str, None] = {}
    if text.isascii():
        return ""  # nothing to fold (an English page): skip the tokenising
    # The words of the text are `_WORD.findall(text)`; whitespace is never part of one, so
    # they are found piece by piece between whitespace, and a piece without an accent (most
    # of them, found by `str.split` and `str.isascii` in C) holds none to fold.
    for piece in html.unescape(_TAG.sub(" ", text)).split():
        if piece.isascii():
            continue
        for word in _WORD.findall(piece):
            if word.isascii():
                continue
            plain = fold(word)
            if plain != word:
                seen.setdefault(plain.lower(), None)
    return " ".join(seen)


def fold_search_plugin(plugin: Any) -> bool:
    """Add the accent-free fields to the entries mkdocs-material's search plugin holds, before
    it writes them (no index read back and written again).

    Returns:
        False when `plugin` is not shaped like Material's (then `fold_index` the written file).
    """
    index = getattr(plugin, "search_index", None)
    entries = getattr(index, "entries", None)
    config = getattr(index, "config", None)
    fields = config.get("fields") if isinstance(config, dict) else None
    if not isinstance(entries, list) or not isinstance(fields, dict):
        return False
    fold_entries(fields, entries)
    return True


def fold_entries(fields: dict[str, Any], docs: list[Any]) -> None:
    """Add the folded fields to the index's `fields` and their words to each entry of `docs`."""
    for source, target in FOLDED.items():
        spec = fields.get(source)
        boost = spec.get("boost", 1) if isinstance(spec, dict) else 1
        fields.setdefault(target, {"boost": boost})
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        for source, target in FOLDED.items():
            value = doc.get(source)
            words = folded_words(value) if isinstance(value, str) else ""
            if words:
                doc[target] = words


def fold_index(path: Path) -> bool:
    """Add the accent-free fields to the mkdocs-material search index at `path`.

    Returns:
        True when the index was rewritten (False: no index, not Material's, or already done).
    """
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    config = data.get("config") if isinstance(data, dict) else None
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(config, dict) or not isinstance(docs, list):
        return False
    fields = config.setdefault("fields", {})
    if not isinstance(fields, dict) or any(f in fields for f in FOLDED.values()):
        return False
    fold_entries(fields, docs)
    atomic_write(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
    return True
