//! The whole job for one petition: the analysis, with its layer, and every output file.

use crate::error::{Error, IoAction, Result};
use crate::export::{self, Classes, HexJson, HtmlMap, Inset, SvgMap};
use crate::inputs::areas::Areas;
use crate::inputs::denominators::Denominators;
use crate::inputs::petition::Petition;
use crate::jobs::analysis::{Analyser, Analysis, ReportOptions};
use crate::jobs::summary::Summary;
use crate::table::analysis::{Analysed, SeatAnalysis};
use crate::table::join::Table;
use crate::table::metrics::Metric;
use crate::weights::Weights;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

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
    /// As [`Analyser::new`] (the weights) and [`Analyser::analyse`] (the join).
    pub fn with_options(
        petition: Petition,
        areas: Areas,
        denominators: &Denominators,
        options: ReportOptions,
    ) -> Result<Report> {
        let analyser = Analyser::new(areas, denominators.clone(), options)?;
        Report::with_analyser(petition, analyser)
    }

    /// Analyses `petition` with `analyser` and keeps its layer and weights. To analyse
    /// several petitions with one layer, keep the analyser and call
    /// [`Analyser::analyse`] instead.
    ///
    /// # Errors
    /// As [`Analyser::analyse`].
    pub fn with_analyser(petition: Petition, analyser: Analyser) -> Result<Report> {
        let Analysis {
            table,
            seats,
            summary,
        } = analyser.analyse(&petition)?;
        let (areas, weights) = analyser.into_layer();
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
    /// let petition = Petition::from_reader("E14000530,10\nS14000001,3\nXX,1\n".as_bytes(), "p.csv")?;
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
        let analyser = Analyser::shipped(petition.vintage()?, options)?;
        Report::with_analyser(petition, analyser)
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
        // each file written under its temporary name in parallel (they are independent);
        // the first error in file order is the one reported
        type Writer<'w> = Box<dyn Fn(&mut export::Staged) -> Result<()> + Sync + 'w>;
        let io = |write: fn(&Self, &mut dyn std::io::Write) -> std::io::Result<()>| -> Writer<'_> {
            Box::new(move |f: &mut export::Staged| {
                write(self, f).map_err(|e| Error::io(f.path(), IoAction::Write, e))
            })
        };
        #[allow(unused_mut)]
        let mut writers: Vec<(&str, Writer<'_>)> = vec![
            (
                "areas.geojson",
                io(|r, w| export::write_geojson(r.analysed(), &r.areas, w)),
            ),
            ("areas.csv", io(|r, w| export::write_csv(r.analysed(), w))),
            (
                "summary.json",
                io(|r, w| {
                    serde_json::to_writer_pretty(&mut *w, &r.summary)?;
                    w.write_all(b"\n")
                }),
            ),
            ("map.svg", io(|r, w| r.map().write_to(w))),
        ];
        #[cfg(feature = "polars")]
        writers.push((
            "areas.parquet",
            Box::new(|f: &mut export::Staged| export::write_parquet(self.analysed(), f)),
        ));
        let staged = writers
            .par_iter()
            .map(|(name, write)| {
                let mut f = export::Staged::new(dir.join(name))?;
                write(&mut f)?;
                Ok(f)
            })
            .collect::<Vec<Result<export::Staged>>>()
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
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
        map_title_and_source(&self.petition, &self.table)
    }
}

/// The maps' title (the petition's, with its number) and source line, for a petition
/// joined into `table` (shared with the site's pages).
pub(crate) fn map_title_and_source(p: &Petition, table: &Table) -> (String, String) {
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
        table.denominators_source
    ));
    if let Some(e) = table.election {
        source.push_str(&format!(" ({e})"));
    }
    (title, source)
}

/// The date of an ISO timestamp (`2019-03-24T10:00:00.000Z` -> `2019-03-24`).
fn day(timestamp: &str) -> &str {
    timestamp.get(..10).unwrap_or(timestamp)
}
