//! Problems found while loading a graph file, as data, and their rendering.
//!
//! A [`Diagnostic`] says what is wrong, where (line and column in the file) and what to do
//! about it. Rendering is separate ([`Diagnostic::render`]) so that the CLI, JSON output and
//! tests can each present the same data their own way. The data (and the JSON) keeps the
//! exact text; the rendering and `Display` show control characters escaped
//! ([`crate::text::escape_control`]), since a graph file may hold terminal codes in any
//! string the messages quote.

use crate::text::{columns, escape_control as esc};
use serde::Serialize;
use std::fmt;

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file loads, but something deserves a look.
    Warning,
}

/// What kind of problem a diagnostic reports. Each variant's doc shows an input that triggers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
    /// (the file's contents, if available) and underlining the problem. Control characters
    /// in the message, the hint, the file name and the quoted line are shown escaped (a tab in
    /// the quoted line as four spaces), with the underline under the escaped text.
    ///
    /// ```text
    /// error[unknown-kind]: entity `x` has unknown kind `therpy`
    ///   --> bad.ron:7:24
    ///    |
    ///  7 |     (id: "x", kind: "therpy", name: "x"),
    ///    |                     ^^^^^^^^
    ///    = help: did you mean `therapy`?
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
        use fmt::Write;
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!(
            "{severity}[{}]: {}\n",
            self.code.as_str(),
            esc(&self.message)
        );
        let file = esc(file);
        match self.location {
            Some(loc) => {
                let _ = writeln!(out, "  --> {file}:{}:{}", loc.line, loc.column);
                if let Some(source_line) = source_line.filter(|l| l.len() <= 300) {
                    let gutter = loc.line.to_string().len();
                    let pad = " ".repeat(gutter);
                    // A tab is the file's layout, not its content: four spaces, so that the
                    // quoted line and the underline line up on any terminal.
                    let shown = |chars: &mut dyn Iterator<Item = char>| -> String {
                        let text: String = chars
                            .map(|c| {
                                if c == '\t' {
                                    "    ".to_owned()
                                } else {
                                    c.to_string()
                                }
                            })
                            .collect();
                        esc(&text).into_owned()
                    };
                    let skip = loc.column.saturating_sub(1);
                    let lead = columns(&shown(&mut source_line.chars().take(skip)));
                    // The problem's characters on this line, then any it runs on past the end.
                    let width = loc.width.max(1);
                    let on_line = source_line.chars().skip(skip).take(width).count();
                    let under = columns(&shown(&mut source_line.chars().skip(skip).take(width)))
                        + (width - on_line);
                    let _ = writeln!(out, " {pad} |");
                    let _ = writeln!(out, " {} | {}", loc.line, shown(&mut source_line.chars()));
                    let _ = writeln!(
                        out,
                        " {pad} | {}{}",
                        " ".repeat(lead),
                        "^".repeat(under.max(1))
                    );
                }
            }
            None => {
                let _ = writeln!(out, "  --> {file}");
            }
        }
        if let Some(hint) = &self.hint {
            let _ = writeln!(out, "   = help: {}", esc(hint));
        }
        out
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
