//! Contiguity weights: queen (a shared vertex) and rook (a shared edge), compared exactly
//! as libpysal does or within a snapping tolerance; and lattices (libpysal `lat2W`).

use super::{Contiguity, Weights};
use crate::error::{Error, Location, Result};
use crate::inputs::areas::Areas;
use geo::Coord;
use rayon::prelude::*;

impl Weights {
    /// Queen contiguity: areas that share at least one vertex, compared exactly (as libpysal).
    ///
    /// # Complexity
    /// O(V log V) for V vertices (a sort of all vertex coordinates).
    ///
    /// # References
    /// Identical neighbour lists to `libpysal.weights.Queen.from_dataframe(gdf)` (libpysal
    /// 4.14) on the shipped layers (tests/golden/pysal).
    ///
    /// # Examples
    /// A 3 × 3 grid of squares (inline GeoJSON, codes `a0`..`a8` row by row): the centre
    /// touches all eight others.
    /// ```
    /// use sigmap::{LayerOptions, Weights};
    /// # let squares = |n: usize, side: f64| -> String {
    /// #     let f = (0..n * n).map(|i| {
    /// #         let (x, y) = (-1.6 + side * (i % n) as f64, 53.0 + side * (i / n) as f64);
    /// #         let (x1, y1) = (x + side, y + side);
    /// #         format!(r#"{{"type":"Feature","properties":{{"id":"a{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#)
    /// #     }).collect::<Vec<_>>();
    /// #     format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, f.join(","))
    /// # };
    /// let areas = LayerOptions::new().code_property("id").from_reader(squares(3, 0.1).as_bytes(), "grid.geojson")?;
    /// let w = Weights::queen(&areas);
    /// assert_eq!(w.neighbours(4).len(), 8);
    /// assert_eq!(w.neighbours(0), [1, 3, 4]);
    /// assert_eq!(w.links(), 40);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn queen(areas: &Areas) -> Weights {
        Weights::contiguity(areas, Contiguity::Queen)
    }

    /// Rook contiguity: areas that share at least one edge, compared exactly (as libpysal).
    ///
    /// # References
    /// Identical neighbour lists to `libpysal.weights.Rook.from_dataframe(gdf)` on the
    /// shipped layers.
    ///
    /// # Examples
    /// On a 3 × 3 grid of squares, the centre shares an edge with four of the eight.
    /// ```
    /// use sigmap::{LayerOptions, Weights};
    /// # let squares = |n: usize, side: f64| -> String {
    /// #     let f = (0..n * n).map(|i| {
    /// #         let (x, y) = (-1.6 + side * (i % n) as f64, 53.0 + side * (i / n) as f64);
    /// #         let (x1, y1) = (x + side, y + side);
    /// #         format!(r#"{{"type":"Feature","properties":{{"id":"a{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#)
    /// #     }).collect::<Vec<_>>();
    /// #     format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, f.join(","))
    /// # };
    /// let areas = LayerOptions::new().code_property("id").from_reader(squares(3, 0.1).as_bytes(), "grid.geojson")?;
    /// let w = Weights::rook(&areas);
    /// assert_eq!(w.neighbours(4), [1, 3, 5, 7]);
    /// assert_eq!(w.links(), 24);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn rook(areas: &Areas) -> Weights {
        Weights::contiguity(areas, Contiguity::Rook)
    }

    /// Contiguity weights from exactly shared vertices (queen) or edges (rook).
    ///
    /// Every vertex (or edge) is keyed by the bits of its coordinates; sorting the keys puts
    /// the areas that share one next to each other.
    pub fn contiguity(areas: &Areas, rule: Contiguity) -> Weights {
        let bits = |c: &Coord<f64>| {
            (u128::from(norm(c.x).to_bits()) << 64) | u128::from(norm(c.y).to_bits())
        };
        let lists = match rule {
            Contiguity::Queen => {
                // (vertex, area) for every vertex
                let mut keys: Vec<(u128, u32)> = Vec::new();
                for (i, area) in areas.iter().enumerate() {
                    keys.extend(
                        area.rings()
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
                        area.rings()
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

    /// Contiguity weights where vertices closer than `tolerance` count as shared: for
    /// boundaries whose topology is imprecise (neighbours digitised separately, with slivers
    /// or gaps between them).
    ///
    /// Two areas are queen neighbours if a vertex of one is within `tolerance` (Euclidean
    /// distance, `<=`) of a vertex of the other; rook neighbours if, in addition, a vertex
    /// next to the first along its ring is within `tolerance` of a vertex next to the second
    /// along its ring (an edge matched end to end, in either direction). Pairs are compared
    /// directly: closeness is not chained through third vertices. A tolerance of 0 is the
    /// exact test of [`Weights::contiguity`] (and takes its path).
    ///
    /// # Units
    /// `tolerance` is in the layer's coordinates: **degrees** for lon/lat layers such as the
    /// shipped ones (1e-6° is about 0.1 m of latitude and 0.07 m of longitude in Britain),
    /// metres for a projected layer.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Contiguity, Weights};
    /// use sigmap::LayerOptions;
    /// // two unit squares with a gap of 1e-7 between them
    /// let layer = r#"{"type": "FeatureCollection", "features": [
    ///   {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Polygon",
    ///    "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}},
    ///   {"type": "Feature", "properties": {"id": "b"}, "geometry": {"type": "Polygon",
    ///    "coordinates": [[[1.0000001, 0], [2, 0], [2, 1], [1.0000001, 1], [1.0000001, 0]]]}}]}"#;
    /// let areas = LayerOptions::new().code_property("id").from_reader(layer.as_bytes(), "gap.geojson")?;
    /// assert_eq!(Weights::queen(&areas).links(), 0);
    /// let snapped = Weights::contiguity_with_tolerance(&areas, Contiguity::Rook, 1e-6)?;
    /// assert_eq!(snapped.neighbours(0), &[1]);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadField`] if `tolerance` is negative or not finite.
    ///
    /// # Complexity
    /// O(V log V) for V vertices: vertices are bucketed in a grid of cells `tolerance`
    /// wide, and each is compared only with the vertices of its own and the 8 surrounding
    /// cells.
    pub fn contiguity_with_tolerance(
        areas: &Areas,
        rule: Contiguity,
        tolerance: f64,
    ) -> Result<Weights> {
        if !(tolerance.is_finite() && tolerance >= 0.0) {
            return Err(Error::BadField {
                at: Location::file(&areas.layer.name).field("tolerance"),
                expected: "a snapping tolerance of 0 or more, in the layer's units",
                found: tolerance.to_string(),
            });
        }
        if tolerance == 0.0 {
            return Ok(Weights::contiguity(areas, rule));
        }
        Ok(Weights::from_neighbours(snapped_lists(
            areas, rule, tolerance,
        )))
    }

    /// Weights of a `rows` × `cols` lattice of square cells, numbered row by row (libpysal
    /// `lat2W`): handy for examples and tests.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Contiguity, Weights};
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
}

/// Neighbour lists from (key, area) pairs: areas that share a key are neighbours.
/// Sorting puts the owners of one key next to each other: O(K log K).
fn shared_key_pairs<K: Ord + Copy + Send>(mut keys: Vec<(K, u32)>, n: usize) -> Vec<Vec<u32>> {
    // equal pairs are the same pair, so a parallel unstable sort gives the one order
    keys.par_sort_unstable();
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

/// A vertex with the vertices before and after it along its ring.
struct Vertex {
    at: Coord<f64>,
    prev: Coord<f64>,
    next: Coord<f64>,
    area: u32,
}

/// Neighbour lists of [`Weights::contiguity_with_tolerance`] for a tolerance > 0.
fn snapped_lists(areas: &Areas, rule: Contiguity, tolerance: f64) -> Vec<Vec<u32>> {
    let mut vertices: Vec<Vertex> = Vec::new();
    for (i, area) in areas.iter().enumerate() {
        for ring in area.rings() {
            // the ring without its closing vertex and without repeated consecutive vertices
            let mut c: Vec<Coord<f64>> = ring.coords().copied().collect();
            c.dedup();
            if c.len() > 1 && c.first() == c.last() {
                c.pop();
            }
            let m = c.len();
            vertices.extend((0..m).map(|p| Vertex {
                at: c[p],
                prev: c[(p + m - 1) % m],
                next: c[(p + 1) % m],
                area: i as u32,
            }));
        }
    }
    // a grid of cells `tolerance` wide: vertices within `tolerance` of each other are in
    // the same or in adjacent cells (saturating casts keep far-out cells correct, if slow)
    let cell = |c: &Coord<f64>| {
        (
            (c.x / tolerance).floor() as i64,
            (c.y / tolerance).floor() as i64,
        )
    };
    let mut order: Vec<((i64, i64), u32)> = vertices
        .iter()
        .enumerate()
        .map(|(v, x)| (cell(&x.at), v as u32))
        .collect();
    order.sort_unstable();
    // the cells, with the range of `order` each one holds
    let mut cells: Vec<((i64, i64), std::ops::Range<usize>)> = Vec::new();
    let mut start = 0;
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        cells.push((group[0].0, start..start + group.len()));
        start += group.len();
    }
    let range_of = |key: (i64, i64)| {
        cells
            .binary_search_by(|(k, _)| k.cmp(&key))
            .ok()
            .map(|c| cells[c].1.clone())
    };
    let t2 = tolerance * tolerance;
    let close = |a: &Coord<f64>, b: &Coord<f64>| {
        let (dx, dy) = (a.x - b.x, a.y - b.y);
        dx * dx + dy * dy <= t2
    };
    let mut lists = vec![Vec::new(); areas.len()];
    let mut link = |u: &Vertex, v: &Vertex| {
        if u.area == v.area || !close(&u.at, &v.at) {
            return;
        }
        let linked = match rule {
            Contiguity::Queen => true,
            Contiguity::Rook => [u.prev, u.next]
                .iter()
                .any(|a| [v.prev, v.next].iter().any(|b| close(a, b))),
        };
        if linked {
            lists[u.area as usize].push(v.area);
            lists[v.area as usize].push(u.area);
        }
    };
    // half of the 3 × 3 stencil, so that each pair of cells is visited once
    const LATER: [(i64, i64); 4] = [(0, 1), (1, -1), (1, 0), (1, 1)];
    for (key, range) in &cells {
        let here = &order[range.clone()];
        for (a, &(_, u)) in here.iter().enumerate() {
            for &(_, v) in &here[a + 1..] {
                link(&vertices[u as usize], &vertices[v as usize]);
            }
        }
        for (dx, dy) in LATER {
            let other = (key.0.saturating_add(dx), key.1.saturating_add(dy));
            if other == *key {
                continue; // saturated at the edge of the i64 range
            }
            if let Some(range) = range_of(other) {
                for &(_, u) in here {
                    for &(_, v) in &order[range.clone()] {
                        link(&vertices[u as usize], &vertices[v as usize]);
                    }
                }
            }
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::testing;

    fn squares(corners: &[(f64, f64)]) -> Areas {
        testing::squares(corners, 1.0)
    }

    #[test]
    fn a_small_gap_is_bridged_by_the_tolerance_only() {
        let areas = squares(&[(0.0, 0.0), (1.0 + 1e-7, 0.0)]);
        for rule in [Contiguity::Queen, Contiguity::Rook] {
            assert_eq!(Weights::contiguity(&areas, rule).links(), 0, "{rule:?}");
            let exact = Weights::contiguity_with_tolerance(&areas, rule, 0.0).unwrap();
            assert_eq!(exact.links(), 0, "{rule:?}");
            let w = Weights::contiguity_with_tolerance(&areas, rule, 1e-6).unwrap();
            assert_eq!(w.neighbours(0), &[1], "{rule:?}");
            assert_eq!(w.neighbours(1), &[0], "{rule:?}");
            let tight = Weights::contiguity_with_tolerance(&areas, rule, 1e-8).unwrap();
            assert_eq!(tight.links(), 0, "{rule:?}");
        }
    }

    #[test]
    fn corners_make_queen_not_rook_neighbours() {
        // diagonal neighbours, 1e-7 apart at the corner
        let areas = squares(&[(0.0, 0.0), (1.0 + 1e-7, 1.0 + 1e-7)]);
        let q = Weights::contiguity_with_tolerance(&areas, Contiguity::Queen, 1e-6).unwrap();
        let r = Weights::contiguity_with_tolerance(&areas, Contiguity::Rook, 1e-6).unwrap();
        assert_eq!((q.links(), r.links()), (2, 0));
    }

    #[test]
    fn edges_match_in_either_direction_and_across_cells() {
        // a 3 × 1 row with gaps, the middle square shifted by less than the tolerance, and
        // one square far away; a tolerance larger than the squares spans several cells
        let areas = squares(&[
            (0.0, 0.0),
            (1.0 + 3e-7, 2e-7),
            (2.0 + 5e-7, 0.0),
            (10.0, 10.0),
        ]);
        let w = Weights::contiguity_with_tolerance(&areas, Contiguity::Rook, 1e-6).unwrap();
        assert_eq!(w.neighbours(0), &[1]);
        assert_eq!(w.neighbours(1), &[0, 2]);
        assert_eq!(w.neighbours(3), &[] as &[u32]);
        let wide = Weights::contiguity_with_tolerance(&areas, Contiguity::Queen, 1.5).unwrap();
        assert_eq!(wide.neighbours(0), &[1, 2]);
        assert!(wide.is_symmetric());
    }

    #[test]
    fn bad_tolerances_are_errors() {
        let areas = squares(&[(0.0, 0.0)]);
        for t in [-1e-6, f64::NAN, f64::INFINITY] {
            let e = Weights::contiguity_with_tolerance(&areas, Contiguity::Queen, t).unwrap_err();
            assert!(
                e.to_string().starts_with(
                    "squares.geojson: field tolerance: expected a snapping tolerance of 0 or more"
                ),
                "{e}"
            );
            assert!(e.is_input());
        }
    }
}
