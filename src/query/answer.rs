//! Answers as data: rows with their witnesses, counts, paths and entity cards, and why an
//! empty answer is empty. An [`Answer`] holds indices into the graph it came from. The
//! printers (table, plain, card, JSON, DOT) are in [`crate::render`]; the methods here that
//! print only forward to them.

use crate::graph::{ConflictClaim, ConflictId, Direction, KnowledgeGraph};
use crate::inheritance::inherited_claims;
use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::Value;

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

    /// The conflicts (contradictions, slips, undefined terms, ...) that any evidence of the
    /// answer takes part in, in file order: every printer warns about them.
    pub fn conflicts(&self, kg: &KnowledgeGraph) -> Vec<ConflictId> {
        self.touched(kg).conflicts(kg)
    }

    /// The claims this answer rests on.
    pub(crate) fn touched(&self, kg: &KnowledgeGraph) -> Touched {
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

    /// The answer as a table (see [`crate::render::table`]).
    pub fn to_table(&self, kg: &KnowledgeGraph) -> String {
        crate::render::table(kg, self)
    }

    /// The answer as plain text (see [`crate::render::plain`]).
    pub fn to_plain(&self, kg: &KnowledgeGraph) -> String {
        crate::render::plain(kg, self)
    }

    /// The answer as one JSON object (see [`crate::render::json`]).
    pub fn to_json(&self, kg: &KnowledgeGraph, query: &str) -> Value {
        crate::render::json(kg, self, query)
    }

    /// The full evidence of row `index` (see [`crate::render::explain`]).
    pub fn explain_row(&self, kg: &KnowledgeGraph, index: usize) -> Option<String> {
        crate::render::explain(kg, self, index)
    }

    /// The warnings and notes about the source that the table prints after the rows (see
    /// [`crate::render::conflict_text`]).
    pub fn conflict_text(&self, kg: &KnowledgeGraph) -> String {
        crate::render::conflict_text(kg, self)
    }
}

/// The claims an answer or a card rests on: edges of its evidence, and for a card the entity
/// whose attributes and inferred edges it shows.
#[derive(Debug, Default)]
pub(crate) struct Touched {
    pub(crate) edges: std::collections::HashSet<EdgeIndex>,
    pub(crate) node: Option<NodeIndex>,
}

impl Touched {
    /// What a card shows: the entity's own claims, and the class edges and `is_a` steps of what
    /// it inherits.
    pub(crate) fn card(kg: &KnowledgeGraph, node: NodeIndex) -> Touched {
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

    pub(crate) fn contains(&self, kg: &KnowledgeGraph, claim: ConflictClaim) -> bool {
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
    pub(crate) fn conflicts(&self, kg: &KnowledgeGraph) -> Vec<ConflictId> {
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
