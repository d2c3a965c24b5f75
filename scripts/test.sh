#!/usr/bin/env bash
# The one test command: installs what the tests need on a fresh Debian machine, then runs
# the type check, builds the UI, and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

echo "== type check"
npm run typecheck
echo "== build the UI"
npm run build --workspace app --if-present
echo "== tests"
npx vitest run "$@"
