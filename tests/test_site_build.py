"""The published site: custom fences, badges, page banner, decision trees, report page, failures.

Each test copies the fixture project `tests/samples/site/basic` into a tmp dir and builds it with
MkDocs in-process (about a second). One test builds the real project site. The same fixture
under Zensical, compared with MkDocs: `tests/test_site_zensical.py`.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "samples" / "site" / "basic"
PAGE = "docs/ocpizza/sauvegarde.md"

pytest.importorskip("mkdocs")
pytest.importorskip("material")


# --------------------------------------------------------------------------- helpers


def make_site(tmp: Path, pages: dict[str, str] | None = None) -> Path:
    """A copy of the fixture project under `tmp`, with extra or replaced pages."""
    project = tmp / "project"
    shutil.copytree(FIXTURE, project, ignore=shutil.ignore_patterns("site", "__pycache__"))
    for name, text in (pages or {}).items():
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return project


def block_lines(project: Path, page: str = PAGE) -> dict[str, int]:
    """Block id -> line of its opening fence, as runbookdocs reads the page."""
    from runbookdocs.config import load_config
    from runbookdocs.document import read_document

    config = load_config(project / "pyproject.toml")
    doc = read_document(project / page, config)
    return {b.id: b.line for b in doc.blocks if b.id}


def write_report(
    project: Path,
    outcomes: dict[str, tuple[str, float, str]],
    *,
    started: dt.datetime | None = None,
    page: str = PAGE,
) -> Path:
    """Write `runbookdocs-report.json`: block id -> (outcome, duration_s, message)."""
    lines = block_lines(project, page)
    started = started or dt.datetime.now(dt.UTC)
    results = [
        {
            "path": page,
            "line": lines[bid],
            "id": bid,
            "kind": "shell",
            "target": "debian",
            "stage": "run",
            "outcome": outcome,
            "severity": None,
            "message": message,
            "duration_s": duration,
            "started_at": started.isoformat(),
        }
        for bid, (outcome, duration, message) in outcomes.items()
    ]
    report = project / "runbookdocs-report.json"
    report.write_text(
        json.dumps({"version": 2, "summary": {}, "results": results}), encoding="utf-8"
    )
    return report


STANDARD_OUTCOMES = {
    "preparer": ("passed", 0.01, ""),
    "sauvegarder": ("passed", 0.12, ""),
    "verifier-service": ("passed", 0.3, ""),
    "restaurer": ("failed", 1.5, "shell block #restaurer exited 1 (expected 0)"),
    "nettoyer": ("skipped", 0.0, "pas d'accès à la production"),
}


def build_site(project: Path, *, strict: bool = True) -> Path:
    """Build `project` with MkDocs in-process (from the project directory, like a user)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cwd = Path.cwd()
    os.chdir(project)
    try:
        config = load_config(
            str(project / "mkdocs.yml"), strict=strict, site_dir=str(project / "site")
        )
        build(config)
    finally:
        os.chdir(cwd)
    return project / "site"


def page_html(site: Path, url: str = "ocpizza/sauvegarde/") -> str:
    """The `<article>` of a built page."""
    text = (site / url / "index.html").read_text(encoding="utf-8")
    start, end = text.index("<article"), text.index("</article>")
    return text[start:end]


def element(html: str, ident: str) -> str:
    """The opening of the element with `id="ident"` up to the next runbook block."""
    start = html.index(f'id="{ident}"')
    following = re.compile(r'<div class="rb-block[ "]').search(html, start)
    return html[start : following.start() if following else len(html)]


def text_of(html: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, str]:
    """The fixture site built with the standard report; (project, page article)."""
    project = make_site(tmp_path)
    write_report(project, STANDARD_OUTCOMES)
    site = build_site(project)
    return project, page_html(site)


# --------------------------------------------------------------------------- blocks


def test_blocks_render_title_target_and_id_anchor(built: tuple[Path, str]) -> None:
    _, html = built
    block = element(html, "sauvegarder")
    assert block.startswith('id="sauvegarder"')
    assert '<span class="rb-block__title">Sauvegarde complète</span>' in block
    assert "cible : <code>mysql</code>" in block
    # A block running in the page's default target does not repeat it: the banner says it.
    assert "cible" not in text_of(element(html, "verifier-service"))
    banner = html[html.index('<aside class="rb-page') : html.index("</aside>")]
    assert "<dt>Cible</dt><dd><code>debian</code></dd>" in banner
    assert '<a class="rb-block__anchor" href="#sauvegarder"' in block
    # Highlighted by Pygments through superfences, like Material does.
    assert 'class="language-bash highlight"' in block
    assert '<span class="w"> </span>' in block


def test_what_runbookdocs_adds_keeps_a_latin_1_page_narrow(tmp_path: Path) -> None:
    """The badges, banner, print button and forms runbookdocs adds write the characters
    beyond Latin-1 (`’`, `—`, the printer) as character references: a page whose own text is
    Latin-1 stays one byte per character through the rest of the build (`fences.narrow`)."""
    page = """
        ---
        runbook:
          owner: équipe exploitation
          variables: {service: memcached}
        ---
        # Redémarrer le cache

        ```bash {#redemarrer target=debian}
        systemctl restart {{ service }}
        ```

        ```console
        $ systemctl is-active {{ service }}
        active
        ```
        """
    project = make_site(tmp_path, {"docs/ocpizza/cache.md": page})
    write_report(project, STANDARD_OUTCOMES)
    article = page_html(build_site(project), "ocpizza/cache/")
    assert max(map(ord, article)) < 256
    assert "\N{PRINTER}" in htmllib.unescape(article)
    assert "Imprimer ce runbook" in text_of(article)
    assert "Variables de la page" in text_of(article)


def test_attributes_never_leak(built: tuple[Path, str]) -> None:
    _, html = built
    visible = text_of(html)
    for raw in ("target=", "hidden=", "skip=", "{#", 'title="Sauvegarde'):
        assert raw not in visible
    assert not re.search(r"<(div|pre|code)[^>]* (target|skip|hidden)=", html)


def test_html_data_attributes_reach_the_page_as_with_superfences_alone(tmp_path: Path) -> None:
    """A site's own `data-*` attributes on fences (a copy script reading `data-prompt`, say)
    are kept on the block's HTML, as pymdownx.superfences does with attr_list on; runbook
    attributes still never reach it."""
    project = make_site(
        tmp_path,
        {
            "docs/copie.md": """
                # Copie

                ```{.bash data-prompt="$" data-copy-note="sans invite"}
                $ echo ok
                ```

                ```bash {#avec-id data-prompt="#" skip="exemple"}
                echo root
                ```
                """
        },
    )
    site = build_site(project)
    html = page_html(site, "copie/")
    assert 'data-prompt="$"' in html
    assert 'data-copy-note="sans invite"' in html
    assert 'data-prompt="#"' in element(html, "avec-id")
    assert not re.search(r"<(div|pre|code)[^>]* skip=", html)


def test_hidden_blocks_are_not_shown(built: tuple[Path, str]) -> None:
    _, html = built
    assert "mkdir -p /srv/backup" not in text_of(html)
    assert 'id="preparer"' not in html


def test_blocks_inside_tabs_and_admonitions(built: tuple[Path, str]) -> None:
    _, html = built
    tabs = html[html.index('class="tabbed-set') :]
    assert 'id="verifier-service"' in tabs and 'id="sante"' in tabs
    admonition = html[
        html.index('<div class="admonition warning">\n<p class="admonition-title">Restauration') :
    ]
    assert admonition.index('id="restaurer"') < admonition.index("</div>\n</div>") + 10_000
    # The snippet include is expanded in the published block.
    assert "curl" in text_of(element(html, "sante"))


def test_plain_code_blocks_stay_plain(built: tuple[Path, str]) -> None:
    project, _ = built
    index = page_html(project / "site", "")
    assert "rb-block" not in index and "rb-badge" not in index
    assert 'class="language-python highlight"' in index


# --------------------------------------------------------------------------- badges


def test_badges_from_the_report(built: tuple[Path, str]) -> None:
    _, html = built
    today = dt.date.today()
    ok = element(html, "sauvegarder")
    assert 'data-rb-state="verified"' in ok
    from runbookdocs.site.dates import format_date

    assert f"vérifié le {format_date('fr', today)}" in text_of(ok)
    assert "0,12 s" in text_of(ok)
    failing = element(html, "restaurer")
    assert 'data-rb-state="failing"' in failing and "en échec" in text_of(failing)
    assert "exited 1" in failing  # the failure message is the badge's tooltip
    skipped = element(html, "nettoyer")
    assert 'data-rb-state="not-run"' in skipped
    assert "ignoré : pas d'accès à la production" in text_of(skipped)
    absent = element(html, "sante")
    assert 'data-rb-state="not-run"' in absent and "absent du dernier rapport" in text_of(absent)


def test_a_counter_example_is_badged_not_run_in_the_site_language(tmp_path: Path) -> None:
    """A block the page shows as the mistake to avoid is not run: its badge says why, in the
    site's language (the page's own words in brackets), not the run's English skip reason."""
    page = """\
        ---
        runbook:
          target: debian
        ---
        # Purge des journaux

        Mauvais exemple :

        ```bash {#supprimer-tout}
        rm -rf /var/log/*
        ```

        Purger seulement les anciens :

        ```bash {#purger}
        find /var/log -name '*.gz' -mtime +30 -delete
        ```
        """
    project = make_site(tmp_path, {"docs/ocpizza/purge.md": page})
    write_report(project, {"purger": ("passed", 0.2, "")}, page="docs/ocpizza/purge.md")
    html = page_html(build_site(project), "ocpizza/purge/")
    wrong = element(html, "supprimer-tout")
    assert 'data-rb-state="not-run"' in wrong
    assert "non exécuté · la page le montre comme contre-exemple (Mauvais exemple)#" in text_of(
        wrong
    )
    assert "shown as" not in wrong
    assert 'data-rb-state="verified"' in element(html, "purger")

    from runbookdocs.config import load_config
    from runbookdocs.document import read_document
    from runbookdocs.site.report import not_run_text

    doc = read_document(project / "docs/ocpizza/purge.md", load_config(project / "pyproject.toml"))
    shown = doc.blocks[0]
    assert str(shown.not_run()) == "skipped: shown as a counter-example: Mauvais exemple"
    assert not_run_text(shown, "en") == "the page shows it as a counter-example (Mauvais exemple)"


def test_a_result_reused_from_an_earlier_run_says_so(tmp_path: Path) -> None:
    """A result the last run took from its cache (`cached`, 0 s spent) is verified on the date
    it ran, and its badge says it was reused: not "ran successfully in 0.00 s"."""
    project = make_site(tmp_path)
    report = write_report(
        project, STANDARD_OUTCOMES, started=dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    for result in data["results"]:
        if result["id"] == "sauvegarder":
            result.update(cached=True, duration_s=0.0, message="cached: passed at 2026-11-20")
    report.write_text(json.dumps(data), encoding="utf-8")
    html = page_html(build_site(project))
    reused = element(html, "sauvegarder")
    assert 'data-rb-state="verified"' in reused and "vérifié le 20 novembre 2026" in text_of(reused)
    # The badge's tooltip: why it is verified.
    assert 'title="exécuté avec succès ; la dernière exécution a repris ce résultat' in reused
    assert "0,00 s" not in reused and "rb-badge__duration" not in reused
    ran = element(html, "verifier-service")  # run by the last run itself: its time is shown
    assert 'title="exécuté avec succès en 0,30 s"' in ran and "rb-badge__duration" in ran


def test_each_block_status_is_worked_out_once_per_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report page and the page itself show the same statuses: worked out once per block,
    and again in the next build (a `mkdocs serve` rebuild reads the pages anew)."""
    from runbookdocs.site import report

    calls: list[tuple[int, int]] = []
    status = report._status

    def counted(block: Any, file: Path, site_report: Any, lang: str) -> Any:
        calls.append((id(block), block.line))
        return status(block, file, site_report, lang)

    monkeypatch.setattr(report, "_status", counted)
    project = make_site(tmp_path)
    write_report(project, STANDARD_OUTCOMES)
    html = (build_site(project) / "rapport" / "index.html").read_text(encoding="utf-8")
    assert 'class="rb-badge rb-badge--' in html  # the page's row, with its status
    assert len(calls) >= 5  # statuses of the page's blocks were asked for ...
    assert len(calls) == len(set(calls))  # ... each once, by the report page and the page
    first = len(calls)
    build_site(project)
    assert len(calls) == 2 * first


def test_unverified_without_report(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    html = page_html(build_site(project))
    assert 'data-rb-state="unverified"' in element(html, "sauvegarder")
    assert "Commandes non vérifiées" in html and "Aucun rapport" in text_of(html)


def test_report_matched_by_id_when_lines_moved(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    write_report(project, {"sauvegarder": ("passed", 0.5, "")})
    report = json.loads((project / "runbookdocs-report.json").read_text())
    report["results"][0]["line"] += 3
    (project / "runbookdocs-report.json").write_text(json.dumps(report))
    html = page_html(build_site(project))
    assert 'data-rb-state="verified"' in element(html, "sauvegarder")


# --------------------------------------------------------------------------- page banner


def test_page_banner_owner_review_verification(built: tuple[Path, str]) -> None:
    _, html = built
    banner = text_of(html[html.index('<aside class="rb-page') : html.index("</aside>")])
    assert "Responsable : équipe exploitation" in banner.replace(
        "Responsable", "Responsable : ", 1
    ).replace(" :  ", " : ")
    assert "15 janvier 2020" in banner
    assert "Relecture en retard" in banner  # 2020 is older than review_interval_days = 90
    assert "Dernière vérification" in banner
    assert "Commandes en échec" in banner
    assert "Vérification périmée" not in banner


def test_stale_report_warns(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    write_report(project, STANDARD_OUTCOMES, started=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    html = page_html(build_site(project))
    assert "Vérification périmée" in html


def test_recent_review_has_no_warning(tmp_path: Path) -> None:
    project = make_site(tmp_path)
    page = project / PAGE
    today = dt.date.today().isoformat()
    page.write_text(page.read_text().replace("2020-01-15", today))
    write_report(project, {"sauvegarder": ("passed", 0.1, "")})
    html = page_html(build_site(project))
    assert "Relecture en retard" not in html


def test_tags_from_system_and_owner(built: tuple[Path, str]) -> None:
    project, _ = built
    full = (project / "site" / "ocpizza" / "sauvegarde" / "index.html").read_text()
    tags = [t.strip() for t in re.findall(r'class="md-tag[^"]*"[^>]*>([^<]+)<', full)]
    assert {"OC Pizza", "équipe exploitation", "mysql"} <= set(tags)


def test_tags_index_page(built: tuple[Path, str]) -> None:
    project, _ = built
    html = page_html(project / "site", "etiquettes/")
    assert "équipe exploitation" in html and "OC Pizza" in html
    assert "Sauvegarde de la base" in html


def test_navigation_named_after_systems(built: tuple[Path, str]) -> None:
    project, _ = built
    full = (project / "site" / "index.html").read_text()
    assert "OC Pizza" in full and ">Ocpizza<" not in full


# --------------------------------------------------------------------------- variables


def test_variables_form_and_live_placeholders(built: tuple[Path, str]) -> None:
    _, html = built
    form = html[html.index('<form class="rb-vars"') : html.index("</form>")]
    assert 'data-rb-input="base"' in form and 'value="oc_pizza"' in form
    assert 'data-rb-input="tag"' in form and 'value="2.5.11"' in form
    assert 'data-rb-input="DB_PASSWORD"' not in form  # secrets are never fillable
    assert "DB_PASSWORD" in form and "jamais rempli" in form
    block = element(html, "restaurer")
    assert block.count('data-rb-var="base"') == 2 and 'data-rb-var="tag"' in block
    assert 'data-rb-secret="DB_PASSWORD"' in block and "secret, jamais rempli" in block
    # Readable without JavaScript: the commands show the values the page was verified with
    # (issue #17; the form's script changes them), and the form is read-only until it runs.
    assert "oc_pizza < /srv/backup/oc_pizza-2.5.11.sql" in text_of(block)
    assert "{{ base }}" not in text_of(block)
    assert re.search(r'<input [^>]*data-rb-input="base"[^>]* readonly>', form)


# --------------------------------------------------------------------------- decision trees


def test_decision_tree_static_overview_and_data(built: tuple[Path, str]) -> None:
    _, html = built
    tree = html[html.index('<div class="rb-tree"') :]
    static = tree[tree.index('<details class="rb-tree__static') : tree.index("</details>")]
    for node in ("service", "redemarrer", "journaux", "base", "escalade", "demarrer"):
        assert f'id="site-ko--{node}"' in static
    assert "Le service est-il démarré ?" in text_of(static)
    assert "Escalader à l'équipe de développement." in text_of(static)
    # nested lists: an answer's step is inside the question's item
    assert static.index('id="site-ko--service"') < static.index('id="site-ko--demarrer"')
    # the linked command block with its status
    check = static[static.index("rb-step__check") :]
    assert 'href="#verifier-service"' in check and "rb-badge--verified" in check[:400]
    # Mermaid source for the walker script to draw (class rb-mermaid: never the theme's own
    # Mermaid integration, which would fetch Mermaid from a CDN under Zensical).
    overview = tree[tree.index('<pre class="rb-mermaid">') :]
    assert "flowchart TD" in overview and "Le service est-il démarré ?" in text_of(overview)
    found = re.search(r'data-rb-data="([^"]*)"', tree)
    assert found is not None
    data = json.loads(htmllib.unescape(found.group(1)))
    assert data["start"] == "service"
    assert data["nodes"]["service"]["check"]["local"] == "verifier-service"
    assert data["nodes"]["service"]["answers"][1]["match"] == "Active: inactive"


def test_tree_is_searchable(built: tuple[Path, str]) -> None:
    project, html = built
    index = json.loads((project / "site" / "search" / "search_index.json").read_text())
    text = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("ocpizza"))
    assert "Escalader à l'équipe de développement" in htmllib.unescape(text)
    assert "mysqldump" in text
    # Status chrome is not content: not indexed (marked data-search-exclude), yet published.
    for chrome in ("Dernière vérification", "vérifié le", "flowchart TD", "lien vers ce bloc"):
        assert chrome not in htmllib.unescape(text), chrome
    assert "Dernière vérification" in html and "flowchart TD" in html


# --------------------------------------------------------------------------- report page


def test_report_page_lists_runbooks_with_coverage(built: tuple[Path, str]) -> None:
    project, _ = built
    html = page_html(project / "site", "rapport/")
    runbooks = html[html.index('id="runbooks"') :]  # after "À traiter", which comes first
    row = next(r for r in re.findall(r"<tr>.*?</tr>", runbooks, re.S) if "Sauvegarde" in r)
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    # Runbook | Système | Statut | Vérifiés | En échec | Non exécutés | Dernière vérification
    # | Dernières exécutions
    assert cells[1] == "OC Pizza" and cells[2] == "en échec"
    assert cells[3:6] == ["3", "1", "2"]
    assert 'href="../ocpizza/sauvegarde/#restaurer"' in html


# --------------------------------------------------------------------------- assets


def test_mermaid_is_served_locally(built: tuple[Path, str]) -> None:
    project, _ = built
    site = project / "site"
    vendored = site / "assets" / "runbookdocs" / "vendor" / "mermaid"
    assert (vendored / "mermaid.min.js").stat().st_size > 1_000_000
    assert "MIT" in (vendored / "LICENSE").read_text()
    full = (site / "ocpizza" / "sauvegarde" / "index.html").read_text()
    scripts = re.findall(r'<script src="([^"]+)"', full)
    assert any(s.endswith("assets/runbookdocs/vendor/mermaid/mermaid.min.js") for s in scripts)
    assert not any(s.startswith(("http:", "https:", "//")) for s in scripts)
    assert "fonts.googleapis" not in full


# --------------------------------------------------------------------------- failures


BROKEN = """
    # Page cassée

    Du texte.

    ```bash {#ok tagret=debian}
    echo bonjour
    ```

    ```decision-tree
    start: debut
    nodes:
      debut:
        question: Ça marche ?
        answers:
          - label: Oui
            next: nulle-part
    ```
"""


def _build_error(project: Path) -> str:
    """The messages of the exception chain that stopped the build."""
    with pytest.raises(Exception) as info:
        build_site(project)
    messages: list[str] = []
    err: BaseException | None = info.value
    while err is not None:
        messages.append(str(err))
        err = err.__context__
    return "\n".join(messages)


def test_broken_fence_and_tree_fail_with_both_locations(tmp_path: Path) -> None:
    project = make_site(tmp_path, {"docs/casse.md": BROKEN})
    message = _build_error(project)
    assert (
        "docs/casse.md:5:14: error: unknown attribute 'tagret' (did you mean 'target'?)" in message
    )
    assert re.search(r"docs/casse\.md:16:\d+: error: .*nulle-part", message), message


def test_fence_header_superfences_would_drop_fails(tmp_path: Path) -> None:
    project = make_site(
        tmp_path,
        {
            "docs/entete.md": """
        # En-tête

        ```bash target=debian
        echo bonjour
        ```

        ## La suite
    """
        },
    )
    message = _build_error(project)
    assert "docs/entete.md:3:" in message and "pymdownx.superfences" in message


def test_duplicate_ids_and_missing_check_fail(tmp_path: Path) -> None:
    project = make_site(
        tmp_path,
        {
            "docs/doublons.md": """
        ```bash {#a}
        echo 1
        ```

        ```bash {#a}
        echo 2
        ```

        ```decision-tree
        start: q
        nodes:
          q:
            question: Ok ?
            check: "#absent"
            answers:
              - {label: Oui, next: fin}
          fin:
            solution: Fini.
        ```
    """
        },
    )
    message = _build_error(project)
    assert "docs/doublons.md:5:1: error: block id #a is already used at line 1" in message
    assert "'#absent' names no block" in message


def test_broken_page_fails_the_cli_build_cleanly(tmp_path: Path) -> None:
    project = make_site(tmp_path, {"docs/casse.md": BROKEN})
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 1
    assert "docs/casse.md:5:14" in proc.stderr and "docs/casse.md:16:" in proc.stderr
    assert "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- units


def test_fences_without_a_page_in_plain_markdown() -> None:
    import markdown
    from pymdownx.superfences import SuperFencesException

    from runbookdocs.site import fences

    config: dict[str, Any] = {
        "pymdownx.superfences": {
            "custom_fences": [
                {
                    "name": "*",
                    "class": "highlight",
                    "validator": fences.validator,
                    "format": fences.formatter,
                }
            ]
        }
    }
    md = markdown.Markdown(
        extensions=["runbookdocs.site", "pymdownx.highlight", "pymdownx.superfences"],
        extension_configs=config,
    )
    out = md.convert('```bash {#x title="T" target=debian}\necho hi\n```\n')
    assert 'id="x"' in out and "rb-block__title" in out and "target=" not in text_of(out)
    md2 = markdown.Markdown(
        extensions=["runbookdocs.site", "pymdownx.highlight", "pymdownx.superfences"],
        extension_configs=config,
    )
    with pytest.raises(SuperFencesException, match="unknown attribute 'bogus'"):
        md2.convert("```bash {bogus=1}\necho hi\n```\n")


def test_fences_alone_accept_pytest_markdown_docs_options() -> None:
    """`{.python notest}`, `continuation`, `fixture:x`, `runner:x`, `retry:N` reach the
    validator as bare words: accepted on python blocks, refused elsewhere (RBD104's rule)."""
    import markdown
    from pymdownx.superfences import SuperFencesException

    from runbookdocs.site import fences

    config: dict[str, Any] = {
        "pymdownx.superfences": {
            "custom_fences": [
                {
                    "name": "*",
                    "class": "highlight",
                    "validator": fences.validator,
                    "format": fences.formatter,
                }
            ]
        }
    }

    def convert(text: str) -> str:
        md = markdown.Markdown(
            extensions=["pymdownx.highlight", "pymdownx.superfences"], extension_configs=config
        )
        return str(md.convert(text))

    for options in ("notest", "continuation", "fixture:tmp_path", "runner:x retry:2"):
        out = convert(f"```{{.python {options}}}\nx = 1\n```\n")
        assert '<span class="n">x</span>' in out and options.split()[0] not in text_of(out)
    with pytest.raises(SuperFencesException, match="for python blocks"):
        convert("```{.bash notest}\necho hi\n```\n")


def test_relative_urls() -> None:
    from runbookdocs.site.state import PageContext, relative_url

    assert relative_url(PageContext(None, "a/b.md"), "c.md#x") == "../c/#x"
    assert relative_url(PageContext(None, "a/b.md"), "#x") == "#x"
    assert relative_url(PageContext(None, "index.md"), "a/b.md#y") == "a/b/#y"
    assert relative_url(PageContext(None, "a/b.md", False), "../d/e.md") == "../d/e.html"


def test_dates_and_durations_in_both_languages() -> None:
    from runbookdocs.site.dates import format_date, format_duration

    assert format_date("fr", dt.date(2026, 3, 1)) == "1er mars 2026"
    assert format_date("fr", dt.date(2026, 11, 15)) == "15 novembre 2026"
    assert format_date("en", dt.date(2026, 3, 1)) == "1 March 2026"
    assert format_date("de", dt.date(2026, 11, 15)) == "15 November 2026"
    assert format_duration("fr", 0.123) == "0,12 s"
    assert format_duration("en", 0.123) == "0.12 s"
    assert format_duration("fr", 125) == "2 min 05 s"


# --------------------------------------------------------------------------- the real site


def test_real_project_site_builds_strict(tmp_path: Path) -> None:
    """`mkdocs build --strict` of the knowledge base itself (part of the test suite)."""
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    site = tmp_path / "site"
    assert (site / "reference" / "api" / "index.html").is_file()
    assert "runbookdocs.block" in (site / "reference" / "api" / "index.html").read_text()
    assert (site / "rapport" / "index.html").is_file()
    assert (site / "assets" / "runbookdocs" / "vendor" / "mermaid" / "mermaid.min.js").is_file()
