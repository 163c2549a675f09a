#!/usr/bin/env python3
"""Prints the benchmark results (target/bench/results/*.json) as markdown tables with ratios,
and checks that every engine gave the same answers as the CSR loop."""

import glob
import json
import os
import sys

ENGINES = ["csr", "bonegraph", "bonegraph-snapshot", "oxigraph", "kuzu", "networkx"]
QUERIES = ["q1", "q2", "q3", "q4", "q5"]


def fmt(us):
    if us >= 1e6:
        return f"{us / 1e6:.2f} s"
    if us >= 1e3:
        return f"{us / 1e3:.1f} ms"
    return f"{us:.1f} µs"


def main(results_dir):
    by_scale = {}
    for path in glob.glob(os.path.join(results_dir, "*.json")):
        scale, engine = os.path.basename(path)[:-5].split("-", 1)
        with open(path) as f:
            text = f.read().strip()
        if text:
            by_scale.setdefault(int(scale), {})[engine] = json.loads(text)
    for scale in sorted(by_scale):
        r = by_scale[scale]
        csr = r.get("csr")
        bg = r.get("bonegraph")
        rels = bg.get("relations", "?") if bg else "?"
        print(f"\n### {scale:,} entities ({rels:,} relations)\n" if isinstance(rels, int) else f"\n### {scale:,} entities\n")
        print("| engine | load | peak memory | " + " | ".join(q.upper() + " median (p95)" for q in QUERIES) + " |")
        print("|---|---|---|" + "---|" * len(QUERIES))
        for e in ENGINES:
            if e not in r:
                continue
            row = r[e]
            cells = [f"{fmt(row['queries'][q]['median_us'])} ({fmt(row['queries'][q]['p95_us'])})" for q in QUERIES]
            print(f"| {e} | {row['load_s']:.2f} s | {row['peak_mb']:.0f} MB | " + " | ".join(cells) + " |")
            if e == "bonegraph":
                cells = [f"{fmt(row['queries'][q]['string_median_us'])} ({fmt(row['queries'][q]['string_p95_us'])})" for q in QUERIES]
                print("| bonegraph, from the query string | | | " + " | ".join(cells) + " |")
        if not (bg and csr):
            continue
        print("\n| ratio (medians; p95 in brackets) | load | memory | " + " | ".join(q.upper() for q in QUERIES) + " |")
        print("|---|---|---|" + "---|" * len(QUERIES))

        def ratio(a, b, key="median_us", pkey="p95_us"):
            return f"{a[key] / b['median_us']:.1f}× ({a[pkey] / b['p95_us']:.1f}×)"

        print(f"| bonegraph parsed ÷ CSR | {bg['load_s'] / csr['load_s']:.1f}× | {bg['peak_mb'] / csr['peak_mb']:.1f}× | "
              + " | ".join(ratio(bg["queries"][q], csr["queries"][q]) for q in QUERIES) + " |")
        print("| bonegraph from string ÷ CSR | | | "
              + " | ".join(ratio(bg["queries"][q], csr["queries"][q], "string_median_us", "string_p95_us") for q in QUERIES) + " |")
        snap = r.get("bonegraph-snapshot")
        if snap:
            print(f"| bonegraph from snapshot ÷ CSR | {snap['load_s'] / csr['load_s']:.1f}× | {snap['peak_mb'] / csr['peak_mb']:.1f}× | "
                  + " | ".join(ratio(snap["queries"][q], csr["queries"][q]) for q in QUERIES) + " |")
        for e in ["oxigraph", "kuzu", "networkx"]:
            if e in r:
                o = r[e]["queries"]
                print(f"| {e} ÷ bonegraph parsed | {r[e]['load_s'] / bg['load_s']:.1f}× | {r[e]['peak_mb'] / bg['peak_mb']:.1f}× | "
                      + " | ".join(f"{o[q]['median_us'] / bg['queries'][q]['median_us']:.0f}×" for q in QUERIES) + " |")
        print()
        for e in ENGINES[1:]:
            if e not in r:
                continue
            agree = []
            for q in QUERIES:
                a, b = r[e]["queries"][q]["digests"], csr["queries"][q]["digests"]
                same = sum(x == y for x, y in zip(a, b))
                agree.append(f"{q.upper()} {same}/{len(b)}")
            print(f"- answers of {e} equal to the CSR loop's: " + ", ".join(agree))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench/results")
