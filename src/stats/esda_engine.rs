//! Engine (c), [`Engine::Esda`](super::Engine::Esda): esda's random draws and floating-point arithmetic, rebuilt
//! so that for the same seed the pseudo p-values are esda's, bit for bit.
//!
//! What esda 2.9 does without numba (`esda/crand.py`, `esda/moran.py`, `esda/getisord.py`),
//! and what this module copies:
//!
//! - **Draws.** `vec_permutations` calls `np.random.seed(seed)` (numpy's legacy MT19937,
//!   `init_genrand(seed)`), then for each of the `R` permutations
//!   `np.random.choice(n - 1, max_card, replace=False)`, which the legacy `RandomState` makes
//!   as `permutation(n - 1)[:max_card]`: a Fisher-Yates shuffle of `0..n-1` with `i` from
//!   `n - 2` down to 1 and `j = random_interval(i)` (a 32-bit draw masked to the smallest
//!   `2^b - 1 >= i`, rejected while above `i`). One `R × max_card` matrix, shared by all
//!   areas. Area `i` uses the first `k_i` entries of each row as indices into its data with
//!   itself removed (esda copies `z[mask]`; here index `j` is shifted to `j + (j >= i)`).
//!   The global Moran's I draws `np.random.permutation(z)` for each permutation from the
//!   same kind of stream, seeded the same way.
//! - **Arithmetic.** numpy's pairwise summation for `mean`, `std` and `sum`; scipy's CSR
//!   product (a left-to-right sum over the sorted neighbours) for the observed lags; and for
//!   the simulated lags, `zrand @ weights`, which numpy hands to OpenBLAS `dgemv_t`. Its
//!   order is copied here: rows in groups of four accumulated with fused multiply-adds in
//!   four lanes, the lanes summed as `(l0 + l2) + (l1 + l3)`, the last `k mod 4` rows added
//!   by C code that the compiler contracted to fused multiply-adds, and the last `R mod 4`
//!   permutations through the SSE2 kernels. Then `z_i (lag + w_ii z_i) scaling` (local
//!   Moran) or `(lag + w_ii y_i) / scaling` (Gi*), compared with esda's own observed value
//!   (`sim >= observed` counts as larger; the fold and `(larger + 1)/(R + 1)` as esda).
//!
//! The OpenBLAS order is the one of numpy's bundled OpenBLAS 0.3 on x86-64 CPUs with AVX2
//! and FMA (the Haswell kernels, also used for Skylake-X and Zen); it was checked value for
//! value against `zrand @ weights` for k = 1 to 21 and R = 99 to 9,999. esda with numba, or
//! numpy on other BLAS builds, may break exact ties between a simulated and the observed
//! value differently (`tests/golden/pysal/*.json`, `header.keys.permutation_ties`).
//!
//! The random stream is sequential, so the matrix is drawn on one thread (a full
//! permutation of `n - 1` per row, as numpy does: about 1.5 ms for 999 permutations of 650
//! areas, remembered for the next statistic of the same size and seed); the areas are then
//! evaluated in parallel, each on its own, so the thread count cannot change a result. A
//! simulated value is first computed with a plain sum and recomputed in OpenBLAS's order
//! only when it is within rounding error of the observed value, where the order decides.

use super::memo::{Memo, remembered};
use super::permutation::Permutations;
use crate::error::Result;
use crate::weights::Weights;
use rayon::prelude::*;
use std::sync::{Arc, Mutex};

/// numpy's legacy `RandomState`: MT19937 seeded by `init_genrand`, with the legacy
/// `random_interval` and Fisher-Yates shuffle.
///
/// Written here rather than taken from the `rand_mt` crate: the generator is 30 lines, the
/// parts that must match numpy (legacy seeding, the masked rejection of `random_interval`,
/// the shuffle order) are numpy's own and would be written here anyway, and DESIGN §9 keeps
/// the dependency list short.
pub(crate) struct Mt19937 {
    state: [u32; 624],
    /// The tempered outputs of the current state, made 624 at a time.
    out: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// `np.random.seed(seed)` for an integer seed: `init_genrand(seed)`.
    pub(crate) fn new(seed: u32) -> Self {
        let mut state = [0u32; 624];
        state[0] = seed;
        for i in 1..624 {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Mt19937 {
            state,
            out: [0; 624],
            index: 624,
        }
    }

    /// The next 32-bit output (`genrand_int32`).
    pub(crate) fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let y = self.out[self.index];
        self.index += 1;
        y
    }

    /// The next 624 words of state, and their tempered outputs.
    fn twist(&mut self) {
        const N: usize = 624;
        const M: usize = 397;
        let mt = &mut self.state;
        let mix = |upper: u32, lower: u32, far: u32| {
            let y = (upper & 0x8000_0000) | (lower & 0x7fff_ffff);
            far ^ (y >> 1) ^ (0x9908_b0df & (y & 1).wrapping_neg())
        };
        for k in 0..N - M {
            mt[k] = mix(mt[k], mt[k + 1], mt[k + M]);
        }
        for k in N - M..N - 1 {
            mt[k] = mix(mt[k], mt[k + 1], mt[k + M - N]);
        }
        mt[N - 1] = mix(mt[N - 1], mt[0], mt[M - 1]);
        for (out, &y) in self.out.iter_mut().zip(mt.iter()) {
            let mut y = y;
            y ^= y >> 11;
            y ^= (y << 7) & 0x9d2c_5680;
            y ^= (y << 15) & 0xefc6_0000;
            *out = y ^ (y >> 18);
        }
        self.index = 0;
    }

    /// The legacy `RandomState.shuffle` of a 1-d array: for `i` from `len - 1` down to 1,
    /// swap `i` with `random_interval(i)`, numpy's uniform draw on `0..=i` by masked
    /// rejection (a 32-bit draw masked to the smallest `2^b - 1 >= i`, rejected while above
    /// `i`).
    ///
    /// Done in two passes, which is several times faster than numpy's loop written as it
    /// stands: first the draws, without a branch on the random rejections and with the mask
    /// fixed between powers of two, into `js` (a scratch buffer, resized here); then the
    /// swaps.
    pub(crate) fn shuffle_with<T>(&mut self, items: &mut [T], js: &mut Vec<u32>) {
        let Some(mut i) = items.len().checked_sub(1) else {
            return;
        };
        js.clear();
        js.resize(items.len(), 0);
        while i > 0 {
            let mask = u32::MAX >> (i as u32).leading_zeros();
            let low = (mask >> 1) as usize;
            while i > low {
                let value = self.next_u32() & mask;
                js[i] = value;
                i -= usize::from(value as usize <= i);
            }
        }
        for i in (1..items.len()).rev() {
            items.swap(i, js[i] as usize);
        }
    }
}

/// esda's permutation matrix: `count` rows of `np.random.choice(n - 1, max_card,
/// replace=False)` after `np.random.seed(seed)`, row-major.
pub(crate) fn esda_matrix(n: usize, max_card: usize, count: usize, seed: u32) -> Vec<u32> {
    let mut rng = Mt19937::new(seed);
    let mut pool: Vec<u32> = Vec::with_capacity(n.saturating_sub(1));
    let mut js = Vec::new();
    let mut draws = Vec::with_capacity(count * max_card);
    for _ in 0..count {
        pool.clear();
        pool.extend(0..n.saturating_sub(1) as u32);
        rng.shuffle_with(&mut pool, &mut js);
        draws.extend_from_slice(&pool[..max_card]);
    }
    draws
}

/// [`esda_matrix`], remembering the last one made: local Moran and Gi* of the same values
/// and weights (as in [`super::StatsReport`]) use the same matrix, and drawing it is the
/// sequential part of engine (c).
fn shared_esda_matrix(n: usize, max_card: usize, count: usize, seed: u32) -> Arc<Vec<u32>> {
    static LAST: Memo<(usize, usize, usize, u32), Vec<u32>> = Mutex::new(None);
    remembered(&LAST, &(n, max_card, count, seed), || {
        esda_matrix(n, max_card, count, seed)
    })
}

/// `np.sum` of a contiguous float64 array: numpy's pairwise summation.
pub(crate) fn numpy_sum(values: &[f64]) -> f64 {
    0.0 + pairwise(values)
}

/// numpy's `pairwise_sum`: 8 accumulators up to 128 values, halves above.
fn pairwise(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        let mut res = -0.0;
        for v in a {
            res += v;
        }
        res
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - n % 8 {
            for (acc, v) in r.iter_mut().zip(&a[i..i + 8]) {
                *acc += v;
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for v in &a[i..] {
            res += v;
        }
        res
    } else {
        let mut half = n / 2;
        half -= half % 8;
        pairwise(&a[..half]) + pairwise(&a[half..])
    }
}

/// `np.mean(values)`.
pub(crate) fn numpy_mean(values: &[f64]) -> f64 {
    numpy_sum(values) / values.len() as f64
}

/// scipy's CSR product `W @ v` for area `i`: left to right over the sorted neighbours,
/// from 0.
fn csr_row(w: &Weights, i: usize, v: &[f64]) -> f64 {
    let mut sum = 0.0;
    for (&j, &wij) in w.neighbours(i).iter().zip(w.weights(i)) {
        sum += wij * v[j as usize];
    }
    sum
}

/// Which OpenBLAS `dgemv_t` kernel computes a column (one permutation) of `zrand @ w`.
#[derive(Clone, Copy)]
enum Kernel {
    /// Columns in groups of four: AVX2, four lanes of fused multiply-adds.
    Fma4x4,
    /// The first two of the last `R mod 4` columns (when there are two or three): SSE2,
    /// even and odd rows, multiply then add.
    Sse4x2,
    /// The last column when `R mod 4` is odd: SSE2, two pairs of lanes.
    Sse4x1,
}

impl Kernel {
    fn of(column: usize, columns: usize) -> Kernel {
        let tail = columns & 3;
        let first_tail = columns - tail;
        if column < first_tail {
            Kernel::Fma4x4
        } else if tail & 2 != 0 && column < first_tail + 2 {
            Kernel::Sse4x2
        } else {
            Kernel::Sse4x1
        }
    }
}

/// One element of OpenBLAS `dgemv_t` (alpha 1, beta 0): `Σ a_r x_r` over the rows `r`
/// (here: the draws of one permutation and the area's weights), in the kernel's order.
fn dgemv_t(a: &[f64], x: &[f64], kernel: Kernel) -> f64 {
    const NBMAX: usize = 2048;
    let m = a.len();
    let m3 = m & 3;
    let main = m - m3;
    let mut y = 0.0;
    let mut start = 0;
    while start < main {
        let nb = (main - start).min(NBMAX);
        let (a, x) = (&a[start..start + nb], &x[start..start + nb]);
        let block = match kernel {
            Kernel::Fma4x4 => {
                let mut lane = [0.0f64; 4];
                for (r, (av, xv)) in a.iter().zip(x).enumerate() {
                    lane[r & 3] = av.mul_add(*xv, lane[r & 3]);
                }
                (lane[0] + lane[2]) + (lane[1] + lane[3])
            }
            Kernel::Sse4x2 => {
                let mut lane = [0.0f64; 2];
                for (r, (av, xv)) in a.iter().zip(x).enumerate() {
                    lane[r & 1] += av * xv;
                }
                lane[0] + lane[1]
            }
            Kernel::Sse4x1 => {
                let mut lane = [0.0f64; 4];
                for (r, (av, xv)) in a.iter().zip(x).enumerate() {
                    lane[r & 3] += av * xv;
                }
                (lane[0] + lane[2]) + (lane[1] + lane[3])
            }
        };
        y += block;
        start += nb;
    }
    let (a, x) = (&a[main..], &x[main..]);
    match m3 {
        1 => a[0].mul_add(x[0], y),
        2 => y + a[0].mul_add(x[0], a[1] * x[1]),
        3 => y + a[2].mul_add(x[2], a[0].mul_add(x[0], a[1] * x[1])),
        _ => y,
    }
}

/// The seed as numpy takes it (`np.random.seed` accepts 0 to 2^32 - 1).
///
/// # Errors
/// [`crate::Error::BadOption`] if the engine is [`Engine::Esda`](super::Engine::Esda), there are permutations, and the
/// seed does not fit.
pub(crate) fn check_seed(perms: Permutations) -> Result<()> {
    perms.check()
}

/// A local statistic's simulated value as esda computes it from the simulated lag.
#[derive(Clone, Copy)]
pub(crate) enum LocalStatistic {
    /// `_moran_local_crand`: `z_i * (lag + w_ii * z_i) * scaling`, `w_ii = 0`,
    /// `scaling = (n - 1) / Σ z²`.
    Moran { scaling: f64 },
    /// `_g_local_star_crand`: `(lag + w_ii * y_i) / scaling`, `w_ii = 1`, `scaling = Σ y`.
    GStar { scaling: f64 },
}

impl LocalStatistic {
    /// esda's simulated statistic, in esda's order of operations.
    fn sim(self, vi: f64, lag: f64) -> f64 {
        match self {
            LocalStatistic::Moran { scaling } => vi * (lag + 0.0 * vi) * scaling,
            LocalStatistic::GStar { scaling } => (lag + 1.0 * vi) / scaling,
        }
    }

    /// A bound, with a safety factor of several times, on how far [`Self::sim`] of the
    /// exact `dgemv` lag can be from [`Self::sim`] of `lag`, another evaluation of the same
    /// `k`-term dot product whose terms have absolute values summing to `abs`. Both lags
    /// are within `γ_k · abs` of the true dot product (`γ_k = k u / (1 - k u)`, u = 2^-53,
    /// whatever the order and with or without fused multiply-adds), and the statistic adds
    /// a few roundings of at most `u` relative each.
    fn margin(self, vi: f64, lag: f64, abs: f64, k: usize) -> f64 {
        let slack = 8.0 * (k as f64 + 4.0) * f64::EPSILON / 2.0;
        match self {
            LocalStatistic::Moran { scaling } => slack * (vi * scaling).abs() * (abs + lag.abs()),
            LocalStatistic::GStar { scaling } => {
                slack * (abs + lag.abs() + vi.abs()) / scaling.abs()
            }
        }
    }
}

/// Local pseudo p-values as `esda.crand` computes them.
///
/// `w` are the weights esda uses (row-standardised for local Moran, binary for Gi*) without
/// self-weights, `values` what esda permutes (`z` for local Moran, `y` for Gi*), `observed`
/// esda's observed statistics to the bit, and `stat` esda's statistic from the simulated
/// lag. Islands get `None` (esda gives them a spurious `1/(R+1)`).
///
/// Each simulated value is first computed with a plain left-to-right lag; only when it
/// falls within [`LocalStatistic::margin`] of the observed value (an exact or near tie:
/// a few draws per area at most) is the lag recomputed in OpenBLAS's exact order, which is
/// the one that decides. Elsewhere both orders give the same comparison.
pub(crate) fn local_pseudo_p(
    w: &Weights,
    values: &[f64],
    observed: &[f64],
    perms: Permutations,
    stat: LocalStatistic,
) -> Vec<Option<f64>> {
    let n = w.n();
    let card = w.cardinalities();
    let max_card = card.iter().copied().max().unwrap_or(0);
    if perms.count == 0 || n < 2 || max_card == 0 {
        return vec![None; n];
    }
    let seed = u32::try_from(perms.seed).unwrap_or(u32::MAX);
    let draws = shared_esda_matrix(n, max_card, perms.count, seed);
    (0..n)
        .into_par_iter()
        .map_init(Vec::new, |zrand, i| {
            let k = card[i];
            if k == 0 {
                return None;
            }
            let weights = w.weights(i);
            let (vi, obs) = (values[i], observed[i]);
            let i32 = i as u32;
            let larger = draws
                .chunks_exact(max_card)
                .enumerate()
                .filter(|(p, row)| {
                    zrand.clear();
                    zrand.extend(
                        row[..k]
                            .iter()
                            .map(|&j| values[(j + u32::from(j >= i32)) as usize]),
                    );
                    let (mut lag, mut abs) = (0.0, 0.0);
                    for (a, x) in zrand.iter().zip(weights) {
                        lag += a * x;
                        abs += (a * x).abs();
                    }
                    let sim = stat.sim(vi, lag);
                    if (sim - obs).abs() > stat.margin(vi, lag, abs, k) {
                        return sim > obs;
                    }
                    let lag = dgemv_t(zrand, weights, Kernel::of(*p, perms.count));
                    stat.sim(vi, lag) >= obs
                })
                .count();
            Some(fold(larger, perms.count))
        })
        .collect()
}

/// esda's "directed" pseudo p: `larger` folded to the smaller tail, `(larger + 1)/(R + 1)`.
fn fold(larger: usize, count: usize) -> f64 {
    let larger = if count - larger < larger {
        count - larger
    } else {
        larger
    };
    (larger as f64 + 1.0) / (count as f64 + 1.0)
}

/// Local Moran as esda computes it: `z = (y - mean) / std`, `den = Σ z²`,
/// `I_i = ((n-1) z_i) (Wz)_i / den` with numpy's and scipy's sums; returns `(z, I, den)`.
pub(crate) fn local_moran_observed(y: &[f64], w_row: &Weights) -> (Vec<f64>, Vec<f64>, f64) {
    let n = y.len();
    let mean = numpy_mean(y);
    let centred: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let squares: Vec<f64> = centred.iter().map(|v| v * v).collect();
    let sd = (numpy_sum(&squares) / n as f64).sqrt();
    let z: Vec<f64> = centred.iter().map(|v| v / sd).collect();
    let zz: Vec<f64> = z.iter().map(|v| v * v).collect();
    let den = numpy_sum(&zz);
    let n_1 = (n - 1) as f64;
    let is = (0..n)
        .map(|i| n_1 * z[i] * csr_row(w_row, i, &z) / den)
        .collect();
    (z, is, den)
}

/// Gi* as esda computes it: `(Σ over the sorted neighbours and the area itself of y_j) /
/// Σ y`, with numpy's sum; returns `(G*, Σ y)`.
pub(crate) fn g_star_observed(y: &[f64], w_binary: &Weights) -> (Vec<f64>, f64) {
    let total = numpy_sum(y);
    let gs = (0..y.len())
        .map(|i| {
            let mut sum = 0.0;
            let mut own = false;
            for &j in w_binary.neighbours(i) {
                if !own && j as usize > i {
                    sum += y[i];
                    own = true;
                }
                sum += y[j as usize];
            }
            if !own {
                sum += y[i];
            }
            sum / total
        })
        .collect();
    (gs, total)
}

/// Global Moran's I pseudo p as `esda.Moran` computes it after `np.random.seed(seed)`:
/// each permutation is `np.random.permutation(z)` with `z = y - mean`, and
/// `I = n / S0 · Σ z (Wz) / Σ z²` in numpy's arithmetic (`S0` is numpy's sum of the CSR
/// weights). The permutations are drawn on one thread, in blocks, and each block's
/// statistics are evaluated in parallel.
pub(crate) fn moran_pseudo_p(y: &[f64], w_row: &Weights, perms: Permutations) -> Option<f64> {
    if perms.count == 0 {
        return None;
    }
    let n = y.len();
    let mean = numpy_mean(y);
    let z: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let zz: Vec<f64> = z.iter().map(|v| v * v).collect();
    let z2ss = numpy_sum(&zz);
    let values: Vec<f64> = (0..n)
        .flat_map(|i| w_row.weights(i).iter().copied())
        .collect();
    let s0 = numpy_sum(&values);
    let statistic = |z: &[f64], products: &mut Vec<f64>| {
        products.clear();
        products.extend((0..n).map(|i| z[i] * csr_row(w_row, i, z)));
        n as f64 / s0 * numpy_sum(products) / z2ss
    };
    let observed = statistic(&z, &mut Vec::with_capacity(n));
    let seed = u32::try_from(perms.seed).unwrap_or(u32::MAX);
    let mut rng = Mt19937::new(seed);
    let mut js = Vec::new();
    const BLOCK: usize = 256;
    let mut block: Vec<f64> = Vec::with_capacity(BLOCK * n);
    let mut larger = 0;
    let mut done = 0;
    while done < perms.count {
        let size = BLOCK.min(perms.count - done);
        block.clear();
        for _ in 0..size {
            let start = block.len();
            block.extend_from_slice(&z);
            rng.shuffle_with(&mut block[start..], &mut js);
        }
        larger += block
            .par_chunks_exact(n)
            .map_init(Vec::new, |products, permuted| {
                usize::from(statistic(permuted, products) >= observed)
            })
            .sum::<usize>();
        done += size;
    }
    Some(fold(larger, perms.count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mt19937_matches_numpy_first_outputs() {
        // np.random.seed(s); np.random.randint(0, 2**32, size=3, dtype=np.uint64)
        for (seed, want) in [
            (0u32, [2_357_136_044u32, 2_546_248_239, 3_071_714_933]),
            (1, [1_791_095_845, 4_282_876_139, 3_093_770_124]),
            (12345, [3_992_670_690, 3_823_185_381, 1_358_822_685]),
            (u32::MAX, [419_326_371, 479_346_978, 3_918_654_476]),
        ] {
            let mut rng = Mt19937::new(seed);
            let got = [rng.next_u32(), rng.next_u32(), rng.next_u32()];
            assert_eq!(got, want, "seed {seed}");
        }
    }

    #[test]
    fn permutation_matches_numpy() {
        // np.random.seed(12345); np.random.permutation(10)
        let mut rng = Mt19937::new(12345);
        let mut a: Vec<u32> = (0..10).collect();
        rng.shuffle_with(&mut a, &mut Vec::new());
        assert_eq!(a, [0, 7, 3, 9, 6, 4, 1, 8, 5, 2]);
        // np.random.seed(12345); [np.random.choice(649, 4, replace=False) for _ in range(2)]
        let m = esda_matrix(650, 4, 2, 12345);
        assert_eq!(m, [206, 595, 56, 180, 153, 310, 291, 509]);
    }

    #[test]
    fn pairwise_sum_matches_numpy() {
        // i = np.arange(n); np.sum(((i * 7919) % 1000 - 500) / 7.0 * 10.0 ** (i % 7));
        // all but n = 5 differ from a left-to-right sum
        for (n, want) in [
            (5usize, 293_498.571_428_571_4),
            (100, 81_555_852.142_857_16),
            (1000, 105_504_101.285_714_46),
            (5000, -120_531_654.999_999_97),
        ] {
            let v: Vec<f64> = (0..n)
                .map(|i| data(i) / 7.0 * 10f64.powi((i % 7) as i32))
                .collect();
            assert_eq!(numpy_sum(&v), want, "n = {n}");
        }
    }

    /// `((i * 7919) % 1000 - 500) / 7.0`: exact in numpy and here.
    fn data(i: usize) -> f64 {
        ((i * 7919) % 1000) as f64 - 500.0
    }

    #[test]
    fn dgemv_matches_openblas() {
        // A = (((np.arange(7 * k) * 7919) % 1000 - 500) / 7.0).reshape(7, k);
        // A @ np.full(k, 1 / k), numpy 2.4 with its OpenBLAS 0.3.31 (Skylake-X); 7
        // permutations so that the last three go through the 4x2 and 4x1 kernels
        let want: [(usize, [f64; 7]); 4] = [
            (
                3,
                [
                    12.238095238095234,
                    25.14285714285714,
                    -9.571428571428571,
                    -44.285714285714285,
                    16.238095238095237,
                    29.142857142857142,
                    -5.571428571428571,
                ],
            ),
            (
                5,
                [
                    19.71428571428572,
                    -9.571428571428571,
                    -10.285714285714286,
                    17.571428571428573,
                    -40.285714285714285,
                    44.71428571428572,
                    -13.142857142857144,
                ],
            ),
            (
                7,
                [
                    16.30612244897959,
                    -23.877551020408163,
                    17.57142857142857,
                    -2.2040816326530575,
                    -1.5714285714285694,
                    -0.9387755102040778,
                    -20.714285714285715,
                ],
            ),
            (
                11,
                [
                    0.5844155844155843,
                    3.1688311688311686,
                    5.753246753246755,
                    -4.64935064935065,
                    -2.0649350649350637,
                    0.5194805194805223,
                    -9.883116883116884,
                ],
            ),
        ];
        for (k, want) in want {
            let x = vec![1.0 / k as f64; k];
            for (p, want) in want.iter().enumerate() {
                let a: Vec<f64> = (p * k..(p + 1) * k).map(|i| data(i) / 7.0).collect();
                assert_eq!(
                    dgemv_t(&a, &x, Kernel::of(p, 7)),
                    *want,
                    "k = {k}, column {p}"
                );
            }
        }
    }

    /// The float array at `keys` (a top-level key, then nested ones) of a golden file,
    /// parsed from its text with Rust's correctly rounded parser (serde_json's default
    /// parser can be 1 ulp off on 17-digit numbers).
    fn golden_floats(text: &str, keys: &[&str]) -> Vec<f64> {
        let mut at = text
            .find(&format!("\n\"{}\": ", keys[0]))
            .expect("top-level key");
        for key in &keys[1..] {
            at += text[at..].find(&format!("\"{key}\": ")).expect("key") + key.len() + 4;
        }
        let start = at + text[at..].find('[').expect("an array") + 1;
        let end = start + text[start..].find(']').expect("end of array");
        text[start..end]
            .split(',')
            .map(|v| v.trim().parse().expect("a float"))
            .collect()
    }

    /// esda's observed statistics, recomputed in esda's arithmetic, are esda's to the bit
    /// (the golden files write floats with Python's repr).
    #[test]
    fn observed_statistics_are_esdas_bits() {
        use crate::weights::Transform;
        use crate::{Areas, Vintage};
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for (file, vintage) in [
            ("pcon2024_turnout.json", Vintage::Pcon2024),
            ("pcon2010_petition_241584.json", Vintage::Pcon2010),
        ] {
            let text = std::fs::read_to_string(root.join("tests/golden/pysal").join(file)).unwrap();
            let y = golden_floats(&text, &["y"]);
            let w = Weights::queen(&Areas::shipped(vintage).unwrap());
            let (_, is, _) = local_moran_observed(&y, &w.transformed(Transform::Row));
            let (gs, _) = g_star_observed(&y, &w.transformed(Transform::Binary));
            let want_is = golden_floats(&text, &["local_moran", "queen", "Is"]);
            let want_gs = golden_floats(&text, &["g_local_star", "queen", "Gs"]);
            assert_eq!((want_is.len(), want_gs.len()), (y.len(), y.len()));
            for i in 0..y.len() {
                assert_eq!(is[i].to_bits(), want_is[i].to_bits(), "{file} Is[{i}]");
                assert_eq!(gs[i].to_bits(), want_gs[i].to_bits(), "{file} Gs[{i}]");
            }
        }
    }
}
