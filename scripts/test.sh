#!/usr/bin/env bash
# Set up, install the system packages the tests use (Debian's chromium and postgresql), then run
# every check: ruff lint, ruff format, mypy (models/ and optimizer/), and all tests (slow and
# browser ones included).
# Extra arguments go to pytest (e.g. bash scripts/test.sh -k data_page). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh

SYSTEM_PACKAGES=(chromium postgresql)
missing=()
for package in "${SYSTEM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if ((${#missing[@]})); then
    sudo=()
    if [[ "$(id -u)" -ne 0 ]]; then
        sudo=(sudo)
    fi
    echo "test: installing Debian packages: ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
else
    echo "test: Debian packages present: ${SYSTEM_PACKAGES[*]}"
fi

failed=()
run() {
    echo "test: $*"
    if ! "$@"; then
        failed+=("$*")
    fi
}
run .venv/bin/ruff check .
run .venv/bin/ruff format --check .
run .venv/bin/mypy
run .venv/bin/pytest "$@"

if ((${#failed[@]})); then
    echo "test: FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "test: all checks passed"
