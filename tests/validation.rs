//! Graph files with known problems, and the exact report `check` gives for each.
//!
//! Every file in `tests/fixtures/invalid/` must fail to load; its full rendered report (with
//! file:line:column, the quoted line, the caret and the hint) is kept beside it as
//! `<name>.expected`. Refresh after an intended change with `BLESS=1 cargo test`, then read
//! the diff.

use crate::util::{assert_golden, fixture, root};
use bonegraph::load::check_str;
use bonegraph::render::check::CheckReport;
use bonegraph::{Code, Diagnostic, KnowledgeGraph, Severity};
use std::path::Path;

fn report(rel: &Path) -> (CheckReport, String) {
    let text = std::fs::read_to_string(root().join(rel)).expect("fixture readable");
    let checked = check_str(&text);
    let report = CheckReport::new(&rel.display().to_string(), &checked);
    let rendered = report.render_text(Some(&text));
    (report, rendered)
}

#[test]
fn every_invalid_fixture_fails_with_its_expected_report() {
    let dir = root().join("tests/fixtures/invalid");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    names.sort();
    assert!(names.len() >= 20, "fixtures went missing: {names:?}");
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let rel = fixture(&format!("invalid/{name}"));
        let (report, rendered) = report(&rel);
        assert!(!report.valid, "{name} should not load");
        assert!(!report.errors.is_empty(), "{name} should report an error");
        for e in &report.errors {
            assert!(
                e.location.is_some(),
                "{name}: error without a position: {e:?}"
            );
        }
        assert_golden(&rel.with_extension("expected"), &rendered);
    }
}

/// One fixture per error class, and the class it must report first.
#[test]
fn each_error_class_has_a_fixture_that_reports_it() {
    let cases = [
        ("empty", Code::Syntax),
        ("syntax_truncated", Code::Syntax),
        ("syntax_unknown_field", Code::Syntax),
        ("syntax_missing_field", Code::Syntax),
        ("unknown_kind", Code::UnknownKind),
        ("unknown_kind_in_schema", Code::UnknownKind),
        ("unknown_relation_type", Code::UnknownRelationType),
        ("dangling_id", Code::DanglingId),
        ("duplicate_id", Code::DuplicateId),
        ("name_clash", Code::NameClash),
        ("kind_not_allowed", Code::KindNotAllowed),
        ("phrase_clash", Code::PhraseClash),
        ("kind_word_clash", Code::PhraseClash),
        ("unknown_source", Code::UnknownSource),
        ("unknown_section", Code::UnknownSection),
        ("section_without_source", Code::UnknownSection),
        ("unknown_conflict", Code::UnknownConflict),
        ("unknown_attribute", Code::UnknownAttribute),
        ("hierarchy_cycle", Code::Cycle),
        ("relation_parent_cycle", Code::Cycle),
        ("empty_name", Code::Empty),
    ];
    for (name, code) in cases {
        let (report, _) = report(&fixture(&format!("invalid/{name}.ron")));
        assert_eq!(report.errors[0].code, code, "{name}: {:?}", report.errors);
    }
}

#[test]
fn unknown_kind_names_the_place_and_suggests_the_kind() {
    let (_, rendered) = report(&fixture("invalid/unknown_kind.ron"));
    assert_eq!(
        rendered,
        "error[unknown-kind]: entity `apple_tree` has unknown kind `tre`
  --> tests/fixtures/invalid/unknown_kind.ron:32:30
   |
32 |     (id: \"apple_tree\", kind: \"tre\", name: \"apple tree\"),
   |                              ^^^^^
   |
   = help: did you mean `tree`?

failed: 1 error, 0 warnings
"
    );
}

#[test]
fn all_errors_are_reported_at_once_in_file_order() {
    let (report, _) = report(&fixture("invalid/many_errors.ron"));
    let got: Vec<(Code, usize)> = report
        .errors
        .iter()
        .map(|d| (d.code, d.location.unwrap().line))
        .collect();
    assert_eq!(
        got,
        [
            (Code::UnknownKind, 32),
            (Code::NameClash, 33),
            (Code::UnknownRelationType, 37),
            (Code::DanglingId, 38),
        ]
    );
}

#[test]
fn a_valid_file_with_lints_loads_and_keeps_every_warning() {
    let rel = fixture("valid/lints.ron");
    let (report, rendered) = report(&rel);
    assert!(report.valid, "{rendered}");
    let codes: Vec<Code> = report.warnings.iter().map(|d| d.code).collect();
    for code in [
        Code::Unsourced,
        Code::UnmarkedConflict,
        Code::Isolated,
        Code::DuplicateEdge,
        Code::IncompleteConflict,
    ] {
        assert!(codes.contains(&code), "missing {code:?} in {codes:?}");
    }
    assert_eq!(report.unsourced_relations, 1);
    assert_golden(&rel.with_extension("expected"), &rendered);
    let kg = KnowledgeGraph::from_path(root().join(&rel)).expect("lints do not stop a load");
    assert!(
        kg.warnings()
            .iter()
            .all(|d| d.severity == Severity::Warning)
    );
}

#[test]
fn the_tiny_graph_is_clean_and_reports_its_marked_conflict() {
    let (report, _) = report(&fixture("valid/tiny.ron"));
    assert!(report.valid);
    assert!(report.warnings.iter().all(|d| d.code == Code::Conflict));
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(
        report.conflicts[0].claims,
        [
            "`apple` colour = `red` (book, ch1)",
            "`apple` colour = `green` (book, ch2)"
        ]
    );
}

#[test]
fn many_warnings_of_one_kind_are_summarised_in_text_and_listed_in_json() {
    let mut text = String::from(
        "(name: \"many\", schema: (kinds: [(id: \"k\", singular: \"k\", plural: \"ks\")], relations: []), entities: [\n",
    );
    for i in 0..25 {
        text.push_str(&format!("(id: \"e{i}\", kind: \"k\", name: \"e{i}\"),\n"));
    }
    text.push_str("])");
    let checked = check_str(&text);
    let report = CheckReport::new("many.ron", &checked);
    assert_eq!(report.warnings.len(), 25, "JSON keeps every warning");
    let rendered = report.render_text(Some(&text));
    assert_eq!(
        rendered.matches("warning[isolated]").count(),
        bonegraph::render::check::WARNINGS_SHOWN
    );
    assert!(
        rendered.contains("... and 5 more `isolated` warnings (`--format json` lists them all)"),
        "{rendered}"
    );
    assert!(
        rendered.ends_with("ok: 0 errors, 25 warnings\n"),
        "{rendered}"
    );
}

#[test]
fn warnings_can_be_left_unplaced_for_a_quicker_load_and_errors_are_placed_anyway() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/valid/lints.ron")).unwrap();
    let placed = check_str(&text);
    let quick = bonegraph::load::CheckOptions {
        locate_warnings: false,
        ..Default::default()
    };
    let unplaced = bonegraph::load::check_str_with(&text, &quick);
    assert!(!placed.diagnostics.is_empty());
    assert!(placed.diagnostics.iter().all(|d| d.location.is_some()));
    // The same warnings, in the same words, only without their places (nor the lines of
    // the other copy of a duplicate, which would need the same second parse).
    let words = |c: &bonegraph::load::Checked| -> Vec<(Code, String)> {
        let mut w: Vec<_> = c
            .diagnostics
            .iter()
            .map(|d| (d.code, without_line_numbers(&d.message)))
            .collect();
        w.sort();
        w
    };
    assert_eq!(words(&placed), words(&unplaced));
    assert!(
        placed
            .diagnostics
            .iter()
            .any(|d| d.message.contains("(also on line "))
    );
    assert!(unplaced.diagnostics.iter().all(|d| d.location.is_none()));
    assert!(
        !unplaced
            .diagnostics
            .iter()
            .any(|d| d.message.contains(" line "))
    );
    // An error is still placed: it is what the user must fix.
    let broken = text.replacen("kind: \"", "kind: \"no_such_kind_", 1);
    let failed = bonegraph::load::check_str_with(&broken, &quick);
    let error = failed
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
        .expect("an unknown kind is an error");
    assert!(error.location.is_some(), "{error:?}");
}

#[test]
fn problems_deep_in_long_lists_are_placed_on_their_own_lines() {
    // Lists longer than 4,096 items keep only where each item stands (`spans::SHALLOW_ITEMS`);
    // an item is read again to place a problem in it.
    let n = 10_000;
    let mut text = String::from(
        "(name: \"t\", schema: (kinds: [(id: \"k\", singular: \"k\", plural: \"ks\")], \
         relations: [(id: \"r\", from: [\"k\"], to: [\"k\"], forward: [\"r\"], inverse: [\"r by\"])]),\n\
         entities: [\n",
    );
    for i in 0..n {
        text.push_str(&format!("(id: \"e{i}\", kind: \"k\", name: \"n{i}\"),\n"));
    }
    text.push_str("],\nrelations: [\n");
    for i in 0..n {
        let to = if i == n - 7 {
            "nobody".to_owned()
        } else {
            format!("e{}", (i + 1) % n)
        };
        text.push_str(&format!("(from: \"e{i}\", rel: \"r\", to: \"{to}\"),\n"));
    }
    text.push_str("])\n");
    let checked = check_str(&text);
    let dangling: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::DanglingId)
        .collect();
    assert_eq!(dangling.len(), 1);
    let at = dangling[0].location.expect("placed");
    let line = text.lines().nth(at.line - 1).unwrap();
    assert_eq!(
        line,
        format!("(from: \"e{}\", rel: \"r\", to: \"nobody\"),", n - 7)
    );
    assert_eq!(&line[at.column - 1..at.column - 1 + at.width], "\"nobody\"");
}

#[test]
fn text_given_up_is_read_again_to_place_an_error_and_never_misplaces_one() {
    use bonegraph::load::{CheckOptions, check_string_with};
    let text = std::fs::read_to_string(root().join("tests/fixtures/valid/lints.ron")).unwrap();
    let broken = text.replacen("kind: \"", "kind: \"no_such_kind_", 1);
    let quick = CheckOptions {
        locate_warnings: false,
        ..Default::default()
    };
    let kept = bonegraph::load::check_str_with(&broken, &quick);
    let errors = |c: &bonegraph::load::Checked| -> Vec<Diagnostic> {
        c.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect()
    };
    assert!(!errors(&kept).is_empty());
    // Read again as it was: the same errors in the same places.
    let again = || Some(broken.clone());
    let given_up = check_string_with(broken.clone(), &again, &quick);
    assert_eq!(errors(&given_up), errors(&kept));
    assert!(errors(&given_up).iter().all(|d| d.location.is_some()));
    // The file changed meanwhile, or cannot be read: the same errors, placed nowhere rather
    // than in the wrong place.
    let changed = || Some(format!("// edited\n{broken}"));
    let unreadable = || None;
    for reread in [&changed as &dyn Fn() -> Option<String>, &unreadable] {
        let unplaced = check_string_with(broken.clone(), reread, &quick);
        let messages = |c: &bonegraph::load::Checked| -> Vec<String> {
            errors(c).into_iter().map(|d| d.message).collect()
        };
        assert_eq!(messages(&unplaced), messages(&kept));
        assert!(errors(&unplaced).iter().all(|d| d.location.is_none()));
    }
    // A valid file gives its graph without ever reading the text again.
    let never = || -> Option<String> { panic!("a valid file's text was read again") };
    let checked = check_string_with(text, &never, &quick);
    assert!(checked.graph.is_some());
    // A syntax error is placed in the text as given.
    let syntax = check_string_with("(name: ".to_owned(), &never, &quick);
    assert!(syntax.diagnostics[0].location.is_some());
}

#[test]
fn a_file_read_with_its_relations_compacted_gives_the_graph_and_problems_of_the_file_read_whole() {
    // `check_str` reads relations one by one into a compact form; `check_model` is given them
    // as `EdgeDef`s. Both must build the same graph and report the same problems.
    let mut texts = vec![bonegraph::EMBEDDED_GRAPH.to_owned()];
    for dir in ["tests/fixtures/valid", "tests/fixtures/invalid"] {
        let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        paths.sort();
        texts.extend(paths.iter().map(|p| std::fs::read_to_string(p).unwrap()));
    }
    let mut compared = 0;
    for text in &texts {
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let Ok(whole) = options.from_str::<bonegraph::model::GraphFile>(text) else {
            continue; // a syntax error: nothing to compare
        };
        let streamed = check_str(text);
        let modelled = bonegraph::load::check_model(&whole);
        let problems = |c: &bonegraph::load::Checked| -> Vec<(Severity, Code, String)> {
            let mut p: Vec<_> = c
                .diagnostics
                .iter()
                // Only a file's text can say on which line the other copy is.
                .map(|d| (d.severity, d.code, without_line_numbers(&d.message)))
                .collect();
            p.sort();
            p
        };
        assert_eq!(problems(&streamed), problems(&modelled));
        assert_eq!(
            streamed
                .graph
                .as_ref()
                .map(bonegraph::interchange::json::graph_json),
            modelled
                .graph
                .as_ref()
                .map(bonegraph::interchange::json::graph_json)
        );
        compared += 1;
    }
    assert!(compared > 10, "only {compared} files compared");
}

/// `message` without its parenthesised line references (`(first defined on line 27)`).
fn without_line_numbers(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(start) = rest.find(" (") {
        let Some(len) = rest[start..].find(')') else {
            break;
        };
        let aside = &rest[start..start + len + 1];
        out.push_str(&rest[..start]);
        if !aside.contains(" line ") {
            out.push_str(aside);
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    out
}
