#!/usr/bin/env bash
# Whole-process timings of `gatecheck check` on a corpus of real code, against a baseline
# measured in the same run: `parse_floor` (benches/parse_floor.rs) walks, reads and parses the
# same files with the same walker, parser and thread count, and measures nothing. Also times
# lizard -t 2 (and ruff / complexipy / radon for Python when installed) and reads peak RSS and
# CPU use from /usr/bin/time -v, then the floor and check again in interleaved rounds
# (benches/paired.py) for a ratio that a change of the machine's load cannot bias. Figures go
# to docs/performance.md.
#
# Usage: benches/corpus.sh [CORPUS_DIR] [RUNS]
#   CORPUS_DIR defaults to ~/.cache/gatecheck-corpus, built by ../shared/bench/make-corpus.sh
set -euo pipefail
corpus=${1:-$HOME/.cache/gatecheck-corpus}
runs=${2:-5}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin gatecheck --example parse_floor
gc=target/release/gatecheck
floor=target/release/examples/parse_floor
out=$(mktemp -d)
for tree in py-stdlib py-django rust-vendor; do
  dir=$corpus/$tree
  [ -d "$dir" ] || { echo "skip $tree: $dir missing"; continue; }
  lang=python; [ "$tree" = rust-vendor ] && lang=rust
  # gatecheck as a user runs it (text report on stdout), then with the JSON report written to a
  # file (serialisation, fsync and rename included)
  cmds=("$floor --threads 2 $dir" "$gc check -j 2 $dir" "$gc check -j 2 --format json -o $out/$tree.json $dir")
  command -v lizard >/dev/null && cmds+=("lizard -t 2 -l $lang $dir")
  if [ "$lang" = python ]; then
    command -v ruff >/dev/null && cmds+=("ruff check --no-cache --isolated --select C901,PLR0912,PLR0915 --exit-zero --quiet $dir")
    command -v complexipy >/dev/null && cmds+=("complexipy --quiet --max-complexity-allowed 10000 $dir")
  fi
  echo "== $tree"
  hyperfine -i -N -w 1 -r "$runs" --export-json "$out/$tree.hyperfine.json" "${cmds[@]}" | grep -E 'Benchmark|Time|±' || true
  python3 - "$out/$tree.hyperfine.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
base = results[0]
for r in results:
    cpu = (r["user"] + r["system"]) / r["mean"]
    print(f'  {r["command"][:60]:60} median {r["median"]:7.2f} s  ratio to floor {r["median"] / base["median"]:5.2f}  cpu/wall {cpu:4.2f}')
PY
  # the same ratio from interleaved rounds, which a change of the machine's load cannot bias
  python3 benches/paired.py "$runs" "${cmds[0]}" "${cmds[1]}"
  for i in 0 1; do
    # gatecheck exits 1 when a gate fails, which is expected here
    { /usr/bin/time -v ${cmds[$i]} 2>&1 >/dev/null || true; } | grep -E "Maximum resident" | sed "s|^|  ${cmds[$i]%% *}: |"
  done
done
echo "reports in $out"
