//! The validated, read-only knowledge graph: a petgraph `DiGraph` plus the indices queries need.
//!
//! Everything here is built once by [`crate::load`] and never changes afterwards, so a
//! `KnowledgeGraph` can be shared between threads freely. This module knows nothing about RON
//! or about query text.

mod conflicts;
mod file;
pub(crate) mod index;
pub mod snapshot;

pub use conflicts::{ConflictClaim, conflict_claims};

use crate::model::{Basis, Certainty, ConflictKind};
use crate::text::normalize;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Index of an entity kind in [`Schema::kinds`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct KindId(pub u16);

/// Index of a relation type in [`Schema::relations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RelId(pub u16);

/// Index of a source in [`KnowledgeGraph::sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SourceId(pub u16);

/// Index of a conflict in [`KnowledgeGraph::conflicts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ConflictId(pub u16);

/// An entity kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kind {
    /// Identifier (`therapy`).
    pub id: String,
    /// Singular word (`therapy`).
    pub singular: String,
    /// Plural word (`therapies`).
    pub plural: String,
    /// Other words for the kind.
    pub synonyms: Vec<String>,
    /// What the kind covers.
    pub description: Option<String>,
}

/// Which kinds a relation type accepts at one end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KindSet {
    /// Any kind (`"*"` in the file).
    Any,
    /// Only these kinds.
    Only(Vec<KindId>),
}

impl KindSet {
    /// Whether `kind` is accepted.
    pub fn contains(&self, kind: KindId) -> bool {
        match self {
            KindSet::Any => true,
            KindSet::Only(kinds) => kinds.contains(&kind),
        }
    }
}

/// A relation type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationType {
    /// Identifier (`prevents`).
    pub id: String,
    /// Kinds accepted at the source end.
    pub from: KindSet,
    /// Kinds accepted at the target end.
    pub to: KindSet,
    /// Subject-first phrases (`preventing`).
    pub forward: Vec<String>,
    /// Object-first phrases (`prevented by`).
    pub inverse: Vec<String>,
    /// The broader relation type this one refines.
    pub parent: Option<RelId>,
    /// Whether this is the subsumption (`is_a`) relation.
    pub hierarchy: bool,
    /// Whether a source should have at most one target.
    pub single_valued: bool,
    /// What the relation means.
    pub description: Option<String>,
    /// Whether overstating a claim of this type would harm a reader (see
    /// [`crate::model::RelationTypeDef::critical`]).
    pub critical: bool,
}

/// An attribute key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeKey {
    /// Identifier (`interval`).
    pub id: String,
    /// Human label (`dosing interval`).
    pub label: String,
    /// Whether an entity should have at most one value.
    pub single_valued: bool,
    /// What the attribute records.
    pub description: Option<String>,
}

/// The vocabulary of a graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Entity kinds, in file order.
    pub kinds: Vec<Kind>,
    /// Relation types, in file order.
    pub relations: Vec<RelationType>,
    /// Attribute keys, in file order.
    pub attributes: Vec<AttributeKey>,
    /// The subsumption relation, if the schema has one.
    pub hierarchy: Option<RelId>,
    /// The relation types in pre-order of the forest their parents make (children after
    /// their parent, in file order): every type's refinements are one slice of it.
    /// Derived from the parents, so a snapshot rebuilds it rather than trusting a copy.
    #[serde(skip)]
    pub(crate) preorder: Vec<RelId>,
    /// For each relation type, where its subtree starts and ends in `preorder`.
    #[serde(skip)]
    pub(crate) subtree: Vec<(u32, u32)>,
    /// Kinds, relation types and attribute keys by id (the first of each id); rebuilt when a
    /// snapshot is loaded.
    #[serde(skip)]
    pub(crate) index: SchemaIndex,
}

/// Look-ups by id, so that loading a file costs one hash look-up per reference however large
/// the schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SchemaIndex {
    kinds: HashMap<String, KindId>,
    relations: HashMap<String, RelId>,
    attributes: HashMap<String, u16>,
}

impl Schema {
    /// The kind with this index.
    pub fn kind(&self, id: KindId) -> &Kind {
        &self.kinds[usize::from(id.0)]
    }

    /// The relation type with this index.
    pub fn relation(&self, id: RelId) -> &RelationType {
        &self.relations[usize::from(id.0)]
    }

    /// The kind with this identifier.
    pub fn kind_by_id(&self, id: &str) -> Option<KindId> {
        self.index.kinds.get(id).copied()
    }

    /// The relation type with this identifier.
    pub fn relation_by_id(&self, id: &str) -> Option<RelId> {
        self.index.relations.get(id).copied()
    }

    /// The index in [`Schema::attributes`] of the attribute key with this identifier.
    pub fn attribute_by_id(&self, id: &str) -> Option<u16> {
        self.index.attributes.get(id).copied()
    }

    /// Builds the look-ups by id; the first of two equal ids wins (the loader reports the
    /// second as a duplicate).
    pub(crate) fn index_ids(&mut self) {
        let mut index = SchemaIndex::default();
        for (i, k) in self.kinds.iter().enumerate() {
            index.kinds.entry(k.id.clone()).or_insert(KindId(i as u16));
        }
        for (i, r) in self.relations.iter().enumerate() {
            index
                .relations
                .entry(r.id.clone())
                .or_insert(RelId(i as u16));
        }
        for (i, a) in self.attributes.iter().enumerate() {
            index.attributes.entry(a.id.clone()).or_insert(i as u16);
        }
        self.index = index;
    }

    /// The kinds a phrase of `rel` read in `direction` accepts on its subject side
    /// (`subject`: the kind word before the phrase) or its object side (the target after it),
    /// counting every relation type that refines `rel`.
    pub fn phrase_kinds(&self, rel: RelId, direction: Direction, subject: bool) -> KindSet {
        let mut kinds = Vec::new();
        for &refined in self.refinements(rel) {
            let r = self.relation(refined);
            let side = match (direction, subject) {
                (Direction::Forward, true) | (Direction::Inverse, false) => &r.from,
                _ => &r.to,
            };
            match side {
                KindSet::Any => return KindSet::Any,
                KindSet::Only(ks) => kinds.extend(ks.iter().copied()),
            }
        }
        kinds.sort();
        kinds.dedup();
        KindSet::Only(kinds)
    }

    /// `rel` and every relation type that refines it (what a phrase of `rel` includes),
    /// `rel` first.
    pub fn refinements(&self, rel: RelId) -> &[RelId] {
        let (start, end) = self.subtree[usize::from(rel.0)];
        &self.preorder[start as usize..end as usize]
    }

    /// Whether `rel` is `ancestor` or refines it, directly or through parents.
    pub fn relation_is_within(&self, rel: RelId, ancestor: RelId) -> bool {
        let (start, end) = self.subtree[usize::from(ancestor.0)];
        (start..end).contains(&self.subtree[usize::from(rel.0)].0)
    }

    /// Lays the relation types out in pre-order of the forest their parents make, so that
    /// every type's refinements are one slice. Linear in the number of types. A type whose
    /// parents loop (an error the loader reports) is laid out as a root.
    pub(crate) fn index_parents(&mut self) {
        let n = self.relations.len();
        // Which types reach a root by following parents: colour walk, linear overall.
        let mut state = vec![0u8; n]; // 0 unknown, 1 on the current walk, 2 reaches a root, 3 loops
        for start in 0..n {
            let mut walk = Vec::new();
            let mut at = Some(start);
            let verdict = loop {
                match at {
                    None => break 2,
                    Some(i) if state[i] >= 2 => break state[i],
                    Some(i) if state[i] == 1 => break 3,
                    Some(i) => {
                        state[i] = 1;
                        walk.push(i);
                        at = self.relations[i].parent.map(|p| usize::from(p.0));
                    }
                }
            };
            for i in walk {
                state[i] = verdict;
            }
        }
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (i, r) in self.relations.iter().enumerate() {
            match r.parent {
                Some(p) if state[i] == 2 => children[usize::from(p.0)].push(i),
                _ => roots.push(i),
            }
        }
        self.preorder = Vec::with_capacity(n);
        self.subtree = vec![(0, 0); n];
        for root in roots {
            // Iterative depth-first walk: (type, next child to visit).
            let mut stack = vec![(root, 0usize)];
            self.subtree[root].0 = self.preorder.len() as u32;
            self.preorder.push(RelId(root as u16));
            while let Some((node, next)) = stack.last_mut() {
                if let Some(&child) = children[*node].get(*next) {
                    *next += 1;
                    self.subtree[child].0 = self.preorder.len() as u32;
                    self.preorder.push(RelId(child as u16));
                    stack.push((child, 0));
                } else {
                    self.subtree[*node].1 = self.preorder.len() as u32;
                    stack.pop();
                }
            }
        }
    }
}

/// A source document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// Identifier (`article`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Where it lives.
    pub location: Option<String>,
    /// Sections as (id, title).
    pub sections: Vec<(String, String)>,
    /// Remarks on the document.
    pub note: Option<String>,
}

/// A place where a source contradicts itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// Identifier.
    pub id: String,
    /// Contradiction, slip, undefined term, ...
    pub kind: ConflictKind,
    /// What the disagreement is about.
    pub note: String,
}

/// Where a claim comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Provenance {
    /// The source document.
    pub source: SourceId,
    /// Index of the section within [`Source::sections`].
    pub section: Option<u16>,
}

/// How a claim is hedged, counted and timed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Qualifiers {
    /// How firmly it is stated; `None` means plainly.
    pub certainty: Option<Certainty>,
    /// The source's hedge wording.
    pub hedge: Option<String>,
    /// How often; passes to the members of a class.
    pub frequency: Option<String>,
    /// The place among alternatives; stays with the class the source ranks.
    pub rank: Option<String>,
    /// How much.
    pub quantity: Option<String>,
    /// When or how long.
    pub timing: Option<String>,
    /// Under what circumstances.
    pub context: Option<String>,
    /// A paraphrased remark.
    pub note: Option<String>,
}

impl Qualifiers {
    /// Whether no qualifier is set.
    pub fn is_empty(&self) -> bool {
        *self == Qualifiers::default()
    }

    /// Whether the claim is hedged (anything weaker than a plain statement).
    pub fn is_hedged(&self) -> bool {
        matches!(self.certainty, Some(c) if c != Certainty::Established)
    }
}

/// A claim's provenance, qualifiers and conflict mark: what edges and attributes share.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    /// Where it comes from.
    pub provenance: Option<Provenance>,
    /// Hedges, counts and timings; boxed, and absent when there are none, to keep edges small.
    pub(crate) qualifiers: Option<Box<Qualifiers>>,
    /// The conflict it takes part in.
    pub conflict: Option<ConflictId>,
    /// How it stands to its source, if the graph says.
    pub basis: Option<Basis>,
    /// Its position in its list in the graph file: `relations[i]` for an edge, the entity's
    /// `attributes[i]` for an attribute value.
    pub file_index: u32,
}

/// The qualifiers of a claim without any.
static NO_QUALIFIERS: Qualifiers = Qualifiers {
    certainty: None,
    hedge: None,
    frequency: None,
    rank: None,
    quantity: None,
    timing: None,
    context: None,
    note: None,
};

impl Claim {
    /// Hedges, counts and timings (all empty if the source gives none).
    pub fn qualifiers(&self) -> &Qualifiers {
        self.qualifiers.as_deref().unwrap_or(&NO_QUALIFIERS)
    }

    /// A claim with these parts; empty qualifiers take no space.
    pub(crate) fn new(
        provenance: Option<Provenance>,
        qualifiers: Qualifiers,
        conflict: Option<ConflictId>,
        basis: Option<Basis>,
        file_index: u32,
    ) -> Self {
        Claim {
            provenance,
            qualifiers: (!qualifiers.is_empty()).then(|| Box::new(qualifiers)),
            conflict,
            basis,
            file_index,
        }
    }
}

/// An attribute value on an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribute {
    /// Index into [`Schema::attributes`].
    pub key: u16,
    /// The value.
    pub value: String,
    /// Provenance, qualifiers, conflict.
    pub claim: Claim,
}

/// A node of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable identifier.
    pub id: String,
    /// Kind.
    pub kind: KindId,
    /// Display name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Paraphrased description.
    pub summary: Option<String>,
    /// Where the summary comes from.
    pub provenance: Option<Provenance>,
    /// Value facts.
    pub attributes: Vec<Attribute>,
    /// Whether overstating a claim that reaches it (or its members) would harm a reader.
    pub critical: bool,
}

/// An edge of the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// Relation type.
    pub rel: RelId,
    /// Provenance, qualifiers, conflict.
    pub claim: Claim,
}

/// An edge the graph's authors inferred and the source does not state (`basis: Inferred`).
///
/// Inferred edges are kept apart from the graph: no answer, path, picture or export uses them.
/// Cards list them under their own heading so that a reader can see what was concluded and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InferredEdge {
    /// Source entity.
    pub from: NodeIndex,
    /// Relation type.
    pub rel: RelId,
    /// Target entity.
    pub to: NodeIndex,
    /// Provenance (what the inference is drawn from), qualifiers, conflict.
    pub claim: Claim,
}

/// One entry of the typed adjacency: a neighbour reached through one relation type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Neighbor {
    /// Relation type of the edge.
    pub rel: RelId,
    /// The entity at the other end.
    pub node: NodeIndex,
    /// The edge itself.
    pub edge: EdgeIndex,
}

/// Compressed adjacency for one direction: per node, its neighbours sorted by relation type,
/// so a one-hop step over one relation type is a binary search and a slice.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Adjacency {
    offsets: Vec<u32>,
    entries: Vec<Neighbor>,
}

impl Adjacency {
    pub(crate) fn build(node_count: usize, mut items: Vec<(NodeIndex, Neighbor)>) -> Self {
        items.sort_by_key(|(n, nb)| (n.index(), nb.rel, nb.node.index(), nb.edge.index()));
        let mut offsets = vec![0u32; node_count + 1];
        for (n, _) in &items {
            offsets[n.index() + 1] += 1;
        }
        for i in 0..node_count {
            offsets[i + 1] += offsets[i];
        }
        Adjacency {
            offsets,
            entries: items.into_iter().map(|(_, nb)| nb).collect(),
        }
    }

    pub(crate) fn all(&self, node: NodeIndex) -> &[Neighbor] {
        let i = node.index();
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &self.entries[a as usize..b as usize],
            _ => &[],
        }
    }

    pub(crate) fn by_rel(&self, node: NodeIndex, rel: RelId) -> &[Neighbor] {
        let all = self.all(node);
        let lo = all.partition_point(|nb| nb.rel < rel);
        let hi = lo + all[lo..].partition_point(|nb| nb.rel == rel);
        &all[lo..hi]
    }
}

/// Which way an edge is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// From source to target (`therapies preventing X`: therapy -> X).
    Forward,
    /// From target to source (`complications prevented by X`: X <- complication).
    Inverse,
}

/// A validated, read-only knowledge graph.
///
/// Build one with [`KnowledgeGraph::embedded`], [`KnowledgeGraph::from_str`] or
/// [`KnowledgeGraph::from_path`]. It is `Send + Sync` and never changes after loading.
#[derive(Debug, Clone)]
pub struct KnowledgeGraph {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) schema: Schema,
    pub(crate) sources: Vec<Source>,
    pub(crate) conflicts: Vec<Conflict>,
    pub(crate) graph: DiGraph<Entity, Edge, u32>,
    pub(crate) by_id: index::IdIndex,
    pub(crate) by_kind: Vec<Vec<NodeIndex>>,
    pub(crate) out_adj: Adjacency,
    pub(crate) in_adj: Adjacency,
    pub(crate) inferred: Vec<InferredEdge>,
    pub(crate) warnings: Vec<crate::Diagnostic>,
    pub(crate) vocab: std::sync::OnceLock<crate::query::vocab::Vocabulary>,
    /// The question layer's table, built on first plain question.
    pub(crate) lexicon: std::sync::OnceLock<crate::question::Lexicon>,
    pub(crate) name_order: std::sync::OnceLock<Vec<u32>>,
    /// What the evaluator asks of every entity it passes, kept flat: built on first query.
    pub(crate) hot: std::sync::OnceLock<Hot>,
}

/// The per-entity facts the evaluator reads for every row and every edge it looks at, in flat
/// arrays indexed by entity: its kind, and whether it has hierarchy edges each way. Reading
/// them from the entities and the adjacency costs two or three cache misses per look; here it
/// is one, in arrays a few bits or bytes per entity (at a million entities, 2.2 MB).
#[derive(Debug, Clone, Default)]
pub(crate) struct Hot {
    kinds: Vec<KindId>,
    /// Bit `2n` is set if entity `n` has hierarchy edges going out (it is a member of
    /// something), bit `2n + 1` if it has some coming in (it has members).
    hierarchy: Vec<u64>,
}

impl Hot {
    fn new(kg: &KnowledgeGraph) -> Hot {
        let n = kg.graph.node_count();
        let mut hot = Hot {
            kinds: kg.graph.node_weights().map(|e| e.kind).collect(),
            hierarchy: vec![0; (2 * n).div_ceil(64)],
        };
        if let Some(is_a) = kg.schema.hierarchy {
            for node in kg.graph.node_indices() {
                for (bit, adjacency) in [(0, &kg.out_adj), (1, &kg.in_adj)] {
                    if !adjacency.by_rel(node, is_a).is_empty() {
                        let i = 2 * node.index() + bit;
                        hot.hierarchy[i / 64] |= 1 << (i % 64);
                    }
                }
            }
        }
        hot
    }
}

impl KnowledgeGraph {
    /// The graph's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the graph is about.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The schema: kinds, relation types, attribute keys.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The source documents.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// The marked conflicts.
    pub fn conflicts(&self) -> &[Conflict] {
        &self.conflicts
    }

    /// The conflict with this index.
    pub fn conflict(&self, id: ConflictId) -> &Conflict {
        &self.conflicts[usize::from(id.0)]
    }

    /// The edges marked `basis: Inferred`, in file order: kept out of every answer.
    pub fn inferred(&self) -> &[InferredEdge] {
        &self.inferred
    }

    /// Warnings found while loading (lints); errors prevent loading altogether. A graph
    /// loaded from text ([`KnowledgeGraph::from_str`], [`KnowledgeGraph::from_path`]) has
    /// them without their places in the file; [`crate::load::check_str`] gives them placed.
    pub fn warnings(&self) -> &[crate::Diagnostic] {
        &self.warnings
    }

    /// The underlying petgraph graph, for algorithms this crate does not offer.
    pub fn petgraph(&self) -> &DiGraph<Entity, Edge, u32> {
        &self.graph
    }

    /// Number of entities.
    pub fn entity_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Each entity's position when all are sorted by name (case-insensitively, then by id):
    /// answers are sorted with it. Built on first use.
    pub fn name_order(&self) -> &[u32] {
        self.name_order.get_or_init(|| {
            let mut nodes: Vec<(String, &str, usize)> = self
                .graph
                .node_indices()
                .map(|n| {
                    (
                        self.graph[n].name.to_lowercase(),
                        self.graph[n].id.as_str(),
                        n.index(),
                    )
                })
                .collect();
            nodes.sort_unstable();
            let mut rank = vec![0u32; nodes.len()];
            for (i, (_, _, n)) in nodes.into_iter().enumerate() {
                rank[n] = i as u32;
            }
            rank
        })
    }

    /// The entity at `node`.
    pub fn entity(&self, node: NodeIndex) -> &Entity {
        &self.graph[node]
    }

    fn hot(&self) -> &Hot {
        self.hot.get_or_init(|| Hot::new(self))
    }

    /// The kind of `node`, from a flat array (what [`KnowledgeGraph::entity`]`.kind` says).
    pub(crate) fn kind_of(&self, node: NodeIndex) -> KindId {
        self.hot().kinds[node.index()]
    }

    /// Whether `node` has edges of the hierarchy relation type in `direction` (`Forward`: it
    /// is a member of something; `Inverse`: it has members), from a bit array.
    pub(crate) fn has_hierarchy(&self, node: NodeIndex, direction: Direction) -> bool {
        let i = 2 * node.index() + usize::from(direction == Direction::Inverse);
        self.hot()
            .hierarchy
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// The edge at `edge`, with its endpoints.
    pub fn edge(&self, edge: EdgeIndex) -> (NodeIndex, &Edge, NodeIndex) {
        let (a, b) = self
            .graph
            .edge_endpoints(edge)
            .expect("edge indices handed out by this graph are valid");
        (a, &self.graph[edge], b)
    }

    /// All entity nodes, in file order.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices()
    }

    /// All edges, in file order.
    pub fn edges(&self) -> impl Iterator<Item = EdgeIndex> + '_ {
        self.graph.edge_indices()
    }

    /// The entity with this id.
    pub fn node_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(&self.graph, id)
    }

    /// The entity with this name or alias, compared after [`normalize`](crate::normalize).
    pub fn node_by_name(&self, name: &str) -> Option<NodeIndex> {
        self.vocabulary().entity_named(&normalize(name))
    }

    /// Every normalised name and alias with its entity, in no particular order.
    pub fn names(&self) -> impl Iterator<Item = (&str, NodeIndex)> + '_ {
        self.vocabulary().named_entities()
    }

    /// The entities whose kind is `kind`, in file order.
    pub fn nodes_of_kind(&self, kind: KindId) -> &[NodeIndex] {
        self.by_kind
            .get(usize::from(kind.0))
            .map_or(&[], Vec::as_slice)
    }

    /// Neighbours of `node` through edges of exactly relation type `rel`, in `direction`.
    pub fn neighbors(&self, node: NodeIndex, rel: RelId, direction: Direction) -> &[Neighbor] {
        match direction {
            Direction::Forward => self.out_adj.by_rel(node, rel),
            Direction::Inverse => self.in_adj.by_rel(node, rel),
        }
    }

    /// Every neighbour of `node` in `direction`, grouped by relation type.
    pub fn all_neighbors(&self, node: NodeIndex, direction: Direction) -> &[Neighbor] {
        match direction {
            Direction::Forward => self.out_adj.all(node),
            Direction::Inverse => self.in_adj.all(node),
        }
    }

    /// Values of attribute `key` (its id) on `node`, in file order.
    pub fn attribute_values<'a>(
        &'a self,
        node: NodeIndex,
        key: &str,
    ) -> impl Iterator<Item = &'a Attribute> + use<'a> {
        let key_ix = self.schema.attribute_by_id(key);
        self.graph[node]
            .attributes
            .iter()
            .filter(move |a| Some(a.key) == key_ix)
    }

    /// The source, section title and source title of a provenance.
    pub fn describe_provenance(&self, p: &Provenance) -> (&Source, Option<&str>) {
        let source = &self.sources[usize::from(p.source.0)];
        let section = p
            .section
            .and_then(|s| source.sections.get(usize::from(s)))
            .map(|(id, _)| id.as_str());
        (source, section)
    }

    /// The entities that `node` is a direct or indirect member of through the hierarchy
    /// relation (`is_a`), nearest first, without `node` itself.
    pub fn ancestors(&self, node: NodeIndex) -> Vec<NodeIndex> {
        self.closure(node, Direction::Forward)
    }

    /// The entities that are direct or indirect members of `node` through the hierarchy
    /// relation, nearest first, without `node` itself.
    pub fn descendants(&self, node: NodeIndex) -> Vec<NodeIndex> {
        self.closure(node, Direction::Inverse)
    }

    fn closure(&self, node: NodeIndex, direction: Direction) -> Vec<NodeIndex> {
        let Some(is_a) = self.schema.hierarchy else {
            return Vec::new();
        };
        let mut seen = vec![node];
        let mut i = 0;
        while i < seen.len() {
            for nb in self.neighbors(seen[i], is_a, direction) {
                if !seen.contains(&nb.node) {
                    seen.push(nb.node);
                }
            }
            i += 1;
        }
        seen.remove(0);
        seen
    }
}
