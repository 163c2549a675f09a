#!/usr/bin/env bash
# The five benchmark queries translated to SQL, on DuckDB and on Spark SQL on a local
# standalone cluster (a master and two workers, tests/differential/spark.sh), next to
# bonegraph, every answer checked. Usage: bash benches/sql.sh [ENTITIES ...] (default:
# 1000000). Needs the generated data (`bash benches/run.sh` makes it, or `perf generate
# --entities N`), Java 17+, and the differential test's Python (tests/differential/python.sh
# installs duckdb and pyspark). Extra flags for benches/sql.py go in SQL_BENCH_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("${@:-1000000}")
read -r -a scales <<< "${scales[*]}"
PY=$(bash tests/differential/python.sh)
cargo build --release --quiet --benches --bin bonegraph
bench=$(ls -t target/release/deps/perf-* | grep -v '\.d$' | head -n 1)
master=$(bash tests/differential/spark.sh start)
trap 'bash tests/differential/spark.sh stop' EXIT
for n in "${scales[@]}"; do
  # shellcheck disable=SC2086
  "$PY" benches/sql.py --data "target/bench/$n" --perf "$bench" --master "$master" ${SQL_BENCH_FLAGS:-}
  echo
done
