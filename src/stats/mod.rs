//! Spatial autocorrelation statistics, computed as PySAL's esda 2.9 computes them.
//!
//! Each statistic is a free function of the values and the [`Weights`]
//! (in `Areas` order) and returns a plain result struct whose field names follow esda
//! (`I`, `EI`, `VI_norm`, `z_norm`, `p_norm`, ...). Deterministic values match esda to 1e-9
//! relative on the shipped layers (tests/golden/pysal).
//!
//! p-values copy esda's formulas, one- or two-tailed as esda has them (documented on each
//! field); tails are computed with the normal survival function, so small p-values keep
//! their precision, except General G's `p_norm`, which is esda's literal `1 - Φ(|z|)`.

mod bivariate;
mod esda_engine;
mod fdr;
mod geary;
mod getis_ord;
mod local_g;
mod local_moran;
mod local_pair;
pub(crate) mod memo;
mod moran;
mod permutation;
mod regions;
mod smoothing;
mod summary;

pub use bivariate::{MoranBv, moran_bv, pearson, spearman};
pub use fdr::{benjamini_hochberg, bonferroni, fdr};
pub use geary::{Geary, geary};
pub use getis_ord::{GetisOrd, getis_ord};
pub use local_g::{LocalG, LocalGRow, local_g_star};
pub use local_moran::{ClusterLabel, LocalMoran, LocalMoranRow, Quadrant, local_moran};
pub use local_pair::local_moran_and_g_star;
pub use moran::{Moran, moran};
pub use permutation::{Engine, Permutations};
pub use regions::{Region, cluster_regions};
pub use smoothing::{empirical_bayes, spatial_empirical_bayes};
pub use summary::{LocalStatsRow, StatsReport};

use crate::error::{Error, Location, Result};
use crate::weights::Weights;
use statrs::distribution::{ContinuousCDF, Normal};
use std::sync::Mutex;

/// Upper tail of the standard normal, `P(Z > z)`.
pub(crate) fn normal_sf(z: f64) -> f64 {
    standard_normal().sf(z)
}

/// Lower tail of the standard normal, `P(Z ≤ z)`.
pub(crate) fn normal_cdf(z: f64) -> f64 {
    standard_normal().cdf(z)
}

fn standard_normal() -> Normal {
    Normal::standard()
}

/// esda's "two-tailed" p: the tail beyond `z` on its own side, doubled.
pub(crate) fn two_tailed(z: f64) -> f64 {
    2.0 * if z > 0.0 { normal_sf(z) } else { normal_cdf(z) }
}

/// Checks values against weights: one finite value per area, at least 4 areas, weights
/// with at least one link, values not all equal. Errors point at `values`, record i + 1
/// for value i.
pub(crate) fn check_values(y: &[f64], w: &Weights) -> Result<()> {
    check_values_at(y, w, &by_index)
}

/// The location of value `i` (or of all values) of a bare slice: `values`, record i + 1.
pub(crate) fn by_index(i: Option<usize>) -> Location {
    let at = Location::argument("values");
    match i {
        Some(i) => at.record(i as u64 + 1),
        None => at,
    }
}

/// The values in a range where the statistics' sums cannot overflow or underflow: when the
/// largest magnitude is above 2^64 or below 2^-64 (a value of 1e100 gave fourth powers of
/// inf, 1e200 squares of inf: NaN statistics beside "significant" p-values), every value
/// is multiplied by one power of two that brings the largest into [0.5, 1). Every statistic
/// here is invariant under scaling, and a power of two scales without rounding, so results
/// are those of the values as given; values in range (all real data) are used untouched.
pub(crate) fn in_safe_range(y: &[f64]) -> std::borrow::Cow<'_, [f64]> {
    const LIMIT: f64 = 18_446_744_073_709_551_616.0; // 2^64
    let largest = y.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if !largest.is_finite() || largest == 0.0 || (largest < LIMIT && largest > 1.0 / LIMIT) {
        return std::borrow::Cow::Borrowed(y);
    }
    // largest = f * 2^e with f in [0.5, 1): multiply by 2^-e, in two steps so that neither
    // factor overflows or is subnormal (e is within -1074..=1024)
    let e = largest.log2().floor() as i32 + 1;
    let (a, b) = (-e / 2, -e - (-e / 2));
    let (fa, fb) = (2f64.powi(a), 2f64.powi(b));
    std::borrow::Cow::Owned(y.iter().map(|v| v * fa * fb).collect())
}

/// As [`check_values`], with `at(Some(i))` locating value `i` and `at(None)` all of them.
pub(crate) fn check_values_at(
    y: &[f64],
    w: &Weights,
    at: &dyn Fn(Option<usize>) -> Location,
) -> Result<()> {
    if y.len() != w.n() {
        return Err(Error::InvalidCall {
            call: "sigmap::stats",
            problem: format!("{} values for weights of {} areas", y.len(), w.n()),
        });
    }
    if y.len() < 4 {
        return Err(Error::BadField {
            at: at(None),
            expected: "at least 4 areas (the variances divide by n - 3)",
            found: y.len().to_string(),
        });
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::BadField {
            at: at(Some(i)),
            expected: "a finite number",
            found: y[i].to_string(),
        });
    }
    if w.links() == 0 {
        // every statistic would be 0/0: NaN, and a spurious minimum pseudo p
        return Err(Error::BadField {
            at: Location::argument("weights"),
            expected: NEEDS_LINKS,
            found: format!("no links: each of the {} areas is an island", w.n()),
        });
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(Error::BadField {
            at: at(None),
            expected: "values that vary (the statistics divide by the variance)",
            found: format!("every value is {}", y[0]),
        });
    }
    Ok(())
}

/// What every statistic needs of the weights.
pub(crate) const NEEDS_LINKS: &str =
    "weights that link some areas (every statistic compares areas with their neighbours)";

/// Checks that `y` can be shares of a total, as General G and Gi* need (they divide by
/// `Σy`, and esda's moments assume `y ≥ 0`): no negative value and a positive sum.
/// `at` locates values as in [`check_values_at`]; the negative value named is the first in
/// the input (lowest record); `label(i)` is appended to it in the message (e.g.
/// ` (area E14000530)`).
pub(crate) fn check_shares(
    y: &[f64],
    at: &dyn Fn(Option<usize>) -> Location,
    label: &dyn Fn(usize) -> String,
) -> Result<()> {
    let negatives: Vec<usize> = (0..y.len()).filter(|&i| y[i] < 0.0).collect();
    let record = |i: &usize| at(Some(*i)).record.unwrap_or(*i as u64 + 1);
    if let Some(i) = negatives.iter().min_by_key(|i| record(i)).copied() {
        let negative = negatives.len();
        return Err(Error::BadField {
            at: at(Some(i)),
            expected: "a non-negative value (General G and Gi* are shares of the total)",
            found: format!(
                "{}{}, one of {negative} negative value(s) out of {}",
                y[i],
                label(i),
                y.len()
            ),
        });
    }
    let total: f64 = y.iter().sum();
    if total <= 0.0 || total.is_nan() {
        return Err(Error::BadField {
            at: at(None),
            expected: "values with a positive total (General G and Gi* divide by it)",
            found: format!("a total of {total}"),
        });
    }
    Ok(())
}

/// The weights sums esda calls `s0`, `s1`, `s2` (see [`Weights::s1`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sums {
    pub s0: f64,
    pub s1: f64,
    pub s2: f64,
}

impl Sums {
    /// The sums of `w`, kept for the last weights of each transform: the petitions of a
    /// batch share their layer's weights, and `s1` looks up the reverse of every link.
    pub(crate) fn of(w: &Weights) -> Sums {
        use crate::weights::Transform;
        static LAST: [memo::Memo<Weights, Sums>; 2] = [Mutex::new(None), Mutex::new(None)];
        let memo = match w.transform() {
            Transform::Binary => &LAST[0],
            Transform::Row => &LAST[1],
        };
        *memo::remembered(memo, w, || Sums {
            s0: w.s0(),
            s1: w.s1(),
            s2: w.s2(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::{Contiguity, Transform};

    /// The kept sums are those of the weights asked about: other weights, the same weights
    /// in the other transform, and back again.
    #[test]
    fn kept_sums_are_the_weights_own() {
        let rook = Weights::lattice(4, 5, Contiguity::Rook);
        let queen = Weights::lattice(4, 5, Contiguity::Queen);
        let one_way = Weights::from_neighbours(vec![vec![1], vec![2], vec![0]]);
        for w in [&rook, &queen, &rook, &one_way, &queen, &rook] {
            for w in [
                w.transformed(Transform::Binary),
                w.transformed(Transform::Row),
            ] {
                let Sums { s0, s1, s2 } = Sums::of(&w);
                assert_eq!((s0, s1, s2), (w.s0(), w.s1(), w.s2()));
            }
        }
    }
}
