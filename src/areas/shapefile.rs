//! Shapefiles: `.shp` with its `.dbf` (attributes, in the encoding its `.cpg` names) and
//! `.prj` (coordinate system), alone or zipped.

use super::raw::RawLayer;
use crate::error::{Error, Location, Result};
use std::path::Path;

/// Reads a `.shp` and the `.dbf`, `.prj` and `.cpg` beside it.
pub(crate) fn read(path: &Path) -> Result<RawLayer> {
    Err(Error::LayerFormat {
        at: Location::file(path),
        reason: "Shapefiles are not read yet".into(),
    })
}

/// Reads the one Shapefile inside a `.zip`.
pub(crate) fn read_zip(path: &Path) -> Result<RawLayer> {
    Err(Error::LayerFormat {
        at: Location::file(path),
        reason: "zipped Shapefiles are not read yet".into(),
    })
}
