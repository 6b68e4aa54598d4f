#!/usr/bin/env bash
# Push-to-live bench (see bench/pipeline.mjs): services up, then the bench. Args go to the bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
exec node bench/pipeline.mjs "$@"
