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
    /// that reads most edges forward. A bidirectional breadth-first search: each side grows
    /// its smaller frontier one whole layer at a time, keeping per entity the cheapest way in
    /// at its depth, until the two sides meet.
    fn shortest_path(
        &mut self,
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_edges: &HashSet<EdgeIndex>,
        max_hops: usize,
    ) -> Result<Option<(u32, Vec<PathStep>)>, QueryError> {
        if from == to || max_hops == 0 {
            return Ok(None);
        }
        let n = self.kg.entity_count();
        // Scratch arrays are kept per thread and reused: a search touches only what it visits.
        let mut sides = SCRATCH.with(|s| s.take()).unwrap_or_default();
        sides[0].reset(n, from);
        sides[1].reset(n, to);
        let result = self.bidirectional(&mut sides, from, to, banned_nodes, banned_edges, max_hops);
        SCRATCH.with(|s| s.set(Some(sides)));
        result
    }

    fn bidirectional(
        &mut self,
        sides: &mut [Side; 2],
        from: NodeIndex,
        to: NodeIndex,
        banned_nodes: &HashSet<NodeIndex>,
        banned_edges: &HashSet<EdgeIndex>,
        max_hops: usize,
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
            let mut next = Vec::new();
            // Where the sides meet, found while expanding: (steps, cost, entity).
            let mut meet: Option<(usize, u32, usize)> = None;
            for &v in &frontier {
                let base = mine.slots[v.index()].cost;
                for stored in [Direction::Forward, Direction::Inverse] {
                    let nbs = self.kg.all_neighbors(v, stored);
                    self.tick(nbs.len() + 1)?;
                    for nb in nbs {
                        if (!banned_edges.is_empty() && banned_edges.contains(&nb.edge))
                            || (!banned_nodes.is_empty() && banned_nodes.contains(&nb.node))
                        {
                            continue;
                        }
                        // Is this step read along the edge, in the path's own direction?
                        // From the start side an out-edge is; from the end side an in-edge is.
                        let along = (s == 0) == (stored == Direction::Forward);
                        let cost = base + if along { FORWARD_COST } else { INVERSE_COST };
                        let w = nb.node.index();
                        let seen = mine.dist(w);
                        if seen == UNSEEN {
                            next.push(nb.node);
                        } else if seen != depth || cost >= mine.slots[w].cost {
                            continue;
                        }
                        mine.slots[w] = Slot {
                            stamp: mine.round,
                            depth,
                            along,
                            cost,
                            edge: nb.edge,
                            prev: v,
                        };
                        let there = theirs.dist(w);
                        if there != UNSEEN {
                            let found = (
                                usize::from(depth) + usize::from(there),
                                cost + theirs.slots[w].cost,
                                w,
                            );
                            if meet.is_none_or(|m| found < m) {
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
        }
        Ok(None)
    }
}

/// Depth of an entity a search side has not reached.
const UNSEEN: u8 = u8::MAX;

thread_local! {
    static SCRATCH: std::cell::Cell<Option<[Side; 2]>> = const { std::cell::Cell::new(None) };
}

/// One side of a bidirectional search: for each entity, the depth, cost and step that
/// reached it, in one slot so a visit touches one cache line. A slot is valid only if its
/// stamp is the current round, so nothing is cleared between searches.
#[derive(Default)]
struct Side {
    slots: Vec<Slot>,
    round: u32,
    frontier: Vec<NodeIndex>,
}

#[derive(Clone, Copy)]
struct Slot {
    stamp: u32,
    depth: u8,
    /// Whether the step into this entity reads its edge forward.
    along: bool,
    cost: u32,
    edge: EdgeIndex,
    prev: NodeIndex,
}

impl Default for Slot {
    fn default() -> Self {
        Slot {
            stamp: 0,
            depth: 0,
            along: false,
            cost: 0,
            edge: EdgeIndex::end(),
            prev: NodeIndex::end(),
        }
    }
}

impl Side {
    fn reset(&mut self, n: usize, start: NodeIndex) {
        if self.slots.len() < n {
            self.slots.resize(n, Slot::default());
        }
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.slots.iter_mut().for_each(|s| s.stamp = 0);
            self.round = 1;
        }
        self.frontier.clear();
        self.frontier.push(start);
        self.slots[start.index()] = Slot {
            stamp: self.round,
            ..Slot::default()
        };
    }

    fn dist(&self, i: usize) -> u8 {
        let slot = &self.slots[i];
        if slot.stamp == self.round {
            slot.depth
        } else {
            UNSEEN
        }
    }
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
