"""Destructive steps (`danger=`) on the published site, in a real Chromium, MkDocs and Zensical.

A block marked `danger=` shows a badge that says so in words (the site's language), and its copy
button asks first: Cancel (the default, Escape too) leaves the clipboard as it was, "Copy anyway"
copies the command as the theme always does. The clipboard is read for real (Chromium is granted
the clipboard permission); axe checks the badge and the dialog in both colour schemes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.site_browser import axe, scheme
from tests.test_site_browser import (
    _require_browser,
    css,
    driver,  # noqa: F401 - the module's Chromium, a fixture
    served,
    shot,
    wait,
)
from tests.test_site_build import build_site, make_site

pytestmark = pytest.mark.browser

PURGE = "ocpizza/purge/"
PAGES = {
    "docs/ocpizza/purge.md": """
        ---
        title: Purger les commandes
        runbook:
          target: mysql
        ---
        # Purger les commandes

        Compter d'abord :

        ```sql {#compter}
        SELECT count(*) FROM orders;
        ```

        Puis vider la table :

        ```sql {#purger danger="vide la table des commandes"}
        DELETE FROM orders;
        ```

        Et les fichiers :

        ```console {#effacer danger=true}
        $ rm -rf /srv/data
        ```
        """,
}


def _site(tmp: Path, language: str = "fr") -> Path:
    project = make_site(tmp, PAGES)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("language: fr", f"language: {language}"))
    return project


@pytest.fixture(scope="module")
def mkdocs_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    with served(_site(tmp_path_factory.mktemp("danger")), build_site) as url:
        yield url


@pytest.fixture(scope="module")
def zensical_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _require_browser()
    from tests.test_site_zensical import build_with_zensical

    with served(_site(tmp_path_factory.mktemp("danger-z")), build_with_zensical) as url:
        yield url


def _open(browser: Any, url: str) -> None:
    browser.get(url)
    wait(browser, lambda d: d.execute_script("return document.readyState === 'complete'"))
    origin = url.split("/", 3)
    browser.execute_cdp_cmd(
        "Browser.grantPermissions",
        {
            "origin": f"{origin[0]}//{origin[2]}",
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
        },
    )
    # The theme adds its copy buttons after load.
    wait(
        browser,
        lambda d: d.execute_script(
            "return !!document.querySelector('#purger [data-clipboard-target]')"
        ),
    )


def _set_clipboard(browser: Any, text: str) -> None:
    browser.execute_async_script(
        "var done = arguments[1]; navigator.clipboard.writeText(arguments[0]).then("
        "function () { done(true); }, function (e) { done(String(e)); });",
        text,
    )


def _clipboard(browser: Any) -> str:
    return str(
        browser.execute_async_script(
            "var done = arguments[0]; navigator.clipboard.readText().then(done, "
            "function (e) { done('ERROR ' + e); });"
        )
    )


def _copy_button(browser: Any, block_id: str) -> Any:
    button = css(browser, f"#{block_id} [data-clipboard-target]")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    return button


def _dialog_open(browser: Any) -> bool:
    return bool(
        browser.execute_script(
            "var d = document.querySelector('dialog.rb-confirm'); return !!(d && d.open);"
        )
    )


def _focused(browser: Any) -> str:
    return str(browser.execute_script("return document.activeElement.className || ''"))


def _walk_the_confirmation(browser: Any, url: str, name: str) -> None:
    """Cancel by mouse, by Escape, then confirm by keyboard; a plain block copies at once."""
    from selenium.webdriver.common.keys import Keys

    _open(browser, url + PURGE)
    badge = css(browser, "#purger .rb-badge--danger")
    assert badge.get_attribute("textContent") == "destructif : vide la table des commandes"
    assert css(browser, "#effacer .rb-badge--danger").get_attribute("textContent") == "destructif"

    _set_clipboard(browser, "avant")
    _copy_button(browser, "purger").click()
    wait(browser, _dialog_open)
    text = css(browser, "dialog.rb-confirm .rb-confirm__text").get_attribute("textContent")
    assert text == (
        "Cette commande est destructive : vide la table des commandes. La copier quand même ?"
    )
    assert "rb-confirm__no" in _focused(browser)  # the default is not to copy
    shot(browser, f"danger-confirm-{name}")
    css(browser, "dialog.rb-confirm .rb-confirm__no").click()
    wait(browser, lambda d: not _dialog_open(d))
    time.sleep(0.3)
    assert _clipboard(browser) == "avant"
    # Focus went back to the copy button.
    assert browser.execute_script(
        "return !!document.activeElement.closest('#purger') "
        "&& document.activeElement.hasAttribute('data-clipboard-target')"
    )

    # Keyboard only: Enter on the focused copy button opens it, Escape cancels.
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser, _dialog_open)
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(browser, lambda d: not _dialog_open(d))
    time.sleep(0.3)
    assert _clipboard(browser) == "avant"

    # Tab to "Copy anyway", Enter: the theme copies the command.
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser, _dialog_open)
    browser.switch_to.active_element.send_keys(Keys.TAB)
    assert "rb-confirm__yes" in _focused(browser)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    wait(browser, lambda d: _clipboard(d) != "avant")
    assert _clipboard(browser).strip() == "DELETE FROM orders;"
    assert not _dialog_open(browser)

    # A transcript marked danger=true: confirmed, the clipboard holds the command alone.
    _copy_button(browser, "effacer").click()
    wait(browser, _dialog_open)
    assert css(browser, ".rb-confirm__text").get_attribute("textContent") == (
        "Cette commande est destructive. La copier quand même ?"
    )
    css(browser, "dialog.rb-confirm .rb-confirm__yes").click()
    wait(browser, lambda d: _clipboard(d).strip() == "rm -rf /srv/data")

    # A block that is not marked copies without a question.
    _copy_button(browser, "compter").click()
    wait(browser, lambda d: _clipboard(d).strip() == "SELECT count(*) FROM orders;")
    assert not _dialog_open(browser)
    shot(browser, f"danger-badge-{name}", css(browser, "#purger"))


def test_copy_asks_first_mkdocs(driver: Any, mkdocs_url: str) -> None:  # noqa: F811
    _walk_the_confirmation(driver, mkdocs_url, "mkdocs")


def test_copy_asks_first_zensical(driver: Any, zensical_url: str) -> None:  # noqa: F811
    _walk_the_confirmation(driver, zensical_url, "zensical")


@pytest.mark.parametrize("colours", ["default", "slate"])
def test_badge_and_dialog_pass_axe(driver: Any, mkdocs_url: str, colours: str) -> None:  # noqa: F811
    _open(driver, mkdocs_url + PURGE)
    scheme(driver, colours)
    time.sleep(0.4)  # Material's colour transitions
    problems = axe(driver)
    _copy_button(driver, "purger").click()
    wait(driver, _dialog_open)
    time.sleep(0.2)
    problems += [f"(dialog) {p}" for p in axe(driver)]
    shot(driver, f"danger-axe-{colours}")
    css(driver, "dialog.rb-confirm .rb-confirm__no").click()
    assert problems == [], "\n".join(problems)


def test_badge_in_english(tmp_path: Path) -> None:
    site = build_site(_site(tmp_path, "en"))
    page = (site / PURGE / "index.html").read_text(encoding="utf-8")
    assert ">destructive: vide la table des commandes</span>" in page
    assert 'data-rb-danger-ask="This command is destructive: vide la table des commandes. Copy' in (
        page
    )
    assert 'data-rb-danger-yes="Copy anyway"' in page and 'data-rb-danger-no="Cancel"' in page
