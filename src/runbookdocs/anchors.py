"""What a page offers and names on the site: the anchors it has, and the links in its text.

Anchors are worked out the ways renderers make them (Python-Markdown's `toc` with pymdownx's
slugs, GitHub's and Goldmark's, VuePress'), so that a correct link is never reported; the site
build reads them for decision trees, `runbookdocs check` for every link (`validate.pages`).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from runbookdocs.document import Document
from runbookdocs.extract.fences import find_fences
from runbookdocs.extract.snippets import Line
from runbookdocs.hugo_site import shortcode_anchors
from runbookdocs.mkdocs_site import mkdocstrings_enabled, toc_default_slugify

_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ATTR_LIST = re.compile(r"[ \t]*\{:?[ \t]*([^}]*)\}[ \t]*$")
_ATTR_ID = re.compile(r"(?:^|\s)#([^\s}]+)")
_ATTR_ID_KEY = re.compile(r"""(?:^|\s)id=(?:"([^"]*)"|'([^']*)'|([^\s}"']+))""")
_TAB_LABEL = re.compile(r'^\s*===[!+]?\s+"(.*)"\s*$')
_OPEN_SHORTCODE = re.compile(r"\{\{[<%](?!.*[>%]\}\})")
_HUGO_INCLUDE = re.compile(r"""\{\{[%<]\s*include\s+["']([^"']+)["']\s*[%>]\}\}""")
INCLUDE = "\x00include:"
"""An anchors entry naming a page whose anchors this page shows too (Hugo's `include`)."""
IMPORT = "\x00import:"
"""An anchors entry naming a Markdown file an MDX page imports and renders (`import Setup from
'./_setup.mdx'`, then `<Setup />`): the file's headings are anchors of the page too."""
_MDX_IMPORT = re.compile(r"""^import\s+(\w+)\s+from\s+["']([^"']+\.mdx?)["'];?\s*$""")
UNKNOWN = "\x00unknown"
"""An anchors entry saying the page shows a file a Hugo shortcode reads that is not found, or
ids a shortcode builds from data in ways the check does not compute: the page has anchors the
check cannot see (a link to a missing one is a warning, not an error)."""
MYST_TARGET = "\x00myst:"
"""An anchors entry naming a MyST target `(name)=` of the page, known to the whole project."""
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")
_MYST_LABEL = re.compile(r"^ {0,3}\(([^()\s]+)\)=\s*$")
_FOOTNOTE = re.compile(r"^ {0,3}\[\^([^\]]+)\]:")
_COMMENT_WORD = re.compile(r"[A-Za-z_][\w.:-]*[\w]")
COMMENT_IN_LINE = re.compile(r"<!--.*?-->")
_HTML_ID = re.compile(
    r"""<(?:[A-Za-z][^>]*?\sid|[aA]\b[^>]*?\sname)=(?:["']([^"']+)["']|([^\s"'=<>`{}]+))""",
    re.IGNORECASE,
)
"""An HTML element's `id`, or the `name` of an `<a>`: browsers scroll to either on `#x`
(GitHub prefixes both with `user-content-` and still resolves `#x` to them). The value may be
unquoted (`<a name=setup>`), as HTML allows."""
_INLINE_MD = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\[[^\]]*\]"), r"\1"),
    (re.compile(r"`+"), ""),
    (re.compile(r"\*+|(?<!\w)_+|_+(?!\w)"), ""),
)
_COMPONENT = re.compile(r"<\s*([A-Z]\w*)(?=[\s/>])")
"""An MDX component rendered in the page (`<Setup />`, `< Skip/>`)."""
_AUTODOC = re.compile(r"^:::[ \t]+([A-Za-z_][\w.]*[\w])[ \t]*$")
"""mkdocstrings' autodoc line: `::: package.module.Object`."""
_VUE_TAB = re.compile(r"""^ {0,3}:{3,}[ \t]*tab[ \t]+(?:"([^"]+)"|'([^']+)'|(\S.*?))[ \t]*$""")
"""`:::: tab "Name"`: a tab of vuepress-plugin-tabs (a container of markdown-it-container)."""
_IDCOUNT = re.compile(r"^(.*)_([0-9]+)$")


@functools.lru_cache(maxsize=4096)
def slugify(text: str) -> str:
    """The slug the site gives a heading (`pymdownx.slugs.slugify(case="lower")`).

    Kept per text: pages of one manual repeat the same headings.
    """
    from pymdownx.slugs import slugify as make

    slug: str = make(case="lower")(text, "-")
    return slug


def heading_text(raw: str) -> tuple[str, str | None]:
    """A heading's text without inline Markdown, and its id when an attribute list gives one
    (`{#id}`, `{ id=x }`, `{: #x .class }`)."""
    explicit = None
    m = _ATTR_LIST.search(raw)
    if m:
        ids = _attr_ids(m.group(1))
        if ids:
            explicit = ids[-1]
        raw = raw[: m.start()]
    raw = COMMENT_IN_LINE.sub("", raw)
    for pattern, repl in _INLINE_MD:
        raw = pattern.sub(repl, raw)
    return raw.strip(), explicit


def html_ids(text: str) -> list[str]:
    """The fragments the HTML of `text` gives: `id=` values, and `<a name=>` ones."""
    return [quoted or bare for quoted, bare in _HTML_ID.findall(text)]


def _unique(slug: str, used: set[str]) -> str:
    # Python-Markdown's toc `unique()`: foo, foo_1, foo_2...
    while slug in used or not slug:
        m = _IDCOUNT.match(slug)
        slug = f"{m.group(1)}_{int(m.group(2)) + 1}" if m else f"{slug}_1"
    used.add(slug)
    return slug


@dataclass(frozen=True)
class Prose:
    """A line of the page outside fences, as the reader sees it."""

    index: int
    line: Line


_PROSE: dict[tuple[str, int], list[Prose]] = {}


def _doc_key(doc: Document) -> tuple[str, int]:
    # hash() of a str is computed once and kept by the string: O(1) after the first call.
    return str(doc.file), hash(doc.text)


def prose_lines(doc: Document) -> list[Prose]:
    """The page's lines outside fences, computed once per page text."""
    key = _doc_key(doc)
    cached = _PROSE.get(key)
    if cached is None:
        if len(_PROSE) > 4096:
            _PROSE.clear()
        cached = _PROSE[key] = _find_prose(doc)
    return cached


def _find_prose(doc: Document) -> list[Prose]:
    lines = list(doc.lines)
    spans = doc.fence_spans
    if spans is None:
        fences = find_fences(lines, superfences=doc.dialect == "mkdocs")
        spans = tuple((f.open_index, f.close_index) for f in fences)
    # Text inside HTML comments is not shown: its links and markers are not the page's.
    spans = (*spans, *doc.comment_spans)
    out: list[Prose] = []
    start = 0
    for opening, closing in sorted(spans):
        out.extend(Prose(i, lines[i]) for i in range(start, opening))
        start = max(start, closing + 1)
    out.extend(Prose(i, lines[i]) for i in range(start, len(lines)))
    return out


_ANCHORS: dict[tuple[str, int], frozenset[str]] = {}


def page_anchors(doc: Document) -> frozenset[str]:
    """Every anchor the page may have on the site.

    Renderers number and slugify headings their own ways (Python-Markdown's `toc`, with
    pymdownx's slugs or its own; GitHub and Hugo's Goldmark), and a site's configuration picks
    one: a link is accepted when any of them gives the anchor, so that a correct link is never
    reported; a broken one still is (no slug of any heading matches it). Entries holding `*`
    are patterns (content tabs' `__tabbed_1_2`).
    """
    key = _doc_key(doc)
    cached = _ANCHORS.get(key)
    if cached is not None:
        return cached
    toc_used: set[str] = set()
    github_used: dict[str, int] = {}
    vuepress_used: dict[str, int] = {}
    goldmark_used: dict[str, int] = {}
    anchors: set[str] = set()
    prose = prose_lines(doc)
    previous = ""
    hugo = doc.dialect == "hugo"
    mkdocs = doc.dialect == "mkdocs"
    # Python-Markdown toc's own slug, where the MkDocs site sets no `slugify`: accents folded.
    folder = os.path.dirname(os.path.abspath(doc.file))
    toc_default = mkdocs and toc_default_slugify(folder)
    autodoc = mkdocs and mkdocstrings_enabled(folder)
    last_heading = ""
    imports: dict[str, str] = {}
    rendered: set[str] = set()
    for k, p in enumerate(prose):
        text = p.line.text
        if not mkdocs and not hugo and ("import" in text or "<" in text):
            imported = _MDX_IMPORT.match(text)
            if imported:
                imports[imported.group(1)] = imported.group(2)
            rendered.update(_COMPONENT.findall(text))
        raw: str | None = None
        m = _ATX.match(text)
        if m:
            raw = m.group(2) or ""
            raw = re.sub(r"[ \t]+#+[ \t]*$", "", raw)
        elif (
            _SETEXT.match(text)
            and previous.strip()
            and not previous.lstrip().startswith(("-", "*", "+", ">", "|", "#"))
            and k > 0
            and prose[k - 1].index == p.index - 1
        ):
            raw = previous.strip()
        elif (
            hugo
            and text.startswith(": ")
            and previous.strip()
            and k > 0
            and prose[k - 1].index == p.index - 1
        ):
            raw = previous.strip()  # a definition term: Hugo gives it an id (autoDefinitionTermID)
        if raw is not None:
            if "<!--" in raw:  # `#### <!-- md:setting config.x -->`: a hook's id
                for comment in COMMENT_IN_LINE.findall(raw):
                    for word in _COMMENT_WORD.findall(comment[4:-3]):
                        anchors.update((word, "+" + word))
            title, explicit = heading_text(raw)
            if explicit:
                anchors.add(explicit)
                toc_used.add(explicit)
            else:
                slugs = _slugs(title)
                if toc_default:
                    slugs = slugs | {_toc_default_slug(title)}
                for slug in slugs:
                    anchors.add(_unique(slug, toc_used))
                    anchors.add(_github_unique(slug, github_used))
                if not mkdocs:  # MkDocs never makes this one: there it would hide a bad link
                    # markdown-it-anchor numbers a repeated slug as GitHub does: foo, foo-1.
                    anchors.add(_github_unique(_vuepress_slug(title), vuepress_used))
                if not mkdocs and not hugo:  # Hugo makes its own ids (`github` by default)
                    anchors.add(_github_unique(_goldmark_slug(title), goldmark_used))
                if "{{" in title or "{%" in title:
                    # `## Use {{ site.product }}`: Liquid or Jinja fills the heading in before
                    # the slug is made; any text may stand where the expression is.
                    marked = _TEMPLATE.sub(" zzrbdtemplatezz ", title)
                    anchors.update(s.replace("zzrbdtemplatezz", "*") for s in _slugs(marked))
                last_heading = slugify(title)
        elif "{" in text:
            # An attribute list on a paragraph, a list item or an image: `{ #id }`.
            m2 = _ATTR_LIST.search(text)
            if m2:
                anchors.update(_attr_ids(m2.group(1)))
        anchors.update(html_ids(text))
        if text.endswith("=") and text.lstrip().startswith("("):
            label = _MYST_LABEL.match(text)
            if label:
                anchors.update((label.group(1), MYST_TARGET + label.group(1)))
        if text.lstrip().startswith("[^"):
            note = _FOOTNOTE.match(text)
            if note:
                n = note.group(1)
                anchors.update((f"fn:{n}", f"fnref:{n}", f"fn-{n}", f"fnref-{n}"))
                anchors.update((f"user-content-fn-{n}", f"user-content-fnref-{n}"))
        if text.lstrip().startswith(("=== ", "===! ", "===+ ")):
            anchors.add("__tabbed_*")
            label = _TAB_LABEL.match(text)
            if label:  # pymdownx.tabbed with a slugify function: ids from the tab's label
                for tab in _slugs(heading_text(label.group(1))[0]):
                    anchors.add(tab)
                    if last_heading:  # combine_header_slug: the heading's slug first
                        anchors.update((f"{last_heading}-{tab}", f"{last_heading}--{tab}"))
        if not mkdocs and not hugo and ":::" in text:
            vue_tab = _VUE_TAB.match(text)
            if vue_tab:
                # vuepress-plugin-tabs renders `:::: tab "Name"` as vue-tabs-component's tab,
                # whose panel id is the name lowercased, each space a `-`; the page's hash
                # opens it.
                name = next(g for g in vue_tab.groups() if g is not None)
                anchors.add(name.lower().replace(" ", "-"))
        if autodoc and text.startswith(":::"):
            # mkdocstrings puts the object's documentation here: its heading's id is the
            # object's path, its members' ids the paths under it (only when they are
            # rendered, which the page does not tell: any path under it is accepted).
            obj = _AUTODOC.match(text)
            if obj:
                anchors.update((obj.group(1), obj.group(1) + ".*"))
        if hugo and "include" in text:
            for inc in _HUGO_INCLUDE.finditer(text):
                anchors.add(INCLUDE + inc.group(1))
        if hugo and "{{" in text:
            joined = text
            if _OPEN_SHORTCODE.search(text):
                # `{{< name` with its parameters on the lines below, up to `>}}`.
                for q in prose[k + 1 : k + 10]:
                    joined += " " + q.line.text
                    if ">}}" in q.line.text or "%}}" in q.line.text:
                        break
            for shown in shortcode_anchors(Path(os.path.abspath(doc.file)), joined, doc.text):
                anchors.update(shown.ids if shown.known else (UNKNOWN,))
        previous = text
    # Hooks and plugins make ids from words in HTML comments (`<!-- md:option toc.slugify -->`):
    # such words may be anchors the page has on the site.
    for first, last in doc.comment_spans:
        for ln in doc.lines[first : last + 1]:
            for word in _COMMENT_WORD.findall(ln.text):
                anchors.update((word, "+" + word))
    anchors.update(IMPORT + path for name, path in imports.items() if name in rendered)
    anchors.update(b.id for b in doc.blocks if b.id)
    anchors.update(_step_anchors(doc))
    result = frozenset(anchors)
    if len(_ANCHORS) > 4096:
        _ANCHORS.clear()
    _ANCHORS[key] = result
    return result


def _step_anchors(doc: Document) -> Iterator[str]:
    """The anchors of the steps of the page's decision trees that have an id (`#TREE--NODE`)."""
    from runbookdocs.decision_tree import node_anchor, parse_tree

    for b in doc.blocks:
        if b.kind == "decision-tree" and b.id:
            tree, _ = parse_tree(b)
            if tree is not None:
                yield from (node_anchor(b.id, n) for n in tree.nodes)


@functools.lru_cache(maxsize=4096)
def _slugs(title: str) -> frozenset[str]:
    """The slugs renderers give a heading: pymdownx's, Python-Markdown's `toc` default (runs of
    `-` collapsed), GitHub's and Hugo's (punctuation dropped, spaces kept as `-`). The
    `toc` default slug of an MkDocs site is added where the site uses it (`page_anchors`)."""
    first = slugify(title)
    return frozenset(
        {first, re.sub(r"-{2,}", "-", first), github_slug(title), _github_slugger(title)}
    )


@functools.lru_cache(maxsize=4096)
def _toc_default_slug(title: str) -> str:
    """Python-Markdown's `toc` slug when the site sets no `slugify` (MkDocs' default): the
    text decomposed (NFKD) and kept in ASCII, so accented letters lose their accents and other
    letters are dropped."""
    from markdown.extensions.toc import slugify as toc_slugify

    slug: str = toc_slugify(title, "-")
    return slug


_VUEPRESS_SPECIAL = re.compile(r"[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:\"'“”‘’<>,.?/]+")


@functools.lru_cache(maxsize=4096)
def _goldmark_slug(title: str) -> str:
    """Goldmark's default auto heading id (`parser.WithAutoHeadingID()` with no generator of
    the site's; Caddy's `templates` renders Markdown so): ASCII letters and digits kept
    (lower-cased), each space, `-` and `_` made `-`, every other character (punctuation, `/`,
    non-ASCII) dropped; `heading` when nothing is left. `GET /a_b/c` is `get-a-bc`."""
    kept = []
    for c in title.strip():
        if c.isascii() and c.isalnum():
            kept.append(c.lower())
        elif c in " \t\n-_":
            kept.append("-")
    return "".join(kept) or "heading"


@functools.lru_cache(maxsize=4096)
def _vuepress_slug(title: str) -> str:
    """VuePress' and VitePress' slug: runs of spaces and punctuation made one `-` (`app.conf`
    is `app-conf`), after NFKD without combining marks; a leading digit prefixed with `_`."""
    text = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    text = _VUEPRESS_SPECIAL.sub("-", re.sub(r"[\x00-\x1f]", "", text)).strip("-")
    return re.sub(r"^(\d)", r"_\1", text).lower()


@functools.lru_cache(maxsize=4096)
def github_slug(title: str) -> str:
    text = title.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


_SLUGGER_KEPT = frozenset({"Nd", "Nl", "Pc"})


@functools.lru_cache(maxsize=4096)
def _github_slugger(title: str) -> str:
    """GitHub's own slug (github-slugger), where it differs from `github_slug` (also Hugo's):
    it keeps letters, marks (the variation selector U+FE0F of `⚠️`: `## ⚠️ Notes` is
    `#\ufe0f-notes`), decimal and letter numbers, connector punctuation, `-` and spaces, and
    drops every other character (symbols, other numbers such as `²`)."""
    return "".join(
        c
        for c in title.strip().lower()
        if c in " -"
        or unicodedata.category(c)[0] in "LM"
        or unicodedata.category(c) in _SLUGGER_KEPT
    ).replace(" ", "-")


def _github_unique(slug: str, used: dict[str, int]) -> str:
    # GitHub and Goldmark: foo, foo-1, foo-2...
    count = used.get(slug)
    used[slug] = (count or 0) + 1
    return slug if count is None else f"{slug}-{count}"


def _attr_ids(body: str) -> list[str]:
    """Ids in an attribute list: `#id`, `id=x`, `id="x"`."""
    return [*_ATTR_ID.findall(body), *(a or b or c for a, b, c in _ATTR_ID_KEY.findall(body))]


def anchor_exists(anchor: str, anchors: frozenset[str]) -> bool:
    """True when `anchor` is one of `anchors` (entries with `*` are patterns)."""
    if anchor in anchors:
        return True
    return any("*" in a and fnmatch.fnmatchcase(anchor, a) for a in anchors)


# ------------------------------------------------------------------------------- code spans


_SPAN_OVER_LINES = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_BLOCK_START = re.compile(r"^[ \t>]*(?:#{1,6}(?:[ \t]|$)|[-*+][ \t]|\d{1,9}[.)][ \t]|\||<|```|~~~)")
"""A line that starts a block of its own (heading, list item, table, HTML, fence): a code
span never runs into it."""


def code_over_lines(prose: list[Prose]) -> dict[int, str]:
    """Prose lines (by line index) with the code spans that run over several lines of a
    paragraph blanked (`` `Failed: ... `` then lazy continuation lines of a `>` quote, then
    `` ...'[a-z]([-a-z]*)?'` ``): what is inside a code span is shown as written, never a
    link. Only paragraphs where a line holds an odd number of backticks are looked at."""
    out: dict[int, str] = {}
    k = 0
    while k < len(prose):
        last = k
        while (
            last + 1 < len(prose)
            and prose[last + 1].index == prose[last].index + 1
            and prose[last + 1].line.text.strip()
            and not _BLOCK_START.match(prose[last + 1].line.text)
        ):
            last += 1
        group = prose[k : last + 1]
        k = last + 1
        if len(group) < 2 or not any(p.line.text.count("`") % 2 for p in group):
            continue
        joined = "\n".join(p.line.text for p in group)
        masked = _SPAN_OVER_LINES.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), joined)
        for p, text in zip(group, masked.split("\n"), strict=True):
            if text != p.line.text:
                out[p.index] = text
    return out


def imported_file(source: Path, name: str) -> Path | None:
    """The Markdown file an MDX page's `import ... from "name"` names, or None when none is
    found: relative to the page (`./`, `../`), else under a folder above the page, with the
    bundler's alias prefix (`@site/`, a site's own `versionContent/`) or without it; `.md` and
    `.mdx` are tried both (a site may build one from the other)."""
    stem, suffix = os.path.splitext(name)
    spellings = [name] + [stem + other for other in (".md", ".mdx") if other != suffix]
    if name.startswith(("./", "../")):
        bases: list[tuple[Path, str]] = [(source.parent, s) for s in spellings]
    else:
        tails = []
        for spelling in spellings:
            tails.append(spelling.lstrip("/"))
            if "/" in spelling.lstrip("/"):
                tails.append(spelling.lstrip("/").split("/", 1)[1])  # without the alias
        bases = [(base, tail) for base in source.parents for tail in tails]
    for base, tail in bases:
        candidate = Path(os.path.normpath(base / tail))
        if candidate.is_file():
            return candidate
    return None


def partial_page(file: Path) -> bool:
    """True when `file` is a partial by MDX sites' convention (Docusaurus): its name or a
    folder at most two levels up starts with `_`, and it is not Hugo's `_index.md`. A partial
    is shown inside the pages that import it, never on its own."""
    parts = file.parts[-3:-1] + ((file.name,) if file.stem != "_index" else ())
    return any(part.startswith("_") and part.strip("_") for part in parts)
