//! A card (`describe X`): everything the graph says about one entity, what it inherits from its
//! classes, what its authors inferred, and the source's conflicts about it.

use super::conflicts::*;
use super::sentences::*;
use crate::graph::{Direction, KnowledgeGraph};
use crate::inheritance::inherited_claims;
use crate::query::answer::Touched;
use crate::text::escape_control as esc;
use petgraph::graph::NodeIndex;
use std::fmt::Write;

/// Everything the graph says about one entity, as text (control characters escaped).
pub fn card(kg: &KnowledgeGraph, node: NodeIndex) -> String {
    let e = kg.entity(node);
    let schema = kg.schema();
    let mut out = format!(
        "{} ({})\n",
        esc(&e.name),
        esc(&schema.kind(e.kind).singular)
    );
    if !e.aliases.is_empty() {
        let _ = writeln!(out, "  also called: {}", esc(&e.aliases.join(", ")));
    }
    if let Some(s) = &e.summary {
        let place = place(kg, e.provenance)
            .map(|p| format!(" {p}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}{}", esc(s), esc(&place));
    }
    let classes = kg.ancestors(node);
    if !classes.is_empty() {
        let names: Vec<&str> = classes
            .iter()
            .map(|n| kg.entity(*n).name.as_str())
            .collect();
        let _ = writeln!(out, "  is a: {}", esc(&names.join(", ")));
    }
    if !e.attributes.is_empty() {
        out.push('\n');
        let label = |a: &crate::Attribute| esc(&schema.attributes[usize::from(a.key)].label);
        let width = e
            .attributes
            .iter()
            .map(|a| label(a).chars().count())
            .max()
            .unwrap_or(0);
        for a in &e.attributes {
            let _ = writeln!(
                out,
                "  {:<width$}  {}{}",
                label(a),
                esc(&a.value),
                esc(&claim_suffix(kg, &a.claim))
            );
        }
    }
    for (direction, arrow, heading) in [
        (Direction::Forward, "->", ""),
        (Direction::Inverse, "<-", " (from others)"),
    ] {
        let nbs = kg.all_neighbors(node, direction);
        let mut current = None;
        for nb in nbs {
            if current != Some(nb.rel) {
                current = Some(nb.rel);
                let _ = writeln!(
                    out,
                    "\n  {}{heading}:",
                    esc(&schema.relation(nb.rel).id.replace('_', " "))
                );
            }
            let (_, edge, _) = kg.edge(nb.edge);
            let _ = writeln!(
                out,
                "    {arrow} {}{}",
                esc(&kg.entity(nb.node).name),
                esc(&claim_suffix(kg, &edge.claim))
            );
        }
    }
    let inherited = inherited_claims(kg, node);
    if !inherited.is_empty() {
        let _ = writeln!(
            out,
            "\n  inherited from its classes (said of the class, not of {} by name):",
            esc(&e.name)
        );
        let mut current = None;
        for item in inherited.iter().take(MAX_INHERITED_SHOWN) {
            if current != Some(item.class) {
                current = Some(item.class);
                let _ = writeln!(out, "    via {}:", esc(&kg.entity(item.class).name));
            }
            let (a, _, b) = kg.edge(item.claim);
            let (arrow, other) = if a == item.class {
                ("->", b)
            } else {
                ("<-", a)
            };
            let marks = evidence_suffix(kg, &item.evidence);
            let withheld = if item.evidence.withheld.is_empty() {
                String::new()
            } else {
                let list: Vec<String> = item
                    .evidence
                    .withheld
                    .iter()
                    .map(|(f, v)| format!("{} `{v}`", f.as_str()))
                    .collect();
                format!(" (not passed on: {})", list.join(", "))
            };
            let _ = writeln!(
                out,
                "      {} {arrow} {}{}{}{}",
                esc(&relation_words(kg, item.claim)),
                esc(&kg.entity(other).name),
                esc(&marks),
                esc(&provenance_suffix(kg, &kg.edge(item.claim).1.claim)),
                esc(&withheld),
            );
        }
        if inherited.len() > MAX_INHERITED_SHOWN {
            let _ = writeln!(
                out,
                "    ... and {} more",
                inherited.len() - MAX_INHERITED_SHOWN
            );
        }
    }
    let inferred: Vec<&crate::InferredEdge> = kg
        .inferred()
        .iter()
        .filter(|i| i.from == node || i.to == node)
        .collect();
    if !inferred.is_empty() {
        let _ = writeln!(
            out,
            "\n  inferred by the graph's authors (the source does not say this; answers do not use it):"
        );
        for i in inferred {
            let (arrow, other) = if i.from == node {
                ("->", i.to)
            } else {
                ("<-", i.from)
            };
            let note = i
                .claim
                .qualifiers()
                .note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "    {} {arrow} {}{}{}",
                esc(&kg.schema().relation(i.rel).id.replace('_', " ")),
                esc(&kg.entity(other).name),
                esc(&claim_suffix(kg, &i.claim)),
                esc(&note)
            );
        }
    }
    let touched = Touched::card(kg, node);
    if !touched.conflicts(kg).is_empty() {
        out.push('\n');
        out.push_str(&conflict_blocks(kg, &touched));
    }
    out
}

/// How many inherited claims a card lists in full.
pub(crate) const MAX_INHERITED_SHOWN: usize = 40;
