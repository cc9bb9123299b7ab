"""SQL blocks: the statements go to the target's own client, which stops at the first error.

The client is the target's `sql` command (`mariadb --batch`, `psql -v ON_ERROR_STOP=1 ...`); the
block passes when the client exits `expect=` (default 0) and, when the block has an expected
result (`-- expect:` then `-- ` lines), prints it (matched like transcript output). With
`--update`, a result that differs is written into the `-- expect:` section (matchers that still
match kept, a ` (re)` line that no longer matches kept and reported).
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from runbookdocs import codes, transcript
from runbookdocs.block import Block
from runbookdocs.i18n import Catalog
from runbookdocs.results import Finding
from runbookdocs.run.runners import (
    Runner,
    Seen,
    Verdict,
    looks_like_error,
    not_recordable,
    register_runner,
    sabotaged,
    slow_prompts,
    slow_regexes,
    step_note,
    tail,
)
from runbookdocs.run.runners.console import TEXTS as CONSOLE
from runbookdocs.run.runners.console import learner_diff

if TYPE_CHECKING:
    from runbookdocs.run.sandbox import Sandbox

TEXTS = Catalog(
    "run.runners.sql",
    {
        "what": {"en": "SQL block{ref}", "fr": "bloc SQL{ref}"},
        "no-client": {
            "en": "target {target!r} has no SQL client",
            "fr": "la cible {target!r} n'a pas de client SQL",
        },
        "no-client-hint": {
            "en": 'run it on target=mysql or target=postgres, or give the target sql="client '
            'command"',
            "fr": "exécutez-le sur target=mysql ou target=postgres, ou donnez à la cible "
            'sql="commande du client"',
        },
        "client-exited": {
            "en": "the client exited {status} (expected {expected})",
            "fr": "le client a fini avec le code {status} (la page attend {expected})",
        },
        "client-hint": {
            "en": "the client stops at the first error; the statements before it ran",
            "fr": "le client s'arrête à la première erreur ; les instructions d'avant ont été "
            "exécutées",
        },
        "differs": {
            "en": "the result differs from -- expect:",
            "fr": "le résultat n'est pas celui que la page attend (-- expect:)",
        },
        "matcher-kept": {
            "en": "`{line}` no longer matches the result: --update kept it",
            "fr": "`{line}` ne correspond plus au résultat : --update l'a gardée",
        },
    },
)


_PLAIN_COMMAND = re.compile(r"[A-Za-z0-9_./+-]+(?:\s|$)")


@register_runner("sql")
class SqlRunner(Runner):
    """Sends the block to the target's SQL client."""

    lexer = "sql"

    def run(self, block: Block, box: Sandbox, text: str) -> Verdict:
        return self.send(block, box, text, expect=block.expect, result=True, whole=True)

    def send(
        self,
        block: Block,
        box: Sandbox,
        text: str,
        *,
        expect: int,
        result: bool,
        whole: bool = False,
        typed: bool = False,
    ) -> Verdict:
        """Send `text` to the client: fine when it exits `expect` and, with `result`, prints
        the block's expected result. `whole`: `text` is the block (`--update` may edit it)."""
        from runbookdocs.run.runners import TEXTS as COMMON

        t = TEXTS.for_language(box.lang)
        common = COMMON.for_language(box.lang)
        what = t("what", ref=f" #{block.id}" if block.id else "")
        client = box.spec(block).sql
        if not client:
            why = t("no-client", target=block.run_target)
            return Verdict.failed(
                codes.NO_SQL_CLIENT.at(
                    block.location, common("prefixed", what=what, why=why), hint=t("no-client-hint")
                )
            )
        delimiter = f"RUNBOOKDOCS_SQL_{secrets.token_hex(4)}"
        # `command`: a function or alias of the runbook named like the client must not stand
        # in for it (the client's own name first; a target's `sql` may start otherwise).
        if _PLAIN_COMMAND.match(client):
            client = f"\\builtin command {client}"
        step = box.session(block).run(
            f"{client} <<'{delimiter}'\n{text}\n{delimiter}\n",
            timeout=box.timeout(block),
            replies=box.replies(block),
            typed=typed,
        )
        if (broken := sabotaged(block, box, step, block.location)) is not None:
            return broken
        output = box.redact(step.output.replace("\r\n", "\n"))
        actual = transcript.normalise(output)
        note = step_note(step, common, block.session)
        slow = slow_prompts(block, box, step)
        if step.timed_out:
            why = common("timed-out", command="", seconds=f"{box.timeout(block):g}")
            why += f"; {note}" if note else ""
            return _slow(
                _failed(block, box, codes.TIMED_OUT, what, why, actual, common("timed-out-hint")),
                slow,
            )
        if step.exit != expect:
            why = t("client-exited", status=step.exit, expected=expect)
            why += f"; {note}" if note else ""
            return _slow(
                _failed(block, box, codes.EXIT_STATUS, what, why, actual, t("client-hint")), slow
            )
        expected, marker = transcript.sql_expected(block.source)
        if not result or expected is None:
            return Verdict(seen=[Seen(True, actual)], findings=list(slow), note=note)
        expected = box.expected(expected)
        if transcript.match(expected, actual):
            return Verdict(seen=[Seen(True, actual)], findings=list(slow), note=note)
        on_page = transcript.sql_expected(block.source)[0] or []
        slow += slow_regexes(block, box, on_page, expected, marker + 1)
        where = block.locate(marker)
        console = CONSOLE.for_language(box.lang)
        why = t("differs")
        detail = transcript.diff(expected, actual, label=console("expected-label", where=where))
        error = looks_like_error(actual)
        seen = Seen(False, actual, why=why, detail=learner_diff(expected, actual, console))
        if not (whole and box.update):
            hint = console("error-hint", line=error) if error else console("update-hint")
            finding = codes.OUTPUT_DIFFERS.at(
                where, common("prefixed", what=what, why=why), detail=detail, hint=hint
            )
            return Verdict(seen=[seen], findings=[finding, *slow], output=tail(actual))
        new, stale = transcript.update(expected, actual)
        originals = dict(
            zip(expected, transcript.sql_expected(block.source)[0] or [], strict=False)
        )
        written = [originals.get(ln, ln) for ln in new]
        if (refused := not_recordable(step, written, where, box)) is not None:
            return Verdict(seen=[seen], findings=[refused, *slow], output=tail(actual))
        edit = transcript.sql_edit(block.source, written)
        verdict = Verdict(seen=[seen], findings=list(slow), output=tail(actual), updated=1)
        if edit is not None:
            verdict.edits.append(edit)
        for k in stale:
            verdict.findings.append(
                codes.MATCHER_KEPT.at(
                    block.locate(marker + 1 + k),
                    t("matcher-kept", line=expected[k]),
                    hint=console("matcher-kept-hint"),
                )
            )
        if error:
            verdict.findings.append(
                codes.UPDATED_ERROR.at(
                    where,
                    console("updated-error", command=what, line=error),
                    hint=console("updated-error-hint"),
                )
            )
        seen.ok = not stale
        return verdict

    # -- play ------------------------------------------------------------------------------

    def commands(self, block: Block) -> list[str]:
        return sql_statements(block.source)

    def attempt(self, block: Block, box: Sandbox, index: int, typed: str) -> Seen:
        last = index == len(self.commands(block)) - 1
        verdict = self.send(block, box, typed, expect=block.expect if last else 0, result=last)
        return verdict.seen[0]

    def quiet(self, block: Block, box: Sandbox, text: str) -> None:
        self.send(block, box, text, expect=block.expect, result=False)

    def complete(self, text: str) -> bool:
        return text.rstrip().endswith(";")

    def practice_prompt(self, block: Block, box: Sandbox) -> str:
        client = box.spec(block).sql or "sql"
        return f"{client.split()[0]}>"


def _slow(verdict: Verdict, slow: list[Finding]) -> Verdict:
    verdict.findings += slow
    return verdict


def _failed(
    block: Block,
    box: Sandbox,
    code: codes.Code,
    what: str,
    why: str,
    actual: list[str],
    hint: str,
) -> Verdict:
    from runbookdocs.run.runners import TEXTS as COMMON

    common = COMMON.for_language(box.lang)
    finding = code.at(
        block.location, common("prefixed", what=what, why=why), detail=tail(actual), hint=hint
    )
    return Verdict(seen=[Seen(False, actual, why=why)], findings=[finding], output=tail(actual))


def sql_statements(source: str) -> list[str]:
    """The statements of a SQL block (`;` at a line end closes one); `-- ` lines dropped."""
    statements: list[str] = []
    pending: list[str] = []
    for line in source.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        pending.append(line)
        if stripped.endswith(";"):
            statements.append("\n".join(pending))
            pending = []
    if pending:
        statements.append("\n".join(pending))
    return statements


__all__ = ["SqlRunner", "sql_statements"]
