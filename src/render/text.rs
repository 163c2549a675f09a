//! Answers as text for people: the table with its *because* column, the plain list of names,
//! and the full evidence of one row (`:explain`). Graph text is shown with its control
//! characters escaped.

use super::conflicts::*;
use super::sentences::*;
use crate::graph::KnowledgeGraph;
use crate::inheritance::{self};
use crate::query::answer::Touched;
use crate::query::answer::{Answer, Body, EmptyReason, ValueRow};
use crate::text::escape_control as esc;
use std::fmt::Write;

/// The answer as a table: one line per row with its name, kind and a short reason.
pub fn table(kg: &KnowledgeGraph, answer: &Answer) -> String {
    let mut out = String::new();
    match &answer.body {
        Body::Rows(rows) => {
            if !rows.is_empty() {
                let cells: Vec<[String; 4]> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let e = kg.entity(r.node);
                        [
                            (i + 1).to_string(),
                            esc(&e.name).into_owned(),
                            esc(&kg.schema().kind(e.kind).singular).into_owned(),
                            esc(&short_because(kg, r)).into_owned(),
                        ]
                    })
                    .collect();
                let header = ["#", "name", "kind", "because"].map(str::to_owned);
                aligned(&header, &cells, &mut out);
            }
            footer(kg, answer, &mut out, rows.len(), "row");
            out.push_str(&conflict_blocks(kg, &answer.touched(kg)));
        }
        Body::Count(n) => {
            let _ = writeln!(out, "{n}");
            if let Some(reason) = answer.why_empty(kg) {
                let _ = writeln!(out, "(empty: {})", esc(&reason));
            }
        }
        Body::Paths(paths) => {
            for (i, p) in paths.iter().enumerate() {
                if paths.len() > 1 {
                    let _ = writeln!(out, "path {} ({} step{}):", i + 1, p.len(), plural(p.len()));
                }
                for (j, s) in p.iter().enumerate() {
                    let _ = writeln!(out, "  {}. {}", j + 1, esc(&describe_path_step(kg, s)));
                }
            }
            footer(kg, answer, &mut out, paths.len(), "path");
            out.push_str(&conflict_blocks(kg, &answer.touched(kg)));
        }
        Body::Card(n) => out.push_str(&super::card(kg, *n)),
        Body::Values(values) => {
            if !values.is_empty() {
                let cells: Vec<[String; 5]> = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        [
                            (i + 1).to_string(),
                            esc(&kg.entity(v.node).name).into_owned(),
                            esc(&kg.schema().attributes[usize::from(v.key)].label).into_owned(),
                            esc(&v.attribute(kg).value).into_owned(),
                            esc(&value_because(kg, v, Some(CELL_VALUE_CHARS))).into_owned(),
                        ]
                    })
                    .collect();
                let header = ["#", "name", "attribute", "value", "because"].map(str::to_owned);
                aligned(&header, &cells, &mut out);
            }
            footer(kg, answer, &mut out, values.len(), "value");
            out.push_str(&conflict_blocks(kg, &answer.touched(kg)));
        }
    }
    out
}

/// For an inherited claim: which of the class's qualifiers hold for the `noun` (row or
/// value), and which stay with the `classes` they were said of.
fn passed_on(out: &mut String, ev: &inheritance::Evidence, noun: &str, classes: &str) {
    let held: Vec<String> = ev.qualifiers.iter().map(|(_, v)| v.clone()).collect();
    if !held.is_empty() {
        let _ = writeln!(
            out,
            "    holds for this {noun} as said of the class: {}",
            esc(&held.join("; "))
        );
    }
    for (field, value) in &ev.withheld {
        let _ = writeln!(
            out,
            "    not passed to members: {} `{}` (said of {} only)",
            field.as_str(),
            esc(value),
            esc(classes)
        );
    }
}

/// Writes `header` and `rows` as columns two spaces apart: the first (the row number) aligned
/// right, the others left, the last unpadded.
fn aligned<const N: usize>(header: &[String; N], rows: &[[String; N]], out: &mut String) {
    let widths: Vec<usize> = (0..N)
        .map(|c| {
            rows.iter()
                .chain([header])
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in [header].into_iter().chain(rows) {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c].saturating_sub(cell.chars().count());
            match c {
                0 => line.push_str(&format!("{}{cell}", " ".repeat(pad))),
                _ if c + 1 == N => line.push_str(cell),
                _ => line.push_str(&format!("{cell}{}", " ".repeat(pad))),
            }
            if c + 1 < N {
                line.push_str("  ");
            }
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// Where a value comes from and what holds for it: `[article, bisphosphonates] (may; via
/// bisphosphonate; see note: these_medications)`: the provenance, then the qualifiers of the
/// value's claim (and of the `is_a` steps it is inherited through), the class, and the
/// conflicts.
pub(crate) fn value_because(kg: &KnowledgeGraph, v: &ValueRow, shorten: Option<usize>) -> String {
    let ev = v.evidence(kg);
    let mut text = place(kg, v.attribute(kg).claim.provenance).unwrap_or_default();
    let marks = evidence_marks(kg, &ev, shorten);
    if !marks.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        let _ = write!(text, "({})", marks.join("; "));
    }
    text
}

fn footer(kg: &KnowledgeGraph, answer: &Answer, out: &mut String, n: usize, noun: &str) {
    match answer.why_empty(kg) {
        Some(reason) => {
            let _ = writeln!(out, "no {noun}s: {}", esc(&reason));
        }
        None => {
            let _ = writeln!(out, "({n} {noun}{})", plural(n));
        }
    }
}

/// The answer as plain text: entity names one per line, a count, or paths one per line.
pub fn plain(kg: &KnowledgeGraph, answer: &Answer) -> String {
    let mut out = String::new();
    match &answer.body {
        Body::Rows(rows) => {
            for r in rows {
                let _ = writeln!(out, "{}", esc(&kg.entity(r.node).name));
            }
        }
        Body::Count(n) => {
            let _ = writeln!(out, "{n}");
        }
        Body::Paths(paths) => {
            for p in paths {
                let _ = writeln!(out, "{}", esc(&path_line(kg, p)));
            }
        }
        Body::Card(n) => out.push_str(&super::card(kg, *n)),
        Body::Values(values) => {
            for v in values {
                let _ = writeln!(
                    out,
                    "{}\t{}",
                    esc(&kg.entity(v.node).name),
                    esc(&v.attribute(kg).value)
                );
            }
        }
    }
    out
}

/// The warnings and notes about the source that the table prints after the rows (empty
/// when the answer touches no marked conflict): for printers that show names only.
pub fn conflict_text(kg: &KnowledgeGraph, answer: &Answer) -> String {
    conflict_blocks(kg, &answer.touched(kg))
}

/// The full evidence of row `index` (0-based), one witness per paragraph; for attribute
/// values, the value's claim, the classes it comes from and why its entity is in the answer.
pub fn explain(kg: &KnowledgeGraph, answer: &Answer, index: usize) -> Option<String> {
    if let Body::Values(values) = &answer.body {
        return values.get(index).map(|v| explain_value(kg, v));
    }
    let row = answer.rows().get(index)?;
    let e = kg.entity(row.node);
    let mut out = format!(
        "{} ({})\n",
        esc(&e.name),
        esc(&kg.schema().kind(e.kind).singular)
    );
    for (i, w) in row.why.iter().enumerate() {
        let ev = inheritance::evidence(kg, w);
        let tag = if ev.inherited() {
            format!(" (inherited via {})", esc(&names(kg, &ev.via)))
        } else {
            String::new()
        };
        let _ = writeln!(out, "  because{tag}:");
        if w.steps.is_empty() {
            let _ = writeln!(out, "    {}", w.without_steps());
        }
        for &s in &w.steps {
            let _ = writeln!(out, "    {}", esc(&describe_edge(kg, s)));
        }
        if ev.inherited() {
            passed_on(&mut out, &ev, "row", &names(kg, &ev.via));
        }
        if i + 1 < row.why.len() {
            out.push('\n');
        }
    }
    let touched = Touched {
        edges: row
            .why
            .iter()
            .flat_map(|w| w.steps.iter().copied())
            .collect(),
        node: None,
        attributes: Default::default(),
    };
    out.push_str(&conflict_blocks(kg, &touched));
    Some(out)
}

/// One attribute value in full: the claim with its provenance and note, the `is_a` steps it
/// is inherited through (with what holds and what does not), and why its entity is in the
/// answer.
fn explain_value(kg: &KnowledgeGraph, v: &ValueRow) -> String {
    let e = kg.entity(v.node);
    let attr = v.attribute(kg);
    let mut out = format!(
        "{} ({})\n",
        esc(&e.name),
        esc(&kg.schema().kind(e.kind).singular)
    );
    let _ = writeln!(
        out,
        "  {}: {}{}",
        esc(&kg.schema().attributes[usize::from(v.key)].label),
        esc(&attr.value),
        esc(&claim_suffix(kg, &attr.claim))
    );
    if let Some(note) = &attr.claim.qualifiers().note {
        let _ = writeln!(out, "    note: {}", esc(note));
    }
    if let Some(class) = v.inherited_from {
        let ev = v.evidence(kg);
        let _ = writeln!(
            out,
            "  said of {}, not of {} by name:",
            esc(&kg.entity(class).name),
            esc(&e.name)
        );
        for &s in &v.steps {
            let _ = writeln!(out, "    {}", esc(&describe_edge(kg, s)));
        }
        passed_on(&mut out, &ev, "value", &kg.entity(class).name);
    }
    let named = v.why.iter().all(|w| w.steps.is_empty());
    if !named {
        for w in &v.why {
            let _ = writeln!(out, "  in the answer because:");
            if w.steps.is_empty() {
                let _ = writeln!(out, "    {}", w.without_steps());
            }
            for &s in &w.steps {
                let _ = writeln!(out, "    {}", esc(&describe_edge(kg, s)));
            }
        }
    }
    let touched = Touched {
        edges: v
            .steps
            .iter()
            .copied()
            .chain(v.why.iter().flat_map(|w| w.steps.iter().copied()))
            .collect(),
        node: None,
        attributes: [(v.holder, v.index)].into_iter().collect(),
    };
    out.push_str(&conflict_blocks(kg, &touched));
    out
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Why an answer is empty, in a sentence that uses the query's own words and the graph's
/// names (see [`EmptyReason`]).
pub fn empty_reason(kg: &KnowledgeGraph, reason: &EmptyReason) -> String {
    let schema = kg.schema();
    match reason {
        EmptyReason::NotInAnswer { entity } => {
            format!("`{}` is not in the answer", kg.entity(*entity).name)
        }
        EmptyReason::NoneOfKind { kind } => format!(
            "the graph has no {}",
            kind.map_or("entities", |k| schema.kind(k).plural.as_str())
        ),
        EmptyReason::NoEdge {
            selection,
            relation,
            kind,
            target,
        } => format!(
            "nothing in the graph answers `{selection}`: no `{}` edge (or a narrower one) links {} to `{target}`",
            schema.relation(*relation).id,
            kind.map_or("anything".to_owned(), |k| format!(
                "a {}",
                schema.kind(k).singular
            )),
        ),
        EmptyReason::NoneMatchAll { parts } => format!(
            "each part matches something, but nothing matches all of them: {}",
            parts
                .iter()
                .map(|(label, n)| format!("`{label}` matches {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        EmptyReason::NoneInCommon {
            left: (l, ln),
            right: (r, rn),
        } => format!("`{l}` has {ln} and `{r}` has {rn}, but none in common"),
        EmptyReason::AllExcepted {
            left,
            right,
            expression,
        } => format!("every entity of `{left}` is also in `{right}` ({expression})"),
        EmptyReason::NoPath { from, to, hops } => format!(
            "no chain of at most {hops} relations connects `{}` and `{}`",
            kg.entity(*from).name,
            kg.entity(*to).name
        ),
        EmptyReason::NoValue {
            attribute,
            target,
            entities,
        } => {
            let label = &schema.attributes[usize::from(*attribute)].label;
            if *entities == 1 {
                format!(
                    "the graph records no `{label}` for `{target}`, nor for any class it belongs to"
                )
            } else {
                format!(
                    "the graph records no `{label}` for any of the {entities} entities of `{target}`, nor for their classes"
                )
            }
        }
        EmptyReason::NoneMeetConditions {
            question,
            found,
            values,
            conditions,
        } => {
            if *values {
                format!(
                    "`{question}` has {found} value{}, but none of their claims meets `{conditions}`",
                    plural(*found)
                )
            } else {
                format!(
                    "`{question}` has {found} answer{}, but none rests on a claim that meets `{conditions}`",
                    plural(*found)
                )
            }
        }
        EmptyReason::Unexplained { message } => message.clone(),
    }
}
