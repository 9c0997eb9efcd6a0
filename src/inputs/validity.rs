//! Polygon validity exactly as geo's [`Validation`](geo::Validation) reports it, without
//! its quadratic loops.
//!
//! geo 0.33 tests a ring for self-intersection by comparing every segment with every other
//! one, O(n²) in the ring's vertices; on the island seats that was a third of a report's CPU
//! time. Here the same segment predicate runs only on pairs whose bounding boxes meet (a
//! sweep over segments sorted by their least x). geo also relates every pair of a
//! multipolygon's parts, building both parts' graphs each time; here each part's graph is
//! built once (`PreparedGeometry`) and pairs whose bounding rects are apart are skipped, as
//! `relate` would answer them anyway. Everything else is geo's own calls in geo's order, so
//! the first error, its variant, its indices and its text are the same (for finite
//! coordinates: see [`check_multipolygon`]).

use geo::algorithm::validation::{
    CoordIndex, GeometryIndex, InvalidMultiPolygon, InvalidPolygon, RingRole,
};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{
    BoundingRect, HasDimensions, Intersects, Line, LineString, MultiPolygon, Polygon,
    PreparedGeometry, Rect, Relate, RemoveRepeatedPoints,
};

/// The first reason `mp` is invalid: the same value as `mp.check_validation()` when every
/// coordinate is finite.
///
/// A part with a NaN or infinite coordinate is reported as geo reports it
/// (`NonFiniteCoord`, or an earlier error of that part), but is not related to the parts
/// before it, where geo panics on a NaN. On degenerate rings (a part that is a single
/// point, say) geo's `relate` has debug assertions that fire (a panic in debug builds, found
/// by fuzzing): a part whose exterior is a single point is not related either, and its own
/// error (`TooFewPointsInRing`) is reported in its turn. geo, where it does not panic,
/// may call such a part "touching on a line" with its neighbour: a point shares no line.
///
/// # Complexity
/// O(n log n + k) per ring of n vertices, where k is the number of segment pairs whose
/// bounding boxes meet (geo: O(n²)), plus geo's own `relate` for holes and for parts whose
/// bounding boxes meet.
pub(crate) fn check_multipolygon(mp: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
    let rects: Vec<Option<Rect<f64>>> = mp.0.iter().map(BoundingRect::bounding_rect).collect();
    // parts that are never related (see above)
    let unrelatable: Vec<bool> =
        mp.0.iter()
            .map(|p| !is_finite(p) || p.dimensions() == Dimensions::ZeroDimensional)
            .collect();
    // Each part's graph is built once, when first related, not once per pair (geo's
    // `PreparedGeometry`, which its polygon check uses for holes: the same graph, cloned).
    let mut prepared: Vec<Option<PreparedGeometry<&Polygon<f64>>>> =
        mp.0.iter().map(|_| None).collect();
    for (i, polygon) in mp.0.iter().enumerate() {
        check_polygon(polygon)
            .map_err(|e| InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))?;
        // Part j is related before its own checks, as geo does. relate answers "disjoint"
        // from the same bounding-rect test before any other work, so skipping on it changes
        // nothing. A non-finite part is not related at all: geo's relate panics on a NaN (an
        // `unwrap` of a float comparison in its winding order) and builds a meaningless
        // graph from an infinity; the part's own error is reported in its turn instead.
        for j in i + 1..mp.0.len() {
            if unrelatable[j] || !rects_meet(rects[i], rects[j]) {
                continue;
            }
            for k in [i, j] {
                if prepared[k].is_none() {
                    prepared[k] = Some(PreparedGeometry::from(&mp.0[k]));
                }
            }
            let (Some(a), Some(b)) = (&prepared[i], &prepared[j]) else {
                continue; // unreachable: both were just prepared
            };
            let im = a.relate(b);
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidMultiPolygon::ElementsOverlaps(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidMultiPolygon::ElementsTouchOnALine(
                    GeometryIndex(i),
                    GeometryIndex(j),
                ));
            }
        }
    }
    Ok(())
}

/// The first reason `polygon` is invalid: the same value as `polygon.check_validation()`
/// (geo's `validation/polygon.rs`, check for check).
fn check_polygon(polygon: &Polygon<f64>) -> Result<(), InvalidPolygon> {
    if polygon.is_empty() {
        return Ok(());
    }
    let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
    for (ring_idx, ring) in rings.enumerate() {
        if ring.is_empty() {
            continue;
        }
        let role = if ring_idx == 0 {
            RingRole::Exterior
        } else {
            RingRole::Interior(ring_idx - 1)
        };
        if ring.remove_repeated_points().0.len() < 4 {
            return Err(InvalidPolygon::TooFewPointsInRing(role));
        }
        if has_self_intersection(ring) {
            return Err(InvalidPolygon::SelfIntersection(role));
        }
        if let Some(at) = ring
            .0
            .iter()
            .position(|c| !(c.x.is_finite() && c.y.is_finite()))
        {
            return Err(InvalidPolygon::NonFiniteCoord(role, CoordIndex(at)));
        }
    }

    if polygon.interiors().iter().all(LineString::is_empty) {
        return Ok(());
    }
    // Every coordinate is finite from here on: a non-finite one was reported above.
    let exterior = Polygon::new(polygon.exterior().clone(), vec![]);
    let prepared_exterior = PreparedGeometry::from(&exterior);
    let rects: Vec<Option<Rect<f64>>> = polygon
        .interiors()
        .iter()
        .map(BoundingRect::bounding_rect)
        .collect();
    for (i, interior) in polygon.interiors().iter().enumerate() {
        if interior.is_empty() {
            continue;
        }
        let role = RingRole::Interior(i);
        let interior_poly = Polygon::new(interior.clone(), vec![]);
        let prepared_interior = PreparedGeometry::from(&interior_poly);
        // Always related, even when disjoint: containment is what is being asked.
        let with_exterior = prepared_exterior.relate(&prepared_interior);
        if !with_exterior.is_contains() {
            return Err(InvalidPolygon::InteriorRingNotContainedInExteriorRing(role));
        }
        if with_exterior.get(CoordPos::OnBoundary, CoordPos::OnBoundary)
            == Dimensions::OneDimensional
        {
            return Err(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                role,
            ));
        }
        for (j, other) in polygon.interiors().iter().enumerate().skip(i + 1) {
            // Empty rings have no rect; relate finds disjoint rects disjoint.
            if other.is_empty() || !rects_meet(rects[i], rects[j]) {
                continue;
            }
            let other_role = RingRole::Interior(j);
            let im = prepared_interior.relate(&Polygon::new(other.clone(), vec![]));
            if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnAnArea(role, other_role));
            }
            if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                return Err(InvalidPolygon::IntersectingRingsOnALine(role, other_role));
            }
        }
    }
    Ok(())
}

/// Whether every coordinate of the polygon is finite.
fn is_finite(polygon: &Polygon<f64>) -> bool {
    std::iter::once(polygon.exterior())
        .chain(polygon.interiors())
        .flat_map(|ring| &ring.0)
        .all(|c| c.x.is_finite() && c.y.is_finite())
}

/// Whether two bounding rects meet, as geo's `relate` decides before doing any work: closed
/// intervals (rects that share only an edge or a corner meet), and no rect meets nothing.
fn rects_meet(a: Option<Rect<f64>>, b: Option<Rect<f64>>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.intersects(&b))
}

/// geo's ring self-intersection predicate (`validation::utils`), tested on the pairs of
/// segments whose bounding boxes meet.
///
/// Two segments can only intersect inside both their bounding boxes, and geo's
/// `Line::intersects` decides with exact orientation tests (robust `orient2d`), so no pair
/// left out could have answered `true`. Exactness holds while the predicates neither
/// overflow nor underflow; a ring with a coordinate outside that range (or a non-finite
/// one) gets geo's quadratic loop instead.
fn has_self_intersection(ring: &LineString<f64>) -> bool {
    if !ring.0.iter().all(|c| is_exact(c.x) && is_exact(c.y)) {
        return has_self_intersection_all_pairs(ring);
    }
    let lines: Vec<Line<f64>> = ring.lines().collect();
    let boxes: Vec<[f64; 4]> = lines
        .iter()
        .map(|l| {
            [
                l.start.x.min(l.end.x),
                l.start.x.max(l.end.x),
                l.start.y.min(l.end.y),
                l.start.y.max(l.end.y),
            ]
        })
        .collect();
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_unstable_by(|&a, &b| boxes[a][0].total_cmp(&boxes[b][0]));
    for (at, &i) in order.iter().enumerate() {
        let [_, x_max, y_min, y_max] = boxes[i];
        for &j in &order[at + 1..] {
            let b = boxes[j];
            if b[0] > x_max {
                break;
            }
            if b[2] > y_max || b[3] < y_min {
                continue;
            }
            // geo tries both orders of every pair; so do we, in case the test is asymmetric
            if crosses(&lines[i], &lines[j]) || crosses(&lines[j], &lines[i]) {
                return true;
            }
        }
    }
    false
}

/// Whether a coordinate is zero or far enough from under- and overflow that `orient2d` on
/// it is exact (products of differences stay within f64's normal range).
fn is_exact(v: f64) -> bool {
    v == 0.0 || (1e-100..=1e100).contains(&v.abs())
}

/// geo's `linestring_has_self_intersection`, verbatim: every ordered pair of segments.
fn has_self_intersection_all_pairs(ring: &LineString<f64>) -> bool {
    ring.lines().enumerate().any(|(i, line)| {
        ring.lines()
            .enumerate()
            .any(|(j, other)| i != j && crosses(&line, &other))
    })
}

/// geo's test for one ordered pair: the segments meet, other than end to start.
fn crosses(line: &Line<f64>, other: &Line<f64>) -> bool {
    line.intersects(other) && line.start != other.end && line.end != other.start
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::areas::LayerOptions;
    use crate::inputs::code::Vintage;
    use geo::{Coord, Validation, coord, wkt};
    use proptest::prelude::*;
    use rayon::prelude::*;

    /// Checks `g` both ways, asserts the answers are equal, and returns ours.
    fn same(g: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
        let ours = check_multipolygon(g);
        assert_eq!(ours, g.check_validation(), "{g:?}");
        ours
    }

    /// geo's `MultiPolygon` check (`validation/multi_polygon.rs`) written out with geo's
    /// own polygon check and `relate`, except that, as ours, it relates no non-finite part
    /// and no part whose exterior is a single point.
    /// On finite input this is `check_validation`.
    fn reference(g: &MultiPolygon<f64>) -> Result<(), InvalidMultiPolygon> {
        for (i, p) in g.0.iter().enumerate() {
            p.check_validation()
                .map_err(|e| InvalidMultiPolygon::InvalidPolygon(GeometryIndex(i), e))?;
            for (j, q) in g.0.iter().enumerate().skip(i + 1) {
                if !is_finite(q) || q.dimensions() == Dimensions::ZeroDimensional {
                    continue;
                }
                let im = p.relate(q);
                if im.get(CoordPos::Inside, CoordPos::Inside) == Dimensions::TwoDimensional {
                    return Err(InvalidMultiPolygon::ElementsOverlaps(
                        GeometryIndex(i),
                        GeometryIndex(j),
                    ));
                }
                if im.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional
                {
                    return Err(InvalidMultiPolygon::ElementsTouchOnALine(
                        GeometryIndex(i),
                        GeometryIndex(j),
                    ));
                }
            }
        }
        Ok(())
    }

    /// geo's answer, or `None` where geo panics.
    fn geo_answer(g: &MultiPolygon<f64>) -> Option<Result<(), InvalidMultiPolygon>> {
        std::panic::catch_unwind(|| g.check_validation()).ok()
    }

    fn one(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![p])
    }

    fn polygon_error(e: InvalidPolygon) -> Result<(), InvalidMultiPolygon> {
        Err(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(0), e))
    }

    #[test]
    fn bow_tie() {
        let g = one(wkt!(POLYGON((0. 0., 4. 0., 0. 2., 4. 2., 0. 0.))));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::SelfIntersection(RingRole::Exterior))
        );
    }

    #[test]
    fn spike() {
        let g = one(wkt!(POLYGON((0. 0., 4. 0., 4. 4., 2. 4., 2. 6., 2. 4., 0. 4., 0. 0.))));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::SelfIntersection(RingRole::Exterior))
        );
    }

    #[test]
    fn ring_touching_itself() {
        // at a vertex it visits twice (a figure of eight)
        let g = one(wkt!(POLYGON((0. 0., 4. 0., 2. 2., 4. 4., 0. 4., 2. 2., 0. 0.))));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::SelfIntersection(RingRole::Exterior))
        );
        // a vertex on another edge (an inverted hole)
        let g = one(wkt!(POLYGON((0. 0., 4. 0., 4. 4., 3. 4., 2. 0., 1. 4., 0. 4., 0. 0.))));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::SelfIntersection(RingRole::Exterior))
        );
        // in a hole
        let g = one(wkt!(POLYGON(
            (0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
            (1. 1., 5. 1., 3. 3., 5. 5., 1. 5., 3. 3., 1. 1.)
        )));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::SelfIntersection(RingRole::Interior(0)))
        );
    }

    #[test]
    fn repeated_points() {
        let g = one(wkt!(POLYGON((0. 0., 0. 0., 4. 0., 4. 4., 4. 4., 4. 4., 0. 4., 0. 0.))));
        assert_eq!(same(&g), Ok(()));
        // four coordinates, but only two distinct ones in a row
        let g = one(wkt!(POLYGON((0. 0., 1. 1., 1. 1., 0. 0.))));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::TooFewPointsInRing(RingRole::Exterior))
        );
    }

    #[test]
    fn too_few_points() {
        let g = one(wkt!(POLYGON((0. 0., 1. 1.))));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::TooFewPointsInRing(RingRole::Exterior))
        );
        let g = one(wkt!(POLYGON(
            (0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
            (1. 1., 2. 2., 1. 1.)
        )));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::TooFewPointsInRing(RingRole::Interior(0)))
        );
    }

    #[test]
    fn non_finite_coordinates() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let ring = vec![
                coord! { x: 0., y: 0. },
                coord! { x: 4., y: 0. },
                coord! { x: 4., y: bad },
                coord! { x: 0., y: 4. },
            ];
            let g = one(Polygon::new(LineString::new(ring), vec![]));
            let Err(InvalidMultiPolygon::InvalidPolygon(_, alone)) = same(&g) else {
                panic!("{bad} not reported");
            };
            // In a second part it would be related to the first before its own checks:
            // geo panics there on NaN. We report the part's own error in its turn.
            let mut g2 = one(wkt!(POLYGON((0. 0., 4. 0., 4. 4., 0. 4., 0. 0.))));
            g2.0.extend(g.0.clone());
            assert_eq!(
                check_multipolygon(&g2),
                Err(InvalidMultiPolygon::InvalidPolygon(GeometryIndex(1), alone))
            );
            assert_eq!(check_multipolygon(&g2), reference(&g2));
            if bad.is_nan() {
                assert!(geo_answer(&g2).is_none(), "geo now takes NaN in relate");
            }
        }
    }

    #[test]
    fn a_part_that_is_a_point_is_not_related() {
        // found by fuzzing: geo's relate asserts (debug builds) on a second part whose
        // exterior is one point and whose hole crosses the first part
        let g = MultiPolygon::new(vec![
            wkt!(POLYGON((0. 0., 4. 0., 4. 4., 0. 4., 0. 0.))),
            Polygon::new(
                LineString::from(vec![(1., 1.)]),
                vec![LineString::from(vec![(-1., 2.), (5., 2.)])],
            ),
        ]);
        assert_eq!(
            check_multipolygon(&g),
            Err(InvalidMultiPolygon::InvalidPolygon(
                GeometryIndex(1),
                InvalidPolygon::TooFewPointsInRing(RingRole::Exterior)
            ))
        );
        assert_eq!(check_multipolygon(&g), reference(&g));
    }

    #[test]
    fn hole_outside_shell() {
        let g = one(wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 0. 4., 0. 0.),
            (5. 5., 6. 5., 6. 6., 5. 6., 5. 5.)
        )));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::InteriorRingNotContainedInExteriorRing(
                RingRole::Interior(0)
            ))
        );
    }

    #[test]
    fn hole_touching_shell_on_a_line() {
        let g = one(wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 0. 4., 0. 0.),
            (0. 2., 0. 1., 2. 1., 3. 2., 2. 3., 0. 2.)
        )));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Exterior,
                RingRole::Interior(0)
            ))
        );
    }

    #[test]
    fn holes_overlapping_or_touching() {
        let g = one(wkt!(POLYGON(
            (0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
            (1. 1., 1. 9., 9. 9., 9. 1., 1. 1.),
            (2. 2., 2. 8., 8. 8., 8. 2., 2. 2.)
        )));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::IntersectingRingsOnAnArea(
                RingRole::Interior(0),
                RingRole::Interior(1)
            ))
        );
        // the first and the third, far apart in the list
        let g = one(wkt!(POLYGON(
            (0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
            (1. 1., 3. 1., 3. 3., 1. 3., 1. 1.),
            (5. 5., 6. 5., 6. 6., 5. 6., 5. 5.),
            (2. 2., 4. 2., 4. 4., 2. 4., 2. 2.)
        )));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::IntersectingRingsOnAnArea(
                RingRole::Interior(0),
                RingRole::Interior(2)
            ))
        );
        // on a line
        let g = one(wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 0. 4., 0. 0.),
            (1. 2., 2. 1., 3. 2., 2. 3., 1. 2.),
            (3. 2., 2. 1., 3.5 1., 3.75 2., 3.5 3., 3. 2.)
        )));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::IntersectingRingsOnALine(
                RingRole::Interior(0),
                RingRole::Interior(1)
            ))
        );
        // at a point: valid
        let g = one(wkt!(POLYGON(
            (0. 0., 4. 0., 4. 4., 0. 4., 0. 0.),
            (1. 2., 2. 1., 3. 2., 2. 3., 1. 2.),
            (3. 2., 3.5 1., 3.75 2., 3.5 3., 3. 2.)
        )));
        assert_eq!(same(&g), Ok(()));
    }

    #[test]
    fn parts_overlapping() {
        let g = wkt!(MULTIPOLYGON(
            ((0. 0., 4. 0., 4. 4., 0. 4., 0. 0.)),
            ((10. 10., 11. 10., 11. 11., 10. 10.)),
            ((3. 3., 6. 3., 6. 6., 3. 6., 3. 3.))
        ));
        assert_eq!(
            same(&g),
            Err(InvalidMultiPolygon::ElementsOverlaps(
                GeometryIndex(0),
                GeometryIndex(2)
            ))
        );
    }

    #[test]
    fn parts_touching_on_a_line() {
        let g = wkt!(MULTIPOLYGON(
            ((0. 0., 4. 0., 4. 4., 0. 4., 0. 0.)),
            ((4. 1., 6. 1., 6. 3., 4. 3., 4. 1.))
        ));
        assert_eq!(
            same(&g),
            Err(InvalidMultiPolygon::ElementsTouchOnALine(
                GeometryIndex(0),
                GeometryIndex(1)
            ))
        );
    }

    #[test]
    fn parts_touching_at_a_point_are_valid() {
        let g = wkt!(MULTIPOLYGON(
            ((0. 0., 4. 0., 4. 4., 0. 4., 0. 0.)),
            ((4. 4., 6. 4., 6. 6., 4. 6., 4. 4.)),
            // its bounding box touches the first one's along x = 4 only
            ((4. 0., 6. 1., 6. 2., 4. 0.))
        ));
        assert_eq!(same(&g), Ok(()));
    }

    #[test]
    fn valid_polygons_with_holes() {
        let g = wkt!(MULTIPOLYGON(
            (
                (0. 0., 10. 0., 10. 10., 0. 10., 0. 0.),
                (1. 1., 2. 1., 2. 2., 1. 2., 1. 1.),
                (5. 5., 6. 5., 6. 6., 5. 6., 5. 5.),
                // touches the shell at one point
                (0. 8., 1. 7., 1. 9., 0. 8.)
            ),
            ((20. 0., 30. 0., 30. 10., 20. 0.))
        ));
        assert_eq!(same(&g), Ok(()));
    }

    #[test]
    fn empty_geometry() {
        assert_eq!(same(&MultiPolygon::new(vec![])), Ok(()));
        let empty = Polygon::new(LineString::new(vec![]), vec![]);
        assert_eq!(same(&one(empty.clone())), Ok(()));
        let g = MultiPolygon::new(vec![empty, wkt!(POLYGON((0. 0., 1. 0., 1. 1., 0. 0.)))]);
        assert_eq!(same(&g), Ok(()));
    }

    #[test]
    fn long_edge_crossed_far_along_the_sweep() {
        // A sawtooth bottom of 500 teeth under one long top edge, with one tooth in the
        // middle poking through it: the crossing pair is ~500 segments apart in x order.
        let mut ring = vec![coord! { x: 0., y: 0. }];
        for k in 0..500 {
            let x = f64::from(k) * 2.0;
            let height = if k == 250 { 20.0 } else { 1.0 };
            ring.push(coord! { x: x + 1.0, y: height });
            ring.push(coord! { x: x + 2.0, y: 0. });
        }
        ring.push(coord! { x: 1000., y: 10. });
        ring.push(coord! { x: 0., y: 10. });
        let g = one(Polygon::new(LineString::new(ring), vec![]));
        assert_eq!(
            same(&g),
            polygon_error(InvalidPolygon::SelfIntersection(RingRole::Exterior))
        );
    }

    #[test]
    fn the_first_error_wins() {
        // part 0 is valid but overlaps part 1, which is itself invalid: geo reports the
        // overlap, because a part's own errors come only when its turn comes
        let g = wkt!(MULTIPOLYGON(
            ((0. 0., 4. 0., 4. 4., 0. 4., 0. 0.)),
            ((1. 1., 5. 1., 1. 3., 5. 3., 1. 1.))
        ));
        assert!(matches!(
            same(&g),
            Err(InvalidMultiPolygon::ElementsOverlaps(..)
                | InvalidMultiPolygon::ElementsTouchOnALine(..))
        ));
    }

    /// Both shipped layers, every area, raw geometry.
    #[test]
    fn shipped_layers_agree_with_geo() {
        for v in Vintage::ALL {
            let areas = LayerOptions::new()
                .check_geometry(false)
                .measure(false)
                .shipped(v)
                .unwrap();
            let all: Vec<&crate::Area> = areas.iter().collect();
            let invalid = all
                .par_iter()
                .filter(|a| same(&a.geometry).is_err())
                .count();
            // the 2010 layer has invalid seats; the checks must have seen some
            if v == Vintage::Pcon2010 {
                assert!(invalid > 0);
            }
        }
    }

    /// The full-resolution layers in `../shared/data`.
    #[test]
    #[ignore = "needs ../shared"]
    fn full_resolution_layers_agree_with_geo() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        for file in [
            "pcon2024_bgc.geojson",
            "pcon2024_buc.geojson",
            "pcon2010_bgc.geojson",
        ] {
            let areas = LayerOptions::new()
                .check_geometry(false)
                .measure(false)
                .from_path(dir.join(file))
                .unwrap();
            assert_eq!(areas.len(), 650);
            let all: Vec<&crate::Area> = areas.iter().collect();
            all.par_iter().for_each(|a| {
                let ours = check_multipolygon(&a.geometry);
                assert_eq!(ours, a.geometry.check_validation(), "{file}: {}", a.code);
            });
        }
    }

    /// A ring on a small grid, so that touching, collinear and repeated points are common.
    fn grid_ring(size: i32, max_len: usize) -> impl Strategy<Value = LineString<f64>> {
        prop::collection::vec((0..size, 0..size), 1..max_len).prop_map(|pts| {
            LineString::from(
                pts.into_iter()
                    .map(|(x, y)| (f64::from(x), f64::from(y)))
                    .collect::<Vec<_>>(),
            )
        })
    }

    /// A star-shaped ring (valid but for touching and collinear vertices on the grid) with
    /// one vertex moved anywhere: crossings between segments far apart in the sweep.
    fn star_ring() -> impl Strategy<Value = LineString<f64>> {
        (
            prop::collection::vec(10..20i32, 8..120),
            any::<prop::sample::Index>(),
            (-20..20i32, -20..20i32),
        )
            .prop_map(|(radii, moved, (mx, my))| {
                let n = radii.len();
                let mut ring: Vec<Coord<f64>> = radii
                    .iter()
                    .enumerate()
                    .map(|(k, &r)| {
                        let angle = std::f64::consts::TAU * k as f64 / n as f64;
                        let r = f64::from(r);
                        coord! { x: (r * angle.cos()).round(), y: (r * angle.sin()).round() }
                    })
                    .collect();
                ring[moved.index(n)] = coord! { x: f64::from(mx), y: f64::from(my) };
                LineString::new(ring)
            })
    }

    /// A polygon: a grid ring and up to three grid holes, shifted and scaled.
    fn grid_polygon() -> impl Strategy<Value = Polygon<f64>> {
        (
            grid_ring(7, 9),
            prop::collection::vec(grid_ring(7, 6), 0..3),
            (0..3i32, 0..3i32),
            prop::sample::select(vec![1.0, 0.5, 0.1, 1e-7, 3.0e5]),
        )
            .prop_map(|(exterior, holes, (dx, dy), scale)| {
                let place = |ring: LineString<f64>| {
                    ring.into_iter()
                        .map(|c| {
                            coord! { x: (c.x + f64::from(dx * 4)) * scale, y: (c.y + f64::from(dy * 4)) * scale }
                        })
                        .collect::<LineString<f64>>()
                };
                Polygon::new(place(exterior), holes.into_iter().map(place).collect())
            })
    }

    /// A valid square about the origin, which the grid polygons often overlap or touch.
    fn square() -> impl Strategy<Value = Polygon<f64>> {
        (-2..1i32, 3..14i32).prop_map(|(lo, hi)| {
            let (lo, hi) = (f64::from(lo), f64::from(hi));
            Polygon::new(
                LineString::from(vec![(lo, lo), (hi, lo), (hi, hi), (lo, hi)]),
                vec![],
            )
        })
    }

    /// A square or a right triangle with corners on the grid: a valid ring.
    fn box_ring() -> impl Strategy<Value = LineString<f64>> {
        (0..8i32, 0..8i32, 1..4i32, 1..4i32, any::<bool>()).prop_map(|(x, y, w, h, triangle)| {
            let (x0, y0) = (f64::from(x), f64::from(y));
            let (x1, y1) = (f64::from(x + w), f64::from(y + h));
            if triangle {
                LineString::from(vec![(x0, y0), (x1, y0), (x0, y1)])
            } else {
                LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
            }
        })
    }

    /// A square with holes from the grid inside it, often valid rings (boxes) that touch,
    /// overlap or nest, so that the ring-against-ring checks are reached often.
    fn square_with_holes() -> impl Strategy<Value = Polygon<f64>> {
        (
            0..3i32,
            prop::collection::vec(prop_oneof![1 => grid_ring(9, 6), 3 => box_ring()], 1..5),
        )
            .prop_map(|(inset, holes)| {
                let lo = f64::from(inset) - 1.0;
                let hi = 9.0 - f64::from(inset);
                let shell = LineString::from(vec![(lo, lo), (hi, lo), (hi, hi), (lo, hi)]);
                Polygon::new(shell, holes)
            })
    }

    proptest! {
        #![proptest_config(crate::proptest_config(2000))]

        #[test]
        fn ring_predicate_matches_all_pairs(ring in prop_oneof![grid_ring(5, 40), star_ring()]) {
            prop_assert_eq!(has_self_intersection(&ring), has_self_intersection_all_pairs(&ring));
        }

        #[test]
        fn multipolygons_match_geo(
            parts in prop::collection::vec(
                prop_oneof![
                    grid_polygon(),
                    square(),
                    square_with_holes(),
                    star_ring().prop_map(|r| Polygon::new(r, vec![])),
                ],
                1..4,
            )
        ) {
            agree(&MultiPolygon::new(parts))?;
        }

        #[test]
        fn non_finite_coordinates_match_geo(
            parts in prop::collection::vec(prop_oneof![grid_polygon(), square()], 1..4),
            part in 0..3usize,
            at in 0..10usize,
            bad in prop::sample::select(vec![f64::NAN, f64::INFINITY, -f64::INFINITY, 1e300, 1e-300]),
            on_x: bool,
        ) {
            let mut g = MultiPolygon::new(parts);
            let n = g.0.len();
            g.0[part % n].exterior_mut(|ring| {
                let len = ring.0.len();
                let c = &mut ring.0[at % len];
                if on_x { c.x = bad } else { c.y = bad }
            });
            agree(&g)?;
        }
    }

    /// Our answer is geo's (the reference's, for input with a non-finite part or a part that
    /// is one point, which ours does not relate), or both panic: geo's debug assertions in
    /// `relate` on other degenerate rings, which ours calls alike.
    fn agree(g: &MultiPolygon<f64>) -> Result<(), TestCaseError> {
        let ours = std::panic::catch_unwind(|| check_multipolygon(g));
        let geo = std::panic::catch_unwind(|| {
            if g.0
                .iter()
                .all(|p| is_finite(p) && p.dimensions() != Dimensions::ZeroDimensional)
            {
                g.check_validation()
            } else {
                reference(g)
            }
        });
        match (ours, geo) {
            (Ok(ours), Ok(geo)) => prop_assert_eq!(ours, geo),
            (Err(_), Err(_)) => {}
            (ours, geo) => prop_assert!(false, "ours {:?}, geo {:?}", ours.ok(), geo.ok()),
        }
        Ok(())
    }
}
