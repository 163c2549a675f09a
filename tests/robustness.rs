//! Hostile graph files: every one gets errors with positions, never a panic or a hang.

use bonegraph::load::check_str;
use bonegraph::{Code, EMBEDDED_GRAPH, KnowledgeGraph, Severity};

fn assert_rejected(text: &str) -> Vec<bonegraph::Diagnostic> {
    let checked = check_str(text);
    assert!(checked.graph.is_none(), "should not load: {:.60}", text);
    let errors: Vec<_> = checked
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(!errors.is_empty());
    errors
}

#[test]
fn empty_and_blank_files_are_rejected_as_empty() {
    for text in ["", "   \n\t\n", "// only a comment\n"] {
        let errors = assert_rejected(text);
        assert_eq!(errors[0].message, "the file is empty");
    }
}

#[test]
fn every_truncation_of_a_graph_file_is_rejected_with_a_position() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/valid/tiny.ron"
    ))
    .unwrap();
    let end = text.trim_end().len() - 1; // the closing parenthesis
    for cut in (0..end).filter(|&i| text.is_char_boundary(i)) {
        let errors = assert_rejected(&text[..cut]);
        assert!(
            errors.iter().all(|e| e.location.is_some()),
            "cut at {cut}: {errors:?}"
        );
    }
}

#[test]
fn truncations_of_the_real_graph_never_panic() {
    let step = EMBEDDED_GRAPH.len() / 300;
    for cut in (0..EMBEDDED_GRAPH.len() - 2).step_by(step.max(1)) {
        if EMBEDDED_GRAPH.is_char_boundary(cut) {
            assert_rejected(&EMBEDDED_GRAPH[..cut]);
        }
    }
}

#[test]
fn binary_garbage_is_rejected() {
    // A fixed pseudo-random byte stream (xorshift), made into text the way the loader would.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in [1usize, 7, 64, 1000, 20_000] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        match bonegraph::load::decode_utf8(bytes) {
            Err(d) => assert_eq!(d.code, Code::InvalidUtf8),
            Ok(text) => {
                assert_rejected(&text);
            }
        }
    }
}

#[test]
fn deeply_nested_brackets_are_rejected_without_overflowing_the_stack() {
    for open in ["(", "[", "{", "Some("] {
        let text = open.repeat(100_000);
        let errors = assert_rejected(&text);
        assert_eq!(errors[0].code, Code::Syntax);
    }
    // Deep nesting inside an otherwise valid field.
    let text = format!(
        "(name: \"x\", schema: (kinds: [], relations: []), description: {}\"x\"{})",
        "Some(".repeat(5_000),
        ")".repeat(5_000)
    );
    let errors = assert_rejected(&text);
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("nested too deeply")
            || errors[0].code == Code::Syntax
    );
}

#[test]
fn wrong_types_and_shapes_are_syntax_errors_with_positions() {
    for text in [
        "42",
        "\"a string\"",
        "(name: 3, schema: (kinds: [], relations: []))",
        "(name: \"x\", schema: (kinds: \"none\", relations: []))",
        "(name: \"x\", schema: (kinds: [], relations: []), entities: [(id: \"a\", kind: \"k\", name: \"a\", certainty: Sure)])",
        "(name: \"x\", schema: (kinds: [], relations: []), relations: [(from: \"a\", rel: \"r\", to: \"b\", certainty: Sure)])",
        "(name: \"x\", schema: (kinds: [], relations: []), name: \"y\")",
    ] {
        let errors = assert_rejected(text);
        assert_eq!(errors[0].code, Code::Syntax, "{text}: {errors:?}");
        assert!(errors[0].location.is_some(), "{text}");
    }
}

#[test]
fn a_large_generated_graph_with_is_a_cycles_lists_the_first_loops_and_counts_the_rest() {
    // 2,000 entities in 1,000 two-member is_a loops: every loop is found, nothing recurses,
    // and the report lists a bounded number of them.
    let mut text = String::from(
        "(name: \"loops\", schema: (kinds: [(id: \"k\", singular: \"k\", plural: \"ks\")], \
         relations: [(id: \"is_a\", from: [\"*\"], to: [\"*\"], hierarchy: true)]),\nentities: [\n",
    );
    for i in 0..2000 {
        text.push_str(&format!(
            "(id: \"e{i}\", kind: \"k\", name: \"entity {i}\"),\n"
        ));
    }
    text.push_str("],\nrelations: [\n");
    for i in (0..2000).step_by(2) {
        text.push_str(&format!(
            "(from: \"e{i}\", rel: \"is_a\", to: \"e{}\"),\n",
            i + 1
        ));
        text.push_str(&format!(
            "(from: \"e{}\", rel: \"is_a\", to: \"e{i}\"),\n",
            i + 1
        ));
    }
    text.push_str("])");
    let errors = assert_rejected(&text);
    let cycles: Vec<_> = errors.iter().filter(|e| e.code == Code::Cycle).collect();
    assert_eq!(cycles.len(), bonegraph::load::MAX_DIAGNOSTICS_PER_CODE + 1);
    assert_eq!(
        cycles.last().unwrap().message,
        "... and 800 more `cycle` errors not listed"
    );
}

#[test]
fn a_long_is_a_chain_loads_and_its_closure_is_complete() {
    let n = 5_000;
    let mut text = String::from(
        "(name: \"chain\", schema: (kinds: [(id: \"k\", singular: \"k\", plural: \"ks\")], \
         relations: [(id: \"is_a\", from: [\"*\"], to: [\"*\"], hierarchy: true)]),\nentities: [\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "(id: \"e{i}\", kind: \"k\", name: \"entity {i}\"),\n"
        ));
    }
    text.push_str("],\nrelations: [\n");
    for i in 1..n {
        text.push_str(&format!(
            "(from: \"e{i}\", rel: \"is_a\", to: \"e{}\", source: \"s\"),\n",
            i - 1
        ));
    }
    text.push_str("], sources: [(id: \"s\", title: \"s\")])");
    let kg = KnowledgeGraph::from_str(&text).expect("a long chain is valid");
    let last = kg.node_by_id(&format!("e{}", n - 1)).unwrap();
    assert_eq!(kg.ancestors(last).len(), n - 1);
}

/// A small deterministic random number generator (xorshift64), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One random edit of a graph file: a deleted, duplicated or swapped line; an id swapped for
/// another; a kind changed; a character deleted or inserted.
fn mutate(text: &str, rng: &mut Rng, ids: &[String], kinds: &[String]) -> (String, String) {
    let mut lines: Vec<&str> = text.lines().collect();
    match rng.below(7) {
        0 => {
            let i = rng.below(lines.len());
            lines.remove(i);
            (lines.join("\n"), format!("deleted line {}", i + 1))
        }
        1 => {
            let i = rng.below(lines.len());
            lines.insert(i, lines[i]);
            (lines.join("\n"), format!("duplicated line {}", i + 1))
        }
        2 => {
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(i, j);
            (
                lines.join("\n"),
                format!("swapped lines {} and {}", i + 1, j + 1),
            )
        }
        3 => {
            let (a, b) = (&ids[rng.below(ids.len())], &ids[rng.below(ids.len())]);
            let from = format!("\"{a}\"");
            let hits: Vec<usize> = text.match_indices(&from).map(|(i, _)| i).collect();
            let at = hits[rng.below(hits.len())];
            let mut out = text.to_owned();
            out.replace_range(at..at + from.len(), &format!("\"{b}\""));
            (out, format!("id `{a}` at byte {at} became `{b}`"))
        }
        4 => {
            let kind_fields: Vec<usize> =
                text.match_indices("kind: \"").map(|(i, _)| i + 7).collect();
            let at = kind_fields[rng.below(kind_fields.len())];
            let end = at + text[at..].find('"').unwrap();
            let new = if rng.below(2) == 0 {
                kinds[rng.below(kinds.len())].clone()
            } else {
                "no such kind".to_owned()
            };
            let mut out = text.to_owned();
            out.replace_range(at..end, &new);
            (out, format!("kind at byte {at} became `{new}`"))
        }
        5 => {
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut out = text.to_owned();
            out.remove(at);
            (out, format!("deleted the character at byte {at}"))
        }
        _ => {
            let mut at = rng.below(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let pool = b"()[]{}\",:\\ ax9\n#/*";
            let c = pool[rng.below(pool.len())] as char;
            let mut out = text.to_owned();
            out.insert(at, c);
            (out, format!("inserted {c:?} at byte {at}"))
        }
    }
}

/// Thousands of random edits of graph.ron: each one either still loads or fails with errors
/// that all carry a line and column; none panics. More with `BONEGRAPH_MUTATIONS=N`.
#[test]
fn random_edits_of_graph_ron_load_or_fail_with_positioned_errors() {
    let kg = KnowledgeGraph::embedded();
    let ids: Vec<String> = kg.nodes().map(|n| kg.entity(n).id.clone()).collect();
    let kinds: Vec<String> = kg.schema().kinds.iter().map(|k| k.id.clone()).collect();
    let count: usize = std::env::var("BONEGRAPH_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut rng = Rng(0x5EED_B0E5);
    let (mut loaded, mut refused) = (0, 0);
    for i in 0..count {
        let (text, what) = mutate(EMBEDDED_GRAPH, &mut rng, &ids, &kinds);
        let checked = check_str(&text);
        match checked.graph {
            Some(_) => loaded += 1,
            None => {
                refused += 1;
                for d in checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                {
                    assert!(
                        d.location.is_some(),
                        "mutation {i} ({what}): error without a position: {d:?}"
                    );
                    let _ = d.render("graph.ron", Some(&text));
                }
            }
        }
    }
    assert_eq!(loaded + refused, count);
    assert!(
        refused > count / 4,
        "most edits should break something: {refused} of {count}"
    );
    eprintln!("{count} mutations: {loaded} still load, {refused} refused with positioned errors");
}

/// Found by fuzzing the loader: a fault inside long leading whitespace, on a line wider than
/// the quote, made the diagnostic renderer underflow. Quotes are now cut to a window around
/// the fault, and the place keeps the original line and column.
#[test]
fn a_fault_after_long_whitespace_on_a_long_line_is_quoted_in_a_window() {
    let text = format!("{}0{}{}", " ".repeat(20), " ".repeat(47), "\0".repeat(60));
    let checked = bonegraph::load::check_str(&text);
    let d = &checked.diagnostics[0];
    let shown = d.render("fuzz.ron", Some(&text));
    assert!(shown.contains(" --> fuzz.ron:1:1\n"), "{shown}");
    let quote = shown.lines().find(|l| l.starts_with("1 |")).unwrap();
    assert!(
        quote.chars().count() <= 140 && quote.ends_with('…'),
        "{shown}"
    );
    // The same on a query: the underline stays under the word at fault.
    let kg = bonegraph::KnowledgeGraph::embedded();
    let query = format!(
        "{}therapies treating fractur{}",
        " ".repeat(70),
        " x".repeat(100)
    );
    let e = kg.prepare(&query).unwrap_err();
    let shown = e.render(&query);
    let quote = shown.lines().find(|l| l.starts_with("1 |")).unwrap();
    assert!(quote.chars().count() <= 140, "{shown}");
    assert!(quote.contains("therapies treating fractur"), "{shown}");
}

/// A graph file written as one long line: each diagnostic quotes a window of it, and only the
/// bytes around the fault are escaped (checking such a file with many warnings used to escape
/// megabytes per diagnostic). The quote is the same as on a short line, the place its own.
#[test]
fn a_fault_deep_in_a_line_of_megabytes_is_quoted_as_on_a_short_line() {
    use bonegraph::diagnostic::{Code, Diagnostic, Location};
    let quote = |pad: usize| {
        let line = format!(
            "{}(id: \"x\t\", kind: \"tre\"){}",
            "a,".repeat(pad),
            " b".repeat(pad)
        );
        let column = line[..line.find("\"tre\"").unwrap()].chars().count() + 1;
        let d = Diagnostic::error(Code::UnknownKind, "unknown kind `tre`".to_owned()).at(Some(
            Location {
                line: 1,
                column,
                width: 5,
            },
        ));
        let shown = d.render("one-line.ron", Some(&line));
        let place = format!(" --> one-line.ron:1:{column}\n");
        assert!(shown.contains(&place), "{shown}");
        shown.replace(&place, " --> one-line.ron:1:N\n")
    };
    let short = quote(100);
    let long = quote(1_500_000);
    assert_eq!(long, short);
    // A tab is four spaces in a quote.
    assert!(short.contains("(id: \"x    \", kind: \"tre\")"), "{short}");
    assert!(short.contains('…'), "{short}");
}
