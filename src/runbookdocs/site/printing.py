"""A runbook on paper and without JavaScript: the "print this runbook" button.

Disaster-recovery pages must be readable when nothing else works. The styles live in
`assets/runbookdocs.css` (sections "print" and "print and no JavaScript"): printed, a page
drops the site's navigation, badges and buttons, and its decision trees print as their nested
text version with every branch expanded. Without JavaScript (the script marks `<html>` with
`rb-js` when it runs), what needs it is hidden (`rb-needs-js`: this button, the trees' walker
and Mermaid source), the variables form is read-only with the defaults, and commands show the
variables' values (`fences.py` writes them; the form's script changes them).
"""

from __future__ import annotations

import html

from runbookdocs.i18n import Catalog

TEXTS = Catalog(
    "site.printing",
    {
        "print": {"en": "Print this runbook", "fr": "Imprimer ce runbook"},
        "print-title": {
            "en": "A clean page: every branch of the decision trees written out, without the "
            "site's navigation and buttons",
            "fr": "Une page nette : toutes les branches des arbres de décision écrites, sans la "
            "navigation ni les boutons du site",
        },
    },
)

PRINTER = "\N{PRINTER}\N{VARIATION SELECTOR-15}"


def print_button(lang: str) -> str:
    """The "print this runbook" button (the script prints; hidden without JavaScript)."""
    t = TEXTS.for_language(lang)
    return (
        '<p class="rb-print-bar rb-needs-js" data-search-exclude>'
        f'<button type="button" class="md-button rb-print" title="{html.escape(t("print-title"))}">'
        f'<span aria-hidden="true">{PRINTER}</span> {html.escape(t("print"))}</button></p>'
    )
