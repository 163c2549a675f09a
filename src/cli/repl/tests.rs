//! The shell in-process: the editor helper's completion, hints, highlighting and
//! validation; sessions run from the transcript (tests/transcripts/repl.txt); sessions whose
//! streams fail; and what the shell says on a graph of another domain. What needs the binary
//! or a terminal is in tests/repl.rs.

use super::helper::{ReplHelper, Style};
use super::input::run_lines;
use super::{Flow, Session};
use bonegraph::KnowledgeGraph;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The crate root, so tests can name files relative to it.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `> line` blocks of a transcript: each line with the output under it.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(q) = line.strip_prefix("> ") {
            out.push((q.to_owned(), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

fn helper() -> ReplHelper {
    ReplHelper::new(Arc::new(KnowledgeGraph::embedded().clone()), false)
}

fn completions(line: &str) -> Vec<String> {
    let (_, pairs) = helper().candidates(line, line.len());
    pairs.into_iter().map(|p| p.replacement).collect()
}

// ---------------------------------------------------------------- completion

#[test]
fn after_a_phrase_only_entities_the_relation_accepts_are_offered() {
    let got = completions("therapies treating frac");
    assert!(got.contains(&"fracture".to_owned()), "{got:?}");
    let all = completions("therapies treating ");
    assert!(all.contains(&"pathological fracture".to_owned()));
    assert!(all.contains(&"bone pain".to_owned()));
    // `treating` accepts conditions, complications, symptoms, processes (and bones through
    // `stabilizes`), never tests or side effects.
    for excluded in ["PET scan", "bone scan", "kidney damage", "Hendriks 2016"] {
        assert!(
            !all.contains(&excluded.to_owned()),
            "{excluded} offered: {all:?}"
        );
    }
}

#[test]
fn while_typing_a_plain_question_the_last_words_complete_as_any_term() {
    let h = helper();
    // The grammar expects nothing after `which drugs treat`: the word completes as a name.
    let line = "which drugs treat fract";
    let (start, pairs) = h.candidates(line, line.len());
    assert_eq!(&line[start..], "fract");
    let names: Vec<&str> = pairs.iter().map(|p| p.replacement.as_str()).collect();
    assert!(names.contains(&"fracture"), "{names:?}");
    // A question's words grow into the longest name they start (`bone p` -> `bone pain`),
    // not into the phrases the grammar would expect after the kind word `bone`.
    let line = "what treats bone p";
    let (start, pairs) = h.candidates(line, line.len());
    assert_eq!(&line[start..], "bone p");
    let names: Vec<&str> = pairs.iter().map(|p| p.replacement.as_str()).collect();
    assert!(names.contains(&"bone pain"), "{names:?}");
    assert_eq!(h.hint_for(line, line.len()).as_deref(), Some("ain"));
}

#[test]
fn completion_replaces_only_the_partial_name() {
    let line = "therapies treating pathological fr";
    let (start, pairs) = helper().candidates(line, line.len());
    assert_eq!(&line[start..], "pathological fr");
    assert_eq!(
        pairs
            .iter()
            .map(|p| p.replacement.as_str())
            .collect::<Vec<_>>(),
        ["pathological fracture"]
    );
    assert_eq!(pairs[0].display, "pathological fracture (complication)");
}

#[test]
fn after_a_kind_word_only_its_phrases_are_offered() {
    let got = completions("tests ");
    assert!(got.contains(&"detecting".to_owned()), "{got:?}");
    assert!(
        !got.contains(&"treating".to_owned()),
        "`treating` needs a therapy: {got:?}"
    );
    let got = completions("side effects ");
    assert!(got.contains(&"of".to_owned()), "{got:?}");
}

#[test]
fn at_the_start_kinds_names_and_commands_are_offered() {
    let got = completions("");
    for want in ["therapies", "describe", "path from", "denosumab", "Zometa"] {
        assert!(got.contains(&want.to_owned()), "{want} missing");
    }
    assert_eq!(completions("desc"), ["describe"]);
    assert!(completions("describe zol").contains(&"zoledronic acid".to_owned()));
}

#[test]
fn meta_commands_and_their_arguments_complete() {
    assert_eq!(completions(":sch"), ["schema"]);
    assert_eq!(completions(":format j"), ["json"]);
    assert!(completions(":schema pre").contains(&"prevents".to_owned()));
    assert_eq!(completions(":").len(), super::command::COMMANDS.len());
}

// ---------------------------------------------------------------- hints

#[test]
fn an_unambiguous_prefix_gets_a_grey_continuation() {
    let h = helper();
    // `pathological fracture` and its alias `pathologic fracture` share `pathologic`.
    let line = "therapies treating patholog";
    assert_eq!(h.hint_for(line, line.len()).as_deref(), Some("ic"));
    let line = "side effects of zol";
    assert_eq!(
        h.hint_for(line, line.len()).as_deref(),
        Some("edronic acid")
    );
    // Nothing when the cursor is not at the end, or nothing is typed.
    assert_eq!(h.hint_for(line, 3), None);
    assert_eq!(h.hint_for("", 0), None);
}

// ---------------------------------------------------------------- highlighting

#[test]
fn highlighting_tells_kinds_phrases_names_operators_and_unknown_words_apart() {
    let line = "therapies treating fracture and xyzzy or \"zoledronic acid\"";
    let styles: Vec<(&str, Style)> = helper()
        .styles(line)
        .into_iter()
        .map(|(s, e, st)| (&line[s..e], st))
        .collect();
    assert_eq!(
        styles,
        [
            ("therapies", Style::Kind),
            ("treating", Style::Phrase),
            ("fracture", Style::Entity),
            ("and", Style::Keyword),
            ("xyzzy", Style::Unknown),
            ("or", Style::Keyword),
            ("\"zoledronic acid\"", Style::Entity),
        ]
    );
    assert_eq!(helper().styles(":help queries"), [(0, 5, Style::Command)]);
    // A name being typed is not red while a name starts with it; a word nothing starts with is.
    let typing = helper().styles("side effects of zoledr");
    assert_eq!(
        typing.last().map(|s| s.2),
        Some(Style::Typing),
        "{typing:?}"
    );
    let wrong = helper().styles("side effects of xyzq");
    assert_eq!(wrong.last().map(|s| s.2), Some(Style::Unknown), "{wrong:?}");
}

#[test]
fn without_colour_the_line_is_left_alone() {
    use rustyline::highlight::Highlighter;
    let line = "therapies treating fracture";
    assert_eq!(helper().highlight(line, 0), line);
    let coloured = ReplHelper::new(Arc::new(KnowledgeGraph::embedded().clone()), true);
    assert!(coloured.highlight(line, 0).contains("\x1b["));
}

// ---------------------------------------------------------------- validation

#[test]
fn an_open_parenthesis_or_quote_keeps_the_line_open() {
    assert!(!ReplHelper::is_complete("therapies treating (fracture or"));
    assert!(!ReplHelper::is_complete("describe \"zoledronic"));
    assert!(ReplHelper::is_complete(
        "therapies treating (fracture or\npain)"
    ));
    assert!(ReplHelper::is_complete("describe \"a \\\" quote\""));
    assert!(
        ReplHelper::is_complete("pain)"),
        "too many `)` is the parser's to report"
    );
    assert!(ReplHelper::is_complete(":help ("));
}

/// A writer shared by a session's output and error streams, so the transcript keeps their order.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs each line of the session transcript in one session; returns (line, output) pairs.
fn run_session(lines: &[String]) -> Vec<(String, String)> {
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let buf = Shared::default();
    let mut session = Session::new(kg, "<embedded graph.ron>", buf.clone(), buf.clone());
    let mut out = Vec::new();
    for line in lines {
        let before = buf.0.lock().unwrap().len();
        session.handle(line).unwrap();
        let text = String::from_utf8(buf.0.lock().unwrap()[before..].to_vec()).unwrap();
        out.push((line.clone(), text));
    }
    out
}

#[test]
fn the_session_transcript_matches_in_process() {
    let rel = "tests/transcripts/repl.txt";
    let path = root().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let cases = blocks(&text);
    let lines: Vec<String> = cases.iter().map(|(l, _)| l.clone()).collect();
    let got = run_session(&lines);
    if std::env::var_os("BLESS").is_some() {
        let header: String = text
            .lines()
            .take_while(|l| !l.starts_with("> "))
            .map(|l| format!("{l}\n"))
            .collect();
        let body: String = got.iter().map(|(l, o)| format!("> {l}\n{o}")).collect();
        std::fs::write(&path, header + &body).unwrap();
        return;
    }
    assert!(cases.len() >= 15);
    for ((line, expected), (_, output)) in cases.iter().zip(&got) {
        assert!(
            output == expected,
            "{rel}: `{line}`\n--- expected\n{expected}--- got\n{output}"
        );
    }
}

#[test]
fn load_replaces_the_graph_and_a_bad_file_keeps_the_old_one() {
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let buf = Shared::default();
    let mut session = Session::new(kg, "<embedded graph.ron>", buf.clone(), buf.clone());
    let bad = root().join("tests/fixtures/invalid/unknown_kind.ron");
    let (_, ok) = session.handle(&format!(":load {}", bad.display())).unwrap();
    assert!(!ok);
    assert_eq!(
        session.graph().name(),
        "bonegraph: lung cancer metastatic to bone"
    );
    let good = root().join("tests/fixtures/valid/tiny.ron");
    let (_, ok) = session
        .handle(&format!(":load {}", good.display()))
        .unwrap();
    assert!(ok);
    assert_eq!(session.graph().name(), "orchard");
    assert_eq!(session.generation(), 1);
    let (_, ok) = session.handle("pests eating apples").unwrap();
    assert!(ok);
    let text = String::from_utf8(buf.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("the graph in use is unchanged"), "{text}");
    assert!(text.contains("codling moth"), "{text}");
}

/// The words only the embedded graph uses (shared with the integration tests).
#[path = "../../../tests/domain_words.rs"]
mod domain_words;

/// Everything a session says about itself (banner, every help topic) and a few errors.
fn self_description(kg: Arc<KnowledgeGraph>) -> String {
    let buf = Shared::default();
    let mut session = Session::new(kg, "other.ron", buf.clone(), buf.clone());
    let mut text = session.banner();
    for line in [
        ":help",
        ":help queries",
        ":help names",
        ":help answers",
        ":help commands",
        ":help nope",
        ":shema",
        "xyzzy",
        "(",
    ] {
        session.handle(line).unwrap();
    }
    text.push_str(&String::from_utf8(buf.0.lock().unwrap().clone()).unwrap());
    text
}

#[test]
fn on_a_graph_of_another_domain_the_banner_and_help_name_nothing_of_the_embedded_graph() {
    let ron = std::fs::read_to_string(root().join("tests/fixtures/valid/tiny.ron")).unwrap();
    let other = self_description(Arc::new(KnowledgeGraph::from_str(&ron).unwrap()));
    assert!(
        other.starts_with("orchard (4 entities, 3 relations; bonegraph "),
        "{other}"
    );
    assert!(other.contains("`fruits growing on apple tree`"), "{other}");
    let found = domain_words::embedded_words_in(&other, &ron);
    assert!(found.is_empty(), "{found:?}\n{other}");
    // The check bites: on the embedded graph, the same lines use its words.
    let own = self_description(Arc::new(KnowledgeGraph::embedded().clone()));
    assert!(
        !domain_words::embedded_words_in(&own, &ron).is_empty(),
        "{own}"
    );
}

#[test]
fn the_banner_shows_the_graphs_own_description() {
    let kg = KnowledgeGraph::embedded();
    let banner = self_description(Arc::new(kg.clone()));
    assert!(banner.contains("not medical advice"), "{banner}");
    // Wrapped, every line fits a terminal.
    assert!(
        banner.lines().take(4).all(|l| l.chars().count() <= 90),
        "{banner}"
    );
}

#[test]
fn run_lines_counts_failures() {
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let mut session = Session::new(kg, "x", Vec::new(), Vec::new());
    let ended = run_lines(&mut session, &b"pain\n:nonsense\n:explain 9\n"[..]);
    assert!(ended.broken.is_none());
    assert_eq!(ended.failures, 2);
    assert_eq!(ended.exit_code(), 2);
    assert_eq!(session.failures(), 2);
}

// ---------------------------------------------------------------- writers that fail

/// A writer that takes `budget` bytes, then fails every write with `kind`.
struct FailAfter {
    budget: usize,
    kind: std::io::ErrorKind,
    taken: Vec<u8>,
}

impl FailAfter {
    fn new(budget: usize, kind: std::io::ErrorKind) -> Self {
        FailAfter {
            budget,
            kind,
            taken: Vec::new(),
        }
    }
}

impl Write for FailAfter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.budget == 0 && !buf.is_empty() {
            return Err(std::io::Error::new(self.kind, "the test's writer gave up"));
        }
        let n = buf.len().min(self.budget);
        self.budget -= n;
        self.taken.extend_from_slice(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every kind of line: answers, errors, meta-commands, JSON (whose errors go to the output),
/// a line too long to read.
const SCRIPT: &[&str] = &[
    "side effects of Zometa",
    "xyzzy",
    ":format json",
    "therapies treating fracture",
    "fractur",
    ":format plain",
    ":explain 1",
    "describe denosumab",
    ":nonsense",
    "path from lung cancer to paralysis",
    "therapies treating paralysis",
];

/// A session over `input` whose streams fail after the given budgets; what it ended with,
/// what each stream took, and how far it read.
fn run_failing(
    input: &[u8],
    out: FailAfter,
    err: FailAfter,
) -> (super::Ended, Vec<u8>, Vec<u8>, u64) {
    static KG: std::sync::OnceLock<Arc<KnowledgeGraph>> = std::sync::OnceLock::new();
    let kg = KG.get_or_init(|| Arc::new(KnowledgeGraph::embedded().clone()));
    let mut session = Session::new(kg.clone(), "x", out, err);
    let mut reader = std::io::Cursor::new(input);
    let ended = run_lines(&mut session, &mut reader);
    let (out, err) = session.into_streams();
    (ended, out.taken, err.taken, reader.position())
}

/// A session whose output or errors fail after N bytes, for many N and both a closed pipe and
/// any other failure: it never panics, stops reading at the line whose write failed, wrote
/// exactly what an unbroken session writes up to there, and exits as documented (a closed
/// pipe: 0, or 2 if a line failed; anything else: 3).
#[test]
fn a_session_whose_streams_fail_after_any_number_of_bytes_stops_cleanly() {
    use std::io::ErrorKind::{BrokenPipe, Other};
    let mut input = Vec::new();
    let mut ends = Vec::new();
    for line in SCRIPT {
        input.extend_from_slice(line.as_bytes());
        input.push(b'\n');
        ends.push(input.len() as u64);
    }
    input.extend(std::iter::repeat_n(b'(', super::input::MAX_LINE_BYTES + 1));
    input.push(b'\n');
    ends.push(input.len() as u64);
    // Unbroken, a prefix of the script at a time: what each stream holds after each line,
    // and how many lines failed.
    let unlimited = || FailAfter::new(usize::MAX, Other);
    let (whole, whole_out, whole_err, _) = run_failing(&input, unlimited(), unlimited());
    assert!(whole.broken.is_none());
    let prefixes: Vec<(usize, usize, usize)> = ends
        .iter()
        .map(|&end| {
            let (ended, out, err, _) =
                run_failing(&input[..end as usize], unlimited(), unlimited());
            (out.len(), err.len(), ended.failures)
        })
        .collect();
    for (stream, total) in [("output", whole_out.len()), ("errors", whole_err.len())] {
        // Every budget up to 64 bytes, every line boundary and its neighbours, and a spread.
        let mut budgets: Vec<usize> = (0..64).collect();
        for p in &prefixes {
            let at = if stream == "output" { p.0 } else { p.1 };
            budgets.extend([at.saturating_sub(1), at, at + 1]);
        }
        budgets.extend((0..total).step_by(total / 97 + 1));
        budgets.sort();
        budgets.dedup();
        for kind in [BrokenPipe, Other] {
            for &budget in &budgets {
                let (out, err) = if stream == "output" {
                    (FailAfter::new(budget, kind), unlimited())
                } else {
                    (unlimited(), FailAfter::new(budget, kind))
                };
                let (ended, out, err, read) = run_failing(&input, out, err);
                let case = format!("{stream} failing with {kind:?} after {budget} bytes");
                let taken = if stream == "output" { &out } else { &err };
                let whole = if stream == "output" {
                    &whole_out
                } else {
                    &whole_err
                };
                assert_eq!(taken[..], whole[..taken.len()], "{case}: what was written");
                // The first line whose writing went past the budget.
                let failing = prefixes
                    .iter()
                    .position(|p| (if stream == "output" { p.0 } else { p.1 }) > budget);
                match failing {
                    None => {
                        assert!(ended.broken.is_none(), "{case}");
                        assert_eq!(read, input.len() as u64, "{case}");
                    }
                    Some(line) => {
                        let broken = ended.broken.as_ref().expect(&case);
                        assert_eq!(broken.is_closed_pipe(), kind == BrokenPipe, "{case}");
                        assert_eq!(read, ends[line], "{case}: stopped reading at its line");
                        assert_eq!(ended.failures, prefixes[line].2, "{case}");
                        let code = match (kind, ended.failures) {
                            (BrokenPipe, 0) => 0,
                            (BrokenPipe, _) => 2,
                            _ => 3,
                        };
                        assert_eq!(ended.exit_code(), code, "{case}");
                    }
                }
            }
        }
    }
}

#[test]
fn a_piped_line_is_read_at_the_line_limit_and_skipped_beyond_it() {
    use super::input::MAX_LINE_BYTES;
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    for (len, expected) in [
        (
            MAX_LINE_BYTES,
            format!("error: the query is {MAX_LINE_BYTES} bytes long; the limit is 4096"),
        ),
        (
            MAX_LINE_BYTES + 1,
            format!("error: line 1 is longer than {MAX_LINE_BYTES} bytes; skipped"),
        ),
    ] {
        let mut input = vec![b'x'; len];
        input.extend(b"\npain\n");
        let mut session = Session::new(kg.clone(), "x", Vec::new(), Vec::new());
        let ended = run_lines(&mut session, &input[..]);
        assert_eq!(ended.failures, 1, "{len}");
        assert_eq!(ended.exit_code(), 2);
        let (out, err) = session.into_streams();
        let err = String::from_utf8(err).unwrap();
        assert!(err.starts_with(&expected), "{len}: {err}");
        assert!(
            String::from_utf8(out).unwrap().starts_with("bone pain"),
            "the next line is answered"
        );
    }
}

#[test]
fn semicolons_separate_statements_and_piped_confirmations_go_to_the_errors() {
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let (out, err) = (Shared::default(), Shared::default());
    let mut session = Session::new(kg, "<embedded graph.ron>", out.clone(), err.clone());
    let (flow, ok) = session
        .handle(":format plain; side effects of Zometa ; count therapies treating fracture")
        .unwrap();
    assert!(ok && flow == Flow::Continue);
    let text = |b: &Shared| String::from_utf8(b.0.lock().unwrap().clone()).unwrap();
    // Only answers on the output: a script reading it gets no confirmation mixed in.
    assert_eq!(
        text(&out),
        "kidney damage\nosteonecrosis of the jaw\n6\n",
        "{}",
        text(&err)
    );
    assert!(
        text(&err).starts_with("answers will be printed as plain\n"),
        "{}",
        text(&err)
    );
    // A `;` inside quotes is part of a name, and `quit` after `;` leaves.
    let (flow, _) = session.handle("count \"a;b\" ; quit").unwrap();
    assert!(flow == Flow::Quit);
}

#[test]
fn read_runs_a_file_of_statements_and_a_file_that_reads_itself_stops() {
    let dir = std::env::temp_dir().join(format!("bonegraph-read-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("self.bg");
    std::fs::write(
        &file,
        format!(":format plain\ncount therapies\n:read {}\n", file.display()),
    )
    .unwrap();
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let (out, err) = (Shared::default(), Shared::default());
    let mut session = Session::new(kg, "<embedded graph.ron>", out.clone(), err.clone());
    let (flow, ok) = session
        .handle(&format!(":read {}", file.display()))
        .unwrap();
    assert!(flow == Flow::Continue && !ok);
    let text = |b: &Shared| String::from_utf8(b.0.lock().unwrap().clone()).unwrap();
    // The file ran 8 times, nested, and the 9th `:read` was refused with the reason.
    assert_eq!(text(&out), "20\n".repeat(8));
    assert!(
        text(&err).contains("files read from files nest more than 8 deep"),
        "{}",
        text(&err)
    );
    let (_, ok) = session.handle(":read /no/such/file.bg").unwrap();
    assert!(!ok);
    assert!(text(&err).contains("cannot read `/no/such/file.bg`: no such file or directory"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn output_and_once_send_answers_to_a_file() {
    let dir = std::env::temp_dir().join(format!("bonegraph-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (all, one) = (dir.join("all.txt"), dir.join("one.txt"));
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let (out, err) = (Shared::default(), Shared::default());
    let mut session = Session::new(kg, "<embedded graph.ron>", out.clone(), err.clone());
    for line in [
        ":format plain".to_owned(),
        format!(":output {}", all.display()),
        "count therapies".to_owned(),
        "side effects of Zometa".to_owned(),
        ":output".to_owned(),
        format!(":once {}", one.display()),
        "count studies".to_owned(),
        "count tests".to_owned(),
    ] {
        assert!(session.handle(&line).unwrap().1, "{line}");
    }
    assert_eq!(
        std::fs::read_to_string(&all).unwrap(),
        "20\nkidney damage\nosteonecrosis of the jaw\n"
    );
    assert_eq!(std::fs::read_to_string(&one).unwrap(), "8\n");
    // Only the last answer reached the screen; the confirmations went to the errors (piped).
    assert_eq!(
        String::from_utf8(out.0.lock().unwrap().clone()).unwrap(),
        "4\n"
    );
    let (_, ok) = session.handle(":output /no/such/dir/x.txt").unwrap();
    assert!(!ok);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn an_answer_taller_than_the_screen_goes_through_the_pager_unless_it_is_off() {
    let dir = std::env::temp_dir().join(format!("bonegraph-paging-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let paged = dir.join("paged.txt");
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let (out, err) = (Shared::default(), Shared::default());
    let mut session = Session::new(kg, "<embedded graph.ron>", out.clone(), err.clone())
        .interactive()
        .paged(Some(format!("cat >> '{}'", paged.display())));
    session.set_size(Some((80, 10)));
    let text = |b: &Shared| String::from_utf8(b.0.lock().unwrap().clone()).unwrap();
    // 20 therapies do not fit 10 rows: the pager has them, the screen nothing.
    session.handle("therapies").unwrap();
    let through_pager = std::fs::read_to_string(&paged).unwrap();
    assert!(through_pager.contains("zoledronic acid"), "{through_pager}");
    assert!(through_pager.contains("(20 rows)"), "{through_pager}");
    assert_eq!(text(&out), "");
    // On a taller screen a short answer fits: printed as it is.
    session.set_size(Some((80, 60)));
    session.handle("side effects of Zometa").unwrap();
    assert!(
        text(&out).contains("osteonecrosis of the jaw"),
        "{}",
        text(&out)
    );
    // `:pager off`: the long answer goes to the screen.
    session.set_size(Some((80, 10)));
    session.handle(":pager off").unwrap();
    session.handle("therapies").unwrap();
    assert!(text(&out).contains("(20 rows)"), "{}", text(&out));
    assert_eq!(std::fs::read_to_string(&paged).unwrap(), through_pager);
    session.handle(":pager").unwrap();
    assert!(text(&out).ends_with("the pager is off\n"), "{}", text(&out));
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_pager_that_does_not_start_is_said_once_and_the_answer_is_printed() {
    let kg = Arc::new(KnowledgeGraph::embedded().clone());
    let (out, err) = (Shared::default(), Shared::default());
    let mut session = Session::new(kg, "<embedded graph.ron>", out.clone(), err.clone())
        .interactive()
        .paged(Some("no-such-pager-anywhere-xyz".to_owned()));
    session.set_size(Some((80, 5)));
    let text = |b: &Shared| String::from_utf8(b.0.lock().unwrap().clone()).unwrap();
    session.handle("therapies").unwrap();
    session.handle("therapies").unwrap();
    assert_eq!(text(&out).matches("(20 rows)").count(), 2, "{}", text(&out));
    let warnings = text(&err);
    assert_eq!(
        warnings
            .matches("warning: the pager `no-such-pager-anywhere-xyz` did not start")
            .count(),
        1,
        "{warnings}"
    );
    assert!(warnings.contains("`:pager off`"), "{warnings}");
}
