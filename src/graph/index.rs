//! The index from entity ids to entities. It keeps no copy of the ids: it is a hash table of
//! entity numbers, hashed and compared through the entities' own ids. At a million entities
//! that is about 5 MB instead of the 70 MB a map keyed by copied strings takes, and a snapshot
//! rebuilds it from the entities without allocating a single string.

use super::{Edge, Entity};
use hashbrown::HashTable;
use petgraph::graph::{DiGraph, NodeIndex};
use std::hash::{BuildHasher, RandomState};

/// Entity id -> entity, for the entities of one graph (see the module docs).
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    table: HashTable<u32>,
    /// Keyed per process (SipHash), so that ids chosen to collide cannot slow a load down.
    hasher: RandomState,
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdIndex({} ids)", self.table.len())
    }
}

type Graph = DiGraph<Entity, Edge, u32>;

fn id_of(graph: &Graph, n: u32) -> &str {
    &graph[NodeIndex::new(n as usize)].id
}

impl IdIndex {
    /// An empty index with room for `n` ids.
    pub(crate) fn with_capacity(n: usize) -> Self {
        IdIndex {
            table: HashTable::with_capacity(n),
            hasher: RandomState::new(),
        }
    }

    /// Every entity of `graph` (the first, where two share an id).
    pub(crate) fn of(graph: &Graph) -> Self {
        let mut index = IdIndex::with_capacity(graph.node_count());
        for node in graph.node_indices() {
            index.insert(graph, node);
        }
        index
    }

    /// Adds `node` (already in `graph`) under its id, unless an entity with that id is in the
    /// index already: then that entity, and the index is unchanged.
    pub(crate) fn insert(&mut self, graph: &Graph, node: NodeIndex) -> Option<NodeIndex> {
        let id = &graph[node].id;
        let hash = self.hasher.hash_one(id.as_str());
        let hasher = &self.hasher;
        match self.table.entry(
            hash,
            |&n| id_of(graph, n) == id,
            |&n| hasher.hash_one(id_of(graph, n)),
        ) {
            hashbrown::hash_table::Entry::Occupied(first) => {
                Some(NodeIndex::new(*first.get() as usize))
            }
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(node.index() as u32);
                None
            }
        }
    }

    /// The entity of `graph` whose id is `id`.
    pub(crate) fn get(&self, graph: &Graph, id: &str) -> Option<NodeIndex> {
        self.table
            .find(self.hasher.hash_one(id), |&n| id_of(graph, n) == id)
            .map(|&n| NodeIndex::new(n as usize))
    }

    /// How many ids it holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::KindId;

    fn entity(id: &str) -> Entity {
        Entity {
            id: id.into(),
            kind: KindId(0),
            name: id.into(),
            aliases: Vec::new(),
            summary: None,
            provenance: None,
            attributes: Vec::new(),
            critical: false,
        }
    }

    #[test]
    fn ids_are_found_through_the_entities_and_the_first_of_two_copies_stays() {
        let mut graph = Graph::default();
        let a = graph.add_node(entity("a"));
        let b = graph.add_node(entity("b"));
        let again = graph.add_node(entity("a"));
        let mut index = IdIndex::with_capacity(1);
        assert_eq!(index.insert(&graph, a), None);
        assert_eq!(index.insert(&graph, b), None);
        assert_eq!(index.insert(&graph, again), Some(a));
        assert_eq!(index.len(), 2);
        assert_eq!(index.get(&graph, "a"), Some(a));
        assert_eq!(index.get(&graph, "b"), Some(b));
        assert_eq!(index.get(&graph, "c"), None);
        assert_eq!(IdIndex::of(&graph).get(&graph, "a"), Some(a));
        // Grown well past its first room: every id is still found.
        for i in 0..1000 {
            let n = graph.add_node(entity(&format!("e{i}")));
            assert_eq!(index.insert(&graph, n), None);
        }
        assert!((0..1000).all(|i| index.get(&graph, &format!("e{i}")).is_some()));
    }
}
