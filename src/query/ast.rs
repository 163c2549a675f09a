//! The syntax tree of a query, with byte spans into the query text.
//!
//! The AST records what was typed, not what it means: entity names are text, kind words and
//! phrases are the normalised words the user wrote. Resolving names to entities and phrases to
//! relation types is `resolve`'s job. `Display` prints canonical query text that parses
//! back to the same tree (spans aside).

use std::fmt;

/// A byte range in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A word or multi-word term as typed, normalised (lowercase, single spaces).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Word {
    /// The normalised text (`therapies`, `prevented by`).
    pub text: String,
    /// Where it was typed.
    pub span: Span,
}

/// A reference to an entity by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityRef {
    /// The name as typed: normalised for bare names, verbatim for quoted names.
    pub text: String,
    /// Whether it was written in double quotes.
    pub quoted: bool,
    /// Where it was typed (including quotes).
    pub span: Span,
}

/// A whole query.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Query {
    /// A set of entities: `therapies treating fracture`.
    Expr(Expr),
    /// `count <expr>`.
    Count(Expr),
    /// `describe <entity>`, or an entity name alone.
    Describe(EntityRef),
    /// `path from A to B`, `paths from A to B [limit N]`.
    Path(PathQuery),
    /// `<attribute> of <target>`: the values of an attribute.
    Values(ValuesQuery),
    /// `count <attribute> of <target>`: how many values.
    CountValues(ValuesQuery),
}

/// `<attribute> of <target> [where <condition> { and <condition> }]`:
/// `dosing interval of zoledronic acid`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ValuesQuery {
    /// The attribute's label or id as typed, normalised (`dosing interval`).
    pub attribute: Word,
    /// Whose values.
    pub target: Box<Expr>,
    /// Conditions on the values' claims; empty when there are none.
    pub conditions: Vec<Condition>,
}

/// `<field> is <value>`: a test on the claim behind a row or a value (`frequency is rare`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Condition {
    /// The field, normalised (`frequency`, `section`).
    pub field: Word,
    /// The value: normalised words, or the text between the quotes of a quoted value.
    pub value: String,
    /// Whether the value was written in double quotes.
    pub quoted: bool,
    /// Where the value was typed (including quotes).
    pub value_span: Span,
}

/// `path from A to B` or `paths from A to B limit N`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PathQuery {
    /// Where the path starts.
    pub from: EntityRef,
    /// Where it ends.
    pub to: EntityRef,
    /// `paths` (several) rather than `path` (the shortest one).
    pub several: bool,
    /// The `limit N` of `paths`, with its span.
    pub limit: Option<(usize, Span)>,
}

/// A set operator between two expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetOp {
    /// `and`: in both.
    And,
    /// `or`: in either.
    Or,
    /// `except`: in the left but not the right.
    Except,
}

impl SetOp {
    /// The keyword.
    pub fn as_str(self) -> &'static str {
        match self {
            SetOp::And => "and",
            SetOp::Or => "or",
            SetOp::Except => "except",
        }
    }
}

/// An expression denoting a set of entities.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    /// `therapies`, `therapies treating fracture and preventing pain`.
    Select(Selection),
    /// A single entity named directly.
    Entity(EntityRef),
    /// `a and b`, `a or b`, `a except b`.
    Binary {
        /// The operator.
        op: SetOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `( expr )`, kept so spans and printing follow what was typed.
    Group(Box<Expr>, Span),
}

/// A kind word with zero or more filters: `side effects of zoledronic acid`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Selection {
    /// The kind word (`therapies`, `side effects`, `things`).
    pub kind: Word,
    /// Filters joined by `and`; empty for a bare kind.
    pub filters: Vec<Filter>,
    /// Conditions on the claims behind the rows (`where frequency is rare`); empty when there
    /// are none, always empty without filters.
    pub conditions: Vec<Condition>,
}

/// `<phrase> <target>`: `treating fracture`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Filter {
    /// The relation phrase (`treating`, `prevented by`, `of`).
    pub phrase: Word,
    /// What the phrase points at.
    pub target: Box<Expr>,
}

impl Expr {
    /// Where the expression was typed.
    pub fn span(&self) -> Span {
        match self {
            Expr::Select(s) => s.span(),
            Expr::Entity(e) => e.span,
            Expr::Binary { lhs, rhs, .. } => lhs.span().to(rhs.span()),
            Expr::Group(_, span) => *span,
        }
    }
}

impl Selection {
    /// Where the selection was typed.
    pub fn span(&self) -> Span {
        let span = self
            .filters
            .last()
            .map_or(self.kind.span, |f| self.kind.span.to(f.target.span()));
        self.conditions
            .last()
            .map_or(span, |c| span.to(c.value_span))
    }
}

impl Condition {
    /// Where the condition was typed.
    pub fn span(&self) -> Span {
        self.field.span.to(self.value_span)
    }
}

impl ValuesQuery {
    /// Where the question was typed.
    pub fn span(&self) -> Span {
        let span = self.attribute.span.to(self.target.span());
        self.conditions
            .last()
            .map_or(span, |c| span.to(c.value_span))
    }
}

/// Removes every span, for comparing trees parsed from different text.
pub trait StripSpans {
    /// The same tree with every span set to `Span::default()`.
    fn strip_spans(&self) -> Self;
}

impl StripSpans for Word {
    fn strip_spans(&self) -> Self {
        Word {
            text: self.text.clone(),
            span: Span::default(),
        }
    }
}

impl StripSpans for EntityRef {
    fn strip_spans(&self) -> Self {
        EntityRef {
            text: self.text.clone(),
            quoted: self.quoted,
            span: Span::default(),
        }
    }
}

impl StripSpans for Expr {
    fn strip_spans(&self) -> Self {
        match self {
            Expr::Select(s) => Expr::Select(Selection {
                kind: s.kind.strip_spans(),
                filters: s
                    .filters
                    .iter()
                    .map(|f| Filter {
                        phrase: f.phrase.strip_spans(),
                        target: Box::new(f.target.strip_spans()),
                    })
                    .collect(),
                conditions: s.conditions.iter().map(|c| c.strip_spans()).collect(),
            }),
            Expr::Entity(e) => Expr::Entity(e.strip_spans()),
            Expr::Binary { op, lhs, rhs } => Expr::Binary {
                op: *op,
                lhs: Box::new(lhs.strip_spans()),
                rhs: Box::new(rhs.strip_spans()),
            },
            Expr::Group(inner, _) => Expr::Group(Box::new(inner.strip_spans()), Span::default()),
        }
    }
}

impl StripSpans for Condition {
    fn strip_spans(&self) -> Self {
        Condition {
            field: self.field.strip_spans(),
            value: self.value.clone(),
            quoted: self.quoted,
            value_span: Span::default(),
        }
    }
}

impl StripSpans for ValuesQuery {
    fn strip_spans(&self) -> Self {
        ValuesQuery {
            attribute: self.attribute.strip_spans(),
            target: Box::new(self.target.strip_spans()),
            conditions: self.conditions.iter().map(|c| c.strip_spans()).collect(),
        }
    }
}

impl StripSpans for Query {
    fn strip_spans(&self) -> Self {
        match self {
            Query::Expr(e) => Query::Expr(e.strip_spans()),
            Query::Count(e) => Query::Count(e.strip_spans()),
            Query::Describe(e) => Query::Describe(e.strip_spans()),
            Query::Path(p) => Query::Path(PathQuery {
                from: p.from.strip_spans(),
                to: p.to.strip_spans(),
                several: p.several,
                limit: p.limit.map(|(n, _)| (n, Span::default())),
            }),
            Query::Values(v) => Query::Values(v.strip_spans()),
            Query::CountValues(v) => Query::CountValues(v.strip_spans()),
        }
    }
}

/// Writes `text` in double quotes, with `\"` and `\\` for quotes and backslashes.
fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if c == '"' || c == '\\' {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.quoted {
            write_quoted(f, &self.text)
        } else {
            f.write_str(&self.text)
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is ", self.field.text)?;
        if self.quoted {
            write_quoted(f, &self.value)
        } else {
            f.write_str(&self.value)
        }
    }
}

/// ` where a is x and b is y`, or nothing.
fn write_conditions(f: &mut fmt::Formatter<'_>, conditions: &[Condition]) -> fmt::Result {
    for (i, c) in conditions.iter().enumerate() {
        f.write_str(if i == 0 { " where " } else { " and " })?;
        write!(f, "{c}")?;
    }
    Ok(())
}

impl fmt::Display for ValuesQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {}", self.attribute.text, self.target)?;
        write_conditions(f, &self.conditions)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Select(s) => write!(f, "{s}"),
            Expr::Entity(e) => write!(f, "{e}"),
            Expr::Binary { op, lhs, rhs } => write!(f, "{lhs} {} {rhs}", op.as_str()),
            Expr::Group(inner, _) => write!(f, "({inner})"),
        }
    }
}

impl fmt::Display for Selection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind.text)?;
        for (i, filter) in self.filters.iter().enumerate() {
            if i > 0 {
                f.write_str(" and")?;
            }
            write!(f, " {} {}", filter.phrase.text, filter.target)?;
        }
        write_conditions(f, &self.conditions)
    }
}

impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Query::Expr(e) => write!(f, "{e}"),
            Query::Count(e) => write!(f, "count {e}"),
            Query::Describe(e) => write!(f, "describe {e}"),
            Query::Path(p) => {
                let word = if p.several { "paths" } else { "path" };
                write!(f, "{word} from {} to {}", p.from, p.to)?;
                if let Some((n, _)) = p.limit {
                    write!(f, " limit {n}")?;
                }
                Ok(())
            }
            Query::Values(v) => write!(f, "{v}"),
            Query::CountValues(v) => write!(f, "count {v}"),
        }
    }
}
