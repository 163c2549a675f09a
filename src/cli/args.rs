//! The command line's grammar, as clap types: every command, subcommand and flag, and which
//! of them go together. A combination that makes no sense (`--dialect` on an RDF export,
//! `--render` without `-o`) is a usage error clap reports itself (exit 64); the commands never
//! check flags by hand.

use crate::format::Format as AnswerFormat;
use bonegraph::interchange::names::RdfNames;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "bonegraph",
    version,
    about = "A typed knowledge graph and query engine, with a graph about lung cancer that has \
             spread to bone built in",
    long_about = "A typed knowledge graph and query engine, with a graph about lung cancer that \
        has spread to bone built in.\n\n\
        The built-in graph's knowledge comes from one patient-education article, recorded with \
        provenance.\nIt records what that source says; it is not medical advice.",
    after_help = "With no command, bonegraph opens an interactive shell on a terminal, and reads one\nquery or :command a line from piped input.\n\nExit codes: 0 ok (an empty answer is ok), 2 bad query, 3 bad graph file or I/O error, 64 usage error."
)]
pub struct Cli {
    /// Use this graph file instead of the embedded graph.
    #[arg(long, global = true, value_name = "FILE")]
    pub graph: Option<PathBuf>,

    /// When to colour errors, prompts and help: auto (a terminal, unless NO_COLOR,
    /// CLICOLOR=0 or TERM=dumb; CLICOLOR_FORCE forces it), always or never.
    #[arg(long = "color", global = true, value_enum, default_value_t = crate::diagnostics::Colour::Auto, value_name = "WHEN")]
    pub colour: crate::diagnostics::Colour,

    /// With no command: run the queries and :commands of FILE, one a line (as piped input
    /// is run), instead of opening the shell.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Answer one query, e.g. `bonegraph query "therapies treating fracture"` on the embedded
    /// graph.
    Query {
        /// The query (see grammar/README.md), or a plain question (`what treats bone pain?`),
        /// which is read as a query first. Several words are one query: quotes are optional.
        #[arg(required = true, num_args = 1..)]
        query: Vec<String>,
        /// Output format (default: table on a terminal, plain otherwise).
        #[arg(long, value_enum)]
        format: Option<AnswerFormat>,
        /// Take the text only as a canonical query: a plain question is an error, not read.
        /// For scripts that must not have their queries re-read.
        #[arg(long)]
        canonical: bool,
    },
    /// Graphviz DOT of the whole graph, of the schema, or of the evidence behind one answer.
    Dot(DotArgs),
    /// Export the whole graph (schema, sources, entities, relations with provenance) as JSON,
    /// RDF (for triple stores), a property graph (for Neo4j and Kuzu) or tables (for SQL
    /// engines).
    #[command(subcommand)]
    Export(Export),
    /// Translate a query to SPARQL, Cypher or SQL with the same answer set over the exported graph.
    #[command(
        subcommand,
        after_help = "SPARQL runs on `bonegraph export rdf` loaded into a triple store such as Oxigraph;\n\
                      Cypher on `bonegraph export cypher` or `bonegraph export csv` loaded into Neo4j or Kuzu.\n\
                      Exit codes: 0 ok, 2 a query that is wrong or that the language cannot say (paths in\n\
                      SPARQL), 3 bad graph file, 64 usage error. See docs/interchange.md."
    )]
    Translate(Translate),
    /// Validate and lint a graph file; exit 3 if it has errors.
    Check {
        /// The file to check (default: --graph FILE, or the embedded graph).
        file: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Compile a graph file into a checked binary snapshot that loads with no parse and no
    /// validation, e.g. `bonegraph compile graph.ron -o graph.bgs`, then `bonegraph --graph
    /// graph.bgs query ...`; exit 3 if the file has errors.
    Compile {
        /// The graph file to compile (default: --graph FILE, or the embedded graph).
        file: Option<PathBuf>,
        /// Write the snapshot to FILE (atomically).
        #[arg(short = 'o', long = "output", value_name = "FILE", required = true)]
        output: PathBuf,
    },
    /// Print a shell completion script, e.g. `bonegraph completions bash >
    /// ~/.local/share/bash-completion/completions/bonegraph`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `bonegraph man > bonegraph.1 && man ./bonegraph.1`.
    Man,
    /// `bonegraph "what treats bone pain?"`: a query or question given in place of a command
    /// (it must hold a space or a `?`, so that a misspelt command stays a usage error).
    #[command(external_subcommand)]
    Ask(Vec<String>),
}

/// `bonegraph dot`.
#[derive(Args, Debug)]
pub struct DotArgs {
    /// Draw the evidence behind this query's answer (default: the whole graph).
    pub query: Option<String>,
    /// Draw the schema: kinds as nodes, relation types as edges with their phrases.
    #[arg(long, conflicts_with_all = ["query", "max_nodes", "clusters"])]
    pub schema: bool,
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Run Graphviz `dot` and write an image instead of DOT text, to -o FILE or to standard
    /// output (an SVG anywhere; a PNG or PDF only into a file or a pipe). Without it, -o
    /// FILE picks by its extension: .svg, .png, .pdf render; anything else is DOT text.
    #[arg(long, value_enum)]
    pub render: Option<Render>,
    /// Draw at most N entities: the rows, the entities the query named and those nearest
    /// them first (for the whole graph, the most connected); the rest fold into one summary
    /// node per kind, and at most 1.5 edges per entity are drawn. Needed to render a drawing
    /// of more than 500 nodes.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_nodes: Option<u32>,
    /// Stop Graphviz if it has not finished rendering after this many seconds.
    /// (Default 60; only when an image is rendered.)
    #[arg(long, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub render_timeout: Option<u64>,
    /// Group entities into one box per kind (default for the whole graph).
    #[arg(long)]
    pub clusters: bool,
    /// The picture's language: Graphviz DOT, or a Mermaid flowchart for Markdown pages that
    /// render Mermaid (text only: not with --render or an image file).
    #[arg(long, value_enum, default_value_t = PictureFormat::Dot)]
    pub format: PictureFormat,
}

/// The language of `bonegraph dot`'s pictures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PictureFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// `bonegraph export FAMILY`: one subcommand per family of formats, each with only the flags
/// that family has.
#[derive(Subcommand, Debug)]
pub enum Export {
    /// The whole graph as one JSON object.
    Json {
        #[command(flatten)]
        input: Input,
        #[command(flatten)]
        output: OutputFile,
    },
    /// RDF for triple stores such as Oxigraph: every entity, relation and its provenance.
    Rdf {
        #[command(flatten)]
        input: Input,
        /// The RDF syntax.
        #[arg(long, value_enum)]
        format: RdfSyntax,
        /// The IRI every RDF name is built under: absolute, ending in `/`, without `#`.
        /// Default: `https://bonegraph.example/`
        #[arg(long, value_name = "IRI", value_parser = parse_base)]
        base: Option<RdfNames>,
        #[command(flatten)]
        output: OutputFile,
    },
    /// A Cypher script that builds the graph in Neo4j or Kuzu.
    Cypher {
        #[command(flatten)]
        input: Input,
        /// The database the script is for.
        #[arg(long, value_enum, default_value_t = Dialect::Neo4j)]
        dialect: Dialect,
        #[command(flatten)]
        output: OutputFile,
    },
    /// CSV files and import scripts for Neo4j and Kuzu, in a new or empty directory.
    Csv {
        #[command(flatten)]
        input: Input,
        /// The directory to write (a new or empty one), made atomically.
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: PathBuf,
    },
    /// Tables for SQL engines (DuckDB, Spark, PostgreSQL) as Parquet and CSV files with load
    /// scripts, in a new or empty directory.
    #[command(
        after_help = "Files: entities.parquet, edges.parquet, attributes.parquet; the same tables as \
                      entities.csv, edges.csv,\nattributes.csv; duckdb.sql and spark.sql (views over the \
                      Parquet files) and postgres.sql (CREATE TABLE\nand psql \\copy from the CSV files). \
                      The scripts' paths are relative: run them inside DIR,\ne.g. `cd DIR && duckdb \
                      -init duckdb.sql`, `psql -f postgres.sql`, `spark-sql -i spark.sql`.\nSee \
                      docs/interchange.md."
    )]
    #[cfg(feature = "parquet")]
    Parquet {
        #[command(flatten)]
        input: Input,
        /// The directory to write (a new or empty one), made atomically.
        #[arg(short = 'o', long = "output", value_name = "DIR")]
        output: PathBuf,
    },
}

/// The graph an export reads.
#[derive(Args, Debug)]
pub struct Input {
    /// The graph file to export (default: --graph FILE, or the embedded graph).
    pub file: Option<PathBuf>,
}

/// Where an export writes one file.
#[derive(Args, Debug)]
pub struct OutputFile {
    /// Write to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `bonegraph translate LANGUAGE`: one subcommand per language, each with only its own flags.
#[derive(Subcommand, Debug)]
pub enum Translate {
    /// SPARQL 1.1, over the RDF export (`bonegraph export rdf`).
    Sparql {
        /// The query (see grammar/README.md).
        query: String,
        /// The base IRI the RDF export used. Default: `https://bonegraph.example/`
        #[arg(long, value_name = "IRI", value_parser = parse_base)]
        base: Option<RdfNames>,
    },
    /// Cypher, over the property-graph export (`bonegraph export cypher` or `export csv`).
    Cypher {
        /// The query (see grammar/README.md).
        query: String,
        /// The database the query is for: path queries differ between them.
        #[arg(long, value_enum, default_value_t = Dialect::Neo4j)]
        dialect: Dialect,
    },
    /// SQL over the tables of `bonegraph export parquet` (`entities`, `edges`, `attributes`):
    /// run the export's `spark.sql`, `duckdb.sql` or `postgres.sql` first.
    Sql {
        /// The query (see grammar/README.md).
        query: String,
        /// The engine the query is for: string literals and path queries differ between them.
        #[arg(long, value_enum)]
        dialect: SqlDialect,
    },
}

/// The SQL engines `translate sql` writes for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlDialect {
    /// Apache Spark SQL 4 (spark-sql, PySpark, spark-submit).
    Spark,
    /// DuckDB.
    Duckdb,
    /// PostgreSQL.
    Postgres,
}

impl SqlDialect {
    /// The library's dialect.
    pub fn sql(self) -> bonegraph::query::translate::SqlDialect {
        use bonegraph::query::translate::SqlDialect as D;
        match self {
            SqlDialect::Spark => D::Spark,
            SqlDialect::Duckdb => D::DuckDb,
            SqlDialect::Postgres => D::Postgres,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Render {
    /// Scalable vector graphics.
    Svg,
    /// A PNG image.
    Png,
    /// A PDF document.
    Pdf,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RdfSyntax {
    /// N-Triples: one triple a line, every IRI in full.
    Ntriples,
    /// Turtle: prefixed names, one block per subject.
    Turtle,
}

impl RdfSyntax {
    /// The library's format.
    pub fn format(self) -> bonegraph::interchange::rdf::RdfFormat {
        use bonegraph::interchange::rdf::RdfFormat;
        match self {
            RdfSyntax::Ntriples => RdfFormat::NTriples,
            RdfSyntax::Turtle => RdfFormat::Turtle,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Neo4j 5.
    Neo4j,
    /// Kuzu.
    Kuzu,
}

impl Dialect {
    /// The library's dialect.
    pub fn pg(self) -> bonegraph::interchange::pg::Dialect {
        use bonegraph::interchange::pg;
        match self {
            Dialect::Neo4j => pg::Dialect::Neo4j,
            Dialect::Kuzu => pg::Dialect::Kuzu,
        }
    }
}

fn parse_base(text: &str) -> Result<RdfNames, String> {
    RdfNames::parse_base(text)
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    /// Human-readable text.
    Text,
    /// One JSON object.
    Json,
    /// Every edge and attribute value with its audit verdict (`basis`), as Markdown tables.
    Audit,
}

#[cfg(test)]
mod tests {
    use super::Cli;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
