#!/usr/bin/env bash
# A/A noise test of the regression verdicts: the same command, `gatecheck perf run` many times
# in a row on this machine; every "regression" it reports is a false alarm. Prints the
# verdict counts per target and measure. Usage: benches/perf_aa.sh [ROUNDS] (default 30).
set -euo pipefail
rounds=${1:-30}
repo=$(cd "$(dirname "$0")/.." && pwd)
gatecheck=${GATECHECK:-$repo/target/debug/gatecheck}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/gatecheck.toml" <<TOML
[[performance.startup]]
name = "python-pass"
command = ["python3", "-c", "pass"]
runs = 10

[[performance.startup]]
name = "sleep-50ms"
command = ["python3", "$repo/fixtures/perf/sleep.py", "0.05"]
runs = 10
TOML
cd "$work"
for i in $(seq 1 "$rounds"); do
  "$gatecheck" perf run --format json > "run-$i.json" || true
done
python3 - "$rounds" <<'PY'
import collections, json, sys
counts = collections.Counter()
for i in range(1, int(sys.argv[1]) + 1):
    for v in json.load(open(f"run-{i}.json"))["perf"]["verdicts"]:
        counts[(v["target"], v["measure"], v["verdict"]["kind"])] += 1
for key, n in sorted(counts.items()):
    print(*key, n)
PY
