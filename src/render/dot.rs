//! Graphviz DOT pictures: the whole graph, the schema, and the evidence behind one answer.
//!
//! What to draw is decided in [`super::picture`] (shared with [`super::mermaid`]); this module
//! only writes it as DOT. Output is deterministic (nodes and edges in a fixed order, ids taken
//! from entity ids) and every label is escaped, so any graph gives valid DOT. Shape and colour
//! come from the kind; edge labels carry the relation and every qualifier; hedged edges are
//! dashed, speculative ones dotted, conflicting claims drawn in a warning colour, rows found
//! through inheritance marked, and folded (summary) edges grey, bold, with a hollow dot. The
//! legend lists only what the picture shows.

use super::picture::{
    self, CONFLICT_COLOUR as CONFLICT, Drawing, EDGE_COLOUR, End, Evidence, FOLDED_COLOUR,
    INHERITED_COLOUR, Line, SchemaDrawing, kind_style,
};
use crate::graph::{KindId, KnowledgeGraph};
use crate::query::answer::Answer;
use petgraph::graph::NodeIndex;
use std::fmt::Write;

pub use super::picture::CONFLICT_COLOUR;

/// How to draw (shared with Mermaid: see [`picture::PictureOptions`]).
pub type DotOptions = picture::PictureOptions;

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

/// Lines joined into one escaped DOT string.
fn lines(label: &[String]) -> String {
    label
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("\\n")
}

/// The whole graph as DOT.
pub fn graph_dot(kg: &KnowledgeGraph, options: DotOptions) -> String {
    write(&picture::draw(&Evidence::whole(kg), options))
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
    let evidence = Evidence::answer(kg, answer, title, named)?;
    Some(write(&picture::draw(&evidence, options)))
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
    picture::Language::Dot.query(kg, query, options)
}

/// Colours for the lines of relation types in the schema picture, so that each can be
/// followed from its card to its kinds.
const LINE_COLOURS: &[&str] = &[
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#a6761d", "#1f78b4", "#666666",
];

/// Phrases joined with commas, broken into lines of about 44 characters for an HTML label.
fn phrase_lines(arrow: &str, phrases: &[String]) -> String {
    let mut out = format!("{arrow} ");
    let mut width = 2;
    for (i, p) in phrases.iter().enumerate() {
        let piece = if i + 1 < phrases.len() {
            format!("{p},")
        } else {
            p.clone()
        };
        if width > 2 && width + piece.chars().count() > 44 {
            out.push_str("<br align=\"left\"/>&#160;&#160;&#160;");
            width = 2;
        } else if width > 2 {
            out.push(' ');
            width += 1;
        }
        width += piece.chars().count();
        out.push_str(&html(&piece));
    }
    out.push_str("<br align=\"left\"/>");
    out
}

/// The schema as DOT, in three columns: the kinds relations go from on the left, one card per
/// relation type in the middle (its name, the type it refines, and every phrase that names it
/// forwards `→` and backwards `←`), and the kinds they go to on the right. A kind that is at
/// both ends of some relation is drawn in both columns, so that no line loops back and no
/// label lies on a line.
pub fn schema_dot(kg: &KnowledgeGraph) -> String {
    let s = SchemaDrawing::new(kg);
    let mut out = String::new();
    header(&mut out, &s.title);
    let _ = writeln!(
        out,
        "  graph [ranksep=1.1, nodesep=0.12, newrank=true];\n  edge [penwidth=1.2];"
    );
    let kind_label = |k: KindId| -> (String, &'static str, &'static str) {
        let (_, plural, count) = &s.kinds[usize::from(k.0)];
        let (shape, fill) = kind_style(k);
        (
            format!(
                "{plural}\n{count} {}",
                if *count == 1 { "entity" } else { "entities" }
            ),
            shape,
            fill,
        )
    };
    let end_id = |side: &str, end: End| -> String {
        match end {
            End::Kind(k) => format!("{side}:{}", escape(&kg.schema().kind(k).id)),
            End::Any => format!("{side}:*"),
        }
    };
    let subjects = s.used(true);
    let objects = s.used(false);
    for (side, ends, title) in [("from", &subjects, "from"), ("to", &objects, "to")] {
        let _ = writeln!(out, "  {{ rank=same;");
        let mut all: Vec<End> = ends.iter().copied().collect();
        if side == "from" {
            // Kinds no relation uses still belong in the picture.
            for (k, _, _) in &s.kinds {
                if !subjects.contains(&End::Kind(*k)) && !objects.contains(&End::Kind(*k)) {
                    all.push(End::Kind(*k));
                }
            }
        }
        for end in all {
            let (label, shape, fill) = match end {
                End::Kind(k) => kind_label(k),
                End::Any => ("any kind".to_owned(), "doublecircle", "#ffffff"),
            };
            let _ = writeln!(
                out,
                "    \"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\", tooltip=\"{title}\"];",
                end_id(side, end),
                escape(&label)
            );
        }
        let _ = writeln!(out, "  }}");
    }
    for (i, r) in s.relations.iter().enumerate() {
        let colour = LINE_COLOURS[i % LINE_COLOURS.len()];
        let mut title = format!("<b>{}</b>", html(&r.name));
        if let Some(p) = &r.parent {
            let _ = write!(title, " <i>(a kind of {})</i>", html(p));
        }
        let mut rows = format!("<tr><td align=\"left\">{title}</td></tr>");
        if !r.forward.is_empty() || !r.inverse.is_empty() {
            let mut phrases = String::new();
            if !r.forward.is_empty() {
                phrases.push_str(&phrase_lines("→", &r.forward));
            }
            if !r.inverse.is_empty() {
                phrases.push_str(&phrase_lines("←", &r.inverse));
            }
            let _ = write!(
                rows,
                "<tr><td align=\"left\"><font point-size=\"8\">{phrases}</font></td></tr>"
            );
        }
        let style = if r.parent.is_some() {
            ", style=dashed"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  \"rel:{}\" [shape=plaintext, style=\"\", tooltip=\"{}\", label=<<table border=\"1\" color=\"{colour}\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\" bgcolor=\"#ffffff\">{rows}</table>>];",
            escape(&r.id),
            escape(&r.id)
        );
        let head = if r.hierarchy { "empty" } else { "normal" };
        for &f in &r.from {
            let _ = writeln!(
                out,
                "  \"{}\" -> \"rel:{}\" [arrowhead=none, color=\"{colour}\"{style}];",
                end_id("from", f),
                escape(&r.id)
            );
        }
        for &t in &r.to {
            let _ = writeln!(
                out,
                "  \"rel:{}\" -> \"{}\" [arrowhead={head}, color=\"{colour}\"{style}];",
                escape(&r.id),
                end_id("to", t)
            );
        }
    }
    // The legend says only what this schema shows.
    let mut notes = vec!["left: the kind a relation goes from; right: the kind it goes to"];
    if s.relations
        .iter()
        .any(|r| !r.forward.is_empty() || !r.inverse.is_empty())
    {
        notes.push("→ phrases ask from the left kind, ← phrases from the right kind");
    }
    if s.relations.iter().any(|r| r.parent.is_some()) {
        notes.push("dashed: a relation type that refines another");
    }
    let _ = writeln!(
        out,
        "  legend [shape=plaintext, style=\"\", fontsize=9, label=<<table border=\"1\" color=\"#cccccc\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"2\">{}</table>>];",
        notes
            .iter()
            .map(|n| format!("<tr><td align=\"left\">{}</td></tr>", html(n)))
            .collect::<String>()
    );
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
        "  edge [fontname=\"Helvetica\", fontsize=9, color=\"{EDGE_COLOUR}\"];"
    );
}

/// A drawing as DOT.
fn write(d: &Drawing) -> String {
    let mut out = String::new();
    header(&mut out, &d.title);
    let mut current: Option<KindId> = None;
    let indent = if d.clusters { "    " } else { "  " };
    for n in &d.nodes {
        if d.clusters && current != Some(n.kind) {
            if current.is_some() {
                let _ = writeln!(out, "  }}");
            }
            current = Some(n.kind);
            // The cluster's label is the kind's plural, taken from the folded node or entity.
            let _ = writeln!(
                out,
                "  subgraph \"cluster_{}\" {{\n    label=\"{}\"; style=\"rounded,dashed\"; color=\"#bbbbbb\"; fontname=\"Helvetica\";",
                n.kind.0,
                escape(&n.cluster)
            );
        }
        let (shape, fill) = kind_style(n.kind);
        let mut extra = String::new();
        if n.focus {
            extra.push_str(", penwidth=2.5");
        }
        if n.named {
            extra.push_str(", peripheries=2");
        }
        if n.inherited {
            let _ = write!(
                extra,
                ", style=\"filled,dashed\", color=\"{INHERITED_COLOUR}\""
            );
        }
        if n.folded.is_some() {
            let _ = write!(
                extra,
                ", style=\"filled,dashed\", color=\"{FOLDED_COLOUR}\", fontcolor=\"#444444\""
            );
        }
        let _ = writeln!(
            out,
            "{indent}\"{}\" [label=\"{}\", shape={shape}, fillcolor=\"{fill}\"{extra}];",
            escape(&n.id),
            lines(&n.label)
        );
    }
    if d.clusters && current.is_some() {
        let _ = writeln!(out, "  }}");
    }
    for e in &d.edges {
        let mut attrs = vec![format!("label=\"{}\"", lines(&e.label))];
        if e.folded.is_some() {
            attrs.push(format!(
                "style=bold, color=\"{FOLDED_COLOUR}\", fontcolor=\"#777777\", arrowhead=odot"
            ));
        } else {
            match e.line {
                Line::Speculative => attrs.push("style=dotted".to_owned()),
                Line::Hedged => attrs.push("style=dashed".to_owned()),
                Line::Stated => {}
            }
            if e.conflict {
                attrs.push(format!(
                    "color=\"{CONFLICT}\", fontcolor=\"{CONFLICT}\", penwidth=1.8"
                ));
            } else if e.inherited {
                attrs.push(format!(
                    "color=\"{INHERITED_COLOUR}\", fontcolor=\"{INHERITED_COLOUR}\""
                ));
            }
            if e.hierarchy {
                attrs.push("arrowhead=empty".to_owned());
            }
            if let Some(source) = &e.source {
                attrs.push(format!("tooltip=\"{}\"", escape(source)));
            }
        }
        let _ = writeln!(
            out,
            "  \"{}\" -> \"{}\" [{}];",
            escape(&d.nodes[e.from].id),
            escape(&d.nodes[e.to].id),
            attrs.join(", ")
        );
    }
    legend(d, &mut out);
    out.push_str("}\n");
    out
}

/// Escapes text for an HTML-like DOT label.
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A compact legend: one small table, the kinds drawn in a row of coloured cells, then one
/// line for each style the picture uses (and none for a style it does not).
fn legend(d: &Drawing, out: &mut String) {
    let l = d.legend();
    let mut rows = String::new();
    let kinds: Vec<String> = l
        .kinds
        .iter()
        .map(|&k| {
            let (_, fill) = kind_style(k);
            let name = d
                .nodes
                .iter()
                .find(|n| n.kind == k)
                .map_or("", |n| n.kind_word.as_str());
            format!("<td bgcolor=\"{fill}\" border=\"1\">{}</td>", html(name))
        })
        .collect();
    // Six kinds a row, so that a wide schema does not make a wide legend.
    for chunk in kinds.chunks(6) {
        let _ = write!(
            rows,
            "<tr><td><table border=\"0\" cellborder=\"0\" cellspacing=\"2\" cellpadding=\"1\"><tr>{}</tr></table></td></tr>",
            chunk.concat()
        );
    }
    let mut line = |colour: &str, text: &str| {
        let _ = write!(
            rows,
            "<tr><td align=\"left\"><font color=\"{colour}\">{}</font></td></tr>",
            html(text)
        );
    };
    if l.stated {
        line(EDGE_COLOUR, "——— stated");
    }
    if l.hedged {
        line(EDGE_COLOUR, "- - - hedged (may, thought to)");
    }
    if l.speculative {
        line(EDGE_COLOUR, "· · · hoped for, under study");
    }
    if l.conflict {
        line(
            CONFLICT,
            "——— the source contradicts or muddles itself here",
        );
    }
    if l.inherited {
        line(
            INHERITED_COLOUR,
            "——▷ is a: said of the class, applied to a member",
        );
    }
    if l.via {
        line(
            INHERITED_COLOUR,
            "dashed border, via X: in the answer through class X",
        );
    }
    if l.focus && l.named {
        line(
            "#000000",
            "bold border: in the answer; double: named in the question",
        );
    } else if l.focus {
        line("#000000", "bold border: in the answer");
    } else if l.named {
        line("#000000", "double border: named in the question");
    }
    if l.folded {
        line(
            FOLDED_COLOUR,
            "━━○ folded: links to the N more entities not drawn",
        );
    }
    if l.hidden_edges > 0 {
        line(
            FOLDED_COLOUR,
            &format!(
                "{} more edge{} not drawn, to keep the picture readable",
                l.hidden_edges,
                if l.hidden_edges == 1 { "" } else { "s" }
            ),
        );
    }
    let _ = writeln!(
        out,
        "  legend [shape=plaintext, style=\"\", fontsize=9, label=<<table border=\"1\" color=\"#cccccc\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">{rows}</table>>];"
    );
}
