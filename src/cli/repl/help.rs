//! What the shell says about itself: the banner and the `:help` topics. Every example in them
//! is built from the loaded graph's own words (its [`Examples`], its names and aliases), so
//! that the help fits whatever graph is loaded and names nothing of another.

use super::command::COMMANDS;
use super::error::ShellError;
use bonegraph::KnowledgeGraph;
use bonegraph::query::examples::Examples;
use bonegraph::query::vocab::Class;
use bonegraph::text::{is_word_char, normalize};

/// The topics of `:help TOPIC`.
pub const TOPICS: &[&str] = &["queries", "names", "answers", "commands"];

/// The longest graph description the banner shows, in characters: a graph file could hold a
/// megabyte of it.
const MAX_DESCRIPTION_CHARS: usize = 600;

/// The banner an interactive session starts with: the graph, what it says of itself, and a
/// question it answers.
pub fn banner(kg: &KnowledgeGraph) -> String {
    // The graph first; the program's name only when the graph's name does not start with it.
    let program = if kg.name().to_lowercase().starts_with("bonegraph") {
        format!("version {}", env!("CARGO_PKG_VERSION"))
    } else {
        format!("bonegraph {}", env!("CARGO_PKG_VERSION"))
    };
    let mut out = format!(
        "{} ({} entities, {} relations; {program})\n",
        kg.name(),
        kg.entity_count(),
        kg.edge_count()
    );
    if let Some(description) = kg.description().filter(|d| !d.trim().is_empty()) {
        let description = match description.char_indices().nth(MAX_DESCRIPTION_CHARS) {
            Some((at, _)) => format!("{}…", &description[..at]),
            None => description.to_owned(),
        };
        out.push_str(&wrap(&description, 90));
    }
    out.push_str(&format!(
        "Type a question such as `{}`, `:help` for help, Ctrl-D to leave.\n",
        kg.vocabulary().examples().selection
    ));
    out
}

/// `:help [topic]`.
pub fn help(kg: &KnowledgeGraph, topic: Option<&str>) -> Result<String, ShellError> {
    let ex = kg.vocabulary().examples();
    Ok(match topic {
        None | Some("commands") => overview(ex),
        Some("queries") => queries(ex),
        Some("names") => names(kg, ex),
        Some("answers") => ANSWERS.to_owned(),
        Some(other) => return Err(ShellError::UnknownHelpTopic(other.to_owned())),
    })
}

/// Questions that work on this graph, one a line, indented.
fn examples(ex: &Examples) -> String {
    [
        ex.selection.clone(),
        format!("count {}", ex.selection),
        format!("path from {} to {}", ex.path.0, ex.path.1),
        format!("describe {}", ex.entity),
    ]
    .iter()
    .map(|q| format!("  {q}\n"))
    .collect()
}

fn overview(ex: &Examples) -> String {
    let mut s = format!(
        "Ask a question, for example:\n{}\n\
         Plain questions work too (`what is {}?`, `how does {} lead to {}?`): the answer \
         first says how the question was read, as a query like those above.\n\
         Tab completes kinds, phrases and names; an unbalanced `(` or `\"` continues on the \
         next line.\n\nCommands:\n",
        examples(ex),
        ex.entity,
        ex.path.0,
        ex.path.1
    );
    for (name, args, what) in COMMANDS {
        let usage = format!(":{name} {args}");
        s.push_str(&format!("  {:<28} {what}\n", usage.trim_end()));
    }
    s.push_str(
        "\nMore: :help queries, :help names, :help answers. The full language: \
         grammar/README.md.\n",
    );
    s
}

fn queries(ex: &Examples) -> String {
    let forms = [
        (
            "<kind> <phrase> <name>",
            "things of a kind, related so to the name",
        ),
        (
            "<kind> <phrase> <question>",
            "a chain: a question where the name goes",
        ),
        (
            "<kind> <phrase> A and <phrase> B",
            "several filters on one kind",
        ),
        (
            "A and B, A or B, A except B",
            "set operators; parentheses group",
        ),
        ("path from A to B", "the shortest chain of relations"),
        ("paths from A to B [limit N]", "several"),
        ("describe A, or just A", "everything about A"),
        ("count <question>", "how many"),
    ];
    let mut s = String::from("A question is a kind, then phrases and names:\n");
    for (form, what) in forms {
        s.push_str(&format!("  {form:<34} {what}\n"));
    }
    s.push_str(&format!(
        "For example, on this graph:\n{}`:schema` lists every phrase; `:kinds` every kind.\n",
        examples(ex)
    ));
    s
}

fn names(kg: &KnowledgeGraph, ex: &Examples) -> String {
    // A quoted name is matched exactly; the example entity is already quoted if it must be.
    let quoted = if ex.entity.starts_with('"') {
        ex.entity.clone()
    } else {
        format!("\"{}\"", ex.entity)
    };
    let mut s = format!(
        "Names and aliases are matched in any case, longest first, and plurals of names work \
         too. Quote a name to match it exactly: `describe {quoted}`. A misspelt name gets a \
         did-you-mean."
    );
    if let Some((alias, name)) = an_alias(kg, ex) {
        s.push_str(&format!(
            " An alias works wherever its name does: `describe {alias}` describes {name}."
        ));
    }
    wrap(&s, 90)
}

/// An alias that reads back as a name and only as one (so that `describe ALIAS` works), and
/// the name it stands for: the example entity's if it has one, else the first one found.
fn an_alias(kg: &KnowledgeGraph, ex: &Examples) -> Option<(String, String)> {
    let vocab = kg.vocabulary();
    let usable = |alias: &str| {
        let key = normalize(alias);
        !key.is_empty()
            && alias
                .chars()
                .all(|c| is_word_char(c) || c == ' ' || c == '-')
            && vocab
                .lookup(&key)
                .iter()
                .all(|l| l.class() == Class::Entity)
    };
    let mut entities: Vec<_> = kg.nodes().map(|n| kg.entity(n)).collect();
    // Stable: the example entity first, the rest in graph order.
    entities.sort_by_key(|e| e.name != ex.entity);
    entities.iter().find_map(|e| {
        e.aliases
            .iter()
            .find(|a| usable(a))
            .map(|a| (a.clone(), e.name.clone()))
    })
}

const ANSWERS: &str = "\
Each row shows the main edge that puts it in the answer, with its qualifiers as the source
gives them (hedges, numbers, when it holds). `:explain N` shows every witness for row N with
its source section. A row that applies what is said of a class to a member says `via` the
class; the class's rank is not passed on. Where the source contradicts itself or slips, the
answer ends with a warning or note that sets the claims side by side.
`:why` explains an empty answer; `:sources` lists the sections behind the last one;
`:dot` draws its evidence; `:format json` prints everything as JSON.
";

/// `text` broken into lines of at most `width` characters at spaces, each ending in a
/// newline. A `code span` is never broken, and a longer word or span stays whole.
fn wrap(text: &str, width: usize) -> String {
    // Words, with the words of a code span joined back into one.
    let mut units: Vec<String> = Vec::new();
    let mut open = false;
    for word in text.split_whitespace() {
        match units.last_mut() {
            Some(last) if open => {
                last.push(' ');
                last.push_str(word);
            }
            _ => units.push(word.to_owned()),
        }
        if word.matches('`').count() % 2 == 1 {
            open = !open;
        }
    }
    let mut out = String::new();
    let mut line = String::new();
    for unit in units {
        if !line.is_empty() && line.chars().count() + 1 + unit.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&unit);
    }
    if !line.is_empty() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_long_words_whole() {
        assert_eq!(wrap("a bb ccc", 4), "a bb\nccc\n");
        assert_eq!(wrap("abcdefgh ij", 4), "abcdefgh\nij\n");
        assert_eq!(wrap("  ", 4), "");
        assert_eq!(wrap("a `b c` d", 4), "a\n`b c`\nd\n");
    }
}
