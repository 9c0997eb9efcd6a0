//! Where a batch's long table goes: CSV, and with the `polars` feature Parquet.

use super::{PetitionRow, Sink};
use crate::error::{IoAction, Result};
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
        let Some(table) = table else {
            return Ok(());
        };
        let io = |e: std::io::Error| crate::Error::io("long.csv", IoAction::Write, e);
        let mut rows = ::csv::WriterBuilder::new()
            .has_headers(!self.header)
            .from_writer(Vec::new());
        for r in crate::table::analysis::Rows::from(table).iter() {
            rows.serialize(r)
                .map_err(|e| io(std::io::Error::other(e)))?;
        }
        let text = rows
            .into_inner()
            .map_err(|e| io(std::io::Error::other(e.to_string())))?;
        let text = String::from_utf8_lossy(&text);
        let id = row.petition_id.map_or(String::new(), |i| i.to_string());
        let prefix = {
            let mut w = ::csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(Vec::new());
            w.write_record([
                id.as_str(),
                row.source.as_str(),
                row.vintage.as_deref().unwrap_or(""),
            ])
            .map_err(|e| io(std::io::Error::other(e)))?;
            let mut p = w
                .into_inner()
                .map_err(|e| io(std::io::Error::other(e.to_string())))?;
            p.pop(); // the newline
            String::from_utf8_lossy(&p).into_owned()
        };
        let mut lines = text.lines();
        if !self.header {
            if let Some(h) = lines.next() {
                writeln!(self.out, "petition_id,source,vintage,{h}").map_err(io)?;
            }
            self.header = true;
        }
        for line in lines {
            writeln!(self.out, "{prefix},{line}").map_err(io)?;
        }
        Ok(())
    }
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
    pending: Option<polars::prelude::DataFrame>,
}

/// Rows gathered before a row group is written.
#[cfg(feature = "polars")]
const ROW_GROUP: usize = 65_000;

#[cfg(feature = "polars")]
impl<W: Write> ParquetSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        ParquetSink {
            writer: None,
            out: Some(out),
            pending: None,
        }
    }

    fn flush(&mut self) -> Result<()> {
        let Some(df) = self.pending.take() else {
            return Ok(());
        };
        let df = rechunked(df)?;
        if self.writer.is_none()
            && let Some(out) = self.out.take()
        {
            self.writer = Some(polars::prelude::ParquetWriter::new(out).batched(df.schema())?);
        }
        if let Some(w) = &mut self.writer {
            crate::export::write_row_group(w, &df)?;
        }
        Ok(())
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

/// `df` with each column in one chunk, the columns concatenated in parallel (polars'
/// `rechunk_mut` does one after another, on the sink's thread, which nothing else shares).
#[cfg(feature = "polars")]
fn rechunked(df: polars::prelude::DataFrame) -> Result<polars::prelude::DataFrame> {
    use rayon::prelude::*;
    let height = df.height();
    let columns = df
        .into_columns()
        .into_par_iter()
        .map(|c| c.rechunk())
        .collect();
    Ok(polars::prelude::DataFrame::new(height, columns)?)
}

/// A petition's rows of the long table without `petition_id`: `source`, `vintage`, then
/// the columns of `areas.csv`.
#[cfg(feature = "polars")]
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

#[cfg(feature = "polars")]
impl<W: Write> ParquetSink<W> {
    /// Adds a petition's rows, writing a row group when enough are pending.
    fn push(&mut self, df: polars::prelude::DataFrame) -> Result<()> {
        match &mut self.pending {
            Some(p) => {
                p.vstack_mut(&df)?;
            }
            None => self.pending = Some(df),
        }
        if self
            .pending
            .as_ref()
            .is_some_and(|p| p.height() >= ROW_GROUP)
        {
            self.flush()?;
        }
        Ok(())
    }
}

/// A petition's rows of the long table: `petition_id`, then as [`long_frame`].
#[cfg(feature = "polars")]
fn numbered_frame(row: &PetitionRow, table: Analysed<'_>) -> Result<polars::prelude::DataFrame> {
    let mut df = long_frame(row, table)?;
    let n = df.height();
    df.insert_column(
        0,
        polars::prelude::Column::new("petition_id".into(), vec![row.petition_id; n]),
    )?;
    Ok(df)
}

#[cfg(feature = "polars")]
impl<W: Write> Sink for ParquetSink<W> {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        match table {
            Some(table) => self.push(numbered_frame(row, table)?),
            None => Ok(()),
        }
    }

    /// The petitions' frames are built in parallel, then added in order.
    fn accept_all(&mut self, results: &[(&PetitionRow, Option<Analysed<'_>>)]) -> Result<()> {
        use rayon::prelude::*;
        let frames: Vec<_> = results
            .par_iter()
            .map(|&(row, table)| table.map(|t| numbered_frame(row, t)).transpose())
            .collect::<Result<_>>()?;
        for df in frames.into_iter().flatten() {
            self.push(df)?;
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
        let Some(table) = table else {
            return Ok(());
        };
        // petition_id is the partition: in the folder's name, not a column
        let mut df = long_frame(row, table)?;
        let part = self.parts.entry(row.petition_id).or_insert(0);
        let folder = self.tmp.join(format!(
            "petition_id={}",
            row.petition_id
                .map_or_else(|| HIVE_NULL.to_string(), |i| i.to_string())
        ));
        let path = folder.join(format!("part-{part}.parquet"));
        *part += 1;
        let io = |e| crate::Error::io(&path, IoAction::Write, e);
        std::fs::create_dir_all(&folder).map_err(io)?;
        let file = std::fs::File::create(&path).map_err(io)?;
        let mut out = std::io::BufWriter::new(file);
        polars::prelude::ParquetWriter::new(&mut out).finish(&mut df)?;
        out.flush().map_err(io)?;
        Ok(())
    }
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

#[cfg(all(test, feature = "polars"))]
mod tests {
    use super::*;
    use polars::prelude::*;

    #[test]
    fn rechunked_is_the_same_frame_in_one_chunk_a_column() {
        let part = |code: &str, x: Option<f64>| {
            let mut df = DataFrame::new_infer_height(vec![
                Column::new("code".into(), [code, "b"]),
                Column::new("x".into(), [x, Some(2.0)]),
            ])
            .unwrap();
            let text = Scalar::new(DataType::String, AnyValue::StringOwned("s".into()));
            df.insert_column(0, Column::new_scalar("source".into(), text, 2))
                .unwrap();
            df
        };
        let mut df = part("a", None);
        df.vstack_mut(&part("c", Some(1.0))).unwrap();
        assert!(df.columns().iter().any(|c| c.n_chunks() > 1));
        let one = rechunked(df.clone()).unwrap();
        assert!(one.columns().iter().all(|c| c.n_chunks() == 1));
        assert_eq!(one.get_column_names(), df.get_column_names());
        assert!(one.equals_missing(&df), "{one} != {df}");
    }
}
