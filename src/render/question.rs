//! What an answer to a plain question says before its rows: how the question was read, what
//! was corrected or left out, the verdict of a yes/no question, and two entities side by
//! side for a comparison.

use super::sentences::{claim_suffix, evidence_suffix, provenance_suffix};
use crate::graph::{Direction, KnowledgeGraph};
use crate::inheritance::inherited_claims;
use crate::question::Asked;
use crate::text::escape_control as esc;
use petgraph::graph::NodeIndex;
use std::fmt::Write;

/// The lines that introduce an answer to a plain question: `read as: ...`, other readings,
/// corrections, left-out words, and for a yes/no question whether the source states it.
/// Empty for a canonical query (it is answered as written).
pub fn reading(kg: &KnowledgeGraph, asked: &Asked) -> String {
    let Some(r) = &asked.reading else {
        return String::new();
    };
    let mut out = format!("read as: {}\n", esc(&r.canonical));
    if !r.alternatives.is_empty() {
        let _ = writeln!(out, "  or perhaps: {}", esc(&r.alternatives.join("  |  ")));
    }
    for (typed, read) in &r.corrections {
        let _ = writeln!(out, "  `{}` read as `{}`", esc(typed), esc(read));
    }
    if !r.ignored.is_empty() {
        let words: Vec<String> = r.ignored.iter().map(|w| format!("`{}`", esc(w))).collect();
        let _ = writeln!(out, "  left out (not in the graph): {}", words.join(", "));
    }
    match asked.stated() {
        Some(true) if !asked.answer.conflict_text(kg).is_empty() => out.push_str(
            "yes: the source states it (evidence below), but see the note on where the source \
             disagrees with itself or can be read another way\n",
        ),
        Some(true) => out.push_str("yes: the source states it (evidence below)\n"),
        Some(false) => {
            out.push_str(
                "not stated: the source does not say so. This is not a no: the graph records \
                 what its source says, and it is silent here.\n",
            );
        }
        None => {}
    }
    out
}

/// Two (or more) entities side by side: kind, classes, attributes, and what each states or
/// inherits, relation by relation, each claim with its qualifiers and provenance.
pub fn compare(kg: &KnowledgeGraph, nodes: &[NodeIndex]) -> String {
    let facets: Vec<Vec<(String, Vec<String>)>> = nodes.iter().map(|&n| facets(kg, n)).collect();
    // Facet names in first-seen order across the entities.
    let mut names: Vec<String> = Vec::new();
    for f in &facets {
        for (name, _) in f {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let mut out = String::new();
    for (i, &n) in nodes.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", esc(&kg.entity(n).name));
        let width = names.iter().map(|s| s.chars().count()).max().unwrap_or(0);
        for name in &names {
            let lines = facets[i]
                .iter()
                .find(|(f, _)| f == name)
                .map(|(_, l)| l.as_slice())
                .unwrap_or(&[]);
            if lines.is_empty() {
                let _ = writeln!(out, "  {name:<width$}  (the source says nothing)");
                continue;
            }
            for (j, line) in lines.iter().enumerate() {
                let label = if j == 0 { name.as_str() } else { "" };
                let _ = writeln!(out, "  {label:<width$}  {}", esc(line));
            }
        }
    }
    out
}

/// One entity's facets for a comparison.
fn facets(kg: &KnowledgeGraph, n: NodeIndex) -> Vec<(String, Vec<String>)> {
    let e = kg.entity(n);
    let schema = kg.schema();
    let mut out: Vec<(String, Vec<String>)> = vec![(
        "kind".to_owned(),
        vec![schema.kind(e.kind).singular.clone()],
    )];
    let mut add = |facet: String, line: String| {
        if let Some((_, lines)) = out.iter_mut().find(|(f, _)| *f == facet) {
            lines.push(line);
        } else {
            out.push((facet, vec![line]));
        }
    };
    for a in &e.attributes {
        add(
            schema.attributes[usize::from(a.key)].label.clone(),
            format!("{}{}", a.value, claim_suffix(kg, &a.claim)),
        );
    }
    for nb in kg.all_neighbors(n, Direction::Forward) {
        let (_, edge, _) = kg.edge(nb.edge);
        add(
            schema.relation(nb.rel).id.replace('_', " "),
            format!(
                "{}{}",
                kg.entity(nb.node).name,
                claim_suffix(kg, &edge.claim)
            ),
        );
    }
    for item in inherited_claims(kg, n) {
        let (a, edge, b) = kg.edge(item.claim);
        if a != item.class {
            continue;
        }
        let marks = evidence_suffix(kg, &item.evidence);
        add(
            schema.relation(edge.rel).id.replace('_', " "),
            format!(
                "{}{marks} (inherited from {}){}",
                kg.entity(b).name,
                kg.entity(item.class).name,
                provenance_suffix(kg, &edge.claim)
            ),
        );
    }
    out
}
