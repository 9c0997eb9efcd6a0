use super::check_values;
use super::esda_engine;
use super::permutation::{Engine, LocalTest, Permutations, pseudo_p_each};
use crate::error::Result;
use crate::weights::{Transform, Weights};
use serde::Serialize;

/// The Moran scatterplot quadrant of an area: its value against its neighbours' average.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Above the mean, neighbours above the mean (esda q = 1).
    HighHigh,
    /// Below, neighbours above (q = 2).
    LowHigh,
    /// Below, neighbours below (q = 3).
    LowLow,
    /// Above, neighbours below (q = 4).
    HighLow,
}

impl Quadrant {
    /// esda's quadrant number (`geoda_quads=False`).
    pub fn esda_q(self) -> u8 {
        match self {
            Quadrant::HighHigh => 1,
            Quadrant::LowHigh => 2,
            Quadrant::LowLow => 3,
            Quadrant::HighLow => 4,
        }
    }
}

/// What a LISA map shows for an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum ClusterLabel {
    /// Significant, high among high: a hot spot.
    #[serde(rename = "High-High")]
    HighHigh,
    /// Significant, low among low: a cold spot.
    #[serde(rename = "Low-Low")]
    LowLow,
    /// Significant, high among low: an outlier.
    #[serde(rename = "High-Low")]
    HighLow,
    /// Significant, low among high: an outlier.
    #[serde(rename = "Low-High")]
    LowHigh,
    /// Not significant at the chosen level.
    #[serde(rename = "Not significant")]
    NotSignificant,
    /// No neighbours: no local statistic to test (esda would report p_sim = 0.001).
    Isolated,
}

impl ClusterLabel {
    /// The label as maps and tables show it: `High-High`, ..., `Not significant`, `Isolated`.
    pub fn name(self) -> &'static str {
        match self {
            ClusterLabel::HighHigh => "High-High",
            ClusterLabel::LowLow => "Low-Low",
            ClusterLabel::HighLow => "High-Low",
            ClusterLabel::LowHigh => "Low-High",
            ClusterLabel::NotSignificant => "Not significant",
            ClusterLabel::Isolated => "Isolated",
        }
    }
}

/// Local Moran's I of one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LocalMoranRow {
    /// `I_i`; 0 for an island, as esda.
    pub lisa_i: f64,
    /// Scatterplot quadrant.
    pub quadrant: Quadrant,
    /// esda's quadrant number.
    pub lisa_q: u8,
    /// Pseudo p-value from conditional permutations; none for an island or without
    /// permutations.
    pub lisa_p_sim: Option<f64>,
    /// The cluster label at the significance level given to [`local_moran`].
    pub lisa_label: ClusterLabel,
}

/// Local Moran's I for every area, in `Areas` order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LocalMoran {
    /// One row per area.
    pub rows: Vec<LocalMoranRow>,
    /// The permutations behind `lisa_p_sim`.
    pub permutations: Permutations,
    /// The level below which a pseudo p-value is significant.
    pub alpha: f64,
}

/// Local Moran's I with row-standardised weights: `I_i = (n-1) z_i (Wz)_i / Σ z²`, with
/// `z` the standardised values, quadrants, pseudo p-values by conditional permutation, and
/// labels at level `alpha`. Islands have `I_i = 0` (as esda) and the label `Isolated`.
///
/// # Examples
/// ```
/// use sigmap::stats::{ClusterLabel, Permutations, local_moran};
/// use sigmap::{Contiguity, Weights};
/// let w = Weights::lattice(5, 5, Contiguity::Queen);
/// // a hot corner
/// let y: Vec<f64> = (0..25).map(|i| if i % 5 < 2 && i / 5 < 2 { 10.0 } else { 1.0 }).collect();
/// let lisa = local_moran(&y, &w, Permutations::new(999), 0.05)?;
/// assert_eq!(lisa.rows[0].lisa_label, ClusterLabel::HighHigh);
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// As [`super::moran`].
///
/// # References
/// `I_i` and `q` match `esda.Moran_Local(y, w, transformation="r")` (esda 2.9) to 1e-9;
/// pseudo p-values agree with esda's to Monte Carlo error, or equal esda's `p_sim` for
/// the same `seed` with [`super::Engine::Esda`] (see [`super::Engine`]).
pub fn local_moran(y: &[f64], w: &Weights, perms: Permutations, alpha: f64) -> Result<LocalMoran> {
    let observed = Observed::new(y, w, perms)?;
    let p_sim = observed.p_sim(perms);
    Ok(observed.with_p_sim(p_sim, perms, alpha))
}

/// Local Moran's I of every area before its permutations: what [`local_moran`] computes
/// from the values, then the pseudo p-values, alone or beside Gi*'s from the same draws.
pub(super) struct Observed {
    /// The values, scaled into the safe range.
    y: Vec<f64>,
    /// Row-standardised weights.
    w: Weights,
    /// Standardised values.
    z: Vec<f64>,
    /// `Σ z²`.
    den: f64,
    /// Spatial lag of `z`.
    lag: Vec<f64>,
    /// `I_i`.
    is: Vec<f64>,
    /// Neighbours of each area.
    pub(super) card: Vec<usize>,
}

impl Observed {
    /// # Errors
    /// As [`local_moran`].
    pub(super) fn new(y: &[f64], w: &Weights, perms: Permutations) -> Result<Self> {
        check_values(y, w)?;
        let y = super::in_safe_range(y).into_owned();
        esda_engine::check_seed(perms)?;
        let w = w.transformed(Transform::Row);
        let nf = y.len() as f64;
        let mean = y.iter().sum::<f64>() / nf;
        let sd = (y.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / nf).sqrt();
        let z: Vec<f64> = y.iter().map(|v| (v - mean) / sd).collect();
        let den: f64 = z.iter().map(|v| v * v).sum();
        let lag = w.lag(&z);
        let is = z
            .iter()
            .zip(&lag)
            .map(|(zi, li)| (nf - 1.0) * zi * li / den)
            .collect();
        let card = w.cardinalities();
        Ok(Observed {
            y,
            w,
            z,
            den,
            lag,
            is,
            card,
        })
    }

    /// The conditional permutation test of `I_i`: sums of `z` over the drawn neighbours.
    pub(super) fn test(&self) -> LocalTest<'_> {
        let nf = self.y.len() as f64;
        LocalTest {
            observed: &self.is,
            values: &self.z,
            finish: Box::new(move |i, sum| {
                (nf - 1.0) * self.z[i] * (sum / self.card[i] as f64) / self.den
            }),
        }
    }

    /// The pseudo p-values of `I_i` alone.
    pub(super) fn p_sim(&self, perms: Permutations) -> Vec<Option<f64>> {
        if perms.engine == Engine::Esda {
            // esda's z and I_i to the bit, and its simulated statistic
            let (ez, e_is, e_den) = esda_engine::local_moran_observed(&self.y, &self.w);
            let scaling = (self.y.len() as f64 - 1.0) / e_den;
            esda_engine::local_pseudo_p(
                &self.w,
                &ez,
                &e_is,
                perms,
                esda_engine::LocalStatistic::Moran { scaling },
            )
        } else {
            let [p_sim] = pseudo_p_each(&self.card, perms, [self.test()]);
            p_sim
        }
    }

    /// The result, with the pseudo p-values of [`Observed::p_sim`] or [`pseudo_p_each`].
    pub(super) fn with_p_sim(
        self,
        p_sim: Vec<Option<f64>>,
        perms: Permutations,
        alpha: f64,
    ) -> LocalMoran {
        let Observed {
            z, lag, is, card, ..
        } = self;
        let n = z.len();
        let rows = (0..n)
            .map(|i| {
                let quadrant = match (z[i] > 0.0, lag[i] > 0.0) {
                    (true, true) => Quadrant::HighHigh,
                    (false, true) => Quadrant::LowHigh,
                    (false, false) => Quadrant::LowLow,
                    (true, false) => Quadrant::HighLow,
                };
                let lisa_label = match p_sim[i] {
                    _ if card[i] == 0 => ClusterLabel::Isolated,
                    Some(p) if p <= alpha => match quadrant {
                        Quadrant::HighHigh => ClusterLabel::HighHigh,
                        Quadrant::LowLow => ClusterLabel::LowLow,
                        Quadrant::HighLow => ClusterLabel::HighLow,
                        Quadrant::LowHigh => ClusterLabel::LowHigh,
                    },
                    _ => ClusterLabel::NotSignificant,
                };
                LocalMoranRow {
                    lisa_i: is[i],
                    quadrant,
                    lisa_q: quadrant.esda_q(),
                    lisa_p_sim: p_sim[i],
                    lisa_label,
                }
            })
            .collect();
        LocalMoran {
            rows,
            permutations: perms,
            alpha,
        }
    }
}
