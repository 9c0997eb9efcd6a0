//! Unusual support: which seats sign far more (or less) than their size predicts.
//!
//! For seat i with `O_i` signatures and denominator `d_i` (voters by default), the
//! **expected** count at the national rate is `E_i = O · d_i / Σ d`, where `O` is all
//! assigned signatures. Two tests compare `O_i` with `E_i`:
//!
//! - **Poisson likelihood ratio** (`poisson_z`, `poisson_p`): the signed deviance
//!   `sign(O - E) · √(2 [O ln(O/E) - (O - E)])`, whose square is χ² with 1 degree of freedom
//!   if counts were Poisson around the national rate. Petitions spread through networks, not
//!   as independent coin flips, so real counts vary far more than Poisson: on a petition with
//!   a million signatures nearly every seat "differs significantly" by this test.
//! - **Overdispersion-adjusted z** (`z`, `p`, `q`): the Pearson z-score `(O - E) / √E`
//!   divided by `√φ`, where φ is the overdispersion factor estimated from the 10%-winsorised
//!   z-scores (`φ = mean(z_w²)`, Spiegelhalter 2005, the rule of funnel plots for comparing
//!   institutions) and taken as 1 when below 1. Two-sided normal p-values, corrected for
//!   650 tests with Benjamini-Hochberg (`q`). A seat is **unusually high** (low) when `q ≤
//!   alpha` and `O > E` (`O < E`): it stands out from the spread that seats of its size
//!   show on this petition, which is what "unusual" means to a reader.
//!
//! References: D. J. Spiegelhalter (2005), "Funnel plots for comparing institutional
//! performance", Statistics in Medicine 24, 1185-1202; Y. Benjamini and Y. Hochberg (1995).

use crate::stats::{benjamini_hochberg, normal_sf};
use serde::Serialize;

/// Which way a seat is unusual.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More signatures than expected.
    High,
    /// Fewer signatures than expected.
    Low,
}

impl Direction {
    /// `high` or `low`.
    pub fn name(self) -> &'static str {
        match self {
            Direction::High => "high",
            Direction::Low => "low",
        }
    }
}

/// Observed against expected signatures for one seat.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Excess {
    /// Expected signatures at the national rate.
    pub expected: f64,
    /// Observed over expected (1 = as expected).
    pub ratio: f64,
    /// Signed Poisson deviance (likelihood-ratio z).
    pub poisson_z: f64,
    /// Two-sided p-value of the Poisson likelihood-ratio test.
    pub poisson_p: f64,
    /// Pearson z-score divided by √φ.
    pub z: f64,
    /// Two-sided normal p-value of `z`.
    pub p: f64,
    /// Benjamini-Hochberg adjusted p-value of `p` over all seats.
    pub q: f64,
    /// Unusually high or low (`q ≤ alpha`), or neither.
    pub flag: Option<Direction>,
}

/// The national picture of a test of unusual support.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ExcessSummary {
    /// Signatures per 1,000 of the denominator over all seats.
    pub national_per_1k: f64,
    /// Overdispersion factor φ estimated from the winsorised z-scores (1 = Poisson).
    pub dispersion: f64,
    /// The factor the z-scores were divided by the square root of (`max(φ, 1)`).
    pub dispersion_used: f64,
    /// Significance level of the flags (after the Benjamini-Hochberg correction).
    pub alpha: f64,
    /// Seats flagged unusually high.
    pub high: usize,
    /// Seats flagged unusually low.
    pub low: usize,
}

/// Tests each seat's count against the national rate applied to its denominator.
/// Returns `None` when there is nothing to test (no signature, or no denominator).
///
/// # Errors
/// [`Error::InvalidCall`](crate::Error::InvalidCall) if `counts` and `denominators` differ
/// in length (a bug in the caller, not in the data).
///
/// # Examples
/// ```
/// use sigmap::{Direction, unusual_support};
/// // 20 seats of 10,000 voters: 19 sign at about 10 per 1,000, one at 40 per 1,000
/// let mut counts = vec![100u64, 95, 104, 98, 101, 97, 103, 99, 100, 102, 96, 105, 94, 100, 101, 99, 98, 102, 100, 400];
/// let voters = vec![10_000u64; 20];
/// let (seats, summary) = unusual_support(&counts, &voters, 0.05)?.expect("signatures to test");
/// assert_eq!(seats[19].flag, Some(Direction::High));
/// assert!(seats[..19].iter().all(|s| s.flag.is_none()));
/// assert_eq!((summary.high, summary.low), (1, 0));
/// # Ok::<(), sigmap::Error>(())
/// ```
pub fn unusual_support(
    counts: &[u64],
    denominators: &[u64],
    alpha: f64,
) -> crate::Result<Option<(Vec<Excess>, ExcessSummary)>> {
    if counts.len() != denominators.len() {
        return Err(crate::Error::InvalidCall {
            call: "unusual_support",
            problem: format!(
                "{} counts and {} denominators",
                counts.len(),
                denominators.len()
            ),
        });
    }
    let observed: u64 = counts.iter().sum();
    let base: u64 = denominators.iter().sum();
    if observed == 0 || base == 0 {
        return Ok(None);
    }
    let rate = observed as f64 / base as f64;
    let expected: Vec<f64> = denominators.iter().map(|&d| rate * d as f64).collect();
    let pearson: Vec<f64> = counts
        .iter()
        .zip(&expected)
        .map(|(&o, &e)| {
            if e > 0.0 {
                (o as f64 - e) / e.sqrt()
            } else {
                0.0
            }
        })
        .collect();
    let dispersion = winsorised_mean_square(&pearson, 0.1);
    let used = dispersion.max(1.0);
    let mut seats: Vec<Excess> = counts
        .iter()
        .zip(&expected)
        .zip(&pearson)
        .map(|((&o, &e), &z)| {
            let o = o as f64;
            let deviance = if e > 0.0 {
                (o - e).signum() * poisson_deviance(o, e).sqrt()
            } else {
                0.0
            };
            let z = z / used.sqrt();
            Excess {
                expected: e,
                ratio: if e > 0.0 { o / e } else { f64::NAN },
                poisson_z: deviance,
                poisson_p: 2.0 * normal_sf(deviance.abs()),
                z,
                p: 2.0 * normal_sf(z.abs()),
                q: 1.0,
                flag: None,
            }
        })
        .collect();
    let q = benjamini_hochberg(&seats.iter().map(|s| s.p).collect::<Vec<_>>());
    let (mut high, mut low) = (0, 0);
    for (seat, q) in seats.iter_mut().zip(q) {
        seat.q = q;
        if q <= alpha && seat.z != 0.0 {
            let direction = if seat.z > 0.0 {
                Direction::High
            } else {
                Direction::Low
            };
            match direction {
                Direction::High => high += 1,
                Direction::Low => low += 1,
            }
            seat.flag = Some(direction);
        }
    }
    Ok(Some((
        seats,
        ExcessSummary {
            national_per_1k: 1000.0 * rate,
            dispersion,
            dispersion_used: used,
            alpha,
            high,
            low,
        },
    )))
}

/// The Poisson deviance `2 [o ln(o/e) - (o - e)]` of a count `o` against its expectation
/// `e > 0`, accurate to a few ulps also where `o` is close to `e` (there the two terms nearly
/// cancel): with `d = (o - e)/e` it is `2e·h(d)`, `h(d) = (1 + d) ln(1 + d) - d`, summed as
/// the series `Σ_{k≥2} (-d)^k / (k(k-1))` when `|d| < 0.1`.
fn poisson_deviance(o: f64, e: f64) -> f64 {
    if o == 0.0 {
        return 2.0 * e;
    }
    let d = (o - e) / e;
    let h = if d.abs() < 0.1 {
        let mut term = d * d; // (-d)^k for k = 2
        let mut sum = 0.0;
        for k in 2..40 {
            let add = term / (k * (k - 1)) as f64;
            sum += add;
            if add.abs() <= sum.abs() * 1e-17 {
                break;
            }
            term *= -d;
        }
        sum
    } else {
        (1.0 + d) * d.ln_1p() - d
    };
    2.0 * e * h.max(0.0)
}

/// Mean of the squares after winsorising `limit` of the values at each end, as
/// `scipy.stats.mstats.winsorize(z, limits=(limit, limit))`: the lowest
/// `⌊limit·n⌋` values become the next one up, the highest `round(limit·n)` the next one down.
fn winsorised_mean_square(values: &[f64], limit: f64) -> f64 {
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let low = ((limit * n as f64) as usize).min(n - 1);
    let high = (n - (limit * n as f64).round() as usize).clamp(low + 1, n) - 1;
    let (floor, ceiling) = (sorted[low], sorted[high]);
    values
        .iter()
        .map(|&v| v.clamp(floor, ceiling).powi(2))
        .sum::<f64>()
        / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winsorising_as_scipy() {
        // n = 10, limit 0.1: one value at each end is replaced
        let v = [-9.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 90.0];
        let expected = ([1.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 8.0] as [f64; 10])
            .iter()
            .map(|x| x * x)
            .sum::<f64>()
            / 10.0;
        assert_eq!(winsorised_mean_square(&v, 0.1), expected);
    }

    #[test]
    fn deviance_near_expectation() {
        // both branches against the closed form where it is accurate
        for (o, e) in [(5.0, 3.0), (1.0, 2.0), (100.0, 80.0), (3.0f64, 7.5f64)] {
            let exact = 2.0 * (o * (o / e).ln() - (o - e));
            assert!(
                (poisson_deviance(o, e) - exact).abs() <= 1e-13 * exact,
                "{o} {e}"
            );
        }
        // o = e (1 + 1e-6): 2e·h(d) = e·d²(1 - d/3 + ...) = 7500e-12 (1 - 3.3e-7)
        let (e, d) = (7500.0, 1e-6);
        let got = poisson_deviance(e * (1.0 + d), e);
        let want = e * d * d * (1.0 - d / 3.0 + d * d / 6.0);
        assert!((got - want).abs() < 1e-9 * want, "{got} vs {want}");
        assert_eq!(poisson_deviance(0.0, 2.5), 5.0);
    }

    #[test]
    fn nothing_to_test() {
        assert!(unusual_support(&[0, 0], &[10, 10], 0.05).unwrap().is_none());
        assert!(unusual_support(&[1, 0], &[0, 0], 0.05).unwrap().is_none());
        // a caller bug is an error, not "nothing to test"
        let e = unusual_support(&[1, 2], &[10], 0.05).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Caller, "{e}");
    }

    #[test]
    fn poisson_counts_are_not_overdispersed() {
        // counts exactly at expectation: z = 0, φ = 0 -> 1 used, nothing flagged
        let (seats, s) = unusual_support(&[10, 20, 30], &[100, 200, 300], 0.05)
            .unwrap()
            .unwrap();
        assert_eq!(s.dispersion_used, 1.0);
        assert!(
            seats
                .iter()
                .all(|x| x.flag.is_none() && x.z == 0.0 && x.p == 1.0)
        );
        assert!(seats.iter().all(|x| x.poisson_z.abs() < 1e-12));
    }
}
