//! The compiled snapshot: a loaded, validated and indexed [`KnowledgeGraph`] written as one
//! checked binary file (`bonegraph compile graph.ron -o graph.bgs`), so that loading it again
//! does no RON parse and no validation: it checks a header and a checksum and deserializes.
//!
//! Layout (all integers little-endian; `docs/graph-format.md` has the reference):
//!
//! | offset | bytes | field |
//! |---|---|---|
//! | 0 | 8 | magic [`MAGIC`] (`\x89BGS\r\n\x1a\n`: not UTF-8, so never mistaken for RON) |
//! | 8 | 4 | format version ([`FORMAT_VERSION`]) |
//! | 12 | 4 | flags (bit 0: a source fingerprint is recorded) |
//! | 16 | 16 | version of the bonegraph crate that wrote it, NUL-padded ([`CRATE_VERSION`]) |
//! | 32 | 8 | length of the graph file it was compiled from |
//! | 40 | 8 | XXH3-64 hash of that file |
//! | 48 | 8 | payload length |
//! | 56 | 8 | XXH3-64 checksum of the payload |
//! | 64 | 8 | XXH3-64 checksum of bytes 0..64 (the header itself) |
//! | 72 | ... | payload: the store, in postcard, a compact binary serde format |
//!
//! The magic and the format version sit at fixed offsets in every format version, so that a
//! file of another version is named as such. Every other byte is covered by a checksum, so a
//! damaged file is refused, never half-trusted. The checksums guard against damage, not
//! against malice: a file forged with valid checksums still goes through a bounds check of
//! every index it holds, so the worst it can do is give odd answers; it cannot
//! make the engine panic or read out of bounds.
//!
//! What the payload keeps: the schema, sources, conflicts, the petgraph graph (entities and
//! edges with their claims), the typed adjacency, inferred edges, the
//! warnings of the original load (with their positions, so `check`-like output stays the same)
//! and the name order. What it rebuilds: the schema's id look-ups and relation-type pre-order
//! (small, derived), the id index (a table of entity numbers hashed through the entities' own
//! ids), and the query vocabulary (which holds the name index) and question lexicon (lazily,
//! on first query or name look-up, as after any load).

use super::index::IdIndex;
use super::*;
use crate::diagnostic::{Code, Diagnostic, LoadError, Location, Severity};
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

/// The first eight bytes of every snapshot. The first byte is not valid UTF-8 at the start of
/// a text, so no graph file (RON text) starts this way.
pub const MAGIC: [u8; 8] = *b"\x89BGS\r\n\x1a\n";

/// The layout version this build writes and reads. Bumped on any change to the header or to
/// the payload's types that the crate version does not already capture.
pub const FORMAT_VERSION: u32 = 2;

/// The version of this crate, recorded in every snapshot it writes; a snapshot written by
/// another version is refused (the store's layout may differ), and must be recompiled.
pub const CRATE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The length of the fixed header in bytes; the payload starts here.
pub const HEADER_LEN: usize = 72;

/// The largest snapshot file [`KnowledgeGraph::from_path`] reads, in bytes (4 GiB).
pub const MAX_SNAPSHOT_BYTES: u64 = 4 << 30;

const FLAG_SOURCE: u32 = 1;

/// The length and XXH3-64 hash of the graph file a snapshot was compiled from, so that a cache
/// can tell whether a snapshot still matches its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceFingerprint {
    /// Length of the source file in bytes.
    pub len: u64,
    /// XXH3-64 hash of the source file's bytes.
    pub hash: u64,
}

impl SourceFingerprint {
    /// The fingerprint of a source file's bytes.
    ///
    /// ```
    /// use bonegraph::snapshot::SourceFingerprint;
    /// let a = SourceFingerprint::of(b"(name: \"x\")");
    /// assert_eq!(a.len, 11);
    /// assert_ne!(a, SourceFingerprint::of(b"(name: \"y\")"));
    /// ```
    pub fn of(bytes: &[u8]) -> Self {
        SourceFingerprint {
            len: bytes.len() as u64,
            hash: xxh3_64(bytes),
        }
    }
}

/// What a snapshot's header says, once it has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The layout version ([`FORMAT_VERSION`] for any header [`read_header`] accepts).
    pub format_version: u32,
    /// The version of bonegraph that wrote it.
    pub crate_version: String,
    /// The graph file it was compiled from, if recorded.
    pub source: Option<SourceFingerprint>,
    /// Length of the payload in bytes.
    pub payload_len: u64,
    /// XXH3-64 checksum of the payload.
    pub payload_hash: u64,
}

/// Whether `bytes` are (or begin like) a snapshot rather than graph file text: they start
/// with [`MAGIC`], or are a non-empty beginning of it (a snapshot cut short).
///
/// ```
/// use bonegraph::snapshot::{looks_like_snapshot, MAGIC};
/// assert!(looks_like_snapshot(&MAGIC[..3]));
/// assert!(!looks_like_snapshot(b"(name: \"x\")"));
/// assert!(!looks_like_snapshot(b""));
/// ```
pub fn looks_like_snapshot(bytes: &[u8]) -> bool {
    !bytes.is_empty() && (bytes.starts_with(&MAGIC) || MAGIC.starts_with(bytes))
}

/// A refusal: one error diagnostic with code [`Code::Snapshot`].
fn refuse(message: impl Into<String>, hint: &str) -> LoadError {
    LoadError {
        diagnostics: vec![Diagnostic::error(Code::Snapshot, message).hint(hint)],
    }
}

const RECOMPILE: &str = "compile the graph file again with `bonegraph compile FILE -o SNAPSHOT` \
     (or `KnowledgeGraph::to_snapshot`)";

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    let mut b = [0u8; 4];
    b.copy_from_slice(&bytes[at..at + 4]);
    u32::from_le_bytes(b)
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

fn truncated(len: usize, wanted: u64) -> LoadError {
    refuse(
        format!("the snapshot is truncated: it has {len} bytes of the {wanted} it needs"),
        RECOMPILE,
    )
}

/// Checks a snapshot's header (magic, format version, header checksum, crate version) and that
/// the file holds exactly the payload the header announces. The payload itself is not read.
///
/// ```
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let bytes = kg.to_snapshot_of(bonegraph::EMBEDDED_GRAPH.as_bytes());
/// let header = bonegraph::snapshot::read_header(&bytes)?;
/// assert_eq!(header.crate_version, bonegraph::snapshot::CRATE_VERSION);
/// assert_eq!(header.source.unwrap().len, bonegraph::EMBEDDED_GRAPH.len() as u64);
/// # Ok::<(), bonegraph::LoadError>(())
/// ```
///
/// # Errors
/// A [`Code::Snapshot`] error saying what is wrong: the file is empty, not a snapshot,
/// truncated, damaged, or written by another format or crate version.
pub fn read_header(bytes: &[u8]) -> Result<Header, LoadError> {
    if bytes.is_empty() {
        return Err(refuse(
            "the file is empty, not a snapshot",
            "compile a graph file into a snapshot with `bonegraph compile FILE -o SNAPSHOT`",
        ));
    }
    if !bytes.starts_with(&MAGIC) {
        if MAGIC.starts_with(bytes) {
            return Err(truncated(bytes.len(), HEADER_LEN as u64));
        }
        return Err(refuse(
            "not a bonegraph snapshot: it does not start with the snapshot's magic bytes",
            "pass a graph file (graph.ron) or a snapshot written by `bonegraph compile`",
        ));
    }
    if bytes.len() < 12 {
        return Err(truncated(bytes.len(), HEADER_LEN as u64));
    }
    let format_version = u32_at(bytes, 8);
    if format_version != FORMAT_VERSION {
        return Err(refuse(
            format!(
                "the snapshot is in format version {format_version}; this bonegraph \
                 ({CRATE_VERSION}) reads format version {FORMAT_VERSION}"
            ),
            RECOMPILE,
        ));
    }
    if bytes.len() < HEADER_LEN {
        return Err(truncated(bytes.len(), HEADER_LEN as u64));
    }
    if xxh3_64(&bytes[..64]) != u64_at(bytes, 64) {
        return Err(refuse(
            "the snapshot is damaged: its header does not match its checksum",
            RECOMPILE,
        ));
    }
    let version_field = &bytes[16..32];
    let end = version_field.iter().position(|&b| b == 0).unwrap_or(16);
    let crate_version = String::from_utf8_lossy(&version_field[..end]).into_owned();
    if crate_version != CRATE_VERSION {
        return Err(refuse(
            format!(
                "the snapshot was compiled by bonegraph {}; this is bonegraph {CRATE_VERSION}",
                crate::text::escape_control(&crate_version)
            ),
            RECOMPILE,
        ));
    }
    let flags = u32_at(bytes, 12);
    let source = (flags & FLAG_SOURCE != 0).then(|| SourceFingerprint {
        len: u64_at(bytes, 32),
        hash: u64_at(bytes, 40),
    });
    let payload_len = u64_at(bytes, 48);
    let payload_hash = u64_at(bytes, 56);
    let have = (bytes.len() - HEADER_LEN) as u64;
    if have < payload_len {
        return Err(truncated(
            bytes.len(),
            payload_len.saturating_add(HEADER_LEN as u64),
        ));
    }
    if have > payload_len {
        return Err(refuse(
            format!(
                "the snapshot is damaged: {} bytes follow the {payload_len}-byte payload its \
                 header announces",
                have - payload_len
            ),
            RECOMPILE,
        ));
    }
    Ok(Header {
        format_version,
        crate_version,
        source,
        payload_len,
        payload_hash,
    })
}

/// Puts the header in front of a payload. Public (hidden) for the fuzz target, which checks
/// that a payload with valid checksums but arbitrary content is refused, never trusted.
#[doc(hidden)]
pub fn seal(payload: &[u8], source: Option<SourceFingerprint>) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let flags = if source.is_some() { FLAG_SOURCE } else { 0 };
    out.extend_from_slice(&flags.to_le_bytes());
    let mut version = [0u8; 16];
    let v = CRATE_VERSION.as_bytes();
    version[..v.len().min(16)].copy_from_slice(&v[..v.len().min(16)]);
    out.extend_from_slice(&version);
    let fp = source.unwrap_or(SourceFingerprint { len: 0, hash: 0 });
    out.extend_from_slice(&fp.len.to_le_bytes());
    out.extend_from_slice(&fp.hash.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&xxh3_64(payload).to_le_bytes());
    let header_hash = xxh3_64(&out[..64]);
    out.extend_from_slice(&header_hash.to_le_bytes());
    out.extend_from_slice(payload);
    out
}

/// Loads and validates graph file text and compiles it into a snapshot that records the
/// text's [`SourceFingerprint`].
///
/// ```
/// let bytes = bonegraph::snapshot::compile(bonegraph::EMBEDDED_GRAPH)?;
/// let kg = bonegraph::KnowledgeGraph::from_snapshot(&bytes)?;
/// assert_eq!(kg.entity_count(), bonegraph::KnowledgeGraph::embedded().entity_count());
/// # Ok::<(), bonegraph::LoadError>(())
/// ```
///
/// # Errors
/// The [`LoadError`] of the text, if it does not load.
pub fn compile(text: &str) -> Result<Vec<u8>, LoadError> {
    let kg = crate::load::load_str(text)?;
    Ok(kg.to_snapshot_of(text.as_bytes()))
}

/// A warning of the original load, as stored (the diagnostic's own serde form flattens its
/// location, which a compact format cannot read back, and drops its width).
#[derive(Serialize, Deserialize)]
struct StoredDiagnostic {
    severity: Severity,
    code: Code,
    message: String,
    location: Option<(usize, usize, usize)>,
    hint: Option<String>,
}

impl From<&Diagnostic> for StoredDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        StoredDiagnostic {
            severity: d.severity,
            code: d.code,
            message: d.message.clone(),
            location: d.location.map(|l| (l.line, l.column, l.width)),
            hint: d.hint.clone(),
        }
    }
}

impl From<StoredDiagnostic> for Diagnostic {
    fn from(d: StoredDiagnostic) -> Self {
        let mut out = Diagnostic::error(d.code, d.message)
            .at(d.location.map(|(line, column, width)| Location {
                line,
                column,
                width,
            }))
            .maybe_hint(d.hint);
        out.severity = d.severity;
        out
    }
}

/// The payload as written: borrowed from the graph. Its fields are in the same order, with
/// the same types, as [`Store`]'s.
#[derive(Serialize)]
struct StoreOut<'a> {
    name: &'a str,
    description: Option<&'a str>,
    schema: &'a Schema,
    sources: &'a [Source],
    conflicts: &'a [Conflict],
    graph: &'a DiGraph<Entity, Edge, u32>,
    by_kind: &'a [Vec<NodeIndex>],
    out_adj: &'a Adjacency,
    in_adj: &'a Adjacency,
    inferred: &'a [InferredEdge],
    warnings: Vec<StoredDiagnostic>,
    name_order: &'a [u32],
}

/// The payload as read.
#[derive(Deserialize)]
struct Store {
    name: String,
    description: Option<String>,
    schema: Schema,
    sources: Vec<Source>,
    conflicts: Vec<Conflict>,
    graph: DiGraph<Entity, Edge, u32>,
    by_kind: Vec<Vec<NodeIndex>>,
    out_adj: Adjacency,
    in_adj: Adjacency,
    inferred: Vec<InferredEdge>,
    warnings: Vec<StoredDiagnostic>,
    name_order: Vec<u32>,
}

/// One part of the payload, which must be read to its last byte.
fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8], what: &str) -> Result<T, String> {
    match postcard::take_from_bytes(bytes) {
        Ok((value, [])) => Ok(value),
        Ok((_, rest)) => Err(format!("{} bytes follow the {what}", rest.len())),
        Err(e) => Err(format!("the {what} does not decode ({e})")),
    }
}

impl KnowledgeGraph {
    /// This graph as a snapshot that records no source fingerprint (for a graph built in
    /// code); see [`KnowledgeGraph::to_snapshot_of`] for one loaded from a file. The same graph
    /// always gives the same bytes.
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let bytes = kg.to_snapshot();
    /// let again = bonegraph::KnowledgeGraph::from_snapshot(&bytes)?;
    /// assert_eq!(again.query("side effects of Zometa")?.names(&again),
    ///            kg.query("side effects of Zometa")?.names(kg));
    /// # Ok::<(), bonegraph::Error>(())
    /// ```
    pub fn to_snapshot(&self) -> Vec<u8> {
        self.write_snapshot(None)
    }

    /// This graph as a snapshot that records the [`SourceFingerprint`] of `source`, the graph
    /// file text it was loaded from (so that a cache can tell when the snapshot is stale).
    pub fn to_snapshot_of(&self, source: &[u8]) -> Vec<u8> {
        self.write_snapshot(Some(SourceFingerprint::of(source)))
    }

    fn write_snapshot(&self, source: Option<SourceFingerprint>) -> Vec<u8> {
        let store = StoreOut {
            name: &self.name,
            description: self.description.as_deref(),
            schema: &self.schema,
            sources: &self.sources,
            conflicts: &self.conflicts,
            graph: &self.graph,
            by_kind: &self.by_kind,
            out_adj: &self.out_adj,
            in_adj: &self.in_adj,
            inferred: &self.inferred,
            warnings: self.warnings.iter().map(StoredDiagnostic::from).collect(),
            name_order: self.name_order(),
        };
        // Serializing plain data into memory cannot fail: no type here refuses, and postcard
        // writing to a Vec has no size limit.
        let payload = postcard::to_allocvec(&store).expect("a graph serializes to memory");
        seal(&payload, source)
    }

    /// Loads a snapshot written by [`KnowledgeGraph::to_snapshot`] (or `bonegraph compile`):
    /// checks the header ([`read_header`]) and the payload's checksum, deserializes the store
    /// and checks that every index in it is in bounds. No RON parse, no validation.
    ///
    /// ```
    /// let err = bonegraph::KnowledgeGraph::from_snapshot(b"(name: \"x\")").unwrap_err();
    /// assert_eq!(err.diagnostics[0].code, bonegraph::Code::Snapshot);
    /// ```
    ///
    /// # Errors
    /// A [`Code::Snapshot`] error if the bytes are empty, not a snapshot, truncated, damaged,
    /// or written by another format or crate version.
    pub fn from_snapshot(bytes: &[u8]) -> Result<KnowledgeGraph, LoadError> {
        let header = read_header(bytes)?;
        let payload = &bytes[HEADER_LEN..];
        if xxh3_64(payload) != header.payload_hash {
            return Err(refuse(
                "the snapshot is damaged: its payload does not match its checksum",
                RECOMPILE,
            ));
        }
        let forged = |what: String| {
            refuse(
                format!("the snapshot's payload is inconsistent: {what}"),
                RECOMPILE,
            )
        };
        let store = decode::<Store>(payload, "store").map_err(forged)?;
        verify(&store).map_err(forged)?;
        // The id index is rebuilt from the entities (it holds no strings of its own).
        let by_id = IdIndex::of(&store.graph);
        let mut schema = store.schema;
        schema.index_ids();
        schema.index_parents();
        Ok(KnowledgeGraph {
            name: store.name,
            description: store.description,
            schema,
            sources: store.sources,
            conflicts: store.conflicts,
            graph: store.graph,
            by_id,
            by_kind: store.by_kind,
            out_adj: store.out_adj,
            in_adj: store.in_adj,
            inferred: store.inferred,
            warnings: store.warnings.into_iter().map(Diagnostic::from).collect(),
            vocab: OnceLock::new(),
            lexicon: OnceLock::new(),
            hot: OnceLock::new(),
            name_order: OnceLock::from(store.name_order),
        })
    }
}

/// Checks that every index the store holds points inside the table it indexes, and that the
/// adjacency and name order have the shape the graph's accessors rely on. Linear in the size
/// of the store, with no string work: what a forged payload could break, not what the
/// loader validates.
fn verify(s: &Store) -> Result<(), String> {
    let nodes = s.graph.node_count();
    let edges = s.graph.edge_count();
    let kinds = s.schema.kinds.len();
    let rels = s.schema.relations.len();
    if kinds > usize::from(u16::MAX) || rels > usize::from(u16::MAX) {
        return Err("too many kinds or relation types".into());
    }
    let kind_ok = |k: KindId| usize::from(k.0) < kinds;
    let rel_ok = |r: RelId| usize::from(r.0) < rels;
    for r in &s.schema.relations {
        for side in [&r.from, &r.to] {
            if let KindSet::Only(ks) = side
                && !ks.iter().all(|&k| kind_ok(k))
            {
                return Err(format!("relation type `{}` names a missing kind", r.id));
            }
        }
        if r.parent.is_some_and(|p| !rel_ok(p)) {
            return Err(format!("relation type `{}` has a missing parent", r.id));
        }
    }
    if s.schema.hierarchy.is_some_and(|h| !rel_ok(h)) {
        return Err("the hierarchy relation type is missing".into());
    }
    let claim_ok = |c: &Claim| {
        c.conflict
            .is_none_or(|id| usize::from(id.0) < s.conflicts.len())
            && c.provenance.is_none_or(|p| provenance_ok(s, p))
    };
    for n in s.graph.node_indices() {
        let e = &s.graph[n];
        if !kind_ok(e.kind)
            || !e.provenance.is_none_or(|p| provenance_ok(s, p))
            || !e
                .attributes
                .iter()
                .all(|a| usize::from(a.key) < s.schema.attributes.len() && claim_ok(&a.claim))
        {
            return Err(format!(
                "entity {} refers to a missing table row",
                n.index()
            ));
        }
    }
    for e in s.graph.edge_indices() {
        let edge = &s.graph[e];
        if !rel_ok(edge.rel) || !claim_ok(&edge.claim) {
            return Err(format!("edge {} refers to a missing table row", e.index()));
        }
    }
    for (i, e) in s.inferred.iter().enumerate() {
        if e.from.index() >= nodes || e.to.index() >= nodes || !rel_ok(e.rel) || !claim_ok(&e.claim)
        {
            return Err(format!("inferred edge {i} refers to a missing row"));
        }
    }
    if s.by_kind.len() != kinds || s.by_kind.iter().flatten().any(|n| n.index() >= nodes) {
        return Err("the kind index does not match the entities".into());
    }
    for (adj, forward) in [(&s.out_adj, true), (&s.in_adj, false)] {
        verify_adjacency(s, adj, forward, nodes, edges, rels)?;
    }
    if s.name_order.len() != nodes {
        return Err("the name order does not cover every entity".into());
    }
    let mut seen = vec![false; nodes];
    for &rank in &s.name_order {
        match seen.get_mut(rank as usize) {
            Some(slot) if !*slot => *slot = true,
            _ => return Err("the name order is not a permutation".into()),
        }
    }
    Ok(())
}

fn provenance_ok(s: &Store, p: Provenance) -> bool {
    s.sources.get(usize::from(p.source.0)).is_some_and(|src| {
        p.section
            .is_none_or(|i| usize::from(i) < src.sections.len())
    })
}

/// One direction's adjacency: an offset per node plus one, rising from 0 to the number of
/// entries; one entry per edge, sorted by relation type within a node, each naming the edge
/// that joins the node to its neighbour.
fn verify_adjacency(
    s: &Store,
    adj: &Adjacency,
    forward: bool,
    nodes: usize,
    edges: usize,
    rels: usize,
) -> Result<(), String> {
    let bad = || {
        format!(
            "the {} adjacency does not match the edges",
            if forward { "outgoing" } else { "incoming" }
        )
    };
    if adj.offsets.len() != nodes + 1
        || adj.offsets.first() != Some(&0)
        || adj.offsets.last().map(|&o| o as usize) != Some(adj.entries.len())
        || adj.entries.len() != edges
        || adj.offsets.windows(2).any(|w| w[0] > w[1])
    {
        return Err(bad());
    }
    for node in 0..nodes {
        let slice = &adj.entries[adj.offsets[node] as usize..adj.offsets[node + 1] as usize];
        for (i, nb) in slice.iter().enumerate() {
            if usize::from(nb.rel.0) >= rels
                || nb.node.index() >= nodes
                || nb.edge.index() >= edges
                || (i > 0 && slice[i - 1].rel > nb.rel)
            {
                return Err(bad());
            }
            let (a, b) = s.graph.edge_endpoints(nb.edge).ok_or_else(bad)?;
            let here = NodeIndex::new(node);
            let ends_match = if forward {
                (a, b) == (here, nb.node)
            } else {
                (a, b) == (nb.node, here)
            };
            if !ends_match || s.graph[nb.edge].rel != nb.rel {
                return Err(bad());
            }
        }
    }
    Ok(())
}

/// Whether `path` is a regular file that starts like a snapshot ([`looks_like_snapshot`]).
/// Anything else (a missing file, a directory, a pipe, graph file text) is not, and is left
/// to the graph file loader, which says what is wrong with it. Only the first eight bytes are
/// read.
pub fn is_snapshot_file(path: &std::path::Path) -> bool {
    use std::io::Read;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::with_capacity(MAGIC.len());
    file.take(MAGIC.len() as u64)
        .read_to_end(&mut head)
        .is_ok_and(|_| looks_like_snapshot(&head))
}

/// Reads a snapshot file whole, refusing one larger than [`MAX_SNAPSHOT_BYTES`].
///
/// # Errors
/// A [`Code::Io`] or [`Code::TooLarge`] diagnostic naming the file.
pub fn read_snapshot_file(path: &std::path::Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let shown = path.display();
    let cannot =
        |e: std::io::Error| Diagnostic::error(Code::Io, format!("cannot read `{shown}`: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let len = file.metadata().map_err(cannot)?.len();
    if len > MAX_SNAPSHOT_BYTES {
        return Err(Diagnostic::error(
            Code::TooLarge,
            format!(
                "`{shown}` is {len} bytes; the largest snapshot accepted is {MAX_SNAPSHOT_BYTES} bytes"
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_SNAPSHOT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SNAPSHOT_BYTES {
        return Err(Diagnostic::error(
            Code::TooLarge,
            format!("`{shown}` grew past {MAX_SNAPSHOT_BYTES} bytes while it was read"),
        ));
    }
    Ok(bytes)
}
