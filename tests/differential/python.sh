#!/usr/bin/env bash
# Prints the path of a Python that can import kuzu and pyoxigraph: $PYTHON or python3 if they
# already can, else a virtualenv under target/ with both installed from PyPI (and, if they can be
# had, ladybug: LadybugDB, Kuzu's maintained fork; pyspark and duckdb for the SQL checks). Prints
# nothing and exits 1 if neither works (no python3, no network). Used by run.sh and .ci/run.
set -uo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python3}
can() { "$1" -c 'import kuzu, pyoxigraph' >/dev/null 2>&1; }
if command -v "$PY" >/dev/null 2>&1 && can "$PY"; then
    command -v "$PY"
    exit 0
fi
venv=target/differential-venv
if ! can "$venv/bin/python" && command -v python3 >/dev/null 2>&1; then
    python3 -m venv "$venv" >/dev/null 2>&1 &&
        "$venv/bin/python" -m pip install -q "kuzu==0.11.3" "pyoxigraph==0.5.*" >/dev/null 2>&1
fi
if can "$venv/bin/python"; then
    # LadybugDB, Kuzu's maintained fork, for a second Cypher check (optional: run.sh says so
    # and goes on without it).
    "$venv/bin/python" -c 'import ladybug' >/dev/null 2>&1 ||
        "$venv/bin/python" -m pip install -q "ladybug==0.22.0" >/dev/null 2>&1 || true
    # PySpark (for tests/differential/spark.sh's cluster; it needs Java 17+ besides) and DuckDB,
    # for the SQL checks (optional too: their runs are skipped without them).
    "$venv/bin/python" -c 'import pyspark' >/dev/null 2>&1 ||
        "$venv/bin/python" -m pip install -q "pyspark==4.3.0" >/dev/null 2>&1 || true
    "$venv/bin/python" -c 'import duckdb' >/dev/null 2>&1 ||
        "$venv/bin/python" -m pip install -q "duckdb==1.5.6" >/dev/null 2>&1 || true
    echo "$PWD/$venv/bin/python"
    exit 0
fi
exit 1
