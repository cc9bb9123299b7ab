"""Runners: how each kind of block is run, and how its failures read. One registry, kind -> runner.

`runbookdocs run`, `runbookdocs play` and the pytest plugin all run a block through `execute()`,
which asks the registry for the block's runner; nowhere else is there a switch on the kind. A
runner keeps running a kind of block and rendering its failures together (the way
pytest-markdown-docs keeps `runtest` and `repr_failure` in one class):

```python
@register_runner("shell")
class ShellRunner(Runner):
    def run(self, block, box, text) -> Verdict: ...        # run it in box (a Sandbox)
    def commands(self, block) -> list[str]: ...           # play: what a learner types
    def attempt(self, block, box, index, typed) -> Seen: ...  # play: judge one typed command
```

Built-in runners: `shell`, `console`, `sql`, and `file`, which writes any block with `file=`
into its target (a configuration, a script, an nginx site, a unit file...). Third-party
packages add runners from the entry-point group `runbookdocs.runners` (each entry point is a
module that registers on import). A block whose kind has no runner is an error naming the kind
and the runners there are (`RBD904`); a runner of another package that raises is reported
against that package (`RBD905`), not as a bug in runbookdocs.

What runners say is in the sandbox's language (`box.lang`): English for `run` and the pytest
plugin, the learner's for `play`; each runner keeps its messages in an `i18n.Catalog`.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, TypeVar

from runbookdocs import codes
from runbookdocs.block import COMMAND_LINE_ATTRIBUTES, Block, parse_header
from runbookdocs.errors import EnvironmentProblem, RunbookdocsError, TargetError
from runbookdocs.i18n import Catalog, Texts
from runbookdocs.location import Location
from runbookdocs.results import Finding
from runbookdocs.transcript import Edit, normalise

if TYPE_CHECKING:
    from runbookdocs.run.sandbox import Sandbox
    from runbookdocs.run.session import StepResult

MAX_TIMEOUT = 86400.0
"""The longest timeout a block may have (seconds): what `check` accepts for `timeout=`."""

OUTPUT_LINES = 30
"""Lines of output shown under a failure."""

ENTRY_POINTS = "runbookdocs.runners"
_BUILTIN = ("shell", "console", "sql", "files")

TEXTS = Catalog(
    "run.runners",
    {
        "prefixed": {"en": "{what}: {why}", "fr": "{what} : {why}"},
        "unknown-value": {
            "en": "{{{{ {name} }}}} is neither a variable nor a secret of this runbook",
            "fr": "{{{{ {name} }}}} n'est ni une variable ni un secret de ce runbook",
        },
        "unknown-value-hint": {
            "en": "declare it under runbook.variables or runbook.secrets, or pass --var NAME=VALUE",
            "fr": "déclarez-la sous runbook.variables ou runbook.secrets, ou passez "
            "--var NOM=VALEUR",
        },
        "not-run-unsafe": {"en": "not run: {why}", "fr": "non exécuté : {why}"},
        "target-lost": {
            "en": "target {target!r}: {why} during this block",
            "fr": "cible {target!r} : {why} pendant ce bloc",
        },
        "target-lost-hint": {
            "en": "a 'docker kill', the out-of-memory killer or a Docker daemon restart stopped "
            "it; check 'docker info', then rerun",
            "fr": "un 'docker kill', le manque de mémoire ou un redémarrage de Docker l'a arrêtée ;"
            " vérifiez 'docker info', puis relancez",
        },
        "internal": {
            "en": "runbookdocs failed running this block: {error}",
            "fr": "runbookdocs a échoué en exécutant ce bloc : {error}",
        },
        "internal-hint": {
            "en": "rerun with --no-cache; if it persists, report it to runbookdocs",
            "fr": "relancez avec --no-cache ; si cela persiste, signalez-le à runbookdocs",
        },
        "plugin": {
            "en": "the {kind!r} runner of package {package!r} failed: {error}",
            "fr": "l'exécuteur {kind!r} du paquet {package!r} a échoué : {error}",
        },
        "plugin-hint": {
            "en": "report it to the maintainers of {package!r} (not a runbookdocs problem)",
            "fr": "signalez-le aux mainteneurs de {package!r} (ce n'est pas un problème de "
            "runbookdocs)",
        },
        "interrupted": {"en": "interrupted with {keys}", "fr": "interrompue avec {keys}"},
        "ended": {
            "en": "the step ended its shell (exit {status}); the next step of session "
            "{session!r} starts a new shell",
            "fr": "l'étape a terminé son shell (code {status}) ; l'étape suivante de la session "
            "{session!r} démarre un nouveau shell",
        },
        "ended-interrupted": {
            "en": "the shell ended when interrupted; the next step of session {session!r} "
            "starts a new shell",
            "fr": "le shell s'est terminé à l'interruption ; l'étape suivante de la session "
            "{session!r} démarre un nouveau shell",
        },
        "replaced": {
            "en": "the shell did not recover after {keys}: it was replaced by a new shell (cd, "
            "variables and functions of earlier steps are lost)",
            "fr": "le shell ne s'est pas rétabli après {keys} : il a été remplacé par un nouveau "
            "(cd, variables et fonctions des étapes précédentes sont perdus)",
        },
        "tampered": {
            "en": "an earlier step broke the runner's shell (a builtin it needs disabled, or "
            "its functions or variables redefined): this step did not run as written, so its "
            "status ({status}) means nothing; a new shell takes the next step",
            "fr": "une étape précédente a cassé le shell de l'exécuteur (une commande interne "
            "désactivée, ou ses fonctions ou variables redéfinies) : cette étape ne s'est pas "
            "exécutée telle qu'écrite, son code ({status}) ne veut rien dire ; un nouveau shell "
            "prend l'étape suivante",
        },
        "tampered-hint": {
            "en": "do not disable builtins (enable -n) or redefine names starting with __rbd_ "
            "in a runbook",
            "fr": "ne désactivez pas de commandes internes (enable -n) et ne redéfinissez pas de "
            "noms commençant par __rbd_ dans un runbook",
        },
        "slow-prompt": {
            "en": "answer prompt={prompt!r} took too long to match the output (a pattern that "
            "backtracks?): it was not used",
            "fr": "answer prompt={prompt!r} a mis trop longtemps à comparer la sortie (un motif "
            "qui revient en arrière ?) : il n'a pas été utilisé",
        },
        "slow-regex": {
            "en": "`{line}` took longer than {seconds} s to match a line of output (a pattern "
            "that backtracks?): it was treated as not matching",
            "fr": "`{line}` a mis plus de {seconds} s à comparer une ligne de sortie (un motif "
            "qui revient en arrière ?) : elle a été considérée comme différente",
        },
        "not-recorded-long": {
            "en": "--update did not write this output: it was too long to be kept whole "
            "({n} characters were left out)",
            "fr": "--update n'a pas écrit cette sortie : trop longue pour être gardée entière "
            "({n} caractères laissés de côté)",
        },
        "not-recorded-control": {
            "en": "--update did not write this output: {problem} (a page must stay text that "
            "reads back the same)",
            "fr": "--update n'a pas écrit cette sortie : {problem} (une page doit rester du texte"
            " qui se relit à l'identique)",
        },
        "not-recorded-hint": {
            "en": "write the expected output by hand, with `...` or ` (re)` lines (pipe the "
            "command through `cat -v` to see control characters)",
            "fr": "écrivez la sortie attendue à la main, avec des lignes `...` ou ` (re)` "
            "(passez la commande dans `cat -v` pour voir les caractères de contrôle)",
        },
        "invalid-timeout": {
            "en": "not run: {source} is {value}, not a number of seconds between 0 and 86400",
            "fr": "non exécuté : {source} vaut {value}, pas un nombre de secondes entre 0 et 86400",
        },
        "invalid-timeout-hint": {
            "en": "write a number of seconds, like timeout: 120",
            "fr": "écrivez un nombre de secondes, comme timeout: 120",
        },
        "slow-prompt-hint": {
            "en": "write a simpler pattern: the prompt's last words, without nested repetition",
            "fr": "écrivez un motif plus simple : les derniers mots de la question, sans "
            "répétition imbriquée",
        },
        "timed-out": {
            "en": "{command}timed out after {seconds} s",
            "fr": "{command}interrompue au bout de {seconds} s",
        },
        "timed-out-hint": {
            "en": "raise timeout= on the block, or end the command (tail -f, a pager, a client "
            "waiting for input, an unanswered prompt?)",
            "fr": "augmentez timeout= sur le bloc, ou terminez la commande (tail -f, un pager, un"
            " client qui attend une saisie, une question sans réponse ?)",
        },
    },
)


@dataclass
class Seen:
    """What one command (or a whole block) did, as a learner sees it."""

    ok: bool
    output: list[str] = field(default_factory=list)
    """What it printed: normalised lines, secrets masked."""
    why: str = ""
    """Why it is not what the page expects (empty when `ok`), in the sandbox's language."""
    detail: list[str] = field(default_factory=list)
    """Expected against actual output, when that is the difference."""
    command: str = ""
    """The command as shown (secrets masked); empty for a whole block."""
    prompt: str = ""
    """`$` or `#` for a transcript command."""


@dataclass
class Verdict:
    """What running one block gave."""

    seen: list[Seen] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """Failures (severity error) and remarks (warning), in the sandbox's language."""
    note: str = ""
    """What to say of a block that passed (`written to /etc/app.json`)."""
    output: str = ""
    """What the report shows under a failure (secrets masked)."""
    error: bool = False
    """The environment failed (exit 2), not the runbook."""
    edits: list[Edit] = field(default_factory=list)
    """`--update`: the block's new expected output."""
    updated: int = 0
    """`--update`: commands (or SQL results) whose expected output `edits` rewrite."""

    @property
    def ok(self) -> bool:
        """True when nothing failed (remarks aside)."""
        return not any(f.severity == "error" for f in self.findings)

    @classmethod
    def failed(cls, finding: Finding, *, error: bool = False, output: str = "") -> Verdict:
        """A verdict of one failure."""
        lines = normalise(output)
        return cls(
            seen=[Seen(False, lines, why=finding.message)],
            findings=[finding],
            output=output,
            error=error,
        )


class Runner:
    """Runs one kind of block in a sandbox and renders its failures. Subclass and register."""

    lexer = "text"
    """Pygments lexer `play` shows the block with."""

    def run(self, block: Block, box: Sandbox, text: str) -> Verdict:
        """Run `block` (`text` is its source with placeholders filled in)."""
        raise NotImplementedError

    # -- play ------------------------------------------------------------------------------

    def commands(self, block: Block) -> list[str]:
        """What a learner types one at a time; empty: the step is done as a whole (checked
        by its `.check` block, or by what it leaves behind)."""
        return []

    def attempt(self, block: Block, box: Sandbox, index: int, typed: str) -> Seen:
        """Whether `typed` (placeholders filled in) does what command `index` does."""
        raise NotImplementedError

    def quiet(self, block: Block, box: Sandbox, text: str) -> None:
        """Run `text`, one of the block's commands, unseen (a step the learner passed)."""
        box.session(block).run(text, timeout=box.timeout(block), replies=box.replies(block))

    def complete(self, text: str) -> bool:
        """True when `text` (lines typed so far) is a whole command."""
        from runbookdocs.run.runners.shell import complete_shell

        return complete_shell(text)

    def practice_prompt(self, block: Block, box: Sandbox) -> str:
        """The prompt a learner types this block's commands at (`debian$`)."""
        return f"{block.run_target}$"


R = TypeVar("R", bound=Runner)
RUNNERS: dict[str, Runner] = {}
"""Block kind -> its runner."""
_loaded = False
_LOADING = threading.RLock()


def register_runner(*kinds: str) -> Callable[[type[R]], type[R]]:
    """Register a runner class for `kinds` (a later registration for a kind replaces it)."""

    def register(cls: type[R]) -> type[R]:
        runner = cls()
        for kind in kinds:
            RUNNERS[kind] = runner
        return cls

    return register


def load_runners() -> None:
    """Import the built-in runners and the `runbookdocs.runners` entry points, once.

    Raises:
        EnvironmentProblem: an entry point that does not load (naming its package).
    """
    global _loaded
    # Runbooks run in threads (`--jobs`): the first to get here loads everything while the
    # others wait, and none sees a registry half filled.
    with _LOADING:
        if _loaded:
            return
        for name in _BUILTIN:
            importlib.import_module(f"runbookdocs.run.runners.{name}")
        for ep in entry_points(group=ENTRY_POINTS):
            try:
                ep.load()
            except Exception as err:
                package = ep.dist.name if ep.dist is not None else ep.value
                raise EnvironmentProblem(
                    f"runner plugin {ep.name!r} of package {package!r} does not load: {err}",
                    hint=f"reinstall or remove {package!r}; this is not a runbookdocs problem",
                ) from err
        _loaded = True


def runner_named(kind: str) -> Runner:
    """The runner registered for `kind`.

    Raises:
        EnvironmentProblem: no runner is registered for `kind` (`RBD904`).
    """
    load_runners()
    runner = RUNNERS.get(kind)
    if runner is None:
        known = ", ".join(sorted(RUNNERS))
        raise EnvironmentProblem(
            f"no runner for blocks of kind {kind!r} (runners: {known})",
            hint=f"install the package that runs {kind!r} blocks (entry points "
            f'{ENTRY_POINTS!r}), or mark the block skip="..."',
        )
    return runner


def runner_for(block: Block) -> Runner:
    """The runner of `block` (see `runner_named` and `Block.runner`)."""
    return runner_named(block.runner)


def execute(block: Block, box: Sandbox) -> Verdict:
    """Run one block in `box` with its runner: the one way `run`, `play` and pytest run a block.

    Never raises for a block or target problem: they are findings. Checked first, whatever the
    kind: attribute values that reach a command line (`user=`, `file=`...), unknown
    placeholders. Checked after a failure: whether the target itself went away (then the
    environment failed, not the runbook).
    """
    t = TEXTS.for_language(box.lang)
    if refused := _bad_header(block):
        first = refused[0]
        return Verdict(
            seen=[Seen(False, why=first.message)],
            findings=[
                codes.NOT_RUN_UNSAFE.at(first.location, t("not-run-unsafe", why=first.message))
            ],
        )
    if outside := _outside_includes(block, box):
        # What the site does not publish is not run either: the block would run without the
        # file it names.
        first = outside[0]
        return Verdict(
            seen=[Seen(False, why=first.message)],
            findings=[
                codes.INCLUDE_OUTSIDE.at(
                    first.location, t("not-run-unsafe", why=first.message), hint=first.hint
                )
            ],
        )
    seconds = box.timeout(block)
    if not 0 < seconds <= MAX_TIMEOUT:  # also NaN
        if block.timeout is not None:
            source = "timeout="
        elif box.doc.front.timeout:
            source = "runbook.timeout (front matter)"
        else:
            source = "the project's timeout"
        why = t("invalid-timeout", source=source, value=seconds)
        return Verdict.failed(
            codes.INVALID_TIMEOUT.at(block.location, why, hint=t("invalid-timeout-hint"))
        )
    text, unknown = box.fill(block.source)
    if unknown:
        return Verdict.failed(
            codes.UNKNOWN_VALUE.at(
                block.location, t("unknown-value", name=unknown[0]), hint=t("unknown-value-hint")
            )
        )
    try:
        runner = runner_for(block)
    except RunbookdocsError as err:
        return Verdict.failed(
            codes.NO_RUNNER.at(block.location, err.message, hint=err.hint), error=True
        )
    try:
        verdict = runner.run(block, box, text)
    except TargetError as err:
        verdict = Verdict.failed(
            codes.TARGET_UNAVAILABLE.at(block.location, err.message, hint=err.hint), error=True
        )
    except RunbookdocsError as err:
        verdict = Verdict.failed(
            codes.TARGET_UNAVAILABLE.at(block.location, err.message, hint=err.hint), error=True
        )
    except Exception as err:  # a broken container or plugin must not stop the run
        verdict = Verdict.failed(_crash(block, runner, err, t), error=True)
    if not verdict.ok and (lost := box.lost(block)):
        # The shell ended because its container or Docker went away: the environment failed
        # (exit 2), not the runbook; what the block printed so far is kept.
        message = t("target-lost", target=block.run_target, why=lost)
        verdict = Verdict(
            seen=[Seen(False, normalise(verdict.output), why=message)],
            findings=[
                codes.TARGET_LOST.at(
                    block.location, message, detail=verdict.output, hint=t("target-lost-hint")
                )
            ],
            output=verdict.output,
            error=True,
        )
    return verdict


def _outside_includes(block: Block, box: Sandbox) -> list[Finding]:
    """Includes of files outside the project in `block` (one in a snippet file counts for
    every block of the page: where it lands is not known)."""
    return [
        f
        for f in box.doc.findings
        if f.code == codes.INCLUDE_OUTSIDE.id
        and (f.location.path != block.path or block.line <= f.location.line <= block.end_line)
    ]


def _crash(block: Block, runner: Runner, err: Exception, t: Texts) -> Finding:
    error = f"{type(err).__name__}: {err}"
    module = type(runner).__module__
    if module.split(".")[0] == "runbookdocs":
        return codes.INTERNAL_ERROR.at(
            block.location, t("internal", error=error), hint=t("internal-hint")
        )
    package = _package_of(module)
    return codes.PLUGIN_FAILED.at(
        block.location,
        t("plugin", kind=block.kind, package=package, error=error),
        hint=t("plugin-hint", package=package),
    )


def _package_of(module: str) -> str:
    """The distribution that installs `module` (its top-level name when none is known)."""
    from importlib.metadata import packages_distributions

    top = module.split(".")[0]
    names = packages_distributions().get(top) or [top]
    return names[0]


def _bad_header(block: Block) -> list[Finding]:
    problems = [p for p in parse_header(block.info).problems if p.key in COMMAND_LINE_ATTRIBUTES]
    return [
        codes.NOT_RUN_UNSAFE.at(Location(block.path, block.line, p.col), p.message)
        for p in problems
    ]


# -- helpers for runners --------------------------------------------------------------------


def step_note(step: StepResult, t: Texts, session: str) -> str:
    """What happened to a step besides its status (interrupted, shell ended or replaced)."""
    keys = ", ".join(step.tried)
    if step.ending == "interrupted":
        return t("interrupted", keys=keys)
    if step.ending == "ended":
        return t("ended", status=step.exit, session=session)
    if step.ending == "interrupt-ended":
        return t("ended-interrupted", session=session)
    if step.ending == "replaced":
        return t("replaced", keys=keys)
    return ""


def sabotaged(block: Block, box: Sandbox, step: StepResult, where: Location) -> Verdict | None:
    """The failing verdict of a step the runbook broke the runner's protocol for (`RBD712`),
    or None when the step ran as written. Its status means nothing: it never passes."""
    if step.ending != "tampered":
        return None
    t = TEXTS.for_language(box.lang)
    why = t("tampered", status=step.exit)
    finding = codes.SHELL_TAMPERED.at(where, why, hint=t("tampered-hint"))
    lines = normalise(box.redact(step.output))
    return Verdict(seen=[Seen(False, lines, why=why)], findings=[finding], output=tail(lines))


def slow_prompts(block: Block, box: Sandbox, step: StepResult) -> list[Finding]:
    """Findings for the `answer prompt=` patterns that were dropped as too slow (`RBD713`)."""
    t = TEXTS.for_language(box.lang)
    return [
        codes.REGEX_TOO_SLOW.at(
            block.location, t("slow-prompt", prompt=prompt), hint=t("slow-prompt-hint")
        )
        for prompt in step.slow_prompts
    ]


def slow_regexes(
    block: Block, box: Sandbox, written: Sequence[str], compared: Sequence[str], first: int
) -> list[Finding]:
    """Findings for the ` (re)` lines stopped for taking too long (`RBD713`), at their lines.

    Args:
        written: the expected lines as the page writes them (what the message quotes).
        compared: the same lines as compared (placeholders filled, secrets masked).
        first: index in the block's source of the first expected line.
    """
    from runbookdocs.transcript import REGEX_TIMEOUT, slow_patterns

    t = TEXTS.for_language(box.lang)
    seconds = f"{REGEX_TIMEOUT:g}"
    return [
        codes.REGEX_TOO_SLOW.at(
            block.locate(first + k),
            t("slow-regex", line=written[k] if k < len(written) else compared[k], seconds=seconds),
            hint=t("slow-prompt-hint"),
        )
        for k in slow_patterns(compared)
    ]


def not_recordable(
    step: StepResult, lines: Sequence[str], where: Location, box: Sandbox
) -> Finding | None:
    """Why `--update` must not write `lines` (a step's new expected output) into the page
    (`RBD715`), or None: output cut because it was too long, or text a page cannot hold."""
    from runbookdocs.transcript import unwritable

    t = TEXTS.for_language(box.lang)
    if step.truncated:
        why = t("not-recorded-long", n=step.truncated)
    elif (problem := unwritable(lines)) is not None:
        why = t("not-recorded-control", problem=problem)
    else:
        return None
    return codes.OUTPUT_NOT_RECORDED.at(where, why, hint=t("not-recorded-hint"))


def shorten(command: str, width: int = 60) -> str:
    """A command as messages quote it: one line, cut at a word boundary with ` ...`."""
    text = " ".join(command.split())
    if len(text) <= width:
        return text
    cut = text.rfind(" ", 0, width - 3)
    if cut < width // 2:
        cut = width - 4
    return text[:cut].rstrip() + " ..."


_ERROR_WORDS = re.compile(
    r"""(?ix)
    \b(?:[45]\d\d\s+(?:[a-z]+\s){0,3}?(?:not\s+found|forbidden|unauthori[sz]ed|bad\s+request
        |internal\s+server\s+error|bad\s+gateway|service\s+unavailable|gateway\s+time-?out))
    | command\s+not\s+found
    | no\s+such\s+file\s+or\s+directory
    | permission\s+denied
    | connection\s+refused
    | could\s+not\s+resolve\s+host
    | \btraceback\s+\(most\s+recent\s+call\s+last\)
    | ^(?:error|fatal|e)(?:\[\w+\])?:\s
    """,
    re.MULTILINE,
)


def looks_like_error(lines: Sequence[str]) -> str | None:
    """The first line of `lines` that reads like an error message (`404 Not Found`,
    `command not found`), or None. Used to never invite `--update` to record an error."""
    for line in lines:
        if _ERROR_WORDS.search(line):
            return line.strip()[:120]
    return None


HEAD_LINES = 10
"""Lines shown from the start of an output that was too long to be kept whole."""
_NOT_KEPT = re.compile(r"\[\.\.\. \d+ characters not kept \.\.\.\]\Z")


def tail(lines: Sequence[str], n: int = OUTPUT_LINES) -> str:
    """The last `n` lines, as text; for an output the session could not keep whole, its
    first lines and the note of what was left out come first (the report keeps both ends)."""
    last = list(lines[-n:])
    if len(lines) > n:
        for k, line in enumerate(lines[: len(lines) - n]):
            if _NOT_KEPT.match(line):
                return "\n".join([*lines[: min(k, HEAD_LINES)], line, *last])
    return "\n".join(last)


__all__ = [
    "RUNNERS",
    "Runner",
    "Seen",
    "Verdict",
    "execute",
    "load_runners",
    "looks_like_error",
    "register_runner",
    "runner_for",
    "runner_named",
    "shorten",
    "step_note",
]
