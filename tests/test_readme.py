"""The README keeps its promises: two commands first, and the team's path the tests walk."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_it_starts_with_exactly_two_commands() -> None:
    first = re.search(r"```bash\n(.*?)```", README, re.S)
    assert first is not None and README.index("```bash") < README.index("\n## ")
    commands = [ln.split("#")[0].strip() for ln in first.group(1).splitlines() if ln.strip()]
    assert commands == ["bash scripts/knowledge-base.sh", "bash scripts/test.sh"]
    for command in commands:
        assert (ROOT / command.split()[1]).is_file()


def test_the_site_config_it_shows_is_the_one_the_tests_build() -> None:
    shown = re.search(r"```yaml\n(site_name: Our runbooks\n.*?)```", README, re.S)
    assert shown is not None
    minimal = (ROOT / "tests" / "samples" / "site" / "minimal" / "mkdocs.yml").read_text("utf-8")
    assert shown.group(1) == minimal
    wheel_test = (ROOT / "tests" / "test_wheel.py").read_text(encoding="utf-8")
    assert "site_name: Our runbooks\\ntheme:\\n  name: material\\nplugins:\\n  - search\\n" in (
        wheel_test
    )


def test_the_test_command_installs_the_browser_checks_tools() -> None:
    """The README's test command installs the axe-core version the browser tests load (CI runs
    them, never skips them)."""
    from tests.site_browser import AXE_VERSION

    prepare = (ROOT / "scripts" / "prepare.sh").read_text(encoding="utf-8")
    assert f"axe-core@{AXE_VERSION}" in prepare
