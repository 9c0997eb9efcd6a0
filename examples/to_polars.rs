//! A petition as a polars DataFrame, and as Parquet for DuckDB, pandas or Spark.
//!
//! cargo run --example to_polars [PETITION] [OUT.parquet]

use polars::prelude::*;
use sigmap::{Petition, Report};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_241584.json".into());
    let out = args.next().unwrap_or_else(|| "areas.parquet".into());

    let report = Report::with_shipped_data(Petition::from_path(&path)?)?;
    let df = sigmap::export::to_dataframe(report.analysed())?;
    println!("{} rows x {} columns", df.height(), df.width());

    // The five seats with the highest turnout-normalised support
    let top = df.sort(
        ["per_1k_voters"],
        SortMultipleOptions::default().with_order_descending(true),
    )?;
    let codes = top.column("code")?.str()?;
    let rates = top.column("per_1k_voters")?.f64()?;
    for i in 0..5 {
        println!(
            "{} {:.2}",
            codes.get(i).unwrap_or("?"),
            rates.get(i).unwrap_or(f64::NAN)
        );
    }

    sigmap::export::write_parquet(report.analysed(), std::fs::File::create(&out)?)?;
    println!("wrote {out}");
    Ok(())
}
