//! Per-area metrics and rankings: density, rates per 1,000 electors and voters, share,
//! location quotient, exact Poisson intervals; ranks (1 = highest, ties share the lowest
//! rank) and percentiles.

use serde::Serialize;
use std::sync::OnceLock;

/// A metric that can be ranked, mapped or fed to the statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Metric {
    /// Signatures (count).
    Signatures,
    /// Signatures per km² of the area.
    DensityPerKm2,
    /// Signatures per 1,000 registered electors.
    Per1kElectors,
    /// Signatures per 1,000 people who voted at the general election (turnout-normalised).
    Per1kVoters,
    /// Percentage of all assigned signatures.
    SharePct,
    /// Location quotient: share of signatures over share of electorate.
    Lq,
}

impl Metric {
    /// Every metric, in column order.
    pub const ALL: [Metric; 6] = [
        Metric::Signatures,
        Metric::DensityPerKm2,
        Metric::Per1kElectors,
        Metric::Per1kVoters,
        Metric::SharePct,
        Metric::Lq,
    ];

    /// The column name (`per_1k_voters`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Metric::Signatures => "signatures",
            Metric::DensityPerKm2 => "density_per_km2",
            Metric::Per1kElectors => "per_1k_electors",
            Metric::Per1kVoters => "per_1k_voters",
            Metric::SharePct => "share_pct",
            Metric::Lq => "lq",
        }
    }

    /// A label for legends and tables.
    pub fn label(self) -> &'static str {
        match self {
            Metric::Signatures => "Signatures",
            Metric::DensityPerKm2 => "Signatures per km²",
            Metric::Per1kElectors => "Signatures per 1,000 electors",
            Metric::Per1kVoters => "Signatures per 1,000 voters",
            Metric::SharePct => "Share of signatures (%)",
            Metric::Lq => "Location quotient",
        }
    }
}

impl std::fmt::Display for Metric {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Metric::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| {
                let names: Vec<_> = Metric::ALL.iter().map(|m| m.name()).collect();
                format!(
                    "unknown metric `{s}` (expected one of {})",
                    names.join(", ")
                )
            })
    }
}

/// Ranks values from the highest (rank 1); equal values share the lowest rank ("min" or
/// competition ranking: 1, 2, 2, 4). `None` values are not ranked.
///
/// # Examples
/// ```
/// let r = sigmap::rank_descending(&[Some(5.0), Some(9.0), Some(5.0), None, Some(1.0)]);
/// assert_eq!(r, vec![Some(2), Some(1), Some(2), None, Some(4)]);
/// ```
///
/// # Complexity
/// O(n log n).
pub fn rank_descending(values: &[Option<f64>]) -> Vec<Option<u32>> {
    let mut order: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    order.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut ranks = vec![None; values.len()];
    let mut rank = 0u32;
    for (pos, &(i, v)) in order.iter().enumerate() {
        if pos == 0 || v != order[pos - 1].1 {
            rank = pos as u32 + 1;
        }
        ranks[i] = Some(rank);
    }
    ranks
}

/// Percentile rank of each value: the percentage of (ranked) values less than or equal to
/// it, as `scipy.stats.percentileofscore(values, v, kind="weak")`. The highest value has
/// 100; `None` values have none.
///
/// # Examples
/// ```
/// let p = sigmap::percentiles(&[Some(1.0), Some(2.0), Some(2.0), Some(4.0)]);
/// assert_eq!(p, vec![Some(25.0), Some(75.0), Some(75.0), Some(100.0)]);
/// ```
///
/// # Complexity
/// O(n log n).
pub fn percentiles(values: &[Option<f64>]) -> Vec<Option<f64>> {
    let mut sorted: Vec<f64> = values.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    values
        .iter()
        .map(|v| {
            v.map(|v| {
                let at_or_below = sorted.partition_point(|&x| x <= v);
                100.0 * at_or_below as f64 / n
            })
        })
        .collect()
}

/// [`rank_descending`] and [`percentiles`] of the same values with one sort: a value's weak
/// percentile counts the ranked values not above it, all but the `rank - 1` above it. With a
/// value that is not a number (which compares as neither above nor below), each is computed
/// on its own.
pub(crate) fn ranks_and_percentiles(
    values: &[Option<f64>],
) -> (Vec<Option<u32>>, Vec<Option<f64>>) {
    if values.iter().flatten().any(|v| v.is_nan()) {
        return (rank_descending(values), percentiles(values));
    }
    let ranks = rank_descending(values);
    let ranked = ranks.iter().flatten().count();
    let n = ranked as f64;
    let percentiles = ranks
        .iter()
        .map(|r| r.map(|r| 100.0 * (ranked - (r as usize - 1)) as f64 / n))
        .collect();
    (ranks, percentiles)
}

/// Exact (Garwood) two-sided confidence interval for a Poisson count `k`:
/// `[Γ⁻¹(α/2; k), Γ⁻¹(1-α/2; k+1)]`, with lower bound 0 when `k = 0` (statrs' gamma quantile).
///
/// # Examples
/// ```
/// let (lo, hi) = sigmap::poisson_interval(10, 0.95);
/// assert!((lo - 4.795389).abs() < 1e-5 && (hi - 18.390356).abs() < 1e-5);
/// let (lo, hi) = sigmap::poisson_interval(0, 0.95);
/// assert_eq!(lo, 0.0);
/// assert!((hi - 3.688879).abs() < 1e-5);
/// ```
///
/// # References
/// Garwood (1936), Biometrika 28, 437-442; equals
/// `scipy.stats.chi2.ppf([α/2, 1-α/2], [2k, 2k+2]) / 2`.
pub fn poisson_interval(k: u64, level: f64) -> (f64, f64) {
    // Every seat of every petition asks for its 95% interval: the small counts, which most
    // seats have, are computed once per process (the same function, so the same bits).
    if level == 0.95 && (k as usize) < POISSON_95_MEMO.len() {
        return *POISSON_95_MEMO[k as usize].get_or_init(|| garwood(k, level));
    }
    garwood(k, level)
}

/// The 95% intervals of the counts below 4,096, once computed (a batch of the 269 real
/// petitions spent a tenth of its time without statistics on these quantiles).
static POISSON_95_MEMO: [OnceLock<(f64, f64)>; 4096] = [const { OnceLock::new() }; 4096];

/// [`poisson_interval`], computed.
fn garwood(k: u64, level: f64) -> (f64, f64) {
    let alpha = 1.0 - level;
    let k = k as f64;
    let lower = if k == 0.0 {
        0.0
    } else {
        gamma_quantile(alpha / 2.0, k)
    };
    (lower, gamma_quantile(1.0 - alpha / 2.0, k + 1.0))
}

/// Quantile of the Gamma(shape `a`, scale 1) distribution.
fn gamma_quantile(p: f64, a: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Gamma};
    match Gamma::new(a, 1.0) {
        Ok(g) => g.inverse_cdf(p),
        // a > 0 and finite for every count: Gamma::new cannot fail here
        Err(_) => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_intervals_are_the_computed_ones() {
        for k in [0, 1, 2, 17, 4095, 4096, 100_000] {
            for _ in 0..2 {
                assert_eq!(poisson_interval(k, 0.95), garwood(k, 0.95), "k = {k}");
            }
        }
        assert_eq!(poisson_interval(7, 0.9), garwood(7, 0.9));
        assert_ne!(poisson_interval(7, 0.9), poisson_interval(7, 0.95));
    }

    #[test]
    fn ranks_ties_and_none() {
        assert_eq!(rank_descending(&[]), Vec::<Option<u32>>::new());
        let r = rank_descending(&[Some(0.0), Some(0.0), Some(0.0)]);
        assert_eq!(r, vec![Some(1); 3]);
        let p = percentiles(&[Some(0.0), None, Some(3.0)]);
        assert_eq!(p, vec![Some(50.0), None, Some(100.0)]);
    }

    #[test]
    fn metric_names_round_trip() {
        for m in Metric::ALL {
            assert_eq!(m.name().parse::<Metric>().unwrap(), m);
        }
        assert!("per_voter".parse::<Metric>().is_err());
    }

    /// One sort gives what the two functions give, to the bit: ties, missing values, both
    /// zeros, infinities, and (each computed on its own) a value that is not a number.
    #[test]
    fn ranks_and_percentiles_are_the_two_functions() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let pool = [
            None,
            Some(0.0),
            Some(-0.0),
            Some(1.5),
            Some(2.0),
            Some(f64::INFINITY),
            Some(7.25),
        ];
        for case in 0..200 {
            let n = rng.random_range(0..40);
            let mut values: Vec<Option<f64>> = (0..n)
                .map(|_| match rng.random_range(0..3) {
                    0 => pool[rng.random_range(0..pool.len())],
                    _ => Some(f64::from(rng.random_range(0..20u32)) / 3.0),
                })
                .collect();
            if case % 10 == 0 && n > 0 {
                values[0] = Some(f64::NAN);
            }
            let (ranks, percent) = ranks_and_percentiles(&values);
            assert_eq!(ranks, rank_descending(&values), "{values:?}");
            let bits = |p: Vec<Option<f64>>| {
                p.into_iter()
                    .map(|p| p.map(f64::to_bits))
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(percent), bits(percentiles(&values)), "{values:?}");
        }
    }
}
