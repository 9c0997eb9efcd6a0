//! Coordinate reference systems: WGS84 <-> British National Grid (EPSG:27700) through the
//! Ordnance Survey's OSTN15 transformation (`lonlat_bng`, millimetre level), a display
//! projection for maps, and, with the `proj` feature, any EPSG code through PROJ.
//!
//! `lonlat_bng` accepts longitudes -8.579..1.780 and latitudes 49.922..60.840 only: the Isles
//! of Scilly, St Kilda and the north of Shetland are outside and give an error.
//!
//! OSTN15 is defined for Great Britain. It returns values over Northern Ireland too (1-3 m
//! from PROJ's Helmert route), but BNG is not Northern Ireland's grid: use Irish Grid
//! (EPSG:29902) or ITM (EPSG:2157) through the `proj` feature for points there.

use crate::error::{Error, Result};
use geo::{Coord, LineString, MultiPolygon, Polygon};

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

/// Converts British National Grid easting/northing (metres) to WGS84 longitude/latitude
/// (degrees) with OSTN15.
///
/// # Errors
/// [`Error::Transform`] outside the OSTN15 grid.
pub fn bng_to_wgs84(easting: f64, northing: f64) -> Result<(f64, f64)> {
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

/// With the `proj` feature: a transformation from any EPSG coordinate system to WGS84
/// longitude/latitude, through PROJ (bundled, built from source).
#[cfg(feature = "proj")]
pub struct ToWgs84 {
    proj: proj::Proj,
    epsg: u32,
}

#[cfg(feature = "proj")]
impl ToWgs84 {
    /// A transformation from `EPSG:<epsg>` to WGS84 (axis order: x/easting or longitude
    /// first, as PROJ's normalised order).
    ///
    /// # Errors
    /// [`Error::Transform`] if PROJ does not know the code.
    pub fn from_epsg(epsg: u32) -> Result<Self> {
        let proj =
            proj::Proj::new_known_crs(&format!("EPSG:{epsg}"), "EPSG:4326", None).map_err(|e| {
                Error::Transform {
                    x: f64::NAN,
                    y: f64::NAN,
                    reason: format!("EPSG:{epsg}: {e}"),
                }
            })?;
        Ok(ToWgs84 { proj, epsg })
    }

    /// The source EPSG code.
    pub fn epsg(&self) -> u32 {
        self.epsg
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

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

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
}
