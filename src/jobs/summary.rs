//! What a report says about a petition: the types of `summary.json` (the petition, the
//! accounting, the layer, the top seats, unusual support and clustering).

use crate::index::{Gap, Overlap};
use crate::inputs::areas::{GeometryIssue, LayerInfo};
use crate::inputs::petition::{Schema, SignatureCount};
use crate::stats::{ClusterLabel, Geary, GetisOrd, Moran};
use crate::table::join::Completeness;
use crate::table::metrics::Metric;
use crate::table::unusual::{Direction, ExcessSummary};
use crate::weights::WeightsSummary;
use serde::Serialize;

/// How many seats the summary lists.
pub const TOP_N: usize = 10;

/// What `summary.json` holds: the petition, the accounting, the layer and the top seats.
/// No timestamps: the same inputs give the same bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Summary {
    /// sigmap's version.
    pub sigmap_version: &'static str,
    /// The petition.
    pub petition: PetitionInfo,
    /// Signature accounting.
    pub completeness: Completeness,
    /// Counts under codes that match no area.
    pub unmatched: Vec<SignatureCount>,
    /// The boundary layer (name, hash, properties, vintage).
    pub layer: LayerInfo,
    /// Areas with invalid or empty geometry (kept, and measured as they are).
    pub geometry_issues: Vec<GeometryIssue>,
    /// Pairs of areas of the layer whose interiors overlap: a point there is in both (it is
    /// counted in the first, in layer order).
    pub overlaps: Vec<Overlap>,
    /// Gaps between the layer's areas, inside its outline: a point there is in none.
    pub gaps: Vec<Gap>,
    /// Values of `areas.csv` left empty (JSON `null`), which seats and why: a density
    /// without geometry, a spatial EB rate without signatures around, a pseudo p-value of
    /// an island. Every other number is finite.
    pub empty_values: Vec<String>,
    /// The denominators' source.
    pub denominators: String,
    /// The election the denominators come from, for the constituency sets.
    pub election: Option<&'static str>,
    /// Signatures per 1,000 electors over all areas.
    pub overall_per_1k_electors: f64,
    /// Signatures per 1,000 voters over all areas.
    pub overall_per_1k_voters: f64,
    /// How seats are ranked, in words: by signatures per 1,000 voters (turnout-normalised),
    /// with rank intervals.
    pub ranking: String,
    /// The top seats by signatures per 1,000 voters.
    pub top_per_1k_voters: Vec<TopSeat>,
    /// Observed against expected signatures (national rate per voter): the dispersion and
    /// how many seats are unusually high or low (none if there is no signature).
    pub unusual: Option<ExcessSummary>,
    /// The seats with unusually high support, most unusual first.
    pub unusually_high: Vec<UnusualSeat>,
    /// The seats with unusually low support, most unusual first.
    pub unusually_low: Vec<UnusualSeat>,
    /// Spatial clustering of signatures per 1,000 voters (none if support does not vary).
    pub clustering: Option<Clustering>,
    /// Why there is no clustering section, when there is none.
    pub clustering_note: Option<String>,
}

/// Global and local spatial statistics of signatures per 1,000 voters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Clustering {
    /// The variable tested.
    pub variable: Metric,
    /// The weights used.
    pub weights: WeightsSummary,
    /// Global Moran's I (row-standardised weights).
    pub moran: Moran,
    /// Geary's C.
    pub geary: Geary,
    /// Getis-Ord General G.
    pub getis_ord: GetisOrd,
    /// Significance level of the labels.
    pub alpha: f64,
    /// Benjamini-Hochberg threshold on the local Moran pseudo p-values at `alpha`
    /// (islands excluded): areas at or below it stay significant after the correction.
    /// None without pseudo p-values (no permutations).
    pub fdr_threshold: Option<f64>,
    /// Bonferroni threshold on the same p-values: `alpha` over the number of areas tested.
    /// None without pseudo p-values.
    pub bonferroni_threshold: Option<f64>,
    /// How many areas have each LISA label.
    pub labels: LabelCounts,
    /// Connected High-High regions, largest first.
    pub hot_spots: Vec<ClusterRegion>,
    /// Connected Low-Low regions, largest first.
    pub cold_spots: Vec<ClusterRegion>,
    /// One sentence for the terminal and for a reporter.
    pub headline: String,
}

/// Number of areas per LISA label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub struct LabelCounts {
    /// Hot spots.
    pub high_high: usize,
    /// Cold spots.
    pub low_low: usize,
    /// High among low.
    pub high_low: usize,
    /// Low among high.
    pub low_high: usize,
    /// Not significant.
    pub not_significant: usize,
    /// No neighbours.
    pub isolated: usize,
}

/// A connected group of hot (or cold) spots, summarised.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ClusterRegion {
    /// `High-High` or `Low-Low`.
    pub label: ClusterLabel,
    /// Named after the member with the most signatures (hot spots) or with the largest
    /// electorate (cold spots, whose signatures are few and often zero).
    pub name: String,
    /// That member's code.
    pub code: String,
    /// Number of seats.
    pub seats: usize,
    /// Signatures in the region.
    pub signatures: u64,
    /// Valid votes in the region.
    pub valid_votes: u64,
    /// Signatures per 1,000 voters over the region.
    pub per_1k_voters: f64,
    /// Member codes, in layer order.
    pub codes: Vec<String>,
}

/// The petition, as the summary describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PetitionInfo {
    /// Petition number.
    pub id: Option<u64>,
    /// Title.
    pub title: String,
    /// State.
    pub state: String,
    /// From a past Parliament.
    pub archived: bool,
    /// For archived petitions, the Parliament's period.
    pub parliament: Option<String>,
    /// Its page.
    pub url: Option<String>,
    /// How the counts were re-expressed on another constituency set, if they were.
    pub crosswalk: Option<String>,
    /// Opening time.
    pub opened_at: Option<String>,
    /// When the counts were saved.
    pub updated_at: Option<String>,
    /// Input layout.
    pub schema: Schema,
    /// The file read.
    pub source: String,
}

/// One seat of the top list.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct TopSeat {
    /// Rank by signatures per 1,000 voters.
    pub rank: u32,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Signatures.
    pub signatures: u64,
    /// Electorate.
    pub electorate: u64,
    /// Valid votes.
    pub valid_votes: u64,
    /// Signatures per 1,000 voters.
    pub per_1k_voters: f64,
    /// Signatures per 1,000 electors.
    pub per_1k_electors: f64,
    /// Exact Poisson 95% interval on `per_1k_electors`.
    pub ci95_low_per_1k_electors: f64,
    /// Upper bound.
    pub ci95_high_per_1k_electors: f64,
    /// Exact Poisson 95% interval on `per_1k_voters`.
    pub ci95_low_per_1k_voters: f64,
    /// Upper bound.
    pub ci95_high_per_1k_voters: f64,
    /// Observed over expected signatures at the national rate per voter.
    pub obs_exp: Option<f64>,
    /// Best plausible rank (see [`RankSimulation`](crate::RankSimulation)).
    pub rank_best: Option<u32>,
    /// Worst plausible rank.
    pub rank_worst: Option<u32>,
    /// Unusually high or low support, if so.
    pub unusual: Option<Direction>,
}

/// A seat with unusually high or low support.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct UnusualSeat {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Signatures.
    pub signatures: u64,
    /// Signatures expected at the national rate per voter.
    pub expected: f64,
    /// Observed over expected.
    pub obs_exp: f64,
    /// Overdispersion-adjusted z-score.
    pub z: f64,
    /// Benjamini-Hochberg adjusted p-value.
    pub q: f64,
}
