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
}

/// Both sinks, in turn.
impl<A: Sink, B: Sink> Sink for (A, B) {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        self.0.accept(row, table)?;
        self.1.accept(row, table)
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
        let Some(mut df) = self.pending.take() else {
            return Ok(());
        };
        df.rechunk_mut();
        if self.writer.is_none()
            && let Some(out) = self.out.take()
        {
            self.writer = Some(polars::prelude::ParquetWriter::new(out).batched(df.schema())?);
        }
        if let Some(w) = &mut self.writer {
            w.write_batch(&df)?;
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

#[cfg(feature = "polars")]
impl<W: Write> Sink for ParquetSink<W> {
    fn accept(&mut self, row: &PetitionRow, table: Option<Analysed<'_>>) -> Result<()> {
        let Some(table) = table else {
            return Ok(());
        };
        let mut df = crate::export::to_dataframe(table)?;
        let n = df.height();
        df.insert_column(
            0,
            polars::prelude::Column::new("vintage".into(), vec![row.vintage.clone(); n]),
        )?;
        df.insert_column(
            0,
            polars::prelude::Column::new("source".into(), vec![row.source.clone(); n]),
        )?;
        df.insert_column(
            0,
            polars::prelude::Column::new("petition_id".into(), vec![row.petition_id; n]),
        )?;
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
