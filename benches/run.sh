#!/usr/bin/env bash
# The whole benchmark in one command: generate the graphs, run every engine on the same
# data and anchors (each in its own process, so peak memory is its own), and print the
# markdown tables with ratios. Usage: bash benches/run.sh [ENTITIES ...]
# (default: 10000 100000 1000000). Kuzu, Oxigraph and networkx come from PyPI:
# `pip install kuzu pyoxigraph networkx`; an engine that is not installed is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("${@:-10000 100000 1000000}")
read -r -a scales <<< "${scales[*]}"
cargo build --release --quiet --benches --bin bonegraph
bench=$(ls -t target/release/deps/perf-* | grep -v '\.d$' | head -n 1)
results=target/bench/results
mkdir -p "$results"
reps=${REPS:-3}
for n in "${scales[@]}"; do
  data=target/bench/$n
  [ -f "$data/graph.ron" ] || "$bench" generate --entities "$n" --out "$data"
  for engine in csr bonegraph bonegraph-snapshot; do
    echo "--- $n entities: $engine" >&2
    "$bench" run --engine "$engine" --data "$data" --reps "$reps" > "$results/$n-$engine.json"
  done
  for engine in oxigraph kuzu networkx; do
    module=$engine; [ "$engine" = oxigraph ] && module=pyoxigraph
    if python3 -c "import $module" 2>/dev/null; then
      echo "--- $n entities: $engine" >&2
      python3 benches/compare.py --engine "$engine" --data "$data" --reps "$reps" > "$results/$n-$engine.json" ||
        echo "warning: $engine failed at $n entities" >&2
    else
      echo "--- $engine skipped: pip install $module" >&2
    fi
  done
done
echo "## Results ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%Y-%m-%d))"
python3 benches/report.py "$results"
echo
echo "### Whole process on the embedded graph"
python3 - <<'PY'
import subprocess, time, statistics
runs = []
for _ in range(30):
    t = time.perf_counter()
    subprocess.run(["target/release/bonegraph", "query", "therapies treating fracture"], check=True, capture_output=True)
    runs.append(time.perf_counter() - t)
print(f"- `bonegraph query \"therapies treating fracture\"`: median {statistics.median(runs) * 1000:.1f} ms over 30 runs")
PY
largest=target/bench/${scales[${#scales[@]}-1]}/graph.ron
/usr/bin/time -f "%e s elapsed, %M KB peak" target/release/bonegraph check "$largest" > /dev/null 2> target/bench/check-time.txt || true
echo "- \`bonegraph check\` on $largest ($(du -h "$largest" | cut -f1)): $(tail -n 1 target/bench/check-time.txt)"
