//! A layer's coordinate system: settled from what the user states, what the file declares
//! or, failing both, the coordinates' range; converted to WGS84 longitude/latitude; and
//! checked, so that coordinates that cannot be longitude/latitude are never measured as
//! if they were.
//!
//! British National Grid converts with OSTN15 (as points do, [`crate::inputs::crs`]); any other
//! system needs the `proj` feature. ETRS89 (EPSG:4258) is taken as WGS84, as OSTN15 and
//! the ONS do (they differ by well under a metre in the UK).

use super::raw::{DeclaredCrs, RawLayer};
use crate::error::{Error, Location, Result};
use crate::inputs::crs::PointCrs;
use geo::{Coord, CoordsIter, MapCoordsInPlace, MultiPolygon};
use rayon::prelude::*;

/// Where the layer's coordinate system came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CrsSource {
    /// `--areas-crs` / [`super::LayerOptions::crs`].
    Stated,
    /// The file's `crs` member, `.prj` or `gpkg_spatial_ref_sys`.
    Declared,
    /// Nothing said it: the coordinates' range.
    Range,
}

/// The layer's coordinate system once settled.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SettledCrs {
    /// The system, if it is not WGS84 longitude/latitude.
    pub converted_from: Option<String>,
    /// How it was found.
    pub source: CrsSource,
}

/// Plausible extents of the UK's projected systems, in their own metres:
/// (EPSG code, name, min x, max x, min y, max y).
const UK_GRIDS: &[(u32, &str, f64, f64, f64, f64)] = &[
    // the OSTN15 grid: all of Great Britain, Northern Ireland on its western edge
    (
        27700,
        "British National Grid",
        0.0,
        700_000.0,
        0.0,
        1_250_000.0,
    ),
    // the island of Ireland
    (29902, "Irish Grid", 0.0, 400_000.0, 0.0, 500_000.0),
    (
        2157,
        "Irish Transverse Mercator",
        400_000.0,
        800_000.0,
        500_000.0,
        1_000_000.0,
    ),
    // the British Isles in Web Mercator
    (
        3857,
        "Web Mercator",
        -1_200_000.0,
        300_000.0,
        6_300_000.0,
        8_800_000.0,
    ),
];

/// Settles the coordinate system of `raw` and converts its geometry to WGS84
/// longitude/latitude in place.
///
/// `gb_codes`: every code is a Great Britain GSS code (E, W, S), so an Irish grid is not
/// a plausible reading of the range.
pub(crate) fn to_wgs84(
    raw: &mut RawLayer,
    stated: Option<PointCrs>,
    gb_codes: bool,
) -> Result<SettledCrs> {
    check_finite(raw)?;
    let (crs, source) = match (stated, &raw.declared_crs) {
        (Some(crs), _) => (Known::Epsg(crs.epsg()), CrsSource::Stated),
        (None, DeclaredCrs::Epsg(code)) => (Known::Epsg(*code), CrsSource::Declared),
        (None, DeclaredCrs::Definition(text)) => (recognise(text), CrsSource::Declared),
        (None, DeclaredCrs::Unstated) => (from_range(raw, gb_codes)?, CrsSource::Range),
    };
    let converted_from = match crs {
        Known::Epsg(4326 | 4258) => None,
        Known::Epsg(27700) => {
            convert(raw, crate::inputs::crs::bng_to_wgs84)?;
            Some("EPSG:27700".to_string())
        }
        Known::Epsg(code) => Some(with_proj(raw, ProjSource::Epsg(code))?),
        Known::Definition(text) => Some(with_proj(raw, ProjSource::Definition(text))?),
    };
    check_lon_lat(raw, &converted_from, source)?;
    Ok(SettledCrs {
        converted_from,
        source,
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Known {
    Epsg(u32),
    Definition(String),
}

/// WGS84 and British National Grid recognised in a WKT or name, as GDAL and ArcGIS write
/// them; anything else is left for PROJ.
fn recognise(text: &str) -> Known {
    let t = text.to_ascii_lowercase().replace([' ', '-'], "_");
    let projected = t.contains("projcs[") || t.contains("projcrs[");
    if t.contains("british_national_grid") || t.contains("osgb_1936_/_british_national_grid") {
        return Known::Epsg(27700);
    }
    let wgs84 = t.contains("gcs_wgs_1984") || t.contains("\"wgs_84\"") || t.contains("wgs_1984");
    if !projected && wgs84 {
        return Known::Epsg(4326);
    }
    if !projected && (t.contains("etrs89") || t.contains("etrs_1989")) {
        return Known::Epsg(4258);
    }
    // `EPSG:…` names that the GeoJSON reader did not take as codes
    match super::geojson::crs_from_name(text) {
        DeclaredCrs::Epsg(code) => Known::Epsg(code),
        _ => Known::Definition(text.to_string()),
    }
}

/// A coordinate that is not a finite number is never a coordinate (Shapefiles can hold NaN),
/// and one beyond what exact geometry can handle is never a real one.
fn check_finite(raw: &RawLayer) -> Result<()> {
    for (i, f) in raw.features.iter().enumerate() {
        if let Some(c) = f.geometry.coords_iter().find(|&c| unusable(c).is_some()) {
            return Err(unusable_error(
                raw.at.record(i as u64 + 1).field("geometry"),
                c,
            ));
        }
    }
    Ok(())
}

/// The exact orientation test that polygon validity, containment and ring grouping rest on
/// (robust predicates) squares coordinate differences: a nonzero magnitude under 2^-500 or
/// over 2^500 underflows or overflows it, and geo's relate and sweep then disagree with
/// themselves (debug assertions fire; a release build classifies rings at random). No
/// real coordinate, in degrees or metres, comes near either bound (found by fuzzing).
const EXACT_MIN: f64 = 3.054936363499605e-151; // 2^-500
const EXACT_MAX: f64 = 3.273390607896142e150; // 2^500

/// Why a vertex cannot be a coordinate, if it cannot.
pub(crate) fn unusable(c: Coord<f64>) -> Option<&'static str> {
    let out_of_range = |v: f64| v != 0.0 && !(EXACT_MIN..=EXACT_MAX).contains(&v.abs());
    if !(c.x.is_finite() && c.y.is_finite()) {
        Some("is not a coordinate")
    } else if out_of_range(c.x) || out_of_range(c.y) {
        Some("is too close to zero or too large for exact geometry")
    } else {
        None
    }
}

/// The error for a vertex that [`unusable`] refuses.
pub(crate) fn unusable_error(at: Location, c: Coord<f64>) -> Error {
    Error::SuspectCoordinates {
        at,
        x: c.x,
        y: c.y,
        problem: unusable(c).unwrap_or("is not a coordinate"),
        hint: "every vertex must be a finite number between 2^-500 and 2^500 in magnitude, or 0"
            .to_string(),
    }
}

fn bbox(mp: &MultiPolygon<f64>) -> Option<[f64; 4]> {
    mp.coords_iter().fold(None, |b, c| {
        Some(match b {
            None => [c.x, c.x, c.y, c.y],
            Some([x0, x1, y0, y1]) => [x0.min(c.x), x1.max(c.x), y0.min(c.y), y1.max(c.y)],
        })
    })
}

fn is_lon_lat(b: &[f64; 4]) -> bool {
    b[0] >= -180.0 && b[1] <= 180.0 && b[2] >= -90.0 && b[3] <= 90.0
}

/// The coordinate system from the coordinates alone: longitude/latitude if every feature
/// fits, one of the UK's grids if exactly one fits the whole layer, else a refusal that
/// says what the range looks like and how to state the system.
fn from_range(raw: &RawLayer, gb_codes: bool) -> Result<Known> {
    let boxes: Vec<Option<[f64; 4]>> = raw.features.iter().map(|f| bbox(&f.geometry)).collect();
    let whole = boxes
        .iter()
        .flatten()
        .fold(None, |acc: Option<[f64; 4]>, b| {
            Some(match acc {
                None => *b,
                Some(a) => [
                    a[0].min(b[0]),
                    a[1].max(b[1]),
                    a[2].min(b[2]),
                    a[3].max(b[3]),
                ],
            })
        });
    let Some(whole) = whole else {
        return Ok(Known::Epsg(4326)); // no coordinates at all: the empty areas are reported
    };
    if is_lon_lat(&whole) {
        return Ok(Known::Epsg(4326));
    }
    let fits: Vec<&(u32, &str, f64, f64, f64, f64)> = UK_GRIDS
        .iter()
        .filter(|(code, ..)| !(gb_codes && matches!(code, 29902 | 2157)))
        .filter(|(_, _, x0, x1, y0, y1)| {
            whole[0] >= *x0 && whole[1] <= *x1 && whole[2] >= *y0 && whole[3] <= *y1
        })
        .collect();
    let span = format!(
        "coordinates span x {}..{}, y {}..{}",
        num(whole[0]),
        num(whole[1]),
        num(whole[2]),
        num(whole[3])
    );
    match fits.as_slice() {
        [(27700, ..)] => Ok(Known::Epsg(27700)),
        [(code, name, ..)] => Err(Error::LayerCrs {
            at: raw.at.clone(),
            problem: format!(
                "{span}, not longitude/latitude; they look like {name} (EPSG:{code}) metres"
            ),
            hint: format!(
                "state the coordinate system with --areas-crs {code}{}",
                needs_proj_note()
            ),
        }),
        [] => {
            // Mostly longitude/latitude with a few vertices that cannot be: name the first.
            let lon_lat = boxes.iter().flatten().filter(|b| is_lon_lat(b)).count();
            let with_coords = boxes.iter().flatten().count();
            if lon_lat * 2 >= with_coords {
                return Err(bad_lon_lat(
                    raw,
                    "the layer's other features are longitude/latitude",
                ));
            }
            Err(Error::LayerCrs {
                at: raw.at.clone(),
                problem: format!(
                    "{span}: neither longitude/latitude nor a UK grid (British National Grid, Irish Grid, ITM, Web Mercator)"
                ),
                hint: format!(
                    "state the coordinate system with --areas-crs EPSG{}",
                    needs_proj_note()
                ),
            })
        }
        several => Err(Error::LayerCrs {
            at: raw.at.clone(),
            problem: format!(
                "{span}, not longitude/latitude; they fit {} alike",
                several
                    .iter()
                    .map(|(code, name, ..)| format!("{name} (EPSG:{code})"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
            hint: format!(
                "state the coordinate system with --areas-crs {}{}",
                several
                    .iter()
                    .map(|(code, ..)| code.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
                needs_proj_note()
            ),
        }),
    }
}

/// A coordinate for a message: metres to the metre, degrees to 3 places, absurd values
/// in scientific notation.
fn num(v: f64) -> String {
    if v.abs() >= 1e8 {
        format!("{v:.3e}")
    } else if v.abs() >= 1000.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.3}")
    }
}

fn needs_proj_note() -> &'static str {
    if cfg!(feature = "proj") {
        ""
    } else {
        " (systems other than 4326 and 27700 need sigmap built with the `proj` feature)"
    }
}

/// The first vertex that is not longitude/latitude, as a located error.
fn bad_lon_lat(raw: &RawLayer, why: &str) -> Error {
    for (i, f) in raw.features.iter().enumerate() {
        if let Some(c) = f
            .geometry
            .coords_iter()
            .find(|c| !(-180.0..=180.0).contains(&c.x) || !(-90.0..=90.0).contains(&c.y))
        {
            return Error::SuspectCoordinates {
                at: raw.at.record(i as u64 + 1).field("geometry"),
                x: c.x,
                y: c.y,
                problem: "is not a longitude/latitude",
                hint: why.to_string(),
            };
        }
    }
    // callers only come here with a vertex out of range; should one not, still refuse
    Error::LayerCrs {
        at: raw.at.clone(),
        problem: "coordinates that are not longitude/latitude".to_string(),
        hint: why.to_string(),
    }
}

/// After conversion (or none), every vertex must be longitude/latitude.
fn check_lon_lat(raw: &RawLayer, converted_from: &Option<String>, source: CrsSource) -> Result<()> {
    let fine = raw.features.par_iter().all(|f| {
        f.geometry
            .coords_iter()
            .all(|c| (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y))
    });
    if fine {
        return Ok(());
    }
    let why = match (converted_from, source) {
        (Some(crs), _) => format!("converted from {crs}, it is still out of range"),
        (None, CrsSource::Range) => "the layer's other features are longitude/latitude".to_string(),
        (None, _) => "the layer is declared as WGS84 longitude/latitude; if it is not, state \
                      its coordinate system with --areas-crs"
            .to_string(),
    };
    Err(bad_lon_lat(raw, &why))
}

/// Converts every vertex (in parallel over features); the first failure names its record.
fn convert(raw: &mut RawLayer, f: impl Fn(f64, f64) -> Result<(f64, f64)> + Sync) -> Result<()> {
    let at = raw.at.clone();
    raw.features
        .par_iter_mut()
        .enumerate()
        .try_for_each(|(i, feature)| convert_one(&mut feature.geometry, &f, &at, i))
}

fn convert_one(
    geometry: &mut MultiPolygon<f64>,
    f: &(impl Fn(f64, f64) -> Result<(f64, f64)> + ?Sized),
    at: &Location,
    i: usize,
) -> Result<()> {
    let converted = geometry.try_map_coords_in_place(|c| f(c.x, c.y).map(|(x, y)| Coord { x, y }));
    match converted.err() {
        None => Ok(()),
        Some(Error::Transform { x, y, reason }) => Err(Error::SuspectCoordinates {
            at: at.record(i as u64 + 1).field("geometry"),
            x,
            y,
            problem: "cannot be converted to longitude/latitude",
            hint: reason,
        }),
        Some(other) => Err(other),
    }
}

enum ProjSource {
    Epsg(u32),
    Definition(String),
}

#[cfg(feature = "proj")]
fn with_proj(raw: &mut RawLayer, source: ProjSource) -> Result<String> {
    let (t, name) = match source {
        ProjSource::Epsg(code) => (
            crate::inputs::crs::ToWgs84::from_epsg(code),
            format!("EPSG:{code}"),
        ),
        ProjSource::Definition(text) => {
            let name = crate::text::excerpt(&text);
            (crate::inputs::crs::ToWgs84::from_definition(&text), name)
        }
    };
    let t = t.map_err(|e| Error::LayerCrs {
        at: raw.at.clone(),
        problem: format!("PROJ does not know the coordinate system {name} ({e})"),
        hint: "state it with --areas-crs EPSG".to_string(),
    })?;
    if t.kind() == crate::inputs::crs::CrsKind::Other {
        return Err(Error::LayerCrs {
            at: raw.at.clone(),
            problem: format!("{name} is neither geographic nor projected"),
            hint: "convert the layer to WGS84 (EPSG:4326) first".to_string(),
        });
    }
    // PROJ objects are not shared across threads: convert sequentially
    let at = raw.at.clone();
    for (i, feature) in raw.features.iter_mut().enumerate() {
        convert_one(&mut feature.geometry, &|x, y| t.convert(x, y), &at, i)?;
    }
    Ok(name)
}

#[cfg(not(feature = "proj"))]
fn with_proj(raw: &mut RawLayer, source: ProjSource) -> Result<String> {
    let name = match source {
        ProjSource::Epsg(code) => format!("EPSG:{code}"),
        ProjSource::Definition(text) => crate::text::excerpt(&text),
    };
    Err(Error::LayerCrs {
        at: raw.at.clone(),
        problem: format!("the layer is in {name}, which only PROJ can convert"),
        hint: "build sigmap with the `proj` feature (cargo install --features proj), or convert the layer to WGS84 (EPSG:4326) or British National Grid (EPSG:27700) first".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::areas::raw::RawFeature;
    use geo::{MultiPolygon, polygon};

    fn layer(coords: &[(f64, f64)], declared: DeclaredCrs) -> RawLayer {
        let features = coords
            .iter()
            .map(|&(x, y)| RawFeature {
                properties: Default::default(),
                geometry: MultiPolygon::new(vec![polygon![
                    (x: x, y: y), (x: x + 10.0, y: y), (x: x + 10.0, y: y + 10.0), (x: x, y: y)
                ]]),
            })
            .collect();
        RawLayer {
            features,
            declared_crs: declared,
            sha256: String::new(),
            at: Location::file("l.geojson"),
        }
    }

    #[test]
    fn wkt_recognised() {
        let bng =
            r#"PROJCS["OSGB 1936 / British National Grid",GEOGCS["OSGB 1936",DATUM["OSGB_1936"]]]"#;
        assert_eq!(recognise(bng), Known::Epsg(27700));
        let esri = r#"PROJCS["British_National_Grid",GEOGCS["GCS_OSGB_1936"]]"#;
        assert_eq!(recognise(esri), Known::Epsg(27700));
        let wgs = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]]"#;
        assert_eq!(recognise(wgs), Known::Epsg(4326));
        let utm = r#"PROJCS["WGS_1984_UTM_Zone_30N",GEOGCS["GCS_WGS_1984"]]"#;
        assert!(matches!(recognise(utm), Known::Definition(_)));
    }

    #[test]
    fn range_detection() {
        // London and Edinburgh in BNG metres
        let mut bng = layer(
            &[(530_000.0, 180_000.0), (325_000.0, 673_000.0)],
            DeclaredCrs::Unstated,
        );
        let settled = to_wgs84(&mut bng, None, false).unwrap();
        assert_eq!(settled.converted_from.as_deref(), Some("EPSG:27700"));
        assert_eq!(settled.source, CrsSource::Range);
        let c = bng.features[0].geometry.0[0].exterior().0[0];
        assert!(
            (c.x + 0.128).abs() < 0.01 && (c.y - 51.50).abs() < 0.01,
            "{c:?}"
        );

        // Devon alone fits the Irish Grid too: refused, unless the codes are Britain's
        let devon = layer(&[(280_000.0, 90_000.0)], DeclaredCrs::Unstated);
        let e = to_wgs84(&mut devon.clone(), None, false).unwrap_err();
        assert!(e.to_string().contains("--areas-crs 27700 or 29902"), "{e}");
        assert!(to_wgs84(&mut devon.clone(), None, true).is_ok());

        // Web Mercator
        let e = to_wgs84(
            &mut layer(&[(-14_000.0, 6_711_000.0)], DeclaredCrs::Unstated),
            None,
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("Web Mercator (EPSG:3857)"), "{e}");

        // a ring at longitude 400 among lon/lat features
        let e = to_wgs84(
            &mut layer(
                &[(-1.0, 51.0), (0.0, 52.0), (400.0, 51.0)],
                DeclaredCrs::Unstated,
            ),
            None,
            false,
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("l.geojson: record 3, field geometry"),
            "{e}"
        );

        // 1e300 and NaN
        let e = to_wgs84(
            &mut layer(&[(-1.0, 51.0), (1e300, 51.0)], DeclaredCrs::Unstated),
            None,
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("record 2"), "{e}");
        let e = to_wgs84(
            &mut layer(&[(f64::NAN, 51.0)], DeclaredCrs::Epsg(4326)),
            None,
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("record 1, field geometry"), "{e}");

        // declared WGS84 but metres
        let e = to_wgs84(
            &mut layer(&[(530_000.0, 180_000.0)], DeclaredCrs::Epsg(4326)),
            None,
            false,
        )
        .unwrap_err();
        assert!(e.to_string().contains("--areas-crs"), "{e}");
    }

    #[test]
    fn stated_wins_and_outside_the_grid_is_located() {
        let mut l = layer(&[(530_000.0, 180_000.0)], DeclaredCrs::Epsg(4326));
        assert!(to_wgs84(&mut l, Some(PointCrs::Bng), false).is_ok());
        let e = to_wgs84(
            &mut layer(&[(530_000.0, 1_400_000.0)], DeclaredCrs::Epsg(27700)),
            None,
            false,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("record 1, field geometry")
                && e.to_string().contains("cannot be converted"),
            "{e}"
        );
    }

    #[cfg(not(feature = "proj"))]
    #[test]
    fn other_systems_need_proj() {
        let e = to_wgs84(
            &mut layer(&[(600_000.0, 900_000.0)], DeclaredCrs::Epsg(2157)),
            None,
            false,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("EPSG:2157") && e.to_string().contains("`proj` feature"),
            "{e}"
        );
    }

    #[test]
    fn vertices_beyond_exact_geometry_are_refused_with_their_record() {
        assert_eq!(unusable(Coord { x: 0.0, y: -0.0 }), None);
        assert_eq!(unusable(Coord { x: -0.8, y: 51.2 }), None);
        assert_eq!(unusable(Coord { x: 7e5, y: 1.2e6 }), None);
        for bad in [1e-309, -2.4e-185, 6e197, f64::NAN, f64::INFINITY] {
            assert!(unusable(Coord { x: -0.8, y: bad }).is_some(), "{bad}");
            assert!(unusable(Coord { x: bad, y: 51.2 }).is_some(), "{bad}");
        }
        let mut raw = layer(&[(-0.8, 51.2), (1e-300, 51.0)], DeclaredCrs::Unstated);
        let err = check_finite(&raw).unwrap_err();
        assert!(matches!(err, Error::SuspectCoordinates { .. }), "{err}");
        assert!(err.to_string().contains("record 2"), "{err}");
        raw.features.pop();
        check_finite(&raw).unwrap();
    }
}
