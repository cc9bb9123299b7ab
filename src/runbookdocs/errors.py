"""The exception tree of runbookdocs.

```
RunbookdocsError                  base class; never raised itself
├── UsageError                    bad command-line use (exit 2)
├── ConfigError                   invalid configuration; carries every problem at once (exit 2)
├── EnvironmentProblem            the tool or environment broke: no Docker, failed build (exit 2)
│   └── TargetError               a target could not be started or became unusable
└── RunbookError                  a runbook itself is wrong and cannot be read (exit 1)
```

A wrong runbook (exit 1) is never confused with a broken tool or environment (exit 2).
Findings about blocks are data (`runbookdocs.results.Finding`), not exceptions.
"""

from __future__ import annotations


class RunbookdocsError(Exception):
    """Base class of every error runbookdocs raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        """The message as shown to a user, with its hint when there is one."""
        return self.message + (f"\n    Hint: {self.hint}" if self.hint else "")


class UsageError(RunbookdocsError):
    """Raised for a bad command line (an unknown option value, a path that does not exist)."""


class ConfigError(RunbookdocsError):
    """Raised when the configuration is invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[str], *, source: str = "configuration") -> None:
        self.problems = problems
        super().__init__(
            f"{source}: {len(problems)} problem(s)\n" + "\n".join(f"    {p}" for p in problems)
        )


class EnvironmentProblem(RunbookdocsError):
    """Raised when the tool or its environment fails (Docker missing, image build failed)."""


class TargetError(EnvironmentProblem):
    """Raised when a target cannot be started, never becomes ready, or dies during a run."""


class RunbookError(RunbookdocsError):
    """Raised when a runbook cannot be read at all (for example a file that is not text)."""

    exit_code = 1


def third_party_package(module: str) -> str | None:
    """The distribution that installs `module` when it is not runbookdocs itself (its top-level
    name when no distribution is known), else None: a plugin's crash is reported to its package,
    not as a bug of runbookdocs."""
    from importlib.metadata import packages_distributions

    top = module.split(".")[0]
    if top == "runbookdocs":
        return None
    names = packages_distributions().get(top) or [top]
    return names[0]
