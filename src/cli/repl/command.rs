//! The shell's meta-commands (`:help`, `:schema`, ...) as data, parsed from a line; a line
//! that is not a command is a [`ShellError`] that says what would be.

use super::error::ShellError;
use crate::format::Format;
use bonegraph::query::translate::{Dialect, Target};
use bonegraph::text::suggest;
use std::path::PathBuf;

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
    /// `:dot [mermaid] [QUERY] [> FILE]`
    Dot {
        /// The query to draw; the last answer if absent.
        query: Option<String>,
        /// Where to write; standard output if absent.
        file: Option<PathBuf>,
        /// A Mermaid flowchart rather than Graphviz DOT.
        mermaid: bool,
    },
    /// `:format [MODE]` (or `:mode`): table, json, plain, csv, markdown or line.
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
    /// `:output [FILE]`: answers to FILE from now on (none: back to standard output).
    Output(Option<PathBuf>),
    /// `:once FILE`: the next answer to FILE.
    Once(PathBuf),
    /// `:read FILE`: run the queries and commands of FILE, one a line.
    Read(PathBuf),
    /// `:timer [on|off]`: whether an interactive session says how long each answer took.
    Timer(Option<bool>),
    /// `:pager [on|off]`: whether answers longer than the screen go through the pager.
    Pager(Option<bool>),
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
        "[mermaid] [QUERY]",
        "Graphviz DOT (or a Mermaid flowchart) of the evidence of QUERY (or the last answer); `> FILE` writes it",
    ),
    (
        "format",
        "[MODE]",
        "show or set how answers are printed: table, json, plain, csv, markdown, line (or `:mode`)",
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
        "QUERY (or the last one) as SPARQL over `bonegraph export rdf`",
    ),
    (
        "cypher",
        "[QUERY]",
        "QUERY (or the last one) as Cypher (Neo4j) over `bonegraph export cypher`",
    ),
    (
        "read",
        "FILE",
        "run the queries and commands of FILE, one a line",
    ),
    (
        "timer",
        "[on|off]",
        "show or set whether answers say how long they took",
    ),
    (
        "pager",
        "[on|off]",
        "show or set whether answers longer than the screen go through $PAGER (less)",
    ),
    ("quit", "", "leave (Ctrl-D does too)"),
];

/// Other names accepted for commands.
const ALIASES: &[(&str, &str)] = &[
    ("q", "quit"),
    ("exit", "quit"),
    ("h", "help"),
    ("mode", "format"),
    ("?", "help"),
];

/// The words people type to other shells for help and to leave (`help`, `exit`, `.quit`,
/// `\q`), as the meta-command they mean.
pub fn bare(line: &str) -> Option<&'static str> {
    match line.trim().to_lowercase().as_str() {
        "help" | ".help" | "\\?" | "\\h" | "?" => Some(":help"),
        "quit" | "exit" | ".quit" | ".exit" | "\\q" | "bye" => Some(":quit"),
        _ => None,
    }
}

/// A file name as typed, with a leading `~/` (or `~` alone) for the home directory, as a
/// shell would read it.
fn expand_home(path: &str) -> PathBuf {
    let home = || std::env::var_os("HOME").filter(|h| !h.is_empty());
    match (path.strip_prefix("~/"), home()) {
        (Some(rest), Some(h)) => PathBuf::from(h).join(rest),
        _ if path == "~" => home().map_or_else(|| PathBuf::from(path), PathBuf::from),
        _ => PathBuf::from(path),
    }
}

/// Parses a line that starts with `:`.
pub fn parse(line: &str) -> Result<Meta, ShellError> {
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
    // A unique prefix names its command (`:ex` is `:explain`); an ambiguous one lists them.
    let starting: Vec<&str> = COMMANDS
        .iter()
        .map(|(n, _, _)| *n)
        .filter(|n| !name.is_empty() && n.starts_with(name))
        .collect();
    let name = match starting[..] {
        _ if COMMANDS.iter().any(|(n, _, _)| *n == name) => name,
        [only] => only,
        [_, _, ..] => {
            return Err(ShellError::AmbiguousCommand {
                prefix: name.to_owned(),
                commands: starting.iter().map(|c| (*c).to_owned()).collect(),
            });
        }
        [] => name,
    };
    let arg = (!rest.is_empty()).then(|| rest.to_owned());
    let no_args = |command: &'static str, m: Meta| {
        if rest.is_empty() {
            Ok(m)
        } else {
            Err(ShellError::NoArguments { command })
        }
    };
    match name {
        "help" => Ok(Meta::Help(arg)),
        "schema" => Ok(Meta::Schema(arg)),
        "kinds" => no_args("kinds", Meta::Kinds),
        "why" => no_args("why", Meta::Why),
        "sources" => no_args("sources", Meta::Sources),
        "stats" => no_args("stats", Meta::Stats),
        "quit" => no_args("quit", Meta::Quit),
        "timer" => match rest {
            "" => Ok(Meta::Timer(None)),
            "on" => Ok(Meta::Timer(Some(true))),
            "off" => Ok(Meta::Timer(Some(false))),
            _ => Err(ShellError::OnOrOff { command: "timer" }),
        },
        "pager" => match rest {
            "" => Ok(Meta::Pager(None)),
            "on" => Ok(Meta::Pager(Some(true))),
            "off" => Ok(Meta::Pager(Some(false))),
            _ => Err(ShellError::OnOrOff { command: "pager" }),
        },
        "explain" => match rest.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(Meta::Explain(n)),
            _ => Err(ShellError::NotARowNumber),
        },
        "format" => match rest {
            "" => Ok(Meta::Format(None)),
            other => Format::ALL
                .into_iter()
                .find(|f| f.as_str() == other)
                .map(|f| Meta::Format(Some(f)))
                .ok_or_else(|| ShellError::UnknownFormat(other.to_owned())),
        },
        "output" => Ok(Meta::Output(arg.map(|a| expand_home(&a)))),
        "once" => match arg {
            Some(path) => Ok(Meta::Once(expand_home(&path))),
            None => Err(ShellError::OnceNeedsFile),
        },
        "read" => match arg {
            Some(path) => Ok(Meta::Read(expand_home(&path))),
            None => Err(ShellError::ReadNeedsFile),
        },
        "load" => match arg {
            Some(path) => Ok(Meta::Load(expand_home(&path))),
            None => Err(ShellError::LoadNeedsFile),
        },
        "dot" => {
            let (query, file) = match rest.rsplit_once('>') {
                Some((q, f)) => {
                    let f = f.trim();
                    if f.is_empty() {
                        return Err(ShellError::RedirectNeedsFile);
                    }
                    (q.trim(), Some(expand_home(f)))
                }
                None => (rest, None),
            };
            // `mermaid` as the first word picks the language.
            let (mermaid, query) = match query.split_once(char::is_whitespace) {
                Some((first, q)) if first.eq_ignore_ascii_case("mermaid") => (true, q.trim()),
                None if query.eq_ignore_ascii_case("mermaid") => (true, ""),
                _ => (false, query),
            };
            Ok(Meta::Dot {
                query: (!query.is_empty()).then(|| query.to_owned()),
                file,
                mermaid,
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
        "" => Err(ShellError::NoCommandName),
        other => {
            let names = COMMANDS.iter().map(|(n, _, _)| *n);
            Err(ShellError::UnknownCommand {
                name: other.to_owned(),
                suggestion: suggest(other, names),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(line: &str) -> Meta {
        parse(line).unwrap()
    }

    #[test]
    fn a_leading_tilde_is_the_home_directory() {
        let home = std::env::var("HOME").unwrap_or_default();
        if home.is_empty() {
            return;
        }
        assert_eq!(expand_home("~/x.dot"), PathBuf::from(&home).join("x.dot"));
        assert_eq!(expand_home("a/~/x"), PathBuf::from("a/~/x"));
        match parse(":dot > ~/answer.dot").unwrap() {
            Meta::Dot { file, .. } => {
                assert_eq!(file, Some(PathBuf::from(&home).join("answer.dot")))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unique_prefixes_name_their_command_and_ambiguous_ones_list_them() {
        assert_eq!(ok(":ex 2"), Meta::Explain(2));
        assert_eq!(ok(":ki"), Meta::Kinds);
        match parse(":s") {
            Err(ShellError::AmbiguousCommand { commands, .. }) => {
                assert!(
                    commands.contains(&"schema".to_owned())
                        && commands.contains(&"stats".to_owned())
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(bare("exit"), Some(":quit"));
        assert_eq!(bare("\\q"), Some(":quit"));
        assert_eq!(bare(".help"), Some(":help"));
        assert_eq!(bare("helpful"), None);
    }

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(ok(":explain 2"), Meta::Explain(2));
        assert_eq!(ok(":q"), Meta::Quit);
        assert_eq!(ok(":format json"), Meta::Format(Some(Format::Json)));
        assert_eq!(
            ok(":dot therapies treating fracture > out.dot"),
            Meta::Dot {
                query: Some("therapies treating fracture".to_owned()),
                file: Some(PathBuf::from("out.dot")),
                mermaid: false,
            }
        );
        assert_eq!(
            ok(":dot mermaid therapies treating fracture > out.mmd"),
            Meta::Dot {
                query: Some("therapies treating fracture".to_owned()),
                file: Some(PathBuf::from("out.mmd")),
                mermaid: true,
            }
        );
        assert_eq!(
            ok(":dot Mermaid"),
            Meta::Dot {
                query: None,
                file: None,
                mermaid: true,
            }
        );
        assert_eq!(
            ok(":cypher describe denosumab"),
            Meta::Translate {
                to: Target::Cypher(Dialect::Neo4j),
                query: Some("describe denosumab".to_owned())
            }
        );
        assert_eq!(
            ok(":sparql"),
            Meta::Translate {
                to: Target::Sparql,
                query: None
            }
        );
        assert_eq!(
            ok(":dot"),
            Meta::Dot {
                query: None,
                file: None,
                mermaid: false,
            }
        );
    }

    /// The message and the help line of the error `line` gives.
    fn mistake(line: &str) -> (String, Option<String>) {
        let e = parse(line).unwrap_err();
        (e.to_string(), e.help())
    }

    #[test]
    fn mistakes_get_a_message_with_a_suggestion() {
        let said = |m: &str, h: &str| (m.to_owned(), Some(h.to_owned()));
        assert_eq!(
            mistake(":shema"),
            said("unknown command `:shema`", "did you mean `:schema`?")
        );
        assert_eq!(
            mistake(":explain x"),
            said("`:explain` takes a row number", "as in `:explain 1`")
        );
        assert_eq!(
            mistake(":format yaml"),
            said(
                "unknown format `yaml`",
                "use table, json, plain, csv, markdown or line"
            )
        );
        assert_eq!(
            mistake(":kinds extra"),
            ("`:kinds` takes no arguments".to_owned(), None)
        );
        assert_eq!(
            mistake(":sprql"),
            said("unknown command `:sprql`", "did you mean `:sparql`?")
        );
        assert_eq!(
            mistake(":"),
            said(
                "a command name must follow `:`",
                "`:help` lists the commands"
            )
        );
    }
}
