//! UK Parliament e-petitions: the API's JSON (open, closed, rejected and archived petitions,
//! current and early 2015 schema), a `code,count` CSV, or either on standard input.

use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::code::{UniqueCodes, code_in};
use crate::inputs::json::{ObjectsOnly, invalid, json_excerpt, read_json};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cell::RefCell;
use std::io::Read;
use std::path::Path;

/// A petition's signatures by constituency, with the totals needed to account for them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Petition {
    /// Petition number on petition.parliament.uk (none for CSV input).
    pub id: Option<u64>,
    /// The petition's title (the API's `action`), or the file name for CSV input.
    pub title: String,
    /// `open`, `closed`, `rejected`, ... as published; `counts` for CSV input.
    pub state: String,
    /// True for a petition of a past Parliament (`type: "archived-petition"`).
    pub archived: bool,
    /// For archived petitions, the Parliament's period, e.g. `2017-2019`.
    pub parliament: Option<String>,
    /// Total signatures (`signature_count`): UK and abroad, with or without a constituency.
    pub total: u64,
    /// Signatures from the United Kingdom (`signatures_by_country`); if the input gives
    /// none (CSV input, or no UK row), the sum of the constituency counts.
    pub uk_total: u64,
    /// True if `uk_total` was published; false if it is the constituency sum standing in.
    pub uk_total_published: bool,
    /// When the petition opened (`opened_at`, or `open_at` in the 2015 schema).
    pub opened_at: Option<String>,
    /// When the counts were last updated (`updated_at`).
    pub updated_at: Option<String>,
    /// Which input layout was read.
    pub schema: Schema,
    /// Signatures per constituency as published: constituencies with none are absent.
    pub counts: Vec<SignatureCount>,
    /// The file read, or `-` for standard input.
    pub source: String,
    /// How the counts were re-expressed on another constituency set, if they were (see
    /// [`crate::inputs::crosswalk::Crosswalk::apply`]); none for counts as published.
    pub crosswalk: Option<String>,
}

/// Signatures in one constituency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct SignatureCount {
    /// GSS code (`ons_code`).
    pub code: String,
    /// Constituency name, as the petitions site spells it.
    pub name: Option<String>,
    /// The MP when the petition was saved.
    pub mp: Option<String>,
    /// Signatures.
    pub count: u64,
}

/// The layout a petition was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Schema {
    /// The API's JSON as published since 2016 (countries have a `code`).
    Api,
    /// The API's early (2015) JSON: countries without `code`, `open_at` for `opened_at`.
    Api2015,
    /// A `code,count` CSV.
    Csv,
}

/// The largest petition input read, JSON or CSV: 16 MiB. A real petition is under 1 MB
/// (650 constituencies and some 200 countries); parsed, JSON takes several times its size
/// in memory (a 200 MB file took 1.9-3.0 GB), so a larger input is refused before parsing.
pub const MAX_PETITION_BYTES: u64 = 16 * 1024 * 1024;

const TOO_BIG: &str = "a petition of at most 16 MiB (MAX_PETITION_BYTES; a real one is under 1 MB)";

impl Petition {
    /// Reads a petition from a JSON or CSV file; `-` reads standard input.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Petition, Vintage};
    /// let p = Petition::from_path("data/petitions/petition_241584.json")?;
    /// assert_eq!(p.id, Some(241584));
    /// assert_eq!(p.vintage()?, Vintage::Pcon2010);
    /// assert_eq!((p.total, p.uk_total), (5_156_603, 4_948_111)); // all, and UK only
    /// assert!(p.constituency_sum() <= p.uk_total); // the API drops unassigned signatures
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; otherwise as [`Petition::from_reader`]
    /// (more than [`MAX_PETITION_BYTES`] is refused).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Petition> {
        let path = path.as_ref();
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            return Petition::from_reader(std::io::stdin().lock(), &name);
        }
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
        Petition::from_reader(file, &name)
    }

    /// Reads a petition from a reader; `name` is used in messages and as `source`. At most
    /// [`MAX_PETITION_BYTES`] are read.
    ///
    /// # Examples
    /// ```
    /// use sigmap::Petition;
    /// let csv = "ons_code,signature_count\nE14001063,7\n";
    /// let p = Petition::from_reader(csv.as_bytes(), "counts.csv")?;
    /// assert_eq!((p.source.as_str(), p.uk_total), ("counts.csv", 7));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; [`Error::BadField`] for more than
    /// [`MAX_PETITION_BYTES`]; [`Error::Json`] or [`Error::Csv`] for malformed text;
    /// [`Error::DuplicateKey`] for a JSON object that names a key twice (a reader would keep
    /// one silently); [`Error::DuplicateCode`] for a country or a code listed twice;
    /// [`Error::MissingField`] for a petition without `signatures_by_constituency`;
    /// [`Error::NoBreakdown`] for a rejected petition; [`Error::BadField`] for a count that
    /// is not a non-negative integer or a code that is not a string; [`Error::Empty`] for an
    /// input with no data.
    pub fn from_reader(reader: impl Read, name: &str) -> Result<Petition> {
        let text = super::read_text(reader.take(MAX_PETITION_BYTES + 1), name)?;
        Petition::parse(&text, name)
    }

    /// Parses a petition from text: JSON if it starts with `{`, otherwise a CSV of
    /// `code,count` (a header row is optional; columns are found by name: `code`/`ons_code`,
    /// `count`/`signature_count`/`signatures`). Errors as [`Petition::from_reader`].
    pub(crate) fn parse(text: &str, name: &str) -> Result<Petition> {
        let at = Location::file(name);
        if text.len() as u64 > MAX_PETITION_BYTES {
            return Err(Error::BadField {
                at,
                expected: TOO_BIG,
                found: format!("more than {} bytes", MAX_PETITION_BYTES),
            });
        }
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.is_empty() {
            return Err(Error::Empty {
                at,
                what: "the petition input",
            });
        }
        if trimmed.starts_with('{') || trimmed.starts_with('[') {
            // the common case straight from the text; anything unusual, and every error,
            // through the parsed tree, which words the error
            if let Some(document) = typed_document(trimmed) {
                return from_document(document, at);
            }
            let value = strict_json(trimmed, &at)?;
            from_json(&value, at)
        } else {
            from_csv(trimmed, at)
        }
    }

    /// The constituency set of the petition's codes: the set holding most of them, or the
    /// 2024 set if only codes that both sets share appear.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Petition, Vintage};
    /// let p = Petition::from_reader("E14000530,3\nS14000021,1\n".as_bytes(), "p.csv")?;
    /// assert_eq!(p.vintage()?, Vintage::Pcon2010);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownVintage`] if no code belongs to either set; [`Error::Empty`] if the
    /// petition lists no constituency.
    pub fn vintage(&self) -> Result<crate::Vintage> {
        if self.counts.is_empty() {
            return Err(Error::Empty {
                at: Location::file(&self.source),
                what: "the constituency list (no constituency has a signature yet, so its boundary set is unknown)",
            });
        }
        let detection = crate::Vintage::detect(
            self.counts.iter().map(|c| c.code.as_str()),
            Some(crate::Vintage::Pcon2024),
        );
        detection.vintage.ok_or_else(|| Error::UnknownVintage {
            at: Location::file(&self.source),
            codes: detection.unknown,
        })
    }

    /// Sum of the published constituency counts.
    pub fn constituency_sum(&self) -> u64 {
        self.counts.iter().map(|c| c.count).sum()
    }

    /// The petition's page on petition.parliament.uk, if it has an id.
    pub fn url(&self) -> Option<String> {
        let id = self.id?;
        Some(if self.archived {
            format!("https://petition.parliament.uk/archived/petitions/{id}")
        } else {
            format!("https://petition.parliament.uk/petitions/{id}")
        })
    }
}

/// A petition as the API publishes it, both schemas: what sigmap reads of `data`.
#[derive(Deserialize)]
struct Document {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    /// `archived-petition` for a petition of a past Parliament.
    #[serde(rename = "type")]
    kind: LooseText,
    id: Loose<PetitionNumber>,
    attributes: Attributes,
    #[serde(default, deserialize_with = "given")]
    parliament: Option<Value>,
}

#[derive(Deserialize)]
struct Attributes {
    action: LooseText,
    state: LooseText,
    signature_count: Count,
    signatures_by_constituency: Option<Vec<Constituency>>,
    signatures_by_country: Loose<Vec<Loose<Country>>>,
    /// `open_at` in the 2015 schema: which of the two keys is there tells the schema.
    #[serde(default, deserialize_with = "given")]
    opened_at: Option<Value>,
    #[serde(default, deserialize_with = "given")]
    open_at: Option<Value>,
    updated_at: LooseText,
    /// `parliament.period` of an archived petition (here, or on `data`).
    #[serde(default, deserialize_with = "given")]
    parliament: Option<Value>,
}

#[derive(Deserialize)]
struct Constituency {
    ons_code: String,
    signature_count: Count,
    name: LooseText,
    mp: LooseText,
}

/// A row of `signatures_by_country`: `code` since 2016, only `name` in the 2015 schema; the
/// count is read for the UK row only.
#[derive(Deserialize)]
struct Country {
    #[serde(default, deserialize_with = "given")]
    code: Option<Value>,
    name: LooseText,
    #[serde(default)]
    signature_count: Value,
}

/// A key's value whatever its type, `null` included: `None` only if the key is absent.
fn given<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// A field read if it holds a `T`; absent, `null` or anything else reads as none (the API's
/// optional fields are taken as far as they make sense, never refused).
pub(crate) struct Loose<T>(pub(crate) Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Loose<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let value = Option::<Value>::deserialize(d)?;
        Ok(Loose(
            value.and_then(|v| T::deserialize(ObjectsOnly(&v)).ok()),
        ))
    }
}

/// A text field read if it holds a string; absent, `null` or anything else reads as none:
/// [`Loose<String>`](Loose) without building a `Value` of it first (the petition's names and
/// MPs, two a constituency).
pub(crate) struct LooseText(pub(crate) Option<String>);

impl<'de> Deserialize<'de> for LooseText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        // as an option, as `Loose` reads one: a missing key is none, not an error
        d.deserialize_option(LooseTextVisitor).map(LooseText)
    }
}

/// A string, or none for any other value (its elements and entries read and dropped).
struct LooseTextVisitor;

impl<'de> Visitor<'de> for LooseTextVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Option<String>, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Option<String>, E> {
        Ok(Some(v))
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> std::result::Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> std::result::Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> std::result::Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> std::result::Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> std::result::Result<Option<String>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// What a petition number must be, for messages.
pub(crate) const PETITION_NUMBER: &str = "a petition number";

/// A petition number: a JSON integer or a string of digits.
pub(crate) struct PetitionNumber(pub(crate) u64);

impl<'de> Deserialize<'de> for PetitionNumber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .map(PetitionNumber)
            .ok_or_else(|| invalid(PETITION_NUMBER))
    }
}

/// A signature count in JSON: an integer from 0 to [`MAX_COUNT`].
struct Count(u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        v.as_u64()
            .filter(|&n| n <= MAX_COUNT)
            .map(Count)
            .ok_or_else(|| invalid(COUNT_EXPECTED))
    }
}

fn from_json(root: &Value, at: Location) -> Result<Petition> {
    from_document(
        read_json(root, &at, &[(COUNT_EXPECTED, COUNT_EXPECTED)])?,
        at,
    )
}

fn from_document(Document { data }: Document, at: Location) -> Result<Petition> {
    let attrs = data.attributes;
    let id = data.id.0.map(|n| n.0);
    let state = attrs.state.0.unwrap_or_else(|| "unknown".into());
    let Some(by_constituency) = attrs.signatures_by_constituency else {
        return Err(if state == "rejected" || state == "hidden" {
            Error::NoBreakdown {
                at,
                id: id.unwrap_or(0),
                state,
            }
        } else {
            Error::MissingField {
                at,
                field: "data.attributes.signatures_by_constituency".into(),
            }
        });
    };
    let counts: Vec<SignatureCount> = by_constituency
        .into_iter()
        .map(|c| SignatureCount {
            code: trimmed(c.ons_code),
            name: c.name.0,
            mp: c.mp.0,
            count: c.signature_count.0,
        })
        .collect();
    let mut seen = UniqueCodes::default();
    for (record, c) in (1..).zip(&counts) {
        seen.insert_borrowed(&c.code, record, || {
            at.record(record)
                .field("signatures_by_constituency.ons_code")
        })?;
    }
    let countries = attrs.signatures_by_country.0.unwrap_or_default();
    let uk_total = uk_total(&countries, &at)?;
    let no_code = |c: &Loose<Country>| c.0.as_ref().is_none_or(|c| c.code.is_none());
    let early = (!countries.is_empty() && countries.iter().all(no_code))
        || (attrs.open_at.is_some() && attrs.opened_at.is_none());
    let text = |v: Option<Value>| match v {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let parliament = (attrs.parliament.as_ref().or(data.parliament.as_ref()))
        .and_then(|p| p.get("period"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(Petition {
        id,
        title: attrs.action.0.unwrap_or_default(),
        state,
        archived: data.kind.0.as_deref() == Some("archived-petition"),
        parliament,
        total: attrs.signature_count.0,
        // No UK row (no UK signature yet, or a trimmed document): the constituencies are
        // the best lower bound, flagged as such.
        uk_total: uk_total.unwrap_or_else(|| counts.iter().map(|c| c.count).sum()),
        uk_total_published: uk_total.is_some(),
        opened_at: text(attrs.opened_at).or_else(|| text(attrs.open_at)),
        updated_at: attrs.updated_at.0,
        schema: if early { Schema::Api2015 } else { Schema::Api },
        counts,
        source: at.to_string(),
        crosswalk: None,
    })
}

/// `s` without surrounding whitespace, reusing its buffer when there is none (the API's
/// codes never have any).
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// The count of the UK row (`code: "GB"` since 2016, only `name` in the 2015 schema), if
/// there is one. A country listed twice is refused: which row counts would be a guess.
fn uk_total(countries: &[Loose<Country>], at: &Location) -> Result<Option<u64>> {
    let mut uk_total = None;
    let mut seen = UniqueCodes::default();
    for (record, c) in (1..).zip(countries) {
        let Some(c) = &c.0 else { continue };
        let rec = at.record(record);
        let code = c.code.as_ref().and_then(Value::as_str);
        if let Some(code) = code {
            seen.insert(code, record, || rec.field("signatures_by_country.code"))?;
        } else if let Some(name) = &c.name.0 {
            seen.insert(name, record, || rec.field("signatures_by_country.name"))?;
        }
        if code == Some("GB") || c.name.0.as_deref() == Some("United Kingdom") {
            let field = rec.field("signatures_by_country.signature_count");
            uk_total = Some(json_count(&c.signature_count, || field)?);
        }
    }
    Ok(uk_total)
}

fn from_csv(text: &str, at: Location) -> Result<Petition> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let empty = |at| Error::Empty {
        at,
        what: "the CSV",
    };
    let first = match rows.next() {
        Some(r) => r.map_err(|source| Error::Csv {
            at: at.clone(),
            source,
        })?,
        None => return Err(empty(at)),
    };
    let columns = Columns::of(&first);
    let data_rows = std::iter::once(Ok(first))
        .filter(|_| !columns.header)
        .chain(rows);
    let counts = csv_counts(data_rows, &columns, &at)?;
    if counts.is_empty() {
        return Err(empty(at));
    }
    let sum = counts.iter().map(|c| c.count).sum();
    let name = at.to_string();
    let title = Path::new(&name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| s != "-")
        .unwrap_or_else(|| "counts from standard input".into());
    Ok(Petition {
        id: None,
        title,
        state: "counts".into(),
        archived: false,
        parliament: None,
        total: sum,
        uk_total: sum,
        uk_total_published: false,
        opened_at: None,
        updated_at: None,
        schema: Schema::Csv,
        counts,
        source: name,
        crosswalk: None,
    })
}

/// The code and count columns of a counts CSV. A first row that names a code or a count
/// column is a header; anything else is data (so a malformed first row is an error, never
/// silently skipped) and the columns are `code,count`.
struct Columns {
    header: bool,
    code: usize,
    count: usize,
    names: Vec<String>,
}

impl Columns {
    const CODE_NAMES: &[&str] = &[
        "code",
        "ons_code",
        "gss_code",
        "constituency_code",
        "pcon24cd",
        "pcon19cd",
        "pcon10cd",
    ];
    const COUNT_NAMES: &[&str] = &["count", "signature_count", "signatures", "n"];

    fn of(first: &csv::StringRecord) -> Columns {
        let find = |names: &[&str]| {
            first
                .iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        let (code, count) = (find(Self::CODE_NAMES), find(Self::COUNT_NAMES));
        if code.is_none() && count.is_none() {
            return Columns {
                header: false,
                code: 0,
                count: 1,
                names: vec!["code".into(), "count".into()],
            };
        }
        Columns {
            header: true,
            code: code.unwrap_or(0),
            count: count.unwrap_or(1),
            names: first.iter().map(str::to_string).collect(),
        }
    }

    /// The name of column `i`, for messages.
    fn name(&self, i: usize) -> String {
        self.names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    }
}

/// The counts of a CSV's data rows (blank rows skipped), each code once.
fn csv_counts(
    rows: impl Iterator<Item = csv::Result<csv::StringRecord>>,
    columns: &Columns,
    at: &Location,
) -> Result<Vec<SignatureCount>> {
    let mut counts = Vec::new();
    let mut seen = UniqueCodes::default();
    for (record, row) in (1..).zip(rows) {
        let rec = at.record(record);
        let row = row.map_err(|source| Error::Csv {
            at: rec.clone(),
            source,
        })?;
        if row.iter().all(str::is_empty) {
            continue;
        }
        let code = code_in(&row, columns.code, &rec, &columns.name(columns.code))?;
        let raw = row.get(columns.count).ok_or_else(|| Error::MissingField {
            at: rec.clone(),
            field: columns.name(columns.count),
        })?;
        let count = parse_count(raw).ok_or_else(|| Error::BadField {
            at: rec.field(columns.name(columns.count)),
            expected: COUNT_EXPECTED,
            found: count_found(raw),
        })?;
        seen.insert(&code, record, || rec.field(columns.name(columns.code)))?;
        counts.push(SignatureCount {
            code,
            name: None,
            mp: None,
            count,
        });
    }
    Ok(counts)
}

/// The largest count sigmap accepts: more than there are people, far below the point where
/// sums of 650 counts could overflow.
pub const MAX_COUNT: u64 = 10_000_000_000;

/// What a count must be, for messages.
pub(crate) const COUNT_EXPECTED: &str = "a non-negative integer (at most 10^10)";

/// A count that [`parse_count`] refused, quoted for a message; a comma gets a word on
/// where commas may be.
pub(crate) fn count_found(raw: &str) -> String {
    let shown: String = raw
        .chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string();
    let more = if raw.chars().count() > 40 { "..." } else { "" };
    if raw.contains(',') {
        format!(
            "`{shown}{more}` (a comma separates thousands only between groups of three digits, as in 1,234,567)"
        )
    } else {
        format!("`{shown}{more}`")
    }
}

/// A count: digits, optionally with commas as thousands separators (`"79,557"`), at most
/// [`MAX_COUNT`]. A comma is a separator only between groups of exactly three digits after
/// a first group of one to three: `"12,5"`, `"1,2,3"`, `",5"`, `"1,2345"` and `"1234,567"`
/// are refused, never read as 125, 123, 5, 12345 or 1234567.
pub(crate) fn parse_count(raw: &str) -> Option<u64> {
    let mut groups = raw.split(',');
    let first = groups.next()?;
    let is_digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !is_digits(first) {
        return None;
    }
    let mut digits = first.to_string();
    let mut grouped = false;
    for g in groups {
        if g.len() != 3 || !is_digits(g) {
            return None;
        }
        digits.push_str(g);
        grouped = true;
    }
    if grouped && first.len() > 3 {
        return None;
    }
    digits.parse().ok().filter(|&n| n <= MAX_COUNT)
}

/// A JSON count: a non-negative integer, at most [`MAX_COUNT`].
fn json_count(v: &Value, at: impl FnOnce() -> Location) -> Result<u64> {
    v.as_u64()
        .filter(|&n| n <= MAX_COUNT)
        .ok_or_else(|| Error::BadField {
            at: at(),
            expected: COUNT_EXPECTED,
            found: json_excerpt(v),
        })
}

/// The document read straight from the text into its types, as [`from_json`] reads it
/// from the tree [`strict_json`] parses, when [`Shape`] finds nothing that the two would
/// read differently; `None` for anything else (and for every error), which the tree then
/// reads and words. Reading the text twice, once to check and once into types, is cheaper
/// than building the tree (a `Value` and a `String` per key and value) and reading that:
/// parsing went from 17% to 11% of a batch without statistics.
fn typed_document(text: &str) -> Option<Document> {
    let mut de = serde_json::Deserializer::from_str(text);
    Shape(Role::Root).deserialize(&mut de).ok()?;
    de.end().ok()?;
    serde_json::from_str(text).ok()
}

/// What a value is in a petition document, for [`Shape`]: the objects that [`Document`]
/// reads as structs, and everything else.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Root,
    Data,
    Attributes,
    Constituencies,
    Constituency,
    Other,
}

impl Role {
    fn of(self, key: &str) -> Role {
        match (self, key) {
            (Role::Root, "data") => Role::Data,
            (Role::Data, "attributes") => Role::Attributes,
            (Role::Attributes, "signatures_by_constituency") => Role::Constituencies,
            _ => Role::Other,
        }
    }

    /// Read as a struct from the text, serde_json would also take an array (its elements as
    /// the fields in order), which the tree's [`ObjectsOnly`] refuses.
    fn must_be_object(self) -> bool {
        matches!(
            self,
            Role::Root | Role::Data | Role::Attributes | Role::Constituency
        )
    }
}

/// A pass over a petition document's text that builds nothing and fails where reading it
/// straight into types could differ from [`strict_json`] and [`from_json`]: an object that
/// names a key twice (serde_json would keep the last), a key written with escapes
/// (compared as written, not as read), and a struct of [`Document`] that is not an object.
/// Nested structs other than those (countries, in [`Loose`]) go through a `Value` on both
/// paths.
#[derive(Clone, Copy)]
struct Shape(Role);

impl Shape {
    /// A value other than an object: an error where an object must be.
    fn not_an_object<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        if self.0.must_be_object() {
            return Err(E::custom("not an object"));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Shape {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Shape {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a petition document")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> std::result::Result<(), E> {
        self.not_an_object()
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> std::result::Result<(), E> {
        self.not_an_object()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> std::result::Result<(), E> {
        self.not_an_object()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> std::result::Result<(), E> {
        self.not_an_object()
    }
    fn visit_str<E: serde::de::Error>(self, _: &str) -> std::result::Result<(), E> {
        self.not_an_object()
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<(), E> {
        self.not_an_object()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        self.not_an_object()?;
        let role = match self.0 {
            Role::Constituencies => Role::Constituency,
            _ => Role::Other,
        };
        while seq.next_element_seed(Shape(role))?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut keys = Keys::default();
        // a key with escapes is not borrowed from the text: an error, and the tree reads it
        while let Some(key) = map.next_key::<&'de str>()? {
            if !keys.insert(key) {
                return Err(serde::de::Error::custom("duplicate key"));
            }
            map.next_value_seed(Shape(self.0.of(key)))?;
        }
        Ok(())
    }
}

/// The keys of one object, for [`Shape`]'s duplicate check: most objects have a few, kept
/// without allocating.
#[derive(Default)]
struct Keys<'de> {
    few: [&'de str; 8],
    len: usize,
    more: Vec<&'de str>,
}

impl<'de> Keys<'de> {
    /// Adds `key`; false if it is there already.
    fn insert(&mut self, key: &'de str) -> bool {
        if self.few[..self.len].contains(&key) || self.more.contains(&key) {
            return false;
        }
        if self.len < self.few.len() {
            self.few[self.len] = key;
            self.len += 1;
        } else {
            self.more.push(key);
        }
        true
    }
}

/// Parses JSON like `serde_json::from_str::<Value>`, but an object that names a key twice
/// is [`Error::DuplicateKey`] (serde_json keeps the last silently), located by the record
/// (the innermost array element, 1-based) and the whole path of keys to the object.
fn strict_json(text: &str, at: &Location) -> Result<Value> {
    // untracked first (as `read_json`): the tracked pass below only places an error
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    if let Ok(v) = Strict(&duplicate)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
    {
        return Ok(v);
    }
    let duplicate = RefCell::new(None);
    let mut track = serde_path_to_error::Track::new();
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Strict(&duplicate)
        .deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track))
        .and_then(|v| de.end().map(|()| v));
    match (parsed, duplicate.into_inner()) {
        (Ok(v), _) => Ok(v),
        (Err(_), Some(key)) => Err(Error::DuplicateKey {
            at: at.json(&track.path(), true),
            key: key
                .chars()
                .take(40)
                .collect::<String>()
                .escape_debug()
                .to_string(),
        }),
        (Err(source), None) => Err(Error::Json {
            at: at.clone(),
            source,
        }),
    }
}

/// A JSON value read by [`strict_json`] from text (serde_json calls no other `visit_`
/// methods); a key named twice in one object goes into the cell.
struct Strict<'a>(&'a RefCell<Option<String>>);

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(Strict(self.0))? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Strict(self.0))?;
            if out.contains_key(&key) {
                *self.0.borrow_mut() = Some(key);
                return Err(serde::de::Error::custom("duplicate key"));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn petition_json(constituencies: &str) -> String {
        format!(
            r#"{{"data":{{"type":"petition","id":7,"attributes":{{"action":"T","state":"open",
            "signature_count":10,"signatures_by_country":[{{"name":"United Kingdom","code":"GB","signature_count":9}}],
            "signatures_by_constituency":[{constituencies}]}}}}}}"#
        )
    }

    /// The petition as the parsed tree reads it (the path every error takes).
    fn through_the_tree(text: &str, name: &str) -> Result<Petition> {
        let at = Location::file(name);
        from_json(&strict_json(text.trim_start(), &at)?, at)
    }

    /// Every JSON petition under `dir` (recursively), as `(name, text)`.
    fn json_files(dir: &Path) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut dirs = vec![dir.to_path_buf()];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path)
                    && text.trim_start().starts_with('{')
                {
                    out.push((path.display().to_string(), text));
                }
            }
        }
        out.sort();
        out
    }

    /// Read straight from the text or through the tree, the same petition or the same
    /// error, for every JSON document in `dir`; returns how many took the straight path.
    fn both_paths_agree(dir: &Path) -> (usize, usize) {
        let files = json_files(dir);
        let mut straight = 0;
        for (name, text) in &files {
            let trimmed = text.trim_start();
            straight += usize::from(typed_document(trimmed).is_some());
            let fast = Petition::parse(text, name).map_err(|e| e.to_string());
            let slow = through_the_tree(text, name).map_err(|e| e.to_string());
            assert_eq!(fast, slow, "{name}");
        }
        (straight, files.len())
    }

    #[test]
    fn straight_from_the_text_as_through_the_tree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let (straight, all) = both_paths_agree(&root.join("data/petitions"));
        assert_eq!(
            straight, all,
            "the shipped petitions take the straight path"
        );
        let (straight, all) = both_paths_agree(&root.join("tests/fixtures"));
        assert!(straight > 0 && straight < all, "{straight} of {all}");
        // the fuzzer's inputs: documents of every odd shape
        let (straight, all) = both_paths_agree(&root.join("fuzz/corpus/petition_json"));
        assert!(straight > 0 && straight < all, "{straight} of {all}");
    }

    /// Refused through the tree, never read straight: a struct written as an array, a key
    /// named twice (also under an escape), a key the struct reads twice.
    #[test]
    fn what_the_straight_path_leaves_to_the_tree() {
        let array_constituency = petition_json(r#"["E14000530", 3, "A", "B"]"#);
        let array_attributes = r#"{"data":{"type":"petition","id":7,"attributes":["T","open",3]}}"#;
        let twice =
            petition_json(r#"{"ons_code":"E14000530","signature_count":3,"signature_count":4}"#);
        let escaped = petition_json(
            r#"{"ons_code":"E14000530","signature_count":3,"n\u0061me":"A","name":"B"}"#,
        );
        let unknown_twice =
            petition_json(r#"{"ons_code":"E14000530","signature_count":3,"x":1,"x":2}"#);
        for text in [
            array_constituency.as_str(),
            array_attributes,
            &twice,
            &escaped,
            &unknown_twice,
        ] {
            assert!(typed_document(text).is_none(), "{text}");
            assert!(Petition::parse(text, "p.json").is_err(), "{text}");
        }
        // and what it reads
        let fine = petition_json(r#"{"ons_code":"E14000530","signature_count":3,"name":"A"}"#);
        assert!(typed_document(&fine).is_some());
        assert_eq!(
            Petition::parse(&fine, "p.json").unwrap(),
            through_the_tree(&fine, "p.json").unwrap()
        );
    }

    /// `LooseText` reads what `Loose<String>` reads, from text and from the tree, a missing
    /// key included.
    #[test]
    fn loose_text_is_loose_string() {
        #[derive(Deserialize)]
        struct Both {
            #[serde(rename = "v")]
            loose: Loose<String>,
        }
        #[derive(Deserialize)]
        struct Text {
            v: LooseText,
        }
        for value in [
            r#""text""#,
            r#""t\u00e9xt""#,
            "null",
            "3",
            "-2.5",
            "true",
            r#"["a", {"b": [1]}]"#,
            r#"{"a": "b"}"#,
            "",
        ] {
            let doc = if value.is_empty() {
                "{}".to_string()
            } else {
                format!(r#"{{"v": {value}}}"#)
            };
            let expected = serde_json::from_str::<Both>(&doc).unwrap().loose.0;
            let from_text = serde_json::from_str::<Text>(&doc).unwrap().v.0;
            let tree: Value = serde_json::from_str(&doc).unwrap();
            let from_tree = Text::deserialize(ObjectsOnly(&tree)).unwrap().v.0;
            assert_eq!(from_text, expected, "{doc}");
            assert_eq!(from_tree, expected, "{doc}");
        }
    }

    /// The 269 petitions of ../shared, all read straight and as through the tree.
    #[test]
    #[ignore = "needs ../shared"]
    fn straight_from_the_text_as_through_the_tree_on_real_petitions() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/petitions");
        let (straight, all) = both_paths_agree(&dir);
        assert!(all >= 269, "{all}");
        assert_eq!(straight, all);
    }

    #[test]
    fn parses_minimal_json() {
        let p = Petition::from_reader(
            petition_json(r#"{"name":"A","ons_code":"E14000530","mp":"X","signature_count":4}"#)
                .as_bytes(),
            "p.json",
        )
        .unwrap();
        assert_eq!(
            (p.id, p.total, p.uk_total, p.constituency_sum()),
            (Some(7), 10, 9, 4)
        );
        assert_eq!(p.schema, Schema::Api);
        assert_eq!(
            p.url().unwrap(),
            "https://petition.parliament.uk/petitions/7"
        );
    }

    #[test]
    fn negative_and_fractional_counts_name_the_record() {
        for bad in ["-3", "2.5", "\"7\""] {
            let text = petition_json(&format!(
                r#"{{"ons_code":"E14000530","signature_count":1}},{{"ons_code":"E14000531","signature_count":{bad}}}"#
            ));
            let err = Petition::from_reader(text.as_bytes(), "p.json").unwrap_err();
            assert!(matches!(err, Error::BadField { .. }), "{err:?}");
            assert_eq!(
                err.to_string(),
                format!(
                    "p.json: record 2, field signatures_by_constituency.signature_count: expected a non-negative integer (at most 10^10), found {bad}"
                )
            );
        }
    }

    #[test]
    fn duplicate_keys_are_refused_naming_record_and_key() {
        // See: #15: serde_json keeps the last of two keys silently
        let text = petition_json(
            r#"{"ons_code":"E14000530","signature_count":1},{"ons_code":"E14000531","signature_count":2,"signature_count":900}"#,
        );
        let err = Petition::from_reader(text.as_bytes(), "p.json").unwrap_err();
        assert!(matches!(err, Error::DuplicateKey { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "p.json: record 2, field data.attributes.signatures_by_constituency: duplicate key `signature_count` in one JSON object"
        );
        assert!(err.is_input());
        // at the top of the document
        let text = r#"{"data":{"id":1},"data":{"id":2}}"#;
        let err = Petition::from_reader(text.as_bytes(), "q.json").unwrap_err();
        assert_eq!(
            err.to_string(),
            "q.json: duplicate key `data` in one JSON object"
        );
        // plain malformed JSON is still Error::Json
        let err = Petition::from_reader("{\"data\": [1,}".as_bytes(), "r.json").unwrap_err();
        assert!(matches!(err, Error::Json { .. }), "{err:?}");
    }

    #[test]
    fn a_document_of_another_layout_is_refused_where_it_differs() {
        let fails = |text: &str| {
            Petition::from_reader(text.as_bytes(), "p.json")
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            fails(r#"{"data": 5}"#),
            "p.json: field data: expected an object, found 5"
        );
        // serde would read a struct from an array, its fields in order: not here
        let text = petition_json(r#"["E14000530", 4, null, null]"#);
        assert_eq!(
            fails(&text),
            r#"p.json: record 1, field signatures_by_constituency: expected an object, found ["E14000530",4,null,null]"#
        );
        let text = format!("[{}]", &petition_json("")[8..petition_json("").len() - 1]);
        assert!(fails(&text).starts_with("p.json: expected an object, found [{"));
    }

    #[test]
    fn a_country_listed_twice_is_refused() {
        // See: #15: the second United Kingdom row used to win
        let text = r#"{"data":{"type":"petition","id":7,"attributes":{"action":"T","state":"open",
            "signature_count":10,"signatures_by_country":[{"name":"United Kingdom","code":"GB","signature_count":9},
            {"name":"France","code":"FR","signature_count":1},{"name":"United Kingdom","code":"GB","signature_count":90}],
            "signatures_by_constituency":[{"ons_code":"E14000530","signature_count":4}]}}}"#;
        let err = Petition::from_reader(text.as_bytes(), "p.json").unwrap_err();
        assert!(
            matches!(err, Error::DuplicateCode { first: 1, .. }),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "p.json: record 3, field signatures_by_country.code: duplicate code `GB` (first seen in record 1)"
        );
    }

    #[test]
    fn csv_with_and_without_header() {
        let a = Petition::from_reader("E14000530,3\nE14000531,\"1,204\"\n".as_bytes(), "a.csv")
            .unwrap();
        let b = Petition::from_reader(
            "ons_code,signatures\nE14000530,3\nE14000531,1204\n".as_bytes(),
            "b.csv",
        )
        .unwrap();
        assert_eq!(a.counts, b.counts);
        assert_eq!(a.uk_total, 1207);
        let err =
            Petition::from_reader("code,count\nE14000530,-1\n".as_bytes(), "c.csv").unwrap_err();
        assert_eq!(
            err.to_string(),
            "c.csv: record 1, field count: expected a non-negative integer (at most 10^10), found `-1`"
        );
    }

    #[test]
    fn parse_count_accepts_separators_only() {
        assert_eq!(parse_count("79,557"), Some(79557));
        assert_eq!(parse_count("1,234,567"), Some(1_234_567));
        assert_eq!(parse_count("0"), Some(0));
        assert_eq!(parse_count("12"), Some(12));
        assert_eq!(parse_count("1234567"), Some(1_234_567));
        for bad in [
            "",
            "-1",
            "1.5",
            "1e3",
            "x",
            "10000000001",
            "99999999999999999999999",
            // commas anywhere but between groups of three (#15)
            "12,5",
            "1,2,3",
            ",5",
            "5,",
            "1,,234",
            "1,2345",
            "1234,567",
            "1,234,56",
            "1_000",
            " 12",
            "+5",
        ] {
            assert_eq!(parse_count(bad), None, "{bad}");
        }
    }

    #[test]
    fn misgrouped_counts_are_refused_naming_file_record_and_field() {
        // See: #15
        for bad in ["12,5", "1,2,3", ",5"] {
            let text = format!("code,count\nE14000530,3\nE14000531,\"{bad}\"\n");
            let err = Petition::from_reader(text.as_bytes(), "c.csv").unwrap_err();
            assert!(matches!(err, Error::BadField { .. }), "{err:?}");
            assert_eq!(
                err.to_string(),
                format!(
                    "c.csv: record 2, field count: expected a non-negative integer (at most 10^10), found `{bad}` (a comma separates thousands only between groups of three digits, as in 1,234,567)"
                )
            );
        }
    }
}
