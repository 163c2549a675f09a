//! Text helpers shared by the loader, the query language and every text printer: the form in
//! which names are compared ([`normalize`]), did-you-mean suggestions whose cost is bounded
//! ([`suggest`], [`Suggester`], and [`crate::query::vocab::Vocabulary::suggest`]), and the
//! escaping that keeps graph text and echoed input from reaching a terminal as control codes
//! ([`escape_control`]).
//!
//! This module knows nothing of any graph: it works on strings only.

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The form under which names, aliases, kind words and phrases are compared: Unicode NFC (so
/// that `é` typed as one character or as `e` and a combining accent is the same letter), then
/// lowercase, apostrophes dropped, and any other run of characters that are neither letters,
/// digits nor combining marks turned into one space. `"SRE's"`, `"sres"` and `" SREs "` all
/// normalise to `"sres"`; `"anti-inflammatory"` to `"anti inflammatory"`.
///
/// ```
/// assert_eq!(bonegraph::normalize("  Zoledronic-Acid "), "zoledronic acid");
/// assert_eq!(bonegraph::normalize("SRE's"), "sres");
/// // NFD (`e` + U+0301) and NFC (U+00E9) spellings are one name, and the accent is part of
/// // the word, not a separator.
/// assert_eq!(bonegraph::normalize("Re\u{301}sume\u{301}"), "r\u{e9}sum\u{e9}");
/// assert_eq!(bonegraph::normalize("r\u{e9}sum\u{e9}"), "r\u{e9}sum\u{e9}");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// [`normalize`], appending to `out` (what is in it already is kept as it is).
pub(crate) fn normalize_into(text: &str, out: &mut String) {
    let text = nfc(text);
    let start = out.len();
    let mut pending_space = false;
    for c in text.chars() {
        if c == '\'' || c == '\u{2019}' {
            continue;
        }
        if is_word_char(c) {
            if pending_space && out.len() > start {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
}

/// `text` in Unicode Normalization Form C, borrowed when it already is (as ASCII always is).
pub fn nfc(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Whether `c` belongs to a word: a letter, a digit, or a combining mark (an accent typed as
/// its own character belongs to the letter before it, so it never splits a word).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

// ---------------------------------------------------------------------------------------------
// Escaping for terminals.

/// Whether `c` must not reach a terminal as it is: a C0 control (U+0000 to U+001F, tab and
/// newline included), DEL, a C1 control (U+0080 to U+009F), a line or paragraph separator
/// (U+2028, U+2029), or a bidirectional control (U+061C, U+200E, U+200F, U+202A to U+202E,
/// U+2066 to U+2069), which can make text read in another order than it is stored.
pub fn is_control(c: char) -> bool {
    matches!(
        c,
        '\u{0}'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{61c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// `text` with every control character ([`is_control`]) written as a visible escape: `\n`,
/// `\r`, `\t`, `\e` for ESC, and `\u{7}` (hexadecimal) for the others. Borrowed when there is
/// nothing to escape. Every printer of text for people (tables, plain lists, cards,
/// explanations, query errors, load diagnostics, the `check` report) passes graph text and
/// echoed input through this, so that a graph file cannot move the cursor, retitle or clear
/// the user's terminal, or reorder what they read; JSON, DOT and the exports keep the exact
/// text, escaped by their own rules. Backslashes are left alone.
///
/// ```
/// use bonegraph::text::escape_control;
/// assert_eq!(escape_control("plain"), "plain");
/// assert_eq!(escape_control("a\u{1b}]0;x\u{7}b\nc"), r"a\e]0;x\u{7}b\nc");
/// assert_eq!(escape_control("abc\u{202e}fed"), r"abc\u{202e}fed");
/// ```
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// Like [`escape_control`], but keeps the line breaks: for text that a printer laid out in
/// lines, where only what the lines quote may hold control characters.
///
/// A `\r\n` line ending (CSV's) is kept as it is.
///
/// ```
/// use bonegraph::text::escape_lines;
/// assert_eq!(escape_lines("a\u{1b}[2J\nb\n"), "a\\e[2J\nb\n");
/// assert_eq!(escape_lines("a,b\r\nc\rd\r\n"), "a,b\r\nc\\rd\r\n");
/// ```
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    let mut lines = text.split('\n').peekable();
    let mut out = Vec::new();
    let mut changed = false;
    while let Some(line) = lines.next() {
        let (body, crlf) = match line.strip_suffix('\r') {
            Some(body) if lines.peek().is_some() => (body, true),
            _ => (line, false),
        };
        let escaped = escape_control(body);
        changed |= matches!(escaped, Cow::Owned(_));
        out.push(if crlf {
            Cow::Owned(format!("{escaped}\r"))
        } else {
            escaped
        });
    }
    if changed {
        Cow::Owned(out.join("\n"))
    } else {
        Cow::Borrowed(text)
    }
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write;
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{1b}' => out.push_str("\\e"),
        c if is_control(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

/// How many columns `text` takes on a terminal once escaped by [`escape_control`]: an escape
/// counts its own characters, a combining mark none (it sits on the letter before it), any
/// other character one. Printers use it to put a caret under the right characters.
///
/// ```
/// use bonegraph::text::columns;
/// assert_eq!(columns("re\u{301}sume\u{301}"), 6);
/// assert_eq!(columns("a\u{1b}b"), 4);
/// ```
pub fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if is_control(c) {
                let mut s = String::new();
                push_escaped(&mut s, c);
                s.chars().count()
            } else if is_combining_mark(c) {
                0
            } else {
                1
            }
        })
        .sum()
}

// ---------------------------------------------------------------------------------------------
// Did-you-mean, with a budget.

/// The most work one did-you-mean search may do, counted in character comparisons (and
/// character visits while filtering). Past it the search gives up with no suggestion, so that
/// no word and no graph (a long word, a huge vocabulary, a huge name) makes a typo slow:
/// the whole budget takes some 30 ms in a release build on a slow machine. A typo on a graph
/// of a thousand names needs a few thousand comparisons, on one of 200,000 names about
/// 200,000; on a few million names the search may give up.
pub const SUGGEST_BUDGET: u64 = 2_000_000;

/// The most work all the searches of one [`Suggester`] may do together: fifty full searches.
/// A graph file with a hundred thousand misspelt ids is answered with suggestions for the
/// first of them and plain errors for the rest, instead of taking minutes.
pub const SUGGEST_TOTAL_BUDGET: u64 = 50 * SUGGEST_BUDGET;

/// What a did-you-mean search found, and what it cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Suggestion<'a> {
    /// The closest plausible candidate, if there is one and the search finished.
    pub best: Option<&'a str>,
    /// The work done, in character comparisons; never more than [`SUGGEST_BUDGET`].
    pub work: u64,
    /// Whether the search stopped at the budget (then `best` is `None`).
    pub exhausted: bool,
}

impl Suggestion<'_> {
    /// No suggestion, found without comparing anything.
    fn nothing(exhausted: bool) -> Self {
        Suggestion {
            best: None,
            work: 0,
            exhausted,
        }
    }
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo: at most one
/// edit (insertion, deletion, substitution or swap of neighbours) per four characters, at
/// least one; or a Jaro-Winkler similarity of 0.88. Fewer edits win, then similarity, then
/// alphabetical order, so the answer is deterministic. Case is ignored. The search does at
/// most [`SUGGEST_BUDGET`] work and gives no suggestion past it (see [`suggest_counted`]).
///
/// ```
/// assert_eq!(bonegraph::suggest("therpy", ["therapy", "test"]), Some("therapy"));
/// assert_eq!(bonegraph::suggest("xyzzy", ["therapy", "test"]), None);
/// ```
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    suggest_counted(word, candidates).best
}

/// Like [`suggest`], and says how much work the search did and whether it ran out of budget.
///
/// Cheap filters come first: a candidate whose length, or whose set of characters, rules out
/// both one edit per four characters and a similarity of 0.88 is dropped after one look at
/// its characters (stopping as soon as it is too long); the rest are compared in the order of
/// the fewest edits they could need, and the search stops once no remaining candidate can
/// beat the best found. Every character visited or compared counts toward the budget.
///
/// ```
/// let long = "x".repeat(4096);
/// let s = bonegraph::text::suggest_counted(&long, ["therapy", "test"]);
/// assert_eq!(s.best, None);
/// assert!(s.work <= bonegraph::text::SUGGEST_BUDGET);
/// ```
pub fn suggest_counted<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Suggestion<'a> {
    let probe = match Probe::new(word) {
        Ok(Some(probe)) => probe,
        found => return Suggestion::nothing(found.is_err()),
    };
    let mut search = Search::new(&probe);
    search.work = probe.chars as u64;
    let mut feasible: Vec<(usize, &'a str)> = Vec::new();
    for candidate in candidates {
        // One look at the candidate's (lowercased) characters, stopping past the longest
        // length that could still be close.
        let (len, sig, visited) = signature(
            candidate.chars().flat_map(char::to_lowercase),
            probe.max_len + 1,
        );
        if !search.charge(visited as u64 + 1) {
            return search.finish();
        }
        if let Some(lb) = probe.lower_bound(len, sig) {
            feasible.push((lb, candidate));
        }
    }
    if !search.charge(feasible.len() as u64) {
        return search.finish();
    }
    feasible.sort_by_key(|&(lb, _)| lb);
    for (lb, candidate) in feasible {
        if search.can_stop(lb, 0) {
            break;
        }
        if !search.consider(candidate, true) {
            break;
        }
    }
    search.finish()
}

/// `did you mean `x`?` for the closest candidate, if any ([`suggest`], with its budget).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Did-you-mean over one list of candidates that is asked many times, as the loader asks the
/// list of entity ids once per dangling id: the candidates are indexed once (on first use),
/// a word asked again is answered from memory, and all searches together stop suggesting
/// after [`SUGGEST_TOTAL_BUDGET`] (each one still within [`SUGGEST_BUDGET`]).
///
/// ```
/// use bonegraph::text::Suggester;
/// let ids = Suggester::new(["zoledronic_acid", "denosumab"]);
/// assert_eq!(ids.did_you_mean("denosumb").as_deref(), Some("did you mean `denosumab`?"));
/// assert_eq!(ids.did_you_mean("xyzzy"), None);
/// ```
#[derive(Debug)]
pub struct Suggester<'a> {
    candidates: Vec<&'a str>,
    index: OnceCell<SuggestIndex>,
    asked: RefCell<HashMap<String, Option<&'a str>>>,
    spent: Cell<u64>,
}

impl<'a> Suggester<'a> {
    /// A suggester over `candidates` (nothing is indexed until the first question).
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        Suggester {
            candidates: candidates.into_iter().collect(),
            index: OnceCell::new(),
            asked: RefCell::new(HashMap::new()),
            spent: Cell::new(0),
        }
    }

    /// The candidates, in the order given.
    pub fn candidates(&self) -> &[&'a str] {
        &self.candidates
    }

    /// The closest candidate to `word` ([`suggest`]'s rules and budget), with the work done.
    pub fn suggest(&self, word: &str) -> Suggestion<'a> {
        if let Some(&best) = self.asked.borrow().get(word) {
            return Suggestion {
                best,
                work: 0,
                exhausted: false,
            };
        }
        if self.spent.get() >= SUGGEST_TOTAL_BUDGET {
            return Suggestion::nothing(true);
        }
        let index = self.index.get_or_init(|| {
            SuggestIndex::new(
                self.candidates
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (i as u32, *c, true)),
            )
        });
        let found = index.suggest(word, |i| self.candidates[i as usize]);
        self.spent.set(self.spent.get() + found.work.max(1));
        self.asked.borrow_mut().insert(word.to_owned(), found.best);
        found
    }

    /// `did you mean `x`?` for the closest candidate, if any.
    pub fn did_you_mean(&self, word: &str) -> Option<String> {
        self.suggest(word)
            .best
            .map(|c| format!("did you mean `{c}`?"))
    }
}

/// Candidates grouped by length and character set, built once, so that a search looks at a
/// group (not each candidate) to rule it out, and only at lengths that could be close.
#[derive(Debug, Clone, Default)]
pub(crate) struct SuggestIndex {
    /// Sorted by length, then signature.
    groups: Vec<Group>,
    /// Candidate ids, group by group; within a group the preferred ones first.
    members: Vec<u32>,
}

#[derive(Debug, Clone, Copy)]
struct Group {
    len: usize,
    sig: u64,
    start: u32,
    /// Members `start..preferred_end` are preferred, `preferred_end..end` are not.
    preferred_end: u32,
    end: u32,
}

impl SuggestIndex {
    /// Indexes candidates given as (id, text, preferred). A search returns the best preferred
    /// candidate if there is one, else the best of all (names as written before generated
    /// plural forms). Texts are compared lowercased.
    pub(crate) fn new<'t>(items: impl IntoIterator<Item = (u32, &'t str, bool)>) -> Self {
        let mut keyed: Vec<(usize, u64, bool, u32)> = items
            .into_iter()
            .map(|(id, text, preferred)| {
                // Vocabulary terms are lowercase already: lowercase only what needs it.
                let (len, sig, _) = if text.chars().any(char::is_uppercase) {
                    signature(text.chars().flat_map(char::to_lowercase), usize::MAX)
                } else {
                    signature(text.chars(), usize::MAX)
                };
                (len, sig, !preferred, id)
            })
            .filter(|&(len, ..)| len > 0)
            .collect();
        keyed.sort_unstable();
        let mut index = SuggestIndex::default();
        let mut i = 0;
        while i < keyed.len() {
            let (len, sig, ..) = keyed[i];
            let start = index.members.len() as u32;
            let mut preferred_end = start;
            while i < keyed.len() && keyed[i].0 == len && keyed[i].1 == sig {
                index.members.push(keyed[i].3);
                if !keyed[i].2 {
                    preferred_end += 1;
                }
                i += 1;
            }
            index.groups.push(Group {
                len,
                sig,
                start,
                preferred_end,
                end: index.members.len() as u32,
            });
        }
        index
    }

    /// The closest candidate to `word`; `text` gives a candidate's text by id.
    pub(crate) fn suggest<'t>(&self, word: &str, text: impl Fn(u32) -> &'t str) -> Suggestion<'t> {
        let probe = match Probe::new(word) {
            Ok(Some(probe)) => probe,
            found => return Suggestion::nothing(found.is_err()),
        };
        let mut search = Search::new(&probe);
        search.work = probe.chars as u64;
        let from = self.groups.partition_point(|g| g.len < probe.min_len);
        let to = self.groups.partition_point(|g| g.len <= probe.max_len);
        let mut feasible: Vec<(usize, &Group)> = Vec::new();
        for g in &self.groups[from..to] {
            if !search.charge(1) {
                return search.finish();
            }
            if let Some(lb) = probe.lower_bound(g.len, g.sig) {
                feasible.push((lb, g));
            }
        }
        feasible.sort_by_key(|&(lb, _)| lb);
        let mut preferred_left: usize = feasible
            .iter()
            .map(|(_, g)| (g.preferred_end - g.start) as usize)
            .sum();
        for (lb, g) in feasible {
            if search.can_stop(lb, preferred_left) {
                break;
            }
            for (k, &id) in self.members[g.start as usize..g.end as usize]
                .iter()
                .enumerate()
            {
                let preferred = (g.start as usize + k) < g.preferred_end as usize;
                if !preferred && search.best_preferred.is_some() {
                    break;
                }
                if preferred {
                    preferred_left -= 1;
                }
                if !search.consider(text(id), preferred) {
                    return search.finish();
                }
            }
        }
        search.finish()
    }
}

/// The word being corrected, with what the filters need to know about it.
struct Probe {
    lower: String,
    /// The characters of `lower`, sorted.
    sorted: Vec<char>,
    chars: usize,
    sig: u64,
    /// One edit per four characters, at least one.
    max_edits: usize,
    /// The shortest and longest candidates that could be close at all.
    min_len: usize,
    max_len: usize,
}

/// The Jaro-Winkler similarity that makes a candidate plausible whatever its edit count.
const SIMILAR: f64 = 0.88;

impl Probe {
    /// The probe for `word`: `Ok(None)` for an empty word, `Err` for a word so long that not
    /// even one comparison fits in the budget (found without lowercasing all of it).
    fn new(word: &str) -> Result<Option<Probe>, ()> {
        // A word has at least a quarter as many characters as bytes.
        if Probe::cheapest_comparison(word.len() / 4) > SUGGEST_BUDGET {
            return Err(());
        }
        let lower = word.to_lowercase();
        let (chars, sig, _) = signature(lower.chars(), usize::MAX);
        if chars == 0 {
            return Ok(None);
        }
        if Probe::cheapest_comparison(chars) > SUGGEST_BUDGET {
            return Err(());
        }
        let max_edits = (chars / 4).max(1);
        // Jaro-Winkler reaches 0.88 only if Jaro reaches 0.8, which needs the shorter string
        // to be at least 0.4 times the longer (see `lower_bound`); one either side for safety.
        let min_len = chars
            .saturating_sub(max_edits)
            .min((chars * 2 / 5).saturating_sub(1));
        let max_len = (chars + max_edits).max(chars * 5 / 2 + 1);
        let mut sorted: Vec<char> = lower.chars().collect();
        sorted.sort_unstable();
        Ok(Some(Probe {
            lower,
            sorted,
            chars,
            sig,
            max_edits,
            min_len,
            max_len,
        }))
    }

    /// What comparing a word of `chars` characters with the shortest candidate that could be
    /// close to it costs (see [`Search::consider`]).
    fn cheapest_comparison(chars: usize) -> u64 {
        let a = chars as u64;
        let b = (a * 2 / 5).saturating_sub(1).max(1);
        2 * a * b + a + 3 * b
    }

    /// For a candidate of `len` characters with character set `sig`: `None` if it can be
    /// neither within the edit limit nor similar enough, else a lower bound on its edits.
    fn lower_bound(&self, len: usize, sig: u64) -> Option<usize> {
        if len == 0 || len < self.min_len || len > self.max_len {
            return None;
        }
        let a = self.chars;
        // Each character class one side has and the other lacks costs an edit of its own.
        let missing_here = (self.sig & !sig).count_ones() as usize;
        let missing_there = (sig & !self.sig).count_ones() as usize;
        let lb = a.abs_diff(len).max(missing_here).max(missing_there);
        if lb <= self.max_edits {
            return Some(lb);
        }
        // Jaro matches pair equal characters, so a character of a class the other side lacks
        // matches nothing: at most `mu` matches, and Jaro at most (mu/a + mu/b + 1) / 3;
        // Winkler's bonus adds at most 0.4 of what is left.
        let mu = (a - missing_here.min(a)).min(len - missing_there.min(len));
        could_be_similar(a, len, mu, a.min(len).min(4)).then_some(lb)
    }
}

/// Whether strings of `a` and `b` characters with at most `matches` Jaro matches and a common
/// prefix of at most `prefix` characters could reach a Jaro-Winkler similarity of
/// [`SIMILAR`]: Jaro is at most (m/a + m/b + 1) / 3, and Winkler adds a tenth of what is left
/// per prefix character.
fn could_be_similar(a: usize, b: usize, matches: usize, prefix: usize) -> bool {
    if matches == 0 {
        return false;
    }
    let m = matches as f64;
    let jaro = (m / a as f64 + m / b as f64 + 1.0) / 3.0;
    let best = if jaro > 0.7 {
        jaro + 0.1 * prefix.min(4) as f64 * (1.0 - jaro)
    } else {
        jaro
    };
    best + 1e-9 >= SIMILAR
}

/// How many characters two sorted lists have in common, as multisets.
fn shared_count(x: &[char], y: &[char]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The length of a string (in characters, at most `stop + 1` counted), a 64-bit set of its
/// character classes, and how many characters were visited.
fn signature(chars: impl Iterator<Item = char>, stop: usize) -> (usize, u64, usize) {
    let mut len = 0;
    let mut sig = 0u64;
    for c in chars {
        len += 1;
        sig |= 1 << class_bit(c);
        if len > stop {
            break;
        }
    }
    (len, sig, len)
}

/// The bit of a character's class: one per ASCII letter and digit and for space, the rest
/// hashed over the remaining bits. Classes shared by different characters only weaken the
/// filter, never make it wrong.
fn class_bit(c: char) -> u32 {
    match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        ' ' => 36,
        _ => 37 + (c as u32 % 27),
    }
}

struct Best<'a> {
    edits: usize,
    similarity: f64,
    text: &'a str,
}

impl Best<'_> {
    fn beats(&self, other: &Best<'_>) -> bool {
        (self.edits, -self.similarity, self.text) < (other.edits, -other.similarity, other.text)
    }
}

/// One search: the work done and the best candidates so far.
struct Search<'p, 'a> {
    probe: &'p Probe,
    work: u64,
    exhausted: bool,
    best_preferred: Option<Best<'a>>,
    best_any: Option<Best<'a>>,
}

impl<'p, 'a> Search<'p, 'a> {
    fn new(probe: &'p Probe) -> Self {
        Search {
            probe,
            work: 0,
            exhausted: false,
            best_preferred: None,
            best_any: None,
        }
    }

    /// Counts `n` units of work; false (and exhausted) if that would pass the budget.
    fn charge(&mut self, n: u64) -> bool {
        if self.work + n > SUGGEST_BUDGET {
            self.exhausted = true;
            return false;
        }
        self.work += n;
        true
    }

    /// Whether candidates that need at least `lb` edits can no longer change the answer.
    fn can_stop(&self, lb: usize, preferred_left: usize) -> bool {
        match (&self.best_preferred, &self.best_any) {
            (Some(b), _) => lb > b.edits,
            (None, Some(b)) => preferred_left == 0 && lb > b.edits,
            (None, None) => false,
        }
    }

    /// Compares one candidate; false if the budget ran out.
    fn consider(&mut self, candidate: &'a str, preferred: bool) -> bool {
        let probe = self.probe;
        let lower: Cow<'_, str> = if candidate.chars().any(char::is_uppercase) {
            candidate.to_lowercase().into()
        } else {
            candidate.into()
        };
        let mut theirs: Vec<char> = lower.chars().collect();
        let (a, b) = (probe.chars, theirs.len());
        // Looking at, sorting and merging the characters: about three visits each.
        if !self.charge((a + 3 * b) as u64) {
            return false;
        }
        // The characters both have (as multisets) bound both measures: every character of
        // the longer one that is not shared costs an edit, and only shared characters match.
        theirs.sort_unstable();
        let shared = shared_count(&probe.sorted, &theirs);
        let least_edits = a.max(b) - shared;
        let prefix = probe
            .lower
            .chars()
            .zip(lower.chars())
            .take(4)
            .take_while(|(x, y)| x == y)
            .count();
        if least_edits > probe.max_edits && !could_be_similar(a, b, shared, prefix) {
            return true;
        }
        let rival = if preferred {
            &self.best_preferred
        } else {
            &self.best_any
        };
        if rival.as_ref().is_some_and(|r| least_edits > r.edits) {
            return true;
        }
        // Jaro-Winkler and the edit distance each compare every pair of characters, at most.
        if !self.charge(2 * a as u64 * b as u64) {
            return false;
        }
        let similarity = strsim::jaro_winkler(&probe.lower, &lower);
        let edits = strsim::osa_distance(&probe.lower, &lower);
        if edits > probe.max_edits && similarity < SIMILAR {
            return true;
        }
        let found = Best {
            edits,
            similarity,
            text: candidate,
        };
        let slot = if preferred {
            &mut self.best_preferred
        } else {
            &mut self.best_any
        };
        if slot.as_ref().is_none_or(|b| found.beats(b)) {
            *slot = Some(found);
        }
        true
    }

    fn finish(self) -> Suggestion<'a> {
        let best = if self.exhausted {
            None
        } else {
            self.best_preferred.or(self.best_any).map(|b| b.text)
        };
        Suggestion {
            best,
            work: self.work,
            exhausted: self.exhausted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_folds_case_punctuation_and_space() {
        assert_eq!(normalize("Pulmonary  Emboli"), "pulmonary emboli");
        assert_eq!(normalize("(IV)"), "iv");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("!!!"), "");
    }

    #[test]
    fn normalize_composes_and_keeps_combining_marks_in_words() {
        let nfd = "Re\u{301}sume\u{301}";
        let nfc = "R\u{e9}sum\u{e9}";
        assert_eq!(normalize(nfd), normalize(nfc));
        assert_eq!(normalize(nfd), "r\u{e9}sum\u{e9}");
        // A mark with no precomposed form stays, inside its word.
        assert_eq!(normalize("Spin\u{308}al tap"), "spin\u{308}al tap");
    }

    #[test]
    fn suggest_picks_the_closest_plausible_candidate() {
        let kinds = ["therapy", "test", "symptom"];
        assert_eq!(suggest("therpy", kinds), Some("therapy"));
        assert_eq!(suggest("xyzzy", kinds), None);
        // A swap of neighbours in a short word is one edit.
        assert_eq!(suggest("snu", ["suns", "sun", "sol"]), Some("sun"));
        assert_eq!(
            suggest("fractur", ["fracture", "fractures"]),
            Some("fracture")
        );
        // Similar enough by Jaro-Winkler although many edits away.
        assert_eq!(suggest("ther", ["therapists"]), Some("therapists"));
        assert_eq!(suggest("", ["a"]), None);
    }

    #[test]
    fn escape_control_shows_every_control_character() {
        assert_eq!(escape_control("a\tb\r\n"), r"a\tb\r\n");
        assert_eq!(escape_control("\u{0}\u{7f}\u{9b}"), r"\u{0}\u{7f}\u{9b}");
        assert_eq!(
            escape_control("\u{2066}x\u{2069}\u{200f}"),
            r"\u{2066}x\u{2069}\u{200f}"
        );
        assert!(matches!(
            escape_control("r\u{e9}sum\u{e9}"),
            Cow::Borrowed(_)
        ));
        assert_eq!(columns(r"\"), 1);
        assert_eq!(columns("\u{7f}"), "\\u{7f}".len());
    }

    /// The search before budgets: every candidate compared in full.
    fn exhaustive<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
        let word = word.to_lowercase();
        let word_len = word.chars().count();
        if word_len == 0 {
            return None;
        }
        let budget = (word_len / 4).max(1);
        let mut best: Option<(usize, f64, &str)> = None;
        for &candidate in candidates {
            let lower = candidate.to_lowercase();
            if lower.is_empty() {
                continue;
            }
            let similarity = strsim::jaro_winkler(&word, &lower);
            let edits = strsim::osa_distance(&word, &lower);
            if edits > budget && similarity < SIMILAR {
                continue;
            }
            if best.is_none_or(|(e, s, c)| (edits, -similarity, candidate) < (e, -s, c)) {
                best = Some((edits, similarity, candidate));
            }
        }
        best.map(|(_, _, c)| c)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// The filters only skip work: within the budget, the answer is the exhaustive one,
        /// through the list and through the index alike.
        #[test]
        fn filters_never_change_the_answer(
            word in "[a-eAé ]{0,9}",
            candidates in proptest::collection::vec("[a-eAÉé ]{1,25}", 0..40),
        ) {
            let list: Vec<&str> = candidates.iter().map(String::as_str).collect();
            let want = exhaustive(&word, &list);
            let got = suggest_counted(&word, list.iter().copied());
            proptest::prop_assert!(!got.exhausted);
            proptest::prop_assert_eq!(got.best, want);
            let index = SuggestIndex::new(
                list.iter().enumerate().map(|(i, c)| (i as u32, *c, true)),
            );
            let indexed = index.suggest(&word, |i| list[i as usize]);
            proptest::prop_assert_eq!(indexed.best, want);
        }

        /// With some candidates preferred, the best preferred one wins if there is any.
        #[test]
        fn preferred_candidates_win(
            word in "[a-d]{1,8}",
            candidates in proptest::collection::vec(("[a-d]{1,10}", proptest::bool::ANY), 0..30),
        ) {
            let list: Vec<&str> = candidates.iter().map(|(c, _)| c.as_str()).collect();
            let preferred: Vec<&str> = candidates
                .iter()
                .filter(|(_, p)| *p)
                .map(|(c, _)| c.as_str())
                .collect();
            let want = exhaustive(&word, &preferred).or_else(|| exhaustive(&word, &list));
            let index = SuggestIndex::new(
                candidates
                    .iter()
                    .enumerate()
                    .map(|(i, (c, p))| (i as u32, c.as_str(), *p)),
            );
            proptest::prop_assert_eq!(index.suggest(&word, |i| list[i as usize]).best, want);
        }
    }
}
