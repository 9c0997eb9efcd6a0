//! What to do with islands (areas with no neighbour): keep them isolated, or attach each to
//! its k nearest areas by centroid (libpysal's `attach_islands`, generalised to k).

use super::Weights;
use super::distance::{check_k, layer_centroids, nearest};
use crate::error::{Error, Location, Result};
use crate::inputs::areas::Areas;
use rstar::RTree;
use serde::Serialize;

/// What to do with the islands of a set of weights.
///
/// Parsed from and displayed as `keep` or `attach:K`; the two round-trip.
///
/// # Examples
/// ```
/// use sigmap::IslandPolicy;
/// let policy: IslandPolicy = "attach:1".parse().unwrap();
/// assert_eq!(policy, IslandPolicy::Attach(1));
/// assert_eq!(policy.to_string(), "attach:1");
/// assert_eq!(IslandPolicy::default(), IslandPolicy::Keep);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IslandPolicy {
    /// Islands stay isolated: they are reported, and the local statistics label them
    /// `Isolated` with no p-value.
    #[default]
    Keep,
    /// Each island is linked, both ways, to its k nearest areas by centroid
    /// (see [`Weights::attach_islands`]).
    Attach(usize),
}

impl std::fmt::Display for IslandPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IslandPolicy::Keep => f.write_str("keep"),
            IslandPolicy::Attach(k) => write!(f, "attach:{k}"),
        }
    }
}

impl std::str::FromStr for IslandPolicy {
    type Err = String;
    /// `keep` or `attach:K` (K ≥ 1).
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        if s == "keep" {
            return Ok(IslandPolicy::Keep);
        }
        s.strip_prefix("attach:")
            .and_then(|k| k.parse().ok())
            .filter(|&k| k > 0)
            .map(IslandPolicy::Attach)
            .ok_or_else(|| format!("unknown island policy `{s}` (expected keep or attach:K)"))
    }
}

/// The islands [`Weights::attach_islands`] linked, kept for [`Weights::summary`].
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Attachment {
    /// How many nearest areas each island was linked to.
    pub(super) k: usize,
    /// The islands, ascending.
    pub(super) islands: Vec<u32>,
}

impl Weights {
    /// The same weights with each island linked to its `k` nearest areas by centroid, in
    /// both directions (the island gains k neighbours; each of them gains the island).
    /// The transform in force is kept.
    ///
    /// "Nearest" is as in [`Weights::knn`]: centroid distance in the layer's coordinates,
    /// ties by layer order; the k nearest may include other islands. Weights without
    /// islands come back unchanged (but remember the policy, for [`Weights::summary`]).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, IslandPolicy, Vintage, Weights, WeightsKind};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let queen = Weights::queen(&areas);
    /// assert_eq!(queen.islands().len(), 3); // Na h-Eileanan an Iar, Orkney and Shetland, Ynys Môn
    /// let w = queen.attach_islands(&areas, 1)?;
    /// assert!(w.islands().is_empty());
    /// assert_eq!(w.links(), queen.links() + 2 * 3);
    /// let summary = w.summary(WeightsKind::Queen, &areas);
    /// assert_eq!(summary.island_policy, IslandPolicy::Attach(1));
    /// assert_eq!(summary.attached_islands[2].code, "W07000112");
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadField`] if `k` is 0 or not below the number of areas, or if the weights
    /// do not have one row per area of `areas`.
    ///
    /// # References
    /// With k = 1, the same links as `libpysal.weights.util.attach_islands(w,
    /// KNN.from_dataframe(gdf, k=1))` on the shipped layers (tests/golden/pysal), which is
    /// symmetric as well. Where an island's nearest area is another island, libpysal
    /// overwrites the second island's list with its own nearest (dropping the reverse of the
    /// first link, or listing a neighbour twice); sigmap keeps every link in both directions.
    pub fn attach_islands(&self, areas: &Areas, k: usize) -> Result<Weights> {
        check_rows(self, areas)?;
        check_k(areas, k)?;
        let islands: Vec<usize> = self.islands();
        let mut lists = self.lists();
        if !islands.is_empty() {
            let points = layer_centroids(areas)?;
            let tree = RTree::bulk_load(points.clone());
            for &i in &islands {
                for j in nearest(&tree, &points[i], k) {
                    lists[i].push(j);
                    lists[j as usize].push(i as u32);
                }
            }
        }
        let mut w = Weights::from_neighbours(lists).transformed(self.transform);
        let mut attached: Vec<u32> = self
            .attached
            .as_ref()
            .map_or_else(Vec::new, |a| a.islands.clone());
        attached.extend(islands.iter().map(|&i| i as u32));
        attached.sort_unstable();
        w.attached = Some(Attachment {
            k,
            islands: attached,
        });
        Ok(w)
    }

    /// These weights after an island policy: unchanged for [`IslandPolicy::Keep`],
    /// [`Weights::attach_islands`] for [`IslandPolicy::Attach`].
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, IslandPolicy, Vintage, WeightsKind};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let w = WeightsKind::Queen.build(&areas)?.with_island_policy(IslandPolicy::Attach(2), &areas)?;
    /// assert_eq!(w.summary(WeightsKind::Queen, &areas).attached_islands[0].neighbours.len(), 2);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Weights::attach_islands`].
    pub fn with_island_policy(self, policy: IslandPolicy, areas: &Areas) -> Result<Weights> {
        match policy {
            IslandPolicy::Keep => Ok(self),
            IslandPolicy::Attach(k) => self.attach_islands(areas, k),
        }
    }
}

/// The weights must have one row per area of the layer.
pub(super) fn check_rows(w: &Weights, areas: &Areas) -> Result<()> {
    if w.n() == areas.len() {
        Ok(())
    } else {
        Err(Error::BadField {
            at: Location::file(&areas.layer.name),
            expected: "weights with one row per area of the layer",
            found: format!("{} rows for {} areas", w.n(), areas.len()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::testing::squares;
    use crate::weights::{Transform, WeightsKind};

    /// Small squares around the points, so that their centroids are the points.
    fn dots(points: &[(f64, f64)]) -> Areas {
        let corners: Vec<(f64, f64)> = points.iter().map(|&(x, y)| (x - 0.01, y - 0.01)).collect();
        squares(&corners, 0.02)
    }

    #[test]
    fn islands_are_linked_both_ways_and_recorded() {
        // 0-1 linked; 2 and 3 are islands, each other's nearest; 4 an island nearest to 1
        let areas = dots(&[(0.0, 0.0), (1.0, 0.0), (5.0, 5.0), (5.5, 5.0), (2.0, 0.0)]);
        let w = Weights::from_neighbours(vec![vec![1], vec![0], vec![], vec![], vec![]]);
        let a = w.attach_islands(&areas, 1).unwrap();
        assert_eq!(a.neighbours(0), &[1]);
        assert_eq!(a.neighbours(1), &[0, 4]);
        assert_eq!(a.neighbours(2), &[3]);
        assert_eq!(a.neighbours(3), &[2]);
        assert_eq!(a.neighbours(4), &[1]);
        assert!(a.is_symmetric() && a.islands().is_empty());
        let s = a.summary(WeightsKind::Queen, &areas);
        assert_eq!(s.island_policy, IslandPolicy::Attach(1));
        let attached: Vec<(&str, Vec<&str>)> = s
            .attached_islands
            .iter()
            .map(|x| {
                (
                    x.code.as_str(),
                    x.neighbours.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            attached,
            [("s2", vec!["s3"]), ("s3", vec!["s2"]), ("s4", vec!["s1"])]
        );
        // k = 2, and the transform is kept
        let r = w
            .transformed(Transform::Row)
            .attach_islands(&areas, 2)
            .unwrap();
        assert_eq!(r.transform(), Transform::Row);
        // 4's own two nearest, and the islands 2 and 3, whose second nearest it is
        assert_eq!(r.neighbours(4), &[0, 1, 2, 3]);
        assert_eq!(r.weights(4), &[0.25; 4]);
        assert_eq!(r.weights(1), &[0.5, 0.5]);
    }

    #[test]
    fn no_islands_no_change_but_the_policy_is_recorded() {
        let areas = dots(&[(0.0, 0.0), (1.0, 0.0)]);
        let w = Weights::from_neighbours(vec![vec![1], vec![0]]);
        let a = w
            .clone()
            .with_island_policy(IslandPolicy::Attach(1), &areas)
            .unwrap();
        assert_eq!(a.lists(), w.lists());
        let s = a.summary(WeightsKind::Rook, &areas);
        assert_eq!(s.island_policy, IslandPolicy::Attach(1));
        assert!(s.attached_islands.is_empty());
        let kept = w
            .clone()
            .with_island_policy(IslandPolicy::Keep, &areas)
            .unwrap();
        assert_eq!(kept, w);
        assert_eq!(
            kept.summary(WeightsKind::Rook, &areas).island_policy,
            IslandPolicy::Keep
        );
    }

    #[test]
    fn bad_k_and_mismatched_weights_are_errors() {
        let areas = dots(&[(0.0, 0.0), (1.0, 0.0)]);
        let w = Weights::from_neighbours(vec![vec![], vec![]]);
        for k in [0, 2] {
            let e = w.attach_islands(&areas, k).unwrap_err();
            assert_eq!(
                e.to_string(),
                format!(
                    "squares.geojson: expected k between 1 and the number of areas minus 1, found {k}"
                )
            );
        }
        let e = Weights::from_neighbours(vec![vec![]; 3])
            .attach_islands(&areas, 1)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "squares.geojson: expected weights with one row per area of the layer, found 3 rows for 2 areas"
        );
    }

    #[test]
    fn policies_parse_and_display() {
        for p in [
            IslandPolicy::Keep,
            IslandPolicy::Attach(1),
            IslandPolicy::Attach(12),
        ] {
            assert_eq!(p.to_string().parse::<IslandPolicy>(), Ok(p));
        }
        for s in ["attach:0", "attach:", "attach", "nearest", "attach:-1"] {
            assert!(
                s.parse::<IslandPolicy>()
                    .unwrap_err()
                    .contains("keep or attach:K"),
                "{s}"
            );
        }
    }
}
