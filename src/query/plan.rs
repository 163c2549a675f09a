//! The typed plan a query resolves to: names are entities, phrases are relation types with a
//! direction. Evaluation reads only this; it knows nothing of query text or spans. Each step
//! keeps a label (canonical query text) so that an empty answer can say which step was empty.

use super::ast::SetOp;
use crate::graph::{Direction, KindId, RelId};
use petgraph::graph::NodeIndex;

/// A set of entities to compute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// One entity, named directly.
    Entity(NodeIndex),
    /// The members of a kind (`None`: any kind), kept if they pass every filter.
    Select {
        /// The kind; `None` for `things`.
        kind: Option<KindId>,
        /// Filters, all of which must hold.
        filters: Vec<PlanFilter>,
        /// Canonical text of the selection.
        label: String,
    },
    /// A set operation.
    Binary {
        /// The operator.
        op: SetOp,
        /// Left operand.
        lhs: Box<Plan>,
        /// Right operand.
        rhs: Box<Plan>,
        /// Canonical text of the whole operation.
        label: String,
    },
}

/// Keep entities related through `rel` (or a relation type refining it) to the target set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFilter {
    /// The relation type the phrase names.
    pub rel: RelId,
    /// `Forward`: the entity is the edge's source; `Inverse`: its target.
    pub direction: Direction,
    /// The entities at the other end.
    pub target: Box<Plan>,
    /// Canonical text of the filter (`treating fracture`).
    pub label: String,
}

/// What a resolved query asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedQuery {
    /// A set of entities.
    Set(Plan),
    /// How many entities a set has.
    Count(Plan),
    /// Everything about one entity.
    Describe(NodeIndex),
    /// The shortest connection(s) between two entities.
    Path {
        /// Start.
        from: NodeIndex,
        /// End.
        to: NodeIndex,
        /// How many paths to find (1 for `path`).
        limit: usize,
    },
}

impl Plan {
    /// Canonical text of the plan.
    pub fn label(&self, kg: &crate::KnowledgeGraph) -> String {
        match self {
            Plan::Entity(n) => kg.entity(*n).name.clone(),
            Plan::Select { label, .. } | Plan::Binary { label, .. } => label.clone(),
        }
    }
}

impl ResolvedQuery {
    /// The entities the query names directly, in the order they appear.
    pub fn named_entities(&self) -> Vec<NodeIndex> {
        fn walk(plan: &Plan, out: &mut Vec<NodeIndex>) {
            match plan {
                Plan::Entity(n) => out.push(*n),
                Plan::Select { filters, .. } => filters.iter().for_each(|f| walk(&f.target, out)),
                Plan::Binary { lhs, rhs, .. } => {
                    walk(lhs, out);
                    walk(rhs, out);
                }
            }
        }
        let mut out = Vec::new();
        match self {
            ResolvedQuery::Set(p) | ResolvedQuery::Count(p) => walk(p, &mut out),
            ResolvedQuery::Describe(n) => out.push(*n),
            ResolvedQuery::Path { from, to, .. } => out.extend([*from, *to]),
        }
        out
    }
}
