"""A legacy document as read from disk: its form, its bytes and, for text forms, its text.

Every problem reading it is a `SourceError` naming the path (exit 2): a missing or unreadable
file, a form runbookdocs does not read, a binary file given as text, a `.doc` or a damaged `.docx`.
"""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from runbookdocs.errors import UsageError

FORMS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".docx": "word",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
"""File suffix -> form."""

FORM_NAMES = ("text", "markdown", "word", "html")


class SourceError(UsageError):
    """A document that cannot be imported (exit 2); the message starts with its path."""


@dataclass(frozen=True)
class Source:
    """A document to import."""

    path: Path
    display: str
    """The path as the user named it."""
    form: str
    """`text`, `markdown`, `word` or `html`."""
    data: bytes
    text: str = ""
    """Decoded text (text and Markdown forms), newlines normalised."""
    encoding: str = "utf-8"


def form_of(path: Path) -> str | None:
    """The form a file's suffix says, or None."""
    return FORMS.get(path.suffix.lower())


def read_source(path: Path, display: str, *, form: str | None = None, max_mb: float = 20) -> Source:
    """Read one document.

    Raises:
        SourceError: the file cannot be read or is not a document of a known form.
    """
    explicit = form is not None
    form = form or form_of(path)
    if form is None:
        known = ", ".join(sorted(FORMS))
        raise SourceError(
            f"{display}: unknown format {path.suffix or '(no suffix)'!r}",
            hint=f"runbookdocs import reads {known}; --from FORM names the form of another file",
        )
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(f"{display}: is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{display}: not a regular file (a FIFO, device or socket)")
        if info.st_size > max_mb * 1024 * 1024:
            raise SourceError(
                f"{display}: file is {info.st_size / 1048576:.1f} MB, over max_file_mb={max_mb:g}"
            )
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise SourceError(f"{display}: no such file") from err
    except OSError as err:
        raise SourceError(f"{display}: cannot read: {err.strerror or err}") from err
    if form == "word":
        _check_docx(data, display)
        return Source(path, display, form, data)
    if form == "html":
        _refuse_binary(data, display, form)
        return Source(path, display, form, data, text=_decode(data, display)[0])
    _refuse_binary(data, display, form)
    text, encoding = _decode(data, display)
    if form == "text" and not explicit and looks_like_markdown(text):
        form = "markdown"
    return Source(path, display, form, data, text=text, encoding=encoding)


_MD_HEADING = re.compile(r"^#{2,6}[ \t]+\S", re.M)
_MD_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.M)


def looks_like_markdown(text: str) -> bool:
    """A `.txt` file that is Markdown: `##` headings, or a `# Title` first line and fences.

    A `# ` line alone proves nothing in plain text (it is also root's prompt), and fences alone
    appear in text exported from word processors whose headings are not Markdown.
    """
    if _MD_HEADING.search(text):
        return True
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    return bool(re.match(r"#[ \t]+\S", first)) and bool(_MD_FENCE.search(text))


def _refuse_binary(data: bytes, display: str, form: str) -> None:
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text has NUL bytes: _decode reads it
    if b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        what = {b"%PDF": "a PDF file", b"PK\x03": "a zip archive (a .docx?)"}.get(
            head[:4] if head[:4] == b"%PDF" else head[:3], "a binary file"
        )
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            what = "an Office 97-2003 document (.doc)"
        raise SourceError(
            f"{display}: {what}, not {form}",
            hint="save it as .docx, .html or .txt first" if "binary" not in what else None,
        )


def _decode(data: bytes, display: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _normalise(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as err:
            raise SourceError(f"{display}: damaged UTF-16 text") from err
    try:
        return _normalise(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError:
        pass
    # Legacy manuals written on Windows are often Windows-1252; its 5 undefined bytes mean the
    # file is something else.
    try:
        return _normalise(data.decode("cp1252")), "windows-1252"
    except UnicodeDecodeError as err:
        raise SourceError(
            f"{display}: neither UTF-8 nor Windows-1252 text",
            hint="convert it to UTF-8 (iconv -f ENCODING -t UTF-8)",
        ) from err


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_docx(data: bytes, display: str) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(
            f"{display}: an Office 97-2003 document (.doc), not .docx",
            hint="open it in a word processor and save it as .docx",
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as z:
            if "word/document.xml" not in z.namelist():
                raise SourceError(f"{display}: a zip archive without word/document.xml: not .docx")
    except zipfile.BadZipFile as err:
        raise SourceError(f"{display}: not a Word document (.docx is a zip archive)") from err


__all__ = ["FORMS", "FORM_NAMES", "Source", "SourceError", "form_of", "read_source"]
