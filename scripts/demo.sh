#!/usr/bin/env bash
# The embedded default end to end: install, migrate, load sample data, print a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
.venv/bin/leadsignal demo run "$@"
