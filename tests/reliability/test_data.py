"""The user's files: `--update` keeps every other byte, is idempotent, and an interrupted write
leaves the original as it was.

The byte-for-byte property over generated pages is in `test_fuzz_trees_transcripts.py`; here a
real run rewrites a page with CRLF line endings, a BOM, an admonition and output that looks like
transcript syntax, then a second run changes nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from runbookdocs.results import atomic_write
from tests.helpers import cli, make_project
from tests.reliability.figures import assert_no_leftovers, fault, owner_selector

PAGE = (
    "\ufeff---\r\n"
    "runbook:\r\n"
    "  target: debian\r\n"
    "---\r\n"
    "# Mise à jour\r\n"
    "\r\n"
    '!!! note "Dans une note"\r\n'
    "\r\n"
    "    ```console {#dans-note}\r\n"
    "    $ printf '%s\\n' '```' '>' milieu '[1]'\r\n"
    "    ancien\r\n"
    "    ```\r\n"
    "\r\n"
    "texte après   \r\n"
    "\r\n"
    "```console\r\n"
    "$ echo garde\r\n"
    "garde\r\n"
    "$ printf 'a\\nb\\n'\r\n"
    "a\r\n"
    "```\r\n"
    "fin sans saut de ligne"
)
UPDATED = PAGE.replace(
    "    ancien\r\n",
    # A printed fence, a lone '>' and a last '[1]' would read as syntax: written as regexes.
    "    ``` (re)\r\n    >\r\n    milieu\r\n    \\[1\\] (re)\r\n",
).replace("a\r\n```", "a\r\nb\r\n```")


@pytest.mark.docker
def test_update_keeps_every_other_byte_and_a_second_update_changes_nothing(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, {})
    page = root / "docs" / "maj.md"
    page.parent.mkdir()
    page.write_bytes(PAGE.encode("utf-8"))

    first = subprocess.Popen(
        [sys.executable, "-m", "runbookdocs.cli", "run", "--update"],
        cwd=root,
        env={**os.environ, "RUNBOOKDOCS_PLAIN": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = first.communicate(timeout=120)
    # Every difference was written (a failing status never is: see test_run_engine.py), so the
    # update run itself succeeds; the page now says what is printed.
    assert first.returncode == 0, out + err
    assert page.read_bytes() == UPDATED.encode("utf-8")
    assert_no_leftovers(owner_selector(first.pid))

    mtime = page.stat().st_mtime_ns
    second = cli("run", "--update", "--no-cache", cwd=root)
    assert second.returncode == 0, second.stdout + second.stderr
    assert page.read_bytes() == UPDATED.encode("utf-8")
    assert page.stat().st_mtime_ns == mtime
    assert not list(page.parent.glob(".*.tmp"))


def test_a_failed_rename_keeps_the_original_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"original\r\n")
    fault("os.replace fails between the temporary write and the rename")

    def broken(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        atomic_write(page, "nouveau\n")
    assert page.read_bytes() == b"original\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


def test_interrupt_during_the_write_keeps_the_original_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"original\n")
    fault("Ctrl-C (KeyboardInterrupt) during fsync of the temporary file")

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(page, "nouveau\n")
    assert page.read_bytes() == b"original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]


KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from runbookdocs.results import atomic_write

    def killed(src, dst):
        os.kill(os.getpid(), signal.SIGKILL)  # the worst moment: written, not yet renamed

    os.replace = killed
    atomic_write(Path(sys.argv[1]), "moitié d'une mise à jour\\n")
    """
)


def test_sigkill_between_write_and_rename_keeps_the_original_and_the_next_write_cleans_up(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"original\n")
    fault("SIGKILL of the writer between the temporary write and the rename")
    proc = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(page)], capture_output=True, timeout=60
    )
    assert proc.returncode == -signal.SIGKILL
    assert page.read_bytes() == b"original\n"
    (left,) = [p for p in tmp_path.iterdir() if p.name != "page.md"]
    assert left.name.startswith(".page.md.") and left.name.endswith(".tmp")
    atomic_write(page, "suivante\n")  # the next write of the page (a later --update)
    assert page.read_text(encoding="utf-8") == "suivante\n"
    assert [p.name for p in tmp_path.iterdir()] == ["page.md"]
