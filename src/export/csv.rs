use crate::table::analysis::Rows;
use std::io::{self, Write};

/// Writes the table as CSV: a header of the [`COLUMNS`](crate::export::COLUMNS), then one
/// row per area in layer order. Missing values (the density of an empty geometry, the
/// analysis columns of a table without one) are empty fields.
///
/// # Errors
/// Any I/O error of `w`.
pub fn write_csv<'a>(rows: impl Into<Rows<'a>>, w: impl Write) -> io::Result<()> {
    let rows: Rows<'_> = rows.into();
    let mut writer = ::csv::Writer::from_writer(w);
    for record in rows.iter() {
        writer.serialize(record).map_err(|e| {
            if !e.is_io_error() {
                return io::Error::other(e);
            }
            // the I/O error as it is: a closed pipe must stay recognisable
            match e.into_kind() {
                ::csv::ErrorKind::Io(io) => io,
                other => io::Error::other(format!("{other:?}")),
            }
        })?;
    }
    writer.flush()
}
