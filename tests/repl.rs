//! The shell as a user runs it: the session transcript through the binary with piped stdin,
//! piped input, and a real terminal (tmux) for the prompt, Tab, Ctrl-C and Ctrl-D. The
//! editor helper and the session type are tested in-process by the binary's own unit tests
//! (src/cli/repl/tests.rs).

use crate::util::{blocks, piped, root, scratch};
use std::process::Command;

// ---------------------------------------------------------------- sessions

#[test]
fn the_session_transcript_matches_through_the_binary_with_piped_stdin() {
    let text = std::fs::read_to_string(root().join("tests/transcripts/repl.txt")).unwrap();
    let cases = blocks(&text);
    // Piped into a pipe, a session prints plain names; the transcript shows tables.
    let input: String = std::iter::once(":mode table\n".to_owned())
        .chain(cases.iter().map(|(l, _)| format!("{l}\n")))
        .collect();
    let (mut want_out, mut want_err) = (
        String::new(),
        "answers will be printed as table\n".to_owned(),
    );
    for (_, expected) in &cases {
        // Errors, and confirmations such as `answers will be printed as plain`, go to
        // standard error when piped: the output holds only answers.
        if expected.starts_with("error") || expected.starts_with("answers will be printed as") {
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
        "kidney damage\nosteonecrosis of the jaw\n"
    );
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: unknown entity `xyzzy`"));
    assert_eq!(out.status.code(), Some(2));
    // Into a pipe, answers are plain names without `:format plain`, as with `bonegraph query`.
    let ok = piped(&[], b"side effects of Zometa\n");
    assert_eq!(
        String::from_utf8_lossy(&ok.stdout),
        "kidney damage\nosteonecrosis of the jaw\n"
    );
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

/// Every line that makes the shell speak for itself: each help topic, query errors of every
/// kind, and the shell's own errors.
const SELF_SPOKEN: &[&str] = &[
    ":help",
    ":help queries",
    ":help names",
    ":help answers",
    ":help commands",
    ":help bogus",
    ":explain 1",
    ":why",
    ":dot",
    "xyzzy",
    "fruits",
    "fruits growing on",
    "fruits growin apple tree",
    "fruits growing on pests",
    "fruits growing on apple tree and",
    "(",
    "path from apple",
    "paths from apple to apple tree limit 99",
    "count",
    "describe",
    "\"unclosed",
    ":shema",
    ":format yaml",
    ":schema nonsense",
    ":kinds x",
    ":",
    ":load missing.ron",
    ":dot count fruits",
    ":dot > ",
    ":sparql path from apple to apple tree",
    "fruits growing on apple tree",
    ":explain 9",
];

/// Words of the embedded graph in what the shell says on a graph of another domain: its help,
/// its examples and its errors must come from the graph loaded, not from the built-in one.
#[test]
fn on_a_graph_of_another_domain_the_shell_names_nothing_of_the_embedded_graph() {
    use std::io::Write as _;
    use std::process::Stdio;
    let ron = std::fs::read_to_string(root().join("tests/fixtures/valid/tiny.ron")).unwrap();
    // Run from a directory of its own, so that no path in a message holds a word by chance.
    let dir = scratch("other-domain");
    std::fs::write(dir.join("orchard.ron"), &ron).unwrap();
    let mut input: Vec<u8> = SELF_SPOKEN
        .iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect();
    input.extend(b"\xff not UTF-8\n");
    input.extend(std::iter::repeat_n(b'x', 70_000));
    input.push(b'\n');
    let mut child = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(["--graph", "orchard.ron"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // The help ran, with this graph's own examples.
    assert!(text.contains("  fruits growing on apple tree\n"), "{text}");
    assert!(text.contains("error: unknown command `:shema`"), "{text}");
    assert!(
        text.contains("error: line 34 is longer than 65536 bytes"),
        "{text}"
    );
    let found = crate::domain_words::embedded_words_in(&text, &ron);
    assert!(
        found.is_empty(),
        "words of the embedded graph on another graph: {found:?}\n{text}"
    );
}

// ---------------------------------------------------------------- a real terminal

/// Drives the REPL in tmux. Skipped (with a note) where tmux is not installed; .ci/run
/// installs it.
struct Tmux {
    name: String,
}

impl Tmux {
    /// Starts the shell with no pager, so that long answers stay on the screen.
    fn start(history: &std::path::Path) -> Option<Tmux> {
        Tmux::start_with(history, "PAGER=cat")
    }

    /// Starts the shell with `env` (`NAME=value ...`) set besides the history file.
    fn start_with(history: &std::path::Path, env: &str) -> Option<Tmux> {
        Tmux::run(history, env, "")
    }

    /// Starts `bonegraph ARGS` (the shell when `args` is empty) with `env` set.
    fn run(history: &std::path::Path, env: &str, args: &str) -> Option<Tmux> {
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
            "BONEGRAPH_HISTORY='{}' NO_COLOR=1 {env} '{}' {args}; echo EXIT=$?; sleep 30",
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

    /// Makes the terminal `columns` wide.
    fn resize(&self, columns: u32) {
        Command::new("tmux")
            .args([
                "resize-window",
                "-t",
                &self.name,
                "-x",
                &columns.to_string(),
            ])
            .status()
            .unwrap();
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

    /// Waits (up to 30 s: the whole suite runs beside it on a shared machine) until the screen
    /// contains `text`.
    fn wait_for(&self, text: &str) -> String {
        self.wait_for_within(text, 30)
    }

    /// Waits (up to 30 s) until the last line with anything on it reads `text` (trailing
    /// spaces aside): a fresh prompt, say.
    fn wait_for_last_line(&self, text: &str) -> String {
        for _ in 0..30 * 20 {
            let s = self.screen();
            if s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .map(str::trim_end)
                == Some(text)
            {
                return s;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!(
            "the last line never read `{text}`; screen:\n{}",
            self.screen()
        );
    }

    /// Waits up to `seconds` until the screen contains `text`.
    fn wait_for_within(&self, text: &str, seconds: u64) -> String {
        for _ in 0..seconds * 20 {
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
    t.wait_for("answered in");
    // A multi-line entry: an open parenthesis keeps the line open, under a continuation
    // prompt.
    t.keys(&["therapies treating (fracture or", "Enter"]);
    t.wait_for("\n       ...>");
    t.keys(&["pain)", "Enter"]);
    t.wait_for("(12 rows)");
    // Ctrl-C cancels the line, Ctrl-D leaves with status 0. Each key waits for the screen to
    // show the one before took effect: a Ctrl-D that reached the line before the Ctrl-C
    // would be ignored (it ends input only on an empty line).
    t.keys(&["xyzzy"]);
    t.wait_for("bonegraph> xyzzy");
    t.keys(&["C-c"]);
    t.wait_for_last_line("bonegraph>");
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

#[test]
fn in_a_terminal_60_columns_wide_answers_wrap_at_words_and_semicolons_separate() {
    let dir = scratch("tmux-60");
    let Some(t) = Tmux::start(&dir.join("history")) else {
        return;
    };
    t.resize(60);
    t.wait_for("bonegraph>");
    t.keys(&["side effects of Zometa ; count therapies", "Enter"]);
    let screen = t.wait_for("\n20\n");
    for line in screen.lines() {
        assert!(
            line.chars().count() <= 60,
            "`{line}` is wider than the terminal:\n{screen}"
        );
    }
    // The because text went below its row, whole words, indented.
    assert!(
        screen.contains("\n    bisphosphonate has side effect kidney"),
        "{screen}"
    );
    // Bare `help` and `quit` as other shells take them.
    t.keys(&["help", "Enter"]);
    t.wait_for("Commands:");
    t.keys(&["quit", "Enter"]);
    t.wait_for("EXIT=0");
}

#[test]
fn in_a_terminal_long_answers_are_paged_and_output_read_and_csv_work() {
    let dir = scratch("tmux-pager");
    let Some(t) = Tmux::start_with(&dir.join("history"), "PAGER=less") else {
        return;
    };
    if Command::new("less").arg("--version").output().is_err() {
        eprintln!("note: less not installed; the paging part of the smoke test is skipped");
    } else {
        t.wait_for("bonegraph>");
        // 109 rows do not fit 50: less shows the first screen and waits.
        t.keys(&["things", "Enter"]);
        let screen = t.wait_for("\n:");
        assert!(!screen.contains("(109 rows)"), "{screen}");
        t.keys(&["G"]);
        t.wait_for("(END)");
        t.keys(&["q"]);
        t.wait_for(" ms\nbonegraph>");
        // `:pager off`: the whole answer scrolls by, ending at the prompt (on a cleared
        // screen, so that what less left there does not count).
        t.keys(&["C-l"]);
        t.keys(&[":pager off", "Enter"]);
        t.wait_for("the pager is off");
        t.keys(&["things", "Enter"]);
        t.wait_for("(109 rows)");
    }
    // A statement left open waits under the continuation prompt; closing it answers.
    t.keys(&["count therapies treating (fracture or", "Enter"]);
    t.wait_for("\n       ...>");
    t.keys(&["pain)", "Enter"]);
    t.wait_for("\n12\n");
    // :mode csv, :output FILE, :read FILE.
    let script = dir.join("statements.txt");
    std::fs::write(&script, "count studies\nside effects of Zometa\n").unwrap();
    let answers = dir.join("answers.csv");
    t.keys(&[":mode csv", "Enter"]);
    t.wait_for("answers will be printed as csv");
    t.keys(&[&format!(":output {}", answers.display()), "Enter"]);
    t.wait_for("answers go to");
    t.keys(&[&format!(":read {}", script.display()), "Enter"]);
    t.keys(&[":output", "Enter"]);
    t.wait_for("answers go to the screen again");
    t.keys(&["side effects of Zometa", "Enter"]);
    t.wait_for("name,kind,because");
    let written = std::fs::read_to_string(&answers).unwrap();
    assert!(written.starts_with("count\r\n"), "{written}");
    assert!(
        written.contains("\r\nosteonecrosis of the jaw,side effect,"),
        "{written}"
    );
    t.keys(&["quit", "Enter"]);
    t.wait_for("EXIT=0");
}

#[test]
fn piped_csv_ends_its_lines_with_crlf_not_an_escaped_r() {
    let out = piped(&[], b":mode csv\ncount studies\n");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "count\r\n8\r\n");
}

#[test]
fn in_a_terminal_a_long_check_shows_its_phase_and_counts_then_clears_them() {
    let dir = scratch("tmux-spinner");
    // The spinner is told to appear at once (its delay is a third of a second otherwise);
    // the graph is large enough for its check to last several of the spinner's redraws.
    let mut ron = String::from(
        "(name: \"big\", schema: (kinds: [(id: \"thing\", singular: \"thing\", plural: \"things\")], \
         relations: [(id: \"next\", from: [\"thing\"], to: [\"thing\"], forward: [\"before\"], inverse: [\"after\"])]), \
         entities: [",
    );
    let n = 150_000;
    for i in 0..n {
        ron.push_str(&format!(
            "(id: \"t{i}\", kind: \"thing\", name: \"thing {i}\"),\n"
        ));
    }
    ron.push_str("], relations: [");
    for i in 1..n {
        ron.push_str(&format!(
            "(from: \"t{}\", rel: \"next\", to: \"t{i}\"),\n",
            i - 1
        ));
    }
    ron.push_str("])");
    let file = dir.join("big.ron");
    std::fs::write(&file, ron).unwrap();
    // Only the check's own output would be on the screen; it goes to a file.
    let report = dir.join("report.txt");
    let Some(t) = Tmux::run(
        &dir.join("history"),
        "BONEGRAPH_PROGRESS_DELAY_MS=0",
        &format!("check '{}' > '{}'", file.display(), report.display()),
    ) else {
        return;
    };
    let screen = t.wait_for(" entities and relations, ");
    assert!(screen.contains("big.ron: checking: "), "{screen}");
    let screen = t.wait_for_within("EXIT=0", 120);
    assert!(
        !screen.contains("big.ron:"),
        "the spinner's line is wiped:\n{screen}"
    );
    assert!(
        std::fs::read_to_string(&report)
            .unwrap()
            .contains("150000 entities, 149999 relations")
    );
    // Not a terminal: nothing on standard error.
    let out = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
