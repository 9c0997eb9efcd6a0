//! A choropleth map of signature density, in seven quantile classes.
//!
//! cargo run --example choropleth [PETITION] [OUT.svg]

use sigmap::export::Classes;
use sigmap::{Metric, Petition, Report};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_105991.json".into());
    let out = args.next().unwrap_or_else(|| "density.svg".into());

    let report = Report::with_shipped_data(Petition::from_path(&path)?)?;
    let file = std::fs::File::create(&out)?;
    report
        .map()
        .metric(Metric::DensityPerKm2)
        .classes(Classes::Quantile(7))
        .write_to(file)?;
    println!("wrote {out}");
    Ok(())
}
