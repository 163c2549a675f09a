//! Query errors as data (kind, span, suggestions) and their rendering.
//!
//! The data keeps the exact text (JSON shows it as it is); the rendering and `Display` show
//! control characters escaped ([`crate::text::escape_control`]), since a message quotes the
//! user's input and names from the graph, either of which may hold terminal codes.

use super::ast::Span;
use crate::text::escape_control as esc;
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
    /// Words before `of` at the start of a question that are no attribute's label or id:
    /// `dosing intervall of zoledronic acid`.
    UnknownAttribute,
    /// A condition on a field that claims do not have, or a value no claim has:
    /// `therapies treating fracture where colour is red`.
    UnknownField,
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
    /// A plain question that no question form fits: `does it hurt?`. The error names the
    /// words of the graph it found and suggests canonical queries about them.
    NotUnderstood,
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
            ErrorKind::UnknownAttribute => "unknown-attribute",
            ErrorKind::UnknownField => "unknown-field",
            ErrorKind::AmbiguousName => "ambiguous-name",
            ErrorKind::TypeMismatch => "type-mismatch",
            ErrorKind::TooLong => "too-long",
            ErrorKind::TooDeep => "too-deep",
            ErrorKind::LimitExceeded => "limit-exceeded",
            ErrorKind::NotTranslatable => "not-translatable",
            ErrorKind::NotUnderstood => "not-understood",
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

    /// Renders the error under the query through the one diagnostic renderer
    /// ([`crate::diagnostic::render`]): the message, the query with the span underlined, and
    /// the help line (control characters escaped):
    ///
    /// ```text
    /// error: unknown entity `fractur`
    ///   |
    /// 1 | therapies treating fractur
    ///   |                    ^^^^^^^
    ///   |
    ///   = help: did you mean `fracture`?
    /// ```
    pub fn render(&self, query: &str) -> String {
        crate::diagnostic::render(&self.report(query), false)
    }

    /// The error as the diagnostic renderer takes it, pointing into `query`.
    pub fn report<'a>(&'a self, query: &'a str) -> crate::diagnostic::Report<'a> {
        let primary = (!query.is_empty())
            .then(|| self.span.start.min(query.len())..self.span.end.min(query.len()));
        crate::diagnostic::Report {
            severity: crate::diagnostic::Severity::Error,
            code: None,
            message: &self.message,
            origin: None,
            source: (!query.is_empty()).then_some(crate::diagnostic::SourceText {
                text: query,
                first_line: 1,
            }),
            primary,
            labels: Vec::new(),
            help: self.help_line(),
        }
    }

    /// The help line: the advice if there is some, else the suggestions as a question.
    pub fn help_line(&self) -> Option<String> {
        match (self.suggestions.as_slice(), &self.help) {
            (_, Some(help)) => Some(help.clone()),
            ([one], None) => Some(format!("did you mean `{one}`?")),
            ([], None) => None,
            (many, None) => {
                let list: Vec<String> = many.iter().map(|s| format!("`{s}`")).collect();
                Some(format!("did you mean one of {}?", list.join(", ")))
            }
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
