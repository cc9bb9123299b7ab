"""Decision-tree leaves (issue #17): a leaf's command block with its badge, the escalation
contact from the front matter, and links in steps that must exist (`RBD603`) for `check`, for
`mkdocs build --strict` and for Zensical. Browser tests: tests/test_site_trees_browser.py."""

from __future__ import annotations

import html as htmllib
import json
import re
import subprocess
import sys
from pathlib import Path

from tests.test_site_build import (
    PAGE,
    STANDARD_OUTCOMES,
    block_lines,
    build_site,
    make_site,
    page_html,
    text_of,
)
from tests.test_site_zensical import cli, zensical_build

INCIDENT = "docs/ocpizza/incident.md"
INCIDENT_TEXT = """
---
title: Incident de commande
runbook:
  target: debian
  owner: équipe exploitation
  escalation: "astreinte OC Pizza, 01 23 45 67 89"
  reviewed: 2026-11-01
  variables:
    service: oc-pizza
---
# Incident de commande

## Relancer le service {#relancer}

```bash {#relancer-service}
systemctl restart {{ service }}
```

## Diagnostic

Si les sauvegardes remplissent le disque : [les purger](#commande--purger).

```decision-tree {#commande}
title: Les commandes ne passent plus
start: service
nodes:
  service:
    question: Le service répond-il ?
    answers:
      - label: Non
        next: relancer
      - label: Oui, mais lentement
        next: disque
      - label: Oui
        next: astreinte
  relancer:
    solution: Relancer le service (voir [la procédure](#relancer)).
    check: "#relancer-service"
  disque:
    question: >-
      Le disque de la base est-il plein ? Ce libellé est volontairement très long pour vérifier
      qu'à l'impression et sans JavaScript aucun texte n'est coupé, contrairement au schéma.
    help: En cas de doute, [appeler l'astreinte](#commande--astreinte).
    answers:
      - label: Oui
        next: purger
      - label: Non
        next: astreinte
  purger:
    solution: Purger les anciennes sauvegardes ([sauvegarde](sauvegarde.md#sauvegarder)).
    check: "sauvegarde.md#sauvegarder"
  astreinte:
    escalate: Appeler l'astreinte avec l'heure du premier échec.
```
"""


def tree_project(tmp: Path, incident: str = INCIDENT_TEXT) -> Path:
    """The fixture site plus the incident page, with a report verifying blocks of both."""
    project = make_site(tmp, {INCIDENT: incident})
    results = []
    for page, outcomes in (
        (PAGE, STANDARD_OUTCOMES),
        (INCIDENT, {"relancer-service": ("passed", 0.2, "")}),
    ):
        lines = block_lines(project, page)
        results += [
            {
                "path": page,
                "line": lines[bid],
                "id": bid,
                "kind": "shell",
                "target": "debian",
                "stage": "run",
                "outcome": outcome,
                "severity": None,
                "message": message,
                "duration_s": duration,
                "started_at": "2026-11-30T20:00:00+00:00",
            }
            for bid, (outcome, duration, message) in outcomes.items()
            if bid in lines
        ]
    (project / "runbookdocs-report.json").write_text(
        json.dumps({"version": 2, "summary": {}, "results": results}), encoding="utf-8"
    )
    return project


def broken(text: str = INCIDENT_TEXT) -> str:
    return text.replace("(voir [la procédure](#relancer))", "(voir [la procédure](#relance))")


def _line_col(text: str, needle: str) -> tuple[int, int]:
    body = text.lstrip("\n")
    for number, line in enumerate(body.splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


# --------------------------------------------------------------------------- check


def test_a_broken_link_in_a_leaf_is_a_located_check_finding(tmp_path: Path) -> None:
    project = tree_project(tmp_path, broken())
    proc = cli(project, "check", "--no-cache", INCIDENT)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    line, col = _line_col(broken(), "#relance)")
    expected = (
        f"{INCIDENT}:{line}:{col}: error: node 'relancer': link to '#relance': no anchor "
        "#relance in this page"
    )
    assert expected in proc.stdout, proc.stdout
    assert "[RBD603]" in proc.stdout
    # A folded (`>-`) help or text is located at its value; a page that does not exist too.
    other = INCIDENT_TEXT.replace("sauvegarde.md#sauvegarder)", "restauration.md)")
    proc = cli(tree_project(tmp_path / "2", other), "check", "--no-cache", INCIDENT)
    assert proc.returncode == 1
    assert re.search(r"node 'purger': link to 'restauration.md'.*\[RBD603\]", proc.stdout)


def test_good_links_and_the_escalation_key_pass_check(tmp_path: Path) -> None:
    # Links to a heading, to a block of another page and to a tree's step (`#TREE--NODE`, from
    # a step and from the prose) resolve; the escalation key is known.
    proc = cli(tree_project(tmp_path), "check", "--no-cache", INCIDENT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "RBD603" not in proc.stdout and "escalation" not in proc.stdout
    assert "0 error(s), 0 warning(s)" in proc.stdout + proc.stderr


def test_an_escalation_with_nobody_to_call_is_a_warning(tmp_path: Path) -> None:
    text = INCIDENT_TEXT.replace('  escalation: "astreinte OC Pizza, 01 23 45 67 89"\n', "")
    text = text.replace("  owner: équipe exploitation\n", "")
    proc = cli(tree_project(tmp_path, text), "check", "--no-cache", INCIDENT)
    line, col = _line_col(text, "Appeler l'astreinte")
    assert (
        f"{INCIDENT}:{line}:{col}: warning: node 'astreinte' escalates, but the page names no "
        "one to call [RBD604]"
    ) in proc.stdout, proc.stdout


def test_the_code_can_be_ignored_like_any_other(tmp_path: Path) -> None:
    text = broken().replace("  reviewed:", "  ignore: [RBD603]\n  reviewed:")
    proc = cli(tree_project(tmp_path, text), "check", "--no-cache", INCIDENT)
    assert proc.returncode == 0, proc.stdout


# --------------------------------------------------------------------------- site builds


def test_a_broken_leaf_link_fails_mkdocs_strict(tmp_path: Path) -> None:
    project = tree_project(tmp_path, broken())
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode != 0
    line, col = _line_col(broken(), "#relance)")
    assert (
        f"{INCIDENT}:{line}:{col}: error: decision tree: step 'relancer': link to '#relance': "
        "no anchor #relance in this page [RBD603]"
    ) in proc.stderr, proc.stderr


def test_a_broken_leaf_link_fails_zensical(tmp_path: Path) -> None:
    project = tree_project(tmp_path, broken())
    prepared = cli(project, "site", "prepare")
    assert prepared.returncode == 0, prepared.stderr
    proc = zensical_build(project, "--strict")
    assert proc.returncode != 0
    assert "RBD603" in proc.stdout + proc.stderr


def test_leaf_command_escalation_contact_and_page_links(tmp_path: Path) -> None:
    site = build_site(tree_project(tmp_path))
    article = page_html(site, "ocpizza/incident/")
    static = article[article.index('class="rb-tree__static') :]
    # The escalation leaf names the page's `escalation`.
    leaf = static[static.index('id="commande--astreinte"') :]
    leaf = leaf[: leaf.index("</li>")]
    assert "Contact : astreinte OC Pizza, 01 23 45 67 89" in text_of(leaf)
    # A leaf carries its command block and that block's verification badge.
    fix = static[static.index('id="commande--relancer"') :]
    fix = fix[: fix.index("</li>")]
    assert 'href="#relancer-service"' in fix
    assert 'data-rb-state="verified"' in fix
    # ... and its text, for paper and readers without JavaScript, with the values filled in.
    assert (
        '<pre class="rb-step__command" data-search-exclude><code>systemctl restart oc-pizza' in fix
    )
    other = static[static.index('id="commande--purger"') :]
    other = other[: other.index("</li>")]
    assert 'data-rb-state="verified"' in other  # a verified block of another page
    # with that page's own variable values
    assert "mysqldump --single-transaction oc_pizza &gt; /srv/backup/oc_pizza-2.5.11.sql" in other
    # Links to other pages in a step's text are the site's URLs, as in the page's own text.
    assert 'href="../sauvegarde/#sauvegarder"' in other
    data = json.loads(htmllib.unescape(re.search(r'data-rb-data="([^"]*)"', article)[1]))
    assert data["contact"] == "astreinte OC Pizza, 01 23 45 67 89"
    assert data["texts"]["contact"] == "Contact : {contact}"


def test_the_owner_is_the_contact_when_there_is_no_escalation_key(tmp_path: Path) -> None:
    text = INCIDENT_TEXT.replace('  escalation: "astreinte OC Pizza, 01 23 45 67 89"\n', "")
    site = build_site(tree_project(tmp_path, text))
    article = page_html(site, "ocpizza/incident/")
    assert "Contact : équipe exploitation" in text_of(article)


# --------------------------------------------------------------------------- print, no JavaScript


def test_print_button_and_no_javascript_markup_under_both_builders(tmp_path: Path) -> None:
    from runbookdocs.site.printing import print_button
    from tests.test_site_zensical import build_with_zensical

    assert "Print this runbook" in print_button("en")
    mkdocs_site = build_site(tree_project(tmp_path / "mkdocs"))
    zensical_site = build_with_zensical(tree_project(tmp_path / "zensical"))
    for site in (mkdocs_site, zensical_site):
        article = page_html(site, "ocpizza/incident/")
        # The button needs the script: marked so, and kept out of the search index.
        assert re.search(
            r'<p class="rb-print-bar rb-needs-js"[^>]*><button[^>]*class="md-button rb-print"',
            article,
        )
        assert "Imprimer ce runbook" in article
        # Commands show the values, the form is read-only until the script runs.
        assert (
            '<span class="rb-var rb-var--filled" data-rb-var="service">oc-pizza</span>' in article
        )
        assert re.search(r'<input [^>]*data-rb-input="service"[^>]* readonly>', article)
        assert "Contact : astreinte OC Pizza" in text_of(article)
    index = (mkdocs_site / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "Imprimer ce runbook" not in index
