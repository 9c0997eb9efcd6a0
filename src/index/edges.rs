//! Ring edges and the exact crossing test that both point-location paths share.
//!
//! The rule is even-odd parity over all rings of an area, as `geopandas.sjoin` (GEOS)
//! applies it: a point is inside an area when a ray from the point towards +x crosses the
//! area's rings an odd number of times. An edge counts as crossed when it straddles the
//! ray's line half-open (`lo.y <= y < hi.y`) and the crossing lies strictly to the right of
//! the point. Orientation signs come from robust (exact) predicates, so the answer never
//! depends on rounding.

use geo::{Coord, Kernel, Orientation, kernels::RobustKernel};

/// One edge of one ring, stored with its lower end first (`lo.y <= hi.y`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Edge {
    pub(crate) lo: Coord<f64>,
    pub(crate) hi: Coord<f64>,
    pub(crate) area: u32,
}

impl Edge {
    pub(crate) fn new(a: Coord<f64>, b: Coord<f64>, area: u32) -> Edge {
        let (lo, hi) = if a.y <= b.y { (a, b) } else { (b, a) };
        Edge { lo, hi, area }
    }

    /// Whether the horizontal line through `y` crosses this edge (half-open in y, so a
    /// vertex on the line counts for exactly one of its two edges).
    #[inline]
    pub(crate) fn straddles(&self, y: f64) -> bool {
        self.lo.y <= y && y < self.hi.y
    }

    /// For an edge that straddles `p.y`: whether the crossing lies strictly right of `p`.
    #[inline]
    pub(crate) fn crosses_right_of(&self, p: Coord<f64>) -> bool {
        let (min_x, max_x) = if self.lo.x <= self.hi.x {
            (self.lo.x, self.hi.x)
        } else {
            (self.hi.x, self.lo.x)
        };
        if p.x < min_x {
            true
        } else if p.x > max_x {
            false
        } else {
            // p left of the upward edge <=> the crossing is right of p
            RobustKernel::orient2d(self.lo, self.hi, p) == Orientation::CounterClockwise
        }
    }

    /// Whether the ray from `p` towards +x crosses this edge: the rule's one test.
    #[inline]
    pub(crate) fn crosses_ray_from(&self, p: Coord<f64>) -> bool {
        self.straddles(p.y) && self.crosses_right_of(p)
    }

    /// Whether this edge crosses the horizontal segment from `from` (excluded) to `to_x`
    /// (included) at height `from.y`.
    #[inline]
    pub(crate) fn crosses_between(&self, from: Coord<f64>, to_x: f64) -> bool {
        self.straddles(from.y)
            && self.crosses_right_of(from)
            && !self.crosses_right_of(Coord { x: to_x, y: from.y })
    }

    /// Squared distance from `p` to the segment, after scaling x by `kx` (for lon/lat: the
    /// cosine of the latitude, so that distances are locally isotropic).
    pub(crate) fn distance2_scaled(&self, p: Coord<f64>, kx: f64) -> f64 {
        let (ax, ay) = ((self.lo.x - p.x) * kx, self.lo.y - p.y);
        let (bx, by) = ((self.hi.x - p.x) * kx, self.hi.y - p.y);
        let (dx, dy) = (bx - ax, by - ay);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let (x, y) = (ax + t * dx, ay + t * dy);
        x * x + y * y
    }
}

/// Area ids toggled by crossings; an id toggled twice cancels out.
#[derive(Debug, Default)]
pub(crate) struct Parity {
    toggled: Vec<u32>,
}

impl Parity {
    pub(crate) fn clear(&mut self) {
        self.toggled.clear();
    }

    #[inline]
    pub(crate) fn toggle(&mut self, area: u32) {
        match self.toggled.iter().position(|&a| a == area) {
            Some(i) => {
                self.toggled.swap_remove(i);
            }
            None => self.toggled.push(area),
        }
    }

    /// The areas in `base` or toggled, but not both, sorted.
    pub(crate) fn apply_to(&self, base: &[u32]) -> Vec<u32> {
        let mut out: Vec<u32> = base
            .iter()
            .copied()
            .filter(|a| !self.toggled.contains(a))
            .chain(self.toggled.iter().copied().filter(|a| !base.contains(a)))
            .collect();
        out.sort_unstable();
        out
    }

    /// The number of areas of [`Parity::apply_to`], without allocating.
    pub(crate) fn count_applied_to(&self, base: &[u32]) -> usize {
        base.iter().filter(|a| !self.toggled.contains(a)).count()
            + self.toggled.iter().filter(|a| !base.contains(a)).count()
    }

    /// The smallest area id of [`Parity::apply_to`], without allocating.
    pub(crate) fn min_applied_to(&self, base: &[u32]) -> Option<u32> {
        let from_base = base.iter().copied().filter(|a| !self.toggled.contains(a));
        let toggled = self.toggled.iter().copied().filter(|a| !base.contains(a));
        from_base.chain(toggled).min()
    }
}

/// The areas whose rings `edges` cross an odd number of times on the ray east of `p`:
/// the definition of the rule, edge by edge (sorted area ids).
pub(crate) fn areas_by_parity<'a>(
    edges: impl IntoIterator<Item = &'a Edge>,
    p: Coord<f64>,
) -> Vec<u32> {
    let mut parity = Parity::default();
    for e in edges {
        if e.crosses_ray_from(p) {
            parity.toggle(e.area);
        }
    }
    parity.apply_to(&[])
}

/// The edges of every ring of every area, in ring order, with each ring's range. The rings
/// are laid out first, then their edges written in parallel, area by area, each into its
/// own part of the one list.
pub(crate) fn ring_edges(areas: &crate::Areas) -> (Vec<Edge>, Vec<(u32, std::ops::Range<usize>)>) {
    use rayon::prelude::*;
    let mut rings = Vec::new();
    let mut area_ends = Vec::with_capacity(areas.len());
    let mut n = 0;
    for (id, area) in areas.iter().enumerate() {
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        for ring in area.rings() {
            let len = ring.0.len().saturating_sub(1);
            if len > 0 {
                rings.push((id, n..n + len));
                n += len;
            }
        }
        area_ends.push(n);
    }
    let blank = Edge::new(Coord { x: 0.0, y: 0.0 }, Coord { x: 0.0, y: 0.0 }, 0);
    let mut edges = vec![blank; n];
    let mut parts = Vec::with_capacity(areas.len());
    let mut rest = edges.as_mut_slice();
    let mut start = 0;
    for &end in &area_ends {
        let (part, tail) = rest.split_at_mut(end - start);
        parts.push(part);
        rest = tail;
        start = end;
    }
    parts
        .into_par_iter()
        .zip(areas.iter().as_slice())
        .enumerate()
        .for_each(|(id, (part, area))| {
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            let lines = area.rings().flat_map(|ring| ring.lines());
            for (slot, l) in part.iter_mut().zip(lines) {
                *slot = Edge::new(l.start, l.end, id);
            }
        });
    (edges, rings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    /// The edges and ring ranges are those of one serial pass over the rings.
    #[test]
    fn ring_edges_are_the_rings_in_order() {
        let areas = crate::Areas::shipped(crate::Vintage::Pcon2010).unwrap();
        let (edges, rings) = ring_edges(&areas);
        let mut expected = Vec::new();
        let mut expected_rings = Vec::new();
        for (id, area) in areas.iter().enumerate() {
            for p in &area.geometry {
                for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                    let start = expected.len();
                    expected.extend(ring.lines().map(|l| Edge::new(l.start, l.end, id as u32)));
                    expected_rings.push((id as u32, start..expected.len()));
                }
            }
        }
        assert_eq!(edges, expected);
        assert_eq!(rings, expected_rings);
    }

    #[test]
    fn half_open_rule_counts_a_vertex_once() {
        // two edges meeting at (1, 1); the ray from (0, 1) passes through the vertex
        let down = Edge::new(c(1.0, 1.0), c(1.0, 0.0), 0);
        let up = Edge::new(c(1.0, 1.0), c(2.0, 2.0), 0);
        let p = c(0.0, 1.0);
        let n = [down, up]
            .iter()
            .filter(|e| e.straddles(p.y) && e.crosses_right_of(p))
            .count();
        assert_eq!(n, 1);
    }

    #[test]
    fn a_point_on_an_edge_is_not_crossed() {
        let e = Edge::new(c(0.0, 0.0), c(1.0, 1.0), 0);
        assert!(!e.crosses_right_of(c(0.5, 0.5)));
        assert!(e.crosses_right_of(c(0.4, 0.5)));
        assert!(e.crosses_between(c(0.4, 0.5), 0.5));
        assert!(!e.crosses_between(c(0.5, 0.5), 0.6));
    }

    #[test]
    fn parity_cancels_pairs() {
        let mut p = Parity::default();
        for a in [3, 1, 3, 2] {
            p.toggle(a);
        }
        assert_eq!(p.apply_to(&[2, 5]), vec![1, 5]);
        assert_eq!(p.min_applied_to(&[2, 5]), Some(1));
        assert_eq!(p.count_applied_to(&[2, 5]), 2);
    }
}
