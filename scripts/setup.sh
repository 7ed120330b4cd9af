#!/usr/bin/env bash
# Set up the project: a .venv with Python 3.11 and the project installed editable with its dev tools.
# Safe to run again: an existing .venv is kept, and pip runs only when pyproject.toml has changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV=.venv
STAMP="$VENV/.ntm-installed"

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        if [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null 2>&1 \
            && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "setup: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
    return 1
}

if [[ ! -x "$VENV/bin/python" ]]; then
    python="$(find_python)"
    if ! "$python" -c 'import ensurepip, venv' 2>/dev/null; then
        # Debian ships venv/ensurepip separately (python3-venv); install it when we can.
        if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" -eq 0 ]]; then
            echo "setup: installing Debian's python3-venv"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q
            apt-get install -y -q python3-venv
        else
            echo "setup: '$python -m venv' is unavailable; install python3-venv" >&2
            exit 1
        fi
    fi
    echo "setup: creating $VENV with $("$python" --version)"
    "$python" -m venv "$VENV"
fi

fingerprint="$( (cat pyproject.toml; "$VENV/bin/python" --version) | sha256sum | cut -d' ' -f1)"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$fingerprint" ]] \
    && "$VENV/bin/python" -c 'import models, ui, streamlit, pytest' 2>/dev/null; then
    echo "setup: $VENV is up to date"
    exit 0
fi

echo "setup: installing the project and its dev tools into $VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e ".[dev]"
echo "$fingerprint" >"$STAMP"
echo "setup: done"
