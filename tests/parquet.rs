//! The tables for SQL engines (`bonegraph export parquet -o DIR`): the Parquet files read back
//! with the `parquet` crate's own reader and the CSV files parsed back, each compared value
//! for value (nulls kept apart from empty strings) with rows built here from the graph's public
//! API; the scripts golden on the tiny graph; the command's refusals; and, where Python's
//! `duckdb` package is installed, DuckDB running `duckdb.sql` inside the directory.

use crate::util::{assert_golden, bonegraph, fixture, root, scratch, stderr, temporaries};
use ::parquet::column::reader::ColumnReader;
use ::parquet::file::reader::{FileReader, SerializedFileReader};
use bonegraph::KnowledgeGraph;
use bonegraph::interchange::parquet::{ParquetExport, write_parquet};
use bonegraph::interchange::sql::{self, Table};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Text that SQL engines and CSV readers stumble on: quotes of both kinds, backslashes, commas,
/// braces (PostgreSQL array syntax), `NULL` spelt out, line breaks, a line holding only `\.`
/// (psql's end-of-data mark) inside an alias, tabs, NUL and other control characters,
/// non-Latin scripts, empty strings beside absent values, an edge stated twice, an inferred
/// attribute value, and an entity with no aliases.
const HOSTILE_SQL: &str = r#"(
  name: "sql \"hostile\"",
  schema: (
    kinds: [(id: "k'ind", singular: "thing", plural: "things")],
    relations: [
      (id: "it's, \"quoted\"", from: ["*"], to: ["*"], forward: ["quoting"], inverse: ["quoted by"]),
      (id: "is_a", from: ["*"], to: ["*"], hierarchy: true, forward: ["that are"], inverse: ["including"]),
    ],
    attributes: [(id: "note,key", label: "a note")],
  ),
  sources: [(id: "s", title: "S", sections: [(id: "a;b", title: "A")])],
  entities: [
    (id: "it's", kind: "k'ind", name: "O'Brien; \"x\", y",
     aliases: ["a\"b", "back\\slash", "{brace}", "NULL", "comma,here", "line\n\\.\nbreak", "tab\there", "日本語", " lead"],
     summary: "", source: "s", section: "a;b",
     attributes: [
       (key: "note,key", value: "", source: "s", hedge: "can't"),
       (key: "note,key", value: "nul \u{0} bell \u{7} crlf\r\n", basis: Inferred),
     ]),
    (id: "plain", kind: "k'ind", name: "plain"),
    (id: "Ελληνικά", kind: "k'ind", name: "\\N"),
  ],
  relations: [
    (from: "it's", rel: "it's, \"quoted\"", to: "plain", source: "s", section: "a;b", note: "n,o;t\"e"),
    (from: "it's", rel: "it's, \"quoted\"", to: "plain", hedge: "again"),
    (from: "plain", rel: "is_a", to: "Ελληνικά", certainty: Likely),
  ],
)"#;

/// A cell as the tables hold it: a string or null, or the list of `aliases`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Text(Option<String>),
    List(Vec<String>),
}

fn text(v: Option<&str>) -> Value {
    Value::Text(v.map(str::to_owned))
}

fn load(rel: &str) -> KnowledgeGraph {
    KnowledgeGraph::from_path(root().join(fixture(rel))).unwrap()
}

/// Every graph the round trips run on.
fn graphs() -> Vec<(&'static str, KnowledgeGraph)> {
    vec![
        ("embedded", KnowledgeGraph::embedded().clone()),
        ("tiny", load("valid/tiny.ron")),
        ("hostile", load("valid/hostile.ron")),
        ("values", load("valid/values.ron")),
        (
            "hostile-sql",
            KnowledgeGraph::from_str(HOSTILE_SQL).unwrap(),
        ),
    ]
}

/// A claim's twelve columns, from the public API.
fn claim(kg: &KnowledgeGraph, c: &bonegraph::Claim) -> Vec<Value> {
    let (source, section) = match c.provenance {
        Some(p) => {
            let (s, sec) = kg.describe_provenance(&p);
            (Some(s.id.clone()), sec.map(str::to_owned))
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
    .into_iter()
    .map(Value::Text)
    .collect()
}

/// The rows `table` must hold for `kg`, built from the layout in docs/interchange.md.
fn expected(kg: &KnowledgeGraph, table: Table) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    match table {
        Table::Entities => {
            for n in kg.nodes() {
                let e = kg.entity(n);
                let (source, section) = match e.provenance {
                    Some(p) => {
                        let (s, sec) = kg.describe_provenance(&p);
                        (Some(s.id.as_str()), sec)
                    }
                    None => (None, None),
                };
                rows.push(vec![
                    text(Some(&e.id)),
                    text(Some(&e.name)),
                    text(Some(&kg.schema().kind(e.kind).id)),
                    Value::List(e.aliases.clone()),
                    text(e.summary.as_deref()),
                    text(source),
                    text(section),
                ]);
            }
        }
        Table::Edges => {
            for ix in kg.edges() {
                let (a, edge, b) = kg.edge(ix);
                let mut row = vec![
                    text(Some(&kg.entity(a).id)),
                    text(Some(&kg.schema().relations[usize::from(edge.rel.0)].id)),
                    text(Some(&kg.entity(b).id)),
                ];
                row.extend(claim(kg, &edge.claim));
                rows.push(row);
            }
        }
        Table::Attributes => {
            for n in kg.nodes() {
                let e = kg.entity(n);
                for a in &e.attributes {
                    let mut row = vec![
                        text(Some(&format!("attr-{}-{}", e.id, a.claim.file_index))),
                        text(Some(&e.id)),
                        text(Some(&kg.schema().attributes[usize::from(a.key)].id)),
                        text(Some(&a.value)),
                    ];
                    row.extend(claim(kg, &a.claim));
                    rows.push(row);
                }
            }
        }
    }
    rows
}

/// The export written into a new directory `dir`, one file per name (what the command line
/// does, without its staging).
fn write_dir(kg: &KnowledgeGraph, dir: &Path) -> ParquetExport {
    std::fs::create_dir_all(dir).unwrap();
    write_parquet(
        kg,
        |name| std::fs::File::create(dir.join(name)),
        |_, file| file.sync_all(),
    )
    .unwrap()
}

/// Every row of a Parquet file, read back column by column with the `parquet` crate's
/// low-level reader, so that nulls, empty strings and empty lists stay apart.
fn read_parquet(path: &Path) -> Vec<Vec<Value>> {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let mut columns: Vec<Vec<Value>> = vec![Vec::new(); schema.num_columns()];
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g).unwrap();
        for (c, column) in columns.iter_mut().enumerate() {
            let descr = schema.column(c);
            let ColumnReader::ByteArrayColumnReader(mut r) = group.get_column_reader(c).unwrap()
            else {
                panic!("{}: column {c} is not BYTE_ARRAY", path.display());
            };
            let (mut defs, mut reps, mut values) = (Vec::new(), Vec::new(), Vec::new());
            loop {
                let (records, _, _) = r
                    .read_records(1 << 20, Some(&mut defs), Some(&mut reps), &mut values)
                    .unwrap();
                if records == 0 {
                    break;
                }
            }
            let mut values = values
                .into_iter()
                .map(|v| String::from_utf8(v.data().to_vec()).expect("UTF-8"));
            if descr.max_rep_level() == 0 {
                assert_eq!(descr.max_def_level(), 1, "{}", descr.name());
                for d in defs {
                    column.push(Value::Text((d == 1).then(|| values.next().unwrap())));
                }
            } else {
                for (d, r) in defs.into_iter().zip(reps) {
                    if r == 0 {
                        column.push(Value::List(Vec::new()));
                    }
                    if d == descr.max_def_level() {
                        let Some(Value::List(items)) = column.last_mut() else {
                            unreachable!()
                        };
                        items.push(values.next().unwrap());
                    }
                }
            }
            assert!(values.next().is_none(), "values left over");
        }
    }
    let rows = columns.first().map_or(0, Vec::len);
    assert!(columns.iter().all(|c| c.len() == rows), "ragged columns");
    (0..rows)
        .map(|i| columns.iter().map(|c| c[i].clone()).collect())
        .collect()
}

/// The Parquet schema of the `entities` table, as the `parquet` crate prints it.
const ENTITIES_SCHEMA: &str = "\
message bonegraph {
  OPTIONAL BYTE_ARRAY id (STRING);
  OPTIONAL BYTE_ARRAY name (STRING);
  OPTIONAL BYTE_ARRAY kind (STRING);
  REQUIRED group aliases (LIST) {
    REPEATED group list {
      REQUIRED BYTE_ARRAY element (STRING);
    }
  }
  OPTIONAL BYTE_ARRAY summary (STRING);
  OPTIONAL BYTE_ARRAY source (STRING);
  OPTIONAL BYTE_ARRAY section (STRING);
}
";

fn schema_text(path: &Path) -> String {
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    ::parquet::schema::printer::print_schema(&mut out, reader.metadata().file_metadata().schema());
    String::from_utf8(out).unwrap()
}

#[test]
fn the_parquet_files_hold_exactly_the_graphs_rows() {
    let base = scratch("parquet-round-trip");
    for (what, kg) in graphs() {
        let dir = base.join(what);
        let written = write_dir(&kg, &dir);
        for (i, table) in Table::ALL.into_iter().enumerate() {
            let path = dir.join(table.parquet_file());
            let rows = read_parquet(&path);
            assert_eq!(rows, expected(&kg, table), "{what}: {}", table.name());
            assert_eq!(written.rows[i], rows.len(), "{what}");
            assert_eq!(table.row_count(&kg), rows.len(), "{what}");
            // Column names and order are the layout's.
            let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
            let fields: Vec<String> = reader
                .metadata()
                .file_metadata()
                .schema()
                .get_fields()
                .iter()
                .map(|f| f.name().to_owned())
                .collect();
            assert_eq!(fields, table.columns(), "{what}");
            let mut codecs = reader
                .metadata()
                .row_groups()
                .iter()
                .flat_map(|g| g.columns().iter().map(|c| c.compression()));
            assert!(codecs.all(|c| c == ::parquet::basic::Compression::SNAPPY));
        }
        assert_eq!(
            schema_text(&dir.join("entities.parquet")),
            ENTITIES_SCHEMA,
            "{what}"
        );
        let edge_schema = schema_text(&dir.join("edges.parquet"));
        for column in sql::EDGE_COLUMNS {
            assert!(edge_schema.contains(&format!("  OPTIONAL BYTE_ARRAY {column} (STRING);\n")));
        }
    }
}

#[test]
fn hostile_values_and_nulls_survive_parquet() {
    // Spot checks that the expected rows themselves hold what the test means to test.
    let kg = KnowledgeGraph::from_str(HOSTILE_SQL).unwrap();
    let dir = scratch("parquet-hostile");
    let written = write_dir(&kg, &dir);
    assert_eq!(written.rows, [3, 3, 2]);
    let entities = read_parquet(&dir.join("entities.parquet"));
    let Value::List(aliases) = &entities[0][3] else {
        panic!()
    };
    assert_eq!(aliases[5], "line\n\\.\nbreak");
    assert_eq!(aliases[7], "日本語");
    // An empty summary is an empty string; an absent one is null; no aliases is an empty list.
    assert_eq!(entities[0][4], text(Some("")));
    assert_eq!(entities[1][3], Value::List(Vec::new()));
    assert_eq!(entities[1][4], text(None));
    assert_eq!(entities[2][1], text(Some("\\N")));
    let attributes = read_parquet(&dir.join("attributes.parquet"));
    assert_eq!(attributes[0][3], text(Some("")));
    assert_eq!(attributes[1][3], text(Some("nul \0 bell \u{7} crlf\r\n")));
    assert_eq!(attributes[1][15], text(Some("inferred")));
    // The edge stated twice is two rows, each with its own claim.
    let edges = read_parquet(&dir.join("edges.parquet"));
    assert_eq!(edges[0][..3], edges[1][..3]);
    assert_eq!(edges[0][12], text(Some("n,o;t\"e")));
    assert_eq!(edges[1][6], text(Some("again")));
    assert_eq!(edges[2][5], text(Some("likely")));
}

/// The rows of a CSV file, header first, parsed by the RFC 4180 rules the export follows: an
/// unquoted empty field is null, a quoted one an empty string.
fn csv_cells(text: &str) -> Vec<Vec<Option<String>>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut field = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            quoted = true;
            chars.next();
            loop {
                match chars.next().expect("a closing quote") {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
        }
        while let Some(&c) = chars.peek() {
            if c == ',' || c == '\n' {
                break;
            }
            assert!(!quoted, "text after a closing quote");
            field.push(c);
            chars.next();
        }
        row.push((quoted || !field.is_empty()).then_some(field));
        match chars.next() {
            Some(',') => {}
            Some('\n') => rows.push(std::mem::take(&mut row)),
            None => {
                assert!(row == [None], "the file does not end with a line break");
                return rows;
            }
            Some(_) => unreachable!(),
        }
    }
}

/// A PostgreSQL array literal of quoted elements (as the export writes them) read back.
fn postgres_array(text: &str) -> Vec<String> {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .expect("braces");
    let mut items = Vec::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        assert_eq!(c, '"', "{text}");
        let mut item = String::new();
        loop {
            match chars.next().expect("a closing quote") {
                '\\' => item.push(chars.next().unwrap()),
                '"' => break,
                c => item.push(c),
            }
        }
        items.push(item);
        match chars.next() {
            Some(',') | None => {}
            Some(c) => panic!("`{c}` after an element in {text}"),
        }
    }
    items
}

#[test]
fn the_csv_files_hold_the_same_rows() {
    let base = scratch("parquet-csv");
    for (what, kg) in graphs() {
        let dir = base.join(what);
        write_dir(&kg, &dir);
        for table in Table::ALL {
            let path = dir.join(table.csv_file());
            let raw = std::fs::read_to_string(&path).unwrap();
            let mut cells = csv_cells(&raw);
            let header = cells.remove(0);
            let header: Vec<&str> = header.iter().map(|h| h.as_deref().unwrap()).collect();
            assert_eq!(header, table.columns(), "{what}");
            let rows: Vec<Vec<Value>> = cells
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .zip(table.columns())
                        .map(|(cell, &column)| {
                            if (table, column) == (Table::Entities, "aliases") {
                                Value::List(postgres_array(&cell.expect("aliases is never null")))
                            } else {
                                Value::Text(cell)
                            }
                        })
                        .collect()
                })
                .collect();
            let expected = expected(&kg, table);
            assert_eq!(rows, expected, "{what}: {}", table.csv_file());
            // The csv crate reads the same values (it cannot tell null from empty).
            let mut reader = csv::ReaderBuilder::new().from_path(&path).unwrap();
            assert_eq!(reader.headers().unwrap(), table.columns(), "{what}");
            let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
            assert_eq!(records.len(), expected.len(), "{what}");
            for (record, row) in records.iter().zip(&expected) {
                for (field, value) in record.iter().zip(row) {
                    match value {
                        Value::Text(t) => assert_eq!(field, t.as_deref().unwrap_or("")),
                        Value::List(items) => assert_eq!(&postgres_array(field), items),
                    }
                }
            }
        }
    }
    // Nulls are empty unquoted fields, empty strings `""`, no aliases `{}`.
    let raw = std::fs::read_to_string(base.join("hostile-sql/entities.csv")).unwrap();
    assert!(raw.contains("\nplain,plain,\"k'ind\",\"{}\",,,\n"), "{raw}");
    assert!(
        raw.contains(r#""{""a\""b"",""back\\slash"",""{brace}"",""NULL"","#),
        "{raw}"
    );
}

/// The files `export parquet -o DIR` writes, in order.
const FILES: [&str; 9] = [
    "entities.parquet",
    "edges.parquet",
    "attributes.parquet",
    "entities.csv",
    "edges.csv",
    "attributes.csv",
    "postgres.sql",
    "duckdb.sql",
    "spark.sql",
];

fn export(args: &[&str], dir: &Path) -> std::process::Output {
    let mut all = vec!["export", "parquet"];
    all.extend_from_slice(args);
    all.extend(["-o", dir.to_str().unwrap()]);
    bonegraph(&all)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_command_writes_the_directory_and_the_scripts_are_golden() {
    let base = scratch("parquet-cli");
    let dir = base.join("tiny");
    let out = export(&["tests/fixtures/valid/tiny.ron"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let mut expected_files = FILES.map(str::to_owned).to_vec();
    expected_files.sort();
    assert_eq!(listing(&dir), expected_files);
    // The library reports the same files, in the order written.
    let kg = load("valid/tiny.ron");
    assert_eq!(write_dir(&kg, &base.join("lib")).files, FILES);
    for (script, golden) in [
        (sql::DUCKDB_SCRIPT, "valid/tiny-duckdb.sql"),
        (sql::SPARK_SCRIPT, "valid/tiny-spark.sql"),
        (sql::POSTGRES_SCRIPT, "valid/tiny-postgres.sql"),
    ] {
        let text = std::fs::read_to_string(dir.join(script.file)).unwrap();
        // Spark's script adds the hierarchy's closure of this graph after the views.
        let tail = if script.file == sql::SPARK_SCRIPT.file {
            sql::spark_hierarchy(&kg)
        } else {
            String::new()
        };
        assert_eq!(text, format!("{}{tail}", script.text));
        assert_golden(&fixture(golden), &text);
    }
    assert_eq!(
        read_parquet(&dir.join("edges.parquet")),
        expected(&kg, Table::Edges)
    );
    // --graph names the graph when no FILE is given; an empty directory is filled.
    let empty = base.join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = export(&["--graph", "tests/fixtures/valid/tiny.ron"], &empty);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(listing(&empty), expected_files);
    assert_eq!(
        std::fs::read(empty.join("edges.parquet")).unwrap(),
        std::fs::read(dir.join("edges.parquet")).unwrap(),
        "the same graph gives the same bytes"
    );
}

#[test]
fn the_command_refuses_an_unusable_directory_and_leaves_nothing_behind() {
    let base = scratch("parquet-refusals");
    // A directory with anything in it is refused and left alone.
    let full = base.join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("notes.txt"), "mine").unwrap();
    let out = export(&[], &full);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        format!(
            "error: `{}` is a directory that is not empty; give a new or an empty directory\n",
            full.display()
        )
    );
    assert_eq!(listing(&full), ["notes.txt"]);
    // A path whose parent is missing.
    let orphan = base.join("missing").join("out");
    let out = export(&[], &orphan);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot write `{}`: no such file or directory\n",
            orphan.display()
        )
    );
    // A file.
    let file = base.join("file.txt");
    std::fs::write(&file, "keep").unwrap();
    let out = export(&[], &file);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("exists and is not a directory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    // A graph that does not load.
    let bad = base.join("bad");
    let out = export(&["tests/fixtures/invalid/dangling_id.ron"], &bad);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("error[dangling-id]"),
        "{}",
        stderr(&out)
    );
    // No -o is a usage error.
    let out = bonegraph(&["export", "parquet"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("the following required arguments were not provided"),
        "{}",
        stderr(&out)
    );
    assert_eq!(listing(&base), ["file.txt", "full"]);
    assert_eq!(temporaries(&base), Vec::<String>::new());
}

/// A Python that can import `duckdb`: `$BONEGRAPH_PYTHON` (.ci/run sets it), else the
/// differential test's virtualenv, else `python3`; none where no candidate can, and the
/// DuckDB test then says it is skipped.
fn python_with_duckdb() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("BONEGRAPH_PYTHON").map(PathBuf::from),
        Some(root().join("target/differential-venv/bin/python")),
        Some(PathBuf::from("python3")),
    ];
    let found = candidates.into_iter().flatten().find(|python| {
        Command::new(python)
            .args(["-c", "import duckdb"])
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        eprintln!(
            "note: Python's duckdb package not installed; skipped: DuckDB running duckdb.sql"
        );
    }
    found
}

/// Runs `duckdb.sql` in a new in-memory database from inside the directory it is given, and
/// prints as JSON each table's row count and rows (lists as lists, nulls as null).
const DUCKDB_LOADER: &str = r#"
import duckdb, json, os, sys
os.chdir(sys.argv[1])
conn = duckdb.connect()
conn.execute(open("duckdb.sql", encoding="utf-8").read())
out = {}
for table in ("entities", "edges", "attributes"):
    out[table] = {
        "count": conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0],
        "rows": [list(r) for r in conn.execute(f"SELECT * FROM {table}").fetchall()],
    }
print(json.dumps(out))
"#;

#[test]
fn duckdb_runs_the_script_and_sees_every_row() {
    let Some(python) = python_with_duckdb() else {
        return;
    };
    let base = scratch("parquet-duckdb");
    for (what, kg) in graphs() {
        let dir = base.join(what);
        let out = if what == "embedded" {
            export(&[], &dir)
        } else {
            let src = base.join(format!("{what}.ron"));
            std::fs::write(&src, graph_text(what)).unwrap();
            export(&[src.to_str().unwrap()], &dir)
        };
        assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(&out));
        let run = Command::new(&python)
            .args(["-c", DUCKDB_LOADER])
            .arg(&dir)
            .output()
            .expect("python runs");
        assert!(
            run.status.success(),
            "{what}: DuckDB refuses duckdb.sql: {}",
            stderr(&run)
        );
        let got: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(got["edges"]["count"], kg.edge_count(), "{what}");
        assert_eq!(got["entities"]["count"], kg.entity_count(), "{what}");
        for table in Table::ALL {
            let want: Vec<serde_json::Value> = expected(&kg, table)
                .into_iter()
                .map(|row| {
                    row.into_iter()
                        .map(|v| match v {
                            Value::Text(t) => serde_json::json!(t),
                            Value::List(items) => serde_json::json!(items),
                        })
                        .collect()
                })
                .collect();
            assert_eq!(
                got[table.name()]["rows"],
                serde_json::Value::Array(want),
                "{what}: {}",
                table.name()
            );
        }
    }
}

/// The text of one of [`graphs`]'s graphs other than the embedded one.
fn graph_text(what: &str) -> String {
    match what {
        "hostile-sql" => HOSTILE_SQL.to_owned(),
        _ => std::fs::read_to_string(root().join(fixture(&format!("valid/{what}.ron")))).unwrap(),
    }
}
