//! `bonegraph export json|rdf|cypher|csv|parquet`: the whole graph for other tools and stores,
//! to standard output or a file written atomically; CSV and Parquet as a directory made whole
//! or not at all.

use super::{emit, graph};
use crate::args::Export;
use crate::error::CliError;
use crate::fsutil::{ExportDirError, WriteError, write_csv_dir};
use bonegraph::interchange::{pg, rdf};
use std::path::Path;
use std::process::ExitCode;

/// Runs an export of the graph its FILE names, else of `graph` (the `--graph` file or the
/// embedded graph).
pub fn run(graph_flag: Option<&Path>, export: Export) -> Result<ExitCode, CliError> {
    match export {
        Export::Json { input, output } => {
            let kg = graph(input.file.as_deref().or(graph_flag))?;
            let mut bytes = Vec::new();
            // Writing to memory fails only if memory does.
            let _ = bonegraph::interchange::json::write_json(&kg, &mut bytes);
            emit(output.output.as_deref(), &bytes)
        }
        Export::Rdf {
            input,
            format,
            base,
            output,
        } => {
            let kg = graph(input.file.as_deref().or(graph_flag))?;
            let mut bytes = Vec::new();
            rdf::write_rdf(&kg, &base.unwrap_or_default(), format.format(), &mut bytes)
                .map_err(CliError::Rdf)?;
            emit(output.output.as_deref(), &bytes)
        }
        Export::Cypher {
            input,
            dialect,
            output,
        } => {
            let kg = graph(input.file.as_deref().or(graph_flag))?;
            let mut bytes = Vec::new();
            pg::write_cypher(&kg, dialect.pg(), &mut bytes).map_err(CliError::Export)?;
            emit(output.output.as_deref(), &bytes)
        }
        Export::Csv { input, output } => {
            let kg = graph(input.file.as_deref().or(graph_flag))?;
            // Staged in a registered temporary directory, so that an interrupt leaves nothing.
            write_csv_dir(&kg, &output).map_err(|e| match e {
                ExportDirError::Write(e) => CliError::Write(e),
                ExportDirError::Export(pg::PgError::Io(source)) => {
                    CliError::Write(WriteError::Io {
                        path: output.clone(),
                        source,
                    })
                }
                ExportDirError::Export(e) => CliError::Export(e),
            })?;
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "parquet")]
        Export::Parquet { input, output } => {
            use bonegraph::interchange::parquet::ParquetError;
            let kg = graph(input.file.as_deref().or(graph_flag))?;
            crate::fsutil::write_parquet_dir(&kg, &output).map_err(|e| match e {
                ExportDirError::Write(e) => CliError::Write(e),
                ExportDirError::Export(ParquetError::Io(source)) => {
                    CliError::Write(WriteError::Io {
                        path: output.clone(),
                        source,
                    })
                }
                ExportDirError::Export(e) => CliError::Parquet(e),
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
