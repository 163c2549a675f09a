//! Query text -> [`Query`] syntax tree, with nom.
//!
//! Syntax only: the parser uses the vocabulary to split text into multi-word terms (kind
//! words, phrases, entity names, longest first) but does not decide what a name refers to or
//! whether a phrase fits its kind; that is [`super::resolve`]. Each function cites its rule in
//! `grammar/query.ebnf`; a test checks that every rule there has exactly one such function.

use super::Limits;
use super::ast::*;
use super::error::{ErrorKind, QueryError};
use super::vocab::{Class, FIELDS, Vocabulary};
use crate::text::is_word_char;
use nom::IResult;
use nom::Parser as _;
use nom::branch::alt;
use nom::bytes::complete::{escaped_transform, tag, take_while, take_while1};
use nom::character::complete::{char, digit1, none_of, one_of};
use nom::combinator::{opt, recognize, value};
use nom::error::{ErrorKind as NomKind, ParseError};
use nom::multi::many0;
use nom::sequence::pair;

type In<'a> = &'a str;

/// The parser's error: either "not here" (nom backtracks and tries something else) or a
/// finished [`QueryError`]. Among alternatives, the one that got furthest wins.
#[derive(Debug, Clone)]
pub struct PErr {
    rest_len: usize,
    error: Option<QueryError>,
}

impl ParseError<In<'_>> for PErr {
    fn from_error_kind(input: In<'_>, _: NomKind) -> Self {
        PErr {
            rest_len: input.len(),
            error: None,
        }
    }

    fn append(_: In<'_>, _: NomKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        match (&self.error, &other.error) {
            (Some(_), None) => self,
            (None, Some(_)) => other,
            _ if self.rest_len < other.rest_len => self,
            _ => other,
        }
    }
}

type PResult<'a, T> = IResult<In<'a>, T, PErr>;

/// A committed error: stops the parse.
fn fail<'a, T>(e: QueryError) -> PResult<'a, T> {
    Err(nom::Err::Failure(PErr {
        rest_len: 0,
        error: Some(e),
    }))
}

/// A term found in the vocabulary: its normalised text, span, length in words, and the rest.
#[derive(Debug, Clone)]
struct Match<'a> {
    key: String,
    span: Span,
    rest: In<'a>,
    words: usize,
}

/// Parses one query against a vocabulary.
pub struct QueryParser<'v> {
    vocab: &'v Vocabulary,
    src: &'v str,
    /// The deepest nesting allowed ([`Limits::depth`]).
    max_depth: usize,
}

/// Parses `text` into a query.
pub fn parse(vocab: &Vocabulary, text: &str, limits: &Limits) -> Result<Query, QueryError> {
    let max_bytes = limits.query_bytes;
    if text.len() > max_bytes {
        return Err(QueryError::new(
            ErrorKind::TooLong,
            format!(
                "the query is {} bytes long; the limit is {max_bytes}",
                text.len()
            ),
            Span::new(max_bytes.min(text.len()), text.len()),
        )
        .help("ask a shorter question, or split it into several"));
    }
    let p = QueryParser {
        vocab,
        src: text,
        max_depth: limits.depth,
    };
    match p.query(text) {
        Ok((_, q)) => Ok(q),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.error.unwrap_or_else(|| {
            let at = text.len() - e.rest_len;
            p.unexpected(&text[at..])
        })),
        Err(nom::Err::Incomplete(_)) => Err(p.unexpected("")),
    }
}

/// Characters that separate words (anything but letters, digits, combining marks,
/// parentheses and quotes). A combining mark belongs to the word it is in, so that a name typed
/// in NFD (`e` followed by U+0301 for `é`) is one word, as in NFC.
fn is_separator(c: char) -> bool {
    !(is_word_char(c) || c == '(' || c == ')' || c == '"')
}

// [17] separator ::= any character other than a letter, digit, combining mark, `(`, `)` or `"`
fn sep(i: In<'_>) -> PResult<'_, In<'_>> {
    take_while(is_separator).parse(i)
}

// [18] number ::= digit { digit }
fn number(i: In<'_>) -> PResult<'_, In<'_>> {
    digit1(i)
}

// [16] word ::= alnum { alnum } { apostrophe alnum { alnum } }
fn word(i: In<'_>) -> PResult<'_, In<'_>> {
    let (i, _) = sep(i)?;
    recognize(pair(
        take_while1(is_word_char),
        many0(pair(one_of("'\u{2019}"), take_while1(is_word_char))),
    ))
    .parse(i)
}

impl<'v> QueryParser<'v> {
    fn pos(&self, i: In<'_>) -> usize {
        self.src.len() - i.len()
    }

    fn span(&self, before: In<'_>, after: In<'_>) -> Span {
        // `before` may start with separators; the span starts at the first word character.
        let skipped = before.len() - before.trim_start_matches(is_separator).len();
        Span::new(self.pos(before) + skipped, self.pos(after))
    }

    /// The longest vocabulary term of `class` starting at `i`. Words are read only while a
    /// term of the class could still go on, so the cost follows the longest term that fits
    /// here, not the longest term in the graph.
    fn longest(&self, i: In<'v>, class: Class) -> Option<Match<'v>> {
        let mut walk = self.vocab.walk(Some(class));
        let mut words: Vec<(String, In<'v>)> = Vec::new();
        let mut ends: Vec<usize> = Vec::new();
        let mut rest = i;
        while let Ok((r, w)) = word(rest) {
            let key = crate::text::normalize(w);
            let step = walk.step(&key);
            words.push((key, r));
            rest = r;
            if step.ends {
                ends.push(words.len());
            }
            if !step.more {
                break;
            }
        }
        for &n in ends.iter().rev() {
            let key = words[..n]
                .iter()
                .map(|(w, _)| w.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            if self.vocab.lookup(&key).iter().any(|l| l.class() == class) {
                let rest = words[n - 1].1;
                return Some(Match {
                    key,
                    span: self.span(i, rest),
                    rest,
                    words: n,
                });
            }
        }
        None
    }

    // [13] name ::= a name or alias of an entity, or its plural or singular form | word { word }
    fn name(&self, i: In<'v>) -> Option<Match<'v>> {
        // The second alternative is `unknown_words`.
        self.longest(i, Class::Entity)
    }

    // [14] kind_word ::= a kind's singular, plural or synonym | "things" | "thing" | "anything" | "everything" | "entities" | "entity"
    fn kind_word(&self, i: In<'v>) -> Option<Match<'v>> {
        self.longest(i, Class::Kind)
    }

    // [15] phrase ::= a relation type's forward or inverse phrase
    fn phrase(&self, i: In<'v>) -> Option<Match<'v>> {
        self.longest(i, Class::Phrase)
    }

    fn keyword(&self, i: In<'v>, kw: &str) -> Option<In<'v>> {
        self.longest(i, Class::Keyword)
            .filter(|m| m.key == kw)
            .map(|m| m.rest)
    }

    fn at_end(&self, i: In<'_>) -> bool {
        sep(i).is_ok_and(|(r, _)| r.is_empty())
    }

    /// Whether a keyword or phrase starts at `i` (where an unknown name must stop).
    fn at_stop_word(&self, i: In<'v>) -> bool {
        self.longest(i, Class::Keyword).is_some() || self.longest(i, Class::Phrase).is_some()
    }

    /// The error for text the grammar cannot use at `rest`.
    fn unexpected(&self, rest: In<'_>) -> QueryError {
        let (r, _) = sep(rest).unwrap_or((rest, ""));
        let at = self.pos(r);
        if r.is_empty() {
            return QueryError::new(
                ErrorKind::Syntax,
                "the query ends too early",
                Span::new(at, at),
            )
            .help(format!(
                "finish the question, for example `{}`",
                self.vocab.examples().selection
            ));
        }
        if self.keyword(r, "where").is_some() {
            let before = self.src[..at].trim_end();
            let ex = self.vocab.examples();
            return QueryError::new(
                ErrorKind::Syntax,
                format!("`where` needs a phrase or an attribute before it, after `{before}`"),
                Span::new(at, at + "where".len()),
            )
            .help(format!(
                "conditions test the claims a phrase finds, as in `{} where {}`, or the values of an attribute, as in `{} where {}`",
                ex.selection, ex.condition, ex.attribute, ex.condition
            ));
        }
        if let Some(phrase) = self.longest(r, Class::Phrase) {
            let before = self.src[..at].trim_end();
            return QueryError::new(
                ErrorKind::Syntax,
                format!("the phrase `{}` must follow a kind word", phrase.key),
                phrase.span,
            )
            .help(format!(
                "`{before}` names an entity; start with a kind instead, as in `things {} ...`",
                phrase.key
            ));
        }
        let first: String = r
            .chars()
            .take_while(|&c| !c.is_whitespace())
            .collect::<String>();
        let first = if first.is_empty() {
            r.chars().take(1).collect()
        } else {
            first
        };
        QueryError::new(
            ErrorKind::Syntax,
            format!("unexpected `{first}`"),
            Span::new(at, at + first.len()),
        )
        .help("expected `and`, `or`, `except`, `)` or the end of the query here")
    }

    // [1] query ::= describe | count | path | values | expr
    fn query(&self, i: In<'v>) -> PResult<'v, Query> {
        if self.at_end(i) {
            return fail(
                QueryError::new(ErrorKind::Syntax, "the query is empty", Span::new(0, 0)).help({
                    let ex = self.vocab.examples();
                    format!(
                        "try `{}`, `describe {}` or `path from {} to {}`",
                        ex.selection, ex.entity, ex.path.0, ex.path.1
                    )
                }),
            );
        }
        let (rest, q) = if let Some(r) = self.keyword(i, "describe") {
            self.describe(r)?
        } else if let Some(r) = self.keyword(i, "count") {
            self.count(r)?
        } else if self.keyword(i, "path").is_some() || self.keyword(i, "paths").is_some() {
            self.path(i)?
        } else if let Some(attr) = self.values_start(i)? {
            let (r, v) = self.values(attr, 0)?;
            (r, Query::Values(v))
        } else {
            let (r, e) = self.expr(i, 0)?;
            match e {
                // A name alone describes the entity.
                Expr::Entity(ent) => (r, Query::Describe(ent)),
                e => (r, Query::Expr(e)),
            }
        };
        if !self.at_end(rest) {
            if let Query::Values(v) | Query::CountValues(v) = &q
                && v.conditions.is_empty()
                && let Some(op) = ["and", "or", "except"]
                    .into_iter()
                    .find(|op| self.keyword(rest, op).is_some())
            {
                let at = self.pos(sep(rest)?.0);
                return fail(
                    QueryError::new(
                        ErrorKind::Syntax,
                        format!(
                            "`{}` asks about one target; `{op}` cannot follow it",
                            v.attribute.text
                        ),
                        Span::new(at, at + op.len()),
                    )
                    .help(format!(
                        "put the target in parentheses: `{} of ({} {})`",
                        v.attribute.text,
                        v.target,
                        &self.src[at..].trim_end()
                    )),
                );
            }
            return fail(self.unexpected(rest));
        }
        Ok(("", q))
    }

    // [2] describe ::= "describe" entity
    fn describe(&self, i: In<'v>) -> PResult<'v, Query> {
        let (r, e) = self.entity(i, &[])?;
        Ok((r, Query::Describe(e)))
    }

    // [3] count ::= "count" ( values | expr )
    fn count(&self, i: In<'v>) -> PResult<'v, Query> {
        if self.at_end(i) {
            return fail(self.expected_operand(i, "after `count`"));
        }
        if let Some(attr) = self.values_start(i)? {
            let (r, v) = self.values(attr, 0)?;
            return Ok((r, Query::CountValues(v)));
        }
        let (r, e) = self.expr(i, 0)?;
        Ok((r, Query::Count(e)))
    }

    // [4] path ::= ( "path" | "paths" ) "from" entity "to" entity [ "limit" number ]
    fn path(&self, i: In<'v>) -> PResult<'v, Query> {
        let (several, r) = match self.keyword(i, "paths") {
            Some(r) => (true, r),
            None => (
                false,
                self.keyword(i, "path").expect("checked by the caller"),
            ),
        };
        let Some(r) = self.keyword(r, "from") else {
            let at = self.pos(sep(r)?.0);
            return fail(
                QueryError::new(
                    ErrorKind::Syntax,
                    "expected `from` after `path`",
                    Span::new(at, at),
                )
                .help({
                    let (a, b) = &self.vocab.examples().path;
                    format!(
                        "write `path from <entity> to <entity>`, for example `path from {a} to {b}`"
                    )
                }),
            );
        };
        let (r, from) = self.entity(r, &["to"])?;
        let Some(r) = self.keyword(r, "to") else {
            let at = self.pos(sep(r)?.0);
            return fail(
                QueryError::new(
                    ErrorKind::Syntax,
                    format!("expected `to` after `{}`", from.text),
                    Span::new(at, at),
                )
                .help("write `path from <entity> to <entity>`"),
            );
        };
        let (r, to) = self.entity(r, &["limit"])?;
        let (r, limit) = match self.keyword(r, "limit") {
            None => (r, None),
            Some(after) => {
                let (after, _) = sep(after)?;
                let start = self.pos(after);
                let Ok((r2, digits)) = number(after) else {
                    return fail(
                        QueryError::new(
                            ErrorKind::Syntax,
                            "expected a number after `limit`",
                            Span::new(start, start),
                        )
                        .help({
                            let (a, b) = &self.vocab.examples().path;
                            format!("for example `paths from {a} to {b} limit 3`")
                        }),
                    );
                };
                let span = Span::new(start, self.pos(r2));
                if !several {
                    return fail(
                        QueryError::new(
                            ErrorKind::Syntax,
                            "`limit` applies to `paths`, not `path`",
                            span,
                        )
                        .help("write `paths from ... to ... limit N` for several paths"),
                    );
                }
                let n = digits.parse::<usize>().unwrap_or(usize::MAX);
                (r2, Some((n, span)))
            }
        };
        Ok((
            r,
            Query::Path(PathQuery {
                from,
                to,
                several,
                limit,
            }),
        ))
    }

    // [5] expr ::= conj { ( "or" | "except" ) conj }
    fn expr(&self, i: In<'v>, depth: usize) -> PResult<'v, Expr> {
        let (mut rest, mut lhs) = self.conj(i, depth)?;
        loop {
            let op = if let Some(r) = self.keyword(rest, "or") {
                (SetOp::Or, r)
            } else if let Some(r) = self.keyword(rest, "except") {
                (SetOp::Except, r)
            } else {
                return Ok((rest, lhs));
            };
            if self.at_end(op.1) {
                return fail(self.expected_operand(op.1, &format!("after `{}`", op.0.as_str())));
            }
            let (r, rhs) = self.conj(op.1, depth)?;
            lhs = Expr::Binary {
                op: op.0,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            };
            rest = r;
        }
    }

    // [6] conj ::= operand { "and" operand }
    fn conj(&self, i: In<'v>, depth: usize) -> PResult<'v, Expr> {
        let (mut rest, mut lhs) = self.operand(i, depth)?;
        while let Some(r) = self.keyword(rest, "and") {
            if self.at_end(r) {
                return fail(self.expected_operand(r, "after `and`"));
            }
            let (r, rhs) = self.operand(r, depth)?;
            lhs = Expr::Binary {
                op: SetOp::And,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            };
            rest = r;
        }
        Ok((rest, lhs))
    }

    // [7] operand ::= "(" expr ")" | selection | entity
    fn operand(&self, i: In<'v>, depth: usize) -> PResult<'v, Expr> {
        if depth > self.max_depth {
            let at = self.pos(i);
            return fail(
                QueryError::new(
                    ErrorKind::TooDeep,
                    format!("the query nests more than {} levels deep", self.max_depth),
                    Span::new(at, at + 1),
                )
                .help("split the question into simpler ones"),
            );
        }
        let (i, _) = sep(i)?;
        if let Ok((r, _)) = char::<In<'v>, PErr>('(').parse(i) {
            let open = self.pos(i);
            let (r, inner) = self.expr(r, depth + 1)?;
            let (r2, _) = sep(r)?;
            return match char::<In<'v>, PErr>(')').parse(r2) {
                Ok((r3, _)) => Ok((
                    r3,
                    Expr::Group(Box::new(inner), Span::new(open, self.pos(r3))),
                )),
                Err(_) if r2.is_empty() => fail(
                    QueryError::new(ErrorKind::Syntax, "unclosed `(`", Span::new(open, open + 1))
                        .help("add a `)` to close it"),
                ),
                Err(_) => fail(self.unexpected(r2)),
            };
        }
        if i.starts_with('"') {
            let (r, e) = self.quoted(i)?;
            return Ok((r, Expr::Entity(e)));
        }
        if i.starts_with(')') {
            let at = self.pos(i);
            return fail(
                QueryError::new(ErrorKind::Syntax, "unexpected `)`", Span::new(at, at + 1))
                    .help("there is no `(` for it to close"),
            );
        }
        let kind = self.kind_word(i);
        let ent = self.name(i);
        match (kind, ent) {
            (Some(k), e) if e.as_ref().is_none_or(|e| k.words >= e.words) => {
                self.selection(k, depth)
            }
            (_, Some(e)) => Ok((
                e.rest,
                Expr::Entity(EntityRef {
                    text: e.key,
                    quoted: false,
                    span: e.span,
                }),
            )),
            _ => self.unknown_operand(i),
        }
    }

    /// Words that are neither a kind nor a known name: an unknown name (reported by the
    /// resolver with suggestions), or, if a phrase follows, a misspelt kind word.
    fn unknown_operand(&self, i: In<'v>) -> PResult<'v, Expr> {
        let Some((text, span, rest)) = self.unknown_words(i, &[]) else {
            return fail(self.expected_operand(i, "here"));
        };
        if self.longest(rest, Class::Phrase).is_some() {
            let kinds = self.vocab.terms_of(Class::Kind);
            let e = QueryError::new(
                ErrorKind::UnknownKind,
                format!("unknown kind `{text}`"),
                span,
            )
            .suggest(
                self.vocab
                    .suggest(Class::Kind, &text)
                    .best
                    .map(str::to_owned),
            );
            let e = if e.suggestions.is_empty() {
                e.help(format!(
                    "a question starts with a kind such as {}",
                    sample(&kinds)
                ))
            } else {
                e
            };
            return fail(e);
        }
        Ok((
            rest,
            Expr::Entity(EntityRef {
                text,
                quoted: false,
                span,
            }),
        ))
    }

    /// One or more words up to a keyword (or one of `stop`), a phrase, a parenthesis or the
    /// end: the text of an unknown name.
    fn unknown_words(&self, i: In<'v>, stop: &[&str]) -> Option<(String, Span, In<'v>)> {
        let mut words = Vec::new();
        let mut rest = i;
        loop {
            if self.at_stop_word(rest) || stop.iter().any(|s| self.keyword(rest, s).is_some()) {
                break;
            }
            match word(rest) {
                Ok((r, w)) => {
                    words.push(crate::text::normalize(w));
                    rest = r;
                }
                Err(_) => break,
            }
        }
        if words.is_empty() {
            return None;
        }
        Some((words.join(" "), self.span(i, rest), rest))
    }

    fn expected_operand(&self, i: In<'_>, place: &str) -> QueryError {
        let (r, _) = sep(i).unwrap_or((i, ""));
        let at = self.pos(r);
        let found = r.split_whitespace().next().unwrap_or("");
        let message = if found.is_empty() {
            format!("expected a kind, a name or `(` {place}, found the end of the query")
        } else {
            format!("expected a kind, a name or `(` {place}, found `{found}`")
        };
        QueryError::new(ErrorKind::Syntax, message, Span::new(at, at + found.len())).help({
            let ex = self.vocab.examples();
            format!(
                "for example `{}`, `{}` or `({} or {})`",
                ex.entity, ex.selection, ex.entity, ex.other
            )
        })
    }

    // [8] selection ::= kind_word [ filter { "and" filter } [ conditions ] ]
    fn selection(&self, kind: Match<'v>, depth: usize) -> PResult<'v, Expr> {
        let kind_word = Word {
            text: kind.key.clone(),
            span: kind.span,
        };
        let mut filters = Vec::new();
        let mut rest = kind.rest;
        loop {
            let after_and = if filters.is_empty() {
                Some(rest)
            } else {
                self.keyword(rest, "and")
            };
            let Some(at) = after_and else { break };
            match self.phrase(at) {
                Some(phrase) => {
                    let (r, f) = self.filter(phrase, depth)?;
                    filters.push(f);
                    rest = r;
                }
                None if filters.is_empty() => {
                    self.check_missing_phrase(&kind_word, at)?;
                    break;
                }
                None => break,
            }
        }
        // Conditions need a phrase: without one, `where` is left to whatever encloses the
        // kind (an attribute question) or reported there.
        let mut conditions = Vec::new();
        if !filters.is_empty() && self.keyword(rest, "where").is_some() {
            let (r, c) = self.conditions(rest)?;
            conditions = c;
            rest = r;
            if let Some(phrase) = self.keyword(rest, "and").and_then(|r| self.phrase(r)) {
                return fail(
                    QueryError::new(
                        ErrorKind::Syntax,
                        format!("the phrase `{}` comes after the conditions", phrase.key),
                        phrase.span,
                    )
                    .help(format!(
                        "give every phrase before `where`, as in `{} ... and {} ... where ...`, or use parentheses",
                        kind_word.text, phrase.key
                    )),
                );
            }
        }
        Ok((
            rest,
            Expr::Select(Selection {
                kind: kind_word,
                filters,
                conditions,
            }),
        ))
    }

    /// After a kind word, anything but a phrase, a connective, `)` or the end is an error
    /// about the phrase: missing (`therapies fracture`) or unknown (`therapies healing x`).
    fn check_missing_phrase(&self, kind: &Word, i: In<'v>) -> PResult<'v, ()> {
        let (r, _) = sep(i)?;
        if r.is_empty() || r.starts_with(')') || self.longest(r, Class::Keyword).is_some() {
            return Ok((i, ()));
        }
        let starts_name = r.starts_with('"')
            || r.starts_with('(')
            || self.longest(r, Class::Entity).is_some()
            || self.longest(r, Class::Kind).is_some();
        if starts_name {
            let at = self.pos(r);
            return fail(
                QueryError::new(
                    ErrorKind::Syntax,
                    format!("expected a phrase after `{}`", kind.text),
                    Span::new(at, at),
                )
                .help(format!(
                    "a phrase says how things are related, as in `{} {} ...`; see `:schema` for every phrase",
                    kind.text,
                    self.vocab
                        .examples()
                        .phrases
                        .first()
                        .map_or("<phrase>", String::as_str)
                )),
            );
        }
        // Unknown words up to the next name: a misspelt phrase.
        let mut words = Vec::new();
        let mut rest = r;
        while self.longest(rest, Class::Entity).is_none()
            && self.longest(rest, Class::Keyword).is_none()
        {
            match word(rest) {
                Ok((r2, w)) => {
                    words.push(crate::text::normalize(w));
                    rest = r2;
                }
                Err(_) => break,
            }
        }
        let text = words.join(" ");
        let span = self.span(r, rest);
        let e = QueryError::new(
            ErrorKind::UnknownPhrase,
            format!("unknown phrase `{text}`"),
            span,
        )
        .suggest(
            self.vocab
                .suggest(Class::Phrase, &text)
                .best
                .map(str::to_owned),
        );
        fail(if e.suggestions.is_empty() {
            e.help({
                let phrases: Vec<String> = self
                    .vocab
                    .examples()
                    .phrases
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect();
                if phrases.is_empty() {
                    "this graph has no phrases yet".to_owned()
                } else {
                    format!(
                        "see `:schema` for every phrase; for example {}",
                        phrases.join(", ")
                    )
                }
            })
        } else {
            e
        })
    }

    // [9] filter ::= phrase target
    fn filter(&self, phrase: Match<'v>, depth: usize) -> PResult<'v, Filter> {
        let phrase_word = Word {
            text: phrase.key,
            span: phrase.span,
        };
        if self.at_end(phrase.rest) || sep(phrase.rest)?.0.starts_with(')') {
            return fail(
                self.expected_operand(phrase.rest, &format!("after `{}`", phrase_word.text)),
            );
        }
        let (r, target) = self.target(phrase.rest, depth + 1)?;
        Ok((
            r,
            Filter {
                phrase: phrase_word,
                target: Box::new(target),
            },
        ))
    }

    // [10] target ::= "(" expr ")" | selection | entity
    fn target(&self, i: In<'v>, depth: usize) -> PResult<'v, Expr> {
        // The same alternatives as an operand; `and` after a target ends it (see [8]).
        self.operand(i, depth)
    }

    /// Whether an attribute question starts at `i`: an attribute's label or id followed by
    /// `of`, at least as long (in words) as any kind word or name starting there. An attribute
    /// with no `of` after it, or a misspelt attribute before `of`, is an error here.
    fn values_start(&self, i: In<'v>) -> Result<Option<Match<'v>>, nom::Err<PErr>> {
        let other = [self.kind_word(i), self.name(i)]
            .into_iter()
            .flatten()
            .map(|m| m.words)
            .max();
        let Some(attr) = self.attribute(i) else {
            if other.is_none()
                && let Some(e) = self.misspelt_attribute(i)
            {
                return Err(nom::Err::Failure(PErr {
                    rest_len: 0,
                    error: Some(e),
                }));
            }
            return Ok(None);
        };
        if other.is_some_and(|n| n > attr.words) {
            return Ok(None);
        }
        if self.literal(attr.rest, "of").is_some() {
            return Ok(Some(attr));
        }
        // Not a question about values: a kind or name of the same words, or (before a phrase)
        // a kind word the graph lacks, is read as usual.
        if other.is_some() || self.phrase(attr.rest).is_some() {
            return Ok(None);
        }
        let (r, _) = sep(attr.rest)?;
        let at = self.pos(r);
        let found = r.split_whitespace().next().unwrap_or("");
        let message = if found.is_empty() {
            format!(
                "expected `of` after the attribute `{}`, found the end of the query",
                attr.key
            )
        } else {
            format!(
                "expected `of` after the attribute `{}`, found `{found}`",
                attr.key
            )
        };
        Err(nom::Err::Failure(PErr {
            rest_len: 0,
            error: Some(
                QueryError::new(ErrorKind::Syntax, message, Span::new(at, at + found.len())).help(
                    format!(
                        "ask for an attribute's values as `{} of <name>`, for example `{}`",
                        attr.key,
                        self.vocab.examples().attribute
                    ),
                ),
            ),
        }))
    }

    /// Words before `of` at the start of a question that come close to an attribute's label
    /// or id (`dosing intervall of ...`): an unknown attribute, with the one meant.
    fn misspelt_attribute(&self, i: In<'v>) -> Option<QueryError> {
        let mut words = Vec::new();
        let mut rest = i;
        while self.literal(rest, "of").is_none() {
            if words.len() == 8 {
                return None;
            }
            let (r, w) = word(rest).ok()?;
            words.push(crate::text::normalize(w));
            rest = r;
        }
        if words.is_empty() {
            return None;
        }
        let text = words.join(" ");
        let best = self.vocab.suggest(Class::Attribute, &text).best?;
        Some(
            QueryError::new(
                ErrorKind::UnknownAttribute,
                format!("unknown attribute `{text}`"),
                self.span(i, rest),
            )
            .suggest([best.to_owned()]),
        )
    }

    /// The fixed word `w` (normalised) at `i`, whatever the vocabulary says of it.
    fn literal(&self, i: In<'v>, w: &str) -> Option<In<'v>> {
        let (r, found) = word(i).ok()?;
        (crate::text::normalize(found) == w).then_some(r)
    }

    // [19] values ::= attribute "of" target [ conditions ]
    fn values(&self, attr: Match<'v>, depth: usize) -> PResult<'v, ValuesQuery> {
        let attribute = Word {
            text: attr.key,
            span: attr.span,
        };
        let r = self
            .literal(attr.rest, "of")
            .expect("checked by values_start");
        if self.at_end(r) || sep(r)?.0.starts_with(')') {
            return fail(self.expected_operand(r, "after `of`"));
        }
        let (r, target) = self.target(r, depth + 1)?;
        let (r, conditions) = if self.keyword(r, "where").is_some() {
            self.conditions(r)?
        } else {
            (r, Vec::new())
        };
        Ok((
            r,
            ValuesQuery {
                attribute,
                target: Box::new(target),
                conditions,
            },
        ))
    }

    // [20] attribute ::= an attribute's label, or its id with `_` read as a space
    fn attribute(&self, i: In<'v>) -> Option<Match<'v>> {
        self.longest(i, Class::Attribute)
    }

    // [21] conditions ::= "where" condition { "and" condition }
    fn conditions(&self, i: In<'v>) -> PResult<'v, Vec<Condition>> {
        let r = self.keyword(i, "where").expect("checked by the caller");
        let (mut rest, first) = self.condition(r, "where")?;
        let mut out = vec![first];
        // `and` continues the conditions only if a field and `is` follow; otherwise it is the
        // set operator of [6].
        while let Some(r) = self.keyword(rest, "and") {
            match self.field(r) {
                Some((_, after)) if self.keyword(after, "is").is_some() => {}
                Some((field, after)) if self.kind_word(r).is_none() && self.name(r).is_none() => {
                    return fail(self.expected_is(&field, after));
                }
                _ => break,
            }
            let (r2, c) = self.condition(r, "and")?;
            out.push(c);
            rest = r2;
        }
        Ok((rest, out))
    }

    // [22] condition ::= field "is" value
    fn condition(&self, i: In<'v>, after: &str) -> PResult<'v, Condition> {
        let Some((field, r)) = self.field(i) else {
            return fail(self.bad_field(i, after));
        };
        let Some(r) = self.keyword(r, "is") else {
            return fail(self.expected_is(&field, r));
        };
        let (r, (value, quoted, value_span)) = self.value(r, &field)?;
        Ok((
            r,
            Condition {
                field,
                value,
                quoted,
                value_span,
            },
        ))
    }

    // [23] field ::= "certainty" | "frequency" | "rank" | "quantity" | "timing" | "context" | "section"
    fn field(&self, i: In<'v>) -> Option<(Word, In<'v>)> {
        let (r, w) = word(i).ok()?;
        let key = crate::text::normalize(w);
        FIELDS.contains(&key.as_str()).then(|| {
            (
                Word {
                    text: key,
                    span: self.span(i, r),
                },
                r,
            )
        })
    }

    // [24] value ::= quoted | word { word }
    fn value(&self, i: In<'v>, field: &Word) -> PResult<'v, (String, bool, Span)> {
        let (i, _) = sep(i)?;
        if i.starts_with('"') {
            let (r, e) = self.quoted(i)?;
            if crate::text::normalize(&e.text).is_empty() {
                return fail(
                    QueryError::new(
                        ErrorKind::Syntax,
                        format!("the value of `{}` has no words", field.text),
                        e.span,
                    )
                    .help(self.condition_help()),
                );
            }
            return Ok((r, (e.text, true, e.span)));
        }
        // Words up to `and`, `or`, `except`, `where`, a parenthesis, a quote or the end.
        let mut words = Vec::new();
        let mut rest = i;
        while !["and", "or", "except", "where"]
            .iter()
            .any(|k| self.keyword(rest, k).is_some())
        {
            match word(rest) {
                Ok((r, w)) => {
                    words.push(crate::text::normalize(w));
                    rest = r;
                }
                Err(_) => break,
            }
        }
        if words.is_empty() {
            let at = self.pos(i);
            let found = i.split_whitespace().next().unwrap_or("");
            let message = if found.is_empty() {
                format!(
                    "expected a value after `{} is`, found the end of the query",
                    field.text
                )
            } else {
                format!(
                    "expected a value after `{} is`, found `{found}`",
                    field.text
                )
            };
            return fail(
                QueryError::new(ErrorKind::Syntax, message, Span::new(at, at + found.len()))
                    .help(self.condition_help()),
            );
        }
        Ok((rest, (words.join(" "), false, self.span(i, rest))))
    }

    /// How a condition reads, with an example from the graph.
    fn condition_help(&self) -> String {
        format!(
            "a condition reads `<field> is <words>`, as in `where {}`; quote a value that holds `and`, `or`, `except` or `where`",
            self.vocab.examples().condition
        )
    }

    /// `expected `is` after `frequency``.
    fn expected_is(&self, field: &Word, rest: In<'_>) -> QueryError {
        let (r, _) = sep(rest).unwrap_or((rest, ""));
        let at = self.pos(r);
        QueryError::new(
            ErrorKind::Syntax,
            format!("expected `is` after `{}`", field.text),
            Span::new(at, at),
        )
        .help(self.condition_help())
    }

    /// No field where a condition should start: the end of the query, or an unknown field
    /// (with the closest field, and the list).
    fn bad_field(&self, i: In<'v>, after: &str) -> QueryError {
        let list = FIELDS
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let (r, _) = sep(i).unwrap_or((i, ""));
        if self.at_end(r) {
            let at = self.pos(r);
            return QueryError::new(
                ErrorKind::Syntax,
                format!("expected a condition after `{after}`, found the end of the query"),
                Span::new(at, at),
            )
            .help(format!(
                "a condition tests one of the fields {list}, as in `where {}`",
                self.vocab.examples().condition
            ));
        }
        // The words up to `is` (at most three), or the first word.
        let mut words = Vec::new();
        let mut rest = r;
        while self.keyword(rest, "is").is_none() && words.len() < 3 {
            match word(rest) {
                Ok((r2, w)) => {
                    words.push(crate::text::normalize(w));
                    rest = r2;
                }
                Err(_) => break,
            }
        }
        if self.keyword(rest, "is").is_none() {
            words.truncate(1);
            rest = word(r).map_or(r, |(r2, _)| r2);
        }
        if words.is_empty() {
            return self.unexpected(r);
        }
        let text = words.join(" ");
        let best = crate::text::suggest_counted(&text, FIELDS.iter().copied()).best;
        let e = QueryError::new(
            ErrorKind::UnknownField,
            format!("unknown field `{text}`"),
            self.span(r, rest),
        );
        match best {
            Some(b) => e
                .suggest([b.to_owned()])
                .help(format!("did you mean `{b}`? the fields are {list}")),
            None => e.help(format!(
                "a condition tests one of the fields {list}, as in `where {}`",
                self.vocab.examples().condition
            )),
        }
    }

    // [11] entity ::= quoted | name
    fn entity(&self, i: In<'v>, stop: &[&str]) -> PResult<'v, EntityRef> {
        let (i, _) = sep(i)?;
        if i.starts_with('"') {
            return self.quoted(i);
        }
        let known = self.name(i);
        if let Some(m) = known {
            return Ok((
                m.rest,
                EntityRef {
                    text: m.key,
                    quoted: false,
                    span: m.span,
                },
            ));
        }
        match self.unknown_words(i, stop) {
            Some((text, span, rest)) => Ok((
                rest,
                EntityRef {
                    text,
                    quoted: false,
                    span,
                },
            )),
            None => {
                let at = self.pos(i);
                fail(
                    QueryError::new(ErrorKind::Syntax, "expected a name", Span::new(at, at)).help(
                        format!(
                            "name an entity, for example `{}`, or quote an unusual name: `\"...\"`",
                            self.vocab.examples().entity
                        ),
                    ),
                )
            }
        }
    }

    // [12] quoted ::= '"' { any character but '"' or '\' | '\"' | '\\' } '"'
    fn quoted(&self, i: In<'v>) -> PResult<'v, EntityRef> {
        let start = self.pos(i);
        let body = |s: In<'v>| -> PResult<'v, String> {
            escaped_transform(
                none_of("\\\""),
                '\\',
                alt((value("\\", tag("\\")), value("\"", tag("\"")))),
            )
            .parse(s)
        };
        let (r, _) = char('"').parse(i)?;
        let (r, text) = opt(body).parse(r)?;
        match char::<In<'v>, PErr>('"').parse(r) {
            Ok((r, _)) => Ok((
                r,
                EntityRef {
                    text: text.unwrap_or_default(),
                    quoted: true,
                    span: Span::new(start, self.pos(r)),
                },
            )),
            Err(_) => fail(
                QueryError::new(
                    ErrorKind::Syntax,
                    "unclosed quote",
                    Span::new(start, start + 1),
                )
                .help("end the name with `\"`; write `\\\"` for a quote inside it"),
            ),
        }
    }
}

/// A few examples from a list, for help text: `` `a`, `b` or `c` ``.
fn sample(items: &[&str]) -> String {
    let picked: Vec<String> = items.iter().take(4).map(|s| format!("`{s}`")).collect();
    picked.join(", ")
}
