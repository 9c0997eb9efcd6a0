//! A report's caveats in plain words, for the pages that show its numbers (the
//! interactive map, the site): what the terminal summary says under "Note", "Geometry",
//! "Overlaps" and "Gaps", and how the cluster and unusual-support labels were decided.

use crate::jobs::summary::Summary;
use crate::text::thousands;

impl Summary {
    /// The caveats a page showing this report's numbers must carry beyond the table's:
    /// areas of the layer with invalid geometry, overlaps and gaps between areas, values
    /// left empty, and how the cluster and unusual-support labels were decided (or why
    /// there are none). The table's own notes (`completeness.notes`: counts estimated
    /// through a crosswalk, inconsistent counters, unmatched codes) and its unassigned
    /// signatures are not repeated here: [`HtmlMap`](crate::export::HtmlMap) adds them
    /// from the table.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Petition, Report};
    /// let report = Report::with_shipped_data(Petition::from_path("data/petitions/petition_241584.json")?)?;
    /// let caveats = report.summary.caveats();
    /// assert!(caveats.iter().any(|c| c.contains("Hot and cold spots")));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn caveats(&self) -> Vec<String> {
        // a crosswalk is among the table's notes (`completeness.notes`), which the pages
        // show from the table
        let mut out = Vec::new();
        if !self.geometry_issues.is_empty() {
            let shown: Vec<String> = self
                .geometry_issues
                .iter()
                .take(5)
                .map(|g| format!("{} ({})", g.code, g.problem))
                .collect();
            out.push(format!(
                "{} area(s) of the boundary layer {} have invalid geometry, used as they are (areas and densities as measured, point counts by even-odd parity): {}{}.",
                self.geometry_issues.len(),
                self.layer.name,
                shown.join(", "),
                if self.geometry_issues.len() > 5 { ", …" } else { "" }
            ));
        }
        if !self.overlaps.is_empty() {
            let shown: Vec<String> = self
                .overlaps
                .iter()
                .take(3)
                .map(|o| format!("{} / {} ({:.3} km²)", o.a_name, o.b_name, o.area_km2))
                .collect();
            out.push(format!(
                "{} pair(s) of areas of the layer overlap: {}{}.",
                self.overlaps.len(),
                shown.join(", "),
                if self.overlaps.len() > 3 { ", …" } else { "" }
            ));
        }
        if !self.gaps.is_empty() {
            let total: f64 = self.gaps.iter().map(|g| g.area_km2).sum();
            out.push(format!(
                "{} gap(s) between areas inside the layer ({total:.3} km² in all).",
                self.gaps.len()
            ));
        }
        for note in &self.empty_values {
            out.push(format!("Empty values: {note}."));
        }
        match (&self.clustering, &self.clustering_note) {
            (Some(c), _) => {
                let mut line = format!(
                    "Hot and cold spots: local Moran of signatures per 1,000 voters ({} weights, pseudo p-values from {} conditional permutations) at {}, not adjusted for multiple testing",
                    c.weights.kind,
                    thousands(c.moran.permutations.count as u64),
                    c.alpha
                );
                if let Some(t) = c.fdr_threshold {
                    line.push_str(&format!(
                        " (after a Benjamini-Hochberg correction only p ≤ {t:.4} would stay significant)"
                    ));
                }
                line.push_str(&format!(
                    "; seats with no neighbour are never called significant. {}",
                    c.headline
                ));
                out.push(line);
            }
            (None, Some(note)) => out.push(format!("No hot or cold spots: {note}.")),
            (None, None) => {}
        }
        if let Some(u) = &self.unusual {
            out.push(format!(
                "Unusual support compares each seat's signatures with those expected at the national rate per voter, allowing for overdispersion (φ = {:.1}), with a Benjamini-Hochberg correction at {}: {} seat(s) unusually high, {} unusually low.",
                u.dispersion, u.alpha, u.high, u.low
            ));
        }
        out
    }
}
