"""`file=` on any text block (an nginx site, a script, a crontab), placeholders in `file=` and
`owner=`, and `check=`: what the block writes is what the page shows, and the check judges it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import cli, make_project
from tests.validate_helpers import check_page

FRONT = """\
---
runbook:
  target: debian
  reviewed: 2026-11-30
  variables: {site: shop, domain: shop.example.org, app_user: www-data}
---
"""

SITE = (
    '```nginx {#site file="/etc/nginx/sites-available/{{ site }}.conf" '
    'owner="{{ app_user }}:root" check="grep -q \'server_name {{ domain }};\' '
    '/etc/nginx/sites-available/{{ site }}.conf"}'
)

PAGE = (
    FRONT
    + """\
# Nginx site

SITE
server {
    listen 80;
    server_name {{ domain }};
}
```

```bash {#script file=/usr/local/bin/purge mode=0755}
#!/bin/sh
echo "purged $1"
```

```text {#cron file=/etc/cron.d/purge}
17 3 * * * root /usr/local/bin/purge /var/cache/shop
```

```console {#verify}
$ /usr/local/bin/purge old
purged old
$ stat -c '%U %a' /etc/nginx/sites-available/shop.conf /usr/local/bin/purge
www-data 644
root 755
$ cat /etc/cron.d/purge
17 3 * * * root /usr/local/bin/purge /var/cache/shop
```
""".replace("SITE", SITE)
)


def test_file_blocks_check_statically(tmp_path: Path) -> None:
    assert check_page(tmp_path, PAGE) == []
    relative = "---\nrunbook:\n  reviewed: 2026-11-30\n  variables: {dir: etc}\n---\n" + (
        '# R\n\n```text {file="{{ dir }}/x.conf"}\nx\n```\n'
    )
    assert check_page(tmp_path, relative) == [
        "docs/page.md:8:10: error: file='{{ dir }}/x.conf' is 'etc/x.conf' once filled in: an "
        "absolute path in the target [RBD104]"
    ]
    unquoted = FRONT + "```text {file=/etc/{{ site }}.conf}\nx\n```\n"
    found = [x for x in check_page(tmp_path, unquoted) if ": error:" in x]
    assert "unbalanced braces" in found[0] and "quote a value that holds a placeholder" in found[0]
    transcript = FRONT + "```console {file=/etc/x}\n$ ls\n```\n"
    found = [x for x in check_page(tmp_path, transcript) if ": error:" in x]
    assert len(found) == 1 and "a console block is not file contents [RBD106]" in found[0]


@pytest.mark.docker
def test_any_text_block_is_written_verbatim_then_checked(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"docs/site.md": PAGE})
    ok = cli("run", "--report", "r.json", cwd=root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    results = {r["id"]: r for r in json.loads((root / "r.json").read_text())["results"]}
    assert {k: r["outcome"] for k, r in results.items()} == dict.fromkeys(
        ("site", "script", "cron", "verify"), "passed"
    )
    failing = PAGE.replace("server_name {{ domain }};\n}", "server_name other.example.org;\n}")
    (root / "docs" / "site.md").write_text(failing, encoding="utf-8")
    bad = cli("run", cwd=root)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert (
        "docs/site.md:9:1: error: /etc/nginx/sites-available/shop.conf was written, but its "
        "check `grep -q 'server_name {{ domain }};' /etc/nginx/sites-available/{{ site }}.conf` "
        "exited 1 [RBD730]" in bad.stdout
    )
