//! I/O that never panics, hangs or grows without bound: standard streams that fail or close,
//! piped lines past the limit, files written safely (devices, FIFOs, symlinks, permissions,
//! long names), graph input that is not a file, signals while a file is written, and the
//! limits on rendering. Bounds are checked by counting bytes, lines or runs, never by timing;
//! a two-minute guard only keeps a broken build from hanging the suite.

use crate::util::{
    bonegraph, dev_full, drain, fake_dot, generated_graph, root, scratch, spawn, stderr, stdout,
    temporaries, wait_or_kill,
};
use std::io::{BufRead, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// Runs bonegraph with standard output and standard error sent where the test says.
fn run_with(args: &[&str], input: &[u8], out: Stdio, err: Stdio) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(out)
        .stderr(err)
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let _ = stdin.write_all(input);
    drop(stdin);
    let (o, e) = (drain(child.stdout.take()), drain(child.stderr.take()));
    let status = wait_or_kill(child, &format!("{args:?}"));
    std::process::Output {
        status,
        stdout: o.join().unwrap(),
        stderr: e.join().unwrap(),
    }
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo {}", path.display());
}

fn is_fifo(path: &Path) -> bool {
    std::fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_fifo()
}

// ---------------------------------------------------------------- standard streams

#[test]
fn a_full_standard_error_exits_3_instead_of_panicking() {
    let Some(_) = dev_full() else {
        eprintln!("note: no /dev/full; skipped");
        return;
    };
    for (args, input) in [
        (&["query", "xyzzy"][..], &b""[..]),
        // An empty answer says why on standard error.
        (&["query", "side effects of surgery"], b""),
        (&["dot", "xyzzy"], b""),
        (&["translate", "sparql", "xyzzy"], b""),
        (&["--graph", "no/such/graph.ron", "query", "pain"], b""),
        (&["check", "no/such/graph.ron"], b""),
        (&["frobnicate"], b""),
        (&[], b"xyzzy\n"),
    ] {
        let out = run_with(
            args,
            input,
            Stdio::piped(),
            Stdio::from(dev_full().unwrap()),
        );
        assert_eq!(out.status.code(), Some(3), "{args:?}");
    }
}

#[test]
fn a_full_standard_output_exits_3_with_a_message() {
    let Some(_) = dev_full() else {
        eprintln!("note: no /dev/full; skipped");
        return;
    };
    let message = "error: cannot write to standard output: no space left on device\n";
    for args in [
        &["query", "pain"][..],
        &["query", "pain", "--format", "json"],
        &["query", "xyzzy", "--format", "json"],
        &["check"],
        &["check", "--format", "json"],
        &["dot"],
        &["export", "json"],
        &["translate", "cypher", "pain"],
        &["--help"],
        &["--version"],
        &["check", "--help"],
    ] {
        let out = run_with(args, b"", Stdio::from(dev_full().unwrap()), Stdio::piped());
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert_eq!(stderr(&out), message, "{args:?}");
    }
    // Piped lines: the first answer that cannot be written ends the session.
    let out = run_with(
        &[],
        b"describe denosumab\nxyzzy\n",
        Stdio::from(dev_full().unwrap()),
        Stdio::piped(),
    );
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        "error: cannot write the answer: no space left on device\n"
    );
}

#[test]
fn a_closed_standard_output_ends_quietly_with_success() {
    for args in [
        &["--help"][..],
        &["--version"],
        &["check"],
        &["check", "--format", "json"],
        &["query", "things"],
        &["dot"],
        &["export", "rdf", "--format", "turtle"],
        &["translate", "sparql", "describe denosumab"],
    ] {
        let mut child = spawn(args, &[]);
        // Closed before bonegraph writes a byte, as `| head -c 0` would.
        drop(child.stdout.take());
        drop(child.stdin.take());
        let err = drain(child.stderr.take());
        let status = wait_or_kill(child, &format!("{args:?}"));
        assert_eq!(status.code(), Some(0), "{args:?}");
        assert_eq!(err.join().unwrap(), b"", "{args:?}");
    }
    // An invalid graph still fails when nobody reads the report.
    let mut child = spawn(&["check", "tests/fixtures/invalid/dangling_id.ron"], &[]);
    drop(child.stdout.take());
    assert_eq!(wait_or_kill(child, "check").code(), Some(3));
}

/// Feeds `line` to a piped session until it stops reading (or `limit` lines); returns how
/// many lines went in and the session's exit status.
fn feed_until_it_stops(
    line: &[u8],
    limit: usize,
    close_stdout: bool,
) -> (usize, std::process::ExitStatus, Vec<u8>) {
    let mut child = spawn(&[], &[]);
    let mut stdin = child.stdin.take().unwrap();
    if close_stdout {
        drop(child.stdout.take());
    }
    let out = drain(child.stdout.take());
    let err = child.stderr.take();
    let err = if close_stdout {
        drain(err)
    } else {
        drop(err);
        drain(None::<std::process::ChildStderr>)
    };
    let line = line.to_vec();
    let writer = std::thread::spawn(move || {
        let mut sent = 0;
        while sent < limit && stdin.write_all(&line).is_ok() {
            sent += 1;
        }
        sent
    });
    let status = wait_or_kill(child, "piped session");
    let sent = writer.join().unwrap();
    let _ = out.join();
    (sent, status, err.join().unwrap())
}

#[test]
fn a_piped_session_stops_reading_at_the_first_broken_pipe() {
    // `yes 'describe denosumab' | bonegraph | head -c 0`: it used to read on, printing
    // "cannot write the answer: Broken pipe" for every line.
    let limit = 1_000_000;
    let (sent, status, err) = feed_until_it_stops(b"describe denosumab\n", limit, true);
    assert_eq!(status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&err), "");
    // What fits in the pipe and the input buffer, and no more: it stopped reading.
    assert!(sent < 20_000, "{sent} lines went in");
    // `yes xyzzy | bonegraph 2>&1 | head -c 0`: the errors' reader is gone; the failed lines
    // still make it exit 2.
    let (sent, status, _) = feed_until_it_stops(b"xyzzy\n", limit, false);
    assert_eq!(status.code(), Some(2));
    assert!(sent < 20_000, "{sent} lines went in");
}

#[test]
fn a_piped_line_past_the_limit_is_skipped_by_number_and_never_held_whole() {
    // 96 MiB without a newline, then more lines: the long one is reported as soon as it is
    // too long, the rest of it is discarded unread, and the lines after it are answered.
    let mut child = spawn(&[], &[]);
    let mut stdin = child.stdin.take().unwrap();
    let (out, err) = (drain(child.stdout.take()), drain(child.stderr.take()));
    stdin.write_all(b":format plain\n").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..96 {
        stdin.write_all(&chunk).unwrap();
    }
    // All but what the pipe holds has been read by now: the peak so far tells the memory.
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()));
    stdin.write_all(b"\nside effects of Zometa\n").unwrap();
    drop(stdin);
    let code = wait_or_kill(child, "long line").code();
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    assert_eq!(code, Some(2));
    assert_eq!(
        String::from_utf8_lossy(&err),
        "answers will be printed as plain\n\
         error: line 2 is longer than 65536 bytes; skipped\n \
         = help: a query is at most 4096 bytes; give one query or command a line\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out),
        "kidney damage\nosteonecrosis of the jaw\n"
    );
    match status {
        Ok(status) => {
            let peak_kib: u64 = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .expect("VmHWM in /proc/PID/status");
            assert!(
                peak_kib < 48 * 1024,
                "peak memory {peak_kib} KiB after a 96 MiB line"
            );
        }
        Err(_) => eprintln!("note: no /proc; the memory bound is not measured"),
    }
}

// ---------------------------------------------------------------- files written

#[test]
fn output_into_a_fifo_is_refused_at_once_and_it_stays_a_fifo() {
    let dir = scratch("io-fifo-out");
    let fifo = dir.join("pipe");
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap();
    let message = format!(
        "error: cannot write `{f}`: it is a named pipe (FIFO)\n \
         = help: bonegraph writes whole files and will not wait for a reader; write to standard \
         output and redirect it instead (`> FILE`)\n"
    );
    for args in [&["dot", "-o", f][..], &["export", "json", "-o", f]] {
        let out = run_with(args, b"", Stdio::piped(), Stdio::piped());
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert_eq!(stderr(&out), message, "{args:?}");
    }
    let out = run_with(
        &[],
        format!("pain\n:dot > {f}\n").as_bytes(),
        Stdio::piped(),
        Stdio::piped(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), message);
    assert!(is_fifo(&fifo));
    assert_eq!(temporaries(&dir), Vec::<String>::new());
}

#[test]
fn output_to_a_character_device_is_written_in_place() {
    let dir = scratch("io-device-out");
    // A private /dev/null, so that a regression replaces nothing the machine needs.
    let null = dir.join("null");
    let made = Command::new("mknod")
        .args([null.to_str().unwrap(), "c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        let out = bonegraph(&["export", "json", "-o", null.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let meta = std::fs::symlink_metadata(&null).unwrap();
        assert!(meta.file_type().is_char_device(), "{meta:?}");
        assert_eq!(temporaries(&dir), Vec::<String>::new());
    } else {
        eprintln!("note: mknod needs root; the /dev/null case is skipped");
    }
    if dev_full().is_some() {
        let out = bonegraph(&["dot", "-o", "/dev/full"]);
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(
            stderr(&out),
            "error: cannot write `/dev/full`: no space left on device\n"
        );
        let meta = std::fs::metadata("/dev/full").unwrap();
        assert!(meta.file_type().is_char_device());
    }
}

#[test]
fn output_through_a_symlink_writes_the_file_it_names() {
    let dir = scratch("io-symlink-out");
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::write(dir.join("real/graph.dot"), "old").unwrap();
    std::os::unix::fs::symlink("real/graph.dot", dir.join("link.dot")).unwrap();
    let out = bonegraph(&["dot", "-o", dir.join("link.dot").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let link = std::fs::symlink_metadata(dir.join("link.dot")).unwrap();
    assert!(link.file_type().is_symlink(), "the link stays a link");
    let text = std::fs::read_to_string(dir.join("real/graph.dot")).unwrap();
    assert!(text.starts_with("digraph bonegraph {"), "{text}");
    // A dangling link is written through, as `>` would: the file it names appears.
    std::os::unix::fs::symlink("real/new.json", dir.join("dangling")).unwrap();
    let out = bonegraph(&[
        "export",
        "json",
        "-o",
        dir.join("dangling").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        std::fs::read_to_string(dir.join("real/new.json"))
            .unwrap()
            .starts_with('{')
    );
    assert!(
        std::fs::symlink_metadata(dir.join("dangling"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(temporaries(&dir), Vec::<String>::new());
    assert_eq!(temporaries(&dir.join("real")), Vec::<String>::new());
}

#[test]
fn output_keeps_the_permissions_of_the_file_it_replaces() {
    let dir = scratch("io-mode-out");
    for mode in [0o600, 0o640, 0o604] {
        let file = dir.join(format!("graph-{mode:o}.dot"));
        std::fs::write(&file, "old").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
        let out = bonegraph(&["dot", "-o", file.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!(meta.permissions().mode() & 0o7777, mode);
        assert!(
            std::fs::read_to_string(&file)
                .unwrap()
                .starts_with("digraph")
        );
    }
}

#[test]
fn a_254_byte_file_name_can_be_written() {
    let dir = scratch("io-long-name");
    let name = "n".repeat(254);
    let file = dir.join(&name);
    for args in [
        &["dot", "-o", file.to_str().unwrap()][..],
        &["export", "json", "-o", file.to_str().unwrap()],
    ] {
        let out = bonegraph(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let csv = dir.join("c".repeat(254));
    let out = bonegraph(&["export", "csv", "-o", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(csv.join("kuzu-import.cypher").exists());
    assert_eq!(temporaries(&dir), Vec::<String>::new());
}

#[test]
fn a_directory_is_not_a_file_to_write() {
    let dir = scratch("io-dir-out");
    let d = dir.to_str().unwrap();
    let out = bonegraph(&["dot", "-o", d]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot write `{d}`: it is a directory\n \
             = help: give a file name, such as one inside that directory\n"
        )
    );
}

// ---------------------------------------------------------------- graph files read

#[test]
fn graph_input_that_is_not_a_file_is_refused_at_once() {
    let dir = scratch("io-fifo-in");
    let fifo = dir.join("graph.ron");
    // Nobody ever writes to it: opening it to read would wait forever.
    mkfifo(&fifo);
    let f = fifo.to_str().unwrap();
    let help = " = help: a graph file is read whole, so it must be a file: save the graph to \
                a file and pass that\n";
    for (path, what) in [
        (f, "a named pipe (FIFO), not a file"),
        ("/dev/zero", "a character device, not a file"),
    ] {
        let head = format!("error[io]: cannot read `{path}`: it is {what}\n  --> {path}\n");
        let out = run_with(
            &["--graph", path, "query", "pain"],
            b"",
            Stdio::piped(),
            Stdio::piped(),
        );
        assert_eq!(out.status.code(), Some(3), "{path}");
        assert_eq!(stderr(&out), format!("{head}{help}"));
        let out = run_with(&["check", path], b"", Stdio::piped(), Stdio::piped());
        assert_eq!(out.status.code(), Some(3), "{path}");
        assert!(
            stdout(&out).starts_with(&format!("{head}{help}")),
            "{}",
            stdout(&out)
        );
        let out = run_with(
            &[],
            format!(":load {path}\n:stats\n").as_bytes(),
            Stdio::piped(),
            Stdio::piped(),
        );
        assert_eq!(out.status.code(), Some(2), "{path}");
        // The shell says which graph it keeps, whatever kept the file from loading.
        assert_eq!(
            stderr(&out),
            format!("{head}{help}the graph in use is unchanged (<embedded graph.ron>)\n")
        );
        assert!(
            stdout(&out).starts_with("graph: bonegraph"),
            "the old graph stays"
        );
    }
    assert!(is_fifo(&fifo));
}

// ---------------------------------------------------------------- signals

fn signal(pid: u32, name: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{name}"), &pid.to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill -{name} {pid}");
}

#[test]
fn a_signal_while_an_export_is_written_leaves_no_temporary() {
    let dir = scratch("io-signal");
    let graph = dir.join("big.ron");
    std::fs::write(&graph, generated_graph(5_000, 3)).unwrap();
    let g = graph.to_str().unwrap();
    for (sig, number) in [("INT", 2), ("TERM", 15)] {
        for (format, name) in [("json", "out.json"), ("csv", "out-csv")] {
            let target = dir.join(format!("{sig}-{name}"));
            let t = target.to_str().unwrap();
            let mut child = spawn(
                &["--graph", g, "export", format, "-o", t],
                &[("BONEGRAPH_TEST_PAUSE_BEFORE_RENAME", "1")],
            );
            // Wait until the whole export sits in its temporary, about to be renamed.
            let mut line = String::new();
            std::io::BufReader::new(child.stderr.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            assert!(line.starts_with("paused before renaming `"), "{line}");
            assert_eq!(
                temporaries(&dir).len(),
                1,
                "{format}: the temporary is there"
            );
            signal(child.id(), sig);
            let status = wait_or_kill(child, "export");
            assert_eq!(status.signal(), Some(number), "{sig} {format}: {status:?}");
            assert_eq!(temporaries(&dir), Vec::<String>::new(), "{sig} {format}");
            assert!(!target.exists(), "{sig} {format}");
        }
    }
}

#[test]
fn a_signal_at_any_moment_of_a_csv_export_leaves_the_whole_directory_or_nothing() {
    let dir = scratch("io-signal-any");
    let graph = dir.join("big.ron");
    std::fs::write(&graph, generated_graph(20_000, 3)).unwrap();
    let g = graph.to_str().unwrap();
    let whole = dir.join("whole");
    let out = bonegraph(&["--graph", g, "export", "csv", "-o", whole.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let listing = |d: &Path| {
        let mut names: Vec<(String, u64)> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    e.metadata().unwrap().len(),
                )
            })
            .collect();
        names.sort();
        names
    };
    let expected = listing(&whole);
    // Wherever the signal lands (loading, writing, renaming, done), the assertion is the same.
    for pause_ms in [0, 20, 80, 200, 400] {
        let target = dir.join(format!("csv-{pause_ms}"));
        let mut child = spawn(
            &[
                "--graph",
                g,
                "export",
                "csv",
                "-o",
                target.to_str().unwrap(),
            ],
            &[],
        );
        let err = drain(child.stderr.take());
        std::thread::sleep(std::time::Duration::from_millis(pause_ms));
        signal(child.id(), "TERM");
        let status = wait_or_kill(child, "export");
        let _ = err.join();
        assert_eq!(temporaries(&dir), Vec::<String>::new(), "{pause_ms} ms");
        if target.exists() {
            assert_eq!(listing(&target), expected, "{pause_ms} ms: {status:?}");
        }
    }
}

// ---------------------------------------------------------------- rendering

#[test]
fn render_refuses_more_than_500_nodes_unless_max_nodes_sets_the_size() {
    let dir = scratch("io-render-cap");
    let runs = dir.join("runs");
    let path = fake_dot(
        &dir,
        &format!(
            "cat > /dev/null; echo run >> '{}'; echo '<svg/>'",
            runs.display()
        ),
    );
    let count_runs = || {
        std::fs::read_to_string(&runs)
            .map(|t| t.lines().count())
            .unwrap_or(0)
    };
    let render = |graph: &Path, extra: &[&str]| {
        let svg = dir.join("out.svg");
        let _ = std::fs::remove_file(&svg);
        let mut args = vec![
            "--graph",
            graph.to_str().unwrap(),
            "dot",
            "--render",
            "svg",
            "-o",
            svg.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let out = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
            .args(&args)
            .env("PATH", &path)
            .output()
            .unwrap();
        (out, std::fs::read_to_string(&svg).ok())
    };
    for n in [500, 501] {
        std::fs::write(dir.join(format!("g{n}.ron")), generated_graph(n, 1)).unwrap();
    }
    // At the limit: drawn.
    let (out, svg) = render(&dir.join("g500.ron"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(svg.as_deref(), Some("<svg/>\n"));
    assert_eq!(count_runs(), 1);
    // One beyond: refused before Graphviz runs.
    let (out, svg) = render(&dir.join("g501.ron"), &[]);
    assert_eq!(out.status.code(), Some(64));
    assert_eq!(
        stderr(&out),
        "error: the drawing has 501 nodes; `--render` draws at most 500 unless `--max-nodes` \
         sets the size\n \
         = help: `--max-nodes 500` folds the rest into one node per kind; `--max-nodes 501` \
         draws them all, which Graphviz may take minutes to lay out; without `--render` you \
         get the DOT text\n"
    );
    assert_eq!(svg, None);
    assert_eq!(count_runs(), 1, "Graphviz never ran");
    // Asked for in so many words, it is drawn.
    for max in ["501", "40"] {
        let (out, svg) = render(&dir.join("g501.ron"), &["--max-nodes", max]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(svg.is_some());
    }
    assert_eq!(count_runs(), 3);
}

#[test]
fn graphviz_is_stopped_after_the_time_limit() {
    let dir = scratch("io-render-timeout");
    let pid_file = dir.join("pid");
    let path = fake_dot(
        &dir,
        &format!("echo $$ > '{}'; exec sleep 600", pid_file.display()),
    );
    let svg = dir.join("out.svg");
    let out = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(["dot", "--render", "svg", "--render-timeout", "1", "-o"])
        .arg(&svg)
        .env("PATH", &path)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        format!(
            "error: Graphviz's `dot` did not finish within 1 s, and was stopped\n \
             = help: draw fewer nodes with `--max-nodes N` (this drawing has {}), or allow more \
             time with `--render-timeout SECONDS`\n",
            bonegraph::KnowledgeGraph::embedded().entity_count()
        )
    );
    assert!(!svg.exists());
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    assert!(
        !Path::new(&format!("/proc/{}", pid.trim())).exists(),
        "the stopped Graphviz is gone"
    );
    let out = bonegraph(&["dot", "--render-timeout", "5"]);
    assert_eq!(
        out.status.code(),
        Some(64),
        "the time limit is for --render"
    );
}

#[test]
fn graphviz_complaints_are_cut_to_their_first_lines() {
    let dir = scratch("io-render-complaints");
    // 100,000 lines of complaint, then failure.
    let path = fake_dot(
        &dir,
        "cat > /dev/null; i=0; while [ $i -lt 100000 ]; do echo \"warning $i\" >&2; \
         i=$((i+1)); done; exit 1",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(["dot", "--render", "svg", "-o"])
        .arg(dir.join("out.svg"))
        .env("PATH", &path)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let expected: Vec<String> = (0..8).map(|i| format!("warning {i}")).collect();
    let expected = expected.join("; ");
    assert_eq!(
        stderr(&out),
        format!("error: Graphviz's `dot` rejected the drawing: {expected}; ... (more left out)\n")
    );
}
