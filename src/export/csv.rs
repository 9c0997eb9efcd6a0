use crate::table::join::Table;
use std::io::{self, Write};

/// Writes the table as CSV: a header, then one row per area in layer order. Missing values
/// (the density of an empty geometry) are empty fields.
///
/// # Errors
/// Any I/O error of `w`.
pub fn write_csv(table: &Table, w: impl Write) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(w);
    for row in &table.rows {
        writer.serialize(row).map_err(|e| {
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
