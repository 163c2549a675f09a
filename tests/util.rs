//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root, so tests can name files relative to it.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture file's path relative to the crate root (as messages show it).
pub fn fixture(rel: &str) -> PathBuf {
    PathBuf::from("tests/fixtures").join(rel)
}

/// Runs the `bonegraph` binary from the crate root with `args`.
pub fn bonegraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .expect("the bonegraph binary runs")
}

/// Standard output as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A scratch directory unique to one test, emptied first.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bonegraph-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Compares `actual` with the golden file at `path` (relative to the crate root). With
/// `BLESS=1` in the environment the golden file is rewritten instead.
pub fn assert_golden(path: &Path, actual: &str) {
    let full = root().join(path);
    if std::env::var_os("BLESS").is_some() {
        std::fs::write(&full, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&full).unwrap_or_else(|_| {
        panic!(
            "missing golden file {}; run with BLESS=1 to create it",
            path.display()
        )
    });
    assert!(
        expected == actual,
        "output differs from {}\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

/// Splits a transcript into `> line` blocks: each line with the text after it, up to the next.
pub fn blocks(text: &str) -> Vec<(String, String)> {
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

/// Runs the `bonegraph` binary with `args`, feeding `input` on standard input.
pub fn piped(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bonegraph binary runs");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_vec();
    // Write from another thread: the child may fill its output pipes before reading it all.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child
        .wait_with_output()
        .expect("the bonegraph binary finishes");
    let _ = writer.join();
    out
}

/// A generated graph of `n` entities of four kinds, each with up to `per` `links` edges to
/// others (deterministic), for tests that need size.
pub fn generated_graph(n: usize, per: usize) -> String {
    use std::fmt::Write as _;
    let kinds = ["a", "b", "c", "d"];
    let mut text = String::from("(name: \"generated\", schema: (kinds: [");
    for k in kinds {
        let _ = write!(
            text,
            "(id: \"{k}\", singular: \"{k}thing\", plural: \"{k}things\"),"
        );
    }
    text.push_str(
        "], relations: [(id: \"links\", from: [\"*\"], to: [\"*\"], forward: [\"linking\"], \
         inverse: [\"linked from\"])]),\nsources: [(id: \"s\", title: \"s\")],\nentities: [\n",
    );
    for i in 0..n {
        let _ = writeln!(
            text,
            "(id: \"e{i}\", kind: \"{}\", name: \"entity {i}\"),",
            kinds[i % 4]
        );
    }
    text.push_str("],\nrelations: [\n");
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    for i in 0..n {
        let mut seen = Vec::new();
        for _ in 0..per {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let j = (x % n as u64) as usize;
            if j != i && !seen.contains(&j) {
                seen.push(j);
                let _ = writeln!(
                    text,
                    "(from: \"e{i}\", rel: \"links\", to: \"e{j}\", source: \"s\"),"
                );
            }
        }
    }
    text.push_str("])\n");
    text
}

/// Starts the `bonegraph` binary from the crate root with every stream piped.
pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> std::process::Child {
    use std::process::Stdio;
    Command::new(env!("CARGO_BIN_EXE_bonegraph"))
        .args(args)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the bonegraph binary runs")
}

/// Waits for `child`, killing it (and failing) if it has not ended after two minutes: a guard
/// against a test that would otherwise hang, not a measure of speed.
pub fn wait_or_kill(mut child: std::process::Child, what: &str) -> std::process::ExitStatus {
    for _ in 0..12_000 {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("{what}: bonegraph did not end within two minutes");
}

/// Reads a pipe to its end on another thread (so the child never blocks on a full pipe).
pub fn drain<R: std::io::Read + Send + 'static>(
    pipe: Option<R>,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Opens `/dev/full` (every write fails with "no space left on device"), where it exists.
pub fn dev_full() -> Option<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .ok()
}

/// A directory holding a fake Graphviz `dot` (a shell script with `body`), and the PATH
/// that finds it first.
pub fn fake_dot(dir: &Path, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("dot");
    std::fs::write(&script, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// The names in `dir` that look like bonegraph's temporaries (`.bg-*`) or the older
/// `.NAME.PID.tmp` ones.
pub fn temporaries(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bg-") || n.ends_with(".tmp") || n.ends_with(".del"))
        .collect()
}
