//! What the command line itself reports as an error, as data: each variant has its exit code
//! (DESIGN.md section 6) and is rendered once, through the one diagnostic renderer, where
//! `main` prints it. A command that has already said what it had to say (a `check` report of
//! an invalid file, a query error printed as JSON) is not an error here: it returns its exit
//! code.

use crate::commands::graphviz::GraphvizError;
use crate::diagnostics::{QueryFailure, message};
use crate::fsutil::{WriteError, describe_io_error};
use crate::load::LoadFailure;
use crate::repl::Broken;
use bonegraph::diagnostic::Severity;

/// Exit code for a query that cannot be answered as written (for piped input: any line
/// failed).
pub const EXIT_QUERY: u8 = 2;
/// Exit code for a bad graph file or an I/O failure.
pub const EXIT_IO: u8 = 3;
/// Exit code for a usage error (as in sysexits' EX_USAGE).
pub const EXIT_USAGE: u8 = 64;

/// An error the command line reports. Each variant's doc shows a command that triggers it.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Arguments clap refuses: `bonegraph export rdf --dialect kuzu`.
    #[error("{0}")]
    Usage(clap::Error),
    /// `--render` of a drawing larger than the limit without `--max-nodes`: `bonegraph --graph
    /// big.ron dot --render svg -o big.svg`, where big.ron has more than 500 entities.
    #[error(
        "the drawing has {nodes} nodes; `--render` draws at most {limit} unless `--max-nodes` \
         sets the size"
    )]
    TooManyNodes {
        /// How many nodes the drawing has.
        nodes: usize,
        /// The most `--render` draws unasked.
        limit: usize,
    },
    /// The graph could not be loaded: `bonegraph --graph missing.ron query pain`.
    #[error("cannot load `{}`", .0.label)]
    Load(LoadFailure),
    /// The query is wrong: `bonegraph query xyzzy`.
    #[error("{}", .0.error.message)]
    Query(QueryFailure),
    /// A PNG or PDF to a terminal: `bonegraph dot --render png` with no `-o` on a terminal.
    #[error("a PNG or PDF image would garble the terminal")]
    BinaryToTerminal,
    /// A drawing of a count was asked for: `bonegraph dot "count things"`.
    #[error("a count has no evidence to draw")]
    CountHasNoEvidence,
    /// A file or directory could not be written: `bonegraph dot -o /tmp`.
    #[error(transparent)]
    Write(WriteError),
    /// The graph cannot be exported as asked: a relation type named `Entity`, with
    /// `bonegraph export cypher`.
    #[error(transparent)]
    Export(bonegraph::interchange::pg::PgError),
    /// The Parquet writer refused the tables (no graph is known to cause it).
    #[cfg(feature = "parquet")]
    #[error(transparent)]
    Parquet(bonegraph::interchange::parquet::ParquetError),
    /// The RDF export refused its names: a base IRI the library cannot build under.
    #[error("{0}")]
    Rdf(std::io::Error),
    /// Standard output failed: `bonegraph query pain > /dev/full`.
    #[error("cannot write to standard output: {}", describe_io_error(.0))]
    Stdout(std::io::Error),
    /// Graphviz could not draw: `bonegraph dot --render svg -o out.svg` without Graphviz.
    #[error(transparent)]
    Graphviz(GraphvizError),
    /// The shell's input or output failed: `bonegraph < /`.
    #[error(transparent)]
    Shell(Broken),
    /// A file of statements could not be opened: `bonegraph -f missing.bg`.
    #[error("cannot read `{}`: {}", .0.display(), describe_io_error(.1))]
    Script(std::path::PathBuf, std::io::Error),
}

impl CliError {
    /// The exit code this error calls for.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::TooManyNodes { .. } | CliError::BinaryToTerminal => {
                EXIT_USAGE
            }
            CliError::Query(_) | CliError::CountHasNoEvidence => EXIT_QUERY,
            CliError::Load(_)
            | CliError::Write(_)
            | CliError::Export(_)
            | CliError::Rdf(_)
            | CliError::Stdout(_)
            | CliError::Graphviz(_)
            | CliError::Shell(_)
            | CliError::Script(..) => EXIT_IO,
            #[cfg(feature = "parquet")]
            CliError::Parquet(_) => EXIT_IO,
        }
    }

    /// What to do about it, where there is advice.
    fn help(&self) -> Option<String> {
        match self {
            CliError::TooManyNodes { nodes, limit } => Some(format!(
                "`--max-nodes {limit}` folds the rest into one node per kind; `--max-nodes \
                 {nodes}` draws them all, which Graphviz may take minutes to lay out; without \
                 `--render` you get the DOT text"
            )),
            CliError::CountHasNoEvidence => Some("ask without `count`".to_owned()),
            CliError::BinaryToTerminal => {
                Some("write it to a file with `-o FILE`, or pipe it to a viewer".to_owned())
            }
            CliError::Write(e) => e.help().map(str::to_owned),
            CliError::Graphviz(e) => e.help(),
            _ => None,
        }
    }

    /// The error as the user sees it, coloured if `styled`. Load and query errors quote the
    /// text at fault; clap renders its own usage errors (with the usage line and a tip).
    pub fn render(&self, styled: bool) -> String {
        match self {
            CliError::Usage(e) => {
                let text = e.render();
                if styled {
                    text.ansi().to_string()
                } else {
                    text.to_string()
                }
            }
            CliError::Load(failure) => failure.render(styled),
            CliError::Query(failure) => failure.render(styled),
            other => message(
                Severity::Error,
                &other.to_string(),
                other.help().as_deref(),
                styled,
            ),
        }
    }
}
