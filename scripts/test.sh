#!/usr/bin/env bash
# The one test command (README, CI): installs what is missing, starts the services, checks types,
# lint and formatting, builds the bundle, and runs every test (the integration tests run dist/).
set -euo pipefail
cd "$(dirname "$0")/.."

# Exactly the committed lock, as CI and setup-node's npm cache expect: `npm ci`, which also fails when
# package.json and the lock disagree. It empties node_modules first (a minute here), so only when
# node_modules is missing or older than the lock (npm writes node_modules/.package-lock.json last).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[test] installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
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
