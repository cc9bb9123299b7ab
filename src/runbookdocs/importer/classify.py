"""What a piece of legacy text is: a command line, a prompt, JSON, INI, YAML, SQL, or prose.

Every reader asks the same questions (is this line a command? what kind of code is this region?),
so the answers live here once. The rules are deliberately conservative on prose: a sentence
mistaken for a command becomes a block that fails to run, while a command left as prose is only
a block the author still has to fence; `runbookdocs import` reports both kinds of guess.
"""

from __future__ import annotations

import configparser
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass

_COMMANDS_TEXT = """
    adduser alias ansible ansible-playbook apachectl apk apt apt-cache apt-get aptitude ar awk
    aws az base64 basename bash bc bunzip2 bundle bzip2 cargo cat cd certbot chgrp chmod chown
    chroot cmake column comm composer cp createdb createuser crontab csplit curl cut date dd
    deluser df diff dig dirname dmesg dnf docker docker-compose dpkg dpkg-reconfigure du echo
    env eval exec exit export fdisk file find firewall-cmd flock fold free fsck gcloud gem gpg
    git go gradle grep groupadd groups gunicorn gunzip gzip head helm history host hostname
    hostnamectl htop id ifconfig install ip iptables java jar journalctl jq kill killall
    kubectl ldconfig less ln locale localectl logger logrotate ls lsblk lsof lsb_release make
    man mariadb mariadb-dump mkdir mkfs mktemp modprobe more mount mv mvn mysql mysqladmin
    mysqldump mysqlcheck nano nc netstat nginx nmcli node nohup npm npx nslookup openssl
    passwd patch pg_basebackup pg_ctl pg_ctlcluster pg_dump pg_dumpall pg_restore pgrep php
    ping pip pip3 pipenv pipx pkill podman poetry printenv printf ps psql pwd python python3
    read readlink realpath reboot redis-cli rm rmdir rpm rsync ruby scp screen sed seq service
    setfacl sftp sh sha256sum shutdown sleep sort source ss ssh ssh-add ssh-agent ssh-copy-id
    ssh-keygen stat su sudo supervisorctl swapoff swapon sync systemctl tail tar tee telnet
    terraform test timedatectl timeout tmux top touch tr traceroute tree truncate ufw umask
    umount uname unset unzip update-alternatives update-rc.d uptime useradd userdel usermod
    vi vim virtualenv visudo wc wget which whoami xargs yarn yum zcat zip zypper
    """
COMMANDS = frozenset(_COMMANDS_TEXT.split())
"""Command names that start a shell command line. Lower case: `Source` or `Test` is prose."""

_SHELL_KEYWORDS_TEXT = (
    "if then else elif fi for while until do done case esac function select { } [[ ]]"
)
SHELL_KEYWORDS = frozenset(_SHELL_KEYWORDS_TEXT.split())

_WINDOWS_COMMANDS_TEXT = """
    cmd cmd.exe powershell powershell.exe pwsh net net.exe sc sc.exe iisreset msiexec
    reg regedit robocopy xcopy dir copy del ipconfig tasklist taskkill wmic schtasks
    certutil icacls mklink findstr type cls start-service stop-service restart-service
    get-service set-service get-process get-childitem set-location new-item remove-item
    copy-item invoke-webrequest import-module install-module
    """
WINDOWS_COMMANDS = frozenset(_WINDOWS_COMMANDS_TEXT.split())
"""Windows commands (lower-cased): a block made of them cannot run in a Linux target."""

_STOPWORD_TEXT = """
    le la les un une des du de et est sont pour dans sur avec par que qui ne pas il elle vous
    nous on cette ce ces votre vos leur au aux the a an and is are to of in on for with by
    that this which you your it be can must should will from then puis
    """
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_PROMPT = re.compile(
    r"""^(?P<lead>\s*)
    (?:
        (?P<ps>PS\s+[A-Za-z]:\\[^>]*>|[A-Za-z]:\\[^>]*>)\s?          # PS C:\> / C:\>
      | (?P<full>(?:\[[^\]\n]{1,60}\]|[\w.-]+@[\w.-]+(?::[^\s$#]*)?)\s?[$#%])\s  # u@h:~$
      | (?P<short>[$#%])\s                                          # $ / #
    )
    (?P<cmd>\S.*)$""",
    re.VERBOSE,
)
_ENV_ASSIGN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=\S*\Z")
_PATH_WORD = re.compile(r"(?:\.{1,2}/|/|~/)[\w./@+-]*\Z")
_TOOL_WORD = re.compile(r"[a-z][a-z0-9_.+-]*\Z")
_URL = re.compile(r"\b(?:https?|ftp)://")
_INI_SECTION = re.compile(r"^\s*\[[^\]\s\[][^\]\[]*\]\s*$")
_INI_PAIR = re.compile(r"^\s*[A-Za-z_][\w.-]*(?: [\w.-]+)?\s*[=:]\s*\S?.*$")
_INI_COMMENT = re.compile(r"^\s*[#;]")
_YAML_KEY = re.compile(r"""^(\s*)(?:-\s+)?["']?[A-Za-z_][\w.\-/]*["']?:(?:\s+\S.*|\s*)$""")
_YAML_ITEM = re.compile(r"^(\s*)-\s+\S")
_SQL_START = re.compile(
    r"""^\s*(?:
        SELECT\b | INSERT\s+INTO\b | UPDATE\s+[\w."`]+\s+SET\b | DELETE\s+FROM\b
      | CREATE\s+(?:OR\s+REPLACE\s+)?(?:UNIQUE\s+)?(?:TABLE|DATABASE|SCHEMA|USER|ROLE|INDEX|VIEW
                   |EXTENSION|SEQUENCE|FUNCTION|PROCEDURE|TRIGGER)\b
      | DROP\s+(?:TABLE|DATABASE|SCHEMA|USER|ROLE|INDEX|VIEW|SEQUENCE)\b
      | ALTER\s+(?:TABLE|USER|ROLE|DATABASE|SEQUENCE)\b | GRANT\b | REVOKE\b | TRUNCATE\b
      | SHOW\s+\w+ | USE\s+\w+\s*; | FLUSH\s+\w+ | VACUUM\b | ANALYZE\b | EXPLAIN\b
      | (?:BEGIN|COMMIT|ROLLBACK|START\s+TRANSACTION)\s*; | WITH\s+\w+\s+AS\s*\(
      | SET\s+(?:GLOBAL\s+|SESSION\s+)?\w+\s*(?:=|TO)
      | (?:STOP|START|RESET)\s+(?:REPLICA|SLAVE|MASTER)\b | CHANGE\s+(?:MASTER|REPLICATION)\b
      | (?:LOCK|UNLOCK)\s+TABLES?\b | OPTIMIZE\s+TABLE\b | REINDEX\b | CALL\s+\w+
      | [A-Z][A-Z_]*(?:\s+[A-Z_]+)+\s*;\s*$
    )""",
    re.VERBOSE,
)
_SQL_START_ANY_CASE = re.compile(_SQL_START.pattern, re.VERBOSE | re.IGNORECASE)
_GUI = re.compile(
    r"(?i)\b(?:double[- ]?cli\w*|cli(?:ck|quer|quez)\w*|right[- ]click|clic droit|coch(?:er|ez)"
    r"|check the box|s[ée]lectionn\w+|select the|menus?|onglets?|tabs?|boutons?|buttons?"
    r"|fen[êe]tres?|window|navigateur|browser|ic[ôo]nes?|icons?|glisser|drag)\b"
)
_WINDOWS = re.compile(
    r"(?i)(?:\bwindows\b|\biis\b|\bpowershell\b|[A-Z]:\\|\.exe\b|\bservices\.msc\b|\bregedit\b"
    r"|\bgestionnaire des services\b|\bservices manager\b|\bmmc\b)"
)


@dataclass(frozen=True)
class Prompt:
    """A command line written after a shell prompt."""

    prompt: str
    """The prompt as written: `$`, `#`, `root@host:~#`, `PS C:\\>`."""
    command: str
    root: bool
    """`#` prompts are root's."""
    windows: bool


def parse_prompt(line: str, *, strict_root: bool = True) -> Prompt | None:
    """The prompt and command of `line`, or None when `line` is not a command after a prompt.

    `# text` is a root prompt only when the text looks like a command (`# La procédure` is a
    heading or a comment); `$ text` needs less: a dollar sign then a word is rarely prose.
    """
    m = _PROMPT.match(line)
    if not m:
        return None
    cmd = m.group("cmd").rstrip()
    if m.group("ps"):
        return Prompt(m.group("ps").strip(), cmd, False, True)
    prompt = (m.group("full") or m.group("short")).strip()
    root = prompt.endswith("#")
    if m.group("short") == "#":
        # A root prompt, or a Markdown heading, or a comment: a command name decides.
        if not looks_like_command(cmd, strict=strict_root):
            return None
    elif m.group("short") == "%":
        if not looks_like_command(cmd, strict=True):
            return None
    elif not looks_like_command(cmd, strict=False):
        return None
    return Prompt(prompt, cmd, root, False)


def first_word(command: str) -> str:
    """The program a command line runs: `sudo -u x FOO=1 tool args` -> `tool`."""
    words = command.split()
    i = 0
    while i < len(words):
        w = words[i]
        if _ENV_ASSIGN.match(w) or w in ("time", "nohup", "exec", "command", "env"):
            i += 1
        elif w == "sudo":
            i += 1
            while i < len(words) and words[i].startswith("-"):
                i += 2 if words[i] in ("-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t") else 1
        else:
            return w
    return words[0] if words else ""


def looks_like_command(text: str, *, strict: bool = True) -> bool:
    """Whether one line reads as a shell command rather than a sentence.

    Args:
        text: the line, without prompt or indentation.
        strict: require a known command name or an executable path with arguments (bare lines,
            `#` prompts); otherwise a lower-case tool name with options is enough (`$` prompts).
    """
    text = text.strip()
    if not text or len(text) > 400:
        return False
    words = text.split()
    head = words[0]
    if (head in SHELL_KEYWORDS and len(words) > 1) or head.startswith("./"):
        return _not_prose(words, text)
    if _ENV_ASSIGN.match(head) and len(words) == 1:
        return not text.endswith((".", ":"))
    if head == "export" and len(words) == 2 and "=" in words[1]:
        return True
    if _ENV_ASSIGN.match(head):
        head = first_word(text) or head
    if head in COMMANDS:
        return _not_prose(words, text)
    if _PATH_WORD.match(head):
        return (len(words) > 1 and _not_prose(words, text)) or head.endswith((".sh", ".py"))
    if head.endswith((".sh", ".py", ".pl")) and _TOOL_WORD.match(head):
        return _not_prose(words, text)
    if strict:
        return False
    if _TOOL_WORD.match(head) and not head.isdigit():
        return _not_prose(words, text) and (
            len(words) == 1 or any(w.startswith(("-", "/", "$", "./", "~")) for w in words[1:])
        )
    return False


def _not_prose(words: Sequence[str], text: str) -> bool:
    # `cd ..` and `find .` end with a dot; sentences end with one and a letter before it.
    if (
        text.endswith((".", ":", "!", "?"))
        and not text.endswith(("..", " .", "/."))
        and re.search(r"[^\W\d_]{2}[.:!?]$", text)
        and len(words) > 2
    ):
        return False
    if " : " in text and not re.search(r"""['"][^'"]* : [^'"]*['"]""", text):
        return False
    stop = sum(1 for w in words[1:] if w.lower() in _STOPWORDS)
    return stop < 2 and not (len(words) > 6 and stop >= 1 and not _has_shell_marks(text))


def _has_shell_marks(text: str) -> bool:
    return bool(re.search(r"(?:\s-{1,2}\w|[|&;<>$=/]|`)", text))


def is_windows_command(command: str) -> bool:
    """True for a command that only exists on Windows (`net stop`, `Get-Service`, `C:\\x.exe`)."""
    word = command.strip().split(maxsplit=1)[0].lower() if command.strip() else ""
    return word in WINDOWS_COMMANDS or bool(re.match(r"(?i)[a-z]:\\", word))


def mentions_gui(text: str) -> bool:
    """True for a step done with a mouse: click, double-click, menu, button, window."""
    return bool(_GUI.search(text))


def mentions_windows(text: str) -> bool:
    """True for text about Windows-only tools or paths (IIS, `C:\\`, PowerShell, `.exe`)."""
    return bool(_WINDOWS.search(text))


def is_ini_section(line: str) -> bool:
    """`[section]` alone on its line."""
    return bool(_INI_SECTION.match(line)) and not _URL.search(line)


def is_ini_pair(line: str) -> bool:
    """`key = value` (or `key: value`), the body line of an INI file."""
    return bool(_INI_PAIR.match(line)) and not line.rstrip().endswith((".", "?"))


def is_ini_comment(line: str) -> bool:
    """`# ...` or `; ...`."""
    return bool(_INI_COMMENT.match(line))


def is_yaml_line(line: str) -> bool:
    """`key: value`, `key:` or `- item`, with a key that has no spaces (`Note : x` is prose)."""
    return bool(_YAML_KEY.match(line) or _YAML_ITEM.match(line))


def starts_sql(line: str, *, any_case: bool = False) -> bool:
    """A line that starts an SQL statement (upper-case keywords unless `any_case`)."""
    return bool((_SQL_START_ANY_CASE if any_case else _SQL_START).match(line))


def is_json_start(line: str) -> bool:
    """The first line of a JSON document: `{`, `[`, `{"key"...`, `[{`, `["`, `[1`..."""
    s = line.strip()
    if not s or s[0] not in "{[":
        return False
    if s in ("{", "[", "{}", "[]"):
        return True
    if s[0] == "{":
        return bool(re.match(r'\{\s*(?:"|\}|$)', s))
    return bool(re.match(r'\[\s*(?:[{\["\d\-]|true|false|null|\]|$)', s))


# ------------------------------------------------------------------------- region kinds


@dataclass(frozen=True)
class Kind:
    """The language chosen for a code region, and why."""

    lang: str
    """Fence language: `bash`, `console`, `json`, `yaml`, `ini`, `toml`, `sql`, `text`..."""
    reason: str
    """What decided it, for the import report."""
    windows: bool = False
    """Commands that only run on Windows."""


def classify(lines: Sequence[str]) -> Kind:
    """The kind of an untagged code region, from its content alone."""
    body = [ln for ln in lines if ln.strip()]
    if not body:
        return Kind("text", "empty")
    text = "\n".join(lines).strip()
    if text[0] in "{[" and text[-1] in "}]":
        try:
            json.loads(text)
            return Kind("json", "parses as JSON")
        except ValueError:
            if (text[0] == "{" and re.search(r'"\s*:', text)) or is_json_start(body[0]):
                return Kind("json", "looks like JSON (does not parse: see the check)")
    prompts = [parse_prompt(ln, strict_root=False) for ln in body]
    found = [p for p in prompts if p is not None]
    if found and prompts[0] is not None:
        if any(p.windows for p in found) or all(is_windows_command(p.command) for p in found):
            return Kind("powershell", "Windows prompt", windows=True)
        return Kind("console", f"'{found[0].prompt}' prompts")
    stripped = [ln.strip() for ln in body]
    if is_ini_section(stripped[0]) and all(
        is_ini_section(s) or is_ini_pair(s) or is_ini_comment(s) or s[0].isspace() for s in stripped
    ):
        return _ini_or_toml(text)
    if starts_sql(stripped[0], any_case=True) and (
        starts_sql(stripped[0]) or text.rstrip().endswith(";")
    ):
        return Kind("sql", "SQL statement")
    if _is_yaml(body):
        return Kind("yaml", "YAML mapping")
    pairs = [s for s in stripped if not is_ini_comment(s)]
    if pairs and all(is_ini_pair(s) for s in pairs):
        assignments = [re.match(r"([A-Za-z_][A-Za-z0-9_]*)=\S", s) for s in pairs]
        if all(assignments) and all(m.group(1).isupper() for m in assignments if m):
            return Kind("bash", "VARIABLE=value lines (environment)")
        if any(" = " in s for s in pairs) or all(re.match(r"[\w.-]+\s*=", s) for s in pairs):
            # runbookdocs' INI needs [sections]: a flat key=value file is shown, not checked.
            return Kind("properties", "key=value lines without [section]")
    words = [first_word(s) for s in stripped if not s.startswith("#")]
    if words and all(is_windows_command(s) for s in stripped if not s.startswith(("#", "REM "))):
        return Kind("powershell", "Windows commands", windows=True)
    commands = [
        s
        for s in stripped
        if looks_like_command(s, strict=False)
        or s.startswith("#")
        or s.split()[0] in SHELL_KEYWORDS
        or _ENV_ASSIGN.match(s.split()[0])
    ]
    lead = [s for s in stripped if not s.startswith("#")]
    if lead and looks_like_command(lead[0], strict=False) and len(commands) >= 0.6 * len(stripped):
        return Kind("bash", f"command '{first_word(lead[0])}'")
    if stripped[0].startswith("#!/") and ("sh" in stripped[0]):
        return Kind("bash", "shell script")
    if stripped[0].startswith("<"):
        return Kind("xml", "markup")
    return Kind("text", "no known language")


def _ini_or_toml(text: str) -> Kind:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        data = None
    if data and re.search(r"""=\s*(?:"|'|\[|\d|true\b|false\b)""", text):
        values = re.findall(r"=\s*(\S.*)$", text, re.M)
        if all(re.match(r"""(?:"|'|\[|\{|-?\d|true\b|false\b)""", v) for v in values):
            return Kind("toml", "TOML (typed values)")
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text if text.lstrip().startswith("[") else "[_]\n" + text)
    except configparser.Error:
        return Kind("ini", "INI sections (does not parse: see the check)")
    return Kind("ini", "INI sections")


def _is_yaml(lines: Sequence[str]) -> bool:
    content = [ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if content and content[0].strip() == "---":
        content = content[1:]
    if len(content) < 2 or not all(
        is_yaml_line(ln) or ln[:1] in (" ", "\t") or ln.strip() in ("---", "...") for ln in content
    ):
        return False
    nested = any(ln[:1] in (" ", "\t") or _YAML_ITEM.match(ln) for ln in content)
    keys = sum(1 for ln in content if _YAML_KEY.match(ln))
    if not nested and keys < 3:
        return False
    from runbookdocs.yamlio import YamlProblem, load_yaml

    try:
        data = load_yaml("\n".join(lines), lines=False)
    except YamlProblem:
        return False
    return isinstance(data, (dict, list))


__all__ = [
    "COMMANDS",
    "Kind",
    "Prompt",
    "classify",
    "first_word",
    "is_ini_comment",
    "is_ini_pair",
    "is_ini_section",
    "is_json_start",
    "is_windows_command",
    "is_yaml_line",
    "looks_like_command",
    "mentions_gui",
    "mentions_windows",
    "parse_prompt",
    "starts_sql",
]
