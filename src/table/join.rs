//! The code join: a petition's counts onto a boundary layer and its denominators, checked
//! for vintage, zero-filled to every area, with the codes that match no area reported.

use crate::error::{Error, Location, Result};
use crate::inputs::areas::{Area, Areas, LayerInfo};
use crate::inputs::code::{Vintage, VintageDetection};
use crate::inputs::denominators::{Denominator, Denominators};
use crate::inputs::petition::{Petition, SignatureCount};
use crate::table::metrics::{Metric, poisson_interval, ranks_and_percentiles};
use crate::text::thousands;
use serde::Serialize;

/// One area's signatures, denominators and metrics, as [`Table::join`] computes them. Rates
/// are `f64`, counts `u64`. What a [`Report`](crate::Report) adds (rank intervals, unusual
/// support, spatial smoothing, clustering) is a [`SeatAnalysis`](crate::SeatAnalysis)
/// beside the row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Row {
    /// GSS code.
    pub code: String,
    /// Name, as the boundary layer spells it.
    pub name: String,
    /// The MP named by the petition for this constituency when its counts were saved.
    pub mp: Option<String>,
    /// Signatures (0 if the petition did not list the area).
    pub signatures: u64,
    /// True if the petition did not list the area and its count was set to 0.
    pub zero_filled: bool,
    /// Registered electors at the general election on these boundaries.
    pub electorate: u64,
    /// Valid votes at that election.
    pub valid_votes: u64,
    /// `valid_votes / electorate`.
    pub turnout: f64,
    /// Ellipsoidal area, km².
    pub area_km2: f64,
    /// `signatures / area_km2` (none for an area with empty geometry).
    pub density_per_km2: Option<f64>,
    /// `1000 · signatures / electorate`.
    pub per_1k_electors: f64,
    /// `1000 · signatures / valid_votes`: signatures per 1,000 people who voted.
    pub per_1k_voters: f64,
    /// `100 · signatures / assigned`: share of all signatures assigned to an area.
    pub share_pct: f64,
    /// Location quotient: `(signatures / assigned) / (electorate / total electorate)`.
    pub lq: f64,
    /// Lower bound of the exact Poisson 95% interval on `per_1k_electors`.
    pub ci95_low_per_1k_electors: f64,
    /// Upper bound of the exact Poisson 95% interval on `per_1k_electors`.
    pub ci95_high_per_1k_electors: f64,
    /// Lower bound of the exact Poisson 95% interval on `per_1k_voters`.
    pub ci95_low_per_1k_voters: f64,
    /// Upper bound of the exact Poisson 95% interval on `per_1k_voters`.
    pub ci95_high_per_1k_voters: f64,
    /// Rank by signatures (1 = most; ties share the lowest rank).
    pub rank_signatures: u32,
    /// Percentage of areas with at most this many signatures.
    pub percentile_signatures: f64,
    /// Rank by density.
    pub rank_density_per_km2: Option<u32>,
    /// Percentile by density.
    pub percentile_density_per_km2: Option<f64>,
    /// Rank by signatures per 1,000 electors.
    pub rank_per_1k_electors: u32,
    /// Percentile by signatures per 1,000 electors.
    pub percentile_per_1k_electors: f64,
    /// Rank by signatures per 1,000 voters.
    pub rank_per_1k_voters: u32,
    /// Percentile by signatures per 1,000 voters.
    pub percentile_per_1k_voters: f64,
    /// Global Empirical Bayes smoothed signatures per 1,000 electors (none if no area has a
    /// signature).
    pub eb_per_1k: Option<f64>,
}

impl Row {
    /// The value of a metric (`None` only for the density of an empty geometry).
    pub fn value(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::Signatures => Some(self.signatures as f64),
            Metric::DensityPerKm2 => self.density_per_km2,
            Metric::Per1kElectors => Some(self.per_1k_electors),
            Metric::Per1kVoters => Some(self.per_1k_voters),
            Metric::SharePct => Some(self.share_pct),
            Metric::Lq => Some(self.lq),
        }
    }
}

/// How the petition's signatures are accounted for.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Completeness {
    /// Total signatures on the petition (UK and abroad).
    pub total: u64,
    /// Signatures from the United Kingdom.
    pub uk_total: u64,
    /// Sum of all constituency counts the petition lists.
    pub constituency_sum: u64,
    /// Signatures joined to an area of the layer.
    pub assigned: u64,
    /// `uk_total - assigned`: UK signatures with no constituency (dropped by the petitions
    /// site) plus those under codes that match no area. Negative if the published counters
    /// disagree.
    pub unassigned: i64,
    /// `100 · assigned / uk_total`.
    pub assigned_pct: f64,
    /// Areas the petition lists.
    pub areas_listed: usize,
    /// Areas the petition does not list, counted as 0.
    pub zero_filled: usize,
    /// Signatures under codes that match no area (see `Table::unmatched`).
    pub unmatched_signatures: u64,
    /// The constituency set detected from the petition's codes.
    pub vintage: Option<Vintage>,
    /// Caveats in plain words (inconsistent counters, unmatched codes, ...).
    pub notes: Vec<String>,
}

/// A petition joined to a boundary layer: one row per area, in layer order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Table {
    /// One row per area of the layer, in layer order.
    pub rows: Vec<Row>,
    /// Signature accounting.
    pub completeness: Completeness,
    /// Counts whose code matches no area of the layer: listed, never dropped.
    pub unmatched: Vec<SignatureCount>,
    /// The boundary layer.
    pub layer: LayerInfo,
    /// Where the denominators came from (their file or the shipped election results).
    pub denominators_source: String,
    /// The election the denominators come from, if known (`GE2019`, `GE2024`).
    pub election: Option<&'static str>,
}

impl Table {
    /// Joins a petition to areas and denominators by code, zero-fills the areas it does not
    /// list and computes every metric and ranking.
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Areas, Denominators, Petition, Table, Vintage};
    /// let areas = Areas::shipped(Vintage::Pcon2024)?;
    /// let denominators = Denominators::shipped(Vintage::Pcon2024)?;
    /// let petition = Petition::from_reader("code,count\nE14001063,120\nE14001064,80\n".as_bytes(), "two.csv")?;
    /// let table = Table::join(&petition, &areas, &denominators)?;
    /// assert_eq!(table.rows.len(), 650);
    /// assert_eq!(table.completeness.zero_filled, 648);
    /// assert_eq!(table.completeness.vintage, Some(Vintage::Pcon2024));
    /// let top = table.rows.iter().find(|r| r.rank_signatures == 1).unwrap();
    /// assert_eq!(top.code, "E14001063");
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownVintage`] if no code of the petition is a known area or
    /// constituency; [`Error::VintageMismatch`] if the petition, layer and denominators use
    /// different constituency sets; [`Error::MissingAreas`] if the denominators lack areas.
    pub fn join(petition: &Petition, areas: &Areas, denominators: &Denominators) -> Result<Table> {
        let layer_vintage = areas.vintage();
        let detection = Vintage::detect(
            petition.counts.iter().map(|c| c.code.as_str()),
            layer_vintage,
        );
        check_vintages(petition, areas, denominators, &detection)?;
        let placed = Placed::new(petition, areas);
        let assigned: u64 = placed.signatures.iter().sum();
        let dens: Vec<Denominator> = areas
            .iter()
            .map(|a| {
                denominators
                    .get(&a.code)
                    .copied()
                    .ok_or_else(|| Error::MissingAreas {
                        at: Location::file(&denominators.source),
                        codes: vec![a.code.clone()],
                    })
            })
            .collect::<Result<_>>()?;
        let total_electorate: u64 = dens.iter().map(|d| d.electorate).sum();
        let mut rows: Vec<Row> = areas
            .iter()
            .zip(&dens)
            .zip(placed.signatures.iter().zip(&placed.listed))
            .zip(placed.mps)
            .map(|(((area, d), (&s, &listed)), mp)| {
                Row::measured(area, d, (s, mp, listed), assigned, total_electorate)
            })
            .collect();
        rank_rows(&mut rows);
        let counts: Vec<f64> = rows.iter().map(|r| r.signatures as f64).collect();
        let electorate: Vec<f64> = rows.iter().map(|r| r.electorate as f64).collect();
        for (row, eb) in rows
            .iter_mut()
            .zip(crate::stats::empirical_bayes(&counts, &electorate)?)
        {
            row.eb_per_1k = eb.map(|r| 1000.0 * r);
        }

        let unmatched = placed.unmatched;
        let unmatched_signatures: u64 = unmatched.iter().map(|c| c.count).sum();
        let notes = join_notes(
            petition,
            &detection,
            (unmatched.len(), unmatched_signatures),
            &areas.layer.name,
            assigned,
        );
        let listed = &placed.listed;
        let completeness = Completeness {
            total: petition.total,
            uk_total: petition.uk_total,
            constituency_sum: petition.constituency_sum(),
            assigned,
            unassigned: petition.uk_total as i64 - assigned as i64,
            assigned_pct: if petition.uk_total > 0 {
                100.0 * assigned as f64 / petition.uk_total as f64
            } else {
                0.0
            },
            areas_listed: listed.iter().filter(|&&l| l).count(),
            zero_filled: listed.iter().filter(|&&l| !l).count(),
            unmatched_signatures,
            vintage: detection.vintage.or(layer_vintage),
            notes,
        };
        Ok(Table {
            rows,
            completeness,
            unmatched,
            layer: areas.layer.clone(),
            denominators_source: denominators.source.clone(),
            election: denominators.election,
        })
    }

    /// The values of a metric, in layer order (`None` for the density of empty geometry).
    pub fn values(&self, metric: Metric) -> Vec<Option<f64>> {
        self.rows.iter().map(|r| r.value(metric)).collect()
    }

    /// Rows sorted by a metric, highest first (ties in layer order).
    pub fn top(&self, metric: Metric, n: usize) -> Vec<&Row> {
        self.top_indices(metric, n)
            .into_iter()
            .map(|i| &self.rows[i])
            .collect()
    }

    /// The indices of [`Table::top`]: rows sorted by a metric, highest first (ties in
    /// layer order).
    pub fn top_indices(&self, metric: Metric, n: usize) -> Vec<usize> {
        let value = |i: usize| self.rows[i].value(metric).unwrap_or(f64::NEG_INFINITY);
        // the order of a stable sort (ties by index), without sorting the rows past `n`
        let before = |a: &usize, b: &usize| value(*b).total_cmp(&value(*a)).then(a.cmp(b));
        let mut order: Vec<usize> = (0..self.rows.len()).collect();
        if n < order.len() {
            order.select_nth_unstable_by(n, before);
            order.truncate(n);
        }
        order.sort_unstable_by(before);
        order
    }

    /// The row of one area.
    pub fn row(&self, code: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.code == code)
    }
}

fn rank_rows(rows: &mut [Row]) {
    let ranked = |metric: Metric, rows: &[Row]| {
        let values: Vec<Option<f64>> = rows.iter().map(|r| r.value(metric)).collect();
        ranks_and_percentiles(&values)
    };
    let (r_sig, p_sig) = ranked(Metric::Signatures, rows);
    let (r_den, p_den) = ranked(Metric::DensityPerKm2, rows);
    let (r_ele, p_ele) = ranked(Metric::Per1kElectors, rows);
    let (r_vot, p_vot) = ranked(Metric::Per1kVoters, rows);
    // every row has signatures and rates, so only the density can be unranked
    for (i, row) in rows.iter_mut().enumerate() {
        row.rank_signatures = r_sig[i].unwrap_or_default();
        row.percentile_signatures = p_sig[i].unwrap_or_default();
        row.rank_density_per_km2 = r_den[i];
        row.percentile_density_per_km2 = p_den[i];
        row.rank_per_1k_electors = r_ele[i].unwrap_or_default();
        row.percentile_per_1k_electors = p_ele[i].unwrap_or_default();
        row.rank_per_1k_voters = r_vot[i].unwrap_or_default();
        row.percentile_per_1k_voters = p_vot[i].unwrap_or_default();
    }
}

/// Refuses a petition, layer and denominators on different constituency sets, and a
/// petition none of whose codes is an area of the layer.
fn check_vintages(
    petition: &Petition,
    areas: &Areas,
    denominators: &Denominators,
    detection: &VintageDetection,
) -> Result<()> {
    let at = Location::file(&petition.source);
    let layer_vintage = areas.vintage();
    if let (Some(found), Some(expected)) = (detection.vintage, layer_vintage)
        && found != expected
    {
        return Err(Error::VintageMismatch {
            at,
            found: found.label(),
            expected: expected.label(),
            other: format!("the boundary layer {}", areas.layer.name).into(),
        });
    }
    let matches_layer = petition
        .counts
        .iter()
        .any(|c| areas.index_of(&c.code).is_some());
    if !matches_layer && !petition.counts.is_empty() {
        let mut codes: Vec<String> = petition.counts.iter().map(|c| c.code.clone()).collect();
        codes.sort();
        return Err(
            if detection.vintage.is_none() && detection.unknown.len() == codes.len() {
                Error::UnknownVintage { at, codes }
            } else {
                Error::NoMatchingCodes {
                    at,
                    layer: areas.layer.name.clone(),
                    codes,
                }
            },
        );
    }
    if let (Some(found), Some(expected)) = (denominators.vintage, layer_vintage)
        && found != expected
    {
        return Err(Error::VintageMismatch {
            at: Location::file(&denominators.source),
            found: found.label(),
            expected: expected.label(),
            other: format!("the boundary layer {}", areas.layer.name).into(),
        });
    }
    denominators.check_covers(areas)
}

/// A petition's counts placed on a layer's areas, in layer order.
struct Placed {
    signatures: Vec<u64>,
    mps: Vec<Option<String>>,
    /// Whether the petition listed the area (the rest are zero-filled).
    listed: Vec<bool>,
    /// Counts whose code is no area of the layer, by code.
    unmatched: Vec<SignatureCount>,
}

impl Placed {
    fn new(petition: &Petition, areas: &Areas) -> Placed {
        let mut placed = Placed {
            signatures: vec![0; areas.len()],
            mps: vec![None; areas.len()],
            listed: vec![false; areas.len()],
            unmatched: Vec::new(),
        };
        for count in &petition.counts {
            match areas.index_of(&count.code) {
                Some(i) => {
                    placed.signatures[i] = count.count;
                    placed.mps[i].clone_from(&count.mp);
                    placed.listed[i] = true;
                }
                None => placed.unmatched.push(count.clone()),
            }
        }
        placed.unmatched.sort_by(|a, b| a.code.cmp(&b.code));
        placed
    }
}

/// What a reader of the table must know: estimates, assumptions, counts that match no area,
/// and published totals that disagree.
fn join_notes(
    petition: &Petition,
    detection: &VintageDetection,
    (unmatched_codes, unmatched_signatures): (usize, u64),
    layer: &str,
    assigned: u64,
) -> Vec<String> {
    let constituency_sum = petition.constituency_sum();
    let mut notes = Vec::new();
    if let Some(how) = &petition.crosswalk {
        notes.push(format!("{how}; the counts per seat are estimates"));
    }
    if let Some(v) = detection.vintage
        && detection.only_2010 == 0
        && detection.only_2024 == 0
    {
        notes.push(format!(
            "every code of the petition is one of the five Scottish codes both constituency sets share (S14000021, S14000027, S14000045, S14000048, S14000051), so its set cannot be told: the {v} constituencies were assumed"
        ));
    }
    if unmatched_codes > 0 {
        notes.push(format!(
            "{unmatched_codes} code(s) with {} signature(s) match no area of {layer}",
            thousands(unmatched_signatures),
        ));
    }
    if !petition.uk_total_published {
        notes.push(
            "the input gives no UK total: the constituency sum stands in for it, so unassigned signatures cannot be counted".into(),
        );
    }
    if petition.uk_total > petition.total {
        notes.push(format!(
            "the published UK count ({}) exceeds the petition total ({}): the site's counters were updated at different times",
            thousands(petition.uk_total),
            thousands(petition.total)
        ));
    }
    if constituency_sum > petition.uk_total {
        notes.push(format!(
            "the constituency counts ({}) exceed the UK count ({})",
            thousands(constituency_sum),
            thousands(petition.uk_total)
        ));
    }
    if assigned == 0 {
        notes.push(
            "no signature is in an area of the layer: every rate, share and quotient is 0".into(),
        );
    }
    notes
}

impl Row {
    /// The joined row of one area from its (signatures, MP, listed): the denominators, and
    /// the rates, intervals, share and quotient made from them; ranks and the EB rate
    /// to be set.
    fn measured(
        area: &Area,
        d: &Denominator,
        (s, mp, listed): (u64, Option<String>, bool),
        assigned: u64,
        total_electorate: u64,
    ) -> Row {
        let sf = s as f64;
        let (lo, hi) = poisson_interval(s, 0.95);
        let per_1k = |n: f64, denominator: u64| 1000.0 * n / denominator as f64;
        Row {
            code: area.code.clone(),
            name: area.name.clone(),
            mp,
            signatures: s,
            zero_filled: !listed,
            electorate: d.electorate,
            valid_votes: d.valid_votes,
            turnout: d.valid_votes as f64 / d.electorate as f64,
            area_km2: area.area_km2,
            density_per_km2: (area.area_km2 > 0.0).then(|| sf / area.area_km2),
            per_1k_electors: per_1k(sf, d.electorate),
            // Denominators are positive: `Denominators` refuses zeros
            per_1k_voters: per_1k(sf, d.valid_votes),
            share_pct: if assigned > 0 {
                100.0 * sf / assigned as f64
            } else {
                0.0
            },
            lq: if assigned > 0 {
                (sf / assigned as f64) / (d.electorate as f64 / total_electorate as f64)
            } else {
                0.0
            },
            ci95_low_per_1k_electors: per_1k(lo, d.electorate),
            ci95_high_per_1k_electors: per_1k(hi, d.electorate),
            ci95_low_per_1k_voters: per_1k(lo, d.valid_votes),
            ci95_high_per_1k_voters: per_1k(hi, d.valid_votes),
            rank_signatures: 0,
            percentile_signatures: 0.0,
            rank_density_per_km2: None,
            percentile_density_per_km2: None,
            rank_per_1k_electors: 0,
            percentile_per_1k_electors: 0.0,
            rank_per_1k_voters: 0,
            percentile_per_1k_voters: 0.0,
            eb_per_1k: None,
        }
    }
}
