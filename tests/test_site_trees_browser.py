"""Decision trees for readers under pressure, in a real Chromium (issue #17).

The step in the address survives Material's `navigation.tracking` and `navigation.instant` (the
fixture site enables both), back and forward move between steps, the page prints as text and
reads without JavaScript. Screenshots go to `artifacts/screenshots/`.
"""

from __future__ import annotations

import time
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
