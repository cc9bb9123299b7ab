"""YAML with line numbers (ruamel.yaml), duplicate keys refused, errors as plain data."""

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


def _loader() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.allow_duplicate_keys = False
    return yaml


def load_yaml(text: str) -> Any:
    """Load one YAML document keeping line information; raise `YamlProblem` on any error."""
    try:
        return _loader().load(text)
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
    except (ValueError, TypeError, RecursionError) as err:
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
