//! The crate's error type: every input error says where it happened.

use crate::text::{excerpt, shortened};
use std::fmt;
use std::path::{Path, PathBuf};

/// A `Result` whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in the input an error was found: a file (or `-` for standard input) or, for a
/// library call given values rather than a file, the argument; optionally the record
/// (1-based: a CSV data row, a GeoJSON feature, a JSON array element, a slice's element)
/// and the field.
///
/// Displays as `data/p.json: record 12, field signature_count`, or `argument values:
/// record 3`.
///
/// ```
/// use sigmap::Location;
/// let at = Location::file("data/p.json").record(12).field("signature_count");
/// assert_eq!(at.to_string(), "data/p.json: record 12, field signature_count");
/// assert_eq!(at.path(), Some(std::path::Path::new("data/p.json")));
/// assert_eq!(Location::argument("values").record(3).to_string(), "argument values: record 3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file or the argument.
    pub origin: Origin,
    /// 1-based record number, if the error is in one record.
    pub record: Option<u64>,
    /// The field (property, column or JSON key), if known.
    pub field: Option<String>,
}

/// What a [`Location`] is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file, or `-` for standard input.
    File(PathBuf),
    /// An argument of a library call or of the command line (values given in memory).
    Argument(&'static str),
}

impl Location {
    /// A location covering a whole file.
    pub fn file(path: impl AsRef<Path>) -> Self {
        Location {
            origin: Origin::File(path.as_ref().to_path_buf()),
            record: None,
            field: None,
        }
    }

    /// A location covering an argument given in memory (`values`, `points`, `weights`).
    pub fn argument(name: &'static str) -> Self {
        Location {
            origin: Origin::Argument(name),
            record: None,
            field: None,
        }
    }

    /// The file, if the location is in one.
    pub fn path(&self) -> Option<&Path> {
        match &self.origin {
            Origin::File(path) => Some(path),
            Origin::Argument(_) => None,
        }
    }

    /// The same file, at a 1-based record.
    #[must_use]
    pub fn record(&self, record: u64) -> Self {
        Location {
            record: Some(record),
            ..self.clone()
        }
    }

    /// The same file and record, at a field.
    #[must_use]
    pub fn field(&self, field: impl Into<String>) -> Self {
        Location {
            field: Some(field.into()),
            ..self.clone()
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Origin::File(path) => write!(f, "{}", path.display())?,
            Origin::Argument(name) => write!(f, "argument {name}")?,
        }
        match (&self.record, &self.field) {
            (Some(r), Some(field)) => write!(f, ": record {r}, field {field}"),
            (Some(r), None) => write!(f, ": record {r}"),
            (None, Some(field)) => write!(f, ": field {field}"),
            (None, None) => Ok(()),
        }
    }
}

/// Everything that can go wrong in sigmap.
///
/// Input errors (see [`Error::is_input`]) carry a [`Location`]; the CLI exits with code 2
/// for them and 1 for the rest.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be opened, read or written.
    #[error("{}: cannot {action}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done.
        action: IoAction,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not well-formed JSON.
    #[error("{at}: invalid JSON")]
    Json {
        /// Where.
        at: Location,
        /// The parser's error (it has the line and column).
        #[source]
        source: serde_json::Error,
    },
    /// The input is not well-formed CSV.
    #[error("{at}: invalid CSV")]
    Csv {
        /// Where.
        at: Location,
        /// The reader's error.
        #[source]
        source: csv::Error,
    },
    /// The input is not valid GeoJSON.
    #[error("{at}: invalid GeoJSON")]
    GeoJson {
        /// Where.
        at: Location,
        /// The GeoJSON reader's error.
        #[source]
        source: Box<geojson::Error>,
    },
    /// A required field is missing.
    #[error("{at}: missing field `{field}`")]
    MissingField {
        /// Where (the record that lacks it).
        at: Location,
        /// The field that is missing.
        field: String,
    },
    /// A field has a value of the wrong kind or out of range.
    #[error("{at}: expected {expected}, found {}", bounded(found))]
    BadField {
        /// Where.
        at: Location,
        /// What was expected, e.g. "a non-negative integer".
        expected: &'static str,
        /// What was there.
        found: String,
    },
    /// A line of a line-oriented text file (a GAL or GWT weights file) is malformed.
    #[error("{}: line {line}, field {field}: expected {expected}, found {}", path.display(), bounded(found))]
    BadLine {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// The field of the line, e.g. `neighbour count`.
        field: &'static str,
        /// What was expected.
        expected: &'static str,
        /// What was there.
        found: String,
    },
    /// The same area code appears twice.
    #[error(
        "{at}: duplicate code `{}` (first seen in record {first})",
        excerpt(code)
    )]
    DuplicateCode {
        /// Where the second occurrence is.
        at: Location,
        /// The code.
        code: String,
        /// The record of its first occurrence.
        first: u64,
    },
    /// A JSON object names the same key twice (JSON readers would keep one silently).
    #[error("{at}: duplicate key `{}` in one JSON object", excerpt(key))]
    DuplicateKey {
        /// Where: the record (innermost array element) and the path of the object.
        at: Location,
        /// The key.
        key: String,
    },
    /// The petition was rejected: the API publishes no constituency breakdown for it.
    #[error(
        "{at}: petition {id} is {state}: the petitions site publishes no constituency breakdown for it"
    )]
    NoBreakdown {
        /// Where.
        at: Location,
        /// Petition id.
        id: u64,
        /// Its state (`rejected`, `hidden`, ...).
        state: String,
    },
    /// The area codes match neither constituency set.
    #[error(
        "{at}: {} code(s) match neither the 2010 nor the 2024 constituency set: {}",
        codes.len(), preview(codes)
    )]
    UnknownVintage {
        /// Where.
        at: Location,
        /// The codes that belong to no set (all of them, sorted).
        codes: Vec<String>,
    },
    /// No code of the petition is an area of the layer (which is not a constituency set).
    #[error("{at}: none of the {} code(s) is an area of {layer}: {}", codes.len(), preview(codes))]
    NoMatchingCodes {
        /// The petition.
        at: Location,
        /// The layer's name.
        layer: String,
        /// The petition's codes (sorted).
        codes: Vec<String>,
    },
    /// Rows of a values file name no area of the layer.
    #[error("{at}: {} id(s) are not areas of {layer}: {}", codes.len(), preview(codes))]
    UnknownIds {
        /// The values file.
        at: Location,
        /// The layer's name.
        layer: String,
        /// The ids (sorted).
        codes: Vec<String>,
    },
    /// A layer that is not a Westminster constituency set was given without denominators.
    #[error(
        "{at}: not a Westminster constituency layer, so no shipped election results fit it: give --denominators"
    )]
    NeedsDenominators {
        /// The layer.
        at: Location,
    },
    /// No constituency has this code or name.
    #[error(
        "no constituency is called `{}`{}",
        excerpt(query),
        suggest(suggestions)
    )]
    UnknownConstituency {
        /// What was asked for.
        query: String,
        /// The closest names, best first.
        suggestions: Vec<String>,
    },
    /// Two inputs use different constituency vintages.
    #[error("{at}: uses {found} constituencies but {other} uses {expected}")]
    VintageMismatch {
        /// The input with the unexpected vintage.
        at: Location,
        /// Its constituency set (`"2010"` or `"2024"`, as [`Vintage::label`](crate::Vintage::label)).
        found: &'static str,
        /// What the other input has.
        expected: &'static str,
        /// The other input.
        other: Box<str>,
    },
    /// No property of a boundary layer holds area codes.
    #[error("{at}: cannot tell which property holds the area code (properties: {}); name it with --area-id", properties.join(", "))]
    NoCodeProperty {
        /// Where.
        at: Location,
        /// The properties of the first feature.
        properties: Vec<String>,
    },
    /// An input that must not be empty is.
    #[error("{at}: {what} is empty")]
    Empty {
        /// Where.
        at: Location,
        /// What is empty, e.g. "the FeatureCollection".
        what: &'static str,
    },
    /// A denominators file lacks some areas of the layer.
    #[error("{at}: no row for {} area(s) of the layer: {}", codes.len(), preview(codes))]
    MissingAreas {
        /// The denominators file.
        at: Location,
        /// The codes with no row (sorted).
        codes: Vec<String>,
    },
    /// A coordinate transformation failed.
    #[error("cannot transform ({x}, {y}): {reason}")]
    Transform {
        /// First coordinate.
        x: f64,
        /// Second coordinate.
        y: f64,
        /// Why.
        reason: String,
    },
    /// Coordinates that look like a classic mistake: latitude and longitude swapped,
    /// National Grid metres read as degrees, or degrees read as metres.
    #[error("{at}: ({x}, {y}) {problem}; {hint}")]
    SuspectCoordinates {
        /// Where.
        at: Location,
        /// The first coordinate as read.
        x: f64,
        /// The second coordinate as read.
        y: f64,
        /// What looks wrong.
        problem: &'static str,
        /// What to do instead.
        hint: String,
    },
    /// A points file whose two coordinate columns look swapped as a whole: many of its
    /// points are in no area, and far more would be with the columns exchanged (see
    /// [`crate::inputs::points::PointReader::check_axis_order`]).
    #[error(
        "{at}: the coordinates look swapped: of {sample} points sampled, {located} are in an area with x from `{x_column}` and y from `{y_column}`, {located_swapped} with the two exchanged; name the columns the other way round (--lon {y_column} --lat {x_column}), or count the points as read with --no-swap-check"
    )]
    SwappedAxes {
        /// The points file.
        at: Location,
        /// The column read as x (longitude or easting).
        x_column: Box<str>,
        /// The column read as y (latitude or northing).
        y_column: Box<str>,
        /// Points sampled (at most 1,023).
        sample: u32,
        /// Sampled points in an area as read.
        located: u32,
        /// Sampled points in an area with x and y exchanged.
        located_swapped: u32,
    },
    /// A coordinate reference system sigmap cannot use (unknown, or needing a feature).
    #[error("coordinate system `{crs}`: {reason}")]
    UnsupportedCrs {
        /// The coordinate system as given.
        crs: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A file that is not a boundary layer sigmap can read (GeoJSON, Shapefile, zipped
    /// Shapefile, GeoPackage), or a part of one that is missing.
    #[error("{at}: {reason}")]
    LayerFormat {
        /// The file (and the record, where one feature is at fault).
        at: Location,
        /// What is wrong.
        reason: String,
    },
    /// A boundary layer whose coordinate system cannot be settled or converted: an
    /// unrecognised or ambiguous one, or one that needs the `proj` feature.
    #[error("{at}: {problem}; {hint}")]
    LayerCrs {
        /// The layer (and the record, where one feature is at fault).
        at: Location,
        /// What was found, e.g. `coordinates are in metres, not degrees`.
        problem: String,
        /// What to do, e.g. `state the coordinate system with --areas-crs 27700`.
        hint: String,
    },
    /// A URL sigmap cannot use (the API base URL must be `http://` or `https://` with a host).
    #[error("`{url}` is not a usable URL: {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The server could not be reached: no network, an unknown host, a refused connection.
    #[error(
        "{url}: cannot reach the server (the network is unreachable, the host unknown or the connection refused)"
    )]
    Unreachable {
        /// The URL requested.
        url: String,
        /// The transport's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// No complete answer within the timeout.
    #[error("{url}: no complete answer within {}", humantime::format_duration(*after))]
    Timeout {
        /// The URL requested.
        url: String,
        /// The timeout.
        after: std::time::Duration,
    },
    /// A transport failure once connected (TLS, HTTP protocol, a reset connection).
    #[error("{url}: network error")]
    Network {
        /// The URL requested.
        url: String,
        /// The transport's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The server answered with an error status (after the retries, for 429 and 5xx).
    #[error("{url}: HTTP {status}{}{}", http_reason(*status),
        retry_after.map_or(String::new(), |d| format!(", asked to retry after {}", humantime::format_duration(d))))]
    Http {
        /// The URL requested.
        url: String,
        /// The HTTP status.
        status: u16,
        /// Requests made.
        attempts: u32,
        /// The server's `Retry-After`, if it sent one.
        retry_after: Option<std::time::Duration>,
    },
    /// The body breaks off: fewer bytes than `Content-Length` announced, or a JSON document
    /// that ends early.
    #[error("{url}: truncated response ({received} bytes{})", expected.map_or(String::new(), |e| format!(" of the {e} announced")))]
    Truncated {
        /// The URL requested.
        url: String,
        /// The `Content-Length`, if the server sent one.
        expected: Option<u64>,
        /// Bytes received.
        received: u64,
    },
    /// The server sent something other than JSON (an HTML error page, a captive portal).
    #[error("{url}: expected JSON, found {found}")]
    NotJson {
        /// The URL requested.
        url: String,
        /// The start of the body.
        found: String,
    },
    /// A redirect to another server (scheme, host or port): sigmap follows redirects only
    /// on the server it was pointed at.
    #[error(
        "{from}: redirected to {to}, another server (sigmap follows redirects only on the same scheme, host and port)"
    )]
    Redirect {
        /// The URL that answered with the redirect.
        from: String,
        /// Where it pointed.
        to: String,
    },
    /// More redirects than [`crate::live::MAX_REDIRECTS`] for one request (a loop?).
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects {
        /// The URL requested.
        url: String,
        /// Redirects followed before giving up.
        limit: u32,
    },
    /// The server answered a request for one petition with another (`data.id` differs).
    #[error("{url}: asked for petition {asked}, the answer is petition {found}")]
    WrongPetition {
        /// The URL requested.
        url: String,
        /// The number asked for.
        asked: u64,
        /// The `data.id` of the answer, as sent.
        found: String,
    },
    /// A list whose `links.next` did not end within the page limit.
    #[error(
        "{url}: the list still goes on after {pages} pages: stopped (raise the limit with --max-pages, or narrow the list)"
    )]
    TooManyPages {
        /// The next page's URL, not read.
        url: String,
        /// Pages read.
        pages: usize,
    },
    /// A petition number that the API does not have (404 wherever it was looked for).
    #[error("petition {id} not found: 404 at {}", urls.join(" and at "))]
    PetitionNotFound {
        /// The number.
        id: u64,
        /// The URLs that answered 404.
        urls: Vec<String>,
    },
    /// A snapshot store that cannot answer the question asked of it.
    #[error("{}: {problem}", path.display())]
    Snapshots {
        /// The store's file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A library call whose arguments contradict each other, such as values and weights of
    /// different lengths: a bug in the calling code, never the user's input (the CLI
    /// exits 1).
    #[error("{call}: {problem}")]
    InvalidCall {
        /// The function called (`spatial_empirical_bayes`).
        call: &'static str,
        /// What contradicts what.
        problem: String,
    },
    /// An option (a setting given by the caller, not read from a file) out of its range.
    #[error("{option}: expected {expected}, found {found}")]
    BadOption {
        /// The option, as the library names it (`scale`).
        option: &'static str,
        /// What it may be.
        expected: String,
        /// What it was.
        found: String,
    },
    /// A map could not be rendered (an SVG that resvg refuses).
    #[error("cannot render the map: {reason}")]
    Render {
        /// What went wrong.
        reason: String,
    },
    /// With the `polars` feature: a DataFrame operation failed.
    #[cfg(feature = "polars")]
    #[error("polars")]
    Polars(#[from] polars::error::PolarsError),
}

/// What an [`Io`](Error::Io) error was doing with its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IoAction {
    /// Opening or reading an input: the user named the file ([`ErrorKind::Input`]).
    Read,
    /// Creating an output file or folder.
    Create,
    /// Writing, flushing or moving an output into place.
    Write,
}

impl fmt::Display for IoAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IoAction::Read => "read",
            IoAction::Create => "create",
            IoAction::Write => "write",
        })
    }
}

/// The kind of an [`Error`]: whose mistake it is, and so what a program does about it.
///
/// ```
/// use sigmap::{Error, ErrorKind, Petition};
/// let err = Petition::from_reader("code,count\nE14001063,many\n".as_bytes(), "p.csv").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Input);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The user's input: a file that cannot be read or is wrong (a record, a field, a
    /// value), or data that cannot be analysed. The CLI exits 2.
    Input,
    /// An option out of its range ([`Error::BadOption`]). The CLI exits 2.
    Option,
    /// A library call whose arguments contradict each other ([`Error::InvalidCall`]): a
    /// bug in the calling code. The CLI exits 1.
    Caller,
    /// An output could not be created or written. The CLI exits 1.
    Output,
    /// The petitions API: the network, the server, or its answer. The CLI exits 1.
    Network,
    /// A failure inside sigmap or a library it uses (a coordinate transform, rendering,
    /// polars). The CLI exits 1.
    Internal,
}

impl Error {
    /// Whose mistake the error is: see [`ErrorKind`].
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Io { action, .. } => match action {
                IoAction::Read => ErrorKind::Input,
                IoAction::Create | IoAction::Write => ErrorKind::Output,
            },
            Error::BadOption { .. } => ErrorKind::Option,
            Error::InvalidCall { .. } => ErrorKind::Caller,
            Error::Unreachable { .. }
            | Error::Timeout { .. }
            | Error::Network { .. }
            | Error::Http { .. }
            | Error::Truncated { .. }
            | Error::NotJson { .. }
            | Error::Redirect { .. }
            | Error::TooManyRedirects { .. }
            | Error::WrongPetition { .. }
            | Error::TooManyPages { .. } => ErrorKind::Network,
            Error::Transform { .. } | Error::Render { .. } => ErrorKind::Internal,
            #[cfg(feature = "polars")]
            Error::Polars(_) => ErrorKind::Internal,
            _ => ErrorKind::Input,
        }
    }

    /// True for the user's mistakes, [`ErrorKind::Input`] and [`ErrorKind::Option`]: the
    /// CLI exits 2 for these and 1 for the rest.
    pub fn is_input(&self) -> bool {
        matches!(self.kind(), ErrorKind::Input | ErrorKind::Option)
    }

    /// A CSV error at `at`, at the record the reader reports (1-based data rows after a
    /// header, as the reader counts them).
    pub(crate) fn csv(at: &Location, source: csv::Error) -> Self {
        let at = match source.position() {
            Some(p) if p.record() > 0 => at.record(p.record()),
            _ => at.clone(),
        };
        Error::Csv { at, source }
    }

    pub(crate) fn io(path: impl AsRef<Path>, action: IoAction, source: std::io::Error) -> Self {
        Error::Io {
            path: path.as_ref().to_path_buf(),
            action,
            source,
        }
    }
}

/// The reason phrase of common statuses, for messages.
fn http_reason(status: u16) -> &'static str {
    match status {
        400 => " Bad Request",
        403 => " Forbidden",
        404 => " Not Found",
        410 => " Gone",
        429 => " Too Many Requests",
        500 => " Internal Server Error",
        502 => " Bad Gateway",
        503 => " Service Unavailable",
        504 => " Gateway Timeout",
        _ => "",
    }
}

fn suggest(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", names.join(", or "))
    }
}

/// What a message says was found, whoever built it: at most 240 characters, printable
/// (sites quote values through [`excerpt`]; this bounds any that do not).
fn bounded(s: &str) -> String {
    shortened(s, 240)
}

/// The first few codes of a list, for a one-line message.
fn preview(codes: &[String]) -> String {
    const SHOW: usize = 8;
    let mut s = codes
        .iter()
        .take(SHOW)
        .map(|c| excerpt(c))
        .collect::<Vec<_>>()
        .join(", ");
    if codes.len() > SHOW {
        s.push_str(&format!(", ... ({} more)", codes.len() - SHOW));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::printable;

    #[test]
    fn location_display() {
        let at = Location::file("data/p.json");
        assert_eq!(at.to_string(), "data/p.json");
        assert_eq!(
            at.record(12).field("signature_count").to_string(),
            "data/p.json: record 12, field signature_count"
        );
        assert_eq!(at.field("data").to_string(), "data/p.json: field data");
    }

    #[test]
    fn excerpts_are_short_and_printable() {
        assert_eq!(
            excerpt("a\u{1b}[31mb\n\u{7}\u{9b}"),
            "a\\u{1b}[31mb\\u{a}\\u{7}\\u{9b}"
        );
        let long = "x".repeat(1_000_000);
        assert!(excerpt(&long).len() < 120, "{}", excerpt(&long).len());
        assert_eq!(printable("a\nb\r", true), "a\nb\\u{d}");
    }

    #[test]
    fn long_code_lists_are_shortened() {
        let codes: Vec<String> = (0..10).map(|i| format!("X{i}")).collect();
        let e = Error::UnknownVintage {
            at: Location::file("-"),
            codes,
        };
        assert!(e.to_string().ends_with("X7, ... (2 more)"), "{e}");
        assert!(e.is_input());
    }
}
