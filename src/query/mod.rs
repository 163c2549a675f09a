//! The query language: parse (nom) -> resolve -> evaluate, and the answers it gives.
//!
//! The grammar is `grammar/query.ebnf`; its meaning, with examples that the tests run, is
//! `grammar/README.md`.

pub mod answer;
pub mod ast;
pub mod error;
mod eval;
pub mod examples;
mod limits;
mod parse;
mod plan;
mod resolve;
pub mod translate;
pub mod vocab;

use crate::graph::KnowledgeGraph;
use answer::Answer;
use ast::Span;
use error::QueryError;

pub use limits::Limits;

/// The longest query accepted, in bytes (the default of [`Limits::query_bytes`]).
pub const MAX_QUERY_BYTES: usize = 4096;
/// The deepest nesting of parentheses and chained selections (the default of
/// [`Limits::depth`]).
pub const MAX_DEPTH: usize = 32;
/// The most rows an answer (or any step of it) may have (the default of [`Limits::rows`]).
pub const MAX_ROWS: usize = 100_000;
/// The most witnesses kept per row (the default of [`Limits::witnesses`]).
pub const MAX_WITNESSES: usize = 4;
/// The most work one query may do (the default of [`Limits::work`]).
pub const MAX_WORK: usize = 50_000_000;
/// The most steps the evidence of one answer may list (the default of
/// [`Limits::evidence_steps`]).
pub const MAX_EVIDENCE_STEPS: usize = 5_000_000;
/// The longest path searched, in relations (the default of [`Limits::path_hops`]).
pub const MAX_PATH_HOPS: usize = 8;
/// The most paths `paths ... limit N` may ask for (the default of [`Limits::paths`]).
pub const MAX_PATHS: usize = 20;
/// How many paths `paths` finds without a limit.
pub const DEFAULT_PATHS: usize = 3;

/// A query parsed and resolved once, to run many times against the graph that prepared it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    text: String,
    ast: ast::Query,
    plan: plan::ResolvedQuery,
}

impl Prepared {
    /// The query text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The syntax tree.
    pub fn ast(&self) -> &ast::Query {
        &self.ast
    }

    /// The typed plan.
    pub fn plan(&self) -> &plan::ResolvedQuery {
        &self.plan
    }
}

impl KnowledgeGraph {
    /// The query language's vocabulary for this graph, built on first use.
    pub fn vocabulary(&self) -> &vocab::Vocabulary {
        self.vocab.get_or_init(|| vocab::Vocabulary::new(self))
    }

    /// Parses query text (syntax only; names are not looked up yet).
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let q = kg.parse("Side effects of  ZOMETA")?;
    /// assert_eq!(q.to_string(), "side effects of zometa");
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn parse(&self, text: &str) -> Result<ast::Query, QueryError> {
        parse::parse(self.vocabulary(), text, &Limits::DEFAULT)
    }

    /// Parses and resolves a query once, to [`run`](Self::run) it many times.
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let q = kg.prepare("therapies treating fracture")?;
    /// let first = kg.run(&q)?;
    /// assert_eq!(first, kg.run(&q)?);
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn prepare(&self, text: &str) -> Result<Prepared, QueryError> {
        self.prepare_with(text, &Limits::DEFAULT)
    }

    /// Parses and resolves a query within `limits` (the text's length, its nesting, how many
    /// paths it may ask for).
    pub fn prepare_with(&self, text: &str, limits: &Limits) -> Result<Prepared, QueryError> {
        self.prepare_unranked(text, limits)
            .map_err(|e| self.rank_rewrites(e))
    }

    /// Orders the rewrites a type error proposes: those that have answers first, at most
    /// three.
    fn rank_rewrites(&self, mut e: QueryError) -> QueryError {
        if e.kind != error::ErrorKind::TypeMismatch {
            return e;
        }
        let mut ranked: Vec<(bool, usize, String)> = e
            .suggestions
            .drain(..)
            .enumerate()
            .map(|(i, s)| {
                let answered = self
                    .prepare_unranked(&s, &Limits::DEFAULT)
                    .and_then(|p| self.run(&p))
                    .is_ok_and(|a| !a.is_empty());
                (!answered, i, s)
            })
            .collect();
        ranked.sort();
        e.suggestions = ranked.into_iter().take(3).map(|(_, _, s)| s).collect();
        e
    }

    fn prepare_unranked(&self, text: &str, limits: &Limits) -> Result<Prepared, QueryError> {
        let ast = parse::parse(self.vocabulary(), text, limits)?;
        let plan = resolve::resolve(self, self.vocabulary(), text, &ast, limits)?;
        Ok(Prepared {
            text: text.to_owned(),
            ast,
            plan,
        })
    }

    /// Runs a prepared query.
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let q = kg.prepare("symptoms caused by hypercalcemia")?;
    /// assert_eq!(kg.run(&q)?.len(), 5);
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn run(&self, prepared: &Prepared) -> Result<Answer, QueryError> {
        self.run_cancellable(prepared, None)
    }

    /// Runs a prepared query that another thread (or a signal handler) may cancel by setting
    /// `cancel`: evaluation checks it as it works and stops with
    /// [`ErrorKind::Cancelled`](error::ErrorKind::Cancelled).
    ///
    /// ```
    /// use std::sync::atomic::AtomicBool;
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let q = kg.prepare("therapies treating fracture")?;
    /// let stop = AtomicBool::new(true); // already set: the query stops at once
    /// let e = kg.run_cancellable(&q, Some(&stop)).unwrap_err();
    /// assert_eq!(e.kind, bonegraph::ErrorKind::Cancelled);
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn run_cancellable(
        &self,
        prepared: &Prepared,
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> Result<Answer, QueryError> {
        self.run_with(prepared, &Limits::DEFAULT, cancel)
    }

    /// Runs a prepared query within `limits` (rows, witnesses, work, evidence, path length),
    /// stopping with [`ErrorKind::Cancelled`](error::ErrorKind::Cancelled) if `cancel` is set
    /// while it runs. See [`Limits`] for an example.
    pub fn run_with(
        &self,
        prepared: &Prepared,
        limits: &Limits,
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> Result<Answer, QueryError> {
        eval::eval(self, &prepared.plan, limits, cancel).map_err(|mut e| {
            // Evaluation knows no text: its errors are about the whole query.
            e.span = Span::new(0, prepared.text.len());
            e
        })
    }

    /// Answers a query.
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let answer = kg.query("side effects of Zometa")?;
    /// let names = answer.names(kg);
    /// assert!(names.contains(&"osteonecrosis of the jaw"));
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn query(&self, text: &str) -> Result<Answer, QueryError> {
        self.run(&self.prepare(text)?)
    }
}
