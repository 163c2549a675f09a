//! What a member inherits from its classes, and how the evidence for a row reads.
//!
//! Queries apply what is said of a class to its `is_a` members, at both ends of an edge
//! (grammar/README.md, "Inheritance"). A member inherits the class's claim *as a claim about
//! the class*: the row names the class it comes through (`via bisphosphonate`), and each
//! qualifier field follows its own rule ([`passes_to_members`]):
//!
//! | field | passes to members | why |
//! |---|---|---|
//! | certainty, hedge | yes | a member's claim is never firmer than its class's |
//! | frequency | yes | how often the stated thing happens (`rare`): dropping it would make the member's claim read stronger |
//! | quantity, timing, context | yes | the figures and conditions the class's claim holds under; shown as the class's |
//! | rank | no | the class's place among alternatives (`most common`) is not the member's |
//! | note | no | a remark on the class's edge; shown with that edge in full evidence |
//!
//! The hedges and conflicts of the `is_a` steps themselves also apply to the row: a membership
//! that holds only `when the compression is severe` conditions everything inherited through it.
//!
//! [`evidence`] turns one witness into what the answer shows; its lints are the checks
//! `bonegraph check` runs on inheritance. This module knows no query text and no terminal.

use crate::graph::Direction;
use crate::graph::{ConflictId, KnowledgeGraph, RelId};
use crate::model::{Basis, Certainty};
use crate::query::answer::Witness;
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::VecDeque;

/// A qualifier field of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// How firmly it is stated (shown as the hedge word when there is one).
    Certainty,
    /// How often the stated thing happens.
    Frequency,
    /// The place among alternatives.
    Rank,
    /// How much or how many.
    Quantity,
    /// When or how long.
    Timing,
    /// Under what circumstances.
    Context,
    /// A paraphrased remark.
    Note,
}

impl Field {
    /// Every field, in the order answers show them.
    pub const ALL: [Field; 7] = [
        Field::Certainty,
        Field::Frequency,
        Field::Rank,
        Field::Quantity,
        Field::Timing,
        Field::Context,
        Field::Note,
    ];

    /// The field's name in the graph file and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Certainty => "certainty",
            Field::Frequency => "frequency",
            Field::Rank => "rank",
            Field::Quantity => "quantity",
            Field::Timing => "timing",
            Field::Context => "context",
            Field::Note => "note",
        }
    }

    /// Whether a value of this field can soften a claim (what the hedge lint watches).
    pub fn softens(self) -> bool {
        !matches!(self, Field::Rank | Field::Note)
    }
}

/// Whether a qualifier field of a class's claim holds for the class's members (the table in
/// the module documentation).
pub fn passes_to_members(field: Field) -> bool {
    !matches!(field, Field::Rank | Field::Note)
}

/// The qualifier values of a claim, as (field, text) in display order: the hedge (or the
/// certainty's name when no hedge word is given), frequency, rank, quantity, timing, context
/// and, with `notes`, the note.
pub fn qualifier_values(claim: &crate::Claim, notes: bool) -> Vec<(Field, String)> {
    let q = claim.qualifiers();
    let mut out = Vec::new();
    match (&q.hedge, q.certainty) {
        (Some(h), _) => out.push((Field::Certainty, h.clone())),
        (None, Some(c)) if c != Certainty::Established => {
            out.push((Field::Certainty, certainty_word(c).to_owned()))
        }
        _ => {}
    }
    for (field, value) in [
        (Field::Frequency, &q.frequency),
        (Field::Rank, &q.rank),
        (Field::Quantity, &q.quantity),
        (Field::Timing, &q.timing),
        (Field::Context, &q.context),
    ] {
        if let Some(v) = value {
            out.push((field, v.clone()));
        }
    }
    if notes && let Some(n) = &q.note {
        out.push((Field::Note, n.clone()));
    }
    out
}

/// The lowercase name of a certainty: `likely`, `possible`, ...
pub fn certainty_word(c: Certainty) -> &'static str {
    match c {
        Certainty::Established => "established",
        Certainty::Likely => "likely",
        Certainty::Possible => "possible",
        Certainty::Speculative => "speculative",
    }
}

/// What one witness of a row says, once the inheritance rules are applied: the data every
/// printer (table, JSON, card, DOT) shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The claim that puts the row in the answer: the witness's first edge that is not a
    /// hierarchy step (or its first step, when all are). `None` when the entity was named in
    /// the query.
    pub claim: Option<EdgeIndex>,
    /// The `is_a` steps the claim is inherited through (empty when it is the row's own).
    pub hierarchy_steps: Vec<EdgeIndex>,
    /// The classes the claim is inherited through: the end of the claim that the row (or the
    /// query's target) reaches as a member. Empty when nothing is inherited.
    pub via: Vec<NodeIndex>,
    /// The qualifiers that hold for the row: the claim's own (those that pass, when
    /// inherited), then those of the hierarchy steps.
    pub qualifiers: Vec<(Field, String)>,
    /// The claim's qualifiers that do not pass to the row because it is inherited.
    pub withheld: Vec<(Field, String)>,
    /// The weakest certainty among the claim and its hierarchy steps (`None`: all plain).
    pub certainty: Option<Certainty>,
    /// The conflicts that any step of the witness takes part in, in first-seen order.
    pub conflicts: Vec<ConflictId>,
}

impl Evidence {
    /// Whether the claim reaches the row through inheritance.
    pub fn inherited(&self) -> bool {
        !self.via.is_empty()
    }
}

/// Applies the inheritance rules to one witness (see the module documentation).
pub fn evidence(kg: &KnowledgeGraph, witness: &Witness) -> Evidence {
    let mut ev = Evidence::default();
    let steps = &witness.steps;
    if steps.is_empty() {
        return ev;
    }
    let hierarchy = kg.schema().hierarchy;
    let is_hierarchy = |e: EdgeIndex| Some(kg.edge(e).1.rel) == hierarchy;
    let at = steps.iter().position(|&e| !is_hierarchy(e));
    for &e in steps {
        if let Some(c) = kg.edge(e).1.claim.conflict
            && !ev.conflicts.contains(&c)
        {
            ev.conflicts.push(c);
        }
    }
    let Some(at) = at else {
        // A membership answer (`things that are X`): the hierarchy steps are the claim.
        ev.claim = Some(steps[0]);
        for &e in steps {
            add_claim(kg, &mut ev, e, true);
        }
        return ev;
    };
    let claim = steps[at];
    ev.claim = Some(claim);
    // The is_a steps joined to the claim on either side: the member's way up to the class at
    // one end of the claim (row side), or the target's way up to the class at the other.
    let (a, _, b) = kg.edge(claim);
    let mut reached = vec![a, b];
    let mut classes = Vec::new();
    let mut joined = |e: EdgeIndex, reached: &mut Vec<NodeIndex>| -> bool {
        let (m, _, c) = kg.edge(e);
        if reached.contains(&c) || reached.contains(&m) {
            if (c == a || c == b) && !classes.contains(&c) {
                classes.push(c);
            }
            reached.extend([m, c]);
            true
        } else {
            false
        }
    };
    for &e in steps[..at].iter().rev() {
        if !is_hierarchy(e) || !joined(e, &mut reached) {
            break;
        }
        ev.hierarchy_steps.push(e);
    }
    ev.hierarchy_steps.reverse();
    for &e in &steps[at + 1..] {
        if !is_hierarchy(e) || !joined(e, &mut reached) {
            break;
        }
        ev.hierarchy_steps.push(e);
    }
    ev.via = classes;
    let inherited = ev.inherited();
    add_claim(kg, &mut ev, claim, !inherited);
    for e in ev.hierarchy_steps.clone() {
        add_claim(kg, &mut ev, e, true);
    }
    ev
}

/// Adds one edge's qualifiers to the evidence; `own` is false when the row inherits it.
fn add_claim(kg: &KnowledgeGraph, ev: &mut Evidence, edge: EdgeIndex, own: bool) {
    add_claim_of(ev, &kg.edge(edge).1.claim, own);
}

/// Adds one claim's qualifiers (passed on, or withheld when inherited and the rule keeps them
/// with the class), certainty and conflict to the evidence; for edges and attribute values.
pub(crate) fn add_claim_of(ev: &mut Evidence, claim: &crate::Claim, own: bool) {
    for (field, value) in qualifier_values(claim, false) {
        if own || passes_to_members(field) {
            if !ev
                .qualifiers
                .iter()
                .any(|(f, v)| *f == field && *v == value)
            {
                ev.qualifiers.push((field, value));
            }
        } else {
            ev.withheld.push((field, value));
        }
    }
    if let Some(c) = claim.qualifiers().certainty {
        ev.certainty = Some(ev.certainty.map_or(c, |w| w.max(c)));
    }
}

/// One finding of [`lints`]: what is wrong, and the edge (by its index in the file's
/// `relations` list) to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Finding {
    pub code: crate::Code,
    pub relation_index: u32,
    pub message: String,
    pub hint: String,
}

/// The most hierarchy steps the lints walk before giving up on a huge hierarchy.
const LINT_BUDGET: usize = 5_000_000;

/// The inheritance lints:
/// - [`crate::Code::UncitedCriticalStep`]: every `is_a` edge through which an answer reaches a
///   critical entity or inherits a critical claim, and every edge a critical relation's phrase
///   reaches through a refining type, must cite a section and carry an audit `basis`;
/// - [`crate::Code::InheritedHedgeLost`]: a member that states plainly what its class states
///   only with a hedge.
pub(crate) fn lints(kg: &KnowledgeGraph) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(is_a) = kg.schema().hierarchy else {
        return out;
    };
    let schema = kg.schema();
    // A type is critical if it or any type it refines is: one pass in pre-order, where every
    // parent comes before its children.
    let mut critical_rel = vec![false; schema.relations.len()];
    for &r in &schema.preorder {
        let rel = schema.relation(r);
        critical_rel[usize::from(r.0)] =
            rel.critical || rel.parent.is_some_and(|p| critical_rel[usize::from(p.0)]);
    }
    let any_critical = critical_rel.iter().any(|&c| c) || kg.nodes().any(|v| kg.entity(v).critical);
    let mut budget = LINT_BUDGET;
    if any_critical {
        // Critical entities: flagged ones and their members.
        let critical_node = spread_down(
            kg,
            is_a,
            kg.nodes()
                .filter(|&v| kg.entity(v).critical)
                .map(|v| (v, None)),
            &mut budget,
        );
        let is_critical_node = |v: NodeIndex| critical_node[v.index()].is_some();
        // Claims that pass down from a class: a critical one, and any one (for members that
        // are critical themselves).
        let mut critical_seeds = Vec::new();
        let mut any_seeds = Vec::new();
        for e in kg.edges() {
            let (a, edge, b) = kg.edge(e);
            if edge.rel == is_a {
                continue;
            }
            let crit =
                critical_rel[usize::from(edge.rel.0)] || is_critical_node(a) || is_critical_node(b);
            for end in [a, b] {
                any_seeds.push((end, Some(e)));
                if crit {
                    critical_seeds.push((end, Some(e)));
                }
            }
        }
        let carries_critical = spread_down(kg, is_a, critical_seeds.into_iter(), &mut budget);
        let carries_any = spread_down(kg, is_a, any_seeds.into_iter(), &mut budget);
        for e in kg.edges() {
            let (m, edge, c) = kg.edge(e);
            if edge.rel != is_a {
                continue;
            }
            let example = if let Some(Some(claim)) = carries_critical[c.index()] {
                Some(format!(
                    "`{}` reaches `{}` through it",
                    describe(kg, claim),
                    kg.entity(m).id
                ))
            } else if is_critical_node(m) || is_critical_node(c) {
                match carries_any[c.index()] {
                    Some(Some(claim)) if is_critical_node(m) => Some(format!(
                        "`{}` reaches critical `{}` through it",
                        describe(kg, claim),
                        kg.entity(m).id
                    )),
                    _ => Some(format!(
                        "answers count critical `{}` among the `{}` through it",
                        kg.entity(m).id,
                        kg.entity(c).id
                    )),
                }
            } else {
                None
            };
            if let (Some(example), Some(problem)) = (example, uncited(&edge.claim)) {
                out.push(Finding {
                    code: crate::Code::UncitedCriticalStep,
                    relation_index: edge.claim.file_index,
                    message: format!(
                        "`{} {} {}` {problem}, and {example}",
                        kg.entity(m).id,
                        schema.relation(is_a).id,
                        kg.entity(c).id
                    ),
                    hint: "cite the section that states the membership and give it a `basis` (Stated, Paraphrased or Hedged), or remove it".to_owned(),
                });
            }
        }
        // Edges of a refining type that a critical parent's phrase reaches.
        for e in kg.edges() {
            let (_, edge, _) = kg.edge(e);
            let Some(parent) = schema.relation(edge.rel).parent else {
                continue;
            };
            if !critical_rel[usize::from(parent.0)] {
                continue;
            }
            if let Some(problem) = uncited(&edge.claim) {
                let ancestor = &schema.relation(parent).id;
                out.push(Finding {
                    code: crate::Code::UncitedCriticalStep,
                    relation_index: edge.claim.file_index,
                    message: format!(
                        "`{}` {problem}, and questions asked with a phrase of critical `{ancestor}` reach it",
                        describe(kg, e)
                    ),
                    hint: "cite the section that states it and give it a `basis` (Stated, Paraphrased or Hedged)".to_owned(),
                });
            }
        }
    }
    // A member stating plainly what its class only hedges.
    'edges: for e in kg.edges() {
        let (c, edge, t) = kg.edge(e);
        if edge.rel == is_a || !hedged(&edge.claim) {
            continue;
        }
        let mut queue = VecDeque::from([c]);
        let mut seen = vec![c];
        while let Some(v) = queue.pop_front() {
            for nb in kg.neighbors(v, is_a, crate::Direction::Inverse) {
                if budget == 0 {
                    break 'edges;
                }
                budget -= 1;
                if seen.contains(&nb.node) || seen.len() > 4096 {
                    continue;
                }
                seen.push(nb.node);
                queue.push_back(nb.node);
                for own in kg.all_neighbors(nb.node, crate::Direction::Forward) {
                    let (_, own_edge, _) = kg.edge(own.edge);
                    let related = schema.relation_is_within(own.rel, edge.rel)
                        || schema.relation_is_within(edge.rel, own.rel);
                    if own.node == t && related && own.rel != is_a && !hedged(&own_edge.claim) {
                        let hedge = qualifier_values(&edge.claim, false)
                            .into_iter()
                            .filter(|(f, _)| f.softens())
                            .map(|(_, v)| v)
                            .collect::<Vec<_>>()
                            .join("; ");
                        out.push(Finding {
                            code: crate::Code::InheritedHedgeLost,
                            relation_index: own_edge.claim.file_index,
                            message: format!(
                                "`{}` is stated plainly, but its class `{}` has it only with `{hedge}`: answers about `{}` show the plain claim first",
                                describe(kg, own.edge),
                                kg.entity(c).id,
                                kg.entity(nb.node).id
                            ),
                            hint: "check the source: if it hedges the member too, give the member's edge the hedge".to_owned(),
                        });
                    }
                }
            }
        }
    }
    out
}

/// Whether a claim is softened by a hedge or a frequency (`rare`, `sometimes`).
fn hedged(claim: &crate::Claim) -> bool {
    let q = claim.qualifiers();
    q.is_hedged() || q.hedge.is_some() || q.frequency.is_some()
}

/// Why a step does not cite what the source says, if it does not.
fn uncited(claim: &crate::Claim) -> Option<&'static str> {
    match (claim.provenance.and_then(|p| p.section), claim.basis) {
        (None, _) => Some("cites no section"),
        (_, None) => Some("has no audit `basis`"),
        (_, Some(Basis::Inferred)) => Some("is an inference"),
        _ => None,
    }
}

/// `bisphosphonates prevents bone_complications`.
fn describe(kg: &KnowledgeGraph, e: EdgeIndex) -> String {
    let (a, edge, b) = kg.edge(e);
    format!(
        "{} {} {}",
        kg.entity(a).id,
        kg.schema().relation(edge.rel).id,
        kg.entity(b).id
    )
}

/// Marks every entity at or below the seeds in the hierarchy with the first seed's claim that
/// reaches it (`Some(None)` for a seed without a claim); `None` for the rest.
fn spread_down(
    kg: &KnowledgeGraph,
    is_a: RelId,
    seeds: impl Iterator<Item = (NodeIndex, Option<EdgeIndex>)>,
    budget: &mut usize,
) -> Vec<Option<Option<EdgeIndex>>> {
    let mut mark: Vec<Option<Option<EdgeIndex>>> = vec![None; kg.entity_count()];
    let mut queue = VecDeque::new();
    for (v, claim) in seeds {
        if mark[v.index()].is_none() {
            mark[v.index()] = Some(claim);
            queue.push_back(v);
        }
    }
    while let Some(v) = queue.pop_front() {
        let claim = mark[v.index()].flatten();
        for nb in kg.neighbors(v, is_a, crate::Direction::Inverse) {
            if *budget == 0 {
                return mark;
            }
            *budget -= 1;
            if mark[nb.node.index()].is_none() {
                mark[nb.node.index()] = Some(claim);
                queue.push_back(nb.node);
            }
        }
    }
    mark
}

/// One claim a member inherits from one of its classes.
pub struct InheritedClaim {
    /// The class the claim is said of.
    pub class: NodeIndex,
    /// The class's edge.
    pub claim: EdgeIndex,
    /// What holds for the member, by the inheritance rules.
    pub evidence: Evidence,
}

/// The claims `node` inherits from its classes, nearest class first, leaving out those it
/// states itself (same relation type, same entity at the other end).
pub fn inherited_claims(kg: &KnowledgeGraph, node: NodeIndex) -> Vec<InheritedClaim> {
    let Some(is_a) = kg.schema().hierarchy else {
        return Vec::new();
    };
    let own: std::collections::HashSet<(Direction, crate::RelId, NodeIndex)> =
        [Direction::Forward, Direction::Inverse]
            .into_iter()
            .flat_map(|d| {
                kg.all_neighbors(node, d)
                    .iter()
                    .map(move |nb| (d, nb.rel, nb.node))
            })
            .collect();
    // Breadth-first up the hierarchy, keeping the is_a steps that reach each class.
    let mut paths: Vec<(NodeIndex, Vec<EdgeIndex>)> = vec![(node, Vec::new())];
    let mut seen = std::collections::HashSet::from([node]);
    let mut i = 0;
    while i < paths.len() && paths.len() <= 1024 {
        let (v, path) = paths[i].clone();
        for nb in kg.neighbors(v, is_a, Direction::Forward) {
            if seen.insert(nb.node) {
                let mut p = path.clone();
                p.push(nb.edge);
                paths.push((nb.node, p));
            }
        }
        i += 1;
    }
    let mut out = Vec::new();
    for (class, path) in paths.into_iter().skip(1) {
        for d in [Direction::Forward, Direction::Inverse] {
            for nb in kg.all_neighbors(class, d) {
                if nb.rel == is_a || own.contains(&(d, nb.rel, nb.node)) || nb.node == node {
                    continue;
                }
                let mut steps = path.clone();
                steps.push(nb.edge);
                let evidence = evidence(
                    kg,
                    &Witness {
                        steps,
                        inherited: true,
                        of_kind: false,
                    },
                );
                out.push(InheritedClaim {
                    class,
                    claim: nb.edge,
                    evidence,
                });
            }
        }
    }
    out
}
