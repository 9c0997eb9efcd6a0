//! Conditional randomisation for local statistics: for area i, its k_i neighbours' values
//! are drawn without replacement from the other n - 1 areas, `count` times.
//!
//! Two engines, both seeded with ChaCha8 and identical whatever the number of threads:
//! - [`Engine::Shared`] (default), as esda: one `count × max k` matrix of draws from the
//!   seed, shared by all areas (area i uses the first k_i draws of each row, shifted past
//!   itself). Fastest; the areas' p-values are correlated with each other, as esda's are.
//! - [`Engine::Independent`]: each area has its own stream, seeded from (seed, area index),
//!   so the areas' p-values are independent.
//!
//! Both agree with esda's pseudo p-values to Monte Carlo error.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

/// How the random draws of the local statistics are organised (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// One matrix of draws shared by all areas, as esda.
    #[default]
    Shared,
    /// A stream per area.
    Independent,
}

impl std::str::FromStr for Engine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "shared" => Ok(Engine::Shared),
            "independent" => Ok(Engine::Independent),
            _ => Err(format!(
                "unknown engine `{s}` (expected shared or independent)"
            )),
        }
    }
}

/// How many conditional permutations to run, from which seed, with which engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[must_use]
pub struct Permutations {
    /// Number of permutations (0: none, no pseudo p-values).
    pub count: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// How the draws are organised.
    pub engine: Engine,
}

impl Permutations {
    /// The default seed, fixed so that results are reproducible.
    pub const DEFAULT_SEED: u64 = 12345;

    /// `count` permutations from [`Permutations::DEFAULT_SEED`].
    pub fn new(count: usize) -> Self {
        Permutations {
            count,
            seed: Self::DEFAULT_SEED,
            engine: Engine::Shared,
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

    /// The same count and seed with another engine.
    pub fn engine(self, engine: Engine) -> Self {
        Permutations { engine, ..self }
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
    if perms.count == 0 || n < 2 {
        return vec![None; n];
    }
    let fold = |larger: usize| {
        let larger = larger.min(perms.count - larger);
        (larger as f64 + 1.0) / (perms.count as f64 + 1.0)
    };
    match perms.engine {
        Engine::Shared => {
            let max_card = card.iter().copied().max().unwrap_or(0).min(n - 1);
            // count rows of max_card distinct draws from 0..n-1 (the others, before shifting)
            let mut rng = ChaCha8Rng::seed_from_u64(perms.seed);
            let mut pool: Vec<u32> = (0..n as u32 - 1).collect();
            let mut draws = Vec::with_capacity(perms.count * max_card);
            for _ in 0..perms.count {
                partial_shuffle(&mut pool, max_card, &mut rng);
                draws.extend_from_slice(&pool[..max_card]);
            }
            (0..n)
                .into_par_iter()
                .map_init(Vec::new, |shifted, i| {
                    let k = card[i];
                    if k == 0 {
                        return None;
                    }
                    let i32 = i as u32;
                    let larger = draws
                        .chunks_exact(max_card)
                        .filter(|row| {
                            shifted.clear();
                            shifted.extend(row[..k].iter().map(|&j| j + u32::from(j >= i32)));
                            stat(i, shifted) >= observed[i]
                        })
                        .count();
                    Some(fold(larger))
                })
                .collect()
        }
        Engine::Independent => (0..n)
            .into_par_iter()
            .map(|i| {
                let k = card[i];
                if k == 0 {
                    return None;
                }
                let mut rng = ChaCha8Rng::seed_from_u64(perms.seed);
                rng.set_stream(i as u64);
                // indices of the other areas: j, shifted past i
                let mut pool: Vec<u32> = (0..n as u32 - 1)
                    .map(|j| j + u32::from(j >= i as u32))
                    .collect();
                let larger = (0..perms.count)
                    .filter(|_| {
                        partial_shuffle(&mut pool, k, &mut rng);
                        stat(i, &pool[..k]) >= observed[i]
                    })
                    .count();
                Some(fold(larger))
            })
            .collect(),
    }
}

/// Partial Fisher-Yates: afterwards the first `k` entries are a uniform k-subset, in random
/// order.
fn partial_shuffle(pool: &mut [u32], k: usize, rng: &mut ChaCha8Rng) {
    for slot in 0..k {
        let pick = rand::RngExt::random_range(rng, slot..pool.len());
        pool.swap(slot, pick);
    }
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
