"""Variables and secrets: where each `{{ name }}` takes its value, decided in one place.

Precedence, lowest first (the same for `check`, `run`, `play`, the pytest plugin and the site):

1. the page's default (`runbook.variables` in its front matter);
2. the project's value (`[tool.runbookdocs] variables`);
3. the environment, `RUNBOOK_VAR_name`;
4. the command line, `--var name=value` (`--runbookdocs-var` under pytest).

Secrets (`runbook.secrets`) come only from the environment variable of the same name; with
`generate_secrets`, one the environment does not set gets a throwaway value (sandboxes are
disposable). A name declared as a secret is never a variable.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from runbookdocs.errors import UsageError
from runbookdocs.patterns import lazy

if TYPE_CHECKING:
    from runbookdocs.config import Config
    from runbookdocs.document import Document
    from runbookdocs.run.redact import Redactor

ENV_PREFIX = "RUNBOOK_VAR_"
"""Environment variables named `RUNBOOK_VAR_name` set variable `name`."""

PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
"""A placeholder: `{{ name }}`, filled from variables or secrets."""

_ASSIGNMENT = lazy(r"([A-Za-z_][A-Za-z0-9_]*)=(.*)\Z", re.DOTALL)


def parse_assignments(items: Iterable[str], option: str = "--var") -> dict[str, str]:
    """`NAME=VALUE` items (from `--var`) as a mapping; later items win.

    Raises:
        UsageError: an item is not `NAME=VALUE` with a valid name.
    """
    values: dict[str, str] = {}
    for item in items:
        m = _ASSIGNMENT.match(item)
        if m is None:
            raise UsageError(
                f"{option} {item!r}: write NAME=VALUE",
                hint="names are letters, digits and '_', starting with a letter or '_'",
            )
        values[m.group(1)] = m.group(2)
    return values


class Values(NamedTuple):
    """The variables and secrets of one runbook, resolved."""

    variables: Mapping[str, str] = MappingProxyType({})
    secrets: Mapping[str, str] = MappingProxyType({})
    missing_secrets: tuple[str, ...] = ()
    """Secrets the page declares that the environment does not provide."""

    def substitute(self, text: str) -> tuple[str, list[str]]:
        """`text` with `{{ name }}` filled in, and the unknown names (neither kind)."""
        unknown: list[str] = []

        def fill(m: re.Match[str]) -> str:
            name = m.group("name")
            if name in self.secrets:
                return self.secrets[name]
            if name in self.variables:
                return self.variables[name]
            unknown.append(name)
            return m.group(0)

        return PLACEHOLDER.sub(fill, text), unknown

    def redactor(self) -> Redactor:
        """A redactor for this runbook's secret values."""
        from runbookdocs.run.redact import Redactor

        return Redactor(self.secrets.values())

    def without_secrets(self) -> Values:
        """Values that fill variables only: text shown to people keeps `{{ SECRET }}`."""
        return Values(self.variables, {}, ())


def variable_values(
    doc: Document,
    config: Config,
    cli: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The value of every variable of `doc`, by the precedence in the module docstring.

    Secrets are left out (see `resolve`).
    """
    env = os.environ if environ is None else environ
    variables: dict[str, str] = dict(doc.front.variables)
    variables.update(config.variables)
    variables.update({k[len(ENV_PREFIX) :]: v for k, v in env.items() if k.startswith(ENV_PREFIX)})
    variables.update(cli or {})
    for name in doc.front.secrets:
        variables.pop(name, None)
    return variables


def resolve(
    doc: Document,
    config: Config,
    cli: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    generate_secrets: bool = False,
) -> Values:
    """Variables and secrets of `doc` (see the module docstring for where each comes from)."""
    env = os.environ if environ is None else environ
    secrets: dict[str, str] = {}
    missing: list[str] = []
    for name in doc.front.secrets:
        if name in env:
            secrets[name] = env[name]
        elif generate_secrets:
            secrets[name] = throwaway_secret(config, doc.path, name)
        else:
            missing.append(name)
    return Values(variable_values(doc, config, cli, env), secrets, tuple(missing))


def throwaway_secret(config: Config, page: str, name: str) -> str:
    """A random sandbox secret, stable across runs of this checkout (salt in the cache dir)."""
    import hashlib
    import secrets as random

    salt_file = config.cache_dir / "sandbox-secret-salt"
    try:
        salt = salt_file.read_text(encoding="utf-8").strip()
    except OSError:
        salt = ""
    if not salt:
        salt = random.token_hex(16)
        try:
            config.cache_dir.mkdir(parents=True, exist_ok=True)
            salt_file.write_text(salt, encoding="utf-8")
            salt_file.chmod(0o600)
        except OSError:
            pass  # an unwritable cache only costs the cache
    return "rbd-" + hashlib.sha256(f"{salt}:{page}:{name}".encode()).hexdigest()[:20]


__all__ = [
    "ENV_PREFIX",
    "PLACEHOLDER",
    "Values",
    "parse_assignments",
    "resolve",
    "throwaway_secret",
    "variable_values",
]
