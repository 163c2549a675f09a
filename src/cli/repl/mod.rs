//! The interactive shell: a session that answers queries and meta-commands
//! ([`Session`]), the loop for a terminal ([`terminal`]) and the one for piped input
//! ([`input`]).
//!
//! [`Session`] owns all state (the graph, the last answer, the output format) and writes to
//! any `Write`, so it is tested without a terminal. The rustyline helper
//! ([`helper::ReplHelper`]) only reads the graph's vocabulary. What the shell reports is a
//! [`ShellError`], rendered once through the one diagnostic renderer; what it says about
//! itself (banner, `:help`) is built from the loaded graph's words ([`help`]).

pub mod command;
pub mod error;
pub mod help;
pub mod helper;
pub mod input;
pub mod pager;
pub mod terminal;
#[cfg(test)]
mod tests;

use crate::diagnostics::QueryFailure;
use crate::error::{EXIT_IO, EXIT_QUERY};
use crate::format::{Format, error_json, reading_note, render_asked};
use crate::fsutil::{describe_io_error, write_atomic};
use bonegraph::interchange::names::RdfNames;
use bonegraph::query::answer::{Answer, Body};
use bonegraph::query::translate::Target;
use bonegraph::query::vocab::Class;
use bonegraph::render::picture::Language;
use bonegraph::{KindId, KnowledgeGraph, RelId};
use command::Meta;
pub use error::ShellError;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
    /// A confirmation (`answers will be printed as json`): on the output in a terminal
    /// session, on the errors when piped, so that the output holds only answers.
    Note(String),
    /// Leave.
    Quit,
    /// The line failed: what goes to the output (a JSON error), and the error to report
    /// (none in JSON, where the error is the answer).
    Failed {
        out: String,
        err: Option<ShellError>,
    },
    /// The query was cancelled (Ctrl-C): said on the errors, not counted as a failure.
    Cancelled(ShellError),
}

/// One REPL session over a graph.
pub struct Session<W: Write, E: Write> {
    kg: Arc<KnowledgeGraph>,
    label: String,
    format: Format,
    last: Option<(String, Answer)>,
    out: W,
    err: E,
    /// Print timings (a terminal session).
    interactive: bool,
    /// Say how long each answer took (interactive sessions; `:timer`).
    timer: bool,
    /// How many `:read` files are being run, one inside the other.
    reading: usize,
    /// Where answers go instead of the output (`:output`, `:once`), and whether only once.
    redirect: Option<(std::fs::File, bool)>,
    /// The terminal's width, when answers go to one: tables wrap to it.
    width: Option<usize>,
    /// The terminal's height, when answers go to one: a longer answer is paged.
    height: Option<usize>,
    /// The pager command for answers longer than the screen (`$PAGER`), if any.
    pager: Option<String>,
    /// Whether to page (`:pager on|off`).
    paging: bool,
    /// Colour the errors (they go to a terminal, and `NO_COLOR` is unset).
    styled: bool,
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
            timer: true,
            reading: 0,
            redirect: None,
            width: None,
            height: None,
            pager: None,
            paging: true,
            styled: false,
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

    /// Turns on what only a person at a terminal wants: timings.
    pub fn interactive(mut self) -> Self {
        self.interactive = true;
        self
    }

    /// Prints answers in `format` until `:mode` says otherwise (a session starts with tables;
    /// piped input into a pipe or a file starts with plain, as `bonegraph query` does).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Shows answers longer than the screen through `command` (a shell command line, as
    /// `$PAGER` is); the screen's size comes from [`Session::set_size`].
    pub fn paged(mut self, command: Option<String>) -> Self {
        self.pager = command;
        self
    }

    /// Colours the errors (for a terminal, when `NO_COLOR` is unset).
    pub fn styled(mut self, styled: bool) -> Self {
        self.styled = styled;
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
        help::banner(&self.kg)
    }

    /// Writes the banner (an interactive session starts with it).
    pub fn print_banner(&mut self) -> Result<(), Broken> {
        let banner = self.banner();
        self.print(&banner)
    }

    /// Handles one line (a query or a meta-command). Returns whether to go on and whether the
    /// line succeeded, or the stream that failed.
    pub fn handle(&mut self, line: &str) -> Result<(Flow, bool), Broken> {
        // `;` separates statements, on a line and in a paste (outside quotes).
        let statements = split_statements(line);
        if statements.len() > 1 {
            let mut ok = true;
            for statement in statements {
                let (flow, done) = self.handle_one(statement)?;
                ok &= done;
                if flow == Flow::Quit {
                    return Ok((Flow::Quit, ok));
                }
            }
            return Ok((Flow::Continue, ok));
        }
        self.handle_one(line)
    }

    /// Handles one statement.
    fn handle_one(&mut self, line: &str) -> Result<(Flow, bool), Broken> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok((Flow::Continue, true));
        }
        // `help`, `quit`, `exit`, `.help`, `\q` as other shells take them, unless the graph
        // has something of that name.
        let bare = command::bare(line).filter(|_| {
            self.kg
                .vocabulary()
                .lookup(&bonegraph::text::normalize(line))
                .is_empty()
        });
        let line = bare.unwrap_or(line);
        if line.starts_with(':')
            && let Ok(command::Meta::Read(path)) = command::parse(line)
        {
            return self.read_file(&path);
        }
        let reply = if line.starts_with(':') {
            match command::parse(line).and_then(|meta| self.meta(meta)) {
                Ok(reply) => reply,
                Err(err) => Reply::Failed {
                    out: String::new(),
                    err: Some(err),
                },
            }
        } else {
            self.query(line)
        };
        match reply {
            Reply::Answer(text) if self.redirect.is_some() && !line.starts_with(':') => {
                let (mut file, once) = self.redirect.take().expect("checked");
                let text = bonegraph::text::escape_lines(&text);
                if let Err(e) = file.write_all(text.as_bytes()).and_then(|()| file.flush()) {
                    self.failures += 1;
                    self.error(&ShellError::Output {
                        path: "the :output file".to_owned(),
                        reason: crate::fsutil::describe_io_error(&e),
                    })?;
                    return Ok((Flow::Continue, false));
                }
                if !once {
                    self.redirect = Some((file, false));
                }
                Ok((Flow::Continue, true))
            }
            Reply::Answer(text) => {
                self.show(&text)?;
                Ok((Flow::Continue, true))
            }
            Reply::Note(text) => {
                if self.interactive {
                    self.print(&text)?;
                } else {
                    self.err
                        .write_all(text.as_bytes())
                        .map_err(Broken::Errors)?;
                }
                Ok((Flow::Continue, true))
            }
            Reply::Quit => Ok((Flow::Quit, true)),
            Reply::Cancelled(e) => {
                self.error(&e)?;
                Ok((Flow::Continue, true))
            }
            Reply::Failed { out, err } => {
                self.failures += 1;
                if !out.is_empty() {
                    self.print(&out)?;
                }
                if let Some(e) = err {
                    self.error(&e)?;
                }
                Ok((Flow::Continue, false))
            }
        }
    }

    /// Reports a problem on the errors, rendered through the one diagnostic renderer (which
    /// escapes the control characters of graph text and echoed input, and colours if the
    /// session is styled).
    fn error(&mut self, problem: &ShellError) -> Result<(), Broken> {
        let text = problem.render(self.styled);
        self.err
            .write_all(text.as_bytes())
            .and_then(|()| self.err.flush())
            .map_err(Broken::Errors)
    }

    /// The terminal's size in columns and rows (tables wrap their last column to the width;
    /// an answer taller than the screen is paged); `None` when the output is not a terminal.
    pub fn set_size(&mut self, size: Option<(usize, usize)>) {
        self.width = size.map(|(w, _)| w).filter(|&w| w > 0);
        self.height = size.map(|(_, h)| h).filter(|&h| h > 0);
    }

    /// Prints an answer, through the pager if it is taller than the screen (leaving a row for
    /// the prompt) and paging is on; if the pager cannot start, the answer is printed.
    fn show(&mut self, text: &str) -> Result<(), Broken> {
        if let (Some(command), Some(height), true) = (&self.pager, self.height, self.paging)
            && pager::rows(text, self.width) >= height
        {
            let command = command.clone();
            let text = bonegraph::text::escape_lines(text);
            match pager::page(&command, &text) {
                Ok(true) => return Ok(()),
                Ok(false) => {
                    self.paging = false;
                    self.error(&ShellError::PagerMissing(command))?;
                }
                Err(e) => return Err(Broken::Output(e)),
            }
        }
        self.print(text)
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
        let result = self.kg.read_question(text).and_then(|reading| {
            let query = reading.as_ref().map_or(text, |r| r.canonical.as_str());
            let prepared = self.kg.prepare(query)?;
            if let Some(flag) = &self.cancel
                && self.hold_queries
            {
                let _ = writeln!(self.err, "holding the query until Ctrl-C");
                let _ = self.err.flush();
                for _ in 0..6000 {
                    if flag.load(Ordering::SeqCst) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            let answer = self.kg.run_cancellable(&prepared, self.cancel.as_deref())?;
            Ok(bonegraph::Asked {
                reading,
                prepared,
                answer,
            })
        });
        let took = started.elapsed();
        match result {
            Ok(asked) => {
                let mut shown = render_asked(&self.kg, &asked, text, self.format);
                if let (Some(width), Format::Table) = (self.width, self.format)
                    && self.redirect.is_none()
                {
                    shown = crate::format::fit_table(&shown, width);
                }
                if self.format.is_data()
                    && let Some(note) = reading_note(&self.kg, &asked)
                {
                    let _ = writeln!(self.err, "{note}");
                }
                if self.interactive && self.timer && self.format == Format::Table {
                    shown.push_str(&timing(took));
                }
                self.last = Some((asked.prepared.text().to_owned(), asked.answer));
                Reply::Answer(shown)
            }
            Err(e) if e.kind == bonegraph::ErrorKind::Cancelled => {
                Reply::Cancelled(ShellError::Cancelled(e.message))
            }
            // In JSON the error is the answer: it goes to the output, nothing to the errors.
            Err(e) if self.format == Format::Json => Reply::Failed {
                out: error_json(text, &e),
                err: None,
            },
            Err(error) => Reply::Failed {
                out: String::new(),
                err: Some(ShellError::Query(QueryFailure {
                    query: text.to_owned(),
                    error,
                })),
            },
        }
    }

    fn meta(&mut self, meta: Meta) -> Result<Reply, ShellError> {
        let once = matches!(meta, Meta::Once(_));
        let text = match meta {
            Meta::Quit => return Ok(Reply::Quit),
            Meta::Help(topic) => help::help(&self.kg, topic.as_deref())?,
            Meta::Schema(rel) => self.schema(rel.as_deref())?,
            Meta::Kinds => self.kinds(),
            Meta::Explain(n) => self.explain(n)?,
            Meta::Why => self.why()?,
            Meta::Format(None) => format!("answers are printed as {}\n", self.format.as_str()),
            Meta::Format(Some(f)) => {
                self.format = f;
                return Ok(Reply::Note(format!(
                    "answers will be printed as {}\n",
                    f.as_str()
                )));
            }
            Meta::Output(None) => {
                self.redirect = None;
                return Ok(Reply::Note("answers go to the screen again\n".to_owned()));
            }
            Meta::Output(Some(path)) | Meta::Once(path) => {
                let file = std::fs::File::create(&path).map_err(|e| ShellError::Output {
                    path: path.display().to_string(),
                    reason: crate::fsutil::describe_io_error(&e),
                })?;
                self.redirect = Some((file, once));
                let which = if once {
                    "the next answer goes"
                } else {
                    "answers go"
                };
                return Ok(Reply::Note(format!("{which} to {}\n", path.display())));
            }
            Meta::Pager(None) => match (&self.pager, self.paging) {
                (Some(command), true) => {
                    format!("answers longer than the screen go through `{command}`\n")
                }
                (Some(_), false) => "the pager is off\n".to_owned(),
                (None, _) => "answers are not paged (no pager, or not a terminal)\n".to_owned(),
            },
            Meta::Pager(Some(on)) => {
                self.paging = on;
                let state = match (&self.pager, on) {
                    (_, false) => "the pager is off".to_owned(),
                    (Some(command), true) => format!("the pager is on: `{command}`"),
                    (None, true) => {
                        "the pager is on, but this session has none (set PAGER, on a terminal)"
                            .to_owned()
                    }
                };
                return Ok(Reply::Note(format!("{state}\n")));
            }
            Meta::Timer(None) => {
                format!("the timer is {}\n", if self.timer { "on" } else { "off" })
            }
            Meta::Timer(Some(on)) => {
                self.timer = on;
                return Ok(Reply::Note(format!(
                    "the timer is {}\n",
                    if on { "on" } else { "off" }
                )));
            }
            Meta::Sources => self.sources()?,
            Meta::Stats => self.stats(),
            Meta::Load(path) => self.load(&path)?,
            // Handled by `handle_one`, which can run lines.
            Meta::Read(_) => String::new(),
            Meta::Dot {
                query,
                file,
                mermaid,
            } => self.dot(query.as_deref(), file.as_deref(), mermaid)?,
            Meta::Translate { to, query } => self.translate(to, query.as_deref())?,
        };
        Ok(Reply::Answer(text))
    }

    fn last(&self) -> Result<&(String, Answer), ShellError> {
        self.last.as_ref().ok_or(ShellError::NoAnswerYet)
    }

    fn explain(&self, n: usize) -> Result<String, ShellError> {
        let (query, answer) = self.last()?;
        match &answer.body {
            Body::Paths(paths) => {
                let p = paths
                    .get(n - 1)
                    .ok_or(ShellError::NoSuchPath { paths: paths.len() })?;
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
            _ => answer
                .explain_row(&self.kg, n - 1)
                .ok_or(ShellError::NoSuchRow {
                    rows: answer.rows().len(),
                }),
        }
    }

    fn why(&self) -> Result<String, ShellError> {
        let (query, answer) = self.last()?;
        Ok(match answer.why_empty(&self.kg) {
            Some(reason) => format!("`{query}` is empty: {reason}\n"),
            None => format!(
                "`{query}` is not empty ({} result{}); `:explain N` shows why row N is in it\n",
                answer.len(),
                if answer.len() == 1 { "" } else { "s" }
            ),
        })
    }

    fn sources(&self) -> Result<String, ShellError> {
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
            // The edges behind attribute values: the `is_a` steps to the class that states
            // a value, and why its entity is in the answer.
            Body::Values(values) => values.iter().for_each(|v| {
                edges.extend(&v.steps);
                v.why.iter().for_each(|w| edges.extend(&w.steps));
            }),
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

    fn schema(&self, rel: Option<&str>) -> Result<String, ShellError> {
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
                        return Err(ShellError::UnknownRelation {
                            name: name.to_owned(),
                            suggestion: bonegraph::suggest(name, ids.iter().copied())
                                .map(str::to_owned),
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

    /// `:read FILE`: each line of FILE as if typed, stopping at `:quit`. At most
    /// [`MAX_READ_BYTES`], and files read from files at most [`MAX_READ_DEPTH`] deep.
    fn read_file(&mut self, path: &Path) -> Result<(Flow, bool), Broken> {
        use std::io::Read;
        let fail = |reason: String| ShellError::Read {
            path: path.display().to_string(),
            reason,
        };
        let text = if self.reading >= MAX_READ_DEPTH {
            Err(fail(format!(
                "files read from files nest more than {MAX_READ_DEPTH} deep"
            )))
        } else {
            let mut text = String::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_READ_BYTES + 1).read_to_string(&mut text))
                .map_err(|e| fail(crate::fsutil::describe_io_error(&e)))
                .and_then(|n| {
                    if n as u64 > MAX_READ_BYTES {
                        Err(fail(format!("it is larger than {MAX_READ_BYTES} bytes")))
                    } else {
                        Ok(text)
                    }
                })
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                self.failures += 1;
                self.error(&e)?;
                return Ok((Flow::Continue, false));
            }
        };
        self.reading += 1;
        let mut ok = true;
        let mut flow = Flow::Continue;
        for line in text.lines() {
            let (f, done) = match self.handle(line) {
                Ok(r) => r,
                Err(e) => {
                    self.reading -= 1;
                    return Err(e);
                }
            };
            ok &= done;
            if f == Flow::Quit {
                flow = Flow::Quit;
                break;
            }
        }
        self.reading -= 1;
        Ok((flow, ok))
    }

    fn load(&mut self, path: &Path) -> Result<String, ShellError> {
        let kg = crate::load::load_graph(Some(path)).map_err(|failure| ShellError::Load {
            failure,
            kept: self.label.clone(),
        })?;
        let label = path.display().to_string();
        self.kg = Arc::new(kg);
        self.last = None;
        self.generation += 1;
        let said = format!(
            "loaded {label}: {} ({} entities, {} relations)\n",
            self.kg.name(),
            self.kg.entity_count(),
            self.kg.edge_count()
        );
        self.label = label;
        Ok(said)
    }

    /// `:dot [mermaid] [QUERY] [> FILE]`: the evidence of QUERY (or the last answer) as DOT or
    /// as a Mermaid flowchart, printed or written to FILE.
    fn dot(
        &mut self,
        query: Option<&str>,
        file: Option<&Path>,
        mermaid: bool,
    ) -> Result<String, ShellError> {
        let q = match query {
            Some(q) => q.to_owned(),
            None => self.last()?.0.clone(),
        };
        let language = if mermaid {
            Language::Mermaid
        } else {
            Language::Dot
        };
        let text = match language.query(&self.kg, &q, Default::default()) {
            Ok(Some(text)) => text,
            Ok(None) => return Err(ShellError::CountHasNoEvidence),
            Err(error) => return Err(ShellError::Query(QueryFailure { query: q, error })),
        };
        match file {
            None => Ok(text),
            Some(path) => {
                write_atomic(path, text.as_bytes()).map_err(ShellError::Write)?;
                Ok(format!("wrote {} ({} bytes)\n", path.display(), text.len()))
            }
        }
    }

    /// `:sparql` and `:cypher`: the query (or the last one) in another language, over the
    /// export with the default base IRI.
    fn translate(&mut self, to: Target, query: Option<&str>) -> Result<String, ShellError> {
        let q = match query {
            Some(q) => q.to_owned(),
            None => self.last()?.0.clone(),
        };
        self.kg
            .prepare(&q)
            .and_then(|prepared| self.kg.translate(&prepared, to, &RdfNames::default()))
            .map_err(|error| ShellError::Query(QueryFailure { query: q, error }))
    }
}

/// The largest file `:read` runs.
const MAX_READ_BYTES: u64 = 16 << 20;

/// How deep `:read` files may read further files.
const MAX_READ_DEPTH: usize = 8;

/// How long an answer took (the table already says how many rows it has).
fn timing(took: Duration) -> String {
    format!("answered in {:.2} ms\n", took.as_secs_f64() * 1000.0)
}

/// `line` cut at each `;` outside double quotes (a `\"` inside quotes is not a quote).
fn split_statements(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in line.char_indices() {
        match c {
            '\\' if quoted && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => quoted = !quoted,
            ';' if !quoted => {
                out.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        escaped = false;
    }
    out.push(&line[start..]);
    out.retain(|s| !s.trim().is_empty());
    if out.is_empty() {
        out.push("");
    }
    out
}
