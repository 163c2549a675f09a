//! Path search: the shortest chains of relations between two entities, read either way, and
//! the next shortest (Yen's algorithm), within the query's hop limit and work budget.

use super::Evaluator;
use crate::graph::Direction;
use crate::query::answer::PathStep;
use crate::query::error::QueryError;
use petgraph::graph::{EdgeIndex, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

impl Evaluator<'_> {
    /// Up to `k` shortest simple paths (Yen's algorithm), following edges either way: fewest
    /// steps first, and among equally short paths the one that reads most edges forward.
    pub(super) fn k_shortest_paths(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        k: usize,
    ) -> Result<Vec<Vec<PathStep>>, QueryError> {
        if from == to {
            return Ok(Vec::new());
        }
        let mut found: Vec<(u32, Vec<PathStep>)> = Vec::new();
        let Some(first) = self.shortest_path(
            from,
            to,
            &HashSet::new(),
            &HashSet::new(),
            self.limits.path_hops,
            true,
        )?
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
                let Some((_, spur_path)) = self.shortest_path(
                    spur,
                    to,
                    &banned_nodes,
                    &banned_edges,
                    self.limits.path_hops.saturating_sub(i),
                    true,
                )?
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
                    candidates.push(Reverse((total.len(), path_cost(&total), key, total)));
                }
            }
            match candidates.pop() {
                Some(Reverse((_, cost, _, path))) => found.push((cost, path)),
                None => break,
            }
        }
        Ok(found.into_iter().map(|(_, p)| p).collect())
    }

    /// The shortest path from `from` to `to` in steps (at most `max_hops`), following edges
    /// either way and avoiding the banned nodes and edges; among equally short paths, the one
    /// that reads most edges forward (the lowest cost), then the one through the meeting
    /// entity with the lowest index. A bidirectional breadth-first search: each side grows
    /// its smaller frontier one whole layer at a time, keeping per entity the cheapest way in
    /// at its depth (the first found, among equally cheap ways), until the two sides meet.
    ///
    /// The layer where the sides first meet is the last one, and every meeting in it has the
    /// same number of steps: an entity the other side reached before its last layer would
    /// have met this side a layer earlier. So once a meeting is found, the rest of the layer
    /// can only offer a cheaper one or an equally cheap one through a lower index. No step
    /// costs less than [`FORWARD_COST`] and no entity of the other side's last layer less than
    /// its cheapest, so the search skips the frontier entities (and the edge lists) that
    /// cannot reach that, stops when none is left that can, and stops recording what only a
    /// next layer would need. With `stop_early` false it expands the whole meeting layer (the
    /// reference the tests compare with); the answer is the same.
    fn shortest_path(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_edges: &HashSet<EdgeIndex>,
        max_hops: usize,
        stop_early: bool,
    ) -> Result<Option<(u32, Vec<PathStep>)>, QueryError> {
        if from == to || max_hops == 0 {
            return Ok(None);
        }
        let n = self.kg.entity_count();
        // Scratch arrays are kept per thread and reused: a search touches only what it visits.
        let mut sides = SCRATCH.with(|s| s.take()).unwrap_or_default();
        sides[0].reset(n, from);
        sides[1].reset(n, to);
        let result = self.bidirectional(
            &mut sides,
            from,
            to,
            (banned_nodes, banned_edges),
            max_hops,
            stop_early,
        );
        SCRATCH.with(|s| s.set(Some(sides)));
        result
    }

    fn bidirectional(
        &mut self,
        sides: &mut [Side; 2],
        from: NodeIndex,
        to: NodeIndex,
        (banned_nodes, banned_edges): (&HashSet<NodeIndex>, &HashSet<EdgeIndex>),
        max_hops: usize,
        stop_early: bool,
    ) -> Result<Option<(u32, Vec<PathStep>)>, QueryError> {
        let (mut depth_f, mut depth_b) = (0usize, 0usize);
        while depth_f + depth_b < max_hops {
            let s = if sides[0].frontier.len() <= sides[1].frontier.len() {
                0
            } else {
                1
            };
            if sides[s].frontier.is_empty() {
                return Ok(None);
            }
            let frontier = std::mem::take(&mut sides[s].frontier);
            let depth = if s == 0 { depth_f } else { depth_b } as u8 + 1;
            let (mine, theirs) = match sides.split_at_mut(1) {
                (a, b) if s == 0 => (&mut a[0], &b[0]),
                (a, b) => (&mut b[0], &a[0]),
            };
            // The cheapest way into an entity of the other side's last layer: every meeting
            // entity is in that layer (see [`Evaluator::shortest_path`]), so no meeting costs
            // less than a step from this side plus this.
            let their_min = theirs.min_cost();
            // The costs of the frontier entities not expanded yet, to bound what they can add.
            let mut remaining = mine.costs.clone();
            let mut lowest = 0usize;
            let mut next = Vec::new();
            let mut next_costs: Vec<u32> = Vec::new();
            // Where the sides meet, found while expanding: (steps, cost, entity).
            let mut meet: Option<(usize, u32, usize)> = None;
            for &v in &frontier {
                let base = mine.slots[v.index()].cost;
                remaining[base as usize] -= 1;
                if let Some((_, best, _)) = meet.filter(|_| stop_early) {
                    // Once the sides have met, this is the last layer: an entity of the
                    // frontier matters only if a step from it could still meet the other side
                    // at no more than the best cost (a tie can still win on a lower id).
                    if base + FORWARD_COST + their_min > best {
                        while lowest < remaining.len() && remaining[lowest] == 0 {
                            lowest += 1;
                        }
                        if lowest as u32 + FORWARD_COST + their_min > best {
                            break;
                        }
                        continue;
                    }
                }
                for stored in [Direction::Forward, Direction::Inverse] {
                    // Is a step read along the edge, in the path's own direction?
                    // From the start side an out-edge is; from the end side an in-edge is.
                    let along = (s == 0) == (stored == Direction::Forward);
                    let step = if along { FORWARD_COST } else { INVERSE_COST };
                    let cost = base + step;
                    if stop_early && meet.is_some_and(|(_, best, _)| cost + their_min > best) {
                        continue;
                    }
                    let nbs = self.kg.all_neighbors(v, stored);
                    self.tick(nbs.len() + 1)?;
                    for nb in nbs {
                        if (!banned_edges.is_empty() && banned_edges.contains(&nb.edge))
                            || (!banned_nodes.is_empty() && banned_nodes.contains(&nb.node))
                        {
                            continue;
                        }
                        let w = nb.node.index();
                        if let Some((_, best, best_w)) = meet.filter(|_| stop_early) {
                            // The last layer: only a meeting that beats the best matters, and
                            // nothing needs recording for the next layer.
                            if cost + their_min > best || (cost + their_min == best && w > best_w) {
                                continue;
                            }
                            let there = theirs.dist(w);
                            if there == UNSEEN || (cost + theirs.slots[w].cost, w) >= (best, best_w)
                            {
                                continue;
                            }
                        }
                        let seen = mine.dist(w);
                        if seen == UNSEEN {
                            if meet.is_none() || !stop_early {
                                next.push(nb.node);
                                bump(&mut next_costs, cost, 1);
                            }
                        } else if seen != depth || cost >= mine.slots[w].cost {
                            continue;
                        } else if meet.is_none() || !stop_early {
                            bump(&mut next_costs, mine.slots[w].cost, -1);
                            bump(&mut next_costs, cost, 1);
                        }
                        mine.set(
                            w,
                            depth,
                            Slot {
                                along,
                                cost,
                                edge: nb.edge,
                                prev: v,
                            },
                        );
                        let there = theirs.dist(w);
                        if there != UNSEEN {
                            let found = (
                                usize::from(depth) + usize::from(there),
                                cost + theirs.slots[w].cost,
                                w,
                            );
                            if meet.is_none_or(|m| found < m) {
                                debug_assert!(meet.is_none_or(|m| m.0 == found.0));
                                meet = Some(found);
                            }
                        }
                    }
                }
            }
            if s == 0 {
                depth_f += 1;
            } else {
                depth_b += 1;
            }
            // The fewest steps, then the lowest cost, then the lowest id.
            if let Some((_, cost, w)) = meet {
                return Ok(Some((cost, stitch(sides, from, to, NodeIndex::new(w)))));
            }
            sides[s].frontier = next;
            sides[s].costs = next_costs;
        }
        Ok(None)
    }
}

/// Depth of an entity a search side has not reached.
const UNSEEN: u8 = u8::MAX;

thread_local! {
    static SCRATCH: std::cell::Cell<Option<[Side; 2]>> = const { std::cell::Cell::new(None) };
}

/// One side of a bidirectional search: for each entity, a mark (the round and the depth that
/// reached it, one `u32`, so the test "seen?" touches 4 bytes per entity as a plain visited
/// array would) and a slot with the cost and the step that reached it, read only for what the
/// search keeps. A mark is valid only if its round is the current one, so nothing is cleared
/// between searches.
#[derive(Default)]
struct Side {
    marks: Vec<u32>,
    slots: Vec<Slot>,
    /// The current round, below 2^24 (it shares a mark with the depth).
    round: u32,
    frontier: Vec<NodeIndex>,
    /// How many entities of the frontier have each cost (`costs[c]`: those at cost `c`).
    costs: Vec<u32>,
}

#[derive(Clone, Copy)]
struct Slot {
    /// Whether the step into this entity reads its edge forward.
    along: bool,
    cost: u32,
    edge: EdgeIndex,
    prev: NodeIndex,
}

impl Default for Slot {
    fn default() -> Self {
        Slot {
            along: false,
            cost: 0,
            edge: EdgeIndex::end(),
            prev: NodeIndex::end(),
        }
    }
}

/// Rounds run from 1 to this, then the marks are cleared and they start again.
const LAST_ROUND: u32 = (1 << 24) - 1;

impl Side {
    fn reset(&mut self, n: usize, start: NodeIndex) {
        if self.slots.len() < n {
            self.slots.resize(n, Slot::default());
            self.marks.resize(n, 0);
        }
        self.round += 1;
        if self.round > LAST_ROUND {
            self.marks.iter_mut().for_each(|m| *m = 0);
            self.round = 1;
        }
        self.frontier.clear();
        self.frontier.push(start);
        self.costs.clear();
        self.costs.push(1);
        self.set(start.index(), 0, Slot::default());
    }

    /// Records that the search reached entity `i` at `depth`, by `slot`.
    fn set(&mut self, i: usize, depth: u8, slot: Slot) {
        self.marks[i] = (self.round << 8) | u32::from(depth);
        self.slots[i] = slot;
    }

    /// The lowest cost of an entity of the frontier (0 if it is empty: still a lower bound).
    fn min_cost(&self) -> u32 {
        self.costs.iter().position(|&n| n > 0).unwrap_or(0) as u32
    }

    fn dist(&self, i: usize) -> u8 {
        let mark = self.marks[i];
        if mark >> 8 == self.round {
            mark as u8
        } else {
            UNSEEN
        }
    }
}

/// Adds `by` to the count of frontier entities at `cost`.
fn bump(costs: &mut Vec<u32>, cost: u32, by: i32) {
    let c = cost as usize;
    if costs.len() <= c {
        costs.resize(c + 1, 0);
    }
    costs[c] = costs[c].wrapping_add_signed(by);
}

/// The path through the meeting entity `w`: the start side's steps to it, then the end
/// side's steps from it.
fn stitch(sides: &[Side; 2], from: NodeIndex, to: NodeIndex, w: NodeIndex) -> Vec<PathStep> {
    let mut head = Vec::new();
    let mut at = w;
    while at != from {
        let slot = sides[0].slots[at.index()];
        head.push(PathStep {
            from: slot.prev,
            to: at,
            edge: slot.edge,
            forward: slot.along,
        });
        at = slot.prev;
    }
    head.reverse();
    let mut at = w;
    while at != to {
        let slot = sides[1].slots[at.index()];
        head.push(PathStep {
            from: at,
            to: slot.prev,
            edge: slot.edge,
            forward: slot.along,
        });
        at = slot.prev;
    }
    head
}

/// A path waiting in Yen's candidate heap: steps, cost, a key that identifies it, the steps.
type Candidate = (usize, u32, Vec<(usize, usize)>, Vec<PathStep>);

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::Limits;
    use proptest::prelude::*;

    /// A graph of `n` entities and the given edges (`a -> b`, of two relation types).
    fn graph(n: usize, edges: &[(usize, usize, bool)]) -> crate::KnowledgeGraph {
        let mut b = crate::GraphBuilder::new("random")
            .kind("node", "node", "nodes")
            .relation("r", &["node"], &["node"], &["r-ing"], &["r-ed by"])
            .relation("s", &["node"], &["node"], &["s-ing"], &["s-ed by"])
            .source("src", "src");
        for i in 0..n {
            b = b.entity(&format!("n{i}"), "node", &format!("n{i}"));
        }
        for &(x, y, s) in edges {
            b = b.edge(
                &format!("n{x}"),
                if s { "s" } else { "r" },
                &format!("n{y}"),
                "src",
            );
        }
        b.build().unwrap()
    }

    /// The fewest steps and then the lowest cost of any simple path within `max_hops`,
    /// avoiding the banned entities and edges, by trying every one.
    fn exhaustive(
        kg: &crate::KnowledgeGraph,
        from: NodeIndex,
        to: NodeIndex,
        banned: (&HashSet<NodeIndex>, &HashSet<EdgeIndex>),
        max_hops: usize,
    ) -> Option<(usize, u32)> {
        #[allow(clippy::too_many_arguments)]
        fn walk(
            kg: &crate::KnowledgeGraph,
            at: NodeIndex,
            to: NodeIndex,
            banned: (&HashSet<NodeIndex>, &HashSet<EdgeIndex>),
            left: usize,
            on: &mut Vec<NodeIndex>,
            sofar: (usize, u32),
            best: &mut Option<(usize, u32)>,
        ) {
            if at == to {
                if best.is_none_or(|b| sofar < b) {
                    *best = Some(sofar);
                }
                return;
            }
            if left == 0 {
                return;
            }
            for (dir, cost) in [
                (Direction::Forward, FORWARD_COST),
                (Direction::Inverse, INVERSE_COST),
            ] {
                for nb in kg.all_neighbors(at, dir) {
                    if on.contains(&nb.node)
                        || banned.0.contains(&nb.node)
                        || banned.1.contains(&nb.edge)
                    {
                        continue;
                    }
                    on.push(nb.node);
                    walk(
                        kg,
                        nb.node,
                        to,
                        banned,
                        left - 1,
                        on,
                        (sofar.0 + 1, sofar.1 + cost),
                        best,
                    );
                    on.pop();
                }
            }
        }
        let mut best = None;
        walk(
            kg,
            from,
            to,
            banned,
            max_hops,
            &mut vec![from],
            (0, 0),
            &mut best,
        );
        best.filter(|b| b.0 > 0)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Stopping early finds exactly the path the whole meeting layer gives (steps, edges,
        /// directions, the same tie broken the same way), and that path is one with the
        /// fewest steps and then the lowest cost of all, as trying every path shows.
        #[test]
        fn stopping_early_gives_the_path_of_the_whole_search(
            n in 2usize..14,
            edges in prop::collection::vec((0usize..14, 0usize..14, any::<bool>()), 0..40),
            ends in (0usize..14, 0usize..14),
            banned_nodes in prop::collection::vec(0usize..14, 0..3),
            banned_edges in prop::collection::vec(0usize..40, 0..3),
            max_hops in 1usize..7,
        ) {
            let edges: Vec<_> = edges.into_iter().filter(|&(a, b, _)| a < n && b < n && a != b).collect();
            let kg = graph(n, &edges);
            let (from, to) = (NodeIndex::new(ends.0 % n), NodeIndex::new(ends.1 % n));
            let banned_nodes: HashSet<NodeIndex> = banned_nodes
                .into_iter()
                .map(|i| NodeIndex::new(i % n))
                .filter(|&x| x != from && x != to)
                .collect();
            let banned_edges: HashSet<EdgeIndex> = banned_edges
                .into_iter()
                .filter(|&i| i < kg.edge_count())
                .map(EdgeIndex::new)
                .collect();
            let limits = Limits::DEFAULT;
            let mut ev = Evaluator::new(&kg, &limits, None);
            let fast = ev.shortest_path(from, to, &banned_nodes, &banned_edges, max_hops, true).unwrap();
            let whole = ev.shortest_path(from, to, &banned_nodes, &banned_edges, max_hops, false).unwrap();
            prop_assert_eq!(&fast, &whole);
            let best = exhaustive(&kg, from, to, (&banned_nodes, &banned_edges), max_hops);
            prop_assert_eq!(fast.as_ref().map(|(c, p)| (p.len(), *c)), best);
            if let Some((cost, path)) = &fast {
                prop_assert_eq!(*cost, path_cost(path));
                prop_assert_eq!(path[0].from, from);
                prop_assert_eq!(path.last().unwrap().to, to);
                for (i, s) in path.iter().enumerate() {
                    let (x, _, y) = kg.edge(s.edge);
                    prop_assert_eq!(if s.forward { (s.from, s.to) } else { (s.to, s.from) }, (x, y));
                    prop_assert!(!banned_edges.contains(&s.edge) && !banned_nodes.contains(&s.to));
                    if i > 0 {
                        prop_assert_eq!(path[i - 1].to, s.from);
                    }
                }
            }
        }
    }
}
