"""The same site under MkDocs and Zensical: what a reader gets must not depend on the builder.

The fixture project (`tests/samples/site/basic`, one `mkdocs.yml` for both builders) is built
with MkDocs (the runbookdocs plugin) and with Zensical (after `runbookdocs site prepare`), and
what matters is compared: the blocks with badges and their states and texts, the page banner and
variables form, the decision tree (its data and static version), the report page's rows, the
tags, the assets each page loads, and nothing loaded from another host. Then what
`runbookdocs site prepare` refuses, and the Zensical set-ups the guide shows.
"""

from __future__ import annotations

import html as htmllib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.test_site_build import (
    ROOT,
    STANDARD_OUTCOMES,
    build_site,
    make_site,
    text_of,
    write_report,
)

SAMPLES = ROOT / "tests" / "samples" / "site"
PAGES = ("ocpizza/sauvegarde/", "rapport/", "", "etiquettes/")
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}


def zensical() -> str:
    path = shutil.which("zensical")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("zensical is not installed (pip install -e '.[site]')")
        pytest.skip("zensical is not installed")
    return path


def cli(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`runbookdocs ARGS` in `project`, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "runbookdocs.cli", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )


def zensical_build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [zensical(), "build", "--clean", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )


def build_with_zensical(project: Path, config: str = "mkdocs.yml") -> Path:
    """`runbookdocs site prepare -f CONFIG` then `zensical build --strict -f CONFIG`."""
    prepared = cli(project, "site", "prepare", "-f", config)
    assert prepared.returncode == 0, prepared.stderr
    proc = zensical_build(project, "--strict", "-f", config)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site"


# --------------------------------------------------------------------------- what matters


def _attr(tag: str, name: str) -> str | None:
    m = re.search(rf'\s{name}="([^"]*)"', tag)
    return htmllib.unescape(m.group(1)) if m else None


def _article(text: str) -> str:
    return text[text.index("<article") : text.index("</article>")]


def inventory(site: Path) -> dict[str, Any]:
    """What a reader of the fixture site gets, in a form that does not depend on the builder."""
    out: dict[str, Any] = {}
    page = (site / "ocpizza/sauvegarde/index.html").read_text(encoding="utf-8")
    article = _article(page)
    blocks = {}
    for m in re.finditer(r'<div class="rb-block( rb-block--[a-z-]+)?" id="([^"]+)">', article):
        after = re.compile(r'<div class="rb-block[ "]').search(article, m.end())
        body = article[m.end() : after.start() if after else len(article)]
        badge = re.search(r'<span class="rb-badge[^"]*"[^>]*>.*?</span>(?:</span>)?', body, re.S)
        blocks[m.group(2)] = (
            (m.group(1) or "").strip(),
            _attr(badge.group(0), "data-rb-state") if badge else None,
            text_of(badge.group(0)).strip() if badge else None,
            _attr(badge.group(0), "title") if badge else None,
            text_of(body[: body.find("<pre")]).strip(),  # the block's head: title, target, id
        )
    out["blocks"] = blocks
    aside = article[article.index('<aside class="rb-page') : article.index("</aside>")]
    out["banner"] = " ".join(text_of(aside).split())
    out["form"] = sorted(
        (_attr(tag, "data-rb-input"), _attr(tag, "value"))
        for tag in re.findall(r"<input [^>]*>", aside)
    )
    tree = article[article.index('<div class="rb-tree"') :]
    data = re.search(r'data-rb-data="([^"]*)"', tree)
    assert data is not None
    out["tree"] = json.loads(htmllib.unescape(data.group(1)))
    static = tree[tree.index("rb-tree__static") : tree.index("rb-tree__overview")]
    out["tree_static"] = (re.findall(r'id="([^"]+)"', static), " ".join(text_of(static).split()))
    out["overview"] = text_of(tree[tree.index('<pre class="rb-mermaid">') :].split("</pre>")[0])
    report = _article((site / "rapport/index.html").read_text(encoding="utf-8"))
    out["report_rows"] = [
        [" ".join(text_of(c).split()) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>.*?</tr>", report, re.S)
    ]
    out["report_links"] = sorted(set(re.findall(r'href="([^"#]*ocpizza[^"]*)"', report)))
    tags = re.findall(r'class="md-tag[^"]*"[^>]*>([^<]+)<', page)
    out["tags"] = sorted({t.strip() for t in tags if t.strip()})
    tags_page = _article((site / "etiquettes/index.html").read_text(encoding="utf-8"))
    out["tags_index"] = all(t in tags_page for t in ("OC Pizza", "équipe exploitation"))
    out["assets"] = {url: page_assets(site, url) for url in PAGES}
    return out


def page_assets(site: Path, url: str) -> list[str]:
    """The runbookdocs files a page loads (site-root paths), each checked to exist."""
    text = (site / url / "index.html").read_text(encoding="utf-8")
    found = []
    for tag in re.findall(r"<(?:script|link)\b[^>]*>", text):
        ref = _attr(tag, "src") or (_attr(tag, "href") if "stylesheet" in tag else None)
        if ref is None or "runbookdocs" not in ref:
            continue
        path = posixpath.normpath(posixpath.join(url, ref.split("?")[0]))
        assert (site / path).is_file(), f"{url}: {ref} -> {path} is missing"
        found.append(path)
    return sorted(found)


def external(site: Path) -> list[str]:
    """Scripts and styles of any page that come from another host."""
    out = []
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:script|link)\b[^>]*>", text):
            ref = _attr(tag, "src") or (_attr(tag, "href") if "stylesheet" in tag else None)
            if ref and re.match(r"(https?:)?//", ref):
                out.append(f"{page.relative_to(site)}: {ref}")
    return out


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fixture built by each builder from the same project and report."""
    zensical()
    sites = []
    for builder in ("mkdocs", "zensical"):
        project = make_site(tmp_path_factory.mktemp(builder))
        write_report(project, STANDARD_OUTCOMES)
        site = build_site(project) if builder == "mkdocs" else build_with_zensical(project)
        assert external(site) == [], builder
        sites.append(inventory(site))
    return sites[0], sites[1]


def test_badges_banner_and_form_are_the_same(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    mkdocs, zensical = both
    assert mkdocs["blocks"] == zensical["blocks"]
    assert mkdocs["blocks"]["restaurer"][:3] == ("rb-block--failing", "failing", "en échec")
    assert mkdocs["blocks"]["sauvegarder"][1] == "verified"
    assert mkdocs["blocks"]["nettoyer"][1] == "not-run"
    assert "preparer" not in mkdocs["blocks"]  # hidden
    assert mkdocs["banner"] == zensical["banner"]
    assert "Commandes en échec" in mkdocs["banner"]
    assert mkdocs["form"] == zensical["form"] == [("base", "oc_pizza"), ("tag", "2.5.11")]


def test_trees_are_the_same(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    mkdocs, zensical = both
    assert mkdocs["tree"] == zensical["tree"]
    assert mkdocs["tree"]["texts"]["back"] == "← Étape précédente"
    assert mkdocs["tree"]["nodes"]["service"]["check"]["state"] == "verified"
    assert mkdocs["tree_static"] == zensical["tree_static"]
    assert mkdocs["overview"] == zensical["overview"]
    assert mkdocs["overview"].startswith("flowchart TD")


def test_report_page_and_tags_are_the_same(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    mkdocs, zensical = both
    assert mkdocs["report_rows"] == zensical["report_rows"]
    # The last: the runbooks table, after the "À traiter" table of pages to act on.
    row = [r for r in mkdocs["report_rows"] if r and r[0] == "Sauvegarde de la base"][-1]
    assert row[1:6] == ["OC Pizza", "en échec", "3", "1", "2"]
    assert mkdocs["report_links"] == zensical["report_links"]
    assert mkdocs["report_links"] == ["../ocpizza/sauvegarde/", "../ocpizza/sauvegarde/#restaurer"]
    assert mkdocs["tags"] == zensical["tags"] == ["OC Pizza", "mysql", "équipe exploitation"]
    assert mkdocs["tags_index"] and zensical["tags_index"]


def test_pages_load_the_same_assets(both: tuple[dict[str, Any], dict[str, Any]]) -> None:
    mkdocs, zensical = both
    assert mkdocs["assets"] == zensical["assets"]
    shared = "assets/runbookdocs/vendor/mermaid/mermaid.min.js"  # the site's extra_javascript
    page = {
        "assets/runbookdocs/runbookdocs.css",
        "assets/runbookdocs/runbookdocs.js",
        shared,
    }
    assert set(mkdocs["assets"]["ocpizza/sauvegarde/"]) == page
    assert set(mkdocs["assets"]["rapport/"]) == page  # badges in the table
    # A page with no runbook loads our styles (the theme's greys and footer made WCAG AA on
    # every page), never our script.
    assert set(mkdocs["assets"][""]) == {"assets/runbookdocs/runbookdocs.css", shared}


# --------------------------------------------------------------------------- prepare


def test_prepare_writes_assets_and_pages_and_ignores_them_in_git(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    write_report(project, STANDARD_OUTCOMES)
    proc = cli(project, "site", "prepare")
    assert proc.returncode == 0, proc.stderr
    assets = project / "docs" / "assets" / "runbookdocs"
    assert (assets / "runbookdocs.js").read_bytes() == (
        ROOT / "src/runbookdocs/site/assets/runbookdocs.js"
    ).read_bytes()
    assert (assets / ".gitignore").read_text().splitlines()[-1] == "*"
    record = json.loads((assets / ".prepared.json").read_text())
    assert record["settings"]["language"] == "fr" and record["report"].startswith("sha256:")
    assert "Rapport de vérification" in (project / "docs" / "rapport.md").read_text()
    assert "fr" in proc.stderr and "rapport.md" in proc.stderr
    # Again: nothing changes, nothing is written.
    again = cli(project, "site", "prepare")
    assert again.returncode == 0 and "0 file(s) written" in again.stderr
    # A stale file of an older version in our directory goes; a generated page no longer
    # configured goes too.
    (assets / "old.js").write_text("old")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("systems:", "report_page: ''\n      systems:"))
    third = cli(project, "site", "prepare")
    assert third.returncode == 0, third.stderr
    assert not (assets / "old.js").exists() and not (project / "docs" / "rapport.md").exists()


def test_prepare_never_replaces_a_page_someone_wrote(tmp_path: Path) -> None:
    project = make_site(tmp_path, {"docs/rapport.md": "# Notre rapport\n"})
    proc = cli(project, "site", "prepare")
    assert proc.returncode == 2
    assert "docs/rapport.md exists and runbookdocs did not write it" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert (project / "docs/rapport.md").read_text() == "# Notre rapport\n"
    forced = cli(project, "site", "prepare", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "Rapport de vérification" in (project / "docs/rapport.md").read_text()


def test_prepare_refuses_a_site_that_would_hide_the_checks(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text()
    text = text.replace("  - runbookdocs.site.extension\n", "")
    text = re.sub(r"  - pymdownx\.snippets:\n(      .*\n)+", "", text)
    text = text.replace(
        "        - name: mermaid",
        "        - name: decision-tree\n          class: tree\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
        "        - name: mermaid",
    )
    config.write_text(text)
    proc = cli(project, "site", "prepare")
    assert proc.returncode == 2, proc.stderr
    assert "markdown_extensions does not list runbookdocs" in proc.stderr
    assert "custom fence 'decision-tree' uses pymdownx.superfences.fence_code_format" in proc.stderr
    assert "does not list pymdownx.snippets" in proc.stderr  # the page includes ping.sh
    assert "Traceback" not in proc.stderr


def test_prepare_usage_errors_are_clear(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = cli(empty, "site", "prepare")
    assert proc.returncode == 2 and "no mkdocs.yml or mkdocs.yaml or zensical.toml" in proc.stderr
    project = make_site(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("systems:", "sistems: {}\n      systems:"))
    proc = cli(project, "site", "prepare")
    assert proc.returncode == 2
    assert "plugins.runbookdocs: unknown setting 'sistems'" in proc.stderr
    config.write_text(config.read_text().replace("sistems: {}", "tags: maybe"))
    proc = cli(project, "site", "prepare", "-f", "mkdocs.yml")
    assert proc.returncode == 2 and "plugins.runbookdocs.tags: expected bool" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert cli(project, "site").returncode == 2


def test_zensical_refuses_a_docs_tree_not_prepared(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    proc = zensical_build(project)
    assert proc.returncode != 0
    assert "docs was not prepared for this site: run 'runbookdocs site prepare'" in (
        proc.stdout + proc.stderr
    )


def test_zensical_refuses_a_report_newer_than_the_prepared_site(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    write_report(project, STANDARD_OUTCOMES)
    assert cli(project, "site", "prepare").returncode == 0
    write_report(project, {"sauvegarder": ("passed", 0.2, "")})
    proc = zensical_build(project)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "changed since 'runbookdocs site prepare' wrote the report page" in output


def test_broken_page_fails_the_zensical_build_with_every_location(tmp_path: Path) -> None:
    from tests.test_site_build import BROKEN

    project = make_site(tmp_path, {"docs/casse.md": BROKEN})
    assert cli(project, "site", "prepare").returncode == 0
    proc = zensical_build(project)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "docs/casse.md:5:14: error: unknown attribute 'tagret'" in output
    assert "docs/casse.md:16:" in output and "[RBD601]" in output


# --------------------------------------------------------------------------- the guide's set-ups


@pytest.mark.parametrize("config", ["mkdocs-zensical.yml", "zensical.toml"])
def test_guide_zensical_setups_build(tmp_path: Path, config: str) -> None:
    """The shared `mkdocs.yml` and the `zensical.toml` of the 'Publish your site' guide."""
    project = tmp_path / "project"
    shutil.copytree(SAMPLES / "minimal", project)
    site = build_with_zensical(project, config)
    page = (site / "web/nginx/index.html").read_text(encoding="utf-8")
    assert 'data-rb-state="unverified"' in page and "not verified" in page
    assert "data-rb-data=" in page and "Step {n} · {kind}" in htmllib.unescape(page)
    assert page_assets(site, "web/nginx/") == [
        "assets/runbookdocs/runbookdocs.css",
        "assets/runbookdocs/runbookdocs.js",
    ]
    assert "Verification report" in (site / "report/index.html").read_text(encoding="utf-8")
    tags = re.findall(r'class="md-tag[^"]*"[^>]*>([^<]+)<', page)
    assert {"Web", "web team"} <= {t.strip() for t in tags}
    assert external(site) == []


def test_knowledge_base_builds_with_zensical(tmp_path: Path) -> None:
    """The knowledge base itself, prepared and built by Zensical (part of the test suite)."""
    project = tmp_path / "kb"
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\0")
    for name in filter(None, listed):
        # The guide includes the sample configurations it shows; other tests are not the site.
        if name.startswith("tests/") and not name.startswith("tests/samples/site/"):
            continue
        if not (ROOT / name).is_file():
            continue
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, project / name)
    site = build_with_zensical(project)
    page = (site / "ocpizza" / "sauvegarde-restauration" / "index.html").read_text("utf-8")
    assert "data-rb-state=" in page and '<aside class="rb-page' in page
    assert "data-rb-data=" in (site / "vtom" / "index.html").read_text(encoding="utf-8")
    assert "Rapport de vérification" in (site / "rapport" / "index.html").read_text("utf-8")
    assert external(site) == []


def test_generated_pages_follow_the_language(tmp_path: Path) -> None:
    """`prepare` writes the report and tags pages in the site's language."""
    project = make_site(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("language: fr", "language: en"))
    proc = cli(project, "site", "prepare")
    assert proc.returncode == 0, proc.stderr
    assert not (project / "docs/rapport.md").exists()
    report = (project / "docs/report.md").read_text()
    assert "# Verification report" in report and "No run report" in report
    assert "# Tags" in (project / "docs/tags.md").read_text()
    build_with_zensical(project)
    html = (project / "site/ocpizza/sauvegarde/index.html").read_text(encoding="utf-8")
    assert "target: <code>mysql</code>" in html and "Commands not verified" in html


def _dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")
