//! Build a small graph in code, with its own (non-medical) schema, and query it with that
//! schema's phrases.
//!
//! Run with `cargo run --example build_graph`.

use bonegraph::GraphBuilder;
use bonegraph::model::{Certainty, EdgeDef};

fn main() -> Result<(), bonegraph::Error> {
    let kg = GraphBuilder::new("an orchard")
        .kind("fruit", "fruit", "fruits")
        .kind("pest", "pest", "pests")
        .kind("remedy", "remedy", "remedies")
        .hierarchy("is_a")
        .relation("eats", &["pest"], &["fruit"], &["eating"], &["eaten by"])
        .relation(
            "controls",
            &["remedy"],
            &["pest"],
            &["controlling"],
            &["controlled by"],
        )
        .source("notes", "Orchard notes")
        .entity("pome", "fruit", "pome fruit")
        .entity("apple", "fruit", "apple")
        .alias("apple", "Malus")
        .entity("pear", "fruit", "pear")
        .entity("moth", "pest", "codling moth")
        .entity("traps", "remedy", "pheromone traps")
        .edge("apple", "is_a", "pome", "notes")
        .edge("pear", "is_a", "pome", "notes")
        // Said of the class: it holds for every pome fruit, and answers say it is inherited.
        .edge("moth", "eats", "pome", "notes")
        .edge_def(EdgeDef {
            from: "traps".into(),
            rel: "controls".into(),
            to: "moth".into(),
            source: Some("notes".into()),
            certainty: Some(Certainty::Possible),
            hedge: Some("may".into()),
            ..EdgeDef::default()
        })
        .build()?;

    for q in [
        "pests eating Malus",
        "fruits eaten by codling moth",
        "remedies controlling pests eating pears",
    ] {
        let answer = kg.query(q)?;
        println!("{q}:");
        print!("{}", answer.to_table(&kg));
    }
    // Mistakes are reported with suggestions, as for the embedded graph.
    let typo = "fruits eaten by codling moht";
    if let Err(e) = kg.query(typo) {
        print!("{}", e.render(typo));
    }
    Ok(())
}
