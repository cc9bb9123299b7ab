"""YAML with ruamel.yaml: duplicate keys refused, errors as plain data, line numbers on demand.

Loading with line information (round-trip, pure Python) is several times slower than the safe
loader backed by libyaml, and line numbers are only needed when something is wrong. So texts
are loaded fast, and `YamlLines` re-reads a text with positions only when a finding needs one.
`load_yaml_marked` gives positions of every key at the fast loader's speed: libyaml composes
the node tree (which has marks), the safe constructor builds the data, and a walk of both keeps
each container's positions.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.tag import Tag


class YamlProblem(Exception):
    """A YAML text that does not load; `line` and `col` are 1-based within the text."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


_RULES: dict[str | None, list[tuple[str, Any]]] = {}
for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions:
        for _ch in _first or (None,):
            _RULES.setdefault(_ch, []).append((_tag, _regexp))
_TAGS: dict[str, Tag] = {}


class _Yaml12Resolver(VersionedResolver):
    """YAML 1.2 rules (ruamel.yaml's default) from one table built at import, and one `Tag`
    per tag name: ruamel.yaml builds a table per loader, asks for every scalar which version
    the document declares, and makes a `Tag` per scalar. `%YAML 1.1` directives are ignored,
    and so are path resolvers (runbookdocs adds none)."""

    @property
    def processing_version(self) -> Any:
        return (1, 2)

    @property
    def versioned_resolver(self) -> Any:
        return _RULES

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return self.DEFAULT_MAPPING_TAG if kind is MappingNode else self.DEFAULT_SEQUENCE_TAG
        if implicit[0]:
            for tag, regexp in _RULES.get(value[:1], ()):
                if regexp.match(value):
                    found = _TAGS.get(tag)
                    if found is None:
                        found = _TAGS[tag] = Tag(suffix=tag)
                    return found
        return self.DEFAULT_SCALAR_TAG


def _fast_loader_class() -> type | None:
    """libyaml's parser with the safe constructor, built once (ruamel.yaml's `YAML.load`
    builds this class on every call); None without the libyaml binding."""
    try:
        from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # no ruamel.yaml.clib: the pure Python loader is still right
        return None

    class FastLoader(CParser, SafeConstructor, _Yaml12Resolver):  # type: ignore[misc]
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            self._parser = self._composer = self
            SafeConstructor.__init__(self, loader=self)
            self.allow_duplicate_keys = False
            _Yaml12Resolver.__init__(self, loadumper=self)

    return FastLoader


_FAST_LOADER = _fast_loader_class()
_LOADERS: dict[bool, YAML] = {}


def _loader(lines: bool) -> YAML:
    if lines not in _LOADERS:
        yaml = YAML(typ="rt", pure=True) if lines else YAML(typ="safe", pure=True)
        if not lines:
            yaml.Resolver = _Yaml12Resolver
        yaml.allow_duplicate_keys = False
        _LOADERS[lines] = yaml
    return _LOADERS[lines]


def _load_fast(text: str) -> tuple[Any, Node | None]:
    """The data of `text` and its node tree, with libyaml when available."""
    if _FAST_LOADER is None:
        yaml = _loader(False)
        constructor, parser = yaml.get_constructor_parser(text)
    else:
        constructor = parser = _FAST_LOADER(text)
    try:
        node = constructor.composer.get_single_node()
        return (None if node is None else constructor.construct_document(node)), node
    finally:
        parser.dispose()


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

    if _FAST_LOADER is not None:
        parser: Any = _FAST_LOADER(text)
    else:
        parser = _loader(False).get_constructor_parser(text)[1]
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
    if not lines:
        try:
            return _load_fast(text)[0]
        except Exception:  # report the problem with the reference parser below
            pass
    try:
        return _loader(True).load(text)
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
    try:
        if _FAST_LOADER is None:
            return list(_loader(False).load_all(text))
        loader = _FAST_LOADER(text)
        try:
            docs: list[Any] = []
            while loader.check_data():
                docs.append(loader.get_data())
            return docs
        finally:
            loader.dispose()
    except Exception:
        pass
    try:
        return list(_loader(True).load_all(text))
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

    def add(self, node: Node, data: Any) -> None:
        """Record the positions of `data`, constructed from `node`, and of its children.

        An alias shares its anchor's data, so each container is walked once (an alias bomb
        stays linear).
        """
        if id(data) in self._by_id or not isinstance(data, (dict, list)):
            return
        start = node.start_mark
        if isinstance(node, MappingNode) and isinstance(data, dict):
            if len(node.value) != len(data):
                return  # merge keys (`<<`) reshaped it: no positions rather than wrong ones
            lc = LineCol(start.line, start.column)
            for (key_node, value_node), (key, value) in zip(node.value, data.items(), strict=True):
                if isinstance(key, str) and (
                    not isinstance(key_node, ScalarNode) or key_node.value != key
                ):
                    return
                lc._keys[key] = (key_node.start_mark.line, key_node.start_mark.column)
                lc._values[key] = (value_node.start_mark.line, value_node.start_mark.column)
                self.add(value_node, value)
            self._by_id[id(data)] = lc
        elif isinstance(node, SequenceNode) and isinstance(data, list):
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
    try:
        data, node = _load_fast(text)
    except Exception:  # the reference parser words the problem (or loads what libyaml refused)
        return load_yaml(text), marks
    if node is not None:
        with contextlib.suppress(RecursionError):  # positions help; the data is loaded
            marks.add(node, data)
    return data, marks


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
