"""Fuzzing decision trees, console transcripts, `--update` and the redactor.

Zero unhandled exceptions, and properties that make `--update` safe to run on a knowledge base:
the rewritten output matches what the command printed, a second update changes nothing, and no
byte outside the rewritten lines moves. Each test states its number of generated inputs
(`max_examples`); `figures.fuzzed` counts the inputs each test body really ran on.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from runbookdocs import transcript
from runbookdocs.config import load_config
from runbookdocs.decision_tree import parse_tree_text
from runbookdocs.document import parse_document
from runbookdocs.run.redact import MASK, Redactor
from tests.reliability.figures import fuzzed

CONFIG = load_config(start=Path(__file__).parent)
SLOW_OK = settings(deadline=None, suppress_health_check=list(HealthCheck))

# -- decision trees ----------------------------------------------------------------------------

TREE_FRAGMENTS = [
    "title: t",
    "start: a",
    "start: ",
    "nodes:",
    "  a:",
    "  b:",
    "    question: q ?",
    "    action: faire",
    "    solution: fini",
    "    escalate: équipe",
    "    next: a",
    "    next: z",
    "    max_visits: 2",
    "    max_visits: -1",
    "    check: '#id'",
    "    check: page.md#x",
    "    help: '**aide**'",
    "    answers:",
    "      - label: Oui",
    "        next: b",
    "        match: '('",
    "        match: 'Active: (in)?active'",
    "      - {label: [1], next: {a: 1}}",
    "&x",
    "*x",
    "!!binary aGk=",
    "!!python/name:os.system",
    "? [a]",
    ": b",
    "[",
    "{",
    "- ",
    "  ",
    "\t",
    "---",
    "...",
    "%TAG ! x",
    "~",
    "1e400",
    "\x00",
    "\ufeff",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.text(max_size=8),
    st.sampled_from(["a", "b", "c", "#id", "x.md#y", "(", ".*"]),
)
node_keys = st.sampled_from(
    ["question", "action", "solution", "escalate", "next", "answers", "max_visits", "check",
     "help", "label", "match", "unknown"]
)  # fmt: skip
json_trees = st.fixed_dictionaries(
    {
        "title": scalars,
        "start": st.sampled_from(["a", "b", "c", "zz"]) | scalars,
        "nodes": st.dictionaries(
            st.sampled_from(["a", "b", "c"]) | st.text(max_size=3),
            st.dictionaries(
                node_keys,
                scalars
                | st.lists(
                    st.dictionaries(st.sampled_from(["label", "next", "match", "x"]), scalars),
                    max_size=3,
                ),
                max_size=5,
            )
            | scalars,
            max_size=4,
        ),
    }
)


@settings(SLOW_OK, max_examples=1000)
@given(st.lists(st.one_of(st.sampled_from(TREE_FRAGMENTS), st.text(max_size=10)), max_size=30))
def test_decision_tree_text_never_raises(parts: list[str]) -> None:
    fuzzed("decision tree, YAML text (hypothesis)")
    text = "".join(p + "\n" for p in parts)
    tree, findings = parse_tree_text(text, path="docs/t.md", first_line=10)
    for f in findings:
        assert f.location.line >= 1 and f.render()
    if tree is not None and not [f for f in findings if f.severity == "error"]:
        json.dumps(tree.to_dict())


@settings(SLOW_OK, max_examples=1000)
@given(json_trees)
def test_decision_tree_structures_never_raise(data: dict[str, object]) -> None:
    fuzzed("decision tree, structures (hypothesis)")
    # JSON is YAML: every structure the generator builds is a tree text the parser must judge.
    text = json.dumps(data, ensure_ascii=False, allow_nan=True, indent=1)
    tree, findings = parse_tree_text(text, path="docs/t.md")
    for f in findings:
        assert f.location.line >= 1 and f.render()
    if tree is not None and not [f for f in findings if f.severity == "error"]:
        # A tree without errors can be walked and published.
        assert set(tree.walk_order()) <= {n for n in tree.to_dict()["nodes"]}
        json.dumps(tree.to_dict())
        tree.cycles()


# -- console transcripts -----------------------------------------------------------------------

LINE_PARTS = ["$ ", "# ", "> ", ">", "$", "#", "...", " (re)", "[1]", "[256]", "```", "~~~",
              "(", ")", "*", ".*", "\\", "a", "b", " ", "\t", "é", "\x1b[31m", "\r"]  # fmt: skip
lines = st.lists(st.sampled_from(LINE_PARTS), max_size=4).map("".join)
#: Output as `normalise` leaves it: no CR, no trailing spaces, no trailing blank lines.
outputs = st.one_of(
    st.text(
        st.sampled_from(["a", "b", "$", "#", ">", ".", "[", "]", "1", "`", "~", " ", "\n", "("]),
        max_size=40,
    ),
    st.lists(
        st.sampled_from(
            ["```", "~~~~", "  ```", "$ x", "# x", "...", "[1]", "a (re)", ">", "", "a"]
        ),
        max_size=6,
    ).map("\n".join),
).map(transcript.normalise)


@settings(SLOW_OK, max_examples=1500)
@given(st.lists(lines, max_size=25), st.lists(lines, max_size=12), st.integers(0, 3))
def test_transcript_functions_never_raise(source: list[str], actual: list[str], exit: int) -> None:
    fuzzed("transcript parse/match/diff (hypothesis)")
    parsed = transcript.parse("\n".join(source))
    previous = -1
    for cmd in parsed.commands:
        assert previous < cmd.line_index < cmd.output_index <= cmd.output_end <= len(source)
        previous = cmd.output_end - 1
        transcript.match(cmd.expected, actual)
        transcript.diff(cmd.expected, actual, exit=exit, expected_exit=cmd.exit)
        transcript.updated_expected(cmd.expected, actual, exit)
        for line in cmd.expected:
            transcript.regex_error(line)
    transcript.normalise("\r\n".join(source))


@settings(SLOW_OK, max_examples=1500)
@given(st.lists(lines, max_size=8), outputs, st.integers(0, 3))
def test_update_makes_the_transcript_match_and_is_idempotent(
    expected: list[str], actual: list[str], exit: int
) -> None:
    fuzzed("--update: updated output matches (hypothesis)")
    # Expected lines as the parser gives them (no prompts, no continuation, no `[N]`).
    page = "$ cmd\n" + "".join(e + "\n" for e in expected if transcript._prompt(e) is None)
    expected = transcript.parse(page).commands[0].expected
    new, stale = transcript.update(expected, actual, exit)
    block = "$ cmd\n" + "".join(line + "\n" for line in new)
    (cmd,) = transcript.parse(block).commands
    assert cmd.exit == exit, new
    # The updated output matches, unless a ` (re)` line that no longer matches was kept (and
    # reported): a matcher is never replaced by the literal output.
    assert transcript.match(cmd.expected, actual) or stale, (expected, actual, new)
    assert all(expected[k].endswith(transcript.REGEX_SUFFIX) for k in stale)
    # Kept byte for byte, except a `> ...` matcher that ends up first: it would read as a
    # continuation of the command, so it is written `[>] ...` (the same regex).
    assert all(expected[k] in new or "[>]" + expected[k][1:] == new[0] for k in stale)
    assert transcript.update(cmd.expected, actual, exit)[0] == new


def _page(prefix: list[str], indent: str, commands: list[tuple[str, list[str]]], eol: str) -> str:
    body = ["!!! note", ""] if indent == "    " else []
    body.append(f"{indent}```console {{#c}}")
    for command, expected in commands:
        body.append(f"{indent}$ {command}")
        body += [f"{indent}{e}" if e else indent.rstrip() for e in expected]
    body.append(f"{indent}```")
    return eol.join([*prefix, *body, "suite du texte  ", ""])


def _page_line(line: str) -> bool:
    # Lines the page itself may hold inside the block (no CR, no fence of its own).
    return transcript._prompt(line) is None and "\r" not in line and "```" not in line


prose = st.lists(
    st.sampled_from(["# Titre", "", "du texte", "  retrait", "* liste", "é"]), max_size=4
)


@settings(SLOW_OK, max_examples=600)
@given(
    prose,
    st.sampled_from(["", "    ", "> "]),
    st.lists(
        st.tuples(st.sampled_from(["ls", "echo a"]), st.lists(lines, max_size=4)),
        min_size=1,
        max_size=3,
    ),
    st.sampled_from(["\n", "\r\n"]),
    st.lists(st.tuples(outputs, st.integers(0, 2)), min_size=3, max_size=3),
)
def test_update_rewrites_only_expected_output_and_keeps_every_other_byte(
    prefix: list[str],
    indent: str,
    commands: list[tuple[str, list[str]]],
    eol: str,
    runs: list[tuple[list[str], int]],
) -> None:
    fuzzed("--update: page rewrite (hypothesis)")
    commands = [(c, [e for e in exp if _page_line(e)]) for c, exp in commands]
    text = _page(prefix, indent, commands, eol)
    doc = parse_document(text, path="docs/p.md", file=Path("docs/p.md"), config=CONFIG)
    blocks = [b for b in doc.blocks if b.kind == "console"]
    assume(len(blocks) == 1 and transcript.parse(blocks[0]).commands)
    block = blocks[0]
    parsed = transcript.parse(block).commands
    updates = {
        k: transcript.update(cmd.expected, runs[k][0], runs[k][1]) for k, cmd in enumerate(parsed)
    }
    replacements = {k: lines for k, (lines, _) in updates.items()}
    new_text = transcript.rewrite(text, block, replacements)

    # Every line outside the rewritten outputs is kept byte for byte, line endings included.
    old_lines, new_lines = text.split(eol), new_text.split(eol)
    # (page line of the command's last line, 1-based; expected lines it had)
    spans = [
        (block.source_lines[c.output_index - 1], c.output_end - c.output_index) for c in parsed
    ]
    k_old = k_new = 0
    for k, (command_line, old_len) in enumerate(spans):
        while k_old < command_line:  # up to and including the command's last line
            assert new_lines[k_new] == old_lines[k_old]
            k_old += 1
            k_new += 1
        k_old += old_len
        k_new += len(replacements[k])
    assert new_lines[k_new:] == old_lines[k_old:]
    assert "\r" not in new_text.replace("\r\n", "")

    # Read back, the page expects what the commands printed; a second update changes nothing.
    doc2 = parse_document(new_text, path="docs/p.md", file=Path("docs/p.md"), config=CONFIG)
    (block2,) = [b for b in doc2.blocks if b.kind == "console"]
    parsed2 = transcript.parse(block2).commands
    assert len(parsed2) == len(parsed)
    for k, cmd in enumerate(parsed2):
        assert cmd.exit == runs[k][1]
        # Matches, unless a ` (re)` line that no longer matches was kept (and reported).
        assert transcript.match(cmd.expected, runs[k][0]) or updates[k][1]
    again = {
        k: transcript.updated_expected(cmd.expected, runs[k][0], runs[k][1])
        for k, cmd in enumerate(parsed2)
    }
    assert transcript.rewrite(new_text, block2, again) == new_text


# -- the redactor ------------------------------------------------------------------------------

secret_text = st.text(st.characters(blacklist_characters="*\r"), min_size=1, max_size=20)


@settings(SLOW_OK, max_examples=1000)
@given(st.lists(secret_text, min_size=1, max_size=3), st.lists(st.text(max_size=10), max_size=6))
def test_redactor_leaves_no_secret_and_is_idempotent(secrets: list[str], noise: list[str]) -> None:
    fuzzed("redactor (hypothesis)")
    redact = Redactor(secrets)
    # Secrets echoed whole, between arbitrary text, once through a terminal (LF -> CRLF).
    text = "".join(n + secrets[i % len(secrets)] for i, n in enumerate(noise)) + secrets[0]
    for shown in (text, text.replace("\n", "\r\n")):
        out = redact(shown)
        for s in secrets:
            assert s not in out
        assert MASK in out
        assert redact(out) == out
