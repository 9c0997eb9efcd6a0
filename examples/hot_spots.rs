//! Where is a petition's support clustered? Local Moran "hot spots" and Getis-Ord Gi*,
//! with the seats they contain and a map of each.
//!
//! cargo run --example hot_spots [PETITION] [OUT_DIR]

use sigmap::{Petition, Report};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_241584.json".into());
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));

    // A report joins the counts to the seats and tests them for clustering: signatures
    // per 1,000 voters, queen neighbours (seats that touch), 999 permutations, fixed seed.
    let report = Report::with_shipped_data(Petition::from_path(&path)?)?;
    let Some(c) = &report.summary.clustering else {
        println!("no clustering statistics: support does not vary");
        return Ok(());
    };
    // One sentence a reporter can use, with Moran's I and its pseudo p-value.
    println!("{}", c.headline);

    // Hot spots: seats with high support whose neighbours also have high support,
    // grouped into regions of touching seats. "Isolated" seats (islands) are never called
    // significant.
    println!(
        "{} hot-spot seats, {} cold-spot seats, {} isolated",
        c.labels.high_high, c.labels.low_low, c.labels.isolated
    );
    for region in c.hot_spots.iter().take(3) {
        println!(
            "hot spot around {}: {} seats, {:.0} signatures per 1,000 voters",
            region.name, region.seats, region.per_1k_voters
        );
    }
    for region in c.cold_spots.iter().take(3) {
        println!(
            "cold spot around {}: {} seats, {:.0} signatures per 1,000 voters",
            region.name, region.seats, region.per_1k_voters
        );
    }

    // Two maps: the LISA cluster map and Gi* hot spots at 90/95/99% confidence.
    let lisa = out.join("hot_spots_lisa.svg");
    report.map().lisa(report.analysed()).save(&lisa)?;
    let gi = out.join("hot_spots_gi_star.svg");
    report.map().gi_star(report.analysed()).save(&gi)?;
    println!("wrote {} and {}", lisa.display(), gi.display());
    Ok(())
}
