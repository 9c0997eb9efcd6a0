use super::{
    ClusterLabel, Geary, GetisOrd, Moran, Permutations, empirical_bayes, fdr, geary, getis_ord,
    local_g_star, local_moran, moran,
};
use crate::areas::{Areas, LayerInfo};
use crate::error::Result;
use crate::values::Values;
use crate::weights::{Weights, WeightsKind, WeightsSummary};
use serde::Serialize;

/// Every statistic of one variable on one layer: what `sigmap stats` prints as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct StatsReport {
    /// The boundary layer.
    pub layer: LayerInfo,
    /// The weights.
    pub weights: WeightsSummary,
    /// Global Moran's I.
    pub moran: Moran,
    /// Geary's C.
    pub geary: Geary,
    /// General G.
    pub getis_ord: GetisOrd,
    /// Significance level of the labels.
    pub alpha: f64,
    /// Benjamini-Hochberg threshold on the local Moran pseudo p-values (islands excluded).
    pub fdr_threshold: f64,
    /// One row per area, in layer order.
    pub local: Vec<LocalStatsRow>,
}

/// The local statistics of one area.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct LocalStatsRow {
    /// The area's id.
    pub id: String,
    /// Local Moran's I.
    pub lisa_i: f64,
    /// Quadrant, esda numbering.
    pub lisa_q: u8,
    /// Pseudo p-value (none for an island or without permutations).
    pub lisa_p_sim: Option<f64>,
    /// Cluster label.
    pub lisa_label: ClusterLabel,
    /// Gi* z-value.
    pub gi_star_z: f64,
    /// Gi* one-tailed normal p-value.
    pub gi_star_p_norm: f64,
    /// Gi* pseudo p-value.
    pub gi_star_p_sim: Option<f64>,
    /// Global Empirical Bayes rate (with a population; none without, or with no events).
    pub eb_rate: Option<f64>,
}

impl StatsReport {
    /// Computes every statistic of `values.rates()` with weights `w` (built as `kind` says)
    /// and pseudo p-values from `perms`; LISA labels at level `alpha`.
    ///
    /// # Errors
    /// As [`super::moran`].
    pub fn compute(
        areas: &Areas,
        values: &Values,
        w: &Weights,
        kind: WeightsKind,
        perms: Permutations,
        alpha: f64,
    ) -> Result<StatsReport> {
        let y = values.rates();
        let lisa = local_moran(&y, w, perms, alpha)?;
        let gi = local_g_star(&y, w, perms)?;
        let eb = match &values.population {
            Some(p) => empirical_bayes(&values.count, p)?,
            None => vec![None; y.len()],
        };
        let p_values: Vec<f64> = lisa.rows.iter().filter_map(|r| r.lisa_p_sim).collect();
        let local = areas
            .iter()
            .zip(lisa.rows.iter().zip(&gi.rows))
            .zip(eb)
            .map(|((area, (l, g)), eb_rate)| LocalStatsRow {
                id: area.code.clone(),
                lisa_i: l.lisa_i,
                lisa_q: l.lisa_q,
                lisa_p_sim: l.lisa_p_sim,
                lisa_label: l.lisa_label,
                gi_star_z: g.gi_star_z,
                gi_star_p_norm: g.gi_star_p_norm,
                gi_star_p_sim: g.gi_star_p_sim,
                eb_rate,
            })
            .collect();
        Ok(StatsReport {
            layer: areas.layer.clone(),
            weights: w.summary(kind, areas),
            moran: moran(&y, w, perms)?,
            geary: geary(&y, w)?,
            getis_ord: getis_ord(&y, w)?,
            alpha,
            fdr_threshold: fdr(&p_values, alpha),
            local,
        })
    }
}
