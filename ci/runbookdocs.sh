#!/usr/bin/env bash
# The command step of the GitHub Action (action.yml): inputs arrive as RBD_* environment
# variables (never spliced into the script, so no input can inject shell), the exit status is
# written to $GITHUB_OUTPUT and returned.
set -uo pipefail

read -r -a paths <<< "${RBD_PATHS:-}"
read -r -a extra <<< "${RBD_ARGS:-}"
report=${RBD_REPORT:-build/runbookdocs-report.json}
junit=${RBD_JUNIT:-}
args=()
case "${RBD_COMMAND:-check}" in
    check)
        args=(check "${paths[@]}" --report "$report")
        [[ -n "$junit" ]] && args+=(--junit "$junit")
        ;;
    run)
        args=(run "${paths[@]}" --report "$report" --jobs "${RBD_JOBS:-2}")
        [[ -n "$junit" ]] && args+=(--junit "$junit")
        [[ -n "${RBD_IMAGES:-}" ]] && args+=(--images "$RBD_IMAGES")
        [[ -n "${RBD_SHARD:-}" ]] && args+=(--shard "$RBD_SHARD")
        [[ "${RBD_GENERATE_SECRETS:-false}" == true ]] && args+=(--generate-secrets)
        ;;
    merge)
        shopt -s nullglob
        # shellcheck disable=SC2206  # the glob is the input's meaning
        inputs=(${RBD_REPORTS:-build/reports/*.json})
        if (( ${#inputs[@]} == 0 )); then
            echo "::error::no report matches '${RBD_REPORTS:-}': did the shards upload them?"
            echo "exit-code=2" >> "${GITHUB_OUTPUT:-/dev/null}"
            exit 2
        fi
        args=(report merge "${inputs[@]}" -o "$report")
        [[ "${RBD_REPLACE:-false}" == true ]] && args+=(--replace)
        [[ "${RBD_EXIT_STATUS:-true}" == true ]] && args+=(--exit-status)
        ;;
    *)
        echo "::error::command '${RBD_COMMAND}': use check, run or merge"
        echo "exit-code=2" >> "${GITHUB_OUTPUT:-/dev/null}"
        exit 2
        ;;
esac
args+=("${extra[@]}")
mkdir -p "$(dirname "$report")"
[[ -n "$junit" ]] && mkdir -p "$(dirname "$junit")"
echo "runbookdocs ${args[*]}"
runbookdocs "${args[@]}"
status=$?
echo "exit-code=$status" >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$status"
