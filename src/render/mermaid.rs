//! Mermaid flowcharts, for Markdown pages that render Mermaid: the same pictures as
//! [`super::dot`] (the whole graph, the schema, the evidence behind one answer), drawn from
//! the same [`super::picture::Drawing`], so that they show the same nodes, edges, qualifiers
//! and folds.
//!
//! Node ids are generated (`n0`, `n1`, ...), never names, and every label is a quoted string
//! escaped by [`escape`], so any graph gives a flowchart Mermaid reads. Hedged edges are
//! dotted arrows (`-.->`), speculative ones more sparsely dotted, conflicts red and
//! inheritance steps purple (`linkStyle`), folded edges thick and grey (`==>`); rows have a
//! bold border, named entities a double one (the subroutine shape `[[...]]`), and the legend
//! lists only what is drawn.

use super::picture::{
    self, CONFLICT_COLOUR, Drawing, EDGE_COLOUR, End, Evidence, FOLDED_COLOUR, INHERITED_COLOUR,
    Line, PictureOptions, SchemaDrawing, kind_style,
};
use crate::graph::{KindId, KnowledgeGraph};
use crate::query::answer::Answer;
use petgraph::graph::NodeIndex;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escapes text for a double-quoted Mermaid label: `"` becomes `#quot;`, and `#`, `&`, `<`,
/// `>`, `[`, `]`, `{`, `}`, `|`, `;`, `%`, `` ` `` and `\` become Mermaid's numeric entity codes
/// (`#35;`), so that nothing in a name can end the string, start a tag or a comment; line
/// breaks become `<br>`, other control characters spaces.
///
/// ```
/// use bonegraph::render::mermaid::escape;
/// assert_eq!(escape("say \"hi\" <b>|x|</b>; #1"), "say #quot;hi#quot; #60;b#62;#124;x#124;#60;/b#62;#59; #35;1");
/// ```
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' | '&' | '<' | '>' | '[' | ']' | '{' | '}' | '|' | ';' | '%' | '`' | '\\' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Lines escaped and joined with `<br>`.
fn lines(label: &[String]) -> String {
    label
        .iter()
        .map(|l| escape(l))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// The whole graph as a Mermaid flowchart.
pub fn graph_mermaid(kg: &KnowledgeGraph, options: PictureOptions) -> String {
    write(&picture::draw(&Evidence::whole(kg), options))
}

/// The evidence behind an answer as a Mermaid flowchart (what [`super::dot::answer_dot`]
/// draws); `None` for a count.
pub fn answer_mermaid(
    kg: &KnowledgeGraph,
    answer: &Answer,
    title: &str,
    named: &[NodeIndex],
    options: PictureOptions,
) -> Option<String> {
    let evidence = Evidence::answer(kg, answer, title, named)?;
    Some(write(&picture::draw(&evidence, options)))
}

/// The evidence behind the answer to `query` as a Mermaid flowchart; `Ok(None)` for a count.
///
/// ```
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let chart = bonegraph::render::mermaid::query_mermaid(kg, "side effects of Zometa", Default::default())?;
/// assert!(chart.unwrap().starts_with("flowchart LR\n"));
/// # Ok::<(), bonegraph::QueryError>(())
/// ```
pub fn query_mermaid(
    kg: &KnowledgeGraph,
    query: &str,
    options: PictureOptions,
) -> Result<Option<String>, crate::QueryError> {
    picture::Language::Mermaid.query(kg, query, options)
}

/// A drawing as a Mermaid flowchart.
fn write(d: &Drawing) -> String {
    let mut out = String::from("flowchart LR\n");
    // The title, as a comment (Mermaid's own title needs YAML front matter).
    let _ = writeln!(out, "  %% {}", escape(&d.title));
    let mut current: Option<KindId> = None;
    let indent = if d.clusters { "    " } else { "  " };
    for (i, n) in d.nodes.iter().enumerate() {
        if d.clusters && current != Some(n.kind) {
            if current.is_some() {
                let _ = writeln!(out, "  end");
            }
            current = Some(n.kind);
            let _ = writeln!(out, "  subgraph c{} [\"{}\"]", n.kind.0, escape(&n.cluster));
        }
        let label = lines(&n.label);
        if n.named {
            let _ = writeln!(out, "{indent}n{i}[[\"{label}\"]]");
        } else {
            let _ = writeln!(out, "{indent}n{i}[\"{label}\"]");
        }
    }
    if d.clusters && current.is_some() {
        let _ = writeln!(out, "  end");
    }
    // linkStyle lines, by style.
    let mut link_styles: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, e) in d.edges.iter().enumerate() {
        let arrow = match (e.folded, e.line) {
            (Some(_), _) => "==>",
            (None, Line::Stated) => "-->",
            (None, Line::Hedged | Line::Speculative) => "-.->",
        };
        let _ = writeln!(
            out,
            "  n{} {arrow}|\"{}\"| n{}",
            e.from,
            lines(&e.label),
            e.to
        );
        let mut style = Vec::new();
        if e.folded.is_some() {
            style.push(format!("stroke:{FOLDED_COLOUR},color:{FOLDED_COLOUR}"));
        } else if e.conflict {
            style.push(format!("stroke:{CONFLICT_COLOUR},color:{CONFLICT_COLOUR}"));
        } else if e.inherited {
            style.push(format!(
                "stroke:{INHERITED_COLOUR},color:{INHERITED_COLOUR}"
            ));
        }
        if e.folded.is_none() && e.line == Line::Speculative {
            style.push("stroke-dasharray:1 5".to_owned());
        }
        if !style.is_empty() {
            link_styles.entry(style.join(",")).or_default().push(i);
        }
    }
    for (style, edges) in &link_styles {
        let list: Vec<String> = edges.iter().map(usize::to_string).collect();
        let _ = writeln!(out, "  linkStyle {} {style}", list.join(","));
    }
    // Classes: one per kind, then the marks.
    let mut classes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, n) in d.nodes.iter().enumerate() {
        classes.entry(format!("k{}", n.kind.0)).or_default().push(i);
        if n.focus {
            classes.entry("row".to_owned()).or_default().push(i);
        }
        if n.inherited {
            classes.entry("via".to_owned()).or_default().push(i);
        }
        if n.folded.is_some() {
            classes.entry("folded".to_owned()).or_default().push(i);
        }
    }
    legend(d, &mut out);
    for (name, nodes) in &classes {
        let style = match name.as_str() {
            "row" => "stroke-width:3px".to_owned(),
            "via" => format!("stroke:{INHERITED_COLOUR},stroke-dasharray:5 3"),
            "folded" => format!("stroke:{FOLDED_COLOUR},stroke-dasharray:3 3,color:#444444"),
            kind => {
                let id: u16 = kind[1..].parse().unwrap_or(0);
                format!("fill:{},stroke:{EDGE_COLOUR}", kind_style(KindId(id)).1)
            }
        };
        let _ = writeln!(out, "  classDef {name} {style}");
        let list: Vec<String> = nodes.iter().map(|i| format!("n{i}")).collect();
        let _ = writeln!(out, "  class {} {name}", list.join(","));
    }
    out
}

/// The legend: a box with the kinds drawn (coloured) and a line for each style the picture
/// uses.
fn legend(d: &Drawing, out: &mut String) {
    let l = d.legend();
    let _ = writeln!(out, "  subgraph legend [\"legend\"]");
    let _ = writeln!(out, "    direction TB");
    for &k in &l.kinds {
        let word = d
            .nodes
            .iter()
            .find(|n| n.kind == k)
            .map_or("", |n| n.kind_word.as_str());
        let _ = writeln!(out, "    lk{}[\"{}\"]:::k{}", k.0, escape(word), k.0);
    }
    let mut text: Vec<String> = Vec::new();
    if l.stated {
        text.push("─── stated".to_owned());
    }
    if l.hedged {
        text.push("┄┄▷ hedged (may, thought to)".to_owned());
    }
    if l.speculative {
        text.push("· · ▷ hoped for, under study".to_owned());
    }
    if l.conflict {
        text.push("red: the source contradicts or muddles itself here".to_owned());
    }
    if l.inherited {
        text.push("purple is a: said of the class, applied to a member".to_owned());
    }
    if l.via {
        text.push("dashed purple border, via X: in the answer through class X".to_owned());
    }
    if l.focus {
        text.push("bold border: in the answer".to_owned());
    }
    if l.named {
        text.push("double side borders: named in the question".to_owned());
    }
    if l.folded {
        text.push("thick grey ⇒: links to the N more entities not drawn".to_owned());
    }
    if l.hidden_edges > 0 {
        text.push(format!(
            "{} more edge{} not drawn, to keep the picture readable",
            l.hidden_edges,
            if l.hidden_edges == 1 { "" } else { "s" }
        ));
    }
    if !text.is_empty() {
        let _ = writeln!(out, "    ls[\"{}\"]", lines(&text));
    }
    let _ = writeln!(out, "  end");
}

/// The schema as a Mermaid flowchart, in the three columns of [`super::dot::schema_dot`]:
/// the kinds relations go from, one card per relation type with its phrases, the kinds they
/// go to.
pub fn schema_mermaid(kg: &KnowledgeGraph) -> String {
    let s = SchemaDrawing::new(kg);
    let mut out = String::from("flowchart LR\n");
    let _ = writeln!(out, "  %% {}", escape(&s.title));
    let end_label = |end: End| -> String {
        match end {
            End::Kind(k) => {
                let (_, plural, count) = &s.kinds[usize::from(k.0)];
                format!(
                    "{}<br>{count} {}",
                    escape(plural),
                    if *count == 1 { "entity" } else { "entities" }
                )
            }
            End::Any => "any kind".to_owned(),
        }
    };
    let end_id = |side: char, end: End| -> String {
        match end {
            End::Kind(k) => format!("{side}{}", k.0),
            End::Any => format!("{side}any"),
        }
    };
    let mut classes: BTreeMap<u16, Vec<String>> = BTreeMap::new();
    for (side, subjects) in [('f', true), ('t', false)] {
        let mut ends: Vec<End> = s.used(subjects).into_iter().collect();
        if subjects {
            for (k, _, _) in &s.kinds {
                if !s.used(true).contains(&End::Kind(*k)) && !s.used(false).contains(&End::Kind(*k))
                {
                    ends.push(End::Kind(*k));
                }
            }
        }
        for end in ends {
            let id = end_id(side, end);
            let _ = writeln!(out, "  {id}[\"{}\"]", end_label(end));
            if let End::Kind(k) = end {
                classes.entry(k.0).or_default().push(id);
            }
        }
    }
    let mut refined = Vec::new();
    let mut edge = 0;
    for (i, r) in s.relations.iter().enumerate() {
        let mut label = format!("<b>{}</b>", escape(&r.name));
        if let Some(p) = &r.parent {
            let _ = write!(label, " <i>(a kind of {})</i>", escape(p));
        }
        if !r.forward.is_empty() {
            let _ = write!(label, "<br>→ {}", escape(&r.forward.join(", ")));
        }
        if !r.inverse.is_empty() {
            let _ = write!(label, "<br>← {}", escape(&r.inverse.join(", ")));
        }
        let _ = writeln!(out, "  r{i}[\"{label}\"]");
        for &f in &r.from {
            let _ = writeln!(out, "  {} --- r{i}", end_id('f', f));
            if r.parent.is_some() {
                refined.push(edge);
            }
            edge += 1;
        }
        for &t in &r.to {
            let _ = writeln!(out, "  r{i} --> {}", end_id('t', t));
            if r.parent.is_some() {
                refined.push(edge);
            }
            edge += 1;
        }
    }
    // The legend says only what this schema shows, as the DOT one does.
    let mut notes = vec!["left: the kind a relation goes from; right: the kind it goes to"];
    if s.relations
        .iter()
        .any(|r| !r.forward.is_empty() || !r.inverse.is_empty())
    {
        notes.push("→ phrases ask from the left kind, ← phrases from the right kind");
    }
    if !refined.is_empty() {
        notes.push("dashed: a relation type that refines another");
    }
    let notes: Vec<String> = notes.into_iter().map(str::to_owned).collect();
    let _ = writeln!(
        out,
        "  subgraph legend [\"legend\"]\n    ls[\"{}\"]\n  end",
        lines(&notes)
    );
    if !refined.is_empty() {
        let list: Vec<String> = refined.iter().map(usize::to_string).collect();
        let _ = writeln!(out, "  linkStyle {} stroke-dasharray:5 3", list.join(","));
    }
    for (k, ids) in classes {
        let _ = writeln!(
            out,
            "  classDef k{k} fill:{},stroke:{EDGE_COLOUR}",
            kind_style(KindId(k)).1
        );
        let _ = writeln!(out, "  class {} k{k}", ids.join(","));
    }
    out
}
