"""Finding codes: every problem runbookdocs reports has a stable code, like a linter's.

Users silence findings by code (`ignore = ["RBD505"]`), tools sort and count by code, and
runbookdocs itself decides on codes, never on the wording of a message, so messages can improve
without breaking anything. Codes are grouped by hundreds:

```
RBD0xx  reading a page: the file, its encoding, its front matter
RBD1xx  fences, headers, directives and includes
RBD2xx  configuration blocks: JSON, YAML, INI, TOML, JSON Schemas
RBD3xx  shell and console blocks, and other code (python)
RBD4xx  SQL blocks
RBD5xx  the page as a whole: links, anchors, placeholders, markers, review dates
RBD6xx  decision trees
RBD7xx  running a block: exit status, output, timeouts, values
RBD9xx  the environment: targets, images, Docker, runbookdocs itself
```

A code never changes meaning and is never reused; a retired code stays in the table, marked.
Third-party validators register their own codes (with their own prefix) through `register`.
The reference page `docs/reference/codes.md` lists every code with an example, and a test
checks that each example still produces its code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from runbookdocs.location import Location
    from runbookdocs.results import Finding

Severity = Literal["error", "warning"]
Stage = Literal["check", "run"]

_CODE = re.compile(r"[A-Z]{2,5}[0-9]{3,4}\Z")


class Code(NamedTuple):
    """One kind of problem."""

    id: str
    """`RBD101`: what users write in `ignore`, what reports carry."""
    name: str
    """`fence-not-closed`: a readable alias, accepted wherever the id is."""
    severity: Severity
    """The severity findings of this code have unless the finding says otherwise."""
    summary: str
    """One line for the reference page."""
    example: str = ""
    """A small page that produces this code (the reference shows it; a test runs it)."""
    stage: Stage = "check"
    """`check` (static) or `run` (needs a target)."""

    def at(
        self,
        location: Location,
        message: str,
        *,
        severity: Severity | None = None,
        hint: str | None = None,
        detail: str = "",
        origin: Location | None = None,
        tool_code: str | None = None,
    ) -> Finding:
        """A finding of this code at `location`."""
        from runbookdocs.results import Finding

        return Finding(
            location,
            message,
            severity or self.severity,
            hint,
            detail,
            origin,
            code=self.id,
            tool_code=tool_code,
        )


_TABLE: dict[str, Code] = {}
_BY_NAME: dict[str, Code] = {}


def register(code: Code) -> Code:
    """Add a code (runbookdocs' own, or a third-party validator's); ids and names are unique.

    Raises:
        ValueError: the id is malformed, or the id or name is taken by another code.
    """
    if not _CODE.match(code.id):
        raise ValueError(f"finding code {code.id!r}: write 2-5 capitals and 3-4 digits (RBD123)")
    for key, table in ((code.id, _TABLE), (code.name, _BY_NAME)):
        other = table.get(key)
        if other is not None and other != code:
            raise ValueError(f"finding code {key!r} is already registered ({other.summary})")
    _TABLE[code.id] = code
    _BY_NAME[code.name] = code
    return code


def get(key: str) -> Code | None:
    """The code with this id (`RBD101`) or name (`fence-not-closed`), or None."""
    return _TABLE.get(key.upper()) or _BY_NAME.get(key.lower())


def known(code_id: str) -> bool:
    """True when `code_id` is a registered code id."""
    return code_id in _TABLE


def all_codes() -> Mapping[str, Code]:
    """Every registered code by id, in registration order."""
    return MappingProxyType(_TABLE)


def is_tool_code(key: str) -> bool:
    """True for codes of the tools runbookdocs runs (shellcheck's `SC2086`)."""
    return bool(re.fullmatch(r"SC[0-9]{4}", key))


def unknown_keys(keys: Iterable[str]) -> list[str]:
    """The keys of `keys` that are neither a code id, a code name nor a shellcheck code."""
    return [k for k in keys if get(k) is None and not is_tool_code(k)]


def _c(
    id: str, name: str, severity: Severity, summary: str, example: str = "", stage: Stage = "check"
) -> Code:
    return register(Code(id, name, severity, summary, example.strip("\n"), stage))


# ------------------------------------------------------------------ RBD0xx reading a page

LEGACY = _c(
    "RBD000",
    "legacy",
    "error",
    "A finding read from a version-1 report, written before findings had codes.",
)

UNREADABLE_FILE = _c(
    "RBD001",
    "unreadable-file",
    "error",
    "The file cannot be read: not a regular file, too large, or an I/O error.",
)
NOT_TEXT = _c(
    "RBD002",
    "not-text",
    "error",
    "The file is not UTF-8 text (a Latin-1 byte, a NUL byte): it is not checked nor run.",
)
FRONT_MATTER_SYNTAX = _c(
    "RBD003",
    "front-matter-syntax",
    "error",
    "The front matter is not closed, not valid YAML, or not a mapping.",
    """
---
title: [unclosed
---
""",
)
FRONT_MATTER_KEY = _c(
    "RBD004",
    "front-matter-key",
    "error",
    "An unknown key under `runbook:`.",
    """
---
runbook:
  taget: debian
---
""",
)
FRONT_MATTER_VALUE = _c(
    "RBD005",
    "front-matter-value",
    "error",
    "A `runbook:` setting has a value of the wrong type (a date, a number, a mapping...).",
    """
---
runbook:
  reviewed: last week
---
""",
)

# ------------------------------------------------- RBD1xx fences, headers, directives, includes

FENCE_NOT_CLOSED = _c(
    "RBD101",
    "fence-not-closed",
    "error",
    "A fence is never closed: it swallows the rest of the page (or of its container).",
    """
```bash
echo "the closing fence is missing"
""",
)
HEADER_DROPPED = _c(
    "RBD102",
    "header-dropped",
    "error",
    "A fence header that pymdownx.superfences does not understand: the site renders the block "
    "as inline text.",
    """
```bash target=debian
echo hello
```
""",
)
UNKNOWN_ATTRIBUTE = _c(
    "RBD103",
    "unknown-attribute",
    "error",
    "An attribute in a fence header that runbookdocs does not know (`data-*` attributes are "
    "the site's HTML where its mkdocs.yml enables attr_list).",
    """
```bash {#hello taget=debian}
echo hello
```
""",
)
ATTRIBUTE_VALUE = _c(
    "RBD104",
    "attribute-value",
    "error",
    "An attribute without a value, given twice, with a value of the wrong form, or braces "
    "that do not balance.",
    """
```bash {timeout=soon}
echo hello
```
""",
)
DUPLICATE_ID = _c(
    "RBD105",
    "duplicate-id",
    "error",
    "Two blocks of a page have the same id (ids are anchors on the site).",
    """
```bash {#hello}
echo hello
```

```bash {#hello}
echo again
```
""",
)
ATTRIBUTE_MISFIT = _c(
    "RBD106",
    "attribute-misfit",
    "error",
    "An attribute that does not apply to the block's kind (`file=` on a shell block, "
    "`mode=` without `file=`, `timeout=` on a JSON block...).",
    """
```json {timeout=5}
{"a": 1}
```
""",
)
UNKNOWN_TARGET = _c(
    "RBD107",
    "unknown-target",
    "error",
    "A block or page names a target that is neither built in nor configured.",
    """
```bash {target=debain}
echo hello
```
""",
)
UNTAGGED_CODE = _c(
    "RBD108",
    "untagged-code",
    "warning",
    "A block without a language that looks like code: it is neither checked nor run.",
    """
```
sudo systemctl restart nginx
```
""",
)
FENCE_INDENTED = _c(
    "RBD109",
    "fence-indented",
    "error",
    "A fence that CommonMark renders but the MkDocs site does not: a top-level fence indented "
    "by 1-3 spaces whose content is less indented than it, or closed at another indentation "
    "than it opens (pymdownx.superfences); any fence off the margin (in a list item or quote) "
    "when the site's mkdocs.yml enables no superfences (Python-Markdown's fenced_code). The "
    "site shows it as text and may swallow what follows. On a CommonMark, GitHub or Hugo page "
    "(not MDX), a fence indented 4 spaces or more under a paragraph, in no list item: "
    "CommonMark shows it as indented code or as the paragraph going on.",
    """
# Restart

 ```bash
echo hello
 ```
""",
)
DIRECTIVE_INVALID = _c(
    "RBD110",
    "directive-invalid",
    "error",
    "A `<!-- runbook: ... -->` directive that is unknown or malformed.",
    """
<!-- runbook: skip-nxt reason="no access" -->
```bash
echo hello
```
""",
)
DIRECTIVE_UNUSED = _c(
    "RBD111",
    "directive-unused",
    "warning",
    "A directive that no block follows.",
    """
<!-- runbook: skip-next reason="no access" -->
""",
)
COMMENT_NOT_CLOSED = _c(
    "RBD112",
    "comment-not-closed",
    "error",
    "An HTML comment `<!--` that is never closed: the site hides everything after it.",
    """
<!-- a note for editors

```bash
echo hello
```
""",
)
FENCE_CLOSED_BY_CONTAINER = _c(
    "RBD113",
    "fence-closed-by-container",
    "warning",
    "Outside MkDocs, a fence that its list item, quote or the end of the page closes, with "
    "nothing of the page's text inside: CommonMark renders it as written, other renderers "
    "swallow what follows (or show the backticks).",
    """
- Names of the services:
  ```
  web
  worker
- The next item.
""",
)
INCLUDE_NOT_FOUND = _c(
    "RBD120",
    "include-not-found",
    "error",
    "A `--8<--` include names a file that does not exist.",
    """
```bash
--8<-- "no-such-script.sh"
```
""",
)
INCLUDE_INVALID = _c(
    "RBD121",
    "include-invalid",
    "error",
    "A `--8<--` include that cannot be expanded: unreadable, nested too deep, a bad line selector.",
)
INCLUDE_REMOTE = _c(
    "RBD122",
    "include-remote",
    "warning",
    "A `--8<--` include of a URL: runbookdocs never fetches it, so it is not checked.",
    """
```bash
--8<-- "https://example.org/script.sh"
```
""",
)

# ------------------------------------------------------------- RBD2xx configuration blocks

INVALID_JSON = _c(
    "RBD201",
    "invalid-json",
    "error",
    "A `json` block that is not valid JSON (`jsonc` and `hujson` blocks: JSON with comments "
    "and trailing commas).",
    """
```json
{"name": "app",}
```
""",
)
INVALID_YAML = _c(
    "RBD202",
    "invalid-yaml",
    "error",
    "A `yaml` block that is not valid YAML.",
    """
```yaml
key: [unclosed
```
""",
)
INVALID_INI = _c(
    "RBD203",
    "invalid-ini",
    "error",
    "An `ini` block that is not valid INI (a key outside a section, a bad line).",
    """
```ini
key = value
```
""",
)
INVALID_TOML = _c(
    "RBD204",
    "invalid-toml",
    "error",
    "A `toml` block that is not valid TOML.",
    """
```toml
key = "unclosed
```
""",
)
DUPLICATE_KEY = _c(
    "RBD205",
    "duplicate-key",
    "error",
    "A key or section written twice: readers silently keep one of the values.",
    """
```json
{"port": 80, "port": 8080}
```
""",
)
SCHEMA_VIOLATION = _c(
    "RBD206",
    "schema-violation",
    "error",
    "A block does not satisfy the JSON Schema its `schema=` names.",
)
SCHEMA_UNUSABLE = _c(
    "RBD207",
    "schema-unusable",
    "error",
    "The JSON Schema named by `schema=` is missing, unreadable or not a valid schema.",
    """
```json {schema=no-such-schema}
{"a": 1}
```
""",
)
WRONG_LANGUAGE = _c(
    "RBD208",
    "wrong-language",
    "warning",
    "A `json`, `yaml`, `toml` or `sql` block that does not parse as tagged but clearly is "
    "something else (YAML tagged `json`, TOML or HCL tagged `json` or `yaml`, JSON with comments "
    "and trailing commas, an HTTP message (status line, headers, body) or a configuration in "
    "braces without commas (a protocol buffer's text) tagged `json`, a "
    "console transcript, a shell command, a diff, a table a program printed, an expression (a "
    "call and an operator, no key) or a list of names tagged `yaml`, a query's result table or a "
    "shell command running the SQL client tagged `sql`, a command typed at a prompt or a systemd "
    "unit tagged `toml`): one warning to fix the tag, not a parse error (statements typed in the "
    "client after such a command are still parsed). On a runbook page the parse error stays.",
    """
```yaml
$ kubectl get configmap app -o yaml
apiVersion: v1
kind: ConfigMap
```
""",
)

YAML_ALTERNATIVES = _c(
    "RBD209",
    "yaml-alternatives",
    "warning",
    "A `yaml` or `ini` block that shows alternatives one after the other (each under its own "
    "comment or with a comment of its own at the end of its line, or after a comment naming "
    "another file or saying `or`): a key repeats, so the block copied whole fails as a "
    "duplicate key; one block per alternative reads better.",
    """
```yaml
# a single value
capture: cookie(session)
# or several values
capture: |
  cookie(session)
  hdr(Host)
```
""",
)

# -------------------------------------------------------------- RBD3xx shell and console

SHELL_SYNTAX = _c(
    "RBD301",
    "shell-syntax",
    "error",
    "A shell block or console command that bash cannot parse (`bash -n`).",
    """
```bash
if true; then echo yes
```
""",
)
SHELLCHECK = _c(
    "RBD302",
    "shellcheck",
    "warning",
    "A problem shellcheck reports; the finding also carries shellcheck's own code "
    "(`SC2086`), which `ignore` accepts too.",
    """
```bash
echo "\\n"
```
""",
)
SHELLCHECK_FAILED = _c(
    "RBD303",
    "shellcheck-failed",
    "warning",
    "shellcheck is installed but could not run (no room for its scripts, a crash).",
)
CONSOLE_WITHOUT_COMMAND = _c(
    "RBD304",
    "console-without-command",
    "error",
    "A `console` block without any `$ ` or `# ` command line.",
    """
```console
just some output
```
""",
)
INVALID_REGEX = _c(
    "RBD305",
    "invalid-regex",
    "error",
    "An expected-output line ending with ` (re)` whose regular expression does not compile.",
    """
```console
$ date
[0-9 (re)
```
""",
)
BRACE_WITHOUT_DOLLAR = _c(
    "RBD306",
    "brace-without-dollar",
    "warning",
    "`{name}` where `name` is a variable of the page: the shell leaves it as it is.",
    """
```bash
tag=1.2
docker pull nginx:{tag}
```
""",
)

PLACEHOLDER_ARGUMENT = _c(
    "RBD307",
    "placeholder-argument",
    "warning",
    'A shell or console command with placeholder arguments (`<name>`, `<"some text">`, '
    "`{name}`): the block cannot run as written. Reported once per block; the placeholders are "
    "masked for `bash -n` and shellcheck.",
    """
```bash
oc logs <podname> -n <namespace>
```
""",
)
OUTPUT_AS_SHELL = _c(
    "RBD308",
    "output-as-shell",
    "warning",
    "A shell block that holds program output, logs, help text, a query, pseudo-code, a "
    "directory tree or a box diagram rather than commands: one finding for the block instead "
    "of one per line.",
    """
```bash
2026-11-30T10:00:00Z INFO starting server on :8080
2026-11-30T10:00:01Z ERROR cannot bind :8080 (address in use)
2026-11-30T10:00:02Z WARN  retrying in 5 s
```
""",
)

OTHER_LANGUAGE_AS_SHELL = _c(
    "RBD309",
    "other-language-as-shell",
    "warning",
    "A shell block that bash refuses and that is plainly written in another language: "
    "PowerShell (`$env:NAME = value`, `Get-Item -Path x`), and outside runbooks `dotted.key=value` "
    "configuration (container labels, properties, sysctl settings), an environment file "
    "(`NAME=user:pw@tcp(db:3306)/app`), sudoers rules, an nginx-style configuration "
    "(`directive value;` lines in `name {` ... `}` blocks) or an Apache-style one "
    "(`<Location /app/>` ... `</Location>` sections): one warning to fix the tag instead of its "
    "syntax errors.",
    """
```bash
$env:REGION = "eu-west-1"
Get-ChildItem -Path C:\\temp | Remove-Item
```
""",
)

PYTHON_SYNTAX = _c(
    "RBD340",
    "python-syntax",
    "error",
    "A `python` block of a runbook page that Python cannot compile (pytest-markdown-docs "
    "runs python blocks); `notest` marks a sketch.",
    """
```python
def broken(:
    pass
```
""",
)

# ------------------------------------------------------------------------- RBD4xx SQL

SQL_SYNTAX = _c(
    "RBD401",
    "sql-syntax",
    "error",
    "A SQL block with a syntax error (sqlglot, in the target's dialect).",
    """
```sql
SELEC * FROM users;
```
""",
)
SQL_UNPARSED = _c(
    "RBD402",
    "sql-unparsed",
    "warning",
    "A SQL block the parser could not read at all: it is not checked.",
)

# -------------------------------------------------------------------- RBD5xx the page

BROKEN_LINK = _c(
    "RBD501",
    "broken-link",
    "error",
    "A link to a page or directory that does not exist.",
    """
See [the other page](no-such-page.md).
""",
)
MISSING_ANCHOR = _c(
    "RBD502",
    "missing-anchor",
    "error",
    "A link to an anchor that the linked page does not have.",
    """
See [below](#no-such-heading).
""",
)
MISSING_FILE = _c(
    "RBD503",
    "missing-file",
    "warning",
    "A link to a file (not a page) that does not exist.",
    """
Download [the script](files/missing.sh).
""",
)
UNDECLARED_PLACEHOLDER = _c(
    "RBD504",
    "undeclared-placeholder",
    "error",
    "A `{{ name }}` placeholder that is neither a variable nor a secret of the page.",
    """
```bash
echo {{ release }}
```
""",
)
UNUSED_VALUE = _c(
    "RBD505",
    "unused-value",
    "warning",
    "A variable or secret declared in the front matter that no block uses.",
    """
---
runbook:
  variables: {release: "1.0"}
---
```bash
echo hello
```
""",
)
TODO_MARKER = _c(
    "RBD506",
    "todo-marker",
    "warning",
    "A TODO, FIXME or XXX marker: the page is unfinished.",
    """
TODO: write the restore procedure.
""",
)
MOJIBAKE = _c(
    "RBD507",
    "mojibake",
    "warning",
    "Text damaged by a wrong encoding: U+FFFD, UTF-8 read as Latin-1, a '?' for a lost letter.",
    """
La base de donnÃ©es est arrÃªtÃ©e.
""",
)
REVIEW_MISSING = _c(
    "RBD508",
    "review-missing",
    "warning",
    "A page with runbook settings but no `reviewed` date.",
    """
---
runbook:
  target: debian
---
""",
)
REVIEW_OVERDUE = _c(
    "RBD509",
    "review-overdue",
    "warning",
    "The page's `reviewed` date is older than `review_interval_days`.",
    """
---
runbook:
  reviewed: 2001-01-01
---
""",
)

# ------------------------------------------------------------------ RBD6xx decision trees

TREE_INVALID = _c(
    "RBD601",
    "tree-invalid",
    "error",
    "A decision tree that cannot be walked: unknown keys, missing nodes, unreachable nodes, "
    "unbounded cycles.",
    """
```decision-tree
title: Broken
start: first
nodes:
  first:
    question: Is it up?
    answers:
      - label: yes
        next: nowhere
```
""",
)
TREE_CHECK = _c(
    "RBD602",
    "tree-check",
    "error",
    "A decision-tree step whose `check` names no block.",
    """
```decision-tree
title: Check
start: first
nodes:
  first:
    solution: Restart it.
    check: "#no-such-block"
```
""",
)

TREE_LINK = _c(
    "RBD603",
    "tree-link",
    "error",
    "A link in a decision-tree step (a leaf's solution, a question's help) to a page or an anchor "
    "that does not exist: the site build fails too.",
    """
```decision-tree
title: Link
start: first
nodes:
  first:
    solution: Follow [the procedure](#no-such-heading).
```
""",
)

TREE_NOBODY = _c(
    "RBD604",
    "tree-escalation-nobody",
    "warning",
    "A decision tree escalates on a page that names no one to escalate to: set "
    "`runbook.escalation` (or `runbook.owner`).",
    """
```decision-tree
title: Nobody
start: first
nodes:
  first:
    escalate: Hand the incident over.
```
""",
)

# ------------------------------------------------------------------ RBD7xx running a block

EXIT_STATUS = _c(
    "RBD701",
    "exit-status",
    "error",
    "A block or command exited with another status than the page expects.",
    """
```bash
false
```
""",
    "run",
)
OUTPUT_DIFFERS = _c(
    "RBD702",
    "output-differs",
    "error",
    "A console command or SQL block printed something else than the page shows.",
    """
```console
$ echo hello
bonjour
```
""",
    "run",
)
TIMED_OUT = _c(
    "RBD703",
    "timed-out",
    "error",
    "A block ran past its timeout and was interrupted.",
    """
```bash {timeout=1}
sleep 5
```
""",
    "run",
)
UNKNOWN_VALUE = _c(
    "RBD704",
    "unknown-value",
    "error",
    "At run time, a `{{ name }}` placeholder has no value (neither a variable nor a secret).",
    stage="run",
)
SECRET_MISSING = _c(
    "RBD705",
    "secret-missing",
    "error",
    "A secret the page declares is not set in the environment (and `--generate-secrets` is off).",
    """
---
runbook:
  secrets: {DB_PASSWORD: the database password}
---
```bash
test -n "$DB_PASSWORD"
```
""",
    "run",
)
NO_SQL_CLIENT = _c(
    "RBD706",
    "no-sql-client",
    "error",
    "A SQL block on a target that has no SQL client.",
    """
```sql {target=debian}
SELECT 1;
```
""",
    "run",
)
FILE_NOT_WRITTEN = _c(
    "RBD707",
    "file-not-written",
    "error",
    "A `file=` block could not be written into its target.",
    stage="run",
)
NOT_RUN_UNSAFE = _c(
    "RBD708",
    "not-run-unsafe",
    "error",
    "A block whose `user=`, `file=`, `mode=` or `owner=` value the checker rejects is never run "
    "(those values reach a command line).",
    """
```json {file=relative/path.json}
{}
```
""",
    "run",
)

FILE_CHECK_FAILED = _c(
    "RBD730",
    "file-check-failed",
    "error",
    "A `file=` block was written, but the command its `check=` names did not exit 0.",
    """
```nginx {file=/etc/nginx/conf.d/app.conf check="nginx -t"}
server { listen 80 }
```
""",
    "run",
)

# ------------------------------------------------------------------ RBD9xx the environment

TARGET_UNAVAILABLE = _c(
    "RBD901",
    "target-unavailable",
    "error",
    "A target could not be had: its image cannot be pulled or built, or its container does "
    "not start.",
    stage="run",
)
TARGET_LOST = _c(
    "RBD902",
    "target-lost",
    "error",
    "A target's container or Docker itself went away during a block.",
    stage="run",
)
INTERNAL_ERROR = _c(
    "RBD903",
    "internal-error",
    "error",
    "Something failed inside runbookdocs or a third-party validator (the message names which).",
    stage="run",
)

__all__ = [
    "Code",
    "all_codes",
    "get",
    "is_tool_code",
    "known",
    "register",
    "unknown_keys",
]

# --------------------------------------- shell blocks as people write them (RBD320-RBD339)
# Appended after the table above so that codes added elsewhere in parallel never collide.

PROMPT_IN_SHELL = _c(
    "RBD320",
    "prompt-in-shell-block",
    "warning",
    "A `bash`/`sh` block whose first command starts with a `$ ` prompt (or the prompt its "
    "`data-prompt` names): bash would run `$` as a command. Tag the block `console` (a "
    "transcript) or drop the prompts.",
    """
```bash
$ systemctl status nginx
```
""",
)
OUTPUT_READS_AS_COMMAND = _c(
    "RBD321",
    "output-reads-as-command",
    "warning",
    "In a `console` block, an expected-output line that starts with `# ` (or `$ `) reads as "
    "another command. Write it as a matcher: `[#] text (re)`.",
    """
```console
$ cat /etc/nginx/conf.d/site.conf
# site served by nginx
server { listen 80; }
```
""",
)
OUTPUT_READS_AS_CONTINUATION = _c(
    "RBD322",
    "output-reads-as-continuation",
    "warning",
    "In a `console` block, a line starting with `> ` after a command that is already complete "
    "reads as a continuation of the command, not as its output. Write it as `[>] text (re)`.",
    """
```console
$ git log -1 --format=%B
> quoted reply
```
""",
)
NEVER_ENDS = _c(
    "RBD323",
    "never-ending-command",
    "warning",
    "A runnable block runs a command that does not end by itself (`tail -f`, `watch`, `less`, "
    "`top`, a bare `psql` or `mysql` waiting for input) and has no `timeout=` or `skip=`.",
    """
```bash
tail -f /var/log/syslog
```
""",
)

# ------------------------------------------------- running a block, continued (RBD709-RBD729)

PROMPT_RAN = _c(
    "RBD709",
    "prompt-ran-as-command",
    "error",
    "A shell block stopped at a line that starts with a `$ ` prompt: bash ran `$` as a command.",
    """
```bash
$ echo hello
```
""",
    "run",
)
MATCHER_KEPT = _c(
    "RBD710",
    "matcher-kept",
    "error",
    "`--update` kept an expected-output matcher (a ` (re)` line) that no longer matches: the "
    "page was not changed there; edit the pattern, or replace the line with the new output.",
    stage="run",
)
UPDATED_ERROR = _c(
    "RBD711",
    "updated-with-error",
    "warning",
    "`--update` wrote new expected output that looks like an error message (`404 Not Found`, "
    "`command not found`): check that the page means it.",
    stage="run",
)

# ----------------------------------------------------- the environment, continued (RBD904+)

NO_RUNNER = _c(
    "RBD904",
    "no-runner",
    "error",
    "A block of a kind no installed runner handles (a plugin that provided it is missing), or a "
    "runner name nobody registered.",
    stage="run",
)
PLUGIN_FAILED = _c(
    "RBD905",
    "plugin-failed",
    "error",
    "A third-party runner, validator or page check raised an error: the message names its "
    "package; report it there, not to runbookdocs. The other blocks are checked or run.",
    stage="run",
)

# ------------------------------------------- running a block, reliability (RBD712-RBD729)

SHELL_TAMPERED = _c(
    "RBD712",
    "shell-tampered",
    "error",
    "A block broke the runner's shell (it disabled a builtin the runner needs, or redefined "
    "the runner's own functions or variables): the step after it could not be run as written, "
    "so its status means nothing. The step fails, and a new shell takes the next one.",
    """
```bash
enable -n source
```

```bash {expect=1}
false
```
""",
    "run",
)
REGEX_TOO_SLOW = _c(
    "RBD713",
    "regex-too-slow",
    "error",
    "A ` (re)` line, or the `prompt=` of an `answer` directive, took too long to match (a "
    "pattern that backtracks catastrophically, like `(a|aa)+$`): it was treated as not "
    "matching. Patterns from pages run with a time limit.",
    stage="run",
)
INVALID_TIMEOUT = _c(
    "RBD714",
    "invalid-timeout",
    "error",
    "At run time, a block's timeout (its `timeout=`, its page's `runbook.timeout` or the "
    "project's `timeout`) is not a number of seconds between 0 and 86400 (`.inf`, `.nan`, a "
    "negative number): the block is not run.",
    """
---
runbook:
  timeout: .inf
---
```bash
true
```
""",
    "run",
)
OUTPUT_NOT_RECORDED = _c(
    "RBD715",
    "output-not-recorded",
    "error",
    "`--update` did not write a command's output into the page: it holds control characters "
    "(a page must stay text that reads back the same), or it was too long to be kept whole.",
    stage="run",
)

# ----------------------------------------------------- includes, continued (RBD123-RBD129)

INCLUDE_OUTSIDE = _c(
    "RBD123",
    "include-outside",
    "error",
    "A `--8<--` include names a file outside the project (an absolute path, `../`, a symlink "
    "that leads out, `/proc/self/environ`): it is not included, checked or run, like the site "
    "does not publish it. A shared snippets directory goes in `trusted_dirs`.",
    """
--8<-- "/etc/hostname"
""",
)

# ------------------------------------------------------- destructive steps (RBD360-RBD369)

DESTRUCTIVE = _c(
    "RBD360",
    "destructive-step",
    "warning",
    "A step that destroys data (`DROP`, `TRUNCATE`, `DELETE` or `UPDATE` without `WHERE`, "
    "`rm -rf`, `mkfs`, `dd of=/dev/...`, `wipefs`, `dropdb`...) without a `danger=` attribute: "
    "mark it so that the site shows it as destructive and asks before copying it, and `play` "
    "asks before running it (`danger=false` when it is harmless where it runs).",
    """
```sql
DELETE FROM orders;
```
""",
)
