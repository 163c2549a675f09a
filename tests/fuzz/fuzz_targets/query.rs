//! Fuzz the whole query pipeline (parse, resolve, evaluate, render) on the embedded graph.
#![no_main]

use bonegraph::KnowledgeGraph;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let kg = KnowledgeGraph::embedded();
    match kg.query(text) {
        Ok(answer) => {
            let _ = answer.to_table(kg);
            let _ = answer.to_json(kg, text);
            if let Some(dot) =
                bonegraph::dot::answer_dot(kg, &answer, text, &[], Default::default())
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
});
