//! The typed plan a query resolves to: names are entities, phrases are relation types with a
//! direction. Evaluation reads only this; it knows nothing of query text or spans. Each step
//! keeps a label (canonical query text) so that an empty answer can say which step was empty.

use super::ast::SetOp;
use crate::graph::{Claim, Direction, KindId, RelId, SourceId};
use crate::inheritance::{Field, passes_to_members};
use crate::model::Certainty;
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
        /// Conditions that the claim behind each filter's match must meet (empty: none).
        conditions: Vec<PlanCondition>,
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

/// A condition (`frequency is rare`) resolved against the graph: the exact values of the
/// field it accepts. Matching the words happens once, when the query is resolved; evaluation
/// (and translation) compare values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanCondition {
    /// What the claim must have.
    pub test: ConditionTest,
    /// Canonical text of the condition (`frequency is rare`).
    pub label: String,
}

/// What a [`PlanCondition`] tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConditionTest {
    /// The claim's certainty is this one (a claim without a certainty is `Established`).
    Certainty(Certainty),
    /// The claim's value of a text field is one of these (sorted). `Field::Certainty` stands
    /// for the hedge wording (`may`).
    Text {
        /// The field.
        field: Field,
        /// The values accepted, as the graph file words them, sorted.
        values: Vec<String>,
    },
    /// The claim cites one of these sections: (source, index of the section in the source's
    /// list), sorted.
    Section(Vec<(SourceId, u16)>),
}

impl PlanCondition {
    /// Whether `claim` meets the condition; `inherited` when the row or value has it from a
    /// class, so that fields that do not pass to members (`rank`) do not count.
    pub fn holds(&self, claim: &Claim, inherited: bool) -> bool {
        let q = claim.qualifiers();
        match &self.test {
            ConditionTest::Certainty(c) => q.certainty.unwrap_or(Certainty::Established) == *c,
            ConditionTest::Text { field, values } => {
                if inherited && !passes_to_members(*field) {
                    return false;
                }
                let value = match field {
                    Field::Certainty => &q.hedge,
                    Field::Frequency => &q.frequency,
                    Field::Rank => &q.rank,
                    Field::Quantity => &q.quantity,
                    Field::Timing => &q.timing,
                    Field::Context => &q.context,
                    Field::Note => &q.note,
                };
                value
                    .as_ref()
                    .is_some_and(|v| values.binary_search(v).is_ok())
            }
            ConditionTest::Section(sections) => claim.provenance.is_some_and(|p| {
                p.section
                    .is_some_and(|sec| sections.binary_search(&(p.source, sec)).is_ok())
            }),
        }
    }

    /// Whether every condition holds for `claim`.
    pub fn all(conditions: &[PlanCondition], claim: &Claim, inherited: bool) -> bool {
        conditions.iter().all(|c| c.holds(claim, inherited))
    }

    /// Whether a condition tests a field that does not pass to members: only a row's own
    /// claims can meet it.
    pub fn own_only(conditions: &[PlanCondition]) -> bool {
        conditions.iter().any(
            |c| matches!(&c.test, ConditionTest::Text { field, .. } if !passes_to_members(*field)),
        )
    }
}

/// `<attribute> of <target> [where ...]`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesPlan {
    /// The attribute: an index into the schema's attributes.
    pub attribute: u16,
    /// Whose values.
    pub target: Plan,
    /// Conditions each value's claim must meet.
    pub conditions: Vec<PlanCondition>,
    /// Canonical text of the question without its conditions (`dosing interval of denosumab`).
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
    /// The values of an attribute.
    Values(ValuesPlan),
    /// How many values of an attribute.
    CountValues(ValuesPlan),
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
            ResolvedQuery::Values(v) | ResolvedQuery::CountValues(v) => walk(&v.target, &mut out),
        }
        out
    }
}
