//! `bonegraph compile [FILE] -o SNAPSHOT`: loads and validates a graph file and writes it as a
//! checked binary snapshot (see `bonegraph::snapshot`), atomically. A file with errors is
//! reported like any failed load (exit 3) and nothing is written.

use crate::error::CliError;
use crate::load::LoadFailure;
use bonegraph::diagnostic::{Code, Diagnostic};
use std::path::Path;
use std::process::ExitCode;

pub fn run(path: Option<&Path>, output: &Path) -> Result<ExitCode, CliError> {
    let label = crate::load::graph_label(path);
    if path.is_some_and(bonegraph::snapshot::is_snapshot_file) {
        return Err(CliError::Load(LoadFailure {
            label: label.clone(),
            text: None,
            diagnostics: vec![
                Diagnostic::error(
                    Code::Snapshot,
                    format!("`{label}` is already a compiled snapshot"),
                )
                .hint("compile the graph file (graph.ron) it was compiled from"),
            ],
        }));
    }
    // Warnings placed in the file: the snapshot keeps them for `bonegraph check`.
    let (text, checked) =
        crate::load::read_and_check(path, &label, true).map_err(CliError::Load)?;
    let Some(kg) = checked.graph else {
        return Err(CliError::Load(LoadFailure {
            label,
            text: Some(text),
            diagnostics: checked.diagnostics,
        }));
    };
    let bytes = kg.to_snapshot_of(text.as_bytes());
    crate::fsutil::write_atomic(output, &bytes).map_err(CliError::Write)?;
    let warnings = kg.warnings().len();
    let note = format!(
        "compiled `{label}` into `{}`: {} entities, {} relations, {} bytes{}\n",
        output.display(),
        kg.entity_count(),
        kg.edge_count(),
        bytes.len(),
        match warnings {
            0 => String::new(),
            n => format!(
                "; {n} warning{} kept (`bonegraph check {}` lists them)",
                if n == 1 { "" } else { "s" },
                output.display()
            ),
        }
    );
    crate::streams::note(&note);
    Ok(ExitCode::SUCCESS)
}
