//! Syntax tree -> typed [`Plan`]: names to entities, kind words to kinds, phrases to relation
//! types with a direction, and type checks with rewrites the schema allows.
//!
//! This is the last stage that sees the query text (to point at the words at fault and to
//! propose a corrected query).

use super::ast::*;
use super::error::{ErrorKind, QueryError};
use super::plan::{Plan, PlanFilter, ResolvedQuery};
use super::vocab::{Class, Lexeme, Vocabulary};
use super::{DEFAULT_PATHS, Limits};
use crate::graph::{Direction, KindId, KindSet, KnowledgeGraph, RelId};
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
        Ok((
            Plan::Select {
                kind,
                filters,
                label: whole.to_string(),
            },
            kind.map(|k| vec![k]),
        ))
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

fn join_or(items: &[&str]) -> String {
    match items {
        [] => "nothing".to_owned(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
