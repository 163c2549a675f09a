//! Query errors as data (kind, span, suggestions) and their rendering.
//!
//! The data keeps the exact text (JSON shows it as it is); the rendering and `Display` show
//! control characters escaped ([`crate::text::escape_control`]), since a message quotes the
//! user's input and names from the graph, either of which may hold terminal codes.

use super::ast::Span;
use crate::text::{columns, escape_control as esc};
use std::fmt;

/// What went wrong with a query. Each variant's doc shows a query that triggers it
/// (against the embedded graph).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The words are not in an order the grammar allows: `therapies treating`.
    Syntax,
    /// A name that is no entity's name or alias: `therapies treating fractur`.
    UnknownEntity,
    /// A word where a kind word was needed that is no kind: `therapys treating fracture`.
    UnknownKind,
    /// A word where a phrase was needed that is no phrase: `therapies healing fracture`.
    UnknownPhrase,
    /// A name that several entities answer to.
    AmbiguousName,
    /// A phrase used with kinds its relation does not connect: `symptoms treating fracture`.
    TypeMismatch,
    /// The query is longer than [`super::MAX_QUERY_BYTES`].
    TooLong,
    /// Parentheses or chains nested deeper than [`super::MAX_DEPTH`].
    TooDeep,
    /// A bound on evaluation was exceeded: `paths from a to b limit 1000`.
    LimitExceeded,
    /// A query the target language cannot say: `path from a to b` in SPARQL.
    NotTranslatable,
    /// The caller cancelled the query while it ran (Ctrl-C in the shell): see
    /// [`crate::KnowledgeGraph::run_cancellable`].
    Cancelled,
}

impl ErrorKind {
    /// The stable kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownEntity => "unknown-entity",
            ErrorKind::UnknownKind => "unknown-kind",
            ErrorKind::UnknownPhrase => "unknown-phrase",
            ErrorKind::AmbiguousName => "ambiguous-name",
            ErrorKind::TypeMismatch => "type-mismatch",
            ErrorKind::TooLong => "too-long",
            ErrorKind::TooDeep => "too-deep",
            ErrorKind::LimitExceeded => "limit-exceeded",
            ErrorKind::NotTranslatable => "not-translatable",
            ErrorKind::Cancelled => "cancelled",
        }
    }
}

/// An error in a query: what, where, and what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("{}", esc(.message))]
pub struct QueryError {
    /// What kind of error.
    pub kind: ErrorKind,
    /// What went wrong, lowercase, user text in backticks.
    pub message: String,
    /// The part of the query at fault.
    pub span: Span,
    /// Replacements to offer (`fracture`, or a whole rewritten query).
    pub suggestions: Vec<String>,
    /// A sentence of advice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl QueryError {
    /// An error with no suggestions or help.
    pub fn new(kind: ErrorKind, message: impl Into<String>, span: Span) -> Self {
        QueryError {
            kind,
            message: message.into(),
            span,
            suggestions: Vec::new(),
            help: None,
        }
    }

    /// Adds suggestions.
    pub fn suggest(mut self, suggestions: impl IntoIterator<Item = String>) -> Self {
        self.suggestions.extend(suggestions);
        self
    }

    /// Sets the help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the error under the query, with a caret line under the span (the query,
    /// message, suggestions and help with their control characters escaped, the caret under
    /// the escaped text):
    ///
    /// ```text
    /// error: unknown entity `fractur`
    ///   therapies treating fractur
    ///                      ^^^^^^^
    /// help: did you mean `fracture`?
    /// ```
    pub fn render(&self, query: &str) -> String {
        let mut out = format!("error: {}\n", esc(&self.message));
        // Long or multi-line queries are shown around the span only.
        let (shown, offset) = excerpt(query, self.span);
        if !shown.is_empty() {
            let start = self.span.start.saturating_sub(offset).min(shown.len());
            let end = self
                .span
                .end
                .saturating_sub(offset)
                .clamp(start, shown.len());
            // Columns, not characters: a combining mark (an accent typed in NFD) takes none, an
            // escaped control character as many as its escape.
            let lead = columns(&shown[..start]);
            let width = columns(&shown[start..end]).max(1);
            out.push_str(&format!(
                "  {}\n  {}{}\n",
                esc(&shown),
                " ".repeat(lead),
                "^".repeat(width)
            ));
        }
        match (self.suggestions.as_slice(), &self.help) {
            (_, Some(help)) => out.push_str(&format!("help: {}\n", esc(help))),
            ([one], None) => out.push_str(&format!("help: did you mean `{}`?\n", esc(one))),
            ([], None) => {}
            (many, None) => {
                let list: Vec<String> = many.iter().map(|s| format!("`{}`", esc(s))).collect();
                out.push_str(&format!("help: did you mean one of {}?\n", list.join(", ")));
            }
        }
        out
    }
}

/// The line of `query` holding `span`, cut to at most 100 characters around it, and the byte
/// offset where the excerpt starts.
fn excerpt(query: &str, span: Span) -> (String, usize) {
    let at = span.start.min(query.len());
    let line_start = query[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = query[at..].find('\n').map_or(query.len(), |i| at + i);
    let line = &query[line_start..line_end];
    if line.chars().count() <= 100 {
        return (line.to_owned(), line_start);
    }
    // Keep up to 40 characters before the span and 60 after its start.
    let rel = at - line_start;
    let mut from = rel;
    for _ in 0..40 {
        match line[..from].char_indices().next_back() {
            Some((i, _)) => from = i,
            None => break,
        }
    }
    let mut to = rel;
    for (n, (i, c)) in line[rel..].char_indices().enumerate() {
        if n == 60 {
            break;
        }
        to = rel + i + c.len_utf8();
    }
    (line[from..to].to_owned(), line_start + from)
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
