//! The README's library tour, verbatim (a test checks that README.md shows this file): ask
//! in the query language or in plain words, print every shape of answer with its evidence,
//! draw the evidence, export the graph, and load or build a graph of your own.
//!
//! Run with `cargo run --example library`.

use bonegraph::{Answer, Body, GraphBuilder, KnowledgeGraph};

fn main() -> Result<(), bonegraph::Error> {
    let kg = KnowledgeGraph::embedded(); // graph.ron, compiled in
    for question in [
        "side effects of Zometa",             // rows, each with its evidence
        "count therapies treating fracture",  // a count
        "path from lung cancer to paralysis", // chains of relations
        "describe denosumab",                 // everything about one entity
        "dosing interval of denosumab",       // attribute values with their claims
        "is zometa a bisphosphonate?",        // a plain question, read as a query first
    ] {
        let asked = kg.ask(question)?;
        if let Some(reading) = asked.read_as() {
            println!("read as: {reading}");
        }
        print_answer(kg, &asked.answer);
    }

    // Parse and resolve once, run many times (from any thread: the graph is Send + Sync).
    let prepared = kg.prepare("therapies treating fracture")?;
    let again = kg.run(&prepared)?;
    println!("{} rows again", again.len());

    // The evidence behind an answer as Graphviz DOT, and the whole graph as JSON.
    let dot = bonegraph::render::dot::query_dot(kg, "side effects of Zometa", Default::default())?;
    println!("{} bytes of DOT", dot.unwrap_or_default().len());
    let json = bonegraph::interchange::json::graph_json(kg);
    println!(
        "{} entities in the JSON export",
        json["entities"].as_array().map_or(0, Vec::len)
    );

    // Your own graph: from a file (`KnowledgeGraph::from_path("my-graph.ron")?`), from text,
    // or built in code with your own kinds and phrases.
    let orchard = GraphBuilder::new("orchard")
        .kind("fruit", "fruit", "fruits")
        .kind("pest", "pest", "pests")
        .relation("eats", &["pest"], &["fruit"], &["eating"], &["eaten by"])
        .source("notes", "Orchard notes")
        .entity("apple", "fruit", "apple")
        .entity("moth", "pest", "codling moth")
        .edge("moth", "eats", "apple", "notes")
        .build()?;
    print_answer(&orchard, &orchard.ask("what eats apples?")?.answer);
    Ok(())
}

/// Prints an answer of any shape; `why_empty` says why there are no rows.
fn print_answer(kg: &KnowledgeGraph, answer: &Answer) {
    match &answer.body {
        Body::Rows(rows) => {
            for row in rows {
                println!("{}", kg.entity(row.node).name);
                for witness in &row.why {
                    for &edge in &witness.steps {
                        println!("  because {}", bonegraph::render::describe_edge(kg, edge));
                    }
                }
            }
        }
        Body::Count(n) => println!("{n}"),
        Body::Paths(paths) => {
            for path in paths {
                for step in path {
                    println!("  {}", bonegraph::render::describe_edge(kg, step.edge));
                }
            }
        }
        Body::Card(node) => print!("{}", bonegraph::render::card(kg, *node)),
        Body::Values(values) => {
            for v in values {
                println!("{}: {}", kg.entity(v.node).name, v.attribute(kg).value);
            }
        }
    }
    if let Some(why) = answer.why_empty(kg) {
        println!("(no answer: {why})");
    }
}
