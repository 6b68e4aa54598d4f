#!/usr/bin/env bash
# Rollback bench (see bench/rollback.mjs): services up, then the bench. Args go to the bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
exec node bench/rollback.mjs "$@"
