//! The rustyline helper: completion, hints, highlighting and validation, all read-only over
//! one graph's vocabulary. Session state lives in [`super::Session`], not here.

use super::command::COMMANDS;
use super::help::TOPICS;
use crate::format::Format;
use bonegraph::query::vocab::{Class, Lexeme};
use bonegraph::text::normalize;
use bonegraph::{Direction, KindId, KindSet, KnowledgeGraph, RelId};
use rustyline::completion::{Completer, Pair};
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::sync::Arc;

/// How a stretch of the line is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A kind word (`therapies`).
    Kind,
    /// A relation phrase (`treating`).
    Phrase,
    /// A known entity name or a quoted name.
    Entity,
    /// A keyword or operator (`and`, `describe`), or a field of a condition (`frequency`).
    Keyword,
    /// An attribute's label or id (`dosing interval`).
    Attribute,
    /// A word the graph does not know.
    Unknown,
    /// The word being typed at the end of the line, which a known term starts with: not an
    /// error yet, so not shown as one.
    Typing,
    /// A meta-command (`:help`).
    Command,
}

impl Style {
    /// How it looks on a terminal.
    fn look(self) -> anstyle::Style {
        use anstyle::{AnsiColor, Color, Effects};
        let (color, effects) = match self {
            Style::Kind => (AnsiColor::Cyan, Effects::BOLD),
            Style::Phrase => (AnsiColor::Magenta, Effects::new()),
            Style::Entity => (AnsiColor::Green, Effects::new()),
            Style::Keyword => (AnsiColor::Yellow, Effects::BOLD),
            Style::Attribute => (AnsiColor::Cyan, Effects::new()),
            Style::Unknown => (AnsiColor::Red, Effects::UNDERLINE),
            Style::Command => (AnsiColor::Blue, Effects::BOLD),
            Style::Typing => return anstyle::Style::new(),
        };
        anstyle::Style::new()
            .fg_color(Some(Color::Ansi(color)))
            .effects(effects)
    }
}

/// What was recognised at one place in the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    Kind(Option<KindId>),
    Phrase(RelId, Direction),
    Entity,
    Keyword,
    Unknown,
    /// An attribute's label or id, at the start of a question.
    Attribute,
    /// A field of a condition (`frequency`), after `where` or `and`.
    Field,
    /// The words of a condition's value.
    Value,
}

/// Where the tokenizer is within a condition (`where <field> is <value>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cond {
    /// Not in a condition.
    Outside,
    /// After `where` (or `and` after a value): a field may come.
    Field,
    /// After a field: `is` comes.
    Is,
    /// After `is`: the value's words.
    Value,
}

/// A recognised stretch of the line: byte range and what it is.
#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    term: Term,
    /// The keyword's text, for keywords (and `of` after an attribute); the field, for fields.
    keyword: &'static str,
}

/// The REPL's editor helper for one graph.
pub struct ReplHelper {
    kg: Arc<KnowledgeGraph>,
    color: bool,
}

impl ReplHelper {
    /// A helper for `kg`; `color` turns highlighting on.
    pub fn new(kg: Arc<KnowledgeGraph>, color: bool) -> Self {
        ReplHelper { kg, color }
    }

    /// Word boundaries: byte ranges of words, quoted names and parentheses.
    fn pieces(line: &str) -> Vec<(usize, usize, char)> {
        let mut out = Vec::new();
        let mut it = line.char_indices().peekable();
        while let Some((i, c)) = it.next() {
            if c == '"' {
                let mut end = line.len();
                let mut escaped = false;
                for (j, d) in it.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        end = j + 1;
                        break;
                    }
                }
                out.push((i, end, '"'));
            } else if c == '(' || c == ')' {
                out.push((i, i + 1, c));
            } else if bonegraph::text::is_word_char(c) {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = it.peek() {
                    // Combining marks are part of a word, as in the parser.
                    if bonegraph::text::is_word_char(d) || d == '\'' || d == '\u{2019}' {
                        end = j + d.len_utf8();
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push((i, end, 'w'));
            }
        }
        out
    }

    /// Splits `line` into recognised terms, longest match first, like the parser.
    fn tokens(&self, line: &str) -> Vec<Token> {
        let vocab = self.kg.vocabulary();
        let pieces = Self::pieces(line);
        let mut out: Vec<Token> = Vec::new();
        let mut cond = Cond::Outside;
        let mut i = 0;
        while i < pieces.len() {
            let (start, end, what) = pieces[i];
            // Conditions and `of` after an attribute are read by position, not by the
            // vocabulary: their words are the file format's, or anything at all.
            if what == 'w' {
                let word = normalize(&line[start..end]);
                let single = |term, keyword| Token {
                    start,
                    end,
                    term,
                    keyword,
                };
                let field = bonegraph::query::vocab::FIELDS
                    .iter()
                    .find(|f| **f == word)
                    .copied();
                let stop = ["and", "or", "except", "where"].contains(&word.as_str());
                let token = match (cond, field) {
                    (Cond::Field, Some(f)) => {
                        cond = Cond::Is;
                        Some(single(Term::Field, f))
                    }
                    (Cond::Value, _) if !stop => Some(single(Term::Value, "")),
                    _ if word == "of" && out.last().is_some_and(|t| t.term == Term::Attribute) => {
                        Some(single(Term::Keyword, "of"))
                    }
                    _ => None,
                };
                if let Some(t) = token {
                    out.push(t);
                    i += 1;
                    continue;
                }
                cond = match (cond, word.as_str()) {
                    (_, "where") => Cond::Field,
                    (Cond::Is, "is") => Cond::Value,
                    (Cond::Value, "and") => Cond::Field,
                    _ => Cond::Outside,
                };
            }
            if what == '"' {
                out.push(Token {
                    start,
                    end,
                    term: Term::Entity,
                    keyword: "",
                });
                i += 1;
                continue;
            }
            if what != 'w' {
                i += 1;
                continue;
            }
            let mut best: Option<(usize, Term, &'static str)> = None;
            let mut words: Vec<String> = Vec::new();
            // Words are read only while some term could still go on (the parser's walk), so a
            // line costs what its own terms cost, not the longest name in the graph.
            let mut walk = vocab.walk(None);
            for (k, &(_, _, w)) in pieces[i..].iter().enumerate() {
                if w != 'w' {
                    break;
                }
                let (s, e, _) = pieces[i + k];
                words.push(normalize(&line[s..e]));
                let step = walk.step(&words[k]);
                if !step.ends && !step.more {
                    break;
                }
                if !step.ends {
                    continue;
                }
                let key = words.join(" ");
                let lexemes = vocab.lookup(&key);
                // Priority at equal length: keyword, phrase, kind, entity, attribute; at the
                // start of a question (or after `count`), an attribute first.
                let question_start = out.is_empty() || out.len() == 1 && out[0].keyword == "count";
                let attribute = lexemes.iter().find(|l| l.class() == Class::Attribute);
                let term = attribute
                    .filter(|_| question_start)
                    .or_else(|| lexemes.iter().find(|l| l.class() == Class::Keyword))
                    .or_else(|| lexemes.iter().find(|l| l.class() == Class::Phrase))
                    .or_else(|| lexemes.iter().find(|l| l.class() == Class::Kind))
                    .or_else(|| lexemes.iter().find(|l| l.class() == Class::Entity))
                    .or(attribute);
                if let Some(l) = term {
                    let t = match *l {
                        Lexeme::Kind(k) => Term::Kind(k),
                        Lexeme::Phrase(r, d) => Term::Phrase(r, d),
                        Lexeme::Entity { .. } => Term::Entity,
                        Lexeme::Keyword => Term::Keyword,
                        Lexeme::Attribute(_) => Term::Attribute,
                    };
                    let kw = bonegraph::query::vocab::KEYWORDS
                        .iter()
                        .find(|k| **k == key)
                        .copied()
                        .unwrap_or("");
                    best = Some((k + 1, t, kw));
                }
                if !step.more {
                    break;
                }
            }
            match best {
                Some((n, term, keyword)) => {
                    out.push(Token {
                        start,
                        end: pieces[i + n - 1].1,
                        term,
                        keyword,
                    });
                    i += n;
                }
                None => {
                    out.push(Token {
                        start,
                        end,
                        term: Term::Unknown,
                        keyword: "",
                    });
                    i += 1;
                }
            }
        }
        out
    }

    /// Styled stretches of `line`, for highlighting (and for tests).
    pub fn styles(&self, line: &str) -> Vec<(usize, usize, Style)> {
        if line.trim_start().starts_with(':') {
            let start = line.len() - line.trim_start().len();
            let end = line[start..]
                .find(char::is_whitespace)
                .map_or(line.len(), |i| start + i);
            return vec![(start, end, Style::Command)];
        }
        let mut styles: Vec<(usize, usize, Style)> = self
            .tokens(line)
            .into_iter()
            .map(|t| {
                let style = match t.term {
                    Term::Kind(_) => Style::Kind,
                    Term::Phrase(..) => Style::Phrase,
                    Term::Entity => Style::Entity,
                    Term::Keyword | Term::Field => Style::Keyword,
                    Term::Unknown => Style::Unknown,
                    Term::Attribute => Style::Attribute,
                    Term::Value => Style::Entity,
                };
                (t.start, t.end, style)
            })
            .collect();
        // The last word, still being typed, is not an error while a term starts with it
        // (`zoledr` on the way to `zoledronic acid`).
        if let Some(last) = styles.last_mut()
            && last.2 == Style::Unknown
            && last.1 == line.len()
        {
            let typed = normalize(&line[last.0..]);
            let (_, found) = self.candidates(line, line.len());
            if found
                .iter()
                .any(|p| normalize(&p.replacement).starts_with(&typed))
            {
                last.2 = Style::Typing;
            }
        }
        styles
    }

    /// Completion candidates for the text before `pos`: the byte where the replaced text
    /// starts, and the candidates (display text with kind; replacement text).
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<Pair>) {
        let pos = pos.min(line.len());
        let before = &line[..pos];
        if let Some(rest) = before.trim_start().strip_prefix(':') {
            return self.command_candidates(before, rest);
        }
        let tokens = self.tokens(before);
        // Terms that end before the last word being typed are settled; the rest is the tail.
        let typing = !before.ends_with(|c: char| c.is_whitespace() || c == '(' || c == ')');
        let settled = if typing && tokens.last().is_some_and(|t| t.end == before.len()) {
            tokens.len() - 1
        } else {
            tokens.len()
        };
        // Try the longest tail first: a partly typed name may contain known words
        // (`bone s` -> `bone scan`).
        let max_back = if typing { settled.min(3) } else { 0 };
        // A plain question (it starts with a word the language does not know, such as
        // `what`): complete the words being typed as any term, not by the grammar.
        let question = tokens.first().is_some_and(|t| t.term == Term::Unknown);
        if question && let Some(found) = self.any_term(&tokens, settled, max_back, before) {
            return found;
        }
        for back in (0..=max_back).rev() {
            let cut = settled - back;
            let start = if cut < tokens.len() {
                tokens[cut].start
            } else {
                before.len()
            };
            let tail = &before[start..];
            if back > 0 && tail.trim().is_empty() {
                continue;
            }
            let mut found = self.complete_after(&tokens[..cut], tail);
            if back > 0 {
                // A longer tail must grow into something longer than what is typed.
                let typed = normalize(tail);
                found.retain(|p| normalize(&p.replacement) != typed);
            }
            if !found.is_empty() {
                return (start, found);
            }
        }
        // Nothing the grammar expects here: perhaps a plain question is being typed.
        if typing && let Some(found) = self.any_term(&tokens, settled, max_back, before) {
            return found;
        }
        (pos, Vec::new())
    }

    /// The last words being typed completed as any kind word, name or attribute, longest
    /// tail first (`which drugs treat fract` -> `fracture`, `what treats bone p` ->
    /// `bone pain`).
    fn any_term(
        &self,
        tokens: &[Token],
        settled: usize,
        max_back: usize,
        before: &str,
    ) -> Option<(usize, Vec<Pair>)> {
        if before.ends_with(|c: char| c.is_whitespace() || c == '(' || c == ')') {
            return None;
        }
        for back in (0..=max_back).rev() {
            let start = tokens.get(settled - back).map_or(before.len(), |t| t.start);
            let tail = &before[start..];
            if tail.trim().is_empty() {
                continue;
            }
            let mut found = self.complete_after(&[], tail);
            let typed = normalize(tail);
            found.retain(|p| back == 0 || normalize(&p.replacement) != typed);
            if !found.is_empty() {
                return Some((start, found));
            }
        }
        None
    }

    fn command_candidates(&self, before: &str, rest: &str) -> (usize, Vec<Pair>) {
        let start = before.len() - rest.len();
        if let Some((name, arg)) = rest.split_once(char::is_whitespace) {
            let arg_start = before.len() - arg.len();
            let options: Vec<String> = match name {
                "format" => Format::ALL.map(|f| f.as_str().to_owned()).to_vec(),
                "schema" => self
                    .kg
                    .schema()
                    .relations
                    .iter()
                    .map(|r| r.id.clone())
                    .collect(),
                "help" => TOPICS.iter().map(|t| (*t).to_owned()).collect(),
                _ => Vec::new(),
            };
            let pairs = options
                .into_iter()
                .filter(|o| o.starts_with(arg.trim_start()))
                .map(|o| Pair {
                    display: o.clone(),
                    replacement: o,
                })
                .collect();
            return (arg_start, pairs);
        }
        let pairs = COMMANDS
            .iter()
            .filter(|(n, _, _)| n.starts_with(rest))
            .map(|(n, args, _)| Pair {
                display: format!(":{n} {args}").trim_end().to_owned(),
                replacement: (*n).to_owned(),
            })
            .collect();
        (start, pairs)
    }

    /// Candidates that may follow the settled `tokens`, filtered by the typed `tail`.
    fn complete_after(&self, tokens: &[Token], tail: &str) -> Vec<Pair> {
        let want = normalize(tail);
        let schema = self.kg.schema();
        // The kind of the selection being built, for phrases after `and`.
        let current_kind = tokens.iter().rev().find_map(|t| match t.term {
            Term::Kind(k) => Some(k),
            _ => None,
        });
        let after_filter = tokens
            .iter()
            .rev()
            .skip(1)
            .any(|t| matches!(t.term, Term::Phrase(..)));
        let mut out: Vec<Pair> = Vec::new();
        match tokens.last().map(|t| (t.term, t.keyword)) {
            None => {
                self.push_kinds(&mut out, None);
                self.push_entities(&mut out, &KindSet::Any);
                self.push_attributes(&mut out);
                self.push_words(&mut out, &["describe", "count", "path from", "paths from"]);
            }
            Some((Term::Attribute, _)) => self.push_words(&mut out, &["of"]),
            Some((Term::Keyword, "of")) => {
                self.push_kinds(&mut out, None);
                self.push_entities(&mut out, &KindSet::Any);
            }
            Some((Term::Keyword, "where")) => {
                self.push_words(&mut out, bonegraph::query::vocab::FIELDS)
            }
            Some((Term::Field, _)) => self.push_words(&mut out, &["is"]),
            Some((Term::Keyword, "is")) => {
                let field = tokens.iter().rev().nth(1).map(|t| (t.term, t.keyword));
                match field {
                    Some((Term::Field, "certainty")) => self.push_words(
                        &mut out,
                        &["established", "likely", "possible", "speculative"],
                    ),
                    Some((Term::Field, "section")) => {
                        for s in self.kg.sources() {
                            for (id, title) in &s.sections {
                                out.push(Pair {
                                    display: format!("{} ({title})", normalize(id)),
                                    replacement: normalize(id),
                                });
                            }
                        }
                    }
                    _ => {}
                }
            }
            Some((Term::Value, _)) => self.push_words(&mut out, &["and", "or", "except"]),
            Some((Term::Keyword, "and"))
                if tokens.iter().rev().nth(1).map(|t| t.term) == Some(Term::Value) =>
            {
                self.push_words(&mut out, bonegraph::query::vocab::FIELDS);
                self.push_kinds(&mut out, None);
                self.push_entities(&mut out, &KindSet::Any);
            }
            Some((Term::Keyword, "describe" | "from" | "to")) => {
                self.push_entities(&mut out, &KindSet::Any);
            }
            Some((Term::Keyword, "path" | "paths")) => self.push_words(&mut out, &["from"]),
            Some((Term::Keyword, "and")) => {
                if let (Some(k), true) = (current_kind, after_filter) {
                    self.push_phrases(&mut out, k);
                }
                self.push_kinds(&mut out, None);
                self.push_entities(&mut out, &KindSet::Any);
            }
            Some((Term::Keyword, _)) => {
                self.push_kinds(&mut out, None);
                self.push_entities(&mut out, &KindSet::Any);
            }
            Some((Term::Kind(k), _)) => {
                self.push_phrases(&mut out, k);
                self.push_words(&mut out, &["and", "or", "except"]);
            }
            Some((Term::Phrase(rel, dir), _)) => {
                let accepts = schema.phrase_kinds(rel, dir, false);
                let kinds: Option<Vec<KindId>> = match &accepts {
                    KindSet::Any => None,
                    KindSet::Only(ks) => Some(ks.clone()),
                };
                self.push_entities(&mut out, &accepts);
                self.push_kinds(&mut out, kinds.as_deref());
            }
            Some((Term::Entity | Term::Unknown, _)) => {
                let in_path = tokens.iter().any(|t| t.keyword == "from")
                    && !tokens.iter().any(|t| t.keyword == "to");
                if in_path {
                    self.push_words(&mut out, &["to"]);
                } else if tokens.iter().any(|t| t.keyword == "paths") {
                    self.push_words(&mut out, &["limit"]);
                } else {
                    self.push_words(&mut out, &["and", "or", "except"]);
                    let conditions_fit = tokens
                        .iter()
                        .any(|t| matches!(t.term, Term::Phrase(..) | Term::Attribute));
                    if conditions_fit {
                        self.push_words(&mut out, &["where"]);
                    }
                }
            }
        }
        out.retain(|p| {
            normalize(&p.replacement).starts_with(&want)
                && (!want.is_empty() || !tail.ends_with(' '))
        });
        out.sort_by(|a, b| {
            a.replacement
                .to_lowercase()
                .cmp(&b.replacement.to_lowercase())
        });
        out.dedup_by(|a, b| a.replacement.eq_ignore_ascii_case(&b.replacement));
        out
    }

    fn push_words(&self, out: &mut Vec<Pair>, words: &[&str]) {
        for w in words {
            out.push(Pair {
                display: (*w).to_owned(),
                replacement: (*w).to_owned(),
            });
        }
    }

    fn push_kinds(&self, out: &mut Vec<Pair>, only: Option<&[KindId]>) {
        for (i, k) in self.kg.schema().kinds.iter().enumerate() {
            if only.is_none_or(|ks| ks.contains(&KindId(i as u16))) {
                out.push(Pair {
                    display: format!("{} (kind)", k.plural),
                    replacement: k.plural.clone(),
                });
            }
        }
    }

    fn push_phrases(&self, out: &mut Vec<Pair>, kind: Option<KindId>) {
        let schema = self.kg.schema();
        for (i, r) in schema.relations.iter().enumerate() {
            let rel = RelId(i as u16);
            for (dir, phrases) in [
                (Direction::Forward, &r.forward),
                (Direction::Inverse, &r.inverse),
            ] {
                let fits = kind.is_none_or(|k| schema.phrase_kinds(rel, dir, true).contains(k));
                if fits {
                    for p in phrases {
                        out.push(Pair {
                            display: format!("{p} ({})", r.id),
                            replacement: p.clone(),
                        });
                    }
                }
            }
        }
    }

    fn push_attributes(&self, out: &mut Vec<Pair>) {
        for a in &self.kg.schema().attributes {
            out.push(Pair {
                display: format!("{} (attribute)", a.label),
                replacement: a.label.clone(),
            });
        }
    }

    fn push_entities(&self, out: &mut Vec<Pair>, accepts: &KindSet) {
        let kg = &self.kg;
        for n in kg.nodes() {
            let e = kg.entity(n);
            if !accepts.contains(e.kind) {
                continue;
            }
            let kind = &kg.schema().kind(e.kind).singular;
            out.push(Pair {
                display: format!("{} ({kind})", e.name),
                replacement: e.name.clone(),
            });
            for a in &e.aliases {
                out.push(Pair {
                    display: format!("{a} ({kind}: {})", e.name),
                    replacement: a.clone(),
                });
            }
        }
    }

    /// The greyed continuation for the end of `line`, when it is unambiguous.
    pub fn hint_for(&self, line: &str, pos: usize) -> Option<String> {
        if pos < line.len() || line.trim().is_empty() {
            return None;
        }
        let (start, candidates) = self.candidates(line, pos);
        let typed = &line[start..pos];
        if typed.is_empty() {
            return None;
        }
        let first = candidates.first()?;
        let mut common = first.replacement.clone();
        for c in &candidates[1..] {
            let n = common
                .chars()
                .zip(c.replacement.chars())
                .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
                .map(|(a, _)| a.len_utf8())
                .sum();
            common.truncate(n);
        }
        let rest = common.get(typed.len()..)?;
        (common.to_lowercase().starts_with(&typed.to_lowercase()) && !rest.is_empty())
            .then(|| rest.to_owned())
    }

    /// Whether the input is complete: no open parenthesis or quote.
    pub fn is_complete(input: &str) -> bool {
        if input.trim_start().starts_with(':') {
            return true;
        }
        let mut depth = 0i64;
        let mut in_quote = false;
        let mut escaped = false;
        for c in input.chars() {
            if in_quote {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_quote = false,
                    _ => {}
                }
            } else {
                match c {
                    '"' => in_quote = true,
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
            }
        }
        !in_quote && depth <= 0
    }
}

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<String> {
        self.hint_for(line, pos)
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.color {
            return Cow::Borrowed(line);
        }
        let mut out = String::with_capacity(line.len() * 2);
        let mut at = 0;
        for (start, end, style) in self.styles(line) {
            let look = style.look();
            out.push_str(&line[at..start]);
            out.push_str(&format!("{look}{}{look:#}", &line[start..end]));
            at = end;
        }
        out.push_str(&line[at..]);
        Cow::Owned(out)
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            let dim = anstyle::Style::new().dimmed();
            Cow::Owned(format!("{dim}{hint}{dim:#}"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        self.color
    }
}

/// Every line is handed back whole: the shell's loop asks for the rest of an open statement
/// under its own continuation prompt (see [`ReplHelper::is_complete`]).
impl Validator for ReplHelper {}

impl Helper for ReplHelper {}
