use super::{Sums, check_values, normal_cdf, normal_sf};
use crate::error::Result;
use crate::weights::{Transform, Weights};
use serde::Serialize;

/// Geary's C and its moments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Geary {
    /// Geary's C.
    #[serde(rename = "C")]
    #[doc(alias = "C")]
    pub c: f64,
    /// Expected C under the null: 1.
    #[serde(rename = "EC")]
    #[doc(alias = "EC")]
    pub ec: f64,
    /// Variance of C under normality.
    #[serde(rename = "VC_norm")]
    #[doc(alias = "VC_norm")]
    pub vc_norm: f64,
    /// Variance of C under randomisation.
    #[serde(rename = "VC_rand")]
    #[doc(alias = "VC_rand")]
    pub vc_rand: f64,
    /// z-value under normality.
    pub z_norm: f64,
    /// z-value under randomisation.
    pub z_rand: f64,
    /// One-tailed p-value under normality, in the direction of `C - 1` (as esda).
    pub p_norm: f64,
    /// One-tailed p-value under randomisation (as esda).
    pub p_rand: f64,
}

/// Geary's C of `y` with row-standardised weights:
/// `C = (n-1) Σ w_ij (y_i - y_j)² / (2 S0 Σ (y_i - ȳ)²)`.
///
/// # Examples
/// ```
/// use sigmap::stats::geary;
/// use sigmap::{Contiguity, Weights};
/// // neighbours alike (a west-east gradient): C well below its expectation of 1
/// let w = Weights::lattice(4, 4, Contiguity::Rook);
/// let y: Vec<f64> = (0..16).map(|i| (i % 4) as f64).collect();
/// let g = geary(&y, &w)?;
/// assert!(g.c < 0.5 && g.ec == 1.0 && g.p_norm < 0.01);
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// As [`super::moran`].
///
/// # References
/// Matches `esda.Geary(y, w, transformation="r")` (esda 2.9) to 1e-9; its p-values are
/// one-tailed, as esda's are.
pub fn geary(y: &[f64], w: &Weights) -> Result<Geary> {
    check_values(y, w)?;
    let scaled = super::in_safe_range(y);
    let y: &[f64] = &scaled;
    let w = w.transformed(Transform::Row);
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let yd: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let yss: f64 = yd.iter().map(|v| v * v).sum();
    let Sums { s0, s1, s2 } = Sums::of(&w);
    let mut num = 0.0;
    for (i, &yi) in y.iter().enumerate() {
        for (&j, &wij) in w.neighbours(i).iter().zip(w.weights(i)) {
            let d = yi - y[j as usize];
            num += wij * d * d;
        }
    }
    let c = (n - 1.0) * num / (yss * s0 * 2.0);

    let (n2, s02) = (n * n, s0 * s0);
    let k = (yd.iter().map(|v| v.powi(4)).sum::<f64>() / n) / (yss / n).powi(2);
    let a = (n - 1.0) * s1 * (n2 - 3.0 * n + 3.0 - (n - 1.0) * k);
    let b = 0.25 * ((n - 1.0) * s2 * (n2 + 3.0 * n - 6.0 - (n2 - n + 2.0) * k));
    let cc = s02 * (n2 - 3.0 - (n - 1.0).powi(2) * k);
    let vc_rand = (a - b + cc) / (n * (n - 2.0) * (n - 3.0) * s02);
    let vc_norm = (1.0 / (2.0 * (n + 1.0) * s02)) * ((2.0 * s1 + s2) * (n - 1.0) - 4.0 * s02);
    let de = c - 1.0;
    let (z_norm, z_rand) = (de / vc_norm.sqrt(), de / vc_rand.sqrt());
    let tail = |z: f64| {
        if de > 0.0 {
            normal_sf(z)
        } else {
            normal_cdf(z)
        }
    };
    Ok(Geary {
        c,
        ec: 1.0,
        vc_norm,
        vc_rand,
        z_norm,
        z_rand,
        p_norm: tail(z_norm),
        p_rand: tail(z_rand),
    })
}
