//! The columns of `areas.csv`, listed once: their names, types and meanings, and how each
//! is read from a [`Record`]. The CSV, the GeoJSON, TopoJSON and HexJSON properties, the
//! Parquet file and the polars DataFrame are all made from [`COLUMNS`].

use crate::table::analysis::{Record, SeatAnalysis, SeatSpatial};
use crate::table::join::Row;
use crate::table::unusual::Excess;
use serde::ser::{Serialize, SerializeStruct, Serializer};

/// The type of a column's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ColumnType {
    /// Text.
    Str,
    /// A count.
    U64,
    /// A rank, or a small code.
    U32,
    /// A rate, share, statistic or p-value.
    F64,
    /// A flag.
    Bool,
}

/// One value of a column.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Value<'a> {
    /// Empty: an empty CSV field, JSON `null`, a Parquet null.
    Null,
    /// Text.
    Str(&'a str),
    /// A count.
    U64(u64),
    /// A rank or small code.
    U32(u32),
    /// A number.
    F64(f64),
    /// A flag.
    Bool(bool),
}

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Value::Null => s.serialize_none(),
            Value::Str(v) => s.serialize_str(v),
            Value::U64(v) => s.serialize_u64(v),
            Value::U32(v) => s.serialize_u32(v),
            Value::F64(v) => s.serialize_f64(v),
            Value::Bool(v) => s.serialize_bool(v),
        }
    }
}

impl<'a, T: Into<Value<'a>>> From<Option<T>> for Value<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Str(v)
    }
}

impl From<u64> for Value<'_> {
    fn from(v: u64) -> Self {
        Value::U64(v)
    }
}

impl From<u32> for Value<'_> {
    fn from(v: u32) -> Self {
        Value::U32(v)
    }
}

impl From<f64> for Value<'_> {
    fn from(v: f64) -> Self {
        Value::F64(v)
    }
}

impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

/// One output column.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Column {
    /// Its name in every output (a CSV header, a GeoJSON property, a Parquet column).
    pub name: &'static str,
    /// The type of its values.
    pub ty: ColumnType,
    /// Whether a value may be empty.
    pub nullable: bool,
    /// What it holds.
    pub doc: &'static str,
    get: for<'a> fn(&'a Row, Option<&'a SeatAnalysis>) -> Value<'a>,
}

impl Column {
    /// The column's value for a row and its analysis (none: the analysis columns are empty).
    pub fn value<'a>(&self, row: &'a Row, seat: Option<&'a SeatAnalysis>) -> Value<'a> {
        (self.get)(row, seat)
    }
}

impl<'a> Record<'a> {
    /// The value of one column.
    pub fn value(&self, column: &Column) -> Value<'a> {
        column.value(self.row, self.seat)
    }
}

impl Serialize for Record<'_> {
    /// The columns in order, as a struct (CSV: a header and a record; JSON: an object).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Record", COLUMNS.len())?;
        for c in COLUMNS {
            st.serialize_field(c.name, &self.value(c))?;
        }
        st.end()
    }
}

macro_rules! col {
    ($name:literal, $ty:ident, $nullable:literal, $doc:literal, $get:expr) => {
        Column {
            name: $name,
            ty: ColumnType::$ty,
            nullable: $nullable,
            doc: $doc,
            get: $get,
        }
    };
}

fn excess<'a>(s: Option<&'a SeatAnalysis>, f: fn(&Excess) -> f64) -> Value<'a> {
    s.and_then(|s| s.excess.as_ref()).map(f).into()
}

fn spatial<'a>(s: Option<&'a SeatAnalysis>, f: fn(&SeatSpatial) -> Option<f64>) -> Value<'a> {
    s.and_then(|s| s.spatial.as_ref()).and_then(f).into()
}

/// Every column of `areas.csv`, in order: first what [`Table::join`](crate::Table::join)
/// computes (a [`Row`]), then what a [`Report`](crate::Report) adds (a
/// [`SeatAnalysis`]), empty when the table has no analysis.
///
/// # Examples
/// ```
/// use sigmap::export::{COLUMNS, ColumnType};
/// assert_eq!(COLUMNS[0].name, "code");
/// let lisa = COLUMNS.iter().find(|c| c.name == "lisa_label").unwrap();
/// assert_eq!((lisa.ty, lisa.nullable), (ColumnType::Str, true));
/// ```
#[rustfmt::skip]
pub const COLUMNS: &[Column] = &[
    col!("code", Str, false, "GSS code", |r, _| Value::Str(&r.code)),
    col!("name", Str, false, "Name, as the boundary layer spells it", |r, _| Value::Str(&r.name)),
    col!("mp", Str, true, "The MP named by the petition when its counts were saved", |r, _| r.mp.as_deref().into()),
    col!("signatures", U64, false, "Signatures (0 if the petition did not list the area)", |r, _| r.signatures.into()),
    col!("zero_filled", Bool, false, "True if the petition did not list the area", |r, _| r.zero_filled.into()),
    col!("electorate", U64, false, "Registered electors", |r, _| r.electorate.into()),
    col!("valid_votes", U64, false, "Valid votes at the election", |r, _| r.valid_votes.into()),
    col!("turnout", F64, false, "valid_votes / electorate", |r, _| r.turnout.into()),
    col!("area_km2", F64, false, "Ellipsoidal area, km²", |r, _| r.area_km2.into()),
    col!("density_per_km2", F64, true, "signatures / area_km2 (empty for empty geometry)", |r, _| r.density_per_km2.into()),
    col!("per_1k_electors", F64, false, "1000 · signatures / electorate", |r, _| r.per_1k_electors.into()),
    col!("per_1k_voters", F64, false, "1000 · signatures / valid_votes", |r, _| r.per_1k_voters.into()),
    col!("share_pct", F64, false, "Share of all assigned signatures, %", |r, _| r.share_pct.into()),
    col!("lq", F64, false, "Location quotient", |r, _| r.lq.into()),
    col!("ci95_low_per_1k_electors", F64, false, "Exact Poisson 95% interval on per_1k_electors, lower", |r, _| r.ci95_low_per_1k_electors.into()),
    col!("ci95_high_per_1k_electors", F64, false, "Exact Poisson 95% interval on per_1k_electors, upper", |r, _| r.ci95_high_per_1k_electors.into()),
    col!("ci95_low_per_1k_voters", F64, false, "Exact Poisson 95% interval on per_1k_voters, lower", |r, _| r.ci95_low_per_1k_voters.into()),
    col!("ci95_high_per_1k_voters", F64, false, "Exact Poisson 95% interval on per_1k_voters, upper", |r, _| r.ci95_high_per_1k_voters.into()),
    col!("rank_signatures", U32, false, "Rank by signatures (1 = most)", |r, _| r.rank_signatures.into()),
    col!("percentile_signatures", F64, false, "Percentage of areas with at most this many signatures", |r, _| r.percentile_signatures.into()),
    col!("rank_density_per_km2", U32, true, "Rank by density", |r, _| r.rank_density_per_km2.into()),
    col!("percentile_density_per_km2", F64, true, "Percentile by density", |r, _| r.percentile_density_per_km2.into()),
    col!("rank_per_1k_electors", U32, false, "Rank by signatures per 1,000 electors", |r, _| r.rank_per_1k_electors.into()),
    col!("percentile_per_1k_electors", F64, false, "Percentile by signatures per 1,000 electors", |r, _| r.percentile_per_1k_electors.into()),
    col!("rank_per_1k_voters", U32, false, "Rank by signatures per 1,000 voters", |r, _| r.rank_per_1k_voters.into()),
    col!("percentile_per_1k_voters", F64, false, "Percentile by signatures per 1,000 voters", |r, _| r.percentile_per_1k_voters.into()),
    col!("rank_best_per_1k_voters", U32, true, "Best plausible rank by signatures per 1,000 voters", |_, s| s.and_then(|s| s.rank_interval).map(|i| i.best).into()),
    col!("rank_worst_per_1k_voters", U32, true, "Worst plausible rank by signatures per 1,000 voters", |_, s| s.and_then(|s| s.rank_interval).map(|i| i.worst).into()),
    col!("expected", F64, true, "Signatures expected at the national rate per voter", |_, s| excess(s, |e| e.expected)),
    col!("obs_exp", F64, true, "Observed over expected signatures", |_, s| excess(s, |e| e.ratio)),
    col!("poisson_z", F64, true, "Signed Poisson deviance of observed against expected", |_, s| excess(s, |e| e.poisson_z)),
    col!("poisson_p", F64, true, "Two-sided p-value of the Poisson likelihood-ratio test", |_, s| excess(s, |e| e.poisson_p)),
    col!("unusual_z", F64, true, "Overdispersion-adjusted z-score of observed against expected", |_, s| excess(s, |e| e.z)),
    col!("unusual_p", F64, true, "Two-sided p-value of unusual_z", |_, s| excess(s, |e| e.p)),
    col!("unusual_q", F64, true, "Benjamini-Hochberg adjusted unusual_p", |_, s| excess(s, |e| e.q)),
    col!("unusual", Str, true, "high or low where unusual_q is at most the report's alpha", |_, s| s.and_then(|s| s.excess?.flag).map(|d| d.name()).into()),
    col!("eb_per_1k", F64, true, "Global Empirical Bayes signatures per 1,000 electors", |r, _| r.eb_per_1k.into()),
    col!("seb_per_1k", F64, true, "Spatial Empirical Bayes signatures per 1,000 electors", |_, s| spatial(s, |x| x.seb_per_1k)),
    col!("lisa_i", F64, true, "Local Moran's I of per_1k_voters", |_, s| spatial(s, |x| Some(x.lisa_i))),
    col!("lisa_q", U32, true, "Moran scatterplot quadrant (1 HH, 2 LH, 3 LL, 4 HL)", |_, s| s.and_then(|s| s.spatial).map(|x| u32::from(x.lisa_q)).into()),
    col!("lisa_p_sim", F64, true, "Pseudo p-value of lisa_i (empty for an island)", |_, s| spatial(s, |x| x.lisa_p_sim)),
    col!("lisa_label", Str, true, "Cluster label at the report's significance level", |_, s| s.and_then(|s| s.lisa_label()).map(|l| l.name()).into()),
    col!("gi_star_z", F64, true, "Gi* z-value of per_1k_voters", |_, s| spatial(s, |x| Some(x.gi_star_z))),
    col!("gi_star_p_norm", F64, true, "One-tailed normal p-value of gi_star_z", |_, s| spatial(s, |x| Some(x.gi_star_p_norm))),
    col!("gi_star_p_sim", F64, true, "Pseudo p-value of Gi* (empty for an island)", |_, s| spatial(s, |x| x.gi_star_p_sim)),
];
