//! A layer as a file format gives it, before codes, coordinate system and measures are
//! settled: what every reader (GeoJSON, Shapefile, GeoPackage) produces and
//! [`super::Areas`] finishes.

use crate::error::Location;
use geo::MultiPolygon;
use serde_json::{Map, Value};

/// Features in file order, in the file's own coordinates.
#[derive(Debug, Clone)]
pub(crate) struct RawLayer {
    /// The features, in file order (record `i + 1` is `features[i]`).
    pub features: Vec<RawFeature>,
    /// What the file says of its coordinate system.
    pub declared_crs: DeclaredCrs,
    /// SHA-256 of the file's bytes (of the main file: `.shp`, `.zip`, `.gpkg`), in hex.
    pub sha256: String,
    /// Where the features came from, for messages: the file, and for a GeoPackage or a
    /// zip the table or member read (e.g. `layers.zip!pcon.shp`).
    pub at: Location,
}

/// One feature: its attributes and its polygons.
#[derive(Debug, Clone)]
pub(crate) struct RawFeature {
    /// Attributes, as JSON values (strings, numbers, booleans, null).
    pub properties: Map<String, Value>,
    /// The polygons, in the file's coordinates, rings as the file has them (any
    /// orientation); empty for a null or empty geometry.
    pub geometry: MultiPolygon<f64>,
}

/// What a file says of its coordinate system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DeclaredCrs {
    /// Nothing: a GeoJSON without a `crs` member, a Shapefile without `.prj`.
    Unstated,
    /// An EPSG code (a GeoJSON `crs` member, a GeoPackage `srs_id` of organisation EPSG,
    /// or a `.prj` recognised as WGS84 or British National Grid).
    Epsg(u32),
    /// A definition sigmap does not recognise by itself (the WKT of a `.prj` or of a
    /// GeoPackage's `gpkg_spatial_ref_sys`, or a GeoJSON `crs` name): PROJ may know it.
    Definition(String),
}

/// Whole numbers (within ±2^53) as JSON integers, others as floats; NaN and infinities as null.
#[cfg(any(feature = "shapefile", feature = "geopackage"))]
pub(crate) fn number(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() <= EXACT {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
