"""The figures of docs/garanties.md: run the reliability suite, then summarise what it did.

Runs `python -m pytest tests/reliability` in one process (tests/reliability/conftest.py writes
`artifacts/guarantees.json`) and prints, as Markdown: the command, the machine, the inputs
fuzzed per target, the faults injected, the containers leaked, and each test's outcome.

Usage: python benchmarks/guarantees.py [--no-run] [-- extra pytest arguments]
  --no-run   summarise the last artifacts/guarantees.json without running the suite
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACT = ROOT / "artifacts" / "guarantees.json"


def run_suite(extra: list[str]) -> int:
    argv = [sys.executable, "-m", "pytest", "tests/reliability", "-q", "-p", "no:cacheprovider"]
    argv += extra
    ARTIFACT.unlink(missing_ok=True)
    t0 = time.monotonic()
    code = subprocess.run(argv, cwd=ROOT, check=False).returncode
    print(f"\n{' '.join(argv[1:])}: exit {code} in {time.monotonic() - t0:.0f} s\n")
    return code


def docker_version() -> str:
    proc = subprocess.run(
        ["docker", "version", "--format", "{{.Server.Version}}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or "unavailable"


def summary(data: dict[str, object]) -> str:
    tests = data["tests"]
    assert isinstance(tests, dict)
    inputs = data["inputs_fuzzed"]
    assert isinstance(inputs, dict)
    faults = data["faults_injected"]
    assert isinstance(faults, list)
    lines = [
        f"- commande : `{data['command']}` ({data['generated_at']})",
        f"- machine : {data['machine']}, Docker {docker_version()}",
        f"- durée de la suite : {data['duration_s']} s",
        f"- tests : {', '.join(f'{n} {k}' for k, n in sorted(data['outcomes'].items()))}",  # type: ignore[attr-defined]
        f"- entrées générées : {data['inputs_fuzzed_total']}",
        *(f"    - {name} : {n}" for name, n in inputs.items()),
        f"- pannes injectées : {data['faults_injected_total']}",
        *(f"    - {f['fault']}" for f in faults),
        f"- vérifications `docker ps` après un run : {data['leak_checks']}",
        f"- conteneurs laissés derrière : {data['containers_leaked']}",
        f"- sorties, rapports, pages et caches fouillés pour un secret : "
        f"{data.get('secret_checks', 0)}",
        f"- secrets retrouvés (en clair ou sous une forme dérivée) : "
        f"{data.get('secrets_leaked', 0)}",
        "",
        "| test | résultat | durée (s) |",
        "| --- | --- | --- |",
        *(f"| `{k}` | {v['outcome']} | {v['duration_s']} |" for k, v in tests.items()),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-run", action="store_true")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    code = 0 if args.no_run else run_suite(args.pytest_args)
    if not ARTIFACT.exists():
        print(f"{ARTIFACT} was not written", file=sys.stderr)
        return 2
    print(summary(json.loads(ARTIFACT.read_text(encoding="utf-8"))))
    return code


if __name__ == "__main__":
    sys.exit(main())
