"""SQL engines for the differential test: DuckDB in process, and Apache Spark SQL through a
PySpark session on a standalone cluster (tests/differential/spark.sh starts one).

Both read the directory `bonegraph export parquet -o DIR` writes, by running the script
the export puts in it for them (`duckdb.sql`, `spark.sql`) with DIR as the working
directory, as the docs tell users to. Queries come from `bonegraph translate sql --dialect
duckdb|spark`; rows come back as tuples (arrays as lists), in the shape the Cypher rows
have, so check.py reduces both alike.
"""

import os
import subprocess
from pathlib import Path

# The dialect `translate sql` is asked for, per engine.
DIALECTS = {"duckdb": "duckdb", "spark": "spark"}


def statements(text):
    """The statements of a SQL script: `--` comment lines dropped, split on `;` outside
    string literals (Spark's literals escape a quote with a backslash, DuckDB's double it:
    both are read as a quote that does not end the literal)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    body = "\n".join(lines)
    out, cur, quote, i = [], [], False, 0
    while i < len(body):
        ch = body[i]
        cur.append(ch)
        if quote:
            if ch == "\\" and i + 1 < len(body):
                cur.append(body[i + 1])
                i += 1
            elif ch == "'":
                quote = False
        elif ch == "'":
            quote = True
        elif ch == ";":
            cur.pop()
            out.append("".join(cur))
            cur = []
        i += 1
    out.append("".join(cur))
    return [s.strip() for s in out if s.strip()]


def export_parquet(binary, graph, work):
    out = work / "parquet-export"
    if not out.exists():
        r = subprocess.run([binary, "export", "parquet", *graph, "-o", str(out)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"export parquet failed: {r.stderr}")
    return out


class in_directory:
    """Runs a block with `path` as the working directory."""

    def __init__(self, path):
        self.path, self.old = path, None

    def __enter__(self):
        self.old = os.getcwd()
        os.chdir(self.path)

    def __exit__(self, *exc):
        os.chdir(self.old)


class DuckDB:
    name = "duckdb"
    # One connection answers one query at a time.
    concurrent = False

    def __init__(self, export):
        import duckdb

        self.conn = duckdb.connect()
        with in_directory(export):
            for stmt in statements((Path(export) / "duckdb.sql").read_text()):
                self.conn.execute(stmt)
            # Views read the files when queried: materialise them, so that queries do not
            # depend on the working directory.
            for table in ("entities", "edges", "attributes"):
                self.conn.execute(f"CREATE TABLE t_{table} AS SELECT * FROM {table}")
                self.conn.execute(f"DROP VIEW {table}")
                self.conn.execute(f"ALTER TABLE t_{table} RENAME TO {table}")

    def rows(self, text):
        return [tuple(r) for r in self.conn.execute(text).fetchall()]

    def close(self):
        self.conn.close()


def spark_session(master, app="bonegraph-differential"):
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.master(master)
        .appName(app)
        # Small tables: a few partitions, not the default 200 per shuffle.
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        # Queries from several threads share the executors rather than queue behind each other.
        .config("spark.scheduler.mode", "FAIR")
        # Adaptive execution re-plans between stages: time that tables this small never repay.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.executor.memory", os.environ.get("SPARK_EXECUTOR_MEMORY", "1g"))
        .getOrCreate()
    )


class Spark:
    name = "spark"
    # A session takes queries from many threads at once and shares the cluster between them.
    concurrent = True

    def __init__(self, export, master):
        # The driver's JVM resolves the script's relative paths against its own working
        # directory, which is the one it starts in: start it inside the export.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        with in_directory(export):
            self.session = spark_session(master)
            self.session.sparkContext.setLogLevel("ERROR")
            for stmt in statements((Path(export) / "spark.sql").read_text()):
                self.session.sql(stmt)
        for table in ("entities", "edges", "attributes"):
            self.session.sql(f"CACHE TABLE {table}")
        # Executors and workers in use: proof that the queries ran on the cluster.
        self.executors = self.session.sparkContext._jsc.sc().getExecutorMemoryStatus().size() - 1

    def rows(self, text):
        return [tuple(r) for r in self.session.sql(text.strip().rstrip(";")).collect()]

    def close(self):
        self.session.stop()
