"""A runbook as a lesson: the ordered steps a learner goes through, with the prose before each.

A *step* is a block the reader sees that the sandbox can run (shell, console, SQL, a config block
with `file=`), or one it cannot (`skip=`), shown with its reason and only to read. Hidden blocks
are set-up: each runs, unseen, just before the next step (the order of the page is kept, so a
hidden block between two steps prepares the second one). A hidden block with the class `.check`
that comes right after a step is that step's *check*: in practice mode the step passes when it
holds, whatever commands the learner typed.

````markdown
```bash {#creer-utilisateur}
useradd --create-home exploit
```

```bash {.check hidden=true}
id exploit
```
````

Pure data: nothing here starts a container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from runbookdocs.block import Block
from runbookdocs.document import Document
from runbookdocs.i18n import DEFAULT, Catalog

CHECK_CLASS = "check"

_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_ADMONITION = re.compile(
    r"^(?P<indent>\s*)(?:!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)(?:\s+\"(?P<title>[^\"]*)\")?\s*$"
)
_TAB = re.compile(r"^(?P<indent>\s*)===\+?\s+\"(?P<title>[^\"]*)\"\s*$")
_HEADING_ATTRS = re.compile(r"^(?P<heading>#{1,6}\s.*?)\s*\{[^{}]*\}\s*$")
_TREE_TITLE = re.compile(r"^title:\s*(.+)$", re.MULTILINE)
_SNIPPET = re.compile(r"^\s*-{2}8<-{2}")
TEXTS = Catalog(
    "play.steps",
    {
        # An admonition written without a title: the site shows its kind (`!!! warning` ->
        # Warning); a learner reads it in their language.
        "admonition-note": {"en": "Note", "fr": "Note"},
        "admonition-abstract": {"en": "Abstract", "fr": "Résumé"},
        "admonition-info": {"en": "Info", "fr": "Information"},
        "admonition-tip": {"en": "Tip", "fr": "Astuce"},
        "admonition-success": {"en": "Success", "fr": "Succès"},
        "admonition-question": {"en": "Question", "fr": "Question"},
        "admonition-warning": {"en": "Warning", "fr": "Attention"},
        "admonition-failure": {"en": "Failure", "fr": "Échec"},
        "admonition-danger": {"en": "Danger", "fr": "Danger"},
        "admonition-bug": {"en": "Bug", "fr": "Bogue"},
        "admonition-example": {"en": "Example", "fr": "Exemple"},
        "admonition-quote": {"en": "Quote", "fr": "Citation"},
        "tree": {
            "en": "*Decision tree: walk it on the site.*",
            "fr": "*Arbre de décision : à parcourir sur le site.*",
        },
        "tree-titled": {
            "en": "*Decision tree “{title}”: walk it on the site.*",
            "fr": "*Arbre de décision « {title} » : à parcourir sur le site.*",
        },
    },
)


@dataclass(frozen=True)
class Step:
    """One step of the lesson."""

    number: int
    """1-based position among the steps."""
    block: Block
    """The block the reader sees."""
    prose: str
    """Markdown between the previous step and this block (headings, paragraphs, notes)."""
    setup: tuple[Block, ...] = ()
    """Hidden set-up blocks that run, unseen, before this step is shown."""
    check: Block | None = None
    """The hidden `.check` block right after the block, if any."""

    @property
    def read_only(self) -> bool:
        """True for a step the sandbox does not run (`skip=`): shown with its reason."""
        return self.block.skip_reason is not None


@dataclass(frozen=True)
class Lesson:
    """The steps of a runbook and the prose after the last one."""

    doc: Document
    steps: tuple[Step, ...]
    epilogue: str = ""

    @property
    def practisable(self) -> int:
        """Steps that run in the sandbox (the others are only to read)."""
        return sum(not s.read_only for s in self.steps)


def is_check(block: Block) -> bool:
    """True for a hidden block marked `.check`."""
    return block.hidden and CHECK_CLASS in block.classes


def build_lesson(doc: Document, lang: str = DEFAULT) -> Lesson:
    """Cut a runbook into steps: every block the reader sees that runs, or is `skip=`.

    Args:
        doc: the runbook.
        lang: the learner's language, for what the lesson adds to the page's own prose (the
            default titles of admonitions, the line that stands for a decision tree).
    """
    lines = doc.text.split("\n")
    start = doc.front.end_line + 1  # first page line after the front matter
    hidden_spans: list[tuple[int, int]] = []
    for block in doc.blocks:
        if block.kind == "decision-tree" and not block.hidden:
            # Its YAML would mean nothing in a terminal: a line says where to walk it.
            hidden_spans.append((block.line + 1, block.end_line))
            lines = _tree_note(lines, block, lang)
    steps: list[Step] = []
    setup: list[Block] = []
    blocks = doc.blocks
    for i, block in enumerate(blocks):
        if block.hidden:
            hidden_spans.append((block.line, block.end_line))
            if is_check(block):
                continue  # the check of the step before it (see below), never set-up
            if block.executable and block.skip_reason is None:
                setup.append(block)
            continue
        if not (block.executable or block.skip_reason is not None) or block.kind == "decision-tree":
            continue  # shown with the prose around it
        check = blocks[i + 1] if i + 1 < len(blocks) and is_check(blocks[i + 1]) else None
        prose = _prose(lines, start, block.line - 1, hidden_spans, lang)
        steps.append(Step(len(steps) + 1, block, prose, tuple(setup), check))
        setup = []
        start = block.end_line + 1
    epilogue = _prose(lines, start, len(lines), hidden_spans, lang)
    return Lesson(doc, tuple(steps), epilogue)


def _tree_note(lines: list[str], block: Block, lang: str) -> list[str]:
    m = _TREE_TITLE.search(block.source)
    if m:
        note = TEXTS.text(lang, "tree-titled", title=m.group(1).strip().strip("\"'"))
    else:
        note = TEXTS.text(lang, "tree")
    out = list(lines)
    out[block.line - 1] = " " * block.indent + note
    return out


def _prose(
    lines: list[str], first: int, last: int, hidden: list[tuple[int, int]], lang: str
) -> str:
    """Page lines `first`..`last` (1-based, inclusive) as Markdown a terminal can render."""
    kept = [
        lines[n - 1]
        for n in range(first, min(last, len(lines)) + 1)
        if not any(a <= n <= b for a, b in hidden) and not _SNIPPET.match(lines[n - 1])
    ]
    text = _COMMENT.sub("", "\n".join(kept))
    return terminal_markdown(text, lang).strip("\n")


def terminal_markdown(text: str, lang: str = DEFAULT) -> str:
    """Material for MkDocs syntax as plain Markdown: admonitions and content tabs become
    quoted blocks and bold titles (an admonition without a title gets its kind's default title
    in `lang`, as Material shows it), heading attributes (`{#id}`) go away.

    Their bodies are indented by four spaces, which plain Markdown would show as code.
    """
    out: list[str] = []
    containers: list[tuple[int, str]] = []  # (indent of the body, prefix of its lines)
    for line in text.split("\n"):
        while containers and line.strip() and _indent(line) < containers[-1][0]:
            closed = containers.pop()[1].rstrip()
            # Blank lines at the end of a container belong outside it.
            while closed and out and out[-1] == closed:
                out.pop()
            out.append("")
        depth, prefix = containers[-1] if containers else (0, "")
        body = line[depth:] if line.strip() else ""
        if m := _ADMONITION.match(body):
            title = m.group("title")
            if title is None:
                kind = m.group("kind")
                key = f"admonition-{kind}"
                title = TEXTS.text(lang, key) if key in TEXTS.messages else kind.capitalize()
            out += [f"{prefix}> **{title}**" if title else f"{prefix}>", f"{prefix}>"]
            containers.append((depth + len(m.group("indent")) + 4, f"{prefix}> "))
            continue
        if m := _TAB.match(body):
            out += [f"{prefix}**{m.group('title')}**", prefix.rstrip()]
            containers.append((depth + len(m.group("indent")) + 4, prefix))
            continue
        if m := _HEADING_ATTRS.match(body):
            body = m.group("heading")
        out.append(f"{prefix}{body}".rstrip())
    return "\n".join(out)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


# What a learner types one command at a time is the runners' business; named here too for the
# callers of this module.
from runbookdocs.run.runners.shell import complete_shell, shell_commands  # noqa: E402
from runbookdocs.run.runners.sql import sql_statements  # noqa: E402

__all__ = [
    "CHECK_CLASS",
    "TEXTS",
    "Lesson",
    "Step",
    "build_lesson",
    "complete_shell",
    "is_check",
    "shell_commands",
    "sql_statements",
    "terminal_markdown",
]
