//! GeoJSON layers: a FeatureCollection of Polygons and MultiPolygons, with the legacy
//! (pre-RFC 7946) `crs` member that GDAL still writes for anything but WGS84.

use super::raw::{DeclaredCrs, RawFeature, RawLayer};
use crate::error::{Error, Location, Result};
use geo::MultiPolygon;
use geojson::{FeatureCollection, GeometryValue};

/// Parses GeoJSON text into a raw layer; `at` names the file. `sha256`: the text's
/// checksum when it is known (a shipped layer's), else it is computed.
pub(crate) fn read(text: &str, at: &Location, sha256: Option<&str>) -> Result<RawLayer> {
    // the checksum costs as much as a tenth of the parse: take it on another thread
    let (fast, sha256) = rayon::join(
        || super::geojson_fast::read(text).filter(|layer| !layer.features.is_empty()),
        || sha256.map_or_else(|| super::hex_sha256(text.as_bytes()), str::to_string),
    );
    if let Some(layer) = fast {
        let features = layer
            .features
            .into_iter()
            .map(|(properties, geometry)| RawFeature {
                properties,
                geometry,
            })
            .collect();
        return Ok(RawLayer {
            features,
            declared_crs: declared_crs(layer.crs.as_ref(), at)?,
            sha256,
            at: at.clone(),
        });
    }
    let parsed = text.parse::<geojson::GeoJson>();
    let collection: FeatureCollection = match parsed {
        Ok(geojson::GeoJson::FeatureCollection(fc)) => fc,
        Ok(other) => {
            return Err(Error::BadField {
                at: at.clone(),
                expected: "a FeatureCollection",
                found: match other {
                    geojson::GeoJson::Feature(_) => "a Feature".into(),
                    _ => "a bare Geometry".into(),
                },
            });
        }
        Err(geojson::Error::MalformedGeoJson(source)) if source.is_syntax() || source.is_eof() => {
            return Err(Error::Json {
                at: at.clone(),
                source,
            });
        }
        Err(source) => {
            return Err(Error::GeoJson {
                at: at.clone(),
                source: Box::new(source),
            });
        }
    };
    if collection.features.is_empty() {
        return Err(Error::Empty {
            at: at.clone(),
            what: "the FeatureCollection",
        });
    }
    let crs = collection
        .foreign_members
        .as_ref()
        .and_then(|m| m.get("crs"));
    let declared_crs = declared_crs(crs, at)?;
    let features = collection
        .features
        .into_iter()
        .enumerate()
        .map(|(i, feature)| {
            let geometry = match &feature.geometry {
                None => MultiPolygon::new(vec![]),
                Some(g) if let Some(n) = short_position(&g.value) => {
                    return Err(Error::BadField {
                        at: at.record(i as u64 + 1).field("geometry"),
                        expected: "positions of at least two numbers (x and y)",
                        found: format!("a position of {n}"),
                    });
                }
                Some(g) => to_multipolygon(&g.value).ok_or_else(|| Error::BadField {
                    at: at.record(i as u64 + 1).field("geometry"),
                    expected: "a Polygon or MultiPolygon",
                    found: g.value.type_name().to_string(),
                })?,
            };
            Ok(RawFeature {
                properties: feature.properties.unwrap_or_default(),
                geometry,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RawLayer {
        features,
        declared_crs,
        sha256,
        at: at.clone(),
    })
}

/// The length of the first position of a (Multi)Polygon with fewer than two numbers: the
/// geojson crate's conversion indexes `[0]` and `[1]` unchecked (a panic, found by fuzzing).
fn short_position(value: &GeometryValue) -> Option<usize> {
    let short = |p: &geojson::Position| (p.len() < 2).then_some(p.len());
    match value {
        GeometryValue::Polygon { coordinates } => coordinates.iter().flatten().find_map(short),
        GeometryValue::MultiPolygon { coordinates } => {
            coordinates.iter().flatten().flatten().find_map(short)
        }
        _ => None,
    }
}

pub(super) fn to_multipolygon(value: &GeometryValue) -> Option<MultiPolygon<f64>> {
    match value {
        GeometryValue::Polygon { .. } => geo::Polygon::try_from(value)
            .ok()
            .map(|p| MultiPolygon::new(vec![p])),
        GeometryValue::MultiPolygon { .. } => MultiPolygon::try_from(value).ok(),
        _ => None,
    }
}

/// The legacy `crs` member: `{"type": "name", "properties": {"name": "EPSG:27700"}}` (or an
/// OGC URN such as `urn:ogc:def:crs:EPSG::27700`, or `urn:ogc:def:crs:OGC:1.3:CRS84`).
fn declared_crs(crs: Option<&serde_json::Value>, at: &Location) -> Result<DeclaredCrs> {
    let Some(crs) = crs else {
        return Ok(DeclaredCrs::Unstated);
    };
    if crs.is_null() {
        return Ok(DeclaredCrs::Unstated);
    }
    let name = crs
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    match (crs.get("type").and_then(|t| t.as_str()), name) {
        (Some("name"), Some(name)) => Ok(crs_from_name(name)),
        _ => Err(Error::BadField {
            at: at.field("crs"),
            expected: "a named coordinate system ({\"type\": \"name\", \"properties\": {\"name\": \"EPSG:27700\"}})",
            found: crate::text::excerpt(&crs.to_string()),
        }),
    }
}

/// `EPSG:27700`, `urn:ogc:def:crs:EPSG::27700`, `urn:ogc:def:crs:EPSG:6.6:27700`,
/// `http://www.opengis.net/def/crs/EPSG/0/27700`, `urn:ogc:def:crs:OGC:1.3:CRS84`, ...
pub(crate) fn crs_from_name(name: &str) -> DeclaredCrs {
    let trimmed = name.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.ends_with("crs84") || lower.ends_with("crs:84") {
        return DeclaredCrs::Epsg(4326);
    }
    let is_epsg = lower.starts_with("epsg:")
        || lower.starts_with("urn:ogc:def:crs:epsg:")
        || lower.contains("/def/crs/epsg/");
    let code = lower
        .rsplit([':', '/'])
        .next()
        .and_then(|c| c.parse::<u32>().ok());
    match code {
        Some(code) if is_epsg => DeclaredCrs::Epsg(code),
        _ => DeclaredCrs::Definition(trimmed.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_of_one_number_is_an_error_not_a_panic() {
        // fuzz/regressions/geojson/short_position: the geojson crate indexed [1] unchecked
        for coordinates in [
            r#""type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1], [0, 0]]]"#,
            r#""type": "MultiPolygon", "coordinates": [[[[0, 0], [], [1, 1], [0, 0]]]]"#,
        ] {
            let text = format!(
                r#"{{"type": "FeatureCollection", "features": [{{"type": "Feature", "properties": {{}}, "geometry": {{{coordinates}}}}}]}}"#
            );
            let err = read(&text, &Location::file("f.geojson"), None).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("f.geojson: record 1, field geometry: expected positions"),
                "{err}"
            );
        }
    }

    #[test]
    fn crs_names() {
        for (name, code) in [
            ("EPSG:27700", 27700),
            ("urn:ogc:def:crs:EPSG::27700", 27700),
            ("urn:ogc:def:crs:EPSG:6.6:27700", 27700),
            ("http://www.opengis.net/def/crs/EPSG/0/27700", 27700),
            ("urn:ogc:def:crs:OGC:1.3:CRS84", 4326),
            ("epsg:4326", 4326),
        ] {
            assert_eq!(crs_from_name(name), DeclaredCrs::Epsg(code), "{name}");
        }
        assert_eq!(
            crs_from_name("OSGB 1936 / British National Grid"),
            DeclaredCrs::Definition("OSGB 1936 / British National Grid".into())
        );
    }
}
