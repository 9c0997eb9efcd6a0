//! How sure a rank is: rank intervals.
//!
//! A seat's rate is an estimate from a count, and its rank inherits the count's noise: a
//! small seat ranked 3rd may plausibly be anywhere from 1st to 9th. Every seat's rate has a
//! posterior given its count (Poisson count, Jeffreys prior: `Gamma(k + 1/2, 1) /
//! denominator`), and so has its rank; [`rank_intervals`] reports the central interval of
//! each seat's rank ("ranked 3rd, plausibly 1st-9th"). By default ([`RankMethod::Pairwise`])
//! the rank's distribution is computed, without draws; [`RankMethod::Fast`] and
//! [`RankMethod::Reference`] draw every rate, rank the seats in each draw, and take the
//! central interval of the drawn ranks.
//!
//! The results are reproducible: pairwise intervals depend on the counts alone, and draw `s`
//! uses its own random stream `s` from the seed, so drawn intervals depend on the seed, the
//! number of draws and the [`RankMethod`] only; neither depends on the number of threads.

use rand::SeedableRng;
use rand::rngs::Xoshiro256PlusPlus;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Gamma, Open01, StandardNormal};
use rayon::prelude::*;
use serde::Serialize;
use std::sync::{Arc, Mutex};

use crate::stats::memo::{Memo, remembered};

/// The default number of draws.
pub const DEFAULT_DRAWS: usize = 1000;
/// The default seed of the draws.
pub const DEFAULT_SEED: u64 = 12345;

/// A seat's rank and the central interval of its simulated ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RankInterval {
    /// Best plausible rank (the smaller number: 1 is the highest rate).
    pub best: u32,
    /// Worst plausible rank (the larger number).
    pub worst: u32,
}

impl std::fmt::Display for RankInterval {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.best == self.worst {
            write!(f, "{}", self.best)
        } else {
            write!(f, "{}-{}", self.best, self.worst)
        }
    }
}

/// How rank intervals are made. `Fast` and `Reference` draw each rate from the same
/// posterior and rank every draw; they differ in their random streams and speed, so their
/// intervals agree to Monte Carlo error. `Pairwise`, the default, computes the distribution
/// the draws sample, and agrees with them as closely (`tests/integration/fairness.rs` checks
/// both on real petitions, and `Pairwise` against the exact intervals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RankMethod {
    /// A Xoshiro256++ stream per draw (seeded from ChaCha8 stream `s`), Marsaglia-Tsang Gamma
    /// draws (`Gamma(1/2)` as `Z²/2`), each draw ranked by a bucket sort on its rates. Each
    /// stream opens with every seat's first try (a normal and a uniform), which depends on
    /// the seed and sizes alone: the last table of them is kept, so the petitions of a batch
    /// draw them once. Faster than `Reference` by 3x and more on 650 seats (`cargo bench
    /// --bench batch`). The default until `Pairwise` (it reproduces earlier outputs).
    Fast,
    /// sigmap 0.1's draws: a ChaCha8 stream per draw, `rand_distr::Gamma`, each draw ranked
    /// by a comparison sort. Kept to reproduce earlier outputs.
    Reference,
    /// No draws: each seat's rank distribution computed from the chances that each other
    /// seat's rate exceeds its own, given its own, integrated over its posterior (a refined
    /// normal approximation to the number above it, on a shared grid of rates; see
    /// `src/table/pairwise_ranks.rs`). No Monte Carlo error, so the seed does not matter
    /// and `draws` only turns the intervals on (0: none). Nearer the exact intervals than
    /// 1,000 draws (16% of ends one rank off on 39 real petitions, against 81% by up to 64),
    /// and about 3 times as fast as `Fast` on 650 seats (`cargo bench --bench batch`).
    #[default]
    Pairwise,
}

impl std::str::FromStr for RankMethod {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "fast" => Ok(RankMethod::Fast),
            "reference" => Ok(RankMethod::Reference),
            "pairwise" => Ok(RankMethod::Pairwise),
            _ => Err(format!(
                "unknown rank method `{s}` (expected fast, reference or pairwise)"
            )),
        }
    }
}

/// How rank intervals are made: by default [`RankMethod::Pairwise`] at the 95% level (the
/// draws and seed matter only to the methods that draw).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[must_use]
#[non_exhaustive]
pub struct RankSimulation {
    /// Number of draws (0: no intervals; with [`RankMethod::Pairwise`], any other number
    /// makes the same intervals).
    pub draws: usize,
    /// Seed of the draws.
    pub seed: u64,
    /// Coverage of the interval (0.95: the 2.5th to 97.5th percentile of the ranks).
    pub level: f64,
    /// How the intervals are made.
    pub method: RankMethod,
}

impl Default for RankSimulation {
    fn default() -> Self {
        RankSimulation {
            draws: DEFAULT_DRAWS,
            seed: DEFAULT_SEED,
            level: 0.95,
            method: RankMethod::Pairwise,
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

    /// Sets how the intervals are made.
    pub fn method(self, method: RankMethod) -> Self {
        RankSimulation { method, ..self }
    }
}

/// Central rank intervals of rates `count / denominator` (rank 1 = highest), from each seat's
/// posterior rate, as `simulation.method` makes them. Seats with a zero denominator are not
/// ranked (`None`). Returns no intervals (all `None`) when `simulation.draws` is 0.
///
/// # Examples
/// ```
/// use sigmap::{RankSimulation, rank_intervals};
/// // Three big seats with clearly different rates, and a tiny one whose rate is noise
/// let counts = [9000, 6000, 3000, 2];
/// let voters = [30_000, 30_000, 30_000, 10];
/// let r = rank_intervals(&counts, &voters, RankSimulation::default());
/// let tiny = r[3].unwrap();
/// assert!(tiny.best == 1 && tiny.worst == 4, "{tiny}"); // 200 per 1,000, but from 2 signatures
/// assert_eq!(r[2].unwrap().worst, 4);
/// // second or third: the first big seat always leads it, the tiny one sometimes does
/// assert_eq!(r[1].unwrap().to_string(), "2-3");
/// ```
///
/// # Complexity
/// [`RankMethod::Pairwise`]: seats times the grid points their posteriors span, a few hundred
/// on real petitions (see `src/table/pairwise_ranks.rs`). O(draws · n) time with
/// [`RankMethod::Fast`] (O(draws · n log n) with `Reference`),
/// O(draws · n) memory (u32 ranks, and with `Fast` the kept first tries, 16 bytes a draw and
/// seat up to 4 million of them), draws in parallel.
pub fn rank_intervals(
    counts: &[u64],
    denominators: &[u64],
    simulation: RankSimulation,
) -> Vec<Option<RankInterval>> {
    let n = counts.len();
    let ranked: Vec<usize> = (0..n).filter(|&i| denominators[i] > 0).collect();
    let mut out = vec![None; n];
    if simulation.draws == 0 || ranked.is_empty() {
        return out;
    }
    let intervals = match simulation.method {
        RankMethod::Fast => {
            let ranks = fast_ranks(counts, denominators, &ranked, simulation);
            central_intervals(&ranks, ranked.len(), simulation)
        }
        RankMethod::Reference => {
            let ranks = reference_ranks(counts, denominators, &ranked, simulation);
            central_intervals(&ranks, ranked.len(), simulation)
        }
        RankMethod::Pairwise => {
            let pick = |values: &[u64]| -> Vec<u64> { ranked.iter().map(|&i| values[i]).collect() };
            super::pairwise_ranks::intervals(&pick(counts), &pick(denominators), simulation.level)
        }
    };
    for (&i, interval) in ranked.iter().zip(intervals) {
        out[i] = Some(interval);
    }
    out
}

/// `draws` rows of the ranks of the `ranked` seats, drawn as [`RankMethod::Reference`].
fn reference_ranks(
    counts: &[u64],
    denominators: &[u64],
    ranked: &[usize],
    simulation: RankSimulation,
) -> Vec<u32> {
    let posteriors: Vec<Option<Gamma<f64>>> = ranked
        .iter()
        .map(|&i| Gamma::new(counts[i] as f64 + 0.5, 1.0).ok())
        .collect();
    let mut ranks = vec![0u32; simulation.draws * ranked.len()];
    ranks
        .par_chunks_mut(ranked.len())
        .enumerate()
        .for_each(|(s, rank)| {
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
            for (pos, &m) in order.iter().enumerate() {
                rank[m] = pos as u32 + 1;
            }
        });
    ranks
}

/// A seat's posterior rate `Gamma(k + 1/2, 1) / denominator`, as [`RankMethod::Fast`]
/// draws it.
#[derive(Debug, Clone, Copy)]
struct Posterior {
    /// Marsaglia-Tsang's `d = shape - 1/3` (0 for a count of 0: shape 1/2).
    d: f64,
    /// Marsaglia-Tsang's `c = 1 / sqrt(9d)`.
    c: f64,
    /// What multiplies the unscaled draw into a rate.
    scale: f64,
}

impl Posterior {
    fn new(count: u64, denominator: u64) -> Posterior {
        let denominator = denominator as f64;
        if count == 0 {
            // Gamma(1/2) is Z²/2: one normal, where Marsaglia-Tsang needs a boost and a powf
            return Posterior {
                d: 0.0,
                c: 0.0,
                scale: 0.5 / denominator,
            };
        }
        let d = count as f64 + 0.5 - 1.0 / 3.0;
        Posterior {
            d,
            c: (9.0 * d).sqrt().recip(),
            scale: d / denominator,
        }
    }

    /// One rate (finite and non-negative) from a first try `(x, u)`, a standard normal and
    /// an open uniform, and from `retry` for any further tries.
    #[inline]
    fn rate(&self, [mut x, mut u]: [f64; 2], retry: &mut impl FnMut() -> [f64; 2]) -> f64 {
        if self.d == 0.0 {
            return x * x * self.scale;
        }
        // Marsaglia and Tsang (2000), as rand_distr's Gamma for shapes of 1 and more
        loop {
            let v = 1.0 + self.c * x;
            if v > 0.0 {
                let v = v * v * v;
                let x2 = x * x;
                if u < 1.0 - 0.0331 * x2 * x2
                    || self.accepts_without_logs(x, u)
                    || u.ln() < 0.5 * x2 + self.d * (1.0 - v + v.ln())
                {
                    return v * self.scale;
                }
            }
            [x, u] = retry();
        }
    }

    /// Whether Marsaglia-Tsang's logarithmic test `ln u < x²/2 + d(1 - v + ln v)` is sure to
    /// accept, decided without its two logarithms (they were a quarter of the sampling time).
    /// With `t = c·x`, the right side is `-3d·(t⁴/4 - t⁵/5 + t⁶/6 - ...)` (the terms up to
    /// `t²` cancel, since `d·c² = 1/9`), at least `-3d·t⁴ / (4·min(1, 1 + t))`; and
    /// `ln u <= u - 1`. A margin of `1e-12·(1 + x² + d·v)`, thousands of times the test's
    /// rounding error (about `1e-16·(6 + 5v)·d`), keeps the decision the test's own: this
    /// only skips logarithms, it never changes a draw. For large counts the bound is nearly 0
    /// and decides almost every draw that the fixed squeeze leaves.
    #[inline]
    fn accepts_without_logs(&self, x: f64, u: f64) -> bool {
        let t = self.c * x;
        let base = 1.0 + t;
        let t2 = t * t;
        let bound = -0.75 * self.d * t2 * t2 / base.min(1.0);
        let cube = base * base * base;
        let margin = 1e-12 * (1.0 + x * x + self.d * cube);
        u - 1.0 < bound - margin
    }
}

/// `draws` rows of the ranks of the `ranked` seats, drawn as [`RankMethod::Fast`].
fn fast_ranks(
    counts: &[u64],
    denominators: &[u64],
    ranked: &[usize],
    simulation: RankSimulation,
) -> Vec<u32> {
    let (n, seed) = (ranked.len(), simulation.seed);
    let posteriors: Vec<Posterior> = ranked
        .iter()
        .map(|&i| Posterior::new(counts[i], denominators[i]))
        .collect();
    let table =
        (n * simulation.draws <= TABLED).then(|| FirstTries::remembered(n, simulation.draws, seed));
    draw_ranks(&posteriors, table.as_deref(), simulation)
}

/// Draws and ranks the rates of `posteriors`, taking the first tries from `table` where it
/// is given (it must be the [`FirstTries`] of this size and seed), else from the streams.
fn draw_ranks(
    posteriors: &[Posterior],
    table: Option<&FirstTries>,
    simulation: RankSimulation,
) -> Vec<u32> {
    let (n, seed) = (posteriors.len(), simulation.seed);
    let mut ranks = vec![0u32; simulation.draws * n];
    ranks.par_chunks_mut(n).enumerate().for_each_init(
        || DrawScratch::new(n),
        |scratch, (s, rank)| {
            // the stream after the first tries, for the tries after a rejection
            let (tries, mut stream) = match table {
                Some(table) => (&table.tries[s * n..(s + 1) * n], table.streams[s].clone()),
                None => {
                    // made here, not in DrawScratch::new: with a table it stays empty
                    scratch.tries.resize(n, [0.0; 2]);
                    let stream = first_tries(seed, s, &mut scratch.tries);
                    (&scratch.tries[..], stream)
                }
            };
            let mut retry = || {
                [
                    StandardNormal.sample(&mut stream),
                    Open01.sample(&mut stream),
                ]
            };
            let (mut lo, mut hi) = (u64::MAX, 0);
            for ((key, p), &first) in scratch.keys.iter_mut().zip(posteriors).zip(tries) {
                // non-negative floats order as their bits do
                *key = p.rate(first, &mut retry).to_bits();
                (lo, hi) = (lo.min(*key), hi.max(*key));
            }
            scratch.rank(lo, hi, rank);
        },
    );
    ranks
}

/// Draws times seats up to which [`FirstTries`] are kept (16 bytes each: 10 MB for 1,000
/// draws of 650 seats); more are drawn as they are needed, the same numbers.
const TABLED: usize = 1 << 22;

/// Fills `row` with draw `s`'s first tries and returns its stream after them. Draw `s` has
/// its own stream, a Xoshiro256++ seeded from ChaCha8 stream `s` (as independent as
/// `Reference`'s streams; Xoshiro256++ draws 3x faster); it opens with each seat's first
/// try at its rate, a normal and a uniform, and goes on to the tries after a rejection (a few
/// in a hundred for the smallest counts, fewer for larger ones).
fn first_tries(seed: u64, s: usize, row: &mut [[f64; 2]]) -> Xoshiro256PlusPlus {
    let mut seeder = ChaCha8Rng::seed_from_u64(seed);
    seeder.set_stream(s as u64);
    let mut rng = Xoshiro256PlusPlus::from_rng(&mut seeder);
    for t in row {
        *t = [StandardNormal.sample(&mut rng), Open01.sample(&mut rng)];
    }
    rng
}

/// Every draw's [`first_tries`]. They depend on the seed and sizes alone, not on the counts,
/// so the last table made is kept: the petitions of a batch share it instead of drawing
/// 1,300 numbers a draw each.
struct FirstTries {
    /// `[normal, uniform]` for each draw and seat, draw by draw.
    tries: Vec<[f64; 2]>,
    /// Each draw's stream after its first tries.
    streams: Vec<Xoshiro256PlusPlus>,
}

impl FirstTries {
    fn remembered(n: usize, draws: usize, seed: u64) -> Arc<FirstTries> {
        static LAST: Memo<(usize, usize, u64), FirstTries> = Mutex::new(None);
        remembered(&LAST, &(n, draws, seed), || {
            let mut tries = vec![[0.0; 2]; n * draws];
            let streams = tries
                .par_chunks_mut(n)
                .enumerate()
                .map(|(s, row)| first_tries(seed, s, row))
                .collect();
            FirstTries { tries, streams }
        })
    }
}

/// The buffers of ranking one draw.
struct DrawScratch {
    /// The first tries of a draw, where they are not kept in a table.
    tries: Vec<[f64; 2]>,
    keys: Vec<u64>,
    /// The keys with their indices, in the order of their buckets, then sorted.
    sorted: Vec<(u64, u32)>,
    starts: Vec<u32>,
}

impl DrawScratch {
    fn new(n: usize) -> DrawScratch {
        DrawScratch {
            tries: Vec::new(),
            keys: vec![0; n],
            sorted: vec![(0, 0); n],
            starts: Vec::new(),
        }
    }

    /// Writes each key's rank (1: the largest; equal keys: the lower index first), given
    /// the least and greatest key, by a bucket sort over the keys' range, about two
    /// buckets per key, then one insertion pass (a key only moves within its bucket):
    /// linear time where a comparison sort of every draw was most of a batch's time.
    fn rank(&mut self, lo: u64, hi: u64, rank: &mut [u32]) {
        let keys = &self.keys;
        debug_assert!(keys.iter().all(|&k| lo <= k && k <= hi));
        let buckets = (2 * keys.len()).next_power_of_two();
        let span_bits = 64 - (hi - lo).leading_zeros();
        let shift = span_bits.saturating_sub(buckets.trailing_zeros());
        // the largest keys in the first bucket
        let bucket = |k: u64| ((hi - k) >> shift) as usize;
        let starts = &mut self.starts;
        starts.clear();
        starts.resize(buckets, 0);
        for &k in keys {
            starts[bucket(k)] += 1;
        }
        // where each bucket starts; the running total stays in a register (adding to the
        // element just stored waited on the store: a third of the ranking)
        let mut total = 0;
        for start in starts.iter_mut() {
            let count = *start;
            *start = total;
            total += count;
        }
        // in index order, so that equal keys stay in index order; each key beside its
        // index, so that the sort reads no key through an index
        for (i, &k) in keys.iter().enumerate() {
            let slot = &mut starts[bucket(k)];
            self.sorted[*slot as usize] = (k, i as u32);
            *slot += 1;
        }
        insertion_sort_descending(&mut self.sorted);
        for (pos, &(_, i)) in self.sorted.iter().enumerate() {
            rank[i as usize] = pos as u32 + 1;
        }
    }
}

/// Moves per key after which [`insertion_sort_descending`] gives up for a comparison sort:
/// keys bunched in a few buckets, as when an outlier stretches the range.
const MOVES_PER_KEY: usize = 8;

/// Sorts (key, index) pairs by key, largest first, equal keys in the order given: an
/// insertion sort, linear on pairs already in order of their buckets; past
/// [`MOVES_PER_KEY`] moves a key, a comparison sort on (key, index), which orders equal
/// keys by index as the buckets did.
fn insertion_sort_descending(sorted: &mut [(u64, u32)]) {
    let mut budget = MOVES_PER_KEY * sorted.len();
    for j in 1..sorted.len() {
        let item = sorted[j];
        if sorted[j - 1].0 >= item.0 {
            continue;
        }
        let mut i = j;
        while i > 0 && sorted[i - 1].0 < item.0 {
            sorted[i] = sorted[i - 1];
            i -= 1;
        }
        sorted[i] = item;
        budget = budget.saturating_sub(j - i);
        if budget == 0 {
            sorted.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            return;
        }
    }
}

/// Seats whose ranks are counted together: one pass over the draws reads a cache line of
/// each row instead of one rank.
const SEAT_BLOCK: usize = 16;

/// Each seat's central interval of its ranks in `ranks` (rows of `n` ranks, one per draw):
/// the order statistics the level asks for, found by counting the ranks (1..=n) per seat.
fn central_intervals(ranks: &[u32], n: usize, simulation: RankSimulation) -> Vec<RankInterval> {
    let draws = simulation.draws;
    let tail = (1.0 - simulation.level) / 2.0;
    let lo = ((draws as f64 * tail).floor() as usize).min(draws - 1);
    let hi = ((draws as f64 * (1.0 - tail)).ceil() as usize)
        .saturating_sub(1)
        .clamp(lo, draws - 1);
    let blocks: Vec<Vec<RankInterval>> = (0..n.div_ceil(SEAT_BLOCK))
        .into_par_iter()
        .map_init(
            || (Vec::new(), Vec::new()),
            |(counts, totals): &mut (Vec<u16>, Vec<u32>), block| {
                let first = block * SEAT_BLOCK;
                let width = SEAT_BLOCK.min(n - first);
                totals.clear();
                totals.resize(width * (n + 1), 0);
                // counted in u16 (a block's counts then fit in the first-level cache), in
                // runs of draws that cannot overflow them
                for run in ranks.chunks(n * usize::from(u16::MAX)) {
                    counts.clear();
                    counts.resize(width * (n + 1), 0);
                    for row in run.chunks_exact(n) {
                        for (seat, &r) in row[first..first + width].iter().enumerate() {
                            counts[seat * (n + 1) + r as usize] += 1;
                        }
                    }
                    for (total, &count) in totals.iter_mut().zip(counts.iter()) {
                        *total += u32::from(count);
                    }
                }
                totals
                    .chunks_exact(n + 1)
                    .map(|counts| order_statistics(counts, lo, hi))
                    .collect()
            },
        )
        .collect();
    blocks.into_iter().flatten().collect()
}

/// The `lo`-th and `hi`-th (0-based, `lo <= hi`) smallest ranks from the count of each rank.
fn order_statistics(counts: &[u32], lo: usize, hi: usize) -> RankInterval {
    let (mut seen, mut low) = (0usize, None);
    for (rank, &c) in counts.iter().enumerate() {
        seen += c as usize;
        if low.is_none() && seen > lo {
            low = Some(rank as u32);
        }
        if seen > hi {
            return RankInterval {
                best: low.unwrap_or(rank as u32),
                worst: rank as u32,
            };
        }
    }
    unreachable!("the counts hold every draw")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_intervals_whatever_the_threads() {
        let counts: Vec<u64> = (0..200).map(|i| (i * 37 % 101) as u64).collect();
        let voters: Vec<u64> = (0..200).map(|i| 1000 + (i * 53 % 97) as u64).collect();
        // the draws' seed matters (pairwise has its own test of threads)
        let sim = RankSimulation::new(300).method(RankMethod::Fast);
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
            r.iter().map(|r| r.unwrap().worst - r.unwrap().best).sum()
        };
        assert!(width(&b) * 3 < width(&a), "{} vs {}", width(&b), width(&a));
        for (i, r) in b.iter().enumerate() {
            let rank = 50 - i as u32;
            let r = r.unwrap();
            assert!(r.best <= rank && rank <= r.worst, "seat {i}: {r}");
        }
    }

    #[test]
    fn the_bound_accepts_only_what_the_logarithmic_test_accepts() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        for count in [1, 2, 5, 30, 1_000, 100_000, 10_000_000] {
            let p = Posterior::new(count, 1);
            let (mut left, mut decided) = (0, 0);
            for _ in 0..200_000 {
                let x: f64 = StandardNormal.sample(&mut rng);
                let u: f64 = Open01.sample(&mut rng);
                let v = 1.0 + p.c * x;
                let x2 = x * x;
                if v <= 0.0 || u < 1.0 - 0.0331 * x2 * x2 {
                    continue;
                }
                let v = v * v * v;
                left += 1;
                if p.accepts_without_logs(x, u) {
                    decided += 1;
                    assert!(
                        u.ln() < 0.5 * x2 + p.d * (1.0 - v + v.ln()),
                        "count {count}, x {x}, u {u}"
                    );
                }
            }
            // most of what the fixed squeeze leaves, and nearly all of it for large counts
            assert!(decided * 2 > left, "count {count}: {decided} of {left}");
            if count >= 1_000 {
                assert!(
                    decided * 100 > left * 99,
                    "count {count}: {decided} of {left}"
                );
            }
        }
    }

    #[test]
    fn rates_are_drawn_from_the_posterior() {
        use statrs::distribution::{ContinuousCDF, Gamma as GammaDistribution};
        // Kolmogorov-Smirnov against Gamma(k + 1/2, rate = denominator); 1.95 / sqrt(n) is the
        // 0.1% critical value (dropping Marsaglia-Tsang's rejections fails it for small counts)
        let n = 100_000;
        for count in [0u64, 1, 2, 7, 60, 5_000] {
            let denominator = 40;
            let p = Posterior::new(count, denominator);
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(count);
            let mut retry = || [StandardNormal.sample(&mut rng), Open01.sample(&mut rng)];
            let mut draws: Vec<f64> = (0..n)
                .map(|_| {
                    let first = retry();
                    p.rate(first, &mut retry)
                })
                .collect();
            draws.sort_by(f64::total_cmp);
            let posterior = GammaDistribution::new(count as f64 + 0.5, denominator as f64).unwrap();
            let d = draws
                .iter()
                .enumerate()
                .map(|(i, &x)| {
                    let f = posterior.cdf(x);
                    (f - i as f64 / n as f64).max((i + 1) as f64 / n as f64 - f)
                })
                .fold(0.0, f64::max);
            assert!(d < 1.95 / (n as f64).sqrt(), "count {count}: D = {d}");
        }
    }

    #[test]
    fn the_kept_first_tries_are_the_streams_own() {
        // the table only keeps numbers: drawing them as they are needed ranks the same
        let posteriors: Vec<Posterior> = (0..120)
            .map(|i| Posterior::new(i * i % 37, 100 + i))
            .collect();
        let sim = RankSimulation::new(200).seed(9);
        let table = FirstTries::remembered(120, 200, 9);
        let kept = draw_ranks(&posteriors, Some(&table), sim);
        assert_eq!(kept, draw_ranks(&posteriors, None, sim));
        // asked for another seed, the memo makes that seed's table, not the last one
        let other = FirstTries::remembered(120, 200, 10);
        let kept_other = draw_ranks(&posteriors, Some(&other), sim.seed(10));
        assert_eq!(kept_other, draw_ranks(&posteriors, None, sim.seed(10)));
        assert_ne!(kept, kept_other);
    }

    #[test]
    fn draws_are_ranked_as_a_comparison_sort_ranks_them() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let rates = |rng: &mut Xoshiro256PlusPlus, case: usize| -> f64 {
            let z: f64 = StandardNormal.sample(rng);
            match case {
                0 => 3.0 + z.clamp(-2.0, 2.0), // spread over the buckets
                1 => (1.0 + 0.01 * z).abs(),   // bunched
                2 => (z * 4.0).round().abs(),  // many equal keys
                _ => (z * z).powi(6), // an outlier stretches the range: few crowded buckets
            }
        };
        for case in 0..4 {
            for n in [1, 2, 3, 17, 650, 2_000] {
                let mut scratch = DrawScratch::new(n);
                for key in scratch.keys.iter_mut() {
                    *key = rates(&mut rng, case).to_bits();
                }
                let mut rank = vec![0; n];
                let lo = scratch.keys.iter().copied().min().unwrap_or(0);
                let hi = scratch.keys.iter().copied().max().unwrap_or(0);
                scratch.rank(lo, hi, &mut rank);
                let mut order: Vec<usize> = (0..n).collect();
                order.sort_by(|&a, &b| scratch.keys[b].cmp(&scratch.keys[a]).then(a.cmp(&b)));
                for (pos, &i) in order.iter().enumerate() {
                    assert_eq!(rank[i], pos as u32 + 1, "case {case}, {n} keys, key {i}");
                }
            }
        }
    }

    #[test]
    fn intervals_are_the_order_statistics_of_the_ranks_past_u16_counts() {
        // more draws than a u16 count holds, with one rank drawn in nearly all of them
        let (n, draws) = (3, 70_000);
        let mut ranks = Vec::with_capacity(n * draws);
        for s in 0..draws {
            let row: [u32; 3] = match s % 100 {
                0 => [3, 1, 2],
                1..=3 => [2, 3, 1],
                _ => [1, 2, 3],
            };
            ranks.extend_from_slice(&row);
        }
        let sim = RankSimulation::new(draws);
        let got = central_intervals(&ranks, n, sim);
        for (seat, interval) in got.iter().enumerate() {
            let mut own: Vec<u32> = ranks.iter().skip(seat).step_by(n).copied().collect();
            own.sort_unstable();
            let (lo, hi) = (
                (draws as f64 * 0.025) as usize,
                (draws as f64 * 0.975).ceil() as usize - 1,
            );
            assert_eq!(
                (interval.best, interval.worst),
                (own[lo], own[hi]),
                "seat {seat}"
            );
        }
        assert_eq!(got[0], RankInterval { best: 1, worst: 2 });
    }

    #[test]
    fn no_draws_and_zero_denominators() {
        assert_eq!(
            rank_intervals(&[1, 2], &[10, 10], RankSimulation::new(0)),
            vec![None, None]
        );
        let r = rank_intervals(&[1, 2, 3], &[10, 0, 10], RankSimulation::new(50));
        assert!(r[1].is_none() && r[0].is_some());
        assert_eq!(r[2].unwrap().worst.max(r[0].unwrap().worst), 2);
    }
}
