//! The query language: the answers the issue requires, the grammar corpus, the executable
//! examples of grammar/README.md, transcripts, JSON output and properties.
//!
//! Transcripts and corpus files hold `> query` lines followed by the exact output; refresh
//! them after an intended change with `BLESS=1 cargo test` and read the diff.

use crate::util::{bonegraph, root, stderr, stdout};
use bonegraph::query::ast::StripSpans;
use bonegraph::{ErrorKind, KnowledgeGraph};
use std::path::Path;

fn kg() -> &'static KnowledgeGraph {
    KnowledgeGraph::embedded()
}

fn names(q: &str) -> Vec<String> {
    let answer = kg()
        .query(q)
        .unwrap_or_else(|e| panic!("`{q}` failed:\n{}", e.render(q)));
    answer.names(kg()).into_iter().map(str::to_owned).collect()
}

fn assert_includes(q: &str, expected: &[&str]) {
    let got = names(q);
    for name in expected {
        assert!(
            got.iter().any(|g| g == name),
            "`{q}` lacks `{name}`: {got:?}"
        );
    }
}

/// The output a user sees for one query in the REPL and with `--format table`.
fn shown(q: &str) -> String {
    match kg().query(q) {
        Ok(a) => a.to_table(kg()),
        Err(e) => e.render(q),
    }
}

// ---------------------------------------------------------------- what must work

#[test]
fn therapies_treating_fracture_include_every_kind_of_fracture_care() {
    assert_includes(
        "therapies treating fracture",
        &[
            "surgery",
            "radiation therapy",
            "zoledronic acid",
            "bisphosphonate",
            "denosumab",
        ],
    );
    // A goal of treatment in general is not a claim that every option achieves it.
    let got = names("therapies treating fracture");
    assert!(!got.contains(&"acupuncture".to_owned()), "{got:?}");
}

#[test]
fn the_required_queries_give_the_required_answers() {
    assert_includes(
        "tests detecting bone metastases",
        &["bone scan", "PET scan", "MRI scan", "CT scan"],
    );
    assert_includes(
        "bones affected by lung cancer",
        &[
            "spine",
            "pelvis",
            "humerus",
            "femur",
            "hand bones",
            "foot bones",
        ],
    );
    assert_includes(
        "side effects of Zometa",
        &["osteonecrosis of the jaw", "kidney damage"],
    );
    assert_includes(
        "symptoms caused by hypercalcemia",
        &[
            "confusion",
            "nausea",
            "vomiting",
            "thirst",
            "muscle weakness",
        ],
    );
    assert_includes(
        "therapies relieving pain and preventing fracture",
        &["radiation therapy"],
    );
}

#[test]
fn the_path_from_lung_cancer_to_paralysis_runs_through_metastasis_and_compression() {
    let answer = kg().query("path from lung cancer to paralysis").unwrap();
    assert_eq!(
        answer.names(kg()),
        [
            "lung cancer",
            "bone metastasis from lung cancer",
            "spinal cord compression",
            "paralysis"
        ]
    );
    let text = answer.to_table(kg());
    assert!(
        text.contains("[article, symptoms]"),
        "every step has its evidence: {text}"
    );
}

#[test]
fn describe_denosumab_shows_both_conflicting_claims_flagged() {
    let text = shown("describe denosumab");
    for needle in [
        "-> bisphosphonate [article, bisphosphonates] [contradiction: denosumab_class]",
        "-> human antibody [article, denosumab] [contradiction: denosumab_class]",
        "-> intravenous infusion (every two to four weeks) [article, bisphosphonates] [contradiction: denosumab_route]",
        "-> subcutaneous injection (every four weeks) [article, denosumab] [contradiction: denosumab_route]",
        "warning: the source contradicts itself (denosumab_route):",
        "  [article, bisphosphonates]  denosumab given by intravenous infusion (every two to four weeks)\n  [article, denosumab]        denosumab given by subcutaneous injection (every four weeks)\n",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in\n{text}");
    }
    assert_eq!(shown("denosumab"), text, "a name alone describes");
    assert_eq!(shown("Prolia"), text, "so does an alias");
}

#[test]
fn a_misspelt_name_gets_did_you_mean() {
    assert_eq!(
        shown("therapies treating fractur"),
        "error: unknown entity `fractur`
  |
1 | therapies treating fractur
  |                    ^^^^^^^
  |
  = help: did you mean `fracture` (pathological fracture)?
"
    );
}

#[test]
fn a_type_error_proposes_a_rewrite_that_has_answers() {
    let e = kg().query("symptoms treating fracture").unwrap_err();
    assert_eq!(e.kind, ErrorKind::TypeMismatch);
    assert_eq!(
        e.message,
        "`treating` needs therapies before it, not symptoms"
    );
    assert_eq!(e.suggestions[0], "symptoms caused by fracture");
    assert!(!kg().query(&e.suggestions[0]).unwrap().is_empty());
}

#[test]
fn inherited_answers_say_so_in_their_evidence() {
    let answer = kg().query("side effects of zoledronic acid").unwrap();
    for row in answer.rows() {
        assert!(row.why.iter().all(|w| w.inherited), "{row:?}");
    }
    let explained = answer.explain_row(kg(), 0).unwrap();
    assert!(
        explained.contains("zoledronic acid is a bisphosphonate [article, bisphosphonates]"),
        "{explained}"
    );
    assert!(
        explained.contains("because (inherited via bisphosphonate):"),
        "{explained}"
    );
}

#[test]
fn hedges_stay_visible_in_answers() {
    let text = shown("side effects of bisphosphonates");
    assert!(text.contains("(can; in rare instances;"), "{text}");
    let text = shown("therapies relieving pain");
    assert!(
        text.contains("acupuncture relieves bone pain (may hold promise; when used in addition"),
        "{text}"
    );
}

#[test]
fn an_empty_answer_says_which_step_was_empty() {
    let answer = kg().query("tests detecting osteoporosis").unwrap();
    assert!(answer.is_empty());
    // As data: the step, its relation and its kind.
    let Some(bonegraph::EmptyReason::NoEdge {
        selection,
        relation,
        kind,
        target,
    }) = &answer.empty_reason
    else {
        panic!("{:?}", answer.empty_reason)
    };
    assert_eq!(selection, "tests detecting osteoporosis");
    assert_eq!(kg().schema().relation(*relation).id, "detects");
    assert_eq!(kg().schema().kind(kind.unwrap()).id, "test");
    assert_eq!(target, "osteoporosis");
    // And in words.
    assert_eq!(
        answer.why_empty(kg()).as_deref(),
        Some(
            "nothing in the graph answers `tests detecting osteoporosis`: no `detects` edge (or a narrower one) links a test to `osteoporosis`"
        )
    );
    let answer = kg().query("therapies treating fracture and tests").unwrap();
    assert_eq!(
        answer.empty_reason,
        Some(bonegraph::EmptyReason::NoneInCommon {
            left: ("therapies treating fracture".to_owned(), 6),
            right: ("tests".to_owned(), 4),
        })
    );
    assert_eq!(
        answer.why_empty(kg()).as_deref(),
        Some("`therapies treating fracture` has 6 and `tests` has 4, but none in common")
    );
}

#[test]
fn results_are_sorted_and_deterministic() {
    let q = "things caused by bone metastases";
    let first = kg().query(q).unwrap();
    let names = first.names(kg());
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| n.to_lowercase());
    assert_eq!(names, sorted);
    assert_eq!(first, kg().query(q).unwrap());
}

#[test]
fn count_counts_the_selection() {
    let answer = kg().query("count therapies treating fracture").unwrap();
    assert_eq!(answer.to_plain(kg()), "6\n");
}

#[test]
fn paths_finds_several_shortest_first() {
    let answer = kg()
        .query("paths from lung cancer to paralysis limit 3")
        .unwrap();
    let bonegraph::Body::Paths(paths) = &answer.body else {
        panic!()
    };
    assert_eq!(paths.len(), 3);
    assert!(paths.windows(2).all(|w| w[0].len() <= w[1].len()));
    for p in paths {
        assert_eq!(
            p.first().unwrap().from,
            kg().node_by_id("lung_cancer").unwrap()
        );
        assert_eq!(p.last().unwrap().to, kg().node_by_id("paralysis").unwrap());
    }
}

#[test]
fn bounds_are_clear_errors() {
    let long = "pain or ".repeat(1000) + "pain";
    assert_eq!(kg().query(&long).unwrap_err().kind, ErrorKind::TooLong);
    let deep = "(".repeat(40) + "pain" + &")".repeat(40);
    assert_eq!(kg().query(&deep).unwrap_err().kind, ErrorKind::TooDeep);
    let e = kg()
        .query("paths from lung cancer to paralysis limit 21")
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
}

// ---------------------------------------------------------------- the grammar as a document

/// Every numbered rule of grammar/query.ebnf is cited, word for word, by exactly one parser
/// function comment, and the parser cites no rule the grammar lacks.
#[test]
fn grammar_rules_and_parser_functions_agree() {
    let ebnf = std::fs::read_to_string(root().join("grammar/query.ebnf")).unwrap();
    let parser = std::fs::read_to_string(root().join("src/query/parse.rs")).unwrap();
    let rules: Vec<&str> = ebnf.lines().filter(|l| l.starts_with('[')).collect();
    assert!(rules.len() >= 18);
    for rule in &rules {
        let citation = format!("// {rule}\n");
        assert_eq!(
            parser.matches(&citation).count(),
            1,
            "rule not cited exactly once: {rule}"
        );
    }
    let cited = parser
        .lines()
        .filter(|l| l.trim_start().starts_with("// ["))
        .count();
    assert_eq!(
        cited,
        rules.len(),
        "the parser cites a rule the grammar lacks"
    );
}

/// Splits `> query` blocks, each output trimmed to end in one newline.
fn blocks(text: &str) -> Vec<(String, String)> {
    crate::util::blocks(text)
        .into_iter()
        .map(|(q, body)| (q, body.trim_end().to_owned() + "\n"))
        .collect()
}

/// Checks a transcript file (or BLESS=1 rewrites it): `> query`, then the exact output.
fn check_transcript(rel: &Path, run: impl Fn(&str) -> String) {
    let path = root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    if std::env::var_os("BLESS").is_some() {
        let mut out = String::new();
        for line in text.lines().take_while(|l| !l.starts_with("> ")) {
            out.push_str(line);
            out.push('\n');
        }
        for (q, _) in blocks(&text) {
            out.push_str(&format!("> {q}\n{}\n", run(&q).trim_end()));
        }
        std::fs::write(&path, out.trim_end().to_owned() + "\n").unwrap();
        return;
    }
    let cases = blocks(&text);
    assert!(!cases.is_empty(), "{} has no cases", rel.display());
    for (q, expected) in cases {
        let got = run(&q).trim_end().to_owned() + "\n";
        assert!(
            got == expected,
            "{}: `{q}`\n--- expected\n{expected}--- got\n{got}",
            rel.display()
        );
    }
}

#[test]
fn accepted_corpus_parses_to_its_canonical_form_and_round_trips() {
    let text = std::fs::read_to_string(root().join("grammar/corpus/accepted.txt")).unwrap();
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let (q, canonical) = line.split_once(" => ").expect("`query => canonical`");
        let ast = kg()
            .parse(q)
            .unwrap_or_else(|e| panic!("`{q}`:\n{}", e.render(q)));
        assert_eq!(ast.to_string(), canonical, "`{q}`");
        let again = kg().parse(&ast.to_string()).unwrap();
        assert_eq!(
            again.strip_spans(),
            ast.strip_spans(),
            "`{q}` does not round-trip"
        );
        n += 1;
    }
    assert!(n >= 30, "only {n} accepted cases");
}

#[test]
fn rejected_corpus_gives_its_exact_errors() {
    check_transcript(Path::new("grammar/corpus/rejected.txt"), |q| {
        match kg().query(q) {
            Ok(a) => format!("unexpectedly answered:\n{}", a.to_table(kg())),
            Err(e) => e.render(q),
        }
    });
}

#[test]
fn grammar_readme_examples_give_their_output() {
    // Only the `> query` blocks inside ```text fences are examples.
    let path = root().join("grammar/README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&path, rewrite_examples(&readme, shown)).unwrap();
        return;
    }
    let mut examples = String::new();
    let mut inside = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            inside = !inside && line == "```text";
            continue;
        }
        if inside {
            examples.push_str(line);
            examples.push('\n');
        }
    }
    let cases = blocks(&examples);
    assert!(cases.len() >= 15, "only {} examples", cases.len());
    for (q, expected) in cases {
        let got = shown(&q).trim_end().to_owned() + "\n";
        assert!(
            got == expected,
            "grammar/README.md: `{q}`\n--- expected\n{expected}--- got\n{got}"
        );
    }
}

/// `text` with the output under each `> query` line of its ```text fences replaced by
/// `run(query)` (for BLESS=1).
fn rewrite_examples(text: &str, run: impl Fn(&str) -> String) -> String {
    let mut out = String::new();
    let mut inside = false;
    let mut skipping = false;
    for line in text.lines() {
        if line.starts_with("```") {
            inside = !inside && line == "```text";
            skipping = false;
        } else if inside && let Some(q) = line.strip_prefix("> ") {
            out.push_str(line);
            out.push('\n');
            out.push_str(run(q).trim_end());
            out.push('\n');
            skipping = true;
            continue;
        } else if skipping {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[test]
fn transcripts_match_in_process() {
    check_transcript(Path::new("tests/transcripts/queries.txt"), shown);
}

#[test]
fn transcripts_match_through_the_binary() {
    let text = std::fs::read_to_string(root().join("tests/transcripts/queries.txt")).unwrap();
    for (q, expected) in blocks(&text) {
        let out = bonegraph(&["query", &q, "--format", "table"]);
        let got = if out.status.success() {
            stdout(&out)
        } else {
            stderr(&out)
        };
        let got = got.trim_end().to_owned() + "\n";
        assert!(
            got == expected,
            "`{q}` through the binary\n--- expected\n{expected}--- got\n{got}"
        );
        let code = out.status.code();
        if expected.starts_with("error: ") {
            assert_eq!(code, Some(2), "`{q}`");
        } else {
            assert_eq!(code, Some(0), "`{q}`");
        }
    }
}

// ---------------------------------------------------------------- output formats

#[test]
fn json_rows_carry_id_name_kind_and_why_with_provenance() {
    let out = bonegraph(&["query", "side effects of Zometa", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["query"], "side effects of Zometa");
    let row = &v["rows"][0];
    assert_eq!(row["id"], "kidney_damage");
    assert_eq!(row["name"], "kidney damage");
    assert_eq!(row["kind"], "side_effect");
    let why = &row["why"][0];
    assert_eq!(why["inherited"], true);
    // The evidence reads from the row outwards: the claim, then how the target is a member.
    let step = &why["steps"][1];
    assert_eq!(
        (
            step["from"].as_str(),
            step["rel"].as_str(),
            step["to"].as_str()
        ),
        (
            Some("zoledronic_acid"),
            Some("is_a"),
            Some("bisphosphonates")
        )
    );
    assert_eq!(why["steps"][0]["rel"], "has_side_effect");
    assert_eq!(why["steps"][0]["frequency"], "in rare instances");
    assert_eq!(why["steps"][0]["section"], "bisphosphonates");
}

#[test]
fn json_errors_have_message_span_and_suggestions_and_exit_2() {
    let out = bonegraph(&["query", "therapies treating fractur", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = &v["error"];
    assert_eq!(e["message"], "unknown entity `fractur`");
    assert_eq!(e["span"], serde_json::json!([19, 26]));
    assert_eq!(e["suggestions"], serde_json::json!(["fracture"]));
}

#[test]
fn json_paths_list_their_steps() {
    let out = bonegraph(&[
        "query",
        "path from morphine to constipation",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let steps = v["paths"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[2]["rel"], "has_side_effect");
    assert_eq!(steps[2]["forward"], true);
}

#[test]
fn plain_format_prints_names_one_per_line() {
    let out = bonegraph(&[
        "query",
        "symptoms caused by hypercalcemia",
        "--format",
        "plain",
    ]);
    assert_eq!(
        stdout(&out),
        "confusion\nmuscle weakness\nnausea\nthirst\nvomiting\n"
    );
}

#[test]
fn a_query_on_a_bad_graph_file_exits_3() {
    let out = bonegraph(&[
        "--graph",
        "tests/fixtures/invalid/dangling_id.ron",
        "query",
        "fruits",
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).starts_with("error[dangling-id]"));
}

#[test]
fn another_schema_is_queried_with_its_own_phrases() {
    let out = bonegraph(&[
        "--graph",
        "tests/fixtures/valid/tiny.ron",
        "query",
        "pests eating apples",
        "--format",
        "plain",
    ]);
    assert_eq!(stdout(&out), "codling moth\n");
    let out = bonegraph(&[
        "--graph",
        "tests/fixtures/valid/tiny.ron",
        "query",
        "fruits that are pome fruit",
        "--format",
        "plain",
    ]);
    assert_eq!(stdout(&out), "apple\n");
}

// ---------------------------------------------------------------- properties

mod properties {
    use super::kg;
    use bonegraph::query::ast::StripSpans;
    use bonegraph::{Direction, KnowledgeGraph};
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// Queries built from the graph's own vocabulary, so that most of them parse.
    fn vocab_query() -> impl Strategy<Value = String> {
        let terms: Vec<String> = kg()
            .vocabulary()
            .terms()
            .into_iter()
            .map(|(t, _)| t.to_owned())
            .chain(["(", ")", "\"", "and", "or", "except"].map(str::to_owned))
            .collect();
        prop::collection::vec(prop::sample::select(terms), 1..8).prop_map(|ws| ws.join(" "))
    }

    fn selection() -> impl Strategy<Value = String> {
        let kg = kg();
        let kinds: Vec<String> = kg.schema().kinds.iter().map(|k| k.plural.clone()).collect();
        let mut phrases: Vec<String> = Vec::new();
        for r in &kg.schema().relations {
            phrases.extend(r.forward.iter().cloned());
            phrases.extend(r.inverse.iter().cloned());
        }
        let names: Vec<String> = kg.nodes().map(|n| kg.entity(n).name.clone()).collect();
        (
            prop::sample::select(kinds),
            prop::sample::select(phrases),
            prop::sample::select(names),
        )
            .prop_map(|(k, p, n)| format!("{k} {p} \"{n}\""))
    }

    fn rows(kg: &KnowledgeGraph, q: &str) -> Option<BTreeSet<usize>> {
        kg.query(q)
            .ok()
            .map(|a| a.rows().iter().map(|r| r.node.index()).collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn the_pipeline_never_panics_on_arbitrary_text(s in "\\PC{0,80}") {
            let _ = kg().query(&s);
        }

        #[test]
        fn the_pipeline_never_panics_on_vocabulary_soup(q in vocab_query()) {
            let _ = kg().query(&q);
        }

        #[test]
        fn printing_and_reparsing_gives_the_same_tree(q in vocab_query()) {
            if let Ok(ast) = kg().parse(&q) {
                let printed = ast.to_string();
                let again = kg().parse(&printed).expect("canonical text parses");
                prop_assert_eq!(again.strip_spans(), ast.strip_spans());
            }
        }

        #[test]
        fn every_row_has_the_claimed_kind_and_real_edges(q in selection()) {
            let kg = kg();
            if let Ok(answer) = kg.query(&q) {
                let kind = kg.schema().kinds.iter().position(|k| q.starts_with(&format!("{} ", k.plural))).unwrap();
                for row in answer.rows() {
                    // Its own kind, or an is_a descendant of an entity of that kind.
                    let mut kinds = vec![kg.entity(row.node).kind.0 as usize];
                    kinds.extend(kg.ancestors(row.node).iter().map(|n| kg.entity(*n).kind.0 as usize));
                    prop_assert!(kinds.contains(&kind), "{} in `{}`", kg.entity(row.node).name, q);
                    prop_assert!(!row.why.is_empty());
                    for w in &row.why {
                        prop_assert!(!w.steps.is_empty());
                        for &e in &w.steps {
                            prop_assert!(kg.petgraph().edge_endpoints(e).is_some());
                        }
                    }
                }
            }
        }

        #[test]
        fn set_operators_obey_their_laws(a in selection(), b in selection()) {
            let kg = kg();
            let (Some(ra), Some(rb)) = (rows(kg, &a), rows(kg, &b)) else { return Ok(()) };
            let or = rows(kg, &format!("({a}) or ({b})")).unwrap();
            let and = rows(kg, &format!("({a}) and ({b})")).unwrap();
            let except = rows(kg, &format!("({a}) except ({b})")).unwrap();
            prop_assert_eq!(&or, &ra.union(&rb).copied().collect());
            prop_assert_eq!(&and, &ra.intersection(&rb).copied().collect());
            prop_assert_eq!(&except, &ra.difference(&rb).copied().collect());
            prop_assert_eq!(rows(kg, &format!("({b}) or ({a})")).unwrap(), or);
            prop_assert_eq!(rows(kg, &format!("({b}) and ({a})")).unwrap(), and);
        }

        #[test]
        fn every_path_step_is_a_real_edge(a in 0usize..200, b in 0usize..200) {
            let kg = kg();
            let n = kg.entity_count();
            let (from, to) = (kg.entity(bonegraph::NodeIndex::new(a % n)), kg.entity(bonegraph::NodeIndex::new(b % n)));
            let q = format!("paths from \"{}\" to \"{}\" limit 2", from.name, to.name);
            let answer = kg.query(&q).unwrap();
            if let bonegraph::Body::Paths(paths) = &answer.body {
                for p in paths {
                    prop_assert!(p.len() <= bonegraph::query::MAX_PATH_HOPS);
                    for (i, s) in p.iter().enumerate() {
                        let (x, _, y) = kg.edge(s.edge);
                        let (src, dst) = if s.forward { (s.from, s.to) } else { (s.to, s.from) };
                        prop_assert_eq!((x, y), (src, dst));
                        if i > 0 { prop_assert_eq!(p[i - 1].to, s.from); }
                    }
                }
            }
            let _ = Direction::Forward;
        }
    }
}

#[test]
fn one_graph_answers_from_many_threads_at_once() {
    let kg = kg();
    let expected = kg.query("therapies treating fracture").unwrap();
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..20 {
                    assert_eq!(kg.query("therapies treating fracture").unwrap(), expected);
                }
            });
        }
    });
}

/// A row that is in the answer only as one of the kind asked for says so, not that the query
/// named it.
#[test]
fn kind_members_are_not_said_to_be_named() {
    let kg = bonegraph::KnowledgeGraph::embedded();
    let studies = kg.query("studies").unwrap();
    assert!(
        studies
            .rows()
            .iter()
            .all(|r| r.why[0].of_kind && r.why[0].steps.is_empty())
    );
    let table = studies.to_table(kg);
    assert!(table.contains("of the kind asked for") && !table.contains("named in the query"));
    let named = kg.query("zometa or denosumab").unwrap();
    assert!(named.rows().iter().all(|r| !r.why[0].of_kind));
    assert!(named.to_table(kg).contains("named in the query"));
}
