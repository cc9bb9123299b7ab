"""YAML with ruamel.yaml: duplicate keys refused, errors as plain data, line numbers on demand.

Loading with line information (round-trip, pure Python) is several times slower than the safe
loader backed by libyaml, and line numbers are only needed when something is wrong. So texts
are loaded fast, and `YamlLines` re-reads a text with positions only when a finding needs one.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError


class YamlProblem(Exception):
    """A YAML text that does not load; `line` and `col` are 1-based within the text."""

    def __init__(self, message: str, line: int, col: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


_LOADERS: dict[bool, YAML] = {}


def _loader(lines: bool) -> YAML:
    if lines not in _LOADERS:
        try:
            yaml = YAML(typ="rt", pure=True) if lines else YAML(typ="safe", pure=False)
        except Exception:  # no libyaml binding (ruamel.yaml.clib): pure Python is still right
            yaml = YAML(typ="safe", pure=True)
        yaml.allow_duplicate_keys = False
        _LOADERS[lines] = yaml
    return _LOADERS[lines]


def load_yaml(text: str, *, lines: bool = True) -> Any:
    """Load one YAML document; raise `YamlProblem` on any error.

    Args:
        lines: keep line information (round-trip nodes, for `node_line`); False loads plain
            Python data with the fast loader. Errors are always reported by the round-trip
            parser so that messages and positions do not depend on the loader.
    """
    if not lines:
        try:
            return _loader(False).load(text)
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
        raise YamlProblem(problem, line, col) from None
    except YAMLError as err:
        raise YamlProblem(str(err).splitlines()[0] if str(err) else "invalid YAML", 1, 1) from None
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError) as err:
        # ruamel.yaml raises these on some malformed scalars (`+_`, found by fuzzing).
        raise YamlProblem(f"invalid YAML: {err}", 1, 1) from None


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
