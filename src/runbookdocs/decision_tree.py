"""Decision trees: the model of a ```` ```decision-tree ```` block, its parser and its checks.

A tree is YAML (runbook format v1, docs/reference/format.md):

```yaml
title: Le site ne répond pas
start: service
nodes:
  service:
    question: Le service est-il démarré ?
    check: "#verifier-service"
    answers:
      - {label: Oui, next: redemarrer}
      - {label: Non, next: demarrer, match: "Active: inactive"}
  redemarrer: {action: Redémarrer le service., next: service, max_visits: 2}
  demarrer: {solution: Démarrer le service.}
```

A node is a question (`question` + `answers`), an action (`action` + `next`) or a leaf
(`solution`, or `escalate`). `parse_tree()` builds the frozen model and reports, at the YAML line
of the offending key: unknown keys (with a suggestion), wrong types, `start`/`next` naming no
node, unreachable nodes, questions without answers, actions without `next`, cycles in which no
node carries `max_visits`, invalid `match` regexes. Whether a `check` names an existing block is
left to the caller, who knows the other pages (`Tree.checks()`; `runbookdocs.validate.trees`).

The site renders trees from `Tree.to_dict()` (JSON) and `Tree.walk_order()`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

from runbookdocs import codes
from runbookdocs.block import Block, suggest
from runbookdocs.location import Location
from runbookdocs.results import Finding
from runbookdocs.yamlio import Marks, YamlProblem, load_yaml_marked

NodeKind = Literal["question", "action", "solution", "escalate"]

TREE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "title": "what the tree helps with (the symptom)",
        "start": "id of the first node",
        "nodes": "node id -> node",
    }
)
NODE_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "question": "a question; the node needs answers",
        "answers": "the possible answers of a question",
        "action": "something to do; the node needs next",
        "next": "the node after an action",
        "solution": "a leaf: what fixes the problem",
        "escalate": "a leaf: who to hand the problem to",
        "help": "Markdown shown under the node",
        "check": "a block that helps answer: #id on this page, or page.md#id",
        "max_visits": "how many times a walk may pass here (bounds a cycle)",
    }
)
ANSWER_KEYS: Mapping[str, str] = MappingProxyType(
    {
        "label": "the answer as shown",
        "next": "the node this answer leads to",
        "match": "regex: pick this answer when pasted output matches",
    }
)
_KIND_KEYS: tuple[NodeKind, ...] = ("question", "action", "solution", "escalate")


class Answer(NamedTuple):
    """One answer of a question node."""

    label: str
    next: str
    """Id of the node the answer leads to."""
    match: str | None = None
    """Regular expression: this answer applies when pasted output matches it."""
    location: Location | None = None
    """Where the answer is written (page line of its `label`)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"label": self.label, "next": self.next, "match": self.match}


class Node(NamedTuple):
    """A node of the tree: a question, an action, or a leaf (solution, escalate)."""

    id: str
    kind: NodeKind
    text: str
    """The question, the action, the solution or the escalation, as written (Markdown)."""
    answers: tuple[Answer, ...] = ()
    """For questions."""
    next: str | None = None
    """For actions."""
    help: str | None = None
    check: str | None = None
    """A block id that helps answer: `#id` (this page) or `page.md#id`."""
    max_visits: int | None = None
    location: Location | None = None
    """Where the node's id is written."""
    check_location: Location | None = None
    """Where its `check` value is written."""
    text_location: Location | None = None
    """Where its text (question, action, solution, escalate) is written."""
    help_location: Location | None = None
    """Where its `help` is written."""

    @property
    def is_leaf(self) -> bool:
        """True for solutions and escalations."""
        return self.kind in ("solution", "escalate")

    def successors(self) -> tuple[str, ...]:
        """Ids this node leads to, in order (answers first to last, or `next`)."""
        if self.kind == "question":
            return tuple(a.next for a in self.answers)
        return (self.next,) if self.next else ()

    def match_answer(self, output: str) -> Answer | None:
        """The first answer whose `match` regex is found in `output` (pasted error text)."""
        for a in self.answers:
            if a.match is None:
                continue
            try:
                if re.search(a.match, output):
                    return a
            except re.error:
                continue
        return None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (no locations but the page line)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "text": self.text,
            "answers": [a.to_dict() for a in self.answers],
            "next": self.next,
            "help": self.help,
            "check": self.check,
            "max_visits": self.max_visits,
            "line": self.location.line if self.location else None,
        }


class Tree(NamedTuple):
    """A decision tree: a start node and the nodes by id (in the order written)."""

    start: str
    nodes: Mapping[str, Node] = MappingProxyType({})
    title: str | None = None
    location: Location | None = None
    """Where the tree is (the block's opening fence)."""

    def node(self, node_id: str) -> Node | None:
        """The node called `node_id`, if any."""
        return self.nodes.get(node_id)

    def walk_order(self) -> tuple[str, ...]:
        """Node ids breadth-first from `start` (answers in order), then unreachable ones.

        The site lays nodes out in this order; every id appears exactly once.
        """
        order: list[str] = []
        seen: set[str] = set()
        queue = [self.start] if self.start in self.nodes else []
        while queue:
            current = queue.pop(0)
            if current in seen or current not in self.nodes:
                continue
            seen.add(current)
            order.append(current)
            queue.extend(n for n in self.nodes[current].successors() if n not in seen)
        order.extend(n for n in self.nodes if n not in seen)
        return tuple(order)

    def reachable(self) -> frozenset[str]:
        """Ids reachable from `start`."""
        seen: set[str] = set()
        stack = [self.start]
        while stack:
            current = stack.pop()
            if current in seen or current not in self.nodes:
                continue
            seen.add(current)
            stack.extend(self.nodes[current].successors())
        return frozenset(seen)

    def edges(self) -> Iterator[tuple[str, str, str | None]]:
        """(from, to, answer label or None) for every transition, in walk order."""
        for node_id in self.walk_order():
            node = self.nodes[node_id]
            if node.kind == "question":
                for a in node.answers:
                    yield node_id, a.next, a.label
            elif node.next:
                yield node_id, node.next, None

    def cycles(self) -> list[tuple[str, ...]]:
        """Strongly connected groups of nodes that loop (a self-loop counts), in walk order."""
        return _cycles(self)

    def checks(self) -> Iterator[tuple[Node, str]]:
        """(node, check) for every node with a `check`, to be resolved against pages."""
        for node in self.nodes.values():
            if node.check:
                yield node, node.check

    def texts(self) -> Iterator[tuple[Node, str, Location | None]]:
        """(node, Markdown text, where it is written) for every step's text and help, which
        may hold links (checked like the page's own: `runbookdocs.validate.trees`)."""
        for node in self.nodes.values():
            yield node, node.text, node.text_location or node.location
            if node.help:
                yield node, node.help, node.help_location or node.location

    def to_dict(self) -> dict[str, Any]:
        """JSON form for the site: title, start, nodes in walk order."""
        return {
            "title": self.title,
            "start": self.start,
            "order": list(self.walk_order()),
            "nodes": {n: self.nodes[n].to_dict() for n in self.walk_order()},
        }


def node_anchor(tree_id: str, node_id: str) -> str:
    """The anchor of a step on the site: `TREE--NODE` (the walker's `?step=` value too), so
    that links may name a step (`#TREE--NODE`, checked like any anchor)."""
    return f"{tree_id}--{_slug(node_id)}"


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "n"


# ------------------------------------------------------------------------------------ parsing

Locate = Callable[[int, int], Location]
"""(0-based line of the tree text, 1-based column) -> page location."""


def parse_tree(block: Block) -> tuple[Tree | None, list[Finding]]:
    """Parse and check a decision-tree block; findings are at the page lines of the keys.

    Returns:
        The tree (None when the YAML cannot be read or has no usable shape) and every problem
        found; a tree is returned even when some findings are errors, for rendering.
    """

    def locate(index: int, col: int) -> Location:
        return block.locate(index, col)

    return _parse(block.source, locate, block.location, block.origin)


def parse_tree_text(
    text: str, *, path: str = "<tree>", first_line: int = 1
) -> tuple[Tree | None, list[Finding]]:
    """Like `parse_tree` for bare YAML text (the site's fence formatter has no `Block`).

    Args:
        text: the YAML.
        path: file name used in locations.
        first_line: page line of the first line of `text`.
    """

    def locate(index: int, col: int) -> Location:
        return Location(path, first_line + index, col)

    return _parse(text, locate, Location(path, max(first_line - 1, 1)), lambda _i: None)


class _Builder:
    def __init__(self, locate: Locate, origin: Callable[[int], Location | None]) -> None:
        self.locate = locate
        self.origin = origin
        self.findings: list[Finding] = []
        self.marks = Marks()

    def at(self, mapping: Any, key: Any = None, *, value: bool = False) -> tuple[int, int]:
        lc = self.marks.of(mapping)
        try:
            if lc is None:
                return 0, 1
            if key is None:
                return int(lc.line), int(lc.col) + 1
            if isinstance(mapping, list):
                pos = lc.item(key)
            else:
                pos = lc.value(key) if value else lc.key(key)
            return int(pos[0]), int(pos[1]) + 1
        except (KeyError, TypeError, IndexError, AttributeError):
            return int(getattr(lc, "line", 0)), 1

    def error(self, where: tuple[int, int], message: str, hint: str | None = None) -> None:
        line, col = where
        self.findings.append(
            codes.TREE_INVALID.at(
                self.locate(line, col), message, hint=hint, origin=self.origin(line)
            )
        )

    def text(self, mapping: Any, key: str, what: str) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if isinstance(value, (dict, list)):
            self.error(self.at(mapping, key), f"{what}: {key} must be text")
            return None
        return str(value)

    def unknown(self, mapping: Any, known: Mapping[str, str], what: str) -> None:
        for key in mapping:
            if key not in known:
                self.error(
                    self.at(mapping, key),
                    f"{what}: unknown key {key!r}{suggest(str(key), known)}",
                    hint="known keys: " + ", ".join(known),
                )


def _parse(
    text: str, locate: Locate, fence: Location, origin: Callable[[int], Location | None]
) -> tuple[Tree | None, list[Finding]]:
    b = _Builder(locate, origin)
    try:
        data, b.marks = load_yaml_marked(text)
    except YamlProblem as err:
        b.error((err.line - 1, err.col), f"decision tree: invalid YAML: {err.message}")
        return None, b.findings
    except RecursionError:
        b.error((0, 1), "decision tree: nested too deeply")
        return None, b.findings
    if not isinstance(data, dict):
        b.findings.append(
            codes.TREE_INVALID.at(
                fence,
                "decision tree: expected a mapping with start and nodes",
                hint="see the decision-tree format in docs/reference/format.md",
            )
        )
        return None, b.findings
    b.unknown(data, TREE_KEYS, "decision tree")
    title = b.text(data, "title", "decision tree")
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, dict) or not raw_nodes:
        where = b.at(data, "nodes") if "nodes" in data else (0, 1)
        b.error(where, "decision tree: 'nodes' must map node ids to nodes")
        return None, b.findings
    nodes: dict[str, Node] = {}
    for node_id, raw in raw_nodes.items():
        node = _node(b, raw_nodes, str(node_id), raw)
        if node is not None:
            nodes[node.id] = node
    start = data.get("start")
    if start is None:
        b.error((0, 1), "decision tree: 'start' is missing", hint=f"start: {next(iter(raw_nodes))}")
        start = next(iter(raw_nodes))
    elif not isinstance(start, (str, int)) or str(start) not in raw_nodes:
        b.error(
            b.at(data, "start", value=True), f"start: no node {start!r}{suggest(str(start), nodes)}"
        )
    tree = Tree(str(start), MappingProxyType(nodes), title, fence)
    _check_graph(b, tree, raw_nodes)
    return tree, b.findings


def _node(b: _Builder, parent: Any, node_id: str, raw: Any) -> Node | None:
    where = b.at(parent, node_id)
    loc = b.locate(*where)
    if not isinstance(raw, dict):
        b.error(where, f"node {node_id!r}: expected a mapping (question, action or solution)")
        return None
    b.unknown(raw, NODE_KEYS, f"node {node_id!r}")
    kinds = [k for k in _KIND_KEYS if k in raw]
    if not kinds:
        b.error(
            where,
            f"node {node_id!r} is neither a question, an action nor a leaf",
            hint="give it question + answers, action + next, or solution (or escalate)",
        )
        return None
    if len(kinds) > 1:
        b.error(
            b.at(raw, kinds[1]),
            f"node {node_id!r} has both {kinds[0]!r} and {kinds[1]!r}: one node, one role",
        )
    kind = kinds[0]
    text = b.text(raw, kind, f"node {node_id!r}") or ""
    help_text = b.text(raw, "help", f"node {node_id!r}")
    check = b.text(raw, "check", f"node {node_id!r}")
    max_visits = raw.get("max_visits")
    if max_visits is not None and (
        not isinstance(max_visits, int) or isinstance(max_visits, bool) or max_visits < 1
    ):
        b.error(
            b.at(raw, "max_visits"),
            f"node {node_id!r}: max_visits must be a whole number of at least 1",
        )
        max_visits = None
    answers: list[Answer] = []
    next_id: str | None = None
    if kind == "question":
        raw_answers = raw.get("answers")
        if not isinstance(raw_answers, list) or not raw_answers:
            b.error(
                b.at(raw, "answers") if "answers" in raw else where,
                f"question {node_id!r} has no answers",
                hint="answers: [{label: Oui, next: ...}, {label: Non, next: ...}]",
            )
        else:
            for i, ra in enumerate(raw_answers):
                a = _answer(b, raw_answers, i, ra, node_id)
                if a is not None:
                    answers.append(a)
        if "next" in raw:
            b.error(b.at(raw, "next"), f"question {node_id!r}: 'next' belongs to answers")
    elif kind == "action":
        nxt = raw.get("next")
        if nxt is None:
            b.error(
                where,
                f"action {node_id!r} has no 'next'",
                hint="an action leads to the node to look at after it",
            )
        elif isinstance(nxt, (dict, list)):
            b.error(b.at(raw, "next"), f"action {node_id!r}: next must be a node id")
        else:
            next_id = str(nxt)
        if "answers" in raw:
            b.error(b.at(raw, "answers"), f"action {node_id!r}: only questions have answers")
    else:
        for key in ("answers", "next"):
            if key in raw:
                b.error(b.at(raw, key), f"{kind} {node_id!r} ends the tree: remove {key!r}")
    check_loc = b.locate(*b.at(raw, "check", value=True)) if check else None
    text_loc = b.locate(*b.at(raw, kind, value=True))
    help_loc = b.locate(*b.at(raw, "help", value=True)) if help_text else None
    return Node(
        node_id,
        kind,
        text,
        tuple(answers),
        next_id,
        help_text,
        check,
        max_visits,
        loc,
        check_loc,
        text_loc,
        help_loc,
    )


def _answer(b: _Builder, parent: Any, i: int, raw: Any, node_id: str) -> Answer | None:
    where = b.at(parent, i)
    if not isinstance(raw, dict):
        b.error(where, f"question {node_id!r}, answer {i + 1}: expected label and next")
        return None
    b.unknown(raw, ANSWER_KEYS, f"question {node_id!r}, answer {i + 1}")
    label = raw.get("label")
    nxt = raw.get("next")
    ok = True
    if label is None or isinstance(label, (dict, list)):
        b.error(where, f"question {node_id!r}, answer {i + 1}: 'label' is missing")
        ok = False
    if nxt is None or isinstance(nxt, (dict, list)):
        b.error(where, f"question {node_id!r}, answer {i + 1}: 'next' is missing")
        ok = False
    match = raw.get("match")
    if match is not None:
        try:
            re.compile(str(match))
        except re.error as err:
            b.error(
                b.at(raw, "match", value=True),
                f"question {node_id!r}, answer {i + 1}: match is not a valid regex: {err}",
            )
            match = None
    if not ok:
        return None
    line, col = b.at(raw, "label")
    return Answer(str(label), str(nxt), None if match is None else str(match), b.locate(line, col))


def _check_graph(b: _Builder, tree: Tree, raw_nodes: Any) -> None:
    for node in tree.nodes.values():
        raw = raw_nodes.get(node.id)
        if node.kind == "action" and node.next is not None and node.next not in tree.nodes:
            b.error(
                b.at(raw, "next", value=True),
                f"action {node.id!r}: next names no node "
                f"{node.next!r}{suggest(node.next, tree.nodes)}",
            )
        raw_answers = raw.get("answers") if isinstance(raw, dict) else None
        for i, a in enumerate(node.answers):
            if a.next not in tree.nodes:
                ra = (
                    raw_answers[i]
                    if isinstance(raw_answers, list) and i < len(raw_answers)
                    else None
                )
                where = b.at(ra, "next", value=True) if isinstance(ra, dict) else (0, 1)
                b.error(
                    where,
                    f"question {node.id!r}, answer {a.label!r}: next names no node "
                    f"{a.next!r}{suggest(a.next, tree.nodes)}",
                )
    if tree.start in tree.nodes:
        reachable = tree.reachable()
        for node_id in tree.nodes:
            if node_id not in reachable:
                b.error(
                    b.at(raw_nodes, node_id),
                    f"node {node_id!r} cannot be reached from start {tree.start!r}",
                    hint="link it from an answer or an action, or remove it",
                )
    for cycle in tree.cycles():
        if not any(tree.nodes[n].max_visits for n in cycle):
            first = cycle[0]
            shown = [*cycle, first]
            if len(shown) > 12:  # a message, not the whole graph
                shown = [*cycle[:5], "...", *cycle[-5:], f"{first} ({len(cycle)} nodes)"]
            path = " -> ".join(shown)
            b.error(
                b.at(raw_nodes, first),
                f"cycle {path} has no node with max_visits",
                hint=f"add 'max_visits: 2' to {first!r} so a walk cannot loop forever",
            )


def _cycles(tree: Tree) -> list[tuple[str, ...]]:
    """Tarjan's strongly connected components, iteratively, kept when they loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
    counter = 0
    order = tree.walk_order()
    # Computed once: per component it made a tree of 20,000 self-loops quadratic (53 s).
    rank = {n: i for i, n in enumerate(order)}
    for root in order:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(tree.nodes[root].successors())))
        while work:
            v, children = work[-1]
            advanced = False
            for w in children:
                if w not in tree.nodes:
                    continue
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(tree.nodes[w].successors())))
                    advanced = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                group: list[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    group.append(w)
                    if w == v:
                        break
                loops = len(group) > 1 or v in tree.nodes[v].successors()
                if loops:
                    found.append(tuple(sorted(group, key=lambda n: rank[n])))
    return sorted(found, key=lambda g: rank[g[0]])


# ------------------------------------------------------------------------------------ links


def _link_location(block: Block, where: Location | None, text: str, col: int) -> Location:
    """The link's own column when the text is written on its key's line as is (a plain or
    quoted scalar); the value's start otherwise (a folded `>-` value is joined from lines)."""
    if where is None:
        return block.location
    lines = block.source.splitlines()
    index = where.line - block.line - 1
    if 0 <= index < len(lines):
        rest = lines[index][where.col - 1 :]
        quote = 1 if rest[:1] in ("'", '"') else 0
        if rest[quote:].startswith(text[: col + 1]):
            return Location(where.path, where.line, where.col + quote + col)
    return where


def step_links(block: Block, tree: Tree) -> Iterator[tuple[Node, str, Location]]:
    """(node, target, where) of every relative link in the steps' texts and helps; the site
    build judges them too (`runbookdocs.site.state.tree_problems`)."""
    for node, text, where in tree.texts():
        for target, col in tree_links(text):
            yield node, target, _link_location(block, where, text, col)


def tree_links(text: str) -> Iterator[tuple[str, int]]:
    """(target, 0-based column) of the relative links of a step's Markdown text: the links a
    page of this project must provide (absolute URLs and templates are not ours to judge)."""
    from runbookdocs.links import SCHEME, links

    for col, raw in links(text):
        target = raw.strip("<>")
        if not target or SCHEME.match(target) or target.startswith(("//", "/", "{{")):
            continue
        yield target, col
