"""Helpers shared by the browser tests: axe-core, colour schemes, the clipboard.

axe-core comes from the npm registry (`scripts/prepare.sh --dev` installs it into
`.venv/axe-core`); the tests inject it into the page and run its WCAG 2.1 AA rules.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE_VERSION = "4.10.3"
AXE_PLACES = (
    ROOT / ".venv" / "axe-core",
    Path(sys.prefix) / "axe-core",
)


def axe_source() -> str:
    """The text of axe.min.js; skips (fails on CI) when it is not installed."""
    for place in AXE_PLACES:
        path = place / "node_modules" / "axe-core" / "axe.min.js"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    reason = (
        "axe-core is not installed: npm install --prefix .venv/axe-core "
        f"axe-core@{AXE_VERSION} (scripts/prepare.sh --dev does it)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'rule', values: arguments[0]}}).then(function (r) {
  done(r.violations.map(function (v) {
    return {id: v.id, nodes: v.nodes.map(function (n) {
      return n.target.join(' ') + ' | ' + n.any.map(function (a) { return a.message; }).join('; ');
    })};
  }));
}, function (e) { done([{id: 'axe-error', nodes: [String(e)]}]); });
"""


def scheme(driver: Any, name: str) -> None:
    """Switch Material's colour scheme (`default` or `slate`) like its toggle does."""
    driver.execute_script(
        "document.body.setAttribute('data-md-color-scheme', arguments[0]);"
        "try { localStorage.setItem('rb-test-scheme', arguments[0]); } catch (e) {}",
        name,
    )


def axe(
    driver: Any, rules: tuple[str, ...] = ("color-contrast", "link-in-text-block")
) -> list[str]:
    """axe-core's violations of `rules` on the current page, one line per element."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source())
    found = driver.execute_async_script(AXE_RUN, list(rules))
    return [f"{v['id']}: {node}" for v in found for node in v["nodes"]]
