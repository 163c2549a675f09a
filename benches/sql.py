#!/usr/bin/env python3
"""The five benchmark queries translated to SQL (`bonegraph translate sql`), on DuckDB and on
Apache Spark SQL on a standalone cluster, next to bonegraph, on one generated graph.

In one run, for a data directory made by `perf generate` (or `bash benches/run.sh`):
  1. bonegraph's answers and times on every anchor (`perf run --engine bonegraph-snapshot`);
  2. `bonegraph export parquet` of the graph, timed;
  3. DuckDB: `duckdb.sql`, the tables materialised in memory, then every translated query
     on the first --anchors anchors (median of --reps), each answer checked against
     bonegraph's (the FNV digest of sorted ids of perf.rs; paths by hop count up to 6);
  4. Spark: a session on the cluster at --master (tests/differential/spark.sh start),
     `spark.sql` (views, the cached hierarchy closure) and the tables cached, then the same
     queries, --spark-anchors of them, one at a time, each with a time limit;
  5. a markdown table, with the memory each engine held: the peak RSS of the processes
     (bonegraph; the Python process running DuckDB; Spark's executors and driver, read with
     ps while the tables are cached) and the size of Spark's cached tables.

Usage: python3 benches/sql.py --data target/bench/1000000 --perf PERF_BINARY
           --master spark://127.0.0.1:7077 [--anchors 50] [--spark-anchors 10] [--reps 3]
`bash benches/sql.sh [ENTITIES ...]` builds what it needs, starts the cluster and runs this.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from statistics import median

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "differential"))
from compare import digest, hops_answer  # noqa: E402
import sql_engines  # noqa: E402

QUERIES = ["q1", "q2", "q3", "q4", "q5"]


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout


def answer(q, rows):
    """What perf.rs digests: the ids of a set, or `hops=N` for a path of 1 to 6 steps."""
    if q == "q4":
        return hops_answer(rows[0][0] if rows else None)
    return [r[0] for r in rows]


def rss_mb(pattern):
    """Summed resident memory of the processes whose command line holds `pattern`."""
    out = subprocess.run(["ps", "-eo", "rss,args"], capture_output=True, text=True).stdout
    return sum(int(line.split(None, 1)[0]) for line in out.splitlines()[1:]
               if pattern in line and "ps -eo" not in line) / 1024.0


def timed(n, reps, ask, limit_s):
    """Median time of each of n questions (`ask(i)` returns rows), its digest, and how many
    ran out of time (those count as wrong)."""
    times, digests, late = [], [], 0
    for i in range(n):
        runs, got = [], None
        for _ in range(reps):
            t = time.perf_counter()
            got = ask(i, limit_s)
            runs.append(time.perf_counter() - t)
            if got is None:
                break
        if got is None:
            late += 1
            digests.append(None)
            times.append(limit_s)
            continue
        times.append(sorted(runs)[len(runs) // 2])
        digests.append(got)
    return {"median_s": median(times), "max_s": max(times), "digests": digests, "late": late}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--bonegraph", default="target/release/bonegraph")
    ap.add_argument("--perf", required=True, help="the perf bench binary")
    ap.add_argument("--master", required=True, help="spark://HOST:PORT")
    ap.add_argument("--anchors", type=int, default=50, help="anchors per query on DuckDB")
    ap.add_argument("--spark-anchors", type=int, default=10, help="anchors per query on Spark")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--limit", type=float, default=300.0, help="seconds a query may take")
    args = ap.parse_args()
    data = os.path.abspath(args.data.rstrip("/"))
    binary = os.path.abspath(args.bonegraph)

    reference = json.loads(run([args.perf, "run", "--engine", "bonegraph-snapshot", "--data", data,
                                "--reps", str(args.reps)]))
    translations = json.loads(run([args.perf, "translate", "--data", data]))
    work = tempfile.mkdtemp(prefix="bonegraph-sql-")
    try:
        export = os.path.join(work, "tables")
        t = time.perf_counter()
        run([binary, "export", "parquet", os.path.join(data, "graph.ron"), "-o", export])
        export_s = time.perf_counter() - t
        size_mb = sum(os.path.getsize(os.path.join(export, f)) for f in os.listdir(export)
                      if f.endswith(".parquet")) / 1e6

        # DuckDB, in this process.
        t = time.perf_counter()
        duck = sql_engines.DuckDB(export)
        duck_load = time.perf_counter() - t

        def duck_ask(q):
            def ask(i, limit_s):
                timer = threading.Timer(limit_s, duck.conn.interrupt)
                timer.start()
                try:
                    return digest(answer(q, duck.rows(translations["duckdb"][q][i])))
                except Exception as e:  # interrupted: out of time
                    if "INTERRUPT" in str(e).upper():
                        return None
                    raise
                finally:
                    timer.cancel()
            return ask

        results = {"duckdb": {}, "spark": {}}
        for q in QUERIES:
            n = min(args.anchors, len(translations["duckdb"][q]))
            results["duckdb"][q] = timed(n, args.reps, duck_ask(q), args.limit)
        duck_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        duck.close()

        # Spark, on the cluster.
        os.environ.setdefault("SPARK_EXECUTOR_MEMORY", "1800m")
        t = time.perf_counter()
        spark = sql_engines.Spark(export, args.master)
        spark_load = time.perf_counter() - t
        sc = spark.session.sparkContext
        cached_mb = sum(info.memSize() + info.diskSize()
                        for info in sc._jsc.sc().getRDDStorageInfo()) / 1e6

        def spark_ask(q):
            def ask(i, limit_s):
                group = f"bench-{q}-{i}"
                sc.setJobGroup(group, group, interruptOnCancel=True)
                timer = threading.Timer(limit_s, lambda: sc.cancelJobGroup(group))
                timer.start()
                try:
                    return digest(answer(q, spark.rows(translations["spark"][q][i])))
                except Exception as e:
                    if "cancel" in str(e).lower():
                        return None
                    raise
                finally:
                    timer.cancel()
            return ask

        for q in QUERIES:
            n = min(args.spark_anchors, len(translations["spark"][q]))
            results["spark"][q] = timed(n, 1, spark_ask(q), args.limit)
        executors_mb = rss_mb("CoarseGrainedExecutorBackend")
        driver_mb = rss_mb("org.apache.spark.deploy.SparkSubmit")
        spark.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    entities = reference.get("entities")
    print(f"## SQL engines, {os.path.basename(data)} entities ({reference.get('relations')} relations)\n")
    print(f"Loads: bonegraph snapshot {reference['load_s']:.1f} s, peak {reference['peak_mb']:.0f} MB; "
          f"`export parquet` {export_s:.1f} s ({size_mb:.0f} MB of Parquet); "
          f"DuckDB {duck_load:.1f} s (tables materialised; Python process peak {duck_mb:.0f} MB); "
          f"Spark {spark_load:.1f} s (session, views, hierarchy closure and tables cached: "
          f"{cached_mb:.0f} MB cached; executors {executors_mb:.0f} MB and driver "
          f"{driver_mb:.0f} MB resident).\n")
    print("| query | bonegraph median | DuckDB median (max) | DuckDB / bonegraph | DuckDB answers equal | "
          "Spark median (max) | Spark / bonegraph | Spark answers equal |")
    print("|---|---|---|---|---|---|---|---|")
    wrong = 0
    for q in QUERIES:
        want = reference["queries"][q]["digests"]
        ours_s = reference["queries"][q]["median_us"] / 1e6
        cells = [q, f"{ours_s * 1e3:.2f} ms"]
        for engine in ["duckdb", "spark"]:
            r = results[engine][q]
            n = len(r["digests"])
            equal = sum(a == b for a, b in zip(r["digests"], want))
            wrong += n - equal
            late = f", {r['late']} out of time" if r["late"] else ""
            cells += [f"{r['median_s'] * 1e3:.0f} ms ({r['max_s'] * 1e3:.0f} ms)",
                      f"{r['median_s'] / ours_s:,.0f}×", f"{equal}/{n}{late}"]
        print("| " + " | ".join(cells) + " |")
    print(f"\nbonegraph: median over all {len(reference['queries']['q1']['digests'])} anchors; "
          f"DuckDB: the first {args.anchors}, median of {args.reps}; Spark: the first "
          f"{args.spark_anchors}, one run each. Entities: {entities}.")
    sys.exit(1 if wrong else 0)


if __name__ == "__main__":
    main()
