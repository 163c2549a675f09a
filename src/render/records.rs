//! Answers as records for other programs and pages: CSV (RFC 4180), a Markdown table, and one
//! `field: value` a line. Every shape of answer becomes a header and rows of exact text: rows
//! (name, kind, because), values (name, attribute, value, because), a count, path steps, or
//! the fields of a card. CSV keeps the text exact (quoted by its rules); Markdown escapes `|`
//! and line breaks; the line form escapes control characters as the text printers do.

use super::sentences::{describe_edge, short_because};
use super::text::value_because;
use crate::graph::KnowledgeGraph;
use crate::query::answer::{Answer, Body};
use crate::text::escape_control as esc;
use std::fmt::Write;

/// An answer as a header and rows of cells (exact text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Records {
    /// The column names.
    pub header: Vec<String>,
    /// One row of cells per record, as long as the header.
    pub rows: Vec<Vec<String>>,
}

/// The answer's records (see the module documentation).
///
/// ```
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let answer = kg.query("count therapies treating fracture")?;
/// let r = bonegraph::render::records(kg, &answer);
/// assert_eq!((r.header, r.rows), (vec!["count".to_owned()], vec![vec!["6".to_owned()]]));
/// # Ok::<(), bonegraph::QueryError>(())
/// ```
pub fn records(kg: &KnowledgeGraph, answer: &Answer) -> Records {
    let strings = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    match &answer.body {
        Body::Rows(rows) => Records {
            header: strings(&["name", "kind", "because"]),
            rows: rows
                .iter()
                .map(|r| {
                    let e = kg.entity(r.node);
                    vec![
                        e.name.clone(),
                        kg.schema().kind(e.kind).singular.clone(),
                        short_because(kg, r),
                    ]
                })
                .collect(),
        },
        Body::Values(values) => Records {
            header: strings(&["name", "attribute", "value", "because"]),
            rows: values
                .iter()
                .map(|v| {
                    vec![
                        kg.entity(v.node).name.clone(),
                        kg.schema().attributes[usize::from(v.key)].label.clone(),
                        v.attribute(kg).value.clone(),
                        value_because(kg, v, None),
                    ]
                })
                .collect(),
        },
        Body::Count(n) => Records {
            header: strings(&["count"]),
            rows: vec![vec![n.to_string()]],
        },
        Body::Paths(paths) => Records {
            header: strings(&["path", "step", "statement"]),
            rows: paths
                .iter()
                .enumerate()
                .flat_map(|(i, p)| {
                    p.iter().enumerate().map(move |(j, s)| {
                        vec![
                            (i + 1).to_string(),
                            (j + 1).to_string(),
                            describe_edge(kg, s.edge),
                        ]
                    })
                })
                .collect(),
        },
        Body::Card(node) => {
            let e = kg.entity(*node);
            let mut rows = vec![
                vec!["name".to_owned(), e.name.clone()],
                vec!["kind".to_owned(), kg.schema().kind(e.kind).singular.clone()],
            ];
            if !e.aliases.is_empty() {
                rows.push(vec!["also called".to_owned(), e.aliases.join(", ")]);
            }
            if let Some(s) = &e.summary {
                rows.push(vec!["summary".to_owned(), s.clone()]);
            }
            for a in &e.attributes {
                rows.push(vec![
                    kg.schema().attributes[usize::from(a.key)].label.clone(),
                    a.value.clone(),
                ]);
            }
            for nb in kg.all_neighbors(*node, crate::graph::Direction::Forward) {
                rows.push(vec![
                    kg.schema().relation(nb.rel).id.replace('_', " "),
                    describe_edge(kg, nb.edge),
                ]);
            }
            Records {
                header: strings(&["field", "value"]),
                rows,
            }
        }
    }
}

/// The answer as CSV: a header line, then one line per record, quoted where RFC 4180 needs it.
pub fn csv(kg: &KnowledgeGraph, answer: &Answer) -> String {
    let r = records(kg, answer);
    let mut out = String::new();
    for row in std::iter::once(&r.header).chain(&r.rows) {
        let cells: Vec<String> = row.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_cell(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// The answer as a Markdown table (`|` and line breaks escaped in cells).
pub fn markdown(kg: &KnowledgeGraph, answer: &Answer) -> String {
    let r = records(kg, answer);
    let cell = |c: &str| {
        esc(c)
            .replace('\\', "\\\\")
            .replace('|', "\\|")
            .replace('\n', "<br>")
    };
    let mut out = String::new();
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    out.push_str(&line(&r.header));
    let _ = writeln!(out, "|{}", "---|".repeat(r.header.len()));
    for row in &r.rows {
        out.push_str(&line(row));
    }
    out
}

/// The answer one `field: value` a line, records apart by a blank line (the form psql and
/// sqlite3 call expanded or line mode).
pub fn lines(kg: &KnowledgeGraph, answer: &Answer) -> String {
    let r = records(kg, answer);
    let width = r
        .header
        .iter()
        .map(|h| h.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (i, row) in r.rows.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (h, c) in r.header.iter().zip(row) {
            let _ = writeln!(out, "{h:>width$}: {}", esc(c));
        }
    }
    out
}
