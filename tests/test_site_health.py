"""The site for readers under pressure (#17): health view and history, wording, search tuning,
navigation and unique ids, built with MkDocs (in-process) and Zensical (after `site prepare`).

Browser checks of the same: `tests/test_site_health_browser.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from runbookdocs.history import History, read_history, record, run_of
from runbookdocs.results import Report, Result
from tests.helpers import cli
from tests.test_site_build import (
    STANDARD_OUTCOMES,
    build_site,
    make_site,
    page_html,
    text_of,
    write_report,
)

ROOT = Path(__file__).resolve().parent.parent
HOME = "# Accueil\n\n<!-- runbookdocs: health -->\n\nVoir [la sauvegarde](ocpizza/sauvegarde.md).\n"
PASSING = {k: ("passed", 0.1, "") for k in STANDARD_OUTCOMES}


def _report(path: str, outcome: str, at: str, message: str = "") -> Report:
    return Report(
        [
            Result(path, 3, "shell", "run", outcome, message=message, started_at=at),  # type: ignore[arg-type]
            Result(path, 9, "shell", "validate", "passed"),
        ]
    )


# --------------------------------------------------------------------------- the history file


def test_history_is_capped_sorted_deduplicated_and_redacted_as_the_report(tmp_path: Path) -> None:
    file = tmp_path / "h.json"
    for day in (5, 1, 3, 2, 4):  # written out of order: kept in time order
        assert record(file, _report("docs/a.md", "passed", f"2026-11-0{day}T09:00:00+00:00"), 3)
    same = _report("docs/a.md", "passed", "2026-11-05T09:00:00+00:00")
    assert not record(file, same, 3)  # the same run written again is kept once
    history = read_history(file)
    assert [r.at[:10] for r in history.runs] == ["2026-11-03", "2026-11-04", "2026-11-05"]
    failed = _report("docs/a.md", "failed", "2026-11-06T09:00:00+00:00", "exited 1: ***\n" * 80)
    assert record(file, failed, 3)
    newest = read_history(file).for_page("docs/a.md")[0][1]
    assert newest.state == "failing" and newest.failed == 1 and "***" in newest.message
    assert len(newest.message) <= 300 and "\n" not in newest.message
    # Deterministic: the same runs give the same bytes; no temporary or validate result left.
    again = tmp_path / "again.json"
    for day in (4, 5):
        record(again, _report("docs/a.md", "passed", f"2026-11-0{day}T09:00:00+00:00"), 3)
    record(again, failed, 3)
    assert again.read_bytes() == file.read_bytes()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [".again.json.lock", ".h.json.lock", "again.json", "h.json"]
    assert run_of(Report([Result("a.md", 1, "shell", "validate", "passed")])) is None


def test_history_ignores_what_it_cannot_read(tmp_path: Path) -> None:
    file = tmp_path / "h.json"
    file.write_text("{not json", encoding="utf-8")
    assert read_history(file).runs == []
    data = {"runs": [{"at": 3}, {"at": "2026-01-01T00:00:00Z", "pages": {"a.md": {"passed": -1}}}]}
    history = History.from_json(data)
    assert len(history.runs) == 1 and history.runs[0].pages["a.md"].passed == 0
    assert record(file, _report("a.md", "passed", "2026-02-01T00:00:00+00:00"), 10)


_APPEND = """
import sys
from runbookdocs.history import record
from runbookdocs.results import Report, Result
day = int(sys.argv[2])
for hour in range(5):
    at = f"2026-11-{day:02d}T{hour:02d}:00:00+00:00"
    record(__import__("pathlib").Path(sys.argv[1]), Report([Result("a.md", 1, "shell", "run",
           "passed", started_at=at)]), 100)
"""


def test_concurrent_runs_all_land_in_the_history(tmp_path: Path) -> None:
    file = tmp_path / "h.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [
        subprocess.Popen([sys.executable, "-c", _APPEND, str(file), str(day)], env=env)
        for day in range(1, 5)
    ]
    assert all(p.wait(60) == 0 for p in procs)
    assert len(read_history(file).runs) == 20


def test_report_merge_records_one_run_and_config_turns_history_off(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.runbookdocs]\nhistory_size = 2\n")
    for i, day in enumerate((1, 2, 3)):
        _report(f"docs/p{i}.md", "passed", f"2026-11-0{day}T09:00:00+00:00").write_json(
            tmp_path / f"s{i}.json"
        )
    for inputs in (["s0.json", "s1.json"], ["s2.json"], ["s1.json", "s2.json"]):
        proc = cli("report", "merge", *inputs, "-o", "merged.json", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    runs = read_history(tmp_path / "runbookdocs-history.json").runs
    assert len(runs) == 2  # capped at history_size
    # in time order: the last merge started on the 2nd (p1), the one before on the 3rd
    assert [sorted(r.pages) for r in runs] == [["docs/p1.md", "docs/p2.md"], ["docs/p2.md"]]
    (tmp_path / "pyproject.toml").write_text('[tool.runbookdocs]\nhistory = ""\n')
    (tmp_path / "runbookdocs-history.json").unlink()
    assert cli("report", "merge", "s0.json", "-o", "m.json", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "runbookdocs-history.json").exists()
    (tmp_path / "pyproject.toml").write_text("[tool.runbookdocs]\nhistory_size = 0\n")
    bad = cli("check", cwd=tmp_path)
    assert bad.returncode == 2 and "history_size" in bad.stderr


@pytest.mark.docker
def test_run_with_a_report_records_the_run_and_a_shard_does_not(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.runbookdocs]\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "p.md").write_text("# P\n\n```bash {#a}\necho ok\n```\n")
    for _ in range(2):
        proc = cli("run", "--no-cache", "--report", "r.json", cwd=tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    shard = cli("run", "--no-cache", "--shard", "1/1", "--report", "s.json", cwd=tmp_path)
    assert shard.returncode == 0, shard.stdout + shard.stderr
    runs = read_history(tmp_path / "runbookdocs-history.json").runs
    assert len(runs) == 2 and all(r.pages["docs/p.md"].passed == 1 for r in runs)


# --------------------------------------------------------------------------- health view


def history_site(tmp_path: Path, home: str = HOME) -> Path:
    """The fixture site with three recorded runs (the last one failing) and a health marker."""
    project = make_site(tmp_path, {"docs/index.md": home})
    for day in (1, 2, 3):
        outcomes = STANDARD_OUTCOMES if day == 3 else PASSING
        started = dt.datetime(2026, 11, day, 9, tzinfo=dt.UTC)
        report = write_report(project, outcomes, started=started)
        record(project / "runbookdocs-history.json", Report.read(report), 10)
    return project


def test_page_shows_its_last_verifications(tmp_path: Path) -> None:
    article = page_html(build_site(history_site(tmp_path)))
    runs = re.findall(
        r'<li class="rb-history__run[^"]*" data-rb-state="(\w[\w-]*)"[^>]*>([^<]*)', article
    )
    assert runs == [
        ("failing", "3 novembre 2026 : 1 en échec"),
        ("verified", "2 novembre 2026 : vérifié"),
        ("verified", "1er novembre 2026 : vérifié"),
    ]
    assert 'title="shell block #restaurer exited 1 (expected 0)"' in article
    assert "vérifié le 3 novembre 2026" in text_of(article)  # per block, as before


def test_report_and_home_list_failing_and_stale_pages_first(tmp_path: Path) -> None:
    project = history_site(tmp_path)
    (project / "docs" / "ocpizza" / "fresh.md").write_text(
        "---\nrunbook:\n  owner: équipe base\n  reviewed: 2099-01-01\n---\n# Fraîche\n\n"
        "```bash {#ok}\ntrue\n```\n",
        encoding="utf-8",
    )
    site = build_site(project)
    report = text_of(page_html(site, "rapport/"))
    attention = report[report.index("À traiter") : report.index("Runbooks¶")]
    assert "Sauvegarde de la base" in attention and "équipe exploitation" in attention
    assert "15 janvier 2020 (en retard)" in attention
    assert "shell block #restaurer exited 1 (expected 0)" in attention
    assert "Fraîche" not in attention  # not run, nothing failing, reviewed: nothing to do
    table = report[report.index("Runbooks¶") :]
    assert table.index("Sauvegarde de la base") < table.index("Fraîche")  # failing first
    assert "✗ 3 novembre 2026 : 1 en échec" in table
    home = page_html(site, "")
    text = text_of(home)
    assert "1 en échec, 1 périmé(s), 1 en retard de relecture, sur 2 runbooks" in text
    assert 'href="rapport/"' in home and 'href="ocpizza/sauvegarde/#restaurer"' in home
    assert "shell block #restaurer exited 1" in text
    assert "<!-- runbookdocs: health -->" not in home


def test_secrets_redacted_in_reports_stay_redacted(tmp_path: Path) -> None:
    project = make_site(tmp_path, {"docs/index.md": HOME})
    outcomes = dict(PASSING, restaurer=("failed", 0.1, "mysql: access denied for ***"))
    report = write_report(project, outcomes)
    record(project / "runbookdocs-history.json", Report.read(report), 10)
    os.environ["DB_PASSWORD"] = "hunter2-secret"  # a value the site must never learn
    try:
        site = build_site(project)
    finally:
        del os.environ["DB_PASSWORD"]
    for page in ("", "rapport/", "ocpizza/sauvegarde/"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert "hunter2" not in html and "access denied for ***" in html


def test_health_on_the_home_page_with_zensical(tmp_path: Path) -> None:
    from tests.test_site_zensical import build_with_zensical

    project = history_site(tmp_path)
    site = build_with_zensical(project)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "1 en échec, 1 périmé(s), 1 en retard de relecture, sur 1 runbooks" in text_of(home)
    assert "shell block #restaurer exited 1" in home
    page = (site / "ocpizza" / "sauvegarde" / "index.html").read_text(encoding="utf-8")
    assert "2 novembre 2026 : vérifié" in page


# --------------------------------------------------------------------------- wording


def banner_of(article: str) -> str:
    return text_of(re.search(r"<aside class=\"rb-page.*?</aside>", article, re.S).group(0))


def test_a_page_with_nothing_to_run_says_so(tmp_path: Path) -> None:
    page = "---\nrunbook:\n  owner: équipe\n  reviewed: 2099-01-01\n---\n# Lire\n\nDu texte.\n"
    project = make_site(tmp_path, {"docs/lire.md": page})
    site = build_site(project)  # no report at all: still nothing to verify
    banner = banner_of(page_html(site, "lire/"))
    assert "Dernière vérification" in banner and "rien à exécuter sur cette page" in banner
    assert "jamais" not in banner and "non vérifiées" not in banner
    write_report(project, STANDARD_OUTCOMES)
    banner = banner_of(page_html(build_site(project), "lire/"))
    assert "rien à exécuter sur cette page" in banner and "jamais" not in banner


def test_counts_leave_hidden_set_up_blocks_out_but_their_failure_shows(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    write_report(project, STANDARD_OUTCOMES)  # `preparer` is hidden and passed
    banner = banner_of(page_html(build_site(project)))
    # sauvegarder, verifier-service (verified), restaurer (failing), sante, nettoyer (not run)
    assert "2 vérifié(s) · 1 en échec · 2 non exécuté(s)" in banner
    write_report(project, dict(PASSING, preparer=("failed", 0.1, "mkdir: permission denied")))
    banner = banner_of(page_html(build_site(project)))
    assert "Une étape de préparation que la page n’affiche pas a échoué" in banner
    assert "mkdir: permission denied" in banner
    assert "Blocs4 vérifié(s) · 1 non exécuté(s)" in banner  # the failure is not a count


def test_verified_badges_of_blocks_with_variables_carry_the_defaults_wording(
    tmp_path: Path,
) -> None:
    project = make_site(tmp_path)
    write_report(project, STANDARD_OUTCOMES)
    article = page_html(build_site(project))
    head = article[article.index('id="sauvegarder"') :].split("</div>")[0]
    assert 'data-rb-defaults="vérifié avec les valeurs par défaut"' in head  # uses {{ base }}
    other = article[article.index('id="verifier-service"') :].split("</div>")[0]
    assert "data-rb-defaults" not in other  # no variable: nothing to say


SETUP_PAGE = """\
---
runbook:
  target: debian
  owner: équipe
  reviewed: 2099-01-01
---
# Outil

```bash {#installer-outil hidden=true}
cat > /root/outil.sh <<'SH'
--8<-- "ping.sh"
SH
printf 'x' > /root/ignored.txt
```

```bash {#lancer-outil}
bash /root/outil.sh
```

```bash {#autre}
echo /root/outil.shx
```
"""


def test_a_command_that_needs_a_hidden_set_up_file_says_where_it_comes_from(
    tmp_path: Path,
) -> None:
    project = make_site(tmp_path, {"docs/outil.md": SETUP_PAGE})
    mkdocs = project / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text(encoding="utf-8")
        + "repo_url: https://git.example.org/ops/kb\nedit_uri: edit/main/docs/\n",
        encoding="utf-8",
    )
    write_report(
        project,
        {"lancer-outil": ("passed", 0.1, ""), "autre": ("passed", 0.1, "")},
        page="docs/outil.md",
    )
    article = page_html(build_site(project), "outil/")
    block = article[article.index('id="lancer-outil"') :]
    note = text_of(re.search(r'<p class="rb-block__setup".*?</p>', block, re.S).group(0))
    assert note == (
        "Nécessite /root/outil.sh, écrit par une étape de préparation que la page n’affiche pas ; "
        "son contenu : snippets/ping.sh dans le dépôt de la documentation."
    )
    assert 'href="https://git.example.org/ops/kb/blob/main/snippets/ping.sh"' in block
    other = article[article.index('id="autre"') :]
    assert "rb-block__setup" not in other  # /root/outil.shx is another file


# --------------------------------------------------------------------------- search

SEARCH_PAGES = {
    "docs/ocpizza/deploiement.md": "# Déploiement\n\nProcédure de déploiement de l'application.\n",
    "docs/api.md": "---\nsearch: {exclude: true}\n---\n# API\n\nLe déploiement par l'API.\n",
    "docs/bancs.md": "---\nsearch: {boost: 0.5}\n---\n# Bancs\n\nMesures du déploiement.\n",
}


def test_search_index_folds_accents_and_leaves_excluded_pages_out(tmp_path: Path) -> None:
    from runbookdocs.site.search import fold, folded_words

    assert fold("Déploiement") == "Deploiement" and folded_words("<b>Procédure</b> à&nbsp;x") == (
        "procedure a"
    )
    project = make_site(tmp_path, SEARCH_PAGES)
    write_report(project, STANDARD_OUTCOMES)
    site = build_site(project)
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["fields"]["folded_text"] == {"boost": 1.0}
    assert index["config"]["fields"]["folded_title"] == {"boost": 1000.0}
    entry = next(d for d in index["docs"] if d["location"] == "ocpizza/deploiement/#déploiement")
    assert entry["folded_title"] == "deploiement"
    assert entry["folded_text"] == "procedure deploiement"
    assert entry["text"].startswith("<p>Procédure de déploiement")  # shown as written
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    assert "api/" not in locations and "bancs/" in locations
    assert {d.get("boost") for d in index["docs"] if d["location"].startswith("rapport/")} == {0.2}
    assert {d.get("boost") for d in index["docs"] if d["location"].startswith("bancs/")} == {0.5}
    # Turned off: the index as the search plugin wrote it.
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "systems: {ocpizza: OC Pizza}", "systems: {ocpizza: OC Pizza}\n      search_fold: false"
        )
    )
    index = json.loads((build_site(project) / "search" / "search_index.json").read_text())
    assert "folded_text" not in index["config"]["fields"]


def test_search_fold_reaches_the_entries_or_falls_back_to_the_written_index(
    tmp_path: Path,
) -> None:
    """The plugin folds the entries Material's search plugin holds before it writes them; a
    search plugin of another shape gets its written index folded instead (the same fields)."""
    from types import SimpleNamespace

    from runbookdocs.site.search import fold_index, fold_search_plugin

    entries = [{"location": "a/", "title": "Été", "text": "<p>Procédure</p>"}]
    fields: dict[str, object] = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}
    material = SimpleNamespace(
        search_index=SimpleNamespace(entries=entries, config={"fields": fields})
    )
    assert fold_search_plugin(material)
    assert entries[0]["folded_title"] == "ete" and entries[0]["folded_text"] == "procedure"
    assert fields["folded_title"] == {"boost": 1000.0}
    assert not fold_search_plugin(SimpleNamespace(search_index=SimpleNamespace(_entries=[])))
    written = tmp_path / "search_index.json"
    written.write_text(
        json.dumps({"config": {"fields": {"text": {"boost": 2}}}, "docs": [{"text": "Déjà"}]}),
        encoding="utf-8",
    )
    assert fold_index(written) and not fold_index(written)  # folded once
    index = json.loads(written.read_text(encoding="utf-8"))
    assert index["docs"][0]["folded_text"] == "deja"
    assert index["config"]["fields"]["folded_text"] == {"boost": 2}


def test_report_runbooks_table_links_and_titles() -> None:
    """The runbooks table is HTML: titles as the navigation shows them, links to the pages'
    published URLs (MkDocs leaves raw HTML as written), `.md` paths for Zensical (it rewrites
    them itself)."""
    from runbookdocs.site.report import Coverage
    from runbookdocs.site.reportpage import PageRow, _href, plain_title, runbooks_table

    assert (
        plain_title("Restaurer `pg` **vite** [ici](x.md) en_cours")
        == "Restaurer pg vite ici en_cours"
    )
    assert _href("a/b.md", "rapport.md", True) == "../a/b/"
    assert _href("index.md", "rapport.md", True) == "../"
    assert _href("a/b.md", "sub/rapport.md", False) == "../a/b.html"
    row = PageRow("ops/x.md", "Sauver `db` <vite>", "Ops & co", Coverage(verified=2), (), "—")
    mkdocs = runbooks_table([row], "fr", "rapport.md", True)
    assert '<a href="../ops/x/">Sauver db &lt;vite&gt;</a>' in mkdocs
    assert "<td>Ops &amp; co</td>" in mkdocs and "data-search-exclude" in mkdocs
    assert '<a href="ops/x.md">' in runbooks_table([row], "fr", "rapport.md", True, "zensical")
    assert "aucun runbook" in runbooks_table([], "fr", "rapport.md", True)


def test_zensical_search_leaves_excluded_pages_out(tmp_path: Path) -> None:
    from tests.test_site_zensical import build_with_zensical

    project = make_site(tmp_path, SEARCH_PAGES)
    write_report(project, STANDARD_OUTCOMES)
    index = json.loads((build_with_zensical(project) / "search.json").read_text(encoding="utf-8"))
    locations = {d["location"].split("#")[0] for d in index["items"]}
    assert "ocpizza/deploiement/" in locations and "bancs/" in locations
    assert "api/" not in locations


# --------------------------------------------------------------------------- navigation, ids


@pytest.fixture(scope="module")
def knowledge_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The knowledge base (this repository's docs/) built by MkDocs, with a repository URL."""
    site = tmp_path_factory.mktemp("kb") / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "NO_MKDOCS_2_WARNING": "1",
            "REPO_URL": "https://git.example.org/ops/kb",
            "EDIT_URI": "edit/main/docs/",
            "PYTHONPATH": str(ROOT / "src"),
        },
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return site


def duplicate_ids(site: Path) -> dict[str, list[str]]:
    """Page -> ids given to more than one element of it."""
    from collections import Counter

    out = {}
    for page in sorted(site.rglob("*.html")):
        ids = Counter(re.findall(r'\sid="([^"]*)"', page.read_text(encoding="utf-8")))
        twice = sorted(i for i, n in ids.items() if n > 1)
        if twice:
            out[str(page.relative_to(site))] = twice
    return out


def test_no_built_page_has_a_duplicate_id(knowledge_base: Path) -> None:
    assert duplicate_ids(knowledge_base) == {}
    page = (knowledge_base / "ocpizza" / "sauvegarde-restauration" / "index.html").read_text()
    # The block keeps its id (reports, trees and links use it); the heading gets another.
    assert '<div class="rb-block' in page.split('id="sauvegarder"')[0][-200:]
    assert '<h2 id="sauvegarder_1"' in page


def test_navigation_by_audience_edit_link_and_last_change(knowledge_base: Path) -> None:
    home = (knowledge_base / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    nav = nav[: nav.index("md-sidebar--secondary")]
    items = re.findall(
        r'<li class="md-nav__item[^"]*">\s*(?:<input[^>]*>\s*)?(?:<div[^>]*>\s*)?<(?:a|label)[^>]*>'
        r'\s*<span class="md-ellipsis">\s*([^<]+?)\s*<',
        nav,
    )
    wanted = [
        "VTOM",
        "Publik",
        "OC Pizza",
        "Altazion",
        "Canopsis",
        "Parcours d'intégration",
        "Guides",
        "Référence",
        "Python API",
        "Rapport de vérification",
    ]
    assert [i for i in items if i in wanted] == wanted, items
    assert 'href="https://git.example.org/ops/kb/edit/main/docs/index.md"' in home
    updated = re.search(
        r'<p class="rb-updated"[^>]*><time datetime="([\d-]+)">([^<]+)</time>', home
    )
    assert updated is not None and updated.group(2).startswith("Page modifiée le ")
    from runbookdocs.site.dates import last_change

    assert updated.group(1) == last_change(ROOT / "docs" / "index.md").date().isoformat()
    # The home page leads to the new-hire path and the report, and shows the health view.
    assert 'href="guide/parcours-integration/"' in home and 'href="rapport/"' in home


def test_knowledge_base_tags_have_one_spelling_each() -> None:
    from runbookdocs.config import load_config
    from runbookdocs.document import read_document
    from runbookdocs.site.state import page_tags, tag_key

    config = load_config(ROOT / "pyproject.toml")
    spellings: dict[str, set[str]] = {}
    for file in sorted((ROOT / "docs").rglob("*.md")):
        meta = read_document(file, config).front.meta
        tags = page_tags(meta) or meta.get("tags") or []
        for tag in tags:
            spellings.setdefault(tag_key(str(tag)), set()).add(str(tag))
    assert {k: v for k, v in spellings.items() if len(v) > 1} == {}


def test_api_reference_is_out_of_the_search(knowledge_base: Path) -> None:
    index = json.loads((knowledge_base / "search" / "search_index.json").read_text())
    assert not any(d["location"].startswith("reference/api/") for d in index["docs"])
    boosts = {d["location"].split("/")[0]: d.get("boost") for d in index["docs"]}
    assert boosts["garanties"] == 0.5 and boosts["benchmarks"] == 0.5 and boosts["rapport"] == 0.2


def test_headings_and_blocks_never_share_an_id_with_zensical(tmp_path: Path) -> None:
    from tests.test_site_zensical import build_with_zensical

    page = "# Page\n\n## Sauvegarder\n\n```bash {#sauvegarder}\necho ok\n```\n"
    project = make_site(tmp_path, {"docs/ocpizza/double.md": page})
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace(
            "systems: {ocpizza: OC Pizza}", "systems: {ocpizza: OC Pizza}\n      last_updated: true"
        )
    )
    site = build_with_zensical(project)
    assert duplicate_ids(site) == {}
    html = (site / "ocpizza" / "double" / "index.html").read_text(encoding="utf-8")
    assert 'id="sauvegarder_1"' in html and "Page modifiée le " in html


def test_a_marker_shown_as_an_example_stays_an_example(knowledge_base: Path) -> None:
    guide = (knowledge_base / "guide" / "publish-your-site" / "index.html").read_text()
    assert "&lt;!-- runbookdocs: health --&gt;" in guide
    assert "en retard de relecture, sur" not in guide


def test_a_tag_spelled_two_ways_is_reported_by_both_builds(tmp_path: Path) -> None:
    page = "---\ntags: [MySQL]\n---\n# Autre\n\nTexte.\n"
    project = make_site(tmp_path, {"docs/ocpizza/autre.md": page})
    with pytest.raises(Exception, match="Aborted with 1 warnings in strict mode"):
        build_site(project)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")},
    )
    assert proc.returncode == 1
    assert (
        "runbookdocs: tag spelled several ways (the tags index lists each; pick one): "
        "'MySQL' (ocpizza/autre.md), 'mysql' (ocpizza/sauvegarde.md)"
    ) in proc.stderr
    prepared = cli("site", "prepare", cwd=project)
    assert prepared.returncode == 0 and "'MySQL' (ocpizza/autre.md)" in prepared.stderr
