//! How sure a rank is: rank intervals by simulation.
//!
//! A seat's rate is an estimate from a count, and its rank inherits the count's noise: a
//! small seat ranked 3rd may plausibly be anywhere from 1st to 9th. [`rank_intervals`]
//! draws every seat's rate from its posterior given its count (Poisson count, Jeffreys prior:
//! `Gamma(k + 1/2, 1) / denominator`), ranks the seats in each draw, and reports the central
//! interval of each seat's ranks ("ranked 3rd, plausibly 1st-9th").
//!
//! The draws are reproducible: draw `s` uses its own ChaCha8 stream `s` from the seed, so the
//! intervals depend on the seed and the number of draws only, not on the number of threads.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma};
use rayon::prelude::*;
use serde::Serialize;

/// The default number of draws.
pub const DEFAULT_DRAWS: usize = 1000;
/// The default seed of the draws.
pub const DEFAULT_SEED: u64 = 12345;

/// A seat's rank and the central interval of its simulated ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RankInterval {
    /// Best plausible rank (lower number).
    pub low: u32,
    /// Worst plausible rank.
    pub high: u32,
}

impl std::fmt::Display for RankInterval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.low == self.high {
            write!(f, "{}", self.low)
        } else {
            write!(f, "{}-{}", self.low, self.high)
        }
    }
}

/// How rank intervals are simulated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[must_use]
#[non_exhaustive]
pub struct RankSimulation {
    /// Number of draws (0: no intervals).
    pub draws: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Coverage of the interval (0.95: the 2.5th to 97.5th percentile of the ranks).
    pub level: f64,
}

impl Default for RankSimulation {
    fn default() -> Self {
        RankSimulation {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
            level: 0.95,
        }
    }
}

impl RankSimulation {
    /// `draws` draws from the default seed at the 95% level.
    pub fn new(draws: usize) -> Self {
        RankSimulation {
            draws,
            ..RankSimulation::default()
        }
    }

    /// Sets the seed.
    pub fn seed(self, seed: u64) -> Self {
        RankSimulation { seed, ..self }
    }
}

/// Central rank intervals of rates `count / denominator` (rank 1 = highest), by simulation
/// from each seat's posterior rate. Seats with a zero denominator are not ranked (`None`).
/// Returns no intervals (all `None`) when `simulation.draws` is 0.
///
/// # Examples
/// ```
/// use sigmap::{RankSimulation, rank_intervals};
/// // Three big seats with clearly different rates, and a tiny one whose rate is noise
/// let counts = [9000, 6000, 3000, 2];
/// let voters = [30_000, 30_000, 30_000, 10];
/// let r = rank_intervals(&counts, &voters, RankSimulation::default());
/// let tiny = r[3].unwrap();
/// assert!(tiny.low == 1 && tiny.high == 4, "{tiny}"); // 200 per 1,000, but from 2 signatures
/// assert_eq!(r[2].unwrap().high, 4);
/// // second or third: the first big seat always leads it, the tiny one sometimes does
/// assert_eq!(r[1].unwrap().to_string(), "2-3");
/// ```
///
/// # Complexity
/// O(draws · n log n) time, O(draws · n) memory (u32 ranks), draws in parallel.
pub fn rank_intervals(
    counts: &[u64],
    denominators: &[u64],
    simulation: RankSimulation,
) -> Vec<Option<RankInterval>> {
    let n = counts.len();
    if simulation.draws == 0 {
        return vec![None; n];
    }
    let ranked: Vec<usize> = (0..n).filter(|&i| denominators[i] > 0).collect();
    let posteriors: Vec<Option<Gamma<f64>>> = ranked
        .iter()
        .map(|&i| Gamma::new(counts[i] as f64 + 0.5, 1.0).ok())
        .collect();
    // ranks[s][m]: the rank of ranked seat m in draw s
    let ranks: Vec<Vec<u32>> = (0..simulation.draws)
        .into_par_iter()
        .map(|s| {
            let mut rng = ChaCha8Rng::seed_from_u64(simulation.seed);
            rng.set_stream(s as u64);
            let rates: Vec<f64> = ranked
                .iter()
                .zip(&posteriors)
                .map(|(&i, g)| match g {
                    Some(g) => g.sample(&mut rng) / denominators[i] as f64,
                    None => f64::NAN,
                })
                .collect();
            let mut order: Vec<usize> = (0..rates.len()).collect();
            order.sort_unstable_by(|&a, &b| rates[b].total_cmp(&rates[a]).then(a.cmp(&b)));
            let mut rank = vec![0u32; rates.len()];
            for (pos, &m) in order.iter().enumerate() {
                rank[m] = pos as u32 + 1;
            }
            rank
        })
        .collect();
    let tail = (1.0 - simulation.level) / 2.0;
    let draws = simulation.draws as f64;
    let lo = ((draws * tail).floor() as usize).min(simulation.draws - 1);
    let hi = ((draws * (1.0 - tail)).ceil() as usize)
        .saturating_sub(1)
        .clamp(lo, simulation.draws - 1);
    let mut out = vec![None; n];
    let mut column = vec![0u32; simulation.draws];
    for (m, &i) in ranked.iter().enumerate() {
        for (c, draw) in column.iter_mut().zip(&ranks) {
            *c = draw[m];
        }
        column.sort_unstable();
        out[i] = Some(RankInterval {
            low: column[lo],
            high: column[hi],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_intervals_whatever_the_threads() {
        let counts: Vec<u64> = (0..200).map(|i| (i * 37 % 101) as u64).collect();
        let voters: Vec<u64> = (0..200).map(|i| 1000 + (i * 53 % 97) as u64).collect();
        let sim = RankSimulation::new(300);
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| rank_intervals(&counts, &voters, sim));
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| rank_intervals(&counts, &voters, sim));
        assert_eq!(one, four);
        assert_ne!(one, rank_intervals(&counts, &voters, sim.seed(7)));
    }

    #[test]
    fn intervals_hold_the_rank_and_shrink_with_counts() {
        // the same rates from counts 100 times larger give narrower intervals
        let small: Vec<u64> = (1..=50).collect();
        let large: Vec<u64> = small.iter().map(|c| c * 100).collect();
        let d_small = vec![1000u64; 50];
        let d_large = vec![100_000u64; 50];
        let sim = RankSimulation::default();
        let a = rank_intervals(&small, &d_small, sim);
        let b = rank_intervals(&large, &d_large, sim);
        let width = |r: &[Option<RankInterval>]| -> u32 {
            r.iter().map(|r| r.unwrap().high - r.unwrap().low).sum()
        };
        assert!(width(&b) * 3 < width(&a), "{} vs {}", width(&b), width(&a));
        for (i, r) in b.iter().enumerate() {
            let rank = 50 - i as u32;
            let r = r.unwrap();
            assert!(r.low <= rank && rank <= r.high, "seat {i}: {r}");
        }
    }

    #[test]
    fn no_draws_and_zero_denominators() {
        assert_eq!(
            rank_intervals(&[1, 2], &[10, 10], RankSimulation::new(0)),
            vec![None, None]
        );
        let r = rank_intervals(&[1, 2, 3], &[10, 0, 10], RankSimulation::new(50));
        assert!(r[1].is_none() && r[0].is_some());
        assert_eq!(r[2].unwrap().high.max(r[0].unwrap().high), 2);
    }
}
