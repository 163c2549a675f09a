//! The commands, one module each; [`run`] hands a parsed command line to its command. Every
//! command gets its graph from [`graph`] and writes its output through [`emit`] or
//! [`stdout`], and returns its exit code, or the [`CliError`] that `main` reports.

pub mod check;
pub mod compile;
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
        Some(Command::Compile { file, output }) => compile::run(file.as_deref().or(graph), &output),
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
        Some(Command::Ask(words)) => {
            let first = words.first().map(String::as_str).unwrap_or_default();
            if !first.contains(|c: char| c.is_whitespace() || c == '?') {
                let mut command = <Cli as clap::CommandFactory>::command();
                let names: Vec<String> = command
                    .get_subcommands()
                    .map(|c| c.get_name().to_owned())
                    .collect();
                let tip = match bonegraph::text::suggest(first, names.iter().map(String::as_str)) {
                    Some(name) => format!("a similar subcommand exists: '{name}'"),
                    None => format!(
                        "to ask, write `bonegraph query {first}`, or quote a question with its \
                         spaces: `bonegraph \"what is {first}?\"`"
                    ),
                };
                return Err(CliError::Usage(command.error(
                    clap::error::ErrorKind::InvalidSubcommand,
                    format!("unrecognized subcommand '{first}'\n\n  tip: {tip}"),
                )));
            }
            // The same as `bonegraph query ...`, flags after the question included.
            let mut argv: Vec<std::ffi::OsString> = vec!["bonegraph".into()];
            if let Some(g) = graph {
                argv.extend(["--graph".into(), g.as_os_str().to_owned()]);
            }
            argv.push("query".into());
            argv.extend(words.iter().map(Into::into));
            let cli = <Cli as clap::Parser>::try_parse_from(argv).map_err(CliError::Usage)?;
            crate::diagnostics::set_colour(cli.colour);
            run(cli)
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
