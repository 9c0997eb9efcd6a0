//! Points from CSV files: coordinate columns, coordinate systems, and the classic mistakes.
//!
//! A points file is a CSV with a header. The coordinate columns are found by name
//! (`lon`/`lng`/`longitude`/`x` and `lat`/`latitude`/`y`, or `easting`/`northing` for
//! British National Grid) or named by the caller. Coordinates are converted to WGS84
//! longitude/latitude, the coordinate system of the shipped boundaries:
//! - WGS84 (EPSG:4326) as read;
//! - British National Grid (EPSG:27700) through OSTN15 ([`crate::inputs::crs::bng_to_wgs84`]);
//! - with the `proj` feature, any EPSG code through PROJ (Irish Grid EPSG:29902 and Irish
//!   Transverse Mercator EPSG:2157 for points in Northern Ireland).
//!
//! Mistakes that would silently give wrong counts are errors naming the record
//! ([`Error::SuspectCoordinates`]):
//! - latitude and longitude swapped (a point outside the [`Envelope`] that would be inside
//!   it the other way round; for WGS84 and the UK envelope that is every UK point, since
//!   UK longitudes and latitudes never overlap);
//! - National Grid metres given as degrees (values beyond ±180/±90 for WGS84);
//! - degrees given as metres (values within ±180/±90 for British National Grid, or for any
//!   projected coordinate system through PROJ);
//! - northing and easting swapped where that is certain: a National Grid "easting" of
//!   700 km or more with a "northing" below 700 km; through PROJ, a projected point that
//!   lands outside its coordinate system's area of use when the swapped one lands in the
//!   envelope.
//!
//! A swap that is plausible point by point (both British National Grid numbers below
//! 700 km, most of England and Wales) can only be seen in a whole file:
//! [`PointReader::check_axis_order`] compares a sample of the file read as given and read
//! swapped, and refuses the file ([`Error::SwappedAxes`]) when swapping would put far more
//! of its points in an area.
//!
//! Points that are merely outside the envelope are kept, counted ([`PointReader::outside`])
//! and located nowhere. The envelope is [`UK_ENVELOPE`] unless set with
//! [`PointReader::with_envelope`]: [`crate::SpatialIndex::point_envelope`] gives the UK for the shipped
//! constituencies and any layer inside the UK, and the layer's own bounding box (with a
//! margin) for any other layer.

use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::crs::{self, Envelope, PointCrs, UK_ENVELOPE};
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Which columns hold the coordinates; `None` finds them by name.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct PointColumns {
    /// Longitude or easting column.
    pub x: Option<String>,
    /// Latitude or northing column.
    pub y: Option<String>,
}

const LON_NAMES: &[&str] = &["lon", "lng", "long", "longitude", "x"];
const LAT_NAMES: &[&str] = &["lat", "latitude", "y"];
const EAST_NAMES: &[&str] = &["easting", "eastings", "east", "x"];
const NORTH_NAMES: &[&str] = &["northing", "northings", "north", "y"];

/// Converts coordinates of one coordinate system to WGS84 longitude/latitude, refusing the
/// classic mistakes (see the module docs).
///
/// # Examples
/// ```
/// use sigmap::Location;
/// use sigmap::{PointConverter};
/// use sigmap::crs::{PointCrs};
/// let wgs84 = PointConverter::new(PointCrs::Wgs84)?;
/// let at = Location::argument("X Y");
/// assert_eq!(wgs84.convert(-0.12, 51.5, &at)?, Some((-0.12, 51.5)));
/// assert_eq!(wgs84.convert(2.35, 48.86, &at)?, None); // Paris: outside the UK
/// assert!(wgs84.convert(51.5, -0.12, &at).is_err()); // swapped
/// assert!(wgs84.convert(f64::NAN, 51.5, &at).is_err()); // not a number
/// # Ok::<(), sigmap::Error>(())
/// ```
pub struct PointConverter {
    crs: PointCrs,
    kind: Converter,
    envelope: Envelope,
}

enum Converter {
    Wgs84,
    Bng,
    #[cfg(feature = "proj")]
    Proj(crs::ToWgs84),
}

impl PointConverter {
    /// A converter from `crs`, checking points against [`UK_ENVELOPE`].
    ///
    /// # Errors
    /// [`Error::UnsupportedCrs`] for an EPSG code other than 4326 and 27700 without the
    /// `proj` feature, or one that PROJ does not know.
    pub fn new(crs: PointCrs) -> Result<Self> {
        let kind = match crs {
            PointCrs::Wgs84 => Converter::Wgs84,
            PointCrs::Bng => Converter::Bng,
            PointCrs::Epsg(code) => proj_converter(code)?,
        };
        Ok(PointConverter {
            crs,
            kind,
            envelope: UK_ENVELOPE,
        })
    }

    /// The same converter, checking points against `envelope` instead (see
    /// [`crate::SpatialIndex::point_envelope`]): points outside it are "outside", and the swap checks
    /// compare against it.
    #[must_use]
    pub fn with_envelope(mut self, envelope: Envelope) -> Self {
        self.envelope = envelope;
        self
    }

    /// The source coordinate system.
    pub fn crs(&self) -> PointCrs {
        self.crs
    }

    /// The envelope points are checked against.
    pub fn envelope(&self) -> Envelope {
        self.envelope
    }

    /// Converts (x, y) to (longitude, latitude); `Ok(None)` for a point outside the
    /// envelope or outside its coordinate system's grid. `at` names the record in errors.
    ///
    /// # Errors
    /// [`Error::BadField`] (field `x` or `y` of `at`) for a coordinate that is not a finite
    /// number; [`Error::SuspectCoordinates`] for the classic mistakes.
    pub fn convert(&self, x: f64, y: f64, at: &Location) -> Result<Option<(f64, f64)>> {
        for (value, field) in [(x, "x"), (y, "y")] {
            if !value.is_finite() {
                return Err(Error::BadField {
                    at: at.field(field),
                    expected: "a finite number",
                    found: crate::text::excerpt(&value.to_string()),
                });
            }
        }
        self.convert_named(x, y, &|| at.clone(), ("the first coordinate", "the second"))
    }

    /// The built-in conversion, if this is one (they run in parallel; PROJ does not).
    fn builtin(&self) -> Option<Builtin> {
        match self.kind {
            Converter::Wgs84 => Some(Builtin::Wgs84),
            Converter::Bng => Some(Builtin::Bng),
            #[cfg(feature = "proj")]
            Converter::Proj(_) => None,
        }
    }

    fn convert_named(
        &self,
        x: f64,
        y: f64,
        at: &dyn Fn() -> Location,
        names: (&str, &str),
    ) -> Result<Option<(f64, f64)>> {
        match &self.kind {
            Converter::Wgs84 => convert_builtin(Builtin::Wgs84, self.envelope, x, y, at, names),
            Converter::Bng => convert_builtin(Builtin::Bng, self.envelope, x, y, at, names),
            #[cfg(feature = "proj")]
            Converter::Proj(t) => convert_proj(t, self.envelope, x, y, at, names),
        }
    }

    /// The conversion alone, without the mistake checks: for reading a sample the other
    /// way round. `None` outside the envelope or the grid.
    fn convert_unchecked(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        let lonlat = match &self.kind {
            Converter::Wgs84 => Some((x, y)),
            Converter::Bng => crs::bng_to_wgs84(x, y).ok(),
            #[cfg(feature = "proj")]
            Converter::Proj(t) => t.convert(x, y).ok(),
        };
        lonlat.filter(|&(lon, lat)| self.envelope.contains(lon, lat))
    }
}

/// The conversions that need no PROJ: plain data, so they run on any thread.
#[derive(Debug, Clone, Copy)]
enum Builtin {
    Wgs84,
    Bng,
}

/// Whether a pair of numbers could be a longitude and a latitude in degrees.
fn could_be_degrees(x: f64, y: f64) -> bool {
    x.abs() <= 180.0 && y.abs() <= 90.0
}

/// How to mend a swapped pair: `what` names the two axes, `names` the columns read.
fn swap_hint(what: (&str, &str), names: (&str, &str)) -> String {
    format!(
        "{} is read from {} and {} from {}: swap them",
        what.0, names.0, what.1, names.1
    )
}

/// Converts with a built-in conversion; see [`PointConverter::convert`].
fn convert_builtin(
    kind: Builtin,
    envelope: Envelope,
    x: f64,
    y: f64,
    at: &dyn Fn() -> Location,
    names: (&str, &str),
) -> Result<Option<(f64, f64)>> {
    let suspect = |problem, hint: String| Error::SuspectCoordinates {
        at: at(),
        x,
        y,
        problem,
        hint,
    };
    let lonlat = match kind {
        Builtin::Wgs84 => {
            if !could_be_degrees(x, y) {
                let grid = (0.0..=700_000.0).contains(&x) && (0.0..=1_300_000.0).contains(&y);
                let hint = if grid && envelope.is_uk() {
                    "they look like British National Grid metres: pass --crs 27700"
                } else {
                    "give longitude and latitude in degrees, or name the coordinate system with --crs"
                };
                return Err(suspect("is not a longitude/latitude", hint.to_string()));
            }
            if !envelope.contains(x, y) && envelope.contains(y, x) {
                return Err(suspect(
                    "looks like latitude, longitude (swapped)",
                    swap_hint(("longitude", "latitude"), names),
                ));
            }
            Some((x, y))
        }
        Builtin::Bng => {
            if could_be_degrees(x, y) {
                return Err(suspect(
                    "looks like degrees, not National Grid metres",
                    "drop --crs 27700 for longitude/latitude".to_string(),
                ));
            }
            // no easting reaches 700 km, the grid's eastern edge: certainly swapped
            if (700_000.0..=1_250_000.0).contains(&x) && (0.0..700_000.0).contains(&y) {
                return Err(suspect(
                    "looks like northing, easting (swapped)",
                    swap_hint(("easting", "northing"), names),
                ));
            }
            // OSTN15's inverse takes the whole grid (0..700 km, 0..1250 km), Scilly, St
            // Kilda and north Shetland included; off the grid is outside
            crs::bng_to_wgs84(x, y).ok()
        }
    };
    Ok(lonlat.filter(|&(lon, lat)| envelope.contains(lon, lat)))
}

/// How far beyond a coordinate system's area of use (degrees) a converted point is still
/// taken as given in the right order.
#[cfg(feature = "proj")]
const AREA_OF_USE_MARGIN: f64 = 1.0;

/// Converts through PROJ, with the checks of the built-in conversions made generic: degrees
/// given for a projected system, metres for a geographic one, and a swap where the given
/// order cannot be right (see the module docs).
#[cfg(feature = "proj")]
fn convert_proj(
    t: &crs::ToWgs84,
    envelope: Envelope,
    x: f64,
    y: f64,
    at: &dyn Fn() -> Location,
    names: (&str, &str),
) -> Result<Option<(f64, f64)>> {
    use crs::CrsKind;
    let suspect = |problem, hint: String| Error::SuspectCoordinates {
        at: at(),
        x,
        y,
        problem,
        hint,
    };
    let epsg = t.epsg();
    let degrees = could_be_degrees(x, y);
    match t.kind() {
        CrsKind::Projected if degrees => {
            return Err(suspect(
                "looks like degrees, not projected coordinates",
                format!(
                    "EPSG:{epsg} is a projected coordinate system: drop --crs {epsg} for WGS84 \
                     longitude/latitude, or name their coordinate system"
                ),
            ));
        }
        CrsKind::Geographic if !degrees => {
            return Err(suspect(
                "is not a longitude/latitude",
                format!(
                    "EPSG:{epsg} is a geographic coordinate system (degrees): name the projected \
                     coordinate system with --crs"
                ),
            ));
        }
        _ => {}
    }
    let given = t
        .convert(x, y)
        .ok()
        .filter(|p| p.0.is_finite() && p.1.is_finite());
    if given.is_some_and(|(lon, lat)| envelope.contains(lon, lat)) {
        return Ok(given);
    }
    // The given order is plausible wherever it lands in the system's area of use: Irish
    // Grid points in the west of Ireland are outside the UK, yet not swapped.
    let plausible = given.is_some_and(|(lon, lat)| {
        t.area_of_use()
            .is_some_and(|a| a.grown(AREA_OF_USE_MARGIN).contains(lon, lat))
    });
    let swapped_inside = || {
        t.convert(y, x)
            .ok()
            .is_some_and(|(lon, lat)| envelope.contains(lon, lat))
    };
    if !plausible && swapped_inside() {
        let (problem, what) = match t.kind() {
            CrsKind::Geographic => (
                "looks like latitude, longitude (swapped)",
                ("longitude", "latitude"),
            ),
            CrsKind::Projected => (
                "looks like northing, easting (swapped)",
                ("easting", "northing"),
            ),
            CrsKind::Other => ("looks swapped", ("the first axis", "the second")),
        };
        return Err(suspect(problem, swap_hint(what, names)));
    }
    Ok(None)
}

#[cfg(feature = "proj")]
fn proj_converter(code: u32) -> Result<Converter> {
    crs::ToWgs84::from_epsg(code)
        .map(Converter::Proj)
        .map_err(|e| Error::UnsupportedCrs {
            crs: format!("EPSG:{code}"),
            reason: e.to_string(),
        })
}

#[cfg(not(feature = "proj"))]
fn proj_converter(code: u32) -> Result<Converter> {
    Err(Error::UnsupportedCrs {
        crs: format!("EPSG:{code}"),
        reason: "only EPSG:4326 and EPSG:27700 are built in; build sigmap with the `proj` \
                 feature for other coordinate systems"
            .into(),
    })
}

/// Reads points from a CSV, converted to WGS84 longitude/latitude, in batches.
///
/// # Examples
/// ```
/// use sigmap::{PointColumns, PointReader};
/// let csv = "id,easting,northing\n1,530041.454,180358.007\n2,650000,1200000\n";
/// let mut reader = PointReader::from_reader(csv.as_bytes(), "p.csv", &PointColumns::default(), None)?;
/// assert_eq!(reader.crs(), sigmap::crs::PointCrs::Bng); // found from the column names
/// let mut batch = Vec::new();
/// reader.read_batch(&mut batch)?;
/// assert!((batch[0].0 + 0.1276).abs() < 1e-6 && (batch[0].1 - 51.5072).abs() < 1e-6);
/// assert!(batch[1].0.is_nan()); // the North Sea off Shetland: outside the UK, located nowhere
/// assert_eq!(reader.outside(), 1);
/// # Ok::<(), sigmap::Error>(())
/// ```
pub struct PointReader<R: Read> {
    /// Unparsed input: `None` once handed to the quoted-CSV fallback.
    input: Option<R>,
    /// Bytes read but not yet parsed (from the start of a record).
    carry: Vec<u8>,
    /// The last block's buffer, emptied: the next carry, so that no block is allocated
    /// and grown afresh.
    spare: Vec<u8>,
    eof: bool,
    /// The csv crate, record by record, once a block holds a quote character.
    quoted_csv: Option<QuotedCsv<R>>,
    layout: Layout,
    converter: PointConverter,
    record: u64,
    outside: u64,
    /// Points of the last block not yet returned by the iterator.
    pending: std::vec::IntoIter<(f64, f64)>,
    /// Raw coordinates of a sample of the records, for [`PointReader::check_axis_order`].
    sample: AxisSample,
}

type QuotedCsv<R> = (
    csv::Reader<std::io::Chain<std::io::Cursor<Vec<u8>>, R>>,
    csv::ByteRecord,
);

/// Bytes per block: about 50,000 points of a lon,lat file, parsed in parallel.
const BLOCK_BYTES: usize = 2 << 20;

impl PointReader<std::fs::File> {
    /// Opens a points file. `crs: None` means WGS84, or British National Grid if the file
    /// has easting/northing columns and no longitude/latitude ones.
    ///
    /// # Errors
    /// As [`PointReader::from_reader`], and [`Error::Io`].
    pub fn from_path(
        path: impl AsRef<Path>,
        columns: &PointColumns,
        crs: Option<PointCrs>,
    ) -> Result<Self> {
        let path = path.as_ref();
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
        PointReader::from_reader(file, path, columns, crs)
    }
}

impl<R: Read> PointReader<R> {
    /// Reads points from any reader; `name` is used in messages.
    ///
    /// # Errors
    /// [`Error::Csv`] for an unreadable header, [`Error::MissingField`] if a coordinate
    /// column is missing, [`Error::UnsupportedCrs`] for an EPSG code without the `proj`
    /// feature.
    pub fn from_reader(
        reader: R,
        name: impl AsRef<Path>,
        columns: &PointColumns,
        crs: Option<PointCrs>,
    ) -> Result<Self> {
        let at = Location::file(name);
        let mut input = reader;
        let mut carry = Vec::new();
        let mut eof = false;
        while !eof && !carry.contains(&b'\n') {
            eof = fill(&mut input, &mut carry, 64 << 10)
                .map_err(|e| Error::io(at.to_string(), IoAction::Read, e))?;
        }
        let header_end = carry
            .iter()
            .position(|&b| b == b'\n')
            .map_or(carry.len(), |i| i + 1);
        let header: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&carry[..header_end])
            .byte_records()
            .next()
            .transpose()
            .map_err(|e| Error::csv(&at, e))?
            .ok_or(Error::Empty {
                at: at.clone(),
                what: "the points file",
            })?
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_string()
            })
            .collect();
        carry.drain(..header_end);
        let find = |wanted: &Option<String>, names: &[&str]| -> Option<usize> {
            match wanted {
                Some(w) => header.iter().position(|h| h == w),
                None => names
                    .iter()
                    .find_map(|n| header.iter().position(|h| h.eq_ignore_ascii_case(n))),
            }
        };
        let named = columns.x.is_some() || columns.y.is_some();
        let lonlat = (find(&columns.x, LON_NAMES), find(&columns.y, LAT_NAMES));
        let en = (find(&columns.x, EAST_NAMES), find(&columns.y, NORTH_NAMES));
        let crs = match crs {
            Some(c) => c,
            None if !named && lonlat.0.zip(lonlat.1).is_none() && en.0.zip(en.1).is_some() => {
                PointCrs::Bng
            }
            None => PointCrs::Wgs84,
        };
        let (found, (x_names, y_names)) = if crs == PointCrs::Wgs84 {
            (lonlat, (LON_NAMES, LAT_NAMES))
        } else {
            (
                (en.0.or(lonlat.0), en.1.or(lonlat.1)),
                (EAST_NAMES, NORTH_NAMES),
            )
        };
        let missing = |wanted: &Option<String>, names: &[&str]| {
            wanted
                .clone()
                .unwrap_or_else(|| format!("one of {}", names.join(", ")))
        };
        let x = found.0.ok_or_else(|| Error::MissingField {
            at: at.clone(),
            field: missing(&columns.x, x_names),
        })?;
        let y = found.1.ok_or_else(|| Error::MissingField {
            at: at.clone(),
            field: missing(&columns.y, y_names),
        })?;
        let converter = PointConverter::new(crs)?;
        Ok(PointReader {
            input: Some(input),
            carry,
            spare: Vec::new(),
            eof,
            quoted_csv: None,
            pending: Vec::new().into_iter(),
            layout: Layout {
                at,
                columns: (x, y),
                names: (header[x].clone(), header[y].clone()),
                quoted: (
                    format!("column `{}`", header[x]),
                    format!("column `{}`", header[y]),
                ),
            },
            converter,
            record: 0,
            outside: 0,
            sample: AxisSample::default(),
        })
    }

    /// The same reader, checking points against `envelope` instead of [`UK_ENVELOPE`]
    /// (see [`crate::SpatialIndex::point_envelope`]). Call it before reading.
    #[must_use]
    pub fn with_envelope(mut self, envelope: Envelope) -> Self {
        self.converter.envelope = envelope;
        self
    }

    /// The envelope points are checked against.
    pub fn envelope(&self) -> Envelope {
        self.converter.envelope
    }

    /// The coordinate system the points are read in.
    pub fn crs(&self) -> PointCrs {
        self.converter.crs
    }

    /// The names of the x (longitude/easting) and y (latitude/northing) columns.
    pub fn column_names(&self) -> (&str, &str) {
        (&self.layout.names.0, &self.layout.names.1)
    }

    /// Points read so far that lie outside the envelope ([`UK_ENVELOPE`] unless set) or
    /// outside the grid of their coordinate system; they are returned as NaN, which no area
    /// holds.
    pub fn outside(&self) -> u64 {
        self.outside
    }

    /// Records read so far.
    pub fn records(&self) -> u64 {
        self.record
    }

    /// Checks that the file's two coordinate columns are not swapped as a whole; call it
    /// after reading, with the index the points are located in.
    ///
    /// Point by point a swap is often plausible (a National Grid easting and northing both
    /// below 700 km are a point in Great Britain either way round), but a swapped file
    /// shows itself in a sample: many of its points fall in no area, and most of those
    /// would fall in one with x and y exchanged. The reader keeps the raw coordinates of a
    /// systematic sample of 512 to 1,023 records spread over the whole input (every
    /// record of a smaller file); the sample depends only on the records, not on block
    /// sizes or threads. The check locates it as read and swapped (a few thousand lookups
    /// at most).
    ///
    /// The file is refused when at least 50 points are sampled, more than a tenth of them
    /// are in no area as read, and swapping leaves at most a third as many in no area.
    /// Snapping plays no part. A swapped file whose points land in areas either way round
    /// (all of them on land, say) cannot be told from a right one, and passes.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{PointColumns, PointReader};
    /// use sigmap::crs::{PointCrs};
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let index = SpatialIndex::new(&Areas::shipped(Vintage::Pcon2024)?);
    /// // postcodes with the easting read from the northing column and vice versa
    /// let columns = PointColumns { x: Some("northing".into()), y: Some("easting".into()) };
    /// let mut reader = PointReader::from_path("data/points/postcodes_cb_sample.csv", &columns, Some(PointCrs::Bng))?;
    /// let mut points = Vec::new();
    /// while reader.read_batch(&mut points)? > 0 {}
    /// let e = reader
    ///     .check_axis_order(|lon, lat| index.locate(lon, lat).is_some())
    ///     .unwrap_err();
    /// assert!(e.to_string().contains("look swapped"));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::SwappedAxes`] when the columns look swapped.
    pub fn check_axis_order(&self, in_an_area: impl Fn(f64, f64) -> bool + Sync) -> Result<()> {
        let sample = &self.sample.points;
        let n = sample.len();
        if n < AXIS_CHECK_MIN_SAMPLE {
            return Ok(());
        }
        let located = |swap: bool| {
            sample
                .iter()
                .filter(|&&(x, y)| {
                    let (x, y) = if swap { (y, x) } else { (x, y) };
                    self.converter
                        .convert_unchecked(x, y)
                        .is_some_and(|(lon, lat)| in_an_area(lon, lat))
                })
                .count()
        };
        let given = located(false);
        if (n - given) * 10 <= n {
            return Ok(());
        }
        let swapped = located(true);
        if (n - swapped) * 3 > n - given {
            return Ok(());
        }
        let (x, y) = self.column_names();
        Err(Error::SwappedAxes {
            at: self.layout.at.clone(),
            x_column: x.into(),
            y_column: y.into(),
            sample: n as u32,
            located: given as u32,
            located_swapped: swapped as u32,
        })
    }

    /// Appends the next batch of points (tens of thousands) to `out`, as (longitude,
    /// latitude); returns how many (0 at the end of the file). Plain CSV is cut into blocks
    /// of whole lines that are parsed and converted in parallel; a block with a quote
    /// character goes to the csv crate instead, record by record.
    ///
    /// # Errors
    /// [`Error::Csv`]; [`Error::MissingField`] for an empty or missing coordinate;
    /// [`Error::BadField`] for a coordinate that is not a finite number;
    /// [`Error::SuspectCoordinates`] for the mistakes in the module docs. The error is the
    /// first in file order, and the points of its batch are not returned.
    pub fn read_batch(&mut self, out: &mut Vec<(f64, f64)>) -> Result<usize> {
        let start = out.len();
        if self.quoted_csv.is_some() {
            return self.read_quoted(out);
        }
        let Some(block) = self.next_block()? else {
            return Ok(0);
        };
        if block.contains(&b'"') {
            let rest = std::mem::take(&mut self.carry);
            let Some(input) = self.input.take() else {
                return Ok(0);
            };
            let reader = std::io::Cursor::new([block, rest].concat()).chain(input);
            let csv = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(reader);
            self.quoted_csv = Some((csv, csv::ByteRecord::new()));
            return self.read_quoted(out);
        }
        let first = self.record + 1;
        let fields = &self.layout;
        let builtin = self.converter.builtin();
        let envelope = self.converter.envelope;
        let parse = |line: &[u8], number: u64| {
            fields.coordinates(|n| line.split(|&b| b == b',').nth(n), number)
        };
        let convert = |kind, x, y, number: u64| {
            convert_builtin(
                kind,
                envelope,
                x,
                y,
                &|| fields.at.record(number),
                fields.quoted(),
            )
        };
        // Two parallel passes, parse and then convert in place, so that the sample keeps
        // raw coordinates in between. Compact results: a point, NaN for outside, and
        // ERROR for an error, rebuilt below with its record number.
        const ERROR: (f64, f64) = (f64::NAN, 0.0);
        out.par_extend(
            line_chunks(&block, 64 << 10)
                .par_iter()
                .flat_map_iter(|chunk| lines(chunk).map(|line| parse(line, 0).unwrap_or(ERROR))),
        );
        self.sample.extend(first, &out[start..]);
        if let Some(kind) = builtin {
            out[start..]
                .par_iter_mut()
                .with_min_len(4096)
                .filter(|p| !p.0.is_nan())
                .for_each(|p| {
                    *p = match convert(kind, p.0, p.1, 0) {
                        Ok(Some(lonlat)) => lonlat,
                        Ok(None) => (f64::NAN, f64::NAN),
                        Err(_) => ERROR,
                    }
                });
        }
        let read = out.len() - start;
        if let Some(bad) = out[start..].iter().position(|p| p.0.is_nan() && p.1 == 0.0) {
            let number = first + bad as u64;
            let line = lines(&block).nth(bad).unwrap_or_default();
            let error = parse(line, number).and_then(|(x, y)| match builtin {
                Some(kind) => convert(kind, x, y, number).map(|_| ()),
                None => Ok(()),
            });
            return Err(error.err().unwrap_or(Error::Empty {
                at: self.layout.at.clone(),
                what: "a record",
            }));
        }
        if builtin.is_none() {
            for (i, p) in out[start..].iter_mut().enumerate() {
                let at = || self.layout.at.record(first + i as u64);
                *p = self
                    .converter
                    .convert_named(p.0, p.1, &at, self.layout.quoted())?
                    .unwrap_or((f64::NAN, f64::NAN));
            }
        }
        self.record += read as u64;
        self.outside += out[start..].iter().filter(|p| p.0.is_nan()).count() as u64;
        self.spare = block;
        Ok(out.len() - start)
    }

    /// The next block of whole lines, `None` at the end of the input.
    fn next_block(&mut self) -> Result<Option<Vec<u8>>> {
        let Some(input) = self.input.as_mut() else {
            return Ok(None);
        };
        // a block of at least BLOCK_BYTES, and at least one whole line however long
        while !self.eof && (self.carry.len() < BLOCK_BYTES || !self.carry.contains(&b'\n')) {
            let want = BLOCK_BYTES.saturating_sub(self.carry.len()).max(64 << 10);
            self.eof = fill(input, &mut self.carry, want)
                .map_err(|e| Error::io(self.layout.at.to_string(), IoAction::Read, e))?;
        }
        if self.carry.is_empty() {
            return Ok(None);
        }
        // whole lines only, unless the file ends without a newline
        let end = match self.carry.iter().rposition(|&b| b == b'\n') {
            Some(i) if !self.eof => i + 1,
            _ => self.carry.len(),
        };
        let mut rest = std::mem::take(&mut self.spare);
        rest.clear();
        rest.extend_from_slice(&self.carry[end..]);
        let mut block = std::mem::replace(&mut self.carry, rest);
        block.truncate(end);
        Ok(Some(block))
    }

    /// Reads a batch of quoted CSV with the csv crate, record by record.
    fn read_quoted(&mut self, out: &mut Vec<(f64, f64)>) -> Result<usize> {
        let start = out.len();
        let Some((csv, row)) = &mut self.quoted_csv else {
            return Ok(0);
        };
        let fields = &self.layout;
        while out.len() - start < BLOCK_BYTES / 40 {
            let more = csv
                .read_byte_record(row)
                .map_err(|e| Error::csv(&fields.at, e))?;
            if !more {
                break;
            }
            self.record += 1;
            let (x, y) = fields.coordinates(|i| row.get(i), self.record)?;
            self.sample.extend(self.record, &[(x, y)]);
            let at = || fields.at.record(self.record);
            let point = self.converter.convert_named(x, y, &at, fields.quoted())?;
            if point.is_none() {
                self.outside += 1;
            }
            out.push(point.unwrap_or((f64::NAN, f64::NAN)));
        }
        Ok(out.len() - start)
    }
}

/// Fewest sampled points [`PointReader::check_axis_order`] judges a file on.
const AXIS_CHECK_MIN_SAMPLE: usize = 50;
/// The sample is thinned to half when it reaches this size.
const AXIS_SAMPLE_MAX: usize = 1024;

/// A systematic sample of raw coordinates: records 1, 1 + stride, 1 + 2 stride, ...; when
/// it fills, every other point goes and the stride doubles, so it always spans everything
/// read so far, and depends only on the record numbers.
#[derive(Debug)]
struct AxisSample {
    stride: u64,
    points: Vec<(f64, f64)>,
}

impl Default for AxisSample {
    fn default() -> Self {
        AxisSample {
            stride: 1,
            points: Vec::new(),
        }
    }
}

impl AxisSample {
    /// Offers the raw coordinates of records `first`, `first + 1`, ... (1-based); records
    /// that failed to parse (NaN) are skipped, since they end the reading anyway.
    fn extend(&mut self, first: u64, points: &[(f64, f64)]) {
        let end = first + points.len() as u64;
        let mut record = first;
        loop {
            let behind = (record - 1) % self.stride;
            if behind != 0 {
                record += self.stride - behind;
            }
            if record >= end {
                break;
            }
            let p = points[(record - first) as usize];
            if p.0.is_finite() && p.1.is_finite() {
                self.points.push(p);
                if self.points.len() == AXIS_SAMPLE_MAX {
                    let mut keep = false;
                    self.points.retain(|_| {
                        keep = !keep;
                        keep
                    });
                    self.stride *= 2;
                }
            }
            record += 1;
        }
    }
}

/// Where the coordinates are in a record, and how messages name them (shared by the parsing
/// threads).
struct Layout {
    at: Location,
    columns: (usize, usize),
    names: (String, String),
    /// The names as messages quote them.
    quoted: (String, String),
}

impl Layout {
    fn quoted(&self) -> (&str, &str) {
        (&self.quoted.0, &self.quoted.1)
    }

    /// The two coordinates of one record, given its fields.
    fn coordinates<'a>(
        &self,
        field: impl Fn(usize) -> Option<&'a [u8]>,
        record: u64,
    ) -> Result<(f64, f64)> {
        let number = |column: usize, name: &str| -> Result<f64> {
            let raw = field(column).unwrap_or_default();
            // the common case straight from the bytes (correctly rounded, as `str::parse`);
            // anything else (Unicode spaces, not a finite number) as before, with its error
            if let Ok(v) = fast_float2::parse::<f64, _>(raw.trim_ascii())
                && v.is_finite()
            {
                return Ok(v);
            }
            let at = || self.at.record(record).field(name);
            let text = std::str::from_utf8(raw).unwrap_or("\u{fffd}").trim();
            if text.is_empty() {
                return Err(Error::MissingField {
                    at: at(),
                    field: name.to_string(),
                });
            }
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(Error::BadField {
                    at: at(),
                    expected: "a finite number",
                    found: format!("`{}`", crate::text::excerpt(&String::from_utf8_lossy(raw))),
                }),
            }
        };
        Ok((
            number(self.columns.0, &self.names.0)?,
            number(self.columns.1, &self.names.1)?,
        ))
    }
}

/// The non-empty lines of a block, without their line ends.
fn lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    block
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.is_empty())
}

/// A block cut into pieces of about `size` bytes, each ending at a line end.
fn line_chunks(block: &[u8], size: usize) -> Vec<&[u8]> {
    let mut chunks = Vec::with_capacity(block.len() / size + 1);
    let mut rest = block;
    while rest.len() > size {
        let cut = rest[size..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| size + i + 1);
        let (chunk, tail) = rest.split_at(cut);
        chunks.push(chunk);
        rest = tail;
    }
    if !rest.is_empty() {
        chunks.push(rest);
    }
    chunks
}

/// Appends `want` more bytes from `input` to `buf`, fewer only at the end of the input;
/// true at the end of the input.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> std::io::Result<bool> {
    let n = input.take(want as u64).read_to_end(buf)?;
    Ok(n < want)
}

impl<R: Read> Iterator for PointReader<R> {
    type Item = Result<(f64, f64)>;
    /// One point at a time (see [`PointReader::read_batch`] for the batched form).
    fn next(&mut self) -> Option<Self::Item> {
        if let Some(p) = self.pending.next() {
            return Some(Ok(p));
        }
        let mut batch = Vec::new();
        match self.read_batch(&mut batch) {
            Ok(0) => None,
            Ok(_) => {
                self.pending = batch.into_iter();
                self.pending.next().map(Ok)
            }
            Err(e) => Some(Err(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(csv: &str, columns: &PointColumns, crs: Option<PointCrs>) -> Result<Vec<(f64, f64)>> {
        let mut r = PointReader::from_reader(csv.as_bytes(), "p.csv", columns, crs)?;
        let mut out = Vec::new();
        while r.read_batch(&mut out)? > 0 {}
        Ok(out)
    }

    /// Every spelling of a number `str::parse` takes reads the same, whichever path
    /// parses it: the bytes straight, or (Unicode spaces, say) the text.
    #[test]
    fn numbers_read_as_str_parse_reads_them() {
        let spellings = [
            "-1.5",
            "+1.5",
            "1.",
            "-.5",
            "1e0",
            "-15E-1",
            " -1.5 ",
            "\t-1.5",
            "\u{a0}-1.5\u{3000}",
            "-1.4999999999999999999999999",
            "-0.000000000000000000000000000000000000000001",
        ];
        let columns = PointColumns::default();
        for x in spellings {
            let csv = format!("x,y\n{x},51.5\n");
            let expected = x.trim().parse::<f64>().unwrap();
            let got = read(&csv, &columns, Some(PointCrs::Wgs84)).unwrap();
            assert_eq!(got[0].0.to_bits(), expected.to_bits(), "{x:?}");
        }
        for bad in ["inf", "NaN", "1e999", "0x10", "1,5e", "1_0", "--1"] {
            let csv = format!("x,y\n\"{bad}\",51.5\n");
            assert!(
                read(&csv, &columns, Some(PointCrs::Wgs84)).is_err(),
                "{bad:?}"
            );
            let csv = format!("x,y\n{bad},51.5\n");
            if !bad.contains(',') {
                let e = read(&csv, &columns, Some(PointCrs::Wgs84)).unwrap_err();
                assert!(matches!(e, Error::BadField { .. }), "{bad:?}: {e}");
            }
        }
    }

    #[test]
    fn columns_are_found_by_name() {
        let p = read(
            "Name,Latitude,Longitude\na,51.5,-0.12\n",
            &PointColumns::default(),
            None,
        )
        .unwrap();
        assert_eq!(p, vec![(-0.12, 51.5)]);
        let named = PointColumns {
            x: Some("b".into()),
            y: Some("a".into()),
        };
        assert_eq!(
            read("a,b\n51.5,-0.12\n", &named, None).unwrap(),
            vec![(-0.12, 51.5)]
        );
        let e = read("a,b\n1,2\n", &PointColumns::default(), None).unwrap_err();
        assert!(e.to_string().contains("one of lon, lng"), "{e}");
    }

    #[test]
    fn classic_mistakes_are_errors_naming_the_record() {
        let swapped = read(
            "lon,lat\n-0.12,51.5\n51.5,-0.12\n",
            &PointColumns::default(),
            None,
        );
        let e = swapped.unwrap_err().to_string();
        assert!(
            e.starts_with("p.csv: record 2: (51.5, -0.12) looks like latitude, longitude"),
            "{e}"
        );
        let metres = read("lon,lat\n530041,180358\n", &PointColumns::default(), None);
        assert!(metres.unwrap_err().to_string().contains("--crs 27700"));
        let degrees = read(
            "x,y\n-0.12,51.5\n",
            &PointColumns::default(),
            Some(PointCrs::Bng),
        );
        assert!(
            degrees
                .unwrap_err()
                .to_string()
                .contains("looks like degrees")
        );
        let en = read(
            "easting,northing\n900000,530000\n",
            &PointColumns::default(),
            None,
        );
        assert!(
            en.unwrap_err()
                .to_string()
                .contains("northing, easting (swapped)")
        );
        let bad = read("lon,lat\n-0.12,abc\n", &PointColumns::default(), None);
        assert_eq!(
            bad.unwrap_err().to_string(),
            "p.csv: record 1, field lat: expected a finite number, found `abc`"
        );
        let empty = read("lon,lat\n-0.12,\n", &PointColumns::default(), None);
        assert!(
            empty
                .unwrap_err()
                .to_string()
                .contains("record 1, field lat")
        );
    }

    #[test]
    fn points_outside_the_uk_are_kept_and_counted() {
        let csv = "lon,lat\n2.35,48.86\n-0.12,51.5\n";
        let mut r =
            PointReader::from_reader(csv.as_bytes(), "p.csv", &PointColumns::default(), None)
                .unwrap();
        let mut out = Vec::new();
        r.read_batch(&mut out).unwrap();
        assert!(out[0].0.is_nan());
        assert_eq!(out[1], (-0.12, 51.5));
        assert_eq!((r.outside(), r.records()), (1, 2));
    }

    #[test]
    fn quoted_crlf_and_blank_lines_read_alike() {
        let plain = "lon,lat\n-0.12,51.5\n-3.19,55.95\n";
        let quoted = "\"lon\",\"lat\"\r\n\"-0.12\",51.5\r\n\r\n-3.19,\"55.95\"";
        let a = read(plain, &PointColumns::default(), None).unwrap();
        let b = read(quoted, &PointColumns::default(), None).unwrap();
        assert_eq!(a, b);
        assert_eq!(a, vec![(-0.12, 51.5), (-3.19, 55.95)]);
    }

    #[test]
    fn records_are_numbered_across_blocks() {
        // more than one block: the bad record is found with its number in the file
        let mut csv = String::from("lon,lat\n");
        for _ in 0..200_000 {
            csv.push_str("-0.1234567,51.5012345\n");
        }
        csv.push_str("-0.12,x\n");
        let e = read(&csv, &PointColumns::default(), None).unwrap_err();
        assert!(
            e.to_string().starts_with("p.csv: record 200001, field lat"),
            "{e}"
        );
        // and a quote in a later block switches to the csv crate without losing a record
        let mut csv = String::from("lon,lat\n");
        for _ in 0..200_000 {
            csv.push_str("-0.1234567,51.5012345\n");
        }
        csv.push_str("\"-0.12\",51.5\n-0.12,\"y\"\n");
        let e = read(&csv, &PointColumns::default(), None).unwrap_err();
        assert!(
            e.to_string().starts_with("p.csv: record 200002, field lat"),
            "{e}"
        );
        // one point at a time, over the switch to the csv crate
        let good = &csv[..csv.len() - "-0.12,\"y\"\n".len()];
        let r = PointReader::from_reader(good.as_bytes(), "p.csv", &PointColumns::default(), None)
            .unwrap();
        let points: Vec<(f64, f64)> = r.map(Result::unwrap).collect();
        assert_eq!(points.len(), 200_001);
        assert_eq!(points[200_000], (-0.12, 51.5));
    }

    #[test]
    fn a_line_longer_than_a_block_is_not_cut() {
        let padding = "x".repeat(3 * BLOCK_BYTES);
        let csv = format!("lon,lat,note\n-0.12,51.5,{padding}\n-3.19,55.95,short\n");
        let points = read(&csv, &PointColumns::default(), None);
        assert!(points.is_ok(), "the long line was cut into two records");
        assert_eq!(points.ok(), Some(vec![(-0.12, 51.5), (-3.19, 55.95)]));
    }

    #[test]
    fn the_sample_spans_the_input_whatever_the_batches() {
        let points: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, 0.0)).collect();
        let mut whole = AxisSample::default();
        whole.extend(1, &points);
        let mut pieces = AxisSample::default();
        let mut first = 1;
        for size in [1, 7, 1000, 3, 4096].iter().cycle() {
            let from = (first - 1) as usize;
            if from >= points.len() {
                break;
            }
            let to = (from + size).min(points.len());
            pieces.extend(first, &points[from..to]);
            first += (to - from) as u64;
        }
        assert_eq!(whole.points, pieces.points);
        // records 1, 1 + 16, 1 + 32, ...: 625 of them, up to the end
        assert_eq!(whole.stride, 16);
        assert_eq!(whole.points.len(), 625);
        assert!(
            whole
                .points
                .iter()
                .enumerate()
                .all(|(k, p)| p.0 == (16 * k) as f64)
        );
        // a small input is sampled whole
        let mut small = AxisSample::default();
        small.extend(1, &points[..1023]);
        assert_eq!(small.points.len(), 1023);
    }

    #[test]
    fn coordinates_that_are_not_numbers_are_errors() {
        let at = Location::argument("X Y");
        let c = PointConverter::new(PointCrs::Bng).unwrap();
        for (x, y) in [(f64::NAN, 51.0), (0.0, f64::INFINITY)] {
            let e = c.convert(x, y, &at).unwrap_err();
            assert!(matches!(e, Error::BadField { .. }), "{e}");
            assert!(e.to_string().starts_with("argument X Y: field "), "{e}");
        }
    }

    #[test]
    fn crs_codes_parse() {
        assert_eq!("EPSG:27700".parse::<PointCrs>().unwrap(), PointCrs::Bng);
        assert_eq!("4326".parse::<PointCrs>().unwrap(), PointCrs::Wgs84);
        assert_eq!("29902".parse::<PointCrs>().unwrap(), PointCrs::Epsg(29902));
        assert!("OSGB".parse::<PointCrs>().is_err());
    }

    #[cfg(not(feature = "proj"))]
    #[test]
    fn other_codes_need_the_proj_feature() {
        let e = read(
            "x,y\n1,2\n",
            &PointColumns::default(),
            Some(PointCrs::Epsg(29902)),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`proj` feature"), "{e}");
    }

    #[cfg(feature = "proj")]
    #[test]
    fn classic_mistakes_are_errors_through_proj_too() {
        let irish_grid = Some(PointCrs::Epsg(29902));
        let itm = Some(PointCrs::Epsg(2157));
        let error = |csv: &str, crs| {
            read(csv, &PointColumns::default(), crs)
                .unwrap_err()
                .to_string()
        };
        // degrees given for a projected system
        for crs in [irish_grid, itm] {
            let e = error("x,y\n-5.93,54.597\n", crs);
            assert!(
                e.starts_with(
                    "p.csv: record 1: (-5.93, 54.597) looks like degrees, not projected coordinates"
                ),
                "{e}"
            );
        }
        // Edinburgh in UTM zone 30N, northing first: off the zone's area of use, while the
        // swapped pair is in the UK
        let utm30 = Some(PointCrs::Epsg(32630));
        let e = error("x,y\n6200000,488000\n", utm30);
        assert!(e.contains("looks like northing, easting (swapped)"), "{e}");
        let p = read("x,y\n488000,6200000\n", &PointColumns::default(), utm30).unwrap();
        assert!(
            (p[0].0 + 3.19).abs() < 0.05 && (p[0].1 - 55.94).abs() < 0.05,
            "{p:?}"
        );
        // Belfast City Hall in ITM, northing first, lands in North Wales: plausible point by
        // point, so only the file-level check can tell (tests/integration/points.rs)
        let p = read("x,y\n874000,733800\n", &PointColumns::default(), itm).unwrap();
        assert!(UK_ENVELOPE.contains(p[0].0, p[0].1), "{p:?}");
        // a geographic system (ETRS89): metres, and latitude first
        let etrs89 = Some(PointCrs::Epsg(4258));
        let e = error("x,y\n333800,374000\n", etrs89);
        assert!(e.contains("is not a longitude/latitude"), "{e}");
        let e = error("x,y\n54.597,-5.93\n", etrs89);
        assert!(
            e.contains("looks like latitude, longitude (swapped)"),
            "{e}"
        );
        assert_eq!(
            read("x,y\n-5.93,54.597\n", &PointColumns::default(), etrs89)
                .unwrap()
                .len(),
            1
        );
        // Galway in Irish Grid: outside the UK, but where Irish Grid is used: not swapped
        let p = read("x,y\n130000,225000\n", &PointColumns::default(), irish_grid).unwrap();
        assert!(p[0].0.is_nan(), "{p:?}");
    }

    #[cfg(feature = "proj")]
    #[test]
    fn irish_grid_points_reach_belfast() {
        // Belfast City Hall in Irish Grid (EPSG:29902): about (333_800, 374_000)
        let p = read(
            "x,y\n333800,374000\n",
            &PointColumns::default(),
            Some(PointCrs::Epsg(29902)),
        )
        .unwrap();
        assert!(
            (p[0].0 + 5.93).abs() < 0.01 && (p[0].1 - 54.597).abs() < 0.01,
            "{p:?}"
        );
    }
}
