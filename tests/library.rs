//! The library as an embedder uses it: loading, building, introspection, the two-step query
//! form, the unified error type, thread safety, and a graph with a completely different schema.

use bonegraph::{Code, Direction, Error, GraphBuilder, KnowledgeGraph};

#[test]
fn the_graph_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<KnowledgeGraph>();
    assert_send_sync::<bonegraph::Answer>();
    assert_send_sync::<bonegraph::Prepared>();
    assert_send_sync::<Error>();
}

#[test]
fn a_prepared_query_runs_many_times_from_many_threads() {
    let kg = std::sync::Arc::new(KnowledgeGraph::embedded().clone());
    let q = std::sync::Arc::new(
        kg.prepare("side effects of therapies relieving pain")
            .unwrap(),
    );
    let expected = kg.run(&q).unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (kg, q) = (kg.clone(), q.clone());
            std::thread::spawn(move || (0..50).map(|_| kg.run(&q).unwrap()).collect::<Vec<_>>())
        })
        .collect();
    for h in handles {
        for answer in h.join().unwrap() {
            assert_eq!(answer, expected);
        }
    }
}

/// A graph about something else entirely, with its own kinds and phrases.
const SOLAR: &str = r#"(
  name: "solar system",
  schema: (
    kinds: [
      (id: "body", singular: "body", plural: "bodies", synonyms: ["object", "objects"]),
      (id: "mission", singular: "mission", plural: "missions"),
    ],
    relations: [
      (id: "is_a", from: ["*"], to: ["*"], hierarchy: true, forward: ["that are"], inverse: ["including"]),
      (id: "orbits", from: ["body", "mission"], to: ["body"], forward: ["orbiting"], inverse: ["orbited by"]),
      (id: "visited", from: ["mission"], to: ["body"], forward: ["visiting"], inverse: ["visited by"]),
    ],
  ),
  sources: [(id: "almanac", title: "An almanac")],
  entities: [
    (id: "sun", kind: "body", name: "Sun", aliases: ["Sol"]),
    (id: "planet", kind: "body", name: "planet"),
    (id: "earth", kind: "body", name: "Earth"),
    (id: "moon", kind: "body", name: "Moon", aliases: ["Luna"]),
    (id: "apollo11", kind: "mission", name: "Apollo 11"),
  ],
  relations: [
    (from: "earth", rel: "is_a", to: "planet", source: "almanac"),
    (from: "planet", rel: "orbits", to: "sun", source: "almanac"),
    (from: "moon", rel: "orbits", to: "earth", source: "almanac"),
    (from: "apollo11", rel: "visited", to: "moon", source: "almanac"),
  ],
)"#;

#[test]
fn another_schema_is_queried_with_its_own_phrases() {
    let kg = KnowledgeGraph::from_str(SOLAR).unwrap();
    assert_eq!(
        kg.query("bodies orbiting Sol").unwrap().names(&kg),
        ["Earth", "planet"]
    );
    assert_eq!(
        kg.query("missions visiting bodies orbiting earth")
            .unwrap()
            .names(&kg),
        ["Apollo 11"]
    );
    assert_eq!(
        kg.query("path from Apollo 11 to Sun").unwrap().names(&kg),
        ["Apollo 11", "Moon", "Earth", "planet", "Sun"]
    );
    let e = kg.query("bodies treating Earth").unwrap_err();
    assert_eq!(e.kind, bonegraph::ErrorKind::UnknownPhrase);
    // The medical vocabulary is not there at all.
    assert!(kg.vocabulary().lookup("therapies").is_empty());
}

#[test]
fn the_schema_can_be_introspected() {
    let kg = KnowledgeGraph::embedded();
    let schema = kg.schema();
    let prevents = schema.relation_by_id("prevents").unwrap();
    let rel = schema.relation(prevents);
    assert_eq!(rel.forward[0], "preventing");
    assert_eq!(rel.inverse[0], "prevented by");
    assert_eq!(rel.parent, schema.relation_by_id("treats"));
    let therapy = schema.kind_by_id("therapy").unwrap();
    assert!(
        schema
            .phrase_kinds(prevents, Direction::Forward, true)
            .contains(therapy)
    );
    let zometa = kg.node_by_name("ZOMETA").unwrap();
    assert_eq!(kg.entity(zometa).id, "zoledronic_acid");
    assert!(kg.nodes_of_kind(therapy).contains(&zometa));
    assert_eq!(
        kg.descendants(kg.node_by_id("bisphosphonates").unwrap())
            .len(),
        2
    );
}

#[test]
fn a_built_graph_obeys_the_same_rules_as_a_file() {
    let err = GraphBuilder::new("bad")
        .kind("fruit", "fruit", "fruits")
        .relation("eats", &["pest"], &["fruit"], &["eating"], &["eaten by"])
        .entity("apple", "fruit", "apple")
        .alias("pear", "Pyrus")
        .edge("apple", "eats", "banana", "nowhere")
        .build()
        .unwrap_err();
    let codes: Vec<Code> = err.errors().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            Code::DanglingId,
            Code::UnknownKind,
            Code::DanglingId,
            Code::UnknownSource
        ]
    );
    assert!(
        err.errors().all(|d| d.location.is_none()),
        "no file, no positions"
    );
    assert_eq!(
        err.diagnostics[0].message,
        "alias `Pyrus` is for entity `pear`, which was not added"
    );
}

#[test]
fn one_error_type_covers_loading_and_querying() {
    fn run(graph: &str, q: &str) -> Result<usize, Error> {
        let kg = KnowledgeGraph::from_str(graph)?;
        Ok(kg.query(q)?.len())
    }
    assert_eq!(run(SOLAR, "bodies orbiting Sun").unwrap(), 2);
    let load = run("(name: \"x\"", "anything").unwrap_err();
    assert_eq!(load.kind(), "syntax");
    assert!(load.span().is_none());
    assert!(
        load.render("x.ron", "(name: \"x\"")
            .starts_with("error[syntax]:")
    );
    let query = run(SOLAR, "bodies orbiting Snu").unwrap_err();
    assert_eq!(query.kind(), "unknown-entity");
    assert_eq!(query.span(), Some(bonegraph::Span::new(16, 19)));
    assert_eq!(query.suggestions(), ["sun"]);
    assert_eq!(query.to_string(), "unknown entity `snu`");
}

/// Every example a message shows comes from the loaded graph and works on it: the selection
/// has answers, the entity can be described, the path's ends are joined.
#[test]
fn the_examples_in_messages_are_the_graphs_own_and_answer() {
    for rel in [
        None,
        Some("tests/fixtures/valid/tiny.ron"),
        Some("tests/fixtures/valid/inheritance.ron"),
        Some("tests/fixtures/valid/hostile.ron"),
    ] {
        let kg = match rel {
            None => KnowledgeGraph::embedded().clone(),
            Some(r) => KnowledgeGraph::from_path(crate::util::root().join(r)).unwrap(),
        };
        let ex = kg.vocabulary().examples();
        let label = rel.unwrap_or("embedded");
        let answer = kg
            .query(&ex.selection)
            .unwrap_or_else(|e| panic!("{label}: {}", e.render(&ex.selection)));
        assert!(
            !answer.is_empty(),
            "{label}: `{}` has no answers",
            ex.selection
        );
        let card = format!("describe {}", ex.entity);
        kg.query(&card)
            .unwrap_or_else(|e| panic!("{label}: {}", e.render(&card)));
        let path = format!("path from {} to {}", ex.path.0, ex.path.1);
        let found = kg
            .query(&path)
            .unwrap_or_else(|e| panic!("{label}: {}", e.render(&path)));
        assert!(!found.is_empty(), "{label}: `{path}` found no path");
        for phrase in &ex.phrases {
            assert!(
                !kg.vocabulary()
                    .lookup(&bonegraph::normalize(phrase))
                    .is_empty()
            );
        }
    }
    // On another graph, no word of the embedded graph.
    let tiny = KnowledgeGraph::from_path(crate::util::root().join("tests/fixtures/valid/tiny.ron"))
        .unwrap();
    let e = tiny.query("").unwrap_err();
    let help = e.help.unwrap();
    assert_eq!(
        help,
        format!(
            "try `{}`, `describe {}` or `path from {} to {}`",
            tiny.vocabulary().examples().selection,
            tiny.vocabulary().examples().entity,
            tiny.vocabulary().examples().path.0,
            tiny.vocabulary().examples().path.1
        )
    );
}

/// README's library section is examples/library.rs verbatim (CI runs every example, so the
/// code the README shows compiles and runs).
#[test]
fn the_readme_library_section_is_the_library_example() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let example = std::fs::read_to_string(root.join("examples/library.rs")).unwrap();
    let code: String = example
        .lines()
        .filter(|l| !l.starts_with("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    let section = &readme[readme.find("## Use it as a library").unwrap()..];
    let shown = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .unwrap();
    assert_eq!(shown.trim(), code.trim());
}
