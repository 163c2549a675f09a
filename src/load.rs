//! Loading: graph file text -> [`GraphFile`] (serde + ron) -> validated [`KnowledgeGraph`].
//!
//! Validation collects every problem before giving up, each with the line and column of the
//! offending value (found through [`crate::ron_spans`]) and a hint. Lints (warnings) never
//! stop a load; they are kept on the graph and reported by `bonegraph check`.

use crate::diagnostic::{Code, Diagnostic, LoadError, Location, Severity};
use crate::graph::*;
use crate::model::{self, ANY_KIND, Basis, Certainty, GraphFile};
use crate::ron_spans::{self, Node, Step};
use crate::text::{Suggester, did_you_mean, normalize};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// The largest graph file the loader reads, in bytes (1 GiB).
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// A list of known ids for a hint, at most twenty of them named.
fn known(ids: &[&str]) -> String {
    elide_list(ids.len(), 20, ", ", |i| ids[i])
}

/// The most members of a loop a message names; the rest are counted.
const MAX_CHAIN_SHOWN: usize = 12;

/// The most entities, edges, kinds or relation types a graph may hold (ids are 32-bit, kinds
/// and relation types 16-bit).
const MAX_SMALL_TABLE: usize = u16::MAX as usize;

/// Reads a graph file as text, refusing files larger than [`MAX_FILE_BYTES`] or not UTF-8,
/// and anything that is not a regular file (see [`read_graph_file_limited`]).
pub fn read_graph_file(path: &Path) -> Result<String, Diagnostic> {
    read_graph_file_limited(path, MAX_FILE_BYTES)
}

/// Reads a graph file as text, refusing files larger than `limit` bytes or not UTF-8. A path
/// that names a directory, a named pipe, a socket or a device is refused before it is opened:
/// opening a pipe would wait for a writer, and a device such as `/dev/zero` never ends.
pub fn read_graph_file_limited(path: &Path, limit: u64) -> Result<String, Diagnostic> {
    let shown = path.display();
    let cannot = |e: &std::io::Error| {
        Diagnostic::error(Code::Io, format!("cannot read `{shown}`: {}", io_reason(e)))
    };
    let meta = std::fs::metadata(path).map_err(|e| cannot(&e))?;
    not_a_file(path, &meta)?;
    if meta.len() > limit {
        return Err(too_large(path, meta.len(), limit));
    }
    let file = std::fs::File::open(path).map_err(|e| cannot(&e))?;
    // What was opened may not be what was looked at, if the path changed in between.
    not_a_file(path, &file.metadata().map_err(|e| cannot(&e))?)?;
    // Read at most one byte past the limit, in case the file grows after the size check.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, limit + 1), &mut bytes)
        .map_err(|e| cannot(&e))?;
    if bytes.len() as u64 > limit {
        return Err(Diagnostic::error(
            Code::TooLarge,
            format!("`{shown}` grew past {limit} bytes while it was read"),
        ));
    }
    decode_utf8(bytes)
}

fn too_large(path: &Path, len: u64, limit: u64) -> Diagnostic {
    Diagnostic::error(
        Code::TooLarge,
        format!(
            "`{}` is {len} bytes; the largest graph file accepted is {limit} bytes",
            path.display()
        ),
    )
    .hint("split the graph, or check that this is the right file")
}

/// Refuses what is not a regular file, saying what it is.
fn not_a_file(path: &Path, meta: &std::fs::Metadata) -> Result<(), Diagnostic> {
    if meta.is_file() {
        return Ok(());
    }
    let refuse = |what: &str, hint: &str| {
        Err(Diagnostic::error(
            Code::Io,
            format!("cannot read `{}`: it is {what}", path.display()),
        )
        .hint(hint))
    };
    const NOT_A_STREAM: &str = "a graph file is read whole, so it must be a file: save the graph \
         to a file and pass that";
    if meta.is_dir() {
        return refuse(
            "a directory",
            "pass the path of a graph file such as `graph.ron`",
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return refuse("a named pipe (FIFO), not a file", NOT_A_STREAM);
        }
        if kind.is_socket() {
            return refuse("a socket, not a file", NOT_A_STREAM);
        }
        if kind.is_char_device() {
            return refuse("a character device, not a file", NOT_A_STREAM);
        }
        if kind.is_block_device() {
            return refuse("a block device, not a file", NOT_A_STREAM);
        }
    }
    refuse("not a regular file", NOT_A_STREAM)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string().to_lowercase(),
    }
}

/// Turns bytes into text, or an error pointing at the first invalid byte.
pub fn decode_utf8(bytes: Vec<u8>) -> Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let text = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = ron_spans::line_col(&text, text.len());
        Diagnostic::error(
            Code::InvalidUtf8,
            format!(
                "the file is not UTF-8 text (invalid byte 0x{:02x})",
                bytes[valid]
            ),
        )
        .at(Some(Location {
            line,
            column,
            width: 1,
        }))
        .hint("graph files are RON text in UTF-8; is this the right file?")
    })
}

/// Everything `check` learns about a graph file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The graph, if it had no errors.
    pub graph: Option<KnowledgeGraph>,
    /// Every error and warning, errors first, each group in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates graph file text, keeping every diagnostic.
pub fn check_str(text: &str) -> Checked {
    if only_trivia(text) {
        return Checked {
            graph: None,
            diagnostics: vec![Diagnostic::error(Code::Syntax, "the file is empty")
                .at(Some(Location { line: 1, column: 1, width: 1 }))
                .hint("a graph file is one RON struct: `(name: \"...\", schema: (...), entities: [...], relations: [...])`")],
        };
    }
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let file: GraphFile = match options.from_str(text) {
        Ok(file) => file,
        Err(e) => {
            return Checked {
                graph: None,
                diagnostics: vec![syntax_diagnostic(text, &e)],
            };
        }
    };
    check_model_with_text(&file, text)
}

/// Validates a graph built in memory (see [`crate::GraphBuilder`]). Diagnostics carry no
/// positions, since there is no file.
pub fn check_model(file: &GraphFile) -> Checked {
    check_model_with_text(file, "")
}

fn check_model_with_text(file: &GraphFile, text: &str) -> Checked {
    let mut v = Validator {
        text,
        located: std::cell::OnceCell::new(),
        diags: Vec::new(),
        found: HashMap::new(),
    };
    let graph = v.build(file);
    let mut overflow: Vec<((Severity, Code), usize)> = v
        .found
        .iter()
        .filter(|(_, n)| **n > MAX_DIAGNOSTICS_PER_CODE)
        .map(|(k, n)| (*k, n - MAX_DIAGNOSTICS_PER_CODE))
        .collect();
    overflow.sort();
    let mut diagnostics = v.diags;
    diagnostics.sort_by_key(|d| (d.severity, d.location.map(|l| (l.line, l.column))));
    // The counts of what was not listed close each severity's list.
    for ((severity, code), more) in overflow {
        let what = match severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut d = Diagnostic::error(
            code,
            format!(
                "... and {more} more `{}` {what}{} not listed",
                code.as_str(),
                if more == 1 { "" } else { "s" }
            ),
        )
        .hint(format!(
            "a report lists at most {MAX_DIAGNOSTICS_PER_CODE} problems of one kind; fix these and check again"
        ));
        d.severity = severity;
        let at = diagnostics.partition_point(|x| x.severity <= severity);
        diagnostics.insert(at, d);
    }

    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let graph = graph.filter(|_| !has_errors).map(|mut g| {
        g.warnings = diagnostics.clone();
        g
    });
    Checked { graph, diagnostics }
}

/// Parses and validates graph file text into a graph, or every error found.
pub fn load_str(text: &str) -> Result<KnowledgeGraph, LoadError> {
    let checked = check_str(text);
    checked.graph.ok_or(LoadError {
        diagnostics: checked.diagnostics,
    })
}

fn syntax_diagnostic(text: &str, e: &ron::error::SpannedError) -> Diagnostic {
    let start = e.span.start;
    let mut message = e.code.to_string();
    // ron's messages start with a capital and sometimes end with a period.
    if let Some(first) = message.get(..1) {
        message = first.to_lowercase() + &message[1..];
    }
    let message = message.trim_end_matches('.').to_owned();
    let (line, column) = if start.line == 0 {
        ron_spans::line_col(text, text.len())
    } else {
        (start.line, start.col.max(1))
    };
    let at_end = offset_of(text, line, column).is_some_and(|offset| only_trivia(&text[offset..]));
    let hint = match &e.code {
        ron::Error::ExceededRecursionLimit => {
            Some("the file is nested too deeply to be a graph file".to_owned())
        }
        _ if at_end => {
            Some("the file ends early: is it truncated, or is a bracket left open?".to_owned())
        }
        ron::Error::NoSuchStructField { expected, .. } => {
            let found = message.split('`').nth(1).unwrap_or_default().to_owned();
            did_you_mean(&found, expected.iter().copied())
                .or_else(|| Some(format!("expected one of: {}", expected.join(", "))))
        }
        _ => None,
    };
    Diagnostic::error(Code::Syntax, message)
        .at(Some(Location {
            line,
            column,
            width: 1,
        }))
        .maybe_hint(hint)
}

/// The byte offset of a 1-based line and character column, if it is inside `text`.
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[line_start..];
    let within = rest
        .char_indices()
        .nth(column - 1)
        .map_or(rest.len(), |(i, _)| i);
    Some(line_start + within)
}

/// Whether `text` holds nothing but whitespace and comments (and perhaps closing brackets
/// that ron stopped at).
fn only_trivia(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim_start_matches([' ', '\t', '\r', ')', ']', '}', ',']);
        l.is_empty() || l.starts_with("//")
    })
}

struct Validator<'a> {
    text: &'a str,
    /// The span tree and line index of `text`, built only when a position is first needed
    /// (a valid file without warnings never pays for them).
    located: std::cell::OnceCell<Option<(Node<'a>, ron_spans::LineIndex)>>,
    diags: Vec<Diagnostic>,
    /// How many problems of each code and severity were found, kept or not.
    found: HashMap<(Severity, Code), usize>,
}

/// The most problems of one code (and severity) a report keeps; the rest are counted in one
/// closing diagnostic, so that a huge broken file gives a report of bounded size.
pub const MAX_DIAGNOSTICS_PER_CODE: usize = 200;

/// A path into the file, built from field names and list indices.
macro_rules! path {
    ($($seg:expr),* $(,)?) => { &[$(path!(@ $seg)),*] };
    (@ $seg:literal) => { Step::Field($seg) };
    (@ $seg:expr) => { Step::Index($seg) };
}

impl Validator<'_> {
    fn loc(&self, path: &[Step<'_>]) -> Option<Location> {
        let (root, lines) = self
            .located
            .get_or_init(|| {
                ron_spans::parse(self.text).map(|root| (root, ron_spans::LineIndex::new(self.text)))
            })
            .as_ref()?;
        let node = root.get(path)?;
        let (line, column) = lines.line_col(self.text, node.span.start);
        let span_text = self.text.get(node.span.start..node.span.end).unwrap_or("");
        let width = span_text
            .lines()
            .next()
            .map_or(1, |l| l.chars().count().max(1));
        Some(Location {
            line,
            column,
            width,
        })
    }

    /// Whether the report has room for another problem of this code, without counting one.
    fn has_room(&self, severity: Severity, code: Code) -> bool {
        self.found.get(&(severity, code)).copied().unwrap_or(0) < MAX_DIAGNOSTICS_PER_CODE
    }

    /// Counts a problem, and says whether the report still has room for it.
    fn room(&mut self, severity: Severity, code: Code) -> bool {
        let n = self.found.entry((severity, code)).or_default();
        *n += 1;
        *n <= MAX_DIAGNOSTICS_PER_CODE
    }

    fn push(&mut self, d: Diagnostic) {
        if self.room(d.severity, d.code) {
            self.diags.push(d);
        }
    }

    fn error(&mut self, code: Code, path: &[Step<'_>], message: String, hint: Option<String>) {
        if self.room(Severity::Error, code) {
            let loc = self.loc(path);
            self.diags
                .push(Diagnostic::error(code, message).at(loc).maybe_hint(hint));
        }
    }

    /// An error whose hint (a did-you-mean search) is worked out only if the report has room
    /// for it: a file with a million bad references costs two hundred searches, not a million.
    fn error_lazy(
        &mut self,
        code: Code,
        path: &[Step<'_>],
        message: String,
        hint: impl FnOnce() -> Option<String>,
    ) {
        if self.room(Severity::Error, code) {
            let loc = self.loc(path);
            self.diags
                .push(Diagnostic::error(code, message).at(loc).maybe_hint(hint()));
        }
    }

    fn warn(&mut self, code: Code, path: &[Step<'_>], message: String, hint: Option<String>) {
        if self.room(Severity::Warning, code) {
            let loc = self.loc(path);
            self.diags
                .push(Diagnostic::warning(code, message).at(loc).maybe_hint(hint));
        }
    }

    fn empty_check(&mut self, value: &str, path: &[Step<'_>], what: &str) {
        if normalize(value).is_empty() {
            self.error(
                Code::Empty,
                path,
                format!("{what} is empty"),
                Some("give it at least one letter or digit".to_owned()),
            );
        }
    }

    fn build(&mut self, file: &GraphFile) -> Option<KnowledgeGraph> {
        let schema = self.schema(&file.schema);
        let sources = self.sources(&file.sources);
        let conflicts = self.conflicts(&file.conflicts);
        if file.entities.len() > u32::MAX as usize - 1
            || file.relations.len() > u32::MAX as usize - 1
        {
            self.error(
                Code::TooLarge,
                path!["entities"],
                "too many entities or relations".into(),
                None,
            );
            return None;
        }
        let mut source_index: HashMap<&str, (usize, HashMap<&str, usize>)> = HashMap::new();
        for (i, src) in sources.iter().enumerate() {
            source_index.entry(src.id.as_str()).or_insert_with(|| {
                let mut sections = HashMap::new();
                for (j, (id, _)) in src.sections.iter().enumerate() {
                    sections.entry(id.as_str()).or_insert(j);
                }
                (i, sections)
            });
        }
        let mut conflict_index: HashMap<&str, usize> = HashMap::new();
        for (i, c) in conflicts.iter().enumerate() {
            conflict_index.entry(c.id.as_str()).or_insert(i);
        }
        let ctx = Ctx {
            schema: &schema,
            sources: &sources,
            conflicts: &conflicts,
            source_index,
            conflict_index,
        };

        let mut graph: DiGraph<Entity, Edge, u32> =
            DiGraph::with_capacity(file.entities.len(), file.relations.len());
        let mut by_id: HashMap<String, NodeIndex> = HashMap::with_capacity(file.entities.len());
        let mut by_name: HashMap<String, NodeIndex> =
            HashMap::with_capacity(file.entities.len() * 2);
        let mut by_kind = vec![Vec::new(); schema.kinds.len()];
        let kind_ids: Vec<&str> = schema.kinds.iter().map(|k| k.id.as_str()).collect();

        for (i, e) in file.entities.iter().enumerate() {
            self.empty_check(&e.id, path!["entities", i, "id"], "an entity id");
            self.empty_check(
                &e.name,
                path!["entities", i, "name"],
                &format!("the name of entity `{}`", e.id),
            );
            let kind = schema.kind_by_id(&e.kind);
            if kind.is_none() {
                self.error_lazy(
                    Code::UnknownKind,
                    path!["entities", i, "kind"],
                    format!("entity `{}` has unknown kind `{}`", e.id, e.kind),
                    || {
                        did_you_mean(&e.kind, kind_ids.iter().copied())
                            .or_else(|| Some(format!("known kinds: {}", known(&kind_ids))))
                    },
                );
            }
            let provenance = self.provenance(
                &ctx,
                &e.source,
                &e.section,
                path!["entities", i, "source"],
                path!["entities", i, "section"],
            );
            let attributes = e
                .attributes
                .iter()
                .enumerate()
                .filter_map(|(j, a)| self.attribute(&ctx, &e.id, a, i, j))
                .collect();
            let node = graph.add_node(Entity {
                id: e.id.clone(),
                kind: kind.unwrap_or(KindId(0)),
                name: e.name.clone(),
                aliases: e.aliases.clone(),
                summary: e.summary.clone(),
                provenance,
                attributes,
                critical: e.critical,
            });
            if let Some(k) = kind {
                by_kind[usize::from(k.0)].push(node);
            }
            if let Some(&first) = by_id.get(&e.id) {
                let first_line = self
                    .loc(path!["entities", first.index(), "id"])
                    .map(|l| format!(" (first defined on line {})", l.line));
                self.error(
                    Code::DuplicateId,
                    path!["entities", i, "id"],
                    format!(
                        "entity id `{}` is defined twice{}",
                        e.id,
                        first_line.unwrap_or_default()
                    ),
                    Some("rename one of them or merge the two entries".to_owned()),
                );
            } else {
                by_id.insert(e.id.clone(), node);
            }
            let mut own = HashSet::new();
            for (j, name) in std::iter::once(&e.name).chain(&e.aliases).enumerate() {
                let key = normalize(name);
                if key.is_empty() || !own.insert(key.clone()) {
                    if key.is_empty() && j > 0 {
                        self.error(
                            Code::Empty,
                            path!["entities", i, "aliases", j - 1],
                            format!("an alias of `{}` is empty", e.id),
                            None,
                        );
                    }
                    continue;
                }
                match by_name.get(&key) {
                    Some(&other) => {
                        let p: &[Step<'_>] = if j == 0 {
                            path!["entities", i, "name"]
                        } else {
                            path!["entities", i, "aliases", j - 1]
                        };
                        let other_e = &graph[other];
                        // Two spellings that look alike but differ in bytes: most likely one
                        // composed and one decomposed accent (NFC and NFD).
                        let looks_alike = std::iter::once(&other_e.name)
                            .chain(&other_e.aliases)
                            .any(|o| o != name && crate::text::nfc(o) == crate::text::nfc(name));
                        let forms = if looks_alike {
                            "; the two are spelt with different bytes that read the same (for example a composed and a decomposed accent), and names are compared after Unicode normalisation (NFC)"
                        } else {
                            ""
                        };
                        self.error(
                            Code::NameClash,
                            p,
                            format!(
                                "`{name}` names both `{}` and `{}`",
                                other_e.id, e.id
                            ),
                            Some(format!(
                                "a name or alias must pick out one entity; remove it from one of them{}{forms}",
                                self.loc(path!["entities", other.index(), "id"]).map(|l| format!(" (`{}` is on line {})", other_e.id, l.line)).unwrap_or_default()
                            )),
                        );
                    }
                    None => {
                        by_name.insert(key, node);
                    }
                }
            }
        }

        // Indexed once for every dangling id, with one budget for all their suggestions.
        let entity_ids = Suggester::new(file.entities.iter().map(|e| e.id.as_str()));
        let rel_ids: Vec<&str> = schema.relations.iter().map(|r| r.id.as_str()).collect();
        let mut seen_edges: HashMap<(NodeIndex, RelId, NodeIndex, Option<Provenance>), usize> =
            HashMap::new();
        let mut inferred: Vec<InferredEdge> = Vec::new();
        for (i, r) in file.relations.iter().enumerate() {
            let rel = schema.relation_by_id(&r.rel);
            if rel.is_none() {
                self.error_lazy(
                    Code::UnknownRelationType,
                    path!["relations", i, "rel"],
                    format!("unknown relation type `{}`", r.rel),
                    || {
                        did_you_mean(&r.rel, rel_ids.iter().copied())
                            .or_else(|| Some(format!("known relation types: {}", known(&rel_ids))))
                    },
                );
            }
            let from = self.endpoint(&by_id, &entity_ids, &r.from, path!["relations", i, "from"]);
            let to = self.endpoint(&by_id, &entity_ids, &r.to, path!["relations", i, "to"]);
            let provenance = self.provenance(
                &ctx,
                &r.source,
                &r.section,
                path!["relations", i, "source"],
                path!["relations", i, "section"],
            );
            let conflict = self.conflict_ref(&ctx, &r.conflict, path!["relations", i, "conflict"]);
            let (Some(rel), Some(from), Some(to)) = (rel, from, to) else {
                continue;
            };
            let rt = schema.relation(rel);
            let (fk, tk) = (graph[from].kind, graph[to].kind);
            let kinds_known = schema
                .kind_by_id(&file.entities[from.index()].kind)
                .is_some()
                && schema.kind_by_id(&file.entities[to.index()].kind).is_some();
            if kinds_known && (!rt.from.contains(fk) || !rt.to.contains(tk)) {
                let bad_end = if rt.from.contains(fk) { "to" } else { "from" };
                let p: &[Step<'_>] = if bad_end == "from" {
                    path!["relations", i, "from"]
                } else {
                    path!["relations", i, "to"]
                };
                self.error(
                    Code::KindNotAllowed,
                    p,
                    format!(
                        "relation `{}` does not allow `{}` -> `{}` (`{}` is a {}, `{}` is a {})",
                        rt.id,
                        schema.kind(fk).id,
                        schema.kind(tk).id,
                        r.from,
                        schema.kind(fk).id,
                        r.to,
                        schema.kind(tk).id,
                    ),
                    Some(format!(
                        "`{}` goes from {} to {}",
                        rt.id,
                        kind_set_words(&schema, &rt.from),
                        kind_set_words(&schema, &rt.to)
                    )),
                );
            }
            if r.source.is_none() {
                self.warn(
                    Code::Unsourced,
                    path!["relations", i],
                    format!("edge `{} {} {}` has no source", r.from, r.rel, r.to),
                    Some(
                        "add `source:` and `section:` saying where the fact comes from".to_owned(),
                    ),
                );
            }
            let key = (from, rel, to, provenance);
            if let Some(&first) = seen_edges.get(&key) {
                let first_line = self
                    .loc(path!["relations", first])
                    .map(|l| format!(" (also on line {})", l.line));
                self.warn(
                    Code::DuplicateEdge,
                    path!["relations", i],
                    format!(
                        "edge `{} {} {}` is stated twice with the same provenance{}",
                        r.from,
                        r.rel,
                        r.to,
                        first_line.unwrap_or_default()
                    ),
                    Some("remove one, or give each its own section".to_owned()),
                );
            } else {
                seen_edges.insert(key, i);
            }
            let claim = Claim::new(provenance, qualifiers(r), conflict, r.basis, i as u32);
            self.basis_check(&claim, path!["relations", i]);
            if r.basis == Some(Basis::Inferred) {
                // Kept apart: an inference the source does not make never reaches an answer.
                inferred.push(InferredEdge {
                    from,
                    rel,
                    to,
                    claim,
                });
                continue;
            }
            graph.add_edge(from, to, Edge { rel, claim });
        }

        let n = graph.node_count();
        let mut out_items = Vec::with_capacity(graph.edge_count());
        let mut in_items = Vec::with_capacity(graph.edge_count());
        for e in graph.edge_indices() {
            let (a, b) = graph.edge_endpoints(e)?;
            let rel = graph[e].rel;
            out_items.push((
                a,
                Neighbor {
                    rel,
                    node: b,
                    edge: e,
                },
            ));
            in_items.push((
                b,
                Neighbor {
                    rel,
                    node: a,
                    edge: e,
                },
            ));
        }
        let kg = KnowledgeGraph {
            name: file.name.clone(),
            description: file.description.clone(),
            schema,
            sources,
            conflicts,
            graph,
            by_id,
            by_name,
            by_kind,
            out_adj: Adjacency::build(n, out_items),
            in_adj: Adjacency::build(n, in_items),
            inferred,
            warnings: Vec::new(),
            vocab: std::sync::OnceLock::new(),
            name_order: std::sync::OnceLock::new(),
        };
        self.hierarchy_cycles(&kg);
        self.lints(&kg);
        Some(kg)
    }

    fn endpoint(
        &mut self,
        by_id: &HashMap<String, NodeIndex>,
        ids: &Suggester<'_>,
        id: &str,
        path: &[Step<'_>],
    ) -> Option<NodeIndex> {
        let found = by_id.get(id).copied();
        if found.is_none() {
            self.error_lazy(
                Code::DanglingId,
                path,
                format!("no entity has id `{id}`"),
                || ids.did_you_mean(id),
            );
        }
        found
    }

    fn provenance(
        &mut self,
        ctx: &Ctx<'_>,
        source: &Option<String>,
        section: &Option<String>,
        source_path: &[Step<'_>],
        section_path: &[Step<'_>],
    ) -> Option<Provenance> {
        let Some(source_id) = source else {
            if let Some(sec) = section {
                self.error(
                    Code::UnknownSection,
                    section_path,
                    format!("section `{sec}` is given without a source"),
                    Some("add `source:` naming the document the section belongs to".to_owned()),
                );
            }
            return None;
        };
        let Some((s, section_index)) = ctx.source_index.get(source_id.as_str()) else {
            let ids: Vec<&str> = ctx.sources.iter().map(|s| s.id.as_str()).collect();
            self.error_lazy(
                Code::UnknownSource,
                source_path,
                format!("unknown source `{source_id}`"),
                || {
                    did_you_mean(source_id, ids.iter().copied()).or_else(|| {
                        Some(if ids.is_empty() {
                            "declare it under `sources`".to_owned()
                        } else {
                            format!("known sources: {}", known(&ids))
                        })
                    })
                },
            );
            return None;
        };
        let (s, src) = (*s, &ctx.sources[*s]);
        let section = match section {
            None => None,
            Some(sec) => match section_index.get(sec.as_str()).copied() {
                Some(ix) => Some(ix as u16),
                None => {
                    let ids: Vec<&str> = src.sections.iter().map(|(id, _)| id.as_str()).collect();
                    self.error_lazy(
                        Code::UnknownSection,
                        section_path,
                        format!("source `{source_id}` has no section `{sec}`"),
                        || {
                            did_you_mean(sec, ids.iter().copied()).or_else(|| {
                                Some(format!("add it to the sections of `{source_id}`"))
                            })
                        },
                    );
                    None
                }
            },
        };
        Some(Provenance {
            source: SourceId(s as u16),
            section,
        })
    }

    fn conflict_ref(
        &mut self,
        ctx: &Ctx<'_>,
        conflict: &Option<String>,
        path: &[Step<'_>],
    ) -> Option<ConflictId> {
        let id = conflict.as_ref()?;
        match ctx.conflict_index.get(id.as_str()).copied() {
            Some(ix) => Some(ConflictId(ix as u16)),
            None => {
                let ids: Vec<&str> = ctx.conflicts.iter().map(|c| c.id.as_str()).collect();
                self.error_lazy(
                    Code::UnknownConflict,
                    path,
                    format!("unknown conflict `{id}`"),
                    || {
                        did_you_mean(id, ids.iter().copied())
                            .or_else(|| Some("declare it under `conflicts` with a note".to_owned()))
                    },
                );
                None
            }
        }
    }

    fn attribute(
        &mut self,
        ctx: &Ctx<'_>,
        entity: &str,
        a: &model::AttributeValueDef,
        i: usize,
        j: usize,
    ) -> Option<Attribute> {
        let key = ctx.schema.attribute_by_id(&a.key).map(usize::from);
        if key.is_none() {
            let ids: Vec<&str> = ctx
                .schema
                .attributes
                .iter()
                .map(|k| k.id.as_str())
                .collect();
            self.error_lazy(
                Code::UnknownAttribute,
                path!["entities", i, "attributes", j, "key"],
                format!("entity `{entity}` uses unknown attribute `{}`", a.key),
                || {
                    did_you_mean(&a.key, ids.iter().copied())
                        .or_else(|| Some("declare it under `schema.attributes`".to_owned()))
                },
            );
        }
        let provenance = self.provenance(
            ctx,
            &a.source,
            &a.section,
            path!["entities", i, "attributes", j, "source"],
            path!["entities", i, "attributes", j, "section"],
        );
        let conflict = self.conflict_ref(
            ctx,
            &a.conflict,
            path!["entities", i, "attributes", j, "conflict"],
        );
        if a.source.is_none() {
            self.warn(
                Code::Unsourced,
                path!["entities", i, "attributes", j],
                format!("attribute `{}` of `{entity}` has no source", a.key),
                Some("add `source:` and `section:` saying where the fact comes from".to_owned()),
            );
        }
        let attribute = Attribute {
            key: key? as u16,
            value: a.value.clone(),
            claim: Claim::new(
                provenance,
                Qualifiers {
                    certainty: a.certainty,
                    hedge: a.hedge.clone(),
                    context: a.context.clone(),
                    note: a.note.clone(),
                    ..Qualifiers::default()
                },
                conflict,
                a.basis,
                j as u32,
            ),
        };
        self.basis_check(&attribute.claim, path!["entities", i, "attributes", j]);
        Some(attribute)
    }

    /// A claim's audit verdict must agree with its hedge: a hedged claim says how, and a claim
    /// that carries a hedge is not marked as stated plainly.
    fn basis_check(&mut self, claim: &Claim, path: &[Step<'_>]) {
        let q = claim.qualifiers();
        let hedged = q.is_hedged() || q.hedge.is_some();
        let message = match claim.basis {
            Some(Basis::Hedged) if !hedged => {
                "the claim is marked `basis: Hedged` but has no `certainty` or `hedge`".to_owned()
            }
            Some(b @ (Basis::Stated | Basis::Paraphrased)) if hedged => format!(
                "the claim carries the hedge `{}` but is marked `basis: {b:?}`",
                q.hedge.clone().unwrap_or_else(|| format!(
                    "{:?}",
                    q.certainty.unwrap_or(Certainty::Established)
                ))
            ),
            _ => return,
        };
        self.warn(
            Code::BasisMismatch,
            path,
            message,
            Some("a claim the source hedges is `Hedged` and carries the hedge as `certainty` and `hedge`".to_owned()),
        );
    }

    fn schema(&mut self, s: &model::SchemaDef) -> Schema {
        if s.kinds.len() > MAX_SMALL_TABLE
            || s.relations.len() > MAX_SMALL_TABLE
            || s.attributes.len() > MAX_SMALL_TABLE
        {
            self.error(Code::TooLarge, path!["schema"], format!("a schema may have at most {MAX_SMALL_TABLE} kinds, relation types and attributes each"), None);
        }
        let mut kinds: Vec<Kind> = Vec::new();
        let mut words: HashMap<String, (String, usize)> = HashMap::new();
        // Ids seen so far, so that every duplicate check is one look-up (a schema may have
        // tens of thousands of types).
        let mut kind_seen: HashSet<&str> = HashSet::new();
        for (i, k) in s.kinds.iter().enumerate().take(MAX_SMALL_TABLE) {
            self.empty_check(&k.id, path!["schema", "kinds", i, "id"], "a kind id");
            if !kind_seen.insert(&k.id) {
                self.error(
                    Code::DuplicateId,
                    path!["schema", "kinds", i, "id"],
                    format!("kind `{}` is defined twice", k.id),
                    None,
                );
            }
            let all_words = [
                (&k.singular, path!["schema", "kinds", i, "singular"]),
                (&k.plural, path!["schema", "kinds", i, "plural"]),
            ];
            for (word, p) in all_words {
                self.empty_check(word, p, &format!("a word for kind `{}`", k.id));
            }
            let mut own = HashSet::new();
            for (j, word) in [&k.singular, &k.plural]
                .into_iter()
                .chain(&k.synonyms)
                .enumerate()
            {
                let key = normalize(word);
                if key.is_empty() || !own.insert(key.clone()) {
                    continue;
                }
                if let Some((other, _)) = words.get(&key) {
                    let p: &[Step<'_>] = match j {
                        0 => path!["schema", "kinds", i, "singular"],
                        1 => path!["schema", "kinds", i, "plural"],
                        _ => path!["schema", "kinds", i, "synonyms", j - 2],
                    };
                    self.error(
                        Code::PhraseClash,
                        p,
                        format!(
                            "the word `{word}` is claimed by kinds `{other}` and `{}`",
                            k.id
                        ),
                        Some(
                            "a kind word must name one kind; remove it from one of them".to_owned(),
                        ),
                    );
                } else {
                    words.insert(key, (k.id.clone(), i));
                }
            }
            kinds.push(Kind {
                id: k.id.clone(),
                singular: k.singular.clone(),
                plural: k.plural.clone(),
                synonyms: k.synonyms.clone(),
                description: k.description.clone(),
            });
        }
        let kind_ids: Vec<&str> = kinds.iter().map(|k| k.id.as_str()).collect();
        let rel_ids: Vec<&str> = s.relations.iter().map(|r| r.id.as_str()).collect();
        let mut rel_seen: HashSet<&str> = HashSet::new();
        // The first relation type of each id, for parent look-ups.
        let mut rel_first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in rel_ids.iter().enumerate().take(MAX_SMALL_TABLE) {
            rel_first.entry(id).or_insert(i);
        }
        let kind_first: HashMap<&str, usize> = kind_ids
            .iter()
            .enumerate()
            .rev()
            .map(|(i, id)| (*id, i))
            .collect();
        let mut relations: Vec<RelationType> = Vec::new();
        let mut phrases: HashMap<String, String> = HashMap::new();
        let mut hierarchy = None;
        for (i, r) in s.relations.iter().enumerate().take(MAX_SMALL_TABLE) {
            self.empty_check(
                &r.id,
                path!["schema", "relations", i, "id"],
                "a relation type id",
            );
            if !rel_seen.insert(&r.id) {
                self.error(
                    Code::DuplicateId,
                    path!["schema", "relations", i, "id"],
                    format!("relation type `{}` is defined twice", r.id),
                    None,
                );
            }
            let mut ends = [KindSet::Only(Vec::new()), KindSet::Only(Vec::new())];
            for (end, (field, list)) in [("from", &r.from), ("to", &r.to)].into_iter().enumerate() {
                if list.is_empty() {
                    self.error(
                        Code::Empty,
                        &[
                            Step::Field("schema"),
                            Step::Field("relations"),
                            Step::Index(i),
                            Step::Field(field),
                        ],
                        format!("relation type `{}` has an empty `{field}` list", r.id),
                        Some(format!(
                            "list the kinds it accepts, or `\"{ANY_KIND}\"` for any kind"
                        )),
                    );
                }
                let mut set = Vec::new();
                for (j, k) in list.iter().enumerate() {
                    if k == ANY_KIND {
                        ends[end] = KindSet::Any;
                        continue;
                    }
                    match kind_first.get(k.as_str()).copied() {
                        Some(ix) => set.push(KindId(ix as u16)),
                        None => self.error_lazy(
                            Code::UnknownKind,
                            &[
                                Step::Field("schema"),
                                Step::Field("relations"),
                                Step::Index(i),
                                Step::Field(field),
                                Step::Index(j),
                            ],
                            format!("relation type `{}` names unknown kind `{k}`", r.id),
                            || {
                                did_you_mean(k, kind_ids.iter().copied())
                                    .or_else(|| Some(format!("known kinds: {}", known(&kind_ids))))
                            },
                        ),
                    }
                }
                if ends[end] != KindSet::Any {
                    ends[end] = KindSet::Only(set);
                }
            }
            let mut own = HashSet::new();
            for (field, list) in [("forward", &r.forward), ("inverse", &r.inverse)] {
                for (j, phrase) in list.iter().enumerate() {
                    let at = [
                        Step::Field("schema"),
                        Step::Field("relations"),
                        Step::Index(i),
                        Step::Field(field),
                        Step::Index(j),
                    ];
                    let key = normalize(phrase);
                    if key.is_empty() {
                        self.error(
                            Code::Empty,
                            &at,
                            format!("a phrase of relation type `{}` is empty", r.id),
                            None,
                        );
                        continue;
                    }
                    if !own.insert(key.clone()) {
                        self.error(
                            Code::PhraseClash,
                            &at,
                            format!("relation type `{}` lists the phrase `{phrase}` twice", r.id),
                            Some(
                                "a phrase must say one direction of one relation; keep one"
                                    .to_owned(),
                            ),
                        );
                        continue;
                    }
                    if let Some(other) = phrases.get(&key) {
                        self.error(
                            Code::PhraseClash,
                            &at,
                            format!("the phrase `{phrase}` is claimed by relation types `{other}` and `{}`", r.id),
                            Some("a phrase must name one relation; remove it from one of them".to_owned()),
                        );
                    } else {
                        phrases.insert(key, r.id.clone());
                    }
                }
            }
            if r.hierarchy {
                match hierarchy {
                    None => hierarchy = Some(RelId(i as u16)),
                    Some(RelId(first)) => self.error(
                        Code::DuplicateId,
                        path!["schema", "relations", i, "hierarchy"],
                        format!(
                            "relation types `{}` and `{}` are both marked `hierarchy`",
                            rel_ids[usize::from(first)],
                            r.id
                        ),
                        Some("only one relation type can be the `is_a` hierarchy".to_owned()),
                    ),
                }
            }
            let parent = r.parent.as_ref().and_then(|p| {
                let found = rel_first.get(p.as_str()).copied();
                if found.is_none() {
                    self.error_lazy(
                        Code::UnknownRelationType,
                        path!["schema", "relations", i, "parent"],
                        format!("relation type `{}` has unknown parent `{p}`", r.id),
                        || did_you_mean(p, rel_ids.iter().copied()),
                    );
                }
                found.map(|ix| RelId(ix as u16))
            });
            let [from, to] = ends;
            relations.push(RelationType {
                id: r.id.clone(),
                from,
                to,
                forward: r.forward.clone(),
                inverse: r.inverse.clone(),
                parent,
                hierarchy: r.hierarchy,
                single_valued: r.single_valued,
                description: r.description.clone(),
                critical: r.critical,
            });
        }
        // Relation parents must not loop, or widening a relation would never end. Each type
        // has at most one parent, so one walk per unvisited type finds every loop in linear
        // time; a loop is reported once, from its lowest member.
        let mut state = vec![0u8; relations.len()]; // 0 new, 1 on the current walk, 2 done
        let mut walk_at = vec![u32::MAX; relations.len()];
        for start in 0..relations.len() {
            let mut walk: Vec<usize> = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at {
                match state[i] {
                    2 => break,
                    1 => {
                        let members = &walk[walk_at[i] as usize..];
                        let lowest = members
                            .iter()
                            .position(|&m| m == *members.iter().min().unwrap_or(&i))
                            .unwrap_or(0);
                        let ordered: Vec<usize> = members[lowest..]
                            .iter()
                            .chain(&members[..lowest])
                            .copied()
                            .collect();
                        let first = ordered[0];
                        let names = elide_list(ordered.len(), MAX_CHAIN_SHOWN, " -> ", |k| {
                            relations[ordered[k]].id.as_str()
                        });
                        self.error(
                            Code::Cycle,
                            path!["schema", "relations", first, "parent"],
                            format!(
                                "relation parents form a loop: {names} -> {}",
                                relations[first].id
                            ),
                            Some(
                                "a relation type cannot be a kind of itself; remove one `parent`"
                                    .to_owned(),
                            ),
                        );
                        break;
                    }
                    _ => {
                        state[i] = 1;
                        walk_at[i] = walk.len() as u32;
                        walk.push(i);
                        at = relations[i].parent.map(|RelId(p)| usize::from(p));
                    }
                }
            }
            for i in walk {
                state[i] = 2;
            }
        }
        let mut attributes: Vec<AttributeKey> = Vec::new();
        let mut attribute_seen: HashSet<&str> = HashSet::new();
        for (i, a) in s.attributes.iter().enumerate().take(MAX_SMALL_TABLE) {
            if !attribute_seen.insert(&a.id) {
                self.error(
                    Code::DuplicateId,
                    path!["schema", "attributes", i, "id"],
                    format!("attribute `{}` is defined twice", a.id),
                    None,
                );
            }
            attributes.push(AttributeKey {
                id: a.id.clone(),
                label: a.label.clone(),
                single_valued: a.single_valued,
                description: a.description.clone(),
            });
        }
        let mut schema = Schema {
            kinds,
            relations,
            attributes,
            hierarchy,
            preorder: Vec::new(),
            subtree: Vec::new(),
            index: Default::default(),
        };
        schema.index_parents();
        schema.index_ids();
        schema
    }

    fn sources(&mut self, list: &[model::SourceDef]) -> Vec<Source> {
        let mut out: Vec<Source> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, s) in list.iter().enumerate().take(MAX_SMALL_TABLE) {
            if !seen.insert(&s.id) {
                self.error(
                    Code::DuplicateId,
                    path!["sources", i, "id"],
                    format!("source `{}` is defined twice", s.id),
                    None,
                );
            }
            let mut sections: Vec<(String, String)> = Vec::new();
            let mut section_seen: HashSet<&str> = HashSet::new();
            for (j, sec) in s.sections.iter().enumerate().take(MAX_SMALL_TABLE) {
                if !section_seen.insert(&sec.id) {
                    self.error(
                        Code::DuplicateId,
                        path!["sources", i, "sections", j, "id"],
                        format!("source `{}` has section `{}` twice", s.id, sec.id),
                        None,
                    );
                }
                sections.push((sec.id.clone(), sec.title.clone()));
            }
            out.push(Source {
                id: s.id.clone(),
                title: s.title.clone(),
                location: s.location.clone(),
                sections,
                note: s.note.clone(),
            });
        }
        out
    }

    fn conflicts(&mut self, list: &[model::ConflictDef]) -> Vec<Conflict> {
        let mut out: Vec<Conflict> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, c) in list.iter().enumerate().take(MAX_SMALL_TABLE) {
            if !seen.insert(&c.id) {
                self.error(
                    Code::DuplicateId,
                    path!["conflicts", i, "id"],
                    format!("conflict `{}` is defined twice", c.id),
                    None,
                );
            }
            out.push(Conflict {
                id: c.id.clone(),
                kind: c.kind,
                note: c.note.clone(),
            });
        }
        out
    }

    /// `is_a` must be acyclic: members inherit from classes, and a loop would never end.
    fn hierarchy_cycles(&mut self, kg: &KnowledgeGraph) {
        let Some(is_a) = kg.schema.hierarchy else {
            return;
        };
        // Iterative three-colour DFS over is_a edges only; a node's place on the stack is
        // kept, so a loop is found and named in time linear in the hierarchy.
        let n = kg.graph.node_count();
        let mut colour = vec![0u8; n]; // 0 new, 1 on stack, 2 done
        let mut stack_at = vec![u32::MAX; n];
        for start in kg.graph.node_indices() {
            if colour[start.index()] != 0 {
                continue;
            }
            let mut stack: Vec<(NodeIndex, usize)> = vec![(start, 0)];
            colour[start.index()] = 1;
            stack_at[start.index()] = 0;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let nbs = kg.neighbors(node, is_a, Direction::Forward);
                if let Some(nb) = nbs.get(*next) {
                    *next += 1;
                    match colour[nb.node.index()] {
                        0 => {
                            colour[nb.node.index()] = 1;
                            stack_at[nb.node.index()] = stack.len() as u32;
                            stack.push((nb.node, 0));
                        }
                        1 => {
                            if !self.has_room(Severity::Error, Code::Cycle) {
                                // Counted for the closing summary, not spelt out.
                                *self
                                    .found
                                    .entry((Severity::Error, Code::Cycle))
                                    .or_default() += 1;
                                continue;
                            }
                            let from = stack_at[nb.node.index()] as usize;
                            let members = &stack[from..];
                            let chain = elide_list(members.len(), MAX_CHAIN_SHOWN, " -> ", |k| {
                                kg.graph[members[k].0].id.as_str()
                            });
                            let loc = self.loc(path![
                                "relations",
                                kg.graph[nb.edge].claim.file_index as usize
                            ]);
                            self.push(
                                Diagnostic::error(
                                    Code::Cycle,
                                    format!(
                                        "`{}` edges form a loop: {chain} -> {}",
                                        kg.schema.relation(is_a).id,
                                        kg.graph[nb.node].id
                                    ),
                                )
                                .at(loc)
                                .hint("a class cannot be a member of itself; remove one of these edges"),
                            );
                        }
                        _ => {}
                    }
                } else {
                    colour[node.index()] = 2;
                    stack.pop();
                }
            }
        }
    }

    fn lints(&mut self, kg: &KnowledgeGraph) {
        for f in crate::inheritance::lints(kg) {
            self.warn(
                f.code,
                path!["relations", f.relation_index as usize],
                f.message,
                Some(f.hint),
            );
        }
        // Entities with no edges at all.
        for node in kg.graph.node_indices() {
            if kg.out_adj.all(node).is_empty() && kg.in_adj.all(node).is_empty() {
                let e = &kg.graph[node];
                self.push(
                    Diagnostic::warning(Code::Isolated, format!("entity `{}` has no edges", e.id))
                        .at(self.loc(path!["entities", node.index(), "id"]))
                        .hint("connect it to the rest of the graph or remove it"),
                );
            }
        }
        // Single-valued relations with differing targets.
        for node in kg.graph.node_indices() {
            for (r, rt) in kg.schema.relations.iter().enumerate() {
                if !rt.single_valued {
                    continue;
                }
                let nbs = kg.neighbors(node, RelId(r as u16), Direction::Forward);
                let distinct: BTreeMap<NodeIndex, _> =
                    nbs.iter().map(|nb| (nb.node, nb.edge)).collect();
                if distinct.len() > 1
                    && nbs
                        .iter()
                        .any(|nb| kg.graph[nb.edge].claim.conflict.is_none())
                {
                    let names: Vec<String> = distinct
                        .keys()
                        .map(|n| format!("`{}`", kg.graph[*n].id))
                        .collect();
                    let loc = self.loc(path![
                        "relations",
                        kg.graph[nbs[0].edge].claim.file_index as usize
                    ]);
                    self.push(
                        Diagnostic::warning(
                            Code::UnmarkedConflict,
                            format!("`{}` has several `{}` values ({}) not marked as a conflict", kg.graph[node].id, rt.id, names.join(", ")),
                        )
                        .at(loc)
                        .hint("if the source really says both, add a `conflicts` entry and tag each claim with `conflict:`"),
                    );
                }
            }
        }
        // Single-valued attributes with differing values.
        for node in kg.graph.node_indices() {
            let e = &kg.graph[node];
            for (k, key) in kg.schema.attributes.iter().enumerate() {
                if !key.single_valued {
                    continue;
                }
                let values: Vec<&Attribute> = e
                    .attributes
                    .iter()
                    .filter(|a| usize::from(a.key) == k)
                    .collect();
                let distinct: HashSet<&str> = values.iter().map(|a| a.value.as_str()).collect();
                if distinct.len() > 1 && values.iter().any(|a| a.claim.conflict.is_none()) {
                    self.push(
                        Diagnostic::warning(
                            Code::UnmarkedConflict,
                            format!("`{}` has several `{}` values not marked as a conflict", e.id, key.id),
                        )
                        .at(self.loc(path!["entities", node.index(), "attributes", values[0].claim.file_index as usize]))
                        .hint("if the source really says both, add a `conflicts` entry and tag each claim with `conflict:`"),
                    );
                }
            }
        }
        // Marked conflicts: report each with its claims; a conflict needs at least two.
        for (c, conflict) in kg.conflicts.iter().enumerate() {
            let claims = conflict_claims(kg, ConflictId(c as u16));
            let path = path!["conflicts", c, "id"];
            let needed = if conflict.kind.needs_two_claims() {
                2
            } else {
                1
            };
            if claims.len() < needed {
                self.warn(
                    Code::IncompleteConflict,
                    path,
                    format!(
                        "conflict `{}` ({}) has {} claim{}; it needs at least {}",
                        conflict.id,
                        conflict.kind.as_str(),
                        claims.len(),
                        if claims.len() == 1 { "" } else { "s" },
                        if needed == 1 { "one" } else { "two" }
                    ),
                    Some(
                        "tag every claim involved with `conflict:`, or remove the entry".to_owned(),
                    ),
                );
            } else {
                let listed: Vec<String> = claims.iter().map(|c| c.describe(kg)).collect();
                self.warn(
                    Code::Conflict,
                    path,
                    format!(
                        "conflict `{}` ({}): {}",
                        conflict.id,
                        conflict.kind.as_str(),
                        listed.join("; ")
                    ),
                    Some(conflict.note.clone()),
                );
            }
        }
    }
}

/// Names the kinds of a [`KindSet`] for a message: `` `therapy` or `test` ``.
fn kind_set_words(schema: &Schema, set: &KindSet) -> String {
    match set {
        KindSet::Any => "any kind".to_owned(),
        KindSet::Only(kinds) => {
            let words: Vec<String> = kinds
                .iter()
                .map(|k| format!("`{}`", schema.kind(*k).id))
                .collect();
            words.join(" or ")
        }
    }
}

struct Ctx<'a> {
    schema: &'a Schema,
    sources: &'a [Source],
    conflicts: &'a [Conflict],
    /// Each source's index and its sections' indices, by id (the first of each id).
    source_index: HashMap<&'a str, (usize, HashMap<&'a str, usize>)>,
    /// Each conflict's index, by id.
    conflict_index: HashMap<&'a str, usize>,
}

fn qualifiers(r: &model::EdgeDef) -> Qualifiers {
    Qualifiers {
        certainty: r.certainty,
        hedge: r.hedge.clone(),
        frequency: r.frequency.clone(),
        rank: r.rank.clone(),
        quantity: r.quantity.clone(),
        timing: r.timing.clone(),
        context: r.context.clone(),
        note: r.note.clone(),
    }
}

/// One claim that takes part in a conflict: an edge or an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictClaim {
    /// An edge.
    Edge(petgraph::graph::EdgeIndex),
    /// Attribute number `1` of entity `0`.
    Attribute(NodeIndex, usize),
    /// An inferred edge, by its index in [`KnowledgeGraph::inferred`].
    Inferred(usize),
}

impl ConflictClaim {
    /// The claim's provenance and qualifiers.
    pub fn claim<'a>(&self, kg: &'a KnowledgeGraph) -> &'a Claim {
        match *self {
            ConflictClaim::Edge(e) => &kg.graph[e].claim,
            ConflictClaim::Attribute(n, i) => &kg.graph[n].attributes[i].claim,
            ConflictClaim::Inferred(i) => &kg.inferred[i].claim,
        }
    }

    /// A one-line description: `` `denosumab` is_a `antibody` (article, denosumab) ``.
    pub fn describe(&self, kg: &KnowledgeGraph) -> String {
        let what = match *self {
            ConflictClaim::Edge(e) => {
                let (a, edge, b) = kg.edge(e);
                format!(
                    "`{}` {} `{}`",
                    kg.graph[a].id,
                    kg.schema.relation(edge.rel).id,
                    kg.graph[b].id
                )
            }
            ConflictClaim::Inferred(i) => {
                let edge = &kg.inferred[i];
                format!(
                    "`{}` {} `{}` (inferred)",
                    kg.graph[edge.from].id,
                    kg.schema.relation(edge.rel).id,
                    kg.graph[edge.to].id
                )
            }
            ConflictClaim::Attribute(n, i) => {
                let attr = &kg.graph[n].attributes[i];
                format!(
                    "`{}` {} = `{}`",
                    kg.graph[n].id,
                    kg.schema.attributes[usize::from(attr.key)].id,
                    attr.value
                )
            }
        };
        let claim = self.claim(kg);
        let place = claim.provenance.map(|p| {
            let (src, section) = kg.describe_provenance(&p);
            match section {
                Some(sec) => format!(" ({}, {sec})", src.id),
                None => format!(" ({})", src.id),
            }
        });
        format!("{what}{}", place.unwrap_or_default())
    }
}

/// Every claim tagged with `conflict`, edges first, in file order.
pub fn conflict_claims(kg: &KnowledgeGraph, conflict: ConflictId) -> Vec<ConflictClaim> {
    let mut out: Vec<ConflictClaim> = kg
        .graph
        .edge_indices()
        .filter(|&e| kg.graph[e].claim.conflict == Some(conflict))
        .map(ConflictClaim::Edge)
        .collect();
    out.extend(
        kg.inferred
            .iter()
            .enumerate()
            .filter(|(_, e)| e.claim.conflict == Some(conflict))
            .map(|(i, _)| ConflictClaim::Inferred(i)),
    );
    for n in kg.graph.node_indices() {
        for (i, a) in kg.graph[n].attributes.iter().enumerate() {
            if a.claim.conflict == Some(conflict) {
                out.push(ConflictClaim::Attribute(n, i));
            }
        }
    }
    out
}

/// The `len` items that `item` names, joined with `sep`; when there are more than `max`, only
/// the first `max - 1` and the last are named, with a count of the rest between them:
/// `a -> b -> ... (97 more) ... -> z`. Only the named items are looked up.
fn elide_list<'a>(len: usize, max: usize, sep: &str, item: impl Fn(usize) -> &'a str) -> String {
    let max = max.max(2);
    if len <= max {
        return (0..len).map(&item).collect::<Vec<_>>().join(sep);
    }
    let head: Vec<&str> = (0..max - 1).map(&item).collect();
    format!(
        "{}{sep}... ({} more) ...{sep}{}",
        head.join(sep),
        len - max,
        item(len - 1)
    )
}
