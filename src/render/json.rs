//! Answers and cards as JSON: the same data as the text printers, with the exact text.

use super::conflicts::*;
use super::sentences::*;
use crate::graph::{Claim, Direction, KnowledgeGraph};
use crate::inheritance::inherited_claims;
use crate::inheritance::{self, Field};
use crate::query::answer::Touched;
use crate::query::answer::{Answer, Body, ValueRow, Witness};
use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::{Value, json};

/// The answer to a plain question as JSON: [`json()`] of the query that ran, with `question`
/// (as typed), `read_as` (the canonical reading),
/// `alternatives`, `corrections`, `left_out`, `form` (`query`, `yes-no`, `compare`) and, for a
/// yes/no question, `stated` (true when the source states it; false means the source is
/// silent, not that the answer is no). For a canonical query it is exactly [`json()`].
pub fn asked_json(kg: &KnowledgeGraph, asked: &crate::question::Asked, question: &str) -> Value {
    let mut v = json(kg, &asked.answer, asked.prepared.text());
    // A canonical query is answered exactly as before: no reading to report.
    let Some(r) = &asked.reading else {
        return v;
    };
    v["question"] = json!(question);
    v["form"] = json!(asked.form());
    v["read_as"] = json!(r.canonical);
    v["alternatives"] = json!(r.alternatives);
    v["corrections"] = json!(r.corrections);
    v["left_out"] = json!(r.ignored);
    if let Some(stated) = asked.stated() {
        v["stated"] = json!(stated);
    }
    v
}

/// The answer as one JSON object: `{"query", "rows": [{"id", "name", "kind", "why"}]}`,
/// or `"count"`, `"paths"`, `"entity"` or `"values"` in place of `"rows"`; `"empty_reason"`
/// when empty.
///
/// Each of `"values"` has the entity's `id`, `name`, `kind` and `why` (as a row), the
/// `attribute` (its id), `label` and `value`, the `claim` (the value's provenance, qualifiers,
/// note, conflict and basis, as the graph file has them), `holder` (the id of the entity that
/// states it) and `inherited_from` (the class, or null), the `is_a` `steps` from the entity to
/// that class, and, by the inheritance rules, `via`, the `qualifiers` that hold for the
/// entity, those `withheld`, the weakest `certainty` and the `conflicts`; `summary` is the
/// table's *because* text in full.
pub fn json(kg: &KnowledgeGraph, answer: &Answer, query: &str) -> Value {
    let mut v = json!({ "query": query });
    match &answer.body {
        Body::Rows(rows) => {
            v["rows"] = rows
                .iter()
                .map(|r| {
                    let e = kg.entity(r.node);
                    json!({
                        "id": e.id,
                        "name": e.name,
                        "kind": kg.schema().kind(e.kind).id,
                        "why": r.why.iter().map(|w| witness_json(kg, w)).collect::<Vec<_>>(),
                    })
                })
                .collect();
        }
        Body::Count(n) => v["count"] = json!(n),
        Body::Paths(paths) => {
            v["paths"] = paths
                .iter()
                .map(|p| {
                    json!({
                        "text": path_line(kg, p),
                        "steps": p.iter().map(|s| {
                            let mut step = edge_json(kg, s.edge);
                            step["forward"] = json!(s.forward);
                            step
                        }).collect::<Vec<_>>(),
                    })
                })
                .collect();
        }
        Body::Card(n) => v["entity"] = card_json(kg, *n),
        Body::Values(values) => {
            v["values"] = values.iter().map(|row| value_json(kg, row)).collect();
        }
    }
    if let Some(reason) = answer.why_empty(kg) {
        v["empty_reason"] = json!(reason);
    }
    let conflicts = answer.conflicts(kg);
    if !conflicts.is_empty() {
        v["conflicts"] = conflicts.iter().map(|&c| conflict_json(kg, c)).collect();
    }
    v
}

/// One attribute value of an answer (see [`json`]).
fn value_json(kg: &KnowledgeGraph, row: &ValueRow) -> Value {
    let e = kg.entity(row.node);
    let attr = row.attribute(kg);
    let key = &kg.schema().attributes[usize::from(row.key)];
    let ev = row.evidence(kg);
    let fields = |list: &[(Field, String)]| -> Vec<Value> {
        list.iter()
            .map(|(f, v)| json!({"field": f.as_str(), "value": v}))
            .collect()
    };
    let mut claim = json!({});
    claim_json(kg, &attr.claim, &mut claim);
    json!({
        "id": e.id,
        "name": e.name,
        "kind": kg.schema().kind(e.kind).id,
        "attribute": key.id,
        "label": key.label,
        "value": attr.value,
        "summary": super::text::value_because(kg, row, None),
        "claim": claim,
        "holder": kg.entity(row.holder).id,
        "inherited_from": row.inherited_from.map(|c| kg.entity(c).id.clone()),
        "via": ev.via.iter().map(|&n| kg.entity(n).id.clone()).collect::<Vec<_>>(),
        "certainty": ev.certainty.map(inheritance::certainty_word),
        "qualifiers": fields(&ev.qualifiers),
        "withheld": fields(&ev.withheld),
        "conflicts": ev.conflicts.iter().map(|&c| kg.conflict(c).id.clone()).collect::<Vec<_>>(),
        "steps": row.steps.iter().map(|&s| edge_json(kg, s)).collect::<Vec<_>>(),
        "why": row.why.iter().map(|w| witness_json(kg, w)).collect::<Vec<_>>(),
    })
}

pub(crate) fn edge_json(kg: &KnowledgeGraph, edge: EdgeIndex) -> Value {
    let (a, e, b) = kg.edge(edge);
    let mut v = json!({
        "from": kg.entity(a).id,
        "rel": kg.schema().relation(e.rel).id,
        "to": kg.entity(b).id,
        "text": describe_edge(kg, edge),
    });
    claim_json(kg, &e.claim, &mut v);
    v
}

/// Adds a claim's provenance, qualifiers and conflict to a JSON object, as flat fields.
pub(crate) fn claim_json(kg: &KnowledgeGraph, claim: &Claim, v: &mut Value) {
    if let Some(p) = claim.provenance {
        let (source, section) = kg.describe_provenance(&p);
        v["source"] = json!(source.id);
        if let Some(sec) = section {
            v["section"] = json!(sec);
        }
    }
    let q = &claim.qualifiers();
    if let Some(c) = q.certainty {
        v["certainty"] = json!(format!("{c:?}").to_lowercase());
    }
    for (key, value) in [
        ("hedge", &q.hedge),
        ("frequency", &q.frequency),
        ("rank", &q.rank),
        ("quantity", &q.quantity),
        ("timing", &q.timing),
        ("context", &q.context),
        ("note", &q.note),
    ] {
        if let Some(s) = value {
            v[key] = json!(s);
        }
    }
    if let Some(c) = claim.conflict {
        v["conflict"] = json!(kg.conflict(c).id);
    }
    if let Some(b) = claim.basis {
        v["basis"] = json!(b.as_str());
    }
}

pub(crate) fn witness_json(kg: &KnowledgeGraph, w: &Witness) -> Value {
    let text = if w.steps.is_empty() {
        w.without_steps().to_owned()
    } else {
        w.steps
            .iter()
            .map(|&s| describe_edge(kg, s))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let ev = inheritance::evidence(kg, w);
    let fields = |list: &[(Field, String)]| -> Vec<Value> {
        list.iter()
            .map(|(f, v)| json!({"field": f.as_str(), "value": v}))
            .collect()
    };
    let summary = match ev.claim {
        None => text.clone(),
        Some(c) => {
            let marks = evidence_marks(kg, &ev, None);
            if marks.is_empty() {
                claim_sentence(kg, c)
            } else {
                format!("{} ({})", claim_sentence(kg, c), marks.join("; "))
            }
        }
    };
    json!({
        "text": text,
        "summary": summary,
        "inherited": w.inherited,
        "via": ev.via.iter().map(|&n| kg.entity(n).id.clone()).collect::<Vec<_>>(),
        "certainty": ev.certainty.map(inheritance::certainty_word),
        "qualifiers": fields(&ev.qualifiers),
        "withheld": fields(&ev.withheld),
        "conflicts": ev.conflicts.iter().map(|&c| kg.conflict(c).id.clone()).collect::<Vec<_>>(),
        "steps": w.steps.iter().map(|&s| edge_json(kg, s)).collect::<Vec<_>>(),
    })
}

/// A card as one JSON object: the entity, its attributes, relations, what it inherits, what
/// was inferred about it, and the conflicts it takes part in.
pub fn card_json(kg: &KnowledgeGraph, node: NodeIndex) -> Value {
    let e = kg.entity(node);
    let schema = kg.schema();
    let attributes: Vec<Value> = e
        .attributes
        .iter()
        .map(|a| {
            let mut v = json!({"key": schema.attributes[usize::from(a.key)].id, "value": a.value});
            claim_json(kg, &a.claim, &mut v);
            v
        })
        .collect();
    let relations: Vec<Value> = [Direction::Forward, Direction::Inverse]
        .into_iter()
        .flat_map(|d| kg.all_neighbors(node, d).iter().map(move |nb| (d, nb)))
        .map(|(d, nb)| {
            let mut v = edge_json(kg, nb.edge);
            v["direction"] = json!(if d == Direction::Forward { "out" } else { "in" });
            v
        })
        .collect();
    let conflicts: Vec<Value> = Touched::card(kg, node)
        .conflicts(kg)
        .into_iter()
        .map(|c| conflict_json(kg, c))
        .collect();
    let inherited: Vec<Value> = inherited_claims(kg, node)
        .into_iter()
        .map(|item| {
            let mut v = edge_json(kg, item.claim);
            v["via"] = json!(kg.entity(item.class).id);
            v["holds"] = item
                .evidence
                .qualifiers
                .iter()
                .map(|(f, val)| json!({"field": f.as_str(), "value": val}))
                .collect();
            v["withheld"] = item
                .evidence
                .withheld
                .iter()
                .map(|(f, val)| json!({"field": f.as_str(), "value": val}))
                .collect();
            v
        })
        .collect();
    let inferred: Vec<Value> = kg
        .inferred()
        .iter()
        .filter(|i| i.from == node || i.to == node)
        .map(|i| {
            let mut v = json!({
                "from": kg.entity(i.from).id,
                "rel": kg.schema().relation(i.rel).id,
                "to": kg.entity(i.to).id,
            });
            claim_json(kg, &i.claim, &mut v);
            v
        })
        .collect();
    json!({
        "id": e.id,
        "name": e.name,
        "kind": schema.kind(e.kind).id,
        "aliases": e.aliases,
        "summary": e.summary,
        "is_a": kg.ancestors(node).iter().map(|n| kg.entity(*n).id.clone()).collect::<Vec<_>>(),
        "attributes": attributes,
        "relations": relations,
        "inherited": inherited,
        "inferred": inferred,
        "conflicts": conflicts,
    })
}
