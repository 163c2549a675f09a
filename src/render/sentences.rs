//! The sentences every text printer shares: an edge as a sentence with its qualifiers and
//! provenance, a path as a line, a row's evidence as marks, and where a claim comes from.

use crate::graph::{Claim, ConflictId, KnowledgeGraph};
use crate::inheritance::{self, Evidence, Field};
use crate::model::Basis;
use crate::query::answer::{PathStep, Row};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::fmt::Write;

/// How a relation type reads in a sentence: its id with underscores as spaces
/// (`has_side_effect` -> `has side effect`, `is_a` -> `is a`).
pub fn relation_words(kg: &KnowledgeGraph, edge: EdgeIndex) -> String {
    let (_, e, _) = kg.edge(edge);
    kg.schema().relation(e.rel).id.replace('_', " ")
}

/// The qualifiers, provenance and conflict of a claim, in brackets:
/// `(may; rare) [article, bisphosphonates] [conflict: denosumab_class]`.
pub fn claim_suffix(kg: &KnowledgeGraph, claim: &Claim) -> String {
    let mut parts: Vec<String> = inheritance::qualifier_values(claim, false)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    if claim.basis == Some(Basis::Inferred) {
        parts.push("inferred, not stated by the source".to_owned());
    }
    let mut out = String::new();
    if !parts.is_empty() {
        let _ = write!(out, " ({})", parts.join("; "));
    }
    if let Some(place) = place(kg, claim.provenance) {
        let _ = write!(out, " {place}");
    }
    if let Some(c) = claim.conflict {
        let conflict = kg.conflict(c);
        let _ = write!(out, " [{}: {}]", conflict.kind.as_str(), conflict.id);
    }
    out
}

/// `zoledronic acid is a bisphosphonate [article, bisphosphonates]`.
pub fn describe_edge(kg: &KnowledgeGraph, edge: EdgeIndex) -> String {
    let (a, e, b) = kg.edge(edge);
    format!(
        "{} {} {}{}",
        kg.entity(a).name,
        relation_words(kg, edge),
        kg.entity(b).name,
        claim_suffix(kg, &e.claim)
    )
}

pub(crate) fn describe_path_step(kg: &KnowledgeGraph, s: &PathStep) -> String {
    let text = describe_edge(kg, s.edge);
    if s.forward {
        text
    } else {
        format!("{text} (read backwards, from {})", kg.entity(s.from).name)
    }
}

/// `lung cancer -causes-> bone metastasis <-located in- spine`.
pub(crate) fn path_line(kg: &KnowledgeGraph, p: &[PathStep]) -> String {
    let mut out = String::new();
    if let Some(first) = p.first() {
        out.push_str(&kg.entity(first.from).name);
    }
    for s in p {
        let rel = relation_words(kg, s.edge);
        if s.forward {
            let _ = write!(out, " -{rel}-> {}", kg.entity(s.to).name);
        } else {
            let _ = write!(out, " <-{rel}- {}", kg.entity(s.to).name);
        }
    }
    out
}

/// The most characters of one quantity, timing or context the table's cell shows; the full text
/// is in `:explain` and JSON.
pub(crate) const CELL_VALUE_CHARS: usize = 40;

/// The claim behind a row's first witness, for one table cell: the claim with every qualifier
/// that holds for the row (long ones shortened), the classes it is inherited through, and the
/// conflicts it takes part in.
pub(crate) fn short_because(kg: &KnowledgeGraph, row: &Row) -> String {
    let Some(w) = row.why.first() else {
        return String::new();
    };
    if w.steps.is_empty() {
        return w.without_steps().to_owned();
    }
    let ev = inheritance::evidence(kg, w);
    let mut text = ev.claim.map(|c| claim_sentence(kg, c)).unwrap_or_default();
    let marks = evidence_marks(kg, &ev, Some(CELL_VALUE_CHARS));
    if !marks.is_empty() {
        let _ = write!(text, " ({})", marks.join("; "));
    }
    if row.why.len() > 1 {
        let _ = write!(text, " +{} more", row.why.len() - 1);
    }
    text
}

/// `zoledronic acid has side effect kidney damage`.
pub(crate) fn claim_sentence(kg: &KnowledgeGraph, edge: EdgeIndex) -> String {
    let (a, _, b) = kg.edge(edge);
    format!(
        "{} {} {}",
        kg.entity(a).name,
        relation_words(kg, edge),
        kg.entity(b).name
    )
}

/// What a row's evidence adds to its claim, in reading order: the qualifiers that hold for
/// the row (quantities, timings and contexts cut to `shorten` characters if given), `via` the
/// classes it is inherited through, and the conflicts it takes part in.
pub fn evidence_marks(kg: &KnowledgeGraph, ev: &Evidence, shorten: Option<usize>) -> Vec<String> {
    let mut marks: Vec<String> = ev
        .qualifiers
        .iter()
        .map(|(field, value)| match (field, shorten) {
            (Field::Quantity | Field::Timing | Field::Context, Some(max)) => shortened(value, max),
            _ => value.clone(),
        })
        .collect();
    if ev.inherited() {
        marks.push(format!("via {}", names(kg, &ev.via)));
    }
    marks.extend(conflict_marks(kg, &ev.conflicts));
    marks
}

/// How a row or a card line flags its conflicts: each contradiction or inconsistency by name
/// (`contradiction: denosumab_route`), the other kinds together (`see notes: a, b`); the
/// blocks after the answer say what each is.
/// What holds of an inherited claim for the member, in parentheses: the qualifiers that pass
/// and the conflicts of its steps (` (may; rare; contradiction: x)`), or nothing.
pub(crate) fn evidence_suffix(
    kg: &KnowledgeGraph,
    evidence: &crate::inheritance::Evidence,
) -> String {
    let mut marks: Vec<String> = evidence.qualifiers.iter().map(|(_, v)| v.clone()).collect();
    marks.extend(conflict_marks(kg, &evidence.conflicts));
    if marks.is_empty() {
        String::new()
    } else {
        format!(" ({})", marks.join("; "))
    }
}

pub(crate) fn conflict_marks(kg: &KnowledgeGraph, conflicts: &[ConflictId]) -> Vec<String> {
    let mut marks = Vec::new();
    let mut notes = Vec::new();
    for &c in conflicts {
        let conflict = kg.conflict(c);
        if conflict.kind.needs_two_claims() {
            marks.push(format!("{}: {}", conflict.kind.as_str(), conflict.id));
        } else {
            notes.push(conflict.id.as_str());
        }
    }
    match notes.as_slice() {
        [] => {}
        [one] => marks.push(format!("see note: {one}")),
        many => marks.push(format!("see notes: {}", many.join(", "))),
    }
    marks
}

/// `text` cut at a word boundary to at most `max` characters, with `…` when cut.
pub(crate) fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end_matches([',', ';', ' ']))
}

/// Entity names joined with commas.
pub(crate) fn names(kg: &KnowledgeGraph, nodes: &[NodeIndex]) -> String {
    nodes
        .iter()
        .map(|&n| kg.entity(n).name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// ` [article, bisphosphonates]`, or nothing for a claim without provenance.
pub(crate) fn provenance_suffix(kg: &KnowledgeGraph, claim: &Claim) -> String {
    place(kg, claim.provenance)
        .map(|p| format!(" {p}"))
        .unwrap_or_default()
}

/// Where a claim comes from, as answers print it: `[article, bisphosphonates]`, or `[article]`
/// when no section is given.
pub(crate) fn place(kg: &KnowledgeGraph, provenance: Option<crate::Provenance>) -> Option<String> {
    let (src, sec) = kg.describe_provenance(&provenance?);
    Some(match sec {
        Some(sec) => format!("[{}, {sec}]", src.id),
        None => format!("[{}]", src.id),
    })
}
