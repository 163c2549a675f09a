#!/usr/bin/env bash
# Redraws the pictures in README.md from the embedded graph. Needs Graphviz (`dot`).
# Usage: bash docs/images/render.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --quiet
bin=target/release/bonegraph
out=docs/images
"$bin" dot --render svg -o "$out/graph.svg"
"$bin" dot --max-nodes 30 --render svg -o "$out/graph-30.svg"
"$bin" dot --schema --render svg -o "$out/schema.svg"
"$bin" dot "therapies treating fracture" --render svg -o "$out/answer.svg"
"$bin" dot "path from lung cancer to paralysis" --render svg -o "$out/path.svg"
dot -Tsvg "$out/architecture.dot" -o "$out/architecture.svg"
ls -l "$out"
