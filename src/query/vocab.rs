//! The one vocabulary table: every word the query language knows, built once from a graph.
//!
//! Kind words, relation phrases, attribute labels and entity names (with plural and singular
//! variants) all come from the graph's schema and data; the keywords of the language itself
//! are fixed. The
//! parser uses this table to split text into multi-word terms (longest first); the resolver,
//! the REPL's completer and highlighter and the error messages read the same table.

use crate::graph::{Direction, KindId, KnowledgeGraph, RelId};
use crate::intern::Interner;
use crate::text::{SuggestIndex, Suggestion, normalize};
use petgraph::graph::NodeIndex;
use rustc_hash::FxHashMap;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for keys that are hashes already (the word-prefix hashes): passes them through.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed with it; anything else still gets a usable hash.
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The words that belong to the query language itself, not to any graph.
pub const KEYWORDS: &[&str] = &[
    "and", "or", "except", "describe", "count", "path", "paths", "from", "to", "limit", "where",
    "is",
];

/// The fields a condition (`where frequency is rare`) may test: the qualifier fields and the
/// provenance section of the graph file format, not words of any graph. They are fixed words
/// only after `where` (and after `and` within conditions), so a graph may still use them in
/// its names and labels.
pub const FIELDS: &[&str] = &[
    "certainty",
    "frequency",
    "rank",
    "quantity",
    "timing",
    "context",
    "section",
];

/// Kind words that mean "any kind", unless the schema uses them itself.
pub const ANY_KIND_WORDS: &[&str] = &[
    "things",
    "thing",
    "anything",
    "everything",
    "entities",
    "entity",
];

/// What a term in the vocabulary stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lexeme {
    /// A kind word (`therapies`); `None` for `things`, any kind.
    Kind(Option<KindId>),
    /// A relation phrase and which way it reads.
    Phrase(RelId, Direction),
    /// An entity name or alias; `exact` is false for a generated plural or singular form.
    Entity {
        /// The entity.
        node: NodeIndex,
        /// Whether the text is a name or alias as written in the graph (not a variant).
        exact: bool,
    },
    /// A keyword of the language.
    Keyword,
    /// An attribute key, by its label (`dosing interval`) or its id with `_` read as a space
    /// (`interval`, `median survival`): the index into the schema's attributes.
    Attribute(u16),
}

/// What one term stands for: mostly one thing, so one is kept without a separate allocation.
#[derive(Debug, Clone)]
enum Lexemes {
    One(Lexeme),
    Many(Vec<Lexeme>),
}

impl Lexemes {
    fn as_slice(&self) -> &[Lexeme] {
        match self {
            Lexemes::One(l) => std::slice::from_ref(l),
            Lexemes::Many(v) => v,
        }
    }

    fn push(&mut self, lexeme: Lexeme) {
        match self {
            Lexemes::One(first) => *self = Lexemes::Many(vec![*first, lexeme]),
            Lexemes::Many(v) => v.push(lexeme),
        }
    }

    fn sort_dedup(&mut self) {
        if let Lexemes::Many(v) = self {
            v.sort();
            v.dedup();
            if let [one] = v[..] {
                *self = Lexemes::One(one);
            }
        }
    }
}

/// Entity names and aliases (normalised) that are no other term, with their entities: the
/// texts in one interner, each with what it stands for.
#[derive(Debug, Clone, Default)]
struct NameTable {
    keys: Interner,
    lexemes: Vec<Lexeme>,
}

impl NameTable {
    fn find(&self, key: &str) -> Option<&Lexeme> {
        self.keys.find(key).map(|i| &self.lexemes[i as usize])
    }

    /// Adds `key` unless it is in the table already (then returns false).
    fn insert(&mut self, key: &str, lexeme: Lexeme) -> bool {
        let (_, new) = self.keys.intern(key);
        if new {
            self.lexemes.push(lexeme);
        }
        new
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &Lexeme)> + '_ {
        self.keys.iter().zip(&self.lexemes)
    }
}

/// What class of term the parser is looking for at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Kind words.
    Kind,
    /// Relation phrases.
    Phrase,
    /// Entity names.
    Entity,
    /// Keywords.
    Keyword,
    /// Attribute labels and ids.
    Attribute,
}

impl Lexeme {
    /// The class of the term.
    pub fn class(&self) -> Class {
        match self {
            Lexeme::Kind(_) => Class::Kind,
            Lexeme::Phrase(..) => Class::Phrase,
            Lexeme::Entity { .. } => Class::Entity,
            Lexeme::Keyword => Class::Keyword,
            Lexeme::Attribute(_) => Class::Attribute,
        }
    }
}

/// Every term the query language knows for one graph.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Every term but the entity names and aliases below, with what it stands for.
    terms: FxHashMap<Box<str>, Lexemes>,
    /// Entity names and aliases, normalised, that are nothing else: most of the terms of a
    /// large graph, kept in one string instead of an allocation each.
    names: NameTable,
    max_words: usize,
    /// Terms of two or more words, word by word: for the hash of each of their word prefixes,
    /// which classes have a term ending there and which a longer term going on from there
    /// (see [`TermWalk`]). The lexer stops reading words as soon as no term goes on, so a
    /// graph with a name of a hundred thousand words does not make every query read that far.
    prefixes: HashMap<u64, u16, BuildHasherDefault<PassThrough>>,
    /// Every term, sorted; built on the first listing or suggestion (a graph of a million
    /// names spends a third of its vocabulary's time on it), then kept.
    sorted: std::sync::OnceLock<Vec<Box<str>>>,
    /// Did-you-mean indices over `sorted`, for kinds, phrases, entities and attributes (the
    /// few keywords are searched as a list). Built on the first misspelt word, not with the
    /// vocabulary: a query that spells everything right never pays for them; after that a
    /// typo costs a bounded search, not a pass over every name.
    indices: std::sync::OnceLock<[SuggestIndex; 4]>,
    /// The distinct qualifier values of the graph's claims, for conditions; built on the
    /// first condition (see [`Vocabulary::claim_values`]).
    claim_values: std::sync::OnceLock<ClaimValues>,
    /// Example questions in this graph's own words, for help texts and messages.
    examples: super::examples::Examples,
}

impl Vocabulary {
    /// Builds the table for a graph.
    pub fn new(kg: &KnowledgeGraph) -> Self {
        let mut v = Vocabulary {
            examples: super::examples::Examples::new(kg),
            ..Vocabulary::default()
        };
        for kw in KEYWORDS {
            v.add(kw, Lexeme::Keyword);
        }
        let schema = kg.schema();
        for (i, kind) in schema.kinds.iter().enumerate() {
            let id = Some(KindId(i as u16));
            for word in [&kind.singular, &kind.plural]
                .into_iter()
                .chain(&kind.synonyms)
            {
                v.add(word, Lexeme::Kind(id));
            }
        }
        for word in ANY_KIND_WORDS {
            if !v.has_class(&normalize(word), Class::Kind) {
                v.add(word, Lexeme::Kind(None));
            }
        }
        for (i, rel) in schema.relations.iter().enumerate() {
            let id = RelId(i as u16);
            for p in &rel.forward {
                v.add(p, Lexeme::Phrase(id, Direction::Forward));
            }
            for p in &rel.inverse {
                v.add(p, Lexeme::Phrase(id, Direction::Inverse));
            }
        }
        for (i, a) in schema.attributes.iter().enumerate() {
            v.add(&a.label, Lexeme::Attribute(i as u16));
            v.add(&a.id, Lexeme::Attribute(i as u16));
        }
        v.names.keys.reserve(kg.entity_count());
        v.names.lexemes.reserve(kg.entity_count());
        v.prefixes.reserve(kg.entity_count());
        let mut key = String::new();
        // The keys of the entity's names so far (a name and an alias may read the same).
        let mut own: Vec<String> = Vec::new();
        for node in kg.nodes() {
            let e = kg.entity(node);
            own.clear();
            for (j, text) in std::iter::once(&e.name).chain(&e.aliases).enumerate() {
                key.clear();
                crate::text::normalize_into(text, &mut key);
                if key.is_empty() || own.contains(&key) {
                    continue;
                }
                v.add_name(&key, node);
                if j < e.aliases.len() {
                    own.push(key.clone());
                }
            }
        }
        // Plural and singular forms, where they do not already name something else. Which
        // forms are added does not depend on the order (a form is kept unless an exact name
        // has it), and every term's list is sorted below.
        for i in 0..v.names.lexemes.len() {
            let Lexeme::Entity { node, .. } = v.names.lexemes[i] else {
                continue;
            };
            for form in number_variants(v.names.keys.get(i as u32)) {
                if !v.has_class(&form, Class::Entity) || v.is_variant_only(&form) {
                    v.add(&form, Lexeme::Entity { node, exact: false });
                }
            }
        }
        for list in v.terms.values_mut() {
            list.sort_dedup();
        }
        v
    }

    /// The term of `class` closest to the normalised `word`, by [`crate::suggest`]'s rules
    /// and within its budget, with the work the search did. For entities, a name or alias as
    /// written in the graph wins over any generated plural or singular form.
    ///
    /// ```
    /// use bonegraph::query::vocab::Class;
    /// let vocab = bonegraph::KnowledgeGraph::embedded().vocabulary();
    /// let found = vocab.suggest(Class::Entity, "fractur");
    /// assert_eq!(found.best, Some("fracture"));
    /// assert!(found.work <= bonegraph::text::SUGGEST_BUDGET);
    /// ```
    pub fn suggest(&self, class: Class, word: &str) -> Suggestion<'_> {
        let [kinds, phrases, entities, attributes] =
            self.indices.get_or_init(|| self.build_indices());
        let index = match class {
            Class::Kind => kinds,
            Class::Phrase => phrases,
            Class::Entity => entities,
            Class::Attribute => attributes,
            Class::Keyword => return crate::text::suggest_counted(word, KEYWORDS.iter().copied()),
        };
        let sorted = self.sorted();
        index.suggest(word, |i| &sorted[i as usize])
    }

    /// The did-you-mean indices, in one pass over the terms; for entities, names and aliases
    /// as written are preferred to generated plural and singular forms.
    fn build_indices(&self) -> [SuggestIndex; 4] {
        let (mut kinds, mut phrases, mut entities) = (Vec::new(), Vec::new(), Vec::new());
        let mut attributes = Vec::new();
        for (i, term) in self.sorted().iter().enumerate() {
            let (mut kind, mut phrase, mut entity) = (false, false, None);
            let mut attribute = false;
            for l in self.lookup(term) {
                match l {
                    Lexeme::Kind(_) => kind = true,
                    Lexeme::Phrase(..) => phrase = true,
                    Lexeme::Entity { exact, .. } => entity = Some(*exact || entity == Some(true)),
                    Lexeme::Attribute(_) => attribute = true,
                    Lexeme::Keyword => {}
                }
            }
            let item = |preferred| (i as u32, &**term, preferred);
            if kind {
                kinds.push(item(true));
            }
            if phrase {
                phrases.push(item(true));
            }
            if let Some(exact) = entity {
                entities.push(item(exact));
            }
            if attribute {
                attributes.push(item(true));
            }
        }
        [
            SuggestIndex::new(kinds),
            SuggestIndex::new(phrases),
            SuggestIndex::new(entities),
            SuggestIndex::new(attributes),
        ]
    }

    fn add(&mut self, text: &str, lexeme: Lexeme) {
        self.add_key(normalize(text).into(), lexeme);
    }

    /// Adds the normalised name or alias `key` of `node`: to the name table if it is nothing
    /// else yet, or beside what it already stands for.
    fn add_name(&mut self, key: &str, node: NodeIndex) {
        let lexeme = Lexeme::Entity { node, exact: true };
        if self.terms.contains_key(key) || !self.names.insert(key, lexeme) {
            self.add_key(key.into(), lexeme);
        } else {
            self.note_words(key, lexeme, false);
        }
    }

    /// Adds a term whose text is normalised already.
    fn add_key(&mut self, key: Box<str>, lexeme: Lexeme) {
        if key.is_empty() {
            return;
        }
        self.note_words(&key, lexeme, true);
        match self.terms.entry(key) {
            std::collections::hash_map::Entry::Occupied(mut e) => e.get_mut().push(lexeme),
            std::collections::hash_map::Entry::Vacant(e) => {
                // A name in the table that is now something else too moves here, with it.
                let list = match self.names.find(e.key()) {
                    Some(&named) => Lexemes::Many(vec![named, lexeme]),
                    None => Lexemes::One(lexeme),
                };
                e.insert(list);
            }
        }
    }

    /// Records a new term's length in words, and the word prefixes of a term of several:
    /// that a term of its class goes on from each, and (with `end`) that one ends at the last.
    /// The names of the name table are recorded without their end: a walk takes any word
    /// reached through a name's prefix as a place a name may end (see [`TermWalk::step`]), so
    /// a million names do not need a million more entries here.
    fn note_words(&mut self, key: &str, lexeme: Lexeme, end: bool) {
        let words = key.split(' ').count();
        self.max_words = self.max_words.max(words);
        if words > 1 {
            let class = class_bit(lexeme.class());
            let mut hash = None;
            for (n, w) in key.split(' ').enumerate() {
                let h = word_hash(hash, w);
                hash = Some(h);
                if n + 1 < words {
                    *self.prefixes.entry(h).or_default() |= class << 8;
                } else if end {
                    *self.prefixes.entry(h).or_default() |= class;
                }
            }
        }
    }

    /// A walk through the terms of `class` (or of any class), one normalised word at a time:
    /// the lexer's way to find the longest term at a position without trying every length.
    ///
    /// ```
    /// use bonegraph::query::vocab::Class;
    /// let vocab = bonegraph::KnowledgeGraph::embedded().vocabulary();
    /// let mut walk = vocab.walk(Some(Class::Phrase));
    /// let first = walk.step("caused");
    /// assert!(!first.ends && first.more);
    /// let second = walk.step("by");
    /// assert!(second.ends);
    /// ```
    pub fn walk(&self, class: Option<Class>) -> TermWalk<'_> {
        TermWalk {
            vocab: self,
            class,
            hash: None,
            name_goes_on: false,
        }
    }

    fn has_class(&self, key: &str, class: Class) -> bool {
        self.lookup(key).iter().any(|x| x.class() == class)
    }

    fn is_variant_only(&self, key: &str) -> bool {
        let found = self.lookup(key);
        !found.is_empty()
            && found.iter().all(|x| {
                matches!(x, Lexeme::Entity { exact: false, .. }) || x.class() != Class::Entity
            })
    }

    /// What a normalised term stands for (empty if unknown).
    pub fn lookup(&self, key: &str) -> &[Lexeme] {
        match self.terms.get(key) {
            Some(found) => found.as_slice(),
            None => self.names.find(key).map_or(&[], std::slice::from_ref),
        }
    }

    /// The entity whose name or alias (as written in the graph, normalised) is `key`.
    pub(crate) fn entity_named(&self, key: &str) -> Option<NodeIndex> {
        self.lookup(key).iter().find_map(|l| match *l {
            Lexeme::Entity { node, exact: true } => Some(node),
            _ => None,
        })
    }

    /// Every entity name and alias (normalised) with its entity, in no particular order.
    pub(crate) fn named_entities(&self) -> impl Iterator<Item = (&str, NodeIndex)> + '_ {
        fn named<'v>((key, lexeme): (&'v str, &Lexeme)) -> Option<(&'v str, NodeIndex)> {
            match *lexeme {
                Lexeme::Entity { node, exact: true } => Some((key, node)),
                _ => None,
            }
        }
        self.names
            .iter()
            .filter(|(key, _)| !self.terms.contains_key(*key))
            .chain(
                self.terms
                    .iter()
                    .flat_map(|(k, l)| l.as_slice().iter().map(move |x| (&**k, x))),
            )
            .filter_map(named)
    }

    /// Example questions and words taken from the graph this vocabulary was built for: what
    /// every `for example ...` of a message or help text shows.
    pub fn examples(&self) -> &super::examples::Examples {
        &self.examples
    }

    /// Every term, sorted by text (built on first use).
    fn sorted(&self) -> &[Box<str>] {
        self.sorted.get_or_init(|| {
            let names = self.names.keys.iter();
            let mut sorted: Vec<Box<str>> = self.terms.keys().cloned().collect();
            sorted.extend(
                names
                    .filter(|k| !self.terms.contains_key(*k))
                    .map(Box::from),
            );
            sorted.sort_unstable();
            sorted
        })
    }

    /// The longest term, in words.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// Every term with what it stands for, sorted by text.
    pub fn terms(&self) -> Vec<(&str, &[Lexeme])> {
        self.sorted()
            .iter()
            .map(|k| (&**k, self.lookup(k)))
            .collect()
    }

    /// Every entity name and alias as written in the graph (no plural or singular variants),
    /// sorted.
    pub fn exact_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.sorted().iter().map(|k| &**k).filter(|k| {
            self.lookup(k)
                .iter()
                .any(|x| matches!(x, Lexeme::Entity { exact: true, .. }))
        })
    }

    /// The distinct qualifier values among `kg`'s claims (the graph this vocabulary was built
    /// for), found once.
    pub(crate) fn claim_values(&self, kg: &KnowledgeGraph) -> &ClaimValues {
        self.claim_values.get_or_init(|| ClaimValues::new(kg))
    }

    /// Every term of one class, sorted.
    pub fn terms_of(&self, class: Class) -> Vec<&str> {
        self.sorted()
            .iter()
            .map(|k| &**k)
            .filter(|k| self.lookup(k).iter().any(|x| x.class() == class))
            .collect()
    }
}

/// The distinct values each text qualifier takes among a graph's claims (edges and attribute
/// values), sorted: what a condition's words are matched against, so that a condition resolves
/// to the exact values it accepts.
#[derive(Debug, Clone, Default)]
pub(crate) struct ClaimValues {
    /// For the hedge (the words of `certainty`), frequency, rank, quantity, timing and context.
    fields: [Vec<String>; 6],
}

impl ClaimValues {
    fn new(kg: &KnowledgeGraph) -> Self {
        let mut out = ClaimValues::default();
        let mut add = |claim: &crate::Claim| {
            let q = claim.qualifiers();
            for (i, v) in [
                &q.hedge,
                &q.frequency,
                &q.rank,
                &q.quantity,
                &q.timing,
                &q.context,
            ]
            .into_iter()
            .enumerate()
            {
                if let Some(v) = v {
                    out.fields[i].push(v.clone());
                }
            }
        };
        for e in kg.edges() {
            add(&kg.edge(e).1.claim);
        }
        for n in kg.nodes() {
            for a in &kg.entity(n).attributes {
                add(&a.claim);
            }
        }
        for list in &mut out.fields {
            list.sort();
            list.dedup();
        }
        out
    }

    /// The distinct values of a text field (`Certainty` stands for the hedge), sorted; empty
    /// for `Note`.
    pub(crate) fn of(&self, field: crate::inheritance::Field) -> &[String] {
        use crate::inheritance::Field;
        let i = match field {
            Field::Certainty => 0,
            Field::Frequency => 1,
            Field::Rank => 2,
            Field::Quantity => 3,
            Field::Timing => 4,
            Field::Context => 5,
            Field::Note => return &[],
        };
        &self.fields[i]
    }
}

/// One walk through the vocabulary, word by word (see [`Vocabulary::walk`]).
#[derive(Debug, Clone)]
pub struct TermWalk<'v> {
    vocab: &'v Vocabulary,
    class: Option<Class>,
    hash: Option<u64>,
    /// Whether an entity name goes on from the words before this one.
    name_goes_on: bool,
}

/// What one more word tells a [`TermWalk`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkStep {
    /// The words so far may be a term of the class (certain after one word; after more,
    /// confirm with [`Vocabulary::lookup`], since word prefixes are kept as hashes).
    pub ends: bool,
    /// A longer term of the class may start with the words so far: reading on may find it.
    pub more: bool,
}

impl TermWalk<'_> {
    /// Adds the next normalised word.
    pub fn step(&mut self, word: &str) -> WalkStep {
        let bits = match self.class {
            Some(c) => class_bit(c),
            None => 0xff,
        };
        let first = self.hash.is_none();
        let hash = word_hash(self.hash, word);
        self.hash = Some(hash);
        let flags = self.vocab.prefixes.get(&hash).copied().unwrap_or(0);
        let entity = class_bit(Class::Entity);
        let ends = if first {
            self.vocab
                .lookup(word)
                .iter()
                .any(|l| self.class.is_none_or(|c| l.class() == c))
        } else {
            // A name of several words is recorded by its prefixes only: where one goes on, it
            // may end at the next word.
            flags & bits != 0 || (self.name_goes_on && bits & entity != 0)
        };
        self.name_goes_on = flags & (entity << 8) != 0;
        WalkStep {
            ends,
            more: flags & (bits << 8) != 0,
        }
    }
}

/// The bit of a class in a prefix's flags: terms ending there in the low byte, terms going on
/// from there in the high byte.
fn class_bit(class: Class) -> u16 {
    match class {
        Class::Kind => 1,
        Class::Phrase => 2,
        Class::Entity => 4,
        Class::Keyword => 8,
        Class::Attribute => 16,
    }
}

/// FNV-1a over the words so far, with a byte that UTF-8 never uses between words.
fn word_hash(prev: Option<u64>, word: &str) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h = match prev {
        None => 0xcbf2_9ce4_8422_2325,
        Some(h) => (h ^ 0xff).wrapping_mul(PRIME),
    };
    for b in word.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h
}

/// The plural and singular forms of a name's last word (`fracture` -> `fractures`;
/// `bisphosphonates` -> `bisphosphonate`), by simple English rules.
pub fn number_variants(name: &str) -> Vec<String> {
    let (head, last) = match name.rsplit_once(' ') {
        Some((h, l)) => (&name[..=h.len()], l),
        None => ("", name),
    };
    // Letters, and accents typed as their own characters.
    let letter = |c: char| c.is_alphabetic() || (crate::text::is_word_char(c) && !c.is_numeric());
    if last.len() < 3 || !last.chars().all(letter) {
        return Vec::new();
    }
    let mut out = Vec::new();
    // Plural (a word already ending in a single `s` is taken to be plural already).
    let plural = if let Some(stem) = last.strip_suffix("sis") {
        Some(format!("{stem}ses"))
    } else if last.ends_with('s') && !last.ends_with("ss") {
        None
    } else if let Some(stem) = last.strip_suffix('y') {
        if stem.ends_with(['a', 'e', 'i', 'o', 'u']) {
            Some(format!("{last}s"))
        } else {
            Some(format!("{stem}ies"))
        }
    } else if last.ends_with(['s', 'x', 'z']) || last.ends_with("ch") || last.ends_with("sh") {
        Some(format!("{last}es"))
    } else {
        Some(format!("{last}s"))
    };
    if let Some(plural) = plural {
        out.push(format!("{head}{plural}"));
    }
    // Singular.
    if let Some(stem) = last.strip_suffix("ies") {
        out.push(format!("{head}{stem}y"));
    } else if let Some(stem) = last
        .strip_suffix("es")
        .filter(|s| s.ends_with(['s', 'x', 'z']) || s.ends_with("ch") || s.ends_with("sh"))
    {
        out.push(format!("{head}{stem}"));
    } else if let Some(stem) = last
        .strip_suffix('s')
        .filter(|s| !s.ends_with('s') && !last.ends_with("sis"))
    {
        out.push(format!("{head}{stem}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_names_share_their_terms_with_other_words_and_read_back_whole() {
        // `Bugs` names an entity and is a kind synonym; `Codling Moth` has an alias that
        // reads the same; `moth` and `moths` are a name and the other's plural form.
        let kg = KnowledgeGraph::from_str(
            r#"(name: "t", schema: (kinds: [(id: "pest", singular: "pest", plural: "pests",
                 synonyms: ["bug", "bugs"])], relations: []),
               entities: [
                 (id: "b", kind: "pest", name: "Bugs"),
                 (id: "c", kind: "pest", name: "Codling Moth", aliases: ["codling moth"]),
                 (id: "m", kind: "pest", name: "moth"),
               ])"#,
        )
        .unwrap();
        let v = kg.vocabulary();
        let node = |id| kg.node_by_id(id).unwrap();
        assert_eq!(
            v.lookup("bugs"),
            [
                Lexeme::Kind(Some(KindId(0))),
                Lexeme::Entity {
                    node: node("b"),
                    exact: true
                }
            ]
        );
        assert_eq!(
            v.lookup("codling moth"),
            [Lexeme::Entity {
                node: node("c"),
                exact: true
            }]
        );
        assert_eq!(
            v.lookup("moth"),
            [Lexeme::Entity {
                node: node("m"),
                exact: true
            }]
        );
        assert_eq!(
            v.lookup("codling moths"),
            [Lexeme::Entity {
                node: node("c"),
                exact: false
            }]
        );
        assert!(v.walk(Some(Class::Entity)).step("codling").more);
        assert_eq!(kg.node_by_name("Codling  MOTH"), Some(node("c")));
        assert_eq!(kg.node_by_name("bugs"), Some(node("b")));
        assert_eq!(kg.node_by_name("pests"), None);
        let mut names: Vec<(&str, NodeIndex)> = kg.names().collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("bugs", node("b")),
                ("codling moth", node("c")),
                ("moth", node("m"))
            ]
        );
        assert_eq!(
            v.exact_names().collect::<Vec<_>>(),
            ["bugs", "codling moth", "moth"]
        );
        assert_eq!(v.max_words(), 2);
        assert_eq!(
            v.suggest(Class::Entity, "codlin moth").best,
            Some("codling moth")
        );
    }

    #[test]
    fn number_variants_follow_simple_english_rules() {
        assert_eq!(number_variants("fracture"), ["fractures"]);
        assert_eq!(number_variants("bisphosphonates"), ["bisphosphonate"]);
        assert_eq!(number_variants("metastasis"), ["metastases"]);
        assert_eq!(number_variants("therapy"), ["therapies"]);
        assert_eq!(number_variants("therapies"), ["therapy"]);
        assert_eq!(number_variants("bone scan"), ["bone scans"]);
        assert_eq!(number_variants("ct"), Vec::<String>::new());
        assert_eq!(number_variants("mass"), ["masses"]);
    }
}
