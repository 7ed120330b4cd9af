#!/usr/bin/env bash
# The solver regression tests against the newest highspy on the registry, in a throwaway
# environment (the project pins highspy exactly; see docs/benchmarks.md, "Solver versions").
# Usage: bash bench/newest_highspy.sh   (a few minutes; needs the package registry)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q -e "$root[dev]"
"$venv/bin/pip" install -q --upgrade highspy  # over the pin, on purpose
"$venv/bin/python" -c "from importlib import metadata as m; print('highspy', m.version('highspy'))"
cd "$root"
"$venv/bin/pytest" -q -p no:cacheprovider tests/test_solver.py \
    "tests/test_phasing.py::test_annual_levels_equal_the_annual_model_solved_directly"
