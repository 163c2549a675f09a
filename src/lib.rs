//! bonegraph: a typed knowledge graph and query engine about lung cancer that has spread to
//! bone.
//!
//! The knowledge comes from one patient-education article, recorded in `graph.ron` with its
//! provenance (source and section), hedges and numbers, and compiled into this crate. It is a
//! record of what that source says, not medical advice. The engine itself knows nothing of
//! medicine: kinds, relation types and the phrases of the query language come from the graph
//! file, so it serves any graph you load or build.
//!
//! ```
//! use bonegraph::KnowledgeGraph;
//!
//! let kg = KnowledgeGraph::embedded();
//! let answer = kg.query("side effects of Zometa")?;
//! for row in answer.rows() {
//!     let entity = kg.entity(row.node);
//!     println!("{} ({})", entity.name, kg.schema().kind(entity.kind).singular);
//!     for witness in &row.why {
//!         for &edge in &witness.steps {
//!             // `zoledronic acid is a bisphosphonate [article, bisphosphonates]`, ...
//!             println!("  {}", bonegraph::render::describe_edge(kg, edge));
//!         }
//!     }
//! }
//! assert_eq!(answer.names(kg), ["kidney damage", "osteonecrosis of the jaw"]);
//! # Ok::<(), bonegraph::Error>(())
//! ```
//!
//! Entry points:
//! - loading: [`KnowledgeGraph::embedded`], [`KnowledgeGraph::from_path`],
//!   [`KnowledgeGraph::from_str`], or [`GraphBuilder`] to build one in code; problems come
//!   back as a [`LoadError`] listing every one with its line and column; a loaded graph can
//!   be compiled into a checked binary [`snapshot`] ([`KnowledgeGraph::to_snapshot`]) that
//!   loads again with no parse and no validation ([`KnowledgeGraph::from_snapshot`]);
//! - asking: [`KnowledgeGraph::query`], or [`KnowledgeGraph::prepare`] once and
//!   [`KnowledgeGraph::run`] many times; answers are [`Answer`]s whose rows carry their
//!   evidence ([`Witness`]); refusals are [`QueryError`]s with a span and suggestions;
//! - introspection: [`KnowledgeGraph::schema`] (kinds, relation types and their phrases),
//!   [`KnowledgeGraph::node_by_name`], [`KnowledgeGraph::vocabulary`];
//! - pictures and export: [`render::dot`] (Graphviz DOT), [`render::mermaid`] (Mermaid, the
//!   same pictures from [`render::picture`]), [`interchange::json`] (JSON),
//!   [`interchange`] (RDF
//!   for triple stores, Cypher and CSV for Neo4j and Kuzu, Parquet and CSV tables for SQL
//!   engines);
//! - moving a question with the graph: [`KnowledgeGraph::translate`] writes a query as SPARQL
//!   or Cypher with the same answers over those exports ([`query::translate`]);
//! - [`Error`] unifies both kinds of refusal for `?`.
//!
//! The query language is described in `grammar/README.md`; the file format in
//! `docs/graph-format.md`; the stages and where each kind of change goes in
//! `docs/architecture.md`. With `default-features = false` the crate has no CLI dependencies
//! and no Parquet writer (the features `cli` and `parquet`).

#![warn(missing_docs)]

mod builder;
pub mod diagnostic;
mod error;
mod graph;
pub mod inheritance;
pub mod interchange;
mod intern;
pub mod load;
pub mod model;
pub mod query;
pub mod question;
pub mod render;
pub mod text;

pub use builder::GraphBuilder;
pub use diagnostic::{Code, Diagnostic, LoadError, Location, Severity};
pub use error::Error;
pub use graph::snapshot;
pub use graph::{
    Attribute, AttributeKey, Claim, Conflict, ConflictId, Direction, Edge, Entity, InferredEdge,
    Kind, KindId, KindSet, KnowledgeGraph, Neighbor, Provenance, Qualifiers, RelId, RelationType,
    Schema, Source, SourceId,
};
pub use model::{Basis, Certainty, ConflictKind};
pub use petgraph::graph::{EdgeIndex, NodeIndex};
pub use query::answer::{Answer, Body, EmptyReason, PathStep, Row, ValueRow, Witness};
pub use query::ast::Span;
pub use query::error::{ErrorKind, QueryError};
pub use query::{Limits, Prepared};
pub use question::{Asked, Form, Reading};
pub use text::{did_you_mean, normalize, suggest};

use std::path::Path;
use std::sync::OnceLock;

/// The text of the graph compiled into this crate (`graph.ron` at build time).
pub const EMBEDDED_GRAPH: &str = include_str!("../graph.ron");

impl KnowledgeGraph {
    /// The graph compiled into the crate, loaded once on first use.
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// assert!(kg.entity_count() > 100);
    /// ```
    ///
    /// # Panics
    /// Only if the compiled-in `graph.ron` is invalid, which the crate's own tests rule out.
    pub fn embedded() -> &'static KnowledgeGraph {
        static GRAPH: OnceLock<KnowledgeGraph> = OnceLock::new();
        GRAPH.get_or_init(|| match load::load_str(EMBEDDED_GRAPH) {
            Ok(kg) => kg,
            Err(e) => panic!("the embedded graph.ron is invalid: {e}"),
        })
    }

    /// Loads and validates a graph from RON text.
    ///
    /// ```
    /// # fn main() -> Result<(), bonegraph::LoadError> {
    /// let kg = bonegraph::KnowledgeGraph::from_str(r#"(
    ///     name: "tiny",
    ///     schema: (kinds: [(id: "fruit", singular: "fruit", plural: "fruits")], relations: []),
    ///     entities: [(id: "apple", kind: "fruit", name: "apple")],
    /// )"#)?;
    /// assert_eq!(kg.entity_count(), 1);
    /// # Ok(()) }
    /// ```
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str) -> Result<KnowledgeGraph, LoadError> {
        load::load_str(text)
    }

    /// Reads, loads and validates a graph file; or, if the file is a compiled snapshot
    /// (recognised by its magic bytes, whatever its name), loads it with
    /// [`KnowledgeGraph::from_snapshot`].
    ///
    /// ```
    /// let err = bonegraph::KnowledgeGraph::from_path("no/such/file.ron").unwrap_err();
    /// assert_eq!(err.diagnostics[0].code, bonegraph::Code::Io);
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<KnowledgeGraph, LoadError> {
        let path = path.as_ref();
        let as_load_error = |d| LoadError {
            diagnostics: vec![d],
        };
        if snapshot::is_snapshot_file(path) {
            let bytes = snapshot::read_snapshot_file(path).map_err(as_load_error)?;
            return KnowledgeGraph::from_snapshot(&bytes);
        }
        // The text is freed once parsed, and read again only to place an error.
        let text = load::read_graph_file(path).map_err(as_load_error)?;
        load::load_string(text, &|| load::read_graph_file(path).ok())
    }
}

impl KnowledgeGraph {
    /// Validates and builds a graph from the file model (as read from RON or JSON with
    /// serde, or made by [`KnowledgeGraph::to_file`]); every problem is reported at once,
    /// without positions since there is no text.
    pub fn from_file(file: model::GraphFile) -> Result<KnowledgeGraph, LoadError> {
        let checked = load::check_model(&file);
        checked.graph.ok_or(LoadError {
            diagnostics: checked.diagnostics,
        })
    }
}

impl std::str::FromStr for KnowledgeGraph {
    type Err = LoadError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        load::load_str(text)
    }
}
