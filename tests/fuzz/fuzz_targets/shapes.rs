//! Fuzz the hostile shapes of a schema and a hierarchy: the bytes choose how long a chain of
//! relation parents and a chain of `is_a` edges are, where loops and back edges go and which
//! queries to ask. Loading, checking and asking must stay within their budgets (no panic, no
//! abort, a bounded report), whatever the shape.
#![no_main]

use bonegraph::load::check_str;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let byte = |i: usize| data.get(i).copied().unwrap_or(0) as usize;
    // Sizes up to a few thousand, so a slow (quadratic or worse) algorithm shows as a timeout.
    let rels = 1 + byte(0) * 4 + byte(1) % 4;
    let chain = 1 + byte(2) * 8 + byte(3) % 8;
    let rel_loop = byte(4) % 3 == 0;
    let back_every = byte(5) % 8; // 0: no back edges
    let cross = byte(6) % 4 == 0;
    let mut text = String::from(
        "(name: \"shapes\", schema: (kinds: [(id: \"k\", singular: \"thing k\", plural: \"things k\")], relations: [\n",
    );
    text.push_str("(id: \"is_a\", from: [\"*\"], to: [\"*\"], hierarchy: true, forward: [\"that are\"], inverse: [\"including\"]),\n");
    for r in 0..rels {
        let parent = if r > 0 {
            format!(", parent: \"r{}\"", r - 1)
        } else if rel_loop && rels > 1 {
            format!(", parent: \"r{}\"", rels - 1)
        } else {
            String::new()
        };
        text.push_str(&format!(
            "(id: \"r{r}\", from: [\"k\"], to: [\"k\"], forward: [\"p{r}\"], inverse: [\"q{r}\"]{parent}),\n"
        ));
    }
    text.push_str("]),\nentities: [\n");
    for i in 0..chain {
        text.push_str(&format!("(id: \"e{i}\", kind: \"k\", name: \"e {i}\"),\n"));
    }
    text.push_str("],\nrelations: [\n");
    for i in 1..chain {
        text.push_str(&format!("(from: \"e{i}\", rel: \"is_a\", to: \"e{}\"),\n", i - 1));
        if back_every > 0 && i % back_every == 0 {
            text.push_str(&format!("(from: \"e0\", rel: \"is_a\", to: \"e{i}\"),\n"));
        }
        if cross && i % 3 == 0 {
            text.push_str(&format!(
                "(from: \"e{i}\", rel: \"r{}\", to: \"e{}\"),\n",
                i % rels,
                (i * 7) % chain
            ));
        }
    }
    text.push_str("])");
    let checked = check_str(&text);
    let report = bonegraph::render::check::CheckReport::new("shapes.ron", &checked);
    let rendered = report.render_text(Some(&text));
    // Reports are bounded: at most MAX_DIAGNOSTICS_PER_CODE per kind, each message cut.
    assert!(rendered.len() < 2_000_000, "report of {} bytes", rendered.len());
    let Some(kg) = checked.graph else { return };
    let last = chain - 1;
    for q in [
        "count things k that are e 0".to_owned(),
        "count things that are e 0".to_owned(),
        "things that are e 0".to_owned(),
        format!("things k p0 e {last}"),
        format!("count things k including e {last}"),
        format!("path from e 0 to e {last}"),
    ] {
        // Refusals (limits) are fine; a panic or an abort is not.
        if let Ok(answer) = kg.query(&q) {
            let _ = answer.to_table(&kg);
        }
    }
});
