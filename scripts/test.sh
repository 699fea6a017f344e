#!/usr/bin/env bash
# The whole test suite: lint and types, the dashboard's build and unit tests, then every Python test
# (browser tests included) once on SQLite and once on a fresh PostgreSQL database.
# Extra arguments go to pytest (e.g. scripts/test.sh -k importer).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/services.sh
scripts/frontend.sh --check
mkdir -p test-artifacts
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
echo "== SQLite =="
LEADSIGNAL_TEST_DB=sqlite .venv/bin/pytest -q "$@"
echo "== PostgreSQL =="
LEADSIGNAL_TEST_DB=postgres .venv/bin/pytest -q "$@"
