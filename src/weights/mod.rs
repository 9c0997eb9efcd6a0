//! Sparse spatial weights: contiguity (queen, rook; exact or with a snapping tolerance),
//! k nearest neighbours, distance bands, lattices; binary and row-standardised transforms;
//! islands (kept, or attached to their nearest areas) and connected components; GAL and GWT
//! files as libpysal and GeoDa read and write them.
//!
//! Stored as compressed sparse rows (CSR) in `Areas` order: never an n × n matrix.
//!
//! | builder | libpysal |
//! |---|---|
//! | [`Weights::queen`], [`Weights::rook`] | `Queen` / `Rook.from_dataframe` |
//! | [`Weights::contiguity_with_tolerance`] | none (a snapping tolerance for imprecise topology) |
//! | [`Weights::knn`] | `KNN.from_dataframe(gdf, k)` |
//! | [`Weights::distance_band`] | `DistanceBand.from_dataframe(centroids in EPSG:27700, threshold)` |
//! | [`Weights::lattice`] | `lat2W` |
//! | [`Weights::attach_islands`] | `weights.util.attach_islands(w, KNN(k=1))` |
//! | [`Weights::from_path`], [`Weights::write_to_path`] | `libpysal.io.open(f).read()` / `.write(w)` (`.gal`, `.gwt`) |

mod contiguity;
mod distance;
mod io;
mod islands;
mod kind;

pub use io::WeightsFormat;
pub use islands::IslandPolicy;
pub use kind::WeightsKind;

use crate::inputs::areas::Areas;
use serde::Serialize;

/// Which boundary contacts make two areas neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Contiguity {
    /// At least one shared vertex (libpysal `Queen`).
    Queen,
    /// At least one shared edge: two consecutive vertices in common (libpysal `Rook`).
    Rook,
}

/// How the weights of each row are scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Transform {
    /// Every neighbour weighs 1 (libpysal `"b"`).
    Binary,
    /// Each row sums to 1; islands keep an empty row (libpysal `"r"`).
    Row,
}

/// Weights described for a result: what they are, what was done to islands, and how
/// connected they are.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WeightsSummary {
    /// Which weights.
    pub kind: WeightsKind,
    /// What was done to the islands of the weights as built.
    pub island_policy: IslandPolicy,
    /// Number of areas.
    pub n: usize,
    /// Sum of the binary weights: the number of directed links.
    pub s0: f64,
    /// Codes of the areas with no neighbour in the weights used (none after
    /// [`IslandPolicy::Attach`]).
    pub islands: Vec<String>,
    /// The islands that [`IslandPolicy::Attach`] linked, with the areas they were linked to.
    pub attached_islands: Vec<AttachedIsland>,
    /// Connected components (islands included).
    pub components: usize,
}

/// An island and the areas [`Weights::attach_islands`] linked it to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AttachedIsland {
    /// The island's code.
    pub code: String,
    /// The codes of its new neighbours, in layer order.
    pub neighbours: Vec<String>,
}

/// Spatial weights in compressed sparse rows, in `Areas` order.
///
/// Links are binary; a [`Transform`] scales them. Weights made by
/// [`Weights::attach_islands`] remember which islands were attached (as libpysal's
/// `nonplanar_neighbors` keeps `non_planar_joins`), so that [`Weights::summary`] can say so.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
    values: Vec<f64>,
    transform: Transform,
    attached: Option<islands::Attachment>,
}

impl Weights {
    /// Binary weights from neighbour lists (sorted and de-duplicated here; self-links dropped).
    ///
    /// # Examples
    /// ```
    /// use sigmap::Weights;
    /// let w = Weights::from_neighbours(vec![vec![1], vec![0, 0, 1], vec![]]);
    /// assert_eq!(w.neighbours(1), &[0]);
    /// assert_eq!(w.islands(), vec![2]);
    /// ```
    ///
    /// # Panics
    /// If a neighbour index is not below `lists.len()`.
    pub fn from_neighbours(mut lists: Vec<Vec<u32>>) -> Weights {
        let n = lists.len();
        let mut offsets = Vec::with_capacity(n + 1);
        let mut neighbours = Vec::new();
        offsets.push(0);
        for (i, list) in lists.iter_mut().enumerate() {
            list.sort_unstable();
            list.dedup();
            list.retain(|&j| j as usize != i);
            assert!(
                list.iter().all(|&j| (j as usize) < n),
                "neighbour index out of range"
            );
            neighbours.extend_from_slice(list);
            offsets.push(neighbours.len());
        }
        let values = vec![1.0; neighbours.len()];
        Weights {
            offsets,
            neighbours,
            values,
            transform: Transform::Binary,
            attached: None,
        }
    }

    /// The same neighbours with another transform.
    ///
    /// ```
    /// use sigmap::{Contiguity, Transform, Weights};
    /// let w = Weights::lattice(2, 2, Contiguity::Rook).transformed(Transform::Row);
    /// assert_eq!(w.weights(0), &[0.5, 0.5]);
    /// ```
    #[must_use]
    pub fn transformed(&self, transform: Transform) -> Weights {
        let mut values = vec![1.0; self.neighbours.len()];
        if transform == Transform::Row {
            for i in 0..self.n() {
                let range = self.offsets[i]..self.offsets[i + 1];
                let card = range.len() as f64;
                for v in &mut values[range] {
                    *v = 1.0 / card;
                }
            }
        }
        Weights {
            values,
            transform,
            ..self.clone()
        }
    }

    /// Number of areas.
    pub fn n(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The transform in force.
    pub fn transform(&self) -> Transform {
        self.transform
    }

    /// Neighbours of area `i`, ascending.
    ///
    /// # Panics
    /// If `i` is not below [`Weights::n`].
    pub fn neighbours(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Weights of area `i`'s neighbours, in the order of [`Weights::neighbours`].
    ///
    /// # Panics
    /// If `i` is not below [`Weights::n`].
    pub fn weights(&self, i: usize) -> &[f64] {
        &self.values[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Number of neighbours of each area.
    pub fn cardinalities(&self) -> Vec<usize> {
        self.offsets.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// Number of (directed) links: the sum of the cardinalities.
    pub fn links(&self) -> usize {
        self.neighbours.len()
    }

    /// Sum of all weights (esda's `S0`).
    pub fn s0(&self) -> f64 {
        self.values.iter().sum()
    }

    /// `S1 = ½ Σ_ij (w_ij + w_ji)²`, as libpysal's `W.s1`: with [`Weights::s0`] and
    /// [`Weights::s2`], what the variances of Moran's I, Geary's C and General G are made of.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Contiguity, Transform, Weights};
    /// // a 2 x 2 rook lattice: a ring of 4 areas, 8 directed links
    /// let w = Weights::lattice(2, 2, Contiguity::Rook);
    /// assert_eq!((w.s0(), w.s1(), w.s2()), (8.0, 16.0, 64.0));
    /// let r = w.transformed(Transform::Row);
    /// assert_eq!((r.s0(), r.s1(), r.s2()), (4.0, 4.0, 16.0));
    /// ```
    ///
    /// # Complexity
    /// O(links · log(max neighbours)): each reverse weight is found by binary search in its
    /// sorted row.
    pub fn s1(&self) -> f64 {
        let mut s1 = 0.0;
        for i in 0..self.n() {
            for (&j, &wij) in self.neighbours(i).iter().zip(self.weights(i)) {
                let wji = self.reverse_weight(i, j as usize);
                s1 += (wij + wji) * (wij + wji);
                if wji == 0.0 {
                    // the pair (j, i) is not visited from row j: count its term here
                    s1 += wij * wij;
                }
            }
        }
        s1 / 2.0
    }

    /// `S2 = Σ_i (w_i· + w_·i)²`, row sum plus column sum squared, as libpysal's `W.s2`.
    /// See [`Weights::s1`] for an example.
    pub fn s2(&self) -> f64 {
        let mut col_sums = vec![0.0; self.n()];
        for i in 0..self.n() {
            for (&j, &wij) in self.neighbours(i).iter().zip(self.weights(i)) {
                col_sums[j as usize] += wij;
            }
        }
        (0..self.n())
            .map(|i| {
                let row: f64 = self.weights(i).iter().sum();
                (row + col_sums[i]) * (row + col_sums[i])
            })
            .sum()
    }

    /// `w_ji`, the weight of `i` in row `j` (0 if `i` is not a neighbour of `j`).
    fn reverse_weight(&self, i: usize, j: usize) -> f64 {
        self.neighbours(j)
            .binary_search(&(i as u32))
            .map_or(0.0, |k| self.weights(j)[k])
    }

    /// Areas with no neighbour, ascending.
    pub fn islands(&self) -> Vec<usize> {
        (0..self.n())
            .filter(|&i| self.offsets[i] == self.offsets[i + 1])
            .collect()
    }

    /// The connected component of each area (numbered from 0 in order of first area),
    /// treating links as undirected.
    pub fn component_labels(&self) -> Vec<usize> {
        let n = self.n();
        // union-find over both directions of every link
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for i in 0..n {
            for &j in self.neighbours(i) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j as usize));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        let mut label = vec![usize::MAX; n];
        let mut labels = Vec::with_capacity(n);
        let mut next = 0;
        for i in 0..n {
            let root = find(&mut parent, i);
            if label[root] == usize::MAX {
                label[root] = next;
                next += 1;
            }
            labels.push(label[root]);
        }
        labels
    }

    /// Number of connected components (islands count as components of one).
    pub fn n_components(&self) -> usize {
        self.component_labels()
            .into_iter()
            .max()
            .map_or(0, |m| m + 1)
    }

    /// The spatial lag `Wy`: for each area, the weighted sum of its neighbours' values.
    ///
    /// # Panics
    /// If `y.len()` is not [`Weights::n`].
    pub fn lag(&self, y: &[f64]) -> Vec<f64> {
        assert_eq!(y.len(), self.n(), "one value per area");
        (0..self.n())
            .map(|i| {
                self.neighbours(i)
                    .iter()
                    .zip(self.weights(i))
                    .map(|(&j, &w)| w * y[j as usize])
                    .sum()
            })
            .collect()
    }

    /// `Σ_i a_i (Wy)_i` for `L` pairs of vectors side by side (lane `l` of each entry is
    /// vector `l`): each lane the same bits as `a.iter().zip(&w.lag(y)).map(|(a, b)| a *
    /// b).sum()`, the lag and the products added in the same order, without the lag's
    /// vector. The permutation tests of the global statistics evaluate `L` permutations in
    /// one pass over the links this way.
    ///
    /// # Panics
    /// If `a.len()` or `y.len()` is not [`Weights::n`].
    pub(crate) fn lag_dot<const L: usize>(&self, a: &[[f64; L]], y: &[[f64; L]]) -> [f64; L] {
        assert!(
            a.len() == self.n() && y.len() == self.n(),
            "one value per area"
        );
        let mut dot = [-0.0; L];
        for (i, window) in self.offsets.windows(2).enumerate() {
            let links = window[0]..window[1];
            let mut lag = [-0.0; L];
            for (&j, &w) in self.neighbours[links.clone()]
                .iter()
                .zip(&self.values[links])
            {
                let yj = y[j as usize];
                for l in 0..L {
                    lag[l] += w * yj[l];
                }
            }
            for l in 0..L {
                dot[l] += a[i][l] * lag[l];
            }
        }
        dot
    }

    /// A description of these weights for a result, naming islands (and attached islands)
    /// by their codes.
    ///
    /// # Panics
    /// If `areas` has fewer areas than the weights.
    pub fn summary(&self, kind: WeightsKind, areas: &Areas) -> WeightsSummary {
        let code = |i: usize| areas[i].code.clone();
        WeightsSummary {
            kind,
            island_policy: self
                .attached
                .as_ref()
                .map_or(IslandPolicy::Keep, |a| IslandPolicy::Attach(a.k)),
            n: self.n(),
            s0: self.links() as f64,
            islands: self.islands().into_iter().map(code).collect(),
            attached_islands: self.attached.as_ref().map_or_else(Vec::new, |a| {
                a.islands
                    .iter()
                    .map(|&i| AttachedIsland {
                        code: code(i as usize),
                        neighbours: self
                            .neighbours(i as usize)
                            .iter()
                            .map(|&j| code(j as usize))
                            .collect(),
                    })
                    .collect()
            }),
            components: self.n_components(),
        }
    }

    /// Is every link matched by its reverse?
    pub fn is_symmetric(&self) -> bool {
        (0..self.n()).all(|i| {
            self.neighbours(i).iter().all(|&j| {
                self.neighbours(j as usize)
                    .binary_search(&(i as u32))
                    .is_ok()
            })
        })
    }

    /// The neighbour lists, one per area (for rebuilding weights with more links).
    fn lists(&self) -> Vec<Vec<u32>> {
        (0..self.n()).map(|i| self.neighbours(i).to_vec()).collect()
    }
}

/// Tiny layers for the unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use crate::inputs::areas::{Areas, LayerOptions};

    /// Squares `[x, x + side] × [y, y + side]` in `squares.geojson`, codes `s0`, `s1`, ...
    pub(crate) fn squares(corners: &[(f64, f64)], side: f64) -> Areas {
        let features: Vec<String> = corners
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| {
                let (x1, y1) = (x + side, y + side);
                format!(
                    r#"{{"type": "Feature", "properties": {{"id": "s{i}"}}, "geometry": {{"type": "Polygon", "coordinates": [[[{x:?}, {y:?}], [{x1:?}, {y:?}], [{x1:?}, {y1:?}], [{x:?}, {y1:?}], [{x:?}, {y:?}]]]}}}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
            features.join(",")
        );
        LayerOptions::new()
            .code_property("id")
            .from_reader(text.as_bytes(), "squares.geojson")
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lattice_counts_match_lat2w() {
        // libpysal lat2W(5, 5): rook 80 links, queen 144
        assert_eq!(Weights::lattice(5, 5, Contiguity::Rook).links(), 80);
        assert_eq!(Weights::lattice(5, 5, Contiguity::Queen).links(), 144);
        let w = Weights::lattice(3, 3, Contiguity::Queen).transformed(Transform::Row);
        for i in 0..9 {
            assert!((w.weights(i).iter().sum::<f64>() - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    fn s1_and_s2_count_one_way_links_once_from_each_side() {
        // a directed cycle 0 -> 1 -> 2 -> 0: no link has a reverse
        let w = Weights::from_neighbours(vec![vec![1], vec![2], vec![0]]);
        assert_eq!((w.s0(), w.s1(), w.s2()), (3.0, 3.0, 12.0));
        // libpysal lat2W(3, 3) (rook): s0 = 24, s1 = 48, s2 = 272
        let w = Weights::lattice(3, 3, Contiguity::Rook);
        assert_eq!((w.s0(), w.s1(), w.s2()), (24.0, 48.0, 272.0));
        // islands add nothing
        let w = Weights::from_neighbours(vec![vec![1], vec![0], vec![]]);
        assert_eq!((w.s0(), w.s1(), w.s2()), (2.0, 4.0, 8.0));
    }

    #[test]
    fn islands_and_components() {
        let w = Weights::from_neighbours(vec![vec![1], vec![0], vec![], vec![4], vec![3]]);
        assert_eq!(w.islands(), vec![2]);
        assert_eq!(w.component_labels(), vec![0, 0, 1, 2, 2]);
        assert_eq!(w.n_components(), 3);
        assert!(w.is_symmetric());
        let r = w.transformed(Transform::Row);
        assert_eq!(r.weights(2), &[] as &[f64]);
        assert_eq!(
            r.lag(&[1.0, 2.0, 3.0, 4.0, 5.0]),
            vec![2.0, 1.0, 0.0, 5.0, 4.0]
        );
    }

    /// Each lane of `lag_dot` is the lag's products summed in order, to the bit: odd and even
    /// numbers of areas, islands, neighbours from none to many, values whose sums depend on
    /// the order of the additions.
    #[test]
    fn lag_dot_lanes_are_the_lags_products_summed() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for n in [1, 2, 3, 10, 11, 57] {
            let lists: Vec<Vec<u32>> = (0..n)
                .map(|i| {
                    let k = rng.random_range(0..n.min(9));
                    (0..k)
                        .map(|_| rng.random_range(0..n as u32))
                        .filter(|&j| j != i as u32)
                        .collect()
                })
                .collect();
            let w = Weights::from_neighbours(lists).transformed(Transform::Row);
            let mut draw = || -> Vec<[f64; 3]> {
                (0..n)
                    .map(|_| std::array::from_fn(|_| rng.random_range(-1e3..1e3) / 7.0))
                    .collect()
            };
            let (a, y) = (draw(), draw());
            let got = w.lag_dot(&a, &y);
            for l in 0..3 {
                let lane = |v: &[[f64; 3]]| v.iter().map(|x| x[l]).collect::<Vec<_>>();
                let want: f64 = lane(&a)
                    .iter()
                    .zip(&w.lag(&lane(&y)))
                    .map(|(a, b)| a * b)
                    .sum();
                assert_eq!(got[l].to_bits(), want.to_bits(), "n {n}, lane {l}");
            }
        }
    }
}
