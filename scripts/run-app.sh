#!/usr/bin/env bash
# Set up, then start the app on the bundled Sơn La 2026-2030 data at http://localhost:8501.
# Another package: NTM_DATA=path/to/package bash scripts/run-app.sh; another port: PORT=8502 ...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
export NTM_DATA="${NTM_DATA:-data/son_la_2026}"
port="${PORT:-8501}"
echo "run-app: open http://localhost:$port (data: $NTM_DATA; stop with Ctrl+C)"
exec .venv/bin/streamlit run app.py \
    --server.headless true \
    --server.port "$port" \
    --browser.gatherUsageStats false
