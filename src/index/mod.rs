//! Point location: which area holds a point, for one point or millions.
//!
//! [`SpatialIndex`] is built once per layer. It keeps
//! - an `rstar` R-tree over *pieces* of the areas' rings (runs of at most 32 consecutive
//!   edges), so a query near Orkney and Shetland or the Highlands tests a few short pieces,
//!   never a whole seat of thousands of vertices; it answers [`SpatialIndex::nearest`] and
//!   serves as the second, independent path of the exact test;
//! - a uniform grid of edges (most points are one lookup) for [`SpatialIndex::locate`].
//!
//! # The rule
//! A point is in an area when a ray from it towards the east crosses the area's rings an
//! odd number of times (even-odd parity over all rings of the area, holes included), which
//! is how `geopandas.sjoin(predicate="within")` decides, also on invalid multipolygons with
//! overlapping parts. Orientation tests are exact (robust predicates).
//!
//! **Boundaries**: a point exactly on a boundary belongs to the area immediately east of it
//! and, on an east-west edge, to the area immediately north of it. So a point on a shared
//! edge or vertex of valid areas lands in exactly one area, always the same one; a point on the coast
//! lands in its seat only where the seat lies east (or north) of it. (`sjoin` with
//! `within` drops boundary points.)
//!
//! If areas overlap (an invalid layer), a point inside several lands in the first of them
//! in layer order; [`SpatialIndex::locate_all`] lists them all and
//! [`PointCounts::overlaps`] counts such points.
//!
//! Coordinates are the layer's (WGS84 longitude/latitude for the shipped layers); convert
//! other coordinate systems first (see [`crate::inputs::points`]).

mod cache;
mod edges;
mod grid;
mod topology;

pub use topology::{Gap, LayerTopology, Overlap};

use crate::inputs::areas::Areas;
use crate::inputs::crs::{Envelope, UK_ENVELOPE};
use edges::{Edge, Parity};
use geo::Coord;
use grid::EdgeGrid;
use rayon::prelude::*;
use rstar::{AABB, RTree, RTreeObject};
use serde::Serialize;
use std::sync::OnceLock;

/// How far [`SpatialIndex::point_envelope`] grows a layer's bounding box on each side, as a
/// share of its larger side.
const LAYER_MARGIN: f64 = 0.1;

/// The envelope points are checked against for a layer with bounding box `bbox` (see
/// [`SpatialIndex::point_envelope`]).
fn envelope_around(bbox: Option<Envelope>) -> Envelope {
    match bbox {
        Some(b) if UK_ENVELOPE.covers(&b) => UK_ENVELOPE,
        Some(b) => b.grown(LAYER_MARGIN * (b.max_lon - b.min_lon).max(b.max_lat - b.min_lat)),
        None => UK_ENVELOPE,
    }
}

/// Position of an area in its [`Areas`] layer (`areas[id]`).
pub type AreaId = usize;

/// Edges per R-tree piece.
const PIECE_EDGES: usize = 32;
/// Grid cells per edge: on the 2024 layers 2, 4 and 8 locate equally fast (finer grids
/// miss the cache more), and 2 builds fastest.
const CELLS_PER_EDGE: f64 = 2.0;
/// Points a thread locates at a time (a rayon task).
const PARALLEL_BLOCK: usize = 4096;
/// Points located per parallel batch when streaming.
const BATCH: usize = 1 << 16;
/// Kilometres per degree of latitude (mean Earth radius 6371.0088 km).
const KM_PER_DEGREE: f64 = 111.194_926_644_558_73;

/// A run of consecutive edges of one ring, as stored in the R-tree.
#[derive(Debug, Clone)]
struct Piece {
    envelope: AABB<[f64; 2]>,
    edges: std::ops::Range<u32>,
}

impl RTreeObject for Piece {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.envelope
    }
}

/// A point-location index over one boundary layer.
///
/// # Examples
/// ```
/// use sigmap::{Areas, SpatialIndex, Vintage};
/// let areas = Areas::shipped(Vintage::Pcon2024)?;
/// let index = SpatialIndex::new(&areas);
/// // Trafalgar Square
/// let id = index.locate(-0.1281, 51.5080).unwrap();
/// assert_eq!(areas[id].name, "Cities of London and Westminster");
/// // the North Sea
/// assert_eq!(index.locate(2.5, 54.0), None);
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SpatialIndex {
    edges: Vec<Edge>,
    pieces: RTree<Piece>,
    /// Built with the index by [`SpatialIndex::new`], on first need after
    /// [`SpatialIndex::for_few_points`].
    grid: OnceLock<EdgeGrid>,
    n_areas: usize,
}

/// The area nearest a point, from [`SpatialIndex::nearest`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Nearest {
    /// The area.
    pub area: AreaId,
    /// Distance from the point to the area's boundary in km (0 inside the area).
    pub distance_km: f64,
}

/// Points counted per area by [`SpatialIndex::join_points`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct PointCounts {
    /// Points per area, in layer order (zero for areas without points).
    pub counts: Vec<u64>,
    /// Points read.
    pub points: u64,
    /// Points inside an area (snapped ones included).
    pub matched: u64,
    /// Points outside every area but within the snapping distance of one, counted there.
    pub snapped: u64,
    /// Points in no area (and not snapped), including points that are not numbers.
    pub unmatched: u64,
    /// Points inside more than one area (an invalid layer), counted in the first.
    pub overlaps: u64,
    /// Points in no area but inside the layer's outline: in a gap between areas (see
    /// [`LayerTopology`]; counted by callers that look, e.g. `sigmap join-points`).
    pub in_gaps: u64,
}

impl Nearest {
    /// An area that holds the point itself (distance 0).
    pub fn inside(area: AreaId) -> Nearest {
        Nearest {
            area,
            distance_km: 0.0,
        }
    }
}

impl PointCounts {
    /// No points yet, for a layer of `n_areas` areas.
    pub fn new(n_areas: usize) -> PointCounts {
        PointCounts {
            counts: vec![0; n_areas],
            points: 0,
            matched: 0,
            snapped: 0,
            unmatched: 0,
            overlaps: 0,
            in_gaps: 0,
        }
    }
}

impl SpatialIndex {
    /// Builds the index of a layer: an R-tree of pieces of its rings, and the grid of edges
    /// that locates many points fast.
    pub fn new(areas: &Areas) -> SpatialIndex {
        let (edges, pieces) = Self::pieces(areas);
        let (grid, pieces) = rayon::join(
            || EdgeGrid::new(&edges, CELLS_PER_EDGE),
            || RTree::bulk_load(pieces),
        );
        SpatialIndex {
            pieces,
            grid: OnceLock::from(grid),
            edges,
            n_areas: areas.len(),
        }
    }

    /// An index for one or a few lookups ([`SpatialIndex::locate`], `nearest`): the R-tree
    /// alone. The grid, which costs more to build than a few thousand lookups through the
    /// R-tree, is built when a method that locates many points first needs it. The
    /// answers are the same as [`SpatialIndex::new`]'s.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let index = SpatialIndex::for_few_points(&areas);
    /// let found = index.locate(-3.1883, 55.9533).unwrap();
    /// assert_eq!(areas[found].name, "Edinburgh East and Musselburgh");
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn for_few_points(areas: &Areas) -> SpatialIndex {
        let (edges, pieces) = Self::pieces(areas);
        SpatialIndex {
            pieces: RTree::bulk_load(pieces),
            grid: OnceLock::new(),
            edges,
            n_areas: areas.len(),
        }
    }

    /// The grid, built now if the index was made without it.
    fn grid(&self) -> &EdgeGrid {
        self.grid
            .get_or_init(|| EdgeGrid::new(&self.edges, CELLS_PER_EDGE))
    }

    /// The layer's edges, and the pieces of its rings for the R-tree.
    fn pieces(areas: &Areas) -> (Vec<Edge>, Vec<Piece>) {
        let (edges, rings) = edges::ring_edges(areas);
        let pieces = rings
            .par_iter()
            .flat_map_iter(|(_, range)| {
                range.clone().step_by(PIECE_EDGES).map(|start| {
                    let end = (start + PIECE_EDGES).min(range.end);
                    let (mut lo, mut hi) = ([f64::MAX; 2], [f64::MIN; 2]);
                    for c in edges[start..end].iter().flat_map(|e| [e.lo, e.hi]) {
                        lo = [lo[0].min(c.x), lo[1].min(c.y)];
                        hi = [hi[0].max(c.x), hi[1].max(c.y)];
                    }
                    Piece {
                        envelope: AABB::from_corners(lo, hi),
                        edges: start as u32..end as u32,
                    }
                })
            })
            .collect();
        (edges, pieces)
    }

    /// Number of areas of the indexed layer.
    pub fn len(&self) -> usize {
        self.n_areas
    }

    /// True if the layer has no areas.
    pub fn is_empty(&self) -> bool {
        self.n_areas == 0
    }

    /// The envelope to check points against for this layer: [`UK_ENVELOPE`] if the layer lies
    /// inside it (the shipped constituencies, or any UK layer), else the layer's bounding
    /// box grown on each side by a tenth of its larger side (any other layer, in any
    /// coordinates). An empty layer gets [`UK_ENVELOPE`].
    ///
    /// # Examples
    /// ```
    /// use sigmap::crs::UK_ENVELOPE;
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// assert_eq!(SpatialIndex::new(&areas).point_envelope(), UK_ENVELOPE);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn point_envelope(&self) -> Envelope {
        envelope_around(self.bounding_box())
    }

    /// [`SpatialIndex::point_envelope`] with no index: the same envelope, from one pass
    /// over the layer's edges (for [`SpatialIndex::locate_without_index`]).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let index = SpatialIndex::new(&areas);
    /// assert_eq!(SpatialIndex::point_envelope_of(&areas), index.point_envelope());
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn point_envelope_of(areas: &Areas) -> Envelope {
        let ends = areas
            .iter()
            .flat_map(|a| a.rings())
            .flat_map(|ring| ring.lines())
            .flat_map(|l| [l.start, l.end]);
        let bbox = ends.fold(None, |b: Option<Envelope>, c| {
            Some(match b {
                None => Envelope {
                    min_lon: c.x,
                    max_lon: c.x,
                    min_lat: c.y,
                    max_lat: c.y,
                },
                Some(b) => Envelope {
                    min_lon: b.min_lon.min(c.x),
                    max_lon: b.max_lon.max(c.x),
                    min_lat: b.min_lat.min(c.y),
                    max_lat: b.max_lat.max(c.y),
                },
            })
        });
        envelope_around(bbox)
    }

    /// The bounding box of the layer's rings (in the layer's coordinates), `None` if it has
    /// none. See [`SpatialIndex::point_envelope`].
    pub fn bounding_box(&self) -> Option<Envelope> {
        if self.pieces.size() == 0 {
            return None;
        }
        let b = self.pieces.root().envelope();
        let (lo, hi) = (b.lower(), b.upper());
        Some(Envelope {
            min_lon: lo[0],
            max_lon: hi[0],
            min_lat: lo[1],
            max_lat: hi[1],
        })
    }

    /// The area holding the point (`x`, `y`: longitude and latitude for WGS84 layers), or
    /// `None` outside every area or if a coordinate is NaN. See the module docs for the
    /// boundary rule. Through the grid when the index has it, else through the R-tree
    /// (see [`SpatialIndex::for_few_points`]): the same answer.
    #[inline]
    pub fn locate(&self, x: f64, y: f64) -> Option<AreaId> {
        if self.grid.get().is_none() {
            return self.locate_all_by_rtree(x, y).first().copied();
        }
        let mut parity = Parity::default();
        self.locate_with(Coord { x, y }, &mut parity)
    }

    /// [`SpatialIndex::locate`] with no index at all: the first area in layer order whose
    /// rings the eastward ray crosses an odd number of times, edge by edge. One pass over
    /// the layer's edges costs less than building an index, so this is the fastest way to
    /// place a single point; the answer is the same.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let id = SpatialIndex::locate_without_index(&areas, -0.1281, 51.5080).unwrap();
    /// assert_eq!(areas[id].name, "Cities of London and Westminster");
    /// assert_eq!(SpatialIndex::locate_without_index(&areas, 2.5, 54.0), None);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Complexity
    /// O(V) in the layer's vertices, stopping at the first area that holds the point.
    pub fn locate_without_index(areas: &Areas, x: f64, y: f64) -> Option<AreaId> {
        let p = Coord { x, y };
        areas.iter().position(|area| {
            let crossings = area
                .rings()
                .flat_map(|ring| ring.lines())
                .filter(|l| Edge::new(l.start, l.end, 0).crosses_ray_from(p))
                .count();
            crossings % 2 == 1
        })
    }

    #[inline]
    fn locate_with(&self, p: Coord<f64>, parity: &mut Parity) -> Option<AreaId> {
        let base = self.grid().locate(&self.edges, p, parity);
        parity.min_applied_to(base).map(|a| a as AreaId)
    }

    /// Every area holding the point, in layer order: one on a valid layer, several where
    /// areas overlap.
    pub fn locate_all(&self, x: f64, y: f64) -> Vec<AreaId> {
        let mut parity = Parity::default();
        let base = self.grid().locate(&self.edges, Coord { x, y }, &mut parity);
        parity
            .apply_to(base)
            .into_iter()
            .map(|a| a as AreaId)
            .collect()
    }

    /// [`SpatialIndex::locate_all`] through the R-tree instead of the grid: the pieces
    /// whose boxes meet the eastward ray. Slower; the two paths must always agree, which
    /// the tests check.
    pub fn locate_all_by_rtree(&self, x: f64, y: f64) -> Vec<AreaId> {
        if x.is_nan() || y.is_nan() {
            return Vec::new();
        }
        let ray = AABB::from_corners([x, y], [f64::MAX, y]);
        let edges = self
            .pieces
            .locate_in_envelope_intersecting(&ray)
            .flat_map(|piece| &self.edges[piece.edges.start as usize..piece.edges.end as usize]);
        edges::areas_by_parity(edges, Coord { x, y })
            .into_iter()
            .map(|a| a as AreaId)
            .collect()
    }

    /// Locates many points in parallel (rayon). The result, in input order, does not
    /// depend on the number of threads.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let index = SpatialIndex::new(&areas);
    /// let found = index.locate_many(&[(-3.1883, 55.9533), (-20.0, 50.0)]);
    /// assert_eq!(areas[found[0].unwrap()].name, "Edinburgh East and Musselburgh");
    /// assert_eq!(found[1], None);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn locate_many(&self, points: &[(f64, f64)]) -> Vec<Option<AreaId>> {
        let mut found = vec![None; points.len()];
        self.locate_in_parallel(points, &mut found, |_, base, parity| {
            parity.min_applied_to(base).map(|a| a as AreaId)
        });
        found
    }

    /// Locates `points` in parallel blocks through the grid, `answer(point, base, parity)`
    /// writing each point's answer to `out` in input order.
    fn locate_in_parallel<T: Send>(
        &self,
        points: &[(f64, f64)],
        out: &mut [T],
        answer: impl Fn(Coord<f64>, &[u32], &Parity) -> T + Sync,
    ) {
        let grid = self.grid();
        out.par_chunks_mut(PARALLEL_BLOCK)
            .zip(points.par_chunks(PARALLEL_BLOCK))
            .for_each_init(Parity::default, |parity, (out, points)| {
                grid.locate_block(&self.edges, points, parity, |i, base, parity| {
                    let (x, y) = points[i];
                    out[i] = answer(Coord { x, y }, base, parity);
                });
            });
    }

    /// The area nearest the point within `max_km` (0 and the area itself if the point is
    /// inside one), for points just offshore or just outside a layer's edge.
    ///
    /// Distances are to the nearest boundary edge, measured in a local equirectangular
    /// projection of WGS84 degrees (exact enough for snapping distances of a few km).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let index = SpatialIndex::new(&areas);
    /// // a boat 1 km off Brighton's beach
    /// let near = index.nearest(-0.1372, 50.8100, 5.0).unwrap();
    /// assert!(areas[near.area].name.starts_with("Brighton"));
    /// assert!(near.distance_km > 0.3 && near.distance_km < 2.0);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn nearest(&self, x: f64, y: f64, max_km: f64) -> Option<Nearest> {
        let p = Coord { x, y };
        match self.locate_with(p, &mut Parity::default()) {
            Some(area) => Some(Nearest::inside(area)),
            None => self.nearest_boundary(p, max_km),
        }
    }

    /// The area whose boundary is nearest `p` within `max_km`, for a point in no area.
    fn nearest_boundary(&self, p: Coord<f64>, max_km: f64) -> Option<Nearest> {
        if max_km.is_nan() || max_km < 0.0 || p.x.is_nan() || p.y.is_nan() {
            return None;
        }
        let kx = p.y.to_radians().cos().max(1e-6);
        let dy = max_km / KM_PER_DEGREE;
        let dx = dy / kx;
        let window = AABB::from_corners([p.x - dx, p.y - dy], [p.x + dx, p.y + dy]);
        let mut best: Option<(f64, u32)> = None;
        for piece in self.pieces.locate_in_envelope_intersecting(&window) {
            for e in &self.edges[piece.edges.start as usize..piece.edges.end as usize] {
                let d2 = e.distance2_scaled(p, kx);
                if best.is_none_or(|(b, a)| d2 < b || (d2 == b && e.area < a)) {
                    best = Some((d2, e.area));
                }
            }
        }
        best.map(|(d2, area)| Nearest {
            area: area as AreaId,
            distance_km: d2.sqrt() * KM_PER_DEGREE,
        })
        .filter(|n| n.distance_km <= max_km)
    }

    /// Counts points per area, streaming: points are located in parallel batches, so memory
    /// stays flat whatever the number of points. With `snap_km`, a point in no area but
    /// within that distance of one is counted there and reported as snapped.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, SpatialIndex, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let index = SpatialIndex::new(&areas);
    /// let points = [(-0.1281, 51.5080), (-0.1290, 51.5010), (-20.0, 50.0)];
    /// let counts = index.join_points(points, None);
    /// let westminster = areas.index_of("E14001172").unwrap();
    /// assert_eq!(counts.counts[westminster], 2);
    /// assert_eq!((counts.matched, counts.unmatched), (2, 1));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn join_points<I>(&self, points: I, snap_km: Option<f64>) -> PointCounts
    where
        I: IntoIterator<Item = (f64, f64)>,
    {
        let mut out = PointCounts::new(self.n_areas);
        let mut batch = Vec::with_capacity(BATCH);
        let mut points = points.into_iter();
        loop {
            batch.clear();
            batch.extend(points.by_ref().take(BATCH));
            if batch.is_empty() {
                break;
            }
            self.count_points(&batch, snap_km, &mut out);
        }
        out
    }

    /// Adds one batch of points to `counts` (located in parallel): the building block of
    /// [`SpatialIndex::join_points`] for callers that read points in batches themselves.
    ///
    /// # Panics
    /// If `counts` was made for a layer with a different number of areas.
    pub fn count_points(
        &self,
        points: &[(f64, f64)],
        snap_km: Option<f64>,
        counts: &mut PointCounts,
    ) {
        self.count_points_keeping(points, snap_km, counts, None);
    }

    /// As [`SpatialIndex::count_points`], also keeping the points found in no area that lie
    /// inside the layer's bounding box (the only ones that can be in a gap between areas:
    /// see [`LayerTopology::in_gap`]).
    ///
    /// # Panics
    /// If `counts` was made for a layer with a different number of areas.
    pub fn count_points_keeping(
        &self,
        points: &[(f64, f64)],
        snap_km: Option<f64>,
        counts: &mut PointCounts,
        mut unmatched: Option<&mut Vec<(f64, f64)>>,
    ) {
        assert_eq!(counts.counts.len(), self.n_areas, "counts of another layer");
        let mut found = vec![(None, false, false); points.len()];
        self.locate_in_parallel(points, &mut found, |p, base, parity| {
            match parity.min_applied_to(base) {
                Some(a) => {
                    let overlap = parity.count_applied_to(base) > 1;
                    (Some(a as AreaId), false, overlap)
                }
                None => {
                    let near = snap_km.and_then(|km| self.nearest_boundary(p, km));
                    (near.map(|n| n.area), near.is_some(), false)
                }
            }
        });
        let bbox = self.bounding_box();
        for ((area, snapped, overlap), &(x, y)) in found.into_iter().zip(points) {
            counts.points += 1;
            match area {
                Some(a) => {
                    counts.counts[a] += 1;
                    counts.matched += 1;
                    counts.snapped += u64::from(snapped);
                    counts.overlaps += u64::from(overlap);
                }
                None => {
                    counts.unmatched += 1;
                    if let Some(kept) = unmatched.as_deref_mut()
                        && bbox.is_some_and(|b| b.contains(x, y))
                    {
                        kept.push((x, y));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Vintage;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn shipped() -> &'static (Areas, SpatialIndex) {
        static CELL: OnceLock<(Areas, SpatialIndex)> = OnceLock::new();
        CELL.get_or_init(|| {
            let areas = Areas::shipped(Vintage::Pcon2024).unwrap();
            let index = SpatialIndex::new(&areas);
            (areas, index)
        })
    }

    /// Even-odd parity over every ring of every area, edge by edge: the definition.
    fn brute_force(areas: &Areas, x: f64, y: f64) -> Vec<AreaId> {
        let (edges, _) = edges::ring_edges(areas);
        edges::areas_by_parity(&edges, Coord { x, y })
            .into_iter()
            .map(|a| a as AreaId)
            .collect()
    }

    proptest! {
        #![proptest_config(crate::proptest_config(256))]
        #[test]
        fn grid_rtree_and_brute_force_agree(x in -8.7f64..1.8, y in 49.8f64..60.9) {
            let (areas, index) = shipped();
            let all = index.locate_all(x, y);
            prop_assert_eq!(&all, &index.locate_all_by_rtree(x, y));
            prop_assert_eq!(&all, &brute_force(areas, x, y));
            prop_assert_eq!(index.locate(x, y), all.first().copied());
            prop_assert_eq!(SpatialIndex::locate_without_index(areas, x, y), all.first().copied());
        }

        /// The nearest area within 20 km equals the brute-force nearest edge.
        #[test]
        fn nearest_is_the_closest_edge(x in -8.7f64..1.8, y in 49.8f64..60.9) {
            let (areas, index) = shipped();
            let (edges, _) = edges::ring_edges(areas);
            let p = Coord { x, y };
            let kx = y.to_radians().cos();
            let brute = edges
                .iter()
                .map(|e| (e.distance2_scaled(p, kx).sqrt() * KM_PER_DEGREE, e.area as AreaId))
                .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                .unwrap();
            match index.nearest(x, y, 20.0) {
                Some(n) if n.distance_km == 0.0 => prop_assert_eq!(index.locate(x, y), Some(n.area)),
                Some(n) => prop_assert_eq!((n.distance_km, n.area), brute),
                None => prop_assert!(brute.0 > 20.0),
            }
        }

        /// Points on vertices: the hardest case for the parity rule. Where seats are valid
        /// and do not overlap, a vertex lands in at most one; a seat whose own parts overlap
        /// (invalid geometry, reported in `Areas::issues`) or that overlaps its neighbour (the
        /// vertex is strictly inside another seat) can also hold its neighbour's boundary.
        #[test]
        fn vertices_land_in_at_most_one_area_consistently(seed in 0usize..1_000_000) {
            let (areas, index) = shipped();
            let home = seed % areas.len();
            let ring = areas[home].geometry.0[0].exterior();
            let v = ring.0[seed % (ring.0.len() - 1)];
            let all = index.locate_all(v.x, v.y);
            let invalid = |i: &usize| areas.issues.iter().any(|g| g.code == areas[*i].code);
            let overlapped = |i: &usize| {
                *i != home && geo::Contains::contains(&areas[*i].geometry, &geo::Point::from(v))
            };
            prop_assert!(all.len() <= 1 || all.iter().any(invalid) || all.iter().any(overlapped), "{:?}", all);
            prop_assert_eq!(&all, &index.locate_all_by_rtree(v.x, v.y));
            prop_assert_eq!(SpatialIndex::locate_without_index(areas, v.x, v.y), all.first().copied());
        }
    }

    /// Found by the vertex property: E14001200's parts 0 and 2 overlap (an invalid seat of
    /// the shipped layer), so this vertex on its border with E14001198 is inside both by the
    /// even-odd rule; `locate` takes the first in layer order.
    #[test]
    fn a_vertex_inside_an_overlapping_part_is_in_both_seats() {
        let (areas, index) = shipped();
        let found: Vec<&str> = index
            .locate_all(-1.09176, 53.555744)
            .into_iter()
            .map(|i| areas[i].code.as_str())
            .collect();
        assert_eq!(found, ["E14001198", "E14001200"]);
        assert!(areas.issues.iter().any(|g| g.code == "E14001200"));
    }

    /// Found by the vertex property: the simplified layer's Twickenham (E14001556) crosses
    /// into Brentford and Isleworth (E14001124), both valid seats: this vertex of Twickenham's
    /// boundary lies strictly inside its neighbour, so it is in both.
    #[test]
    fn a_vertex_inside_an_overlapping_neighbour_is_in_both_seats() {
        let (areas, index) = shipped();
        let found: Vec<&str> = index
            .locate_all(-0.326866, 51.461317)
            .into_iter()
            .map(|i| areas[i].code.as_str())
            .collect();
        assert_eq!(found, ["E14001124", "E14001556"]);
        let brentford = areas.get("E14001124").unwrap();
        assert!(geo::Contains::contains(
            &brentford.geometry,
            &geo::Point::new(-0.326866, 51.461317)
        ));
    }

    #[test]
    fn boundary_rule_east_then_north() {
        // two unit squares side by side and one above them: a shared vertical edge, a
        // shared horizontal edge and a shared vertex
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"W"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
          {"type":"Feature","properties":{"code":"E"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}},
          {"type":"Feature","properties":{"code":"N"},"geometry":{"type":"Polygon","coordinates":[[[0,1],[2,1],[2,2],[0,2],[0,1]]]}}]}"#;
        let areas = crate::LayerOptions::new()
            .code_property("code")
            .from_reader(text.as_bytes(), "squares")
            .unwrap();
        let index = SpatialIndex::new(&areas);
        let code = |x: f64, y: f64| index.locate(x, y).map(|i| areas[i].code.as_str());
        assert_eq!(code(0.5, 0.5), Some("W"));
        assert_eq!(code(1.0, 0.5), Some("E")); // shared vertical edge: east
        assert_eq!(code(0.5, 1.0), Some("N")); // shared horizontal edge: north
        assert_eq!(code(1.0, 1.0), Some("N")); // shared vertex of all three
        assert_eq!(code(0.0, 0.5), Some("W")); // west coast: the seat is east
        assert_eq!(code(2.0, 0.5), None); // east coast: nothing east
        assert_eq!(code(1.0, 0.0), Some("E")); // south coast vertex: E is north-east
        assert_eq!(code(1.5, 2.0), None); // north coast: nothing north
        for (x, y) in [(1.0, 0.5), (0.5, 1.0), (1.0, 1.0), (0.0, 0.5), (1.5, 2.0)] {
            assert_eq!(index.locate_all(x, y), index.locate_all_by_rtree(x, y));
        }
    }

    #[test]
    fn holes_are_outside() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,3],[3,3],[3,1],[1,1]]]}},
          {"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]}}]}"#;
        let areas = crate::LayerOptions::new()
            .code_property("code")
            .from_reader(text.as_bytes(), "hole")
            .unwrap();
        let index = SpatialIndex::new(&areas);
        assert_eq!(index.locate(0.5, 0.5), Some(0));
        assert_eq!(index.locate(2.0, 2.0), Some(1));
        assert_eq!(index.locate_all(2.0, 2.0), vec![1]);
    }

    #[test]
    fn overlapping_areas_count_once_and_are_reported() {
        let text = r#"{"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}},
          {"type":"Feature","properties":{"code":"B"},"geometry":{"type":"Polygon","coordinates":[[[1,1],[3,1],[3,3],[1,3],[1,1]]]}}]}"#;
        let areas = crate::LayerOptions::new()
            .code_property("code")
            .from_reader(text.as_bytes(), "overlap")
            .unwrap();
        let index = SpatialIndex::new(&areas);
        assert_eq!(index.locate_all(1.5, 1.5), vec![0, 1]);
        let counts = index.join_points([(1.5, 1.5), (2.5, 2.5), (f64::NAN, 1.0)], None);
        assert_eq!(counts.counts, vec![1, 1]);
        assert_eq!(counts.overlaps, 1);
        assert_eq!((counts.points, counts.matched, counts.unmatched), (3, 2, 1));
    }

    #[test]
    fn locate_many_is_the_same_for_any_thread_count() {
        let (_, index) = shipped();
        let points: Vec<(f64, f64)> = (0..50_000)
            .map(|i| {
                let t = i as f64 / 50_000.0;
                (-8.7 + 10.5 * ((t * 7919.0).fract()), 49.8 + 11.1 * t)
            })
            .collect();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap();
        let a = one.install(|| index.locate_many(&points));
        let b = four.install(|| index.locate_many(&points));
        assert_eq!(a, b);
        let sequential: Vec<_> = points.iter().map(|&(x, y)| index.locate(x, y)).collect();
        assert_eq!(a, sequential);
    }

    #[test]
    fn snapping_finds_the_coast() {
        let (areas, index) = shipped();
        assert_eq!(index.nearest(-20.0, 50.0, 5.0), None);
        let counts = index.join_points([(-0.1372, 50.8100)], Some(5.0));
        assert_eq!((counts.matched, counts.snapped), (1, 1));
        let brighton = counts.counts.iter().position(|&c| c == 1).unwrap();
        assert!(areas[brighton].name.starts_with("Brighton"));
        assert_eq!(index.join_points([(-0.1372, 50.8100)], None).unmatched, 1);
    }
}
