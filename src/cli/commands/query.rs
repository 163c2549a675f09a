//! `bonegraph query "QUERY" [--format MODE]`: one answer on standard output. The
//! query may be a plain question; how it was read comes first (in plain format, on standard
//! error; in JSON, as the `read_as` field). In
//! plain format, where names alone go to standard output, why an answer is empty and what the
//! source says against it go to standard error; in JSON a failed query is the answer.

use super::{graph, stdout};
use crate::diagnostics::QueryFailure;
use crate::error::{CliError, EXIT_QUERY};
use crate::format::{Format, error_json, reading_note, render_asked};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

pub fn run(
    path: Option<&Path>,
    query: &str,
    format: Option<Format>,
    canonical: bool,
) -> Result<ExitCode, CliError> {
    let format = format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Plain
    });
    let kg = graph(path)?;
    let asked = if canonical {
        kg.prepare(query).and_then(|prepared| {
            let answer = kg.run(&prepared)?;
            Ok(bonegraph::Asked {
                reading: None,
                prepared,
                answer,
            })
        })
    } else {
        kg.ask(query)
    };
    match asked {
        Ok(asked) => {
            let answer = &asked.answer;
            if format.is_data() {
                if let Some(note) = reading_note(&kg, &asked) {
                    crate::streams::note(&note);
                }
                if let Some(reason) = answer.why_empty(&kg) {
                    crate::streams::note(&format!("no results: {reason}"));
                }
                // A card prints what the source says against it itself.
                if !matches!(answer.body, bonegraph::Body::Card(_)) {
                    let conflicts = answer.conflict_text(&kg);
                    if !conflicts.is_empty() {
                        crate::streams::note(&conflicts);
                    }
                }
            }
            stdout(render_asked(&kg, &asked, query, format).as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(error) if format == Format::Json => {
            // The error is the answer; if it cannot be written, that is the I/O failure.
            stdout(error_json(query, &error).as_bytes())?;
            Ok(ExitCode::from(EXIT_QUERY))
        }
        Err(error) => Err(CliError::Query(QueryFailure {
            query: query.to_owned(),
            error,
        })),
    }
}
