"""Page checks: links and anchors, placeholders, markers, mojibake, review dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from runbookdocs.anchors import page_anchors, slugify
from runbookdocs.config import load_config
from runbookdocs.document import parse_document
from tests.helpers import cli, make_project
from tests.validate_helpers import check_page


def _doc(tmp_path: Path, text: str, name: str = "docs/x.md"):  # type: ignore[no-untyped-def]
    make_project(tmp_path, {})
    config = load_config(start=tmp_path)
    return parse_document(text, path=name, file=tmp_path / name, config=config), config


def test_anchors_like_the_site(tmp_path: Path) -> None:
    doc, _ = _doc(
        tmp_path,
        "# Serveur DEV\n\n## Serveur DEV\n\n## Accès `root` {#acces}\n\n"
        "Setext title\n---\n\n```bash {#restart}\n# not a heading\n```\n\n"
        '<a id="raw"></a>\n',
    )
    # Python-Markdown's toc numbers a repeated heading `_1`, GitHub and Hugo `-1`: a link is
    # accepted when any renderer gives the anchor (issue #11).
    assert page_anchors(doc) == {
        "serveur-dev",
        "serveur-dev_1",
        "serveur-dev-1",
        "acces",
        "setext-title",
        "restart",
        "raw",
    }
    assert (
        slugify("Le site http://localhost:8080 n'est pas accessible")
        == "le-site-httplocalhost8080-nest-pas-accessible"
    )


def test_links(tmp_path: Path) -> None:
    files = {"docs/other.md": "# Serveur DEV\n", "docs/img.png": "x"}
    page = (
        "# Top\n\n[a](other.md#serveur-dev) [b](./Serveurs.md#serveur-dev) "
        "[c](other.md#serveur-prod) [d](#top) [e](#nope) `[f](#nope)` ![g](img.png) "
        "[h](https://x.org/#nope)\n\n```text\n[i](#nope)\n```\n"
    )
    assert check_page(tmp_path, page, files) == [
        "docs/page.md:3:31: error: link to './Serveurs.md': no such page [RBD501]",
        "docs/page.md:3:62: error: link to 'other.md#serveur-prod': no anchor #serveur-prod in "
        "'other.md' (did you mean 'serveur-dev'?) [RBD502]",
        "docs/page.md:3:99: error: link to '#nope': no anchor #nope in this page [RBD502]",
    ]


def test_placeholders_declared_and_unused(tmp_path: Path) -> None:
    page = """\
    ---
    runbook:
      reviewed: 2999-01-01
      variables: {tag: "1", spare: "2"}
      secrets: {PASS: p}
    ---
    ```bash
    echo {{ tag }} {{ PASS }} {{ project }}   {{ tga }}
    ```
    """
    found = check_page(tmp_path, page, config='[tool.runbookdocs.variables]\nproject = "p"\n')
    assert found == [
        "docs/page.md:4:1: warning: variable 'spare' is declared but no block uses it [RBD505]",
        "docs/page.md:8:43: error: placeholder {{ tga }} is not declared (did you mean 'tag'?) "
        "[RBD504]",
    ]


def test_markers_and_mojibake(tmp_path: Path) -> None:
    page = (
        "# T\n\nLe service n?est pas là. Voir https://x.org/a?b=1 et `a?b`.\n"
        "[TODO : lien]\n\n```bash\necho ok # FIXME\n```\n"
    )
    assert check_page(tmp_path, page) == [
        "docs/page.md:3:13: warning: 'n?est': '?' inside a word looks like a lost character "
        "(mojibake) [RBD507]",
        "docs/page.md:4:2: warning: TODO marker: unfinished page [RBD506]",
        "docs/page.md:7:11: warning: FIXME marker: unfinished page [RBD506]",
    ]


def test_markers_readers_never_see_are_not_reported(tmp_path: Path) -> None:
    """Blind round 6: a TODO in a link definition (`[//]: # (TODO ...)`, never rendered), in a
    comment of quoted Go source, `XXX` as a path to fill in, `?` starting a URL's query in a
    table: nothing to report; a TODO in prose or a shell comment still is."""
    page = (
        "# T\n\n[//]: <TODO: link>\n[//]: # (TODO: limits)\n\n"
        "```go\nx := 1 // TODO: tune\n```\n\n```bash\nrun --root=/nfs/XXX # TODO: check\n```\n\n"
        "| GET | /admin/plugins?all=true |\n|---|---|\n\nTODO: steps.\n"
    )
    assert check_page(tmp_path, page) == [
        "docs/page.md:11:23: warning: TODO marker: unfinished page [RBD506]",
        "docs/page.md:17:1: warning: TODO marker: unfinished page [RBD506]",
    ]


def test_review_dates(tmp_path: Path) -> None:
    old = (dt.date.today() - dt.timedelta(days=400)).isoformat()
    found = check_page(tmp_path, f"---\nrunbook:\n  reviewed: {old}\n---\n# T\n")
    assert found == [
        f"docs/page.md:3:1: warning: last reviewed on {old}, 400 days ago (more "
        "than review_interval_days=180) [RBD509]"
    ]
    found = check_page(tmp_path, "---\nrunbook:\n  owner: ops\n---\n# T\n")
    assert found == [
        "docs/page.md:2:1: warning: runbook settings without a 'reviewed' date [RBD508]"
    ]


def test_cli_link_cache_invalidated_when_heading_changes(tmp_path: Path) -> None:
    make_project(tmp_path, {"docs/a.md": "# A\n\n[x](b.md#one)\n", "docs/b.md": "# One\n"})
    assert cli("check", cwd=tmp_path).returncode == 0
    (tmp_path / "docs/b.md").write_text("# Two\n", encoding="utf-8")
    proc = cli("check", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("docs/a.md:3:5: error: link to 'b.md#one': no anchor #one")


def test_secret_used_as_shell_variable_counts_as_used(tmp_path: Path) -> None:
    page = (
        "---\nrunbook:\n  reviewed: 2099-01-01\n  secrets:\n    TOKEN: jeton\n    UNUSED: x\n---\n"
        '```bash\ncurl -H "Authorization: ${TOKEN}" http://localhost/\n```\n'
    )
    found = check_page(tmp_path, page)
    assert found == [
        "docs/page.md:6:1: warning: secret 'UNUSED' is declared but no block uses it [RBD505]"
    ]


def test_github_keeps_emoji_variation_selectors_in_ids(tmp_path: Path) -> None:
    """Blind round 18: GitHub's slug (github-slugger) drops symbols but keeps marks, so the
    variation selector U+FE0F of `⚠️` stays in the id: `## ⚠️  Notes` is `#\ufe0f--notes`.
    A link naming the emoji itself, or a heading that is not there, is still an error."""
    page = (
        "# Guide\n\n## \u26a0\ufe0f  Notes\n\n## \u2705 Done\n\n## \U0001f680 Launch\n\n"
        "[a](#\ufe0f--notes) [b](#--notes) [c](#-done) [d](#-launch) "
        "[e](#\u26a0\ufe0f--notes) [f](#\ufe0f-launch)\n"
    )
    (tmp_path / "page.md").write_text(page, encoding="utf-8")
    proc = cli("check", "--no-cache", "--dialect", "github", "page.md", cwd=tmp_path)
    found = [ln.split(": error")[0] for ln in proc.stdout.splitlines() if ": error" in ln]
    assert found == ["page.md:9:60", "page.md:9:76"], proc.stdout


def test_vuepress_slugs_outside_mkdocs_only(tmp_path: Path) -> None:
    """Blind round 5: VuePress and VitePress make `app.conf` `app-conf`; a GitHub-like site
    (no mkdocs.yml) may use them, an MkDocs site never has them."""
    page = (
        "# Config\n\n## framework.properties\n\n## 3 steps\n\n"
        "See [the file](#framework-properties), [steps](#_3-steps) and [none](#framework-conf).\n"
    )
    (tmp_path / "page.md").write_text(page, encoding="utf-8")
    github = cli("check", "--no-cache", "--dialect", "github", "page.md", cwd=tmp_path)
    found = [ln.split(": error")[0] for ln in github.stdout.splitlines() if ": error" in ln]
    assert found == ["page.md:7:70"], github.stdout
    mkdocs = cli("check", "--no-cache", "--dialect", "mkdocs", "page.md", cwd=tmp_path)
    found = [ln.split(": error")[0] for ln in mkdocs.stdout.splitlines() if ": error" in ln]
    assert found == ["page.md:7:16", "page.md:7:48", "page.md:7:70"], mkdocs.stdout


def test_files_the_repository_ignores_are_written_by_the_build(tmp_path: Path) -> None:
    """Blind round 27: a `.gitignore` between a file and the top of its repository (or, in a
    copy without Git, its site) says the build writes it; a deeper `!name` keeps it; above no
    top, nothing is read."""
    from runbookdocs.generated import ignored_by_repository

    site = tmp_path / "site"
    (site / "content" / "cli").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\n')
    (site / ".gitignore").write_text("public/\ncontent/cli/tool_*.md\n")
    (site / "content" / "cli" / ".gitignore").write_text("!tool_kept.md\n")
    assert ignored_by_repository(site / "content" / "cli" / "tool_run.md")
    assert not ignored_by_repository(site / "content" / "cli" / "tool_kept.md")
    assert not ignored_by_repository(site / "content" / "cli" / "other.md")
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / ".gitignore").write_text("*.md\n")
    assert not ignored_by_repository(loose / "page.md")
