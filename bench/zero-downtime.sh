#!/usr/bin/env bash
# Zero-downtime bench (see bench/zero-downtime.mjs): starts the local services, then runs the
# bench against the bundled action in dist/ (build it first with `npm run -s build`).
# Usage: bash bench/zero-downtime.sh [--load hey|node] [--duration 40] [--rate 650] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
exec node bench/zero-downtime.mjs "$@"
