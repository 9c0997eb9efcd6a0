//! Shapefiles: `.shp` with its `.dbf` (attributes, in the encoding its `.cpg` names) and
//! `.prj` (coordinate system), alone or zipped.
//!
//! The `.shp` is parsed by the `shapefile` crate and the `.dbf` by its `dbase`; the rest is
//! here: finding the sibling files (extensions in any case), the one Shapefile of a zip, the
//! `.dbf` text encoding, and rings grouped into polygons as GDAL does.

use super::raw::RawLayer;
#[cfg(feature = "shapefile")]
use super::raw::{DeclaredCrs, RawFeature};
#[cfg(feature = "shapefile")]
use crate::error::IoAction;
use crate::error::{Error, Location, Result};
#[cfg(feature = "shapefile")]
use geo::{Coord, LineString, MultiPolygon, Polygon};
#[cfg(feature = "shapefile")]
use serde_json::{Map, Value};
use std::path::Path;

/// The x and y of every ring (Z and M are dropped).
#[cfg(feature = "shapefile")]
fn ring_coords<P: shapefile::record::traits::HasXY>(
    rings: &[shapefile::PolygonRing<P>],
) -> Vec<Vec<Coord<f64>>> {
    rings
        .iter()
        .map(|r| {
            r.points()
                .iter()
                .map(|p| Coord { x: p.x(), y: p.y() })
                .collect()
        })
        .collect()
}

/// Reads a `.shp` and the `.dbf`, `.prj` and `.cpg` beside it.
#[cfg(feature = "shapefile")]
pub(crate) fn read(path: &Path) -> Result<RawLayer> {
    let at = Location::file(path);
    let shp = std::fs::read(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, IoAction::Read, e))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let sibling = |ext: &str| -> Result<Option<Vec<u8>>> {
        match find_sibling(&names, &stem, ext) {
            Some(name) => {
                let p = dir.join(name);
                std::fs::read(&p)
                    .map(Some)
                    .map_err(|e| Error::io(&p, IoAction::Read, e))
            }
            None => Ok(None),
        }
    };
    let parts = Parts {
        dbf: sibling("dbf")?,
        prj: sibling("prj")?,
        cpg: sibling("cpg")?,
    };
    let sha256 = super::hex_sha256(&shp);
    from_parts(&shp, parts, sha256, at)
}

/// Reads the one Shapefile inside a `.zip`.
#[cfg(feature = "shapefile")]
pub(crate) fn read_zip(path: &Path) -> Result<RawLayer> {
    use std::io::Read;
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
    let sha256 = super::hex_sha256(&bytes);
    let at = Location::file(path);
    let bad_zip = |e: zip::result::ZipError| Error::LayerFormat {
        at: at.clone(),
        reason: format!("not a readable zip archive ({e})"),
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).map_err(bad_zip)?;
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(bad_zip)?
        .into_iter()
        .filter(|n| !n.starts_with("__MACOSX/") && !n.ends_with('/'))
        .collect();
    let shps: Vec<&String> = names
        .iter()
        .filter(|n| n.to_ascii_lowercase().ends_with(".shp"))
        .collect();
    let shp_name = match shps.as_slice() {
        [one] => (*one).clone(),
        [] => {
            return Err(Error::LayerFormat {
                at,
                reason: format!(
                    "expected one Shapefile (.shp) in the zip, found none (members: {})",
                    list(&names)
                ),
            });
        }
        many => {
            return Err(Error::LayerFormat {
                at,
                reason: format!(
                    "expected one Shapefile (.shp) in the zip, found {}: {}; unzip it and give the one to read",
                    many.len(),
                    list(&many.iter().map(|s| s.to_string()).collect::<Vec<_>>())
                ),
            });
        }
    };
    let stem = &shp_name[..shp_name.len() - 4];
    let mut member = |name: &str| -> Result<Vec<u8>> {
        let mut file = archive.by_name(name).map_err(bad_zip)?;
        let mut out = Vec::new();
        // bounded: a zip bomb stops at the limit instead of filling the memory
        (&mut file)
            .take(MAX_MEMBER_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| Error::LayerFormat {
                at: at.clone(),
                reason: format!("cannot inflate member `{name}` ({e})"),
            })?;
        if out.len() as u64 > MAX_MEMBER_BYTES {
            return Err(Error::LayerFormat {
                at: at.clone(),
                reason: format!(
                    "member `{name}` inflates to more than {} MiB",
                    MAX_MEMBER_BYTES >> 20
                ),
            });
        }
        Ok(out)
    };
    let shp = member(&shp_name)?;
    let with_ext = |ext: &str| {
        names
            .iter()
            .find(|n| {
                n.len() == stem.len() + 4
                    && n.starts_with(stem)
                    && n[stem.len()..].eq_ignore_ascii_case(&format!(".{ext}"))
            })
            .cloned()
    };
    let (dbf, prj, cpg) = (with_ext("dbf"), with_ext("prj"), with_ext("cpg"));
    let parts = Parts {
        dbf: dbf.map(|n: String| member(&n)).transpose()?,
        prj: prj.map(|n: String| member(&n)).transpose()?,
        cpg: cpg.map(|n: String| member(&n)).transpose()?,
    };
    let inner = Location::file(format!("{}!{shp_name}", path.display()));
    from_parts(&shp, parts, sha256, inner)
}

/// Without the `shapefile` feature: a refusal that says how to get it.
#[cfg(not(feature = "shapefile"))]
pub(crate) fn read(path: &Path) -> Result<RawLayer> {
    Err(not_built(path))
}

/// Without the `shapefile` feature: a refusal that says how to get it.
#[cfg(not(feature = "shapefile"))]
pub(crate) fn read_zip(path: &Path) -> Result<RawLayer> {
    Err(not_built(path))
}

#[cfg(not(feature = "shapefile"))]
fn not_built(path: &Path) -> Error {
    Error::LayerFormat {
        at: Location::file(path),
        reason: "this sigmap was built without the `shapefile` feature: convert the layer to GeoJSON, or rebuild with it (it is on by default)".into(),
    }
}

/// The largest member of a zip that is read (1 GiB: a full-resolution UK layer is tens of MB).
#[cfg(feature = "shapefile")]
const MAX_MEMBER_BYTES: u64 = 1 << 30;

/// The files beside a `.shp`.
#[cfg(feature = "shapefile")]
struct Parts {
    dbf: Option<Vec<u8>>,
    prj: Option<Vec<u8>>,
    cpg: Option<Vec<u8>>,
}

/// `stem.ext` among `names`, the extension in any case (`.DBF` beside `.SHP`); the exact
/// lower-case name first.
#[cfg(feature = "shapefile")]
fn find_sibling<'a>(names: &'a [String], stem: &str, ext: &str) -> Option<&'a String> {
    let exact = format!("{stem}.{ext}");
    names.iter().find(|n| **n == exact).or_else(|| {
        names.iter().find(|n| {
            n.len() == exact.len()
                && n.starts_with(stem)
                && n[stem.len()..].eq_ignore_ascii_case(&exact[stem.len()..])
        })
    })
}

#[cfg(feature = "shapefile")]
fn list(names: &[String]) -> String {
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

#[cfg(feature = "shapefile")]
fn from_parts(shp: &[u8], parts: Parts, sha256: String, at: Location) -> Result<RawLayer> {
    let Some(dbf) = parts.dbf else {
        return Err(Error::LayerFormat {
            at,
            reason: "no .dbf beside the .shp: a Shapefile's attributes (the area codes and names) are in the .dbf of the same name".into(),
        });
    };
    let shapes = read_shapes(shp, &at)?;
    let attributes = read_dbf(&dbf, parts.cpg.as_deref(), &at)?;
    if attributes.len() != shapes.len() {
        return Err(Error::LayerFormat {
            at,
            reason: format!(
                "expected as many .dbf records as .shp shapes, found {} record(s) and {} shape(s)",
                attributes.len(),
                shapes.len()
            ),
        });
    }
    let features = shapes
        .into_iter()
        .zip(attributes)
        // a deleted .dbf record hides its shape (GDAL skips it too)
        .filter_map(|(geometry, properties)| {
            properties.map(|properties| RawFeature {
                properties,
                geometry,
            })
        })
        .collect();
    let declared_crs = match parts.prj {
        Some(prj) => {
            let text = String::from_utf8_lossy(&prj).trim().to_string();
            if text.is_empty() {
                DeclaredCrs::Unstated
            } else {
                DeclaredCrs::Definition(text)
            }
        }
        None => DeclaredCrs::Unstated,
    };
    Ok(RawLayer {
        features,
        declared_crs,
        sha256,
        at,
    })
}

/// Every shape of the `.shp`, as polygons (empty for a null shape).
#[cfg(feature = "shapefile")]
fn read_shapes(shp: &[u8], at: &Location) -> Result<Vec<MultiPolygon<f64>>> {
    use super::coords::{unusable, unusable_error};
    use shapefile::Shape;
    let mut reader =
        shapefile::ShapeReader::new(std::io::Cursor::new(shp)).map_err(|e| Error::LayerFormat {
            at: at.clone(),
            reason: format!("expected a Shapefile (.shp) header, found an unreadable one ({e})"),
        })?;
    let mut out = Vec::new();
    for (i, shape) in reader.iter_shapes().enumerate() {
        let rec = at.record(i as u64 + 1).field("geometry");
        let shape = shape.map_err(|e| Error::LayerFormat {
            at: rec.clone(),
            reason: match &e {
                shapefile::Error::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
                    "the .shp ends inside this shape (a truncated file?)".to_string()
                }
                _ => format!("unreadable shape ({e})"),
            },
        })?;
        let rings: Vec<Vec<Coord<f64>>> = match shape {
            Shape::NullShape => Vec::new(),
            Shape::Polygon(p) => ring_coords(p.rings()),
            Shape::PolygonM(p) => ring_coords(p.rings()),
            Shape::PolygonZ(p) => ring_coords(p.rings()),
            other => {
                return Err(Error::BadField {
                    at: rec,
                    expected: "a polygon shape (Polygon, PolygonM or PolygonZ)",
                    found: format!("a {} shape", other.shapetype()),
                });
            }
        };
        // before the rings are grouped: geo's containment tests panic on a NaN and on
        // coordinates beyond exact geometry (found by fuzzing); `check_finite` runs later
        if let Some(&c) = rings.iter().flatten().find(|&&c| unusable(c).is_some()) {
            return Err(unusable_error(rec, c));
        }
        out.push(organise_rings(rings));
    }
    Ok(out)
}

/// Groups a shape's rings into polygons as GDAL does for Shapefiles: clockwise rings are
/// exteriors (the Shapefile rule); a counter-clockwise ring is a hole of the smallest exterior
/// whose interior it reaches, and an exterior of its own when it reaches none (files written
/// with the wrong orientation still give every ring).
#[cfg(feature = "shapefile")]
pub(crate) fn organise_rings(rings: Vec<Vec<Coord<f64>>>) -> MultiPolygon<f64> {
    use geo::{
        Area, BoundingRect, CoordinatePosition, InteriorPoint, coordinate_position::CoordPos,
    };
    let rings: Vec<LineString<f64>> = rings
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let mut ls = LineString::new(r);
            ls.close();
            ls
        })
        .collect();
    if rings.len() <= 1 {
        return MultiPolygon::new(
            rings
                .into_iter()
                .map(|r| Polygon::new(r, Vec::new()))
                .collect(),
        );
    }
    // signed area: negative for clockwise
    let signed: Vec<f64> = rings
        .iter()
        .map(|r| Polygon::new(r.clone(), Vec::new()).signed_area())
        .collect();
    let outers: Vec<usize> = (0..rings.len()).filter(|&i| signed[i] <= 0.0).collect();
    let mut polygons: Vec<(Polygon<f64>, f64)> = outers
        .iter()
        .map(|&i| (Polygon::new(rings[i].clone(), Vec::new()), -signed[i]))
        .collect();
    let boxes: Vec<_> = polygons.iter().map(|(p, _)| p.bounding_rect()).collect();
    let mut extra = Vec::new();
    for (i, ring) in rings.iter().enumerate() {
        if signed[i] <= 0.0 {
            continue;
        }
        // a hole of the smallest exterior that has one of the ring's vertices, edge midpoints
        // or inner point strictly inside (simplified holes often touch their exterior at
        // every vertex; invalid ones may cross it)
        let probes: Vec<Coord<f64>> = ring
            .0
            .iter()
            .copied()
            .chain(ring.lines().map(|l| (l.start + l.end) / 2.0))
            .chain(
                Polygon::new(ring.clone(), Vec::new())
                    .interior_point()
                    .map(|p| p.0),
            )
            .collect();
        let Some(rb) = ring.bounding_rect() else {
            continue;
        };
        let host = (0..polygons.len())
            .filter(|&k| {
                let Some(b) = boxes[k] else { return false };
                rb.min().x <= b.max().x
                    && rb.max().x >= b.min().x
                    && rb.min().y <= b.max().y
                    && rb.max().y >= b.min().y
                    && probes
                        .iter()
                        .any(|c| polygons[k].0.coordinate_position(c) == CoordPos::Inside)
            })
            .min_by(|&a, &b| polygons[a].1.total_cmp(&polygons[b].1));
        match host {
            Some(k) => polygons[k].0.interiors_push(ring.clone()),
            None => extra.push(Polygon::new(ring.clone(), Vec::new())),
        }
    }
    MultiPolygon::new(polygons.into_iter().map(|(p, _)| p).chain(extra).collect())
}

/// The `.dbf` records as JSON objects, in file order; `None` for a deleted record.
#[cfg(feature = "shapefile")]
fn read_dbf(
    dbf: &[u8],
    cpg: Option<&[u8]>,
    at: &Location,
) -> Result<Vec<Option<Map<String, Value>>>> {
    use shapefile::dbase;
    let bad = |reason: String| Error::LayerFormat {
        at: at.clone(),
        reason,
    };
    // the header once with a neutral encoding, for the field layout and the record count
    let probe = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::UnicodeLossy)
        .build(std::io::Cursor::new(dbf))
        .map_err(|e| {
            bad(format!(
                "expected a dBase (.dbf) header, found an unreadable one ({e})"
            ))
        })?;
    let header_len = usize::from(probe.header().offset_to_first_record);
    let fields: Vec<(String, usize)> = probe
        .fields()
        .iter()
        .map(|f| (f.name().to_string(), usize::from(f.length())))
        .collect();
    let record_len = 1 + fields.iter().map(|(_, l)| l).sum::<usize>();
    let declared = probe.header().num_records as usize;
    let body = dbf.get(header_len..).unwrap_or_default();
    let present = body.len() / record_len;
    if present < declared {
        return Err(bad(format!(
            "the .dbf header announces {declared} record(s) but the file holds {present} (a truncated file?)"
        )));
    }
    let records: Vec<&[u8]> = body.chunks_exact(record_len).take(declared).collect();
    let encoding = dbf_encoding(
        cpg,
        dbf.get(29).copied().unwrap_or(0),
        &records,
        &fields,
        at,
    )?;

    let mut reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding))
        .build(std::io::Cursor::new(dbf))
        .map_err(|e| bad(format!("unreadable .dbf ({e})")))?;
    let mut out: Vec<Option<Map<String, Value>>> = records
        .iter()
        .map(|r| (r[0] != b'*').then(Map::new))
        .collect();
    // the iterator skips deleted records: fill the live ones in order
    let mut live = out.iter_mut().enumerate().filter(|(_, r)| r.is_some());
    for record in reader.iter_records() {
        let Some((i, slot)) = live.next() else { break };
        let record = record.map_err(|e| {
            let field = e
                .field_index()
                .and_then(|f| fields.get(f.0))
                .map(|(name, _)| name.clone());
            let rec = at.record(i as u64 + 1);
            Error::LayerFormat {
                at: match field {
                    Some(f) => rec.field(f),
                    None => rec,
                },
                reason: format!("unreadable .dbf value ({})", e.kind()),
            }
        })?;
        let map: std::collections::HashMap<String, dbase::FieldValue> = record.into();
        let props = slot.get_or_insert_with(Map::new);
        for (name, _) in &fields {
            if let Some(v) = map.get(name) {
                props.insert(name.clone(), field_value(v));
            }
        }
    }
    Ok(out)
}

/// A `.dbf` value as JSON: text trimmed of its padding, whole numbers as integers, logicals
/// as booleans, dates as `YYYY-MM-DD`, blanks as null.
#[cfg(feature = "shapefile")]
fn field_value(v: &shapefile::dbase::FieldValue) -> Value {
    use shapefile::dbase::FieldValue as F;
    let text = |s: &str| {
        let s = s.trim_matches(|c: char| c == ' ' || c == '\0');
        if s.is_empty() {
            Value::Null
        } else {
            Value::String(s.to_string())
        }
    };
    match v {
        F::Character(Some(s)) | F::Memo(s) => text(s),
        F::Numeric(Some(n)) | F::Double(n) | F::Currency(n) => super::raw::number(*n),
        F::Float(Some(n)) => super::raw::number(f64::from(*n)),
        F::Integer(n) => Value::from(*n),
        F::Logical(Some(b)) => Value::Bool(*b),
        F::Date(Some(d)) => {
            Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
        }
        F::DateTime(dt) => {
            let (d, t) = (dt.date(), dt.time());
            Value::String(format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                d.year(),
                d.month(),
                d.day(),
                t.hours(),
                t.minutes(),
                t.seconds()
            ))
        }
        F::Character(None)
        | F::Numeric(None)
        | F::Float(None)
        | F::Logical(None)
        | F::Date(None) => Value::Null,
    }
}

/// The `.dbf` text encoding: the `.cpg` if there is one; else the header's language driver
/// id; else UTF-8 when every record is valid UTF-8, Windows-1252 otherwise (the usual
/// encoding of older files, and one that decodes any byte).
#[cfg(feature = "shapefile")]
fn dbf_encoding(
    cpg: Option<&[u8]>,
    ldid: u8,
    records: &[&[u8]],
    fields: &[(String, usize)],
    at: &Location,
) -> Result<&'static encoding_rs::Encoding> {
    let first_invalid = || {
        records.iter().enumerate().find_map(|(i, r)| {
            std::str::from_utf8(r).err().map(|e| {
                // the field holding the first bad byte
                let mut offset = 1;
                let field = fields.iter().find(|(_, len)| {
                    offset += len;
                    e.valid_up_to() < offset
                });
                (i, field.map(|(n, _)| n.clone()))
            })
        })
    };
    if let Some(cpg) = cpg {
        let label = String::from_utf8_lossy(cpg)
            .trim()
            .trim_start_matches('\u{feff}')
            .to_string();
        let Some(encoding) = encoding_for_label(&label) else {
            return Err(Error::LayerFormat {
                at: at.clone(),
                reason: format!(
                    "the .cpg names the encoding `{}`, which sigmap does not know; expected UTF-8, a Windows code page (1250-1258, e.g. `1252` or `ANSI 1252`) or an ISO-8859 part",
                    crate::text::excerpt(&label)
                ),
            });
        };
        if encoding == encoding_rs::UTF_8
            && let Some((i, field)) = first_invalid()
        {
            let rec = at.record(i as u64 + 1);
            return Err(Error::LayerFormat {
                at: match field {
                    Some(f) => rec.field(f),
                    None => rec,
                },
                reason: "the .cpg says UTF-8 but this value is not valid UTF-8: correct the .cpg (e.g. `1252` for Windows Latin)".into(),
            });
        }
        return Ok(encoding);
    }
    if let Some(encoding) = encoding_for_ldid(ldid) {
        return Ok(encoding);
    }
    Ok(match first_invalid() {
        None => encoding_rs::UTF_8,
        Some(_) => encoding_rs::WINDOWS_1252,
    })
}

/// A `.cpg` label: `UTF-8`, `65001`, `1252`, `CP1252`, `ANSI 1252`, `windows-1252`,
/// `ISO-8859-1`, `88591`, `8859-1`, and the WHATWG labels `encoding_rs` knows.
#[cfg(feature = "shapefile")]
pub(crate) fn encoding_for_label(label: &str) -> Option<&'static encoding_rs::Encoding> {
    let upper = label.trim().to_ascii_uppercase();
    let code = upper
        .strip_prefix("ANSI")
        .or_else(|| upper.strip_prefix("CP"))
        .or_else(|| upper.strip_prefix("WINDOWS-"))
        .unwrap_or(&upper)
        .trim();
    if code == "65001" {
        return Some(encoding_rs::UTF_8);
    }
    if let Ok(n) = code.parse::<u32>() {
        return match n {
            874 => Some(encoding_rs::WINDOWS_874),
            866 => Some(encoding_rs::IBM866),
            1250..=1258 => encoding_rs::Encoding::for_label(format!("windows-{n}").as_bytes()),
            8859 => None,
            // 88591 and friends
            88590..=88599 => {
                encoding_rs::Encoding::for_label(format!("iso-8859-{}", n - 88590).as_bytes())
            }
            885910..=885916 => {
                encoding_rs::Encoding::for_label(format!("iso-8859-{}", n - 885900).as_bytes())
            }
            _ => None,
        };
    }
    let iso = upper.strip_prefix("8859-").map(|p| format!("iso-8859-{p}"));
    encoding_rs::Encoding::for_label(iso.as_deref().unwrap_or(label.trim()).as_bytes())
}

/// The language driver id in byte 29 of a `.dbf` header, for the code pages `encoding_rs`
/// decodes (the DOS code pages 437 and 850 are not among them: such files fall back to the
/// UTF-8 / Windows-1252 rule).
#[cfg(feature = "shapefile")]
fn encoding_for_ldid(ldid: u8) -> Option<&'static encoding_rs::Encoding> {
    Some(match ldid {
        0x03 | 0x57 => encoding_rs::WINDOWS_1252,
        0x65 => encoding_rs::IBM866,
        0x7c => encoding_rs::WINDOWS_874,
        0x7d => encoding_rs::WINDOWS_1255,
        0x7e => encoding_rs::WINDOWS_1256,
        0xc8 => encoding_rs::WINDOWS_1250,
        0xc9 => encoding_rs::WINDOWS_1251,
        0xca => encoding_rs::WINDOWS_1254,
        0xcb => encoding_rs::WINDOWS_1253,
        _ => return None,
    })
}

#[cfg(all(test, feature = "shapefile"))]
mod tests {
    use super::*;

    #[test]
    fn cpg_labels() {
        for label in [
            "1252",
            "ANSI 1252",
            "CP1252",
            "windows-1252",
            "ISO-8859-1",
            "88591",
            "8859-1",
            "latin1",
        ] {
            assert_eq!(
                encoding_for_label(label),
                Some(encoding_rs::WINDOWS_1252),
                "{label}"
            );
        }
        for label in ["UTF-8", "utf8", "65001", " UTF-8\r\n"] {
            assert_eq!(
                encoding_for_label(label),
                Some(encoding_rs::UTF_8),
                "{label}"
            );
        }
        assert_eq!(
            encoding_for_label("ANSI 1251"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(
            encoding_for_label("ISO-8859-15"),
            Some(encoding_rs::ISO_8859_15)
        );
        assert_eq!(encoding_for_label("885915"), Some(encoding_rs::ISO_8859_15));
        assert_eq!(encoding_for_label("EBCDIC-42"), None);
        assert_eq!(encoding_for_label("1"), None);
    }

    fn fields() -> Vec<(String, usize)> {
        vec![("A".into(), 3), ("NAME".into(), 10)]
    }

    #[test]
    fn encoding_rules() {
        let at = Location::file("x.dbf");
        let utf8: &[u8] = b" abcYnys M\xc3\xb4n";
        let latin: &[u8] = b" abcYnys M\xf4n ";
        // no .cpg, no language driver: UTF-8 if it decodes, else Windows-1252
        assert_eq!(
            dbf_encoding(None, 0, &[utf8], &fields(), &at).unwrap(),
            encoding_rs::UTF_8
        );
        assert_eq!(
            dbf_encoding(None, 0, &[utf8, latin], &fields(), &at).unwrap(),
            encoding_rs::WINDOWS_1252
        );
        // the language driver id, then the .cpg, win
        assert_eq!(
            dbf_encoding(None, 0x57, &[utf8], &fields(), &at).unwrap(),
            encoding_rs::WINDOWS_1252
        );
        assert_eq!(
            dbf_encoding(Some(b"UTF-8"), 0x57, &[utf8], &fields(), &at).unwrap(),
            encoding_rs::UTF_8
        );
        // a .cpg that says UTF-8 over Windows-1252 bytes is refused at the value
        let e = dbf_encoding(Some(b"UTF-8"), 0, &[utf8, latin], &fields(), &at).unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.dbf: record 2, field NAME: the .cpg says UTF-8 but this value is not valid UTF-8: correct the .cpg (e.g. `1252` for Windows Latin)"
        );
        let e = dbf_encoding(Some(b"KOI9"), 0, &[utf8], &fields(), &at).unwrap_err();
        assert!(
            e.to_string().contains("`KOI9`, which sigmap does not know"),
            "{e}"
        );
    }

    #[test]
    fn values() {
        use shapefile::dbase::FieldValue as F;
        assert_eq!(
            field_value(&F::Character(Some("  Ynys Môn  ".into()))),
            Value::from("Ynys Môn")
        );
        assert_eq!(field_value(&F::Character(Some("   ".into()))), Value::Null);
        assert_eq!(field_value(&F::Character(None)), Value::Null);
        assert_eq!(field_value(&F::Numeric(Some(12.0))), serde_json::json!(12));
        assert_eq!(
            field_value(&F::Numeric(Some(-0.5))),
            serde_json::json!(-0.5)
        );
        assert_eq!(field_value(&F::Numeric(Some(f64::NAN))), Value::Null);
        assert_eq!(field_value(&F::Numeric(None)), Value::Null);
        assert_eq!(field_value(&F::Logical(Some(true))), Value::Bool(true));
        assert_eq!(field_value(&F::Logical(None)), Value::Null);
        assert_eq!(super::super::raw::number(1e300), serde_json::json!(1e300));
    }

    fn square(x: f64, y: f64, size: f64, clockwise: bool) -> Vec<Coord<f64>> {
        let mut r = vec![
            Coord { x, y },
            Coord { x: x + size, y },
            Coord {
                x: x + size,
                y: y + size,
            },
            Coord { x, y: y + size },
            Coord { x, y },
        ];
        if clockwise {
            r.reverse();
        }
        r
    }

    /// A `.shp` of one Polygon shape with these rings.
    fn shp_of(rings: &[Vec<(f64, f64)>]) -> Vec<u8> {
        let points: Vec<(f64, f64)> = rings.iter().flatten().copied().collect();
        let mut content = Vec::new();
        content.extend(5i32.to_le_bytes());
        content.extend([0.0f64; 4].iter().flat_map(|v| v.to_le_bytes()));
        content.extend((rings.len() as i32).to_le_bytes());
        content.extend((points.len() as i32).to_le_bytes());
        let mut start = 0i32;
        for r in rings {
            content.extend(start.to_le_bytes());
            start += r.len() as i32;
        }
        content.extend(
            points
                .iter()
                .flat_map(|(x, y)| [x.to_le_bytes(), y.to_le_bytes()])
                .flatten(),
        );
        let words = |bytes: usize| (bytes / 2) as i32;
        let mut shp = Vec::new();
        shp.extend(9994i32.to_be_bytes());
        shp.extend([0u8; 20]);
        shp.extend(words(100 + 8 + content.len()).to_be_bytes());
        shp.extend(1000i32.to_le_bytes());
        shp.extend(5i32.to_le_bytes());
        shp.extend([0.0f64; 8].iter().flat_map(|v| v.to_le_bytes()));
        shp.extend(1i32.to_be_bytes());
        shp.extend(words(content.len()).to_be_bytes());
        shp.extend(content);
        shp
    }

    #[test]
    fn a_vertex_that_is_not_a_number_is_an_error_not_a_panic() {
        // fuzz/regressions/shapefile: grouping rings with a NaN or an infinity panicked
        // in geo (a float comparison's unwrap, a sweep assertion)
        let at = Location::file("f.shp");
        let ring = |bad: f64| vec![(0.0, 0.0), (0.0, 1.0), (bad, 1.0), (1.0, 0.0), (0.0, 0.0)];
        let hole = vec![(0.2, 0.2), (0.4, 0.2), (0.4, 0.4), (0.2, 0.2)];
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let err = read_shapes(&shp_of(&[ring(bad), hole.clone()]), &at).unwrap_err();
            assert!(
                matches!(err, Error::SuspectCoordinates { .. }),
                "{bad}: {err}"
            );
            assert!(
                err.to_string()
                    .starts_with("f.shp: record 1, field geometry"),
                "{err}"
            );
        }
        assert_eq!(
            read_shapes(&shp_of(&[ring(1.0), hole]), &at).unwrap().len(),
            1
        );
    }

    #[test]
    fn rings_grouped_by_containment() {
        // two exteriors (clockwise, as the Shapefile rule has them), a hole of the second
        // written first, and a counter-clockwise ring outside both (an island written the
        // wrong way round)
        let mp = organise_rings(vec![
            square(11.0, 1.0, 1.0, false),
            square(0.0, 0.0, 4.0, true),
            square(10.0, 0.0, 4.0, true),
            square(20.0, 0.0, 1.0, false),
        ]);
        assert_eq!(mp.0.len(), 3);
        assert_eq!(mp.0[0].interiors().len(), 0);
        assert_eq!(mp.0[1].interiors().len(), 1);
        assert_eq!(mp.0[1].interiors()[0].0[0], Coord { x: 11.0, y: 1.0 });
        assert_eq!(mp.0[2].exterior().0[0], Coord { x: 20.0, y: 0.0 });
        // a hole inside nested exteriors goes to the smallest; a lone ring of either
        // orientation is one polygon
        let mp = organise_rings(vec![
            square(0.0, 0.0, 10.0, true),
            square(1.0, 1.0, 2.0, true),
            square(1.5, 1.5, 1.0, false),
        ]);
        assert_eq!(mp.0[0].interiors().len(), 0);
        assert_eq!(mp.0[1].interiors().len(), 1);
        // a triangular hole whose three vertices all lie on its exterior's edges
        let hole = vec![
            Coord { x: 2.0, y: 0.0 },
            Coord { x: 4.0, y: 2.0 },
            Coord { x: 0.0, y: 2.0 },
            Coord { x: 2.0, y: 0.0 },
        ];
        let mp = organise_rings(vec![square(0.0, 0.0, 4.0, true), hole]);
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(
            organise_rings(vec![square(0.0, 0.0, 1.0, false)]).0.len(),
            1
        );
        assert!(organise_rings(vec![]).0.is_empty());
    }
}
