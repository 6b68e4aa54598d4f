#!/usr/bin/env bash
# Lints 1,000 generated migration files with the real code, bundled as the action ships it, and
# prints wall time and peak memory. Usage: bash bench/migration-lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
npx ncc build bench/migration-lint.ts -o "$out" --transpile-only >/dev/null 2>&1
bash scripts/copy-assets.sh "$out"
node "$out/index.js"
