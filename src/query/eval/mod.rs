//! Evaluation of a typed [`Plan`]: set-at-a-time over the typed adjacency, deterministic, with
//! every row carrying the edges that put it in the answer.
//!
//! Semantics (see grammar/README.md): a phrase includes the relation types that refine its
//! relation (`treating` includes `relieving`); what is said of a class holds for its members,
//! on both ends of an edge (an edge `a -r-> c` also relates every `is_a` descendant of `a` to
//! every descendant of `c`), and such rows are marked inherited. The hierarchy relation itself
//! is read transitively. This module never sees query text.

mod paths;

use super::Limits;
use super::answer::{Answer, Body, EmptyReason, Row, ValueRow, Witness};
use super::ast::SetOp;
use super::error::{ErrorKind, QueryError};
use super::plan::{Plan, PlanCondition, PlanFilter, ResolvedQuery, ValuesPlan};
use crate::graph::{Direction, KindId, KnowledgeGraph, RelId};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

/// The reasons rows are in a step's result, kept in one arena per evaluation so that building
/// a row allocates nothing: each reason is a run of edges (this step's, in reading order) and
/// the reason of the target row it leads to, for chains.
#[derive(Default)]
struct Arena {
    whys: Vec<WhyRec>,
    steps: Vec<EdgeIndex>,
    /// The reason of an entity in the answer as one of a kind (`studies`).
    member: Option<u32>,
}

#[derive(Clone, Copy)]
struct WhyRec {
    start: u32,
    len: u32,
    inherited: bool,
    /// The target row's reason, or [`NO_WHY`].
    prev: u32,
}

/// No reason (the end of a chain).
const NO_WHY: u32 = u32::MAX;

/// The predecessor of a closure's start.
const NO_PRED: u32 = u32::MAX;

/// The entities a breadth-first walk of the hierarchy reaches from one start, in order: each
/// with the index (in `nodes`) of the entity it was reached from, and the edge walked.
struct Closure {
    nodes: Vec<(NodeIndex, u32, EdgeIndex)>,
}

impl Closure {
    /// The edges from `nodes[i]` back to the start, nearest first: `[i's step, its
    /// predecessor's step, ...]`.
    fn path_back(&self, i: usize) -> Vec<EdgeIndex> {
        path_back(&self.nodes, i)
    }
}

/// [`Closure::path_back`] over a closure's nodes (or a lone start, which has no steps).
fn path_back(nodes: &[(NodeIndex, u32, EdgeIndex)], mut i: usize) -> Vec<EdgeIndex> {
    let mut out = Vec::new();
    while i != 0 {
        let (_, pred, edge) = nodes[i];
        out.push(edge);
        i = pred as usize;
    }
    out
}

impl Arena {
    fn push(
        &mut self,
        steps: impl IntoIterator<Item = EdgeIndex>,
        inherited: bool,
        prev: u32,
    ) -> u32 {
        let start = self.steps.len() as u32;
        self.steps.extend(steps);
        let inherited = inherited || (prev != NO_WHY && self.whys[prev as usize].inherited);
        self.whys.push(WhyRec {
            start,
            len: self.steps.len() as u32 - start,
            inherited,
            prev,
        });
        (self.whys.len() - 1) as u32
    }

    /// The whole chain of a reason, as the answer shows it.
    fn flatten(&self, mut id: u32) -> Witness {
        let mut w = Witness {
            steps: Vec::new(),
            inherited: id != NO_WHY && self.whys[id as usize].inherited,
            of_kind: Some(id) == self.member,
        };
        while id != NO_WHY {
            let r = self.whys[id as usize];
            w.steps
                .extend_from_slice(&self.steps[r.start as usize..(r.start + r.len) as usize]);
            id = r.prev;
        }
        w
    }
}

/// A step's result: (entity, reason) pairs sorted by entity, at most
/// [`Limits::witnesses`] reasons per entity.
#[derive(Default, Clone)]
struct Rows {
    items: Vec<(NodeIndex, u32)>,
}

impl Rows {
    /// Sorts, and keeps the first `witnesses` reasons of each entity.
    fn normalize(mut items: Vec<(NodeIndex, u32)>, witnesses: usize) -> Rows {
        items.sort_unstable();
        items.dedup();
        let mut out: Vec<(NodeIndex, u32)> = Vec::with_capacity(items.len());
        let mut run = 0;
        for item in items {
            match out.last() {
                Some(last) if last.0 == item.0 => {
                    run += 1;
                    if run < witnesses {
                        out.push(item);
                    }
                }
                _ => {
                    run = 0;
                    out.push(item);
                }
            }
        }
        Rows { items: out }
    }

    /// Each entity once, with its first reason.
    fn firsts(&self) -> impl Iterator<Item = (NodeIndex, u32)> + '_ {
        self.items
            .iter()
            .enumerate()
            .filter(|(i, (n, _))| *i == 0 || self.items[i - 1].0 != *n)
            .map(|(_, &item)| item)
    }

    fn len(&self) -> usize {
        self.firsts().count()
    }

    fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Evaluates a resolved query.
pub fn eval(
    kg: &KnowledgeGraph,
    query: &ResolvedQuery,
    limits: &Limits,
    cancel: Option<&AtomicBool>,
) -> Result<Answer, QueryError> {
    let mut ev = Evaluator::new(kg, limits, cancel);
    let body = match query {
        ResolvedQuery::Set(plan) => {
            let rows = ev.plan(plan)?;
            let empty_reason = rows.is_empty().then(|| ev.explain_empty(plan));
            return Ok(Answer::new(Body::Rows(ev.finish(&rows)?), empty_reason));
        }
        ResolvedQuery::Count(plan) => {
            let rows = ev.plan(plan)?;
            let empty_reason = rows.is_empty().then(|| ev.explain_empty(plan));
            return Ok(Answer::new(Body::Count(rows.len()), empty_reason));
        }
        ResolvedQuery::Describe(node) => Body::Card(*node),
        ResolvedQuery::Path { from, to, limit } => {
            let paths = ev.k_shortest_paths(*from, *to, *limit)?;
            let empty_reason = paths.is_empty().then_some(EmptyReason::NoPath {
                from: *from,
                to: *to,
                hops: limits.path_hops,
            });
            return Ok(Answer::new(Body::Paths(paths), empty_reason));
        }
        ResolvedQuery::Values(v) | ResolvedQuery::CountValues(v) => {
            let targets = ev.plan(&v.target)?;
            let rows = ev.finish(&targets)?;
            let values = ev.values(v, rows, &v.conditions)?;
            let empty_reason = if values.is_empty() {
                Some(ev.explain_no_values(v, &targets))
            } else {
                None
            };
            let body = match query {
                ResolvedQuery::CountValues(_) => Body::Count(values.len()),
                _ => Body::Values(values),
            };
            return Ok(Answer::new(body, empty_reason));
        }
    };
    Ok(Answer::new(body, None))
}

struct Evaluator<'a> {
    kg: &'a KnowledgeGraph,
    limits: &'a Limits,
    /// Set by the caller to stop the query.
    cancel: Option<&'a AtomicBool>,
    hierarchy: Option<RelId>,
    work: usize,
    arena: Arena,
    /// Members of each kind asked about in this query (see [`Evaluator::has_kind`]).
    kind_sets: std::collections::HashMap<KindId, HashSet<NodeIndex>>,
    /// The reason of an entity named in the query: none.
    named: u32,
    /// The reason of an entity in the answer as one of a kind: none.
    member: u32,
}

fn limit_error(message: String) -> QueryError {
    QueryError::new(ErrorKind::LimitExceeded, message, Default::default())
}

fn too_many_rows(kg: &KnowledgeGraph, limits: &Limits) -> QueryError {
    limit_error(format!("the answer has more than {} rows", limits.rows)).help(format!(
        "narrow the question with a phrase, as in `{}`",
        kg.vocabulary().examples().selection
    ))
}

impl<'a> Evaluator<'a> {
    fn new(kg: &'a KnowledgeGraph, limits: &'a Limits, cancel: Option<&'a AtomicBool>) -> Self {
        let mut arena = Arena::default();
        let named = arena.push([], false, NO_WHY);
        let member = arena.push([], false, NO_WHY);
        arena.member = Some(member);
        Evaluator {
            kg,
            limits,
            cancel,
            hierarchy: kg.schema().hierarchy,
            work: 0,
            arena,
            kind_sets: Default::default(),
            named,
            member,
        }
    }

    fn tick(&mut self, n: usize) -> Result<(), QueryError> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(QueryError::new(
                ErrorKind::Cancelled,
                "the query was cancelled".to_owned(),
                Default::default(),
            ));
        }
        self.work += n;
        if self.work > self.limits.work {
            return Err(limit_error(format!(
                "the query needs more than {} steps to answer",
                self.limits.work
            ))
            .help("narrow it, for example with a more specific name or kind"));
        }
        Ok(())
    }

    /// The relation types a phrase of `rel` includes (shared, not copied).
    fn widen(&self, rel: RelId) -> &'a [RelId] {
        self.kg.schema().refinements(rel)
    }

    /// Whether `node` has hierarchy edges in `direction` (most entities have none).
    fn has_hierarchy(&self, node: NodeIndex, direction: Direction) -> bool {
        self.kg.has_hierarchy(node, direction)
    }

    /// `start` and every entity reachable through the hierarchy in `direction`, in
    /// breadth-first order, each with the step that first reached it. Memory and work are
    /// linear in the closure (a path is a chain of predecessors, never a copy), and every
    /// step is charged to the query's budget.
    fn closure(&mut self, start: NodeIndex, direction: Direction) -> Result<Closure, QueryError> {
        let mut out = Closure {
            nodes: vec![(start, NO_PRED, EdgeIndex::end())],
        };
        let Some(is_a) = self.hierarchy else {
            return Ok(out);
        };
        if !self.has_hierarchy(start, direction) {
            return Ok(out);
        }
        let mut seen: HashSet<NodeIndex> = HashSet::from([start]);
        let mut i = 0;
        while i < out.nodes.len() {
            let node = out.nodes[i].0;
            let nbs = self.kg.neighbors(node, is_a, direction);
            self.tick(nbs.len() + 1)?;
            for nb in nbs {
                if seen.insert(nb.node) {
                    out.nodes.push((nb.node, i as u32, nb.edge));
                }
            }
            i += 1;
        }
        Ok(out)
    }

    /// One reason per entity of `closure`, sharing structure: each entity's reason is its
    /// step towards the closure's start, then the reason of the entity that step leads to,
    /// down to `tail` for the start itself. Reads from the entity back to the start
    /// (`m is a c; c is a a; ...`). Returns reason ids indexed like `closure.nodes`.
    fn chain_reasons(&mut self, closure: &Closure, inherited: bool, tail: u32) -> Vec<u32> {
        let mut ids = Vec::with_capacity(closure.nodes.len());
        for (i, &(_, pred, edge)) in closure.nodes.iter().enumerate() {
            let id = if i == 0 {
                tail
            } else {
                self.arena.push([edge], inherited, ids[pred as usize])
            };
            ids.push(id);
        }
        ids
    }

    /// Whether `node` is of `kind`: of that kind itself, or an is_a descendant of an entity of
    /// it. The members of each kind asked about are found once per query, breadth-first down
    /// from the kind's entities, and charged to the budget.
    fn has_kind(&mut self, node: NodeIndex, kind: Option<KindId>) -> Result<bool, QueryError> {
        let Some(kind) = kind else { return Ok(true) };
        if self.kg.kind_of(node) == kind {
            return Ok(true);
        }
        if !self.has_hierarchy(node, Direction::Forward) {
            return Ok(false);
        }
        if !self.kind_sets.contains_key(&kind) {
            let set = self.kind_closure(kind)?;
            self.kind_sets.insert(kind, set);
        }
        Ok(self.kind_sets[&kind].contains(&node))
    }

    /// Every entity of `kind` and every is_a descendant of one.
    fn kind_closure(&mut self, kind: KindId) -> Result<HashSet<NodeIndex>, QueryError> {
        let mut seen: HashSet<NodeIndex> = self.kg.nodes_of_kind(kind).iter().copied().collect();
        let Some(is_a) = self.hierarchy else {
            return Ok(seen);
        };
        let mut queue: Vec<NodeIndex> = seen.iter().copied().collect();
        while let Some(v) = queue.pop() {
            let nbs = self.kg.neighbors(v, is_a, Direction::Inverse);
            self.tick(nbs.len() + 1)?;
            for nb in nbs {
                if seen.insert(nb.node) {
                    queue.push(nb.node);
                }
            }
        }
        Ok(seen)
    }

    fn plan(&mut self, plan: &Plan) -> Result<Rows, QueryError> {
        let rows = match plan {
            Plan::Entity(n) => Rows {
                items: vec![(*n, self.named)],
            },
            Plan::Select {
                kind,
                filters,
                conditions,
                ..
            } => self.select(*kind, filters, conditions)?,
            Plan::Binary { op, lhs, rhs, .. } => {
                let l = self.plan(lhs)?;
                let r = self.plan(rhs)?;
                combine(*op, l, r, self.limits.witnesses, [self.named, self.member])
            }
        };
        if rows.items.len() > self.limits.rows.saturating_mul(self.limits.witnesses)
            || rows.len() > self.limits.rows
        {
            return Err(too_many_rows(self.kg, self.limits));
        }
        Ok(rows)
    }

    /// The members of `kind` that every filter relates to its target, through a claim that
    /// meets every condition.
    fn select(
        &mut self,
        kind: Option<KindId>,
        filters: &[PlanFilter],
        conditions: &[PlanCondition],
    ) -> Result<Rows, QueryError> {
        if filters.is_empty() {
            return self.kind_members(kind);
        }
        // Evaluate every target first; then drive with the filter that reaches the fewest
        // edges, and check the others entity by entity (a semi-join).
        let mut targets = Vec::with_capacity(filters.len());
        for f in filters {
            let t = self.plan(&f.target)?;
            if t.is_empty() {
                return Ok(Rows::default());
            }
            let cost = self.fan_out(f, &t)?;
            targets.push((cost, t));
        }
        let driver = (0..filters.len())
            .min_by_key(|&i| (targets[i].0, i))
            .expect("at least one filter");
        let mut rows = self.filter_from(&filters[driver], &targets[driver].1, conditions)?;
        rows = self.of_kind(rows, kind)?;
        for (i, f) in filters.iter().enumerate() {
            if i == driver || rows.is_empty() {
                continue;
            }
            rows = self.semi_join(rows, f, &targets[i].1, conditions)?;
        }
        Ok(rows)
    }

    /// Keeps the rows whose entity is of `kind` (or an is_a descendant of one).
    fn of_kind(&mut self, rows: Rows, kind: Option<KindId>) -> Result<Rows, QueryError> {
        if kind.is_none() {
            return Ok(rows);
        }
        let mut items = Vec::with_capacity(rows.items.len());
        let mut last: Option<(NodeIndex, bool)> = None;
        for (n, why) in rows.items {
            let keep = match last {
                Some((m, k)) if m == n => k,
                _ => self.has_kind(n, kind)?,
            };
            last = Some((n, keep));
            if keep {
                items.push((n, why));
            }
        }
        Ok(Rows { items })
    }

    /// How many edges a filter would walk from its targets: the cost of driving with it.
    /// Estimating is work too (targets times relation types), so it is charged.
    fn fan_out(&mut self, f: &PlanFilter, targets: &Rows) -> Result<usize, QueryError> {
        let rels = self.widen(f.rel);
        let toward = reverse(f.direction);
        let mut total = 0;
        for (t, _) in targets.firsts() {
            self.tick(rels.len())?;
            total += rels
                .iter()
                .map(|&r| self.kg.neighbors(t, r, toward).len())
                .sum::<usize>()
                + usize::from(self.has_hierarchy(t, Direction::Forward)) * 64;
        }
        Ok(total)
    }

    fn kind_members(&mut self, kind: Option<KindId>) -> Result<Rows, QueryError> {
        let roots: Vec<NodeIndex> = match kind {
            None => self.kg.nodes().collect(),
            Some(k) => self.kg.nodes_of_kind(k).to_vec(),
        };
        if roots.len() > self.limits.rows {
            return Err(too_many_rows(self.kg, self.limits));
        }
        let mut items = Vec::with_capacity(roots.len());
        for root in roots {
            items.push((root, self.member));
            if kind.is_some() && self.has_hierarchy(root, Direction::Inverse) {
                // Members of a kind's entities count as of the kind: `m is a c; c is a root`.
                let members = self.closure(root, Direction::Inverse)?;
                let whys = self.chain_reasons(&members, true, NO_WHY);
                for (i, &(member, _, _)) in members.nodes.iter().enumerate().skip(1) {
                    items.push((member, whys[i]));
                }
                self.check_items(&items)?;
            }
        }
        // A root reached again as a member keeps its plain membership first.
        Ok(Rows::normalize(items, self.limits.witnesses))
    }

    /// Stops a step whose (entity, reason) pairs outgrow what an answer may hold.
    fn check_items(&self, items: &[(NodeIndex, u32)]) -> Result<(), QueryError> {
        if items.len()
            > self
                .limits
                .rows
                .saturating_mul(self.limits.witnesses)
                .saturating_mul(4)
        {
            return Err(too_many_rows(self.kg, self.limits));
        }
        Ok(())
    }

    fn filter(&mut self, f: &PlanFilter) -> Result<Rows, QueryError> {
        let targets = self.plan(&f.target)?;
        self.filter_from(f, &targets, &[])
    }

    /// The entities related by `f` to the already evaluated `targets`.
    ///
    /// Every reason reads from the row outwards: the row's way up to the class the claim is
    /// about, the claim, the class's way down to the target, then the target's own reason
    /// (`m is a a; a prevents c; t is a c`). The parts are shared between rows, so the
    /// reasons of a whole answer take memory linear in what was walked.
    ///
    /// With `conditions`, a reason counts only if its claim (the edge of `f`'s relation, or
    /// for the hierarchy phrases the row's own `is_a` step) meets them, as it holds for the row:
    /// a field that does not pass to members (`rank`) counts only for the row's own claims.
    fn filter_from(
        &mut self,
        f: &PlanFilter,
        targets: &Rows,
        conditions: &[PlanCondition],
    ) -> Result<Rows, QueryError> {
        let mut items: Vec<(NodeIndex, u32)> = Vec::new();
        if let Some(is_a) = self.hierarchy.filter(|&h| h == f.rel) {
            // `that are X` / `including X`: the hierarchy read transitively, X itself excluded.
            let walk = reverse(f.direction);
            for (t, t_why) in targets.firsts().collect::<Vec<_>>() {
                let reached = self.closure(t, walk)?;
                let whys = self.chain_reasons(&reached, false, t_why);
                if conditions.is_empty() {
                    for (i, &(n, _, _)) in reached.nodes.iter().enumerate().skip(1) {
                        items.push((n, whys[i]));
                    }
                } else {
                    // Each entity's own step must meet the conditions: any of its `is_a`
                    // edges to an entity reached (X itself, or one that reaches X).
                    let at: std::collections::HashMap<NodeIndex, usize> = reached
                        .nodes
                        .iter()
                        .enumerate()
                        .map(|(i, &(n, _, _))| (n, i))
                        .collect();
                    for &(n, _, _) in reached.nodes.iter().skip(1) {
                        let nbs = self.kg.neighbors(n, is_a, f.direction);
                        self.tick(nbs.len() + 1)?;
                        for nb in nbs {
                            let Some(&j) = at.get(&nb.node) else { continue };
                            let claim = &self.kg.edge(nb.edge).1.claim;
                            if PlanCondition::all(conditions, claim, false) {
                                let why = self.arena.push([nb.edge], false, whys[j]);
                                items.push((n, why));
                            }
                        }
                    }
                }
                self.check_items(&items)?;
            }
            return Ok(Rows::normalize(items, self.limits.witnesses));
        }
        let own_only = PlanCondition::own_only(conditions);
        let rels = self.widen(f.rel);
        // Edges are stored source -> target. A forward phrase keeps sources whose target is
        // in the set; an inverse phrase keeps targets whose source is.
        let toward_target = reverse(f.direction);
        for (t, t_why) in targets.firsts().collect::<Vec<_>>() {
            // The target and its classes: what is said of a class holds for its members.
            let classes = self.closure(t, Direction::Forward)?;
            let class_whys = self.chain_reasons(&classes, true, t_why);
            for (ci, &(class, _, _)) in classes.nodes.iter().enumerate() {
                if own_only && ci > 0 {
                    break;
                }
                for &r in rels {
                    let nbs = self.kg.neighbors(class, r, toward_target);
                    self.tick(nbs.len() + 1)?;
                    for nb in nbs {
                        let (own_ok, members_ok) = if conditions.is_empty() {
                            (true, true)
                        } else {
                            let c = &self.kg.edge(nb.edge).1.claim;
                            (
                                PlanCondition::all(conditions, c, ci > 0),
                                PlanCondition::all(conditions, c, true),
                            )
                        };
                        if !own_ok && !members_ok {
                            continue;
                        }
                        let claim = self.arena.push([nb.edge], false, class_whys[ci]);
                        if own_ok {
                            items.push((nb.node, claim));
                        }
                        if members_ok && self.has_hierarchy(nb.node, Direction::Inverse) {
                            // The members of the row entity hold it too.
                            let members = self.closure(nb.node, Direction::Inverse)?;
                            let whys = self.chain_reasons(&members, true, claim);
                            for (i, &(member, _, _)) in members.nodes.iter().enumerate().skip(1) {
                                items.push((member, whys[i]));
                            }
                        }
                    }
                    self.check_items(&items)?;
                }
            }
        }
        Ok(Rows::normalize(items, self.limits.witnesses))
    }

    /// Records one reason in reading order: the row's side (from the row up to the class the
    /// claim is about), the claim, the target's side (from the claim's class down to the
    /// target), then the target's own reason.
    fn push_reason(
        &mut self,
        row_side: &[EdgeIndex],
        edge: EdgeIndex,
        target_side: &[EdgeIndex],
        target_why: u32,
    ) -> u32 {
        let inherited = !row_side.is_empty() || !target_side.is_empty();
        self.arena.push(
            row_side
                .iter()
                .copied()
                .chain([edge])
                .chain(target_side.iter().copied()),
            inherited,
            target_why,
        )
    }

    /// Keeps the rows that `f` also relates to `targets`, looking from each row outwards.
    fn semi_join(
        &mut self,
        rows: Rows,
        f: &PlanFilter,
        targets: &Rows,
        conditions: &[PlanCondition],
    ) -> Result<Rows, QueryError> {
        if Some(f.rel) == self.hierarchy {
            let other = self.filter_from(f, targets, conditions)?;
            return Ok(combine(
                SetOp::And,
                rows,
                other,
                self.limits.witnesses,
                [self.named, self.member],
            ));
        }
        let own_only = PlanCondition::own_only(conditions);
        let rels = self.widen(f.rel);
        // Targets sorted by entity: a binary search per edge looked at.
        let target_why: Vec<(NodeIndex, u32)> = targets.firsts().collect();
        let find = |t: NodeIndex| -> Option<u32> {
            target_why
                .binary_search_by_key(&t, |(n, _)| *n)
                .ok()
                .map(|i| target_why[i].1)
        };
        let mut items: Vec<(NodeIndex, u32)> = Vec::new();
        let mut i = 0;
        while i < rows.items.len() {
            let x = rows.items[i].0;
            let run_end = i + rows.items[i..].iter().take_while(|(n, _)| *n == x).count();
            let mut found: Vec<u32> = Vec::new();
            // The row and its classes, on the row's side of the edge.
            // The row and its classes; most rows are no member of anything, and are looked at
            // without building a closure.
            let lone = [(x, NO_PRED, EdgeIndex::end())];
            let closure;
            let classes: &[_] = if self.has_hierarchy(x, Direction::Forward) {
                closure = self.closure(x, Direction::Forward)?;
                &closure.nodes
            } else {
                &lone
            };
            for ai in 0..classes.len() {
                if own_only && ai > 0 {
                    break;
                }
                let a = classes[ai].0;
                let mut row_side: Option<Vec<EdgeIndex>> = None;
                for &r in rels {
                    let nbs = self.kg.neighbors(a, r, f.direction);
                    self.tick(nbs.len() + 1)?;
                    for nb in nbs {
                        let (own_ok, inherited_ok) = if conditions.is_empty() {
                            (true, true)
                        } else {
                            let claim = &self.kg.edge(nb.edge).1.claim;
                            (
                                PlanCondition::all(conditions, claim, ai > 0),
                                PlanCondition::all(conditions, claim, true),
                            )
                        };
                        if !own_ok && !inherited_ok {
                            continue;
                        }
                        // The far end is a target, or a class of one. Most far ends have
                        // no members: they are looked at without building a closure.
                        let lone = [(nb.node, NO_PRED, EdgeIndex::end())];
                        let members;
                        let reached: &[_] = if self.has_hierarchy(nb.node, Direction::Inverse) {
                            members = self.closure(nb.node, Direction::Inverse)?;
                            &members.nodes
                        } else {
                            &lone
                        };
                        for ti in 0..reached.len() {
                            if !(if ti == 0 { own_ok } else { inherited_ok }) {
                                continue;
                            }
                            let Some(t_why) = find(reached[ti].0) else {
                                continue;
                            };
                            let side = match &row_side {
                                Some(side) => side.clone(),
                                None => {
                                    let mut up = path_back(classes, ai);
                                    up.reverse();
                                    self.tick(up.len())?;
                                    row_side = Some(up.clone());
                                    up
                                }
                            };
                            let mut down = path_back(reached, ti);
                            down.reverse();
                            self.tick(down.len())?;
                            found.push(self.push_reason(&side, nb.edge, &down, t_why));
                        }
                    }
                }
            }
            if !found.is_empty() {
                items.extend_from_slice(&rows.items[i..run_end]);
                items.extend(found.into_iter().map(|w| (x, w)));
                self.check_items(&items)?;
            }
            i = run_end;
        }
        Ok(Rows::normalize(items, self.limits.witnesses))
    }

    /// Rows sorted by name, each with its reasons in full. Spelling the reasons out is
    /// charged to the budget: on a deep hierarchy an answer's evidence can hold far more
    /// steps than the walk that found it.
    fn finish(&mut self, rows: &Rows) -> Result<Vec<Row>, QueryError> {
        let mut out: Vec<Row> = Vec::with_capacity(rows.items.len());
        let mut steps = 0usize;
        for &(node, why) in &rows.items {
            let w = self.arena.flatten(why);
            steps += w.steps.len();
            if steps > self.limits.evidence_steps {
                return Err(limit_error(format!(
                    "the answer's evidence would list more than {} steps",
                    self.limits.evidence_steps
                ))
                .help("ask for the number with `count ...`, or narrow the question"));
            }
            self.tick(w.steps.len())?;
            match out.last_mut() {
                Some(row) if row.node == node => {
                    if !row.why.contains(&w) {
                        row.why.push(w);
                    }
                }
                _ => out.push(Row { node, why: vec![w] }),
            }
        }
        for row in &mut out {
            row.why.sort_by(|a, b| {
                (a.inherited, a.steps.len(), &a.steps).cmp(&(b.inherited, b.steps.len(), &b.steps))
            });
        }
        let rank = self.kg.name_order();
        out.sort_by_key(|r| rank[r.node.index()]);
        Ok(out)
    }

    /// Which step of an empty answer came up empty, and whether a name or the data is missing.
    fn explain_empty(&mut self, plan: &Plan) -> EmptyReason {
        let kg = self.kg;
        let unexplained = |e: QueryError| EmptyReason::Unexplained { message: e.message };
        match plan {
            Plan::Entity(n) => EmptyReason::NotInAnswer { entity: *n },
            Plan::Select {
                kind,
                filters,
                conditions,
                label,
            } if !conditions.is_empty() => {
                let question = without_conditions(label, conditions);
                match self.select(*kind, filters, &[]) {
                    Ok(rows) if !rows.is_empty() => EmptyReason::NoneMeetConditions {
                        question,
                        found: rows.len(),
                        values: false,
                        conditions: condition_labels(conditions),
                    },
                    Ok(_) => self.explain_empty(&Plan::Select {
                        kind: *kind,
                        filters: filters.clone(),
                        conditions: Vec::new(),
                        label: question,
                    }),
                    Err(e) => unexplained(e),
                }
            }
            Plan::Select {
                kind,
                filters,
                label,
                ..
            } => {
                if filters.is_empty() {
                    return EmptyReason::NoneOfKind { kind: *kind };
                }
                let mut parts = Vec::new();
                for f in filters {
                    match self.plan(&f.target) {
                        Ok(t) if t.is_empty() => return self.explain_empty(&f.target),
                        Ok(_) => {}
                        Err(e) => return unexplained(e),
                    }
                    let n = match self.filter(f) {
                        Ok(rows) => {
                            let mut kept = 0;
                            let nodes: Vec<NodeIndex> = rows.firsts().map(|(n, _)| n).collect();
                            for node in nodes {
                                if self.has_kind(node, *kind).unwrap_or(false) {
                                    kept += 1;
                                }
                            }
                            kept
                        }
                        Err(e) => return unexplained(e),
                    };
                    if n == 0 {
                        return EmptyReason::NoEdge {
                            selection: label.clone(),
                            relation: f.rel,
                            kind: *kind,
                            target: f.target.label(kg),
                        };
                    }
                    parts.push((f.label.clone(), n));
                }
                EmptyReason::NoneMatchAll { parts }
            }
            Plan::Binary {
                op,
                lhs,
                rhs,
                label,
            } => {
                let l = self.plan(lhs).map(|r| r.len()).unwrap_or(0);
                let r = self.plan(rhs).map(|r| r.len()).unwrap_or(0);
                match op {
                    SetOp::Or if l == 0 && r == 0 => self.explain_empty(lhs),
                    SetOp::And if l == 0 => self.explain_empty(lhs),
                    SetOp::And if r == 0 => self.explain_empty(rhs),
                    SetOp::And => EmptyReason::NoneInCommon {
                        left: (lhs.label(kg), l),
                        right: (rhs.label(kg), r),
                    },
                    SetOp::Except if l == 0 => self.explain_empty(lhs),
                    _ => EmptyReason::AllExcepted {
                        left: lhs.label(kg),
                        right: rhs.label(kg),
                        expression: label.clone(),
                    },
                }
            }
        }
    }
}

impl Evaluator<'_> {
    /// The values of `v`'s attribute for each entity of the target (`rows`, in name order):
    /// its own, then those stated on its classes (nearest first), leaving out a class's value
    /// that the entity states itself in the same words. Only values whose claim meets every
    /// condition count, and none that the graph's authors inferred (`basis: Inferred`): like
    /// inferred edges, they stay on the card and out of answers.
    fn values(
        &mut self,
        v: &ValuesPlan,
        rows: Vec<Row>,
        conditions: &[PlanCondition],
    ) -> Result<Vec<ValueRow>, QueryError> {
        let kg = self.kg;
        let mut out: Vec<ValueRow> = Vec::new();
        for row in rows {
            let node = row.node;
            let attrs = &kg.entity(node).attributes;
            self.tick(attrs.len() + 1)?;
            let own: Vec<usize> = (0..attrs.len())
                .filter(|&i| {
                    attrs[i].key == v.attribute
                        && !inferred(&attrs[i].claim)
                        && PlanCondition::all(conditions, &attrs[i].claim, false)
                })
                .collect();
            let mut found: Vec<ValueRow> = own
                .iter()
                .map(|&index| ValueRow {
                    node,
                    key: v.attribute,
                    holder: node,
                    index,
                    inherited_from: None,
                    steps: Vec::new(),
                    why: row.why.clone(),
                })
                .collect();
            if self.has_hierarchy(node, Direction::Forward) {
                let classes = self.closure(node, Direction::Forward)?;
                for ci in 1..classes.nodes.len() {
                    let class = classes.nodes[ci].0;
                    let class_attrs = &kg.entity(class).attributes;
                    self.tick(class_attrs.len() + 1)?;
                    for (index, a) in class_attrs.iter().enumerate() {
                        if a.key != v.attribute
                            || inferred(&a.claim)
                            || !PlanCondition::all(conditions, &a.claim, true)
                            || own.iter().any(|&i| attrs[i].value == a.value)
                        {
                            continue;
                        }
                        let mut steps = classes.path_back(ci);
                        steps.reverse();
                        found.push(ValueRow {
                            node,
                            key: v.attribute,
                            holder: class,
                            index,
                            inherited_from: Some(class),
                            steps,
                            why: row.why.clone(),
                        });
                    }
                }
            }
            out.append(&mut found);
            if out.len() > self.limits.rows {
                return Err(too_many_rows(self.kg, self.limits));
            }
        }
        Ok(out)
    }

    /// Why an attribute question has no values: its target is empty, no entity of it (nor
    /// any class of one) has the attribute, or none of the values meets the conditions.
    fn explain_no_values(&mut self, v: &ValuesPlan, targets: &Rows) -> EmptyReason {
        if targets.is_empty() {
            return self.explain_empty(&v.target);
        }
        if !v.conditions.is_empty() {
            let all = self
                .finish(targets)
                .and_then(|rows| self.values(v, rows, &[]));
            match all {
                Ok(all) if !all.is_empty() => {
                    return EmptyReason::NoneMeetConditions {
                        question: v.label.clone(),
                        found: all.len(),
                        values: true,
                        conditions: condition_labels(&v.conditions),
                    };
                }
                Ok(_) => {}
                Err(e) => return EmptyReason::Unexplained { message: e.message },
            }
        }
        EmptyReason::NoValue {
            attribute: v.attribute,
            target: v.target.label(self.kg),
            entities: targets.len(),
        }
    }
}

/// Whether the graph's authors inferred the claim rather than read it in the source.
fn inferred(claim: &crate::graph::Claim) -> bool {
    claim.basis == Some(crate::model::Basis::Inferred)
}

/// `frequency is rare and section is x`.
fn condition_labels(conditions: &[PlanCondition]) -> String {
    conditions
        .iter()
        .map(|c| c.label.as_str())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// A selection's canonical text without its conditions (the text ends ` where a and b`, as
/// [`crate::query::ast::Selection`] prints it).
fn without_conditions(label: &str, conditions: &[PlanCondition]) -> String {
    label
        .strip_suffix(&format!(" where {}", condition_labels(conditions)))
        .unwrap_or(label)
        .to_owned()
}

fn reverse(d: Direction) -> Direction {
    match d {
        Direction::Forward => Direction::Inverse,
        Direction::Inverse => Direction::Forward,
    }
}

/// Set operations on sorted rows, merging reasons (capped as [`Rows::normalize`] does).
/// `named` are the reasons with no steps (named in the query, one of a kind): in an
/// intersection, an entity
/// that the other side puts in the answer through edges shows those edges, not its name.
fn combine(op: SetOp, l: Rows, r: Rows, witnesses: usize, named: [u32; 2]) -> Rows {
    match op {
        SetOp::Or => {
            let mut items = l.items;
            items.extend(r.items);
            Rows::normalize(items, witnesses)
        }
        SetOp::And => {
            // Both sides are sorted by entity: walk them together.
            let (mut i, mut j) = (0, 0);
            let mut items = Vec::new();
            while i < l.items.len() && j < r.items.len() {
                let (a, b) = (l.items[i].0, r.items[j].0);
                if a < b {
                    i += 1;
                } else if b < a {
                    j += 1;
                } else {
                    while i < l.items.len() && l.items[i].0 == a {
                        items.push(l.items[i]);
                        i += 1;
                    }
                    while j < r.items.len() && r.items[j].0 == a {
                        items.push(r.items[j]);
                        j += 1;
                    }
                }
            }
            let with_edges: HashSet<NodeIndex> = items
                .iter()
                .filter(|(_, w)| !named.contains(w))
                .map(|(n, _)| *n)
                .collect();
            items.retain(|(n, w)| !named.contains(w) || !with_edges.contains(n));
            Rows::normalize(items, witnesses)
        }
        SetOp::Except => {
            let right: HashSet<NodeIndex> = r.items.iter().map(|(n, _)| *n).collect();
            Rows {
                items: l
                    .items
                    .into_iter()
                    .filter(|(n, _)| !right.contains(n))
                    .collect(),
            }
        }
    }
}
