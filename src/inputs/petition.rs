//! UK Parliament e-petitions: the API's JSON (open, closed, rejected and archived petitions,
//! current and early 2015 schema), a `code,count` CSV, or either on standard input.

use crate::error::{Error, Location, Result};
use crate::inputs::code::{UniqueCodes, code_in};
use serde::Serialize;
use serde_json::Value;
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
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, "read", e))?;
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
    /// [`MAX_PETITION_BYTES`]; otherwise as [`Petition::from_str_named`].
    pub fn from_reader(reader: impl Read, name: &str) -> Result<Petition> {
        let mut text = String::new();
        reader
            .take(MAX_PETITION_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Error::io(name, "read", e))?;
        Petition::from_str_named(&text, name)
    }

    /// Parses a petition from text: JSON if it starts with `{`, otherwise a CSV of
    /// `code,count` (a header row is optional; columns are found by name: `code`/`ons_code`,
    /// `count`/`signature_count`/`signatures`).
    ///
    /// # Examples
    /// ```
    /// use sigmap::Petition;
    /// let p = Petition::from_str_named("code,count\nE14000530,12\nE14000531,0\n", "mine.csv")?;
    /// assert_eq!(p.uk_total, 12);
    /// assert_eq!(p.counts.len(), 2);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Json`] or [`Error::Csv`] for malformed text; [`Error::DuplicateKey`] for a
    /// JSON object that names a key twice (a reader would keep one silently);
    /// [`Error::DuplicateCode`] for a country listed twice; [`Error::MissingField`] for a
    /// petition without `signatures_by_constituency`; [`Error::NoBreakdown`] for a rejected
    /// petition; [`Error::BadField`] for a count that is not a non-negative integer or a
    /// code that is not a string; [`Error::DuplicateCode`] for a code listed twice;
    /// [`Error::Empty`] for an input with no data; [`Error::BadField`] for more than
    /// [`MAX_PETITION_BYTES`].
    pub fn from_str_named(text: &str, name: &str) -> Result<Petition> {
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
    /// let p = Petition::from_str_named("E14000530,3\nS14000021,1\n", "p.csv")?;
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

fn from_json(root: &Value, at: Location) -> Result<Petition> {
    let data = root.get("data").ok_or_else(|| Error::MissingField {
        at: at.clone(),
        field: "data".into(),
    })?;
    let attrs = data.get("attributes").ok_or_else(|| Error::MissingField {
        at: at.clone(),
        field: "data.attributes".into(),
    })?;
    let kind = data
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("petition");
    let archived = kind == "archived-petition";
    let id = data.get("id").and_then(|v| {
        v.as_u64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
    });
    let state = attrs
        .get("state")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_string();
    let text = |key: &str| attrs.get(key).and_then(Value::as_str).map(str::to_string);
    let total = match attrs.get("signature_count") {
        Some(v) => json_count(v, || at.field("signature_count"))?,
        None => {
            return Err(Error::MissingField {
                at,
                field: "data.attributes.signature_count".into(),
            });
        }
    };

    let by_constituency = match attrs.get("signatures_by_constituency") {
        Some(Value::Array(list)) => list,
        Some(Value::Null) | None if state == "rejected" || state == "hidden" => {
            return Err(Error::NoBreakdown {
                at,
                id: id.unwrap_or(0),
                state,
            });
        }
        Some(Value::Null) | None => {
            return Err(Error::MissingField {
                at,
                field: "data.attributes.signatures_by_constituency".into(),
            });
        }
        Some(other) => {
            return Err(Error::BadField {
                at: at.field("signatures_by_constituency"),
                expected: "an array",
                found: short(other),
            });
        }
    };

    let mut counts = Vec::with_capacity(by_constituency.len());
    let mut seen = UniqueCodes::default();
    for (i, item) in by_constituency.iter().enumerate() {
        let record = i as u64 + 1;
        let rec = at.record(record);
        let code = match item.get("ons_code") {
            Some(Value::String(s)) => s.trim().to_string(),
            Some(other) => {
                return Err(Error::BadField {
                    at: rec.field("signatures_by_constituency.ons_code"),
                    expected: "a string",
                    found: short(other),
                });
            }
            None => {
                return Err(Error::MissingField {
                    at: rec,
                    field: "signatures_by_constituency.ons_code".into(),
                });
            }
        };
        let count = match item.get("signature_count") {
            Some(v) => json_count(v, || {
                rec.field("signatures_by_constituency.signature_count")
            })?,
            None => {
                return Err(Error::MissingField {
                    at: rec,
                    field: "signatures_by_constituency.signature_count".into(),
                });
            }
        };
        seen.insert(
            &code,
            record,
            rec.field("signatures_by_constituency.ons_code"),
        )?;
        counts.push(SignatureCount {
            code,
            name: item.get("name").and_then(Value::as_str).map(str::to_string),
            mp: item.get("mp").and_then(Value::as_str).map(str::to_string),
            count,
        });
    }

    // The UK row: `code: "GB"` since 2016, only `name` in the 2015 schema.
    let countries = attrs
        .get("signatures_by_country")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let early = (!countries.is_empty() && countries.iter().all(|c| c.get("code").is_none()))
        || (attrs.get("open_at").is_some() && attrs.get("opened_at").is_none());
    let schema = if early { Schema::Api2015 } else { Schema::Api };
    let mut uk_total = None;
    let mut seen_countries = UniqueCodes::default();
    for (i, c) in countries.iter().enumerate() {
        // a country listed twice: which row counts would be a guess
        let rec = at.record(i as u64 + 1);
        if let Some(code) = c.get("code").and_then(Value::as_str) {
            seen_countries.insert(code, i as u64 + 1, rec.field("signatures_by_country.code"))?;
        } else if let Some(name) = c.get("name").and_then(Value::as_str) {
            seen_countries.insert(name, i as u64 + 1, rec.field("signatures_by_country.name"))?;
        }
        let is_uk = c.get("code").and_then(Value::as_str) == Some("GB")
            || c.get("name").and_then(Value::as_str) == Some("United Kingdom");
        if is_uk {
            let v = c.get("signature_count").unwrap_or(&Value::Null);
            let field = at
                .record(i as u64 + 1)
                .field("signatures_by_country.signature_count");
            uk_total = Some(json_count(v, || field)?);
        }
    }
    let parliament = attrs
        .get("parliament")
        .or_else(|| data.get("parliament"))
        .and_then(|p| p.get("period"))
        .and_then(Value::as_str)
        .map(str::to_string);

    Ok(Petition {
        id,
        title: text("action").unwrap_or_default(),
        state,
        archived,
        parliament,
        total,
        // No UK row (no UK signature yet, or a trimmed document): the constituencies are
        // the best lower bound, flagged as such.
        uk_total: uk_total.unwrap_or_else(|| counts.iter().map(|c| c.count).sum()),
        uk_total_published: uk_total.is_some(),
        opened_at: text("opened_at").or_else(|| text("open_at")),
        updated_at: text("updated_at"),
        schema,
        counts,
        source: at.to_string(),
        crosswalk: None,
    })
}

fn from_csv(text: &str, at: Location) -> Result<Petition> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = reader.records();
    let first = match rows.next() {
        Some(r) => r.map_err(|source| Error::Csv {
            at: at.clone(),
            source,
        })?,
        None => {
            return Err(Error::Empty {
                at,
                what: "the CSV",
            });
        }
    };
    // A header row names a code or count column; anything else is data (so a malformed
    // first row is an error, never silently skipped).
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
    let find = |names: &[&str]| {
        first
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    };
    let is_header = find(CODE_NAMES).is_some() || find(COUNT_NAMES).is_some();
    let (code_col, count_col) = if is_header {
        (
            find(CODE_NAMES).unwrap_or(0),
            find(COUNT_NAMES).unwrap_or(1),
        )
    } else {
        (0, 1)
    };
    let header_names: Vec<String> = if is_header {
        first.iter().map(str::to_string).collect()
    } else {
        vec!["code".into(), "count".into()]
    };
    let col_name = |i: usize| {
        header_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    };

    let mut counts = Vec::new();
    let mut seen = UniqueCodes::default();
    let data_rows = std::iter::once(Ok(first))
        .filter(|_| !is_header)
        .chain(rows);
    for (i, row) in data_rows.enumerate() {
        let record = i as u64 + 1;
        let row = row.map_err(|source| Error::Csv {
            at: at.record(record),
            source,
        })?;
        if row.iter().all(str::is_empty) {
            continue;
        }
        let rec = at.record(record);
        let code = code_in(&row, code_col, &rec, &col_name(code_col))?;
        let raw = row.get(count_col).ok_or_else(|| Error::MissingField {
            at: rec.clone(),
            field: col_name(count_col),
        })?;
        let count = parse_count(raw).ok_or_else(|| Error::BadField {
            at: rec.field(col_name(count_col)),
            expected: COUNT_EXPECTED,
            found: count_found(raw),
        })?;
        seen.insert(&code, record, rec.field(col_name(code_col)))?;
        counts.push(SignatureCount {
            code,
            name: None,
            mp: None,
            count,
        });
    }
    if counts.is_empty() {
        return Err(Error::Empty {
            at,
            what: "the CSV",
        });
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
            found: short(v),
        })
}

/// One step of a path into a JSON document.
enum Step {
    Key(String),
    Index(usize),
}

/// Parses JSON like `serde_json::from_str::<Value>`, but an object that names a key twice
/// is [`Error::DuplicateKey`] (serde_json keeps the last silently), located by the record
/// (the innermost array element, 1-based) and the path of keys.
fn strict_json(text: &str, at: &Location) -> Result<Value> {
    use serde::de::DeserializeSeed;
    let dup = std::cell::RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = Strict { dup: &dup }
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v));
    match parsed {
        Ok(v) => Ok(v),
        Err(source) => match dup.into_inner() {
            // steps from the inside out
            Some(mut steps) => {
                steps.reverse();
                let Some(Step::Key(key)) = steps.pop() else {
                    return Err(Error::Json {
                        at: at.clone(),
                        source,
                    });
                };
                let record = steps.iter().rev().find_map(|s| match s {
                    Step::Index(i) => Some(*i as u64 + 1),
                    Step::Key(_) => None,
                });
                let path: Vec<&str> = steps
                    .iter()
                    .filter_map(|s| match s {
                        Step::Key(k) => Some(k.as_str()),
                        Step::Index(_) => None,
                    })
                    .collect();
                let mut loc = at.clone();
                if let Some(r) = record {
                    loc = loc.record(r);
                }
                if !path.is_empty() {
                    loc = loc.field(path.join("."));
                }
                Err(Error::DuplicateKey {
                    at: loc,
                    key: key
                        .chars()
                        .take(40)
                        .collect::<String>()
                        .escape_debug()
                        .to_string(),
                })
            }
            None => Err(Error::Json {
                at: at.clone(),
                source,
            }),
        },
    }
}

/// A JSON value read by [`strict_json`]: on a duplicate key, `dup` gets the path to it,
/// innermost step first.
struct Strict<'a> {
    dup: &'a std::cell::RefCell<Option<Vec<Step>>>,
}

impl Strict<'_> {
    fn mark(&self, step: Step) {
        if let Some(steps) = self.dup.borrow_mut().as_mut() {
            steps.push(step);
        }
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Strict<'_> {
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
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Value, D::Error> {
        serde::de::DeserializeSeed::deserialize(self, d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        loop {
            match seq.next_element_seed(Strict { dup: self.dup }) {
                Ok(Some(v)) => out.push(v),
                Ok(None) => return Ok(Value::Array(out)),
                Err(e) => {
                    self.mark(Step::Index(out.len()));
                    return Err(e);
                }
            }
        }
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = match map.next_value_seed(Strict { dup: self.dup }) {
                Ok(v) => v,
                Err(e) => {
                    self.mark(Step::Key(key));
                    return Err(e);
                }
            };
            if out.contains_key(&key) {
                *self.dup.borrow_mut() = Some(vec![Step::Key(key)]);
                return Err(serde::de::Error::custom("duplicate key"));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// A JSON value, shortened for a message.
fn short(v: &Value) -> String {
    match v {
        // not serialised whole first: a string may be 200 MB
        Value::String(s) => format!("\"{}\"", crate::text::excerpt(s)),
        _ => crate::text::excerpt(&v.to_string()),
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

    #[test]
    fn parses_minimal_json() {
        let p = Petition::from_str_named(
            &petition_json(r#"{"name":"A","ons_code":"E14000530","mp":"X","signature_count":4}"#),
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
            let err = Petition::from_str_named(&text, "p.json").unwrap_err();
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
        let err = Petition::from_str_named(&text, "p.json").unwrap_err();
        assert!(matches!(err, Error::DuplicateKey { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            "p.json: record 2, field data.attributes.signatures_by_constituency: duplicate key `signature_count` in one JSON object"
        );
        assert!(err.is_input());
        // at the top of the document
        let text = r#"{"data":{"id":1},"data":{"id":2}}"#;
        let err = Petition::from_str_named(text, "q.json").unwrap_err();
        assert_eq!(
            err.to_string(),
            "q.json: duplicate key `data` in one JSON object"
        );
        // plain malformed JSON is still Error::Json
        let err = Petition::from_str_named("{\"data\": [1,}", "r.json").unwrap_err();
        assert!(matches!(err, Error::Json { .. }), "{err:?}");
    }

    #[test]
    fn a_country_listed_twice_is_refused() {
        // See: #15: the second United Kingdom row used to win
        let text = r#"{"data":{"type":"petition","id":7,"attributes":{"action":"T","state":"open",
            "signature_count":10,"signatures_by_country":[{"name":"United Kingdom","code":"GB","signature_count":9},
            {"name":"France","code":"FR","signature_count":1},{"name":"United Kingdom","code":"GB","signature_count":90}],
            "signatures_by_constituency":[{"ons_code":"E14000530","signature_count":4}]}}}"#;
        let err = Petition::from_str_named(text, "p.json").unwrap_err();
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
        let a = Petition::from_str_named("E14000530,3\nE14000531,\"1,204\"\n", "a.csv").unwrap();
        let b = Petition::from_str_named(
            "ons_code,signatures\nE14000530,3\nE14000531,1204\n",
            "b.csv",
        )
        .unwrap();
        assert_eq!(a.counts, b.counts);
        assert_eq!(a.uk_total, 1207);
        let err = Petition::from_str_named("code,count\nE14000530,-1\n", "c.csv").unwrap_err();
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
            let err = Petition::from_str_named(&text, "c.csv").unwrap_err();
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
