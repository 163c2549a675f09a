//! What makes a graph file questionable rather than unusable: `is_a` loops (an error), and
//! the lints: isolated entities, unmarked conflicts of single-valued relations and
//! attributes, incomplete conflicts, and the inheritance lints of [`crate::inheritance`].

use super::spans::Step;
use super::{MAX_CHAIN_SHOWN, Validator, elide_list};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::graph::*;
use petgraph::graph::NodeIndex;
use std::collections::{BTreeMap, HashSet};

impl Validator<'_> {
    /// `is_a` must be acyclic: members inherit from classes, and a loop would never end.
    pub(super) fn hierarchy_cycles(&mut self, kg: &KnowledgeGraph) {
        let Some(is_a) = kg.schema.hierarchy else {
            return;
        };
        // Iterative three-colour DFS over is_a edges only; a node's place on the stack is
        // kept, so a loop is found and named in time linear in the hierarchy.
        let n = kg.graph.node_count();
        let mut colour = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        let mut stack_at = vec![u32::MAX; n];
        for start in kg.graph.node_indices() {
            if colour[start.index()] != 0 {
                continue;
            }
            let mut stack: Vec<(NodeIndex, usize)> = vec![(start, 0)];
            colour[start.index()] = 1;
            stack_at[start.index()] = 0;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let nbs = kg.neighbors(node, is_a, Direction::Forward);
                if let Some(nb) = nbs.get(*next) {
                    *next += 1;
                    match colour[nb.node.index()] {
                        0 => {
                            colour[nb.node.index()] = 1;
                            stack_at[nb.node.index()] = stack.len() as u32;
                            stack.push((nb.node, 0));
                        }
                        1 => {
                            if !self.has_room(Severity::Error, Code::Cycle) {
                                // Counted for the closing summary, not spelt out.
                                *self
                                    .found
                                    .entry((Severity::Error, Code::Cycle))
                                    .or_default() += 1;
                                continue;
                            }
                            let from = stack_at[nb.node.index()] as usize;
                            let members = &stack[from..];
                            let chain = elide_list(members.len(), MAX_CHAIN_SHOWN, " -> ", |k| {
                                kg.graph[members[k].0].id.as_str()
                            });
                            let loc = self.loc(path![
                                "relations",
                                kg.graph[nb.edge].claim.file_index as usize
                            ]);
                            self.push(
                                Diagnostic::error(
                                    Code::Cycle,
                                    format!(
                                        "`{}` edges form a loop: {chain} -> {}",
                                        kg.schema.relation(is_a).id,
                                        kg.graph[nb.node].id
                                    ),
                                )
                                .at(loc)
                                .hint("a class cannot be a member of itself; remove one of these edges"),
                            );
                        }
                        _ => {}
                    }
                } else {
                    colour[node.index()] = 2;
                    stack.pop();
                }
            }
        }
    }

    pub(super) fn lints(&mut self, kg: &KnowledgeGraph) {
        for f in crate::inheritance::lints(kg) {
            self.warn(
                f.code,
                path!["relations", f.relation_index as usize],
                f.message,
                Some(f.hint),
            );
        }
        // Entities with no edges at all.
        for node in kg.graph.node_indices() {
            if kg.out_adj.all(node).is_empty() && kg.in_adj.all(node).is_empty() {
                let e = &kg.graph[node];
                self.push(
                    Diagnostic::warning(Code::Isolated, format!("entity `{}` has no edges", e.id))
                        .at(self.warn_loc(path!["entities", node.index(), "id"]))
                        .hint("connect it to the rest of the graph or remove it"),
                );
            }
        }
        // Single-valued relations with differing targets.
        for node in kg.graph.node_indices() {
            for (r, rt) in kg.schema.relations.iter().enumerate() {
                if !rt.single_valued {
                    continue;
                }
                let nbs = kg.neighbors(node, RelId(r as u16), Direction::Forward);
                let distinct: BTreeMap<NodeIndex, _> =
                    nbs.iter().map(|nb| (nb.node, nb.edge)).collect();
                if distinct.len() > 1
                    && nbs
                        .iter()
                        .any(|nb| kg.graph[nb.edge].claim.conflict.is_none())
                {
                    let names: Vec<String> = distinct
                        .keys()
                        .map(|n| format!("`{}`", kg.graph[*n].id))
                        .collect();
                    let loc = self.warn_loc(path![
                        "relations",
                        kg.graph[nbs[0].edge].claim.file_index as usize
                    ]);
                    self.push(
                        Diagnostic::warning(
                            Code::UnmarkedConflict,
                            format!("`{}` has several `{}` values ({}) not marked as a conflict", kg.graph[node].id, rt.id, names.join(", ")),
                        )
                        .at(loc)
                        .hint("if the source really says both, add a `conflicts` entry and tag each claim with `conflict:`"),
                    );
                }
            }
        }
        // Single-valued attributes with differing values.
        for node in kg.graph.node_indices() {
            let e = &kg.graph[node];
            for (k, key) in kg.schema.attributes.iter().enumerate() {
                if !key.single_valued {
                    continue;
                }
                let values: Vec<&Attribute> = e
                    .attributes
                    .iter()
                    .filter(|a| usize::from(a.key) == k)
                    .collect();
                let distinct: HashSet<&str> = values.iter().map(|a| a.value.as_str()).collect();
                if distinct.len() > 1 && values.iter().any(|a| a.claim.conflict.is_none()) {
                    self.push(
                        Diagnostic::warning(
                            Code::UnmarkedConflict,
                            format!("`{}` has several `{}` values not marked as a conflict", e.id, key.id),
                        )
                        .at(self.warn_loc(path!["entities", node.index(), "attributes", values[0].claim.file_index as usize]))
                        .hint("if the source really says both, add a `conflicts` entry and tag each claim with `conflict:`"),
                    );
                }
            }
        }
        // Marked conflicts: report each with its claims; a conflict needs at least two.
        for (c, conflict) in kg.conflicts.iter().enumerate() {
            let claims = conflict_claims(kg, ConflictId(c as u16));
            let path = path!["conflicts", c, "id"];
            let needed = if conflict.kind.needs_two_claims() {
                2
            } else {
                1
            };
            if claims.len() < needed {
                self.warn(
                    Code::IncompleteConflict,
                    path,
                    format!(
                        "conflict `{}` ({}) has {} claim{}; it needs at least {}",
                        conflict.id,
                        conflict.kind.as_str(),
                        claims.len(),
                        if claims.len() == 1 { "" } else { "s" },
                        if needed == 1 { "one" } else { "two" }
                    ),
                    Some(
                        "tag every claim involved with `conflict:`, or remove the entry".to_owned(),
                    ),
                );
            } else {
                let listed: Vec<String> = claims.iter().map(|c| c.describe(kg)).collect();
                self.warn(
                    Code::Conflict,
                    path,
                    format!(
                        "conflict `{}` ({}): {}",
                        conflict.id,
                        conflict.kind.as_str(),
                        listed.join("; ")
                    ),
                    Some(conflict.note.clone()),
                );
            }
        }
    }
}
