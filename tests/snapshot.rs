//! The compiled snapshot (`bonegraph compile`, `KnowledgeGraph::to_snapshot`): a graph loaded
//! from its snapshot answers the whole query corpus exactly as the graph loaded from its
//! graph.ron (tables, plain text, JSON with evidence, cards, paths, plain questions), on the
//! embedded graph and every valid fixture; truncated, damaged, version-mismatched, foreign and
//! forged files are refused with a clear message and never panic; and the command line.

use crate::util::{bonegraph, root, scratch, stderr, stdout};
use bonegraph::snapshot::{self, CRATE_VERSION, FORMAT_VERSION, HEADER_LEN, MAGIC};
use bonegraph::{Code, KnowledgeGraph, LoadError};
use std::path::{Path, PathBuf};

/// The graph files the round trip is checked on: the embedded graph and every valid fixture
/// (hostile names included).
fn graph_files() -> Vec<(String, String)> {
    let mut out = vec![(
        "<embedded>".to_owned(),
        bonegraph::EMBEDDED_GRAPH.to_owned(),
    )];
    let dir = root().join("tests/fixtures/valid");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "fixtures found: {paths:?}");
    for p in paths {
        out.push((
            p.display().to_string(),
            std::fs::read_to_string(&p).unwrap(),
        ));
    }
    out
}

/// Every query the tests know of that is meant for the graph `label`: the transcripts and
/// plain questions written for it, and, for every graph, queries made from its own
/// vocabulary: each term alone, each kind word with each phrase and each entity, `describe`
/// of every entity, a path between pairs of entities, and the graph's own example queries.
fn corpus(label: &str, kg: &KnowledgeGraph) -> Vec<String> {
    let mut queries: Vec<String> = Vec::new();
    let embedded = label == "<embedded>";
    let mut files: Vec<PathBuf> = Vec::new();
    if embedded {
        files.push(root().join("tests/transcripts/queries.txt"));
        files.push(root().join("tests/transcripts/attributes.txt"));
    }
    for entry in std::fs::read_dir(root().join("tests/questions")).unwrap() {
        let p = entry.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let target = text
            .lines()
            .find_map(|l| l.strip_prefix("@graph "))
            .map(str::trim);
        let mine = match target {
            None => embedded,
            Some(g) => label.ends_with(g) || label.ends_with(&format!("/{g}")),
        };
        if mine {
            files.push(p);
        }
    }
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for line in text.lines() {
            if let Some(q) = line.strip_prefix("> ").or_else(|| line.strip_prefix("? ")) {
                queries.push(q.to_owned());
            }
        }
    }
    let vocab = kg.vocabulary();
    let ex = vocab.examples();
    queries.extend([
        ex.selection.clone(),
        ex.kind_and_phrase.clone(),
        ex.entity.clone(),
        ex.other.clone(),
        ex.attribute.clone(),
        ex.condition.clone(),
        format!("path from {} to {}", ex.path.0, ex.path.1),
    ]);
    queries.extend(ex.phrases.iter().cloned());
    queries.extend(vocab.terms().into_iter().map(|(t, _)| t.to_owned()));
    let entities: Vec<String> = kg
        .nodes()
        .map(|n| format!("\"{}\"", kg.entity(n).name.replace('"', "")))
        .collect();
    for e in &entities {
        queries.push(format!("describe {e}"));
    }
    for (i, a) in entities.iter().enumerate().step_by(3) {
        let b = &entities[(i * 7 + 1) % entities.len()];
        queries.push(format!("path from {a} to {b}"));
    }
    for kind in &kg.schema().kinds {
        for rel in &kg.schema().relations {
            for phrase in rel.forward.iter().chain(&rel.inverse).take(2) {
                for e in entities.iter().take(6) {
                    queries.push(format!("{} {phrase} {e}", kind.plural));
                }
            }
        }
    }
    queries
}

/// Everything a user can see of one query's answer: the table, plain text, JSON (with the
/// evidence of every row), or the error; and the same for the query read as a plain question.
fn shown(kg: &KnowledgeGraph, q: &str) -> String {
    let mut out = match kg.query(q) {
        Ok(a) => format!(
            "{}\n{}\n{}",
            a.to_table(kg),
            bonegraph::render::plain(kg, &a),
            bonegraph::render::json(kg, &a, q)
        ),
        Err(e) => e.render(q),
    };
    match kg.ask(q) {
        Ok(asked) => {
            out.push_str(&bonegraph::render::asked_json(kg, &asked, q).to_string());
        }
        Err(e) => out.push_str(&e.render(q)),
    }
    out
}

fn refused(bytes: &[u8]) -> LoadError {
    match KnowledgeGraph::from_snapshot(bytes) {
        Ok(_) => panic!("a bad snapshot of {} bytes was accepted", bytes.len()),
        Err(e) => {
            assert_eq!(e.diagnostics.len(), 1, "{e:?}");
            assert_eq!(e.diagnostics[0].code, Code::Snapshot, "{e:?}");
            e
        }
    }
}

fn message(e: &LoadError) -> &str {
    &e.diagnostics[0].message
}

fn tiny_snapshot() -> Vec<u8> {
    snapshot::compile(
        &std::fs::read_to_string(root().join("tests/fixtures/valid/tiny.ron")).unwrap(),
    )
    .unwrap()
}

// ---------------------------------------------------------------- round trip

#[test]
fn a_graph_from_its_snapshot_answers_the_whole_corpus_as_the_graph_from_its_file() {
    for (label, text) in graph_files() {
        let original = KnowledgeGraph::from_str(&text).unwrap_or_else(|e| panic!("{label}: {e}"));
        let bytes = snapshot::compile(&text).unwrap();
        let copy = KnowledgeGraph::from_snapshot(&bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
        let queries = corpus(&label, &original);
        assert!(
            queries.len() > 20,
            "{label}: only {} queries",
            queries.len()
        );
        for q in &queries {
            let (a, b) = (shown(&original, q), shown(&copy, q));
            assert!(
                a == b,
                "{label}: `{q}` differs\n--- file\n{a}\n--- snapshot\n{b}"
            );
        }
        // The whole content, the exports and the warnings of the original load.
        assert_eq!(original.to_file(), copy.to_file(), "{label}");
        assert_eq!(
            bonegraph::interchange::json::graph_json(&original),
            bonegraph::interchange::json::graph_json(&copy),
            "{label}"
        );
        assert_eq!(original.warnings(), copy.warnings(), "{label}");
        assert_eq!(original.name_order(), copy.name_order(), "{label}");
        let names = |kg: &KnowledgeGraph| {
            let mut v: Vec<(String, usize)> =
                kg.names().map(|(n, i)| (n.to_owned(), i.index())).collect();
            v.sort();
            v
        };
        assert_eq!(names(&original), names(&copy), "{label}");
        for n in original.nodes() {
            let id = &original.entity(n).id;
            assert_eq!(copy.node_by_id(id), Some(n), "{label}: `{id}`");
        }
    }
}

#[test]
fn the_same_graph_always_gives_the_same_snapshot() {
    let text = bonegraph::EMBEDDED_GRAPH;
    let a = snapshot::compile(text).unwrap();
    let b = snapshot::compile(text).unwrap();
    assert_eq!(a, b);
    // And a snapshot of the graph read back from a snapshot is the same again.
    let again = KnowledgeGraph::from_snapshot(&a).unwrap();
    assert_eq!(again.to_snapshot_of(text.as_bytes()), a);
}

#[test]
fn the_header_records_versions_and_the_source_fingerprint() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/valid/tiny.ron")).unwrap();
    let bytes = snapshot::compile(&text).unwrap();
    assert!(bytes.starts_with(&MAGIC));
    let h = snapshot::read_header(&bytes).unwrap();
    assert_eq!(h.format_version, FORMAT_VERSION);
    assert_eq!(h.crate_version, CRATE_VERSION);
    assert_eq!(h.payload_len as usize, bytes.len() - HEADER_LEN);
    let fp = h.source.unwrap();
    assert_eq!(fp, snapshot::SourceFingerprint::of(text.as_bytes()));
    assert_eq!(fp.len as usize, text.len());
    // A graph built in code records no source.
    let kg = KnowledgeGraph::from_str(&text).unwrap();
    assert_eq!(
        snapshot::read_header(&kg.to_snapshot()).unwrap().source,
        None
    );
}

#[test]
fn from_path_recognises_a_snapshot_by_its_magic_bytes_not_its_name() {
    let dir = scratch("snapshot-magic");
    let bytes = tiny_snapshot();
    // Named like a graph file, it is still a snapshot.
    let path = dir.join("graph.ron");
    std::fs::write(&path, &bytes).unwrap();
    let kg = KnowledgeGraph::from_path(&path).unwrap();
    assert_eq!(
        kg.query("fruits growing on apple tree").unwrap().names(&kg),
        ["apple"]
    );
    // And graph file text named `.bgs` is loaded as text.
    let text_path = dir.join("text.bgs");
    std::fs::copy(root().join("tests/fixtures/valid/tiny.ron"), &text_path).unwrap();
    assert_eq!(
        KnowledgeGraph::from_path(&text_path)
            .unwrap()
            .entity_count(),
        kg.entity_count()
    );
    // A truncated snapshot is refused as a snapshot, not read as text.
    std::fs::write(&path, &bytes[..40]).unwrap();
    let e = KnowledgeGraph::from_path(&path).unwrap_err();
    assert_eq!(e.diagnostics[0].code, Code::Snapshot);
    assert!(message(&e).contains("truncated"), "{e}");
}

// ---------------------------------------------------------------- refusals

#[test]
fn every_truncation_of_a_snapshot_is_refused() {
    let bytes = tiny_snapshot();
    assert!(bytes.len() > HEADER_LEN + 100);
    assert!(message(&refused(&[])).contains("empty"));
    for len in 1..bytes.len() {
        let e = refused(&bytes[..len]);
        assert!(
            message(&e).contains("truncated"),
            "prefix of {len} bytes: {e}"
        );
        assert!(
            message(&e).contains(&format!("it has {len} bytes")),
            "prefix of {len} bytes: {e}"
        );
    }
    assert!(KnowledgeGraph::from_snapshot(&bytes).is_ok());
}

#[test]
fn every_damaged_byte_of_a_snapshot_is_refused() {
    let bytes = tiny_snapshot();
    for at in 0..bytes.len() {
        for bit in [0x01u8, 0x80] {
            let mut bad = bytes.clone();
            bad[at] ^= bit;
            let e = refused(&bad);
            let m = message(&e);
            assert!(
                m.contains("damaged")
                    || m.contains("format version")
                    || m.contains("not a bonegraph snapshot"),
                "byte {at} ^ {bit:#x}: {e}"
            );
        }
    }
}

#[test]
fn trailing_bytes_are_refused() {
    let mut bytes = tiny_snapshot();
    bytes.push(0);
    assert!(message(&refused(&bytes)).contains("follow"));
}

/// `bytes` with the header's fields rewritten by `edit` and its checksum made valid again, as
/// another build of bonegraph would have written it.
fn reheader(bytes: &[u8], edit: impl FnOnce(&mut [u8])) -> Vec<u8> {
    let mut out = bytes.to_vec();
    edit(&mut out[..HEADER_LEN]);
    let hash = xxhash_rust::xxh3::xxh3_64(&out[..64]);
    out[64..72].copy_from_slice(&hash.to_le_bytes());
    out
}

#[test]
fn a_snapshot_of_another_format_version_is_refused_and_says_to_recompile() {
    let bytes = tiny_snapshot();
    let another = FORMAT_VERSION + 1;
    let other = reheader(&bytes, |h| h[8..12].copy_from_slice(&another.to_le_bytes()));
    let e = refused(&other);
    assert_eq!(
        message(&e),
        format!(
            "the snapshot is in format version {another}; this bonegraph ({CRATE_VERSION}) reads \
             format version {FORMAT_VERSION}"
        )
    );
    assert!(
        e.diagnostics[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("bonegraph compile")
    );
}

#[test]
fn a_snapshot_of_another_crate_version_is_refused_and_names_both_versions() {
    let bytes = tiny_snapshot();
    let other = reheader(&bytes, |h| {
        h[16..32].fill(0);
        h[16..21].copy_from_slice(b"0.0.9");
    });
    let e = refused(&other);
    assert_eq!(
        message(&e),
        format!("the snapshot was compiled by bonegraph 0.0.9; this is bonegraph {CRATE_VERSION}")
    );
    assert!(
        e.diagnostics[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("bonegraph compile")
    );
}

#[test]
fn files_that_are_not_snapshots_are_refused() {
    let ron = std::fs::read(root().join("tests/fixtures/valid/tiny.ron")).unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0";
    for bytes in [&ron[..], &png[..], &elf[..], &[0u8; 100][..]] {
        let e = refused(bytes);
        assert!(message(&e).starts_with("not a bonegraph snapshot"), "{e}");
    }
    assert!(!snapshot::looks_like_snapshot(&ron));
    assert!(!snapshot::looks_like_snapshot(png));
}

#[test]
fn a_forged_payload_with_valid_checksums_is_refused_or_loaded_never_trusted_into_a_panic() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/valid/tiny.ron")).unwrap();
    let kg = KnowledgeGraph::from_str(&text).unwrap();
    let bytes = kg.to_snapshot();
    let payload = &bytes[HEADER_LEN..];
    // Garbage and empty payloads.
    for junk in [&[][..], &[0xff; 64][..], &payload[..payload.len() / 2]] {
        let e = refused(&snapshot::seal(junk, None));
        assert!(message(&e).contains("inconsistent"), "{e}");
    }
    // Every byte of a real payload changed, with the checksums recomputed: whatever decodes
    // must be usable without a panic (an index out of bounds is refused by the bounds check).
    let mut refusals = 0;
    for at in 0..payload.len() {
        for delta in [1u8, 0x7f] {
            let mut forged = payload.to_vec();
            forged[at] = forged[at].wrapping_add(delta);
            match KnowledgeGraph::from_snapshot(&snapshot::seal(&forged, None)) {
                Err(e) => {
                    assert_eq!(e.diagnostics[0].code, Code::Snapshot);
                    refusals += 1;
                }
                Ok(g) => {
                    for q in ["fruits growing on apple tree", "describe apple", "things"] {
                        let _ = g.query(q).map(|a| a.to_table(&g));
                    }
                    let _ = bonegraph::interchange::json::graph_json(&g);
                }
            }
        }
    }
    assert!(
        refusals > payload.len() / 4,
        "only {refusals} forgeries refused"
    );
}

// ---------------------------------------------------------------- command line

fn compile_to(dir: &Path, file: &str, out: &str) -> std::process::Output {
    bonegraph(&["compile", file, "-o", dir.join(out).to_str().unwrap()])
}

#[test]
fn cli_compile_then_query_the_snapshot_gives_the_same_output() {
    let dir = scratch("snapshot-cli");
    let out = compile_to(&dir, "graph.ron", "graph.bgs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("compiled `graph.ron` into"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
    let bgs = dir.join("graph.bgs");
    let bgs = bgs.to_str().unwrap();
    for q in [
        "therapies treating fracture",
        "path from lung cancer to paralysis",
    ] {
        for format in ["table", "json", "plain"] {
            let a = bonegraph(&["--graph", "graph.ron", "query", q, "--format", format]);
            let b = bonegraph(&["--graph", bgs, "query", q, "--format", format]);
            assert_eq!(a.status.code(), Some(0));
            assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
            assert_eq!(stdout(&a), stdout(&b), "`{q}` as {format}");
            assert_eq!(stderr(&a), stderr(&b), "`{q}` as {format}");
        }
    }
    // Piped queries (the shell) on the snapshot.
    let piped = crate::util::piped(&["--graph", bgs], b"side effects of Zometa\n");
    assert_eq!(piped.status.code(), Some(0), "{}", stderr(&piped));
    assert!(stdout(&piped).contains("osteonecrosis of the jaw"));
}

#[test]
fn cli_check_of_a_snapshot_lists_the_warnings_kept_from_its_graph_file() {
    let dir = scratch("snapshot-check");
    let out = compile_to(&dir, "tests/fixtures/valid/lints.ron", "lints.bgs");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("warnings kept"), "{}", stderr(&out));
    let path = dir.join("lints.bgs");
    let text = bonegraph(&[
        "check",
        "--format",
        "json",
        "tests/fixtures/valid/lints.ron",
    ]);
    let snap = bonegraph(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(snap.status.code(), text.status.code());
    let strip = |s: String| -> serde_json::Value {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        v["file"] = serde_json::Value::Null;
        v
    };
    assert_eq!(strip(stdout(&text)), strip(stdout(&snap)));
    let shown = stdout(&bonegraph(&["check", path.to_str().unwrap()]));
    assert!(
        shown.contains("lines and columns refer to the graph file"),
        "{shown}"
    );
}

#[test]
fn cli_refuses_bad_snapshots_with_exit_3_and_a_clear_message() {
    let dir = scratch("snapshot-bad");
    let bytes = tiny_snapshot();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.bgs",
            bytes[..bytes.len() - 10].to_vec(),
            "the snapshot is truncated",
        ),
        (
            "short.bgs",
            bytes[..5].to_vec(),
            "the snapshot is truncated",
        ),
        (
            "damaged.bgs",
            {
                let mut b = bytes.clone();
                let last = b.len() - 1;
                b[last] ^= 1;
                b
            },
            "the snapshot is damaged",
        ),
        (
            "old.bgs",
            reheader(&bytes, |h| {
                h[16..32].fill(0);
                h[16..21].copy_from_slice(b"0.0.1");
            }),
            "compiled by bonegraph 0.0.1",
        ),
    ];
    for (name, content, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap();
        for args in [
            vec!["--graph", path.to_str().unwrap(), "query", "apples"],
            vec!["check", path.to_str().unwrap()],
        ] {
            let out = bonegraph(&args);
            assert_eq!(out.status.code(), Some(3), "{name} {args:?}");
            let said = stderr(&out) + &stdout(&out);
            assert!(said.contains(expected), "{name} {args:?}: {said}");
            assert!(said.contains("bonegraph compile"), "{name}: {said}");
            assert!(!said.contains("panicked"), "{said}");
        }
    }
}

#[test]
fn cli_compile_refuses_an_invalid_file_and_a_snapshot_and_writes_nothing() {
    let dir = scratch("snapshot-compile-bad");
    let out = compile_to(&dir, "tests/fixtures/invalid/dangling_id.ron", "x.bgs");
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("error["), "{}", stderr(&out));
    assert!(!dir.join("x.bgs").exists());
    let first = compile_to(&dir, "tests/fixtures/valid/tiny.ron", "tiny.bgs");
    assert_eq!(first.status.code(), Some(0));
    let again = bonegraph(&[
        "compile",
        dir.join("tiny.bgs").to_str().unwrap(),
        "-o",
        dir.join("y.bgs").to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(3));
    assert!(
        stderr(&again).contains("already a compiled snapshot"),
        "{}",
        stderr(&again)
    );
    assert!(!dir.join("y.bgs").exists());
    let no_output = bonegraph(&["compile", "graph.ron"]);
    assert_eq!(no_output.status.code(), Some(64), "{}", stderr(&no_output));
}
