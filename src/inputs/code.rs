//! Westminster constituency code sets and vintage detection.
//!
//! Two sets of 650 seats are in use: the 2010 set (used at the 2010-2019 elections) and the
//! 2024 set. Five Scottish codes belong to both, so a vintage is always detected from all
//! the codes of an input, never from one.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// A set of Westminster constituencies (boundaries and codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Vintage {
    /// The 650 seats used at the 2010, 2015, 2017 and 2019 general elections
    /// (ONS PCON10..PCON22 codes).
    #[serde(rename = "2010")]
    Pcon2010,
    /// The 650 seats used from the 2024 general election (ONS PCON24 codes).
    #[serde(rename = "2024")]
    Pcon2024,
}

/// Scottish seats in the 2024 set: five codes kept from 2010 and S14000060..=S14000111.
const SCOTLAND_2024_KEPT: [u32; 5] = [21, 27, 45, 48, 51];

impl Vintage {
    /// Both vintages, oldest first.
    pub const ALL: [Vintage; 2] = [Vintage::Pcon2010, Vintage::Pcon2024];

    /// The year the set was first used, as a label: `"2010"` or `"2024"`.
    pub fn label(self) -> &'static str {
        match self {
            Vintage::Pcon2010 => "2010",
            Vintage::Pcon2024 => "2024",
        }
    }

    /// The general election fought on these boundaries whose results ship with sigmap.
    pub fn election(self) -> &'static str {
        match self {
            Vintage::Pcon2010 => "GE2019",
            Vintage::Pcon2024 => "GE2024",
        }
    }

    /// Is `code` one of this set's 650 codes?
    ///
    /// # Examples
    /// ```
    /// use sigmap::Vintage;
    /// assert!(Vintage::Pcon2010.contains("E14000530"));
    /// assert!(!Vintage::Pcon2024.contains("E14000530"));
    /// // kept by five Scottish seats in both sets
    /// assert!(Vintage::Pcon2010.contains("S14000021") && Vintage::Pcon2024.contains("S14000021"));
    /// ```
    pub fn contains(self, code: &str) -> bool {
        let Some((prefix, n)) = split_code(code) else {
            return false;
        };
        match (self, prefix) {
            (Vintage::Pcon2010, "E14") => (530..=1062).contains(&n),
            (Vintage::Pcon2010, "W07") => (41..=80).contains(&n),
            (Vintage::Pcon2010, "S14") => (1..=59).contains(&n),
            (Vintage::Pcon2010, "N06") => (1..=18).contains(&n),
            (Vintage::Pcon2024, "E14") => (1063..=1605).contains(&n),
            (Vintage::Pcon2024, "W07") => (81..=112).contains(&n),
            (Vintage::Pcon2024, "S14") => {
                (60..=111).contains(&n) || SCOTLAND_2024_KEPT.contains(&n)
            }
            (Vintage::Pcon2024, "N05") => (1..=18).contains(&n),
            _ => false,
        }
    }

    /// All 650 codes of the set, sorted.
    ///
    /// ```
    /// use sigmap::Vintage;
    /// for v in Vintage::ALL {
    ///     let codes = v.codes();
    ///     assert_eq!(codes.len(), 650);
    ///     assert!(codes.iter().all(|c| v.contains(c)));
    /// }
    /// ```
    pub fn codes(self) -> Vec<String> {
        let ranges: &[(&str, std::ops::RangeInclusive<u32>)] = match self {
            Vintage::Pcon2010 => &[
                ("E14", 530..=1062),
                ("N06", 1..=18),
                ("S14", 1..=59),
                ("W07", 41..=80),
            ],
            Vintage::Pcon2024 => &[
                ("E14", 1063..=1605),
                ("N05", 1..=18),
                ("S14", 1..=111),
                ("W07", 81..=112),
            ],
        };
        ranges
            .iter()
            .flat_map(|(p, r)| r.clone().map(move |n| format!("{p}{n:06}")))
            .filter(|c| self.contains(c))
            .collect()
    }

    /// Detects the vintage of a list of codes.
    ///
    /// The vintage is the set that holds the most codes that belong to one set only; codes
    /// outside it are returned as `unknown`. When every known code belongs to both sets (the
    /// five kept Scottish seats) or both sets are equally represented, `hint` decides, and
    /// without a hint the result is `None`.
    ///
    /// # Examples
    /// ```
    /// use sigmap::Vintage;
    /// let d = Vintage::detect(["E14000530", "S14000021", "X99"], None);
    /// assert_eq!(d.vintage, Some(Vintage::Pcon2010));
    /// assert_eq!(d.unknown, vec!["X99".to_string()]);
    /// assert_eq!(Vintage::detect(["S14000021"], None).vintage, None);
    /// ```
    pub fn detect<'a>(
        codes: impl IntoIterator<Item = &'a str>,
        hint: Option<Vintage>,
    ) -> VintageDetection {
        let codes: Vec<&str> = codes.into_iter().collect();
        let only = |v: Vintage| {
            codes
                .iter()
                .filter(|c| v.contains(c) && Vintage::ALL.iter().all(|&o| o == v || !o.contains(c)))
                .count()
        };
        let (only_2010, only_2024) = (only(Vintage::Pcon2010), only(Vintage::Pcon2024));
        let vintage = match only_2010.cmp(&only_2024) {
            std::cmp::Ordering::Greater => Some(Vintage::Pcon2010),
            std::cmp::Ordering::Less => Some(Vintage::Pcon2024),
            // a tie: only shared codes, or as many of one set as of the other
            std::cmp::Ordering::Equal => {
                let any_known = codes
                    .iter()
                    .any(|c| Vintage::ALL.iter().any(|v| v.contains(c)));
                if any_known { hint } else { None }
            }
        };
        let mut unknown: Vec<String> = codes
            .iter()
            .filter(|c| match vintage {
                Some(v) => !v.contains(c),
                None => !Vintage::ALL.iter().any(|v| v.contains(c)),
            })
            .map(|c| c.to_string())
            .collect();
        unknown.sort();
        VintageDetection {
            vintage,
            only_2010,
            only_2024,
            unknown,
        }
    }
}

impl fmt::Display for Vintage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.label())
    }
}

impl std::str::FromStr for Vintage {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "2010" | "pcon2010" => Ok(Vintage::Pcon2010),
            "2024" | "pcon2024" => Ok(Vintage::Pcon2024),
            _ => Err(format!("unknown vintage `{s}` (expected 2010 or 2024)")),
        }
    }
}

/// The outcome of [`Vintage::detect`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct VintageDetection {
    /// The detected set, if the codes decide it.
    pub vintage: Option<Vintage>,
    /// Codes that belong to the 2010 set only.
    pub only_2010: usize,
    /// Codes that belong to the 2024 set only.
    pub only_2024: usize,
    /// Codes outside the detected set (or outside both, if none was detected), sorted.
    pub unknown: Vec<String>,
}

/// Codes seen so far in an input, with the record each was first seen in: a second
/// occurrence is a [`crate::Error::DuplicateCode`] naming both records. Codes are borrowed
/// from the input where they outlive the check ([`UniqueCodes::insert_borrowed`]), and a
/// duplicate's location is only made when there is one: a petition checks 650 codes.
#[derive(Debug, Default)]
pub(crate) struct UniqueCodes<'a>(std::collections::HashMap<Cow<'a, str>, u64>);

impl<'a> UniqueCodes<'a> {
    /// Records `code` at `record` (1-based); `at` is where a duplicate is reported.
    pub(crate) fn insert(
        &mut self,
        code: &str,
        record: u64,
        at: impl FnOnce() -> crate::Location,
    ) -> crate::Result<()> {
        self.check(Cow::Owned(code.to_owned()), record, at)
    }

    /// [`UniqueCodes::insert`] of a code that outlives the check, not copied.
    pub(crate) fn insert_borrowed(
        &mut self,
        code: &'a str,
        record: u64,
        at: impl FnOnce() -> crate::Location,
    ) -> crate::Result<()> {
        self.check(Cow::Borrowed(code), record, at)
    }

    fn check(
        &mut self,
        code: Cow<'a, str>,
        record: u64,
        at: impl FnOnce() -> crate::Location,
    ) -> crate::Result<()> {
        match self.0.entry(code) {
            std::collections::hash_map::Entry::Occupied(first) => {
                Err(crate::Error::DuplicateCode {
                    at: at(),
                    code: first.key().to_string(),
                    first: *first.get(),
                })
            }
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(record);
                Ok(())
            }
        }
    }
}

/// The code in column `col` of a CSV row, which must be present and not empty; `at` is the
/// row's location and `field` the column's name, for the error.
pub(crate) fn code_in(
    row: &csv::StringRecord,
    col: usize,
    at: &crate::Location,
    field: &str,
) -> crate::Result<String> {
    match row.get(col) {
        Some(code) if !code.is_empty() => Ok(code.to_string()),
        _ => Err(crate::Error::MissingField {
            at: at.clone(),
            field: field.to_string(),
        }),
    }
}

/// Does `s` look like a GSS area code (a letter, two digits, six digits: `E14000530`)?
pub(crate) fn is_gss_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

fn split_code(code: &str) -> Option<(&str, u32)> {
    if !is_gss_code(code) {
        return None;
    }
    Some((&code[..3], code[3..].parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_have_650_codes_and_share_five() {
        let a = Vintage::Pcon2010.codes();
        let b = Vintage::Pcon2024.codes();
        assert_eq!((a.len(), b.len()), (650, 650));
        let shared: Vec<_> = a.iter().filter(|c| b.contains(c)).collect();
        assert_eq!(
            shared,
            [
                "S14000021",
                "S14000027",
                "S14000045",
                "S14000048",
                "S14000051"
            ]
        );
    }

    #[test]
    fn detect_majority_and_mixed() {
        let d = Vintage::detect(["E14001063", "E14001064", "E14000530"], None);
        assert_eq!(d.vintage, Some(Vintage::Pcon2024));
        assert_eq!(d.unknown, ["E14000530"]);
        let d = Vintage::detect(["S14000021"], Some(Vintage::Pcon2024));
        assert_eq!(d.vintage, Some(Vintage::Pcon2024));
        let d = Vintage::detect(["nonsense"], None);
        assert_eq!(d.vintage, None);
        assert_eq!(d.unknown, ["nonsense"]);
    }

    #[test]
    fn malformed_codes_are_in_no_set() {
        for c in ["e14000530", "E1400053", "E14000530 ", "", "E14-00530"] {
            assert!(!Vintage::ALL.iter().any(|v| v.contains(c)), "{c}");
        }
    }
}
