//! The `bonegraph` command line: see `bonegraph --help`.

use bonegraph::interchange::names::RdfNames;
use bonegraph::interchange::pg;
use bonegraph::load::{self, Checked};
use bonegraph::query::translate::Target;
use bonegraph::repl::command::Format as QueryFormat;
use bonegraph::repl::{self, Session};
use bonegraph::report::CheckReport;
use bonegraph::{Diagnostic, EMBEDDED_GRAPH, KnowledgeGraph};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Exit code for a query that cannot be answered as written.
const EXIT_QUERY: u8 = 2;
/// Exit code for a bad graph file or an I/O failure.
const EXIT_GRAPH: u8 = 3;
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
        /// Draw at most N entities; the rest collapse into one summary node per kind.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        max_nodes: Option<u32>,
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(EXIT_USAGE),
            };
        }
    };
    match cli.command {
        Some(Command::Check { file, format }) => check(file.or(cli.graph), format),
        Some(Command::Dot {
            query,
            schema,
            output,
            render,
            max_nodes,
            clusters,
        }) => {
            let options = bonegraph::dot::DotOptions {
                max_nodes: max_nodes.map(|n| n as usize),
                clusters: clusters || (query.is_none() && !schema),
            };
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

/// Reports a usage error (exit 64).
fn usage(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn translate(path: Option<PathBuf>, query: &str, target: Target, names: &RdfNames) -> ExitCode {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let translated = kg
        .prepare(query)
        .and_then(|q| kg.translate(&q, target, names));
    match translated {
        Ok(text) => emit(None, text.as_bytes()),
        Err(e) => {
            eprint!("{}", e.render(query));
            ExitCode::from(EXIT_QUERY)
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

fn check(path: Option<PathBuf>, format: Format) -> ExitCode {
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
    let mut stdout = std::io::stdout().lock();
    let written = match format {
        Format::Text => stdout.write_all(report.render_text(text.as_deref()).as_bytes()),
        Format::Json => serde_json::to_writer_pretty(&mut stdout, &report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(stdout)),
        Format::Audit => match &checked.graph {
            Some(kg) => stdout.write_all(bonegraph::report::audit_markdown(kg).as_bytes()),
            None => stdout.write_all(report.render_text(text.as_deref()).as_bytes()),
        },
    };
    if written.is_err() {
        return ExitCode::from(EXIT_GRAPH);
    }
    if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_GRAPH)
    }
}

/// Loads the graph a command works on, or reports why it cannot (exit 3).
fn load_graph(path: Option<&PathBuf>) -> Result<KnowledgeGraph, ExitCode> {
    let (label, text) = graph_text(path).map_err(|d| {
        eprint!(
            "{}",
            d.render(
                &path.map(|p| p.display().to_string()).unwrap_or_default(),
                None
            )
        );
        ExitCode::from(EXIT_GRAPH)
    })?;
    let checked = load::check_str(&text);
    checked.graph.ok_or_else(|| {
        for d in checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == bonegraph::Severity::Error)
        {
            eprint!("{}", d.render(&label, Some(&text)));
        }
        ExitCode::from(EXIT_GRAPH)
    })
}

fn run_query(path: Option<PathBuf>, query: &str, format: QueryFormat) -> ExitCode {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let mut stdout = std::io::stdout().lock();
    match kg.query(query) {
        Ok(answer) => {
            if format == QueryFormat::Plain {
                if let Some(reason) = &answer.empty_reason {
                    eprintln!("no results: {reason}");
                }
                // Names only on standard output; what the source says against them still shows
                // (a card prints it itself).
                if !matches!(answer.body, bonegraph::Body::Card(_)) {
                    eprint!("{}", answer.conflict_text(&kg));
                }
            }
            let text = repl::render_answer(&kg, &answer, query, format);
            emit(None, text.as_bytes())
        }
        Err(e) => {
            if format == QueryFormat::Json {
                let _ = stdout.write_all(repl::error_json(query, &e).as_bytes());
            } else {
                eprint!("{}", e.render(query));
            }
            ExitCode::from(EXIT_QUERY)
        }
    }
}

/// The embedded graph, or the file given with `--graph`.
fn graph_for(path: Option<&PathBuf>) -> Result<Arc<KnowledgeGraph>, ExitCode> {
    match path {
        Some(p) => load_graph(Some(p)).map(Arc::new),
        None => Ok(Arc::new(KnowledgeGraph::embedded().clone())),
    }
}

/// With no command: the REPL on a terminal, one query a line otherwise.
fn shell(path: Option<PathBuf>) -> ExitCode {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let label = path.map_or_else(
        || "<embedded graph.ron>".to_owned(),
        |p| p.display().to_string(),
    );
    let result = if std::io::stdin().is_terminal() {
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        repl::run_interactive(kg, label, color)
    } else {
        let mut session = Session::new(
            kg,
            label,
            std::io::stdout().lock(),
            std::io::stderr().lock(),
        );
        repl::run_lines(&mut session, std::io::stdin().lock())
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(EXIT_QUERY),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_GRAPH)
        }
    }
}

/// Writes `bytes` to standard output. A reader that stops early (`| head`) is not an error.
fn to_stdout(bytes: &[u8]) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("error: cannot write: {e}"))
        }
        _ => Ok(()),
    }
}

/// Writes `bytes` to `output` atomically, or to standard output.
fn emit(output: Option<&PathBuf>, bytes: &[u8]) -> ExitCode {
    let result = match output {
        Some(path) => bonegraph::fsutil::write_atomic(path, bytes).map_err(|e| {
            format!(
                "error: cannot write `{}`: {}",
                path.display(),
                e.to_string().to_lowercase()
            )
        }),
        None => to_stdout(bytes),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(EXIT_GRAPH)
        }
    }
}

fn dot(
    path: Option<PathBuf>,
    query: Option<&str>,
    schema: bool,
    output: Option<PathBuf>,
    render: Option<Render>,
    options: bonegraph::dot::DotOptions,
) -> ExitCode {
    let kg = match graph_for(path.as_ref()) {
        Ok(kg) => kg,
        Err(code) => return code,
    };
    let text = if schema {
        bonegraph::dot::schema_dot(&kg)
    } else if let Some(q) = query {
        match repl::dot_for_query(&kg, q, options) {
            Ok(text) => text,
            Err(message) => {
                eprint!("{message}");
                if !message.ends_with('\n') {
                    eprintln!();
                }
                return ExitCode::from(EXIT_QUERY);
            }
        }
    } else {
        bonegraph::dot::graph_dot(&kg, options)
    };
    match render {
        None => emit(output.as_ref(), text.as_bytes()),
        Some(format) => match run_graphviz(&text, format) {
            Ok(image) => emit(output.as_ref(), &image),
            Err(message) => {
                eprintln!("{message}");
                ExitCode::from(EXIT_GRAPH)
            }
        },
    }
}

/// Renders DOT text with Graphviz's `dot`.
fn run_graphviz(text: &str, format: Render) -> Result<Vec<u8>, String> {
    use std::process::{Command, Stdio};
    let flag = match format {
        Render::Svg => "-Tsvg",
        Render::Png => "-Tpng",
    };
    let child = Command::new("dot")
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
        Err(e) => return Err(format!("error: cannot run Graphviz's `dot`: {e}")),
    };
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = text.as_bytes().to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("error: Graphviz's `dot` failed: {e}"))?;
    let _ = writer.join();
    if !out.status.success() {
        return Err(format!(
            "error: Graphviz's `dot` rejected the drawing: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

fn export(
    path: Option<PathBuf>,
    format: ExportFormat,
    base: Option<RdfNames>,
    dialect: Option<Dialect>,
    output: Option<PathBuf>,
) -> ExitCode {
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
        eprintln!("error: {message}");
        ExitCode::from(EXIT_GRAPH)
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
            let format = rdf_format.expect("an RDF format");
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
            let dir = output.expect("checked above");
            return match pg::write_csv_dir(&kg, &dir) {
                Ok(_) => ExitCode::SUCCESS,
                Err(pg::PgError::Io(e)) => failed(format!(
                    "cannot write `{}`: {}",
                    dir.display(),
                    e.to_string().to_lowercase()
                )),
                Err(e) => failed(e.to_string()),
            };
        }
    }
    emit(output.as_ref(), &bytes)
}
