//! `report`, `stats` and `compare`: the whole jobs of the CLI (`sigmap report`, `sigmap
//! map`, `sigmap stats`, `sigmap compare`), with the options parsed by the library's
//! `FromStr` impls and the numbers of the library, so that they are the CLI's.
//!
//! The Python package (python/sigmap/__init__.py) wraps these in the `Report`, `Map` and
//! `Comparison` classes and builds the pandas, polars, pyarrow and GeoPandas objects from
//! the columns [`Report::columns`] gives (the list of `sigmap::export::COLUMNS`).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use numpy::{PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

use sigmap::export::{COLUMNS, Centre, Classes, ColumnType, HexJson, Inset, Palette, Rows, Value};
use sigmap::stats::{Engine, Permutations, StatsReport};
use sigmap::{
    Areas, Comparison, Crosswalk, Denominators, Error, IslandPolicy, LayerOptions, Location,
    Metric, RankMethod, RankSimulation, ReportOptions, ValueColumns, Values, Vintage, WeightsKind,
};

use crate::{InternalError, OptionError, OutputError, Petition, chain, parse_vintage, to_py};

/// An option parsed by the library's `FromStr` (the CLI's parser), an `OptionError` naming
/// the option otherwise.
fn option<T: FromStr<Err = String>>(name: &str, text: &str) -> PyResult<T> {
    text.parse::<T>()
        .map_err(|problem| OptionError::new_err(format!("{name}: {problem}")))
}

/// The clustering options as `ClusteringArgs::options` builds them for the CLI.
pub(crate) fn report_options(
    weights: &str,
    islands: &str,
    permutations: usize,
    seed: u64,
    rank_draws: usize,
    rank_method: &str,
    engine: &str,
) -> PyResult<ReportOptions> {
    Ok(ReportOptions::default()
        .weights(option::<WeightsKind>("weights", weights)?)
        .islands(option::<IslandPolicy>("islands", islands)?)
        .permutations(
            Permutations::new(permutations)
                .seed(seed)
                .engine(option::<Engine>("engine", engine)?),
        )
        .ranks(
            RankSimulation::new(rank_draws)
                .seed(seed)
                .method(option::<RankMethod>("rank_method", rank_method)?),
        ))
}

/// The petition on the constituency set `to`, through the crosswalk `how` (`population`,
/// `area` or a CSV file), as `sigmap report --to` moves it.
pub(crate) fn crosswalked(
    petition: sigmap::Petition,
    to: Option<Vintage>,
    how: &str,
) -> sigmap::Result<sigmap::Petition> {
    match to {
        None => Ok(petition),
        Some(to) => Crosswalk::petition_on(petition, to, how),
    }
}

/// The `to` option: a constituency set.
pub(crate) fn parse_to(v: &Bound<'_, PyAny>) -> PyResult<Vintage> {
    parse_vintage(v).map_err(|_| {
        OptionError::new_err(format!(
            "to: expected 2024 (or the petition's own vintage), found {}",
            v.repr().map(|r| r.to_string()).unwrap_or_default()
        ))
    })
}

/// The layer options of `--area-id` and `--areas-crs`.
fn layer_options(area_id: Option<&str>, crs: Option<sigmap::crs::PointCrs>) -> LayerOptions {
    let options = match area_id {
        Some(id) => LayerOptions::new().code_property(id),
        None => LayerOptions::new(),
    };
    match crs {
        Some(crs) => options.crs(crs),
        None => options,
    }
}

fn parse_crs(
    py: Python<'_>,
    crs: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<sigmap::crs::PointCrs>> {
    crs.map(|c| crate::parse_crs(py, c)).transpose()
}

/// A petition analysed: the table of every seat, the summary and the maps.
#[pyclass(module = "sigmap._sigmap", frozen, name = "Report")]
pub(crate) struct Report {
    inner: sigmap::Report,
}

/// Joins a petition with a layer and denominators, as `sigmap report` does.
#[pyfunction]
#[pyo3(signature = (
    petition, *, areas = None, area_id = None, areas_crs = None, denominators = None,
    weights = "queen", islands = "keep", permutations = 999, seed = 12345,
    rank_draws = sigmap::DEFAULT_DRAWS, rank_method = "pairwise", engine = "shared", to = None, crosswalk = "population"
))]
#[allow(clippy::too_many_arguments)]
fn report(
    py: Python<'_>,
    petition: PyRef<'_, Petition>,
    areas: Option<PathBuf>,
    area_id: Option<String>,
    areas_crs: Option<&Bound<'_, PyAny>>,
    denominators: Option<PathBuf>,
    weights: &str,
    islands: &str,
    permutations: usize,
    seed: u64,
    rank_draws: usize,
    rank_method: &str,
    engine: &str,
    to: Option<&Bound<'_, PyAny>>,
    crosswalk: &str,
) -> PyResult<Report> {
    let options = report_options(
        weights,
        islands,
        permutations,
        seed,
        rank_draws,
        rank_method,
        engine,
    )?;
    if areas.is_none() && (area_id.is_some() || areas_crs.is_some()) {
        return Err(OptionError::new_err(
            "area_id and areas_crs describe the layer given as areas: pass areas too",
        ));
    }
    let to = to.map(parse_to).transpose()?;
    let crs = parse_crs(py, areas_crs)?;
    let petition = petition.inner.clone();
    let result = py.detach(|| -> sigmap::Result<sigmap::Report> {
        let petition = crosswalked(petition, to, crosswalk)?;
        if areas.is_none() && denominators.is_none() {
            return sigmap::Report::with_shipped_data_and_options(petition, options);
        }
        let layer = match &areas {
            Some(p) => layer_options(area_id.as_deref(), crs).from_path(p)?,
            None => Areas::shipped(petition.vintage()?)?,
        };
        let denominators = match &denominators {
            Some(p) => Denominators::from_path(p)?,
            None => {
                let vintage = layer.vintage().ok_or_else(|| Error::NeedsDenominators {
                    at: Location::file(areas.as_deref().unwrap_or(Path::new("-"))),
                })?;
                Denominators::shipped(vintage)?
            }
        };
        sigmap::Report::with_options(petition, layer, &denominators, options)
    });
    Ok(Report {
        inner: result.map_err(|e| to_py(py, e))?,
    })
}

/// One column of the table: `(name, kind, nullable, values, missing)`.
type ColumnData<'py> = (
    &'static str,
    &'static str,
    bool,
    Bound<'py, PyAny>,
    Bound<'py, PyArray1<bool>>,
);

fn wrong_type(name: &str, value: &Value<'_>) -> PyErr {
    InternalError::new_err(format!(
        "column {name}: a value of another type than the column's: {value:?}"
    ))
}

#[pymethods]
impl Report {
    /// The columns of `areas.csv` in order, each `(name, kind, nullable, values, missing)`:
    /// kind `str` (values a list of str or None), `int` (int64), `float` (float64, NaN
    /// where missing) or `bool`; `missing` a bool array, True where the value is empty.
    fn columns<'py>(&self, py: Python<'py>) -> PyResult<Vec<ColumnData<'py>>> {
        let rows: Rows<'_> = self.inner.analysed().into();
        let mut out = Vec::with_capacity(COLUMNS.len());
        for column in COLUMNS {
            let values: Vec<Value<'_>> = rows.iter().map(|r| r.value(column)).collect();
            let missing: Vec<bool> = values.iter().map(|v| matches!(v, Value::Null)).collect();
            let (kind, array): (&'static str, Bound<'py, PyAny>) = match column.ty {
                ColumnType::Str => {
                    let mut texts: Vec<Option<&str>> = Vec::with_capacity(values.len());
                    for v in &values {
                        texts.push(match v {
                            Value::Str(s) => Some(s),
                            Value::Null => None,
                            other => return Err(wrong_type(column.name, other)),
                        });
                    }
                    ("str", PyList::new(py, texts)?.into_any())
                }
                ColumnType::U64 | ColumnType::U32 => {
                    let mut ints = Vec::with_capacity(values.len());
                    for v in &values {
                        let wide = match *v {
                            Value::U64(x) => x,
                            Value::U32(x) => u64::from(x),
                            Value::Null => 0,
                            ref other => return Err(wrong_type(column.name, other)),
                        };
                        ints.push(i64::try_from(wide).map_err(|_| {
                            InternalError::new_err(format!(
                                "column {}: {wide} does not fit in int64",
                                column.name
                            ))
                        })?);
                    }
                    ("int", PyArray1::from_vec(py, ints).into_any())
                }
                ColumnType::F64 => {
                    let mut floats = Vec::with_capacity(values.len());
                    for v in &values {
                        floats.push(match *v {
                            Value::F64(x) => x,
                            Value::Null => f64::NAN,
                            ref other => return Err(wrong_type(column.name, other)),
                        });
                    }
                    ("float", PyArray1::from_vec(py, floats).into_any())
                }
                ColumnType::Bool => {
                    let mut flags = Vec::with_capacity(values.len());
                    for v in &values {
                        flags.push(match *v {
                            Value::Bool(x) => x,
                            Value::Null => false,
                            ref other => return Err(wrong_type(column.name, other)),
                        });
                    }
                    ("bool", PyArray1::from_vec(py, flags).into_any())
                }
                other => {
                    return Err(InternalError::new_err(format!(
                        "column {}: a type the bindings do not know: {other:?}",
                        column.name
                    )));
                }
            };
            out.push((
                column.name,
                kind,
                column.nullable,
                array,
                PyArray1::from_vec(py, missing),
            ));
        }
        Ok(out)
    }

    /// What each column holds, by name (the documentation of `areas.csv`).
    #[staticmethod]
    fn column_docs() -> Vec<(&'static str, &'static str)> {
        COLUMNS.iter().map(|c| (c.name, c.doc)).collect()
    }

    /// `summary.json` as text (compact).
    fn summary_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.summary)
            .map_err(|e| InternalError::new_err(format!("summary: {e}")))
    }

    /// `areas.geojson` as text: one Feature per seat in row order, WGS84 lon/lat.
    fn geojson(&self, py: Python<'_>) -> PyResult<String> {
        let report = &self.inner;
        let bytes = py.detach(|| {
            let mut out = Vec::new();
            sigmap::export::write_geojson(report.analysed(), &report.areas, &mut out).map(|_| out)
        });
        let bytes = bytes.map_err(|e| InternalError::new_err(format!("geojson: {e}")))?;
        String::from_utf8(bytes).map_err(|e| InternalError::new_err(format!("geojson: {e}")))
    }

    /// `areas.csv` as text.
    fn csv(&self) -> PyResult<String> {
        let mut out = Vec::new();
        sigmap::export::write_csv(self.inner.analysed(), &mut out)
            .map_err(|e| InternalError::new_err(format!("csv: {e}")))?;
        String::from_utf8(out).map_err(|e| InternalError::new_err(format!("csv: {e}")))
    }

    /// Writes the files of `sigmap report --out DIR`; returns their paths.
    fn write_to_dir(&self, py: Python<'_>, dir: PathBuf) -> PyResult<Vec<PathBuf>> {
        let report = &self.inner;
        py.detach(|| report.write_to_dir(&dir))
            .map_err(|e| to_py(py, e))
    }

    /// The vintage of the layer (2010, 2024) or None for another layer.
    #[getter]
    fn vintage(&self) -> Option<u32> {
        self.inner.table.layer.vintage.map(|v| match v {
            Vintage::Pcon2010 => 2010,
            _ => 2024,
        })
    }

    /// The SVG of a map, as `sigmap map -o F.svg` draws it (None: the report's default).
    #[pyo3(signature = (
        metric = "per_1k_voters", classes = None, palette = None, centre = None,
        insets = None, labels = 0, hex = false, hexjson = None, title = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn svg(
        &self,
        py: Python<'_>,
        metric: &str,
        classes: Option<&str>,
        palette: Option<&str>,
        centre: Option<&str>,
        insets: Option<Vec<String>>,
        labels: usize,
        hex: bool,
        hexjson: Option<PathBuf>,
        title: Option<String>,
    ) -> PyResult<String> {
        let report = &self.inner;
        let mut map = report.map();
        if let Some(c) = classes {
            map = map.classes(option::<Classes>("classes", c)?);
        }
        if let Some(p) = palette {
            map = map.palette(option::<Palette>("palette", p)?);
        }
        if let Some(c) = centre {
            map = map.centre(option::<Centre>("centre", c)?);
        }
        if let Some(names) = insets {
            let insets = names
                .iter()
                .map(|n| option::<Inset>("insets", n))
                .collect::<PyResult<Vec<_>>>()?;
            map = map.insets(&insets);
        }
        map = map.labels(labels);
        // `sigmap map --metric`: a column, `lisa` or `gi_star`
        map = match shown(metric)? {
            Shown::Lisa => map.lisa(report.analysed()),
            Shown::GiStar => map.gi_star(report.analysed()),
            Shown::Metric(m) => map.metric(m),
        };
        if let Some(t) = title {
            map = map.title(t);
        }
        let layout = hex_layout(py, report, hexjson, hex)?;
        if let Some(layout) = &layout {
            map = map.hex(layout);
        }
        Ok(py.detach(|| map.render()))
    }

    /// The interactive page, as `sigmap map -o F.html` writes it (None: the report's
    /// default; the hex view on the shipped layout unless `hexjson` gives one).
    #[pyo3(signature = (
        metric = "per_1k_voters", classes = None, palette = None, hexjson = None, title = None
    ))]
    fn html(
        &self,
        py: Python<'_>,
        metric: &str,
        classes: Option<&str>,
        palette: Option<&str>,
        hexjson: Option<PathBuf>,
        title: Option<String>,
    ) -> PyResult<String> {
        let report = &self.inner;
        let mut map = report.html_map();
        if let Some(c) = classes {
            map = map.classes(option::<Classes>("classes", c)?);
        }
        if let Some(p) = palette {
            map = map.palette(option::<Palette>("palette", p)?);
        }
        map = match shown(metric)? {
            Shown::Lisa => map.lisa(),
            Shown::GiStar => map.gi_star(),
            Shown::Metric(m) => map.metric(m),
        };
        if let Some(t) = title {
            map = map.title(t);
        }
        if let Some(layout) = hex_layout(py, report, hexjson, false)? {
            map = map.hex(layout);
        }
        Ok(py.detach(|| map.render()))
    }

    /// Number of rows (seats).
    fn __len__(&self) -> usize {
        self.inner.table.rows.len()
    }

    fn __repr__(&self) -> String {
        let p = &self.inner.petition;
        let id = p.id.map_or("None".to_string(), |i| i.to_string());
        format!(
            "Report(petition={id}, title={:?}, layer={:?}, seats={})",
            p.title,
            self.inner.table.layer.name,
            self.inner.table.rows.len()
        )
    }
}

/// Whether this build renders PNG (the `png` feature).
const HAS_PNG: bool = cfg!(feature = "png");

/// Writes an SVG document to `path` (`.svg`) or renders it to PNG (`.png`, with the `png`
/// feature) at `scale` pixels per SVG unit; the file is replaced only once complete.
#[pyfunction]
#[pyo3(signature = (svg, path, *, scale = 1.5))]
fn save_svg(py: Python<'_>, svg: String, path: PathBuf, scale: f32) -> PyResult<()> {
    let bytes = match extension(&path).as_str() {
        "svg" => svg.into_bytes(),
        "png" => svg_png(py, &svg, scale)?,
        _ => {
            return Err(OptionError::new_err(format!(
                "path: expected a file name ending in .svg or .png, found {}",
                path.display()
            )));
        }
    };
    save(py, &path, &bytes)
}

/// Writes an HTML page (`HtmlMap.save`), replacing the file only once completely written.
#[pyfunction]
fn save_html(py: Python<'_>, page: String, path: PathBuf) -> PyResult<()> {
    if !matches!(extension(&path).as_str(), "html" | "htm") {
        return Err(OptionError::new_err(format!(
            "path: expected a file name ending in .html or .htm, found {}",
            path.display()
        )));
    }
    save(py, &path, page.as_bytes())
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Writes `bytes` to `path` atomically, with the GIL released.
fn save(py: Python<'_>, path: &Path, bytes: &[u8]) -> PyResult<()> {
    py.detach(|| sigmap::export::write_atomically(path, |w| std::io::Write::write_all(w, bytes)))
        .map_err(|e| match e.kind() {
            sigmap::ErrorKind::Output | sigmap::ErrorKind::Input => OutputError::new_err(chain(&e)),
            _ => to_py(py, e),
        })
}

/// What a map shows: `sigmap map --metric` takes a column, `lisa` or `gi_star`.
enum Shown {
    Metric(Metric),
    Lisa,
    GiStar,
}

fn shown(metric: &str) -> PyResult<Shown> {
    Ok(match metric {
        "lisa" => Shown::Lisa,
        "gi_star" => Shown::GiStar,
        m => Shown::Metric(m.parse::<Metric>().map_err(|problem| {
            OptionError::new_err(format!("metric: {problem}, lisa or gi_star"))
        })?),
    })
}

/// The hex layout of a map: `hexjson` read and checked against the report's seats, else
/// (with `hex`) the shipped layout of the layer's constituency set, else none.
fn hex_layout(
    py: Python<'_>,
    report: &sigmap::Report,
    hexjson: Option<PathBuf>,
    hex: bool,
) -> PyResult<Option<HexJson>> {
    let layout = match (hexjson, hex) {
        (Some(p), _) => py
            .detach(|| HexJson::from_path(&p))
            .map_err(|e| to_py(py, e))?,
        (None, true) => {
            let vintage = report.table.layer.vintage.ok_or_else(|| {
                OptionError::new_err(format!(
                    "hex: expected a layer of the 2010 or 2024 constituencies, or a layout \
                     given as hexjson, found the layer {}",
                    report.table.layer.name
                ))
            })?;
            HexJson::shipped(vintage).map_err(|e| to_py(py, e))?
        }
        (None, false) => return Ok(None),
    };
    layout
        .check_covers(&report.table)
        .map_err(|e| to_py(py, e))?;
    Ok(Some(layout))
}

/// An SVG document rendered to PNG bytes (the `png` feature).
#[pyfunction]
#[pyo3(signature = (svg, *, scale = 1.5))]
fn render_png<'py>(
    py: Python<'py>,
    svg: String,
    scale: f32,
) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
    let bytes = svg_png(py, &svg, scale)?;
    Ok(pyo3::types::PyBytes::new(py, &bytes))
}

#[cfg(feature = "png")]
fn svg_png(py: Python<'_>, svg: &str, scale: f32) -> PyResult<Vec<u8>> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(OptionError::new_err(format!(
            "scale: expected a finite number above 0, found {scale}"
        )));
    }
    let options = sigmap::export::PngOptions {
        scale,
        ..Default::default()
    };
    py.detach(|| sigmap::export::svg_to_png(svg, options))
        .map_err(|e| to_py(py, e))
}

#[cfg(not(feature = "png"))]
fn svg_png(_py: Python<'_>, _svg: &str, _scale: f32) -> PyResult<Vec<u8>> {
    Err(OptionError::new_err(
        "png: this build of sigmap has no PNG renderer (build the package with the `png` \
         feature: pip install ./python --config-settings=build-args='--features png'); save \
         the map as .svg",
    ))
}

/// A GeoDataFrame's polygons as the ragged arrays of `shapely.to_ragged_array` (as
/// MultiPolygons: coordinates, then the offsets of rings, polygons and geometries) and its
/// text columns, in column order: the layer without a round trip through GeoJSON text.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct AreaArrays<'py> {
    coords: PyReadonlyArray2<'py, f64>,
    ring_offsets: PyReadonlyArray1<'py, i64>,
    polygon_offsets: PyReadonlyArray1<'py, i64>,
    geometry_offsets: PyReadonlyArray1<'py, i64>,
    properties: Vec<(String, Vec<Option<String>>)>,
}

/// A feature's properties and polygons.
type Feature = (
    serde_json::Map<String, serde_json::Value>,
    MultiPolygon<f64>,
);

impl AreaArrays<'_> {
    /// Each feature, checking that the offsets fit the arrays (a caller bug if not).
    fn features(&self) -> PyResult<Vec<Feature>> {
        let bad = |what: &str| crate::CallerError::new_err(format!("areas_arrays: {what}"));
        let coords = self.coords.as_array();
        if coords.ncols() < 2 {
            return Err(bad("coordinates of fewer than two columns"));
        }
        let (rings, polygons, geometries) = (
            self.ring_offsets.as_slice()?,
            self.polygon_offsets.as_slice()?,
            self.geometry_offsets.as_slice()?,
        );
        // the `i`-th span of `offsets`, within `0..len`
        let span = |offsets: &[i64], i: usize, len: usize| {
            let (a, b) = (offsets.get(i).copied(), offsets.get(i + 1).copied());
            match (a.map(usize::try_from), b.map(usize::try_from)) {
                (Some(Ok(a)), Some(Ok(b))) if a <= b && b <= len => Ok(a..b),
                _ => Err(bad("offsets that do not fit the arrays")),
            }
        };
        let n = geometries.len().saturating_sub(1);
        if self.properties.iter().any(|(_, column)| column.len() != n) {
            return Err(bad("a column whose length is not the number of geometries"));
        }
        (0..n)
            .map(|g| {
                let polygons = span(geometries, g, polygons.len().saturating_sub(1))?
                    // an empty polygon (no ring) adds nothing to the geometry
                    .filter(|&p| span(polygons, p, usize::MAX).is_ok_and(|r| !r.is_empty()))
                    .map(|p| {
                        let mut rings = span(polygons, p, rings.len().saturating_sub(1))?
                            .map(|r| {
                                let ring = span(rings, r, coords.nrows())?;
                                Ok(LineString::from_iter(ring.map(|i| Coord {
                                    x: coords[[i, 0]],
                                    y: coords[[i, 1]],
                                })))
                            })
                            .collect::<PyResult<Vec<_>>>()?
                            .into_iter();
                        let exterior = rings.next().unwrap_or_else(|| LineString::new(vec![]));
                        Ok(Polygon::new(exterior, rings.collect()))
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                let properties = self
                    .properties
                    .iter()
                    .map(|(name, column)| {
                        let value = column[g]
                            .clone()
                            .map_or(serde_json::Value::Null, Into::into);
                        (name.clone(), value)
                    })
                    .collect();
                Ok((properties, MultiPolygon::new(polygons)))
            })
            .collect()
    }
}

/// `sigmap stats`: every statistic of one variable on one layer, as its JSON (text).
///
/// The layer is a file (`areas_path`), a GeoDataFrame's arrays (`areas_arrays`, see
/// [`AreaArrays`]) or GeoJSON text (`areas_geojson`), named `areas_name` in messages; the
/// values come as columns (ids as text, counts and
/// populations as floats, in the caller's row order), named as the caller names them.
#[pyfunction]
#[pyo3(signature = (
    *, areas_path = None, areas_arrays = None, areas_geojson = None, areas_name = "areas", area_id = None,
    areas_crs = None, ids, count, population = None, values_name = "values", id_column,
    count_column, population_column = None, weights = "queen", islands = "keep",
    permutations = 999, seed = 12345, engine = "shared"
))]
#[allow(clippy::too_many_arguments)]
fn stats(
    py: Python<'_>,
    areas_path: Option<PathBuf>,
    areas_arrays: Option<AreaArrays<'_>>,
    areas_geojson: Option<String>,
    areas_name: &str,
    area_id: Option<String>,
    areas_crs: Option<&Bound<'_, PyAny>>,
    ids: Vec<String>,
    count: Vec<f64>,
    population: Option<Vec<f64>>,
    values_name: &str,
    id_column: String,
    count_column: String,
    population_column: Option<String>,
    weights: &str,
    islands: &str,
    permutations: usize,
    seed: u64,
    engine: &str,
) -> PyResult<String> {
    let o = report_options(weights, islands, permutations, seed, 0, "pairwise", engine)?;
    let crs = parse_crs(py, areas_crs)?;
    if ids.len() != count.len() || population.as_ref().is_some_and(|p| p.len() != ids.len()) {
        return Err(crate::CallerError::new_err(
            "ids, count and population differ in length",
        ));
    }
    if population.is_some() != population_column.is_some() {
        return Err(crate::CallerError::new_err(
            "population and population_column go together",
        ));
    }
    let features = areas_arrays
        .as_ref()
        .map(AreaArrays::features)
        .transpose()?;
    let result = py.detach(|| -> sigmap::Result<StatsReport> {
        // as `sigmap stats`: the statistics need neither validity nor geodesic areas
        let options = layer_options(area_id.as_deref(), crs)
            .check_geometry(false)
            .measure(false);
        let areas = match (&areas_path, features, &areas_geojson) {
            (Some(p), _, _) => options.from_path(p)?,
            (None, Some(features), _) => options.from_features(areas_name, features)?,
            (None, None, Some(text)) => options.from_reader(text.as_bytes(), areas_name)?,
            (None, None, None) => {
                return Err(Error::BadOption {
                    option: "areas",
                    expected: "a path or a GeoDataFrame".into(),
                    found: "nothing".into(),
                });
            }
        };
        let columns = ValueColumns {
            id: id_column.clone(),
            variable: count_column.clone(),
            population: population_column.clone(),
        };
        let text = values_csv(&columns, &ids, &count, population.as_deref());
        let values = Values::from_reader(text.as_bytes(), values_name, &columns, &areas)?;
        let w = o
            .weights
            .build(&areas)?
            .with_island_policy(o.islands, &areas)?;
        StatsReport::compute(&areas, &values, &w, o.weights, o.permutations, o.alpha)
    });
    let in_memory: Vec<&str> = match areas_path {
        Some(_) => vec![values_name],
        None => vec![values_name, areas_name],
    };
    let result = result.map_err(|e| without_path(py, to_py(py, e), &in_memory))?;
    serde_json::to_string(&result).map_err(|e| InternalError::new_err(format!("stats: {e}")))
}

/// An error about data given in memory (named `names` for the library's messages) has no
/// `.path`: the name is no file.
fn without_path(py: Python<'_>, err: PyErr, names: &[&str]) -> PyErr {
    let value = err.value(py);
    let named = value
        .getattr("path")
        .ok()
        .and_then(|p| p.extract::<Option<String>>().ok())
        .flatten()
        .is_some_and(|p| names.contains(&p.as_str()));
    if named {
        let _ = value.setattr("path", py.None());
    }
    err
}

/// The values as the CSV `sigmap stats --values` reads (floats written to round-trip, so
/// the numbers are the caller's bits; NaN and infinities as `NaN`, `inf`, which the reader
/// refuses naming the record and column).
fn values_csv(
    columns: &ValueColumns,
    ids: &[String],
    count: &[f64],
    population: Option<&[f64]>,
) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec![columns.id.as_str(), columns.variable.as_str()];
    header.extend(columns.population.as_deref());
    // writing to a Vec cannot fail
    let _ = w.write_record(&header);
    for (i, id) in ids.iter().enumerate() {
        let mut record = vec![id.clone(), count[i].to_string()];
        if let Some(p) = population {
            record.push(p[i].to_string());
        }
        let _ = w.write_record(&record);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `sigmap compare A B`: the comparison's JSON (text) and the two reports.
#[pyfunction]
#[pyo3(signature = (
    a, b, *, weights = "queen", islands = "keep", permutations = 999, seed = 12345,
    rank_draws = sigmap::DEFAULT_DRAWS, rank_method = "pairwise", engine = "shared", to = None, crosswalk = "population"
))]
#[allow(clippy::too_many_arguments)]
fn compare<'py>(
    py: Python<'py>,
    a: PyRef<'_, Petition>,
    b: PyRef<'_, Petition>,
    weights: &str,
    islands: &str,
    permutations: usize,
    seed: u64,
    rank_draws: usize,
    rank_method: &str,
    engine: &str,
    to: Option<&Bound<'_, PyAny>>,
    crosswalk: &str,
) -> PyResult<Bound<'py, PyTuple>> {
    let options = report_options(
        weights,
        islands,
        permutations,
        seed,
        rank_draws,
        rank_method,
        engine,
    )?;
    let to = to.map(parse_to).transpose()?;
    let (a, b) = (a.inner.clone(), b.inner.clone());
    let result = py.detach(
        || -> sigmap::Result<(Comparison, sigmap::Report, sigmap::Report)> {
            // two petitions on different sets meet on the 2024 seats
            let to = to.or_else(|| {
                let (va, vb) = (a.vintage().ok()?, b.vintage().ok()?);
                (va != vb).then_some(Vintage::Pcon2024)
            });
            let a = crosswalked(a, to, crosswalk)?;
            let b = crosswalked(b, to, crosswalk)?;
            let (a, b) = (
                sigmap::Report::with_shipped_data_and_options(a, options)?,
                sigmap::Report::with_shipped_data_and_options(b, options)?,
            );
            let c = Comparison::new(&a, &b, &a.weights, options.permutations)?;
            Ok((c, a, b))
        },
    );
    let (c, a, b) = result.map_err(|e| to_py(py, e))?;
    let json =
        serde_json::to_string(&c).map_err(|e| InternalError::new_err(format!("compare: {e}")))?;
    PyTuple::new(
        py,
        [
            json.into_pyobject(py)?.into_any(),
            Bound::new(py, Report { inner: a })?.into_any(),
            Bound::new(py, Report { inner: b })?.into_any(),
        ],
    )
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Report>()?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(stats, m)?)?;
    m.add_function(wrap_pyfunction!(compare, m)?)?;
    m.add_function(wrap_pyfunction!(save_svg, m)?)?;
    m.add_function(wrap_pyfunction!(save_html, m)?)?;
    m.add_function(wrap_pyfunction!(render_png, m)?)?;
    m.add("HAS_PNG", HAS_PNG)?;
    Ok(())
}
