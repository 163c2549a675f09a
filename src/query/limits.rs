//! The bounds a query runs within, as a value: a program embedding the engine picks its own
//! (a server might allow less work per question than the shell does).

/// The bounds on one query: how long its text may be, how deep it may nest, how many rows,
/// witnesses, steps of work and steps of evidence its answer may take, and how far a path
/// may go. [`Limits::default`] is what the command line and the shell use; every field is
/// documented in README.md ("Limits and robustness").
///
/// ```
/// use bonegraph::{ErrorKind, KnowledgeGraph, Limits};
/// let kg = KnowledgeGraph::embedded();
/// let strict = Limits { rows: 3, ..Limits::default() };
/// let q = kg.prepare_with("things that are therapies", &strict)?;
/// let e = kg.run_with(&q, &strict, None).unwrap_err();
/// assert_eq!(e.kind, ErrorKind::LimitExceeded);
/// assert_eq!(e.message, "the answer has more than 3 rows");
/// # Ok::<(), bonegraph::QueryError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limits {
    /// The longest query accepted, in bytes.
    pub query_bytes: usize,
    /// The deepest nesting of parentheses and chained selections.
    pub depth: usize,
    /// The most rows an answer (or any step of it) may have.
    pub rows: usize,
    /// The most witnesses kept per row (the others are dropped).
    pub witnesses: usize,
    /// The most work one query may do: edges and hierarchy steps visited, reasons spelt out.
    pub work: usize,
    /// The most steps the evidence of one answer may list, all rows and witnesses together.
    pub evidence_steps: usize,
    /// The longest path searched, in relations.
    pub path_hops: usize,
    /// The most paths `paths ... limit N` may ask for.
    pub paths: usize,
    /// Whether an unknown name looks for a did-you-mean among the graph's names (each search
    /// does at most [`crate::text::SUGGEST_BUDGET`] work: milliseconds on a graph of 100,000
    /// names). The question layer first tries a text as a canonical query without it.
    pub suggest_names: bool,
}

impl Limits {
    /// The bounds the command line and the shell use.
    pub const DEFAULT: Limits = Limits {
        query_bytes: super::MAX_QUERY_BYTES,
        depth: super::MAX_DEPTH,
        rows: super::MAX_ROWS,
        witnesses: super::MAX_WITNESSES,
        work: super::MAX_WORK,
        evidence_steps: super::MAX_EVIDENCE_STEPS,
        path_hops: super::MAX_PATH_HOPS,
        paths: super::MAX_PATHS,
        suggest_names: true,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
