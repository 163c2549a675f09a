#!/usr/bin/env python3
"""Differential test: the same questions asked of bonegraph, of Oxigraph (SPARQL over the
RDF export) and of Kuzu (Cypher over the property-graph export) must give the same answers.

Usage: check.py BONEGRAPH_BINARY [--graph FILE] [--generated N] [--conditions N]
                [--cypher kuzu|ladybug|none]
                [--no-sparql] [--sql duckdb,spark] [--spark-master URL] [--verbose]
(run.sh builds the binary, installs the Python packages and calls this).

Queries come from grammar/corpus/accepted.txt, grammar/corpus/rejected.txt, the `> ` lines of
grammar/README.md's examples and of tests/transcripts/*.txt (meta-commands skipped), plus
300 queries generated from the graph's own words (seeded; `--generated N` for more or fewer)
and 100 (`--conditions N`) attribute questions and selections with conditions (`where ...`), generated from the
graph's attributes, qualifier words and sections with a seed of their own.
For each query:
  - bonegraph refuses it (unknown name, type error, ...): `translate` must refuse it too;
  - a set: the names must be equal as sets (SPARQL `?name`, Cypher `name`);
  - a count: the numbers must be equal (of entities, or of attribute values);
  - attribute values: the (entity name, value) pairs must be equal as sets;
  - describe: the (direction, relation, other entity's name) triples must be equal;
  - path / paths: the hop counts must be equal, in order, and every path Kuzu returns must
    start and end at the right entities. SPARQL cannot return paths; `translate sparql`
    must refuse them, which is counted as "not expressible".
The Cypher engine (Kuzu, or with `--cypher ladybug` LadybugDB, Kuzu's maintained fork, from the
`ladybug` package) is loaded twice, from the CSV directory (kuzu-import.cypher) and from
the Cypher script (--dialect kuzu); both must answer alike. `--no-sparql` skips Oxigraph (for a
second run that checks only another Cypher engine; `--cypher none` skips Cypher). Oxigraph
loads the Turtle export, and the N-Triples export must hold the same triples.
`--sql duckdb,spark` also checks SQL engines (tests/differential/sql_engines.py) on the
directory `bonegraph export parquet` writes, loaded with the script the export writes for
each (`duckdb.sql`, `spark.sql`), with `translate sql --dialect ENGINE`; Spark runs on the
cluster at `--spark-master` (tests/differential/spark.sh starts one on localhost).
Exit status: 0 if every query agrees, 1 otherwise.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from statistics import median
from pathlib import Path

import importlib

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sql_engines  # noqa: E402

# The Cypher engine to check, by name, and its Python module: Kuzu, or LadybugDB, Kuzu's
# maintained fork (Kuzu is archived; 0.11.3 is its last release). Both read the same
# `--dialect kuzu` exports and translations, but their modules cannot be loaded into one
# process (they register the same native types), so each run checks one (`--cypher ENGINE`).
MODULES = {"kuzu": "kuzu", "ladybug": "ladybug", "none": None}
CYPHER = {}

ROOT = Path(__file__).resolve().parents[2]
# How many generated queries to add to the written ones (`--generated N` changes it).
GENERATED = 300
# How many generated attribute questions and selections with conditions (`--conditions N`).
CONDITIONS = 100
# How many queries an engine that takes them side by side (Spark) is given at once.
CONCURRENT = int(os.environ.get("BONEGRAPH_SPARK_CONCURRENT", "6"))


def run(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True)


def queries():
    """Every query of the corpus, README and transcripts, once, in a stable order."""
    found = []
    for line in (ROOT / "grammar/corpus/accepted.txt").read_text().splitlines():
        if line and not line.startswith("#") and " => " in line:
            found.append(line.split(" => ")[0])
    for line in (ROOT / "grammar/corpus/rejected.txt").read_text().splitlines():
        if line.startswith("> "):
            found.append(line[2:])
    for path in [ROOT / "grammar/README.md", *sorted((ROOT / "tests/transcripts").glob("*.txt"))]:
        for line in path.read_text().splitlines():
            if line.startswith("> ") and not line[2:].lstrip().startswith(":"):
                found.append(line[2:])
    seen, out = set(), []
    for q in found:
        if q.strip() and q not in seen:
            seen.add(q)
            out.append(q)
    return out


def generated(export, count, seed=9):
    """`count` queries built from the graph's own words (seeded, so every run asks the same):
    kinds, phrases of every relation type in both directions, quoted names, chains, set
    operators, counts and paths. Many are type errors, which both sides must refuse alike."""
    import random

    rnd = random.Random(seed)
    schema = export["schema"]
    plural = {k["id"]: k["plural"] for k in schema["kinds"]}
    by_kind = {}
    for e in export["entities"]:
        by_kind.setdefault(e["kind"], []).append(e["name"])
    everyone = [e["name"] for e in export["entities"]]
    # (subject kinds, phrase, object kinds) for every phrase; "*" is any kind.
    steps = []
    for r in schema["relations"]:
        for p in r["forward"]:
            steps.append((r["from"], p, r["to"]))
        for p in r["inverse"]:
            steps.append((r["to"], p, r["from"]))

    def quoted(n):
        return '"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def name(kinds="*"):
        pool = everyone
        if "*" not in kinds and rnd.random() < 0.9:
            pool = [n for k in kinds for n in by_kind.get(k, [])] or everyone
        return quoted(rnd.choice(pool))

    def target(kinds, depth):
        if depth < 2 and rnd.random() < 0.3:
            return selection(depth + 1, kinds)
        if rnd.random() < 0.15:
            return f"({name(kinds)} or {name(kinds)})"
        return name(kinds)

    def selection(depth=0, kinds="*"):
        """A selection, usually of one of `kinds` and with phrases that fit it."""
        kind = rnd.choice(list(plural) if "*" in kinds else kinds)
        q = plural[kind] if rnd.random() < 0.9 else "things"
        fitting = [s for s in steps if "*" in s[0] or kind in s[0]]
        for i in range(rnd.choice([0, 1, 1, 1, 2])):
            subject, phrase, obj = rnd.choice(fitting if rnd.random() < 0.85 else steps)
            q += (" and " if i else " ") + f"{phrase} {target(obj, depth)}"
        return q

    out = []
    while len(out) < count:
        roll = rnd.random()
        if roll < 0.6:
            q = selection()
        elif roll < 0.8:
            q = f"({selection()}) {rnd.choice(['and', 'or', 'except'])} ({selection()})"
        elif roll < 0.9:
            q = f"count {selection()}"
        elif roll < 0.95:
            q = f"describe {name()}"
        else:
            q = f"paths from {name()} to {name()} limit {rnd.randint(1, 4)}"
        out.append(q)
    return out


def generated_conditions(export, count, seed=11):
    """`count` attribute questions and selections with conditions (seeded), most of them
    grounded in a real claim (an entity's attribute value, an edge) and tested on one of its
    own qualifier words or its section, the rest from words drawn at random: the forms that
    translation must say exactly. Some are refused (a value no claim has, a type error); both
    sides must refuse those alike."""
    import random

    rnd = random.Random(seed)
    schema = export["schema"]
    plural = {k["id"]: k["plural"] for k in schema["kinds"]}
    by_id = {e["id"]: e for e in export["entities"]}
    names = [e["name"] for e in export["entities"]]
    label = {a["id"]: a["label"] for a in schema.get("attributes", [])}
    attrs = list(label.values()) + [a.replace("_", " ") for a in label]
    rels = {r["id"]: r for r in schema["relations"]}
    fields = ["frequency", "rank", "quantity", "timing", "context", "hedge"]
    values = [(e, a) for e in export["entities"] for a in e.get("attributes", [])]
    edges = [r for r in export["relations"] if rels[r["rel"]]["forward"] and r.get("basis") != "Inferred"]
    words = {f: [] for f in fields}
    for c in list(export["relations"]) + [a for _, a in values]:
        for f in fields:
            if c.get(f):
                words[f].extend(re.findall(r"\w+", c[f].lower()))
    sections = [s["id"] for src in export["sources"] for s in src.get("sections", [])]

    def quoted(n):
        return '"' + n.replace("\\", "\\\\").replace('"', '\\"') + '"'

    def grounded(claim, on_values):
        """A condition that `claim` meets, if it has something to test."""
        options = []
        if claim.get("section"):
            options.append(f"section is {quoted(claim['section'])}")
        certainty = (claim.get("certainty") or "established").lower()
        options.append(f"certainty is {certainty}")
        for f in fields:
            if claim.get(f) and (not on_values or f in ("context", "hedge")):
                field = "certainty" if f == "hedge" else f
                word = rnd.choice(re.findall(r"\w+", claim[f]))
                options.append(f"{field} is {quoted(word)}")
        return rnd.choice(options)

    def drawn(on_values):
        choices = ["certainty", "section", "context"]
        if not on_values:
            choices += ["frequency", "rank", "quantity", "timing"]
        field = rnd.choice(choices)
        pool = {"certainty": ["established", "likely", "possible", "speculative"] + words["hedge"],
                "section": sections}.get(field, words.get(field, []))
        return f"{field} is {quoted(rnd.choice(pool))}" if pool else "certainty is possible"

    out = []
    for _ in range(count):
        ground = rnd.random() < 0.7
        if rnd.random() < 0.5 and attrs and names:
            if ground and values:
                e, a = rnd.choice(values)
                q = f"{rnd.choice([label[a['key']], a['key'].replace('_', ' ')])} of {quoted(e['name'])}"
                if rnd.random() < 0.7:
                    q += " where " + grounded(a, True)
            else:
                target = rnd.choice([quoted(rnd.choice(names)), rnd.choice(list(plural.values()))])
                q = f"{rnd.choice(attrs)} of {target} where {drawn(True)}"
        elif edges:
            r = rnd.choice(edges)
            kind = by_id[r["from"]]["kind"]
            phrase = rnd.choice(rels[r["rel"]]["forward"])
            q = f"{plural[kind]} {phrase} {quoted(by_id[r['to']]['name'])} where "
            q += grounded(r, False) if ground else drawn(False)
            if rnd.random() < 0.3:
                q += " and " + (grounded(r, False) if ground else drawn(False))
        else:
            continue
        if rnd.random() < 0.15:
            q = "count " + q
        out.append(q)
    return out


def load_oxigraph(binary, graph, work):
    ttl, nt = work / "graph.ttl", work / "graph.nt"
    for fmt, path in [("turtle", ttl), ("ntriples", nt)]:
        r = run(binary, "export", "rdf", *graph, "--format", fmt, "-o", str(path))
        if r.returncode != 0:
            sys.exit(f"export rdf --format {fmt} failed: {r.stderr}")
    store = ox.Store()
    store.bulk_load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    from_ttl = set(store.quads_for_pattern(None, None, None, None))
    other = ox.Store()
    other.bulk_load(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
    from_nt = set(other.quads_for_pattern(None, None, None, None))
    if from_ttl != from_nt:
        sys.exit(f"Turtle and N-Triples exports differ: {len(from_ttl ^ from_nt)} triples")
    return store, len(from_ttl)


def kuzu_statements(text):
    """Statements of a Cypher script: `;`-terminated, `//` comment lines dropped."""
    lines = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("//")]
    body = "\n".join(lines)
    return [s.strip() for s in split_statements(body) if s.strip()]


def split_statements(body):
    """Splits on `;` outside quotes and back-quotes."""
    out, cur, quote, i = [], [], None, 0
    while i < len(body):
        ch = body[i]
        cur.append(ch)
        if quote:
            if ch == "\\" and quote == "'" and i + 1 < len(body):
                cur.append(body[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
        elif ch == ";":
            cur.pop()
            out.append("".join(cur))
            cur = []
        i += 1
    out.append("".join(cur))
    return out


def load_kuzu_csv(binary, graph, work, engine="kuzu"):
    out = work / f"{engine}-csv-export"
    r = run(binary, "export", "csv", *graph, "-o", str(out))
    if r.returncode != 0:
        sys.exit(f"export csv failed: {r.stderr}")
    db = CYPHER[engine]
    conn = db.Connection(db.Database(str(work / f"{engine}-csv")))
    cwd = os.getcwd()
    os.chdir(out)  # kuzu-import.cypher names its files relative to the directory
    try:
        for stmt in kuzu_statements((out / "kuzu-import.cypher").read_text()):
            conn.execute(stmt)
    finally:
        os.chdir(cwd)
    return conn


def load_kuzu_script(binary, graph, work, engine="kuzu"):
    script = work / f"{engine}-graph.cypher"
    r = run(binary, "export", "cypher", *graph, "--dialect", "kuzu", "-o", str(script))
    if r.returncode != 0:
        sys.exit(f"export cypher failed: {r.stderr}")
    db = CYPHER[engine]
    conn = db.Connection(db.Database(str(work / f"{engine}-script")))
    for stmt in kuzu_statements(script.read_text()):
        conn.execute(stmt)
    return conn


def kuzu_rows(conn, text):
    res = conn.execute(text.strip().rstrip(";"))
    rows = []
    while res.has_next():
        rows.append(res.get_next())
    return rows


def sparql_rows(store, text):
    return [tuple(None if v is None else v.value for v in row) for row in store.query(text)]


def expected(answer):
    """bonegraph's answer, reduced to what the other engines return."""
    if "rows" in answer:
        return "set", sorted({r["name"] for r in answer["rows"]})
    if "count" in answer:
        return "count", answer["count"]
    if "entity" in answer:
        # A set: RDF keeps one copy of a triple stated twice (denosumab treats lung cancer,
        # with two claims), so the engines return each (direction, relation, name) once.
        return "describe", sorted(
            {(r["direction"], r["rel"], r["other_name"]) for r in describe_rows(answer["entity"])}
        )
    if "paths" in answer:
        return "paths", [len(p["steps"]) for p in answer["paths"]]
    if "values" in answer:
        return "values", sorted({(v["name"], v["value"]) for v in answer["values"]})
    raise ValueError(f"unknown answer shape: {sorted(answer)}")


NAMES = {}


def describe_rows(card):
    for r in card["relations"]:
        other = r["to"] if r["direction"] == "out" else r["from"]
        yield {"direction": r["direction"], "rel": r["rel"], "other_name": NAMES[other]}


def reduce_sparql(shape, rows):
    if shape == "set":
        return sorted({r[1] for r in rows})
    if shape == "values":
        return sorted({(r[1], r[2]) for r in rows})
    if shape == "count":
        return int(rows[0][0])
    if shape == "describe":
        return sorted(set(rows))
    raise ValueError(shape)


def reduce_cypher(shape, rows, ends):
    if shape == "set":
        return sorted({r[1] for r in rows})
    if shape == "values":
        return sorted({(r[1], r[2]) for r in rows})
    if shape == "count":
        return rows[0][0]
    if shape == "describe":
        return sorted({tuple(r) for r in rows})
    if shape == "paths":
        for hops, names in rows:
            if (names[0], names[-1]) != ends:
                return f"a path from {names[0]} to {names[-1]}"
        return [r[0] for r in rows]
    raise ValueError(shape)


def main():
    args = sys.argv[1:]
    verbose = "--verbose" in args
    args = [a for a in args if a != "--verbose"]
    if not args:
        sys.exit(__doc__)
    global GENERATED
    if "--generated" in args:
        GENERATED = int(args[args.index("--generated") + 1])
    global CONDITIONS
    if "--conditions" in args:
        CONDITIONS = int(args[args.index("--conditions") + 1])
    cypher = "kuzu"
    if "--cypher" in args:
        cypher = args[args.index("--cypher") + 1]
        if cypher not in MODULES:
            sys.exit(f"--cypher: one of {', '.join(MODULES)}")
    if MODULES[cypher]:
        CYPHER[cypher] = importlib.import_module(MODULES[cypher])
    sql = []
    if "--sql" in args:
        sql = [e for e in args[args.index("--sql") + 1].split(",") if e]
        unknown = [e for e in sql if e not in sql_engines.DIALECTS]
        if unknown:
            sys.exit(f"--sql: engines among {', '.join(sql_engines.DIALECTS)}, not {unknown}")
    master = args[args.index("--spark-master") + 1] if "--spark-master" in args else None
    if "spark" in sql and not master:
        sys.exit("--sql spark needs --spark-master URL (tests/differential/spark.sh start)")
    sparql = "--no-sparql" not in args
    binary, graph = args[0], []
    if "--graph" in args:
        graph = ["--graph", args[args.index("--graph") + 1]]
    export = json.loads(run(binary, "export", "json", *graph).stdout)
    NAMES.update({e["id"]: e["name"] for e in export["entities"]})

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store, triples = load_oxigraph(binary, graph, work) if sparql else (None, 0)
        loaded = {
            e: (load_kuzu_csv(binary, graph, work, e), load_kuzu_script(binary, graph, work, e))
            for e in CYPHER
        }
        sql_loaded = {}
        if sql:
            export_dir = sql_engines.export_parquet(binary, graph, work)
            for e in sql:
                sql_loaded[e] = (sql_engines.DuckDB(export_dir) if e == "duckdb"
                                 else sql_engines.Spark(export_dir, master))
        loaded_what = ([f"Oxigraph {triples} triples"] if sparql else []) + (
            [" and ".join(e.capitalize() for e in CYPHER) + " from CSV and from the Cypher script"]
            if CYPHER else [])
        for e, engine in sql_loaded.items():
            where = (f" on {master} ({engine.executors} executors)" if e == "spark" else "")
            loaded_what.append(f"{e} from the Parquet export{where}")
        print(f"loaded: {'; '.join(loaded_what)}")

        tally = {**({"oxigraph": Counter()} if sparql else {}), **{e: Counter() for e in CYPHER},
                 **{e: Counter() for e in sql_loaded}}
        failures = []
        timings = {"bonegraph (whole process)": [], "Oxigraph (query only)": [],
                   **{f"{e.capitalize()} (query only)": [] for e in [*CYPHER, *sql_loaded]}}
        deferred = []  # queries for engines that answer many at once, asked after the loop

        def judge(engine, q, shape, want, got):
            if got == want:
                tally[engine][f"agree ({shape})"] += 1
                if shape == "set" and want:
                    tally[engine]["of which non-empty sets"] += 1
                if verbose:
                    print(f"ok  {engine:8} {q}")
            else:
                failures.append((engine, q, f"bonegraph {want}\n      {engine} {got}"))

        qs = queries()
        qs += [q for q in generated(export, GENERATED) if q not in qs]
        qs += [q for q in generated_conditions(export, CONDITIONS) if q not in qs]
        for q in qs:
            started = time.perf_counter()
            r = run(binary, "query", *graph, "--canonical", "--format", "json", q)
            took = time.perf_counter() - started
            answer = json.loads(r.stdout) if r.stdout.strip() else {}
            refused = r.returncode == 2 or "error" in answer
            if not refused:
                timings["bonegraph (whole process)"].append(took)
            engines = [("oxigraph", ["sparql"])] if sparql else []
            engines += [(e, ["cypher", "--dialect", "kuzu"]) for e in CYPHER]
            engines += [(e, ["sql", "--dialect", sql_engines.DIALECTS[e]]) for e in sql_loaded]
            for engine, to in engines:
                t = run(binary, "translate", *to, *graph, q)
                if refused:
                    if t.returncode == 2:
                        tally[engine]["refused by both"] += 1
                    else:
                        failures.append((engine, q, "bonegraph refuses it but translate does not"))
                    continue
                shape, want = expected(answer)
                if t.returncode != 0:
                    if engine == "oxigraph" and shape == "paths" and "cannot return a path" in t.stderr:
                        tally[engine]["not expressible"] += 1
                    else:
                        failures.append((engine, q, f"translate failed: {t.stderr.strip()}"))
                    continue
                try:
                    started = time.perf_counter()
                    ends = None
                    if shape == "paths" and answer["paths"]:
                        first = answer["paths"][0]["steps"]
                        start = first[0]["from"] if first[0]["forward"] else first[0]["to"]
                        last = first[-1]["to"] if first[-1]["forward"] else first[-1]["from"]
                        ends = (NAMES[start], NAMES[last])
                    if engine == "oxigraph":
                        got = reduce_sparql(shape, sparql_rows(store, t.stdout))
                        timings["Oxigraph (query only)"].append(time.perf_counter() - started)
                    elif engine in sql_loaded and sql_loaded[engine].concurrent:
                        deferred.append((engine, q, shape, want, ends, t.stdout))
                        continue
                    elif engine in sql_loaded:
                        got = reduce_cypher(shape, sql_loaded[engine].rows(t.stdout), ends)
                        timings[f"{engine.capitalize()} (query only)"].append(time.perf_counter() - started)
                    else:
                        from_csv, from_script = loaded[engine]
                        got = reduce_cypher(shape, kuzu_rows(from_csv, t.stdout), ends)
                        timings[f"{engine.capitalize()} (query only)"].append(time.perf_counter() - started)
                        again = reduce_cypher(shape, kuzu_rows(from_script, t.stdout), ends)
                        if again != got:
                            failures.append((engine, q, f"the CSV and script loads differ: {got} vs {again}"))
                            continue
                except Exception as e:  # a query the engine rejects is a failure, not a crash
                    failures.append((engine, q, f"{type(e).__name__}: {e}"))
                    continue
                judge(engine, q, shape, want, got)

        # Spark's queries, many at once: each takes the cluster a second or so, mostly in
        # scheduling, so running them side by side is what keeps the test short.
        def ask(job):
            engine, q, shape, want, ends, text = job
            started = time.perf_counter()
            try:
                got = reduce_cypher(shape, sql_loaded[engine].rows(text), ends)
            except Exception as e:  # a query the engine rejects is a failure, not a crash
                return job, f"{type(e).__name__}: {e}", None
            return job, None, (got, time.perf_counter() - started)

        with ThreadPoolExecutor(max_workers=CONCURRENT) as pool:
            for (engine, q, shape, want, _, _), error, result in pool.map(ask, deferred):
                if error:
                    failures.append((engine, q, error))
                    continue
                got, took = result
                timings[f"{engine.capitalize()} (query only)"].append(took)
                judge(engine, q, shape, want, got)

        print(f"{len(qs)} queries")
        for engine, counts in tally.items():
            total = sum(n for k, n in counts.items() if not k.startswith("of which"))
            parts = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
            print(f"{engine}: {total} of {len(qs)} match ({parts})")
        print("time per answered query, median (max): " + ", ".join(
            f"{name} {median(ts) * 1000:.1f} ms ({max(ts) * 1000:.0f} ms)"
            for name, ts in timings.items() if ts))
        for engine, q, why in failures:
            print(f"MISMATCH {engine}: {q}\n      {why}")
        for engine in sql_loaded.values():
            engine.close()
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
