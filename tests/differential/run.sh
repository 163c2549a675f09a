#!/usr/bin/env bash
# Differential test: bonegraph vs Oxigraph (SPARQL) and Kuzu (Cypher), and LadybugDB (Cypher,
# Kuzu's maintained fork) where installed, on the same questions, over the embedded graph and
# four test graphs with other schemas.
# Installs pyoxigraph and kuzu from PyPI into a virtualenv under target/ if they are not
# importable already; if that is impossible (no network, no pip), it says so and exits 0
# (skipped), unless DIFFERENTIAL_REQUIRED=1. Usage: bash tests/differential/run.sh [--verbose]
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! PY=$(bash tests/differential/python.sh); then
    msg="differential test SKIPPED: the Python packages kuzu and pyoxigraph are not installed and could not be installed from PyPI; install them (pip install kuzu==0.11.3 'pyoxigraph==0.5.*') and run: bash tests/differential/run.sh"
    if [ "${DIFFERENTIAL_REQUIRED:-0}" = 1 ]; then
        echo "${msg/SKIPPED/FAILED}" >&2
        exit 1
    fi
    echo "$msg" >&2
    exit 0
fi
cargo build --release --quiet --bin bonegraph
# The embedded graph, then four fixtures with other schemas: a tiny orchard, hostile ids
# and names (quotes, backslashes, line breaks, markup, non-Latin scripts), an orchard
# with an inferred edge that no engine may answer with, and classes whose members inherit,
# repeat or add to their attribute values.
# LadybugDB (Kuzu's maintained fork) is checked too where it is installed, in runs of its own:
# its module and Kuzu's cannot share a process.
ladybug=0
if "$PY" -c 'import ladybug' >/dev/null 2>&1; then
    ladybug=1
else
    echo "LadybugDB SKIPPED: the Python package ladybug is not installed (pip install ladybug==0.22.0)" >&2
fi
status=0
for graph in "" tests/fixtures/valid/tiny.ron tests/fixtures/valid/hostile.ron tests/fixtures/valid/inheritance.ron tests/fixtures/valid/values.ron; do
    echo "--- ${graph:-the embedded graph}"
    "$PY" tests/differential/check.py target/release/bonegraph ${graph:+--graph "$graph"} "$@" || status=1
    if [ "$ladybug" = 1 ]; then
        "$PY" tests/differential/check.py target/release/bonegraph ${graph:+--graph "$graph"} --cypher ladybug --no-sparql "$@" || status=1
    fi
done
exit $status
