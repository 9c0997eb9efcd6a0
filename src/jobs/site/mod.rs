//! A static site of petitions, for a newsroom or an MP's office to publish as it is: an
//! index of the petitions, one page per petition (the interactive map, the summary, the
//! top seats with their plausible ranks, hot and cold spots, unusual support, the
//! downloads and the caveats) and one page per seat of the layer (the MP's-office view
//! across the petitions, with a small map of the seat and its neighbours).
//!
//! [`Site`] documents the folder it writes.

mod pages;

use crate::error::{Error, IoAction, Location, Result};
use crate::export::{HexJson, HtmlMap, MiniMaps};
use crate::inputs::code::Vintage;
use crate::inputs::crosswalk::Crosswalk;
use crate::inputs::petition::Petition;
use crate::jobs::analysis::{Analyser, Analysis, ReportOptions};
use crate::jobs::summary::PetitionInfo;
use crate::stats::ClusterLabel;
use crate::table::unusual::Direction;
use crate::weights::{Weights, WeightsKind};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How many petitions a seat's page describes in full (the MP's-office view, with the
/// neighbours' rates); every petition is in its table.
const DETAILS: usize = 10;

/// Builds a static site of petitions: an index, a page per petition and a page per seat.
///
/// Layout of the folder (every link relative, so it works from `file://`, from any
/// sub-path of a web server and zipped; nothing is fetched from elsewhere):
///
/// ```text
/// index.html                      the petitions, grouped by constituency set
/// style.css                       one style sheet for every page
/// petitions/ID.html               one page per petition (ID: its number, else its file name)
/// petitions/ID/areas.csv          its table, as `sigmap report` writes it
/// petitions/ID/areas.geojson      the same with the boundaries
/// petitions/ID/areas.parquet      the same as Parquet (with the `polars` feature)
/// petitions/ID/summary.json       the report's summary
/// petitions/ID/thumbnail.svg      the small map of the index
/// seats/index.html, seats/CODE.html            the 2024 constituencies
/// seats/2010/index.html, seats/2010/CODE.html  the 2010 ones (used 2010-2024)
/// ```
///
/// The 2010 seats live one folder down because five Scottish codes name a seat in both
/// sets: `seats/CODE.html` is always a 2024 seat, so a link to one stays right whatever
/// the petitions of the site.
///
/// # Examples
/// (not run as a doc test: 650 seat pages take ~30 s in a debug build; the CLI tests in
/// `tests/integration/cli_site.rs` build sites)
/// ```no_run
/// use sigmap::{Petition, Site};
/// let dir = std::env::temp_dir().join(format!("sigmap-site-doc-{}", std::process::id()));
/// let petition = Petition::from_path("data/petitions/petition_105868.json")?;
/// let site = Site::new().title("Petitions").write_to_dir(vec![petition], &dir)?;
/// assert_eq!(site.seat_pages, 650);
/// assert!(dir.join("petitions/105868.html").is_file());
/// assert!(dir.join("seats/2010/E14000639.html").is_file());
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), sigmap::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct Site {
    options: ReportOptions,
    crosswalk: Option<Crosswalk>,
    title: String,
}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

/// What [`Site::write_to_dir`] wrote.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SiteSummary {
    /// The petitions, in the order given.
    pub petitions: Vec<SitePetition>,
    /// Seat pages written (650 per constituency set used).
    pub seat_pages: usize,
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// One petition of a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SitePetition {
    /// Its name in the site: the petition number, else its file name.
    pub slug: String,
    /// Petition number.
    pub id: Option<u64>,
    /// Title.
    pub title: String,
    /// The constituency set its page and its seats' pages use.
    pub vintage: Vintage,
    /// True if its counts were re-expressed on that set (estimates).
    pub estimated: bool,
    /// Its page, relative to the site's folder.
    pub page: String,
}

impl Site {
    /// A site with the default analysis ([`ReportOptions::default`]), each petition on
    /// its own constituency set.
    pub fn new() -> Site {
        Site {
            options: ReportOptions::default(),
            crosswalk: None,
            title: "Petition signatures by constituency".to_string(),
        }
    }

    /// How each petition is analysed (weights, permutations, rank intervals).
    pub fn options(mut self, options: ReportOptions) -> Self {
        self.options = options;
        self
    }

    /// Re-expresses the petitions on the crosswalk's source set (the 2010 seats) on its
    /// target set (the 2024 seats), so that the whole site is on one set; the pages say
    /// the counts are estimates. Without a crosswalk each petition stays on its own set
    /// and each set used gets its own seat pages.
    pub fn crosswalk(mut self, crosswalk: Crosswalk) -> Self {
        self.crosswalk = Some(crosswalk);
        self
    }

    /// The title of the index page.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Analyses `petitions` with the shipped boundaries and election results and writes
    /// the site into `dir` (created if needed; files of the same names are replaced,
    /// others left alone). The pages are the same bytes whatever the thread count.
    ///
    /// # Errors
    /// [`Error::BadField`] if no petition is given or two have the same name in the site
    /// (the same number twice); as [`Petition::vintage`], [`Crosswalk::apply`],
    /// [`Analyser::shipped`] and [`Analyser::analyse`] for each petition (the first error
    /// in the order given); [`Error::Io`] naming a file or folder that cannot be written.
    ///
    /// # Complexity
    /// The layer, its weights and its simplified shapes are built once per constituency
    /// set; each petition is then one analysis and its files, each seat one page whose
    /// size grows with the number of petitions by one table row (the first
    /// ten are described in full).
    pub fn write_to_dir(
        &self,
        petitions: Vec<Petition>,
        dir: impl AsRef<Path>,
    ) -> Result<SiteSummary> {
        let dir = dir.as_ref();
        let entries = self.entries(petitions)?;
        let mut vintages: Vec<Vintage> = entries.iter().map(|e| e.vintage).collect();
        vintages.sort_by_key(|v| std::cmp::Reverse(v.label()));
        vintages.dedup();
        let layers: Vec<Layer> = vintages
            .par_iter()
            .map(|&v| Layer::new(v, self.options))
            .collect::<Result<_>>()?;
        // a layer was built for every vintage of the entries just above
        let layer_of = |v: Vintage| {
            layers
                .iter()
                .find(|l| l.vintage == v)
                .ok_or_else(|| Error::InvalidCall {
                    call: "Site::write_to_dir",
                    problem: format!("no layer of the {} seats", v.label()),
                })
        };
        let out = Output::new(dir);
        out.dir("petitions")?;
        for layer in &layers {
            out.dir(seat_dir(layer.vintage))?;
        }
        // each petition: analysed, its page and files written, reduced to what the index
        // and the seat pages need
        let digests: Vec<Digest> = entries
            .par_iter()
            .map(|e| petition_files(e, layer_of(e.vintage)?, &out))
            .collect::<Result<_>>()?;
        let mut seat_pages = 0;
        for layer in &layers {
            let mine: Vec<&Digest> = digests
                .iter()
                .filter(|d| d.vintage == layer.vintage)
                .collect();
            // the MP from the last petition that names one, as `sigmap mp` does
            let n = layer.analyser.areas().len();
            let mut mps: Vec<Option<&str>> = vec![None; n];
            for d in &mine {
                for (slot, mp) in mps.iter_mut().zip(&d.mps) {
                    if mp.is_some() {
                        *slot = mp.as_deref();
                    }
                }
            }
            (0..n).into_par_iter().try_for_each(|i| {
                let page = pages::seat_page(layer, i, mps[i], &mine);
                out.file(
                    &format!(
                        "{}/{}.html",
                        seat_dir(layer.vintage),
                        layer.analyser.areas()[i].code
                    ),
                    page.as_bytes(),
                )
            })?;
            seat_pages += n;
            let list = pages::seat_index(layer, &mine);
            out.file(
                &format!("{}/index.html", seat_dir(layer.vintage)),
                list.as_bytes(),
            )?;
        }
        let index = pages::index(&self.title, &layers, &digests);
        out.file("index.html", index.as_bytes())?;
        out.file("style.css", pages::style().as_bytes())?;
        let (files, bytes) = out.totals();
        Ok(SiteSummary {
            petitions: digests
                .iter()
                .map(|d| SitePetition {
                    slug: d.slug.clone(),
                    id: d.info.id,
                    title: d.info.title.clone(),
                    vintage: d.vintage,
                    estimated: d.estimated,
                    page: format!("petitions/{}.html", d.slug),
                })
                .collect(),
            seat_pages,
            files,
            bytes,
        })
    }

    /// The petitions on the sets their pages use, named, each name once.
    fn entries(&self, petitions: Vec<Petition>) -> Result<Vec<Entry>> {
        if petitions.is_empty() {
            return Err(Error::BadField {
                at: Location::file("-"),
                expected: "at least one petition",
                found: "none".into(),
            });
        }
        let entries: Vec<Entry> = petitions
            .into_par_iter()
            .map(|petition| {
                let mut vintage = petition.vintage()?;
                let petition = match &self.crosswalk {
                    Some(c) if vintage == c.from => {
                        vintage = c.to;
                        c.apply(&petition)?
                    }
                    _ => petition,
                };
                let slug = slug(&petition);
                Ok(Entry {
                    petition,
                    slug,
                    vintage,
                })
            })
            .collect::<Result<_>>()?;
        let mut seen: HashMap<&str, &Entry> = HashMap::new();
        for e in &entries {
            if let Some(first) = seen.insert(&e.slug, e) {
                return Err(Error::BadField {
                    at: Location::file(&e.petition.source),
                    expected: "each petition once",
                    found: format!(
                        "petition {} again (first read from {})",
                        e.slug, first.petition.source
                    ),
                });
            }
        }
        Ok(entries)
    }
}

/// A petition ready for the site.
struct Entry {
    petition: Petition,
    slug: String,
    vintage: Vintage,
}

/// The folder of a set's seat pages.
fn seat_dir(vintage: Vintage) -> &'static str {
    match vintage {
        Vintage::Pcon2024 => "seats",
        Vintage::Pcon2010 => "seats/2010",
    }
}

/// A petition's name in the site: its number, else its file name (letters, digits, `-`
/// and `_`).
fn slug(petition: &Petition) -> String {
    if let Some(id) = petition.id {
        return id.to_string();
    }
    let stem = Path::new(&petition.source)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if slug.is_empty() {
        "petition".to_string()
    } else {
        slug
    }
}

/// What a constituency set needs once for the whole site.
struct Layer {
    vintage: Vintage,
    analyser: Analyser,
    /// Queen contiguity, whatever the analysis' weights: the seat pages list the
    /// adjacent seats.
    queen: Weights,
    /// The small maps, and the interactive map's shapes, simplified once.
    minimaps: MiniMaps,
    hex: Option<HexJson>,
    /// The winning party per code at the election of the denominators.
    parties: HashMap<String, String>,
}

impl Layer {
    fn new(vintage: Vintage, options: ReportOptions) -> Result<Layer> {
        let analyser = Analyser::shipped(vintage, options)?;
        let areas = analyser.areas();
        let ((queen, hex), minimaps) = rayon::join(
            || {
                (
                    WeightsKind::Queen.build(areas),
                    HexJson::shipped(vintage).ok(),
                )
            },
            || MiniMaps::new(areas),
        );
        Ok(Layer {
            vintage,
            queen: queen?,
            minimaps,
            hex,
            parties: crate::inputs::winners::winning_parties(vintage.election()),
            analyser,
        })
    }
}

/// One seat's figures in one petition.
#[derive(Debug, Clone)]
struct Figures {
    signatures: u64,
    per_1k_voters: f64,
    ci95_low_per_1k_voters: f64,
    ci95_high_per_1k_voters: f64,
    rank: u32,
    rank_best: Option<u32>,
    rank_worst: Option<u32>,
    obs_exp: Option<f64>,
    unusual: Option<Direction>,
    lisa: Option<ClusterLabel>,
    /// Index into the digest's `regions`.
    region: Option<u32>,
}

/// What the index and the seat pages keep of a petition.
#[derive(Debug)]
struct Digest {
    slug: String,
    info: PetitionInfo,
    vintage: Vintage,
    estimated: bool,
    total: u64,
    national_per_1k_voters: f64,
    /// Code, name and rate of the top seat.
    top: Option<(String, String, f64)>,
    /// Moran's I and its pseudo p-value.
    moran: Option<(f64, Option<f64>)>,
    /// Hot and cold spot regions in words.
    regions: Vec<String>,
    seats: Vec<Figures>,
    mps: Vec<Option<String>>,
}

/// Analyses a petition, writes its page and files, and returns its digest.
fn petition_files(entry: &Entry, layer: &Layer, out: &Output) -> Result<Digest> {
    let analysis = layer.analyser.analyse(&entry.petition)?;
    let areas = layer.analyser.areas();
    let slug = &entry.slug;
    let sub = format!("petitions/{slug}");
    out.dir(&sub)?;
    let analysed = analysis.analysed();
    let mut csv = Vec::new();
    crate::export::write_csv(analysed, &mut csv)
        .map_err(|e| Error::io(out.path(&format!("{sub}/areas.csv")), IoAction::Write, e))?;
    out.file(&format!("{sub}/areas.csv"), &csv)?;
    drop(csv);
    let mut geojson = Vec::new();
    crate::export::write_geojson(analysed, areas, &mut geojson).map_err(|e| {
        Error::io(
            out.path(&format!("{sub}/areas.geojson")),
            IoAction::Write,
            e,
        )
    })?;
    out.file(&format!("{sub}/areas.geojson"), &geojson)?;
    drop(geojson);
    #[cfg(feature = "polars")]
    {
        let mut parquet = Vec::new();
        crate::export::write_parquet(analysed, &mut parquet)?;
        out.file(&format!("{sub}/areas.parquet"), &parquet)?;
    }
    let mut summary = serde_json::to_vec_pretty(&analysis.summary).map_err(|e| {
        Error::io(
            out.path(&format!("{sub}/summary.json")),
            IoAction::Write,
            e.into(),
        )
    })?;
    summary.push(b'\n');
    out.file(&format!("{sub}/summary.json"), &summary)?;
    let thumb = layer.minimaps.thumbnail(
        &analysis.table,
        areas,
        &format!(
            "Signatures per 1,000 voters: {}",
            analysis.summary.petition.title
        ),
    );
    out.file(&format!("{sub}/thumbnail.svg"), thumb.as_bytes())?;
    let (title, source) =
        crate::jobs::report::map_title_and_source(&entry.petition, &analysis.table);
    let mut map = HtmlMap::new(analysed, areas)
        .title(title)
        .source(source)
        .caveats(analysis.summary.caveats())
        .display_shapes(layer.minimaps.display.clone())
        .id("map");
    if let Some(hex) = &layer.hex
        && hex.check_covers(&analysis.table).is_ok()
    {
        map = map.hex(hex.clone());
    }
    let page = pages::petition_page(entry, layer, &analysis, &map);
    out.file(&format!("petitions/{slug}.html"), page.as_bytes())?;
    Ok(digest(entry, &analysis))
}

fn digest(entry: &Entry, analysis: &Analysis) -> Digest {
    let summary = &analysis.summary;
    let mut regions = Vec::new();
    let mut region_of: HashMap<&str, u32> = HashMap::new();
    if let Some(c) = &summary.clustering {
        for r in c.hot_spots.iter().chain(&c.cold_spots) {
            let k = regions.len() as u32;
            regions.push(format!(
                "{} ({} seats around {})",
                r.label.name(),
                r.seats,
                r.name
            ));
            for code in &r.codes {
                region_of.insert(code, k);
            }
        }
    }
    let seats = analysis
        .table
        .rows
        .iter()
        .zip(&analysis.seats)
        .map(|(row, seat)| Figures {
            signatures: row.signatures,
            per_1k_voters: row.per_1k_voters,
            ci95_low_per_1k_voters: row.ci95_low_per_1k_voters,
            ci95_high_per_1k_voters: row.ci95_high_per_1k_voters,
            rank: row.rank_per_1k_voters,
            rank_best: seat.rank_interval.map(|r| r.best),
            rank_worst: seat.rank_interval.map(|r| r.worst),
            obs_exp: seat.excess.map(|e| e.ratio),
            unusual: seat.excess.and_then(|e| e.flag),
            lisa: seat.lisa_label(),
            region: region_of.get(row.code.as_str()).copied(),
        })
        .collect();
    Digest {
        slug: entry.slug.clone(),
        info: summary.petition.clone(),
        vintage: entry.vintage,
        estimated: entry.petition.crosswalk.is_some(),
        total: analysis.table.completeness.total,
        national_per_1k_voters: summary.overall_per_1k_voters,
        top: summary
            .top_per_1k_voters
            .first()
            .map(|t| (t.code.clone(), t.name.clone(), t.per_1k_voters)),
        moran: summary
            .clustering
            .as_ref()
            .map(|c| (c.moran.i, c.moran.p_sim)),
        regions,
        seats,
        mps: analysis.table.rows.iter().map(|r| r.mp.clone()).collect(),
    }
}

/// Writes the site's files and counts them.
struct Output {
    dir: PathBuf,
    files: std::sync::atomic::AtomicUsize,
    bytes: std::sync::atomic::AtomicU64,
}

impl Output {
    fn new(dir: &Path) -> Output {
        Output {
            dir: dir.to_path_buf(),
            files: 0.into(),
            bytes: 0.into(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    fn dir(&self, rel: &str) -> Result<()> {
        let p = self.path(rel);
        std::fs::create_dir_all(&p).map_err(|e| Error::io(&p, IoAction::Create, e))
    }

    fn file(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let p = self.path(rel);
        std::fs::write(&p, bytes).map_err(|e| Error::io(&p, IoAction::Write, e))?;
        use std::sync::atomic::Ordering::Relaxed;
        self.files.fetch_add(1, Relaxed);
        self.bytes.fetch_add(bytes.len() as u64, Relaxed);
        Ok(())
    }

    fn totals(&self) -> (usize, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.files.load(Relaxed), self.bytes.load(Relaxed))
    }
}
