//! Conditional randomisation for local statistics: for area i, its k_i neighbours' values
//! are drawn without replacement from the other n - 1 areas, `count` times.
//!
//! Each area has its own random stream, seeded from (seed, area index) with ChaCha8, so
//! results are identical whatever the number of threads. (esda instead shares one matrix
//! of draws between all areas; its p-values are therefore correlated across areas, ours
//! are not, and the two agree to Monte Carlo error.)

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// How many conditional permutations to run, and from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Permutations {
    /// Number of permutations (0: none, no pseudo p-values).
    pub count: usize,
    /// Seed of the random streams.
    pub seed: u64,
}

impl Permutations {
    /// The default seed, fixed so that results are reproducible.
    pub const DEFAULT_SEED: u64 = 12345;

    /// `count` permutations from [`Permutations::DEFAULT_SEED`].
    pub fn new(count: usize) -> Self {
        Permutations {
            count,
            seed: Self::DEFAULT_SEED,
        }
    }

    /// No permutations.
    pub fn none() -> Self {
        Permutations::new(0)
    }

    /// The same count from another seed.
    pub fn seed(self, seed: u64) -> Self {
        Permutations { seed, ..self }
    }
}

impl Default for Permutations {
    /// 999 permutations from the default seed.
    fn default() -> Self {
        Permutations::new(999)
    }
}

/// For each area i with `card[i]` neighbours, the pseudo p-value of `observed[i]` against
/// `count` values of `stat(i, draws)`, where `draws` are `card[i]` distinct indices of the
/// other areas: `(min(larger, count - larger) + 1) / (count + 1)`, `larger` counting
/// simulated values `>=` the observed one (as esda). Areas with no neighbour get `None`.
pub(crate) fn pseudo_p(
    n: usize,
    card: &[usize],
    observed: &[f64],
    perms: Permutations,
    stat: impl Fn(usize, &[u32]) -> f64 + Sync,
) -> Vec<Option<f64>> {
    (0..n)
        .into_par_iter()
        .map(|i| {
            let k = card[i];
            if k == 0 || perms.count == 0 {
                return None;
            }
            let mut rng = ChaCha8Rng::seed_from_u64(perms.seed);
            rng.set_stream(i as u64);
            // indices of the other areas: j, shifted past i
            let mut pool: Vec<u32> = (0..n as u32 - 1)
                .map(|j| j + u32::from(j >= i as u32))
                .collect();
            let mut larger = 0usize;
            for _ in 0..perms.count {
                // partial Fisher-Yates: the first k entries become a uniform k-subset
                for slot in 0..k {
                    let pick = rand::RngExt::random_range(&mut rng, slot..pool.len());
                    pool.swap(slot, pick);
                }
                if stat(i, &pool[..k]) >= observed[i] {
                    larger += 1;
                }
            }
            let larger = larger.min(perms.count - larger);
            Some((larger as f64 + 1.0) / (perms.count as f64 + 1.0))
        })
        .collect()
}

/// Pseudo p-value of a global statistic: `count` random permutations of all the values,
/// each from its own stream (seed, permutation index), in parallel;
/// `(min(larger, count - larger) + 1) / (count + 1)` with `larger` counting values `>=` the
/// observed one (as esda).
pub(crate) fn global_pseudo_p(
    values: &[f64],
    observed: f64,
    perms: Permutations,
    stat: impl Fn(&[f64]) -> f64 + Sync,
) -> Option<f64> {
    if perms.count == 0 {
        return None;
    }
    let larger = (0..perms.count)
        .into_par_iter()
        .map_init(
            || values.to_vec(),
            |shuffled, p| {
                let mut rng = ChaCha8Rng::seed_from_u64(perms.seed ^ GLOBAL_STREAMS);
                rng.set_stream(p as u64);
                shuffled.copy_from_slice(values);
                shuffled.shuffle(&mut rng);
                usize::from(stat(shuffled) >= observed)
            },
        )
        .sum::<usize>();
    let larger = larger.min(perms.count - larger);
    Some((larger as f64 + 1.0) / (perms.count as f64 + 1.0))
}

/// Keeps the global statistics' streams apart from the per-area streams of the same seed.
const GLOBAL_STREAMS: u64 = 0x9e37_79b9_7f4a_7c15;
