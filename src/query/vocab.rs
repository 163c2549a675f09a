//! The one vocabulary table: every word the query language knows, built once from a graph.
//!
//! Kind words, relation phrases and entity names (with plural and singular variants) all come
//! from the graph's schema and data; the keywords of the language itself are fixed. The
//! parser uses this table to split text into multi-word terms (longest first); the resolver,
//! the REPL's completer and highlighter and the error messages read the same table.

use crate::graph::{Direction, KindId, KnowledgeGraph, RelId};
use crate::text::normalize;
use petgraph::graph::NodeIndex;
use std::collections::HashMap;

/// The words that belong to the query language itself, not to any graph.
pub const KEYWORDS: &[&str] = &[
    "and", "or", "except", "describe", "count", "path", "paths", "from", "to", "limit",
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
}

impl Lexeme {
    /// The class of the term.
    pub fn class(&self) -> Class {
        match self {
            Lexeme::Kind(_) => Class::Kind,
            Lexeme::Phrase(..) => Class::Phrase,
            Lexeme::Entity { .. } => Class::Entity,
            Lexeme::Keyword => Class::Keyword,
        }
    }
}

/// Every term the query language knows for one graph.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    terms: HashMap<String, Vec<Lexeme>>,
    max_words: usize,
    /// Every term, sorted; built once so listings and suggestions do not sort per call.
    sorted: Vec<String>,
}

impl Vocabulary {
    /// Builds the table for a graph.
    pub fn new(kg: &KnowledgeGraph) -> Self {
        let mut v = Vocabulary::default();
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
        for (name, node) in kg.names() {
            v.add(name, Lexeme::Entity { node, exact: true });
        }
        // Plural and singular forms, where they do not already name something else.
        let mut variants: Vec<(String, NodeIndex)> = Vec::new();
        for (name, node) in kg.names() {
            for form in number_variants(name) {
                variants.push((form, node));
            }
        }
        variants.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.index().cmp(&b.1.index())));
        variants.dedup();
        for (form, node) in variants {
            if !v.has_class(&form, Class::Entity) || v.is_variant_only(&form) {
                v.add(&form, Lexeme::Entity { node, exact: false });
            }
        }
        for list in v.terms.values_mut() {
            list.sort();
            list.dedup();
        }
        v.sorted = v.terms.keys().cloned().collect();
        v.sorted.sort();
        v
    }

    fn add(&mut self, text: &str, lexeme: Lexeme) {
        let key = normalize(text);
        if key.is_empty() {
            return;
        }
        self.max_words = self.max_words.max(key.split(' ').count());
        self.terms.entry(key).or_default().push(lexeme);
    }

    fn has_class(&self, key: &str, class: Class) -> bool {
        self.terms
            .get(key)
            .is_some_and(|l| l.iter().any(|x| x.class() == class))
    }

    fn is_variant_only(&self, key: &str) -> bool {
        self.terms.get(key).is_some_and(|l| {
            l.iter().all(|x| {
                matches!(x, Lexeme::Entity { exact: false, .. }) || x.class() != Class::Entity
            })
        })
    }

    /// What a normalised term stands for (empty if unknown).
    pub fn lookup(&self, key: &str) -> &[Lexeme] {
        self.terms.get(key).map_or(&[], Vec::as_slice)
    }

    /// The longest term, in words.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    /// Every term with what it stands for, sorted by text.
    pub fn terms(&self) -> Vec<(&str, &[Lexeme])> {
        self.sorted
            .iter()
            .map(|k| (k.as_str(), self.lookup(k)))
            .collect()
    }

    /// Every entity name and alias as written in the graph (no plural or singular variants),
    /// sorted.
    pub fn exact_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.sorted.iter().map(String::as_str).filter(|k| {
            self.lookup(k)
                .iter()
                .any(|x| matches!(x, Lexeme::Entity { exact: true, .. }))
        })
    }

    /// Every term of one class, sorted.
    pub fn terms_of(&self, class: Class) -> Vec<&str> {
        self.sorted
            .iter()
            .map(String::as_str)
            .filter(|k| self.lookup(k).iter().any(|x| x.class() == class))
            .collect()
    }
}

/// The plural and singular forms of a name's last word (`fracture` -> `fractures`;
/// `bisphosphonates` -> `bisphosphonate`), by simple English rules.
pub fn number_variants(name: &str) -> Vec<String> {
    let (head, last) = match name.rsplit_once(' ') {
        Some((h, l)) => (format!("{h} "), l),
        None => (String::new(), name),
    };
    if last.len() < 3 || !last.chars().all(|c| c.is_alphabetic()) {
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
