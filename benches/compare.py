#!/usr/bin/env python3
"""Runs the benchmark queries on Kuzu (Cypher), Oxigraph (SPARQL, in-memory) and networkx,
on the same generated data and anchors as benches/perf.rs, and prints one JSON object per
engine with the same fields (load time, peak memory, median and p95 latency per query, and
a digest of every answer so that the engines can be checked equal).

Usage: python3 benches/compare.py --data target/bench/100k --engine kuzu|oxigraph|networkx
Needs: pip install kuzu pyoxigraph networkx
"""

import argparse
import csv
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time

RELATIONS = ["spreads_to", "causes", "treats", "prevents", "detects", "has_side_effect"]


def digest(ids):
    """FNV-1a of the sorted answer ids, one per line: the same as benches/perf.rs."""
    ids = sorted(set(ids))
    h = 0xCBF29CE484222325
    for i in ids:
        for b in i.encode() + b"\n":
            h ^= b
            h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}:{len(ids)}"


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def read(data):
    with open(os.path.join(data, "anchors.json")) as f:
        anchors = json.load(f)
    with open(os.path.join(data, "nodes.tsv")) as f:
        nodes = list(csv.reader(f, delimiter="\t"))[1:]
    with open(os.path.join(data, "edges.tsv")) as f:
        edges = list(csv.reader(f, delimiter="\t"))[1:]
    return anchors, nodes, edges


def time_each(n, reps, f):
    times, digests = [], []
    for i in range(n):
        runs, answer = [], []
        for _ in range(reps):
            t = time.perf_counter()
            answer = f(i)
            runs.append(time.perf_counter() - t)
        times.append(sorted(runs)[reps // 2])
        digests.append(digest(answer))
    times.sort()
    pick = lambda q: times[round((len(times) - 1) * q)] * 1e6
    return {"median_us": pick(0.5), "p95_us": pick(0.95), "digests": digests}


def hops_answer(h):
    return [f"hops={h}"] if h is not None and 0 < h <= 6 else []


# ---------------------------------------------------------------- networkx

def run_networkx(data, reps):
    import networkx as nx

    anchors, nodes, edges = read(data)
    t = time.perf_counter()
    g = nx.MultiDiGraph()
    by_name = {}
    for i, kind, name in nodes:
        g.add_node(i, kind=kind)
        by_name[name] = i
    for s, r, o in edges:
        g.add_edge(s, o, key=r)
    undirected = g.to_undirected(as_view=True)
    load = time.perf_counter() - t
    kind = nx.get_node_attributes(g, "kind")

    def preds(x, rel, k):
        return {s for s, _, key in g.in_edges(x, keys=True) if key == rel and kind[s] == k}

    def succs(x, rel, k):
        return {o for _, o, key in g.out_edges(x, keys=True) if key == rel and kind[o] == k}

    q1 = lambda x: preds(by_name[x], "treats", "therapy")
    out = {
        "q1": time_each(len(anchors["q1"]), reps, lambda i: q1(anchors["q1"][i])),
        "q2": time_each(len(anchors["q1"]), reps, lambda i: set().union(*[succs(t, "has_side_effect", "side_effect") for t in q1(anchors["q1"][i])] or [set()])),
        "q3": time_each(len(anchors["q1"]), reps, lambda i: q1(anchors["q1"][i]) & preds(by_name[anchors["q3y"][i]], "prevents", "therapy")),
    }

    def q4(i):
        a, b = by_name[anchors["q4a"][i]], by_name[anchors["q4b"][i]]
        try:
            path = nx.bidirectional_shortest_path(undirected, a, b)
            return hops_answer(len(path) - 1)
        except nx.NetworkXNoPath:
            return []

    def q5(i):
        b = by_name[anchors["q5"][i]]
        conds = preds(b, "spreads_to", "condition")
        comps = set().union(*[succs(c, "causes", "complication") for c in conds] or [set()])
        return set().union(*[succs(m, "causes", "symptom") for m in comps] or [set()])

    out["q4"] = time_each(len(anchors["q4a"]), reps, q4)
    out["q5"] = time_each(len(anchors["q5"]), reps, q5)
    return {"engine": "networkx", "load_s": load, "peak_mb": peak_mb(), "queries": out}


# ---------------------------------------------------------------- Oxigraph

def run_oxigraph(data, reps):
    import pyoxigraph as ox

    anchors, nodes, edges = read(data)
    E, R, P = "http://bonegraph.example/e/", "http://bonegraph.example/r/", "http://bonegraph.example/p/"
    t = time.perf_counter()
    store = ox.Store()  # in memory
    kind_p, name_p = ox.NamedNode(P + "kind"), ox.NamedNode(P + "name")
    rel = {r: ox.NamedNode(R + r) for r in RELATIONS}
    quads = []
    for i, kind, name in nodes:
        n = ox.NamedNode(E + i)
        quads.append(ox.Quad(n, kind_p, ox.Literal(kind)))
        quads.append(ox.Quad(n, name_p, ox.Literal(name)))
    for s, r, o in edges:
        quads.append(ox.Quad(ox.NamedNode(E + s), rel[r], ox.NamedNode(E + o)))
    store.bulk_extend(quads)
    del quads
    load = time.perf_counter() - t
    prefix = f"PREFIX e: <{E}> PREFIX r: <{R}> PREFIX p: <{P}> "

    def ids(query):
        return [str(row[0].value)[len(E):] for row in store.query(prefix + query)]

    def lit(s):
        return json.dumps(s)

    q1 = lambda x: f"SELECT DISTINCT ?t WHERE {{ ?x p:name {lit(x)} . ?t r:treats ?x . ?t p:kind \"therapy\" }}"
    out = {
        "q1": time_each(len(anchors["q1"]), reps, lambda i: ids(q1(anchors["q1"][i]))),
        "q2": time_each(len(anchors["q1"]), reps, lambda i: ids(
            f"SELECT DISTINCT ?s WHERE {{ ?x p:name {lit(anchors['q1'][i])} . ?t r:treats ?x . ?t p:kind \"therapy\" . "
            f"?t r:has_side_effect ?s . ?s p:kind \"side_effect\" }}")),
        "q3": time_each(len(anchors["q1"]), reps, lambda i: ids(
            f"SELECT DISTINCT ?t WHERE {{ ?x p:name {lit(anchors['q1'][i])} . ?y p:name {lit(anchors['q3y'][i])} . "
            f"?t r:treats ?x . ?t r:prevents ?y . ?t p:kind \"therapy\" }}")),
    }
    any_rel = "|".join(f"r:{r}|^r:{r}" for r in RELATIONS)

    def node_of(name):
        return next(iter(store.query(prefix + f"SELECT ?n WHERE {{ ?n p:name {lit(name)} }}")))[0]

    def q4(i):
        # SPARQL has no shortest path: a bidirectional breadth-first search, one SPARQL
        # query per layer, expanding the smaller side over every relation, either way.
        a, b = node_of(anchors["q4a"][i]), node_of(anchors["q4b"][i])
        if a == b:
            return []
        seen = [{a}, {b}]
        frontier = [[a], [b]]
        depth = 0
        while depth < 6 and frontier[0] and frontier[1]:
            s = 0 if len(frontier[0]) <= len(frontier[1]) else 1
            values = " ".join(str(n) for n in frontier[s])
            nxt = []
            depth += 1
            for row in store.query(prefix + f"SELECT DISTINCT ?n WHERE {{ VALUES ?f {{ {values} }} ?f {any_rel} ?n }}"):
                n = row[0]
                if n in seen[1 - s]:
                    return hops_answer(depth)
                if n not in seen[s]:
                    seen[s].add(n)
                    nxt.append(n)
            frontier[s] = nxt
        return []

    out["q4"] = time_each(len(anchors["q4a"]), reps, q4)
    out["q5"] = time_each(len(anchors["q5"]), reps, lambda i: ids(
        f"SELECT DISTINCT ?s WHERE {{ ?b p:name {lit(anchors['q5'][i])} . ?c r:spreads_to ?b . ?c p:kind \"condition\" . "
        f"?c r:causes ?m . ?m p:kind \"complication\" . ?m r:causes ?s . ?s p:kind \"symptom\" }}"))
    return {"engine": "oxigraph", "load_s": load, "peak_mb": peak_mb(), "queries": out}


# ---------------------------------------------------------------- Kuzu

def run_kuzu(data, reps):
    import kuzu

    anchors, _, _ = read(data)
    tmp = tempfile.mkdtemp(prefix="bonegraph-kuzu-")
    try:
        t = time.perf_counter()
        db = kuzu.Database(os.path.join(tmp, "db"))
        conn = kuzu.Connection(db)
        conn.execute("CREATE NODE TABLE Entity(id STRING, kind STRING, name STRING, PRIMARY KEY (id))")
        # Kuzu's COPY wants one file per relation table, without the relation column.
        by_rel = {r: [] for r in RELATIONS}
        with open(os.path.join(data, "edges.tsv")) as f:
            next(f)
            for line in f:
                s, r, o = line.rstrip("\n").split("\t")
                by_rel[r].append(f"{s},{o}\n")
        # Comma-separated copies (the generated names and ids hold no commas).
        nodes_csv = os.path.join(tmp, "nodes.csv")
        with open(os.path.join(data, "nodes.tsv")) as src, open(nodes_csv, "w") as dst:
            next(src)
            for line in src:
                dst.write(line.replace("\t", ","))
        conn.execute(f"COPY Entity FROM '{nodes_csv}' (HEADER=false)")
        for r, lines in by_rel.items():
            path = os.path.join(tmp, f"{r}.csv")
            with open(path, "w") as f:
                f.writelines(lines)
            conn.execute(f"CREATE REL TABLE {r}(FROM Entity TO Entity)")
            conn.execute(f"COPY {r} FROM '{path}' (HEADER=false)")
        del by_rel
        load = time.perf_counter() - t

        def ids(query, params):
            res = conn.execute(query, params)
            out = []
            while res.has_next():
                out.append(res.get_next()[0])
            return out

        q1 = "MATCH (t:Entity)-[:treats]->(x:Entity {name: $x}) WHERE t.kind = 'therapy' RETURN DISTINCT t.id"
        out = {
            "q1": time_each(len(anchors["q1"]), reps, lambda i: ids(q1, {"x": anchors["q1"][i]})),
            "q2": time_each(len(anchors["q1"]), reps, lambda i: ids(
                "MATCH (s:Entity)<-[:has_side_effect]-(t:Entity)-[:treats]->(x:Entity {name: $x}) "
                "WHERE t.kind = 'therapy' AND s.kind = 'side_effect' RETURN DISTINCT s.id", {"x": anchors["q1"][i]})),
            "q3": time_each(len(anchors["q1"]), reps, lambda i: ids(
                "MATCH (y:Entity {name: $y})<-[:prevents]-(t:Entity)-[:treats]->(x:Entity {name: $x}) "
                "WHERE t.kind = 'therapy' RETURN DISTINCT t.id", {"x": anchors["q1"][i], "y": anchors["q3y"][i]})),
        }

        def q4(i):
            res = conn.execute(
                "MATCH (a:Entity {name: $a})-[e* SHORTEST 1..6]-(b:Entity {name: $b}) RETURN length(e)",
                {"a": anchors["q4a"][i], "b": anchors["q4b"][i]})
            return hops_answer(res.get_next()[0]) if res.has_next() else []

        out["q4"] = time_each(len(anchors["q4a"]), reps, q4)
        out["q5"] = time_each(len(anchors["q5"]), reps, lambda i: ids(
            "MATCH (b:Entity {name: $b})<-[:spreads_to]-(c:Entity)-[:causes]->(m:Entity)-[:causes]->(s:Entity) "
            "WHERE c.kind = 'condition' AND m.kind = 'complication' AND s.kind = 'symptom' RETURN DISTINCT s.id",
            {"b": anchors["q5"][i]}))
        result = {"engine": "kuzu", "load_s": load, "peak_mb": peak_mb(), "queries": out}
        conn.close()
        db.close()
        return result
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--engine", required=True, choices=["kuzu", "oxigraph", "networkx"])
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    run = {"kuzu": run_kuzu, "oxigraph": run_oxigraph, "networkx": run_networkx}[args.engine]
    print(json.dumps(run(args.data, args.reps)))


if __name__ == "__main__":
    sys.exit(main())
