"""Console transcripts: each `$ ` command typed at the prompt, judged by its status and output.

Every command of the transcript runs, even after one failed (a transcript shows what each
command prints); the block fails when any of them differs, each difference reported at its own
command's line. With `--update`, differences in output are written into the page
(`transcript.update`: matchers that still match are kept byte for byte; a ` (re)` line that no
longer matches is kept and reported). A command whose exit status differs is never "updated":
a failing status is a failure to fix, not output to record.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from runbookdocs import codes, transcript
from runbookdocs.block import Block
from runbookdocs.i18n import Catalog, Texts
from runbookdocs.results import Finding
from runbookdocs.run.runners import (
    OUTPUT_LINES,
    Runner,
    Seen,
    Verdict,
    looks_like_error,
    not_recordable,
    register_runner,
    sabotaged,
    shorten,
    slow_prompts,
    slow_regexes,
    step_note,
    tail,
)

if TYPE_CHECKING:
    from runbookdocs.run.sandbox import Sandbox
    from runbookdocs.run.session import Reply

_DIFF_LINES = 12

TEXTS = Catalog(
    "run.runners.console",
    {
        "exited": {
            "en": "`{command}` exited {status} (expected {expected})",
            "fr": "`{command}` a fini avec le code {status} (la page attend {expected})",
        },
        "exited-attempt": {
            "en": "exited {status} (expected {expected})",
            "fr": "la commande a fini avec le code {status} (la page attend {expected})",
        },
        "differs-attempt": {
            "en": "the output is not what the page shows",
            "fr": "la sortie n'est pas celle que la page attend",
        },
        "differs": {
            "en": "output of `{command}` differs from the transcript",
            "fr": "la sortie de `{command}` n'est pas celle que la page attend",
        },
        "update-hint": {
            "en": "rerun with --update to write the new output into the page",
            "fr": "relancez avec --update pour écrire la nouvelle sortie dans la page",
        },
        "error-hint": {
            "en": "the command printed what reads as an error ({line!r}): check the steps "
            "before it rather than recording this output",
            "fr": "la commande a affiché ce qui ressemble à une erreur ({line!r}) : vérifiez les"
            " étapes précédentes plutôt que d'enregistrer cette sortie",
        },
        "status-hint": {
            "en": "--update records output, never a failing status: fix what makes the command "
            "fail, or write [{status}] under it when the page means it",
            "fr": "--update enregistre la sortie, jamais un code d'échec : corrigez ce qui fait "
            "échouer la commande, ou écrivez [{status}] sous elle si la page le veut",
        },
        "timeout-used": {
            "en": "not run: the block's timeout ({seconds} s) was used up",
            "fr": "non exécutée : le délai du bloc ({seconds} s) est épuisé",
        },
        "matcher-kept": {
            "en": "`{line}` no longer matches `{actual}`: --update kept it",
            "fr": "`{line}` ne correspond plus à `{actual}` : --update l'a gardée",
        },
        "matcher-kept-hint": {
            "en": "edit the pattern, or replace the line with the new output",
            "fr": "corrigez le motif, ou remplacez la ligne par la nouvelle sortie",
        },
        "updated-error": {
            "en": "--update wrote output of `{command}` that reads as an error: {line!r}",
            "fr": "--update a écrit une sortie de `{command}` qui ressemble à une erreur : "
            "{line!r}",
        },
        "updated-error-hint": {
            "en": "check that the page means it (an earlier step may have failed)",
            "fr": "vérifiez que la page le veut bien (une étape précédente a pu échouer)",
        },
        "expected-label": {"en": "expected ({where})", "fr": "attendu ({where})"},
        "expected-learner": {"en": "expected", "fr": "attendu"},
        "diff-legend": {"en": "(- expected, + actual)", "fr": "(- attendu, + obtenu)"},
        "more-lines": {"en": "[... {n} more line(s)]", "fr": "[... {n} ligne(s) de plus]"},
    },
)


@register_runner("console")
class ConsoleRunner(Runner):
    """Runs each command of a transcript as typed, and compares what it prints."""

    lexer = "console"

    def run(self, block: Block, box: Sandbox, text: str) -> Verdict:
        t = TEXTS.for_language(box.lang)
        parsed = transcript.parse(block)
        deadline = time.monotonic() + box.timeout(block)
        replies = box.replies(block)
        verdict = Verdict()
        outputs: list[str] = []
        for index, cmd in enumerate(parsed.commands):
            where = block.locate(cmd.line_index)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                why = t("timeout-used", seconds=f"{box.timeout(block):g}")
                verdict.findings.append(codes.TIMED_OUT.at(where, why))
                verdict.seen.append(
                    Seen(False, why=why, command=box.redact(cmd.text), prompt=cmd.prompt)
                )
                break
            seen, findings, lines = self._command(
                block,
                box,
                index,
                cmd,
                cmd.text,
                replies=replies,
                timeout=remaining,
                verdict=verdict,
            )
            verdict.seen.append(seen)
            verdict.findings += findings
            outputs += [f"{cmd.prompt} {seen.command}", *lines]
        if not verdict.ok:
            verdict.output = tail(outputs, OUTPUT_LINES * 2)
        return verdict

    def _command(
        self,
        block: Block,
        box: Sandbox,
        index: int,
        cmd: transcript.Command,
        typed: str,
        *,
        replies: list[Reply],
        timeout: float,
        verdict: Verdict | None,
    ) -> tuple[Seen, list[Finding], list[str]]:
        """Run `typed` as command `cmd`; with `verdict` (a whole block), `--update` edits go
        into it."""
        from runbookdocs.run.runners import TEXTS as COMMON

        t = TEXTS.for_language(box.lang)
        common = COMMON.for_language(box.lang)
        where = block.locate(cmd.line_index)
        command, unknown = box.fill(typed)
        shown = shorten(box.redact(typed.split("\n")[0] if verdict is not None else typed))
        if unknown:
            why = common("unknown-value", name=unknown[0])
            return (
                Seen(False, why=why, command=shown, prompt=cmd.prompt),
                [codes.UNKNOWN_VALUE.at(where, why, hint=common("unknown-value-hint"))],
                [],
            )
        step = box.session(block).run(command, timeout=timeout, replies=replies, typed=True)
        if (broken := sabotaged(block, box, step, where)) is not None:
            return (
                Seen(False, broken.seen[0].output, why=broken.seen[0].why, command=shown,
                     prompt=cmd.prompt),
                broken.findings,
                broken.seen[0].output,
            )  # fmt: skip
        slow = slow_prompts(block, box, step)
        actual = transcript.normalise(box.redact(step.output))
        expected = box.expected(cmd.expected)
        seen = Seen(True, actual, command=shown, prompt=cmd.prompt)
        note = step_note(step, common, block.session)
        if step.timed_out:
            why = common("timed-out", command=f"`{shown}` ", seconds=f"{box.timeout(block):g}")
            why += f"; {note}" if note else ""
            seen.ok, seen.why = False, why
            finding = codes.TIMED_OUT.at(
                where, why, detail=tail(actual), hint=common("timed-out-hint")
            )
            return seen, [finding, *slow], actual
        if step.exit == cmd.exit and transcript.match(expected, actual):
            return seen, slow, actual
        slow += slow_regexes(block, box, cmd.expected, expected, cmd.output_index)
        label = t("expected-label", where=where)
        detail = transcript.diff(
            expected, actual, exit=step.exit, expected_exit=cmd.exit, label=label
        )
        seen.ok = False
        seen.detail = learner_diff(expected, actual, t)
        # A learner's attempt (no `verdict`) needs no quote of what they just typed.
        attempt = verdict is None
        if step.exit != cmd.exit:
            key = "exited-attempt" if attempt else "exited"
            why = t(key, command=shown, status=step.exit, expected=cmd.exit)
            why += f"; {note}" if note else ""
            seen.why = why
            hint = t("status-hint", status=step.exit) if step.exit else None
            return seen, [codes.EXIT_STATUS.at(where, why, detail=detail, hint=hint), *slow], actual
        why = t("differs-attempt" if attempt else "differs", command=shown)
        seen.why = why
        error = looks_like_error(actual)
        if verdict is None or not box.update:
            hint = t("error-hint", line=error) if error else t("update-hint")
            return (
                seen,
                [codes.OUTPUT_DIFFERS.at(where, why, detail=detail, hint=hint), *slow],
                actual,
            )
        # --update: the new expected output goes into the page; what cannot is reported.
        new, stale = transcript.update(expected, actual, step.exit)
        originals = dict(zip(expected, cmd.expected, strict=True))
        # Lines kept as they were keep their placeholders.
        lines = [originals.get(line, line) for line in new]
        if (refused := not_recordable(step, lines, where, box)) is not None:
            return seen, [refused, *slow], actual
        verdict.edits.append(transcript.command_edit(cmd, lines))
        verdict.updated += 1
        findings: list[Finding] = list(slow)
        for k in stale:
            findings.append(
                codes.MATCHER_KEPT.at(
                    block.locate(cmd.output_index + k),
                    t(
                        "matcher-kept",
                        line=cmd.expected[k],
                        actual=_counterpart(expected, actual, k),
                    ),
                    hint=t("matcher-kept-hint"),
                )
            )
        if error:
            findings.append(
                codes.UPDATED_ERROR.at(
                    where,
                    t("updated-error", command=shown, line=error),
                    hint=t("updated-error-hint"),
                )
            )
        seen.ok = not stale
        return seen, findings, actual

    # -- play ------------------------------------------------------------------------------

    def commands(self, block: Block) -> list[str]:
        return [cmd.text for cmd in transcript.parse(block).commands]

    def attempt(self, block: Block, box: Sandbox, index: int, typed: str) -> Seen:
        cmd = transcript.parse(block).commands[index]
        seen, _, _ = self._command(
            block,
            box,
            index,
            cmd,
            typed,
            replies=box.replies(block),
            timeout=box.timeout(block),
            verdict=None,
        )
        return seen


def _counterpart(expected: list[str], actual: list[str], k: int) -> str:
    """The actual line a kept matcher stood for (for the message)."""
    position = -1
    pending: str | None = None
    for e, a in transcript.align(expected, actual):
        if e is not None:
            position += 1
            if position == k:
                pending = "" if a is None else a
                continue
        if pending == "" and e is None and a is not None:
            return a
        if pending is not None:
            break
    return pending or ""


def learner_diff(expected: list[str], actual: list[str], t: Texts) -> list[str]:
    """The difference as a learner reads it: no file headers, at most a dozen lines."""
    text = transcript.diff(expected, actual, label=t("expected-learner"))
    lines = [ln for ln in text.split("\n")[2:] if not ln.startswith("@@")]
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], t("more-lines", n=len(lines) - _DIFF_LINES)]
    return [t("diff-legend"), *lines] if lines else []


__all__ = ["TEXTS", "ConsoleRunner", "learner_diff"]
