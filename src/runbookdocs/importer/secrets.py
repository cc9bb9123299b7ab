"""Secrets seen in a legacy manual: found, replaced by declared `{{ NAME }}` secrets, never copied.

Old manuals paste passwords and tokens into configuration examples and command lines. The page
gets a placeholder instead (`"password": "{{ POSTGRESQL_PASSWORD }}"`), declared under
`runbook.secrets`, so the value comes from the environment when the page runs and is redacted
from every output. A value is any non-empty text where a secret goes, including "to fill in"
markers (`"..."`, `<token>`): the page then says plainly that a secret is needed there. Only
references to variables (`$PASS`, `${TOKEN}`, `{{ x }}`) are left alone.

The names come from the key and its context (the JSON object, INI section or command around it):
`password` under `postgresql` is `POSTGRESQL_PASSWORD`, `mysql -pX` is `MYSQL_PASSWORD`. The same
value seen twice gets the same name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

_KEY = (
    r"(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_-]?key|apikey|access[_-]?key"
    r"|private[_-]?key|client[_-]?secret|auth(?:[_-]?(?:key|token))?|credentials?)"
)
_GENERIC = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "TOKEN",
        "SECRET",
        "APIKEY",
        "API_KEY",
        "PASSPHRASE",
        "CREDENTIALS",
        "CREDENTIAL",
        "ACCESS_KEY",
        "PRIVATE_KEY",
        "AUTH_KEY",
    }
)
_JSON = re.compile(
    rf'(?P<pre>"(?P<key>[^"\n]*{_KEY}[^"\n]*)"\s*:\s*)(?P<val>"(?:[^"\\\n]|\\.)*")', re.I
)
_YAML = re.compile(
    rf"""^(?P<pre>\s*(?:-\s+)?(?P<key>[\w.-]*{_KEY}[\w.-]*)\s*:\s+)"""
    rf"""(?P<val>"[^"\n]*"|'[^'\n]*'|[^\s#'"{{[][^#\n]*?)\s*(?:\#.*)?$""",
    re.I | re.M,
)
_INI = re.compile(
    rf"""^(?P<pre>\s*(?P<key>[\w.-]*{_KEY}[\w.-]*)\s*[=:]\s*)(?P<val>"[^"\n]*"|'[^'\n]*'|\S.*?)\s*$""",
    re.I | re.M,
)
_SHELL_OPTION = re.compile(
    rf"""(?P<pre>(?<![\w-])--?(?P<key>[\w-]*{_KEY}[\w-]*)(?:=|[ \t]+))"""
    rf"""(?!-)(?P<val>"[^"\n]*"|'[^'\n]*'|[^\s"';|&<>]+)""",
    re.I,
)
_SHELL_ENV = re.compile(
    rf"""(?P<pre>\b(?P<key>\w*{_KEY}\w*)=)(?P<val>"[^"\n]*"|'[^'\n]*'|[^\s"';|&]+)""",
    re.I,
)
_MYSQL_P = re.compile(
    r"""(?P<cmd>\b(?:mysql|mariadb|mysqldump|mariadb-dump|mysqladmin|mysqlcheck)\b)[^\n|;]*?"""
    r"""\s(?P<pre>-p)(?P<val>[^\s"';|&<>]+|"[^"\n]*"|'[^'\n]*')"""
)
_CMD_OPTION = re.compile(
    r"""(?P<cmd>\b(?:redis-cli|sshpass|htpasswd\s+-b)\b)[^\n|;]*?\s(?P<pre>-[ap][ \t]+)"""
    r"""(?P<val>"[^"\n]*"|'[^'\n]*'|[^\s"';|&<>]+)"""
)
_URL_CREDS = re.compile(r"(?P<pre>\b[a-z][\w+.-]*://(?P<key>[^\s:/@]+):)(?P<val>[^\s@/]+)(?=@)")
_AUTH_HEADER = re.compile(
    r"(?P<pre>(?i:authorization):\s*(?i:bearer|basic|token)\s+)(?P<val>[^\s\"']+)"
)
_PROSE = re.compile(
    r"""(?P<pre>(?i:\b(?:password|passwd|mot de passe|mdp|token|secret|api key|clé d'api))"""
    r"""\s*[:=]\s*)(?P<val>`[^`\s]+`|[^\s`*_<>"']{4,})(?=\s*[;,.]?\s*$|[;,]\s)""",
    re.M,
)
_NOT_A_VALUE = re.compile(
    r"(?i)(?:file|path|stdin|env|length|type|_id|-id|name|policy|expir\w*|url|hash|prompt)$"
)
_VARIABLE = re.compile(r"""^["']?(?:\$\{?\w+\}?|\{\{.*\}\}|%\(\w+\)s|\$\(.*\))["']?$""")


@dataclass
class Secret:
    """One secret of the page."""

    name: str
    key: str
    """The key or option it was found under (`password`, `-p`)."""
    line: int | None
    """Source position of its first occurrence."""


@dataclass
class Secrets:
    """The secrets found while importing one document."""

    by_value: dict[str, Secret] = field(default_factory=dict)
    names: dict[str, Secret] = field(default_factory=dict)

    def _name(self, value: str, key: str, context: str, line: int | None) -> str:
        if value in self.by_value:
            return self.by_value[value].name
        base = _upper(key)
        if base in _GENERIC or not base:
            prefix = _upper(context)
            base = f"{prefix}_{base or 'PASSWORD'}" if prefix else (base or "PASSWORD")
        if base[0].isdigit():
            base = "S_" + base
        name, n = base, 2
        while name in self.names:
            name, n = f"{base}_{n}", n + 1
        secret = Secret(name, key, line)
        self.by_value[value] = secret
        self.names[name] = secret
        return name

    def in_code(self, lang: str, lines: Sequence[str], numbers: Sequence[int]) -> list[str]:
        """`lines` of a block of language `lang` with every secret value replaced."""
        out = list(lines)
        for i, line in enumerate(out):
            number = numbers[i] if i < len(numbers) else None
            context = _context(out, i, lang)
            patterns: list[re.Pattern[str]]
            if lang == "json":
                patterns = [_JSON, _URL_CREDS]
            elif lang in ("yaml", "yml"):
                patterns = [_YAML, _JSON, _URL_CREDS]
            elif lang in ("ini", "cfg", "toml"):
                patterns = [_INI, _URL_CREDS]
            elif lang in ("bash", "sh", "shell", "console", "sql", "powershell", "batch"):
                patterns = [
                    _MYSQL_P,
                    _CMD_OPTION,
                    _SHELL_OPTION,
                    _SHELL_ENV,
                    _URL_CREDS,
                    _AUTH_HEADER,
                ]
            else:
                patterns = [_JSON, _INI, _SHELL_OPTION, _URL_CREDS, _AUTH_HEADER]
            for pattern in patterns:
                line = pattern.sub(self._replacer(context, number, line), line)
            out[i] = line
        return out

    def in_prose(self, text: str, line: int | None) -> str:
        """A line of prose with `password: VALUE` values replaced."""
        text = _URL_CREDS.sub(self._replacer("", line, text), text)
        return _PROSE.sub(self._replacer("", line, text, prose=True), text)

    def everywhere(self, text: str) -> str:
        """Every remaining copy of a known value (from 4 characters, with letters or digits)."""
        for value, secret in sorted(self.by_value.items(), key=lambda kv: -len(kv[0])):
            if len(value) >= 4 and re.search(r"\w", value) and value in text:
                text = text.replace(value, "{{ " + secret.name + " }}")
        return text

    def _replacer(
        self, context: str, line: int | None, whole: str, *, prose: bool = False
    ) -> Callable[[re.Match[str]], str]:
        def replace(m: re.Match[str]) -> str:
            raw = m.group("val")
            quote = raw[0] if raw[:1] in ("'", '"', "`") and raw[-1:] == raw[:1] else ""
            value = raw[1:-1] if quote else raw
            if not value.strip() or _VARIABLE.match(raw) or "{{" in value:
                return m.group(0)
            if prose and value.islower() and value.isalpha():
                return m.group(0)  # "mot de passe : votre" is a sentence, not a secret
            groups = m.groupdict()
            key = groups.get("key") or ("p" if m.re in (_MYSQL_P, _CMD_OPTION) else "secret")
            if _NOT_A_VALUE.search(key) or not _secret_key(key):
                return m.group(0)
            ctx = context
            if m.re is _MYSQL_P or m.re is _CMD_OPTION:
                ctx = m.group("cmd").split()[0]
                key = "password"
            elif m.re is _URL_CREDS:
                ctx, key = m.group("key"), "password"
            elif m.re is _AUTH_HEADER:
                key = "token"
            name = self._name(value, key, ctx, line)
            placeholder = "{{ " + name + " }}"
            start = m.start("val") - m.start(0)
            head = m.group(0)[:start]
            return head + (f"{quote}{placeholder}{quote}" if quote else placeholder)

        return replace


_KEY_WORD = re.compile(rf"(?i)(?:^|[^a-z]){_KEY}(?:$|[^a-z])")


def _secret_key(key: str) -> bool:
    """`password`, `db_password`, `dbPassword`, `-p`; not `passerelle` nor `tokenizer`."""
    if key in ("p", "secret", "password", "token"):
        return True
    return bool(_KEY_WORD.search(re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", key)))


def _upper(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


def _context(lines: Sequence[str], i: int, lang: str) -> str:
    """The key of the object (JSON, YAML), the section (INI) or the command around line `i`."""
    line = lines[i]
    if lang in ("ini", "cfg", "toml"):
        for j in range(i, -1, -1):
            m = re.match(r"^\s*\[([^\]]+)\]", lines[j])
            if m:
                return m.group(1).split(".")[-1]
        return ""
    if lang in ("json", "yaml", "yml"):
        own = len(line) - len(line.lstrip())
        for j in range(i - 1, -1, -1):
            text = lines[j]
            ind = len(text) - len(text.lstrip())
            if ind >= own or not text.strip():
                continue
            m = re.search(r'"([^"]+)"\s*:\s*[\{\[]\s*$', text) or re.match(
                r"^\s*(?:-\s+)?([\w.-]+)\s*:\s*$", text
            )
            # "createdb-connection-params" says less than the "postgresql" around it.
            if m and len(re.split(r"[-_.]", m.group(1))) <= 2:
                return m.group(1)
            own = ind
        return ""
    from runbookdocs.importer.classify import first_word

    command = re.sub(r"^[$#]\s+", "", line.strip())
    word = first_word(command)
    return word.rsplit("/", 1)[-1] if word else ""


__all__ = ["Secret", "Secrets"]
