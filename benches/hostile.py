#!/usr/bin/env python3
"""The large versions of the hostile inputs that tests/shapes.rs, tests/robustness.rs and
tests/text_safety.rs check scaled down: each run in its own process under a memory cap and a
timeout, with its wall time, peak memory and output size recorded. Not a test: the figures
are for the closing notes and docs/benchmark-results.md.

Usage: python3 benches/hostile.py BIN [--old OLD_BIN] [--cap-mb 4096] [--timeout 120]
With --old, every case also runs on OLD_BIN (for example a build of an earlier commit), and
the table shows both.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

WORK = os.path.join(tempfile.gettempdir(), "bonegraph-hostile")
MEMFILE = os.path.join(WORK, "peak-kb")
TIMED = ["/usr/bin/time", "-f", "%M", "-o", MEMFILE]


def shape(path, rels, chain, back=0, rel_loop=False, aliases=0, long_name=0, names_per_entity=1):
    """One kind; `rels` relation types, each the parent of the next (or in a loop); `chain`
    entities in an is_a chain, with a back edge to the start every `back` entities."""
    if os.path.exists(path):
        return path
    with open(path, "w") as out:
        out.write('(name: "hostile", schema: (kinds: [(id: "k", singular: "thing k", plural: "things k")], relations: [\n')
        out.write('(id: "is_a", from: ["*"], to: ["*"], hierarchy: true, forward: ["that are"], inverse: ["including"]),\n')
        for r in range(rels):
            parent = f', parent: "r{r - 1}"' if r > 0 else (f', parent: "r{rels - 1}"' if rel_loop and rels > 1 else "")
            out.write(f'(id: "r{r}", from: ["k"], to: ["k"], forward: ["p{r}"], inverse: ["q{r}"]{parent}),\n')
        out.write(']),\nsources: [(id: "s", title: "s")],\nentities: [\n')
        for i in range(chain):
            extra = ""
            if aliases:
                extra = ", aliases: [" + ", ".join(f'"alias {i} {j}"' for j in range(aliases)) + "]"
            name = f"e {i}"
            if long_name and i == 0:
                name = "n" * long_name
            out.write(f'(id: "e{i}", kind: "k", name: "{name}"{extra}),\n')
        out.write('],\nrelations: [\n')
        for i in range(1, chain):
            out.write(f'(from: "e{i}", rel: "is_a", to: "e{i - 1}", source: "s"),\n')
            if back and i % back == 0:
                out.write(f'(from: "e0", rel: "is_a", to: "e{i}", source: "s"),\n')
        out.write('])\n')
    return path


def run(cmd, stdin=None, cap_mb=4096, timeout=120, shell=False):
    """Runs one case; returns (seconds, peak MB of bonegraph, output bytes, exit status or a
    word). `cmd` runs bonegraph under /usr/bin/time, which writes its peak memory to MEMFILE."""

    def limit():
        cap = cap_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.monotonic()
    try:
        proc = subprocess.Popen(
            cmd, stdin=stdin if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=limit, shell=shell,
            start_new_session=True)
    except OSError as e:
        return (0.0, 0.0, 0, f"cannot run: {e}")
    size = 0
    status = None
    try:
        out, err = proc.communicate(timeout=timeout)
        size = len(out) + len(err)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        # The whole group: /usr/bin/time, the shell of a pipeline, and bonegraph itself.
        os.killpg(proc.pid, 9)
        proc.communicate()
        status = f"timeout {timeout}s"
    elapsed = time.monotonic() - start
    try:
        with open(MEMFILE) as f:
            peak = int(f.read().split()[-1]) / 1024
        os.remove(MEMFILE)
    except (OSError, ValueError, IndexError):
        peak = float("nan")
    if isinstance(status, int) and status < 0:
        status = f"signal {-status}"
    return (elapsed, peak, size, status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--old")
    ap.add_argument("--cap-mb", type=int, default=4096)
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--case", action="append", help="run only cases whose name contains this")
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    w = lambda name: os.path.join(WORK, name)
    cases = []
    for n in (2000, 4000, 8000, 20000):
        g = shape(w(f"parents-{n}.ron"), n, 3)
        cases.append((f"check: chain of {n} relation parents", ["check", g], None))
    g = shape(w("parent-loop-8000.ron"), 8000, 3, rel_loop=True)
    cases.append(("check: loop of 8000 relation parents", ["check", g], None))
    for n in (5000, 10000, 20000, 100000):
        g = shape(w(f"isa-{n}.ron"), 1, n)
        cases.append((f"count things that are e 0, is_a chain of {n}", ["--graph", g, "query", "count things that are e 0"], None))
    g = shape(w("isa-100000.ron"), 1, 100000)
    cases.append(("things that are e 0 (evidence), is_a chain of 100000", ["--graph", g, "query", "things that are e 0"], None))
    for n in (5000, 20000):
        g = shape(w(f"back-{n}.ron"), 1, n, back=1)
        cases.append((f"check: is_a chain of {n} with back edges", ["check", g], None))
    # Suggestions: a 4 KB unknown word on a 200,000-entity graph; `xyzzy` among 2M aliases;
    # a typo near a 10 MB entity name.
    g = shape(w("flat-200000.ron"), 1, 200000)
    cases.append(("did-you-mean: 4 KB unknown word, 200000 entities", ["--graph", g, "query", "x" * 4000], None))
    g = shape(w("aliases-2m.ron"), 1, 200000, aliases=10)
    cases.append(("did-you-mean: `xyzzy`, 2,000,000 aliases", ["--graph", g, "query", "xyzzy"], None))
    g = shape(w("longname.ron"), 1, 3, long_name=10_000_000)
    cases.append(("did-you-mean: typo near a 10 MB name", ["--graph", g, "query", "n" * 100 + "m"], None))
    # Input and output.
    cases.append(("piped stdin without a newline (2 GB of zeros)", "head -c 2000000000 /dev/zero | {bin}", "shell"))
    cases.append(("yes 'describe denosumab' | bonegraph | head -c 10", "yes 'describe denosumab' | {bin} | head -c 10", "shell"))
    g = shape(w("isa-1000.ron"), 1, 1000)
    cases.append(("dot --render svg of a 1,000-entity graph", ["--graph", g, "dot", "--render", "svg", "-o", w("render.svg")], None))
    bins = [("new", args.bin)] + ([("old", args.old)] if args.old else [])
    print("| case | " + " | ".join(f"{label}: seconds, peak MB, output bytes, exit" for label, _ in bins) + " |")
    print("|---|" + "---|" * len(bins))
    for name, cmd, kind in cases:
        if args.case and not any(c in name for c in args.case):
            continue
        cells = []
        for _, b in bins:
            if kind == "shell":
                full = cmd.format(bin=" ".join(TIMED + [b]))
                res = run(full, cap_mb=args.cap_mb, timeout=args.timeout, shell=True)
            else:
                res = run(TIMED + [b] + cmd, cap_mb=args.cap_mb, timeout=args.timeout)
            t, peak, size, status = res
            cells.append(f"{t:.2f} s, {peak:.0f} MB, {size} B, {status}")
            print(f"  {name}: {cells[-1]}", file=sys.stderr)
        print(f"| {name.replace('|', chr(92) + '|')} | " + " | ".join(cells) + " |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
