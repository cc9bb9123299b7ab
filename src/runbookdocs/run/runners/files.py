"""Blocks with `file=`: written into the target verbatim (then `mode=`, `owner=`, `check=`).

Any block but a transcript or a decision tree can be a file: a JSON or YAML configuration, an
nginx site, a systemd unit, a crontab, a script. The block's text (placeholders filled in) is
sent as one `printf %b` word of escapes, so no quoting or here-document delimiter of the shell
can change it, and written with builtins only (no function or alias of the runbook can).
`file=` and `owner=` may hold placeholders (`file="/etc/nginx/sites-available/{{ site }}"`);
filled in, they must still be an absolute path and a user[:group]. `check=` is a command run in
the target once the file is written (`check="nginx -t"`): the block holds when it exits 0.

In `play`, such a step is done as a whole: it holds when the file has the block's text
(`holds`).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from runbookdocs import codes, transcript
from runbookdocs.block import OWNER, Block
from runbookdocs.i18n import Catalog
from runbookdocs.run.runners import Runner, Seen, Verdict, register_runner, sabotaged, tail
from runbookdocs.run.runners.console import TEXTS as CONSOLE
from runbookdocs.run.runners.console import learner_diff
from runbookdocs.run.session import shell_word

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
        "bad-path": {
            "en": "file={given!r} is {filled!r} once filled in: not an absolute path",
            "fr": "file={given!r} donne {filled!r} : pas un chemin absolu",
        },
        "bad-owner": {
            "en": "owner={given!r} is {filled!r} once filled in: not user or user:group",
            "fr": "owner={given!r} donne {filled!r} : ni utilisateur ni utilisateur:groupe",
        },
        "check-failed": {
            "en": "{file} was written, but its check `{check}` exited {status}",
            "fr": "{file} est écrit, mais sa vérification `{check}` a fini avec le code {status}",
        },
        "check-hint": {
            "en": "the check runs in the target right after the file is written; its output "
            "is above",
            "fr": "la vérification s'exécute dans la cible juste après l'écriture ; sa sortie "
            "est ci-dessus",
        },
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


@register_runner("file")
class FileRunner(Runner):
    """Writes a block into its target (`file=`), then runs its `check=` command."""

    def run(self, block: Block, box: Sandbox, text: str) -> Verdict:
        t = TEXTS.for_language(box.lang)
        assert block.file is not None  # only blocks with file= are written
        target = _filled(block, box)
        if isinstance(target, Verdict):
            return target
        file, owner = target
        path = shlex.quote(file)
        # Builtins and `command -p` only: a function or alias of the runbook named like a
        # tool (`base64`, `printf`, `mkdir`) must not change what is written.
        tool = "\\builtin command -p"
        script = [
            f'{tool} mkdir -p -- "$({tool} dirname -- {path})"',
            f"\\builtin printf %b {shell_word(_with_newline(text))} >| {path}",
        ]
        if mode := block.attrs.get("mode"):
            script.append(f"{tool} chmod {shlex.quote(mode)} {path}")
        if owner:
            script.append(f"{tool} chown {shlex.quote(owner)} {path}")
        session = box.session(block)
        step = session.run(" && ".join(script), timeout=box.timeout(block))
        if (broken := sabotaged(block, box, step, block.location)) is not None:
            return broken
        lines = transcript.normalise(box.redact(step.output))
        if step.exit != 0:
            why = t("not-written", file=file, target=block.run_target, status=step.exit)
            finding = codes.FILE_NOT_WRITTEN.at(block.location, why, detail=tail(lines))
            return Verdict(
                seen=[Seen(False, lines, why=why)], findings=[finding], output=tail(lines)
            )
        written = t("written", file=file)
        if check := block.attrs.get("check"):
            command, _ = box.fill(check)
            step = session.run(command, timeout=box.timeout(block))
            lines = transcript.normalise(box.redact(step.output))
            if step.exit != 0:
                why = t("check-failed", file=file, check=box.redact(check), status=step.exit)
                finding = codes.FILE_CHECK_FAILED.at(
                    block.location, why, detail=tail(lines), hint=t("check-hint")
                )
                return Verdict(
                    seen=[Seen(False, lines, why=why)], findings=[finding], output=tail(lines)
                )
        return Verdict(seen=[Seen(True, [written])], note=written)

    def holds(self, block: Block, box: Sandbox) -> Seen:
        """Whether the block's file holds its text (spacing at line ends and blank lines at
        the end aside): how `play` checks a `file=` step the learner did themselves."""
        t = TEXTS.for_language(box.lang)
        assert block.file is not None
        text, _ = box.fill(block.source)
        file, _ = box.fill(block.file)
        step = box.session(block).run(
            f"\\builtin command -p cat -- {shlex.quote(file)}", timeout=box.timeout(block)
        )
        if step.exit != 0:
            return Seen(False, why=t("missing", file=file))
        actual = transcript.normalise(step.output)
        expected = transcript.normalise(text)
        if actual != expected:
            console = CONSOLE.for_language(box.lang)
            return Seen(
                False,
                why=t("different", file=file),
                detail=learner_diff([transcript.escape(e) for e in expected], actual, console),
            )
        return Seen(True)


def _filled(block: Block, box: Sandbox) -> tuple[str, str | None] | Verdict:
    """`file=` and `owner=` with their placeholders filled in, or the verdict refusing them:
    once filled in, they reach a command line (quoted), so they are judged again."""
    t = TEXTS.for_language(box.lang)
    assert block.file is not None
    file, _ = box.fill(block.file)
    if not file.startswith("/"):
        why = t("bad-path", given=block.file, filled=box.redact(file))
        return Verdict.failed(codes.NOT_RUN_UNSAFE.at(block.location, why))
    owner = block.attrs.get("owner")
    if owner is not None:
        filled, _ = box.fill(owner)
        if not OWNER.fullmatch(filled):
            why = t("bad-owner", given=owner, filled=box.redact(filled))
            return Verdict.failed(codes.NOT_RUN_UNSAFE.at(block.location, why))
        owner = filled
    return file, owner


def _with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"


__all__ = ["FileRunner"]
