//! Two petitions side by side: do the same seats back both?
//!
//! [`Comparison::new`] correlates two petitions' signatures per 1,000 voters over the seats
//! (Pearson and Spearman), measures the bivariate Moran's I (support for the first petition
//! in a seat against support for the second in its neighbours, as `esda.Moran_BV`), and lists
//! the seats whose ranks differ most.

use crate::error::{Error, Location, Result};
use crate::jobs::report::Report;
use crate::jobs::summary::PetitionInfo;
use crate::stats::{MoranBv, Permutations, moran_bv, pearson, spearman};
use crate::table::metrics::Metric;
use crate::weights::Weights;
use serde::Serialize;

/// How many seats each list of differences holds.
pub const DIFFERENCES: usize = 10;

/// Two petitions compared seat by seat.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Comparison {
    /// The first petition.
    pub a: PetitionInfo,
    /// The second petition.
    pub b: PetitionInfo,
    /// The boundary layer both are on.
    pub layer: String,
    /// Number of seats compared.
    pub seats: usize,
    /// The variable compared.
    pub variable: Metric,
    /// Pearson's correlation of the two rates over the seats (none if one is constant).
    pub pearson: Option<f64>,
    /// Spearman's rank correlation.
    pub spearman: Option<f64>,
    /// Bivariate Moran's I: the first petition's rate against the spatial lag of the
    /// second's (none if one is constant).
    pub moran_bv: Option<MoranBv>,
    /// Seats that rank much higher for the first petition than for the second.
    pub more_for_a: Vec<SeatDifference>,
    /// Seats that rank much higher for the second petition than for the first.
    pub more_for_b: Vec<SeatDifference>,
    /// One sentence for a reader.
    pub headline: String,
}

/// One seat's rates and ranks for both petitions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SeatDifference {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Signatures per 1,000 voters for the first petition.
    pub a_per_1k_voters: f64,
    /// Signatures per 1,000 voters for the second petition.
    pub b_per_1k_voters: f64,
    /// Rank for the first petition (1 = highest).
    pub a_rank: u32,
    /// Rank for the second petition.
    pub b_rank: u32,
}

impl Comparison {
    /// Compares two reports on the same boundary layer (re-express a 2010 petition on the 2024
    /// seats with [`crate::inputs::crosswalk::Crosswalk::apply`] first if they differ).
    ///
    /// # Examples
    /// ```no_run
    /// use sigmap::Comparison;
    /// use sigmap::stats::Permutations;
    /// use sigmap::{Petition, Report};
    /// let a = Report::with_shipped_data(Petition::from_path("data/petitions/petition_241584.json")?)?;
    /// let b = Report::with_shipped_data(Petition::from_path("data/petitions/petition_619781.json")?)?;
    /// let c = Comparison::new(&a, &b, &a.weights, Permutations::new(999))?;
    /// println!("{}", c.headline);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::VintageMismatch`]-like [`Error::BadField`] if the two reports are on
    /// different layers; as [`moran_bv`] for the weights.
    pub fn new(
        a: &Report,
        b: &Report,
        weights: &Weights,
        perms: Permutations,
    ) -> Result<Comparison> {
        if a.table.layer.sha256 != b.table.layer.sha256 || a.table.rows.len() != b.table.rows.len()
        {
            return Err(Error::BadField {
                at: Location::file(&b.petition.source),
                expected: "a petition on the same boundary layer as the first (use --to 2024 to move 2010 counts onto the 2024 seats)",
                found: format!("{} against {}", b.table.layer.name, a.table.layer.name),
            });
        }
        let x = a.table.values(Metric::Per1kVoters);
        let y = b.table.values(Metric::Per1kVoters);
        let x: Vec<f64> = x.into_iter().map(|v| v.unwrap_or(0.0)).collect();
        let y: Vec<f64> = y.into_iter().map(|v| v.unwrap_or(0.0)).collect();
        let bv = match moran_bv(&x, &y, weights, perms) {
            Ok(bv) => Some(bv),
            Err(Error::BadField { .. }) => None,
            Err(e) => return Err(e),
        };
        let seats: Vec<SeatDifference> = a
            .table
            .rows
            .iter()
            .zip(&b.table.rows)
            .map(|(ra, rb)| SeatDifference {
                code: ra.code.clone(),
                name: ra.name.clone(),
                a_per_1k_voters: ra.per_1k_voters,
                b_per_1k_voters: rb.per_1k_voters,
                a_rank: ra.rank_per_1k_voters,
                b_rank: rb.rank_per_1k_voters,
            })
            .collect();
        let gap = |s: &SeatDifference| i64::from(s.b_rank) - i64::from(s.a_rank);
        let mut by_gap: Vec<&SeatDifference> = seats.iter().collect();
        by_gap.sort_by_key(|s| std::cmp::Reverse(gap(s)));
        let more_for_a = by_gap
            .iter()
            .take(DIFFERENCES)
            .filter(|s| gap(s) > 0)
            .map(|s| (*s).clone())
            .collect();
        let more_for_b = by_gap
            .iter()
            .rev()
            .take(DIFFERENCES)
            .filter(|s| gap(s) < 0)
            .map(|s| (*s).clone())
            .collect();
        let (pearson, spearman) = (pearson(&x, &y), spearman(&x, &y));
        let headline = headline(spearman, bv.as_ref());
        Ok(Comparison {
            a: a.summary.petition.clone(),
            b: b.summary.petition.clone(),
            layer: a.table.layer.name.clone(),
            seats: seats.len(),
            variable: Metric::Per1kVoters,
            pearson,
            spearman,
            moran_bv: bv,
            more_for_a,
            more_for_b,
            headline,
        })
    }
}

fn headline(spearman: Option<f64>, bv: Option<&MoranBv>) -> String {
    let Some(rho) = spearman else {
        return "One of the petitions has the same rate in every seat: nothing to compare.".into();
    };
    let strength = match rho.abs() {
        r if r >= 0.7 => "strongly",
        r if r >= 0.4 => "moderately",
        r if r >= 0.2 => "weakly",
        _ => "hardly",
    };
    let direction = if rho >= 0.0 { "the same" } else { "opposite" };
    let mut s = if strength == "hardly" {
        format!(
            "Support for the two petitions is hardly related across seats (Spearman's rho = {rho:.2})"
        )
    } else {
        format!(
            "The two petitions draw {strength} on {direction} seats (Spearman's rho = {rho:.2})"
        )
    };
    if let Some(bv) = bv {
        s.push_str(&format!(", bivariate Moran's I = {:.3}", bv.i));
        if let Some(p) = bv.p_sim {
            s.push_str(&format!(" (pseudo p = {p})"));
        }
    }
    s.push('.');
    s
}
