//! The performance benchmark: a seeded generator of synthetic graph files, the bonegraph
//! engine, and a hand-written compressed-adjacency (CSR) loop as the practical limit, all on
//! the same data and the same anchors. `benches/run.sh` runs everything (with Kuzu, Oxigraph
//! and networkx through `benches/compare.py`) and prints the table; see README "Performance".
//!
//! ```text
//! cargo bench --bench perf -- generate --entities 100000 --out target/bench/100k
//! cargo bench --bench perf -- run --engine bonegraph --data target/bench/100k
//! cargo bench --bench perf -- run --engine bonegraph-snapshot --data target/bench/100k
//! cargo bench --bench perf -- run --engine csr --data target/bench/100k
//! cargo bench --bench perf -- questions                           # the corpus, embedded graph
//! cargo bench --bench perf -- questions --data target/bench/100k  # plain questions, 100k graph
//! ```
//!
//! `bonegraph-snapshot` first compiles DIR/graph.bgs in a child process (`perf compile`,
//! skipped when the snapshot there was compiled from this graph.ron by this build), then times
//! loading the snapshot to queryable, first query included, as `bonegraph` times graph.ron.
//!
//! Each `run` prints one JSON object: load time, peak memory (VmHWM), and per query the
//! median and p95 latency over the anchors, plus a digest of every answer so that engines
//! can be checked equal.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------- generation

/// SplitMix64: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Picks targets with Zipf-like popularity (s = 1): rank r is chosen with weight 1/(r+1).
/// The ranks map to a random permutation, so hubs are spread over the id space.
struct Zipf {
    cdf: Vec<f64>,
    members: Vec<usize>,
}

impl Zipf {
    fn new(mut members: Vec<usize>, rng: &mut Rng) -> Self {
        for i in (1..members.len()).rev() {
            members.swap(i, rng.below(i + 1));
        }
        let mut total = 0.0;
        let cdf = (0..members.len())
            .map(|r| {
                total += 1.0 / (r as f64 + 1.0);
                total
            })
            .collect::<Vec<_>>();
        let cdf = cdf.into_iter().map(|c| c / total).collect();
        Zipf { cdf, members }
    }
    fn pick(&self, rng: &mut Rng) -> usize {
        let u = rng.unit();
        let i = self
            .cdf
            .partition_point(|&c| c < u)
            .min(self.members.len() - 1);
        self.members[i]
    }
    /// The most popular members, most popular first.
    fn hubs(&self, n: usize) -> &[usize] {
        &self.members[..n.min(self.members.len())]
    }
}

const KINDS: &[(&str, &str, &str, f64)] = &[
    ("condition", "condition", "conditions", 0.05),
    ("bone", "bone", "bones", 0.05),
    ("symptom", "symptom", "symptoms", 0.15),
    ("complication", "complication", "complications", 0.15),
    ("test", "test", "tests", 0.05),
    ("therapy", "therapy", "therapies", 0.35),
    ("side_effect", "side effect", "side effects", 0.20),
];

/// One generated relation: (relation, from kind, to kinds, edges per source, forward phrase,
/// inverse phrase).
type RelationSpec = (
    &'static str,
    &'static str,
    &'static [&'static str],
    usize,
    &'static str,
    &'static str,
);

const RELATIONS: &[RelationSpec] = &[
    (
        "spreads_to",
        "condition",
        &["bone"],
        3,
        "spreading to",
        "affected by",
    ),
    (
        "causes",
        "condition",
        &["complication", "symptom"],
        5,
        "causing",
        "caused by",
    ),
    (
        "causes",
        "complication",
        &["symptom", "complication"],
        6,
        "causing",
        "caused by",
    ),
    (
        "treats",
        "therapy",
        &["condition", "complication", "symptom"],
        4,
        "treating",
        "treated by",
    ),
    (
        "prevents",
        "therapy",
        &["complication"],
        2,
        "preventing",
        "prevented by",
    ),
    (
        "detects",
        "test",
        &["condition", "complication"],
        8,
        "detecting",
        "detected by",
    ),
    (
        "has_side_effect",
        "therapy",
        &["side_effect"],
        2,
        "with side effect",
        "of",
    ),
];

fn generate(entities: usize, seed: u64, out: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(out)?;
    let mut rng = Rng(seed);
    // Kinds: contiguous id ranges, in KINDS order.
    let mut kind_of = Vec::with_capacity(entities);
    let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, (id, _, _, share)) in KINDS.iter().enumerate() {
        let n = if k + 1 == KINDS.len() {
            entities - kind_of.len()
        } else {
            (entities as f64 * share) as usize
        };
        for _ in 0..n {
            by_kind.entry(id).or_default().push(kind_of.len());
            kind_of.push(*id);
        }
    }
    let name = |i: usize| format!("{} {i}", kind_of[i].replace('_', " "));
    // One Zipf sampler per target kind.
    let mut samplers: HashMap<&str, Zipf> = HashMap::new();
    for (id, ..) in KINDS {
        samplers.insert(id, Zipf::new(by_kind[id].clone(), &mut rng));
    }
    let mut edges: Vec<(usize, &str, usize)> = Vec::with_capacity(entities * 5);
    for (rel, from, to, per, ..) in RELATIONS {
        for &s in &by_kind[from] {
            let mut seen = Vec::with_capacity(*per);
            for _ in 0..*per {
                let kind = to[rng.below(to.len())];
                let t = samplers[kind].pick(&mut rng);
                if t != s && !seen.contains(&t) {
                    seen.push(t);
                    edges.push((s, rel, t));
                }
            }
        }
    }
    // graph.ron
    let mut ron = String::with_capacity(entities * 80 + edges.len() * 64);
    ron.push_str("// Synthetic graph for the bonegraph benchmark (benches/perf.rs). Do not edit.\n(\n  name: \"synthetic\",\n  schema: (\n    kinds: [\n");
    for (id, singular, plural, _) in KINDS {
        let _ = writeln!(
            ron,
            "      (id: \"{id}\", singular: \"{singular}\", plural: \"{plural}\"),"
        );
    }
    ron.push_str("    ],\n    relations: [\n");
    let mut done = Vec::new();
    for (rel, _, _, _, fwd, inv) in RELATIONS {
        if done.contains(rel) {
            continue;
        }
        done.push(*rel);
        let froms: Vec<String> = RELATIONS
            .iter()
            .filter(|r| r.0 == *rel)
            .map(|r| format!("\"{}\"", r.1))
            .collect();
        let mut tos: Vec<String> = RELATIONS
            .iter()
            .filter(|r| r.0 == *rel)
            .flat_map(|r| r.2.iter().map(|t| format!("\"{t}\"")))
            .collect();
        tos.sort();
        tos.dedup();
        let _ = writeln!(
            ron,
            "      (id: \"{rel}\", from: [{}], to: [{}], forward: [\"{fwd}\"], inverse: [\"{inv}\"]),",
            froms.join(", "),
            tos.join(", ")
        );
    }
    ron.push_str(
        "    ],\n  ),\n  sources: [(id: \"gen\", title: \"generator\")],\n  entities: [\n",
    );
    for (i, kind) in kind_of.iter().enumerate() {
        let _ = writeln!(
            ron,
            "    (id: \"e{i}\", kind: \"{kind}\", name: \"{}\"),",
            name(i)
        );
    }
    ron.push_str("  ],\n  relations: [\n");
    for (s, rel, t) in &edges {
        let _ = writeln!(
            ron,
            "    (from: \"e{s}\", rel: \"{rel}\", to: \"e{t}\", source: \"gen\"),"
        );
    }
    ron.push_str("  ],\n)\n");
    std::fs::write(out.join("graph.ron"), ron)?;
    // TSV for the other engines.
    let mut nodes = String::from("id\tkind\tname\n");
    for (i, kind) in kind_of.iter().enumerate() {
        let _ = writeln!(nodes, "e{i}\t{kind}\t{}", name(i));
    }
    std::fs::write(out.join("nodes.tsv"), nodes)?;
    let mut tsv = String::from("from\trel\tto\n");
    for (s, rel, t) in &edges {
        let _ = writeln!(tsv, "e{s}\t{rel}\te{t}");
    }
    std::fs::write(out.join("edges.tsv"), tsv)?;
    // Anchors: half hubs, half ordinary, the same for every engine.
    let pick = |kinds: &[&str], rng: &mut Rng| -> Vec<String> {
        let mut out = Vec::new();
        for i in 0..200 {
            let kind = kinds[i % kinds.len()];
            let z = &samplers[kind];
            let id = if i % 2 == 0 {
                z.hubs(50)[rng.below(z.hubs(50).len())]
            } else {
                by_kind[kind][rng.below(by_kind[kind].len())]
            };
            out.push(name(id));
        }
        out
    };
    let q1 = pick(&["complication", "symptom", "condition"], &mut rng);
    let q3y = pick(&["complication"], &mut rng);
    let all: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
    let q4a = pick(&all, &mut rng);
    let q4b = pick(&all, &mut rng);
    let q5 = pick(&["bone"], &mut rng);
    let json = |v: &[String]| {
        format!(
            "[{}]",
            v.iter()
                .map(|s| format!("\"{s}\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let anchors = format!(
        "{{\"q1\": {}, \"q3y\": {}, \"q4a\": {}, \"q4b\": {}, \"q5\": {}}}\n",
        json(&q1),
        json(&q3y),
        json(&q4a),
        json(&q4b),
        json(&q5)
    );
    std::fs::write(out.join("anchors.json"), anchors)?;
    eprintln!(
        "generated {entities} entities, {} relations in {}",
        edges.len(),
        out.display()
    );
    Ok(())
}

// ---------------------------------------------------------------- shared measurement

struct Anchors {
    q1: Vec<String>,
    q3y: Vec<String>,
    q4a: Vec<String>,
    q4b: Vec<String>,
    q5: Vec<String>,
}

fn read_anchors(dir: &Path) -> Anchors {
    let text = std::fs::read_to_string(dir.join("anchors.json")).expect("anchors.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("anchors are JSON");
    let list = |k: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect()
    };
    Anchors {
        q1: list("q1"),
        q3y: list("q3y"),
        q4a: list("q4a"),
        q4b: list("q4b"),
        q5: list("q5"),
    }
}

/// FNV-1a of the sorted answer ids, one per line: the same function as benches/compare.py.
fn digest(mut ids: Vec<String>) -> String {
    ids.sort();
    ids.dedup();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for id in &ids {
        for b in id.bytes().chain([b'\n']) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}:{}", ids.len())
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Median and 95th percentile of per-anchor times (each the median of `reps` runs), in µs.
fn stats(mut per_anchor: Vec<Duration>) -> (f64, f64) {
    per_anchor.sort();
    let at = |q: f64| {
        per_anchor[((per_anchor.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e6
    };
    (at(0.5), at(0.95))
}

fn time_each<F: FnMut(usize) -> Vec<String>>(
    n: usize,
    reps: usize,
    mut f: F,
) -> (Vec<Duration>, Vec<String>) {
    let mut times = Vec::with_capacity(n);
    let mut digests = Vec::with_capacity(n);
    for i in 0..n {
        let mut runs = Vec::with_capacity(reps);
        let mut answer = Vec::new();
        for _ in 0..reps {
            let t = Instant::now();
            answer = f(i);
            runs.push(t.elapsed());
        }
        runs.sort();
        times.push(runs[reps / 2]);
        digests.push(digest(answer));
    }
    (times, digests)
}

/// `perf questions [--data DIR]`: how long reading a plain question takes
/// (`KnowledgeGraph::read_question`, the reading only, not the answer): on the embedded graph
/// over the questions of tests/questions/embedded.txt, or on a generated graph over plain
/// questions made from its anchors. Prints the median, p95 and maximum in µs.
fn run_questions(dir: Option<&Path>, reps: usize) -> serde_json::Value {
    use bonegraph::KnowledgeGraph;
    let (kg, questions): (KnowledgeGraph, Vec<String>) = match dir {
        None => {
            let corpus = include_str!("../tests/questions/embedded.txt");
            let qs = corpus
                .lines()
                .filter_map(|l| l.strip_prefix("? "))
                .map(str::to_owned)
                .collect();
            (KnowledgeGraph::embedded().clone(), qs)
        }
        Some(dir) => {
            let a = read_anchors(dir);
            let text = std::fs::read_to_string(dir.join("graph.ron")).expect("graph.ron");
            let kg = KnowledgeGraph::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            let mut qs = Vec::new();
            for (i, x) in a.q1.iter().enumerate() {
                qs.push(format!("what treats {x}?"));
                qs.push(format!("which drugs are used for {x}"));
                qs.push(format!("what are the side effects of drugs treating {x}?"));
                qs.push(format!("tell me about {x}"));
                if let (Some(p), Some(q)) = (a.q4a.get(i), a.q4b.get(i)) {
                    qs.push(format!("how does {p} lead to {q}?"));
                }
            }
            (kg, qs)
        }
    };
    // The vocabulary and the question layer's table are built once, before timing.
    let _ = kg.read_question("what is it?");
    let (times, _) = time_each(questions.len(), reps, |i| {
        let r = kg.read_question(&questions[i]);
        vec![format!("{:?}", r.map(|r| r.map(|r| r.canonical)))]
    });
    let max = times.iter().max().copied().unwrap_or_default();
    let (median, p95) = stats(times);
    serde_json::json!({
        "graph": dir.map_or("embedded".to_owned(), |d| d.display().to_string()),
        "entities": kg.entity_count(),
        "questions": questions.len(),
        "median_us": median,
        "p95_us": p95,
        "max_us": max.as_secs_f64() * 1e6,
    })
}

/// The benchmark's five queries, one per anchor, as bonegraph query text.
fn query_texts(a: &Anchors) -> Vec<(&'static str, Vec<String>)> {
    vec![
        (
            "q1",
            a.q1.iter()
                .map(|x| format!("therapies treating \"{x}\""))
                .collect(),
        ),
        (
            "q2",
            a.q1.iter()
                .map(|x| format!("side effects of therapies treating \"{x}\""))
                .collect(),
        ),
        (
            "q3",
            a.q1.iter()
                .zip(&a.q3y)
                .map(|(x, y)| format!("therapies treating \"{x}\" and preventing \"{y}\""))
                .collect(),
        ),
        (
            "q4",
            a.q4a
                .iter()
                .zip(&a.q4b)
                .map(|(x, y)| format!("path from \"{x}\" to \"{y}\""))
                .collect(),
        ),
        (
            "q5",
            a.q5.iter()
                .map(|b| {
                    format!(
                        "symptoms caused by complications caused by conditions spreading to \"{b}\""
                    )
                })
                .collect(),
        ),
    ]
}

/// `perf translate --data DIR`: every benchmark query translated to SPARQL, to Kuzu's
/// Cypher and to SQL for DuckDB and Spark, as JSON `{"sparql": {"q1": [...], ...}, "kuzu":
/// {...}, "duckdb": {...}, "spark": {...}}` (a path query has no SPARQL form: null).
/// benches/translated.py runs them on Oxigraph and Kuzu, benches/sql.py on DuckDB and Spark.
fn translate_all(dir: &Path) -> serde_json::Value {
    use bonegraph::interchange::names::RdfNames;
    use bonegraph::query::translate::{Dialect, SqlDialect, Target};
    let a = read_anchors(dir);
    let text = std::fs::read_to_string(dir.join("graph.ron")).expect("graph.ron");
    let kg = bonegraph::KnowledgeGraph::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    let names = RdfNames::default();
    let mut out = serde_json::Map::new();
    for (label, target) in [
        ("sparql", Target::Sparql),
        ("kuzu", Target::Cypher(Dialect::Kuzu)),
        ("duckdb", Target::Sql(SqlDialect::DuckDb)),
        ("spark", Target::Sql(SqlDialect::Spark)),
    ] {
        let mut per_query = serde_json::Map::new();
        for (name, queries) in query_texts(&a) {
            let translated: Vec<serde_json::Value> = queries
                .iter()
                .map(|q| {
                    let prepared = kg.prepare(q).unwrap_or_else(|e| panic!("{q}: {e}"));
                    kg.translate(&prepared, target, &names)
                        .map_or(serde_json::Value::Null, serde_json::Value::String)
                })
                .collect();
            per_query.insert(name.to_owned(), translated.into());
        }
        out.insert(label.to_owned(), per_query.into());
    }
    out.into()
}

// ---------------------------------------------------------------- bonegraph

/// Writes DIR/graph.bgs, the compiled snapshot of DIR/graph.ron, unless the one there was
/// compiled from this very graph.ron by this very build (its header says so). Run in a
/// process of its own (`perf compile`), so that the timed run's peak memory is its own.
fn compile_snapshot(dir: &Path) {
    use bonegraph::snapshot::{SourceFingerprint, read_header};
    let text = std::fs::read_to_string(dir.join("graph.ron")).expect("graph.ron");
    let out = dir.join("graph.bgs");
    let fingerprint = SourceFingerprint::of(text.as_bytes());
    if let Ok(bytes) = std::fs::read(&out)
        && read_header(&bytes).is_ok_and(|h| h.source == Some(fingerprint))
        && bonegraph::KnowledgeGraph::from_snapshot(&bytes).is_ok()
    {
        return;
    }
    let bytes = bonegraph::snapshot::compile(&text).unwrap_or_else(|e| panic!("{e}"));
    let tmp = dir.join("graph.bgs.tmp");
    std::fs::write(&tmp, &bytes).expect("write graph.bgs");
    std::fs::rename(&tmp, &out).expect("rename graph.bgs");
}

/// `snapshot`: load DIR/graph.bgs (compiled first, in a child process, outside the timing)
/// instead of parsing DIR/graph.ron.
fn run_bonegraph(dir: &Path, reps: usize, snapshot: bool) -> serde_json::Value {
    use bonegraph::{Body, KnowledgeGraph};
    let a = read_anchors(dir);
    if snapshot {
        let status = std::process::Command::new(std::env::current_exe().expect("own path"))
            .args(["compile", "--data"])
            .arg(dir)
            .status()
            .expect("run `perf compile`");
        assert!(status.success(), "`perf compile` failed");
    }
    let t = Instant::now();
    let kg = if snapshot {
        KnowledgeGraph::from_path(dir.join("graph.bgs")).unwrap_or_else(|e| panic!("{e}"))
    } else {
        // As a user loads a file: the text is freed once parsed.
        KnowledgeGraph::from_path(dir.join("graph.ron")).unwrap_or_else(|e| panic!("{e}"))
    };
    let parsed = t.elapsed();
    // Queryable means the vocabulary and name order are built too: one warm-up query.
    let _ = kg.query(&format!("therapies treating \"{}\"", a.q1[0]));
    let load = t.elapsed();
    let ids = |answer: bonegraph::Answer| -> Vec<String> {
        answer
            .rows()
            .iter()
            .map(|r| kg.entity(r.node).id.clone())
            .collect()
    };
    let texts = query_texts(&a);
    let mut out = serde_json::Map::new();
    for (name, queries) in &texts {
        let path = *name == "q4";
        let answer_ids = |answer: bonegraph::Answer| -> Vec<String> {
            if path {
                // Paths compare by length (hops), at most 6, else none.
                match &answer.body {
                    Body::Paths(p) if !p.is_empty() && p[0].len() <= 6 => {
                        vec![format!("hops={}", p[0].len())]
                    }
                    _ => vec![],
                }
            } else {
                ids(answer)
            }
        };
        let (string_times, digests) = time_each(queries.len(), reps, |i| {
            answer_ids(kg.query(&queries[i]).unwrap())
        });
        let prepared: Vec<_> = queries.iter().map(|q| kg.prepare(q).unwrap()).collect();
        let (parsed_times, digests2) = time_each(queries.len(), reps, |i| {
            answer_ids(kg.run(&prepared[i]).unwrap())
        });
        assert_eq!(digests, digests2);
        let (m, p) = stats(string_times);
        let (pm, pp) = stats(parsed_times);
        out.insert(name.to_string(), serde_json::json!({"median_us": pm, "p95_us": pp, "string_median_us": m, "string_p95_us": p, "digests": digests}));
    }
    let engine = if snapshot {
        "bonegraph-snapshot"
    } else {
        "bonegraph"
    };
    serde_json::json!({"engine": engine, "load_s": load.as_secs_f64(), "read_s": parsed.as_secs_f64(), "peak_mb": peak_rss_mb(), "entities": kg.entity_count(), "relations": kg.edge_count(), "queries": out})
}

// ---------------------------------------------------------------- the CSR limit

/// Compressed adjacency of one relation type in one direction.
struct Csr {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Csr {
    fn build(n: usize, pairs: &mut [(u32, u32)]) -> Csr {
        pairs.sort_unstable();
        let mut offsets = vec![0u32; n + 1];
        for &(s, _) in pairs.iter() {
            offsets[s as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        Csr {
            offsets,
            targets: pairs.iter().map(|&(_, t)| t).collect(),
        }
    }
    fn of(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }
}

struct CsrGraph {
    kind: Vec<u8>,
    ids: Vec<String>,
    by_name: HashMap<String, u32>,
    out: HashMap<String, Csr>,
    inn: HashMap<String, Csr>,
    any_out: Csr,
    any_in: Csr,
}

fn load_csr(dir: &Path) -> CsrGraph {
    let nodes = std::fs::read_to_string(dir.join("nodes.tsv")).unwrap();
    let kinds: Vec<&str> = KINDS.iter().map(|k| k.0).collect();
    let mut kind = Vec::new();
    let mut ids = Vec::new();
    let mut by_name = HashMap::new();
    let mut by_id = HashMap::new();
    for line in nodes.lines().skip(1) {
        let mut f = line.split('\t');
        let (id, k, name) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
        let i = ids.len() as u32;
        kind.push(kinds.iter().position(|x| *x == k).unwrap() as u8);
        by_id.insert(id.to_owned(), i);
        by_name.insert(name.to_owned(), i);
        ids.push(id.to_owned());
    }
    let n = ids.len();
    let edges = std::fs::read_to_string(dir.join("edges.tsv")).unwrap();
    let mut per: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    let mut all = Vec::new();
    for line in edges.lines().skip(1) {
        let mut f = line.split('\t');
        let (s, r, t) = (
            by_id[f.next().unwrap()],
            f.next().unwrap(),
            by_id[f.next().unwrap()],
        );
        per.entry(r.to_owned()).or_default().push((s, t));
        all.push((s, t));
    }
    let mut out = HashMap::new();
    let mut inn = HashMap::new();
    for (r, mut pairs) in per {
        let mut rev: Vec<(u32, u32)> = pairs.iter().map(|&(s, t)| (t, s)).collect();
        out.insert(r.clone(), Csr::build(n, &mut pairs));
        inn.insert(r, Csr::build(n, &mut rev));
    }
    let mut rev: Vec<(u32, u32)> = all.iter().map(|&(s, t)| (t, s)).collect();
    CsrGraph {
        kind,
        ids,
        by_name,
        out,
        inn,
        any_out: Csr::build(n, &mut all),
        any_in: Csr::build(n, &mut rev),
    }
}

fn kind_id(k: &str) -> u8 {
    KINDS.iter().position(|x| x.0 == k).unwrap() as u8
}

/// Bidirectional breadth-first search over every edge, either direction; hops if at most `max`.
fn csr_hops(
    g: &CsrGraph,
    a: u32,
    b: u32,
    max: usize,
    seen: &mut [u32],
    stamp: &mut u32,
) -> Option<usize> {
    if a == b {
        return Some(0);
    }
    *stamp += 2;
    let (fs, bs) = (*stamp - 1, *stamp);
    seen[a as usize] = fs;
    seen[b as usize] = bs;
    let (mut fwd, mut bwd) = (vec![a], vec![b]);
    let mut depth = 0;
    while depth < max && !fwd.is_empty() && !bwd.is_empty() {
        let forward = fwd.len() <= bwd.len();
        let (frontier, mine, theirs) = if forward {
            (&mut fwd, fs, bs)
        } else {
            (&mut bwd, bs, fs)
        };
        let mut next = Vec::new();
        depth += 1;
        for &v in frontier.iter() {
            for &w in g.any_out.of(v).iter().chain(g.any_in.of(v)) {
                let s = seen[w as usize];
                if s == theirs {
                    return Some(depth);
                }
                if s != mine {
                    seen[w as usize] = mine;
                    next.push(w);
                }
            }
        }
        *frontier = next;
    }
    None
}

fn run_csr(dir: &Path, reps: usize) -> serde_json::Value {
    let a = read_anchors(dir);
    let t = Instant::now();
    let g = load_csr(dir);
    let load = t.elapsed();
    let (therapy, side_effect, condition, complication, symptom) = (
        kind_id("therapy"),
        kind_id("side_effect"),
        kind_id("condition"),
        kind_id("complication"),
        kind_id("symptom"),
    );
    let n = g.ids.len();
    let mut seen = vec![0u32; n];
    let mut stamp = 0u32;
    let ids =
        |v: Vec<u32>| -> Vec<String> { v.into_iter().map(|i| g.ids[i as usize].clone()).collect() };
    let mut out = serde_json::Map::new();
    let mut record = |name: &str, (times, digests): (Vec<Duration>, Vec<String>)| {
        let (m, p) = stats(times);
        out.insert(
            name.to_owned(),
            serde_json::json!({"median_us": m, "p95_us": p, "digests": digests}),
        );
    };
    let treats_in = &g.inn["treats"];
    let prevents_in = &g.inn["prevents"];
    let side = &g.out["has_side_effect"];
    let causes = &g.out["causes"];
    let spreads_in = &g.inn["spreads_to"];
    // The generator never repeats an edge, so a neighbour list has no duplicates to remove.
    let q1 = |x: &str| -> Vec<u32> {
        treats_in
            .of(g.by_name[x])
            .iter()
            .copied()
            .filter(|&t| g.kind[t as usize] == therapy)
            .collect()
    };
    record("q1", time_each(a.q1.len(), reps, |i| ids(q1(&a.q1[i]))));
    let mut mark = vec![0u32; n];
    let mut round = 0u32;
    record(
        "q2",
        time_each(a.q1.len(), reps, |i| {
            round += 1;
            let mut res = Vec::new();
            for t in q1(&a.q1[i]) {
                for &s in side.of(t) {
                    if g.kind[s as usize] == side_effect && mark[s as usize] != round {
                        mark[s as usize] = round;
                        res.push(s);
                    }
                }
            }
            ids(res)
        }),
    );
    record(
        "q3",
        time_each(a.q1.len(), reps, |i| {
            // Neighbour lists are sorted (the CSR is built from sorted pairs).
            let x = q1(&a.q1[i]);
            let y = prevents_in.of(g.by_name[&a.q3y[i]]);
            let res: Vec<u32> = x
                .into_iter()
                .filter(|t| y.binary_search(t).is_ok())
                .collect();
            ids(res)
        }),
    );
    record(
        "q4",
        time_each(a.q4a.len(), reps, |i| {
            match csr_hops(
                &g,
                g.by_name[&a.q4a[i]],
                g.by_name[&a.q4b[i]],
                6,
                &mut seen,
                &mut stamp,
            ) {
                Some(h) if h > 0 => vec![format!("hops={h}")],
                _ => vec![],
            }
        }),
    );
    let mut round5 = 0u32;
    let mut m1 = vec![0u32; n];
    let mut m2 = vec![0u32; n];
    record(
        "q5",
        time_each(a.q5.len(), reps, |i| {
            round5 += 1;
            let mut res = Vec::new();
            for &c in spreads_in.of(g.by_name[&a.q5[i]]) {
                if g.kind[c as usize] != condition {
                    continue;
                }
                for &m in causes.of(c) {
                    if g.kind[m as usize] != complication || m1[m as usize] == round5 {
                        continue;
                    }
                    m1[m as usize] = round5;
                    for &s in causes.of(m) {
                        if g.kind[s as usize] == symptom && m2[s as usize] != round5 {
                            m2[s as usize] = round5;
                            res.push(s);
                        }
                    }
                }
            }
            ids(res)
        }),
    );
    serde_json::json!({"engine": "csr", "load_s": load.as_secs_f64(), "peak_mb": peak_rss_mb(), "queries": out})
}

// ---------------------------------------------------------------- command line

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let get = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    match args.first().map(String::as_str) {
        Some("generate") => {
            let n: usize = get("--entities")
                .and_then(|v| v.parse().ok())
                .unwrap_or(10_000);
            let seed: u64 = get("--seed").and_then(|v| v.parse().ok()).unwrap_or(42);
            let out = PathBuf::from(get("--out").unwrap_or_else(|| format!("target/bench/{n}")));
            generate(n, seed, &out).expect("write the generated files");
        }
        Some("compile") => {
            compile_snapshot(&PathBuf::from(get("--data").expect("--data DIR")));
        }
        Some("translate") => {
            let dir = PathBuf::from(get("--data").expect("--data DIR"));
            println!("{}", translate_all(&dir));
        }
        Some("questions") => {
            let reps: usize = get("--reps").and_then(|v| v.parse().ok()).unwrap_or(5);
            println!(
                "{}",
                run_questions(get("--data").map(PathBuf::from).as_deref(), reps)
            );
        }
        Some("run") => {
            let dir = PathBuf::from(get("--data").expect("--data DIR"));
            let reps: usize = get("--reps").and_then(|v| v.parse().ok()).unwrap_or(3);
            let result = match get("--engine").as_deref() {
                Some("csr") => run_csr(&dir, reps),
                Some("bonegraph-snapshot") => run_bonegraph(&dir, reps, true),
                _ => run_bonegraph(&dir, reps, false),
            };
            println!("{result}");
        }
        _ => {
            // `cargo bench` with no arguments: a quick self-check on a small generated graph.
            let dir = std::env::temp_dir().join(format!("bonegraph-bench-{}", std::process::id()));
            generate(2_000, 7, &dir).unwrap();
            let b = run_bonegraph(&dir, 1, false);
            let s = run_bonegraph(&dir, 1, true);
            let c = run_csr(&dir, 1);
            for q in ["q1", "q2", "q3", "q4", "q5"] {
                assert_eq!(
                    b["queries"][q]["digests"], c["queries"][q]["digests"],
                    "{q} differs"
                );
                assert_eq!(
                    s["queries"][q]["digests"], c["queries"][q]["digests"],
                    "{q} differs from the snapshot"
                );
                println!(
                    "{q}: bonegraph {:.1} µs, csr {:.1} µs (medians)",
                    b["queries"][q]["median_us"].as_f64().unwrap(),
                    c["queries"][q]["median_us"].as_f64().unwrap()
                );
            }
            let _ = std::fs::remove_dir_all(&dir);
            println!("run `bash benches/run.sh` for the full comparison");
        }
    }
}
