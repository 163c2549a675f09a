//! Fuzz the graph loader: arbitrary bytes as a graph file, then (if it loads) a few queries
//! (and their translations), pictures and exports of what was loaded.
#![no_main]

use bonegraph::interchange::{names::RdfNames, pg, rdf};
use bonegraph::load::{check_str, decode_utf8};
use bonegraph::query::translate::{Dialect, Target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match decode_utf8(data.to_vec()) {
        Ok(t) => t,
        Err(d) => {
            assert!(d.location.is_some());
            return;
        }
    };
    let checked = check_str(&text);
    for d in &checked.diagnostics {
        let _ = d.render("fuzz.ron", Some(&text));
    }
    if let Some(kg) = checked.graph {
        let _ = bonegraph::render::dot::graph_dot(&kg, Default::default());
        let _ = bonegraph::render::dot::schema_dot(&kg);
        let _ = bonegraph::interchange::json::graph_json(&kg);
        let names = RdfNames::default();
        let mut sink = Vec::new();
        rdf::write_rdf(&kg, &names, rdf::RdfFormat::Turtle, &mut sink).expect("RDF to memory");
        for dialect in [Dialect::Neo4j, Dialect::Kuzu] {
            // A refusal (a reserved or clashing relation name) is a documented outcome.
            let _ = pg::write_cypher(&kg, dialect, &mut Vec::new());
        }
        for (term, _) in kg.vocabulary().terms().into_iter().take(20) {
            let _ = kg.query(term);
            if let Ok(q) = kg.prepare(term) {
                let _ = kg.translate(&q, Target::Sparql, &names);
                let _ = kg.translate(&q, Target::Cypher(Dialect::Kuzu), &names);
            }
        }
    } else {
        assert!(
            checked
                .diagnostics
                .iter()
                .any(|d| d.severity == bonegraph::Severity::Error)
        );
    }
});
