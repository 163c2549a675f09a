//! The summary `bonegraph check` prints: counts by kind and relation, conflicts, warnings and
//! errors, as data that renders to text or JSON. The text (and the audit's Markdown) shows
//! control characters in the graph's strings escaped ([`crate::text::escape_control`]); the
//! JSON keeps them exact.

use crate::diagnostic::{Diagnostic, Severity};
use crate::graph::conflict_claims;
use crate::graph::{KnowledgeGraph, RelId};
use crate::load::Checked;
use crate::text::escape_control as esc;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// How many warnings of one kind the text report shows in full.
pub const WARNINGS_SHOWN: usize = 20;

/// A summary of one graph file: what it holds and what is wrong with it.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The file as named by the user (or `<embedded>`).
    pub file: String,
    /// Whether the file loads without errors.
    pub valid: bool,
    /// The graph's name, if the file loaded.
    pub name: Option<String>,
    /// Number of entities.
    pub entities: usize,
    /// Number of edges answers use.
    pub relations: usize,
    /// Number of edges marked `basis: Inferred`, kept out of answers.
    pub inferred: usize,
    /// Entities per kind, including kinds with none.
    pub by_kind: BTreeMap<String, usize>,
    /// Edges per relation type, including types with none.
    pub by_relation: BTreeMap<String, usize>,
    /// Edges and attribute values without a source.
    pub unsourced_relations: usize,
    /// Attribute values on entities.
    pub attributes: usize,
    /// Edges (inferred ones included) and attribute values by audit verdict: `stated`,
    /// `paraphrased`, `hedged`, `inferred`, or `unmarked` when the file gives none.
    pub by_basis: BTreeMap<String, usize>,
    /// Every marked conflict with its claims.
    pub conflicts: Vec<ConflictReport>,
    /// Lint warnings.
    pub warnings: Vec<Diagnostic>,
    /// Errors; non-empty means the file cannot be used.
    pub errors: Vec<Diagnostic>,
}

/// One marked conflict.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictReport {
    /// Conflict id.
    pub id: String,
    /// `contradiction`, `inconsistency`, `slip`, `undefined term` or `ambiguity`.
    pub kind: String,
    /// What the disagreement is about.
    pub note: String,
    /// The claims, one line each.
    pub claims: Vec<String>,
}

impl CheckReport {
    /// Builds the report for a checked file.
    pub fn new(file: &str, checked: &Checked) -> Self {
        let (errors, warnings): (Vec<_>, Vec<_>) = checked
            .diagnostics
            .iter()
            .cloned()
            .partition(|d| d.severity == Severity::Error);
        let mut report = CheckReport {
            file: file.to_owned(),
            valid: errors.is_empty(),
            name: None,
            entities: 0,
            relations: 0,
            inferred: 0,
            by_kind: BTreeMap::new(),
            by_relation: BTreeMap::new(),
            by_basis: BTreeMap::new(),
            unsourced_relations: 0,
            attributes: 0,
            conflicts: Vec::new(),
            warnings,
            errors,
        };
        if let Some(kg) = &checked.graph {
            report.fill(kg);
        }
        report
    }

    fn fill(&mut self, kg: &KnowledgeGraph) {
        self.name = Some(kg.name().to_owned());
        self.entities = kg.entity_count();
        self.relations = kg.edge_count();
        self.inferred = kg.inferred().len();
        for (i, kind) in kg.schema().kinds.iter().enumerate() {
            let count = kg.nodes_of_kind(crate::graph::KindId(i as u16)).len();
            self.by_kind.insert(kind.id.clone(), count);
        }
        let mut per_rel = vec![0usize; kg.schema().relations.len()];
        for e in kg.edges() {
            let (_, edge, _) = kg.edge(e);
            per_rel[usize::from(edge.rel.0)] += 1;
            if edge.claim.provenance.is_none() {
                self.unsourced_relations += 1;
            }
        }
        for (i, count) in per_rel.into_iter().enumerate() {
            let rel = kg.schema().relation(RelId(i as u16));
            self.by_relation.insert(rel.id.clone(), count);
        }
        for n in kg.nodes() {
            for a in &kg.entity(n).attributes {
                self.attributes += 1;
                if a.claim.provenance.is_none() {
                    self.unsourced_relations += 1;
                }
            }
        }
        for claim in all_claims(kg) {
            *self
                .by_basis
                .entry(basis_word(claim.basis).to_owned())
                .or_default() += 1;
        }
        for (i, c) in kg.conflicts().iter().enumerate() {
            let claims = conflict_claims(kg, crate::graph::ConflictId(i as u16))
                .iter()
                .map(|claim| claim.describe(kg))
                .collect();
            self.conflicts.push(ConflictReport {
                id: c.id.clone(),
                kind: c.kind.as_str().to_owned(),
                note: c.note.clone(),
                claims,
            });
        }
    }

    /// The report as human-readable text; `text` is the file's contents, used to quote lines.
    /// Control characters in names, ids, notes and claims are shown escaped.
    pub fn render_text(&self, text: Option<&str>) -> String {
        let mut out = String::new();
        // One line index for all diagnostics: a large file may have many thousands.
        let lines = text.map(crate::load::spans::LineIndex::new);
        let line_of = |d: &Diagnostic| -> Option<&str> {
            let (text, lines) = (text?, lines.as_ref()?);
            lines.line(text, d.location?.line)
        };
        for d in &self.errors {
            out.push_str(&d.render_line(&self.file, line_of(d)));
            out.push('\n');
        }
        // Conflicts are listed in their own section below; other warnings here, at most
        // WARNINGS_SHOWN of each kind (a generated graph may have a hundred thousand).
        let mut shown: std::collections::BTreeMap<crate::Code, usize> = Default::default();
        for d in self
            .warnings
            .iter()
            .filter(|d| d.code != crate::Code::Conflict)
        {
            let n = shown.entry(d.code).or_default();
            *n += 1;
            if *n <= WARNINGS_SHOWN {
                out.push_str(&d.render_line(&self.file, line_of(d)));
                out.push('\n');
            }
        }
        for (code, n) in shown.into_iter().filter(|(_, n)| *n > WARNINGS_SHOWN) {
            let _ = writeln!(
                out,
                "... and {} more `{}` warnings (`--format json` lists them all)\n",
                n - WARNINGS_SHOWN,
                code.as_str()
            );
        }
        if let Some(name) = &self.name {
            let _ = writeln!(out, "{}: {}", esc(&self.file), esc(name));
            let inferred = if self.inferred > 0 {
                format!(" (and {} inferred, kept out of answers)", self.inferred)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {} entities, {} relations{inferred}, {} attribute values, {} unsourced",
                self.entities, self.relations, self.attributes, self.unsourced_relations
            );
            let _ = writeln!(out, "\nentities by kind:");
            write_counts(&mut out, &self.by_kind);
            let _ = writeln!(out, "\nrelations by type:");
            write_counts(&mut out, &self.by_relation);
            let _ = writeln!(
                out,
                "\nclaims by audit verdict (edges and attribute values):"
            );
            write_counts(&mut out, &self.by_basis);
            if !self.conflicts.is_empty() {
                let _ = writeln!(out, "\nmarked conflicts ({}):", self.conflicts.len());
                for c in &self.conflicts {
                    let _ = writeln!(out, "  {} ({}): {}", esc(&c.id), c.kind, esc(&c.note));
                    for claim in &c.claims {
                        let _ = writeln!(out, "    - {}", esc(claim));
                    }
                }
            }
            out.push('\n');
        }
        let other_warnings = self
            .warnings
            .iter()
            .filter(|d| d.code != crate::Code::Conflict)
            .count();
        let _ = writeln!(
            out,
            "{}: {} error{}, {} warning{}{}",
            if self.valid { "ok" } else { "failed" },
            self.errors.len(),
            plural(self.errors.len()),
            other_warnings,
            plural(other_warnings),
            if self.conflicts.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} marked conflict{}",
                    self.conflicts.len(),
                    plural(self.conflicts.len())
                )
            }
        );
        out
    }
}

/// Every claim of the graph: edges in file order (inferred ones included), then attribute
/// values entity by entity.
fn all_claims(kg: &KnowledgeGraph) -> impl Iterator<Item = &crate::Claim> {
    kg.edges()
        .map(|e| &kg.edge(e).1.claim)
        .chain(kg.inferred().iter().map(|i| &i.claim))
        .chain(
            kg.nodes()
                .flat_map(|n| kg.entity(n).attributes.iter().map(|a| &a.claim)),
        )
}

fn basis_word(basis: Option<crate::Basis>) -> &'static str {
    basis.map_or("unmarked", crate::Basis::as_str)
}

/// Every claim with its audit verdict, as Markdown: counts, then one table of edges in file
/// order (inferred ones included) and one of attribute values. `docs/audit.md` embeds this
/// for the embedded graph; `bonegraph check --audit` prints it for any graph, with control
/// characters escaped in every row.
pub fn audit_markdown(kg: &KnowledgeGraph) -> String {
    let mut out = String::new();
    let mut counts: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in kg.edges() {
        counts
            .entry(basis_word(kg.edge(e).1.claim.basis))
            .or_default()
            .0 += 1;
    }
    for i in kg.inferred() {
        counts.entry(basis_word(i.claim.basis)).or_default().0 += 1;
    }
    for n in kg.nodes() {
        for a in &kg.entity(n).attributes {
            counts.entry(basis_word(a.claim.basis)).or_default().1 += 1;
        }
    }
    let _ = writeln!(
        out,
        "| verdict | edges | attribute values |\n|---|---:|---:|"
    );
    for word in ["stated", "paraphrased", "hedged", "inferred", "unmarked"] {
        if let Some((e, a)) = counts.get(word) {
            let _ = writeln!(out, "| {word} | {e} | {a} |");
        }
    }
    let place = |claim: &crate::Claim| -> String {
        claim
            .provenance
            .map(|p| {
                let (_, sec) = kg.describe_provenance(&p);
                sec.unwrap_or("").to_owned()
            })
            .unwrap_or_default()
    };
    let quals = |claim: &crate::Claim| -> String {
        let mut parts: Vec<String> = crate::inheritance::qualifier_values(claim, false)
            .into_iter()
            .map(|(f, v)| match f {
                crate::inheritance::Field::Certainty => format!("hedge: {v}"),
                _ => format!("{}: {v}", f.as_str()),
            })
            .collect();
        if let Some(c) = claim.conflict {
            parts.push(format!(
                "{}: {}",
                kg.conflict(c).kind.as_str(),
                kg.conflict(c).id
            ));
        }
        cell(&parts.join("; "))
    };
    let _ = writeln!(
        out,
        "\n### Edges\n\n| # | from | relation | to | section | verdict | qualifiers and marks |\n|---:|---|---|---|---|---|---|"
    );
    let mut rows: Vec<(u32, String)> = kg
        .edges()
        .map(|e| {
            let (a, edge, b) = kg.edge(e);
            (
                edge.claim.file_index,
                kg.entity(a).id.clone(),
                edge.rel,
                kg.entity(b).id.clone(),
                &edge.claim,
            )
        })
        .chain(kg.inferred().iter().map(|i| {
            (
                i.claim.file_index,
                kg.entity(i.from).id.clone(),
                i.rel,
                kg.entity(i.to).id.clone(),
                &i.claim,
            )
        }))
        .map(|(ix, from, rel, to, claim)| {
            (
                ix,
                format!(
                    "| {} | {from} | {} | {to} | {} | {} | {} |",
                    ix + 1,
                    kg.schema().relation(rel).id,
                    place(claim),
                    basis_word(claim.basis),
                    quals(claim)
                ),
            )
        })
        .collect();
    rows.sort();
    for (_, row) in rows {
        let _ = writeln!(out, "{}", esc(&row));
    }
    let _ = writeln!(
        out,
        "\n### Attribute values\n\n| entity | attribute | value | section | verdict | qualifiers and marks |\n|---|---|---|---|---|---|"
    );
    for n in kg.nodes() {
        let e = kg.entity(n);
        for a in &e.attributes {
            let row = format!(
                "| {} | {} | {} | {} | {} | {} |",
                e.id,
                kg.schema().attributes[usize::from(a.key)].id,
                cell(&a.value),
                place(&a.claim),
                basis_word(a.claim.basis),
                quals(&a.claim)
            );
            let _ = writeln!(out, "{}", esc(&row));
        }
    }
    out
}

/// Text made safe for one Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn write_counts(out: &mut String, counts: &BTreeMap<String, usize>) {
    let width = counts
        .keys()
        .map(|k| esc(k).chars().count())
        .max()
        .unwrap_or(0);
    for (k, v) in counts {
        let _ = writeln!(out, "  {:<width$}  {v:>5}", esc(k));
    }
}
