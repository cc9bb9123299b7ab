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
echo "==> mkdocs build --strict"
mkdocs build --strict --site-dir site
echo "==> done: site in site/, run report in runbookdocs-report.json"
