//! Piped input: one query or `:command` a line, no prompt. Lines are read with a bound, so a
//! line longer than [`MAX_LINE_BYTES`] is reported (by its number) as soon as it is seen to be
//! too long and skipped unread: no line is ever held in memory whole, however long.

use super::error::ShellError;
use super::{Broken, Ended, Flow, Session};
use std::io::{self, BufRead, Write};

/// The longest line piped input may have, in bytes. A longer line is skipped without being
/// held in memory: no query may be longer than 4 KiB, and no path this long opens.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// Runs a session over lines from `input` (no prompt) until the input
/// ends, `:quit`, or a stream fails; a broken pipe stops it at once. A line longer than
/// [`MAX_LINE_BYTES`] is reported (by its number) as soon as it is seen to be too long and
/// skipped unread, so no line is ever held in memory whole, however long.
pub fn run_lines<R: BufRead, W: Write, E: Write>(session: &mut Session<W, E>, input: R) -> Ended {
    let broken = lines_until_broken(session, input).err();
    Ended {
        failures: session.failures,
        broken,
    }
}

fn lines_until_broken<R: BufRead, W: Write, E: Write>(
    session: &mut Session<W, E>,
    mut input: R,
) -> Result<(), Broken> {
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        line_no += 1;
        match read_bounded_line(&mut input, &mut buf, MAX_LINE_BYTES).map_err(Broken::Input)? {
            Line::End => return Ok(()),
            Line::TooLong { ended } => {
                session.failures += 1;
                session.error(&ShellError::LineTooLong {
                    line: line_no,
                    max: MAX_LINE_BYTES,
                })?;
                if !ended && !skip_line(&mut input).map_err(Broken::Input)? {
                    return Ok(());
                }
            }
            Line::Read => {
                let Ok(line) = std::str::from_utf8(&buf) else {
                    session.failures += 1;
                    session.error(&ShellError::InvalidUtf8(line_no))?;
                    continue;
                };
                let (flow, _) = session.handle(line.trim_end_matches(['\n', '\r']))?;
                if flow == Flow::Quit {
                    return Ok(());
                }
            }
        }
    }
}

/// What [`read_bounded_line`] found.
enum Line {
    /// A whole line (with its newline, if it had one) is in the buffer.
    Read,
    /// The line is longer than the limit; what was read of it is discarded, and the rest is
    /// still to be read unless it `ended`.
    TooLong {
        /// Whether its newline was read too.
        ended: bool,
    },
    /// The input has ended.
    End,
}

/// Reads one line into `buf`, or finds that it is longer than `max` bytes (not counting its
/// newline) without reading more than that of it.
fn read_bounded_line<R: BufRead>(input: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(if buf.is_empty() {
                Line::End
            } else {
                Line::Read
            });
        }
        let (take, complete) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let content = take - usize::from(complete);
        if buf.len() + content > max {
            buf.clear();
            // The newline, if in this chunk, is consumed: the line is over.
            input.consume(take);
            return Ok(Line::TooLong { ended: complete });
        }
        buf.extend_from_slice(&chunk[..take]);
        input.consume(take);
        if complete {
            return Ok(Line::Read);
        }
    }
}

/// Discards input up to and including the next newline, a buffer at a time. Returns whether
/// there was one (`false`: the input ended first).
fn skip_line<R: BufRead>(input: &mut R) -> io::Result<bool> {
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(false);
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(true);
            }
            None => {
                let n = chunk.len();
                input.consume(n);
            }
        }
    }
}
