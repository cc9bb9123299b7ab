"""A runbook page from what a reader found: front matter, body, and what a person must look at.

The page says what it is and what is missing: its front matter has the title, the target when
`--target` gave one (a comment otherwise), no `reviewed` date (a comment shows where it goes, and
`runbookdocs check` warns until a person adds it), and the secrets its blocks need. Blocks that
must not run (Windows commands, interactive programs) carry `skip="..."` with the reason.
The prose the import adds (reasons, secret descriptions, admonition titles) follows `--lang`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from runbookdocs.i18n import Catalog, Texts
from runbookdocs.importer import classify as cl
from runbookdocs.importer.model import Code, Element, Heading, Item, Para, Table
from runbookdocs.importer.render import PageLine
from runbookdocs.importer.report import ImportReport
from runbookdocs.importer.secrets import Secrets

CATALOG = Catalog(
    "import",
    {
        "imported": {
            "en": "# Imported from {source} by 'runbookdocs import': read the import report.",
            "fr": "# Importé de {source} par 'runbookdocs import' : lire le rapport d'import.",
        },
        "target": {
            "en": "# target: debian   # where the steps run: choose the target, then uncomment",
            "fr": "# target: debian   # où les étapes s'exécutent : choisir la cible, puis "
            "décommenter",
        },
        "reviewed": {
            "en": "# reviewed: YYYY-MM-DD   # the day a person checked this page against the "
            "real system",
            "fr": "# reviewed: AAAA-MM-JJ   # le jour où une personne a vérifié cette page sur le "
            "vrai système",
        },
        "variables": {
            "en": "variables: {}   # values used as {{ name }} in blocks",
            "fr": "variables: {}   # valeurs utilisées comme {{ nom }} dans les blocs",
        },
        "secret": {
            "en": "'{what}' in {where}: its value comes from the environment variable {name}",
            "fr": "« {what} » dans {where} : sa valeur vient de la variable d'environnement {name}",
        },
        "skip_windows": {
            "en": "Windows only: cannot run in a Linux target",
            "fr": "Windows uniquement : ne s'exécute pas dans une cible Linux",
        },
        "skip_interactive": {
            "en": "{command} is interactive: it waits for the keyboard",
            "fr": "{command} est interactif : il attend le clavier",
        },
        "untitled": {"en": "Imported manual", "fr": "Manuel importé"},
        "important": {"en": "Important", "fr": "Important"},
        "caution": {"en": "Caution", "fr": "Attention"},
    },
)

INTERACTIVE = frozenset(
    [
        "vi",
        "vim",
        "nvim",
        "nano",
        "emacs",
        "less",
        "more",
        "top",
        "htop",
        "watch",
        "screen",
        "tmux",
        "man",
        "mc",
        "ncdu",
    ]
)
_FOLLOW = re.compile(r"^(?:tail|journalctl|kubectl\s+logs|docker\s+logs)\b.*\s-[a-zA-Z]*[fF]\b")


@dataclass
class Page:
    """The converted page and where each of its lines came from."""

    lines: list[PageLine]
    title: str
    secrets: Secrets = field(default_factory=Secrets)

    @property
    def text(self) -> str:
        """The page as written."""
        return "\n".join(t for t, _ in self.lines).rstrip("\n") + "\n"

    def source_line(self, page_line: int) -> int | None:
        """The source position of page line `page_line` (the nearest one above it)."""
        for i in range(min(page_line, len(self.lines)) - 1, -1, -1):
            if self.lines[i][1] is not None:
                return self.lines[i][1]
        return None


def interactive(command: str) -> str | None:
    """The interactive program `command` starts (`less`, `tail -f`), or None."""
    text = re.sub(r"^[$#]\s+", "", command.strip())
    word = cl.first_word(text)
    if word in INTERACTIVE:
        return word
    words = text.split()
    rest = " ".join(words[words.index(word) :]) if word in words else text
    if _FOLLOW.match(rest):
        return " ".join(rest.split()[:2])
    return None


def block_skip(code: Code, t: Texts, report: ImportReport) -> None:
    """Mark a block that must not run: Windows commands, interactive programs."""
    if code.skip or code.lang not in ("bash", "sh", "shell", "console"):
        if code.lang in ("powershell", "batch") and not code.skip:
            report.add("person", code.line, f"{code.lang} block: Windows commands, not run")
        return
    commands = [ln for ln in code.lines if ln.strip() and not ln.startswith(("> ",))]
    if code.lang == "console":
        commands = [ln[2:] for ln in commands if ln.startswith(("$ ", "# "))]
    windows = [c for c in commands if cl.is_windows_command(c) or re.search(r"[A-Za-z]:\\", c)]
    if windows and len(windows) == len([c for c in commands if not c.startswith("#")]):
        code.skip = t("skip_windows")
        report.add("person", code.line, "Windows commands: block marked skip, check it by hand")
        return
    for command in commands:
        program = interactive(command)
        if program:
            code.skip = t("skip_interactive", command=program)
            report.add(
                "person",
                code.line,
                f"'{program}' is interactive: block marked skip (a person runs it)",
            )
            return


def finish(
    elements: list[Element], *, title_default: str, t: Texts, report: ImportReport
) -> tuple[list[Element], str, Secrets]:
    """Secrets replaced, skips marked, steps for a person noted, a title ensured."""
    secrets = Secrets()
    section = ""
    gui: dict[str, list[int]] = {}
    windows: dict[str, list[int]] = {}
    for e in elements:
        if isinstance(e, Heading):
            section = e.text
        elif isinstance(e, Code):
            nums = e.source_lines or [e.line] * len(e.lines)
            before = list(e.lines)
            e.lines = secrets.in_code(e.lang, e.lines, nums)
            note_secrets(before, e.lines, nums, secrets, report)
            block_skip(e, t, report)
            report.kinds[e.lang] += 1
        elif isinstance(e, (Para, Item)):
            before = list(e.lines)
            e.lines = [secrets.in_prose(text, e.line + k) for k, text in enumerate(e.lines)]
            note_secrets(
                before, e.lines, [e.line + k for k in range(len(e.lines))], secrets, report
            )
            text = " ".join(e.lines)
            if cl.mentions_gui(text):
                gui.setdefault(section, []).append(e.line)
            if cl.mentions_windows(text):
                windows.setdefault(section, []).append(e.line)
        elif isinstance(e, Table):
            e.rows = [[secrets.in_prose(c, e.line) for c in row] for row in e.rows]
    for name, lines in gui.items():
        report.add(
            "person",
            lines[0],
            f"{_section(name)}{len(lines)} step(s) in a graphical interface (at "
            f"{_positions(lines)}): done by hand, nothing checks them",
        )
    for name, lines in windows.items():
        report.add(
            "person",
            lines[0],
            f"{_section(name)}Windows-only procedure (at {_positions(lines)}): it cannot run in "
            "a Linux target",
        )
    title = next((e.text for e in elements if isinstance(e, Heading) and e.level == 1), "")
    if not title:
        title = title_default or t("untitled")
        elements.insert(0, Heading(elements[0].line if elements else 1, 0, level=1, text=title))
    return elements, _plain(title), secrets


def _section(name: str) -> str:
    return f"section '{name}': " if name else ""


def _positions(lines: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:6])
    return shown + (f" and {len(lines) - 6} more" if len(lines) > 6 else "")


def note_secrets(
    before: Sequence[str],
    after: Sequence[str],
    nums: Sequence[int],
    secrets: Secrets,
    report: ImportReport,
) -> None:
    for k, (a, b) in enumerate(zip(before, after, strict=False)):
        if a != b:
            names = re.findall(r"\{\{ (\w+) \}\}", b)
            fresh = [n for n in names if "{{ " + n + " }}" not in a]
            for name in fresh:
                report.add(
                    "secret",
                    nums[k] if k < len(nums) else None,
                    f"value of '{secrets.names[name].key}' replaced by {{{{ {name} }}}} "
                    "(declared under runbook.secrets; never copied into the page)",
                )


def _plain(text: str) -> str:
    """A heading's text without Markdown emphasis or code marks, for the front matter."""
    return re.sub(r"[*_`]+|\\(?=[<#])", "", text).strip()


def front_matter(
    title: str,
    *,
    target: str | None,
    secrets: Secrets,
    source: str,
    report: ImportReport,
    t: Texts,
) -> list[str]:
    """The front matter of an imported page (YAML lines, `---` included)."""
    lines = ["---", t("imported", source=source), f"title: {json.dumps(title, ensure_ascii=False)}"]
    lines.append("runbook:")
    lines.append(f"  target: {target}" if target else "  " + t("target"))
    lines.append("  " + t("reviewed"))
    if secrets.names:
        lines.append("  secrets:")
        for name, secret in secrets.names.items():
            mark = "¶" if report.unit == "paragraph" else ""
            where = f"{source}:{mark}{secret.line}" if secret.line else source
            text = t("secret", what=secret.key, where=where, name=name)
            lines.append(f"    {name}: {json.dumps(text, ensure_ascii=False)}")
    elif not target:
        lines.append("  " + t("variables"))
    lines.append("---")
    return lines


__all__ = [
    "CATALOG",
    "Page",
    "block_skip",
    "finish",
    "front_matter",
    "interactive",
    "note_secrets",
]
