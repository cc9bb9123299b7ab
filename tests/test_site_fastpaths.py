"""The site's fast paths give exactly what the plain ways they replace give.

Each shortcut taken for build speed (benchmarks/bench_site.py) is compared here with the
straightforward code it stands for, on generated inputs built from the pieces that matter.
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from runbookdocs.site import extension, search

PIECES = [
    '<div class="rb-block__head" data-search-exclude>',
    '<p class="rb-block__secret" data-search-exclude>',
    '<p class="rb-block__setup" data-search-exclude>',
    '<p class="rb-updated" data-search-exclude>',
    '<aside class="rb-page rb-page--verified" aria-label="Suivi" data-search-exclude>',
    '<aside class="rb-page" aria-label="" data-search-exclude>',
    '<aside class="rb-page x" aria-label="a"b" data-search-exclude>',
    '<aside class="rb-pagex" aria-label="a>" data-search-exclude>',
    '<details class="rb-tree__overview info" open data-search-exclude>',
    '<p class="rb-print-bar rb-needs-js" data-search-exclude>',
    '<div class="rb-runbooks" data-search-exclude>',
    " data-search-exclude>",
    '" aria-label="',
    "</div>",
    "</p>",
    "</aside>",
    "</details>",
    '<link rel="stylesheet" href="../assets/runbookdocs/site.css">',
    '<link rel="stylesheet" href="../assets/runbookdocs/site.css"><script src="x.js" defer>'
    "</script>",
    '<link rel="stylesheet" href="',
    "runbookdocs",
    ' data-rb-data="{&quot;a&quot;: 1}"',
    ' data-rb-data="',
    '<span class="rb-var rb-var--filled" data-rb-var="service">memcached</span>',
    '<span class="rb-var" data-rb-var="x">{{ x }}</span>',
    '<span class="rb-var',
    "<p>",
    "<",
    '"',
    ">",
    " ",
    "texte é\n",
]


def _reference(html_text: str) -> str:
    return extension._VARIABLE.sub(
        r"\1", extension.SEARCH_NOISE.sub("", extension.CHROME.sub("", html_text))
    )


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_without_chrome_is_the_three_substitutions(pieces: list[str]) -> None:
    html_text = "".join(pieces)
    assert extension.without_chrome(html_text) == _reference(html_text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='<>" =/adeiklnprsvx-_', max_size=200))
def test_without_chrome_on_any_text(html_text: str) -> None:
    assert extension.without_chrome(html_text) == _reference(html_text)


def _folded_reference(text: str) -> str:
    seen: dict[str, None] = {}
    for word in re.findall(r"\w+", html.unescape(re.sub(r"<[^>]+>", " ", text))):
        plain = search.fold(word)
        if plain != word:
            seen.setdefault(plain.lower(), None)
    return " ".join(seen)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="aé é_1Ω-’x<>&;b\u00a0ß\u0301İ٣\u2003\t\n\x1c\x85E", max_size=60))
def test_folded_words_are_those_of_every_word(text: str) -> None:
    assert search.folded_words(text) == _folded_reference(text)
