//! Fuzz the whole query pipeline (parse, resolve, evaluate, render, translate to SPARQL and
//! Cypher) and the question layer on the embedded graph.
#![no_main]

use bonegraph::interchange::names::RdfNames;
use bonegraph::query::translate::{Dialect, Target};
use bonegraph::{ErrorKind, KnowledgeGraph};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let kg = KnowledgeGraph::embedded();
    if let Ok(prepared) = kg.prepare(text) {
        let names = RdfNames::default();
        match kg.translate(&prepared, Target::Sparql, &names) {
            Ok(sparql) => assert!(sparql.starts_with("PREFIX ")),
            Err(e) => assert_eq!(e.kind, ErrorKind::NotTranslatable),
        }
        for dialect in [Dialect::Neo4j, Dialect::Kuzu] {
            let cypher = kg.translate(&prepared, Target::Cypher(dialect), &names);
            assert!(cypher.is_ok_and(|c| c.starts_with("MATCH ") && c.ends_with(";\n")));
        }
    }
    match kg.query(text) {
        Ok(answer) => {
            let _ = answer.to_table(kg);
            let _ = answer.to_json(kg, text);
            if let Some(dot) =
                bonegraph::render::dot::answer_dot(kg, &answer, text, &[], Default::default())
            {
                assert!(dot.starts_with("digraph"));
            }
        }
        Err(e) => {
            let rendered = e.render(text);
            assert!(rendered.starts_with("error: "));
            assert!(e.span.start <= e.span.end && e.span.end <= text.len());
        }
    }
    // The same text as a plain question: read or refused, and a reading is a query that
    // prepares and is never re-read.
    match kg.ask(text) {
        Ok(asked) => {
            if let Some(read) = asked.read_as() {
                let again = kg.ask(read).expect("a reading prepares");
                assert_eq!(again.read_as(), None);
                let _ = bonegraph::render::reading(kg, &asked);
            }
        }
        Err(e) => assert!(e.span.start <= e.span.end && e.span.end <= text.len()),
    }
});
