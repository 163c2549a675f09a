//! Fuzz the graph loader: arbitrary bytes as a graph file, then (if it loads) a few queries
//! and pictures of what was loaded.
#![no_main]

use bonegraph::load::{check_str, decode_utf8};
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
        let _ = bonegraph::dot::graph_dot(&kg, Default::default());
        let _ = bonegraph::dot::schema_dot(&kg);
        let _ = bonegraph::export::graph_json(&kg);
        for (term, _) in kg.vocabulary().terms().into_iter().take(20) {
            let _ = kg.query(term);
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
