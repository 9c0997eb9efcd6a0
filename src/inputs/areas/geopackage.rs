//! GeoPackages: an SQLite file whose polygon table is read through `gpkg_contents`,
//! `gpkg_geometry_columns` and `gpkg_spatial_ref_sys`.
//!
//! SQLite comes from `rusqlite` with its bundled SQLite (compiled from C by cc, so no system
//! package). The geometry blobs (a GeoPackage header, then WKB) are parsed here: only
//! Polygon and MultiPolygon (with Z/M dropped) are layers, and a hand-written reader of those
//! two types is ~100 lines with errors that name the record and column, against the `wkb`
//! crate's general reader and the `geo-traits` layer it brings.

use super::raw::RawLayer;
#[cfg(feature = "geopackage")]
use super::raw::{DeclaredCrs, RawFeature};
#[cfg(feature = "geopackage")]
use crate::error::IoAction;
use crate::error::{Error, Location, Result};
#[cfg(feature = "geopackage")]
use geo::{Coord, LineString, MultiPolygon, Polygon};
#[cfg(feature = "geopackage")]
use serde_json::{Map, Value};
use std::path::Path;

/// Reads the polygon table `table` (or the only one) of a GeoPackage.
#[cfg(feature = "geopackage")]
pub(crate) fn read(path: &Path, table: Option<&str>) -> Result<RawLayer> {
    use rusqlite::{Connection, OpenFlags};

    let file = Location::file(path);
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
    if !bytes.starts_with(b"SQLite format 3\0") {
        return Err(Error::LayerFormat {
            at: file,
            reason: "expected a GeoPackage (an SQLite database), found a file that is not SQLite"
                .into(),
        });
    }
    let sha256 = super::hex_sha256(&bytes);
    drop(bytes);
    let db = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| sql_error(&file, "cannot open the GeoPackage", e))?;
    let table = choose_table(feature_tables(&db, &file)?, table, &file)?;
    let at = Location::file(format!("{}!{}", path.display(), table.name));
    if !is_polygonal(&table.kind) {
        return Err(Error::BadField {
            at: at.field(&table.column),
            expected: "polygons (POLYGON or MULTIPOLYGON)",
            found: table.kind,
        });
    }
    let declared_crs = declared_crs(&db, table.srs_id, &at)?;
    let features = read_features(&db, &table, &at)?;
    Ok(RawLayer {
        features,
        declared_crs,
        sha256,
        at,
    })
}

/// A feature table of `gpkg_contents` with its geometry column, type and spatial reference.
#[cfg(feature = "geopackage")]
#[derive(Clone, Default)]
struct FeatureTable {
    name: String,
    column: String,
    kind: String,
    srs_id: i64,
}

#[cfg(feature = "geopackage")]
fn sql_error(at: &Location, what: &str, e: rusqlite::Error) -> Error {
    Error::LayerFormat {
        at: at.clone(),
        reason: format!("{what} ({e})"),
    }
}

#[cfg(feature = "geopackage")]
fn is_polygonal(kind: &str) -> bool {
    matches!(
        kind.to_ascii_uppercase().as_str(),
        "POLYGON" | "MULTIPOLYGON" | "GEOMETRY"
    )
}

/// Every feature table, by name.
#[cfg(feature = "geopackage")]
fn feature_tables(db: &rusqlite::Connection, file: &Location) -> Result<Vec<FeatureTable>> {
    db.prepare(
        "SELECT c.table_name, g.column_name, g.geometry_type_name, g.srs_id
         FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
         WHERE c.data_type = 'features' ORDER BY c.table_name",
    )
    .and_then(|mut s| {
        s.query_map([], |r| {
            Ok(FeatureTable {
                name: r.get(0)?,
                column: r.get(1)?,
                kind: r.get(2)?,
                srs_id: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()
    })
    .map_err(|e| {
        sql_error(
            file,
            "expected a GeoPackage (gpkg_contents and gpkg_geometry_columns tables), found an SQLite file without them",
            e,
        )
    })
}

/// The table `wanted`, or else the only polygon table.
#[cfg(feature = "geopackage")]
fn choose_table(
    mut tables: Vec<FeatureTable>,
    wanted: Option<&str>,
    file: &Location,
) -> Result<FeatureTable> {
    let describe = |t: &[FeatureTable]| {
        t.iter()
            .map(|t| format!("{} ({})", t.name, t.kind))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let refuse = |reason: String| {
        Err(Error::LayerFormat {
            at: file.clone(),
            reason,
        })
    };
    if let Some(wanted) = wanted {
        return match tables.iter().position(|t| t.name == wanted) {
            Some(i) => Ok(tables.swap_remove(i)),
            None => refuse(format!(
                "no feature table `{wanted}` (feature tables: {})",
                if tables.is_empty() {
                    "none".into()
                } else {
                    describe(&tables)
                }
            )),
        };
    }
    let polygonal: Vec<FeatureTable> = tables
        .iter()
        .filter(|t| is_polygonal(&t.kind))
        .cloned()
        .collect();
    match polygonal.len() {
        1 => Ok(polygonal.into_iter().next().unwrap_or_default()),
        0 => refuse(format!(
            "expected a polygon feature table, found {}",
            if tables.is_empty() {
                "no feature table".into()
            } else {
                format!("only {}", describe(&tables))
            }
        )),
        n => refuse(format!(
            "{n} polygon tables: {}; choose one with --areas-layer NAME",
            describe(&polygonal)
        )),
    }
}

/// The coordinate system `srs_id` names in `gpkg_spatial_ref_sys`.
#[cfg(feature = "geopackage")]
fn declared_crs(db: &rusqlite::Connection, srs_id: i64, at: &Location) -> Result<DeclaredCrs> {
    if srs_id <= 0 {
        // -1 undefined Cartesian, 0 undefined geographic: nothing stated
        return Ok(DeclaredCrs::Unstated);
    }
    let row: Option<(String, i64, String)> = db
        .query_row(
            "SELECT organization, organization_coordsys_id, definition
             FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })
        .map_err(|e| sql_error(at, "cannot read gpkg_spatial_ref_sys", e))?;
    Ok(match row {
        Some((org, code, _)) if org.eq_ignore_ascii_case("EPSG") && code > 0 => {
            DeclaredCrs::Epsg(u32::try_from(code).unwrap_or(0))
        }
        Some((_, _, def)) if !def.trim().is_empty() && def.trim() != "undefined" => {
            DeclaredCrs::Definition(def.trim().to_string())
        }
        Some(_) => DeclaredCrs::Unstated,
        None => {
            return Err(Error::LayerFormat {
                at: at.clone(),
                reason: format!("srs_id {srs_id} is not in gpkg_spatial_ref_sys"),
            });
        }
    })
}

/// A column name or table name quoted for SQL.
#[cfg(feature = "geopackage")]
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A table's attribute columns (name, whether BOOLEAN: they hold 0/1) and its integer
/// primary key, if it has one (GDAL's `fid`, not an attribute).
#[cfg(feature = "geopackage")]
struct Columns {
    attributes: Vec<(String, bool)>,
    key: Option<String>,
}

/// The [`Columns`] of a table.
#[cfg(feature = "geopackage")]
fn attribute_columns(
    db: &rusqlite::Connection,
    table: &FeatureTable,
    at: &Location,
) -> Result<Columns> {
    let columns: Vec<(String, String, bool)> = db
        .prepare(&format!("PRAGMA table_info({})", quote(&table.name)))
        .and_then(|mut s| {
            s.query_map([], |r| {
                let decl: String = r.get(2)?;
                let pk: i64 = r.get(5)?;
                Ok((r.get(1)?, decl, pk == 1))
            })?
            .collect()
        })
        .map_err(|e| sql_error(at, "cannot list the table's columns", e))?;
    let key: Vec<&String> = columns.iter().filter(|c| c.2).map(|c| &c.0).collect();
    let key = match key.as_slice() {
        [one]
            if columns
                .iter()
                .any(|c| c.0 == **one && c.1.eq_ignore_ascii_case("INTEGER")) =>
        {
            Some((*one).clone())
        }
        _ => None,
    };
    let attributes = columns
        .iter()
        .filter(|c| Some(&c.0) != key.as_ref() && c.0 != table.column)
        .map(|c| (c.0.clone(), c.1.eq_ignore_ascii_case("BOOLEAN")))
        .collect();
    Ok(Columns { attributes, key })
}

/// Every row of the table, in key (or row) order: its geometry and attributes.
#[cfg(feature = "geopackage")]
fn read_features(
    db: &rusqlite::Connection,
    table: &FeatureTable,
    at: &Location,
) -> Result<Vec<RawFeature>> {
    use rusqlite::types::ValueRef;
    let Columns { attributes, key } = attribute_columns(db, table, at)?;
    let select = std::iter::once(quote(&table.column))
        .chain(attributes.iter().map(|(c, _)| quote(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let order = key.as_deref().map_or_else(|| "rowid".to_string(), quote);
    let mut statement = db
        .prepare(&format!(
            "SELECT {select} FROM {} ORDER BY {order}",
            quote(&table.name)
        ))
        .map_err(|e| sql_error(at, "cannot read the table", e))?;
    let mut rows = statement
        .query([])
        .map_err(|e| sql_error(at, "cannot read the table", e))?;
    let mut features = Vec::new();
    loop {
        let record = features.len() as u64 + 1;
        let row = match rows.next() {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(e) => return Err(sql_error(&at.record(record), "cannot read the row", e)),
        };
        let column = &table.column;
        let geometry = match row.get_ref(0) {
            Ok(ValueRef::Null) => MultiPolygon::new(Vec::new()),
            Ok(ValueRef::Blob(blob)) => {
                parse_geometry(blob).map_err(|reason| Error::LayerFormat {
                    at: at.record(record).field(column),
                    reason,
                })?
            }
            Ok(other) => {
                return Err(Error::BadField {
                    at: at.record(record).field(column),
                    expected: "a GeoPackage geometry blob",
                    found: format!("{:?}", other.data_type()).to_lowercase(),
                });
            }
            Err(e) => return Err(sql_error(&at.record(record), "cannot read the row", e)),
        };
        let mut properties = Map::new();
        for (i, (name, boolean)) in attributes.iter().enumerate() {
            let value = match row.get_ref(i + 1) {
                Ok(ValueRef::Null) | Err(_) => Value::Null,
                Ok(ValueRef::Integer(n)) if *boolean => Value::Bool(n != 0),
                Ok(ValueRef::Integer(n)) => Value::from(n),
                Ok(ValueRef::Real(x)) => super::raw::number(x),
                Ok(ValueRef::Text(t)) => Value::String(String::from_utf8_lossy(t).into_owned()),
                // a blob attribute has no JSON value
                Ok(ValueRef::Blob(_)) => Value::Null,
            };
            properties.insert(name.clone(), value);
        }
        features.push(RawFeature {
            properties,
            geometry,
        });
    }
    Ok(features)
}

/// Without the `geopackage` feature: a refusal that says how to get it.
#[cfg(not(feature = "geopackage"))]
pub(crate) fn read(path: &Path, table: Option<&str>) -> Result<RawLayer> {
    let _ = table;
    Err(Error::LayerFormat {
        at: Location::file(path),
        reason: "this sigmap was built without the `geopackage` feature: convert the layer to GeoJSON, or rebuild with it (it is on by default)".into(),
    })
}

/// A GeoPackage geometry blob: the `GP` header (magic, version, flags, srs_id, envelope),
/// then ISO WKB. The error is the reason only; the caller adds the record and column.
#[cfg(feature = "geopackage")]
fn parse_geometry(blob: &[u8]) -> std::result::Result<MultiPolygon<f64>, String> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return Err(format!(
            "expected a GeoPackage geometry (starting `GP`), found {} byte(s) starting {:02x?}",
            blob.len(),
            &blob[..blob.len().min(4)]
        ));
    }
    let (version, flags) = (blob[2], blob[3]);
    if version != 0 {
        return Err(format!(
            "expected GeoPackage geometry version 1 (byte 0), found byte {version}"
        ));
    }
    if flags & 0b0010_0000 != 0 {
        return Err("expected a standard GeoPackage geometry, found an extended one".into());
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        n => {
            return Err(format!(
                "invalid envelope code {n} in the geometry header flags"
            ));
        }
    };
    let empty = flags & 0b0001_0000 != 0;
    let start = 8 + envelope;
    let Some(wkb) = blob.get(start..) else {
        return Err(format!(
            "the geometry ends inside its header ({} byte(s), expected at least {start})",
            blob.len()
        ));
    };
    if empty {
        return Ok(MultiPolygon::new(Vec::new()));
    }
    let mut reader = Wkb { bytes: wkb, at: 0 };
    reader.multipolygon()
}

/// A bounds-checked reader over WKB bytes.
#[cfg(feature = "geopackage")]
struct Wkb<'a> {
    bytes: &'a [u8],
    at: usize,
}

#[cfg(feature = "geopackage")]
impl Wkb<'_> {
    fn take<const N: usize>(&mut self) -> std::result::Result<[u8; N], String> {
        let b = self
            .bytes
            .get(self.at..self.at + N)
            .and_then(|b| <[u8; N]>::try_from(b).ok())
            .ok_or_else(|| {
                format!(
                    "the WKB ends early: {} byte(s), expected more at byte {}",
                    self.bytes.len(),
                    self.at
                )
            })?;
        self.at += N;
        Ok(b)
    }

    fn u32(&mut self, little: bool) -> std::result::Result<u32, String> {
        let b = self.take::<4>()?;
        Ok(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self, little: bool) -> std::result::Result<f64, String> {
        let b = self.take::<8>()?;
        Ok(if little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// Byte order, then the type: (little endian, base type 1-7..., coordinates per vertex).
    fn head(&mut self) -> std::result::Result<(bool, u32, usize), String> {
        let little = match self.take::<1>()?[0] {
            0 => false,
            1 => true,
            b => return Err(format!("expected a WKB byte order (0 or 1), found {b}")),
        };
        let code = self.u32(little)?;
        // ISO: 1000s for Z, M, ZM; EWKB: high bits (as GDAL also accepts)
        let (z, m) = (code & 0x8000_0000 != 0, code & 0x4000_0000 != 0);
        if code & 0x2000_0000 != 0 {
            self.take::<4>()?; // EWKB SRID
        }
        let iso = code & 0x0fff_ffff;
        let (base, dims) = match iso / 1000 {
            0 => (iso, 2 + usize::from(z) + usize::from(m)),
            1 | 2 => (iso % 1000, 3),
            3 => (iso % 1000, 4),
            _ => return Err(format!("expected a WKB geometry type, found code {code}")),
        };
        Ok((little, base, dims))
    }

    fn count(
        &mut self,
        little: bool,
        item_bytes: usize,
        what: &str,
    ) -> std::result::Result<usize, String> {
        let n = self.u32(little)? as usize;
        // a count that cannot fit in what is left is refused before any allocation
        let left = self.bytes.len().saturating_sub(self.at);
        if n.saturating_mul(item_bytes) > left {
            return Err(format!(
                "the WKB announces {n} {what} but only {left} byte(s) follow"
            ));
        }
        Ok(n)
    }

    fn polygon_body(
        &mut self,
        little: bool,
        dims: usize,
    ) -> std::result::Result<Polygon<f64>, String> {
        let n_rings = self.count(little, 4, "rings")?;
        let mut rings = Vec::with_capacity(n_rings);
        for _ in 0..n_rings {
            let n = self.count(little, 8 * dims, "points")?;
            let mut ring = Vec::with_capacity(n);
            for _ in 0..n {
                let x = self.f64(little)?;
                let y = self.f64(little)?;
                for _ in 2..dims {
                    self.f64(little)?; // Z and M are dropped
                }
                ring.push(Coord { x, y });
            }
            rings.push(LineString::new(ring));
        }
        let mut rings = rings.into_iter();
        Ok(match rings.next() {
            Some(exterior) => Polygon::new(exterior, rings.collect()),
            None => Polygon::new(LineString::new(Vec::new()), Vec::new()),
        })
    }

    fn multipolygon(&mut self) -> std::result::Result<MultiPolygon<f64>, String> {
        let (little, base, dims) = self.head()?;
        match base {
            3 => {
                let p = self.polygon_body(little, dims)?;
                Ok(MultiPolygon::new(if p.exterior().0.is_empty() {
                    vec![]
                } else {
                    vec![p]
                }))
            }
            6 => {
                let n = self.count(little, 9, "polygons")?;
                let mut polygons = Vec::with_capacity(n);
                for _ in 0..n {
                    let (little, base, dims) = self.head()?;
                    if base != 3 {
                        return Err(format!(
                            "expected a Polygon inside the MultiPolygon, found {}",
                            type_name(base)
                        ));
                    }
                    let p = self.polygon_body(little, dims)?;
                    if !p.exterior().0.is_empty() {
                        polygons.push(p);
                    }
                }
                Ok(MultiPolygon::new(polygons))
            }
            other => Err(format!(
                "expected a Polygon or MultiPolygon, found {}",
                type_name(other)
            )),
        }
    }
}

#[cfg(feature = "geopackage")]
fn type_name(code: u32) -> String {
    match code {
        1 => "a Point".into(),
        2 => "a LineString".into(),
        4 => "a MultiPoint".into(),
        5 => "a MultiLineString".into(),
        7 => "a GeometryCollection".into(),
        8 => "a CircularString".into(),
        9 => "a CompoundCurve".into(),
        10 => "a CurvePolygon".into(),
        11 => "a MultiCurve".into(),
        12 => "a MultiSurface".into(),
        15 => "a PolyhedralSurface".into(),
        16 => "a TIN".into(),
        17 => "a Triangle".into(),
        n => format!("WKB geometry type {n}"),
    }
}

#[cfg(all(test, feature = "geopackage"))]
mod tests {
    use super::*;

    /// A GeoPackage blob: header with the given flags and envelope size, then `wkb`.
    fn blob(flags: u8, envelope: usize, wkb: &[u8]) -> Vec<u8> {
        let mut b = vec![b'G', b'P', 0, flags];
        b.extend_from_slice(&4326i32.to_le_bytes());
        b.extend(std::iter::repeat_n(0u8, envelope));
        b.extend_from_slice(wkb);
        b
    }

    /// WKB Polygon of one ring, `dims` coordinates per vertex, in either byte order.
    fn polygon(little: bool, code: u32, dims: usize, ring: &[(f64, f64)]) -> Vec<u8> {
        let u32b = |v: u32| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let f64b = |v: f64| {
            if little {
                v.to_le_bytes()
            } else {
                v.to_be_bytes()
            }
        };
        let mut b = vec![u8::from(little)];
        b.extend_from_slice(&u32b(code));
        b.extend_from_slice(&u32b(1));
        b.extend_from_slice(&u32b(ring.len() as u32));
        for &(x, y) in ring {
            b.extend_from_slice(&f64b(x));
            b.extend_from_slice(&f64b(y));
            for extra in 2..dims {
                b.extend_from_slice(&f64b(100.0 + extra as f64));
            }
        }
        b
    }

    const RING: [(f64, f64); 4] = [(0.0, 51.0), (1.0, 51.0), (0.0, 52.0), (0.0, 51.0)];

    #[test]
    fn polygons_in_every_byte_order_and_dimension() {
        for little in [true, false] {
            // XY, ISO Z, ISO M, ISO ZM, EWKB Z
            for (code, dims) in [(3, 2), (1003, 3), (2003, 3), (3003, 4), (0x8000_0003, 3)] {
                for (flags, envelope) in [
                    (0b01, 0),
                    (0b11, 32),
                    (0b101, 48),
                    (0b111, 48),
                    (0b1001, 64),
                ] {
                    let mp =
                        parse_geometry(&blob(flags, envelope, &polygon(little, code, dims, &RING)))
                            .unwrap();
                    assert_eq!(mp.0.len(), 1, "{code} {flags}");
                    let got: Vec<(f64, f64)> =
                        mp.0[0].exterior().0.iter().map(|c| (c.x, c.y)).collect();
                    assert_eq!(got, RING.to_vec(), "{little} {code} {flags}");
                }
            }
        }
    }

    #[test]
    fn multipolygons_mix_byte_orders() {
        let mut wkb = vec![1u8];
        wkb.extend_from_slice(&6u32.to_le_bytes());
        wkb.extend_from_slice(&2u32.to_le_bytes());
        wkb.extend(polygon(false, 3, 2, &RING));
        wkb.extend(polygon(true, 1003, 3, &RING));
        let mp = parse_geometry(&blob(1, 0, &wkb)).unwrap();
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0[1].exterior().0[1], Coord { x: 1.0, y: 51.0 });
    }

    #[test]
    fn empty_flag_and_empty_polygon() {
        // empty flag: whatever follows is not read
        assert!(
            parse_geometry(&blob(0b1_0001, 0, &[]))
                .unwrap()
                .0
                .is_empty()
        );
        let mut wkb = vec![1u8];
        wkb.extend_from_slice(&3u32.to_le_bytes());
        wkb.extend_from_slice(&0u32.to_le_bytes());
        assert!(parse_geometry(&blob(1, 0, &wkb)).unwrap().0.is_empty());
    }

    #[test]
    fn malformed_blobs_are_refused_with_reasons() {
        let good = polygon(true, 3, 2, &RING);
        let err = |b: &[u8]| parse_geometry(b).unwrap_err();
        assert!(err(b"XP\0\x01\0\0\0\0").contains("starting `GP`"));
        assert!(err(b"GP").contains("starting `GP`"));
        assert!(err(&blob(1, 0, &good)[..11]).contains("ends early"));
        assert!(
            err(&blob(1, 0, &good)[..40]).contains("announces 4 points but only 19 byte(s) follow")
        );
        assert!(err(&blob(0b1011, 0, &good)).contains("invalid envelope code 5"));
        // envelope flag says 64 bytes but the blob is shorter
        assert!(err(&blob(0b1001, 0, &[])).contains("ends inside its header"));
        assert!(err(&blob(0b10_0001, 0, &good)).contains("extended"));
        let mut v2 = blob(1, 0, &good);
        v2[2] = 1;
        assert!(err(&v2).contains("version 1"));
        let mut bad_order = good.clone();
        bad_order[0] = 7;
        assert!(err(&blob(1, 0, &bad_order)).contains("byte order (0 or 1), found 7"));
        // a point, and a line string inside a multipolygon
        let mut point = vec![1u8];
        point.extend_from_slice(&1u32.to_le_bytes());
        point.extend_from_slice(&[0; 16]);
        assert_eq!(
            err(&blob(1, 0, &point)),
            "expected a Polygon or MultiPolygon, found a Point"
        );
        let mut multi = vec![1u8];
        multi.extend_from_slice(&6u32.to_le_bytes());
        multi.extend_from_slice(&1u32.to_le_bytes());
        multi.push(1);
        multi.extend_from_slice(&2u32.to_le_bytes());
        multi.extend_from_slice(&[0; 8]);
        assert!(err(&blob(1, 0, &multi)).contains("found a LineString"));
        // a huge ring count is refused before allocating
        let mut huge = vec![1u8];
        huge.extend_from_slice(&3u32.to_le_bytes());
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(err(&blob(1, 0, &huge)).contains("announces 4294967295 rings"));
        assert!(err(&blob(1, 0, &[1, 0x39, 0x30, 0, 0])).contains("found code 12345"));
    }
}
