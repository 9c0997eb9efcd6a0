//! Denominators per area: electorate and valid votes at the general election fought on the
//! same boundaries (GE2019 for the 2010 seats, GE2024 for the 2024 seats).
//!
//! Reads the House of Commons Library results CSVs as published (title rows before the
//! header, quoted numbers with thousands separators, a trailing empty column) and plain
//! `code,electorate,valid_votes` files.

use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::areas::Areas;
use crate::inputs::code::{UniqueCodes, Vintage, code_in};
use crate::inputs::petition::{COUNT_EXPECTED, count_found, parse_count};
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

const GE2019: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/elections/ge2019_results.csv"
));
const GE2024: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/elections/ge2024_results.csv"
));

const CODE_COLUMNS: &[&str] = &[
    "ONS ID", "code", "ons_code", "gss_code", "PCON24CD", "PCON19CD",
];
const ELECTORATE_COLUMNS: &[&str] = &["Electorate", "electorate"];
const VALID_VOTES_COLUMNS: &[&str] = &["Valid votes", "valid_votes", "valid votes"];

/// Electorate and valid votes of one area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Denominator {
    /// Registered electors.
    pub electorate: u64,
    /// Valid votes cast (turnout numerator).
    pub valid_votes: u64,
}

/// Denominators keyed by area code.
#[derive(Debug, Clone, PartialEq)]
pub struct Denominators {
    by_code: HashMap<String, Denominator>,
    /// The file read (or the shipped table's name).
    pub source: String,
    /// The constituency set of the codes, if they are exactly one set.
    pub vintage: Option<Vintage>,
    /// The election the figures come from, for the shipped tables (`GE2019`, `GE2024`).
    pub election: Option<&'static str>,
}

impl Denominators {
    /// The shipped House of Commons Library results for the election on these boundaries.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Denominators, Vintage};
    /// let d = Denominators::shipped(Vintage::Pcon2024)?;
    /// assert_eq!(d.len(), 650);
    /// assert_eq!(d.total_electorate(), 48_224_212);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// None in practice: the shipped files are checked by the test suite.
    pub fn shipped(vintage: Vintage) -> Result<Denominators> {
        let mut d = match vintage {
            Vintage::Pcon2010 => Denominators::parse(GE2019.as_bytes(), "ge2019_results.csv")?,
            Vintage::Pcon2024 => Denominators::parse(GE2024.as_bytes(), "ge2024_results.csv")?,
        };
        d.election = Some(vintage.election());
        Ok(d)
    }

    /// Reads a CSV of denominators.
    ///
    /// # Errors
    /// [`Error::Io`], or as [`Denominators::from_reader`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Denominators> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
        // read as bytes: a record that is not UTF-8 is an error naming its record
        Denominators::parse(&bytes, &path.display().to_string())
    }

    /// Reads a CSV of denominators from a reader; `name` is used in messages. The header is the first row that names a code column
    /// (`ONS ID`, `code`, ...), an electorate column (`Electorate`) and a valid-votes column
    /// (`Valid votes`, `valid_votes`); rows above it are skipped.
    ///
    /// # Examples
    /// ```
    /// use sigmap::Denominators;
    /// let csv = "code,electorate,valid_votes\nE14001063,72000,45000\n";
    /// let d = Denominators::from_reader(csv.as_bytes(), "mine.csv")?;
    /// assert_eq!(d.total_electorate(), 72_000);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; [`Error::Csv`]; [`Error::MissingField`] if no header row is found;
    /// [`Error::BadField`] for a number that is not a non-negative integer, a zero
    /// electorate, zero valid votes, or valid votes above the electorate;
    /// [`Error::DuplicateCode`].
    pub fn from_reader(mut reader: impl Read, name: &str) -> Result<Denominators> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(name, IoAction::Read, e))?;
        Denominators::parse(&bytes, name)
    }

    fn parse(bytes: &[u8], name: &str) -> Result<Denominators> {
        let at = Location::file(name);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(bytes);
        // the header (and its row number as the reader counts rows, 0-based), once found:
        // rows before it are notes
        let mut header: Option<(Header, u64)> = None;
        let mut by_code = HashMap::new();
        let mut seen = UniqueCodes::default();
        let mut record = 0u64;
        for row in reader.records() {
            let row = row.map_err(|source| {
                // data records are numbered from 1 after the header, as everywhere else
                match (&header, source.position().map(csv::Position::record)) {
                    (Some((_, h)), Some(r)) if r > *h => Error::Csv {
                        at: at.record(r - h),
                        source,
                    },
                    _ => Error::csv(&at, source),
                }
            })?;
            let Some((h, _)) = &header else {
                header = Header::find(&row).map(|h| (h, row_number(&row)));
                continue;
            };
            record += 1;
            if row.iter().all(str::is_empty) {
                continue;
            }
            let rec = at.record(record);
            let (code, denominator) = h.read(&row, &rec)?;
            seen.insert(&code, record, || rec.field(&h.names[0]))?;
            by_code.insert(code, denominator);
        }
        if header.is_none() {
            return Err(Error::MissingField {
                at,
                field: "a header row with code, electorate and valid votes columns".into(),
            });
        }
        if by_code.is_empty() {
            return Err(Error::Empty {
                at,
                what: "the denominators table",
            });
        }
        let detection = Vintage::detect(by_code.keys().map(String::as_str), None);
        Ok(Denominators {
            by_code,
            source: Path::new(name)
                .file_name()
                .map_or_else(|| name.to_string(), |f| f.to_string_lossy().into_owned()),
            vintage: detection.vintage.filter(|_| detection.unknown.is_empty()),
            election: None,
        })
    }

    /// The denominators of one area.
    pub fn get(&self, code: &str) -> Option<&Denominator> {
        self.by_code.get(code)
    }

    /// Number of areas.
    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    /// True if there are no areas.
    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }

    /// Sum of the electorates.
    pub fn total_electorate(&self) -> u64 {
        self.by_code.values().map(|d| d.electorate).sum()
    }

    /// Checks that every area of the layer has a row.
    ///
    /// # Errors
    /// [`Error::MissingAreas`] listing the codes without one.
    pub fn check_covers(&self, areas: &Areas) -> Result<()> {
        let mut missing: Vec<String> = areas
            .iter()
            .filter(|a| !self.by_code.contains_key(&a.code))
            .map(|a| a.code.clone())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        missing.sort();
        Err(Error::MissingAreas {
            at: Location::file(&self.source),
            codes: missing,
        })
    }
}

/// The row number of a CSV row as the reader counts rows (0-based).
fn row_number(row: &csv::StringRecord) -> u64 {
    row.position().map_or(0, csv::Position::record)
}

/// The header of a denominators table: the positions of the code, electorate and valid
/// votes columns, and the header's own spelling of them (for messages).
struct Header {
    columns: [usize; 3],
    names: [String; 3],
}

impl Header {
    /// The header, if `row` is one (it has all three columns).
    fn find(row: &csv::StringRecord) -> Option<Header> {
        let find = |names: &[&str]| {
            row.iter()
                .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
        };
        let columns = [
            find(CODE_COLUMNS)?,
            find(ELECTORATE_COLUMNS)?,
            find(VALID_VOTES_COLUMNS)?,
        ];
        let names = columns.map(|i| row.get(i).unwrap_or_default().to_string());
        Some(Header { columns, names })
    }

    /// A data row's code and denominators: counts, both positive, valid votes no larger
    /// than the electorate.
    fn read(&self, row: &csv::StringRecord, rec: &Location) -> Result<(String, Denominator)> {
        let [code_col, elec_col, valid_col] = self.columns;
        let [code_name, elec_name, valid_name] = &self.names;
        let code = code_in(row, code_col, rec, code_name)?;
        let number = |col: usize, field: &str| -> Result<u64> {
            let raw = row.get(col).unwrap_or_default();
            parse_count(raw).ok_or_else(|| Error::BadField {
                at: rec.field(field),
                expected: COUNT_EXPECTED,
                found: count_found(raw),
            })
        };
        let electorate = number(elec_col, elec_name)?;
        let valid_votes = number(valid_col, valid_name)?;
        // both are denominators of rates: zero would make a rate undefined
        if electorate == 0 {
            return Err(Error::BadField {
                at: rec.field(elec_name),
                expected: "a positive electorate",
                found: "0".into(),
            });
        }
        if valid_votes == 0 {
            return Err(Error::BadField {
                at: rec.field(valid_name),
                expected: "a positive number of valid votes",
                found: "0".into(),
            });
        }
        if valid_votes > electorate {
            return Err(Error::BadField {
                at: rec.field(valid_name),
                expected: "valid votes no larger than the electorate",
                found: format!("{valid_votes} > {electorate}"),
            });
        }
        Ok((
            code,
            Denominator {
                electorate,
                valid_votes,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_tables_match_published_totals() {
        let d19 = Denominators::shipped(Vintage::Pcon2010).unwrap();
        assert_eq!(d19.len(), 650);
        assert_eq!(d19.vintage, Some(Vintage::Pcon2010));
        assert_eq!(d19.total_electorate(), 47_562_702);
        let valid: u64 = d19.by_code.values().map(|d| d.valid_votes).sum();
        assert_eq!(valid, 32_014_110);
        let d24 = Denominators::shipped(Vintage::Pcon2024).unwrap();
        let valid: u64 = d24.by_code.values().map(|d| d.valid_votes).sum();
        assert_eq!(valid, 28_809_340);
        // "79,557"-style numbers, from the title-rows layout
        assert_eq!(
            d24.get("W07000081"),
            Some(&Denominator {
                electorate: 72_580,
                valid_votes: 35_755
            })
        );
    }

    #[test]
    fn plain_layout_and_errors() {
        let d = Denominators::from_reader(
            "code,electorate,valid_votes\nE1,100,60\n".as_bytes(),
            "d.csv",
        )
        .unwrap();
        assert_eq!(d.get("E1").unwrap().valid_votes, 60);
        let err = Denominators::from_reader(
            "code,electorate,valid_votes\nE1,100,160\n".as_bytes(),
            "d.csv",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "d.csv: record 1, field valid_votes: expected valid votes no larger than the electorate, found 160 > 100"
        );
        let err = Denominators::from_reader("a,b\n1,2\n".as_bytes(), "d.csv").unwrap_err();
        assert!(matches!(err, Error::MissingField { .. }), "{err}");
    }

    #[test]
    fn a_record_that_is_not_utf8_is_named() {
        // See: #15 (the reader dropped the record number)
        let bytes =
            b"Title row\ncode,electorate,valid_votes,name\nE1,100,60,a\nE2,100,60,Ynys M\xf4n\n";
        let err = Denominators::parse(bytes, "d.csv").unwrap_err();
        assert!(matches!(err, Error::Csv { .. }), "{err:?}");
        assert_eq!(err.to_string(), "d.csv: record 2: invalid CSV");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.csv");
        std::fs::write(&path, bytes).unwrap();
        let err = Denominators::from_path(&path).unwrap_err();
        assert!(
            err.to_string().ends_with("d.csv: record 2: invalid CSV"),
            "{err}"
        );
        assert!(err.is_input());
    }

    #[test]
    fn misgrouped_numbers_are_refused() {
        // See: #15
        let err = Denominators::from_reader(
            "code,electorate,valid_votes\nE1,\"72,580\",\"35,755\"\nE2,\"7,2580\",100\n".as_bytes(),
            "d.csv",
        )
        .unwrap_err();
        assert!(
            err.to_string().starts_with(
                "d.csv: record 2, field electorate: expected a non-negative integer (at most 10^10), found `7,2580` (a comma"
            ),
            "{err}"
        );
    }
}
