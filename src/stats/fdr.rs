/// The Benjamini-Hochberg threshold for p-values at false discovery rate `alpha`: the
/// largest `k·alpha/n` with the k-th smallest p-value strictly below it, or `alpha/n` (the
/// Bonferroni bound) when there is none. Areas with `p <= threshold` are significant.
/// With no p-values the threshold is infinite.
///
/// # Examples
/// ```
/// let t = sigmap::stats::fdr(&[0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205], 0.05);
/// assert_eq!(t, 2.0 * 0.05 / 8.0);
/// ```
///
/// # References
/// Benjamini and Hochberg (1995); matches `esda.fdr(p, alpha)` (esda 2.9) exactly.
pub fn fdr(p_values: &[f64], alpha: f64) -> f64 {
    let n = p_values.len();
    let mut sorted = p_values.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a)); // descending, as esda
    sorted
        .iter()
        .enumerate()
        .map(|(pos, &p)| (p, (n - pos) as f64 * alpha / n as f64))
        .find(|&(p, bound)| p < bound)
        .map_or(alpha / n as f64, |(_, bound)| bound)
}

/// Benjamini-Hochberg adjusted p-values (`scipy.stats.false_discovery_control(p)`):
/// `q_(i) = min over j ≥ i of p_(j) · n / j`, capped at 1.
///
/// # Examples
/// ```
/// let q = sigmap::stats::benjamini_hochberg(&[0.01, 0.04, 0.03, 0.5]);
/// assert_eq!(q, vec![0.04, 0.04 * 4.0 / 3.0, 0.04 * 4.0 / 3.0, 0.5]);
/// ```
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let n = p.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let mut q = vec![1.0; n];
    let mut running = 1.0f64;
    for (pos, &i) in order.iter().enumerate().rev() {
        running = running.min(p[i] * n as f64 / (pos + 1) as f64);
        q[i] = running.min(1.0);
    }
    q
}

/// The Bonferroni threshold for `n` tests at family-wise error rate `alpha`: `alpha / n`.
/// Areas with `p <= threshold` are significant. Stricter than [`fdr`], which it never
/// exceeds (it is `fdr`'s fallback); with `n = 0` it is infinite (nothing to test).
///
/// # Examples
/// ```
/// use sigmap::stats::{bonferroni, fdr};
/// let p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205];
/// let t = bonferroni(p.len(), 0.05);
/// assert_eq!(t, 0.00625);
/// assert_eq!(p.iter().filter(|&&p| p <= t).count(), 1); // FDR keeps 2
/// assert!(t <= fdr(&p, 0.05));
/// ```
///
/// # References
/// Dunn (1961); esda has no Bonferroni function (its `fdr` falls back to `alpha / n`).
pub fn bonferroni(n: usize, alpha: f64) -> f64 {
    alpha / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bonferroni_divides_alpha_by_the_number_of_tests() {
        assert_eq!(bonferroni(1, 0.05), 0.05);
        assert_eq!(bonferroni(647, 0.05), 0.05 / 647.0);
        assert_eq!(bonferroni(4, 0.1), 0.025);
        assert_eq!(bonferroni(0, 0.05), f64::INFINITY);
    }

    #[test]
    fn bonferroni_is_fdr_when_nothing_passes_and_never_above_it() {
        // nothing below its BH bound: fdr falls back to Bonferroni
        let p = [0.5, 0.6, 0.7, 0.9];
        assert_eq!(fdr(&p, 0.05), bonferroni(p.len(), 0.05));
        // p-values spread over (0, 1]: BH is never stricter than Bonferroni
        for n in 1..50 {
            let p: Vec<f64> = (1..=n)
                .map(|k| (k * k) as f64 / (n * n * 40) as f64)
                .collect();
            assert!(bonferroni(n, 0.05) <= fdr(&p, 0.05), "n = {n}");
        }
    }
}
