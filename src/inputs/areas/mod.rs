//! Boundary layers: read GeoJSON, Shapefile or GeoPackage polygons in any ring orientation
//! and in WGS84, British National Grid or (with the `proj` feature) any coordinate system;
//! find the code and name properties; compute ellipsoidal areas and centroids; report
//! invalid geometry.

mod coords;
mod geojson;
mod geojson_fast;
mod geopackage;
mod raw;
mod shapefile;
mod shipped;

use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::code::{UniqueCodes, Vintage, is_gss_code};
use crate::inputs::crs::PointCrs;
use geo::Winding;
use geo::{Centroid, GeodesicArea, MultiPolygon, Point};
use raw::{RawFeature, RawLayer};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Property pairs (code, name) of the ONS constituency layers, recognised without being told.
const KNOWN_PROPERTIES: &[(&str, &str)] = &[
    ("PCON24CD", "PCON24NM"),
    ("PCON22CD", "PCON22NM"),
    ("PCON19CD", "PCON19NM"),
    ("PCON18CD", "PCON18NM"),
    ("PCON17CD", "PCON17NM"),
    ("PCON15CD", "PCON15NM"),
    ("PCON10CD", "PCON10NM"),
];

/// One area (a constituency) of a boundary layer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Area {
    /// GSS code, e.g. `E14001063`.
    pub code: String,
    /// Name as the layer spells it.
    pub name: String,
    /// Boundary in WGS84 longitude/latitude.
    pub geometry: MultiPolygon<f64>,
    /// Area on the WGS84 ellipsoid (geodesic), in km².
    pub area_km2: f64,
    /// Centroid of the polygon parts, in longitude/latitude (planar in degrees: good for
    /// labels and nearest-neighbour weights, not a geodesic centre of mass).
    pub centroid: Point<f64>,
}

impl Area {
    /// Every ring of the area, each polygon's exterior then its holes, in order.
    pub(crate) fn rings(&self) -> impl Iterator<Item = &geo::LineString<f64>> {
        self.geometry
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    }
}

/// A problem with one area's geometry. Such areas are kept and reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GeometryIssue {
    /// The area's code.
    pub code: String,
    /// 1-based feature number in the file.
    pub record: u64,
    /// What is wrong, e.g. `ring self-intersection`.
    pub problem: String,
}

/// Where a layer came from: recorded in every result, because the layer changes the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LayerInfo {
    /// File name (or the name of the shipped layer).
    pub name: String,
    /// SHA-256 of the file's bytes, in hex.
    pub sha256: String,
    /// The property that holds the codes.
    pub code_property: String,
    /// The property that holds the names, if any.
    pub name_property: Option<String>,
    /// The detected constituency set, if the codes are Westminster constituencies.
    pub vintage: Option<Vintage>,
    /// The coordinate system the file was in (e.g. `EPSG:27700`), when it was not WGS84
    /// longitude/latitude: its coordinates were converted on reading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub converted_from: Option<String>,
}

/// A boundary layer: areas in file order, indexed by code.
///
/// The order of `Areas` is the order of every table row, vector and weights row in sigmap.
#[derive(Debug, Clone)]
pub struct Areas {
    areas: Vec<Area>,
    by_code: HashMap<String, usize>,
    /// Where the layer came from.
    pub layer: LayerInfo,
    /// Areas with invalid or empty geometry, in file order.
    pub issues: Vec<GeometryIssue>,
}

/// Options for reading a boundary layer: which properties hold codes and names.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct LayerOptions {
    code_property: Option<String>,
    name_property: Option<String>,
    skip_validation: bool,
    skip_measures: bool,
    crs: Option<PointCrs>,
    table: Option<String>,
    /// Measure and check a shipped layer from scratch rather than take its measures from
    /// `data/boundaries/*.measures.tsv` (the test that keeps those files current).
    without_cache: bool,
}

impl LayerOptions {
    /// Default options: find the properties from the data.
    pub fn new() -> Self {
        Self::default()
    }

    /// Read codes from this property instead of detecting it.
    pub fn code_property(mut self, name: impl Into<String>) -> Self {
        self.code_property = Some(name.into());
        self
    }

    /// Read names from this property instead of detecting it.
    pub fn name_property(mut self, name: impl Into<String>) -> Self {
        self.name_property = Some(name.into());
        self
    }

    /// The layer's coordinate system, whatever the file says (`--areas-crs`). Without it,
    /// the file's own declaration is used (a GeoJSON `crs` member, a Shapefile's `.prj`, a
    /// GeoPackage's spatial reference), else the coordinates' range: longitude/latitude,
    /// or British National Grid when only that UK grid fits (an ambiguous range is refused
    /// with a message naming the candidates).
    pub fn crs(mut self, crs: PointCrs) -> Self {
        self.crs = Some(crs);
        self
    }

    /// The table of a GeoPackage to read (`--areas-layer`); without it, the GeoPackage's
    /// only polygon table.
    pub fn table(mut self, name: impl Into<String>) -> Self {
        self.table = Some(name.into());
        self
    }

    /// Whether to check every polygon's validity (ring self-intersections and the like;
    /// default `true`). Point location and weights do not need it, and it is about a
    /// quarter of the loading time; without it [`Areas::issues`] lists only empty and
    /// zero-area geometry.
    pub fn check_geometry(mut self, check: bool) -> Self {
        self.skip_validation = !check;
        self
    }

    /// Whether to compute each area's geodesic area (default `true`). Point location and
    /// the statistics do not need it, and on a full-resolution layer it is about half the
    /// loading time; without it `area_km2` is NaN (centroids, which are cheap, are still
    /// computed), so use such a layer for [`crate::SpatialIndex`], weights and statistics,
    /// not for densities.
    pub fn measure(mut self, measure: bool) -> Self {
        self.skip_measures = !measure;
        self
    }

    /// The constituency boundaries that ship with sigmap, read with these options (the
    /// code and name properties are the shipped layer's own).
    ///
    /// # Errors
    /// As [`Areas::shipped`].
    pub fn shipped(&self, vintage: Vintage) -> Result<Areas> {
        let layer = shipped::layer(vintage);
        let options = LayerOptions {
            code_property: None,
            name_property: None,
            ..self.clone()
        };
        let measures = layer.measures().filter(|_| !self.without_cache);
        let at = Location::file(layer.name);
        let raw = geojson::read(layer.text, &at, measures.map(|m| m.sha256.as_str()))?;
        let mut areas = Areas::finish(raw, layer.name, &options, measures)?;
        // measures of other features (a stale file; the tests keep it current) are not
        // used, and their checksum is not the layer's
        if measures.is_some_and(|m| !m.fit(&areas)) {
            areas.layer.sha256 = hex_sha256(layer.text.as_bytes());
        }
        Ok(areas)
    }

    #[cfg(test)]
    fn without_cache(mut self) -> Self {
        self.without_cache = true;
        self
    }

    /// Reads a layer from a GeoJSON file with these options.
    ///
    /// # Examples
    /// ```
    /// use sigmap::LayerOptions;
    /// let areas = LayerOptions::new()
    ///     .code_property("PCON24CD")
    ///     .from_path("data/boundaries/pcon2024_bgc_20pct.geojson")?;
    /// assert_eq!(areas.len(), 650);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Areas::from_path`].
    pub fn from_path(&self, path: impl AsRef<Path>) -> Result<Areas> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let raw = match LayerFormat::of(path)? {
            LayerFormat::GeoJson => {
                let bytes = std::fs::read(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
                let text = String::from_utf8(bytes).map_err(|e| Error::LayerFormat {
                    at: Location::file(path),
                    reason: format!(
                        "not UTF-8 text (byte {}): GeoJSON is UTF-8; Shapefiles (.shp, .zip) and GeoPackages (.gpkg) are recognised by their extension",
                        e.utf8_error().valid_up_to()
                    ),
                })?;
                geojson::read(&text, &Location::file(path), None)?
            }
            LayerFormat::Shapefile => shapefile::read(path)?,
            LayerFormat::ZippedShapefile => shapefile::read_zip(path)?,
            LayerFormat::GeoPackage => geopackage::read(path, self.table.as_deref())?,
        };
        Areas::finish(raw, &name, self, None)
    }

    /// A layer from features already in memory (a GeoDataFrame's, say): each feature's
    /// properties and polygons, in any ring orientation, read as a file's features are
    /// (codes, names and the coordinate system found the same way). `name` is used in
    /// messages. The layer's `sha256` is that of the features: each ring's coordinates (x
    /// then y, little-endian `f64`) and each feature's properties (as JSON), in order.
    ///
    /// # Examples
    /// ```
    /// use geo::polygon;
    /// use sigmap::LayerOptions;
    /// let square = polygon![(x: -1.6, y: 53.0), (x: -1.5, y: 53.0), (x: -1.5, y: 53.1), (x: -1.6, y: 53.1)];
    /// let mut properties = serde_json::Map::new();
    /// properties.insert("ward".into(), "W1".into());
    /// let areas = LayerOptions::new()
    ///     .code_property("ward")
    ///     .from_features("wards", vec![(properties, square.into())])?;
    /// assert_eq!(areas[0].code, "W1");
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Areas::from_path`], but for the ones of reading a file.
    pub fn from_features(
        &self,
        name: &str,
        features: Vec<(
            serde_json::Map<String, serde_json::Value>,
            MultiPolygon<f64>,
        )>,
    ) -> Result<Areas> {
        let mut hash = Sha256::new();
        for (properties, geometry) in &features {
            for ring in geometry
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            {
                for c in ring.coords() {
                    hash.update(c.x.to_le_bytes());
                    hash.update(c.y.to_le_bytes());
                }
            }
            hash.update(serde_json::Value::Object(properties.clone()).to_string());
        }
        let raw = RawLayer {
            features: features
                .into_iter()
                .map(|(properties, geometry)| RawFeature {
                    properties,
                    geometry,
                })
                .collect(),
            declared_crs: raw::DeclaredCrs::Unstated,
            sha256: hex(&hash.finalize()),
            at: Location::file(name),
        };
        Areas::finish(raw, name, self, None)
    }

    /// Reads a layer of GeoJSON from a reader; `name` is used in messages.
    ///
    /// # Examples
    /// ```
    /// use sigmap::LayerOptions;
    /// let square = r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
    ///   "properties": {"ward": "W1", "label": "North"},
    ///   "geometry": {"type": "Polygon", "coordinates": [[[-1.6, 53.0], [-1.5, 53.0], [-1.5, 53.1], [-1.6, 53.1], [-1.6, 53.0]]]}}]}"#;
    /// let areas = LayerOptions::new().code_property("ward").name_property("label").from_reader(square.as_bytes(), "wards.geojson")?;
    /// assert_eq!((areas[0].code.as_str(), areas[0].name.as_str()), ("W1", "North"));
    /// assert!((areas[0].area_km2 - 74.63).abs() < 0.01); // ellipsoidal, in km²
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Areas::from_path`].
    pub fn from_reader(&self, reader: impl Read, name: &str) -> Result<Areas> {
        let text = crate::inputs::read_text(reader, name)?;
        Areas::parse(&text, name, self)
    }
}

impl Areas {
    /// Reads a boundary layer from a GeoJSON FeatureCollection of (Multi)Polygons in WGS84,
    /// detecting the code and name properties.
    ///
    /// # Examples
    /// ```
    /// use sigmap::Areas;
    /// let areas = Areas::from_path("data/boundaries/pcon2010_bgc_20pct.geojson")?;
    /// let hull = &areas[areas.index_of("E14000771").unwrap()];
    /// assert_eq!(hull.name, "Kingston upon Hull East");
    /// // invalid geometries (self-touching rings of the generalised layer) are listed, not fatal
    /// assert!(areas.issues.len() < 30);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`]; [`Error::Json`] / [`Error::GeoJson`] for malformed files;
    /// [`Error::Empty`] for an empty FeatureCollection; [`Error::NoCodeProperty`] if no
    /// property holds codes; [`Error::MissingField`] for a feature without a code;
    /// [`Error::BadField`] for a non-polygon geometry; [`Error::DuplicateCode`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Areas> {
        LayerOptions::new().from_path(path)
    }

    /// The constituency boundaries that ship with sigmap (ONS BGC, generalised to 20% of
    /// the vertices with shared edges kept shared; see `data/MANIFEST`).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// assert_eq!(areas.len(), 650);
    /// let ynys_mon = areas.get("W07000112").unwrap();
    /// assert!((ynys_mon.area_km2 - 720.0).abs() < 20.0);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// None in practice: the shipped files are checked by the test suite.
    pub fn shipped(vintage: Vintage) -> Result<Areas> {
        LayerOptions::new().shipped(vintage)
    }

    fn parse(text: &str, name: &str, options: &LayerOptions) -> Result<Areas> {
        let raw = geojson::read(text, &Location::file(name), None)?;
        Areas::finish(raw, name, options, None)
    }

    /// Settles codes, names and the coordinate system of a raw layer, orients its rings,
    /// and measures and checks its areas (or takes a shipped layer's `measures`).
    fn finish(
        mut raw: RawLayer,
        name: &str,
        options: &LayerOptions,
        measures: Option<&shipped::Measures>,
    ) -> Result<Areas> {
        let at = raw.at.clone();
        if raw.features.is_empty() {
            return Err(Error::Empty {
                at,
                what: "the layer",
            });
        }
        let (code_property, name_property) = pick_properties(&raw.features, options, &at)?;
        let raw_sha256 = std::mem::take(&mut raw.sha256);

        let (labels, by_code) = read_labels(&raw.features, &code_property, &name_property, &at)?;
        let gb_codes = labels
            .iter()
            .all(|l| is_gss_code(&l.code) && matches!(l.code.as_bytes()[0], b'E' | b'W' | b'S'));
        let settled = coords::to_wgs84(&mut raw, options.crs, gb_codes)?;
        // the measures of the same features, in the same order, or none
        let measures = measures
            .filter(|m| m.fit_codes(labels.iter().map(|l| l.code.as_str())))
            .map(|m| &m.areas);
        let raw: Vec<(Label, MultiPolygon<f64>, Option<&shipped::Measure>)> = labels
            .into_iter()
            .zip(raw.features.into_iter().map(|f| f.geometry))
            .enumerate()
            .map(|(i, (label, geometry))| (label, geometry, measures.map(|m| &m[i])))
            .collect();

        // Areas and validity checks are per feature and independent: parallel, in order.
        let measured: Vec<(Area, Option<GeometryIssue>)> = raw
            .into_par_iter()
            .map(|(label, geometry, cached)| measure(label, geometry, options, cached))
            .collect();
        let (areas, issues): (Vec<Area>, Vec<Option<GeometryIssue>>) = measured.into_iter().unzip();

        let vintage = Vintage::detect(areas.iter().map(|a| a.code.as_str()), None);
        let vintage = vintage.vintage.filter(|_| vintage.unknown.is_empty());
        let layer = LayerInfo {
            name: Path::new(name)
                .file_name()
                .map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned()),
            sha256: raw_sha256,
            code_property,
            name_property,
            vintage,
            converted_from: settled.converted_from,
        };
        Ok(Areas {
            areas,
            by_code,
            layer,
            issues: issues.into_iter().flatten().collect(),
        })
    }

    /// Number of areas.
    pub fn len(&self) -> usize {
        self.areas.len()
    }

    /// True if the layer has no areas (never, for a loaded layer).
    pub fn is_empty(&self) -> bool {
        self.areas.is_empty()
    }

    /// The areas, in layer order.
    pub fn iter(&self) -> std::slice::Iter<'_, Area> {
        self.areas.iter()
    }

    /// The area with this code.
    pub fn get(&self, code: &str) -> Option<&Area> {
        self.index_of(code).map(|i| &self.areas[i])
    }

    /// The position of the area with this code.
    pub fn index_of(&self, code: &str) -> Option<usize> {
        self.by_code.get(code).copied()
    }

    /// The constituency set of the layer, if its codes are exactly one set's.
    pub fn vintage(&self) -> Option<Vintage> {
        self.layer.vintage
    }
}

impl std::ops::Index<usize> for Areas {
    type Output = Area;
    fn index(&self, i: usize) -> &Area {
        &self.areas[i]
    }
}

impl<'a> IntoIterator for &'a Areas {
    type Item = &'a Area;
    type IntoIter = std::slice::Iter<'a, Area>;
    fn into_iter(self) -> Self::IntoIter {
        self.areas.iter()
    }
}

/// The file formats a layer can come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LayerFormat {
    GeoJson,
    Shapefile,
    ZippedShapefile,
    GeoPackage,
}

impl LayerFormat {
    /// By extension, else by the first bytes.
    fn of(path: &Path) -> Result<LayerFormat> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match ext.as_deref() {
            Some("shp") => return Ok(LayerFormat::Shapefile),
            Some("zip") => return Ok(LayerFormat::ZippedShapefile),
            Some("gpkg") => return Ok(LayerFormat::GeoPackage),
            Some("geojson" | "json") => return Ok(LayerFormat::GeoJson),
            _ => {}
        }
        let mut head = [0u8; 16];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .map_err(|e| Error::io(path, IoAction::Read, e))?;
        let head = &head[..n];
        Ok(if head.starts_with(b"SQLite format 3\0") {
            LayerFormat::GeoPackage
        } else if head.starts_with(b"PK\x03\x04") {
            LayerFormat::ZippedShapefile
        } else if head.starts_with(&[0x00, 0x00, 0x27, 0x0a]) {
            LayerFormat::Shapefile
        } else {
            LayerFormat::GeoJson
        })
    }
}

/// Finds the code and name properties: the override, a known ONS pair, or a property whose
/// values are all distinct GSS codes (with a name property of the same stem + `NM`, or `name`).
fn pick_properties(
    features: &[RawFeature],
    options: &LayerOptions,
    at: &Location,
) -> Result<(String, Option<String>)> {
    let first = &features[0].properties;
    let keys: Vec<String> = first.keys().cloned().collect();
    let has = |k: &str| first.contains_key(k);
    let code = match &options.code_property {
        Some(c) if has(c) => c.clone(),
        Some(c) => {
            return Err(Error::MissingField {
                at: at.record(1),
                field: c.clone(),
            });
        }
        None => match KNOWN_PROPERTIES
            .iter()
            .find(|(c, _)| has(c) || has(&c.to_lowercase()))
        {
            Some((c, _)) if has(c) => c.to_string(),
            Some((c, _)) => c.to_lowercase(),
            None => keys
                .iter()
                .find(|k| {
                    features.iter().all(|f| {
                        f.properties
                            .get(k.as_str())
                            .and_then(|v| v.as_str())
                            .is_some_and(is_gss_code)
                    })
                })
                .cloned()
                .ok_or_else(|| Error::NoCodeProperty {
                    at: at.clone(),
                    properties: keys.clone(),
                })?,
        },
    };
    let name = match &options.name_property {
        Some(n) if has(n) => Some(n.clone()),
        Some(n) => {
            return Err(Error::MissingField {
                at: at.record(1),
                field: n.clone(),
            });
        }
        None => {
            let stem = code.strip_suffix("CD").or_else(|| code.strip_suffix("cd"));
            let candidates = [
                stem.map(|s| format!("{s}NM")),
                stem.map(|s| format!("{s}nm")),
                Some("name".to_string()),
                Some("NAME".to_string()),
                Some("Name".to_string()),
            ];
            candidates.into_iter().flatten().find(|k| has(k))
        }
    };
    Ok((code, name))
}

/// Ellipsoidal area in km², whatever the rings' orientation: each polygon's signed area
/// (exterior less holes) taken absolutely. geo's unsigned area reads a clockwise or
/// degenerate exterior as the Earth less the polygon.
pub(crate) fn area_km2(mp: &MultiPolygon<f64>) -> f64 {
    // a fold from +0.0: an empty sum of f64 is -0.0
    mp.iter()
        .fold(0.0, |sum, p| sum + p.geodesic_area_signed().abs())
        / 1e6
}

pub(crate) fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A digest in lowercase hexadecimal.
pub(crate) fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A feature's code and name, and its record in the layer.
struct Label {
    code: String,
    name: String,
    record: u64,
}

/// Each feature's [`Label`], and the feature index of each code: codes trimmed, unique and
/// present; the name falls back to the code.
fn read_labels(
    features: &[RawFeature],
    code_property: &str,
    name_property: &Option<String>,
    at: &Location,
) -> Result<(Vec<Label>, HashMap<String, usize>)> {
    let mut by_code = HashMap::with_capacity(features.len());
    let mut seen = UniqueCodes::default();
    let mut labels = Vec::with_capacity(features.len());
    for (i, feature) in features.iter().enumerate() {
        let record = i as u64 + 1;
        let rec = at.record(record);
        let props = &feature.properties;
        let code = match props.get(code_property) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            Some(other) if !other.is_null() => {
                return Err(Error::BadField {
                    at: rec.field(code_property),
                    expected: "a code (string)",
                    found: crate::text::excerpt(&other.to_string()),
                });
            }
            _ => {
                return Err(Error::MissingField {
                    at: rec,
                    field: code_property.to_string(),
                });
            }
        };
        seen.insert(&code, record, || rec.field(code_property))?;
        by_code.insert(code.clone(), i);
        let name = name_property
            .as_ref()
            .and_then(|p| props.get(p))
            .and_then(|v| v.as_str())
            .map_or_else(|| code.clone(), |s| s.trim().to_string());
        labels.push(Label { code, name, record });
    }
    Ok((labels, by_code))
}

/// An area with its rings oriented, measured (unless `options` skip it) and checked: its
/// geometry issue, if any. A shipped layer's `cached` measures stand for the computation.
fn measure(
    Label { code, name, record }: Label,
    geometry: MultiPolygon<f64>,
    options: &LayerOptions,
    cached: Option<&shipped::Measure>,
) -> (Area, Option<GeometryIssue>) {
    // exteriors counter-clockwise, holes clockwise (RFC 7946): geodesic areas of clockwise
    // exteriors are the Earth minus the polygon. As geo's `orient(Direction::Default)`,
    // without copying every ring.
    let mut geometry = geometry;
    for polygon in &mut geometry {
        polygon.exterior_mut(|ring| ring.make_ccw_winding());
        polygon.interiors_mut(|rings| rings.iter_mut().for_each(|ring| ring.make_cw_winding()));
    }
    let centroid = match cached {
        Some(m) => m.centroid,
        None => geometry
            .centroid()
            .unwrap_or_else(|| Point::new(f64::NAN, f64::NAN)),
    };
    let area_km2 = match cached {
        _ if options.skip_measures => f64::NAN,
        Some(m) => m.area_km2,
        None => area_km2(&geometry),
    };
    let problem = if geometry.0.is_empty() {
        Some("empty geometry".to_string())
    } else if let Some(e) = (!options.skip_validation)
        .then(|| match cached {
            Some(m) => m.invalid.clone(),
            // geo's `check_validation`, answer for answer, but O(n log n) a ring
            None => crate::inputs::validity::check_multipolygon(&geometry)
                .err()
                .map(|e| e.to_string()),
        })
        .flatten()
    {
        Some(e)
    } else if area_km2 == 0.0 {
        Some("zero area".to_string())
    } else {
        None
    };
    let issue = problem.map(|problem| GeometryIssue {
        code: code.clone(),
        record,
        problem,
    });
    let area = Area {
        code,
        name,
        geometry,
        area_km2,
        centroid,
    };
    (area, issue)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"LAD23CD":"E06000001","LAD23NM":"Somewhere"},
       "geometry":{"type":"Polygon","coordinates":[[[0,51],[0.01,51],[0.01,51.01],[0,51.01],[0,51]]]}}]}"#;

    #[test]
    fn detects_generic_gss_property_and_name() {
        let areas = LayerOptions::new()
            .from_reader(SQUARE.as_bytes(), "sq.geojson")
            .unwrap();
        assert_eq!(areas.layer.code_property, "LAD23CD");
        assert_eq!(areas.layer.name_property.as_deref(), Some("LAD23NM"));
        assert_eq!(areas.layer.vintage, None);
        let a = areas.get("E06000001").unwrap();
        assert_eq!(a.name, "Somewhere");
        // 0.01 degree square at 51N: 1.113 km x 0.7 km
        assert!((a.area_km2 - 0.7797).abs() < 0.002, "{}", a.area_km2);
        assert!(areas.issues.is_empty());
    }

    #[test]
    fn override_must_exist() {
        let err = LayerOptions::new()
            .code_property("nope")
            .from_reader(SQUARE.as_bytes(), "sq.geojson")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "sq.geojson: record 1: missing field `nope`"
        );
    }

    #[test]
    fn shipped_layers_load() {
        for v in Vintage::ALL {
            let areas = Areas::shipped(v).unwrap();
            assert_eq!(areas.len(), 650);
            assert_eq!(areas.vintage(), Some(v));
        }
    }
}
