//! What members inherit from their classes, shown as the user sees it, on a graph of another
//! domain (tests/fixtures/valid/inheritance.ron, an orchard): rank stays with the class, hedges
//! and contexts pass, `via` names the class, inferences stay out of answers, slips and
//! contradictions are printed beside the rows, and `check` reports uncited critical steps and
//! lost hedges. Tests of the embedded graph's own facts live in `facts`.

use crate::util::{assert_golden, bonegraph, fixture, root, stdout};
use bonegraph::inheritance::{Field, passes_to_members};
use bonegraph::load::check_str;
use bonegraph::render::check::CheckReport;
use bonegraph::{Code, KnowledgeGraph};
use serde_json::Value;

fn orchard() -> KnowledgeGraph {
    KnowledgeGraph::from_path(root().join(fixture("valid/inheritance.ron"))).expect("loads")
}

fn table(kg: &KnowledgeGraph, q: &str) -> String {
    kg.query(q)
        .unwrap_or_else(|e| panic!("`{q}` failed:\n{}", e.render(q)))
        .to_table(kg)
}

fn json(kg: &KnowledgeGraph, q: &str) -> Value {
    kg.query(q).expect("answers").to_json(kg, q)
}

#[test]
fn rank_stays_with_the_class_while_frequency_hedge_and_context_pass() {
    let kg = orchard();
    assert_eq!(
        table(&kg, "pests controlled by copper spray"),
        "#  name          kind  because
1  codling moth  pest  spray controls codling moth (often; when diluted; via spray)
(1 row)
"
    );
    // The class's own row keeps its rank.
    assert!(
        table(&kg, "pests controlled by sprays").contains("(often; most common)"),
        "{}",
        table(&kg, "pests controlled by sprays")
    );
    let v = json(&kg, "pests controlled by copper spray");
    let why = &v["rows"][0]["why"][0];
    assert_eq!(why["via"], serde_json::json!(["sprays"]));
    assert_eq!(
        why["withheld"],
        serde_json::json!([{"field": "rank", "value": "most common"}])
    );
    assert_eq!(
        why["qualifiers"],
        serde_json::json!([
            {"field": "frequency", "value": "often"},
            {"field": "context", "value": "when diluted"},
        ])
    );
    // The full evidence still has the class's edge as the source gives it.
    assert_eq!(why["steps"][0]["rank"], "most common");
}

#[test]
fn the_rule_per_field_is_what_the_docs_say() {
    for (field, passes) in [
        (Field::Certainty, true),
        (Field::Frequency, true),
        (Field::Quantity, true),
        (Field::Timing, true),
        (Field::Context, true),
        (Field::Rank, false),
        (Field::Note, false),
    ] {
        assert_eq!(passes_to_members(field), passes, "{field:?}");
    }
    for doc in ["docs/graph-format.md", "grammar/README.md"] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        assert!(
            text.contains("| `rank` | no |"),
            "{doc} lacks the rank rule"
        );
        assert!(
            text.contains("| `frequency` | yes |"),
            "{doc} lacks the frequency rule"
        );
    }
}

#[test]
fn an_inferred_edge_never_reaches_an_answer_but_shows_on_the_card() {
    let kg = orchard();
    // Only sulphur's own (stated) edge answers; neem's inferred one does not.
    assert_eq!(
        kg.query("remedies controlling aphids").unwrap().names(&kg),
        ["sulphur dust"]
    );
    assert_eq!(kg.inferred().len(), 1);
    let card = table(&kg, "describe neem oil");
    assert!(
        card.contains(
            "inferred by the graph's authors (the source does not say this; answers do not use it):\n    controls -> aphid"
        ),
        "{card}"
    );
    let v = json(&kg, "describe neem oil");
    assert_eq!(v["entity"]["inferred"][0]["to"], "aphids");
    assert_eq!(v["entity"]["inferred"][0]["basis"], "inferred");
    // No path goes through it either.
    let path = kg.query("path from neem oil to aphid").unwrap();
    assert!(path.is_empty(), "{}", path.to_table(&kg));
}

#[test]
fn a_card_lists_what_it_inherits_class_by_class_with_what_is_not_passed_on() {
    let kg = orchard();
    let card = table(&kg, "describe copper spray");
    assert!(
        card.contains(
            "  inherited from its classes (said of the class, not of copper spray by name):
    via spray:
      controls -> codling moth (often; when diluted) [guide, ch1] (not passed on: rank `most common`)
"
        ),
        "{card}"
    );
    // What the member states itself is not repeated as inherited.
    assert!(!card.contains("harms -> apple tree (may"), "{card}");
    let v = json(&kg, "describe copper spray");
    assert_eq!(v["entity"]["inherited"][0]["via"], "sprays");
    assert_eq!(v["entity"]["inherited"][0]["withheld"][0]["field"], "rank");
}

#[test]
fn a_slip_in_the_source_is_printed_beside_every_answer_that_rests_on_it() {
    let kg = orchard();
    assert_eq!(
        table(&kg, "trees harmed by neem oil"),
        "#  name        kind  because
1  apple tree  tree  spray harms apple tree (may; rare; via spray; see note: sprys)
(1 row)
note: the source slips here (sprys): The guide writes sprys for sprays where it introduces neem.
  [guide]  neem oil is a spray
"
    );
    let v = json(&kg, "trees harmed by neem oil");
    assert_eq!(v["conflicts"][0]["id"], "sprys");
    assert_eq!(v["conflicts"][0]["kind"], "slip");
    assert_eq!(
        v["conflicts"][0]["claims"][0]["text"],
        "neem oil is a spray"
    );
}

#[test]
fn check_reports_uncited_critical_steps_lost_hedges_and_mismatched_verdicts() {
    let rel = fixture("valid/inheritance.ron");
    let text = std::fs::read_to_string(root().join(&rel)).unwrap();
    let checked = check_str(&text);
    let report = CheckReport::new(&rel.display().to_string(), &checked);
    assert!(report.valid);
    let found: Vec<(Code, usize)> = report
        .warnings
        .iter()
        .filter(|d| d.code != Code::Conflict)
        .map(|d| (d.code, d.location.expect("located").line))
        .collect();
    assert_eq!(
        found,
        [
            (Code::UncitedCriticalStep, 50), // neem is_a sprays: no section
            (Code::InheritedHedgeLost, 52),  // copper spray harms apple tree, plainly
            (Code::UncitedCriticalStep, 54), // sulphur deters aphids: no basis
            (Code::BasisMismatch, 56),       // frost harms apple tree: `can`, marked Stated
            (Code::UncitedCriticalStep, 60), // hail is_a emergency: no section
        ]
    );
    assert_eq!(report.by_basis["inferred"], 1);
    assert_eq!(report.by_basis["unmarked"], 2);
    assert_golden(
        &rel.with_extension("expected"),
        &report.render_text(Some(&text)),
    );
}

#[test]
fn check_prints_the_audit_table_of_any_graph() {
    let out = bonegraph(&[
        "check",
        "--format",
        "audit",
        "tests/fixtures/valid/inheritance.ron",
    ]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.starts_with("| verdict | edges | attribute values |"),
        "{text}"
    );
    assert!(
        text.contains("| 10 | neem | controls | aphids | ch1 | inferred |  |"),
        "{text}"
    );
    assert!(
        text.contains("| 1 | sprays | controls | codling_moth | ch1 | stated | frequency: often; rank: most common |"),
        "{text}"
    );
}
