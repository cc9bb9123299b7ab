"""Page checks: links and anchors, placeholders, TODO markers, mojibake, review dates.

Anchors are what the published site will have: headings slugified the way the site's `toc`
extension is configured (`pymdownx.slugs.slugify(case="lower")`, duplicates numbered `_1`,
`_2`...), `{#id}` attributes on headings, block ids (`#id` in fence headers) and `id="..."` in
raw HTML. Links inside fences and inline code are not links.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import fnmatch
import functools
import os
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from runbookdocs import codes
from runbookdocs.anchors import (
    COMMENT_IN_LINE,
    IMPORT,
    INCLUDE,
    UNKNOWN,
    Prose,
    anchor_exists,
    code_over_lines,
    imported_file,
    partial_page,
    prose_lines,
)
from runbookdocs.block import Block, suggest
from runbookdocs.config import Config
from runbookdocs.dialect import built_by_generator, template_starts
from runbookdocs.document import PLACEHOLDER, Document
from runbookdocs.docusaurus import linked_doc
from runbookdocs.generated import ignored_by_repository
from runbookdocs.links import REF_DEF, SCHEME, link_texts, links, mask_code, unescape_target
from runbookdocs.location import Location
from runbookdocs.mkdocs_site import in_built_folder, localised_file
from runbookdocs.results import Finding
from runbookdocs.validate import CheckContext, PageEntry, PageIndex, Reference, page_check
from runbookdocs.validate.common import finding_at

ATTRIBUTE_PLACEHOLDERS = ("file", "owner", "title", "check")
"""Header attributes whose `{{ name }}` placeholders are filled in."""

PLACEHOLDER_KINDS = frozenset({"shell", "console", "sql", "json", "yaml", "ini", "toml"})
"""Kinds whose `{{ name }}` placeholders are filled in. Other blocks (templates shown as
examples, ```jinja) keep their braces as written."""

MARKERS = re.compile(r"(?<![./\w])(TODO|FIXME|XXX)\b(?![(.:/-]\w|\()")
"""Unfinished-work markers, reported as warnings wherever they are (not `context.TODO()`,
an identifier of code, nor `XXX.XXX.XXX/XX` or `/nfs/XXX`, a value to fill in)."""

_POINTS_TO = re.compile(r"[ \t]+(?:above|below)\b")
"""After a marker: `TODO above`, `FIXME below`, words pointing to another marker."""
_TALKED_ABOUT = re.compile(r"(?i)(?<![\w-])(?:our|your|their|its|still)[ \t]+$")
"""Before a marker: a word that makes it a noun or a state in a sentence (`our TODO list`,
`43% were still TODO`), the page talking about to-dos, not one left on the page."""
_TODO_LIST = re.compile(
    r"[ \t]+(?:lists?|tags?|labels?|box(?:es)?|items?|columns?|folders?|boards?|views?)\b"
)
"""After a marker: `a TODO list`, `the TODO tag`, `the TODO box`: the to-dos, or a thing
named after them, that a sentence talks about."""
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "\u00ab": "\u00bb"}
"""Opening quote -> closing quote: a marker in quotes (`tags such as "TODO"`) is a word the
sentence names, not a note left on the page."""
_URL = re.compile(r"[A-Za-z][\w+.-]*://\S+|www\.\S+")
_TARGET = re.compile(r"\]\([^)\s]*|^ {0,3}\[[^\]]+\]:\s*\S+")
_QUERY = re.compile(r"\S*\?[\w.%-]+=\S*")
_HTML_ADDRESS = re.compile(r"""(?i)\b(?:href|src|action|poster)\s*=\s*(?:"[^"]*"|'[^']*')""")
"""An address in an HTML attribute (`<a href="page.php?only_email">`): a URL, no words."""
_LOST_CHAR = re.compile(r"(?<=[^\W\d_])\?(?=[^\W\d_])")
_LATIN1 = re.compile(r"Ã[\u0080-\u00bf]|â€")
_SHOWN_REPLACEMENT = re.compile(r"(?<!`)(`+)(?!`)\ufffd+\1(?!`)")
"""A code span holding U+FFFD characters and nothing else: a page showing the character."""


# ------------------------------------------------------------------------------------ links


@page_check
def check_links(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Relative links: recorded as references, resolved against every page by `judge`."""
    hugo = doc.dialect == "hugo"
    # mkdocs-macros renders each page as a Jinja template before Markdown reads it: a link
    # target holding `{{ release }}` names the page the variable's value makes, which only
    # the site's build knows; such targets are not checked.
    macros = template_starts(doc)
    prose = prose_lines(doc)
    spanned = code_over_lines(prose) if "`" in doc.text else {}
    # A link inside an HTML comment (`text <!-- see [x](TODO) -->`) is not shown: no link.
    hidden = _comments_over_lines(prose) if "<!--" in doc.text else {}
    used: set[str] | None = None  # the labels the page's reference links name
    for p in prose:
        if "](" not in p.line.text and "]:" not in p.line.text:
            continue
        if hugo and "{{" in p.line.text:
            for m in _HUGO_REF.finditer(p.line.text):
                where = Location(doc.path, p.line.page_line, m.start("target") + 1)
                ctx.refer(Reference("hugo-ref", m.group("target"), where, p.line.origin))
        masked = mask_code(p.line.text)
        defined = _REF_LABEL.match(masked) if REF_DEF.match(masked) else None
        if defined is not None and used is None:
            used = _used_labels(doc)
        shown = hidden.get(p.index) or _without_inline_comments(spanned.get(p.index, p.line.text))
        for col, raw in links(shown):
            target = unescape_target(raw.strip("<>"))
            if not target or SCHEME.match(target) or target.startswith(("//", "/", "{{")):
                continue  # absolute, or a template (`{{< relref >}}` is read above)
            if defined and used is not None and col >= defined.end() and not _used(defined, used):
                continue  # a definition no link uses: nothing renders it
            if any(start in target for start in macros):
                continue
            kind = "hugo-link" if hugo else "link"
            ctx.refer(
                Reference(
                    kind, target, Location(doc.path, p.line.page_line, col + 1), p.line.origin
                )
            )
    return []


_REF_LABEL = re.compile(r"^ {0,3}\[(?!\^)([^\]]+)\]:")
_LABEL_USE = re.compile(r"\[([^\]\n]+)\](?!\()")
"""`[text][label]`, `[label][]`, `[label]`: where a page may use a link reference definition
(any bracketed text not followed by `(`: more than the uses, never fewer)."""


def _used(defined: re.Match[str], used: set[str]) -> bool:
    """True when the label of the definition `defined` is among the `used` ones."""
    return _label_key(defined.group(1)) in used


def _label_key(label: str) -> str:
    """A link label as CommonMark matches it: case-folded, its white space collapsed."""
    return " ".join(label.split()).casefold()


def _used_labels(doc: Document) -> set[str]:
    """The labels bracketed anywhere on the page outside the definitions themselves: a
    definition whose label is not among them is used by no link, and no renderer shows it."""
    used: set[str] = set()
    for line in doc.lines:
        text = line.text
        defined = _REF_LABEL.match(text)
        for m in _LABEL_USE.finditer(text, defined.end() if defined is not None else 0):
            used.add(_label_key(m.group(1)))
    return used


_HUGO_REF = re.compile(r"""\]\(\s*\{\{[<%]\s*(?:rel)?ref\s+"(?P<target>[^"]+)"\s*[>%]\}\}\s*\)""")
"""`[text]({{< relref "page.md#anchor" >}})`: Hugo's page references."""


def _hugo_bases(source: Path, target: str) -> tuple[list[Path], list[Path], Path | None, str]:
    """The folders a Hugo link `target` of the page `source` is read from (see `_hugo_pages`),
    those an alias's redirect is followed from, the content directory (None when the pages
    are not under one), and the target without its leading `/`."""
    bases = [source.parent]
    if source.stem not in ("index", "_index"):
        bases.append(source.parent / source.stem)
    # Hugo's link render hook and `ref` look a path up from the content directory too.
    content = next((d for d in source.parents if d.name == "content"), None)
    # The browser follows an alias's redirect from the URL it reads the link against: the
    # page's pretty URL (an index page's folder), or the site's root for `/x/`.
    seen_from = [bases[-1]]
    if content is not None:
        bases.append(content)
        bases.extend(d for d in source.parents if content in d.parents)  # language folders
    if target.startswith("/"):
        bases = bases[2:] or bases
        seen_from = bases if content is not None else []
        target = target.lstrip("/")
    return bases, seen_from, content, target


def _hugo_generated(source: Path, target: str) -> bool:
    """True when a page the Hugo link `target` may name is one the repository ignores: a
    build step writes it (`generated.ignored_by_repository`)."""
    bases, _, _, target = _hugo_bases(source, target)
    for name in (Path(os.path.normpath(base / target)) for base in bases):
        candidates = [name] if name.suffix == ".md" else []
        candidates += [name.with_name(name.name + ".md"), name / "_index.md", name / "index.md"]
        if any(ignored_by_repository(c) for c in candidates):
            return True
    return False


def _hugo_pages(
    source: Path, target: str, index: PageIndex, *, shortcode: bool = False
) -> Iterator[Path]:
    """Every page a Hugo link may name, in the order the check prefers them: relative to the
    page's file, to its pretty URL (`a/b.md` is served at `a/b/`, so `../c/` is `a/c`), or to
    the content directory (Hugo's link render hook and `ref` look there too); then the pages
    that declare the URL the link names as one of their `aliases` (a browser follows their
    redirects; the `ref`/`relref` shortcodes do not: `shortcode=True`). `../` from `a/b/page.md` is
    `a/b/_index.md` for the browser (read from the pretty URL `a/b/page/`) and `a/_index.md`
    for a render hook that reads it next to the file.

    A page file may carry a language the site configures: `ref "/docs/x"` names `x.en.md`.

    Hugo serves every path in lower case unless the site sets `disablePathToLower`: then
    `cli/backup/` is the URL of `CLI/Backup.md` and any case in a link finds it. A shortcode
    finds a page in any case whatever the setting: Hugo looks pages up in a tree whose keys
    are lower-cased (hugolib `cleanTreeKey`); `disablePathToLower` keeps only the URL's case.
    """
    from runbookdocs.dialect import hugo_languages, hugo_lowercases_urls

    seen: set[Path] = set()
    bases, seen_from, content, target = _hugo_bases(source, target)
    urls_lower = hugo_lowercases_urls(str(source.parent))
    lower = shortcode or urls_lower
    names = [Path(os.path.normpath(base / target)) for base in bases]
    # `principles.en.md`: the page `principles` in a language the site configures.
    languages = hugo_languages(str(source.parent))
    for name in names:
        candidates = [name] if name.suffix == ".md" else []
        if name.suffix == ".md" and name.stem in ("index", "_index"):
            # `../setup/index.md`: Hugo's page lookup reads a bundle's index file as the
            # bundle's path (`/setup`), which is also the path of a page `setup.md`.
            candidates.append(name.parent.with_name(name.parent.name + ".md"))
        candidates += [
            name.with_name(name.name + ".md"),
            name / "_index.md",
            name / "index.md",
            name / "README.md",
        ]
        for lang in languages if name.suffix != ".md" else ():
            candidates += [
                name.with_name(f"{name.name}.{lang}.md"),
                name / f"_index.{lang}.md",
                name / f"index.{lang}.md",
            ]
        for c in candidates:
            found: Path | None = c if str(c) in index.entries or c.is_file() else None
            if found is None:
                found = _served_at(c, lower)
            if found is not None and found not in seen:
                seen.add(found)
                yield found
                break
    # A `ref` without a `/` (or with only a leading one) that names no page at those paths is
    # looked up by the page's base name anywhere in the site, when one page alone has it
    # (hugolib's pageFinder, `pageReverseIndex`). A `.md` link is made a `ref` by the sites
    # whose link render hook or build step turns source links into page references.
    if not seen:
        named = _hugo_named(source, target, index, shortcode=shortcode)
        if len(named) == 1:
            seen.add(named[0])
            yield named[0]
    if not shortcode:
        redirects = (
            _hugo_aliases(str(content), urls_lower)
            if content is not None
            else _relative_aliases(index, urls_lower)
        )
        for name in (Path(os.path.normpath(base / target)) for base in seen_from):
            found = redirects.get(_url_key(str(name), lower))
            if found is not None and found not in seen:
                seen.add(found)
                yield found


def _hugo_named(source: Path, target: str, index: PageIndex, *, shortcode: bool) -> list[Path]:
    """The pages of the site a reference without `/` names by their base name, wherever they
    are: Hugo's `ref`, after the paths relative to the page and to the content directory, looks
    the name up among the site's pages (hugolib's pageFinder, `pageReverseIndex`: a file's name
    without extension and language, a bundle's or section's folder name, in any case). One
    page: the reference names it; several: Hugo stops the build (the reference is ambiguous).
    The site is the page's content directory (its language's folder, `content/en`, when the
    site configures one per language), read from the disk: pages outside the check count; a
    site without a `content` folder above the page has the checked pages only. A `.md` link is
    made a `ref` by the sites whose link render hook or build step turns source links into
    page references."""
    if target.count("/") or not target or not (shortcode or target.endswith(".md")):
        return []
    name = target.removesuffix(".md").lower()
    root = _hugo_site_root(source)
    if root is None:
        return index.by_base_name(name)
    return [Path(p) for p in _site_base_names(str(root[0]), root[1]).get(name, [])]


def _ambiguous_ref(ref: Reference, source: Path, name: str, named: list[Path]) -> Finding:
    """Hugo's error for a `ref` whose name several pages of the site have."""
    shown = ", ".join(repr(os.path.relpath(p, source.parent)) for p in named[:3])
    more = f" and {len(named) - 3} more" if len(named) > 3 else ""
    return codes.BROKEN_LINK.at(
        ref.location,
        f"link to {ref.target!r}: page reference {name!r} is ambiguous, {len(named)} pages of "
        f"the site have that name ({shown}{more}): Hugo stops the build",
        hint="write the page's path from the content directory ('/section/page.md')",
        origin=ref.origin,
    )


def _mounted_elsewhere(source: Path, target: str) -> str | None:
    """`'a'` or `'a' and N more`: the sources of `_mounts_elsewhere`; None when none."""
    found = _mounts_elsewhere(source, target)
    if not found:
        return None
    more = f" and {len(found) - 1} more" if len(found) > 1 else ""
    return f"{found[0]!r}{more}"


def _mounts_elsewhere(source: Path, target: str) -> list[str]:
    """The source of a content mount of the site (`[[module.mounts]]`) that is not in the copy
    and may hold the page `target` names (a `ref` found nowhere in the copy): any such mount of
    the page's language for a name without `/` (Hugo looks it up in the whole site), the one
    mounted where the path leads for a path. []: the copy holds all the content it may be
    in. Such a reference is a warning, not an error: the check cannot see that content."""
    from runbookdocs.dialect import hugo_languages
    from runbookdocs.hugo_site import missing_content_mounts

    mounts = missing_content_mounts(str(source.parent))
    site = _hugo_site_root(source)
    if not mounts or site is None:
        return []
    root, lang = site
    if not lang:  # no language folder: the site's first language is the page's
        lang = next(iter(hugo_languages(str(source.parent))), "")
    mine = [m for m in mounts if not m.lang or not lang or m.lang == lang]
    if not target.strip("/").count("/") and not target.startswith((".", "/")):
        return list(dict.fromkeys(m.source for m in mine))
    if target.startswith("/"):
        where = os.path.normpath(root / target.lstrip("/"))
    else:
        where = os.path.normpath(source.parent / target)
    found: list[str] = []
    for m in mine:
        under = os.path.normpath(root / m.target) if m.target else str(root)
        if where == under or where.startswith(under + os.sep):
            found.append(m.source)
    return found


def _hugo_site_root(source: Path) -> tuple[Path, str] | None:
    """The content folder of the page's site and its language (`` when not known): the
    `content` folder above the page, or its language folder (`content/en`) when the site
    configures that language. None: no `content` folder above the page."""
    from runbookdocs.dialect import hugo_languages

    content = next((d for d in source.parents if d.name == "content"), None)
    if content is None:
        return None
    first = source.relative_to(content).parts[0]
    if first in hugo_languages(str(source.parent)) and (content / first).is_dir():
        return content / first, first
    return content, ""


@functools.lru_cache(maxsize=16)
def _site_base_names(root: str, lang: str) -> dict[str, list[str]]:
    """The pages under the content folder `root` by their lower-cased base name (see
    `_hugo_named`). A leaf bundle (`x/index.md`) is one page: the other files and folders in
    it are its resources. A file of another language than `lang` (`x.fr.md`) is another
    site's page; the language suffix is not part of the name."""
    from runbookdocs.dialect import hugo_languages

    languages = set(hugo_languages(root))
    found: dict[str, list[str]] = {}
    for folder, dirs, files in os.walk(root):
        pages = [f for f in files if f.endswith((".md", ".markdown"))]
        stems = {f.rsplit(".", 1)[0] for f in pages}
        leaf = [s for s in stems if s.split(".")[0] == "index"]
        if leaf:
            dirs.clear()
            pages = [f for f in pages if f.rsplit(".", 1)[0] in leaf]
        dirs.sort()
        for f in sorted(pages):
            stem = f.rsplit(".", 1)[0]
            base, _, suffix = stem.rpartition(".")
            if base and suffix in languages:
                if lang and suffix != lang:
                    continue
                stem = base
            if stem in ("index", "_index"):
                if folder == root:
                    continue  # the home page: named by `/`, not by a name
                stem = os.path.basename(folder)
            found.setdefault(stem.lower(), []).append(os.path.join(folder, f))
    return found


def _served_at(path: Path, lower: bool) -> Path | None:
    """The file Hugo serves at `path`, read as a URL path, or None.

    Hugo makes each folder and file name of the content directory into a URL segment with
    `paths.Sanitize` (a run of white space becomes one `-`; characters other than letters,
    digits, marks and `._/\\#+~-@` are dropped) and then, unless the site says
    `disablePathToLower`, lowercases it: `Getting started/` is served at `getting-started/`.
    """
    parts = path.parts
    here = Path(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        step = here / part
        if not step.exists():
            folder = _folder_urls(str(here), lower)
            key = part.lower() if lower else part
            if folder is None or key not in folder:
                return None
            step = here / folder[key]
        here = step
        if i < len(parts) - 1 and not here.is_dir():
            return None
    return here if here.is_file() else None


def _folder_urls(folder: str, lower: bool) -> dict[str, str] | None:
    """The names in `folder` by the URL segment Hugo makes of them (None: not a folder)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    urls: dict[str, str] = {}
    for name in sorted(names):
        segment = hugo_sanitize(name)
        urls.setdefault(segment.lower() if lower else segment, name)
    return urls


_HUGO_PATH_CHARS = frozenset("./\\_#+~-@")


def hugo_sanitize(name: str) -> str:
    """A path as Hugo's `paths.Sanitize` makes it a URL path: every run of white space after
    the first kept character becomes one `-` (none next to a `-`), and characters other than
    letters, digits, marks, `%XX` escapes and `./\\_#+~-@` are dropped."""
    out: list[str] = []
    hyphen = was_hyphen = False
    for i, ch in enumerate(name):
        allowed = ch != " " and (
            ch.isalnum()
            or ch in _HUGO_PATH_CHARS
            or unicodedata.category(ch).startswith("M")
            or (ch == "%" and re.fullmatch(r"[0-9A-Fa-f]{2}", name[i + 1 : i + 3]) is not None)
        )
        if allowed:
            was_hyphen = ch == "-"
            if hyphen and not was_hyphen:
                out.append("-")
            hyphen = False
            out.append(ch)
        elif out and not was_hyphen and ch.isspace():
            hyphen = True
    return "".join(out)


def _url_key(path: str, lower: bool) -> str:
    """A content path as the URL Hugo serves it at (see `_served_at`), to compare paths."""
    url = hugo_sanitize(path)
    return (url.lower() if lower else url).rstrip("/")


_ALIASES_KEY = re.compile(r"^[\"']?aliases[\"']?\s*[:=]", re.M | re.I)


@functools.lru_cache(maxsize=64)
def _hugo_aliases(content: str, lower: bool) -> dict[str, Path]:
    """The pages of a Hugo content directory by the URLs their front matter `aliases` name.

    Hugo publishes a redirect at each alias: `/old/url/` is read from the site's root, which is
    the content directory, or its language folder on a multilingual site (`content/en`);
    `old-name` and `../old/path` are read from the page's folder. URLs are keyed as paths in
    the content directory, so that a link is looked up there like a page.
    """
    found: dict[str, Path] = {}
    root = Path(content)
    for folder, _dirs, files in os.walk(content):
        for file in files:
            if not file.endswith(".md"):
                continue
            page = Path(folder) / file
            for alias in _page_aliases(page):
                if alias.startswith("/"):
                    rel = page.relative_to(root).parts
                    # The site's root, and the language folder the page may be in.
                    bases = [root, root / rel[0]] if len(rel) > 1 else [root]
                    names = [os.path.normpath(b / alias.lstrip("/")) for b in bases]
                else:
                    names = [os.path.normpath(_alias_base(page) / alias)]
                for name in names:
                    found.setdefault(_url_key(name, lower), page)
    return found


def _alias_base(page: Path) -> Path:
    """The folder a relative alias of `page` is read from. Hugo joins it to the page's URL
    and `..`: the page's folder for `a/b.md` (served at `a/b/`), the folder above for
    `a/b/_index.md` and a bundle's `a/b/index.md` (also served at `a/b/`)."""
    return page.parent.parent if page.stem in ("_index", "index") else page.parent


_CHECKED_ALIASES: weakref.WeakKeyDictionary[PageIndex, dict[bool, dict[str, Path]]] = (
    weakref.WeakKeyDictionary()
)


def _relative_aliases(index: PageIndex, lower: bool) -> dict[str, Path]:
    """The checked pages by the URLs their relative `aliases` name, for a Hugo site whose
    content directory is mounted from elsewhere (no `content` folder above the pages): a
    relative alias is read from the page's URL as in `_hugo_aliases`; an absolute one needs
    the site's root, which is unknown here, so it names nothing."""
    by_lower = _CHECKED_ALIASES.setdefault(index, {})
    if lower not in by_lower:
        found: dict[str, Path] = {}
        for key in index.entries:
            page = Path(key)
            if page.suffix != ".md":
                continue
            for alias in _page_aliases(page):
                if alias.startswith("/") or "://" in alias:
                    continue
                found.setdefault(_url_key(os.path.normpath(_alias_base(page) / alias), lower), page)
        by_lower[lower] = found
    return by_lower[lower]


_HEADLESS = re.compile(r"^headless\s*[:=]\s*true\s*$", re.M | re.I)


@functools.lru_cache(maxsize=256)
def _headless(page: Path) -> bool:
    """True when the page's front matter says `headless: true` (TOML `headless = true`)."""
    try:
        with page.open(encoding="utf-8", errors="replace") as f:
            head = f.read(4096)
    except OSError:
        return False
    if not head.startswith(("---", "+++")):
        return False
    end = head.find("\n" + head[:3], 3)
    return end > 0 and _HEADLESS.search(head[3:end]) is not None


def _read_from_includers(source: Path, path_part: str, index: PageIndex) -> bool:
    """True when `source` is a headless Hugo page and its relative link names a page once
    read from some page of the site. Hugo publishes a headless page at no URL of its own: a
    shortcode of the site shows its text inside other pages, and the browser reads the link
    from those pages' URLs (`../../../cli/run/` climbs from theirs, not from the shared
    file's folder). The check does not know which pages include it, so it asks whether the
    path below the link's `../` is a page anywhere; a name no page has is still reported."""
    parts = Path(path_part).parts
    ups = 0
    while ups < len(parts) and parts[ups] in ("..", "."):
        ups += 1
    rest = parts[ups:]
    if not rest or ".." in rest or not _headless(source):
        return False
    tail = os.sep + os.path.join(*rest).removesuffix(".md")
    ends = (tail + ".md", *(os.path.join(tail, n) for n in ("_index.md", "index.md")))
    return any(key.endswith(ends) for key in index.entries)


def _page_aliases(page: Path) -> list[str]:
    """The `aliases` of a page's front matter (YAML `---` or TOML `+++`); [] when none."""
    try:
        with page.open(encoding="utf-8", errors="replace") as f:
            head = f.read(8192)
    except OSError:
        return []
    if not head.startswith(("---", "+++")) or not _ALIASES_KEY.search(head):
        return []
    fence = head[:3]
    end = head.find("\n" + fence, 3)
    if end < 0:
        return []
    text = head[3:end]
    import tomllib

    from runbookdocs.yamlio import YamlProblem, load_yaml

    data: object
    try:
        data = tomllib.loads(text) if fence == "+++" else load_yaml(text, lines=False)
    except (YamlProblem, tomllib.TOMLDecodeError):
        return []  # a page's broken front matter is that page's finding, not this link's
    aliases = data.get("aliases") if isinstance(data, dict) else None
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list):
        return []
    return [a for a in aliases if isinstance(a, str) and a.strip()]


def resolve_reference(ref: Reference, source: Path, index: PageIndex) -> Finding | None:
    """Why `ref`, made by the page at `source`, names nothing; None when it resolves."""
    page, sep, anchor = ref.target.partition("#")
    if ref.kind == "block" and not sep:
        page, anchor = "", ref.target
    path_part = unquote(page.split("?", 1)[0])
    anchor = unquote(anchor)
    if ref.kind == "block":
        return _resolve_block(ref, source, index, path_part, anchor)
    if ref.kind == "tree-link":  # judged like the page's links, reported as the tree's
        problem = resolve_reference(dataclasses.replace(ref, kind="link"), source, index)
        if problem is None:
            return None
        return codes.TREE_LINK.at(
            problem.location,
            f"{ref.context}: {problem.message}",
            severity=problem.severity,
            hint=problem.hint,
            origin=problem.origin,
        )
    pageish = Path(path_part.rstrip("/")).suffix in ("", ".md")
    if ref.kind == "hugo-link" and path_part and not pageish:
        # `../discovery.aws`: the page `discovery.aws.md` (served at `discovery.aws/`), whose
        # name has a dot that is no file extension; a file of that name is read as before.
        pageish = next(_hugo_pages(source, path_part, index), None) is not None
    if ref.kind == "hugo-ref" or (ref.kind == "hugo-link" and path_part and pageish):
        pages = list(_hugo_pages(source, path_part, index, shortcode=ref.kind == "hugo-ref"))
        if not pages:
            if ref.kind == "hugo-link" and "/" not in path_part and "." not in path_part:
                return None  # a bare word (`[term](g)`): a link render hook's, not ours to judge
            if _hugo_generated(source, path_part):
                return None  # a page the build writes (the repository ignores it)
            if ref.kind == "hugo-link" and _read_from_includers(source, path_part, index):
                return None  # a headless page's link, found from the pages that show it
            shortcode = ref.kind == "hugo-ref"
            named = _hugo_named(source, path_part, index, shortcode=shortcode)
            if len(named) > 1 and shortcode:
                return _ambiguous_ref(ref, source, path_part, named)
            unseen = _mounted_elsewhere(source, path_part) if shortcode else None
            if unseen is not None:
                return codes.BROKEN_LINK.at(
                    ref.location,
                    f"link to {ref.target!r}: no such page in the copy, but the site mounts "
                    f"content the copy does not hold ({unseen}): the page may be there",
                    severity="warning",
                    hint="check the link with that content present",
                    origin=ref.origin,
                )
            where = "next to the page, at its pretty URL and in the content directory"
            if shortcode and path_part and "/" not in path_part:
                where += ", nor by that name anywhere in the site"
            return _found(ref, codes.BROKEN_LINK, f"link to {ref.target!r}: no such page ({where})")
        found = pages[0]
        linked = index.get(found)
        # The anchor is looked for in every page the link may name (`./#x` is the page itself
        # in the browser, the folder's `_index.md` next to the file): one holding it will do.
        if anchor and any(
            (other := index.get(page)) is None or _anchor_known(anchor, other, index, page)
            for page in pages
        ):
            anchor = ""
        if anchor and linked is not None and not _anchor_known(anchor, linked, index, found):
            if UNKNOWN in linked.anchors:
                return _unknown_anchor(ref, anchor, repr(path_part))
            return _found(
                ref,
                codes.MISSING_ANCHOR,
                f"link to {ref.target!r}: no anchor #{anchor} in {path_part!r}"
                f"{suggest(anchor, linked.anchors)}",
            )
        return None
    linked_file = source if not path_part else Path(os.path.normpath(source.parent / path_part))
    if not path_part:
        linked = index.get(source)
    else:
        name = os.path.normpath(os.path.join(os.path.dirname(source), path_part))
        linked = None if path_part.endswith("/") else index.entries.get(name)
        if linked is None and path_part.endswith(".md/"):
            linked = _page_before_slash(source, name, index)
        if linked is None:  # not a page of this check: look at the file system
            if not anchor and _folder_shown(source, Path(name), index):
                return None
            if not os.path.exists(name) and in_built_folder(source, Path(name)):
                return None  # a folder the site's nav names and a step before the build writes
            if not os.path.exists(name) and ignored_by_repository(Path(name)):
                return None  # a file the build writes (the repository ignores it)
            problem, linked = _resolve_file(ref, Path(name), path_part, index)
            if problem is not None:
                served = _at_pretty_url(ref, source, path_part, index)
                if served is not None:
                    problem, linked, linked_file = None, index.get(served), served
            if problem is not None:
                local = localised_file(source, Path(name))  # mkdocs-static-i18n: x.de.md
                if local is not None:
                    problem, linked, linked_file = None, index.get(local), local
            if problem is not None:
                doc = linked_doc(source, path_part)  # Docusaurus: `./sort` is the doc sort.md
                if doc is not None:
                    problem, linked, linked_file = None, index.get(doc), doc
            if problem is not None:
                bare = _page_without_suffix(ref, source, path_part, index)
                if bare is not None:  # `[root](root)` for root.md: no renderer known
                    problem, linked, linked_file = None, index.get(bare), bare
            clamped = False
            if problem is not None:
                routed = _routed_as_html(ref, source, path_part, index)
                if routed is not None:
                    (routed_file, clamped), problem = routed, None
                    linked, linked_file = index.get(routed_file), routed_file
            if clamped and linked is not None:
                if anchor and not _anchor_known(anchor, linked, index, linked_file):
                    return _found(
                        ref,
                        codes.MISSING_ANCHOR,
                        f"link to {ref.target!r}: no anchor #{anchor} in {path_part!r}"
                        f"{suggest(anchor, linked.anchors)}",
                    )
                return codes.BROKEN_LINK.at(
                    ref.location,
                    f"link to {ref.target!r} climbs above the site's root: the browser stops "
                    f"at the root, where it finds {os.path.relpath(linked_file, source.parent)!r}"
                    ", but only while the site is served at the root of its domain",
                    severity="warning",
                    hint="remove the '../' too many",
                    origin=ref.origin,
                )
            if problem is not None and not anchor and index.myst_target(path_part):
                return None  # `[](name)`: MyST's reference to the target `(name)=`
            if problem is not None:
                problem, linked = _published_as_html(ref, source, path_part, index, problem)
            if problem is not None or linked is None:
                return problem
    if anchor and not path_part and index.myst_target(anchor):
        return None  # `[](#name)`: MyST looks for the target `(name)=` in the whole project
    if anchor and linked is not None and not _anchor_known(anchor, linked, index, linked_file):
        where = "this page" if not path_part else repr(path_part)
        if UNKNOWN in linked.anchors:
            return _unknown_anchor(ref, anchor, where)
        if not path_part and partial_page(linked_file):
            shown = _known_where_shown(anchor, linked_file, index)
            if shown:
                return None
            if shown is None:
                return _partial_anchor(ref, anchor)
        if _found_by_github(anchor, linked, index, linked_file):
            if not built_by_generator(linked_file):
                return None  # read in GitHub's browser, whose page script finds it
            return codes.MISSING_ANCHOR.at(
                ref.location,
                f"link to {ref.target!r}: no anchor #{anchor} in {where}, only "
                f"#{anchor.lower()}: GitHub's page finds it in any case, the site "
                "generator building this page does not",
                severity="warning",
                hint=f"write #{anchor.lower()}",
                origin=ref.origin,
            )
        return _found(
            ref,
            codes.MISSING_ANCHOR,
            f"link to {ref.target!r}: no anchor #{anchor} in {where}"
            f"{suggest(anchor, linked.anchors)}",
            hint="anchors come from headings (slugified), {#id} and block ids",
        )
    return None


def _at_pretty_url(ref: Reference, source: Path, path_part: str, index: PageIndex) -> Path | None:
    """What a relative link names once the browser reads it from the page's pretty URL.

    Hugo serves `a/page.md` at `a/page/`, and so does MkDocs (`use_directory_urls`, its
    default), so `../image.png` or `../other/` written against the built site name
    `a/image.png` or `a/other.md` (`../other`, without the `/`, too: the server redirects to
    the directory URL). MkDocs leaves such links as they are written (it rewrites only links
    to files that exist), so they work in the browser. The file named (a page or
    any other file), or None when there is none, or the page is not served that way.
    """
    if ref.kind == "hugo-link":
        routed = _from_permalink(source, path_part)
        if routed is not None:
            return routed
    else:
        from runbookdocs.dialect import dialect_for, directory_urls

        if ref.kind != "link" or dialect_for(source, index.config).name != "mkdocs":
            return None
        if not directory_urls(str(source.parent)):
            return None
    # An index page is served at its folder: the link is read next to the file, where `x/`
    # is still the URL of `x.md` (MkDocs' URL of `setup.sh.md` is `setup.sh/`).
    served_at = source.parent if source.stem in _INDEX_STEMS else source.parent / source.stem
    name = Path(os.path.normpath(served_at / path_part))
    # `../other` without `/` or `.md` on an MkDocs site: MkDocs leaves it as written (it logs
    # "unrecognized relative link" at INFO, its default level for those), and the browser asks
    # for the page's directory URL without its `/`, which web servers redirect to it.
    bare = ref.kind == "link" and not Path(path_part).suffix
    pages = [name.with_name(name.name + ".md"), *(name / n for n in _INDEXES)]
    if path_part.endswith("/") or name.is_dir() or bare:
        candidates = pages
    else:
        # `../setup.sh` where no such file is and `setup.sh.md` is: a page whose name has a
        # dot that is no file extension, served at `setup.sh/` (the server adds the `/`).
        candidates = [name, *pages] if ref.kind == "link" else [name]
    return next((c for c in candidates if str(c) in index.entries or c.is_file()), None)


def _from_permalink(source: Path, path_part: str) -> Path | None:
    """What a relative link names when the page is served at a URL its Hugo site's
    `permalinks` make (`/:section/:year/:month/:slug/` for `blog/post.md`: four folders deep,
    where its file is two) and the link climbs out of that URL to the site's root
    (`../../../../img/x.png` is `/img/x.png`): the site's static file or the page at that
    path. None otherwise: a link that stays among the pattern's folders names a URL the
    check does not compute (from a date, a slug), and is read as before."""
    from runbookdocs.dialect import hugo_config, hugo_languages, hugo_permalinks

    # A section's `_index.md` is no regular page: `permalinks` of pages leave it where it is
    # (a bundle's `index.md` is one: it is served at the pattern's URL).
    if source.stem == "_index" or path_part.startswith("/"):
        return None
    content = next((d for d in source.parents if d.name == "content"), None)
    config = hugo_config(str(source.parent))
    if content is None or config is None:
        return None
    folders = source.parent.relative_to(content).parts
    # The section is the first folder under the content directory, or under its language's.
    language = folders[0] if folders and folders[0] in hugo_languages(str(source.parent)) else ""
    sections = folders[1:] if language else folders
    if not sections:
        return None
    pattern = hugo_permalinks(str(source.parent)).get(sections[0])
    if pattern is None:
        return None
    depth = len([p for p in pattern.split("/") if p])
    parts = [p for p in Path(path_part).parts if p not in (".", "")]
    ups = 0
    while ups < len(parts) and parts[ups] == "..":
        ups += 1
    if ups < depth or ups == len(parts):
        return None
    rest = Path(*parts[ups:])
    root = config.parent.parent.parent if config.parent.name == "_default" else config.parent
    bases = [root / "static", content / language if language else content]
    for base in bases:
        name = base / rest
        for c in (name, name.with_name(name.name + ".md"), name / "_index.md", name / "index.md"):
            if c.is_file():
                return c
    return None


_INDEXES = ("index.md", "_index.md", "README.md")
_INDEX_STEMS = ("index", "_index", "README")


def _page_before_slash(source: Path, name: str, index: PageIndex) -> PageEntry | None:
    """The page a link `page.md/` (`page.md/#anchor`) names on an MkDocs site: MkDocs
    normalises the link's path before it looks the file up (`posixpath.normpath` drops the
    trailing `/`), and rewrites it to the page's URL. GitHub's file browser (the `github` and
    `commonmark` dialects) serves the file at `page.md/` too. Other renderers look for a
    folder. The anchor is still checked on the page found."""
    from runbookdocs.dialect import dialect_for

    if dialect_for(source, index.config).name not in ("mkdocs", "github", "commonmark"):
        return None
    return index.entries.get(name)


def _routed_as_html(
    ref: Reference, source: Path, path_part: str, index: PageIndex
) -> tuple[Path, bool] | None:
    """The page a relative link names on a VuePress, VitePress or Jekyll site, and whether the
    link climbed above the site's root to reach it; None when it names none that way.

    These generators publish `x.md` as `x.html` and serve it at `x` too (VuePress's router
    redirects `/x` to `/x.html`, GitHub Pages serves `x.html` for `/x`), so `./x` and `x#a`
    name the page `x.md`. A link with more `../` than the page has folders above it stops at
    the site's root in the browser (URL resolution never climbs above `/`). On a repository read
    on github.com (no such generator) neither holds: `x` names the file `x` there.
    """
    if ref.kind != "link" or path_part.endswith("/"):
        return None
    from runbookdocs.dialect import dialect_for, html_site_root

    root = html_site_root(source)
    if root is None or dialect_for(source, index.config).name not in ("github", "commonmark"):
        return None
    folder = Path(os.path.relpath(source.parent, root)).parts
    parts = [p for p in Path(path_part).parts if p not in (".", "")]
    ups = 0
    while ups < len(parts) and parts[ups] == "..":
        ups += 1
    clamped = ups > len(folder) - (folder == (".",))
    if clamped:
        name = Path(os.path.normpath(root.joinpath(*parts[ups:]))) if parts[ups:] else root
    else:
        name = Path(os.path.normpath(source.parent / path_part))
    candidates = [name] if name.suffix == ".md" else []
    if not name.suffix:
        candidates.append(name.with_name(name.name + ".md"))
    if not candidates:
        return None
    found = next((c for c in candidates if str(c) in index.entries or c.is_file()), None)
    return None if found is None else (found, clamped)


def _page_without_suffix(
    ref: Reference, source: Path, path_part: str, index: PageIndex
) -> Path | None:
    """The page `x.md` a link `x` (no suffix) names in the `commonmark` dialect, where no site
    configuration says what renders the pages: many renderers (a site serving `/docs/x` from
    `x.md`, Caddy's `templates`, wikis) serve the page at `x`, so the check cannot call the
    link broken. On github.com (the `github` dialect) `x` is the file `x`, which is not there:
    reported. A link naming a page under neither name is reported in every dialect."""
    if ref.kind != "link" or not path_part or path_part.endswith("/"):
        return None
    if Path(path_part).suffix:
        return None
    from runbookdocs.dialect import dialect_for

    if dialect_for(source, index.config).name != "commonmark":
        return None
    page = Path(os.path.normpath(source.parent / path_part))
    page = page.with_name(page.name + ".md")
    return page if index.get(page) is not None else None


def _published_as_html(
    ref: Reference, source: Path, path_part: str, index: PageIndex, problem: Finding
) -> tuple[Finding | None, PageEntry | None]:
    """A link to `page.html` next to `page.md`: Jekyll (GitHub Pages) publishes it there.

    MkDocs publishes `page.md` at `page/` by default, so the reading is MkDocs' only where the
    site sets `use_directory_urls: false`: each page is then `page.html` next to the others
    (`index.md`, or a `README.md` standing for it, is the folder's `index.html`).
    """
    if ref.kind != "link" or not path_part.endswith(".html"):
        return problem, None
    from runbookdocs.dialect import dialect_for, directory_urls

    if dialect_for(source, index.config).name == "mkdocs" and directory_urls(str(source.parent)):
        return problem, None
    page = Path(os.path.normpath(source.parent / path_part)).with_suffix(".md")
    linked = index.get(page)
    if linked is None and page.name == "index.md":
        linked = index.get(page.with_name("README.md"))
    return (problem, None) if linked is None else (None, linked)


def _anchor_known(
    anchor: str, linked: PageEntry, index: PageIndex, source: Path | None = None, depth: int = 0
) -> bool:
    if anchor_exists(anchor, linked.anchors) or anchor.startswith("tab/"):
        return True  # `#tab/linux`: DocFX's tab selection, not an anchor
    if anchor.startswith(":~:"):
        return True  # `#:~:text=words`: a text fragment, which the browser searches the page for
    if anchor.lower() == "top":
        # The HTML standard's "find a potential indicated element" falls back, when no element
        # has the id, to the top of the document for the fragment `top` (ASCII case-insensitive):
        # `[Back to top](#top)` works in every browser, whatever renders the page.
        return True
    if any(fnmatch.fnmatchcase(anchor, p) for p in index.config.anchors):
        return True
    if depth < 3 and source is not None:
        for entry in linked.anchors:
            if entry.startswith(INCLUDE):
                found = _included(source, entry[len(INCLUDE) :])
            elif entry.startswith(IMPORT):
                found = imported_file(source, entry[len(IMPORT) :])
            else:
                continue
            other = index.get(found) if found is not None else None
            if other is not None and _anchor_known(anchor, other, index, found, depth + 1):
                return True
    return False


def _known_where_shown(anchor: str, source: Path, index: PageIndex) -> bool | None:
    """For a partial (`_setup.mdx`), whose links are read in the page that imports it: True
    when a checked page importing it (or importing a partial that does) has `anchor`, False
    when none does, None when no checked page imports it (the page showing it is unknown)."""
    importers = index.importers(source)
    if not importers:
        return None
    seen = {source}
    while importers:
        found = importers.pop()
        if found in seen:
            continue
        seen.add(found)
        entry = index.get(found)
        if entry is not None and _anchor_known(anchor, entry, index, found):
            return True
        if len(seen) < 50:
            importers.extend(index.importers(found))
    return False


def _found_by_github(anchor: str, linked: PageEntry, index: PageIndex, source: Path) -> bool:
    """True when `anchor` is a heading id of `linked` written in another case, on a page read
    in the `github` dialect: GitHub's page script looks a fragment up without regard to case
    (`#Secret-Keys` finds `secret-keys`), so the link works in GitHub's browser (nothing to
    report), and is a warning where a site generator builds the page (`built_by_generator`).
    Other renderers (the `commonmark` dialect) need the id as written: an error there."""
    from runbookdocs.dialect import dialect_for

    return (
        anchor != anchor.lower()
        and anchor_exists(anchor.lower(), linked.anchors)
        and dialect_for(source, index.config).name == "github"
    )


def _included(source: Path, name: str) -> Path | None:
    """The page a Hugo `include` names: relative to the page, or to a folder above it (the
    content directory, or its language folder, when the name starts with `/`)."""
    for base in (source.parent, *source.parents):
        candidate = Path(os.path.normpath(base / name.lstrip("/")))
        if candidate.is_file():
            return candidate
        if base.name == "content":
            break
    return None


def _folder_shown(source: Path, folder: Path, index: PageIndex) -> bool:
    """True when a link names a folder that exists and the page is read in a repository's
    browser (the `github` and `commonmark` dialects): GitHub and GitLab show the folder's
    files (and its README), no `index.md` is needed. A site generator serves no folder."""
    from runbookdocs.dialect import dialect_for

    return folder.is_dir() and dialect_for(source, index.config).name in ("github", "commonmark")


def _resolve_file(
    ref: Reference, file: Path, path_part: str, index: PageIndex
) -> tuple[Finding | None, PageEntry | None]:
    """A link to something that is not a page of this check: a directory, a file, a page
    outside the checked paths. (problem, page); both None: a file that exists."""
    if path_part.endswith("/") or file.is_dir():
        found = next((file / n for n in ("index.md", "README.md") if (file / n).is_file()), None)
        if found is None:
            if not file.is_dir():
                what = "a file, not a directory" if file.exists() else "no such file or directory"
                return _found(ref, codes.BROKEN_LINK, f"link to {ref.target!r}: {what}"), None
            return _found(
                ref, codes.BROKEN_LINK, f"link to {ref.target!r}: no index.md in that directory"
            ), None
        file = found
    if file.suffix != ".md":
        if file.exists():
            return None, None
        return _found(ref, codes.MISSING_FILE, f"link to {path_part!r}: no such file"), None
    linked = index.get(file)
    if linked is None:
        return _found(
            ref,
            codes.BROKEN_LINK,
            f"link to {path_part!r}: no such page{index.suggest(file.name)}",
        ), None
    return None, linked


def _resolve_block(
    ref: Reference, source: Path, index: PageIndex, page: str, block_id: str
) -> Finding | None:
    hint = "check names a block id: '#id' on this page, or 'page.md#id'"
    if not block_id:
        return _found(ref, codes.TREE_CHECK, f"{ref.context}: no block id after '#'", hint=hint)
    target = index.get(Path(os.path.normpath(source.parent / page)) if page else source)
    if target is None:
        return _found(ref, codes.TREE_CHECK, f"{ref.context}: no page {page!r}", hint=hint)
    if block_id not in target.block_ids:
        where = "this page" if not page else repr(page)
        return _found(
            ref,
            codes.TREE_CHECK,
            f"{ref.context}: no block #{block_id} in {where}"
            f"{suggest(block_id, sorted(target.block_ids))}",
            hint=hint,
        )
    return None


_UNSEEN_HINT = "check the anchor on the built site"
_UNSEEN = re.compile(r"link to (.+): no anchor #\S+ seen in (.+), where one of the ")


def _unknown_anchor(ref: Reference, anchor: str, where: str) -> Finding:
    """A missing anchor on a page one of the site's shortcodes adds anchors to that the check
    cannot see (from a file not found, built from data, or by a shortcode whose template is
    not in the copy): a warning, not an error (one a linked page, see `merge_unseen`)."""
    return codes.MISSING_ANCHOR.at(
        ref.location,
        f"link to {ref.target!r}: no anchor #{anchor} seen in {where}, where one of the "
        "site's shortcodes adds anchors the check cannot see (from a file, data or a template "
        "not found, or built from data)",
        severity="warning",
        hint=_UNSEEN_HINT,
        origin=ref.origin,
    )


def _partial_anchor(ref: Reference, anchor: str) -> Finding:
    """A link from a partial (`_setup.mdx`) to an anchor it does not have, when no checked page
    imports it: the anchor belongs to the page that shows the partial, which the check does
    not know (a site's template, a page outside the check). A warning, not an error."""
    return codes.MISSING_ANCHOR.at(
        ref.location,
        f"link to {ref.target!r}: no anchor #{anchor} in this partial, which no checked page "
        "imports: the link is read in the page that shows it",
        severity="warning",
        hint="check the anchor in the page that imports this file",
        origin=ref.origin,
    )


def unseen_page(finding: Finding) -> str | None:
    """The page named by a finding of `_unknown_anchor` (`this page`, `'../x/'`), else None."""
    if finding.hint != _UNSEEN_HINT:
        return None
    m = _UNSEEN.match(finding.message)
    return m.group(2) if m else None


def merge_unseen(findings: list[Finding]) -> Finding:
    """One warning for the links of a page to anchors not seen in one linked page: they are
    all anchors its shortcodes may add, a warning each would repeat the same doubt."""
    first = findings[0]
    if len(findings) == 1:
        return first
    others = findings[1:]
    targets = [m.group(1) if (m := _UNSEEN.match(f.message)) else "?" for f in others]
    detail = "\n".join(
        f"line {f.location.line}: link to {t}" for f, t in zip(others, targets, strict=True)
    )
    return dataclasses.replace(
        first,
        message=f"{first.message} (and {len(others)} more link(s) to anchors not seen there, "
        "listed below)",
        detail=detail,
    )


def _found(ref: Reference, code: codes.Code, message: str, hint: str | None = None) -> Finding:
    return code.at(ref.location, message, hint=hint, origin=ref.origin)


# ------------------------------------------------------------------------------ placeholders


@page_check
def check_placeholders(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Placeholders that are not declared, and declarations that are never used."""
    front = doc.front
    if not doc.is_runbook:
        return []  # `{{ name }}` on a page that is not a runbook belongs to another template tool
    declared = {*front.variables, *front.secrets, *ctx.config.variables}
    used: set[str] = set()
    out: list[Finding] = []
    for block in doc.blocks:
        for key in ATTRIBUTE_PLACEHOLDERS:
            for m in PLACEHOLDER.finditer(block.attrs.get(key, "")):
                name = m.group("name")
                used.add(name)
                if name not in declared:
                    out.append(
                        codes.UNDECLARED_PLACEHOLDER.at(
                            block.location,
                            f"placeholder {{{{ {name} }}}} in {key}= is not declared"
                            f"{suggest(name, sorted(declared))}",
                        )
                    )
        if block.kind not in PLACEHOLDER_KINDS and not block.writes_file:
            continue
        for i, line in enumerate(block.source.split("\n")):
            if "{{" not in line:
                continue
            for m in PLACEHOLDER.finditer(line):
                name = m.group("name")
                used.add(name)
                if name not in declared:
                    close = suggest(name, sorted(declared))
                    out.append(
                        finding_at(
                            block,
                            i,
                            m.start() + 1,
                            f"placeholder {{{{ {name} }}}} is not declared{close}",
                            hint="declare it under runbook.variables (with a default) or "
                            "runbook.secrets in the front matter, or in "
                            "[tool.runbookdocs.variables]",
                            code=codes.UNDECLARED_PLACEHOLDER,
                        )
                    )
        for answer in block.answers:
            for m in PLACEHOLDER.finditer(answer.value):
                used.add(m.group("name"))
                if m.group("name") not in declared:
                    out.append(
                        Finding(
                            block.location,
                            f"placeholder {{{{ {m.group('name')} }}}} "
                            "in an answer directive is not declared",
                            code=codes.UNDECLARED_PLACEHOLDER.id,
                        )
                    )
    # Prose may name a value too ("the site {{ site }} answers on..."): the site fills it in.
    for p in prose_lines(doc):
        if "{{" in p.line.text:
            used.update(m.group("name") for m in PLACEHOLDER.finditer(p.line.text))
    # Secrets are also exported into the block's shell, so `$NAME` / `${NAME}` uses them too.
    shell_text = "\n".join(b.source for b in doc.blocks if b.kind in ("shell", "console", "sql"))
    for name in front.secrets:
        if re.search(rf"\$\{{?{re.escape(name)}\b", shell_text):
            used.add(name)
    for name in [*front.variables, *front.secrets]:
        if name not in used:
            kind = "secret" if name in front.secrets else "variable"
            where = Location(doc.path, front.line_of("runbook", kind + "s", name) or 1)
            out.append(
                Finding(
                    where,
                    f"{kind} {name!r} is declared but no block uses it",
                    "warning",
                    code=codes.UNUSED_VALUE.id,
                )
            )
    return out


# --------------------------------------------------------------------- markers and mojibake


@page_check
def check_text(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """TODO/FIXME/XXX markers, and characters lost or garbled by a wrong encoding."""
    out: list[Finding] = []
    # One search over the whole expanded page first: most pages have nothing to report, and
    # then only prose lines with a '?' need a closer look.
    whole = "\n".join(ln.text for ln in doc.lines)
    suspect = _suspect(whole)
    prose = prose_lines(doc)
    hidden = _comments_over_lines(prose) if suspect and "<!--" in whole else {}
    # `... 'XXX'` then `zone` on the next line: a code span that runs over two lines.
    spanned = code_over_lines(prose) if suspect and "`" in whole else {}
    lead: list[str] = []  # the lines of the paragraph before this one (two at most)
    for k, p in enumerate(prose):
        if suspect and k:
            previous = prose[k - 1]
            if previous.index + 1 == p.index and previous.line.text.strip():
                lead = [*lead[-1:], previous.line.text]
            else:
                lead = []
        if suspect or "?" in p.line.text:
            if suspect and REF_DEF.match(p.line.text):
                continue  # `[//]: # (TODO ...)`: a link definition, which nothing renders
            page_line = p.line.page_line
            text = _without_struck(hidden.get(p.index) or _without_inline_comments(p.line.text))
            following = prose[k + 1] if k + 1 < len(prose) else None
            if (
                "TODO" in text
                and following is not None
                and following.index == p.index + 1
                and _DELIMITER_ROW.match(following.line.text)
            ):
                # `| Package | URL | TODO |`: a column named TODO (what is to do for each
                # row), the whole text of a table header's cell, is no note on the page.
                text = _TODO_HEADER_CELL.sub(lambda m: " " * len(m.group()), text)
            out += _scan(
                text,
                partial(_page_location, doc.path, page_line),
                p.line.origin,
                prose=True,
                context=_Context(" ".join(lead), spanned.get(p.index)),
            )
    if suspect:
        for block in doc.blocks:
            quoted = block.kind == "other" and block.lang not in _TEXT_LANGS
            lines = block.source.split("\n")
            # `XXX: (2) syscalls ...` on several lines: a log prefix the writer blanked out in
            # the output shown, not a note; one `XXX:` line alone is still a marker.
            redacted = sum(ln.startswith("XXX: ") for ln in lines) >= 2
            for i, line in enumerate(lines):
                if redacted and line.startswith("XXX: "):
                    line = "   " + line[3:]
                if quoted and _CODE_COMMENT.search(line):
                    # `// TODO: ...` in source code quoted from a program: the code's own note.
                    line = _CODE_COMMENT.sub(lambda m: " " * len(m.group()), line)
                if _LOG_LINE.match(line):
                    continue  # a program's log line quoted: its words are the program's
                if "(?#" in line:
                    # `(?#TODO: ...)`: a regular expression's own comment, shown as written.
                    line = _REGEX_COMMENT.sub(lambda m: " " * len(m.group()), line)
                out += _scan(line, partial(_block_location, block, i), block.origin(i), prose=False)
    return out


_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")
"""A table's delimiter row, `| --- | :-: |`: the line above it is the table's header."""
_TODO_HEADER_CELL = re.compile(r"(?:^|(?<=\|))[ \t]*TODO[ \t]*(?=\||$)")


def _without_inline_comments(text: str) -> str:
    """`text` with its HTML comments (`Fixed <!-- TODO: link the PR -->`) blanked: nobody sees
    them on the page. A comment inside a code span is shown as written, and kept."""
    if "<!--" not in text:
        return text
    masked = mask_code(text)
    for m in COMMENT_IN_LINE.finditer(masked):
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


def _without_struck(text: str) -> str:
    """`text` with its struck-through spans (`~~**TODO**: how?~~`) blanked: a marker struck
    through is one the writer settled. A `~~` inside a code span is shown as written."""
    if "~~" not in text:
        return text
    for m in _STRUCK.finditer(mask_code(text)):
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    return text


_STRUCK = re.compile(r"~~(?=\S)[^~\n]*?\S~~")
_TEXT_LANGS = frozenset({"", "text", "txt", "plain", "plaintext", "markdown", "md"})
"""Tags of blocks that hold text rather than source code in a programming language."""
_REGEX_COMMENT = re.compile(r"\(\?#[^)\n]*\)")
"""A comment inside a regular expression: `(?#text)`."""
_CODE_COMMENT = re.compile(r"(?://|#|--|;|/\*).*$")
"""A comment to the end of the line in the usual programming languages."""


_LOG_LINE = re.compile(
    r"""(?x)^\s*\[?(?:
        \d{4}-\d{2}-\d{2}[T_ ]\d{1,2}:\d{2}          # 2019-06-07T00:00:05, 2019-06-07_00:00:05
      | [A-Z][a-z]{2}\s+\d{1,2}\s\d{2}:\d{2}:\d{2}   # syslog: Jun  7 00:00:05
      | [IWEF]\d{4}\s+\d{2}:\d{2}:\d{2}             # klog: E0607 00:00:05
    )"""
)
"""A log line a program wrote (a timestamp first): a TODO in it is the program's message."""
_COMMENT_SIGN = re.compile(r"(?:^|\s)(?:#+|//|--|/\*|;+)\s*$")


class _Context(NamedTuple):
    """What a prose line's paragraph says around it."""

    lead: str
    """The paragraph's lines before this one, joined."""
    masked: str | None
    """The line with the code spans running over the paragraph's lines blanked, if it has any."""


_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}
_STANDS_IN = re.compile(
    r"(?i)(?:\b(?:replac|redact|mask|substitut|obfuscat)\w*\b.*\b(?:with|by|as)"
    r"|\b(?:printed|shown|displayed|written|rendered)\s+as)\s*$"
)
"""The words before a string that stands in for something (`replaces the passwords with XXX`,
`printed as XXX`)."""


_NAMED_VALUE = re.compile(r"(?i)(?:\b(?:id|number|no\.|version)|#)$")
"""What an `XXX` in prose is the value of when it follows its name (`run id XXX`, `ticket
#XXX`, `build number XXX`): an example value, not a note."""


_QUOTED = re.compile(r'"[^"\n]*"')
_PLACEHOLDER_FAMILY = re.compile(r"\b(?:YYY|ZZZ)\b")
"""The letters that go with `XXX` when it stands for one name among several."""


def _sentence_at(text: str, start: int) -> str:
    """The sentence of `text` around column `start`, or the quoted string around it (a
    message quoted whole, its own sentences in it)."""
    quoted = next((m for m in _QUOTED.finditer(text) if m.start() < start < m.end()), None)
    if quoted is not None:
        return quoted.group()
    ends = [m.end() for m in re.finditer(r"[.!?](?:\s|$)", text)]
    begin = max([e for e in ends if e <= start], default=0)
    end = min([e for e in ends if e > start], default=len(text))
    return text[begin:end]


def _value_to_fill(text: str, start: int, *, prose: bool, context: _Context | None) -> bool:
    """True when the `XXX` at `start` stands for a value to fill in, not a note to the
    writer: after `=` (`TOKEN=XXX`), or inside code (a code span, or a block outside its
    comments: `approve XXX`, `elapsed: XXX s`). A `# XXX` comment in a block stays a marker.
    So is a value named in quotes (`the part "XXX"`), the end of a value (`XXX-XXX`), one of a
    family of placeholders (`XXX` with `YYY` or `ZZZ` in its sentence), and in prose the string
    a tool writes instead of secrets (`replaces them with XXX`)."""
    before = text[:start].rstrip()
    if before.endswith("="):
        return True
    if re.search(r"\w-$", before):
        return True  # `XXX-XXX`, `id-XXX`: part of a longer value
    if _PLACEHOLDER_FAMILY.search(_sentence_at(text, start)):
        return True  # `the XXX option ..., use YYY instead`: letters standing for names
    opening = text[start - 1] if start else ""
    if opening in _QUOTES and text[start + 3 : start + 4] == _QUOTES[opening]:
        return True
    if prose:
        masked = mask_code(context.masked if context and context.masked else text)
        if masked[start] == " " and text[start] != " ":
            return True
        if _NAMED_VALUE.search(before):
            return True
        sentence = re.split(r"[.!?](?:\s|$)", f"{context.lead if context else ''} {before}")[-1]
        return _STANDS_IN.search(sentence) is not None
    return bool(before) and _COMMENT_SIGN.search(before) is None


_ISSUE_SIGN = re.compile(r"\w[ \t]+#$")
"""`Fixes #`, `issue #`: a word, then the `#` of an issue number."""


def _issue_to_fill(text: str, start: int, context: _Context | None) -> bool:
    """True when the `TODO` at `start` is the issue number of text shown in a code span, to
    replace when it is copied (`Fixes #TODO` of a pull-request template), not a note to the
    writer: inside a code span, right after a word and `#`."""
    masked = mask_code(context.masked if context and context.masked else text)
    inside = masked[start] == " " and text[start] != " "
    return inside and _ISSUE_SIGN.search(text, 0, start) is not None


def _comments_over_lines(prose: list[Prose]) -> dict[int, str]:
    """Prose lines (by line index) with an HTML comment that
    opens inline and closes on a later line of the same paragraph blanked (`text <!-- TODO:`
    then `... -->`): raw HTML in a paragraph may span its lines, and nobody sees it. Without
    its `-->` before the paragraph ends, the `<!--` is shown as text, and so is what follows."""
    out: dict[int, str] = {}
    k = 0
    while k < len(prose):
        text = _without_inline_comments(prose[k].line.text)
        opened = mask_code(text).find("<!--")
        if opened < 0:
            k += 1
            continue
        last = k
        while last + 1 < len(prose) and prose[last + 1].index == prose[last].index + 1:
            following = prose[last + 1].line.text
            if not following.strip():
                break
            last += 1
            if "-->" in following:
                break
        closing = prose[last].line.text.find("-->") if last > k else -1
        if closing < 0:
            k += 1
            continue
        out[prose[k].index] = text[:opened] + " " * (len(text) - opened)
        for j in range(k + 1, last):
            out[prose[j].index] = " " * len(prose[j].line.text)
        tail = prose[last].line.text
        out[prose[last].index] = " " * (closing + 3) + tail[closing + 3 :]
        k = last + 1
    return out


def _suspect(text: str) -> bool:
    """Whether `text` may hold a marker or mojibake (substring tests first: regexes with
    alternatives scan every position, and most pages are clean)."""
    if ("TODO" in text or "FIXME" in text or "XXX" in text) and MARKERS.search(text):
        return True
    return "\ufffd" in text or (("Ã" in text or "â€" in text) and bool(_LATIN1.search(text)))


_PULL_REQUEST_ENTRY = re.compile(
    r"[ \t]*(?:[*+-]|\d+[.)])[ \t].*(?:\[#\d+\]\([^()\s]*/pull/\d+\)|#\d+)\)?[ \t]*"
)
"""A list item of release notes that ends with the pull request it names (`[#5178](…/pull/5178)`,
`(#5178)`): the request's title, whose TODO is one in the code it changed."""


def _talked_about(text: str, start: int, end: int) -> bool:
    """True when the marker at `start:end` of prose is a word of its sentence (`_TALKED_ABOUT`
    before it, `list` or `tag` after it, or in quotes) and not a note's head (`our TODO: ...`,
    a colon after it)."""
    line_start = text.rfind("\n", 0, start) + 1
    if text.startswith(":", end):
        return False
    before = text[start - 1] if start > line_start else ""
    if before in _QUOTES and text.startswith(_QUOTES[before], end):
        return True  # `tags such as "TODO"`: the word, named
    return bool(_TALKED_ABOUT.search(text, line_start, start) or _TODO_LIST.match(text, end))


def _pull_request_entry(text: str, at: int) -> bool:
    """True when the line of `text` holding `at` is a `_PULL_REQUEST_ENTRY`."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return _PULL_REQUEST_ENTRY.fullmatch(text, start, end if end >= 0 else len(text)) is not None


def _page_location(path: str, line: int, col: int) -> Location:
    return Location(path, line, col)


def _block_location(block: Block, index: int, col: int) -> Location:
    return block.locate(index, col)


def _scan(
    text: str,
    at: Callable[[int], Location],
    origin: Location | None,
    *,
    prose: bool,
    context: _Context | None = None,
) -> list[Finding]:
    out: list[Finding] = []
    # `[TODO to automate this](…/issues/4741)`: a link to a to-do kept elsewhere (an issue, a
    # comment in the code), not a note that this page is unfinished.
    linked = link_texts(text) if prose and "](" in text else []
    for m in MARKERS.finditer(text):
        if m.group(1) == "XXX" and _value_to_fill(text, m.start(), prose=prose, context=context):
            continue
        if m.group(1) == "TODO" and prose and _issue_to_fill(text, m.start(), context):
            continue
        if prose and _POINTS_TO.match(text, m.end()):
            continue  # "see the TODO above": a pointer to a marker (reported where it is)
        if prose and _talked_about(text, m.start(), m.end()):
            continue  # "our TODO list", "the TODO tag": the page talks about to-dos
        if prose and _pull_request_entry(text, m.start()):
            continue  # a changelog entry naming a pull request: its title, about the code
        if any(start <= m.start() < end for start, end in linked):
            continue
        out.append(
            codes.TODO_MARKER.at(
                at(m.start() + 1), f"{m.group(1)} marker: unfinished page", origin=origin
            )
        )
    pos = text.find("\ufffd")
    if pos >= 0 and prose:
        # `| invalid byte | `\ufffd` |`: the character shown on purpose, alone in a code span.
        pos = _SHOWN_REPLACEMENT.sub(lambda m: " " * len(m.group()), text).find("\ufffd")
    if pos >= 0:
        out.append(
            codes.MOJIBAKE.at(
                at(pos + 1),
                "replacement character U+FFFD: text was damaged by a wrong encoding",
                origin=origin,
            )
        )
    m2 = _LATIN1.search(text)
    if m2:
        out.append(
            codes.MOJIBAKE.at(
                at(m2.start() + 1),
                f"{m2.group()!r} looks like UTF-8 read as Latin-1 (mojibake)",
                origin=origin,
            )
        )
    if prose and "?" in text:
        masked = _URL.sub(lambda u: " " * len(u.group()), mask_code(text))
        # `/admin/plugins?all=true`: a `?` that starts a URL's query (`name=value` after it).
        masked = _QUERY.sub(lambda u: " " * len(u.group()), masked)
        # Link targets are addresses, not words: `page.md?view=x`.
        masked = _TARGET.sub(lambda u: " " * len(u.group()), masked)
        masked = _HTML_ADDRESS.sub(lambda u: " " * len(u.group()), masked)
        for m3 in _LOST_CHAR.finditer(masked):
            start = m3.start()
            word = re.search(r"\w*\?\w*", text[max(0, start - 20) : start + 20])
            shown = word.group() if word else "?"
            out.append(
                codes.MOJIBAKE.at(
                    at(start + 1),
                    f"{shown!r}: '?' inside a word looks like a lost character (mojibake)",
                    hint="often an apostrophe or an accented letter: n'est, d'une",
                    origin=origin,
                )
            )
    return out


# ------------------------------------------------------------------------------- review date


@page_check
def check_review(doc: Document, ctx: CheckContext) -> Iterable[Finding]:
    """Pages with runbook settings need a `reviewed` date (its age is judged by `judge`)."""
    runbook = doc.front.meta.get("runbook") if doc.front.meta else None
    if not isinstance(runbook, dict) or "reviewed" in runbook or set(runbook) <= {"ignore"}:
        return []  # a page that only silences codes is not a runbook that needs reviews
    line = doc.front.line_of("runbook") or 1
    return [
        Finding(
            Location(doc.path, line),
            "runbook settings without a 'reviewed' date",
            "warning",
            hint="add 'reviewed: YYYY-MM-DD' under runbook: after reviewing the page",
            code=codes.REVIEW_MISSING.id,
        )
    ]


_REVIEWED_KEY = re.compile(r"^\s+reviewed\s*:")


def reviewed_at(doc: Document) -> tuple[str, int] | None:
    """The page's review date (ISO) and the page line it is written on, if it has one."""
    reviewed = doc.front.reviewed
    if reviewed is None:
        return None
    # The key's line without a round-trip YAML load: the front matter is the page's top.
    head = doc.text.split("\n", doc.front.end_line)[: doc.front.end_line]
    line = next((i + 1 for i, t in enumerate(head) if _REVIEWED_KEY.match(t)), 0)
    return reviewed.isoformat(), line or doc.front.line_of("runbook", "reviewed") or 1


def review_finding(path: str, reviewed: tuple[str, int], config: Config) -> Finding | None:
    """A warning when the review date is older than `review_interval_days` (judged today)."""
    date, line = reviewed
    age = (dt.date.today() - dt.date.fromisoformat(date)).days
    if age <= config.review_interval_days:
        return None
    return Finding(
        Location(path, line),
        f"last reviewed on {date}, {age} days ago (more than "
        f"review_interval_days={config.review_interval_days})",
        "warning",
        hint="review the page, then update runbook.reviewed",
        code=codes.REVIEW_OVERDUE.id,
    )
