#!/usr/bin/env bash
# The example's test suite: checks the static files and writes JUnit and lcov reports, as a real
# test runner would, so the gate has reports to read.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports
failures=0
check() { # name command...
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then echo "  <testcase classname=\"hello-app\" name=\"$name\" file=\"test/run.sh\"/>"
  else failures=$((failures + 1)); echo "  <testcase classname=\"hello-app\" name=\"$name\" file=\"test/run.sh\"><failure message=\"$name failed\"/></testcase>"; fi
}
cases=$(
  check "index page has a heading" grep -q '<h1>' www/index.html
  check "health answers ok" grep -qx ok www/health
)
failures=$(grep -c '<failure' <<<"$cases" || true)
printf '<?xml version="1.0"?>\n<testsuite name="hello-app" tests="2" failures="%s">\n%s\n</testsuite>\n' "$failures" "$cases" > reports/junit.xml
printf 'SF:www/index.html\nDA:1,1\nLF:1\nLH:1\nend_of_record\nSF:www/health\nDA:1,1\nLF:1\nLH:1\nend_of_record\n' > reports/lcov.info
echo "tests: $((2 - failures)) passed, $failures failed"
[ "$failures" = 0 ]
