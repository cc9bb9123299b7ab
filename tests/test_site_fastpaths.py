"""The site's fast paths give exactly what the plain ways they replace give.

Each shortcut taken for build speed (benchmarks/bench_site.py) is compared here with the
straightforward code it stands for, on generated inputs built from the pieces that matter.
"""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from runbookdocs.site import extension, fences, search

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


@settings(max_examples=1500, deadline=None)
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


# --------------------------------------------------------------------------- front matter

_KEYS = ["title", "tags", "runbook", "a", "b", "N", "y", "true", "null", "key.x", "_k", "k-1"]
_VALUES = [
    *["", "x", "true", "True", "tRue", "FALSE", "null", "Null", "~", "nullx", "Nope", "yes"],
    *["0", "00", "012", "12", "-1", "+1", "1.5", "1.", ".5", "1e3", "0x1F", "0o7", "1_000"],
    *["123456789012345678901", "1.50", "NaN", ".inf", "<<", "=", "2026-03-02", "2026-13-02"],
    *["2026-3-2", "2026-03-02T10:00:00", "2026-03-02 10:00:00", "a b", "a: b", "a:b", "a #b"],
    *["a#b", "x:", '"q"', "'q'", '"a\\"b"', "'it''s'", '"a\\\\b"', "'a\\b'", '"a" # c', '"'],
    *["[a, b]", "[]", "[ ]", "[a, [b]]", "[a:b]", "[a, ]", '["a,b"]', "['x', 1, true]", "[a"],
    *["[a] # c", "{a: 1}", "&x a", "*x", "!tag a", "|", ">", "é", "équipe exploitation", "-"],
    *["- a", "? a", "%x", "@x", "`x`", "a\tb", "on", "a\x85b", "a\u2028b", "\ufeffa", "a\x01"],
    *["Basculer memcached (OC Pizza, fiche 1)", "a, b", "a [b]", "a {b}", "x  ", "é: x"],
]
_LINE = st.one_of(
    st.tuples(
        st.sampled_from([0, 0, 2, 4, 1, 3]), st.sampled_from(_KEYS), st.sampled_from(_VALUES)
    ).map(lambda t: " " * t[0] + f"{t[1]}:" + (f" {t[2]}" if t[2] else "")),
    st.tuples(st.sampled_from([0, 2, 4, 3]), st.sampled_from(_VALUES)).map(
        lambda t: " " * t[0] + f"- {t[1]}"
    ),
    st.sampled_from(["", "# c", "  # c", "---", "...", "  continued", "\t", "key : x", "-"]),
)


_USUAL = ["x", "memcached", "true", "False", "null", "~", "0", "12", "1.5", "2026-03-02", "é"]
_USUAL += ['"q"', "'q'", "a b", "a:b", "a#b", "Nope", "nullx", "yes", "on", "a, b", '"10"', "Tx"]
_SCALARS = st.one_of(st.sampled_from(_VALUES), st.sampled_from(_USUAL), st.sampled_from(_USUAL))


@st.composite
def _document(draw: st.DrawFn, depth: int = 0, indent: int = 0) -> list[str]:
    """Front matter shaped like real pages: nested keys, lists, scalars of every kind."""
    lines: list[str] = []
    step = draw(st.sampled_from([2, 2, 4, 1]))
    for key in draw(st.lists(st.sampled_from(_KEYS), min_size=1, max_size=4)):
        kind = draw(st.sampled_from(["scalar", "scalar", "map", "list", "flow", "comment"]))
        pad = " " * indent
        if kind == "map" and depth < 3:
            lines.append(f"{pad}{key}:")
            lines += draw(_document(depth + 1, indent + step))
        elif kind == "list":
            lines.append(f"{pad}{key}:")
            at = pad + " " * draw(st.sampled_from([0, 2]))
            lines += [f"{at}- {v}" for v in draw(st.lists(_SCALARS, min_size=1, max_size=3))]
        elif kind == "flow":
            items = draw(st.lists(_SCALARS, max_size=3))
            lines.append(f"{pad}{key}: [{', '.join(items)}]")
        elif kind == "comment":
            lines += [f"{pad}# {key}", ""]
        else:
            value = draw(_SCALARS)
            lines.append(f"{pad}{key}:" + (f" {value}" if value else ""))
    return lines


@settings(max_examples=1500, deadline=None)
@given(_document())
def test_simple_front_matter_reads_as_ruamel_yaml_does_on_page_shapes(lines: list[str]) -> None:
    test_simple_front_matter_reads_as_ruamel_yaml_does.hypothesis.inner_test(lines)  # type: ignore[attr-defined]


def _typed(data: object) -> str:
    # repr tells True from 1, 1 from 1.0 and a date from a string.
    return repr(data)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=12))
def test_simple_front_matter_reads_as_ruamel_yaml_does(lines: list[str]) -> None:
    from runbookdocs.extract.frontmatter import simple_yaml
    from runbookdocs.yamlio import NOT_SIMPLE, YamlProblem, load_yaml

    text = "\n".join(lines)
    fast = simple_yaml(text)
    if fast is NOT_SIMPLE:
        return
    try:
        reference = load_yaml(text, lines=False)
    except YamlProblem as err:  # pragma: no cover - the failure this test is for
        raise AssertionError(f"read as {fast!r}, but YAML refuses it: {err}") from err
    assert _typed(fast) == _typed(reference)


def test_simple_front_matter_covers_the_usual_page() -> None:
    from runbookdocs.extract.frontmatter import simple_yaml

    text = (
        'title: "Basculer memcached (OC Pizza, fiche 1)"\n'
        "tags: [memcached, oc-pizza]\n"
        "runbook:\n"
        "  target: debian\n"
        "  owner: équipe exploitation\n"
        "  reviewed: 2026-03-02\n"
        "  timeout: 300\n"
        "  secrets:\n"
        "    - DB_PASSWORD\n"
        "  variables:\n"
        "    service: memcached\n"
        '    workers: "10"\n'
    )
    import datetime as dt

    assert simple_yaml(text) == {
        "title": "Basculer memcached (OC Pizza, fiche 1)",
        "tags": ["memcached", "oc-pizza"],
        "runbook": {
            "target": "debian",
            "owner": "équipe exploitation",
            "reviewed": dt.date(2026, 3, 2),
            "timeout": 300,
            "secrets": ["DB_PASSWORD"],
            "variables": {"service": "memcached", "workers": "10"},
        },
    }


def test_front_matter_yaml_1_2_first_characters_are_ruamel_yaml_s() -> None:
    from runbookdocs.yamlio import RESOLVED_FIRST
    from runbookdocs.yamlloaders import RULES

    assert {c for c in RULES if c} == set(RESOLVED_FIRST)


# ----------------------------------------------------------- decision trees without ruamel.yaml

_YAML_VALUE = st.sampled_from(
    [
        "texte",
        "deux mots",
        '"42"',
        "'true'",
        '""',
        "Démarrer le service",
        "'quoted: text'",
        '"double \\"quoted\\" \\u00e9"',
        "42",
        "-7",
        "0o17",
        "017",
        "1_000",
        "1.5",
        "1e3",
        ".inf",
        "true",
        "True",
        "yes",
        "no",
        "on",
        "null",
        "~",
        "",
        "2026-07-17",
        "2026-02-30",
        "2001-12-14t21:59:43.10-05:00",
        "1:20",
        "[a, 1, true]",
        "{a: b, c: 1}",
        "[]",
        "!!str 3",
        "!custom x",
        "&anchor texte",
        "*anchor",
        "|\n  bloc\n  littéral",
        ">-\n  plié\n  sur deux",
        "Nothing",
        "falsey",
        "=",
        "<<",
    ]
)
_YAML_KEY = st.sampled_from(["id", "question", "next", "label", "run", "1", "true", "<<", "a b"])
_BLOCK_SCALAR = st.sampled_from(["|", ">-", "|+"])


@st.composite
def _yaml_node(draw: st.DrawFn, depth: int = 0) -> object:
    kind = draw(st.integers(0, 2)) if depth < 3 else 0
    if kind == 0:
        return draw(_YAML_VALUE) if draw(st.integers(0, 5)) else (draw(_BLOCK_SCALAR),)
    children = st.lists(_yaml_node(depth + 1), min_size=1, max_size=4)
    if kind == 1:
        return draw(children)
    keys = draw(st.lists(_YAML_KEY, min_size=1, max_size=4))
    return list(zip(keys, draw(children), strict=False))


def _yaml_lines(node: object, pad: str) -> list[str]:
    """Block-style YAML of a generated node: a list is a sequence, a list of pairs a mapping,
    a 1-tuple a block scalar, a string a scalar on its key's line."""
    if isinstance(node, str):
        return [f"{pad}{node}"]
    if isinstance(node, tuple):
        return [f"{pad}{node[0]}", f"{pad}  ligne un", f"{pad}  ligne deux"]
    assert isinstance(node, list)
    out: list[str] = []
    for item in node:
        if isinstance(item, tuple) and len(item) == 2:  # a mapping entry
            key, value = item
            head = f"{pad}{key}:"
        else:
            value, head = item, f"{pad}-"
        if isinstance(value, str):
            out.append(f"{head} {value}".rstrip())
        elif isinstance(value, tuple):
            out += [f"{head} {value[0]}", f"{pad}  ligne un", f"{pad}  ligne deux"]
        else:
            out += [head, *_yaml_lines(value, pad + "  ")]
    return out


@st.composite
def _yaml_document(draw: st.DrawFn) -> str:
    root = draw(_yaml_node())
    if not isinstance(root, list):
        root = [("id", root)]
    return "\n".join(_yaml_lines(root, "")) + "\n"


def _containers(data: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [path] if isinstance(data, (dict, list)) else []
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    seen = set()
    for key, value in items:
        if id(value) not in seen:  # an alias shares its anchor's data
            seen.add(id(value))
            out += _containers(value, (*path, key))
    return out


def _at(data: object, path: tuple[object, ...]) -> object:
    for key in path:
        data = data[key]  # type: ignore[index]
    return data


@settings(max_examples=2000, deadline=None)
@given(_yaml_document())
def test_trees_read_without_ruamel_yaml_read_as_ruamel_yaml_does(text: str) -> None:
    """The PyYAML path of `load_yaml_marked` gives ruamel.yaml's data and positions, or
    leaves the text to ruamel.yaml."""
    from runbookdocs import yamlio
    from runbookdocs.yamlloaders import load_fast

    plain = yamlio._load_plain(text)
    if plain is None:
        return
    data, node = plain
    try:
        reference, ref_node = load_fast(text)
    except Exception as err:  # pragma: no cover - the failure this test is for
        raise AssertionError(f"read as {data!r}, but ruamel.yaml refuses it: {err}") from err
    assert _typed(data) == _typed(reference)
    marks, ref_marks = yamlio.Marks(), yamlio.Marks()
    if node is not None:
        marks.add(node, data)
        ref_marks.add(ref_node, reference)
    for path in _containers(reference):
        mine, theirs = marks.of(_at(data, path)), ref_marks.of(_at(reference, path))
        assert (mine is None) == (theirs is None), path
        if mine is not None and theirs is not None:
            assert (mine.line, mine.col, mine._keys, mine._values) == (
                theirs.line,
                theirs.col,
                theirs._keys,
                theirs._values,
            ), path


def test_a_tree_is_read_without_importing_ruamel_yaml() -> None:
    """A site build reads its trees with the libyaml parser MkDocs has loaded: ruamel.yaml
    (about 10 ms to import) is not imported for a tree of plain data, and is for one that
    needs it (an explicit tag)."""
    import subprocess
    import sys

    probe = (
        "import sys, yaml\n"
        "from runbookdocs.decision_tree import parse_tree\n"
        "from runbookdocs.yamlio import load_yaml_marked\n"
        "data, marks = load_yaml_marked(sys.argv[1])\n"
        "assert marks.of(data) is not None, data\n"
        "print('ruamel.yaml' in sys.modules)\n"
    )
    plain = "title: Le service\nstart: actif\nnodes:\n  actif:\n    question: Actif ?\n"
    tagged = plain + "    note: !!str 3\n"
    seen = [
        subprocess.run(
            [sys.executable, "-c", probe, text], capture_output=True, text=True, check=True
        ).stdout.strip()
        for text in (plain, tagged)
    ]
    assert seen == ["False", "True"]


def _inline_by_markdown(text: str) -> str:
    import markdown

    md = markdown.Markdown(extensions=["attr_list", "pymdownx.inlinehilite"])
    return re.sub(r"^<p>(.*)</p>$", r"\1", md.convert(text), flags=re.S)


PLAIN_PIECES = ["Oui", "é", "a", "9", " ", ",", "?", "(", ")", ":", "-", "’", "'", "."]
"""Words and punctuation the fast path keeps as they are."""
MARKUP_PIECES = ["*a*", "_a_", "**b**", "`c`", "[x](y.md)", "<b>", "&amp;", "&", "{#id}"]
"""What makes it step aside: emphasis, code, links, HTML, entities, attributes, and the
starts of blocks, line breaks, escapes."""
MARKUP_PIECES += ["# ", "1. ", "- ", "+ ", "> ", "\n", "\\", '"', "  ", "    ", "![a](b)"]
TREE_TEXT = st.lists(st.sampled_from(PLAIN_PIECES + MARKUP_PIECES), max_size=6).map("".join)


@settings(max_examples=2000, deadline=None)
@given(TREE_TEXT)
def test_tree_text_is_what_markdown_makes_of_it(text: str) -> None:
    """A tree label comes out as a Markdown pass makes it, whether the fast path
    (`fences._PLAIN_TEXT`: text kept as it is) takes it or not."""
    from runbookdocs.site import fences

    assert fences._inline(text) == _inline_by_markdown(text)


def test_plain_tree_text_takes_the_fast_path() -> None:
    """Labels as trees write them skip the Markdown pass; marked-up ones do not."""
    from runbookdocs.site import fences

    for plain in ("Le service répond-il ?", "Oui", "Redémarrer (sudo) : 5 min.", "Yes, 100%"):
        assert fences._PLAIN_TEXT.match(plain), plain
    for marked in ("*Oui*", "1. Non", "- a", "# t", "a_b_", "see [x](y.md)", "`x`", "a<b"):
        assert not fences._PLAIN_TEXT.match(marked), marked


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_narrowed_html_reads_as_the_html_it_stands_for(text: str) -> None:
    markup = html.escape(text)  # HTML as the formatters write it: text escaped
    narrowed = fences.narrow(markup)
    assert all(ord(c) < 256 for c in narrowed)
    assert html.unescape(narrowed) == html.unescape(markup)
    if all(ord(c) < 256 for c in markup):
        assert narrowed == markup
