//! The `bonegraph` binary as a user runs it: arguments, exit codes, output.

use crate::util::{bonegraph, root, scratch, stderr, stdout};

#[test]
fn check_on_the_embedded_graph_summarises_it_and_exits_0() {
    let out = bonegraph(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("<embedded graph.ron>: bonegraph: lung cancer metastatic to bone\n"),
        "{text}"
    );
    assert!(text.contains("entities by kind:"));
    assert!(text.contains("relations by type:"));
    assert!(text.contains("  denosumab_class (contradiction): "));
    assert!(text.contains("  cauda_equina_cord (slip): "));
    assert!(text.contains("claims by audit verdict (edges and attribute values):"));
    assert!(
        text.ends_with("ok: 0 errors, 0 warnings, 10 marked conflicts\n"),
        "{text}"
    );
}

#[test]
fn check_json_has_the_documented_fields() {
    let out = bonegraph(&["check", "graph.ron", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    for field in [
        "entities",
        "relations",
        "by_kind",
        "by_relation",
        "unsourced_relations",
        "conflicts",
        "warnings",
        "errors",
    ] {
        assert!(v.get(field).is_some(), "missing `{field}` in {v}");
    }
    assert!(v["entities"].as_u64().unwrap() > 100);
    assert_eq!(v["unsourced_relations"], 0);
    assert_eq!(v["errors"].as_array().unwrap().len(), 0);
    assert_eq!(v["by_kind"]["therapy"].as_u64().unwrap() as usize, {
        let kg = bonegraph::KnowledgeGraph::embedded();
        kg.nodes_of_kind(kg.schema().kind_by_id("therapy").unwrap())
            .len()
    });
    let ids: Vec<&str> = v["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"denosumab_route"), "{ids:?}");
}

#[test]
fn check_json_reports_errors_with_line_and_column_and_exits_3() {
    let out = bonegraph(&[
        "check",
        "tests/fixtures/invalid/dangling_id.ron",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let err = &v["errors"][0];
    assert_eq!(err["code"], "dangling-id");
    assert_eq!(err["line"], 38);
    assert_eq!(err["column"], 45);
    assert_eq!(err["hint"], "did you mean `apple`?");
    assert_eq!(v["valid"], false);
}

#[test]
fn check_of_a_missing_file_says_so_and_exits_3() {
    let out = bonegraph(&["check", "no/such/graph.ron"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout(&out).starts_with("error[io]: cannot read `no/such/graph.ron`: no such file\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn check_of_a_directory_says_so_and_exits_3() {
    let out = bonegraph(&["check", "tests"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stdout(&out).contains("it is a directory"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn the_graph_flag_selects_the_file_to_check() {
    let out = bonegraph(&["--graph", "tests/fixtures/valid/tiny.ron", "check"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("tests/fixtures/valid/tiny.ron: orchard\n"));
}

#[test]
fn no_command_with_empty_piped_input_prints_nothing_and_exits_0() {
    // Without a terminal, `bonegraph` reads one query a line: here there are none.
    let out = bonegraph(&[]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn no_command_with_a_bad_graph_reports_it_on_stderr_and_exits_3() {
    let out = bonegraph(&["--graph", "tests/fixtures/invalid/unknown_kind.ron"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out)
            .starts_with("error[unknown-kind]: entity `apple_tree` has unknown kind `tre`\n")
    );
    assert!(stdout(&out).is_empty());
}

#[test]
fn usage_errors_exit_64_and_help_exits_0() {
    let out = bonegraph(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("unrecognized subcommand"),
        "{}",
        stderr(&out)
    );
    let out = bonegraph(&["check", "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(64));
    let out = bonegraph(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("Exit codes: 0 ok (an empty answer is ok), 2 bad query, 3 bad graph file or I/O error, 64 usage error.")
    );
}

#[test]
fn a_file_with_invalid_utf8_is_refused_with_its_position() {
    let dir = scratch("utf8");
    let path = dir.join("bad.ron");
    std::fs::write(&path, b"(name: \"x\",\n  schema: \xff)").unwrap();
    let out = bonegraph(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let text = stdout(&out);
    assert!(
        text.starts_with("error[invalid-utf8]: the file is not UTF-8 text (invalid byte 0xff)\n"),
        "{text}"
    );
    assert!(text.contains("bad.ron:2:11"), "{text}");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error_but_a_full_disk_is() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    for args in [
        &["export", "rdf", "--format", "turtle"][..],
        &["translate", "sparql", "describe denosumab"],
        &["query", "things"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe is closed now, as `| head -c 16` would.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(stderr(&out), "", "{args:?}");
    }
    if std::path::Path::new("/dev/full").exists() {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
            .args(["export", "rdf", "--format", "ntriples"])
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(
            stderr(&out),
            "error: cannot write to standard output: no space left on device\n"
        );
    }
}

#[test]
fn a_plain_question_is_read_first_and_canonical_refuses_to_read_it() {
    // Plain output: the names on standard output, how the question was read on standard error.
    let out = bonegraph(&["query", "--format", "plain", "what treats bone pain?"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).lines().any(|l| l == "radiation therapy"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).starts_with("read as: therapies treating bone pain\n"),
        "{}",
        stderr(&out)
    );
    // JSON: the reading is a field.
    let out = bonegraph(&["query", "--format", "json", "what treats bone pain?"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["read_as"], "therapies treating bone pain");
    assert_eq!(v["question"], "what treats bone pain?");
    // A yes/no question the source is silent on is "not stated", never "no".
    let out = bonegraph(&[
        "query",
        "--format",
        "table",
        "does zometa cause kidney damage?",
    ]);
    assert!(
        stdout(&out).contains("not stated: the source does not say so"),
        "{}",
        stdout(&out)
    );
    // --canonical: the same text is a query error (exit 2), not read.
    let out = bonegraph(&[
        "query",
        "--canonical",
        "--format",
        "plain",
        "what treats bone pain?",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("error: unknown entity"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn query_words_need_no_quotes_and_flags_may_follow_them() {
    let quoted = bonegraph(&["query", "--format", "plain", "therapies treating fracture"]);
    let bare = bonegraph(&[
        "query",
        "therapies",
        "treating",
        "fracture",
        "--format",
        "plain",
    ]);
    assert_eq!(bare.status.code(), Some(0), "{}", stderr(&bare));
    assert_eq!(stdout(&bare), stdout(&quoted));
    assert!(
        stdout(&bare).lines().any(|l| l == "surgery"),
        "{}",
        stdout(&bare)
    );
    // No words at all is a usage error.
    assert_eq!(bonegraph(&["query"]).status.code(), Some(64));
}

/// The record formats (csv, markdown, line) of every answer shape, as golden files.
#[test]
fn csv_markdown_and_line_formats_match_their_golden_files() {
    use crate::util::assert_golden;
    let queries = [
        "side effects of Zometa",
        "dosing interval of denosumab",
        "count therapies treating fracture",
        "path from lung cancer to paralysis",
        "tests detecting paralysis",
    ];
    for format in ["csv", "markdown", "line"] {
        let mut all = String::new();
        for q in queries {
            let out = bonegraph(&["query", "--format", format, q]);
            assert_eq!(out.status.code(), Some(0), "{q}: {}", stderr(&out));
            all.push_str(&format!("> {q}\n{}\n", stdout(&out)));
        }
        assert_golden(
            std::path::Path::new(&format!("tests/transcripts/modes/{format}.txt")),
            &all,
        );
    }
}

/// Hostile names stay one cell: CSV quotes them, Markdown escapes `|` and line breaks.
#[test]
fn record_formats_keep_hostile_names_in_their_cells() {
    let kg = bonegraph::KnowledgeGraph::from_path(root().join("tests/fixtures/valid/hostile.ron"))
        .unwrap();
    let answer = kg.query("things linking to things").unwrap();
    let csv = bonegraph::render::csv(&kg, &answer);
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_owned())
        .collect();
    assert!(
        names.contains(&"line\nbreak\r\ttab".to_owned()),
        "{names:?}"
    );
    assert!(names.contains(&"say \"hi\"".to_owned()), "{names:?}");
    let md = bonegraph::render::markdown(&kg, &answer);
    for line in md.lines().skip(2) {
        // Every row has exactly the header's three cells: no `|` or line break leaks.
        assert_eq!(line.matches(" | ").count(), 2, "{line}");
    }
}

#[test]
fn completion_scripts_and_the_man_page_come_from_the_command_line_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let out = bonegraph(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["bonegraph", "query", "translate", "canonical"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
    }
    assert_eq!(bonegraph(&["completions", "tcsh"]).status.code(), Some(64));
    let man = stdout(&bonegraph(&["man"]));
    assert!(man.contains(".TH bonegraph 1"), "{man}");
    assert!(man.contains("completions"), "{man}");
}

#[test]
fn dash_f_runs_a_file_of_statements_like_piped_input() {
    let file = scratch("dash-f").join("q.bg");
    std::fs::write(
        &file,
        ":format plain\nside effects of Zometa ; count therapies\n",
    )
    .unwrap();
    let out = bonegraph(&["-f", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "kidney damage\nosteonecrosis of the jaw\n20\n"
    );
    let missing = bonegraph(&["-f", "/no/such/file.bg"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(
        stderr(&missing).contains("cannot read `/no/such/file.bg`"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(
        bonegraph(&["-f", file.to_str().unwrap(), "query", "x"])
            .status
            .code(),
        Some(64)
    );
}

#[test]
fn colour_follows_the_color_flag_and_the_environment() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_bonegraph"));
        c.args(args)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR");
        for (k, v) in env {
            c.env(k, v);
        }
        String::from_utf8(c.output().unwrap().stderr).unwrap()
    };
    let coloured = |s: &str| s.contains('\u{1b}');
    // Standard error is a pipe here: no colour unless asked for.
    assert!(!coloured(&run(&["query", "xyzzy"], &[])));
    assert!(coloured(&run(
        &["query", "xyzzy", "--color", "always"],
        &[]
    )));
    assert!(coloured(&run(
        &["query", "xyzzy"],
        &[("CLICOLOR_FORCE", "1")]
    )));
    assert!(!coloured(&run(
        &["query", "xyzzy"],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]
    )));
    assert!(!coloured(&run(
        &["query", "xyzzy", "--color", "never"],
        &[("CLICOLOR_FORCE", "1")]
    )));
}

#[test]
fn a_question_in_place_of_a_command_is_answered_and_a_misspelt_command_is_not() {
    let out = bonegraph(&["what treats bone pain?", "--format", "plain"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).lines().any(|l| l == "radiation therapy"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).starts_with("read as: therapies treating bone pain"));
    let out = bonegraph(&["chek"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("unrecognized subcommand 'chek'"),
        "{}",
        stderr(&out)
    );
}
