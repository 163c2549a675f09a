//! Hostile shapes of a schema and a hierarchy: long chains of relation parents, loops of them,
//! long `is_a` chains, chains with back edges, huge ids. Each must load (or be refused) with a
//! bounded report and answer within the query's budgets. Sizes are scaled down from the
//! adversarial run; `benches/hostile.sh` runs the large versions and measures them.

use bonegraph::load::{MAX_DIAGNOSTICS_PER_CODE, check_str};
use bonegraph::render::check::CheckReport;
use bonegraph::{Code, ErrorKind, KnowledgeGraph, RelId};

/// A graph with one kind, `rels` relation types (each the parent of the next, or in a loop),
/// and `chain` entities in an `is_a` chain (`e{i} is_a e{i-1}`), optionally with a back edge
/// `e0 is_a e{i}` every `back` steps.
fn shape(rels: usize, rel_loop: bool, chain: usize, back: usize) -> String {
    let mut text = String::from(
        "(name: \"shapes\", schema: (kinds: [(id: \"k\", singular: \"thing k\", plural: \"things k\")], relations: [\n\
         (id: \"is_a\", from: [\"*\"], to: [\"*\"], hierarchy: true, forward: [\"that are\"], inverse: [\"including\"]),\n",
    );
    for r in 0..rels {
        let parent = if r > 0 {
            format!(", parent: \"r{}\"", r - 1)
        } else if rel_loop {
            format!(", parent: \"r{}\"", rels - 1)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "(id: \"r{r}\", from: [\"k\"], to: [\"k\"], forward: [\"p{r}\"], inverse: [\"q{r}\"]{parent}),\n"
        ));
    }
    text.push_str("]),\nsources: [(id: \"s\", title: \"s\")],\nentities: [\n");
    for i in 0..chain {
        text.push_str(&format!("(id: \"e{i}\", kind: \"k\", name: \"e {i}\"),\n"));
    }
    text.push_str("],\nrelations: [\n");
    for i in 1..chain {
        text.push_str(&format!(
            "(from: \"e{i}\", rel: \"is_a\", to: \"e{}\", source: \"s\"),\n",
            i - 1
        ));
        if back > 0 && i % back == 0 {
            text.push_str(&format!(
                "(from: \"e0\", rel: \"is_a\", to: \"e{i}\", source: \"s\"),\n"
            ));
        }
    }
    if rels > 0 && chain > 2 {
        // One claim at the bottom of the chain, of the deepest relation type.
        text.push_str(&format!(
            "(from: \"e{}\", rel: \"r{}\", to: \"e0\", source: \"s\"),\n",
            chain - 1,
            rels - 1
        ));
    }
    text.push_str("])");
    text
}

#[test]
fn a_long_chain_of_relation_parents_loads_and_a_phrase_takes_in_every_refinement() {
    // The adversarial run: 2,000 types took 7.7 s to check, 8,000 never finished (every pair
    // of types was compared by walking the chain). This is 20,000.
    let kg = KnowledgeGraph::from_str(&shape(20_000, false, 3, 0)).expect("loads");
    let r0 = kg.schema().relation_by_id("r0").unwrap();
    assert_eq!(kg.schema().refinements(r0).len(), 20_000);
    assert!(
        kg.schema()
            .relation_is_within(kg.schema().relation_by_id("r19999").unwrap(), r0)
    );
    assert!(!kg.schema().relation_is_within(r0, RelId(20_000)));
    // `p0` (the root's phrase) finds the claim made with the deepest type.
    assert_eq!(kg.query("things k p0 e 0").unwrap().names(&kg), ["e 2"]);
}

#[test]
fn a_loop_of_relation_parents_is_reported_once_and_briefly() {
    let checked = check_str(&shape(5_000, true, 3, 0));
    let cycles: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Cycle)
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert_eq!(
        cycles[0].message,
        "relation parents form a loop: r0 -> r4999 -> r4998 -> r4997 -> r4996 -> r4995 -> r4994 -> r4993 -> r4992 -> r4991 -> r4990 -> ... (4988 more) ... -> r1 -> r0"
    );
}

#[test]
fn counting_the_members_of_a_long_is_a_chain_stays_linear() {
    // The adversarial run: `count things that are c 99999` on a 100,000-step chain needed
    // 3 GB and aborted (every member kept its own copy of its path).
    let n = 40_000;
    let kg = KnowledgeGraph::from_str(&shape(1, false, n, 0)).expect("loads");
    for q in ["count things that are e 0", "count things k that are e 0"] {
        assert_eq!(kg.query(q).unwrap().len(), n - 1, "{q}");
    }
    assert_eq!(
        kg.query(&format!("count things including e {}", n - 1))
            .unwrap()
            .len(),
        n - 1
    );
    // The claim `e{n-1} r0 e0` holds for every member of `e0`: the whole chain.
    assert_eq!(
        kg.query(&format!("count things k q0 e {}", n - 1))
            .unwrap()
            .len(),
        n
    );
}

#[test]
fn an_answer_whose_evidence_would_be_huge_is_refused_by_counting_its_steps() {
    // Listing every member of a 40,000-step chain with its path would be 800 million steps.
    let kg = KnowledgeGraph::from_str(&shape(1, false, 40_000, 0)).expect("loads");
    let e = kg.query("things that are e 0").unwrap_err();
    assert_eq!(e.kind, ErrorKind::LimitExceeded);
    assert_eq!(
        e.message,
        format!(
            "the answer's evidence would list more than {} steps",
            bonegraph::query::MAX_EVIDENCE_STEPS
        )
    );
    assert_eq!(
        e.help.as_deref(),
        Some("ask for the number with `count ...`, or narrow the question")
    );
}

#[test]
fn a_chain_with_back_edges_gives_a_report_of_bounded_size() {
    // The adversarial run: 5,000 entities with back edges printed 109 MB (every loop in
    // full), 20,000 aborted. Here every entity also points back to the start.
    let text = shape(1, false, 20_000, 1);
    let checked = check_str(&text);
    let report = CheckReport::new("back.ron", &checked);
    assert!(!report.valid);
    let rendered = report.render_text(Some(&text));
    assert!(
        rendered.len() < 200_000,
        "{} bytes of report",
        rendered.len()
    );
    let cycles = report
        .errors
        .iter()
        .filter(|d| d.code == Code::Cycle)
        .count();
    assert!((1..=MAX_DIAGNOSTICS_PER_CODE + 1).contains(&cycles));
    for d in &report.errors {
        assert!(d.message.chars().count() <= 1001, "{}", d.message);
    }
}

#[test]
fn a_huge_id_is_cut_in_messages() {
    let id = "x".repeat(100_000);
    let text = format!(
        "(name: \"big\", schema: (kinds: [(id: \"k\", singular: \"k\", plural: \"ks\")], relations: []),\n\
         entities: [(id: \"{id}\", kind: \"k\", name: \"a\"), (id: \"{id}\", kind: \"k\", name: \"b\")])"
    );
    let checked = check_str(&text);
    let dup = checked
        .diagnostics
        .iter()
        .find(|d| d.code == Code::DuplicateId)
        .expect("duplicate id reported");
    assert_eq!(dup.message.chars().count(), 1001);
    assert!(dup.message.starts_with("entity id `xxxx"));
    assert!(dup.message.ends_with('…'));
}
