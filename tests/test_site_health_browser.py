"""#17 in a real headless Chromium: the health view, the badge wording once a variable changes,
accent-insensitive search (MkDocs and Zensical builds). Same browser set-up as
`tests/test_site_browser.py` (its `driver` fixture); screenshots in `artifacts/screenshots/`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import test_site_browser
from tests.test_site_browser import _require_browser, click, css, served, shot, wait
from tests.test_site_build import build_site
from tests.test_site_health import SEARCH_PAGES, history_site

pytestmark = pytest.mark.browser
driver = test_site_browser.driver  # the one headless Chromium fixture
PAGE = "ocpizza/sauvegarde/"


def _project(tmp: Path) -> Path:
    project = history_site(tmp)
    for name, text in SEARCH_PAGES.items():
        (project / name).write_text(text, encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site with a history, a health marker and the search pages (MkDocs)."""
    _require_browser()
    with served(_project(tmp_path_factory.mktemp("health")), build_site) as url:
        yield url


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same, built by Zensical after `runbookdocs site prepare`."""
    _require_browser()
    from tests.test_site_zensical import build_with_zensical

    with served(_project(tmp_path_factory.mktemp("health-z")), build_with_zensical) as url:
        yield url


# --------------------------------------------------------------------------- health view


def test_home_and_report_lead_with_what_is_failing(driver: Any, site_url: str) -> None:
    driver.get(site_url)
    text = css(driver, "article").text
    assert "1 en échec, 1 périmé(s), 1 en retard de relecture, sur 1 runbooks" in text
    assert "shell block #restaurer exited 1 (expected 0)" in text
    shot(driver, "health-home")
    click(driver, css(driver, "article a[href$='#restaurer']"))
    wait(driver, lambda d: d.current_url.endswith(PAGE + "#restaurer"))
    driver.get(site_url + "rapport/")
    article = css(driver, "article").text
    headings = driver.execute_script(
        "return Array.from(document.querySelectorAll('article h2'))"
        ".map(h => h.innerText.replace('¶', '').trim())"
    )
    assert headings[:2] == ["À traiter", "Runbooks"]
    assert "équipe exploitation" in article and "15 janvier 2020 (en retard)" in article
    shot(driver, "health-report")


def test_page_history_is_read_as_words(driver: Any, site_url: str) -> None:
    driver.get(site_url + PAGE)
    runs = driver.execute_script(
        "return Array.from(document.querySelectorAll('.rb-history li')).map(e => e.innerText)"
    )
    assert runs == [
        "3 novembre 2026 : 1 en échec",
        "2 novembre 2026 : vérifié",
        "1er novembre 2026 : vérifié",
    ]
    shot(driver, "health-history", css(driver, ".rb-page__facts"))


# --------------------------------------------------------------------------- wording


def _badge(driver: Any, block: str) -> tuple[str, str]:
    return tuple(  # type: ignore[return-value]
        driver.execute_script(
            f"var b = document.querySelector('#{block} .rb-badge');"
            "return [b.innerText, b.getAttribute('title')];"
        )
    )


def test_badge_says_default_values_once_a_variable_changes(driver: Any, site_url: str) -> None:
    driver.get(site_url + PAGE)
    driver.execute_script("localStorage.clear()")
    driver.get(site_url + PAGE)
    wait(driver, lambda d: d.execute_script("return !!document.querySelector('[data-rb-ready]')"))
    label, _ = _badge(driver, "sauvegarder")
    assert label.startswith("vérifié le 3 novembre 2026")
    untouched = _badge(driver, "verifier-service")
    field = css(driver, "input[data-rb-input='base']")
    field.clear()
    field.send_keys("prod_db")
    label, title = _badge(driver, "sauvegarder")
    assert label.startswith("vérifié avec les valeurs par défaut"), label
    assert "valeurs que vous avez saisies n’ont pas été exécutées" in title
    assert _badge(driver, "verifier-service") == untouched  # uses no variable
    shot(driver, "badge-default-values", css(driver, "#sauvegarder"))
    # Kept across visits (the form restores the value), and back to plain after a reset.
    driver.get(site_url + PAGE)
    wait(driver, lambda d: d.execute_script("return !!document.querySelector('[data-rb-ready]')"))
    assert _badge(driver, "sauvegarder")[0].startswith("vérifié avec les valeurs par défaut")
    click(driver, css(driver, ".rb-vars__reset"))
    assert _badge(driver, "sauvegarder")[0].startswith("vérifié le 3 novembre 2026")
    # Typing the default back is the default again.
    field = css(driver, "input[data-rb-input='tag']")
    field.send_keys("x")
    assert _badge(driver, "sauvegarder")[0].startswith("vérifié avec")
    field.send_keys("\b")
    assert _badge(driver, "sauvegarder")[0].startswith("vérifié le")


# --------------------------------------------------------------------------- search


def _material_search(driver: Any, url: str, query: str) -> list[str]:
    driver.get(url)
    box = css(driver, "input.md-search__input")  # in the header at desktop width
    box.click()
    box.send_keys(query)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        meta = driver.execute_script(
            "var m = document.querySelector('.md-search-result__meta'); return m ? m.innerText : ''"
        )
        links = driver.execute_script(
            "return Array.from(document.querySelectorAll('.md-search-result__link'))"
            ".map(a => a.getAttribute('href'))"
        )
        if links or "Aucun" in str(meta):
            return [str(h) for h in links]
        time.sleep(0.2)
    return []


def test_material_search_ignores_accents_and_excluded_pages(driver: Any, site_url: str) -> None:
    for query in ("deploiement", "déploiement", "procedure"):
        links = _material_search(driver, site_url, query)
        assert any("ocpizza/deploiement/" in h for h in links), (query, links)
        if query != "procedure":  # "procédures" of the OC Pizza index matches it too
            assert "ocpizza/deploiement/" in links[0], (query, links)
        assert not any("/api/" in h for h in links), links
    shot(driver, "search-without-accents")
    links = _material_search(driver, site_url, "equipe")
    assert any("ocpizza/sauvegarde/" in h for h in links)
    # The report names every runbook too: ranked down, it comes after the page itself.
    links = _material_search(driver, site_url, "sauvegarde")
    first_report = next(i for i, h in enumerate(links) if "rapport/" in h)
    assert any("ocpizza/sauvegarde/" in h for h in links[:first_report])


_ZENSICAL_SEARCH = """
var host = Array.from(document.querySelectorAll('*'))
  .find(function (e) { return e.shadowRoot && e.shadowRoot.querySelector('input'); });
if (!host) return null;
var input = host.shadowRoot.querySelector('input');
if (arguments[0] !== null) {
  input.focus(); input.value = arguments[0];
  input.dispatchEvent(new Event('input', {bubbles: true}));
  return [];
}
return Array.from(host.shadowRoot.querySelectorAll('a[href]'))
  .map(function (a) { return a.getAttribute('href'); });
"""


def test_zensical_search_ignores_accents_and_excluded_pages(driver: Any, zensical_url: str) -> None:
    driver.get(zensical_url)
    click(driver, css(driver, ".md-search__button"))
    wait(driver, lambda d: d.execute_script(_ZENSICAL_SEARCH, None) is not None)
    for query in ("deploiement", "déploiement"):
        driver.execute_script(_ZENSICAL_SEARCH, query)
        links = wait(
            driver,
            lambda d: [h for h in d.execute_script(_ZENSICAL_SEARCH, None) if "deploiement" in h],
        )
        assert links, query
        everything = driver.execute_script(_ZENSICAL_SEARCH, None)
        assert not any(h.startswith("api/") or "/api/" in h for h in everything), everything
    shot(driver, "search-zensical-without-accents")


# --------------------------------------------------------------------------- WCAG 2.1 AA


@pytest.mark.parametrize("colours", ["default", "slate"])
def test_health_view_history_and_notes_pass_axe(driver: Any, site_url: str, colours: str) -> None:
    """The new elements (needs-attention tables, history, default-values badge) keep AA."""
    from tests.site_browser import axe, scheme

    problems: list[str] = []
    for page in ("", "rapport/", PAGE):
        driver.get(site_url + page)
        wait(driver, lambda d: d.execute_script("return document.readyState === 'complete'"))
        if page == PAGE:  # the badge in its "default values" state
            wait(
                driver,
                lambda d: d.execute_script("return !!document.querySelector('[data-rb-ready]')"),
            )
            field = css(driver, "input[data-rb-input='base']")
            field.send_keys("x")
        scheme(driver, colours)
        time.sleep(0.4)  # Material's colour transitions
        problems += [f"/{page} ({colours}) {p}" for p in axe(driver)]
        if page == PAGE:
            click(driver, css(driver, ".rb-vars__reset"))
    assert problems == [], "\n".join(problems)
