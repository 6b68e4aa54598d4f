#!/usr/bin/env bash
# ncc does not copy files a package loads at run time by path (e.g. a .wasm): copy them into dist/.
# Usage: scripts/copy-assets.sh [out-dir]   (default dist; the lint bench and probes bundle elsewhere)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
mkdir -p "$out"

# libpg-query (migration lint): its emscripten loader reads `__dirname + "/libpg-query.wasm"`, and in
# the bundle __dirname is the bundle's own directory, so the wasm goes next to index.js.
cp node_modules/libpg-query/wasm/libpg-query.wasm "$out/libpg-query.wasm"
