"""YAML with ruamel.yaml: duplicate keys refused, errors as plain data, line numbers on demand.

Loading with line information (round-trip, pure Python) is several times slower than the safe
loader backed by libyaml, and line numbers are only needed when something is wrong. So texts
are loaded fast, and `YamlLines` re-reads a text with positions only when a finding needs one.
`load_yaml_marked` gives positions of every key at the fast loader's speed: libyaml composes
the node tree (which has marks), the data is built from it, and a walk of both keeps each
container's positions.

ruamel.yaml (the reference: YAML 1.2, its messages) is imported only when a text needs it
(`runbookdocs.yamlloaders`). A site build reads its decision trees with the libyaml parser of
PyYAML, which MkDocs has already loaded, whenever the text is plain data whose every plain
scalar is one of the common YAML 1.2 forms of `plain_value`; anything else goes to ruamel.yaml.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any


class YamlProblem(Exception):
    """A YAML text that does not load; `line` and `col` are 1-based within the text."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


NOT_SIMPLE: Any = object()
"""What `plain_value` returns for a scalar it leaves to ruamel.yaml."""
_INT = re.compile(r"(?:0|[1-9][0-9]{0,17})\Z")
_FLOAT = re.compile(r"[0-9]{1,15}\.[0-9]{1,15}\Z")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
RESOLVED_FIRST = frozenset("FTft" + "+-.0123456789" + "<" + "Nn~" + "=" + "!&*")
"""First characters of the plain scalars YAML 1.2 (as ruamel.yaml reads it) may resolve to
something else than a string (the first characters of its implicit resolvers)."""
_PLAIN_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_PLAIN_BOOLS["FALSE"] = False
_PLAIN_NULLS = frozenset({"~", "null", "Null", "NULL"})


def plain_value(text: str) -> Any:
    """The value of the plain (unquoted) scalar `text` as YAML 1.2 resolves it, for the common
    forms: strings, `true`/`false`, `null`/`~`, integers written `12`, decimals written `1.5`,
    dates `YYYY-MM-DD`; `NOT_SIMPLE` for the others (octal, `1e3`, `.inf`, `<<`, times...)."""
    first = text[:1]
    if first not in RESOLVED_FIRST:
        return text if first else None  # an empty plain scalar is null
    if text in _PLAIN_BOOLS:
        return _PLAIN_BOOLS[text]
    if text in _PLAIN_NULLS:
        return None
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    m = _DATE.match(text)
    if m is not None:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return NOT_SIMPLE
    if first in "FTftNn":
        return text  # a word starting like `true` or `null`, but another one: a string
    return NOT_SIMPLE  # numbers of other forms, `<<`, `=`...: what ruamel.yaml says


MAX_DEPTH = 100
"""Deepest nesting of mappings and lists a YAML text may have. The loaders build nested data
by recursion: libyaml's composer overflows the C stack (a segmentation fault, no message) near
25,000 levels (`[[[[...`: 60 KB of text), the pure Python one raises `RecursionError` near 300.
Real configuration is a few dozen levels deep."""


def check_depth(text: str) -> None:
    """Raise `YamlProblem` at the first mapping or list nested deeper than `MAX_DEPTH`.

    The text is only parsed (events: an iterative state machine, no recursion), and only
    when it could be that deep: each level needs a `[`, `{`, `-`, `?`, `:` or a new line.
    """
    bound = sum(text.count(c) for c in "[{-?:") + text.count("\n")
    if bound <= MAX_DEPTH:
        return
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    from runbookdocs import yamlloaders

    if yamlloaders.FAST_LOADER is not None:
        parser: Any = yamlloaders.FAST_LOADER(text)
    else:
        parser = yamlloaders.loader(False).get_constructor_parser(text)[1]
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    raise YamlProblem(
                        f"nested more than {MAX_DEPTH} levels deep: not loaded",
                        mark.line + 1,
                        mark.column + 1,
                    )
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YamlProblem:
        raise
    except Exception:  # not YAML: the load says why, and cannot go deeper than this did
        return
    finally:
        with contextlib.suppress(Exception):
            parser.dispose()


def load_yaml(text: str, *, lines: bool = True) -> Any:
    """Load one YAML document; raise `YamlProblem` on any error.

    Args:
        lines: keep line information (round-trip nodes, for `node_line`); False loads plain
            Python data with the fast loader. Errors are always reported by the round-trip
            parser so that messages and positions do not depend on the loader.
    """
    check_depth(text)
    from runbookdocs.yamlloaders import MarkedYAMLError, YAMLError, load_fast, loader

    if not lines:
        try:
            return load_fast(text)[0]
        except Exception:  # report the problem with the reference parser below
            pass
    try:
        return loader(True).load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        col = mark.column + 1 if mark else 1
        problem = (err.problem or err.context or "invalid YAML").strip().splitlines()[0]
        if "found duplicate key" in str(err):
            name = str(err).split('found duplicate key "', 1)[-1].split('"', 1)[0]
            problem = f'duplicate key "{name}"'
        raise YamlProblem(problem, line, col) from err
    except YAMLError as err:
        raise YamlProblem(str(err).splitlines()[0] if str(err) else "invalid YAML", 1, 1) from err
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError) as err:
        # ruamel.yaml raises these on some malformed scalars (`+_`, found by fuzzing).
        raise YamlProblem(f"invalid YAML: {err}", 1, 1) from err


def load_yaml_all(text: str) -> list[Any]:
    """Load every document of a YAML stream (`---` between Kubernetes manifests); raise
    `YamlProblem` on any error, located like `load_yaml`'s."""
    check_depth(text)
    from runbookdocs.yamlloaders import FAST_LOADER, MarkedYAMLError, YAMLError, loader

    try:
        if FAST_LOADER is None:
            return list(loader(False).load_all(text))
        fast = FAST_LOADER(text)
        try:
            docs: list[Any] = []
            while fast.check_data():
                docs.append(fast.get_data())
            return docs
        finally:
            fast.dispose()
    except Exception:
        pass
    try:
        return list(loader(True).load_all(text))
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        problem = (err.problem or err.context or "invalid YAML").strip().splitlines()[0]
        if "found duplicate key" in str(err):
            name = str(err).split('found duplicate key "', 1)[-1].split('"', 1)[0]
            problem = f'duplicate key "{name}"'
        raise YamlProblem(
            problem, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1
        ) from err
    except YAMLError as err:
        raise YamlProblem(str(err).splitlines()[0] if str(err) else "invalid YAML", 1, 1) from err
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError) as err:
        raise YamlProblem(f"invalid YAML: {err}", 1, 1) from err


class LineCol:
    """Positions in one loaded mapping or list, with the API of ruamel.yaml's `lc`.

    Lines and columns are 0-based, as in ruamel.yaml.
    """

    __slots__ = ("_keys", "_values", "col", "line")

    def __init__(self, line: int, col: int) -> None:
        self.line = line
        self.col = col
        self._keys: dict[Any, tuple[int, int]] = {}
        self._values: dict[Any, tuple[int, int]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        """Position of a mapping key."""
        return self._keys[key]

    def value(self, key: Any) -> tuple[int, int]:
        """Position of the value of a mapping key."""
        return self._values[key]

    def item(self, index: int) -> tuple[int, int]:
        """Position of a list item."""
        return self._keys[index]


class Marks:
    """Where each mapping and list of data loaded by `load_yaml_marked` is in the text."""

    def __init__(self) -> None:
        self._by_id: dict[int, LineCol] = {}

    def of(self, container: Any) -> LineCol | None:
        """Positions in `container` (a mapping or list of the loaded data), or None."""
        found = self._by_id.get(id(container))
        return found if found is not None else getattr(container, "lc", None)

    def add(self, node: Any, data: Any) -> None:
        """Record the positions of `data`, constructed from `node` (a node of ruamel.yaml or
        of PyYAML: both say their kind in `id`), and of its children.

        An alias shares its anchor's data, so each container is walked once (an alias bomb
        stays linear).
        """
        if id(data) in self._by_id or not isinstance(data, (dict, list)):
            return
        start = node.start_mark
        if node.id == "mapping" and isinstance(data, dict):
            if len(node.value) != len(data):
                return  # merge keys (`<<`) reshaped it: no positions rather than wrong ones
            lc = LineCol(start.line, start.column)
            for (key_node, value_node), (key, value) in zip(node.value, data.items(), strict=True):
                if isinstance(key, str) and (key_node.id != "scalar" or key_node.value != key):
                    return
                lc._keys[key] = (key_node.start_mark.line, key_node.start_mark.column)
                lc._values[key] = (value_node.start_mark.line, value_node.start_mark.column)
                self.add(value_node, value)
            self._by_id[id(data)] = lc
        elif node.id == "sequence" and isinstance(data, list):
            if len(node.value) != len(data):
                return
            lc = LineCol(start.line, start.column)
            for i, (item_node, item) in enumerate(zip(node.value, data, strict=True)):
                lc._keys[i] = (item_node.start_mark.line, item_node.start_mark.column)
                self.add(item_node, item)
            self._by_id[id(data)] = lc


def load_yaml_marked(text: str) -> tuple[Any, Marks]:
    """Load one YAML document with the fast loader, and the positions of its keys and items.

    Errors are raised as `YamlProblem`, worded by the round-trip parser like `load_yaml`.
    An item that is an alias (`*name`) is placed where its anchor is.
    """
    marks = Marks()
    check_depth(text)
    plain = _load_plain(text)
    if plain is not None:
        data, node = plain
    else:
        from runbookdocs.yamlloaders import load_fast

        try:
            data, node = load_fast(text)
        except Exception:  # the reference parser words the problem (or loads what libyaml refused)
            return load_yaml(text), marks
    if node is not None:
        with contextlib.suppress(RecursionError):  # positions help; the data is loaded
            marks.add(node, data)
    return data, marks


class _NotPlain(Exception):
    """The text holds something `_load_plain` leaves to ruamel.yaml."""


_PLAIN_TAG = "?"


def _plain_composer() -> Any:
    """PyYAML's libyaml parser composing nodes whose implicit tags are all `_PLAIN_TAG` (the
    data is built by `_build`); None without PyYAML or its libyaml binding. PyYAML is the
    YAML library of MkDocs, already imported when a site is built."""
    global _COMPOSER
    if _COMPOSER is False:
        try:
            from yaml.cyaml import CParser
            from yaml.resolver import BaseResolver
        except ImportError:
            _COMPOSER = None
        else:

            class Composer(CParser, BaseResolver):  # type: ignore[misc]
                def __init__(self, stream: str) -> None:
                    CParser.__init__(self, stream)
                    BaseResolver.__init__(self)

                def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
                    return _PLAIN_TAG

            _COMPOSER = Composer
    return _COMPOSER


_COMPOSER: Any = False


def _load_plain(text: str) -> tuple[Any, Any] | None:
    """(data, root node) of `text` read by PyYAML's libyaml parser, or None when the text is
    not plain data (explicit tags, plain scalars `plain_value` leaves to ruamel.yaml, keys
    that are not strings or repeat, several documents) or does not parse: ruamel.yaml then
    decides, so the result never differs from its reading."""
    composer = _plain_composer()
    if composer is None:
        return None
    parser = composer(text)
    try:
        node = parser.get_single_node()
        return (None if node is None else _build(node, {})), node
    except Exception:  # _NotPlain, or a parse error ruamel.yaml words
        return None
    finally:
        parser.dispose()


def _build(node: Any, built: dict[int, Any]) -> Any:
    """The data of a composed node; an alias is the node of its anchor, so it shares its data
    (`built`), as with ruamel.yaml's safe loader."""
    found = built.get(id(node))
    if found is not None:
        return found
    if node.tag != _PLAIN_TAG:
        raise _NotPlain
    if node.id == "scalar":
        value = plain_value(node.value) if node.style == "" else node.value
        if value is NOT_SIMPLE:
            raise _NotPlain
        return value
    if node.id == "sequence":
        items: list[Any] = []
        built[id(node)] = items
        items.extend(_build(item, built) for item in node.value)
        return items
    mapping: dict[str, Any] = {}
    built[id(node)] = mapping
    for key_node, value_node in node.value:
        key = _build(key_node, built)
        if not isinstance(key, str) or key in mapping:
            raise _NotPlain
        mapping[key] = _build(value_node, built)
    return mapping


def node_line(node: Any, key: Any = None, *, default: int = 0) -> int:
    """1-based line of `node` (or of `key` inside a mapping node) in the loaded text."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return default
    try:
        if key is not None:
            if isinstance(node, list):
                return int(lc.item(key)[0]) + 1
            return int(lc.key(key)[0]) + 1
        return int(lc.line) + 1
    except (KeyError, TypeError, IndexError, AttributeError):
        return default


class YamlLines:
    """Line numbers in a YAML text, computed (by a round-trip load) the first time one is asked."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: Any = None
        self._loaded = False

    def line(self, *path: Any, default: int = 0) -> int:
        """1-based line of the key at `path` (mapping keys / list indices), or `default`."""
        if not self._loaded:
            self._loaded = True
            try:
                self._data = load_yaml(self._text)
            except YamlProblem:
                self._data = None
        node = self._data
        for key in path[:-1]:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return default
        if not path:
            return node_line(node, default=default)
        return node_line(node, path[-1], default=default)
