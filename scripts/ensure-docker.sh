#!/usr/bin/env bash
# Make Docker usable for runbookdocs, or say exactly what to do.
#   - installs docker.io and debootstrap with apt when they are missing (root on Debian);
#   - starts dockerd when it is not running (systemd when it runs, else dockerd in the
#     background, logging to /var/log/dockerd.log) and waits until it answers.
# Exit 0 when `docker info` works, 2 otherwise (with a Hint line). Used by CI and the README.
set -euo pipefail

say() { echo "==> $*"; }
fail() {
    echo "runbookdocs: $1" >&2
    echo "    Hint: $2" >&2
    exit 2
}

is_root() { [[ $(id -u) -eq 0 ]]; }

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)  # the client alone is not enough
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
if (( ${#missing[@]} )); then
    if is_root && command -v apt-get >/dev/null 2>&1; then
        say "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        fail "missing system packages: ${missing[*]}" \
             "sudo apt-get install -y ${missing[*]}  (then: sudo $0)"
    fi
fi

if docker info >/dev/null 2>&1; then
    say "docker: running ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
    exit 0
fi

if ! is_root; then
    if [[ -S /var/run/docker.sock ]]; then
        fail "the Docker daemon runs but this user ($(id -un)) may not use it" \
             "sudo usermod -aG docker $(id -un), then log in again (or run as root)"
    fi
    fail "the Docker daemon is not running" "sudo $0   (or: sudo systemctl start docker)"
fi

if command -v systemctl >/dev/null 2>&1 && [[ -d /run/systemd/system ]]; then
    say "starting docker with systemctl"
    systemctl start docker || true
else
    say "starting dockerd in the background (log: /var/log/dockerd.log)"
    nohup dockerd >/var/log/dockerd.log 2>&1 &
fi

for _ in $(seq 1 120); do
    if docker info >/dev/null 2>&1; then
        say "docker: running ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
        exit 0
    fi
    sleep 0.5
done
tail -n 15 /var/log/dockerd.log >&2 2>/dev/null || true
fail "dockerd did not answer within 60 s" \
     "read /var/log/dockerd.log; in a container, dockerd needs --privileged"
