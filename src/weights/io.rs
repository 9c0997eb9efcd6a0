//! GAL and GWT weights files, as GeoDa and libpysal (`libpysal.io.open`) write and read
//! them, with ids mapped to the layer's codes.
//!
//! - GAL: a header line `0 n layer id_property` (GeoDa's; libpysal writes only `n`, and both
//!   forms are read), then per area a line `id k` and a line of its k neighbours' ids (empty
//!   for an island).
//! - GWT: the same header, then one line `id neighbour_id weight` per link. Islands do not
//!   appear.

use super::Weights;
use super::islands::check_rows;
use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::areas::Areas;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

/// A text format for spatial weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WeightsFormat {
    /// GeoDa's `.gal`: neighbour lists (binary contiguity).
    Gal,
    /// GeoDa's `.gwt`: one line per link, with a weight.
    Gwt,
}

impl WeightsFormat {
    /// The format a file name's extension names (`.gal` or `.gwt`, any case).
    ///
    /// ```
    /// use sigmap::WeightsFormat;
    /// assert_eq!(WeightsFormat::from_path("w/queen.GAL"), Some(WeightsFormat::Gal));
    /// assert_eq!(WeightsFormat::from_path("knn5.gwt"), Some(WeightsFormat::Gwt));
    /// assert_eq!(WeightsFormat::from_path("w.csv"), None);
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Option<WeightsFormat> {
        let ext = path.as_ref().extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "gal" => Some(WeightsFormat::Gal),
            "gwt" => Some(WeightsFormat::Gwt),
            _ => None,
        }
    }
}

impl Weights {
    /// Reads weights from a GAL or GWT file whose ids are the codes of `areas`.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; else as [`Weights::from_reader`].
    pub fn from_path(
        path: impl AsRef<Path>,
        format: WeightsFormat,
        areas: &Areas,
    ) -> Result<Weights> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
        Weights::parse(&text, &path.display().to_string(), format, areas)
    }

    /// Reads weights from a GAL or GWT file whose ids are the codes of
    /// `areas`; `name` is used in messages. The rows come out in layer order, whatever the
    /// order of the file.
    ///
    /// The header's n must be the number of areas. A GAL file must list every area once;
    /// areas missing from a GWT file are islands. The weights of a GWT file (its third
    /// column) must be finite numbers but are not kept: sigmap's weights are binary before a
    /// [`super::Transform`] (as libpysal's `transform = "b"`).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, Vintage, Weights, WeightsFormat};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let queen = Weights::queen(&areas);
    /// let gal = queen.to_text(WeightsFormat::Gal, &areas)?;
    /// assert!(gal.starts_with("0 650 pcon2024_bgc_20pct.geojson PCON24CD\nE14001063 "));
    /// assert_eq!(Weights::from_reader(gal.as_bytes(), "queen.gal", WeightsFormat::Gal, &areas)?, queen);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Io`] if it cannot be read; [`Error::Empty`] for an empty file; [`Error::BadLine`], naming the line and field,
    /// for a malformed header or n not the number of areas; an id that is not a code of
    /// the layer; a self-link; an area (GAL) or a link (GWT) listed twice; a GAL count that
    /// is not a whole number or does not match its line of neighbours; a GAL file that ends
    /// before n areas or goes on after them; a GWT line without three fields or with a
    /// weight that is not a finite number.
    pub fn from_reader(
        reader: impl Read,
        name: &str,
        format: WeightsFormat,
        areas: &Areas,
    ) -> Result<Weights> {
        let text = crate::inputs::read_text(reader, name)?;
        Weights::parse(&text, name, format, areas)
    }

    fn parse(text: &str, name: &str, format: WeightsFormat, areas: &Areas) -> Result<Weights> {
        let reader = LineReader {
            lines: text.lines().collect(),
            name,
        };
        if reader.lines.iter().all(|l| l.trim().is_empty()) {
            return Err(Error::Empty {
                at: Location::file(name),
                what: "the weights file",
            });
        }
        reader.header(areas.len())?;
        let lists = match format {
            WeightsFormat::Gal => reader.gal(areas)?,
            WeightsFormat::Gwt => reader.gwt(areas)?,
        };
        Ok(Weights::from_neighbours(lists))
    }

    /// These weights as the text of a GAL or GWT file, ids being the codes of `areas`,
    /// rows and neighbours in layer order. The header is GeoDa's `0 n layer id_property`
    /// (spaces in the layer's name become `_`). GWT weights are those of the transform in
    /// force, written in the shortest form that reads back to the same number.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, Vintage, Weights, WeightsFormat};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let gwt = Weights::knn(&areas, 5)?.to_text(WeightsFormat::Gwt, &areas)?;
    /// let mut lines = gwt.lines();
    /// assert_eq!(lines.next(), Some("0 650 pcon2024_bgc_20pct.geojson PCON24CD"));
    /// assert!(lines.next().unwrap().ends_with(" 1"));
    /// assert_eq!(gwt.lines().count(), 1 + 650 * 5);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::BadField`] if the weights do not have one row per area, or if a code is
    /// empty or holds a space (the formats separate fields by spaces).
    pub fn to_text(&self, format: WeightsFormat, areas: &Areas) -> Result<String> {
        check_rows(self, areas)?;
        let at = Location::file(&areas.layer.name);
        if let Some(i) = areas
            .iter()
            .position(|a| a.code.is_empty() || a.code.contains(char::is_whitespace))
        {
            return Err(Error::BadField {
                at: at.record(i as u64 + 1).field(&areas.layer.code_property),
                expected: "a code without spaces (GAL and GWT fields are separated by spaces)",
                found: format!("`{}`", areas[i].code),
            });
        }
        let token = |s: &str| s.split_whitespace().collect::<Vec<_>>().join("_");
        let mut out = format!(
            "0 {} {} {}\n",
            self.n(),
            token(&areas.layer.name),
            token(&areas.layer.code_property)
        );
        // writing to a String cannot fail
        for (i, area) in areas.iter().enumerate() {
            let neighbours = self.neighbours(i);
            match format {
                WeightsFormat::Gal => {
                    let _ = writeln!(out, "{} {}", area.code, neighbours.len());
                    let ids: Vec<&str> = neighbours
                        .iter()
                        .map(|&j| areas[j as usize].code.as_str())
                        .collect();
                    let _ = writeln!(out, "{}", ids.join(" "));
                }
                WeightsFormat::Gwt => {
                    for (&j, w) in neighbours.iter().zip(self.weights(i)) {
                        let _ = writeln!(out, "{} {} {w}", area.code, areas[j as usize].code);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The lines of a weights file, and the errors that name them.
struct LineReader<'a> {
    lines: Vec<&'a str>,
    name: &'a str,
}

impl LineReader<'_> {
    /// An error at 0-based line `l`.
    fn bad(&self, l: usize, field: &'static str, expected: &'static str, found: String) -> Error {
        let found = crate::text::excerpt(&found);
        Error::BadLine {
            path: self.name.into(),
            line: l as u64 + 1,
            field,
            expected,
            found,
        }
    }

    /// The area with code `id` on line `l`.
    fn area(&self, areas: &Areas, l: usize, field: &'static str, id: &str) -> Result<usize> {
        areas
            .index_of(id)
            .ok_or_else(|| self.bad(l, field, "a code of the layer", format!("`{id}`")))
    }

    /// Checks the header (line 1): `n`, or `flag n ...` (GeoDa); n must be the layer's.
    fn header(&self, n_areas: usize) -> Result<()> {
        let tokens: Vec<&str> = self.lines[0].split_whitespace().collect();
        let n = match tokens.as_slice() {
            [] => return Err(self.bad(0, "n", "a header line", "an empty line".into())),
            [n] => n,
            [_, n, ..] => n,
        };
        let n: usize = n
            .parse()
            .map_err(|_| self.bad(0, "n", "a number of areas", format!("`{n}`")))?;
        if n != n_areas {
            return Err(self.bad(
                0,
                "n",
                "the number of areas of the layer",
                format!("{n} (the layer has {n_areas})"),
            ));
        }
        Ok(())
    }

    /// GAL: per area, `id k` and a line of k neighbour ids.
    fn gal(&self, areas: &Areas) -> Result<Vec<Vec<u32>>> {
        let n = areas.len();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut seen_on: Vec<Option<usize>> = vec![None; n];
        let mut l = 1;
        for read in 0..n {
            let Some(line) = self.lines.get(l) else {
                return Err(self.bad(
                    l,
                    "id",
                    "a line `id count` for each of the header's n areas",
                    format!("the end of the file after {read} areas"),
                ));
            };
            let (id, count) = match line.split_whitespace().collect::<Vec<_>>()[..] {
                [id, count] => (id, count),
                _ => {
                    return Err(self.bad(l, "id", "a line `id count`", format!("`{line}`")));
                }
            };
            let i = self.area(areas, l, "id", id)?;
            if let Some(first) = seen_on[i] {
                return Err(self.bad(
                    l,
                    "id",
                    "each area once",
                    format!("`{id}` again (first on line {})", first + 1),
                ));
            }
            seen_on[i] = Some(l);
            let k: usize = count.parse().map_err(|_| {
                self.bad(l, "neighbour count", "a whole number", format!("`{count}`"))
            })?;
            l += 1;
            if k == 0 {
                // an island's neighbour line is empty, or left out
                if self.lines.get(l).is_some_and(|x| x.trim().is_empty()) {
                    l += 1;
                }
                continue;
            }
            let Some(line) = self.lines.get(l) else {
                return Err(self.bad(
                    l,
                    "neighbours",
                    "a line of neighbour ids",
                    "the end of the file".into(),
                ));
            };
            let ids: Vec<&str> = line.split_whitespace().collect();
            if ids.len() != k {
                return Err(self.bad(
                    l,
                    "neighbours",
                    "as many neighbour ids as the count on the line before",
                    format!("{} ids for a count of {k}", ids.len()),
                ));
            }
            for id in ids {
                let j = self.area(areas, l, "neighbour id", id)?;
                if j == i {
                    return Err(self.bad(
                        l,
                        "neighbour id",
                        "a neighbour other than the area itself",
                        format!("`{id}`"),
                    ));
                }
                if lists[i].contains(&(j as u32)) {
                    return Err(self.bad(
                        l,
                        "neighbour id",
                        "each neighbour once",
                        format!("`{id}` twice"),
                    ));
                }
                lists[i].push(j as u32);
            }
            l += 1;
        }
        if let Some(extra) = self.lines[l.min(self.lines.len())..]
            .iter()
            .position(|x| !x.trim().is_empty())
        {
            return Err(self.bad(
                l + extra,
                "id",
                "the end of the file after the header's n areas",
                format!("`{}`", self.lines[l + extra]),
            ));
        }
        Ok(lists)
    }

    /// GWT: one `id neighbour_id weight` line per link.
    fn gwt(&self, areas: &Areas) -> Result<Vec<Vec<u32>>> {
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); areas.len()];
        let mut seen_on: HashMap<(usize, usize), usize> = HashMap::new();
        for (l, line) in self.lines.iter().enumerate().skip(1) {
            let (id, other, weight) = match line.split_whitespace().collect::<Vec<_>>()[..] {
                [] => continue,
                [id, other, weight] => (id, other, weight),
                _ => {
                    return Err(self.bad(
                        l,
                        "link",
                        "a line `id neighbour_id weight`",
                        format!("`{line}`"),
                    ));
                }
            };
            let i = self.area(areas, l, "id", id)?;
            let j = self.area(areas, l, "neighbour id", other)?;
            if i == j {
                return Err(self.bad(
                    l,
                    "neighbour id",
                    "a neighbour other than the area itself",
                    format!("`{other}`"),
                ));
            }
            if !weight.parse::<f64>().is_ok_and(f64::is_finite) {
                return Err(self.bad(l, "weight", "a finite number", format!("`{weight}`")));
            }
            if let Some(first) = seen_on.insert((i, j), l) {
                return Err(self.bad(
                    l,
                    "neighbour id",
                    "each link once",
                    format!("`{id} {other}` again (first on line {})", first + 1),
                ));
            }
            lists[i].push(j as u32);
        }
        Ok(lists)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::weights::testing::squares;
    use crate::weights::{Contiguity, Transform};

    /// Three squares in a row: s0 - s1 - s2.
    fn row() -> Areas {
        squares(&[(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)], 1.0)
    }

    fn gal(text: &str) -> Result<Weights> {
        Weights::from_reader(text.as_bytes(), "w.gal", WeightsFormat::Gal, &row())
    }

    fn gwt(text: &str) -> Result<Weights> {
        Weights::from_reader(text.as_bytes(), "w.gwt", WeightsFormat::Gwt, &row())
    }

    #[test]
    fn both_formats_round_trip_in_layer_order() {
        let areas = row();
        let w = Weights::contiguity(&areas, Contiguity::Rook);
        assert_eq!(w.neighbours(1), &[0, 2]);
        let text = w.to_text(WeightsFormat::Gal, &areas).unwrap();
        assert_eq!(
            text,
            "0 3 squares.geojson id\ns0 1\ns1\ns1 2\ns0 s2\ns2 1\ns1\n"
        );
        assert_eq!(gal(&text).unwrap(), w);
        let text = w
            .transformed(Transform::Row)
            .to_text(WeightsFormat::Gwt, &areas)
            .unwrap();
        assert_eq!(
            text,
            "0 3 squares.geojson id\ns0 s1 1\ns1 s0 0.5\ns1 s2 0.5\ns2 s1 1\n"
        );
        assert_eq!(gwt(&text).unwrap(), w);
    }

    #[test]
    fn any_order_and_islands_are_read() {
        // libpysal's one-field header, rows out of order, an island with and without its
        // empty neighbour line, Windows line ends
        let w = gal("3\r\ns1 0\r\n\r\ns2 0\r\ns0 0\r\n").unwrap();
        assert_eq!(w.islands(), vec![0, 1, 2]);
        let w = gal("0 3 x id\ns2 1\ns0\ns1 0\n\ns0 1\ns2\n\n").unwrap();
        assert_eq!((w.neighbours(0), w.neighbours(2)), (&[2][..], &[0][..]));
        let w = gwt("0 3 Unknown Unknown\ns2 s0 1.5E-3\n\ns0 s2 0\n").unwrap();
        assert_eq!(w.islands(), vec![1]);
        assert_eq!(w.neighbours(0), &[2]);
    }

    #[test]
    fn malformed_files_name_the_line_and_field() {
        type Read = fn(&str) -> Result<Weights>;
        let cases: [(&str, Read, &str); 26] = [
            ("", gal, "w.gal: the weights file is empty"),
            (" \n\n", gwt, "w.gwt: the weights file is empty"),
            (
                "\ns0 0",
                gal,
                "w.gal: line 1, field n: expected a header line, found an empty line",
            ),
            (
                "abc\n",
                gal,
                "w.gal: line 1, field n: expected a number of areas, found `abc`",
            ),
            (
                "0 5 x id\n",
                gal,
                "w.gal: line 1, field n: expected the number of areas of the layer, found 5 (the layer has 3)",
            ),
            (
                "3\ns0 1\ns1\ns1 1\ns0\n",
                gal,
                "w.gal: line 6, field id: expected a line `id count` for each of the header's n areas, found the end of the file after 2 areas",
            ),
            (
                "3\ns0\n",
                gal,
                "w.gal: line 2, field id: expected a line `id count`, found `s0`",
            ),
            (
                "3\ns9 0\n",
                gal,
                "w.gal: line 2, field id: expected a code of the layer, found `s9`",
            ),
            (
                "3\ns0 0\n\ns0 0\n",
                gal,
                "w.gal: line 4, field id: expected each area once, found `s0` again (first on line 2)",
            ),
            (
                "3\ns0 one\ns1\n",
                gal,
                "w.gal: line 2, field neighbour count: expected a whole number, found `one`",
            ),
            (
                "3\ns0 2\ns1\n",
                gal,
                "w.gal: line 3, field neighbours: expected as many neighbour ids as the count on the line before, found 1 ids for a count of 2",
            ),
            (
                "3\ns0 0\ns1 0\ns2 1",
                gal,
                "w.gal: line 5, field neighbours: expected a line of neighbour ids, found the end of the file",
            ),
            (
                "3\ns0 1\ns7\n",
                gal,
                "w.gal: line 3, field neighbour id: expected a code of the layer, found `s7`",
            ),
            (
                "3\ns0 1\ns0\n",
                gal,
                "w.gal: line 3, field neighbour id: expected a neighbour other than the area itself, found `s0`",
            ),
            (
                "3\ns0 2\ns1 s1\n",
                gal,
                "w.gal: line 3, field neighbour id: expected each neighbour once, found `s1` twice",
            ),
            (
                "3\ns0 0\ns1 0\ns2 0\n\ns0 0\n",
                gal,
                "w.gal: line 6, field id: expected the end of the file after the header's n areas, found `s0 0`",
            ),
            (
                "3\ns0 s1\n",
                gwt,
                "w.gwt: line 2, field link: expected a line `id neighbour_id weight`, found `s0 s1`",
            ),
            (
                "3\ns0 s1 1 1\n",
                gwt,
                "w.gwt: line 2, field link: expected a line `id neighbour_id weight`, found `s0 s1 1 1`",
            ),
            (
                "3\nx s1 1\n",
                gwt,
                "w.gwt: line 2, field id: expected a code of the layer, found `x`",
            ),
            (
                "3\ns0 x 1\n",
                gwt,
                "w.gwt: line 2, field neighbour id: expected a code of the layer, found `x`",
            ),
            (
                "3\ns0 s0 1\n",
                gwt,
                "w.gwt: line 2, field neighbour id: expected a neighbour other than the area itself, found `s0`",
            ),
            (
                "3\ns0 s1 heavy\n",
                gwt,
                "w.gwt: line 2, field weight: expected a finite number, found `heavy`",
            ),
            (
                "3\ns0 s1 inf\n",
                gwt,
                "w.gwt: line 2, field weight: expected a finite number, found `inf`",
            ),
            (
                "3\ns0 s1 NaN\n",
                gwt,
                "w.gwt: line 2, field weight: expected a finite number, found `NaN`",
            ),
            (
                "3\ns0 s1 1\ns1 s0 1\n\ns0 s1 2\n",
                gwt,
                "w.gwt: line 5, field neighbour id: expected each link once, found `s0 s1` again (first on line 2)",
            ),
            (
                "4\n",
                gwt,
                "w.gwt: line 1, field n: expected the number of areas of the layer, found 4 (the layer has 3)",
            ),
        ];
        for (text, read, want) in cases {
            let e = read(text).unwrap_err();
            assert_eq!(e.to_string(), want, "{text:?}");
            assert!(e.is_input(), "{text:?}");
        }
    }

    #[test]
    fn files_that_cannot_be_written_or_read_are_errors() {
        let areas = row();
        let w = Weights::contiguity(&areas, Contiguity::Queen);
        let e = Weights::from_neighbours(vec![vec![]; 2])
            .to_text(WeightsFormat::Gal, &areas)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "squares.geojson: expected weights with one row per area of the layer, found 2 rows for 3 areas"
        );
        let spaced = crate::inputs::areas::LayerOptions::new()
            .code_property("id")
            .from_reader(
                r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a b"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}"#.as_bytes(),
                "spaced layer.geojson",
            )
            .unwrap();
        let e = Weights::from_neighbours(vec![vec![]])
            .to_text(WeightsFormat::Gwt, &spaced)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "spaced layer.geojson: record 1, field id: expected a code without spaces (GAL and GWT fields are separated by spaces), found `a b`"
        );
        let dir = std::env::temp_dir().join(format!("sigmap-weights-io-{}", std::process::id()));
        let missing = dir.join("no such dir").join("w.gal");
        let e = w
            .write_to_path(&missing, WeightsFormat::Gal, &areas)
            .unwrap_err();
        assert!(
            matches!(
                e,
                Error::Io {
                    action: IoAction::Write,
                    ..
                }
            ) && !e.is_input(),
            "{e}"
        );
        let e = Weights::from_path(&missing, WeightsFormat::Gal, &areas).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Io {
                    action: IoAction::Read,
                    ..
                }
            ) && e.is_input(),
            "{e}"
        );
        // spaces in the layer's name are not: they become `_` in the header
        let named = crate::inputs::areas::LayerOptions::new()
            .code_property("id")
            .from_reader(
                r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"id": "a"}, "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}]}"#.as_bytes(),
                "my layer.geojson",
            )
            .unwrap();
        let text = Weights::from_neighbours(vec![vec![]])
            .to_text(WeightsFormat::Gal, &named)
            .unwrap();
        assert_eq!(text, "0 1 my_layer.geojson id\na 0\n\n");
    }
}
