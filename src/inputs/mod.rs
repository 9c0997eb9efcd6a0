//! Everything read from outside: petitions, boundary layers and their validity,
//! denominators, per-area values, points, constituency codes and vintages, coordinate
//! systems, and the 2010 → 2024 crosswalk. Nothing here knows of statistics or export.

pub mod areas;
pub mod code;
pub mod crosswalk;
pub mod crs;
pub mod denominators;
pub(crate) mod json;
pub mod petition;
pub mod points;
pub mod values;
// the winning party per seat at the shipped elections (the HTML map's tooltip)
pub(crate) mod winners;

// geo's polygon validity without its quadratic loops (used by `areas`)
mod validity;

use crate::error::{Error, IoAction, Result};

/// All of a reader's text; an I/O error names the input as `name`.
pub(crate) fn read_text(mut reader: impl std::io::Read, name: &str) -> Result<String> {
    let mut text = String::new();
    reader
        .read_to_string(&mut text)
        .map_err(|e| Error::io(name, IoAction::Read, e))?;
    Ok(text)
}
