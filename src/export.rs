//! The whole graph as JSON, for other tools: schema, sources, conflicts, entities with their
//! attributes, and relations with provenance and qualifiers.

use crate::graph::{Claim, KindSet, KnowledgeGraph};
use serde_json::{Value, json};

/// The whole graph as one JSON value.
///
/// ```
/// let v = bonegraph::export::graph_json(bonegraph::KnowledgeGraph::embedded());
/// assert_eq!(v["entities"].as_array().unwrap().len(), 109);
/// ```
pub fn graph_json(kg: &KnowledgeGraph) -> Value {
    let schema = kg.schema();
    let kinds_of = |set: &KindSet| -> Value {
        match set {
            KindSet::Any => json!(["*"]),
            KindSet::Only(ks) => json!(
                ks.iter()
                    .map(|k| schema.kind(*k).id.clone())
                    .collect::<Vec<_>>()
            ),
        }
    };
    let kinds: Vec<Value> = schema
        .kinds
        .iter()
        .map(|k| {
            json!({"id": k.id, "singular": k.singular, "plural": k.plural,
                   "synonyms": k.synonyms, "description": k.description})
        })
        .collect();
    let relations: Vec<Value> = schema
        .relations
        .iter()
        .map(|r| {
            json!({"id": r.id, "from": kinds_of(&r.from), "to": kinds_of(&r.to),
                   "forward": r.forward, "inverse": r.inverse,
                   "parent": r.parent.map(|p| schema.relation(p).id.clone()),
                   "hierarchy": r.hierarchy, "single_valued": r.single_valued,
                   "description": r.description})
        })
        .collect();
    let attributes: Vec<Value> = schema
        .attributes
        .iter()
        .map(|a| json!({"id": a.id, "label": a.label, "single_valued": a.single_valued, "description": a.description}))
        .collect();
    let sources: Vec<Value> = kg
        .sources()
        .iter()
        .map(|s| {
            json!({"id": s.id, "title": s.title, "location": s.location, "note": s.note,
                   "sections": s.sections.iter().map(|(id, t)| json!({"id": id, "title": t})).collect::<Vec<_>>()})
        })
        .collect();
    let conflicts: Vec<Value> = kg
        .conflicts()
        .iter()
        .map(|c| json!({"id": c.id, "note": c.note}))
        .collect();
    let entities: Vec<Value> = kg
        .nodes()
        .map(|n| {
            let e = kg.entity(n);
            let mut v = json!({"id": e.id, "kind": schema.kind(e.kind).id, "name": e.name,
                               "aliases": e.aliases, "summary": e.summary});
            provenance(kg, e.provenance, &mut v);
            v["attributes"] = e
                .attributes
                .iter()
                .map(|a| {
                    let mut av =
                        json!({"key": schema.attributes[usize::from(a.key)].id, "value": a.value});
                    claim(kg, &a.claim, &mut av);
                    av
                })
                .collect();
            v
        })
        .collect();
    let edges: Vec<Value> = kg
        .edges()
        .map(|e| {
            let (a, edge, b) = kg.edge(e);
            let mut v = json!({"from": kg.entity(a).id, "rel": schema.relation(edge.rel).id, "to": kg.entity(b).id});
            claim(kg, &edge.claim, &mut v);
            v
        })
        .collect();
    json!({
        "name": kg.name(),
        "description": kg.description(),
        "schema": {"kinds": kinds, "relations": relations, "attributes": attributes},
        "sources": sources,
        "conflicts": conflicts,
        "entities": entities,
        "relations": edges,
    })
}

fn provenance(kg: &KnowledgeGraph, p: Option<crate::Provenance>, v: &mut Value) {
    if let Some(p) = p {
        let (src, sec) = kg.describe_provenance(&p);
        v["source"] = json!(src.id);
        if let Some(sec) = sec {
            v["section"] = json!(sec);
        }
    }
}

/// Provenance, qualifiers and conflict, as the query answers show them.
fn claim(kg: &KnowledgeGraph, c: &Claim, v: &mut Value) {
    crate::render::json::claim_json(kg, c, v);
}
