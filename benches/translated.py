#!/usr/bin/env python3
"""How bonegraph's translated queries run on Oxigraph and Kuzu, next to the queries written
by hand for them in benches/compare.py, on the benchmark's generated graphs.

For one data directory made by `perf generate`, in one run, it:
  1. times bonegraph (`perf run`) and the hand-written queries of compare.py on every anchor;
  2. exports the graph with `bonegraph export` (Turtle for Oxigraph, the CSV directory for
     Kuzu) and loads both, timing the loads;
  3. runs the translations of the same queries (`perf translate`) on every anchor, --reps
     times (the median is kept), and checks every answer against bonegraph's own (the same
     FNV digest of sorted ids as perf.rs; paths by hop count, up to 6);
  4. prints a markdown table: bonegraph, the hand-written query, the translated query
     (medians over the anchors), and the ratio translated / hand-written.

Usage: python3 benches/translated.py --data target/bench/100000 --perf PERF_BINARY [--reps 3]
(`bash benches/translated.sh` runs it for 10k and 100k entities).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from compare import hops_answer, run_kuzu, run_oxigraph, time_each  # noqa: E402

import kuzu  # noqa: E402
import pyoxigraph as ox  # noqa: E402

BASE = "https://bonegraph.example/entity/"


def bonegraph(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"bonegraph {' '.join(args)} failed: {r.stderr}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--bonegraph", default="target/release/bonegraph")
    ap.add_argument("--perf", required=True, help="the perf bench binary")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    data = args.data.rstrip("/")
    graph = os.path.join(data, "graph.ron")

    # Everything below is measured in this one run: bonegraph, the hand-written queries and
    # the translated ones, on the same anchors.
    reference = json.loads(run([args.perf, "run", "--engine", "bonegraph", "--data", data, "--reps", str(args.reps)]))
    hand = {"oxigraph": run_oxigraph(data, args.reps), "kuzu": run_kuzu(data, args.reps)}
    translations = json.loads(run([args.perf, "translate", "--data", data]))

    work = tempfile.mkdtemp(prefix="bonegraph-translated-")
    try:
        ttl = os.path.join(work, "graph.ttl")
        t = time.perf_counter()
        bonegraph(args.bonegraph, "export", "rdf", graph, "--format", "turtle", "-o", ttl)
        store = ox.Store()
        store.bulk_load(path=ttl, format=ox.RdfFormat.TURTLE)
        ox_load = time.perf_counter() - t

        csv_dir = os.path.join(work, "csv")
        t = time.perf_counter()
        bonegraph(args.bonegraph, "export", "csv", graph, "-o", csv_dir)
        conn = kuzu.Connection(kuzu.Database(os.path.join(work, "kuzu")))
        cwd = os.getcwd()
        os.chdir(csv_dir)
        try:
            conn.execute(open("kuzu-import.cypher").read())
        finally:
            os.chdir(cwd)
        kz_load = time.perf_counter() - t

        def sparql_ids(text):
            return [row[0].value[len(BASE):] for row in store.query(text)]

        def kuzu_rows(text):
            res = conn.execute(text.rstrip().rstrip(";"))
            out = []
            while res.has_next():
                out.append(res.get_next())
            return out

        n = len(reference["queries"]["q1"]["digests"])
        print(f"## Translated queries, {os.path.basename(data)} entities ({n} anchors, median of {args.reps})\n")
        print(
            f"Loads: Oxigraph {hand['oxigraph']['load_s']:.1f} s hand-loaded, {ox_load:.1f} s from "
            f"`export rdf --format turtle` (export included); Kuzu {hand['kuzu']['load_s']:.1f} s "
            f"hand-loaded, {kz_load:.1f} s from `export csv`.\n"
        )
        print("| query | bonegraph (prepared) | engine | hand-written | translated | translated / hand-written | answers equal to bonegraph's |")
        print("|---|---|---|---|---|---|---|")
        mismatches = 0
        for q in ["q1", "q2", "q3", "q4", "q5"]:
            want = reference["queries"][q]["digests"]
            ours = reference["queries"][q]["median_us"]
            for engine, label in [("oxigraph", "sparql"), ("kuzu", "kuzu")]:
                texts = translations[label][q]
                hand_us = hand[engine]["queries"][q]["median_us"]
                if texts[0] is None:
                    print(f"| {q} | {ours:.0f} µs | {engine} | {hand_us:.0f} µs | not expressible | | |")
                    continue
                if engine == "oxigraph":
                    got = time_each(len(texts), args.reps, lambda i: sparql_ids(texts[i]))
                elif q == "q4":
                    got = time_each(len(texts), args.reps, lambda i: hops_of(kuzu_rows(texts[i])))
                else:
                    got = time_each(len(texts), args.reps, lambda i: [r[0] for r in kuzu_rows(texts[i])])
                equal = sum(a == b for a, b in zip(got["digests"], want))
                mismatches += len(texts) - equal
                print(
                    f"| {q} | {ours:.0f} µs | {engine} | {hand_us:.0f} µs | {got['median_us']:.0f} µs "
                    f"| {got['median_us'] / hand_us:.2f}× | {equal}/{len(texts)} |"
                )
        sys.exit(1 if mismatches else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def hops_of(rows):
    return hops_answer(rows[0][0] if rows else None)


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


if __name__ == "__main__":
    main()
