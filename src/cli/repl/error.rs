//! What the shell reports, as data: mistakes in meta-commands, queries that fail, files that
//! do not load or cannot be written, piped lines it skips, and warnings about the history
//! file. Each is rendered once, through the one diagnostic renderer, by the session.

use crate::diagnostics::{QueryFailure, message};
use crate::fsutil::{WriteError, describe_io_error};
use crate::load::LoadFailure;
use bonegraph::diagnostic::Severity;
use std::path::PathBuf;

/// A problem the shell reports on a line (or, for the history file, once). Each variant's doc
/// shows a line that triggers it.
#[derive(Debug, thiserror::Error)]
pub enum ShellError {
    /// `:` and nothing after it.
    #[error("a command name must follow `:`")]
    NoCommandName,
    /// `:shema`.
    #[error("unknown command `:{name}`")]
    UnknownCommand {
        /// The name as typed (lowercase).
        name: String,
        /// The nearest command, if one is near.
        suggestion: Option<&'static str>,
    },
    /// `:s` (schema, sources, stats, sparql).
    #[error("`:{prefix}` could be {}", .commands.iter().map(|c| format!("`:{c}`")).collect::<Vec<_>>().join(", "))]
    AmbiguousCommand {
        /// The prefix as typed (lowercase).
        prefix: String,
        /// The commands it starts.
        commands: Vec<String>,
    },
    /// `:once` with no file.
    #[error("`:once` needs a file")]
    OnceNeedsFile,
    /// `:output /no/such/dir/x.txt`.
    #[error("cannot write to `{path}`: {reason}")]
    Output {
        /// The file as typed.
        path: String,
        /// Why, lowercase.
        reason: String,
    },
    /// `:read` with no file.
    #[error("`:read` needs a file")]
    ReadNeedsFile,
    /// `:read missing.bg`, or a file that reads itself too deeply.
    #[error("cannot read `{path}`: {reason}")]
    Read {
        /// The file as typed.
        path: String,
        /// Why, lowercase.
        reason: String,
    },
    /// `:timer maybe`.
    #[error("`:{command}` takes `on` or `off`")]
    OnOrOff {
        /// The command's name.
        command: &'static str,
    },
    /// `:kinds extra`.
    #[error("`:{command}` takes no arguments")]
    NoArguments {
        /// The command's name.
        command: &'static str,
    },
    /// `:explain x`.
    #[error("`:explain` takes a row number")]
    NotARowNumber,
    /// `:format yaml`.
    #[error("unknown format `{0}`")]
    UnknownFormat(String),
    /// `:load` without a file.
    #[error("`:load` needs a file")]
    LoadNeedsFile,
    /// `:dot >` without a file.
    #[error("`>` needs a file name after it")]
    RedirectNeedsFile,
    /// `:help bogus`.
    #[error("no help on `{0}`")]
    UnknownHelpTopic(String),
    /// `:schema nonsense`.
    #[error("no relation `{name}`")]
    UnknownRelation {
        /// The relation as typed.
        name: String,
        /// The nearest relation type, if one is near.
        suggestion: Option<String>,
    },
    /// `:explain 1` (or `:why`, `:sources`, `:dot`) before any question.
    #[error("no answer yet")]
    NoAnswerYet,
    /// `:explain 9` after an answer of 6 rows.
    #[error("the last answer has {rows} row{}", if *.rows == 1 { "" } else { "s" })]
    NoSuchRow {
        /// How many rows it has.
        rows: usize,
    },
    /// `:explain 9` after an answer of 3 paths.
    #[error("the last answer has {paths} path{}", if *.paths == 1 { "" } else { "s" })]
    NoSuchPath {
        /// How many paths it has.
        paths: usize,
    },
    /// A query that cannot be answered or translated as written: `xyzzy`, `:sparql path from
    /// a to b`.
    #[error("{}", .0.error.message)]
    Query(QueryFailure),
    /// `:dot count things`.
    #[error("a count has no evidence to draw")]
    CountHasNoEvidence,
    /// `:load missing.ron`; the graph in use stays.
    #[error("cannot load `{}`", .failure.label)]
    Load {
        /// Every error of the file.
        failure: LoadFailure,
        /// What messages call the graph still in use.
        kept: String,
    },
    /// `:dot > /tmp`.
    #[error(transparent)]
    Write(WriteError),
    /// A piped line longer than the line limit.
    #[error("line {line} is longer than {max} bytes; skipped")]
    LineTooLong {
        /// The line's number, from 1.
        line: usize,
        /// The limit.
        max: usize,
    },
    /// A piped line that is not UTF-8: the byte `0xff`.
    #[error("line {0} is not valid UTF-8 text; skipped")]
    InvalidUtf8(usize),
    /// Ctrl-C while a query runs: not a failed line.
    #[error("{0} (Ctrl-C)")]
    Cancelled(String),
    /// `BONEGRAPH_HISTORY` names a file that cannot be read (no permission).
    #[error(
        "cannot read the history file `{}`: {}; history is not kept",
        .path.display(),
        describe_io_error(.source)
    )]
    HistoryUnreadable {
        /// The history file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The history file is larger than the shell reads.
    #[error(
        "the history file `{}` is {size} bytes, more than the {max} read; it is left alone and \
         history is not kept",
        .path.display()
    )]
    HistoryTooLarge {
        /// The history file.
        path: PathBuf,
        /// Its size in bytes.
        size: u64,
        /// The most that is read.
        max: u64,
    },
    /// `BONEGRAPH_HISTORY` names a directory or a FIFO.
    #[error(
        "the history file `{}` is not a regular file (a directory, a pipe or a device); history \
         is not kept",
        .0.display()
    )]
    HistoryNotAFile(PathBuf),
    /// Saving the history failed (a full disk); said once, then the shell goes on without.
    #[error("history is not saved: {0}")]
    HistoryNotSaved(WriteError),
    /// The pager would not start; the answer is printed, and paging is off from then on.
    #[error("the pager `{0}` did not start; answers are printed without it")]
    PagerMissing(String),
}

impl ShellError {
    /// Whether this stops the line (an error) or is only worth knowing (a warning).
    pub fn severity(&self) -> Severity {
        match self {
            ShellError::HistoryUnreadable { .. }
            | ShellError::HistoryTooLarge { .. }
            | ShellError::HistoryNotAFile(_)
            | ShellError::HistoryNotSaved(_)
            | ShellError::PagerMissing(_) => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What to do about it.
    pub fn help(&self) -> Option<String> {
        let text = match self {
            ShellError::NoCommandName => "`:help` lists the commands",
            ShellError::UnknownCommand {
                suggestion: Some(s),
                ..
            } => return Some(format!("did you mean `:{s}`?")),
            ShellError::UnknownCommand {
                suggestion: None, ..
            } => "`:help` lists the commands",
            ShellError::AmbiguousCommand { .. } => "type more of the name",
            ShellError::OnOrOff { command } => return Some(format!("as in `:{command} off`")),
            ShellError::PagerMissing(_) => {
                "set PAGER to a pager that is installed, or `:pager off`"
            }
            ShellError::ReadNeedsFile => "as in `:read queries.txt`",
            ShellError::OnceNeedsFile => "as in `:once answer.csv`",
            ShellError::Output { .. } => return None,
            ShellError::Read { .. } => return None,
            ShellError::NotARowNumber => "as in `:explain 1`",
            ShellError::UnknownFormat(_) => "use table, json, plain, csv, markdown or line",
            ShellError::LoadNeedsFile => "as in `:load graph.ron`",
            ShellError::RedirectNeedsFile => "as in `:dot > answer.dot`",
            ShellError::UnknownHelpTopic(_) => {
                return Some(format!("topics: {}", super::help::TOPICS.join(", ")));
            }
            ShellError::UnknownRelation {
                suggestion: Some(s),
                ..
            } => return Some(format!("did you mean `{s}`?")),
            ShellError::UnknownRelation {
                suggestion: None, ..
            } => "`:schema` lists them all",
            ShellError::NoAnswerYet => "ask a question first",
            ShellError::NoSuchRow { .. } | ShellError::NoSuchPath { .. } => {
                "`:explain 1` explains the first"
            }
            ShellError::CountHasNoEvidence => "ask without `count`",
            ShellError::LineTooLong { .. } => {
                return Some(format!(
                    "a query is at most {} bytes; give one query or command a line",
                    bonegraph::query::MAX_QUERY_BYTES
                ));
            }
            ShellError::HistoryTooLarge { .. } => "set BONEGRAPH_HISTORY to another file",
            ShellError::HistoryNotAFile(_) => {
                "set BONEGRAPH_HISTORY to a file, or to /dev/null to keep no history"
            }
            ShellError::Write(e) | ShellError::HistoryNotSaved(e) => {
                return e.help().map(str::to_owned);
            }
            ShellError::NoArguments { .. }
            | ShellError::Query(_)
            | ShellError::Load { .. }
            | ShellError::InvalidUtf8(_)
            | ShellError::Cancelled(_)
            | ShellError::HistoryUnreadable { .. } => return None,
        };
        Some(text.to_owned())
    }

    /// The problem as the user sees it, coloured if `styled`: a query error under its query,
    /// the errors of a file that did not load with their lines, anything else as a message
    /// and a help line.
    pub fn render(&self, styled: bool) -> String {
        match self {
            ShellError::Query(failure) => failure.render(styled),
            ShellError::Load { failure, kept } => {
                // The errors, then what the shell did about them: nothing changed.
                let mut out = failure.render(styled);
                out.push_str(&bonegraph::text::escape_lines(&format!(
                    "the graph in use is unchanged ({kept})\n"
                )));
                out
            }
            other => message(
                other.severity(),
                &other.to_string(),
                other.help().as_deref(),
                styled,
            ),
        }
    }
}
