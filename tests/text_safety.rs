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
        "error: unknown entity `xyzzy`\n  |\n1 | xyzzy\n  | ^^^^^\n  |\n  = help: no entity has that name or alias; in the shell, Tab lists the names that fit here\n"
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
    // The report lists the first ones and counts the rest (no search is made for those).
    assert_eq!(
        dangling.len(),
        bonegraph::load::MAX_DIAGNOSTICS_PER_CODE + 1
    );
    assert_eq!(
        dangling.last().unwrap().message,
        "... and 1800 more `dangling-id` errors not listed"
    );
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

#[test]
fn a_kind_word_used_as_a_name_is_explained_with_the_graphs_own_phrase() {
    let kg = accented_graph(false);
    let q = decompose("describe r\u{e9}sum\u{e9}s");
    let e = kg.query(&q).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownEntity);
    assert_eq!(
        e.help.as_deref(),
        Some(
            "`r\u{e9}sum\u{e9}s` is a kind; use it at the start of a question, as in `r\u{e9}sum\u{e9}s cit\u{e9} ...`"
        )
    );
}

// -------------------------------------------------------------------------------------------
// Names are compared after Unicode normalisation (NFC).

/// `résumé` with a precomposed `é` (NFC) and with `e` and a combining acute accent (NFD).
const RESUME_NFC: &str = "r\u{e9}sum\u{e9}";
const RESUME_NFD: &str = "re\u{301}sume\u{301}";

/// A small graph of another domain whose words are accented, written in `form`
/// (`nfc` or `nfd`): kind words, a phrase, names and aliases.
fn accented_graph(nfd: bool) -> KnowledgeGraph {
    let t = |s: &str| -> String {
        use std::fmt::Write;
        // Spell every é, ü and ï decomposed, or keep them precomposed.
        let mut out = String::new();
        for c in s.chars() {
            match (nfd, c) {
                (true, '\u{e9}') => out.push_str("e\u{301}"),
                (true, '\u{fc}') => out.push_str("u\u{308}"),
                (true, '\u{ef}') => out.push_str("i\u{308}"),
                _ => {
                    let _ = write!(out, "{c}");
                }
            }
        }
        out
    };
    GraphBuilder::new("papers")
        .kind("cv", &t("r\u{e9}sum\u{e9}"), &t("r\u{e9}sum\u{e9}s"))
        .kind("place", "place", "places")
        .relation(
            "cites",
            &["cv"],
            &["place"],
            &[&t("cit\u{e9}")],
            &[&t("cit\u{e9} par")],
        )
        .source("s", "s")
        .entity("cv1", "cv", &t("R\u{e9}sum\u{e9} of Zo\u{eb}"))
        .entity("cafe", "place", &t("Caf\u{e9} M\u{fc}ller"))
        .alias("cafe", &t("na\u{ef}ve caf\u{e9}"))
        // A letter with a mark that has no precomposed form: it stays two characters in NFC.
        .entity("tap", "place", "Spin\u{308}al Tap")
        .edge("cv1", "cites", "cafe", "s")
        .edge("cv1", "cites", "tap", "s")
        .build()
        .expect("the accented graph is valid")
}

/// `text` with every precomposed é, ü, ï, ë decomposed (NFD for these letters).
fn decompose(text: &str) -> String {
    text.replace('\u{e9}', "e\u{301}")
        .replace('\u{fc}', "u\u{308}")
        .replace('\u{ef}', "i\u{308}")
        .replace('\u{eb}', "e\u{308}")
}

#[test]
fn a_query_in_either_normal_form_finds_names_written_in_the_other() {
    for graph_nfd in [false, true] {
        let kg = accented_graph(graph_nfd);
        for q in [
            "r\u{e9}sum\u{e9}s cit\u{e9} Caf\u{e9} M\u{fc}ller",
            "places cit\u{e9} par R\u{e9}sum\u{e9} of Zo\u{eb}",
            "describe na\u{ef}ve caf\u{e9}",
            "\"CAF\u{c9} M\u{dc}LLER\"",
        ] {
            for query in [q.to_owned(), decompose(q)] {
                let answer = kg.query(&query).unwrap_or_else(|e| {
                    panic!("{query:?} on nfd={graph_nfd}: {}", e.render(&query))
                });
                assert!(!answer.is_empty(), "{query:?}");
            }
        }
        let places = kg.query(&decompose(
            "places cit\u{e9} par R\u{e9}sum\u{e9} of Zo\u{eb}",
        ));
        assert_eq!(places.unwrap().len(), 2);
    }
}

#[test]
fn combining_marks_are_part_of_words() {
    let kg = accented_graph(true);
    // The mark with no precomposed form joins its letter, typed either way round.
    assert!(kg.query("describe spin\u{308}al tap").is_ok());
    assert!(kg.query("SPIN\u{308}AL TAP").is_ok());
    // It is no separator: the word split at the mark is another name.
    let e = kg.query("describe spin al tap").unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownEntity);
    // `résumé` in NFD is one word, not `re sume`.
    assert_eq!(bonegraph::normalize(RESUME_NFD), RESUME_NFC);
    assert_ne!(bonegraph::normalize(RESUME_NFD), "re sume");
    assert_eq!(
        kg.vocabulary()
            .lookup(&bonegraph::normalize(&format!("{RESUME_NFD}s")))
            .len(),
        1,
        "the plural kind word, as one term"
    );
    assert!(kg.vocabulary().lookup("re sume").is_empty());
    // A query that splits the word does not find it.
    let e = kg
        .query("re sumes cit\u{e9} caf\u{e9} m\u{fc}ller")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownKind);
}

#[test]
fn an_error_after_an_nfd_word_points_at_the_bytes_typed() {
    let kg = accented_graph(false);
    let q = format!("{RESUME_NFD}s cite\u{301} xyzzy");
    let e = kg.query(&q).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownEntity);
    assert_eq!(e.message, "unknown entity `xyzzy`");
    // The span is in bytes of the text as typed (each combining accent is two bytes).
    let at = q.find("xyzzy").unwrap();
    assert_eq!((e.span.start, e.span.end), (at, at + 5));
    assert_eq!(&q[e.span.start..e.span.end], "xyzzy");
    // The caret sits under the word on screen: the accents take no column.
    let shown = e.render(&q);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines[2], format!("1 | {q}"));
    assert_eq!(
        lines[3],
        format!("  | {}^^^^^", " ".repeat("résumés cité ".chars().count()))
    );
}

#[test]
fn names_equal_after_normalisation_clash() {
    let text = |a: &str, b: &str| {
        format!(
            "(name: \"x\", schema: (kinds: [(id: \"k\", singular: \"item\", plural: \"items\")], \
             relations: []), entities: [\n(id: \"nfc\", kind: \"k\", name: \"{a}\"),\n\
             (id: \"nfd\", kind: \"k\", name: \"{b}\"),\n])"
        )
    };
    let e = KnowledgeGraph::from_str(&text(RESUME_NFC, RESUME_NFD)).unwrap_err();
    let clash: Vec<_> = e.errors().collect();
    assert_eq!(clash.len(), 1, "{e:?}");
    assert_eq!(clash[0].code, Code::NameClash);
    assert_eq!(
        clash[0].message,
        format!("`{RESUME_NFD}` names both `nfc` and `nfd`")
    );
    assert_eq!(clash[0].location.map(|l| l.line), Some(3));
    assert!(
        clash[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.ends_with("names are compared after Unicode normalisation (NFC)")),
        "{:?}",
        clash[0].hint
    );
    // Also the other way round, and through an alias, and in another case.
    let e = KnowledgeGraph::from_str(&text(&RESUME_NFD.to_uppercase(), RESUME_NFC)).unwrap_err();
    assert_eq!(e.errors().next().map(|d| d.code), Some(Code::NameClash));
    // Kind words that differ only in normal form clash as well.
    let kinds = format!(
        "(name: \"x\", schema: (kinds: [(id: \"a\", singular: \"{RESUME_NFC}\", plural: \"as\"), \
         (id: \"b\", singular: \"{RESUME_NFD}\", plural: \"bs\")], relations: []))"
    );
    let e = KnowledgeGraph::from_str(&kinds).unwrap_err();
    let d = e.errors().next().unwrap();
    assert_eq!(d.code, Code::PhraseClash);
    assert_eq!(
        d.message,
        format!("the word `{RESUME_NFD}` is claimed by kinds `a` and `b`")
    );
}

// -------------------------------------------------------------------------------------------
// Control characters in graph text never reach a terminal raw.

/// Set the terminal's title, then ring the bell.
const RETITLE: &str = "\u{1b}]0;pwned\u{7}";
/// Clear the screen and move home.
const CLEAR: &str = "\u{1b}[2J\u{1b}[H";

/// A graph whose every kind of string holds terminal codes: names, an alias, a summary, a
/// kind word, a relation id, a source title, a section id, qualifiers, a conflict id and note,
/// an attribute label and value.
fn hostile_text() -> String {
    format!(
        r#"(
  name: "hostile{RETITLE}",
  schema: (
    kinds: [(id: "item{CLEAR}", singular: "item{bel}", plural: "items")],
    relations: [(id: "links{bel}", from: ["*"], to: ["*"], forward: ["linked to"], inverse: ["linked from"])],
    attributes: [(id: "colour", label: "col{bel}our", single_valued: true)],
  ),
  sources: [(id: "src{esc}", title: "Book{RETITLE}", sections: [(id: "ch{esc}1", title: "one"), (id: "ch2", title: "two")])],
  conflicts: [(id: "c{bel}1", note: "they disagree{CLEAR} here{rlo}gnorw")],
  entities: [
    (id: "evil", kind: "item{CLEAR}", name: "Evil{RETITLE} name", aliases: ["alias{CLEAR}x"],
     summary: "sum\nmary\rwith {rlo}olr, {csi}31m, {del} and {ls}",
     attributes: [
       (key: "colour", value: "red{esc}[31m", source: "src{esc}", section: "ch{esc}1", conflict: "c{bel}1"),
       (key: "colour", value: "green", source: "src{esc}", section: "ch2", conflict: "c{bel}1"),
     ]),
    (id: "plain", kind: "item{CLEAR}", name: "plain thing"),
  ],
  relations: [
    (from: "evil", rel: "links{bel}", to: "plain", source: "src{esc}", section: "ch{esc}1", hedge: "may{esc}[5m", note: "two\nlines", conflict: "c{bel}1"),
    (from: "evil", rel: "links{bel}", to: "plain", source: "src{esc}", section: "ch2", conflict: "c{bel}1"),
  ],
)"#,
        esc = '\u{1b}',
        bel = '\u{7}',
        rlo = '\u{202e}',
        csi = '\u{9b}',
        del = '\u{7f}',
        ls = '\u{2028}',
    )
}

fn hostile_graph() -> KnowledgeGraph {
    KnowledgeGraph::from_str(&hostile_text()).unwrap_or_else(|e| panic!("{e:?}"))
}

/// Fails if `text` holds any character a terminal would act on, other than the newlines the
/// printers write: C0 controls (tab included), DEL, C1 controls, line and paragraph separators
/// and bidirectional controls. An oracle of its own, not `text::is_control`.
#[track_caller]
fn assert_terminal_safe(what: &str, text: &str) {
    for (at, c) in text.char_indices() {
        let raw = (c < ' ' && c != '\n')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(
                c,
                '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
            );
        assert!(!raw, "{what}: raw {c:?} at byte {at} in\n{text}");
    }
}

#[test]
fn answers_printed_as_text_show_control_characters_escaped() {
    let kg = hostile_graph();
    let q = "items linked to plain thing";
    let answer = kg.query(q).unwrap();
    assert_eq!(answer.len(), 1);
    let table = answer.to_table(&kg);
    assert_terminal_safe("table", &table);
    assert!(table.contains(r"Evil\e]0;pwned\u{7} name"), "{table}");
    assert!(table.contains(r"item\u{7}"), "{table}");
    assert!(table.contains(r"may\e[5m"), "{table}");
    assert!(
        table.contains(r"they disagree\e[2J\e[H here\u{202e}gnorw"),
        "{table}"
    );
    assert!(table.contains(r"[src\e, ch\e1]"), "{table}");
    let plain = answer.to_plain(&kg);
    assert_terminal_safe("plain", &plain);
    assert_eq!(plain, "Evil\\e]0;pwned\\u{7} name\n");
    let explained = answer.explain_row(&kg, 0).unwrap();
    assert_terminal_safe("explain", &explained);
    assert!(explained.contains(r"links\u{7} plain thing"), "{explained}");
    assert_terminal_safe("conflict notes", &answer.conflict_text(&kg));
    // Paths, counts and empty answers.
    for q in [
        "path from evil 0 pwned name to plain thing",
        "count items linked to plain thing",
        "items linked to evil 0 pwned name",
    ] {
        let answer = kg.query(q).unwrap();
        assert_terminal_safe(q, &answer.to_table(&kg));
        assert_terminal_safe(q, &answer.to_plain(&kg));
    }
}

#[test]
fn a_card_shows_control_characters_escaped() {
    let kg = hostile_graph();
    let card = kg
        .query("describe evil 0 pwned name")
        .unwrap()
        .to_table(&kg);
    assert_terminal_safe("card", &card);
    // The graph's newline is shown, not obeyed: no line of the card starts with its tail.
    assert!(
        card.contains(r"sum\nmary\rwith \u{202e}olr, \u{9b}31m, \u{7f} and \u{2028}"),
        "{card}"
    );
    assert!(!card.lines().any(|l| l.starts_with("mary")), "{card}");
    assert!(card.contains(r"also called: alias\e[2J\e[Hx"), "{card}");
    assert!(card.contains(r"col\u{7}our  red\e[31m"), "{card}");
    let other = kg.query("describe plain thing").unwrap();
    assert_terminal_safe("card", &other.to_plain(&kg));
}

#[test]
fn query_errors_show_typed_and_graph_text_escaped() {
    let kg = hostile_graph();
    // Typed control characters (separators to the lexer), then a misspelt name whose entity
    // has a hostile name.
    let q = "items linked to \u{1b}\u{7}\u{202e} evil 0 pwnd name\r";
    let e = kg.query(q).unwrap_err();
    let shown = e.render(q);
    assert_terminal_safe("query error", &shown);
    assert_eq!(e.message, "unknown entity `evil 0 pwnd name`");
    assert!(
        shown.contains(r"1 | items linked to \e\u{7}\u{202e} evil 0 pwnd name\r"),
        "{shown}"
    );
    // The caret sits under the misspelt name in the escaped line.
    let lines: Vec<&str> = shown.lines().collect();
    let at = lines[2].find("evil 0 pwnd").unwrap();
    assert_eq!(lines[3].find('^'), Some(at), "{shown}");
    assert_eq!(
        lines[5],
        r"  = help: did you mean `evil 0 pwned name` (Evil\e]0;pwned\u{7} name)?"
    );
    assert_terminal_safe("display", &e.to_string());
    // JSON keeps the exact text.
    let json = serde_json::to_string(&e).unwrap();
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        back["help"].as_str().unwrap(),
        format!("did you mean `evil 0 pwned name` (Evil{RETITLE} name)?")
    );
}

#[test]
fn json_keeps_the_exact_text() {
    let kg = hostile_graph();
    let q = "items linked to plain thing";
    let answer = kg.query(q).unwrap();
    let json = answer.to_json(&kg, q).to_string();
    let back: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(back["rows"][0]["name"], format!("Evil{RETITLE} name"));
    assert_eq!(
        back["conflicts"][0]["note"],
        format!("they disagree{CLEAR} here\u{202e}gnorw")
    );
    let card = kg.query("describe evil 0 pwned name").unwrap();
    let back: serde_json::Value =
        serde_json::from_str(&card.to_json(&kg, "describe").to_string()).unwrap();
    assert_eq!(
        back["entity"]["summary"],
        "sum\nmary\rwith \u{202e}olr, \u{9b}31m, \u{7f} and \u{2028}"
    );
    assert_eq!(back["entity"]["aliases"][0], format!("alias{CLEAR}x"));
}

#[test]
fn check_shows_control_characters_escaped() {
    let text = hostile_text();
    let checked = bonegraph::load::check_str(&text);
    assert!(checked.graph.is_some());
    let report = bonegraph::render::check::CheckReport::new("hostile\u{1b}[2J.ron", &checked);
    let shown = report.render_text(Some(&text));
    assert_terminal_safe("check", &shown);
    assert!(
        shown.contains(r"hostile\e[2J.ron: hostile\e]0;pwned\u{7}"),
        "{shown}"
    );
    assert!(
        shown.contains(r"c\u{7}1 (contradiction): they disagree\e[2J\e[H"),
        "{shown}"
    );
    assert_terminal_safe(
        "audit",
        &bonegraph::render::check::audit_markdown(checked.graph.as_ref().unwrap()),
    );
    // The JSON report keeps the exact text.
    let json: serde_json::Value = serde_json::to_value(&report).unwrap();
    assert_eq!(json["name"], format!("hostile{RETITLE}"));
}

#[test]
fn load_errors_quote_the_file_with_control_characters_escaped() {
    // A dangling id holding an escape sequence, on a tab-indented line.
    let text = hostile_text().replace(
        "(from: \"evil\", rel: \"links\u{7}\", to: \"plain\", source: \"src\u{1b}\", section: \"ch2\"",
        "\t(from: \"evil\", rel: \"links\u{7}\", to: \"pl\u{1b}[2Jain\", source: \"src\u{1b}\", section: \"ch2\"",
    );
    let checked = bonegraph::load::check_str(&text);
    let d = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DanglingId)
        .expect("a dangling id");
    assert_eq!(d.message, "no entity has id `pl\u{1b}[2Jain`");
    let shown = d.render("hostile.ron", Some(&text));
    assert_terminal_safe("diagnostic", &shown);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(
        lines[0],
        r"error[dangling-id]: no entity has id `pl\e[2Jain`"
    );
    // The tab is four spaces, and the caret is under the escaped id.
    let quoted = lines[3];
    assert!(
        quoted.contains(r#"|         (from: "evil", rel: "links\u{7}", to: "pl\e[2Jain""#),
        "{shown}"
    );
    let at = quoted.find(r#""pl\e"#).unwrap();
    assert_eq!(lines[4].find('^'), Some(at), "{shown}");
    assert_eq!(
        lines[4].trim_start_matches([' ', '|']).len(),
        r#""pl\e[2Jain""#.len(),
        "{shown}"
    );
    assert_terminal_safe("display", &d.to_string());
    let report = bonegraph::render::check::CheckReport::new("hostile.ron", &checked);
    assert_terminal_safe("check", &report.render_text(Some(&text)));
}

#[test]
fn the_command_line_prints_no_raw_control_characters() {
    let dir = crate::util::scratch("text-safety-cli");
    let path = dir.join("hostile.ron");
    std::fs::write(&path, hostile_text()).unwrap();
    let file = path.to_str().unwrap();
    for args in [
        vec!["--graph", file, "query", "items linked to plain thing"],
        vec![
            "--graph",
            file,
            "query",
            "--format",
            "plain",
            "items linked to plain thing",
        ],
        vec!["--graph", file, "query", "describe evil 0 pwned name"],
        vec!["--graph", file, "query", "items linked to evil 0 pwnd name"],
        vec!["check", file],
    ] {
        let out = crate::util::bonegraph(&args);
        assert_terminal_safe(&format!("{args:?} stdout"), &crate::util::stdout(&out));
        assert_terminal_safe(&format!("{args:?} stderr"), &crate::util::stderr(&out));
    }
    // The shell's meta-commands print graph text too: names, notes, titles, phrases, DOT.
    let session = b"items linked to plain thing\n:explain 1\n:sources\n:why\n:schema\n:kinds\n:stats\n:dot\ndescribe evil 0 pwned name\n:sources\nitems linked to nothing at all\n:why\n";
    let out = crate::util::piped(&["--graph", file], session);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("evil"), "the session ran: {stdout}");
    assert_terminal_safe("shell stdout", &stdout);
    assert_terminal_safe("shell stderr", &String::from_utf8_lossy(&out.stderr));
}

mod properties {
    use super::assert_terminal_safe;
    use bonegraph::model::{ConflictDef, EdgeDef, EntityDef};
    use bonegraph::text::escape_control;
    use bonegraph::{ConflictKind, GraphBuilder, KnowledgeGraph};
    use proptest::prelude::*;

    /// Text made mostly of control characters of every family, with some ordinary letters.
    fn hostile() -> impl Strategy<Value = String> {
        let controls = vec![
            '\0', '\u{7}', '\u{8}', '\t', '\n', '\u{b}', '\r', '\u{1b}', '\u{7f}', '\u{85}',
            '\u{9b}', '\u{61c}', '\u{200f}', '\u{2028}', '\u{202e}', '\u{2066}', '\u{2069}', '\\',
            'e', '[', ']', ';',
        ];
        proptest::collection::vec(
            prop_oneof![3 => proptest::sample::select(controls), 1 => any::<char>()],
            0..24,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    /// A graph that puts `s` in every kind of string a printer shows.
    fn graph(s: &str) -> Option<KnowledgeGraph> {
        GraphBuilder::new(format!("g{s}"))
            .kind("k", &format!("kind{s}"), "kinds")
            .relation(&format!("r{s}"), &["*"], &["*"], &["linked to"], &[])
            .source("s", s)
            .conflict_def(ConflictDef {
                id: format!("c{s}"),
                kind: ConflictKind::Slip,
                note: s.to_owned(),
            })
            .entity_def(EntityDef {
                id: "a".to_owned(),
                kind: "k".to_owned(),
                name: format!("name {s}"),
                aliases: vec![format!("alias {s}")],
                summary: Some(s.to_owned()),
                ..EntityDef::default()
            })
            .entity("b", "k", "other")
            .edge_def(EdgeDef {
                from: "a".to_owned(),
                rel: format!("r{s}"),
                to: "b".to_owned(),
                source: Some("s".to_owned()),
                hedge: Some(format!("may {s}")),
                note: Some(s.to_owned()),
                conflict: Some(format!("c{s}")),
                ..EdgeDef::default()
            })
            .build()
            .ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn escaping_leaves_nothing_raw_and_plain_text_alone(s in hostile()) {
            assert_terminal_safe("escaped", &escape_control(&s));
            let plain: String = s.chars().filter(|c| !c.is_control() && !matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2066}'..='\u{2069}')).collect();
            prop_assert_eq!(escape_control(&plain), plain.as_str());
        }

        #[test]
        fn every_text_printer_escapes_any_graph_text(s in hostile()) {
            let Some(kg) = graph(&s) else { return Ok(()) };
            let answer = kg.query("things linked to other").unwrap();
            assert_terminal_safe("table", &answer.to_table(&kg));
            assert_terminal_safe("plain", &answer.to_plain(&kg));
            if let Some(explained) = answer.explain_row(&kg, 0) {
                assert_terminal_safe("explain", &explained);
            }
            let a = kg.node_by_id("a").unwrap();
            assert_terminal_safe("card", &bonegraph::render::card(&kg, a));
            let json: serde_json::Value =
                serde_json::from_str(&answer.to_json(&kg, "q").to_string()).unwrap();
            let name = format!("name {s}");
            prop_assert_eq!(json["rows"][0]["name"].as_str(), Some(name.as_str()));
            let checked = bonegraph::load::check_model(&GraphBuilder::new(&s).model().clone());
            let report = bonegraph::render::check::CheckReport::new(&s, &checked);
            assert_terminal_safe("check", &report.render_text(Some(&s)));
        }

        #[test]
        fn query_errors_and_diagnostics_escape_any_text(s in hostile(), at in 0usize..30) {
            let kg = KnowledgeGraph::embedded();
            if let Err(e) = kg.query(&s) {
                assert_terminal_safe("query error", &e.render(&s));
                assert_terminal_safe("display", &e.to_string());
            }
            let d = bonegraph::Diagnostic::error(bonegraph::Code::Syntax, s.clone())
                .hint(s.clone())
                .at(Some(bonegraph::Location { line: 1, column: at + 1, width: at % 5 }));
            assert_terminal_safe("diagnostic", &d.render(&s, Some(&s)));
            assert_terminal_safe("display", &d.to_string());
        }
    }
}
