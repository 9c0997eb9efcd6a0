//! Points from CSV files: coordinate columns, coordinate systems, and the classic mistakes.
//!
//! A points file is a CSV with a header. The coordinate columns are found by name
//! (`lon`/`lng`/`longitude`/`x` and `lat`/`latitude`/`y`, or `easting`/`northing` for
//! British National Grid) or named by the caller. Coordinates are converted to WGS84
//! longitude/latitude, the coordinate system of the shipped boundaries:
//! - WGS84 (EPSG:4326) as read;
//! - British National Grid (EPSG:27700) through OSTN15 ([`crate::crs::bng_to_wgs84`]);
//! - with the `proj` feature, any EPSG code through PROJ (Irish Grid EPSG:29902 and Irish
//!   Transverse Mercator EPSG:2157 for points in Northern Ireland).
//!
//! Mistakes that would silently give wrong counts are errors naming the record:
//! latitude and longitude swapped, National Grid metres given as degrees, degrees given as
//! metres. Points that are merely outside the UK ([`UK_ENVELOPE`]) are kept, counted, and
//! located nowhere.

use crate::crs;
use crate::error::{Error, Location, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::io::Read;
use std::path::Path;

/// A longitude/latitude box.
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
/// use sigmap::points::{PointConverter, PointCrs};
/// let wgs84 = PointConverter::new(PointCrs::Wgs84)?;
/// let at = Location::file("command line");
/// assert_eq!(wgs84.convert(-0.12, 51.5, &at)?, Some((-0.12, 51.5)));
/// assert_eq!(wgs84.convert(2.35, 48.86, &at)?, None); // Paris: outside the UK
/// assert!(wgs84.convert(51.5, -0.12, &at).is_err()); // swapped
/// # Ok::<(), sigmap::Error>(())
/// ```
pub struct PointConverter {
    crs: PointCrs,
    kind: Converter,
}

enum Converter {
    Wgs84,
    Bng,
    #[cfg(feature = "proj")]
    Proj(crs::ToWgs84),
}

impl PointConverter {
    /// A converter from `crs`.
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
        Ok(PointConverter { crs, kind })
    }

    /// The source coordinate system.
    pub fn crs(&self) -> PointCrs {
        self.crs
    }

    /// Converts (x, y) to (longitude, latitude); `Ok(None)` for a point outside
    /// [`UK_ENVELOPE`] or outside its coordinate system's grid. `at` names the record in
    /// errors.
    ///
    /// # Errors
    /// [`Error::SuspectCoordinates`] for the classic mistakes.
    pub fn convert(&self, x: f64, y: f64, at: &Location) -> Result<Option<(f64, f64)>> {
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
            Converter::Wgs84 => convert_builtin(Builtin::Wgs84, x, y, at, names),
            Converter::Bng => convert_builtin(Builtin::Bng, x, y, at, names),
            #[cfg(feature = "proj")]
            Converter::Proj(t) => Ok(t
                .convert(x, y)
                .ok()
                .filter(|&(lon, lat)| UK_ENVELOPE.contains(lon, lat))),
        }
    }
}

/// The conversions that need no PROJ: plain data, so they run on any thread.
#[derive(Debug, Clone, Copy)]
enum Builtin {
    Wgs84,
    Bng,
}

/// Converts with a built-in conversion; see [`PointConverter::convert`].
fn convert_builtin(
    kind: Builtin,
    x: f64,
    y: f64,
    at: &dyn Fn() -> Location,
    names: (&str, &str),
) -> Result<Option<(f64, f64)>> {
    let suspect = |problem, hint: &str| Error::SuspectCoordinates {
        at: at(),
        x,
        y,
        problem,
        hint: hint.to_string(),
    };
    let lonlat = match kind {
        Builtin::Wgs84 => {
            if x.abs() > 180.0 || y.abs() > 90.0 {
                let hint = if (0.0..=700_000.0).contains(&x) && (0.0..=1_300_000.0).contains(&y) {
                    "they look like British National Grid metres: pass --crs 27700"
                } else {
                    "give longitude and latitude in degrees, or name the coordinate system with --crs"
                };
                return Err(suspect("is not a longitude/latitude", hint));
            }
            if !UK_ENVELOPE.contains(x, y) && UK_ENVELOPE.contains(y, x) {
                return Err(suspect(
                    "looks like latitude, longitude (swapped)",
                    &format!(
                        "longitude is read from {} and latitude from {}: swap them",
                        names.0, names.1
                    ),
                ));
            }
            Some((x, y))
        }
        Builtin::Bng => {
            if x.abs() <= 180.0 && y.abs() <= 90.0 {
                return Err(suspect(
                    "looks like degrees, not National Grid metres",
                    "drop --crs 27700 for longitude/latitude",
                ));
            }
            if (700_000.0..=1_250_000.0).contains(&x) && (0.0..700_000.0).contains(&y) {
                return Err(suspect(
                    "looks like northing, easting (swapped)",
                    &format!(
                        "easting is read from {} and northing from {}: swap them",
                        names.0, names.1
                    ),
                ));
            }
            crs::bng_to_wgs84(x, y).ok()
        }
    };
    Ok(lonlat.filter(|&(lon, lat)| UK_ENVELOPE.contains(lon, lat)))
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
/// use sigmap::points::{PointColumns, PointReader};
/// let csv = "id,easting,northing\n1,530041.454,180358.007\n2,650000,1200000\n";
/// let mut reader = PointReader::from_reader(csv.as_bytes(), "p.csv", &PointColumns::default(), None)?;
/// assert_eq!(reader.crs(), sigmap::points::PointCrs::Bng); // found from the column names
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
    eof: bool,
    /// The csv crate, record by record, once a block holds a quote character.
    quoted_csv: Option<QuotedCsv<R>>,
    layout: Layout,
    converter: PointConverter,
    record: u64,
    outside: u64,
    /// Points of the last block not yet returned by the iterator.
    pending: std::vec::IntoIter<(f64, f64)>,
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
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
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
                .map_err(|e| Error::io(&at.path, "read", e))?;
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
        })
    }

    /// The coordinate system the points are read in.
    pub fn crs(&self) -> PointCrs {
        self.converter.crs
    }

    /// The names of the x (longitude/easting) and y (latitude/northing) columns.
    pub fn column_names(&self) -> (&str, &str) {
        (&self.layout.names.0, &self.layout.names.1)
    }

    /// Points read so far that lie outside [`UK_ENVELOPE`] (or outside the grid of their
    /// coordinate system); they are returned as NaN, which no area holds.
    pub fn outside(&self) -> u64 {
        self.outside
    }

    /// Records read so far.
    pub fn records(&self) -> u64 {
        self.record
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
        let record = |line: &[u8], number: u64| -> Result<Option<(f64, f64)>> {
            let (x, y) = fields.coordinates(|n| line.split(|&b| b == b',').nth(n), number)?;
            match builtin {
                Some(kind) => {
                    convert_builtin(kind, x, y, &|| fields.at.record(number), fields.quoted())
                }
                None => Ok(Some((x, y))),
            }
        };
        // compact results: a point, NaN for outside, (NaN, 0) for an error rebuilt below
        // with its record number
        out.par_extend(
            line_chunks(&block, 64 << 10)
                .par_iter()
                .flat_map_iter(|chunk| {
                    lines(chunk).map(|line| match record(line, 0) {
                        Ok(Some(p)) => p,
                        Ok(None) => (f64::NAN, f64::NAN),
                        Err(_) => (f64::NAN, 0.0),
                    })
                }),
        );
        let read = out.len() - start;
        if let Some(bad) = out[start..].iter().position(|p| p.0.is_nan() && p.1 == 0.0) {
            let line = lines(&block).nth(bad).unwrap_or_default();
            return Err(record(line, first + bad as u64)
                .err()
                .unwrap_or(Error::Empty {
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
                .map_err(|e| Error::io(&self.layout.at.path, "read", e))?;
        }
        if self.carry.is_empty() {
            return Ok(None);
        }
        // whole lines only, unless the file ends without a newline
        let end = match self.carry.iter().rposition(|&b| b == b'\n') {
            Some(i) if !self.eof => i + 1,
            _ => self.carry.len(),
        };
        let rest = self.carry[end..].to_vec();
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
            let at = || self.at.record(record).field(name);
            let raw = field(column).unwrap_or_default();
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
                    found: format!("`{}`", String::from_utf8_lossy(raw)),
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
