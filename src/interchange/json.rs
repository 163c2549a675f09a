//! The whole graph as JSON, for other tools: the graph file's own model
//! ([`crate::model::GraphFile`]) through serde, so the JSON has the same fields as
//! `graph.ron` (schema, sources, conflicts, entities with their attribute values, relations
//! with provenance, qualifiers, conflict marks and basis) and reads back into a graph.

use crate::graph::KnowledgeGraph;
use crate::model::GraphFile;

/// The whole graph as one JSON value, shaped like the graph file (see [`write_json`] for
/// text in the file's field order).
///
/// ```
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let v = bonegraph::interchange::json::graph_json(kg);
/// assert_eq!(v["entities"].as_array().unwrap().len(), 109);
/// // It reads back into the same graph.
/// let file: bonegraph::model::GraphFile = serde_json::from_value(v).unwrap();
/// assert_eq!(bonegraph::KnowledgeGraph::from_file(file).unwrap().to_file(), kg.to_file());
/// ```
pub fn graph_json(kg: &KnowledgeGraph) -> serde_json::Value {
    file_json(&kg.to_file())
}

/// Writes the whole graph as pretty-printed JSON, its fields in the graph file's order, with a
/// closing newline. Fields a claim does not have are left out, as in the file.
pub fn write_json(kg: &KnowledgeGraph, out: &mut impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &kg.to_file())?;
    out.write_all(b"\n")
}

/// A graph file model as JSON.
pub fn file_json(file: &GraphFile) -> serde_json::Value {
    // The model holds only strings, numbers, booleans, lists, options and unit enums, all of
    // which JSON can say, so serialising it cannot fail.
    serde_json::to_value(file).unwrap_or_else(|e| unreachable!("the graph model is JSON: {e}"))
}
