#!/usr/bin/env bash
# The whole test suite, once on SQLite and once on a fresh PostgreSQL database, plus lint and types.
# Extra arguments go to pytest (e.g. scripts/test.sh -k importer).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/services.sh
mkdir -p test-artifacts
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
echo "== SQLite =="
LEADSIGNAL_TEST_DB=sqlite .venv/bin/pytest -q "$@"
echo "== PostgreSQL =="
LEADSIGNAL_TEST_DB=postgres .venv/bin/pytest -q "$@"
