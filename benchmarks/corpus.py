"""Generate a realistic, deterministic runbook corpus for the benchmarks.

Each page is about 5 KB with about 9 blocks, like the pages of a real operations manual: front
matter with runbook settings and variables, a hidden set-up block, content tabs and admonitions
holding blocks (the places a naive Markdown walk misses), shell and console blocks, JSON (some
with a schema), YAML and INI configuration written with `file=`, SQL with an expected result,
an include (`--8<--`) of a shared snippet, links to other pages' blocks, and now and then a
decision tree. Shell blocks differ from page to page (as real commands do, so that caches
keyed by content do not flatter the figures), except the included snippets. The corpus
passes `runbookdocs check` without errors, so the benchmark measures the checks doing their
full work, not an early exit.

The same seed and page count always give the same bytes.

Usage:
    python benchmarks/corpus.py OUT [--pages 1000] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

SERVICES = [
    ("nginx", "serveur web frontal", 80),
    ("mariadb", "base de données de l'application", 3306),
    ("postgresql", "base de données des statistiques", 5432),
    ("redis", "cache des sessions", 6379),
    ("rabbitmq-server", "file de messages des commandes", 5672),
    ("haproxy", "répartiteur de charge", 8404),
    ("gunicorn", "serveur d'application Python", 8000),
    ("rsyslog", "collecte des journaux", 514),
    ("cron", "tâches planifiées", 0),
    ("chrony", "synchronisation de l'heure", 323),
    ("postfix", "relais de courrier", 25),
    ("memcached", "cache applicatif", 11211),
]
SYSTEMS = ["OC Pizza", "Publik", "Canopsis", "VTOM", "Portail RH", "Facturation", "GED", "Paie"]
TEAMS = ["équipe exploitation", "équipe réseau", "équipe bases de données", "astreinte N2"]
ACTIONS = [
    "Redémarrer",
    "Vérifier",
    "Sauvegarder",
    "Restaurer",
    "Purger les journaux de",
    "Mettre à jour",
    "Diagnostiquer",
    "Basculer",
    "Surveiller",
    "Configurer",
]
SENTENCES = [
    "Cette procédure est jouée par l'astreinte quand la supervision lève une alerte critique.",
    "Prévenir le responsable applicatif avant toute intervention en heures ouvrées.",
    "Les commandes ci-dessous sont idempotentes : les rejouer ne change rien au résultat.",
    "En cas de doute, s'arrêter et escalader plutôt que de forcer une étape qui échoue.",
    "Le fichier de configuration est relu au démarrage ; un rechargement suffit sinon.",
    "Noter l'heure de début et de fin de l'intervention dans le cahier d'exploitation.",
    "La vérification doit montrer le service actif et à l'écoute sur son port habituel.",
    "Les journaux des sept derniers jours sont conservés ; les plus anciens sont compressés.",
    "Cette étape dure moins d'une minute sur un serveur de production chargé.",
    "Si la sortie diffère de celle attendue, consulter l'arbre de dépannage en fin de page.",
    "Les valeurs entre accolades sont remplacées par les variables de la page.",
    "Un instantané de la machine virtuelle est recommandé avant une mise à jour majeure.",
    "Le service dépend du réseau interne ; vérifier d'abord la résolution des noms.",
    "L'opération est réversible tant que l'ancienne configuration est conservée.",
]
SNIPPETS = 12
SECTIONS = 20


@dataclass(frozen=True)
class PageSpec:
    """Where a page lives; its content is drawn from the page's own random stream."""

    index: int
    section: int

    @property
    def rel(self) -> str:
        return f"section-{self.section:02d}/page-{self.index:05d}.md"


def _prose(rng: random.Random, n: int) -> str:
    return " ".join(rng.sample(SENTENCES, n))


def _hosts(rng: random.Random, service: str, port: int) -> str:
    rows = []
    for env in ("production", "recette", "formation"):
        for n in range(1, rng.randint(2, 3) + 1):
            rows.append(f"| {service}-{env[:4]}-{n:02d}.interne | {service} | {port} | {env} |")
    return "\n".join(rows)


def _link(rng: random.Random, page: PageSpec, pages: list[PageSpec]) -> str:
    other = pages[rng.randrange(len(pages))]
    anchor = rng.choice(["etat", "config-json", "config-yaml", "requete", "verifier"])
    rel = f"{other.rel.split('/', 1)[1]}" if other.section == page.section else f"../{other.rel}"
    return f"[{rng.choice(ACTIONS).lower()} (page {other.index})]({rel}#{anchor})"


def render_page(page: PageSpec, pages: list[PageSpec], seed: int) -> str:
    """The Markdown text of one page."""
    rng = random.Random(f"{seed}:{page.index}")
    service, role, port = rng.choice(SERVICES)
    port = port or 8080
    action = rng.choice(ACTIONS)
    sql_target = rng.choice(["mysql", "postgres"])
    system = rng.choice(SYSTEMS)
    schema = " schema=service" if page.index % 3 == 0 else ""
    workers = rng.randint(2, 16)
    retention = rng.choice([7, 14, 30])
    snippet = f"commun/verifier-{rng.randrange(SNIPPETS):02d}.sh"
    tree = ""
    if page.index % 10 == 0:
        tree = f"""
## Dépannage

```decision-tree {{#depannage}}
title: Le service {service} ne répond pas
start: actif
nodes:
  actif:
    question: Le service est-il actif ?
    check: "#etat"
    answers:
      - label: Oui
        next: port
      - label: Non
        next: demarrer
  demarrer:
    action: Démarrer le service puis revenir à la question.
    next: actif
    max_visits: 2
  port:
    question: Le port {port} est-il à l'écoute ?
    answers:
      - label: Oui
        next: fin
      - label: Non
        next: escalade
  fin:
    solution: Le service fonctionne ; vérifier le réseau côté client.
  escalade:
    escalate: Appeler l'astreinte N2 avec la sortie des commandes ci-dessus.
```
"""
    return f"""---
title: "{action} {service} ({system}, fiche {page.index})"
tags: [{service}, {system.lower().replace(" ", "-")}]
runbook:
  target: debian
  owner: {rng.choice(TEAMS)}
  reviewed: 2026-{rng.randint(1, 9):02d}-{rng.randint(1, 28):02d}
  system: {system}
  timeout: {rng.choice([60, 120, 300])}
  variables:
    service: {service}
    workers: "{workers}"
    retention: "{retention}"
---

# {action} {service}

Le service **{service}** est le {role} du système {system}. {_prose(rng, 4)}

Étapes :

1. {_prose(rng, 1)}
2. {_prose(rng, 1)}
3. {_prose(rng, 1)}

Voir aussi {_link(rng, page, pages)} et {_link(rng, page, pages)}.

| serveur | rôle | port | environnement |
| --- | --- | --- | --- |
{_hosts(rng, service, port)}

## Préparation

{_prose(rng, 3)}

```bash {{#preparation hidden=true}}
mkdir -p /srv/{service}/conf /var/log/{service}
touch /var/log/{service}/intervention-{page.index}.log
```

## Vérifier l'état

{_prose(rng, 3)}

=== "Debian"

    ```bash {{#etat}}
    systemctl is-enabled "{{{{ service }}}}" || true
    ls -ld /srv/{service}/conf /var/log/{service}/intervention-{page.index}.log
    echo "workers attendus : {{{{ workers }}}}"
    ```

=== "Conteneur"

    ```console {{#verifier}}
    $ echo "{{{{ service }}}} ok"
    {service} ok
    $ ls /srv/{service}  # fiche {page.index}
    conf
    ```

!!! warning "Avant de continuer"
    {_prose(rng, 1)}

    ```bash {{#controle-disque}}
    --8<-- "{snippet}"
    ```

## Écrire la configuration

{_prose(rng, 2)}

```json {{#config-json file=/srv/{service}/conf/service.json{schema}}}
{{
  "name": "{service}",
  "port": {port},
  "workers": {workers},
  "log": {{"level": "{rng.choice(["info", "warning", "debug"])}", "retention_days": {retention}}},
  "features": ["{rng.choice(["metrics", "tls", "audit"])}", "healthcheck"]
}}
```

```yaml {{#config-yaml file=/srv/{service}/conf/service.yaml}}
service:
  name: {service}
  port: {port}
  workers: {workers}
journaux:
  niveau: {rng.choice(["info", "warning"])}
  retention_jours: {retention}
  destinations:
    - fichier
    - syslog
```

```ini {{#config-ini file=/srv/{service}/conf/service.ini mode=0644}}
[service]
name = {service}
port = {port}

[journaux]
niveau = info
retention = {retention}
```

{_prose(rng, 2)}

## Interroger la base

```sql {{#requete target={sql_target}}}
SELECT {port} AS port, '{service}' AS service;
-- expect:
-- port\tservice
-- {port}\t{service}
```

## Contrôle final

{_prose(rng, 3)}

```console {{#controle-final}}
$ cat /var/log/{service}/intervention-{page.index}.log
$ printf '%s\\n' "fin {{{{ service }}}}" "durée : {{{{ retention }}}} s"
fin {service}
durée : [0-9]+ s (re)
```
{tree}
{_prose(rng, 2)} Pour aller plus loin : {_link(rng, page, pages)}.
"""


SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Configuration d'un service",
    "type": "object",
    "required": ["name", "port"],
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "workers": {"type": "integer", "minimum": 1},
        "log": {"type": "object"},
        "features": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": False,
}


def _snippet(i: int) -> str:
    return (
        f"# Contrôle commun n° {i}\n"
        f"df -h / | tail -n 1\n"
        f"test \"$(df --output=pcent / | tail -n 1 | tr -dc '0-9')\" -lt {80 + i % 15}\n"
    )


def generate(out: Path, pages: int, *, seed: int = 1) -> Path:
    """Write a corpus of `pages` pages under `out` (a project: docs/, snippets/, schemas/).

    Returns:
        `out`, whose `runbookdocs.toml` makes it the project root.
    """
    out.mkdir(parents=True, exist_ok=True)
    (out / "runbookdocs.toml").write_text(
        "# Generated by benchmarks/corpus.py\n"
        'docs_dir = "docs"\nsnippets_dir = "snippets"\nschemas_dir = "schemas"\n'
        "# A fixed review date must not turn into warnings as time passes.\n"
        "review_interval_days = 100000\n",
        encoding="utf-8",
    )
    (out / "schemas").mkdir(exist_ok=True)
    (out / "schemas" / "service.json").write_text(
        json.dumps(SCHEMA, indent=2) + "\n", encoding="utf-8"
    )
    (out / "snippets" / "commun").mkdir(parents=True, exist_ok=True)
    for i in range(SNIPPETS):
        (out / "snippets" / "commun" / f"verifier-{i:02d}.sh").write_text(
            _snippet(i), encoding="utf-8"
        )
    specs = [PageSpec(i, i % SECTIONS) for i in range(pages)]
    for spec in specs:
        f = out / "docs" / spec.rel
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(render_page(spec, specs, seed), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="directory to create (a runbookdocs project)")
    parser.add_argument("--pages", type=int, default=1000, help="number of pages (1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    args = parser.parse_args(argv)
    generate(args.out, args.pages, seed=args.seed)
    files = list((args.out / "docs").rglob("*.md"))
    size = sum(f.stat().st_size for f in files)
    print(
        f"{len(files)} pages, {size / 1e6:.1f} MB ({size / max(len(files), 1) / 1e3:.1f} KB "
        f"per page) in {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
