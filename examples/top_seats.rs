//! The seats where a petition has the most support, turnout-normalised.
//!
//! cargo run --example top_seats [PETITION]

use sigmap::{Metric, Petition, Report};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "data/petitions/petition_619781.json".into());
    let petition = Petition::from_path(&path)?;
    println!("{}", petition.title);

    // Joins to the shipped boundaries and election results of the petition's vintage.
    let report = Report::with_shipped_data(petition)?;
    let c = &report.table.completeness;
    println!(
        "{} signatures, {} in a constituency ({:.1}% of the UK's), {} seats with none",
        c.total, c.assigned, c.assigned_pct, c.zero_filled
    );

    // CSV, so names with commas ("Brighton, Pavilion") stay in one field
    let mut out = csv::Writer::from_writer(std::io::stdout());
    out.write_record([
        "rank",
        "code",
        "name",
        "signatures",
        "per_1k_voters",
        "ci95_low_per_1k_voters",
        "ci95_high_per_1k_voters",
    ])?;
    for row in report.table.top(Metric::Per1kVoters, 5) {
        out.write_record([
            row.rank_per_1k_voters.to_string(),
            row.code.clone(),
            row.name.clone(),
            row.signatures.to_string(),
            format!("{:.2}", row.per_1k_voters),
            format!("{:.2}", row.ci95_low_per_1k_voters),
            format!("{:.2}", row.ci95_high_per_1k_voters),
        ])?;
    }
    out.flush()?;
    Ok(())
}
