//! The commands, one module each; [`run`] hands a parsed command line to its command. Every
//! command gets its graph from [`graph`] and writes its output through [`emit`] or
//! [`stdout`], and returns its exit code, or the [`CliError`] that `main` reports.

pub mod check;
pub mod dot;
pub mod export;
pub mod graphviz;
pub mod query;
pub mod shell;
pub mod translate;

use crate::args::{Cli, Command};
use crate::error::CliError;
use bonegraph::KnowledgeGraph;
use std::path::Path;
use std::process::ExitCode;

/// Runs the command the command line asks for (the shell if none).
pub fn run(cli: Cli) -> Result<ExitCode, CliError> {
    let graph = cli.graph.as_deref();
    if cli.file.is_some() && cli.command.is_some() {
        let mut command = <Cli as clap::CommandFactory>::command();
        return Err(CliError::Usage(command.error(
            clap::error::ErrorKind::ArgumentConflict,
            "`-f FILE` runs a file of statements in place of the shell; it takes no command",
        )));
    }
    match cli.command {
        Some(Command::Check { file, format }) => check::run(file.as_deref().or(graph), format),
        Some(Command::Query {
            query,
            format,
            canonical,
        }) => query::run(graph, &query.join(" "), format, canonical),
        Some(Command::Dot(args)) => dot::run(graph, &args),
        Some(Command::Export(export)) => export::run(graph, export),
        Some(Command::Translate(translate)) => translate::run(graph, translate),
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "bonegraph", &mut out);
            stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command)
                .render(&mut out)
                .map_err(CliError::Stdout)?;
            stdout(&out)?;
            Ok(ExitCode::SUCCESS)
        }
        None => shell::run(graph, cli.file.as_deref()),
    }
}

/// The graph a command works on: the file at `path`, or the embedded graph.
fn graph(path: Option<&Path>) -> Result<KnowledgeGraph, CliError> {
    crate::load::load_graph(path).map_err(CliError::Load)
}

/// Writes `bytes` to standard output.
fn stdout(bytes: &[u8]) -> Result<(), CliError> {
    crate::streams::to_stdout(bytes).map_err(CliError::Stdout)
}

/// Writes `bytes` to the file `output` (atomically), or to standard output.
fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<ExitCode, CliError> {
    match output {
        Some(path) => crate::fsutil::write_atomic(path, bytes).map_err(CliError::Write)?,
        None => stdout(bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}
