//! Example questions made from the loaded graph's own words, for help texts and messages: the
//! engine knows no domain, so every `for example ...` it prints is built here, from the
//! schema and the data, and answers something on the graph it is shown for.

use crate::graph::{Direction, KindSet, KnowledgeGraph, RelId};
use crate::text::normalize;
use petgraph::graph::NodeIndex;
use std::collections::HashMap;

/// Questions and words to show as examples, all taken from one graph. Where a graph lacks
/// what an example needs (no relations, no entities), a placeholder in angle brackets stands
/// in (`<name>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Examples {
    /// A selection with answers: `therapies treating fracture` (a kind, a forward phrase, a
    /// name).
    pub selection: String,
    /// The kind word and phrase of [`selection`](Self::selection): `therapies treating`.
    pub kind_and_phrase: String,
    /// The name of a well-connected entity, quoted if it needs to be: `denosumab`.
    pub entity: String,
    /// Another name, for `(a or b)`.
    pub other: String,
    /// Two names joined by a chain of relations: `lung cancer`, `paralysis`.
    pub path: (String, String),
    /// Up to three phrases of different relation types: `treating`, `caused by`, `of`.
    pub phrases: Vec<String>,
    /// An attribute question with an answer: `rank of lung cancer` (the label of the attribute
    /// that entities of the most kinds have, and an entity that has one).
    pub attribute: String,
    /// A condition that some claim meets: `section is bisphosphonates` (the section cited by
    /// the most edges), or `certainty is possible` when no edge cites a section.
    pub condition: String,
}

impl Default for Examples {
    fn default() -> Self {
        Examples {
            selection: "<kind> <phrase> <name>".to_owned(),
            kind_and_phrase: "<kind> <phrase>".to_owned(),
            entity: "<name>".to_owned(),
            other: "<name>".to_owned(),
            path: ("<name>".to_owned(), "<name>".to_owned()),
            phrases: Vec::new(),
            attribute: "<attribute> of <name>".to_owned(),
            condition: "certainty is possible".to_owned(),
        }
    }
}

impl Examples {
    /// The examples for a graph. Deterministic: the same graph always gives the same ones.
    pub fn new(kg: &KnowledgeGraph) -> Self {
        let mut ex = Examples::default();
        let schema = kg.schema();
        // The selection: the relation type with the most edges that has a forward phrase,
        // and the entity most often at the far end of its edges.
        let mut per_rel: HashMap<RelId, usize> = HashMap::new();
        for e in kg.edges() {
            let rel = kg.edge(e).1.rel;
            if Some(rel) != schema.hierarchy && !schema.relation(rel).forward.is_empty() {
                *per_rel.entry(rel).or_default() += 1;
            }
        }
        let best_rel = per_rel
            .iter()
            .max_by_key(|(r, n)| (**n, std::cmp::Reverse(**r)))
            .map(|(r, _)| *r);
        if let Some(rel) = best_rel {
            let mut per_target: HashMap<NodeIndex, usize> = HashMap::new();
            for e in kg.edges() {
                let (_, edge, b) = kg.edge(e);
                if edge.rel == rel {
                    *per_target.entry(b).or_default() += 1;
                }
            }
            let target = per_target
                .iter()
                .max_by_key(|(n, c)| (**c, std::cmp::Reverse(n.index())))
                .map(|(n, _)| *n);
            let subject_kind = match schema.phrase_kinds(rel, Direction::Forward, true) {
                KindSet::Only(ks) => {
                    // The kind of most of the subjects, among those the phrase accepts.
                    let mut per_kind: HashMap<crate::graph::KindId, usize> = HashMap::new();
                    for e in kg.edges() {
                        let (a, edge, _) = kg.edge(e);
                        if edge.rel == rel && ks.contains(&kg.entity(a).kind) {
                            *per_kind.entry(kg.entity(a).kind).or_default() += 1;
                        }
                    }
                    per_kind
                        .into_iter()
                        .max_by_key(|(k, n)| (*n, std::cmp::Reverse(*k)))
                        .map(|(k, _)| schema.kind(k).plural.clone())
                }
                KindSet::Any => None,
            }
            .unwrap_or_else(|| "things".to_owned());
            let phrase = &schema.relation(rel).forward[0];
            ex.kind_and_phrase = format!("{subject_kind} {phrase}");
            if let Some(t) = target {
                ex.selection = format!("{} {}", ex.kind_and_phrase, name_of(kg, t));
            }
        }
        // Phrases of different relation types, the busiest first.
        let mut rels: Vec<(usize, RelId)> = per_rel.iter().map(|(r, n)| (*n, *r)).collect();
        rels.sort_by_key(|(n, r)| (std::cmp::Reverse(*n), *r));
        ex.phrases = rels
            .iter()
            .take(3)
            .map(|(_, r)| schema.relation(*r).forward[0].clone())
            .collect();
        // The two best-connected entities.
        let mut degree: Vec<(usize, NodeIndex)> = kg
            .nodes()
            .map(|n| {
                let d = kg.all_neighbors(n, Direction::Forward).len()
                    + kg.all_neighbors(n, Direction::Inverse).len();
                (d, n)
            })
            .collect();
        degree.sort_by_key(|(d, n)| (std::cmp::Reverse(*d), n.index()));
        if let Some(&(_, n)) = degree.first() {
            ex.entity = name_of(kg, n);
        }
        if let Some(&(_, n)) = degree.get(1) {
            ex.other = name_of(kg, n);
        }
        // An attribute question: the attribute that entities of the most kinds have (then the
        // one with the most values), asked of the first entity (in file order) that has one.
        let mut per_key: HashMap<u16, (Vec<crate::graph::KindId>, usize, NodeIndex)> =
            HashMap::new();
        for n in kg.nodes() {
            for a in &kg.entity(n).attributes {
                let entry = per_key.entry(a.key).or_insert((Vec::new(), 0, n));
                if !entry.0.contains(&kg.entity(n).kind) {
                    entry.0.push(kg.entity(n).kind);
                }
                entry.1 += 1;
            }
        }
        if let Some((key, (_, _, n))) = per_key
            .iter()
            .max_by_key(|(k, (kinds, count, _))| (kinds.len(), *count, std::cmp::Reverse(**k)))
        {
            let label = &schema.attributes[usize::from(*key)].label;
            if !normalize(label).is_empty() {
                ex.attribute = format!("{} of {}", normalize(label), name_of(kg, *n));
            }
        }
        // A condition: the section most edges cite.
        let mut per_section: HashMap<crate::graph::Provenance, usize> = HashMap::new();
        for e in kg.edges() {
            if let Some(p) = kg
                .edge(e)
                .1
                .claim
                .provenance
                .filter(|p| p.section.is_some())
            {
                *per_section.entry(p).or_default() += 1;
            }
        }
        let mut sections: Vec<(usize, u16, u16)> = per_section
            .into_iter()
            .map(|(p, n)| (n, p.source.0, p.section.unwrap_or(0)))
            .collect();
        sections.sort_by_key(|&(n, src, sec)| (std::cmp::Reverse(n), src, sec));
        if let Some(&(_, src, sec)) = sections.first() {
            let source = &kg.sources()[usize::from(src)];
            if let Some((id, _)) = source.sections.get(usize::from(sec)) {
                let words = normalize(id);
                let stops = words
                    .split(' ')
                    .any(|w| ["and", "or", "except", "where"].contains(&w));
                if stops {
                    let quoted = words.replace('\\', "\\\\").replace('"', "\\\"");
                    ex.condition = format!("section is \"{quoted}\"");
                } else if !words.is_empty() {
                    ex.condition = format!("section is {words}");
                }
            }
        }
        // A path: from the best-connected entity with outgoing edges, the entity farthest
        // along them within three steps.
        if let Some(&(_, start)) = degree
            .iter()
            .find(|(_, n)| !kg.all_neighbors(*n, Direction::Forward).is_empty())
        {
            let mut layer = vec![start];
            let mut seen = vec![start];
            let mut far = None;
            for _ in 0..3 {
                let mut next = Vec::new();
                for v in &layer {
                    for nb in kg.all_neighbors(*v, Direction::Forward) {
                        if Some(nb.rel) != schema.hierarchy && !seen.contains(&nb.node) {
                            seen.push(nb.node);
                            next.push(nb.node);
                        }
                    }
                    if seen.len() > 10_000 {
                        break;
                    }
                }
                if next.is_empty() {
                    break;
                }
                next.sort_by_key(|n| n.index());
                far = next.first().copied();
                layer = next;
            }
            if let Some(end) = far {
                ex.path = (name_of(kg, start), name_of(kg, end));
            }
        }
        ex
    }
}

/// An entity's name as a query may spell it: as is, or quoted when its words would not read
/// back as the name (punctuation, quotes, control characters).
fn name_of(kg: &KnowledgeGraph, node: NodeIndex) -> String {
    let name = &kg.entity(node).name;
    let plain = name
        .chars()
        .all(|c| crate::text::is_word_char(c) || c == ' ' || c == '-' || c == '\'')
        && !normalize(name).is_empty();
    if plain {
        name.clone()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}
