//! Classification of values into map classes: quantiles, Fisher-Jenks natural breaks,
//! equal intervals and manual breaks.

/// How values are grouped into colour classes. Every class is closed above: a value equal
/// to a break belongs to the class below it (mapclassify's `C_l < y <= C_u`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Classes {
    /// Classes holding (about) equal numbers of areas; tied values stay together, so there
    /// may be fewer classes than asked for.
    Quantile(usize),
    /// Fisher-Jenks natural breaks: the classification that minimises the sum of squared
    /// deviations from the class means (exact dynamic programming, as
    /// `mapclassify.FisherJenks`).
    Jenks(usize),
    /// Classes of equal width between the minimum and the maximum.
    Equal(usize),
    /// Breaks given by hand (upper bounds of every class but the last), e.g. the same
    /// classes for several maps. Values above the last break form the last class.
    Manual(Vec<f64>),
}

impl Classes {
    /// The fewest and most classes a computed classification can have (the colour ramps'
    /// range).
    pub const RANGE: std::ops::RangeInclusive<usize> = 2..=9;

    /// Upper bounds of every class but the last, ascending and distinct. The class count
    /// is clamped to [`Classes::RANGE`]. Computed breaks at or above the maximum are
    /// dropped (so there may be fewer classes); manual breaks are kept as given, so a
    /// legend can show empty classes.
    ///
    /// # Examples
    /// ```
    /// use sigmap::export::Classes;
    /// let v = [0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0, 4.0];
    /// assert_eq!(Classes::Quantile(4).breaks(&v), vec![0.0, 2.0]);
    /// assert_eq!(Classes::Equal(4).breaks(&v), vec![1.0, 2.0, 3.0]);
    /// assert_eq!(Classes::Jenks(3).breaks(&[1.0, 2.0, 3.0, 10.0, 11.0, 30.0]), vec![3.0, 11.0]);
    /// assert_eq!(Classes::Manual(vec![5.0, 1.0]).breaks(&v), vec![1.0, 5.0]);
    /// ```
    ///
    /// # Complexity
    /// O(n log n); Jenks O(k n²) (0.01 s for 650 seats).
    pub fn breaks(&self, values: &[f64]) -> Vec<f64> {
        let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
        sorted.sort_by(f64::total_cmp);
        if let Classes::Manual(b) = self {
            let mut b: Vec<f64> = b.iter().copied().filter(|v| v.is_finite()).collect();
            b.sort_by(f64::total_cmp);
            b.dedup();
            return b;
        }
        let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
            return Vec::new();
        };
        let mut breaks: Vec<f64> = match self.clamped() {
            Classes::Quantile(k) => (1..k)
                .map(|j| {
                    // nearest rank: the value at or just past the j/k quantile
                    let pos = (j * sorted.len()).div_ceil(k).max(1) - 1;
                    sorted[pos]
                })
                .collect(),
            Classes::Equal(k) => (1..k)
                .map(|j| min + (max - min) * j as f64 / k as f64)
                .collect(),
            Classes::Jenks(k) => fisher_jenks(&sorted, k),
            Classes::Manual(_) => unreachable!("handled above"),
        };
        breaks.dedup();
        breaks.retain(|&b| b < max);
        breaks
    }

    /// A short name for legends: `Quantile classes`, `Natural breaks (Jenks)`, ...
    pub fn label(&self) -> &'static str {
        match self {
            Classes::Quantile(_) => "Quantile classes",
            Classes::Jenks(_) => "Natural breaks (Jenks)",
            Classes::Equal(_) => "Equal-interval classes",
            Classes::Manual(_) => "Classes set by hand",
        }
    }

    fn clamped(&self) -> Classes {
        let clamp = |k: usize| k.clamp(*Classes::RANGE.start(), *Classes::RANGE.end());
        match self {
            Classes::Quantile(k) => Classes::Quantile(clamp(*k)),
            Classes::Equal(k) => Classes::Equal(clamp(*k)),
            Classes::Jenks(k) => Classes::Jenks(clamp(*k)),
            Classes::Manual(b) => Classes::Manual(b.clone()),
        }
    }

    /// The class (0-based) of a value, given [`Classes::breaks`]: values up to the first
    /// break are in class 0.
    pub(crate) fn class_of(breaks: &[f64], v: f64) -> usize {
        breaks.partition_point(|&b| v > b)
    }
}

/// Fisher's exact optimal partition of sorted values into `k` classes (Jenks natural
/// breaks), as `mapclassify._fisher_jenks_means`: the same recurrence, loop order and
/// tie rule (a later start of the last class wins a tie), in f64 where mapclassify
/// accumulates in f32. Returns the upper bounds of the first `k - 1` classes; fewer
/// distinct values than `k` give each distinct value but the largest.
fn fisher_jenks(sorted: &[f64], k: usize) -> Vec<f64> {
    let mut distinct = sorted.to_vec();
    distinct.dedup();
    if distinct.len() <= k {
        distinct.pop();
        return distinct;
    }
    let n = sorted.len();
    // lower[l][j]: 1-based index of the first value of the last class, for the first l
    // values in j classes; cost[l][j]: the least sum of squared deviations
    let idx = |l: usize, j: usize| l * (k + 1) + j;
    let mut lower = vec![0usize; (n + 1) * (k + 1)];
    let mut cost = vec![0.0f64; (n + 1) * (k + 1)];
    for j in 1..=k {
        lower[idx(1, j)] = 1;
        for l in 2..=n {
            cost[idx(l, j)] = f64::INFINITY;
        }
    }
    for l in 2..=n {
        let (mut s1, mut s2, mut w, mut v) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
        for m in 1..=l {
            let i3 = l - m + 1;
            let val = sorted[i3 - 1];
            s2 += val * val;
            s1 += val;
            w += 1.0;
            v = s2 - s1 * s1 / w;
            let i4 = i3 - 1;
            if i4 != 0 {
                for j in 2..=k {
                    let candidate = v + cost[idx(i4, j - 1)];
                    if cost[idx(l, j)] >= candidate {
                        lower[idx(l, j)] = i3;
                        cost[idx(l, j)] = candidate;
                    }
                }
            }
        }
        lower[idx(l, 1)] = 1;
        cost[idx(l, 1)] = v;
    }
    let mut breaks = vec![0.0; k - 1];
    let mut last = n;
    for j in (2..=k).rev() {
        let start = lower[idx(last, j)];
        breaks[j - 2] = sorted[start - 2];
        last = start - 1;
    }
    breaks
}

impl std::str::FromStr for Classes {
    type Err = String;
    /// Parses `quantile:K`, `jenks:K`, `equal:K` (K in 2..=9; a bare name means 5 classes)
    /// or `breaks:B1,B2,...` (1 to 8 ascending upper bounds: at most 9 classes).
    fn from_str(s: &str) -> Result<Self, String> {
        let (kind, rest) = s.split_once(':').unwrap_or((s, "5"));
        if kind == "breaks" {
            let breaks = rest
                .split(',')
                .map(|b| b.trim().parse::<f64>().ok().filter(|b| b.is_finite()))
                .collect::<Option<Vec<f64>>>()
                .filter(|b| (1..=8).contains(&b.len()) && b.is_sorted_by(|a, b| a < b))
                .ok_or_else(|| {
                    format!("invalid breaks in `{s}` (expected 1 to 8 ascending numbers, e.g. breaks:1,5,10)")
                })?;
            return Ok(Classes::Manual(breaks));
        }
        let k: usize = rest
            .parse()
            .ok()
            .filter(|k| Classes::RANGE.contains(k))
            .ok_or_else(|| format!("invalid class count in `{s}` (expected 2 to 9)"))?;
        match kind {
            "quantile" => Ok(Classes::Quantile(k)),
            "jenks" => Ok(Classes::Jenks(k)),
            "equal" => Ok(Classes::Equal(k)),
            _ => Err(format!(
                "unknown classification `{kind}` (expected quantile:K, jenks:K, equal:K or breaks:B1,B2,...)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_parsing() {
        assert_eq!("quantile:7".parse(), Ok(Classes::Quantile(7)));
        assert_eq!("equal".parse(), Ok(Classes::Equal(5)));
        assert_eq!("jenks:6".parse(), Ok(Classes::Jenks(6)));
        assert_eq!(
            "breaks:1,5,10".parse(),
            Ok(Classes::Manual(vec![1.0, 5.0, 10.0]))
        );
        assert!("breaks:5,1".parse::<Classes>().is_err());
        assert!("breaks:".parse::<Classes>().is_err());
        assert!("quantile:1".parse::<Classes>().is_err());
        assert!("natural:5".parse::<Classes>().is_err());
    }

    #[test]
    fn quantile_breaks_split_evenly() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(Classes::Quantile(5).breaks(&v), vec![2.0, 4.0, 6.0, 8.0]);
        assert!(Classes::Quantile(5).breaks(&[]).is_empty());
        assert!(Classes::Quantile(5).breaks(&[3.0, 3.0]).is_empty());
        // out-of-range counts are clamped, so a map never runs out of colours
        assert_eq!(Classes::Quantile(40).breaks(&v).len(), 8);
        assert_eq!(Classes::Equal(0).breaks(&v).len(), 1);
        assert_eq!(Classes::class_of(&[2.0, 4.0], 2.0), 0);
        assert_eq!(Classes::class_of(&[2.0, 4.0], 2.5), 1);
        assert_eq!(Classes::class_of(&[2.0, 4.0], 9.0), 2);
    }

    /// Brute force over every way to cut sorted values into k classes.
    fn best_cuts(sorted: &[f64], k: usize) -> f64 {
        fn ssd(x: &[f64]) -> f64 {
            let m = x.iter().sum::<f64>() / x.len() as f64;
            x.iter().map(|v| (v - m) * (v - m)).sum()
        }
        fn go(x: &[f64], k: usize) -> f64 {
            if k == 1 {
                return ssd(x);
            }
            (1..=x.len() + 1 - k)
                .map(|i| ssd(&x[..i]) + go(&x[i..], k - 1))
                .fold(f64::INFINITY, f64::min)
        }
        go(sorted, k)
    }

    #[test]
    fn jenks_is_optimal_on_small_sets() {
        let mut state = 7u64;
        for n in [6usize, 9, 12] {
            let mut v: Vec<f64> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((state >> 33) % 1000) as f64 / 10.0
                })
                .collect();
            v.sort_by(f64::total_cmp);
            for k in 2..=4 {
                let breaks = Classes::Jenks(k).breaks(&v);
                let mut total = 0.0;
                for c in 0..=breaks.len() {
                    let members: Vec<f64> = v
                        .iter()
                        .copied()
                        .filter(|&x| Classes::class_of(&breaks, x) == c)
                        .collect();
                    let m = members.iter().sum::<f64>() / members.len() as f64;
                    total += members.iter().map(|x| (x - m) * (x - m)).sum::<f64>();
                }
                assert!((total - best_cuts(&v, k)).abs() < 1e-9, "n {n} k {k}");
            }
        }
        // fewer distinct values than classes
        assert_eq!(
            Classes::Jenks(5).breaks(&[1.0, 1.0, 2.0, 3.0]),
            vec![1.0, 2.0]
        );
    }
}
