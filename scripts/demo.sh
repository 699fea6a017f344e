#!/usr/bin/env bash
# The embedded default end to end: install, build the dashboard, migrate, load sample data, print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/frontend.sh
.venv/bin/leadsignal demo run "$@"
