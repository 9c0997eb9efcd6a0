use crate::error::{Error, Location, Result};
use crate::weights::{Transform, Weights};

/// Global Empirical Bayes smoothed rates `e_i / b_i` (events over population), shrunk
/// towards the overall rate in proportion to how small `b_i` is. `None` where the rate is
/// undefined: no events anywhere (every rate and the prior are 0), so there is nothing to
/// shrink towards.
///
/// # Examples
/// ```
/// use sigmap::stats::empirical_bayes;
/// // 1 in 10 and 100 in 1,000: the small area's rate moves towards the overall rate
/// let r = empirical_bayes(&[1.0, 100.0], &[10.0, 1000.0])?;
/// let (small, large) = (r[0].unwrap(), r[1].unwrap());
/// assert!((small - 0.1).abs() < 1e-9 && (large - 0.1).abs() < 1e-9);
/// let r = empirical_bayes(&[5.0, 100.0, 50.0], &[10.0, 1000.0, 1000.0])?;
/// let small = r[0].unwrap();
/// assert!(small < 0.5 && small > 155.0 / 2010.0); // between its raw rate and the prior
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidCall`] if the lengths differ; [`Error::BadField`] if a population is not positive.
///
/// # References
/// Marshall (1991); matches `esda.smoothing.Empirical_Bayes(e, b).r` (esda 2.9) to 1e-9.
pub fn empirical_bayes(e: &[f64], b: &[f64]) -> Result<Vec<Option<f64>>> {
    check_rates(e, b)?;
    let (e_sum, b_sum) = (e.iter().sum::<f64>(), b.iter().sum::<f64>());
    let r_mean = e_sum / b_sum;
    let b_mean = b_sum / b.len() as f64;
    let rate: Vec<f64> = e.iter().zip(b).map(|(e, b)| e / b).collect();
    let left = rate
        .iter()
        .zip(b)
        .map(|(r, b)| b * (r - r_mean) * (r - r_mean))
        .sum::<f64>()
        / b_sum;
    let r_var = left - r_mean / b_mean;
    Ok(rate
        .iter()
        .zip(b)
        .map(|(&r, &b)| {
            let weight = r_var / (r_var + r_mean / b);
            let smoothed = weight * r + (1.0 - weight) * r_mean;
            smoothed.is_finite().then_some(smoothed)
        })
        .collect())
}

/// Spatial Empirical Bayes: as [`empirical_bayes`], but each area is shrunk towards the
/// rate of its neighbourhood (its neighbours and itself, binary weights), with the local
/// variance floored at 0. `None` where the neighbourhood has no events.
///
/// # Examples
/// ```
/// use sigmap::stats::spatial_empirical_bayes;
/// use sigmap::{Contiguity, Weights};
/// let w = Weights::lattice(3, 1, Contiguity::Rook); // a row of three areas
/// let r = spatial_empirical_bayes(&[9.0, 1.0, 1.0], &[10.0, 100.0, 100.0], &w)?;
/// assert!(r[0].unwrap() < 0.9); // the small area at the end is pulled towards its neighbour
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// As [`empirical_bayes`], and [`Error::InvalidCall`] if `w` does not have one row per area.
///
/// # References
/// Matches `esda.smoothing.Spatial_Empirical_Bayes(e, b, w).r` (esda 2.9) to 1e-9.
pub fn spatial_empirical_bayes(e: &[f64], b: &[f64], w: &Weights) -> Result<Vec<Option<f64>>> {
    check_rates(e, b)?;
    if w.n() != e.len() {
        return Err(Error::InvalidCall {
            call: "spatial_empirical_bayes",
            problem: format!("{} values for weights of {} areas", e.len(), w.n()),
        });
    }
    let w = w.transformed(Transform::Binary);
    let (lag_e, lag_b) = (w.lag(e), w.lag(b));
    let rate: Vec<f64> = e.iter().zip(b).map(|(e, b)| e / b).collect();
    Ok((0..e.len())
        .map(|i| {
            let r_mean = (e[i] + lag_e[i]) / (b[i] + lag_b[i]);
            let bi = lag_b[i] + b[i];
            let members = w
                .neighbours(i)
                .iter()
                .map(|&j| j as usize)
                .chain(std::iter::once(i));
            let v: f64 = members
                .clone()
                .map(|j| (rate[j] - r_mean) * (rate[j] - r_mean) * b[j])
                .sum();
            let count = members.count() as f64;
            let r_var = (v / bi - r_mean / (bi / count)).max(0.0);
            let smoothed = r_mean + (rate[i] - r_mean) * (r_var / (r_var + r_mean / b[i]));
            smoothed.is_finite().then_some(smoothed)
        })
        .collect())
}

fn check_rates(e: &[f64], b: &[f64]) -> Result<()> {
    let at = || Location::argument("values");
    if e.len() != b.len() {
        return Err(Error::InvalidCall {
            call: "empirical_bayes",
            problem: format!("{} event counts and {} populations", e.len(), b.len()),
        });
    }
    if let Some(i) = b.iter().position(|&v| !(v > 0.0 && v.is_finite())) {
        return Err(Error::BadField {
            at: at().record(i as u64 + 1).field("population"),
            expected: "a positive population",
            found: b[i].to_string(),
        });
    }
    if let Some(i) = e.iter().position(|&v| !(v >= 0.0 && v.is_finite())) {
        return Err(Error::BadField {
            at: at().record(i as u64 + 1).field("count"),
            expected: "a non-negative count",
            found: e[i].to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_that_disagree_are_a_caller_bug_not_input() {
        let e = empirical_bayes(&[1.0, 2.0], &[10.0]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Caller, "{e}");
        assert!(!e.is_input());
        assert_eq!(
            e.to_string(),
            "empirical_bayes: 2 event counts and 1 populations"
        );
    }
}
