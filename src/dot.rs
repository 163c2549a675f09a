//! Graphviz DOT pictures: the whole graph, and the evidence behind one answer.
//!
//! Output is deterministic (nodes and edges in a fixed order, ids taken from entity ids) and
//! every label is escaped, so any graph gives valid DOT. Shape and colour come from the kind,
//! edge labels from the relation type; hedged edges are dashed, conflicting claims red,
//! inherited evidence marked.

use crate::graph::{KindId, KnowledgeGraph};
use crate::model::Certainty;
use crate::query::answer::{Answer, Body};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Shapes and fill colours given to kinds in schema order (repeating if there are more).
const STYLES: &[(&str, &str)] = &[
    ("ellipse", "#fde0dd"),
    ("box", "#e0ecf4"),
    ("hexagon", "#e5f5e0"),
    ("note", "#fff7bc"),
    ("octagon", "#efedf5"),
    ("box3d", "#fee6ce"),
    ("component", "#deebf7"),
    ("diamond", "#f7fcb9"),
    ("parallelogram", "#fcc5c0"),
    ("cylinder", "#d9f0a3"),
    ("house", "#e7e1ef"),
    ("tab", "#ccebc5"),
    ("trapezium", "#fddbc7"),
    ("folder", "#d1e5f0"),
    ("invhouse", "#f0f0f0"),
];

/// Colour of an edge that takes part in a marked conflict.
const CONFLICT_COLOUR: &str = "#d7301f";

/// Escapes text for a double-quoted DOT string: quotes and backslashes are escaped, line
/// breaks become `\n`, other control characters become spaces.
///
/// ```
/// assert_eq!(bonegraph::dot::escape("a \"b\" \\ c\nd"), "a \\\"b\\\" \\\\ c\\nd");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn style(kind: KindId) -> (&'static str, &'static str) {
    STYLES[usize::from(kind.0) % STYLES.len()]
}

/// The whole graph as DOT.
pub fn graph_dot(kg: &KnowledgeGraph) -> String {
    let nodes: BTreeSet<NodeIndex> = kg.nodes().collect();
    let edges: BTreeSet<EdgeIndex> = kg.edges().collect();
    render(kg, kg.name(), &nodes, &edges, &BTreeSet::new())
}

/// The evidence behind an answer: its rows, the entities the evidence names, and the edges
/// that connect them (every witness, chain and inheritance step; every path step; for a
/// card, every edge of the entity). `None` for a count, which has nothing to draw.
pub fn answer_dot(kg: &KnowledgeGraph, answer: &Answer, title: &str) -> Option<String> {
    let mut nodes = BTreeSet::new();
    let mut edges = BTreeSet::new();
    let mut focus = BTreeSet::new();
    match &answer.body {
        Body::Rows(rows) => {
            for row in rows {
                nodes.insert(row.node);
                focus.insert(row.node);
                for w in &row.why {
                    edges.extend(w.steps.iter().copied());
                }
            }
        }
        Body::Paths(paths) => {
            for p in paths {
                for s in p {
                    edges.insert(s.edge);
                    nodes.insert(s.from);
                    nodes.insert(s.to);
                }
                if let (Some(first), Some(last)) = (p.first(), p.last()) {
                    focus.insert(first.from);
                    focus.insert(last.to);
                }
            }
        }
        Body::Card(n) => {
            nodes.insert(*n);
            focus.insert(*n);
            for d in [crate::Direction::Forward, crate::Direction::Inverse] {
                for nb in kg.all_neighbors(*n, d) {
                    edges.insert(nb.edge);
                }
            }
        }
        Body::Count(_) => return None,
    }
    for &e in &edges {
        let (a, _, b) = kg.edge(e);
        nodes.insert(a);
        nodes.insert(b);
    }
    Some(render(kg, title, &nodes, &edges, &focus))
}

fn render(
    kg: &KnowledgeGraph,
    title: &str,
    nodes: &BTreeSet<NodeIndex>,
    edges: &BTreeSet<EdgeIndex>,
    focus: &BTreeSet<NodeIndex>,
) -> String {
    let schema = kg.schema();
    let mut out = String::new();
    let _ = writeln!(out, "digraph bonegraph {{");
    let _ = writeln!(
        out,
        "  graph [label=\"{}\", labelloc=t, fontname=\"Helvetica\", rankdir=LR, charset=\"UTF-8\"];",
        escape(title)
    );
    let _ = writeln!(out, "  node [fontname=\"Helvetica\", style=filled];");
    let _ = writeln!(out, "  edge [fontname=\"Helvetica\", fontsize=10];");
    for &n in nodes {
        let e = kg.entity(n);
        let (shape, fill) = style(e.kind);
        let extra = if focus.contains(&n) {
            ", penwidth=2.5"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\\n({})\", shape={shape}, fillcolor=\"{fill}\"{extra}];",
            escape(&e.id),
            escape(&e.name),
            escape(&schema.kind(e.kind).singular)
        );
    }
    for &ei in edges {
        let (a, edge, b) = kg.edge(ei);
        let rel = schema.relation(edge.rel);
        let mut attrs = vec![format!("label=\"{}\"", escape(&rel.id.replace('_', " ")))];
        let q = &edge.claim.qualifiers;
        if q.is_hedged() {
            attrs.push("style=dashed".to_owned());
        }
        if let Some(c) = edge.claim.conflict {
            attrs.push(format!(
                "color=\"{CONFLICT_COLOUR}\", fontcolor=\"{CONFLICT_COLOUR}\""
            ));
            attrs[0] = format!(
                "label=\"{} (conflict: {})\"",
                escape(&rel.id.replace('_', " ")),
                escape(&kg.conflict(c).id)
            );
        }
        if rel.hierarchy {
            attrs.push("arrowhead=empty".to_owned());
        }
        if q.certainty == Some(Certainty::Speculative) {
            attrs.push("style=dotted".to_owned());
        }
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [{}];",
            escape(&kg.entity(a).id),
            escape(&kg.entity(b).id),
            attrs.join(", ")
        );
    }
    legend(kg, nodes, &mut out);
    out.push_str("}\n");
    out
}

/// A legend of the kinds drawn, and of the edge styles.
fn legend(kg: &KnowledgeGraph, nodes: &BTreeSet<NodeIndex>, out: &mut String) {
    let kinds: BTreeSet<KindId> = nodes.iter().map(|&n| kg.entity(n).kind).collect();
    let _ = writeln!(out, "  subgraph cluster_legend {{");
    let _ = writeln!(
        out,
        "    label=\"legend\"; fontname=\"Helvetica\"; style=rounded; color=\"#999999\";"
    );
    for k in &kinds {
        let (shape, fill) = style(*k);
        let _ = writeln!(
            out,
            "    \"legend kind {}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\"];",
            k.0,
            escape(&kg.schema().kind(*k).singular)
        );
    }
    let _ = writeln!(
        out,
        "    \"legend a\" [label=\"\", shape=point, style=invis]; \"legend b\" [label=\"\", shape=point, style=invis];"
    );
    let _ = writeln!(out, "    \"legend a\" -> \"legend b\" [label=\"stated\"];");
    let _ = writeln!(
        out,
        "    \"legend a\" -> \"legend b\" [label=\"hedged (may, thought to)\", style=dashed];"
    );
    let _ = writeln!(
        out,
        "    \"legend a\" -> \"legend b\" [label=\"conflicting claim\", color=\"{CONFLICT_COLOUR}\", fontcolor=\"{CONFLICT_COLOUR}\"];"
    );
    let _ = writeln!(out, "  }}");
}
