//! The notebook `notebooks/sigmap_walkthrough.ipynb` as a program: its code cells, in
//! order (a test checks they are the same), so the notebook cannot drift from the library.
//! One petition: load it, top seats, hot spots, three maps.
//!
//! cargo run --example notebook_walkthrough [OUT_DIR]

use sigmap::export::{Classes, HexJson, Palette, Scheme};
use sigmap::{Metric, Petition, Report};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // the notebook runs from notebooks/, this example from the repository root
    let root = std::path::Path::new(".");
    let out = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));

    let petition = Petition::from_path(root.join("data/petitions/petition_241584.json"))?;
    let report = Report::with_shipped_data(petition)?;
    let c = &report.table.completeness;
    println!(
        "{} signatures; {} in a constituency ({:.1}% of the UK's)",
        c.total, c.assigned, c.assigned_pct
    );

    for row in report.table.top(Metric::Per1kVoters, 5) {
        println!(
            "{:>2}. {:<40} {:>8.1} per 1,000 voters",
            row.rank_per_1k_voters, row.name, row.per_1k_voters
        );
    }

    if let Some(clustering) = &report.summary.clustering {
        println!("{}", clustering.headline);
        for region in clustering.hot_spots.iter().take(3) {
            println!("hot spot: {} seats around {}", region.seats, region.name);
        }
    }

    report
        .map()
        .classes(Classes::Jenks(5))
        .palette(Palette::new(Scheme::YlOrRd))
        .save(out.join("revoke_choropleth.svg"))?;
    report
        .map()
        .lisa(report.analysed())
        .save(out.join("revoke_lisa.svg"))?;
    let hexes = HexJson::shipped(report.table.layer.vintage.ok_or("no constituency set")?)?;
    report
        .map()
        .hex(&hexes)
        .classes(Classes::Jenks(5))
        .save(out.join("revoke_hex.svg"))?;
    println!("wrote three maps");
    Ok(())
}
