//! The `bonegraph` command line: see `bonegraph --help`.

mod fsutil;
mod repl;

use crate::fsutil::describe_io_error;
use crate::repl::command::Format as QueryFormat;
use crate::repl::{EXIT_IO, EXIT_QUERY, Session};
use bonegraph::interchange::names::RdfNames;
use bonegraph::interchange::pg;
use bonegraph::load::{self, Checked};
use bonegraph::query::translate::Target;
use bonegraph::render::check::CheckReport;
use bonegraph::{Diagnostic, EMBEDDED_GRAPH, KnowledgeGraph};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Child, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// Exit code for a usage error (as in sysexits' EX_USAGE).
const EXIT_USAGE: u8 = 64;

#[derive(Parser, Debug)]
#[command(
    name = "bonegraph",
    version,
    about = "A typed knowledge graph about lung cancer that has spread to bone",
    long_about = "A typed knowledge graph about lung cancer that has spread to bone.\n\n\
        Its knowledge comes from one patient-education article, recorded with provenance.\n\
        It records what that source says; it is not medical advice.",
    after_help = "With no command, bonegraph opens an interactive shell on a terminal, and reads one\nquery or :command a line from piped input.\n\nExit codes: 0 ok (an empty answer is ok), 2 bad query, 3 bad graph file or I/O error, 64 usage error."
)]
struct Cli {
    /// Use this graph file instead of the embedded graph.
    #[arg(long, global = true, value_name = "FILE")]
    graph: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Answer one query, e.g. `bonegraph query "therapies treating fracture"`.
    Query {
        /// The query (see grammar/README.md).
        query: String,
        /// Output format (default: table on a terminal, plain otherwise).
        #[arg(long, value_enum)]
        format: Option<QueryFormat>,
    },
    /// Graphviz DOT of the whole graph, of the schema, or of the evidence behind one answer.
    Dot {
        /// Draw the evidence behind this query's answer (default: the whole graph).
        query: Option<String>,
        /// Draw the schema: kinds as nodes, relation types as edges with their phrases.
        #[arg(long, conflicts_with = "query")]
        schema: bool,
        /// Write to FILE (atomically) instead of standard output.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Run Graphviz `dot` and write an image instead of DOT text (needs -o).
        #[arg(long, value_enum, requires = "output")]
        render: Option<Render>,
        /// Draw at most N entities; the rest collapse into one summary node per kind. Needed
        /// to render a drawing of more than 500 nodes.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        max_nodes: Option<u32>,
        /// Stop Graphviz if it has not finished rendering after this many seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60, requires = "render",
              value_parser = clap::value_parser!(u64).range(1..=86_400))]
        render_timeout: u64,
        /// Group entities into one box per kind (default for the whole graph).
        #[arg(long)]
        clusters: bool,
    },
    /// Export the whole graph (schema, sources, entities, relations with provenance) as JSON,
    /// RDF (for triple stores) or a property graph (for Neo4j and Kuzu).
    Export {
        /// The graph file to export (default: --graph FILE, or the embedded graph).
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// The IRI every RDF name is built under (ntriples and turtle only): absolute, ending
        /// in `/`, without `#`. Default: https://bonegraph.example/
        #[arg(long, value_name = "IRI", value_parser = parse_base)]
        base: Option<RdfNames>,
        /// The database a Cypher script is for (cypher only; default neo4j).
        #[arg(long, value_enum)]
        dialect: Option<Dialect>,
        /// Write to PATH (atomically) instead of standard output; for csv, a new or empty
        /// directory (required).
        #[arg(short = 'o', long = "output", value_name = "PATH")]
        output: Option<PathBuf>,
    },
    /// Translate a query to SPARQL or Cypher with the same answer set over the exported graph.
    #[command(
        after_help = "SPARQL runs on `bonegraph export --format turtle` (or ntriples) loaded into a triple store\n\
                      such as Oxigraph; Cypher on `bonegraph export --format cypher` or `--format csv` loaded into\n\
                      Neo4j or Kuzu. Exit codes: 0 ok, 2 a query that is wrong or that the language cannot say\n\
                      (paths in SPARQL), 3 bad graph file, 64 usage error. See docs/interchange.md."
    )]
    Translate {
        /// The query (see grammar/README.md).
        query: String,
        /// The language to translate to.
        #[arg(long, value_enum)]
        to: TranslateTo,
        /// The Cypher dialect (only with `--to cypher`): path queries differ between them.
        #[arg(long, value_enum)]
        dialect: Option<Dialect>,
        /// The base IRI the RDF export used (only with `--to sparql`).
        #[arg(long, value_name = "IRI", value_parser = parse_base)]
        base: Option<RdfNames>,
    },
    /// Validate and lint a graph file; exit 3 if it has errors.
    Check {
        /// The file to check (default: --graph FILE, or the embedded graph).
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Render {
    /// Scalable vector graphics.
    Svg,
    /// A PNG image.
    Png,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ExportFormat {
    /// The whole graph as one JSON object.
    Json,
    /// RDF as N-Triples.
    Ntriples,
    /// RDF as Turtle.
    Turtle,
    /// A Cypher script (see --dialect).
    Cypher,
    /// CSV files and import scripts for Neo4j and Kuzu, in the directory given with -o.
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum TranslateTo {
    /// SPARQL 1.1, over the RDF export.
    Sparql,
    /// Cypher, over the property-graph export.
    Cypher,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    /// Neo4j 5 (the default).
    Neo4j,
    /// Kuzu.
    Kuzu,
}

impl Dialect {
    /// The library's dialect for the one given on the command line (Neo4j if none).
    fn chosen(given: Option<Dialect>) -> pg::Dialect {
        match given {
            Some(Dialect::Kuzu) => pg::Dialect::Kuzu,
            Some(Dialect::Neo4j) | None => pg::Dialect::Neo4j,
        }
    }
}

fn parse_base(text: &str) -> Result<RdfNames, String> {
    RdfNames::parse_base(text)
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    /// Human-readable text.
    Text,
    /// One JSON object.
    Json,
    /// Every edge and attribute value with its audit verdict (`basis`), as Markdown tables.
    Audit,
}

fn main() -> ExitCode {
    install_signal_handlers();
    // For tests of interrupted writes: each finished temporary waits before its rename.
    if std::env::var_os("BONEGRAPH_TEST_PAUSE_BEFORE_RENAME").is_some() {
        crate::fsutil::PAUSE_BEFORE_RENAME.store(true, Ordering::SeqCst);
    }
    let code = match Cli::try_parse() {
        Ok(cli) => run(cli),
        Err(e) => clap_error(&e),
    };
    // A message that could not be written is an I/O failure, whatever else happened.
    ExitCode::from(if STDERR_FAILED.load(Ordering::SeqCst) {
        EXIT_IO
    } else {
        code
    })
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Some(Command::Check { file, format }) => check(file.or(cli.graph), format),
        Some(Command::Dot {
            query,
            schema,
            output,
            render,
            max_nodes,
            render_timeout,
            clusters,
        }) => {
            let options = bonegraph::render::dot::DotOptions {
                max_nodes: max_nodes.map(|n| n as usize),
                clusters: clusters || (query.is_none() && !schema),
            };
            let render = render.map(|format| RenderOptions {
                format,
                nodes_chosen: max_nodes.is_some(),
                timeout: Duration::from_secs(render_timeout),
            });
            dot(cli.graph, query.as_deref(), schema, output, render, options)
        }
        Some(Command::Export {
            file,
            format,
            base,
            dialect,
            output,
        }) => export(file.or(cli.graph), format, base, dialect, output),
        Some(Command::Query { query, format }) => {
            let format = format.unwrap_or(if std::io::stdout().is_terminal() {
                QueryFormat::Table
            } else {
                QueryFormat::Plain
            });
            run_query(cli.graph, &query, format)
        }
        Some(Command::Translate {
            query,
            to,
            dialect,
            base,
        }) => {
            let target = match (to, dialect) {
                (TranslateTo::Sparql, None) => Target::Sparql,
                (TranslateTo::Sparql, Some(_)) => {
                    return usage("`--dialect` is for `--to cypher`; SPARQL has one dialect");
                }
                (TranslateTo::Cypher, d) => Target::Cypher(Dialect::chosen(d)),
            };
            if base.is_some() && to != TranslateTo::Sparql {
                return usage("`--base` is for `--to sparql`; Cypher names entities by id");
            }
            translate(cli.graph, &query, target, &base.unwrap_or_default())
        }
        None => shell(cli.graph),
    }
}

/// Prints what clap has to say: help and the version on standard output (a full disk is an
/// I/O error, a closed pipe is not), usage errors on standard error (exit 64).
fn clap_error(e: &clap::Error) -> u8 {
    let to_stdout = !e.use_stderr();
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && if to_stdout {
            std::io::stdout().is_terminal()
        } else {
            std::io::stderr().is_terminal()
        };
    let styled = e.render();
    let text = if color {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    if to_stdout {
        to_stdout_or_say(text.as_bytes())
    } else {
        say(&text);
        EXIT_USAGE
    }
}

// ---------------------------------------------------------------- standard streams
//
// Nothing here panics: `print!` and `eprint!` do when a write fails, and a full disk or a
// closed terminal is no reason for a backtrace.

/// Set when writing to standard error failed for a reason other than a closed pipe: the
/// process then exits 3, having no way left to say why.
static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Writes a message to standard error, ending it with a newline. A closed pipe is ignored
/// (whoever reads the errors has stopped listening); any other failure sets the exit code.
fn say(text: &str) {
    // Messages quote graph text and what the user typed: control characters never go raw.
    let text = &*bonegraph::text::escape_lines(text);
    let mut err = std::io::stderr().lock();
    let written = err
        .write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                err.write_all(b"\n")
            }
        })
        .and_then(|()| err.flush());
    if let Err(e) = written {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            STDERR_FAILED.store(true, Ordering::SeqCst);
        }
    }
}

/// How writing to standard output went.
enum Written {
    /// All of it, or the reader stopped early (`| head`): not an error.
    Done,
    /// It failed; the message is for standard error.
    Failed(String),
}

/// Writes `bytes` to standard output.
fn to_stdout(bytes: &[u8]) -> Written {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Written::Failed(format!(
            "error: cannot write to standard output: {}",
            describe_io_error(&e)
        )),
        _ => Written::Done,
    }
}

/// Writes `bytes` to standard output; the exit code: 0, or 3 with a message if it failed.
fn to_stdout_or_say(bytes: &[u8]) -> u8 {
    match to_stdout(bytes) {
        Written::Done => 0,
        Written::Failed(message) => {
            say(&message);
            EXIT_IO
        }
    }
}

/// Reports a usage error (exit 64).
fn usage(message: &str) -> u8 {
    say(&format!("error: {message}"));
    EXIT_USAGE
}

// ---------------------------------------------------------------- signals

/// In the interactive shell, the flag SIGINT sets to stop the running query.
static SHELL_CANCEL: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// Graphviz while it renders, so that a signal can stop it too.
static GRAPHVIZ: Mutex<Option<Child>> = Mutex::new(None);

/// SIGINT, SIGTERM and SIGHUP: in the interactive shell SIGINT stops the running query (at
/// the prompt the line editor takes Ctrl-C itself); otherwise each one deletes the
/// temporaries of any file being written, stops Graphviz, and ends the process as the signal
/// would have, so that the shell that started it sees why.
fn install_signal_handlers() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            for signal in signals.forever() {
                if signal == SIGINT {
                    if let Some(flag) = SHELL_CANCEL.get() {
                        flag.store(true, Ordering::SeqCst);
                        continue;
                    }
                }
                crate::fsutil::remove_temporaries();
                if let Some(child) = GRAPHVIZ
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .as_mut()
                {
                    let _ = child.kill();
                    let _ = child.wait();
                }
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
}

// ---------------------------------------------------------------- commands

fn translate(path: Option<PathBuf>, query: &str, target: Target, names: &RdfNames) -> u8 {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let translated = kg
        .prepare(query)
        .and_then(|q| kg.translate(&q, target, names));
    match translated {
        Ok(text) => to_stdout_or_say(text.as_bytes()),
        Err(e) => {
            say(&e.render(query));
            EXIT_QUERY
        }
    }
}

/// Reads the named file, or the embedded graph. The label is what messages call the file.
fn graph_text(path: Option<&PathBuf>) -> Result<(String, String), Diagnostic> {
    match path {
        Some(p) => Ok((p.display().to_string(), load::read_graph_file(p)?)),
        None => Ok(("<embedded graph.ron>".to_owned(), EMBEDDED_GRAPH.to_owned())),
    }
}

fn check(path: Option<PathBuf>, format: Format) -> u8 {
    let (label, checked, text) = match graph_text(path.as_ref()) {
        Ok((label, text)) => {
            let checked = load::check_str(&text);
            (label, checked, Some(text))
        }
        Err(d) => {
            let label = path.map(|p| p.display().to_string()).unwrap_or_default();
            let checked = Checked {
                graph: None,
                diagnostics: vec![d],
            };
            (label, checked, None)
        }
    };
    let report = CheckReport::new(&label, &checked);
    let text = match format {
        Format::Text => report.render_text(text.as_deref()),
        Format::Json => serde_json::to_string_pretty(&report).unwrap_or_default() + "\n",
        Format::Audit => match &checked.graph {
            Some(kg) => bonegraph::render::check::audit_markdown(kg),
            None => report.render_text(text.as_deref()),
        },
    };
    match to_stdout_or_say(text.as_bytes()) {
        0 if report.valid => 0,
        _ => EXIT_IO,
    }
}

/// Loads the graph a command works on, or reports why it cannot (exit 3).
fn load_graph(path: Option<&PathBuf>) -> Result<KnowledgeGraph, u8> {
    let (label, text) = graph_text(path).map_err(|d| {
        say(&d.render(
            &path.map(|p| p.display().to_string()).unwrap_or_default(),
            None,
        ));
        EXIT_IO
    })?;
    let checked = load::check_str(&text);
    checked.graph.ok_or_else(|| {
        let rendered: String = checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == bonegraph::Severity::Error)
            .map(|d| d.render(&label, Some(&text)))
            .collect();
        say(&rendered);
        EXIT_IO
    })
}

fn run_query(path: Option<PathBuf>, query: &str, format: QueryFormat) -> u8 {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    match kg.query(query) {
        Ok(answer) => {
            if format == QueryFormat::Plain {
                if let Some(reason) = &answer.empty_reason {
                    say(&format!("no results: {reason}"));
                }
                // Names only on standard output; what the source says against them still shows
                // (a card prints it itself).
                if !matches!(answer.body, bonegraph::Body::Card(_)) {
                    let conflicts = answer.conflict_text(&kg);
                    if !conflicts.is_empty() {
                        say(&conflicts);
                    }
                }
            }
            let text = repl::render_answer(&kg, &answer, query, format);
            to_stdout_or_say(text.as_bytes())
        }
        Err(e) => {
            if format == QueryFormat::Json {
                // The error is the answer; if it cannot be written, that is the I/O failure.
                match to_stdout_or_say(repl::error_json(query, &e).as_bytes()) {
                    0 => EXIT_QUERY,
                    code => code,
                }
            } else {
                say(&e.render(query));
                EXIT_QUERY
            }
        }
    }
}

/// The embedded graph, or the file given with `--graph`.
fn graph_for(path: Option<&PathBuf>) -> Result<Arc<KnowledgeGraph>, u8> {
    match path {
        Some(p) => load_graph(Some(p)).map(Arc::new),
        None => Ok(Arc::new(KnowledgeGraph::embedded().clone())),
    }
}

/// With no command: the REPL on a terminal, one query a line otherwise.
fn shell(path: Option<PathBuf>) -> u8 {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let label = path.map_or_else(
        || "<embedded graph.ron>".to_owned(),
        |p| p.display().to_string(),
    );
    let ended = if std::io::stdin().is_terminal() {
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let cancel = SHELL_CANCEL.get_or_init(Arc::default).clone();
        let mut session =
            Session::new(kg, label, std::io::stdout(), std::io::stderr()).cancellable(cancel);
        // For tests: each query waits for Ctrl-C, so that a test interrupts one for sure.
        if std::env::var_os("BONEGRAPH_TEST_HOLD_QUERIES").is_some() {
            session = session.hold_queries_until_cancelled();
        }
        repl::run_interactive(session, color)
    } else {
        let mut session = Session::new(
            kg,
            label,
            std::io::stdout().lock(),
            std::io::stderr().lock(),
        );
        repl::run_lines(&mut session, std::io::stdin().lock())
    };
    if let Some(broken) = &ended.broken {
        if !broken.is_closed_pipe() {
            say(&format!("error: {broken}"));
        }
    }
    ended.exit_code()
}

/// Writes `bytes` to `output` atomically, or to standard output.
fn emit(output: Option<&PathBuf>, bytes: &[u8]) -> u8 {
    match output {
        Some(path) => match crate::fsutil::write_atomic(path, bytes) {
            Ok(()) => 0,
            Err(e) => {
                say(&e.render());
                EXIT_IO
            }
        },
        None => to_stdout_or_say(bytes),
    }
}

/// How to run Graphviz.
struct RenderOptions {
    format: Render,
    /// Whether `--max-nodes` was given: then the drawing is as large as asked.
    nodes_chosen: bool,
    timeout: Duration,
}

/// The most nodes `--render` draws without `--max-nodes`: Graphviz lays out 400 in about a
/// second here, 800 in eight, and a thousand-node graph took minutes.
const MAX_RENDER_NODES: usize = 500;

fn dot(
    path: Option<PathBuf>,
    query: Option<&str>,
    schema: bool,
    output: Option<PathBuf>,
    render: Option<RenderOptions>,
    options: bonegraph::render::dot::DotOptions,
) -> u8 {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let text = if schema {
        bonegraph::render::dot::schema_dot(&kg)
    } else if let Some(q) = query {
        match repl::dot_for_query(&kg, q, options) {
            Ok(text) => text,
            Err(message) => {
                say(&message);
                return EXIT_QUERY;
            }
        }
    } else {
        bonegraph::render::dot::graph_dot(&kg, options)
    };
    let Some(render) = render else {
        return emit(output.as_ref(), text.as_bytes());
    };
    let nodes = drawn_nodes(&text);
    if nodes > MAX_RENDER_NODES && !render.nodes_chosen {
        say(&format!(
            "error: the drawing has {nodes} nodes; `--render` draws at most {MAX_RENDER_NODES} \
             unless `--max-nodes` sets the size\n\
             help: `--max-nodes {MAX_RENDER_NODES}` folds the rest into one node per kind; \
             `--max-nodes {nodes}` draws them all, which Graphviz may take minutes to lay out; \
             without `--render` you get the DOT text"
        ));
        return EXIT_USAGE;
    }
    match run_graphviz(&text, &render, nodes) {
        Ok(image) => emit(output.as_ref(), &image),
        Err(message) => {
            say(&message);
            EXIT_IO
        }
    }
}

/// How many nodes a DOT text declares (`"id" [...]` statements; edges are `"a" -> "b"`):
/// what Graphviz has to lay out.
fn drawn_nodes(text: &str) -> usize {
    text.lines()
        .filter(|line| {
            let Some(rest) = line.trim_start().strip_prefix('"') else {
                return false;
            };
            // Past the quoted id (`\"` and `\\` escaped inside), a node has attributes.
            let mut escaped = false;
            let end = rest.char_indices().find(|&(_, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            });
            end.is_some_and(|(i, _)| rest[i + 1..].trim_start().starts_with('['))
        })
        .count()
}

/// Renders DOT text with Graphviz's `dot`, stopping it after the time limit.
fn run_graphviz(text: &str, render: &RenderOptions, nodes: usize) -> Result<Vec<u8>, String> {
    use std::io::Read;
    use std::process::Stdio;
    let flag = match render.format {
        Render::Svg => "-Tsvg",
        Render::Png => "-Tpng",
    };
    let child = std::process::Command::new("dot")
        .arg(flag)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(
                "error: Graphviz's `dot` program is not installed (or not on PATH)\n\
                 help: install Graphviz (Debian/Ubuntu: `apt-get install graphviz`; Fedora: \
                 `dnf install graphviz`; macOS: `brew install graphviz`), or leave out --render \
                 to write DOT text and render it elsewhere"
                    .to_owned(),
            );
        }
        Err(e) => {
            return Err(format!(
                "error: cannot run Graphviz's `dot`: {}",
                describe_io_error(&e)
            ));
        }
    };
    // Feed and drain it from other threads, so that neither side waits on a full pipe.
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    *GRAPHVIZ.lock().unwrap_or_else(PoisonError::into_inner) = Some(child);
    let input = text.as_bytes().to_vec();
    // Graphviz can complain for megabytes: only the start of it is kept, the rest is read
    // and dropped so that it never waits on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>, keep: u64| {
        thread(move || {
            let mut bytes = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.by_ref().take(keep).read_to_end(&mut bytes);
                let _ = std::io::copy(&mut p, &mut std::io::sink());
            }
            bytes
        })
    };
    let threads = thread(move || stdin.map(|mut s| s.write_all(&input))).and_then(|writer| {
        let image = drain(
            stdout.map(|p| Box::new(p) as Box<dyn Read + Send>),
            u64::MAX,
        )?;
        let complaints = drain(
            stderr.map(|p| Box::new(p) as Box<dyn Read + Send>),
            64 << 10,
        )?;
        Ok((writer, image, complaints))
    });
    let (writer, image, complaints) = match threads {
        Ok(t) => t,
        Err(e) => {
            if let Some(mut child) = GRAPHVIZ
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
            {
                let _ = child.kill();
                let _ = child.wait();
            }
            return Err(format!(
                "error: cannot run Graphviz's `dot`: {}",
                describe_io_error(&e)
            ));
        }
    };
    let deadline = Instant::now() + render.timeout;
    let status = loop {
        let mut guard = GRAPHVIZ.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(child) = guard.as_mut() else {
            return Err("error: Graphviz's `dot` was stopped".to_owned());
        };
        match child.try_wait() {
            Ok(Some(status)) => {
                guard.take();
                break status;
            }
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                guard.take();
                return Err(format!(
                    "error: Graphviz's `dot` did not finish within {} s, and was stopped\n\
                     help: draw fewer nodes with `--max-nodes N` (this drawing has {nodes}), or \
                     allow more time with `--render-timeout SECONDS`",
                    render.timeout.as_secs()
                ));
            }
            Ok(None) => {
                drop(guard);
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                guard.take();
                return Err(format!(
                    "error: Graphviz's `dot` failed: {}",
                    describe_io_error(&e)
                ));
            }
        }
    };
    let _ = writer.join();
    let image = image.join().unwrap_or_default();
    let complaints = complaints.join().unwrap_or_default();
    if !status.success() {
        return Err(format!(
            "error: Graphviz's `dot` rejected the drawing: {}",
            first_lines(&String::from_utf8_lossy(&complaints), 8)
        ));
    }
    Ok(image)
}

/// Starts a thread, or says why not (instead of panicking as `std::thread::spawn` does).
fn thread<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<T>> {
    std::thread::Builder::new().spawn(f)
}

/// The first `n` lines of `text` (each at most 200 characters), and a mark if there were more.
fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.trim().lines().collect();
    let mut out: Vec<String> = lines
        .iter()
        .take(n)
        .map(|l| match l.char_indices().nth(200) {
            Some((i, _)) => format!("{}...", &l[..i]),
            None => (*l).to_owned(),
        })
        .collect();
    if lines.len() > n {
        out.push("... (more left out)".to_owned());
    }
    out.join("\n")
}

fn export(
    path: Option<PathBuf>,
    format: ExportFormat,
    base: Option<RdfNames>,
    dialect: Option<Dialect>,
    output: Option<PathBuf>,
) -> u8 {
    use bonegraph::interchange::rdf;
    let rdf_format = match format {
        ExportFormat::Ntriples => Some(rdf::RdfFormat::NTriples),
        ExportFormat::Turtle => Some(rdf::RdfFormat::Turtle),
        _ => None,
    };
    if base.is_some() && rdf_format.is_none() {
        return usage("`--base` is for `--format ntriples` and `--format turtle`");
    }
    if dialect.is_some() && format != ExportFormat::Cypher {
        return usage("`--dialect` is for `--format cypher`");
    }
    if format == ExportFormat::Csv && output.is_none() {
        return usage(
            "`--format csv` writes a directory of files: give it with `-o DIR` (a new or empty directory)",
        );
    }
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let failed = |message: String| {
        say(&format!("error: {message}"));
        EXIT_IO
    };
    let mut bytes = Vec::new();
    match format {
        ExportFormat::Json => {
            let json = bonegraph::export::graph_json(&kg);
            bytes = serde_json::to_vec_pretty(&json).unwrap_or_default();
            bytes.push(b'\n');
        }
        ExportFormat::Ntriples | ExportFormat::Turtle => {
            let names = base.unwrap_or_default();
            let Some(format) = rdf_format else {
                return failed("no RDF format".to_owned());
            };
            if let Err(e) = rdf::write_rdf(&kg, &names, format, &mut bytes) {
                return failed(e.to_string());
            }
        }
        ExportFormat::Cypher => {
            if let Err(e) = pg::write_cypher(&kg, Dialect::chosen(dialect), &mut bytes) {
                return failed(e.to_string());
            }
        }
        ExportFormat::Csv => {
            let Some(dir) = output else {
                return EXIT_USAGE;
            };
            // Staged in a registered temporary directory, so that an interrupt leaves nothing.
            return match fsutil::write_csv_dir(&kg, &dir) {
                Ok(_) => 0,
                Err(fsutil::CsvDirError::Write(e)) => {
                    say(&e.render());
                    EXIT_IO
                }
                Err(fsutil::CsvDirError::Export(pg::PgError::Io(e))) => failed(format!(
                    "cannot write `{}`: {}",
                    dir.display(),
                    describe_io_error(&e)
                )),
                Err(fsutil::CsvDirError::Export(e)) => failed(e.to_string()),
            };
        }
    }
    emit(output.as_ref(), &bytes)
}
