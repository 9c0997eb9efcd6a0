//! My MP's seat: how strongly does one constituency back a petition, against the country
//! and its neighbours? A walkthrough for an MP's office.
//!
//! cargo run --example my_mp [CONSTITUENCY] [PETITION]

use sigmap::{
    Analyser, Areas, Crosswalk, CrosswalkWeighting, Petition, ReportOptions, SeatProfile, Vintage,
    find_constituency,
};
use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let seat = args.next().unwrap_or_else(|| "Bristol Central".into());
    let path = args
        .next()
        .unwrap_or_else(|| "data/petitions/petition_241584.json".into());

    // 1. Find the seat by name: case and accents do not matter, near names are suggested
    let (new, old) = (
        Areas::shipped(Vintage::Pcon2024)?,
        Areas::shipped(Vintage::Pcon2010)?,
    );
    let seat = find_constituency(&seat, &[&new, &old])?;

    // 2. The petition was counted on the 2010 seats: re-express it on today's seats. Each
    //    old seat's signatures are shared out by population; the totals do not change.
    let mut petition = Petition::from_path(&path)?;
    if petition.vintage()? != seat.vintage {
        petition = Crosswalk::shipped(CrosswalkWeighting::Population)?.apply(&petition)?;
    }

    // 3. Analyse it against the seat's layer and pull out the seat's profile (give more
    //    petitions: the layer and its weights are built once for all of them)
    let analyser = Analyser::shipped(seat.vintage, ReportOptions::default())?;
    let profile = SeatProfile::new(&seat, &analyser, &[petition])?;

    // 4. The same page `sigmap mp` writes, as Markdown on stdout
    sigmap::write_profile_markdown(&profile, std::io::stdout().lock())?;
    Ok(())
}
