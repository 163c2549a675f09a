//! Answers as data: rows with their witnesses, counts, paths and entity cards, and why an
//! empty answer is empty. An [`Answer`] holds indices into the graph it came from. The
//! printers (table, plain, card, JSON, DOT) are in [`crate::render`]; the methods here that
//! print only forward to them.

use crate::graph::{ConflictClaim, ConflictId, Direction, KindId, KnowledgeGraph, RelId};
use crate::inheritance::inherited_claims;
use petgraph::graph::{EdgeIndex, NodeIndex};
use serde_json::Value;

/// The result of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// What was found.
    pub body: Body,
    /// For an empty answer: which step came up empty, and why (as data; [`Answer::why_empty`]
    /// says it in a sentence).
    pub empty_reason: Option<EmptyReason>,
}

/// Why an answer is empty: the step of the query that came up empty, and whether a name, a
/// kind or the data is missing. Labels are the query's own words for a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmptyReason {
    /// An entity named in the query is not among the answers of the rest of it.
    NotInAnswer {
        /// The entity.
        entity: NodeIndex,
    },
    /// The graph has no entities of the kind (`None`: no entities at all).
    NoneOfKind {
        /// The kind asked for.
        kind: Option<KindId>,
    },
    /// No edge of the relation type (or a narrower one) links anything of the kind to the
    /// target.
    NoEdge {
        /// The selection as the query says it (`therapies treating fracture`).
        selection: String,
        /// The relation type of the phrase.
        relation: RelId,
        /// The kind selected (`None`: anything).
        kind: Option<KindId>,
        /// The phrase's target as the query says it.
        target: String,
    },
    /// Each phrase of a selection matches something, but nothing matches all of them.
    NoneMatchAll {
        /// Each phrase as the query says it, with how many entities it matches.
        parts: Vec<(String, usize)>,
    },
    /// Both sides of an `and` have answers, but none in common.
    NoneInCommon {
        /// The left side as the query says it, and its number of answers.
        left: (String, usize),
        /// The right side, and its number of answers.
        right: (String, usize),
    },
    /// Every answer of the left side of an `except` is also in the right side.
    AllExcepted {
        /// The left side as the query says it.
        left: String,
        /// The right side.
        right: String,
        /// The whole `except` expression.
        expression: String,
    },
    /// No chain of relations within the path length limit connects the two entities.
    NoPath {
        /// Where the path starts.
        from: NodeIndex,
        /// Where it should end.
        to: NodeIndex,
        /// The most relations searched ([`crate::Limits::path_hops`]).
        hops: usize,
    },
    /// The target of an attribute question has entities, but the graph records no value of
    /// the attribute for any of them, nor for any class they belong to.
    NoValue {
        /// The attribute: an index into the schema's attributes.
        attribute: u16,
        /// The target as the query says it.
        target: String,
        /// How many entities the target has.
        entities: usize,
    },
    /// The question has answers without its conditions (`where ...`), but no claim behind
    /// them meets the conditions.
    NoneMeetConditions {
        /// The question (or selection) as the query says it, without its conditions.
        question: String,
        /// How many answers it has without them: rows, or values for an attribute question.
        found: usize,
        /// Whether the answers are attribute values (else rows).
        values: bool,
        /// The conditions as the query says them (`frequency is rare and section is x`).
        conditions: String,
    },
    /// Looking for the reason itself ran into a limit; the message says which.
    Unexplained {
        /// The limit's message.
        message: String,
    },
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
    /// Attribute values (`dosing interval of ...`), by entity in name order; each entity's own
    /// values first, then those it has from its classes, nearest class first.
    Values(Vec<ValueRow>),
}

/// One attribute value in an answer: whose, which, and the claim that states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueRow {
    /// The entity of the target the value is for.
    pub node: NodeIndex,
    /// The attribute: an index into the schema's attributes.
    pub key: u16,
    /// The entity that states the value: `node` itself, or a class it belongs to.
    pub holder: NodeIndex,
    /// The value's place in the holder's attributes ([`crate::Entity::attributes`]).
    pub index: usize,
    /// The class the value is stated on, when `node` has it only as a member of that class
    /// (`None` when the value is stated on `node` itself).
    pub inherited_from: Option<NodeIndex>,
    /// The `is_a` steps from `node` up to `inherited_from`, in reading order (empty when not
    /// inherited).
    pub steps: Vec<EdgeIndex>,
    /// Why `node` is in the target (as [`Row::why`]; empty steps when the query named it).
    pub why: Vec<Witness>,
}

impl ValueRow {
    /// The attribute value, with its text and its claim (provenance, qualifiers, conflict).
    pub fn attribute<'g>(&self, kg: &'g KnowledgeGraph) -> &'g crate::Attribute {
        &kg.entity(self.holder).attributes[self.index]
    }

    /// What the value's claim says for this row, by the inheritance rules
    /// ([`crate::inheritance`]): the qualifiers that hold (those that pass to members when
    /// inherited, then those of the `is_a` steps), those withheld, `via` the class, the
    /// weakest certainty and the conflicts of the claim and of the steps. `claim` is `None`:
    /// the claim is an attribute value, not an edge.
    pub fn evidence(&self, kg: &KnowledgeGraph) -> crate::inheritance::Evidence {
        let mut ev = crate::inheritance::Evidence {
            hierarchy_steps: self.steps.clone(),
            via: self.inherited_from.into_iter().collect(),
            ..Default::default()
        };
        let inherited = self.inherited_from.is_some();
        let claims = std::iter::once(&self.attribute(kg).claim)
            .chain(self.steps.iter().map(|&e| &kg.edge(e).1.claim));
        for (i, claim) in claims.enumerate() {
            crate::inheritance::add_claim_of(&mut ev, claim, i > 0 || !inherited);
            if let Some(c) = claim.conflict
                && !ev.conflicts.contains(&c)
            {
                ev.conflicts.push(c);
            }
        }
        ev
    }
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
    /// With no steps: the entity is in the answer as one of the kind asked for (`studies`),
    /// not because the query names it.
    pub of_kind: bool,
}

impl Witness {
    /// Why a witness with no steps puts its entity in the answer, in words.
    pub fn without_steps(&self) -> &'static str {
        if self.of_kind {
            "of the kind asked for"
        } else {
            "named in the query"
        }
    }
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
    pub(crate) fn new(body: Body, empty_reason: Option<EmptyReason>) -> Self {
        Answer { body, empty_reason }
    }

    /// For an empty answer, why it is empty, in a sentence (see [`EmptyReason`]).
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let answer = kg.query("tests detecting paralysis")?;
    /// assert!(matches!(answer.empty_reason, Some(bonegraph::EmptyReason::NoEdge { .. })));
    /// assert!(answer.why_empty(kg).unwrap().starts_with("nothing in the graph answers"));
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn why_empty(&self, kg: &KnowledgeGraph) -> Option<String> {
        self.empty_reason
            .as_ref()
            .map(|r| crate::render::empty_reason(kg, r))
    }

    /// The rows, for a set query (empty otherwise).
    pub fn rows(&self) -> &[Row] {
        match &self.body {
            Body::Rows(rows) => rows,
            _ => &[],
        }
    }

    /// The attribute values, for an attribute question (empty otherwise).
    pub fn values(&self) -> &[ValueRow] {
        match &self.body {
            Body::Values(values) => values,
            _ => &[],
        }
    }

    /// The number of results: rows, the count, paths, values, or 1 for a card.
    pub fn len(&self) -> usize {
        match &self.body {
            Body::Rows(rows) => rows.len(),
            Body::Count(n) => *n,
            Body::Paths(p) => p.len(),
            Body::Card(_) => 1,
            Body::Values(v) => v.len(),
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        match &self.body {
            Body::Rows(rows) => rows.is_empty(),
            Body::Count(n) => *n == 0,
            Body::Paths(p) => p.is_empty(),
            Body::Card(_) => false,
            Body::Values(v) => v.is_empty(),
        }
    }

    /// The names of the entities in the answer (rows, the ends of each path step, or the
    /// entity of each value).
    pub fn names<'g>(&self, kg: &'g KnowledgeGraph) -> Vec<&'g str> {
        match &self.body {
            Body::Values(values) => values
                .iter()
                .map(|v| kg.entity(v.node).name.as_str())
                .collect(),
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
                attributes: Default::default(),
            },
            Body::Paths(paths) => Touched {
                edges: paths.iter().flatten().map(|s| s.edge).collect(),
                node: None,
                attributes: Default::default(),
            },
            Body::Card(n) => Touched::card(kg, *n),
            Body::Count(_) => Touched::default(),
            Body::Values(values) => Touched {
                edges: values
                    .iter()
                    .flat_map(|v| {
                        v.steps
                            .iter()
                            .copied()
                            .chain(v.why.iter().flat_map(|w| w.steps.iter().copied()))
                    })
                    .collect(),
                node: None,
                attributes: values.iter().map(|v| (v.holder, v.index)).collect(),
            },
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
    /// Attribute values, as (entity, index in its attributes), beyond those of `node`.
    pub(crate) attributes: std::collections::HashSet<(NodeIndex, usize)>,
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
            attributes: Default::default(),
        }
    }

    pub(crate) fn contains(&self, kg: &KnowledgeGraph, claim: ConflictClaim) -> bool {
        match claim {
            ConflictClaim::Edge(e) => self.edges.contains(&e),
            ConflictClaim::Attribute(n, i) => {
                self.node == Some(n) || self.attributes.contains(&(n, i))
            }
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
        ids.extend(
            self.attributes
                .iter()
                .filter_map(|&(n, i)| kg.entity(n).attributes[i].claim.conflict),
        );
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
