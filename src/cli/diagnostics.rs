//! The application's side of the one diagnostic renderer: every error and warning the
//! program prints (the command line's, the shell's, load and query errors) becomes a
//! [`Report`] and is rendered by [`bonegraph::diagnostic::render`], which escapes control
//! characters and colours only when asked. This module builds the reports the application
//! needs that the library does not (a message with a help line and nothing to quote) and
//! decides when to colour.

use bonegraph::QueryError;
use bonegraph::diagnostic::{Report, Severity, render};
use std::io::IsTerminal;

/// Whether to colour what goes to a stream: only a terminal, and only when `NO_COLOR` is unset
/// (or empty, as no-color.org says).
pub fn colour_for(stream: &impl IsTerminal) -> bool {
    stream.is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A problem with nothing to quote: its message and what to do about it.
pub fn message(severity: Severity, message: &str, help: Option<&str>, styled: bool) -> String {
    render(
        &Report {
            severity,
            code: None,
            message,
            origin: None,
            source: None,
            primary: None,
            labels: Vec::new(),
            help: help.map(str::to_owned),
        },
        styled,
    )
}

/// A query that failed, with the text it failed on (the error points into it).
#[derive(Debug)]
pub struct QueryFailure {
    /// The query as the user typed it.
    pub query: String,
    /// What is wrong with it.
    pub error: QueryError,
}

impl QueryFailure {
    /// The error under its query.
    pub fn render(&self, styled: bool) -> String {
        render(&self.error.report(&self.query), styled)
    }
}
