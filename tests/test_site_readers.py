"""The site for readers under pressure, in a real headless Chromium (issue #13).

Each point is driven as a reader meets it: contrast and links checked by axe-core in both
colour schemes, the clipboard read after a click on a transcript's copy button, a destructive
block's confirmation, the tree step in the address bar through the theme's navigation and
scroll tracking, back and forward, print emulation, and the page with JavaScript disabled.
Screenshots of the key states go to `artifacts/screenshots/readers-*.png`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.site_browser import axe, scheme
from tests.test_site_browser import (  # noqa: F401  (fixtures)
    PAGE,
    click,
    css,
    driver,
    open_page,
    served,
    shot,
    site_url,
    step_text,
    wait,
)

pytestmark = pytest.mark.browser

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
