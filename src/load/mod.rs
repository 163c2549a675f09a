//! Loading: graph file text -> [`GraphFile`] (serde + ron) -> validated [`KnowledgeGraph`],
//! by stage: `read` (the file, and RON's syntax errors), `schema` (kinds, relation types,
//! sources, conflicts), `build` (entities and edges into the graph) and `lint` (loops and
//! warnings). `spans` finds where a value sits in the text, for positioned messages.
//!
//! Validation collects every problem before giving up, each with the line and column of the
//! offending value and a hint. Lints (warnings) never stop a load; they are kept on the graph
//! and reported by `bonegraph check`. This module knows nothing of queries or terminals.

/// A path into the file, built from field names and list indices.
macro_rules! path {
    ($($seg:expr),* $(,)?) => { &[$(path!(@ $seg)),*] };
    (@ $seg:literal) => { Step::Field($seg) };
    (@ $seg:expr) => { Step::Index($seg) };
}

mod build;
mod lint;
pub mod progress;
mod read;
mod schema;
pub(crate) mod spans;
mod stream;

pub use progress::{Phase, Progress};
pub use read::{
    decode_utf8, read_graph_file, read_graph_file_limited, read_graph_file_with_progress,
};

use crate::diagnostic::{Code, Diagnostic, LoadError, Location, Severity};
use crate::graph::*;
use crate::model::GraphFile;
use crate::text::normalize;
use read::{only_trivia, syntax_diagnostic};
use spans::{Node, Step};
use std::collections::HashMap;
use stream::Relations;

/// The largest graph file the loader reads, in bytes (1 GiB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// A list of known ids for a hint, at most twenty of them named.
fn known(ids: &[&str]) -> String {
    elide_list(ids.len(), 20, ", ", |i| ids[i])
}

/// The most members of a loop a message names; the rest are counted.
const MAX_CHAIN_SHOWN: usize = 12;

/// The most entities, edges, kinds or relation types a graph may hold (ids are 32-bit, kinds
/// and relation types 16-bit).
const MAX_SMALL_TABLE: usize = u16::MAX as usize;

/// Everything `check` learns about a graph file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The graph, if it had no errors.
    pub graph: Option<KnowledgeGraph>,
    /// Every error and warning, errors first, each group in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates graph file text, keeping every diagnostic.
pub fn check_str(text: &str) -> Checked {
    check_str_with(text, &CheckOptions::default())
}

/// How to check a graph file: see [`check_str_with`].
#[derive(Clone, Copy)]
pub struct CheckOptions<'a> {
    /// Told how far the check is (parsing, checking, indexing); see [`progress`].
    pub progress: &'a dyn Fn(Progress),
    /// Whether warnings carry their place in the file. Placing the first one parses the file
    /// a second time (about a tenth of a large load), so a program that loads a graph to
    /// query it and shows no warnings can skip it. Errors are always placed.
    pub locate_warnings: bool,
}

impl Default for CheckOptions<'_> {
    fn default() -> Self {
        CheckOptions {
            progress: &progress::ignore,
            locate_warnings: true,
        }
    }
}

impl std::fmt::Debug for CheckOptions<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckOptions")
            .field("locate_warnings", &self.locate_warnings)
            .finish_non_exhaustive()
    }
}

/// [`check_str`] with options: progress reports, and whether warnings are placed.
///
/// ```
/// use bonegraph::load::{CheckOptions, check_str_with};
/// let quick = CheckOptions { locate_warnings: false, ..Default::default() };
/// let checked = check_str_with(bonegraph::EMBEDDED_GRAPH, &quick);
/// assert!(checked.graph.is_some());
/// ```
pub fn check_str_with(text: &str, options: &CheckOptions<'_>) -> Checked {
    match parse_streamed(text, options.progress) {
        Ok(file) => {
            let (file, relations) = file.split();
            check_model_with_options(
                file,
                &Relations::Compact(&relations),
                Text::Here(text),
                options,
            )
        }
        Err(syntax) => Checked::failed(syntax),
    }
}

/// [`check_str_with`] for text the caller gives up: it is freed as soon as it is parsed, so a
/// large file's text is not held while its graph is built (a third of the memory such a load
/// peaks at). Should a problem need a place in the file, `reread` gives the text again (a
/// graph file read a second time); if it gives nothing, or text other than what was parsed
/// (the file changed meanwhile), problems are reported without places.
///
/// ```
/// use bonegraph::load::{CheckOptions, check_string_with};
/// let quick = CheckOptions { locate_warnings: false, ..Default::default() };
/// let text = bonegraph::EMBEDDED_GRAPH.to_owned();
/// let checked = check_string_with(text, &|| Some(bonegraph::EMBEDDED_GRAPH.to_owned()), &quick);
/// assert!(checked.graph.is_some());
/// ```
pub fn check_string_with(
    text: String,
    reread: &dyn Fn() -> Option<String>,
    options: &CheckOptions<'_>,
) -> Checked {
    let file = match parse_streamed(&text, options.progress) {
        Ok(file) => file,
        Err(syntax) => return Checked::failed(syntax),
    };
    let fingerprint = crate::snapshot::SourceFingerprint::of(text.as_bytes());
    drop(text);
    let again = std::cell::OnceCell::new();
    let (file, relations) = file.split();
    check_model_with_options(
        file,
        &Relations::Compact(&relations),
        Text::Again {
            text: &again,
            reread,
            fingerprint,
        },
        options,
    )
}

/// Parses graph file text, relations compactly; or its syntax problem.
fn parse_streamed(
    text: &str,
    progress: &dyn Fn(Progress),
) -> Result<stream::StreamedFile, Diagnostic> {
    if only_trivia(text) {
        return Err(Diagnostic::error(Code::Syntax, "the file is empty")
                .at(Some(Location { line: 1, column: 1, width: 1 }))
                .hint("a graph file is one RON struct: `(name: \"...\", schema: (...), entities: [...], relations: [...])`"));
    }
    let ron =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let bytes = text.len() as u64;
    progress(Progress {
        phase: Phase::Parsing,
        done: 0,
        total: bytes,
    });
    // Relations are read one by one into a compact form: held as `EdgeDef`s, a large file's
    // relations took most of the memory of its load.
    let file: stream::StreamedFile = ron
        .from_str(text)
        .map_err(|e| syntax_diagnostic(text, &e))?;
    progress(Progress {
        phase: Phase::Parsing,
        done: bytes,
        total: bytes,
    });
    Ok(file)
}

impl Checked {
    /// No graph, for this one problem.
    fn failed(problem: Diagnostic) -> Checked {
        Checked {
            graph: None,
            diagnostics: vec![problem],
        }
    }
}

/// The text a check places its problems in: at hand, or freed and read again when needed.
#[derive(Clone, Copy)]
enum Text<'a> {
    Here(&'a str),
    Again {
        text: &'a std::cell::OnceCell<Option<String>>,
        reread: &'a dyn Fn() -> Option<String>,
        fingerprint: crate::snapshot::SourceFingerprint,
    },
}

impl<'a> Text<'a> {
    /// The text, if it can be had (and is the text that was parsed).
    fn get(self) -> Option<&'a str> {
        match self {
            Text::Here(text) => Some(text),
            Text::Again {
                text,
                reread,
                fingerprint,
            } => text
                .get_or_init(|| {
                    reread().filter(|t| {
                        crate::snapshot::SourceFingerprint::of(t.as_bytes()) == fingerprint
                    })
                })
                .as_deref(),
        }
    }
}

/// Validates a graph built in memory (see [`crate::GraphBuilder`]). Diagnostics carry no
/// positions, since there is no file.
pub fn check_model(file: &GraphFile) -> Checked {
    check_model_with_text(file, "")
}

fn check_model_with_text(file: &GraphFile, text: &str) -> Checked {
    let relations = Relations::Plain(&file.relations);
    // The checker takes the entities apart; the relations are read where they are.
    let entities = GraphFile {
        name: file.name.clone(),
        description: file.description.clone(),
        schema: file.schema.clone(),
        sources: file.sources.clone(),
        conflicts: file.conflicts.clone(),
        entities: file.entities.clone(),
        relations: Vec::new(),
    };
    check_model_with_options(
        entities,
        &relations,
        Text::Here(text),
        &CheckOptions::default(),
    )
}

/// Checks `file`, whose relations are `relations` (its own `relations` field is not read).
fn check_model_with_options(
    file: GraphFile,
    relations: &Relations<'_>,
    text: Text<'_>,
    options: &CheckOptions<'_>,
) -> Checked {
    let mut v = Validator {
        text,
        progress: options.progress,
        locate_warnings: options.locate_warnings,
        located: std::cell::OnceCell::new(),
        diags: Vec::new(),
        found: HashMap::new(),
    };
    let graph = v.build(file, relations);
    let mut overflow: Vec<((Severity, Code), usize)> = v
        .found
        .iter()
        .filter(|(_, n)| **n > MAX_DIAGNOSTICS_PER_CODE)
        .map(|(k, n)| (*k, n - MAX_DIAGNOSTICS_PER_CODE))
        .collect();
    overflow.sort();
    let mut diagnostics = v.diags;
    diagnostics.sort_by_key(|d| (d.severity, d.location.map(|l| (l.line, l.column))));
    // The counts of what was not listed close each severity's list.
    for ((severity, code), more) in overflow {
        let what = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut d = Diagnostic::error(
            code,
            format!(
                "... and {more} more `{}` {what}{} not listed",
                code.as_str(),
                if more == 1 { "" } else { "s" }
            ),
        )
        .hint(format!(
            "a report lists at most {MAX_DIAGNOSTICS_PER_CODE} problems of one kind; fix these and check again"
        ));
        d.severity = severity;
        let at = diagnostics.partition_point(|x| x.severity <= severity);
        diagnostics.insert(at, d);
    }

    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let graph = graph.filter(|_| !has_errors).map(|mut g| {
        g.warnings = diagnostics.clone();
        g
    });
    Checked { graph, diagnostics }
}

/// Parses and validates graph file text into a graph, or every error found (with their
/// places in the text). The graph's [`warnings`](KnowledgeGraph::warnings) are not placed:
/// that would parse the text a second time; [`check_str`] places them.
pub fn load_str(text: &str) -> Result<KnowledgeGraph, LoadError> {
    let checked = check_str_with(
        text,
        &CheckOptions {
            locate_warnings: false,
            ..Default::default()
        },
    );
    checked.graph.ok_or(LoadError {
        diagnostics: checked.diagnostics,
    })
}

/// [`load_str`] for text the caller gives up, freed once parsed ([`check_string_with`]):
/// `reread` gives it again should an error need its place.
pub fn load_string(
    text: String,
    reread: &dyn Fn() -> Option<String>,
) -> Result<KnowledgeGraph, LoadError> {
    let quick = CheckOptions {
        locate_warnings: false,
        ..Default::default()
    };
    let checked = check_string_with(text, reread, &quick);
    checked.graph.ok_or(LoadError {
        diagnostics: checked.diagnostics,
    })
}

struct Validator<'a> {
    text: Text<'a>,
    /// Told how far the check is.
    progress: &'a dyn Fn(Progress),
    /// Whether warnings are placed in the file (see [`CheckOptions::locate_warnings`]).
    locate_warnings: bool,
    /// The span tree and line index of `text`, built only when a position is first needed
    /// (a valid file without warnings never pays for them).
    located: std::cell::OnceCell<Option<(Node<'a>, spans::LineIndex)>>,
    diags: Vec<Diagnostic>,
    /// How many problems of each code and severity were found, kept or not.
    found: HashMap<(Severity, Code), usize>,
}

/// The most problems of one code (and severity) a report keeps; the rest are counted in one
/// closing diagnostic, so that a huge broken file gives a report of bounded size.
pub const MAX_DIAGNOSTICS_PER_CODE: usize = 200;

impl Validator<'_> {
    fn loc(&self, path: &[Step<'_>]) -> Option<Location> {
        let text = self.text.get()?;
        let (root, lines) = self
            .located
            .get_or_init(|| spans::parse(text).map(|root| (root, spans::LineIndex::new(text))))
            .as_ref()?;
        let span = root.span_at(text, path)?;
        let (line, column) = lines.line_col(text, span.start);
        let span_text = text.get(span.start..span.end).unwrap_or("");
        let width = span_text
            .lines()
            .next()
            .map_or(1, |l| l.chars().count().max(1));
        Some(Location {
            line,
            column,
            width,
        })
    }

    /// Whether the report has room for another problem of this code, without counting one.
    /// The place of a warning, if warnings are placed.
    fn warn_loc(&self, path: &[Step<'_>]) -> Option<Location> {
        if self.locate_warnings {
            self.loc(path)
        } else {
            None
        }
    }

    fn has_room(&self, severity: Severity, code: Code) -> bool {
        self.found.get(&(severity, code)).copied().unwrap_or(0) < MAX_DIAGNOSTICS_PER_CODE
    }

    /// Counts a problem, and says whether the report still has room for it.
    fn room(&mut self, severity: Severity, code: Code) -> bool {
        let n = self.found.entry((severity, code)).or_default();
        *n += 1;
        *n <= MAX_DIAGNOSTICS_PER_CODE
    }

    fn push(&mut self, d: Diagnostic) {
        if self.room(d.severity, d.code) {
            self.diags.push(d);
        }
    }

    fn error(&mut self, code: Code, path: &[Step<'_>], message: String, hint: Option<String>) {
        if self.room(Severity::Error, code) {
            let loc = self.loc(path);
            self.diags
                .push(Diagnostic::error(code, message).at(loc).maybe_hint(hint));
        }
    }

    /// An error whose hint (a did-you-mean search) is worked out only if the report has room
    /// for it: a file with a million bad references costs two hundred searches, not a million.
    fn error_lazy(
        &mut self,
        code: Code,
        path: &[Step<'_>],
        message: String,
        hint: impl FnOnce() -> Option<String>,
    ) {
        if self.room(Severity::Error, code) {
            let loc = self.loc(path);
            self.diags
                .push(Diagnostic::error(code, message).at(loc).maybe_hint(hint()));
        }
    }

    fn warn(&mut self, code: Code, path: &[Step<'_>], message: String, hint: Option<String>) {
        if self.room(Severity::Warning, code) {
            let loc = self.warn_loc(path);
            self.diags
                .push(Diagnostic::warning(code, message).at(loc).maybe_hint(hint));
        }
    }

    fn empty_check(&mut self, value: &str, path: &[Step<'_>], what: &str) {
        if normalize(value).is_empty() {
            self.error(
                Code::Empty,
                path,
                format!("{what} is empty"),
                Some("give it at least one letter or digit".to_owned()),
            );
        }
    }
}

struct Ctx<'a> {
    schema: &'a Schema,
    sources: &'a [Source],
    conflicts: &'a [Conflict],
    /// Each source's index and its sections' indices, by id (the first of each id).
    source_index: HashMap<&'a str, (usize, HashMap<&'a str, usize>)>,
    /// Each conflict's index, by id.
    conflict_index: HashMap<&'a str, usize>,
}

/// The `len` items that `item` names, joined with `sep`; when there are more than `max`, only
/// the first `max - 1` and the last are named, with a count of the rest between them:
/// `a -> b -> ... (97 more) ... -> z`. Only the named items are looked up.
fn elide_list<'a>(len: usize, max: usize, sep: &str, item: impl Fn(usize) -> &'a str) -> String {
    let max = max.max(2);
    if len <= max {
        return (0..len).map(&item).collect::<Vec<_>>().join(sep);
    }
    let head: Vec<&str> = (0..max - 1).map(&item).collect();
    format!(
        "{}{sep}... ({} more) ...{sep}{}",
        head.join(sep),
        len - max,
        item(len - 1)
    )
}
