"""YAML loading: the fast loader with marks gives the round-trip loader's positions."""

from __future__ import annotations

import pytest

from runbookdocs.yamlio import YamlProblem, load_yaml, load_yaml_marked

TEXT = """\
title: Le service ne répond pas
start: actif
nodes:
  actif:
    question: "Actif ?"
    answers:
      - label: Oui
        next: fin
      -   label: Non
          next: fin
  fin:
    solution: ok
    tags: [a, b]
ports: {http: 80, 443: https}
"""


def _walk(rt: object, path: tuple[object, ...] = ()) -> list[tuple[tuple[object, ...], object]]:
    out: list[tuple[tuple[object, ...], object]] = []
    if isinstance(rt, dict):
        for k, v in rt.items():
            out.append(((*path, k), rt))
            out += _walk(v, (*path, k))
    elif isinstance(rt, list):
        for i, v in enumerate(rt):
            out.append(((*path, i), rt))
            out += _walk(v, (*path, i))
    return out


def test_marks_match_round_trip_positions() -> None:
    rt = load_yaml(TEXT)
    data, marks = load_yaml_marked(TEXT)
    assert data == rt
    checked = 0
    for path, rt_parent in _walk(rt):
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        lc, rt_lc = marks.of(parent), rt_parent.lc  # type: ignore[attr-defined]
        assert lc is not None
        key = path[-1]
        if isinstance(parent, list):
            assert lc.item(key) == tuple(rt_lc.item(key)), path  # type: ignore[arg-type]
        else:
            assert lc.key(key) == tuple(rt_lc.key(key)), path
            assert lc.value(key) == tuple(rt_lc.value(key)), path
        checked += 1
    assert checked == 20


def test_marked_errors_are_worded_like_load_yaml() -> None:
    bad = "a: 1\na: 2\n"
    with pytest.raises(YamlProblem) as marked:
        load_yaml_marked(bad)
    with pytest.raises(YamlProblem) as reference:
        load_yaml(bad)
    assert (marked.value.message, marked.value.line) == (
        reference.value.message,
        reference.value.line,
    )
    assert marked.value.message == 'duplicate key "a"'


def test_alias_bomb_is_walked_once() -> None:
    bomb = "v0: &v0 [a, a, a, a, a, a, a, a, a]\n" + "".join(
        f"v{i}: &v{i} [{', '.join([f'*v{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    data, marks = load_yaml_marked(bomb)
    assert marks.of(data) is not None
    # An alias item is placed at its anchor (the node libyaml shares), line 9 col 5.
    assert marks.of(data["v9"]).item(0) == (8, 4)  # type: ignore[union-attr]


SCALARS = """\
plain: texte
yes_no: [yes, no, on, off, Yes, NO]
bools: [true, false, True, FALSE]
nulls: [null, ~, Null, ""]
ints: [0, 42, -7, +3, 0o17, 0x1F, 017, 1_000]
floats: [1.5, -0.5, 1e3, .inf, -.Inf, .nan, 6.02e+23]
dates: [2026-07-17, 2001-12-14t21:59:43.10-05:00]
sexagesimal: 1:20
quoted: ["true", '42']
empty:
nested: {a: [1, {b: null}]}
"""


def test_fast_loader_gives_the_reference_loaders_data() -> None:
    """The libyaml loader with its own resolver reads scalars as ruamel.yaml's YAML 1.2
    safe loader does (no `yes` booleans, no sexagesimals, `0o` octal)."""
    import math

    from ruamel.yaml import YAML

    reference = YAML(typ="safe", pure=True).load(SCALARS)
    fast = load_yaml(SCALARS, lines=False)
    marked, _ = load_yaml_marked(SCALARS)
    for data in (fast, marked):
        assert data.keys() == reference.keys()
        for key in reference:
            if key == "floats":
                assert data[key][:5] == reference[key][:5] and math.isnan(data[key][5])
            else:
                assert data[key] == reference[key], key
    assert fast["yes_no"] == ["yes", "no", "on", "off", "Yes", "NO"]
    assert fast["ints"][4] == 15 and fast["sexagesimal"] == "1:20"


def test_fast_loader_refuses_duplicate_keys() -> None:
    with pytest.raises(YamlProblem, match='duplicate key "a"'):
        load_yaml("a: 1\nb: 2\na: 3\n", lines=False)
