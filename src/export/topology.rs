//! Shared boundaries as arcs (TopoJSON's model): every stretch of boundary between two
//! junctions is stored once, so simplifying an arc changes both neighbours the same way
//! and no gap or overlap opens between seats.

use crate::inputs::areas::Areas;
use geo::{Coord, LineString, MultiPolygon, Polygon, SimplifyIdx};
use std::collections::HashMap;

/// A reference to an arc from a ring: its index and whether the ring walks it backwards.
pub(crate) type ArcRef = (usize, bool);

/// A layer as arcs.
#[derive(Debug, Clone)]
pub(crate) struct Topology {
    /// Vertex coordinates (longitude, latitude), each distinct point once.
    pub coords: Vec<(f64, f64)>,
    /// Arcs as vertex indices, in canonical direction; a closed arc starts and ends at the
    /// same vertex.
    pub arcs: Vec<Vec<u32>>,
    /// Per area, per polygon part, per ring: the arcs that make it.
    pub areas: Vec<Vec<Vec<Vec<ArcRef>>>>,
}

impl Topology {
    /// Splits every ring of `areas` at its junctions: vertices where the set of rings
    /// that hold a point changes (three seats meet, or a shared boundary ends).
    pub fn build(areas: &Areas) -> Topology {
        let Rings {
            coords,
            rings,
            shape,
        } = Rings::of(areas);
        let (arcs, ring_arcs) = split_at_junctions(coords.len(), &rings);
        let areas = shape
            .into_iter()
            .map(|parts| {
                parts
                    .into_iter()
                    .map(|part| part.into_iter().map(|r| ring_arcs[r].clone()).collect())
                    .collect()
            })
            .collect();
        Topology {
            coords,
            arcs,
            areas,
        }
    }

    /// Every arc simplified once with Douglas-Peucker at `tolerance_km` (distances on a
    /// local equirectangular projection), keeping its end points. A ring that would
    /// fall below three distinct points keeps its arcs as they were, in every ring that
    /// shares them.
    pub fn simplified(&self, tolerance_km: f64) -> Topology {
        let mut arcs: Vec<Vec<u32>> = self
            .arcs
            .iter()
            .map(|a| simplify_arc(a, &self.coords, tolerance_km))
            .collect();
        for parts in &self.areas {
            for ring in parts.iter().flatten() {
                let distinct: usize = ring.iter().map(|&(a, _)| arcs[a].len() - 1).sum();
                if distinct < 3 {
                    for &(a, _) in ring {
                        arcs[a] = self.arcs[a].clone();
                    }
                }
            }
        }
        Topology {
            coords: self.coords.clone(),
            arcs,
            areas: self.areas.clone(),
        }
    }

    /// The vertices of a ring, closed (first = last).
    pub fn ring(&self, refs: &[ArcRef]) -> Vec<(f64, f64)> {
        let mut out: Vec<(f64, f64)> = Vec::new();
        for &(a, reversed) in refs {
            let arc = &self.arcs[a];
            let mut walk: Vec<u32> = arc.clone();
            if reversed {
                walk.reverse();
            }
            let skip = usize::from(!out.is_empty());
            out.extend(walk[skip..].iter().map(|&v| self.coords[v as usize]));
        }
        out
    }

    /// The geometry of area `i`.
    pub fn multipolygon(&self, i: usize) -> MultiPolygon<f64> {
        let line = |refs: &[ArcRef]| {
            LineString::new(
                self.ring(refs)
                    .into_iter()
                    .map(|(x, y)| Coord { x, y })
                    .collect(),
            )
        };
        MultiPolygon::new(
            self.areas[i]
                .iter()
                .map(|part| {
                    Polygon::new(line(&part[0]), part[1..].iter().map(|r| line(r)).collect())
                })
                .collect(),
        )
    }
}

fn has_repeats(sorted: &[u32]) -> bool {
    sorted.windows(2).any(|w| w[0] == w[1])
}

/// The layer's rings with every distinct vertex numbered once.
struct Rings {
    /// The vertices, by number.
    coords: Vec<(f64, f64)>,
    /// Every ring kept, as an open sequence of vertex numbers (no repeats in a row).
    rings: Vec<Vec<u32>>,
    /// Per area, per polygon part: its rings (exterior first), as indices into `rings`.
    shape: Vec<Vec<Vec<usize>>>,
}

impl Rings {
    /// Numbers the vertices of `areas`; drops rings of fewer than three distinct vertices
    /// (and a part whose exterior is one).
    fn of(areas: &Areas) -> Rings {
        let mut ids: HashMap<(u64, u64), u32> = HashMap::new();
        let mut coords = Vec::new();
        let mut rings: Vec<Vec<u32>> = Vec::new();
        let mut shape: Vec<Vec<Vec<usize>>> = Vec::with_capacity(areas.len());
        for area in areas.iter() {
            let mut parts = Vec::new();
            for polygon in area.geometry.iter() {
                let mut part = Vec::new();
                for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    let mut seq: Vec<u32> = ring
                        .coords()
                        .map(|c| {
                            *ids.entry((c.x.to_bits(), c.y.to_bits()))
                                .or_insert_with(|| {
                                    coords.push((c.x, c.y));
                                    (coords.len() - 1) as u32
                                })
                        })
                        .collect();
                    seq.dedup();
                    if seq.len() > 1 && seq.first() == seq.last() {
                        seq.pop();
                    }
                    if seq.len() < 3 {
                        if part.is_empty() {
                            break; // no exterior: drop the part
                        }
                        continue;
                    }
                    part.push(rings.len());
                    rings.push(seq);
                }
                if !part.is_empty() {
                    parts.push(part);
                }
            }
            shape.push(parts);
        }
        Rings {
            coords,
            rings,
            shape,
        }
    }
}

/// Cuts every ring at its junctions (vertices where the set of rings that hold the point
/// changes) into arcs, each stored once: the arcs, and per ring the arcs that make it.
fn split_at_junctions(vertices: usize, rings: &[Vec<u32>]) -> (Vec<Vec<u32>>, Vec<Vec<ArcRef>>) {
    // which rings hold each vertex (a ring that passes a point twice counts twice, so
    // that pinch points become junctions)
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); vertices];
    for (r, ring) in rings.iter().enumerate() {
        for &v in ring {
            members[v as usize].push(r as u32);
        }
    }
    for m in &mut members {
        m.sort_unstable();
    }
    let mut arc_ids: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut arcs: Vec<Vec<u32>> = Vec::new();
    let mut intern = |piece: Vec<u32>| -> ArcRef {
        let (canonical, reversed) = canonical(piece);
        let next = arcs.len();
        let id = *arc_ids.entry(canonical.clone()).or_insert_with(|| {
            arcs.push(canonical);
            next
        });
        (id, reversed)
    };
    let ring_arcs = rings
        .iter()
        .map(|ring| {
            let n = ring.len();
            let m = |i: usize| &members[ring[i % n] as usize];
            let junctions: Vec<usize> = (0..n)
                .filter(|&i| {
                    let here = m(i);
                    here != m(i + n - 1) || here != m(i + 1) || has_repeats(here)
                })
                .collect();
            if junctions.is_empty() {
                // a ring shared whole (an enclave and its hole) or not at all
                let mut closed = ring.clone();
                closed.push(ring[0]);
                return vec![intern(closed)];
            }
            let mut out = Vec::with_capacity(junctions.len());
            for (k, &start) in junctions.iter().enumerate() {
                let end = junctions.get(k + 1).copied().unwrap_or(junctions[0] + n);
                out.push(intern((start..=end).map(|i| ring[i % n]).collect()));
            }
            out
        })
        .collect();
    (arcs, ring_arcs)
}

/// An arc in the direction both its rings agree on: from the smaller end vertex; a closed
/// arc rotated to start at its smallest vertex and walked towards its smaller neighbour.
fn canonical(mut piece: Vec<u32>) -> (Vec<u32>, bool) {
    let n = piece.len();
    if piece[0] != piece[n - 1] {
        if piece[0] > piece[n - 1] {
            piece.reverse();
            return (piece, true);
        }
        return (piece, false);
    }
    // closed: rotate the open cycle to its smallest vertex
    piece.pop();
    let start = piece
        .iter()
        .enumerate()
        .min_by_key(|&(_, v)| *v)
        .map_or(0, |(i, _)| i);
    piece.rotate_left(start);
    let m = piece.len();
    let reversed = m > 2 && piece[1] > piece[m - 1];
    if reversed {
        piece[1..].reverse();
    }
    piece.push(piece[0]);
    (piece, reversed)
}

/// Douglas-Peucker (geo's [`SimplifyIdx`]) on one arc (vertex indices), end points kept,
/// in km on a local equirectangular projection. A closed arc's chord is a point, so its
/// first cut is at the vertex farthest from its start.
fn simplify_arc(arc: &[u32], coords: &[(f64, f64)], tolerance_km: f64) -> Vec<u32> {
    if arc.len() <= 2 || tolerance_km <= 0.0 {
        return arc.to_vec();
    }
    let lat = coords[arc[0] as usize].1.to_radians();
    let ky = 111.195; // km per degree of latitude
    let kx = ky * lat.cos();
    let projected: LineString<f64> = arc
        .iter()
        .map(|&v| {
            let (x, y) = coords[v as usize];
            Coord {
                x: x * kx,
                y: y * ky,
            }
        })
        .collect();
    projected
        .simplify_idx(tolerance_km)
        .into_iter()
        .map(|i| arc[i])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_direction_is_shared() {
        assert_eq!(canonical(vec![5, 3, 1]), (vec![1, 3, 5], true));
        assert_eq!(canonical(vec![1, 3, 5]), (vec![1, 3, 5], false));
        let (a, _) = canonical(vec![4, 2, 7, 9, 4]);
        let (b, _) = canonical(vec![9, 7, 2, 4, 9]);
        assert_eq!(a, b);
        assert_eq!(a, vec![2, 4, 9, 7, 2]);
    }

    #[test]
    fn douglas_peucker_keeps_ends_and_corners() {
        let coords = vec![(0.0, 0.0), (0.5, 0.0001), (1.0, 0.0), (1.0, 1.0)];
        assert_eq!(simplify_arc(&[0, 1, 2, 3], &coords, 1.0), vec![0, 2, 3]);
        assert_eq!(simplify_arc(&[0, 1, 2, 3], &coords, 0.0), vec![0, 1, 2, 3]);
    }
}
