//! Syntax tree -> typed [`Plan`]: names to entities, kind words to kinds, phrases to relation
//! types with a direction, and type checks with rewrites the schema allows.
//!
//! This is the last stage that sees the query text (to point at the words at fault and to
//! propose a corrected query).

use super::ast::*;
use super::error::{ErrorKind, QueryError};
use super::plan::{ConditionTest, Plan, PlanCondition, PlanFilter, ResolvedQuery, ValuesPlan};
use super::vocab::{Class, Lexeme, Vocabulary};
use super::{DEFAULT_PATHS, Limits};
use crate::graph::{Direction, KindId, KindSet, KnowledgeGraph, RelId, SourceId};
use crate::inheritance::Field;
use crate::model::Certainty;
use crate::text::normalize;
use petgraph::graph::NodeIndex;

/// Kinds an expression may yield: `None` means any kind.
type Kinds = Option<Vec<KindId>>;

/// Resolves a parsed query against a graph. `text` is the query as typed, used to point at
/// faults and to write rewrites.
pub fn resolve(
    kg: &KnowledgeGraph,
    vocab: &Vocabulary,
    text: &str,
    query: &Query,
    limits: &Limits,
) -> Result<ResolvedQuery, QueryError> {
    let max_paths = limits.paths;
    let r = Resolver {
        kg,
        vocab,
        text,
        suggest_names: limits.suggest_names,
    };
    match query {
        Query::Expr(e) => Ok(ResolvedQuery::Set(r.expr(e)?.0)),
        Query::Count(e) => Ok(ResolvedQuery::Count(r.expr(e)?.0)),
        Query::Describe(e) => Ok(ResolvedQuery::Describe(r.entity(e)?)),
        Query::Values(v) => Ok(ResolvedQuery::Values(r.values(v)?)),
        Query::CountValues(v) => Ok(ResolvedQuery::CountValues(r.values(v)?)),
        Query::Path(p) => {
            let from = r.entity(&p.from)?;
            let to = r.entity(&p.to)?;
            let limit = match p.limit {
                None if p.several => DEFAULT_PATHS.min(max_paths),
                None => 1,
                Some((n, span)) if n == 0 || n > max_paths => {
                    return Err(QueryError::new(
                        ErrorKind::LimitExceeded,
                        format!("`limit` must be between 1 and {max_paths}"),
                        span,
                    )
                    .help(format!("ask for at most {max_paths} paths")));
                }
                Some((n, _)) => n,
            };
            Ok(ResolvedQuery::Path { from, to, limit })
        }
    }
}

struct Resolver<'a> {
    kg: &'a KnowledgeGraph,
    vocab: &'a Vocabulary,
    text: &'a str,
    suggest_names: bool,
}

impl Resolver<'_> {
    fn expr(&self, e: &Expr) -> Result<(Plan, Kinds), QueryError> {
        match e {
            Expr::Entity(ent) => {
                let n = self.entity(ent)?;
                Ok((Plan::Entity(n), Some(vec![self.kg.entity(n).kind])))
            }
            Expr::Group(inner, _) => self.expr(inner),
            Expr::Binary { op, lhs, rhs } => {
                let (l, lk) = self.expr(lhs)?;
                let (r, rk) = self.expr(rhs)?;
                let kinds = match (*op, lk, rk) {
                    (_, None, _) | (_, _, None) => None,
                    (SetOp::Except, Some(l), Some(_)) => Some(l),
                    (_, Some(mut l), Some(r)) => {
                        l.extend(r);
                        l.sort();
                        l.dedup();
                        Some(l)
                    }
                };
                Ok((
                    Plan::Binary {
                        op: *op,
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                        label: e.to_string(),
                    },
                    kinds,
                ))
            }
            Expr::Select(sel) => self.selection(sel, e),
        }
    }

    fn selection(&self, sel: &Selection, whole: &Expr) -> Result<(Plan, Kinds), QueryError> {
        let kind = self
            .vocab
            .lookup(&sel.kind.text)
            .iter()
            .find_map(|l| match l {
                Lexeme::Kind(k) => Some(*k),
                _ => None,
            })
            .ok_or_else(|| {
                QueryError::new(
                    ErrorKind::UnknownKind,
                    format!("unknown kind `{}`", sel.kind.text),
                    sel.kind.span,
                )
            })?;
        let mut filters = Vec::new();
        for f in &sel.filters {
            let (rel, direction) = self.phrase(&f.phrase)?;
            let (target, target_kinds) = self.expr(&f.target)?;
            self.check_types(sel, kind, f, rel, direction, &target_kinds)?;
            filters.push(PlanFilter {
                rel,
                direction,
                target: Box::new(target),
                label: format!("{} {}", f.phrase.text, f.target),
            });
        }
        let conditions = self.conditions(&sel.conditions, false)?;
        Ok((
            Plan::Select {
                kind,
                filters,
                conditions,
                label: whole.to_string(),
            },
            kind.map(|k| vec![k]),
        ))
    }

    fn values(&self, v: &ValuesQuery) -> Result<ValuesPlan, QueryError> {
        let attribute = self
            .vocab
            .lookup(&v.attribute.text)
            .iter()
            .find_map(|l| match l {
                Lexeme::Attribute(a) => Some(*a),
                _ => None,
            })
            .ok_or_else(|| {
                QueryError::new(
                    ErrorKind::UnknownAttribute,
                    format!("unknown attribute `{}`", v.attribute.text),
                    v.attribute.span,
                )
            })?;
        let (target, _) = self.expr(&v.target)?;
        Ok(ValuesPlan {
            attribute,
            target,
            conditions: self.conditions(&v.conditions, true)?,
            label: format!("{} of {}", v.attribute.text, v.target),
        })
    }

    /// Resolves conditions to the exact values they accept. `values`: conditions on attribute
    /// values, which have no frequency, rank, quantity or timing.
    fn conditions(
        &self,
        conditions: &[Condition],
        values: bool,
    ) -> Result<Vec<PlanCondition>, QueryError> {
        conditions
            .iter()
            .map(|c| self.condition(c, values))
            .collect()
    }

    fn condition(&self, c: &Condition, values: bool) -> Result<PlanCondition, QueryError> {
        let label = c.to_string();
        let words: Vec<String> = normalize(&c.value).split(' ').map(stem).collect();
        let fits = |text: &str| {
            let have: Vec<String> = normalize(text).split(' ').map(stem).collect();
            words.iter().all(|w| have.contains(w))
        };
        let test = match c.field.text.as_str() {
            "section" => {
                let mut sections: Vec<(SourceId, u16)> = Vec::new();
                for (si, src) in self.kg.sources().iter().enumerate() {
                    for (i, (id, title)) in src.sections.iter().enumerate() {
                        if fits(id) || fits(title) {
                            sections.push((SourceId(si as u16), i as u16));
                        }
                    }
                }
                if sections.is_empty() {
                    return Err(self.no_section(c));
                }
                sections.sort();
                ConditionTest::Section(sections)
            }
            "certainty" => {
                let named = [
                    Certainty::Established,
                    Certainty::Likely,
                    Certainty::Possible,
                    Certainty::Speculative,
                ]
                .into_iter()
                .find(|&k| normalize(&c.value) == crate::inheritance::certainty_word(k));
                match named {
                    Some(k) => ConditionTest::Certainty(k),
                    None => self.text_test(c, Field::Certainty, &fits)?,
                }
            }
            name => {
                let field = Field::ALL
                    .into_iter()
                    .find(|f| f.as_str() == name)
                    .expect("the parser reads only the fields");
                if values && field != Field::Context {
                    return Err(QueryError::new(
                        ErrorKind::UnknownField,
                        format!("attribute values have no `{name}`"),
                        c.field.span,
                    )
                    .help(
                        "conditions on attribute values may test `certainty`, `context` or `section`",
                    ));
                }
                self.text_test(c, field, &fits)?
            }
        };
        Ok(PlanCondition { test, label })
    }

    /// The values of `field` among the graph's claims whose words include the condition's.
    fn text_test(
        &self,
        c: &Condition,
        field: Field,
        fits: &dyn Fn(&str) -> bool,
    ) -> Result<ConditionTest, QueryError> {
        let all = self.vocab.claim_values(self.kg).of(field);
        let values: Vec<String> = all.iter().filter(|v| fits(v)).cloned().collect();
        if !values.is_empty() {
            return Ok(ConditionTest::Text { field, values });
        }
        let what = if field == Field::Certainty {
            "hedge".to_owned()
        } else {
            field.as_str().to_owned()
        };
        let typed = normalize(&c.value);
        if all.is_empty() && field != Field::Certainty {
            return Err(QueryError::new(
                ErrorKind::UnknownField,
                format!("no claim in this graph has a {what}"),
                c.field.span,
            )
            .help("a condition can test only what the graph records"));
        }
        let mut e = QueryError::new(
            ErrorKind::UnknownField,
            if field == Field::Certainty {
                format!("no certainty is called `{typed}`, and no claim's hedge has those words")
            } else {
                format!("no claim in the graph has a {what} with the words `{typed}`")
            },
            c.value_span,
        );
        // Did you mean: a whole value for several words, a word of one for one.
        let mut candidates: Vec<String> = all.iter().map(|v| normalize(v)).collect();
        if !typed.contains(' ') {
            let mut words: Vec<String> = candidates
                .iter()
                .flat_map(|v| v.split(' ').map(str::to_owned))
                .collect();
            candidates.append(&mut words);
        }
        if field == Field::Certainty {
            candidates
                .extend(["established", "likely", "possible", "speculative"].map(str::to_owned));
        }
        candidates.sort();
        candidates.dedup();
        let best = crate::text::suggest_counted(&typed, candidates.iter().map(String::as_str))
            .best
            .map(str::to_owned);
        let listed: Vec<String> = all.iter().take(6).map(|v| format!("`{v}`")).collect();
        let more = if all.len() > listed.len() {
            format!(" and {} more", all.len() - listed.len())
        } else {
            String::new()
        };
        let known = if field == Field::Certainty {
            let hedges = if listed.is_empty() {
                String::new()
            } else {
                format!(", or words of a hedge: {}{more}", listed.join(", "))
            };
            format!("a certainty is `established`, `likely`, `possible` or `speculative`{hedges}")
        } else if listed.is_empty() {
            format!("no claim in this graph has a {what}")
        } else {
            format!(
                "the {what} values in this graph are {}{more}",
                listed.join(", ")
            )
        };
        e = match best {
            Some(b) => e
                .suggest([b.clone()])
                .help(format!("did you mean `{b}`? {known}")),
            None => e.help(known),
        };
        Err(e)
    }

    fn no_section(&self, c: &Condition) -> QueryError {
        let ids: Vec<String> = self
            .kg
            .sources()
            .iter()
            .flat_map(|s| s.sections.iter().map(|(id, _)| normalize(id)))
            .collect();
        let typed = normalize(&c.value);
        let best = crate::text::suggest_counted(&typed, ids.iter().map(String::as_str))
            .best
            .map(str::to_owned);
        let listed: Vec<String> = ids.iter().take(8).map(|v| format!("`{v}`")).collect();
        let known = if listed.is_empty() {
            "no source in this graph has sections".to_owned()
        } else if ids.len() > listed.len() {
            format!(
                "the sections are {} and {} more",
                listed.join(", "),
                ids.len() - listed.len()
            )
        } else {
            format!("the sections are {}", listed.join(", "))
        };
        let e = QueryError::new(
            ErrorKind::UnknownField,
            format!("no section's id or title has the words `{typed}`"),
            c.value_span,
        );
        match best {
            Some(b) => e
                .suggest([b.clone()])
                .help(format!("did you mean `{b}`? {known}")),
            None => e.help(known),
        }
    }

    fn phrase(&self, w: &Word) -> Result<(RelId, Direction), QueryError> {
        self.vocab
            .lookup(&w.text)
            .iter()
            .find_map(|l| match l {
                Lexeme::Phrase(r, d) => Some((*r, *d)),
                _ => None,
            })
            .ok_or_else(|| {
                QueryError::new(
                    ErrorKind::UnknownPhrase,
                    format!("unknown phrase `{}`", w.text),
                    w.span,
                )
            })
    }

    fn allowed(&self, rel: RelId, direction: Direction, subject: bool) -> KindSet {
        self.kg.schema().phrase_kinds(rel, direction, subject)
    }

    fn check_types(
        &self,
        sel: &Selection,
        kind: Option<KindId>,
        f: &Filter,
        rel: RelId,
        direction: Direction,
        target_kinds: &Kinds,
    ) -> Result<(), QueryError> {
        let schema = self.kg.schema();
        let subject_ok = kind.is_none_or(|k| self.allowed(rel, direction, true).contains(k));
        let object_ok = target_kinds.as_ref().is_none_or(|ks| {
            ks.iter()
                .any(|&k| self.allowed(rel, direction, false).contains(k))
        });
        if subject_ok && object_ok {
            return Ok(());
        }
        let words = |set: KindSet| match set {
            KindSet::Any => "anything".to_owned(),
            KindSet::Only(ks) => {
                let names: Vec<&str> = ks.iter().map(|k| schema.kind(*k).plural.as_str()).collect();
                join_or(&names)
            }
        };
        let (message, span) = if !subject_ok {
            let k = schema.kind(kind.expect("only a kind can fail the subject check"));
            (
                format!(
                    "`{}` needs {} before it, not {}",
                    f.phrase.text,
                    words(self.allowed(rel, direction, true)),
                    k.plural
                ),
                sel.kind.span.to(f.phrase.span),
            )
        } else {
            let found: Vec<&str> = target_kinds
                .iter()
                .flatten()
                .map(|k| schema.kind(*k).plural.as_str())
                .collect();
            (
                format!(
                    "`{}` needs {} after it, but `{}` gives {}",
                    f.phrase.text,
                    words(self.allowed(rel, direction, false)),
                    f.target,
                    join_or(&found)
                ),
                f.phrase.span.to(f.target.span()),
            )
        };
        let rewrites = self.rewrites(kind, target_kinds, f);
        let mut e =
            QueryError::new(ErrorKind::TypeMismatch, message, span).suggest(rewrites.clone());
        if rewrites.is_empty() {
            e = e.help(format!(
                "see `:schema {}` for what it connects",
                schema.relation(rel).id
            ));
        }
        Err(e)
    }

    /// Queries that say what the user probably meant: the same words with another phrase
    /// whose relation connects these kinds (ranked by [`KnowledgeGraph::prepare`]).
    fn rewrites(&self, kind: Option<KindId>, target_kinds: &Kinds, f: &Filter) -> Vec<String> {
        let (Some(kind), Some(targets)) = (kind, target_kinds) else {
            return Vec::new();
        };
        let schema = self.kg.schema();
        let mut out = Vec::new();
        for r in &schema.relations {
            let fits = |subject: &KindSet, object: &KindSet| {
                subject.contains(kind) && targets.iter().any(|&t| object.contains(t))
            };
            if r.hierarchy {
                continue;
            }
            let forward = r.forward.first().filter(|_| fits(&r.from, &r.to));
            let inverse = r.inverse.first().filter(|_| fits(&r.to, &r.from));
            for p in forward.into_iter().chain(inverse) {
                let mut q = self.text.to_owned();
                q.replace_range(f.phrase.span.start..f.phrase.span.end, p);
                out.push(q.trim().to_owned());
            }
        }
        out
    }

    fn entity(&self, e: &EntityRef) -> Result<NodeIndex, QueryError> {
        let key = crate::text::normalize(&e.text);
        let mut exact: Vec<NodeIndex> = Vec::new();
        let mut variants: Vec<NodeIndex> = Vec::new();
        for l in self.vocab.lookup(&key) {
            if let Lexeme::Entity {
                node,
                exact: is_exact,
            } = l
            {
                if *is_exact {
                    exact.push(*node);
                } else {
                    variants.push(*node);
                }
            }
        }
        let found = if exact.is_empty() { variants } else { exact };
        match found.as_slice() {
            [one] => Ok(*one),
            [] => Err(self.unknown_entity(e, &key)),
            many => {
                let mut names: Vec<String> = many
                    .iter()
                    .map(|n| {
                        let ent = self.kg.entity(*n);
                        format!(
                            "{} ({})",
                            ent.name,
                            self.kg.schema().kind(ent.kind).singular
                        )
                    })
                    .collect();
                names.sort();
                Err(QueryError::new(
                    ErrorKind::AmbiguousName,
                    format!("`{}` could name {} entities", e.text, many.len()),
                    e.span,
                )
                .help(format!("say which: {}", names.join(", "))))
            }
        }
    }

    fn unknown_entity(&self, e: &EntityRef, key: &str) -> QueryError {
        let mut err = QueryError::new(
            ErrorKind::UnknownEntity,
            format!("unknown entity `{}`", e.text),
            e.span,
        );
        // Names as written first; plural and singular forms only if nothing else is close.
        // The search has a budget: on a huge vocabulary it may give up with no suggestion.
        let close = if self.suggest_names {
            self.vocab.suggest(Class::Entity, key).best
        } else {
            None
        };
        if let Some(s) = close {
            let node = self.vocab.lookup(s).iter().find_map(|l| match l {
                Lexeme::Entity { node, .. } => Some(*node),
                _ => None,
            });
            // Suggest the word as the user would type it; mention the entity it stands for.
            err = err.suggest([s.to_owned()]);
            if let Some(n) = node.filter(|n| self.kg.entity(*n).name != s) {
                err = err.help(format!("did you mean `{s}` ({})?", self.kg.entity(n).name));
            }
        } else if let Some(Lexeme::Attribute(_)) = self
            .vocab
            .lookup(key)
            .iter()
            .find(|l| matches!(l, Lexeme::Attribute(_)))
        {
            err = err.help(format!(
                "`{}` is an attribute; ask for its values as `{} of <name>`, for example `{}`",
                e.text,
                e.text,
                self.vocab.examples().attribute
            ));
        } else if let Some(kind) = self.vocab.lookup(key).iter().find_map(|l| match l {
            Lexeme::Kind(k) => Some(*k),
            _ => None,
        }) {
            // The example is built from this graph's own words: a phrase this kind can start.
            let example = match self.phrase_for(kind) {
                Some(phrase) => format!("`{} {phrase} ...`", e.text),
                None => format!("`{}`", e.text),
            };
            err = err.help(format!(
                "`{}` is a kind; use it at the start of a question, as in {example}",
                e.text
            ));
        } else {
            err = err.help(
                "no entity has that name or alias; in the shell, Tab lists the names that fit here",
            );
        }
        err
    }
}

impl Resolver<'_> {
    /// The first forward phrase (in schema order) whose relation accepts `kind` as its
    /// subject (any relation for "things").
    fn phrase_for(&self, kind: Option<KindId>) -> Option<&str> {
        self.kg
            .schema()
            .relations
            .iter()
            .enumerate()
            .find_map(|(i, r)| {
                let fits = kind.is_none_or(|k| {
                    self.allowed(RelId(i as u16), Direction::Forward, true)
                        .contains(k)
                });
                r.forward
                    .first()
                    .filter(|_| fits && !r.hierarchy)
                    .map(String::as_str)
            })
    }
}

/// A word with a simple English ending taken off, so that `rare` and `rarely`, `case` and
/// `cases` meet:
/// `-ly` (when four letters stay), plural `-s`/`-es`/`-ies`, `-ed`, `-ing`, then a final `-e`
/// (when three letters stay). Both the condition's words and the claim's are stemmed.
pub(crate) fn stem(word: &str) -> String {
    let mut w = word.to_owned();
    let keep = |w: &str, suffix: &str, min: usize| {
        w.ends_with(suffix) && w.chars().count() >= suffix.len() + min
    };
    if keep(&w, "ly", 4) {
        w.truncate(w.len() - 2);
        if w.ends_with('i') {
            w.pop();
            w.push('y');
        }
    }
    if keep(&w, "ies", 2) {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if keep(&w, "sses", 2) {
        w.truncate(w.len() - 2);
    } else if keep(&w, "s", 3) && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w.pop();
    }
    if keep(&w, "ing", 3) {
        w.truncate(w.len() - 3);
    } else if keep(&w, "ed", 3) {
        w.truncate(w.len() - 2);
    }
    if keep(&w, "e", 3) {
        w.pop();
    }
    w
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => "nothing".to_owned(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
