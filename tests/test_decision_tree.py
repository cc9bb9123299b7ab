"""The decision-tree model: parsing, checks at the YAML key lines, walk order, JSON form."""

from __future__ import annotations

import json
from pathlib import Path

from runbookdocs.decision_tree import Tree, parse_tree_text
from tests.helpers import cli, make_project
from tests.validate_helpers import check_page

GOOD = """\
title: Le site ne répond pas
start: service
nodes:
  service:
    question: Le service est-il démarré ?
    help: "`systemctl status app`"
    answers:
      - label: Oui
        next: redemarrer
      - label: Non
        next: demarrer
        match: "Active: inactive"
  redemarrer:
    action: Redémarrer le service.
    next: service
    max_visits: 2
  demarrer:
    solution: Démarrer le service.
  support:
    escalate: Équipe N2
"""


def _msgs(text: str) -> list[str]:
    _, findings = parse_tree_text(text, path="t.md", first_line=10)
    return [f"{f.location.line}: {f.message}" for f in findings]


def test_good_tree_model_and_walk() -> None:
    tree, findings = parse_tree_text(GOOD.replace("  support:\n    escalate: Équipe N2\n", ""))
    assert findings == []
    assert isinstance(tree, Tree)
    assert tree.walk_order() == ("service", "redemarrer", "demarrer")
    assert list(tree.edges()) == [
        ("service", "redemarrer", "Oui"),
        ("service", "demarrer", "Non"),
        ("redemarrer", "service", None),
    ]
    assert tree.cycles() == [("service", "redemarrer")]
    service = tree.nodes["service"]
    assert service.kind == "question" and service.successors() == ("redemarrer", "demarrer")
    assert service.match_answer("   Active: inactive (dead)") == service.answers[1]
    assert tree.nodes["demarrer"].is_leaf
    data = tree.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["order"] == ["service", "redemarrer", "demarrer"]
    assert data["nodes"]["service"]["answers"][1]["match"] == "Active: inactive"
    assert data["nodes"]["service"]["line"] == 4


def test_unreachable_and_cycle_without_bound() -> None:
    text = GOOD.replace("    max_visits: 2\n", "")
    assert _msgs(text) == [
        "27: node 'support' cannot be reached from start 'service'",
        "13: cycle service -> redemarrer -> service has no node with max_visits",
    ]


def test_every_error_at_its_key_line() -> None:
    text = """\
start: a
nodes:
  a:
    question: Q
    answers:
      - {label: x, next: b, match: "(", colour: red}
      - {label: y}
  b:
    action: do
    anwsers: []
  c:
    question: lonely
  d:
    solution: s
    next: a
  e: just text
"""
    assert _msgs(text) == [
        "15: question 'a', answer 1: unknown key 'colour'",
        "15: question 'a', answer 1: match is not a valid regex: missing ), unterminated "
        "subpattern at position 0",
        "16: question 'a', answer 2: 'next' is missing",
        "19: node 'b': unknown key 'anwsers' (did you mean 'answers'?)",
        "17: action 'b' has no 'next'",
        "20: question 'c' has no answers",
        "24: solution 'd' ends the tree: remove 'next'",
        "25: node 'e': expected a mapping (question, action or solution)",
        "20: node 'c' cannot be reached from start 'a'",
        "22: node 'd' cannot be reached from start 'a'",
    ]


def test_bad_start_and_shapes() -> None:
    assert _msgs("start: x\nnodes:\n  a: {solution: s}\n") == ["10: start: no node 'x'"]
    assert _msgs("- a\n") == ["9: decision tree: expected a mapping with start and nodes"]
    assert _msgs("start: a\nnodes: {}\n") == [
        "11: decision tree: 'nodes' must map node ids to nodes"
    ]
    assert _msgs("start: [\n")[0].startswith("11: decision tree: invalid YAML")
    assert _msgs("titel: x\nstart: a\nnodes:\n  a: {solution: s}\n") == [
        "10: decision tree: unknown key 'titel' (did you mean 'title'?)"
    ]


def test_check_references_resolved_against_pages(tmp_path: Path) -> None:
    page = (
        "---\nrunbook:\n  reviewed: 2999-01-01\n---\n"
        "```bash {#status}\nsystemctl status app\n```\n\n"
        "```decision-tree\nstart: a\nnodes:\n  a:\n    question: Q\n"
        '    check: "#statu"\n    answers: [{label: o, next: b}]\n'
        "  b:\n    solution: s\n    check: other.md#restart\n```\n"
    )
    files = {"docs/other.md": "# O\n\n```bash {#restart}\nx\n```\n"}
    assert check_page(tmp_path, page, files) == [
        "docs/page.md:14:12: error: node 'a': check '#statu': no block #statu in this page "
        "(did you mean 'status'?) [RBD602]"
    ]


def test_cli_tree(tmp_path: Path) -> None:
    make_project(
        tmp_path,
        {"docs/t.md": "# T\n\n```decision-tree\nstart: a\nnodes:\n  a: {action: x}\n```\n"},
    )
    proc = cli("check", "--no-cache", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("docs/t.md:6:3: error: action 'a' has no 'next'")
