//! The property graph as CSV files for bulk import, with the scripts that load them into
//! Kuzu (`COPY`) and Neo4j (`neo4j-admin database import`). The files go through writers the
//! caller opens: the library writes no files itself.

use super::*;
use crate::interchange::names::{
    ATTRIBUTE_LABEL, ENTITY_LABEL, HAS_ATTRIBUTE, cypher_ident, push_iri_segment,
};
use std::io::{self, BufWriter, Write};

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
/// for its file name: the library writes no files itself. The command line's `export
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
pub(crate) fn csv_field(text: &str) -> String {
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
pub(super) fn shell_word(text: &str) -> String {
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
            let row = attribute_values(kg, e, a);
            attributes.row(&row)?;
            links.row(&[Some(e.id.as_str()), row[0].as_deref()])?;
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
