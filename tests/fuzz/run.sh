#!/usr/bin/env bash
# Runs the fuzz targets (the query pipeline, the graph loader, hostile schema and hierarchy
# shapes, and compiled snapshots: damaged files and forged payloads) for SECONDS each
# (default 60). CI runs `bash tests/fuzz/run.sh 30`; a longer run is, for example,
# `bash tests/fuzz/run.sh 3600`. Needs cargo-fuzz (`cargo install cargo-fuzz --locked`);
# RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags on a stable toolchain.
# Crashes are saved under tests/fuzz/artifacts/<target>/; a crash makes this script fail.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
for target in query load shapes snapshot; do
  mkdir -p "corpus/$target"
  echo "--- fuzzing $target for ${seconds}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir . "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 2>&1 |
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|thread .* panicked)" || true
  # grep eats cargo-fuzz's exit status: a crash leaves an artifact.
  if compgen -G "artifacts/$target/crash-*" > /dev/null; then
    echo "error: fuzzing $target found a crash: $(ls artifacts/$target/crash-*)" >&2
    exit 1
  fi
done
