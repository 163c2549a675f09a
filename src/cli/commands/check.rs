//! `bonegraph check [FILE]`: validates and lints a graph file and prints the report (text,
//! JSON, or the audit tables); exit 3 if the file has errors. A file that cannot be read is
//! reported like any other problem of the file.

use super::stdout;
use crate::args::CheckFormat;
use crate::error::{CliError, EXIT_IO};
use bonegraph::load::{self, Checked};
use bonegraph::render::check::CheckReport;
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: Option<&Path>, format: CheckFormat) -> Result<ExitCode, CliError> {
    let label = crate::load::graph_label(path);
    // A spinner while a large file is read and checked (on a terminal only).
    let spinner = crate::progress::Spinner::start(&label);
    let report = |p| spinner.report(p);
    let (checked, text) = match crate::load::read_with_progress(path, &report) {
        Ok(text) => {
            let options = load::CheckOptions {
                progress: &report,
                ..Default::default()
            };
            (load::check_str_with(&text, &options), Some(text))
        }
        Err(d) => (
            Checked {
                graph: None,
                diagnostics: vec![d],
            },
            None,
        ),
    };
    drop(spinner);
    let report = CheckReport::new(&label, &checked);
    let out = match format {
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
