//! The REPL: the editor helper's completion, hints, highlighting and validation tested
//! directly; sessions run from transcripts in-process and through the binary with piped
//! stdin; and a real terminal (tmux) for the prompt, Tab and Ctrl-D.

use crate::util::{blocks, piped, root, scratch};
use bonegraph::KnowledgeGraph;
use bonegraph::repl::helper::{ReplHelper, Style};
use bonegraph::repl::{Session, run_lines};
use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex};

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
    assert_eq!(
        completions(":").len(),
        bonegraph::repl::command::COMMANDS.len()
    );
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

// ---------------------------------------------------------------- sessions

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
fn the_session_transcript_matches_through_the_binary_with_piped_stdin() {
    let text = std::fs::read_to_string(root().join("tests/transcripts/repl.txt")).unwrap();
    let cases = blocks(&text);
    let input: String = cases.iter().map(|(l, _)| format!("{l}\n")).collect();
    let (mut want_out, mut want_err) = (String::new(), String::new());
    for (_, expected) in &cases {
        if expected.starts_with("error") {
            want_err.push_str(expected);
        } else {
            want_out.push_str(expected);
        }
    }
    let out = piped(&[], input.as_bytes());
    assert_eq!(String::from_utf8_lossy(&out.stdout), want_out);
    assert_eq!(String::from_utf8_lossy(&out.stderr), want_err);
    assert_eq!(
        out.status.code(),
        Some(2),
        "some lines of the transcript fail on purpose"
    );
}

#[test]
fn piped_input_reports_a_bad_line_and_carries_on() {
    let out = piped(&[], b"xyzzy\n:format plain\nside effects of Zometa\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "answers will be printed as plain\nkidney damage\nosteonecrosis of the jaw\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: unknown entity `xyzzy`"));
    assert_eq!(out.status.code(), Some(2));
    let ok = piped(&[], b"side effects of Zometa\n");
    assert_eq!(ok.status.code(), Some(0));
    assert!(ok.stderr.is_empty(), "no prompt and no banner when piped");
}

#[test]
fn piped_input_survives_invalid_utf8_and_huge_lines() {
    let mut input = b"\xff\xfe garbage\n".to_vec();
    input.extend(std::iter::repeat_n(b'(', 10 << 20));
    input.extend(b"\n:format plain\nSREs\n");
    let out = piped(&[], &input);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: line 1 is not valid UTF-8 text; skipped"),
        "{err}"
    );
    assert!(
        err.contains("error: line 2 is longer than 65536 bytes; skipped\n"),
        "{err}"
    );
    // Between the query limit and the line limit, the query's own error says how long.
    let mut input = vec![b'('; 10_000];
    input.push(b'\n');
    let out = piped(&[], &input);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: the query is 10000 bytes long; the limit is 4096"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut input = b"\xff\xfe garbage\n".to_vec();
    input.extend(std::iter::repeat_n(b'(', 10 << 20));
    input.extend(b"\n:format plain\nSREs\n");
    let out = piped(&[], &input);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("complication of bone metastases (complication)")
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn quit_stops_reading() {
    let out = piped(&[], b":quit\nxyzzy\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
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

#[test]
fn dot_to_a_file_writes_the_evidence_graph() {
    let dir = scratch("repl-dot");
    let file = dir.join("answer.dot");
    let out = piped(
        &[],
        format!("side effects of Zometa\n:dot > {}\n", file.display()).as_bytes(),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dot = std::fs::read_to_string(&file).unwrap();
    assert!(dot.starts_with("digraph bonegraph {"));
    assert!(dot.contains("\"zoledronic_acid\" -> \"bisphosphonates\""));
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

// ---------------------------------------------------------------- a real terminal

/// Drives the REPL in tmux. Skipped (with a note) where tmux is not installed; .ci/run
/// installs it.
struct Tmux {
    name: String,
}

impl Tmux {
    fn start(history: &std::path::Path) -> Option<Tmux> {
        Tmux::start_with(history, "")
    }

    /// Starts the shell with `env` (`NAME=value ...`) set besides the history file.
    fn start_with(history: &std::path::Path, env: &str) -> Option<Tmux> {
        static SESSIONS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        if Command::new("tmux").arg("-V").output().is_err() {
            eprintln!("note: tmux not installed; terminal smoke test skipped");
            return None;
        }
        let name = format!(
            "bonegraph-test-{}-{}",
            std::process::id(),
            SESSIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let cmd = format!(
            "BONEGRAPH_HISTORY='{}' NO_COLOR=1 {env} '{}'; echo EXIT=$?; sleep 30",
            history.display(),
            env!("CARGO_BIN_EXE_bonegraph")
        );
        let ok = Command::new("tmux")
            .args([
                "new-session",
                "-d",
                "-s",
                &name,
                "-x",
                "160",
                "-y",
                "50",
                &cmd,
            ])
            .status()
            .ok()?
            .success();
        assert!(ok, "tmux could not start a session");
        Some(Tmux { name })
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.name];
        args.extend_from_slice(keys);
        Command::new("tmux").args(&args).status().unwrap();
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.name])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (up to 10 s) until the screen contains `text`.
    fn wait_for(&self, text: &str) -> String {
        for _ in 0..200 {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("`{text}` never appeared; screen:\n{}", self.screen());
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.name])
            .status();
    }
}

#[test]
fn in_a_terminal_the_prompt_appears_tab_completes_and_ctrl_d_exits_0() {
    let dir = scratch("tmux");
    let history = dir.join("history");
    let Some(t) = Tmux::start(&history) else {
        return;
    };
    t.wait_for("bonegraph>");
    t.keys(&["side effects of zol", "Tab"]);
    t.wait_for("bonegraph> side effects of zoledronic acid");
    t.keys(&["Enter"]);
    t.wait_for("osteonecrosis of the jaw");
    t.wait_for("2 results in");
    // A multi-line entry: an open parenthesis keeps the line open.
    t.keys(&["therapies treating (fracture or", "Enter"]);
    t.keys(&["pain)", "Enter"]);
    t.wait_for("(12 rows)");
    // Ctrl-C cancels the line, Ctrl-D leaves with status 0.
    t.keys(&["xyzzy", "C-c"]);
    t.keys(&["C-d"]);
    t.wait_for("EXIT=0");
    let saved = std::fs::read_to_string(&history).unwrap();
    assert!(saved.contains("side effects of zoledronic acid"), "{saved}");
    assert!(!saved.contains("xyzzy"), "a cancelled line is not history");
    assert!(saved.contains("therapies treating (fracture or"), "{saved}");
}

#[test]
fn in_a_terminal_ctrl_c_cancels_the_running_query_and_returns_to_the_prompt() {
    let dir = scratch("tmux-ctrl-c");
    // The test hook holds each query until Ctrl-C, so the signal surely lands mid-query.
    let Some(t) = Tmux::start_with(&dir.join("history"), "BONEGRAPH_TEST_HOLD_QUERIES=1") else {
        return;
    };
    t.wait_for("bonegraph>");
    t.keys(&["side effects of Zometa", "Enter"]);
    t.wait_for("holding the query until Ctrl-C");
    t.keys(&["C-c"]);
    t.wait_for("error: the query was cancelled (Ctrl-C)");
    // The same session goes on: one query asked, and a cancelled one is no failed line.
    t.keys(&[":stats", "Enter"]);
    t.wait_for("session: 1 queries, 0 failed lines");
    t.keys(&["C-d"]);
    t.wait_for("EXIT=0");
}

#[test]
fn in_a_terminal_a_history_file_that_is_a_fifo_is_left_alone() {
    let dir = scratch("tmux-history-fifo");
    let fifo = dir.join("history");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let Some(t) = Tmux::start(&fifo) else {
        return;
    };
    // Reading it would wait for a writer forever; the shell warns and starts.
    t.wait_for("is not a regular file (a directory, a pipe or a device); history is not kept");
    t.wait_for("bonegraph>");
    t.keys(&["side effects of Zometa", "Enter"]);
    t.wait_for("osteonecrosis of the jaw");
    t.keys(&["C-d"]);
    t.wait_for("EXIT=0");
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert_eq!(crate::util::temporaries(&dir), Vec::<String>::new());
}

#[test]
fn in_a_terminal_history_is_saved_through_a_symlink_keeping_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("tmux-history-link");
    let real = dir.join("real-history");
    std::fs::write(&real, "#V2\nan old question\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("history");
    std::os::unix::fs::symlink("real-history", &link).unwrap();
    let Some(t) = Tmux::start(&link) else {
        return;
    };
    t.wait_for("bonegraph>");
    t.keys(&["side effects of Zometa", "Enter"]);
    t.wait_for("osteonecrosis of the jaw");
    t.keys(&["C-d"]);
    t.wait_for("EXIT=0");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let saved = std::fs::read_to_string(&real).unwrap();
    assert!(saved.contains("an old question"), "{saved}");
    assert!(saved.contains("side effects of Zometa"), "{saved}");
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(crate::util::temporaries(&dir), Vec::<String>::new());
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
) -> (bonegraph::repl::Ended, Vec<u8>, Vec<u8>, u64) {
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
    input.extend(std::iter::repeat_n(
        b'(',
        bonegraph::repl::MAX_LINE_BYTES + 1,
    ));
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
