//! `bonegraph translate sparql|cypher|sql "QUERY"`: the query in another language, with the same
//! answer set over the graph's export; exit 2 if the query is wrong or the language cannot
//! say it.

use super::{graph, stdout};
use crate::args::Translate;
use crate::diagnostics::QueryFailure;
use crate::error::CliError;
use bonegraph::interchange::names::RdfNames;
use bonegraph::query::translate::Target;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: Option<&Path>, translate: Translate) -> Result<ExitCode, CliError> {
    let (query, target, names) = match translate {
        Translate::Sparql { query, base } => (query, Target::Sparql, base.unwrap_or_default()),
        Translate::Cypher { query, dialect } => {
            (query, Target::Cypher(dialect.pg()), RdfNames::default())
        }
        Translate::Sql { query, dialect } => {
            (query, Target::Sql(dialect.sql()), RdfNames::default())
        }
    };
    let kg = graph(path)?;
    match kg
        .prepare(&query)
        .and_then(|q| kg.translate(&q, target, &names))
    {
        Ok(text) => {
            stdout(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => Err(CliError::Query(QueryFailure { query, error })),
    }
}
