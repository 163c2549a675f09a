//! `bonegraph check [FILE]`: validates and lints a graph file and prints the report (text,
//! JSON, or the audit tables); exit 3 if the file has errors. A file that cannot be read is
//! reported like any other problem of the file. A compiled snapshot is checked by loading
//! it: its report lists the warnings recorded when it was compiled, or why it is refused.

use super::stdout;
use crate::args::CheckFormat;
use crate::error::{CliError, EXIT_IO};
use bonegraph::load::Checked;
use bonegraph::render::check::CheckReport;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: Option<&Path>, format: CheckFormat) -> Result<ExitCode, CliError> {
    let label = crate::load::graph_label(path);
    let snapshot = path.filter(|p| bonegraph::snapshot::is_snapshot_file(p));
    let (checked, text) = match snapshot.map(bonegraph::KnowledgeGraph::from_path) {
        // A compiled snapshot: the warnings its graph file had when it was compiled (the
        // snapshot keeps them), without the file's lines to quote; or why it is refused.
        Some(Ok(kg)) => (
            Checked {
                diagnostics: kg.warnings().to_vec(),
                graph: Some(kg),
            },
            None,
        ),
        Some(Err(e)) => (
            Checked {
                graph: None,
                diagnostics: e.diagnostics,
            },
            None,
        ),
        None => match crate::load::read_and_check(path, &label, true) {
            Ok((text, checked)) => (checked, Some(text)),
            Err(failure) => (
                Checked {
                    graph: None,
                    diagnostics: failure.diagnostics,
                },
                None,
            ),
        },
    };
    let report = CheckReport::new(&label, &checked);
    let out = match format {
        CheckFormat::Text
            if snapshot.is_some() && checked.graph.is_some() && !checked.diagnostics.is_empty() =>
        {
            format!(
                "{}note: `{label}` is a compiled snapshot; lines and columns refer to the graph \
             file it was compiled from\n",
                report.render_text(None)
            )
        }
        CheckFormat::Text => report.render_text(text.as_deref()),
        CheckFormat::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        CheckFormat::Audit => match &checked.graph {
            Some(kg) => bonegraph::render::check::audit_markdown(kg),
            None => report.render_text(text.as_deref()),
        },
    };
    stdout(out.as_bytes())?;
    // The report has said what is wrong; the exit code says that something is.
    Ok(if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_IO)
    })
}
