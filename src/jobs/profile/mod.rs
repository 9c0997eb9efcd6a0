//! One seat across petitions, for an MP's office: how strongly its constituents back each
//! petition, against the country and the neighbouring seats.
//!
//! [`find_constituency`] turns what a person types (a code, or a name in any case, with or
//! without accents) into a seat, and suggests near names when nothing matches.
//! [`SeatProfile::new`] gathers the seat's figures from several petitions, analysed with one
//! [`Analyser`] (the layer and its weights built once);
//! [`write_profile_markdown`] and [`write_profile_html`]
//! write it.

mod page;

pub(crate) use page::facts;
pub use page::{write_profile_html, write_profile_markdown};

use crate::error::{Error, Result};
use crate::inputs::areas::Areas;
use crate::inputs::code::Vintage;
use crate::inputs::petition::Petition;
use crate::jobs::analysis::{Analyser, Analysis};
use crate::jobs::summary::PetitionInfo;
use crate::stats::ClusterLabel;
use crate::table::join::Row;
use crate::table::unusual::Direction;
use crate::weights::WeightsKind;
use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// A constituency found by code or name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Constituency {
    /// GSS code.
    pub code: String,
    /// Name, as the boundary layer spells it.
    pub name: String,
    /// The constituency set it belongs to.
    pub vintage: Vintage,
}

/// Folds a name for matching: no accents, lower case, words separated by single spaces
/// (`Ynys Môn` and `ynys-mon` both become `ynys mon`; `&` becomes `and`).
pub(crate) fn fold_name(name: &str) -> String {
    let plain: String = name
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect::<String>()
        .to_lowercase()
        .replace('&', " and ");
    plain
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Finds a constituency by code (any case) or by name (case, accents and punctuation do not
/// matter) in the given layers, the first layer winning a tie (pass the 2024 layer first to
/// prefer today's seats).
///
/// # Examples
/// ```
/// use sigmap::find_constituency;
/// use sigmap::{Areas, Vintage};
/// let (new, old) = (Areas::shipped(Vintage::Pcon2024)?, Areas::shipped(Vintage::Pcon2010)?);
/// let layers = [&new, &old];
/// let seat = find_constituency("ynys mon", &layers)?;
/// assert_eq!(seat.code, "W07000112");
/// let e = find_constituency("Cambrige", &layers).unwrap_err();
/// assert!(e.to_string().contains("did you mean Cambridge"), "{e}");
/// # Ok::<(), sigmap::Error>(())
/// ```
///
/// # Errors
/// [`Error::UnknownConstituency`] with up to three near names.
pub fn find_constituency(query: &str, layers: &[&Areas]) -> Result<Constituency> {
    let wanted = fold_name(query);
    let found = |f: &dyn Fn(&crate::inputs::areas::Area) -> bool| {
        layers.iter().find_map(|layer| {
            layer.iter().find(|a| f(a)).map(|a| Constituency {
                code: a.code.clone(),
                name: a.name.clone(),
                vintage: layer.vintage().unwrap_or(Vintage::Pcon2024),
            })
        })
    };
    if let Some(c) = found(&|a| a.code.eq_ignore_ascii_case(query.trim()))
        .or_else(|| found(&|a| fold_name(&a.name) == wanted))
    {
        return Ok(c);
    }
    let mut scored: Vec<(f64, &str)> = layers
        .iter()
        .flat_map(|l| l.iter())
        .map(|a| {
            (
                strsim::jaro_winkler(&wanted, &fold_name(&a.name)),
                a.name.as_str(),
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut suggestions: Vec<String> = Vec::new();
    for (score, name) in scored {
        if suggestions.len() == 3 || score < 0.8 {
            break;
        }
        if !suggestions.iter().any(|s| s == name) {
            suggestions.push(name.to_string());
        }
    }
    Err(Error::UnknownConstituency {
        query: query.to_string(),
        suggestions,
    })
}

/// A seat across petitions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SeatProfile {
    /// The seat.
    pub constituency: Constituency,
    /// The MP, from the most recent petition that names one.
    pub mp: Option<String>,
    /// The neighbouring seats (queen contiguity).
    pub neighbours: Vec<String>,
    /// One entry per petition, in the order given.
    pub petitions: Vec<PetitionProfile>,
}

/// The seat's figures for one petition.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PetitionProfile {
    /// The petition.
    pub petition: PetitionInfo,
    /// Signatures in the seat.
    pub signatures: u64,
    /// True if the counts were re-expressed from other seats (estimates).
    pub estimated: bool,
    /// Signatures per 1,000 voters in the seat.
    pub per_1k_voters: f64,
    /// Exact Poisson 95% interval.
    pub ci95_low_per_1k_voters: f64,
    /// Upper bound.
    pub ci95_high_per_1k_voters: f64,
    /// Signatures per 1,000 voters over all seats.
    pub national_per_1k_voters: f64,
    /// Observed over expected signatures at the national rate.
    pub obs_exp: Option<f64>,
    /// Rank among all seats (1 = highest).
    pub rank: u32,
    /// Best plausible rank.
    pub rank_best: Option<u32>,
    /// Worst plausible rank.
    pub rank_worst: Option<u32>,
    /// Number of seats ranked.
    pub seats: usize,
    /// Unusually high or low support.
    pub unusual: Option<Direction>,
    /// LISA cluster label.
    pub lisa_label: Option<ClusterLabel>,
    /// The hot (or cold) spot region the seat belongs to, named by its largest member.
    pub cluster_region: Option<String>,
    /// Signatures per 1,000 voters over the neighbouring seats together.
    pub neighbours_per_1k_voters: Option<f64>,
    /// Each neighbour's rate.
    pub neighbour_rates: Vec<NeighbourRate>,
}

/// A neighbouring seat's rate.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NeighbourRate {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Signatures per 1,000 voters.
    pub per_1k_voters: f64,
    /// Rank.
    pub rank: u32,
}

impl SeatProfile {
    /// The profile of `seat` across `petitions`, each analysed with `analyser` (whose
    /// layer must hold the seat; petitions on another constituency set are re-expressed
    /// first with a [`Crosswalk`](crate::Crosswalk)). The petitions are analysed in
    /// parallel, each reduced to the seat's figures as soon as it is done, so memory does
    /// not grow with their number beyond one entry each.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Analyser, Areas, Petition, ReportOptions, SeatProfile, Vintage, find_constituency};
    /// let analyser = Analyser::shipped(Vintage::Pcon2010, ReportOptions::default())?;
    /// let seat = find_constituency("cities of london and westminster", &[analyser.areas()])?;
    /// let petition = Petition::from_path("data/petitions/petition_241584.json")?;
    /// let profile = SeatProfile::new(&seat, &analyser, &[petition])?;
    /// assert_eq!(profile.petitions[0].rank, 1);
    /// assert!(!profile.neighbours.is_empty());
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::VintageMismatch`] if the seat is not in the analyser's layer; as
    /// [`Analyser::analyse`] for each petition (the first error in the order given).
    pub fn new(
        seat: &Constituency,
        analyser: &Analyser,
        petitions: &[Petition],
    ) -> Result<SeatProfile> {
        let areas = analyser.areas();
        let i = areas
            .index_of(&seat.code)
            .ok_or_else(|| Error::VintageMismatch {
                at: crate::Location::file(&areas.layer.name),
                found: areas.layer.vintage.map_or("another", |v| v.label()),
                expected: seat.vintage.label(),
                other: format!("the constituency {} ({})", seat.name, seat.code).into(),
            })?;
        // queen neighbours whatever the analyser's weights: the page lists adjacent seats
        let queen = WeightsKind::Queen.build(areas)?;
        let neighbours: &[u32] = queen.neighbours(i);
        let entries = petitions
            .par_iter()
            .map(|petition| {
                let analysis = analyser.analyse(petition)?;
                Ok(profile_entry(
                    petition, &analysis, i, neighbours, &seat.code,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let mut mp = None;
        let mut petitions = Vec::with_capacity(entries.len());
        for (entry, seat_mp) in entries {
            if seat_mp.is_some() {
                mp = seat_mp;
            }
            petitions.push(entry);
        }
        Ok(SeatProfile {
            constituency: seat.clone(),
            mp,
            neighbours: neighbours
                .iter()
                .map(|&j| areas[j as usize].name.clone())
                .collect(),
            petitions,
        })
    }
}

/// The figures of the seat at row `i` in one analysed petition, and the seat's MP if the
/// petition's election data names one.
fn profile_entry(
    petition: &Petition,
    analysis: &Analysis,
    i: usize,
    neighbours: &[u32],
    code: &str,
) -> (PetitionProfile, Option<String>) {
    let rows = &analysis.table.rows;
    let row = &rows[i];
    let seat = &analysis.seats[i];
    let next: Vec<&Row> = neighbours.iter().map(|&j| &rows[j as usize]).collect();
    let (sigs, voters) = next.iter().fold((0u64, 0u64), |(s, v), r| {
        (s + r.signatures, v + r.valid_votes)
    });
    let cluster_region = analysis.summary.clustering.as_ref().and_then(|c| {
        c.hot_spots
            .iter()
            .chain(&c.cold_spots)
            .find(|r| r.codes.iter().any(|c| c == code))
            .map(|r| format!("{} ({} seats around {})", r.label.name(), r.seats, r.name))
    });
    let entry = PetitionProfile {
        petition: analysis.summary.petition.clone(),
        signatures: row.signatures,
        estimated: petition.crosswalk.is_some(),
        per_1k_voters: row.per_1k_voters,
        ci95_low_per_1k_voters: row.ci95_low_per_1k_voters,
        ci95_high_per_1k_voters: row.ci95_high_per_1k_voters,
        national_per_1k_voters: analysis.summary.overall_per_1k_voters,
        obs_exp: seat.excess.map(|e| e.ratio),
        rank: row.rank_per_1k_voters,
        rank_best: seat.rank_interval.map(|r| r.best),
        rank_worst: seat.rank_interval.map(|r| r.worst),
        seats: rows.len(),
        unusual: seat.excess.and_then(|e| e.flag),
        lisa_label: seat.lisa_label(),
        cluster_region,
        neighbours_per_1k_voters: (voters > 0).then(|| 1000.0 * sigs as f64 / voters as f64),
        neighbour_rates: next
            .iter()
            .map(|r| NeighbourRate {
                code: r.code.clone(),
                name: r.name.clone(),
                per_1k_voters: r.per_1k_voters,
                rank: r.rank_per_1k_voters,
            })
            .collect(),
    };
    (entry, row.mp.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold() {
        assert_eq!(fold_name("Ynys Môn"), "ynys mon");
        assert_eq!(
            fold_name("  Montgomeryshire and Glyndŵr "),
            "montgomeryshire and glyndwr"
        );
        assert_eq!(fold_name("Brighton, Pavilion"), "brighton pavilion");
        assert_eq!(fold_name("Na h-Eileanan an Iar"), "na h eileanan an iar");
        assert_eq!(
            fold_name("Richmond & Northallerton"),
            "richmond and northallerton"
        );
    }
}
