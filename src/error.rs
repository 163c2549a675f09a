//! One error type for everything the library can refuse: a graph that does not load, or a
//! query that cannot be answered. Both carry what is wrong, where, and what to do instead.

use crate::diagnostic::{LoadError, Severity};
use crate::query::ast::Span;
use crate::query::error::QueryError;

/// Anything the library can refuse.
///
/// ```
/// fn answer(q: &str) -> Result<usize, bonegraph::Error> {
///     let kg = bonegraph::KnowledgeGraph::from_str(bonegraph::EMBEDDED_GRAPH)?;
///     Ok(kg.query(q)?.len())
/// }
/// let e = answer("therapies treating fractur").unwrap_err();
/// assert_eq!(e.kind(), "unknown-entity");
/// assert_eq!(e.suggestions(), ["fracture"]);
/// assert!(e.render("query", "therapies treating fractur").contains("^^^^^^^"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A graph file (or built graph) with errors.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A query that cannot be answered as written.
    #[error(transparent)]
    Query(#[from] QueryError),
}

impl Error {
    /// A stable kebab-case name for the kind of error (`unknown-entity`, `dangling-id`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Load(e) => e
                .errors()
                .next()
                .map_or("invalid-graph", |d| d.code.as_str()),
            Error::Query(e) => e.kind.as_str(),
        }
    }

    /// Where in the query text the error is, for query errors.
    pub fn span(&self) -> Option<Span> {
        match self {
            Error::Query(e) => Some(e.span),
            Error::Load(_) => None,
        }
    }

    /// Replacements to offer the user.
    pub fn suggestions(&self) -> Vec<String> {
        match self {
            Error::Query(e) => e.suggestions.clone(),
            Error::Load(e) => e.errors().filter_map(|d| d.hint.clone()).collect(),
        }
    }

    /// Renders the error for a person: for a query, the query with a caret line under the
    /// fault; for a graph, every error with its line and column in `name`. `text` is the query
    /// or the graph file's contents.
    pub fn render(&self, name: &str, text: &str) -> String {
        match self {
            Error::Query(e) => e.render(text),
            Error::Load(e) => e
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.render(name, Some(text)))
                .collect(),
        }
    }
}
