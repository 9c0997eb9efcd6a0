//! Support by nation: a petition's seats as a polars DataFrame, grouped by nation.
//!
//! cargo run --example nations [PETITION]
//!
//! The same table is one call away in a Rust notebook: `sigmap::export::to_dataframe`.

use polars::prelude::*;
use sigmap::{Petition, Report};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/petitions/petition_241584.json".into());
    let report = Report::with_shipped_data(Petition::from_path(&path)?)?;
    let mut df = sigmap::export::to_dataframe(report.analysed())?;

    // The first letter of a GSS code says the nation: E England, W Wales, S Scotland,
    // N Northern Ireland
    let nation: Vec<&str> = df
        .column("code")?
        .str()?
        .iter()
        .map(|code| match code.and_then(|c| c.chars().next()) {
            Some('E') => "England",
            Some('W') => "Wales",
            Some('S') => "Scotland",
            Some('N') => "Northern Ireland",
            _ => "other",
        })
        .collect();
    df.with_column(Column::new("nation".into(), nation))?;

    // One frame per nation; add up its signatures and voters for the turnout-normalised
    // rate (polars' lazy API does this as group_by().agg(); sigmap builds polars eager only)
    let mut nations = df.partition_by(["nation"], true)?;
    nations.sort_by_key(|part| {
        part.column("nation")
            .ok()
            .and_then(|c| c.str().ok()?.get(0).map(str::to_owned))
    });
    println!("nation,seats,signatures,per_1k_voters");
    for part in &nations {
        let name = part
            .column("nation")?
            .str()?
            .get(0)
            .unwrap_or("?")
            .to_owned();
        let signatures = part.column("signatures")?.u64()?.sum().unwrap_or(0);
        let voters = part.column("valid_votes")?.u64()?.sum().unwrap_or(0);
        println!(
            "{name},{},{signatures},{:.2}",
            part.height(),
            1000.0 * signatures as f64 / voters as f64
        );
    }
    Ok(())
}
