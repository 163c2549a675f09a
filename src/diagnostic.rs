//! Problems found while loading a graph file, as data, and their rendering.
//!
//! A [`Diagnostic`] says what is wrong, where (line and column in the file) and what to do
//! about it. Rendering is separate ([`Diagnostic::render`]) so that the CLI, JSON output and
//! tests can each present the same data their own way. The data (and the JSON) keeps the
//! exact text; the rendering and `Display` show control characters escaped
//! ([`crate::text::escape_control`]), since a graph file may hold terminal codes in any
//! string the messages quote.

use crate::text::escape_control as esc;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::Range;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file loads, but something deserves a look.
    Warning,
}

/// What kind of problem a diagnostic reports. Each variant's doc shows an input that triggers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    /// The file could not be read: `bonegraph check missing.ron`.
    Io,
    /// The file is larger than the loader accepts.
    TooLarge,
    /// The file is not UTF-8 text: a byte `0xff` anywhere.
    InvalidUtf8,
    /// The file is not valid RON for the graph format: `(name: "x",` and nothing more.
    Syntax,
    /// An entity or relation type names a kind the schema lacks: `kind: "therpy"`.
    UnknownKind,
    /// An edge names a relation type the schema lacks: `rel: "treatz"`.
    UnknownRelationType,
    /// An edge names an entity id that does not exist: `to: "fractur"`.
    DanglingId,
    /// Provenance names a source id that does not exist: `source: "artcle"`.
    UnknownSource,
    /// Provenance names a section its source does not have: `section: "bisphos"`.
    UnknownSection,
    /// A claim names a conflict id that does not exist: `conflict: "dmab"`.
    UnknownConflict,
    /// An entity attribute uses a key the schema lacks: `key: "dose"`.
    UnknownAttribute,
    /// Two definitions share an id: two entities with `id: "surgery"`.
    DuplicateId,
    /// A name or alias is claimed by two entities: `aliases: ["Zometa"]` on two entities.
    NameClash,
    /// An edge joins kinds its relation type does not allow: a `symptom` that `treats` something.
    KindNotAllowed,
    /// A phrase or kind word is claimed twice: `forward: ["treating"]` on two relation types.
    PhraseClash,
    /// Relation parents or `is_a` edges form a loop: `a is_a b`, `b is_a a`.
    Cycle,
    /// A required text is empty: `name: ""`.
    Empty,
    /// An edge or attribute has no source: no `source:` field.
    Unsourced,
    /// A single-valued relation or attribute has differing values that are not marked as a conflict.
    UnmarkedConflict,
    /// A marked conflict: two or more claims that disagree, kept on purpose.
    Conflict,
    /// A declared conflict with fewer than two tagged claims.
    IncompleteConflict,
    /// An entity with no edges at all.
    Isolated,
    /// The same edge stated twice in the same section.
    DuplicateEdge,
    /// A claim's `basis` disagrees with its hedge: `basis: Hedged` with no `certainty` or
    /// `hedge`, or `hedge: "may"` with `basis: Stated`.
    BasisMismatch,
    /// An answer would inherit a critical claim (a relation type or entity marked `critical`)
    /// through a step that does not cite what the source says: an `is_a` edge with no section
    /// or no `basis`, or an edge of a refining relation type reached by its parent's phrase.
    UncitedCriticalStep,
    /// A member states plainly what its class states only with a hedge, so the member's row
    /// shows the plain claim: `bisphosphonates treats x (may)` and `zometa treats x`.
    InheritedHedgeLost,
    /// A compiled snapshot (`bonegraph compile`) that cannot be used: truncated, corrupted,
    /// written by another format or crate version, or not a snapshot at all:
    /// `bonegraph --graph graph.bgs` after `truncate -s 100 graph.bgs`.
    Snapshot,
}

impl Code {
    /// The stable kebab-case name used in rendered messages and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Io => "io",
            Code::TooLarge => "too-large",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::Syntax => "syntax",
            Code::UnknownKind => "unknown-kind",
            Code::UnknownRelationType => "unknown-relation-type",
            Code::DanglingId => "dangling-id",
            Code::UnknownSource => "unknown-source",
            Code::UnknownSection => "unknown-section",
            Code::UnknownConflict => "unknown-conflict",
            Code::UnknownAttribute => "unknown-attribute",
            Code::DuplicateId => "duplicate-id",
            Code::NameClash => "name-clash",
            Code::KindNotAllowed => "kind-not-allowed",
            Code::PhraseClash => "phrase-clash",
            Code::Cycle => "cycle",
            Code::Empty => "empty",
            Code::Unsourced => "unsourced",
            Code::UnmarkedConflict => "unmarked-conflict",
            Code::Conflict => "conflict",
            Code::IncompleteConflict => "incomplete-conflict",
            Code::Isolated => "isolated",
            Code::DuplicateEdge => "duplicate-edge",
            Code::BasisMismatch => "basis-mismatch",
            Code::UncitedCriticalStep => "uncited-critical-step",
            Code::InheritedHedgeLost => "inherited-hedge-lost",
            Code::Snapshot => "snapshot",
        }
    }
}

/// The longest message or hint a diagnostic keeps, in characters.
pub const MAX_MESSAGE_CHARS: usize = 1000;

/// `text`, cut to [`MAX_MESSAGE_CHARS`] with `…` if longer.
fn bounded(text: String) -> String {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => text,
        Some((at, _)) => format!("{}…", &text[..at]),
    }
}

/// A position in a file: 1-based line and column (the column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// How many characters the problem spans on its line (at least 1).
    #[serde(skip)]
    pub width: usize,
}

/// One problem in a graph file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub code: Code,
    /// What is wrong, lowercase, with user text in backticks.
    pub message: String,
    /// Where, when known.
    #[serde(flatten)]
    pub location: Option<Location>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error without location or hint. A message longer than [`MAX_MESSAGE_CHARS`] (it
    /// can quote a huge id from the file) is cut, so that no report line grows without bound.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: bounded(message.into()),
            location: None,
            hint: None,
        }
    }

    /// A warning without location or hint.
    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// Sets the location.
    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Sets the hint (cut like the message).
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(bounded(hint.into()));
        self
    }

    /// Sets the hint if there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint.map(bounded);
        self
    }

    /// Renders the diagnostic the way a compiler would, quoting the offending line of `text`
    /// (the file's contents, if available) and underlining the problem, through the one
    /// renderer every diagnostic of the program goes through ([`render`]). Control characters
    /// in the message, the hint, the file name and the quoted line are shown escaped.
    ///
    /// ```text
    /// error[unknown-kind]: entity `x` has unknown kind `therpy`
    ///  --> bad.ron:7:21
    ///   |
    /// 7 |     (id: "x", kind: "therpy", name: "x"),
    ///   |                     ^^^^^^^^
    ///   |
    ///   = help: did you mean `therapy`?
    /// ```
    pub fn render(&self, file: &str, text: Option<&str>) -> String {
        let line = self
            .location
            .and_then(|loc| text?.lines().nth(loc.line.checked_sub(1)?));
        self.render_line(file, line)
    }

    /// Renders like [`render`](Self::render), given only the offending line of the file (for
    /// rendering many diagnostics of one large file without rescanning it each time).
    pub fn render_line(&self, file: &str, source_line: Option<&str>) -> String {
        render(&self.report(file, source_line), false)
    }

    /// The diagnostic as the renderer takes it, with the offending line of the file if given.
    pub fn report<'a>(&'a self, file: &str, source_line: Option<&'a str>) -> Report<'a> {
        let mut report = Report {
            severity: self.severity,
            code: Some(self.code.as_str()),
            message: &self.message,
            origin: Some(file.to_owned()),
            source: None,
            primary: None,
            labels: Vec::new(),
            help: self.hint.clone(),
        };
        match (self.location, source_line) {
            (Some(loc), Some(line)) => {
                // Columns count characters; the underline may run past the line's end (a
                // value that goes on to the next line): it stops at the end.
                let start = char_offset(line, loc.column.saturating_sub(1));
                let end = char_offset(line, loc.column.saturating_sub(1) + loc.width.max(1));
                report.source = Some(SourceText {
                    text: line,
                    first_line: loc.line,
                });
                report.primary = Some(start..end.max(start));
            }
            (Some(loc), None) => {
                report.origin = Some(format!("{file}:{}:{}", loc.line, loc.column));
            }
            (None, _) => {}
        }
        report
    }
}

/// The byte offset of character `n` of `line` (its length if shorter).
fn char_offset(line: &str, n: usize) -> usize {
    line.char_indices().nth(n).map_or(line.len(), |(i, _)| i)
}

/// One diagnostic as the renderer takes it: load errors ([`Diagnostic::report`]), query errors
/// ([`crate::QueryError::report`]) and the shell's own errors alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report<'a> {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code shown in brackets (`unknown-kind`), if any.
    pub code: Option<&'a str>,
    /// What is wrong.
    pub message: &'a str,
    /// Where the text comes from: a file name, shown as `--> file:line:column`; `None` for
    /// a query the user typed.
    pub origin: Option<String>,
    /// The text the spans point into, if it can be quoted.
    pub source: Option<SourceText<'a>>,
    /// The bytes of `source` at fault, underlined with `^`.
    pub primary: Option<Range<usize>>,
    /// Other places in `source` that explain the problem, underlined with `-` and labelled.
    pub labels: Vec<(Range<usize>, String)>,
    /// What to do about it.
    pub help: Option<String>,
}

/// A text a diagnostic quotes, and the number of its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceText<'a> {
    /// The text (a query, or the lines of a file).
    pub text: &'a str,
    /// The line number of its first line (1 for a query).
    pub first_line: usize,
}

/// Renders a diagnostic the way rustc does, through annotate-snippets: the message with its
/// severity and code, where (`--> file:line:column`), the quoted text with the fault
/// underlined, and the help line. Control characters in everything shown are escaped (a tab
/// in the quoted text is four spaces), and the underline follows the escaped text. `styled`
/// adds terminal colours (for a terminal, when `NO_COLOR` is unset).
///
/// ```
/// use bonegraph::diagnostic::{Report, Severity, SourceText, render};
/// let report = Report {
///     severity: Severity::Error,
///     code: None,
///     message: "unknown entity `fractur`",
///     origin: None,
///     source: Some(SourceText { text: "therapies treating fractur", first_line: 1 }),
///     primary: Some(19..26),
///     labels: Vec::new(),
///     help: Some("did you mean `fracture`?".to_owned()),
/// };
/// assert_eq!(render(&report, false), "\
/// error: unknown entity `fractur`
///   |
/// 1 | therapies treating fractur
///   |                    ^^^^^^^
///   |
///   = help: did you mean `fracture`?
/// ");
/// ```
pub fn render(report: &Report<'_>, styled: bool) -> String {
    use annotate_snippets::{Level, Renderer, Snippet};
    let level = match report.severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
    };
    let message = esc(report.message);
    let origin = report.origin.as_deref().map(esc);
    let help = report.help.as_deref().map(esc);
    let labels: Vec<String> = report
        .labels
        .iter()
        .map(|(_, l)| esc(l).into_owned())
        .collect();
    let focus = report.primary.as_ref().map(|r| r.start);
    let shown = report.source.map(|s| Shown::new(s.text, focus));
    let mut title = level.title(&message);
    if let Some(code) = report.code {
        title = title.id(code);
    }
    if let (Some(shown), Some(source)) = (&shown, report.source) {
        let mut snippet = Snippet::source(&shown.text)
            .line_start(source.first_line)
            .fold(true);
        // The place (`--> file:line:column`) is written below, from the original text: the
        // quote may be cut to a window, which would move annotate-snippets' own column.
        if let Some(primary) = &report.primary {
            snippet = snippet.annotation(level.span(shown.range(primary)));
        }
        for ((range, _), label) in report.labels.iter().zip(&labels) {
            snippet = snippet.annotation(Level::Info.span(shown.range(range)).label(label));
        }
        title = title.snippet(snippet);
    }
    if let Some(help) = &help {
        title = title.footer(Level::Help.title(help));
    }
    let renderer = if styled {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let text = renderer.render(title).to_string();
    match (&origin, &shown, report.source) {
        // A quote: the place under the message, lined up with the quote's gutter.
        (Some(origin), Some(_), Some(source)) => {
            let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
            let lines = source.text.lines().count().max(1);
            let gutter = (source.first_line + lines - 1).to_string().len();
            let place = match &report.primary {
                Some(primary) => {
                    let before = &source.text[..primary.start.min(source.text.len())];
                    let line = source.first_line + before.matches('\n').count();
                    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                    format!("{origin}:{line}:{column}")
                }
                None => format!("{origin}:{}", source.first_line),
            };
            format!("{first}\n{:gutter$}--> {place}\n{rest}\n", "")
        }
        // No text to quote: the place alone, under the message, where a quote would start.
        (Some(origin), None, _) => {
            let (first, rest) = text.split_once('\n').unwrap_or((&text, ""));
            let rest = if rest.is_empty() {
                String::new()
            } else {
                format!("{rest}\n")
            };
            format!("{first}\n  --> {origin}\n{rest}")
        }
        _ => format!("{text}\n"),
    }
}

/// A quoted text as shown: tabs as four spaces, control characters escaped, and for each
/// byte of the original where it went, so that spans still point at the right characters.
struct Shown {
    text: String,
    /// `at[i]`: where byte `base + i` of the original starts in `text` (and the last entry
    /// the end).
    at: Vec<usize>,
    /// Where in the original `at` starts: a very long line is escaped only around the fault.
    base: usize,
}

/// On a single line longer than four times this many bytes (a graph file written without
/// line breaks), only this many bytes either side of the fault are escaped and windowed:
/// escaping megabytes per diagnostic to show 120 characters made checking such a file slow.
const PRECUT_BYTES: usize = 4096;

/// The most characters of one line a quote shows; a longer line is cut to a window around
/// the fault, marked with `…`. annotate-snippets trims long lines itself, but its trimming
/// can underflow (and panic) on a fault inside long leading whitespace; it trims only lines
/// wider than 140 columns less the gutter (`3 +` the line number's digits), so a window of
/// 120 and its two marks never reach it.
const QUOTED_LINE_CHARS: usize = 120;

impl Shown {
    /// `focus`: the byte of `original` the quote should keep in view (the fault's start).
    fn new(whole: &str, focus: Option<usize>) -> Self {
        let (base, end) = if whole.len() > 4 * PRECUT_BYTES && !whole.contains('\n') {
            let f = focus.unwrap_or(0).min(whole.len());
            let floor = |mut i: usize| {
                while !whole.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            (
                floor(f.saturating_sub(PRECUT_BYTES)),
                floor((f + PRECUT_BYTES).min(whole.len())),
            )
        } else {
            (0, whole.len())
        };
        let original = &whole[base..end];
        let focus = focus.map(|f| f.saturating_sub(base));
        let mut text = String::with_capacity(original.len());
        let mut at = vec![0; original.len() + 1];
        for (i, c) in original.char_indices() {
            for b in 0..c.len_utf8() {
                at[i + b] = text.len();
            }
            if c == '\t' {
                text.push_str("    ");
            } else {
                text.push_str(&esc(c.encode_utf8(&mut [0; 4])));
            }
        }
        at[original.len()] = text.len();
        let focus = focus.map(|f| at[f.min(original.len())]);
        Shown { text, at, base }.windowed(focus)
    }

    /// Cuts every line longer than [`QUOTED_LINE_CHARS`] to a window (around `focus`, a byte
    /// of `self.text`, on its line; else the line's start), and moves `at` with it.
    fn windowed(self, focus: Option<usize>) -> Self {
        const MARK: &str = "…";
        let mut text = String::with_capacity(self.text.len().min(1 << 16));
        // For each old byte offset: where it goes. Built line by line.
        let mut moved = vec![0usize; self.text.len() + 1];
        let mut line_start = 0;
        for line in self.text.split_inclusive('\n') {
            let body = line.strip_suffix('\n').unwrap_or(line);
            let line_end = line_start + body.len();
            let chars: Vec<usize> = body.char_indices().map(|(i, _)| line_start + i).collect();
            let (ws, we) = if chars.len() <= QUOTED_LINE_CHARS {
                (line_start, line_end)
            } else {
                let at_focus = focus
                    .filter(|f| (line_start..=line_end).contains(f))
                    .map_or(0, |f| chars.partition_point(|&c| c < f));
                let first = at_focus.saturating_sub(QUOTED_LINE_CHARS / 3);
                let first = first.min(chars.len() - QUOTED_LINE_CHARS);
                let last = first + QUOTED_LINE_CHARS;
                (chars[first], chars.get(last).copied().unwrap_or(line_end))
            };
            let new_start = text.len();
            if ws > line_start {
                text.push_str(MARK);
            }
            let window_start = text.len();
            text.push_str(&self.text[ws..we]);
            let window_end = text.len();
            if we < line_end {
                text.push_str(MARK);
            }
            for (old, slot) in moved
                .iter_mut()
                .enumerate()
                .take(line_end + 1)
                .skip(line_start)
            {
                *slot = if old < ws {
                    new_start
                } else if old > we {
                    text.len()
                } else {
                    window_start + (old - ws).min(window_end - window_start)
                };
            }
            if line.ends_with('\n') {
                text.push('\n');
            }
            line_start += line.len();
        }
        moved[self.text.len()] = text.len();
        let at = self.at.iter().map(|&p| moved[p]).collect();
        Shown {
            text,
            at,
            base: self.base,
        }
    }

    /// Where the bytes `r` of the original went in `text`.
    fn range(&self, r: &Range<usize>) -> Range<usize> {
        let last = self.at.len() - 1;
        let to = |i: usize| self.at[i.saturating_sub(self.base).min(last)];
        let (start, end) = (to(r.start), to(r.end));
        start..end.max(start)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location {
            write!(f, "{}:{}: ", loc.line, loc.column)?;
        }
        write!(f, "{}", esc(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, " ({})", esc(hint))?;
        }
        Ok(())
    }
}

/// The result of a failed load: every problem found, errors first.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.diagnostics))]
pub struct LoadError {
    /// Every error and warning found, in file order within each severity.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// The errors only.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }
}

fn summary(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    match errors.as_slice() {
        [] => "invalid graph file".to_owned(),
        [one] => format!("invalid graph file: {one}"),
        [first, rest @ ..] => format!(
            "invalid graph file: {first} (and {} more error{})",
            rest.len(),
            if rest.len() == 1 { "" } else { "s" }
        ),
    }
}
