"""pytest plugin: one test item per runbook block, inert unless enabled.

Enable with `pytest --runbookdocs` (static checks) or `pytest --runbookdocs-run` (static checks,
then run the blocks in containers), or `runbookdocs = check|run` in the ini file. Without path
arguments the configured docs directory is collected; with paths, only those. Items are named
`LINE#id` under their page (`docs/a.md::12#backup`, `docs/a.md::page`): the ids `-v` prints can
be given back to pytest as they are. A failure reads like the page: the block's lines numbered as
on the page, then the findings or the output and exit status — no runbookdocs frames.

This module is imported by every pytest session through the `pytest11` entry point, so it
imports nothing heavy at module level.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from runbookdocs.block import Block
    from runbookdocs.config import Config
    from runbookdocs.document import Document
    from runbookdocs.results import Result
    from runbookdocs.run.engine import RunOptions

_STATE = pytest.StashKey["_State"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("runbookdocs", "runbookdocs: Markdown runbooks as tests")
    group.addoption(
        "--runbookdocs",
        action="store_const",
        const="check",
        dest="runbookdocs",
        help="collect runbook blocks as tests (static checks)",
    )
    group.addoption(
        "--runbookdocs-run",
        action="store_const",
        const="run",
        dest="runbookdocs",
        help="collect runbook blocks and run them in containers",
    )
    group.addoption(
        "--runbookdocs-config",
        default=None,
        help="runbookdocs configuration file (default: the nearest one)",
    )
    group.addoption(
        "--runbookdocs-var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a runbook variable (repeatable)",
    )
    group.addoption(
        "--runbookdocs-generate-secrets",
        action="store_true",
        help="secrets not set in the environment get random throwaway values (sandboxes only)",
    )
    group.addoption(
        "--runbookdocs-no-cache",
        action="store_true",
        help="run every block again: ignore and do not update the result cache",
    )
    group.addoption(
        "--runbookdocs-images",
        choices=("auto", "official", "local"),
        default=None,
        help="how to get images (default: the configuration's images)",
    )
    parser.addini(
        "runbookdocs", "collect runbook blocks: 'check' or 'run' (default: off)", default=""
    )


class _State:
    """Per-session state: the configuration, every page, and results computed once per page."""

    def __init__(self, mode: str, config: Config, options: RunOptions) -> None:
        self.mode = mode
        self.config = config
        self.options = options
        self.documents: dict[Path, Document] | None = None
        self.checked: dict[Path, list[Result]] = {}
        self.ran: dict[Path, list[Result]] = {}

    def all_documents(self) -> dict[Path, Document]:
        if self.documents is None:
            from runbookdocs.document import iter_markdown, read_document

            files = (
                list(iter_markdown([self.config.docs_dir], self.config))
                if self.config.docs_dir.is_dir()
                else []
            )
            self.documents = {f.resolve(): read_document(f, self.config) for f in files}
        return self.documents

    def document(self, path: Path) -> Document:
        docs = self.all_documents()
        if path.resolve() not in docs:
            from runbookdocs.document import read_document

            docs[path.resolve()] = read_document(path, self.config)
        return docs[path.resolve()]

    def check(self, path: Path) -> list[Result]:
        key = path.resolve()
        if key not in self.checked:
            from runbookdocs.validate import check_documents

            # Validated together so that links between pages are resolved; once per session.
            docs = self.all_documents()
            self.document(path)
            report = check_documents(list(docs.values()), self.config)
            by_path: dict[str, list[Result]] = {}
            for r in report.results:
                by_path.setdefault(r.path, []).append(r)
            for file, doc in docs.items():
                self.checked[file] = by_path.get(doc.path, [])
        return self.checked[key]

    def run(self, path: Path) -> list[Result]:
        key = path.resolve()
        if key not in self.ran:
            from runbookdocs.run.engine import run_document

            self.ran[key] = run_document(self.document(path), self.config, self.options)
        return self.ran[key]


def _mode(config: pytest.Config) -> str:
    return str(config.getoption("runbookdocs") or config.getini("runbookdocs") or "").strip()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "runbook_skipped: the runbook block has a skip reason (not run)"
    )
    mode = _mode(config)
    if not mode:
        return
    if mode not in ("check", "run"):
        raise pytest.UsageError(f"runbookdocs ini option must be 'check' or 'run', not {mode!r}")
    from runbookdocs.config import load_config
    from runbookdocs.errors import ConfigError

    option = config.getoption("runbookdocs_config")
    try:
        rb_config = load_config(Path(option) if option else None, start=config.rootpath)
    except ConfigError as err:
        raise pytest.UsageError(err.render()) from err
    from runbookdocs.errors import UsageError
    from runbookdocs.variables import parse_assignments

    try:
        variables = parse_assignments(config.getoption("runbookdocs_var"), "--runbookdocs-var")
    except UsageError as err:
        raise pytest.UsageError(err.render()) from err
    from runbookdocs.run.engine import RunOptions

    options = RunOptions(
        variables=variables,
        generate_secrets=bool(config.getoption("runbookdocs_generate_secrets")),
        use_cache=not config.getoption("runbookdocs_no_cache"),
        images=config.getoption("runbookdocs_images"),
    )
    config.stash[_STATE] = _State(mode, rb_config, options)
    # Paths on the command line say what to collect; without any, the docs directory is added
    # to pytest's own (testpaths or the current directory).
    given = config.args_source == pytest.Config.ArgsSource.ARGS
    if not given and rb_config.docs_dir.is_dir():
        docs = str(rb_config.docs_dir)
        if docs not in config.args:
            config.args.append(docs)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    state = parent.config.stash.get(_STATE, None)
    if state is None or file_path.suffix != ".md":
        return None
    return MarkdownFile.from_parent(parent, path=file_path)


class MarkdownFile(pytest.File):
    """A runbook page; yields one item per block (and one for page-level problems)."""

    def collect(self) -> Iterator[pytest.Item]:
        state: _State = self.config.stash[_STATE]
        doc = state.document(self.path)
        yield PageItem.from_parent(self, name="page")
        for block in doc.blocks:
            name = f"{block.line}#{block.id}" if block.id else str(block.line)
            yield BlockItem.from_parent(self, name=name, block=block)


class RunbookFailure(Exception):
    """A block that failed, with the text to show (page lines, findings, output)."""


class PageItem(pytest.Item):
    """Page-level problems: front matter, links, includes outside blocks."""

    def runtest(self) -> None:
        state: _State = self.config.stash[_STATE]
        doc = state.document(self.path)
        lines = {b.line for b in doc.blocks}
        problems = [
            r
            for r in state.check(self.path)
            if r.kind == "page" and r.line not in lines and r.severity == "error"
        ]
        if problems:
            raise RunbookFailure("\n".join(f.render() for r in problems for f in r.findings))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RunbookFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        # The domain is what failure headers show: the page as a reader names it.
        return self.path, 0, f"{self.config.stash[_STATE].document(self.path).path}"


class BlockItem(pytest.Item):
    """One block: its static check, and its run when `--runbookdocs-run` is on."""

    def __init__(self, *, block: Block, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.block = block
        if block.skip_reason is not None:
            self.add_marker(pytest.mark.runbook_skipped)

    def runtest(self) -> None:
        state: _State = self.config.stash[_STATE]
        block = self.block
        mine = [
            r
            for r in state.check(self.path)
            if r.line == block.line and r.outcome == "failed" and r.severity == "error"
        ]
        if mine:
            raise RunbookFailure(_describe(block, [f for r in mine for f in r.findings]))
        if state.mode != "run":
            return
        results = [r for r in state.run(self.path) if r.line == block.line and r.stage == "run"]
        for r in results:
            if r.outcome in ("failed", "error"):
                raise RunbookFailure(_describe(block, r.findings, r))
        for r in results:
            if r.outcome == "skipped":
                pytest.skip(r.message or "not run")
        if not results and block.skip_reason is not None:
            pytest.skip(block.skip_reason)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, RunbookFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        # `path:line#id` in failure headers; it never ends the node id, so `-v` shows the node
        # id itself (pytest rewrites the dots of a domain that does).
        block = self.block
        return self.path, block.line - 1, f"{block}#{block.id}" if block.id else str(block)


def _describe(block: Block, findings: list[Any], result: Result | None = None) -> str:
    """The block as the reader sees it, numbered with page lines, then what went wrong."""
    width = len(str(block.end_line))
    lines = [f"{block.line:>{width}} | ```{block.info}"]
    marked = {f.location.line for f in findings}
    for text, line in zip(block.source.split("\n"), block.source_lines, strict=False):
        mark = ">" if line in marked else " "
        lines.append(f"{line:>{width}}{mark}| {text}")
    lines.append(f"{block.end_line:>{width}} | ```")
    lines.append("")
    lines += [f.render() for f in findings]
    if result is not None:
        if not findings:
            lines.append(f"{result.path}:{result.line}:1: {result.message}")
        if result.output:
            lines += ["", "output:"] + [f"    {ln}" for ln in result.output.splitlines()]
    return "\n".join(lines)
