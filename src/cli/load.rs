//! The graph a command or the shell works on: the embedded one, or a graph file (`--graph
//! FILE`, a command's FILE argument, the shell's `:load FILE`), loaded one way for all of
//! them; and, when a file fails to load, every error found in it, ready to render.

use bonegraph::KnowledgeGraph;
use bonegraph::diagnostic::{Diagnostic, Severity, render};
use std::collections::BTreeMap;
use std::path::Path;

/// A graph that could not be loaded: every error found in it, and the text they point into
/// (none when the file could not be read at all).
#[derive(Debug)]
pub struct LoadFailure {
    /// What messages call the file: its path as given.
    pub label: String,
    /// The file's contents, if it was read.
    pub text: Option<String>,
    /// Every problem found (warnings are not shown: the file failed on its errors).
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadFailure {
    /// Each error, quoting its line of the file.
    pub fn render(&self, styled: bool) -> String {
        let errors: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        // The quoted lines, found in one pass over the file however many errors it has.
        let mut lines: BTreeMap<usize, Option<&str>> = errors
            .iter()
            .filter_map(|d| Some((d.location?.line, None)))
            .collect();
        if let (Some(text), Some(&last)) = (&self.text, lines.keys().next_back()) {
            for (i, line) in text.lines().enumerate().take(last) {
                if let Some(slot) = lines.get_mut(&(i + 1)) {
                    *slot = Some(line);
                }
            }
        }
        let quoted = |d: &Diagnostic| lines.get(&d.location?.line).copied().flatten();
        errors
            .iter()
            .map(|d| render(&d.report(&self.label, quoted(d)), styled))
            .collect()
    }
}

/// The graph a command or the shell works on: the embedded one, or the file at `path` (one
/// way to load it for every command and for the shell's `:load`).
pub fn load_graph(path: Option<&Path>) -> Result<KnowledgeGraph, LoadFailure> {
    let Some(path) = path else {
        return Ok(KnowledgeGraph::embedded().clone());
    };
    let label = path.display().to_string();
    if bonegraph::snapshot::is_snapshot_file(path) {
        // A compiled snapshot (recognised by its magic bytes): no text to quote.
        return KnowledgeGraph::from_path(path).map_err(|e| LoadFailure {
            label,
            text: None,
            diagnostics: e.diagnostics,
        });
    }
    // Warnings are shown by `bonegraph check`, not when a graph is loaded to be queried: their
    // places in the file are not worked out. The text is freed once parsed (it is a third of
    // what a large load holds at its peak), and read again to quote an error.
    let spinner = crate::progress::Spinner::start(&label);
    let report = |p| spinner.report(p);
    let text = read_with_progress(Some(path), &report).map_err(|d| LoadFailure {
        label: label.clone(),
        text: None,
        diagnostics: vec![d],
    })?;
    let reread = || bonegraph::load::read_graph_file(path).ok();
    let options = bonegraph::load::CheckOptions {
        progress: &report,
        locate_warnings: false,
    };
    let checked = bonegraph::load::check_string_with(text, &reread, &options);
    drop(spinner);
    match checked.graph {
        Some(kg) => Ok(kg),
        None => Err(LoadFailure {
            label,
            text: reread(),
            diagnostics: checked.diagnostics,
        }),
    }
}

/// Reads and checks the graph file at `path` (the embedded graph's text if `None`), with a
/// spinner on a terminal while it takes long; `locate_warnings` places the warnings in the
/// file (a second parse, for `check` and `compile`, which keep or show them). A file that
/// cannot be read is a failure with no text to quote.
pub fn read_and_check(
    path: Option<&Path>,
    label: &str,
    locate_warnings: bool,
) -> Result<(String, bonegraph::load::Checked), LoadFailure> {
    let spinner = crate::progress::Spinner::start(label);
    let report = |p| spinner.report(p);
    let text = read_with_progress(path, &report).map_err(|d| LoadFailure {
        label: label.to_owned(),
        text: None,
        diagnostics: vec![d],
    })?;
    let options = bonegraph::load::CheckOptions {
        progress: &report,
        locate_warnings,
    };
    let checked = bonegraph::load::check_str_with(&text, &options);
    Ok((text, checked))
}

/// What messages call the graph at `path`, or the embedded one.
pub fn graph_label(path: Option<&Path>) -> String {
    path.map_or_else(|| EMBEDDED_LABEL.to_owned(), |p| p.display().to_string())
}

/// What messages call the embedded graph.
pub const EMBEDDED_LABEL: &str = "<embedded graph.ron>";

/// The text of the graph file at `path`, or of the embedded graph, telling `progress` how far
/// the reading is; a file that cannot be read is a diagnostic like any other problem of the
/// file.
pub fn read_with_progress(
    path: Option<&Path>,
    progress: &dyn Fn(bonegraph::load::Progress),
) -> Result<String, Diagnostic> {
    match path {
        Some(p) => bonegraph::load::read_graph_file_with_progress(p, progress),
        None => Ok(bonegraph::EMBEDDED_GRAPH.to_owned()),
    }
}
