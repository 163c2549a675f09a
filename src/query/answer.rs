//! Answers: rows with their witnesses, counts, paths and entity cards, and their rendering as
//! a table, plain text or JSON.
//!
//! An [`Answer`] holds indices into the graph it came from; every rendering function takes
//! that graph.

use crate::graph::{Claim, Direction, KnowledgeGraph};
use crate::model::Certainty;
use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::{Value, json};
use std::fmt::Write;

/// The result of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// What was found.
    pub body: Body,
    /// For an empty answer: which step came up empty, and why.
    pub empty_reason: Option<String>,
}

/// What a query found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Entities, sorted by name, each with its evidence.
    Rows(Vec<Row>),
    /// How many entities (`count ...`).
    Count(usize),
    /// Chains of relations (`path`, `paths`), shortest first.
    Paths(Vec<Vec<PathStep>>),
    /// Everything about one entity (`describe ...`).
    Card(NodeIndex),
}

/// One entity in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The entity.
    pub node: NodeIndex,
    /// The evidence: each witness is one chain of edges that puts the entity in the answer.
    /// Empty steps mean the entity was named in the query itself.
    pub why: Vec<Witness>,
}

/// One chain of evidence for a row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Witness {
    /// The edges, in reading order.
    pub steps: Vec<EdgeIndex>,
    /// Whether the chain uses inheritance (what is said of a class, applied to a member).
    pub inherited: bool,
}

/// One step of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PathStep {
    /// Where the step starts.
    pub from: NodeIndex,
    /// Where it ends.
    pub to: NodeIndex,
    /// The edge followed.
    pub edge: EdgeIndex,
    /// Whether the edge was followed along its direction (`from` is its source).
    pub forward: bool,
}

impl Answer {
    pub(crate) fn new(body: Body, empty_reason: Option<String>) -> Self {
        Answer { body, empty_reason }
    }

    /// The rows, for a set query (empty otherwise).
    pub fn rows(&self) -> &[Row] {
        match &self.body {
            Body::Rows(rows) => rows,
            _ => &[],
        }
    }

    /// The number of results: rows, the count, paths, or 1 for a card.
    pub fn len(&self) -> usize {
        match &self.body {
            Body::Rows(rows) => rows.len(),
            Body::Count(n) => *n,
            Body::Paths(p) => p.len(),
            Body::Card(_) => 1,
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        match &self.body {
            Body::Rows(rows) => rows.is_empty(),
            Body::Count(n) => *n == 0,
            Body::Paths(p) => p.is_empty(),
            Body::Card(_) => false,
        }
    }

    /// The names of the entities in the answer (rows, or the ends of each path step).
    pub fn names<'g>(&self, kg: &'g KnowledgeGraph) -> Vec<&'g str> {
        match &self.body {
            Body::Rows(rows) => rows
                .iter()
                .map(|r| kg.entity(r.node).name.as_str())
                .collect(),
            Body::Card(n) => vec![kg.entity(*n).name.as_str()],
            Body::Paths(paths) => paths
                .iter()
                .flat_map(|p| {
                    p.first()
                        .map(|s| s.from)
                        .into_iter()
                        .chain(p.iter().map(|s| s.to))
                })
                .map(|n| kg.entity(n).name.as_str())
                .collect(),
            Body::Count(_) => Vec::new(),
        }
    }

    /// The answer as a table: one line per row with its name, kind and a short reason.
    pub fn to_table(&self, kg: &KnowledgeGraph) -> String {
        let mut out = String::new();
        match &self.body {
            Body::Rows(rows) => {
                if !rows.is_empty() {
                    let cells: Vec<[String; 4]> = rows
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let e = kg.entity(r.node);
                            [
                                (i + 1).to_string(),
                                e.name.clone(),
                                kg.schema().kind(e.kind).singular.clone(),
                                short_because(kg, r),
                            ]
                        })
                        .collect();
                    let header = [
                        "#".to_owned(),
                        "name".to_owned(),
                        "kind".to_owned(),
                        "because".to_owned(),
                    ];
                    let widths: Vec<usize> = (0..3)
                        .map(|c| {
                            cells
                                .iter()
                                .chain([&header])
                                .map(|row| row[c].chars().count())
                                .max()
                                .unwrap_or(0)
                        })
                        .collect();
                    for row in [&header].into_iter().chain(&cells) {
                        let line = format!(
                            "{:>w0$}  {:<w1$}  {:<w2$}  {}",
                            row[0],
                            row[1],
                            row[2],
                            row[3],
                            w0 = widths[0],
                            w1 = widths[1],
                            w2 = widths[2]
                        );
                        let _ = writeln!(out, "{}", line.trim_end());
                    }
                }
                self.footer(&mut out, rows.len(), "row");
            }
            Body::Count(n) => {
                let _ = writeln!(out, "{n}");
                if let Some(reason) = &self.empty_reason {
                    let _ = writeln!(out, "(empty: {reason})");
                }
            }
            Body::Paths(paths) => {
                for (i, p) in paths.iter().enumerate() {
                    if paths.len() > 1 {
                        let _ =
                            writeln!(out, "path {} ({} step{}):", i + 1, p.len(), plural(p.len()));
                    }
                    for (j, s) in p.iter().enumerate() {
                        let _ = writeln!(out, "  {}. {}", j + 1, describe_path_step(kg, s));
                    }
                }
                self.footer(&mut out, paths.len(), "path");
            }
            Body::Card(n) => out.push_str(&card(kg, *n)),
        }
        out
    }

    fn footer(&self, out: &mut String, n: usize, noun: &str) {
        match &self.empty_reason {
            Some(reason) => {
                let _ = writeln!(out, "no {noun}s: {reason}");
            }
            None => {
                let _ = writeln!(out, "({n} {noun}{})", plural(n));
            }
        }
    }

    /// The answer as plain text: entity names one per line, a count, or paths one per line.
    pub fn to_plain(&self, kg: &KnowledgeGraph) -> String {
        let mut out = String::new();
        match &self.body {
            Body::Rows(rows) => {
                for r in rows {
                    let _ = writeln!(out, "{}", kg.entity(r.node).name);
                }
            }
            Body::Count(n) => {
                let _ = writeln!(out, "{n}");
            }
            Body::Paths(paths) => {
                for p in paths {
                    let _ = writeln!(out, "{}", path_line(kg, p));
                }
            }
            Body::Card(n) => out.push_str(&card(kg, *n)),
        }
        out
    }

    /// The answer as one JSON object: `{"query", "rows": [{"id", "name", "kind", "why"}]}`,
    /// or `"count"`, `"paths"` or `"entity"` in place of `"rows"`; `"empty_reason"` when empty.
    pub fn to_json(&self, kg: &KnowledgeGraph, query: &str) -> Value {
        let mut v = json!({ "query": query });
        match &self.body {
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
        }
        if let Some(reason) = &self.empty_reason {
            v["empty_reason"] = json!(reason);
        }
        v
    }

    /// The full evidence of row `index` (0-based), one witness per paragraph.
    pub fn explain_row(&self, kg: &KnowledgeGraph, index: usize) -> Option<String> {
        let row = self.rows().get(index)?;
        let e = kg.entity(row.node);
        let mut out = format!("{} ({})\n", e.name, kg.schema().kind(e.kind).singular);
        for (i, w) in row.why.iter().enumerate() {
            let tag = if w.inherited { " (inherited)" } else { "" };
            let _ = writeln!(out, "  because{tag}:");
            if w.steps.is_empty() {
                let _ = writeln!(out, "    named in the query");
            }
            for &s in &w.steps {
                let _ = writeln!(out, "    {}", describe_edge(kg, s));
            }
            if i + 1 < row.why.len() {
                out.push('\n');
            }
        }
        Some(out)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// How a relation type reads in a sentence: its id with underscores as spaces
/// (`has_side_effect` -> `has side effect`, `is_a` -> `is a`).
pub fn relation_words(kg: &KnowledgeGraph, edge: EdgeIndex) -> String {
    let (_, e, _) = kg.edge(edge);
    kg.schema().relation(e.rel).id.replace('_', " ")
}

/// The qualifiers, provenance and conflict of a claim, in brackets:
/// `(may; rare) [article, bisphosphonates] [conflict: denosumab_class]`.
pub fn claim_suffix(kg: &KnowledgeGraph, claim: &Claim) -> String {
    let q = &claim.qualifiers();
    let mut parts: Vec<String> = Vec::new();
    match (&q.hedge, q.certainty) {
        (Some(h), _) => parts.push(h.clone()),
        (None, Some(c)) if c != Certainty::Established => {
            parts.push(format!("{c:?}").to_lowercase())
        }
        _ => {}
    }
    for s in [&q.frequency, &q.quantity, &q.timing, &q.context]
        .into_iter()
        .flatten()
    {
        parts.push(s.clone());
    }
    let mut out = String::new();
    if !parts.is_empty() {
        let _ = write!(out, " ({})", parts.join("; "));
    }
    if let Some(p) = claim.provenance {
        let (source, section) = kg.describe_provenance(&p);
        match section {
            Some(sec) => {
                let _ = write!(out, " [{}, {sec}]", source.id);
            }
            None => {
                let _ = write!(out, " [{}]", source.id);
            }
        }
    }
    if let Some(c) = claim.conflict {
        let _ = write!(out, " [conflict: {}]", kg.conflict(c).id);
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

fn describe_path_step(kg: &KnowledgeGraph, s: &PathStep) -> String {
    let text = describe_edge(kg, s.edge);
    if s.forward {
        text
    } else {
        format!("{text} (read backwards, from {})", kg.entity(s.from).name)
    }
}

/// `lung cancer -causes-> bone metastasis <-located in- spine`.
fn path_line(kg: &KnowledgeGraph, p: &[PathStep]) -> String {
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

/// The principal edge of a row's first witness, for one table cell.
fn short_because(kg: &KnowledgeGraph, row: &Row) -> String {
    let Some(w) = row.why.first() else {
        return String::new();
    };
    if w.steps.is_empty() {
        return "named in the query".to_owned();
    }
    let hierarchy = kg.schema().hierarchy;
    let principal = w
        .steps
        .iter()
        .copied()
        .find(|&s| Some(kg.edge(s).1.rel) != hierarchy)
        .unwrap_or(w.steps[0]);
    let (a, e, b) = kg.edge(principal);
    let mut text = format!(
        "{} {} {}",
        kg.entity(a).name,
        relation_words(kg, principal),
        kg.entity(b).name
    );
    let q = &e.claim.qualifiers();
    let mut marks: Vec<&str> = Vec::new();
    if let Some(h) = q.hedge.as_deref() {
        marks.push(h);
    }
    if let Some(f) = q.frequency.as_deref() {
        marks.push(f);
    }
    if w.inherited {
        marks.push("inherited");
    }
    if e.claim.conflict.is_some()
        || w.steps
            .iter()
            .any(|&s| kg.edge(s).1.claim.conflict.is_some())
    {
        marks.push("conflicting claims");
    }
    if !marks.is_empty() {
        let _ = write!(text, " ({})", marks.join("; "));
    }
    if row.why.len() > 1 {
        let _ = write!(text, " +{} more", row.why.len() - 1);
    }
    text
}

fn edge_json(kg: &KnowledgeGraph, edge: EdgeIndex) -> Value {
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
}

fn witness_json(kg: &KnowledgeGraph, w: &Witness) -> Value {
    let text = if w.steps.is_empty() {
        "named in the query".to_owned()
    } else {
        w.steps
            .iter()
            .map(|&s| describe_edge(kg, s))
            .collect::<Vec<_>>()
            .join("; ")
    };
    json!({
        "text": text,
        "inherited": w.inherited,
        "steps": w.steps.iter().map(|&s| edge_json(kg, s)).collect::<Vec<_>>(),
    })
}

/// Everything the graph says about one entity, as text.
pub fn card(kg: &KnowledgeGraph, node: NodeIndex) -> String {
    let e = kg.entity(node);
    let schema = kg.schema();
    let mut out = format!("{} ({})\n", e.name, schema.kind(e.kind).singular);
    if !e.aliases.is_empty() {
        let _ = writeln!(out, "  also called: {}", e.aliases.join(", "));
    }
    if let Some(s) = &e.summary {
        let place = e
            .provenance
            .map(|p| {
                let (src, sec) = kg.describe_provenance(&p);
                format!(
                    " [{}{}]",
                    src.id,
                    sec.map(|s| format!(", {s}")).unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let _ = writeln!(out, "  {s}{place}");
    }
    let classes = kg.ancestors(node);
    if !classes.is_empty() {
        let names: Vec<&str> = classes
            .iter()
            .map(|n| kg.entity(*n).name.as_str())
            .collect();
        let _ = writeln!(out, "  is a: {}", names.join(", "));
    }
    if !e.attributes.is_empty() {
        out.push('\n');
        let width = e
            .attributes
            .iter()
            .map(|a| schema.attributes[usize::from(a.key)].label.chars().count())
            .max()
            .unwrap_or(0);
        for a in &e.attributes {
            let label = &schema.attributes[usize::from(a.key)].label;
            let _ = writeln!(
                out,
                "  {label:<width$}  {}{}",
                a.value,
                claim_suffix(kg, &a.claim)
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
                    schema.relation(nb.rel).id.replace('_', " ")
                );
            }
            let (_, edge, _) = kg.edge(nb.edge);
            let _ = writeln!(
                out,
                "    {arrow} {}{}",
                kg.entity(nb.node).name,
                claim_suffix(kg, &edge.claim)
            );
        }
    }
    let conflicts = conflicts_of(kg, node);
    if !conflicts.is_empty() {
        let _ = writeln!(out, "\n  conflicting claims in the source:");
        for c in conflicts {
            let conflict = kg.conflict(c);
            let _ = writeln!(out, "    {}: {}", conflict.id, conflict.note);
        }
    }
    out
}

/// The conflicts that any claim on or about `node` takes part in, in file order.
fn conflicts_of(kg: &KnowledgeGraph, node: NodeIndex) -> Vec<crate::ConflictId> {
    let mut ids: Vec<crate::ConflictId> = kg
        .entity(node)
        .attributes
        .iter()
        .filter_map(|a| a.claim.conflict)
        .chain(
            [Direction::Forward, Direction::Inverse]
                .into_iter()
                .flat_map(|d| kg.all_neighbors(node, d))
                .filter_map(|nb| kg.edge(nb.edge).1.claim.conflict),
        )
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn card_json(kg: &KnowledgeGraph, node: NodeIndex) -> Value {
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
    let conflicts: Vec<Value> = conflicts_of(kg, node)
        .into_iter()
        .map(|c| json!({"id": kg.conflict(c).id, "note": kg.conflict(c).note}))
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
        "conflicts": conflicts,
    })
}
