//! Fuzz snapshot loading: arbitrary bytes as a snapshot file (almost all refused by the header
//! and checksum checks), and arbitrary bytes as the payload of a snapshot whose header and
//! checksums are valid (a forgery: the bounds check must refuse what does not fit, and what
//! loads must answer queries without a panic). The first byte picks the mode.
#![no_main]

use bonegraph::snapshot::{SourceFingerprint, seal};
use bonegraph::{Code, KnowledgeGraph};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = if mode & 1 == 0 {
        rest.to_vec()
    } else {
        seal(rest, Some(SourceFingerprint::of(rest)))
    };
    match KnowledgeGraph::from_snapshot(&bytes) {
        Err(e) => {
            assert_eq!(e.diagnostics.len(), 1);
            assert_eq!(e.diagnostics[0].code, Code::Snapshot);
            let _ = e.diagnostics[0].render("fuzz.bgs", None);
        }
        Ok(kg) => {
            let _ = kg.to_snapshot();
            let _ = bonegraph::interchange::json::graph_json(&kg);
            let _ = bonegraph::render::dot::graph_dot(&kg, Default::default());
            for n in kg.nodes().take(5) {
                let _ = bonegraph::render::card(&kg, n);
            }
            for (term, _) in kg.vocabulary().terms().into_iter().take(20) {
                if let Ok(a) = kg.query(term) {
                    let _ = a.to_table(&kg);
                }
                let _ = kg.ask(term);
            }
        }
    }
});
