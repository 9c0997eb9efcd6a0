//! GeoPackages: an SQLite file whose polygon table is read through `gpkg_contents`,
//! `gpkg_geometry_columns` and `gpkg_spatial_ref_sys`.

use super::raw::RawLayer;
use crate::error::{Error, Location, Result};
use std::path::Path;

/// Reads the polygon table `table` (or the only one) of a GeoPackage.
pub(crate) fn read(path: &Path, table: Option<&str>) -> Result<RawLayer> {
    let _ = table;
    Err(Error::LayerFormat {
        at: Location::file(path),
        reason: "GeoPackages are not read yet".into(),
    })
}
