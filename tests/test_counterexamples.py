"""What marks a block as a mistake shown on purpose (`runbookdocs.extract.counterexamples`)."""

from __future__ import annotations

import pytest

from runbookdocs.extract.counterexamples import counter_example, may_show_one

FENCE = "```yaml"


@pytest.mark.parametrize(
    "before",
    [
        "Bad example:",
        "**Wrong:**",
        "❌ Incorrect",
        "For instance, this won't work:",
        "For example, this will not work:",
        "Here’s an example of some things not to do:",
        "The following configuration is invalid:",
        "Common mistakes to avoid:",
        "Mauvais exemple :",
        "Ceci ne fonctionne pas :",
        "À éviter :",
        "### Bad example",
        "#### What not to do",
        "> In short, don't do this:",
        "Rendered, the result will not be what we expect:",
        "A single space is enough: we could break the list above by doing this:",
    ],
)
def test_marked(before: str) -> None:
    mark = counter_example([before, "", FENCE], 2, [])
    assert mark is not None
    # Kept without the colon that introduces the block: badges and lessons quote it.
    assert not mark.endswith((":", " ", "\u00a0", "\u202f")), mark
    # The page-wide test made first never rules out a page that shows one, however the
    # mark is wrapped or emphasised.
    for page in (before, before.replace(" ", "\n"), before.replace(" ", " **", 1) + "**"):
        assert may_show_one(f"# Page\n\n{page}\n\n{FENCE}\nx: 1\n```\n"), page


def test_a_page_without_a_mark_is_ruled_out_at_once() -> None:
    page = "# Deploy\n\nCopy the file, then restart it:\n\n```bash\nsystemctl restart x\n```\n"
    assert not may_show_one(page)
    assert may_show_one(page + "\n```bash\n# Don't do this!\nrm -rf /\n```\n")


@pytest.mark.parametrize(
    "before",
    [
        "If the output is wrong, run:",
        "To avoid downtime, run:",
        "If the password is invalid:",
        "Si la sortie est incorrecte, lancez :",
        "Do not do this in production:",
        "This doesn't work on macOS, so use:",
        "Wrong permissions break the service. Fix them:",
        "Good example:",
        "## Invalid configuration",
        "## Avoid downtime",
        "If the result would not be what you want, run:",
        "Add a line break after each item by doing this:",
        "You can fix the list above by doing this:",
        "Bad example:\n\n```yaml\nx: 1\n```",  # the caption of the block before
    ],
)
def test_not_marked(before: str) -> None:
    lines = [*before.split("\n"), "", FENCE]
    assert counter_example(lines, len(lines) - 1, []) is None


def test_titles_and_comments() -> None:
    assert counter_example(['!!! failure "Wrong"', "", "    " + FENCE], 2, [])
    assert counter_example(['=== "Incorrect"', "", "    " + FENCE], 2, [])
    assert counter_example(["!!! danger", "", "    " + FENCE], 2, []) is None
    assert counter_example(['!!! failure "Wrong"', "", FENCE], 2, []) is None  # not inside it
    assert counter_example(["Text:", FENCE], 1, ["a: 1", "# ❌ Wrong - same key"])
    assert counter_example(["Text:", FENCE], 1, ["# Don't do this. It won't work!"])
    assert counter_example(["Text:", FENCE], 1, ["# This doesn't work on macOS"]) is None
    assert counter_example(["Text:", FENCE], 1, ["# wrong values are ignored"]) is None
    # A directive or comment between the caption and the block is not read.
    assert counter_example(["Bad example:", "<!-- note -->", FENCE], 2, [], {1})
