//! The interactive shell: a session that answers queries and meta-commands, an interactive
//! loop over rustyline, and a plain loop for piped input.
//!
//! [`Session`] owns all state (the graph, the last answer, the output format) and writes to
//! any `Write`, so it is tested without a terminal. The rustyline helper
//! ([`helper::ReplHelper`]) only reads the graph's vocabulary.

pub mod command;
pub mod helper;
#[cfg(test)]
mod tests;

use crate::fsutil::{describe_io_error, write_atomic};
use bonegraph::interchange::names::RdfNames;
use bonegraph::query::answer::{Answer, Body};
use bonegraph::query::translate::Target;
use bonegraph::query::vocab::Class;
use bonegraph::render::dot;
use bonegraph::{KindId, KnowledgeGraph, RelId};
use command::{COMMANDS, Format, Meta};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Exit code for a query that cannot be answered as written (for piped input: any line
/// failed).
pub const EXIT_QUERY: u8 = 2;
/// Exit code for a bad graph file or an I/O failure.
pub const EXIT_IO: u8 = 3;

/// The longest line piped input may have, in bytes. A longer line is skipped without being
/// held in memory: no query may be longer than 4 KiB, and no path this long opens.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// The answer to one query, as a user sees it in `format`.
pub fn render_answer(kg: &KnowledgeGraph, answer: &Answer, query: &str, format: Format) -> String {
    match format {
        Format::Table => answer.to_table(kg),
        Format::Plain => answer.to_plain(kg),
        Format::Json => answer.to_json(kg, query).to_string() + "\n",
    }
}

/// A query error as JSON: `{"query", "error": {"kind", "message", "span", "suggestions", "help"}}`.
pub fn error_json(query: &str, e: &bonegraph::QueryError) -> String {
    serde_json::json!({ "query": query, "error": {
        "kind": e.kind,
        "message": e.message,
        "span": [e.span.start, e.span.end],
        "suggestions": e.suggestions,
        "help": e.help,
    }})
    .to_string()
        + "\n"
}

/// DOT of the evidence behind `query`'s answer; the error is rendered for the user.
pub fn dot_for_query(
    kg: &KnowledgeGraph,
    query: &str,
    options: dot::DotOptions,
) -> Result<String, String> {
    dot::query_dot(kg, query, options)
        .map_err(|e| e.render(query))?
        .ok_or_else(|| "error: a count has no evidence to draw; ask without `count`".to_owned())
}

/// What the loop should do after a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Read the next line.
    Continue,
    /// Leave.
    Quit,
}

/// A stream the session needs failed, so it cannot go on. Whoever reads its output going
/// away (a closed pipe, as with `| head`) is one such end, and not an error.
#[derive(Debug, thiserror::Error)]
pub enum Broken {
    /// Writing an answer failed: `bonegraph > /dev/full`.
    #[error("cannot write the answer: {}", describe_io_error(.0))]
    Output(#[source] io::Error),
    /// Writing an error message failed: `bonegraph 2> /dev/full`.
    #[error("cannot write an error message: {}", describe_io_error(.0))]
    Errors(#[source] io::Error),
    /// Reading the input failed: `bonegraph < /`.
    #[error("cannot read the input: {}", describe_io_error(.0))]
    Input(#[source] io::Error),
}

impl Broken {
    /// Whether the reader of the output or of the errors went away (a closed pipe): the
    /// session ends quietly, as if its input had ended.
    pub fn is_closed_pipe(&self) -> bool {
        match self {
            Broken::Output(e) | Broken::Errors(e) => e.kind() == io::ErrorKind::BrokenPipe,
            Broken::Input(_) => false,
        }
    }
}

/// How a session over many lines ended.
#[derive(Debug)]
pub struct Ended {
    /// How many lines failed.
    pub failures: usize,
    /// The stream that failed, if one did; the session stopped there.
    pub broken: Option<Broken>,
}

impl Ended {
    /// The exit code this ending calls for: 3 if a stream failed (a closed pipe is not a
    /// failure), else 2 if any line failed, else 0.
    pub fn exit_code(&self) -> u8 {
        match &self.broken {
            Some(b) if !b.is_closed_pipe() => EXIT_IO,
            _ if self.failures > 0 => EXIT_QUERY,
            _ => 0,
        }
    }
}

/// What one line produced.
enum Reply {
    /// Text for the output: the line succeeded.
    Answer(String),
    /// Leave.
    Quit,
    /// The line failed: what goes to the output (a JSON error) and to the errors.
    Failed { out: String, err: String },
    /// The query was cancelled (Ctrl-C): said on the errors, not counted as a failure.
    Cancelled(String),
}

/// One REPL session over a graph.
pub struct Session<W: Write, E: Write> {
    kg: Arc<KnowledgeGraph>,
    label: String,
    format: Format,
    last: Option<(String, Answer)>,
    out: W,
    err: E,
    /// Print timings and colour (a terminal session).
    interactive: bool,
    color: bool,
    queries: usize,
    failures: usize,
    generation: usize,
    /// Set (by a SIGINT handler) to stop the running query; cleared before each one.
    cancel: Option<Arc<AtomicBool>>,
    /// For tests of cancellation only: each query waits for `cancel` before it runs.
    hold_queries: bool,
}

impl<W: Write, E: Write> Session<W, E> {
    /// A session over `kg` (named `label` in messages), writing answers to `out` and errors
    /// to `err`.
    pub fn new(kg: Arc<KnowledgeGraph>, label: impl Into<String>, out: W, err: E) -> Self {
        Session {
            kg,
            label: label.into(),
            format: Format::Table,
            last: None,
            out,
            err,
            interactive: false,
            color: false,
            queries: 0,
            failures: 0,
            generation: 0,
            cancel: None,
            hold_queries: false,
        }
    }

    /// Lets another thread (a SIGINT handler) stop a running query by setting `flag`; the
    /// session clears it before each query.
    pub fn cancellable(mut self, flag: Arc<AtomicBool>) -> Self {
        self.cancel = Some(flag);
        self
    }

    /// For tests of cancellation only: each query waits (up to a minute) for the cancel flag
    /// before it runs, so that a test can interrupt a query that is certainly running.
    #[doc(hidden)]
    pub fn hold_queries_until_cancelled(mut self) -> Self {
        self.hold_queries = true;
        self
    }

    /// Turns on what only a person at a terminal wants: timings, and colour if `color`.
    pub fn interactive(mut self, color: bool) -> Self {
        self.interactive = true;
        self.color = color;
        self
    }

    /// The graph in use.
    pub fn graph(&self) -> &Arc<KnowledgeGraph> {
        &self.kg
    }

    /// Increases each time `:load` replaces the graph.
    pub fn generation(&self) -> usize {
        self.generation
    }

    /// The output and error streams, giving the session up (for tests that read them).
    #[cfg(test)]
    pub fn into_streams(self) -> (W, E) {
        (self.out, self.err)
    }

    /// How many lines failed so far.
    #[cfg(test)]
    pub fn failures(&self) -> usize {
        self.failures
    }

    /// The banner shown when an interactive session starts.
    pub fn banner(&self) -> String {
        format!(
            "bonegraph {}: {} ({} entities, {} relations)\n\
             Records what its source says; not medical advice.\n\
             Type a question such as `therapies treating fracture`, `:help` for help, Ctrl-D to leave.\n",
            env!("CARGO_PKG_VERSION"),
            self.kg.name(),
            self.kg.entity_count(),
            self.kg.edge_count()
        )
    }

    /// Writes the banner (an interactive session starts with it).
    pub fn print_banner(&mut self) -> Result<(), Broken> {
        let banner = self.banner();
        self.print(&banner)
    }

    /// Handles one line (a query or a meta-command). Returns whether to go on and whether the
    /// line succeeded, or the stream that failed.
    pub fn handle(&mut self, line: &str) -> Result<(Flow, bool), Broken> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok((Flow::Continue, true));
        }
        let reply = if line.starts_with(':') {
            match command::parse(line).and_then(|meta| self.meta(meta)) {
                Ok(reply) => reply,
                Err(err) => Reply::Failed {
                    out: String::new(),
                    err,
                },
            }
        } else {
            self.query(line)
        };
        match reply {
            Reply::Answer(text) => {
                self.print(&text)?;
                Ok((Flow::Continue, true))
            }
            Reply::Quit => Ok((Flow::Quit, true)),
            Reply::Cancelled(message) => {
                self.error(&message)?;
                Ok((Flow::Continue, true))
            }
            Reply::Failed { out, err } => {
                self.failures += 1;
                if !out.is_empty() {
                    self.print(&out)?;
                }
                if !err.is_empty() {
                    self.error(&err)?;
                }
                Ok((Flow::Continue, false))
            }
        }
    }

    /// Writes an error message (prefixed `error: ` if it has no prefix).
    fn error(&mut self, message: &str) -> Result<(), Broken> {
        // Graph text and echoed input may hold control characters: never sent raw (before the
        // colour codes are added).
        let message = bonegraph::text::escape_lines(message);
        let message = if message.starts_with("error") || message.starts_with("warning") {
            message.into_owned()
        } else {
            format!("error: {message}")
        };
        let shown = if self.color {
            message
                .replace("error:", "\x1b[1;31merror:\x1b[0m")
                .replace("help:", "\x1b[1;36mhelp:\x1b[0m")
        } else {
            message.clone()
        };
        self.err
            .write_all(shown.as_bytes())
            .and_then(|()| {
                if message.ends_with('\n') {
                    Ok(())
                } else {
                    self.err.write_all(b"\n")
                }
            })
            .and_then(|()| self.err.flush())
            .map_err(Broken::Errors)
    }

    fn print(&mut self, text: &str) -> Result<(), Broken> {
        // Everything the session prints passes here: graph text (names, notes, titles, DOT
        // labels) shows its control characters escaped, line by line.
        let text = bonegraph::text::escape_lines(text);
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(Broken::Output)
    }

    fn query(&mut self, text: &str) -> Reply {
        self.queries += 1;
        let started = Instant::now();
        if let Some(flag) = &self.cancel {
            // A Ctrl-C that came before this query is not meant for it; one that comes while
            // it is parsed stops it as soon as it runs.
            flag.store(false, Ordering::SeqCst);
        }
        let result = self.kg.prepare(text).and_then(|prepared| {
            if let Some(flag) = &self.cancel {
                if self.hold_queries {
                    let _ = writeln!(self.err, "holding the query until Ctrl-C");
                    let _ = self.err.flush();
                    for _ in 0..6000 {
                        if flag.load(Ordering::SeqCst) {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(10));
                    }
                }
            }
            self.kg.run_cancellable(&prepared, self.cancel.as_deref())
        });
        let took = started.elapsed();
        match result {
            Ok(answer) => {
                let mut shown = render_answer(&self.kg, &answer, text, self.format);
                if self.interactive && self.format == Format::Table {
                    shown.push_str(&timing(&answer, took));
                }
                self.last = Some((text.to_owned(), answer));
                Reply::Answer(shown)
            }
            Err(e) if e.kind == bonegraph::ErrorKind::Cancelled => {
                Reply::Cancelled(format!("error: {} (Ctrl-C)", e.message))
            }
            // In JSON the error is the answer: it goes to the output, nothing to the errors.
            Err(e) if self.format == Format::Json => Reply::Failed {
                out: error_json(text, &e),
                err: String::new(),
            },
            Err(e) => Reply::Failed {
                out: String::new(),
                err: e.render(text),
            },
        }
    }

    fn meta(&mut self, meta: Meta) -> Result<Reply, String> {
        let text = match meta {
            Meta::Quit => return Ok(Reply::Quit),
            Meta::Help(topic) => help(topic.as_deref())?,
            Meta::Schema(rel) => self.schema(rel.as_deref())?,
            Meta::Kinds => self.kinds(),
            Meta::Explain(n) => self.explain(n)?,
            Meta::Why => self.why()?,
            Meta::Format(None) => format!("answers are printed as {}\n", self.format.as_str()),
            Meta::Format(Some(f)) => {
                self.format = f;
                format!("answers will be printed as {}\n", f.as_str())
            }
            Meta::Sources => self.sources()?,
            Meta::Stats => self.stats(),
            Meta::Load(path) => self.load(&path)?,
            Meta::Dot { query, file } => self.dot(query.as_deref(), file.as_deref())?,
            Meta::Translate { to, query } => self.translate(to, query.as_deref())?,
        };
        Ok(Reply::Answer(text))
    }

    fn last(&self) -> Result<&(String, Answer), String> {
        self.last
            .as_ref()
            .ok_or_else(|| "error: no answer yet; ask a question first".to_owned())
    }

    fn explain(&self, n: usize) -> Result<String, String> {
        let (query, answer) = self.last()?;
        match &answer.body {
            Body::Paths(paths) => {
                let p = paths
                    .get(n - 1)
                    .ok_or_else(|| format!("error: the last answer has {} path(s)", paths.len()))?;
                let mut out = format!("path {n} of `{query}`:\n");
                for s in p {
                    let (_, edge, _) = self.kg.edge(s.edge);
                    out.push_str(&format!(
                        "  {}\n",
                        bonegraph::render::describe_edge(&self.kg, s.edge)
                    ));
                    if let Some(note) = &edge.claim.qualifiers().note {
                        out.push_str(&format!("      note: {note}\n"));
                    }
                }
                Ok(out)
            }
            _ => answer.explain_row(&self.kg, n - 1).ok_or_else(|| {
                format!(
                    "error: the last answer has {} row{}; `:explain 1` explains the first",
                    answer.rows().len(),
                    if answer.rows().len() == 1 { "" } else { "s" }
                )
            }),
        }
    }

    fn why(&self) -> Result<String, String> {
        let (query, answer) = self.last()?;
        Ok(match &answer.empty_reason {
            Some(reason) => format!("`{query}` is empty: {reason}\n"),
            None => format!(
                "`{query}` is not empty ({} result{}); `:explain N` shows why row N is in it\n",
                answer.len(),
                if answer.len() == 1 { "" } else { "s" }
            ),
        })
    }

    fn sources(&self) -> Result<String, String> {
        let (query, answer) = self.last()?;
        let mut edges = Vec::new();
        match &answer.body {
            Body::Rows(rows) => rows
                .iter()
                .flat_map(|r| &r.why)
                .for_each(|w| edges.extend(&w.steps)),
            Body::Paths(paths) => paths.iter().flatten().for_each(|s| edges.push(s.edge)),
            Body::Card(n) => {
                for d in [bonegraph::Direction::Forward, bonegraph::Direction::Inverse] {
                    edges.extend(self.kg.all_neighbors(*n, d).iter().map(|nb| nb.edge));
                }
            }
            Body::Count(_) => {}
        }
        edges.sort();
        edges.dedup();
        let mut by_place: BTreeMap<(String, String), usize> = BTreeMap::new();
        for e in &edges {
            let (_, edge, _) = self.kg.edge(*e);
            let place = match edge.claim.provenance {
                Some(p) => {
                    let (src, sec) = self.kg.describe_provenance(&p);
                    let title = sec
                        .and_then(|s| src.sections.iter().find(|(id, _)| id == s))
                        .map_or_else(String::new, |(id, t)| format!("{id}: {t}"));
                    (src.id.clone(), title)
                }
                None => ("(no source)".to_owned(), String::new()),
            };
            *by_place.entry(place).or_default() += 1;
        }
        if by_place.is_empty() {
            return Ok(format!("`{query}` used no edges\n"));
        }
        let mut out = format!("`{query}` rests on {} edge(s) from:\n", edges.len());
        let mut current = String::new();
        for ((source, section), count) in by_place {
            if source != current {
                let title = self
                    .kg
                    .sources()
                    .iter()
                    .find(|s| s.id == source)
                    .map_or(String::new(), |s| format!(" ({})", s.title));
                out.push_str(&format!("  {source}{title}\n"));
                current = source;
            }
            if !section.is_empty() {
                out.push_str(&format!("    {section}  [{count}]\n"));
            }
        }
        Ok(out)
    }

    fn schema(&self, rel: Option<&str>) -> Result<String, String> {
        let schema = self.kg.schema();
        let ids: Vec<&str> = schema.relations.iter().map(|r| r.id.as_str()).collect();
        let chosen: Vec<usize> = match rel {
            None => (0..schema.relations.len()).collect(),
            Some(name) => {
                let by_phrase = self
                    .kg
                    .vocabulary()
                    .lookup(&bonegraph::normalize(name))
                    .iter()
                    .find_map(|l| match l {
                        bonegraph::query::vocab::Lexeme::Phrase(r, _) => Some(usize::from(r.0)),
                        _ => None,
                    });
                match ids.iter().position(|id| *id == name).or(by_phrase) {
                    Some(i) => vec![i],
                    None => {
                        return Err(match bonegraph::suggest(name, ids.iter().copied()) {
                            Some(s) => format!("error: no relation `{name}`; did you mean `{s}`?"),
                            None => {
                                format!("error: no relation `{name}`; `:schema` lists them all")
                            }
                        });
                    }
                }
            }
        };
        let kinds = |set: &bonegraph::KindSet| match set {
            bonegraph::KindSet::Any => "anything".to_owned(),
            bonegraph::KindSet::Only(ks) => ks
                .iter()
                .map(|k| schema.kind(*k).plural.clone())
                .collect::<Vec<_>>()
                .join(", "),
        };
        let mut out = String::new();
        for i in chosen {
            let r = &schema.relations[i];
            let parent = r
                .parent
                .map(|p| format!(" (a kind of {})", schema.relation(p).id))
                .unwrap_or_default();
            out.push_str(&format!(
                "{}{parent}: {} -> {}\n",
                r.id,
                kinds(&r.from),
                kinds(&r.to)
            ));
            if let Some(d) = &r.description {
                out.push_str(&format!("  {d}\n"));
            }
            let example_kind = |subject: bool, dir: bonegraph::Direction| -> String {
                match schema.phrase_kinds(RelId(i as u16), dir, subject) {
                    bonegraph::KindSet::Only(ks) if !ks.is_empty() => {
                        schema.kind(ks[0]).plural.clone()
                    }
                    _ => "things".to_owned(),
                }
            };
            if !r.forward.is_empty() {
                out.push_str(&format!(
                    "  {} {} X\n",
                    example_kind(true, bonegraph::Direction::Forward),
                    r.forward.join(" | ")
                ));
            }
            if !r.inverse.is_empty() {
                out.push_str(&format!(
                    "  {} {} X\n",
                    example_kind(true, bonegraph::Direction::Inverse),
                    r.inverse.join(" | ")
                ));
            }
        }
        Ok(out)
    }

    fn kinds(&self) -> String {
        let schema = self.kg.schema();
        let mut out = String::new();
        for (i, k) in schema.kinds.iter().enumerate() {
            let n = self.kg.nodes_of_kind(KindId(i as u16)).len();
            let mut words = vec![k.singular.clone(), k.plural.clone()];
            words.extend(k.synonyms.iter().cloned());
            out.push_str(&format!("{} ({n}): {}\n", k.id, words.join(", ")));
        }
        out.push_str("things (any kind): things, anything, everything, entities\n");
        out
    }

    fn stats(&self) -> String {
        let kg = &self.kg;
        format!(
            "graph: {} ({})\n  {} entities, {} relations, {} kinds, {} relation types, {} marked conflicts\n  {} words in the vocabulary ({} names and aliases)\nsession: {} queries, {} failed lines\n",
            kg.name(),
            self.label,
            kg.entity_count(),
            kg.edge_count(),
            kg.schema().kinds.len(),
            kg.schema().relations.len(),
            kg.conflicts().len(),
            kg.vocabulary().terms().len(),
            kg.vocabulary().terms_of(Class::Entity).len(),
            self.queries,
            self.failures
        )
    }

    fn load(&mut self, path: &Path) -> Result<String, String> {
        let label = path.display().to_string();
        let text = bonegraph::load::read_graph_file(path).map_err(|d| d.render(&label, None))?;
        let checked = bonegraph::load::check_str(&text);
        match checked.graph {
            Some(kg) => {
                self.kg = Arc::new(kg);
                self.label = label.clone();
                self.last = None;
                self.generation += 1;
                Ok(format!(
                    "loaded {label}: {} ({} entities, {} relations)\n",
                    self.kg.name(),
                    self.kg.entity_count(),
                    self.kg.edge_count()
                ))
            }
            None => {
                let mut out = String::new();
                for d in checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == bonegraph::Severity::Error)
                {
                    out.push_str(&d.render(&label, Some(&text)));
                }
                out.push_str(&format!("the graph in use is unchanged ({})\n", self.label));
                Err(out)
            }
        }
    }

    fn dot(&mut self, query: Option<&str>, file: Option<&Path>) -> Result<String, String> {
        let q = match query {
            Some(q) => q.to_owned(),
            None => self.last()?.0.clone(),
        };
        let text = dot_for_query(&self.kg, &q, dot::DotOptions::default())?;
        match file {
            None => Ok(text),
            Some(path) => {
                write_atomic(path, text.as_bytes()).map_err(|e| e.render())?;
                Ok(format!("wrote {} ({} bytes)\n", path.display(), text.len()))
            }
        }
    }

    /// `:sparql` and `:cypher`: the query (or the last one) in another language, over the
    /// export with the default base IRI.
    fn translate(&mut self, to: Target, query: Option<&str>) -> Result<String, String> {
        let q = match query {
            Some(q) => q.to_owned(),
            None => self.last()?.0.clone(),
        };
        let prepared = self.kg.prepare(&q).map_err(|e| e.render(&q))?;
        self.kg
            .translate(&prepared, to, &RdfNames::default())
            .map_err(|e| e.render(&q))
    }
}

fn timing(answer: &Answer, took: Duration) -> String {
    let ms = took.as_secs_f64() * 1000.0;
    format!(
        "{} result{} in {ms:.2} ms\n",
        answer.len(),
        if answer.len() == 1 { "" } else { "s" }
    )
}

fn help(topic: Option<&str>) -> Result<String, String> {
    let text = match topic {
        None => {
            let mut s = String::from(
                "Ask a question, for example:\n  therapies treating fracture\n  side effects of Zometa\n  symptoms caused by hypercalcemia\n  therapies relieving pain and preventing fracture\n  path from lung cancer to paralysis\n  describe denosumab\n\nTab completes kinds, phrases and names; an unbalanced `(` or `\"` continues on the next line.\n\nCommands:\n",
            );
            for (name, args, what) in COMMANDS {
                let usage = format!(":{name} {args}");
                s.push_str(&format!("  {:<28} {what}\n", usage.trim_end()));
            }
            s.push_str("\nMore: :help queries, :help names, :help answers. The full language: grammar/README.md.\n");
            s
        }
        Some("queries") => "A question is a kind, then phrases and names:\n  <kind> <phrase> <name>          therapies treating fracture\n  chains                          side effects of therapies relieving pain\n  several filters                 therapies relieving pain and preventing fracture\n  set operators                   a and b, a or b, a except b; parentheses group\n  path from A to B                the shortest chain of relations\n  paths from A to B [limit N]     several\n  describe X, or just X           everything about X\n  count <question>                how many\n`:schema` lists every phrase; `:kinds` every kind.\n".to_owned(),
        Some("names") => "Names and aliases are matched in any case, longest first; brand names and\nabbreviations work (Zometa, SREs, PET); plurals too (fractures). Quote a name to\nmatch it exactly: \"zoledronic acid\". A misspelt name gets a did-you-mean.\n".to_owned(),
        Some("answers") => "Each row shows the main edge that puts it in the answer, with its hedges, numbers\nand conditions (may, thought to, rare, 75 percent, when ...). `:explain N` shows every\nwitness for row N with its source section. A row that applies what is said of a class\nto a member says `via` the class; the class's rank (most common) is not passed on.\nWhere the source contradicts itself or slips, the answer ends with a warning or note\nthat sets the claims side by side.\n`:why` explains an empty answer; `:sources` lists the sections behind the last one;\n`:dot` draws its evidence; `:format json` prints everything as JSON.\n".to_owned(),
        Some("commands") => return help(None),
        Some(other) => {
            return Err(format!(
                "error: no help on `{other}`; topics: queries, names, answers, commands"
            ));
        }
    };
    Ok(text)
}

/// Runs a session over lines from `input` (piped mode: no prompt, no colour) until the input
/// ends, `:quit`, or a stream fails; a broken pipe stops it at once. A line longer than
/// [`MAX_LINE_BYTES`] is reported (by its number) as soon as it is seen to be too long and
/// skipped unread, so no line is ever held in memory whole, however long.
pub fn run_lines<R: BufRead, W: Write, E: Write>(session: &mut Session<W, E>, input: R) -> Ended {
    let broken = lines_until_broken(session, input).err();
    Ended {
        failures: session.failures,
        broken,
    }
}

fn lines_until_broken<R: BufRead, W: Write, E: Write>(
    session: &mut Session<W, E>,
    mut input: R,
) -> Result<(), Broken> {
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        line_no += 1;
        match read_bounded_line(&mut input, &mut buf, MAX_LINE_BYTES).map_err(Broken::Input)? {
            Line::End => return Ok(()),
            Line::TooLong { ended } => {
                session.failures += 1;
                session.error(&format!(
                    "error: line {line_no} is longer than {MAX_LINE_BYTES} bytes; skipped\n\
                     help: a query is at most {} bytes; give one query or command a line",
                    bonegraph::query::MAX_QUERY_BYTES
                ))?;
                if !ended && !skip_line(&mut input).map_err(Broken::Input)? {
                    return Ok(());
                }
            }
            Line::Read => {
                let Ok(line) = std::str::from_utf8(&buf) else {
                    session.failures += 1;
                    session.error(&format!(
                        "error: line {line_no} is not valid UTF-8 text; skipped"
                    ))?;
                    continue;
                };
                let (flow, _) = session.handle(line.trim_end_matches(['\n', '\r']))?;
                if flow == Flow::Quit {
                    return Ok(());
                }
            }
        }
    }
}

/// What [`read_bounded_line`] found.
enum Line {
    /// A whole line (with its newline, if it had one) is in the buffer.
    Read,
    /// The line is longer than the limit; what was read of it is discarded, and the rest is
    /// still to be read unless it `ended`.
    TooLong {
        /// Whether its newline was read too.
        ended: bool,
    },
    /// The input has ended.
    End,
}

/// Reads one line into `buf`, or finds that it is longer than `max` bytes (not counting its
/// newline) without reading more than that of it.
fn read_bounded_line<R: BufRead>(input: &mut R, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(if buf.is_empty() {
                Line::End
            } else {
                Line::Read
            });
        }
        let (take, complete) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        let content = take - usize::from(complete);
        if buf.len() + content > max {
            buf.clear();
            // The newline, if in this chunk, is consumed: the line is over.
            input.consume(take);
            return Ok(Line::TooLong { ended: complete });
        }
        buf.extend_from_slice(&chunk[..take]);
        input.consume(take);
        if complete {
            return Ok(Line::Read);
        }
    }
}

/// Discards input up to and including the next newline, a buffer at a time. Returns whether
/// there was one (`false`: the input ended first).
fn skip_line<R: BufRead>(input: &mut R) -> io::Result<bool> {
    loop {
        let chunk = match input.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(false);
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(true);
            }
            None => {
                let n = chunk.len();
                input.consume(n);
            }
        }
    }
}

/// Lines longer than this are not kept in history (no query may be longer than 4 KiB anyway).
pub const MAX_HISTORY_ENTRY_BYTES: usize = 64 * 1024;

/// The largest history file that is read: room for the 1,000 entries kept, each at the
/// longest kept, escaped. A larger file is left alone (neither read nor replaced).
pub const MAX_HISTORY_FILE_BYTES: u64 = 128 << 20;

/// Where history is kept: `$BONEGRAPH_HISTORY`, else `$XDG_DATA_HOME/bonegraph/history`,
/// else `~/.local/share/bonegraph/history`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BONEGRAPH_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("bonegraph").join("history"))
}

/// Whether history can be kept at `path`: `Ok(true)` if the file exists and can be read,
/// `Ok(false)` if it does not exist yet, and why not otherwise (a warning to show; `None` to
/// turn history off without one, for a character device such as `/dev/null`).
pub fn check_history_file(path: &Path) -> Result<bool, Option<String>> {
    let shown = path.display();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(Some(format!(
                "warning: cannot read the history file `{shown}`: {}; history is not kept",
                describe_io_error(&e)
            )));
        }
    };
    if meta.is_file() {
        if meta.len() > MAX_HISTORY_FILE_BYTES {
            return Err(Some(format!(
                "warning: the history file `{shown}` is {} bytes, more than the {MAX_HISTORY_FILE_BYTES} \
                 read; it is left alone and history is not kept\n\
                 help: set BONEGRAPH_HISTORY to another file",
                meta.len()
            )));
        }
        return Ok(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        // `BONEGRAPH_HISTORY=/dev/null` is how history is turned off.
        if meta.file_type().is_char_device() {
            return Err(None);
        }
    }
    Err(Some(format!(
        "warning: the history file `{shown}` is not a regular file (a directory, a pipe or a \
         device); history is not kept\n\
         help: set BONEGRAPH_HISTORY to a file, or to /dev/null to keep no history"
    )))
}

type Editor = rustyline::Editor<helper::ReplHelper, rustyline::history::DefaultHistory>;

/// Runs the interactive shell on the terminal, in colour if `color`. A session made
/// [`cancellable`](Session::cancellable) lets a SIGINT handler stop the running query (at the
/// prompt, Ctrl-C is the line editor's, and cancels the line).
pub fn run_interactive(session: Session<io::Stdout, io::Stderr>, color: bool) -> Ended {
    let mut session = session.interactive(color);
    let broken = interact(&mut session, color).err();
    Ended {
        failures: session.failures,
        broken,
    }
}

fn interact(session: &mut Session<io::Stdout, io::Stderr>, color: bool) -> Result<(), Broken> {
    use rustyline::error::ReadlineError;
    let config = rustyline::Config::builder()
        .auto_add_history(false)
        .max_history_size(1000)
        .map_err(|e| Broken::Input(io::Error::other(e)))?
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut rl: Editor =
        rustyline::Editor::with_config(config).map_err(|e| Broken::Input(io::Error::other(e)))?;
    rl.set_helper(Some(helper::ReplHelper::new(
        session.graph().clone(),
        color,
    )));
    let mut history = history_path();
    if let Some(h) = history.clone() {
        match check_history_file(&h) {
            Ok(true) => {
                let _ = rl.load_history(&h);
            }
            Ok(false) => {}
            Err(warning) => {
                history = None;
                if let Some(w) = warning {
                    session.error(&w)?;
                }
            }
        }
    }
    session.print_banner()?;
    let mut generation = session.generation();
    let prompt = if color {
        "\x1b[1;32mbonegraph>\x1b[0m "
    } else {
        "bonegraph> "
    };
    loop {
        match rl.readline(prompt) {
            Ok(line) => {
                // Huge pastes are answered (with an error) but not kept: history stays small.
                if !line.trim().is_empty() && line.len() <= MAX_HISTORY_ENTRY_BYTES {
                    let _ = rl.add_history_entry(line.as_str());
                    if let Some(h) = &history {
                        if let Err(warning) = save_history(&mut rl, h) {
                            // Said once; the session goes on without saving.
                            history = None;
                            session.error(&warning)?;
                        }
                    }
                }
                let (flow, _) = session.handle(&line)?;
                if session.generation() != generation {
                    generation = session.generation();
                    rl.set_helper(Some(helper::ReplHelper::new(
                        session.graph().clone(),
                        color,
                    )));
                }
                if flow == Flow::Quit {
                    return Ok(());
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return Ok(()),
            Err(ReadlineError::Io(e)) => return Err(Broken::Input(e)),
            Err(e) => return Err(Broken::Input(io::Error::other(e))),
        }
    }
}

/// Saves history atomically (through a symlink, keeping the file's permissions), so a crash
/// or a signal mid-write never loses the previous file or leaves a temporary behind.
fn save_history(rl: &mut Editor, path: &Path) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    crate::fsutil::write_atomic_with(path, |_, tmp| {
        rl.save_history(tmp).map_err(io::Error::other)?;
        // The editor writes nothing when it has nothing new: then the file stays as it is.
        Ok(std::fs::metadata(tmp)?.len() > 0)
    })
    .map_err(|e| format!("warning: history is not saved: {e}"))
}
