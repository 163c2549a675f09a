//! Load the embedded graph, ask a question, and print each row with its evidence.
//!
//! Run with `cargo run --example embed [QUERY]` (default: `therapies treating fracture`).

use bonegraph::KnowledgeGraph;
use bonegraph::render::describe_edge;

fn main() {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "therapies treating fracture".to_owned());
    let kg = KnowledgeGraph::embedded();
    let answer = match kg.query(&query) {
        Ok(answer) => answer,
        Err(e) => {
            eprint!("{}", e.render(&query));
            std::process::exit(2);
        }
    };
    if let Some(reason) = answer.why_empty(kg) {
        println!("no answer: {reason}");
    }
    for (i, row) in answer.rows().iter().enumerate() {
        let entity = kg.entity(row.node);
        println!(
            "{}. {} ({})",
            i + 1,
            entity.name,
            kg.schema().kind(entity.kind).singular
        );
        for witness in &row.why {
            let tag = if witness.inherited {
                " (inherited)"
            } else {
                ""
            };
            println!("   because{tag}:");
            for &edge in &witness.steps {
                println!("     {}", describe_edge(kg, edge));
            }
        }
    }
}
