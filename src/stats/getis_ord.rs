use super::{Sums, by_index, check_shares, check_values, normal_cdf};
use crate::error::Result;
use crate::weights::{Transform, Weights};
use serde::Serialize;

/// Getis-Ord General G and its moments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct GetisOrd {
    /// General G.
    #[serde(rename = "G")]
    #[doc(alias = "G")]
    pub g: f64,
    /// Expected G under the null.
    #[serde(rename = "EG")]
    #[doc(alias = "EG")]
    pub eg: f64,
    /// Variance of G.
    #[serde(rename = "VG")]
    #[doc(alias = "VG")]
    pub vg: f64,
    /// z-value.
    pub z_norm: f64,
    /// esda's literal `1 - Φ(|z|)`: one-tailed, and it loses precision below ~1e-16.
    pub p_norm: f64,
}

/// General G of non-negative `y` with binary weights (esda forces them):
/// `G = Σ_ij w_ij y_i y_j / Σ_{i≠j} y_i y_j`.
///
/// G is the share of all cross-products `y_i y_j` that falls on neighbouring pairs, so it
/// needs values that can be shares: with a negative value G can be negative or above 1 and
/// its moments mean nothing, and with a zero total it is 0/0. Such values are refused
/// rather than given a NaN; Moran's I and Geary's C take any values.
///
/// # Examples
/// ```
/// use sigmap::stats::getis_ord;
/// use sigmap::{Contiguity, Weights};
/// let w = Weights::lattice(4, 4, Contiguity::Rook);
/// // high values bunched in one corner: G above its expectation
/// let y: Vec<f64> = (0..16).map(|i| if i % 4 < 2 && i / 4 < 2 { 9.0 } else { 1.0 }).collect();
/// let g = getis_ord(&y, &w)?;
/// assert!(g.g > g.eg && g.z_norm > 0.0);
/// // a negative value is refused, naming it (value 3 = record 3)
/// let mut negative = y.clone();
/// negative[2] = -1.0;
/// let err = getis_ord(&negative, &w).unwrap_err();
/// assert!(err.to_string().starts_with("argument values: record 3: expected a non-negative value"));
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// As [`super::moran`], and [`crate::Error::BadField`] if a value is negative or the values
/// sum to 0.
///
/// # References
/// Matches `esda.G(y, w)` (esda 2.9) to 1e-9.
pub fn getis_ord(y: &[f64], w: &Weights) -> Result<GetisOrd> {
    check_values(y, w)?;
    check_shares(y, &by_index, &|_| String::new())?;
    let scaled = super::in_safe_range(y);
    let y: &[f64] = &scaled;
    let w = w.transformed(Transform::Binary);
    let n = y.len() as f64;
    let Sums { s0, s1, s2 } = Sums::of(&w);
    let sum = |p: i32| y.iter().map(|v| v.powi(p)).sum::<f64>();
    let (sy, sy2, sy3, sy4) = (sum(1), sum(2), sum(3), sum(4));
    let lag = w.lag(y);
    let num: f64 = y.iter().zip(&lag).map(|(a, b)| a * b).sum();
    let den = sy * sy - sy2;
    let g = num / den;

    let (n2, s02) = (n * n, s0 * s0);
    let eg = s0 / (n * (n - 1.0));
    let b0 = (n2 - 3.0 * n + 3.0) * s1 - n * s2 + 3.0 * s02;
    let b1 = -((n2 - n) * s1 - 2.0 * n * s2 + 6.0 * s02);
    let b2 = -(2.0 * n * s1 - (n + 3.0) * s2 + 6.0 * s02);
    let b3 = 4.0 * (n - 1.0) * s1 - 2.0 * (n + 1.0) * s2 + 8.0 * s02;
    let b4 = s1 - s2 + s02;
    let eg2_num = b0 * sy2 * sy2 + b1 * sy4 + b2 * sy * sy * sy2 + b3 * sy * sy3 + b4 * sy.powi(4);
    let eg2_den = (sy * sy - sy2).powi(2) * n * (n - 1.0) * (n - 2.0) * (n - 3.0);
    let vg = eg2_num / eg2_den - eg * eg;
    let z_norm = (g - eg) / vg.sqrt();
    Ok(GetisOrd {
        g,
        eg,
        vg,
        z_norm,
        p_norm: 1.0 - normal_cdf(z_norm.abs()),
    })
}
