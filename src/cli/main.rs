//! The `bonegraph` command line: see `bonegraph --help`.
//!
//! `main` only installs the signal handlers, runs the command line and turns its outcome into
//! an exit code; an error is rendered once, here. Each command is a module of
//! [`commands`]; the flags and how they combine are [`args`]; what can go wrong is
//! [`error::CliError`].

mod args;
mod commands;
mod diagnostics;
mod error;
mod format;
mod fsutil;
mod load;
mod progress;
mod repl;
mod signals;
mod streams;

use crate::error::{CliError, EXIT_IO};
use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    signals::install();
    // For tests of interrupted writes: each finished temporary waits before its rename.
    if std::env::var_os("BONEGRAPH_TEST_PAUSE_BEFORE_RENAME").is_some() {
        fsutil::PAUSE_BEFORE_RENAME.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    let code = match run() {
        Ok(code) => code,
        Err(e) => {
            streams::write_rendered(&e.render(diagnostics::colour_for(&std::io::stderr())));
            ExitCode::from(e.exit_code())
        }
    };
    // A message that could not be written is an I/O failure, whatever else happened.
    if streams::stderr_failed() {
        ExitCode::from(EXIT_IO)
    } else {
        code
    }
}

/// Parses the command line and runs it.
fn run() -> Result<ExitCode, CliError> {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => {
            diagnostics::set_colour(cli.colour);
            cli
        }
        // Help and the version are what was asked for: standard output, exit 0.
        Err(e) if !e.use_stderr() => {
            let text = e.render();
            let text = if diagnostics::colour_for(&std::io::stdout()) {
                text.ansi().to_string()
            } else {
                text.to_string()
            };
            streams::to_stdout(text.as_bytes()).map_err(CliError::Stdout)?;
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(CliError::Usage(e)),
    };
    commands::run(cli)
}
