//! A string interner that keeps its strings one after another in one `String`: each distinct
//! string gets a number, and is found again through a hash table of those numbers. Loading a
//! graph of a million entities interns millions of short strings (relation ends, names and
//! aliases); one allocation each would cost time to make and to free, and would leave the
//! heap scattered for whatever is allocated next.

use hashbrown::HashTable;
use std::hash::{BuildHasher, RandomState};

/// Distinct strings, numbered from 0 in the order first interned (numbers are `u32`: a graph
/// file is at most 1 GiB, far fewer strings than that).
#[derive(Clone, Default)]
pub(crate) struct Interner {
    text: String,
    /// Where each string ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
    table: HashTable<u32>,
    /// Keyed per process (SipHash): strings chosen to collide cannot slow a load down.
    hasher: RandomState,
}

impl std::fmt::Debug for Interner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Interner({} strings)", self.ends.len())
    }
}

/// `text[start..end]`, with `start` the end of the string before `i`.
fn span<'t>(text: &'t str, ends: &[usize], i: u32) -> &'t str {
    let i = i as usize;
    let start = if i == 0 { 0 } else { ends[i - 1] };
    &text[start..ends[i]]
}

impl Interner {
    /// Room for `strings` more strings.
    pub(crate) fn reserve(&mut self, strings: usize) {
        self.ends.reserve(strings);
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        self.table
            .reserve(strings, |&i| hasher.hash_one(span(text, ends, i)));
    }

    /// How many distinct strings there are.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// String number `i` (below [`Interner::len`]).
    pub(crate) fn get(&self, i: u32) -> &str {
        span(&self.text, &self.ends, i)
    }

    /// The number of `s`, if it has been interned.
    pub(crate) fn find(&self, s: &str) -> Option<u32> {
        let (text, ends) = (&self.text, &self.ends);
        self.table
            .find(self.hasher.hash_one(s), |&i| span(text, ends, i) == s)
            .copied()
    }

    /// The number of `s`, and whether it is new.
    pub(crate) fn intern(&mut self, s: &str) -> (u32, bool) {
        let (text, ends, hasher) = (&self.text, &self.ends, &self.hasher);
        let slot = match self.table.entry(
            hasher.hash_one(s),
            |&i| span(text, ends, i) == s,
            |&i| hasher.hash_one(span(text, ends, i)),
        ) {
            hashbrown::hash_table::Entry::Occupied(found) => return (*found.get(), false),
            hashbrown::hash_table::Entry::Vacant(slot) => slot,
        };
        let i = self.ends.len() as u32;
        slot.insert(i);
        self.text.push_str(s);
        self.ends.push(self.text.len());
        (i, true)
    }

    /// Every string, by number.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.ends.len() as u32).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_distinct_string_gets_one_number_in_order_and_reads_back() {
        let mut strings = Interner::default();
        assert_eq!(strings.intern("a"), (0, true));
        assert_eq!(strings.intern(""), (1, true));
        assert_eq!(strings.intern("bc"), (2, true));
        assert_eq!(strings.intern("a"), (0, false));
        assert_eq!(strings.len(), 3);
        assert_eq!(strings.get(1), "");
        assert_eq!(strings.get(2), "bc");
        assert_eq!(strings.find("bc"), Some(2));
        assert_eq!(strings.find("b"), None);
        assert_eq!(strings.iter().collect::<Vec<_>>(), ["a", "", "bc"]);
        strings.reserve(10_000);
        for i in 0..10_000 {
            strings.intern(&format!("s{i}"));
        }
        assert!((0..10_000).all(|i| strings.find(&format!("s{i}")) == Some(3 + i)));
        assert_eq!(strings.get(3), "s0");
    }
}
