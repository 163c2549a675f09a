//! Evaluation of a typed [`Plan`]: set-at-a-time over the typed adjacency, deterministic, with
//! every row carrying the edges that put it in the answer.
//!
//! Semantics (see grammar/README.md): a phrase includes the relation types that refine its
//! relation (`treating` includes `relieving`); what is said of a class holds for its members,
//! on both ends of an edge (an edge `a -r-> c` also relates every `is_a` descendant of `a` to
//! every descendant of `c`), and such rows are marked inherited. The hierarchy relation itself
//! is read transitively. This module never sees query text.

use super::answer::{Answer, Body, PathStep, Row, Witness};
use super::ast::SetOp;
use super::error::{ErrorKind, QueryError};
use super::plan::{Plan, PlanFilter, ResolvedQuery};
use super::{MAX_PATH_HOPS, MAX_ROWS, MAX_WITNESSES, MAX_WORK};
use crate::graph::{Direction, KindId, KnowledgeGraph, RelId};
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

/// Rows under construction: entity -> witnesses, ordered by node index.
type Rows = BTreeMap<NodeIndex, Vec<Witness>>;

/// Evaluates a resolved query.
pub fn eval(kg: &KnowledgeGraph, query: &ResolvedQuery) -> Result<Answer, QueryError> {
    let mut ev = Evaluator::new(kg);
    let body = match query {
        ResolvedQuery::Set(plan) => {
            let rows = ev.plan(plan)?;
            let empty_reason = rows.is_empty().then(|| ev.explain_empty(plan));
            return Ok(Answer::new(Body::Rows(ev.finish(rows)), empty_reason));
        }
        ResolvedQuery::Count(plan) => {
            let rows = ev.plan(plan)?;
            let empty_reason = rows.is_empty().then(|| ev.explain_empty(plan));
            return Ok(Answer::new(Body::Count(rows.len()), empty_reason));
        }
        ResolvedQuery::Describe(node) => Body::Card(*node),
        ResolvedQuery::Path { from, to, limit } => {
            let paths = ev.k_shortest_paths(*from, *to, *limit)?;
            let empty_reason = paths.is_empty().then(|| {
                format!(
                    "no chain of at most {MAX_PATH_HOPS} relations connects `{}` and `{}`",
                    kg.entity(*from).name,
                    kg.entity(*to).name
                )
            });
            return Ok(Answer::new(Body::Paths(paths), empty_reason));
        }
    };
    Ok(Answer::new(body, None))
}

struct Evaluator<'a> {
    kg: &'a KnowledgeGraph,
    hierarchy: Option<RelId>,
    work: usize,
    /// Relation type -> itself and every relation type that refines it.
    widened: HashMap<RelId, Vec<RelId>>,
}

fn limit_error(message: String) -> QueryError {
    QueryError::new(ErrorKind::LimitExceeded, message, Default::default())
}

impl<'a> Evaluator<'a> {
    fn new(kg: &'a KnowledgeGraph) -> Self {
        Evaluator {
            kg,
            hierarchy: kg.schema().hierarchy,
            work: 0,
            widened: HashMap::new(),
        }
    }

    fn tick(&mut self, n: usize) -> Result<(), QueryError> {
        self.work += n;
        if self.work > MAX_WORK {
            return Err(limit_error(format!(
                "the query needs more than {MAX_WORK} steps to answer"
            ))
            .help("narrow it, for example with a more specific name or kind"));
        }
        Ok(())
    }

    fn widen(&mut self, rel: RelId) -> Vec<RelId> {
        let schema = self.kg.schema();
        self.widened
            .entry(rel)
            .or_insert_with(|| {
                (0..schema.relations.len())
                    .map(|i| RelId(i as u16))
                    .filter(|&r| schema.relation_is_within(r, rel))
                    .collect()
            })
            .clone()
    }

    /// `start` and every entity reachable through the hierarchy in `direction`, each with the
    /// hierarchy edges walked to reach it (in walking order).
    fn hierarchy_closure(
        &mut self,
        start: NodeIndex,
        direction: Direction,
    ) -> Result<Vec<(NodeIndex, Vec<EdgeIndex>)>, QueryError> {
        let mut out = vec![(start, Vec::new())];
        let Some(is_a) = self.hierarchy else {
            return Ok(out);
        };
        let mut seen: HashSet<NodeIndex> = HashSet::from([start]);
        let mut i = 0;
        while i < out.len() {
            let (node, path) = out[i].clone();
            let nbs = self.kg.neighbors(node, is_a, direction);
            self.tick(nbs.len() + 1)?;
            for nb in nbs {
                if seen.insert(nb.node) {
                    let mut p = path.clone();
                    p.push(nb.edge);
                    out.push((nb.node, p));
                }
            }
            i += 1;
        }
        Ok(out)
    }

    fn has_kind(&mut self, node: NodeIndex, kind: Option<KindId>) -> Result<bool, QueryError> {
        let Some(kind) = kind else { return Ok(true) };
        if self.kg.entity(node).kind == kind {
            return Ok(true);
        }
        // Members of a kind include the is_a descendants of its entities.
        let up = self.hierarchy_closure(node, Direction::Forward)?;
        Ok(up.iter().any(|(n, _)| self.kg.entity(*n).kind == kind))
    }

    fn plan(&mut self, plan: &Plan) -> Result<Rows, QueryError> {
        let rows = match plan {
            Plan::Entity(n) => Rows::from([(*n, vec![Witness::default()])]),
            Plan::Select { kind, filters, .. } => self.select(*kind, filters)?,
            Plan::Binary { op, lhs, rhs, .. } => {
                let l = self.plan(lhs)?;
                let r = self.plan(rhs)?;
                combine(*op, l, r)
            }
        };
        if rows.len() > MAX_ROWS {
            return Err(
                limit_error(format!("the answer has more than {MAX_ROWS} rows"))
                    .help("narrow the question with a phrase, as in `therapies treating fracture`"),
            );
        }
        Ok(rows)
    }

    fn select(&mut self, kind: Option<KindId>, filters: &[PlanFilter]) -> Result<Rows, QueryError> {
        if filters.is_empty() {
            return self.kind_members(kind);
        }
        let mut result: Option<Rows> = None;
        for f in filters {
            let rows = self.filter(f)?;
            result = Some(match result {
                None => rows,
                Some(acc) => combine(SetOp::And, acc, rows),
            });
            if result.as_ref().is_some_and(BTreeMap::is_empty) {
                break;
            }
        }
        let mut rows = result.unwrap_or_default();
        let candidates: Vec<NodeIndex> = rows.keys().copied().collect();
        for n in candidates {
            if !self.has_kind(n, kind)? {
                rows.remove(&n);
            }
        }
        Ok(rows)
    }

    fn kind_members(&mut self, kind: Option<KindId>) -> Result<Rows, QueryError> {
        let mut rows = Rows::new();
        let roots: Vec<NodeIndex> = match kind {
            None => self.kg.nodes().collect(),
            Some(k) => self.kg.nodes_of_kind(k).to_vec(),
        };
        if roots.len() > MAX_ROWS {
            return Err(
                limit_error(format!("the answer has more than {MAX_ROWS} rows"))
                    .help("narrow the question with a phrase, as in `therapies treating fracture`"),
            );
        }
        for root in roots {
            rows.entry(root).or_insert_with(|| vec![Witness::default()]);
            if kind.is_some() {
                for (member, path) in self
                    .hierarchy_closure(root, Direction::Inverse)?
                    .into_iter()
                    .skip(1)
                {
                    rows.entry(member).or_insert_with(|| {
                        vec![Witness {
                            steps: path.into_iter().rev().collect(),
                            inherited: true,
                        }]
                    });
                }
            }
        }
        Ok(rows)
    }

    fn filter(&mut self, f: &PlanFilter) -> Result<Rows, QueryError> {
        let targets = self.plan(&f.target)?;
        let mut rows = Rows::new();
        if Some(f.rel) == self.hierarchy {
            // `that are X` / `including X`: the hierarchy read transitively, X itself excluded.
            let walk = match f.direction {
                Direction::Forward => Direction::Inverse,
                Direction::Inverse => Direction::Forward,
            };
            for (t, t_why) in &targets {
                for (n, path) in self.hierarchy_closure(*t, walk)?.into_iter().skip(1) {
                    let steps = match f.direction {
                        Direction::Forward => path.into_iter().rev().collect(),
                        Direction::Inverse => path,
                    };
                    add_witness(&mut rows, n, chain(steps, false, t_why));
                }
            }
            return Ok(rows);
        }
        let rels = self.widen(f.rel);
        // Edges are stored source -> target. A forward phrase keeps sources whose target is
        // in the set; an inverse phrase keeps targets whose source is.
        let toward_target = match f.direction {
            Direction::Forward => Direction::Inverse,
            Direction::Inverse => Direction::Forward,
        };
        for (t, t_why) in &targets {
            // The target and its classes: what is said of a class holds for its members.
            for (class, up_path) in self.hierarchy_closure(*t, Direction::Forward)? {
                for &r in &rels {
                    let nbs = self.kg.neighbors(class, r, toward_target).to_vec();
                    self.tick(nbs.len() + 1)?;
                    for nb in nbs {
                        // The entity at the row end, and its members.
                        for (member, down_path) in
                            self.hierarchy_closure(nb.node, Direction::Inverse)?
                        {
                            // Reading order: the row's side first for a forward phrase
                            // (`x is a a; a prevents c; t is a c`), the target's side first
                            // for an inverse one (`t is a c; c has side effect b; x is a b`).
                            let row_side = down_path.iter().rev().copied();
                            let steps: Vec<EdgeIndex> = match f.direction {
                                Direction::Forward => row_side
                                    .chain([nb.edge])
                                    .chain(up_path.iter().copied())
                                    .collect(),
                                Direction::Inverse => up_path
                                    .iter()
                                    .copied()
                                    .chain([nb.edge])
                                    .chain(row_side)
                                    .collect(),
                            };
                            let inherited = !down_path.is_empty() || !up_path.is_empty();
                            add_witness(&mut rows, member, chain(steps, inherited, t_why));
                        }
                    }
                }
            }
        }
        Ok(rows)
    }

    /// Sorts rows by name and caps their witnesses.
    fn finish(&self, rows: Rows) -> Vec<Row> {
        let mut out: Vec<Row> = rows
            .into_iter()
            .map(|(node, mut why)| {
                why.sort_by(|a, b| {
                    (a.inherited, a.steps.len(), &a.steps).cmp(&(
                        b.inherited,
                        b.steps.len(),
                        &b.steps,
                    ))
                });
                why.dedup();
                why.truncate(MAX_WITNESSES);
                Row { node, why }
            })
            .collect();
        out.sort_by(|a, b| {
            let (ea, eb) = (self.kg.entity(a.node), self.kg.entity(b.node));
            (ea.name.to_lowercase(), &ea.id).cmp(&(eb.name.to_lowercase(), &eb.id))
        });
        out
    }

    /// Which step of an empty answer came up empty, and whether a name or the data is missing.
    fn explain_empty(&mut self, plan: &Plan) -> String {
        let kg = self.kg;
        match plan {
            Plan::Entity(n) => format!("`{}` is not in the answer", kg.entity(*n).name),
            Plan::Select {
                kind,
                filters,
                label,
            } => {
                if filters.is_empty() {
                    let word = kind.map_or("entities", |k| kg.schema().kind(k).plural.as_str());
                    return format!("the graph has no {word}");
                }
                let mut counts = Vec::new();
                for f in filters {
                    match self.plan(&f.target) {
                        Ok(t) if t.is_empty() => return self.explain_empty(&f.target),
                        Ok(_) => {}
                        Err(e) => return e.message,
                    }
                    let n = match self.filter(f) {
                        Ok(rows) => {
                            let mut kept = 0;
                            for node in rows.keys() {
                                if self.has_kind(*node, *kind).unwrap_or(false) {
                                    kept += 1;
                                }
                            }
                            kept
                        }
                        Err(e) => return e.message,
                    };
                    if n == 0 {
                        let rel = &kg.schema().relation(f.rel).id;
                        let target = f.target.label(kg);
                        return format!(
                            "nothing in the graph answers `{label}`: no `{rel}` edge (or a narrower one) links {} to `{target}`",
                            kind.map_or("anything".to_owned(), |k| format!(
                                "a {}",
                                kg.schema().kind(k).singular
                            )),
                        );
                    }
                    counts.push(format!("`{}` matches {n}", f.label));
                }
                format!(
                    "each part matches something, but nothing matches all of them: {}",
                    counts.join(", ")
                )
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
                    SetOp::And => format!(
                        "`{}` has {l} and `{}` has {r}, but none in common",
                        lhs.label(kg),
                        rhs.label(kg)
                    ),
                    SetOp::Except if l == 0 => self.explain_empty(lhs),
                    _ => format!(
                        "every entity of `{}` is also in `{}` ({label})",
                        lhs.label(kg),
                        rhs.label(kg)
                    ),
                }
            }
        }
    }

    /// Up to `k` shortest simple paths (Yen's algorithm), following edges either way; a step
    /// against an edge's direction costs more than one along it, so chains read forward first.
    fn k_shortest_paths(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        k: usize,
    ) -> Result<Vec<Vec<PathStep>>, QueryError> {
        if from == to {
            return Ok(Vec::new());
        }
        let mut found: Vec<(u32, Vec<PathStep>)> = Vec::new();
        let Some(first) =
            self.shortest_path(from, to, &HashSet::new(), &HashSet::new(), MAX_PATH_HOPS)?
        else {
            return Ok(Vec::new());
        };
        found.push(first);
        let mut candidates: BinaryHeap<Reverse<Candidate>> = BinaryHeap::new();
        let mut queued: HashSet<Vec<(usize, usize)>> = HashSet::new();
        while found.len() < k {
            let prev = found.last().expect("at least one path").1.clone();
            for i in 0..prev.len() {
                let spur = prev[i].from;
                let root = &prev[..i];
                let mut banned_edges = HashSet::new();
                for (_, p) in &found {
                    if p.len() > i && p[..i] == *root {
                        banned_edges.insert(p[i].edge);
                    }
                }
                let banned_nodes: HashSet<NodeIndex> = root.iter().map(|s| s.from).collect();
                let Some((_, spur_path)) =
                    self.shortest_path(spur, to, &banned_nodes, &banned_edges, MAX_PATH_HOPS - i)?
                else {
                    continue;
                };
                let mut total: Vec<PathStep> = root.to_vec();
                total.extend(spur_path);
                let key: Vec<(usize, usize)> = total
                    .iter()
                    .map(|s| (s.edge.index(), s.forward as usize))
                    .collect();
                if queued.insert(key.clone()) {
                    candidates.push(Reverse((path_cost(&total), key, total)));
                }
            }
            match candidates.pop() {
                Some(Reverse((cost, _, path))) => found.push((cost, path)),
                None => break,
            }
        }
        Ok(found.into_iter().map(|(_, p)| p).collect())
    }

    fn shortest_path(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_edges: &HashSet<EdgeIndex>,
        max_hops: usize,
    ) -> Result<Option<(u32, Vec<PathStep>)>, QueryError> {
        let mut best: HashMap<NodeIndex, (u32, usize)> = HashMap::from([(from, (0, 0))]);
        let mut back: HashMap<NodeIndex, PathStep> = HashMap::new();
        let mut heap = BinaryHeap::from([Reverse((0u32, 0usize, from.index()))]);
        while let Some(Reverse((cost, hops, n))) = heap.pop() {
            let node = NodeIndex::new(n);
            if node == to {
                let mut steps = Vec::new();
                let mut at = to;
                while at != from {
                    let s = back[&at];
                    steps.push(s);
                    at = s.from;
                }
                steps.reverse();
                return Ok(Some((cost, steps)));
            }
            if best.get(&node).is_some_and(|&(c, h)| (c, h) < (cost, hops)) || hops >= max_hops {
                continue;
            }
            for (direction, step_cost) in [
                (Direction::Forward, FORWARD_COST),
                (Direction::Inverse, INVERSE_COST),
            ] {
                let nbs = self.kg.all_neighbors(node, direction);
                self.tick(nbs.len() + 1)?;
                for nb in nbs {
                    if banned_edges.contains(&nb.edge)
                        || banned_nodes.contains(&nb.node)
                        || nb.node == from
                    {
                        continue;
                    }
                    let next = (cost + step_cost, hops + 1);
                    if best.get(&nb.node).is_none_or(|&b| next < b) {
                        best.insert(nb.node, next);
                        back.insert(
                            nb.node,
                            PathStep {
                                from: node,
                                to: nb.node,
                                edge: nb.edge,
                                forward: direction == Direction::Forward,
                            },
                        );
                        heap.push(Reverse((next.0, next.1, nb.node.index())));
                    }
                }
            }
        }
        Ok(None)
    }
}

/// A path waiting in Yen's candidate heap: cost, a key that identifies it, the steps.
type Candidate = (u32, Vec<(usize, usize)>, Vec<PathStep>);

/// Cost of following an edge along its direction.
const FORWARD_COST: u32 = 2;
/// Cost of following an edge against its direction.
const INVERSE_COST: u32 = 3;

fn path_cost(path: &[PathStep]) -> u32 {
    path.iter()
        .map(|s| {
            if s.forward {
                FORWARD_COST
            } else {
                INVERSE_COST
            }
        })
        .sum()
}

/// A witness made of `steps`, followed by the first witness of the target it leads to.
fn chain(mut steps: Vec<EdgeIndex>, inherited: bool, target_why: &[Witness]) -> Witness {
    let mut inherited = inherited;
    if let Some(t) = target_why.first() {
        steps.extend(t.steps.iter().copied());
        inherited |= t.inherited;
    }
    Witness { steps, inherited }
}

fn add_witness(rows: &mut Rows, node: NodeIndex, w: Witness) {
    let list = rows.entry(node).or_default();
    if list.len() < MAX_WITNESSES * 4 && !list.contains(&w) {
        list.push(w);
    }
}

fn combine(op: SetOp, mut l: Rows, r: Rows) -> Rows {
    match op {
        SetOp::Or => {
            for (n, why) in r {
                let list = l.entry(n).or_default();
                for w in why {
                    if !list.contains(&w) {
                        list.push(w);
                    }
                }
            }
            l
        }
        SetOp::And => {
            let mut out = Rows::new();
            for (n, mut why) in l {
                if let Some(more) = r.get(&n) {
                    for w in more {
                        if !why.contains(w) {
                            why.push(w.clone());
                        }
                    }
                    out.insert(n, why);
                }
            }
            out
        }
        SetOp::Except => {
            l.retain(|n, _| !r.contains_key(n));
            l
        }
    }
}
