//! Local Moran's I and Gi* of the same values, tested on the same draws.

use super::permutation::{Engine, Permutations, pseudo_p_each};
use super::{LocalG, LocalMoran, local_g, local_moran};
use crate::error::Result;
use crate::weights::Weights;

/// [`super::local_moran`] and [`super::local_g_star`] of the same values, each exactly as
/// computed alone, in less time: with the [`Engine::Shared`] and [`Engine::Independent`]
/// engines both statistics use the same draws, so each draw's neighbours are gathered
/// once for both (with [`Engine::Esda`] they run one after the other).
///
/// # Examples
/// ```
/// use sigmap::stats::{Permutations, local_g_star, local_moran, local_moran_and_g_star};
/// use sigmap::{Contiguity, Weights};
/// let w = Weights::lattice(5, 5, Contiguity::Queen);
/// let y: Vec<f64> = (0..25).map(|i| if i % 5 < 2 && i / 5 < 2 { 10.0 } else { 1.0 }).collect();
/// let perms = Permutations::new(999);
/// let (lisa, gi) = local_moran_and_g_star(&y, &w, perms, 0.05)?;
/// assert_eq!(lisa, local_moran(&y, &w, perms, 0.05)?);
/// assert_eq!(gi, local_g_star(&y, &w, perms)?);
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// As [`super::local_moran`] and [`super::local_g_star`].
pub fn local_moran_and_g_star(
    y: &[f64],
    w: &Weights,
    perms: Permutations,
    alpha: f64,
) -> Result<(LocalMoran, LocalG)> {
    let lisa = local_moran::Observed::new(y, w, perms)?;
    let gi = local_g::Observed::new(y, w, perms)?;
    let (lisa_p, gi_p) = if perms.engine == Engine::Esda {
        (lisa.p_sim(perms), gi.p_sim(perms))
    } else {
        // the same neighbours, whatever the transformation
        debug_assert_eq!(lisa.card, gi.card);
        let [lisa_p, gi_p] = pseudo_p_each(&lisa.card, perms, [lisa.test(), gi.test()]);
        (lisa_p, gi_p)
    };
    Ok((
        lisa.with_p_sim(lisa_p, perms, alpha),
        gi.with_p_sim(gi_p, perms),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{local_g_star, local_moran};
    use crate::{Areas, Denominators, Vintage};

    /// Side by side, each statistic is the one computed alone, bit for bit, for every
    /// engine: on the 650 seats' turnout, and on it rounded to whole percents, where many
    /// simulated values tie with the observed one.
    #[test]
    fn side_by_side_each_is_as_alone() {
        let areas = Areas::shipped(Vintage::Pcon2024).unwrap();
        let dens = Denominators::shipped(Vintage::Pcon2024).unwrap();
        let turnout: Vec<f64> = areas
            .iter()
            .map(|a| {
                let d = dens.get(&a.code).unwrap();
                d.valid_votes as f64 / d.electorate as f64
            })
            .collect();
        let rounded: Vec<f64> = turnout.iter().map(|t| (t * 100.0).round()).collect();
        let w = Weights::queen(&areas);
        for y in [&turnout, &rounded] {
            for engine in [Engine::Shared, Engine::Independent, Engine::Esda] {
                let perms = Permutations::new(199).seed(7).engine(engine);
                let (lisa, gi) = local_moran_and_g_star(y, &w, perms, 0.05).unwrap();
                assert_eq!(lisa, local_moran(y, &w, perms, 0.05).unwrap(), "{engine:?}");
                assert_eq!(gi, local_g_star(y, &w, perms).unwrap(), "{engine:?}");
                assert!(lisa.rows.iter().any(|r| r.lisa_p_sim.is_some()));
            }
        }
    }
}
