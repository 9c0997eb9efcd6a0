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

/// The Bonferroni threshold: `alpha / n`.
pub fn bonferroni(n: usize, alpha: f64) -> f64 {
    alpha / n as f64
}
