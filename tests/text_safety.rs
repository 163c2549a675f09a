//! Text that is large, oddly encoded or hostile: did-you-mean with a bounded cost on huge
//! vocabularies and huge words, names compared after Unicode normalisation (NFC), and control
//! characters in graph text or input shown escaped by every text printer.
//!
//! Work is measured by counting (character comparisons), never by timing: the machine that
//! runs the tests is shared.

use bonegraph::model::EntityDef;
use bonegraph::query::vocab::Class;
use bonegraph::text::{SUGGEST_BUDGET, SUGGEST_TOTAL_BUDGET, Suggester, suggest_counted};
use bonegraph::{Code, ErrorKind, GraphBuilder, KnowledgeGraph};
use std::sync::OnceLock;

// -------------------------------------------------------------------------------------------
// Did-you-mean has a budget.

/// How many aliases the big graph has.
const ALIASES: usize = 50_000;

/// A small deterministic generator of made-up words (xorshift).
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A word of 5 to 12 letters, alternating consonants and vowels.
    fn word(&mut self) -> String {
        let len = 5 + (self.next() % 8) as usize;
        (0..len)
            .map(|i| {
                let set: &[u8] = if i % 2 == 0 {
                    b"bcdfghjklmnprstvz"
                } else {
                    b"aeiou"
                };
                set[(self.next() % set.len() as u64) as usize] as char
            })
            .collect()
    }
}

/// The made-up names of the big graph: 10,000 entities with five aliases each, and one entity
/// whose name is a megabyte long (many words, so the lexer also meets a huge term).
fn big_names() -> Vec<(String, Vec<String>)> {
    let mut words = Words(0x9e37_79b9_7f4a_7c15);
    let mut seen = std::collections::HashSet::new();
    let mut fresh = || loop {
        let w = words.word();
        if seen.insert(w.clone()) {
            return w;
        }
    };
    let mut out: Vec<(String, Vec<String>)> = (0..ALIASES / 5)
        .map(|_| (fresh(), (0..5).map(|_| fresh()).collect()))
        .collect();
    let huge = "lorem ipsum dolor ".repeat((1 << 20) / 18);
    out.push((huge, Vec::new()));
    out
}

/// The big graph, built once for every test that needs it.
fn big_graph() -> &'static KnowledgeGraph {
    static GRAPH: OnceLock<KnowledgeGraph> = OnceLock::new();
    GRAPH.get_or_init(|| {
        let mut b = GraphBuilder::new("made-up words")
            .kind("word", "word", "words")
            .relation("rhymes", &["word"], &["word"], &["rhyming with"], &[])
            .source("s", "s");
        for (i, (name, aliases)) in big_names().into_iter().enumerate() {
            b = b.entity_def(EntityDef {
                id: format!("w{i}"),
                kind: "word".to_owned(),
                name,
                aliases,
                ..EntityDef::default()
            });
        }
        b.build().expect("the big graph is valid")
    })
}

#[test]
fn a_typo_among_50k_aliases_is_corrected_within_the_budget() {
    let kg = big_graph();
    let names = big_names();
    let alias = &names[1234].1[2];
    // One letter changed in the middle.
    let mut typo: Vec<char> = alias.chars().collect();
    let mid = typo.len() / 2;
    typo[mid] = if typo[mid] == 'x' { 'q' } else { 'x' };
    let typo: String = typo.into_iter().collect();
    let found = kg.vocabulary().suggest(Class::Entity, &typo);
    assert_eq!(found.best, Some(alias.as_str()), "{found:?}");
    assert!(found.work <= SUGGEST_BUDGET / 4, "{found:?}");
    eprintln!("typo among {ALIASES} aliases: {} comparisons", found.work);
    let e = kg.query(&format!("words rhyming with {typo}")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownEntity);
    assert_eq!(e.suggestions, [alias.as_str()]);
}

#[test]
fn a_word_close_to_nothing_among_50k_aliases_stays_under_the_budget() {
    let kg = big_graph();
    let found = kg.vocabulary().suggest(Class::Entity, "xyzzy");
    assert_eq!(found.best, None);
    assert!(found.work <= SUGGEST_BUDGET, "{found:?}");
    eprintln!("`xyzzy` among {ALIASES} aliases: {found:?}");
    let e = kg.query("xyzzy").unwrap_err();
    assert_eq!(
        e.render("xyzzy"),
        "error: unknown entity `xyzzy`\n  xyzzy\n  ^^^^^\nhelp: no entity has that name or alias; in the shell, Tab lists the names that fit here\n"
    );
}

#[test]
fn a_4kb_unknown_word_gets_no_suggestion_and_no_comparison() {
    let kg = big_graph();
    let word = "q".repeat(4096);
    let found = kg.vocabulary().suggest(Class::Entity, &word);
    assert_eq!(found.best, None);
    assert_eq!(found.work, 0, "too long for one comparison: none is made");
    // The whole query is at the length limit: refused as an unknown name, with no suggestion.
    let e = kg.query(&word).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownEntity);
    assert!(e.suggestions.is_empty());
    // The same word against a list, as the loader asks: also no comparison.
    let ids: Vec<String> = (0..ALIASES).map(|i| format!("id{i}")).collect();
    let found = suggest_counted(&word, ids.iter().map(String::as_str));
    assert_eq!((found.best, found.work), (None, 0));
}

#[test]
fn a_1mb_name_costs_a_typo_nothing() {
    let kg = big_graph();
    // Words shorter than the huge name by far never reach it: it is in a length group no
    // search visits, so a typo costs what it costs on the graph without it.
    for word in [
        "lorem ipsum dolr",
        "lorem ipsum dolor lorem ipsum dolor lorem ipsun",
    ] {
        let found = kg.vocabulary().suggest(Class::Entity, word);
        assert!(found.work <= SUGGEST_BUDGET / 4, "{word}: {found:?}");
        eprintln!("`{word}` beside a 1 MB name: {found:?}");
    }
    // The query that names part of it is answered (an unknown name) without a suggestion.
    let e = kg.query("describe lorem ipsum dolor").unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownEntity);
}

#[test]
fn a_long_word_among_long_names_stops_at_the_budget() {
    // A 600-character word and 500 names made of the same letters in another order: each
    // passes the cheap filters, and comparing it costs 720,000, so the search stops after
    // two comparisons with no suggestion rather than compare all 500.
    let word = "abcd".repeat(150);
    let names: Vec<String> = (0..500)
        .map(|i| format!("{}{i:04}", "bacd".repeat(149)))
        .collect();
    let found = suggest_counted(&word, names.iter().map(String::as_str));
    assert_eq!(found.best, None);
    assert!(found.exhausted, "{found:?}");
    assert!(found.work <= SUGGEST_BUDGET, "{found:?}");
}

#[test]
fn a_query_of_4kb_beside_a_name_of_a_million_characters_reads_each_word_once() {
    // The lexer reads on only while a longer term could still match: a query made of the
    // huge name's words walks into it once per operand, not once per word per length (which
    // took seconds).
    let kg = big_graph();
    let q = "lorem ipsum dolor ".repeat(227);
    let e = kg.query(&q).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownEntity);
    assert_eq!(e.span.start, 0);
    assert_eq!(e.span.end, q.trim_end().len());
    let q = "xq ".repeat(1365);
    assert_eq!(kg.query(&q).unwrap_err().kind, ErrorKind::UnknownEntity);
}

#[test]
fn a_dangling_id_among_50k_ids_is_corrected_and_all_corrections_share_one_budget() {
    // 50,000 entities, then 2,000 edges whose target id is misspelt: each gets an error, the
    // first ones a suggestion, and the whole load does a bounded amount of suggestion work.
    let mut words = Words(7);
    let ids: Vec<String> = (0..ALIASES)
        .map(|i| format!("{}{i}", words.word()))
        .collect();
    let mut text = String::from(
        "(name: \"ids\", schema: (kinds: [(id: \"k\", singular: \"item\", plural: \"items\")], \
         relations: [(id: \"r\", from: [\"k\"], to: [\"k\"], forward: [\"linked to\"])]), \
         sources: [(id: \"s\", title: \"s\")], entities: [\n",
    );
    for id in &ids {
        text.push_str(&format!("(id: \"{id}\", kind: \"k\", name: \"{id}\"),\n"));
    }
    text.push_str("], relations: [\n");
    for i in 0..2000 {
        let to = format!("{}_{i}", ids[i * 7]);
        text.push_str(&format!(
            "(from: \"{}\", rel: \"r\", to: \"{to}\", source: \"s\"),\n",
            ids[i]
        ));
    }
    text.push_str("])");
    let e = KnowledgeGraph::from_str(&text).unwrap_err();
    let dangling: Vec<_> = e
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DanglingId)
        .collect();
    assert_eq!(dangling.len(), 2000);
    assert_eq!(
        dangling[0].message,
        format!("no entity has id `{}_0`", ids[0])
    );
    assert_eq!(
        dangling[0].hint.as_deref(),
        Some(format!("did you mean `{}`?", ids[0]).as_str())
    );
    let suggested = dangling.iter().filter(|d| d.hint.is_some()).count();
    eprintln!("2000 dangling ids among {ALIASES}: {suggested} got a suggestion");
    assert!(suggested >= 50, "{suggested}");
    // The same questions through a Suggester, counting: never more than the total budget
    // (plus the one search that crosses it).
    let suggester = Suggester::new(ids.iter().map(String::as_str));
    let mut total = 0;
    for i in 0..2000 {
        total += suggester.suggest(&format!("{}_{i}", ids[i * 7])).work;
    }
    eprintln!("2000 dangling ids among {ALIASES}: {total} comparisons in all");
    assert!(total <= SUGGEST_TOTAL_BUDGET + SUGGEST_BUDGET, "{total}");
}
