"""`runbookdocs new PATH`: a new runbook page with an example of every block kind.

The page is written in the project's language (English or French: `--lang`, else
`i18n.project_language`): its prose, headings, comments and examples; block ids stay ASCII. In
either language it passes `runbookdocs check` as written and its examples run
(`runbookdocs run --generate-secrets`): authors start from something that works and replace the
examples, instead of starting from a blank page and learning the format from error messages.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from runbookdocs.i18n import DEFAULT, Catalog

_PAGE_EN = """\
---
title: {title_yaml}
tags: [runbook]
runbook:
  target: {target}
  owner: {owner_yaml}
  reviewed: {today}
  timeout: 120
  variables:
    directory: /srv/example
  secrets:
    API_TOKEN: token of the service's API (never written in the page)
---

# {title}

!!! info "Template"
    Page created by `runbookdocs new`: each example below shows one kind of block.
    Replace them with the real steps, then check the page with
    `runbookdocs check {path}` and run it with
    `runbookdocs run --generate-secrets {path}`.

This procedure runs on the `{target}` target. The blocks run in order, in one shell: a `cd` or
an `export` still holds for the blocks after it.

<!-- Set-up, not shown on the site: it runs before the steps. -->
```bash {{#prepare hidden=true}}
mkdir -p "{{{{ directory }}}}"
```

## Check the system

A shell command: it passes when its exit status is 0 (`expect=N` for another status).

```bash {{#state title="Check the directory"}}
ls -ld "{{{{ directory }}}}"
```

A console session: the output shown is compared with the real output. `...` stands for any
number of lines, a line ending in ` (re)` is a regular expression.

```console {{#check-echo}}
$ echo "hello"
hello
$ date +%Y
[0-9]{{4}} (re)
```

A secret is declared under `runbook.secrets` with a description, never a value: it comes from
the environment variable of the same name (`--generate-secrets` gives a missing one a throwaway
value) and is masked (`***`) in every output and report. Here it is written to a file only its
owner can read.

```bash {{#token title="Store the API token"}}
(umask 077 && printf '%s\\n' "{{{{ API_TOKEN }}}}" > "{{{{ directory }}}}/token")
```

## Write the configuration

A configuration block with `file=` is checked, then written into the target before the next
steps.

```json {{#config-json file=/srv/example/service.json}}
{{
  "name": "example",
  "port": 8080,
  "enabled": true
}}
```

```yaml {{#config-yaml file=/srv/example/service.yaml}}
name: example
port: 8080
logs:
  level: info
```

```ini {{#config-ini file=/srv/example/service.ini mode=0644}}
[service]
name = example
port = 8080
```

## Query the database

An SQL query goes through the client of the `{sql_target}` target. The lines after
`-- expect:` give the expected result (a header line, then the values).

```sql {{#query target={sql_target}}}
SELECT 1 AS one;
-- expect:
-- one
-- 1
```

## Troubleshooting

The decision tree guides the reader; each question can point to a block of the page.

```decision-tree {{#troubleshooting}}
title: The configuration file cannot be found
start: directory
nodes:
  directory:
    question: Does the directory exist?
    check: "#state"
    answers:
      - label: "Yes"
        next: file
      - label: "No"
        next: create
  create:
    action: Run the set-up block again.
    next: directory
    max_visits: 2
  file:
    solution: Write the file again with the “config-json” block.
```

## Clean up

A block with `skip="reason"` is checked but never run; the reason is shown to the reader.
`danger="what it destroys"` marks a destructive step: the site asks before copying it, and
`runbookdocs play` before running it.

```bash {{#purge skip="run it by hand once the team agrees" danger="removes the example directory"}}
rm -rf "{{{{ directory }}}}"
```
"""

_PAGE_FR = """\
---
title: {title_yaml}
tags: [runbook]
runbook:
  target: {target}
  owner: {owner_yaml}
  reviewed: {today}
  timeout: 120
  variables:
    repertoire: /srv/exemple
  secrets:
    API_TOKEN: jeton de l'API du service (jamais écrit dans la page)
---

# {title}

!!! info "Modèle"
    Page créée par `runbookdocs new` : chaque exemple ci-dessous montre une sorte de bloc.
    Remplacez-les par les vraies étapes, puis vérifiez la page avec
    `runbookdocs check {path}` et exécutez-la avec
    `runbookdocs run --generate-secrets {path}`.

Cette procédure s'exécute sur la cible `{target}`. Les blocs sont joués dans l'ordre, dans un
même shell : un `cd` ou un `export` reste valable pour les blocs suivants.

<!-- Préparation invisible sur le site : elle est exécutée avant les étapes. -->
```bash {{#preparation hidden=true}}
mkdir -p "{{{{ repertoire }}}}"
```

## Vérifier l'état du système

Une commande shell : elle réussit si son code de retour vaut 0 (`expect=N` pour un autre code).

```bash {{#etat title="Vérifier le répertoire"}}
ls -ld "{{{{ repertoire }}}}"
```

Une session console : la sortie affichée est comparée à la sortie réelle. `...` remplace
un nombre quelconque de lignes, une ligne terminée par ` (re)` est une expression régulière.

```console {{#verifier-echo}}
$ echo "bonjour"
bonjour
$ date +%Y
[0-9]{{4}} (re)
```

Un secret se déclare sous `runbook.secrets` avec une description, jamais une valeur : il vient
de la variable d'environnement du même nom (`--generate-secrets` donne une valeur jetable à un
secret absent) et il est masqué (`***`) dans toutes les sorties et tous les rapports. Ici, il
est écrit dans un fichier que seul son propriétaire peut lire.

```bash {{#jeton title="Déposer le jeton de l'API"}}
(umask 077 && printf '%s\\n' "{{{{ API_TOKEN }}}}" > "{{{{ repertoire }}}}/jeton")
```

## Écrire la configuration

Un bloc de configuration avec `file=` est vérifié, puis écrit dans la cible avant les étapes
suivantes.

```json {{#config-json file=/srv/exemple/service.json}}
{{
  "nom": "exemple",
  "port": 8080,
  "actif": true
}}
```

```yaml {{#config-yaml file=/srv/exemple/service.yaml}}
nom: exemple
port: 8080
journaux:
  niveau: info
```

```ini {{#config-ini file=/srv/exemple/service.ini mode=0644}}
[service]
nom = exemple
port = 8080
```

## Interroger la base de données

Une requête SQL passe par le client de la cible `{sql_target}`. Les lignes après
`-- expect:` donnent le résultat attendu (une ligne d'en-tête, puis les valeurs).

```sql {{#requete target={sql_target}}}
SELECT 1 AS un;
-- expect:
-- un
-- 1
```

## Dépannage

L'arbre de décision guide le lecteur ; chaque question peut renvoyer à un bloc de la page.

```decision-tree {{#depannage}}
title: Le fichier de configuration est introuvable
start: repertoire
nodes:
  repertoire:
    question: Le répertoire existe-t-il ?
    check: "#etat"
    answers:
      - label: Oui
        next: fichier
      - label: Non
        next: creer
  creer:
    action: Rejouer le bloc de préparation.
    next: repertoire
    max_visits: 2
  fichier:
    solution: Réécrire le fichier avec le bloc « config-json ».
```

## Nettoyer

Un bloc `skip="raison"` est vérifié mais jamais exécuté ; la raison est montrée au lecteur.
`danger="ce qui est détruit"` signale une étape destructive : le site demande confirmation avant
de la copier, et `runbookdocs play` avant de l'exécuter.

```bash {{#purge skip="à la main, après accord de l'équipe" danger="supprime le dossier d'exemple"}}
rm -rf "{{{{ repertoire }}}}"
```
"""

TEXTS = Catalog(
    "scaffold",
    {
        # The whole page, one `str.format` template per language (braces of the page doubled):
        # an author reads and edits it as the page it writes.
        "page": {"en": _PAGE_EN, "fr": _PAGE_FR},
        "owner": {"en": "operations team", "fr": "équipe exploitation"},
        "untitled": {"en": "New procedure", "fr": "Nouvelle procédure"},
    },
)


def _yaml_str(text: str) -> str:
    # JSON strings are valid YAML scalars: accents, colons and quotes need no other care.
    return json.dumps(text, ensure_ascii=False)


def title_from_path(path: Path, lang: str = DEFAULT) -> str:
    """A readable title from a file name: `sauvegarde-base.md` -> `Sauvegarde base` (a name
    with no words gives "New procedure" in `lang`)."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or TEXTS.text(lang, "untitled")
    return text[0].upper() + text[1:]


def default_owner(lang: str = DEFAULT) -> str:
    """The owner written when none is given ("operations team" in `lang`)."""
    return TEXTS.text(lang, "owner")


def _has_sql_client(target: str) -> bool:
    from runbookdocs.run.targets import BUILTIN_TARGETS

    spec = BUILTIN_TARGETS.get(target)
    return spec is not None and spec.sql is not None


def render_page(
    path: Path,
    *,
    title: str,
    target: str,
    owner: str,
    lang: str = DEFAULT,
    today: dt.date | None = None,
) -> str:
    """The text of a new runbook page, in `lang` (English when it is not supported)."""
    return TEXTS.text(
        lang,
        "page",
        title=title,
        title_yaml=_yaml_str(title),
        target=target,
        owner_yaml=_yaml_str(owner),
        today=(today or dt.date.today()).isoformat(),
        sql_target=target if _has_sql_client(target) else "postgres",
        path=path.as_posix(),
    )
