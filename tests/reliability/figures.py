"""The figures of the reliability suite: inputs fuzzed, faults injected, containers leaked.

Tests record what they did here; `conftest.py` writes it to `artifacts/guarantees.json` at the
end of the session (one file per process: `guarantees.<worker>.json` under pytest-xdist), and
`benchmarks/guarantees.py` turns it into the figures of `docs/garanties.md`. Nothing is
estimated: a fuzzed input is counted when the test body ran on it, a fault when it was injected,
a leak when a container of the run was still listed after the poll.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Figures:
    """What the reliability tests of this process did."""

    inputs: Counter[str] = field(default_factory=Counter)
    """Fuzz target -> inputs the test body ran on."""
    faults: list[tuple[str, str]] = field(default_factory=list)
    """(test, fault) for each fault injected."""
    leak_checks: int = 0
    """Polls of `docker ps -a --filter label=runbookdocs` after a run."""
    leaked: list[str] = field(default_factory=list)
    """Containers still there after the poll."""
    secret_checks: int = 0
    """Outputs, reports, pages and caches searched for a secret (and its derived forms)."""
    secrets_leaked: list[str] = field(default_factory=list)
    """Where a secret (or a piece of it) was found."""

    def to_json(self) -> dict[str, object]:
        return {
            "inputs_fuzzed": dict(sorted(self.inputs.items())),
            "inputs_fuzzed_total": sum(self.inputs.values()),
            "faults_injected": [{"test": t, "fault": f} for t, f in self.faults],
            "faults_injected_total": len(self.faults),
            "leak_checks": self.leak_checks,
            "containers_leaked": len(self.leaked),
            "leaked": self.leaked,
            "secret_checks": self.secret_checks,
            "secrets_leaked": len(self.secrets_leaked),
            "secrets_leaked_in": self.secrets_leaked,
        }


FIGURES = Figures()


def fuzzed(target: str, n: int = 1) -> None:
    """Count `n` inputs run through fuzz target `target`."""
    FIGURES.inputs[target] += n


def fault(fault_name: str) -> None:
    """Record a fault injected by the current test."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "?").split(" ")[0]
    FIGURES.faults.append((test, fault_name))


def _containers(selector: str, host: str | None) -> list[str]:
    argv = ["docker", *(["-H", host] if host else []), "ps", "-a"]
    argv += ["--filter", "label=runbookdocs", "--format", "{{.Names}} {{.Labels}}"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False).stdout
    return [line.split(" ")[0] for line in out.splitlines() if selector in line]


def owner_selector(pid: int) -> str:
    """The part of the owner label (`host:pid:start`) that names runner `pid`."""
    return f"org.runbookdocs.owner={os.uname().nodename}:{pid}:"


def assert_no_leftovers(selector: str, *, seconds: float = 5.0, host: str | None = None) -> None:
    """Poll until no container whose labels contain `selector` is listed; fail (and count) else.

    Args:
        selector: text of the labels that identifies the run (see `owner_selector`).
        seconds: how long removal may take (auto-remove is asynchronous).
        host: another Docker daemon (`unix:///...`).
    """
    FIGURES.leak_checks += 1
    deadline = time.monotonic() + seconds
    left = _containers(selector, host)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _containers(selector, host)
    if left:
        FIGURES.leaked.extend(left)
        raise AssertionError(f"containers left behind: {left}")


def secret_pieces(secret: str, size: int = 6) -> set[str]:
    """Lower-cased pieces of `secret` (of `size` characters) and of its base64 forms (of 8):
    what must never be found where a secret could leak."""
    import base64

    pieces = {secret[k : k + size].lower() for k in range(max(len(secret) - size + 1, 1))}
    data = secret.encode("utf-8")
    for skip in range(3):
        chunk = data[skip:]
        chunk = chunk[: len(chunk) - len(chunk) % 3]
        form = base64.b64encode(chunk).decode()
        pieces |= {form[k : k + 8] for k in range(len(form) - 7)}
    return {p for p in pieces if p.strip()}


def assert_no_secret(text: str, secret: str, where: str) -> None:
    """Fail (and count a leak) when `text` holds a piece of `secret`, in any case, plain or in
    base64 (line breaks and the URL-safe alphabet allowed)."""
    FIGURES.secret_checks += 1
    low = text.lower()
    flat = text.replace("\r", "").replace("\n", "").replace("-", "+").replace("_", "/")
    found = sorted(p for p in secret_pieces(secret) if p in low or p in flat)
    if found:
        FIGURES.secrets_leaked.append(where)
        raise AssertionError(f"secret pieces in {where}: {found[:5]}")
