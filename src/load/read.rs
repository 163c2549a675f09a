//! Reading a graph file: refusing what is not a bounded regular UTF-8 file, and turning RON's
//! syntax errors into positioned diagnostics.

use super::MAX_FILE_BYTES;
use super::progress::{Phase, Progress};
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::text::did_you_mean;
use std::path::Path;

/// How much is read at a time, between reports of progress.
const CHUNK: u64 = 8 << 20;

/// Reads a graph file as text, refusing files larger than [`MAX_FILE_BYTES`] or not UTF-8,
/// and anything that is not a regular file (see [`read_graph_file_limited`]).
pub fn read_graph_file(path: &Path) -> Result<String, Diagnostic> {
    read_graph_file_limited(path, MAX_FILE_BYTES)
}

/// Reads a graph file as text, refusing files larger than `limit` bytes or not UTF-8. A path
/// that names a directory, a named pipe, a socket or a device is refused before it is opened:
/// opening a pipe would wait for a writer, and a device such as `/dev/zero` never ends.
pub fn read_graph_file_limited(path: &Path, limit: u64) -> Result<String, Diagnostic> {
    read_limited(path, limit, &super::progress::ignore)
}

/// [`read_graph_file`], telling `progress` how many bytes are read (see
/// [`super::progress`]).
pub fn read_graph_file_with_progress(
    path: &Path,
    progress: &dyn Fn(Progress),
) -> Result<String, Diagnostic> {
    read_limited(path, MAX_FILE_BYTES, progress)
}

fn read_limited(
    path: &Path,
    limit: u64,
    progress: &dyn Fn(Progress),
) -> Result<String, Diagnostic> {
    let shown = path.display();
    let cannot = |e: &std::io::Error| {
        Diagnostic::error(Code::Io, format!("cannot read `{shown}`: {}", io_reason(e)))
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    not_a_file(path, &meta)?;
    if meta.len() > limit {
        return Err(too_large(path, meta.len(), limit));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    // What was opened may not be what was looked at, if the path changed in between.
    not_a_file(path, &file.metadata().map_err(|e| cannot(&e))?)?;
    // Read at most one byte past the limit, in case the file grows after the size check; in
    // chunks, so that progress can be told.
    let total = meta.len();
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or(0));
    let mut input = std::io::Read::take(file, limit + 1);
    loop {
        progress(Progress {
            phase: Phase::Reading,
            done: bytes.len() as u64,
            total: total.max(bytes.len() as u64),
        });
        // `read_to_end` retries an interrupted read itself.
        let got =
            std::io::Read::read_to_end(&mut std::io::Read::take(&mut input, CHUNK), &mut bytes)
                .map_err(|e| cannot(&e))?;
        if got == 0 {
            break;
        }
    }
    if bytes.len() as u64 > limit {
        return Err(Diagnostic::error(
            Code::TooLarge,
            format!("`{shown}` grew past {limit} bytes while it was read"),
        ));
    }
    decode_utf8(bytes)
}

fn too_large(path: &Path, len: u64, limit: u64) -> Diagnostic {
    Diagnostic::error(
        Code::TooLarge,
        format!(
            "`{}` is {len} bytes; the largest graph file accepted is {limit} bytes",
            path.display()
        ),
    )
    .hint("split the graph, or check that this is the right file")
}

/// Refuses what is not a regular file, saying what it is.
fn not_a_file(path: &Path, meta: &std::fs::Metadata) -> Result<(), Diagnostic> {
    if meta.is_file() {
        return Ok(());
    }
    let refuse = |what: &str, hint: &str| {
        Err(Diagnostic::error(
            Code::Io,
            format!("cannot read `{}`: it is {what}", path.display()),
        )
        .hint(hint))
    };
    const NOT_A_STREAM: &str = "a graph file is read whole, so it must be a file: save the graph \
         to a file and pass that";
    if meta.is_dir() {
        return refuse(
            "a directory",
            "pass the path of a graph file such as `graph.ron`",
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return refuse("a named pipe (FIFO), not a file", NOT_A_STREAM);
        }
        if kind.is_socket() {
            return refuse("a socket, not a file", NOT_A_STREAM);
        }
        if kind.is_char_device() {
            return refuse("a character device, not a file", NOT_A_STREAM);
        }
        if kind.is_block_device() {
            return refuse("a block device, not a file", NOT_A_STREAM);
        }
    }
    refuse("not a regular file", NOT_A_STREAM)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string().to_lowercase(),
    }
}

/// Turns bytes into text, or an error pointing at the first invalid byte.
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let text = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = super::spans::line_col(&text, text.len());
        Diagnostic::error(
            Code::InvalidUtf8,
            format!(
                "the file is not UTF-8 text (invalid byte 0x{:02x})",
                bytes[valid]
            ),
        )
        .at(Some(Location {
            line,
            column,
            width: 1,
        }))
        .hint("graph files are RON text in UTF-8; is this the right file?")
    })
}

pub(super) fn syntax_diagnostic(text: &str, e: &ron::error::SpannedError) -> Diagnostic {
    let start = e.span.start;
    let mut message = e.code.to_string();
    // ron's messages start with a capital and sometimes end with a period.
    if let Some(first) = message.get(..1) {
        message = first.to_lowercase() + &message[1..];
    }
    let message = message.trim_end_matches('.').to_owned();
    let (line, column) = if start.line == 0 {
        super::spans::line_col(text, text.len())
    } else {
        (start.line, start.col.max(1))
    };
    let at_end = offset_of(text, line, column).is_some_and(|offset| only_trivia(&text[offset..]));
    let hint = match &e.code {
        ron::Error::ExceededRecursionLimit => {
            Some("the file is nested too deeply to be a graph file".to_owned())
        }
        _ if at_end => {
            Some("the file ends early: is it truncated, or is a bracket left open?".to_owned())
        }
        ron::Error::NoSuchStructField { expected, .. } => {
            let found = message.split('`').nth(1).unwrap_or_default().to_owned();
            did_you_mean(&found, expected.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", expected.join(", "))))
        }
        _ => None,
    };
    Diagnostic::error(Code::Syntax, message)
        .at(Some(Location {
            line,
            column,
            width: 1,
        }))
        .maybe_hint(hint)
}

/// The byte offset of a 1-based line and character column, if it is inside `text`.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .nth(column - 1)
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + within)
}

/// Whether `text` holds nothing but whitespace and comments (and perhaps closing brackets
/// that ron stopped at).
pub(super) fn only_trivia(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim_start_matches([' ', '\t', '\r', ')', ']', '}', ',']);
        l.is_empty() || l.starts_with("//")
    })
}
