#!/usr/bin/env bash
# The main job, end to end, on this machine: the bundled example app (examples/hello-app) is gated,
# built, pushed to the local registry, migrated into a local PostgreSQL database and deployed with
# zero downtime behind a Caddy proxy on http://127.0.0.1:8080, by running dist/index.js exactly as
# the GitHub runner would.
# Run it again after changing examples/hello-app: the commit SHA is derived from the app's content.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund # exactly the committed lock, as scripts/test.sh
fi
# The demo deploys to Docker: no test cluster to build (SAFE_DEPLOY_K8S=1 to start it anyway).
SAFE_DEPLOY_K8S=${SAFE_DEPLOY_K8S:-0} bash scripts/services.sh
npm run -s build >/dev/null

RUN_DIR=${SAFE_DEPLOY_DEMO_DIR:-/tmp/safe-deploy-demo}
rm -rf "$RUN_DIR/workspace" && mkdir -p "$RUN_DIR" && cp -r examples/hello-app "$RUN_DIR/workspace"
# A stand-in commit SHA: the app's content, so an unchanged app is "the same commit" (the build is skipped).
SHA=$(cd examples/hello-app && find . -type f | sort | xargs sha1sum | sha1sum | cut -c1-40)
: >"$RUN_DIR/outputs.txt"; : >"$RUN_DIR/summary.md"
echo '{"repository":{"default_branch":"main"},"head_commit":{"message":"demo"}}' >"$RUN_DIR/event.json"

# The demo database (local PostgreSQL, test-only password set by scripts/services.sh).
su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname='hello_app'\"" | grep -q 1 ||
  su postgres -c "createdb hello_app"

echo "[demo] running safe-deploy for hello-app at ${SHA:0:7}"
set +e
(
  cd "$RUN_DIR/workspace"
  env GITHUB_ACTIONS=true GITHUB_SHA="$SHA" GITHUB_REF=refs/heads/main GITHUB_EVENT_NAME=push \
    GITHUB_EVENT_PATH="$RUN_DIR/event.json" GITHUB_REPOSITORY=acme/hello-app GITHUB_RUN_ID=1 \
    GITHUB_WORKSPACE="$RUN_DIR/workspace" GITHUB_OUTPUT="$RUN_DIR/outputs.txt" GITHUB_STEP_SUMMARY="$RUN_DIR/summary.md" \
    INPUT_LINT-COMMAND='bash test/lint.sh' \
    INPUT_TEST-COMMAND='bash test/run.sh' \
    INPUT_JUNIT-FILES='reports/*.xml' \
    INPUT_COVERAGE-FILE='reports/lcov.info' \
    INPUT_COVERAGE-THRESHOLD=80 \
    INPUT_IMAGE=127.0.0.1:5000/hello-app \
    INPUT_DATABASE-URL="postgres://postgres:${SAFE_DEPLOY_PG_PASSWORD:-safe-deploy}@127.0.0.1:5432/hello_app" \
    INPUT_MIGRATIONS-DIR=migrations \
    INPUT_DEPLOY-TO=docker INPUT_APP=hello-app INPUT_NETWORK=host \
    INPUT_PROXY-IMAGE=safe-deploy-test/caddy:latest INPUT_PUBLIC-PORT="${SAFE_DEPLOY_DEMO_PORT:-8080}" \
    INPUT_HEALTH-TIMEOUT=20s INPUT_HEALTH-INTERVAL=250ms INPUT_DRAIN-TIMEOUT=2s \
    INPUT_HEALTH-URL="http://127.0.0.1:${SAFE_DEPLOY_DEMO_PORT:-8080}/health" \
    node "$ROOT/dist/index.js"
)
code=$?
set -e
echo
echo "[demo] exit code $code"
echo "[demo] outputs:      $RUN_DIR/outputs.txt"
echo "[demo] job summary:  $RUN_DIR/summary.md"
grep -E '^(result|image|digest|build-skipped|migrations-applied|previous-sha|url)<<' -A1 "$RUN_DIR/outputs.txt" | grep -v -- '^--$' | paste - - | sed 's/<<ghadelimiter_[^\t]*\t/ = /; s/^/[demo]   /'
[ "$code" = 0 ] && echo "[demo] the app answers: $(curl -fsS "http://127.0.0.1:${SAFE_DEPLOY_DEMO_PORT:-8080}/" | head -c 200)"
exit $code
