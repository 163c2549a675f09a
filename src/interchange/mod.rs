//! Moving the graph to other tools: JSON shaped like the graph file ([`json`]), RDF (N-Triples, Turtle) for triple stores
//! such as Oxigraph ([`rdf`]), property-graph form, a Cypher script or CSV files for bulk
//! import, for Neo4j and Kuzu ([`pg`]), and three tables for SQL engines, as CSV files with
//! their load scripts ([`sql`]) and as Parquet files (`parquet`, feature `parquet`), for
//! DuckDB, Spark and PostgreSQL. The query translator (`query::translate`) turns a query into
//! SPARQL, Cypher or SQL over exactly these layouts; `docs/interchange.md` documents them.
//!
//! [`names`] holds the naming and quoting rules both sides share, so an IRI or a Cypher
//! identifier is spelled one way everywhere.

pub mod json;
pub mod names;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod pg;
pub mod rdf;
pub mod sql;
