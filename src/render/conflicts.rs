//! What an answer or a card says about the source's contradictions, slips, undefined terms and
//! ambiguities: the warning or note after the rows, with the claims side by side.

use super::json::*;
use super::sentences::*;
use crate::graph::{ConflictClaim, ConflictId, KnowledgeGraph, conflict_claims};
use crate::inheritance::{self};
use crate::model::ConflictKind;
use crate::query::answer::Touched;
use crate::text::escape_control as esc;
use serde_json::{Value, json};
use std::fmt::Write;

/// The warning (for contradictions and inconsistencies) or note (for slips, undefined terms
/// and ambiguities) that an answer touching these claims prints. A contradiction lists every
/// claim involved side by side with its section; a note lists the claims the answer rests on.
pub(crate) fn conflict_blocks(kg: &KnowledgeGraph, touched: &Touched) -> String {
    let mut out = String::new();
    for c in touched.conflicts(kg) {
        let conflict = kg.conflict(c);
        let headline = match conflict.kind {
            ConflictKind::Contradiction => "warning: the source contradicts itself",
            ConflictKind::Inconsistency => "warning: the source is inconsistent",
            ConflictKind::Slip => "note: the source slips here",
            ConflictKind::Undefined => "note: the source uses a term it never defines",
            ConflictKind::Ambiguous => "note: the source can be read more than one way here",
        };
        let _ = writeln!(
            out,
            "{headline} ({}): {}",
            esc(&conflict.id),
            esc(&conflict.note)
        );
        let all = conflict_claims(kg, c);
        let relevant: Vec<ConflictClaim> = if conflict.kind.needs_two_claims() {
            all
        } else {
            all.into_iter()
                .filter(|&cc| touched.contains(kg, cc))
                .collect()
        };
        let claims: Vec<(String, String)> = relevant
            .into_iter()
            .map(|cc| {
                let (place, text) = conflict_claim_text(kg, cc);
                (esc(&place).into_owned(), esc(&text).into_owned())
            })
            .collect();
        let width = claims
            .iter()
            .map(|(p, _)| p.chars().count())
            .max()
            .unwrap_or(0);
        for (place, text) in claims {
            let _ = writeln!(out, "  {place:<width$}  {text}");
        }
    }
    out
}

/// One claim of a conflict: its provenance in brackets, and what it says with its qualifiers.
pub(crate) fn conflict_claim_text(kg: &KnowledgeGraph, cc: ConflictClaim) -> (String, String) {
    let claim = cc.claim(kg);
    let place = place(kg, claim.provenance).unwrap_or_else(|| "[no source]".to_owned());
    let what = match cc {
        ConflictClaim::Edge(e) => claim_sentence(kg, e),
        ConflictClaim::Inferred(i) => {
            let e = &kg.inferred()[i];
            format!(
                "{} {} {} (inferred, not used in answers)",
                kg.entity(e.from).name,
                kg.schema().relation(e.rel).id.replace('_', " "),
                kg.entity(e.to).name
            )
        }
        ConflictClaim::Attribute(n, i) => {
            let attr = &kg.entity(n).attributes[i];
            format!(
                "{}: {} = {}",
                kg.entity(n).name,
                kg.schema().attributes[usize::from(attr.key)].label,
                attr.value
            )
        }
    };
    let quals: Vec<String> = inheritance::qualifier_values(claim, false)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let text = if quals.is_empty() {
        what
    } else {
        format!("{what} ({})", quals.join("; "))
    };
    (place, text)
}

pub(crate) fn conflict_json(kg: &KnowledgeGraph, c: ConflictId) -> Value {
    let conflict = kg.conflict(c);
    let claims: Vec<Value> = conflict_claims(kg, c)
        .into_iter()
        .map(|cc| {
            let (_, text) = conflict_claim_text(kg, cc);
            let mut v = json!({ "text": text });
            claim_json(kg, cc.claim(kg), &mut v);
            v
        })
        .collect();
    json!({
        "id": conflict.id,
        "kind": format!("{:?}", conflict.kind).to_lowercase(),
        "note": conflict.note,
        "claims": claims,
    })
}
