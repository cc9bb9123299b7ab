"""What checks and runs produce: findings, per-block results, and the report."""

from __future__ import annotations

import contextlib
import glob
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from runbookdocs.location import Location

Severity = Literal["error", "warning"]
Outcome = Literal["passed", "failed", "skipped", "error"]
Stage = Literal["validate", "run"]

REPORT_VERSION = 2
"""Version of the JSON report. 2: findings carry their `code`. Version-1 reports are still read
(their findings get the code `RBD000`)."""
READABLE_VERSIONS = (1, 2)
_OUTCOMES = ("passed", "failed", "skipped", "error")
_STAGES = ("validate", "run")
_SEVERITIES = ("error", "warning")


class ReportFormatError(ValueError):
    """A JSON document that is not a runbookdocs report this version can read."""


@dataclass(frozen=True)
class Finding:
    """A problem found in a runbook, at the page line where the reader sees it."""

    location: Location
    message: str
    severity: Severity = "error"
    hint: str | None = None
    detail: str = ""
    """Indented lines shown under the message (tool output, a diff)."""
    origin: Location | None = None
    """Where the text really is when it came from a snippet file."""
    code: str = ""
    """The finding code (`RBD101`, see `runbookdocs.codes`); required."""
    tool_code: str | None = None
    """The code of the tool that found it, when a tool did (shellcheck's `SC2086`)."""

    def __post_init__(self) -> None:
        from runbookdocs import codes

        if not codes.known(self.code):
            raise ValueError(f"finding without a registered code: {self.code!r} ({self.message})")

    @classmethod
    def from_json(cls, data: Any, *, version: int = REPORT_VERSION) -> Finding:
        """A finding from its report form (`Result.to_json`).

        Raises:
            ReportFormatError: `data` is not a finding.
        """
        return finding_from_json(data, version=version)

    def render(self) -> str:
        """Compiler-style text: `path:line:col: severity: message [CODE]`, detail, hint."""
        head = f"{self.location}: {self.severity}: {self.message}"
        if self.origin is not None:
            head += f" (in {self.origin.short})"
        head += f" [{self.code}]"
        lines = [head]
        lines += [f"    {ln}" for ln in self.detail.splitlines()]
        if self.hint:
            lines.append(f"    Hint: {self.hint}")
        return "\n".join(lines)


@dataclass
class Result:
    """The outcome of one stage (validate or run) for one block, or for a page."""

    path: str
    line: int
    kind: str
    stage: Stage
    outcome: Outcome
    id: str | None = None
    target: str | None = None
    severity: Severity | None = None
    message: str = ""
    duration_s: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    output: str = ""
    """What the block printed (already redacted), for failed runs."""
    started_at: str | None = None
    """When a run result's block started (ISO 8601, UTC)."""
    cached: bool = False
    """A run result taken from the cache (the runbook did not change since it passed)."""
    updated: bool = False
    """A run result of `--update` whose differences were all written into the page."""
    digest: str | None = None
    """For run results: `Document.run_digest()` of the page when it ran (the site compares it
    with the page as published to tell whether the verification still holds)."""

    @property
    def location(self) -> Location:
        """Where the result is reported."""
        return Location(self.path, self.line)

    def to_json(self) -> dict[str, Any]:
        """The report's JSON form of this result."""
        return {
            "path": self.path,
            "line": self.line,
            "id": self.id,
            "kind": self.kind,
            "target": self.target,
            "stage": self.stage,
            "outcome": self.outcome,
            "severity": self.severity,
            "message": self.message,
            "duration_s": round(self.duration_s, 4),
            **({"output": self.output} if self.output else {}),
            **({"started_at": self.started_at} if self.started_at else {}),
            **({"cached": True} if self.cached else {}),
            **({"updated": True} if self.updated else {}),
            **({"digest": self.digest} if self.digest else {}),
            **({"findings": [_finding_json(f) for f in self.findings]} if self.findings else {}),
        }

    @classmethod
    def from_json(cls, data: Any, *, version: int = REPORT_VERSION) -> Result:
        """The reverse of `to_json`.

        Raises:
            ReportFormatError: `data` is not a result of a readable report.
        """
        if not isinstance(data, dict):
            raise ReportFormatError(f"a result is an object, not {type(data).__name__}")
        path, line = data.get("path"), data.get("line")
        outcome, stage = data.get("outcome"), data.get("stage")
        if not isinstance(path, str) or not isinstance(line, int) or isinstance(line, bool):
            raise ReportFormatError("a result needs a 'path' (text) and a 'line' (number)")
        if outcome not in _OUTCOMES or stage not in _STAGES:
            raise ReportFormatError(
                f"a result's outcome must be one of {_OUTCOMES} and its stage one of {_STAGES}"
            )
        severity = data.get("severity")
        duration = data.get("duration_s", 0.0)
        findings = data.get("findings", [])
        if not isinstance(findings, list):
            raise ReportFormatError("a result's 'findings' is a list")
        return cls(
            path=path,
            line=line,
            kind=str(data.get("kind") or ""),
            stage=stage,
            outcome=outcome,
            id=_text_or_none(data.get("id")),
            target=_text_or_none(data.get("target")),
            severity=severity if severity in _SEVERITIES else None,
            message=str(data.get("message") or ""),
            duration_s=float(duration) if isinstance(duration, (int, float)) else 0.0,
            findings=[Finding.from_json(f, version=version) for f in findings],
            output=str(data.get("output") or ""),
            started_at=_text_or_none(data.get("started_at")),
            cached=data.get("cached") is True,
            updated=data.get("updated") is True,
            digest=_text_or_none(data.get("digest")),
        )


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _location(text: Any) -> Location:
    """`path:line:col` back to a `Location` (paths may hold ':')."""
    if not isinstance(text, str):
        raise ReportFormatError(f"a location is 'path:line:col', not {text!r}")
    path, _, rest = text.rpartition(":")
    path2, _, line = path.rpartition(":")
    if path2 and line.isdigit() and rest.isdigit():
        return Location(path2, int(line), int(rest))
    if path and rest.isdigit():
        return Location(path, int(rest))
    raise ReportFormatError(f"a location is 'path:line:col', not {text!r}")


def _finding_json(f: Finding) -> dict[str, Any]:
    data = asdict(f)
    data["location"] = str(f.location)
    data["origin"] = str(f.origin) if f.origin else None
    if f.tool_code is None:
        del data["tool_code"]
    return data


def finding_from_json(data: Any, *, version: int = REPORT_VERSION) -> Finding:
    """A finding from its report form (`Result.to_json`).

    Raises:
        ReportFormatError: `data` is not a finding.
    """
    from runbookdocs import codes

    if not isinstance(data, dict) or not isinstance(data.get("message"), str):
        raise ReportFormatError("a finding is an object with a 'message'")
    code = data.get("code") if version >= 2 else codes.LEGACY.id
    if not isinstance(code, str) or not codes.known(code):
        raise ReportFormatError(f"finding code {code!r} is not known to this version")
    severity = data.get("severity")
    origin = data.get("origin")
    return Finding(
        _location(data.get("location")),
        data["message"],
        severity if severity in _SEVERITIES else "error",
        _text_or_none(data.get("hint")),
        str(data.get("detail") or ""),
        _location(origin) if origin else None,
        code=code,
        tool_code=_text_or_none(data.get("tool_code")),
    )


@dataclass
class Report:
    """Every result of a check or a run, with its summary, JSON and JUnit forms."""

    results: list[Result] = field(default_factory=list)
    duration_s: float = 0.0

    def extend(self, results: Iterable[Result]) -> None:
        """Add results."""
        self.results.extend(results)

    def summary(self) -> dict[str, int]:
        """Counts: passed, failed (errors in runbooks), skipped, errors (tool), warnings."""
        counts = {"passed": 0, "failed": 0, "skipped": 0, "errors": 0, "warnings": 0}
        for r in self.results:
            if r.outcome == "error":
                counts["errors"] += 1
            elif r.outcome == "failed" and r.severity == "warning":
                counts["warnings"] += 1
            elif r.outcome == "failed":
                counts["failed"] += 1
            else:
                counts[r.outcome] += 1
        return counts

    def exit_code(self, *, strict: bool = False) -> int:
        """0 when clean, 1 when a runbook is wrong, 2 when the tool or environment failed."""
        s = self.summary()
        if s["errors"]:
            return 2
        if s["failed"] or (strict and s["warnings"]):
            return 1
        return 0

    def to_json(self) -> dict[str, Any]:
        """The documented report format (`REPORT_VERSION`)."""
        return {
            "version": REPORT_VERSION,
            "summary": self.summary(),
            "duration_s": round(self.duration_s, 3),
            "results": [r.to_json() for r in self.results],
        }

    @classmethod
    def from_json(cls, data: Any) -> Report:
        """A report from its JSON form (any of `READABLE_VERSIONS`); the summary is recounted.

        Raises:
            ReportFormatError: `data` is not a report this version can read; the message
                says what is wrong (result numbers are 1-based).
        """
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise ReportFormatError("not a runbookdocs report (no 'results' list)")
        version = data.get("version")
        if version not in READABLE_VERSIONS:
            raise ReportFormatError(
                f"report version {version!r} is not supported (this version reads "
                f"{', '.join(map(str, READABLE_VERSIONS))})"
            )
        results = []
        for i, item in enumerate(data["results"]):
            try:
                results.append(Result.from_json(item, version=version))
            except ReportFormatError as err:
                raise ReportFormatError(f"result #{i + 1}: {err}") from err
        duration = data.get("duration_s", 0.0)
        return cls(results, float(duration) if isinstance(duration, (int, float)) else 0.0)

    @classmethod
    def read(cls, path: Path) -> Report:
        """Read a JSON report file.

        Raises:
            ReportFormatError: the file is not JSON, or not a report this version can read.
            OSError: the file cannot be read.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as err:
            raise ReportFormatError(f"not a JSON file: {err}") from err
        return cls.from_json(data)

    def write_json(self, path: Path) -> None:
        """Write the JSON report atomically."""
        atomic_write(path, json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n")

    def write_junit(self, path: Path) -> None:
        """Write a JUnit XML report (one testcase per result), atomically.

        Every text goes through `xml_safe`: output holding binary, NUL, `ESC c` or the
        runner's own markers would otherwise make the file unreadable to every CI.
        """
        suites = ET.Element("testsuites")
        by_path: dict[str, list[Result]] = {}
        for r in self.results:
            by_path.setdefault(r.path, []).append(r)
        for page, results in by_path.items():
            suite = ET.SubElement(suites, "testsuite", name=xml_safe(page), tests=str(len(results)))
            failures = errors = skipped = 0
            for r in results:
                name = f"{r.path}:{r.line}" + (f"#{r.id}" if r.id else "") + f" [{r.stage}]"
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=xml_safe(page.replace("/", ".").removesuffix(".md")),
                    name=xml_safe(name),
                    time=f"{r.duration_s:.3f}",
                )
                text = "\n".join(f.render() for f in r.findings) or r.message
                if r.output:
                    text += "\n" + r.output
                text, message = xml_safe(text), xml_safe(r.message)
                if r.outcome == "failed" and r.severity != "warning":
                    failures += 1
                    ET.SubElement(case, "failure", message=message).text = text
                elif r.outcome == "error":
                    errors += 1
                    ET.SubElement(case, "error", message=message).text = text
                elif r.outcome == "skipped":
                    skipped += 1
                    ET.SubElement(case, "skipped", message=message)
                elif r.severity == "warning":
                    ET.SubElement(case, "system-out").text = text
            suite.set("failures", str(failures))
            suite.set("errors", str(errors))
            suite.set("skipped", str(skipped))
        ET.indent(suites)
        atomic_write(path, ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n")


_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]"


def xml_safe(text: str) -> str:
    """`text` with what XML 1.0 cannot hold (control characters, lone surrogates) shown as
    `\\xNN` / `\\uNNNN` escapes."""
    return re.sub(_NOT_XML, _escape_char, text)


def _escape_char(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename, so readers never see half.

    The temporary file is named after the writer's pid: one a killed writer left behind (SIGKILL
    between the write and the rename) is removed by the next write to the same path.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp creates the file 0600: keep the mode of the file replaced, else give what
        # open() would have (0666 less the umask), so reports are readable like any output.
        os.chmod(tmp, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process umask. Linux shows it in /proc; elsewhere it can only be read by setting it
    (and setting it back), which briefly affects other threads' new files."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_stale_temporaries(path: Path) -> None:
    own = re.compile(rf"{re.escape(f'.{path.name}.')}(\d+)\.\w{{8}}\.tmp\Z")
    for tmp in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        m = own.match(tmp.name)
        if m is not None and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True
