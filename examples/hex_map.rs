//! A petition as a hex cartogram: one equal hexagon per seat, so that London's small,
//! crowded seats count as much as the Highlands. Also writes HexJSON with the values, for
//! other hex-map tools.
//!
//! cargo run --example hex_map [PETITION] [OUT_DIR]

use sigmap::export::{Classes, HexJson, Palette, Scheme, write_hexjson};
use sigmap::{Petition, Report};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_241584.json".into());
    let out = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));

    let report = Report::with_shipped_data(Petition::from_path(&path)?)?;
    // The hex layout of the petition's constituency set (2010 or 2024 seats) ships with
    // sigmap: Open Innovations / ODI Leeds, MIT licence.
    let vintage = report
        .table
        .layer
        .vintage
        .ok_or("not a constituency layer")?;
    let hexes = HexJson::shipped(vintage)?;
    hexes.check_covers(&report.table)?; // every seat has a hexagon

    // Natural breaks (Jenks) in five classes, yellow to red, the top five seats named.
    let svg = out.join("hex_map.svg");
    report
        .map()
        .hex(&hexes)
        .classes(Classes::Jenks(5))
        .palette(Palette::new(Scheme::YlOrRd))
        .labels(5)
        .save(&svg)?;

    // The same seats with every metric, for Flourish or hexmap.js.
    let hexjson = out.join("hex_map.hexjson");
    write_hexjson(report.analysed(), &hexes, std::fs::File::create(&hexjson)?)?;
    println!("wrote {} and {}", svg.display(), hexjson.display());
    Ok(())
}
