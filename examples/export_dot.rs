//! Write the Graphviz DOT of one answer's evidence to a file (or standard output).
//!
//! Run with `cargo run --example export_dot -- "side effects of Zometa" answer.dot`, then
//! `dot -Tpng answer.dot -o answer.png`.

use bonegraph::KnowledgeGraph;
use bonegraph::render::dot::{DotOptions, query_dot};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let query = args
        .next()
        .unwrap_or_else(|| "therapies treating fracture".to_owned());
    let kg = KnowledgeGraph::embedded();
    let Some(dot) = query_dot(kg, &query, DotOptions::default())? else {
        return Err("a count has no evidence to draw".into());
    };
    match args.next() {
        Some(path) => {
            std::fs::write(&path, dot.as_bytes())?;
            eprintln!("wrote {path}");
        }
        None => print!("{dot}"),
    }
    Ok(())
}
