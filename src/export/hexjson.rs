//! HexJSON hex cartograms (the Open Data Institute Leeds format): read a layout, place and
//! draw its hexagons, and write it back with a table's values for other tools.

use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::code::Vintage;
use crate::inputs::json::{invalid, read_json};
use crate::inputs::petition::Loose;
use crate::table::analysis::Rows;
use crate::table::join::Table;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Read, Write};
use std::path::Path;

const SHIPPED_2010: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/hexjson/pcon2010.hexjson"
));
const SHIPPED_2024: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/hexjson/pcon2024.hexjson"
));

/// How HexJSON offset coordinates are laid out: rows (`-r`, pointy-topped hexagons) or
/// columns (`-q`, flat-topped), with the odd or the even ones shifted by half a hexagon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HexLayout {
    /// Pointy-topped; odd rows shifted right.
    OddR,
    /// Pointy-topped; even rows shifted right.
    EvenR,
    /// Flat-topped; odd columns shifted up.
    OddQ,
    /// Flat-topped; even columns shifted up.
    EvenQ,
}

impl HexLayout {
    /// The name HexJSON uses (`odd-r`, ...).
    pub fn name(self) -> &'static str {
        match self {
            HexLayout::OddR => "odd-r",
            HexLayout::EvenR => "even-r",
            HexLayout::OddQ => "odd-q",
            HexLayout::EvenQ => "even-q",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [
            HexLayout::OddR,
            HexLayout::EvenR,
            HexLayout::OddQ,
            HexLayout::EvenQ,
        ]
        .into_iter()
        .find(|l| l.name() == s)
    }

    /// The centre of hexagon (q, r) for hexagons of circumradius 1, y growing upwards
    /// (HexJSON rows count northwards, as the UK layouts do).
    pub fn centre(self, q: i32, r: i32) -> (f64, f64) {
        let root3 = 3f64.sqrt();
        let (q, r, odd_r, odd_q) = (
            q as f64,
            r as f64,
            r.rem_euclid(2) == 1,
            q.rem_euclid(2) == 1,
        );
        match self {
            HexLayout::OddR => (root3 * (q + if odd_r { 0.5 } else { 0.0 }), 1.5 * r),
            HexLayout::EvenR => (root3 * (q + if odd_r { 0.0 } else { 0.5 }), 1.5 * r),
            HexLayout::OddQ => (1.5 * q, root3 * (r + if odd_q { 0.5 } else { 0.0 })),
            HexLayout::EvenQ => (1.5 * q, root3 * (r + if odd_q { 0.0 } else { 0.5 })),
        }
    }

    /// The six corners of a hexagon of circumradius `size` around `centre`, y up:
    /// pointy-topped for row layouts, flat-topped for column layouts.
    pub fn corners(self, centre: (f64, f64), size: f64) -> [(f64, f64); 6] {
        let start = match self {
            HexLayout::OddR | HexLayout::EvenR => 30.0f64,
            HexLayout::OddQ | HexLayout::EvenQ => 0.0,
        };
        std::array::from_fn(|i| {
            let a = (start + 60.0 * i as f64).to_radians();
            (centre.0 + size * a.cos(), centre.1 + size * a.sin())
        })
    }
}

/// One hexagon of a layout.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Hex {
    /// The area code (the key in the file).
    pub code: String,
    /// The name (`n`), if given.
    pub name: Option<String>,
    /// Column.
    pub q: i32,
    /// Row.
    pub r: i32,
    /// A region code (`region`, or `a` in older files), if given.
    pub region: Option<String>,
}

/// A HexJSON layout: one hexagon per area code.
///
/// # Examples
/// ```
/// use sigmap::export::{HexJson, HexLayout};
/// let hexes = HexJson::shipped(sigmap::Vintage::Pcon2024)?;
/// assert_eq!(hexes.layout, HexLayout::OddR);
/// assert_eq!(hexes.hexes.len(), 650);
/// assert_eq!(hexes.get("S14000051").unwrap().name.as_deref(), Some("Orkney and Shetland"));
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct HexJson {
    /// The offset layout.
    pub layout: HexLayout,
    /// The hexagons, in code order.
    pub hexes: Vec<Hex>,
    /// Where the layout came from.
    pub source: String,
    index: HashMap<String, usize>,
}

impl HexJson {
    /// The layout shipped for a constituency set: Open Innovations' 2024 constituency hex
    /// map, or ODI Leeds' map of the 2010-2024 seats (both MIT licence; `data/MANIFEST`).
    ///
    /// # Errors
    /// None in practice: the shipped files are checked by the test suite.
    pub fn shipped(vintage: Vintage) -> Result<HexJson> {
        match vintage {
            Vintage::Pcon2010 => HexJson::parse(SHIPPED_2010, "pcon2010.hexjson"),
            Vintage::Pcon2024 => HexJson::parse(SHIPPED_2024, "pcon2024.hexjson"),
        }
    }

    /// Reads a HexJSON file.
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; as [`HexJson::from_reader`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<HexJson> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
        HexJson::parse(&text, &path.display().to_string())
    }

    /// Reads HexJSON from a reader; `name` is used in error messages.
    ///
    /// # Examples
    /// ```
    /// use sigmap::export::{HexJson, HexLayout};
    /// let text = r#"{"layout": "odd-r", "hexes": {"E14001063": {"q": 0, "r": 1, "n": "Aldershot"}}}"#;
    /// let hexes = HexJson::from_reader(text.as_bytes(), "mine.hexjson")?;
    /// assert_eq!((hexes.layout, hexes.get("E14001063").unwrap().r), (HexLayout::OddR, 1));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; [`Error::Json`] for malformed JSON;
    /// [`Error::MissingField`] without `layout` or `hexes`, or a hexagon without `q` or `r`;
    /// [`Error::BadField`] for an unknown layout, a hexagon that is not an object, a
    /// non-integer coordinate or two hexagons in one place.
    pub fn from_reader(reader: impl Read, name: &str) -> Result<HexJson> {
        let text = crate::inputs::read_text(reader, name)?;
        HexJson::parse(&text, name)
    }

    fn parse(text: &str, name: &str) -> Result<HexJson> {
        let at = Location::file(name);
        let doc: Value = serde_json::from_str(text).map_err(|source| Error::Json {
            at: at.clone(),
            source,
        })?;
        let file: HexJsonFile = read_json(&doc, &at, &[(INTEGER, INTEGER)])?;
        let layout = file.layout.0.ok_or_else(|| Error::MissingField {
            at: at.clone(),
            field: "layout".into(),
        })?;
        let layout = HexLayout::parse(&layout).ok_or_else(|| Error::BadField {
            at: at.field("layout"),
            expected: "odd-r, even-r, odd-q or even-q",
            found: layout,
        })?;
        let mut hexes = Vec::with_capacity(file.hexes.len());
        let mut taken = HashMap::new();
        for (record, (code, h)) in (1..).zip(file.hexes) {
            let (q, r) = (h.q.0, h.r.0);
            if let Some(other) = taken.insert((q, r), code.clone()) {
                return Err(Error::BadField {
                    at: at.record(record).field("q"),
                    expected: "one hexagon per position",
                    found: format!("{code} and {other} both at q {q}, r {r}"),
                });
            }
            let region = h.region.0.or(h.a.0);
            hexes.push(Hex {
                code,
                name: h.n.0,
                q,
                r,
                region,
            });
        }
        let index = hexes
            .iter()
            .enumerate()
            .map(|(i, h)| (h.code.clone(), i))
            .collect();
        Ok(HexJson {
            layout,
            hexes,
            source: name.to_string(),
            index,
        })
    }

    /// The hexagon of an area code.
    pub fn get(&self, code: &str) -> Option<&Hex> {
        self.index.get(code).map(|&i| &self.hexes[i])
    }

    /// The centre of a hexagon (circumradius 1, y up).
    pub fn centre(&self, hex: &Hex) -> (f64, f64) {
        self.layout.centre(hex.q, hex.r)
    }

    /// True if two hexagons share an edge.
    pub fn are_adjacent(&self, a: &Hex, b: &Hex) -> bool {
        let (ax, ay) = self.centre(a);
        let (bx, by) = self.centre(b);
        let d2 = (ax - bx).powi(2) + (ay - by).powi(2);
        (d2 - 3.0).abs() < 1e-6 // neighbouring centres are √3 apart
    }

    /// Checks that every area of `table` has a hexagon.
    ///
    /// # Errors
    /// [`Error::MissingAreas`] listing the codes with none.
    pub fn check_covers(&self, table: &Table) -> Result<()> {
        let mut codes: Vec<String> = table
            .rows
            .iter()
            .filter(|r| !self.index.contains_key(&r.code))
            .map(|r| r.code.clone())
            .collect();
        if codes.is_empty() {
            return Ok(());
        }
        codes.sort();
        Err(Error::MissingAreas {
            at: Location::file(&self.source),
            codes,
        })
    }
}

/// A HexJSON file as sigmap reads it: hexagons by code, in code order.
#[derive(Deserialize)]
struct HexJsonFile {
    layout: Loose<String>,
    hexes: BTreeMap<String, HexEntry>,
}

#[derive(Deserialize)]
struct HexEntry {
    q: Coordinate,
    r: Coordinate,
    n: Loose<String>,
    region: Loose<String>,
    /// `region` in older files.
    a: Loose<String>,
}

const INTEGER: &str = "an integer";

/// A hexagon's column or row: a JSON integer, or a string of one (some files write them so).
struct Coordinate(i32);

impl<'de> Deserialize<'de> for Coordinate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        v.as_i64()
            .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
            .and_then(|v| i32::try_from(v).ok())
            .map(Coordinate)
            .ok_or_else(|| invalid(INTEGER))
    }
}

/// Writes `rows` (a [`Table`](crate::Table), or one with a report's analysis) as HexJSON on `layout`'s hexagons: `{"layout", "hexes": {CODE: {"n",
/// "q", "r", "region"?, then every column}}}`, areas in layer order, for
/// hex map tools (ODI Leeds' hexmap.js, Flourish, R's `hexjsonwidget`). Areas with no
/// hexagon are left out; see [`HexJson::check_covers`].
///
/// # Errors
/// Any I/O error of `w`.
pub fn write_hexjson<'a>(
    rows: impl Into<Rows<'a>>,
    layout: &HexJson,
    mut w: impl Write,
) -> io::Result<()> {
    write!(w, "{{\"layout\":\"{}\",\"hexes\":{{", layout.layout.name())?;
    let mut first = true;
    let rows: Rows<'_> = rows.into();
    for record in rows.iter() {
        let row = record.row;
        let Some(hex) = layout.get(&row.code) else {
            continue;
        };
        if !first {
            w.write_all(b",")?;
        }
        first = false;
        w.write_all(b"\n")?;
        serde_json::to_writer(&mut w, &row.code)?;
        w.write_all(b":{\"n\":")?;
        serde_json::to_writer(&mut w, hex.name.as_deref().unwrap_or(&row.name))?;
        write!(w, ",\"q\":{},\"r\":{}", hex.q, hex.r)?;
        if let Some(region) = &hex.region {
            w.write_all(b",\"region\":")?;
            serde_json::to_writer(&mut w, region)?;
        }
        let fields = serde_json::to_string(&record)?;
        // the row's own fields after ours: `{"code":...}` -> `,"code":...}`
        w.write_all(b",")?;
        w.write_all(&fields.as_bytes()[1..])?;
    }
    w.write_all(b"\n}}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_r_shifts_odd_rows_right_also_below_zero() {
        let l = HexLayout::OddR;
        let r3 = 3f64.sqrt();
        assert_eq!(l.centre(0, 0), (0.0, 0.0));
        assert_eq!(l.centre(0, 1), (r3 / 2.0, 1.5));
        assert_eq!(l.centre(0, -1), (r3 / 2.0, -1.5));
        assert_eq!(HexLayout::EvenR.centre(0, 0), (r3 / 2.0, 0.0));
        let c = l.corners((0.0, 0.0), 1.0);
        // pointy top: a corner straight up
        assert!(
            c.iter()
                .any(|&(x, y)| x.abs() < 1e-12 && (y - 1.0).abs() < 1e-12)
        );
    }

    #[test]
    fn parse_errors_say_where() {
        let e = HexJson::from_reader(r#"{"layout":"odd-x","hexes":{}}"#.as_bytes(), "h.hexjson")
            .unwrap_err();
        assert!(e.to_string().contains("odd-r, even-r"), "{e}");
        let e = HexJson::from_reader(
            r#"{"layout":"odd-r","hexes":{"A":{"q":0,"r":0},"B":{"q":0,"r":0}}}"#.as_bytes(),
            "h.hexjson",
        )
        .unwrap_err();
        assert!(e.to_string().contains("B and A both at q 0, r 0"), "{e}");
        for (hexes, says) in [
            (
                r#"{"A":{"q":"x","r":0}}"#,
                r#"field hexes.A.q: expected an integer, found "x""#,
            ),
            (r#"{"A":{"q":0}}"#, "missing field `hexes.A.r`"),
            (
                r#"{"A":[0,0]}"#,
                "field hexes.A: expected an object, found [0,0]",
            ),
        ] {
            let text = format!(r#"{{"layout":"odd-r","hexes":{hexes}}}"#);
            let e = HexJson::from_reader(text.as_bytes(), "h.hexjson").unwrap_err();
            assert_eq!(e.to_string(), format!("h.hexjson: {says}"));
        }
        let h = HexJson::from_reader(
            r#"{"layout":"odd-q","hexes":{"A":{"q":"1","r":-2,"n":"Ay"}}}"#.as_bytes(),
            "h.hexjson",
        )
        .unwrap();
        assert_eq!((h.hexes[0].q, h.hexes[0].r), (1, -2));
    }
}
