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
old_rule = collections.Counter()
lows = collections.defaultdict(list)
for i in range(1, int(sys.argv[1]) + 1):
    for v in json.load(open(f"run-{i}.json"))["perf"]["verdicts"]:
        key = (v["target"], v["measure"])
        counts[key + (v["verdict"]["kind"],)] += 1
        s = v["verdict"]
        if s["ci_low"] is not None:
            lows[key].append(s["ci_low"])
            # the rule without the run-to-run drift: 5% threshold only
            if s["p_value"] < 0.05 and (s["ratio"] or 9e9) > 1.05 and s["ci_low"] > 1.05:
                old_rule[key] += 1
        if v["verdict"]["kind"] != "no_change":
            print("  ", v["text"])
for key, n in sorted(counts.items()):
    print(*key, n)
for key, n in sorted(old_rule.items()):
    print(*key, "regressions with a fixed 5% threshold (no drift):", n)
for key, values in sorted(lows.items()):
    # the noise threshold that would have called no false regression in these runs
    print(*key, "largest CI low end: %+.0f%%" % ((max(values) - 1) * 100))
PY
