use super::topology::Topology;
use crate::inputs::areas::Areas;
use crate::table::analysis::Rows;
use geo::{LineString, MultiPolygon};
use std::borrow::Cow;
use std::io::{self, Write};

/// Writes the table as an RFC 7946 FeatureCollection: WGS84 longitude/latitude,
/// counter-clockwise exterior rings, one Feature per area in layer order, the row's fields
/// (every metric) as properties, in column order. The same as
/// `GeoJsonWriter::new(rows, areas).write_to(w)`.
///
/// # Errors
/// Any I/O error of `w`.
pub fn write_geojson<'a>(
    rows: impl Into<Rows<'a>>,
    areas: &'a Areas,
    w: impl Write,
) -> io::Result<()> {
    GeoJsonWriter::new(rows, areas).write_to(w)
}

/// A GeoJSON writer with options for files that travel: fewer decimals, and boundaries
/// simplified one shared arc at a time so that neighbouring seats keep identical edges
/// (no slivers or gaps, unlike simplifying each polygon on its own).
///
/// # Examples
/// ```
/// use sigmap::export::{GeoJsonWriter, Rows};
/// use sigmap::{Areas, Denominators, Petition, Table, Vintage};
/// let areas = Areas::shipped(Vintage::Pcon2024)?;
/// let table = Table::join(
///     &Petition::from_reader("E14001063,120\n".as_bytes(), "one.csv")?,
///     &areas,
///     &Denominators::shipped(Vintage::Pcon2024)?,
/// )?;
/// let mut small = Vec::new();
/// GeoJsonWriter::new(Rows::joined(&table), &areas).precision(4).simplify(0.5).write_to(&mut small)?;
/// let mut full = Vec::new();
/// sigmap::export::write_geojson(Rows::joined(&table), &areas, &mut full)?;
/// let vertices = |b: &[u8]| String::from_utf8_lossy(b).matches("],[").count();
/// assert!(vertices(&small) * 2 < vertices(&full));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct GeoJsonWriter<'a> {
    rows: Rows<'a>,
    areas: &'a Areas,
    precision: Option<usize>,
    simplify_km: Option<f64>,
}

impl<'a> GeoJsonWriter<'a> {
    /// A writer of `rows` (a [`Table`](crate::Table), or one with a report's analysis) on
    /// the geometry of `areas`, at full precision and unsimplified
    /// (then the same bytes as [`write_geojson`]).
    pub fn new(rows: impl Into<Rows<'a>>, areas: &'a Areas) -> Self {
        GeoJsonWriter {
            rows: rows.into(),
            areas,
            precision: None,
            simplify_km: None,
        }
    }

    /// Rounds coordinates to `decimals` places (5: about a metre, 4: about 10 m). Vertices
    /// that become equal are merged; a ring left with fewer than three is dropped.
    pub fn precision(mut self, decimals: usize) -> Self {
        self.precision = Some(decimals.min(15));
        self
    }

    /// Simplifies boundaries with Douglas-Peucker at `tolerance_km`, each stretch of
    /// boundary between junctions once (see [`TopoJsonWriter`]), so that shared edges stay
    /// identical between neighbours and no seat loses a neighbour it touches along an edge.
    pub fn simplify(mut self, tolerance_km: f64) -> Self {
        self.simplify_km = Some(tolerance_km);
        self
    }

    /// The geometry that will be written, per area (simplified, not yet rounded).
    pub fn geometries(&self) -> Vec<MultiPolygon<f64>> {
        match self.simplify_km {
            None => self.areas.iter().map(|a| a.geometry.clone()).collect(),
            Some(km) => {
                let t = Topology::build(self.areas).simplified(km);
                (0..self.areas.len()).map(|i| t.multipolygon(i)).collect()
            }
        }
    }

    /// Writes the FeatureCollection (RFC 7946: counter-clockwise exteriors, holes
    /// clockwise, by each ring's signed area).
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_to(&self, mut w: impl Write) -> io::Result<()> {
        // full precision and unsimplified: the layer's rings as they are, no copy of them
        let simplified = self
            .simplify_km
            .map(|km| Topology::build(self.areas).simplified(km));
        let cleaned = self.precision.is_some() || simplified.is_some();
        w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
        let mut text = String::new();
        for (i, (record, area)) in self.rows.iter().zip(self.areas.iter()).enumerate() {
            let geometry = match &simplified {
                Some(t) => Cow::Owned(t.multipolygon(i)),
                None => Cow::Borrowed(&area.geometry),
            };
            let ring = |r: &LineString<f64>| match cleaned {
                true => rounded(r, self.precision),
                false => Some(r.coords().map(|c| (c.x, c.y)).collect()),
            };
            let polygons: Vec<Vec<Vec<(f64, f64)>>> = by_signed_area(&geometry)
                .iter()
                .filter_map(|p| {
                    let mut rings = vec![ring(p.exterior())?];
                    rings.extend(p.interiors().iter().filter_map(ring));
                    Some(rings)
                })
                .collect();
            if i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"\n{\"type\":\"Feature\",\"properties\":")?;
            serde_json::to_writer(&mut w, &record)?;
            w.write_all(b",\"geometry\":")?;
            text.clear();
            geometry_text(&mut text, &polygons, self.precision);
            w.write_all(text.as_bytes())?;
            w.write_all(b"}")?;
        }
        w.write_all(b"\n]}\n")
    }
}

/// A GeoJSON geometry: `Polygon` for one polygon, `MultiPolygon` for more, `null` for none.
fn geometry_text(s: &mut String, polygons: &[Vec<Vec<(f64, f64)>>], precision: Option<usize>) {
    let polygon_text = |s: &mut String, rings: &[Vec<(f64, f64)>]| {
        s.push('[');
        for (k, ring) in rings.iter().enumerate() {
            if k > 0 {
                s.push(',');
            }
            s.push('[');
            for (j, &(x, y)) in ring.iter().enumerate() {
                if j > 0 {
                    s.push(',');
                }
                s.push('[');
                s.push_str(&number(x, precision));
                s.push(',');
                s.push_str(&number(y, precision));
                s.push(']');
            }
            s.push(']');
        }
        s.push(']');
    };
    match polygons {
        [] => s.push_str("null"),
        [one] => {
            s.push_str("{\"type\":\"Polygon\",\"coordinates\":");
            polygon_text(s, one);
            s.push('}');
        }
        _ => {
            s.push_str("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            for (k, p) in polygons.iter().enumerate() {
                if k > 0 {
                    s.push(',');
                }
                polygon_text(s, p);
            }
            s.push_str("]}");
        }
    }
}

/// A TopoJSON writer: the layer as shared arcs (each boundary between two seats stored
/// once), one `MultiPolygon` per area in the object `areas`, with the table's row as its
/// properties; optionally simplified and rounded as [`GeoJsonWriter`]. Coordinates are
/// longitude/latitude, not quantised (no `transform`).
///
/// # Examples
/// ```
/// use sigmap::export::{Rows, TopoJsonWriter};
/// use sigmap::{Areas, Denominators, Petition, Table, Vintage};
/// let areas = Areas::shipped(Vintage::Pcon2024)?;
/// let table = Table::join(
///     &Petition::from_reader("E14001063,120\n".as_bytes(), "one.csv")?,
///     &areas,
///     &Denominators::shipped(Vintage::Pcon2024)?,
/// )?;
/// let mut out = Vec::new();
/// TopoJsonWriter::new(Rows::joined(&table), &areas).precision(5).write_to(&mut out)?;
/// let topo: serde_json::Value = serde_json::from_slice(&out)?;
/// assert_eq!(topo["objects"]["areas"]["geometries"].as_array().unwrap().len(), 650);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct TopoJsonWriter<'a> {
    rows: Rows<'a>,
    areas: &'a Areas,
    precision: Option<usize>,
    simplify_km: Option<f64>,
}

impl<'a> TopoJsonWriter<'a> {
    /// A writer of `rows` (a [`Table`](crate::Table), or one with a report's analysis) on
    /// the geometry of `areas`.
    pub fn new(rows: impl Into<Rows<'a>>, areas: &'a Areas) -> Self {
        TopoJsonWriter {
            rows: rows.into(),
            areas,
            precision: None,
            simplify_km: None,
        }
    }

    /// Rounds coordinates to `decimals` places.
    pub fn precision(mut self, decimals: usize) -> Self {
        self.precision = Some(decimals.min(15));
        self
    }

    /// Simplifies each arc once at `tolerance_km` (Douglas-Peucker).
    pub fn simplify(mut self, tolerance_km: f64) -> Self {
        self.simplify_km = Some(tolerance_km);
        self
    }

    /// Writes the Topology.
    ///
    /// # Errors
    /// Any I/O error of `w`.
    pub fn write_to(&self, mut w: impl Write) -> io::Result<()> {
        let mut t = Topology::build(self.areas);
        if let Some(km) = self.simplify_km {
            t = t.simplified(km);
        }
        w.write_all(b"{\"type\":\"Topology\",\"arcs\":[")?;
        for (i, arc) in t.arcs.iter().enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"\n[")?;
            for (k, &v) in arc.iter().enumerate() {
                let (x, y) = t.coords[v as usize];
                if k > 0 {
                    w.write_all(b",")?;
                }
                write!(
                    w,
                    "[{},{}]",
                    number(x, self.precision),
                    number(y, self.precision)
                )?;
            }
            w.write_all(b"]")?;
        }
        w.write_all(
            b"\n],\"objects\":{\"areas\":{\"type\":\"GeometryCollection\",\"geometries\":[",
        )?;
        for (i, (record, parts)) in self.rows.iter().zip(&t.areas).enumerate() {
            if i > 0 {
                w.write_all(b",")?;
            }
            w.write_all(b"\n{\"type\":\"MultiPolygon\",\"id\":")?;
            serde_json::to_writer(&mut w, &record.row.code)?;
            w.write_all(b",\"properties\":")?;
            serde_json::to_writer(&mut w, &record)?;
            let arcs: Vec<Vec<Vec<i64>>> = parts
                .iter()
                .map(|part| {
                    part.iter()
                        .map(|ring| {
                            ring.iter()
                                .map(|&(a, rev)| if rev { !(a as i64) } else { a as i64 })
                                .collect()
                        })
                        .collect()
                })
                .collect();
            w.write_all(b",\"arcs\":")?;
            serde_json::to_writer(&mut w, &arcs)?;
            w.write_all(b"}")?;
        }
        w.write_all(b"\n]}}}\n")
    }
}

/// RFC 7946 orientation by each ring's signed area (exteriors counter-clockwise, holes
/// clockwise). geo's `orient` looks at the turn at one extreme vertex, which disagrees with
/// the area's sign on the self-intersecting rings some generalised layers have.
fn by_signed_area(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let ring = |r: &LineString<f64>, ccw: bool| {
        let mut r = r.clone();
        let signed = geo::Area::signed_area(&geo::Polygon::new(r.clone(), vec![]));
        if (signed > 0.0) != ccw && signed != 0.0 {
            r.0.reverse();
        }
        r
    };
    MultiPolygon::new(
        mp.iter()
            .map(|p| {
                geo::Polygon::new(
                    ring(p.exterior(), true),
                    p.interiors().iter().map(|h| ring(h, false)).collect(),
                )
            })
            .collect(),
    )
}

/// A ring rounded to `precision` decimals, repeated vertices merged; `None` if fewer than
/// three distinct vertices are left.
fn rounded(ring: &LineString<f64>, precision: Option<usize>) -> Option<Vec<(f64, f64)>> {
    let f = precision.map_or(1.0, |p| 10f64.powi(p as i32));
    let round = |v: f64| match precision {
        Some(_) => (v * f).round() / f,
        None => v,
    };
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(ring.0.len());
    for c in ring.coords() {
        let p = (round(c.x), round(c.y));
        if out.last() != Some(&p) {
            out.push(p);
        }
    }
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    if out.len() < 3 {
        return None;
    }
    out.push(out[0]);
    Some(out)
}

/// A coordinate as JSON: the shortest form that reads back the same, or rounded to
/// `precision` decimals without trailing zeros.
fn number(v: f64, precision: Option<usize>) -> String {
    let Some(p) = precision else {
        return serde_json::Number::from_f64(v).map_or_else(|| "null".into(), |n| n.to_string());
    };
    let mut s = format!("{v:.p$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_lose_trailing_zeros() {
        assert_eq!(number(-1.50000001, Some(5)), "-1.5");
        assert_eq!(number(-0.000001, Some(3)), "0");
        assert_eq!(number(51.123456789, Some(4)), "51.1235");
        assert_eq!(number(2.0, Some(0)), "2");
        assert_eq!(number(0.1, None), "0.1");
    }
}
