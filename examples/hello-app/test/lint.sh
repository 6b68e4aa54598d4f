#!/usr/bin/env bash
# "Lint": the page and health file exist and the Dockerfile names a CMD.
set -euo pipefail
cd "$(dirname "$0")/.."
test -s www/index.html && test -s www/health && grep -q '^CMD ' Dockerfile
echo "lint: ok"
