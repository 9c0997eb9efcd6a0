//! My MP's seat: how strongly does one constituency back a petition, against the country
//! and its neighbours? A walkthrough for an MP's office.
//!
//! cargo run --example my_mp [CONSTITUENCY] [PETITION]

use sigmap::{
    Areas, Crosswalk, CrosswalkWeighting, Petition, Report, SeatProfile, Vintage, find_constituency,
};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let seat = args.next().unwrap_or_else(|| "Bristol Central".into());
    let path = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_241584.json".into());

    // 1. Find the seat by name: case and accents do not matter, near names are suggested
    let layers = [
        Areas::shipped(Vintage::Pcon2024)?,
        Areas::shipped(Vintage::Pcon2010)?,
    ];
    let seat = find_constituency(&seat, &layers)?;

    // 2. The petition was counted on the 2010 seats: re-express it on today's seats. Each
    //    old seat's signatures are shared out by population; the totals do not change.
    let mut petition = Petition::from_path(&path)?;
    if petition.vintage()? != seat.vintage {
        petition = Crosswalk::shipped(CrosswalkWeighting::Population)?.apply(&petition)?;
    }

    // 3. Analyse it and pull out the seat's profile
    let report = Report::with_shipped_data(petition)?;
    let profile = SeatProfile::new(&seat, &[report])?;

    // 4. The same page `sigmap mp` writes, as Markdown on stdout
    sigmap::write_profile_markdown(&profile, std::io::stdout().lock())?;
    Ok(())
}
