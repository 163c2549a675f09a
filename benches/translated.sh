#!/usr/bin/env bash
# Translated queries on Oxigraph and Kuzu next to the hand-written ones of compare.py, with
# every answer checked against bonegraph's. Usage: bash benches/translated.sh [ENTITIES ...]
# (default: 10000 100000). Needs the generated data (`bash benches/run.sh` makes it, or
# `perf generate --entities N`), and `pip install kuzu pyoxigraph`.
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("${@:-10000 100000}")
read -r -a scales <<< "${scales[*]}"
cargo build --release --quiet --benches --bin bonegraph
bench=$(ls -t target/release/deps/perf-* | grep -v '\.d$' | head -n 1)
for n in "${scales[@]}"; do
  python3 benches/translated.py --data "target/bench/$n" --perf "$bench"
  echo
done
