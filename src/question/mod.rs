//! Plain questions in, one canonical query out: the layer in front of the query language that
//! reads a question the way people type it (`what treats bone pain?`, `is zometa a
//! bisphosphonate?`, `morphine side effects`) and writes it as the canonical query it
//! means, so the answer can say how it read the question.
//!
//! It is deterministic and explains itself: no model, no network, no subject knowledge. It
//! knows a little generic English (`english`: filler words, question words, verb endings,
//! British and American spellings); every kind word, relation phrase, name, attribute and
//! qualifier value comes from the loaded graph ([`Lexicon`] and the query vocabulary), so the
//! same question forms work on any graph. Every reading it proposes is prepared as a
//! canonical query before it is offered, so a reading always runs, and running it gives the
//! answer the question got.
//!
//! ```
//! let kg = bonegraph::KnowledgeGraph::embedded();
//! let asked = kg.ask("which drugs treat fractures?")?;
//! assert_eq!(asked.read_as(), Some("therapies treating pathological fracture"));
//! // A canonical query is answered as it is, with no reading to show.
//! assert_eq!(kg.ask("therapies treating fracture")?.read_as(), None);
//! # Ok::<(), bonegraph::QueryError>(())
//! ```

mod english;
mod lexicon;
mod read;

pub use lexicon::Lexicon;

use crate::graph::KnowledgeGraph;
use crate::query::answer::{Answer, Body};
use crate::query::error::{ErrorKind, QueryError};
use crate::query::{Limits, Prepared};

/// What sort of question a reading answers, which decides how its answer is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// A question whose answer is the rows (or count, path, card) of the reading.
    Query,
    /// A yes/no question: yes when the reading has rows, and otherwise "the source does not
    /// state it" (never "no": the graph records what its sources say, not what is false).
    YesNo,
    /// Two entities side by side (`compare A and B`, `A vs B`); the reading lists both.
    Compare,
}

/// How a question was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// The canonical query the question was read as (it prepares without error).
    pub canonical: String,
    /// Other readings, best first, when the question is truly ambiguous (at most three).
    pub alternatives: Vec<String>,
    /// What sort of question it is.
    pub form: Form,
    /// The words of the question that were corrected to the graph's words, as
    /// `(typed, read as)`.
    pub corrections: Vec<(String, String)>,
    /// Words of the question that are neither the graph's nor filler, and were left out.
    pub ignored: Vec<String>,
}

/// A question and its answer.
#[derive(Debug, Clone)]
pub struct Asked {
    /// How the question was read; `None` when it was a canonical query already.
    pub reading: Option<Reading>,
    /// The query that ran (the reading's, or the question itself).
    pub prepared: Prepared,
    /// Its answer.
    pub answer: Answer,
}

impl Asked {
    /// The canonical query the question was read as, if it was not canonical already.
    pub fn read_as(&self) -> Option<&str> {
        self.reading.as_ref().map(|r| r.canonical.as_str())
    }

    /// The form of the question ([`Form::Query`] for a canonical query).
    pub fn form(&self) -> Form {
        self.reading.as_ref().map_or(Form::Query, |r| r.form)
    }

    /// For a yes/no question: `Some(true)` when the source states it (the answer has rows),
    /// `Some(false)` when it does not. `None` for other questions.
    pub fn stated(&self) -> Option<bool> {
        (self.form() == Form::YesNo).then_some(match &self.answer.body {
            Body::Rows(rows) => !rows.is_empty(),
            Body::Count(n) => *n > 0,
            Body::Paths(p) => !p.is_empty(),
            _ => true,
        })
    }
}

impl KnowledgeGraph {
    /// The question layer's table of this graph's words, built on first use.
    pub fn lexicon(&self) -> &Lexicon {
        self.lexicon.get_or_init(|| Lexicon::new(self))
    }

    /// Reads a question as a canonical query. `Ok(None)` when the text is a canonical query
    /// already (it is then answered exactly as written). When nothing fits, the error
    /// ([`ErrorKind::NotUnderstood`]) names the words it understood and proposes canonical
    /// queries that have answers.
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let reading = kg.read_question("is Zometa a bisphosphonate?")?.unwrap();
    /// assert_eq!(reading.canonical, "zoledronic acid and things that are bisphosphonate");
    /// assert_eq!(reading.form, bonegraph::question::Form::YesNo);
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn read_question(&self, text: &str) -> Result<Option<Reading>, QueryError> {
        self.read_question_with(text, &Limits::DEFAULT)
    }

    /// [`read_question`](Self::read_question) within `limits`.
    pub fn read_question_with(
        &self,
        text: &str,
        limits: &Limits,
    ) -> Result<Option<Reading>, QueryError> {
        // First as a canonical query, without the did-you-mean search over every name
        // (costly on a big graph, and not needed unless the text was meant as a query).
        let quiet = Limits {
            suggest_names: false,
            ..*limits
        };
        let canonical = match self.prepare_with(text, &quiet) {
            Ok(_) => return Ok(None),
            Err(e) if e.kind == ErrorKind::UnknownEntity && limits.suggest_names => {
                // The did-you-mean matters only if the text is answered with this error.
                let starts_canonical = looks_canonical(
                    self,
                    text,
                    &QueryError {
                        suggestions: vec![String::new()],
                        ..e.clone()
                    },
                );
                if starts_canonical || text.contains('"') {
                    self.prepare_with(text, limits).err().unwrap_or(e)
                } else {
                    e
                }
            }
            Err(e) => e,
        };
        if is_bound(&canonical)
            // Quotes are the canonical language's: the text was meant as a query.
            || text.contains('"')
            // A query in the canonical language with a misspelt word keeps its did-you-mean:
            // it was meant as a query, and the correction is the user's to make.
            || looks_canonical(self, text, &canonical)
        {
            return Err(canonical);
        }
        read::read(self, text, limits, canonical).map(Some)
    }

    /// Answers a plain question or a canonical query: reads it ([`read_question`]) and runs
    /// the reading.
    ///
    /// [`read_question`]: Self::read_question
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let asked = kg.ask("what treats bone pain?")?;
    /// assert_eq!(asked.read_as(), Some("therapies treating bone pain"));
    /// assert!(asked.answer.names(kg).contains(&"radiation therapy"));
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn ask(&self, text: &str) -> Result<Asked, QueryError> {
        self.ask_with(text, &Limits::DEFAULT, None)
    }

    /// [`ask`](Self::ask) within `limits`, stopping when `cancel` is set.
    pub fn ask_with(
        &self,
        text: &str,
        limits: &Limits,
        cancel: Option<&std::sync::atomic::AtomicBool>,
    ) -> Result<Asked, QueryError> {
        let reading = self.read_question_with(text, limits)?;
        let query = reading.as_ref().map_or(text, |r| r.canonical.as_str());
        let prepared = self.prepare_with(query, limits)?;
        let answer = self.run_with(&prepared, limits, cancel)?;
        Ok(Asked {
            reading,
            prepared,
            answer,
        })
    }
}

/// Whether `text` is a canonical query with one unknown word that has a did-you-mean: it
/// parses, starts with a kind word or a keyword, and the error is an unknown name, kind or
/// phrase with a suggestion.
fn looks_canonical(kg: &KnowledgeGraph, text: &str, e: &QueryError) -> bool {
    use crate::query::vocab::{KEYWORDS, Lexeme};
    // An unknown attribute or claim field comes only from the canonical forms for them.
    if matches!(
        e.kind,
        ErrorKind::UnknownAttribute | ErrorKind::UnknownField
    ) {
        return true;
    }
    if !matches!(
        e.kind,
        ErrorKind::UnknownEntity | ErrorKind::UnknownKind | ErrorKind::UnknownPhrase
    ) || e.suggestions.is_empty()
        || kg.parse(text).is_err()
    {
        return false;
    }
    let norm = crate::text::normalize(text);
    let words: Vec<&str> = norm.split(' ').collect();
    if words.first().is_some_and(|w| KEYWORDS.contains(w)) {
        return true;
    }
    (1..=words.len().min(kg.vocabulary().max_words())).any(|n| {
        kg.vocabulary()
            .lookup(&words[..n].join(" "))
            .iter()
            .any(|l| matches!(l, Lexeme::Kind(_) | Lexeme::Attribute(_)))
    })
}

/// Errors that are about the size of the input, not its words: a question does not get
/// around them.
fn is_bound(e: &QueryError) -> bool {
    matches!(
        e.kind,
        ErrorKind::TooLong | ErrorKind::TooDeep | ErrorKind::LimitExceeded | ErrorKind::Cancelled
    )
}
