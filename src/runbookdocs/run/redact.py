"""Variables and secrets of a run: where values come from, substitution, and redaction."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from runbookdocs.config import Config
from runbookdocs.document import PLACEHOLDER, Document

MASK = "***"
ENV_PREFIX = "RUNBOOK_VAR_"


@dataclass(frozen=True)
class Values:
    """The variables and secrets of one runbook, resolved."""

    variables: Mapping[str, str] = field(default_factory=dict)
    secrets: Mapping[str, str] = field(default_factory=dict)
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
        return Redactor(self.secrets.values())


def resolve_values(
    doc: Document,
    config: Config,
    cli: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    generate_secrets: bool = False,
) -> Values:
    """Variables: front matter < config `variables` < `RUNBOOK_VAR_name` < `--var name=value`.

    Secrets come only from the environment variable of the same name. With
    `generate_secrets`, a secret the environment does not set gets a throwaway value instead
    (sandboxes are disposable): random, kept in the cache directory so that unchanged
    runbooks stay cached, and redacted like any secret.
    """
    env = os.environ if environ is None else environ
    variables: dict[str, str] = dict(doc.front.variables)
    variables.update(config.variables)
    variables.update({k[len(ENV_PREFIX) :]: v for k, v in env.items() if k.startswith(ENV_PREFIX)})
    variables.update(cli or {})
    secrets: dict[str, str] = {}
    missing: list[str] = []
    for name in doc.front.secrets:
        if name in env:
            secrets[name] = env[name]
        elif generate_secrets:
            secrets[name] = _throwaway_secret(config, doc.path, name)
        else:
            missing.append(name)
        variables.pop(name, None)
    return Values(variables, secrets, tuple(missing))


def _throwaway_secret(config: Config, page: str, name: str) -> str:
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


class Redactor:
    """Replaces every secret value with `***` (longest first, so overlaps are fully masked)."""

    def __init__(self, values: Iterable[str]) -> None:
        found: set[str] = set()
        for value in values:
            if value:
                found.add(value)
                # A terminal turns a secret's newlines into CRLF when a command echoes it.
                found.add(value.replace("\n", "\r\n"))
                found.update(_base64_forms(value))
        self.values = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self.values:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self.values)


def _base64_forms(value: str) -> list[str]:
    """What `printf %s "$SECRET" | base64` prints of a secret, as far as it depends on it alone.

    `base64` wraps lines every 57 input bytes (76 characters): each 57-byte piece encodes on its
    own line, and its first complete 3-byte groups encode the same whatever follows the secret.
    Pieces shorter than 6 bytes are left alone (8 characters could match unrelated text).
    """
    import base64

    try:
        data = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate no command could print anyway
        return []
    forms = []
    for start in range(0, len(data), 57):
        piece = data[start : start + 57]
        piece = piece[: len(piece) - len(piece) % 3]
        if len(piece) >= 6:
            forms.append(base64.b64encode(piece).decode("ascii"))
    return forms
