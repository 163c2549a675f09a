//! `bonegraph translate` and `:sparql`/`:cypher`: the query in SPARQL and Cypher. Whether the
//! translations give the same answers as bonegraph is checked against real engines by
//! `tests/differential/run.sh`; these tests pin down the text and the refusals.

use crate::util::{assert_golden, bonegraph, fixture, root, stderr, stdout};
use bonegraph::interchange::names::RdfNames;
use bonegraph::query::translate::{Dialect, SqlDialect, Target};
use bonegraph::{ErrorKind, KnowledgeGraph};

const ALL: [Target; 3] = [
    Target::Sparql,
    Target::Cypher(Dialect::Neo4j),
    Target::Cypher(Dialect::Kuzu),
];

fn translate(kg: &KnowledgeGraph, query: &str, target: Target) -> String {
    let q = kg.prepare(query).expect("the query is valid");
    kg.translate(&q, target, &RdfNames::default())
        .unwrap_or_else(|e| panic!("`{query}` translates to {target:?}: {e}"))
}

#[test]
fn tiny_graph_translations_match_their_golden_file() {
    let kg = KnowledgeGraph::from_path(root().join(fixture("valid/tiny.ron"))).unwrap();
    let queries = [
        "pests eating fruits",
        "fruits eaten by codling moth",
        "fruits that are pome fruit",
        "things including apple",
        "fruits except apple or trees bearing apple",
        "count pests",
        "describe apple",
        "path from codling moth to apple tree",
        "paths from codling moth to apple tree limit 2",
    ];
    let mut out = String::new();
    for q in queries {
        for target in ALL {
            out.push_str(&format!("> {q}  [{target:?}]\n"));
            let prepared = kg.prepare(q).unwrap();
            match kg.translate(&prepared, target, &RdfNames::default()) {
                Ok(text) => out.push_str(&text),
                Err(e) => out.push_str(&e.render(q)),
            }
            out.push('\n');
        }
    }
    assert_golden(&fixture("valid/tiny.translations"), &out);
}

/// Every query form in each SQL dialect, on the tiny graph: sets through a phrase either
/// way, the hierarchy either way, `and`/`or`/`except`, conditions on an edge and on a value,
/// counts of entities and of values, attribute values, describe, path and paths.
#[test]
fn tiny_graph_sql_translations_match_their_golden_file() {
    let kg = KnowledgeGraph::from_path(root().join(fixture("valid/tiny.ron"))).unwrap();
    let queries = [
        "pests eating fruits",
        "fruits eaten by codling moth",
        "fruits that are pome fruit",
        "things including apple",
        "fruits except apple or trees bearing apple",
        "fruits and things growing on apple tree",
        "pests eating fruits where certainty is likely",
        "fruits eaten by codling moth where section is ch2",
        "count pests",
        "colour of fruits",
        "colour of fruits where section is ch1",
        "count colour of fruits",
        "describe apple",
        "path from codling moth to apple tree",
        "paths from codling moth to apple tree limit 2",
    ];
    let mut out = String::new();
    for q in queries {
        for dialect in SqlDialect::ALL {
            out.push_str(&format!("> {q}  [{}]\n", dialect.name()));
            out.push_str(&translate(&kg, q, Target::Sql(dialect)));
            out.push('\n');
        }
    }
    assert_golden(&fixture("valid/tiny.sql-translations"), &out);
}

/// A name that tries to end a string literal and run a statement of its own, or to open or
/// close a comment, stays one literal in every dialect; graph text never becomes an
/// identifier.
#[test]
fn sql_string_literals_hold_hostile_names_whole() {
    let kg = KnowledgeGraph::from_path(root().join(fixture("valid/hostile.ron"))).unwrap();
    let q = r#"things linked from "x'); DROP TABLE edges; -- */ end \\'""#;
    let spark = translate(&kg, q, Target::Sql(SqlDialect::Spark));
    assert!(spark.contains(r"e1.relation = 'links\\to'"), "{spark}");
    assert!(spark.contains(r"u3.node = 'it\'s'"), "{spark}");
    for dialect in [SqlDialect::DuckDb, SqlDialect::Postgres] {
        let sql = translate(&kg, q, Target::Sql(dialect));
        assert!(sql.contains(r"e1.relation = 'links\to'"), "{sql}");
        assert!(sql.contains("u3.node = 'it''s'"), "{sql}");
    }
    // An id with a line break is spelled with chr(10) / \u000A, so no literal spans lines.
    let q = "things linking to \"line\nbreak\r\ttab\"";
    let duckdb = translate(&kg, q, Target::Sql(SqlDialect::DuckDb));
    assert!(duckdb.contains("('new' || chr(10) || 'line')"), "{duckdb}");
    let spark = translate(&kg, q, Target::Sql(SqlDialect::Spark));
    assert!(spark.contains(r"'new\u000Aline'"), "{spark}");
    // Every dialect: outside string literals, the text holds none of the graph's odd
    // characters, so nothing of the names could be read as SQL.
    for dialect in SqlDialect::ALL {
        for q in [
            r#"things linked from "x'); DROP TABLE edges; -- */ end \\'""#,
            r#"describe "x'); DROP TABLE edges; -- */ end \\'""#,
            "odd <things>",
            r#"path from "say \"hi\"" to "x'); DROP TABLE edges; -- */ end \\'""#,
        ] {
            let sql = translate(&kg, q, Target::Sql(dialect));
            let outside = outside_literals(&sql, dialect);
            for bad in ["DROP", "--", "/*", "*/", "\\", "\"", "\r"] {
                assert!(
                    !outside.contains(bad),
                    "{dialect:?} `{q}`: {bad:?} outside a literal in\n{sql}"
                );
            }
        }
    }
}

/// The text of a SQL query with its string literals taken out.
fn outside_literals(sql: &str, dialect: SqlDialect) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            out.push(c);
            continue;
        }
        loop {
            match chars.next() {
                Some('\\') if dialect == SqlDialect::Spark => {
                    chars.next();
                }
                Some('\'') if dialect != SqlDialect::Spark && chars.peek() == Some(&'\'') => {
                    chars.next();
                }
                Some('\'') | None => break,
                Some(_) => {}
            }
        }
        out.push_str("''");
    }
    out
}

#[test]
fn a_phrase_includes_the_relations_that_refine_it_and_no_others() {
    let kg = KnowledgeGraph::embedded();
    let sparql = translate(kg, "therapies treating fracture", Target::Sparql);
    assert!(
        sparql.contains("(rel:treats|rel:relieves|rel:prevents|rel:stabilizes)"),
        "{sparql}"
    );
    let cypher = translate(kg, "therapies treating fracture", ALL[1]);
    assert!(
        cypher.contains("[:`treats`|`relieves`|`prevents`|`stabilizes`]"),
        "{cypher}"
    );
    // `aims_at` is deliberately not a kind of `treats`.
    assert!(!sparql.contains("aims_at") && !cypher.contains("aims_at"));
    // A narrower phrase does not widen upwards.
    let narrow = translate(kg, "therapies relieving pain", Target::Sparql);
    assert!(narrow.contains("rel:relieves ") && !narrow.contains("rel:treats"));
}

#[test]
fn inheritance_is_spelled_out_at_both_ends_of_an_edge() {
    let kg = KnowledgeGraph::embedded();
    let sparql = translate(kg, "side effects of Zometa", Target::Sparql);
    // The row side and the target side each climb the hierarchy, zero or more steps.
    assert_eq!(sparql.matches("rdfs:subClassOf*").count(), 3, "{sparql}");
    assert!(
        sparql.contains("VALUES ?t1 { e:zoledronic_acid }"),
        "{sparql}"
    );
    let cypher = translate(kg, "side effects of Zometa", ALL[1]);
    assert_eq!(cypher.matches("[:`is_a`*0..]").count(), 3, "{cypher}");
    // The hierarchy phrase reads the hierarchy transitively, the entity itself excluded.
    let sparql = translate(kg, "therapies that are bisphosphonates", Target::Sparql);
    assert!(
        sparql.contains("?entity rdfs:subClassOf+ ?t1 ."),
        "{sparql}"
    );
    let cypher = translate(kg, "things including zoledronic acid", ALL[2]);
    assert!(
        cypher.contains("(t1:`Entity`)-[:`is_a`*1..]->(x)"),
        "{cypher}"
    );
}

#[test]
fn set_operators_keep_their_precedence() {
    let kg = KnowledgeGraph::embedded();
    // `a except b or c` is `(a except b) or c`.
    let cypher = translate(kg, "pain except bone pain or fracture", ALL[1]);
    assert!(
        cypher.contains(
            "WHERE ((x.id = 'bone_pain' AND NOT x.id = 'bone_pain') OR x.id = 'pathological_fracture')"
        ),
        "{cypher}"
    );
    let sparql = translate(kg, "pain except bone pain or fracture", Target::Sparql);
    let minus = sparql.find("MINUS").expect("except is MINUS");
    let union = sparql.find("UNION").expect("or is UNION");
    assert!(minus < union, "{sparql}");
}

#[test]
fn sparql_refuses_paths_and_says_what_to_do() {
    let kg = KnowledgeGraph::embedded();
    let q = kg.prepare("path from lung cancer to paralysis").unwrap();
    let err = kg
        .translate(&q, Target::Sparql, &RdfNames::default())
        .unwrap_err();
    assert_eq!(err.kind, ErrorKind::NotTranslatable);
    assert_eq!(err.message, "SPARQL cannot return a path");
    assert!(err.help.as_deref().unwrap().contains("translate cypher"));
    // Cypher says it, in each dialect's words.
    let neo4j = translate(kg, "path from lung cancer to paralysis", ALL[1]);
    assert!(neo4j.contains("shortestPath((a)-["), "{neo4j}");
    let kuzu = translate(kg, "paths from lung cancer to paralysis limit 4", ALL[2]);
    assert!(
        kuzu.contains("* TRAIL 1..8]") && kuzu.contains("LIMIT 4;"),
        "{kuzu}"
    );
}

#[test]
fn hostile_ids_and_names_are_escaped() {
    let kg = KnowledgeGraph::from_path(root().join(fixture("valid/hostile.ron"))).unwrap();
    let q = r#"things linking to "say \"hi\"""#;
    let sparql = translate(&kg, q, Target::Sparql);
    assert!(sparql.contains("VALUES ?t1 { e:quote%22id }"), "{sparql}");
    assert!(sparql.contains("rel:links%5Cto"), "{sparql}");
    let cypher = translate(&kg, q, ALL[1]);
    assert!(cypher.contains(r#"t1.id = 'quote"id'"#), "{cypher}");
    assert!(cypher.contains(r"[:`links\to`]"), "{cypher}");
    let odd_kind = translate(&kg, "odd <things>", ALL[2]);
    assert!(
        odd_kind.contains(r#"c1.kind = 'odd kind "k"'"#),
        "{odd_kind}"
    );
    let base = RdfNames::parse_base("urn:x:kb:").unwrap();
    let prepared = kg.prepare("describe \"café ☕ 日本語 Ελληνικά\"").unwrap();
    let with_base = kg.translate(&prepared, Target::Sparql, &base).unwrap();
    assert!(
        with_base.contains("PREFIX e: <urn:x:kb:entity/>"),
        "{with_base}"
    );
}

#[test]
fn the_cli_translates_and_exits_with_the_documented_codes() {
    let out = bonegraph(&["translate", "sparql", "count therapies"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("SELECT (COUNT(DISTINCT ?entity) AS ?count)"));

    let out = bonegraph(&["translate", "sparql", "path from lung cancer to paralysis"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("error: SPARQL cannot return a path\n"));

    let out = bonegraph(&["translate", "cypher", "therapies treating fractur"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `fracture`"));

    let out = bonegraph(&[
        "translate",
        "cypher",
        "--dialect",
        "kuzu",
        "path from lung cancer to paralysis",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("SHORTEST"), "{}", stdout(&out));

    let out = bonegraph(&["translate", "sparql", "--base", "https://x/kb", "pain"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("must end in `/`"));

    // Each language has only its own flags: clap refuses the others (exit 64).
    for (args, flag) in [
        (
            &["translate", "sparql", "--dialect", "kuzu", "pain"][..],
            "'--dialect'",
        ),
        (
            &["translate", "cypher", "--base", "https://x/", "pain"],
            "'--base'",
        ),
    ] {
        let out = bonegraph(args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(
            stderr(&out).contains(&format!("unexpected argument {flag}")),
            "{args:?}: {}",
            stderr(&out)
        );
    }

    let out = bonegraph(&[
        "translate",
        "sql",
        "--dialect",
        "spark",
        "path from lung cancer to paralysis",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("WITH RECURSIVE steps"),
        "{}",
        stdout(&out)
    );
    // SQL needs its dialect: string literals differ between the engines.
    let out = bonegraph(&["translate", "sql", "pain"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("--dialect <DIALECT>"),
        "{}",
        stderr(&out)
    );
    let out = bonegraph(&["translate", "sql", "--dialect", "mysql", "pain"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("[possible values: spark, duckdb, postgres]"),
        "{}",
        stderr(&out)
    );

    let out = bonegraph(&["translate", "gremlin", "pain"]);
    assert_eq!(out.status.code(), Some(64));
    let out = bonegraph(&["translate", "pain"]);
    assert_eq!(out.status.code(), Some(64));

    let out = bonegraph(&["--graph", "no/such/file.ron", "translate", "sparql", "pain"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("no/such/file.ron"));
}

#[test]
fn the_translations_shown_in_the_docs_are_what_the_binary_prints() {
    let mut checked = 0;
    for doc in ["docs/interchange.md", "README.md"] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        for block in text.split("```text\n").skip(1) {
            let block = block.split("```").next().unwrap();
            let Some(command) = block.lines().next() else {
                continue;
            };
            let Some(rest) = command.strip_prefix("$ bonegraph translate ") else {
                continue;
            };
            // `LANGUAGE [--dialect Y] "QUERY"`: the language and options, then the quoted query.
            let (options, query) = rest.split_once(" \"").expect("a quoted query");
            let mut args = vec!["translate"];
            args.extend(options.split_whitespace());
            args.push(query.strip_suffix('"').expect("the query ends the line"));
            let out = bonegraph(&args);
            assert_eq!(out.status.code(), Some(0), "{command}: {}", stderr(&out));
            let shown = &block[command.len() + 1..];
            assert_eq!(
                stdout(&out),
                shown,
                "{doc}: `{command}` prints something else"
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "the docs show translations");
}

#[test]
fn without_a_hierarchy_edges_join_the_row_and_the_target_directly() {
    let kg = KnowledgeGraph::from_str(
        r#"(
  name: "flat",
  schema: (
    kinds: [(id: "body", singular: "body", plural: "bodies"), (id: "mission", singular: "mission", plural: "missions")],
    relations: [(id: "visited", from: ["mission"], to: ["body"], forward: ["visiting"], inverse: ["visited by"])],
  ),
  sources: [(id: "almanac", title: "An almanac")],
  entities: [(id: "moon", kind: "body", name: "Moon"), (id: "apollo11", kind: "mission", name: "Apollo 11")],
  relations: [(from: "apollo11", rel: "visited", to: "moon", source: "almanac")],
)"#,
    )
    .unwrap();
    let sparql = translate(&kg, "bodies visited by missions", Target::Sparql);
    assert!(!sparql.contains("subClassOf"), "{sparql}");
    assert!(
        sparql.contains(
            "  ?t1 a kind:mission .\n  ?t1 rel:visited ?entity .\n  ?entity a kind:body .\n"
        ),
        "{sparql}"
    );
    let cypher = translate(&kg, "bodies visited by missions", ALL[2]);
    assert!(!cypher.contains("is_a"), "{cypher}");
    assert!(
        cypher.contains(
            "WHERE x.kind = 'body'\n  AND EXISTS { MATCH (t1:`Entity`)-[:`visited`]->(x) WHERE t1.kind = 'mission' }"
        ),
        "{cypher}"
    );
}
