use super::esda_engine;
use super::normal_sf;
use super::permutation::{Engine, LocalTest, Permutations, pseudo_p_each};
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
    let observed = Observed::new(y, w, perms)?;
    let p_sim = observed.p_sim(perms);
    Ok(observed.with_p_sim(p_sim, perms))
}

/// Gi* of every area before its permutations: what [`local_g_star`] computes from the
/// values, then the pseudo p-values, alone or beside local Moran's from the same draws.
pub(super) struct Observed {
    /// The values, scaled into the safe range.
    y: Vec<f64>,
    /// Binary weights.
    w: Weights,
    /// `Σ y`.
    total: f64,
    /// `G*_i`.
    gs: Vec<f64>,
    /// Neighbours of each area.
    pub(super) card: Vec<usize>,
}

impl Observed {
    /// # Errors
    /// As [`local_g_star`].
    pub(super) fn new(y: &[f64], w: &Weights, perms: Permutations) -> Result<Self> {
        check_values(y, w)?;
        check_shares(y, &by_index, &|_| String::new())?;
        let y = super::in_safe_range(y).into_owned();
        esda_engine::check_seed(perms)?;
        let w = w.transformed(Transform::Binary);
        let total: f64 = y.iter().sum();
        let lag = w.lag(&y);
        let gs = (0..y.len()).map(|i| (lag[i] + y[i]) / total).collect();
        let card = w.cardinalities();
        Ok(Observed {
            y,
            w,
            total,
            gs,
            card,
        })
    }

    /// The conditional permutation test of `G*_i`: sums of `y` over the drawn neighbours.
    pub(super) fn test(&self) -> LocalTest<'_> {
        LocalTest {
            observed: &self.gs,
            values: &self.y,
            finish: Box::new(|i, sum| (sum + self.y[i]) / self.total),
        }
    }

    /// The pseudo p-values of `G*_i` alone.
    pub(super) fn p_sim(&self, perms: Permutations) -> Vec<Option<f64>> {
        if perms.engine == Engine::Esda {
            // esda's G*_i to the bit, and its simulated statistic
            let (e_gs, e_total) = esda_engine::g_star_observed(&self.y, &self.w);
            esda_engine::local_pseudo_p(
                &self.w,
                &self.y,
                &e_gs,
                perms,
                esda_engine::LocalStatistic::GStar { scaling: e_total },
            )
        } else {
            let [p_sim] = pseudo_p_each(&self.card, perms, [self.test()]);
            p_sim
        }
    }

    /// The result, with the pseudo p-values of [`Observed::p_sim`] or [`pseudo_p_each`].
    pub(super) fn with_p_sim(self, p_sim: Vec<Option<f64>>, perms: Permutations) -> LocalG {
        let Observed {
            y, gs, card, total, ..
        } = self;
        let n = y.len();
        let nf = n as f64;
        let mean = total / nf;
        let var = y.iter().map(|v| v * v).sum::<f64>() / nf - mean * mean;
        let rows = (0..n)
            .map(|i| {
                // the area counts itself: cardinality + 1
                let c = card[i] as f64 + 1.0;
                let expected = c / nf;
                let variance =
                    c * (nf - c) / (nf - 1.0) * (1.0 / (nf * nf)) * (var / (mean * mean));
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
        LocalG {
            rows,
            permutations: perms,
        }
    }
}
