//! Sparse spatial weights: contiguity (queen, rook), k nearest neighbours, lattices;
//! binary and row-standardised transforms; islands and connected components.
//!
//! Stored as compressed sparse rows (CSR): never an n × n matrix.

use crate::areas::Areas;
use crate::error::{Error, Location, Result};
use rstar::RTree;
use rstar::primitives::GeomWithData;
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

/// Which weights to build: the choice a command line or a report makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightsKind {
    /// Queen contiguity.
    Queen,
    /// Rook contiguity.
    Rook,
    /// The k nearest areas by centroid.
    Knn(usize),
}

impl WeightsKind {
    /// Builds these weights for a layer.
    ///
    /// # Errors
    /// As [`Weights::knn`].
    pub fn build(self, areas: &Areas) -> Result<Weights> {
        match self {
            WeightsKind::Queen => Ok(Weights::queen(areas)),
            WeightsKind::Rook => Ok(Weights::rook(areas)),
            WeightsKind::Knn(k) => Weights::knn(areas, k),
        }
    }
}

impl std::fmt::Display for WeightsKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeightsKind::Queen => f.write_str("queen"),
            WeightsKind::Rook => f.write_str("rook"),
            WeightsKind::Knn(k) => write!(f, "knn:{k}"),
        }
    }
}

impl std::str::FromStr for WeightsKind {
    type Err = String;
    /// `queen`, `rook` or `knn:K`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        match s {
            "queen" => Ok(WeightsKind::Queen),
            "rook" => Ok(WeightsKind::Rook),
            _ => s
                .strip_prefix("knn:")
                .and_then(|k| k.parse().ok())
                .filter(|&k| k > 0)
                .map(WeightsKind::Knn)
                .ok_or_else(|| format!("unknown weights `{s}` (expected queen, rook or knn:K)")),
        }
    }
}

/// Weights described for a result: what they are and how connected.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct WeightsSummary {
    /// Which weights.
    pub kind: WeightsKind,
    /// Number of areas.
    pub n: usize,
    /// Sum of the binary weights: the number of directed links.
    pub s0: f64,
    /// Codes of the areas with no neighbour.
    pub islands: Vec<String>,
    /// Connected components (islands included).
    pub components: usize,
}

/// Spatial weights in compressed sparse rows, in `Areas` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
    values: Vec<f64>,
    transform: Transform,
}

impl Weights {
    /// Binary weights from neighbour lists (sorted and de-duplicated here; self-links dropped).
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
        }
    }

    /// Queen contiguity: areas that share at least one vertex, compared exactly (as libpysal).
    ///
    /// # Complexity
    /// O(V log V) for V vertices (a sort of all vertex coordinates).
    pub fn queen(areas: &Areas) -> Weights {
        Weights::contiguity(areas, Contiguity::Queen)
    }

    /// Rook contiguity: areas that share at least one edge, compared exactly (as libpysal).
    pub fn rook(areas: &Areas) -> Weights {
        Weights::contiguity(areas, Contiguity::Rook)
    }

    /// Contiguity weights from exactly shared vertices (queen) or edges (rook).
    ///
    /// Every vertex (or edge) is keyed by the bits of its coordinates; sorting the keys puts
    /// the areas that share one next to each other.
    pub fn contiguity(areas: &Areas, rule: Contiguity) -> Weights {
        let bits = |c: &geo::Coord<f64>| {
            (u128::from(norm(c.x).to_bits()) << 64) | u128::from(norm(c.y).to_bits())
        };
        let lists = match rule {
            Contiguity::Queen => {
                // (vertex, area) for every vertex
                let mut keys: Vec<(u128, u32)> = Vec::new();
                for (i, area) in areas.iter().enumerate() {
                    keys.extend(
                        rings(area)
                            .flat_map(|r| r.coords())
                            .map(|c| (bits(c), i as u32)),
                    );
                }
                shared_key_pairs(keys, areas.len())
            }
            Contiguity::Rook => {
                // (edge, area) for every edge, its two ends in order
                let mut keys: Vec<((u128, u128), u32)> = Vec::new();
                for (i, area) in areas.iter().enumerate() {
                    keys.extend(
                        rings(area)
                            .flat_map(|r| r.lines())
                            .filter(|l| l.start != l.end)
                            .map(|l| {
                                let (a, b) = (bits(&l.start), bits(&l.end));
                                ((a.min(b), a.max(b)), i as u32)
                            }),
                    );
                }
                shared_key_pairs(keys, areas.len())
            }
        };
        Weights::from_neighbours(lists)
    }

    /// The `k` nearest areas of each area by centroid distance (in the layer's coordinates,
    /// as libpysal's `KNN.from_dataframe`), found with an R-tree. Not symmetric in general.
    ///
    /// # Errors
    /// [`Error::BadField`] if `k` is 0 or not below the number of areas.
    pub fn knn(areas: &Areas, k: usize) -> Result<Weights> {
        let n = areas.len();
        if k == 0 || k >= n {
            return Err(Error::BadField {
                at: Location::file(&areas.layer.name),
                expected: "k between 1 and the number of areas minus 1",
                found: k.to_string(),
            });
        }
        let points: Vec<GeomWithData<[f64; 2], u32>> = areas
            .iter()
            .enumerate()
            .map(|(i, a)| GeomWithData::new([a.centroid.x(), a.centroid.y()], i as u32))
            .collect();
        let tree = RTree::bulk_load(points.clone());
        let lists = points
            .iter()
            .map(|p| {
                let mut found: Vec<(f64, u32)> = tree
                    .nearest_neighbor_iter_with_distance_2(p.geom())
                    .filter(|(q, _)| q.data != p.data)
                    .take(k + 8)
                    .map(|(q, d)| (d, q.data))
                    .collect();
                // ties broken by index, so the result does not depend on the tree's layout
                found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                found.truncate(k);
                found.into_iter().map(|(_, j)| j).collect()
            })
            .collect();
        Ok(Weights::from_neighbours(lists))
    }

    /// Weights of a `rows` × `cols` lattice of square cells, numbered row by row (libpysal
    /// `lat2W`): handy for examples and tests.
    ///
    /// # Examples
    /// ```
    /// use sigmap::weights::{Contiguity, Weights};
    /// let w = Weights::lattice(3, 3, Contiguity::Rook);
    /// assert_eq!(w.neighbours(4), &[1, 3, 5, 7]);
    /// assert_eq!(w.s0(), 24.0);
    /// let q = Weights::lattice(3, 3, Contiguity::Queen);
    /// assert_eq!(q.neighbours(0), &[1, 3, 4]);
    /// ```
    pub fn lattice(rows: usize, cols: usize, rule: Contiguity) -> Weights {
        let id = |r: usize, c: usize| (r * cols + c) as u32;
        let mut lists = vec![Vec::new(); rows * cols];
        for r in 0..rows {
            for c in 0..cols {
                for (dr, dc) in [
                    (-1i64, -1i64),
                    (-1, 0),
                    (-1, 1),
                    (0, -1),
                    (0, 1),
                    (1, -1),
                    (1, 0),
                    (1, 1),
                ] {
                    if rule == Contiguity::Rook && dr != 0 && dc != 0 {
                        continue;
                    }
                    let (rr, cc) = (r as i64 + dr, c as i64 + dc);
                    if (0..rows as i64).contains(&rr) && (0..cols as i64).contains(&cc) {
                        lists[id(r, c) as usize].push(id(rr as usize, cc as usize));
                    }
                }
            }
        }
        Weights::from_neighbours(lists)
    }

    /// The same neighbours with another transform.
    ///
    /// ```
    /// use sigmap::weights::{Contiguity, Transform, Weights};
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
    pub fn neighbours(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Weights of area `i`'s neighbours, in the order of [`Weights::neighbours`].
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

    /// A description of these weights for a result, naming islands by their codes.
    pub fn summary(&self, kind: WeightsKind, areas: &Areas) -> WeightsSummary {
        WeightsSummary {
            kind,
            n: self.n(),
            s0: self.links() as f64,
            islands: self
                .islands()
                .into_iter()
                .map(|i| areas[i].code.clone())
                .collect(),
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
}

/// Every ring (exterior and holes) of an area.
fn rings(area: &crate::areas::Area) -> impl Iterator<Item = &geo::LineString<f64>> {
    area.geometry
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// Neighbour lists from (key, area) pairs: areas that share a key are neighbours.
/// Sorting puts the owners of one key next to each other: O(K log K).
fn shared_key_pairs<K: Ord + Copy>(mut keys: Vec<(K, u32)>, n: usize) -> Vec<Vec<u32>> {
    keys.sort_unstable();
    keys.dedup();
    let mut lists = vec![Vec::new(); n];
    for group in keys.chunk_by(|a, b| a.0 == b.0) {
        for (a, &(_, i)) in group.iter().enumerate() {
            for &(_, j) in &group[a + 1..] {
                lists[i as usize].push(j);
                lists[j as usize].push(i);
            }
        }
    }
    lists
}

/// -0.0 and 0.0 are the same coordinate.
fn norm(v: f64) -> f64 {
    if v == 0.0 { 0.0 } else { v }
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
}
