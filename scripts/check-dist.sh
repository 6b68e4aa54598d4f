#!/usr/bin/env bash
# Fails when the committed dist/ is not the bundle of the source: builds it (skip with --built when
# `npm test` just did), then asks git what changed. That covers dist/licenses.txt, which ncc
# rewrites on every build from the bundled packages, so a dependency change that is not rebuilt
# fails here. Native addons (*.node) are compiled at `npm ci` for the machine's Node ABI and
# compiler: a changed one is expected on another machine, so only a new or missing one counts.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != --built ]; then npm run -s build >/dev/null; fi
changes=$(git status --porcelain --untracked-files=all -- dist | grep -Ev '^ M .*\.node$' || true)
if [ -n "$changes" ]; then
  echo "dist/ is stale: 'npm run build' changed it. Rebuild (npm run build) and commit dist/."
  echo "$changes" | head -20
  exit 1
fi
echo "dist/ is the bundle of the source"
