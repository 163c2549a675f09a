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
//!   from their entity by a [`HAS_ATTRIBUTE`](super::names::HAS_ATTRIBUTE) relationship;
//! - one relationship type per relation type, named exactly the relation's id (`is_a`
//!   included), with the claim properties `source`, `section`, `certainty`, `hedge`,
//!   `frequency`, `rank`, `quantity`, `timing`, `context`, `note`, `conflict`, `basis`.
//!
//! Absent values are left out (null). All output is in graph-file order.

use super::names::{ATTRIBUTE_LABEL, ENTITY_LABEL, RESERVED_PG_NAMES, cypher_string};
use crate::graph::{Attribute, Claim, Entity, KnowledgeGraph};
use std::fmt::Write as _;
use std::io;

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
        if dialect == Dialect::Kuzu
            && let Some(first) = relations[..i]
                .iter()
                .find(|f| f.id.to_lowercase() == r.id.to_lowercase())
        {
            return Err(PgError::CaseClash {
                first: first.id.clone(),
                second: r.id.clone(),
            });
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

/// A claim's properties, in [`CLAIM_PROPERTIES`] order. Shared with the SQL tables
/// ([`super::sql`]), whose claim columns are the same.
pub(crate) fn claim_values(kg: &KnowledgeGraph, c: &Claim) -> [Option<String>; 12] {
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

/// An entity's scalar properties in [`ENTITY_PROPERTIES`] order, without `aliases`. Shared
/// with the SQL tables ([`super::sql`]).
pub(crate) fn entity_values<'a>(kg: &'a KnowledgeGraph, e: &'a Entity) -> [Option<&'a str>; 6] {
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

/// An attribute value's properties: [`ATTRIBUTE_PROPERTIES`], then [`CLAIM_PROPERTIES`].
/// Shared with the SQL tables ([`super::sql`]).
pub(crate) fn attribute_values(
    kg: &KnowledgeGraph,
    e: &Entity,
    a: &Attribute,
) -> Vec<Option<String>> {
    let mut row = Vec::with_capacity(ATTRIBUTE_PROPERTIES.len() + CLAIM_PROPERTIES.len());
    row.extend([
        Some(attribute_node_id(&e.id, a.claim.file_index)),
        Some(e.id.clone()),
        Some(kg.schema().attributes[usize::from(a.key)].id.clone()),
        Some(a.value.clone()),
    ]);
    row.extend(claim_values(kg, &a.claim));
    row
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

mod csv;
mod cypher;

pub(crate) use csv::csv_field;
pub use csv::{
    ARRAY_DELIMITERS, CsvExport, KUZU_SCRIPT, NEO4J_SCRIPT, relation_file_name, write_csv,
};
pub use cypher::{kuzu_ddl, write_cypher};

#[cfg(test)]
mod tests {
    use super::csv::{csv_field, shell_word};
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
