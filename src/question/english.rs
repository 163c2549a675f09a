//! The little English the question layer knows, none of it about any subject: the words
//! that carry no content in a question, the question words, a small morphology that maps
//! inflected verb forms to a shared stem, and the generic words that hint at an attribute
//! (`how often` hints at "how often" or "interval"). Everything about a graph's subject comes
//! from the graph file.

/// Words that carry no content of their own in a question: articles, pronouns, auxiliaries,
/// politeness. They are skipped between the terms the graph defines.
pub(super) const FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "some",
    "any",
    "all",
    "me",
    "i",
    "my",
    "we",
    "our",
    "you",
    "your",
    "it",
    "its",
    "they",
    "them",
    "their",
    "this",
    "these",
    "those",
    "there",
    "here",
    "please",
    "pls",
    "plz",
    "tell",
    "show",
    "list",
    "give",
    "get",
    "know",
    "want",
    "need",
    "like",
    "would",
    "could",
    "should",
    "will",
    "shall",
    "can",
    "do",
    "does",
    "did",
    "done",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "being",
    "am",
    "has",
    "have",
    "had",
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "what",
    "whats",
    "where",
    "wheres",
    "when",
    "why",
    "how",
    "hows",
    "about",
    "kind",
    "kinds",
    "type",
    "types",
    "sort",
    "sorts",
    "one",
    "ones",
    "main",
    "other",
    "else",
    "also",
    "usually",
    "typically",
    "really",
    "just",
    "exactly",
    "actually",
    "generally",
    "commonly",
    "mostly",
    "name",
    "names",
    "explain",
    "describe",
    "help",
    "helps",
    "helped",
    "helping",
    "used",
    "use",
    "uses",
    "using",
    "possible",
    "possibly",
    "potential",
    "potentially",
    "ever",
    "people",
    "patient",
    "patients",
    "someone",
    "person",
    "person's",
    "so",
    "then",
    "now",
    "yet",
    "ok",
    "okay",
    "hi",
    "hello",
    "thanks",
    "thank",
    "much",
    "many",
    "often",
    "long",
    "well",
    "common",
    "way",
    "ways",
    "happen",
    "happens",
    "mean",
    "means",
    "meaning",
    "say",
    "says",
    "said",
    "stated",
    "states",
    "article",
    "source",
    "text",
    "according",
    "to",
    "of",
    "for",
    "in",
    "on",
    "with",
    "by",
    "from",
    "into",
    "at",
    "as",
    "or",
    "and",
    "not",
    "no",
    "yes",
    "if",
    "whether",
    "am",
    "im",
    "id",
    "lot",
    "lots",
    "options",
    "option",
    "available",
    "known",
];

/// Phrases that only pad a question; removed before anything else is read. Longest first.
pub(super) const NOISE: &[&str] = &[
    "according to the article",
    "according to the source",
    "according to the text",
    "the article says",
    "the source says",
    "does the article say",
    "does the source say",
    "in the article",
    "in the source",
    "can you tell me",
    "could you tell me",
    "i would like to know",
    "i want to know",
    "do you know",
    "tell me about",
    "tell me",
    "can you",
    "could you",
    "please",
];

/// What kind of question a leading word or words ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Asking {
    /// `what`, `which`, `list`, `show`: the things themselves.
    Things,
    /// `who`: things, probably people (read as things).
    Who,
    /// `where`: a place (read as things).
    Where,
    /// `is X a Y`, `does X ...`, `can X ...`: yes or no.
    YesNo,
    /// `how` or `why` with two entities: a chain.
    How,
    /// `how often`, `how common`, `how many`, `how long`, `how well`, `when`, `what share`:
    /// a value; the words are kept to pick the attribute.
    Value(&'static [&'static str]),
}

/// Leading words and what they ask, longest first. The value words are generic English
/// words that an attribute's label or description may use for that sort of value.
pub(super) const ASKING: &[(&str, Asking)] = &[
    (
        "how often",
        Asking::Value(&[
            "often",
            "frequency",
            "frequent",
            "interval",
            "common",
            "occurs",
            "given",
        ]),
    ),
    (
        "how frequently",
        Asking::Value(&["often", "frequency", "frequent", "interval", "given"]),
    ),
    (
        "how common",
        Asking::Value(&["common", "often", "prevalence", "occurs"]),
    ),
    (
        "how rare",
        Asking::Value(&["common", "often", "prevalence", "rare"]),
    ),
    (
        "how many",
        Asking::Value(&[
            "many", "number", "count", "share", "percent", "common", "half",
        ]),
    ),
    (
        "how much",
        Asking::Value(&["much", "amount", "dose", "quantity"]),
    ),
    (
        "how long",
        Asking::Value(&["long", "time", "duration", "survival", "years", "months"]),
    ),
    (
        "how well",
        Asking::Value(&["well", "strength", "works", "evidence", "effect"]),
    ),
    (
        "how effective",
        Asking::Value(&["well", "strength", "works", "evidence", "effect"]),
    ),
    ("how safe", Asking::Value(&["safe", "safety"])),
    ("how bad", Asking::Value(&["bad", "severity", "severe"])),
    (
        "how serious",
        Asking::Value(&["serious", "severity", "urgency", "emergency"]),
    ),
    (
        "how urgent",
        Asking::Value(&["urgent", "urgency", "emergency"]),
    ),
    ("how does", Asking::How),
    ("how do", Asking::How),
    ("how can", Asking::How),
    ("how could", Asking::How),
    ("how is", Asking::How),
    ("how are", Asking::How),
    ("how", Asking::How),
    ("why", Asking::How),
    (
        "what share",
        Asking::Value(&["share", "percent", "proportion", "common", "half"]),
    ),
    (
        "what percentage",
        Asking::Value(&["share", "percent", "proportion", "common", "half"]),
    ),
    (
        "what percent",
        Asking::Value(&["share", "percent", "proportion", "common", "half"]),
    ),
    (
        "what proportion",
        Asking::Value(&["share", "percent", "proportion", "common", "half"]),
    ),
    (
        "when",
        Asking::Value(&["when", "time", "timing", "year", "date", "interval"]),
    ),
    ("what year", Asking::Value(&["year", "date"])),
    ("who", Asking::Who),
    ("where", Asking::Where),
    ("is", Asking::YesNo),
    ("are", Asking::YesNo),
    ("was", Asking::YesNo),
    ("were", Asking::YesNo),
    ("does", Asking::YesNo),
    ("do", Asking::YesNo),
    ("did", Asking::YesNo),
    ("can", Asking::YesNo),
    ("could", Asking::YesNo),
    ("will", Asking::YesNo),
    ("would", Asking::YesNo),
    ("may", Asking::YesNo),
    ("might", Asking::YesNo),
    ("should", Asking::YesNo),
    ("has", Asking::YesNo),
    ("have", Asking::YesNo),
];

/// Copulas: `is X a Y?` asks about membership only when it starts with one of these.
pub(super) const COPULA: &[&str] = &["is", "are", "was", "were"];

/// Prepositions of place: a relation with a phrase holding one answers `where`.
pub(super) const PLACE: &[&str] = &["in", "at", "within", "located", "site", "where"];

/// Words that ask how two things are connected: with two names, a path.
pub(super) const LINK: &[&str] = &[
    "link",
    "links",
    "linked",
    "connect",
    "connects",
    "connected",
    "connection",
    "relate",
    "relates",
    "related",
    "relationship",
    "between",
];

/// Words that introduce a comparison of two things.
pub(super) const COMPARE: &[&str] = &[
    "compare",
    "comparing",
    "comparison",
    "vs",
    "versus",
    "difference",
    "differences",
    "between",
];

/// Nouns that ask for the members of a class: `types of X`, `examples of X`.
pub(super) const MEMBERS: &[&str] = &[
    "types", "type", "kinds", "kind", "examples", "example", "forms", "form", "sorts", "members",
    "classes", "class",
];

/// Words that say a hedged claim is wanted (`therapies that may relieve pain`).
pub(super) const HEDGED: &[&str] = &["may", "might", "possibly", "perhaps", "maybe"];

/// Irregular verb forms and their stems (generic English).
const IRREGULAR: &[(&str, &str)] = &[
    ("led", "lead"),
    ("leads", "lead"),
    ("found", "find"),
    ("given", "give"),
    ("gave", "give"),
    ("felt", "feel"),
    ("arose", "arise"),
    ("arisen", "arise"),
    ("came", "come"),
    ("ate", "eat"),
    ("eaten", "eat"),
    ("made", "make"),
    ("taken", "take"),
    ("took", "take"),
    ("broke", "break"),
    ("broken", "break"),
    ("spread", "spread"),
    ("went", "go"),
    ("gone", "go"),
    ("seen", "see"),
    ("saw", "see"),
    ("held", "hold"),
    ("kept", "keep"),
    ("brought", "bring"),
    ("caught", "catch"),
    ("fought", "fight"),
    ("meant", "mean"),
    ("done", "do"),
    ("does", "do"),
    ("did", "do"),
    ("has", "have"),
    ("had", "have"),
    ("having", "have"),
    ("is", "be"),
    ("are", "be"),
    ("was", "be"),
    ("were", "be"),
    ("been", "be"),
    ("being", "be"),
    ("orbited", "orbit"),
    ("relief", "relieve"),
];

/// A word's possible stems: the word itself, and what it is with a regular English ending
/// taken off (`treats`, `treated`, `treating` -> `treat`; `causes`, `causing` -> `caus`,
/// `cause`). Two words are forms of one verb when their stems meet. Over-generating is
/// harmless: stems are only compared with the stems of the graph's own phrases.
pub(super) fn stems(word: &str) -> Vec<String> {
    let mut out = vec![word.to_owned()];
    if let Some(&(_, stem)) = IRREGULAR.iter().find(|(w, _)| *w == word) {
        out.push(stem.to_owned());
    }
    let mut push = |s: &str| {
        if s.chars().count() >= 2 && !out.iter().any(|o| o == s) {
            out.push(s.to_owned());
        }
    };
    for (suffix, repl) in [
        ("ment", ""),
        ("tion", "t"),
        ("ies", "y"),
        ("ied", "y"),
        ("ying", "y"),
        ("ing", ""),
        ("ing", "e"),
        ("ed", ""),
        ("ed", "e"),
        ("es", ""),
        ("es", "e"),
        ("s", ""),
        ("e", ""),
    ] {
        if let Some(base) = word.strip_suffix(suffix) {
            if base.chars().count() < 2 {
                continue;
            }
            let stem = format!("{base}{repl}");
            push(&stem);
            // A doubled final consonant before -ing or -ed: controlling -> control.
            let b = base.as_bytes();
            if (suffix == "ing" || suffix == "ed")
                && repl.is_empty()
                && b.len() >= 3
                && b[b.len() - 1] == b[b.len() - 2]
                && !b"aeiouyls".contains(&b[b.len() - 1])
            {
                push(&base[..base.len() - 1]);
            }
            if (suffix == "ing" || suffix == "ed") && repl.is_empty() && b.len() >= 3 {
                let last = b[b.len() - 1];
                if last == b[b.len() - 2] && (last == b'l' || last == b's') {
                    push(&base[..base.len() - 1]);
                }
            }
        }
    }
    out
}

/// Whether two words are forms of one word (their stems meet).
pub(super) fn same_word(a: &str, b: &str) -> bool {
    a == b || meet(&stems(a), &stems(b))
}

/// Whether two words, given as their [`stems`] (the word itself first), are forms of one
/// word: for callers that compare one word with many and compute its stems once.
pub(super) fn meet(a: &[String], b: &[String]) -> bool {
    a.first() == b.first() || a.iter().any(|x| x.chars().count() >= 3 && b.contains(x))
}

/// British and American spellings of the same word, one pair at a time (generic English
/// endings: -ise/-ize, -our/-or, -tre/-ter, -ae-/-e-, -oe-/-e-).
pub(super) fn spelling_variants(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (a, b) in [
        ("ise", "ize"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("isation", "ization"),
        ("our", "or"),
        ("tre", "ter"),
        ("travelling", "traveling"),
    ] {
        if let Some(base) = word.strip_suffix(a) {
            out.push(format!("{base}{b}"));
        }
        if let Some(base) = word.strip_suffix(b) {
            out.push(format!("{base}{a}"));
        }
    }
    for (a, b) in [("ae", "e"), ("oe", "e")] {
        if word.contains(a) {
            out.push(word.replacen(a, b, 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflected_forms_share_a_stem() {
        for (a, b) in [
            ("treats", "treating"),
            ("treated", "treat"),
            ("causes", "causing"),
            ("cause", "caused"),
            ("relieves", "relieving"),
            ("controls", "controlling"),
            ("spreads", "spreading"),
            ("spread", "spreading"),
            ("led", "leading"),
            ("carries", "carrying"),
            ("studies", "studying"),
            ("eaten", "eating"),
            ("travels", "travelling"),
            ("stabilise", "stabilise"),
        ] {
            assert!(same_word(a, b), "{a} / {b}");
        }
        for (a, b) in [("treat", "threat"), ("bone", "bond"), ("cause", "case")] {
            assert!(!same_word(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn british_and_american_spellings_meet() {
        assert!(spelling_variants("stabilise").contains(&"stabilize".to_owned()));
        assert!(spelling_variants("tumour").contains(&"tumor".to_owned()));
        assert!(spelling_variants("oedema").contains(&"edema".to_owned()));
    }
}
