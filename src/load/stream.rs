//! Reading a graph file's relations compactly: serde visits them one by one, and each is
//! kept as a few interned ids instead of a [`EdgeDef`] of fifteen strings. Relations are most
//! of a large file (4.5 million of them beside a million entities in the benchmark's largest
//! graph), and held as `EdgeDef`s they took most of the memory a load peaked at.
//!
//! The file is read with the same field names, defaults and element type as
//! [`GraphFile`], so its syntax errors (and their places) are the same; the checker then
//! sees each relation as an `EdgeDef` again, one at a time ([`Relations::get`]).

use crate::intern::Interner;
use crate::model::{
    Basis, Certainty, ConflictDef, EdgeDef, EntityDef, GraphFile, SchemaDef, SourceDef,
};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};
use std::fmt;

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
    strings: Interner,
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
        self.strings.intern(s).0
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

    fn string(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| self.strings.get(id))
    }
}

/// The relations the checker reads: a file's own list, or one read compactly.
pub(crate) enum Relations<'a> {
    /// A [`GraphFile`]'s `relations` (a file built in code, or read whole).
    Plain(&'a [EdgeDef]),
    /// Relations read compactly from a file's text.
    Compact(&'a CompactRelations),
}

/// One relation as the file states it, borrowed: reading it copies no string.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RelationRef<'a> {
    pub(crate) from: &'a str,
    pub(crate) rel: &'a str,
    pub(crate) to: &'a str,
    pub(crate) source: Option<&'a str>,
    pub(crate) section: Option<&'a str>,
    pub(crate) certainty: Option<Certainty>,
    pub(crate) hedge: Option<&'a str>,
    pub(crate) frequency: Option<&'a str>,
    pub(crate) rank: Option<&'a str>,
    pub(crate) quantity: Option<&'a str>,
    pub(crate) timing: Option<&'a str>,
    pub(crate) context: Option<&'a str>,
    pub(crate) note: Option<&'a str>,
    pub(crate) conflict: Option<&'a str>,
    pub(crate) basis: Option<Basis>,
    /// For a relation read compactly, the interned ids of `from` and `to` (below
    /// [`Relations::interned`]): the same id is the same text, so what it resolves to can be
    /// looked up once.
    pub(crate) keys: Option<(u32, u32)>,
}

impl<'a> RelationRef<'a> {
    fn of(e: &'a EdgeDef) -> Self {
        RelationRef {
            from: &e.from,
            rel: &e.rel,
            to: &e.to,
            source: e.source.as_deref(),
            section: e.section.as_deref(),
            certainty: e.certainty,
            hedge: e.hedge.as_deref(),
            frequency: e.frequency.as_deref(),
            rank: e.rank.as_deref(),
            quantity: e.quantity.as_deref(),
            timing: e.timing.as_deref(),
            context: e.context.as_deref(),
            note: e.note.as_deref(),
            conflict: e.conflict.as_deref(),
            basis: e.basis,
            keys: None,
        }
    }
}

impl Relations<'_> {
    /// How many relations there are.
    pub(crate) fn len(&self) -> usize {
        match self {
            Relations::Plain(r) => r.len(),
            Relations::Compact(c) => c.edges.len(),
        }
    }

    /// How many distinct strings the relations were interned into (0 for a plain list).
    pub(crate) fn interned(&self) -> usize {
        match self {
            Relations::Plain(_) => 0,
            Relations::Compact(c) => c.strings.len(),
        }
    }

    /// Relation `i` (of [`Relations::len`]) as the file states it.
    pub(crate) fn get(&self, i: usize) -> RelationRef<'_> {
        match self {
            Relations::Plain(r) => RelationRef::of(&r[i]),
            Relations::Compact(c) => {
                let e = c.edges.get(i);
                let rest = e.rest.as_deref();
                let text = |f: fn(&Rest) -> &Option<String>| rest.and_then(|r| f(r).as_deref());
                RelationRef {
                    from: c.string(e.from).unwrap_or_default(),
                    rel: c.string(e.rel).unwrap_or_default(),
                    to: c.string(e.to).unwrap_or_default(),
                    source: c.string(e.source),
                    section: c.string(e.section),
                    certainty: e.certainty,
                    hedge: text(|r| &r.hedge),
                    frequency: text(|r| &r.frequency),
                    rank: text(|r| &r.rank),
                    quantity: text(|r| &r.quantity),
                    timing: text(|r| &r.timing),
                    context: text(|r| &r.context),
                    note: text(|r| &r.note),
                    conflict: text(|r| &r.conflict),
                    basis: e.basis,
                    keys: Some((e.from, e.to)),
                }
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
        let plain = [full, bare];
        let as_stated = Relations::Plain(&plain);
        for i in 0..2 {
            let (compact, stated) = (r.get(i), as_stated.get(i));
            assert_eq!(
                RelationRef {
                    keys: None,
                    ..compact
                },
                stated
            );
            assert!(compact.keys.is_some());
        }
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
