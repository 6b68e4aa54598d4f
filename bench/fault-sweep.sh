#!/usr/bin/env bash
# Fault sweep of the docker target (see bench/fault-sweep.mjs): starts the local services, builds
# dist/, then runs the sweep. Usage: bash bench/fault-sweep.sh [--rate 100] [--only name,name]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
npm run -s build >/dev/null
exec node bench/fault-sweep.mjs "$@"
