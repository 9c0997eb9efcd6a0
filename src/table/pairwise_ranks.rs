//! Rank intervals without draws ([`RankMethod::Pairwise`](super::ranking::RankMethod)):
//! each seat's rank distribution from the chances that each other seat's rate exceeds its
//! own.
//!
//! Seat i's rank is 1 plus the number of seats whose rate exceeds its rate θ_i. Given
//! θ_i = t, the others exceed it independently, seat j with the chance S_j(t) that its
//! posterior puts above t, so that number is Poisson-binomial; its mean, variance and third
//! cumulant are sums over the seats. They are tabulated once, on a grid of log rates fine
//! wherever some seat's posterior is narrow (a quarter of its standard deviation), each
//! seat adding only where S_j is neither 0 nor 1 to within 10⁻⁶. `P(rank_i ≤ r)` is then
//! the integral over seat i's own posterior, on the same grid, of a refined normal
//! approximation to `P(number ≤ r - 1)` (Volkova's: `Φ(z) + γ(1 - z²)φ(z)/6`, with seat i
//! taken out of the sums), and an interval's ends are where it crosses the tails. Up to
//! [`EXACT_SEATS`] seats, where a sum of a few chances is far from normal, the number above
//! is counted exactly instead.
//!
//! Against the exact distribution (an exact Poisson-binomial at each point of a grid 15
//! times finer), on 39 real petitions from 946 to 4.9 million signatures, 16% of this
//! code's interval ends are off by one rank (6 of the 50,700 by two), while 1,000 draws put
//! 81% of them off, by up to 64 ranks. The tests hold it to that exact distribution on the
//! shipped petitions (`scripts/golden/make_golden_rank_truth.py`) and to the reference
//! draws on real ones (`tests/integration/fairness.rs`).
//!
//! # Complexity
//! Seats times the grid points their windows span, for the table and the integrals: on 650
//! seats 30,000 to 90,000 of each. The grid is a few hundred to a thousand points on real
//! petitions; it grows with the number of narrow posteriors at distinct rates (about 40
//! points each), so the worst case is quadratic in the seats.

use super::ranking::RankInterval;
use rayon::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::erf::erfc;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::OnceLock;

/// Grid points per standard deviation of the narrowest posterior (of log rate) there.
const POINTS_PER_SD: f64 = 4.0;
/// The widest step of the grid, where every posterior is wide.
const MAX_STEP: f64 = 0.25;
/// The grid spans each seat's posterior but this much in each tail.
const CORE_TAIL: f64 = 1e-7;
/// Outside its central `1 - 2e-6`, a seat's chance of exceeding a rate is taken as 0 or 1.
const WINDOW_TAIL: f64 = 1e-6;
/// The standard normal's upper quantiles at [`CORE_TAIL`] and [`WINDOW_TAIL`].
const Z_CORE: f64 = 5.199_337_582_192_817;
const Z_WINDOW: f64 = 4.753_424_308_822_899;
/// Counts below this have their posterior's tail computed exactly; from it, by
/// Wilson-Hilferty's cube-root normal (its error, 1e-4 at count 50, moves no end on the 39
/// petitions above).
const EXACT_BELOW: u64 = 50;
/// Up to this many seats the number above a rate is counted exactly (a Poisson-binomial by
/// dynamic programme, n² at each node), not by the normal approximation, which is poor for
/// a sum of a few chances.
const EXACT_SEATS: usize = 32;
/// Grid points where a seat's own posterior weighs less are left out of its integral.
const MIN_WEIGHT: f64 = 1e-9;
/// Beyond this many standard deviations the normal approximation is taken as 0 or 1 (its
/// tail there is 1e-9, its skewness term below 1e-7).
const Z_BAND: f64 = 6.0;

/// One seat's posterior rate, `Gamma(k + 1/2, 1) / denominator`, on the log scale.
struct Seat {
    count: u64,
    /// `ln denominator`: the log rate is `ln y - ln_d` for `y` drawn from `Gamma(k + 1/2, 1)`.
    ln_d: f64,
    /// `ln_d - ln(k + 1/2)`: the log of `y / a`, less the log rate, for Wilson-Hilferty.
    ln_d_over_a: f64,
    /// `1 / 9a` and `√a`, for Wilson-Hilferty (a division and a square root at every grid
    /// point otherwise).
    wilson_hilferty: [f64; 2],
    /// Standard deviation of the log rate.
    sd: f64,
    /// Log rates the grid must span.
    core: [f64; 2],
    /// Log rates outside which the seat's survival is 1 (below) or 0 (above).
    window: [f64; 2],
}

impl Seat {
    fn new(count: u64, denominator: u64) -> Seat {
        let a = count as f64 + 0.5;
        let ln_d = (denominator as f64).ln();
        let [core_lo, window_lo, window_hi, core_hi] = if count < EXACT_BELOW {
            exact_quantiles()[count as usize]
        } else {
            [-Z_CORE, -Z_WINDOW, Z_WINDOW, Z_CORE].map(|z| wilson_hilferty_quantile(a, z))
        };
        Seat {
            count,
            ln_d,
            ln_d_over_a: ln_d - a.ln(),
            wilson_hilferty: [1.0 / (9.0 * a), a.sqrt()],
            sd: trigamma(a).sqrt(),
            core: [core_lo - ln_d, core_hi - ln_d],
            window: [window_lo - ln_d, window_hi - ln_d],
        }
    }

    /// The chance that the rate exceeds `e^x`, and the density of the log rate at `x`.
    fn survival_and_density(&self, x: f64) -> (f64, f64) {
        if self.count >= EXACT_BELOW {
            // Wilson-Hilferty's cube-root normal, the cube root of y / a as one exponential
            let [ninth, root_a] = self.wilson_hilferty;
            let cube_root = ((x + self.ln_d_over_a) * (1.0 / 3.0)).exp();
            let z = (cube_root - 1.0 + ninth) * 3.0 * root_a;
            let (cdf, pdf) = NormalTable::get().cdf_and_pdf(z);
            return (1.0 - cdf, pdf * cube_root * root_a);
        }
        SmallCountTable::get().survival_and_density(self.count as usize, x + self.ln_d)
    }
}

/// [`survival_and_density`] for each count below [`EXACT_BELOW`], at steps of a 32nd of
/// the standard deviation of `ln Y` over its core, read by cubic Hermite interpolation
/// (the survival's derivative is minus the density, the density's is the density times
/// `a - y`): within 3e-8 of the exact survival and 1e-7 of the density (a test; the method
/// takes survivals under 1e-6 as 0), where the exact sum of up to 49
/// terms, two exponentials and a square root each time were most of the method's time on
/// small petitions.
struct SmallCountTable {
    counts: Vec<Curve>,
}

/// One count's table.
struct Curve {
    /// `ln y` of the first point.
    start: f64,
    /// Points per unit of `ln y`, and its inverse, the step.
    per_unit: f64,
    step: f64,
    /// Survival, density and the density's derivative, at each point.
    points: Vec<[f64; 3]>,
}

impl SmallCountTable {
    const PER_SD: f64 = 32.0;

    fn get() -> &'static SmallCountTable {
        static TABLE: OnceLock<SmallCountTable> = OnceLock::new();
        TABLE.get_or_init(|| SmallCountTable {
            // built on this thread: a pool's thread waiting here on a table built by the
            // pool could be handed the job that waits for it (rayon#592)
            counts: (0..EXACT_BELOW)
                .map(|k| {
                    let a = k as f64 + 0.5;
                    let step = trigamma(a).sqrt() / Self::PER_SD;
                    let [lo, .., hi] = exact_quantiles()[k as usize];
                    // a step beyond the core at each end
                    let start = lo - step;
                    let len = ((hi - lo) / step).ceil() as usize + 3;
                    let points = (0..len)
                        .map(|i| {
                            let y = (start + i as f64 * step).exp();
                            let (s, f) = survival_and_density(k, y);
                            [s, f, f * (a - y)]
                        })
                        .collect();
                    Curve {
                        start,
                        per_unit: step.recip(),
                        step,
                        points,
                    }
                })
                .collect(),
        })
    }

    /// `P(Y > e^u)` and the density of `ln Y` at `u`, for `Y ~ Gamma(k + 1/2, 1)`; past the
    /// table's ends (never asked for: the windows are within the cores), computed.
    #[inline]
    fn survival_and_density(&self, k: usize, u: f64) -> (f64, f64) {
        let curve = &self.counts[k];
        let at = (u - curve.start) * curve.per_unit;
        let i = at as usize; // saturates
        if at.is_nan() || at < 0.0 || i >= curve.points.len() - 1 {
            return survival_and_density(k as u64, u.exp());
        }
        let t = at - i as f64;
        let h = curve.step;
        let ([s0, f0, d0], [s1, f1, d1]) = (curve.points[i], curve.points[i + 1]);
        let [h00, h10, h01, h11] = hermite(t);
        (
            h00 * s0 - h10 * h * f0 + h01 * s1 - h11 * h * f1,
            h00 * f0 + h10 * h * d0 + h01 * f1 + h11 * h * d1,
        )
    }
}

/// The cubic Hermite basis at `t` in `[0, 1]`: the weights of the value and the derivative
/// (times the step) at 0, then at 1.
#[inline(always)]
fn hermite(t: f64) -> [f64; 4] {
    let t2 = t * t;
    let t3 = t2 * t;
    [
        2.0 * t3 - 3.0 * t2 + 1.0,
        t3 - 2.0 * t2 + t,
        -2.0 * t3 + 3.0 * t2,
        t3 - t2,
    ]
}

/// `P(Y > y)` and the density of `ln Y` at `ln y`, for `Y ~ Gamma(k + 1/2, 1)`, exactly:
/// for the counts below [`EXACT_BELOW`] (the sum has `k` terms).
fn survival_and_density(k: u64, y: f64) -> (f64, f64) {
    debug_assert!(k < EXACT_BELOW, "Wilson-Hilferty's from {EXACT_BELOW}");
    // Q(k + 1/2, y) = erfc(√y) + e^-y Σ_{m<k} y^(m + 1/2) / Γ(m + 3/2): positive terms only
    let root = y.sqrt();
    let mut term = root * std::f64::consts::FRAC_2_SQRT_PI; // √y / Γ(3/2)
    let mut sum = 0.0;
    for m in 0..k {
        sum += term;
        term *= y / (m as f64 + 1.5);
    }
    let e = (-y).exp();
    // term is now y^(k + 1/2) / Γ(k + 3/2), and the density y^a e^-y / Γ(a) is term·a·e^-y
    let erfc_root = 2.0 * normal_sf(root * std::f64::consts::SQRT_2);
    (erfc_root + e * sum, e * term * (k as f64 + 0.5))
}

/// `ln y` at the tails [`CORE_TAIL`] and [`WINDOW_TAIL`] of `Gamma(k + 1/2, 1)`, for each
/// count below [`EXACT_BELOW`]: lower core, lower window, upper window, upper core.
fn exact_quantiles() -> &'static [[f64; 4]] {
    static TABLE: OnceLock<Vec<[f64; 4]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        (0..EXACT_BELOW)
            .map(|k| {
                [1.0 - CORE_TAIL, 1.0 - WINDOW_TAIL, WINDOW_TAIL, CORE_TAIL].map(|survival| {
                    // bisection on ln y: the survival falls as y grows
                    let (mut lo, mut hi) = (-80.0f64, 8.0f64);
                    for _ in 0..100 {
                        let mid = 0.5 * (lo + hi);
                        if survival_and_density(k, mid.exp()).0 > survival {
                            lo = mid;
                        } else {
                            hi = mid;
                        }
                    }
                    0.5 * (lo + hi)
                })
            })
            .collect()
    })
}

/// `ln y` where Wilson-Hilferty's approximation to `Gamma(a, 1)` has normal score `z`.
fn wilson_hilferty_quantile(a: f64, z: f64) -> f64 {
    let base = 1.0 - 1.0 / (9.0 * a) + z / (3.0 * a.sqrt());
    a.ln() + 3.0 * base.ln()
}

/// The trigamma function, the variance of `ln Y` for `Y ~ Gamma(a, 1)`.
fn trigamma(mut a: f64) -> f64 {
    let mut sum = 0.0;
    while a < 6.0 {
        sum += 1.0 / (a * a);
        a += 1.0;
    }
    let r = 1.0 / (a * a);
    sum + 1.0 / a + r / 2.0 + r / a * (1.0 / 6.0 - r * (1.0 / 30.0 - r / 42.0))
}

/// `P(Z > z)` for a standard normal `Z`, from [`NormalTable`].
fn normal_sf(z: f64) -> f64 {
    1.0 - NormalTable::get().cdf_and_pdf(z).0
}

/// The standard normal's distribution and density at steps of 1/64 over `[-8, 8]`, read by
/// cubic Hermite interpolation (each with its own derivative: the density, and `-z` times
/// it): within 3e-10 of both, for a few multiplications where `erfc` and `exp` took most of
/// the method's time. Beyond ±8 the distribution is 0 or 1 and the density 0 (both within
/// 1e-15).
struct NormalTable {
    cdf: Vec<f64>,
    pdf: Vec<f64>,
}

impl NormalTable {
    const PER_UNIT: f64 = 64.0;
    const REACH: f64 = 8.0;

    fn get() -> &'static NormalTable {
        static TABLE: OnceLock<NormalTable> = OnceLock::new();
        TABLE.get_or_init(|| {
            let points = (2.0 * Self::REACH * Self::PER_UNIT) as usize + 1;
            let z = |i: usize| i as f64 / Self::PER_UNIT - Self::REACH;
            NormalTable {
                cdf: (0..points)
                    .map(|i| 0.5 * erfc(-z(i) * std::f64::consts::FRAC_1_SQRT_2))
                    .collect(),
                pdf: (0..points)
                    .map(|i| (-0.5 * z(i) * z(i)).exp() / (2.0 * std::f64::consts::PI).sqrt())
                    .collect(),
            }
        })
    }

    /// `(Φ(z), φ(z))`.
    #[inline(always)]
    fn cdf_and_pdf(&self, z: f64) -> (f64, f64) {
        let at = (z + Self::REACH) * Self::PER_UNIT;
        if at.is_nan() || at <= 0.0 {
            return (0.0, 0.0);
        }
        let i = at as usize; // saturates: infinity is past the end
        if i >= self.cdf.len() - 1 {
            return (1.0, 0.0);
        }
        let t = at - i as f64;
        let h = 1.0 / Self::PER_UNIT;
        let (z0, z1) = (i as f64 * h - Self::REACH, (i + 1) as f64 * h - Self::REACH);
        let (c0, c1, p0, p1) = (self.cdf[i], self.cdf[i + 1], self.pdf[i], self.pdf[i + 1]);
        let [h00, h10, h01, h11] = hermite(t);
        let cdf = h00 * c0 + h10 * h * p0 + h01 * c1 + h11 * h * p1;
        let pdf = h00 * p0 - h10 * h * z0 * p0 + h01 * p1 - h11 * h * z1 * p1;
        (cdf, pdf)
    }
}

/// The grid of log rates: from the lowest core to the highest, in steps of a quarter of the
/// narrowest standard deviation among the seats whose core holds the point, and shorter
/// where a narrower core begins, so that every core has points a quarter of its standard
/// deviation apart.
fn grid(seats: &[Seat]) -> Vec<f64> {
    let mut entering: Vec<usize> = (0..seats.len()).collect();
    entering.sort_by(|&a, &b| seats[a].core[0].total_cmp(&seats[b].core[0]));
    let end = seats.iter().map(|s| s.core[1]).fold(f64::MIN, f64::max);
    let mut x = seats[entering[0]].core[0];
    let mut xs = vec![x];
    // the seats whose core has begun, narrowest first (positive floats order as their bits);
    // those whose core has ended are dropped when they come to the top
    let mut active: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    let mut next = 0;
    while x < end {
        while next < entering.len() && seats[entering[next]].core[0] <= x {
            let i = entering[next];
            active.push(Reverse((seats[i].sd.to_bits(), i)));
            next += 1;
        }
        while let Some(&Reverse((_, i))) = active.peek()
            && seats[i].core[1] < x
        {
            active.pop();
        }
        let mut step = match active.peek() {
            Some(&Reverse((sd, _))) => (f64::from_bits(sd) / POINTS_PER_SD).min(MAX_STEP),
            None => MAX_STEP,
        };
        // nor may a step pass more than a step of its own into a core that begins within
        // it: a narrow posterior between two points of a wide step would be missed
        for &i in &entering[next..] {
            let seat = &seats[i];
            if seat.core[0] >= x + step {
                break;
            }
            step = step.min(seat.core[0] - x + seat.sd / POINTS_PER_SD);
        }
        x += step;
        xs.push(x);
    }
    xs
}

/// A seat's survival and density at the grid points of its window, `first..first + len`.
struct Tabled {
    first: usize,
    values: Vec<(f64, f64)>,
}

impl Tabled {
    /// Survival and density at grid point `g`: 1 and 0 below the window, 0 and 0 above.
    fn at(&self, g: usize) -> (f64, f64) {
        if g < self.first {
            (1.0, 0.0)
        } else {
            self.values
                .get(g - self.first)
                .copied()
                .unwrap_or((0.0, 0.0))
        }
    }
}

/// The central intervals at `level` of the ranks of the seats with these counts and
/// denominators (all positive), rank 1 the highest rate.
pub(super) fn intervals(counts: &[u64], denominators: &[u64], level: f64) -> Vec<RankInterval> {
    debug_assert!(
        denominators.iter().all(|&d| d > 0),
        "unranked seats left in"
    );
    let seats: Vec<Seat> = counts
        .iter()
        .zip(denominators)
        .map(|(&k, &d)| Seat::new(k, d))
        .collect();
    let n = seats.len();
    if n == 0 {
        return Vec::new();
    }
    let xs = grid(&seats);
    let tabled: Vec<Tabled> = seats
        .par_iter()
        .map(|seat| {
            let first = xs.partition_point(|&x| x < seat.window[0]);
            let last = xs.partition_point(|&x| x <= seat.window[1]);
            Tabled {
                first,
                values: xs[first..last.max(first)]
                    .iter()
                    .map(|&x| seat.survival_and_density(x))
                    .collect(),
            }
        })
        .collect();
    // the cumulants of the number of seats above each grid point, summed in seat order
    let mut above_all = vec![0.0; xs.len() + 1];
    let mut cumulants = vec![[0.0; 3]; xs.len()];
    for t in &tabled {
        above_all[0] += 1.0;
        above_all[t.first] -= 1.0;
        for (c, &(s, _)) in cumulants[t.first..].iter_mut().zip(&t.values) {
            let q = s * (1.0 - s);
            c[0] += s;
            c[1] += q;
            c[2] += q * (1.0 - 2.0 * s);
        }
    }
    let mut below = 0.0;
    for (c, step) in cumulants.iter_mut().zip(&above_all) {
        below += step;
        c[0] += below;
    }
    // a level outside (0, 1) or not a number keeps the whole range of ranks
    let tail = match (1.0 - level) / 2.0 {
        tail if tail.is_nan() => f64::MIN_POSITIVE,
        tail => tail.clamp(f64::MIN_POSITIVE, 0.5),
    };
    let z_tail = -Normal::standard().inverse_cdf(tail);
    let exact = n <= EXACT_SEATS;
    tabled
        .par_iter()
        .enumerate()
        .map(|(i, own)| {
            let others = exact.then_some((&tabled[..], i));
            let integral = Integral::new(own, &cumulants, others);
            let n = n as u32;
            // the number above at the grid points where the seat's own survival crosses
            // a half and a tail, and its spread there: the rank's quantile is about the
            // median's number less or more both spreads together, as for normals
            // (the survival falls along the window; were it to rise by a rounding, the guess
            // would move, not the search's answer)
            let crossing = |survival: f64| -> usize {
                (own.first + own.values.partition_point(|&(s, _)| s > survival)).min(xs.len() - 1)
            };
            let above = |g: usize| -> (f64, f64) {
                let [mean, variance, _] = others_above(cumulants[g], own.at(g).0);
                (mean, variance.sqrt())
            };
            let (median, _) = above(crossing(0.5));
            let guess = |survival: f64, side: f64| -> u32 {
                let (mean, sd) = above(crossing(survival));
                let spread = (mean - median).hypot(z_tail * sd);
                (1.0 + median + side * spread)
                    .round()
                    .clamp(1.0, f64::from(n)) as u32
            };
            let best = integral.least_rank(1, n, guess(tail, -1.0), tail, true);
            let worst = integral.least_rank(best, n, guess(1.0 - tail, 1.0), 1.0 - tail, false);
            RankInterval { best, worst }
        })
        .collect()
}

/// A grid point in one seat's integral: the weight of its posterior there, and the
/// cumulants of the number of other seats above it there (what the refined normal
/// approximation reads, packed for the sums over nodes that are most of the method's time).
struct Node {
    weight: f64,
    mean: f64,
    /// One over the standard deviation: infinite, or nearly, where the number above is all
    /// but certain (a variance under 1e-14 puts every chance within 1e-14 of 0 or 1, so the
    /// mean within 1e-11 of a whole number, and `x` half way between two is then dozens of
    /// millions of standard deviations from it: the approximation's 0 or 1).
    inverse_sd: f64,
    /// Skewness over 6.
    skew_6: f64,
}

impl Node {
    /// `P(number above < x)` for `x` half way between two integers, by the refined normal
    /// approximation, and its slope in `x` (the normal part's: a guide for the search).
    #[inline(always)]
    fn below(&self, x: f64, table: &NormalTable) -> (f64, f64) {
        let z = (x - self.mean) * self.inverse_sd;
        if z <= -Z_BAND {
            (0.0, 0.0)
        } else if z >= Z_BAND {
            (1.0, 0.0)
        } else {
            let (cdf, pdf) = table.cdf_and_pdf(z);
            (
                (cdf + self.skew_6 * (1.0 - z * z) * pdf).clamp(0.0, 1.0),
                pdf * self.inverse_sd,
            )
        }
    }
}

/// A seat's nodes, in the grid's order, so that their means fall (fewer seats are above a
/// higher rate), with what a chance needs to skip those far from it.
struct Integral {
    nodes: Vec<Node>,
    /// The distribution function of the number above at each node, where it is counted
    /// exactly (up to [`EXACT_SEATS`] seats); else empty.
    exact: Vec<Vec<f64>>,
    /// [`Z_BAND`] times the largest standard deviation (without limit where the nodes are
    /// counted exactly).
    reach: f64,
    /// The weight of the nodes from each on.
    weight_from: Vec<f64>,
}

impl Integral {
    /// The integral over `own` seat's posterior: each grid cell's mass split between its two
    /// ends at the cell's centre of mass (the density taken as linear in the cell), with the
    /// seat itself taken out of the cumulants; `exact`, all the seats and `own`'s place
    /// among them, to count the number above exactly.
    fn new(own: &Tabled, cumulants: &[[f64; 3]], exact: Option<(&[Tabled], usize)>) -> Integral {
        let last = cumulants.len() - 1;
        let from = own.first.saturating_sub(1);
        let to = (own.first + own.values.len()).min(last);
        let mut weights = vec![0.0; to + 1 - from];
        for g in from..to {
            let ((s0, f0), (s1, f1)) = (own.at(g), own.at(g + 1));
            let mass = s0 - s1;
            let centre = if f0 + f1 > 0.0 {
                (f0 + 2.0 * f1) / (3.0 * (f0 + f1))
            } else {
                0.5
            };
            weights[g - from] += mass * (1.0 - centre);
            weights[g + 1 - from] += mass * centre;
        }
        // the mass beyond the grid's ends, at the ends
        weights[0] += if from == 0 { 1.0 - own.at(0).0 } else { 0.0 };
        weights[to - from] += if to == last { own.at(last).0 } else { 0.0 };
        let mut nodes = Vec::with_capacity(weights.len());
        let mut exact_cdfs = Vec::new();
        let mut widest: f64 = 0.0;
        for (offset, &weight) in weights.iter().enumerate() {
            if weight <= MIN_WEIGHT {
                continue;
            }
            let g = from + offset;
            let [mean, variance, third] = others_above(cumulants[g], own.at(g).0);
            let sd = variance.sqrt();
            widest = widest.max(sd);
            // one division a node: with a square root, divisions were most of this loop
            let inverse_sd = sd.recip();
            nodes.push(Node {
                weight,
                mean,
                inverse_sd,
                skew_6: if sd > 1e-6 {
                    third * (inverse_sd * inverse_sd * inverse_sd) * (1.0 / 6.0)
                } else {
                    0.0
                },
            });
            if let Some((seats, own)) = exact {
                exact_cdfs.push(exactly_above(seats, own, g));
            }
        }
        let mut weight_from = vec![0.0; nodes.len() + 1];
        let mut total = 0.0;
        for (from, node) in weight_from.iter_mut().zip(&nodes).rev() {
            total += node.weight;
            *from = total;
        }
        Integral {
            reach: if exact.is_none() {
                Z_BAND * widest
            } else {
                f64::INFINITY
            },
            nodes,
            exact: exact_cdfs,
            weight_from,
        }
    }

    /// `P(rank ≤ r)`, and its slope in `r`: the nodes whose mean is more than
    /// [`Integral::reach`] above `r - 1/2` add nothing, those more than it below add their
    /// weight, and only those between are computed.
    fn at_most(&self, r: u32) -> (f64, f64) {
        let x = f64::from(r) - 0.5;
        let first = self.nodes.partition_point(|n| n.mean > x + self.reach);
        let end = first + self.nodes[first..].partition_point(|n| n.mean >= x - self.reach);
        let (mut near, mut slope) = (0.0, 0.0);
        if self.exact.is_empty() {
            let table = NormalTable::get();
            for node in &self.nodes[first..end] {
                let (below, density) = node.below(x, table);
                near += node.weight * below;
                slope += node.weight * density;
            }
        } else {
            // P(number ≤ r - 1), and the chance of r more
            for (node, cdf) in self.nodes[first..end].iter().zip(&self.exact[first..end]) {
                let at = |m: u32| cdf.get(m as usize).copied().unwrap_or(1.0);
                let below = if r == 0 { 0.0 } else { at(r - 1) };
                near += node.weight * below;
                slope += node.weight * (at(r) - below);
            }
        }
        (near + self.weight_from[end], slope)
    }

    /// The least rank in `lo..=hi` whose [`Integral::at_most`] is above `threshold` (or
    /// reaches it, unless `strictly`), `hi` if none: a Newton step from the chance at
    /// `guess` to where its tangent crosses the threshold, then a galloping search from
    /// there (the step lands on the answer or next to it: two or three chances an end).
    fn least_rank(&self, lo: u32, hi: u32, guess: u32, threshold: f64, strictly: bool) -> u32 {
        let holds = |chance: f64| {
            if strictly {
                chance > threshold
            } else {
                chance >= threshold
            }
        };
        let guess = guess.clamp(lo, hi);
        let (chance, slope) = self.at_most(guess);
        let at_guess = holds(chance);
        let crossing = f64::from(guess) + (threshold - chance) / slope;
        let start = if crossing.is_finite() {
            let least = if strictly {
                crossing.floor() + 1.0
            } else {
                crossing.ceil()
            };
            least.clamp(f64::from(lo), f64::from(hi)) as u32
        } else {
            guess
        };
        least_where(lo, hi, start, |r| {
            if r == guess {
                at_guess
            } else {
                holds(self.at_most(r).0)
            }
        })
    }
}

/// The mean, variance (not below 0) and third cumulant of the number of other seats above a
/// grid point: the cumulants of all seats there, less the seat's own chance `s`.
fn others_above([mean, variance, third]: [f64; 3], s: f64) -> [f64; 3] {
    let q = s * (1.0 - s);
    [
        mean - s,
        (variance - q).max(0.0),
        third - q * (1.0 - 2.0 * s),
    ]
}

/// The distribution function of the number of seats but `own` above grid point `g`, by
/// adding one seat's chance at a time.
fn exactly_above(seats: &[Tabled], own: usize, g: usize) -> Vec<f64> {
    let mut pmf = vec![0.0; seats.len()];
    pmf[0] = 1.0;
    let mut counted = 0;
    for (j, seat) in seats.iter().enumerate() {
        if j == own {
            continue;
        }
        let s = seat.at(g).0;
        counted += 1;
        for m in (1..=counted).rev() {
            pmf[m] = pmf[m] * (1.0 - s) + pmf[m - 1] * s;
        }
        pmf[0] *= 1.0 - s;
    }
    let mut total = 0.0;
    for p in pmf.iter_mut() {
        total += *p;
        *p = total;
    }
    pmf
}

/// The least `r` in `lo..=hi` where `holds` (false, then true as `r` grows), `hi` if none.
/// The search starts at `guess` and gallops away from it, so a good guess costs a few calls.
fn least_where(lo: u32, hi: u32, guess: u32, holds: impl Fn(u32) -> bool) -> u32 {
    let guess = guess.clamp(lo, hi);
    // the answer is in (below, above]
    let (mut below, mut above) = (i64::from(lo) - 1, i64::from(hi));
    let mut step = 1;
    if holds(guess) {
        above = i64::from(guess);
        while above - step > below {
            let probe = above - step;
            if !holds(probe as u32) {
                below = probe;
                break;
            }
            above = probe;
            step *= 2;
        }
    } else {
        below = i64::from(guess);
        while below + step < above {
            let probe = below + step;
            if holds(probe as u32) {
                above = probe;
                break;
            }
            below = probe;
            step *= 2;
        }
    }
    while above - below > 1 {
        let mid = below + (above - below) / 2;
        if holds(mid as u32) {
            above = mid;
        } else {
            below = mid;
        }
    }
    above as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tails_are_the_posteriors() {
        use statrs::distribution::{Continuous, ContinuousCDF, Gamma};
        for k in [0u64, 1, 2, 7, 49, 50, 400, 100_000] {
            let g = Gamma::new(k as f64 + 0.5, 1.0).unwrap();
            for y in [
                0.01,
                0.3,
                1.0,
                5.0,
                k as f64 * 0.9,
                k as f64 + 0.5,
                k as f64 * 1.1,
            ] {
                if y <= 0.0 {
                    continue;
                }
                let (s, f) = if k < EXACT_BELOW {
                    survival_and_density(k, y)
                } else {
                    // as the method reads it: by a seat of denominator 1, at log rate ln y
                    Seat::new(k, 1).survival_and_density(y.ln())
                };
                // exact below 50 (but for the normal table's 3e-10); Wilson-Hilferty within 2e-4
                let tol = if k < EXACT_BELOW { 1e-9 } else { 2e-4 };
                assert!(
                    (s - g.sf(y)).abs() < tol,
                    "k {k}, y {y}: {s} vs {}",
                    g.sf(y)
                );
                // the density only places mass within a grid cell: 1e-3 of it will do
                let density = g.pdf(y) * y;
                let tol = if k < EXACT_BELOW { 1e-9 } else { 1e-3 };
                assert!(
                    (f - density).abs() < tol * (1.0 + density),
                    "k {k}, y {y}: {f} vs {density}"
                );
            }
        }
    }

    #[test]
    fn the_normal_table_is_the_normal_distribution() {
        use statrs::distribution::{Continuous, ContinuousCDF, Normal};
        let normal = Normal::standard();
        let table = NormalTable::get();
        let mut worst = [0.0f64; 2];
        for i in -9_000..=9_000 {
            // between and on the table's points, and past its ends
            let z = f64::from(i) * 0.000_937;
            let (cdf, pdf) = table.cdf_and_pdf(z);
            worst[0] = worst[0].max((cdf - normal.cdf(z)).abs());
            worst[1] = worst[1].max((pdf - normal.pdf(z)).abs());
        }
        assert!(worst[0] < 3e-10 && worst[1] < 3e-10, "{worst:?}");
        assert_eq!(table.cdf_and_pdf(f64::NAN), (0.0, 0.0));
        assert_eq!(table.cdf_and_pdf(f64::INFINITY), (1.0, 0.0));
    }

    #[test]
    fn the_small_count_table_is_the_exact_tail() {
        let table = SmallCountTable::get();
        for k in 0..EXACT_BELOW {
            let [lo, .., hi] = exact_quantiles()[k as usize];
            let mut worst = [0.0f64; 2];
            for i in 0..=10_000 {
                let u = lo + (hi - lo) * f64::from(i) / 10_000.0;
                let (s, f) = table.survival_and_density(k as usize, u);
                let (es, ef) = survival_and_density(k, u.exp());
                worst[0] = worst[0].max((s - es).abs());
                worst[1] = worst[1].max((f - ef).abs());
            }
            assert!(worst[0] < 3e-8 && worst[1] < 1e-7, "k {k}: {worst:?}");
        }
        // past its ends, computed
        let far = table.survival_and_density(3, 20.0);
        assert_eq!(far, survival_and_density(3, 20f64.exp()));
    }

    #[test]
    fn the_windows_hold_the_posteriors_but_their_tails() {
        for k in [0u64, 3, 49, 50, 5_000] {
            let seat = Seat::new(k, 1);
            let at = |x: f64| seat.survival_and_density(x).0;
            assert!(
                (1.0 - at(seat.window[0]) - WINDOW_TAIL).abs() < 1e-7,
                "k {k}"
            );
            assert!((at(seat.window[1]) - WINDOW_TAIL).abs() < 1e-7, "k {k}");
            assert!(seat.core[0] < seat.window[0] && seat.window[1] < seat.core[1]);
        }
    }

    #[test]
    fn the_search_finds_the_least_true_from_any_guess() {
        for hi in [1u32, 2, 3, 10, 650] {
            for answer in 1..=hi + 1 {
                for guess in 0..=hi + 1 {
                    let found = least_where(1, hi, guess, |r| r >= answer);
                    assert_eq!(
                        found,
                        answer.min(hi),
                        "hi {hi}, answer {answer}, guess {guess}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_newton_step_finds_the_same_rank_as_a_scan() {
        // two seats' worth of nodes: a number above about 10 ± 3, or 40 ± 1 with skew
        let node = |weight, mean, sd: f64, skew_6| Node {
            weight,
            mean,
            inverse_sd: sd.recip(),
            skew_6,
        };
        let nodes = vec![node(0.3, 40.0, 1.0, 0.02), node(0.7, 10.0, 3.0, -0.01)];
        let integral = Integral {
            reach: Z_BAND * 3.0,
            weight_from: vec![1.0, 0.7, 0.0],
            exact: Vec::new(),
            nodes,
        };
        let hi = 60;
        for threshold in [0.025, 0.3, 0.5, 0.975] {
            for strictly in [true, false] {
                let scan = (1..=hi)
                    .find(|&r| {
                        let p = integral.at_most(r).0;
                        if strictly {
                            p > threshold
                        } else {
                            p >= threshold
                        }
                    })
                    .unwrap_or(hi);
                for guess in 0..=hi + 1 {
                    assert_eq!(
                        integral.least_rank(1, hi, guess, threshold, strictly),
                        scan,
                        "threshold {threshold}, guess {guess}"
                    );
                }
            }
        }
    }

    #[test]
    fn far_apart_seats_are_ranked_surely_and_close_ones_share_ranks() {
        // big counts at well separated rates, then two seats at the same rate
        let counts = [90_000, 60_000, 30_000, 10_000, 10_000];
        let voters = [100_000; 5];
        let r = intervals(&counts, &voters, 0.95);
        assert_eq!(r[0], RankInterval { best: 1, worst: 1 });
        assert_eq!(r[1], RankInterval { best: 2, worst: 2 });
        assert_eq!(r[2], RankInterval { best: 3, worst: 3 });
        assert_eq!(r[3], RankInterval { best: 4, worst: 5 });
        assert_eq!(r[4], RankInterval { best: 4, worst: 5 });
        assert_eq!(
            intervals(&[3], &[10], 0.95),
            vec![RankInterval { best: 1, worst: 1 }]
        );
    }

    #[test]
    fn a_narrow_posterior_among_wide_ones_is_not_stepped_over() {
        // two big seats, 2.5% apart (the second leads with chance 0.993), among small ones
        // whose wide posteriors set a wide step where the big ones' cores begin
        let mut counts = vec![5; 20];
        let mut voters: Vec<u64> = (0..20).map(|i| 1000 + 37 * i).collect();
        counts.extend([20_000, 20_500]);
        voters.extend([40_000, 40_000]);
        let r = intervals(&counts, &voters, 0.95);
        assert_eq!(r[20], RankInterval { best: 2, worst: 2 });
        assert_eq!(r[21], RankInterval { best: 1, worst: 1 });
        let r = intervals(
            &[0, 1_000_000, 1_004_000],
            &[1000, 10_000_000, 10_000_000],
            0.95,
        );
        assert_eq!(r[1], RankInterval { best: 2, worst: 2 });
        assert_eq!(r[2], RankInterval { best: 1, worst: 1 });
    }

    #[test]
    fn a_few_seats_are_counted_exactly() {
        // seat 2 leads seat 1 with chance 0.0201 (the Beta(1/2, 1/2) distribution function
        // at 1/1001), under the 2.5% tail: always second
        let r = intervals(&[0, 0], &[1, 1000], 0.95);
        assert_eq!(r[0], RankInterval { best: 1, worst: 1 });
        assert_eq!(r[1], RankInterval { best: 2, worst: 2 });
        // two alike and a third far below them: the two share first and second (the third
        // is last with chance 0.980), the third passes one of them with chance 0.040
        let r = intervals(&[0, 0, 0], &[1, 1, 1000], 0.95);
        assert_eq!(r[0], RankInterval { best: 1, worst: 2 });
        assert_eq!(r[1], RankInterval { best: 1, worst: 2 });
        assert_eq!(r[2], RankInterval { best: 2, worst: 3 });
    }

    #[test]
    fn levels_outside_the_unit_interval_keep_every_rank() {
        let (counts, voters) = ([5, 6, 7], [100, 100, 100]);
        for level in [f64::NAN, 1.0, 2.0, -3.0] {
            for r in intervals(&counts, &voters, level) {
                assert!(
                    r.best >= 1 && r.worst <= 3 && r.best <= r.worst,
                    "{level}: {r}"
                );
            }
        }
    }

    #[test]
    fn the_same_intervals_whatever_the_threads() {
        let counts: Vec<u64> = (0..650).map(|i| (i * 37 % 101) as u64).collect();
        let voters: Vec<u64> = (0..650).map(|i| 1000 + (i * 53 % 97) as u64).collect();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| intervals(&counts, &voters, 0.95));
        assert_eq!(one, intervals(&counts, &voters, 0.95));
    }
}
