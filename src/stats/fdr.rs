/// The Benjamini-Hochberg threshold for p-values at false discovery rate `alpha`: the
/// largest `k·alpha/n` with the k-th smallest p-value strictly below it, or `alpha/n` (the
/// Bonferroni bound) when there is none. Areas with `p <= threshold` are significant.
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

/// The Bonferroni threshold: `alpha / n`.
pub fn bonferroni(n: usize, alpha: f64) -> f64 {
    alpha / n as f64
}
