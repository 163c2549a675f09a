//! What a picture shows, apart from how it is written: the evidence behind an answer (or the
//! whole graph), which of it fits in `--max-nodes`, what the rest folds into, and every edge's
//! words and style. The DOT and Mermaid writers ([`super::dot`], [`super::mermaid`]) both draw
//! a [`Drawing`], so they show the same nodes, edges and qualifiers.
//!
//! Nothing here knows a writer's syntax: labels are plain text (lines as a `Vec`), and each
//! writer escapes them by its own rules.

use crate::graph::{Direction, KindId, KindSet, KnowledgeGraph};
use crate::model::Certainty;
use crate::query::answer::{Answer, Body};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Shapes (Graphviz names) and fill colours given to kinds in schema order (repeating if
/// there are more).
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
pub const INHERITED_COLOUR: &str = "#6a51a3";
/// Colour of stated and hedged edges.
pub const EDGE_COLOUR: &str = "#555555";
/// Colour of folded (summary) edges and nodes' borders.
pub const FOLDED_COLOUR: &str = "#9e9e9e";

/// The widest line of an edge label, in characters: longer qualifiers wrap, never get cut.
const LABEL_WIDTH: usize = 32;

/// The Graphviz shape and the fill colour of a kind.
pub fn kind_style(kind: KindId) -> (&'static str, &'static str) {
    STYLES[usize::from(kind.0) % STYLES.len()]
}

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PictureOptions {
    /// Draw at most this many entities: what the question is about first, then what is
    /// nearest to it; the rest fold into one summary node per kind (drawn on top of the
    /// entities), and the edges drawn are capped (see [`edge_cap`]).
    pub max_nodes: Option<usize>,
    /// Group nodes into one box per kind.
    pub clusters: bool,
}

/// The most edges a drawing of at most `max_nodes` nodes shows: one and a half per node (and
/// at least 8). Beyond that a picture stops being readable; the legend counts what is left out.
pub fn edge_cap(max_nodes: usize) -> usize {
    (max_nodes + max_nodes / 2).max(8)
}

/// The evidence a picture is drawn from, before anything is folded.
pub(crate) struct Evidence<'a> {
    kg: &'a KnowledgeGraph,
    title: String,
    nodes: BTreeSet<NodeIndex>,
    edges: BTreeSet<EdgeIndex>,
    /// Answer rows (drawn bold).
    focus: BTreeSet<NodeIndex>,
    /// Entities the query named (drawn with a double border).
    named: BTreeSet<NodeIndex>,
    /// Rows every witness of which is inherited, with the classes they come through.
    inherited: BTreeMap<NodeIndex, String>,
    /// `is_a` edges that carried inheritance.
    inheriting: BTreeSet<EdgeIndex>,
}

impl<'a> Evidence<'a> {
    fn new(kg: &'a KnowledgeGraph, title: &str) -> Self {
        Evidence {
            kg,
            title: title.to_owned(),
            nodes: BTreeSet::new(),
            edges: BTreeSet::new(),
            focus: BTreeSet::new(),
            named: BTreeSet::new(),
            inherited: BTreeMap::new(),
            inheriting: BTreeSet::new(),
        }
    }

    /// The whole graph.
    pub(crate) fn whole(kg: &'a KnowledgeGraph) -> Self {
        let mut p = Evidence::new(kg, kg.name());
        p.nodes = kg.nodes().collect();
        p.edges = kg.edges().collect();
        p
    }

    /// The evidence behind an answer: its rows, the entities the query named (`named`), and
    /// the edges that connect them (every witness, chain and inheritance step; every path
    /// step; for a card, every edge of the entity; for attribute values, the entities, the
    /// classes a value is inherited from and the `is_a` steps to them). `None` for a count.
    pub(crate) fn answer(
        kg: &'a KnowledgeGraph,
        answer: &Answer,
        title: &str,
        named: &[NodeIndex],
    ) -> Option<Self> {
        let mut p = Evidence::new(kg, title);
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
        Some(p)
    }
}

/// How an edge's line is drawn: as sure as its source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Line {
    /// Stated plainly: solid.
    Stated,
    /// Hedged (`may`, `thought to`): dashed.
    Hedged,
    /// Hoped for, under study: dotted.
    Speculative,
}

/// One node of a drawing.
#[derive(Debug, Clone)]
pub struct Node {
    /// A stable identifier: the entity's id, or `more:KIND` for a folded node.
    pub id: String,
    /// The kind, for shape and colour.
    pub kind: KindId,
    /// The kind's singular word, for the legend.
    pub kind_word: String,
    /// The kind's plural word, for a box of kinds.
    pub cluster: String,
    /// The label's lines.
    pub label: Vec<String>,
    /// An answer row (bold border).
    pub focus: bool,
    /// Named in the question (double border).
    pub named: bool,
    /// Found only through inheritance (the `via ...` line is in the label).
    pub inherited: bool,
    /// How many entities this summary node stands for, if it is one.
    pub folded: Option<usize>,
}

/// One edge of a drawing.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Index into [`Drawing::nodes`].
    pub from: usize,
    /// Index into [`Drawing::nodes`].
    pub to: usize,
    /// The label's lines: the relation and every qualifier of the claim, then the conflict.
    pub label: Vec<String>,
    /// Solid, dashed or dotted.
    pub line: Line,
    /// The conflict the claim takes part in (`contradiction: id`).
    pub conflict: bool,
    /// An `is_a` step that carried what is said of a class to a member.
    pub inherited: bool,
    /// A subsumption edge (hollow arrowhead).
    pub hierarchy: bool,
    /// A summary of edges to or from folded nodes: how many.
    pub folded: Option<usize>,
    /// Where the claim comes from (`[article, intro]`), for tooltips.
    pub source: Option<String>,
}

/// Everything one picture draws, in a fixed order: nodes by kind (a kind's summary node
/// last), then the edges between drawn entities, then the summary edges.
#[derive(Debug, Clone)]
pub struct Drawing {
    /// The title.
    pub title: String,
    /// The nodes.
    pub nodes: Vec<Node>,
    /// The edges.
    pub edges: Vec<Edge>,
    /// Group nodes into one box per kind.
    pub clusters: bool,
    /// Edges of the evidence left out to keep the picture readable (`--max-nodes`).
    pub hidden_edges: usize,
}

/// What the legend must explain: only what the drawing shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Legend {
    /// Kinds drawn, in schema order.
    pub kinds: Vec<KindId>,
    /// Some edge is solid (and neither a conflict nor an inheritance step).
    pub stated: bool,
    /// Some edge is dashed.
    pub hedged: bool,
    /// Some edge is dotted.
    pub speculative: bool,
    /// Some edge is part of a marked conflict.
    pub conflict: bool,
    /// Some `is_a` edge carries inheritance.
    pub inherited: bool,
    /// Some node is found only through inheritance.
    pub via: bool,
    /// Some node or edge is folded.
    pub folded: bool,
    /// Some node is an answer row.
    pub focus: bool,
    /// Some node was named in the question.
    pub named: bool,
    /// Edges left out.
    pub hidden_edges: usize,
}

impl Drawing {
    /// What the legend explains.
    pub fn legend(&self) -> Legend {
        let mut l = Legend {
            kinds: self
                .nodes
                .iter()
                .map(|n| n.kind)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
            hidden_edges: self.hidden_edges,
            ..Legend::default()
        };
        for n in &self.nodes {
            l.focus |= n.focus;
            l.named |= n.named;
            l.via |= n.inherited;
            l.folded |= n.folded.is_some();
        }
        for e in &self.edges {
            if e.folded.is_some() {
                l.folded = true;
                continue;
            }
            l.conflict |= e.conflict;
            l.inherited |= e.inherited && !e.conflict;
            match e.line {
                Line::Stated => l.stated |= !e.conflict && !e.inherited,
                Line::Hedged => l.hedged = true,
                Line::Speculative => l.speculative = true,
            }
        }
        l
    }
}

/// `text` cut into lines of at most [`LABEL_WIDTH`] characters at spaces (a longer word
/// stays whole): nothing is dropped.
fn wrap(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > LABEL_WIDTH {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

/// The nodes to draw, best first, when there are more than `max`: the answer rows and the
/// entities the question named, then the rest by how near they are to those (hops along the
/// evidence), then by how connected they are. With no question (the whole graph) that is
/// the most connected first. Room is left for the summary nodes of what is folded.
fn keep_nodes(p: &Evidence<'_>, max: usize) -> Vec<NodeIndex> {
    let mut adjacent: BTreeMap<NodeIndex, Vec<NodeIndex>> = BTreeMap::new();
    for &e in &p.edges {
        let (a, _, b) = p.kg.edge(e);
        adjacent.entry(a).or_default().push(b);
        adjacent.entry(b).or_default().push(a);
    }
    let degree = |n: NodeIndex| adjacent.get(&n).map_or(0, Vec::len);
    // Hops from what the question is about.
    let mut distance: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let mut queue = VecDeque::new();
    for &n in p.focus.iter().chain(&p.named) {
        if distance.insert(n, 0).is_none() {
            queue.push_back(n);
        }
    }
    while let Some(n) = queue.pop_front() {
        let d = distance[&n];
        for &m in adjacent.get(&n).map_or(&[][..], Vec::as_slice) {
            if let std::collections::btree_map::Entry::Vacant(v) = distance.entry(m) {
                v.insert(d + 1);
                queue.push_back(m);
            }
        }
    }
    let mut ranked: Vec<(usize, std::cmp::Reverse<usize>, NodeIndex)> = p
        .nodes
        .iter()
        .map(|&n| {
            (
                distance.get(&n).copied().unwrap_or(usize::MAX),
                std::cmp::Reverse(degree(n)),
                n,
            )
        })
        .collect();
    ranked.sort();
    ranked.truncate(max);
    ranked.into_iter().map(|(_, _, n)| n).collect()
}

/// The words and style of an edge between two drawn entities.
fn entity_edge(p: &Evidence<'_>, ei: EdgeIndex, from: usize, to: usize) -> Edge {
    let kg = p.kg;
    let (_, edge, _) = kg.edge(ei);
    let rel = kg.schema().relation(edge.rel);
    let mut label = vec![rel.id.replace('_', " ")];
    // Every qualifier the text shows, whole (wrapped, never cut): the picture must not read
    // stronger than the source.
    let mut parts: Vec<String> = crate::inheritance::qualifier_values(&edge.claim, false)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    if edge.claim.basis == Some(crate::model::Basis::Inferred) {
        parts.push("inferred, not stated by the source".to_owned());
    }
    if !parts.is_empty() {
        let joined = format!("({})", parts.join("; "));
        let first = format!("{} {joined}", label[0]);
        label = if first.chars().count() <= LABEL_WIDTH {
            vec![first]
        } else {
            let mut l = label;
            l.extend(wrap(&joined));
            l
        };
    }
    let line = match edge.claim.qualifiers().certainty {
        Some(Certainty::Speculative) => Line::Speculative,
        Some(c) if c != Certainty::Established => Line::Hedged,
        _ => Line::Stated,
    };
    let conflict = edge.claim.conflict.map(|c| {
        let conflict = kg.conflict(c);
        format!("{}: {}", conflict.kind.as_str(), conflict.id)
    });
    if let Some(c) = &conflict {
        label.push(c.clone());
    }
    Edge {
        from,
        to,
        label,
        line,
        conflict: conflict.is_some(),
        inherited: p.inheriting.contains(&ei),
        hierarchy: rel.hierarchy,
        folded: None,
        source: super::sentences::place(kg, edge.claim.provenance),
    }
}

/// What `p` looks like drawn with `options`: which nodes, which edges, what folds.
pub(crate) fn draw(p: &Evidence<'_>, options: PictureOptions) -> Drawing {
    let kg = p.kg;
    let schema = kg.schema();
    let ranked = match options.max_nodes {
        Some(max) => keep_nodes(p, max),
        None => p.nodes.iter().copied().collect(),
    };
    let rank: BTreeMap<NodeIndex, usize> =
        ranked.iter().enumerate().map(|(i, &n)| (n, i)).collect();
    let kept: BTreeSet<NodeIndex> = ranked.iter().copied().collect();
    // Dropped nodes, grouped by kind into summary nodes.
    let mut dropped: BTreeMap<KindId, usize> = BTreeMap::new();
    for &n in p.nodes.difference(&kept) {
        *dropped.entry(kg.entity(n).kind).or_default() += 1;
    }
    let mut by_kind: BTreeMap<KindId, Vec<NodeIndex>> = BTreeMap::new();
    for &n in &kept {
        by_kind.entry(kg.entity(n).kind).or_default().push(n);
    }
    let kinds: BTreeSet<KindId> = by_kind.keys().chain(dropped.keys()).copied().collect();
    let mut nodes = Vec::new();
    let mut index_of_entity: BTreeMap<NodeIndex, usize> = BTreeMap::new();
    let mut index_of_fold: BTreeMap<KindId, usize> = BTreeMap::new();
    for &kind in &kinds {
        for &n in by_kind.get(&kind).map_or(&[][..], Vec::as_slice) {
            let e = kg.entity(n);
            let mut label = vec![
                e.name.clone(),
                format!("({})", schema.kind(e.kind).singular),
            ];
            let via = p.inherited.get(&n);
            if let Some(via) = via {
                label.push(via.clone());
            }
            index_of_entity.insert(n, nodes.len());
            nodes.push(Node {
                id: e.id.clone(),
                kind,
                kind_word: schema.kind(kind).singular.clone(),
                cluster: schema.kind(kind).plural.clone(),
                label,
                focus: p.focus.contains(&n),
                named: p.named.contains(&n),
                inherited: via.is_some(),
                folded: None,
            });
        }
        if let Some(&count) = dropped.get(&kind) {
            let k = schema.kind(kind);
            index_of_fold.insert(kind, nodes.len());
            nodes.push(Node {
                id: format!("more:{}", k.id),
                kind,
                kind_word: k.singular.clone(),
                cluster: k.plural.clone(),
                label: vec![format!(
                    "{count} more {}",
                    if count == 1 { &k.singular } else { &k.plural }
                )],
                focus: false,
                named: false,
                inherited: false,
                folded: Some(count),
            });
        }
    }
    let index = |n: NodeIndex| -> usize {
        index_of_entity
            .get(&n)
            .copied()
            .unwrap_or_else(|| index_of_fold[&kg.entity(n).kind])
    };
    // Edges between drawn entities as they are; edges touching a summary node merged per
    // (from, to), counting each relation type.
    let mut direct: Vec<EdgeIndex> = Vec::new();
    // Per relation type: how many edges, how many of them hedged, how many in a conflict.
    let mut merged: BTreeMap<(usize, usize), BTreeMap<crate::graph::RelId, [usize; 3]>> =
        BTreeMap::new();
    for &ei in &p.edges {
        let (a, edge, b) = kg.edge(ei);
        if kept.contains(&a) && kept.contains(&b) {
            direct.push(ei);
        } else {
            let hedged = edge
                .claim
                .qualifiers()
                .certainty
                .is_some_and(|c| c != Certainty::Established);
            let slot = merged
                .entry((index(a), index(b)))
                .or_default()
                .entry(edge.rel)
                .or_default();
            slot[0] += 1;
            slot[1] += usize::from(hedged);
            slot[2] += usize::from(edge.claim.conflict.is_some());
        }
    }
    let folded: Vec<Edge> = merged
        .into_iter()
        .map(|((from, to), rels)| {
            let count = rels.values().map(|r| r[0]).sum();
            let hedged: usize = rels.values().map(|r| r[1]).sum();
            let conflicting: usize = rels.values().map(|r| r[2]).sum();
            let mut words: Vec<String> = rels
                .iter()
                .map(|(rel, [c, _, _])| {
                    let name = schema.relation(*rel).id.replace('_', " ");
                    if *c == 1 {
                        name
                    } else {
                        format!("{name} ×{c}")
                    }
                })
                .collect();
            // What the folded claims say of their certainty is summed up, not dropped.
            if hedged > 0 {
                words.push(format!("{hedged} hedged"));
            }
            if conflicting > 0 {
                words.push(format!("{conflicting} in a conflict"));
            }
            Edge {
                from,
                to,
                label: wrap(&words.join(", ")),
                line: Line::Stated,
                conflict: false,
                inherited: false,
                hierarchy: false,
                folded: Some(count),
                source: None,
            }
        })
        .collect();
    let mut hidden = 0;
    let mut edges: Vec<Edge>;
    match options.max_nodes {
        None => {
            edges = direct
                .iter()
                .map(|&ei| {
                    let (a, _, b) = kg.edge(ei);
                    entity_edge(p, ei, index(a), index(b))
                })
                .collect();
            edges.extend(folded);
        }
        Some(max) => {
            let cap = edge_cap(max);
            // Edges among folded nodes only say that folded things are linked.
            let (among, mut touching): (Vec<Edge>, Vec<Edge>) = folded
                .into_iter()
                .partition(|e| nodes[e.from].folded.is_some() && nodes[e.to].folded.is_some());
            hidden += among.iter().map(|e| e.folded.unwrap_or(0)).sum::<usize>();
            // First every drawn entity's link to its nearest drawn neighbour, and each summary
            // node's largest link; then the rest, nearest to the question first.
            let key = |ei: &EdgeIndex| {
                let (a, _, b) = kg.edge(*ei);
                let (ra, rb) = (rank[&a], rank[&b]);
                (ra.max(rb), ra.min(rb), *ei)
            };
            direct.sort_by_key(key);
            let mut chosen: BTreeSet<EdgeIndex> = BTreeSet::new();
            let mut linked: BTreeSet<NodeIndex> = BTreeSet::new();
            for &ei in &direct {
                let (a, _, b) = kg.edge(ei);
                if !linked.contains(&a) || !linked.contains(&b) {
                    chosen.insert(ei);
                    linked.insert(a);
                    linked.insert(b);
                }
            }
            touching.sort_by_key(|e| {
                let entity = if nodes[e.from].folded.is_some() {
                    e.to
                } else {
                    e.from
                };
                (std::cmp::Reverse(e.folded), entity, e.from, e.to)
            });
            let mut folded_chosen: Vec<bool> = vec![false; touching.len()];
            let mut fold_linked: BTreeSet<usize> = BTreeSet::new();
            for (i, e) in touching.iter().enumerate() {
                let fold = if nodes[e.from].folded.is_some() {
                    e.from
                } else {
                    e.to
                };
                if fold_linked.insert(fold) {
                    folded_chosen[i] = true;
                }
            }
            let mut room = cap.saturating_sub(chosen.len() + fold_linked.len());
            for &ei in &direct {
                if room == 0 {
                    break;
                }
                if chosen.insert(ei) {
                    room -= 1;
                }
            }
            for chosen in folded_chosen.iter_mut() {
                if room == 0 {
                    break;
                }
                if !*chosen {
                    *chosen = true;
                    room -= 1;
                }
            }
            hidden += direct.len() - chosen.len();
            edges = chosen
                .iter()
                .map(|&ei| {
                    let (a, _, b) = kg.edge(ei);
                    entity_edge(p, ei, index(a), index(b))
                })
                .collect();
            let mut kept_folded: Vec<Edge> = Vec::new();
            for (e, keep) in touching.into_iter().zip(folded_chosen) {
                if keep {
                    kept_folded.push(e);
                } else {
                    hidden += e.folded.unwrap_or(0);
                }
            }
            kept_folded.sort_by_key(|e| (e.from, e.to));
            edges.extend(kept_folded);
        }
    }
    Drawing {
        title: p.title.clone(),
        nodes,
        edges,
        clusters: options.clusters,
        hidden_edges: hidden,
    }
}

/// One end of a relation type in the schema picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum End {
    /// One kind.
    Kind(KindId),
    /// Any kind (`"*"`).
    Any,
}

/// A relation type as the schema picture shows it.
#[derive(Debug, Clone)]
pub struct RelationCard {
    /// Its id (`has_side_effect`).
    pub id: String,
    /// Its name in words (`has side effect`).
    pub name: String,
    /// The broader type it refines, in words.
    pub parent: Option<String>,
    /// Subject-first phrases.
    pub forward: Vec<String>,
    /// Object-first phrases.
    pub inverse: Vec<String>,
    /// The subsumption relation.
    pub hierarchy: bool,
    /// Kinds at the source end.
    pub from: Vec<End>,
    /// Kinds at the target end.
    pub to: Vec<End>,
}

/// The schema as a picture shows it: the kinds (with how many entities each has) and one
/// card per relation type, each joined to the kinds it goes from and to.
#[derive(Debug, Clone)]
pub struct SchemaDrawing {
    /// The title.
    pub title: String,
    /// Kinds in schema order: id, plural word, entity count.
    pub kinds: Vec<(KindId, String, usize)>,
    /// Relation types in schema order.
    pub relations: Vec<RelationCard>,
}

impl SchemaDrawing {
    /// The schema of `kg`.
    pub fn new(kg: &KnowledgeGraph) -> Self {
        let schema = kg.schema();
        let ends = |set: &KindSet| -> Vec<End> {
            match set {
                KindSet::Any => vec![End::Any],
                KindSet::Only(ks) => ks.iter().map(|&k| End::Kind(k)).collect(),
            }
        };
        SchemaDrawing {
            title: format!("schema of {}", kg.name()),
            kinds: schema
                .kinds
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    let id = KindId(i as u16);
                    (id, k.plural.clone(), kg.nodes_of_kind(id).len())
                })
                .collect(),
            relations: schema
                .relations
                .iter()
                .map(|r| RelationCard {
                    id: r.id.clone(),
                    name: r.id.replace('_', " "),
                    parent: r.parent.map(|p| schema.relation(p).id.replace('_', " ")),
                    forward: r.forward.clone(),
                    inverse: r.inverse.clone(),
                    hierarchy: r.hierarchy,
                    from: ends(&r.from),
                    to: ends(&r.to),
                })
                .collect(),
        }
    }

    /// The ends used as subjects (`from`) or objects (`to`) by some relation type, in order
    /// (kinds in schema order, then any kind).
    pub fn used(&self, subjects: bool) -> BTreeSet<End> {
        self.relations
            .iter()
            .flat_map(|r| if subjects { &r.from } else { &r.to })
            .copied()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_every_word() {
        let text = "when the metastases involve the spine and the ribs and more";
        let lines = wrap(text);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= LABEL_WIDTH));
        assert_eq!(lines.join(" "), text);
    }
}

/// The language a picture is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// Graphviz DOT ([`super::dot`]).
    #[default]
    Dot,
    /// A Mermaid flowchart ([`super::mermaid`]).
    Mermaid,
}

impl Language {
    /// The schema picture.
    pub fn schema(self, kg: &KnowledgeGraph) -> String {
        match self {
            Language::Dot => super::dot::schema_dot(kg),
            Language::Mermaid => super::mermaid::schema_mermaid(kg),
        }
    }

    /// The whole graph.
    pub fn graph(self, kg: &KnowledgeGraph, options: PictureOptions) -> String {
        match self {
            Language::Dot => super::dot::graph_dot(kg, options),
            Language::Mermaid => super::mermaid::graph_mermaid(kg, options),
        }
    }

    /// The evidence behind the answer to `query`; `Ok(None)` for a count, which has nothing
    /// to draw.
    ///
    /// ```
    /// use bonegraph::render::picture::Language;
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let chart = Language::Mermaid.query(kg, "side effects of Zometa", Default::default())?;
    /// assert!(chart.unwrap().starts_with("flowchart LR\n"));
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn query(
        self,
        kg: &KnowledgeGraph,
        query: &str,
        options: PictureOptions,
    ) -> Result<Option<String>, crate::QueryError> {
        let prepared = kg.prepare(query)?;
        let answer = kg.run(&prepared)?;
        let named = prepared.plan().named_entities();
        Ok(match self {
            Language::Dot => super::dot::answer_dot(kg, &answer, query, &named, options),
            Language::Mermaid => {
                super::mermaid::answer_mermaid(kg, &answer, query, &named, options)
            }
        })
    }
}
