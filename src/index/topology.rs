//! Where a layer is not a clean partition: seats whose interiors overlap (a point there is
//! in two seats) and gaps between seats (a point there is in none, although it is inside
//! the layer's outline). Both are reported beside the invalid-geometry notes.

use super::{AreaId, SpatialIndex, cache};
use crate::inputs::areas::Areas;
use geo::orient::{Direction, Orient};
use geo::{
    BooleanOps, BoundingRect, CoordsIter, GeodesicArea, InteriorPoint, MultiPolygon, Polygon,
};
use rayon::prelude::*;
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// How far (degrees, about a centimetre) from a vertex the points probed around it lie.
const INSIDE_BY: f64 = 1e-7;
/// The four diagonal directions probed around a vertex.
const DIAGONALS: [(f64, f64); 4] = [(1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)];
/// Overlaps and gaps smaller than this (km², a square metre) are rounding, or a needle of
/// zero width where a simplified ring runs out and back along one line: neither is ground
/// that two seats (or none) hold.
const MIN_AREA_KM2: f64 = 1e-6;

/// Two areas whose interiors overlap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    /// Points probed around the two areas' vertices (four a vertex, a centimetre away)
    /// that are inside both: a rough measure of the overlap's extent.
    pub probes: usize,
    /// The area of their intersection, km² (ellipsoidal).
    pub area_km2: f64,
}

/// A hole in the union of a layer's areas: ground inside the layer's outline that no
/// area covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Default)]
#[non_exhaustive]
pub struct LayerTopology {
    /// Pairs of areas whose interiors overlap by a square metre or more, in layer order.
    pub overlaps: Vec<Overlap>,
    /// Holes in the union of the areas larger than a square metre, largest first.
    pub gaps: Vec<Gap>,
    #[serde(skip)]
    gap_polygons: Vec<Polygon<f64>>,
    /// The gap polygons' bounding boxes (by index into `gap_polygons`) in an R-tree: a
    /// full-resolution layer has hundreds of gaps, and a million points in the sea were
    /// each tested against every box.
    #[serde(skip)]
    gap_boxes: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
}

/// Equal overlaps, gaps and gap polygons (the R-tree of their boxes follows from them).
impl PartialEq for LayerTopology {
    fn eq(&self, other: &Self) -> bool {
        (&self.overlaps, &self.gaps, &self.gap_polygons)
            == (&other.overlaps, &other.gaps, &other.gap_polygons)
    }
}

impl LayerTopology {
    /// Finds overlapping areas and gaps between areas; for the shipped layers, read from
    /// the check that ships beside them (`data/boundaries/*.topology.json`, which a test
    /// recomputes). Other layers' checks are kept on disk once
    /// [`LayerTopology::set_cache_dir`] names a folder (the command line keeps them in
    /// [`LayerTopology::default_cache_dir`]), and read back, to the bit, by later runs on
    /// the same layer.
    ///
    /// Overlaps: points a centimetre from a vertex, diagonally, inside two areas (every
    /// positive-area overlap has a vertex of one of the areas on its boundary); their
    /// intersection is then measured, and kept from a square metre. Gaps: the holes of the
    /// union of all areas (`geo::unary_union`), from a square metre.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, Vintage};
    /// use sigmap::LayerTopology;
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let topology = LayerTopology::of(&areas);
    /// // the simplified layer: Twickenham crosses into Brentford and Isleworth
    /// assert!(topology.overlaps.iter().any(|o| o.a == "E14001124" && o.b == "E14001556"));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Complexity
    /// Four point locations per vertex; the union is O(V log V) in the layer's vertices.
    pub fn of(areas: &Areas) -> LayerTopology {
        if let Some(shipped) = cached(areas) {
            return shipped;
        }
        LayerTopology::checked(areas, cache::Entry::of(areas).as_ref())
    }

    /// The checks kept in `entry`, else found (and kept there).
    pub(super) fn checked(areas: &Areas, entry: Option<&cache::Entry>) -> LayerTopology {
        let kept_overlaps = entry.and_then(cache::Entry::overlaps);
        let kept_gaps = entry.and_then(cache::Entry::gaps);
        let (overlaps, (gaps, polygons)) = match (kept_overlaps, kept_gaps) {
            (Some(overlaps), Some(gaps)) => (overlaps, gaps),
            // the index only for what is not kept
            (kept_overlaps, kept_gaps) => {
                let index = SpatialIndex::new(areas);
                rayon::join(
                    || kept_overlaps.unwrap_or_else(|| found_overlaps(areas, &index, entry)),
                    || kept_gaps.unwrap_or_else(|| found_gaps(areas, &index, entry)),
                )
            }
        };
        LayerTopology::new(overlaps, gaps, polygons)
    }

    /// Keeps the checks of layers that do not ship with sigmap in `dir` from now on, for
    /// this process (`None`, the library's default: keep none). A relative folder is taken
    /// from the current directory now. An entry is named by a hash of all that the checks
    /// read (each area's code, name and coordinates as read, after any conversion) and of
    /// the version of sigmap and of the checks, so a changed layer is checked again; one
    /// that cannot be read or written is computed as if there were none.
    ///
    /// # Examples
    /// ```
    /// use geo::polygon;
    /// use sigmap::{LayerOptions, LayerTopology};
    /// let dir = std::env::temp_dir().join(format!("sigmap-doc-{}", std::process::id()));
    /// LayerTopology::set_cache_dir(Some(dir.clone()));
    /// let square = polygon![(x: -1.6, y: 53.0), (x: -1.5, y: 53.0), (x: -1.5, y: 53.1), (x: -1.6, y: 53.1)];
    /// let mut properties = serde_json::Map::new();
    /// properties.insert("ward".into(), "W1".into());
    /// let areas = LayerOptions::new()
    ///     .code_property("ward")
    ///     .from_features("wards", vec![(properties, square.into())])?;
    /// let computed = LayerTopology::of(&areas);
    /// // its overlaps and its gaps (other tests in this process may keep theirs here too)
    /// assert!(std::fs::read_dir(&dir)?.count() >= 2);
    /// assert_eq!(LayerTopology::of(&areas), computed);
    /// LayerTopology::set_cache_dir(None);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn set_cache_dir(dir: Option<std::path::PathBuf>) {
        cache::set_dir(dir);
    }

    /// Where the command line keeps layer checks: `$SIGMAP_CACHE_DIR` (set and empty: nowhere,
    /// `None`), else `sigmap` in `$XDG_CACHE_HOME`, `%LOCALAPPDATA%` or `~/.cache`.
    pub fn default_cache_dir() -> Option<std::path::PathBuf> {
        cache::default_dir()
    }

    /// As [`LayerTopology::of`], always computed, with an index of the layer already built.
    pub fn compute(areas: &Areas, index: &SpatialIndex) -> LayerTopology {
        let (overlaps, (gaps, gap_polygons)) =
            rayon::join(|| overlaps(areas, index), || gaps(areas, index));
        LayerTopology::new(overlaps, gaps, gap_polygons)
    }

    fn new(overlaps: Vec<Overlap>, gaps: Vec<Gap>, gap_polygons: Vec<Polygon<f64>>) -> Self {
        let gap_boxes = RTree::bulk_load(
            gap_polygons
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    let r = p.bounding_rect()?;
                    let corners = ([r.min().x, r.min().y], [r.max().x, r.max().y]);
                    Some(GeomWithData::new(
                        Rectangle::from_corners(corners.0, corners.1),
                        i,
                    ))
                })
                .collect(),
        );
        LayerTopology {
            overlaps,
            gaps,
            gap_polygons,
            gap_boxes,
        }
    }

    /// The gaps alone (no overlap search, unless the layer ships with its check): enough to
    /// tell whether points in no area are in a gap.
    pub fn gaps_only(areas: &Areas, index: &SpatialIndex) -> LayerTopology {
        if let Some(cached) = cached(areas) {
            return cached;
        }
        let entry = cache::Entry::of(areas);
        let (gaps, gap_polygons) = entry
            .as_ref()
            .and_then(cache::Entry::gaps)
            .unwrap_or_else(|| found_gaps(areas, index, entry.as_ref()));
        LayerTopology::new(Vec::new(), gaps, gap_polygons)
    }

    /// The check of a layer with SHA-256 `sha256`, as JSON (what `data/boundaries/*.topology.json`
    /// holds for the shipped layers).
    #[doc(hidden)]
    pub fn to_cache_json(&self, sha256: &str) -> String {
        let rings: Vec<Vec<[f64; 2]>> = self
            .gap_polygons
            .iter()
            .map(|p| p.exterior().coords().map(|c| [c.x, c.y]).collect())
            .collect();
        let value = serde_json::json!({
            "sha256": sha256,
            "overlaps": self.overlaps,
            "gaps": self.gaps,
            "gap_rings": rings,
        });
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    }

    /// Whether a point in no area lies in one of the gaps (inside the layer's outline).
    pub fn in_gap(&self, lon: f64, lat: f64) -> bool {
        self.gap_at(lon, lat).is_some()
    }

    /// How many of `points` (points in no area) lie in a gap: [`LayerTopology::in_gap`]
    /// for each, in parallel.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, LayerTopology, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let topology = LayerTopology::of(&areas);
    /// // the North Sea, and a point inside the largest gap between the simplified seats
    /// let gap = topology.gaps[0].point;
    /// assert_eq!(topology.count_in_gaps(&[(2.5, 54.0), (gap[0], gap[1])]), 1);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn count_in_gaps(&self, points: &[(f64, f64)]) -> u64 {
        points
            .par_iter()
            .filter(|&&(x, y)| self.in_gap(x, y))
            .count() as u64
    }

    /// The gap a point lies in, if any.
    pub fn gap_at(&self, lon: f64, lat: f64) -> Option<&Gap> {
        use geo::Contains;
        let p = geo::Point::new(lon, lat);
        // the first gap in order that holds the point
        self.gap_boxes
            .locate_all_at_point(&[lon, lat])
            .map(|b| b.data)
            .filter(|&i| self.gap_polygons[i].contains(&p))
            .min()
            .map(|i| &self.gaps[i])
    }

    /// True if the layer has neither overlaps nor gaps.
    pub fn is_clean(&self) -> bool {
        self.overlaps.is_empty() && self.gaps.is_empty()
    }
}

/// The shipped layers' checks, by the layer's SHA-256.
pub(super) const SHIPPED: [&str; 2] = [
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/boundaries/pcon2010_bgc_20pct.topology.json"
    )),
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/boundaries/pcon2024_bgc_20pct.topology.json"
    )),
];

#[derive(Deserialize)]
struct Cached {
    sha256: String,
    overlaps: Vec<Overlap>,
    gaps: Vec<Gap>,
    gap_rings: Vec<Vec<[f64; 2]>>,
}

/// The check that ships for `areas`' layer, if it is a shipped layer read as it ships: the
/// same text, and the codes and names the check names (another `--area-id` would not).
fn cached(areas: &Areas) -> Option<LayerTopology> {
    let sha256 = areas.layer.sha256.as_str();
    static PARSED: OnceLock<Vec<Cached>> = OnceLock::new();
    let parsed = PARSED.get_or_init(|| {
        SHIPPED
            .iter()
            .filter_map(|text| serde_json::from_str(text).ok())
            .collect()
    });
    let c = parsed.iter().find(|c| c.sha256 == sha256)?;
    let named = |code: &str, name: &str| areas.get(code).is_some_and(|a| a.name == name);
    let fits = c
        .overlaps
        .iter()
        .all(|o| named(&o.a, &o.a_name) && named(&o.b, &o.b_name))
        && c.gaps
            .iter()
            .flat_map(|g| &g.around)
            .all(|code| areas.get(code).is_some());
    if !fits {
        return None;
    }
    Some(LayerTopology::new(
        c.overlaps.clone(),
        c.gaps.clone(),
        c.gap_rings
            .iter()
            .map(|r| {
                Polygon::new(
                    r.iter().map(|&[x, y]| geo::coord! { x: x, y: y }).collect(),
                    vec![],
                )
            })
            .collect(),
    ))
}

/// The overlaps found, and kept in `entry` if there is one.
fn found_overlaps(
    areas: &Areas,
    index: &SpatialIndex,
    entry: Option<&cache::Entry>,
) -> Vec<Overlap> {
    let found = overlaps(areas, index);
    if let Some(entry) = entry {
        entry.keep_overlaps(&found);
    }
    found
}

/// The gaps and their polygons found, and kept in `entry` if there is one.
fn found_gaps(
    areas: &Areas,
    index: &SpatialIndex,
    entry: Option<&cache::Entry>,
) -> (Vec<Gap>, Vec<Polygon<f64>>) {
    let (gaps, polygons) = gaps(areas, index);
    if let Some(entry) = entry {
        entry.keep_gaps(&gaps, &polygons);
    }
    (gaps, polygons)
}

fn overlaps(areas: &Areas, index: &SpatialIndex) -> Vec<Overlap> {
    let pairs: Vec<BTreeMap<(AreaId, AreaId), usize>> = (0..areas.len())
        .into_par_iter()
        .map(|i| {
            let mut found = BTreeMap::new();
            for c in areas[i].geometry.coords_iter() {
                // every positive-area overlap has, next to one of its vertices, points
                // inside both areas
                for (sx, sy) in DIAGONALS {
                    let here = index.locate_all(c.x + sx * INSIDE_BY, c.y + sy * INSIDE_BY);
                    if here.len() > 1 && here.contains(&i) {
                        for &j in here.iter().filter(|&&j| j != i) {
                            *found.entry((i.min(j), i.max(j))).or_insert(0) += 1;
                        }
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
        .filter_map(|((a, b), probes)| {
            let area_km2 = measure(&areas[a].geometry.intersection(&areas[b].geometry));
            (area_km2 >= MIN_AREA_KM2).then(|| Overlap {
                a: areas[a].code.clone(),
                a_name: areas[a].name.clone(),
                b: areas[b].code.clone(),
                b_name: areas[b].name.clone(),
                probes,
                area_km2,
            })
        })
        .collect()
}

/// Ellipsoidal area of a boolean-operation result (i_overlay may return clockwise rings).
fn measure(mp: &MultiPolygon<f64>) -> f64 {
    crate::inputs::areas::area_km2(mp)
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
            // the areas just beyond each vertex and edge midpoint of the hole, in every
            // diagonal direction: those along its sides and those touching its corners
            let probes = ring.lines().flat_map(|l| {
                let mid = (l.start + l.end) / 2.0;
                [l.start, mid]
            });
            let mut around: Vec<AreaId> = probes
                .flat_map(|c| {
                    DIAGONALS.into_iter().filter_map(move |(sx, sy)| {
                        index.locate(c.x + sx * INSIDE_BY, c.y + sy * INSIDE_BY)
                    })
                })
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
    use crate::weights::testing::squares;

    /// A 3 x 3 grid of 0.1-degree squares, `s0`..`s8` in order, less `missing`.
    fn grid(missing: Option<usize>) -> Areas {
        let corners: Vec<(f64, f64)> = (0..9)
            .filter(|&i| Some(i) != missing)
            .map(|i| ((i % 3) as f64 * 0.1, (i / 3) as f64 * 0.1))
            .collect();
        squares(&corners, 0.1)
    }

    #[test]
    fn a_clean_grid_has_neither() {
        let areas = grid(None);
        let t = LayerTopology::compute(&areas, &SpatialIndex::new(&areas));
        assert!(t.is_clean(), "{t:?}");
    }

    #[test]
    fn overlap_and_gap_found() {
        // A and B overlap by 0.02 degrees; C and D leave a hole in a ring of squares
        let areas = squares(&[(0.0, 0.0), (0.08, 0.0)], 0.1);
        let t = LayerTopology::compute(&areas, &SpatialIndex::new(&areas));
        assert_eq!(t.overlaps.len(), 1, "{t:?}");
        assert_eq!(
            (t.overlaps[0].a.as_str(), t.overlaps[0].b.as_str()),
            ("s0", "s1")
        );
        // 0.02 x 0.1 degrees at the equator: about 2.2 km x 11 km
        assert!(
            (t.overlaps[0].area_km2 - 24.6).abs() < 0.5,
            "{:?}",
            t.overlaps
        );
        assert!(t.gaps.is_empty());

        let areas = grid(Some(4));
        let t = LayerTopology::compute(&areas, &SpatialIndex::new(&areas));
        assert!(t.overlaps.is_empty());
        assert_eq!(t.gaps.len(), 1, "{t:?}");
        assert_eq!(t.gaps[0].around.len(), 8);
        assert!(t.in_gap(0.15, 0.15));
        assert!(!t.in_gap(0.5, 0.5));
    }
}

#[cfg(test)]
mod shipped {
    use super::*;
    use crate::Vintage;

    /// The shipped check is for the shipped layer read as it ships: the same file read with
    /// its names as codes is checked afresh, and its overlaps named by those codes.
    #[test]
    fn a_shipped_layer_read_with_other_properties_is_checked_afresh() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/boundaries/pcon2024_bgc_20pct.geojson"
        ));
        let areas = crate::LayerOptions::new()
            .code_property("PCON24NM")
            .name_property("PCON24CD")
            .from_reader(text.as_bytes(), "copy.geojson")
            .unwrap();
        let shipped = Areas::shipped(Vintage::Pcon2024).unwrap();
        assert_eq!(areas.layer.sha256, shipped.layer.sha256);
        let t = LayerTopology::of(&areas);
        assert!(
            t.overlaps
                .iter()
                .any(|o| o.a == "Brentford and Isleworth" && o.b == "Twickenham"),
            "{:?}",
            t.overlaps
        );
        assert_eq!(t.gaps.len(), LayerTopology::of(&shipped).gaps.len());
    }

    /// The checks that ship beside the layers are the ones computed now
    /// (`SIGMAP_BLESS=1` writes them).
    #[test]
    fn shipped_checks_are_current() {
        for (vintage, file) in [
            (Vintage::Pcon2010, "pcon2010_bgc_20pct.topology.json"),
            (Vintage::Pcon2024, "pcon2024_bgc_20pct.topology.json"),
        ] {
            let areas = Areas::shipped(vintage).unwrap();
            let fresh = LayerTopology::compute(&areas, &SpatialIndex::new(&areas));
            let json = fresh.to_cache_json(&areas.layer.sha256);
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/boundaries")
                .join(file);
            if std::env::var_os("SIGMAP_BLESS").is_some() {
                std::fs::write(&path, &json).unwrap();
                continue;
            }
            let shipped = std::fs::read_to_string(&path).unwrap();
            assert!(
                shipped == json,
                "{file} is stale: SIGMAP_BLESS=1 cargo test --lib shipped_checks"
            );
            // serde_json reads floats to within an ulp (its exact `float_roundtrip` would
            // change how every GeoJSON coordinate is read): the same check, to 1e-12
            let cached = LayerTopology::of(&areas);
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(1.0);
            assert_eq!(cached.overlaps.len(), fresh.overlaps.len());
            for (c, f) in cached.overlaps.iter().zip(&fresh.overlaps) {
                assert_eq!((&c.a, &c.b, c.probes), (&f.a, &f.b, f.probes));
                assert!(close(c.area_km2, f.area_km2));
            }
            assert_eq!(cached.gaps.len(), fresh.gaps.len());
            for (c, f) in cached.gaps.iter().zip(&fresh.gaps) {
                assert_eq!(c.around, f.around);
                assert!(close(c.area_km2, f.area_km2));
                assert!(close(c.point[0], f.point[0]) && close(c.point[1], f.point[1]));
            }
            for (c, f) in cached.gap_polygons.iter().zip(&fresh.gap_polygons) {
                for (p, q) in c.exterior().coords().zip(f.exterior().coords()) {
                    assert!(close(p.x, q.x) && close(p.y, q.y));
                }
            }
        }
    }
}
