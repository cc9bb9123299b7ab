"""The published site in a real headless Chromium (Debian's `chromium` + `chromium-driver`).

The fixture site is built once with a run report and served from 127.0.0.1 on a random port.
Nothing is downloaded: Selenium is pointed at /usr/bin/chromedriver and /usr/bin/chromium.
On CI (`CI=true`) a missing browser is a failure; locally these tests skip with the reason.
Screenshots are kept in `artifacts/screenshots/` (gitignored).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import socketserver
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site_browser import axe, scheme
from tests.test_site_build import ROOT, STANDARD_OUTCOMES, build_site, make_site, write_report

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("RUNBOOKDOCS_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("RUNBOOKDOCS_CHROMEDRIVER", "/usr/bin/chromedriver")
SHOTS = ROOT / "artifacts" / "screenshots"
PAGE = "ocpizza/sauvegarde/"


def _unavailable() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).exists():
            return f"{path} not found (apt-get install -y {package})"
    return None


def _require_browser() -> None:
    reason = _unavailable()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run on CI: {reason}")
    pytest.skip(reason)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(project: Path, build: Callable[[Path], Path]) -> Iterator[str]:
    """`project` built by `build` (after its site_url is set) and served on 127.0.0.1:RANDOM."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _QuietHandler)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    # Material's instant navigation only follows links that its sitemap (site_url) knows.
    config = project / "mkdocs.yml"
    if config.is_file():
        config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {url}", config.read_text()))
    site = build(project)
    server.RequestHandlerClass = functools.partial(_QuietHandler, directory=str(site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site built by MkDocs with the standard report, served."""
    _require_browser()
    project = make_site(tmp_path_factory.mktemp("browser"))
    write_report(project, STANDARD_OUTCOMES)
    with served(project, build_site) as url:
        yield url


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same fixture site built by Zensical (after `runbookdocs site prepare`), served."""
    _require_browser()
    from tests.test_site_zensical import build_with_zensical

    project = make_site(tmp_path_factory.mktemp("zensical"))
    write_report(project, STANDARD_OUTCOMES)
    with served(project, build_with_zensical) as url:
        yield url


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    """One headless Chromium for the module, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    _require_browser()
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager download
    profile = tempfile.mkdtemp(prefix="rbd-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
        "--lang=fr-FR",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    browser.set_page_load_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def shot(driver: Any, name: str, element: Any = None) -> Path:
    """Save a screenshot under artifacts/screenshots/."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    if element is not None:
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.screenshot(str(path))
    else:
        driver.save_screenshot(str(path))
    return path


def wait(driver: Any, condition: Any, timeout: float = 15) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def css(driver: Any, selector: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, selector)


def click(driver: Any, element: Any) -> None:
    """Click like a user, after bringing the element out from under Material's sticky header."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def step_text(driver: Any) -> str:
    # Read in one script call: the walker replaces the step's elements when it renders, and an
    # element found in one call can be gone by the next (a stale reference, on a busy machine).
    return str(
        driver.execute_script(
            "var e = document.querySelector('.rb-tree .rb-walk__text');return e ? e.innerText : '';"
        )
    ).strip()


STEP = "return new URLSearchParams(location.search).get('step')"
"""The tree step the address names (the theme's scroll tracking rewrites the hash, not this)."""


def open_page(driver: Any, url: str) -> None:
    driver.get(url)
    wait(
        driver,
        lambda d: d.execute_script("return !!document.querySelector('.rb-tree .rb-walk__step')"),
    )


# --------------------------------------------------------------------------- decision tree


def test_walk_tree_to_a_leaf_and_back(driver: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    open_page(driver, site_url + PAGE)
    assert step_text(driver) == "Le service est-il démarré ?"
    # The step linked to a command block shows that block with its verification badge.
    check = css(driver, ".rb-walk__check")
    assert "systemctl status oc-pizza" in check.text
    assert (
        check.find_element(By.CSS_SELECTOR, ".rb-badge").get_attribute("data-rb-state")
        == "verified"
    )
    shot(driver, "tree-step-1-question", css(driver, ".rb-tree__walker"))

    answers = driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")
    assert [a.text.split("\n")[-1].lstrip("12 ") for a in answers] == ["Oui", "Non"]
    click(driver, answers[0])
    assert step_text(driver) == "Arrêter puis redémarrer le service."
    assert driver.execute_script(STEP) == "site-ko--redemarrer"
    # Focus moves to the new step (keyboard and screen-reader users follow along).
    assert driver.execute_script(
        "return document.activeElement.classList.contains('rb-walk__step')"
    )
    click(driver, css(driver, ".rb-walk__done"))
    assert step_text(driver) == "Les journaux montrent-ils une erreur de base de données ?"
    # Keyboard: "2" picks the second answer.
    driver.switch_to.active_element.send_keys("2")
    assert "Escalader à l'équipe de développement." in step_text(driver)
    assert driver.execute_script(STEP) == "site-ko--escalade"
    trail = css(driver, ".rb-walk__trail").text
    assert "→ Oui" in trail and "→ Non" in trail
    shot(driver, "tree-leaf-escalate", css(driver, ".rb-tree__walker"))

    click(driver, css(driver, ".rb-walk__back"))
    assert step_text(driver) == "Les journaux montrent-ils une erreur de base de données ?"
    # The walker's Back goes back in the browser's history too: the address follows.
    wait(driver, lambda d: d.execute_script(STEP) == "site-ko--journaux")
    # Backspace goes back too; the restart button returns to the first question.
    driver.switch_to.active_element.send_keys(Keys.BACKSPACE)
    assert step_text(driver) == "Arrêter puis redémarrer le service."
    click(driver, css(driver, ".rb-walk__restart"))
    assert step_text(driver) == "Le service est-il démarré ?"


def test_deep_link_opens_a_step(driver: Any, site_url: str) -> None:
    open_page(driver, site_url + PAGE + "#site-ko--demarrer")
    wait(driver, lambda d: "Démarrer le service" in step_text(d))
    assert "→ Non" in css(driver, ".rb-walk__trail").text  # the way there is rebuilt
    link = css(driver, ".rb-walk__link")
    assert link.get_attribute("href").endswith("#site-ko--demarrer")
    shot(driver, "tree-deep-link", css(driver, ".rb-tree__walker"))
    click(driver, css(driver, ".rb-walk__back"))
    assert step_text(driver) == "Le service est-il démarré ?"


def test_pasting_an_error_chooses_the_answer(driver: Any, site_url: str) -> None:
    open_page(driver, site_url + PAGE)
    area = css(driver, ".rb-walk__paste textarea")
    area.send_keys("● oc-pizza.service\n   Active: inactive (dead) since Mon")
    wait(driver, lambda d: "Démarrer le service" in step_text(d))
    assert "d’après le message collé" in css(driver, ".rb-walk__trail").text


def test_static_tree_kept_for_search_and_mermaid_rendered_locally(
    driver: Any, site_url: str
) -> None:
    open_page(driver, site_url + PAGE)
    static = css(driver, ".rb-tree__static")
    assert static.get_attribute("open") is None  # folded once the walker runs
    assert "Escalader" in static.get_attribute("textContent")
    # The walker script draws the overview with the vendored Mermaid it loads itself.
    wait(
        driver,
        lambda d: d.execute_script(
            "return !!document.querySelector('.rb-tree__overview div.rb-mermaid svg')"
        ),
    )
    assert driver.execute_script("return typeof window.mermaid") == "object"
    hosts = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)"
    )
    host = site_url.split("/")[2]
    assert set(hosts) <= {host}, f"requests left the site: {set(hosts) - {host}}"
    shot(driver, "tree-overview", css(driver, ".rb-tree__overview"))


def test_instant_navigation_reinitialises_the_walker(driver: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(site_url)
    wait(driver, lambda d: d.execute_script("return !!window.document$"))
    driver.execute_script("window.__sameDocument = true")
    driver.find_element(By.CSS_SELECTOR, "article a[href*='sauvegarde']").click()
    wait(
        driver,
        lambda d: d.execute_script("return !!document.querySelector('.rb-tree .rb-walk__step')"),
    )
    # Material swapped the page without reloading scripts, and the walker still came up.
    assert driver.execute_script("return window.__sameDocument === true")
    assert step_text(driver) == "Le service est-il démarré ?"


# --------------------------------------------------------------------------- variables, badges


COPY_SPY = """
window.__copied = null;
document.addEventListener('copy', function (e) {
  var t = e.target;
  window.__copied = (t && typeof t.value === 'string')
    ? t.value.slice(t.selectionStart, t.selectionEnd) : String(document.getSelection());
}, true);
"""


def code_text(driver: Any, block_id: str) -> str:
    return str(
        driver.execute_script(
            f"return document.querySelector('#{block_id} pre code').innerText"
        ).strip()
    )


def test_filled_variable_changes_the_copied_command(driver: Any, site_url: str) -> None:
    driver.get(site_url + PAGE)
    driver.execute_script("localStorage.clear()")
    driver.get(site_url + PAGE)
    wait(
        driver,
        lambda d: d.execute_script(
            "return !!document.querySelector('form.rb-vars[data-rb-ready]')"
        ),
    )
    assert code_text(driver, "sauvegarder") == (
        "mysqldump --single-transaction oc_pizza > /srv/backup/oc_pizza-2.5.11.sql"
    )
    field = css(driver, "input[data-rb-input='base']")
    field.clear()
    field.send_keys("prod_db")
    assert code_text(driver, "sauvegarder") == (
        "mysqldump --single-transaction prod_db > /srv/backup/prod_db-2.5.11.sql"
    )
    # Inline code in the prose follows too.
    assert (
        driver.execute_script(
            "return document.querySelector('p code.rb-var[data-rb-var=base]').textContent"
        )
        == "prod_db"
    )
    driver.execute_script(COPY_SPY)
    button = driver.execute_script(
        "return document.querySelector('#sauvegarder [data-clipboard-target]')"
    )
    assert button is not None, "Material's copy button is missing"
    driver.execute_script("arguments[0].click()", button)
    wait(driver, lambda d: d.execute_script("return window.__copied"))
    assert driver.execute_script("return window.__copied").strip() == (
        "mysqldump --single-transaction prod_db > /srv/backup/prod_db-2.5.11.sql"
    )
    # Secrets are never filled in.
    assert "{{ DB_PASSWORD }}" in code_text(driver, "restaurer")
    assert "prod_db" in code_text(driver, "restaurer")
    shot(driver, "variables-filled", css(driver, ".rb-page"))
    shot(driver, "variables-block", css(driver, "#restaurer"))
    # The value is kept for this page (localStorage) across visits.
    driver.get(site_url + PAGE)
    wait(
        driver,
        lambda d: d.execute_script(
            "return !!document.querySelector('form.rb-vars[data-rb-ready]')"
        ),
    )
    assert css(driver, "input[data-rb-input='base']").get_attribute("value") == "prod_db"
    assert "prod_db" in code_text(driver, "sauvegarder")
    click(driver, css(driver, ".rb-vars__reset"))
    assert "oc_pizza" in code_text(driver, "sauvegarder")


def test_failing_block_badge(driver: Any, site_url: str) -> None:
    driver.get(site_url + PAGE)
    badge = css(driver, "#restaurer .rb-badge")
    assert badge.get_attribute("data-rb-state") == "failing"
    assert badge.text.strip().endswith("en échec")
    assert "exited 1" in badge.get_attribute("title")
    color = driver.execute_script("return getComputedStyle(arguments[0]).color", badge)
    assert color.startswith("rgb(183, 28, 28")  # --rb-fail, light scheme (WCAG AA)
    ok = css(driver, "#sauvegarder .rb-badge")
    assert "vérifié le" in ok.text and "0,12 s" in ok.text
    shot(driver, "badge-failing", css(driver, "#restaurer"))
    shot(driver, "page-top")


def test_report_page(driver: Any, site_url: str) -> None:
    driver.get(site_url + "rapport/")
    text = css(driver, "article").text
    assert "Rapport de vérification" in text and "Sauvegarde de la base" in text
    assert "en échec" in text
    shot(driver, "report-page")


# --------------------------------------------------------------------------- under Zensical


def test_zensical_tree_walk_overview_and_variables(driver: Any, zensical_url: str) -> None:
    """The same tree and form under the Zensical build: walked, drawn locally, filled."""
    from selenium.webdriver.common.by import By

    open_page(driver, zensical_url + PAGE)
    assert step_text(driver) == "Le service est-il démarré ?"
    assert css(driver, ".rb-walk__kind").get_attribute("textContent") == "Étape 1 · Question"
    check = css(driver, ".rb-walk__check")
    assert check.find_element(By.CSS_SELECTOR, ".rb-badge").get_attribute("data-rb-state") == (
        "verified"
    )
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[1])
    assert "Démarrer le service" in step_text(driver)
    assert driver.execute_script(STEP) == "site-ko--demarrer"
    assert "→ Non" in css(driver, ".rb-walk__trail").text
    click(driver, css(driver, ".rb-walk__back"))
    assert step_text(driver) == "Le service est-il démarré ?"
    area = css(driver, ".rb-walk__paste textarea")
    area.send_keys("Active: inactive (dead)")
    wait(driver, lambda d: "Démarrer le service" in step_text(d))
    shot(driver, "zensical-tree", css(driver, ".rb-tree__walker"))
    wait(
        driver,
        lambda d: d.execute_script(
            "return !!document.querySelector('.rb-tree__overview div.rb-mermaid svg')"
        ),
    )
    hosts = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).host)"
    )
    host = zensical_url.split("/")[2]
    assert set(hosts) <= {host}, f"requests left the site: {set(hosts) - {host}}"
    color = driver.execute_script(
        "return getComputedStyle(arguments[0]).color", css(driver, "#restaurer .rb-badge")
    )
    assert color.startswith("rgb(183, 28, 28")  # the styles are loaded (--rb-fail)
    field = css(driver, "input[data-rb-input='base']")
    wait(
        driver,
        lambda d: d.execute_script(
            "return !!document.querySelector('form.rb-vars[data-rb-ready]')"
        ),
    )
    field.clear()
    field.send_keys("prod_db")
    assert code_text(driver, "sauvegarder") == (
        "mysqldump --single-transaction prod_db > /srv/backup/prod_db-2.5.11.sql"
    )
    click(driver, css(driver, ".rb-vars__reset"))
    shot(driver, "zensical-page")


def test_zensical_instant_navigation_reinitialises_the_walker(
    driver: Any, zensical_url: str
) -> None:
    from selenium.webdriver.common.by import By

    driver.get(zensical_url)
    wait(driver, lambda d: d.execute_script("return !!window.document$"))
    driver.execute_script("window.__sameDocument = true")
    assert not driver.execute_script("return !!window.runbookdocs")  # no runbook on this page
    driver.find_element(By.CSS_SELECTOR, "article a[href*='sauvegarde']").click()
    wait(
        driver,
        lambda d: d.execute_script("return !!document.querySelector('.rb-tree .rb-walk__step')"),
    )
    assert driver.execute_script("return window.__sameDocument === true")
    assert step_text(driver) == "Le service est-il démarré ?"


def test_the_walker_speaks_the_sites_language(
    driver: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The guide's English site (zensical.toml): the walker's texts are English."""
    from tests.test_site_zensical import SAMPLES, build_with_zensical

    project = tmp_path_factory.mktemp("english") / "minimal"
    shutil.copytree(SAMPLES / "minimal", project)
    with served(project, lambda p: build_with_zensical(p, "zensical.toml")) as url:
        open_page(driver, url + "web/nginx/")
        assert css(driver, ".rb-walk__kind").get_attribute("textContent") == "Step 1 · Question"
        assert css(driver, ".rb-walk__back").text == "← Previous step"
        assert css(driver, ".rb-walk__restart").text == "↺ Start again"
        assert css(driver, ".rb-walk__check-title").text == "Command to run:"
        assert "not verified" in css(driver, "#install .rb-badge").text


# --------------------------------------------------------------------------- readers under pressure


AXE_PAGES = ("", "ocpizza/", PAGE, "rapport/")
"""The home page, a system page, a tree page (a runbook) and the report."""


def ready(driver: Any, url: str) -> None:
    driver.get(url)
    wait(driver, lambda d: d.execute_script("return document.readyState === 'complete'"))
    if driver.execute_script("return !!document.querySelector('.rb-tree')"):
        wait(
            driver,
            lambda d: d.execute_script("return !!document.querySelector('.rb-walk__step')"),
        )


# --------------------------------------------------------------------------- WCAG 2.1 AA


@pytest.mark.parametrize("colours", ["default", "slate"])
def test_contrast_and_links_pass_axe(driver: Any, site_url: str, colours: str) -> None:
    problems: list[str] = []
    for page in AXE_PAGES:
        ready(driver, site_url + page)
        scheme(driver, colours)
        time.sleep(0.4)  # Material's colour transitions
        problems += [f"/{page} ({colours}) {p}" for p in axe(driver)]
        shot(driver, f"readers-axe-{colours}-{page.strip('/').replace('/', '-') or 'home'}")
    assert problems == [], "\n".join(problems)
