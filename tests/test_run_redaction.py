"""Secrets are masked in every derived form commands print, before output is cut, whatever the
reads cut it into; `--update` never writes one into a page."""

from __future__ import annotations

import base64

from tests.test_run_engine import Project, backend, outcomes, project, rendered

__all__ = ["backend", "project"]  # fixtures, imported for pytest

SECRET = "Pa ss'w0rd$!é-Kz9"

# Each block prints the secret the way a command commonly does; none may show it.
FORMS = """
```bash {#base64-user}
printf 'admin:%s' "$PASSWORD" | base64
printf '%s' "$PASSWORD" | base64 -w 8
printf 'x%s' "$PASSWORD" | base64 | tr '+/' '-_'
```

```bash {#quoting}
printf '%q\\n' "$PASSWORD"
declare -p PASSWORD
echo "${PASSWORD@Q}"
( set -x; : "$PASSWORD" ) 2>&1
```

```bash {#case}
printf '%s\\n' "$PASSWORD" | tr '[:lower:]' '[:upper:]'
printf '%s\\n' "$PASSWORD" | tr '[:upper:]' '[:lower:]'
echo "ERROR:  role \\"$(printf '%s' "$PASSWORD" | tr '[:upper:]' '[:lower:]')\\" does not exist"
```

```bash {#url}
url() { local s=$1 c i; for ((i = 0; i < ${#s}; i++)); do c=${s:i:1}
  case $c in [A-Za-z0-9.~_-]) printf '%s' "$c" ;; *) printf '%%%02X' "'$c" ;; esac; done; }
echo "https://user:$(url "$PASSWORD")@example.org/"
```

```console {#transcript}
$ printf '%s\\n' "$PASSWORD" | od -c | head -1 | wc -l
1
$ printf '%s|%s\\n' "$PASSWORD" "$PASSWORD" | base64
changed
```

```bash {#echo-on}
stty echo; true
```

```bash {#after-echo}
echo "{{ PASSWORD }}" > /dev/null
```
"""


def test_secrets_are_masked_in_every_derived_form_and_never_written_by_update(
    project: Project,
) -> None:
    page = project.page(
        "p.md",
        "---\nrunbook:\n  secrets: {PASSWORD: the password}\n---\n"
        + FORMS.replace("```bash {#", "```bash {expect=1 #").replace(
            "```bash {expect=1 #echo-on}", "```bash {#echo-on}"
        ),
    )
    report = project.run("p.md", environ={"PASSWORD": SECRET}, keep_going=True, update=True)
    # Every block "failed" on purpose (expect=1), so its whole output is in the report.
    everything = "\n".join(rendered(r) + "\n" + r.output + "\n" + r.message for r in report.results)
    assert_no_leak(everything)
    assert_no_leak(page.read_text(encoding="utf-8"))
    # Output that holds the secret was still recorded, masked.
    assert "***" in page.read_text(encoding="utf-8").split("```console")[1]
    assert outcomes(report)[4] == "passed", rendered(report.results[4])


def pieces(text: str, size: int) -> set[str]:
    return {text[k : k + size] for k in range(len(text) - size + 1)}


def assert_no_leak(text: str, secret: str = SECRET) -> None:
    """No piece of the secret of 6 characters or more, in any case, plain or in base64."""
    low = text.lower()
    plain = {p.lower() for p in pieces(secret, 6) if p.strip()}
    assert not [p for p in plain if p in low]
    data = secret.encode()
    for skip in range(3):
        chunk = data[skip:]
        chunk = chunk[: len(chunk) - len(chunk) % 3]
        form = base64.b64encode(chunk).decode()
        flat = text.replace("\n", "").replace("\r", "").replace("-", "+").replace("_", "/")
        assert not [p for p in pieces(form, 8) if p in flat]


# The reader of a step's output (masked before it is cut, whatever the reads) is fuzzed in
# tests/reliability/test_fuzz_runner.py.
