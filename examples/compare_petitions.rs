//! Do the same seats back two petitions? A walkthrough.
//!
//! cargo run --example compare_petitions [PETITION_A] [PETITION_B]

use sigmap::stats::Permutations;
use sigmap::{Comparison, Petition, Report};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let a = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_241584.json".into());
    let b = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_105991.json".into());

    // 1. Analyse each petition on the boundaries it was counted on (both here: the 2010
    //    seats). For a 2010 and a 2024 petition, move the 2010 one onto the 2024 seats first:
    //    sigmap::Crosswalk::shipped(CrosswalkWeighting::Population)?.apply(&petition)?
    let a = Report::with_shipped_data(Petition::from_path(&a)?)?;
    let b = Report::with_shipped_data(Petition::from_path(&b)?)?;

    // 2. Compare signatures per 1,000 voters seat by seat; neighbours are the report's:
    //    seats that share a boundary point (queen contiguity, the default)
    let c = Comparison::new(&a, &b, &a.weights, Permutations::new(999))?;
    println!("A: {}\nB: {}", c.a.title, c.b.title);
    println!("{}", c.headline);

    // 3. Where do they part ways? Seats ranking far higher for one than the other
    println!("\nMuch stronger for A:");
    for s in c.more_for_a.iter().take(5) {
        println!("  {} (rank {} for A, {} for B)", s.name, s.a_rank, s.b_rank);
    }
    println!("Much stronger for B:");
    for s in c.more_for_b.iter().take(5) {
        println!("  {} (rank {} for A, {} for B)", s.name, s.a_rank, s.b_rank);
    }
    Ok(())
}
