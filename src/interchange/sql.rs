//! The whole graph as three tables for SQL engines (DuckDB, Spark, PostgreSQL): their layout,
//! the scripts that load them, and the tables as CSV files ([`write_csv`]). The same tables as
//! Parquet files come from `interchange::parquet` (feature `parquet`);
//! `bonegraph export parquet -o DIR` writes both, with the scripts.
//!
//! The layout is fixed: the SQL query translator writes queries against exactly these
//! tables and columns, and `docs/interchange.md` documents them.
//!
//! - [`Table::Entities`]: [`ENTITY_COLUMNS`], one row per entity: `id`, `name`, `kind` (the
//!   kind's id), `aliases` (a list of strings, empty when there are none: never null),
//!   `summary`, `source`, `section`;
//! - [`Table::Edges`]: [`EDGE_COLUMNS`], one row per stated edge (an edge stated twice, with
//!   two claims, is two rows; inferred edges are left out as in every export): `from_id`,
//!   `relation` (the relation type's id, `is_a` included), `to_id`, then the claim columns
//!   `source`, `section`, `certainty`, `hedge`, `frequency`, `rank`, `quantity`, `timing`,
//!   `context`, `note`, `conflict`, `basis`;
//! - [`Table::Attributes`]: [`ATTRIBUTE_COLUMNS`], one row per attribute value, inferred ones
//!   included (with `basis` `inferred`): `id` (`attr-{entity}-{i}`), `entity`, `key`, `value`,
//!   then the claim columns.
//!
//! Every column but `aliases` is a nullable string, null where the graph has no value. The
//! values are the property-graph export's ([`pg`](super::pg)), and rows come in graph-file
//! order. This module knows nothing of Parquet, and writes through writers its caller opens.

use super::pg::{attribute_values, claim_values, csv_field, entity_values};
use crate::graph::KnowledgeGraph;
use std::io::{self, BufWriter, Write};

/// The columns of the `entities` table, in order: the property graph's entity properties.
pub const ENTITY_COLUMNS: [&str; 7] = [
    "id", "name", "kind", "aliases", "summary", "source", "section",
];

/// The columns of the `edges` table, in order: the edge's ends and relation type, then the
/// claim columns ([`pg::CLAIM_PROPERTIES`](super::pg::CLAIM_PROPERTIES)).
pub const EDGE_COLUMNS: [&str; 15] = [
    "from_id",
    "relation",
    "to_id",
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

/// The columns of the `attributes` table, in order: the attribute node's properties, then the
/// claim columns.
pub const ATTRIBUTE_COLUMNS: [&str; 16] = [
    "id",
    "entity",
    "key",
    "value",
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

/// One of the three tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// `entities`: one row per entity.
    Entities,
    /// `edges`: one row per stated edge.
    Edges,
    /// `attributes`: one row per attribute value.
    Attributes,
}

impl Table {
    /// The three tables, in the order they are written.
    pub const ALL: [Table; 3] = [Table::Entities, Table::Edges, Table::Attributes];

    /// The table's name: `entities`, `edges` or `attributes`.
    ///
    /// ```
    /// use bonegraph::interchange::sql::Table;
    /// assert_eq!(Table::Edges.name(), "edges");
    /// assert_eq!(Table::Edges.columns()[..3], ["from_id", "relation", "to_id"]);
    /// assert_eq!(Table::Edges.parquet_file(), "edges.parquet");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Table::Entities => "entities",
            Table::Edges => "edges",
            Table::Attributes => "attributes",
        }
    }

    /// The table's columns, in order.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Entities => &ENTITY_COLUMNS,
            Table::Edges => &EDGE_COLUMNS,
            Table::Attributes => &ATTRIBUTE_COLUMNS,
        }
    }

    /// The table's CSV file: `{name}.csv`.
    pub fn csv_file(self) -> &'static str {
        match self {
            Table::Entities => "entities.csv",
            Table::Edges => "edges.csv",
            Table::Attributes => "attributes.csv",
        }
    }

    /// The table's Parquet file: `{name}.parquet`.
    pub fn parquet_file(self) -> &'static str {
        match self {
            Table::Entities => "entities.parquet",
            Table::Edges => "edges.parquet",
            Table::Attributes => "attributes.parquet",
        }
    }

    /// How many rows the table has for `kg`.
    pub fn row_count(self, kg: &KnowledgeGraph) -> usize {
        match self {
            Table::Entities => kg.entity_count(),
            Table::Edges => kg.edge_count(),
            Table::Attributes => kg.nodes().map(|n| kg.entity(n).attributes.len()).sum(),
        }
    }
}

/// A script that makes the three tables known to one engine, by its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Script {
    /// The file it is written to.
    pub file: &'static str,
    /// What it says. It starts with a comment saying what it is and how to run it.
    pub text: &'static str,
}

/// `duckdb.sql`: a view per table over its Parquet file. The paths are relative, so run it
/// (and query the views) inside the directory: `duckdb -init duckdb.sql`, or `.read
/// duckdb.sql` in the DuckDB shell.
///
/// ```
/// use bonegraph::interchange::sql::DUCKDB_SCRIPT;
/// assert_eq!(DUCKDB_SCRIPT.file, "duckdb.sql");
/// assert!(DUCKDB_SCRIPT.text.contains(
///     "CREATE VIEW edges AS SELECT * FROM read_parquet('edges.parquet');\n"
/// ));
/// ```
pub const DUCKDB_SCRIPT: Script = Script {
    file: "duckdb.sql",
    text: "\
-- bonegraph export: the graph's tables (entities, edges, attributes) as DuckDB views over the
-- Parquet files beside this script. The paths are relative: run it, and query the views, with
-- this directory as the working directory: `duckdb -init duckdb.sql`, or `.read duckdb.sql` in
-- the DuckDB shell. Layout: docs/interchange.md.
CREATE VIEW entities AS SELECT * FROM read_parquet('entities.parquet');
CREATE VIEW edges AS SELECT * FROM read_parquet('edges.parquet');
CREATE VIEW attributes AS SELECT * FROM read_parquet('attributes.parquet');
",
};

/// `spark.sql`: a temporary view per table over its Parquet file, for Spark SQL. Relative
/// paths resolve against the driver's working directory, so start Spark inside the
/// directory: `spark-sql -i spark.sql` (the views last for the session), or run each
/// statement with `spark.sql(...)` in PySpark.
///
/// ```
/// use bonegraph::interchange::sql::SPARK_SCRIPT;
/// assert!(SPARK_SCRIPT.text.contains(
///     "CREATE OR REPLACE TEMPORARY VIEW entities USING parquet OPTIONS (path 'entities.parquet');\n"
/// ));
/// ```
pub const SPARK_SCRIPT: Script = Script {
    file: "spark.sql",
    text: "\
-- bonegraph export: the graph's tables (entities, edges, attributes) as Spark SQL temporary
-- views over the Parquet files beside this script. Relative paths resolve against the
-- driver's working directory: start Spark inside this directory, with `spark-sql -i
-- spark.sql` (the views last for the session), or run each statement with spark.sql(...) in
-- PySpark. Layout: docs/interchange.md.
CREATE OR REPLACE TEMPORARY VIEW entities USING parquet OPTIONS (path 'entities.parquet');
CREATE OR REPLACE TEMPORARY VIEW edges USING parquet OPTIONS (path 'edges.parquet');
CREATE OR REPLACE TEMPORARY VIEW attributes USING parquet OPTIONS (path 'attributes.parquet');
",
};

/// What `spark.sql` adds after [`SPARK_SCRIPT`]'s views for a graph with a hierarchy
/// relation: the cached view `up (node, anc)`, each entity with itself and each of its
/// ancestors through that relation, which `translate sql --dialect spark` reads. (The DuckDB
/// and PostgreSQL translations define the same closure as a recursive CTE in each query.)
///
/// Spark runs a recursive CTE again for each reference to it, a job per level, and does not
/// cache one (Spark 4.3 finds no cached data for a view over a recursive CTE), which made a
/// query a few seconds slower per reference. So the closure is written as one join per
/// level, up to the deepest chain of the hierarchy in this graph ([`hierarchy_depth`]):
/// Spark still computes it from the `edges` table, once, and caches it. A graph whose
/// hierarchy later grows deeper needs its export made again. Empty for a graph without a
/// hierarchy.
///
/// ```
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let tail = bonegraph::interchange::sql::spark_hierarchy(kg);
/// assert!(tail.contains("CREATE OR REPLACE TEMPORARY VIEW up AS\n"));
/// assert!(tail.contains("WHERE relation = 'is_a'"));
/// assert!(tail.ends_with("CACHE TABLE up;\n"));
/// ```
pub fn spark_hierarchy(kg: &KnowledgeGraph) -> String {
    use crate::query::translate::{SqlDialect, sql_string};
    use std::fmt::Write as _;
    let Some(h) = kg.schema().hierarchy else {
        return String::new();
    };
    let rel = sql_string(&kg.schema().relation(h).id, SqlDialect::Spark);
    let depth = hierarchy_depth(kg);
    let mut s = format!(
        "-- The hierarchy's closure, for `bonegraph translate sql --dialect spark`: each entity with
-- itself and each of its ancestors (node, anc), one join per level of this graph's deepest
-- chain ({depth}), computed once and cached.
CREATE OR REPLACE TEMPORARY VIEW hierarchy_steps AS
SELECT DISTINCT from_id, to_id FROM edges WHERE relation = {rel};
CREATE OR REPLACE TEMPORARY VIEW up AS
SELECT DISTINCT node, anc FROM (
  SELECT id AS node, id AS anc FROM entities
"
    );
    for level in 1..=depth {
        let _ = write!(
            s,
            "  UNION ALL SELECT s1.from_id, s{level}.to_id FROM hierarchy_steps s1"
        );
        for k in 2..=level {
            let _ = write!(
                s,
                " JOIN hierarchy_steps s{k} ON s{k}.from_id = s{}.to_id",
                k - 1
            );
        }
        s.push('\n');
    }
    s.push_str(") closure;\nCACHE TABLE up;\n");
    s
}

/// The number of steps in the longest chain of the hierarchy relation (0 without one, or
/// when no entity has a class). The loader refuses cycles, so the chain is finite.
///
/// ```
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// assert!(bonegraph::interchange::sql::hierarchy_depth(kg) >= 2);
/// ```
pub fn hierarchy_depth(kg: &KnowledgeGraph) -> usize {
    use crate::graph::Direction;
    let Some(h) = kg.schema().hierarchy else {
        return 0;
    };
    // Steps up from each entity, by depth-first search with the answers kept; an explicit
    // stack, so a long chain cannot overflow the call stack.
    let n = kg.entity_count();
    let mut up: Vec<Option<usize>> = vec![None; n];
    let mut deepest = 0;
    for start in kg.nodes() {
        let mut stack = vec![start];
        while let Some(&node) = stack.last() {
            if up[node.index()].is_some() {
                stack.pop();
                continue;
            }
            let parents = kg.neighbors(node, h, Direction::Forward);
            let pending: Vec<_> = parents
                .iter()
                .filter(|p| up[p.node.index()].is_none())
                .map(|p| p.node)
                .collect();
            if pending.is_empty() {
                let d = parents
                    .iter()
                    .map(|p| up[p.node.index()].unwrap_or(0) + 1)
                    .max()
                    .unwrap_or(0);
                up[node.index()] = Some(d);
                deepest = deepest.max(d);
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
    }
    deepest
}

/// `postgres.sql`: `CREATE TABLE` for the three tables (`text` columns, `aliases text[]`),
/// then psql's `\copy` from the CSV files ([`write_csv`]), since PostgreSQL cannot read
/// Parquet. `\copy` reads the files on the client, relative to psql's working directory: run
/// `psql -d DATABASE -f postgres.sql` inside the directory.
///
/// ```
/// use bonegraph::interchange::sql::POSTGRES_SCRIPT;
/// assert!(POSTGRES_SCRIPT.text.contains(
///     "\\copy entities FROM 'entities.csv' WITH (FORMAT csv, HEADER true)\n"
/// ));
/// assert!(POSTGRES_SCRIPT.text.contains("  aliases text[] NOT NULL,\n"));
/// ```
pub const POSTGRES_SCRIPT: Script = Script {
    file: "postgres.sql",
    text: "\
-- bonegraph export: the graph's tables (entities, edges, attributes) for PostgreSQL, loaded
-- from the CSV files beside this script (PostgreSQL cannot read Parquet). psql's \\copy reads
-- them relative to psql's working directory: run `psql -d DATABASE -f postgres.sql` inside
-- this directory, on a database without these tables. Layout: docs/interchange.md.
CREATE TABLE entities (
  id text,
  name text,
  kind text,
  aliases text[] NOT NULL,
  summary text,
  source text,
  section text
);
CREATE TABLE edges (
  from_id text,
  relation text,
  to_id text,
  source text,
  section text,
  certainty text,
  hedge text,
  frequency text,
  rank text,
  quantity text,
  timing text,
  context text,
  note text,
  conflict text,
  basis text
);
CREATE TABLE attributes (
  id text,
  entity text,
  key text,
  value text,
  source text,
  section text,
  certainty text,
  hedge text,
  frequency text,
  rank text,
  quantity text,
  timing text,
  context text,
  note text,
  conflict text,
  basis text
);
\\copy entities FROM 'entities.csv' WITH (FORMAT csv, HEADER true)
\\copy edges FROM 'edges.csv' WITH (FORMAT csv, HEADER true)
\\copy attributes FROM 'attributes.csv' WITH (FORMAT csv, HEADER true)
",
};

/// The three scripts, in the order they are written.
pub const SCRIPTS: [Script; 3] = [POSTGRES_SCRIPT, DUCKDB_SCRIPT, SPARK_SCRIPT];

/// One cell of a row: a string or null, or (for `aliases`) a list of strings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    /// A nullable string column.
    Text(Option<&'a str>),
    /// The list column.
    List(&'a [String]),
}

/// Calls `row` with each row of `table`, in graph-file order, as one cell per column.
pub(crate) fn for_each_row<E>(
    kg: &KnowledgeGraph,
    table: Table,
    mut row: impl FnMut(&[Cell<'_>]) -> Result<(), E>,
) -> Result<(), E> {
    match table {
        Table::Entities => {
            for n in kg.nodes() {
                let e = kg.entity(n);
                let [id, name, kind, summary, source, section] = entity_values(kg, e);
                row(&[
                    Cell::Text(id),
                    Cell::Text(name),
                    Cell::Text(kind),
                    Cell::List(&e.aliases),
                    Cell::Text(summary),
                    Cell::Text(source),
                    Cell::Text(section),
                ])?;
            }
        }
        Table::Edges => {
            let relations = &kg.schema().relations;
            for ix in kg.edges() {
                let (a, edge, b) = kg.edge(ix);
                let claims = claim_values(kg, &edge.claim);
                let mut cells: Vec<Cell<'_>> = Vec::with_capacity(EDGE_COLUMNS.len());
                cells.extend([
                    Cell::Text(Some(kg.entity(a).id.as_str())),
                    Cell::Text(Some(relations[usize::from(edge.rel.0)].id.as_str())),
                    Cell::Text(Some(kg.entity(b).id.as_str())),
                ]);
                cells.extend(claims.iter().map(|v| Cell::Text(v.as_deref())));
                row(&cells)?;
            }
        }
        Table::Attributes => {
            for n in kg.nodes() {
                let e = kg.entity(n);
                for a in &e.attributes {
                    let values = attribute_values(kg, e, a);
                    let cells: Vec<Cell<'_>> =
                        values.iter().map(|v| Cell::Text(v.as_deref())).collect();
                    row(&cells)?;
                }
            }
        }
    }
    Ok(())
}

/// A list as a PostgreSQL array literal: `{"a","b"}`, each element in double quotes with `"`
/// and `\` backslash-escaped; `{}` when empty.
///
/// ```
/// use bonegraph::interchange::sql::postgres_array;
/// assert_eq!(postgres_array(&["Zometa".to_owned(), r#"say "hi" \o/"#.to_owned()]),
///            r#"{"Zometa","say \"hi\" \\o/"}"#);
/// assert_eq!(postgres_array(&[]), "{}");
/// ```
pub fn postgres_array(items: &[String]) -> String {
    let mut out = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in item.chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// What [`write_csv`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTables {
    /// The files written, in the order written, by name.
    pub files: Vec<String>,
    /// Rows of `entities`, `edges` and `attributes`, in that order.
    pub rows: [usize; 3],
}

/// Writes the three tables as CSV files (`entities.csv`, `edges.csv`, `attributes.csv`), then
/// [`POSTGRES_SCRIPT`], which loads them, each through a writer that `open` gives for its file
/// name; `close` gets each writer back when its file is whole. The library writes no files
/// itself: `bonegraph export parquet -o DIR` writes these in a new directory beside the
/// Parquet files.
///
/// Each file has a header row of the column names. Fields follow RFC 4180: a field is quoted
/// unless it is a plain word, with inner quotes doubled, and line breaks inside quotes are
/// kept. An absent value (null) is an empty, unquoted field; an empty string is `""`.
/// `aliases` is a PostgreSQL array literal ([`postgres_array`]), `{}` when there are none.
///
/// ```
/// use bonegraph::interchange::sql::write_csv;
/// use std::collections::BTreeMap;
///
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
/// let written = write_csv(kg, |_| Ok(Vec::new()), |name, bytes| {
///     files.insert(name.to_owned(), bytes);
///     Ok(())
/// })?;
/// assert_eq!(written.files, ["entities.csv", "edges.csv", "attributes.csv", "postgres.sql"]);
/// assert_eq!(written.rows[1], kg.edge_count());
/// let entities = String::from_utf8(files["entities.csv"].clone())?;
/// assert!(entities.starts_with("id,name,kind,aliases,summary,source,section\n"));
/// assert!(entities.contains("\nzoledronic_acid,zoledronic acid,therapy,\"{\"\"Zometa\"\"}\","));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write_csv<W: Write>(
    kg: &KnowledgeGraph,
    mut open: impl FnMut(&str) -> io::Result<W>,
    mut close: impl FnMut(&str, W) -> io::Result<()>,
) -> io::Result<CsvTables> {
    let mut files = Vec::new();
    let mut rows = [0; 3];
    for (i, table) in Table::ALL.into_iter().enumerate() {
        let name = table.csv_file();
        let mut w = BufWriter::new(open(name)?);
        w.write_all(table.columns().join(",").as_bytes())?;
        w.write_all(b"\n")?;
        for_each_row(kg, table, |cells| {
            for (j, cell) in cells.iter().enumerate() {
                if j > 0 {
                    w.write_all(b",")?;
                }
                match cell {
                    Cell::Text(None) => {}
                    Cell::Text(Some(text)) => w.write_all(csv_field(text).as_bytes())?,
                    Cell::List(items) => {
                        w.write_all(csv_field(&postgres_array(items)).as_bytes())?
                    }
                }
            }
            rows[i] += 1;
            w.write_all(b"\n")
        })?;
        let w = w.into_inner().map_err(|e| e.into_error())?;
        close(name, w)?;
        files.push(name.to_owned());
    }
    let mut w = open(POSTGRES_SCRIPT.file)?;
    w.write_all(POSTGRES_SCRIPT.text.as_bytes())?;
    close(POSTGRES_SCRIPT.file, w)?;
    files.push(POSTGRES_SCRIPT.file.to_owned());
    Ok(CsvTables { files, rows })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_hierarchy_depth_is_the_longest_chain_of_steps_up() {
        let tiny =
            crate::KnowledgeGraph::from_str(include_str!("../../tests/fixtures/valid/tiny.ron"))
                .unwrap();
        assert_eq!(hierarchy_depth(&tiny), 1);
        // graph.ron: classes three levels deep (a drug, its class, the class's class).
        assert_eq!(hierarchy_depth(crate::KnowledgeGraph::embedded()), 3);
        let closure = spark_hierarchy(crate::KnowledgeGraph::embedded());
        assert_eq!(closure.matches("UNION ALL SELECT").count(), 3, "{closure}");
        assert!(closure.contains("JOIN hierarchy_steps s3 ON s3.from_id = s2.to_id"));
    }

    use super::*;
    use crate::interchange::pg::{ATTRIBUTE_PROPERTIES, CLAIM_PROPERTIES, ENTITY_PROPERTIES};

    #[test]
    fn the_columns_are_the_property_graphs() {
        assert_eq!(ENTITY_COLUMNS, ENTITY_PROPERTIES);
        assert_eq!(EDGE_COLUMNS[3..], CLAIM_PROPERTIES);
        assert_eq!(ATTRIBUTE_COLUMNS[..4], ATTRIBUTE_PROPERTIES);
        assert_eq!(ATTRIBUTE_COLUMNS[4..], CLAIM_PROPERTIES);
    }

    /// The `CREATE TABLE` of each table in `postgres.sql` names its columns, in order.
    #[test]
    fn the_postgres_tables_have_the_layouts_columns() {
        for table in Table::ALL {
            let head = format!("CREATE TABLE {} (\n", table.name());
            let start = POSTGRES_SCRIPT.text.find(&head).unwrap() + head.len();
            let body = &POSTGRES_SCRIPT.text[start..];
            let body = &body[..body.find("\n);\n").unwrap()];
            let columns: Vec<&str> = body
                .lines()
                .map(|l| l.trim().split(' ').next().unwrap())
                .collect();
            assert_eq!(columns, table.columns());
            for line in body.lines() {
                let name = line.trim().split(' ').next().unwrap();
                let ty = if (table, name) == (Table::Entities, "aliases") {
                    "text[] NOT NULL"
                } else {
                    "text"
                };
                assert_eq!(line.trim().trim_end_matches(','), format!("{name} {ty}"));
            }
        }
    }

    #[test]
    fn every_script_names_every_table() {
        for script in SCRIPTS {
            assert!(script.text.starts_with("-- bonegraph export: "));
            for table in Table::ALL {
                let file = if script.file == POSTGRES_SCRIPT.file {
                    table.csv_file()
                } else {
                    table.parquet_file()
                };
                assert!(script.text.contains(&format!(" {} ", table.name())));
                assert!(script.text.contains(&format!("'{file}'")));
            }
        }
    }
}
