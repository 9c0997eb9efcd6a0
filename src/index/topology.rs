//! Where a layer is not a clean partition: seats whose interiors overlap (a point there is
//! in two seats) and gaps between seats (a point there is in none, although it is inside
//! the layer's outline). Both are reported beside the invalid-geometry notes.

use super::{AreaId, SpatialIndex};
use crate::areas::Areas;
use geo::orient::{Direction, Orient};
use geo::{
    BooleanOps, BoundingRect, CoordsIter, GeodesicArea, InteriorPoint, MultiPolygon, Polygon,
};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// How far (degrees, about a centimetre) a vertex must be inside another seat in every
/// direction to count as evidence of an overlap: a vertex on the other seat's boundary
/// (a shared vertex, a T-junction) is not.
const INSIDE_BY: f64 = 1e-7;
/// Overlaps and gaps smaller than this (km², a square metre) are rounding, or a needle of
/// zero width where a simplified ring runs out and back along one line: neither is ground
/// that two seats (or none) hold.
const MIN_AREA_KM2: f64 = 1e-6;

/// Two areas whose interiors overlap.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Overlap {
    /// The code of the first area, in layer order.
    pub a: String,
    /// Its name.
    pub a_name: String,
    /// The code of the second area.
    pub b: String,
    /// Its name.
    pub b_name: String,
    /// Vertices of either area strictly inside the other (at least a centimetre inside in
    /// every direction).
    pub vertices: usize,
    /// The area of their intersection, km² (ellipsoidal).
    pub area_km2: f64,
}

/// A hole in the union of a layer's areas: ground inside the layer's outline that no
/// area covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Gap {
    /// A point inside the gap (longitude, latitude).
    pub point: [f64; 2],
    /// Its area, km² (ellipsoidal).
    pub area_km2: f64,
    /// The codes of the areas around it, in layer order.
    pub around: Vec<String>,
}

/// Overlaps and gaps of a layer (see [`LayerTopology::of`]).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[non_exhaustive]
pub struct LayerTopology {
    /// Pairs of areas whose interiors overlap by a square metre or more, in layer order.
    pub overlaps: Vec<Overlap>,
    /// Holes in the union of the areas larger than a square metre, largest first.
    pub gaps: Vec<Gap>,
    #[serde(skip)]
    gap_polygons: Vec<Polygon<f64>>,
}

impl LayerTopology {
    /// Finds overlapping areas and gaps between areas.
    ///
    /// Overlaps: a vertex of one area strictly inside another (every positive-area overlap
    /// has one: its boundary runs along both areas' rings); their intersection is then
    /// measured. Gaps: the holes of the union of all areas (`geo::unary_union`).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// use sigmap::index::LayerTopology;
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let topology = LayerTopology::of(&areas, &SpatialIndex::new(&areas));
    /// // the simplified layer: Twickenham crosses into Brentford and Isleworth
    /// assert!(topology.overlaps.iter().any(|o| o.a == "E14001124" && o.b == "E14001556"));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Complexity
    /// One point location per vertex; the union is O(V log V) in the layer's vertices.
    pub fn of(areas: &Areas, index: &SpatialIndex) -> LayerTopology {
        let (overlaps, (gaps, gap_polygons)) =
            rayon::join(|| overlaps(areas, index), || gaps(areas, index));
        LayerTopology {
            overlaps,
            gaps,
            gap_polygons,
        }
    }

    /// The gaps alone (no overlap search): enough to tell whether points in no area are in
    /// a gap.
    pub fn gaps_only(areas: &Areas, index: &SpatialIndex) -> LayerTopology {
        let (gaps, gap_polygons) = gaps(areas, index);
        LayerTopology {
            overlaps: Vec::new(),
            gaps,
            gap_polygons,
        }
    }

    /// Whether a point in no area lies in one of the gaps (inside the layer's outline).
    pub fn in_gap(&self, lon: f64, lat: f64) -> bool {
        self.gap_at(lon, lat).is_some()
    }

    /// The gap a point lies in, if any.
    pub fn gap_at(&self, lon: f64, lat: f64) -> Option<&Gap> {
        use geo::Contains;
        let p = geo::Point::new(lon, lat);
        self.gap_polygons
            .iter()
            .position(|g| {
                g.bounding_rect().is_some_and(|r| {
                    r.min().x <= lon && lon <= r.max().x && r.min().y <= lat && lat <= r.max().y
                }) && g.contains(&p)
            })
            .map(|i| &self.gaps[i])
    }

    /// True if the layer has neither overlaps nor gaps.
    pub fn is_clean(&self) -> bool {
        self.overlaps.is_empty() && self.gaps.is_empty()
    }
}

fn overlaps(areas: &Areas, index: &SpatialIndex) -> Vec<Overlap> {
    let strictly_inside = |x: f64, y: f64, j: AreaId| {
        [
            (INSIDE_BY, 0.0),
            (-INSIDE_BY, 0.0),
            (0.0, INSIDE_BY),
            (0.0, -INSIDE_BY),
        ]
        .iter()
        .all(|(dx, dy)| index.locate_all(x + dx, y + dy).contains(&j))
    };
    let pairs: Vec<BTreeMap<(AreaId, AreaId), usize>> = (0..areas.len())
        .into_par_iter()
        .map(|i| {
            let mut found = BTreeMap::new();
            for c in areas[i].geometry.coords_iter() {
                for j in index.locate_all(c.x, c.y) {
                    if j != i && strictly_inside(c.x, c.y, j) {
                        *found.entry((i.min(j), i.max(j))).or_insert(0) += 1;
                    }
                }
            }
            found
        })
        .collect();
    let mut merged: BTreeMap<(AreaId, AreaId), usize> = BTreeMap::new();
    for map in pairs {
        for (k, n) in map {
            *merged.entry(k).or_insert(0) += n;
        }
    }
    merged
        .into_par_iter()
        .filter_map(|((a, b), vertices)| {
            let area_km2 = measure(&areas[a].geometry.intersection(&areas[b].geometry));
            (area_km2 >= MIN_AREA_KM2).then(|| Overlap {
                a: areas[a].code.clone(),
                a_name: areas[a].name.clone(),
                b: areas[b].code.clone(),
                b_name: areas[b].name.clone(),
                vertices,
                area_km2,
            })
        })
        .collect()
}

/// Ellipsoidal area of a boolean-operation result (i_overlay may return clockwise rings).
fn measure(mp: &MultiPolygon<f64>) -> f64 {
    crate::areas::area_km2(mp)
}

fn gaps(areas: &Areas, index: &SpatialIndex) -> (Vec<Gap>, Vec<Polygon<f64>>) {
    let union = geo::unary_union(areas.iter().map(|a| &a.geometry));
    let mut found: Vec<(Gap, Polygon<f64>)> = union
        .iter()
        .flat_map(|p| p.interiors())
        .filter_map(|ring| {
            let hole = Polygon::new(ring.clone(), vec![]).orient(Direction::Default);
            let area_km2 = hole.geodesic_area_signed().abs() / 1e6;
            if area_km2 < MIN_AREA_KM2 {
                return None;
            }
            let point = hole.interior_point()?;
            let mut around: Vec<AreaId> = ring
                .coords()
                .filter_map(|c| index.nearest(c.x, c.y, 0.01).map(|n| n.area))
                .collect();
            around.sort_unstable();
            around.dedup();
            let gap = Gap {
                point: [point.x(), point.y()],
                area_km2,
                around: around.into_iter().map(|i| areas[i].code.clone()).collect(),
            };
            Some((gap, hole))
        })
        .collect();
    found.sort_by(|a, b| b.0.area_km2.total_cmp(&a.0.area_km2));
    found.into_iter().unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::areas::LayerOptions;

    fn layer(squares: &[(&str, f64, f64, f64)]) -> Areas {
        let features: Vec<String> = squares
            .iter()
            .map(|(code, x, y, size)| {
                let (x1, y1) = (x + size, y + size);
                format!(
                    r#"{{"type":"Feature","properties":{{"code":"{code}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},{y}],[{x1},{y}],[{x1},{y1}],[{x},{y1}],[{x},{y}]]]}}}}"#
                )
            })
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        );
        LayerOptions::new()
            .code_property("code")
            .from_str_named(&text, "t.geojson")
            .unwrap()
    }

    #[test]
    fn a_clean_grid_has_neither() {
        let mut squares = Vec::new();
        let names: Vec<String> = (0..9).map(|i| format!("A{i}")).collect();
        for i in 0..9 {
            squares.push((
                names[i].as_str(),
                (i % 3) as f64 * 0.1,
                (i / 3) as f64 * 0.1,
                0.1,
            ));
        }
        let areas = layer(&squares);
        let t = LayerTopology::of(&areas, &SpatialIndex::new(&areas));
        assert!(t.is_clean(), "{t:?}");
    }

    #[test]
    fn overlap_and_gap_found() {
        // A and B overlap by 0.02 degrees; C and D leave a hole in a ring of squares
        let areas = layer(&[("A", 0.0, 0.0, 0.1), ("B", 0.08, 0.0, 0.1)]);
        let t = LayerTopology::of(&areas, &SpatialIndex::new(&areas));
        assert_eq!(t.overlaps.len(), 1, "{t:?}");
        assert_eq!(
            (t.overlaps[0].a.as_str(), t.overlaps[0].b.as_str()),
            ("A", "B")
        );
        // 0.02 x 0.1 degrees at the equator: about 2.2 km x 11 km
        assert!(
            (t.overlaps[0].area_km2 - 24.6).abs() < 0.5,
            "{:?}",
            t.overlaps
        );
        assert!(t.gaps.is_empty());

        let mut ring = Vec::new();
        let names: Vec<String> = (0..9).map(|i| format!("R{i}")).collect();
        for i in 0..9 {
            if i != 4 {
                ring.push((
                    names[i].as_str(),
                    (i % 3) as f64 * 0.1,
                    (i / 3) as f64 * 0.1,
                    0.1,
                ));
            }
        }
        let areas = layer(&ring);
        let t = LayerTopology::of(&areas, &SpatialIndex::new(&areas));
        assert!(t.overlaps.is_empty());
        assert_eq!(t.gaps.len(), 1, "{t:?}");
        assert_eq!(t.gaps[0].around.len(), 8);
        assert!(t.in_gap(0.15, 0.15));
        assert!(!t.in_gap(0.5, 0.5));
    }
}
