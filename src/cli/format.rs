//! How answers are printed: the answer formats the command line and the shell share,
//! and a query error as JSON (in JSON the error is the answer).

use bonegraph::KnowledgeGraph;

/// Output format for answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per answer with name, kind and the main evidence.
    Table,
    /// One JSON object per answer.
    Json,
    /// Names only, one per line.
    Plain,
    /// CSV with a header line (RFC 4180).
    Csv,
    /// A Markdown table.
    Markdown,
    /// One `field: value` a line, records apart by a blank line.
    Line,
}

impl Format {
    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Plain => "plain",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Line => "line",
        }
    }

    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 6] = [
        Format::Table,
        Format::Json,
        Format::Plain,
        Format::Csv,
        Format::Markdown,
        Format::Line,
    ];

    /// Whether the answer itself goes to standard output without notes (how the question
    /// was read, the source's conflicts go to standard error instead): formats for programs.
    pub fn is_data(self) -> bool {
        matches!(self, Format::Plain | Format::Csv)
    }
}

/// A query error as JSON: `{"query", "error": {"kind", "message", "span", "suggestions", "help"}}`.
pub fn error_json(query: &str, e: &bonegraph::QueryError) -> String {
    serde_json::json!({ "query": query, "error": {
        "kind": e.kind,
        "message": e.message,
        "span": [e.span.start, e.span.end],
        "suggestions": e.suggestions,
        "help": e.help,
    }})
    .to_string()
        + "\n"
}

/// The answer to a plain question (or a canonical query), as a user sees it in `format`: in
/// table format, how the question was read comes first (and a comparison is laid out side by
/// side); in plain format only the names (the reading goes to standard error, see
/// [`reading_note`]); in JSON, the reading is a field.
pub fn render_asked(
    kg: &KnowledgeGraph,
    asked: &bonegraph::Asked,
    question: &str,
    format: Format,
) -> String {
    match format {
        Format::Table => {
            let mut out = bonegraph::render::reading(kg, asked);
            match (&asked.answer.body, asked.form()) {
                (bonegraph::Body::Rows(rows), bonegraph::Form::Compare) if !rows.is_empty() => {
                    // In the order the question named them.
                    let read_as = asked.read_as().unwrap_or_default();
                    let mut nodes: Vec<_> = rows.iter().map(|r| r.node).collect();
                    nodes.sort_by_key(|&n| {
                        read_as
                            .find(kg.entity(n).name.as_str())
                            .unwrap_or(usize::MAX)
                    });
                    out.push_str(&bonegraph::render::compare(kg, &nodes));
                }
                _ => out.push_str(&asked.answer.to_table(kg)),
            }
            out
        }
        Format::Plain => asked.answer.to_plain(kg),
        Format::Json => bonegraph::render::asked_json(kg, asked, question).to_string() + "\n",
        Format::Csv => bonegraph::render::csv(kg, &asked.answer),
        Format::Markdown | Format::Line => {
            let mut out = bonegraph::render::reading(kg, asked);
            if format == Format::Markdown {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(&bonegraph::render::markdown(kg, &asked.answer));
            } else {
                out.push_str(&bonegraph::render::lines(kg, &asked.answer));
            }
            // What the table says after its rows: why nothing was found, and where the
            // source disagrees with itself.
            if let Some(why) = asked.answer.why_empty(kg) {
                out.push_str(&format!("\nno results: {why}\n"));
            }
            let conflicts = asked.answer.conflict_text(kg);
            if !conflicts.is_empty() {
                out.push('\n');
                out.push_str(&conflicts);
            }
            out
        }
    }
}

/// How a plain question was read, for standard error when the answer itself is plain names.
pub fn reading_note(kg: &KnowledgeGraph, asked: &bonegraph::Asked) -> Option<String> {
    let text = bonegraph::render::reading(kg, asked);
    (!text.is_empty()).then(|| text.trim_end().to_owned())
}

/// A table answer fitted to a terminal `width` columns wide: a row whose last column (the
/// *because* text) runs past the edge wraps at word boundaries, its continuation lines
/// starting under that column (or, when that leaves fewer than 20 columns, on the lines
/// below the row, indented); warnings and notes wrap at words under their own indent.
pub fn fit_table(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    // The header (`#  name  kind  because`, after how a question was read, if it was) starts
    // the rows; its last word starts the column that wraps.
    let mut column = None;
    let mut in_rows = false;
    for line in text.lines() {
        if column.is_none() && line.starts_with("#  ") {
            column = line.rfind("  ").map(|i| line[..i + 2].chars().count());
            in_rows = true;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let is_row = in_rows
            && line
                .split_whitespace()
                .next()
                .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()));
        match column {
            Some(col) if is_row && line.chars().count() > width && width >= 24 => {
                let head: String = line.chars().take(col).collect();
                let rest: String = line.chars().skip(col).collect();
                // Under its column when 20 columns are left there; else on the lines below
                // the row, indented.
                let at = if width >= col + 20 { col } else { 4 };
                if at == col {
                    out.push_str(&head);
                } else {
                    out.push_str(head.trim_end());
                    out.push('\n');
                    out.push_str(&" ".repeat(at));
                }
                push_wrapped(&mut out, &rest, &" ".repeat(at), width - at);
                out.push('\n');
            }
            _ => {
                in_rows &= is_row;
                // Notes and warnings under the table wrap at words too, keeping their indent.
                let indent = line.len() - line.trim_start().len();
                if line.chars().count() > width && width >= indent + 20 {
                    let pad = &line[..indent];
                    out.push_str(pad);
                    push_wrapped(&mut out, &line[indent..], pad, width - indent);
                } else {
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
    }
    out
}

/// Appends `text` word by word, starting a new line (begun with `pad`) before a word that
/// would take the line past `room` columns; a word longer than `room` stands alone.
fn push_wrapped(out: &mut String, text: &str, pad: &str, room: usize) {
    let mut used = 0;
    for word in text.split(' ') {
        let n = word.chars().count();
        if used > 0 && used + 1 + n > room {
            out.push('\n');
            out.push_str(pad);
            used = 0;
        } else if used > 0 {
            out.push(' ');
            used += 1;
        }
        out.push_str(word);
        used += n;
    }
}

#[cfg(test)]
mod tests {
    use super::fit_table;

    #[test]
    fn the_because_column_wraps_at_words_under_itself() {
        let table = "#  name  because\n1  a     one two three four five six seven eight nine ten eleven twelve\n(1 row)\n";
        let fitted = fit_table(table, 40);
        assert_eq!(
            fitted,
            "#  name  because\n\
             1  a     one two three four five six\n\
             \x20        seven eight nine ten eleven\n\
             \x20        twelve\n\
             (1 row)\n"
        );
        assert!(fitted.lines().all(|l| l.chars().count() <= 40));
        // Wide enough: unchanged.
        assert_eq!(fit_table(table, 200), table);
        // After how a question was read, the table is found all the same.
        let read = format!("read as: something\n{table}");
        assert_eq!(
            fit_table(&read, 40),
            format!("read as: something\n{fitted}")
        );
        // Too narrow for the column: the text goes below the row.
        let narrow = fit_table(table, 26);
        assert!(
            narrow.starts_with("#  name  because\n1  a\n    one two three"),
            "{narrow}"
        );
        assert!(narrow.lines().all(|l| l.chars().count() <= 26), "{narrow}");
    }
}
