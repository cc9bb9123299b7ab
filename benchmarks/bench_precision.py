"""Precision of `runbookdocs check` on documentation written by others, and blocks dropped.

For each folder of Markdown given, it runs `runbookdocs check FOLDER --no-cache` in a fresh
process, as a new user would (no configuration: the dialect is detected, or given with
`--dialect`), and prints:

- pages, blocks, and the wall-clock time of that cold check;
- findings per 1,000 blocks, by severity and by code (shellcheck findings also by SC code);
- the fenced blocks a CommonMark reference parser (markdown-it-py) finds, against the blocks the
  extractor finds: every reference block the extractor does not have is listed as *dropped*
  (the extractor also finds blocks the reference misses: fences inside content tabs and
  admonitions, which markdown-it reads as indented code);
- blocks found but not validated, by reason (a language runbookdocs does not check).

Classifying a finding as a false alarm or a real defect takes reading it: `--findings FILE`
writes every finding (one compiler-style line each) for that, and `--classified FILE` (lines
`path:line:col ... [CODE] => false` or `=> real`, as kept in the notes) adds the false-alarm
figures to the table.

Usage:
    python benchmarks/bench_precision.py ../shared/corpora/openshift-runbooks/alerts \\
        ../shared/corpora/mkdocs-material-docs/docs
    python benchmarks/bench_precision.py DIR#mkdocs OTHER --findings /tmp/f.txt
    python benchmarks/bench_precision.py DIR --list-dropped
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass
class SetFigures:
    """What one folder gave."""

    name: str
    path: str = ""
    pages: int = 0
    blocks: int = 0
    seconds: float = 0.0
    exit_status: int = 0
    dialects: list[str] = field(default_factory=list)
    by_severity: Counter[str] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    by_tool_code: Counter[str] = field(default_factory=Counter)
    findings: list[str] = field(default_factory=list)
    reference_blocks: int = 0
    dropped: list[str] = field(default_factory=list)
    as_text: list[str] = field(default_factory=list)
    not_validated: Counter[str] = field(default_factory=Counter)
    tracebacks: int = 0

    def per_1000(self, n: int) -> float:
        return 1000.0 * n / self.blocks if self.blocks else 0.0


def run_check(folder: Path, dialect: str | None) -> tuple[float, int, dict[str, object], str]:
    """`runbookdocs check FOLDER --no-cache` in a fresh process: time, exit, report, stderr."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "runbookdocs.cli", "check", str(folder), "--no-cache"]
        cmd += ["--report", str(report)]
        if dialect:
            cmd += ["--dialect", dialect]
        env = {**os.environ, "RUNBOOKDOCS_PLAIN": "1"}
        started = time.perf_counter()
        # Run from an empty directory: no project configuration applies, as for a new user.
        proc = subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=600)
        elapsed = time.perf_counter() - started
        data = json.loads(report.read_text()) if report.exists() else {}
    return elapsed, proc.returncode, data, proc.stderr


def reference_fences(path: Path) -> list[int]:
    """1-based lines of the fences markdown-it-py (CommonMark) finds in a page."""
    from markdown_it import MarkdownIt

    text = path.read_text(encoding="utf-8", errors="replace")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    offset = 0
    lines = text.split("\n")
    # Front matter is not Markdown; its fences may carry trailing blanks (`--- `), as MkDocs
    # and Hugo accept.
    if lines and lines[0].rstrip() in ("---", "+++"):
        mark = lines[0].rstrip()
        end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == mark), None)
        if end is not None:
            offset = end + 1
            text = "\n".join([""] * offset + lines[offset:])
    md = MarkdownIt("commonmark")
    return [t.map[0] + 1 for t in md.parse(text) if t.type == "fence" and t.map]


def measure(folder: Path, dialect: str | None) -> SetFigures:
    """Run the check on `folder` and compare the extractor with the reference parser."""
    from runbookdocs.config import Config
    from runbookdocs.document import iter_markdown, read_document

    generic = {"docs", "content", "alerts", "doc", "src", "en", "documentation", "site"}
    name = folder.name
    if name.lower() in generic and folder.parent.name:
        name = f"{folder.parent.name}/{name}"
    figures = SetFigures(name.split("+")[-1], str(folder))
    seconds, status, report, stderr = run_check(folder, dialect)
    figures.seconds, figures.exit_status = seconds, status
    figures.tracebacks = stderr.count("Traceback")
    figures.dialects = [ln for ln in stderr.splitlines() if ln.startswith("dialect:")]
    m = re.search(r"checked (\d+) page\(s\), (\d+) block\(s\)", stderr)
    if m:
        figures.pages, figures.blocks = int(m.group(1)), int(m.group(2))
    results = report.get("results", []) if isinstance(report, dict) else []
    seen: set[str] = set()
    for r in results if isinstance(results, list) else []:
        for f in r.get("findings", []):
            key = f"{f['location']}: {f['severity']}: {f['message']}"
            key += f" [{f.get('code', '')}]"
            if key in seen:
                continue
            seen.add(key)
            figures.findings.append(key)
            figures.by_severity[f["severity"]] += 1
            figures.by_code[f.get("code", "")] += 1
            if f.get("tool_code"):
                figures.by_tool_code[f["tool_code"]] += 1
    config = Config.defaults(Path.cwd())
    if dialect:
        import dataclasses

        config = dataclasses.replace(config, dialect=dialect)
    for file in iter_markdown([folder], config):
        doc = read_document(file, config)
        ours = {b.line for b in doc.blocks}
        for b in doc.blocks:
            why = b.not_run()
            if b.kind == "other":
                figures.not_validated[f"language {b.lang or '(none)'}"] += 1
            elif why is not None and why.reason == "skipped":
                figures.not_validated["skip= (checked, not run)"] += 1
        try:
            ref = reference_fences(file)
        except (OSError, UnicodeDecodeError):
            continue
        figures.reference_blocks += len(ref)
        # An ignore-next directive drops its block on purpose: not a loss.
        ignored = _ignored_lines(doc.text)
        # A closing fence written outside its list item: CommonMark opens a new block there,
        # the extractor reads it as the closing fence it is meant to be (and reports it).
        ignored |= set(doc.misplaced_closes)
        # A fence the site renders as text (RBD109, an indented fence without superfences) is
        # a block for CommonMark only: reported, and listed here, not lost.
        for line in doc.text_fences:
            figures.not_validated["rendered as text (RBD109)"] += 1
            figures.as_text.append(f"{config.display(file)}:{line}")
        ignored |= set(doc.text_fences)
        # A Hugo `{{< highlight >}}` shortcode is a block the reference does not see (it reads
        # the shortcodes as text); a fence between them is that block's code, not a block.
        for first, last in doc.highlight_spans:
            ignored |= set(range(first, last + 1))
        for line in ref:
            if line not in ours and line not in ignored:
                figures.dropped.append(f"{config.display(file)}:{line}")
    return figures


def _ignored_lines(text: str) -> set[int]:
    lines = text.split("\n")
    out: set[int] = set()
    for i, line in enumerate(lines):
        if "runbook: ignore-next" in line:
            j = i + 1
            while j < len(lines) and not lines[j].lstrip().startswith(("```", "~~~")):
                j += 1
            out.add(j + 1)
    return out


def load_classification(path: Path) -> dict[str, str]:
    """`finding line => false|real` pairs (the finding line without its message is enough:
    `path:line:col [CODE]`)."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=>" not in line:
            continue
        left, verdict = line.rsplit("=>", 1)
        # The notes write `=> false: why`: the verdict is the first word, without its colon.
        out[_key(left.strip())] = verdict.strip().split()[0].rstrip(":") if verdict.strip() else ""
    return out


def _key(finding: str) -> str:
    m = re.match(r"(\S+?:\d+:\d+):.*\[(\w+)\]\s*$", finding)
    return f"{m.group(1)} [{m.group(2)}]" if m else finding


def print_table(sets: list[SetFigures], verdicts: dict[str, str]) -> None:
    """The figures side by side, one column per set."""
    names = [s.name for s in sets]
    width = max(12, *(len(n) for n in names))
    head = f"{'':34}" + "".join(f"{n:>{width + 2}}" for n in names)
    print(head)

    def row(label: str, values: list[str]) -> None:
        print(f"{label:34}" + "".join(f"{v:>{width + 2}}" for v in values))

    row("pages", [str(s.pages) for s in sets])
    row("blocks (extractor)", [str(s.blocks) for s in sets])
    row("fences (CommonMark reference)", [str(s.reference_blocks) for s in sets])
    row("reference blocks dropped", [str(len(s.dropped)) for s in sets])
    row("cold check (s)", [f"{s.seconds:.2f}" for s in sets])
    row("exit status", [str(s.exit_status) for s in sets])
    row("tracebacks", [str(s.tracebacks) for s in sets])
    row("findings / 1,000 blocks", [f"{s.per_1000(sum(s.by_severity.values())):.1f}" for s in sets])
    for severity in ("error", "warning"):
        row(f"  {severity}s / 1,000", [f"{s.per_1000(s.by_severity[severity]):.1f}" for s in sets])
    if verdicts:
        for label, sev in (("false alarms / 1,000", None), ("  of which errors", "error")):
            values = []
            for s in sets:
                n = sum(
                    1
                    for f in s.findings
                    if verdicts.get(_key(f)) == "false" and (sev is None or f": {sev}: " in f)
                )
                values.append(f"{s.per_1000(n):.1f}")
            row(label, values)
        row(
            "unclassified findings",
            [str(sum(1 for f in s.findings if _key(f) not in verdicts)) for s in sets],
        )
    codes = sorted({c for s in sets for c in s.by_code})
    print("\nfindings by code, per 1,000 blocks")
    for code in codes:
        row(f"  {code}", [f"{s.per_1000(s.by_code[code]):.1f}" for s in sets])
    tools = sorted({c for s in sets for c in s.by_tool_code})
    if tools:
        print("shellcheck codes, per 1,000 blocks")
        for code in tools:
            row(f"  {code}", [f"{s.per_1000(s.by_tool_code[code]):.1f}" for s in sets])
    print("\nblocks found but not validated (language not checked, or rendered as text), per set")
    for s in sets:
        top = ", ".join(f"{k} {v}" for k, v in s.not_validated.most_common(8))
        print(f"  {s.name}: {sum(s.not_validated.values())} ({top})")
    for s in sets:
        for line in s.dialects:
            print(f"  {s.name}: {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folders", nargs="+", type=Path, help="folders of Markdown pages (PATH or PATH#DIALECT)"
    )
    parser.add_argument("--dialect", help="pass --dialect to the check (default: detected)")
    parser.add_argument("--findings", type=Path, help="write every finding to this file")
    parser.add_argument("--classified", type=Path, help="finding => false|real verdicts")
    parser.add_argument("--list-dropped", action="store_true", help="list dropped blocks")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    args = parser.parse_args(argv)
    sets = []
    for folder in args.folders:
        # `PATH#DIALECT`: the dialect the set's own site uses, when its configuration is not
        # part of the folder (a copy of a docs/ directory without its mkdocs.yml).
        path, _, dialect = str(folder).partition("#")
        sets.append(measure(Path(path).resolve(), dialect or args.dialect))
    verdicts = load_classification(args.classified) if args.classified else {}
    print_table(sets, verdicts)
    if args.list_dropped:
        for s in sets:
            for d in s.dropped:
                print(f"dropped: {d}")
            for d in s.as_text:
                print(f"rendered as text (RBD109, not dropped): {d}")
    if args.findings:
        args.findings.write_text(
            "".join(f + "\n" for s in sets for f in s.findings), encoding="utf-8"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {
                        "name": s.name,
                        "path": s.path,
                        "pages": s.pages,
                        "blocks": s.blocks,
                        "seconds": round(s.seconds, 3),
                        "by_severity": dict(s.by_severity),
                        "by_code": dict(s.by_code),
                        "by_tool_code": dict(s.by_tool_code),
                        "reference_blocks": s.reference_blocks,
                        "dropped": s.dropped,
                        "tracebacks": s.tracebacks,
                    }
                    for s in sets
                ],
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
