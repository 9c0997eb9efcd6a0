//! Points to constituencies: which seat is each postcode in, and how many fall in each?
//!
//! Journalists often hold points, not constituency codes: geocoded signatures, addresses,
//! event locations. This walkthrough puts 998 real Cambridge-area postcodes (Ordnance
//! Survey Code-Point Open, shipped in data/points/) into the 2024 constituencies.
//!
//! cargo run --example points_to_constituencies

use sigmap::crs::PointCrs;
use sigmap::{Areas, PointColumns, PointReader, SpatialIndex, Vintage};

fn main() -> Result<(), sigmap::Error> {
    // 1. The boundaries (shipped with sigmap) and an index over them: build it once, then
    //    every lookup is fast (a million points take well under a second).
    let areas = Areas::shipped(Vintage::Pcon2024)?;
    let index = SpatialIndex::new(&areas);

    // 2. One point: longitude first, then latitude (WGS84 degrees).
    if let Some(id) = index.locate(0.1218, 52.2053) {
        println!(
            "Cambridge market square is in {} ({})",
            areas[id].name, areas[id].code
        );
    }

    // 3. A whole file. The postcodes carry British National Grid eastings and northings;
    //    sigmap converts them with OSTN15, the Ordnance Survey's own transformation.
    //    (Giving --crs 27700 on the command line does the same.)
    let columns = PointColumns {
        x: Some("easting".into()),
        y: Some("northing".into()),
    };
    let mut reader = PointReader::from_path(
        "data/points/postcodes_cb_sample.csv",
        &columns,
        Some(PointCrs::Bng),
    )?;
    let mut points = Vec::new();
    while reader.read_batch(&mut points)? > 0 {}

    // 4. Count them per seat. Every seat gets a count (most are zero here) and nothing is
    //    dropped silently: points in no seat are counted as unmatched.
    let counts = index.join_points(points, None);
    println!(
        "{} postcodes: {} in a seat, {} in none",
        counts.points, counts.matched, counts.unmatched
    );
    let mut seats: Vec<(u64, &str)> = areas
        .iter()
        .zip(&counts.counts)
        .filter(|(_, n)| **n > 0)
        .map(|(a, n)| (*n, a.name.as_str()))
        .collect();
    seats.sort_by(|a, b| b.cmp(a));
    for (n, name) in seats {
        println!("{n:>5}  {name}");
    }
    Ok(())
}
