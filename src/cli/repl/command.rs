//! The REPL's meta-commands (`:help`, `:schema`, ...) as data, parsed from a line.

use bonegraph::query::translate::{Dialect, Target};
use bonegraph::text::suggest;
use std::path::PathBuf;

/// Output format for answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per answer with name, kind and the main evidence.
    Table,
    /// One JSON object per answer.
    Json,
    /// Names only, one per line.
    Plain,
}

impl Format {
    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Plain => "plain",
        }
    }
}

/// A meta-command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meta {
    /// `:help [topic]`
    Help(Option<String>),
    /// `:schema [relation]`: the phrase book.
    Schema(Option<String>),
    /// `:kinds`
    Kinds,
    /// `:explain N`: the full evidence of row (or path) N of the last answer.
    Explain(usize),
    /// `:why`: why the last answer was empty.
    Why,
    /// `:dot [QUERY] [> FILE]`
    Dot {
        /// The query to draw; the last answer if absent.
        query: Option<String>,
        /// Where to write; standard output if absent.
        file: Option<PathBuf>,
    },
    /// `:format [table|json|plain]`
    Format(Option<Format>),
    /// `:sources`: the references behind the last answer.
    Sources,
    /// `:stats`
    Stats,
    /// `:load FILE`
    Load(PathBuf),
    /// `:sparql [QUERY]`, `:cypher [QUERY]`: the query (or the last one) in another language.
    Translate {
        /// SPARQL or Cypher (Neo4j).
        to: bonegraph::query::translate::Target,
        /// The query to translate; the last one if absent.
        query: Option<String>,
    },
    /// `:quit`
    Quit,
}

/// Every command: name, arguments, one-line description. Drives parsing, `:help` and completion.
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "help",
        "[topic]",
        "show help; topics: queries, names, answers, commands",
    ),
    (
        "schema",
        "[relation]",
        "the phrase book: each relation, its kinds and every way to say it",
    ),
    (
        "kinds",
        "",
        "the kinds of entity, with their words and sizes",
    ),
    (
        "explain",
        "N",
        "the full evidence for row (or path) N of the last answer",
    ),
    ("why", "", "for an empty answer: which step came up empty"),
    (
        "dot",
        "[QUERY] [> FILE]",
        "Graphviz DOT of the evidence of QUERY (or the last answer)",
    ),
    (
        "format",
        "[table|json|plain]",
        "show or set how answers are printed",
    ),
    (
        "sources",
        "",
        "the sources and sections behind the last answer",
    ),
    ("stats", "", "the size of the graph and of this session"),
    ("load", "FILE", "load another graph file"),
    (
        "sparql",
        "[QUERY]",
        "QUERY (or the last one) as SPARQL over `bonegraph export --format turtle`",
    ),
    (
        "cypher",
        "[QUERY]",
        "QUERY (or the last one) as Cypher (Neo4j) over `bonegraph export --format cypher`",
    ),
    ("quit", "", "leave (Ctrl-D does too)"),
];

/// Other names accepted for commands.
const ALIASES: &[(&str, &str)] = &[
    ("q", "quit"),
    ("exit", "quit"),
    ("h", "help"),
    ("?", "help"),
];

/// Parses a line that starts with `:`. The error is a message for the user.
pub fn parse(line: &str) -> Result<Meta, String> {
    let body = line.trim().trim_start_matches(':');
    let (name, rest) = match body.split_once(char::is_whitespace) {
        Some((n, r)) => (n, r.trim()),
        None => (body, ""),
    };
    let name = name.to_lowercase();
    let name = ALIASES
        .iter()
        .find(|(a, _)| *a == name)
        .map_or(name.as_str(), |(_, n)| n);
    let arg = (!rest.is_empty()).then(|| rest.to_owned());
    let no_args = |m: Meta| {
        if rest.is_empty() {
            Ok(m)
        } else {
            Err(format!("`:{name}` takes no arguments"))
        }
    };
    match name {
        "help" => Ok(Meta::Help(arg)),
        "schema" => Ok(Meta::Schema(arg)),
        "kinds" => no_args(Meta::Kinds),
        "why" => no_args(Meta::Why),
        "sources" => no_args(Meta::Sources),
        "stats" => no_args(Meta::Stats),
        "quit" => no_args(Meta::Quit),
        "explain" => match rest.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(Meta::Explain(n)),
            _ => Err("`:explain` takes a row number, as in `:explain 1`".to_owned()),
        },
        "format" => match rest {
            "" => Ok(Meta::Format(None)),
            "table" => Ok(Meta::Format(Some(Format::Table))),
            "json" => Ok(Meta::Format(Some(Format::Json))),
            "plain" => Ok(Meta::Format(Some(Format::Plain))),
            other => Err(format!(
                "unknown format `{other}`; use table, json or plain"
            )),
        },
        "load" => match arg {
            Some(path) => Ok(Meta::Load(PathBuf::from(path))),
            None => Err("`:load` needs a file, as in `:load graph.ron`".to_owned()),
        },
        "dot" => {
            let (query, file) = match rest.rsplit_once('>') {
                Some((q, f)) => {
                    let f = f.trim();
                    if f.is_empty() {
                        return Err(
                            "`>` needs a file name after it, as in `:dot > answer.dot`".to_owned()
                        );
                    }
                    (q.trim(), Some(PathBuf::from(f)))
                }
                None => (rest, None),
            };
            Ok(Meta::Dot {
                query: (!query.is_empty()).then(|| query.to_owned()),
                file,
            })
        }
        "sparql" => Ok(Meta::Translate {
            to: Target::Sparql,
            query: arg,
        }),
        "cypher" => Ok(Meta::Translate {
            to: Target::Cypher(Dialect::Neo4j),
            query: arg,
        }),
        "" => Err("a command name must follow `:`; `:help` lists them".to_owned()),
        other => {
            let names = COMMANDS.iter().map(|(n, _, _)| *n);
            Err(match suggest(other, names) {
                Some(s) => format!("unknown command `:{other}`; did you mean `:{s}`?"),
                None => format!("unknown command `:{other}`; `:help` lists the commands"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(parse(":explain 2"), Ok(Meta::Explain(2)));
        assert_eq!(parse(":q"), Ok(Meta::Quit));
        assert_eq!(parse(":format json"), Ok(Meta::Format(Some(Format::Json))));
        assert_eq!(
            parse(":dot therapies treating fracture > out.dot"),
            Ok(Meta::Dot {
                query: Some("therapies treating fracture".to_owned()),
                file: Some(PathBuf::from("out.dot"))
            })
        );
        assert_eq!(
            parse(":cypher describe denosumab"),
            Ok(Meta::Translate {
                to: Target::Cypher(Dialect::Neo4j),
                query: Some("describe denosumab".to_owned())
            })
        );
        assert_eq!(
            parse(":sparql"),
            Ok(Meta::Translate {
                to: Target::Sparql,
                query: None
            })
        );
        assert_eq!(
            parse(":dot"),
            Ok(Meta::Dot {
                query: None,
                file: None
            })
        );
    }

    #[test]
    fn mistakes_get_a_message_with_a_suggestion() {
        assert_eq!(
            parse(":shema"),
            Err("unknown command `:shema`; did you mean `:schema`?".to_owned())
        );
        assert_eq!(
            parse(":explain x"),
            Err("`:explain` takes a row number, as in `:explain 1`".to_owned())
        );
        assert_eq!(
            parse(":format yaml"),
            Err("unknown format `yaml`; use table, json or plain".to_owned())
        );
        assert!(parse(":kinds extra").is_err());
        assert_eq!(
            parse(":sprql"),
            Err("unknown command `:sprql`; did you mean `:sparql`?".to_owned())
        );
        assert!(parse(":").is_err());
    }
}
