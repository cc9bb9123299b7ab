"""The sandbox of a lesson: the runbook's targets, started the way `runbookdocs run` starts them
(`run.sandbox.Sandbox` on the Docker backend), and what running a block there shows a learner.

Blocks run through the same runners as in `runbookdocs run` (`run.runners.execute`), so a step
passes in `play` exactly when it passes in `run`. Every container carries the engine's labels: a
sandbox left by a process that died (even by SIGKILL: the PID 1 wrapper exits when its stdin
closes) is removed by the next `runbookdocs run`, `play` or `clean`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from runbookdocs.block import Block
from runbookdocs.config import Config
from runbookdocs.document import Document
from runbookdocs.errors import RunbookError
from runbookdocs.run.runners import Seen, execute, runner_for
from runbookdocs.run.sandbox import Backend, DockerBackend, Sandbox, unknown_target
from runbookdocs.run.targets import target_specs
from runbookdocs.variables import Values

Log = Callable[[str], None]


def open_sandbox(
    doc: Document,
    config: Config,
    values: Values,
    blocks: list[Block],
    log: Log,
    *,
    lang: str,
    backend: Backend | None = None,
) -> Sandbox:
    """Start the targets the `blocks` of a lesson run in (after sweeping what dead runners
    left), and return their sandbox; what its runners say is in `lang`, the learner's language.

    Raises:
        RunbookError: a block names a target that does not exist (exit 1, as in `run`).
        EnvironmentProblem: no Docker, an image that cannot be had.
        TargetError: a target that does not start (nothing is left behind).
    """
    specs = target_specs(config)
    unknown = unknown_target(blocks, specs)
    if unknown is not None:
        raise RunbookError(unknown.render())
    backend = backend or DockerBackend()
    box = Sandbox(doc, config, values, backend, lang=lang, specs=specs)
    try:
        backend.open(log)
        names = list(dict.fromkeys(b.run_target for b in blocks))
        images = {
            name: backend.image(specs[name], config.images, log, build=True)[0] for name in names
        }
        box.open(images)
    except BaseException:
        box.close()
        backend.close()
        raise
    return box


def close_sandbox(box: Sandbox) -> None:
    """Remove everything the sandbox started (idempotent)."""
    box.close()
    box.backend.close()


def run_block(box: Sandbox, block: Block) -> list[Seen]:
    """Run a block as the page documents it; a console block gives one `Seen` per command."""
    return execute(block, box).seen or [Seen(True)]


def merged(seen: list[Seen]) -> Seen:
    """One `Seen` for several: the first that is not fine, else a fine one."""
    bad = [s for s in seen if not s.ok]
    return bad[0] if bad else Seen(True)


def check(box: Sandbox, block: Block) -> Seen:
    """Run a `.check` block: a shell block holds when it exits its `expect`, a console block
    when every command gives its expected output."""
    return merged(run_block(box, block))


def file_holds(box: Sandbox, block: Block) -> Seen:
    """Whether the file of a config block holds the block's text."""
    from runbookdocs.run.runners.files import FileRunner

    runner = runner_for(block)
    assert isinstance(runner, FileRunner)
    return runner.holds(block, box)


def sandbox_values(values: Values) -> tuple[Values, list[str]]:
    """Values for a sandbox: a secret missing from the environment gets a random value (a new
    hire practising has no production password, and none is needed in a throwaway container).

    Returns the values and the names given a random value.
    """
    if not values.missing_secrets:
        return values, []
    filled = dict(values.secrets)
    for name in values.missing_secrets:
        filled[name] = "sandbox-" + secrets.token_urlsafe(12)
    return Values(values.variables, filled, ()), list(values.missing_secrets)


__all__ = [
    "check",
    "close_sandbox",
    "file_holds",
    "merged",
    "open_sandbox",
    "run_block",
    "sandbox_values",
]


def typed_shell(box: Sandbox, block: Block, text: str, *, expect: int = 0) -> Seen:
    """Run shell `text` a learner typed (placeholders filled in) in the block's shell: fine
    when it exits `expect`."""
    from runbookdocs.run.runners.shell import judge

    step = box.session(block).run(
        text, timeout=box.timeout(block), replies=box.replies(block), typed=True
    )
    return judge(block, box, step, text, expect=expect, typed=True).seen[0]
