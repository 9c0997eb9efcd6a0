//! Writers: GeoJSON, CSV, HexJSON, SVG maps (choropleths, hex cartograms, LISA and Gi*
//! maps) and, with the `png` feature, PNG; with the `polars` feature, Parquet and
//! DataFrames. Output is deterministic: rows in layer order, no timestamps.

mod classes;
mod csv;
mod geojson;
mod hexjson;
mod palette;
#[cfg(feature = "polars")]
mod parquet;
#[cfg(feature = "png")]
mod png;
mod profile;
mod svg;
mod topology;

pub use self::classes::Classes;
pub use self::csv::write_csv;
pub use self::geojson::{GeoJsonWriter, TopoJsonWriter, write_geojson};
pub use self::hexjson::{Hex, HexJson, HexLayout, write_hexjson};
pub use self::palette::{Palette, Scheme};
#[cfg(feature = "polars")]
pub use self::parquet::{ParquetSink, to_dataframe, write_parquet};
#[cfg(feature = "png")]
pub use self::png::{PngOptions, svg_to_png};
pub use self::profile::{write_profile_html, write_profile_markdown};
pub use self::svg::{
    Centre, HEX_ATTRIBUTION, Inset, OGL_ATTRIBUTION, SvgMap, os_attribution, thousands,
};

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
