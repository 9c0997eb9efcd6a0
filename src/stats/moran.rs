use super::esda_engine;
use super::permutation::{Engine, LANES, Permutations, global_pseudo_p};
use super::{Sums, check_values, two_tailed};
use crate::error::Result;
use crate::weights::{Transform, Weights};
use serde::Serialize;

/// Global Moran's I and its moments under normality and randomisation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Moran {
    /// Moran's I.
    #[serde(rename = "I")]
    #[doc(alias = "I")]
    pub i: f64,
    /// Expected I under the null, `-1/(n-1)`.
    #[serde(rename = "EI")]
    #[doc(alias = "EI")]
    pub ei: f64,
    /// Variance of I under normality.
    #[serde(rename = "VI_norm")]
    #[doc(alias = "VI_norm")]
    pub vi_norm: f64,
    /// Variance of I under randomisation (with the kurtosis term).
    #[serde(rename = "VI_rand")]
    #[doc(alias = "VI_rand")]
    pub vi_rand: f64,
    /// z-value under normality.
    pub z_norm: f64,
    /// z-value under randomisation.
    pub z_rand: f64,
    /// Two-tailed p-value under normality (esda's `p_norm`).
    pub p_norm: f64,
    /// Two-tailed p-value under randomisation (esda's `p_rand`).
    pub p_rand: f64,
    /// Pseudo p-value from `permutations` random permutations of the values (none without).
    pub p_sim: Option<f64>,
    /// The permutations behind `p_sim`.
    pub permutations: Permutations,
    /// Number of areas.
    pub n: usize,
    /// Sum of the (transformed) weights.
    pub s0: f64,
}

/// Global Moran's I of `y` with row-standardised weights.
///
/// `I = n/S0 · Σ z_i (Wz)_i / Σ z_i²` with `z = y - ȳ`; islands have empty rows.
///
/// # Examples
/// ```
/// use sigmap::stats::{Permutations, moran};
/// use sigmap::{Contiguity, Weights};
/// // a 4 x 4 lattice with a west-east gradient: strong positive autocorrelation
/// let w = Weights::lattice(4, 4, Contiguity::Rook);
/// let y: Vec<f64> = (0..16).map(|i| (i % 4) as f64).collect();
/// let m = moran(&y, &w, Permutations::new(999))?;
/// assert!(m.i > 0.5 && m.p_norm < 0.01);
/// assert_eq!(m.p_sim, Some(0.001)); // no permutation does as well
/// assert_eq!(m.ei, -1.0 / 15.0);
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// [`crate::Error::InvalidCall`] if `y` does not have one value per area of `w`;
/// [`crate::Error::BadField`] if a value is not finite, there are fewer than 4 values, they
/// do not vary, or `w` links no areas (every area an island: the statistic would be 0/0);
/// [`crate::Error::BadOption`] if the engine is [`super::Engine::Esda`] and the seed is not
/// below 2^32 (numpy's `np.random.seed` range).
///
/// # References
/// Matches `esda.Moran(y, w, transformation="r")` (esda 2.9) to 1e-9; `p_sim` agrees with
/// esda's to Monte Carlo error (each permutation has its own seeded stream), or, with
/// [`super::Engine::Esda`], equals the `p_sim` of `np.random.seed(seed)` followed by
/// `esda.Moran(y, w, permutations=count)` (esda's global Moran takes no seed and draws
/// `np.random.permutation(z)` from numpy's global stream).
pub fn moran(y: &[f64], w: &Weights, perms: Permutations) -> Result<Moran> {
    check_values(y, w)?;
    let scaled = super::in_safe_range(y);
    let y: &[f64] = &scaled;
    esda_engine::check_seed(perms)?;
    let w = w.transformed(Transform::Row);
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let z: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let z2ss: f64 = z.iter().map(|v| v * v).sum();
    let lag = w.lag(&z);
    let inum: f64 = z.iter().zip(&lag).map(|(a, b)| a * b).sum();
    let Sums { s0, s1, s2 } = Sums::of(&w);
    let i = n / s0 * inum / z2ss;

    let ei = -1.0 / (n - 1.0);
    let (n2, s02) = (n * n, s0 * s0);
    let vi_norm =
        (n2 * s1 - n * s2 + 3.0 * s02) / ((n - 1.0) * (n + 1.0) * s02) - (1.0 / (n - 1.0)).powi(2);
    let k = (z.iter().map(|v| v.powi(4)).sum::<f64>() / n) / (z2ss / n).powi(2);
    let a = n * ((n2 - 3.0 * n + 3.0) * s1 - n * s2 + 3.0 * s02);
    let b = k * ((n2 - n) * s1 - 2.0 * n * s2 + 6.0 * s02);
    let vi_rand = (a - b) / ((n - 1.0) * (n - 2.0) * (n - 3.0) * s02) - ei * ei;
    let z_norm = (i - ei) / vi_norm.sqrt();
    let z_rand = (i - ei) / vi_rand.sqrt();
    // I of a permutation of z: n/S0 Σ z_i (Wz)_i / Σ z² (Σ z² is unchanged)
    let statistic = |z: &[[f64; LANES]]| w.lag_dot(z, z).map(|inum| n / s0 * inum / z2ss);
    let p_sim = if perms.engine == Engine::Esda {
        esda_engine::moran_pseudo_p(y, &w, perms)
    } else {
        global_pseudo_p(&z, i, perms, statistic)
    };
    Ok(Moran {
        i,
        ei,
        vi_norm,
        vi_rand,
        z_norm,
        z_rand,
        p_norm: two_tailed(z_norm),
        p_rand: two_tailed(z_rand),
        p_sim,
        permutations: perms,
        n: y.len(),
        s0,
    })
}
