//! The application's side of the one diagnostic renderer: every error and warning the
//! program prints (the command line's, the shell's, load and query errors) becomes a
//! [`Report`] and is rendered by [`bonegraph::diagnostic::render`], which escapes control
//! characters and colours only when asked. This module builds the reports the application
//! needs that the library does not (a message with a help line and nothing to quote) and
//! decides when to colour.

use bonegraph::QueryError;
use bonegraph::diagnostic::{Report, Severity, render};
use std::io::IsTerminal;

/// Whether to colour what goes to a stream: as `--color` says, and with `auto` (the default)
/// as the environment and the stream say (see [`Colour`]).
pub fn colour_for(stream: &impl IsTerminal) -> bool {
    let choice = match COLOUR.load(std::sync::atomic::Ordering::Relaxed) {
        1 => Colour::Always,
        2 => Colour::Never,
        _ => Colour::Auto,
    };
    match choice {
        Colour::Always => true,
        Colour::Never => false,
        Colour::Auto => {
            colour_by_environment(|name| std::env::var(name).ok(), stream.is_terminal())
        }
    }
}

/// `--color`: when to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Colour {
    /// On a terminal, unless the environment says otherwise (NO_COLOR, CLICOLOR=0,
    /// TERM=dumb; CLICOLOR_FORCE colours even when not a terminal).
    Auto,
    /// Always, even into a file or a pipe.
    Always,
    /// Never.
    Never,
}

/// The `--color` choice: 0 auto, 1 always, 2 never.
static COLOUR: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Sets the `--color` choice for the rest of the run.
pub fn set_colour(choice: Colour) {
    let n = match choice {
        Colour::Auto => 0,
        Colour::Always => 1,
        Colour::Never => 2,
    };
    COLOUR.store(n, std::sync::atomic::Ordering::Relaxed);
}

/// The conventions most command-line tools share (no-color.org, bixense.com/clicolors):
/// `NO_COLOR` (non-empty) turns colour off; then `CLICOLOR_FORCE` (not `0`) turns it on;
/// then `TERM=dumb` or `CLICOLOR=0` turn it off; else colour exactly on a terminal.
fn colour_by_environment(var: impl Fn(&str) -> Option<String>, terminal: bool) -> bool {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if var("TERM").as_deref() == Some("dumb") || var("CLICOLOR").as_deref() == Some("0") {
        return false;
    }
    terminal
}

#[cfg(test)]
mod tests {
    use super::colour_by_environment;

    #[test]
    fn colour_follows_no_color_clicolor_and_term() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(colour_by_environment(env(&[]), true));
        assert!(!colour_by_environment(env(&[]), false));
        assert!(!colour_by_environment(
            env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
            true
        ));
        assert!(colour_by_environment(env(&[("NO_COLOR", "")]), true));
        assert!(colour_by_environment(
            env(&[("CLICOLOR_FORCE", "1")]),
            false
        ));
        assert!(!colour_by_environment(
            env(&[("CLICOLOR_FORCE", "0")]),
            false
        ));
        assert!(!colour_by_environment(env(&[("TERM", "dumb")]), true));
        assert!(!colour_by_environment(env(&[("CLICOLOR", "0")]), true));
    }
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
