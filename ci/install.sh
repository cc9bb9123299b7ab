#!/usr/bin/env bash
# Install runbookdocs for the GitHub Action (action.yml).
#   RBD_VERSION   empty: the action's own checkout (the tag the workflow pinned);
#                 X.Y.Z: from the package index, else from this repository's tag vX.Y.Z
#   RBD_EXTRAS    extras, comma separated (fast, site, zensical)
#   GITHUB_ACTION_PATH, RBD_ACTION_REPOSITORY: set by the runner
set -euo pipefail
extras=${RBD_EXTRAS:+[$RBD_EXTRAS]}
pip() { python -m pip install --disable-pip-version-check --quiet "$@"; }
if [[ -z "${RBD_VERSION:-}" ]]; then
    echo "installing runbookdocs$extras from the action's checkout ($GITHUB_ACTION_PATH)"
    pip "$GITHUB_ACTION_PATH$extras"
elif pip "runbookdocs$extras==$RBD_VERSION"; then
    echo "installed runbookdocs $RBD_VERSION from the package index"
else
    repo=${RBD_ACTION_REPOSITORY:-}
    if [[ -z "$repo" ]]; then
        echo "::error::runbookdocs $RBD_VERSION is not on the package index, and this action" \
            "has no repository to take tag v$RBD_VERSION from (a local action: leave version empty)"
        exit 2
    fi
    echo "runbookdocs $RBD_VERSION is not on the package index: installing tag v$RBD_VERSION of $repo"
    pip "runbookdocs$extras @ git+https://github.com/$repo@v$RBD_VERSION"
fi
runbookdocs --version
