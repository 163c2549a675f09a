//! The whole graph in property-graph form, for Neo4j and Kuzu: a Cypher script, or a
//! directory of CSV files with the import scripts both databases need.
//!
//! The layout is fixed (the query translator emits Cypher against it; `docs/interchange.md`
//! documents it):
//!
//! - one node label (Kuzu: node table) [`ENTITY_LABEL`] with properties `id` (the key),
//!   `name`, `kind` (the kind's id), `aliases` (a list of strings, absent when there are
//!   none), `summary`, `source`, `section`;
//! - one node label [`ATTRIBUTE_LABEL`] for attribute values, with `id`
//!   (`attr-{entity}-{i}`), `entity`, `key`, `value` and the claim properties below, linked
//!   from their entity by a [`HAS_ATTRIBUTE`] relationship;
//! - one relationship type per relation type, named exactly the relation's id (`is_a`
//!   included), with the claim properties `source`, `section`, `certainty`, `hedge`,
//!   `frequency`, `rank`, `quantity`, `timing`, `context`, `note`, `conflict`, `basis`.
//!
//! Absent values are left out (null). All output is in graph-file order.

use super::names::{
    ATTRIBUTE_LABEL, ENTITY_LABEL, HAS_ATTRIBUTE, RESERVED_PG_NAMES, cypher_ident, cypher_string,
    push_iri_segment,
};
use crate::graph::{Claim, Entity, KnowledgeGraph};
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};

/// Which database a Cypher script is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Dialect {
    /// Neo4j (openCypher): uniqueness constraints, then `CREATE` and `MATCH ... CREATE`.
    #[default]
    Neo4j,
    /// Kuzu: the same statements after the `CREATE NODE TABLE` / `CREATE REL TABLE` DDL
    /// Kuzu needs, with strings spelled so that Kuzu reads them back unchanged.
    Kuzu,
}

/// Why the graph cannot be exported as a property graph, or the export cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    /// A relation type whose id is a name the layout reserves, compared without case:
    /// `(id: "has_attribute", ...)` in a graph's relations.
    #[error(
        "relation type `{relation}` cannot be exported as a property graph: its name is \
         `{reserved}` (ignoring case), which the export uses for {what}"
    )]
    ReservedName {
        /// The relation type's id.
        relation: String,
        /// The reserved name it matches.
        reserved: &'static str,
        /// What the export uses the reserved name for.
        what: &'static str,
    },
    /// Two relation types whose ids differ only in case (`treats` and `Treats`): Kuzu
    /// compares table names without case, and their CSV files could not share a directory on
    /// a case-insensitive file system.
    #[error(
        "relation types `{first}` and `{second}` differ only in case, and Kuzu table names \
         ignore case, so they cannot both be exported for Kuzu or as CSV"
    )]
    CaseClash {
        /// The relation type that comes first in the schema.
        first: String,
        /// The one that clashes with it.
        second: String,
    },
    /// Every candidate array delimiter occurs in some alias, so aliases cannot be joined into
    /// one CSV field that Neo4j and Kuzu split back apart.
    #[error(
        "no array delimiter is free: each of {0} occurs in some alias, so aliases cannot be \
         written as one CSV field"
    )]
    NoArrayDelimiter(String),
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// What each reserved name is used for, for messages.
fn reserved_use(name: &str) -> &'static str {
    match name {
        ENTITY_LABEL => "the node label of entities",
        ATTRIBUTE_LABEL => "the node label of attribute values",
        _ => "the relationship from an entity to its attribute values",
    }
}

/// Checks that every relation type can be a relationship type (Neo4j) or rel table (Kuzu):
/// none may take a reserved name ([`RESERVED_PG_NAMES`], compared without case), and for
/// Kuzu no two may differ only in case.
///
/// ```
/// use bonegraph::interchange::pg::{Dialect, check_names};
/// assert!(check_names(bonegraph::KnowledgeGraph::embedded(), Dialect::Kuzu).is_ok());
/// ```
pub fn check_names(kg: &KnowledgeGraph, dialect: Dialect) -> Result<(), PgError> {
    let relations = &kg.schema().relations;
    for (i, r) in relations.iter().enumerate() {
        if let Some(&reserved) = RESERVED_PG_NAMES
            .iter()
            .find(|n| n.eq_ignore_ascii_case(&r.id))
        {
            return Err(PgError::ReservedName {
                relation: r.id.clone(),
                reserved,
                what: reserved_use(reserved),
            });
        }
        if dialect == Dialect::Kuzu {
            if let Some(first) = relations[..i]
                .iter()
                .find(|f| f.id.to_lowercase() == r.id.to_lowercase())
            {
                return Err(PgError::CaseClash {
                    first: first.id.clone(),
                    second: r.id.clone(),
                });
            }
        }
    }
    Ok(())
}

/// The id of the node of an entity's `attributes[index]`: `attr-{entity}-{index}`.
pub fn attribute_node_id(entity: &str, index: u32) -> String {
    format!("attr-{entity}-{index}")
}

/// The claim properties of relationships and attribute nodes, in the order they are written.
pub const CLAIM_PROPERTIES: [&str; 12] = [
    "source",
    "section",
    "certainty",
    "hedge",
    "frequency",
    "rank",
    "quantity",
    "timing",
    "context",
    "note",
    "conflict",
    "basis",
];

/// The properties of entity nodes, in the order they are written.
pub const ENTITY_PROPERTIES: [&str; 7] = [
    "id", "name", "kind", "aliases", "summary", "source", "section",
];

/// The properties of attribute nodes before the claim properties.
pub const ATTRIBUTE_PROPERTIES: [&str; 4] = ["id", "entity", "key", "value"];

/// A claim's properties, in [`CLAIM_PROPERTIES`] order.
fn claim_values<'a>(kg: &'a KnowledgeGraph, c: &'a Claim) -> [Option<String>; 12] {
    let (source, section) = match c.provenance {
        Some(p) => {
            let (src, sec) = kg.describe_provenance(&p);
            (Some(src.id.clone()), sec.map(str::to_owned))
        }
        None => (None, None),
    };
    let q = c.qualifiers();
    [
        source,
        section,
        q.certainty.map(|c| format!("{c:?}").to_lowercase()),
        q.hedge.clone(),
        q.frequency.clone(),
        q.rank.clone(),
        q.quantity.clone(),
        q.timing.clone(),
        q.context.clone(),
        q.note.clone(),
        c.conflict.map(|id| kg.conflict(id).id.clone()),
        c.basis.map(|b| b.as_str().to_owned()),
    ]
}

/// An entity's scalar properties in [`ENTITY_PROPERTIES`] order, without `aliases`.
fn entity_values<'a>(kg: &'a KnowledgeGraph, e: &'a Entity) -> [Option<&'a str>; 6] {
    let (source, section) = match e.provenance {
        Some(p) => {
            let (src, sec) = kg.describe_provenance(&p);
            (Some(src.id.as_str()), sec)
        }
        None => (None, None),
    };
    [
        Some(e.id.as_str()),
        Some(e.name.as_str()),
        Some(kg.schema().kind(e.kind).id.as_str()),
        e.summary.as_deref(),
        source,
        section,
    ]
}

/// A string literal for `dialect`. Neo4j reads [`cypher_string`]'s escapes; Kuzu reads `\'`
/// and `\\` but drops the backslash of `\n` and the like, so for Kuzu a string with control
/// characters is spelled as a concatenation such as `'a' + decode(BLOB('\\x0A')) + 'b'`,
/// which keeps each statement on one line.
///
/// ```
/// use bonegraph::interchange::pg::{Dialect, string_literal};
/// assert_eq!(string_literal("it's", Dialect::Kuzu), r"'it\'s'");
/// assert_eq!(string_literal("a\nb", Dialect::Neo4j), r"'a\nb'");
/// assert_eq!(string_literal("a\nb", Dialect::Kuzu), r"'a' + decode(BLOB('\\x0A')) + 'b'");
/// ```
pub fn string_literal(text: &str, dialect: Dialect) -> String {
    if dialect == Dialect::Neo4j || !text.chars().any(char::is_control) {
        return cypher_string(text);
    }
    let mut parts: Vec<String> = Vec::new();
    let mut plain = String::new();
    let mut bytes = String::new();
    for c in text.chars() {
        if c.is_control() {
            if !plain.is_empty() {
                parts.push(cypher_string(&plain));
                plain.clear();
            }
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(bytes, "\\\\x{b:02X}");
            }
        } else {
            if !bytes.is_empty() {
                parts.push(format!("decode(BLOB('{bytes}'))"));
                bytes.clear();
            }
            plain.push(c);
        }
    }
    if !plain.is_empty() {
        parts.push(cypher_string(&plain));
    }
    if !bytes.is_empty() {
        parts.push(format!("decode(BLOB('{bytes}'))"));
    }
    parts.join(" + ")
}

/// `{key: value, ...}` of the present values, or nothing when none is present.
fn property_map(pairs: &[(&str, Option<String>)]) -> String {
    let items: Vec<String> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}: {v}")))
        .collect();
    if items.is_empty() {
        String::new()
    } else {
        format!(" {{{}}}", items.join(", "))
    }
}

/// A `//` comment line: control characters become spaces so it stays one line.
fn comment(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("// {clean}\n")
}

/// The Kuzu DDL for the layout: the two node tables, one rel table per relation type and the
/// `HAS_ATTRIBUTE` rel table, one statement a line.
pub fn kuzu_ddl(kg: &KnowledgeGraph) -> String {
    let entity = cypher_ident(ENTITY_LABEL);
    let attribute = cypher_ident(ATTRIBUTE_LABEL);
    let claims: String = CLAIM_PROPERTIES
        .iter()
        .map(|p| format!(", {p} STRING"))
        .collect();
    let mut out = format!(
        "CREATE NODE TABLE {entity}(id STRING PRIMARY KEY, name STRING, kind STRING, \
         aliases STRING[], summary STRING, source STRING, section STRING);\n\
         CREATE NODE TABLE {attribute}(id STRING PRIMARY KEY, entity STRING, key STRING, \
         value STRING{claims});\n"
    );
    for r in &kg.schema().relations {
        let _ = writeln!(
            out,
            "CREATE REL TABLE {}(FROM {entity} TO {entity}{claims});",
            cypher_ident(&r.id)
        );
    }
    let _ = writeln!(
        out,
        "CREATE REL TABLE {}(FROM {entity} TO {attribute});",
        cypher_ident(HAS_ATTRIBUTE)
    );
    out
}

/// Writes the graph as a Cypher script for `dialect`: a comment header, then one statement a
/// line, each ending in `;`. Neo4j's script starts with uniqueness constraints on the node
/// ids; Kuzu's with [`kuzu_ddl`]. Then one `CREATE` per entity, one `MATCH ... CREATE` per
/// attribute value (its node and its `HAS_ATTRIBUTE` link) and one per edge.
///
/// ```
/// use bonegraph::interchange::pg::{Dialect, write_cypher};
/// let mut out = Vec::new();
/// write_cypher(bonegraph::KnowledgeGraph::embedded(), Dialect::Neo4j, &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains(
///     "MATCH (a:`Entity` {id: 'denosumab'}), (b:`Entity` {id: 'bone_modifying_therapies'}) \
///      CREATE (a)-[:`is_a` {source: 'article', section: 'bone_modifying', basis: 'stated'}]->(b);\n"
/// ));
/// # Ok::<(), bonegraph::interchange::pg::PgError>(())
/// ```
pub fn write_cypher(
    kg: &KnowledgeGraph,
    dialect: Dialect,
    out: &mut impl Write,
) -> Result<(), PgError> {
    check_names(kg, dialect)?;
    let s = |t: &str| string_literal(t, dialect);
    let attribute_count: usize = kg.nodes().map(|n| kg.entity(n).attributes.len()).sum();
    let entity = cypher_ident(ENTITY_LABEL);
    let attribute = cypher_ident(ATTRIBUTE_LABEL);
    let has_attribute = cypher_ident(HAS_ATTRIBUTE);
    let mut head = comment(&format!(
        "bonegraph export of `{}`: {} entities, {attribute_count} attribute values, {} relations.",
        kg.name(),
        kg.entity_count(),
        kg.edge_count()
    ));
    match dialect {
        Dialect::Neo4j => {
            head.push_str(&comment(
                "Cypher for Neo4j, one statement a line; load into an empty database with \
                 `cypher-shell -f FILE`. Layout: docs/interchange.md.",
            ));
            for (name, label) in [("entity", &entity), ("attribute", &attribute)] {
                let _ = writeln!(
                    head,
                    "CREATE CONSTRAINT bonegraph_{name}_id IF NOT EXISTS FOR (n:{label}) \
                     REQUIRE n.id IS UNIQUE;"
                );
            }
        }
        Dialect::Kuzu => {
            head.push_str(&comment(
                "Cypher for Kuzu, one statement a line; run it on an empty database. \
                 Layout: docs/interchange.md.",
            ));
            head.push_str(&kuzu_ddl(kg));
        }
    }
    let mut w = BufWriter::new(out);
    w.write_all(head.as_bytes())?;

    let schema = kg.schema();
    for n in kg.nodes() {
        let e = kg.entity(n);
        let v = entity_values(kg, e);
        let aliases = (!e.aliases.is_empty()).then(|| {
            let items: Vec<String> = e.aliases.iter().map(|a| s(a)).collect();
            format!("[{}]", items.join(", "))
        });
        let props = property_map(&[
            ("id", v[0].map(s)),
            ("name", v[1].map(s)),
            ("kind", v[2].map(s)),
            ("aliases", aliases),
            ("summary", v[3].map(s)),
            ("source", v[4].map(s)),
            ("section", v[5].map(s)),
        ]);
        writeln!(w, "CREATE (:{entity}{props});")?;
    }
    for n in kg.nodes() {
        let e = kg.entity(n);
        for a in &e.attributes {
            let mut pairs: Vec<(&str, Option<String>)> = vec![
                ("id", Some(s(&attribute_node_id(&e.id, a.claim.file_index)))),
                ("entity", Some(s(&e.id))),
                ("key", Some(s(&schema.attributes[usize::from(a.key)].id))),
                ("value", Some(s(&a.value))),
            ];
            let claims = claim_values(kg, &a.claim);
            pairs.extend(
                CLAIM_PROPERTIES
                    .iter()
                    .zip(claims)
                    .map(|(k, v)| (*k, v.map(|v| s(&v)))),
            );
            writeln!(
                w,
                "MATCH (e:{entity} {{id: {}}}) CREATE (e)-[:{has_attribute}]->(:{attribute}{});",
                s(&e.id),
                property_map(&pairs)
            )?;
        }
    }
    for ix in kg.edges() {
        let (a, edge, b) = kg.edge(ix);
        let claims = claim_values(kg, &edge.claim);
        let pairs: Vec<(&str, Option<String>)> = CLAIM_PROPERTIES
            .iter()
            .zip(claims)
            .map(|(k, v)| (*k, v.map(|v| s(&v))))
            .collect();
        writeln!(
            w,
            "MATCH (a:{entity} {{id: {}}}), (b:{entity} {{id: {}}}) CREATE (a)-[:{}{}]->(b);",
            s(&kg.entity(a).id),
            s(&kg.entity(b).id),
            cypher_ident(&schema.relation(edge.rel).id),
            property_map(&pairs)
        )?;
    }
    w.flush()?;
    Ok(())
}

/// The CSV file of a relation type's edges: `rel-{id}.csv`, the id percent-encoded as in an
/// IRI segment (ASCII letters, digits and `-._~` stay).
///
/// ```
/// use bonegraph::interchange::pg::relation_file_name;
/// assert_eq!(relation_file_name("has_side_effect"), "rel-has_side_effect.csv");
/// assert_eq!(relation_file_name("links\\to"), "rel-links%5Cto.csv");
/// ```
pub fn relation_file_name(relation: &str) -> String {
    let mut name = String::from("rel-");
    push_iri_segment(&mut name, relation);
    name.push_str(".csv");
    name
}

/// The characters tried, in order, to join an entity's aliases into one CSV field; the first
/// that no alias contains is used (`;` unless an alias holds one).
pub const ARRAY_DELIMITERS: [char; 8] = [';', '|', '^', '~', '!', '$', '&', '*'];

/// What [`write_csv`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvExport {
    /// The files written, in the order written, by name.
    pub files: Vec<String>,
    /// The character that joins aliases in `entities.csv`.
    pub array_delimiter: char,
    /// Whether some field spans lines (Kuzu then reads without `PARALLEL`, Neo4j with
    /// `--multiline-fields=true`).
    pub multiline: bool,
}

/// Writes the graph as CSV files for bulk import, each through a writer that `open` gives
/// for its file name: the library writes no files itself. The command line's `export --format
/// csv -o DIR` opens them in a new directory (staged and renamed into place); a program can
/// keep them in memory.
///
/// Files: `entities.csv`, `attributes.csv`, `has_attribute.csv`, one `rel-{id}.csv` per
/// relation type ([`relation_file_name`]), in neo4j-admin's header format, and two scripts:
/// `kuzu-import.cypher` (DDL and `COPY` statements with paths relative to the directory: run
/// it with the directory as the working directory) and `neo4j-import.sh` (a `neo4j-admin
/// database import full` command; make it executable). Aliases are joined with the first of
/// [`ARRAY_DELIMITERS`] that no alias contains; Kuzu's `COPY` splits them back into a
/// `STRING[]`. Fields are quoted unless they are plain words; an empty field is null.
///
/// ```
/// use std::collections::BTreeMap;
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
/// let mut order = Vec::new();
/// let written = bonegraph::interchange::pg::write_csv(kg, |name| {
///     order.push(name.to_owned());
///     Ok(Vec::new())
/// }, |name, bytes| {
///     files.insert(name.to_owned(), bytes);
///     Ok(())
/// })?;
/// assert_eq!(written.files, order);
/// assert!(files["entities.csv"].starts_with(b"id:ID(Entity),name,kind"));
/// # Ok::<(), bonegraph::interchange::pg::PgError>(())
/// ```
pub fn write_csv<W: Write>(
    kg: &KnowledgeGraph,
    mut open: impl FnMut(&str) -> io::Result<W>,
    mut close: impl FnMut(&str, W) -> io::Result<()>,
) -> Result<CsvExport, PgError> {
    check_names(kg, Dialect::Kuzu)?;
    let array_delimiter = array_delimiter(kg)?;
    write_csv_files(kg, &mut open, &mut close, array_delimiter)
}

fn array_delimiter(kg: &KnowledgeGraph) -> Result<char, PgError> {
    ARRAY_DELIMITERS
        .into_iter()
        .find(|&d| {
            kg.nodes()
                .all(|n| kg.entity(n).aliases.iter().all(|a| !a.contains(d)))
        })
        .ok_or_else(|| {
            PgError::NoArrayDelimiter(
                ARRAY_DELIMITERS
                    .iter()
                    .map(|d| format!("`{d}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        })
}

/// One CSV file being written.
struct CsvFile<W: Write> {
    name: String,
    w: BufWriter<W>,
    multiline: bool,
}

impl<W: Write> CsvFile<W> {
    fn create(
        open: &mut impl FnMut(&str) -> io::Result<W>,
        name: &str,
        header: &str,
    ) -> io::Result<CsvFile<W>> {
        let mut w = BufWriter::new(open(name)?);
        w.write_all(header.as_bytes())?;
        w.write_all(b"\n")?;
        Ok(CsvFile {
            name: name.to_owned(),
            w,
            multiline: false,
        })
    }

    fn row<S: AsRef<str>>(&mut self, fields: &[Option<S>]) -> io::Result<()> {
        for (i, field) in fields.iter().enumerate() {
            if i > 0 {
                self.w.write_all(b",")?;
            }
            if let Some(f) = field {
                let f = f.as_ref();
                if f.contains(['\n', '\r']) {
                    self.multiline = true;
                }
                self.w.write_all(csv_field(f).as_bytes())?;
            }
        }
        self.w.write_all(b"\n")
    }

    /// Hands the finished file to `close`: its name, and whether a field spans lines.
    fn finish(
        self,
        close: &mut impl FnMut(&str, W) -> io::Result<()>,
    ) -> io::Result<(String, bool)> {
        let w = self.w.into_inner().map_err(|e| e.into_error())?;
        close(&self.name, w)?;
        Ok((self.name, self.multiline))
    }
}

/// A present CSV field: as it is when it is a plain word (letters, digits, `_-.`, inner
/// spaces), else in double quotes with inner quotes doubled. Kuzu's reader treats brackets
/// and braces outside quotes as list syntax, so everything but plain words is quoted; an
/// empty string is `""`, set apart from an absent value (an empty field).
fn csv_field(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '));
    if plain {
        text.to_owned()
    } else {
        format!("\"{}\"", text.replace('"', "\"\""))
    }
}

/// A word for a shell script: as it is when it is safe, else single-quoted.
fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '=' | ':' | '%' | ',')
        })
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn write_csv_files<W: Write>(
    kg: &KnowledgeGraph,
    open: &mut impl FnMut(&str) -> io::Result<W>,
    close: &mut impl FnMut(&str, W) -> io::Result<()>,
    delimiter: char,
) -> Result<CsvExport, PgError> {
    let schema = kg.schema();
    let claim_header: String = CLAIM_PROPERTIES.iter().map(|p| format!(",{p}")).collect();
    // Each CSV file with whether a field in it spans lines, in the order written.
    let mut written: Vec<(String, bool)> = Vec::new();

    let mut entities = CsvFile::create(
        open,
        "entities.csv",
        &format!("id:ID({ENTITY_LABEL}),name,kind,aliases:string[],summary,source,section"),
    )?;
    let mut delim = [0u8; 4];
    let delim = &*delimiter.encode_utf8(&mut delim);
    for n in kg.nodes() {
        let e = kg.entity(n);
        let v = entity_values(kg, e);
        let aliases = (!e.aliases.is_empty()).then(|| e.aliases.join(delim));
        entities.row(&[v[0], v[1], v[2], aliases.as_deref(), v[3], v[4], v[5]])?;
    }
    written.push(entities.finish(close)?);

    let mut attributes = CsvFile::create(
        open,
        "attributes.csv",
        &format!("id:ID({ATTRIBUTE_LABEL}),entity,key,value{claim_header}"),
    )?;
    let mut links = CsvFile::create(
        open,
        "has_attribute.csv",
        &format!(":START_ID({ENTITY_LABEL}),:END_ID({ATTRIBUTE_LABEL})"),
    )?;
    for n in kg.nodes() {
        let e = kg.entity(n);
        for a in &e.attributes {
            let id = attribute_node_id(&e.id, a.claim.file_index);
            let mut row: Vec<Option<String>> = vec![
                Some(id.clone()),
                Some(e.id.clone()),
                Some(schema.attributes[usize::from(a.key)].id.clone()),
                Some(a.value.clone()),
            ];
            row.extend(claim_values(kg, &a.claim));
            attributes.row(&row)?;
            links.row(&[Some(e.id.as_str()), Some(id.as_str())])?;
        }
    }
    written.push(attributes.finish(close)?);
    written.push(links.finish(close)?);

    let mut relation_files: Vec<CsvFile<W>> = schema
        .relations
        .iter()
        .map(|r| {
            CsvFile::create(
                open,
                &relation_file_name(&r.id),
                &format!(":START_ID({ENTITY_LABEL}),:END_ID({ENTITY_LABEL}){claim_header}"),
            )
        })
        .collect::<io::Result<_>>()?;
    for ix in kg.edges() {
        let (a, edge, b) = kg.edge(ix);
        let mut row: Vec<Option<String>> =
            vec![Some(kg.entity(a).id.clone()), Some(kg.entity(b).id.clone())];
        row.extend(claim_values(kg, &edge.claim));
        relation_files[usize::from(edge.rel.0)].row(&row)?;
    }
    for f in relation_files {
        written.push(f.finish(close)?);
    }

    let multiline = written.iter().any(|(_, m)| *m);
    for (name, text) in [
        (KUZU_SCRIPT, kuzu_import_script(kg, &written, delimiter)),
        (NEO4J_SCRIPT, neo4j_import_script(kg, delimiter, multiline)),
    ] {
        let mut w = open(name)?;
        w.write_all(text.as_bytes())?;
        close(name, w)?;
    }
    let mut files: Vec<String> = written.into_iter().map(|(name, _)| name).collect();
    files.push(KUZU_SCRIPT.to_owned());
    files.push(NEO4J_SCRIPT.to_owned());
    Ok(CsvExport {
        files,
        array_delimiter: delimiter,
        multiline,
    })
}

/// The Kuzu import script [`write_csv`] writes.
pub const KUZU_SCRIPT: &str = "kuzu-import.cypher";
/// The Neo4j import script [`write_csv`] writes (the command line makes it executable).
pub const NEO4J_SCRIPT: &str = "neo4j-import.sh";

/// `kuzu-import.cypher`: the DDL, then one `COPY` per file, paths relative to the directory.
fn kuzu_import_script(kg: &KnowledgeGraph, files: &[(String, bool)], delimiter: char) -> String {
    let mut out = comment(&format!(
        "bonegraph export of `{}`: Kuzu import. Run it with this directory as the working \
         directory (the file paths are relative), on an empty database. Layout: \
         docs/interchange.md.",
        kg.name()
    ));
    out.push_str(&kuzu_ddl(kg));
    let options = |i: usize| {
        if files[i].1 {
            "(HEADER=true, DELIM=',', QUOTE='\"', ESCAPE='\"', PARALLEL=false)"
        } else {
            "(HEADER=true, DELIM=',', QUOTE='\"', ESCAPE='\"')"
        }
    };
    // Entities go through LOAD FROM so that the joined aliases become a STRING[] again.
    let columns: Vec<String> = ENTITY_PROPERTIES
        .iter()
        .map(|p| format!("{p} STRING"))
        .collect();
    let aliases = format!(
        "CASE WHEN aliases IS NULL THEN NULL ELSE string_split(aliases, {}) END",
        cypher_string(&delimiter.to_string())
    );
    let returned: Vec<String> = ENTITY_PROPERTIES
        .iter()
        .map(|&p| {
            if p == "aliases" {
                aliases.clone()
            } else {
                p.to_owned()
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "COPY {} FROM (LOAD WITH HEADERS ({}) FROM 'entities.csv' {} RETURN {});",
        cypher_ident(ENTITY_LABEL),
        columns.join(", "),
        options(0),
        returned.join(", ")
    );
    let _ = writeln!(
        out,
        "COPY {} FROM 'attributes.csv' {};",
        cypher_ident(ATTRIBUTE_LABEL),
        options(1)
    );
    let _ = writeln!(
        out,
        "COPY {} FROM 'has_attribute.csv' {};",
        cypher_ident(HAS_ATTRIBUTE),
        options(2)
    );
    for (i, r) in kg.schema().relations.iter().enumerate() {
        let _ = writeln!(
            out,
            "COPY {} FROM {} {};",
            cypher_ident(&r.id),
            cypher_string(&files[3 + i].0),
            options(3 + i)
        );
    }
    out
}

/// `neo4j-import.sh`: one `neo4j-admin database import full` command.
fn neo4j_import_script(kg: &KnowledgeGraph, delimiter: char, multiline: bool) -> String {
    let mut out = String::from("#!/bin/sh\n");
    for line in [
        format!(
            "bonegraph export of `{}`: bulk import into a new Neo4j 5 database.",
            kg.name()
        ),
        "Usage: sh neo4j-import.sh [DATABASE [OPTION...]] (default database: neo4j). The"
            .to_owned(),
        "database must not exist yet (or add --overwrite-destination). OPTIONs go to neo4j-admin"
            .to_owned(),
        "before the file options, which would take any word after them as another file.".to_owned(),
        "Layout: docs/interchange.md.".to_owned(),
    ] {
        let _ = writeln!(out, "# {}", line.replace(['\n', '\r'], " "));
    }
    out.push_str(
        "set -e\n\
         cd \"$(dirname \"$0\")\"\n\
         database=${1:-neo4j}\n\
         [ $# -gt 0 ] && shift\n\
         exec neo4j-admin database import full \"$database\" \"$@\" \\\n",
    );
    let mut args = vec![format!("--array-delimiter={delimiter}")];
    if multiline {
        args.push("--multiline-fields=true".to_owned());
    }
    args.push(format!("--nodes={ENTITY_LABEL}=entities.csv"));
    args.push(format!("--nodes={ATTRIBUTE_LABEL}=attributes.csv"));
    args.push(format!("--relationships={HAS_ATTRIBUTE}=has_attribute.csv"));
    for r in &kg.schema().relations {
        args.push(format!(
            "--relationships={}={}",
            r.id,
            relation_file_name(&r.id)
        ));
    }
    let last = args.len() - 1;
    for (i, a) in args.iter().enumerate() {
        let end = if i == last { "\n" } else { " \\\n" };
        let _ = write!(out, "  {}{end}", shell_word(a));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields() {
        assert_eq!(csv_field("plain word"), "plain word");
        assert_eq!(csv_field(""), "\"\"");
        assert_eq!(csv_field(" lead"), "\" lead\"");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("[x]"), "\"[x]\"");
    }

    #[test]
    fn shell_words() {
        assert_eq!(
            shell_word("--nodes=Entity=entities.csv"),
            "--nodes=Entity=entities.csv"
        );
        assert_eq!(shell_word("--array-delimiter=;"), "'--array-delimiter=;'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }

    #[test]
    fn kuzu_strings_keep_control_characters_out_of_escapes() {
        assert_eq!(
            string_literal("\ta\r\nb\u{85}", Dialect::Kuzu),
            "decode(BLOB('\\\\x09')) + 'a' + decode(BLOB('\\\\x0D\\\\x0A')) + 'b' + \
             decode(BLOB('\\\\xC2\\\\x85'))"
        );
    }
}
