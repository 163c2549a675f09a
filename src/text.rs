//! Text helpers shared by the loader and (later) the query resolver: name normalisation and
//! did-you-mean suggestions.

/// The form under which names, aliases, kind words and phrases are compared: lowercase,
/// apostrophes dropped, any other run of non-alphanumeric characters turned into one space.
/// `"SRE's"`, `"sres"` and `" SREs "` all normalise to `"sres"`;
/// `"anti-inflammatory"` to `"anti inflammatory"`.
///
/// ```
/// assert_eq!(bonegraph::normalize("  Zoledronic-Acid "), "zoledronic acid");
/// assert_eq!(bonegraph::normalize("SRE's"), "sres");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c == '\'' || c == '\u{2019}' {
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo: at most one
/// edit (insertion, deletion, substitution or swap of neighbours) per four characters, at
/// least one; or a Jaro-Winkler similarity of 0.88. Fewer edits win, then similarity, then
/// alphabetical order, so the answer is deterministic.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let word_len = word.chars().count();
    let budget = (word_len / 4).max(1);
    let mut best: Option<(usize, f64, &str)> = None;
    for candidate in candidates {
        let lower: std::borrow::Cow<'_, str> = if candidate.chars().any(char::is_uppercase) {
            candidate.to_lowercase().into()
        } else {
            candidate.into()
        };
        let similarity = strsim::jaro_winkler(&word, &lower);
        // Lengths that differ by more than the budget cannot be within it: skip the edit count.
        let length_gap = word_len.abs_diff(lower.chars().count());
        if length_gap > budget && similarity < 0.88 {
            continue;
        }
        let edits = strsim::osa_distance(&word, &lower);
        if edits > budget && similarity < 0.88 {
            continue;
        }
        let better = match best {
            None => true,
            Some((e, s, c)) => (edits, -similarity, candidate) < (e, -s, c),
        };
        if better {
            best = Some((edits, similarity, candidate));
        }
    }
    best.map(|(_, _, c)| c)
}

/// `did you mean `x`?` for the closest candidate, if any.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(word, candidates).map(|c| format!("did you mean `{c}`?"))
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
    }
}
