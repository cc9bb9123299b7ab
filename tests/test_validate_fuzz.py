"""Junk never produces a traceback: every validator turns it into findings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runbookdocs.config import load_config
from runbookdocs.document import parse_document
from runbookdocs.validate import check_documents
from tests.helpers import make_project

LANGS = [
    "json",
    "yaml",
    "ini",
    "toml",
    "sql",
    "mysql",
    "psql",
    "bash",
    "console",
    "decision-tree",
    "",
    "text",
]
ATTRS = ["", " {schema=s}", " {target=mysql}", " {#x file=/a mode=0644}", " {expect=1}"]
JUNK = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80)
SHAPES = st.sampled_from(
    [
        '{"a": {{ v }}, "a": [1, {"b": "{{ s }}"}]}',
        "a: [1, {b: 2}]\na: &x *x",
        "[s]\nk=1\nk=2",
        "x = {{ v }}\n[a.b]\n[a.b]",
        "SELECT '{{ v }}' FROM t WHERE;\n-- expect:\n-- x",
        'echo "{{ v }}\ncat <<EOF',
        "$ ls\n> \\\n# )",
        "start: a\nnodes:\n  a: {next: a}",
        "[x](#y) n?est TODO \ufffd",
        "{{ }} {{",
        "---",
        "\t\t{",
        "}" * 50,
        "[" * 300,
    ]
)


def _check(tmp: Path, text: str) -> None:
    config = load_config(start=tmp)
    doc = parse_document(text, path="docs/p.md", file=tmp / "docs/p.md", config=config)
    report = check_documents([doc], config)
    for r in report.results:
        assert r.outcome != "error"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lang=st.sampled_from(LANGS),
    attrs=st.sampled_from(ATTRS),
    body=st.one_of(JUNK, SHAPES, st.lists(st.one_of(JUNK, SHAPES), max_size=4).map("\n".join)),
    prose=JUNK,
)
def test_junk_blocks_never_raise(
    tmp_path: Path, lang: str, attrs: str, body: str, prose: str
) -> None:
    if not (tmp_path / "pyproject.toml").exists():
        make_project(tmp_path, {"schemas/s.json": '{"type": "object"}'})
    text = (
        f"---\nrunbook:\n  variables: {{v: '1'}}\n  secrets: {{s: x}}\n---\n{prose}\n\n"
        f"```{lang}{attrs}\n{body}\n```\n"
    )
    _check(tmp_path, text)


def test_deep_nesting(tmp_path: Path) -> None:
    make_project(tmp_path, {"schemas/s.json": '{"type": "object"}'})
    deep = "[" * 5000 + "]" * 5000
    for lang in ("json", "yaml", "toml", "decision-tree"):
        _check(
            tmp_path,
            f"```{lang} {{schema=s}}\n{deep}\n```\n"
            if lang in ("json", "yaml")
            else f"```{lang}\na = {deep}\n```\n",
        )


def test_without_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = shutil.which
    monkeypatch.setattr(
        shutil,
        "which",
        lambda name, *a, **k: None if name in ("bash", "shellcheck") else real(name, *a, **k),
    )
    make_project(tmp_path, {})
    _check(tmp_path, "```bash\necho 'x\n```\n")
