//! The SQL tables ([`sql`]: `entities`, `edges`, `attributes`) as Parquet files,
//! with the CSV files and scripts that DuckDB, Spark and PostgreSQL load them with. Only with
//! the `parquet` feature (on by default): the lean library has no Parquet code.
//!
//! Each file holds one table. Every column is an `OPTIONAL BYTE_ARRAY` with the `STRING`
//! logical type, null where the graph has no value, except `entities.aliases`, a `REQUIRED`
//! list of required strings (the standard three-level `LIST`), empty when an entity has no
//! aliases. Pages are Snappy-compressed. The files go through writers the caller opens: the
//! library writes no files itself.

use super::sql::{self, Cell, DUCKDB_SCRIPT, SPARK_SCRIPT, Table};
use crate::graph::KnowledgeGraph;
use ::parquet::basic::{Compression, LogicalType, Repetition, Type as PhysicalType};
use ::parquet::column::writer::ColumnWriter;
use ::parquet::data_type::ByteArray;
use ::parquet::errors::ParquetError as WriterError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::{Type, TypePtr};
use std::io::{self, Write};
use std::sync::Arc;

/// Rows per row group: large enough for engines to read well, small enough that a row group's
/// columns sit in memory comfortably for a graph of millions of edges.
const ROW_GROUP_ROWS: usize = 128 * 1024;

/// Why the Parquet export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// Writing failed: an `open` or `close` that fails, a full disk.
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The Parquet writer refused what it was given. No graph is known to cause it (every
    /// string is valid UTF-8 and the schema is fixed); it is an error rather than a panic so
    /// that a fault in the writer cannot bring a program down.
    #[error("cannot write `{file}`: the Parquet writer says: {message}")]
    Format {
        /// The file being written.
        file: String,
        /// What the writer said.
        message: String,
    },
}

/// What [`write_parquet`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParquetExport {
    /// The files written, in the order written, by name: the three Parquet files, the three
    /// CSV files, then `postgres.sql`, `duckdb.sql` and `spark.sql`.
    pub files: Vec<String>,
    /// Rows of `entities`, `edges` and `attributes`, in that order.
    pub rows: [usize; 3],
}

/// Writes the graph as three tables for SQL engines, each through a writer that `open` gives
/// for its file name; `close` gets each writer back when its file is whole. The library writes
/// no files itself: the command line's `export parquet -o DIR` opens them in a new directory
/// (staged and renamed into place); a program can keep them in memory.
///
/// Files: `entities.parquet`, `edges.parquet`, `attributes.parquet` (the layout of
/// [`sql`]); the same tables as CSV with `postgres.sql`, which loads them into
/// PostgreSQL ([`sql::write_csv`]); and [`DUCKDB_SCRIPT`] and [`SPARK_SCRIPT`], which make
/// views over the Parquet files. Every script's paths are relative: run it inside the
/// directory.
///
/// ```
/// use bonegraph::interchange::parquet::write_parquet;
/// use std::collections::BTreeMap;
///
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
/// let written = write_parquet(kg, |_| Ok(Vec::new()), |name, bytes| {
///     files.insert(name.to_owned(), bytes);
///     Ok(())
/// })?;
/// assert_eq!(written.files[..3], ["entities.parquet", "edges.parquet", "attributes.parquet"]);
/// assert_eq!(written.rows[..2], [kg.entity_count(), kg.edge_count()]);
/// assert!(files["edges.parquet"].starts_with(b"PAR1"));
/// assert!(files["duckdb.sql"].starts_with(b"-- bonegraph export"));
/// # Ok::<(), bonegraph::interchange::parquet::ParquetError>(())
/// ```
pub fn write_parquet<W: Write + Send>(
    kg: &KnowledgeGraph,
    mut open: impl FnMut(&str) -> io::Result<W>,
    mut close: impl FnMut(&str, W) -> io::Result<()>,
) -> Result<ParquetExport, ParquetError> {
    let mut files = Vec::new();
    let mut rows = [0; 3];
    for (i, table) in Table::ALL.into_iter().enumerate() {
        let name = table.parquet_file();
        let mut sink = Sink {
            inner: open(name)?,
            error: None,
        };
        match write_table(kg, table, ROW_GROUP_ROWS, &mut sink) {
            Ok(n) => rows[i] = n,
            Err(e) => return Err(failure(name, e, sink.error)),
        }
        close(name, sink.inner)?;
        files.push(name.to_owned());
    }
    let csv = sql::write_csv(kg, &mut open, &mut close)?;
    files.extend(csv.files);
    let spark = format!("{}{}", SPARK_SCRIPT.text, sql::spark_hierarchy(kg));
    for (file, text) in [
        (DUCKDB_SCRIPT.file, DUCKDB_SCRIPT.text),
        (SPARK_SCRIPT.file, spark.as_str()),
    ] {
        let mut w = open(file)?;
        w.write_all(text.as_bytes())?;
        close(file, w)?;
        files.push(file.to_owned());
    }
    Ok(ParquetExport { files, rows })
}

/// The error to report for `file`: the sink's own I/O error if it had one (the writer keeps
/// only its text), else the writer's.
fn failure(file: &str, e: WriterError, sink: Option<io::Error>) -> ParquetError {
    if let Some(e) = sink {
        return ParquetError::Io(e);
    }
    match e {
        WriterError::External(e) => match e.downcast::<io::Error>() {
            Ok(e) => ParquetError::Io(*e),
            Err(e) => ParquetError::Format {
                file: file.to_owned(),
                message: e.to_string(),
            },
        },
        e => ParquetError::Format {
            file: file.to_owned(),
            message: e.to_string(),
        },
    }
}

/// The caller's writer, keeping the first I/O error it gives: the Parquet writer turns some
/// into text, and the caller should see the error itself.
struct Sink<W> {
    inner: W,
    error: Option<io::Error>,
}

impl<W> Sink<W> {
    fn keep<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        result.map_err(|e| {
            if e.kind() == io::ErrorKind::Interrupted {
                return e;
            }
            let copy = io::Error::new(e.kind(), e.to_string());
            self.error.get_or_insert(e);
            copy
        })
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let result = self.inner.write(buf);
        self.keep(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        let result = self.inner.flush();
        self.keep(result)
    }
}

/// The Parquet schema of `table`.
fn schema(table: Table) -> Result<TypePtr, WriterError> {
    let string = |name: &str, repetition| {
        Type::primitive_type_builder(name, PhysicalType::BYTE_ARRAY)
            .with_repetition(repetition)
            .with_logical_type(Some(LogicalType::String))
            .build()
            .map(Arc::new)
    };
    let fields = table
        .columns()
        .iter()
        .map(|&column| {
            if (table, column) == (Table::Entities, "aliases") {
                let element = string("element", Repetition::REQUIRED)?;
                let list = Type::group_type_builder("list")
                    .with_repetition(Repetition::REPEATED)
                    .with_fields(vec![element])
                    .build()?;
                Type::group_type_builder(column)
                    .with_repetition(Repetition::REQUIRED)
                    .with_logical_type(Some(LogicalType::List))
                    .with_fields(vec![Arc::new(list)])
                    .build()
                    .map(Arc::new)
            } else {
                string(column, Repetition::OPTIONAL)
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    Type::group_type_builder("bonegraph")
        .with_fields(fields)
        .build()
        .map(Arc::new)
}

/// One column's values and levels for the row group being gathered.
#[derive(Default)]
struct Column {
    values: Vec<ByteArray>,
    definitions: Vec<i16>,
    /// Repetition levels, for the list column only.
    repetitions: Option<Vec<i16>>,
}

impl Column {
    fn push(&mut self, cell: &Cell<'_>) {
        match *cell {
            Cell::Text(Some(text)) => {
                self.values.push(ByteArray::from(text));
                self.definitions.push(1);
            }
            Cell::Text(None) => self.definitions.push(0),
            Cell::List(items) => {
                let repetitions = self.repetitions.get_or_insert_with(Vec::new);
                if items.is_empty() {
                    // An empty list: the list level is not reached.
                    self.definitions.push(0);
                    repetitions.push(0);
                }
                for (i, item) in items.iter().enumerate() {
                    self.values.push(ByteArray::from(item.as_str()));
                    self.definitions.push(1);
                    repetitions.push(i16::from(i > 0));
                }
            }
        }
    }

    fn clear(&mut self) {
        self.values.clear();
        self.definitions.clear();
        if let Some(r) = &mut self.repetitions {
            r.clear();
        }
    }
}

/// Writes `table` as one Parquet file to `sink`, in row groups of `group_rows` rows; returns
/// its row count.
fn write_table<W: Write + Send>(
    kg: &KnowledgeGraph,
    table: Table,
    group_rows: usize,
    sink: &mut Sink<W>,
) -> Result<usize, WriterError> {
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    let mut writer = SerializedFileWriter::new(sink, schema(table)?, Arc::new(properties))?;
    let mut columns: Vec<Column> = table.columns().iter().map(|_| Column::default()).collect();
    let mut pending = 0;
    let mut total = 0;
    sql::for_each_row(kg, table, |cells| {
        for (column, cell) in columns.iter_mut().zip(cells) {
            column.push(cell);
        }
        pending += 1;
        total += 1;
        if pending == group_rows {
            write_row_group(&mut writer, &mut columns)?;
            pending = 0;
        }
        Ok::<(), WriterError>(())
    })?;
    if pending > 0 {
        write_row_group(&mut writer, &mut columns)?;
    }
    writer.close()?;
    Ok(total)
}

/// Writes the gathered columns as one row group, and empties them.
fn write_row_group<W: Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    columns: &mut [Column],
) -> Result<(), WriterError> {
    let mut group = writer.next_row_group()?;
    for column in columns.iter_mut() {
        let mut chunk = group.next_column()?.ok_or_else(|| {
            WriterError::General("the schema has fewer columns than the table".into())
        })?;
        match chunk.untyped() {
            ColumnWriter::ByteArrayColumnWriter(w) => {
                w.write_batch(
                    &column.values,
                    Some(&column.definitions),
                    column.repetitions.as_deref(),
                )?;
            }
            _ => return Err(WriterError::General("a column is not BYTE_ARRAY".into())),
        }
        chunk.close()?;
        column.clear();
    }
    group.close()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::parquet::file::reader::{FileReader, SerializedFileReader};
    use ::parquet::record::Row;

    fn table_bytes(kg: &KnowledgeGraph, table: Table, group_rows: usize) -> Vec<u8> {
        let mut sink = Sink {
            inner: Vec::new(),
            error: None,
        };
        write_table(kg, table, group_rows, &mut sink).unwrap();
        sink.inner
    }

    /// The row groups and rows of a Parquet file's bytes (through a file: the reader's
    /// in-memory input is a type of a crate this one does not name).
    fn rows(bytes: Vec<u8>, name: &str) -> (usize, Vec<Row>) {
        let path = std::env::temp_dir().join(format!(
            "bonegraph-unit-{}-{name}.parquet",
            std::process::id()
        ));
        std::fs::write(&path, bytes).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let _ = std::fs::remove_file(&path);
        let groups = reader.num_row_groups();
        let rows = reader
            .get_row_iter(None)
            .unwrap()
            .map(Result::unwrap)
            .collect();
        (groups, rows)
    }

    /// A table longer than a row group is split into several, and reads back the same.
    #[test]
    fn row_groups_split_a_long_table_without_changing_it() {
        let kg = KnowledgeGraph::embedded();
        for table in Table::ALL {
            let (one, whole) = rows(table_bytes(kg, table, ROW_GROUP_ROWS), "one");
            let (many, split) = rows(table_bytes(kg, table, 7), "many");
            assert_eq!(one, 1);
            assert_eq!(many, table.row_count(kg).div_ceil(7));
            assert_eq!(whole, split);
            assert_eq!(whole.len(), table.row_count(kg));
        }
    }

    /// The caller's I/O error comes back as itself, not as the writer's text.
    #[test]
    fn a_failing_writer_gives_its_own_error() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from_raw_os_error(28))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let e = write_parquet(KnowledgeGraph::embedded(), |_| Ok(Full), |_, _| Ok(())).unwrap_err();
        let ParquetError::Io(e) = e else {
            panic!("{e:?}")
        };
        assert_eq!(e.raw_os_error(), Some(28));
    }
}
