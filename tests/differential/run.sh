#!/usr/bin/env bash
# Differential test: bonegraph vs Oxigraph (SPARQL), Kuzu (Cypher) and DuckDB (SQL) on the
# same questions, over the embedded graph and four test graphs with other schemas; LadybugDB
# (Cypher, Kuzu's maintained fork) where installed; and Apache Spark SQL on a standalone
# cluster of a master and two workers on this machine (tests/differential/spark.sh), over the
# embedded, tiny and hostile-names graphs.
# Installs pyoxigraph, kuzu, ladybug, duckdb and pyspark from PyPI into a virtualenv under
# target/ if they are not importable already; if that is impossible (no network, no pip), or
# Spark cannot run here (no Java 17+), it says so and skips those engines (exit 0), unless
# DIFFERENTIAL_REQUIRED=1, which makes every skip a failure.
# Usage: bash tests/differential/run.sh [--verbose]
# SPARK_GENERATED and SPARK_CONDITIONS (default 100 and 40) set how many generated queries
# the Spark runs add to the written ones (each Spark query takes about a second).
set -euo pipefail
cd "$(dirname "$0")/../.."

required=${DIFFERENTIAL_REQUIRED:-0}
skip() {
    if [ "$required" = 1 ]; then
        echo "${1/SKIPPED/FAILED}" >&2
        exit 1
    fi
    echo "$1" >&2
}

if ! PY=$(bash tests/differential/python.sh); then
    skip "differential test SKIPPED: the Python packages kuzu and pyoxigraph are not installed and could not be installed from PyPI; install them (pip install kuzu==0.11.3 'pyoxigraph==0.5.*') and run: bash tests/differential/run.sh"
    exit 0
fi
export BONEGRAPH_PYTHON=$PY
cargo build --release --quiet --bin bonegraph
# The embedded graph, then four fixtures with other schemas: a tiny orchard, hostile ids
# and names (quotes, backslashes, line breaks, markup, non-Latin scripts, SQL that tries to
# end a literal), an orchard with an inferred edge that no engine may answer with, and
# classes whose members inherit, repeat or add to their attribute values.
# LadybugDB (Kuzu's maintained fork) is checked too where it is installed, in runs of its own:
# its module and Kuzu's cannot share a process.
ladybug=0
if "$PY" -c 'import ladybug' >/dev/null 2>&1; then
    ladybug=1
else
    skip "LadybugDB SKIPPED: the Python package ladybug is not installed (pip install ladybug==0.22.0)"
fi
sql=()
if "$PY" -c 'import duckdb' >/dev/null 2>&1; then
    sql=(--sql duckdb)
else
    skip "DuckDB SKIPPED: the Python package duckdb is not installed (pip install duckdb==1.5.6)"
fi
status=0
for graph in "" tests/fixtures/valid/tiny.ron tests/fixtures/valid/hostile.ron tests/fixtures/valid/inheritance.ron tests/fixtures/valid/values.ron; do
    echo "--- ${graph:-the embedded graph}"
    "$PY" tests/differential/check.py target/release/bonegraph ${graph:+--graph "$graph"} "${sql[@]}" "$@" || status=1
    if [ "$ladybug" = 1 ]; then
        "$PY" tests/differential/check.py target/release/bonegraph ${graph:+--graph "$graph"} --cypher ladybug --no-sparql "$@" || status=1
    fi
done

# Spark SQL on a real cluster: a master and two workers, each a JVM of its own.
spark_status=0
master=$(bash tests/differential/spark.sh start) || spark_status=$?
if [ "$spark_status" = 3 ]; then
    skip "Spark SKIPPED: tests/differential/spark.sh cannot start a cluster here (see its message above)"
elif [ "$spark_status" != 0 ]; then
    echo "Spark FAILED: tests/differential/spark.sh could not start the cluster" >&2
    status=1
else
    trap 'bash tests/differential/spark.sh stop' EXIT
    bash tests/differential/spark.sh status
    for graph in "" tests/fixtures/valid/tiny.ron tests/fixtures/valid/hostile.ron; do
        echo "--- Spark SQL on $master: ${graph:-the embedded graph}"
        "$PY" tests/differential/check.py target/release/bonegraph ${graph:+--graph "$graph"} \
            --cypher none --no-sparql --sql spark --spark-master "$master" \
            --generated "${SPARK_GENERATED:-100}" --conditions "${SPARK_CONDITIONS:-40}" "$@" ||
            status=1
    done
fi
exit $status
