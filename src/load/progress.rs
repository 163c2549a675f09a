//! Progress of a long load or check, for whoever wants to show it (the command line draws a
//! spinner from it). A load goes through [`Phase`]s in order; within a phase the callback is
//! called at its start, every few thousand items, and at its end, so reporting costs nothing
//! measurable however large the graph.
//!
//! ```
//! use bonegraph::load::{self, CheckOptions, Phase};
//! use std::cell::RefCell;
//! let seen = RefCell::new(Vec::new());
//! let report = |p: load::Progress| seen.borrow_mut().push(p.phase);
//! let options = CheckOptions { progress: &report, ..Default::default() };
//! let checked = load::check_str_with(bonegraph::EMBEDDED_GRAPH, &options);
//! assert!(checked.graph.is_some());
//! let seen = seen.into_inner();
//! assert_eq!(seen.first(), Some(&Phase::Parsing));
//! assert_eq!(seen.last(), Some(&Phase::Indexing));
//! ```

use std::fmt;

/// What a load is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Reading the file (`done` and `total` in bytes).
    Reading,
    /// Parsing the text (`total` in bytes; `done` is 0 until the parse ends).
    Parsing,
    /// Checking entities and relations (`done` and `total` in items: entities, then relations).
    Checking,
    /// Building the indices (`done` and `total` in relations).
    Indexing,
}

impl Phase {
    /// The phase as a word (`reading`, `parsing`, `checking`, `indexing`).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Reading => "reading",
            Phase::Parsing => "parsing",
            Phase::Checking => "checking",
            Phase::Indexing => "indexing",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Phase::Reading | Phase::Parsing => "bytes",
            Phase::Checking => "entities and relations",
            Phase::Indexing => "relations",
        }
    }
}

/// Where a load is: its phase and how far into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The phase.
    pub phase: Phase,
    /// How much of the phase is done, in its unit (see [`Phase`]).
    pub done: u64,
    /// How much there is in all, in the same unit.
    pub total: u64,
}

/// `checking: 12,000 of 5,000,000 entities and relations`.
impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.phase == Phase::Parsing && self.done < self.total {
            return write!(f, "parsing {} bytes", thousands(self.total));
        }
        write!(
            f,
            "{}: {} of {} {}",
            self.phase.as_str(),
            thousands(self.done),
            thousands(self.total),
            self.phase.unit()
        )
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How often, in items, a phase reports between its start and its end.
pub(crate) const EVERY: usize = 1 << 14;

/// A callback that ignores progress.
pub(crate) fn ignore(_: Progress) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_a_person_would_say_it() {
        let p = Progress {
            phase: Phase::Checking,
            done: 12_000,
            total: 5_000_000,
        };
        assert_eq!(
            p.to_string(),
            "checking: 12,000 of 5,000,000 entities and relations"
        );
        let parsing = Progress {
            phase: Phase::Parsing,
            done: 0,
            total: 375_000_000,
        };
        assert_eq!(parsing.to_string(), "parsing 375,000,000 bytes");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
    }
}
