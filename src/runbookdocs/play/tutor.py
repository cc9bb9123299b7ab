"""The terminal side of `runbookdocs play`: show each step, run or check it, keep score.

Every text shown to the learner is in French (the knowledge base is); messages of the CLI itself
(errors, usage) are in English like the rest of runbookdocs.
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
from runbookdocs.play import sandbox as lab
from runbookdocs.play.progress import Progress, ProgressStore
from runbookdocs.play.sandbox import sandbox_values
from runbookdocs.play.steps import Lesson, Step, build_lesson
from runbookdocs.run.runners import TEXTS as RUNNER_TEXTS
from runbookdocs.run.runners import Seen, runner_for
from runbookdocs.run.sandbox import Sandbox
from runbookdocs.variables import Values, parse_assignments, resolve

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
    lesson = build_lesson(doc)
    if not lesson.steps:
        raise UsageError(
            f"{doc.path}: nothing to practise (no shell, console, SQL or file= block)",
        )
    values, random_secrets = sandbox_values(resolve(doc, config, parse_assignments(args.var)))
    tutor = Tutor(lesson, config, values, practice=args.practice)
    return tutor.run(resume=args.resume, random_secrets=random_secrets)


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


class Tutor:
    """One session of a learner on one page."""

    def __init__(self, lesson: Lesson, config: Config, values: Values, *, practice: bool) -> None:
        self.lesson = lesson
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
                with self._status("Ouverture du bac à sable…"):
                    self.box = lab.open_sandbox(
                        self.doc, self.config, self.values, self._blocks(), self._log
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
                    self.console.print("\n[bold]Interruption.[/bold]")
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
                self.console.print(
                    "La page a changé depuis votre dernière séance : le parcours reprend au début."
                )
                self.store.clear()
            else:
                self.console.print(
                    "Aucune progression enregistrée pour cette page : le parcours commence au "
                    "début."
                )
        elif saved is not None and 0 < saved.next_step < total:
            self.console.print(
                f"Une progression est enregistrée (étape {saved.next_step + 1}/{total}) ; "
                f"elle est remplacée. Pour la reprendre : "
                f"[bold]runbookdocs play --resume {self.doc.path}[/bold]"
            )

    def _intro(self, random_secrets: list[str]) -> None:
        c = self.console
        title = str(self.doc.front.meta.get("title") or self.doc.path)
        c.rule(f"[bold]{_escape(title)}[/bold]")
        names = ", ".join(self._targets())
        c.print(
            f"Bac à sable : {_escape(names)} (conteneurs jetables, supprimés à la sortie). "
            f"{len(self.lesson.steps)} étape(s)."
        )
        if self.practice:
            c.print(
                "Mode pratique : tapez vous-même les commandes de chaque étape. "
                "[bold]indice[/bold] montre la commande documentée, [bold]passer[/bold] passe "
                "l'étape, [bold]quitter[/bold] arrête (la progression est gardée)."
            )
        else:
            c.print(
                "Mode guidé : [bold]Entrée[/bold] exécute la commande documentée, [bold]s[/bold] "
                "passe l'étape, [bold]q[/bold] quitte (la progression est gardée)."
            )
        for name in random_secrets:
            c.print(
                f"Secret {name} absent de l'environnement : une valeur aléatoire le remplace "
                "dans le bac à sable."
            )
        if self.progress.next_step:
            c.print(f"Reprise à l'étape {self.progress.next_step + 1}/{len(self.lesson.steps)}.")

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
        with self._status(f"Remise en état du bac à sable ({len(done)} étape(s) déjà faite(s))…"):
            for step in done:
                self._setup(step)
                if not step.read_only:
                    self._quietly(step.block, "la remise en état")

    def _setup(self, step: Step) -> None:
        for block in step.setup:
            self._quietly(block, "la préparation cachée")

    def _quietly(self, block: Block, what: str) -> bool:
        outcome = lab.merged(lab.run_block(self.sandbox, block))
        if not outcome.ok:
            self.console.print(
                f"[yellow]Attention : {what} ({block}) a échoué : {_escape(outcome.why)}. "
                "La suite peut ne pas se passer comme la page le dit.[/yellow]"
            )
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
                self.console.print("Suppression du bac à sable…")
            if self.box is not None:
                lab.close_sandbox(self.box)
            with contextlib.suppress(Exception):
                self.console.print("Bac à sable supprimé.")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    # -- one step -------------------------------------------------------------------------

    def _step(self, step: Step) -> None:
        c = self.console
        if step.setup:
            with self._status("Préparation de l'étape…"):
                self._setup(step)
        c.print()
        c.rule(f"Étape {step.number}/{len(self.lesson.steps)}", align="left")
        if step.prose:
            self._markdown(step.prose)
        if step.read_only:
            self._show_block(step.block)
            c.print(
                f"[bold]À lire seulement[/bold] : cette étape n'est pas exécutée dans le bac à "
                f"sable ({_escape(step.block.skip_reason or '')})."
            )
            self.read_only += 1
            if self._key("[Entrée] continuer  [q] quitter", {"enter", "q"}) == "q":
                raise Quit
            return
        if not self.practice:
            self._guided(step)
            return
        with contextlib.suppress(_Skipped):
            self._practise(step)

    def _guided(self, step: Step) -> None:
        self._show_block(step.block)
        key = self._key("[Entrée] exécuter  [s] passer  [q] quitter", {"enter", "s", "q"})
        if key == "q":
            raise Quit
        if key == "s":
            self._pass(step, step.block)
            return
        with self._status("Exécution…"):
            result = lab.run_block(self.sandbox, step.block)
        self._show_result(step.block, result)
        ok = lab.merged(result).ok
        if ok and step.check is not None:
            check = lab.check(self.sandbox, step.check)
            if check.ok:
                self.console.print("[green]✓ Vérification de l'étape réussie.[/green]")
            else:
                ok = False
                self._refusal(f"la vérification de l'étape échoue : {check.why}", check.detail)
        if ok:
            self.progress.done += 1
        else:
            self.progress.failed += 1
            owner = self.doc.front.owner
            self.console.print(
                "La commande documentée ne donne pas ce que la page annonce"
                + (f" : signalez-le à {_escape(owner)}." if owner else ".")
            )

    def _pass(self, step: Step, *rest: Block | str) -> None:
        """Skip a step: what is left of its documented commands runs unseen, so that the next
        steps find the sandbox as the page expects."""
        with self._status("Étape passée : exécution de la commande documentée…"):
            for item in rest:
                if isinstance(item, Block):
                    self._quietly(item, "la commande de l'étape passée")
                else:
                    self._quiet_text(step.block, item)
        self.progress.skipped += 1
        self.console.print("Étape passée (sa commande documentée a été exécutée pour la suite).")

    def _quiet_text(self, block: Block, text: str) -> None:
        filled, _ = self.sandbox.fill(text)
        runner_for(block).quiet(block, self.sandbox, filled)

    # -- practice -------------------------------------------------------------------------

    def _practise(self, step: Step) -> None:
        block = step.block
        c = self.console
        where = block.run_target + (f", utilisateur {block.user}" if block.user else "")
        commands = runner_for(block).commands(block)
        if step.check is not None or not commands:
            goal = (
                f"écrivez le fichier {block.file}"
                if block.file and step.check is None
                else "faites ce que décrit l'étape"
            )
            c.print(f"À vous ({_escape(where)}) : {_escape(goal)}.")
            self._practise_whole(step)
            return
        c.print(
            f"À vous ({_escape(where)}) : "
            + (
                "tapez la commande de cette étape."
                if len(commands) == 1
                else f"tapez les {len(commands)} commandes de cette étape, une à une."
            )
        )
        for index in range(len(commands)):
            self._practise_command(step, index, commands)
        self.progress.done += 1
        c.print(f"[green]✓ Étape {step.number} réussie.[/green]")

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
                    self.console.print(
                        f"[green]✓ Commande {index + 1}/{len(commands)} correcte.[/green]"
                    )
                return
            self._refusal(out.why, out.detail)

    def _practise_whole(self, step: Step) -> None:
        """A step checked as a whole: by its `.check` block, or the content of its file."""
        block = step.block
        while True:
            typed = self._read(step, sub=None, shell=True)
            if typed in _HINT:
                self._hint(_documented(block), block)
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
                why = f"la vérification de l'étape ne passe pas ({check.why})"
            else:
                check = lab.file_holds(self.sandbox, block)
                why = check.why
            if check.ok:
                self.progress.done += 1
                self.console.print(f"[green]✓ Étape {step.number} réussie.[/green]")
                return
            if not ran.ok:
                why = f"{ran.why} ; {why}"
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
        except EOFError:
            self.console.print()
            raise Quit from None

    def _unknown(self, name: str) -> Seen:
        return Seen(False, why=RUNNER_TEXTS.text(lab.LANG, "unknown-value", name=name))

    def _hint(self, text: str, block: Block) -> None:
        self.progress.hints += 1
        self.console.print("[bold]Indice[/bold] : la page documente")
        # Bare lines, not a box: the learner may copy them, and the terminal wraps them.
        for line in self._shown(text).split("\n"):
            self.console.print(line, style="bold cyan", markup=False, soft_wrap=True)

    def _refusal(self, why: str, detail: list[str], *, soft: bool = False) -> None:
        if soft:
            self.console.print(f"[yellow]Pas encore : {_escape(why)}.[/yellow]")
        else:
            self.console.print(f"[red]✗ Pas encore : {_escape(why)}.[/red]")
        for line in detail:
            self.console.print("    " + _escape(line))
        if self.practice and not soft:
            self.console.print("Réessayez, ou tapez [bold]indice[/bold].")

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
        parts = [block.lang or block.kind, f"cible {block.run_target}"]
        if block.user:
            parts.append(f"utilisateur {block.user}")
        if block.file:
            parts.append(f"fichier {block.file}")
        if block.session != "main":
            parts.append(f"session {block.session}")
        if block.expect:
            parts.append(f"code de sortie attendu {block.expect}")
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
                c.print("[green]✓ Sortie conforme à la page.[/green]")
            return
        out = lab.merged(result) if len(result) > 1 else result[0]
        self._output(out.output)
        if out.ok:
            c.print("[green]✓ Conforme à la page.[/green]")
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
        c.print()
        c.rule("Bilan", align="left")
        total = self.lesson.practisable
        rows = [
            ("Page", self.doc.path),
            ("Mode", "pratique" if self.practice else "guidé"),
            ("Étapes faites", f"{p.done}/{total}"),
            ("Étapes passées", str(p.skipped)),
            ("Indices utilisés", str(p.hints)),
        ]
        read_only = len(self.lesson.steps) - total
        if read_only:
            rows.append(("À lire seulement", str(read_only)))
        if p.failed:
            rows.append(("Écarts avec la page", str(p.failed)))
        rows.append(("Temps passé", _duration(p.elapsed_s)))
        for label, value in rows:
            c.print(f"{label} : {_escape(value)}")
        if finished:
            c.print("[bold]Parcours terminé.[/bold]")
        else:
            c.print("Progression enregistrée. Pour reprendre :")
            c.print(
                f"    runbookdocs play --resume{' --practice' if self.practice else ''} "
                f"{_escape(self.doc.path)}",
                style="bold",
                soft_wrap=True,
            )


class _Skipped(Exception):
    """The learner passed the step (already counted)."""


def _complete_shell(text: str) -> bool:
    from runbookdocs.run.runners.shell import complete_shell

    return complete_shell(text)


def _documented(block: Block) -> str:
    """The documented way to do a whole step, as commands to type."""
    if block.file:
        delimiter = "FIN"
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
