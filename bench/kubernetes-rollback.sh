#!/usr/bin/env bash
# Kubernetes rollback bench (see bench/kubernetes-rollback.mjs): services up (the test control
# plane included), dist/ built, then the bench. Args go to the bench.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
exec node bench/kubernetes-rollback.mjs "$@"
