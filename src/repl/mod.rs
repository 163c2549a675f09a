//! The interactive shell: a session that answers queries and meta-commands, an interactive
//! loop over rustyline, and a plain loop for piped input.
//!
//! [`Session`] owns all state (the graph, the last answer, the output format) and writes to
//! any `Write`, so it is tested without a terminal. The rustyline helper
//! ([`helper::ReplHelper`]) only reads the graph's vocabulary.

pub mod command;
pub mod helper;

use crate::dot;
use crate::fsutil::write_atomic;
use crate::graph::{KindId, KnowledgeGraph, RelId};
use crate::interchange::names::RdfNames;
use crate::query::answer::{Answer, Body};
use crate::query::translate::Target;
use crate::query::vocab::Class;
use command::{COMMANDS, Format, Meta};
use std::collections::BTreeMap;
use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The answer to one query, as a user sees it in `format`.
pub fn render_answer(kg: &KnowledgeGraph, answer: &Answer, query: &str, format: Format) -> String {
    match format {
        Format::Table => answer.to_table(kg),
        Format::Plain => answer.to_plain(kg),
        Format::Json => answer.to_json(kg, query).to_string() + "\n",
    }
}

/// A query error as JSON: `{"query", "error": {"kind", "message", "span", "suggestions", "help"}}`.
pub fn error_json(query: &str, e: &crate::QueryError) -> String {
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
        }
    }

    /// Turns on what only a person at a terminal wants: timings, and colour if `color`.
    pub fn interactive(mut self, color: bool) -> Self {
        self.interactive = true;
        self.color = color;
        self
    }

    /// Sets the answer format.
    pub fn with_format(mut self, format: Format) -> Self {
        self.format = format;
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

    /// How many lines failed so far.
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

    /// Handles one line (a query or a meta-command). Returns whether to go on and whether the
    /// line succeeded.
    pub fn handle(&mut self, line: &str) -> io::Result<(Flow, bool)> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok((Flow::Continue, true));
        }
        let result = if line.starts_with(':') {
            match command::parse(line) {
                Ok(meta) => self.meta(meta),
                Err(message) => Err(message),
            }
        } else {
            self.query(line)
        };
        match result {
            Ok(flow) => Ok((flow, true)),
            Err(message) => {
                self.failures += 1;
                if !message.is_empty() {
                    let message = if message.starts_with("error") {
                        message
                    } else {
                        format!("error: {message}")
                    };
                    self.error(&message)?;
                }
                Ok((Flow::Continue, false))
            }
        }
    }

    fn error(&mut self, message: &str) -> io::Result<()> {
        if self.color {
            let colored = message
                .replace("error:", "\x1b[1;31merror:\x1b[0m")
                .replace("help:", "\x1b[1;36mhelp:\x1b[0m");
            write!(self.err, "{colored}")?;
        } else {
            write!(self.err, "{message}")?;
        }
        if !message.ends_with('\n') {
            writeln!(self.err)?;
        }
        self.err.flush()
    }

    fn print(&mut self, text: &str) -> Result<(), String> {
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| format!("error: cannot write the answer: {e}"))
    }

    fn query(&mut self, text: &str) -> Result<Flow, String> {
        self.queries += 1;
        let started = Instant::now();
        let result = self.kg.query(text);
        let took = started.elapsed();
        match result {
            Ok(answer) => {
                let mut shown = render_answer(&self.kg, &answer, text, self.format);
                if self.interactive && self.format == Format::Table {
                    shown.push_str(&timing(&answer, took));
                }
                self.last = Some((text.to_owned(), answer));
                self.print(&shown)?;
                Ok(Flow::Continue)
            }
            Err(e) => Err(match self.format {
                // In JSON the error is the answer: it goes to the output, nothing to stderr.
                Format::Json => {
                    self.print(&error_json(text, &e))?;
                    String::new()
                }
                _ => e.render(text),
            }),
        }
    }

    fn meta(&mut self, meta: Meta) -> Result<Flow, String> {
        let text = match meta {
            Meta::Quit => return Ok(Flow::Quit),
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
        self.print(&text)?;
        Ok(Flow::Continue)
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
                        crate::query::answer::describe_edge(&self.kg, s.edge)
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
                for d in [crate::Direction::Forward, crate::Direction::Inverse] {
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
                    .lookup(&crate::normalize(name))
                    .iter()
                    .find_map(|l| match l {
                        crate::query::vocab::Lexeme::Phrase(r, _) => Some(usize::from(r.0)),
                        _ => None,
                    });
                match ids.iter().position(|id| *id == name).or(by_phrase) {
                    Some(i) => vec![i],
                    None => {
                        return Err(match crate::suggest(name, ids.iter().copied()) {
                            Some(s) => format!("error: no relation `{name}`; did you mean `{s}`?"),
                            None => {
                                format!("error: no relation `{name}`; `:schema` lists them all")
                            }
                        });
                    }
                }
            }
        };
        let kinds = |set: &crate::KindSet| match set {
            crate::KindSet::Any => "anything".to_owned(),
            crate::KindSet::Only(ks) => ks
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
            let example_kind = |subject: bool, dir: crate::Direction| -> String {
                match schema.phrase_kinds(RelId(i as u16), dir, subject) {
                    crate::KindSet::Only(ks) if !ks.is_empty() => schema.kind(ks[0]).plural.clone(),
                    _ => "things".to_owned(),
                }
            };
            if !r.forward.is_empty() {
                out.push_str(&format!(
                    "  {} {} X\n",
                    example_kind(true, crate::Direction::Forward),
                    r.forward.join(" | ")
                ));
            }
            if !r.inverse.is_empty() {
                out.push_str(&format!(
                    "  {} {} X\n",
                    example_kind(true, crate::Direction::Inverse),
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
        let text = crate::load::read_graph_file(path).map_err(|d| d.render(&label, None))?;
        let checked = crate::load::check_str(&text);
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
                    .filter(|d| d.severity == crate::Severity::Error)
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
                write_atomic(path, text.as_bytes())
                    .map_err(|e| format!("error: cannot write `{}`: {e}", path.display()))?;
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

/// Runs a session over lines from `input` (piped mode: no prompt, no colour). Returns whether
/// every line succeeded.
pub fn run_lines<R: BufRead, W: Write, E: Write>(
    session: &mut Session<W, E>,
    mut input: R,
) -> io::Result<bool> {
    let mut ok = true;
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        line_no += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(l) => l,
            Err(_) => {
                ok = false;
                session.failures += 1;
                session.error(&format!(
                    "error: line {line_no} is not valid UTF-8 text; skipped"
                ))?;
                continue;
            }
        };
        let (flow, line_ok) = session.handle(line.trim_end_matches(['\n', '\r']))?;
        ok &= line_ok;
        if flow == Flow::Quit {
            break;
        }
    }
    Ok(ok)
}

/// Lines longer than this are not kept in history (no query may be longer than 4 KiB anyway).
pub const MAX_HISTORY_ENTRY_BYTES: usize = 64 * 1024;

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

/// Runs the interactive shell on the terminal. Returns whether every line succeeded.
pub fn run_interactive(kg: Arc<KnowledgeGraph>, label: String, color: bool) -> io::Result<bool> {
    use rustyline::error::ReadlineError;
    let config = rustyline::Config::builder()
        .auto_add_history(false)
        .max_history_size(1000)
        .map_err(io::Error::other)?
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut rl: rustyline::Editor<helper::ReplHelper, rustyline::history::DefaultHistory> =
        rustyline::Editor::with_config(config).map_err(io::Error::other)?;
    rl.set_helper(Some(helper::ReplHelper::new(kg.clone(), color)));
    let history = history_path();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    let mut session = Session::new(kg, label, io::stdout(), io::stderr()).interactive(color);
    print!("{}", session.banner());
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
                        save_history(&mut rl, h);
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
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(io::Error::other(e)),
        }
    }
    Ok(session.failures() == 0)
}

/// Saves history atomically, so a crash mid-write never loses the previous file.
fn save_history(
    rl: &mut rustyline::Editor<helper::ReplHelper, rustyline::history::DefaultHistory>,
    path: &Path,
) {
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    if rl.save_history(&tmp).is_ok() {
        if std::fs::rename(&tmp, path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    } else {
        let _ = std::fs::remove_file(&tmp);
    }
}
