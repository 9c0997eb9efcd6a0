//! `sigmap._sigmap`: the Rust half of the Python package (PyO3, abi3).
//!
//! Bindings over the public API of the `sigmap` crate only (STYLE.md §2.1). The Python
//! package `sigmap` (python/sigmap/__init__.py) re-exports these and builds the pandas
//! objects. Every computation runs with the GIL released (`Python::detach`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use numpy::{
    PyArray1, PyArrayDescrMethods, PyReadonlyArray1, PyUntypedArray, PyUntypedArrayMethods,
};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

mod many;
mod report;

use sigmap::crs::{Envelope, PointCrs};
use sigmap::live::{self, Client, Source};
use sigmap::{
    AreaId, Areas, Error, ErrorKind, LayerOptions, LayerTopology, Location, PointConverter,
    PointCounts, Schema, SpatialIndex, Vintage,
};

create_exception!(
    sigmap,
    SigmapError,
    PyException,
    "Base class of every error sigmap raises."
);
create_exception!(
    sigmap,
    InputError,
    SigmapError,
    "The input is wrong: a file that cannot be read or holds a bad record or field, or a value \
     passed in memory (an array, a coordinate). `.path`, `.record` (1-based) and `.field` say \
     where, when known (else None)."
);
create_exception!(
    sigmap,
    OptionError,
    SigmapError,
    "An option out of its range (a vintage, a CRS, a timeout)."
);
create_exception!(
    sigmap,
    NetworkError,
    SigmapError,
    "The petitions API could not be reached, or its answer was wrong (offline, a timeout, \
     an HTTP error)."
);
create_exception!(
    sigmap,
    OutputError,
    SigmapError,
    "An output file could not be created or written."
);
create_exception!(
    sigmap,
    CallerError,
    SigmapError,
    "A call whose arguments contradict each other (a bug in the calling code)."
);
create_exception!(
    sigmap,
    InternalError,
    SigmapError,
    "A failure inside sigmap or a library it uses."
);

/// The message of an error and of its sources, as anyhow's `{:#}` prints it (the CLI's
/// wording).
pub(crate) fn chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Where an input error is (`Error` has no accessor: see the report for the library).
fn location(err: &Error) -> Option<&Location> {
    Some(match err {
        Error::Json { at, .. }
        | Error::Csv { at, .. }
        | Error::GeoJson { at, .. }
        | Error::MissingField { at, .. }
        | Error::BadField { at, .. }
        | Error::DuplicateCode { at, .. }
        | Error::DuplicateKey { at, .. }
        | Error::NoBreakdown { at, .. }
        | Error::UnknownVintage { at, .. }
        | Error::NoMatchingCodes { at, .. }
        | Error::UnknownIds { at, .. }
        | Error::NeedsDenominators { at, .. }
        | Error::VintageMismatch { at, .. }
        | Error::NoCodeProperty { at, .. }
        | Error::Empty { at, .. }
        | Error::MissingAreas { at, .. }
        | Error::SuspectCoordinates { at, .. }
        | Error::SwappedAxes { at, .. }
        | Error::LayerFormat { at, .. }
        | Error::LayerCrs { at, .. } => at,
        _ => return None,
    })
}

/// An `InputError` with its `.path`, `.record` and `.field`.
pub(crate) fn input_error(
    py: Python<'_>,
    message: String,
    path: Option<&Path>,
    record: Option<u64>,
    field: Option<&str>,
) -> PyErr {
    let err = InputError::new_err(message);
    let value = err.value(py);
    let path = path.map(|p| p.to_string_lossy().into_owned());
    // setting attributes on a fresh exception object cannot fail
    let _ = value.setattr("path", path);
    let _ = value.setattr("record", record);
    let _ = value.setattr("field", field);
    err
}

/// A Python exception for a sigmap error, by its [`ErrorKind`].
pub(crate) fn to_py(py: Python<'_>, err: Error) -> PyErr {
    let message = chain(&err);
    match err.kind() {
        ErrorKind::Input => {
            let (path, record, field) = match (&err, location(&err)) {
                (Error::Io { path, .. }, _) => (Some(path.as_path()), None, None),
                (_, Some(at)) => (at.path(), at.record, at.field.as_deref()),
                (_, None) => (None, None, None),
            };
            input_error(py, message, path, record, field)
        }
        ErrorKind::Option => OptionError::new_err(message),
        ErrorKind::Network => NetworkError::new_err(message),
        ErrorKind::Output => OutputError::new_err(message),
        ErrorKind::Caller => CallerError::new_err(message),
        _ => InternalError::new_err(message),
    }
}

/// An `InputError` about an argument given in memory.
pub(crate) fn bad_argument(py: Python<'_>, message: String) -> PyErr {
    input_error(py, message, None, None, None)
}

/// The Python type name of an object, for messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "object".to_string())
}

pub(crate) fn parse_vintage(vintage: &Bound<'_, PyAny>) -> PyResult<Vintage> {
    let text = vintage.str()?.to_string();
    text.parse::<Vintage>().map_err(|problem| {
        OptionError::new_err(format!(
            "vintage: {problem}, found {}",
            vintage.repr().map(|r| r.to_string()).unwrap_or(text)
        ))
    })
}

pub(crate) fn parse_crs(py: Python<'_>, crs: &Bound<'_, PyAny>) -> PyResult<PointCrs> {
    let text = crs.str()?.to_string();
    text.parse::<PointCrs>().map_err(|e| crs_error(py, e))
}

/// A CRS is an option given in code, whatever kind the library gives a bad `--crs`.
fn crs_error(py: Python<'_>, e: Error) -> PyErr {
    match e.kind() {
        ErrorKind::Input => OptionError::new_err(format!("crs: {}", chain(&e))),
        _ => to_py(py, e),
    }
}

/// A boundary layer, and its index once something needs it.
struct Layer {
    areas: Areas,
    /// Whether the layer is kept for later calls (a shipped one); a layer read from a path
    /// serves one call.
    kept: bool,
    index: OnceLock<SpatialIndex>,
}

impl Layer {
    fn load(areas: Areas, kept: bool) -> Layer {
        Layer {
            areas,
            kept,
            index: OnceLock::new(),
        }
    }

    /// The index, built on first use (the grid for many points is built by the first
    /// join, never for `locate`).
    fn index(&self) -> &SpatialIndex {
        self.index
            .get_or_init(|| SpatialIndex::for_few_points(&self.areas))
    }

    /// The area holding a point of the layer's CRS. A layer read for this one call is
    /// searched without an index, as `sigmap locate` does (one pass over the edges, where
    /// building the index took most of a call on the full-resolution layer); a kept layer
    /// builds its index for the calls to come.
    fn locate(&self, x: f64, y: f64) -> Option<AreaId> {
        if self.kept {
            self.index().locate(x, y)
        } else {
            SpatialIndex::locate_without_index(&self.areas, x, y)
        }
    }

    /// The box points must fall in to be in an area (with a margin), by the same rule as
    /// [`Layer::locate`]: the index's for a kept layer, a pass over the edges otherwise.
    fn point_envelope(&self) -> Envelope {
        if self.kept {
            self.index().point_envelope()
        } else {
            SpatialIndex::point_envelope_of(&self.areas)
        }
    }
}

static SHIPPED_2010: OnceLock<Arc<Layer>> = OnceLock::new();
static SHIPPED_2024: OnceLock<Arc<Layer>> = OnceLock::new();

/// The shipped layer of a vintage (built once per process, the GIL released), or the layer
/// in `path` (read on every call).
fn layer(
    py: Python<'_>,
    vintage: &Bound<'_, PyAny>,
    path: Option<PathBuf>,
) -> PyResult<Arc<Layer>> {
    if let Some(path) = path {
        // as `sigmap locate` and `sigmap join-points` read it: locating points needs
        // neither the validity check nor the areas (the full-resolution 2024 layer took
        // 0.65 s to read with them, 10^6 points 0.2 s)
        let options = LayerOptions::new().check_geometry(false).measure(false);
        let areas = py
            .detach(|| options.from_path(&path))
            .map_err(|e| to_py(py, e))?;
        return Ok(Arc::new(Layer::load(areas, false)));
    }
    let vintage = parse_vintage(vintage)?;
    let cell = match vintage {
        Vintage::Pcon2010 => &SHIPPED_2010,
        _ => &SHIPPED_2024,
    };
    if let Some(layer) = cell.get() {
        return Ok(layer.clone());
    }
    let areas = py
        .detach(|| Areas::shipped(vintage))
        .map_err(|e| to_py(py, e))?;
    let layer = Arc::new(Layer::load(areas, true));
    Ok(cell.get_or_init(|| layer).clone())
}

/// A coordinate given to `locate`.
fn coordinate(py: Python<'_>, value: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    if value.is_instance_of::<PyString>() {
        return Err(bad_argument(
            py,
            format!(
                "argument {name}: expected a number, found str {}",
                value.repr()?
            ),
        ));
    }
    value.extract::<f64>().map_err(|_| {
        bad_argument(
            py,
            format!(
                "argument {name}: expected a number, found {}",
                type_name(value)
            ),
        )
    })
}

/// A 1-D float64 array read in place: a numpy array of float64 as it is, a pandas Series
/// (or anything with `to_numpy`) through `to_numpy()` (no copy for float64), other numeric
/// dtypes cast to float64 (one copy). Lists and tuples are refused.
fn coordinates<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    name: &str,
) -> PyResult<PyReadonlyArray1<'py, f64>> {
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        return Err(bad_argument(
            py,
            format!(
                "argument {name}: expected a 1-D numpy array or pandas Series of numbers, found {} \
                 (pass numpy.asarray({name}, dtype=float))",
                type_name(obj)
            ),
        ));
    }
    let mut array = obj.clone();
    if array.cast::<PyUntypedArray>().is_err() && array.hasattr("to_numpy")? {
        array = array.call_method0("to_numpy")?;
    }
    let untyped = array.cast::<PyUntypedArray>().map_err(|_| {
        bad_argument(
            py,
            format!(
                "argument {name}: expected a 1-D numpy array or pandas Series of numbers, found {}",
                type_name(obj)
            ),
        )
    })?;
    if untyped.ndim() != 1 {
        return Err(bad_argument(
            py,
            format!(
                "argument {name}: expected a 1-D array, found {} dimensions",
                untyped.ndim()
            ),
        ));
    }
    if let Ok(a) = array.extract::<PyReadonlyArray1<'py, f64>>() {
        return Ok(a);
    }
    let dtype = untyped.dtype();
    let kind = dtype.kind();
    if !matches!(kind, b'i' | b'u' | b'f') {
        return Err(bad_argument(
            py,
            format!(
                "argument {name}: expected numbers (an integer or float dtype), found dtype {}",
                dtype.str()?
            ),
        ));
    }
    let cast = array.call_method1("astype", ("float64",))?;
    cast.extract::<PyReadonlyArray1<'py, f64>>()
}

/// Points per 64 Ki batch: the conversion buffer (a bounded copy, not one per point).
const BATCH: usize = 1 << 16;

/// Counts points per area of a layer.
///
/// Returns `(codes, names, counts, summary)` in layer order; `summary` has `points`,
/// `outside`, `matched`, `snapped`, `unmatched`, `overlaps`, `in_gaps` (`None` without
/// `gaps`: the points in no area not looked for in gaps between areas).
#[pyfunction]
#[pyo3(signature = (lon, lat, *, crs = None, areas = None, vintage = None, snap_km = None, gaps = true))]
#[allow(clippy::too_many_arguments, clippy::type_complexity)]
fn join_points<'py>(
    py: Python<'py>,
    lon: &Bound<'py, PyAny>,
    lat: &Bound<'py, PyAny>,
    crs: Option<&Bound<'py, PyAny>>,
    areas: Option<PathBuf>,
    vintage: Option<&Bound<'py, PyAny>>,
    snap_km: Option<f64>,
    gaps: bool,
) -> PyResult<(
    Vec<String>,
    Vec<String>,
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyDict>,
)> {
    let x = coordinates(py, lon, "lon")?;
    let y = coordinates(py, lat, "lat")?;
    let crs = match crs {
        Some(c) => parse_crs(py, c)?,
        None => PointCrs::Wgs84,
    };
    if let Some(km) = snap_km
        && !(km.is_finite() && km >= 0.0)
    {
        return Err(OptionError::new_err(format!(
            "snap_km: expected a distance of 0 km or more, found {km}"
        )));
    }
    let default_vintage = 2024_i64.into_pyobject(py)?.into_any();
    let layer = layer(py, vintage.unwrap_or(&default_vintage), areas)?;
    let (xs, ys) = (x.as_array(), y.as_array());
    if xs.len() != ys.len() {
        return Err(bad_argument(
            py,
            format!(
                "arguments lon and lat: expected arrays of one length, found {} and {}",
                xs.len(),
                ys.len()
            ),
        ));
    }
    let index = py.detach(|| layer.index());
    let converter = PointConverter::new(crs)
        .map_err(|e| crs_error(py, e))?
        .with_envelope(index.point_envelope());
    let result = py.detach(|| -> sigmap::Result<(PointCounts, u64)> {
        let at = Location::argument("lon, lat");
        let mut counts = PointCounts::new(layer.areas.len());
        let mut unmatched = Vec::new();
        let mut batch = Vec::with_capacity(BATCH.min(xs.len()));
        let mut outside = 0_u64;
        let mut record = 0_u64;
        for (&x, &y) in xs.iter().zip(ys.iter()) {
            record += 1;
            match converter.convert(x, y, &at.record(record))? {
                Some(p) => batch.push(p),
                None => outside += 1,
            }
            if batch.len() == BATCH {
                index.count_points_keeping(
                    &batch,
                    snap_km,
                    &mut counts,
                    gaps.then_some(&mut unmatched),
                );
                batch.clear();
            }
        }
        if !batch.is_empty() {
            index.count_points_keeping(
                &batch,
                snap_km,
                &mut counts,
                gaps.then_some(&mut unmatched),
            );
        }
        if !unmatched.is_empty() {
            let topology = LayerTopology::gaps_only(&layer.areas, index);
            counts.in_gaps = topology.count_in_gaps(&unmatched);
        }
        Ok((counts, outside))
    });
    let (counts, outside) = result.map_err(|e| to_py(py, e))?;
    let codes = layer.areas.iter().map(|a| a.code.clone()).collect();
    let names = layer.areas.iter().map(|a| a.name.clone()).collect();
    let summary = PyDict::new(py);
    summary.set_item("points", counts.points + outside)?;
    summary.set_item("outside", outside)?;
    summary.set_item("matched", counts.matched)?;
    summary.set_item("snapped", counts.snapped)?;
    summary.set_item("unmatched", counts.unmatched)?;
    summary.set_item("overlaps", counts.overlaps)?;
    summary.set_item("in_gaps", gaps.then_some(counts.in_gaps))?;
    summary.set_item("crs", crs.epsg())?;
    summary.set_item("layer", layer.areas.layer.name.clone())?;
    let counts = PyArray1::from_vec(py, counts.counts);
    Ok((codes, names, counts, summary))
}

/// The seat holding a WGS84 point: `(code, name)`, or None outside every seat.
#[pyfunction]
#[pyo3(signature = (lon, lat, *, vintage = None, areas = None))]
fn locate(
    py: Python<'_>,
    lon: &Bound<'_, PyAny>,
    lat: &Bound<'_, PyAny>,
    vintage: Option<&Bound<'_, PyAny>>,
    areas: Option<PathBuf>,
) -> PyResult<Option<(String, String)>> {
    let (x, y) = (coordinate(py, lon, "lon")?, coordinate(py, lat, "lat")?);
    let default_vintage = 2024_i64.into_pyobject(py)?.into_any();
    let layer = layer(py, vintage.unwrap_or(&default_vintage), areas)?;
    let converter = PointConverter::new(PointCrs::Wgs84)
        .map_err(|e| to_py(py, e))?
        .with_envelope(py.detach(|| layer.point_envelope()));
    let point = converter
        .convert(x, y, &Location::argument("lon, lat"))
        .map_err(|e| to_py(py, e))?;
    let found = point.and_then(|(x, y)| py.detach(|| layer.locate(x, y)));
    Ok(found.map(|id| {
        let area = &layer.areas[id];
        (area.code.clone(), area.name.clone())
    }))
}

/// A petition: its totals and its signatures per constituency.
#[pyclass(module = "sigmap", frozen, name = "Petition")]
pub(crate) struct Petition {
    pub(crate) inner: sigmap::Petition,
}

#[pymethods]
impl Petition {
    /// The petition number (None for a CSV).
    #[getter]
    fn id(&self) -> Option<u64> {
        self.inner.id
    }
    /// The title ("" for a CSV).
    #[getter]
    fn title(&self) -> &str {
        &self.inner.title
    }
    /// open, closed, rejected, ... ("" for a CSV).
    #[getter]
    fn state(&self) -> &str {
        &self.inner.state
    }
    /// Whether it comes from the archive of a past Parliament.
    #[getter]
    fn archived(&self) -> bool {
        self.inner.archived
    }
    /// The Parliament of an archived petition.
    #[getter]
    fn parliament(&self) -> Option<&str> {
        self.inner.parliament.as_deref()
    }
    /// All signatures, UK and abroad.
    #[getter]
    fn total(&self) -> u64 {
        self.inner.total
    }
    /// Signatures from the UK (published, or the constituencies' sum).
    #[getter]
    fn uk_total(&self) -> u64 {
        self.inner.uk_total
    }
    /// Whether `uk_total` was published (else summed from the constituencies).
    #[getter]
    fn uk_total_published(&self) -> bool {
        self.inner.uk_total_published
    }
    /// Opening time (RFC 3339), if known.
    #[getter]
    fn opened_at(&self) -> Option<&str> {
        self.inner.opened_at.as_deref()
    }
    /// Time of the data (RFC 3339), if known.
    #[getter]
    fn updated_at(&self) -> Option<&str> {
        self.inner.updated_at.as_deref()
    }
    /// `api`, `api2015` or `csv`.
    #[getter]
    fn schema(&self) -> &'static str {
        match self.inner.schema {
            Schema::Api => "api",
            Schema::Api2015 => "api2015",
            _ => "csv",
        }
    }
    /// The file or URL it was read from.
    #[getter]
    fn source(&self) -> &str {
        &self.inner.source
    }
    /// The page of the petition on the petitions site, if it has a number.
    #[getter]
    fn url(&self) -> Option<String> {
        self.inner.url()
    }
    /// The constituency set of its codes: 2010 or 2024.
    #[getter]
    fn vintage(&self, py: Python<'_>) -> PyResult<u32> {
        match self.inner.vintage().map_err(|e| to_py(py, e))? {
            Vintage::Pcon2010 => Ok(2010),
            _ => Ok(2024),
        }
    }
    /// The sum of the constituency counts.
    #[getter]
    fn constituency_sum(&self) -> u64 {
        self.inner.constituency_sum()
    }
    /// Signatures per constituency code, in file order.
    #[getter]
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        for c in &self.inner.counts {
            d.set_item(&c.code, c.count)?;
        }
        Ok(d)
    }
    /// Columns `code`, `name`, `mp`, `count` (lists, in file order): `pandas.DataFrame(p.to_dict())`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let counts = &self.inner.counts;
        let d = PyDict::new(py);
        d.set_item(
            "code",
            counts.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "name",
            counts.iter().map(|c| c.name.as_deref()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "mp",
            counts.iter().map(|c| c.mp.as_deref()).collect::<Vec<_>>(),
        )?;
        d.set_item(
            "count",
            PyArray1::from_iter(py, counts.iter().map(|c| c.count)),
        )?;
        Ok(d)
    }
    /// Number of constituencies with a count.
    fn __len__(&self) -> usize {
        self.inner.counts.len()
    }
    fn __repr__(&self) -> String {
        let id = self.inner.id.map_or("None".to_string(), |i| i.to_string());
        format!(
            "Petition(id={id}, title={:?}, total={}, uk_total={}, constituencies={})",
            self.inner.title,
            self.inner.total,
            self.inner.uk_total,
            self.inner.counts.len()
        )
    }
}

/// Reads a petition file (API JSON or `code,count` CSV).
#[pyfunction]
fn read_petition_file(py: Python<'_>, path: PathBuf) -> PyResult<Petition> {
    let inner = py
        .detach(|| sigmap::Petition::from_path(&path))
        .map_err(|e| to_py(py, e))?;
    Ok(Petition { inner })
}

/// Fetches a petition by number from the API (`api`, else `$SIGMAP_API`, else the
/// petitions site), the whole fetch within `timeout` seconds.
#[pyfunction]
#[pyo3(signature = (number, *, api = None, timeout = 30.0))]
fn fetch_petition(
    py: Python<'_>,
    number: u64,
    api: Option<String>,
    timeout: f64,
) -> PyResult<Petition> {
    if !(timeout.is_finite() && timeout > 0.0 && timeout <= 86_400.0) {
        return Err(OptionError::new_err(format!(
            "timeout: expected seconds between 0 and 86400, found {timeout}"
        )));
    }
    let base = api
        .or_else(|| std::env::var(live::BASE_URL_ENV).ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| live::DEFAULT_BASE_URL.to_string());
    let t = Duration::from_secs_f64(timeout);
    let result = py.detach(|| {
        let client = Client::builder()
            .base_url(base)
            .timeout(t)
            .deadline(t)
            .connect_timeout(t.min(Duration::from_secs(10)))
            .build()?;
        client.petition(number, Source::Auto)
    });
    match result {
        Ok(inner) => Ok(Petition { inner }),
        // a host that cannot be looked up comes as `Network` (see the report): offline too
        Err(e @ (Error::Unreachable { .. } | Error::Network { .. })) => {
            Err(NetworkError::new_err(format!(
                "cannot fetch petition {number} (offline?): {}. To work offline, run `sigmap \
                 fetch {number} -o petition_{number}.json` on a machine that is online and pass \
                 the file instead of the number",
                chain(&e)
            )))
        }
        Err(e) => Err(to_py(py, e)),
    }
}

/// Keeps the overlap and gap checks of layers that do not ship with sigmap in `path`
/// (`None`: keep none); see `sigmap.set_cache_dir`.
#[pyfunction]
#[pyo3(signature = (path))]
fn set_cache_dir(path: Option<PathBuf>) {
    sigmap::LayerTopology::set_cache_dir(path);
}

/// The folder the command line keeps layer checks in (`SIGMAP_CACHE_DIR`, else the user's
/// cache folder), or `None`.
#[pyfunction]
fn default_cache_dir() -> Option<PathBuf> {
    sigmap::LayerTopology::default_cache_dir()
}

/// The Rust half of the `sigmap` package.
#[pymodule]
fn _sigmap(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    // as the command line: a user's layer is checked for overlaps and gaps once
    sigmap::LayerTopology::set_cache_dir(sigmap::LayerTopology::default_cache_dir());
    m.add("SigmapError", py.get_type::<SigmapError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("OptionError", py.get_type::<OptionError>())?;
    m.add("NetworkError", py.get_type::<NetworkError>())?;
    m.add("OutputError", py.get_type::<OutputError>())?;
    m.add("CallerError", py.get_type::<CallerError>())?;
    m.add("InternalError", py.get_type::<InternalError>())?;
    m.add_class::<Petition>()?;
    m.add_function(wrap_pyfunction!(read_petition_file, m)?)?;
    m.add_function(wrap_pyfunction!(fetch_petition, m)?)?;
    m.add_function(wrap_pyfunction!(locate, m)?)?;
    m.add_function(wrap_pyfunction!(join_points, m)?)?;
    m.add_function(wrap_pyfunction!(set_cache_dir, m)?)?;
    m.add_function(wrap_pyfunction!(default_cache_dir, m)?)?;
    report::register(m)?;
    many::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
