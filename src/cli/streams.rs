//! Standard output and standard error for the command line. Nothing here panics (`print!`
//! and `eprint!` do when a write fails, and a full disk or a closed terminal is no reason for
//! a backtrace); a reader that went away (a closed pipe, as with `| head`) is not an error;
//! and a failure to write standard error is remembered, so that the process exits 3 having
//! no way left to say why.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set when writing to standard error failed for a reason other than a closed pipe.
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Whether writing to standard error has failed (not counting a closed pipe).
pub fn stderr_failed() -> bool {
    STDERR_FAILED.load(Ordering::SeqCst)
}

/// Writes a rendered diagnostic to standard error as it is: the renderer has escaped what it
/// quotes, and may have coloured it.
pub fn write_rendered(text: &str) {
    let mut err = std::io::stderr().lock();
    let written = err
        .write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                err.write_all(b"\n")
            }
        })
        .and_then(|()| err.flush());
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        STDERR_FAILED.store(true, Ordering::SeqCst);
    }
}

/// Writes a note that is not an error (why an answer is empty, what the source says against
/// it) to standard error. It quotes graph text and what the user typed, so control characters
/// never go out raw.
pub fn note(text: &str) {
    write_rendered(&bonegraph::text::escape_lines(text));
}

/// Writes `bytes` to standard output. A reader that stopped early (`| head`) is not an error.
pub fn to_stdout(bytes: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}
