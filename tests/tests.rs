//! bonegraph's integration tests: one binary, organised by topic.
//!
//! Where new tests go:
//! - `attributes`: attribute questions (`dosing interval of X`) and conditions on claims
//!   (`... where frequency is rare`): transcripts on the embedded and tiny graphs, inherited
//!   and conflicting values, empty reasons, bad input, JSON, `:explain`, DOT, translations.
//! - `validation`: graph files with a known problem and the exact report `check` gives.
//! - `facts`: what the embedded graph says, asserted through the library API, by article part.
//! - `cli`: the `bonegraph` binary as a user runs it (arguments, exit codes, output).
//! - `dot`: pictures (checked by Graphviz) and the JSON export.
//! - `inheritance`: what members inherit from classes (rules per qualifier, `via`, cards),
//!   inferences kept out of answers, conflicts beside answers, and the inheritance lints, on a
//!   graph of another domain.
//! - `interchange`: export to RDF (N-Triples, Turtle), Cypher (Neo4j, Kuzu) and CSV, parsed
//!   back, golden on the tiny graph, and loaded into Kuzu where it is installed.
//! - `parquet` (feature `parquet`): the tables for SQL engines, `export parquet -o DIR`: the
//!   Parquet files and the CSV files read back value for value, the scripts golden on the tiny
//!   graph, refusals, and DuckDB running `duckdb.sql` where Python's `duckdb` is installed.
//! - `io_safety`: standard streams that fail or close, piped lines past the limit, files
//!   written safely (devices, FIFOs, symlinks, permissions, long names), graph input that is
//!   not a file, signals during writes, and the limits on rendering.
//! - `library`: the public API as an embedder uses it.
//! - `limits`: every documented limit, at and beyond.
//! - `query`: the query language: required answers, grammar corpus, README examples,
//!   transcripts, output formats and properties.
//! - `questions`: plain questions: the corpus in tests/questions/ (reading, rows, refusals)
//!   and the question layer's properties.
//! - `repl`: the shell: helper methods, session transcripts (in-process and piped), tmux.
//! - `robustness`: hostile input files: empty, truncated, garbage, deeply nested.
//! - `shapes`: hostile shapes of a schema and a hierarchy (long parent chains and loops, long
//!   and looping `is_a` chains, huge ids): bounded reports, linear work.
//! - `snapshot`: the compiled snapshot: round trips through it answer the whole corpus as the
//!   graph file does; truncated, damaged, version-mismatched, foreign and forged snapshots are
//!   refused; `bonegraph compile` and `--graph FILE.bgs`.
//! - `soundness`: answers on the embedded graph that must not say more than the article, and
//!   the audit (docs/audit.md) that ties every claim to it.
//! - `text_safety`: text that is huge, oddly encoded or hostile: did-you-mean budgets, NFC
//!   names, control characters escaped by every text printer.
//! - `translate`: queries translated to SPARQL and Cypher (text and refusals).
//!
//! Helpers shared by several topics live in `util`; `domain_words` holds the words only the
//! embedded graph uses, for tests that the shell names none of them on another graph (shared
//! with src/cli/repl/tests.rs).

mod domain_words;
mod util;

mod attributes;
mod cli;
mod dot;
mod facts;
mod inheritance;
mod interchange;
mod io_safety;
mod library;
mod limits;
#[cfg(feature = "parquet")]
mod parquet;
mod query;
mod questions;
mod repl;
mod robustness;
mod shapes;
mod snapshot;
mod soundness;
mod text_safety;
mod translate;
mod validation;
