//! The analysis step of a report, apart from the petition: [`Analyser`] builds what does not
//! depend on the petition (the layer's weights and topology) once, and
//! [`Analyser::analyse`] joins and analyses each petition against it. A [`Report`] is one
//! petition analysed; a batch, a seat's profile or a notebook analysing many petitions keep
//! one `Analyser` per constituency set.
//!
//! [`Report`]: crate::Report

use crate::error::{Error, Result};
use crate::index::LayerTopology;
use crate::inputs::areas::Areas;
use crate::inputs::code::Vintage;
use crate::inputs::denominators::Denominators;
use crate::inputs::petition::Petition;
use crate::inputs::values::Values;
use crate::jobs::summary::{
    ClusterRegion, Clustering, LabelCounts, PetitionInfo, Summary, TOP_N, TopSeat, UnusualSeat,
};
use crate::stats::{self, ClusterLabel, Moran, Permutations, StatsReport};
use crate::table::analysis::{Analysed, SeatAnalysis, SeatSpatial};
use crate::table::join::Table;
use crate::table::metrics::Metric;
use crate::table::ranking::{RankInterval, RankMethod, RankSimulation, rank_intervals};
use crate::table::unusual::{Direction, Excess, ExcessSummary, unusual_support};
use crate::weights::{IslandPolicy, Weights, WeightsKind};

/// How a report tests for clustering and ranks seats: the defaults, adjusted with the
/// builder methods.
///
/// # Examples
/// ```
/// use sigmap::stats::Permutations;
/// use sigmap::{RankSimulation, ReportOptions, WeightsKind};
/// let options = ReportOptions::default()
///     .weights(WeightsKind::Knn(6))
///     .permutations(Permutations::new(9_999).seed(7))
///     .ranks(RankSimulation::new(0)); // no rank intervals
/// assert_eq!(options.alpha, 0.05);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
#[must_use]
pub struct ReportOptions {
    /// The spatial weights (default queen contiguity).
    pub weights: WeightsKind,
    /// What to do with islands (default: keep them isolated).
    pub islands: IslandPolicy,
    /// Permutations for the pseudo p-values (default 999 from seed 12345).
    pub permutations: Permutations,
    /// Significance level of the cluster labels and of the unusual-support flags (default
    /// 0.05).
    pub alpha: f64,
    /// How rank intervals are made (default [`RankMethod::Pairwise`](crate::RankMethod),
    /// without draws; 0 draws: no intervals).
    pub ranks: RankSimulation,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            weights: WeightsKind::Queen,
            islands: IslandPolicy::Keep,
            permutations: Permutations::default(),
            alpha: 0.05,
            ranks: RankSimulation::default(),
        }
    }
}

impl ReportOptions {
    /// The spatial weights of the clustering statistics.
    pub fn weights(mut self, weights: WeightsKind) -> Self {
        self.weights = weights;
        self
    }

    /// What to do with islands (seats without a neighbour under the weights).
    pub fn islands(mut self, islands: IslandPolicy) -> Self {
        self.islands = islands;
        self
    }

    /// Permutations for the pseudo p-values (0: none, and no cluster labels).
    pub fn permutations(mut self, permutations: Permutations) -> Self {
        self.permutations = permutations;
        self
    }

    /// Significance level of the cluster labels and of the unusual-support flags.
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.alpha = alpha;
        self
    }

    /// How rank intervals are made (0 draws: no intervals).
    pub fn ranks(mut self, ranks: RankSimulation) -> Self {
        self.ranks = ranks;
        self
    }
}

/// What a report needs that does not depend on the petition: a boundary layer, its
/// denominators, the spatial weights and the layer's topology (overlaps and gaps), and the
/// options. Build it once per constituency set and analyse any number of petitions with
/// it; a [`Report`](crate::Report) is one of them.
///
/// # Examples
/// ```
/// use sigmap::{Analyser, Petition, ReportOptions, Vintage};
/// let analyser = Analyser::shipped(Vintage::Pcon2010, ReportOptions::default())?;
/// for path in ["data/petitions/petition_241584.json"] {
///     let analysis = analyser.analyse(&Petition::from_path(path)?)?;
///     let top = &analysis.summary.top_per_1k_voters[0];
///     assert_eq!(top.name, "Cities of London and Westminster");
///     assert_eq!(analysis.seats.len(), analyser.areas().len());
/// }
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Analyser {
    areas: Areas,
    denominators: Denominators,
    weights: Weights,
    topology: LayerTopology,
    options: ReportOptions,
}

impl Analyser {
    /// Builds the weights and the topology of `areas`.
    ///
    /// # Errors
    /// As [`WeightsKind::build`] and [`Weights::with_island_policy`] (e.g.
    /// [`Error::BadField`] for k nearest neighbours with k not below the number of areas);
    /// the options' permutations as [`Permutations::check`].
    pub fn new(
        areas: Areas,
        denominators: Denominators,
        options: ReportOptions,
    ) -> Result<Analyser> {
        // options the caller got wrong are an error, not a note that statistics are missing
        options.permutations.check()?;
        let (weights, topology) = rayon::join(
            || {
                options
                    .weights
                    .build(&areas)?
                    .with_island_policy(options.islands, &areas)
            },
            || LayerTopology::of(&areas),
        );
        Ok(Analyser {
            weights: weights?,
            areas,
            denominators,
            topology,
            options,
        })
    }

    /// The boundaries and election results that ship with sigmap for `vintage`.
    ///
    /// # Errors
    /// As [`Areas::shipped`], [`Denominators::shipped`] and [`Analyser::new`].
    pub fn shipped(vintage: Vintage, options: ReportOptions) -> Result<Analyser> {
        let (areas, denominators) = rayon::join(
            || Areas::shipped(vintage),
            || Denominators::shipped(vintage),
        );
        Analyser::new(areas?, denominators?, options)
    }

    /// Joins `petition` with the layer and computes the metrics, rank intervals, unusual
    /// support, clustering statistics and summary. Deterministic: the options' seeds fix
    /// every random draw, whatever the thread count.
    ///
    /// # Errors
    /// As [`Table::join`] (e.g. [`Error::VintageMismatch`] for a petition on another
    /// constituency set).
    pub fn analyse(&self, petition: &Petition) -> Result<Analysis> {
        let (table, seats, summary) = analyse(
            petition,
            &self.areas,
            &self.denominators,
            &self.weights,
            &self.topology,
            self.options,
        )?;
        Ok(Analysis {
            table,
            seats,
            summary,
        })
    }

    /// The boundary layer.
    pub fn areas(&self) -> &Areas {
        &self.areas
    }

    /// The electorate and valid votes per area.
    pub fn denominators(&self) -> &Denominators {
        &self.denominators
    }

    /// The spatial weights of the clustering statistics.
    pub fn weights(&self) -> &Weights {
        &self.weights
    }

    /// The options.
    pub fn options(&self) -> ReportOptions {
        self.options
    }

    /// The layer and the weights, for a report that owns them.
    pub(crate) fn into_layer(self) -> (Areas, Weights) {
        (self.areas, self.weights)
    }
}

/// One petition analysed by an [`Analyser`]: the joined table, what the analysis adds to
/// each of its rows, and the summary.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Analysis {
    /// One row per area, as [`Table::join`] makes it.
    pub table: Table,
    /// What the analysis adds to each area (rank interval, unusual support, spatial
    /// statistics), in the order of `table.rows`.
    pub seats: Vec<SeatAnalysis>,
    /// The summary (`summary.json`).
    pub summary: Summary,
}

impl Analysis {
    /// The table with the analysis of every seat, as the writers take it.
    ///
    /// # Panics
    /// If `seats` no longer has one analysis per row of `table` (both fields are public;
    /// an analysis never makes them differ).
    pub fn analysed(&self) -> Analysed<'_> {
        Analysed::new(&self.table, &self.seats).expect("an analysis covers every row of its table")
    }
}

/// Joins a petition and computes everything a report holds, with the weights and topology
/// of the layer built once by the caller.
fn analyse(
    petition: &Petition,
    areas: &Areas,
    denominators: &Denominators,
    weights: &Weights,
    topology: &LayerTopology,
    options: ReportOptions,
) -> Result<(Table, Vec<SeatAnalysis>, Summary)> {
    let table = Table::join(petition, areas, denominators)?;
    let (clustering, spatial, clustering_note) = match cluster(&table, areas, weights, options)? {
        Clustered::Done(c, spatial) => (Some(*c), Some(spatial), None),
        Clustered::Undefined { needs } => (
            None,
            None,
            Some(format!("no clustering statistics: they need {needs}")),
        ),
    };
    let (intervals, excess, unusual) = rank_fairly(&table, options)?;
    let n = table.rows.len();
    let seats: Vec<SeatAnalysis> = (0..n)
        .map(|i| SeatAnalysis {
            rank_interval: intervals[i],
            excess: excess.as_ref().map(|e| e[i]),
            spatial: spatial.as_ref().map(|s| s[i]),
        })
        .collect();
    let analysed = Analysed::new(&table, &seats).expect("one analysis per row");
    let mut summary = summarise(petition, areas, analysed);
    summary.empty_values = empty_values(analysed, areas);
    summary.overlaps.clone_from(&topology.overlaps);
    summary.gaps.clone_from(&topology.gaps);
    summary.clustering = clustering;
    summary.clustering_note = clustering_note;
    let level = 100.0 * options.ranks.level;
    summary.ranking = if options.ranks.draws == 0 {
        "by signatures per 1,000 voters (turnout-normalised)".into()
    } else if options.ranks.method == RankMethod::Pairwise {
        format!(
            "by signatures per 1,000 voters (turnout-normalised); rank intervals cover {level:.0}% of each seat's rank distribution, computed from the chances that each other seat's rate exceeds its own"
        )
    } else {
        format!(
            "by signatures per 1,000 voters (turnout-normalised); rank intervals cover {level:.0}% of {} draws of each seat's rate from its posterior",
            options.ranks.draws
        )
    };
    summary.unusual = unusual;
    let unusual_seats = |direction: Direction| {
        let mut seats: Vec<UnusualSeat> = analysed
            .iter()
            .filter_map(|(r, s)| Some((r, s.excess?)))
            .filter(|(_, e)| e.flag == Some(direction))
            .map(|(r, e)| UnusualSeat {
                code: r.code.clone(),
                name: r.name.clone(),
                signatures: r.signatures,
                expected: e.expected,
                obs_exp: e.ratio,
                z: e.z,
                q: e.q,
            })
            .collect();
        seats.sort_by(|a, b| b.z.abs().total_cmp(&a.z.abs()));
        seats
    };
    summary.unusually_high = unusual_seats(Direction::High);
    summary.unusually_low = unusual_seats(Direction::Low);
    Ok((table, seats, summary))
}

/// Rank intervals and observed-against-expected tests of signatures per 1,000 voters, per
/// seat (the tests are none without a signature).
type Fairness = (
    Vec<Option<RankInterval>>,
    Option<Vec<Excess>>,
    Option<ExcessSummary>,
);

fn rank_fairly(table: &Table, options: ReportOptions) -> Result<Fairness> {
    let counts: Vec<u64> = table.rows.iter().map(|r| r.signatures).collect();
    let voters: Vec<u64> = table.rows.iter().map(|r| r.valid_votes).collect();
    let intervals = rank_intervals(&counts, &voters, options.ranks);
    Ok(match unusual_support(&counts, &voters, options.alpha)? {
        Some((seats, summary)) => (intervals, Some(seats), Some(summary)),
        None => (intervals, None, None),
    })
}

/// Which values of the table are empty, for whom and why (every other value is a finite
/// number: the report never writes a NaN).
fn empty_values(analysed: Analysed<'_>, areas: &Areas) -> Vec<String> {
    let table = analysed.table();
    let list = |codes: Vec<&str>| {
        const SHOW: usize = 8;
        let mut s = codes
            .iter()
            .take(SHOW)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if codes.len() > SHOW {
            s.push_str(&format!(" and {} more", codes.len() - SHOW));
        }
        s
    };
    let mut notes = Vec::new();
    let unmeasured: Vec<&str> = table
        .rows
        .iter()
        .filter(|r| r.density_per_km2.is_none())
        .map(|r| r.code.as_str())
        .collect();
    if !unmeasured.is_empty() {
        let why = |code: &str| {
            areas
                .issues
                .iter()
                .find(|i| i.code == code)
                .map_or("no area", |i| i.problem.as_str())
                .to_string()
        };
        let named: Vec<String> = unmeasured
            .iter()
            .map(|c| format!("{c} ({})", why(c)))
            .collect();
        notes.push(format!(
            "density_per_km2 (and its rank) is empty for {}: no area to divide by",
            list(named.iter().map(String::as_str).collect())
        ));
    }
    let clustered = analysed.seats().iter().any(|s| s.spatial.is_some());
    if clustered {
        let no_seb: Vec<&str> = analysed
            .iter()
            .filter(|(_, s)| s.spatial.is_none_or(|x| x.seb_per_1k.is_none()))
            .map(|(r, _)| r.code.as_str())
            .collect();
        if !no_seb.is_empty() {
            notes.push(format!(
                "seb_per_1k is empty for {} seat(s) with no signature in their neighbourhood (themselves and their neighbours): {}",
                no_seb.len(),
                list(no_seb)
            ));
        }
        let isolated: Vec<&str> = analysed
            .iter()
            .filter(|(_, s)| s.lisa_label() == Some(ClusterLabel::Isolated))
            .map(|(r, _)| r.code.as_str())
            .collect();
        if !isolated.is_empty() {
            notes.push(format!(
                "lisa_p_sim and gi_star_p_sim are empty for {} island(s), seats with no neighbour under the weights: {}",
                isolated.len(),
                list(isolated)
            ));
        }
    }
    notes
}

fn summarise(petition: &Petition, areas: &Areas, analysed: Analysed<'_>) -> Summary {
    let table = analysed.table();
    let electorate: u64 = table.rows.iter().map(|r| r.electorate).sum();
    let voters: u64 = table.rows.iter().map(|r| r.valid_votes).sum();
    let assigned = table.completeness.assigned as f64;
    Summary {
        sigmap_version: env!("CARGO_PKG_VERSION"),
        petition: PetitionInfo {
            id: petition.id,
            title: petition.title.clone(),
            state: petition.state.clone(),
            archived: petition.archived,
            parliament: petition.parliament.clone(),
            url: petition.url(),
            crosswalk: petition.crosswalk.clone(),
            opened_at: petition.opened_at.clone(),
            updated_at: petition.updated_at.clone(),
            schema: petition.schema,
            source: petition.source.clone(),
        },
        completeness: table.completeness.clone(),
        unmatched: table.unmatched.clone(),
        layer: table.layer.clone(),
        geometry_issues: areas.issues.clone(),
        overlaps: Vec::new(),
        gaps: Vec::new(),
        empty_values: Vec::new(),
        denominators: table.denominators_source.clone(),
        election: table.election,
        overall_per_1k_electors: if electorate > 0 {
            1000.0 * assigned / electorate as f64
        } else {
            0.0
        },
        overall_per_1k_voters: if voters > 0 {
            1000.0 * assigned / voters as f64
        } else {
            0.0
        },
        top_per_1k_voters: table
            .top_indices(Metric::Per1kVoters, TOP_N)
            .into_iter()
            .map(|i| (&table.rows[i], &analysed.seats()[i]))
            .map(|(r, s)| TopSeat {
                rank: r.rank_per_1k_voters,
                code: r.code.clone(),
                name: r.name.clone(),
                signatures: r.signatures,
                electorate: r.electorate,
                valid_votes: r.valid_votes,
                per_1k_voters: r.per_1k_voters,
                per_1k_electors: r.per_1k_electors,
                ci95_low_per_1k_electors: r.ci95_low_per_1k_electors,
                ci95_high_per_1k_electors: r.ci95_high_per_1k_electors,
                ci95_low_per_1k_voters: r.ci95_low_per_1k_voters,
                ci95_high_per_1k_voters: r.ci95_high_per_1k_voters,
                obs_exp: s.excess.map(|e| e.ratio),
                rank_best: s.rank_interval.map(|i| i.best),
                rank_worst: s.rank_interval.map(|i| i.worst),
                unusual: s.excess.and_then(|e| e.flag),
            })
            .collect(),
        ranking: String::new(),
        unusual: None,
        unusually_high: Vec::new(),
        unusually_low: Vec::new(),
        clustering: None,
        clustering_note: None,
    }
}

/// The clustering statistics of a petition, or why they are undefined on it.
enum Clustered {
    /// The summary, and the per-area statistics in layer order.
    Done(Box<Clustering>, Vec<SeatSpatial>),
    /// Undefined on these rates (all equal, a layer of fewer than 4 areas, no links...):
    /// what they need; the report says so instead of failing.
    Undefined { needs: &'static str },
}

/// Rates per 1,000 voters are never negative; all zero, General G and Gi* are undefined.
const POSITIVE_TOTAL: &str = "rates with a positive total (General G and Gi* are shares of it)";

/// Computes the clustering statistics of `per_1k_voters`.
fn cluster(table: &Table, areas: &Areas, w: &Weights, options: ReportOptions) -> Result<Clustered> {
    let values = Values {
        variable: table.rows.iter().map(|r| r.per_1k_voters).collect(),
        population: None,
        origin: None,
    };
    let result = match StatsReport::compute(
        areas,
        &values,
        w,
        options.weights,
        options.permutations,
        options.alpha,
    ) {
        Ok(result) => result,
        // the statistics' own refusals of these values (their input is the table, not a
        // file the user gave): the report says what they need
        Err(Error::BadField { expected, .. }) => {
            return Ok(Clustered::Undefined { needs: expected });
        }
        Err(e) => return Err(e),
    };
    // without General G the report says why instead of giving a partial clustering section
    let Some(getis_ord) = result.getis_ord.clone() else {
        return Ok(Clustered::Undefined {
            needs: POSITIVE_TOTAL,
        });
    };
    let counts: Vec<f64> = table.rows.iter().map(|r| r.signatures as f64).collect();
    let electorate: Vec<f64> = table.rows.iter().map(|r| r.electorate as f64).collect();
    let seb = stats::spatial_empirical_bayes(&counts, &electorate, w)?;
    let mut labels = LabelCounts::default();
    let mut spatial = Vec::with_capacity(seb.len());
    for (l, s) in result.local.iter().zip(&seb) {
        // General G is there (checked above), so is Gi* for every area
        let Some(seat) = SeatSpatial::new(l, *s) else {
            return Ok(Clustered::Undefined {
                needs: POSITIVE_TOTAL,
            });
        };
        spatial.push(seat);
        *match l.lisa_label {
            ClusterLabel::HighHigh => &mut labels.high_high,
            ClusterLabel::LowLow => &mut labels.low_low,
            ClusterLabel::HighLow => &mut labels.high_low,
            ClusterLabel::LowHigh => &mut labels.low_high,
            ClusterLabel::NotSignificant => &mut labels.not_significant,
            ClusterLabel::Isolated => &mut labels.isolated,
        } += 1;
    }
    let label_of: Vec<ClusterLabel> = result.local.iter().map(|r| r.lisa_label).collect();
    let (hot_spots, cold_spots) = spot_regions(table, &label_of, w);
    let headline = headline(&result.moran, options, &hot_spots);
    let clustering = Clustering {
        variable: Metric::Per1kVoters,
        weights: result.weights,
        moran: result.moran,
        geary: result.geary,
        getis_ord,
        alpha: options.alpha,
        fdr_threshold: result.fdr_threshold,
        bonferroni_threshold: result.bonferroni_threshold,
        labels,
        hot_spots,
        cold_spots,
        headline,
    };
    Ok(Clustered::Done(Box::new(clustering), spatial))
}

/// The hot and cold spots: connected High-High and Low-Low seats, each region summed and
/// named.
fn spot_regions(
    table: &Table,
    label_of: &[ClusterLabel],
    w: &Weights,
) -> (Vec<ClusterRegion>, Vec<ClusterRegion>) {
    let (mut hot_spots, mut cold_spots) = (Vec::new(), Vec::new());
    for region in stats::cluster_regions(label_of, w) {
        let members: Vec<&crate::table::join::Row> =
            region.members.iter().map(|&i| &table.rows[i]).collect();
        let signatures: u64 = members.iter().map(|r| r.signatures).sum();
        let valid_votes: u64 = members.iter().map(|r| r.valid_votes).sum();
        // A hot spot is named after its member with the most signatures; a cold spot, where
        // signatures are few (often zero), after its member with the largest electorate.
        // The first of the largest, so ties go to layer order.
        let size = |r: &crate::table::join::Row| match region.label {
            ClusterLabel::HighHigh => r.signatures,
            _ => r.electorate,
        };
        let largest = members
            .iter()
            .copied()
            .reduce(|a, b| if size(b) > size(a) { b } else { a })
            .unwrap_or(members[0]);
        let summary = ClusterRegion {
            label: region.label,
            name: largest.name.clone(),
            code: largest.code.clone(),
            seats: members.len(),
            signatures,
            valid_votes,
            per_1k_voters: 1000.0 * signatures as f64 / valid_votes as f64,
            codes: members.iter().map(|r| r.code.clone()).collect(),
        };
        match region.label {
            ClusterLabel::HighHigh => hot_spots.push(summary),
            _ => cold_spots.push(summary),
        }
    }
    (hot_spots, cold_spots)
}

fn headline(moran: &Moran, options: ReportOptions, hot_spots: &[ClusterRegion]) -> String {
    let (p, how) = match moran.p_sim {
        Some(p) => (
            p,
            format!("pseudo p = {p}, {} permutations", moran.permutations.count),
        ),
        None => (moran.p_norm, format!("p = {:.3}", moran.p_norm)),
    };
    let stat = format!(
        "Moran's I = {:.3}, {how}, {} weights",
        moran.i, options.weights
    );
    if p > options.alpha {
        return format!("Support shows no significant spatial clustering ({stat}).");
    }
    if moran.i < moran.ei {
        return format!(
            "Support is spatially dispersed: neighbouring seats differ more than chance would make them ({stat})."
        );
    }
    let regions = match hot_spots.first() {
        None => "no connected hot spot".to_string(),
        Some(r) => format!(
            "{} hot-spot region{}, the largest {} seat{} around {}",
            hot_spots.len(),
            if hot_spots.len() == 1 { "" } else { "s" },
            r.seats,
            if r.seats == 1 { "" } else { "s" },
            r.name
        ),
    };
    format!("Support is spatially clustered ({stat}): {regions}.")
}
