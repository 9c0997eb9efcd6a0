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
pub use moran::{Moran, moran};
pub use permutation::{Engine, Permutations};
pub use regions::{Region, cluster_regions};
pub use smoothing::{empirical_bayes, spatial_empirical_bayes};
pub use summary::{LocalStatsRow, StatsReport};

use crate::error::{Error, Location, Result};
use crate::weights::Weights;
use statrs::distribution::{ContinuousCDF, Normal};

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

/// Checks values against weights: one finite value per area, not all equal.
pub(crate) fn check_values(y: &[f64], w: &Weights) -> Result<()> {
    let at = || Location::file("values");
    if y.len() != w.n() {
        return Err(Error::BadField {
            at: at(),
            expected: "one value per area of the weights",
            found: format!("{} values for {} areas", y.len(), w.n()),
        });
    }
    if y.len() < 4 {
        return Err(Error::BadField {
            at: at(),
            expected: "at least 4 areas (the variances divide by n - 3)",
            found: y.len().to_string(),
        });
    }
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        return Err(Error::BadField {
            at: at().record(i as u64 + 1),
            expected: "a finite number",
            found: y[i].to_string(),
        });
    }
    if y.iter().all(|&v| v == y[0]) {
        return Err(Error::BadField {
            at: at(),
            expected: "values that vary (the statistics divide by the variance)",
            found: format!("every value is {}", y[0]),
        });
    }
    Ok(())
}

/// The weights sums esda calls `s0`, `s1`, `s2`.
pub(crate) struct Sums {
    pub s0: f64,
    pub s1: f64,
    pub s2: f64,
}

impl Sums {
    /// `s0 = Σ w_ij`, `s1 = ½ Σ (w_ij + w_ji)²`, `s2 = Σ_i (w_i· + w_·i)²`, over the sparse
    /// links (a reverse weight is found by binary search in its sorted row).
    pub(crate) fn of(w: &Weights) -> Sums {
        let n = w.n();
        let mut col_sums = vec![0.0; n];
        let mut s1 = 0.0;
        for i in 0..n {
            for (&j, &wij) in w.neighbours(i).iter().zip(w.weights(i)) {
                col_sums[j as usize] += wij;
                let row_j = w.neighbours(j as usize);
                let wji = row_j
                    .binary_search(&(i as u32))
                    .map_or(0.0, |k| w.weights(j as usize)[k]);
                s1 += (wij + wji) * (wij + wji);
                if wji == 0.0 {
                    // the pair (j, i) is not visited from row j: count its term here
                    s1 += wij * wij;
                }
            }
        }
        let s2 = (0..n)
            .map(|i| {
                let row: f64 = w.weights(i).iter().sum();
                (row + col_sums[i]) * (row + col_sums[i])
            })
            .sum();
        Sums {
            s0: w.s0(),
            s1: s1 / 2.0,
            s2,
        }
    }
}
