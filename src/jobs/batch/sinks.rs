//! Where a batch's long table goes: CSV, and with the `polars` feature Parquet.

use super::{PetitionRow, Sink};
use crate::error::{IoAction, Result};
#[cfg(feature = "polars")]
use crate::export::{ArrowColumn, COLUMNS, ColumnType, Rows, Value};
use crate::table::analysis::Analysed;
#[cfg(feature = "polars")]
use std::io::Write;

/// Writes the long table as CSV (`petition_id`, `source`, `vintage`, then the columns of
/// `areas.csv`), streaming.
pub struct CsvSink<W: std::io::Write> {
    out: W,
    header: bool,
}

impl<W: std::io::Write> CsvSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        CsvSink { out, header: false }
    }

    /// The writer, with everything accepted so far written to it.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: std::io::Write> Sink for CsvSink<W> {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        self.accept_all(&[(row, table)])
    }

    /// The petitions' lines are made in parallel, then written in order.
    fn accept_all(&mut self, results: &[(&PetitionRow, Option<Analysed<'_>>)]) -> Result<()> {
        use rayon::prelude::*;
        let lines: Vec<Option<Result<Vec<u8>>>> = results
            .par_iter()
            .map(|&(row, table)| table.map(|table| long_csv_lines(row, table)))
            .collect();
        for lines in lines.into_iter().flatten() {
            let lines = lines?;
            if !self.header {
                let mut header = csv_writer(Vec::new());
                header
                    .write_record(
                        ["petition_id", "source", "vintage"]
                            .into_iter()
                            .chain(crate::export::COLUMNS.iter().map(|c| c.name)),
                    )
                    .map_err(csv_error)?;
                self.out
                    .write_all(&header.into_inner().map_err(|e| csv_error(e.into_error()))?)
                    .map_err(long_csv_error)?;
                self.header = true;
            }
            self.out.write_all(&lines).map_err(long_csv_error)?;
        }
        Ok(())
    }
}

fn csv_writer<W: std::io::Write>(out: W) -> ::csv::Writer<W> {
    ::csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out)
}

fn long_csv_error(e: std::io::Error) -> crate::Error {
    crate::Error::io("long.csv", IoAction::Write, e)
}

fn csv_error(e: impl Into<std::io::Error>) -> crate::Error {
    long_csv_error(e.into())
}

/// A petition's lines of `long.csv`: `petition_id`, `source` and `vintage`, then the
/// columns of `areas.csv`, each field quoted as CSV needs (a line break in a name stays
/// inside its field).
fn long_csv_lines(row: &PetitionRow, table: Analysed<'_>) -> Result<Vec<u8>> {
    let id = row.petition_id.map_or(String::new(), |i| i.to_string());
    let vintage = row.vintage.as_deref().unwrap_or("");
    let mut lines = csv_writer(Vec::new());
    for r in crate::table::analysis::Rows::from(table).iter() {
        for field in [id.as_str(), row.source.as_str(), vintage] {
            lines.write_field(field).map_err(csv_error)?;
        }
        lines.serialize(r).map_err(csv_error)?;
    }
    lines.into_inner().map_err(|e| csv_error(e.into_error()))
}

/// A sink that may be switched off: `None` takes everything and writes nothing.
impl<S: Sink> Sink for Option<S> {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        match self {
            Some(sink) => sink.accept(row, table),
            None => Ok(()),
        }
    }

    fn accept_all(&mut self, results: &[(&PetitionRow, Option<Analysed<'_>>)]) -> Result<()> {
        match self {
            Some(sink) => sink.accept_all(results),
            None => Ok(()),
        }
    }
}

/// Both sinks, in turn.
impl<A: Sink, B: Sink> Sink for (A, B) {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        self.0.accept(row, table)?;
        self.1.accept(row, table)
    }

    fn accept_all(&mut self, results: &[(&PetitionRow, Option<Analysed<'_>>)]) -> Result<()> {
        self.0.accept_all(results)?;
        self.1.accept_all(results)
    }
}

/// Writes a batch's long table as Parquet: the columns of [`to_dataframe`](crate::export::to_dataframe) after
/// `petition_id`, `source` and `vintage`, in row groups of at least `ROW_GROUP` rows, so
/// memory stays bounded however many petitions pass. Call [`ParquetSink::finish`] at the end.
#[cfg(feature = "polars")]
pub struct ParquetSink<W: Write> {
    writer: Option<polars::io::parquet::write::BatchedWriter<W>>,
    out: Option<W>,
    /// The row group being gathered.
    columns: LongColumns,
    /// Rows gathered before a row group is written: [`ROW_GROUP`].
    row_group: usize,
}

/// Rows gathered before a row group is written.
#[cfg(feature = "polars")]
const ROW_GROUP: usize = 65_000;

/// A column of the long table before those of `areas.csv`: the same for all of a
/// petition's rows.
#[cfg(feature = "polars")]
#[derive(Clone, Copy)]
enum Lead {
    PetitionId,
    Source,
    Vintage,
}

#[cfg(feature = "polars")]
impl Lead {
    /// Name, type, nullable.
    fn spec(self) -> (&'static str, ColumnType, bool) {
        match self {
            Lead::PetitionId => ("petition_id", ColumnType::U64, true),
            Lead::Source => ("source", ColumnType::Str, false),
            Lead::Vintage => ("vintage", ColumnType::Str, true),
        }
    }

    fn value(self, row: &PetitionRow) -> Value<'_> {
        match self {
            Lead::PetitionId => row.petition_id.into(),
            Lead::Source => row.source.as_str().into(),
            Lead::Vintage => row.vintage.as_deref().into(),
        }
    }
}

/// Some of the long table's rows, column by column as arrow arrays: the `lead` columns,
/// then [`COLUMNS`]. Each value goes straight to its array (no DataFrame per petition, no
/// concatenation: polars-core is built unoptimised, Cargo.toml), and the file's bytes are
/// those of polars' own frames (a test compares them).
#[cfg(feature = "polars")]
struct LongColumns {
    lead: &'static [Lead],
    columns: Vec<ArrowColumn>,
    rows: usize,
}

#[cfg(feature = "polars")]
impl LongColumns {
    fn new(lead: &'static [Lead], capacity: usize) -> LongColumns {
        LongColumns {
            lead,
            columns: Self::specs(lead)
                .map(|(_, ty, nullable)| ArrowColumn::new(ty, nullable, capacity))
                .collect(),
            rows: 0,
        }
    }

    /// Each column's name, type and whether it is nullable: `lead`, then [`COLUMNS`].
    fn specs(lead: &[Lead]) -> impl Iterator<Item = (&'static str, ColumnType, bool)> + '_ {
        lead.iter()
            .map(|l| l.spec())
            .chain(COLUMNS.iter().map(|c| (c.name, c.ty, c.nullable)))
    }

    /// The columns' names and types.
    fn schema(&self) -> polars::prelude::Schema {
        Self::specs(self.lead)
            .map(|(name, ty, _)| polars::prelude::Field::new(name.into(), ArrowColumn::dtype(ty)))
            .collect()
    }

    /// Adds petitions' rows, in order: each column is filled on its own, in parallel.
    fn extend(&mut self, petitions: &[(&PetitionRow, Analysed<'_>)]) {
        use rayon::prelude::*;
        let lead = self.lead;
        self.columns
            .par_iter_mut()
            .enumerate()
            .for_each(|(i, column)| {
                for &(row, table) in petitions {
                    let rows = Rows::from(table);
                    match lead.get(i) {
                        Some(lead) => {
                            let value = lead.value(row);
                            (0..rows.len()).for_each(|_| column.push(value));
                        }
                        None => {
                            let spec = &COLUMNS[i - lead.len()];
                            rows.iter().for_each(|r| column.push(r.value(spec)));
                        }
                    }
                }
            });
        self.rows += petitions
            .iter()
            .map(|(_, table)| table.table().rows.len())
            .sum::<usize>();
    }

    /// Writes the rows gathered as a row group of `writer` (made with [`Self::schema`]), and
    /// empties the columns.
    fn write<W: Write>(
        &mut self,
        writer: &mut polars::io::parquet::write::BatchedWriter<W>,
    ) -> Result<()> {
        let arrays: Vec<_> = self.columns.iter_mut().map(ArrowColumn::take).collect();
        let rows = std::mem::take(&mut self.rows);
        let written = crate::export::write_row_group(writer, &self.schema(), &arrays, rows);
        for (column, array) in self.columns.iter_mut().zip(arrays) {
            column.recycle(array);
        }
        written
    }
}

#[cfg(feature = "polars")]
impl<W: Write> ParquetSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        ParquetSink {
            writer: None,
            out: Some(out),
            columns: LongColumns::new(&[Lead::PetitionId, Lead::Source, Lead::Vintage], ROW_GROUP),
            row_group: ROW_GROUP,
        }
    }

    /// Writes the gathered rows as a row group.
    fn flush(&mut self) -> Result<()> {
        if self.columns.rows == 0 {
            return Ok(());
        }
        if self.writer.is_none()
            && let Some(out) = self.out.take()
        {
            let schema = self.columns.schema();
            self.writer = Some(polars::prelude::ParquetWriter::new(out).batched(&schema)?);
        }
        match &mut self.writer {
            Some(w) => self.columns.write(w),
            None => Ok(()),
        }
    }

    /// Writes what is pending and the file's footer.
    ///
    /// # Errors
    /// [`crate::Error::Polars`] if polars fails to write.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        if let Some(w) = &self.writer {
            w.finish()?;
        }
        Ok(())
    }
}

#[cfg(feature = "polars")]
impl<W: Write> Sink for ParquetSink<W> {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        self.accept_all(&[(row, table)])
    }

    /// The petitions' rows are added column by column in parallel, a row group at a time.
    fn accept_all(&mut self, results: &[(&PetitionRow, Option<Analysed<'_>>)]) -> Result<()> {
        let tables: Vec<_> = results
            .iter()
            .filter_map(|&(row, table)| table.map(|t| (row, t)))
            .collect();
        let mut rest = &tables[..];
        while !rest.is_empty() {
            // up to the petition that fills the row group
            let (mut rows, mut end) = (self.columns.rows, 0);
            while end < rest.len() && rows < self.row_group {
                rows += rest[end].1.table().rows.len();
                end += 1;
            }
            let (now, later) = rest.split_at(end);
            self.columns.extend(now);
            if self.columns.rows >= self.row_group {
                self.flush()?;
            }
            rest = later;
        }
        Ok(())
    }
}

/// The Hive partition value of a petition without a number (the name Hive, Spark, DuckDB
/// and pyarrow read as null).
#[cfg(feature = "polars")]
pub const HIVE_NULL: &str = "__HIVE_DEFAULT_PARTITION__";

/// Writes a batch's long table as a Hive-partitioned Parquet dataset, one folder per
/// petition: `DIR/petition_id=241584/part-0.parquet`. The files hold the columns of
/// [`ParquetSink`] without `petition_id`, which is in the folder name, as Hive, Spark,
/// DuckDB (`read_parquet('DIR/**/*.parquet', hive_partitioning = true)`), pyarrow and
/// pandas (`pandas.read_parquet(DIR)`) expect; they read the folder as one table with
/// `petition_id` as its partition column. A petition without a number goes under
/// `petition_id=__HIVE_DEFAULT_PARTITION__` (read as null); a second file of the same
/// petition is `part-1.parquet`, and so on, in input order.
///
/// Each petition is written as it arrives, so memory does not grow with the batch. The
/// dataset is built in a temporary folder beside `DIR` and replaces `DIR` only in
/// [`PartitionedParquetSink::finish`]; if the sink is dropped before, `DIR` is untouched
/// and the temporary folder removed.
///
/// # Examples
/// ```no_run
/// # fn main() -> sigmap::Result<()> {
/// use sigmap::{Batch, PartitionedParquetSink, ReportOptions};
/// let paths = sigmap::expand_inputs(&["data/petitions".into()])?;
/// let mut sink = PartitionedParquetSink::new("batch/long")?;
/// Batch::new(ReportOptions::default()).run(&paths, &mut sink)?;
/// sink.finish()?;
/// assert!(std::path::Path::new("batch/long/petition_id=241584/part-0.parquet").exists());
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "polars")]
pub struct PartitionedParquetSink {
    dest: std::path::PathBuf,
    tmp: std::path::PathBuf,
    parts: std::collections::HashMap<Option<u64>, usize>,
}

#[cfg(feature = "polars")]
impl PartitionedParquetSink {
    /// A sink that will write the dataset to the folder `dir`.
    ///
    /// # Errors
    /// [`crate::Error::Io`] naming `dir` if it is a file, or if the temporary folder
    /// cannot be created beside it.
    pub fn new(dir: impl AsRef<std::path::Path>) -> Result<Self> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let dest = dir.as_ref().to_path_buf();
        let refuse = |why: &str| {
            crate::Error::io(
                &dest,
                IoAction::Create,
                std::io::Error::new(std::io::ErrorKind::InvalidInput, why.to_string()),
            )
        };
        if dest.is_file() {
            return Err(refuse("a file is in the way"));
        }
        let name = dest
            .file_name()
            .ok_or_else(|| refuse("not a folder name"))?
            .to_string_lossy()
            .into_owned();
        let parent = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let tmp = parent.join(format!(
            ".{name}.{}-{}.sigmap-tmp",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&tmp).map_err(|e| crate::Error::io(&dest, IoAction::Create, e))?;
        Ok(PartitionedParquetSink {
            dest,
            tmp,
            parts: std::collections::HashMap::new(),
        })
    }

    /// The folder of the dataset.
    pub fn path(&self) -> &std::path::Path {
        &self.dest
    }

    /// Moves the dataset into place: the folder replaces what was at `DIR` before.
    ///
    /// # Errors
    /// [`crate::Error::Io`] naming `DIR` if the old folder cannot be removed or the new
    /// one renamed; the temporary folder is then removed.
    pub fn finish(mut self) -> Result<()> {
        let io = |e| crate::Error::io(&self.dest, IoAction::Write, e);
        if self.dest.is_dir() {
            std::fs::remove_dir_all(&self.dest).map_err(io)?;
        }
        std::fs::rename(&self.tmp, &self.dest).map_err(io)?;
        // renamed: nothing left for drop to remove
        self.tmp = std::path::PathBuf::new();
        Ok(())
    }
}

#[cfg(feature = "polars")]
impl Sink for PartitionedParquetSink {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        self.accept_all(&[(row, table)])
    }

    /// The petitions' files are named in input order, then written in parallel; the first
    /// petition's error in input order is the error.
    fn accept_all(&mut self, results: &[(&PetitionRow, Option<Analysed<'_>>)]) -> Result<()> {
        use rayon::prelude::*;
        let files: Vec<_> = results
            .iter()
            .filter_map(|&(row, table)| table.map(|t| (row, t)))
            .map(|(row, table)| {
                let part = self.parts.entry(row.petition_id).or_insert(0);
                // petition_id is the partition: in the folder's name, not a column
                let folder = self.tmp.join(format!(
                    "petition_id={}",
                    row.petition_id
                        .map_or_else(|| HIVE_NULL.to_string(), |i| i.to_string())
                ));
                let path = folder.join(format!("part-{part}.parquet"));
                *part += 1;
                (folder, path, row, table)
            })
            .collect();
        let written: Vec<Result<()>> = files
            .par_iter()
            .map(|(folder, path, row, table)| write_part(folder, path, (row, *table)))
            .collect();
        written.into_iter().collect()
    }
}

/// Writes one petition's rows of the long table, without `petition_id`, to `path` in
/// `folder`.
#[cfg(feature = "polars")]
fn write_part(
    folder: &std::path::Path,
    path: &std::path::Path,
    petition: (&PetitionRow, Analysed<'_>),
) -> Result<()> {
    let io = |e| crate::Error::io(path, IoAction::Write, e);
    let mut columns = LongColumns::new(
        &[Lead::Source, Lead::Vintage],
        petition.1.table().rows.len(),
    );
    columns.extend(&[petition]);
    std::fs::create_dir_all(folder).map_err(io)?;
    let file = std::fs::File::create(path).map_err(io)?;
    let mut out = std::io::BufWriter::new(file);
    let mut writer = polars::prelude::ParquetWriter::new(&mut out).batched(&columns.schema())?;
    columns.write(&mut writer)?;
    writer.finish()?;
    drop(writer);
    out.flush().map_err(io)?;
    Ok(())
}

#[cfg(feature = "polars")]
impl Drop for PartitionedParquetSink {
    fn drop(&mut self) {
        if !self.tmp.as_os_str().is_empty() {
            // best effort: the destination is untouched either way
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod csv_tests {
    use super::*;
    use crate::jobs::analysis::ReportOptions;
    use crate::jobs::batch::Batch;

    /// `long.csv` reads back as written: a line break, quotes and commas in a name and in a
    /// file's path stay inside their fields, and every line has every column.
    #[test]
    fn long_csv_reads_back_field_for_field() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a, \"b\".json");
        let mp = "Jane\nDoe, \"Jr\"";
        let json = serde_json::json!({"data": {"id": 7, "type": "petition", "attributes": {
        "action": "t", "state": "open", "signature_count": 5,
        "signatures_by_constituency": [
            {"name": "A", "ons_code": "E14001063", "mp": mp, "signature_count": 5}
        ]}}});
        std::fs::write(&path, json.to_string()).unwrap();
        let options = ReportOptions::default()
            .permutations(crate::stats::Permutations::new(0))
            .ranks(crate::RankSimulation::new(0));
        let mut sink = CsvSink::new(Vec::new());
        let paths = [path.clone(), path.clone()];
        Batch::new(options).run(&paths, &mut sink).unwrap();
        let text = sink.into_inner();
        let mut reader = ::csv::Reader::from_reader(text.as_slice());
        let header = reader.headers().unwrap().clone();
        assert_eq!(header.len(), 3 + crate::export::COLUMNS.len());
        assert_eq!(&header[3], "code");
        let records: Vec<_> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 2 * 650);
        let seat = records.iter().find(|r| &r[3] == "E14001063").unwrap();
        assert_eq!(&seat[0], "7");
        assert_eq!(&seat[1], path.display().to_string());
        assert_eq!(&seat[2], "2024");
        let mp_column = header.iter().position(|h| h == "mp").unwrap();
        assert_eq!(&seat[mp_column], mp);
    }
}

#[cfg(all(test, feature = "polars"))]
mod tests {
    use super::*;
    use polars::prelude::*;

    /// A petition's rows of the long table without `petition_id`, as the sinks made them
    /// before they built columns: `source`, `vintage`, then the columns of `areas.csv`.
    fn long_frame(row: &PetitionRow, table: Analysed<'_>) -> Result<polars::prelude::DataFrame> {
        use polars::prelude::{AnyValue, Column, DataType, Scalar};
        let mut df = crate::export::to_dataframe(table)?;
        let n = df.height();
        // one value for the whole petition, not a string per row
        let text = |v: Option<&str>| {
            Scalar::new(
                DataType::String,
                v.map_or(AnyValue::Null, |v| AnyValue::StringOwned(v.into())),
            )
        };
        df.insert_column(
            0,
            Column::new_scalar("vintage".into(), text(row.vintage.as_deref()), n),
        )?;
        df.insert_column(
            0,
            Column::new_scalar("source".into(), text(Some(&row.source)), n),
        )?;
        Ok(df)
    }

    /// The sink's row groups, built column by column, are the bytes polars writes for the
    /// petitions' frames stacked (as the sink made them before): petitions without a
    /// number, without a table, null columns and row groups cut between petitions.
    #[test]
    fn row_groups_built_column_by_column_are_polars_own_bytes() {
        use crate::jobs::analysis::ReportOptions;
        use crate::jobs::batch::{Batch, PetitionRow};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/petitions");
        let tmp = tempfile::tempdir().unwrap();
        let csv = tmp.path().join("no_number.csv");
        std::fs::write(&csv, "code,count\nE14001063,120\nE14000530,3\n").unwrap();
        let mut paths = crate::jobs::batch::expand_inputs(&[dir]).unwrap();
        paths.insert(2, csv);
        paths.insert(4, tmp.path().join("missing.json"));
        paths.push(paths[0].clone());
        for permutations in [0, 99] {
            let options = ReportOptions::default()
                .permutations(crate::stats::Permutations::new(permutations));
            let batch = Batch::new(options);
            let analysed: Vec<_> = paths
                .iter()
                .map(|p| match batch.analyse(p) {
                    Ok((row, analysis)) => (row, Some(analysis)),
                    Err(e) => (PetitionRow::failed(p, &e), None),
                })
                .collect();
            let results: Vec<_> = analysed
                .iter()
                .map(|(row, a)| (row, a.as_ref().map(|a| a.analysed())))
                .collect();
            assert!(results.iter().any(|r| r.1.is_none()));
            assert!(
                results
                    .iter()
                    .any(|r| r.0.petition_id.is_none() && r.1.is_some())
            );
            // a file per petition: polars' own file of the petition's frame
            let dataset = tmp.path().join(format!("long{permutations}"));
            let mut sink = PartitionedParquetSink::new(&dataset).unwrap();
            for chunk in results.chunks(3) {
                sink.accept_all(chunk).unwrap();
            }
            sink.finish().unwrap();
            let mut parts = std::collections::HashMap::new();
            for &(row, table) in &results {
                let Some(table) = table else { continue };
                let id = row
                    .petition_id
                    .map_or(HIVE_NULL.to_string(), |i| i.to_string());
                let part = parts.entry(id.clone()).or_insert(0);
                let path = dataset.join(format!("petition_id={id}/part-{part}.parquet"));
                *part += 1;
                let mut polars = Vec::new();
                ParquetWriter::new(&mut polars)
                    .finish(&mut long_frame(row, table).unwrap())
                    .unwrap();
                assert!(
                    std::fs::read(&path).unwrap() == polars,
                    "{}",
                    path.display()
                );
            }
            assert_eq!(parts.values().sum::<usize>(), 7);
            assert!(parts.values().any(|&p| p == 2));

            for row_group in [1_000, ROW_GROUP] {
                let mut ours = Vec::new();
                let mut sink = ParquetSink::new(&mut ours);
                sink.row_group = row_group;
                for chunk in results.chunks(3) {
                    sink.accept_all(chunk).unwrap();
                }
                sink.finish().unwrap();

                // the frames of each row group, stacked
                let mut groups: Vec<DataFrame> = Vec::new();
                let mut full = true;
                for &(row, table) in &results {
                    let Some(table) = table else { continue };
                    let mut df = long_frame(row, table).unwrap();
                    let n = df.height();
                    let id = Column::new("petition_id".into(), vec![row.petition_id; n]);
                    df.insert_column(0, id).unwrap();
                    match groups.last_mut() {
                        Some(group) if !full => drop(group.vstack_mut(&df).unwrap()),
                        _ => groups.push(df),
                    }
                    full = groups.last().unwrap().height() >= row_group;
                }
                let mut polars = Vec::new();
                let mut writer = ParquetWriter::new(&mut polars)
                    .batched(groups[0].schema())
                    .unwrap();
                for mut group in groups {
                    group.rechunk_mut();
                    writer.write_batch(&group).unwrap();
                }
                writer.finish().unwrap();
                drop(writer);
                assert!(ours.len() > 10_000);
                assert!(
                    ours == polars,
                    "{permutations} permutations, row groups of {row_group}"
                );
            }
        }
    }
}
