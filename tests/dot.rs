//! Pictures: DOT of the graph, the schema and answers' evidence, checked by Graphviz itself;
//! golden output on a tiny graph; hostile names; determinism; summary nodes; files written
//! atomically; rendering; the same pictures as Mermaid, checked by a small grammar of the
//! statements we write; and the JSON export.

use crate::util::{assert_golden, bonegraph, fixture, piped, root, scratch, stderr, stdout};
use bonegraph::KnowledgeGraph;
use bonegraph::render::dot::{DotOptions, answer_dot, graph_dot, query_dot, schema_dot};
use bonegraph::render::mermaid::{graph_mermaid, query_mermaid, schema_mermaid};
use std::io::Write;
use std::process::{Command, Stdio};

/// Whether Graphviz is installed; tests that need it say so and stop where it is not
/// (.ci/run installs it).
fn have_graphviz() -> bool {
    let ok = Command::new("dot").arg("-V").output().is_ok();
    if !ok {
        eprintln!("note: Graphviz not installed; DOT syntax not checked by Graphviz here");
    }
    ok
}

/// Fails unless Graphviz accepts `text` without a warning or an error.
fn assert_graphviz_accepts(text: &str, what: &str) {
    if !have_graphviz() {
        return;
    }
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "Graphviz rejects {what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "Graphviz warns about {what}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn load(rel: &str) -> KnowledgeGraph {
    KnowledgeGraph::from_path(root().join(fixture(rel))).unwrap()
}

#[test]
fn graphviz_accepts_every_picture_of_the_embedded_graph() {
    let kg = KnowledgeGraph::embedded();
    assert_graphviz_accepts(&graph_dot(kg, DotOptions::default()), "the whole graph");
    assert_graphviz_accepts(
        &graph_dot(
            kg,
            DotOptions {
                clusters: true,
                max_nodes: Some(30),
            },
        ),
        "the whole graph, 30 nodes",
    );
    assert_graphviz_accepts(&schema_dot(kg), "the schema");
    for q in [
        "therapies treating fracture",
        "side effects of therapies relieving pain",
        "path from lung cancer to paralysis",
        "paths from morphine to constipation limit 3",
        "describe denosumab",
        "tests detecting osteoporosis",
        "things that are medical emergencies",
    ] {
        let dot = query_dot(kg, q, DotOptions::default()).unwrap().unwrap();
        assert_graphviz_accepts(&dot, q);
    }
}

#[test]
fn the_tiny_graph_draws_exactly_as_expected() {
    let kg = load("valid/tiny.ron");
    assert_golden(
        &fixture("valid/tiny.dot"),
        &graph_dot(&kg, DotOptions::default()),
    );
    assert_golden(&fixture("valid/tiny-schema.dot"), &schema_dot(&kg));
}

#[test]
fn hostile_names_still_give_valid_dot() {
    let kg = load("valid/hostile.ron");
    let whole = graph_dot(
        &kg,
        DotOptions {
            clusters: true,
            max_nodes: None,
        },
    );
    assert_graphviz_accepts(&whole, "the hostile graph");
    assert_graphviz_accepts(&schema_dot(&kg), "the hostile schema");
    assert_graphviz_accepts(
        &graph_dot(
            &kg,
            DotOptions {
                clusters: false,
                max_nodes: Some(2),
            },
        ),
        "the hostile graph, collapsed",
    );
    let answer = query_dot(&kg, "things linking to plains", DotOptions::default())
        .unwrap()
        .unwrap();
    assert_graphviz_accepts(&answer, "a hostile answer");
    // Quotes and backslashes are escaped, line breaks become \n, nothing else is dropped.
    assert!(
        whole.contains(r##"label="say \"hi\"\n(odd <thing>)""##),
        "{whole}"
    );
    assert!(whole.contains(r##"back\\slash \\N \\G \\l"##));
    assert!(whole.contains("café ☕ 日本語 Ελληνικά"));
    assert!(
        whole.contains("odd &lt;thing&gt;"),
        "the legend is HTML and escapes `<`"
    );
}

#[test]
fn pictures_are_byte_for_byte_deterministic() {
    let a = bonegraph(&["dot"]);
    let b = bonegraph(&["dot"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let a = bonegraph(&["dot", "therapies treating fracture"]);
    let b = bonegraph(&["dot", "therapies treating fracture"]);
    assert_eq!(a.stdout, b.stdout);
    assert!(!a.stdout.is_empty());
}

#[test]
fn an_answer_picture_holds_rows_named_entities_and_witness_edges() {
    let dot = query_dot(
        KnowledgeGraph::embedded(),
        "side effects of Zometa",
        DotOptions::default(),
    )
    .unwrap()
    .unwrap();
    // The rows, bold; the named entity, double border; the inheritance step, marked.
    assert!(
        dot.contains(
            r##""kidney_damage" [label="kidney damage\n(side effect)\nvia bisphosphonate""##
        ),
        "{dot}"
    );
    assert!(dot.contains(r##""zoledronic_acid" [label="zoledronic acid\n(therapy)", shape=box, fillcolor="#fcc5c0", peripheries=2];"##), "{dot}");
    assert!(
        dot.contains(r##""zoledronic_acid" -> "bisphosphonates" [label="is a", color="#6a51a3""##),
        "{dot}"
    );
    // Every qualifier is on the edge, and the ambiguity of the source is marked.
    assert!(dot.contains(r##""bisphosphonates" -> "kidney_damage" [label="has side effect\n(can; in rare instances)\nambiguity: these_medications", style=dashed, color="#d7301f""##), "{dot}");
    // Nothing else.
    assert_eq!(dot.matches(" -> ").count(), 3);
}

#[test]
fn conflicting_claims_are_drawn_in_the_warning_colour() {
    let dot = query_dot(
        KnowledgeGraph::embedded(),
        "describe denosumab",
        DotOptions::default(),
    )
    .unwrap()
    .unwrap();
    assert!(dot.contains(r##""denosumab" -> "human_antibody" [label="is a\ncontradiction: denosumab_class", color="#d7301f""##), "{dot}");
}

#[test]
fn max_nodes_collapses_the_overflow_into_summary_nodes() {
    let kg = KnowledgeGraph::embedded();
    let dot = graph_dot(
        kg,
        DotOptions {
            max_nodes: Some(25),
            clusters: false,
        },
    );
    let entity_nodes = dot
        .lines()
        .filter(|l| {
            l.starts_with("  \"")
                && !l.starts_with("  \"more:")
                && l.contains(" [label=")
                && !l.contains(" -> ")
        })
        .count();
    assert_eq!(entity_nodes, 25, "{dot}");
    // Edges are capped too, and the legend says how many are left out.
    assert!(dot.matches(" -> ").count() <= 25 + 12, "{dot}");
    assert!(dot.contains("more edges not drawn"), "{dot}");
    assert!(
        dot.contains(r##"[label="9 more symptoms""##) || dot.contains(" more "),
        "{dot}"
    );
    assert_graphviz_accepts(&dot, "the collapsed graph");
    let out = bonegraph(&["dot", "--max-nodes", "0"]);
    assert_eq!(out.status.code(), Some(64), "0 is not a usable bound");
}

#[test]
fn a_count_has_nothing_to_draw() {
    let kg = KnowledgeGraph::embedded();
    let answer = kg.query("count therapies").unwrap();
    assert!(answer_dot(kg, &answer, "count therapies", &[], DotOptions::default()).is_none());
    let out = bonegraph(&["dot", "count therapies"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("a count has no evidence to draw"));
}

#[test]
fn output_files_are_written_atomically() {
    let dir = scratch("dot-output");
    let file = dir.join("graph.dot");
    std::fs::write(&file, "previous contents").unwrap();
    // A failed render leaves the previous file untouched.
    let out = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(["dot", "--render", "svg", "-o", file.to_str().unwrap()])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.starts_with("error: Graphviz's `dot` program is not installed"),
        "{message}"
    );
    assert!(message.contains("apt-get install graphviz"), "{message}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "previous contents");
    // A file in a missing directory is an error, and nothing is left behind.
    let out = bonegraph(&["dot", "-o", dir.join("missing/graph.dot").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).starts_with("error: cannot write"),
        "{}",
        stderr(&out)
    );
    // A good write replaces the file whole.
    let out = bonegraph(&["dot", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("digraph bonegraph {")
    );
    let leftovers = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn render_writes_an_image_with_graphviz() {
    if !have_graphviz() {
        return;
    }
    let dir = scratch("dot-render");
    let png = dir.join("answer.png");
    let out = bonegraph(&[
        "dot",
        "therapies treating fracture",
        "--render",
        "png",
        "-o",
        png.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    let svg = dir.join("schema.svg");
    let out = bonegraph(&[
        "dot",
        "--schema",
        "--render",
        "svg",
        "-o",
        svg.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    // The extension of -o picks the format; --render alone writes to standard output.
    let pdf = dir.join("answer.pdf");
    let out = bonegraph(&["dot", "side effects of Zometa", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    let png = dir.join("by-extension.PNG");
    let out = bonegraph(&["dot", "side effects of Zometa", "-o", png.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    let dot = dir.join("answer.dot");
    let out = bonegraph(&["dot", "side effects of Zometa", "-o", dot.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&dot)
            .unwrap()
            .starts_with("digraph")
    );
    let out = bonegraph(&["dot", "side effects of Zometa", "--render", "png"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a pipe takes a PNG: {}",
        stderr(&out)
    );
    assert!(out.stdout.starts_with(b"\x89PNG"));
}

#[test]
fn export_json_holds_schema_sources_entities_and_relations_with_provenance() {
    let out = bonegraph(&["export", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let kg = KnowledgeGraph::embedded();
    assert_eq!(v["entities"].as_array().unwrap().len(), kg.entity_count());
    // The relations of the file, the inferred ones included (marked, as in the file).
    let relations = v["relations"].as_array().unwrap();
    assert_eq!(relations.len(), kg.edge_count() + kg.inferred().len());
    assert_eq!(
        relations
            .iter()
            .filter(|r| r["basis"] == "Inferred")
            .count(),
        kg.inferred().len()
    );
    assert_eq!(
        v["schema"]["kinds"].as_array().unwrap().len(),
        kg.schema().kinds.len()
    );
    let edge = v["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["from"] == "denosumab" && e["to"] == "human_antibody")
        .unwrap();
    assert_eq!(edge["rel"], "is_a");
    assert_eq!(edge["source"], "article");
    assert_eq!(edge["section"], "denosumab");
    assert_eq!(edge["conflict"], "denosumab_class");
    let zometa = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "zoledronic_acid")
        .unwrap();
    assert_eq!(zometa["aliases"], serde_json::json!(["Zometa"]));
    assert_eq!(
        zometa["attributes"][0]["value"],
        "every three to four weeks"
    );
    let dir = scratch("export");
    let file = dir.join("graph.json");
    let out = bonegraph(&["export", "json", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        stdout(&bonegraph(&["export", "json"]))
    );
}

/// The labels of a DOT text's edges with their line breaks read as spaces.
fn edge_labels(dot: &str) -> Vec<String> {
    dot.lines()
        .filter(|l| l.contains(" -> "))
        .filter_map(|l| {
            let start = l.find("label=\"")? + 7;
            let end = start + l[start..].find("\", ")?;
            Some(l[start..end].replace("\\n", " "))
        })
        .collect()
}

#[test]
fn a_path_picture_carries_every_qualifier_the_text_shows() {
    let query = "path from lung cancer to paralysis";
    let text = stdout(&bonegraph(&["query", "--format", "table", query]));
    let dot = stdout(&bonegraph(&["dot", query]));
    let labels = edge_labels(&dot).join(" | ");
    let mut checked = 0;
    // Each step of the table ends `(qualifier; qualifier) [source, section]`.
    for line in text
        .lines()
        .filter(|l| l.trim_start().starts_with(char::is_numeric))
    {
        let Some(open) = line.rfind(" (") else {
            continue;
        };
        let close = line[open..].find(')').unwrap() + open;
        for qualifier in line[open + 2..close].split("; ") {
            assert!(
                labels.contains(qualifier),
                "`{qualifier}` of `{line}` is not in the picture: {labels}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "{text}");
    // Hedged steps are dashed, the rest solid.
    assert!(
        dot.contains(r#"[label="causes (can)", style=dashed"#),
        "{dot}"
    );
    assert!(
        dot.contains(r#""bone_metastasis" -> "spinal_cord_compression" [label="causes\n(when the metastases involve the\nspine)", tooltip"#),
        "{dot}"
    );
    // A step the source contradicts is marked as in the text.
    let query = "path from denosumab to human antibody";
    let text = stdout(&bonegraph(&["query", "--format", "table", query]));
    assert!(text.contains("[contradiction: denosumab_class]"), "{text}");
    let dot = stdout(&bonegraph(&["dot", query]));
    assert!(
        dot.contains(r##"[label="is a\ncontradiction: denosumab_class", color="#d7301f""##),
        "{dot}"
    );
}

#[test]
fn max_nodes_keeps_the_rows_and_named_entities_and_folds_by_distance() {
    let kg = KnowledgeGraph::embedded();
    let query = "side effects of therapies relieving pain";
    let full = query_dot(kg, query, DotOptions::default())
        .unwrap()
        .unwrap();
    let answer = kg.query(query).unwrap();
    let rows: Vec<String> = answer
        .rows()
        .iter()
        .map(|r| kg.entity(r.node).id.clone())
        .collect();
    let small = query_dot(
        kg,
        query,
        DotOptions {
            max_nodes: Some(rows.len() + 2),
            clusters: false,
        },
    )
    .unwrap()
    .unwrap();
    assert!(full.len() > small.len());
    for id in &rows {
        assert!(
            small.contains(&format!("  \"{id}\" [label=")),
            "{id}: {small}"
        );
    }
    assert!(small.contains("  \"bone_pain\" [label="), "named: {small}");
    // Folded edges have a style of their own, not the hedged one, and the legend says so.
    let folded: Vec<&str> = small.lines().filter(|l| l.contains("\"more:")).collect();
    assert!(folded.iter().any(|l| l.contains(" -> ")), "{small}");
    for l in folded.iter().filter(|l| l.contains(" -> ")) {
        assert!(
            l.contains("style=bold") && l.contains("arrowhead=odot"),
            "{l}"
        );
        assert!(!l.contains("dashed"), "{l}");
    }
    assert!(small.contains("folded: links to the N more"), "{small}");
    assert!(!full.contains("folded"), "{full}");
    assert_graphviz_accepts(&small, "a folded answer");
}

#[test]
fn max_nodes_caps_the_edges_of_the_whole_graph() {
    let out = bonegraph(&["dot", "--max-nodes", "30"]);
    let dot = stdout(&out);
    let edges = dot.matches(" -> ").count();
    assert!(edges <= 45, "{edges} edges");
    assert!(
        edges >= 30,
        "{edges} edges: the drawn entities are still linked"
    );
    // Every drawn entity keeps a line to the rest.
    for l in dot.lines() {
        let Some(id) = l
            .strip_prefix("    \"")
            .and_then(|r| r.split_once("\" [label="))
            .map(|(id, _)| id)
        else {
            continue;
        };
        assert!(
            dot.contains(&format!("\"{id}\" -> ")) || dot.contains(&format!("-> \"{id}\"")),
            "{id} has no edge"
        );
    }
}

#[test]
fn the_legend_lists_only_the_styles_drawn() {
    let kg = KnowledgeGraph::embedded();
    let legend = |dot: &str| -> String {
        dot.lines()
            .find(|l| l.trim_start().starts_with("legend ["))
            .unwrap()
            .to_owned()
    };
    let tiny = legend(&graph_dot(&load("valid/tiny.ron"), DotOptions::default()));
    assert!(tiny.contains("hedged") && tiny.contains("stated"), "{tiny}");
    for absent in [
        "contradicts",
        "is a:",
        "folded",
        "bold border",
        "double",
        "hoped",
    ] {
        assert!(!tiny.contains(absent), "`{absent}` in {tiny}");
    }
    let zometa = query_dot(kg, "side effects of Zometa", DotOptions::default())
        .unwrap()
        .unwrap();
    let l = legend(&zometa);
    for present in ["contradicts", "is a:", "via X", "bold border", "double"] {
        assert!(l.contains(present), "`{present}` missing from {l}");
    }
    assert!(!l.contains("folded") && !l.contains("hoped"), "{l}");
    // Compact: smaller than the answer it explains.
    assert!(l.len() < zometa.len() - l.len(), "{l}");
    // The schema's legend too: no refinements in the tiny schema, so no dashed line.
    let tiny_schema = legend(&schema_dot(&load("valid/tiny.ron")));
    assert!(!tiny_schema.contains("dashed"), "{tiny_schema}");
    assert!(legend(&schema_dot(kg)).contains("dashed: a relation type that refines another"));
}

/// Whether `label` (the text between the quotes) is safe in a Mermaid string: no quote, and
/// no character that could close it, start a tag, a comment or a link text, other than the
/// tags and entity codes we write ourselves.
fn mermaid_label_ok(label: &str) -> bool {
    let mut rest = label.to_owned();
    for tag in ["<br>", "<b>", "</b>", "<i>", "</i>"] {
        rest = rest.replace(tag, " ");
    }
    // Entity codes: `#quot;` and `#35;`.
    let mut plain = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '#' {
            let code: String = chars
                .clone()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            let after = chars.clone().nth(code.len());
            if code.is_empty() || after != Some(';') {
                return false;
            }
            for _ in 0..=code.len() {
                chars.next();
            }
            plain.push(' ');
        } else {
            plain.push(c);
        }
    }
    !plain.chars().any(|c| {
        matches!(
            c,
            '"' | '<' | '>' | '[' | ']' | '{' | '}' | '|' | ';' | '%' | '`' | '\\' | '&'
        ) || c.is_control()
    })
}

/// An id we generate: lowercase letters then letters and digits, never a Mermaid keyword.
fn mermaid_id_ok(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && ![
            "end",
            "graph",
            "flowchart",
            "subgraph",
            "class",
            "style",
            "click",
            "direction",
        ]
        .contains(&id)
}

/// `ID["LABEL"]`, `ID[["LABEL"]]`, optionally `:::CLASS`.
fn mermaid_node_ok(s: &str) -> bool {
    let (s, class) = match s.split_once(":::") {
        Some((n, c)) => (n, Some(c)),
        None => (s, None),
    };
    if class.is_some_and(|c| !mermaid_id_ok(c)) {
        return false;
    }
    let Some((id, shape)) = s.split_once('[') else {
        return false;
    };
    let label = shape
        .strip_prefix("[\"")
        .and_then(|l| l.strip_suffix("\"]]"))
        .or_else(|| shape.strip_prefix('"').and_then(|l| l.strip_suffix("\"]")));
    mermaid_id_ok(id) && label.is_some_and(mermaid_label_ok)
}

/// Whether a style list is only `name:value` pairs of plain characters.
fn mermaid_style_ok(style: &str) -> bool {
    style.split(',').all(|pair| {
        pair.split_once(':').is_some_and(|(k, v)| {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || " #.".contains(c))
        })
    })
}

/// Fails unless every line of `chart` is one of the statement forms we write.
fn assert_mermaid_grammar(chart: &str, what: &str) {
    let mut lines = chart.lines();
    assert_eq!(lines.next(), Some("flowchart LR"), "{what}");
    let mut depth = 0;
    for line in lines {
        let s = line.trim_start();
        let words: Vec<&str> = s.splitn(3, ' ').collect();
        let ok = match words[..] {
            ["%%", ..] => true,
            ["end"] => {
                depth -= 1;
                depth >= 0
            }
            ["direction", "TB"] => true,
            ["subgraph", id, label] => {
                depth += 1;
                mermaid_id_ok(id)
                    && label
                        .strip_prefix("[\"")
                        .and_then(|l| l.strip_suffix("\"]"))
                        .is_some_and(mermaid_label_ok)
            }
            ["classDef", name, style] => mermaid_id_ok(name) && mermaid_style_ok(style),
            ["class", ids, name] => mermaid_id_ok(name) && ids.split(',').all(mermaid_id_ok),
            ["linkStyle", edges, style] => {
                edges.split(',').all(|n| n.parse::<usize>().is_ok()) && mermaid_style_ok(style)
            }
            [from, arrow, rest]
                if ["-->", "-.->", "==>", "---"].contains(&arrow)
                    || arrow.starts_with("-->|")
                    || arrow.starts_with("-.->|")
                    || arrow.starts_with("==>|") =>
            {
                // `A ARROW B` or `A ARROW|"LABEL"| B`.
                let s = &s[from.len() + 1..];
                let (arrow, after) = s.split_at(s.find(['|', ' ']).unwrap());
                let to = if let Some(labelled) = after.strip_prefix("|\"") {
                    let Some((label, to)) = labelled.split_once("\"| ") else {
                        panic!("{what}: unclosed edge label in `{line}`");
                    };
                    assert!(mermaid_label_ok(label), "{what}: `{line}`");
                    to
                } else {
                    after.trim_start()
                };
                let _ = rest;
                mermaid_id_ok(from)
                    && ["-->", "-.->", "==>", "---"].contains(&arrow)
                    && mermaid_id_ok(to)
            }
            _ => mermaid_node_ok(s),
        };
        assert!(ok, "{what}: `{line}` is not a statement we write");
    }
    assert_eq!(depth, 0, "{what}: unbalanced subgraphs");
}

#[test]
fn the_tiny_graph_draws_in_mermaid_exactly_as_expected() {
    let kg = load("valid/tiny.ron");
    assert_golden(
        &fixture("valid/tiny.mmd"),
        &graph_mermaid(&kg, DotOptions::default()),
    );
    assert_golden(&fixture("valid/tiny-schema.mmd"), &schema_mermaid(&kg));
}

#[test]
fn mermaid_pictures_keep_to_the_statements_we_write() {
    let kg = KnowledgeGraph::embedded();
    assert_mermaid_grammar(&graph_mermaid(kg, DotOptions::default()), "the whole graph");
    assert_mermaid_grammar(
        &graph_mermaid(
            kg,
            DotOptions {
                max_nodes: Some(30),
                clusters: true,
            },
        ),
        "the whole graph, 30 nodes",
    );
    assert_mermaid_grammar(&schema_mermaid(kg), "the schema");
    for q in [
        "therapies treating fracture",
        "side effects of Zometa",
        "path from lung cancer to paralysis",
        "describe denosumab",
    ] {
        let chart = query_mermaid(kg, q, DotOptions::default())
            .unwrap()
            .unwrap();
        assert_mermaid_grammar(&chart, q);
    }
    // The grammar check itself rejects what would break Mermaid.
    for broken in [
        "flowchart LR\n  n0[\"say \"hi\"\"]\n",
        "flowchart LR\n  n0[\"a]b\"]\n",
        "flowchart LR\n  end[\"x\"]\n",
        "flowchart LR\n  n0 -->|\"a|b\"| n1\n",
    ] {
        let caught = std::panic::catch_unwind(|| assert_mermaid_grammar(broken, "broken"));
        assert!(caught.is_err(), "{broken}");
    }
}

#[test]
fn mermaid_draws_what_dot_draws() {
    let kg = KnowledgeGraph::embedded();
    for q in [
        "side effects of Zometa",
        "path from lung cancer to paralysis",
        "describe denosumab",
    ] {
        let dot = query_dot(kg, q, DotOptions::default()).unwrap().unwrap();
        let chart = query_mermaid(kg, q, DotOptions::default())
            .unwrap()
            .unwrap();
        let arrows = ["-->|", "-.->|", "==>|"];
        let edges = chart
            .lines()
            .filter(|l| arrows.iter().any(|a| l.contains(a)))
            .count();
        assert_eq!(edges, dot.matches(" -> ").count(), "{q}");
        // The same qualifiers on the edges (`;` is written `#59;`).
        for label in edge_labels(&dot) {
            let words = label.replace(';', "#59;");
            let flat = chart.replace("<br>", " ");
            assert!(flat.contains(&words), "{q}: `{words}` missing from {chart}");
        }
    }
    let zometa = query_mermaid(kg, "side effects of Zometa", DotOptions::default())
        .unwrap()
        .unwrap();
    // Hedged edges dotted, conflicts red, the named entity with a double border.
    assert!(
        zometa.contains("-.->|\"has side effect<br>(can#59; in rare instances)"),
        "{zometa}"
    );
    assert!(zometa.contains("stroke:#d7301f"), "{zometa}");
    assert!(
        zometa.contains("[[\"zoledronic acid<br>(therapy)\"]]"),
        "{zometa}"
    );
    assert!(!zometa.contains("folded"), "{zometa}");
}

#[test]
fn hostile_names_are_escaped_in_mermaid() {
    // The fixture, and one more name made to break out of a label.
    let text = std::fs::read_to_string(root().join(fixture("valid/hostile.ron"))).unwrap();
    let text = text.replace(
        "  entities: [\n",
        "  entities: [\n    (id: \"script\", kind: \"plain\", name: \"<script>alert(1)</script> a|b; %% end\\\"] #1\"),\n",
    );
    let text = text.replace(
        "  relations: [\n    (from:",
        "  relations: [\n    (from: \"script\", rel: \"links\\\\to\", to: \"braces\", source: \"src\", section: \"s\\\\1\"),\n    (from:",
    );
    let kg = KnowledgeGraph::from_str(&text).unwrap();
    for (what, chart) in [
        (
            "whole",
            graph_mermaid(
                &kg,
                DotOptions {
                    clusters: true,
                    max_nodes: None,
                },
            ),
        ),
        (
            "folded",
            graph_mermaid(
                &kg,
                DotOptions {
                    clusters: false,
                    max_nodes: Some(2),
                },
            ),
        ),
        ("schema", schema_mermaid(&kg)),
        (
            "answer",
            query_mermaid(&kg, "things linking to plains", DotOptions::default())
                .unwrap()
                .unwrap(),
        ),
    ] {
        assert_mermaid_grammar(&chart, what);
        assert!(!chart.contains("<script"), "{what}: {chart}");
        assert!(!chart.contains("\t"), "{what}: {chart}");
    }
    let whole = graph_mermaid(&kg, DotOptions::default());
    assert!(
        whole.contains(
            "#60;script#62;alert(1)#60;/script#62; a#124;b#59; #37;#37; end#quot;#93; #35;1"
        ),
        "{whole}"
    );
    assert!(whole.contains("line<br>break  tab"), "{whole}");
    assert!(whole.contains("café ☕ 日本語 Ελληνικά"), "{whole}");
}

#[test]
fn mermaid_from_the_command_line() {
    let out = bonegraph(&["dot", "--format", "mermaid", "side effects of Zometa"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("flowchart LR\n"));
    let out = bonegraph(&["dot", "--format", "mermaid", "--schema"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_mermaid_grammar(&stdout(&out), "the schema from the command line");
    // Images are Graphviz's: Mermaid text with --render or an image file is a usage error.
    for args in [
        &["dot", "--format", "mermaid", "--render", "svg"][..],
        &["dot", "--format", "mermaid", "-o", "picture.png"],
        &["dot", "--format", "mermaid", "--render-timeout", "5"],
    ] {
        let out = bonegraph(args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(
            stderr(&out).contains("`--format mermaid` writes Mermaid text"),
            "{}",
            stderr(&out)
        );
    }
    let out = bonegraph(&["dot", "--format", "mermaid", "count therapies"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_shell_draws_mermaid_with_dot_mermaid() {
    let dir = scratch("dot-mermaid-shell");
    let file = dir.join("answer.mmd");
    let input = format!(
        "side effects of Zometa\n:dot mermaid\n:dot mermaid path from lung cancer to paralysis > {}\n",
        file.display()
    );
    let out = piped(&[], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let start = text
        .find("flowchart LR\n")
        .expect("a flowchart of the last answer");
    assert!(
        text[start..].contains("[[\"zoledronic acid<br>(therapy)\"]]"),
        "{text}"
    );
    let written = std::fs::read_to_string(&file).unwrap();
    assert_mermaid_grammar(&written, ":dot mermaid > FILE");
    assert!(written.contains("causes (can)"), "{written}");
}
