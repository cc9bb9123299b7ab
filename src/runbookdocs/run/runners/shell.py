"""Shell blocks (`bash`, `sh`, `shell`): every top-level command counts.

A shell block runs as one step of its session. It stops at its first top-level command that
fails, with bash's own rules (those of `set -e`: `if`/`while` tests, `&&`/`||` lists but their
last command, pipelines but their last command and `!` keep their shell meaning; a function call
or a subshell counts as one command). The block passes when the status it stopped at — or, when
nothing stopped it, the status of its last command — is `expect=` (default 0). A failure is
reported at the line of the command that stopped the block, with what that command printed.

`status=last` on a block keeps the older rule: only the status of the last command counts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import TYPE_CHECKING

from runbookdocs import codes
from runbookdocs.block import Block
from runbookdocs.i18n import Catalog
from runbookdocs.location import Location
from runbookdocs.run.runners import (
    OUTPUT_LINES,
    Runner,
    Seen,
    Verdict,
    register_runner,
    sabotaged,
    shorten,
    slow_prompts,
    step_note,
    tail,
)
from runbookdocs.run.session import PROLOGUE_LINES
from runbookdocs.transcript import has_user_prompt, normalise

if TYPE_CHECKING:
    from runbookdocs.run.sandbox import Sandbox
    from runbookdocs.run.session import StepResult

LAST = "last"
"""`status=last`: only the last command's status counts (the opt-out)."""

# bash names the line of the step file it stopped at: mapped back to the page.
# (No `\S*` before it: on a long line without a `/` that would be quadratic.)
STEP_FILE = re.compile(r"(?:/[\w.+-]+)*/\.runbookdocs\.\w+/\d+\.sh: line (\d+)")

TEXTS = Catalog(
    "run.runners.shell",
    {
        "what": {"en": "shell block{ref}", "fr": "bloc shell{ref}"},
        "exited": {
            "en": "`{command}` exited {status} (expected {expected})",
            "fr": "`{command}` a fini avec le code {status} (la page attend {expected})",
        },
        "typed-exited": {
            "en": "the command exited {status} (expected {expected})",
            "fr": "la commande a fini avec le code {status} (la page attend {expected})",
        },
        "block-exited": {
            "en": "exited {status} (expected {expected})",
            "fr": "a fini avec le code {status} (la page attend {expected})",
        },
        "prompt": {
            "en": "`{command}` starts with a shell prompt `$ `: bash ran `$` as a command "
            "(exit {status})",
            "fr": "`{command}` commence par une invite `$ ` : bash a exécuté `$` comme une "
            "commande (code {status})",
        },
        "prompt-hint": {
            "en": "tag the block ```console (a transcript: commands and their output) or drop "
            "the `$ ` prompts",
            "fr": "marquez le bloc ```console (une transcription : commandes et sortie) ou "
            "retirez les invites `$ `",
        },
        "stopped-hint": {
            "en": "the block stops at its first failing command; write `cmd || true` when a "
            "failure is expected, expect=N when the block should stop there, or status=last "
            "to judge only the last command",
            "fr": "le bloc s'arrête à sa première commande en échec ; écrivez `cmd || true` "
            "quand l'échec est prévu, expect=N quand le bloc doit s'arrêter là, ou "
            "status=last pour ne juger que la dernière commande",
        },
    },
)


@register_runner("shell")
class ShellRunner(Runner):
    """Runs a shell block as one step; judges it by the command it stopped at."""

    lexer = "bash"

    def run(self, block: Block, box: Sandbox, text: str) -> Verdict:
        each = block.attrs.get("status") != LAST
        step = box.session(block).run(
            text, timeout=box.timeout(block), replies=box.replies(block), each=each
        )
        verdict = judge(block, box, step, text, expect=block.expect, each=each)
        verdict.findings += slow_prompts(block, box, step)
        return verdict

    def commands(self, block: Block) -> list[str]:
        return shell_commands(block.source)

    def attempt(self, block: Block, box: Sandbox, index: int, typed: str) -> Seen:
        last = index == len(self.commands(block)) - 1
        step = box.session(block).run(
            typed, timeout=box.timeout(block), replies=box.replies(block), typed=True
        )
        verdict = judge(block, box, step, typed, expect=block.expect if last else 0, typed=True)
        return verdict.seen[0]


def judge(
    block: Block,
    box: Sandbox,
    step: StepResult,
    text: str,
    *,
    expect: int,
    each: bool = False,
    typed: bool = False,
) -> Verdict:
    """The verdict on a shell step: passed when it stopped (or ended) with status `expect`.

    Args:
        text: what ran (placeholders filled in): the source of a block, or a typed command.
        each: the step ran with `each=True` (it stops at its first failing command).
        typed: `text` was typed by a learner (messages quote it, not the block).
    """
    from runbookdocs.run.runners import TEXTS as COMMON

    if (broken := sabotaged(block, box, step, block.location)) is not None:
        return broken
    t = TEXTS.for_language(box.lang)
    common = COMMON.for_language(box.lang)
    output = box.redact(step.output.replace("\r\n", "\n"))
    lines = normalise(output)
    note = step_note(step, common, block.session)
    what = t("what", ref=f" #{block.id}" if block.id else "")
    if step.timed_out:
        index = (step.last_line or 1) - 1 if each and not typed else None
        command = _command(block, text, index, box) if index is not None else ""
        why = common(
            "timed-out",
            command=f"`{command}` " if command else "",
            seconds=f"{box.timeout(block):g}",
        )
        return _failure(
            block,
            box,
            codes.TIMED_OUT,
            what,
            why,
            note,
            output,
            _shown_lines(step, box, lines),
            index=index,
            hint=common("timed-out-hint"),
        )
    if step.exit == expect:
        return Verdict(seen=[Seen(True, lines)], note=note)
    if step.line and not typed:
        index = step.line - 1
        command = _command(block, text, index, box)
        shown = _shown_lines(step, box, lines)
        source_line = _source_line(block, text, index)
        if step.exit == 127 and has_user_prompt(source_line):
            why = t("prompt", command=command, status=step.exit)
            return _failure(
                block,
                box,
                codes.PROMPT_RAN,
                what,
                why,
                note,
                output,
                shown,
                index=index,
                hint=t("prompt-hint"),
            )
        why = t("exited", command=command, status=step.exit, expected=expect)
        hint = t("stopped-hint") if index < _last_index(text) else None
        return _failure(
            block, box, codes.EXIT_STATUS, what, why, note, output, shown, index=index, hint=hint
        )
    if typed:
        why = t("typed-exited", status=step.exit, expected=expect)
    else:
        why = t("block-exited", status=step.exit, expected=expect)
    return _failure(block, box, codes.EXIT_STATUS, what, why, note, output, lines)


def _shown_lines(step: StepResult, box: Sandbox, lines: list[str]) -> list[str]:
    """What the command that stopped the step printed; what the block printed before it when
    that command printed nothing (or when it is not known)."""
    if step.command_output is None:
        return lines
    own = normalise(box.redact(step.command_output.replace("\r\n", "\n")))
    return own or lines


def _failure(
    block: Block,
    box: Sandbox,
    code: codes.Code,
    what: str,
    why: str,
    note: str,
    output: str,
    shown: list[str],
    *,
    index: int | None = None,
    hint: str | None = None,
) -> Verdict:
    from runbookdocs.run.runners import TEXTS as COMMON

    common = COMMON.for_language(box.lang)
    if note:
        why = f"{why}; {note}"
    location = block.locate(index) if index is not None else _located(block, output)
    detail = STEP_FILE.sub(lambda m: str(_step_line(block, m.group(1))), tail(shown))
    finding = code.at(
        location, common("prefixed", what=what, why=why), detail=box.redact(detail), hint=hint
    )
    report = STEP_FILE.sub(
        lambda m: str(_step_line(block, m.group(1))), tail(normalise(output), OUTPUT_LINES)
    )
    return Verdict(
        seen=[Seen(False, shown, why=why)],
        findings=[finding],
        output=box.redact(report),
    )


def _located(block: Block, output: str) -> Location:
    lines = STEP_FILE.findall(output)
    return _step_line(block, lines[-1]) if lines else block.location


def _step_line(block: Block, line: str) -> Location:
    """The page location of line `line` of a step file (the runner's own lines come first)."""
    return block.locate(max(int(line) - 1 - PROLOGUE_LINES, 0))


def _source_line(block: Block, text: str, index: int) -> str:
    """Line `index` of the block as the page writes it (placeholders, not their values),
    when filling placeholders kept the lines where they were."""
    source = block.source.split("\n")
    ran = text.split("\n")
    if len(source) == len(ran) and 0 <= index < len(source):
        return source[index]
    return ran[index] if 0 <= index < len(ran) else ""


def _command(block: Block, text: str, index: int, box: Sandbox) -> str:
    """The command starting at line `index`, continuation lines included, as quoted."""
    source = block.source.split("\n")
    lines = source if len(source) == len(text.split("\n")) else text.split("\n")
    parts: list[str] = []
    k = index
    while 0 <= k < len(lines):
        parts.append(lines[k].rstrip().removesuffix("\\"))
        if not lines[k].rstrip().endswith("\\"):
            break
        k += 1
    return shorten(box.redact(" ".join(parts)))


def _last_index(text: str) -> int:
    """Index of the last line that holds something (a command, most likely)."""
    lines = text.rstrip("\n").split("\n")
    for k in range(len(lines) - 1, -1, -1):
        if lines[k].strip() and not lines[k].lstrip().startswith("#"):
            return k
    return 0


def shell_commands(source: str) -> list[str]:
    """A shell block cut into the commands a learner types one at a time.

    Lines are gathered until bash reads them as complete (a function, a here-document, a line
    ending with a backslash or an open quote continue); comments and blank lines are dropped.
    Without bash on this machine the block is one command.
    """
    bash = shutil.which("bash")
    if bash is None:
        return [source.strip("\n")] if source.strip() else []
    commands: list[str] = []
    pending: list[str] = []
    for line in source.split("\n"):
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending.append(line)
        text = "\n".join(pending)
        if complete_shell(text, bash):
            commands.append(text)
            pending = []
    if pending:
        commands.append("\n".join(pending))
    return commands


def complete_shell(text: str, bash: str | None = None) -> bool:
    """True when bash reads `text` as whole commands (it is only parsed: `bash -n`)."""
    bash = bash or shutil.which("bash")
    if bash is None:
        return True
    if text.rstrip("\n").endswith("\\"):
        return False
    proc = subprocess.run(
        [bash, "-n"], input=text + "\n", capture_output=True, text=True, check=False
    )
    # An open here-document is only a warning: bash -n still exits 0. An open quote is
    # "unexpected EOF" since bash 5.2, "unexpected end of file" before.
    return not any(m in proc.stderr for m in ("end of file", "end-of-file", "unexpected EOF"))


__all__ = ["LAST", "ShellRunner", "complete_shell", "judge", "shell_commands"]
