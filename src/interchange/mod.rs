//! Moving the graph to other tools: JSON shaped like the graph file ([`json`]), RDF (N-Triples, Turtle) for triple stores
//! such as Oxigraph ([`rdf`]), and property-graph form, a Cypher script or CSV files for bulk
//! import, for Neo4j and Kuzu ([`pg`]). The query translator (`query::translate`) turns a
//! query into SPARQL or Cypher over exactly these layouts; `docs/interchange.md` documents
//! both.
//!
//! [`names`] holds the naming and quoting rules both sides share, so an IRI or a Cypher
//! identifier is spelled one way everywhere.

pub mod json;
pub mod names;
pub mod pg;
pub mod rdf;
