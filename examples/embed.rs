//! Load the embedded graph and print what it says about one entity, with provenance.
//!
//! Run with `cargo run --example embed [NAME]` (default: `Zometa`).

use bonegraph::{Direction, KnowledgeGraph};

fn main() {
    let kg = KnowledgeGraph::embedded();
    let name = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "Zometa".to_owned());
    let Some(node) = kg.node_by_name(&name) else {
        eprintln!("no entity is called `{name}`");
        std::process::exit(1);
    };
    let entity = kg.entity(node);
    let kind = kg.schema().kind(entity.kind);
    println!("{} ({})", entity.name, kind.singular);
    if let Some(summary) = &entity.summary {
        println!("  {summary}");
    }
    let classes: Vec<&str> = kg
        .ancestors(node)
        .into_iter()
        .map(|n| kg.entity(n).name.as_str())
        .collect();
    if !classes.is_empty() {
        println!("  is a: {}", classes.join(", "));
    }
    for (direction, arrow) in [(Direction::Forward, "->"), (Direction::Inverse, "<-")] {
        for nb in kg.all_neighbors(node, direction) {
            let (_, edge, _) = kg.edge(nb.edge);
            let rel = &kg.schema().relation(nb.rel).id;
            let place = edge
                .claim
                .provenance
                .map(|p| {
                    let (source, section) = kg.describe_provenance(&p);
                    format!("{}#{}", source.id, section.unwrap_or("?"))
                })
                .unwrap_or_default();
            let hedge = match &edge.claim.qualifiers.hedge {
                Some(h) => format!(" ({h})"),
                None => String::new(),
            };
            println!(
                "  {arrow} {rel} {}{hedge} [{place}]",
                kg.entity(nb.node).name
            );
        }
    }
}
