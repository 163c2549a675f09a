//! Answers: rows with their witnesses, counts, paths and entity cards, and their rendering as
//! a table, plain text or JSON.
//!
//! An [`Answer`] holds indices into the graph it came from; every rendering function takes
//! that graph.
//!
//! The text printers (table, plain, card, explanation, conflict notes) show graph text with
//! its control characters escaped ([`crate::text::escape_control`]), so that a graph file
//! cannot drive the user's terminal; the JSON keeps the exact text, and the sentence helpers
//! (`describe_edge`, `claim_suffix`, ...) return it raw for whichever printer uses them.

use crate::graph::{Claim, ConflictId, Direction, KnowledgeGraph};
use crate::graph::{ConflictClaim, conflict_claims};
use crate::inheritance::{self, Evidence, Field};
use crate::model::{Basis, ConflictKind};
use crate::text::escape_control as esc;
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
                                esc(&e.name).into_owned(),
                                esc(&kg.schema().kind(e.kind).singular).into_owned(),
                                esc(&short_because(kg, r)).into_owned(),
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
                out.push_str(&conflict_blocks(kg, &self.touched(kg)));
            }
            Body::Count(n) => {
                let _ = writeln!(out, "{n}");
                if let Some(reason) = &self.empty_reason {
                    let _ = writeln!(out, "(empty: {})", esc(reason));
                }
            }
            Body::Paths(paths) => {
                for (i, p) in paths.iter().enumerate() {
                    if paths.len() > 1 {
                        let _ =
                            writeln!(out, "path {} ({} step{}):", i + 1, p.len(), plural(p.len()));
                    }
                    for (j, s) in p.iter().enumerate() {
                        let _ = writeln!(out, "  {}. {}", j + 1, esc(&describe_path_step(kg, s)));
                    }
                }
                self.footer(&mut out, paths.len(), "path");
                out.push_str(&conflict_blocks(kg, &self.touched(kg)));
            }
            Body::Card(n) => out.push_str(&card(kg, *n)),
        }
        out
    }

    /// The conflicts (contradictions, slips, undefined terms, ...) that any evidence of the
    /// answer takes part in, in file order: every printer warns about them.
    pub fn conflicts(&self, kg: &KnowledgeGraph) -> Vec<ConflictId> {
        self.touched(kg).conflicts(kg)
    }

    /// The warnings and notes about the source that the table prints after the rows (empty
    /// when the answer touches no marked conflict): for printers that show names only.
    pub fn conflict_text(&self, kg: &KnowledgeGraph) -> String {
        conflict_blocks(kg, &self.touched(kg))
    }

    /// The claims this answer rests on.
    fn touched(&self, kg: &KnowledgeGraph) -> Touched {
        match &self.body {
            Body::Rows(rows) => Touched {
                edges: rows
                    .iter()
                    .flat_map(|r| &r.why)
                    .flat_map(|w| w.steps.iter().copied())
                    .collect(),
                node: None,
            },
            Body::Paths(paths) => Touched {
                edges: paths.iter().flatten().map(|s| s.edge).collect(),
                node: None,
            },
            Body::Card(n) => Touched::card(kg, *n),
            Body::Count(_) => Touched::default(),
        }
    }

    fn footer(&self, out: &mut String, n: usize, noun: &str) {
        match &self.empty_reason {
            Some(reason) => {
                let _ = writeln!(out, "no {noun}s: {}", esc(reason));
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
        let conflicts = self.conflicts(kg);
        if !conflicts.is_empty() {
            v["conflicts"] = conflicts.iter().map(|&c| conflict_json(kg, c)).collect();
        }
        v
    }

    /// The full evidence of row `index` (0-based), one witness per paragraph.
    pub fn explain_row(&self, kg: &KnowledgeGraph, index: usize) -> Option<String> {
        let row = self.rows().get(index)?;
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
                let _ = writeln!(out, "    named in the query");
            }
            for &s in &w.steps {
                let _ = writeln!(out, "    {}", esc(&describe_edge(kg, s)));
            }
            if ev.inherited() {
                let held: Vec<String> = ev.qualifiers.iter().map(|(_, v)| v.clone()).collect();
                if !held.is_empty() {
                    let _ = writeln!(
                        out,
                        "    holds for this row as said of the class: {}",
                        esc(&held.join("; "))
                    );
                }
                for (field, value) in &ev.withheld {
                    let _ = writeln!(
                        out,
                        "    not passed to members: {} `{}` (said of {} only)",
                        field.as_str(),
                        esc(value),
                        esc(&names(kg, &ev.via))
                    );
                }
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
        };
        out.push_str(&conflict_blocks(kg, &touched));
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

/// The most characters of one quantity, timing or context the table's cell shows; the full text
/// is in `:explain` and JSON.
const CELL_VALUE_CHARS: usize = 40;

/// The claim behind a row's first witness, for one table cell: the claim with every qualifier
/// that holds for the row (long ones shortened), the classes it is inherited through, and the
/// conflicts it takes part in.
fn short_because(kg: &KnowledgeGraph, row: &Row) -> String {
    let Some(w) = row.why.first() else {
        return String::new();
    };
    if w.steps.is_empty() {
        return "named in the query".to_owned();
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
fn claim_sentence(kg: &KnowledgeGraph, edge: EdgeIndex) -> String {
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
fn conflict_marks(kg: &KnowledgeGraph, conflicts: &[ConflictId]) -> Vec<String> {
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
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at_word].trim_end_matches([',', ';', ' ']))
}

/// Entity names joined with commas.
fn names(kg: &KnowledgeGraph, nodes: &[NodeIndex]) -> String {
    nodes
        .iter()
        .map(|&n| kg.entity(n).name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The claims an answer or a card rests on: edges of its evidence, and for a card the entity
/// whose attributes and inferred edges it shows.
#[derive(Debug, Default)]
struct Touched {
    edges: std::collections::HashSet<EdgeIndex>,
    node: Option<NodeIndex>,
}

impl Touched {
    /// What a card shows: the entity's own claims, and the class edges and `is_a` steps of what
    /// it inherits.
    fn card(kg: &KnowledgeGraph, node: NodeIndex) -> Touched {
        let mut edges: std::collections::HashSet<EdgeIndex> =
            [Direction::Forward, Direction::Inverse]
                .into_iter()
                .flat_map(|d| kg.all_neighbors(node, d).iter().map(|nb| nb.edge))
                .collect();
        for item in inherited_claims(kg, node) {
            edges.insert(item.claim);
            edges.extend(item.evidence.hierarchy_steps.iter().copied());
        }
        Touched {
            edges,
            node: Some(node),
        }
    }

    fn contains(&self, kg: &KnowledgeGraph, claim: ConflictClaim) -> bool {
        match claim {
            ConflictClaim::Edge(e) => self.edges.contains(&e),
            ConflictClaim::Attribute(n, _) => self.node == Some(n),
            ConflictClaim::Inferred(i) => {
                let e = &kg.inferred()[i];
                self.node.is_some_and(|n| e.from == n || e.to == n)
            }
        }
    }

    /// The conflicts of the touched claims, in file order.
    fn conflicts(&self, kg: &KnowledgeGraph) -> Vec<ConflictId> {
        let mut ids: Vec<ConflictId> = self
            .edges
            .iter()
            .filter_map(|&e| kg.edge(e).1.claim.conflict)
            .collect();
        if let Some(n) = self.node {
            ids.extend(
                kg.entity(n)
                    .attributes
                    .iter()
                    .filter_map(|a| a.claim.conflict),
            );
            ids.extend(
                kg.inferred()
                    .iter()
                    .filter(|e| e.from == n || e.to == n)
                    .filter_map(|e| e.claim.conflict),
            );
        }
        ids.sort();
        ids.dedup();
        ids
    }
}

/// The warning (for contradictions and inconsistencies) or note (for slips, undefined terms
/// and ambiguities) that an answer touching these claims prints. A contradiction lists every
/// claim involved side by side with its section; a note lists the claims the answer rests on.
fn conflict_blocks(kg: &KnowledgeGraph, touched: &Touched) -> String {
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
fn conflict_claim_text(kg: &KnowledgeGraph, cc: ConflictClaim) -> (String, String) {
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

fn conflict_json(kg: &KnowledgeGraph, c: ConflictId) -> Value {
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
            let mut marks: Vec<String> = item
                .evidence
                .qualifiers
                .iter()
                .map(|(_, v)| v.clone())
                .collect();
            marks.extend(conflict_marks(kg, &item.evidence.conflicts));
            let marks = if marks.is_empty() {
                String::new()
            } else {
                format!(" ({})", marks.join("; "))
            };
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
const MAX_INHERITED_SHOWN: usize = 40;

/// One claim a member inherits from one of its classes.
struct InheritedClaim {
    /// The class the claim is said of.
    class: NodeIndex,
    /// The class's edge.
    claim: EdgeIndex,
    /// What holds for the member, by the inheritance rules.
    evidence: Evidence,
}

/// The claims `node` inherits from its classes, nearest class first, leaving out those it
/// states itself (same relation type, same entity at the other end).
fn inherited_claims(kg: &KnowledgeGraph, node: NodeIndex) -> Vec<InheritedClaim> {
    let Some(is_a) = kg.schema().hierarchy else {
        return Vec::new();
    };
    let own: std::collections::HashSet<(Direction, crate::RelId, NodeIndex)> =
        [Direction::Forward, Direction::Inverse]
            .into_iter()
            .flat_map(|d| {
                kg.all_neighbors(node, d)
                    .iter()
                    .map(move |nb| (d, nb.rel, nb.node))
            })
            .collect();
    // Breadth-first up the hierarchy, keeping the is_a steps that reach each class.
    let mut paths: Vec<(NodeIndex, Vec<EdgeIndex>)> = vec![(node, Vec::new())];
    let mut seen = std::collections::HashSet::from([node]);
    let mut i = 0;
    while i < paths.len() && paths.len() <= 1024 {
        let (v, path) = paths[i].clone();
        for nb in kg.neighbors(v, is_a, Direction::Forward) {
            if seen.insert(nb.node) {
                let mut p = path.clone();
                p.push(nb.edge);
                paths.push((nb.node, p));
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    for (class, path) in paths.into_iter().skip(1) {
        for d in [Direction::Forward, Direction::Inverse] {
            for nb in kg.all_neighbors(class, d) {
                if nb.rel == is_a || own.contains(&(d, nb.rel, nb.node)) || nb.node == node {
                    continue;
                }
                let mut steps = path.clone();
                steps.push(nb.edge);
                let evidence = inheritance::evidence(
                    kg,
                    &Witness {
                        steps,
                        inherited: true,
                    },
                );
                out.push(InheritedClaim {
                    class,
                    claim: nb.edge,
                    evidence,
                });
            }
        }
    }
    out
}

/// ` [article, bisphosphonates]`, or nothing for a claim without provenance.
fn provenance_suffix(kg: &KnowledgeGraph, claim: &Claim) -> String {
    place(kg, claim.provenance)
        .map(|p| format!(" {p}"))
        .unwrap_or_default()
}

/// Where a claim comes from, as answers print it: `[article, bisphosphonates]`, or `[article]`
/// when no section is given.
fn place(kg: &KnowledgeGraph, provenance: Option<crate::Provenance>) -> Option<String> {
    let (src, sec) = kg.describe_provenance(&provenance?);
    Some(match sec {
        Some(sec) => format!("[{}, {sec}]", src.id),
        None => format!("[{}]", src.id),
    })
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
