//! Writers: GeoJSON, CSV, SVG choropleth and, with the `polars` feature, Parquet and
//! DataFrames. Output is deterministic: rows in layer order, no timestamps.

mod csv;
mod geojson;
#[cfg(feature = "polars")]
mod parquet;
mod profile;
mod svg;

pub use self::csv::write_csv;
pub use self::geojson::write_geojson;
#[cfg(feature = "polars")]
pub use self::parquet::{ParquetSink, to_dataframe, write_parquet};
pub use self::profile::{write_profile_html, write_profile_markdown};
pub use self::svg::{Classes, OGL_ATTRIBUTION, SvgMap, thousands};

use crate::error::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::Path;

/// Creates `path` and hands a buffered writer to `write`, mapping I/O errors to the path.
pub(crate) fn to_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, "create", e))?;
    let mut w = BufWriter::new(file);
    write(&mut w)
        .and_then(|()| w.flush())
        .map_err(|e| Error::io(path, "write", e))
}
