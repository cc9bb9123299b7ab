"""Check that a release tag, the package version and the changelog agree.

    python scripts/release-check.py v0.2.0           # exit 1 with the reason when they do not
    python scripts/release-check.py v0.2.0 --notes   # print the changelog section of the release

Used by .github/workflows/release.yml before anything is built or published.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def package_version() -> str:
    """`__version__` of src/runbookdocs/__init__.py, read without importing the package."""
    tree = ast.parse((ROOT / "src" / "runbookdocs" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise SystemExit("src/runbookdocs/__init__.py has no __version__")


def changelog_section(version: str) -> str | None:
    """The text under `## [VERSION]` in CHANGELOG.md, or None."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    m = re.search(rf"^## \[{re.escape(version)}\][^\n]*\n(.*?)(?=^## \[|\Z)", text, re.M | re.S)
    return m.group(1).strip() if m else None


def main(argv: list[str]) -> int:
    if not argv or not re.fullmatch(r"v\d+\.\d+\.\d+", argv[0]):
        print("usage: release-check.py vX.Y.Z [--notes]", file=sys.stderr)
        return 2
    tag = argv[0]
    version = package_version()
    if tag != f"v{version}":
        print(f"tag {tag} does not match the package version {version}", file=sys.stderr)
        return 1
    notes = changelog_section(version)
    if not notes:
        print(f"CHANGELOG.md has no section '## [{version}]'", file=sys.stderr)
        return 1
    if "--notes" in argv[1:]:
        print(notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
