//! Plain questions: the corpus in tests/questions/ (questions as people type them, each with
//! the canonical reading it must get and the rows its answer must hold), and properties of
//! the question layer (a canonical query is never re-read; a reading, run as a query, gives
//! the same answer; no input panics).
//!
//! Corpus format, one block per question (see tests/questions/README.md):
//! `? question`, then `= canonical reading` or `! suggests: words` (must be refused with a
//! suggestion holding those words), `+ row` lines (names the answer must hold; `+ yes` /
//! `+ no` for yes/no questions; `+ none` for an answer that must be empty; a substring of a value for value questions), and `x reason`
//! to mark a reading known to be wrong: it is counted and reported, and the test fails if
//! it starts to pass (so the mark is removed).

use bonegraph::{Body, KnowledgeGraph};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(Debug, Default)]
struct Block {
    line: usize,
    question: String,
    reading: Option<String>,
    refused: Option<String>,
    rows: Vec<String>,
    known_wrong: Option<String>,
}

fn parse(text: &str) -> (String, Vec<Block>) {
    let mut graph = String::new();
    let mut blocks: Vec<Block> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if let Some(g) = line.strip_prefix("@graph ") {
            graph = g.split('#').next().unwrap_or_default().trim().to_owned();
        } else if let Some(q) = line.strip_prefix("? ") {
            blocks.push(Block {
                line: i + 1,
                question: q.to_owned(),
                ..Block::default()
            });
        } else if let Some(b) = blocks.last_mut() {
            if let Some(r) = line.strip_prefix("= ") {
                b.reading = Some(r.trim().to_owned());
            } else if let Some(r) = line.strip_prefix("! ") {
                b.refused = Some(r.trim().trim_start_matches("suggests:").trim().to_owned());
            } else if let Some(r) = line.strip_prefix("+ ") {
                b.rows.push(r.trim().to_owned());
            } else if let Some(r) = line.strip_prefix("x ") {
                b.known_wrong = Some(r.trim().to_owned());
            }
        }
    }
    (graph, blocks)
}

fn load(graph: &str) -> KnowledgeGraph {
    if graph == "embedded" {
        KnowledgeGraph::embedded().clone()
    } else {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(graph);
        KnowledgeGraph::from_path(&path).unwrap_or_else(|e| panic!("{graph}: {e}"))
    }
}

/// Everything an answer says, as text to look rows up in: names, values, path steps.
fn answer_text(kg: &KnowledgeGraph, asked: &bonegraph::Asked) -> Vec<String> {
    let mut out: Vec<String> = asked
        .answer
        .names(kg)
        .into_iter()
        .map(str::to_lowercase)
        .collect();
    match &asked.answer.body {
        Body::Paths(paths) => {
            for p in paths {
                for s in p {
                    out.push(kg.entity(s.from).name.to_lowercase());
                    out.push(kg.entity(s.to).name.to_lowercase());
                }
            }
        }
        Body::Card(n) => out.push(bonegraph::render::card(kg, *n).to_lowercase()),
        _ => out.push(bonegraph::render::plain(kg, &asked.answer).to_lowercase()),
    }
    out
}

/// The rows of a query's answer, to compare two readings by what they answer.
fn answer_of(kg: &KnowledgeGraph, query: &str) -> Option<(String, BTreeSet<String>)> {
    let a = kg.query(query).ok()?;
    let shape = match &a.body {
        Body::Rows(_) => "rows",
        Body::Count(_) => "count",
        Body::Paths(_) => "paths",
        Body::Card(_) => "card",
        #[allow(unreachable_patterns)]
        _ => "other",
    };
    Some((
        shape.to_owned(),
        bonegraph::render::plain(kg, &a)
            .lines()
            .map(str::to_owned)
            .collect(),
    ))
}

#[derive(Default)]
struct Tally {
    total: usize,
    /// Read as the expected reading (or one with the same answer).
    read_right: usize,
    /// ... and the answer holds every row asked for.
    answer_right: usize,
    /// Refused with a suggestion that is the expected reading (or answers the same), or
    /// refused as expected with a suggestion naming the words asked for.
    refused_usefully: usize,
    /// Refused with no useful suggestion.
    refused_otherwise: usize,
    /// Read as something else, or read when it should be refused: the worst outcome.
    misread: usize,
    known_wrong: usize,
    failures: Vec<String>,
}

fn check_file(file: &Path, tally: &mut Tally) {
    let text = std::fs::read_to_string(file).unwrap();
    let (graph, blocks) = parse(&text);
    let kg = load(&graph);
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    for b in blocks {
        tally.total += 1;
        let result = kg.ask(&b.question);
        let verdict: Result<&str, String> = match (&b.reading, &b.refused, &result) {
            (_, Some(words), Err(e)) => {
                let said = format!("{} {}", e.message, e.suggestions.join(" ")).to_lowercase();
                if e.suggestions.is_empty() {
                    Err(format!("refused without a suggestion: {}", e.message))
                } else if !words.is_empty() && !said.contains(&words.to_lowercase()) {
                    Err(format!(
                        "refused, but the suggestions {:?} do not mention `{words}`",
                        e.suggestions
                    ))
                } else {
                    Ok("refused")
                }
            }
            (_, Some(_), Ok(asked)) => Err(format!(
                "should be refused, but was read as `{}`",
                asked.read_as().unwrap_or(&b.question)
            )),
            (Some(_), _, Err(e)) => Err(format!("refused: {}", e.message)),
            (Some(expected), _, Ok(asked)) => {
                let got = asked.read_as().unwrap_or(&b.question);
                let same = got == expected
                    || answer_of(&kg, got) == answer_of(&kg, expected)
                        && answer_of(&kg, got).is_some();
                if !same {
                    Err(format!("read as `{got}`, expected `{expected}`"))
                } else {
                    let shown = answer_text(&kg, asked);
                    let missing: Vec<&String> = b
                        .rows
                        .iter()
                        .filter(|r| match r.as_str() {
                            "yes" => asked.stated() != Some(true),
                            "no" => asked.stated() != Some(false),
                            "none" => !asked.answer.is_empty(),
                            r => !shown.iter().any(|s| s.contains(&r.to_lowercase())),
                        })
                        .collect();
                    if missing.is_empty() {
                        Ok("read")
                    } else {
                        Err(format!("the answer lacks {missing:?}"))
                    }
                }
            }
            (None, None, _) => Err("block has no `=` or `!` line".to_owned()),
        };
        // The outcome, whatever the marks say.
        match (&b.reading, &result) {
            (Some(expected), Ok(asked)) => {
                let got = asked.read_as().unwrap_or(&b.question);
                if got == expected
                    || answer_of(&kg, got).is_some()
                        && answer_of(&kg, got) == answer_of(&kg, expected)
                {
                    tally.read_right += 1;
                    tally.answer_right += usize::from(verdict.is_ok());
                } else {
                    tally.misread += 1;
                }
            }
            (Some(expected), Err(e)) => {
                let useful = e.suggestions.iter().any(|s| {
                    s == expected
                        || answer_of(&kg, s).is_some()
                            && answer_of(&kg, s) == answer_of(&kg, expected)
                });
                if useful {
                    tally.refused_usefully += 1;
                } else {
                    tally.refused_otherwise += 1;
                }
            }
            (None, Ok(_)) => tally.misread += 1,
            (None, Err(_)) => {
                if verdict.is_ok() {
                    tally.refused_usefully += 1;
                } else {
                    tally.refused_otherwise += 1;
                }
            }
        }
        match (verdict, &b.known_wrong) {
            (Ok(_), None) => {}
            (Ok(_), Some(reason)) => tally.failures.push(format!(
                "{name}:{}: `{}` now passes; remove its `x {reason}` mark",
                b.line, b.question
            )),
            (Err(_), Some(_)) => tally.known_wrong += 1,
            (Err(why), None) => {
                tally
                    .failures
                    .push(format!("{name}:{}: `{}`: {why}", b.line, b.question));
            }
        }
    }
}

#[test]
fn the_question_corpus_is_read_as_its_readings_say() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/questions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus in {}", dir.display());
    let mut tally = Tally::default();
    for f in &files {
        check_file(f, &mut tally);
    }
    eprintln!(
        "questions: {} in all; {} read right, {} of them with every row asked for; {} refused with a useful suggestion, {} refused without one; {} misread; {} marked known-wrong",
        tally.total,
        tally.read_right,
        tally.answer_right,
        tally.refused_usefully,
        tally.refused_otherwise,
        tally.misread,
        tally.known_wrong
    );
    assert!(
        tally.total >= 200,
        "the corpus has {} questions",
        tally.total
    );
    assert!(
        tally.failures.is_empty(),
        "{} questions fail:\n{}",
        tally.failures.len(),
        tally.failures.join("\n")
    );
}

#[test]
fn a_canonical_query_is_answered_as_written_with_no_reading() {
    let kg = KnowledgeGraph::embedded();
    for line in include_str!("../grammar/corpus/accepted.txt").lines() {
        let q = line.split(" => ").next().unwrap_or_default().trim();
        if q.is_empty() || q.starts_with('#') {
            continue;
        }
        // Only queries that also resolve: the corpus holds some that only parse.
        let Ok(answer) = kg.query(q) else { continue };
        let asked = kg.ask(q).unwrap_or_else(|e| panic!("`{q}`: {e}"));
        assert_eq!(asked.read_as(), None, "`{q}` was re-read");
        assert_eq!(asked.answer, answer, "`{q}`");
    }
}

#[test]
fn a_question_on_another_graph_is_read_with_that_graphs_words() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/tiny.ron");
    let kg = KnowledgeGraph::from_path(&path).unwrap();
    let asked = kg
        .ask(&format!(
            "what is {}?",
            kg.entity(kg.nodes().next().unwrap()).name
        ))
        .unwrap();
    assert!(asked.read_as().unwrap().starts_with("describe "));
    let only = crate::domain_words::embedded_only_words(&std::fs::read_to_string(&path).unwrap());
    for q in [
        "how do i bake bread",
        "is it bad?",
        "what treats it",
        "compare x and y",
    ] {
        let said = match kg.ask(q) {
            Ok(a) => bonegraph::render::reading(&kg, &a),
            Err(e) => format!("{e} {:?} {:?}", e.suggestions, e.help),
        };
        for w in crate::domain_words::words(&said) {
            assert!(
                !only.contains(&w),
                "`{w}` of the embedded graph in what `{q}` gets: {said}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any text, made of the graph's words and English filler: no panic, and whatever it is
    /// read as is a canonical query that reads as itself and answers as the question did.
    #[test]
    fn a_reading_run_as_a_query_gives_the_same_answer(words in proptest::collection::vec(
        prop_oneof![
            Just("what"), Just("which"), Just("is"), Just("does"), Just("how"), Just("often"),
            Just("treat"), Just("treats"), Just("cause"), Just("of"), Just("for"), Just("the"),
            Just("zometa"), Just("prolia"), Just("bone pain"), Just("fracture"), Just("therapies"),
            Just("side effects"), Just("symptoms"), Just("rare"), Just("may"), Just("vs"),
            Just("lung cancer"), Just("spread"), Just("to"), Just("?"), Just("please"),
            Just("xyzzy"), Just("death"), Just("lead"), Just("bones"), Just("a"), Just("bisphosphonate"),
        ],
        0..9,
    )) {
        let kg = KnowledgeGraph::embedded();
        let q = words.join(" ");
        if let Ok(asked) = kg.ask(&q)
            && let Some(read) = asked.read_as() {
                let again = kg.ask(read).expect("a reading prepares");
                prop_assert_eq!(again.read_as(), None, "`{}` re-read", read);
                prop_assert_eq!(&again.answer, &asked.answer);
            }
    }

    /// Arbitrary text never panics and stays within the query limits.
    #[test]
    fn any_text_is_read_or_refused(text in "\\PC{0,200}") {
        let _ = KnowledgeGraph::embedded().ask(&text);
    }
}
