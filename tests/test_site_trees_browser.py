"""Decision trees for readers under pressure, in a real Chromium (issue #17).

The step in the address survives Material's `navigation.tracking` and `navigation.instant` (the
fixture site enables both), back and forward move between steps, the page prints as text and
reads without JavaScript. Screenshots go to `artifacts/screenshots/`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests import test_site_browser as base
from tests.test_site_browser import PAGE, click, css, open_page, shot, step_text, wait

# The browser and the fixture site of tests/test_site_browser.py, one of each for this module.
driver = base.driver
site_url = base.site_url

pytestmark = pytest.mark.browser


def address_step(driver: Any) -> str | None:
    """The `step` named by the query of the address bar."""
    query = parse_qs(urlparse(driver.current_url).query)
    return query.get("step", [None])[0]


def wait_step(driver: Any, text: str) -> None:
    wait(driver, lambda d: step_text(d) == text)


# --------------------------------------------------------------------------- step in the address


def test_step_survives_tracking_reload_back_and_forward(driver: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, site_url + PAGE)
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[0])
    wait_step(driver, "Arrêter puis redémarrer le service.")
    assert address_step(driver) == "site-ko--redemarrer"
    click(driver, css(driver, ".rb-walk__done"))
    wait_step(driver, "Les journaux montrent-ils une erreur de base de données ?")
    assert address_step(driver) == "site-ko--journaux"

    # Material's scroll tracking rewrites the hash within about a second of a scroll: the hash
    # changes (proof that tracking runs here), the step in the query stays.
    time.sleep(2)
    driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(1.2)
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight / 3)")
    wait(driver, lambda d: d.execute_script("return location.hash") != "#site-ko--journaux", 5)
    time.sleep(1)
    assert address_step(driver) == "site-ko--journaux", driver.current_url
    copied = driver.current_url
    shot(driver, "trees-step-in-address-after-scroll")

    # The browser's back and forward move between the steps taken.
    driver.back()
    wait_step(driver, "Arrêter puis redémarrer le service.")
    assert address_step(driver) == "site-ko--redemarrer"
    driver.back()
    wait_step(driver, "Le service est-il démarré ?")
    assert address_step(driver) is None
    driver.forward()
    wait_step(driver, "Arrêter puis redémarrer le service.")
    driver.forward()
    wait_step(driver, "Les journaux montrent-ils une erreur de base de données ?")
    assert "→ Oui" in css(driver, ".rb-walk__trail").text

    # The walker's own Back button and the browser's history stay in step.
    click(driver, css(driver, ".rb-walk__back"))
    wait_step(driver, "Arrêter puis redémarrer le service.")
    assert address_step(driver) == "site-ko--redemarrer"
    driver.forward()
    wait_step(driver, "Les journaux montrent-ils une erreur de base de données ?")
    # Two quick presses of the walker's Back: the browser's history ends where the walker is.
    driver.execute_script(
        "document.querySelector('.rb-walk__back').click();"
        "document.querySelector('.rb-walk__back').click();"
    )
    wait(driver, lambda d: address_step(d) is None)
    time.sleep(0.5)
    assert step_text(driver) == "Le service est-il démarré ?"
    driver.forward()
    wait_step(driver, "Arrêter puis redémarrer le service.")

    # The copied address opens the same step in a fresh load, with the way there rebuilt.
    driver.get("about:blank")
    open_page(driver, copied)
    wait_step(driver, "Les journaux montrent-ils une erreur de base de données ?")
    assert "→ Oui" in css(driver, ".rb-walk__trail").text
    assert address_step(driver) == "site-ko--journaux"
    shot(driver, "trees-step-from-copied-address", css(driver, ".rb-tree__walker"))


def test_step_survives_instant_navigation_away_and_back(driver: Any, site_url: str) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, site_url + PAGE)
    driver.execute_script("window.__sameDocument = true")
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[1])
    wait_step(driver, "Démarrer le service avec systemctl start oc-pizza.")
    # Away through the theme's instant navigation (no reload), then back.
    link = driver.find_element(By.CSS_SELECTOR, ".md-header__button.md-logo, a.md-logo")
    driver.execute_script("arguments[0].click()", link)
    wait(driver, lambda d: not d.execute_script("return !!document.querySelector('.rb-tree')"))
    assert driver.execute_script("return window.__sameDocument === true")
    driver.back()
    wait(
        driver,
        lambda d: d.execute_script("return !!document.querySelector('.rb-tree .rb-walk__step')"),
    )
    wait_step(driver, "Démarrer le service avec systemctl start oc-pizza.")
    assert driver.execute_script("return window.__sameDocument === true")
    assert address_step(driver) == "site-ko--demarrer"


def test_link_to_this_step_is_the_shareable_address(driver: Any, site_url: str) -> None:
    open_page(driver, site_url + PAGE + "?step=site-ko--escalade")
    wait_step(driver, "Escalader à l'équipe de développement.")
    href = css(driver, ".rb-walk__link").get_attribute("href")
    assert parse_qs(urlparse(href).query)["step"] == ["site-ko--escalade"]
    # The hash repeats the step: without JavaScript it lands on the step of the text version.
    assert urlparse(href).fragment == "site-ko--escalade"
    # An old-style address (the hash alone) still opens its step, and gains the query.
    open_page(driver, site_url + PAGE + "#site-ko--demarrer")
    wait_step(driver, "Démarrer le service avec systemctl start oc-pizza.")
    assert address_step(driver) == "site-ko--demarrer"


zensical_url = base.zensical_url


def test_step_in_the_address_under_zensical(driver: Any, zensical_url: str) -> None:
    """The same under the Zensical build (its own theme's tracking and instant navigation)."""
    from selenium.webdriver.common.by import By

    open_page(driver, zensical_url + PAGE)
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[0])
    wait_step(driver, "Arrêter puis redémarrer le service.")
    click(driver, css(driver, ".rb-walk__done"))
    wait_step(driver, "Les journaux montrent-ils une erreur de base de données ?")
    time.sleep(2)
    driver.execute_script("window.scrollTo(0, 0)")
    time.sleep(1.2)
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight / 3)")
    time.sleep(1.5)
    assert address_step(driver) == "site-ko--journaux", driver.current_url
    copied = driver.current_url
    driver.back()
    wait_step(driver, "Arrêter puis redémarrer le service.")
    driver.forward()
    wait_step(driver, "Les journaux montrent-ils une erreur de base de données ?")
    driver.get("about:blank")
    open_page(driver, copied)
    wait_step(driver, "Les journaux montrent-ils une erreur de base de données ?")
    shot(driver, "trees-zensical-step-in-address", css(driver, ".rb-tree__walker"))


# --------------------------------------------------------------------------- leaves


@pytest.fixture(scope="module")
def tree_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture site with the incident page of tests/test_site_trees.py, served."""
    base._require_browser()
    from tests.test_site_build import build_site
    from tests.test_site_trees import tree_project

    with base.served(tree_project(tmp_path_factory.mktemp("trees")), build_site) as url:
        yield url


INCIDENT_PAGE = "ocpizza/incident/"


def test_leaves_carry_their_command_and_the_escalation_contact(driver: Any, tree_url: str) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, tree_url + INCIDENT_PAGE)
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[2])
    wait_step(driver, "Appeler l'astreinte avec l'heure du premier échec.")
    contact = css(driver, ".rb-walk__contact")
    assert contact.text == "Contact : astreinte OC Pizza, 01 23 45 67 89"
    shot(driver, "trees-leaf-escalation-contact", css(driver, ".rb-tree__walker"))
    click(driver, css(driver, ".rb-walk__restart"))
    wait_step(driver, "Le service répond-il ?")
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[0])
    wait_step(driver, "Relancer le service (voir la procédure).")
    check = css(driver, ".rb-walk__check")
    assert "systemctl restart oc-pizza" in check.text
    badge = check.find_element(By.CSS_SELECTOR, ".rb-badge")
    assert badge.get_attribute("data-rb-state") == "verified"
    shot(driver, "trees-leaf-command", css(driver, ".rb-tree__walker"))
    # A block of another page: its link, its badge and its text with that page's values.
    click(driver, css(driver, ".rb-walk__restart"))
    wait_step(driver, "Le service répond-il ?")
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[1])
    click(driver, driver.find_elements(By.CSS_SELECTOR, ".rb-walk__answer")[0])
    wait_step(driver, "Purger les anciennes sauvegardes (sauvegarde).")
    check = css(driver, ".rb-walk__check")
    assert check.find_element(By.CSS_SELECTOR, ".rb-badge").get_attribute("data-rb-state") == (
        "verified"
    )
    assert css(driver, ".rb-walk__command").text.startswith(
        "mysqldump --single-transaction oc_pizza > /srv/backup/oc_pizza-2.5.11.sql"
    )
    assert address_step(driver) == "commande--purger"
    shot(driver, "trees-leaf-command-other-page", css(driver, ".rb-tree__walker"))


# --------------------------------------------------------------------------- print

LONG_LABEL = "Ce libellé est volontairement très long"

PRINT_STATE = """
var out = {};
function shown(sel) {
  return Array.prototype.some.call(document.querySelectorAll(sel), function (e) {
    var r = e.getBoundingClientRect();
    return getComputedStyle(e).display !== 'none' && r.width > 0 && r.height > 0;
  });
}
['.md-header', '.md-sidebar--primary', '.md-footer', '.rb-tree__walker', '.rb-tree__overview',
 '.rb-badge', '.md-clipboard', '.rb-print', '.rb-vars__reset', '.rb-tree__static > summary']
  .forEach(function (s) { out[s] = shown(s); });
var tree = document.querySelector('.rb-tree__static');
var texts = tree.querySelectorAll('.rb-step__text');
out.steps = Array.prototype.map.call(texts, function (e) {
  var r = e.getBoundingClientRect();
  return {text: e.innerText, height: r.height, right: r.right};
});
out.treeText = tree.innerText;
out.nested = tree.querySelector('[data-rb-node="disque"]').closest('.rb-answer')
  .querySelector('.rb-answer__label').innerText;
out.right = document.querySelector('article').getBoundingClientRect().right;
out.clipped = Array.prototype.filter.call(tree.querySelectorAll('*'), function (e) {
  return e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible';
}).length;
return out;
"""


def test_print_writes_the_tree_out_as_nested_text(driver: Any, tree_url: str) -> None:
    open_page(driver, tree_url + INCIDENT_PAGE)
    assert css(driver, ".rb-print").text.endswith(" Imprimer ce runbook")
    driver.execute_script("window.__printed = 0; window.print = function () { __printed++; };")
    click(driver, css(driver, ".rb-print"))
    assert driver.execute_script("return window.__printed") == 1
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        state = driver.execute_script(PRINT_STATE)
        shot(driver, "trees-print-emulated")
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    import base64

    out = base.SHOTS / "trees-print.pdf"
    out.write_bytes(base64.b64decode(pdf["data"]))
    assert out.read_bytes().startswith(b"%PDF")
    hidden = {k: v for k, v in state.items() if k.startswith(".") and v}
    assert hidden == {}, f"shown in print: {hidden}"
    # Every step of every branch is written out, each label whole and inside the page.
    texts = [s["text"] for s in state["steps"]]
    for step in (
        "Le service répond-il ?",
        "Relancer le service (voir la procédure).",
        "Purger les anciennes sauvegardes (sauvegarde).",
        "Appeler l'astreinte avec l'heure du premier échec.",
    ):
        assert step in texts, texts
    long = next(s for s in state["steps"] if LONG_LABEL in s["text"])
    assert long["text"].endswith("contrairement au schéma.")
    assert all(s["height"] > 0 and s["right"] <= state["right"] + 1 for s in state["steps"])
    assert state["clipped"] == 0
    # Answers are nested under their question, the contact under the escalation.
    assert state["nested"] == "Oui, mais lentement"
    assert "Contact : astreinte OC Pizza" in state["treeText"]
    # A leaf's command is on the paper, with the values filled in.
    assert "systemctl restart oc-pizza" in state["treeText"]
    assert "mysqldump --single-transaction oc_pizza" in state["treeText"]


# --------------------------------------------------------------------------- no JavaScript


@pytest.fixture(scope="module")
def nojs_driver() -> Iterator[Any]:
    """A headless Chromium in which pages run no JavaScript (the browser's own setting)."""
    import shutil
    import tempfile

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    base._require_browser()
    profile = tempfile.mkdtemp(prefix="rbd-chromium-nojs-")
    options = webdriver.ChromeOptions()
    options.binary_location = base.CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
        "--lang=fr-FR",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    browser = webdriver.Chrome(options=options, service=Service(executable_path=base.CHROMEDRIVER))
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def test_without_javascript_the_tree_is_text_and_commands_show_defaults(
    nojs_driver: Any, tree_url: str
) -> None:
    from selenium.webdriver.common.by import By

    d = nojs_driver
    d.get(tree_url + INCIDENT_PAGE + "?step=commande--purger#commande--purger")
    base.wait(d, lambda x: x.find_element(By.CSS_SELECTOR, "article").text)
    # The page's scripts did not run (the theme's nor ours).
    html_class = d.find_element(By.TAG_NAME, "html").get_attribute("class")
    assert "rb-js" not in html_class and "no-js" in html_class
    article = d.find_element(By.CSS_SELECTOR, "article").text
    # The tree reads as nested text, every branch open; no Mermaid source, no walker.
    static = d.find_element(By.CSS_SELECTOR, ".rb-tree__static")
    assert static.get_attribute("open") is not None and static.is_displayed()
    for step in ("Le service répond-il ?", LONG_LABEL, "Purger les anciennes sauvegardes"):
        assert step in static.text
    assert "Contact : astreinte OC Pizza, 01 23 45 67 89" in static.text
    assert "systemctl restart oc-pizza" in static.text  # a leaf's command, values filled in
    assert "flowchart" not in article and "-->" not in article
    assert not d.find_element(By.CSS_SELECTOR, ".rb-tree__overview").is_displayed()
    assert not d.find_element(By.CSS_SELECTOR, ".rb-tree__walker").is_displayed()
    # The shared address lands on its step in the text version.
    target = d.find_element(By.CSS_SELECTOR, "#commande--purger")
    top = (
        target.rect["y"]
        - d.execute_cdp_cmd(
            "Runtime.evaluate", {"expression": "window.scrollY", "returnByValue": True}
        )["result"]["value"]
    )
    assert 0 <= top < 1000
    # The variables form shows the defaults as text, the commands use them; nothing offered
    # that needs a script.
    field = d.find_element(By.CSS_SELECTOR, "input[data-rb-input='service']")
    assert field.get_attribute("value") == "oc-pizza" and field.get_attribute("readonly")
    assert not d.find_element(By.CSS_SELECTOR, ".rb-vars__reset").is_displayed()
    assert not d.find_element(By.CSS_SELECTOR, ".rb-print").is_displayed()
    code = d.find_element(By.CSS_SELECTOR, "#relancer-service pre").text
    assert code.strip() == "systemctl restart oc-pizza"
    assert "{{" not in article
    shot(d, "trees-no-javascript")
    shot(d, "trees-no-javascript-tree", static)
