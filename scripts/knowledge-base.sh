#!/usr/bin/env bash
# The main job: check the knowledge base, run its runbooks in containers, build the site.
set -euo pipefail
# shellcheck source=scripts/prepare.sh
source "$(dirname "$0")/prepare.sh"

echo "==> runbookdocs check"
runbookdocs check --report build/check-report.json
echo "==> runbookdocs run"
# Sandboxes are throwaway: secrets you do not export get random values (never printed).
runbookdocs run --jobs 2 --generate-secrets --report runbookdocs-report.json --junit build/run-junit.xml
# The same site with both builders: Zensical (Material's successor, which runs no MkDocs plugin:
# `site prepare` writes what the plugin would add) into build/site-zensical, then MkDocs into site/.
echo "==> runbookdocs site prepare && zensical build --strict"
runbookdocs site prepare
rm -rf build/site-zensical site
zensical build --strict -f mkdocs.yml
mkdir -p build && mv site build/site-zensical
echo "==> mkdocs build --strict"
mkdocs build --strict --site-dir site
echo "==> done: site in site/ (Zensical's in build/site-zensical/), run report in runbookdocs-report.json"
