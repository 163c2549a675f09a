//! Never claim more than the source: answers on the embedded graph that once said more than
//! the article does, written as the user sees them (table and JSON), and the audit that keeps
//! every claim tied to what the article says (docs/audit.md).

use crate::util::{bonegraph, root, stdout};
use bonegraph::{Answer, Basis, KnowledgeGraph};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn kg() -> &'static KnowledgeGraph {
    KnowledgeGraph::embedded()
}

fn answer(q: &str) -> Answer {
    kg().query(q)
        .unwrap_or_else(|e| panic!("`{q}` failed:\n{}", e.render(q)))
}

fn table(q: &str) -> String {
    answer(q).to_table(kg())
}

fn json(q: &str) -> Value {
    answer(q).to_json(kg(), q)
}

/// The row of `name` in a table, as one line.
fn row<'a>(table: &'a str, name: &str) -> &'a str {
    table
        .lines()
        .find(|l| l.split("  ").any(|cell| cell.trim() == name))
        .unwrap_or_else(|| panic!("no row `{name}` in\n{table}"))
}

// ---------------------------------------------------------------- the cases of the audit

#[test]
fn no_therapy_is_said_to_treat_hypercalcemia_or_cord_compression_through_a_class() {
    assert_eq!(
        table("therapies treating hypercalcemia"),
        "no rows: nothing in the graph answers `therapies treating hypercalcemia`: no `treats` edge (or a narrower one) links a therapy to `hypercalcemia`\n"
    );
    let v = json("therapies treating hypercalcemia");
    assert_eq!(v["rows"], serde_json::json!([]));
    // Cord compression: radiation (and stereotactic radiation, as a kind of it) and surgery,
    // as the article says; no bone drug.
    assert_eq!(
        answer("therapies treating spinal cord compression").names(kg()),
        [
            "radiation therapy",
            "stereotactic radiation therapy",
            "surgery"
        ]
    );
    assert!(
        row(
            &table("therapies treating spinal cord compression"),
            "stereotactic radiation therapy"
        )
        .ends_with("radiation therapy relieves spinal cord compression (via radiation therapy)")
    );
    assert!(
        row(&table("therapies treating spinal cord compression"), "surgery")
            .contains("surgery treats spinal cord compression (may; sometimes; when the tumour puts significant…)")
    );
}

#[test]
fn anticancer_properties_are_a_property_not_a_treatment_of_lung_cancer() {
    assert_eq!(
        answer("therapies treating lung cancer").names(kg()),
        ["cancer medication", "cancer surgery", "cancer treatment"]
    );
    let card = table("describe Zometa");
    assert!(
        card.contains("  property         anticancer properties [article, bisphosphonates]\n"),
        "{card}"
    );
    assert!(!card.contains("-> lung cancer"), "{card}");
    // Denosumab's effect on the cancer itself is only thought possible, and the article is
    // inconsistent about it: both claims are shown side by side.
    let t = table("therapies that may affect lung cancer");
    assert!(
        t.contains("denosumab may affect lung cancer (thought it could; some effect; inconsistency: denosumab_anticancer)"),
        "{t}"
    );
    assert!(
        t.contains("warning: the source is inconsistent (denosumab_anticancer):"),
        "{t}"
    );
    assert!(
        t.contains("  [article, denosumab]        denosumab may affect lung cancer (thought it could; some effect)\n  [article, bisphosphonates]  denosumab: property = anticancer properties\n"),
        "{t}"
    );
}

#[test]
fn being_more_likely_to_break_is_a_raised_risk_not_a_cause() {
    let causes = answer("things causing fracture").names(kg());
    assert_eq!(causes, ["bone metastasis from lung cancer"]);
    let t = table("things raising the risk of fracture");
    assert!(
        row(&t, "replacement of bone by cancer cells")
            .contains("replacement of bone by cancer cells raises risk of pathological fracture"),
        "{t}"
    );
}

#[test]
fn a_rank_stays_with_the_class_it_ranks() {
    let t = table("therapies relieving pain");
    assert!(
        row(&t, "radiation therapy").contains("(most common;"),
        "{t}"
    );
    let sbrt = row(&t, "stereotactic radiation therapy");
    assert!(!sbrt.contains("most common"), "{sbrt}");
    assert!(sbrt.contains("via radiation therapy"), "{sbrt}");
    let v = json("therapies relieving pain");
    let rows = v["rows"].as_array().unwrap();
    let sbrt = rows.iter().find(|r| r["id"] == "sbrt").unwrap();
    assert_eq!(
        sbrt["why"][0]["withheld"],
        serde_json::json!([{"field": "rank", "value": "most common"}])
    );
    assert_eq!(
        sbrt["why"][0]["via"],
        serde_json::json!(["radiation_therapy"])
    );
}

#[test]
fn quantities_timings_and_contexts_reach_the_because_column() {
    let t = table("factors improving survival");
    assert!(
        row(&t, "female sex").contains("(somewhat; in lung cancer with bone metastases)"),
        "{t}"
    );
    let t = table("triggers worsening pain");
    assert!(
        row(&t, "night").contains("when the metastases are in the spine"),
        "{t}"
    );
    assert!(row(&t, "movement").contains("arms or"), "{t}");
    let t = table("therapies relieving pain");
    let radionuclide = row(&t, "radionuclide treatment");
    assert!(
        radionuclide
            .contains("(75 percent of patients with lung cancer; begins one to five weeks after…;"),
        "{radionuclide}"
    );
    // Shortened in the table, whole in JSON.
    let v = json("therapies relieving pain");
    let r = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "radionuclide_therapy")
        .unwrap();
    assert!(
        r["why"][0]["qualifiers"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"field": "timing", "value": "begins one to five weeks after treatment and lasts up to six months"})),
        "{r}"
    );
    let origin = table("conditions originating from lung cancer");
    assert!(origin.contains("half of the time"), "{origin}");
}

#[test]
fn describe_zometa_shows_the_side_effects_stated_of_its_class() {
    for name in ["Zometa", "zometa", "zoledronic acid"] {
        let card = table(&format!("describe {name}"));
        assert!(
            card.contains(
                "  inherited from its classes (said of the class, not of zoledronic acid by name):
    via bisphosphonate:
"
            ),
            "{card}"
        );
        assert!(
            card.contains("      has side effect -> osteonecrosis of the jaw (can; in rare instances; see note: these_medications) [article, bisphosphonates]\n"),
            "{card}"
        );
        assert!(
            card.contains("      has side effect -> kidney damage (can; in rare instances;"),
            "{card}"
        );
    }
    let v = json("describe Zometa");
    let inherited = v["entity"]["inherited"].as_array().unwrap();
    assert!(
        inherited
            .iter()
            .any(|i| i["to"] == "kidney_damage" && i["via"] == "bisphosphonates"),
        "{inherited:?}"
    );
}

#[test]
fn the_cauda_equina_slip_is_marked_wherever_it_is_used() {
    let t = table("complications that are spinal cord compression");
    assert!(
        t.contains("cauda equina syndrome is a spinal cord compression (when the compression is severe and in…; see note: cauda_equina_cord)"),
        "{t}"
    );
    assert!(
        t.contains("note: the source slips here (cauda_equina_cord): "),
        "{t}"
    );
    let card = table("describe cauda equina syndrome");
    assert!(
        card.contains("note: the source slips here (cauda_equina_cord): "),
        "{card}"
    );
    let v = json("describe cauda equina syndrome");
    assert_eq!(v["entity"]["conflicts"][0]["kind"], "slip");
}

#[test]
fn how_a_drug_is_given_is_never_one_plain_row_when_the_source_disagrees() {
    for q in [
        "routes used to give denosumab",
        "therapies given by intravenous infusion",
        "describe denosumab",
    ] {
        let t = table(q);
        assert!(
            t.contains("warning: the source contradicts itself (denosumab_route): "),
            "{q}:\n{t}"
        );
        assert!(
            t.contains("  [article, bisphosphonates]  denosumab given by intravenous infusion (every two to four weeks)\n  [article, denosumab]        denosumab given by subcutaneous injection (every four weeks)\n"),
            "{q}:\n{t}"
        );
    }
    let t = table("therapies given by intravenous infusion");
    assert!(
        row(&t, "denosumab").contains("contradiction: denosumab_route"),
        "{t}"
    );
    let v = json("routes used to give denosumab");
    let c = &v["conflicts"][0];
    assert_eq!(c["id"], "denosumab_route");
    assert_eq!(c["kind"], "contradiction");
    assert_eq!(c["claims"][0]["section"], "bisphosphonates");
    assert_eq!(c["claims"][1]["section"], "denosumab");
    // Plain output, for scripts, still warns on standard error.
    let out = bonegraph(&[
        "query",
        "routes used to give denosumab",
        "--format",
        "plain",
    ]);
    assert_eq!(
        stdout(&out),
        "intravenous infusion\nsubcutaneous injection\n"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("warning: the source contradicts itself (denosumab_route)"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_embedded_graph_is_audited_and_lint_clean() {
    let kg = kg();
    let unmarked = kg
        .edges()
        .map(|e| &kg.edge(e).1.claim)
        .chain(kg.inferred().iter().map(|i| &i.claim))
        .chain(
            kg.nodes()
                .flat_map(|n| kg.entity(n).attributes.iter().map(|a| &a.claim)),
        )
        .filter(|c| c.basis.is_none())
        .count();
    assert_eq!(unmarked, 0, "every claim has an audit verdict");
    let lints: Vec<_> = kg
        .warnings()
        .iter()
        .filter(|d| d.code != bonegraph::Code::Conflict)
        .collect();
    assert!(lints.is_empty(), "{lints:?}");
    assert!(!kg.inferred().is_empty());
    // Critical flags are set, so the inheritance lint has something to guard.
    let treats = kg.schema().relation_by_id("treats").unwrap();
    assert!(kg.schema().relation(treats).critical);
}

// ---------------------------------------------------------------- the audit

const TABLE_START: &str = "<!-- audit table: generated from graph.ron by `bonegraph check --format audit`; `BLESS=1 cargo test` refreshes it -->\n";
const TABLE_END: &str = "<!-- end of audit table -->\n";

#[test]
fn docs_audit_md_lists_every_claim_of_graph_ron_with_its_verdict() {
    let path = root().join("docs/audit.md");
    let doc = std::fs::read_to_string(&path).unwrap();
    let start = doc.find(TABLE_START).expect("start marker") + TABLE_START.len();
    let end = doc.find(TABLE_END).expect("end marker");
    let generated = format!("\n{}\n", bonegraph::render::check::audit_markdown(kg()));
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(
            &path,
            format!("{}{generated}{}", &doc[..start], &doc[end..]),
        )
        .unwrap();
        return;
    }
    assert!(
        doc[start..end] == generated,
        "docs/audit.md is out of date with graph.ron; run `BLESS=1 cargo test` and read the diff"
    );
}

/// The (from, relation, to) triples docs/audit.md lists as removed or inferred.
fn not_stated() -> BTreeSet<(String, String, String)> {
    let doc = std::fs::read_to_string(root().join("docs/audit.md")).unwrap();
    let mut out = BTreeSet::new();
    let mut removed = false;
    for line in doc.lines() {
        if line.starts_with("## ") {
            removed = line.starts_with("## Edges removed");
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // Removed: | from | relation | to | section | why |
        if removed && cells.len() == 7 && cells[1] != "from" && !cells[1].starts_with("---") {
            out.insert((
                cells[1].to_owned(),
                cells[2].to_owned(),
                cells[3].to_owned(),
            ));
        }
        // Generated: | # | from | relation | to | section | verdict | marks |
        if cells.len() == 9 && cells[6] == "inferred" {
            out.insert((
                cells[2].to_owned(),
                cells[3].to_owned(),
                cells[4].to_owned(),
            ));
        }
    }
    out
}

/// Every query written down in the project: the grammar corpus, the transcripts and the
/// examples of both READMEs.
fn written_queries() -> Vec<String> {
    let mut out = Vec::new();
    let corpus = std::fs::read_to_string(root().join("grammar/corpus/accepted.txt")).unwrap();
    for line in corpus
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if let Some((q, _)) = line.split_once(" => ") {
            out.push(q.to_owned());
        }
    }
    for file in [
        "tests/transcripts/queries.txt",
        "tests/transcripts/repl.txt",
        "grammar/README.md",
        "README.md",
    ] {
        let text = std::fs::read_to_string(root().join(Path::new(file))).unwrap();
        for line in text.lines() {
            if let Some(q) = line.strip_prefix("> ") {
                out.push(q.to_owned());
            } else if let Some(rest) = line.strip_prefix("$ bonegraph query \"") {
                out.push(rest.split('"').next().unwrap().to_owned());
            }
        }
    }
    out
}

#[test]
fn no_written_query_rests_on_an_edge_the_audit_calls_inferred() {
    let kg = kg();
    let banned = not_stated();
    assert!(banned.len() >= 10, "the audit lists {banned:?}");
    let queries = written_queries();
    assert!(queries.len() >= 100, "only {} queries", queries.len());
    let mut rows = 0;
    for q in &queries {
        let Ok(answer) = kg.query(q) else { continue };
        let edges: Vec<bonegraph::EdgeIndex> = match &answer.body {
            bonegraph::Body::Rows(r) => r
                .iter()
                .flat_map(|row| &row.why)
                .flat_map(|w| w.steps.iter().copied())
                .collect(),
            bonegraph::Body::Paths(p) => p.iter().flatten().map(|s| s.edge).collect(),
            _ => Vec::new(),
        };
        rows += answer.len();
        for e in edges {
            let (a, edge, b) = kg.edge(e);
            assert_ne!(edge.claim.basis, Some(Basis::Inferred), "`{q}`");
            let triple = (
                kg.entity(a).id.clone(),
                kg.schema().relation(edge.rel).id.clone(),
                kg.entity(b).id.clone(),
            );
            assert!(
                !banned.contains(&triple),
                "`{q}` rests on {triple:?}, which docs/audit.md does not count as stated"
            );
        }
    }
    assert!(rows > 300, "only {rows} rows checked");
}
