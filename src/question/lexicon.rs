//! What the question layer reads a graph's words as, built once per graph: the verb forms
//! of every relation phrase, the words of attribute labels and ids, the words the graph uses
//! in frequency qualifiers, and the names of source sections. All of it comes from the graph
//! file; [`super::english`] adds only generic English.

use super::english::{meet, same_word, stems};
use crate::graph::{Direction, KnowledgeGraph, RelId};
use crate::text::normalize;

/// A relation phrase as a verb pattern: `treating` -> [treat...], `spreading to` ->
/// [spread..., "to"], with a leading `that`, `which` or modal removed.
#[derive(Debug, Clone)]
pub(super) struct VerbPattern {
    /// The relation type.
    pub rel: RelId,
    /// Which way the phrase reads.
    pub dir: Direction,
    /// The phrase's words; the first is compared by stem, the rest exactly.
    pub words: Vec<String>,
    /// The phrase as the schema writes it (what the canonical reading uses).
    pub phrase: String,
    /// The stems of the first word.
    pub first_stems: Vec<String>,
}

/// An attribute with the words that can point at it.
#[derive(Debug, Clone)]
pub(super) struct AttrWords {
    /// Its index in the schema.
    pub index: u16,
    /// The words of its label and id.
    pub name_words: Vec<String>,
    /// The words of its description.
    pub description_words: Vec<String>,
    /// The stems of each name word.
    pub name_stems: Vec<Vec<String>>,
}

/// A source section, by its id and title words.
#[derive(Debug, Clone)]
pub(super) struct SectionWords {
    /// The section id as the graph writes it.
    pub id: String,
    /// The id's words (`_` as a space) and the title's words.
    pub words: Vec<String>,
}

/// The question layer's table for one graph.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    pub(super) verbs: Vec<VerbPattern>,
    pub(super) attributes: Vec<AttrWords>,
    pub(super) frequency_words: Vec<String>,
    pub(super) sections: Vec<SectionWords>,
}

const LEADING: &[&str] = &["that", "which", "who", "may", "might", "can", "possibly"];

/// Words too common to identify an attribute or a section on their own.
const WEAK: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "to",
    "in",
    "is",
    "it",
    "and",
    "or",
    "what",
    "how",
    "for",
    "by",
    "on",
    "as",
    "with",
    "that",
    "this",
    "something",
    "its",
    "be",
    "are",
    "not",
    "when",
    "unheaded",
];

impl Lexicon {
    /// Builds the table from the graph's schema, qualifiers and sources.
    pub fn new(kg: &KnowledgeGraph) -> Self {
        let schema = kg.schema();
        let mut verbs = Vec::new();
        for (i, r) in schema.relations.iter().enumerate() {
            let rel = RelId(i as u16);
            for (dir, phrases) in [
                (Direction::Forward, &r.forward),
                (Direction::Inverse, &r.inverse),
            ] {
                for phrase in phrases {
                    let norm = normalize(phrase);
                    let mut words: Vec<String> = norm.split(' ').map(str::to_owned).collect();
                    while words.len() > 1 && LEADING.contains(&words[0].as_str()) {
                        words.remove(0);
                    }
                    if words.is_empty() || words[0].is_empty() {
                        continue;
                    }
                    verbs.push(VerbPattern {
                        rel,
                        dir,
                        first_stems: stems(&words[0]),
                        words,
                        phrase: phrase.clone(),
                    });
                }
            }
        }
        // Longer patterns first, so the longest match wins when scanning.
        verbs.sort_by_key(|v| std::cmp::Reverse(v.words.len()));

        let content = |text: &str| -> Vec<String> {
            normalize(text)
                .split(' ')
                .filter(|w| !w.is_empty() && !WEAK.contains(w))
                .map(str::to_owned)
                .collect()
        };
        let attributes = schema
            .attributes
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut name_words = content(&a.label);
                for w in content(&a.id.replace('_', " ")) {
                    if !name_words.contains(&w) {
                        name_words.push(w);
                    }
                }
                AttrWords {
                    index: i as u16,
                    name_stems: name_words.iter().map(|w| stems(w)).collect(),
                    name_words,
                    description_words: a.description.as_deref().map(content).unwrap_or_default(),
                }
            })
            .collect();

        let mut frequency_words: Vec<String> = Vec::new();
        for e in kg.edges() {
            let (_, edge, _) = kg.edge(e);
            if let Some(f) = &edge.claim.qualifiers().frequency {
                for w in content(f) {
                    if !frequency_words.contains(&w) {
                        frequency_words.push(w);
                    }
                }
            }
        }

        let mut sections = Vec::new();
        for source in kg.sources() {
            for (id, title) in &source.sections {
                let mut words = content(&id.replace('_', " "));
                for w in content(title) {
                    if !words.contains(&w) {
                        words.push(w);
                    }
                }
                sections.push(SectionWords {
                    id: id.clone(),
                    words,
                });
            }
        }
        Lexicon {
            verbs,
            attributes,
            frequency_words,
            sections,
        }
    }

    /// The longest verb patterns that match the words at the start of `words`, with how many
    /// words they take. Several patterns may match the same words (one per relation type).
    pub(super) fn verbs_at(&self, words: &[&str]) -> (usize, Vec<&VerbPattern>) {
        let mut best = 0;
        let Some(first) = words.first() else {
            return (0, Vec::new());
        };
        let first = stems(first);
        let mut found = Vec::new();
        for p in &self.verbs {
            let n = p.words.len();
            if n < best || n > words.len() {
                continue;
            }
            if !meet(&first, &p.first_stems) {
                continue;
            }
            if p.words[1..].iter().zip(&words[1..n]).all(|(a, b)| a == b) {
                if n > best {
                    best = n;
                    found.clear();
                }
                if !found
                    .iter()
                    .any(|f: &&VerbPattern| f.rel == p.rel && f.dir == p.dir)
                {
                    found.push(p);
                }
            }
        }
        (best, found)
    }

    /// Whether `word` is one the graph uses in a frequency qualifier (by stem: `rare` meets
    /// "rarely" and "in rare cases").
    pub(super) fn frequency_word(&self, word: &str) -> Option<&str> {
        self.frequency_words
            .iter()
            .find(|f| same_word(word, f) || stems(f).iter().any(|s| s == word))
            .map(String::as_str)
    }

    /// The section named by `words` (its id or title words), if exactly one fits best.
    pub(super) fn section(&self, words: &[&str]) -> Option<&str> {
        let mut best: Option<(usize, &str)> = None;
        let mut tie = false;
        for s in &self.sections {
            let score = words
                .iter()
                .filter(|w| s.words.iter().any(|sw| same_word(w, sw)))
                .count();
            if score == 0 {
                continue;
            }
            match best {
                Some((b, _)) if b > score => {}
                Some((b, _)) if b == score => tie = true,
                _ => {
                    best = Some((score, &s.id));
                    tie = false;
                }
            }
        }
        if tie { None } else { best.map(|(_, id)| id) }
    }
}
