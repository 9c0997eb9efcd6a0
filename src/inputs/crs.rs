//! Coordinate reference systems: WGS84 <-> British National Grid (EPSG:27700) through the
//! Ordnance Survey's OSTN15 transformation (`lonlat_bng`, millimetre level), a display
//! projection for maps, and, with the `proj` feature, any EPSG code through PROJ.
//!
//! The two directions do not cover the same ground:
//! - **British National Grid → WGS84** ([`bng_to_wgs84`]) takes any point of the OSTN15
//!   grid, eastings 0..700 km and northings 0..1,250 km (to within OSTN15's shift of about
//!   100 m at the edges). That includes the Isles of Scilly, St
//!   Kilda and the north of Shetland (Unst): BNG points there convert, and land in their
//!   seats (tests pin St Ives, Na h-Eileanan an Iar and Orkney and Shetland).
//! - **WGS84 → British National Grid** ([`wgs84_to_bng`], [`multipolygon_to_bng`]) takes
//!   longitudes -8.579..1.780 and latitudes 49.922..60.840 only (`lonlat_bng`'s box), so the
//!   Isles of Scilly (south of 49.922°N), St Kilda (west of 8.579°W) and the north of Unst
//!   (north of 60.840°N) give [`Error::Transform`].
//!
//! Locating WGS84 points never needs the second direction: the shipped boundaries are
//! WGS84, and snapping measures distances in degrees scaled locally. It is needed only to
//! measure on the grid: distance-band weights project area centroids with it and refuse a
//! centroid outside the box with a typed error (no seat's centroid is), and
//! [`multipolygon_to_bng`] fails on a seat with a vertex there.
//!
//! OSTN15 is defined for Great Britain. It returns values over Northern Ireland too (1-3 m
//! from PROJ's Helmert route), but BNG is not Northern Ireland's grid: use Irish Grid
//! (EPSG:29902) or ITM (EPSG:2157) through the `proj` feature for points there.

use crate::error::{Error, Result};
use geo::{Coord, LineString, MultiPolygon, Polygon};
use serde::Serialize;

/// Converts WGS84 longitude/latitude (degrees) to British National Grid easting/northing
/// (metres) with OSTN15.
///
/// # Examples
/// ```
/// // Trafalgar Square
/// let (e, n) = sigmap::crs::wgs84_to_bng(-0.1281, 51.5080)?;
/// assert!((e - 529_980.0).abs() < 100.0 && (n - 180_400.0).abs() < 100.0);
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// [`Error::Transform`] outside the OSTN15 grid (far offshore, or not in the British Isles).
pub fn wgs84_to_bng(lon: f64, lat: f64) -> Result<(f64, f64)> {
    lonlat_bng::convert_osgb36(lon, lat).map_err(|e| Error::Transform {
        x: lon,
        y: lat,
        reason: e.to_string(),
    })
}

/// Far beyond the OSTN15 grid (700 x 1,250 km) in any direction: refused before
/// `lonlat_bng`'s cell arithmetic.
const MAX_GRID_METRES: f64 = 10_000_000.0;

/// Converts British National Grid easting/northing (metres) to WGS84 longitude/latitude
/// (degrees) with OSTN15.
///
/// # Errors
/// [`Error::Transform`] outside the OSTN15 grid.
pub fn bng_to_wgs84(easting: f64, northing: f64) -> Result<(f64, f64)> {
    // lonlat_bng multiplies the kilometre cell index in i32: a coordinate far off the grid
    // (the grid is 700 x 1,250 km) overflows it (a panic with overflow checks, found by
    // fuzzing), and NaN would be read as cell 0
    if !(easting.abs() <= MAX_GRID_METRES && northing.abs() <= MAX_GRID_METRES) {
        return Err(Error::Transform {
            x: easting,
            y: northing,
            reason: "not on the OSTN15 grid (eastings 0 to 700,000 m, northings 0 to 1,250,000 m)"
                .into(),
        });
    }
    lonlat_bng::convert_osgb36_to_ll(easting, northing).map_err(|e| Error::Transform {
        x: easting,
        y: northing,
        reason: e.to_string(),
    })
}

/// Converts a lon/lat multipolygon to British National Grid, vertex by vertex.
///
/// # Errors
/// [`Error::Transform`] if a vertex is outside the OSTN15 grid.
pub fn multipolygon_to_bng(mp: &MultiPolygon<f64>) -> Result<MultiPolygon<f64>> {
    let ring = |ls: &LineString<f64>| -> Result<LineString<f64>> {
        ls.coords()
            .map(|c| wgs84_to_bng(c.x, c.y).map(|(x, y)| Coord { x, y }))
            .collect::<Result<Vec<_>>>()
            .map(LineString::new)
    };
    mp.iter()
        .map(|p| {
            let exterior = ring(p.exterior())?;
            let interiors = p.interiors().iter().map(ring).collect::<Result<Vec<_>>>()?;
            Ok(Polygon::new(exterior, interiors))
        })
        .collect::<Result<Vec<_>>>()
        .map(MultiPolygon::new)
}

/// A conformal map projection for drawing: spherical transverse Mercator centred on a
/// meridian (by default 2°W, BNG's), so that Great Britain, Northern Ireland and Shetland
/// keep their shapes and relative sizes. Output is in kilometres, y growing northwards.
///
/// For drawing only: use [`wgs84_to_bng`] or the ellipsoidal areas for measurement.
///
/// # Examples
/// ```
/// use sigmap::crs::DisplayProjection;
/// let p = DisplayProjection::uk();
/// let (x, y) = p.project(-2.0, 0.0);
/// assert!(x.abs() < 1e-9 && y.abs() < 1e-9);
/// let (x, _) = p.project(-1.0, 0.0);
/// assert!((x - 111.2).abs() < 0.1); // one degree of the equator
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DisplayProjection {
    /// Central meridian, degrees.
    pub central_meridian: f64,
}

impl DisplayProjection {
    /// Mean Earth radius, km.
    const RADIUS_KM: f64 = 6371.0088;

    /// Centred on 2°W, the central meridian of the British National Grid.
    pub fn uk() -> Self {
        DisplayProjection {
            central_meridian: -2.0,
        }
    }

    /// Projects longitude/latitude (degrees) to x/y (km).
    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        let lambda = (lon - self.central_meridian).to_radians();
        let phi = lat.to_radians();
        let b = phi.cos() * lambda.sin();
        let x = Self::RADIUS_KM * b.atanh();
        let y = Self::RADIUS_KM * phi.tan().atan2(lambda.cos());
        (x, y)
    }
}

/// What kind of coordinate system an EPSG code names (with the `proj` feature).
#[cfg(feature = "proj")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrsKind {
    /// Longitude and latitude (degrees), e.g. ETRS89 (EPSG:4258).
    Geographic,
    /// Eastings and northings on a map projection, e.g. Irish Grid (EPSG:29902).
    Projected,
    /// Anything else (geocentric, engineering, ...).
    Other,
}

/// With the `proj` feature: a transformation from any EPSG coordinate system to WGS84
/// longitude/latitude, through PROJ (bundled, built from source).
#[cfg(feature = "proj")]
pub struct ToWgs84 {
    proj: proj::Proj,
    epsg: u32,
    kind: CrsKind,
    area_of_use: Option<Envelope>,
}

#[cfg(feature = "proj")]
impl ToWgs84 {
    /// A transformation from `EPSG:<epsg>` to WGS84 (axis order: x/easting or longitude
    /// first, as PROJ's normalised order).
    ///
    /// # Errors
    /// [`Error::Transform`] if PROJ does not know the code.
    pub fn from_epsg(epsg: u32) -> Result<Self> {
        Self::new(&format!("EPSG:{epsg}"), epsg)
    }

    /// A transformation to WGS84 from a coordinate system given as PROJ takes one: WKT
    /// (a Shapefile's `.prj`, a GeoPackage's `gpkg_spatial_ref_sys`), a PROJ string or
    /// `AUTHORITY:CODE`. [`ToWgs84::epsg`] is then 0.
    ///
    /// # Errors
    /// [`Error::Transform`] if PROJ cannot make sense of it.
    pub fn from_definition(definition: &str) -> Result<Self> {
        Self::new(definition, 0)
    }

    fn new(definition: &str, epsg: u32) -> Result<Self> {
        let failed = |e: &dyn std::fmt::Display| Error::Transform {
            x: f64::NAN,
            y: f64::NAN,
            reason: format!("{}: {e}", crate::text::excerpt(definition)),
        };
        let proj =
            proj::Proj::new_known_crs(definition, "EPSG:4326", None).map_err(|e| failed(&e))?;
        let crs = proj::Proj::new(definition).map_err(|e| failed(&e))?;
        let kind = crs_kind(&crs);
        // an area crossing the antimeridian (west > east) is not needed for UK points
        let area_of_use = crs
            .area_of_use()
            .ok()
            .and_then(|(area, _)| area)
            .filter(|a| a.west <= a.east)
            .map(|a| Envelope {
                min_lon: a.west,
                max_lon: a.east,
                min_lat: a.south,
                max_lat: a.north,
            });
        Ok(ToWgs84 {
            proj,
            epsg,
            kind,
            area_of_use,
        })
    }

    /// The source EPSG code.
    pub fn epsg(&self) -> u32 {
        self.epsg
    }

    /// Whether the source system is geographic or projected.
    pub fn kind(&self) -> CrsKind {
        self.kind
    }

    /// The source system's area of use (WGS84 degrees), as PROJ's database gives it.
    pub fn area_of_use(&self) -> Option<Envelope> {
        self.area_of_use
    }

    /// Transforms one coordinate to (longitude, latitude).
    ///
    /// # Errors
    /// [`Error::Transform`] if PROJ cannot transform it.
    pub fn convert(&self, x: f64, y: f64) -> Result<(f64, f64)> {
        self.proj.convert((x, y)).map_err(|e| Error::Transform {
            x,
            y,
            reason: e.to_string(),
        })
    }
}

/// The kind of a CRS from its PROJJSON `type` (the first component of a compound CRS).
#[cfg(feature = "proj")]
fn crs_kind(crs: &proj::Proj) -> CrsKind {
    let json: Option<serde_json::Value> = crs
        .to_projjson(Some(false), None, None)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let Some(json) = json else {
        return CrsKind::Other;
    };
    let horizontal = match json["type"].as_str() {
        Some("CompoundCRS") => &json["components"][0],
        _ => &json,
    };
    match horizontal["type"].as_str() {
        Some("ProjectedCRS" | "DerivedProjectedCRS") => CrsKind::Projected,
        Some("GeographicCRS" | "DerivedGeographicCRS") => CrsKind::Geographic,
        _ => CrsKind::Other,
    }
}

/// A longitude/latitude box (in the layer's coordinates: degrees for the shipped layers).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Envelope {
    /// Western limit (degrees east).
    pub min_lon: f64,
    /// Eastern limit.
    pub max_lon: f64,
    /// Southern limit (degrees north).
    pub min_lat: f64,
    /// Northern limit.
    pub max_lat: f64,
}

impl Envelope {
    /// Whether the box holds the point.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        (self.min_lon..=self.max_lon).contains(&lon) && (self.min_lat..=self.max_lat).contains(&lat)
    }

    /// Whether the box holds all of `other`.
    pub fn covers(&self, other: &Envelope) -> bool {
        self.contains(other.min_lon, other.min_lat) && self.contains(other.max_lon, other.max_lat)
    }

    /// True for [`UK_ENVELOPE`].
    pub fn is_uk(&self) -> bool {
        *self == UK_ENVELOPE
    }

    /// The box grown by `by` on each side.
    #[must_use]
    pub fn grown(&self, by: f64) -> Envelope {
        Envelope {
            min_lon: self.min_lon - by,
            max_lon: self.max_lon + by,
            min_lat: self.min_lat - by,
            max_lat: self.max_lat + by,
        }
    }
}

impl std::fmt::Display for Envelope {
    /// `longitude -8.7..1.8, latitude 49.8..60.9`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "longitude {}..{}, latitude {}..{}",
            self.min_lon, self.max_lon, self.min_lat, self.max_lat
        )
    }
}

/// The United Kingdom with a margin: from the Isles of Scilly and St Kilda to Lowestoft and
/// the north of Shetland.
pub const UK_ENVELOPE: Envelope = Envelope {
    min_lon: -8.7,
    max_lon: 1.8,
    min_lat: 49.8,
    max_lat: 60.9,
};

/// The coordinate system of a points file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PointCrs {
    /// WGS84 longitude/latitude in degrees (EPSG:4326).
    Wgs84,
    /// British National Grid easting/northing in metres (EPSG:27700), via OSTN15.
    Bng,
    /// Any other EPSG code, through PROJ (needs the `proj` feature).
    Epsg(u32),
}

impl PointCrs {
    /// The EPSG code.
    pub fn epsg(self) -> u32 {
        match self {
            PointCrs::Wgs84 => 4326,
            PointCrs::Bng => 27700,
            PointCrs::Epsg(code) => code,
        }
    }
}

impl std::fmt::Display for PointCrs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EPSG:{}", self.epsg())
    }
}

impl std::str::FromStr for PointCrs {
    type Err = Error;
    /// `4326`, `27700`, `EPSG:29902`, ... (other codes need the `proj` feature).
    fn from_str(s: &str) -> Result<Self> {
        let digits = s
            .trim()
            .strip_prefix("EPSG:")
            .or_else(|| s.trim().strip_prefix("epsg:"))
            .unwrap_or(s.trim());
        let code: u32 = digits.parse().map_err(|_| Error::UnsupportedCrs {
            crs: s.to_string(),
            reason: "expected an EPSG code such as 4326, 27700 or EPSG:29902".into(),
        })?;
        Ok(match code {
            4326 => PointCrs::Wgs84,
            27700 => PointCrs::Bng,
            other => PointCrs::Epsg(other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn far_off_the_grid_is_an_error_not_an_overflow() {
        // fuzz/regressions/geojson/bng_overflow: lonlat_bng's cell index overflowed i32
        for (e, n) in [
            (48_500_486_000.0, 151_000.0),
            (485_000.0, -1e300),
            (f64::NAN, 150_000.0),
            (f64::INFINITY, 0.0),
        ] {
            let err = bng_to_wgs84(e, n).unwrap_err();
            assert!(matches!(err, Error::Transform { .. }), "{err}");
        }
        assert!(bng_to_wgs84(530_000.0, 180_000.0).is_ok());
    }

    #[test]
    fn bng_round_trip_is_millimetric() {
        for (lon, lat) in [(-0.1276, 51.5072), (-3.1883, 55.9533), (-1.2577, 60.1547)] {
            let (e, n) = wgs84_to_bng(lon, lat).unwrap();
            let (lon2, lat2) = bng_to_wgs84(e, n).unwrap();
            assert_abs_diff_eq!(lon, lon2, epsilon = 1e-7);
            assert_abs_diff_eq!(lat, lat2, epsilon = 1e-7);
        }
        // DEPS.md: OSTN15 gives 530041.454, 180358.007 for this point
        let (e, n) = wgs84_to_bng(-0.1276, 51.5072).unwrap();
        assert_abs_diff_eq!(e, 530041.454, epsilon = 0.002);
        assert_abs_diff_eq!(n, 180358.007, epsilon = 0.002);
    }

    #[test]
    fn far_away_points_are_errors() {
        assert!(wgs84_to_bng(40.0, 10.0).is_err());
        assert!(bng_to_wgs84(-1.0, 100.0).is_err());
        assert!(bng_to_wgs84(701_000.0, 100_000.0).is_err());
        assert!(bng_to_wgs84(100_000.0, 1_250_001.0).is_err());
    }

    /// Scilly, St Kilda and north Unst: on the grid, outside `lonlat_bng`'s lon/lat box.
    /// The module docs describe both directions; tests/integration/points.rs locates them.
    #[test]
    fn the_grid_reaches_further_than_the_lon_lat_box() {
        for (e, n, lon, lat) in [
            (90_342.0, 10_462.0, -6.3151, 49.9140), // St Mary's, Isles of Scilly
            (9_221.0, 899_645.0, -8.5850, 57.8149), // Hirta, St Kilda
            (460_645.0, 1_218_534.0, -0.8860, 60.8450), // north Unst
        ] {
            let (lon2, lat2) = bng_to_wgs84(e, n).unwrap();
            assert_abs_diff_eq!(lon2, lon, epsilon = 1e-4);
            assert_abs_diff_eq!(lat2, lat, epsilon = 1e-4);
            let back = wgs84_to_bng(lon2, lat2);
            assert!(
                matches!(back, Err(Error::Transform { .. })),
                "({e}, {n}) -> ({lon2}, {lat2}) -> {back:?}"
            );
        }
    }

    #[test]
    fn display_projection_keeps_north_up_and_scale() {
        let p = DisplayProjection::uk();
        let (_, y1) = p.project(-2.0, 50.0);
        let (_, y2) = p.project(-2.0, 51.0);
        assert_abs_diff_eq!(y2 - y1, 111.19, epsilon = 0.01);
    }

    #[cfg(feature = "proj")]
    #[test]
    fn proj_agrees_with_ostn15_to_a_few_metres() {
        // PROJ's offline BNG route is a Helmert transformation, 1-4 m from OSTN15
        let t = ToWgs84::from_epsg(27700).unwrap();
        let (e, n) = wgs84_to_bng(-0.1276, 51.5072).unwrap();
        let (lon, lat) = t.convert(e, n).unwrap();
        assert_abs_diff_eq!(lon, -0.1276, epsilon = 1e-4);
        assert_abs_diff_eq!(lat, 51.5072, epsilon = 1e-4);
        assert!(ToWgs84::from_epsg(999_999).is_err());
    }

    #[cfg(feature = "proj")]
    #[test]
    fn proj_knows_the_kind_and_area_of_a_system() {
        let irish_grid = ToWgs84::from_epsg(29902).unwrap();
        assert_eq!(irish_grid.kind(), CrsKind::Projected);
        let area = irish_grid.area_of_use().unwrap();
        assert!(area.contains(-5.93, 54.6) && area.contains(-9.05, 53.27)); // Belfast, Galway
        assert!(!area.contains(-0.12, 51.5)); // London
        assert_eq!(
            ToWgs84::from_epsg(4258).unwrap().kind(),
            CrsKind::Geographic
        );
        assert_eq!(ToWgs84::from_epsg(2157).unwrap().kind(), CrsKind::Projected);
        // British National Grid + ODN height: its horizontal part
        assert_eq!(ToWgs84::from_epsg(7405).unwrap().kind(), CrsKind::Projected);
    }
}
