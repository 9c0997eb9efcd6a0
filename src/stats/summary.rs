use super::{
    ClusterLabel, Geary, GetisOrd, Moran, NEEDS_LINKS, Permutations, bonferroni, check_shares,
    check_values_at, empirical_bayes, fdr, geary, getis_ord, local_moran, local_moran_and_g_star,
    moran,
};
use crate::error::{Error, Location, Result};
use crate::inputs::areas::{Areas, LayerInfo};
use crate::inputs::values::Values;
use crate::weights::{Weights, WeightsKind, WeightsSummary};
use serde::Serialize;

/// Every statistic of one variable on one layer: what `sigmap stats` prints as JSON.
///
/// General G and Gi* need values that are shares of a total (non-negative, with a positive
/// sum); Moran's I, Geary's C and local Moran take any values. For values with a negative
/// one, the G statistics are absent (`getis_ord`, `gi_star_*` are none, JSON `null`) and
/// `getis_ord_note` says why, naming the value, while the other statistics are computed.
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
    /// General G; none when the values cannot be shares of a total (see `getis_ord_note`).
    pub getis_ord: Option<GetisOrd>,
    /// Why General G and Gi* are absent, when they are.
    pub getis_ord_note: Option<String>,
    /// Significance level of the labels.
    pub alpha: f64,
    /// Benjamini-Hochberg threshold on the local Moran pseudo p-values at `alpha` (islands
    /// excluded): areas at or below it stay significant after the correction. None without
    /// pseudo p-values (no permutations).
    pub fdr_threshold: Option<f64>,
    /// Bonferroni threshold on the same p-values: `alpha` over the number of areas tested
    /// (islands excluded). None without pseudo p-values.
    pub bonferroni_threshold: Option<f64>,
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
    /// Gi* z-value (none when the values cannot give Gi*; see
    /// [`StatsReport::getis_ord_note`]).
    pub gi_star_z: Option<f64>,
    /// Gi* one-tailed normal p-value (none as `gi_star_z`).
    pub gi_star_p_norm: Option<f64>,
    /// Gi* pseudo p-value (none for an island, without permutations or as `gi_star_z`).
    pub gi_star_p_sim: Option<f64>,
    /// Global Empirical Bayes rate (with a population; none without, or with no events).
    pub eb_rate: Option<f64>,
}

impl StatsReport {
    /// Computes every statistic of `values.rates()` with weights `w` (built as `kind` says)
    /// and pseudo p-values from `perms`; LISA labels at level `alpha`.
    ///
    /// # Examples
    /// ```
    /// use sigmap::stats::{Permutations, StatsReport};
    /// use sigmap::{ValueColumns, Values};
    /// use sigmap::{LayerOptions, Weights, WeightsKind};
    /// // a row of 5 touching unit squares
    /// let features: Vec<String> = (0..5)
    ///     .map(|i| format!(
    ///         r#"{{"type":"Feature","properties":{{"code":"a{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{i},0],[{j},0],[{j},1],[{i},1],[{i},0]]]}}}}"#,
    ///         j = i + 1
    ///     ))
    ///     .collect();
    /// let layer = format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(","));
    /// let areas = LayerOptions::new().code_property("code").from_reader(layer.as_bytes(), "row.geojson")?;
    /// let columns = ValueColumns { id: "code".into(), variable: "change".into(), population: None };
    /// // a change can be negative: Moran's I is computed, the G statistics are not
    /// let csv = "code,change\na0,-2\na1,-1\na2,0\na3,1\na4,3\n";
    /// let values = Values::from_reader(csv.as_bytes(), "change.csv", &columns, &areas)?;
    /// let w = Weights::queen(&areas);
    /// let r = StatsReport::compute(&areas, &values, &w, WeightsKind::Queen, Permutations::new(99), 0.05)?;
    /// assert!(r.moran.i > 0.0);
    /// assert_eq!(r.getis_ord, None);
    /// assert_eq!(r.local[0].gi_star_z, None);
    /// let note = r.getis_ord_note.as_deref().unwrap_or_default();
    /// assert!(note.contains("change.csv: record 1, field change"), "{note}");
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadField`] naming the layer if it has fewer than 4 areas or if `w` links no
    /// areas (every area an island: no statistic is defined), and naming the values (file,
    /// record, field) if a value is not finite or all values are equal; as
    /// [`super::moran`] for the engine's seed.
    pub fn compute(
        areas: &Areas,
        values: &Values,
        w: &Weights,
        kind: WeightsKind,
        perms: Permutations,
        alpha: f64,
    ) -> Result<StatsReport> {
        let y = values.rates();
        let layer = || Location::file(&areas.layer.name);
        if y.len() < 4 {
            return Err(Error::BadField {
                at: layer(),
                expected: "at least 4 areas (the variances divide by n - 3)",
                found: format!("{} area(s)", y.len()),
            });
        }
        if w.links() == 0 {
            return Err(Error::BadField {
                at: layer(),
                expected: NEEDS_LINKS,
                found: format!(
                    "no links: {kind} weights leave each of the {} areas an island",
                    w.n()
                ),
            });
        }
        check_values_at(&y, w, &|i| values.location(i))?;
        // General G and Gi* only for values that can be shares of a total; the rest stands
        let shares = check_shares(&y, &|i| values.location(i), &|i| {
            format!(" (area {})", areas[i].code)
        });
        let (lisa, getis_ord, gi, getis_ord_note) = match shares {
            Ok(()) => {
                let (lisa, gi) = local_moran_and_g_star(&y, w, perms, alpha)?;
                (lisa, Some(getis_ord(&y, w)?), Some(gi), None)
            }
            Err(e) => (
                local_moran(&y, w, perms, alpha)?,
                None,
                None,
                Some(format!("General G and Gi* not computed: {e}")),
            ),
        };
        let eb = match &values.population {
            Some(p) => empirical_bayes(&values.variable, p)?,
            None => vec![None; y.len()],
        };
        let p_values: Vec<f64> = lisa.rows.iter().filter_map(|r| r.lisa_p_sim).collect();
        let (fdr_threshold, bonferroni_threshold) = if p_values.is_empty() {
            (None, None)
        } else {
            (
                Some(fdr(&p_values, alpha)),
                Some(bonferroni(p_values.len(), alpha)),
            )
        };
        let local = areas
            .iter()
            .zip(&lisa.rows)
            .zip(eb)
            .enumerate()
            .map(|(i, ((area, l), eb_rate))| {
                let g = gi.as_ref().map(|gi| &gi.rows[i]);
                LocalStatsRow {
                    id: area.code.clone(),
                    lisa_i: l.lisa_i,
                    lisa_q: l.lisa_q,
                    lisa_p_sim: l.lisa_p_sim,
                    lisa_label: l.lisa_label,
                    gi_star_z: g.map(|g| g.gi_star_z),
                    gi_star_p_norm: g.map(|g| g.gi_star_p_norm),
                    gi_star_p_sim: g.and_then(|g| g.gi_star_p_sim),
                    eb_rate,
                }
            })
            .collect();
        Ok(StatsReport {
            layer: areas.layer.clone(),
            weights: w.summary(kind, areas),
            moran: moran(&y, w, perms)?,
            geary: geary(&y, w)?,
            getis_ord,
            getis_ord_note,
            alpha,
            fdr_threshold,
            bonferroni_threshold,
            local,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::testing::squares;

    fn values(count: &[f64]) -> Values {
        Values {
            variable: count.to_vec(),
            population: None,
            origin: None,
        }
    }

    fn compute(areas: &Areas, v: &Values, w: &Weights) -> Result<StatsReport> {
        let perms = Permutations::new(99);
        StatsReport::compute(areas, v, w, WeightsKind::Queen, perms, 0.05)
    }

    // See: #5
    #[test]
    fn weights_with_no_link_are_refused_naming_the_layer() {
        // 6 unit squares 2 apart: every one an island
        let corners: Vec<(f64, f64)> = (0..6).map(|i| (3.0 * f64::from(i), 0.0)).collect();
        let areas = squares(&corners, 1.0);
        let w = Weights::queen(&areas);
        assert_eq!(w.links(), 0);
        let v = values(&[1.0, 5.0, 2.0, 8.0, 3.0, 4.0]);
        let err = compute(&areas, &v, &w).unwrap_err();
        assert!(err.is_input());
        assert_eq!(
            err.to_string(),
            "squares.geojson: expected weights that link some areas (every statistic compares areas with their neighbours), found no links: queen weights leave each of the 6 areas an island"
        );
        // and every statistic on its own, rather than NaN and a spurious p_sim of 0.001
        let y = &v.variable;
        let perms = Permutations::new(99);
        let errors = [
            super::super::moran(y, &w, perms).err(),
            super::super::geary(y, &w).err(),
            super::super::getis_ord(y, &w).err(),
            super::super::local_moran(y, &w, perms, 0.05).err(),
            super::super::local_g_star(y, &w, perms).err(),
        ];
        for e in errors {
            let e = e.map(|e| e.to_string()).unwrap_or_default();
            assert!(
                e.starts_with("argument weights: expected weights that link some areas"),
                "{e}"
            );
        }
        // one link is enough
        let areas = squares(&[(0.0, 0.0), (1.0, 0.0), (5.0, 0.0), (8.0, 0.0)], 1.0);
        let w = Weights::queen(&areas);
        assert_eq!(w.links(), 2);
        let r = compute(&areas, &values(&[1.0, 2.0, 3.0, 9.0]), &w).unwrap();
        assert!(r.moran.i.is_finite());
    }

    // See: #5
    #[test]
    fn negative_values_drop_the_g_statistics_and_keep_the_rest() {
        let corners: Vec<(f64, f64)> = (0..9)
            .map(|i| (f64::from(i % 3), f64::from(i / 3)))
            .collect();
        let areas = squares(&corners, 1.0);
        let w = Weights::queen(&areas);
        let y = [-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]; // sums to 0
        let r = compute(&areas, &values(&y), &w).unwrap();
        assert!(r.moran.i > 0.0 && r.geary.c < 1.0);
        assert_eq!(r.getis_ord, None);
        assert_eq!(
            r.getis_ord_note.as_deref(),
            Some(
                "General G and Gi* not computed: argument values: record 1: expected a non-negative value (General G and Gi* are shares of the total), found -4 (area s0), one of 4 negative value(s) out of 9"
            )
        );
        assert!(r.local.iter().all(|l| l.gi_star_z.is_none()
            && l.gi_star_p_norm.is_none()
            && l.gi_star_p_sim.is_none()
            && l.lisa_i.is_finite()));
        // the JSON has the keys, as null, and no other null than those and eb_rate
        let json = serde_json::to_value(&r).unwrap();
        assert!(json["getis_ord"].is_null());
        assert!(json["local"][0]["gi_star_z"].is_null());
        assert!(json["moran"]["I"].is_f64());
        // the same values shifted to be positive: G is there, Moran's I is unchanged
        let shifted: Vec<f64> = y.iter().map(|v| v + 5.0).collect();
        let s = compute(&areas, &values(&shifted), &w).unwrap();
        assert!(s.getis_ord.is_some() && s.getis_ord_note.is_none());
        assert!(s.local.iter().all(|l| l.gi_star_z.is_some()));
        assert!((s.moran.i - r.moran.i).abs() < 1e-12);
        // zero is a share: non-negative values with a zero among them are fine
        let mut zeros = shifted.clone();
        zeros[0] = 0.0;
        assert!(
            compute(&areas, &values(&zeros), &w)
                .unwrap()
                .getis_ord
                .is_some()
        );
        // from a file: the first negative value of the file is named, by record and area
        let mut csv = String::from("id,v\n");
        for i in (0..9).rev() {
            let v = if i == 1 || i == 7 {
                -1.0
            } else {
                2.0 + f64::from(i)
            };
            csv.push_str(&format!("s{i},{v}\n"));
        }
        let columns = crate::inputs::values::ValueColumns {
            id: "id".into(),
            variable: "v".into(),
            population: None,
        };
        let v = Values::from_reader(csv.as_bytes(), "v.csv", &columns, &areas).unwrap();
        let r = compute(&areas, &v, &w).unwrap();
        assert_eq!(
            r.getis_ord_note.as_deref(),
            Some(
                "General G and Gi* not computed: v.csv: record 2, field v: expected a non-negative value (General G and Gi* are shares of the total), found -1 (area s7), one of 2 negative value(s) out of 9"
            )
        );
        // the functions themselves refuse, naming the value
        let err = super::super::local_g_star(&y, &w, Permutations::none()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("argument values: record 1: expected a non-negative value")
        );
    }

    #[test]
    fn thresholds_exclude_islands_and_need_p_values() {
        // a 2 x 2 block and a fifth square on its own
        let areas = squares(
            &[(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0), (5.0, 5.0)],
            1.0,
        );
        let w = Weights::queen(&areas);
        let v = values(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        let r = compute(&areas, &v, &w).unwrap();
        assert_eq!(r.bonferroni_threshold, Some(0.05 / 4.0));
        assert!(r.fdr_threshold.unwrap() >= 0.05 / 4.0);
        let none = StatsReport::compute(
            &areas,
            &v,
            &w,
            WeightsKind::Queen,
            Permutations::none(),
            0.05,
        )
        .unwrap();
        assert_eq!(
            (none.fdr_threshold, none.bonferroni_threshold),
            (None, None)
        );
    }
}
