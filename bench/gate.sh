#!/usr/bin/env bash
# Reads a 50 MB JUnit report (~152k tests) and a 20 MB lcov with the real code, bundled as the
# action ships it, each run in its own process, and Python's expat iterparse over the same JUnit
# in the same run; prints both times, the ratio and our peak RSS (goal: ≤ 1.5×, ≤ 200 MB).
# Usage: bash bench/gate.sh [runs, default 3]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
out=$(mktemp -d)
data=$(mktemp -d)
trap 'rm -rf "$out" "$data"' EXIT
npx ncc build bench/gate.ts -o "$out" --transpile-only >/dev/null 2>&1
node "$out/index.js" generate "$data"
printf 'junit.xml %s MB, lcov.info %s MB\n' \
  "$(($(stat -c %s "$data/junit.xml") / 1000000))" "$(($(stat -c %s "$data/lcov.info") / 1000000))"

# The same work by hand: every <testcase> counted, failed and skipped ones noted, elements freed.
expat() {
  python3 - "$data/junit.xml" <<'PY'
import sys, time, resource
import xml.etree.ElementTree as ET
t = time.perf_counter()
c = time.process_time()
tests = failed = skipped = 0
for _, el in ET.iterparse(sys.argv[1]):
    if el.tag == 'testcase':
        tests += 1
        if el.find('failure') is not None or el.find('error') is not None: failed += 1
        elif el.find('skipped') is not None: skipped += 1
        el.clear()
ms = (time.perf_counter() - t) * 1000
cpu = (time.process_time() - c) * 1000
print(f'{round(ms)} {round(cpu)} {tests} {failed} {skipped} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}')
PY
}

ours_ms=(); expat_ms=(); ours_cpu=(); expat_cpu=(); rss=()
field() { node -e 'console.log(JSON.parse(process.argv[1])[process.argv[2]])' "$1" "$2"; }
for i in $(seq 1 "$runs"); do
  line=$(node "$out/index.js" read "$data")
  read -r e_ms e_cpu e_tests e_failed e_skipped e_rss <<<"$(expat)"
  echo "run $i: ours $line"
  echo "       expat ${e_ms} ms (cpu ${e_cpu} ms), ${e_tests} tests, ${e_failed} failed, ${e_skipped} skipped, ${e_rss} MB"
  ours_ms+=("$(field "$line" totalMs)"); ours_cpu+=("$(field "$line" totalCpuMs)"); rss+=("$(field "$line" peakRssMb)")
  expat_ms+=("$e_ms"); expat_cpu+=("$e_cpu")
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
max() { printf '%s\n' "$@" | sort -n | tail -1; }
ratio() { awk -v o="$1" -v e="$2" 'BEGIN {printf "%.2f", o / e}'; }
o=$(median "${ours_ms[@]}"); e=$(median "${expat_ms[@]}")
oc=$(median "${ours_cpu[@]}"); ec=$(median "${expat_cpu[@]}"); r=$(max "${rss[@]}")
echo
echo "median of $runs runs, ours = JUnit + lcov, expat = iterparse over the JUnit alone (goal: ratio <= 1.5, peak <= 200 MB)"
echo "  wall: ours ${o} ms | expat ${e} ms | ratio $(ratio "$o" "$e")"
echo "  cpu:  ours ${oc} ms | expat ${ec} ms | ratio $(ratio "$oc" "$ec")"
echo "  our peak RSS ${r} MB | load average $(cut -d' ' -f1 /proc/loadavg) on $(nproc) cores"
