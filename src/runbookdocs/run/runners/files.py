"""Configuration blocks with `file=`: written into the target (then `mode=`, `owner=`).

The block's text (placeholders filled in) is sent base64-encoded, so no quoting or here-document
delimiter of the shell can change it. In `play`, such a step is done as a whole: it holds when
the file has the block's text (`holds`).
"""

from __future__ import annotations

import base64
import shlex
from typing import TYPE_CHECKING

from runbookdocs import codes, transcript
from runbookdocs.block import Block
from runbookdocs.i18n import Catalog
from runbookdocs.run.runners import Runner, Seen, Verdict, register_runner, sabotaged, tail
from runbookdocs.run.runners.console import TEXTS as CONSOLE
from runbookdocs.run.runners.console import learner_diff

if TYPE_CHECKING:
    from runbookdocs.run.sandbox import Sandbox

TEXTS = Catalog(
    "run.runners.files",
    {
        "not-written": {
            "en": "cannot write {file} into target {target!r} (exit {status})",
            "fr": "impossible d'écrire {file} dans la cible {target!r} (code {status})",
        },
        "written": {"en": "written to {file}", "fr": "{file} écrit"},
        "missing": {
            "en": "{file} does not exist (or cannot be read)",
            "fr": "{file} n'existe pas (ou ne se lit pas)",
        },
        "different": {
            "en": "{file} does not hold the block's text",
            "fr": "{file} n'a pas le contenu attendu",
        },
    },
)


@register_runner("json", "yaml", "ini", "toml")
class FileRunner(Runner):
    """Writes a configuration block into its target (`file=`)."""

    def run(self, block: Block, box: Sandbox, text: str) -> Verdict:
        t = TEXTS.for_language(box.lang)
        assert block.file is not None  # only blocks with file= are executable
        path = shlex.quote(block.file)
        data = base64.b64encode(_with_newline(text).encode("utf-8")).decode("ascii")
        script = [f'mkdir -p "$(dirname {path})"', f"printf %s {data} | base64 -d > {path}"]
        if mode := block.attrs.get("mode"):
            script.append(f"chmod {shlex.quote(mode)} {path}")
        if owner := block.attrs.get("owner"):
            script.append(f"chown {shlex.quote(owner)} {path}")
        step = box.session(block).run(" && ".join(script), timeout=box.timeout(block))
        if (broken := sabotaged(block, box, step, block.location)) is not None:
            return broken
        lines = transcript.normalise(box.redact(step.output))
        if step.exit != 0:
            why = t("not-written", file=block.file, target=block.run_target, status=step.exit)
            finding = codes.FILE_NOT_WRITTEN.at(block.location, why, detail=tail(lines))
            return Verdict(
                seen=[Seen(False, lines, why=why)], findings=[finding], output=tail(lines)
            )
        written = t("written", file=block.file)
        return Verdict(seen=[Seen(True, [written])], note=written)

    def holds(self, block: Block, box: Sandbox) -> Seen:
        """Whether the block's file holds its text (spacing at line ends and blank lines at
        the end aside): how `play` checks a `file=` step the learner did themselves."""
        t = TEXTS.for_language(box.lang)
        assert block.file is not None
        text, _ = box.fill(block.source)
        step = box.session(block).run(
            f"cat -- {shlex.quote(block.file)}", timeout=box.timeout(block)
        )
        if step.exit != 0:
            return Seen(False, why=t("missing", file=block.file))
        actual = transcript.normalise(step.output)
        expected = transcript.normalise(text)
        if actual != expected:
            console = CONSOLE.for_language(box.lang)
            return Seen(
                False,
                why=t("different", file=block.file),
                detail=learner_diff([transcript.escape(e) for e in expected], actual, console),
            )
        return Seen(True)


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


__all__ = ["FileRunner"]
