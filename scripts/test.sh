#!/usr/bin/env bash
# The test suite, from a fresh machine: dependencies, Docker, images, then pytest.
set -euo pipefail
# shellcheck source=scripts/prepare.sh
source "$(dirname "$0")/prepare.sh" --dev

echo "==> python -m pytest $*"
python -m pytest "$@"
