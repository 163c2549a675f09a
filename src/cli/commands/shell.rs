//! `bonegraph` with no command: the interactive shell on a terminal, or one query or
//! `:command` a line from piped input or from `-f FILE` (see [`crate::repl`]).

use crate::diagnostics::colour_for;
use crate::error::CliError;
use crate::format::Format;
use crate::repl::{Session, input, terminal};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

pub fn run(path: Option<&Path>, script: Option<&Path>) -> Result<ExitCode, CliError> {
    // The script first: a missing file is reported before the graph is loaded.
    let script = script
        .map(|p| {
            std::fs::File::open(p)
                .and_then(|f| {
                    if f.metadata()?.is_dir() {
                        Err(std::io::Error::from(std::io::ErrorKind::IsADirectory))
                    } else {
                        Ok(f)
                    }
                })
                .map_err(|e| CliError::Script(p.to_owned(), e))
        })
        .transpose()?;
    let kg = Arc::new(super::graph(path)?);
    let label = crate::load::graph_label(path);
    let styled = colour_for(&std::io::stderr());
    let ended = if script.is_some() || !std::io::stdin().is_terminal() {
        // A file of statements, or piped input: one query or `:command` a line, no prompt.
        let input: Box<dyn std::io::BufRead> = match script {
            Some(file) => Box::new(std::io::BufReader::new(file)),
            None => Box::new(std::io::stdin().lock()),
        };
        let mut session = Session::new(
            kg,
            label,
            std::io::stdout().lock(),
            std::io::stderr().lock(),
        )
        .styled(styled)
        // Like `bonegraph query`: tables for a person at a terminal, plain names for a
        // program reading a pipe or a file.
        .format(if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Plain
        });
        input::run_lines(&mut session, input)
    } else {
        let cancel = crate::signals::cancel_queries_on_sigint();
        let mut session = Session::new(kg, label, std::io::stdout(), std::io::stderr())
            .styled(styled)
            .cancellable(cancel);
        // For tests: each query waits for Ctrl-C, so that a test interrupts one for sure.
        if std::env::var_os("BONEGRAPH_TEST_HOLD_QUERIES").is_some() {
            session = session.hold_queries_until_cancelled();
        }
        terminal::run(session, colour_for(&std::io::stdout()))
    };
    let code = ended.exit_code();
    match ended.broken {
        Some(broken) if !broken.is_closed_pipe() => Err(CliError::Shell(broken)),
        _ => Ok(ExitCode::from(code)),
    }
}
