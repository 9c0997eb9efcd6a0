//! The whole job for one petition: join, metrics, rankings and every output file.

use crate::error::{Error, IoAction, Location, Result};
use crate::export::{self, Classes, HexJson, HtmlMap, Inset, SvgMap};
use crate::index::{Gap, LayerTopology, Overlap};
use crate::inputs::areas::{Areas, GeometryIssue, LayerInfo};
use crate::inputs::denominators::Denominators;
use crate::inputs::petition::{Petition, Schema, SignatureCount};
use crate::inputs::values::Values;
use crate::stats::{self, ClusterLabel, Geary, GetisOrd, Moran, Permutations, StatsReport};
use crate::table::analysis::{Analysed, SeatAnalysis, SeatSpatial};
use crate::table::join::{Completeness, Table};
use crate::table::metrics::Metric;
use crate::table::ranking::{RankInterval, RankSimulation, rank_intervals};
use crate::table::unusual::{Direction, Excess, ExcessSummary, unusual_support};
use crate::weights::{IslandPolicy, Weights, WeightsKind, WeightsSummary};
use serde::Serialize;
use std::path::{Path, PathBuf};

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

/// How a report tests for clustering.
#[derive(Debug, Clone, Copy, PartialEq)]
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
    /// How rank intervals are simulated (default 1,000 draws from seed 12345; 0 draws: no
    /// intervals).
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
    pub ci95_low: f64,
    /// Upper bound.
    pub ci95_high: f64,
    /// Exact Poisson 95% interval on `per_1k_voters`.
    pub ci95_low_per_1k_voters: f64,
    /// Upper bound.
    pub ci95_high_per_1k_voters: f64,
    /// Observed over expected signatures at the national rate per voter.
    pub obs_exp: Option<f64>,
    /// Best plausible rank (see [`RankSimulation`](crate::RankSimulation)).
    pub rank_low: Option<u32>,
    /// Worst plausible rank.
    pub rank_high: Option<u32>,
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

/// A petition analysed against a boundary layer: the table of every area, the summary, and
/// the writers of `areas.geojson`, `areas.csv`, `summary.json` and `map.svg`.
///
/// # Examples
/// ```
/// use sigmap::{Areas, Denominators, Metric, Petition, Report, Vintage};
/// let petition = Petition::from_path("data/petitions/petition_241584.json")?;
/// let areas = Areas::shipped(Vintage::Pcon2010)?;
/// let report = Report::new(petition, areas, &Denominators::shipped(Vintage::Pcon2010)?)?;
/// let top = report.table.top(Metric::Per1kVoters, 1)[0];
/// assert_eq!(top.name, "Cities of London and Westminster");
/// let dir = std::env::temp_dir().join(format!("sigmap-report-{}", std::process::id()));
/// let written = report.write_to_dir(&dir)?;
/// assert!(written.iter().any(|p| p.ends_with("map.svg")));
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Report {
    /// The petition.
    pub petition: Petition,
    /// The boundary layer.
    pub areas: Areas,
    /// One row per area, as [`Table::join`] makes it.
    pub table: Table,
    /// What the report adds to each area (rank interval, unusual support, spatial
    /// statistics), in the order of `table.rows`; [`Report::analysed`] pairs the two.
    pub seats: Vec<SeatAnalysis>,
    /// The summary.
    pub summary: Summary,
    /// The spatial weights the statistics used (kind and island policy of the options).
    pub weights: Weights,
}

impl Report {
    /// Joins and measures a petition against the given layer and denominators.
    ///
    /// # Errors
    /// As [`Table::join`].
    pub fn new(petition: Petition, areas: Areas, denominators: &Denominators) -> Result<Report> {
        Report::with_options(petition, areas, denominators, ReportOptions::default())
    }

    /// As [`Report::new`], with the clustering options given.
    ///
    /// # Errors
    /// As [`Table::join`]; as [`WeightsKind::build`] and [`Weights::with_island_policy`] for
    /// the weights (e.g. [`Error::BadField`] for k nearest neighbours with k not below the
    /// number of areas).
    pub fn with_options(
        petition: Petition,
        areas: Areas,
        denominators: &Denominators,
        options: ReportOptions,
    ) -> Result<Report> {
        let (weights, topology) = rayon::join(
            || {
                options
                    .weights
                    .build(&areas)?
                    .with_island_policy(options.islands, &areas)
            },
            || LayerTopology::of(&areas),
        );
        let weights = weights?;
        let (table, seats, summary) = analyse(
            &petition,
            &areas,
            denominators,
            &weights,
            &topology,
            options,
        )?;
        Ok(Report {
            petition,
            areas,
            table,
            seats,
            summary,
            weights,
        })
    }

    /// Uses the boundaries and election results that ship with sigmap, for the constituency
    /// set detected from the petition's codes (the 2024 set if only the five codes both
    /// sets share appear).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Petition, Report, Vintage};
    /// let petition = Petition::from_str_named("E14000530,10\nS14000001,3\nXX,1\n", "p.csv")?;
    /// let report = Report::with_shipped_data(petition)?;
    /// assert_eq!(report.table.completeness.vintage, Some(Vintage::Pcon2010));
    /// assert_eq!(report.table.unmatched[0].code, "XX"); // reported, not dropped
    /// assert_eq!(report.summary.top_per_1k_voters.len(), 10);
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownVintage`] if no code is a constituency of either set; else as
    /// [`Report::new`].
    pub fn with_shipped_data(petition: Petition) -> Result<Report> {
        Report::with_shipped_data_and_options(petition, ReportOptions::default())
    }

    /// As [`Report::with_shipped_data`], with the clustering options given.
    ///
    /// # Errors
    /// As [`Report::with_shipped_data`].
    pub fn with_shipped_data_and_options(
        petition: Petition,
        options: ReportOptions,
    ) -> Result<Report> {
        let vintage = petition.vintage()?;
        let areas = Areas::shipped(vintage)?;
        let denominators = Denominators::shipped(vintage)?;
        Report::with_options(petition, areas, &denominators, options)
    }

    /// The table with the analysis of every seat: what the writers of `areas.csv` and the
    /// other tables, a LISA or Gi* map ([`SvgMap::lisa`]) and a seat's profile take.
    ///
    /// # Panics
    /// If `seats` no longer has one analysis per row of `table` (both fields are public;
    /// a report never makes them differ).
    pub fn analysed(&self) -> Analysed<'_> {
        Analysed::new(&self.table, &self.seats).expect("a report analyses every row of its table")
    }

    /// The files [`Report::write_to_dir`] writes.
    #[cfg(not(feature = "polars"))]
    pub const FILES: &[&str] = &["areas.geojson", "areas.csv", "summary.json", "map.svg"];
    /// The files [`Report::write_to_dir`] writes.
    #[cfg(feature = "polars")]
    pub const FILES: &[&str] = &[
        "areas.geojson",
        "areas.csv",
        "summary.json",
        "map.svg",
        "areas.parquet",
    ];

    /// Writes `areas.geojson`, `areas.csv`, `summary.json` and `map.svg` (and, with the
    /// `polars` feature, `areas.parquet`) into `dir`, creating it if needed. Returns the
    /// paths written.
    ///
    /// Every file is first written completely under a temporary name beside its
    /// destination ([`export::Staged`]), and the files replace the previous ones only once
    /// all are written: a failed run leaves the previous outputs (or nothing), never a
    /// truncated file.
    ///
    /// # Errors
    /// [`Error::Io`] naming the file that could not be written.
    pub fn write_to_dir(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, IoAction::Create, e))?;
        let mut staged = Vec::new();
        let mut file = |name: &str,
                        write: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>|
         -> Result<()> {
            let mut f = export::Staged::new(dir.join(name))?;
            write(&mut f).map_err(|e| Error::io(f.path(), IoAction::Write, e))?;
            staged.push(f);
            Ok(())
        };
        file("areas.geojson", &|w| {
            export::write_geojson(self.analysed(), &self.areas, w)
        })?;
        file("areas.csv", &|w| export::write_csv(self.analysed(), w))?;
        file("summary.json", &|w| {
            serde_json::to_writer_pretty(&mut *w, &self.summary)?;
            w.write_all(b"\n")
        })?;
        file("map.svg", &|w| self.map().write_to(w))?;
        #[cfg(feature = "polars")]
        {
            let mut f = export::Staged::new(dir.join("areas.parquet"))?;
            export::write_parquet(self.analysed(), &mut f)?;
            staged.push(f);
        }
        let mut written = Vec::new();
        for f in staged {
            written.push(f.path().to_path_buf());
            f.commit()?;
        }
        Ok(written)
    }

    /// The default map: signatures per 1,000 voters in 5 quantile classes, titled with the
    /// petition, with a source line naming it, and (on the shipped constituency layers)
    /// the London and Shetland insets. Adjust it with the [`SvgMap`] builder methods.
    pub fn map(&self) -> SvgMap<'_> {
        let (title, source) = self.map_title_and_source();
        let map = SvgMap::new(&self.table, &self.areas)
            .metric(Metric::Per1kVoters)
            .classes(Classes::Quantile(5))
            .title(title)
            .source(source);
        if self.table.layer.vintage.is_some() {
            map.inset(Inset::London).inset(Inset::Shetland)
        } else {
            map
        }
    }

    /// The interactive map ([`HtmlMap`]): the default map's title, source and classes,
    /// the hex cartogram view on the shipped layout (constituency layers), and the
    /// summary's caveats ([`Summary::caveats`]).
    ///
    /// # Examples
    /// ```
    /// use sigmap::{Petition, Report};
    /// let report = Report::with_shipped_data(Petition::from_path("data/petitions/petition_241584.json")?)?;
    /// let page = report.html_map().render();
    /// assert!(page.contains("<html lang=\"en-GB\">"));
    /// # Ok::<(), sigmap::Error>(())
    /// ```
    pub fn html_map(&self) -> HtmlMap<'_> {
        let (title, source) = self.map_title_and_source();
        let map = HtmlMap::new(self.analysed(), &self.areas)
            .title(title)
            .source(source)
            .caveats(self.summary.caveats());
        match self.table.layer.vintage.map(HexJson::shipped) {
            Some(Ok(layout)) if layout.check_covers(&self.table).is_ok() => map.hex(layout),
            _ => map,
        }
    }

    /// The maps' title (the petition's, with its number) and source line.
    fn map_title_and_source(&self) -> (String, String) {
        let p = &self.petition;
        let title = match p.id {
            Some(id) => format!("{} (petition {id})", p.title),
            None => p.title.clone(),
        };
        let mut source = match (p.url(), &p.updated_at) {
            (Some(url), Some(at)) => format!("Source: {url}, counts of {}", day(at)),
            (Some(url), None) => format!("Source: {url}"),
            _ => format!("Source: {}", p.source),
        };
        source.push_str(&format!(
            "; electors and voters: {}",
            self.table.denominators
        ));
        if let Some(e) = self.table.election {
            source.push_str(&format!(" ({e})"));
        }
        (title, source)
    }
}

/// Joins a petition and computes everything a report holds, with weights built once by the
/// caller (a batch reuses them for every petition of the same constituency set).
pub(crate) fn analyse(
    petition: &Petition,
    areas: &Areas,
    denominators: &Denominators,
    weights: &Weights,
    topology: &LayerTopology,
    options: ReportOptions,
) -> Result<(Table, Vec<SeatAnalysis>, Summary)> {
    // options the caller got wrong are an error, not a note that statistics are missing
    options.permutations.check()?;
    let table = Table::join(petition, areas, denominators)?;
    let (clustering, spatial, clustering_note) = match cluster(&table, areas, weights, options) {
        Ok((c, spatial)) => (Some(c), Some(spatial), None),
        Err(Error::BadField { expected, .. }) => (
            None,
            None,
            Some(format!("no clustering statistics: they need {expected}")),
        ),
        Err(e) => return Err(e),
    };
    let (intervals, excess, unusual) = rank_fairly(&table, options);
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
    summary.ranking = if options.ranks.draws > 0 {
        format!(
            "by signatures per 1,000 voters (turnout-normalised); rank intervals cover {:.0}% of {} draws of each seat's rate from its posterior",
            100.0 * options.ranks.level,
            options.ranks.draws
        )
    } else {
        "by signatures per 1,000 voters (turnout-normalised)".into()
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

fn rank_fairly(table: &Table, options: ReportOptions) -> Fairness {
    let counts: Vec<u64> = table.rows.iter().map(|r| r.signatures).collect();
    let voters: Vec<u64> = table.rows.iter().map(|r| r.valid_votes).collect();
    let intervals = rank_intervals(&counts, &voters, options.ranks);
    match unusual_support(&counts, &voters, options.alpha) {
        Some((seats, summary)) => (intervals, Some(seats), Some(summary)),
        None => (intervals, None, None),
    }
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

/// The date of an ISO timestamp (`2019-03-24T10:00:00.000Z` -> `2019-03-24`).
fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
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
        denominators: table.denominators.clone(),
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
                ci95_low: r.ci95_low,
                ci95_high: r.ci95_high,
                ci95_low_per_1k_voters: r.ci95_low_per_1k_voters,
                ci95_high_per_1k_voters: r.ci95_high_per_1k_voters,
                obs_exp: s.excess.map(|e| e.ratio),
                rank_low: s.rank_interval.map(|i| i.low),
                rank_high: s.rank_interval.map(|i| i.high),
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

/// Computes the clustering statistics of `per_1k_voters`: the summary, and the per-area
/// ones in layer order.
fn cluster(
    table: &Table,
    areas: &Areas,
    w: &Weights,
    options: ReportOptions,
) -> Result<(Clustering, Vec<SeatSpatial>)> {
    let values = Values {
        count: table.rows.iter().map(|r| r.per_1k_voters).collect(),
        population: None,
        origin: None,
    };
    let result = StatsReport::compute(
        areas,
        &values,
        w,
        options.weights,
        options.permutations,
        options.alpha,
    )?;
    // rates per 1,000 voters are never negative, so General G is always there; were it
    // not, the report would say why instead of giving a partial clustering section
    let Some(getis_ord) = result.getis_ord.clone() else {
        return Err(Error::BadField {
            at: Location::file(&areas.layer.name),
            expected: "rates with a positive total (General G and Gi* are shares of it)",
            found: result.getis_ord_note.clone().unwrap_or_default(),
        });
    };
    let counts: Vec<f64> = table.rows.iter().map(|r| r.signatures as f64).collect();
    let electorate: Vec<f64> = table.rows.iter().map(|r| r.electorate as f64).collect();
    let seb = stats::spatial_empirical_bayes(&counts, &electorate, w)?;
    let mut labels = LabelCounts::default();
    let mut spatial = Vec::with_capacity(seb.len());
    for (l, s) in result.local.iter().zip(&seb) {
        // General G is there (checked above), so is Gi* for every area
        spatial.push(SeatSpatial::new(l, *s).ok_or_else(|| Error::BadField {
            at: Location::file(&areas.layer.name),
            expected: "rates with a positive total (General G and Gi* are shares of it)",
            found: format!("no Gi* for area {}", l.id),
        })?);
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
    let (mut hot_spots, mut cold_spots) = (Vec::new(), Vec::new());
    for region in stats::cluster_regions(&label_of, w) {
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
    Ok((clustering, spatial))
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
