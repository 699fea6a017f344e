#!/usr/bin/env bash
# Install the dashboard's npm packages when needed and build frontend/dist (served by the API).
# `npm ci` runs only when node_modules is missing or package-lock.json changed since the last install.
# With --check it also fails on stale generated API types (npm run check:api) and runs the unit tests.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
if ! command -v npm >/dev/null 2>&1; then
  echo "scripts/frontend.sh: npm not found; install Node.js 20+ to build the dashboard" >&2
  exit 1
fi
stamp=node_modules/.package-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" >"$stamp"
fi
npm run --silent build
if [ "${1:-}" = "--check" ]; then
  npm run --silent check:api
  npm test --silent
fi
