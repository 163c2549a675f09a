//! Reading a graph file's relations compactly: serde visits them one by one, and each is
//! kept as a few interned ids instead of a [`EdgeDef`] of fifteen strings. Relations are most
//! of a large file (4.5 million of them beside a million entities in the benchmark's largest
//! graph), and held as `EdgeDef`s they took most of the memory a load peaked at.
//!
//! The file is read with the same field names, defaults and element type as
//! [`GraphFile`], so its syntax errors (and their places) are the same; the checker then
//! sees each relation as an `EdgeDef` again, one at a time ([`Relations::get`]).

use crate::model::{
    Basis, Certainty, ConflictDef, EdgeDef, EntityDef, GraphFile, SchemaDef, SourceDef,
};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

/// A graph file whose relations are held compactly; otherwise [`GraphFile`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename = "GraphFile")]
pub(crate) struct StreamedFile {
    name: String,
    #[serde(default)]
    description: Option<String>,
    schema: SchemaDef,
    #[serde(default)]
    sources: Vec<SourceDef>,
    #[serde(default)]
    conflicts: Vec<ConflictDef>,
    #[serde(default)]
    entities: Vec<EntityDef>,
    #[serde(default)]
    relations: CompactRelations,
}

impl StreamedFile {
    /// The file without its relations, and the relations.
    pub(crate) fn split(self) -> (GraphFile, CompactRelations) {
        let file = GraphFile {
            name: self.name,
            description: self.description,
            schema: self.schema,
            sources: self.sources,
            conflicts: self.conflicts,
            entities: self.entities,
            relations: Vec::new(),
        };
        (file, self.relations)
    }
}

/// No string: the id of an absent optional field.
const NONE: u32 = u32::MAX;

/// One relation as interned ids. The qualifiers most relations lack are kept apart, boxed.
#[derive(Debug, Clone)]
struct CompactEdge {
    from: u32,
    rel: u32,
    to: u32,
    source: u32,
    section: u32,
    certainty: Option<Certainty>,
    basis: Option<Basis>,
    rest: Option<Box<Rest>>,
}

/// The free-text parts of a relation, present on few of them.
#[derive(Debug, Clone, Default, PartialEq)]
struct Rest {
    hedge: Option<String>,
    frequency: Option<String>,
    rank: Option<String>,
    quantity: Option<String>,
    timing: Option<String>,
    context: Option<String>,
    note: Option<String>,
    conflict: Option<String>,
}

/// The relations of a file: each string stored once however many relations name it.
#[derive(Debug, Default)]
pub(crate) struct CompactRelations {
    strings: Vec<Rc<str>>,
    ids: HashMap<Rc<str>, u32>,
    edges: Chunked<CompactEdge>,
}

/// A list kept in blocks of [`Chunked::BLOCK`] items, so that it grows without a copy and
/// without the up to twice its size a doubling `Vec` may hold (the number of relations is
/// not known until the last one is read).
#[derive(Debug)]
struct Chunked<T> {
    blocks: Vec<Vec<T>>,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked { blocks: Vec::new() }
    }
}

impl<T> Chunked<T> {
    const BLOCK: usize = 1 << 16;

    fn push(&mut self, item: T) {
        match self.blocks.last_mut() {
            Some(block) if block.len() < Self::BLOCK => block.push(item),
            _ => {
                let mut block = Vec::with_capacity(Self::BLOCK);
                block.push(item);
                self.blocks.push(block);
            }
        }
    }

    fn len(&self) -> usize {
        self.blocks
            .last()
            .map_or(0, |last| (self.blocks.len() - 1) * Self::BLOCK + last.len())
    }

    fn get(&self, i: usize) -> &T {
        &self.blocks[i / Self::BLOCK][i % Self::BLOCK]
    }
}

impl CompactRelations {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        let shared: Rc<str> = Rc::from(s);
        self.strings.push(Rc::clone(&shared));
        self.ids.insert(shared, id);
        id
    }

    fn push(&mut self, e: EdgeDef) {
        let rest = Rest {
            hedge: e.hedge,
            frequency: e.frequency,
            rank: e.rank,
            quantity: e.quantity,
            timing: e.timing,
            context: e.context,
            note: e.note,
            conflict: e.conflict,
        };
        let edge = CompactEdge {
            from: self.intern(&e.from),
            rel: self.intern(&e.rel),
            to: self.intern(&e.to),
            source: e.source.as_deref().map_or(NONE, |s| self.intern(s)),
            section: e.section.as_deref().map_or(NONE, |s| self.intern(s)),
            certainty: e.certainty,
            basis: e.basis,
            rest: (rest != Rest::default()).then(|| Box::new(rest)),
        };
        self.edges.push(edge);
    }

    fn string(&self, id: u32) -> Option<String> {
        (id != NONE).then(|| self.strings[id as usize].to_string())
    }
}

/// The relations the checker reads: a file's own list, or one read compactly.
pub(crate) enum Relations<'a> {
    /// A [`GraphFile`]'s `relations` (a file built in code, or read whole).
    Plain(&'a [EdgeDef]),
    /// Relations read compactly from a file's text.
    Compact(&'a CompactRelations),
}

impl Relations<'_> {
    /// How many relations there are.
    pub(crate) fn len(&self) -> usize {
        match self {
            Relations::Plain(r) => r.len(),
            Relations::Compact(c) => c.edges.len(),
        }
    }

    /// Relation `i` (of [`Relations::len`]) as the file states it.
    pub(crate) fn get(&self, i: usize) -> Cow<'_, EdgeDef> {
        match self {
            Relations::Plain(r) => Cow::Borrowed(&r[i]),
            Relations::Compact(c) => {
                let e = c.edges.get(i);
                let rest = e.rest.as_deref().cloned().unwrap_or_default();
                Cow::Owned(EdgeDef {
                    from: c.string(e.from).unwrap_or_default(),
                    rel: c.string(e.rel).unwrap_or_default(),
                    to: c.string(e.to).unwrap_or_default(),
                    source: c.string(e.source),
                    section: c.string(e.section),
                    certainty: e.certainty,
                    hedge: rest.hedge,
                    frequency: rest.frequency,
                    rank: rest.rank,
                    quantity: rest.quantity,
                    timing: rest.timing,
                    context: rest.context,
                    note: rest.note,
                    conflict: rest.conflict,
                    basis: e.basis,
                })
            }
        }
    }
}

impl<'de> Deserialize<'de> for CompactRelations {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = CompactRelations;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = CompactRelations::default();
                while let Some(edge) = seq.next_element::<EdgeDef>()? {
                    out.push(edge);
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(Each)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relation_reads_back_as_the_file_states_it() {
        let full = EdgeDef {
            from: "a".into(),
            rel: "r".into(),
            to: "b".into(),
            source: Some("s".into()),
            section: Some("x".into()),
            certainty: Some(Certainty::Possible),
            hedge: Some("may".into()),
            frequency: Some("rare".into()),
            rank: Some("most common".into()),
            quantity: Some("75 percent".into()),
            timing: Some("weekly".into()),
            context: Some("in adults".into()),
            note: Some("n".into()),
            conflict: Some("c".into()),
            basis: Some(Basis::Hedged),
        };
        let bare = EdgeDef {
            from: "b".into(),
            rel: "r".into(),
            to: "a".into(),
            ..Default::default()
        };
        let mut c = CompactRelations::default();
        c.push(full.clone());
        c.push(bare.clone());
        let r = Relations::Compact(&c);
        assert_eq!(r.len(), 2);
        assert_eq!(*r.get(0), full);
        assert_eq!(*r.get(1), bare);
        // `a`, `r`, `b`, `s`, `x`: each stored once.
        assert_eq!(c.strings.len(), 5);
        assert!(c.edges.get(1).rest.is_none());
    }

    #[test]
    fn a_chunked_list_keeps_its_items_in_order_across_blocks() {
        let mut list = Chunked::default();
        assert_eq!(list.len(), 0);
        let n = 2 * Chunked::<u32>::BLOCK + 3;
        for i in 0..n as u32 {
            list.push(i);
        }
        assert_eq!(list.len(), n);
        assert_eq!(list.blocks.len(), 3);
        assert!(
            list.blocks
                .iter()
                .all(|b| b.capacity() == Chunked::<u32>::BLOCK)
        );
        assert!((0..n).all(|i| *list.get(i) == i as u32));
    }
}
