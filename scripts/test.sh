#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, starts the services, checks types,
# lint and formatting, builds the bundle, and runs every test (the integration tests run dist/).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] installing npm dependencies"
  # Not `npm ci`: npm 11.19 rejects any lock without every platform's optional bindings of
  # unrs-resolver (a jest dependency), even one it just wrote. `npm install` honours the lock as is.
  npm install --no-audit --no-fund
fi
bash scripts/services.sh
echo "[test] typecheck, lint, format"
npm run -s typecheck
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "[test] run 'npm run format'"; exit 1; }
echo "[test] building dist/"
npm run -s build >/dev/null
# One integration test runs dist/ under Node 24, the runtime action.yml declares.
SAFE_DEPLOY_NODE24=$(bash scripts/node24.sh)
export SAFE_DEPLOY_NODE24
mkdir -p .tmp
status=0
npm run -s jest -- --json --outputFile=.tmp/jest.json "$@" || status=$?
node -e 'const r=require("./.tmp/jest.json");console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)'
exit $status
