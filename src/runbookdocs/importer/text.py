"""Plain-text manuals: headings from their shape, lists, tables, and code found in the prose.

Legacy manuals exported to text have no markup for code: a JSON file is pasted between two
sentences, a command follows a `#` prompt with its output under it, an INI section sits after
"for site-options.cfg:". `segment` walks the lines once and, at each line, asks the code
detectors first (a prompt, a JSON opener, an INI section, an SQL statement, a YAML mapping, a bare
command), then the structure rules (headings, tables, list items), and takes the rest as prose.

Word and HTML readers use `segment` too, with `structure=False`, on runs of plain paragraphs:
their headings and lists come from styles and tags, but commands typed as plain paragraphs still
need finding.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from runbookdocs.importer import classify as cl
from runbookdocs.importer.model import Code, Element, Heading, Item, Para, Table
from runbookdocs.importer.report import ImportReport

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<mark>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_ATX = re.compile(r"^\s{0,3}(?P<hashes>#{1,6})\s+(?P<text>\S.*?)\s*#*\s*$")
_NUMBERED_HEADING = re.compile(
    r"^\s{0,3}(?P<num>\d{1,2}(?:\.\d{1,2})*)\.?\s*(?P<sep>[-–—)]|\.)?\s+(?P<text>\S.{0,120})$"
)
_BULLET = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>[-*+•◦▪‣·–—o])[ \t]+(?P<text>\S.*)$")
_ORDERED = re.compile(r"^(?P<indent>[ \t]*)(?P<num>\d{1,3}|[a-z])[.)][ \t]+(?P<text>\S.*)$")
_TOC_HEADER = re.compile(
    r"(?i)^\s*(?:table des mati[eè]res|sommaire|contents|table of contents)\s*:?\s*$"
)
_TOC_ENTRY = re.compile(r"^\s*\S.*?(?:\t+|\.{3,}\s*|\s{2,})\d{1,4}\s*$")
_HEREDOC = re.compile(r"<<-?\s*(['\"]?)(?P<word>[A-Za-z_][A-Za-z0-9_]*)\1")
_FILE_NAME = re.compile(r"[\w.-]+\.(?:json|ya?ml|ini|cfg|conf|toml|sql|sh)\b")
_HTML_LIKE = re.compile(r"<(?![a-z]+://|/?(?:br|b|i|em|strong|code)>)(?=[A-Za-z/])")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{3,})\s*$")

TAB = 4


def indent_of(line: str) -> int:
    """Columns of leading white space (a tab counts as 4)."""
    col = 0
    for ch in line:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += TAB - col % TAB
        else:
            break
    return col


def dedent(lines: Sequence[str]) -> list[str]:
    """Lines without their common indentation (tabs expanded first)."""
    expanded = [ln.expandtabs(TAB).rstrip() for ln in lines]
    cut = min((indent_of(ln) for ln in expanded if ln.strip()), default=0)
    return [ln[cut:] for ln in expanded]


def escape_inline(text: str) -> str:
    """Plain text made safe as Markdown prose: `<name>` would be swallowed as an HTML tag."""
    return _HTML_LIKE.sub(r"\\<", text)


def _blank(line: str) -> bool:
    return not line.strip()


class _Segmenter:
    def __init__(
        self,
        lines: Sequence[str],
        numbers: Sequence[int],
        *,
        structure: bool,
        report: ImportReport,
        depth: int = 0,
        markdown_inline: bool = False,
    ) -> None:
        self.lines = [ln.rstrip("\n").rstrip() for ln in lines]
        self.numbers = list(numbers)
        self.structure = structure
        self.report = report
        self.base = depth
        self.markdown_inline = markdown_inline
        self.out: list[Element] = []
        self.items: list[tuple[int, int]] = []
        """Open list items: (indentation of the marker, depth)."""
        self.heading_level = 1
        self.renumbered: list[int] = []
        self.numbered = structure and any(self._numbered(i) for i in range(len(self.lines)))

    # ------------------------------------------------------------------ helpers

    def num(self, i: int) -> int:
        return self.numbers[i] if i < len(self.numbers) else self.numbers[-1] + i

    def next_nonblank(self, i: int) -> int | None:
        while i < len(self.lines):
            if not _blank(self.lines[i]):
                return i
            i += 1
        return None

    def standalone(self, i: int) -> bool:
        before = i == 0 or _blank(self.lines[i - 1])
        after = i + 1 >= len(self.lines) or _blank(self.lines[i + 1])
        return before and after

    def depth_for(self, indent: int) -> int:
        """Depth of non-item content at `indent`: inside the item it is indented under."""
        while self.items and self.items[-1][0] >= indent:
            self.items.pop()
        return self.items[-1][1] + 1 if self.items else self.base

    def last(self) -> Element | None:
        return self.out[-1] if self.out else None

    def caption_for(self, i: int) -> str:
        """A file name mentioned in the prose just before line `i` (names config blocks)."""
        for j in range(i - 1, max(-1, i - 4), -1):
            found = _FILE_NAME.findall(self.lines[j])
            if found:
                return str(found[-1])
        return ""

    # ------------------------------------------------------------------ main loop

    def run(self) -> list[Element]:
        i = 0
        if self.structure:
            i = self.title_page()
        while i < len(self.lines):
            line = self.lines[i]
            if _blank(line):
                i += 1
                continue
            if _FENCE.match(line):
                i = self.fence(i)
                continue
            if self.structure and self.is_toc_start(i):
                i = self.toc(i)
                continue
            indent = indent_of(line)
            bullet = self.item_match(i)
            if bullet is None:
                depth = self.depth_for(indent)
                end = self.code(i, depth)
                if end is not None:
                    i = end
                    continue
                if self.structure:
                    end = self.heading(i) or self.table(i)
                    if end is not None:
                        self.items.clear()
                        i = end
                        continue
                i = self.paragraph(i, depth)
            else:
                i = self.item(i, bullet)
        if self.renumbered:
            self.report.add(
                "changed",
                self.renumbered[0],
                f"{len(self.renumbered)} numbered heading(s): numbers removed (the site shows the "
                "outline; numbers typed by hand go stale)",
            )
        return self.out

    # ------------------------------------------------------------------ fences

    def fence(self, i: int) -> int:
        m = _FENCE.match(self.lines[i])
        assert m is not None
        mark = m.group("mark")
        depth = self.depth_for(indent_of(self.lines[i]))
        j = i + 1
        while j < len(self.lines) and not re.match(
            rf"^\s*{re.escape(mark[0])}{{{len(mark)},}}\s*$", self.lines[j]
        ):
            j += 1
        body = dedent(self.lines[i + 1 : j]) if j > i + 1 else []
        info = m.group("info").strip()
        lang, guessed = fence_language(info, body)
        if guessed:
            self.report.add("guessed", self.num(i), guessed)
        self.out.append(
            Code(
                self.num(i),
                depth,
                lang=lang,
                lines=body,
                source_lines=[self.num(k) for k in range(i + 1, j)],
                guessed=guessed,
                id_hint=self.caption_for(i),
            )
        )
        return j + 1

    # ------------------------------------------------------------------ code in prose

    def code(self, i: int, depth: int) -> int | None:
        for detector in (
            self.console,
            self.json,
            self.ini,
            self.sql,
            self.yaml,
            self.commands,
        ):
            end = detector(i, depth)
            if end is not None:
                return end
        return None

    def emit(self, i: int, j: int, depth: int, lang: str, why: str, lines: list[str]) -> int:
        nums = [self.num(k) for k in range(i, j)]
        while lines and not lines[-1].strip():
            lines.pop()
            nums.pop()
        self.out.append(
            Code(
                self.num(i),
                depth,
                lang=lang,
                lines=lines,
                source_lines=nums[: len(lines)],
                guessed=why,
                id_hint=self.caption_for(i),
            )
        )
        self.report.add("guessed", self.num(i), f"{lang} block: {why}")
        return j

    def console(self, i: int, depth: int) -> int | None:
        first = cl.parse_prompt(self.lines[i].strip(), strict_root=False)
        if first is None:
            return None
        base = indent_of(self.lines[i])
        out: list[str] = []
        commands: list[str] = []
        has_output = False
        windows = first.windows
        j = i
        raw: list[str] = []
        while j < len(self.lines) and not _blank(self.lines[j]):
            if j > i and indent_of(self.lines[j]) < base:
                break  # less indented than the prompt: the list or text the block sits in
            text = self.lines[j].expandtabs(TAB)[base:]
            p = cl.parse_prompt(text, strict_root=True) if not text[:1].isspace() else None
            if p is None and j > i and self.item_match(j) is not None and self.items:
                break
            raw.append(text)
            if p is None:
                out.append(text)
                has_output = True
                j += 1
                continue
            windows = windows or p.windows or cl.is_windows_command(p.command)
            mark = "#" if p.root else "$"
            out.append(f"{mark} {p.command}")
            commands.append(p.command)
            j += 1
            j = self._continuation(j, p.command, out, commands, prefix="> ")
        if windows:
            self.report.add(
                "person",
                self.num(i),
                "Windows commands: kept as a powershell block, not run; check them by hand",
            )
            return self.emit(i, j, depth, "powershell", "Windows prompt", raw)
        if has_output:
            return self.emit(i, j, depth, "console", f"'{first.prompt}' prompt and output", out)
        return self.emit(
            i,
            j,
            depth,
            "bash",
            f"'{first.prompt}' prompt without output (prompt removed)",
            commands,
        )

    def _continuation(
        self, j: int, command: str, out: list[str], commands: list[str], *, prefix: str
    ) -> int:
        """Lines that continue a command: after a trailing backslash, or a here-document."""
        last = command
        while last.endswith("\\") and j < len(self.lines) and not _blank(self.lines[j]):
            last = self.lines[j].strip()
            out.append(prefix + last)
            commands.append(last)
            j += 1
        heredoc = _HEREDOC.search(command)
        if heredoc:
            word = heredoc.group("word")
            while j < len(self.lines):
                body = self.lines[j]
                out.append(prefix + body if prefix else body)
                commands.append(body)
                j += 1
                if body.strip() == word:
                    break
        return j

    def json(self, i: int, depth: int) -> int | None:
        if not cl.is_json_start(self.lines[i]) or cl.is_ini_section(self.lines[i]):
            return None
        level = 0
        in_str = esc = False
        j = i
        end = None
        while j < len(self.lines) and j - i < 5000:
            line = self.lines[j]
            if level > 0 and _prose_line(line) and j > i:
                break
            for ch in line:
                if in_str:
                    if esc:
                        esc = False
                    elif ch == "\\":
                        esc = True
                    elif ch == '"':
                        in_str = False
                elif ch == '"':
                    in_str = True
                elif ch in "{[":
                    level += 1
                elif ch in "}]":
                    level -= 1
            in_str = False
            j += 1
            if level <= 0:
                end = j
                break
        why = "JSON object" if self.lines[i].strip().startswith("{") else "JSON array"
        if end is None:
            end = j
            why += " (brackets do not balance: see the check)"
            if end == i + 1 and self.lines[i].strip() not in ("{", "["):
                return None
        return self.emit(i, end, depth, "json", why, dedent(self.lines[i:end]))

    def ini(self, i: int, depth: int) -> int | None:
        if not cl.is_ini_section(self.lines[i]):
            return None
        nxt = self.next_nonblank(i + 1)
        if nxt is None or nxt > i + 2:
            return None
        if not (cl.is_ini_pair(self.lines[nxt]) or cl.is_ini_comment(self.lines[nxt])):
            return None
        j = i + 1
        while j < len(self.lines):
            line = self.lines[j]
            s = line.strip()
            if not s:
                k = self.next_nonblank(j)
                if k is not None and (
                    cl.is_ini_section(self.lines[k])
                    or ("=" in self.lines[k] and cl.is_ini_pair(self.lines[k]))
                ):
                    j = k
                    continue
                break
            if (
                cl.is_ini_section(s)
                or cl.is_ini_pair(s)
                or cl.is_ini_comment(s)
                or (indent_of(line) > indent_of(self.lines[i]) and not _prose_line(line))
            ):
                j += 1
                continue
            break
        kind = cl.classify(dedent(self.lines[i:j]))
        lang = kind.lang if kind.lang in ("ini", "toml") else "ini"
        return self.emit(
            i, j, depth, lang, "[section] and key = value lines", dedent(self.lines[i:j])
        )

    def sql(self, i: int, depth: int) -> int | None:
        line = self.lines[i]
        if not cl.starts_sql(line, any_case=True):
            return None
        upper = cl.starts_sql(line)
        j = i
        ended = False
        while j < len(self.lines) and j - i < 200:
            s = self.lines[j].strip()
            if not s:
                k = self.next_nonblank(j)
                if (
                    ended
                    and k is not None
                    and k == j + 1
                    and cl.starts_sql(self.lines[k], any_case=True)
                ):
                    j = k
                    ended = False
                    continue
                break
            if ended and not (cl.starts_sql(s, any_case=True) or s.startswith("--")):
                break
            j += 1
            ended = s.endswith((";", "\\G"))
        if not upper and not ended:
            return None
        if not ended and _prose_line(self.lines[j - 1]) and j - 1 > i:
            return None
        return self.emit(i, j, depth, "sql", "SQL statement", dedent(self.lines[i:j]))

    def yaml(self, i: int, depth: int) -> int | None:
        line = self.lines[i]
        if line.strip() != "---" and not cl.is_yaml_line(line):
            return None
        if cl.is_yaml_line(line) and re.match(r"^\s*-\s", line):
            return None  # a list item; YAML starting with one is rare in prose
        base = indent_of(line)
        j = i + 1
        while j < len(self.lines):
            s = self.lines[j]
            if _blank(s):
                k = self.next_nonblank(j)
                if (
                    k is not None
                    and indent_of(self.lines[k]) > base
                    and not _prose_line(self.lines[k])
                ):
                    j = k
                    continue
                break
            if (
                cl.is_yaml_line(s)
                or (indent_of(s) > base and not _prose_line(s))
                or (s.strip().startswith("#") or s.strip() in ("---", "..."))
            ):
                if indent_of(s) < base:
                    break
                j += 1
                continue
            break
        region = dedent(self.lines[i:j])
        if cl.classify(region).lang != "yaml":
            return None
        return self.emit(i, j, depth, "yaml", "YAML mapping", region)

    def commands(self, i: int, depth: int) -> int | None:
        line = self.lines[i].strip()
        if not cl.looks_like_command(line, strict=True):
            return None
        before = self.lines[i - 1].strip() if i > 0 else ""
        if before and not before.endswith((":", "\\")) and not _FENCE.match(before):
            return None
        base = indent_of(self.lines[i])
        out: list[str] = []
        j = i
        while j < len(self.lines):
            s = self.lines[j]
            if _blank(s):
                k = self.next_nonblank(j)
                if (
                    k is not None
                    and k == j + 1
                    and indent_of(self.lines[k]) >= base
                    and cl.looks_like_command(self.lines[k].strip(), strict=True)
                ):
                    out.append("")
                    j = k
                    continue
                break
            text = s.expandtabs(TAB)[base:] if indent_of(s) >= base else s.strip()
            stripped = text.strip()
            words = stripped.split()
            if not (
                cl.looks_like_command(stripped, strict=False)
                or stripped.startswith("#")
                or words[0] in cl.SHELL_KEYWORDS
                or re.match(r"[A-Za-z_]\w*=", words[0])
            ):
                break
            out.append(text)
            j += 1
            j = self._continuation(j, stripped, out, [], prefix="")
        while out and (not out[-1].strip()):
            out.pop()
        windows = all(cl.is_windows_command(s) for s in out if s.strip() and not s.startswith("#"))
        if windows:
            self.report.add(
                "person",
                self.num(i),
                "Windows commands: kept as a powershell block, not run; check them by hand",
            )
            return self.emit(i, j, depth, "powershell", "Windows commands", out)
        return self.emit(i, j, depth, "bash", f"command line ('{cl.first_word(line)}')", out)

    # ------------------------------------------------------------------ structure

    def title_page(self) -> int:
        """Lines before a table of contents near the top: a title, then loose lines."""
        toc = next((k for k in range(min(len(self.lines), 80)) if self.is_toc_start(k)), None)
        if toc is None:
            return 0
        first = self.next_nonblank(0)
        if first is None or first >= toc:
            return toc
        self.out.append(Heading(self.num(first), 0, level=1, text=self.lines[first].strip()))
        for k in range(first + 1, toc):
            if not _blank(self.lines[k]):
                self.out.append(Para(self.num(k), 0, lines=[escape_inline(self.lines[k].strip())]))
        self.report.add("changed", self.num(first), "title page: first line taken as the title")
        return toc

    def is_toc_start(self, i: int) -> bool:
        if _TOC_HEADER.match(self.lines[i]):
            return True
        run = self.lines[i : i + 3]
        return len(run) == 3 and all(_TOC_ENTRY.match(ln) for ln in run)

    def toc(self, i: int) -> int:
        j = i + 1 if _TOC_HEADER.match(self.lines[i]) else i
        while j < len(self.lines) and (_blank(self.lines[j]) or _TOC_ENTRY.match(self.lines[j])):
            j += 1
        self.report.add(
            "dropped",
            self.num(i),
            f"table of contents ({j - i} lines): the site builds its own from the headings",
        )
        return j

    def _numbered(self, i: int) -> re.Match[str] | None:
        m = _NUMBERED_HEADING.match(self.lines[i])
        if not m or not self.standalone(i) or _TOC_ENTRY.match(self.lines[i]):
            return None
        text = m.group("text").strip()
        if text.endswith((".", ":", ";", ",")) or len(text) > 100:
            return None
        multi = "." in m.group("num")
        dash = m.group("sep") in ("-", "–", "—")
        caps = _caps(text)
        return m if multi or dash or caps else None

    def heading(self, i: int) -> int | None:
        line = self.lines[i]
        m = _ATX.match(line)
        if m:
            level = len(m.group("hashes"))
            return self._heading(i, level, m.group("text"), i + 1, structural=True)
        if (
            i + 1 < len(self.lines)
            and _SETEXT.match(self.lines[i + 1])
            and len(line.strip()) <= 100
            and not _blank(line)
            and not line.strip().startswith(("-", "*"))
        ):
            level = 1 if self.lines[i + 1].strip().startswith("=") else 2
            return self._heading(i, level, line.strip(), i + 2, structural=True)
        num = self._numbered(i)
        if num:
            level = min(6, 1 + num.group("num").count(".") + 1)
            text = num.group("text").strip()
            self.renumbered.append(self.num(i))
            return self._heading(i, level, text, i + 1, structural=True)
        if not self.standalone(i):
            return None
        text = line.strip()
        if _caps(text) and len(text) <= 80 and not cl.looks_like_command(text, strict=False):
            if "=" in text or _URL.search(text):
                return None
            return self._heading(
                i, 2 if self.heading_level >= 1 else 1, text, i + 1, structural=True
            )
        if self._shape_heading(i, text):
            return self._heading(i, 0, text, i + 1, structural=False)
        return None

    def _shape_heading(self, i: int, text: str) -> bool:
        words = text.split()
        if not (1 <= len(words) <= 8) or len(text) > 70:
            return False
        if not text[0].isupper() or text.endswith((".", ":", ";", ",", "!")):
            return False
        if _URL.search(text) or "`" in text or "=" in text or "|" in text:
            return False
        if cl.looks_like_command(text, strict=False):
            return False
        last = self.last()
        if isinstance(last, Heading) and self.out and last.level > 1:
            return False
        if isinstance(last, Heading) and len(self.out) > 1:
            return False
        nxt = self.next_nonblank(i + 1)
        if nxt is None:
            return False
        # A line just above code is its caption ("For a backup"), not a heading.
        return not self._starts_code(nxt)

    def _starts_code(self, k: int) -> bool:
        line = self.lines[k]
        return bool(
            _FENCE.match(line)
            or cl.parse_prompt(line.strip())
            or cl.is_json_start(line)
            or cl.is_ini_section(line)
            or cl.starts_sql(line)
            or cl.looks_like_command(line.strip(), strict=True)
        )

    def _heading(self, i: int, level: int, text: str, end: int, *, structural: bool) -> int:
        first = not any(isinstance(e, Heading) for e in self.out)
        if level == 0:
            level = 1 if first else min(6, self.heading_level + 1)
        elif first and level > 1 and not self.numbered:
            level = 1
        if structural:
            self.heading_level = level
        self.out.append(Heading(self.num(i), 0, level=level, text=escape_inline(text.strip())))
        self.report.structure["headings"] += 1
        return end

    def table(self, i: int) -> int | None:
        rows: list[list[str]] = []
        j = i
        while j < len(self.lines) and "\t" in self.lines[j].strip():
            cells = [c.strip() for c in re.split(r"\t+", self.lines[j].strip())]
            if rows and len(cells) != len(rows[0]):
                break
            rows.append(cells)
            j += 1
        if len(rows) < 2 or len(rows[0]) < 2:
            pipe = self.pipe_table(i)
            return pipe
        self.out.append(Table(self.num(i), 0, rows=[[escape_inline(c) for c in r] for r in rows]))
        self.report.structure["tables"] += 1
        return j

    def pipe_table(self, i: int) -> int | None:
        j = i
        while j < len(self.lines) and self.lines[j].strip().startswith("|"):
            j += 1
        if j - i < 2:
            return None
        rows = []
        for line in self.lines[i:j]:
            s = line.strip().strip("|")
            if re.fullmatch(r"[\s:|+-]+", s):
                continue
            rows.append([c.strip() for c in s.split("|")])
        if len(rows) < 2:
            return None
        self.out.append(Table(self.num(i), 0, rows=rows))
        self.report.structure["tables"] += 1
        return j

    # ------------------------------------------------------------------ lists and prose

    def item_match(self, i: int) -> tuple[int, bool, int, str] | None:
        """(indent, ordered, number, text) when line `i` is a list item."""
        line = self.lines[i]
        m = _BULLET.match(line)
        if m:
            if m.group("mark") in ("*", "-", "+") and re.match(r"^\s*([-*_])(\s*\1){2,}\s*$", line):
                return None  # a horizontal rule
            if m.group("mark") == "o" and not m.group("indent"):
                return None  # "o" at the margin is a word, not a Word sub-bullet
            return indent_of(line), False, 1, m.group("text")
        m = _ORDERED.match(line)
        if m and not (self.structure and self._numbered(i)):
            num = m.group("num")
            return indent_of(line), True, int(num) if num.isdigit() else 1, m.group("text")
        return None

    def item(self, i: int, found: tuple[int, bool, int, str]) -> int:
        indent, ordered, number, text = found
        while self.items and self.items[-1][0] >= indent:
            self.items.pop()
        depth = self.items[-1][1] + 1 if self.items else self.base
        self.items.append((indent, depth))
        lines = [self.inline(text.strip())]
        j = i + 1
        while j < len(self.lines) and not _blank(self.lines[j]):
            if self.item_match(j) or _FENCE.match(self.lines[j]) or self._strong_code(j):
                break
            lines.append(self.inline(self.lines[j].strip()))
            j += 1
        self.out.append(Item(self.num(i), depth, ordered=ordered, number=number, lines=lines))
        self.report.structure["list items"] += 1
        return j

    def _strong_code(self, j: int) -> bool:
        line = self.lines[j]
        if cl.parse_prompt(line.strip()) is not None:
            return True
        if line.strip() in ("{", "[") or (
            cl.is_ini_section(line)
            and j + 1 < len(self.lines)
            and (cl.is_ini_pair(self.lines[j + 1]))
        ):
            return True
        if cl.starts_sql(line):
            return True
        prev = self.lines[j - 1].strip() if j > 0 else ""
        return prev.endswith(":") and cl.looks_like_command(line.strip(), strict=True)

    def inline(self, text: str) -> str:
        return text if self.markdown_inline else escape_inline(text)

    def paragraph(self, i: int, depth: int) -> int:
        lines = [self.inline(self.lines[i].strip())]
        j = i + 1
        while j < len(self.lines) and not _blank(self.lines[j]):
            if (
                self.item_match(j)
                or _FENCE.match(self.lines[j])
                or self._strong_code(j)
                or (self.structure and _ATX.match(self.lines[j]))
            ):
                break
            lines.append(self.inline(self.lines[j].strip()))
            j += 1
        if lines[0].startswith("#"):
            lines[0] = "\\" + lines[0]
        self.out.append(Para(self.num(i), depth, lines=lines))
        return j


_URL = re.compile(r"\b(?:https?|ftp)://|www\.")


def _caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _prose_line(line: str) -> bool:
    """A sentence: words and spaces, a capital or letter first, no code punctuation."""
    s = line.strip()
    if not s or not s[0].isalpha():
        return False
    words = s.split()
    if len(words) < 4:
        return False
    return not re.search(r"[{}\[\]\"=;]|^\w+:", s) or bool(
        re.search(r"[^\W\d_]{2}[.:!?]$", s) and len(words) > 5
    )


def fence_language(info: str, body: Sequence[str]) -> tuple[str, str | None]:
    """The language for a fence with info string `info`: (language, why it was guessed)."""
    from runbookdocs.block import KINDS

    word = info.split("{", 1)[0].split()[0].lower() if info.split() else ""
    word = word.lstrip(".")
    if not word:
        kind = cl.classify(body)
        return kind.lang, f"untagged fence: {kind.reason}"
    if word in ("shell", "sh", "bash", "zsh") and info.split()[1:2] == ["script"]:
        return "bash", None
    if word in KINDS or word in ("text", "xml", "html", "python", "powershell", "dockerfile"):
        return word, None
    aliases = {
        "shell-script": "bash",
        "shellscript": "bash",
        "zsh": "bash",
        "terminal": "console",
        "session": "console",
        "bat": "batch",
        "cmd": "batch",
        "ps1": "powershell",
        "conf": "ini",
        "properties": "ini",
        "env": "bash",
        "plaintext": "text",
        "txt": "text",
        "log": "text",
        "output": "text",
        "none": "text",
    }
    if word in aliases:
        return aliases[word], None
    return word, None


def segment(
    lines: Sequence[str],
    numbers: Sequence[int],
    *,
    report: ImportReport,
    structure: bool = True,
    depth: int = 0,
    markdown_inline: bool = False,
) -> list[Element]:
    """Split lines of text into elements.

    Args:
        lines: the text, one line each.
        numbers: the source position of each line.
        report: where guesses are recorded.
        structure: also guess headings, tables and the table of contents from the text's shape
            (plain text); off for Word and HTML, whose structure is in their markup.
        depth: container depth of the lines (inside a list item or a panel).
        markdown_inline: the lines are Markdown already (Word and HTML runs): no escaping.
    """
    seg = _Segmenter(
        lines,
        numbers,
        structure=structure,
        report=report,
        depth=depth,
        markdown_inline=markdown_inline,
    )
    return seg.run()


def segment_prose(
    prose: Sequence[tuple[str, int, int]], *, report: ImportReport, numbered: bool
) -> list[Element]:
    """Elements of the paragraphs a Word or HTML reader collected: `(markdown, position,
    depth)` each, consecutive paragraphs at one depth segmented together, a blank line after
    each. `numbered`: the lines of a paragraph are numbered from its position (HTML source
    lines); otherwise they all share it (a Word paragraph index)."""
    groups: list[list[tuple[str, int, int]]] = []
    for entry in prose:
        if groups and groups[-1][-1][2] == entry[2]:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    out: list[Element] = []
    for group in groups:
        lines: list[str] = []
        numbers: list[int] = []
        for text, position, _ in group:
            for k, part in enumerate(text.split("\n")):
                lines.append(part)
                numbers.append(position + k if numbered else position)
            lines.append("")
            numbers.append(position)
        out.extend(
            segment(
                lines,
                numbers,
                report=report,
                structure=False,
                depth=group[0][2],
                markdown_inline=True,
            )
        )
    return out


def read_text(text: str, report: ImportReport) -> list[Element]:
    """A plain-text manual as elements."""
    lines = text.split("\n")
    return segment(lines, list(range(1, len(lines) + 1)), report=report)


__all__ = ["dedent", "escape_inline", "fence_language", "indent_of", "read_text", "segment"]
