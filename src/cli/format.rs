//! How answers are printed: the three answer formats the command line and the shell share,
//! and a query error as JSON (in JSON the error is the answer).

use bonegraph::KnowledgeGraph;
use bonegraph::query::answer::Answer;

/// Output format for answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per answer with name, kind and the main evidence.
    Table,
    /// One JSON object per answer.
    Json,
    /// Names only, one per line.
    Plain,
}

impl Format {
    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Plain => "plain",
        }
    }

    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 3] = [Format::Table, Format::Json, Format::Plain];
}

/// The answer to one query, as a user sees it in `format`.
pub fn render_answer(kg: &KnowledgeGraph, answer: &Answer, query: &str, format: Format) -> String {
    match format {
        Format::Table => answer.to_table(kg),
        Format::Plain => answer.to_plain(kg),
        Format::Json => answer.to_json(kg, query).to_string() + "\n",
    }
}

/// A query error as JSON: `{"query", "error": {"kind", "message", "span", "suggestions", "help"}}`.
pub fn error_json(query: &str, e: &bonegraph::QueryError) -> String {
    serde_json::json!({ "query": query, "error": {
        "kind": e.kind,
        "message": e.message,
        "span": [e.span.start, e.span.end],
        "suggestions": e.suggestions,
        "help": e.help,
    }})
    .to_string()
        + "\n"
}
