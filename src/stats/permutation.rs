//! Conditional randomisation for local statistics: for area i, its k_i neighbours' values
//! are drawn without replacement from the other n - 1 areas, `count` times.
//!
//! Three engines, each identical whatever the number of threads (see [`Engine`]):
//! - [`Engine::Shared`] (default), as esda: one `count × max k` matrix of draws from the
//!   seed (ChaCha8), shared by all areas (area i uses the first k_i draws of each row,
//!   shifted past itself). Fastest; the areas' p-values are correlated with each other, as
//!   esda's are.
//! - [`Engine::Independent`]: each area has its own ChaCha8 stream, seeded from
//!   (seed, area index), so the areas' p-values are independent.
//! - [`Engine::Esda`]: esda's own matrix (numpy's legacy MT19937) and arithmetic, so the
//!   pseudo p-values equal esda's for the same seed (`super::esda_engine`).
//!
//! The first two agree with esda's pseudo p-values to Monte Carlo error.

use super::memo::{Memo, remembered};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// How the random draws of the permutation tests are organised.
///
/// Each engine's pseudo p-values depend on the seed only, never on the number of threads;
/// the engines differ in speed, in whether the areas' p-values are correlated, and in
/// whether they reproduce esda's.
///
/// | engine | draws | areas' p-values | equal to esda's p_sim | time, local Moran + Gi* |
/// |---|---|---|---|---|
/// | [`Engine::Shared`] | one ChaCha8 matrix for all areas | correlated, as esda's | to Monte Carlo error | 1x |
/// | [`Engine::Independent`] | a ChaCha8 stream per area | independent | to Monte Carlo error | ~4x |
/// | [`Engine::Esda`] | esda's numpy MT19937 matrix | correlated, as esda's | exactly, same seed | ~2.5x |
///
/// (Times for 999 permutations of the 650 seats of 2024 relative to `Shared`; the README
/// has the measured ones, and `cargo bench --bench stats` measures them.)
///
/// # Engine (c): `Esda`
/// For the same seed, the local Moran and Gi* pseudo p-values (and the global Moran's
/// `p_sim`) are esda 2.9's, bit for bit, on every area that has neighbours. It rebuilds:
/// - esda's permutation matrix: `np.random.seed(seed)` (numpy's legacy MT19937,
///   `init_genrand`), then for each permutation `np.random.choice(n - 1, max_card,
///   replace=False)`, which numpy makes as a Fisher-Yates `permutation(n - 1)[:max_card]`
///   (`i` from `n - 2` down to 1, masked 32-bit rejection). Area `i` maps draw `j` to area
///   `j + (j >= i)` (esda copies the data without `i`; this is the same without O(n²)
///   memory). The global Moran's I draws `np.random.permutation(z)` per permutation after
///   the same seeding;
/// - esda's arithmetic, so that exact ties (a draw of exactly the area's own neighbours gives
///   back the observed statistic, often for areas with one neighbour) resolve as in esda:
///   numpy's pairwise sums for the mean, the standard deviation and `Σ z²`, scipy's CSR
///   order for the observed lags, OpenBLAS's `dgemv` order (fused multiply-adds in four
///   lanes) for the simulated ones, esda's formula order for the statistics, `sim >=
///   observed` as "larger", the fold to the smaller tail and `(larger + 1)/(R + 1)`.
///
/// The observed statistic used for the comparison is recomputed in esda's arithmetic; the
/// reported values (`lisa_i`, `gi_star`, `I`) are the same for every engine and agree with
/// esda's to 1e-9. Islands keep sigmap's rule: label `Isolated`, no p-value (esda gives
/// them a spurious `1/(R+1)`). esda's `seed` must be below 2^32, so this engine refuses a
/// larger one.
///
/// Cost: the matrix is drawn on one thread (`R × (n - 2)` random numbers: numpy shuffles
/// all `n - 1` indices for every row; about 1.5 ms for 999 × 650, made once for local Moran
/// and Gi* of the same size and seed), then the areas are evaluated in parallel as with
/// `Shared`. Each simulated value is first computed with a plain sum; only near a tie with
/// the observed value (within a bound on the rounding error) is it recomputed in OpenBLAS's
/// order, which then decides. The global Moran's I shuffles all `n` values per permutation
/// on one thread and evaluates them in parallel blocks.
///
/// Reproduced against esda 2.9 without numba, numpy 2.4 and its bundled OpenBLAS 0.3 on an
/// x86-64 CPU with AVX2 and FMA (the Haswell kernels, also chosen for Skylake-X and Zen).
/// esda with numba (`fastmath`), or numpy on another BLAS, can break those exact ties
/// differently: for example esda with numba differs from esda without it on 2 of 650 Gi*
/// p-values of the 2024 layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// (a) One matrix of draws shared by all areas, as esda.
    #[default]
    Shared,
    /// (b) A stream per area.
    Independent,
    /// (c) esda's own draws and arithmetic: p-values equal to esda's for the same seed.
    Esda,
}

impl std::str::FromStr for Engine {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "shared" => Ok(Engine::Shared),
            "independent" => Ok(Engine::Independent),
            "esda" => Ok(Engine::Esda),
            _ => Err(format!(
                "unknown engine `{s}` (expected shared, independent or esda)"
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

    /// Checks that the engine can use the seed: the esda engine seeds numpy's MT19937,
    /// which takes 32 bits. Every statistic, report and batch checks through here.
    ///
    /// # Errors
    /// [`crate::Error::BadOption`] (`seed`) for the esda engine with a seed of 2^32 or
    /// more and some permutations.
    pub fn check(&self) -> crate::Result<()> {
        if self.engine == Engine::Esda && self.count > 0 && u32::try_from(self.seed).is_err() {
            return Err(crate::Error::BadOption {
                option: "seed",
                expected:
                    "a seed from 0 to 4294967295 for the esda engine (numpy's np.random.seed)"
                        .into(),
                found: self.seed.to_string(),
            });
        }
        Ok(())
    }
}

impl Default for Permutations {
    /// 999 permutations from the default seed.
    fn default() -> Self {
        Permutations::new(999)
    }
}

/// One local statistic's conditional permutation test.
pub(crate) struct LocalTest<'a> {
    /// The observed statistic of each area.
    pub observed: &'a [f64],
    /// The values whose sums over the neighbours make the statistic.
    pub values: &'a [f64],
    /// The statistic of area i from a sum of its neighbours' values, monotone in the sum.
    pub finish: Box<dyn Fn(usize, f64) -> f64 + Sync + 'a>,
}

/// For each of `L` local statistics of the same areas and weights (each area i with
/// `card[i]` neighbours), the pseudo p-value of `observed[i]` against `count` values of
/// `finish(i, sum)`, where `sum` adds up `values` at `card[i]` distinct indices of the other
/// areas, in draw order: `(min(larger, count - larger) + 1) / (count + 1)`, `larger`
/// counting simulated values `>=` the observed one (as esda). Areas with no neighbour get
/// `None`. `finish(i, ·)` must be monotone in the sum (see [`LargerSums`]).
///
/// The `L` tests share their draws: each draw's indices are read once and the `L` sums
/// added side by side, each in the order one test alone adds it, so a test's p-values are
/// the same, bit for bit, alone or beside others (local Moran and Gi* of one petition are
/// tested together).
///
/// Engines (a) and (b) only: [`Engine::Esda`] needs esda's arithmetic for the statistic and
/// runs through `super::esda_engine::local_pseudo_p` instead.
pub(crate) fn pseudo_p_each<const L: usize>(
    card: &[usize],
    perms: Permutations,
    tests: [LocalTest<'_>; L],
) -> [Vec<Option<f64>>; L] {
    let n = card.len();
    debug_assert!(
        tests
            .iter()
            .all(|t| t.values.len() == n && t.observed.len() == n)
    );
    if perms.count == 0 || n < 2 {
        return std::array::from_fn(|_| vec![None; n]);
    }
    let fold = |larger: usize| {
        let larger = larger.min(perms.count - larger);
        (larger as f64 + 1.0) / (perms.count as f64 + 1.0)
    };
    // area j's values of the L tests side by side, so one load of an index serves all
    let values: Vec<[f64; L]> = (0..n)
        .map(|j| std::array::from_fn(|l| tests[l].values[j]))
        .collect();
    let ranges: [(f64, f64); L] = std::array::from_fn(|l| value_range(tests[l].values));
    let tally = |i: usize| {
        Tally::new(std::array::from_fn(|l| {
            let t = &tests[l];
            LargerSums::find(ranges[l], card[i], |sum| (t.finish)(i, sum), t.observed[i])
        }))
    };
    let per_area: Vec<[Option<f64>; L]> = match perms.engine {
        Engine::Shared => {
            let max_card = card.iter().copied().max().unwrap_or(0).min(n - 1);
            // count rows of max_card distinct draws from 0..n-1 (the others, before shifting);
            // local Moran and Gi* of every petition of a batch ask for the same ones
            static LAST: Memo<(usize, usize, usize, u64), Vec<u32>> = Mutex::new(None);
            let draws = remembered(&LAST, &(n, max_card, perms.count, perms.seed), || {
                let mut rng = ChaCha8Rng::seed_from_u64(perms.seed);
                let mut pool: Vec<u32> = (0..n as u32 - 1).collect();
                let mut draws = Vec::with_capacity(perms.count * max_card);
                for _ in 0..perms.count {
                    partial_shuffle(&mut pool, max_card, &mut rng);
                    draws.extend_from_slice(&pool[..max_card]);
                }
                draws
            });
            (0..n)
                .into_par_iter()
                .map_init(
                    || (Vec::new(), None),
                    |(others, without): &mut (Vec<[f64; L]>, Option<usize>), i| {
                        let k = card[i];
                        if k == 0 {
                            return [None; L];
                        }
                        // draw j is area j + (j >= i): the values without area i, made once per
                        // area instead of shifting every draw; from the values without area
                        // i - 1 (a thread's areas come in order) by putting back area i - 1
                        match *without {
                            Some(previous) if previous + 1 == i => {
                                others[previous] = values[previous]
                            }
                            _ => {
                                others.clear();
                                others.extend_from_slice(&values[..i]);
                                others.extend_from_slice(&values[i + 1..]);
                            }
                        }
                        *without = Some(i);
                        let mut tally = tally(i);
                        // two draws side by side: their sums are independent chains of additions
                        let mut rows = draws.chunks_exact(2 * max_card);
                        for pair in &mut rows {
                            let (a, b) = pair.split_at(max_card);
                            tally.add([&a[..k], &b[..k]], others);
                        }
                        for row in rows.remainder().chunks_exact(max_card) {
                            tally.add([&row[..k]], others);
                        }
                        tally.larger.map(|l| Some(fold(l)))
                    },
                )
                .collect()
        }
        Engine::Esda => unreachable!("engine (c) runs through esda_engine::local_pseudo_p"),
        Engine::Independent => (0..n)
            .into_par_iter()
            .map(|i| {
                let k = card[i];
                if k == 0 {
                    return [None; L];
                }
                let mut rng = ChaCha8Rng::seed_from_u64(perms.seed);
                rng.set_stream(i as u64);
                // indices of the other areas: j, shifted past i
                let mut pool: Vec<u32> = (0..n as u32 - 1)
                    .map(|j| j + u32::from(j >= i as u32))
                    .collect();
                let mut tally = tally(i);
                for _ in 0..perms.count {
                    partial_shuffle(&mut pool, k, &mut rng);
                    tally.add([&pool[..k]], &values);
                }
                tally.larger.map(|l| Some(fold(l)))
            })
            .collect(),
    };
    std::array::from_fn(|l| per_area.iter().map(|p| p[l]).collect())
}

/// For each of `L` tests of one area, how many draws (lists of indices into the values)
/// sum to a statistic `>=` the observed one.
struct Tally<const L: usize> {
    /// Each test's [`LargerSums`] as the closed range of sums that count.
    thresholds: [(f64, f64); L],
    larger: [usize; L],
}

impl<const L: usize> Tally<L> {
    fn new(thresholds: [LargerSums; L]) -> Self {
        Tally {
            thresholds: thresholds.map(LargerSums::bounds),
            larger: [0; L],
        }
    }

    /// Counts `R` draws of the same length, summed side by side (independent chains of
    /// additions). Each draw's sums start from `-0.0` and add in draw order, as
    /// `Iterator::sum` does, whatever `R`.
    #[inline]
    fn add<const R: usize>(&mut self, draws: [&[u32]; R], values: &[[f64; L]]) {
        let k = draws[0].len();
        debug_assert!(draws.iter().all(|d| d.len() == k));
        let mut sums = [[-0.0; L]; R];
        for m in 0..k {
            for (sum, draw) in sums.iter_mut().zip(draws) {
                let v = values[draw[m] as usize];
                for l in 0..L {
                    sum[l] += v[l];
                }
            }
        }
        for sum in sums {
            self.count(sum);
        }
    }

    #[inline]
    fn count(&mut self, sum: [f64; L]) {
        for ((larger, (lo, hi)), sum) in self.larger.iter_mut().zip(self.thresholds).zip(sum) {
            *larger += usize::from(lo <= sum && sum <= hi);
        }
    }
}

/// The least and greatest of `values`.
fn value_range(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        })
}

/// Which sums of a local statistic's draws give a statistic `>=` the observed one: for a
/// `finish` monotone in the sum (each caller's scales and shifts the sum by constants, and
/// rounding to nearest keeps that monotone), all sums from a threshold up, or up to one.
/// Found once per area by bisection over the floats between the least and greatest sums
/// of `k` values, so that each permutation compares its sum instead of computing the
/// statistic (two divisions for local Moran), with the same outcome, draw for draw.
#[derive(Debug, Clone, Copy)]
enum LargerSums {
    All,
    None,
    AtLeast(f64),
    AtMost(f64),
}

impl LargerSums {
    fn find(range: (f64, f64), k: usize, finish: impl Fn(f64) -> f64, observed: f64) -> Self {
        // a sum of k values, added as the draws add them, lies between these
        let lo: f64 = std::iter::repeat_n(range.0, k).sum();
        let hi: f64 = std::iter::repeat_n(range.1, k).sum();
        let larger = |s: f64| finish(s) >= observed;
        let (at_lo, at_hi) = (finish(lo), finish(hi));
        let (lo_larger, hi_larger) = (at_lo >= observed, at_hi >= observed);
        // the statistic is the sum scaled and shifted: the crossing is close to where the
        // line through the ends meets the observed value
        let guess = lo + (observed - at_lo) / (at_hi - at_lo) * (hi - lo);
        if at_lo <= at_hi {
            // non-decreasing: the least sum that is larger
            if lo_larger {
                return LargerSums::All;
            }
            if !hi_larger {
                return LargerSums::None;
            }
            LargerSums::AtLeast(bisect(lo, hi, guess, |s| !larger(s)))
        } else {
            // non-increasing: the greatest sum that is larger
            if hi_larger {
                return LargerSums::All;
            }
            if !lo_larger {
                return LargerSums::None;
            }
            let last_out = bisect(lo, hi, guess, larger);
            LargerSums::AtMost(from_ordered(to_ordered(last_out) - 1))
        }
    }

    /// The closed range of the sums that are larger (empty for `None`), so that a draw
    /// is counted by two comparisons and no branch. Sums of finite values are finite.
    fn bounds(self) -> (f64, f64) {
        match self {
            LargerSums::All => (f64::NEG_INFINITY, f64::INFINITY),
            LargerSums::None => (f64::INFINITY, f64::NEG_INFINITY),
            LargerSums::AtLeast(t) => (t, f64::INFINITY),
            LargerSums::AtMost(t) => (f64::NEG_INFINITY, t),
        }
    }

    #[cfg(test)]
    fn holds(self, sum: f64) -> bool {
        let (lo, hi) = self.bounds();
        lo <= sum && sum <= hi
    }
}

/// The least float in `(lo, hi]` where `before` turns false, given `before(lo)` and
/// `!before(hi)`, and `before` true up to a point and false after it. The search gallops
/// out from `guess` (any float, or NaN for none) to a bracket and then halves it: a guess a
/// few floats off takes a few steps instead of the 60 or so of halving the whole range, and
/// any guess finds the same float.
fn bisect(lo: f64, hi: f64, guess: f64, before: impl Fn(f64) -> bool) -> f64 {
    // i128: the places of floats of both signs are more than i64::MAX apart
    let (mut a, mut b) = (i128::from(to_ordered(lo)), i128::from(to_ordered(hi)));
    if b - a > 1 && !guess.is_nan() {
        let g = i128::from(to_ordered(guess)).clamp(a + 1, b - 1);
        let mut step = 1;
        if before(from_ordered(g as i64)) {
            a = g;
            while a + step < b {
                if !before(from_ordered((a + step) as i64)) {
                    b = a + step;
                    break;
                }
                a += step;
                step *= 2;
            }
        } else {
            b = g;
            while b - step > a {
                if before(from_ordered((b - step) as i64)) {
                    a = b - step;
                    break;
                }
                b -= step;
                step *= 2;
            }
        }
    }
    while b - a > 1 {
        let mid = (a + b) / 2;
        if before(from_ordered(mid as i64)) {
            a = mid;
        } else {
            b = mid;
        }
    }
    from_ordered(b as i64)
}

/// A float's place in the order of all floats, as an integer (`-0.0` just below `0.0`).
fn to_ordered(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    if bits < 0 { i64::MIN - bits - 1 } else { bits }
}

/// The float at an integer place of [`to_ordered`].
fn from_ordered(k: i64) -> f64 {
    f64::from_bits(if k < 0 {
        (i64::MIN - k - 1) as u64
    } else {
        k as u64
    })
}

/// Partial Fisher-Yates: afterwards the first `k` entries are a uniform k-subset, in random
/// order.
fn partial_shuffle(pool: &mut [u32], k: usize, rng: &mut ChaCha8Rng) {
    for slot in 0..k {
        let pick = rand::RngExt::random_range(rng, slot..pool.len());
        pool.swap(slot, pick);
    }
}

/// How many permutations of a global statistic are evaluated side by side (see
/// [`global_pseudo_p`]).
pub(crate) const LANES: usize = 4;

/// Pseudo p-value of a global statistic: `count` random permutations of all the values,
/// each from its own stream (seed, permutation index), in parallel;
/// `(min(larger, count - larger) + 1) / (count + 1)` with `larger` counting values `>=` the
/// observed one (as esda). `stat` evaluates [`LANES`] permutations at once (lane `l` of each
/// entry is permutation `l`'s value), each lane as the statistic of that permutation alone;
/// a last group short of [`LANES`] counts only its own lanes. Engines
/// (a) and (b); [`Engine::Esda`] runs through `super::esda_engine::moran_pseudo_p`.
pub(crate) fn global_pseudo_p(
    values: &[f64],
    observed: f64,
    perms: Permutations,
    stat: impl Fn(&[[f64; LANES]]) -> [f64; LANES] + Sync,
) -> Option<f64> {
    if perms.count == 0 {
        return None;
    }
    let n = values.len();
    // the permutations drawn once for a batch's petitions, up to a size; past it each is
    // drawn where it is used, the same permutation from the same stream
    let table = (n > 0 && n.saturating_mul(perms.count) <= GLOBAL_MEMO_ENTRIES)
        .then(|| global_permutations(n, perms));
    let larger = (0..perms.count.div_ceil(LANES))
        .into_par_iter()
        .map_init(
            || (vec![[0.0; LANES]; n], Vec::new()),
            |(shuffled, drawn): &mut (Vec<[f64; LANES]>, Vec<u32>), group| {
                let first = group * LANES;
                let lanes = LANES.min(perms.count - first);
                // a short last group leaves its spare lanes as they were (finite values of
                // an earlier group, or zeros) and does not count them
                for l in 0..lanes {
                    let p = first + l;
                    let permutation = match &table {
                        Some(table) => &table[p * n..(p + 1) * n],
                        None => {
                            drawn.clear();
                            drawn.extend(0..n as u32);
                            drawn.shuffle(&mut global_stream(perms.seed, p));
                            &drawn[..]
                        }
                    };
                    for (v, &j) in shuffled.iter_mut().zip(permutation) {
                        v[l] = values[j as usize];
                    }
                }
                stat(shuffled)[..lanes]
                    .iter()
                    .filter(|&&s| s >= observed)
                    .count()
            },
        )
        .sum::<usize>();
    let larger = larger.min(perms.count - larger);
    Some((larger as f64 + 1.0) / (perms.count as f64 + 1.0))
}

/// Keeps the global statistics' streams apart from the per-area streams of the same seed.
const GLOBAL_STREAMS: u64 = 0x9e37_79b9_7f4a_7c15;

/// Permutation `p`'s stream of a global statistic.
fn global_stream(seed: u64, p: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ GLOBAL_STREAMS);
    rng.set_stream(p as u64);
    rng
}

/// The largest table of permutations kept between calls (`n × count` indices: 16 MB).
const GLOBAL_MEMO_ENTRIES: usize = 1 << 22;

/// The `count` permutations of `0..n` that [`global_pseudo_p`] draws from the seed (a
/// shuffle only moves positions, so shuffling the indices and gathering the values is the
/// same as shuffling the values), rows of `n`. A batch asks for the same ones for every
/// petition, and drawing them was a third of a global Moran's I.
fn global_permutations(n: usize, perms: Permutations) -> Arc<Vec<u32>> {
    static LAST: Memo<(usize, usize, u64), Vec<u32>> = Mutex::new(None);
    remembered(&LAST, &(n, perms.count, perms.seed), || {
        let mut table = vec![0u32; n * perms.count];
        table
            .par_chunks_mut(n.max(1))
            .enumerate()
            .for_each(|(p, row)| {
                for (i, v) in row.iter_mut().enumerate() {
                    *v = i as u32;
                }
                row.shuffle(&mut global_stream(perms.seed, p));
            });
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The p-value as it was drawn before the table: each permutation shuffles the values.
    fn shuffled_each_time(values: &[f64], observed: f64, perms: Permutations) -> usize {
        (0..perms.count)
            .filter(|&p| {
                let mut shuffled = values.to_vec();
                shuffled.shuffle(&mut global_stream(perms.seed, p));
                order_sensitive(&shuffled) >= observed
            })
            .count()
    }

    fn order_sensitive(v: &[f64]) -> f64 {
        v.iter()
            .enumerate()
            .map(|(i, x)| (i as f64).sin() * x)
            .sum()
    }

    /// [`order_sensitive`] of each lane's permutation.
    fn order_sensitive_lanes(v: &[[f64; LANES]]) -> [f64; LANES] {
        std::array::from_fn(|l| order_sensitive(&v.iter().map(|x| x[l]).collect::<Vec<_>>()))
    }

    #[test]
    fn a_threshold_on_the_sum_decides_as_the_statistic_does() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let values: Vec<f64> = (0..200)
            .map(|_| rand::RngExt::random_range(&mut rng, -3.0..5.0))
            .collect();
        let range = value_range(&values);
        let (nf, den) = (200.0, 173.25);
        for i in 0..values.len() {
            let k = 1 + i % 9;
            let z = values[i];
            // local Moran's statistic (either direction with the sign of z) and Gi*'s
            let moran = |sum: f64| (nf - 1.0) * z * (sum / k as f64) / den;
            let g = |sum: f64| (sum + z) / 311.0;
            for (name, finish) in [("moran", &moran as &dyn Fn(f64) -> f64), ("g", &g)] {
                // observed values from real sums, so that exact ties occur
                let mut pool: Vec<u32> = (0..values.len() as u32).collect();
                partial_shuffle(&mut pool, k, &mut rng);
                let observed = finish(pool[..k].iter().map(|&j| values[j as usize]).sum());
                let larger = LargerSums::find(range, k, finish, observed);
                for _ in 0..300 {
                    partial_shuffle(&mut pool, k, &mut rng);
                    let sum: f64 = pool[..k].iter().map(|&j| values[j as usize]).sum();
                    assert_eq!(
                        larger.holds(sum),
                        finish(sum) >= observed,
                        "{name}, area {i}, sum {sum}, {larger:?}"
                    );
                }
                // and at the threshold itself and its neighbouring floats
                if let LargerSums::AtLeast(t) | LargerSums::AtMost(t) = larger {
                    for s in [t.next_down(), t, t.next_up()] {
                        assert_eq!(larger.holds(s), finish(s) >= observed, "{name}, {s}");
                    }
                }
            }
        }
    }

    #[test]
    fn any_guess_finds_the_same_float() {
        let cases = [
            (-3.0, 5.0, 0.1),
            (-3.0, 5.0, -2.999_999),
            (1e-9, 1e9, 4.5),
            (-8.0, -1.0, -7.0),
        ];
        for (lo, hi, turn) in cases {
            let before = |s: f64| s < turn;
            let want = bisect(lo, hi, f64::NAN, before);
            assert_eq!(want, turn, "the least float that is not before the turn");
            let near = [turn.next_down(), turn.next_up(), turn + 1e-12, turn - 1e-3];
            let far = [lo, hi, f64::INFINITY, f64::NEG_INFINITY, 0.0, -0.0, 1e300];
            for guess in near.into_iter().chain(far) {
                assert_eq!(
                    bisect(lo, hi, guess, before),
                    want,
                    "{lo} {hi} {turn} {guess}"
                );
            }
        }
    }

    #[test]
    fn floats_keep_their_order_as_integers() {
        let xs = [
            f64::MIN,
            -1.5,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            5e-324,
            1.0,
            f64::MAX,
        ];
        for w in xs.windows(2) {
            assert!(to_ordered(w[0]) < to_ordered(w[1]), "{w:?}");
        }
        for x in xs {
            assert_eq!(from_ordered(to_ordered(x)).to_bits(), x.to_bits());
        }
        assert_eq!(to_ordered(0.0) - to_ordered(-0.0), 1);
    }

    #[test]
    fn the_remembered_permutations_are_the_drawn_ones() {
        let values: Vec<f64> = (0..97).map(|i| ((i * 7919) % 101) as f64 / 7.0).collect();
        let observed = order_sensitive(&values);
        // twice for each seed (the second from the table), and back to the first seed
        for seed in [1, 2, 1] {
            let perms = Permutations::new(199).seed(seed);
            let larger = shuffled_each_time(&values, observed, perms);
            let want = (larger.min(199 - larger) as f64 + 1.0) / 200.0;
            for _ in 0..2 {
                let got = global_pseudo_p(&values, observed, perms, order_sensitive_lanes);
                assert_eq!(got, Some(want), "seed {seed}");
            }
            // and permutation by permutation, the same arrangement
            let table = global_permutations(values.len(), perms);
            for (p, row) in table.chunks(values.len()).enumerate() {
                let mut shuffled = values.clone();
                shuffled.shuffle(&mut global_stream(seed, p));
                let gathered: Vec<f64> = row.iter().map(|&j| values[j as usize]).collect();
                assert_eq!(gathered, shuffled, "seed {seed}, permutation {p}");
            }
        }
    }

    /// Past the table's size each permutation is drawn where it is used: the same
    /// permutations, in groups of [`LANES`] with a short last group.
    #[test]
    fn permutations_past_the_table_are_the_same_draws() {
        let n = GLOBAL_MEMO_ENTRIES / 101 + 1;
        let values: Vec<f64> = (0..n).map(|i| ((i * 7919) % 101) as f64 / 7.0).collect();
        let observed = order_sensitive(&values) * 0.999;
        for count in [101, 103] {
            let perms = Permutations::new(count).seed(3);
            assert!(n * count > GLOBAL_MEMO_ENTRIES);
            let larger = shuffled_each_time(&values, observed, perms);
            assert!(larger > 0 && larger < count, "a test that can tell");
            let want = (larger.min(count - larger) as f64 + 1.0) / (count as f64 + 1.0);
            let got = global_pseudo_p(&values, observed, perms, order_sensitive_lanes);
            assert_eq!(got, Some(want), "{count} permutations");
        }
    }
}
