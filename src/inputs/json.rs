//! JSON inputs read by serde derive: a `#[derive(Deserialize)]` mirror of each layout (the
//! petition JSON, HexJSON, the API's list pages), its failures placed by their
//! `serde_path_to_error` path and worded as sigmap's other input errors.

use crate::error::{Error, Location, Result};
use crate::text::excerpt;

/// How serde words what it expected, in the words of sigmap's messages (derived structs say
/// `struct Data`, hence the prefix match).
const SERDE_WORDS: [(&str, &str); 5] = [
    ("a sequence", "an array"),
    ("a map", "an object"),
    ("struct ", "an object"),
    ("a string", "a string"),
    ("u64", "a non-negative integer"),
];

/// Reads `T` (a `#[derive(Deserialize)]` mirror of a JSON layout) from a parsed document, a
/// failure placed by [`Location::json`]: a missing key is [`Error::MissingField`]; a value of
/// the wrong type or out of range is [`Error::BadField`] quoting it, with what was expected
/// in sigmap's words (`words` maps the start of serde's wording, or a reader's own
/// [`invalid`] phrase, to them; [`SERDE_WORDS`] after it); anything else is [`Error::Json`].
pub(crate) fn read_json<'a, T: serde::Deserialize<'a>>(
    doc: &'a serde_json::Value,
    at: &Location,
    words: &[(&str, &'static str)],
) -> Result<T> {
    // untracked first: tracking the path costs a third of the read, and is only needed to
    // place an error, which the tracked pass below finds again
    if let Ok(t) = T::deserialize(ObjectsOnly(doc)) {
        return Ok(t);
    }
    let err = match serde_path_to_error::deserialize(ObjectsOnly(doc)) {
        Ok(t) => return Ok(t),
        Err(err) => err,
    };
    let mut place = at.json(err.path(), false);
    let message = err.inner().to_string();
    if let Some(key) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        let field = (place.field.take()).map_or_else(|| key.to_string(), |f| format!("{f}.{key}"));
        return Err(Error::MissingField { at: place, field });
    }
    let expected = message.rsplit_once(", expected ").and_then(|(_, theirs)| {
        (words.iter().chain(&SERDE_WORDS))
            .find(|(start, _)| theirs.starts_with(start))
            .map(|(_, ours)| *ours)
    });
    Err(match expected {
        Some(expected) if message.starts_with("invalid ") => {
            let found = err.path().iter().try_fold(doc, |v, s| match s {
                serde_path_to_error::Segment::Seq { index } => v.get(index),
                serde_path_to_error::Segment::Map { key } => v.get(key),
                _ => None,
            });
            Error::BadField {
                at: place,
                expected,
                found: found.map_or_else(String::new, json_excerpt),
            }
        }
        _ => Error::Json {
            at: place,
            source: err.into_inner(),
        },
    })
}

/// A parsed JSON document read as serde_json reads one, except that a struct is read only
/// from an object (serde_json also takes an array, as the fields in order: a document
/// that is not the layout, read as if it were).
pub(crate) struct ObjectsOnly<'de>(pub(crate) &'de serde_json::Value);

impl<'de> serde::Deserializer<'de> for ObjectsOnly<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        use serde::de::value::{MapDeserializer, SeqDeserializer};
        match self.0 {
            serde_json::Value::Array(items) => {
                v.visit_seq(SeqDeserializer::new(items.iter().map(ObjectsOnly)))
            }
            serde_json::Value::Object(map) => v.visit_map(MapDeserializer::new(
                map.iter().map(|(k, v)| (k.as_str(), ObjectsOnly(v))),
            )),
            other => other.deserialize_any(v),
        }
    }

    fn deserialize_option<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            serde_json::Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            serde_json::Value::Object(_) => self.deserialize_any(v),
            _ => Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Other("not an object"),
                &v,
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

impl<'de> serde::de::IntoDeserializer<'de, serde_json::Error> for ObjectsOnly<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// The error of a reader's own type for a value that is not what it expects: [`read_json`]
/// quotes the value and says `expected` (give it to [`read_json`] as `(expected, expected)`).
pub(crate) fn invalid<E: serde::de::Error>(expected: &'static str) -> E {
    E::invalid_value(serde::de::Unexpected::Other("this value"), &expected)
}

/// A JSON value, shortened for a message (a string quoted).
pub(crate) fn json_excerpt(v: &serde_json::Value) -> String {
    match v {
        // not serialised whole first: a string may be 200 MB
        serde_json::Value::String(s) => format!("\"{}\"", excerpt(s)),
        _ => excerpt(&v.to_string()),
    }
}

impl Location {
    /// The place a JSON path points at: the record is the innermost array element (1-based)
    /// and the field the keys inside it, led by the array's own key (`record 5, field
    /// signatures_by_constituency.signature_count`); outside any array, or with `whole`,
    /// the field is every key of the path. Keys are quoted through [`excerpt`].
    pub(crate) fn json(&self, path: &serde_path_to_error::Path, whole: bool) -> Location {
        use serde_path_to_error::Segment;
        let segments: Vec<&Segment> = path.iter().collect();
        let element = segments
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, s)| match s {
                Segment::Seq { index } => Some((i, *index as u64 + 1)),
                _ => None,
            });
        let (place, from) = match element {
            Some((i, record)) if !whole => (self.record(record), i.saturating_sub(1)),
            Some((_, record)) => (self.record(record), 0),
            None => (self.clone(), 0),
        };
        let keys: Vec<String> = segments[from..]
            .iter()
            .filter_map(|s| match s {
                Segment::Map { key } => Some(excerpt(key)),
                _ => None,
            })
            .collect();
        Location {
            field: (!keys.is_empty()).then(|| keys.join(".")),
            ..place
        }
    }
}
