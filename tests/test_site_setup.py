"""Setting a site up, its languages, and how fresh its verification is said to be.

- the minimal `mkdocs.yml` of the 'Publish your site' guide (`tests/samples/site/minimal`) is
  built exactly as written, under `--strict`: the plugin lists the extension, superfences and
  snippets itself, keeps the site's own fences, and warns (fails under `--strict`) when a fence
  runbookdocs needs is taken or snippets are looked up elsewhere;
- every string a reader sees follows `theme.language` (French, else English);
- a verification is stale when the page's steps changed after it: judged on the run digest the
  report keeps when it has one, on git history otherwise (a fresh clone is not stale), on file
  times outside git.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import importlib
import json
import os
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_site_build import (
    PAGE,
    ROOT,
    STANDARD_OUTCOMES,
    build_site,
    element,
    make_site,
    page_html,
    text_of,
    write_report,
)

SAMPLES = ROOT / "tests" / "samples" / "site"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}


def minimal(tmp_path: Path, config: str | None = None) -> Path:
    """A copy of the guide's minimal project; `config` replaces its `mkdocs.yml`."""
    project = tmp_path / "minimal"
    shutil.copytree(SAMPLES / "minimal", project)
    if config is not None:
        (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    return project


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
    )


def report_for(project: Path, page: str, outcomes: dict[str, str], **extra: object) -> None:
    """A run report (format v2) for blocks of `page`: block id -> outcome."""
    from runbookdocs.config import load_config
    from runbookdocs.document import read_document

    doc = read_document(project / page, load_config(start=project))
    lines = {b.id: b.line for b in doc.blocks if b.id}
    started = extra.pop("started", dt.datetime.now(dt.UTC))
    assert isinstance(started, dt.datetime)
    results = [
        {
            "path": page,
            "line": lines[bid],
            "id": bid,
            "kind": "shell",
            "stage": "run",
            "outcome": outcome,
            "message": "",
            "duration_s": 0.25,
            "started_at": started.isoformat(),
            **extra,
        }
        for bid, outcome in outcomes.items()
    ]
    (project / "runbookdocs-report.json").write_text(
        json.dumps({"version": 2, "results": results}), encoding="utf-8"
    )


# --------------------------------------------------------------------------- the minimal site


def test_the_guides_minimal_mkdocs_yml_is_enough(tmp_path: Path) -> None:
    project = minimal(tmp_path)
    assert (project / "mkdocs.yml").read_text().count("\n") == 6  # exactly what the guide shows
    report_for(project, "docs/web/nginx.md", {"install": "passed", "check-config": "failed"})
    proc = mkdocs(project, "--strict")
    assert proc.returncode == 0, proc.stderr
    assert "WARNING" not in proc.stderr
    html = page_html(project / "site", "web/nginx/")
    assert 'data-rb-state="verified"' in element(html, "install")
    assert "verified on" in text_of(element(html, "install"))
    assert 'data-rb-state="failing"' in element(html, "check-config")
    assert "Check the configuration" in element(html, "check-config")
    assert 'data-rb-var="site"' in element(html, "check-config")
    assert "data-rb-data=" in html and 'id="down--start"' in html
    assert "Owner" in text_of(html) and "Failing commands" in text_of(html)
    assert "../../assets/runbookdocs/runbookdocs.js?v=" in html
    assert (project / "site/assets/runbookdocs/runbookdocs.js").is_file()
    report = page_html(project / "site", "report/")
    assert "Verification report" in report and "Restart nginx" in report
    # No tags plugin: no tags index; no mermaid fence: no site-wide Mermaid.
    assert not (project / "site/tags").exists()
    assert "mermaid.min.js" not in (project / "site/web/nginx/index.html").read_text()


def test_the_plugin_keeps_the_sites_own_fences_and_lists_snippets(tmp_path: Path) -> None:
    project = minimal(
        tmp_path,
        "site_name: Our runbooks\ntheme:\n  name: material\nplugins:\n  - search\n"
        "  - runbookdocs\nmarkdown_extensions:\n  - pymdownx.superfences:\n"
        "      custom_fences:\n        - name: mermaid\n          class: mermaid\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n",
    )
    (project / "snippets").mkdir()
    (project / "snippets" / "reload.sh").write_text("systemctl reload nginx\n")
    page = project / "docs" / "web" / "nginx.md"
    page.write_text(
        page.read_text()
        + '\n```bash {#reload}\n--8<-- "reload.sh"\n```\n\n```mermaid\ngraph TD\n  a --> b\n```\n'
    )
    proc = mkdocs(project, "--strict")
    assert proc.returncode == 0, proc.stderr
    html = page_html(project / "site", "web/nginx/")
    assert '<pre class="mermaid"><code>graph TD' in html  # the site's own fence
    assert "systemctl reload nginx" in text_of(element(html, "reload"))  # snippets listed
    assert 'data-rb-state="unverified"' in element(html, "reload")  # runbookdocs' fence
    # The site has a mermaid fence: the vendored Mermaid is loaded, never a CDN.
    scripts = re.findall(r'<script src="([^"]+)"', (project / "site/index.html").read_text())
    assert "assets/runbookdocs/vendor/mermaid/mermaid.min.js" in scripts
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]


def test_a_fence_taken_by_another_formatter_fails_under_strict(tmp_path: Path) -> None:
    config = (
        "site_name: Our runbooks\ntheme:\n  name: material\nplugins:\n  - search\n"
        "  - runbookdocs\nmarkdown_extensions:\n  - pymdownx.superfences:\n"
        "      custom_fences:\n        - name: '*'\n          class: highlight\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
        "  - pymdownx.snippets:\n      base_path: [docs]\n"
    )
    project = minimal(tmp_path, config)
    (project / "snippets").mkdir()
    (project / "snippets" / "x.sh").write_text("true\n")
    page = project / "docs" / "web" / "nginx.md"
    page.write_text(page.read_text() + '\n```bash\n--8<-- "snippets/x.sh"\n```\n')
    proc = mkdocs(project, "--strict")
    assert proc.returncode == 1
    assert (
        "runbookdocs: pymdownx.superfences custom fence '*' uses "
        "pymdownx.superfences.fence_code_format: runbookdocs needs "
        "runbookdocs.site.fences.formatter there" in proc.stderr
    )
    assert "pymdownx.snippets base_path ['docs'] does not name snippets" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert mkdocs(project).returncode == 0  # without --strict: warnings, and a site


# --------------------------------------------------------------------------- languages

STRINGS = {
    "fr": [
        "cible : mysql",
        "vérifié le",
        "0,12 s",
        "en échec",
        "Responsable",
        "Relecture en retard",
        "15 janvier 2020",
        "Dernière vérification",
        "Commandes en échec",
        "Variables de la page",
        "Valeurs par défaut",
        "secret, jamais rempli par le site",
        "Arbre de décision",
        "Arbre complet (version texte)",
        "Commande à lancer :",
    ],
    "en": [
        "target: mysql",
        "verified on",
        "0.12 s",
        "failing",
        "Owner",
        "Review overdue",
        "15 January 2020",
        "Last verification",
        "Failing commands",
        "Page variables",
        "Default values",
        "a secret, never filled in by the site",
        "Decision tree",
        "Whole tree (text version)",
        "Command to run:",
    ],
}
WALKER = {
    "fr": ("← Étape précédente", "Étape {n} · {kind}"),
    "en": ("← Previous step", "Step {n} · {kind}"),
}
REPORT = {
    "fr": (
        "rapport/",
        "Rapport de vérification",
        "Dernière vérification",
        "etiquettes/",
        "Étiquettes",
    ),
    "en": ("report/", "Verification report", "Last verification", "tags/", "Tags"),
}


@pytest.mark.parametrize("theme", ["fr", "en", "de"])
def test_everything_a_reader_sees_follows_the_theme_language(tmp_path: Path, theme: str) -> None:
    project = make_site(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("language: fr", f"language: {theme}"))
    write_report(project, STANDARD_OUTCOMES)
    lang = "fr" if theme == "fr" else "en"
    other = "en" if lang == "fr" else "fr"
    site = build_site(project)
    html = page_html(site)
    visible = " ".join(text_of(html).split())
    for text in STRINGS[lang]:
        assert text in visible, text
    for text in STRINGS[other]:
        if text not in STRINGS[lang] and text not in ("failing", "Owner"):
            assert text not in visible, text
    found = re.search(r'data-rb-data="([^"]*)"', html)
    assert found is not None
    texts = json.loads(htmllib.unescape(found.group(1)))["texts"]
    assert (texts["back"], texts["step"]) == WALKER[lang]
    report_url, title, column, tags_url, tags_title = REPORT[lang]
    report = text_of(page_html(site, report_url))
    assert title in report and column in report and "Sauvegarde de la base" in report
    assert tags_title in text_of(page_html(site, tags_url))


def test_the_project_language_setting_wins_over_the_theme(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'language = "en"\n')
    html = page_html(build_site(project))
    assert "target: <code>mysql</code>" in html and "Commands not verified" in text_of(html)


def test_every_site_catalog_has_both_languages_with_the_same_fields() -> None:
    from runbookdocs import i18n

    for module in ("dates", "report", "trees", "fences", "extension", "reportpage"):
        importlib.import_module(f"runbookdocs.site.{module}")
    site = [c for c in i18n.CATALOGS if c.name.startswith("site.")]
    assert {c.name for c in site} >= {
        "site.dates",
        "site.report",
        "site.trees",
        "site.fences",
        "site.banner",
        "site.reportpage",
    }

    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    for catalog in site:
        for key, entry in catalog.messages.items():
            assert set(entry) == set(i18n.LANGUAGES), f"{catalog.name}: {key}"
            assert fields(entry["en"]) == fields(entry["fr"]), f"{catalog.name}: {key}"


def test_the_walker_script_holds_no_text_of_its_own() -> None:
    """Its texts come with each tree's data, in the page's language."""
    from runbookdocs.site.trees import TEXTS, walker_texts

    script = (ROOT / "src/runbookdocs/site/assets/runbookdocs.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    assert not re.search(r"[^\x00-\x7f]", code)  # no French, no arrows: all from the data
    for lang in ("en", "fr"):
        for key, text in walker_texts(lang).items():
            words = text.split("{")[0].strip(" ←↺…:")
            if " " in words:
                assert words not in code, (lang, key)
    assert set(walker_texts("en")) <= set(TEXTS.messages)


# --------------------------------------------------------------------------- unreadable report


@pytest.mark.parametrize(
    ("content", "why"),
    [("{not json", "not a JSON file"), ('{"version": 99, "results": []}', "version 99")],
)
def test_an_unreadable_report_says_not_verified_and_why(
    tmp_path: Path, content: str, why: str
) -> None:
    project = make_site(tmp_path)
    (project / "runbookdocs-report.json").write_text(content)
    html = page_html(build_site(project))
    block = element(html, "sauvegarder")
    assert 'data-rb-state="unverified"' in block and why in htmllib.unescape(block)
    assert "Rapport illisible" in text_of(html)


# --------------------------------------------------------------------------- freshness


def git(cwd: Path, *args: str, when: dt.datetime | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout


STALE = "Vérification périmée"


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The fixture committed ten days ago, then cloned (every file time is the clone's)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    from runbookdocs.site import dates

    dates.forget()
    origin = make_site(tmp_path / "origin")
    git(origin, "init", "-q")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "pages", when=dt.datetime.now(dt.UTC) - dt.timedelta(days=10))
    work = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    return work


def test_a_fresh_clone_is_not_stale(clone: Path) -> None:
    write_report(clone, STANDARD_OUTCOMES, started=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    assert STALE not in text_of(page_html(build_site(clone)))


def test_a_commit_after_the_verification_is_stale(clone: Path) -> None:
    from runbookdocs.site import dates

    write_report(clone, STANDARD_OUTCOMES, started=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    page = clone / PAGE
    page.write_text(page.read_text().replace("rm -rf /srv/backup/old", "rm -rf /srv/backup/1"))
    git(clone, "commit", "-qam", "edit", when=dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
    dates.forget()
    banner = text_of(page_html(build_site(clone)))
    yesterday = dt.date.today() - dt.timedelta(days=1)
    from runbookdocs.site.dates import format_date

    assert STALE in banner and f"modifiée le {format_date('fr', yesterday)}" in banner


def test_an_uncommitted_change_is_stale(clone: Path) -> None:
    from runbookdocs.site import dates

    write_report(clone, STANDARD_OUTCOMES, started=dt.datetime.now(dt.UTC) - dt.timedelta(days=2))
    snippet = clone / "snippets" / "ping.sh"  # an included file counts as the page
    snippet.write_text("curl -fsS http://localhost:8081/health\n")
    dates.forget()
    assert STALE in text_of(page_html(build_site(clone)))


def _digest(project: Path) -> str:
    from runbookdocs.config import load_config
    from runbookdocs.document import read_document

    return read_document(project / PAGE, load_config(project / "pyproject.toml")).run_digest()


def test_the_reports_digest_decides_when_it_is_there(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)  # older than every file time
    report_for(project, PAGE, {"sauvegarder": "passed"}, started=old, digest=_digest(project))
    assert STALE not in text_of(page_html(build_site(project)))
    # Prose and review dates are not what was verified: still fresh.
    page = project / PAGE
    page.write_text(
        page.read_text()
        .replace("Sauvegarder la base", "Sauvegarder toute la base")
        .replace("2020-01-15", "2021-01-15")
    )
    assert STALE not in text_of(page_html(build_site(project)))
    # A command changed: stale, whatever the dates say.
    page.write_text(page.read_text().replace("--single-transaction", "--quick"))
    os.utime(page, (old.timestamp() - 3600, old.timestamp() - 3600))
    banner = text_of(page_html(build_site(project)))
    assert STALE in banner and "Les commandes de cette page ont changé" in banner


def test_the_run_digest_covers_steps_includes_and_settings(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    before = _digest(project)
    assert before.startswith("sha256:") and len(before) == 71
    page = project / PAGE
    text = page.read_text()
    page.write_text(text.replace("Restauration", "Restaurer la base"))  # prose
    assert _digest(project) == before
    page.write_text(text.replace("owner: équipe exploitation", "owner: astreinte"))
    assert _digest(project) == before
    page.write_text(text.replace('tag: "2.5.11"', 'tag: "2.5.12"'))  # a variable's default
    assert _digest(project) != before
    page.write_text(text.replace("mkdir -p /srv/backup", "mkdir -p /srv/b"))  # a hidden step
    assert _digest(project) != before
    page.write_text(text)
    (project / "snippets" / "ping.sh").write_text("curl http://localhost:9/\n")  # an include
    assert _digest(project) != before
