//! Running Graphviz's `dot` to turn DOT text into an image: fed and drained from threads so
//! that neither side waits on a full pipe, stopped after a time limit or by a signal, its
//! complaints cut to their first lines.

use crate::args::Render;
use crate::fsutil::describe_io_error;
use std::io::{Read, Write};
use std::process::{Child, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Graphviz while it renders, so that a signal can stop it too.
static GRAPHVIZ: Mutex<Option<Child>> = Mutex::new(None);

/// Why Graphviz did not draw. Each variant's doc shows how it happens.
#[derive(Debug, thiserror::Error)]
pub enum GraphvizError {
    /// `dot` is not on PATH.
    #[error("Graphviz's `dot` program is not installed (or not on PATH)")]
    NotInstalled,
    /// `dot` could not be started, or a thread to feed it: PATH names a `dot` that is not
    /// executable.
    #[error("cannot run Graphviz's `dot`: {}", describe_io_error(.0))]
    CannotRun(#[source] std::io::Error),
    /// Waiting for `dot` failed.
    #[error("Graphviz's `dot` failed: {}", describe_io_error(.0))]
    Failed(#[source] std::io::Error),
    /// A signal stopped it while it ran.
    #[error("Graphviz's `dot` was stopped")]
    Stopped,
    /// It ran past the time limit: a drawing of thousands of dense nodes.
    #[error("Graphviz's `dot` did not finish within {} s, and was stopped", .limit.as_secs())]
    TimedOut {
        /// The time it was given.
        limit: Duration,
        /// How many nodes the drawing has.
        nodes: usize,
    },
    /// It exited with an error: DOT it cannot read, or no memory.
    #[error("Graphviz's `dot` rejected the drawing: {complaints}")]
    Rejected {
        /// The first lines of what it said, joined with `; `.
        complaints: String,
    },
}

impl GraphvizError {
    /// What to do about it.
    pub fn help(&self) -> Option<String> {
        match self {
            GraphvizError::NotInstalled => Some(
                "install Graphviz (Debian/Ubuntu: `apt-get install graphviz`; Fedora: `dnf \
                 install graphviz`; macOS: `brew install graphviz`), or leave out --render to \
                 write DOT text and render it elsewhere"
                    .to_owned(),
            ),
            GraphvizError::TimedOut { nodes, .. } => Some(format!(
                "draw fewer nodes with `--max-nodes N` (this drawing has {nodes}), or allow \
                 more time with `--render-timeout SECONDS`"
            )),
            _ => None,
        }
    }
}

/// Stops Graphviz if it is running (for a signal handler).
pub fn stop() {
    if let Some(child) = GRAPHVIZ
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .as_mut()
    {
        let _ = child.kill();
        let _ = child.wait();
    }
}

/// How many nodes a DOT text declares (`"id" [...]` statements; edges are `"a" -> "b"`):
/// what Graphviz has to lay out.
pub fn drawn_nodes(text: &str) -> usize {
    text.lines()
        .filter(|line| {
            let Some(rest) = line.trim_start().strip_prefix('"') else {
                return false;
            };
            // Past the quoted id (`\"` and `\\` escaped inside), a node has attributes.
            let mut escaped = false;
            let end = rest.char_indices().find(|&(_, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            });
            end.is_some_and(|(i, _)| rest[i + 1..].trim_start().starts_with('['))
        })
        .count()
}

/// Renders DOT `text` (of `nodes` nodes) as an image, stopping Graphviz after `limit`.
pub fn render(
    text: &str,
    format: Render,
    limit: Duration,
    nodes: usize,
) -> Result<Vec<u8>, GraphvizError> {
    let flag = match format {
        Render::Svg => "-Tsvg",
        Render::Png => "-Tpng",
        Render::Pdf => "-Tpdf",
    };
    let child = std::process::Command::new("dot")
        .arg(flag)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(GraphvizError::NotInstalled);
        }
        Err(e) => return Err(GraphvizError::CannotRun(e)),
    };
    // Feed and drain it from other threads, so that neither side waits on a full pipe.
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    *GRAPHVIZ.lock().unwrap_or_else(PoisonError::into_inner) = Some(child);
    let input = text.as_bytes().to_vec();
    // Graphviz can complain for megabytes: only the start of it is kept, the rest is read
    // and dropped so that it never waits on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>, keep: u64| {
        thread(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.by_ref().take(keep).read_to_end(&mut bytes);
                let _ = std::io::copy(&mut p, &mut std::io::sink());
            }
            bytes
        })
    };
    let threads = thread(move || stdin.map(|mut s| s.write_all(&input))).and_then(|writer| {
        let image = drain(
            stdout.map(|p| Box::new(p) as Box<dyn Read + Send>),
            u64::MAX,
        )?;
        let complaints = drain(
            stderr.map(|p| Box::new(p) as Box<dyn Read + Send>),
            64 << 10,
        )?;
        Ok((writer, image, complaints))
    });
    let (writer, image, complaints) = match threads {
        Ok(t) => t,
        Err(e) => {
            if let Some(mut child) = GRAPHVIZ
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
            {
                let _ = child.kill();
                let _ = child.wait();
            }
            return Err(GraphvizError::CannotRun(e));
        }
    };
    let deadline = Instant::now() + limit;
    let status = loop {
        let mut guard = GRAPHVIZ.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(child) = guard.as_mut() else {
            return Err(GraphvizError::Stopped);
        };
        match child.try_wait() {
            Ok(Some(status)) => {
                guard.take();
                break status;
            }
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                guard.take();
                return Err(GraphvizError::TimedOut { limit, nodes });
            }
            Ok(None) => {
                drop(guard);
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                guard.take();
                return Err(GraphvizError::Failed(e));
            }
        }
    };
    let _ = writer.join();
    let image = image.join().unwrap_or_default();
    let complaints = complaints.join().unwrap_or_default();
    if !status.success() {
        return Err(GraphvizError::Rejected {
            complaints: first_lines(&String::from_utf8_lossy(&complaints), 8),
        });
    }
    Ok(image)
}

/// Starts a thread, or says why not (instead of panicking as `std::thread::spawn` does).
fn thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    std::thread::Builder::new().spawn(f)
}

/// The first `n` lines of `text` (each at most 200 characters), and a mark if there were
/// more, joined into one line with `; ` (a diagnostic's message is one line).
fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.trim().lines().collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(n)
        .map(|l| match l.char_indices().nth(200) {
            Some((i, _)) => format!("{}...", &l[..i]),
            None => (*l).to_owned(),
        })
        .collect();
    if lines.len() > n {
        out.push("... (more left out)".to_owned());
    }
    out.join("; ")
}
