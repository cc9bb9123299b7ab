"""The ruamel.yaml loaders of `runbookdocs.yamlio`, built once when a text first needs one.

A separate module so that importing `yamlio` does not import ruamel.yaml (about 10 ms): a site
build reads its decision trees with the libyaml parser MkDocs has already loaded, and reaches
ruamel.yaml only for a text that parser cannot read as plain data (`yamlio.load_yaml_marked`).
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.tag import Tag

__all__ = ["FAST_LOADER", "RULES", "MarkedYAMLError", "YAMLError", "load_fast", "loader"]

RULES: dict[str | None, list[tuple[str, Any]]] = {}
for _versions, _tag, _regexp, _first in implicit_resolvers:
    if (1, 2) in _versions:
        for _ch in _first or (None,):
            RULES.setdefault(_ch, []).append((_tag, _regexp))
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
        return RULES

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is not ScalarNode:
            return self.DEFAULT_MAPPING_TAG if kind is MappingNode else self.DEFAULT_SEQUENCE_TAG
        if implicit[0]:
            for tag, regexp in RULES.get(value[:1], ()):
                if regexp.match(value):
                    found = _TAGS.get(tag)
                    if found is None:
                        found = _TAGS[tag] = Tag(suffix=tag)
                    return found
        return self.DEFAULT_SCALAR_TAG


_MERGE_TAG = "tag:yaml.org,2002:merge"
_YAML_TAGS = "tag:yaml.org,2002:"


def _application_tagged(node: Node) -> bool:
    """True when `node` carries a tag of the application's own (`!include`, `!ref`), not one
    of YAML's (`!!map`, or none: a resolved plain scalar)."""
    tag = str(node.tag)
    return tag.startswith("!") and tag != "!" and not tag.startswith(_YAML_TAGS)


class _MergeIncludeConstructor(RoundTripConstructor):
    """ruamel.yaml's round-trip constructor, with a merge of an application-tagged value
    (`<<: !include common.yaml`, `<<: [!include a.yaml, *b]`) read as the merge of a mapping.

    What such a value becomes is the application's loader's business (borgmatic's reads the
    file named and merges its mapping); YAML alone cannot know it, so it is merged as an
    empty mapping instead of refused. A merge of an untagged scalar stays an error.
    """

    def flatten_mapping(self, node: Any) -> Any:
        for index, (key_node, value_node) in enumerate(node.value):
            if key_node.tag != _MERGE_TAG:
                continue
            if _application_tagged(value_node):
                node.value[index] = (key_node, _empty_mapping(value_node))
            elif isinstance(value_node, SequenceNode):
                value_node.value = [
                    _empty_mapping(n) if _application_tagged(n) else n for n in value_node.value
                ]
        return super().flatten_mapping(node)


def _empty_mapping(node: Node) -> MappingNode:
    return MappingNode(Tag(suffix="tag:yaml.org,2002:map"), [], node.start_mark, node.end_mark)


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


FAST_LOADER = _fast_loader_class()
_LOADERS: dict[bool, YAML] = {}


def loader(lines: bool) -> YAML:
    """The round-trip loader (positions, for messages and `YamlLines`) or the pure Python
    safe one (YAML 1.2 resolution), built once each."""
    if lines not in _LOADERS:
        yaml = YAML(typ="rt", pure=True) if lines else YAML(typ="safe", pure=True)
        if lines:
            yaml.Constructor = _MergeIncludeConstructor
        else:
            yaml.Resolver = _Yaml12Resolver
        yaml.allow_duplicate_keys = False
        _LOADERS[lines] = yaml
    return _LOADERS[lines]


def load_fast(text: str) -> tuple[Any, Node | None]:
    """The data of `text` and its node tree, with libyaml when available."""
    if FAST_LOADER is None:
        yaml = loader(False)
        constructor, parser = yaml.get_constructor_parser(text)
    else:
        constructor = parser = FAST_LOADER(text)
    try:
        node = constructor.composer.get_single_node()
        return (None if node is None else constructor.construct_document(node)), node
    finally:
        parser.dispose()
