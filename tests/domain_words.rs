//! The words only the embedded graph uses: the words of its entity names and aliases, kind
//! words and relation phrases that a graph of another domain (tests/fixtures/valid/tiny.ron)
//! does not contain, leaving out common English words. A text shown on the tiny graph that
//! holds one of them was written for the embedded graph, not built from the loaded one.
//! Shared by tests/repl.rs (through the binary) and src/cli/repl/tests.rs (in-process).

use std::collections::BTreeSet;

/// Words too common to tell a domain apart: connectives and the like that any help text may
/// use, whichever graph it is about.
const COMMON: &[&str] = &[
    "a", "about", "after", "all", "an", "and", "any", "are", "as", "at", "back", "be", "being",
    "by", "can", "due", "few", "for", "found", "from", "give", "given", "has", "have", "having",
    "how", "in", "include", "into", "is", "it", "its", "itself", "known", "like", "long", "made",
    "many", "may", "more", "most", "no", "non", "not", "of", "on", "one", "only", "or", "other",
    "part", "related", "rest", "s", "side", "so", "test", "than", "that", "the", "their", "them",
    "then", "there", "these", "this", "through", "time", "to", "two", "type", "under", "unknown",
    "up", "used", "via", "was", "when", "where", "which", "who", "with", "within", "without",
];

/// Lowercase words of `text` (letters and digits).
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The words only the embedded graph uses (see the module documentation).
pub fn embedded_only_words(tiny_ron: &str) -> BTreeSet<String> {
    let kg = bonegraph::KnowledgeGraph::embedded();
    let schema = kg.schema();
    let mut texts: Vec<&str> = Vec::new();
    for n in kg.nodes() {
        let e = kg.entity(n);
        texts.push(&e.name);
        texts.extend(e.aliases.iter().map(String::as_str));
    }
    for k in &schema.kinds {
        texts.extend([k.singular.as_str(), k.plural.as_str()]);
        texts.extend(k.synonyms.iter().map(String::as_str));
    }
    for r in &schema.relations {
        texts.extend(r.forward.iter().chain(&r.inverse).map(String::as_str));
    }
    let tiny: BTreeSet<String> = words(tiny_ron).collect();
    texts
        .into_iter()
        .flat_map(words)
        .filter(|w| !tiny.contains(w) && !COMMON.contains(&w.as_str()))
        .collect()
}

/// The words of `text` that only the embedded graph uses.
pub fn embedded_words_in(text: &str, tiny_ron: &str) -> BTreeSet<String> {
    let only = embedded_only_words(tiny_ron);
    words(text).filter(|w| only.contains(w)).collect()
}
