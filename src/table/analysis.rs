//! What a [`Report`](crate::Report) adds to each seat of a joined [`Table`]: the rank
//! interval, observed against expected support, the spatial Empirical Bayes rate and the
//! local clustering statistics. They live beside the table, never inside its rows: a
//! [`Row`] holds what [`Table::join`] computes, a [`SeatAnalysis`] what the report computes.

use crate::stats::{ClusterLabel, LocalStatsRow};
use crate::table::join::{Row, Table};
use crate::table::ranking::RankInterval;
use crate::table::unusual::Excess;

/// A report's analysis of one seat, in the layer order of the table's rows.
///
/// Each part is `None` only when the report could not compute it for any seat, and the
/// summary says why: no rank intervals were asked for (`--rank-draws 0`), the petition has no
/// signature (no national rate to expect from), or support does not vary (no clustering
/// statistics; see [`Summary::clustering_note`](crate::Summary::clustering_note)).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SeatAnalysis {
    /// The central interval of the seat's rank by signatures per 1,000 voters (see
    /// [`RankSimulation`](crate::RankSimulation)); none with 0 draws.
    pub rank_interval: Option<RankInterval>,
    /// Observed against expected signatures at the national rate per voter (see
    /// [`unusual_support`](crate::unusual_support)); none if the petition has no signature.
    pub excess: Option<Excess>,
    /// Spatial smoothing and local clustering of signatures per 1,000 voters; none when the
    /// report has no clustering section.
    pub spatial: Option<SeatSpatial>,
}

/// The spatial statistics of one seat: spatial Empirical Bayes, local Moran and Gi*.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct SeatSpatial {
    /// Spatial Empirical Bayes (neighbours and self) per 1,000 electors; none where the
    /// neighbourhood has no signature.
    pub seb_per_1k: Option<f64>,
    /// Local Moran's I of `per_1k_voters` (0 for an island, as esda).
    pub lisa_i: f64,
    /// Moran scatterplot quadrant (esda numbering: 1 HH, 2 LH, 3 LL, 4 HL).
    pub lisa_q: u8,
    /// Pseudo p-value of `lisa_i`; none for an island or without permutations.
    pub lisa_p_sim: Option<f64>,
    /// Cluster label at the report's significance level.
    pub lisa_label: ClusterLabel,
    /// Gi* z-value of `per_1k_voters` (binary weights, the seat itself included).
    pub gi_star_z: f64,
    /// One-tailed normal p-value of `gi_star_z`.
    pub gi_star_p_norm: f64,
    /// Pseudo p-value of Gi*; none for an island or without permutations.
    pub gi_star_p_sim: Option<f64>,
}

impl SeatSpatial {
    /// The spatial statistics of a seat from its local statistics and its spatial EB rate
    /// (per elector). None if the local statistics lack Gi* (values that cannot be shares
    /// of a total).
    pub fn new(local: &LocalStatsRow, seb_rate: Option<f64>) -> Option<SeatSpatial> {
        Some(SeatSpatial {
            seb_per_1k: seb_rate.map(|r| 1000.0 * r),
            lisa_i: local.lisa_i,
            lisa_q: local.lisa_q,
            lisa_p_sim: local.lisa_p_sim,
            lisa_label: local.lisa_label,
            gi_star_z: local.gi_star_z?,
            gi_star_p_norm: local.gi_star_p_norm?,
            gi_star_p_sim: local.gi_star_p_sim,
        })
    }
}

impl SeatAnalysis {
    /// The cluster label, if the report has clustering statistics.
    pub fn lisa_label(&self) -> Option<ClusterLabel> {
        self.spatial.map(|s| s.lisa_label)
    }
}

/// A joined table together with a report's analysis of every seat: what a LISA or Gi* map
/// and a seat's profile need. Made by [`Report::analysed`](crate::Report::analysed), or by
/// [`Analysed::new`] from the two parts.
///
/// # Examples
/// ```
/// use sigmap::{Petition, Report};
/// let petition = Petition::from_path("data/petitions/petition_241584.json")?;
/// let report = Report::with_shipped_data(petition)?;
/// let analysed = report.analysed();
/// let (row, seat) = analysed.iter().find(|(r, _)| r.code == "E14000639").unwrap();
/// assert_eq!(row.name, "Cities of London and Westminster");
/// assert!(seat.excess.unwrap().ratio > 3.0);
/// let spatial = seat.spatial.unwrap();
/// assert_eq!(spatial.lisa_label.name(), "High-High");
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Analysed<'a> {
    table: &'a Table,
    seats: &'a [SeatAnalysis],
}

impl<'a> Analysed<'a> {
    /// Pairs a table with the analysis of its seats; none unless there is one analysis per
    /// row.
    pub fn new(table: &'a Table, seats: &'a [SeatAnalysis]) -> Option<Analysed<'a>> {
        (table.rows.len() == seats.len()).then_some(Analysed { table, seats })
    }

    /// The joined table.
    pub fn table(&self) -> &'a Table {
        self.table
    }

    /// The analysis of each seat, in row order.
    pub fn seats(&self) -> &'a [SeatAnalysis] {
        self.seats
    }

    /// Each row with its analysis, in layer order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&'a Row, &'a SeatAnalysis)> + 'a {
        self.table.rows.iter().zip(self.seats)
    }
}

/// What the writers of `areas.csv`, GeoJSON, TopoJSON, HexJSON and Parquet take: a joined
/// table, with or without a report's analysis. Without it, the analysis columns are
/// written empty (CSV), `null` (JSON) or null (Parquet); the columns are always the same,
/// those of [`COLUMNS`](crate::export::COLUMNS).
///
/// The writers take `impl Into<Rows>`: an [`Analysed`] (all columns filled), or
/// [`Rows::joined`] for a bare table. A `&Table` is deliberately not enough: a report's
/// table without its analysis would lose columns without a word, so the choice is spelled
/// out.
///
/// # Examples
/// ```
/// use sigmap::export::{Rows, write_csv};
/// use sigmap::{Areas, Denominators, Petition, Table, Vintage};
/// let table = Table::join(
///     &Petition::from_reader("E14001063,120\n".as_bytes(), "one.csv")?,
///     &Areas::shipped(Vintage::Pcon2024)?,
///     &Denominators::shipped(Vintage::Pcon2024)?,
/// )?;
/// let mut csv = Vec::new();
/// write_csv(Rows::joined(&table), &mut csv)?;
/// let csv = String::from_utf8(csv).unwrap();
/// // the analysis columns are there, empty
/// assert!(csv.lines().next().unwrap().ends_with(",lisa_label,gi_star_z,gi_star_p_norm,gi_star_p_sim"));
/// assert!(csv.lines().nth(1).unwrap().ends_with(",,,,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Rows<'a> {
    table: &'a Table,
    seats: Option<&'a [SeatAnalysis]>,
}

impl<'a> Rows<'a> {
    /// The rows of a table without analysis: the analysis columns empty.
    pub fn joined(table: &'a Table) -> Rows<'a> {
        Rows { table, seats: None }
    }

    /// The joined table.
    pub fn table(&self) -> &'a Table {
        self.table
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.table.rows.len()
    }

    /// True for a table of no area.
    pub fn is_empty(&self) -> bool {
        self.table.rows.is_empty()
    }

    /// The record of row `i`.
    ///
    /// # Panics
    /// If `i` is not below [`Rows::len`].
    pub fn record(&self, i: usize) -> Record<'a> {
        Record {
            row: &self.table.rows[i],
            seat: self.seats.map(|s| &s[i]),
        }
    }

    /// Every record, in layer order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Record<'a>> + 'a {
        let seats = self.seats;
        self.table
            .rows
            .iter()
            .enumerate()
            .map(move |(i, row)| Record {
                row,
                seat: seats.map(|s| &s[i]),
            })
    }
}

impl<'a> From<Analysed<'a>> for Rows<'a> {
    fn from(a: Analysed<'a>) -> Self {
        Rows {
            table: a.table,
            seats: Some(a.seats),
        }
    }
}

/// One area as the writers see it: its row and, from a report, its analysis. Serialises
/// (serde) as the [`COLUMNS`](crate::export::COLUMNS) in order; [`Record::value`]
/// reads one column.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The joined row.
    pub row: &'a Row,
    /// The analysis, if the table came with one.
    pub seat: Option<&'a SeatAnalysis>,
}
