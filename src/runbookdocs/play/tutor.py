"""The terminal side of `runbookdocs play`: show each step, run or check it, keep score.

Every text shown to the learner is in the lesson's language (`--lang`, else the project's:
`i18n.project_language`), from `TEXTS` here, `steps.TEXTS` and the runners' catalogs; the words
a learner types (`hint`/`indice`, `skip`/`passer`, `quit`/`quitter`) and the guided keys work in
either language. Messages of the CLI itself (errors, usage) are in English like the rest of
runbookdocs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import signal
import sys
import time
from pathlib import Path
from typing import Any

from runbookdocs.block import Block
from runbookdocs.config import Config, load_config
from runbookdocs.console import signals_as_interrupt
from runbookdocs.document import read_document
from runbookdocs.errors import RunbookError, UsageError
from runbookdocs.i18n import Catalog, Texts, language, project_language
from runbookdocs.play import sandbox as lab
from runbookdocs.play.progress import Progress, ProgressStore
from runbookdocs.play.sandbox import sandbox_values
from runbookdocs.play.steps import Lesson, Step, build_lesson
from runbookdocs.run.runners import TEXTS as RUNNER_TEXTS
from runbookdocs.run.runners import Seen, runner_for
from runbookdocs.run.sandbox import Sandbox
from runbookdocs.variables import Values, parse_assignments, resolve

TEXTS = Catalog(
    "play.tutor",
    {
        # -- starting, resuming, ending
        "page-changed": {
            "en": "The page has changed since your last session: the lesson starts over.",
            "fr": "La page a changé depuis votre dernière séance : le parcours reprend au début.",
        },
        "no-progress": {
            "en": "No progress saved for this page: the lesson starts at the beginning.",
            "fr": "Aucune progression enregistrée pour cette page : le parcours commence au début.",
        },
        "progress-replaced": {
            "en": "Progress was saved for this page (step {step}/{total}); it is replaced. To "
            "continue it instead: [bold]{command}[/bold]",
            "fr": "Une progression est enregistrée (étape {step}/{total}) ; elle est remplacée. "
            "Pour la reprendre : [bold]{command}[/bold]",
        },
        "sandbox": {
            "en": "Sandbox: {targets} (throwaway containers, removed on exit). {steps} step(s).",
            "fr": "Bac à sable : {targets} (conteneurs jetables, supprimés à la sortie). "
            "{steps} étape(s).",
        },
        "practice-mode": {
            "en": "Practice mode: type each step's commands yourself. [bold]hint[/bold] shows "
            "the documented command, [bold]skip[/bold] skips the step, [bold]quit[/bold] stops "
            "(your progress is kept).",
            "fr": "Mode pratique : tapez vous-même les commandes de chaque étape. "
            "[bold]indice[/bold] montre la commande documentée, [bold]passer[/bold] passe "
            "l'étape, [bold]quitter[/bold] arrête (la progression est gardée).",
        },
        "guided-mode": {
            "en": "Guided mode: [bold]Enter[/bold] runs the documented command, [bold]s[/bold] "
            "skips the step, [bold]q[/bold] quits (your progress is kept).",
            "fr": "Mode guidé : [bold]Entrée[/bold] exécute la commande documentée, "
            "[bold]s[/bold] passe l'étape, [bold]q[/bold] quitte (la progression est gardée).",
        },
        "random-secret": {
            "en": "Secret {name} is not set in the environment: a random value stands in for "
            "it in the sandbox.",
            "fr": "Secret {name} absent de l'environnement : une valeur aléatoire le remplace "
            "dans le bac à sable.",
        },
        "resuming": {
            "en": "Resuming at step {step}/{total}.",
            "fr": "Reprise à l'étape {step}/{total}.",
        },
        "opening": {"en": "Opening the sandbox…", "fr": "Ouverture du bac à sable…"},
        "restoring": {
            "en": "Restoring the sandbox ({count} step(s) already done)…",
            "fr": "Remise en état du bac à sable ({count} étape(s) déjà faite(s))…",
        },
        "interrupted": {"en": "Interrupted.", "fr": "Interruption."},
        "removing": {"en": "Removing the sandbox…", "fr": "Suppression du bac à sable…"},
        "removed": {"en": "Sandbox removed.", "fr": "Bac à sable supprimé."},
        # -- blocks run unseen
        "quiet-restore": {"en": "replaying a step done before", "fr": "la remise en état"},
        "quiet-setup": {"en": "the hidden set-up", "fr": "la préparation cachée"},
        "quiet-skipped": {
            "en": "the command of the skipped step",
            "fr": "la commande de l'étape passée",
        },
        "quiet-failed": {
            "en": "Warning: {what} ({block}) failed: {why}. What follows may not go as the page "
            "says.",
            "fr": "Attention : {what} ({block}) a échoué : {why}. La suite peut ne pas se passer "
            "comme la page le dit.",
        },
        # -- a step
        "preparing": {"en": "Preparing the step…", "fr": "Préparation de l'étape…"},
        "step": {"en": "Step {number}/{total}", "fr": "Étape {number}/{total}"},
        "counter-example": {
            "en": "the page shows it as a counter-example: {mark}",
            "fr": "la page le montre comme contre-exemple : {mark}",
        },
        "read-only": {
            "en": "[bold]Read only[/bold]: this step is not run in the sandbox ({reason}).",
            "fr": "[bold]À lire seulement[/bold] : cette étape n'est pas exécutée dans le bac à "
            "sable ({reason}).",
        },
        "keys-continue": {
            "en": "[Enter] continue  [q] quit",
            "fr": "[Entrée] continuer  [q] quitter",
        },
        "keys-run": {
            "en": "[Enter] run  [s] skip  [q] quit",
            "fr": "[Entrée] exécuter  [s] passer  [q] quitter",
        },
        "running": {"en": "Running…", "fr": "Exécution…"},
        # -- destructive steps (`danger=`): asked before running, No by default
        "danger": {
            "en": "⚠ Destructive step: {what}.",
            "fr": "⚠ Étape destructive : {what}.",
        },
        "danger-bare": {
            "en": "⚠ Destructive step: it destroys data.",
            "fr": "⚠ Étape destructive : elle détruit des données.",
        },
        "keys-danger": {
            "en": "Run it? [y] yes  [N] no (default)  [q] quit",
            "fr": "L'exécuter ? [o] oui  [N] non (par défaut)  [q] quitter",
        },
        "danger-declined": {
            "en": "Not run: the step is passed without its command; the next steps may not go "
            "as the page says.",
            "fr": "Non exécutée : l'étape est passée sans sa commande ; la suite peut ne pas se "
            "passer comme la page le dit.",
        },
        "check-passed": {
            "en": "✓ The step's check passed.",
            "fr": "✓ Vérification de l'étape réussie.",
        },
        "check-fails": {
            "en": "the step's check fails: {why}",
            "fr": "la vérification de l'étape échoue : {why}",
        },
        "differs": {
            "en": "The documented command does not give what the page says.",
            "fr": "La commande documentée ne donne pas ce que la page annonce.",
        },
        "differs-owner": {
            "en": "The documented command does not give what the page says: report it to {owner}.",
            "fr": "La commande documentée ne donne pas ce que la page annonce : signalez-le à "
            "{owner}.",
        },
        "skipping": {
            "en": "Step skipped: running its documented command…",
            "fr": "Étape passée : exécution de la commande documentée…",
        },
        "skipped": {
            "en": "Step skipped (its documented command was run for the next steps).",
            "fr": "Étape passée (sa commande documentée a été exécutée pour la suite).",
        },
        "output-matches": {"en": "✓ Output as on the page.", "fr": "✓ Sortie conforme à la page."},
        "as-documented": {"en": "✓ As the page says.", "fr": "✓ Conforme à la page."},
        # -- the block's panel
        "panel-target": {"en": "target {name}", "fr": "cible {name}"},
        "panel-user": {"en": "user {name}", "fr": "utilisateur {name}"},
        "panel-file": {"en": "file {path}", "fr": "fichier {path}"},
        "panel-session": {"en": "session {name}", "fr": "session {name}"},
        "panel-expect": {
            "en": "expected exit status {status}",
            "fr": "code de sortie attendu {status}",
        },
        # -- practice
        "where-user": {"en": "{target}, user {user}", "fr": "{target}, utilisateur {user}"},
        "your-turn": {"en": "Your turn ({where}): {goal}.", "fr": "À vous ({where}) : {goal}."},
        "goal-file": {"en": "write the file {path}", "fr": "écrivez le fichier {path}"},
        "goal-step": {"en": "do what the step describes", "fr": "faites ce que décrit l'étape"},
        "goal-command": {
            "en": "type this step's command",
            "fr": "tapez la commande de cette étape",
        },
        "goal-commands": {
            "en": "type this step's {count} commands, one at a time",
            "fr": "tapez les {count} commandes de cette étape, une à une",
        },
        "command-correct": {
            "en": "✓ Command {number}/{total} correct.",
            "fr": "✓ Commande {number}/{total} correcte.",
        },
        "step-passed": {"en": "✓ Step {number} passed.", "fr": "✓ Étape {number} réussie."},
        "check-not-passing": {
            "en": "the step's check does not pass ({why})",
            "fr": "la vérification de l'étape ne passe pas ({why})",
        },
        "and": {"en": "{first}; {second}", "fr": "{first} ; {second}"},
        "hint": {
            "en": "[bold]Hint[/bold]: the page documents",
            "fr": "[bold]Indice[/bold] : la page documente",
        },
        "not-yet": {"en": "Not yet: {why}.", "fr": "Pas encore : {why}."},
        "try-again": {
            "en": "Try again, or type [bold]hint[/bold].",
            "fr": "Réessayez, ou tapez [bold]indice[/bold].",
        },
        "heredoc-end": {"en": "EOF", "fr": "FIN"},
        # -- the summary
        "summary": {"en": "Summary", "fr": "Bilan"},
        "row": {"en": "{label}: {value}", "fr": "{label} : {value}"},
        "row-page": {"en": "Page", "fr": "Page"},
        "row-mode": {"en": "Mode", "fr": "Mode"},
        "mode-practice": {"en": "practice", "fr": "pratique"},
        "mode-guided": {"en": "guided", "fr": "guidé"},
        "row-done": {"en": "Steps done", "fr": "Étapes faites"},
        "row-skipped": {"en": "Steps skipped", "fr": "Étapes passées"},
        "row-hints": {"en": "Hints used", "fr": "Indices utilisés"},
        "row-read-only": {"en": "Read only", "fr": "À lire seulement"},
        "row-failed": {"en": "Differences from the page", "fr": "Écarts avec la page"},
        "row-time": {"en": "Time spent", "fr": "Temps passé"},
        "finished": {"en": "Lesson complete.", "fr": "Parcours terminé."},
        "to-resume": {
            "en": "Progress saved. To continue:",
            "fr": "Progression enregistrée. Pour reprendre :",
        },
    },
)

# What a learner types in practice mode, in either language whatever the lesson's.
_HINT = {"indice", "hint", "?"}
_SKIP = {"passer", "skip"}
_QUIT = {"quitter", "quit", "q", "exit"}


class Quit(Exception):
    """The learner asked to stop (`q`, `quitter`, Ctrl-D)."""


def play(args: argparse.Namespace) -> int:
    """Run the `play` command; returns the exit status."""
    config = load_config(args.config)
    page: Path = args.page
    if not page.is_file():
        raise UsageError(f"{page}: no such file", hint="give the path of a runbook page")
    doc = read_document(page, config)
    problems = [f for f in doc.findings if f.severity == "error"]
    if problems:
        raise RunbookError(
            problems[0].render(),
            hint=f"fix the page first ('runbookdocs check {doc.path}' lists every problem)",
        )
    lang = language(args.lang) if args.lang else project_language(config)
    lesson = build_lesson(doc, lang)
    if not lesson.steps:
        raise UsageError(
            f"{doc.path}: nothing to practise (no shell, console, SQL or file= block)",
        )
    values, random_secrets = sandbox_values(resolve(doc, config, parse_assignments(args.var)))
    tutor = Tutor(
        lesson, config, values, practice=args.practice, lang=lang, lang_given=bool(args.lang)
    )
    return tutor.run(resume=args.resume, random_secrets=random_secrets)


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


class Tutor:
    """One session of a learner on one page."""

    def __init__(
        self,
        lesson: Lesson,
        config: Config,
        values: Values,
        *,
        practice: bool,
        lang: str,
        lang_given: bool = False,
    ) -> None:
        self.lesson = lesson
        self.lang = language(lang)
        self.lang_given = lang_given
        """The learner chose the language (`--lang`): a resume command keeps it."""
        self.t: Texts = TEXTS.for_language(self.lang)
        self.doc = lesson.doc
        self.config = config
        self.values = values
        self.shown_values = values.without_secrets()
        self.practice = practice
        self.console = _console()
        self.box: Sandbox | None = None
        self.store = ProgressStore(config.cache_dir, self.doc)
        self.progress = Progress(mode="practice" if practice else "guided")
        self.read_only = 0
        self.consented: set[int] = set()
        """Steps whose destructive command the learner agreed to run (asked once a step)."""
        self.t0 = time.monotonic()

    # -- the session ----------------------------------------------------------------------

    def run(self, *, resume: bool, random_secrets: list[str]) -> int:
        """Open the sandbox, go through the steps, show the summary; always remove the sandbox."""
        self._load(resume)
        self._intro(random_secrets)
        status = 0
        finished = False
        with signals_as_interrupt():
            try:
                with self._status(self.t("opening")):
                    self.box = lab.open_sandbox(
                        self.doc,
                        self.config,
                        self.values,
                        self._blocks(),
                        self._log,
                        lang=self.lang,
                    )
                self._replay()
                for step in self.lesson.steps[self.progress.next_step :]:
                    self._step(step)
                    self.progress.next_step = step.number
                    self._save()
                if self.lesson.epilogue:
                    self._markdown(self.lesson.epilogue)
                finished = True
                self.store.clear()
            except Quit:
                self._save()
            except KeyboardInterrupt:
                self._save()
                with contextlib.suppress(Exception):
                    self.console.print(f"\n[bold]{self.t('interrupted')}[/bold]")
                status = 130
            finally:
                self._close()
        self._summary(finished)
        return status

    def _load(self, resume: bool) -> None:
        saved, why = self.store.load()
        total = len(self.lesson.steps)
        if resume:
            if saved is not None:
                self.progress = saved
                self.progress.mode = "practice" if self.practice else "guided"
                self.progress.next_step = min(saved.next_step, total)
            elif why == "changed":
                self.console.print(self.t("page-changed"))
                self.store.clear()
            else:
                self.console.print(self.t("no-progress"))
        elif saved is not None and 0 < saved.next_step < total:
            self.console.print(
                self.t(
                    "progress-replaced",
                    step=saved.next_step + 1,
                    total=total,
                    command=_escape(self._resume_command()),
                )
            )

    def _intro(self, random_secrets: list[str]) -> None:
        c = self.console
        title = str(self.doc.front.meta.get("title") or self.doc.path)
        c.rule(f"[bold]{_escape(title)}[/bold]")
        names = ", ".join(self._targets())
        c.print(self.t("sandbox", targets=_escape(names), steps=len(self.lesson.steps)))
        c.print(self.t("practice-mode" if self.practice else "guided-mode"))
        for name in random_secrets:
            c.print(self.t("random-secret", name=_escape(name)))
        if self.progress.next_step:
            c.print(
                self.t("resuming", step=self.progress.next_step + 1, total=len(self.lesson.steps))
            )

    def _blocks(self) -> list[Block]:
        """The blocks the lesson runs (set-up, steps, checks), in page order."""
        return [
            block
            for step in self.lesson.steps
            for block in (*step.setup, step.block, *([step.check] if step.check else []))
            if block.executable and block.skip_reason is None
        ]

    def _targets(self) -> list[str]:
        return list(dict.fromkeys(b.run_target for b in self._blocks()))

    @property
    def sandbox(self) -> Sandbox:
        assert self.box is not None, "the sandbox is opened first"
        return self.box

    def _replay(self) -> None:
        """After `--resume`: redo, unseen, what the steps already done did to the sandbox."""
        done = self.lesson.steps[: self.progress.next_step]
        if not done:
            return
        with self._status(self.t("restoring", count=len(done))):
            for step in done:
                self._setup(step)
                if not step.read_only and step.number not in self.progress.not_run:
                    self._quietly(step.block, self.t("quiet-restore"))

    def _setup(self, step: Step) -> None:
        for block in step.setup:
            self._quietly(block, self.t("quiet-setup"))

    def _quietly(self, block: Block, what: str) -> bool:
        outcome = lab.merged(lab.run_block(self.sandbox, block))
        if not outcome.ok:
            text = self.t("quiet-failed", what=what, block=block, why=_escape(outcome.why))
            self.console.print(f"[yellow]{text}[/yellow]")
        return outcome.ok

    def _save(self) -> None:
        self.progress.elapsed_s += time.monotonic() - self.t0
        self.t0 = time.monotonic()
        self.store.save(self.progress)

    def _close(self) -> None:
        # A second Ctrl-C or a SIGTERM must not cut the removal short.
        previous = {}
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            with contextlib.suppress(ValueError):
                previous[sig] = signal.signal(sig, signal.SIG_IGN)
        try:
            # The terminal may be gone (SIGHUP): printing must not stop the removal.
            with contextlib.suppress(Exception):
                self.console.print(self.t("removing"))
            if self.box is not None:
                lab.close_sandbox(self.box)
            with contextlib.suppress(Exception):
                self.console.print(self.t("removed"))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    # -- one step -------------------------------------------------------------------------

    def _step(self, step: Step) -> None:
        c = self.console
        if step.setup:
            with self._status(self.t("preparing")):
                self._setup(step)
        c.print()
        c.rule(self.t("step", number=step.number, total=len(self.lesson.steps)), align="left")
        if step.prose:
            self._markdown(step.prose)
        if step.read_only:
            self._show_block(step.block)
            reason = step.block.skip_reason or ""
            why = step.block.not_run()
            if why is not None and why.reason == "counter-example":
                reason = self.t("counter-example", mark=why.detail)
            c.print(self.t("read-only", reason=_escape(reason)))
            self.read_only += 1
            if self._key(self.t("keys-continue"), {"enter", "q"}) == "q":
                raise Quit
            return
        if not self.practice:
            self._guided(step)
            return
        with contextlib.suppress(_Skipped):
            self._practise(step)

    def _guided(self, step: Step) -> None:
        self._show_block(step.block)
        key = self._key(self.t("keys-run"), {"enter", "s", "q"})
        if key == "q":
            raise Quit
        # Passing a step runs its command unseen: a destructive one is asked about either way.
        if not self._consents(step):
            return
        if key == "s":
            self._pass(step, step.block)
            return
        with self._status(self.t("running")):
            result = lab.run_block(self.sandbox, step.block)
        self._show_result(step.block, result)
        ok = lab.merged(result).ok
        if ok and step.check is not None:
            check = lab.check(self.sandbox, step.check)
            if check.ok:
                self.console.print(f"[green]{self.t('check-passed')}[/green]")
            else:
                ok = False
                self._refusal(self.t("check-fails", why=check.why), check.detail)
        if ok:
            self.progress.done += 1
        else:
            self.progress.failed += 1
            owner = self.doc.front.owner
            self.console.print(
                self.t("differs-owner", owner=_escape(owner)) if owner else self.t("differs")
            )

    def _consents(self, step: Step) -> bool:
        """Whether the step's command may run: always, unless the block is marked `danger=`;
        then the learner is asked, once a step, and only a yes runs it (Enter, any other key,
        a line that is not yes on input that is not a terminal: no; end of input: quit).
        A no passes the step without running anything."""
        danger = step.block.danger
        if danger is None or step.number in self.consented:
            return True
        what = self.t("danger-bare") if danger == "true" else self.t("danger", what=_escape(danger))
        self.console.print(f"[bold red]{what}[/bold red]")
        key = self._key(self.t("keys-danger"), {"y", "o", "n", "enter", "q"})
        if key == "q":
            raise Quit
        if key in ("y", "o"):
            self.consented.add(step.number)
            return True
        self.progress.skipped += 1
        self.progress.not_run.append(step.number)
        self.console.print(self.t("danger-declined"))
        return False

    def _pass(self, step: Step, *rest: Block | str) -> None:
        """Skip a step: what is left of its documented commands runs unseen, so that the next
        steps find the sandbox as the page expects."""
        with self._status(self.t("skipping")):
            for item in rest:
                if isinstance(item, Block):
                    self._quietly(item, self.t("quiet-skipped"))
                else:
                    self._quiet_text(step.block, item)
        self.progress.skipped += 1
        self.console.print(self.t("skipped"))

    def _quiet_text(self, block: Block, text: str) -> None:
        filled, _ = self.sandbox.fill(text)
        runner_for(block).quiet(block, self.sandbox, filled)

    # -- practice -------------------------------------------------------------------------

    def _practise(self, step: Step) -> None:
        block = step.block
        # What the learner types for a destructive step runs only once they agreed to it.
        if not self._consents(step):
            return
        c = self.console
        t = self.t
        where = (
            t("where-user", target=block.run_target, user=block.user)
            if block.user
            else block.run_target
        )
        commands = runner_for(block).commands(block)
        if step.check is not None or not commands:
            goal = (
                t("goal-file", path=block.file)
                if block.file and step.check is None
                else t("goal-step")
            )
            c.print(_escape(t("your-turn", where=where, goal=goal)))
            self._practise_whole(step)
            return
        goal = t("goal-command") if len(commands) == 1 else t("goal-commands", count=len(commands))
        c.print(_escape(t("your-turn", where=where, goal=goal)))
        for index in range(len(commands)):
            self._practise_command(step, index, commands)
        self.progress.done += 1
        c.print(f"[green]{t('step-passed', number=step.number)}[/green]")

    def _practise_command(self, step: Step, index: int, commands: list[str]) -> None:
        """Read commands until one does what command `index` of the step is documented to do."""
        block = step.block
        runner = runner_for(block)
        while True:
            typed = self._read(step, sub=(index, len(commands)))
            if typed in _HINT:
                self._hint(commands[index], block)
                continue
            if typed in _SKIP:
                self._pass(step, *commands[index:])
                raise _Skipped
            if block.kind == "console":
                # A transcript command is compared as typed (its placeholders are filled
                # when it runs, and its prompt and output are the page's).
                out = runner.attempt(block, self.sandbox, index, typed)
            else:
                filled, unknown = self.sandbox.fill(typed)
                out = (
                    self._unknown(unknown[0])
                    if unknown
                    else runner.attempt(block, self.sandbox, index, filled)
                )
            self._output(out.output)
            if out.ok:
                if len(commands) > 1:
                    text = self.t("command-correct", number=index + 1, total=len(commands))
                    self.console.print(f"[green]{text}[/green]")
                return
            self._refusal(out.why, out.detail)

    def _practise_whole(self, step: Step) -> None:
        """A step checked as a whole: by its `.check` block, or the content of its file."""
        block = step.block
        while True:
            typed = self._read(step, sub=None, shell=True)
            if typed in _HINT:
                self._hint(_documented(block, self.t("heredoc-end")), block)
                continue
            if typed in _SKIP:
                self._pass(step, block)
                raise _Skipped
            filled, unknown = self.sandbox.fill(typed)
            if unknown:
                self._refusal(self._unknown(unknown[0]).why, [])
                continue
            ran = lab.typed_shell(self.sandbox, block, filled)
            self._output(ran.output)
            if step.check is not None:
                check = lab.check(self.sandbox, step.check)
                why = self.t("check-not-passing", why=check.why)
            else:
                check = lab.file_holds(self.sandbox, block)
                why = check.why
            if check.ok:
                self.progress.done += 1
                self.console.print(f"[green]{self.t('step-passed', number=step.number)}[/green]")
                return
            if not ran.ok:
                why = self.t("and", first=ran.why, second=why)
            # A command that worked may be one of several the step needs: no cross for it.
            self._refusal(why, check.detail, soft=ran.ok)

    def _read(self, step: Step, *, sub: tuple[int, int] | None, shell: bool = False) -> str:
        """One command typed by the learner (several lines when bash needs more); meta
        commands come back lower-cased."""
        block = step.block
        total = len(self.lesson.steps)
        runner = runner_for(block)
        label = f"{step.number}/{total}"
        if sub is not None and sub[1] > 1:
            label += f" · {sub[0] + 1}/{sub[1]}"
        where = f"{block.run_target}$" if shell else runner.practice_prompt(block, self.sandbox)
        prompt = f"[{label}] {where} "
        while True:
            lines = [self._input(prompt)]
            word = lines[0].strip().lower()
            if word in _HINT | _SKIP:
                return word
            if word in _QUIT:
                raise Quit
            if not word:
                continue
            complete = _complete_shell if shell else runner.complete
            while not complete("\n".join(lines)):
                lines.append(self._input("> "))
            return "\n".join(lines)

    def _input(self, prompt: str) -> str:
        if "readline" not in sys.modules:
            # Line editing and history (arrow keys) for what the learner types.
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401
        try:
            return input(prompt)
        except EOFError as err:
            self.console.print()
            raise Quit from err

    def _unknown(self, name: str) -> Seen:
        return Seen(False, why=RUNNER_TEXTS.text(self.lang, "unknown-value", name=name))

    def _hint(self, text: str, block: Block) -> None:
        self.progress.hints += 1
        self.console.print(self.t("hint"))
        # Bare lines, not a box: the learner may copy them, and the terminal wraps them.
        for line in self._shown(text).split("\n"):
            self.console.print(line, style="bold cyan", markup=False, soft_wrap=True)

    def _refusal(self, why: str, detail: list[str], *, soft: bool = False) -> None:
        text = self.t("not-yet", why=_escape(why))
        if soft:
            self.console.print(f"[yellow]{text}[/yellow]")
        else:
            self.console.print(f"[red]✗ {text}[/red]")
        for line in detail:
            self.console.print("    " + _escape(line))
        if self.practice and not soft:
            self.console.print(self.t("try-again"))

    # -- display --------------------------------------------------------------------------

    def _shown(self, text: str) -> str:
        """Text as shown: variables filled in, secrets left as `{{ NAME }}`."""
        return self.sandbox.redact(self.shown_values.substitute(text)[0])

    def _markdown(self, text: str) -> None:
        from rich.markdown import Markdown

        self.console.print(Markdown(self._shown(text)))

    def _code(self, text: str, lexer: str, title: str | None = None) -> None:
        from rich.panel import Panel
        from rich.syntax import Syntax

        syntax = Syntax(text, lexer, theme="ansi_dark", word_wrap=True, background_color="default")
        self.console.print(Panel(syntax, title=title, title_align="left", expand=False))

    def _show_block(self, block: Block) -> None:
        t = self.t
        parts = [block.lang or block.kind, t("panel-target", name=block.run_target)]
        if block.user:
            parts.append(t("panel-user", name=block.user))
        if block.file:
            parts.append(t("panel-file", path=block.file))
        if block.session != "main":
            parts.append(t("panel-session", name=block.session))
        if block.expect:
            parts.append(t("panel-expect", status=block.expect))
        lexer = runner_for(block).lexer if block.executable else (block.lang or "text")
        self._code(self._shown(block.source), lexer, _escape(" · ".join(parts)))

    def _show_result(self, block: Block, result: list[Seen]) -> None:
        c = self.console
        if block.kind == "console":
            for out in result:
                if out.command:
                    c.print(f"[bold]{out.prompt} {_escape(self._shown(out.command))}[/bold]")
                self._output(out.output)
                if not out.ok:
                    self._refusal(out.why, out.detail)
            if all(r.ok for r in result):
                c.print(f"[green]{self.t('output-matches')}[/green]")
            return
        out = lab.merged(result) if len(result) > 1 else result[0]
        self._output(out.output)
        if out.ok:
            c.print(f"[green]{self.t('as-documented')}[/green]")
        else:
            self._refusal(out.why, out.detail)

    def _output(self, lines: list[str]) -> None:
        for line in lines:
            self.console.print(_escape(line), style="dim" if not self.practice else None)

    def _status(self, message: str) -> Any:
        return self.console.status(message)

    def _key(self, prompt: str, allowed: set[str]) -> str:
        """One key press (Enter is `enter`); a line on input that is not a terminal."""
        return _read_key(self.console, prompt, allowed)

    def _log(self, message: str) -> None:
        self.console.print(_escape(message), style="dim")

    # -- summary --------------------------------------------------------------------------

    def _summary(self, finished: bool) -> None:
        p = self.progress
        c = self.console
        t = self.t
        c.print()
        c.rule(t("summary"), align="left")
        total = self.lesson.practisable
        rows = [
            ("row-page", self.doc.path),
            ("row-mode", t("mode-practice" if self.practice else "mode-guided")),
            ("row-done", f"{p.done}/{total}"),
            ("row-skipped", str(p.skipped)),
            ("row-hints", str(p.hints)),
        ]
        read_only = len(self.lesson.steps) - total
        if read_only:
            rows.append(("row-read-only", str(read_only)))
        if p.failed:
            rows.append(("row-failed", str(p.failed)))
        rows.append(("row-time", _duration(p.elapsed_s)))
        for label, value in rows:
            c.print(t("row", label=t(label), value=_escape(value)))
        if finished:
            c.print(f"[bold]{t('finished')}[/bold]")
        else:
            c.print(t("to-resume"))
            c.print(
                "    " + _escape(self._resume_command()),
                style="bold",
                soft_wrap=True,
            )

    def _resume_command(self) -> str:
        """The command that continues this lesson (`--lang` kept when it was given)."""
        words = ["runbookdocs", "play", "--resume"]
        if self.practice:
            words.append("--practice")
        if self.lang_given:
            words += ["--lang", self.lang]
        return " ".join([*words, shlex.quote(self.doc.path)])


class _Skipped(Exception):
    """The learner passed the step (already counted)."""


def _complete_shell(text: str) -> bool:
    from runbookdocs.run.runners.shell import complete_shell

    return complete_shell(text)


def _documented(block: Block, delimiter: str) -> str:
    """The documented way to do a whole step, as commands to type (a `file=` block as a
    here-document ended by `delimiter`, made unique)."""
    if block.file:
        while delimiter in block.source:
            delimiter += "_"
        path = shlex.quote(block.file)
        body = block.source.rstrip("\n")
        lines = [
            f'mkdir -p "$(dirname {path})"',
            f"cat > {path} <<'{delimiter}'\n{body}\n{delimiter}",
        ]
        if mode := block.attrs.get("mode"):
            lines.append(f"chmod {shlex.quote(mode)} {path}")
        if owner := block.attrs.get("owner"):
            lines.append(f"chown {shlex.quote(owner)} {path}")
        return "\n".join(lines)
    return block.source


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _read_key(console: Any, prompt: str, allowed: set[str]) -> str:
    stream = sys.stdin
    if not stream.isatty():
        console.print(_escape(prompt), style="bold")
        line = stream.readline()
        if not line:
            raise Quit
        key = line.strip().lower()[:1] or "enter"
        return key if key in allowed else "enter"
    import termios
    import tty

    fd = stream.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        # Keys pressed while the previous command ran must not run the next step.
        termios.tcflush(fd, termios.TCIFLUSH)
        console.print(_escape(prompt), end=" ", style="bold")
        while True:
            data = os.read(fd, 1)
            if not data or data == b"\x04":
                console.print()
                raise Quit
            key = data.decode("latin-1").lower()
            key = "enter" if key in ("\r", "\n") else key
            if key in allowed:
                console.print()
                return key
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
