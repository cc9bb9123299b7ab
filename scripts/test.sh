#!/usr/bin/env bash
# The test suite, from a fresh machine: dependencies, Docker, images, then pytest.
# With no arguments: the whole suite on two workers, with the project-wide coverage floor.
# With arguments: pytest with those arguments alone (a file, -k, -m ...).
set -euo pipefail
# shellcheck source=scripts/prepare.sh
source "$(dirname "$0")/prepare.sh" --dev

if [ "$#" -eq 0 ]; then
    set -- -n 2 --cov=runbookdocs --cov-report=term:skip-covered --cov-fail-under=88
fi
echo "==> python -m pytest $*"
python -m pytest "$@"
