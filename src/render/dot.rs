//! Graphviz DOT pictures: the whole graph, the schema, and the evidence behind one answer.
//!
//! Output is deterministic (nodes and edges in a fixed order, ids taken from entity ids) and
//! every label is escaped, so any graph gives valid DOT. Shape and colour come from the kind,
//! with a legend; edge labels from the relation type; hedged edges are dashed, speculative ones
//! dotted, conflicting claims drawn in a warning colour, and rows found through inheritance
//! marked. A large drawing collapses its overflow into one summary node per kind.

use crate::graph::{Direction, KindId, KindSet, KnowledgeGraph, RelId};
use crate::model::Certainty;
use crate::query::answer::{Answer, Body};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// Shapes and fill colours given to kinds in schema order (repeating if there are more).
const STYLES: &[(&str, &str)] = &[
    ("ellipse", "#fde0dd"),
    ("box3d", "#e0ecf4"),
    ("hexagon", "#e5f5e0"),
    ("note", "#fff7bc"),
    ("octagon", "#efedf5"),
    ("box", "#fee6ce"),
    ("component", "#deebf7"),
    ("cylinder", "#f7fcb9"),
    ("box", "#fcc5c0"),
    ("cds", "#d9f0a3"),
    ("house", "#e7e1ef"),
    ("tab", "#ccebc5"),
    ("trapezium", "#fddbc7"),
    ("folder", "#d1e5f0"),
    ("invhouse", "#f0f0f0"),
];

/// Colour of an edge that takes part in a marked conflict.
pub const CONFLICT_COLOUR: &str = "#d7301f";
/// Colour of `is_a` edges used to carry what is said of a class to a member.
const INHERITED_COLOUR: &str = "#6a51a3";

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DotOptions {
    /// Draw at most this many entity nodes; the rest collapse into one summary node per kind.
    pub max_nodes: Option<usize>,
    /// Group nodes into one box per kind.
    pub clusters: bool,
}

/// Escapes text for a double-quoted DOT string: quotes and backslashes are escaped, line
/// breaks become `\n`, other control characters become spaces. Braces, angle brackets and
/// non-ASCII text need no escaping inside quotes.
///
/// ```
/// assert_eq!(bonegraph::render::dot::escape("a \"b\" \\ c\nd"), "a \\\"b\\\" \\\\ c\\nd");
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

/// What one drawing contains.
struct Picture<'a> {
    kg: &'a KnowledgeGraph,
    title: String,
    nodes: BTreeSet<NodeIndex>,
    edges: BTreeSet<EdgeIndex>,
    /// Answer rows (drawn bold).
    focus: BTreeSet<NodeIndex>,
    /// Entities the query named (drawn with a double border).
    named: BTreeSet<NodeIndex>,
    /// Rows whose every witness uses inheritance.
    /// Rows every witness of which is inherited, with the classes they come through.
    inherited: std::collections::BTreeMap<NodeIndex, String>,
    /// `is_a` edges that carried inheritance.
    inheriting: BTreeSet<EdgeIndex>,
}

impl<'a> Picture<'a> {
    fn new(kg: &'a KnowledgeGraph, title: &str) -> Self {
        Picture {
            kg,
            title: title.to_owned(),
            nodes: BTreeSet::new(),
            edges: BTreeSet::new(),
            focus: BTreeSet::new(),
            named: BTreeSet::new(),
            inherited: Default::default(),
            inheriting: BTreeSet::new(),
        }
    }
}

/// The whole graph as DOT.
pub fn graph_dot(kg: &KnowledgeGraph, options: DotOptions) -> String {
    let mut p = Picture::new(kg, kg.name());
    p.nodes = kg.nodes().collect();
    p.edges = kg.edges().collect();
    render(&p, options)
}

/// The evidence behind an answer: its rows, the entities the query named (`named`), and the
/// edges that connect them (every witness, chain and inheritance step; every path step; for a
/// card, every edge of the entity; for attribute values, the entities, the classes a value is
/// inherited from and the `is_a` steps to them). `None` for a count, which has nothing to draw.
pub fn answer_dot(
    kg: &KnowledgeGraph,
    answer: &Answer,
    title: &str,
    named: &[NodeIndex],
    options: DotOptions,
) -> Option<String> {
    let mut p = Picture::new(kg, title);
    p.named = named.iter().copied().collect();
    let hierarchy = kg.schema().hierarchy;
    match &answer.body {
        Body::Rows(rows) => {
            for row in rows {
                p.focus.insert(row.node);
                if !row.why.is_empty() && row.why.iter().all(|w| w.inherited) {
                    let ev = crate::inheritance::evidence(kg, &row.why[0]);
                    let via: Vec<&str> =
                        ev.via.iter().map(|&c| kg.entity(c).name.as_str()).collect();
                    let label = if via.is_empty() {
                        "inherited".to_owned()
                    } else {
                        format!("via {}", via.join(", "))
                    };
                    p.inherited.insert(row.node, label);
                }
                for w in &row.why {
                    p.edges.extend(w.steps.iter().copied());
                    if w.inherited {
                        p.inheriting.extend(
                            w.steps
                                .iter()
                                .copied()
                                .filter(|&e| Some(kg.edge(e).1.rel) == hierarchy),
                        );
                    }
                }
            }
        }
        Body::Paths(paths) => {
            for path in paths {
                p.edges.extend(path.iter().map(|s| s.edge));
                if let (Some(first), Some(last)) = (path.first(), path.last()) {
                    p.focus.insert(first.from);
                    p.focus.insert(last.to);
                }
            }
        }
        Body::Card(n) => {
            p.focus.insert(*n);
            for d in [Direction::Forward, Direction::Inverse] {
                p.edges
                    .extend(kg.all_neighbors(*n, d).iter().map(|nb| nb.edge));
            }
        }
        Body::Values(values) => {
            for v in values {
                p.focus.insert(v.node);
                // An entity labelled `via` only if every value it has is inherited.
                let mine = values.iter().filter(|w| w.node == v.node);
                if mine.clone().all(|w| w.inherited_from.is_some()) {
                    let mut via: Vec<&str> = mine
                        .filter_map(|w| w.inherited_from)
                        .map(|c| kg.entity(c).name.as_str())
                        .collect();
                    via.dedup();
                    p.inherited
                        .insert(v.node, format!("via {}", via.join(", ")));
                }
                if let Some(class) = v.inherited_from {
                    p.nodes.insert(class);
                    p.inheriting.extend(v.steps.iter().copied());
                }
                p.edges.extend(v.steps.iter().copied());
                for w in &v.why {
                    p.edges.extend(w.steps.iter().copied());
                }
            }
        }
        Body::Count(_) => return None,
    }
    p.nodes.extend(p.focus.iter().copied());
    p.nodes.extend(p.named.iter().copied());
    for &e in &p.edges {
        let (a, _, b) = kg.edge(e);
        p.nodes.insert(a);
        p.nodes.insert(b);
    }
    Some(render(&p, options))
}

/// The evidence behind the answer to `query` (see [`answer_dot`]); `Ok(None)` for a count.
///
/// ```
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let dot = bonegraph::render::dot::query_dot(kg, "side effects of Zometa", Default::default())?;
/// assert!(dot.unwrap().contains("\"zoledronic_acid\" -> \"bisphosphonates\""));
/// # Ok::<(), bonegraph::QueryError>(())
/// ```
pub fn query_dot(
    kg: &KnowledgeGraph,
    query: &str,
    options: DotOptions,
) -> Result<Option<String>, crate::QueryError> {
    let prepared = kg.prepare(query)?;
    let answer = kg.run(&prepared)?;
    let named = prepared.plan().named_entities();
    Ok(answer_dot(kg, &answer, query, &named, options))
}

/// The schema as DOT: kinds as nodes, relation types as edges labelled with their phrases.
pub fn schema_dot(kg: &KnowledgeGraph) -> String {
    let schema = kg.schema();
    let mut out = String::new();
    header(&mut out, &format!("schema of {}", kg.name()));
    let mut any = false;
    for (i, k) in schema.kinds.iter().enumerate() {
        let (shape, fill) = style(KindId(i as u16));
        let n = kg.nodes_of_kind(KindId(i as u16)).len();
        let _ = writeln!(
            out,
            "  \"kind:{}\" [label=\"{}\\n{} {}\", shape={shape}, fillcolor=\"{fill}\"];",
            escape(&k.id),
            escape(&k.plural),
            n,
            if n == 1 { "entity" } else { "entities" }
        );
    }
    for (i, r) in schema.relations.iter().enumerate() {
        let mut label = r.id.replace('_', " ");
        if let Some(p) = r.parent {
            let _ = write!(
                label,
                " (a kind of {})",
                schema.relation(p).id.replace('_', " ")
            );
        }
        if !r.forward.is_empty() {
            let _ = write!(label, "\n→ {}", r.forward.join(", "));
        }
        if !r.inverse.is_empty() {
            let _ = write!(label, "\n← {}", r.inverse.join(", "));
        }
        let ends = |set: &KindSet| -> Vec<String> {
            match set {
                KindSet::Any => vec!["kind:*".to_owned()],
                KindSet::Only(ks) => ks
                    .iter()
                    .map(|k| format!("kind:{}", schema.kind(*k).id))
                    .collect(),
            }
        };
        let (from, to) = (ends(&r.from), ends(&r.to));
        any |= from.iter().chain(&to).any(|k| k == "kind:*");
        let mut attrs = format!(
            "label=\"{}\", tooltip=\"{}\"",
            escape(&label),
            escape(&r.id)
        );
        if r.hierarchy {
            attrs.push_str(", arrowhead=empty");
        }
        if r.parent.is_some() {
            attrs.push_str(", style=dashed");
        }
        if from.len() * to.len() == 1 {
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{}\" [{attrs}];",
                escape(&from[0]),
                escape(&to[0])
            );
            continue;
        }
        // Several kinds at an end: a junction node carries the label once.
        let colour = STYLES[(i * 5) % STYLES.len()].1;
        let junction = format!("rel:{}", escape(&r.id));
        let _ = writeln!(
            out,
            "  \"{junction}\" [label=\"{}\", shape=box, style=\"rounded,filled\", fillcolor=\"{colour}\", fontsize=9];",
            escape(&label)
        );
        let dashed = if r.parent.is_some() {
            ", style=dashed"
        } else {
            ""
        };
        let head = if r.hierarchy {
            "arrowhead=empty"
        } else {
            "arrowhead=normal"
        };
        for f in &from {
            let _ = writeln!(
                out,
                "  \"{}\" -> \"{junction}\" [arrowhead=none{dashed}];",
                escape(f)
            );
        }
        for t in &to {
            let _ = writeln!(
                out,
                "  \"{junction}\" -> \"{}\" [{head}{dashed}];",
                escape(t)
            );
        }
    }
    if any {
        let _ = writeln!(
            out,
            "  \"kind:*\" [label=\"any kind\", shape=doublecircle, fillcolor=\"#ffffff\"];"
        );
    }
    out.push_str("}\n");
    out
}

fn header(out: &mut String, title: &str) {
    let _ = writeln!(out, "digraph bonegraph {{");
    let _ = writeln!(
        out,
        "  graph [label=\"{}\", labelloc=t, fontname=\"Helvetica\", fontsize=18, rankdir=LR, charset=\"UTF-8\", nodesep=0.3, ranksep=0.6];",
        escape(title)
    );
    let _ = writeln!(
        out,
        "  node [fontname=\"Helvetica\", fontsize=11, style=filled];"
    );
    let _ = writeln!(
        out,
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#555555\"];"
    );
}

/// Chooses the nodes to draw when there are more than `max`: answer rows and named
/// entities first, then the most connected; the rest collapse into one node per kind.
fn keep_nodes(p: &Picture<'_>, max: usize) -> BTreeSet<NodeIndex> {
    if p.nodes.len() <= max {
        return p.nodes.clone();
    }
    let degree = |n: NodeIndex| -> usize {
        p.edges
            .iter()
            .filter(|&&e| {
                let (a, _, b) = p.kg.edge(e);
                a == n || b == n
            })
            .count()
    };
    let mut ranked: Vec<(u8, std::cmp::Reverse<usize>, NodeIndex)> = p
        .nodes
        .iter()
        .map(|&n| {
            let tier = if p.focus.contains(&n) || p.named.contains(&n) {
                0
            } else {
                1
            };
            (tier, std::cmp::Reverse(degree(n)), n)
        })
        .collect();
    ranked.sort();
    // Room for the summary nodes: one per kind of what is dropped, at most.
    let kinds_dropped = |keep: usize| -> usize {
        ranked[keep..]
            .iter()
            .map(|(_, _, n)| p.kg.entity(*n).kind)
            .collect::<BTreeSet<_>>()
            .len()
    };
    let mut keep = max.min(ranked.len());
    while keep > 0 && keep + kinds_dropped(keep) > max {
        keep -= 1;
    }
    ranked[..keep].iter().map(|(_, _, n)| *n).collect()
}

fn render(p: &Picture<'_>, options: DotOptions) -> String {
    let kg = p.kg;
    let schema = kg.schema();
    let kept = match options.max_nodes {
        Some(max) => keep_nodes(p, max),
        None => p.nodes.clone(),
    };
    // Dropped nodes, grouped by kind into summary nodes.
    let mut dropped: BTreeMap<KindId, Vec<NodeIndex>> = BTreeMap::new();
    for &n in p.nodes.difference(&kept) {
        dropped.entry(kg.entity(n).kind).or_default().push(n);
    }
    let node_id = |n: NodeIndex| -> String {
        if kept.contains(&n) {
            escape(&kg.entity(n).id)
        } else {
            format!("more:{}", escape(&schema.kind(kg.entity(n).kind).id))
        }
    };

    let mut out = String::new();
    header(&mut out, &p.title);
    let mut by_kind: BTreeMap<KindId, Vec<NodeIndex>> = BTreeMap::new();
    for &n in &kept {
        by_kind.entry(kg.entity(n).kind).or_default().push(n);
    }
    let kinds_drawn: BTreeSet<KindId> = by_kind.keys().chain(dropped.keys()).copied().collect();
    for kind in &kinds_drawn {
        let indent = if options.clusters {
            let _ = writeln!(
                out,
                "  subgraph \"cluster_{}\" {{\n    label=\"{}\"; style=\"rounded,dashed\"; color=\"#bbbbbb\"; fontname=\"Helvetica\";",
                escape(&schema.kind(*kind).id),
                escape(&schema.kind(*kind).plural)
            );
            "    "
        } else {
            "  "
        };
        for &n in by_kind.get(kind).map_or(&[][..], Vec::as_slice) {
            let e = kg.entity(n);
            let (shape, fill) = style(e.kind);
            let mut label = format!("{}\n({})", e.name, schema.kind(e.kind).singular);
            let mut extra = String::new();
            if p.focus.contains(&n) {
                extra.push_str(", penwidth=2.5");
            }
            if p.named.contains(&n) {
                extra.push_str(", peripheries=2");
            }
            if let Some(via) = p.inherited.get(&n) {
                label.push('\n');
                label.push_str(via);
                extra.push_str(&format!(
                    ", style=\"filled,dashed\", color=\"{INHERITED_COLOUR}\""
                ));
            }
            let _ = writeln!(
                out,
                "{indent}\"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\"{extra}];",
                node_id(n),
                escape(&label)
            );
        }
        // The overflow of this kind, collapsed into one summary node.
        if let Some(nodes) = dropped.get(kind) {
            let (shape, fill) = style(*kind);
            let k = schema.kind(*kind);
            let _ = writeln!(
                out,
                "{indent}\"more:{}\" [label=\"{} more {}\", shape={shape}, fillcolor=\"{fill}\", style=\"filled,dashed\"];",
                escape(&k.id),
                nodes.len(),
                escape(if nodes.len() == 1 {
                    &k.singular
                } else {
                    &k.plural
                })
            );
        }
        if options.clusters {
            let _ = writeln!(out, "  }}");
        }
    }
    // Edges between kept nodes as they are; edges touching a summary node merged per
    // (from, relation, to) with a count.
    let mut merged: BTreeMap<(String, RelId, String), usize> = BTreeMap::new();
    for &ei in &p.edges {
        let (a, edge, b) = kg.edge(ei);
        if !kept.contains(&a) || !kept.contains(&b) {
            *merged
                .entry((node_id(a), edge.rel, node_id(b)))
                .or_default() += 1;
            continue;
        }
        let rel = schema.relation(edge.rel);
        let mut label = rel.id.replace('_', " ");
        let mut attrs = Vec::new();
        let q = &edge.claim.qualifiers();
        // Every qualifier the claim carries, long ones cut: the picture must not read stronger
        // than the source.
        let values: Vec<String> = crate::inheritance::qualifier_values(&edge.claim, false)
            .into_iter()
            .map(|(field, v)| {
                // A hedge is never cut: "so far it's thought that it may" must keep its "may".
                if field != crate::inheritance::Field::Certainty && v.chars().count() > 28 {
                    format!("{}…", v.chars().take(27).collect::<String>().trim_end())
                } else {
                    v
                }
            })
            .collect();
        if !values.is_empty() {
            let _ = write!(label, " ({})", values.join("; "));
        }
        match q.certainty {
            Some(Certainty::Speculative) => attrs.push("style=dotted".to_owned()),
            Some(c) if c != Certainty::Established => attrs.push("style=dashed".to_owned()),
            _ => {}
        }
        if let Some(c) = edge.claim.conflict {
            let conflict = kg.conflict(c);
            let _ = write!(label, "\n{}: {}", conflict.kind.as_str(), conflict.id);
            attrs.push(format!(
                "color=\"{CONFLICT_COLOUR}\", fontcolor=\"{CONFLICT_COLOUR}\", penwidth=1.8"
            ));
        } else if p.inheriting.contains(&ei) {
            attrs.push(format!(
                "color=\"{INHERITED_COLOUR}\", fontcolor=\"{INHERITED_COLOUR}\""
            ));
        }
        if rel.hierarchy {
            attrs.push("arrowhead=empty".to_owned());
        }
        attrs.insert(0, format!("label=\"{}\"", escape(&label)));
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [{}];",
            node_id(a),
            node_id(b),
            attrs.join(", ")
        );
    }
    for ((a, rel, b), count) in merged {
        let rel = schema.relation(rel).id.replace('_', " ");
        let label = if count == 1 {
            rel
        } else {
            format!("{rel} ×{count}")
        };
        let _ = writeln!(
            out,
            "  \"{a}\" -> \"{b}\" [label=\"{}\", style=dashed, color=\"#999999\"];",
            escape(&label)
        );
    }
    legend(p, &kinds_drawn, &mut out);
    out.push_str("}\n");
    out
}

/// Escapes text for an HTML-like DOT label.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A compact legend (one table) of the kinds drawn and of the edge and node styles.
fn legend(p: &Picture<'_>, kinds: &BTreeSet<KindId>, out: &mut String) {
    let kg = p.kg;
    let mut rows = String::new();
    for k in kinds {
        let (_, fill) = style(*k);
        let _ = write!(
            rows,
            "<tr><td bgcolor=\"{fill}\" border=\"1\">{}</td></tr>",
            html(&kg.schema().kind(*k).singular)
        );
    }
    let lines = [
        ("#555555", "———— stated"),
        ("#555555", "- - - - hedged (may, thought to)"),
        ("#555555", "· · · · hoped for, under study"),
        (
            CONFLICT_COLOUR,
            "———— marked in the source: contradiction, slip, unclear term",
        ),
        (
            INHERITED_COLOUR,
            "——▷ is a: what is said of a class, applied to a member",
        ),
    ];
    for (colour, text) in lines {
        let _ = write!(
            rows,
            "<tr><td align=\"left\"><font color=\"{colour}\">{}</font></td></tr>",
            html(text)
        );
    }
    let _ = write!(
        rows,
        "<tr><td align=\"left\">bold border: in the answer; double border: named in the question</td></tr>"
    );
    let _ = writeln!(
        out,
        "  legend [shape=plaintext, style=\"\", fontsize=10, label=<<table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"3\"><tr><td><b>legend</b></td></tr>{rows}</table>>];"
    );
}
