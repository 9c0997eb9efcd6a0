use super::esda_engine;
use super::normal_sf;
use super::permutation::{Engine, Permutations, pseudo_p};
use super::{by_index, check_shares, check_values};
use crate::error::Result;
use crate::weights::{Transform, Weights};
use serde::Serialize;

/// Gi* of one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LocalGRow {
    /// `G*_i`: the share of the total in the area and its neighbours.
    pub gi_star: f64,
    /// Expected `G*_i` under the null: `(k_i + 1) / n` for an area with `k_i` neighbours.
    #[doc(alias = "EGs")]
    pub gi_star_expected: f64,
    /// Variance of `G*_i` under the null (esda's `VGs`).
    #[doc(alias = "VGs")]
    pub gi_star_variance: f64,
    /// z-value of `G*_i` under the analytical null:
    /// `(gi_star - gi_star_expected) / √gi_star_variance`.
    pub gi_star_z: f64,
    /// One-tailed normal p-value of `|z|` (esda's `p_norm`).
    pub gi_star_p_norm: f64,
    /// Pseudo p-value from conditional permutations (none without permutations).
    pub gi_star_p_sim: Option<f64>,
}

/// Gi* for every area, in `Areas` order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LocalG {
    /// One row per area.
    pub rows: Vec<LocalGRow>,
    /// The permutations behind `gi_star_p_sim`.
    pub permutations: Permutations,
}

/// The classic Getis-Ord Gi*: binary weights with the area itself included (`w_ii = 1`),
/// `G*_i = Σ_j w_ij y_j / Σ y`, z-scores against the analytical mean and variance, and
/// pseudo p-values by conditional permutation of the neighbours.
///
/// Like General G ([`super::getis_ord`]), `G*_i` is a share of the total, so the values must
/// be non-negative with a positive sum: with a zero sum every z is 0/0, and with negative
/// values esda's moments (which divide by the squared mean) flip or lose their meaning.
///
/// # Examples
/// ```
/// use sigmap::stats::{Permutations, local_g_star};
/// use sigmap::{Contiguity, Weights};
/// let w = Weights::lattice(5, 5, Contiguity::Queen);
/// // a hot corner
/// let y: Vec<f64> = (0..25).map(|i| if i % 5 < 2 && i / 5 < 2 { 10.0 } else { 1.0 }).collect();
/// let gi = local_g_star(&y, &w, Permutations::new(999))?;
/// let corner = &gi.rows[0];
/// assert_eq!(corner.gi_star_expected, 4.0 / 25.0); // itself and 3 neighbours
/// assert!(corner.gi_star > corner.gi_star_expected && corner.gi_star_z > 2.0);
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// As [`super::moran`], and [`crate::Error::BadField`] if a value is negative or the values
/// sum to 0.
///
/// # References
/// Getis and Ord (1992); Ord and Getis (1995). `G*_i`, its expectation and variance
/// (`EGs`, `VGs`), z and `p_norm` match `esda.G_Local(y, w, transform="B", star=True)`
/// (esda 2.9) to 1e-9; pseudo p-values agree with esda's to Monte Carlo error, or equal
/// esda's `p_sim` (in float64: esda keeps it as float32) for the same `seed` with
/// [`super::Engine::Esda`].
pub fn local_g_star(y: &[f64], w: &Weights, perms: Permutations) -> Result<LocalG> {
    check_values(y, w)?;
    check_shares(y, &by_index, &|_| String::new())?;
    let scaled = super::in_safe_range(y);
    let y: &[f64] = &scaled;
    esda_engine::check_seed(perms)?;
    let w = w.transformed(Transform::Binary);
    let n = y.len();
    let nf = n as f64;
    let total: f64 = y.iter().sum();
    let mean = total / nf;
    let var = y.iter().map(|v| v * v).sum::<f64>() / nf - mean * mean;
    let lag = w.lag(y);
    let card = w.cardinalities();
    let gs: Vec<f64> = (0..n).map(|i| (lag[i] + y[i]) / total).collect();
    let p_sim = if perms.engine == Engine::Esda {
        // esda's G*_i to the bit, and its simulated statistic
        let (e_gs, e_total) = esda_engine::g_star_observed(y, &w);
        esda_engine::local_pseudo_p(
            &w,
            y,
            &e_gs,
            perms,
            esda_engine::LocalStatistic::GStar { scaling: e_total },
        )
    } else {
        pseudo_p(&card, &gs, perms, y, |i, sum| (sum + y[i]) / total)
    };
    let rows = (0..n)
        .map(|i| {
            // the area counts itself: cardinality + 1
            let c = card[i] as f64 + 1.0;
            let expected = c / nf;
            let variance = c * (nf - c) / (nf - 1.0) * (1.0 / (nf * nf)) * (var / (mean * mean));
            let z = (gs[i] - expected) / variance.sqrt();
            LocalGRow {
                gi_star: gs[i],
                gi_star_expected: expected,
                gi_star_variance: variance,
                gi_star_z: z,
                gi_star_p_norm: normal_sf(z.abs()),
                gi_star_p_sim: p_sim[i],
            }
        })
        .collect();
    Ok(LocalG {
        rows,
        permutations: perms,
    })
}
