//! The common case of a GeoJSON layer read straight into coordinates: a FeatureCollection of
//! Polygons and MultiPolygons, deserialized by serde without the geojson crate's untyped
//! detour (it buffers every object through `flatten`, then builds `Position`s and converts
//! them), which was most of the time of reading a full-resolution layer.
//!
//! It accepts a strict subset of what [`super::geojson::read`] accepts and gives the same
//! layer for it: anything else (another geometry type, an empty ring, a short position, any
//! error) is `None`, and the geojson crate reads the file again to give its answer or its
//! exact error. `tests` and the geojson fuzz target check the two agree.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use rayon::prelude::*;
use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::fmt;

/// Each feature's properties (empty when null) and polygons.
pub(super) type Features = Vec<(Map<String, Value>, MultiPolygon<f64>)>;

/// A FeatureCollection as the fast path reads it.
pub(super) struct FastLayer {
    /// Each feature's properties (empty when null) and polygons.
    pub features: Features,
    /// The legacy `crs` member, when present and not null.
    pub crs: Option<Value>,
}

/// Reads `text` if it is a plain FeatureCollection of Polygons and MultiPolygons.
///
/// The features are read in parallel, each from its own text. Where each one is comes from
/// [`split_features`] when the features start as writers write them, else from a serial
/// pass over the whole text that checks the JSON without reading a number.
pub(super) fn read(text: &str) -> Option<FastLayer> {
    split_features(text)
        .and_then(|(crs, features)| read_features(crs, &features))
        .or_else(|| read_serially(text))
}

/// [`read`] with the features found by a serial pass over the whole text.
fn read_serially(text: &str) -> Option<FastLayer> {
    let collection: Collection = serde_json::from_str(text).ok()?;
    let features: Vec<&str> = collection.features.iter().map(|r| r.get()).collect();
    read_features(collection.crs, &features)
}

/// The collection's `crs` (its other members read, its features left out) and each
/// feature's text, found without reading the text as JSON: a search for `"Feature"` (a
/// quote cannot occur inside a JSON string unescaped, so each match is that string) where
/// it is the value of a `"type"` key that opens an object. `None` unless the matches cut
/// an array into pieces separated by commas, the last one a whole value, and that array is
/// the collection's `features`: the text with the pieces replaced by a `0` reads as a
/// collection whose features are that `0`. The pieces are then read, each alone (a piece
/// that is not one whole feature fails there).
fn split_features(text: &str) -> Option<(Option<Value>, Vec<&str>)> {
    let bytes = text.as_bytes();
    let before = |mut i: usize| {
        while i > 0 && bytes[i - 1].is_ascii_whitespace() {
            i -= 1;
        }
        i
    };
    let starts: Vec<usize> = text
        .match_indices("\"Feature\"")
        .filter_map(|(at, _)| {
            let colon = before(at).checked_sub(1).filter(|&i| bytes[i] == b':')?;
            let key = before(colon)
                .checked_sub(6)
                .filter(|&i| &bytes[i..i + 6] == b"\"type\"")?;
            before(key).checked_sub(1).filter(|&i| bytes[i] == b'{')
        })
        .collect();
    let (&first, &last) = (starts.first()?, starts.last()?);
    // the last feature ends where its value does
    let mut rest = serde_json::Deserializer::from_str(&text[last..]).into_iter::<&RawValue>();
    rest.next()?.ok()?;
    let end = last + rest.byte_offset();
    let mut features: Vec<&str> = starts
        .windows(2)
        .map(|pair| {
            let piece = text[pair[0]..pair[1]].trim_end();
            piece.strip_suffix(',').map(str::trim_end)
        })
        .collect::<Option<_>>()?;
    features.push(&text[last..end]);
    let marked = [&text[..first], "0", &text[end..]].concat();
    let collection: Collection = serde_json::from_str(&marked).ok()?;
    let marker: Vec<&str> = collection.features.iter().map(|f| f.get()).collect();
    (marker == ["0"]).then_some((collection.crs, features))
}

/// The layer of `features` (each feature's text, read in parallel) and the collection's
/// `crs`.
fn read_features(crs: Option<Value>, features: &[&str]) -> Option<FastLayer> {
    let features = features
        .par_iter()
        .map(|raw| {
            // two levels down, as in the collection (`{"features": [...]}`): serde_json's
            // limit of 127 nested values then counts as it does for the whole text
            let [[f]]: [[Feature; 1]; 1] = serde_json::from_str(&format!("[[{raw}]]")).ok()?;
            let geometry = match f.geometry {
                None => MultiPolygon::new(vec![]),
                Some(g) => g.into_geo()?,
            };
            Some((f.properties.unwrap_or_default(), geometry))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(FastLayer { features, crs })
}

#[derive(Deserialize)]
struct Collection<'a> {
    #[serde(rename = "type")]
    _kind: CollectionType,
    /// Each feature's text, read in parallel afterwards.
    #[serde(borrow)]
    features: Vec<&'a RawValue>,
    #[serde(default, rename = "bbox")]
    _bbox: Option<Vec<f64>>,
    crs: Option<Value>,
}

#[derive(Deserialize)]
enum CollectionType {
    FeatureCollection,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(rename = "type")]
    _kind: FeatureType,
    #[serde(default, rename = "bbox")]
    _bbox: Option<Vec<f64>>,
    #[serde(default, rename = "id")]
    _id: Option<Id>,
    properties: Option<Map<String, Value>>,
    /// `None` (no geometry, or null) is an empty layer entry: `Some(None)` never occurs.
    #[serde(default)]
    geometry: Option<Geom>,
}

#[derive(Deserialize)]
enum FeatureType {
    Feature,
}

/// A feature id: a string or a number, as the geojson crate requires (read, not kept).
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Id {
    String(String),
    Number(f64),
}

/// A Polygon's or a MultiPolygon's coordinates. Read by hand rather than as a serde-tagged
/// enum, which would buffer the whole geometry before reading it: when `type` comes first
/// (as GDAL, geopandas and mapshaper write it) the coordinates go straight into their type.
enum Geom {
    Polygon(Rings),
    MultiPolygon(Vec<Rings>),
}

#[derive(Deserialize)]
enum GeomType {
    Polygon,
    MultiPolygon,
}

impl<'de> Deserialize<'de> for Geom {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Geom, D::Error> {
        deserializer.deserialize_map(GeomVisitor)
    }
}

struct GeomVisitor;

impl<'de> Visitor<'de> for GeomVisitor {
    type Value = Geom;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Polygon or MultiPolygon")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Geom, A::Error> {
        let mut kind: Option<GeomType> = None;
        let mut geom: Option<Geom> = None;
        let mut deferred: Option<Value> = None;
        let mut seen = [false; 3];
        let mut once = |i: usize, key: &str| {
            if std::mem::replace(&mut seen[i], true) {
                Err(de::Error::custom(format_args!("duplicate field `{key}`")))
            } else {
                Ok(())
            }
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "type" => {
                    once(0, &key)?;
                    kind = Some(map.next_value()?);
                }
                "coordinates" => {
                    once(1, &key)?;
                    match kind {
                        Some(GeomType::Polygon) => geom = Some(Geom::Polygon(map.next_value()?)),
                        Some(GeomType::MultiPolygon) => {
                            geom = Some(Geom::MultiPolygon(map.next_value()?));
                        }
                        None => deferred = Some(map.next_value()?),
                    }
                }
                "bbox" => {
                    once(2, &key)?;
                    map.next_value::<Option<Vec<f64>>>()?;
                }
                "geometries" => {
                    if !map.next_value::<Value>()?.is_null() {
                        return Err(de::Error::custom("a Polygon with geometries"));
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let missing = |field| de::Error::missing_field(field);
        match (kind.ok_or_else(|| missing("type"))?, deferred) {
            (_, None) => geom.ok_or_else(|| missing("coordinates")),
            (GeomType::Polygon, Some(v)) => serde_json::from_value(v)
                .map(Geom::Polygon)
                .map_err(de::Error::custom),
            (GeomType::MultiPolygon, Some(v)) => serde_json::from_value(v)
                .map(Geom::MultiPolygon)
                .map_err(de::Error::custom),
        }
    }
}

impl Geom {
    fn into_geo(self) -> Option<MultiPolygon<f64>> {
        match self {
            Geom::Polygon(rings) => Some(MultiPolygon::new(vec![rings.into_polygon()?])),
            Geom::MultiPolygon(polygons) if !polygons.is_empty() => polygons
                .into_iter()
                .map(Rings::into_polygon)
                .collect::<Option<Vec<_>>>()
                .map(MultiPolygon::new),
            Geom::MultiPolygon(_) => None,
        }
    }
}

/// A polygon's rings, each a list of coordinates.
#[derive(Deserialize)]
struct Rings(Vec<Ring>);

impl Rings {
    /// The polygon, as the geojson crate builds it (`Polygon::new` closes open rings); `None`
    /// for no ring or an empty one.
    fn into_polygon(self) -> Option<Polygon<f64>> {
        let mut rings = self.0.into_iter();
        let exterior = rings.next()?;
        if exterior.0.is_empty() {
            return None;
        }
        let interiors = rings
            .map(|r| (!r.0.is_empty()).then_some(LineString(r.0)))
            .collect::<Option<Vec<_>>>()?;
        Some(Polygon::new(LineString(exterior.0), interiors))
    }
}

/// One ring, read position by position into coordinates (no per-position allocation).
struct Ring(Vec<Coord<f64>>);

impl<'de> Deserialize<'de> for Ring {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Ring, D::Error> {
        struct RingVisitor;
        impl<'de> Visitor<'de> for RingVisitor {
            type Value = Ring;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of positions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ring, A::Error> {
                let mut coords = Vec::with_capacity(seq.size_hint().unwrap_or(16));
                while let Some(Position(c)) = seq.next_element()? {
                    coords.push(c);
                }
                Ok(Ring(coords))
            }
        }
        deserializer.deserialize_seq(RingVisitor)
    }
}

/// A position of at least two numbers; the rest (z, m) are read and dropped.
struct Position(Coord<f64>);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Position, D::Error> {
        struct PositionVisitor;
        impl<'de> Visitor<'de> for PositionVisitor {
            type Value = Position;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a position of at least two numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Position, A::Error> {
                let short = || de::Error::invalid_length(0, &"at least two numbers");
                let x: f64 = seq.next_element()?.ok_or_else(short)?;
                let y: f64 = seq.next_element()?.ok_or_else(short)?;
                while seq.next_element::<f64>()?.is_some() {}
                Ok(Position(Coord { x, y }))
            }
        }
        deserializer.deserialize_seq(PositionVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slow path's layer for `text`, as (properties, geometry) pairs and the crs member.
    fn slow(text: &str) -> Option<(Features, Option<Value>)> {
        let collection = match text.parse::<geojson::GeoJson>().ok()? {
            geojson::GeoJson::FeatureCollection(fc) => fc,
            _ => return None,
        };
        let crs = collection
            .foreign_members
            .as_ref()
            .and_then(|m| m.get("crs"))
            .filter(|c| !c.is_null())
            .cloned();
        let features = collection
            .features
            .into_iter()
            .map(|f| {
                let geometry = match &f.geometry {
                    None => MultiPolygon::new(vec![]),
                    Some(g) => super::super::geojson::to_multipolygon(&g.value)?,
                };
                Some((f.properties.unwrap_or_default(), geometry))
            })
            .collect::<Option<Vec<_>>>()?;
        Some((features, crs))
    }

    /// Where the fast path reads a text, it reads what the geojson crate reads.
    pub(crate) fn agrees(text: &str) -> bool {
        match read(text) {
            None => true,
            Some(fast) => slow(text)
                .is_some_and(|(features, crs)| features == fast.features && crs == fast.crs),
        }
    }

    #[test]
    fn reads_the_plain_case_as_the_geojson_crate() {
        let text = r#"{"type": "FeatureCollection", "bbox": [0, 0, 2, 2], "name": "x",
          "crs": {"type": "name", "properties": {"name": "EPSG:27700"}},
          "features": [
            {"type": "Feature", "id": 7, "properties": {"a": 1, "b": "two"},
             "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0, 5], [1, 1], [0, 0]], [[0.2, 0.2], [0.3, 0.2], [0.3, 0.3]]]}},
            {"type": "Feature", "properties": null, "geometry": null},
            {"type": "Feature", "id": "x", "properties": {}, "geometry":
              {"type": "MultiPolygon", "coordinates": [[[[0, 0], [2, 0], [2, 2], [0, 0]]], [[[5, 5], [6, 5], [6, 6]]]]}}
          ]}"#;
        let fast = read(text).expect("the plain case");
        assert_eq!(fast.features.len(), 3);
        assert!(agrees(text));
    }

    #[test]
    fn leaves_the_unusual_to_the_geojson_crate() {
        for text in [
            // another geometry type, a short position, empty rings, a bad id, a bad type
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [0, 0]}}]}"#,
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1], [1, 1]]]}}]}"#,
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": []}}]}"#,
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[]]}}]}"#,
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "id": true, "properties": {}, "geometry": null}]}"#,
            r#"{"type": "Feature", "features": []}"#,
            r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": [], "geometry": null}]}"#,
        ] {
            assert!(read(text).is_none(), "{text}");
        }
    }

    /// Texts where the search for `"Feature"` finds too many, too few or odd places: the
    /// split is refused, or reads what the serial pass reads; both read what the geojson
    /// crate reads.
    #[test]
    fn the_split_reads_what_the_serial_pass_reads() {
        let polygon = r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}"#;
        let feature = |properties: &str| {
            format!(r#"{{"type": "Feature", "properties": {properties}, "geometry": {polygon}}}"#)
        };
        let collection = |features: &[String], after: &str| {
            format!(
                r#"{{"type": "FeatureCollection", "features": [{}]{after}}}"#,
                features.join(", ")
            )
        };
        let plain = feature(r#"{"a": 1}"#);
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let cases = [
            // split as written, and with a member after the features
            (collection(&[plain.clone(), plain.clone()], ""), true),
            (
                collection(
                    std::slice::from_ref(&plain),
                    r#", "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}"#,
                ),
                true,
            ),
            // spaces and new lines around the key, the colon and between features
            (
                format!(
                    "{{\"type\":\"FeatureCollection\",\"features\":[\n{{ \"type\" :\n \"Feature\", \"properties\": null, \"geometry\": {polygon} }} ,\n{plain}\n]\n}}"
                ),
                true,
            ),
            // a feature whose type comes last: not split (two features in one piece)
            (
                collection(
                    &[
                        plain.clone(),
                        format!(
                            r#"{{"properties": {{}}, "geometry": {polygon}, "type": "Feature"}}"#
                        ),
                    ],
                    "",
                ),
                false,
            ),
            // "Feature" as a value of another key, and a feature inside the properties
            (collection(&[feature(r#"{"kind": "Feature"}"#)], ""), true),
            (
                collection(
                    &[feature(&format!(r#"{{"inner": {plain}}}"#)), plain.clone()],
                    "",
                ),
                false,
            ),
            // a string with an escaped quote and the word, and a feature in the crs member
            (
                collection(&[feature(r#"{"s": "\"type\": \"Feature\""}"#)], ""),
                true,
            ),
            (
                format!(
                    r#"{{"type": "FeatureCollection", "crs": {plain}, "features": [{plain}]}}"#
                ),
                false,
            ),
            // values nested to serde_json's limit, counted from the whole text
            (
                collection(&[feature(&format!(r#"{{"deep": {}}}"#, nested(123)))], ""),
                true,
            ),
            (
                collection(&[feature(&format!(r#"{{"deep": {}}}"#, nested(124)))], ""),
                true,
            ),
            (
                collection(&[feature(&format!(r#"{{"deep": {}}}"#, nested(125)))], ""),
                true,
            ),
            // features in another array than the collection's
            (
                format!(r#"{{"type": "FeatureCollection", "features": [], "more": [{plain}]}}"#),
                false,
            ),
            (
                format!(
                    r#"{{"type": "FeatureCollection", "features": [], "x": {{"features": [{plain}]}}}}"#
                ),
                false,
            ),
            // a Feature, not a collection (itself a place found), and no feature at all
            (
                format!(r#"{{"type": "Feature", "features": [{plain}]}}"#),
                false,
            ),
            (
                r#"{"type": "FeatureCollection", "features": []}"#.to_string(),
                false,
            ),
        ];
        for (text, splits) in &cases {
            assert_eq!(split_features(text).is_some(), *splits, "{text}");
            let (split, serial) = (read(text), read_serially(text));
            assert_eq!(
                split.as_ref().map(|l| (&l.features, &l.crs)),
                serial.as_ref().map(|l| (&l.features, &l.crs)),
                "{text}"
            );
            assert!(agrees(text), "{text}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::proptest_config(512))]

        /// Collections written every which way (the members of each feature in any order,
        /// any white space between tokens, property strings that spell out `"type":
        /// "Feature"`, members before and after the features): the split reads what the
        /// serial pass reads, and takes every collection whose features open with `type`.
        #[test]
        fn the_split_reads_any_writing_as_the_serial_pass(
            features in proptest::collection::vec(
                (
                    0..6usize,
                    proptest::collection::vec(0..4usize, 8),
                    proptest::prop_oneof![
                        "[a-zA-Z\"{}:, ]{0,12}",
                        proptest::strategy::Just(r#"{"type": "Feature"}, "#.to_string()),
                    ],
                ),
                1..5,
            ),
            before in proptest::bool::ANY,
            after in proptest::bool::ANY,
        ) {
            const SPACE: [&str; 4] = ["", " ", "\n", "\t "];
            let polygon = r#"{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}"#;
            let mut type_first = true;
            let written: Vec<String> = features
                .iter()
                .map(|(order, space, value)| {
                    let ws = |i: usize| SPACE[space[i]];
                    let value = serde_json::to_string(value).expect("a string");
                    let members = [
                        format!(r#""type"{}:{}"Feature""#, ws(0), ws(1)),
                        format!(r#""properties":{}{{"s":{}{value}}}"#, ws(2), ws(3)),
                        format!(r#""geometry":{}{polygon}"#, ws(4)),
                    ];
                    const ORDERS: [[usize; 3]; 6] =
                        [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
                    type_first &= ORDERS[*order][0] == 0;
                    let members: Vec<&str> =
                        ORDERS[*order].iter().map(|&m| members[m].as_str()).collect();
                    format!("{{{}{}{}}}", ws(5), members.join(&format!(",{}", ws(6))), ws(7))
                })
                .collect();
            let crs = r#""crs": {"type": "name", "properties": {"name": "EPSG:4326"}}"#;
            let text = format!(
                "{{\"type\": \"FeatureCollection\", {}\"features\": [\n{}\n]{}}}",
                if before { format!("{crs}, ") } else { String::new() },
                written.join(",\n"),
                if after { ", \"name\": \"x\"" } else { "" },
            );
            let (split, serial) = (read(&text), read_serially(&text));
            proptest::prop_assert!(serial.is_some(), "{}", text);
            proptest::prop_assert_eq!(
                split.as_ref().map(|l| (&l.features, &l.crs)),
                serial.as_ref().map(|l| (&l.features, &l.crs))
            );
            if type_first {
                proptest::prop_assert!(split_features(&text).is_some(), "{}", text);
            }
        }
    }

    /// Every input of the geojson fuzz corpus and its regressions, and the layers that
    /// ship: read alike by both paths (most corpus inputs are refused by both).
    #[test]
    fn agrees_with_the_geojson_crate_on_the_fuzz_corpus_and_shipped_layers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = ["fuzz/corpus/geojson", "fuzz/regressions/geojson"]
            .iter()
            .filter_map(|dir| std::fs::read_dir(root.join(dir)).ok())
            .flatten()
            .map(|e| e.expect("a directory entry").path())
            .collect();
        files.sort();
        assert!(files.len() > 100, "the geojson fuzz corpus is missing");
        let mut fast = 0;
        for path in &files {
            let bytes = std::fs::read(path).expect("read a corpus input");
            let Ok(text) = std::str::from_utf8(&bytes) else {
                continue;
            };
            assert!(agrees(text), "the paths disagree on {}", path.display());
            fast += usize::from(read(text).is_some());
        }
        assert!(fast > 10, "only {fast} corpus inputs took the fast path");
        for vintage in crate::Vintage::ALL {
            let layer = super::super::shipped::layer(vintage);
            assert!(
                split_features(layer.text).is_some(),
                "{} missed the split",
                layer.name
            );
            assert!(agrees(layer.text), "the paths disagree on {}", layer.name);
        }
    }

    /// The full-resolution layers of ../shared, read alike by both paths.
    #[test]
    #[ignore = "needs ../shared"]
    fn agrees_with_the_geojson_crate_on_full_resolution_layers() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
        for layer in [
            "pcon2010_bgc.geojson",
            "pcon2024_bgc.geojson",
            "pcon2024_buc.geojson",
        ] {
            let text = std::fs::read_to_string(root.join(layer)).expect("a ../shared layer");
            assert!(split_features(&text).is_some(), "{layer} missed the split");
            assert!(agrees(&text), "the paths disagree on {layer}");
        }
    }
}
