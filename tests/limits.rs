//! Every documented limit, tested at the limit (accepted) and just beyond it (a clear error).
//! The limits are listed in README.md and grammar/README.md.

use crate::util::{bonegraph, scratch, stderr};
use bonegraph::query::{MAX_DEPTH, MAX_PATH_HOPS, MAX_PATHS, MAX_QUERY_BYTES, MAX_ROWS};
use bonegraph::{Code, ErrorKind, KnowledgeGraph};

fn kg() -> &'static KnowledgeGraph {
    KnowledgeGraph::embedded()
}

#[test]
fn query_length_is_accepted_at_the_limit_and_refused_beyond() {
    let base = "pain or fracture";
    let at = format!("{base}{}", " ".repeat(MAX_QUERY_BYTES - base.len()));
    assert_eq!(at.len(), MAX_QUERY_BYTES);
    assert!(kg().query(&at).is_ok());
    let beyond = format!("{at} ");
    let e = kg().query(&beyond).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooLong);
    assert_eq!(e.message, "the query is 4097 bytes long; the limit is 4096");
}

#[test]
fn a_query_naming_every_entity_is_answered_or_refused_clearly() {
    // Every name in the graph, joined with `or`: far longer than a query may be.
    let names: Vec<String> = kg()
        .nodes()
        .map(|n| format!("\"{}\"", kg().entity(n).name))
        .collect();
    let all = names.join(" or ");
    match kg().query(&all) {
        Ok(answer) => assert_eq!(answer.len(), kg().entity_count()),
        Err(e) => assert_eq!(e.kind, ErrorKind::TooLong),
    }
    // Twice over, it is certainly too long, and refused before any work.
    let twice = format!("{all} or {all} or {all}");
    assert!(twice.len() > MAX_QUERY_BYTES);
    assert_eq!(kg().query(&twice).unwrap_err().kind, ErrorKind::TooLong);
    // In pieces under the limit, every name resolves and the union is every entity.
    let mut seen = std::collections::BTreeSet::new();
    for chunk in names.chunks(40) {
        let q = format!("things except things or {}", chunk.join(" or "));
        assert!(q.len() <= MAX_QUERY_BYTES);
        for row in kg().query(&q).unwrap().rows() {
            seen.insert(row.node);
        }
    }
    assert_eq!(seen.len(), kg().entity_count());
}

#[test]
fn nesting_is_accepted_at_the_limit_and_refused_beyond() {
    let nest = |n: usize| format!("{}pain{}", "(".repeat(n), ")".repeat(n));
    assert!(kg().query(&nest(MAX_DEPTH)).is_ok());
    let e = kg().query(&nest(MAX_DEPTH + 1)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::TooDeep);
    // Chains count too: `side effects of therapies relieving ...` nests one level a phrase.
    let mut chain = "pain".to_owned();
    for _ in 0..MAX_DEPTH {
        chain = format!("things caused by ({chain})");
    }
    assert_eq!(kg().query(&chain).unwrap_err().kind, ErrorKind::TooDeep);
    // 100,000 parentheses: refused by length first, without touching the stack.
    let huge = nest(50_000);
    assert_eq!(kg().query(&huge).unwrap_err().kind, ErrorKind::TooLong);
}

/// A chain graph `n0 -> n1 -> ... -> n{len}`.
fn chain_graph(len: usize) -> KnowledgeGraph {
    let mut b = bonegraph::GraphBuilder::new("chain")
        .kind("node", "node", "nodes")
        .relation("next", &["node"], &["node"], &["before"], &["after"])
        .source("s", "s");
    for i in 0..=len {
        b = b.entity(&format!("n{i}"), "node", &format!("n{i}"));
    }
    for i in 0..len {
        b = b.edge(&format!("n{i}"), "next", &format!("n{}", i + 1), "s");
    }
    b.build().unwrap()
}

#[test]
fn paths_are_found_up_to_the_limit_and_not_beyond() {
    let g = chain_graph(MAX_PATH_HOPS + 1);
    let at = g
        .query(&format!("path from n0 to n{MAX_PATH_HOPS}"))
        .unwrap();
    assert_eq!(at.names(&g).len(), MAX_PATH_HOPS + 1);
    let beyond = g
        .query(&format!("path from n0 to n{}", MAX_PATH_HOPS + 1))
        .unwrap();
    assert!(beyond.is_empty());
    assert_eq!(
        beyond.why_empty(&g).as_deref(),
        Some("no chain of at most 8 relations connects `n0` and `n9`")
    );
    assert!(
        kg().query(&format!(
            "paths from lung cancer to paralysis limit {MAX_PATHS}"
        ))
        .is_ok()
    );
    let e = kg()
        .query(&format!(
            "paths from lung cancer to paralysis limit {}",
            MAX_PATHS + 1
        ))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
}

#[test]
fn answers_are_accepted_at_the_row_limit_and_refused_beyond() {
    let build = |n: usize| {
        let mut text = String::with_capacity(n * 64);
        text.push_str("(name: \"many\", schema: (kinds: [(id: \"k\", singular: \"item\", plural: \"items\")], relations: []), entities: [\n");
        for i in 0..n {
            text.push_str(&format!("(id: \"e{i}\", kind: \"k\", name: \"e{i}\"),\n"));
        }
        text.push_str("])");
        KnowledgeGraph::from_str(&text).unwrap()
    };
    let at = build(MAX_ROWS);
    assert_eq!(at.query("count items").unwrap().len(), MAX_ROWS);
    let beyond = build(MAX_ROWS + 1);
    let e = beyond.query("items").unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert_eq!(e.message, "the answer has more than 100000 rows");
}

#[test]
fn graph_files_are_accepted_at_the_size_limit_and_refused_beyond() {
    let dir = scratch("limits-size");
    let path = dir.join("graph.ron");
    let text =
        std::fs::read_to_string(crate::util::root().join("tests/fixtures/valid/tiny.ron")).unwrap();
    std::fs::write(&path, &text).unwrap();
    let size = text.len() as u64;
    assert!(bonegraph::load::read_graph_file_limited(&path, size).is_ok());
    let e = bonegraph::load::read_graph_file_limited(&path, size - 1).unwrap_err();
    assert_eq!(e.code, Code::TooLarge);
    // The real limit, on a sparse file one byte past it: refused before reading.
    let big = dir.join("big.ron");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(bonegraph::load::MAX_FILE_BYTES + 1).unwrap();
    let out = bonegraph(&["check", big.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("error[too-large]"), "{report}");
    let out = bonegraph(&["--graph", big.to_str().unwrap(), "query", "x"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("the largest graph file accepted is 1073741824 bytes"));
    let _ = std::fs::remove_file(&big);
}

#[test]
fn deeply_nested_graph_files_are_syntax_errors_with_a_position() {
    // The graph format never nests deeply, so deep nesting fails on the first value of the
    // wrong shape, long before any recursion limit; either way, a positioned error.
    for (open, close) in [("Some(", ")"), ("[", "]"), ("(", ")")] {
        let deep = format!(
            "(name: \"x\", schema: (kinds: [], relations: []), description: {}\"x\"{})",
            open.repeat(10_000),
            close.repeat(10_000)
        );
        let e = KnowledgeGraph::from_str(&deep).unwrap_err();
        assert_eq!(e.diagnostics[0].code, Code::Syntax);
        assert_eq!(e.diagnostics[0].location.map(|l| l.line), Some(1));
    }
}

#[test]
fn an_embedding_program_sets_its_own_limits_and_each_one_holds() {
    use bonegraph::Limits;
    let g = chain_graph(6);
    let run = |limits: &Limits, q: &str| {
        g.prepare_with(q, limits)
            .and_then(|p| g.run_with(&p, limits, None))
    };
    // Path length: 3 relations reach n3 and no further.
    let short = Limits {
        path_hops: 3,
        ..Limits::default()
    };
    assert_eq!(
        run(&short, "path from n0 to n3").unwrap().names(&g).len(),
        4
    );
    let beyond = run(&short, "path from n0 to n4").unwrap();
    assert_eq!(
        beyond.why_empty(&g).as_deref(),
        Some("no chain of at most 3 relations connects `n0` and `n4`")
    );
    // Rows: seven nodes, six allowed.
    let few = Limits {
        rows: 6,
        ..Limits::default()
    };
    let e = run(&few, "nodes").unwrap_err();
    assert_eq!(e.message, "the answer has more than 6 rows");
    assert_eq!(run(&Limits { rows: 7, ..few }, "nodes").unwrap().len(), 7);
    // Text length and nesting are checked before anything runs.
    let tiny = Limits {
        query_bytes: 5,
        ..Limits::default()
    };
    assert_eq!(run(&tiny, "nodes").unwrap().len(), 7);
    assert_eq!(run(&tiny, "nodes ").unwrap_err().kind, ErrorKind::TooLong);
    let flat = Limits {
        depth: 1,
        ..Limits::default()
    };
    assert!(run(&flat, "(nodes)").is_ok());
    assert_eq!(
        run(&flat, "((nodes))").unwrap_err().kind,
        ErrorKind::TooDeep
    );
    // How many paths may be asked for; `paths` without a limit asks for no more than that.
    let one = Limits {
        paths: 1,
        ..Limits::default()
    };
    assert_eq!(
        run(&one, "paths from n0 to n2 limit 2")
            .unwrap_err()
            .message,
        "`limit` must be between 1 and 1"
    );
    assert!(run(&one, "paths from n0 to n2").is_ok());
    // Work: a budget of one step cannot answer a selection that follows edges.
    let idle = Limits {
        work: 1,
        ..Limits::default()
    };
    assert_eq!(
        run(&idle, "nodes after n0").unwrap_err().kind,
        ErrorKind::LimitExceeded
    );
    // The defaults are the published constants.
    assert_eq!(Limits::default().rows, MAX_ROWS);
    assert_eq!(Limits::default().path_hops, MAX_PATH_HOPS);
}

#[test]
fn an_embedder_can_turn_off_the_did_you_mean_search_over_names() {
    let kg = bonegraph::KnowledgeGraph::embedded();
    let quiet = bonegraph::Limits {
        suggest_names: false,
        ..bonegraph::Limits::DEFAULT
    };
    let e = kg
        .prepare_with("therapies treating fractur", &quiet)
        .unwrap_err();
    assert_eq!(e.message, "unknown entity `fractur`");
    assert!(e.suggestions.is_empty(), "{:?}", e.suggestions);
    let e = kg.prepare("therapies treating fractur").unwrap_err();
    assert_eq!(e.suggestions, ["fracture"]);
}
