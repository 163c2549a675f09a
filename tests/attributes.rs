//! Attribute questions (`dosing interval of zoledronic acid`) and conditions on the claims
//! behind an answer (`side effects of zoledronic acid where frequency is rare`): what the
//! user sees for each form on the embedded graph and on the tiny orchard, values inherited
//! from a class and marked so, conflicting values side by side, the empty reasons, the bad
//! inputs, JSON, `:explain`, DOT and the translations.
//!
//! The transcripts (`tests/transcripts/attributes.txt`, `attributes-tiny.txt`) hold
//! `> query` lines followed by the exact table; refresh them after an intended change with
//! `BLESS=1 cargo test` and read the diff.

use crate::util::{assert_golden, bonegraph, fixture, root, stderr, stdout};
use bonegraph::interchange::names::RdfNames;
use bonegraph::query::answer::ValueRow;
use bonegraph::query::translate::{Dialect, Target};
use bonegraph::{Body, EmptyReason, ErrorKind, KnowledgeGraph};
use std::path::Path;

fn kg() -> &'static KnowledgeGraph {
    KnowledgeGraph::embedded()
}

fn tiny() -> KnowledgeGraph {
    KnowledgeGraph::from_path(root().join(fixture("valid/tiny.ron"))).unwrap()
}

fn answer(kg: &KnowledgeGraph, q: &str) -> bonegraph::Answer {
    kg.query(q)
        .unwrap_or_else(|e| panic!("`{q}` failed:\n{}", e.render(q)))
}

fn values(kg: &KnowledgeGraph, q: &str) -> Vec<ValueRow> {
    match answer(kg, q).body {
        Body::Values(v) => v,
        other => panic!("`{q}` is not about values: {other:?}"),
    }
}

/// (entity, value, class it is inherited from) of each value, in answer order.
fn triples(kg: &KnowledgeGraph, q: &str) -> Vec<(String, String, Option<String>)> {
    values(kg, q)
        .iter()
        .map(|v| {
            (
                kg.entity(v.node).name.clone(),
                v.attribute(kg).value.clone(),
                v.inherited_from.map(|c| kg.entity(c).name.clone()),
            )
        })
        .collect()
}

fn names(kg: &KnowledgeGraph, q: &str) -> Vec<String> {
    answer(kg, q)
        .names(kg)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn shown(kg: &KnowledgeGraph, q: &str) -> String {
    match kg.query(q) {
        Ok(a) => a.to_table(kg),
        Err(e) => e.render(q),
    }
}

fn error(kg: &KnowledgeGraph, q: &str) -> bonegraph::QueryError {
    match kg.query(q) {
        Ok(a) => panic!("`{q}` answered:\n{}", a.to_table(kg)),
        Err(e) => e,
    }
}

fn own(s: &str) -> String {
    s.to_owned()
}

/// Checks a transcript (or BLESS=1 rewrites it): header lines, then `> query` and the table.
fn check_transcript(rel: &Path, kg: &KnowledgeGraph) {
    let text = std::fs::read_to_string(root().join(rel)).unwrap();
    let mut out = String::new();
    for line in text.lines().take_while(|l| !l.starts_with("> ")) {
        out.push_str(line);
        out.push('\n');
    }
    let cases = crate::util::blocks(&text);
    assert!(!cases.is_empty(), "{} has no cases", rel.display());
    for (q, _) in &cases {
        out.push_str(&format!("> {q}\n{}\n", shown(kg, q).trim_end()));
    }
    assert_golden(rel, &out);
}

// ---------------------------------------------------------------- what the user sees

#[test]
fn attribute_questions_and_conditions_on_the_embedded_graph_match_their_transcript() {
    check_transcript(Path::new("tests/transcripts/attributes.txt"), kg());
}

#[test]
fn attribute_questions_and_conditions_on_the_tiny_graph_match_their_transcript() {
    check_transcript(Path::new("tests/transcripts/attributes-tiny.txt"), &tiny());
}

#[test]
fn the_binary_prints_values_as_a_table_plain_lines_json_and_a_count() {
    let out = bonegraph(&[
        "query",
        "dosing interval of zoledronic acid",
        "--format",
        "table",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "#  name             attribute        value                      because\n\
         1  zoledronic acid  dosing interval  every three to four weeks  [article, bisphosphonates]\n\
         (1 value)\n"
    );

    // Plain: one value a line, entity and value separated by a tab; the conflict goes to
    // standard error.
    let out = bonegraph(&["query", "dosing interval of denosumab", "--format", "plain"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "denosumab\tevery two to four weeks\ndenosumab\tevery four weeks\n"
    );
    assert!(
        stderr(&out).contains("warning: the source contradicts itself (denosumab_interval)"),
        "{}",
        stderr(&out)
    );

    let out = bonegraph(&["query", "count dosing interval of denosumab"]);
    assert_eq!(stdout(&out), "2\n");

    let out = bonegraph(&[
        "query",
        "how it works of bisphosphonates",
        "--format",
        "plain",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("no results: the graph records no `how it works` for `bisphosphonate`, nor for any class it belongs to"));
}

// ---------------------------------------------------------------- values

#[test]
fn a_value_is_found_by_the_attribute_label_or_its_id() {
    let want = vec![(
        own("zoledronic acid"),
        own("every three to four weeks"),
        None,
    )];
    assert_eq!(triples(kg(), "dosing interval of zoledronic acid"), want);
    assert_eq!(triples(kg(), "interval of Zometa"), want);
    assert_eq!(
        triples(kg(), "Dosing  INTERVAL of \"zoledronic acid\""),
        want
    );
    assert_eq!(
        triples(kg(), "prevalence of bone metastasis"),
        triples(kg(), "how common of bone metastasis")
    );
    assert_eq!(
        triples(kg(), "median_survival of bone metastases"),
        vec![(
            own("bone metastasis from lung cancer"),
            own("less than six months"),
            None
        )]
    );
    // `mechanism` is both a kind word (of processes) and an attribute's id: before `of` at the
    // start of a question, the attribute; the kind is still asked with its plural.
    let q = kg().parse("mechanism of bisphosphonates").unwrap();
    assert!(
        matches!(q, bonegraph::query::ast::Query::Values(_)),
        "{q:?}"
    );
    assert!(kg().query("mechanisms causing bone pain").is_ok());
}

#[test]
fn a_value_stated_on_a_class_is_marked_as_inherited_from_it() {
    let kg = kg();
    let v = values(kg, "safety of zoledronic acid");
    assert_eq!(v.len(), 1);
    let zometa = kg.node_by_name("zoledronic acid").unwrap();
    let class = kg.node_by_name("bisphosphonate").unwrap();
    assert_eq!(v[0].node, zometa);
    assert_eq!(v[0].holder, class);
    assert_eq!(v[0].inherited_from, Some(class));
    assert_eq!(
        v[0].steps.len(),
        1,
        "one is_a step: zoledronic acid is a bisphosphonate"
    );
    let ev = v[0].evidence(kg);
    assert_eq!(ev.via, vec![class]);
    let table = shown(kg, "safety of zoledronic acid");
    assert!(
        table.contains("relatively safe  [article, bisphosphonates] (via bisphosphonate; see note: these_medications)"),
        "{table}"
    );
    // The class's hedge passes to the member with the value.
    let table = shown(kg, "how it is used of zoledronic acid");
    assert!(
        table.contains("(may; via bisphosphonate; see note: these_medications)"),
        "{table}"
    );
    // The class itself has it as its own.
    assert_eq!(
        triples(kg, "safety of bisphosphonate"),
        vec![(own("bisphosphonate"), own("relatively safe"), None)]
    );
}

#[test]
fn a_value_inherited_through_a_contested_membership_carries_that_conflict() {
    let kg = kg();
    let v = values(kg, "how it is used of denosumab");
    let via_class: Vec<&ValueRow> = v
        .iter()
        .filter(|v| v.inherited_from == kg.node_by_name("bisphosphonate"))
        .collect();
    assert_eq!(via_class.len(), 1);
    let conflicts: Vec<&str> = via_class[0]
        .evidence(kg)
        .conflicts
        .iter()
        .map(|&c| kg.conflict(c).id.as_str())
        .collect();
    assert_eq!(conflicts, ["these_medications", "denosumab_class"]);
    let table = shown(kg, "how it is used of denosumab");
    assert!(
        table.contains(
            "via bisphosphonate; contradiction: denosumab_class; see note: these_medications"
        ),
        "{table}"
    );
    assert!(
        table.contains("warning: the source contradicts itself (denosumab_class)"),
        "{table}"
    );
}

#[test]
fn conflicting_values_are_both_shown_with_their_conflict_mark() {
    let kg = kg();
    assert_eq!(
        triples(kg, "dosing interval of denosumab"),
        vec![
            (own("denosumab"), own("every two to four weeks"), None),
            (own("denosumab"), own("every four weeks"), None),
        ]
    );
    let table = shown(kg, "dosing interval of denosumab");
    for line in [
        "1  denosumab  dosing interval  every two to four weeks  [article, bisphosphonates] (contradiction: denosumab_interval)",
        "2  denosumab  dosing interval  every four weeks         [article, denosumab] (contradiction: denosumab_interval)",
        "warning: the source contradicts itself (denosumab_interval)",
        "  [article, bisphosphonates]  denosumab: dosing interval = every two to four weeks",
        "  [article, denosumab]        denosumab: dosing interval = every four weeks",
    ] {
        assert!(table.contains(line), "missing `{line}` in\n{table}");
    }
    // The same on the tiny orchard, whose apple is red in one chapter and green in the other.
    let tiny = tiny();
    let table = shown(&tiny, "colour of apple");
    assert_eq!(
        table,
        "#  name   attribute  value  because\n\
         1  apple  colour     red    [book, ch1] (contradiction: apple_colour)\n\
         2  apple  colour     green  [book, ch2] (contradiction: apple_colour)\n\
         (2 values)\n\
         warning: the source contradicts itself (apple_colour): chapter 1 and chapter 2 disagree on the colour of apples\n  \
         [book, ch1]  apple: colour = red\n  \
         [book, ch2]  apple: colour = green\n"
    );
}

#[test]
fn a_selection_as_target_gives_the_values_of_each_of_its_entities() {
    let tiny = tiny();
    assert_eq!(
        triples(&tiny, "colour of fruits"),
        vec![
            (own("apple"), own("red"), None),
            (own("apple"), own("green"), None)
        ]
    );
    assert_eq!(
        triples(&tiny, "colour of (fruits eaten by codling moth)"),
        triples(&tiny, "colour of fruits")
    );
    // Each value keeps why its entity is in the target.
    let v = values(&tiny, "colour of fruits eaten by codling moth");
    assert!(v.iter().all(|v| v.why[0].steps.len() == 1), "{v:?}");
    // On the embedded graph, entities of the target with no such attribute give no row.
    let got = triples(kg(), "dosing interval of therapies");
    assert_eq!(
        got,
        vec![
            (own("denosumab"), own("every two to four weeks"), None),
            (own("denosumab"), own("every four weeks"), None),
            (
                own("zoledronic acid"),
                own("every three to four weeks"),
                None
            ),
        ]
    );
}

/// A graph where a member states the same value as its class, another a different one, and a
/// third none (`tests/fixtures/valid/values.ron`).
fn shades() -> KnowledgeGraph {
    KnowledgeGraph::from_path(root().join(fixture("valid/values.ron"))).unwrap()
}

#[test]
fn a_class_value_the_member_states_itself_is_not_repeated_and_its_hedges_pass_on() {
    let kg = shades();
    assert_eq!(
        triples(&kg, "colour of things"),
        vec![
            (own("bare fruit"), own("red"), Some(own("fruit class"))),
            (own("fruit class"), own("red"), None),
            (own("other fruit"), own("yellow"), None),
            (own("other fruit"), own("red"), Some(own("fruit class"))),
            (own("same fruit"), own("red"), None),
        ]
    );
    // What holds for the member: the class's hedge (it passes), the context of the `is_a`
    // step it comes through; the note stays with the class's claim.
    let table = shown(&kg, "colour of bare fruit");
    assert_eq!(
        table,
        "#  name        attribute  value  because\n\
         1  bare fruit  colour     red    [s, one] (usually; in summer; via fruit class)\n\
         (1 value)\n"
    );
    let explained = answer(&kg, "colour of bare fruit")
        .explain_row(&kg, 0)
        .unwrap();
    assert_eq!(
        explained,
        "bare fruit (thing)\n  \
         colour: red (usually) [s, one]\n    \
         note: said of the class\n  \
         said of fruit class, not of bare fruit by name:\n    \
         bare fruit is a fruit class (in summer) [s, one]\n    \
         holds for this value as said of the class: usually; in summer\n"
    );
    // A condition on the value's own claim: the class's value is not the member's own one.
    assert_eq!(
        triples(&kg, "colour of other fruit where section is two"),
        vec![(own("other fruit"), own("yellow"), None)]
    );
    assert_eq!(
        triples(&kg, "colour of other fruit where certainty is likely"),
        vec![(own("other fruit"), own("red"), Some(own("fruit class")))]
    );
    // Without the member's own value in that section, the class's value is no longer a repeat.
    assert_eq!(
        triples(&kg, "colour of same fruit where section is one"),
        vec![(own("same fruit"), own("red"), Some(own("fruit class")))]
    );
}

#[test]
fn a_value_the_graphs_authors_inferred_stays_out_of_answers_and_on_the_card() {
    let kg = shades();
    // `bare fruit` has an inferred colour of its own: the answer gives only its class's.
    assert_eq!(
        triples(&kg, "colour of bare fruit"),
        vec![(own("bare fruit"), own("red"), Some(own("fruit class")))]
    );
    assert_eq!(shown(&kg, "count colour of bare fruit"), "1\n");
    let card = shown(&kg, "describe bare fruit");
    assert!(
        card.contains("colour  green (inferred, not stated by the source) [s, two]"),
        "{card}"
    );
    // The translations leave it out too (the exports keep it, marked).
    let q = kg.prepare("colour of bare fruit").unwrap();
    let sparql = kg
        .translate(&q, Target::Sparql, &RdfNames::default())
        .unwrap();
    assert!(
        sparql.contains("FILTER NOT EXISTS { ?st bg:basis \"inferred\" }"),
        "{sparql}"
    );
    let cypher = kg
        .translate(&q, Target::Cypher(Dialect::Kuzu), &RdfNames::default())
        .unwrap();
    assert!(
        cypher.contains("(v.basis IS NULL OR v.basis <> 'inferred')"),
        "{cypher}"
    );
}

// ---------------------------------------------------------------- conditions

#[test]
fn frequency_words_match_after_stemming_and_pass_to_members() {
    let kg = kg();
    // `rare` matches "in rare instances" (said of bisphosphonates, passed to zoledronic acid)
    // and "rarely".
    assert_eq!(
        names(
            kg,
            "side effects of zoledronic acid where frequency is rare"
        ),
        ["kidney damage", "osteonecrosis of the jaw"]
    );
    assert_eq!(
        names(kg, "side effects of therapies where frequency is rare"),
        ["addiction", "kidney damage", "osteonecrosis of the jaw"]
    );
    assert_eq!(
        names(kg, "side effects of therapies where frequency is rarely"),
        names(kg, "side effects of therapies where frequency is rare")
    );
    assert_eq!(
        names(
            kg,
            "things treating things where frequency is \"in rare cases\""
        ),
        ["stereotactic radiation therapy"]
    );
    // Every row's evidence meets the condition, not only the first witness.
    for row in answer(kg, "side effects of therapies where frequency is rare").rows() {
        for w in &row.why {
            let ev = bonegraph::inheritance::evidence(kg, w);
            assert!(
                ev.qualifiers
                    .iter()
                    .any(|(f, v)| f.as_str() == "frequency" && v.contains("rare")),
                "{ev:?}"
            );
        }
    }
}

#[test]
fn rank_holds_only_for_a_rows_own_claim() {
    let kg = kg();
    // Radiation therapy is the most common pain treatment; stereotactic radiation therapy
    // relieves pain as a radiation therapy, but is not the most common one for that.
    assert_eq!(
        names(kg, "therapies relieving pain"),
        names(kg, "therapies relieving pain")
    );
    assert!(names(kg, "therapies relieving pain").contains(&own("stereotactic radiation therapy")));
    assert_eq!(
        names(kg, "therapies relieving pain where rank is most common"),
        ["radiation therapy"]
    );
    // A field that passes to members keeps the member.
    assert!(
        names(kg, "therapies relieving pain where section is radiation")
            .contains(&own("stereotactic radiation therapy"))
    );
}

#[test]
fn certainty_is_one_of_four_names_or_words_of_a_hedge() {
    let kg = kg();
    let possible = names(kg, "therapies relieving pain where certainty is possible");
    assert_eq!(
        possible,
        [
            "anti-inflammatory medication",
            "morphine",
            "narcotic",
            "pain medication"
        ]
    );
    // `may` is a hedge word: it also finds `may hold promise`, which is speculative.
    let may = names(kg, "therapies relieving pain where certainty is may");
    assert_eq!(
        may,
        [
            "acupuncture",
            "anti-inflammatory medication",
            "morphine",
            "narcotic",
            "pain medication"
        ]
    );
    // A claim without a certainty is established.
    assert!(
        names(
            kg,
            "therapies relieving pain where certainty is established"
        )
        .contains(&own("radiation therapy"))
    );
    assert_eq!(
        names(
            kg,
            "therapies relieving pain where certainty is speculative"
        ),
        ["acupuncture"]
    );
}

#[test]
fn section_matches_its_id_or_the_words_of_its_title() {
    let kg = kg();
    assert_eq!(
        names(kg, "therapies treating fracture where section is radiation"),
        ["radiation therapy", "stereotactic radiation therapy"]
    );
    // `pain_medications` by its id, `Treatment Options: Pain medications` by its title.
    assert_eq!(
        names(
            kg,
            "therapies relieving pain where section is pain_medications"
        ),
        names(
            kg,
            "therapies relieving pain where section is \"Pain medication\""
        )
    );
    // Title words shared by several sections select all of them.
    assert_eq!(
        names(
            kg,
            "therapies treating fracture where section is treatment options"
        )
        .len(),
        6
    );
}

#[test]
fn and_after_a_condition_continues_the_conditions_only_before_a_field_and_is() {
    let kg = kg();
    let q = kg
        .parse(
            "therapies relieving pain where certainty is possible and section is pain medications",
        )
        .unwrap();
    assert_eq!(
        q.to_string(),
        "therapies relieving pain where certainty is possible and section is pain medications"
    );
    let bonegraph::query::ast::Query::Expr(bonegraph::query::ast::Expr::Select(s)) = &q else {
        panic!("{q:?}")
    };
    assert_eq!(s.conditions.len(), 2);
    // Otherwise `and` is the set operator.
    let q = kg
        .parse("therapies relieving pain where certainty is possible and therapies preventing fracture")
        .unwrap();
    assert!(
        matches!(
            q,
            bonegraph::query::ast::Query::Expr(bonegraph::query::ast::Expr::Binary { .. })
        ),
        "{q:?}"
    );
    // A condition attaches to the nearest selection with a phrase...
    let inner = names(
        kg,
        "side effects of therapies relieving pain where rank is most common",
    );
    let outer = names(
        kg,
        "side effects of (therapies relieving pain) where frequency is rarely",
    );
    assert_eq!(inner, names(kg, "side effects of radiation therapy"));
    assert_eq!(outer, ["addiction"]);
    // ... and, on an attribute question, to the values when the target is a name.
    assert_eq!(
        triples(
            kg,
            "dosing interval of denosumab where section is denosumab"
        ),
        vec![(own("denosumab"), own("every four weeks"), None)]
    );
    assert_eq!(
        triples(
            kg,
            "dosing interval of therapies where section is denosumab"
        ),
        vec![(own("denosumab"), own("every four weeks"), None)]
    );
}

#[test]
fn where_and_is_as_keywords_leave_names_that_contain_them_usable() {
    // A kind, a phrase, an attribute and names that hold `where`, `is` and the field words.
    let kg = KnowledgeGraph::from_str(
        r#"(
  name: "words",
  schema: (
    kinds: [(id: "place", singular: "place", plural: "places"), (id: "rank", singular: "rank", plural: "ranks")],
    relations: [
      (id: "near", from: ["*"], to: ["*"], forward: ["that is near", "is near"], inverse: ["where it is near"]),
    ],
    attributes: [(id: "where_it_is", label: "where it is")],
  ),
  sources: [(id: "s", title: "S", sections: [(id: "one", title: "One")])],
  entities: [
    (id: "a", kind: "place", name: "where is it", attributes: [(key: "where_it_is", value: "up", source: "s", section: "one")]),
    (id: "b", kind: "place", name: "is land"),
    (id: "c", kind: "rank", name: "section"),
  ],
  relations: [
    (from: "a", rel: "near", to: "b", source: "s", section: "one", frequency: "often"),
    (from: "c", rel: "near", to: "b", source: "s", section: "one"),
  ],
)"#,
    )
    .unwrap();
    assert_eq!(names(&kg, "places that is near is land"), ["where is it"]);
    assert_eq!(names(&kg, "places is near \"is land\""), ["where is it"]);
    assert_eq!(
        names(&kg, "things where it is near where is it"),
        ["is land"]
    );
    assert_eq!(names(&kg, "describe \"where is it\""), ["where is it"]);
    assert_eq!(names(&kg, "where is it"), ["where is it"]);
    assert_eq!(
        triples(&kg, "where it is of where is it"),
        vec![(own("where is it"), own("up"), None)]
    );
    assert_eq!(
        names(&kg, "places is near is land where frequency is often"),
        ["where is it"]
    );
    // A field word is a field only where a condition starts.
    assert_eq!(names(&kg, "ranks is near is land"), ["section"]);
    assert_eq!(
        names(
            &kg,
            "things is near is land where section is one and section is one"
        ),
        ["section", "where is it"]
    );
}

// ---------------------------------------------------------------- empty answers

#[test]
fn empty_answers_say_which_attribute_was_missing_from_which_target() {
    let kg = kg();
    let a = answer(kg, "how it works of bisphosphonates");
    assert!(a.is_empty());
    assert!(matches!(a.body, Body::Values(ref v) if v.is_empty()));
    let Some(EmptyReason::NoValue {
        attribute,
        ref target,
        entities,
    }) = a.empty_reason
    else {
        panic!("{:?}", a.empty_reason)
    };
    assert_eq!(
        kg.schema().attributes[usize::from(attribute)].id,
        "mechanism"
    );
    assert_eq!((target.as_str(), entities), ("bisphosphonate", 1));
    assert_eq!(
        a.why_empty(kg).unwrap(),
        "the graph records no `how it works` for `bisphosphonate`, nor for any class it belongs to"
    );
    assert_eq!(
        answer(kg, "how it works of therapies")
            .why_empty(kg)
            .unwrap(),
        "the graph records no `how it works` for any of the 20 entities of `therapies`, nor for their classes"
    );
    // An empty target says why it is empty.
    assert!(matches!(
        answer(kg, "dosing interval of tests detecting osteoporosis").empty_reason,
        Some(EmptyReason::NoEdge { .. })
    ));
    // Values or rows that exist, but not under the conditions.
    assert_eq!(
        answer(
            kg,
            "dosing interval of denosumab where section is radiation"
        )
        .why_empty(kg)
        .unwrap(),
        "`dosing interval of denosumab` has 2 values, but none of their claims meets `section is radiation`"
    );
    let a = answer(kg, "therapies relieving pain where frequency is rare");
    assert!(matches!(
        a.empty_reason,
        Some(EmptyReason::NoneMeetConditions {
            found: 8,
            values: false,
            ..
        })
    ));
    assert_eq!(
        a.why_empty(kg).unwrap(),
        "`therapies relieving pain` has 8 answers, but none rests on a claim that meets `frequency is rare`"
    );
    // A count of nothing says why too.
    assert_eq!(
        shown(kg, "count how it works of therapies"),
        "0\n(empty: the graph records no `how it works` for any of the 20 entities of `therapies`, nor for their classes)\n"
    );
    let tiny = tiny();
    assert_eq!(
        shown(&tiny, "colour of pome fruit"),
        "no values: the graph records no `colour` for `pome fruit`, nor for any class it belongs to\n"
    );
}

// ---------------------------------------------------------------- bad input

#[test]
fn bad_attribute_questions_and_conditions_are_clear_errors_with_a_position() {
    let kg = kg();
    let e = error(kg, "dosing intervall of zoledronic acid");
    assert_eq!(e.kind, ErrorKind::UnknownAttribute);
    assert_eq!((e.span.start, e.span.end), (0, 16));
    assert_eq!(e.suggestions, ["dosing interval"]);

    let e = error(kg, "dosing interval zoledronic acid");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(
        e.message,
        "expected `of` after the attribute `dosing interval`, found `zoledronic`"
    );

    let q = "side effects of zoledronic acid where colour is red";
    let e = error(kg, q);
    assert_eq!(e.kind, ErrorKind::UnknownField);
    assert_eq!(&q[e.span.start..e.span.end], "colour");
    let help = e.help_line().unwrap();
    for field in [
        "certainty",
        "frequency",
        "rank",
        "quantity",
        "timing",
        "context",
        "section",
    ] {
        assert!(help.contains(&format!("`{field}`")), "{help}");
    }
    let e = error(kg, "side effects of zoledronic acid where frequncy is rare");
    assert_eq!(e.suggestions, ["frequency"]);

    let q = "side effects of zoledronic acid where frequency is";
    let e = error(kg, q);
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(
        e.message,
        "expected a value after `frequency is`, found the end of the query"
    );
    assert_eq!(e.span.start, q.len());

    let e = error(
        kg,
        "side effects of zoledronic acid where frequency is seldom",
    );
    assert_eq!(e.kind, ErrorKind::UnknownField);
    assert!(
        e.help_line().unwrap().contains("`in rare instances`"),
        "{e:?}"
    );

    let e = error(kg, "therapies relieving pain where certainty is posible");
    assert_eq!(e.suggestions, ["possible"]);

    let e = error(kg, "therapies relieving pain where section is radiaton");
    assert_eq!(e.suggestions, ["radiation"]);

    let e = error(kg, "dosing interval of denosumab where rank is first");
    assert_eq!(e.message, "attribute values have no `rank`");

    let e = error(kg, "therapies where certainty is possible");
    assert!(
        e.message
            .starts_with("`where` needs a phrase or an attribute before it"),
        "{e:?}"
    );
}

#[test]
fn no_query_of_the_new_forms_panics_on_truncation_or_soup() {
    let kg = kg();
    let queries = [
        "dosing interval of zoledronic acid where section is \"bisphosphonates\" and certainty is established",
        "count how it is used of (therapies relieving pain where certainty is may) where context is \"x\"",
        "side effects of therapies relieving pain where rank is most common and frequency is rare",
    ];
    for q in queries {
        for end in 0..=q.len() {
            if q.is_char_boundary(end) {
                let _ = kg.query(&q[..end]);
            }
        }
        let words: Vec<&str> = q.split(' ').collect();
        for i in 0..words.len() {
            let mut w = words.clone();
            w.remove(i);
            let _ = kg.query(&w.join(" "));
        }
    }
}

// ---------------------------------------------------------------- other outputs

#[test]
fn json_values_carry_the_entity_the_value_its_claim_and_its_inheritance() {
    let out = bonegraph(&["query", "safety of Zometa", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &v["values"][0];
    assert_eq!(row["id"], "zoledronic_acid");
    assert_eq!(row["name"], "zoledronic acid");
    assert_eq!(row["kind"], "therapy");
    assert_eq!(row["attribute"], "safety");
    assert_eq!(row["label"], "safety");
    assert_eq!(row["value"], "relatively safe");
    assert_eq!(row["holder"], "bisphosphonates");
    assert_eq!(row["inherited_from"], "bisphosphonates");
    assert_eq!(row["via"][0], "bisphosphonates");
    assert_eq!(row["claim"]["section"], "bisphosphonates");
    assert_eq!(row["claim"]["conflict"], "these_medications");
    assert_eq!(row["conflicts"][0], "these_medications");
    assert_eq!(row["steps"][0]["rel"], "is_a");
    assert_eq!(row["why"][0]["text"], "named in the query");
    assert_eq!(v["conflicts"][0]["id"], "these_medications");

    let out = bonegraph(&["query", "dosing interval of Zometa", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["values"][0]["inherited_from"], serde_json::Value::Null);

    let out = bonegraph(&["query", "how it works of therapies", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["values"], serde_json::json!([]));
    assert!(
        v["empty_reason"]
            .as_str()
            .unwrap()
            .starts_with("the graph records no")
    );

    let out = bonegraph(&["query", "dosing intervall of Zometa", "--format", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "unknown-attribute");
}

#[test]
fn explain_shows_a_values_claim_the_classes_it_comes_from_and_why_its_entity_is_there() {
    let kg = kg();
    let a = answer(kg, "how it is used of therapies that are bisphosphonates");
    let first = a.explain_row(kg, 0).unwrap();
    assert!(first.starts_with("denosumab (therapy)\n"), "{first}");
    assert!(first.contains("  said of bisphosphonate, not of denosumab by name:\n    denosumab is a bisphosphonate [article, bisphosphonates] [contradiction: denosumab_class]\n"), "{first}");
    assert!(
        first.contains("  in the answer because:\n    denosumab is a bisphosphonate"),
        "{first}"
    );
    assert!(
        first.contains("warning: the source contradicts itself (denosumab_class)"),
        "{first}"
    );
    assert!(a.explain_row(kg, a.len()).is_none());
}

#[test]
fn dot_draws_the_entities_of_values_and_the_classes_they_come_from() {
    let dot = bonegraph::render::dot::query_dot(kg(), "safety of Zometa", Default::default())
        .unwrap()
        .unwrap();
    assert!(
        dot.contains("\"zoledronic_acid\" -> \"bisphosphonates\""),
        "{dot}"
    );
    assert!(dot.contains("via bisphosphonate"), "{dot}");
}

#[test]
fn attribute_questions_and_conditions_translate_to_sparql_and_cypher() {
    // The text on the tiny orchard, pinned; whether the translations give bonegraph's answers
    // is checked on Oxigraph and Kuzu by tests/differential/run.sh.
    let kg = tiny();
    let queries = [
        "colour of apple",
        "colour of fruits eaten by codling moth",
        "count colour of fruits where section is ch2",
        "pests eating fruits where certainty is likely",
        "pests eating fruits where certainty is usually and section is chapter 2",
        "fruits that are pome fruit where section is ch1",
        "things including apple where certainty is established",
    ];
    let mut out = String::new();
    for q in queries {
        for target in [
            Target::Sparql,
            Target::Cypher(Dialect::Neo4j),
            Target::Cypher(Dialect::Kuzu),
        ] {
            out.push_str(&format!("> {q}  [{target:?}]\n"));
            let prepared = kg.prepare(q).unwrap();
            match kg.translate(&prepared, target, &RdfNames::default()) {
                Ok(text) => out.push_str(&text),
                Err(e) => out.push_str(&e.render(q)),
            }
            out.push('\n');
        }
    }
    assert_golden(&fixture("valid/tiny-attributes.translations"), &out);
    // Rank in a condition: only the row's own edge, no inheritance steps.
    let sparql = kg_translate(
        "therapies relieving pain where rank is most common",
        Target::Sparql,
    );
    assert!(
        sparql.contains("rdf:subject ?entity ; rdf:predicate ?p"),
        "{sparql}"
    );
    let cypher = kg_translate(
        "therapies relieving pain where rank is most common",
        Target::Cypher(Dialect::Kuzu),
    );
    assert!(
        cypher.contains("(x)-[r3:`relieves`]->(t2:`Entity`)"),
        "{cypher}"
    );
}

fn kg_translate(q: &str, target: Target) -> String {
    let p = kg().prepare(q).unwrap();
    kg().translate(&p, target, &RdfNames::default()).unwrap()
}

// ---------------------------------------------------------------- the shell

/// In a real terminal (tmux; skipped where it is not installed), Tab completes an attribute,
/// `of`, a name, `where`, a field and a section id, and the question answers.
#[test]
fn in_a_terminal_tab_completes_attribute_questions_and_conditions() {
    use std::process::Command;
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("note: tmux not installed; terminal completion test skipped");
        return;
    }
    let dir = crate::util::scratch("tmux-attributes");
    let name = format!("bonegraph-attributes-{}", std::process::id());
    let cmd = format!(
        "BONEGRAPH_HISTORY='{}' NO_COLOR=1 '{}'; echo EXIT=$?; sleep 30",
        dir.join("history").display(),
        env!("CARGO_BIN_EXE_bonegraph")
    );
    let started = Command::new("tmux")
        .args([
            "new-session",
            "-d",
            "-s",
            &name,
            "-x",
            "200",
            "-y",
            "50",
            &cmd,
        ])
        .status()
        .unwrap()
        .success();
    assert!(started, "tmux could not start a session");
    struct Kill(String);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = Command::new("tmux")
                .args(["kill-session", "-t", &self.0])
                .status();
        }
    }
    let _kill = Kill(name.clone());
    let keys = |keys: &[&str]| {
        let mut args = vec!["send-keys", "-t", name.as_str()];
        args.extend_from_slice(keys);
        Command::new("tmux").args(&args).status().unwrap();
    };
    let wait_for = |text: &str| {
        for _ in 0..200 {
            let out = Command::new("tmux")
                .args(["capture-pane", "-p", "-t", &name])
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains(text) {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &name])
            .output()
            .unwrap();
        panic!(
            "`{text}` never appeared; screen:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    };
    wait_for("bonegraph>");
    keys(&["dosing inter", "Tab"]);
    wait_for("bonegraph> dosing interval");
    keys(&[" o", "Tab"]);
    wait_for("bonegraph> dosing interval of");
    keys(&[" zoled", "Tab"]);
    wait_for("bonegraph> dosing interval of zoledronic acid");
    keys(&[" wh", "Tab"]);
    wait_for("bonegraph> dosing interval of zoledronic acid where");
    keys(&[" sec", "Tab"]);
    wait_for("bonegraph> dosing interval of zoledronic acid where section");
    keys(&[" is bisph", "Tab"]);
    wait_for("bonegraph> dosing interval of zoledronic acid where section is bisphosphonates");
    keys(&["Enter"]);
    wait_for("every three to four weeks");
    wait_for("answered in");
    keys(&["C-d"]);
    wait_for("EXIT=0");
}
