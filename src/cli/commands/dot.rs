//! `bonegraph dot`: Graphviz DOT (or, with `--format mermaid`, a Mermaid flowchart) of the
//! whole graph, of the schema, or of the evidence behind one answer; written as text, or
//! rendered to an image by Graphviz (`--render`, DOT only), which draws at most
//! [`MAX_RENDER_NODES`] unless `--max-nodes` sets the size.

use super::{emit, graph};
use crate::args::{DotArgs, PictureFormat, Render};
use crate::commands::graphviz;
use crate::diagnostics::QueryFailure;
use crate::error::CliError;
use bonegraph::KnowledgeGraph;
use bonegraph::render::dot::DotOptions;
use bonegraph::render::picture::Language;
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
    let output = args.output.as_deref();
    // `--render`, else the extension of `-o` (`.png`), else text.
    let by_extension = output.and_then(|p| p.extension()).and_then(|e| {
        match e.to_string_lossy().to_lowercase().as_str() {
            "svg" => Some(Render::Svg),
            "png" => Some(Render::Png),
            "pdf" => Some(Render::Pdf),
            _ => None,
        }
    });
    let usage = |message: &str| {
        let mut command = <crate::args::Cli as clap::CommandFactory>::command();
        CliError::Usage(command.error(clap::error::ErrorKind::ArgumentConflict, message.to_owned()))
    };
    if args.format == PictureFormat::Mermaid {
        if args.render.is_some() || by_extension.is_some() || args.render_timeout.is_some() {
            return Err(usage(
                "`--format mermaid` writes Mermaid text, which Graphviz does not render: leave \
                 out `--render`/`--render-timeout`, and write to a .mmd or .md file rather than \
                 .svg, .png or .pdf",
            ));
        }
        let text = draw(&graph(path)?, args, options)?;
        return emit(output, text.as_bytes());
    }
    let text = draw(&graph(path)?, args, options)?;
    let Some(format) = args.render.or(by_extension) else {
        if args.render_timeout.is_some() {
            return Err(usage(
                "`--render-timeout` is for rendering an image (`--render`, or `-o` with .svg, \
                 .png or .pdf); DOT text takes no time limit",
            ));
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

/// The picture `args` ask for (the schema, the evidence behind a query, or the whole graph),
/// in the language they ask for.
fn draw(kg: &KnowledgeGraph, args: &DotArgs, options: DotOptions) -> Result<String, CliError> {
    let language = match args.format {
        PictureFormat::Dot => Language::Dot,
        PictureFormat::Mermaid => Language::Mermaid,
    };
    if args.schema {
        return Ok(language.schema(kg));
    }
    let Some(query) = &args.query else {
        return Ok(language.graph(kg, options));
    };
    match language.query(kg, query, options) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => Err(CliError::CountHasNoEvidence),
        Err(error) => Err(CliError::Query(QueryFailure {
            query: query.clone(),
            error,
        })),
    }
}
