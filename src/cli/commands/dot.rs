//! `bonegraph dot`: Graphviz DOT of the whole graph, of the schema, or of the evidence behind
//! one answer; written as text, or rendered to an image by Graphviz (`--render`), which draws
//! at most [`MAX_RENDER_NODES`] unless `--max-nodes` sets the size.

use super::{emit, graph};
use crate::args::{DotArgs, Render};
use crate::commands::graphviz;
use crate::diagnostics::QueryFailure;
use crate::error::CliError;
use bonegraph::render::dot::{self, DotOptions};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

/// How long Graphviz may take to render, in seconds, unless `--render-timeout` says.
const DEFAULT_RENDER_TIMEOUT: u64 = 60;

/// The most nodes `--render` draws without `--max-nodes`: Graphviz lays out 400 in about a
/// second here, 800 in eight, and a thousand-node graph took minutes.
pub const MAX_RENDER_NODES: usize = 500;

pub fn run(path: Option<&Path>, args: &DotArgs) -> Result<ExitCode, CliError> {
    let options = DotOptions {
        max_nodes: args.max_nodes.map(|n| n as usize),
        // The whole graph reads best grouped by kind; an answer's evidence is small.
        clusters: args.clusters || (args.query.is_none() && !args.schema),
    };
    let kg = graph(path)?;
    let text = if args.schema {
        dot::schema_dot(&kg)
    } else if let Some(query) = &args.query {
        match dot::query_dot(&kg, query, options) {
            Ok(Some(text)) => text,
            Ok(None) => return Err(CliError::CountHasNoEvidence),
            Err(error) => {
                return Err(CliError::Query(QueryFailure {
                    query: query.clone(),
                    error,
                }));
            }
        }
    } else {
        dot::graph_dot(&kg, options)
    };
    let output = args.output.as_deref();
    // `--render`, else the extension of `-o` (`.png`), else DOT text.
    let by_extension = output.and_then(|p| p.extension()).and_then(|e| {
        match e.to_string_lossy().to_lowercase().as_str() {
            "svg" => Some(Render::Svg),
            "png" => Some(Render::Png),
            "pdf" => Some(Render::Pdf),
            _ => None,
        }
    });
    let Some(format) = args.render.or(by_extension) else {
        if args.render_timeout.is_some() {
            let mut command = <crate::args::Cli as clap::CommandFactory>::command();
            return Err(CliError::Usage(command.error(
                clap::error::ErrorKind::ArgumentConflict,
                "`--render-timeout` is for rendering an image (`--render`, or `-o` with .svg, \
                 .png or .pdf); DOT text takes no time limit",
            )));
        }
        return emit(output, text.as_bytes());
    };
    if output.is_none() && format != Render::Svg && std::io::stdout().is_terminal() {
        return Err(CliError::BinaryToTerminal);
    }
    let nodes = graphviz::drawn_nodes(&text);
    if nodes > MAX_RENDER_NODES && args.max_nodes.is_none() {
        return Err(CliError::TooManyNodes {
            nodes,
            limit: MAX_RENDER_NODES,
        });
    }
    let limit = Duration::from_secs(args.render_timeout.unwrap_or(DEFAULT_RENDER_TIMEOUT));
    let image = graphviz::render(&text, format, limit, nodes).map_err(CliError::Graphviz)?;
    emit(output, &image)
}
