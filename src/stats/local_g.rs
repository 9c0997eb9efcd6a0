use super::check_values;
use super::esda_engine;
use super::normal_sf;
use super::permutation::{Engine, Permutations, pseudo_p};
use crate::error::Result;
use crate::weights::{Transform, Weights};
use serde::Serialize;

/// Gi* of one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LocalGRow {
    /// `G*_i`: the share of the total in the area and its neighbours.
    pub gi_star: f64,
    /// z-value of `G*_i` under the analytical null.
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
/// # Errors
/// As [`super::moran`].
///
/// # References
/// Getis and Ord (1992); Ord and Getis (1995). `G*_i`, z and `p_norm` match
/// `esda.G_Local(y, w, transform="B", star=True)` (esda 2.9) to 1e-9; pseudo p-values
/// agree with esda's to Monte Carlo error, or equal esda's `p_sim` (in float64: esda keeps
/// it as float32) for the same `seed` with [`super::Engine::Esda`].
pub fn local_g_star(y: &[f64], w: &Weights, perms: Permutations) -> Result<LocalG> {
    check_values(y, w)?;
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
        pseudo_p(n, &card, &gs, perms, |i, draws| {
            (draws.iter().map(|&j| y[j as usize]).sum::<f64>() + y[i]) / total
        })
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
