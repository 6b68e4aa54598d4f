#!/usr/bin/env bash
# Cold-build bench (see bench/cold-build.mjs): services up, then the bench. Args go to the bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
exec node bench/cold-build.mjs "$@"
