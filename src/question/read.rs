//! Reading one question: clean it, find the graph's terms in it, and fit the terms to a
//! question form, producing canonical readings that are checked by preparing them.

use super::english::{
    ASKING, Asking, COMPARE, COPULA, FILLER, HEDGED, LINK, MEMBERS, NOISE, PLACE, meet, same_word,
    spelling_variants, stems,
};
use super::lexicon::VerbPattern;
use super::{Form, Reading};
use crate::graph::{Direction, KindId, KindSet, KnowledgeGraph, RelId};
use crate::query::Limits;
use crate::query::ast::Span;
use crate::query::error::{ErrorKind, QueryError};
use crate::query::vocab::{Class, Lexeme};
use crate::text::normalize;
use petgraph::graph::NodeIndex;

/// The relation types a phrase or verb may stand for, with the direction and the phrase.
type Choices = Vec<(RelId, Direction, String)>;

/// One thing found in the question.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An entity, by name or alias (or a corrected typo).
    Entity(NodeIndex),
    /// A kind word; `None` is `things`.
    Kind(Option<KindId>),
    /// A relation phrase or a verb form of one; several when the words fit several types.
    Verb(Vec<(RelId, Direction, String)>),
    /// `of`, `for`, `about`, ...: links a kind to what it is about.
    Of,
    /// An attribute named by its label or id words (with how many words matched).
    Attr(u16, usize),
    /// `types of`, `examples of`.
    Members,
    /// `compare`, `vs`.
    Compare,
}

impl Tok {
    /// The entity, if this is one.
    fn entity(&self) -> Option<NodeIndex> {
        if let Tok::Entity(n) = self {
            Some(*n)
        } else {
            None
        }
    }

    /// The kind word's kind (`None` inside: any kind), if this is one.
    fn kind(&self) -> Option<Option<KindId>> {
        if let Tok::Kind(k) = self {
            Some(*k)
        } else {
            None
        }
    }
}

/// A condition on the claims behind an answer, in the canonical `where` form.
#[derive(Debug, Clone, PartialEq)]
enum Condition {
    Frequency(String),
    Hedged,
    Section(String),
}

/// The question after cleaning and scanning.
#[derive(Debug, Default)]
struct Scan {
    asking: Option<Asking>,
    toks: Vec<Tok>,
    conditions: Vec<Condition>,
    /// Words that were neither filler nor a term of the graph.
    unknown: Vec<String>,
    corrections: Vec<(String, String)>,
    /// The cleaned words, for preferring relations whose phrases the question echoes.
    words: Vec<String>,
    /// `how many`: the answer is a count.
    count: bool,
    /// The question's first word (`is`, `does`, ...).
    first: String,
    /// Classes named in the plural (`pain medications`): their members are asked for.
    plural: Vec<NodeIndex>,
}

/// Connectors read as [`Tok::Of`] when the graph gives them no meaning of their own.
const CONNECTORS: &[&str] = &[
    "of", "for", "about", "in", "on", "against", "with", "from", "after", "during",
];

pub(super) fn read(
    kg: &KnowledgeGraph,
    text: &str,
    limits: &Limits,
    canonical_error: QueryError,
) -> Result<Reading, QueryError> {
    let scan = scan(kg, text);
    // A yes/no question about something the graph does not name cannot be answered by
    // leaving that out.
    let candidates = if matches!(scan.asking, Some(Asking::YesNo)) && !scan.unknown.is_empty() {
        Vec::new()
    } else {
        fit(kg, &scan)
    };
    // `how many ...`: the count of what the reading lists.
    let candidates: Vec<(String, Form)> = if scan.count {
        candidates
            .into_iter()
            .flat_map(|(q, f)| {
                let counted =
                    (f == Form::Query && !q.starts_with("describe ") && !q.starts_with("path "))
                        .then(|| (format!("count {q}"), f));
                counted.into_iter().chain(std::iter::once((q, f)))
            })
            .collect()
    } else {
        candidates
    };
    let mut ready: Vec<(String, Form)> = Vec::new();
    for (query, form) in candidates {
        if ready.iter().any(|(q, _)| *q == query) {
            continue;
        }
        if kg.prepare_with(&query, limits).is_ok() {
            ready.push((query, form));
        }
    }
    if ready.is_empty() {
        return Err(not_understood(kg, text, &scan, limits, canonical_error));
    }
    // A reading that leaves words out and keeps only a list or a card has not understood
    // the question: it would answer another one.
    if !scan.unknown.is_empty() && ready.iter().all(|(q, _)| is_bare(kg, q)) {
        return Err(not_understood(kg, text, &scan, limits, canonical_error));
    }
    let (canonical, form) = ready.remove(0);
    Ok(Reading {
        canonical,
        alternatives: ready.into_iter().map(|(q, _)| q).take(3).collect(),
        form,
        corrections: scan.corrections,
        ignored: scan.unknown,
    })
}

/// Whether a reading is only a kind word or `describe X`.
fn is_bare(kg: &KnowledgeGraph, query: &str) -> bool {
    query.starts_with("describe ")
        || kg
            .vocabulary()
            .lookup(query)
            .iter()
            .any(|l| matches!(l, Lexeme::Kind(_)))
}

/// Removes what only pads a question: trailing punctuation, politeness, "the article says",
/// possessive endings.
fn clean(text: &str) -> Vec<String> {
    // Possessives first, while the apostrophe is still there: `zometa's` -> `zometa`.
    let mut s = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if (c == '\'' || c == '\u{2019}')
            && chars.get(i + 1).is_some_and(|n| *n == 's' || *n == 'S')
            && chars.get(i + 2).is_none_or(|n| !n.is_alphanumeric())
        {
            i += 2;
            continue;
        }
        s.push(c);
        i += 1;
    }
    let mut norm = format!(" {} ", normalize(&s));
    for noise in NOISE {
        let pat = format!(" {noise} ");
        while let Some(at) = norm.find(&pat) {
            norm.replace_range(at..at + pat.len(), " ");
        }
    }
    norm.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn scan(kg: &KnowledgeGraph, text: &str) -> Scan {
    let mut out = Scan::default();
    let words = clean(text);
    out.count = words.len() >= 2 && words[0] == "how" && words[1] == "many";
    out.first = words.first().cloned().unwrap_or_default();
    let words = take_sections(kg, words, &mut out.conditions);
    out.words = words.clone();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let vocab = kg.vocabulary();
    let lexicon = kg.lexicon();

    // The question word(s) at the start.
    let mut i = 0;
    for (phrase, asking) in ASKING {
        let p: Vec<&str> = phrase.split(' ').collect();
        if words.len() >= p.len() && words[..p.len()] == p[..] {
            out.asking = Some(*asking);
            i = p.len();
            break;
        }
    }
    if out.asking.is_none()
        && words
            .first()
            .is_some_and(|w| ["what", "which", "list", "show", "name", "give", "find"].contains(w))
    {
        out.asking = Some(Asking::Things);
        i = 1;
    }
    let mut unknown_run: Vec<&str> = Vec::new();
    let max = vocab.max_words().max(1);
    while i < words.len() {
        let w = words[i];
        // The graph's own terms, longest first; then verb forms of its phrases.
        let mut best: Option<(usize, Tok)> = None;
        for n in (1..=max.min(words.len() - i)).rev() {
            let key = words[i..i + n].join(" ");
            let found = term(vocab.lookup(&key));
            // A class named in the plural, by a form the graph generated (`narcotics`).
            if let Some(Tok::Entity(n)) = &found
                && key.ends_with('s')
                && !vocab
                    .lookup(&key)
                    .iter()
                    .any(|l| matches!(l, Lexeme::Entity { node, exact: true } if node == n))
                && !kg.descendants(*n).is_empty()
            {
                out.plural.push(*n);
            }
            let found = found.or_else(|| {
                // British and American spellings of the last word.
                spelling_variants(words[i + n - 1])
                    .into_iter()
                    .find_map(|v| {
                        let mut k: Vec<&str> = words[i..i + n - 1].to_vec();
                        k.push(&v);
                        term(vocab.lookup(&k.join(" ")))
                    })
            });
            if let Some(t) = found {
                // A lone filler word that is also a phrase (`of`, `about`) links, it does
                // not name a relation by itself.
                let t = match t {
                    Tok::Verb(_) if n == 1 && CONNECTORS.contains(&w) => Tok::Of,
                    other => other,
                };
                best = Some((n, t));
                break;
            }
        }
        let (vn, verbs) = lexicon.verbs_at(&words[i..]);
        // `is`, `are` alone (`that is`, `which are`) are read by the question forms, not as
        // a relation.
        let verbs: Vec<&VerbPattern> = verbs
            .into_iter()
            .filter(|v| !v.words.iter().all(|pw| FILLER.contains(&pw.as_str())))
            .collect();
        let vn = if verbs.is_empty() { 0 } else { vn };
        if vn > 0
            && best.as_ref().is_none_or(|(n, _)| vn > *n)
            && !(vn == 1 && FILLER.contains(&w) && !verbs.iter().any(|v| v.words[0] == w))
        {
            let passive = vn == 1
                && words.get(i + 1) == Some(&"by")
                && (w.ends_with("ed") || w.ends_with("en"));
            let list: Vec<(RelId, Direction, String)> = verbs
                .iter()
                .map(|v: &&VerbPattern| {
                    if passive {
                        let r = kg.schema().relation(v.rel);
                        let (dir, phrases) = match v.dir {
                            Direction::Forward => (Direction::Inverse, &r.inverse),
                            Direction::Inverse => (Direction::Forward, &r.forward),
                        };
                        (
                            v.rel,
                            dir,
                            phrases.first().cloned().unwrap_or_else(|| v.phrase.clone()),
                        )
                    } else {
                        (v.rel, v.dir, v.phrase.clone())
                    }
                })
                .collect();
            best = Some((vn + usize::from(passive), Tok::Verb(list)));
        }
        if let Some((n, tok)) = best {
            flush_unknown(kg, &mut unknown_run, &mut out);
            out.toks.push(tok);
            i += n;
            continue;
        }
        // Qualifier words the graph uses (`rare`), hedges, comparison and member words.
        if let Some(f) = lexicon.frequency_word(w) {
            flush_unknown(kg, &mut unknown_run, &mut out);
            out.conditions.push(Condition::Frequency(f.to_owned()));
        } else if HEDGED.contains(&w) && i > 0 {
            flush_unknown(kg, &mut unknown_run, &mut out);
            out.conditions.push(Condition::Hedged);
        } else if COMPARE.contains(&w) {
            flush_unknown(kg, &mut unknown_run, &mut out);
            if out.toks.last() != Some(&Tok::Compare) {
                out.toks.push(Tok::Compare);
            }
        } else if MEMBERS.contains(&w) && words.get(i + 1) == Some(&"of") {
            flush_unknown(kg, &mut unknown_run, &mut out);
            out.toks.push(Tok::Members);
            i += 1;
        } else if CONNECTORS.contains(&w) {
            flush_unknown(kg, &mut unknown_run, &mut out);
            out.toks.push(Tok::Of);
        } else if let Some(a) = attribute_at(kg, &words[i..]) {
            flush_unknown(kg, &mut unknown_run, &mut out);
            out.toks.push(Tok::Attr(a.0, a.1));
            i += a.1;
            continue;
        } else if FILLER.contains(&w) || w.chars().all(|c| c.is_ascii_digit()) {
            flush_unknown(kg, &mut unknown_run, &mut out);
        } else {
            unknown_run.push(w);
        }
        i += 1;
    }
    flush_unknown(kg, &mut unknown_run, &mut out);
    // A hierarchy phrase with nothing after it (`side effects of X that are rare`) only
    // introduces a qualifier.
    let hierarchy = kg.schema().hierarchy;
    while let Some(Tok::Verb(v)) = out.toks.last() {
        if v.iter().all(|(rel, _, _)| Some(*rel) == hierarchy) {
            out.toks.pop();
        } else {
            break;
        }
    }
    out
}

/// Finds `the denosumab section`, `in the section on radiation`: a condition on where the
/// claims come from. The words are taken out of the question.
fn take_sections(
    kg: &KnowledgeGraph,
    mut words: Vec<String>,
    conditions: &mut Vec<Condition>,
) -> Vec<String> {
    const LEAD: &[&str] = &["according", "to", "in", "the", "from", "under", "as", "per"];
    const LINK: &[&str] = &["on", "about", "of", "the", "for"];
    let lexicon = kg.lexicon();
    let mut i = 0;
    while i < words.len() {
        if words[i] != "section" && words[i] != "sections" {
            i += 1;
            continue;
        }
        // The name before: `the denosumab section`.
        let start = (0..i)
            .rev()
            .take_while(|&j| !FILLER.contains(&words[j].as_str()))
            .last()
            .unwrap_or(i);
        let before: Vec<&str> = words[start..i].iter().map(String::as_str).collect();
        if let Some(id) = lexicon.section(&before) {
            conditions.push(Condition::Section(id.to_owned()));
            let mut from = start;
            while from > 0 && LEAD.contains(&words[from - 1].as_str()) {
                from -= 1;
            }
            words.drain(from..=i);
            i = from;
            continue;
        }
        // The name after: `the section on radiation`.
        let mut j = i + 1;
        while j < words.len() && LINK.contains(&words[j].as_str()) {
            j += 1;
        }
        let end = (j..words.len())
            .take_while(|&k| !FILLER.contains(&words[k].as_str()))
            .last()
            .map_or(j, |k| k + 1);
        let after: Vec<&str> = words[j..end].iter().map(String::as_str).collect();
        if let Some(id) = lexicon.section(&after) {
            conditions.push(Condition::Section(id.to_owned()));
            let mut from = i;
            while from > 0 && LEAD.contains(&words[from - 1].as_str()) {
                from -= 1;
            }
            words.drain(from..end);
            i = from;
            continue;
        }
        i += 1;
    }
    words
}

/// The token a vocabulary entry stands for (kinds before names, as the parser decides).
fn term(lexemes: &[Lexeme]) -> Option<Tok> {
    let mut verbs = Vec::new();
    let mut entity = None;
    let mut attribute = None;
    for l in lexemes {
        match *l {
            Lexeme::Kind(k) => return Some(Tok::Kind(k)),
            Lexeme::Phrase(rel, dir) => verbs.push((rel, dir, String::new())),
            Lexeme::Entity { node, exact } => {
                if entity.is_none() || exact {
                    entity = Some(node);
                }
            }
            Lexeme::Keyword => {}
            Lexeme::Attribute(a) => attribute = attribute.or(Some(a)),
        }
    }
    if let Some(n) = entity {
        return Some(Tok::Entity(n));
    }
    if !verbs.is_empty() {
        return Some(Tok::Verb(verbs));
    }
    attribute.map(|a| Tok::Attr(a, 0))
}

/// An attribute whose label or id words start here (`dosing interval`, `survival`).
fn attribute_at(kg: &KnowledgeGraph, words: &[&str]) -> Option<(u16, usize)> {
    let mut best: Option<(u16, usize)> = None;
    for a in &kg.lexicon().attributes {
        let n = words
            .iter()
            .take_while(|w| {
                let ws = stems(w);
                a.name_stems.iter().any(|aw| meet(&ws, aw))
            })
            .count();
        if n > 0 && best.is_none_or(|(_, b)| n > b) {
            best = Some((a.index, n));
        }
    }
    best
}

/// The fewest letters a word needs before it is corrected to a name or kind word.
const MIN_CORRECTED: usize = 5;

/// Unknown words in a row: a typo of a name or a kind word, corrected when the graph has a
/// close one; otherwise kept as not understood.
fn flush_unknown(kg: &KnowledgeGraph, run: &mut Vec<&str>, out: &mut Scan) {
    if run.is_empty() {
        return;
    }
    let vocab = kg.vocabulary();
    let whole = run.join(" ");
    // Short words are too easily another word: only longer ones are corrected.
    let fixed = (whole.chars().count() >= MIN_CORRECTED)
        .then(|| {
            [Class::Kind, Class::Entity].into_iter().find_map(|class| {
                let s = vocab.suggest(class, &whole);
                s.best.map(|b| (b.to_owned(), class))
            })
        })
        .flatten();
    if let Some((name, _)) = fixed
        && let Some(t) = term(vocab.lookup(&name))
    {
        out.corrections.push((whole, name));
        out.toks.push(t);
    } else if run.len() > 1 {
        // Word by word.
        for w in run.iter() {
            let fixed = [Class::Kind, Class::Entity]
                .into_iter()
                .find_map(|class| vocab.suggest(class, w).best.map(str::to_owned));
            match fixed
                .as_deref()
                .and_then(|f| term(vocab.lookup(f)).map(|t| (f.to_owned(), t)))
            {
                Some((f, t)) if w.chars().count() >= MIN_CORRECTED => {
                    out.corrections.push(((*w).to_owned(), f));
                    out.toks.push(t);
                }
                _ => out.unknown.push((*w).to_owned()),
            }
        }
    } else {
        out.unknown.push(whole);
    }
    run.clear();
}

/// Everything needed to write canonical text.
struct Writer<'g> {
    kg: &'g KnowledgeGraph,
}

impl Writer<'_> {
    /// An entity's name as the canonical language takes it (quoted if it holds a keyword or
    /// would read as something else).
    fn entity(&self, n: NodeIndex) -> String {
        let name = &self.kg.entity(n).name;
        let alone = self.kg.vocabulary().lookup(&normalize(name));
        let plain = alone
            .iter()
            .any(|l| matches!(l, Lexeme::Entity { node, .. } if *node == n))
            && !alone
                .iter()
                .any(|l| matches!(l, Lexeme::Kind(_) | Lexeme::Phrase(..) | Lexeme::Keyword))
            && !normalize(name)
                .split(' ')
                .any(|w| crate::query::vocab::KEYWORDS.contains(&w));
        if plain {
            name.clone()
        } else {
            format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
        }
    }

    fn kind(&self, k: Option<KindId>) -> String {
        match k {
            Some(k) => self.kg.schema().kind(k).plural.clone(),
            None => "things".to_owned(),
        }
    }

    /// The phrase for `rel` read in `dir` (the schema's first).
    fn phrase(&self, rel: RelId, dir: Direction) -> Option<String> {
        let r = self.kg.schema().relation(rel);
        match dir {
            Direction::Forward => r.forward.first().cloned(),
            Direction::Inverse => r.inverse.first().cloned(),
        }
    }

    /// The kind word for the subject of `rel` read in `dir`: the one kind it allows, or
    /// `things`.
    fn subject_kind(&self, rel: RelId, dir: Direction) -> Option<KindId> {
        match self.kg.schema().phrase_kinds(rel, dir, true) {
            KindSet::Only(ks) if ks.len() == 1 => Some(ks[0]),
            _ => None,
        }
    }

    fn hierarchy_phrase(&self) -> Option<String> {
        let h = self.kg.schema().hierarchy?;
        self.phrase(h, Direction::Forward)
    }

    /// The `where` conditions, as the canonical language writes them.
    fn conditions(&self, conds: &[Condition]) -> String {
        let mut parts = Vec::new();
        for c in conds {
            let part = match c {
                Condition::Frequency(w) => format!("frequency is {w}"),
                Condition::Hedged => "certainty is possible".to_owned(),
                Condition::Section(s) => format!("section is {}", s.replace('_', " ")),
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" where {}", parts.join(" and "))
        }
    }
}

/// The readings that fit the scanned question, best first. Each is checked by the caller.
fn fit(kg: &KnowledgeGraph, scan: &Scan) -> Vec<(String, Form)> {
    let w = Writer { kg };
    let toks = &scan.toks;
    let entities: Vec<NodeIndex> = toks.iter().filter_map(|t| t.entity()).collect();
    let kinds: Vec<Option<KindId>> = toks.iter().filter_map(|t| t.kind()).collect();
    let verbs: Vec<(usize, &Choices)> = toks
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            if let Tok::Verb(v) = t {
                Some((i, v))
            } else {
                None
            }
        })
        .collect();
    let attrs: Vec<u16> = toks
        .iter()
        .filter_map(|t| {
            if let Tok::Attr(a, _) = t {
                Some(*a)
            } else {
                None
            }
        })
        .collect();
    let cond = w.conditions(&scan.conditions);
    let mut out: Vec<(String, Form)> = Vec::new();
    let with_cond = |q: String, out: &mut Vec<(String, Form)>, form: Form| {
        if !cond.is_empty() {
            out.push((format!("{q}{cond}"), form));
        }
        out.push((q, form));
    };

    // Two things side by side.
    if toks.contains(&Tok::Compare) && entities.len() == 2 {
        out.push((
            format!("{} or {}", w.entity(entities[0]), w.entity(entities[1])),
            Form::Compare,
        ));
        return out;
    }

    // How or why, between two things, or what links them: a chain.
    let linked = scan.words.iter().any(|w| LINK.contains(&w.as_str()));
    if (matches!(scan.asking, Some(Asking::How)) || linked)
        && entities.len() >= 2
        && kinds.is_empty()
        && attrs.is_empty()
    {
        out.push((
            format!(
                "path from {} to {}",
                w.entity(entities[0]),
                w.entity(entities[entities.len() - 1])
            ),
            Form::Query,
        ));
        return out;
    }

    // A value: an attribute named, or a how-often/how-long question.
    let value_words: &[&str] = match scan.asking {
        Some(Asking::Value(words)) => words,
        _ => &[],
    };
    if (!attrs.is_empty() || !value_words.is_empty()) && verbs.is_empty()
        || (!attrs.is_empty() && entities.len() == 1)
    {
        let targets: Vec<String> = if let Some(&e) = entities.first() {
            vec![w.entity(e)]
        } else if let Some(&k) = kinds.first() {
            vec![w.kind(k)]
        } else {
            vec!["things".to_owned()]
        };
        for a in rank_attributes(kg, &attrs, value_words, entities.first().copied()) {
            let key = &kg.schema().attributes[usize::from(a)];
            // The label, unless it reads as a question (`how common`): then the id.
            let label = if normalize(&key.label)
                .split(' ')
                .next()
                .is_some_and(|w| FILLER.contains(&w))
            {
                key.id.replace('_', " ")
            } else {
                key.label.clone()
            };
            for t in &targets {
                out.push((format!("{label} of {t}"), Form::Query));
            }
        }
        if !out.is_empty() {
            return out;
        }
    }

    let yes_no = matches!(scan.asking, Some(Asking::YesNo));

    // A relation, as a phrase or a verb.
    if let Some(&(vi, choices)) = verbs.first() {
        let before: Vec<&Tok> = toks[..vi].iter().collect();
        let after: Vec<&Tok> = toks[vi + 1..].iter().collect();
        let subj_entity = before.iter().rev().find_map(|t| t.entity());
        let subj_kind = before.iter().find_map(|t| t.kind());
        let obj_entity = after.iter().find_map(|t| t.entity());
        let obj_kind = after.iter().find_map(|t| t.kind());
        for (rel, dir, phrase) in choices {
            let phrase = if phrase.is_empty() {
                w.phrase(*rel, *dir).unwrap_or_default()
            } else {
                phrase.clone()
            };
            match (subj_entity, obj_entity) {
                (Some(s), Some(o)) => {
                    // Does S verb O?
                    with_cond(
                        format!("{} and things {phrase} {}", w.entity(s), w.entity(o)),
                        &mut out,
                        Form::YesNo,
                    );
                    // What the source does say that links them, when not this.
                    out.push((
                        format!("path from {} to {}", w.entity(s), w.entity(o)),
                        Form::Query,
                    ));
                    for q in linking(kg, &w, s, o) {
                        if kg.query(&q).is_ok_and(|a| !a.is_empty()) {
                            out.push((q, Form::YesNo));
                        }
                    }
                }
                (None, Some(o)) => {
                    let k = subj_kind.unwrap_or_else(|| w.subject_kind(*rel, *dir));
                    let form = if yes_no { Form::YesNo } else { Form::Query };
                    // More phrases, each with its target (`relieve pain and prevent
                    // fractures`), filter the same selection.
                    let mut more = String::new();
                    let mut rest = toks[vi + 1..]
                        .iter()
                        .skip_while(|t| !matches!(t, Tok::Entity(_)))
                        .skip(1);
                    while let (Some(Tok::Verb(v)), Some(Tok::Entity(e))) =
                        (rest.next(), rest.next())
                    {
                        if let Some((r2, d2, p2)) = v.first() {
                            let p2 = if p2.is_empty() {
                                w.phrase(*r2, *d2).unwrap_or_default()
                            } else {
                                p2.clone()
                            };
                            more.push_str(&format!(" and {p2} {}", w.entity(*e)));
                        }
                    }
                    if !more.is_empty() {
                        with_cond(
                            format!("{} {phrase} {}{more}", w.kind(k), w.entity(o)),
                            &mut out,
                            form,
                        );
                    }
                    with_cond(
                        format!("{} {phrase} {}", w.kind(k), w.entity(o)),
                        &mut out,
                        form,
                    );
                }
                (Some(s), None) => {
                    // What does S verb? Read the other way round.
                    let back = match dir {
                        Direction::Forward => Direction::Inverse,
                        Direction::Inverse => Direction::Forward,
                    };
                    if let Some(inv) = w.phrase(*rel, back) {
                        let k = obj_kind
                            .or(subj_kind)
                            .unwrap_or_else(|| w.subject_kind(*rel, back));
                        if yes_no && let Some(k2) = obj_kind {
                            with_cond(
                                format!("{} {inv} {}", w.kind(k2), w.entity(s)),
                                &mut out,
                                Form::YesNo,
                            );
                        }
                        with_cond(
                            format!("{} {inv} {}", w.kind(k), w.entity(s)),
                            &mut out,
                            Form::Query,
                        );
                    }
                }
                (None, None) => {
                    if let Some(target) = obj_kind {
                        let k = subj_kind.unwrap_or_else(|| w.subject_kind(*rel, *dir));
                        with_cond(
                            format!("{} {phrase} {}", w.kind(k), w.kind(target)),
                            &mut out,
                            Form::Query,
                        );
                    }
                }
            }
        }
        if !out.is_empty() {
            return out;
        }
    }

    // `is X a Y?`; `does X help Y?` (a verb the graph does not know: the relations its types
    // allow, those the source states first).
    if yes_no && let Some(&x) = entities.first() {
        let copula = COPULA.contains(&scan.first.as_str());
        if let Some(&y) = entities.get(1)
            && !copula
        {
            for q in linking(kg, &w, x, y) {
                out.push((q, Form::YesNo));
            }
            out.push((
                format!("path from {} to {}", w.entity(x), w.entity(y)),
                Form::Query,
            ));
            return out;
        }
        if let Some(&y) = entities.get(1)
            && let Some(isa) = w.hierarchy_phrase()
        {
            out.push((
                format!("{} and things {isa} {}", w.entity(x), w.entity(y)),
                Form::YesNo,
            ));
        }
        if let Some(&k) = kinds.first()
            && entities.len() == 1
        {
            out.push((format!("{} and {}", w.entity(x), w.kind(k)), Form::YesNo));
        }
        if !out.is_empty() {
            return out;
        }
    }

    // The classes of a thing: `what kind of drug is morphine`.
    let members_at = toks.iter().position(|t| *t == Tok::Members);
    if let (Some(m), Some(&x), Some(isa)) = (members_at, entities.first(), w.hierarchy_phrase())
        && matches!(toks.get(m + 1), Some(Tok::Kind(_)))
        && matches!(toks.get(m + 2), Some(Tok::Entity(_)))
        && let Some(Tok::Kind(k)) = toks.get(m + 1)
    {
        let Some(inv) = w.phrase(
            kg.schema().hierarchy.unwrap_or(RelId(0)),
            Direction::Inverse,
        ) else {
            return out;
        };
        let _ = isa;
        out.push((format!("{} {inv} {}", w.kind(*k), w.entity(x)), Form::Query));
        return out;
    }

    // Members of a class: `types of X`.
    if toks.contains(&Tok::Members)
        && let Some(&x) = entities.first()
        && let Some(isa) = w.hierarchy_phrase()
    {
        let k = kinds.first().copied().flatten();
        out.push((format!("{} {isa} {}", w.kind(k), w.entity(x)), Form::Query));
        return out;
    }

    // `which drugs are narcotics`: a kind, then a class with members, no relation.
    let kind_first = toks.iter().position(|t| matches!(t, Tok::Kind(_)))
        < toks.iter().position(|t| matches!(t, Tok::Entity(_)));
    if let (Some(&k), Some(&x), Some(isa)) = (kinds.first(), entities.first(), w.hierarchy_phrase())
        && entities.len() == 1
        && kind_first
        && !toks.contains(&Tok::Of)
        && !kg.descendants(x).is_empty()
    {
        // The kind asked for, when the class has members of it; else any kind.
        let has_kind = |k: KindId| kg.descendants(x).iter().any(|&d| kg.entity(d).kind == k);
        let k = k.filter(|&k| has_kind(k));
        out.push((format!("{} {isa} {}", w.kind(k), w.entity(x)), Form::Query));
        return out;
    }

    // `where does X happen`: the relations whose phrases say where.
    if matches!(scan.asking, Some(Asking::Where))
        && let Some(&x) = entities.first()
    {
        for q in located(kg, &w, x) {
            out.push((q, Form::Query));
        }
        if !out.is_empty() {
            return out;
        }
    }

    // `K of X`, `X K`, `K for X`: the relation between the kind and the thing, from the types.
    if let (Some(&k), Some(&x)) = (kinds.first(), entities.first()) {
        for q in between(kg, &w, k, x, &scan.words) {
            with_cond(q, &mut out, Form::Query);
        }
        if !out.is_empty() {
            return out;
        }
    }

    // A class named in the plural, alone: its members (`what pain medications are there`).
    if entities.len() == 1
        && kinds.is_empty()
        && scan.plural.contains(&entities[0])
        && let Some(isa) = w.hierarchy_phrase()
    {
        out.push((
            format!("things {isa} {}", w.entity(entities[0])),
            Form::Query,
        ));
    }
    // A thing alone: describe it. A kind alone: list it.
    if entities.len() == 1 && kinds.is_empty() {
        out.push((format!("describe {}", w.entity(entities[0])), Form::Query));
    } else if entities.is_empty() && kinds.len() == 1 {
        out.push((w.kind(kinds[0]), Form::Query));
    }
    out
}

/// The attributes a value question may mean, best first: named ones, then those whose label
/// or description shares the most words with the question word's hints, among those the
/// entity (or anything) has values for.
fn rank_attributes(
    kg: &KnowledgeGraph,
    named: &[u16],
    hints: &[&str],
    entity: Option<NodeIndex>,
) -> Vec<u16> {
    let has_values = |a: u16| -> bool {
        let id = &kg.schema().attributes[usize::from(a)].id;
        match entity {
            Some(n) => std::iter::once(n)
                .chain(kg.ancestors(n))
                .any(|m| kg.attribute_values(m, id).next().is_some()),
            None => kg
                .nodes()
                .any(|m| kg.attribute_values(m, id).next().is_some()),
        }
    };
    let mut scored: Vec<(usize, u16)> = Vec::new();
    for a in &kg.lexicon().attributes {
        let mut score = 0;
        if named.contains(&a.index) {
            score += 100;
        }
        for h in hints {
            if a.name_words.iter().any(|w| same_word(h, w)) {
                score += 3;
            }
            if a.description_words.iter().any(|w| same_word(h, w)) {
                score += 1;
            }
        }
        if score > 0 && has_values(a.index) {
            scored.push((score, a.index));
        }
    }
    scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    scored.into_iter().map(|(_, a)| a).take(3).collect()
}

/// Readings of "K of X": each relation type (the broadest of a family) that links kind `k`
/// to `x`'s kind, either way, ordered by how many answers it has; those with none last.
fn between(
    kg: &KnowledgeGraph,
    w: &Writer<'_>,
    k: Option<KindId>,
    x: NodeIndex,
    words: &[String],
) -> Vec<String> {
    let schema = kg.schema();
    let xk = kg.entity(x).kind;
    let mut found: Vec<(usize, String)> = Vec::new();
    for (i, r) in schema.relations.iter().enumerate() {
        let rel = RelId(i as u16);
        if r.hierarchy {
            continue;
        }
        // The broadest type whose family still fits is asked; its refinements are included.
        if let Some(p) = r.parent {
            let pr = schema.relation(p);
            let fits_parent = k.is_none_or(|k| {
                pr.from.contains(k) && pr.to.contains(xk)
                    || pr.to.contains(k) && pr.from.contains(xk)
            });
            if fits_parent {
                continue;
            }
        }
        for dir in [Direction::Inverse, Direction::Forward] {
            let (subject, object) = match dir {
                Direction::Forward => (&r.from, &r.to),
                Direction::Inverse => (&r.to, &r.from),
            };
            if k.is_some_and(|k| !subject.contains(k)) || !object.contains(xk) {
                continue;
            }
            let Some(phrase) = w.phrase(rel, dir) else {
                continue;
            };
            let q = format!("{} {phrase} {}", w.kind(k), w.entity(x));
            let rows = kg.query(&q).map(|a| a.len()).unwrap_or(0);
            // A relation whose phrases the question echoes (`treatment` and `treating`) is
            // what was meant, whatever has more rows.
            let echoed = words.iter().any(|qw| {
                r.forward.iter().chain(&r.inverse).any(|p| {
                    normalize(p)
                        .split(' ')
                        .any(|pw| pw.chars().count() >= 4 && same_word(qw, pw))
                })
            });
            let rank = if rows > 0 && echoed {
                rows + 1_000_000
            } else {
                rows
            };
            found.push((rank, q));
        }
    }
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    let answered = found.iter().filter(|(n, _)| *n > 0).count();
    found
        .into_iter()
        .take(answered.max(1))
        .map(|(_, q)| q)
        .collect()
}

/// Yes/no readings of "does X ... Y" with no known verb: each relation type (the broadest
/// of a family) whose types allow X before Y, those with an answer first.
fn linking(kg: &KnowledgeGraph, w: &Writer<'_>, x: NodeIndex, y: NodeIndex) -> Vec<String> {
    let schema = kg.schema();
    let (xk, yk) = (kg.entity(x).kind, kg.entity(y).kind);
    let mut found: Vec<(bool, String)> = Vec::new();
    for (i, r) in schema.relations.iter().enumerate() {
        if r.hierarchy
            || r.parent.is_some_and(|p| {
                let pr = schema.relation(p);
                pr.from.contains(xk) && pr.to.contains(yk)
            })
        {
            continue;
        }
        if !(r.from.contains(xk) && r.to.contains(yk)) {
            continue;
        }
        let Some(phrase) = w.phrase(RelId(i as u16), Direction::Forward) else {
            continue;
        };
        let q = format!("{} and things {phrase} {}", w.entity(x), w.entity(y));
        let stated = kg.query(&q).is_ok_and(|a| !a.is_empty());
        found.push((stated, q));
    }
    found.sort_by_key(|(stated, _)| !stated);
    // Only the stated ones when there are any; else the first, which will say "not stated".
    let n = found.iter().filter(|(s, _)| *s).count().max(1);
    found.into_iter().take(n).map(|(_, q)| q).collect()
}

/// Readings of "where is X": relations whose phrases use a word of place, read towards X.
fn located(kg: &KnowledgeGraph, w: &Writer<'_>, x: NodeIndex) -> Vec<String> {
    let schema = kg.schema();
    let xk = kg.entity(x).kind;
    let mut out = Vec::new();
    for (i, r) in schema.relations.iter().enumerate() {
        let rel = RelId(i as u16);
        let says_where = r
            .forward
            .iter()
            .chain(&r.inverse)
            .any(|p| normalize(p).split(' ').any(|pw| PLACE.contains(&pw)));
        if !says_where || !r.from.contains(xk) {
            continue;
        }
        if let Some(inv) = w.phrase(rel, Direction::Inverse) {
            let k = w.subject_kind(rel, Direction::Inverse);
            let q = format!("{} {inv} {}", w.kind(k), w.entity(x));
            if kg.query(&q).is_ok_and(|a| !a.is_empty()) {
                out.push(q);
            }
        }
    }
    out
}

/// The error for a question nothing fits: the words it understood, and canonical queries
/// about them that have answers.
fn not_understood(
    kg: &KnowledgeGraph,
    text: &str,
    scan: &Scan,
    limits: &Limits,
    canonical_error: QueryError,
) -> QueryError {
    let w = Writer { kg };
    let mut understood = Vec::new();
    let mut suggestions: Vec<String> = Vec::new();
    for t in &scan.toks {
        match t {
            Tok::Entity(n) => {
                understood.push(format!("`{}`", kg.entity(*n).name));
                let mut about: Vec<(usize, String)> = Vec::new();
                for ki in 0..kg.schema().kinds.len() {
                    for q in between(kg, &w, Some(KindId(ki as u16)), *n, &[]) {
                        if let Ok(p) = kg.prepare_with(&q, limits)
                            && let Ok(a) = kg.run_with(&p, limits, None)
                            && !a.is_empty()
                        {
                            about.push((a.len(), q));
                        }
                    }
                }
                about.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                suggestions.push(format!("describe {}", w.entity(*n)));
                suggestions.extend(about.into_iter().take(3).map(|(_, q)| q));
            }
            Tok::Kind(k) => understood.push(format!("`{}`", w.kind(*k))),
            Tok::Verb(v) => {
                if let Some((rel, dir, p)) = v.first() {
                    let p = if p.is_empty() {
                        w.phrase(*rel, *dir).unwrap_or_default()
                    } else {
                        p.clone()
                    };
                    understood.push(format!("`{p}`"));
                }
            }
            Tok::Attr(a, _) => understood.push(format!(
                "`{}`",
                kg.schema().attributes[usize::from(*a)].label
            )),
            _ => {}
        }
    }
    let named: Vec<NodeIndex> = scan.toks.iter().filter_map(|t| t.entity()).collect();
    if let [a, b, ..] = named[..] {
        // Two things named: what links them comes first (a path, when there is one), then
        // the canonical yes/no questions the types allow, answered or not.
        let path = format!("path from {} to {}", w.entity(a), w.entity(b));
        let mut first: Vec<String> = Vec::new();
        if kg.query(&path).is_ok_and(|r| !r.is_empty()) {
            first.push(path);
        }
        first.extend(linking(kg, &w, a, b));
        suggestions.splice(0..0, first);
    }
    // A kind named and nothing else to go on: the list (or its count).
    if named.is_empty() {
        for t in &scan.toks {
            if let Tok::Kind(k) = t {
                let list = w.kind(*k);
                suggestions.push(if scan.count {
                    format!("count {list}")
                } else {
                    list
                });
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    suggestions.retain(|q| seen.insert(q.clone()));
    suggestions.truncate(4);
    // Nothing of the graph in it, or a canonical query with its own rewrites: the canonical
    // error says more.
    if understood.is_empty() || !canonical_error.suggestions.is_empty() {
        return canonical_error;
    }
    let message = format!(
        "could not read the question as a query; understood {}",
        understood.join(", ")
    );
    let mut e = QueryError::new(ErrorKind::NotUnderstood, message, Span::new(0, text.len()));
    e.suggestions = suggestions;
    if !scan.unknown.is_empty() {
        e.help = Some(format!(
            "not understood: {}",
            scan.unknown
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    e
}
