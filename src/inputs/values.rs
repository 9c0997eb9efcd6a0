//! Per-area values from a CSV (an id column, a count, optionally a population), aligned to
//! the order of a boundary layer: the input of the generic `sigmap stats`.

use crate::error::{Error, IoAction, Location, Result};
use crate::inputs::areas::Areas;
use crate::inputs::code::{UniqueCodes, code_in};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// Values per area, in the order of the layer they were aligned to.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// The variable analysed, one value per area: counts, rates or any measure.
    pub variable: Vec<f64>,
    /// The populations, one per area, if a population column was given.
    pub population: Option<Vec<f64>>,
    /// The file and records the values were read from (none for values made in code), so
    /// that a statistic that cannot use a value can say where it is.
    pub origin: Option<ValuesOrigin>,
}

/// Where [`Values`] were read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValuesOrigin {
    /// The file, as named in messages.
    pub name: String,
    /// The columns read.
    pub columns: ValueColumns,
    /// For each area, in layer order, the 1-based CSV record its value came from.
    pub records: Vec<u64>,
}

/// Which columns of a values CSV to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueColumns {
    /// The column holding area ids (codes).
    pub id: String,
    /// The column holding the variable analysed: counts, rates or any measure (the CLI's
    /// `--count`, Python's `count_column`).
    pub variable: String,
    /// The column holding populations, if any.
    pub population: Option<String>,
}

impl Values {
    /// Reads a CSV with a header and aligns its rows to `areas` by id.
    ///
    /// # Errors
    /// [`Error::Io`]; [`Error::Csv`]; [`Error::MissingField`] for a missing column;
    /// [`Error::BadField`] for a value that is not a finite number or a population that is
    /// not positive; [`Error::DuplicateCode`]; [`Error::MissingAreas`] if areas of the layer
    /// have no row; [`Error::UnknownIds`] if rows name no area of the layer.
    pub fn from_path(
        path: impl AsRef<Path>,
        columns: &ValueColumns,
        areas: &Areas,
    ) -> Result<Values> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, IoAction::Read, e))?;
        Values::parse(&text, &path.display().to_string(), columns, areas)
    }

    /// As [`Values::from_path`], from a reader; `name` is used in messages.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, Vintage};
    /// use sigmap::{ValueColumns, Values};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let mut csv = String::from("seat,n\n");
    /// for (i, a) in areas.iter().enumerate() {
    ///     csv.push_str(&format!("{},{}\n", a.code, i % 7));
    /// }
    /// let columns = ValueColumns { id: "seat".into(), variable: "n".into(), population: None };
    /// let v = Values::from_reader(csv.as_bytes(), "v.csv", &columns, &areas)?;
    /// assert_eq!(v.variable.len(), 650);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// As [`Values::from_path`].
    pub fn from_reader(
        reader: impl Read,
        name: &str,
        columns: &ValueColumns,
        areas: &Areas,
    ) -> Result<Values> {
        let text = crate::inputs::read_text(reader, name)?;
        Values::parse(&text, name, columns, areas)
    }

    fn parse(text: &str, name: &str, columns: &ValueColumns, areas: &Areas) -> Result<Values> {
        let at = Location::file(name);
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|source| Error::Csv {
                at: at.clone(),
                source,
            })?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .ok_or_else(|| Error::MissingField {
                    at: at.clone(),
                    field: name.to_string(),
                })
        };
        let id_col = col(&columns.id)?;
        let variable_col = col(&columns.variable)?;
        let pop_col = columns.population.as_deref().map(col).transpose()?;
        let mut rows: HashMap<String, ValueRow> = HashMap::new();
        let mut seen = UniqueCodes::default();
        for (i, record) in reader.records().enumerate() {
            let record_no = i as u64 + 1;
            let rec = at.record(record_no);
            let record = record.map_err(|source| Error::Csv {
                at: rec.clone(),
                source,
            })?;
            let id = code_in(&record, id_col, &rec, &columns.id)?;
            let number = |c: usize, field: &str, positive: bool| {
                read_number(
                    record.get(c).unwrap_or_default(),
                    positive,
                    &rec.field(field),
                )
            };
            let count = number(variable_col, &columns.variable, false)?;
            let population = match (pop_col, &columns.population) {
                (Some(c), Some(name)) => Some(number(c, name, true)?),
                _ => None,
            };
            seen.insert(&id, record_no, || rec.field(&columns.id))?;
            let row = ValueRow {
                count,
                population,
                record: record_no,
            };
            rows.insert(id, row);
        }
        let (count, population, records) = in_layer_order(&rows, areas, &at)?;
        Ok(Values {
            variable: count,
            population: pop_col.map(|_| population),
            origin: Some(ValuesOrigin {
                name: name.to_string(),
                columns: columns.clone(),
                records,
            }),
        })
    }

    /// Where the value of area `i` (layer order) was read: file, record and the count
    /// column; `None` for the values as a whole (file and count column). Values made in code
    /// are located as `values`, record i + 1.
    ///
    /// # Examples
    /// ```
    /// use sigmap::Values;
    /// let v = Values { variable: vec![1.0, 2.0], population: None, origin: None };
    /// assert_eq!(v.location(Some(1)).to_string(), "argument values: record 2");
    /// ```
    pub fn location(&self, i: Option<usize>) -> Location {
        match (&self.origin, i) {
            (Some(o), Some(i)) => Location::file(&o.name)
                .record(o.records.get(i).copied().unwrap_or(i as u64 + 1))
                .field(&o.columns.variable),
            (Some(o), None) => Location::file(&o.name).field(&o.columns.variable),
            (None, Some(i)) => Location::argument("values").record(i as u64 + 1),
            (None, None) => Location::argument("values"),
        }
    }

    /// The values to analyse: `count / population` with a population, else `count`.
    pub fn rates(&self) -> Vec<f64> {
        match &self.population {
            Some(p) => self.variable.iter().zip(p).map(|(c, p)| c / p).collect(),
            None => self.variable.clone(),
        }
    }
}

/// A row of a values file: the count, the population if there is a column for it, and the
/// row's record number.
struct ValueRow {
    count: f64,
    population: Option<f64>,
    record: u64,
}

/// A finite number (`positive`: greater than 0) at `at`.
fn read_number(raw: &str, positive: bool, at: &Location) -> Result<f64> {
    raw.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (!positive || *v > 0.0))
        .ok_or_else(|| Error::BadField {
            at: at.clone(),
            expected: if positive {
                "a positive number"
            } else {
                "a finite number"
            },
            found: format!("`{}`", crate::text::excerpt(raw)),
        })
}

/// The rows in layer order (counts, populations, record numbers), every id an area of
/// the layer and every area given a row.
fn in_layer_order(
    rows: &HashMap<String, ValueRow>,
    areas: &Areas,
    at: &Location,
) -> Result<(Vec<f64>, Vec<f64>, Vec<u64>)> {
    let mut unknown: Vec<String> = rows
        .keys()
        .filter(|id| areas.index_of(id).is_none())
        .cloned()
        .collect();
    if !unknown.is_empty() {
        unknown.sort();
        return Err(Error::UnknownIds {
            at: at.clone(),
            layer: areas.layer.name.clone(),
            codes: unknown,
        });
    }
    let mut missing = Vec::new();
    let mut count = Vec::with_capacity(areas.len());
    let mut population = Vec::with_capacity(areas.len());
    let mut records = Vec::with_capacity(areas.len());
    for area in areas {
        match rows.get(&area.code) {
            Some(row) => {
                count.push(row.count);
                population.push(row.population.unwrap_or(f64::NAN));
                records.push(row.record);
            }
            None => missing.push(area.code.clone()),
        }
    }
    if !missing.is_empty() {
        missing.sort();
        return Err(Error::MissingAreas {
            at: at.clone(),
            codes: missing,
        });
    }
    Ok((count, population, records))
}
