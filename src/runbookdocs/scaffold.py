"""`runbookdocs new PATH`: a new runbook page with an example of every block kind.

The page is written in French, like the rest of the knowledge base, and passes
`runbookdocs check` as written: authors start from something that works and replace the
examples, instead of starting from a blank page and learning the format from error messages.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

TEMPLATE = """\
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
---

# {title}

!!! info "Modèle"
    Page créée par `runbookdocs new` : chaque exemple ci-dessous montre une sorte de bloc.
    Remplacez-les par les vraies étapes, puis vérifiez la page avec
    `runbookdocs check {path}` et exécutez-la avec `runbookdocs run {path}`.

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

```bash {{#purge skip="destructif : à lancer à la main après accord de l'équipe"}}
rm -rf "{{{{ repertoire }}}}"
```
"""


def _yaml_str(text: str) -> str:
    # JSON strings are valid YAML scalars: accents, colons and quotes need no other care.
    return json.dumps(text, ensure_ascii=False)


def title_from_path(path: Path) -> str:
    """A readable title from a file name: `sauvegarde-base.md` -> `Sauvegarde base`."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or "Nouvelle procédure"
    return text[0].upper() + text[1:]


def _has_sql_client(target: str) -> bool:
    from runbookdocs.run.targets import BUILTIN_TARGETS

    spec = BUILTIN_TARGETS.get(target)
    return spec is not None and spec.sql is not None


def render_page(
    path: Path, *, title: str, target: str, owner: str, today: dt.date | None = None
) -> str:
    """The text of a new runbook page."""
    return TEMPLATE.format(
        title=title,
        title_yaml=_yaml_str(title),
        target=target,
        owner_yaml=_yaml_str(owner),
        today=(today or dt.date.today()).isoformat(),
        sql_target=target if _has_sql_client(target) else "postgres",
        path=path.as_posix(),
    )
