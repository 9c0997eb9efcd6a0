use super::check_values;
use super::permutation::{LANES, Permutations, global_pseudo_p};
use crate::error::Result;
use crate::weights::{Transform, Weights};
use serde::Serialize;

/// Bivariate Moran's I: how one variable in an area goes with another in its neighbours.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MoranBv {
    /// `I_BV = Σ zx_i (W zy)_i / (n - 1)`.
    #[serde(rename = "I")]
    #[doc(alias = "I")]
    pub i: f64,
    /// Pseudo p-value from permutations of `y` (none without permutations).
    pub p_sim: Option<f64>,
    /// The permutations behind `p_sim`.
    pub permutations: Permutations,
    /// Number of areas.
    pub n: usize,
}

/// Bivariate Moran's I of `x` against the spatial lag of `y` (row-standardised weights):
/// `I_BV = Σ zx_i (W zy)_i / (n - 1)`, with `zx`, `zy` standardised with the sample standard
/// deviation (`ddof = 1`). Islands have empty rows (lag 0). `p_sim` permutes `y` over the
/// areas; it agrees with esda's to Monte Carlo error.
///
/// # Examples
/// ```
/// use sigmap::stats::{Permutations, moran_bv};
/// use sigmap::{Contiguity, Weights};
/// let w = Weights::lattice(4, 4, Contiguity::Rook);
/// let x: Vec<f64> = (0..16).map(|i| (i % 4) as f64).collect();
/// let y: Vec<f64> = x.iter().map(|v| 2.0 * v + 1.0).collect();
/// let bv = moran_bv(&x, &y, &w, Permutations::new(999))?;
/// assert!(bv.i > 0.5);
/// assert_eq!(bv.p_sim, Some(0.001));
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// As [`super::moran`], for either variable.
///
/// # References
/// Matches `esda.Moran_BV(x, y, w, transformation="r")` (esda 2.9) to 1e-9 on `I`.
pub fn moran_bv(x: &[f64], y: &[f64], w: &Weights, perms: Permutations) -> Result<MoranBv> {
    check_values(x, w)?;
    check_values(y, w)?;
    let (x, y) = (super::in_safe_range(x), super::in_safe_range(y));
    let (x, y): (&[f64], &[f64]) = (&x, &y);
    let w = w.transformed(Transform::Row);
    let (zx, zy) = (standardise(x), standardise(y));
    let den = x.len() as f64 - 1.0;
    let zx_lanes: Vec<[f64; LANES]> = zx.iter().map(|&v| [v; LANES]).collect();
    let statistic = |zy: &[[f64; LANES]]| w.lag_dot(&zx_lanes, zy).map(|dot| dot / den);
    let i = statistic(&zy.iter().map(|&v| [v; LANES]).collect::<Vec<_>>())[0];
    Ok(MoranBv {
        i,
        p_sim: global_pseudo_p(&zy, i, perms, statistic),
        permutations: perms,
        n: x.len(),
    })
}

/// `(v - mean) / sd` with the sample standard deviation (`ddof = 1`), as esda.
fn standardise(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    v.iter().map(|x| (x - mean) / sd).collect()
}

/// Pearson's correlation coefficient (none if either variable is constant).
///
/// ```
/// use sigmap::stats::pearson;
/// assert_eq!(pearson(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0]), Some(1.0));
/// assert_eq!(pearson(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
/// ```
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Spearman's rank correlation: Pearson's on the ranks, ties given their average rank (as
/// `scipy.stats.spearmanr`).
///
/// ```
/// use sigmap::stats::spearman;
/// // any increasing relation has rank correlation 1
/// assert_eq!(spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 8.0, 27.0, 64.0]), Some(1.0));
/// ```
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&average_ranks(x), &average_ranks(y))
}

fn average_ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut ranks = vec![0.0; v.len()];
    let mut start = 0;
    while start < order.len() {
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| v[i] == v[order[start]])
                .count();
        let rank = (start + end + 1) as f64 / 2.0; // 1-based average of start+1..=end
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        start = end;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        assert_eq!(
            average_ranks(&[3.0, 1.0, 3.0, 2.0]),
            vec![3.5, 1.0, 3.5, 2.0]
        );
        let s = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 30.0, 400.0]).unwrap();
        assert!((s - 1.0).abs() < 1e-15);
        assert!(pearson(&[1.0, 1.0], &[1.0, 2.0]).is_none());
    }
}
