//! Weights from distances between centroids: k nearest neighbours (in the layer's
//! coordinates, as libpysal's `KNN`) and distance bands (in km on the British National Grid,
//! as libpysal's `DistanceBand` on projected centroids). Candidate pairs come from an R-tree,
//! never from all pairs.

use super::Weights;
use crate::error::{Error, Location, Result};
use crate::inputs::areas::Areas;
use crate::inputs::crs;
use rstar::RTree;
use rstar::primitives::GeomWithData;

/// A point and the index of its area.
type Indexed = GeomWithData<[f64; 2], u32>;

impl Weights {
    /// The `k` nearest areas of each area by centroid distance (in the layer's coordinates,
    /// as libpysal's `KNN.from_dataframe`), found with an R-tree. Not symmetric in general.
    ///
    /// Ties are broken by layer order, so the result does not depend on the tree's layout.
    ///
    /// # Errors
    /// [`Error::BadField`] if `k` is 0 or not below the number of areas.
    ///
    /// # References
    /// Identical neighbour lists to `libpysal.weights.KNN.from_dataframe(gdf, k=5)` on the
    /// shipped layers (tests/golden/pysal).
    ///
    /// # Examples
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
    /// let w = Weights::knn(&areas, 2)?;
    /// assert!(w.cardinalities().iter().all(|&c| c == 2));
    /// assert!(Weights::knn(&areas, 9).is_err()); // k must be below the number of areas
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn knn(areas: &Areas, k: usize) -> Result<Weights> {
        check_k(areas, k)?;
        let points = layer_centroids(areas)?;
        let tree = RTree::bulk_load(points.clone());
        let lists = points
            .iter()
            .map(|p| nearest(&tree, p, k))
            .collect::<Vec<_>>();
        Ok(Weights::from_neighbours(lists))
    }

    /// Distance-band weights: areas whose centroids are at most `threshold_km` apart, on the
    /// British National Grid (binary, symmetric).
    ///
    /// # Units
    /// Each area's centroid is its [`crate::Area::centroid`] (the planar centroid of its
    /// lon/lat polygons, as shapely's `geometry.centroid`), projected to the British National
    /// Grid (EPSG:27700) with OSTN15 ([`crs::wgs84_to_bng`]); distances are Euclidean on the
    /// grid, in km. Northern Ireland's centroids are projected to the same grid (its
    /// distances to Great Britain are then approximate, within the grid's scale error of a
    /// few parts in 10,000).
    ///
    /// # Islands
    /// An area with no other centroid within the threshold is an island, kept as such
    /// (libpysal keeps it too, with a "not fully connected" warning). Use
    /// [`Weights::min_distance_band_km`] for the smallest threshold without islands (240 km
    /// on the shipped 2024 layer, because of Orkney and Shetland), or
    /// [`Weights::attach_islands`]. Areas with identical centroids are not neighbours of
    /// each other (libpysal drops zero distances as well).
    ///
    /// # Errors
    /// [`Error::BadField`] if `threshold_km` is not a finite number greater than 0, or (at
    /// the area's record, field `geometry`) if a centroid is outside the OSTN15 grid (or
    /// the area has no geometry).
    ///
    /// # Complexity
    /// O(n log n + L) for L links: one R-tree query per area.
    ///
    /// # References
    /// Identical neighbour lists to `libpysal.weights.DistanceBand.from_dataframe(points,
    /// threshold=1000 * threshold_km)` with the centroids projected by geopandas
    /// (`to_crs(27700)`), on the shipped 2024 layer at 10 and 30 km (tests/golden/pysal).
    /// libpysal's inverse-distance option (`binary=False`, `alpha`) is not offered: sigmap's
    /// weights are binary before a transform, and its local permutation tests assume equal
    /// weights within a row.
    ///
    /// # Examples
    /// Squares of 0.1° near Sheffield are about 6.7 km apart east-west and 11.1 km
    /// north-south: a 7 km band links each to its east and west neighbours only.
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
    /// let w = Weights::distance_band(&areas, 7.0)?;
    /// assert_eq!(w.neighbours(4), [3, 5]);
    /// assert_eq!(Weights::distance_band(&areas, 12.0)?.neighbours(4), [1, 3, 5, 7]);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn distance_band(areas: &Areas, threshold_km: f64) -> Result<Weights> {
        check_threshold(&Location::file(&areas.layer.name), threshold_km)?;
        let points = bng_centroids(areas)?;
        Weights::distance_band_from_points(&points, 1000.0 * threshold_km)
    }

    /// Distance-band weights of planar points: points at most `threshold` apart (Euclidean,
    /// in the points' units) are neighbours; coincident points are not.
    ///
    /// # Examples
    /// ```
    /// use sigmap::Weights;
    /// let points = [[0.0, 0.0], [3.0, 4.0], [10.0, 0.0]];
    /// let w = Weights::distance_band_from_points(&points, 5.0)?; // the threshold counts
    /// assert_eq!(w.neighbours(0), &[1]);
    /// assert_eq!(w.islands(), vec![2]);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadField`] if `threshold` is not a finite number greater than 0, or a
    /// point (record = its 1-based position) is not finite.
    pub fn distance_band_from_points(points: &[[f64; 2]], threshold: f64) -> Result<Weights> {
        let at = Location::argument("points");
        check_threshold(&at, threshold)?;
        if let Some(i) = points.iter().position(|p| !p.iter().all(|c| c.is_finite())) {
            return Err(Error::BadField {
                at: at.record(i as u64 + 1),
                expected: "a point with finite coordinates",
                found: format!("{:?}", points[i]),
            });
        }
        let tree = RTree::bulk_load(indexed(points));
        let t2 = threshold * threshold;
        let lists = points
            .iter()
            .map(|p| {
                tree.locate_within_distance(*p, t2)
                    .filter(|q| distance_2(q.geom(), p) > 0.0)
                    .map(|q| q.data)
                    .collect()
            })
            .collect();
        Ok(Weights::from_neighbours(lists))
    }

    /// The smallest distance band (in km, as [`Weights::distance_band`]) that leaves no
    /// island: the largest distance from a centroid to its nearest other centroid (rounded
    /// up by an ulp where needed, so that `distance_band(areas, km)` has no island).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, Vintage, Weights};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let km = Weights::min_distance_band_km(&areas)?; // Orkney and Shetland's
    /// assert!((km - 240.1).abs() < 0.1);
    /// assert!(Weights::distance_band(&areas, km)?.islands().is_empty());
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Weights::distance_band`]; [`Error::BadField`] for a layer of fewer than 2 areas.
    ///
    /// # References
    /// `libpysal.weights.util.min_threshold_distance` of the projected centroids (in metres).
    pub fn min_distance_band_km(areas: &Areas) -> Result<f64> {
        if areas.len() < 2 {
            return Err(Error::BadField {
                at: Location::file(&areas.layer.name),
                expected: "a layer of at least 2 areas",
                found: format!("{} area(s)", areas.len()),
            });
        }
        let points = bng_centroids(areas)?;
        let tree = RTree::bulk_load(indexed(&points));
        let farthest = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                tree.nearest_neighbor_iter_with_distance_2(p)
                    .find(|(q, _)| q.data as usize != i)
                    .map(|(_, d2)| d2)
            })
            .fold(0.0, f64::max);
        // km → m must not round below the distance, or that area would be an island again
        let mut km = farthest.sqrt() / 1000.0;
        while (1000.0 * km) * (1000.0 * km) < farthest {
            km = km.next_up();
        }
        Ok(km)
    }
}

/// Centroids in the layer's coordinates, with their area indices.
///
/// An area with empty geometry has no centroid: refused, naming it, rather than letting a
/// NaN pick its neighbours.
pub(super) fn layer_centroids(areas: &Areas) -> Result<Vec<Indexed>> {
    let at = Location::file(&areas.layer.name);
    areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (x, y) = (a.centroid.x(), a.centroid.y());
            if x.is_finite() && y.is_finite() {
                Ok(GeomWithData::new([x, y], i as u32))
            } else {
                Err(Error::BadField {
                    at: at.record(i as u64 + 1).field("geometry"),
                    expected: "an area with a centroid for nearest-neighbour weights",
                    found: format!("`{}` with empty geometry", a.code),
                })
            }
        })
        .collect()
}

/// The `k` nearest other points of `p`, nearest first, ties by index.
pub(super) fn nearest(tree: &RTree<Indexed>, p: &Indexed, k: usize) -> Vec<u32> {
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
}

/// `k` must be between 1 and n - 1.
pub(super) fn check_k(areas: &Areas, k: usize) -> Result<()> {
    if k == 0 || k >= areas.len() {
        return Err(Error::BadField {
            at: Location::file(&areas.layer.name),
            expected: "k between 1 and the number of areas minus 1",
            found: k.to_string(),
        });
    }
    Ok(())
}

fn check_threshold(at: &Location, threshold: f64) -> Result<()> {
    if threshold.is_finite() && threshold > 0.0 {
        Ok(())
    } else {
        Err(Error::BadField {
            at: at.field("threshold"),
            expected: "a distance band threshold greater than 0",
            found: threshold.to_string(),
        })
    }
}

/// Each area's centroid on the British National Grid, in metres.
fn bng_centroids(areas: &Areas) -> Result<Vec<[f64; 2]>> {
    let at = Location::file(&areas.layer.name);
    areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (lon, lat) = (a.centroid.x(), a.centroid.y());
            crs::wgs84_to_bng(lon, lat)
                .map(|(e, n)| [e, n])
                .map_err(|_| Error::BadField {
                    at: at.record(i as u64 + 1).field("geometry"),
                    expected: "an area whose centroid is inside the British National Grid (OSTN15) for distance-band weights",
                    found: format!("`{}` with its centroid at lon {lon}, lat {lat}", a.code),
                })
        })
        .collect()
}

fn indexed(points: &[[f64; 2]]) -> Vec<Indexed> {
    points
        .iter()
        .enumerate()
        .map(|(i, p)| GeomWithData::new(*p, i as u32))
        .collect()
}

fn distance_2(a: &[f64; 2], b: &[f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_is_inclusive_and_coincident_points_are_not_neighbours() {
        // as libpysal's DistanceBand (scipy's sparse_distance_matrix, then dmat > 0)
        let points = [[0.0, 0.0], [3.0, 4.0], [3.0, 4.0], [10.0, 0.0]];
        let w = Weights::distance_band_from_points(&points, 5.0).unwrap();
        assert_eq!(w.neighbours(0), &[1, 2]);
        assert_eq!(w.neighbours(1), &[0]);
        assert_eq!(w.neighbours(2), &[0]);
        assert_eq!(w.islands(), vec![3]);
        assert!(w.is_symmetric());
        let w = Weights::distance_band_from_points(&points, 4.999_999).unwrap();
        assert_eq!(w.links(), 0);
    }

    #[test]
    fn areas_without_a_centroid_on_the_grid_are_errors() {
        // a square in Derbyshire, and a feature with no geometry (its centroid is NaN)
        let text = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Polygon",
             "coordinates": [[[-1.6, 53.0], [-1.5, 53.0], [-1.5, 53.1], [-1.6, 53.1], [-1.6, 53.0]]]}},
            {"type": "Feature", "properties": {"id": "b"}, "geometry": null}]}"#;
        let areas = crate::inputs::areas::LayerOptions::new()
            .code_property("id")
            .from_reader(text.as_bytes(), "holes.geojson")
            .unwrap();
        for e in [
            Weights::distance_band(&areas, 10.0).unwrap_err(),
            Weights::min_distance_band_km(&areas).unwrap_err(),
        ] {
            assert_eq!(
                e.to_string(),
                "holes.geojson: record 2, field geometry: expected an area whose centroid is inside the British National Grid (OSTN15) for distance-band weights, found `b` with its centroid at lon NaN, lat NaN"
            );
        }
        let one = crate::weights::testing::squares(&[(-1.6, 53.0)], 0.1);
        assert_eq!(
            Weights::min_distance_band_km(&one).unwrap_err().to_string(),
            "squares.geojson: expected a layer of at least 2 areas, found 1 area(s)"
        );
        assert_eq!(
            Weights::distance_band(&one, 1.0).unwrap().islands(),
            vec![0]
        );
    }

    #[test]
    fn bad_thresholds_and_points_are_errors() {
        for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let e = Weights::distance_band_from_points(&[[0.0, 0.0]], t).unwrap_err();
            assert!(
                e.to_string().starts_with(
                    "argument points: field threshold: expected a distance band threshold"
                ),
                "{e}"
            );
        }
        let e =
            Weights::distance_band_from_points(&[[0.0, 0.0], [f64::NAN, 1.0]], 1.0).unwrap_err();
        assert_eq!(
            e.to_string(),
            "argument points: record 2: expected a point with finite coordinates, found [NaN, 1.0]"
        );
    }
}
