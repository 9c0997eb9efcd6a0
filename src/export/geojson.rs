use crate::areas::Areas;
use crate::join::Table;
use geo::orient::{Direction, Orient};
use std::io::{self, Write};

/// Writes the table as an RFC 7946 FeatureCollection: WGS84 longitude/latitude,
/// counter-clockwise exterior rings, one Feature per area in layer order, the row's fields
/// (every metric) as properties, in column order.
///
/// # Errors
/// Any I/O error of `w`.
pub fn write_geojson(table: &Table, areas: &Areas, mut w: impl Write) -> io::Result<()> {
    w.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[")?;
    for (i, (row, area)) in table.rows.iter().zip(areas.iter()).enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        w.write_all(b"\n{\"type\":\"Feature\",\"properties\":")?;
        serde_json::to_writer(&mut w, row)?;
        w.write_all(b",\"geometry\":")?;
        let oriented = area.geometry.orient(Direction::Default);
        let geometry = if oriented.0.len() == 1 {
            geojson::GeometryValue::from(&oriented.0[0])
        } else {
            geojson::GeometryValue::from(&oriented)
        };
        serde_json::to_writer(&mut w, &geojson::Geometry::new(geometry))?;
        w.write_all(b"}")?;
    }
    w.write_all(b"\n]}\n")
}
